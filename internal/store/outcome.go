package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"

	"dakiya/internal/delivery"
	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// articleColumnsOf is articleColumns qualified with the articles table's
// alias a, for queries that join it.
var articleColumnsOf = "a." + strings.Join(strings.Split(strings.Join(strings.Fields(articleColumns), " "), ", "), ", a.")

// OutcomeFacts reads what an outcome is judged on in one query: the
// article's custody (as Holding), the article, its centre without its
// beats, its code's state and its failed attempts so far.
func (db *DB) OutcomeFacts(ctx context.Context, articleID string) (delivery.Facts, error) {
	var f delivery.Facts
	var hr holdingRow
	var dcCreated int64
	var otpArticle, group, sealed, check sql.NullString
	var counter, resends, attempts, locked, consumed, expires sql.NullInt64
	art := articleScan{}
	dest := append(hr.dest(), art.dest()...)
	dest = append(dest, &f.DC.ID, &f.DC.Name, &f.DC.Address, &f.DC.PIN, &f.DC.Lat, &f.DC.Lon, &f.DC.TimeZone, &f.DC.UPIVPA, &dcCreated,
		&otpArticle, &group, &sealed, &counter, &resends, &attempts, &locked, &consumed, &expires, &check, &f.FailedAttempts)
	err := db.queryRowHot(ctx, "SELECT "+holdingColumns+", "+articleColumnsOf+`,
		d.id, d.name, d.address, d.pin, d.lat, d.lon, d.tz, d.upi_vpa, d.created_at,
		oa.article_id, g.id, g.sealed_seed, g.counter, g.resends, g.attempts, g.locked_at, oa.consumed_at, g.expires_at, g.check_value,
		(SELECT COUNT(*) FROM deliveries f WHERE f.article_id = a.id AND f.outcome = 'failed')
		`+holdingFrom+`
		LEFT JOIN otp_articles oa ON oa.article_id = a.id
		LEFT JOIN otp_groups g ON g.id = oa.group_id
		WHERE a.id = ?`, articleID).Scan(dest...)
	if errors.Is(err, sql.ErrNoRows) {
		return delivery.Facts{}, notFound("article")
	}
	if err != nil {
		return delivery.Facts{}, classify("outcome facts", err)
	}
	f.Holding, f.Article, f.DC.CreatedAt = hr.holding(), art.article(), fromMS(dcCreated)
	f.DC.DIGIPIN, _ = postal.EncodeDIGIPIN(f.DC.Lat, f.DC.Lon)
	if otpArticle.Valid && group.Valid {
		f.OTP = &otp.State{ArticleID: otpArticle.String, GroupID: group.String, Sealed: sealed.String, Counter: uint64(counter.Int64),
			Resends: int(resends.Int64), Attempts: int(attempts.Int64), LockedAt: nullMS(locked), ConsumedAt: nullMS(consumed),
			ExpiresAt: fromMS(expires.Int64), Check: check.String}
	}
	return f, nil
}
