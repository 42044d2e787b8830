package secret

import (
	"bytes"
	"testing"
)

func TestKeysArePerPurposeAndStable(t *testing.T) {
	k := New("a master secret of at least thirty-two characters")
	a1, a2 := k.Key(PurposeAccessToken), k.Key(PurposeAccessToken)
	other := k.Key("dakiya something-else v1")
	if len(a1) != 32 || !bytes.Equal(a1, a2) {
		t.Fatalf("key not stable or not 32 bytes: %x %x", a1, a2)
	}
	if bytes.Equal(a1, other) {
		t.Fatal("two purposes share a key")
	}
	if bytes.Equal(a1, New("another master secret, also long enough!").Key(PurposeAccessToken)) {
		t.Fatal("two masters give the same key")
	}
}
