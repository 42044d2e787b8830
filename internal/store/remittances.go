package store

// Partners' COD remittance statements (see package remit): the open lines
// a statement is made from, the statements and their lines, and payment.

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/remit"
)

// openLinesQuery lists a partner's delivered COD articles in no statement,
// with whether the money is collected: UPI with a UTR, or cash from a
// postman's slot that is closed at the centre.
const openLinesQuery = `SELECT d.id, d.article_id, d.dc_id, d.date, d.captured_at, d.cod_mode, d.upi_ref,
	d.cod_paise, a.cod_paise, a.cod_fee_paise,
	CASE WHEN d.cod_paise <= 0 THEN '` + remit.AwaitingMoney + `'
		WHEN d.cod_mode = 'upi' AND d.upi_ref <> '' THEN ''
		WHEN d.cod_mode = 'cash' AND EXISTS (SELECT 1 FROM cod_closings c WHERE c.dc_id = d.dc_id
			AND c.postman_id = d.postman_id AND c.date = d.date AND c.slot = d.slot) THEN ''
		WHEN d.cod_mode = 'cash' THEN '` + remit.AwaitingSettlement + `'
		ELSE '` + remit.AwaitingUPIRef + `' END
	FROM deliveries d JOIN articles a ON a.id = d.article_id
	WHERE a.partner_id = ? AND d.outcome = 'delivered' AND (d.cod_paise > 0 OR a.cod_paise > 0)
		AND NOT EXISTS (SELECT 1 FROM remittance_lines l WHERE l.delivery_id = d.id)
	ORDER BY d.date, d.captured_at, d.article_id`

// OpenLines lists a partner's delivered COD articles that are in no
// statement, collected or not, by collection day and delivery time.
func (db *DB) OpenLines(ctx context.Context, partnerID string) ([]remit.Open, error) {
	return openLines(ctx, db.run(), partnerID)
}

func openLines(ctx context.Context, r runner, partnerID string) ([]remit.Open, error) {
	rows, err := r.query(ctx, openLinesQuery, partnerID)
	if err != nil {
		return nil, classify("open cod lines", err)
	}
	defer rows.Close()
	out := []remit.Open{}
	for rows.Next() {
		var o remit.Open
		var at, got, due, fee int64
		if err := rows.Scan(&o.DeliveryID, &o.ArticleID, &o.DCID, &o.CollectedOn, &at, &o.Mode, &o.UPIRef, &got, &due, &fee, &o.Awaiting); err != nil {
			return nil, classify("open cod lines", err)
		}
		o.DeliveredAt, o.Collected = fromMS(at), postal.Paise(got)
		if got <= 0 { // nothing recorded: show what is due
			o.Collected = postal.Paise(due)
		}
		o.Fee, o.Net = remit.Withhold(o.Collected, postal.Paise(fee))
		out = append(out, o)
	}
	return out, classify("open cod lines", rows.Err())
}

// MakeStatement stores the statement build makes from the partner's open
// lines, read in the same transaction, unless the partner has one for the
// day: then it returns that one and false. Two makers at once end with
// one statement; a line taken by another statement meanwhile (its key
// is the delivery) makes the loser read again once.
func (db *DB) MakeStatement(ctx context.Context, partnerID, date string, build func([]remit.Open) (remit.Detail, error)) (remit.Detail, bool, error) {
	for try := 0; ; try++ {
		if d, err := db.statementOf(ctx, partnerID, date); !postal.IsCode(err, postal.CodeNotFound) {
			return d, false, err
		}
		var made remit.Detail
		err := db.inTx(ctx, "make statement", func(x runner) error {
			open, err := openLines(ctx, x, partnerID)
			if err != nil {
				return err
			}
			if made, err = build(open); err != nil {
				return err
			}
			return insertStatement(ctx, x, made)
		})
		if err == nil {
			return made, true, nil
		}
		if !postal.IsCode(err, postal.CodeConflict) || try > 0 {
			return remit.Detail{}, false, err
		}
	}
}

func insertStatement(ctx context.Context, x runner, d remit.Detail) error {
	var account, ifsc string
	if d.RemitTo != nil {
		account, ifsc = d.RemitTo.Account, d.RemitTo.IFSC
	}
	_, err := x.exec(ctx, `INSERT INTO remittances (id, partner_id, date, state, lines, collected_paise, fee_paise, net_paise,
		remit_account, remit_ifsc, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		d.ID, d.PartnerID, d.Date, d.State, d.Totals.Lines, int64(d.Totals.Collected), int64(d.Totals.Fee), int64(d.Totals.Net),
		account, ifsc, d.CreatedBy, ms(d.CreatedAt))
	if err != nil {
		return classify("insert statement", err)
	}
	for _, l := range d.Lines {
		_, err := x.exec(ctx, `INSERT INTO remittance_lines (delivery_id, remittance_id, article_id, dc_id, collected_on,
			delivered_at, mode, upi_ref, collected_paise, fee_paise, net_paise) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			l.DeliveryID, d.ID, l.ArticleID, l.DCID, l.CollectedOn, ms(l.DeliveredAt), l.Mode, l.UPIRef,
			int64(l.Collected), int64(l.Fee), int64(l.Net))
		if err != nil {
			return classify("insert statement line", err)
		}
	}
	return nil
}

const statementCols = `id, partner_id, date, state, lines, collected_paise, fee_paise, net_paise, remit_account, remit_ifsc,
	created_by, created_at, bank_ref, paid_at, paid_by`

func scanStatement(row interface{ Scan(...any) error }) (remit.Statement, error) {
	var s remit.Statement
	var collected, fee, net, created int64
	var account, ifsc string
	var paid sql.NullInt64
	err := row.Scan(&s.ID, &s.PartnerID, &s.Date, &s.State, &s.Totals.Lines, &collected, &fee, &net, &account, &ifsc,
		&s.CreatedBy, &created, &s.BankRef, &paid, &s.PaidBy)
	s.Totals.Collected, s.Totals.Fee, s.Totals.Net = postal.Paise(collected), postal.Paise(fee), postal.Paise(net)
	s.CreatedAt, s.PaidAt = fromMS(created), nullMS(paid)
	if account != "" {
		s.RemitTo = &partner.Remittance{Account: account, IFSC: ifsc}
	}
	return s, err
}

// statementOf finds a partner's statement for a day, with its lines.
func (db *DB) statementOf(ctx context.Context, partnerID, date string) (remit.Detail, error) {
	return db.detail(ctx, "SELECT "+statementCols+" FROM remittances WHERE partner_id = ? AND date = ?", partnerID, date)
}

// Statement finds a statement with its lines.
func (db *DB) Statement(ctx context.Context, id string) (remit.Detail, error) {
	return db.detail(ctx, "SELECT "+statementCols+" FROM remittances WHERE id = ?", id)
}

func (db *DB) detail(ctx context.Context, query string, args ...any) (remit.Detail, error) {
	s, err := scanStatement(db.run().queryRow(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return remit.Detail{}, notFound("remittance")
	}
	if err != nil {
		return remit.Detail{}, classify("statement", err)
	}
	rows, err := db.run().query(ctx, `SELECT article_id, delivery_id, dc_id, collected_on, delivered_at, mode, upi_ref,
		collected_paise, fee_paise, net_paise FROM remittance_lines WHERE remittance_id = ?
		ORDER BY collected_on, delivered_at, article_id`, s.ID)
	if err != nil {
		return remit.Detail{}, classify("statement lines", err)
	}
	defer rows.Close()
	d := remit.Detail{Statement: s, Lines: []remit.Line{}}
	for rows.Next() {
		var l remit.Line
		var at, collected, fee, net int64
		if err := rows.Scan(&l.ArticleID, &l.DeliveryID, &l.DCID, &l.CollectedOn, &at, &l.Mode, &l.UPIRef, &collected, &fee, &net); err != nil {
			return remit.Detail{}, classify("statement lines", err)
		}
		l.DeliveredAt, l.Collected, l.Fee, l.Net = fromMS(at), postal.Paise(collected), postal.Paise(fee), postal.Paise(net)
		d.Lines = append(d.Lines, l)
	}
	return d, classify("statement lines", rows.Err())
}

// Statements lists statements by day, newest first.
func (db *DB) Statements(ctx context.Context, f remit.Filter) ([]remit.Statement, error) {
	where, args := []string{"1 = 1"}, []any{}
	for _, c := range []struct {
		cond string
		v    string
	}{{"partner_id = ?", f.PartnerID}, {"date >= ?", f.From}, {"date <= ?", f.To}, {"state = ?", f.State}} {
		if c.v != "" {
			where, args = append(where, c.cond), append(args, c.v)
		}
	}
	cond, after := keyset(f.After, "date DESC", "partner_id", "id")
	where, args = append(where, cond), append(args, after...)
	rows, err := db.run().query(ctx, "SELECT "+statementCols+" FROM remittances WHERE "+strings.Join(where, " AND ")+
		" ORDER BY date DESC, partner_id, id LIMIT ?", append(args, f.Limit)...)
	if err != nil {
		return nil, classify("statements", err)
	}
	defer rows.Close()
	out := []remit.Statement{}
	for rows.Next() {
		s, err := scanStatement(rows)
		if err != nil {
			return nil, classify("statements", err)
		}
		out = append(out, s)
	}
	return out, classify("statements", rows.Err())
}

// MarkPaid records an open statement's payment; a conflict when it is not
// open (paid meanwhile), not found when there is none.
func (db *DB) MarkPaid(ctx context.Context, id, bankRef string, paidAt time.Time, by string, at time.Time) error {
	res, err := db.run().exec(ctx, `UPDATE remittances SET state = 'paid', bank_ref = ?, paid_at = ?, paid_by = ?, marked_paid_at = ?
		WHERE id = ? AND state = 'open'`, bankRef, ms(paidAt), by, ms(at), id)
	if err != nil {
		return classify("mark paid", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		if _, err := db.Statement(ctx, id); err != nil {
			return err
		}
		return postal.Errorf(postal.CodeConflict, "this statement is not open")
	}
	return nil
}
