package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"dakiya/internal/article"
	"dakiya/internal/delivery"
	"dakiya/internal/postal"
)

// RecordOutcome writes one outcome in one transaction: the end of its
// assignment, the delivery row (one per article per assignment), its
// proofs, the code's consumption, the article's move and events, the
// partner's messages, the recipient's SMS and the idempotency key's
// answer. Without a partner, code or SMS that is six statements.
func (db *DB) RecordOutcome(ctx context.Context, r delivery.Record) error {
	return db.inTx(ctx, "record outcome", func(x runner) error {
		if err := endAssignment(ctx, x, r.Delivery.ArticleID, r.Delivery.AssignmentID, r.Delivery.CreatedAt); err != nil {
			return err
		}
		if err := insertDelivery(ctx, x, r.Delivery); err != nil {
			return err
		}
		if r.ConsumeOTP {
			if _, err := consumeOTP(ctx, x, r.Delivery.ArticleID, r.Delivery.CreatedAt); err != nil {
				return err
			}
		}
		if err := outcomeEvents(ctx, x, r); err != nil {
			return err
		}
		if r.SMS != nil {
			if _, err := insertSMS(ctx, x, *r.SMS); err != nil {
				return err
			}
		}
		return finishIdem(ctx, x, r.Completion, r.Delivery.CreatedAt)
	})
}

// outcomeEvents moves the article from r.From to its last event's status
// (custody was ended with the assignment), reading its partner in the same
// statement, and inserts the events in one statement that numbers them
// after the article's last; then what they owe a partner: its events'
// messages and, for a delivery that collected money, cod.collected after
// the delivered event.
func outcomeEvents(ctx context.Context, x runner, r delivery.Record) error {
	if len(r.Events) == 0 {
		return nil
	}
	id, last := r.Delivery.ArticleID, r.Events[len(r.Events)-1]
	var partnerID *string
	err := x.queryRow(ctx, "UPDATE articles SET status = ?, updated_at = ? WHERE id = ? AND status = ? RETURNING partner_id",
		string(last.Status), ms(last.At), id, string(r.From)).Scan(&partnerID)
	if errors.Is(err, sql.ErrNoRows) {
		return postal.Errorf(postal.CodeConflict, "the article changed meanwhile; reload and try again")
	}
	if err != nil {
		return classify("move article", err)
	}
	// The next seqs are read by the insert itself, a statement begun after
	// the move holds the article's row, so it sees every event committed
	// before (on PostgreSQL a statement that waited for the row keeps its
	// older snapshot; the insert is a new one).
	events := slices.Clone(r.Events)
	rows := make([]string, len(events))
	args := []any{id}
	for i, e := range events {
		rows[i] = "(" + strconv.Itoa(i+1) + ", ?, ?, CAST(? AS BIGINT), ?, ?, ?, ?)"
		args = append(args, string(e.Event), string(e.Status), ms(e.At), e.Place, e.ReasonCode, e.ActorID, e.Note)
	}
	res, err := x.query(ctx, `INSERT INTO article_events (article_id, seq, event, status, at, place, reason_code, actor_id, note)
		SELECT ?, b.n + v.column1, v.column2, v.column3, v.column4, v.column5, v.column6, v.column7, v.column8
		FROM (VALUES `+strings.Join(rows, ", ")+`) v
		CROSS JOIN (SELECT COALESCE(MAX(seq), 0) AS n FROM article_events WHERE article_id = ?) b
		RETURNING seq`, append(args, id)...)
	if err != nil {
		return classify("insert events", err)
	}
	first := 0
	for res.Next() {
		var seq int
		if err := res.Scan(&seq); err != nil {
			res.Close()
			return classify("insert events", err)
		}
		if first == 0 || seq < first {
			first = seq
		}
	}
	res.Close()
	if err := res.Err(); err != nil {
		return classify("insert events", err)
	}
	for i := range events {
		events[i].Seq = first + i
	}
	for _, e := range events {
		if err := countArrival(ctx, x, id, e); err != nil {
			return err
		}
		if err := emitPartnerEvent(ctx, x, partnerID, id, e); err != nil {
			return err
		}
		if e.Event == article.EventDelivered {
			if err := emitCODCollected(ctx, x, partnerID, r.Delivery, e); err != nil {
				return err
			}
		}
	}
	return nil
}

func insertDelivery(ctx context.Context, x runner, d delivery.Delivery) error {
	var lat, lon, acc, fixAt, openedAt any
	if d.Location != nil {
		lat, lon, acc = d.Location.Lat, d.Location.Lon, d.Location.AccuracyM
		if d.Location.FixAt != nil {
			fixAt = ms(*d.Location.FixAt)
		}
	}
	if d.OpenedAt != nil {
		openedAt = ms(*d.OpenedAt)
	}
	ev := delivery.Evidence{}
	if d.IDEvidence != nil {
		ev = *d.IDEvidence
	}
	cod := delivery.COD{}
	if d.COD != nil {
		cod = *d.COD
	}
	_, err := x.exec(ctx, `INSERT INTO deliveries (id, article_id, dc_id, postman_id, manifest_id, date, slot, outcome,
		reason_code, otp_given, evidence_type, evidence_last4, received_by, lat, lon, accuracy_m, captured_at, cod_mode,
		cod_paise, upi_ref, flags, review, created_at, assignment_id, article_status, fix_at, opened_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.ArticleID, d.DCID, d.PostmanID, d.ManifestID, d.Date, string(d.Slot), d.Outcome, d.ReasonCode,
		boolInt(d.OTPGiven), ev.Type, ev.Last4, ev.ReceivedBy, lat, lon, acc, ms(d.CapturedAt), cod.Mode, cod.AmountPaise,
		cod.UPIRef, strings.Join(d.Flags, ","), d.Review, ms(d.CreatedAt), d.AssignmentID, string(d.Status), fixAt, openedAt)
	if postal.IsCode(classify("", err), postal.CodeConflict) {
		return alreadyDone()
	}
	if err != nil {
		return classify("insert delivery", err)
	}
	if len(d.ProofIDs) == 0 {
		return nil
	}
	proofs := make([][]any, len(d.ProofIDs))
	for i, p := range d.ProofIDs {
		proofs[i] = []any{d.ID, p}
	}
	return insertRows(ctx, x, "delivery proofs", "INSERT INTO delivery_proofs (delivery_id, proof_id)", 2, proofs, "")
}

// AssignmentOutcome returns the outcome an assignment ended with.
func (db *DB) AssignmentOutcome(ctx context.Context, assignmentID string) (delivery.Summary, error) {
	var sum delivery.Summary
	var status, flags string
	err := db.run().queryRow(ctx, `SELECT d.id, d.outcome, CASE WHEN d.article_status = '' THEN a.status ELSE d.article_status END,
		d.flags FROM deliveries d JOIN articles a ON a.id = d.article_id WHERE d.assignment_id = ?`, assignmentID).
		Scan(&sum.ID, &sum.Outcome, &status, &flags)
	if errors.Is(err, sql.ErrNoRows) {
		return delivery.Summary{}, notFound("outcome")
	}
	sum.ArticleStatus, sum.Flags = article.Status(status), splitList(flags)
	return sum, classify("assignment outcome", err)
}

// FailedAttempts counts an article's failed attempts so far.
func (db *DB) FailedAttempts(ctx context.Context, articleID string) (int, error) {
	var n int
	err := db.run().queryRow(ctx, "SELECT COUNT(*) FROM deliveries WHERE article_id = ? AND outcome = 'failed'", articleID).Scan(&n)
	return n, classify("failed attempts", err)
}

const deliveryColumns = `d.id, d.article_id, d.dc_id, d.postman_id, d.manifest_id, d.date, d.slot, d.outcome, d.reason_code,
	d.otp_given, d.evidence_type, d.evidence_last4, d.received_by, d.lat, d.lon, d.accuracy_m, d.captured_at, d.cod_mode,
	d.cod_paise, d.upi_ref, d.flags, d.review, d.created_at, a.status, d.fix_at, d.opened_at`

func scanDelivery(row interface{ Scan(...any) error }) (delivery.Delivery, error) {
	var d delivery.Delivery
	var sl, flags, status string
	var otpGiven int
	var ev delivery.Evidence
	var cod delivery.COD
	var lat, lon, acc sql.NullFloat64
	var captured, created int64
	var fixAt, openedAt sql.NullInt64
	err := row.Scan(&d.ID, &d.ArticleID, &d.DCID, &d.PostmanID, &d.ManifestID, &d.Date, &sl, &d.Outcome, &d.ReasonCode,
		&otpGiven, &ev.Type, &ev.Last4, &ev.ReceivedBy, &lat, &lon, &acc, &captured, &cod.Mode, &cod.AmountPaise,
		&cod.UPIRef, &flags, &d.Review, &created, &status, &fixAt, &openedAt)
	if err != nil {
		return d, err
	}
	d.Slot, d.OTPGiven, d.Status = postal.Slot(sl), otpGiven != 0, article.Status(status)
	d.CapturedAt, d.CreatedAt, d.Flags, d.OpenedAt = fromMS(captured), fromMS(created), splitList(flags), nullMS(openedAt)
	if ev.Type != "" {
		d.IDEvidence = &ev
	}
	if cod.Mode != "" {
		d.COD = &cod
	}
	if lat.Valid && lon.Valid {
		d.Location = &delivery.Location{Lat: lat.Float64, Lon: lon.Float64, AccuracyM: acc.Float64, FixAt: nullMS(fixAt)}
	}
	return d, nil
}

// Delivery returns one outcome with its proofs and reviews.
func (db *DB) Delivery(ctx context.Context, id string) (delivery.Delivery, error) {
	d, err := scanDelivery(db.run().queryRow(ctx, "SELECT "+deliveryColumns+
		" FROM deliveries d JOIN articles a ON a.id = d.article_id WHERE d.id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return delivery.Delivery{}, notFound("delivery")
	}
	if err != nil {
		return delivery.Delivery{}, classify("delivery", err)
	}
	return d, db.deliveryDetails(ctx, &d)
}

// Deliveries lists a centre's outcomes for a day and slot, flagged first.
func (db *DB) Deliveries(ctx context.Context, f delivery.Filter) ([]delivery.Delivery, error) {
	where, args := []string{"d.dc_id = ?"}, []any{f.DCID}
	if f.Date != "" {
		where, args = append(where, "d.date = ?"), append(args, f.Date)
	}
	if f.Slot != "" {
		where, args = append(where, "d.slot = ?"), append(args, string(f.Slot))
	}
	const unflagged = "CASE WHEN d.flags = '' THEN 1 ELSE 0 END"
	order := unflagged + ", d.created_at, d.id"
	if f.ArticleID != "" {
		where, args, order = append(where, "d.article_id = ?"), append(args, f.ArticleID), "d.created_at, d.id"
	}
	if f.Flagged != nil && *f.Flagged {
		where = append(where, "d.flags <> ''")
	} else if f.Flagged != nil {
		where = append(where, "d.flags = ''")
	}
	if f.Review != "" {
		where, args = append(where, "d.review = ?"), append(args, f.Review)
	}
	if c := f.After; c != nil {
		bucket := 1
		if c.Flagged {
			bucket = 0
		}
		where = append(where, "("+unflagged+" > ? OR ("+unflagged+" = ? AND (d.created_at > ? OR (d.created_at = ? AND d.id > ?))))")
		args = append(args, bucket, bucket, ms(c.CreatedAt), ms(c.CreatedAt), c.ID)
	}
	limit := f.Limit
	if limit <= 0 || limit > delivery.MaxPage {
		limit = delivery.MaxPage
	}
	rows, err := db.run().query(ctx, "SELECT "+deliveryColumns+" FROM deliveries d JOIN articles a ON a.id = d.article_id WHERE "+
		strings.Join(where, " AND ")+" ORDER BY "+order+" LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, classify("deliveries", err)
	}
	out := []delivery.Delivery{}
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			rows.Close()
			return nil, classify("deliveries", err)
		}
		out = append(out, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, classify("deliveries", err)
	}
	return out, db.deliveriesDetails(ctx, out)
}

// deliveriesDetails loads the proof ids and reviews of a list of
// deliveries in two reads per thousand, whatever the list's length.
func (db *DB) deliveriesDetails(ctx context.Context, list []delivery.Delivery) error {
	at := make(map[string]int, len(list))
	ids := make([]string, len(list))
	for i := range list {
		list[i].ProofIDs, list[i].Reviews = []string{}, []delivery.Review{}
		at[list[i].ID], ids[i] = i, list[i].ID
	}
	return inChunks(ids, func(chunk []string) error {
		rows, err := db.run().query(ctx, "SELECT delivery_id, proof_id FROM delivery_proofs WHERE delivery_id IN ("+
			marks(len(chunk))+") ORDER BY delivery_id, proof_id", anys(chunk)...)
		if err != nil {
			return classify("delivery proofs", err)
		}
		for rows.Next() {
			var d, p string
			if err := rows.Scan(&d, &p); err != nil {
				rows.Close()
				return classify("delivery proofs", err)
			}
			list[at[d]].ProofIDs = append(list[at[d]].ProofIDs, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return classify("delivery proofs", err)
		}
		rows, err = db.run().query(ctx, "SELECT delivery_id, id, reviewer_id, decision, note, at FROM reviews WHERE delivery_id IN ("+
			marks(len(chunk))+") ORDER BY delivery_id, at, id", anys(chunk)...)
		if err != nil {
			return classify("reviews", err)
		}
		defer rows.Close()
		for rows.Next() {
			var d string
			var r delivery.Review
			var ms int64
			if err := rows.Scan(&d, &r.ID, &r.ReviewerID, &r.Decision, &r.Note, &ms); err != nil {
				return classify("reviews", err)
			}
			r.At = fromMS(ms)
			list[at[d]].Reviews = append(list[at[d]].Reviews, r)
		}
		return classify("reviews", rows.Err())
	})
}

// deliveryDetails loads a delivery's proof ids and reviews.
func (db *DB) deliveryDetails(ctx context.Context, d *delivery.Delivery) error {
	d.ProofIDs, d.Reviews = []string{}, []delivery.Review{}
	rows, err := db.run().query(ctx, "SELECT proof_id FROM delivery_proofs WHERE delivery_id = ? ORDER BY proof_id", d.ID)
	if err != nil {
		return classify("delivery proofs", err)
	}
	for rows.Next() {
		var p string
		if err := rows.Scan(&p); err != nil {
			rows.Close()
			return classify("delivery proofs", err)
		}
		d.ProofIDs = append(d.ProofIDs, p)
	}
	rows.Close()
	rows, err = db.run().query(ctx, "SELECT id, reviewer_id, decision, note, at FROM reviews WHERE delivery_id = ? ORDER BY at, id", d.ID)
	if err != nil {
		return classify("reviews", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r delivery.Review
		var at int64
		if err := rows.Scan(&r.ID, &r.ReviewerID, &r.Decision, &r.Note, &at); err != nil {
			return classify("reviews", err)
		}
		r.At = fromMS(at)
		d.Reviews = append(d.Reviews, r)
	}
	return classify("reviews", rows.Err())
}

// AddReview keeps a supervisor's decision and makes it the delivery's
// current one.
func (db *DB) AddReview(ctx context.Context, deliveryID string, r delivery.Review) error {
	return db.inTx(ctx, "add review", func(x runner) error {
		if _, err := x.exec(ctx, "INSERT INTO reviews (id, delivery_id, reviewer_id, decision, note, at) VALUES (?, ?, ?, ?, ?, ?)",
			r.ID, deliveryID, r.ReviewerID, r.Decision, r.Note, ms(r.At)); err != nil {
			return classify("insert review", err)
		}
		_, err := x.exec(ctx, "UPDATE deliveries SET review = ? WHERE id = ?", r.Decision, deliveryID)
		return classify("review delivery", err)
	})
}
