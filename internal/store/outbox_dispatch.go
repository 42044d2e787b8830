package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/outbox"
)

// Claim leases up to limit due messages of kinds to owner until
// now+lease: pending, due, not leased by anyone else, and each the first
// pending message of its order key, so an article's later event waits for
// its earlier one. On PostgreSQL the candidates are locked FOR UPDATE SKIP
// LOCKED, so replicas claiming at once take different rows; on SQLite the
// one writer serialises claims. Either way the lease is set by a
// conditional update in the same transaction, and only rows it changed are
// returned.
func (db *DB) Claim(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int, kinds []outbox.Kind) ([]outbox.Message, error) {
	if len(kinds) == 0 {
		return nil, nil
	}
	var ids []string
	err := db.inTx(ctx, "claim outbox", func(r runner) error {
		var err error
		ids, err = claimIDs(ctx, r, owner, now, lease, limit, kinds)
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make([]outbox.Message, 0, len(ids))
	for _, id := range ids {
		m, err := db.message(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// claimIDs picks the due messages and leases them, in the caller's
// transaction; it returns those it leased.
func claimIDs(ctx context.Context, r runner, owner string, now time.Time, lease time.Duration, limit int, kinds []outbox.Kind) ([]string, error) {
	args := []any{ms(now), ms(now)}
	for _, k := range kinds {
		args = append(args, string(k))
	}
	q := `SELECT id FROM outbox o WHERE state = 'pending' AND next_at <= ? AND lease_until <= ?
		AND kind IN (?` + strings.Repeat(", ?", len(kinds)-1) + `)
		AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key AND e.state = 'pending'
			AND (e.seq < o.seq OR (e.seq = o.seq AND e.id < o.id)))
		ORDER BY next_at, seq, id LIMIT ` + strconv.Itoa(limit)
	if r.dialect == Postgres {
		q += " FOR UPDATE SKIP LOCKED"
	}
	cands, err := queryIDs(ctx, r, q, args...)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, id := range cands {
		res, err := r.exec(ctx, `UPDATE outbox SET lease_owner = ?, lease_until = ?
			WHERE id = ? AND state = 'pending' AND lease_until <= ?`, owner, ms(now.Add(lease)), id, ms(now))
		if err != nil {
			return nil, classify("lease outbox", err)
		}
		if n, err := res.RowsAffected(); err == nil && n == 1 {
			ids = append(ids, id)
		}
	}
	return ids, nil
}

func queryIDs(ctx context.Context, r runner, q string, args ...any) ([]string, error) {
	rows, err := r.query(ctx, q, args...)
	if err != nil {
		return nil, classify("due outbox", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify("due outbox", err)
		}
		ids = append(ids, id)
	}
	return ids, classify("due outbox", rows.Err())
}

// message reads one outbox message.
func (db *DB) message(ctx context.Context, id string) (outbox.Message, error) {
	var m outbox.Message
	var kind, state, body string
	var next, created int64
	var first sql.NullInt64
	err := db.run().queryRow(ctx, `SELECT id, partner_id, kind, target, order_key, seq, event_type, body, state, attempts,
		next_at, created_at, first_at FROM outbox WHERE id = ?`, id).Scan(&m.ID, &m.PartnerID, &kind, &m.Target, &m.OrderKey,
		&m.Seq, &m.EventType, &body, &state, &m.Attempts, &next, &created, &first)
	if err != nil {
		return m, classify("outbox message", err)
	}
	m.Kind, m.State, m.Body, m.NextAt, m.CreatedAt = outbox.Kind(kind), outbox.State(state), []byte(body), fromMS(next), fromMS(created)
	if first.Valid {
		m.FirstAt = fromMS(first.Int64)
	}
	return m, nil
}

// Finish records an attempt and, while owner still holds the message's
// lease, its new state; the lease is released. An attempt a replica made
// after losing its lease is still logged, but changes nothing.
func (db *DB) Finish(ctx context.Context, owner string, res outbox.Result) error {
	a := res.Attempt
	return db.inTx(ctx, "finish outbox attempt", func(r runner) error {
		_, err := r.exec(ctx, `INSERT INTO outbox_attempts (message_id, n, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (message_id, n) DO NOTHING`, res.MessageID, a.N, ms(a.At), a.Status, a.Error, a.DurationMS)
		if err != nil {
			return classify("outbox attempt", err)
		}
		var done, next any
		next = ms(a.At)
		if res.State == outbox.StatePending {
			next = ms(res.NextAt)
		} else {
			done = ms(a.At)
		}
		_, err = r.exec(ctx, `UPDATE outbox SET state = ?, attempts = ?, last_status = ?, last_error = ?, next_at = ?, done_at = ?,
			first_at = COALESCE(first_at, ?), lease_owner = '', lease_until = 0
			WHERE id = ? AND lease_owner = ? AND state = 'pending'`,
			string(res.State), a.N, a.Status, a.Error, next, done, ms(a.At), res.MessageID, owner)
		return classify("finish outbox message", err)
	})
}
