package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/booking"
	"dakiya/internal/idem"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

// s10BlockSize is how many serials a partner's series draws at a time.
const s10BlockSize = 100_000

// allocateTries bounds the ids tried for one article when allocated ids
// turn out taken (booked by hand with an id from the same range).
const allocateTries = 20

// PINCentres maps each PIN code a beat lists to its centre (the first
// centre by id when two list it).
func (db *DB) PINCentres(ctx context.Context) (map[string]string, error) {
	rows, err := db.run().query(ctx, "SELECT dc_id, pins FROM beats ORDER BY dc_id DESC, id DESC")
	if err != nil {
		return nil, classify("pin centres", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var dc, pins string
		if err := rows.Scan(&dc, &pins); err != nil {
			return nil, classify("pin centres", err)
		}
		for _, p := range splitList(pins) {
			out[p] = dc
		}
	}
	return out, classify("pin centres", rows.Err())
}

// Book stores a booking in one transaction (see booking.Store).
func (db *DB) Book(ctx context.Context, b booking.Batch, render func(booking.Result) (idem.Completion, error)) (booking.Result, error) {
	res := b.Result
	err := db.inTx(ctx, "book", func(r runner) error {
		res = b.Result
		res.Items = append([]booking.ItemResult(nil), b.Result.Items...)
		at := map[int]int{} // item index → position in res.Items
		for k, it := range res.Items {
			at[it.Index] = k
		}
		if err := allocateAll(ctx, r, b); err != nil {
			return err
		}
		var total postal.Paise
		for _, row := range b.Rows {
			it := &res.Items[at[row.Index]]
			charged, err := bookRow(ctx, r, b, row, it)
			if err != nil {
				return err
			}
			total += charged
		}
		res.TotalPaise = total
		if err := charge(ctx, r, b, &res); err != nil {
			return err
		}
		return keepBooking(ctx, r, b, res, render)
	})
	if err != nil {
		return booking.Result{}, err
	}
	return res, nil
}

// allocateAll gives every row without an id one from the partner's series,
// indicator by indicator in order, so that concurrent bookings lock the
// series rows in the same order.
func allocateAll(ctx context.Context, r runner, b booking.Batch) error {
	need := map[string][]int{}
	for k, row := range b.Rows {
		if row.Article.ID == "" {
			need[row.Indicator] = append(need[row.Indicator], k)
		}
	}
	inds := make([]string, 0, len(need))
	for ind := range need {
		inds = append(inds, ind)
	}
	sort.Strings(inds)
	for _, ind := range inds {
		for _, k := range need[ind] {
			id, err := allocate(ctx, r, b.PartnerID, ind, b.Country)
			if err != nil {
				return err
			}
			b.Rows[k].Article.ID = id
		}
	}
	return nil
}

// bookRow inserts one row and fills in its result; it returns what the row
// charges (its price when created now, else nothing).
func bookRow(ctx context.Context, r runner, b booking.Batch, row booking.Row, it *booking.ItemResult) (postal.Paise, error) {
	allocated := it.ID == ""
	for try := 0; ; try++ {
		o, err := insertArticle(ctx, r, row.Article, row.Events)
		if err != nil {
			return 0, err
		}
		it.ID = row.Article.ID
		switch {
		case o == article.Created:
			it.Status = booking.ItemCreated
			return row.Article.PricePaise, nil
		case allocated && try < allocateTries:
			// The allocated id is taken: draw the next one.
			if row.Article.ID, err = allocate(ctx, r, b.PartnerID, row.Indicator, b.Country); err != nil {
				return 0, err
			}
		case allocated:
			return 0, postal.Errorf(postal.CodeUnavailable, "could not allocate a free S10 id; try again")
		case o == article.Unchanged:
			it.Status = booking.ItemUnchanged
			return 0, r.queryRow(ctx, "SELECT price_paise, cod_fee_paise FROM articles WHERE id = ?", it.ID).
				Scan(&it.PricePaise, &it.CODFeePaise)
		default:
			csvRow := it.Row
			*it = booking.Clash(it.Index, it.ID, it.Reference)
			it.Row = csvRow
			return 0, nil
		}
	}
}

// allocate draws the next serial of a partner's series for indicator,
// taking a new block when the partner has none or its block is used up.
// The UPDATE locks the series row, so concurrent bookings queue on it.
func allocate(ctx context.Context, r runner, partnerID, indicator, country string) (string, error) {
	var next int64
	err := r.queryRow(ctx, `UPDATE s10_series SET next_serial = next_serial + 1
		WHERE partner_id = ? AND indicator = ? AND next_serial < block_end RETURNING next_serial`, partnerID, indicator).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return newBlock(ctx, r, partnerID, indicator, country)
	}
	if err != nil {
		return "", classify("allocate s10", err)
	}
	return s10(indicator, next-1, country)
}

// newBlock reserves the indicator's next block for the partner and returns
// its first id.
func newBlock(ctx context.Context, r runner, partnerID, indicator, country string) (string, error) {
	var block int64
	err := r.queryRow(ctx, `INSERT INTO s10_blocks (indicator, next_block) VALUES (?, 2)
		ON CONFLICT (indicator) DO UPDATE SET next_block = s10_blocks.next_block + 1 RETURNING next_block`, indicator).Scan(&block)
	if err != nil {
		return "", classify("s10 block", err)
	}
	start := (block - 1) * s10BlockSize // block 1 is the first: serials from 100000
	if start+s10BlockSize-1 > 99_999_999 {
		return "", postal.Errorf(postal.CodeUnavailable, "the %s series is exhausted", indicator)
	}
	_, err = r.exec(ctx, `INSERT INTO s10_series (partner_id, indicator, next_serial, block_end) VALUES (?, ?, ?, ?)
		ON CONFLICT (partner_id, indicator) DO UPDATE SET next_serial = excluded.next_serial, block_end = excluded.block_end`,
		partnerID, indicator, start+1, start+s10BlockSize)
	if err != nil {
		return "", classify("s10 series", err)
	}
	return s10(indicator, start, country)
}

func s10(indicator string, serial int64, country string) (string, error) {
	id, err := postal.NewS10(indicator, int(serial), country)
	if err != nil {
		return "", postal.Wrap(err, postal.CodeInternal, "allocate s10")
	}
	return string(id), nil
}

// charge debits a prepaid partner's wallet by the booking's total, or
// refuses the booking if the wallet holds less; an on-account partner is
// not debited.
func charge(ctx context.Context, r runner, b booking.Batch, res *booking.Result) error {
	billing, balance, err := debitWallet(ctx, r, debit{partnerID: b.PartnerID, entryID: b.ID, reference: b.ID, actorID: b.KeyID,
		total: int64(res.TotalPaise), at: b.CreatedAt, what: "this booking"})
	res.Billing = billing
	if err != nil || billing != partner.BillingPrepaid {
		return err
	}
	res.WalletPaise = &balance
	return nil
}

// debit is one charge to a partner's wallet.
type debit struct {
	partnerID, entryID, reference, actorID string
	total                                  int64
	at                                     time.Time
	what                                   string // what is paid for, in the refusal's words
}

// debitWallet charges a prepaid partner's wallet d.total and writes the
// ledger entry, inside the caller's transaction; the UPDATE's condition
// makes two charges racing for the last rupees pay once. A wallet holding
// less is refused (payment required) with nothing changed; an on-account
// partner is not debited. It returns the billing mode and the balance.
func debitWallet(ctx context.Context, r runner, d debit) (partner.Billing, int64, error) {
	var billing string
	var balance int64
	if err := r.queryRow(ctx, "SELECT billing, wallet_paise FROM partners WHERE id = ?", d.partnerID).Scan(&billing, &balance); err != nil {
		return "", 0, classify("charge", err)
	}
	if partner.Billing(billing) != partner.BillingPrepaid || d.total <= 0 {
		return partner.Billing(billing), balance, nil
	}
	err := r.queryRow(ctx, `UPDATE partners SET wallet_paise = wallet_paise - ? WHERE id = ? AND wallet_paise >= ?
		RETURNING wallet_paise`, d.total, d.partnerID, d.total).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return "", 0, &postal.Error{Code: postal.CodePaymentRequired, Extra: map[string]any{"wallet_paise": balance, "total_paise": d.total},
			Message: fmt.Sprintf("the wallet holds %s and %s costs %s: top up the wallet, then try again; nothing was booked",
				postal.Paise(balance).Rupees(), d.what, postal.Paise(d.total).Rupees())}
	}
	if err != nil {
		return "", 0, classify("charge", err)
	}
	_, err = r.exec(ctx, `INSERT INTO wallet_entries (id, partner_id, kind, amount_paise, balance_paise, reference, actor_id, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, d.entryID, d.partnerID, booking.EntryBooking, -d.total, balance, d.reference, d.actorID, ms(d.at))
	if err != nil {
		return "", 0, classify("charge", err)
	}
	return partner.BillingPrepaid, balance, nil
}

// keepBooking stores the booking with its result and its idempotent answer.
func keepBooking(ctx context.Context, r runner, b booking.Batch, res booking.Result, render func(booking.Result) (idem.Completion, error)) error {
	body, err := json.Marshal(res)
	if err != nil {
		return postal.Wrap(err, postal.CodeInternal, "keep booking")
	}
	_, err = r.exec(ctx, `INSERT INTO bookings (id, partner_id, key_id, quote_id, billing, items, total_paise, result, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, b.ID, b.PartnerID, b.KeyID, b.QuoteID, string(res.Billing), len(res.Items),
		int64(res.TotalPaise), string(body), ms(b.CreatedAt))
	if err != nil {
		return classify("keep booking", err)
	}
	done, err := render(res)
	if err != nil {
		return postal.Wrap(err, postal.CodeInternal, "keep booking")
	}
	return finishIdem(ctx, r, done, b.CreatedAt)
}

// Booking returns one of a partner's bookings.
func (db *DB) Booking(ctx context.Context, partnerID, id string) (booking.Booking, error) {
	var b booking.Booking
	var billing, result string
	var total, created int64
	err := db.run().queryRow(ctx, `SELECT id, partner_id, key_id, quote_id, billing, total_paise, result, created_at
		FROM bookings WHERE id = ? AND partner_id = ?`, id, partnerID).
		Scan(&b.ID, &b.PartnerID, &b.KeyID, &b.QuoteID, &billing, &total, &result, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return b, notFound("booking")
	}
	if err != nil {
		return b, classify("booking", err)
	}
	b.Billing, b.TotalPaise, b.CreatedAt = partner.Billing(billing), postal.Paise(total), fromMS(created)
	if err := json.Unmarshal([]byte(result), &b.Result); err != nil {
		return b, postal.Wrap(err, postal.CodeInternal, "booking result")
	}
	return b, nil
}

// BookingArticles lists the articles a booking created, by id.
func (db *DB) BookingArticles(ctx context.Context, bookingID string) ([]article.Article, error) {
	rows, err := db.run().query(ctx, "SELECT "+articleColumns+" FROM articles WHERE booking_id = ? ORDER BY id", bookingID)
	if err != nil {
		return nil, classify("booking articles", err)
	}
	return collectArticles(rows)
}
