package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

	"dakiya/internal/partner"
	"dakiya/internal/postal"
)

const partnerColumns = "id, name, gstin, billing_dc, remit_account, remit_ifsc, discount_bp, created_at, billing, wallet_paise"

func scanPartner(row interface{ Scan(...any) error }) (partner.Partner, error) {
	var p partner.Partner
	var account, ifsc string
	var created int64
	var billing string
	if err := row.Scan(&p.ID, &p.Name, &p.GSTIN, &p.BillingDC, &account, &ifsc, &p.DiscountBP, &created, &billing, &p.WalletPaise); err != nil {
		return p, err
	}
	if account != "" {
		p.Remittance = &partner.Remittance{Account: account, IFSC: ifsc}
	}
	p.CreatedAt, p.Billing = fromMS(created), partner.Billing(billing)
	return p, nil
}

// InsertPartner stores a new partner.
func (db *DB) InsertPartner(ctx context.Context, p partner.Partner) error {
	var account, ifsc string
	if p.Remittance != nil {
		account, ifsc = p.Remittance.Account, p.Remittance.IFSC
	}
	billing := p.Billing
	if billing == "" {
		billing = partner.BillingPrepaid
	}
	_, err := db.run().exec(ctx, "INSERT INTO partners ("+partnerColumns+") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
		p.ID, p.Name, p.GSTIN, p.BillingDC, account, ifsc, p.DiscountBP, ms(p.CreatedAt), string(billing))
	return classify("insert partner", err)
}

// UpdatePartner stores a partner's name, billing, discount and remittance
// account (its wallet changes only through its ledger).
func (db *DB) UpdatePartner(ctx context.Context, p partner.Partner) error {
	var account, ifsc string
	if p.Remittance != nil {
		account, ifsc = p.Remittance.Account, p.Remittance.IFSC
	}
	res, err := db.run().exec(ctx, `UPDATE partners SET name = ?, billing = ?, discount_bp = ?, remit_account = ?, remit_ifsc = ?
		WHERE id = ?`, p.Name, string(p.Billing), p.DiscountBP, account, ifsc, p.ID)
	if err != nil {
		return classify("update partner", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("partner")
	}
	return nil
}

// Partners returns every partner by name.
func (db *DB) Partners(ctx context.Context) ([]partner.Partner, error) {
	return db.PartnersPage(ctx, nil, -1)
}

// PartnersPage returns up to limit partners (every one when limit < 0) by
// name and id after the name and id in after.
func (db *DB) PartnersPage(ctx context.Context, after []any, limit int) ([]partner.Partner, error) {
	cond, args := keyset(after, "name", "id")
	rows, err := db.run().query(ctx, "SELECT "+partnerColumns+" FROM partners WHERE "+cond+" ORDER BY name, id LIMIT ?",
		append(args, rowLimit(limit))...)
	if err != nil {
		return nil, classify("partners", err)
	}
	defer rows.Close()
	out := []partner.Partner{}
	for rows.Next() {
		p, err := scanPartner(rows)
		if err != nil {
			return nil, classify("partners", err)
		}
		out = append(out, p)
	}
	return out, classify("partners", rows.Err())
}

// Partner returns one partner.
func (db *DB) Partner(ctx context.Context, id string) (partner.Partner, error) {
	p, err := scanPartner(db.run().queryRow(ctx, "SELECT "+partnerColumns+" FROM partners WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return p, notFound("partner")
	}
	return p, classify("partner", err)
}

// DCExists reports whether a delivery centre exists.
func (db *DB) DCExists(ctx context.Context, dc string) (bool, error) {
	var n int
	err := db.run().queryRow(ctx, "SELECT COUNT(*) FROM dcs WHERE id = ?", dc).Scan(&n)
	return n > 0, classify("dc exists", err)
}

const keyColumns = "id, partner_id, prefix, scopes, rate_per_min, expires_at, revoked_at, last_used_at, uses, created_at"

func scanKey(row interface{ Scan(...any) error }) (partner.Key, error) {
	var k partner.Key
	var scopes string
	var expires, revoked, used sql.NullInt64
	var created int64
	if err := row.Scan(&k.ID, &k.PartnerID, &k.Prefix, &scopes, &k.RatePerMin, &expires, &revoked, &used, &k.Uses, &created); err != nil {
		return k, err
	}
	for _, s := range strings.Split(scopes, ",") {
		if s != "" {
			k.Scopes = append(k.Scopes, postal.Scope(s))
		}
	}
	k.ExpiresAt, k.RevokedAt, k.LastUsedAt, k.CreatedAt = nullMS(expires), nullMS(revoked), nullMS(used), fromMS(created)
	return k, nil
}

// InsertKey stores a new key with the hash of its secret.
func (db *DB) InsertKey(ctx context.Context, k partner.Key, hash string) error {
	scopes := make([]string, len(k.Scopes))
	for i, s := range k.Scopes {
		scopes[i] = string(s)
	}
	var expires any
	if k.ExpiresAt != nil {
		expires = ms(*k.ExpiresAt)
	}
	_, err := db.run().exec(ctx, `INSERT INTO api_keys (id, partner_id, prefix, hash, scopes, rate_per_min, expires_at, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, k.ID, k.PartnerID, k.Prefix, hash, strings.Join(scopes, ","), k.RatePerMin, expires, ms(k.CreatedAt))
	return classify("insert key", err)
}

// Keys lists a partner's keys, newest first.
func (db *DB) Keys(ctx context.Context, partnerID string) ([]partner.Key, error) {
	return db.KeysPage(ctx, partnerID, nil, -1)
}

// KeysPage lists up to limit of a partner's keys (every one when limit <
// 0), newest first, after the creation time (ms) and id in after.
func (db *DB) KeysPage(ctx context.Context, partnerID string, after []any, limit int) ([]partner.Key, error) {
	cond, args := keyset(after, "created_at DESC", "id")
	rows, err := db.run().query(ctx, "SELECT "+keyColumns+" FROM api_keys WHERE partner_id = ? AND "+cond+
		" ORDER BY created_at DESC, id LIMIT ?", append(append([]any{partnerID}, args...), rowLimit(limit))...)
	if err != nil {
		return nil, classify("keys", err)
	}
	defer rows.Close()
	out := []partner.Key{}
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, classify("keys", err)
		}
		out = append(out, k)
	}
	return out, classify("keys", rows.Err())
}

// RevokeKey marks a partner's key revoked (the first revocation's time is kept).
func (db *DB) RevokeKey(ctx context.Context, partnerID, keyID string, at time.Time) error {
	res, err := db.run().exec(ctx, "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ? AND partner_id = ?",
		ms(at), keyID, partnerID)
	if err != nil {
		return classify("revoke key", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return notFound("key")
	}
	return nil
}

// KeyByHash finds a key by the hash of its secret.
func (db *DB) KeyByHash(ctx context.Context, hash string) (partner.Key, error) {
	k, err := scanKey(db.run().queryRow(ctx, "SELECT "+keyColumns+" FROM api_keys WHERE hash = ?", hash))
	if errors.Is(err, sql.ErrNoRows) {
		return k, notFound("key")
	}
	return k, classify("key", err)
}

// TouchKey adds n uses to a key and records the last.
func (db *DB) TouchKey(ctx context.Context, keyID string, n int64, at time.Time) error {
	_, err := db.run().exec(ctx, "UPDATE api_keys SET uses = uses + ?, last_used_at = ? WHERE id = ?", n, ms(at), keyID)
	return classify("touch key", err)
}
