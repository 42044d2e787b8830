package store

import "context"

// ExecForTest runs a statement, for tests that set up a database as an
// older version left it.
func (db *DB) ExecForTest(ctx context.Context, query string, args ...any) error {
	_, err := db.run().exec(ctx, query, args...)
	return err
}

// QueryStringsForTest returns the first column of every row a query finds,
// as text (e.g. the lines of an EXPLAIN).
func (db *DB) QueryStringsForTest(ctx context.Context, query string, args ...any) ([]string, error) {
	rows, err := db.run().query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return scanStrings(rows)
}
