package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/idem"
)

// BeginIdempotent claims a key, or reports the response or claim it holds.
func (db *DB) BeginIdempotent(ctx context.Context, owner, key, hash string, now time.Time, stale time.Duration) (idem.Began, error) {
	res, err := db.run().exec(ctx, `INSERT INTO idempotency_keys (owner, idem_key, request_hash, created_at)
		VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`, owner, key, hash, ms(now))
	if err != nil {
		return idem.Began{}, classify("begin idempotent", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return idem.Began{State: idem.New}, nil
	}
	var stored string
	var status sql.NullInt64
	var body sql.NullString
	var created int64
	err = db.run().queryRow(ctx, `SELECT request_hash, status, response, created_at FROM idempotency_keys
		WHERE owner = ? AND idem_key = ?`, owner, key).Scan(&stored, &status, &body, &created)
	if errors.Is(err, sql.ErrNoRows) { // abandoned meanwhile: try once more
		return db.BeginIdempotent(ctx, owner, key, hash, now, stale)
	}
	switch {
	case err != nil:
		return idem.Began{}, classify("begin idempotent", err)
	case stored != hash:
		return idem.Began{State: idem.Mismatch}, nil
	case status.Valid:
		return idem.Began{State: idem.Replay, Status: int(status.Int64), Body: []byte(body.String)}, nil
	case now.Sub(fromMS(created)) < stale:
		return idem.Began{State: idem.InFlight}, nil
	}
	return db.takeOver(ctx, owner, key, created, now)
}

// takeOver claims a key whose first request died before finishing.
func (db *DB) takeOver(ctx context.Context, owner, key string, created int64, now time.Time) (idem.Began, error) {
	res, err := db.run().exec(ctx, `UPDATE idempotency_keys SET created_at = ?
		WHERE owner = ? AND idem_key = ? AND created_at = ? AND status IS NULL`, ms(now), owner, key, created)
	if err != nil {
		return idem.Began{}, classify("take over idempotent", err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return idem.Began{State: idem.New}, nil
	}
	return idem.Began{State: idem.InFlight}, nil
}

// FinishIdempotent stores a key's response, unless it already holds one
// (the domain transaction wrote it).
func (db *DB) FinishIdempotent(ctx context.Context, c idem.Completion, at time.Time) error {
	return finishIdem(ctx, db.run(), c, at)
}

func finishIdem(ctx context.Context, r runner, c idem.Completion, at time.Time) error {
	if c.Key == "" {
		return nil
	}
	_, err := r.exec(ctx, `UPDATE idempotency_keys SET status = ?, response = ?, completed_at = ?
		WHERE owner = ? AND idem_key = ? AND status IS NULL`, c.Status, string(c.Body), ms(at), c.Owner, c.Key)
	return classify("finish idempotent", err)
}

// AbandonIdempotent releases an unfinished claim.
func (db *DB) AbandonIdempotent(ctx context.Context, owner, key string) error {
	_, err := db.run().exec(ctx, "DELETE FROM idempotency_keys WHERE owner = ? AND idem_key = ? AND status IS NULL", owner, key)
	return classify("abandon idempotent", err)
}
