package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// migrationLock is the PostgreSQL advisory lock key that keeps replicas
// starting together from migrating at once.
const migrationLock = 0x64616b697961 // "dakiya"

// foreignKeysOff is the first line of a SQLite migration that rebuilds a
// table others refer to (SQLite's documented twelve-step procedure): it
// runs with foreign keys off on its connection, and commits only if
// PRAGMA foreign_key_check then finds nothing wrong.
const foreignKeysOff = "-- dakiya:foreign-keys-off"

// Migration is one embedded schema change. A migration written once for
// both databases is NNNN_name.sql; one that must differ comes as
// NNNN_name.sqlite.sql and NNNN_name.postgres.sql, one version.
type Migration struct {
	Version int
	Name    string
	SQL     string
	// Dialect is the only database the migration is for; "" for both.
	Dialect Dialect
}

// For reports whether m applies to database d.
func (m Migration) For(d Dialect) bool { return m.Dialect == "" || m.Dialect == d }

// dialectOf names the database a migration file is for, by its suffix.
func dialectOf(base string) Dialect {
	switch {
	case strings.HasSuffix(base, ".sqlite.sql"):
		return SQLite
	case strings.HasSuffix(base, ".postgres.sql"):
		return Postgres
	}
	return ""
}

// Migrations lists the embedded migrations in the order they apply; a
// version written per database appears once for each.
func Migrations() ([]Migration, error) {
	entries, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var out []Migration
	for _, name := range entries {
		base := strings.TrimPrefix(name, "migrations/")
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("store: migration %s has no version number", base)
		}
		b, err := migrationFiles.ReadFile(name)
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", base, err)
		}
		out = append(out, Migration{Version: v, Name: base, SQL: string(b), Dialect: dialectOf(base)})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	if err := checkVersions(out); err != nil {
		return nil, err
	}
	return out, nil
}

// checkVersions refuses two migrations of one version for one database,
// and a version written for one database only.
func checkVersions(all []Migration) error {
	for i := 0; i < len(all); {
		j, seen := i, map[Dialect]bool{}
		for ; j < len(all) && all[j].Version == all[i].Version; j++ {
			d := all[j].Dialect
			if seen[d] || seen[""] || (d == "" && j > i) {
				return fmt.Errorf("store: two migrations numbered %d", all[i].Version)
			}
			seen[d] = true
		}
		if len(seen) == 1 && !seen[""] {
			return fmt.Errorf("store: migration %d is written for one database only", all[i].Version)
		}
		i = j
	}
	return nil
}

// Migrate applies every embedded migration not yet applied, each in its own
// transaction, and returns how many it applied. On PostgreSQL an advisory
// lock makes concurrent starts wait for one another.
func (db *DB) Migrate(ctx context.Context, now time.Time) (int, error) {
	all, err := Migrations()
	if err != nil {
		return 0, err
	}
	conn, err := db.sql.Conn(ctx)
	if err != nil {
		return 0, classify("migrate: conn", err)
	}
	defer conn.Close()
	if db.dialect == Postgres {
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return 0, classify("migrate: lock", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}
	if _, err := conn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return 0, classify("migrate: create table", err)
	}
	applied := 0
	for _, m := range all {
		if !m.For(db.dialect) {
			continue
		}
		done, err := db.applyOne(ctx, conn, m, now)
		if err != nil {
			return applied, err
		}
		if done {
			applied++
		}
	}
	return applied, nil
}

// applyOne applies m, with foreign keys off around it when a SQLite
// migration asks for that (PRAGMA foreign_keys is a no-op inside a
// transaction, so it is set on the connection before and after).
func (db *DB) applyOne(ctx context.Context, conn *sql.Conn, m Migration, now time.Time) (bool, error) {
	if db.dialect != SQLite || !strings.HasPrefix(m.SQL, foreignKeysOff) {
		return db.apply(ctx, conn, m, now, false)
	}
	if _, err := conn.ExecContext(ctx, "PRAGMA foreign_keys = OFF"); err != nil {
		return false, classify("migrate: foreign keys off", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), "PRAGMA foreign_keys = ON")
	return db.apply(ctx, conn, m, now, true)
}

// apply runs one migration in a transaction unless it is already recorded;
// with check, the transaction commits only if no foreign key is broken.
func (db *DB) apply(ctx context.Context, conn *sql.Conn, m Migration, now time.Time, check bool) (bool, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return false, classify("migrate: begin", err)
	}
	defer tx.Rollback()
	r := runner{q: tx, dialect: db.dialect}
	var n int
	if err := r.queryRow(ctx, "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", m.Version).Scan(&n); err != nil {
		return false, classify("migrate: check", err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, classify("migrate: "+m.Name, err)
	}
	if check {
		if err := foreignKeysHold(ctx, tx, m.Name); err != nil {
			return false, err
		}
	}
	if _, err := r.exec(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.Version, m.Name, ms(now)); err != nil {
		return false, classify("migrate: record", err)
	}
	if err := tx.Commit(); err != nil {
		return false, classify("migrate: commit", err)
	}
	return true, nil
}

// foreignKeysHold reports a row that refers to a missing one, as PRAGMA
// foreign_key_check finds it inside the migration's transaction.
func foreignKeysHold(ctx context.Context, tx *sql.Tx, name string) error {
	rows, err := tx.QueryContext(ctx, "PRAGMA foreign_key_check")
	if err != nil {
		return classify("migrate: foreign key check", err)
	}
	defer rows.Close()
	if rows.Next() {
		var table string
		var rowid sql.NullInt64
		var parent string
		var fk int
		if err := rows.Scan(&table, &rowid, &parent, &fk); err != nil {
			return classify("migrate: foreign key check", err)
		}
		return fmt.Errorf("store: migration %s breaks a foreign key: %s row %d refers to a missing %s", name, table, rowid.Int64, parent)
	}
	return classify("migrate: foreign key check", rows.Err())
}
