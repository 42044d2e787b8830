package testkit

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"dakiya/internal/store"
)

// Busy is a second, raw connection to a test database that can keep it
// busy: it holds the write lock (SQLite) or a table lock (PostgreSQL) for a
// while, as a slow transaction of another request would. Races between
// "check" and "act" show up when requests pile up behind such a lock.
type Busy struct {
	raw     *sql.DB
	dialect store.Dialect
}

// EachBusyDB is EachDB with a Busy connection to the same database.
func EachBusyDB(t *testing.T, fn func(t *testing.T, db *store.DB, busy *Busy)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "test.db")
		db := openMigrated(t, "sqlite:"+path)
		fn(t, db, openBusy(t, "sqlite", "file:"+path+"?_pragma=busy_timeout(10000)", store.SQLite))
	})
	t.Run("postgres", func(t *testing.T) {
		url := PostgresURL(t)
		db := openMigrated(t, url)
		fn(t, db, openBusy(t, "pgx", url, store.Postgres))
	})
}

func openBusy(t testing.TB, driver, dsn string, d store.Dialect) *Busy {
	t.Helper()
	raw, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatalf("testkit: busy connection: %v", err)
	}
	t.Cleanup(func() { raw.Close() })
	return &Busy{raw: raw, dialect: d}
}

// Hold takes the lock and returns once it is held; the lock is let go after
// d. On SQLite the lock is the database's write lock (BEGIN IMMEDIATE); on
// PostgreSQL it is an EXCLUSIVE lock on each of tables, which lets plain
// reads through and makes every writer wait. The test ends only after the
// lock is let go.
func (b *Busy) Hold(t testing.TB, d time.Duration, tables ...string) {
	t.Helper()
	stmts := []string{"BEGIN IMMEDIATE"}
	if b.dialect == store.Postgres {
		stmts = []string{"BEGIN"}
		for _, tb := range tables {
			stmts = append(stmts, "LOCK TABLE "+tb+" IN EXCLUSIVE MODE")
		}
	}
	b.commitAfter(t, d, stmts)
}

// Change runs stmt in a transaction of its own that commits after d, and
// returns once stmt has run: until then the rows it wrote stay locked (on
// SQLite, the whole database), as a concurrent request's uncommitted move
// would keep them. The test ends only after the commit.
func (b *Busy) Change(t testing.TB, d time.Duration, stmt string) {
	t.Helper()
	begin := "BEGIN IMMEDIATE"
	if b.dialect == store.Postgres {
		begin = "BEGIN"
	}
	b.commitAfter(t, d, []string{begin, stmt})
}

// commitAfter runs stmts (a transaction's start and what it holds) on a
// connection of its own, and commits them d later; the test ends only
// after the commit.
func (b *Busy) commitAfter(t testing.TB, d time.Duration, stmts []string) {
	t.Helper()
	ctx := context.Background()
	conn, err := b.raw.Conn(ctx)
	if err != nil {
		t.Fatalf("testkit: busy: %v", err)
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			conn.Close()
			t.Fatalf("testkit: busy: %s: %v", q, err)
		}
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		time.Sleep(d)
		conn.ExecContext(ctx, "COMMIT")
		conn.Close()
	}()
	t.Cleanup(func() { <-done })
}

// BusyTx is a transaction on a Busy connection that a test drives step by
// step, as a concurrent request would run its statements.
type BusyTx struct {
	t    testing.TB
	conn *sql.Conn
}

// Begin starts a transaction (on SQLite, holding the write lock). The test
// must Commit it, or it is rolled back when the test ends.
func (b *Busy) Begin(t testing.TB) *BusyTx {
	t.Helper()
	conn, err := b.raw.Conn(context.Background())
	if err != nil {
		t.Fatalf("testkit: busy: %v", err)
	}
	begin := "BEGIN IMMEDIATE"
	if b.dialect == store.Postgres {
		begin = "BEGIN"
	}
	if _, err := conn.ExecContext(context.Background(), begin); err != nil {
		conn.Close()
		t.Fatalf("testkit: busy: %s: %v", begin, err)
	}
	tx := &BusyTx{t: t, conn: conn}
	t.Cleanup(func() {
		tx.conn.ExecContext(context.Background(), "ROLLBACK")
		tx.conn.Close()
	})
	return tx
}

// Exec runs one statement of the transaction.
func (tx *BusyTx) Exec(stmt string) error {
	_, err := tx.conn.ExecContext(context.Background(), stmt)
	return err
}

// Commit commits the transaction.
func (tx *BusyTx) Commit() error {
	_, err := tx.conn.ExecContext(context.Background(), "COMMIT")
	return err
}
