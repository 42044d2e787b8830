package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
)

const userColumns = "id, username, name, role, COALESCE(dc_id, ''), locale, password_hash, disabled, created_at"

func scanUser(row interface{ Scan(...any) error }) (auth.User, error) {
	var u auth.User
	var role string
	var disabled int
	var created int64
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.DCID, &u.Locale, &u.PasswordHash, &disabled, &created)
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

// RecordLoginFailure adds a failure to each bucket and prunes rows older
// than pruneBefore.
func (db *DB) RecordLoginFailure(ctx context.Context, buckets []string, at, pruneBefore time.Time) error {
	return db.inTx(ctx, "record login failure", func(r runner) error {
		for _, b := range buckets {
			if _, err := r.exec(ctx, "DELETE FROM login_failures WHERE bucket = ? AND at < ?", b, ms(pruneBefore)); err != nil {
				return classify("prune login failures", err)
			}
			if _, err := r.exec(ctx, "INSERT INTO login_failures (bucket, at) VALUES (?, ?)", b, ms(at)); err != nil {
				return classify("insert login failure", err)
			}
		}
		return nil
	})
}

// LoginFailures counts a bucket's failures since a time and returns the
// oldest of them.
func (db *DB) LoginFailures(ctx context.Context, bucket string, since time.Time) (int, time.Time, error) {
	var n int
	var oldest sql.NullInt64
	err := db.run().queryRow(ctx, "SELECT COUNT(*), MIN(at) FROM login_failures WHERE bucket = ? AND at >= ?",
		bucket, ms(since)).Scan(&n, &oldest)
	if err != nil {
		return 0, time.Time{}, classify("login failures", err)
	}
	return n, fromMS(oldest.Int64), nil
}

// ClearLoginFailures forgets a bucket's failures, after a good login.
func (db *DB) ClearLoginFailures(ctx context.Context, bucket string) error {
	_, err := db.run().exec(ctx, "DELETE FROM login_failures WHERE bucket = ?", bucket)
	return classify("clear login failures", err)
}
