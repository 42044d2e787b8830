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

func TestParseAfterRotation(t *testing.T) {
	oldKey, newKey := []byte("the key before the rotation, 32b"), []byte("the key after the rotation, 32 b")
	other := []byte("a key nobody rotated to or from!")
	exp := time.Unix(1_800_000_000, 0)
	old := Token(oldKey, "slot-1", exp)
	if _, _, ok := Parse(newKey, old, 200); ok {
		t.Fatal("old key's token accepted without the previous key")
	}
	if id, at, ok := Parse(newKey, old, 200, other, oldKey); !ok || id != "slot-1" || !at.Equal(exp) {
		t.Fatalf("old key's token during rotation: %q %v %v", id, at, ok)
	}
	if _, _, ok := Parse(newKey, Token(newKey, "slot-2", exp), 200, oldKey); !ok {
		t.Fatal("new key's token refused during rotation")
	}
	if _, _, ok := Parse(newKey, Token(other, "slot-3", exp), 200, oldKey); ok {
		t.Fatal("a token of a key in neither place accepted")
	}
}
