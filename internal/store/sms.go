package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"time"

	"dakiya/internal/notify"
)

const smsColumns = "id, phone, body, sealed, kind, article_id, dedupe_key, status, attempts, created_at, sent_at, last_error"

// smsDefaultLimit is how many messages LatestSMS lists when not told.
const smsDefaultLimit = 100

func scanSMS(row interface{ Scan(...any) error }) (notify.Message, error) {
	var m notify.Message
	var article, dedupe, sealed sql.NullString
	var created int64
	var sent sql.NullInt64
	err := row.Scan(&m.ID, &m.Phone, &m.Body, &sealed, &m.Kind, &article, &dedupe, &m.Status, &m.Attempts,
		&created, &sent, &m.LastError)
	m.ArticleID, m.DedupeKey, m.CreatedAt, m.SentAt = article.String, dedupe.String, fromMS(created), nullMS(sent)
	m.Sealed = sealed.String
	return m, err
}

// smsNull stores an empty string as NULL, so that optional keys never clash.
func smsNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// EnqueueSMS queues messages in one transaction and returns how many were
// queued: a message whose dedupe key is already taken is skipped.
func (db *DB) EnqueueSMS(ctx context.Context, msgs ...notify.Message) (int, error) {
	n := 0
	err := db.inTx(ctx, "enqueue sms", func(r runner) error {
		for _, m := range msgs {
			ok, err := insertSMS(ctx, r, m)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	return n, nil
}

// insertSMS queues m, due at its creation, with its sealed secret if any, inside the caller's transaction
// (a dispatch queues its OTP messages with the status change). A message
// whose dedupe key is taken is not queued again; it reports whether m was.
// Status, attempts and sent time of m are ignored: a new message is queued.
func insertSMS(ctx context.Context, r runner, m notify.Message) (bool, error) {
	res, err := r.exec(ctx, `INSERT INTO sms (id, phone, body, sealed, kind, article_id, dedupe_key, status, attempts,
		next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?)
		ON CONFLICT (dedupe_key) DO NOTHING`,
		m.ID, m.Phone, m.Body, smsNull(m.Sealed), m.Kind, smsNull(m.ArticleID), smsNull(m.DedupeKey), ms(m.CreatedAt), ms(m.CreatedAt))
	if err != nil {
		return false, classify("insert sms", err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify("insert sms", err)
}

// ClaimSMS leases up to limit due queued messages, whose lease is free or
// expired, to owner until now+lease; oldest due first. On PostgreSQL the
// rows are picked with FOR UPDATE SKIP LOCKED, so concurrent claims skip
// each other's rows instead of waiting or taking them twice.
func (db *DB) ClaimSMS(ctx context.Context, owner string, now time.Time, lease time.Duration, limit int) ([]notify.Message, error) {
	if limit <= 0 {
		return nil, nil
	}
	var msgs []notify.Message
	err := db.write(ctx, "claim sms", func(r runner) error {
		rows, err := r.query(ctx, claimSMSQuery(db.dialect), ms(now), ms(now), limit, owner, ms(now.Add(lease)))
		if err != nil {
			return classify("claim sms", err)
		}
		msgs, err = scanSMSRows(rows)
		return classify("claim sms", err)
	})
	if err != nil {
		return nil, err
	}
	// RETURNING gives no order; keep the oldest first.
	slices.SortFunc(msgs, func(a, b notify.Message) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return msgs, nil
}

// claimSMSQuery is the claim for a dialect. The selection is a CTE so that
// PostgreSQL runs it once: an IN (SELECT … LIMIT … SKIP LOCKED) subquery may
// be rescanned by a nested loop and lock more than limit rows. SQLite has one
// writer, so its statement needs no row locks.
func claimSMSQuery(d Dialect) string {
	lock := ""
	if d == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	return `WITH due AS (
		SELECT id FROM sms
		WHERE status = 'queued' AND next_attempt_at <= ? AND (lease_until IS NULL OR lease_until <= ?)
		ORDER BY next_attempt_at, id LIMIT ?` + lock + `)
	UPDATE sms SET lease_owner = ?, lease_until = ?
	WHERE id IN (SELECT id FROM due)
	RETURNING ` + smsColumns
}

func scanSMSRows(rows *sql.Rows) ([]notify.Message, error) {
	defer rows.Close()
	var out []notify.Message
	for rows.Next() {
		m, err := scanSMS(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkSMSSent records that the owner of the lease sent the message, as one
// more attempt; false means the lease is no longer owner's.
func (db *DB) MarkSMSSent(ctx context.Context, id, owner string, at time.Time) (bool, error) {
	return db.smsOutcome(ctx, "mark sms sent", "status = 'sent', sent_at = ?, attempts = attempts + 1", id, owner, ms(at))
}

// RetrySMS records a failed attempt, or a send never tried, and makes the
// message due again at next, releasing the lease; false means the lease is
// no longer owner's.
func (db *DB) RetrySMS(ctx context.Context, id, owner string, attempts int, next time.Time, lastErr string) (bool, error) {
	return db.smsOutcome(ctx, "retry sms", "attempts = ?, next_attempt_at = ?, last_error = ?",
		id, owner, attempts, ms(next), lastErr)
}

// FailSMS records a final failed attempt: the message is never sent. False
// means the lease is no longer owner's.
func (db *DB) FailSMS(ctx context.Context, id, owner string, lastErr string) (bool, error) {
	return db.smsOutcome(ctx, "fail sms", "status = 'failed', attempts = attempts + 1, last_error = ?", id, owner, lastErr)
}

// smsOutcome applies set to a queued message while owner holds its lease,
// and releases the lease.
func (db *DB) smsOutcome(ctx context.Context, op, set, id, owner string, args ...any) (bool, error) {
	args = append(args, id, owner)
	res, err := db.run().exec(ctx, "UPDATE sms SET "+set+", lease_owner = NULL, lease_until = NULL"+
		" WHERE id = ? AND status = 'queued' AND lease_owner = ?", args...)
	if err != nil {
		return false, classify(op, err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify(op, err)
}

// LatestSMS lists the messages to phone, newest first: at most limit, or
// 100 when limit is not positive.
func (db *DB) LatestSMS(ctx context.Context, phone string, limit int) ([]notify.Message, error) {
	if limit <= 0 {
		limit = smsDefaultLimit
	}
	rows, err := db.run().query(ctx, "SELECT "+smsColumns+" FROM sms WHERE phone = ? ORDER BY created_at DESC, id DESC LIMIT ?",
		phone, limit)
	if err != nil {
		return nil, classify("latest sms", err)
	}
	msgs, err := scanSMSRows(rows)
	return msgs, classify("latest sms", err)
}
