package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// OTP returns an article's code state.
func (db *DB) OTP(ctx context.Context, articleID string) (otp.State, error) {
	var st otp.State
	var locked, consumed sql.NullInt64
	var expires int64
	err := db.run().queryRow(ctx, `SELECT article_id, sealed_seed, counter, resends, attempts, locked_at, consumed_at,
		expires_at, check_value FROM otps WHERE article_id = ?`, articleID).
		Scan(&st.ArticleID, &st.Sealed, &st.Counter, &st.Resends, &st.Attempts, &locked, &consumed, &expires, &st.Check)
	if errors.Is(err, sql.ErrNoRows) {
		return otp.State{}, notFound("code")
	}
	if err != nil {
		return otp.State{}, classify("otp", err)
	}
	st.LockedAt, st.ConsumedAt, st.ExpiresAt = nullMS(locked), nullMS(consumed), fromMS(expires)
	return st, nil
}

// insertOTP stores a new code inside a caller's transaction; an article
// going out again after a failed attempt gets a fresh code in place of its
// old one.
func insertOTP(ctx context.Context, r runner, st otp.State, at time.Time) error {
	_, err := r.exec(ctx, `INSERT INTO otps (article_id, sealed_seed, counter, resends, attempts, expires_at, check_value, updated_at)
		VALUES (?, ?, ?, 0, 0, ?, ?, ?)
		ON CONFLICT (article_id) DO UPDATE SET sealed_seed = excluded.sealed_seed, counter = excluded.counter,
			resends = 0, attempts = 0, locked_at = NULL, consumed_at = NULL, expires_at = excluded.expires_at,
			check_value = excluded.check_value, updated_at = excluded.updated_at`,
		st.ArticleID, st.Sealed, st.Counter, ms(st.ExpiresAt), st.Check, ms(at))
	return classify("insert otp", err)
}

// WrongOTP counts a wrong try against the article and the postman, locking
// the article at max tries, and returns the article's tries.
func (db *DB) WrongOTP(ctx context.Context, articleID, postmanID string, at time.Time, max int) (int, error) {
	tries := max
	err := db.inTx(ctx, "wrong otp", func(r runner) error {
		if _, err := r.exec(ctx, `UPDATE otps SET attempts = attempts + 1,
			locked_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE locked_at END, updated_at = ?
			WHERE article_id = ? AND locked_at IS NULL`, max, ms(at), ms(at), articleID); err != nil {
			return classify("wrong otp", err)
		}
		if _, err := r.exec(ctx, "INSERT INTO otp_failures (postman_id, article_id, at) VALUES (?, ?, ?)",
			postmanID, articleID, ms(at)); err != nil {
			return classify("otp failure", err)
		}
		return classify("otp tries", r.queryRow(ctx, "SELECT attempts FROM otps WHERE article_id = ?", articleID).Scan(&tries))
	})
	return tries, err
}

// PostmanWrongOTPs counts a postman's wrong codes since a time, with the
// oldest of them.
func (db *DB) PostmanWrongOTPs(ctx context.Context, postmanID string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullInt64
	err := db.run().queryRow(ctx, "SELECT COUNT(*), MIN(at) FROM otp_failures WHERE postman_id = ? AND at >= ?",
		postmanID, ms(since)).Scan(&n, &oldest)
	return n, fromMS(oldest.Int64), classify("postman wrong otps", err)
}

// reissueOTP replaces an article's code if it is still at counter from,
// and queues its SMS, inside a caller's transaction.
func reissueOTP(ctx context.Context, r runner, from uint64, next otp.Issued) error {
	st := next.State
	res, err := r.exec(ctx, `UPDATE otps SET counter = ?, resends = ?, attempts = 0, locked_at = NULL, expires_at = ?,
		check_value = ?, updated_at = ? WHERE article_id = ? AND counter = ? AND consumed_at IS NULL`,
		st.Counter, st.Resends, ms(st.ExpiresAt), st.Check, ms(next.SMS.CreatedAt), st.ArticleID, from)
	if err != nil {
		return classify("reissue otp", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeConflict, "the code changed meanwhile; try again")
	}
	_, err = insertSMS(ctx, r, next.SMS)
	return err
}

// UnlockOTP clears an article's wrong tries.
func (db *DB) UnlockOTP(ctx context.Context, articleID string) error {
	_, err := db.run().exec(ctx, "UPDATE otps SET attempts = 0, locked_at = NULL WHERE article_id = ?", articleID)
	return classify("unlock otp", err)
}

// consumeOTP marks an article's code used by its delivery, inside a
// caller's transaction; false when it was already used.
func consumeOTP(ctx context.Context, r runner, articleID string, at time.Time) (bool, error) {
	res, err := r.exec(ctx, "UPDATE otps SET consumed_at = ?, updated_at = ? WHERE article_id = ? AND consumed_at IS NULL",
		ms(at), ms(at), articleID)
	if err != nil {
		return false, classify("consume otp", err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify("consume otp", err)
}

// ConsumeOTP marks an article's code used by its delivery; false when it
// was already used. The delivery outcome calls consumeOTP inside its own
// transaction; this is the same for callers without one.
func (db *DB) ConsumeOTP(ctx context.Context, articleID string, at time.Time) (bool, error) {
	var ok bool
	err := db.inTx(ctx, "consume otp", func(r runner) error {
		var err error
		ok, err = consumeOTP(ctx, r, articleID, at)
		return err
	})
	return ok, err
}
