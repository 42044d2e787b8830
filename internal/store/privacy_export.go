package store

import (
	"context"
	"database/sql"

	"dakiya/internal/privacy"
)

// HeldAbout gathers everything held about phone (normalised): the
// articles addressed to it with their events, outcomes, proofs and codes,
// and the SMS sent to it.
func (db *DB) HeldAbout(ctx context.Context, phone string) (privacy.Export, error) {
	x := privacy.Export{Articles: []privacy.HeldArticle{}, Messages: []privacy.HeldMessage{}}
	r := db.run()
	rows, err := r.query(ctx, `SELECT id, dc_id, service, recipient_name, address, pin, digipin, lat, lon, status,
		COALESCE(booking_id, ''), created_at, updated_at FROM articles WHERE recipient_phone = ? ORDER BY created_at, id`, phone)
	if err != nil {
		return x, classify("held about", err)
	}
	for rows.Next() {
		var a privacy.HeldArticle
		var lat, lon sql.NullFloat64
		var created, updated int64
		if err := rows.Scan(&a.ID, &a.DCID, &a.Service, &a.RecipientName, &a.Address, &a.PIN, &a.DIGIPIN, &lat, &lon,
			&a.Status, &a.BookingID, &created, &updated); err != nil {
			rows.Close()
			return x, classify("held about", err)
		}
		a.Lat, a.Lon, a.CreatedAt, a.UpdatedAt = nullFloat(lat), nullFloat(lon), fromMS(created), fromMS(updated)
		x.Articles = append(x.Articles, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return x, classify("held about", err)
	}
	for i := range x.Articles {
		if err := db.heldOnArticle(ctx, &x.Articles[i]); err != nil {
			return x, err
		}
	}
	rows, err = r.query(ctx, `SELECT id, kind, COALESCE(article_id, ''), body, status, created_at, sent_at
		FROM sms WHERE phone = ? ORDER BY created_at, id`, phone)
	if err != nil {
		return x, classify("held about", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m privacy.HeldMessage
		var created int64
		var sent sql.NullInt64
		if err := rows.Scan(&m.ID, &m.Kind, &m.ArticleID, &m.Body, &m.Status, &created, &sent); err != nil {
			return x, classify("held about", err)
		}
		m.CreatedAt, m.SentAt = fromMS(created), nullMS(sent)
		x.Messages = append(x.Messages, m)
	}
	return x, classify("held about", rows.Err())
}

func nullFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// heldOnArticle fills in an article's events, outcomes, proofs and codes.
func (db *DB) heldOnArticle(ctx context.Context, a *privacy.HeldArticle) error {
	r := db.run()
	a.Events, a.Deliveries, a.Proofs = []privacy.HeldEvent{}, []privacy.HeldDelivery{}, []privacy.HeldProof{}
	rows, err := r.query(ctx, `SELECT seq, event, status, at, place, reason_code, note FROM article_events
		WHERE article_id = ? ORDER BY seq`, a.ID)
	if err != nil {
		return classify("held about: events", err)
	}
	for rows.Next() {
		var e privacy.HeldEvent
		var at int64
		if err := rows.Scan(&e.Seq, &e.Event, &e.Status, &at, &e.Place, &e.ReasonCode, &e.Note); err != nil {
			rows.Close()
			return classify("held about: events", err)
		}
		e.At = fromMS(at)
		a.Events = append(a.Events, e)
	}
	rows.Close()
	rows, err = r.query(ctx, `SELECT id, outcome, reason_code, received_by, evidence_type, evidence_last4, lat, lon, captured_at
		FROM deliveries WHERE article_id = ? ORDER BY created_at, id`, a.ID)
	if err != nil {
		return classify("held about: deliveries", err)
	}
	for rows.Next() {
		var d privacy.HeldDelivery
		var lat, lon sql.NullFloat64
		var captured int64
		if err := rows.Scan(&d.ID, &d.Outcome, &d.ReasonCode, &d.ReceivedBy, &d.EvidenceType, &d.EvidenceLast4,
			&lat, &lon, &captured); err != nil {
			rows.Close()
			return classify("held about: deliveries", err)
		}
		d.Lat, d.Lon, d.CapturedAt = nullFloat(lat), nullFloat(lon), fromMS(captured)
		a.Deliveries = append(a.Deliveries, d)
	}
	rows.Close()
	rows, err = r.query(ctx, `SELECT id, kind, size, sha256, created_at, expired_at FROM proofs
		WHERE article_id = ? ORDER BY created_at, id`, a.ID)
	if err != nil {
		return classify("held about: proofs", err)
	}
	for rows.Next() {
		var p privacy.HeldProof
		var created int64
		var expired sql.NullInt64
		if err := rows.Scan(&p.ID, &p.Kind, &p.Size, &p.SHA256, &created, &expired); err != nil {
			rows.Close()
			return classify("held about: proofs", err)
		}
		p.CreatedAt, p.ExpiredAt = fromMS(created), nullMS(expired)
		a.Proofs = append(a.Proofs, p)
	}
	rows.Close()
	var used sql.NullInt64
	err = r.queryRow(ctx, `SELECT (SELECT COUNT(*) FROM sms WHERE article_id = ? AND kind = 'otp'),
		(SELECT MAX(consumed_at) FROM otp_articles WHERE article_id = ?)`, a.ID, a.ID).Scan(&a.OTPSends, &used)
	a.OTPUsedAt = nullMS(used)
	return classify("held about: codes", err)
}
