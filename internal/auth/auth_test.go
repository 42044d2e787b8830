package auth_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"dakiya/internal/auth"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/store"
	"dakiya/internal/testkit"
)

var key = []byte("0123456789abcdef0123456789abcdef")

// fixture is an auth service on a real database with one centre and a
// supervisor whose password is "correct horse".
type fixture struct {
	svc   *auth.Service
	db    *store.DB
	clock *testkit.Clock
	user  auth.User
}

func newFixture(t *testing.T, db *store.DB) fixture {
	t.Helper()
	return newFixtureWith(t, db, auth.DefaultPolicy())
}

func newFixtureWith(t *testing.T, db *store.DB, policy auth.Policy) fixture {
	t.Helper()
	ctx := context.Background()
	clock := testkit.NewClock(time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC))
	svc, err := auth.New(db, key, policy, clock.Now, uuid.NewString)
	if err != nil {
		t.Fatal(err)
	}
	admin := postal.Principal{Role: postal.RoleAdmin, UserID: "root"}
	if _, err := centre.New(db, clock.Now, uuid.NewString).Create(ctx, admin, centre.DC{
		ID: "dc-one", Name: "One", Address: "Road 1", PIN: "560034", Lat: 12.93, Lon: 77.62}); err != nil {
		t.Fatal(err)
	}
	u, err := svc.CreateUser(ctx, auth.NewUser{Username: "Asha", Name: "Asha Rao", Role: postal.RoleSupervisor,
		DCID: "dc-one", Password: "correct horse"})
	if err != nil {
		t.Fatal(err)
	}
	return fixture{svc: svc, db: db, clock: clock, user: u}
}

func wantCode(t *testing.T, err error, code postal.Code) {
	t.Helper()
	if got := postal.ErrorCode(err); err == nil || got != code {
		t.Fatalf("error = %v (code %s), want code %s", err, got, code)
	}
}

func TestLogin(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) { testLogin(t, newFixture(t, db)) })
}

func TestRefreshRotationAndReuse(t *testing.T) {
	testkit.EachDB(t, func(t *testing.T, db *store.DB) { testRefresh(t, newFixture(t, db)) })
}

func TestCreateUser(t *testing.T) {
	testkit.EachDB(t, testCreateUser)
}

func testLogin(t *testing.T, f fixture) {
	ctx := context.Background()
	s, err := f.svc.Login(ctx, " ASHA ", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if s.TokenType != "Bearer" || s.ExpiresIn != 900 || !strings.HasPrefix(s.RefreshToken, "rt_") || s.User.ID != f.user.ID {
		t.Fatalf("session = %+v", s)
	}
	p, err := f.svc.Authenticate(s.AccessToken)
	if err != nil {
		t.Fatal(err)
	}
	want := postal.Principal{UserID: f.user.ID, Username: "asha", Role: postal.RoleSupervisor, DCID: "dc-one"}
	if p != want {
		t.Fatalf("principal = %+v, want %+v", p, want)
	}
	_, err = f.svc.Login(ctx, "asha", "wrong horse", "10.0.0.1")
	wantCode(t, err, postal.CodeUnauthenticated)
	_, err = f.svc.Login(ctx, "nobody", "correct horse", "10.0.0.1")
	wantCode(t, err, postal.CodeUnauthenticated)
	_, err = f.svc.Login(ctx, "", "", "10.0.0.1")
	wantCode(t, err, postal.CodeInvalid)
	f.clock.Advance(auth.AccessTTL)
	_, err = f.svc.Authenticate(s.AccessToken)
	wantCode(t, err, postal.CodeUnauthenticated)
}

func testRefresh(t *testing.T, f fixture) {
	ctx := context.Background()
	s1, err := f.svc.Login(ctx, "asha", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Minute)
	s2, err := f.svc.Refresh(ctx, s1.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	if s2.RefreshToken == s1.RefreshToken {
		t.Fatal("refresh did not rotate the token")
	}
	s3, err := f.svc.Refresh(ctx, s2.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	// s1 was rotated out: presenting it again is reuse and kills the family.
	_, err = f.svc.Refresh(ctx, s1.RefreshToken)
	wantCode(t, err, postal.CodeUnauthenticated)
	_, err = f.svc.Refresh(ctx, s3.RefreshToken)
	wantCode(t, err, postal.CodeUnauthenticated)

	// A separate login is its own family and survives.
	other, err := f.svc.Login(ctx, "asha", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Logout(ctx, other.RefreshToken); err != nil {
		t.Fatal(err)
	}
	_, err = f.svc.Refresh(ctx, other.RefreshToken)
	wantCode(t, err, postal.CodeUnauthenticated)
	if err := f.svc.Logout(ctx, "rt_unknown"); err != nil {
		t.Fatalf("logout of an unknown token: %v", err)
	}
	_, err = f.svc.Refresh(ctx, "")
	wantCode(t, err, postal.CodeInvalid)
	_, err = f.svc.Refresh(ctx, "rt_forged")
	wantCode(t, err, postal.CodeUnauthenticated)

	// A refresh token lives one shift; rotation does not stretch it.
	last, err := f.svc.Login(ctx, "asha", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(13 * time.Hour)
	next, err := f.svc.Refresh(ctx, last.RefreshToken)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	_, err = f.svc.Refresh(ctx, next.RefreshToken)
	wantCode(t, err, postal.CodeUnauthenticated)
}

func asError(err error, target **postal.Error) bool {
	e, ok := err.(*postal.Error)
	*target = e
	return ok
}

func testCreateUser(t *testing.T, db *store.DB) {
	f := newFixture(t, db)
	ctx := context.Background()
	cases := []struct {
		name string
		in   auth.NewUser
		code postal.Code
	}{
		{"taken username", auth.NewUser{Username: "asha", Name: "X", Role: postal.RolePostman, DCID: "dc-one", Password: "long enough pw"}, postal.CodeConflict},
		{"unknown centre", auth.NewUser{Username: "ravi", Name: "Ravi", Role: postal.RolePostman, DCID: "dc-nowhere", Password: "long enough pw"}, postal.CodeInvalid},
		{"admin with centre", auth.NewUser{Username: "boss", Name: "Boss", Role: postal.RoleAdmin, DCID: "dc-one", Password: "long enough pw"}, postal.CodeInvalid},
		{"postman without centre", auth.NewUser{Username: "ravi", Name: "Ravi", Role: postal.RolePostman, Password: "long enough pw"}, postal.CodeInvalid},
		{"short password", auth.NewUser{Username: "ravi", Name: "Ravi", Role: postal.RolePostman, DCID: "dc-one", Password: "short"}, postal.CodeInvalid},
		{"bad role", auth.NewUser{Username: "ravi", Name: "Ravi", Role: "king", DCID: "dc-one", Password: "long enough pw"}, postal.CodeInvalid},
		{"bad username", auth.NewUser{Username: "1 bad", Name: "Ravi", Role: postal.RolePostman, DCID: "dc-one", Password: "long enough pw"}, postal.CodeInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.CreateUser(ctx, c.in)
			wantCode(t, err, c.code)
		})
	}
	if _, err := db.UserByUsername(ctx, "ravi"); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("a refused user was stored: %v", err)
	}
}

// TestTokenAttacks forges access tokens the ways attackers do and checks
// each is refused.
func TestTokenAttacks(t *testing.T) {
	f := newFixture(t, testkit.DB(t))
	now := f.clock.Now()
	good := jwt.MapClaims{"iss": "dakiya", "aud": []string{"dakiya-staff"}, "sub": f.user.ID, "typ": "access",
		"usr": "asha", "role": "supervisor", "dc": "dc-one", "iat": now.Unix(), "exp": now.Add(10 * time.Minute).Unix()}
	with := func(k string, v any) jwt.MapClaims {
		c := jwt.MapClaims{}
		for kk, vv := range good {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		return c
	}
	hs := func(c jwt.MapClaims, k []byte) string {
		s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(k)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if _, err := f.svc.Authenticate(hs(good, key)); err != nil {
		t.Fatalf("the well-formed control token was refused: %v", err)
	}
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := jwt.NewWithClaims(jwt.SigningMethodRS256, good).SignedString(rsaKey)
	if err != nil {
		t.Fatal(err)
	}
	none, err := jwt.NewWithClaims(jwt.SigningMethodNone, good).SignedString(jwt.UnsafeAllowNoneSignatureType)
	if err != nil {
		t.Fatal(err)
	}
	hs512, err := jwt.NewWithClaims(jwt.SigningMethodHS512, good).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"alg none":             none,
		"alg none, no sig dot": strings.TrimSuffix(none, "."),
		"RS256 (confusion)":    rs,
		"HS512 not pinned":     hs512,
		"wrong key":            hs(good, []byte("another key of thirty-two bytes!")),
		"expired":              hs(with("exp", now.Add(-time.Second).Unix()), key),
		"no exp":               hs(with("exp", nil), key),
		"issued in the future": hs(with("iat", now.Add(time.Hour).Unix()), key),
		"wrong audience":       hs(with("aud", []string{"partners"}), key),
		"wrong issuer":         hs(with("iss", "evil"), key),
		"refresh typ":          hs(with("typ", "refresh"), key),
		"no typ":               hs(with("typ", nil), key),
		"unknown role":         hs(with("role", "king"), key),
		"postman without dc":   hs(with("dc", nil), key),
		"tampered payload":     tamper(t, hs(good, key)),
		"garbage":              "not.a.jwt",
		"empty":                "",
	}
	for name, tok := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := f.svc.Authenticate(tok)
			wantCode(t, err, postal.CodeUnauthenticated)
		})
	}
}

// tamper makes a supervisor token claim to be an admin, keeping its signature.
func tamper(t *testing.T, tok string) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	forged := strings.Replace(string(payload), `"role":"supervisor"`, `"role":"admin"`, 1)
	if forged == string(payload) {
		t.Fatal("tamper found nothing to change")
	}
	parts[1] = base64.RawURLEncoding.EncodeToString([]byte(forged))
	return strings.Join(parts, ".")
}

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("s3cret-pass")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := auth.HashPassword("s3cret-pass")
	if h == h2 {
		t.Fatal("two hashes of one password are equal: the salt is missing")
	}
	if ok, err := auth.CheckPassword(h, "s3cret-pass"); !ok || err != nil {
		t.Fatalf("right password: %v %v", ok, err)
	}
	if ok, _ := auth.CheckPassword(h, "s3cret-pasS"); ok {
		t.Fatal("wrong password accepted")
	}
	for _, bad := range []string{"", "$argon2id$v=19$m=1,t=1,p=1$zz", "$bcrypt$x$y$z$w", strings.Replace(h, "v=19", "v=16", 1)} {
		if ok, err := auth.CheckPassword(bad, "x"); ok || err == nil {
			t.Fatalf("CheckPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

// TestRememberedTokens checks a token once and then from memory: a token
// altered by one character is still checked and refused, a remembered one
// expires when it says, and one issued before its user's sessions ended is
// refused though remembered.
func TestRememberedTokens(t *testing.T) {
	f := newFixture(t, testkit.DB(t))
	ctx := context.Background()
	s, err := f.svc.Login(ctx, "asha", "correct horse", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := f.svc.Authenticate(s.AccessToken); err != nil {
			t.Fatal(err)
		}
	}
	raw := []byte(s.AccessToken)
	raw[len(raw)-2] ^= 1
	_, err = f.svc.Authenticate(string(raw))
	wantCode(t, err, postal.CodeUnauthenticated)
	f.clock.Advance(auth.AccessTTL - time.Second)
	if _, err := f.svc.Authenticate(s.AccessToken); err != nil {
		t.Fatalf("a second before expiry: %v", err)
	}
	f.clock.Advance(time.Second)
	_, err = f.svc.Authenticate(s.AccessToken)
	wantCode(t, err, postal.CodeUnauthenticated)
}
