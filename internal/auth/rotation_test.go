package auth_test

import (
	"context"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"dakiya/internal/auth"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

// TestKeyRotation: a token signed before DAKIYA_SECRET_KEY changed still
// works while the old key is configured as previous, and is refused once it
// is removed; the new key signs, naming itself in the kid header; a token
// from before key ids (no kid) is tried with every key; an unknown kid is
// refused even when its signature would check.
func TestKeyRotation(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		ctx := context.Background()
		old, err := f.svc.Login(ctx, "asha", "correct horse", "")
		if err != nil {
			t.Fatal(err)
		}
		oldKid := kid(t, old.AccessToken)
		newKey := []byte("the next access-token key, 32+ bytes long")
		rotated, err := auth.New(db, newKey, auth.DefaultPolicy(), f.clock.Now, uuid.NewString)
		if err != nil {
			t.Fatal(err)
		}
		_, err = rotated.Authenticate(old.AccessToken)
		wantCode(t, err, postal.CodeUnauthenticated) // before the previous key is configured

		rotated.AcceptPrevious(key)
		if p, err := rotated.Authenticate(old.AccessToken); err != nil || p.UserID != f.user.ID {
			t.Fatalf("old token during the rotation: %+v %v", p, err)
		}
		fresh, err := rotated.Login(ctx, "asha", "correct horse", "")
		if err != nil {
			t.Fatal(err)
		}
		if k := kid(t, fresh.AccessToken); k == "" || k == oldKid {
			t.Fatalf("the new key's kid %q (old %q)", k, oldKid)
		}
		if _, err := rotated.Authenticate(fresh.AccessToken); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.Authenticate(fresh.AccessToken) // a replica still on the old key alone
		wantCode(t, err, postal.CodeUnauthenticated)

		legacy := sign(t, key, "", f)
		if p, err := rotated.Authenticate(legacy); err != nil || p.UserID != f.user.ID {
			t.Fatalf("token without a kid, old key, during the rotation: %+v %v", p, err)
		}
		_, err = rotated.Authenticate(sign(t, key, "0123456789abcdef", f))
		wantCode(t, err, postal.CodeUnauthenticated)

		done, err := auth.New(db, newKey, auth.DefaultPolicy(), f.clock.Now, uuid.NewString) // previous removed
		if err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{old.AccessToken, legacy} {
			_, err = done.Authenticate(tok)
			wantCode(t, err, postal.CodeUnauthenticated)
		}
		if _, err := done.Authenticate(fresh.AccessToken); err != nil {
			t.Fatalf("the new key's token after the rotation: %v", err)
		}
	})
}

// kid reads a token's kid header without verifying it.
func kid(t *testing.T, raw string) string {
	t.Helper()
	tok, _, err := jwt.NewParser().ParseUnverified(raw, jwt.MapClaims{})
	if err != nil {
		t.Fatal(err)
	}
	k, _ := tok.Header["kid"].(string)
	return k
}

// sign makes an access token for f's user with key, with kid when not empty.
func sign(t *testing.T, key []byte, kid string, f fixture) string {
	t.Helper()
	now := f.clock.Now()
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"iss": "dakiya", "aud": "dakiya-staff", "sub": f.user.ID,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(), "typ": "access", "usr": "asha", "role": "supervisor", "dc": "dc-one"})
	if kid != "" {
		tok.Header["kid"] = kid
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
