package store

import (
	"context"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// MoveBeat sets an article's beat and override if it is still as the move
// read it, and moves its booked load of its slot from the old beat to the
// new one (without a capacity check: the move is a supervisor's decision),
// in one transaction.
func (db *DB) MoveBeat(ctx context.Context, m article.BeatMove) error {
	return db.inTx(ctx, "move beat", func(x runner) error {
		date, sl := "", ""
		if m.Schedule != nil {
			date, sl = m.Schedule.Date, string(m.Schedule.Slot)
		}
		res, err := x.exec(ctx, `UPDATE articles SET beat_id = ?, beat_override = ?, updated_at = ?
			WHERE id = ? AND status = ? AND COALESCE(beat_id, '') = ? AND COALESCE(sched_date, '') = ? AND COALESCE(sched_slot, '') = ?`,
			orNull(m.To), orNull(m.Override), ms(m.At), m.ArticleID, string(m.Status), m.From, date, sl)
		if err != nil {
			return classify("move beat", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return postal.Errorf(postal.CodeConflict, "article %s changed meanwhile; reload and try again", m.ArticleID)
		}
		if m.Schedule == nil {
			return nil
		}
		return moveBeatLoad(ctx, x, m)
	})
}

// moveBeatLoad moves an article's load of its slot between beats.
func moveBeatLoad(ctx context.Context, x runner, m article.BeatMove) error {
	load, dc := slot.Load(m.Service), "(SELECT dc_id FROM articles WHERE id = ?)"
	if m.From != "" {
		if _, err := x.exec(ctx, `UPDATE slot_loads SET booked = booked - ? WHERE dc_id = `+dc+` AND beat_id = ? AND date = ? AND slot = ?`,
			load, m.ArticleID, m.From, m.Schedule.Date, string(m.Schedule.Slot)); err != nil {
			return classify("move beat: free load", err)
		}
	}
	if m.To == "" {
		return nil
	}
	if _, err := x.exec(ctx, `INSERT INTO slot_loads (dc_id, beat_id, date, slot, booked)
		SELECT dc_id, ?, ?, ?, 0 FROM articles WHERE id = ? ON CONFLICT DO NOTHING`,
		m.To, m.Schedule.Date, string(m.Schedule.Slot), m.ArticleID); err != nil {
		return classify("move beat: load row", err)
	}
	_, err := x.exec(ctx, `UPDATE slot_loads SET booked = booked + ? WHERE dc_id = `+dc+` AND beat_id = ? AND date = ? AND slot = ?`,
		load, m.ArticleID, m.To, m.Schedule.Date, string(m.Schedule.Slot))
	return classify("move beat: book load", err)
}

// orNull stores an empty string as NULL.
func orNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}
