package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/outbox"
	"dakiya/internal/postal"
	"dakiya/internal/webhook"
)

// InsertWebhook adds a subscription unless its partner has max live ones.
func (db *DB) InsertWebhook(ctx context.Context, s webhook.Stored, max int) error {
	return db.inTx(ctx, "insert webhook", func(r runner) error {
		var n int
		if err := r.queryRow(ctx, "SELECT COUNT(*) FROM webhooks WHERE partner_id = ? AND deleted_at IS NULL", s.PartnerID).Scan(&n); err != nil {
			return classify("count webhooks", err)
		}
		if n >= max {
			return postal.Errorf(postal.CodeUnprocessable, "a partner may have at most %d webhooks; delete one first", max)
		}
		_, err := r.exec(ctx, `INSERT INTO webhooks (id, partner_id, url, events, secret_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			s.ID, s.PartnerID, s.URL, strings.Join(s.Events, ","), s.SecretSealed, ms(s.CreatedAt))
		return classify("insert webhook", err)
	})
}

const webhookColumns = "id, partner_id, url, events, secret_sealed, created_at"

func scanWebhook(row interface{ Scan(...any) error }) (webhook.Stored, error) {
	var s webhook.Stored
	var events string
	var created int64
	err := row.Scan(&s.ID, &s.PartnerID, &s.URL, &events, &s.SecretSealed, &created)
	s.Events, s.CreatedAt = splitList(events), fromMS(created)
	return s, err
}

// Webhooks lists a partner's live subscriptions, oldest first; every
// partner's when partnerID is "".
func (db *DB) Webhooks(ctx context.Context, partnerID string) ([]webhook.Stored, error) {
	return db.WebhooksPage(ctx, partnerID, nil, -1)
}

// WebhooksPage lists up to limit live subscriptions (every one when limit
// < 0), oldest first, after the creation time (ms) and id in after; every
// partner's when partnerID is "".
func (db *DB) WebhooksPage(ctx context.Context, partnerID string, after []any, limit int) ([]webhook.Stored, error) {
	cond, args := keyset(after, "created_at", "id")
	rows, err := db.run().query(ctx, "SELECT "+webhookColumns+` FROM webhooks
		WHERE deleted_at IS NULL AND (? = '' OR partner_id = ?) AND `+cond+` ORDER BY created_at, id LIMIT ?`,
		append(append([]any{partnerID, partnerID}, args...), rowLimit(limit))...)
	if err != nil {
		return nil, classify("webhooks", err)
	}
	defer rows.Close()
	out := []webhook.Stored{}
	for rows.Next() {
		s, err := scanWebhook(rows)
		if err != nil {
			return nil, classify("webhooks", err)
		}
		out = append(out, s)
	}
	return out, classify("webhooks", rows.Err())
}

// Webhook returns a live subscription.
func (db *DB) Webhook(ctx context.Context, id string) (webhook.Stored, error) {
	s, err := scanWebhook(db.run().queryRow(ctx, "SELECT "+webhookColumns+" FROM webhooks WHERE id = ? AND deleted_at IS NULL", id))
	if errors.Is(err, sql.ErrNoRows) {
		return webhook.Stored{}, notFound("webhook")
	}
	return s, classify("webhook", err)
}

// DeleteWebhook stops a subscription and dead-letters its pending messages.
func (db *DB) DeleteWebhook(ctx context.Context, id string, at time.Time) error {
	return db.inTx(ctx, "delete webhook", func(r runner) error {
		res, err := r.exec(ctx, "UPDATE webhooks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL", ms(at), id)
		if err != nil {
			return classify("delete webhook", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return notFound("webhook")
		}
		_, err = r.exec(ctx, `UPDATE outbox SET state = 'dead', last_error = 'the webhook was deleted', done_at = ?
			WHERE kind = ? AND target = ? AND state = 'pending'`, ms(at), string(outbox.KindWebhook), id)
		return classify("delete webhook messages", err)
	})
}

// WebhookDeliveries pages a subscription's messages, newest first, each
// with its attempts.
func (db *DB) WebhookDeliveries(ctx context.Context, id string, after *webhook.Cursor, limit int) ([]webhook.Delivery, error) {
	where, args := "kind = ? AND target = ?", []any{string(outbox.KindWebhook), id}
	if after != nil {
		where += " AND (created_at < ? OR (created_at = ? AND (seq < ? OR (seq = ? AND id < ?))))"
		args = append(args, ms(after.CreatedAt), ms(after.CreatedAt), after.Seq, after.Seq, after.ID)
	}
	rows, err := db.run().query(ctx, `SELECT id, seq, event_type, order_key, state, attempts, last_status, last_error, next_at,
		created_at, done_at FROM outbox WHERE `+where+" ORDER BY created_at DESC, seq DESC, id DESC LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, classify("webhook deliveries", err)
	}
	out, err := scanDeliveries(rows, id)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Log, err = db.attempts(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanDeliveries(rows *sql.Rows, webhookID string) ([]webhook.Delivery, error) {
	defer rows.Close()
	out := []webhook.Delivery{}
	for rows.Next() {
		var d webhook.Delivery
		var state, key string
		var next, created int64
		var done sql.NullInt64
		if err := rows.Scan(&d.ID, &d.Seq, &d.Type, &key, &state, &d.Attempts, &d.LastStatus, &d.LastError, &next, &created, &done); err != nil {
			return nil, classify("webhook deliveries", err)
		}
		d.State, d.CreatedAt, d.DoneAt = outbox.State(state), fromMS(created), nullMS(done)
		if rest, ok := strings.CutPrefix(key, webhookID+"/"); ok && !strings.HasPrefix(rest, "ping/") {
			d.ArticleID = rest
		}
		if d.State == outbox.StatePending {
			t := fromMS(next)
			d.NextRetryAt = &t
		}
		out = append(out, d)
	}
	return out, classify("webhook deliveries", rows.Err())
}

// attempts lists a message's attempts, oldest first.
func (db *DB) attempts(ctx context.Context, id string) ([]outbox.Attempt, error) {
	rows, err := db.run().query(ctx, "SELECT n, at, status, error, duration_ms FROM outbox_attempts WHERE message_id = ? ORDER BY n", id)
	if err != nil {
		return nil, classify("attempts", err)
	}
	defer rows.Close()
	out := []outbox.Attempt{}
	for rows.Next() {
		var a outbox.Attempt
		var at int64
		if err := rows.Scan(&a.N, &at, &a.Status, &a.Error, &a.DurationMS); err != nil {
			return nil, classify("attempts", err)
		}
		a.At = fromMS(at)
		out = append(out, a)
	}
	return out, classify("attempts", rows.Err())
}

// Redeliver makes a subscription's message pending and due at now with a
// new run of attempts, keeping its id.
func (db *DB) Redeliver(ctx context.Context, webhookID, messageID string, now time.Time) error {
	// A pending message keeps its lease: a replica may be sending it now.
	res, err := db.run().exec(ctx, `UPDATE outbox SET next_at = ?, done_at = NULL,
		first_at = CASE WHEN state = 'pending' THEN first_at ELSE NULL END, state = 'pending'
		WHERE id = ? AND kind = ? AND target = ?`,
		ms(now), messageID, string(outbox.KindWebhook), webhookID)
	if err != nil {
		return classify("redeliver", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return notFound("delivery")
	}
	return nil
}

// Enqueue writes a message to the outbox on its own.
func (db *DB) Enqueue(ctx context.Context, m outbox.Message) error {
	return enqueue(ctx, db.run(), m)
}
