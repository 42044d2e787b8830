package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/privacy"
)

// finalStatuses are the statuses after which nothing more happens to an
// article (article.Status.Terminal), as SQL.
const finalStatuses = "('delivered', 'returned')"

// Erased stands in for an erased recipient's name and address (the API
// promises both are never empty); the phone becomes "".
const Erased = "(erased)"

// TakeLock takes or renews the lease on job name for owner until until;
// false when another owner's lease has not run out at now.
func (db *DB) TakeLock(ctx context.Context, name, owner string, now, until time.Time) (bool, error) {
	res, err := db.run().exec(ctx, `INSERT INTO job_locks (name, owner, lease_until) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, lease_until = excluded.lease_until
		WHERE job_locks.owner = excluded.owner OR job_locks.lease_until < ?`, name, owner, ms(until), ms(now))
	if err != nil {
		return false, classify("take lock", err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify("take lock", err)
}

// ReleaseLock gives up owner's lease on job name.
func (db *DB) ReleaseLock(ctx context.Context, name, owner string) error {
	_, err := db.run().exec(ctx, `DELETE FROM job_locks WHERE name = ? AND owner = ?`, name, owner)
	return classify("release lock", err)
}

// placeholders returns "?, ?, …" for n values and the values as args.
func placeholders(ids []string) (string, []any) {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", "), args
}

// EraseFinalArticles erases the recipient data of at most limit final
// articles last changed before cutoff (for a final article, the time it
// became final) and not erased yet.
func (db *DB) EraseFinalArticles(ctx context.Context, cutoff, now time.Time, limit int) (int, error) {
	var n int
	err := db.inTx(ctx, "erase final articles", func(r runner) error {
		rows, err := r.query(ctx, `SELECT id FROM articles WHERE erased_at IS NULL AND status IN `+finalStatuses+`
			AND updated_at < ? ORDER BY updated_at, id LIMIT ?`, ms(cutoff), limit)
		if err != nil {
			return classify("erase final articles", err)
		}
		ids, err := scanStrings(rows)
		if err != nil {
			return classify("erase final articles", err)
		}
		done, err := eraseArticles(ctx, r, ids, now)
		n = len(done)
		return err
	})
	return n, err
}

// EraseArticles erases the recipient data of those of ids that are final
// and not erased yet, and returns them.
func (db *DB) EraseArticles(ctx context.Context, ids []string, now time.Time) ([]string, error) {
	var done []string
	err := db.inTx(ctx, "erase articles", func(r runner) error {
		var err error
		done, err = eraseArticles(ctx, r, ids, now)
		return err
	})
	if done == nil {
		done = []string{}
	}
	return done, err
}

func scanStrings(rows *sql.Rows) ([]string, error) {
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// eraseArticles erases, in one transaction, the personal data held for
// the final, not yet erased articles among ids: the recipient's name,
// phone, address and position on the article; notes on its events (the
// events themselves stay, for tracking); its SMS (phone and body; a queued
// one fails); who received it, their ID's last digits and the door's
// position on its outcomes; its codes; the buyer's order of its ONDC
// transaction, but for the order's id.
func eraseArticles(ctx context.Context, r runner, ids []string, now time.Time) ([]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := placeholders(ids)
	rows, err := r.query(ctx, `SELECT id FROM articles WHERE id IN (`+in+`) AND erased_at IS NULL AND status IN `+finalStatuses, args...)
	if err != nil {
		return nil, classify("erase articles", err)
	}
	ids, err = scanStrings(rows)
	if err != nil || len(ids) == 0 {
		return nil, classify("erase articles", err)
	}
	in, args = placeholders(ids)
	steps := []struct {
		sql  string
		args []any
	}{
		{`UPDATE articles SET recipient_name = ?, recipient_phone = '', address = ?, lat = NULL, lon = NULL, digipin = '',
			erased_at = ? WHERE id IN (` + in + `)`, append([]any{Erased, Erased, ms(now)}, args...)},
		{`UPDATE article_events SET note = '' WHERE note <> '' AND article_id IN (` + in + `)`, args},
		{`UPDATE sms SET phone = '', body = '', sealed = NULL,
			status = CASE WHEN status = 'queued' THEN 'failed' ELSE status END,
			last_error = CASE WHEN status = 'queued' THEN 'erased: the article is final' ELSE last_error END,
			lease_owner = NULL, lease_until = NULL
			WHERE article_id IN (` + in + `)`, args},
		{`UPDATE deliveries SET received_by = '', evidence_last4 = '', lat = NULL, lon = NULL, accuracy_m = NULL
			WHERE article_id IN (` + in + `)`, args},
	}
	for _, s := range steps {
		if _, err := r.exec(ctx, s.sql, s.args...); err != nil {
			return nil, classify("erase articles", err)
		}
	}
	if err := eraseCodes(ctx, r, in, args); err != nil {
		return nil, err
	}
	if err := eraseONDCOrders(ctx, r, in, args); err != nil {
		return nil, err
	}
	if err := eraseManifestStops(ctx, r, in, args); err != nil {
		return nil, err
	}
	return ids, nil
}

// eraseCodes drops the articles' delivery codes, and each code group no
// other article shares any more.
func eraseCodes(ctx context.Context, r runner, in string, args []any) error {
	rows, err := r.query(ctx, `SELECT DISTINCT group_id FROM otp_articles WHERE article_id IN (`+in+`)`, args...)
	if err != nil {
		return classify("erase codes", err)
	}
	groups, err := scanStrings(rows)
	if err != nil || len(groups) == 0 {
		return classify("erase codes", err)
	}
	if _, err := r.exec(ctx, `DELETE FROM otp_articles WHERE article_id IN (`+in+`)`, args...); err != nil {
		return classify("erase codes", err)
	}
	gin, gargs := placeholders(groups)
	_, err = r.exec(ctx, `DELETE FROM otp_groups WHERE id IN (`+gin+`)
		AND NOT EXISTS (SELECT 1 FROM otp_articles o WHERE o.group_id = otp_groups.id)`, gargs...)
	return classify("erase codes", err)
}

// eraseManifestStops erases the recipient of each stop, in the stored
// manifests that carried the articles, whose every article is erased (a
// stop with an article still in progress keeps its recipient: a postman
// may still need it). The new body gets its own ETag, as every version
// does: a replica's cache of manifest bodies is keyed by it, so none serves
// the erased recipient again.
func eraseManifestStops(ctx context.Context, r runner, in string, args []any) error {
	rows, err := r.query(ctx, `SELECT id, body FROM manifests WHERE id IN
		(SELECT manifest_id FROM manifest_articles WHERE article_id IN (`+in+`))`, args...)
	if err != nil {
		return classify("erase manifest stops", err)
	}
	type stored struct{ id, body string }
	var list []stored
	for rows.Next() {
		var m stored
		if err := rows.Scan(&m.id, &m.body); err != nil {
			rows.Close()
			return classify("erase manifest stops", err)
		}
		list = append(list, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return classify("erase manifest stops", err)
	}
	for _, m := range list {
		var doc map[string]any
		if json.Unmarshal([]byte(m.body), &doc) != nil {
			continue
		}
		stops, _ := doc["stops"].([]any)
		var all []string
		for _, st := range stops {
			all = append(all, items(st)...)
		}
		if len(all) == 0 {
			continue
		}
		ain, aargs := placeholders(all)
		erows, err := r.query(ctx, `SELECT id FROM articles WHERE erased_at IS NOT NULL AND id IN (`+ain+`)`, aargs...)
		if err != nil {
			return classify("erase manifest stops", err)
		}
		erased, err := scanStrings(erows)
		if err != nil {
			return classify("erase manifest stops", err)
		}
		gone := map[string]bool{}
		for _, id := range erased {
			gone[id] = true
		}
		changed := false
		for _, st := range stops {
			stop, ok := st.(map[string]any)
			its := items(st)
			if !ok || len(its) == 0 || stop["phone"] == "" {
				continue
			}
			every := true
			for _, id := range its {
				every = every && gone[id]
			}
			if every {
				stop["recipient_name"], stop["address"], stop["phone"], stop["lat"], stop["lon"] = Erased, Erased, "", nil, nil
				delete(stop, "digipin")
				changed = true
			}
		}
		if !changed {
			continue
		}
		b, err := json.Marshal(doc)
		if err != nil {
			return fmt.Errorf("erase manifest stops: %w", err)
		}
		// The body changes, so its ETag does (phones and replicas' caches
		// drop the old one) and its gzip goes, made again on the next fetch.
		if _, err := r.exec(ctx, `UPDATE manifests SET body = ?, body_gzip = NULL, etag = ? WHERE id = ?`,
			string(b), manifest.ETagOf(b), m.id); err != nil {
			return classify("erase manifest stops", err)
		}
	}
	return nil
}

// items returns the article ids of a manifest stop as decoded JSON.
func items(stop any) []string {
	st, _ := stop.(map[string]any)
	list, _ := st["articles"].([]any)
	var out []string
	for _, it := range list {
		if m, ok := it.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				out = append(out, id)
			}
		}
	}
	return out
}

// eraseONDCOrders keeps of each buyer's order only its id, which the
// transaction's later answers name.
func eraseONDCOrders(ctx context.Context, r runner, in string, args []any) error {
	rows, err := r.query(ctx, `SELECT id, doc FROM ondc_orders WHERE article_id IN (`+in+`)`, args...)
	if err != nil {
		return classify("erase ondc orders", err)
	}
	type order struct{ id, doc string }
	var orders []order
	for rows.Next() {
		var o order
		if err := rows.Scan(&o.id, &o.doc); err != nil {
			rows.Close()
			return classify("erase ondc orders", err)
		}
		orders = append(orders, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return classify("erase ondc orders", err)
	}
	for _, o := range orders {
		var doc map[string]any
		kept := map[string]any{}
		if json.Unmarshal([]byte(o.doc), &doc) == nil {
			if id, ok := doc["id"]; ok {
				kept["id"] = id
			}
		}
		b, _ := json.Marshal(kept)
		if _, err := r.exec(ctx, `UPDATE ondc_orders SET doc = ?, auth = '' WHERE id = ?`, string(b), o.id); err != nil {
			return classify("erase ondc orders", err)
		}
	}
	return nil
}

// ClearOldMessages empties the bodies of at most limit partner messages
// delivered or dead before cutoff, and drops at most limit idempotent
// answers completed before cutoff (a phone or partner retries within
// minutes, not months, and an answer may name a recipient).
func (db *DB) ClearOldMessages(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	res, err := db.run().exec(ctx, `UPDATE outbox SET body = '' WHERE id IN (SELECT id FROM outbox
		WHERE state <> 'pending' AND done_at < ? AND body <> '' LIMIT ?)`, ms(cutoff), limit)
	if err != nil {
		return 0, classify("clear old messages", err)
	}
	a, _ := res.RowsAffected()
	res, err = db.run().exec(ctx, `DELETE FROM idempotency_keys WHERE (owner, idem_key) IN (SELECT owner, idem_key
		FROM idempotency_keys WHERE completed_at < ? LIMIT ?)`, ms(cutoff), limit)
	if err != nil {
		return 0, classify("clear old messages", err)
	}
	b, _ := res.RowsAffected()
	return int(max(a, b)), nil
}

// ExpireProofs marks at most limit proofs created before cutoff expired
// at now and returns their object keys.
func (db *DB) ExpireProofs(ctx context.Context, cutoff, now time.Time, limit int) ([]string, error) {
	var keys []string
	err := db.inTx(ctx, "expire proofs", func(r runner) error {
		rows, err := r.query(ctx, `SELECT object_key FROM proofs WHERE expired_at IS NULL AND created_at < ?
			ORDER BY created_at, id LIMIT ?`, ms(cutoff), limit)
		if err != nil {
			return classify("expire proofs", err)
		}
		if keys, err = scanStrings(rows); err != nil || len(keys) == 0 {
			return classify("expire proofs", err)
		}
		in, args := placeholders(keys)
		_, err = r.exec(ctx, `UPDATE proofs SET expired_at = ? WHERE object_key IN (`+in+`)`, append([]any{ms(now)}, args...)...)
		return classify("expire proofs", err)
	})
	return keys, err
}

// RecordAudit appends one entry to the audit log.
func (db *DB) RecordAudit(ctx context.Context, e privacy.Entry) error {
	return recordAudit(ctx, db.run(), e)
}

func recordAudit(ctx context.Context, r runner, e privacy.Entry) error {
	_, err := r.exec(ctx, `INSERT INTO audit_log (id, at, actor_id, actor_role, action, subject_type, subject, route, detail)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.ID, ms(e.At), e.ActorID, string(e.ActorRole), e.Action, e.SubjectType,
		e.Subject, e.Route, e.Detail)
	return classify("record audit", err)
}

// AuditLog returns a page of the audit log, newest first, with the
// actors' names.
func (db *DB) AuditLog(ctx context.Context, q privacy.AuditQuery) ([]privacy.Entry, error) {
	where, args := []string{"1 = 1"}, []any{}
	if q.Actor != "" {
		where, args = append(where, "l.actor_id = ?"), append(args, q.Actor)
	}
	if q.Subject != "" {
		where, args = append(where, "l.subject = ?"), append(args, q.Subject)
	}
	if !q.From.IsZero() {
		where, args = append(where, "l.at >= ?"), append(args, ms(q.From))
	}
	if !q.To.IsZero() {
		where, args = append(where, "l.at < ?"), append(args, ms(q.To))
	}
	if q.AfterID != "" {
		where, args = append(where, "(l.at < ? OR (l.at = ? AND l.id < ?))"), append(args, ms(q.AfterAt), ms(q.AfterAt), q.AfterID)
	}
	rows, err := db.run().query(ctx, `SELECT l.id, l.at, l.actor_id, COALESCE(u.name, ''), l.actor_role, l.action,
		l.subject_type, l.subject, l.route, l.detail FROM audit_log l LEFT JOIN users u ON u.id = l.actor_id
		WHERE `+strings.Join(where, " AND ")+` ORDER BY l.at DESC, l.id DESC LIMIT ?`, append(args, q.Limit)...)
	if err != nil {
		return nil, classify("audit log", err)
	}
	defer rows.Close()
	out := []privacy.Entry{}
	for rows.Next() {
		var e privacy.Entry
		var at int64
		var role string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &role, &e.Action, &e.SubjectType, &e.Subject,
			&e.Route, &e.Detail); err != nil {
			return nil, classify("audit log", err)
		}
		e.At, e.ActorRole = fromMS(at), postal.Role(role)
		out = append(out, e)
	}
	return out, classify("audit log", rows.Err())
}
