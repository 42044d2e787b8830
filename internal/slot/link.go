package slot

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/postal"
)

// Links makes and checks the signed, expiring links that let a recipient
// choose a slot for one article without an account.
type Links struct {
	key     []byte
	baseURL string // e.g. https://dakiya.example; the page is {baseURL}/slot/{token}
	ttl     time.Duration
}

// LinkTTL is how long a slot link stays valid.
const LinkTTL = 7 * 24 * time.Hour

// NewLinks returns Links signing with key (derive it for
// secret.PurposeSlotLink).
func NewLinks(key []byte, baseURL string) Links {
	return Links{key: key, baseURL: strings.TrimRight(baseURL, "/"), ttl: LinkTTL}
}

// Token returns a token for article id that expires ttl after now:
// base64url("id.expiry") "." base64url(first 16 bytes of HMAC-SHA256).
func (l Links) Token(id string, now time.Time) string {
	payload := id + "." + strconv.FormatInt(now.Add(l.ttl).Unix(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(l.mac(payload))
}

// URL returns the page a recipient opens for article id.
func (l Links) URL(id string, now time.Time) string {
	return l.baseURL + "/slot/" + l.Token(id, now)
}

func (l Links) mac(payload string) []byte {
	m := hmac.New(sha256.New, l.key)
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

// Parse checks a token and returns the article it names. A malformed,
// tampered or expired token is not found, so a guesser learns nothing.
func (l Links) Parse(token string, now time.Time) (string, error) {
	bad := postal.Errorf(postal.CodeNotFound, "this link is not valid; ask for a new one")
	p, s, ok := strings.Cut(token, ".")
	if !ok || len(token) > 200 {
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
	if !ok || err != nil {
		return "", bad
	}
	if !now.Before(time.Unix(unix, 0)) {
		return "", postal.Errorf(postal.CodeNotFound, "this link has expired; ask for a new one")
	}
	return id, nil
}
