package store

import (
	"context"
	"database/sql"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/roster"
)

// RosterPostmen lists a centre's postmen by name with their home beat (the
// first they walk) and weekly off day; disabled ones are marked.
func (db *DB) RosterPostmen(ctx context.Context, dcID string) ([]roster.Postman, error) {
	rows, err := db.run().query(ctx, `SELECT u.id, u.name,
		COALESCE((SELECT MIN(b.id) FROM beats b WHERE b.postman_id = u.id AND b.dc_id = u.dc_id), ''),
		w.weekday, u.disabled
		FROM users u LEFT JOIN roster_weekly_offs w ON w.user_id = u.id
		WHERE u.dc_id = ? AND u.role = 'postman' ORDER BY u.name, u.id`, dcID)
	if err != nil {
		return nil, classify("roster postmen", err)
	}
	defer rows.Close()
	out := []roster.Postman{}
	for rows.Next() {
		var p roster.Postman
		var wd sql.NullInt64
		var disabled int
		if err := rows.Scan(&p.UserID, &p.Name, &p.HomeBeatID, &wd, &disabled); err != nil {
			return nil, classify("roster postmen", err)
		}
		p.WeeklyOff, p.Disabled = roster.NoWeeklyOff, disabled != 0
		if wd.Valid {
			p.WeeklyOff = int(wd.Int64)
		}
		out = append(out, p)
	}
	return out, classify("roster postmen", rows.Err())
}

// RosterEntries lists a centre's roster entries between two dates.
func (db *DB) RosterEntries(ctx context.Context, dcID, from, to string) ([]roster.Entry, error) {
	rows, err := db.run().query(ctx, `SELECT user_id, date, slot, status, COALESCE(covers_beat_id, ''), note, updated_by, updated_at
		FROM roster_entries WHERE dc_id = ? AND date >= ? AND date <= ? ORDER BY date, user_id, slot`, dcID, from, to)
	if err != nil {
		return nil, classify("roster entries", err)
	}
	defer rows.Close()
	out := []roster.Entry{}
	for rows.Next() {
		var e roster.Entry
		var sl, st string
		var at int64
		if err := rows.Scan(&e.UserID, &e.Date, &sl, &st, &e.CoversBeatID, &e.Note, &e.UpdatedBy, &at); err != nil {
			return nil, classify("roster entries", err)
		}
		e.Slot, e.Status, e.UpdatedAt = postal.Slot(sl), roster.Status(st), fromMS(at)
		out = append(out, e)
	}
	return out, classify("roster entries", rows.Err())
}

// RosterDay is the roster of one date at a centre under its calendar.
func (db *DB) RosterDay(ctx context.Context, dcID, date string) (roster.Day, error) {
	cal, err := db.Calendar(ctx, dcID)
	if err != nil {
		return roster.Day{}, err
	}
	postmen, err := db.RosterPostmen(ctx, dcID)
	if err != nil {
		return roster.Day{}, err
	}
	entries, err := db.RosterEntries(ctx, dcID, date, date)
	if err != nil {
		return roster.Day{}, err
	}
	return roster.ForDay(cal, date, postmen, entries), nil
}

// RosteredCount is how many postmen are on duty at a centre in a slot on
// a date (0 when the calendar does not run that slot then).
func (db *DB) RosteredCount(ctx context.Context, dcID, date string, sl postal.Slot) (int, error) {
	day, err := db.RosterDay(ctx, dcID, date)
	if err != nil {
		return 0, err
	}
	s, _ := day.Slot(sl)
	return s.Rostered, nil
}

// PutRosterEntry stores an entry, replacing the one for the same postman,
// date and slot; slots lists the slots it applies to (none: every slot),
// each its own row, and an entry for every slot replaces the day's
// slot-specific ones.
func (db *DB) PutRosterEntry(ctx context.Context, dcID string, e roster.Entry, slots []postal.Slot) error {
	return db.inTx(ctx, "put roster entry", func(r runner) error {
		keys := []string{}
		for _, s := range slots {
			keys = append(keys, string(s))
		}
		if len(keys) == 0 {
			if _, err := r.exec(ctx, "DELETE FROM roster_entries WHERE user_id = ? AND date = ?", e.UserID, e.Date); err != nil {
				return classify("put roster entry: clear", err)
			}
			keys = []string{""}
		}
		var covers any
		if e.CoversBeatID != "" {
			covers = e.CoversBeatID
		}
		for _, k := range keys {
			if _, err := r.exec(ctx, `INSERT INTO roster_entries (dc_id, user_id, date, slot, status, covers_beat_id, note, updated_by, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, date, slot) DO UPDATE SET dc_id = excluded.dc_id,
				status = excluded.status, covers_beat_id = excluded.covers_beat_id, note = excluded.note,
				updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
				dcID, e.UserID, e.Date, k, string(e.Status), covers, e.Note, e.UpdatedBy, ms(e.UpdatedAt)); err != nil {
				return classify("put roster entry", err)
			}
		}
		return nil
	})
}

// DeleteRosterEntries removes a postman's entries on a date (only the
// one for slot sl when sl is not empty), so the default applies again; it
// returns how many rows went.
func (db *DB) DeleteRosterEntries(ctx context.Context, userID, date string, sl postal.Slot) (int, error) {
	q, args := "DELETE FROM roster_entries WHERE user_id = ? AND date = ?", []any{userID, date}
	if sl != "" {
		q, args = q+" AND slot = ?", append(args, string(sl))
	}
	res, err := db.run().exec(ctx, q, args...)
	if err != nil {
		return 0, classify("delete roster entries", err)
	}
	n, err := res.RowsAffected()
	return int(n), classify("delete roster entries", err)
}

// PutWeeklyOff sets a postman's weekly off day, or clears it with
// roster.NoWeeklyOff.
func (db *DB) PutWeeklyOff(ctx context.Context, dcID, userID string, weekday int, by string, at time.Time) error {
	if weekday == roster.NoWeeklyOff {
		_, err := db.run().exec(ctx, "DELETE FROM roster_weekly_offs WHERE user_id = ?", userID)
		return classify("clear weekly off", err)
	}
	_, err := db.run().exec(ctx, `INSERT INTO roster_weekly_offs (user_id, dc_id, weekday, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET dc_id = excluded.dc_id, weekday = excluded.weekday,
		updated_by = excluded.updated_by, updated_at = excluded.updated_at`, userID, dcID, weekday, by, ms(at))
	return classify("put weekly off", err)
}
