package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"dakiya/internal/postal"
)

// Claims of an access token. Everything a request needs to authorise is in
// it, so no database read is needed per request.
const (
	tokenIssuer   = "dakiya"
	tokenAudience = "dakiya-staff"
	tokenType     = "access"
)

// AccessTTL is the lifetime of an access token.
const AccessTTL = 15 * time.Minute

// accessClaims are the claims Dakiya puts in and checks on an access token.
type accessClaims struct {
	jwt.RegisteredClaims
	Type     string `json:"typ"`
	Username string `json:"usr"`
	Role     string `json:"role"`
	DCID     string `json:"dc,omitempty"`
	// Revoked is the user's SessionsRevoked when the token was issued.
	Revoked int64 `json:"rv,omitempty"`
}

// tokens issues and verifies access JWTs, signed with HS256 only. The
// current key signs, naming itself in the "kid" header; during a rotation
// of DAKIYA_SECRET_KEY the previous keys still verify the tokens they
// signed, so nobody is logged out.
type tokens struct {
	key      []byte
	previous [][]byte
	now      func() time.Time
}

// keyID names a signing key in a token's "kid" header without revealing
// it: the first 8 bytes of a SHA-256 over a label and the key, in hex.
func keyID(key []byte) string {
	h := sha256.New()
	h.Write([]byte("dakiya access-token key id\x00"))
	h.Write(key)
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// verificationKey returns the key a token's "kid" names: the current one
// or a previous one. A token without a kid (signed before key ids) is tried
// with every key; an unknown kid is refused.
func (t tokens) verificationKey(tok *jwt.Token) (any, error) {
	kid, _ := tok.Header["kid"].(string)
	keys := append([][]byte{t.key}, t.previous...)
	if kid == "" {
		set := jwt.VerificationKeySet{}
		for _, k := range keys {
			set.Keys = append(set.Keys, k)
		}
		return set, nil
	}
	for _, k := range keys {
		if keyID(k) == kid {
			return k, nil
		}
	}
	return nil, errors.New("auth: unknown signing key id")
}

func (t tokens) issue(u User) (string, time.Time, error) {
	now := t.now()
	exp := now.Add(AccessTTL)
	c := accessClaims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    tokenIssuer,
			Subject:   u.ID,
			Audience:  jwt.ClaimStrings{tokenAudience},
			IssuedAt:  jwt.NewNumericDate(now),
			ExpiresAt: jwt.NewNumericDate(exp),
		},
		Type: tokenType, Username: u.Username, Role: string(u.Role), DCID: u.DCID, Revoked: u.SessionsRevoked,
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
	tok.Header["kid"] = keyID(t.key)
	s, err := tok.SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign: %w", err)
	}
	return s, exp, nil
}

// verify checks the token's algorithm (HS256 and nothing else, so neither
// "none" nor a public-key confusion gets in), signature, issuer, audience,
// expiry, issue time and type, and returns its principal, the user's
// sessions-ended time it was issued under and its expiry.
func (t tokens) verify(raw string) (postal.Principal, int64, time.Time, error) {
	var c accessClaims
	_, err := jwt.ParseWithClaims(raw, &c, t.verificationKey,
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithIssuer(tokenIssuer),
		jwt.WithAudience(tokenAudience),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(t.now),
	)
	if err != nil {
		msg := "invalid access token"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "access token expired"
		}
		return postal.Principal{}, 0, time.Time{}, postal.Wrap(err, postal.CodeUnauthenticated, msg)
	}
	p := postal.Principal{UserID: c.Subject, Username: c.Username, Role: postal.Role(c.Role), DCID: c.DCID}
	if c.Type != tokenType || p.UserID == "" || !p.Role.Valid() || (p.Role != postal.RoleAdmin && p.DCID == "") {
		return postal.Principal{}, 0, time.Time{}, postal.Errorf(postal.CodeUnauthenticated, "invalid access token")
	}
	return p, c.Revoked, c.ExpiresAt.Time, nil
}
