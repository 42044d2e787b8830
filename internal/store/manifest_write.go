package store

import (
	"context"

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
	_, err := x.exec(ctx, `INSERT INTO manifests (`+manifestColumns+`, body, body_gzip, etag, created_at, updated_at, window_start, window_end)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.ID, r.DCID, r.BeatID, r.PostmanID, r.Date, string(r.Slot), r.Version, r.Status, r.DistanceM,
		r.Summary.Stops, r.Summary.Articles, r.Booked, r.Capacity, string(r.Body), blob(r.Gzip), r.ETag, ms(r.At), ms(r.At),
		ms(r.Window.Start), ms(r.Window.End))
	if postal.IsCode(classify("", err), postal.CodeConflict) {
		return postal.Errorf(postal.CodeConflict, "another build made this manifest meanwhile; build again")
	}
	return classify("insert manifest", err)
}

// updateManifest replaces version r.Version-1 of a manifest in status from.
func updateManifest(ctx context.Context, x runner, r manifest.Record, from string) error {
	res, err := x.exec(ctx, `UPDATE manifests SET version = ?, status = ?, distance_m = ?, stops = ?, articles = ?,
		booked = ?, body = ?, body_gzip = ?, etag = ?, updated_at = ? WHERE id = ? AND version = ? AND status = ?`,
		r.Version, r.Status, r.DistanceM, r.Summary.Stops, r.Summary.Articles, r.Booked, string(r.Body), blob(r.Gzip), r.ETag,
		ms(r.At), r.ID, r.Version-1, from)
	if err != nil {
		return classify("update manifest", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeConflict, "the manifest changed meanwhile; reload and try again")
	}
	return nil
}

// blob is b for a BLOB or BYTEA column, NULL when empty.
func blob(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}

func replaceManifestArticles(ctx context.Context, x runner, r manifest.Record) error {
	if _, err := x.exec(ctx, "DELETE FROM manifest_articles WHERE manifest_id = ?", r.ID); err != nil {
		return classify("clear manifest articles", err)
	}
	rows := make([][]any, len(r.Articles))
	for i, id := range r.Articles {
		rows[i] = []any{r.ID, id, r.StopSeqs[i]}
	}
	return insertRows(ctx, x, "manifest article", "INSERT INTO manifest_articles (manifest_id, article_id, stop_seq)", 3, rows, "")
}

// Dispatch marks a draft dispatched and sends its articles out, each still
// scheduled for the manifest's slot, in one transaction; the statements
// it takes do not grow with the manifest (but for partner-booked
// articles' messages).
func (db *DB) Dispatch(ctx context.Context, r manifest.Record, ev article.Event, codes []otp.Issued) error {
	return db.inTx(ctx, "dispatch", func(x runner) error {
		res, err := x.exec(ctx, `UPDATE manifests SET status = ?, body = ?, body_gzip = ?, etag = ?, dispatched_at = ?, updated_at = ?
			WHERE id = ? AND status = ?`, r.Status, string(r.Body), blob(r.Gzip), r.ETag, ms(ev.At), ms(ev.At), r.ID, manifest.StatusDraft)
		if err != nil {
			return classify("dispatch", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return postal.Errorf(postal.CodeConflict, "the manifest changed meanwhile; reload and try again")
		}
		if err := checkInPlace(ctx, x, r); err != nil {
			return err
		}
		ev.Note = "manifest " + r.ID
		if err := appendEvents(ctx, x, r.Articles, article.StatusScheduled, ev, nil); err != nil {
			return err
		}
		if err := startCustodies(ctx, x, r.Articles, r, ev.At); err != nil {
			return err
		}
		return storeCodes(ctx, x, codes, ev.At)
	})
}

// checkInPlace checks that every article of a manifest about to go out is
// still scheduled for its slot and on its beat: the first that is not, in
// the manifest's order, is a conflict.
func checkInPlace(ctx context.Context, x runner, r manifest.Record) error {
	moved := make(map[string]bool, len(r.Articles))
	// An article off its own beat is in place when the slot's chosen beat
	// plan puts it on this manifest's beat.
	err := inChunks(r.Articles, func(chunk []string) error {
		args := append(append([]any{r.BeatID, r.BeatID}, anys(chunk)...), string(article.StatusScheduled), r.Date, string(r.Slot))
		rows, err := x.query(ctx, `SELECT a.id, CASE WHEN COALESCE(a.beat_id, '') <> ? AND NOT EXISTS (
				SELECT 1 FROM beat_plan_choices c JOIN beat_plan_articles pa ON pa.plan_id = c.plan_id
				WHERE c.dc_id = a.dc_id AND c.date = a.sched_date AND c.slot = a.sched_slot AND pa.article_id = a.id AND pa.beat_id = ?)
			THEN 1 ELSE 0 END FROM articles a
			WHERE a.id IN (`+marks(len(chunk))+`) AND a.status = ? AND a.sched_date = ? AND a.sched_slot = ?`, args...)
		if err != nil {
			return classify("dispatch: check", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id string
			var off int
			if err := rows.Scan(&id, &off); err != nil {
				return classify("dispatch: check", err)
			}
			moved[id] = off != 0
		}
		return classify("dispatch: check", rows.Err())
	})
	if err != nil {
		return err
	}
	for _, id := range r.Articles {
		off, ok := moved[id]
		if !ok {
			return postal.Errorf(postal.CodeConflict, "article %s was rescheduled or changed since the build; rebuild the manifest", id)
		}
		if off {
			return postal.Errorf(postal.CodeConflict, "article %s was moved to another beat since the build; rebuild the manifest", id)
		}
	}
	return nil
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
		if err := endCustodies(ctx, x, removed, endedByAmended, held.At); err != nil {
			return err
		}
		if err := appendEvents(ctx, x, removed, article.StatusOutForDelivery, held, nil); err != nil {
			return err
		}
		if err := moveLoads(ctx, x, added, r); err != nil {
			return err
		}
		if err := appendEvents(ctx, x, added, article.StatusScheduled, out, &article.Schedule{Date: r.Date, Slot: r.Slot}); err != nil {
			return err
		}
		if err := startCustodies(ctx, x, added, r, out.At); err != nil {
			return err
		}
		if err := storeCodes(ctx, x, codes, r.At); err != nil {
			return err
		}
		return replaceManifestArticles(ctx, x, r)
	})
}

// moveLoads moves added articles' booked load from their old slots to the
// manifest's, without a capacity check: an amendment is a supervisor's
// decision. It takes a few statements per slot touched, not per article.
func moveLoads(ctx context.Context, x runner, ids []string, r manifest.Record) error {
	type cell struct{ dc, beat, date, slot string }
	delta := map[cell]int{}
	var order []cell
	add := func(c cell, n int) {
		if _, ok := delta[c]; !ok {
			order = append(order, c)
		}
		delta[c] += n
	}
	err := inChunks(ids, func(chunk []string) error {
		rows, err := x.query(ctx, "SELECT "+articleColumns+" FROM articles WHERE id IN ("+marks(len(chunk))+")", anys(chunk)...)
		if err != nil {
			return classify("amend: articles", err)
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanArticle(rows)
			if err != nil {
				return classify("amend: articles", err)
			}
			if a.BeatID == "" || a.Schedule == nil {
				continue
			}
			load := slot.Load(a.Service)
			add(cell{a.DCID, a.BeatID, a.Schedule.Date, string(a.Schedule.Slot)}, -load)
			add(cell{a.DCID, a.BeatID, r.Date, string(r.Slot)}, load)
		}
		return classify("amend: articles", rows.Err())
	})
	if err != nil {
		return err
	}
	for _, c := range order {
		n := delta[c]
		if n == 0 {
			continue
		}
		if n > 0 {
			if _, err := x.exec(ctx, `INSERT INTO slot_loads (dc_id, beat_id, date, slot, booked) VALUES (?, ?, ?, ?, 0)
				ON CONFLICT DO NOTHING`, c.dc, c.beat, c.date, c.slot); err != nil {
				return classify("amend: load row", err)
			}
		}
		if _, err := x.exec(ctx, `UPDATE slot_loads SET booked = booked + ? WHERE dc_id = ? AND beat_id = ? AND date = ? AND slot = ?`,
			n, c.dc, c.beat, c.date, c.slot); err != nil {
			return classify("amend: move load", err)
		}
	}
	return nil
}
