package store

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
)

const userColumns = "id, username, name, role, COALESCE(dc_id, ''), locale, password_hash, disabled, created_at, sessions_revoked_at"

func scanUser(row interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var role string
	var disabled int
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.DCID, &u.Locale, &u.PasswordHash, &disabled, &created,
		&u.SessionsRevoked)
	u.Role, u.Disabled, u.CreatedAt = postal.Role(role), disabled != 0, fromMS(created)
	return u, err
}

// UserByUsername finds a user by login name.
func (db *DB) UserByUsername(ctx context.Context, username string) (auth.User, error) {
	return db.user(ctx, "username", username)
}

// UserByID finds a user by id.
func (db *DB) UserByID(ctx context.Context, id string) (auth.User, error) {
	return db.user(ctx, "id", id)
}

func (db *DB) user(ctx context.Context, column, value string) (auth.User, error) {
	u, err := scanUser(db.run().queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE "+column+" = ?", value))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.User{}, notFound("user")
	}
	return u, classify("user", err)
}

// CreateUser inserts a user; a taken username is a conflict.
func (db *DB) CreateUser(ctx context.Context, u auth.User) error {
	var dc any
	if u.DCID != "" {
		dc = u.DCID
	}
	_, err := db.run().exec(ctx, `INSERT INTO users (id, username, name, role, dc_id, locale, password_hash, disabled, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.Username, u.Name, string(u.Role), dc, u.Locale, u.PasswordHash, boolInt(u.Disabled), ms(u.CreatedAt))
	if postal.IsCode(classify("", err), postal.CodeConflict) {
		return postal.Wrap(err, postal.CodeConflict, "username already taken")
	}
	if postal.IsCode(classify("", err), postal.CodeInvalid) {
		e := postal.Invalid("unknown delivery centre", postal.FieldError{Field: "dc_id", Message: "no such centre"})
		e.Err = err
		return e
	}
	return classify("create user", err)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// CreateRefreshFamily starts a login's refresh family with its first token.
func (db *DB) CreateRefreshFamily(ctx context.Context, t auth.RefreshToken) error {
	return db.inTx(ctx, "create refresh family", func(r runner) error {
		if _, err := r.exec(ctx, "INSERT INTO refresh_families (id, user_id, created_at) VALUES (?, ?, ?)",
			t.FamilyID, t.UserID, ms(t.CreatedAt)); err != nil {
			return classify("insert refresh family", err)
		}
		return insertRefresh(ctx, r, t)
	})
}

// AddRefreshToken adds a rotated token to its family.
func (db *DB) AddRefreshToken(ctx context.Context, t auth.RefreshToken) error {
	return insertRefresh(ctx, db.run(), t)
}

func insertRefresh(ctx context.Context, r runner, t auth.RefreshToken) error {
	_, err := r.exec(ctx, "INSERT INTO refresh_tokens (hash, family_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
		t.Hash, t.FamilyID, ms(t.CreatedAt), ms(t.ExpiresAt))
	return classify("insert refresh token", err)
}

// RefreshToken finds a refresh token by its hash, with its family's state.
func (db *DB) RefreshToken(ctx context.Context, hash string) (auth.RefreshToken, error) {
	var t auth.RefreshToken
	var created, expires int64
	var used, revoked sql.NullInt64
	err := db.run().queryRow(ctx, `SELECT t.hash, t.family_id, f.user_id, t.created_at, t.expires_at, t.used_at, f.revoked_at
		FROM refresh_tokens t JOIN refresh_families f ON f.id = t.family_id WHERE t.hash = ?`, hash).
		Scan(&t.Hash, &t.FamilyID, &t.UserID, &created, &expires, &used, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.RefreshToken{}, notFound("refresh token")
	}
	if err != nil {
		return auth.RefreshToken{}, classify("refresh token", err)
	}
	t.CreatedAt, t.ExpiresAt, t.UsedAt, t.RevokedAt = fromMS(created), fromMS(expires), nullMS(used), nullMS(revoked)
	return t, nil
}

// UseRefreshToken marks a token rotated out; false means it already was.
func (db *DB) UseRefreshToken(ctx context.Context, hash string, at time.Time) (bool, error) {
	res, err := db.run().exec(ctx, "UPDATE refresh_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL", ms(at), hash)
	if err != nil {
		return false, classify("use refresh token", err)
	}
	n, err := res.RowsAffected()
	return n == 1, classify("use refresh token", err)
}

// RevokeRefreshFamily ends every token of a login.
func (db *DB) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	_, err := db.run().exec(ctx, "UPDATE refresh_families SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", ms(at), familyID)
	return classify("revoke refresh family", err)
}

// ReserveLogin checks a login attempt against its buckets and records it
// as a failure in those it Records, in one transaction: the recorded
// buckets' key rows are locked first (in key order, so two attempts never
// wait on each other in a circle), their old failures pruned, every
// bucket counted, and allow asked. When allow refuses, nothing is written.
func (db *DB) ReserveLogin(ctx context.Context, at time.Time, buckets []auth.Bucket, allow func([]auth.Count) error) (string, error) {
	attempt := newAttempt()
	err := db.inTx(ctx, "reserve login", func(r runner) error {
		if err := lockBuckets(ctx, r, at, buckets); err != nil {
			return err
		}
		counts := make([]auth.Count, len(buckets))
		for i, b := range buckets {
			var oldest, latest sql.NullInt64
			if err := r.queryRow(ctx, "SELECT COUNT(*), MIN(at), MAX(at) FROM login_failures WHERE bucket = ? AND at >= ?",
				b.Key, ms(b.Since)).Scan(&counts[i].N, &oldest, &latest); err != nil {
				return classify("count login failures", err)
			}
			counts[i].Oldest, counts[i].Latest = fromMS(oldest.Int64), fromMS(latest.Int64)
		}
		if err := allow(counts); err != nil {
			return err
		}
		for _, b := range buckets {
			if !b.Record {
				continue
			}
			if _, err := r.exec(ctx, "INSERT INTO login_failures (bucket, at, attempt) VALUES (?, ?, ?)",
				b.Key, ms(at), attempt); err != nil {
				return classify("insert login failure", err)
			}
		}
		return nil
	})
	return attempt, err
}

// lockBuckets locks the key rows of the buckets an attempt records, in key
// order, and prunes their failures from before their windows.
func lockBuckets(ctx context.Context, r runner, at time.Time, buckets []auth.Bucket) error {
	var rec []auth.Bucket
	for _, b := range buckets {
		if b.Record {
			rec = append(rec, b)
		}
	}
	sort.Slice(rec, func(i, j int) bool { return rec[i].Key < rec[j].Key })
	for _, b := range rec {
		if err := lockKey(ctx, r, b.Key, at); err != nil {
			return err
		}
		if _, err := r.exec(ctx, "DELETE FROM login_failures WHERE bucket = ? AND at < ?", b.Key, ms(b.Since)); err != nil {
			return classify("prune login failures", err)
		}
	}
	return nil
}

// ReleaseLogin takes back an attempt's failures and forgets every failure
// of the buckets in clear (their key rows locked first, like ReserveLogin
// does), then sweeps failures and key rows older than pruneBefore (a good
// login is rare enough to pay for the sweep).
func (db *DB) ReleaseLogin(ctx context.Context, attempt string, clear []string, pruneBefore time.Time) error {
	err := db.inTx(ctx, "release login", func(r runner) error {
		keys := append([]string(nil), clear...)
		sort.Strings(keys)
		for _, k := range keys {
			// Touched as of pruneBefore: the bucket is empty now, so the
			// sweep below may take its key row too.
			if err := lockKey(ctx, r, k, pruneBefore); err != nil {
				return err
			}
			if _, err := r.exec(ctx, "DELETE FROM login_failures WHERE bucket = ?", k); err != nil {
				return classify("clear login failures", err)
			}
		}
		_, err := r.exec(ctx, "DELETE FROM login_failures WHERE attempt = ?", attempt)
		return classify("release login", err)
	})
	if err != nil {
		return err
	}
	return db.pruneLogins(ctx, pruneBefore)
}

// pruneLogins deletes failures from before before and login key rows last
// touched at or before it (a bucket ReleaseLogin cleared is touched as of
// before, so it goes now), one statement each; on PostgreSQL it skips rows a login holds locked rather
// than wait for them.
func (db *DB) pruneLogins(ctx context.Context, before time.Time) error {
	failures := "DELETE FROM login_failures WHERE at < ?"
	keys := "DELETE FROM limit_keys WHERE key LIKE 'login:%' AND touched_at <= ?"
	if db.dialect == Postgres {
		failures = "DELETE FROM login_failures WHERE ctid IN (SELECT ctid FROM login_failures WHERE at < ? FOR UPDATE SKIP LOCKED)"
		keys = "DELETE FROM limit_keys WHERE key IN (SELECT key FROM limit_keys WHERE key LIKE 'login:%' AND touched_at <= ? FOR UPDATE SKIP LOCKED)"
	}
	if _, err := db.run().exec(ctx, failures, ms(before)); err != nil {
		return classify("prune login failures", err)
	}
	_, err := db.run().exec(ctx, keys, ms(before))
	return classify("prune limit keys", err)
}

// Users lists staff by username, of one centre when dc is not empty.
func (db *DB) Users(ctx context.Context, dc string) ([]auth.User, error) {
	return db.UsersPage(ctx, dc, nil, -1)
}

// UsersPage lists up to limit staff (every one when limit < 0) by
// username after the username in after, of one centre when dc is not
// empty.
func (db *DB) UsersPage(ctx context.Context, dc string, after []any, limit int) ([]auth.User, error) {
	cond, args := keyset(after, "username")
	rows, err := db.run().query(ctx, "SELECT "+userColumns+" FROM users WHERE (? = '' OR dc_id = ?) AND "+cond+
		" ORDER BY username LIMIT ?", append(append([]any{dc, dc}, args...), rowLimit(limit))...)
	if err != nil {
		return nil, classify("users", err)
	}
	defer rows.Close()
	out := []auth.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, classify("users", err)
		}
		out = append(out, u)
	}
	return out, classify("users", rows.Err())
}

// keepsBeats refuses a change that would leave a beat walked by someone who
// is no longer a postman of its centre: give the beat another postman first.
func keepsBeats(ctx context.Context, r runner, u auth.User) error {
	var beat string
	err := r.queryRow(ctx, `SELECT id FROM beats WHERE postman_id = ? AND (? <> 'postman' OR dc_id <> ?) ORDER BY id LIMIT 1`,
		u.ID, string(u.Role), u.DCID).Scan(&beat)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return classify("beats of user", err)
	}
	return postal.Errorf(postal.CodeConflict, "%s walks beat %s: give the beat another postman first", u.Username, beat)
}

// UpdateUser stores a user's role, centre, password hash and disabled
// flag, and revokes their refresh families when revokeAt is set, in one
// transaction.
func (db *DB) UpdateUser(ctx context.Context, u auth.User, revokeAt *time.Time) error {
	var dc any
	if u.DCID != "" {
		dc = u.DCID
	}
	return db.inTx(ctx, "update user", func(r runner) error {
		res, err := r.exec(ctx, "UPDATE users SET role = ?, dc_id = ?, password_hash = ?, disabled = ? WHERE id = ?",
			string(u.Role), dc, u.PasswordHash, boolInt(u.Disabled), u.ID)
		if err != nil {
			if postal.IsCode(classify("", err), postal.CodeInvalid) {
				return postal.Invalid("unknown delivery centre", postal.FieldError{Field: "dc_id", Message: "no such centre"})
			}
			return classify("update user", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return notFound("user")
		}
		if err := keepsBeats(ctx, r, u); err != nil {
			return err
		}
		if revokeAt == nil {
			return nil
		}
		if _, err := r.exec(ctx, "UPDATE users SET sessions_revoked_at = ? WHERE id = ?", ms(*revokeAt), u.ID); err != nil {
			return classify("revoke user access tokens", err)
		}
		_, err = r.exec(ctx, "UPDATE refresh_families SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", ms(*revokeAt), u.ID)
		return classify("revoke user sessions", err)
	})
}

// RevokedSessions returns, for every user whose sessions were ended after
// since, when that happened (Unix ms).
func (db *DB) RevokedSessions(ctx context.Context, since time.Time) (map[string]int64, error) {
	rows, err := db.run().query(ctx, "SELECT id, sessions_revoked_at FROM users WHERE sessions_revoked_at > ?", ms(since))
	if err != nil {
		return nil, classify("revoked sessions", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id string
		var at int64
		if err := rows.Scan(&id, &at); err != nil {
			return nil, classify("revoked sessions", err)
		}
		out[id] = at
	}
	return out, classify("revoked sessions", rows.Err())
}
