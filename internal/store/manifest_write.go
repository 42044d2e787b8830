package store

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// SaveDraft inserts a draft, or replaces the draft it is the next version
// of; a manifest dispatched or rebuilt meanwhile is a conflict.
func (db *DB) SaveDraft(ctx context.Context, r manifest.Record) error {
	return db.inTx(ctx, "save draft", func(x runner) error {
		if r.Version == 1 {
			if err := insertManifest(ctx, x, r); err != nil {
				return err
			}
		} else if err := updateManifest(ctx, x, r, manifest.StatusDraft); err != nil {
			return err
		}
		return replaceManifestArticles(ctx, x, r)
	})
}

func insertManifest(ctx context.Context, x runner, r manifest.Record) error {
	_, err := x.exec(ctx, `INSERT INTO manifests (`+manifestColumns+`, body, etag, created_at, updated_at, window_start, window_end)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.DCID, r.BeatID, r.PostmanID, r.Date, string(r.Slot), r.Version, r.Status, r.DistanceM,
		r.Summary.Stops, r.Summary.Articles, r.Booked, r.Capacity, string(r.Body), r.ETag, ms(r.At), ms(r.At),
		ms(r.Window.Start), ms(r.Window.End))
	if postal.IsCode(classify("", err), postal.CodeConflict) {
		return postal.Errorf(postal.CodeConflict, "another build made this manifest meanwhile; build again")
	}
	return classify("insert manifest", err)
}

// updateManifest replaces version r.Version-1 of a manifest in status from.
func updateManifest(ctx context.Context, x runner, r manifest.Record, from string) error {
	res, err := x.exec(ctx, `UPDATE manifests SET version = ?, status = ?, distance_m = ?, stops = ?, articles = ?,
		booked = ?, body = ?, etag = ?, updated_at = ? WHERE id = ? AND version = ? AND status = ?`,
		r.Version, r.Status, r.DistanceM, r.Summary.Stops, r.Summary.Articles, r.Booked, string(r.Body), r.ETag,
		ms(r.At), r.ID, r.Version-1, from)
	if err != nil {
		return classify("update manifest", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeConflict, "the manifest changed meanwhile; reload and try again")
	}
	return nil
}

func replaceManifestArticles(ctx context.Context, x runner, r manifest.Record) error {
	if _, err := x.exec(ctx, "DELETE FROM manifest_articles WHERE manifest_id = ?", r.ID); err != nil {
		return classify("clear manifest articles", err)
	}
	for i, id := range r.Articles {
		if _, err := x.exec(ctx, "INSERT INTO manifest_articles (manifest_id, article_id, stop_seq) VALUES (?, ?, ?)",
			r.ID, id, r.StopSeqs[i]); err != nil {
			return classify("manifest article", err)
		}
	}
	return nil
}

// Dispatch marks a draft dispatched and sends its articles out, each still
// scheduled for the manifest's slot, in one transaction.
func (db *DB) Dispatch(ctx context.Context, r manifest.Record, ev article.Event, codes []otp.Issued) error {
	return db.inTx(ctx, "dispatch", func(x runner) error {
		res, err := x.exec(ctx, `UPDATE manifests SET status = ?, body = ?, etag = ?, dispatched_at = ?, updated_at = ?
			WHERE id = ? AND status = ?`, r.Status, string(r.Body), r.ETag, ms(ev.At), ms(ev.At), r.ID, manifest.StatusDraft)
		if err != nil {
			return classify("dispatch", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return postal.Errorf(postal.CodeConflict, "the manifest changed meanwhile; reload and try again")
		}
		for _, id := range r.Articles {
			if err := sendOut(ctx, x, id, r, ev); err != nil {
				return err
			}
		}
		return storeCodes(ctx, x, codes, ev.At)
	})
}

// storeCodes stores new recipient codes and queues their SMS, one per
// code.
func storeCodes(ctx context.Context, x runner, codes []otp.Issued, at time.Time) error {
	for _, c := range codes {
		if err := insertOTP(ctx, x, c, at); err != nil {
			return err
		}
		if _, err := insertSMS(ctx, x, c.SMS); err != nil {
			return err
		}
	}
	return nil
}

// sendOut moves one article out for delivery, into the custody of the
// manifest's postman, if it is still scheduled for the manifest's slot.
func sendOut(ctx context.Context, x runner, id string, r manifest.Record, ev article.Event) error {
	var n, moved int
	// An article off its own beat is in place when the slot's chosen beat
	// plan puts it on this manifest's beat.
	if err := x.queryRow(ctx, `SELECT COUNT(*), COUNT(CASE WHEN COALESCE(a.beat_id, '') <> ? AND NOT EXISTS (
			SELECT 1 FROM beat_plan_choices c JOIN beat_plan_articles pa ON pa.plan_id = c.plan_id
			WHERE c.dc_id = a.dc_id AND c.date = a.sched_date AND c.slot = a.sched_slot AND pa.article_id = a.id AND pa.beat_id = ?)
		THEN 1 END) FROM articles a
		WHERE a.id = ? AND a.status = ? AND a.sched_date = ? AND a.sched_slot = ?`,
		r.BeatID, r.BeatID, id, string(article.StatusScheduled), r.Date, string(r.Slot)).Scan(&n, &moved); err != nil {
		return classify("dispatch: check", err)
	}
	if n != 1 {
		return postal.Errorf(postal.CodeConflict, "article %s was rescheduled or changed since the build; rebuild the manifest", id)
	}
	if moved != 0 {
		return postal.Errorf(postal.CodeConflict, "article %s was moved to another beat since the build; rebuild the manifest", id)
	}
	ev.Note = "manifest " + r.ID
	if err := appendEvent(ctx, x, id, article.StatusScheduled, ev, nil); err != nil {
		return err
	}
	return startCustody(ctx, x, id, r, ev.At)
}

// Amend replaces a dispatched manifest's content, sends the added articles
// out into the postman's custody (moving their booked load to the
// manifest's slot) and brings the removed ones out of it, back to the
// counter, in one transaction.
func (db *DB) Amend(ctx context.Context, r manifest.Record, added, removed []string, out, held article.Event, codes []otp.Issued) error {
	return db.inTx(ctx, "amend", func(x runner) error {
		if err := updateManifest(ctx, x, r, manifest.StatusDispatched); err != nil {
			return err
		}
		for _, id := range removed {
			if err := endCustody(ctx, x, id, endedByAmended, held.At); err != nil {
				return err
			}
			if err := appendEvent(ctx, x, id, article.StatusOutForDelivery, held, nil); err != nil {
				return err
			}
		}
		for _, id := range added {
			if err := moveLoad(ctx, x, id, r); err != nil {
				return err
			}
			if err := appendEvent(ctx, x, id, article.StatusScheduled, out, &article.Schedule{Date: r.Date, Slot: r.Slot}); err != nil {
				return err
			}
			if err := startCustody(ctx, x, id, r, out.At); err != nil {
				return err
			}
		}
		if err := storeCodes(ctx, x, codes, r.At); err != nil {
			return err
		}
		return replaceManifestArticles(ctx, x, r)
	})
}

// moveLoad moves an article's booked load from its old slot to the
// manifest's, without a capacity check: an amendment is a supervisor's
// decision.
func moveLoad(ctx context.Context, x runner, id string, r manifest.Record) error {
	a, err := scanArticle(x.queryRow(ctx, "SELECT "+articleColumns+" FROM articles WHERE id = ?", id))
	if err != nil {
		return classify("amend: article", err)
	}
	if a.BeatID == "" || a.Schedule == nil {
		return nil
	}
	load := slot.Load(a.Service)
	if _, err := x.exec(ctx, `UPDATE slot_loads SET booked = booked - ? WHERE dc_id = ? AND beat_id = ? AND date = ? AND slot = ?`,
		load, a.DCID, a.BeatID, a.Schedule.Date, string(a.Schedule.Slot)); err != nil {
		return classify("amend: free load", err)
	}
	if _, err := x.exec(ctx, `INSERT INTO slot_loads (dc_id, beat_id, date, slot, booked) VALUES (?, ?, ?, ?, 0)
		ON CONFLICT DO NOTHING`, a.DCID, a.BeatID, r.Date, string(r.Slot)); err != nil {
		return classify("amend: load row", err)
	}
	_, err = x.exec(ctx, `UPDATE slot_loads SET booked = booked + ? WHERE dc_id = ? AND beat_id = ? AND date = ? AND slot = ?`,
		load, a.DCID, a.BeatID, r.Date, string(r.Slot))
	return classify("amend: book load", err)
}
