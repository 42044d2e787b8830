// Package signed makes and reads the tokens of Dakiya's signed, expiring
// links (a recipient's slot link, a partner's proof-of-delivery link): an
// id and an expiry, and a MAC over both, so a link can be neither altered
// nor made without the key.
package signed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// Token returns base64url("id.expiry") "." base64url(the first 16 bytes
// of HMAC-SHA256 over it), the expiry in Unix seconds.
func Token(key []byte, id string, exp time.Time) string {
	payload := id + "." + strconv.FormatInt(exp.Unix(), 10)
	enc := base64.RawURLEncoding
	return enc.EncodeToString([]byte(payload)) + "." + enc.EncodeToString(mac(key, payload))
}

func mac(key []byte, payload string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return m.Sum(nil)[:16]
}

// Parse reads a token made with key, or with one of the previous keys a
// rotation replaced: its id and expiry. ok is false for a token longer
// than maxLen, malformed, or made with none of the keys; whether it has
// expired is the caller's to judge.
func Parse(key []byte, token string, maxLen int, previous ...[]byte) (id string, exp time.Time, ok bool) {
	p, s, found := strings.Cut(token, ".")
	if !found || len(token) > maxLen {
		return "", time.Time{}, false
	}
	enc := base64.RawURLEncoding
	payload, err1 := enc.DecodeString(p)
	sig, err2 := enc.DecodeString(s)
	if err1 != nil || err2 != nil || !signedByAny(sig, string(payload), key, previous) {
		return "", time.Time{}, false
	}
	dot := strings.LastIndexByte(string(payload), '.')
	if dot < 0 {
		return "", time.Time{}, false
	}
	id, unix := string(payload[:dot]), string(payload[dot+1:])
	secs, err := strconv.ParseInt(unix, 10, 64)
	if err != nil {
		return "", time.Time{}, false
	}
	return id, time.Unix(secs, 0), true
}

// signedByAny reports whether sig is the MAC of payload under key or under
// one of previous. Every key is tried, so the time taken does not tell
// which one matched.
func signedByAny(sig []byte, payload string, key []byte, previous [][]byte) bool {
	ok := hmac.Equal(sig, mac(key, payload))
	for _, k := range previous {
		if hmac.Equal(sig, mac(k, payload)) {
			ok = true
		}
	}
	return ok
}
