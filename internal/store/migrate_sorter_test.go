package store_test

import (
	"context"
	"testing"
	"time"

	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestRoleSorterMigration runs migration 0031 again over staff and the
// rows that refer to them: on SQLite the users table is rebuilt with
// foreign keys off, on PostgreSQL its CHECK is replaced. Every user and
// every reference survives, a sorter is accepted, a made-up role is not,
// and foreign keys are enforced again afterwards.
func TestRoleSorterMigration(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		for _, q := range []string{
			`INSERT INTO dcs (id, name, address, pin, lat, lon, tz, created_at) VALUES ('dc-m', 'M', 'Road', '560034', 12.9, 77.6, 'Asia/Kolkata', 1)`,
			`INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at) VALUES ('u-p', 'pm', 'P', 'postman', 'dc-m', 'h', 1)`,
			`INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at) VALUES ('u-a', 'ad', 'A', 'admin', NULL, 'h', 1)`,
			`INSERT INTO beats (id, dc_id, name, postman_id, created_at) VALUES ('b-m', 'dc-m', 'B', 'u-p', 1)`,
			`INSERT INTO refresh_families (id, user_id, created_at) VALUES ('f-1', 'u-p', 1)`,
			`DELETE FROM schema_migrations WHERE version = 31`,
		} {
			if err := db.ExecForTest(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if n, err := db.Migrate(ctx, time.Now()); err != nil || n != 1 {
			t.Fatalf("migrate again: %d %v", n, err)
		}
		var users, refs int
		if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM users WHERE id IN ('u-p', 'u-a')`).Scan(&users); err != nil || users != 2 {
			t.Fatalf("users after: %d %v", users, err)
		}
		if err := db.QueryRowForTest(ctx, `SELECT COUNT(*) FROM beats b JOIN refresh_families f ON f.user_id = b.postman_id
			WHERE b.id = 'b-m'`).Scan(&refs); err != nil || refs != 1 {
			t.Fatalf("references after: %d %v", refs, err)
		}
		if err := db.ExecForTest(ctx, `INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at)
			VALUES ('u-s', 'so', 'S', 'sorter', 'dc-m', 'h', 1)`); err != nil {
			t.Fatalf("a sorter: %v", err)
		}
		for name, q := range map[string]string{
			"bad role":         `INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at) VALUES ('u-x', 'x', 'X', 'boss', 'dc-m', 'h', 1)`,
			"sorter no centre": `INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at) VALUES ('u-y', 'y', 'Y', 'sorter', NULL, 'h', 1)`,
			"missing user":     `INSERT INTO refresh_families (id, user_id, created_at) VALUES ('f-2', 'ghost', 1)`,
			"same username":    `INSERT INTO users (id, username, name, role, dc_id, password_hash, created_at) VALUES ('u-z', 'pm', 'Z', 'postman', 'dc-m', 'h', 1)`,
		} {
			for range 3 { // more than one pooled connection: foreign keys are on again on each
				if err := db.ExecForTest(ctx, q); err == nil {
					t.Fatalf("%s: accepted", name)
				}
			}
		}
	})
}
