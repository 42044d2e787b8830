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
	var hr holdingRow
	err := db.run().queryRow(ctx, "SELECT "+holdingColumns+" "+holdingFrom+" WHERE a.id = ?", articleID).Scan(hr.dest()...)
	if errors.Is(err, sql.ErrNoRows) {
		return otp.Holding{}, notFound("article")
	}
	if err != nil {
		return otp.Holding{}, classify("holding", err)
	}
	return hr.holding(), nil
}

// holdingColumns and holdingFrom read an article's custody (articles a,
// dcs d, custody c, manifests m) for a holdingRow.
const (
	holdingColumns = `a.id, a.dc_id, d.name, d.tz, a.status, a.service, a.recipient_phone,
		c.assignment_id, c.postman_id, c.since, c.ended_at, c.ended_by,
		m.id, m.window_start, m.window_end, m.date, m.slot`
	holdingFrom = `FROM articles a JOIN dcs d ON d.id = a.dc_id
		LEFT JOIN custody c ON c.article_id = a.id
		LEFT JOIN manifests m ON m.id = c.manifest_id`
)

// holdingRow is holdingColumns as scanned.
type holdingRow struct {
	h                                                  otp.Holding
	status, service, tz                                string
	assignment, postman, manifestID, date, sl, endedBy sql.NullString
	since, ended, start, end                           sql.NullInt64
}

func (r *holdingRow) dest() []any {
	return []any{&r.h.ArticleID, &r.h.DCID, &r.h.DCName, &r.tz, &r.status, &r.service, &r.h.Phone, &r.assignment, &r.postman,
		&r.since, &r.ended, &r.endedBy, &r.manifestID, &r.start, &r.end, &r.date, &r.sl}
}

func (r *holdingRow) holding() otp.Holding {
	h := r.h
	h.Service = postal.Service(r.service)
	if !r.assignment.Valid {
		return h
	}
	h.Out = !r.ended.Valid && r.status == string(article.StatusOutForDelivery)
	h.Done = r.ended.Valid && r.endedBy.String == endedByOutcome
	if h.Out || h.Done {
		h.PostmanID = r.postman.String
	}
	if r.ended.Valid && !h.Done {
		h.Taken = postal.Taken{From: r.postman.String, Reason: takenWhy(r.endedBy.String), At: fromMS(r.ended.Int64), TimeZone: r.tz}
	}
	h.AssignmentID, h.Since = r.assignment.String, fromMS(r.since.Int64)
	h.ManifestID, h.Date, h.Slot = r.manifestID.String, r.date.String, postal.Slot(r.sl.String)
	h.Window = [2]time.Time{fromMS(r.start.Int64), fromMS(r.end.Int64)}
	return h
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
