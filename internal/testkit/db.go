package testkit

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver, to create test databases

	"dakiya/internal/store"
)

// DB returns a fresh, migrated SQLite database in t's temporary folder.
func DB(t testing.TB) *store.DB {
	t.Helper()
	return openMigrated(t, "sqlite:"+filepath.Join(t.TempDir(), "test.db"))
}

// Postgres returns a fresh, migrated PostgreSQL database, created for t and
// dropped after it, on the server TEST_POSTGRES_URL names. Without that
// variable the test is skipped loudly, or fails when DAKIYA_REQUIRE_POSTGRES=1
// (as in make test and CI).
func Postgres(t testing.TB) *store.DB {
	t.Helper()
	return openMigrated(t, PostgresURL(t))
}

// PostgresURL creates a fresh, empty PostgreSQL database for t (dropped
// after it) and returns its URL, for tests that run a whole server on it.
func PostgresURL(t testing.TB) string {
	t.Helper()
	base := os.Getenv("TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("DAKIYA_REQUIRE_POSTGRES") == "1" {
			t.Fatal("TEST_POSTGRES_URL is not set but DAKIYA_REQUIRE_POSTGRES=1: run the tests with `make test`")
		}
		t.Skip("POSTGRES SUITE SKIPPED: set TEST_POSTGRES_URL (or run `make test`, which starts PostgreSQL)")
	}
	name := "dakiya_test_" + randomHex(6)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("testkit: open postgres: %v", err)
	}
	t.Cleanup(func() { admin.Close() })
	ctx := context.Background()
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("testkit: create database: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("testkit: drop database %s: %v", name, err)
		}
	})
	t.Logf("testkit: postgres database %s created", name)
	return withDatabase(t, base, name)
}

// EachDB runs fn as a subtest on SQLite and on PostgreSQL, each with a fresh
// migrated database: one suite, both databases.
func EachDB(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) {
		db := DB(t)
		t.Log("testkit: sqlite database created")
		fn(t, db)
	})
	t.Run("postgres", func(t *testing.T) { fn(t, Postgres(t)) })
}

func openMigrated(t testing.TB, dsn string) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dsn)
	if err != nil {
		t.Fatalf("testkit: open %s: %v", dsn, err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, time.Now()); err != nil {
		t.Fatalf("testkit: migrate: %v", err)
	}
	return db
}

// withDatabase swaps the database name in a postgres:// URL.
func withDatabase(t testing.TB, base, name string) string {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("testkit: TEST_POSTGRES_URL: %v", err)
	}
	u.Path = "/" + name
	return u.String()
}

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(fmt.Sprintf("testkit: random: %v", err))
	}
	return hex.EncodeToString(b)
}
