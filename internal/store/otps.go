package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/otp"
	"dakiya/internal/postal"
)

// OTP returns an article's code state: its group's code and its own use.
func (db *DB) OTP(ctx context.Context, articleID string) (otp.State, error) {
	var st otp.State
	var locked, consumed sql.NullInt64
	var expires int64
	err := db.run().queryRow(ctx, `SELECT a.article_id, g.id, g.sealed_seed, g.counter, g.resends, g.attempts, g.locked_at,
		a.consumed_at, g.expires_at, g.check_value
		FROM otp_articles a JOIN otp_groups g ON g.id = a.group_id WHERE a.article_id = ?`, articleID).
		Scan(&st.ArticleID, &st.GroupID, &st.Sealed, &st.Counter, &st.Resends, &st.Attempts, &locked, &consumed, &expires, &st.Check)
	if errors.Is(err, sql.ErrNoRows) {
		return otp.State{}, notFound("code")
	}
	if err != nil {
		return otp.State{}, classify("otp", err)
	}
	st.LockedAt, st.ConsumedAt, st.ExpiresAt = nullMS(locked), nullMS(consumed), fromMS(expires)
	return st, nil
}

// GroupArticles lists the articles a group's code still serves: still in
// an open custody and not yet used by their delivery.
func (db *DB) GroupArticles(ctx context.Context, groupID string) ([]string, error) {
	rows, err := db.run().query(ctx, `SELECT a.article_id FROM otp_articles a JOIN custody c ON c.article_id = a.article_id
		WHERE a.group_id = ? AND a.consumed_at IS NULL AND c.ended_at IS NULL ORDER BY a.article_id`, groupID)
	if err != nil {
		return nil, classify("otp group articles", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, classify("otp group articles", err)
		}
		out = append(out, id)
	}
	return out, classify("otp group articles", rows.Err())
}

// ReserveTry takes one of the tries of the article's group and one of the
// postman's wrong codes for the window before the code is compared, in one
// transaction: the postman's key row is locked first, so concurrent tries
// queue behind one another instead of all passing one stale count, and the
// count is on the group's row, so tries through different articles of a
// group share it. A try on a code other than r.Counter, on a locked group,
// or for an article whose delivery used the code, is refused.
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
		err := q.queryRow(ctx, `UPDATE otp_groups SET attempts = attempts + 1,
			locked_at = CASE WHEN attempts + 1 >= ? THEN ? ELSE locked_at END, updated_at = ?
			WHERE id = ? AND counter = ? AND locked_at IS NULL AND attempts < ?
				AND EXISTS (SELECT 1 FROM otp_articles a WHERE a.article_id = ? AND a.group_id = ? AND a.consumed_at IS NULL)
			RETURNING attempts`, r.MaxTries, ms(r.At), ms(r.At), r.GroupID, r.Counter, r.MaxTries,
			r.ArticleID, r.GroupID).Scan(&try.Tries)
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

// ReturnTry gives back a reserved try whose code was right: the group's
// try (and the lock its last try set) and the postman's wrong code.
func (db *DB) ReturnTry(ctx context.Context, groupID string, counter uint64, attempt string) error {
	return db.inTx(ctx, "return otp try", func(q runner) error {
		if _, err := q.exec(ctx, `UPDATE otp_groups SET attempts = attempts - 1, locked_at = NULL
			WHERE id = ? AND counter = ? AND attempts > 0`, groupID, counter); err != nil {
			return classify("return otp try", err)
		}
		_, err := q.exec(ctx, "DELETE FROM otp_failures WHERE attempt = ?", attempt)
		return classify("return otp failure", err)
	})
}

// reissueOTP replaces a group's code if it is still at counter from, and
// queues its one SMS, inside a caller's transaction.
func reissueOTP(ctx context.Context, r runner, from uint64, next otp.Issued) error {
	st := next.State
	res, err := r.exec(ctx, `UPDATE otp_groups SET counter = ?, resends = ?, attempts = 0, locked_at = NULL, expires_at = ?,
		check_value = ?, updated_at = ? WHERE id = ? AND counter = ?`,
		st.Counter, st.Resends, ms(st.ExpiresAt), st.Check, ms(next.SMS.CreatedAt), st.GroupID, from)
	if err != nil {
		return classify("reissue otp", err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return postal.Errorf(postal.CodeConflict, "the code changed meanwhile; try again")
	}
	_, err = insertSMS(ctx, r, next.SMS)
	return err
}

// UnlockOTP clears a group's wrong tries.
func (db *DB) UnlockOTP(ctx context.Context, groupID string) error {
	_, err := db.run().exec(ctx, "UPDATE otp_groups SET attempts = 0, locked_at = NULL WHERE id = ?", groupID)
	return classify("unlock otp", err)
}

// consumeOTP marks an article's code used by its delivery, inside a
// caller's transaction; false when it was already used. The other articles
// of its group keep the code.
func consumeOTP(ctx context.Context, r runner, articleID string, at time.Time) (bool, error) {
	res, err := r.exec(ctx, "UPDATE otp_articles SET consumed_at = ?, updated_at = ? WHERE article_id = ? AND consumed_at IS NULL",
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
