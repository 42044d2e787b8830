// Package pod makes and checks the signed links through which a partner
// system (a webhook receiver, an ONDC buyer app) fetches an article's
// proof-of-delivery images without an account: each link names one proof,
// expires 24 hours after it is made, and cannot be altered.
package pod

import (
	"strings"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/signed"
)

// TTL is how long a link stays valid.
const TTL = 24 * time.Hour

// Path is where links point, below the public base URL; the token follows.
const Path = "/api/v1/pod/"

// Links makes and checks proof-of-delivery links.
type Links struct {
	key      []byte
	previous [][]byte
	baseURL  string
}

// NewLinks returns Links signing with key (derive it for
// secret.PurposePODLink) and pointing at baseURL (the server's public URL).
// Links made with the previous keys of a rotation are still accepted.
func NewLinks(key []byte, baseURL string, previous ...[]byte) Links {
	return Links{key: key, previous: previous, baseURL: strings.TrimRight(baseURL, "/")}
}

// URL returns a link to proof id, valid for TTL from now.
func (l Links) URL(proofID string, now time.Time) string {
	return l.baseURL + Path + l.Token(proofID, now)
}

// Expiry is when a link made at now stops working.
func Expiry(now time.Time) time.Time { return now.Add(TTL).Truncate(time.Second) }

// Token is the signed token of a link to proof id made at now.
func (l Links) Token(proofID string, now time.Time) string {
	return signed.Token(l.key, proofID, Expiry(now))
}

// Parse checks a token and returns the proof it names. A malformed,
// altered or expired token is not found, so a guesser learns nothing.
func (l Links) Parse(token string, now time.Time) (string, error) {
	id, exp, ok := signed.Parse(l.key, token, 300, l.previous...)
	if !ok || id == "" || !now.Before(exp) {
		return "", postal.Errorf(postal.CodeNotFound, "this proof-of-delivery link is not valid or has expired")
	}
	return id, nil
}
