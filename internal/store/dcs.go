package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"dakiya/internal/centre"
	"dakiya/internal/postal"
)

// TimeZone returns a delivery centre's time zone, in which every message
// about its articles tells the time.
func (db *DB) TimeZone(ctx context.Context, dcID string) (string, error) {
	var tz string
	err := db.run().queryRow(ctx, `SELECT tz FROM dcs WHERE id = ?`, dcID).Scan(&tz)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("delivery centre")
	}
	return tz, classify("dc time zone", err)
}

// DC returns a delivery centre with its beats.
func (db *DB) DC(ctx context.Context, id string) (centre.DC, error) {
	var dc centre.DC
	var created int64
	err := db.run().queryRow(ctx, `SELECT id, name, address, pin, lat, lon, tz, upi_vpa, created_at FROM dcs WHERE id = ?`, id).
		Scan(&dc.ID, &dc.Name, &dc.Address, &dc.PIN, &dc.Lat, &dc.Lon, &dc.TimeZone, &dc.UPIVPA, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return centre.DC{}, notFound("delivery centre")
	}
	if err != nil {
		return centre.DC{}, classify("dc", err)
	}
	dc.CreatedAt = fromMS(created)
	dc.DIGIPIN, _ = postal.EncodeDIGIPIN(dc.Lat, dc.Lon)
	dc.Beats, err = db.beats(ctx, id)
	return dc, err
}

func (db *DB) beats(ctx context.Context, dc string) ([]centre.Beat, error) {
	return db.BeatsPage(ctx, dc, nil, -1)
}

// BeatsPage returns up to limit of a centre's beats (every one when limit
// < 0) by id, after the id in after.
func (db *DB) BeatsPage(ctx context.Context, dc string, after []any, limit int) ([]centre.Beat, error) {
	cond, args := keyset(after, "id")
	return db.scanBeats(ctx, `SELECT id, dc_id, name, COALESCE(postman_id, ''), digipin_prefixes, pins, created_at
		FROM beats WHERE dc_id = ? AND `+cond+` ORDER BY id LIMIT ?`, append(append([]any{dc}, args...), rowLimit(limit))...)
}

// DCsPage returns up to limit delivery centres by id after the id in
// after, with their beats, in two statements; only the centre only when it
// is not empty.
func (db *DB) DCsPage(ctx context.Context, only string, after []any, limit int) ([]centre.DC, error) {
	cond, args := keyset(after, "id")
	rows, err := db.run().query(ctx, `SELECT id, name, address, pin, lat, lon, tz, upi_vpa, created_at FROM dcs
		WHERE (? = '' OR id = ?) AND `+cond+` ORDER BY id LIMIT ?`, append(append([]any{only, only}, args...), rowLimit(limit))...)
	if err != nil {
		return nil, classify("dcs", err)
	}
	defer rows.Close()
	out, at, ids := []centre.DC{}, map[string]int{}, []string{}
	for rows.Next() {
		var dc centre.DC
		var created int64
		if err := rows.Scan(&dc.ID, &dc.Name, &dc.Address, &dc.PIN, &dc.Lat, &dc.Lon, &dc.TimeZone, &dc.UPIVPA, &created); err != nil {
			return nil, classify("dcs", err)
		}
		dc.CreatedAt, dc.Beats = fromMS(created), []centre.Beat{}
		dc.DIGIPIN, _ = postal.EncodeDIGIPIN(dc.Lat, dc.Lon)
		at[dc.ID], ids, out = len(out), append(ids, dc.ID), append(out, dc)
	}
	if err := rows.Err(); err != nil {
		return nil, classify("dcs", err)
	}
	err = inChunks(ids, func(chunk []string) error {
		beats, err := db.scanBeats(ctx, `SELECT id, dc_id, name, COALESCE(postman_id, ''), digipin_prefixes, pins, created_at
			FROM beats WHERE dc_id IN (`+marks(len(chunk))+`) ORDER BY dc_id, id`, anys(chunk)...)
		for _, b := range beats {
			out[at[b.DCID]].Beats = append(out[at[b.DCID]].Beats, b)
		}
		return err
	})
	return out, err
}

func (db *DB) scanBeats(ctx context.Context, q string, args ...any) ([]centre.Beat, error) {
	rows, err := db.run().query(ctx, q, args...)
	if err != nil {
		return nil, classify("beats", err)
	}
	defer rows.Close()
	out := []centre.Beat{}
	for rows.Next() {
		var b centre.Beat
		var prefixes, pins string
		var created int64
		if err := rows.Scan(&b.ID, &b.DCID, &b.Name, &b.PostmanID, &prefixes, &pins, &created); err != nil {
			return nil, classify("beats", err)
		}
		b.DIGIPINPrefixes, b.PINs, b.CreatedAt = splitList(prefixes), splitList(pins), fromMS(created)
		out = append(out, b)
	}
	return out, classify("beats", rows.Err())
}

// CreateDC inserts a delivery centre; a taken id is a conflict.
func (db *DB) CreateDC(ctx context.Context, dc centre.DC) error {
	_, err := db.run().exec(ctx, `INSERT INTO dcs (id, name, address, pin, lat, lon, tz, upi_vpa, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		dc.ID, dc.Name, dc.Address, dc.PIN, dc.Lat, dc.Lon, dc.TimeZone, dc.UPIVPA, ms(dc.CreatedAt))
	return classify("create dc", err)
}

// CreateBeat inserts a beat.
func (db *DB) CreateBeat(ctx context.Context, b centre.Beat) error {
	var postman any
	if b.PostmanID != "" {
		postman = b.PostmanID
	}
	_, err := db.run().exec(ctx, `INSERT INTO beats (id, dc_id, name, postman_id, digipin_prefixes, pins, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`,
		b.ID, b.DCID, b.Name, postman, strings.Join(b.DIGIPINPrefixes, ","), strings.Join(b.PINs, ","), ms(b.CreatedAt))
	return classify("create beat", err)
}

// UpdateBeat stores a beat's name and postman. The postman must still be
// a postman of the beat's centre when the row changes (a role change
// committed meanwhile makes it 400, as if it had been seen).
func (db *DB) UpdateBeat(ctx context.Context, b centre.Beat) error {
	q, args := "UPDATE beats SET name = ?, postman_id = NULL WHERE id = ? AND dc_id = ?", []any{b.Name, b.ID, b.DCID}
	if b.PostmanID != "" {
		q = `UPDATE beats SET name = ?, postman_id = ? WHERE id = ? AND dc_id = ?
			AND EXISTS (SELECT 1 FROM users u WHERE u.id = ? AND u.role = 'postman' AND u.dc_id = ?)`
		args = []any{b.Name, b.PostmanID, b.ID, b.DCID, b.PostmanID, b.DCID}
	}
	res, err := db.run().exec(ctx, q, args...)
	if err != nil {
		return classify("update beat", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Invalid("invalid beat", postal.FieldError{Field: "postman_id", Message: "not a postman of this centre"})
	}
	return nil
}

// StaffMember returns a user's role and centre.
func (db *DB) StaffMember(ctx context.Context, userID string) (postal.Role, string, error) {
	u, err := db.UserByID(ctx, userID)
	return u.Role, u.DCID, err
}

// splitList reads a stored comma-separated list.
func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// DCIDs lists every delivery centre's id in order.
func (db *DB) DCIDs(ctx context.Context) ([]string, error) {
	rows, err := db.run().query(ctx, "SELECT id FROM dcs ORDER BY id")
	if err != nil {
		return nil, classify("dc ids", err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify("dc ids", err)
		}
		out = append(out, id)
	}
	return out, classify("dc ids", rows.Err())
}
