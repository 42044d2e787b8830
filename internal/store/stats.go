package store

import (
	"context"

	"dakiya/internal/postal"
	"dakiya/internal/stats"
)

// Outcomes lists a centre's attempts dated from..to (inclusive, dates in
// the centre's zone), at most limit, each with its article's beat and
// whether it was the article's first attempt ever (earliest captured,
// then lowest id).
func (db *DB) Outcomes(ctx context.Context, dc, from, to string, limit int) ([]stats.Outcome, error) {
	rows, err := db.run().query(ctx, `SELECT COALESCE(a.beat_id, ''), d.date, d.slot, d.outcome, d.reason_code, d.captured_at,
			CASE WHEN EXISTS (SELECT 1 FROM deliveries e WHERE e.article_id = d.article_id
				AND (e.captured_at < d.captured_at OR (e.captured_at = d.captured_at AND e.id < d.id))) THEN 0 ELSE 1 END
		FROM deliveries d JOIN articles a ON a.id = d.article_id
		WHERE d.dc_id = ? AND d.date >= ? AND d.date <= ?
		ORDER BY d.date, d.captured_at, d.id LIMIT ?`, dc, from, to, limit)
	if err != nil {
		return nil, classify("outcomes", err)
	}
	defer rows.Close()
	out := []stats.Outcome{}
	for rows.Next() {
		var o stats.Outcome
		var sl, outcome string
		var at int64
		var first int
		if err := rows.Scan(&o.BeatID, &o.Date, &sl, &outcome, &o.Reason, &at, &first); err != nil {
			return nil, classify("outcomes", err)
		}
		o.Slot, o.Delivered, o.At, o.First = postal.Slot(sl), outcome == "delivered", fromMS(at), first == 1
		out = append(out, o)
	}
	return out, classify("outcomes", rows.Err())
}
