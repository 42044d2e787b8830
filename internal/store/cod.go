package store

import (
	"context"
	"database/sql"
	"errors"

	"dakiya/internal/cod"
	"dakiya/internal/idem"
	"dakiya/internal/postal"
)

// ArticleCOD returns an article's cash-on-delivery amount.
func (db *DB) ArticleCOD(ctx context.Context, articleID string) (postal.Paise, error) {
	var p int64
	err := db.run().queryRow(ctx, "SELECT cod_paise FROM articles WHERE id = ?", articleID).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound("article")
	}
	return postal.Paise(p), classify("article cod", err)
}

// CODLines adds up each postman's COD for a centre's slot: cash expected
// from COD articles delivered against cash, UPI collected, and every
// settlement entry.
func (db *DB) CODLines(ctx context.Context, dc, date string, sl postal.Slot) ([]cod.Line, error) {
	rows, err := db.run().query(ctx, `SELECT p.postman_id,
			COALESCE((SELECT COUNT(*) FROM deliveries d JOIN articles a ON a.id = d.article_id
				WHERE d.dc_id = ? AND d.date = ? AND d.slot = ? AND d.postman_id = p.postman_id AND d.outcome = 'delivered' AND a.cod_paise > 0), 0),
			COALESCE((SELECT SUM(a.cod_paise) FROM deliveries d JOIN articles a ON a.id = d.article_id
				WHERE d.dc_id = ? AND d.date = ? AND d.slot = ? AND d.postman_id = p.postman_id AND d.outcome = 'delivered' AND d.cod_mode = 'cash'), 0),
			COALESCE((SELECT SUM(d.cod_paise) FROM deliveries d
				WHERE d.dc_id = ? AND d.date = ? AND d.slot = ? AND d.postman_id = p.postman_id AND d.outcome = 'delivered' AND d.cod_mode = 'upi'), 0),
			COALESCE((SELECT SUM(s.cash_received_paise) FROM cod_settlements s
				WHERE s.dc_id = ? AND s.date = ? AND s.slot = ? AND s.postman_id = p.postman_id), 0),
			COALESCE((SELECT COUNT(*) FROM cod_settlements s
				WHERE s.dc_id = ? AND s.date = ? AND s.slot = ? AND s.postman_id = p.postman_id), 0)
		FROM (SELECT postman_id FROM deliveries WHERE dc_id = ? AND date = ? AND slot = ?
			UNION SELECT postman_id FROM cod_settlements WHERE dc_id = ? AND date = ? AND slot = ?) p
		ORDER BY p.postman_id`,
		dc, date, string(sl), dc, date, string(sl), dc, date, string(sl), dc, date, string(sl), dc, date, string(sl),
		dc, date, string(sl), dc, date, string(sl))
	if err != nil {
		return nil, classify("cod lines", err)
	}
	defer rows.Close()
	out := []cod.Line{}
	for rows.Next() {
		l := cod.Line{Date: date, Slot: sl}
		var expected, upi, settled int64
		if err := rows.Scan(&l.PostmanID, &l.Delivered, &expected, &upi, &settled, &l.SettlementRows); err != nil {
			return nil, classify("cod lines", err)
		}
		l.ExpectedCash, l.UPICollected, l.Settled = postal.Paise(expected), postal.Paise(upi), postal.Paise(settled)
		l.Difference = l.Settled - l.ExpectedCash
		out = append(out, l)
	}
	return out, classify("cod lines", rows.Err())
}

// AddSettlement appends a settlement entry and stores its request's
// answer in the same transaction.
func (db *DB) AddSettlement(ctx context.Context, s cod.Settlement, answer idem.Completion) error {
	return db.inTx(ctx, "add settlement", func(x runner) error {
		_, err := x.exec(ctx, `INSERT INTO cod_settlements (id, dc_id, postman_id, date, slot, expected_cash_paise,
			cash_received_paise, settled_by, note, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.DCID, s.PostmanID, s.Date, string(s.Slot), int64(s.ExpectedCash), int64(s.CashReceived), s.SettledBy, s.Note, ms(s.At))
		if err != nil {
			return classify("add settlement", err)
		}
		return finishIdem(ctx, x, answer, s.At)
	})
}
