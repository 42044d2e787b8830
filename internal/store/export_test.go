package store

import "context"

// ExecForTest runs a statement, for tests that set up a database as an
// older version left it.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.run().exec(ctx, query, args...)
	return err
}
