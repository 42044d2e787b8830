// Package pod makes and checks the signed links through which a partner
// system (a webhook receiver, an ONDC buyer app) fetches an article's
// proof-of-delivery images without an account: each link names one proof,
// expires 24 hours after it is made, and cannot be altered.
package pod

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// TTL is how long a link stays valid.
const TTL = 24 * time.Hour

// Path is where links point, below the public base URL; the token follows.
const Path = "/api/v1/pod/"

// Links makes and checks proof-of-delivery links.
type Links struct {
	key     []byte
	baseURL string
}

// NewLinks returns Links signing with key (derive it for
// secret.PurposePODLink) and pointing at baseURL (the server's public URL).
func NewLinks(key []byte, baseURL string) Links {
	return Links{key: key, baseURL: strings.TrimRight(baseURL, "/")}
}

// URL returns a link to proof id, valid for TTL from now.
func (l Links) URL(proofID string, now time.Time) string {
	return l.baseURL + Path + l.Token(proofID, now)
}

// Expiry is when a link made at now stops working.
func Expiry(now time.Time) time.Time { return now.Add(TTL).Truncate(time.Second) }

// Token is base64url("id.expiry") "." base64url(first 16 bytes of
// HMAC-SHA256 over it).
func (l Links) Token(proofID string, now time.Time) string {
	payload := proofID + "." + strconv.FormatInt(Expiry(now).Unix(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(l.mac(payload))
}

func (l Links) mac(payload string) []byte {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

// Parse checks a token and returns the proof it names. A malformed,
// altered or expired token is not found, so a guesser learns nothing.
func (l Links) Parse(token string, now time.Time) (string, error) {
	bad := postal.Errorf(postal.CodeNotFound, "this proof-of-delivery link is not valid or has expired")
	p, s, ok := strings.Cut(token, ".")
	if !ok || len(token) > 300 {
		return "", bad
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p)
	sig, err2 := enc.DecodeString(s)
	if err1 != nil || err2 != nil || !hmac.Equal(sig, l.mac(string(payload))) {
		return "", bad
	}
	id, exp, ok := strings.Cut(string(payload), ".")
	unix, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || id == "" || !now.Before(time.Unix(unix, 0)) {
		return "", bad
	}
	return id, nil
}
