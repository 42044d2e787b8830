// Package store is the only code that speaks SQL. It opens SQLite or
// PostgreSQL behind database/sql, applies the embedded migrations, and
// implements the storage interfaces the domain packages declare, one file per
// aggregate. Queries are written once with ? placeholders and rebound for
// PostgreSQL.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver
)

// Dialect names the SQL database behind a DB.
type Dialect string

// The supported dialects.
const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database.
type DB struct {
	sql     *sql.DB
	dialect Dialect
	stmts   *atomic.Int64 // statements sent through runners, for SQLCount
	hot     *hotStmts     // statements prepared once, for the hottest reads
	w       *committer    // SQLite's one writer; nil on PostgreSQL
}

// hotStmts are statements prepared once per DB: database/sql prepares
// them again on each connection that needs them, once, so a read that runs
// on every request is not parsed on every request.
type hotStmts struct {
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// Open connects to dsn: "sqlite:PATH" (the file and its folder are created)
// or a postgres:// URL. It checks the connection before returning.
func Open(ctx context.Context, dsn string) (*DB, error) {
	var db *DB
	var err error
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		db, err = openSQLite(strings.TrimPrefix(dsn, "sqlite:"))
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err = openPostgres(dsn)
	default:
		return nil, errors.New("store: dsn must be sqlite:PATH or postgres://…")
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("store: sqlite path is empty")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	// WAL lets readers run beside the writer; IMMEDIATE transactions take
	// the write lock up front so two writers queue on busy_timeout instead
	// of failing on a lock upgrade.
	q := "?_pragma=journal_mode(WAL)&_pragma=foreign_keys(1)&_pragma=busy_timeout(10000)" +
		"&_pragma=synchronous(NORMAL)&_txlock=immediate"
	sdb, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	// As many idle connections as open ones: a connection closed for
	// want of an idle slot costs the next request a new one, which
	// applies the pragmas and reads the schema again.
	sdb.SetMaxOpenConns(8)
	sdb.SetMaxIdleConns(8)
	// Writes go through a pool of their own with one connection, driven
	// by the committer (see committer.go).
	wdb, err := sql.Open("sqlite", "file:"+path+q)
	if err != nil {
		sdb.Close()
		return nil, fmt.Errorf("store: open sqlite: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	wdb.SetMaxIdleConns(1)
	stmts := new(atomic.Int64)
	return &DB{sql: sdb, dialect: SQLite, stmts: stmts, hot: &hotStmts{m: map[string]*sql.Stmt{}},
		w: newCommitter(wdb, stmts)}, nil
}

func openPostgres(dsn string) (*DB, error) {
	sdb, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	sdb.SetMaxOpenConns(20)
	sdb.SetMaxIdleConns(20)
	sdb.SetConnMaxIdleTime(5 * time.Minute)
	return &DB{sql: sdb, dialect: Postgres, stmts: new(atomic.Int64), hot: &hotStmts{m: map[string]*sql.Stmt{}}}, nil
}

// Dialect tells which database this is.
func (db *DB) Dialect() Dialect { return db.dialect }

// Close closes the database.
func (db *DB) Close() error {
	db.hot.mu.Lock()
	for q, st := range db.hot.m {
		st.Close()
		delete(db.hot.m, q)
	}
	db.hot.mu.Unlock()
	if db.w != nil {
		if err := db.w.close(); err != nil {
			db.sql.Close()
			return err
		}
	}
	return db.sql.Close()
}

// queryRowHot is queryRow through a statement prepared once per DB, for a
// read that runs on every request; should preparing fail, the query runs
// as any other does.
func (db *DB) queryRowHot(ctx context.Context, query string, args ...any) *sql.Row {
	db.hot.mu.Lock()
	st := db.hot.m[query]
	if st == nil {
		var err error
		if st, err = db.sql.PrepareContext(ctx, rebind(db.dialect, query)); err != nil {
			db.hot.mu.Unlock()
			return db.run().queryRow(ctx, query, args...)
		}
		db.hot.m[query] = st
	}
	db.hot.mu.Unlock()
	db.stmts.Add(1)
	return st.QueryRowContext(ctx, args...)
}

// Ping checks that the database answers; a failure is CodeUnavailable.
func (db *DB) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var one int
	if err := db.sql.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return unavailable("ping", err)
	}
	return nil
}

// runner runs rebound queries on a *sql.DB or a *sql.Tx.
type runner struct {
	q interface {
		ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
		QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
		QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	}
	dialect Dialect
	stmts   *atomic.Int64
	// w, on SQLite outside a transaction, takes every exec (a write) to
	// the one writer, so it never waits for the lock in busy_timeout's
	// sleeps; reads stay on the pool.
	w *committer
	// detach runs statements without their request's cancellation: in a
	// batch of the committer, SQLite would answer a cancelled statement
	// by rolling back the whole transaction, everyone's writes with it.
	detach bool
}

func (r runner) ctx(ctx context.Context) context.Context {
	if r.detach {
		return context.WithoutCancel(ctx)
	}
	return ctx
}

func (r runner) count() {
	if r.stmts != nil {
		r.stmts.Add(1)
	}
}

func (r runner) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if r.w != nil {
		var res sql.Result
		err := r.w.do(ctx, "exec", func(x runner) error {
			var err error
			res, err = x.exec(ctx, query, args...)
			return err
		})
		return res, err
	}
	r.count()
	return r.q.ExecContext(r.ctx(ctx), rebind(r.dialect, query), args...)
}

func (r runner) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	r.count()
	return r.q.QueryContext(r.ctx(ctx), rebind(r.dialect, query), args...)
}

func (r runner) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	r.count()
	return r.q.QueryRowContext(r.ctx(ctx), rebind(r.dialect, query), args...)
}

func (db *DB) run() runner { return runner{q: db.sql, dialect: db.dialect, stmts: db.stmts, w: db.w} }

// SQLCount tells how many SQL statements this DB has sent through its
// queries so far (transaction begin and commit not counted): tests and
// benchmarks read it before and after an operation to count its round
// trips.
func (db *DB) SQLCount() int64 {
	if db.stmts == nil {
		return 0
	}
	return db.stmts.Load()
}

// inTx runs fn in one transaction, committing when it returns nil. On
// SQLite the transaction is the committer's, maybe shared with other
// writes (see committer.go); it returns only after the commit.
func (db *DB) inTx(ctx context.Context, op string, fn func(r runner) error) error {
	if db.w != nil {
		return db.w.do(ctx, op, fn)
	}
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return classify(op+": begin", err)
	}
	if err := fn(runner{q: tx, dialect: db.dialect, stmts: db.stmts}); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return classify(op+": commit", err)
	}
	return nil
}

// write runs fn, whose statements write, outside any transaction of the
// caller's: on SQLite as a job of the one writer (never waiting for the
// lock in busy_timeout's sleeps), on PostgreSQL statement by statement as
// they come. For a write that reads its own RETURNING rows, which exec
// cannot.
func (db *DB) write(ctx context.Context, op string, fn func(r runner) error) error {
	if db.w != nil {
		return db.w.do(ctx, op, fn)
	}
	return fn(db.run())
}

// rebind turns ? placeholders into $1, $2, … for PostgreSQL. Our queries
// hold no literal question marks, but quoted text is skipped all the same.
func rebind(d Dialect, q string) string {
	if d != Postgres || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 8)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// ms turns a time into the stored form, Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// fromMS turns a stored time back into a UTC time.
func fromMS(v int64) time.Time { return time.UnixMilli(v).UTC() }

// nullMS turns a nullable stored time into a pointer.
func nullMS(v sql.NullInt64) *time.Time {
	if !v.Valid {
		return nil
	}
	t := fromMS(v.Int64)
	return &t
}

// QueryRowForTest runs a read-only query for tests that check what a
// refused request did not write. It rebinds placeholders like every query.
func (db *DB) QueryRowForTest(ctx context.Context, query string, args ...any) *sql.Row {
	return db.run().queryRow(ctx, query, args...)
}
