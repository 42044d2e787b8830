package store

import (
	"context"

	"dakiya/internal/postal"
	"dakiya/internal/sorting"
)

// SaveSortScans stores a batch of sorters' scans in one transaction; a
// scan id already stored keeps its first row (a phone sending again).
func (db *DB) SaveSortScans(ctx context.Context, scans []sorting.Stored) error {
	return db.inTx(ctx, "sort scans", func(r runner) error {
		for _, s := range scans {
			if _, err := r.exec(ctx, `INSERT INTO sort_scans (id, dc_id, date, slot, article_id, plan_version, beat_id, case_no,
				problem, user_id, scanned_at, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
				s.ID, s.DCID, s.Date, string(s.Slot), s.ArticleID, s.PlanVersion, s.BeatID, s.Case, s.Problem, s.UserID,
				ms(s.ScannedAt), ms(s.At)); err != nil {
				return classify("sort scan", err)
			}
		}
		return nil
	})
}

// SortedArticles returns the articles scanned at least once in a centre's
// slot.
func (db *DB) SortedArticles(ctx context.Context, dc, date string, s postal.Slot) (map[string]bool, error) {
	rows, err := db.run().query(ctx, `SELECT DISTINCT article_id FROM sort_scans WHERE dc_id = ? AND date = ? AND slot = ?`,
		dc, date, string(s))
	if err != nil {
		return nil, classify("sorted articles", err)
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify("sorted articles", err)
		}
		out[id] = true
	}
	return out, classify("sorted articles", rows.Err())
}
