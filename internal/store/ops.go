package store

import (
	"context"
	"database/sql"
	"time"

	"dakiya/internal/ops"
)

// CentreSyncs returns, for every centre with a manifest sent out since
// since, when its latest manifest went out and when one of its postmen last
// synced (recorded an outcome) after their manifest went out. One read: the
// manifests by dispatch time, and each postman's latest outcome through the
// deliveries_postman index.
func (db *DB) CentreSyncs(ctx context.Context, since time.Time) ([]ops.CentreSync, error) {
	rows, err := db.run().query(ctx, `SELECT dc_id, MAX(dispatched_at), MAX(last_at) FROM (
		SELECT m.dc_id, m.dispatched_at, (SELECT MAX(d.created_at) FROM deliveries d
			WHERE d.postman_id = m.postman_id AND d.created_at >= m.dispatched_at) AS last_at
		FROM manifests m WHERE m.dispatched_at IS NOT NULL AND m.dispatched_at >= ?) x
		GROUP BY dc_id ORDER BY dc_id`, ms(since))
	if err != nil {
		return nil, classify("centre syncs", err)
	}
	defer rows.Close()
	var out []ops.CentreSync
	for rows.Next() {
		var s ops.CentreSync
		var dispatched int64
		var last sql.NullInt64
		if err := rows.Scan(&s.DCID, &dispatched, &last); err != nil {
			return nil, classify("centre syncs", err)
		}
		s.Dispatched = fromMS(dispatched)
		if last.Valid {
			s.LastSync = fromMS(last.Int64)
		}
		out = append(out, s)
	}
	return out, classify("centre syncs", rows.Err())
}

// Queues returns the depth and the oldest message of the SMS queue and of
// each kind of outbox message (webhook, ondc) still waiting to be sent.
// The SMS queue and the webhook queue are always there, empty or not.
func (db *DB) Queues(ctx context.Context) ([]ops.Queue, error) {
	out := []ops.Queue{{Name: "sms"}, {Name: "webhook"}}
	var n int64
	var oldest sql.NullInt64
	if err := db.run().queryRow(ctx, `SELECT COUNT(*), MIN(created_at) FROM sms WHERE status = 'queued'`).Scan(&n, &oldest); err != nil {
		return nil, classify("queues: sms", err)
	}
	out[0].Depth = n
	if oldest.Valid {
		out[0].Oldest = fromMS(oldest.Int64)
	}
	rows, err := db.run().query(ctx, `SELECT kind, COUNT(*), MIN(created_at) FROM outbox WHERE state = 'pending' GROUP BY kind ORDER BY kind`)
	if err != nil {
		return nil, classify("queues: outbox", err)
	}
	defer rows.Close()
	for rows.Next() {
		var q ops.Queue
		var first int64
		if err := rows.Scan(&q.Name, &q.Depth, &first); err != nil {
			return nil, classify("queues: outbox", err)
		}
		q.Oldest = fromMS(first)
		if q.Name == "webhook" {
			out[1] = q
			continue
		}
		out = append(out, q)
	}
	return out, classify("queues: outbox", rows.Err())
}

// PoolStats returns the connection pool's statistics.
func (db *DB) PoolStats() sql.DBStats { return db.sql.Stats() }

// WriterStats returns the figures of SQLite's one writer; false on
// PostgreSQL, which has none.
func (db *DB) WriterStats() (ops.WriterStats, bool) {
	if db.w == nil {
		return ops.WriterStats{}, false
	}
	return ops.WriterStats{Queued: len(db.w.jobs), Batches: db.w.batches.Load(), Writes: db.w.writes.Load()}, true
}
