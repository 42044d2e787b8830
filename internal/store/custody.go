package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// How a custody period ends.
const (
	endedByOutcome = "outcome" // the postman recorded its outcome
	endedByAmended = "amended" // a supervisor took it off the manifest
	endedByHeld    = "held"    // brought back to the counter
	endedByMoved   = "moved"   // any other move out of out_for_delivery
)

// Holding says who holds an article: its custody row, the manifest of that
// custody and its window. Nothing but dispatch, an amendment, the counter
// and the outcome moves custody, so a resend or a manifest's new version
// never changes the answer.
func (db *DB) Holding(ctx context.Context, articleID string) (otp.Holding, error) {
	var h otp.Holding
	var status, service, tz string
	var assignment, postman, manifestID, date, sl, endedBy sql.NullString
	var since, ended, start, end sql.NullInt64
	err := db.run().queryRow(ctx, `SELECT a.id, a.dc_id, d.name, d.tz, a.status, a.service, a.recipient_phone,
			c.assignment_id, c.postman_id, c.since, c.ended_at, c.ended_by,
			m.id, m.window_start, m.window_end, m.date, m.slot
		FROM articles a JOIN dcs d ON d.id = a.dc_id
		LEFT JOIN custody c ON c.article_id = a.id
		LEFT JOIN manifests m ON m.id = c.manifest_id
		WHERE a.id = ?`, articleID).
		Scan(&h.ArticleID, &h.DCID, &h.DCName, &tz, &status, &service, &h.Phone, &assignment, &postman, &since, &ended, &endedBy,
			&manifestID, &start, &end, &date, &sl)
	if errors.Is(err, sql.ErrNoRows) {
		return otp.Holding{}, notFound("article")
	}
	if err != nil {
		return otp.Holding{}, classify("holding", err)
	}
	h.Service = postal.Service(service)
	if !assignment.Valid {
		return h, nil
	}
	h.Out = !ended.Valid && status == string(article.StatusOutForDelivery)
	h.Done = ended.Valid && endedBy.String == endedByOutcome
	if h.Out || h.Done {
		h.PostmanID = postman.String
	}
	if ended.Valid && !h.Done {
		h.Taken = postal.Taken{From: postman.String, Reason: takenWhy(endedBy.String), At: fromMS(ended.Int64), TimeZone: tz}
	}
	h.AssignmentID, h.Since = assignment.String, fromMS(since.Int64)
	h.ManifestID, h.Date, h.Slot = manifestID.String, date.String, postal.Slot(sl.String)
	h.Window = [2]time.Time{fromMS(start.Int64), fromMS(end.Int64)}
	return h, nil
}

// endCustody ends an article's current custody, if it has one, inside a
// caller's transaction.
func endCustody(ctx context.Context, x runner, articleID, by string, at time.Time) error {
	_, err := x.exec(ctx, "UPDATE custody SET ended_at = ?, ended_by = ? WHERE article_id = ? AND ended_at IS NULL",
		ms(at), by, articleID)
	if err != nil {
		return classify("end custody", err)
	}
	return endHistory(ctx, x, "article_id", articleID, by, at)
}

// endHistory closes the open period of custody_history that column names
// (an article's or an assignment's), as custody's row is closed.
func endHistory(ctx context.Context, x runner, column, value, by string, at time.Time) error {
	_, err := x.exec(ctx, "UPDATE custody_history SET ended_at = ?, ended_by = ? WHERE "+column+" = ? AND ended_at IS NULL",
		ms(at), by, value)
	return classify("end custody: history", err)
}

// endedBy names how an event that takes an article out of
// out_for_delivery ends its custody.
func endedBy(e article.EventName) string {
	switch e {
	case article.EventDelivered, article.EventDeliveryAttempted:
		return endedByOutcome
	case article.EventHeldAtCounter:
		return endedByHeld
	}
	return endedByMoved
}

// takenWhy names, for the postman it was taken from, how a custody ended
// other than by its outcome.
func takenWhy(endedBy string) string {
	switch endedBy {
	case endedByAmended:
		return postal.TakenRemoved
	case endedByHeld:
		return postal.TakenHeld
	}
	return postal.TakenMoved
}

// endAssignment ends one assignment with its outcome, inside the outcome's
// transaction. When the assignment is no longer current it says why: it
// already has its outcome (CodeAlreadyDone), or the article was moved to
// someone else or back to the counter (CodeNotFound).
func endAssignment(ctx context.Context, x runner, articleID, assignmentID string, at time.Time) error {
	res, err := x.exec(ctx, `UPDATE custody SET ended_at = ?, ended_by = ?
		WHERE article_id = ? AND assignment_id = ? AND ended_at IS NULL`, ms(at), endedByOutcome, articleID, assignmentID)
	if err != nil {
		return classify("end assignment", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return classify("end assignment", err)
	} else if n == 1 {
		return endHistory(ctx, x, "assignment_id", assignmentID, endedByOutcome, at)
	}
	var done int
	if err := x.queryRow(ctx, "SELECT COUNT(*) FROM deliveries WHERE assignment_id = ?", assignmentID).Scan(&done); err != nil {
		return classify("assignment outcome", err)
	}
	if done > 0 {
		return alreadyDone()
	}
	return notFound("article")
}

func alreadyDone() error {
	return postal.Errorf(postal.CodeAlreadyDone, "this article already has its outcome")
}

// Reissue stores a resent code and the manifest version that carries its
// new check value in one transaction, if the article is still in the
// custody named by assignment. Custody is not touched: a resend never
// changes who holds an article. Locks are taken in the order dispatch and
// amendments take them (the manifest, then custody, then the code), so a
// resend beside an amendment waits rather than deadlocks.
func (db *DB) Reissue(ctx context.Context, r manifest.Record, assignment string, from uint64, next otp.Issued) error {
	return db.inTx(ctx, "reissue", func(x runner) error {
		if err := updateManifest(ctx, x, r, manifest.StatusDispatched); err != nil {
			return err
		}
		if err := holdCustody(ctx, x, next.State.ArticleID, assignment); err != nil {
			return err
		}
		return reissueOTP(ctx, x, from, next)
	})
}

// holdCustody checks, inside a caller's transaction, that an article is
// still in the custody named by assignment. It is a write, not a read: on
// PostgreSQL it locks the custody row until commit, so a move that is
// ending it either committed first (and this matches nothing) or waits.
func holdCustody(ctx context.Context, x runner, articleID, assignment string) error {
	res, err := x.exec(ctx, "UPDATE custody SET since = since WHERE article_id = ? AND assignment_id = ? AND ended_at IS NULL",
		articleID, assignment)
	if err != nil {
		return classify("custody", err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return classify("custody", err)
	} else if n != 1 {
		return notFound("article")
	}
	return nil
}

// Assignments returns an article's custody periods, oldest first, with the
// postman's name and the manifest's beat, date and slot.
func (db *DB) Assignments(ctx context.Context, articleID string) ([]article.Assignment, error) {
	rows, err := db.run().query(ctx, `SELECT h.assignment_id, h.manifest_id, h.postman_id, COALESCE(u.name, ''),
			COALESCE(m.beat_id, ''), COALESCE(m.date, ''), COALESCE(m.slot, ''), h.since, h.ended_at, h.ended_by
		FROM custody_history h LEFT JOIN users u ON u.id = h.postman_id LEFT JOIN manifests m ON m.id = h.manifest_id
		WHERE h.article_id = ? ORDER BY h.since, h.assignment_id`, articleID)
	if err != nil {
		return nil, classify("assignments", err)
	}
	defer rows.Close()
	out := []article.Assignment{}
	for rows.Next() {
		var a article.Assignment
		var sl string
		var since int64
		var ended sql.NullInt64
		if err := rows.Scan(&a.ID, &a.ManifestID, &a.PostmanID, &a.PostmanName, &a.BeatID, &a.Date, &sl,
			&since, &ended, &a.EndedBy); err != nil {
			return nil, classify("assignments", err)
		}
		a.Slot, a.Since, a.EndedAt = postal.Slot(sl), fromMS(since), nullMS(ended)
		out = append(out, a)
	}
	return out, classify("assignments", rows.Err())
}
