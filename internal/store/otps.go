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

// ReserveTry takes one of the article's tries and one of the postman's
// wrong codes for the window before the code is compared, in one
// transaction: the postman's key row is locked first, so concurrent tries
// queue behind one another instead of all passing one stale count. A try
// on a code other than r.Counter, or on a locked or used code, is refused.
func (db *DB) ReserveTry(ctx context.Context, r otp.TryRequest) (otp.Try, error) {
	var try otp.Try
	err := db.inTx(ctx, "reserve otp try", func(q runner) error {
		if err := lockKey(ctx, q, "otp:postman:"+r.PostmanID, r.At); err != nil {
			return err
		}
		var n int
		var oldest sql.NullInt64
		if err := q.queryRow(ctx, "SELECT COUNT(*), MIN(at) FROM otp_failures WHERE postman_id = ? AND at >= ?",
			r.PostmanID, ms(r.PostmanSince)).Scan(&n, &oldest); err != nil {
			return classify("postman wrong otps", err)
		}
		if n >= r.PostmanMax {
			try = otp.Try{Refused: otp.RefusedPostman, Oldest: fromMS(oldest.Int64)}
			return nil
		}
		err := q.queryRow(ctx, `UPDATE otps SET attempts = attempts + 1,
			locked_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE locked_at END, updated_at = ?
			WHERE article_id = ? AND counter = ? AND locked_at IS NULL AND consumed_at IS NULL AND attempts < ?
			RETURNING attempts`, r.MaxTries, ms(r.At), ms(r.At), r.ArticleID, r.Counter, r.MaxTries).Scan(&try.Tries)
		if errors.Is(err, sql.ErrNoRows) {
			try = otp.Try{Refused: otp.RefusedArticle}
			return nil
		}
		if err != nil {
			return classify("reserve otp try", err)
		}
		try.Attempt = newAttempt()
		_, err = q.exec(ctx, "INSERT INTO otp_failures (postman_id, article_id, at, attempt) VALUES (?, ?, ?, ?)",
			r.PostmanID, r.ArticleID, ms(r.At), try.Attempt)
		return classify("otp failure", err)
	})
	return try, err
}

// ReturnTry gives back a reserved try whose code was right: the article's
// try (and the lock its last try set) and the postman's wrong code.
func (db *DB) ReturnTry(ctx context.Context, articleID string, counter uint64, attempt string) error {
	return db.inTx(ctx, "return otp try", func(q runner) error {
		if _, err := q.exec(ctx, `UPDATE otps SET attempts = attempts - 1, locked_at = NULL
			WHERE article_id = ? AND counter = ? AND attempts > 0 AND consumed_at IS NULL`, articleID, counter); err != nil {
			return classify("return otp try", err)
		}
		_, err := q.exec(ctx, "DELETE FROM otp_failures WHERE attempt = ?", attempt)
		return classify("return otp failure", err)
	})
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
