package store

// This file keeps tariff versions and quotes (internal/tariff).

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"dakiya/internal/tariff"
)

const tariffColumns = "version, effective_from, sha256, row_count, created_by, created_at"

func scanTariff(row interface{ Scan(...any) error }, withCSV bool) (tariff.Version, error) {
	var v tariff.Version
	var created int64
	dest := []any{&v.Name, &v.EffectiveFrom, &v.SHA256, &v.Rows, &v.CreatedBy, &created}
	if withCSV {
		dest = append(dest, &v.CSV)
	}
	if err := row.Scan(dest...); err != nil {
		return v, err
	}
	v.CreatedAt = fromMS(created)
	return v, nil
}

// InsertTariff stores a tariff version; a conflict when its name or its
// effective date is taken.
func (db *DB) InsertTariff(ctx context.Context, v tariff.Version) error {
	_, err := db.run().exec(ctx, "INSERT INTO tariffs ("+tariffColumns+", csv) VALUES (?, ?, ?, ?, ?, ?, ?)",
		v.Name, v.EffectiveFrom, v.SHA256, v.Rows, v.CreatedBy, ms(v.CreatedAt), v.CSV)
	return classify("insert tariff", err)
}

// Tariffs lists the tariff versions without their CSV, latest effective first.
func (db *DB) Tariffs(ctx context.Context) ([]tariff.Version, error) {
	return db.TariffsPage(ctx, nil, -1)
}

// TariffsPage lists up to limit versions (every one when limit < 0)
// without their CSV, latest effective first, after the effective date and
// name in after.
func (db *DB) TariffsPage(ctx context.Context, after []any, limit int) ([]tariff.Version, error) {
	cond, args := keyset(after, "effective_from DESC", "version")
	rows, err := db.run().query(ctx, "SELECT "+tariffColumns+" FROM tariffs WHERE "+cond+
		" ORDER BY effective_from DESC, version LIMIT ?", append(args, rowLimit(limit))...)
	if err != nil {
		return nil, classify("tariffs", err)
	}
	defer rows.Close()
	out := []tariff.Version{}
	for rows.Next() {
		v, err := scanTariff(rows, false)
		if err != nil {
			return nil, classify("tariffs", err)
		}
		out = append(out, v)
	}
	return out, classify("tariffs", rows.Err())
}

// Tariff returns one version with its CSV.
func (db *DB) Tariff(ctx context.Context, name string) (tariff.Version, error) {
	return db.oneTariff(ctx, "version = ?", name)
}

// TariffOn returns the version in force on day (YYYY-MM-DD) with its CSV.
func (db *DB) TariffOn(ctx context.Context, day string) (tariff.Version, error) {
	return db.oneTariff(ctx, "effective_from = (SELECT MAX(effective_from) FROM tariffs WHERE effective_from <= ?)", day)
}

func (db *DB) oneTariff(ctx context.Context, where string, arg any) (tariff.Version, error) {
	v, err := scanTariff(db.run().queryRow(ctx, "SELECT "+tariffColumns+", csv FROM tariffs WHERE "+where, arg), true)
	if errors.Is(err, sql.ErrNoRows) {
		return v, notFound("tariff")
	}
	return v, classify("tariff", err)
}

// InsertQuote keeps a quote.
func (db *DB) InsertQuote(ctx context.Context, q tariff.Quote) error {
	req, err := json.Marshal(q.Request)
	if err != nil {
		return fmt.Errorf("store: insert quote: %w", err)
	}
	res, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("store: insert quote: %w", err)
	}
	_, err = db.run().exec(ctx, `INSERT INTO quotes (id, partner_id, tariff_version, request, result, price_paise, cod_fee_paise, created_at, valid_until)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, q.ID, q.PartnerID, q.TariffVersion, string(req), string(res),
		int64(q.PricePaise), int64(q.CODFeePaise), ms(q.CreatedAt), ms(q.ValidUntil))
	return classify("insert quote", err)
}

// Quote returns a stored quote with its partner.
func (db *DB) Quote(ctx context.Context, id string) (tariff.Quote, error) {
	var q tariff.Quote
	var partnerID, result string
	var created, until int64
	err := db.run().queryRow(ctx, "SELECT partner_id, result, created_at, valid_until FROM quotes WHERE id = ?", id).
		Scan(&partnerID, &result, &created, &until)
	if errors.Is(err, sql.ErrNoRows) {
		return q, notFound("quote")
	}
	if err != nil {
		return q, classify("quote", err)
	}
	if err := json.Unmarshal([]byte(result), &q); err != nil {
		return q, fmt.Errorf("store: quote %s: %w", id, err)
	}
	q.PartnerID, q.CreatedAt, q.ValidUntil = partnerID, fromMS(created), fromMS(until)
	return q, nil
}
