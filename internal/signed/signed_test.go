package signed

import (
	"strings"
	"testing"
	"time"
)

func TestTokenRoundTrip(t *testing.T) {
	key, exp := []byte("a key of thirty-two bytes, 32 b!"), time.Unix(1_800_000_000, 0)
	tok := Token(key, "id.with.dots", exp)
	if id, at, ok := Parse(key, tok, 200); !ok || id != "id.with.dots" || !at.Equal(exp) {
		t.Fatalf("parse: %q %v %v", id, at, ok)
	}
	for name, bad := range map[string]string{
		"other key": Token([]byte("another key of thirty-two bytes!"), "id", exp),
		"altered":   tok[:len(tok)-1] + "A",
		"too long":  tok,
		"no dot":    strings.ReplaceAll(tok, ".", ""),
	} {
		max := 200
		if name == "too long" {
			max = len(tok) - 1
		}
		if _, _, ok := Parse(key, bad, max); ok {
			t.Errorf("%s: accepted", name)
		}
	}
}
