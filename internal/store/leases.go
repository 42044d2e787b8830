package store

import (
	"context"
	"time"
)

// TakeLease gives the lease name to holder until now+ttl if it is free,
// expired, or already holder's (a renewal), in one conditional statement;
// it reports whether holder has it.
func (db *DB) TakeLease(ctx context.Context, name, holder string, now time.Time, ttl time.Duration) (bool, error) {
	res, err := db.run().exec(ctx, `INSERT INTO leases (name, holder, expires_at) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
		WHERE leases.holder = excluded.holder OR leases.expires_at <= ?`, name, holder, ms(now.Add(ttl)), ms(now))
	if err != nil {
		return false, classify("take lease", err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify("take lease", err)
}
