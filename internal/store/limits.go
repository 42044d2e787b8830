package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"
)

// lockKey upserts a limit's key row inside a transaction. On PostgreSQL
// the row stays locked until the transaction ends, so whoever counts
// against the key next waits and then sees this transaction's writes; on
// SQLite every writing transaction already holds the database's write lock.
func lockKey(ctx context.Context, r runner, key string, at time.Time) error {
	_, err := r.exec(ctx, `INSERT INTO limit_keys (key, touched_at) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET touched_at = excluded.touched_at`, key, ms(at))
	return classify("lock limit key", err)
}

// newAttempt names one reserved attempt, so exactly its rows can be taken
// back.
func newAttempt() string {
	b := make([]byte, 16)
	rand.Read(b) // never fails (crypto/rand panics rather than return short)
	return hex.EncodeToString(b)
}
