package store

import (
	"context"
	"database/sql"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/progress"
)

// slotPostmen selects the postmen of a centre's manifests for a date and
// slot (its three arguments).
const slotPostmen = `SELECT postman_id FROM manifests WHERE dc_id = ? AND date = ? AND slot = ?`

// Progress returns a centre's manifests for a date and slot, ordered by
// beat, with their stops and outcomes and their postmen's last sync and
// position. Four reads, whatever the number of beats.
func (db *DB) Progress(ctx context.Context, dc, date string, slot postal.Slot) ([]progress.Manifest, error) {
	list, err := db.progressManifests(ctx, dc, date, slot)
	if err != nil || len(list) == 0 {
		return list, err
	}
	byID := make(map[string]*progress.Manifest, len(list))
	for i := range list {
		byID[list[i].ID] = &list[i]
	}
	if err := db.progressStops(ctx, byID, dc, date, slot); err != nil {
		return nil, err
	}
	syncs, err := db.lastSyncs(ctx, dc, date, slot)
	if err != nil {
		return nil, err
	}
	places, err := db.lastPositions(ctx, dc, date, slot)
	if err != nil {
		return nil, err
	}
	for i := range list {
		if t, ok := syncs[list[i].PostmanID]; ok {
			list[i].LastSync = &t
		}
		list[i].Position = places[list[i].PostmanID]
	}
	return list, nil
}

func (db *DB) progressManifests(ctx context.Context, dc, date string, slot postal.Slot) ([]progress.Manifest, error) {
	rows, err := db.run().query(ctx, `SELECT m.id, m.beat_id, m.status, m.version, m.postman_id, u.name, m.window_end
		FROM manifests m JOIN users u ON u.id = m.postman_id
		WHERE m.dc_id = ? AND m.date = ? AND m.slot = ? ORDER BY m.beat_id`, dc, date, string(slot))
	if err != nil {
		return nil, classify("progress manifests", err)
	}
	defer rows.Close()
	out := []progress.Manifest{}
	for rows.Next() {
		var m progress.Manifest
		var end int64
		if err := rows.Scan(&m.ID, &m.BeatID, &m.Status, &m.Version, &m.PostmanID, &m.PostmanName, &end); err != nil {
			return nil, classify("progress manifests", err)
		}
		if end > 0 {
			m.WindowEnd = fromMS(end)
		}
		out = append(out, m)
	}
	return out, classify("progress manifests", rows.Err())
}

// progressStops adds each manifest's stops, with the outcome recorded for
// the stop on that manifest, if any.
func (db *DB) progressStops(ctx context.Context, byID map[string]*progress.Manifest, dc, date string, slot postal.Slot) error {
	rows, err := db.run().query(ctx, `SELECT ma.manifest_id, ma.article_id, ma.stop_seq, COALESCE(d.outcome, '')
		FROM manifest_articles ma JOIN manifests m ON m.id = ma.manifest_id
		LEFT JOIN deliveries d ON d.article_id = ma.article_id AND d.manifest_id = ma.manifest_id
		WHERE m.dc_id = ? AND m.date = ? AND m.slot = ? ORDER BY ma.manifest_id, ma.stop_seq, ma.article_id`,
		dc, date, string(slot))
	if err != nil {
		return classify("progress stops", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var st progress.Stop
		if err := rows.Scan(&id, &st.ArticleID, &st.Seq, &st.Outcome); err != nil {
			return classify("progress stops", err)
		}
		if m := byID[id]; m != nil {
			m.Stops = append(m.Stops, st)
		}
	}
	return classify("progress stops", rows.Err())
}

// lastSyncs returns when each of the slot's postmen last changed
// something: their latest outcome or proof, whatever its slot.
func (db *DB) lastSyncs(ctx context.Context, dc, date string, slot postal.Slot) (map[string]time.Time, error) {
	rows, err := db.run().query(ctx, `SELECT postman_id, MAX(at) FROM (
		SELECT postman_id, MAX(created_at) AS at FROM deliveries WHERE postman_id IN (`+slotPostmen+`) GROUP BY postman_id
		UNION ALL
		SELECT postman_id, MAX(created_at) AS at FROM proofs WHERE postman_id IN (`+slotPostmen+`) GROUP BY postman_id
		) s GROUP BY postman_id`, dc, date, string(slot), dc, date, string(slot))
	if err != nil {
		return nil, classify("progress syncs", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, classify("progress syncs", err)
		}
		out[id] = fromMS(at)
	}
	return out, classify("progress syncs", rows.Err())
}

// lastPositions returns where each of the slot's postmen was at their
// latest outcome with a location: the fix's time when the phone sent it,
// else the outcome's.
func (db *DB) lastPositions(ctx context.Context, dc, date string, slot postal.Slot) (map[string]*progress.Position, error) {
	rows, err := db.run().query(ctx, `SELECT d.postman_id, d.lat, d.lon, d.accuracy_m, COALESCE(d.fix_at, d.captured_at)
		FROM deliveries d WHERE d.postman_id IN (`+slotPostmen+`) AND d.id = (
			SELECT l.id FROM deliveries l WHERE l.postman_id = d.postman_id AND l.lat IS NOT NULL AND l.lon IS NOT NULL
			ORDER BY l.created_at DESC, l.id DESC LIMIT 1)`, dc, date, string(slot))
	if err != nil {
		return nil, classify("progress positions", err)
	}
	defer rows.Close()
	out := map[string]*progress.Position{}
	for rows.Next() {
		var id string
		var p progress.Position
		var acc sql.NullFloat64
		var at int64
		if err := rows.Scan(&id, &p.Lat, &p.Lon, &acc, &at); err != nil {
			return nil, classify("progress positions", err)
		}
		if acc.Valid {
			p.AccuracyM = &acc.Float64
		}
		p.At = fromMS(at)
		out[id] = &p
	}
	return out, classify("progress positions", rows.Err())
}
