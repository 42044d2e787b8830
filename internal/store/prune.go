package store

import (
	"context"
	"time"
)

// PruneBeatPlans deletes at most limit balanced-beat proposals for slots
// before date (YYYY-MM-DD), with their articles and the slots' choices of
// them, in one transaction: a proposal lists its recipients' addresses,
// and once its slot is past the retention nobody needs it. It returns how
// many proposals it deleted.
func (db *DB) PruneBeatPlans(ctx context.Context, before string, limit int) (int, error) {
	n := 0
	err := db.inTx(ctx, "prune beat plans", func(x runner) error {
		rows, err := x.query(ctx, "SELECT id FROM beat_plans WHERE date < ? ORDER BY date, id LIMIT ?", before, limit)
		if err != nil {
			return classify("prune beat plans", err)
		}
		ids, err := scanStrings(rows)
		if err != nil || len(ids) == 0 {
			return classify("prune beat plans", err)
		}
		in, args := marks(len(ids)), anys(ids)
		for _, q := range []string{
			"DELETE FROM beat_plan_choices WHERE plan_id IN (",
			"DELETE FROM beat_plan_articles WHERE plan_id IN (",
			"DELETE FROM beat_plans WHERE id IN (",
		} {
			if _, err := x.exec(ctx, q+in+")", args...); err != nil {
				return classify("prune beat plans", err)
			}
		}
		n = len(ids)
		return nil
	})
	return n, err
}

// PruneAuditLog deletes at most limit audit log entries made before
// cutoff, oldest first, and returns how many it deleted.
func (db *DB) PruneAuditLog(ctx context.Context, cutoff time.Time, limit int) (int, error) {
	res, err := db.run().exec(ctx, `DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ?
		ORDER BY at, id LIMIT ?)`, ms(cutoff), limit)
	if err != nil {
		return 0, classify("prune audit log", err)
	}
	n, err := res.RowsAffected()
	return int(n), classify("prune audit log", err)
}
