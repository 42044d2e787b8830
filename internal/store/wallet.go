package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/booking"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// errTopUpExists rolls back a top-up whose reference is already recorded.
var errTopUpExists = errors.New("top-up reference exists")

// TopUp credits a wallet and records the entry in one transaction, unless
// the partner already has a top-up with its reference: then that entry is
// returned (a conflict when its amount differs) and nothing changes.
func (db *DB) TopUp(ctx context.Context, e booking.Entry) (booking.Entry, error) {
	err := db.inTx(ctx, "top up", func(r runner) error {
		var balance int64
		err := r.queryRow(ctx, "UPDATE partners SET wallet_paise = wallet_paise + ? WHERE id = ? RETURNING wallet_paise",
			int64(e.AmountPaise), e.PartnerID).Scan(&balance)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("partner")
		}
		if err != nil {
			return classify("top up", err)
		}
		e.BalancePaise = postal.Paise(balance)
		res, err := r.exec(ctx, `INSERT INTO wallet_entries (id, partner_id, kind, amount_paise, balance_paise, reference, actor_id, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (partner_id, kind, reference) DO NOTHING`,
			e.ID, e.PartnerID, e.Kind, int64(e.AmountPaise), balance, e.Reference, e.ActorID, ms(e.CreatedAt))
		if err != nil {
			return classify("top up", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errTopUpExists
		}
		return nil
	})
	if !errors.Is(err, errTopUpExists) {
		return e, err
	}
	first, err := scanEntry(db.run().queryRow(ctx, "SELECT "+entryColumns+` FROM wallet_entries
		WHERE partner_id = ? AND kind = ? AND reference = ?`, e.PartnerID, e.Kind, e.Reference))
	if err != nil {
		return booking.Entry{}, classify("top up", err)
	}
	if first.AmountPaise != e.AmountPaise {
		return booking.Entry{}, postal.Errorf(postal.CodeConflict, "a top-up with this reference is already recorded with another amount")
	}
	return first, nil
}

const entryColumns = "id, partner_id, kind, amount_paise, balance_paise, reference, actor_id, created_at"

func scanEntry(row interface{ Scan(...any) error }) (booking.Entry, error) {
	var e booking.Entry
	var amount, balance, created int64
	err := row.Scan(&e.ID, &e.PartnerID, &e.Kind, &amount, &balance, &e.Reference, &e.ActorID, &created)
	e.AmountPaise, e.BalancePaise, e.CreatedAt = postal.Paise(amount), postal.Paise(balance), fromMS(created)
	return e, err
}

// Wallet returns a partner's balance, its latest limit ledger entries
// (newest first) and its bookings' totals per month in tz (newest first).
func (db *DB) Wallet(ctx context.Context, partnerID string, limit int, tz *time.Location) (booking.Wallet, error) {
	w := booking.Wallet{PartnerID: partnerID, Entries: []booking.Entry{}, Months: []booking.Month{}}
	var billing string
	var balance int64
	err := db.run().queryRow(ctx, "SELECT billing, wallet_paise FROM partners WHERE id = ?", partnerID).Scan(&billing, &balance)
	if errors.Is(err, sql.ErrNoRows) {
		return w, notFound("partner")
	}
	if err != nil {
		return w, classify("wallet", err)
	}
	w.Billing, w.BalancePaise = partner.Billing(billing), postal.Paise(balance)
	rows, err := db.run().query(ctx, "SELECT "+entryColumns+` FROM wallet_entries WHERE partner_id = ?
		ORDER BY created_at DESC, id DESC LIMIT ?`, partnerID, limit)
	if err != nil {
		return w, classify("wallet", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return w, classify("wallet", err)
		}
		w.Entries = append(w.Entries, e)
	}
	if err := rows.Err(); err != nil {
		return w, classify("wallet", err)
	}
	w.Months, err = db.months(ctx, partnerID, tz)
	return w, err
}

// months totals a partner's bookings per calendar month in tz.
func (db *DB) months(ctx context.Context, partnerID string, tz *time.Location) ([]booking.Month, error) {
	rows, err := db.run().query(ctx, `SELECT b.created_at, b.total_paise,
		(SELECT COUNT(*) FROM articles a WHERE a.booking_id = b.id)
		FROM bookings b WHERE b.partner_id = ? ORDER BY b.created_at DESC`, partnerID)
	if err != nil {
		return nil, classify("wallet months", err)
	}
	defer rows.Close()
	out := []booking.Month{}
	for rows.Next() {
		var created, total int64
		var n int
		if err := rows.Scan(&created, &total, &n); err != nil {
			return nil, classify("wallet months", err)
		}
		month := fromMS(created).In(tz).Format("2006-01")
		if len(out) == 0 || out[len(out)-1].Month != month {
			out = append(out, booking.Month{Month: month})
		}
		m := &out[len(out)-1]
		m.Bookings, m.Articles, m.TotalPaise = m.Bookings+1, m.Articles+n, m.TotalPaise+postal.Paise(total)
	}
	return out, classify("wallet months", rows.Err())
}
