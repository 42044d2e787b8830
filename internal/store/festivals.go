package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/forecast"
)

// LoadFestivals fills the festival calendar with defaults the first time it
// is used, and never again (so deleted festivals stay deleted). It reports
// whether it loaded them.
func (db *DB) LoadFestivals(ctx context.Context, defaults []forecast.Festival, now time.Time) (bool, error) {
	var n int
	if err := db.run().queryRow(ctx, "SELECT COUNT(*) FROM festivals_loaded").Scan(&n); err != nil || n > 0 {
		return false, classify("festivals loaded", err)
	}
	loaded := false
	err := db.inTx(ctx, "load festivals", func(r runner) error {
		res, err := r.exec(ctx, "INSERT INTO festivals_loaded (id, loaded_at) VALUES (1, ?) ON CONFLICT (id) DO NOTHING", ms(now))
		if err != nil {
			return classify("load festivals", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return nil // another request loaded them meanwhile
		}
		for _, f := range defaults {
			if _, err := r.exec(ctx, `INSERT INTO festivals (id, date, name, region, before_days, after_days, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, f.ID, f.Date, f.Name, f.Region, f.Before, f.After, ms(now)); err != nil {
				return classify("load festival", err)
			}
		}
		loaded = true
		return nil
	})
	return loaded, err
}

// Festivals returns the festival calendar in date order.
func (db *DB) Festivals(ctx context.Context) ([]forecast.Festival, error) {
	return db.FestivalsPage(ctx, nil, -1)
}

// FestivalsPage returns up to limit festivals (every one when limit < 0)
// by date, name and id, after the date, name and id in after.
func (db *DB) FestivalsPage(ctx context.Context, after []any, limit int) ([]forecast.Festival, error) {
	cond, args := keyset(after, "date", "name", "id")
	rows, err := db.run().query(ctx, `SELECT id, date, name, region, before_days, after_days FROM festivals
		WHERE `+cond+` ORDER BY date, name, id LIMIT ?`, append(args, rowLimit(limit))...)
	if err != nil {
		return nil, classify("festivals", err)
	}
	defer rows.Close()
	out := []forecast.Festival{}
	for rows.Next() {
		var f forecast.Festival
		if err := rows.Scan(&f.ID, &f.Date, &f.Name, &f.Region, &f.Before, &f.After); err != nil {
			return nil, classify("festivals", err)
		}
		out = append(out, f)
	}
	return out, classify("festivals", rows.Err())
}

// Festival returns one festival.
func (db *DB) Festival(ctx context.Context, id string) (forecast.Festival, error) {
	f := forecast.Festival{ID: id}
	err := db.run().queryRow(ctx, `SELECT date, name, region, before_days, after_days FROM festivals WHERE id = ?`, id).
		Scan(&f.Date, &f.Name, &f.Region, &f.Before, &f.After)
	if errors.Is(err, sql.ErrNoRows) {
		return f, notFound("festival")
	}
	return f, classify("festival", err)
}

// CreateFestival adds a festival; a conflict if one of that name is on
// that date already.
func (db *DB) CreateFestival(ctx context.Context, f forecast.Festival, now time.Time) error {
	_, err := db.run().exec(ctx, `INSERT INTO festivals (id, date, name, region, before_days, after_days, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, f.ID, f.Date, f.Name, f.Region, f.Before, f.After, ms(now))
	return classify("create festival", err)
}

// UpdateFestival replaces a festival's fields; not found if there is no
// such festival.
func (db *DB) UpdateFestival(ctx context.Context, f forecast.Festival, now time.Time) error {
	res, err := db.run().exec(ctx, `UPDATE festivals SET date = ?, name = ?, region = ?, before_days = ?, after_days = ?,
		updated_at = ? WHERE id = ?`, f.Date, f.Name, f.Region, f.Before, f.After, ms(now), f.ID)
	if err != nil {
		return classify("update festival", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("festival")
	}
	return nil
}

// DeleteFestival removes a festival; not found if there is no such one.
func (db *DB) DeleteFestival(ctx context.Context, id string) error {
	res, err := db.run().exec(ctx, "DELETE FROM festivals WHERE id = ?", id)
	if err != nil {
		return classify("delete festival", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("festival")
	}
	return nil
}
