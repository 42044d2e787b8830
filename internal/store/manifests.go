package store

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"

	"dakiya/internal/article"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

const manifestColumns = `id, dc_id, beat_id, postman_id, date, slot, version, status, distance_m, stops, articles,
	booked, capacity`

func scanSummary(row interface{ Scan(...any) error }, extra ...any) (manifest.Record, error) {
	var r manifest.Record
	var sl string
	dest := append([]any{&r.ID, &r.DCID, &r.BeatID, &r.PostmanID, &r.Date, &sl, &r.Version, &r.Status, &r.DistanceM,
		&r.Summary.Stops, &r.Summary.Articles, &r.Booked, &r.Capacity}, extra...)
	if err := row.Scan(dest...); err != nil {
		return r, err
	}
	r.Slot = postal.Slot(sl)
	r.Load = manifest.Load{Letters: float64(r.Booked) / 100, Capacity: float64(r.Capacity) / 100, Over: r.Booked > r.Capacity}
	return r, nil
}

// ScheduledFor lists a centre's articles scheduled for a slot, not yet out.
func (db *DB) ScheduledFor(ctx context.Context, dc, date string, s postal.Slot) ([]article.Article, error) {
	rows, err := db.run().query(ctx, "SELECT "+articleColumns+` FROM articles
		WHERE dc_id = ? AND sched_date = ? AND sched_slot = ? AND status = ? ORDER BY id`,
		dc, date, string(s), string(article.StatusScheduled))
	if err != nil {
		return nil, classify("scheduled for", err)
	}
	return collectArticles(rows)
}

// Manifest returns a stored manifest with its body.
func (db *DB) Manifest(ctx context.Context, id string) (manifest.Record, error) {
	return db.manifest(ctx, "id = ?", id)
}

// ManifestFor returns the manifest of a beat's slot.
func (db *DB) ManifestFor(ctx context.Context, dc, beat, date string, s postal.Slot) (manifest.Record, error) {
	return db.manifest(ctx, "dc_id = ? AND beat_id = ? AND date = ? AND slot = ?", dc, beat, date, string(s))
}

func (db *DB) manifest(ctx context.Context, where string, args ...any) (manifest.Record, error) {
	var body, etag string
	var updated int64
	r, err := scanSummary(db.run().queryRow(ctx, "SELECT "+manifestColumns+", body, etag, updated_at FROM manifests WHERE "+where, args...),
		&body, &etag, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return manifest.Record{}, notFound("manifest")
	}
	if err != nil {
		return manifest.Record{}, classify("manifest", err)
	}
	r.Body, r.ETag, r.At = []byte(body), etag, fromMS(updated)
	return r, nil
}

// Manifests lists manifest summaries matching a filter.
func (db *DB) Manifests(ctx context.Context, f manifest.Filter) ([]manifest.Summary, error) {
	where, args := []string{"1 = 1"}, []any{}
	cond := func(v, clause string) {
		if v != "" {
			where, args = append(where, clause), append(args, v)
		}
	}
	cond(f.DCID, "dc_id = ?")
	cond(f.PostmanID, "postman_id = ?")
	cond(f.Date, "date = ?")
	cond(string(f.Slot), "slot = ?")
	cond(f.Status, "status = ?")
	const rank = "CASE slot WHEN 'morning' THEN 1 WHEN 'evening' THEN 2 ELSE 3 END"
	if c := f.After; c != nil {
		r := manifest.SlotRank(c.Slot)
		where = append(where, "(date > ? OR (date = ? AND ("+rank+" > ? OR ("+rank+" = ? AND (beat_id > ? OR (beat_id = ? AND id > ?))))))")
		args = append(args, c.Date, c.Date, r, r, c.BeatID, c.BeatID, c.ID)
	}
	limit := f.Limit
	if limit <= 0 || limit > manifest.MaxPage {
		limit = manifest.MaxPage
	}
	rows, err := db.run().query(ctx, "SELECT "+manifestColumns+" FROM manifests WHERE "+strings.Join(where, " AND ")+
		" ORDER BY date, "+rank+", beat_id, id LIMIT "+strconv.Itoa(limit), args...)
	if err != nil {
		return nil, classify("manifests", err)
	}
	defer rows.Close()
	out := []manifest.Summary{}
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return nil, classify("manifests", err)
		}
		out = append(out, r.Summary)
	}
	return out, classify("manifests", rows.Err())
}

// DraftOf returns the id of the draft manifest an article is on, or "".
func (db *DB) DraftOf(ctx context.Context, articleID string) (string, error) {
	var id string
	err := db.run().queryRow(ctx, `SELECT m.id FROM manifest_articles ma JOIN manifests m ON m.id = ma.manifest_id
		WHERE ma.article_id = ? AND m.status = ? LIMIT 1`, articleID, manifest.StatusDraft).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return id, classify("draft of", err)
}

// ManifestServed reads what a phone's fetch needs in one statement by
// primary key; the bodies come back only when the row's ETag is not known
// (nil otherwise, and Gzip nil too in a row written before it was kept).
func (db *DB) ManifestServed(ctx context.Context, id, known string) (manifest.Served, error) {
	var s manifest.Served
	err := db.queryRowHot(ctx, `SELECT dc_id, postman_id, status, etag, CASE WHEN etag = ? THEN NULL ELSE body END,
		CASE WHEN etag = ? THEN NULL ELSE body_gzip END FROM manifests WHERE id = ?`, known, known, id).
		Scan(&s.DCID, &s.PostmanID, &s.Status, &s.ETag, &s.Body, &s.Gzip)
	if errors.Is(err, sql.ErrNoRows) {
		return manifest.Served{}, notFound("manifest")
	}
	return s, classify("manifest served", err)
}

// SaveManifestGzip stores the gzipped body of a row written before it was
// kept, if the row is still at etag and has none.
func (db *DB) SaveManifestGzip(ctx context.Context, id, etag string, gz []byte) error {
	_, err := db.run().exec(ctx, `UPDATE manifests SET body_gzip = ? WHERE id = ? AND etag = ? AND body_gzip IS NULL`, gz, id, etag)
	return classify("save manifest gzip", err)
}

// OTPChecks returns the code group and check value of every article on a
// manifest that has a code.
func (db *DB) OTPChecks(ctx context.Context, manifestID string) (map[string]manifest.Code, error) {
	rows, err := db.run().query(ctx, `SELECT o.article_id, g.id, g.check_value FROM manifest_articles ma
		JOIN otp_articles o ON o.article_id = ma.article_id JOIN otp_groups g ON g.id = o.group_id
		WHERE ma.manifest_id = ?`, manifestID)
	if err != nil {
		return nil, classify("otp checks", err)
	}
	defer rows.Close()
	out := map[string]manifest.Code{}
	for rows.Next() {
		var id string
		var c manifest.Code
		if err := rows.Scan(&id, &c.Group, &c.Check); err != nil {
			return nil, classify("otp checks", err)
		}
		out[id] = c
	}
	return out, classify("otp checks", rows.Err())
}
