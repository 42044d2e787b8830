package slot

import (
	"strings"
	"time"

	"dakiya/internal/postal"
	"dakiya/internal/signed"
)

// Links makes and checks the signed, expiring links that let a recipient
// choose a slot for one article without an account.
type Links struct {
	key      []byte
	previous [][]byte // keys a rotation replaced: their links are still accepted
	baseURL  string   // e.g. https://dakiya.example; the page is {baseURL}/slot/{token}
	ttl      time.Duration
}

// LinkTTL is how long a slot link stays valid.
const LinkTTL = 7 * 24 * time.Hour

// NewLinks returns Links signing with key (derive it for
// secret.PurposeSlotLink). Links made with the previous keys of a
// rotation are still accepted.
func NewLinks(key []byte, baseURL string, previous ...[]byte) Links {
	return Links{key: key, previous: previous, baseURL: strings.TrimRight(baseURL, "/"), ttl: LinkTTL}
}

// Token returns a token for article id that expires ttl after now (see
// package signed).
func (l Links) Token(id string, now time.Time) string {
	return signed.Token(l.key, id, now.Add(l.ttl))
}

// URL returns the page a recipient opens for article id.
func (l Links) URL(id string, now time.Time) string {
	return l.baseURL + "/slot/" + l.Token(id, now)
}

// Parse checks a token and returns the article it names. A malformed,
// tampered or expired token is not found, so a guesser learns nothing.
func (l Links) Parse(token string, now time.Time) (string, error) {
	id, exp, ok := signed.Parse(l.key, token, 200, l.previous...)
	if !ok {
		return "", postal.Errorf(postal.CodeNotFound, "this link is not valid; ask for a new one")
	}
	if !now.Before(exp) {
		return "", postal.Errorf(postal.CodeNotFound, "this link has expired; ask for a new one")
	}
	return id, nil
}
