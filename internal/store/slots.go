package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// Calendar returns a centre's calendar, or the default when it has none.
func (db *DB) Calendar(ctx context.Context, dc string) (slot.Calendar, error) {
	var body string
	err := db.run().queryRow(ctx, "SELECT body FROM calendars WHERE dc_id = ?", dc).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return slot.DefaultCalendar(), nil
	}
	if err != nil {
		return slot.Calendar{}, classify("calendar", err)
	}
	var c slot.Calendar
	if err := json.Unmarshal([]byte(body), &c); err != nil {
		return slot.Calendar{}, classify("calendar: decode", err)
	}
	return c, nil
}

// PutCalendar stores a centre's calendar.
func (db *DB) PutCalendar(ctx context.Context, dc string, c slot.Calendar, at time.Time) error {
	body, err := json.Marshal(c)
	if err != nil {
		return classify("put calendar: encode", err)
	}
	_, err = db.run().exec(ctx, `INSERT INTO calendars (dc_id, body, updated_at) VALUES (?, ?, ?)
		ON CONFLICT (dc_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`, dc, string(body), ms(at))
	return classify("put calendar", err)
}

// ArticlesToSchedule lists a centre's articles waiting for a slot.
func (db *DB) ArticlesToSchedule(ctx context.Context, dc string) ([]article.Article, error) {
	rows, err := db.run().query(ctx, "SELECT "+articleColumns+" FROM articles WHERE dc_id = ? AND status = ? ORDER BY created_at, id",
		dc, string(article.StatusAtDC))
	if err != nil {
		return nil, classify("articles to schedule", err)
	}
	return collectArticles(rows)
}

// SlotLoads returns the load booked on a beat's slots between two dates.
func (db *DB) SlotLoads(ctx context.Context, dc, beat, from, to string) (map[slot.Key]int, error) {
	rows, err := db.run().query(ctx, `SELECT date, slot, booked FROM slot_loads
		WHERE dc_id = ? AND beat_id = ? AND date >= ? AND date <= ?`, dc, beat, from, to)
	if err != nil {
		return nil, classify("slot loads", err)
	}
	defer rows.Close()
	out := map[slot.Key]int{}
	for rows.Next() {
		var k slot.Key
		var s string
		var n int
		if err := rows.Scan(&k.Date, &s, &n); err != nil {
			return nil, classify("slot loads", err)
		}
		k.Slot = postal.Slot(s)
		out[k] = n
	}
	return out, classify("slot loads", rows.Err())
}

// Reschedule moves an article into a slot in one transaction: it books the
// load in the new slot only if it fits, frees it in the old one, and
// records the event.
func (db *DB) Reschedule(ctx context.Context, c slot.Change) error {
	return db.inTx(ctx, "reschedule", func(r runner) error {
		if err := countRecipientChange(ctx, r, c); err != nil {
			return err
		}
		if _, err := r.exec(ctx, `INSERT INTO slot_loads (dc_id, beat_id, date, slot, booked)
			SELECT dc_id, ?, ?, ?, 0 FROM articles WHERE id = ? ON CONFLICT DO NOTHING`,
			c.BeatID, c.New.Date, string(c.New.Slot), c.ArticleID); err != nil {
			return classify("reschedule: load row", err)
		}
		res, err := r.exec(ctx, `UPDATE slot_loads SET booked = booked + ?
			WHERE dc_id = (SELECT dc_id FROM articles WHERE id = ?) AND beat_id = ? AND date = ? AND slot = ? AND booked + ? <= ?`,
			c.Load, c.ArticleID, c.BeatID, c.New.Date, string(c.New.Slot), c.Load, c.Capacity)
		if err != nil {
			return classify("reschedule: book", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return postal.Errorf(postal.CodeConflict, "this slot is full")
		}
		if c.Old != nil {
			if _, err := r.exec(ctx, `UPDATE slot_loads SET booked = booked - ?
				WHERE dc_id = (SELECT dc_id FROM articles WHERE id = ?) AND beat_id = ? AND date = ? AND slot = ?`,
				c.Load, c.ArticleID, c.BeatID, c.Old.Date, string(c.Old.Slot)); err != nil {
				return classify("reschedule: free", err)
			}
		}
		return appendEvent(ctx, r, c.ArticleID, c.From, c.Event, &c.New)
	})
}

// countRecipientChange counts a change made through a recipient's link,
// in one conditional UPDATE, refusing it once c.MaxChanges were made.
func countRecipientChange(ctx context.Context, r runner, c slot.Change) error {
	if c.MaxChanges <= 0 {
		return nil
	}
	res, err := r.exec(ctx, `UPDATE articles SET recipient_changes = recipient_changes + 1
		WHERE id = ? AND recipient_changes < ?`, c.ArticleID, c.MaxChanges)
	if err != nil {
		return classify("reschedule: count change", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeRateLimited,
			"this article's slot has been changed %d times through its link; ask the delivery centre to change it", c.MaxChanges)
	}
	return nil
}

// collectArticles reads article rows to the end.
func collectArticles(rows *sql.Rows) ([]article.Article, error) {
	defer rows.Close()
	out := []article.Article{}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, classify("articles", err)
		}
		out = append(out, a)
	}
	return out, classify("articles", rows.Err())
}
