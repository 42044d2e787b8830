package auth

import (
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

// tokens issues and verifies access JWTs, signed with HS256 only.
type tokens struct {
	key []byte
	now func() time.Time
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
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.key)
	if err != nil {
		return "", time.Time{}, fmt.Errorf("auth: sign: %w", err)
	}
	return s, exp, nil
}

// verify checks the token's algorithm (HS256 and nothing else, so neither
// "none" nor a public-key confusion gets in), signature, issuer, audience,
// expiry, issue time and type, and returns its principal and the user's
// sessions-ended time it was issued under.
func (t tokens) verify(raw string) (postal.Principal, int64, error) {
	var c accessClaims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.key, nil },
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
		return postal.Principal{}, 0, postal.Wrap(err, postal.CodeUnauthenticated, msg)
	}
	p := postal.Principal{UserID: c.Subject, Username: c.Username, Role: postal.Role(c.Role), DCID: c.DCID}
	if c.Type != tokenType || p.UserID == "" || !p.Role.Valid() || (p.Role != postal.RoleAdmin && p.DCID == "") {
		return postal.Principal{}, 0, postal.Errorf(postal.CodeUnauthenticated, "invalid access token")
	}
	return p, c.Revoked, nil
}
