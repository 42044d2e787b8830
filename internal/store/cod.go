package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

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

// codSums are CODLines' columns per postman, each a subquery over one
// postman's slot; each takes the centre, date and slot as arguments.
func codSums() []string {
	dlv := "FROM deliveries d JOIN articles a ON a.id = d.article_id WHERE " + slotOf("d") + " AND d.outcome = 'delivered'"
	set := "FROM cod_settlements s WHERE " + slotOf("s")
	return []string{
		"COALESCE((SELECT COUNT(*) " + dlv + " AND a.cod_paise > 0), 0)",
		"COALESCE((SELECT SUM(a.cod_paise) " + dlv + " AND d.cod_mode = 'cash'), 0)",
		"COALESCE((SELECT SUM(d.cod_paise) " + dlv + " AND d.cod_mode = 'cash'), 0)",
		"COALESCE((SELECT SUM(d.cod_paise) " + dlv + " AND d.cod_mode = 'upi' AND d.upi_ref <> ''), 0)",
		"COALESCE((SELECT SUM(d.cod_paise) " + dlv + " AND d.cod_mode = 'upi' AND d.upi_ref = ''), 0)",
		"COALESCE((SELECT SUM(s.cash_received_paise) " + set + "), 0)",
		"COALESCE((SELECT COUNT(*) " + set + "), 0)",
		"(SELECT MAX(c.closed_at) FROM cod_closings c WHERE " + slotOf("c") + ")",
	}
}

func slotOf(alias string) string {
	return alias + ".dc_id = ? AND " + alias + ".date = ? AND " + alias + ".slot = ? AND " + alias + ".postman_id = p.postman_id"
}

// CODLines adds up each postman's COD for a centre's slot: cash expected
// from COD articles delivered against cash, cash and UPI collected (UPI
// with and without a UTR), every settlement entry, and the closing.
func (db *DB) CODLines(ctx context.Context, dc, date string, sl postal.Slot) ([]cod.Line, error) {
	sums := codSums()
	var args []any
	for range sums {
		args = append(args, dc, date, string(sl))
	}
	args = append(args, dc, date, string(sl), dc, date, string(sl))
	rows, err := db.run().query(ctx, "SELECT p.postman_id, "+strings.Join(sums, ", ")+`
		FROM (SELECT postman_id FROM deliveries WHERE dc_id = ? AND date = ? AND slot = ?
			UNION SELECT postman_id FROM cod_settlements WHERE dc_id = ? AND date = ? AND slot = ?) p
		ORDER BY p.postman_id`, args...)
	if err != nil {
		return nil, classify("cod lines", err)
	}
	defer rows.Close()
	out := []cod.Line{}
	for rows.Next() {
		l, err := scanLine(rows, date, sl)
		if err != nil {
			return nil, classify("cod lines", err)
		}
		out = append(out, l)
	}
	return out, classify("cod lines", rows.Err())
}

func scanLine(rows *sql.Rows, date string, sl postal.Slot) (cod.Line, error) {
	l := cod.Line{Date: date, Slot: sl}
	var expected, cash, upiOK, upiOpen, settled int64
	var closed sql.NullInt64
	if err := rows.Scan(&l.PostmanID, &l.Delivered, &expected, &cash, &upiOK, &upiOpen, &settled, &l.SettlementRows, &closed); err != nil {
		return l, err
	}
	l.ExpectedCash, l.CashCollected, l.Settled = postal.Paise(expected), postal.Paise(cash), postal.Paise(settled)
	l.UPIConfirmed, l.UPIUnconfirmed = postal.Paise(upiOK), postal.Paise(upiOpen)
	l.UPICollected = l.UPIConfirmed + l.UPIUnconfirmed
	l.Difference = l.Settled - l.ExpectedCash
	if closed.Valid {
		at := fromMS(closed.Int64)
		l.Closed, l.ClosedAt = true, &at
	}
	return l, nil
}

// AddSettlement appends a settlement entry and stores its request's
// answer in the same transaction.
func (db *DB) AddSettlement(ctx context.Context, s cod.Settlement, answer idem.Completion) error {
	return db.inTx(ctx, "add settlement", func(x runner) error {
		if s.CorrectionOf == "" {
			if err := lockKey(ctx, x, closingKey(s.DCID, s.PostmanID, s.Date, s.Slot), s.At); err != nil {
				return err
			}
			if err := refuseClosed(ctx, x, s); err != nil {
				return err
			}
		}
		_, err := x.exec(ctx, `INSERT INTO cod_settlements (id, dc_id, postman_id, date, slot, expected_cash_paise,
			cash_received_paise, settled_by, note, correction_of, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.DCID, s.PostmanID, s.Date, string(s.Slot), int64(s.ExpectedCash), int64(s.CashReceived), s.SettledBy,
			s.Note, s.CorrectionOf, ms(s.At))
		if err != nil {
			return classify("add settlement", err)
		}
		return finishIdem(ctx, x, answer, s.At)
	})
}

// closingKey names the lock that orders a slot's plain settlements and its
// closing: whichever commits second sees the first, so no plain entry lands
// after the closing it was checked against.
func closingKey(dc, postman, date string, sl postal.Slot) string {
	return "cod-closing:" + dc + ":" + postman + ":" + date + ":" + string(sl)
}

// refuseClosed is a conflict when s's slot is closed for its postman.
func refuseClosed(ctx context.Context, x runner, s cod.Settlement) error {
	var n int
	if err := x.queryRow(ctx, "SELECT COUNT(*) FROM cod_closings WHERE dc_id = ? AND postman_id = ? AND date = ? AND slot = ?",
		s.DCID, s.PostmanID, s.Date, string(s.Slot)).Scan(&n); err != nil {
		return classify("settlement closed", err)
	}
	if n > 0 {
		return postal.Errorf(postal.CodeConflict, "this slot's settlement is closed; send a correction (correction_of)")
	}
	return nil
}

const settlementCols = `id, dc_id, postman_id, date, slot, expected_cash_paise, cash_received_paise,
	settled_by, note, correction_of, at`

// scanSettlement reads settlementCols.
func scanSettlement(row interface{ Scan(...any) error }) (cod.Settlement, error) {
	var s cod.Settlement
	var slot string
	var expected, received, at int64
	err := row.Scan(&s.ID, &s.DCID, &s.PostmanID, &s.Date, &slot, &expected, &received, &s.SettledBy, &s.Note, &s.CorrectionOf, &at)
	s.Slot, s.ExpectedCash, s.CashReceived, s.At = postal.Slot(slot), postal.Paise(expected), postal.Paise(received), fromMS(at)
	return s, err
}

// Settlement finds a settlement entry of a centre.
func (db *DB) Settlement(ctx context.Context, dc, id string) (cod.Settlement, error) {
	s, err := scanSettlement(db.run().queryRow(ctx, "SELECT "+settlementCols+" FROM cod_settlements WHERE dc_id = ? AND id = ?", dc, id))
	if errors.Is(err, sql.ErrNoRows) {
		return cod.Settlement{}, notFound("settlement")
	}
	return s, classify("settlement", err)
}

// Settlements lists a centre's settlement entries for a slot, by postman
// and then in the order they were made.
func (db *DB) Settlements(ctx context.Context, dc, date string, sl postal.Slot) ([]cod.Settlement, error) {
	rows, err := db.run().query(ctx, "SELECT "+settlementCols+` FROM cod_settlements
		WHERE dc_id = ? AND date = ? AND slot = ? ORDER BY postman_id, at, id`, dc, date, string(sl))
	if err != nil {
		return nil, classify("settlements", err)
	}
	defer rows.Close()
	out := []cod.Settlement{}
	for rows.Next() {
		s, err := scanSettlement(rows)
		if err != nil {
			return nil, classify("settlements", err)
		}
		out = append(out, s)
	}
	return out, classify("settlements", rows.Err())
}

// CloseSettlement records a slot's closing unless it has one, and returns
// the slot's closing; two closings at once both answer the one stored.
func (db *DB) CloseSettlement(ctx context.Context, c cod.Closing) (cod.Closing, error) {
	err := db.inTx(ctx, "close settlement", func(x runner) error {
		if err := lockKey(ctx, x, closingKey(c.DCID, c.PostmanID, c.Date, c.Slot), c.At); err != nil {
			return err
		}
		_, err := x.exec(ctx, `INSERT INTO cod_closings (dc_id, postman_id, date, slot, settlement_id, closed_by, closed_at)
			VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			c.DCID, c.PostmanID, c.Date, string(c.Slot), c.SettlementID, c.ClosedBy, ms(c.At))
		return classify("close settlement", err)
	})
	if err != nil {
		return cod.Closing{}, err
	}
	var slot string
	var at int64
	got := cod.Closing{}
	err = db.run().queryRow(ctx, `SELECT dc_id, postman_id, date, slot, settlement_id, closed_by, closed_at FROM cod_closings
		WHERE dc_id = ? AND postman_id = ? AND date = ? AND slot = ?`, c.DCID, c.PostmanID, c.Date, string(c.Slot)).
		Scan(&got.DCID, &got.PostmanID, &got.Date, &slot, &got.SettlementID, &got.ClosedBy, &at)
	got.Slot, got.At = postal.Slot(slot), fromMS(at)
	return got, classify("closing", err)
}
