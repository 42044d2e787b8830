package pod

import (
	"strings"
	"testing"
	"time"

	"dakiya/internal/postal"
)

func TestLinks(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	l := NewLinks([]byte("pod link key for tests, 32 bytes"), "https://dakiya.example/")
	u := l.URL("proof-1", now)
	if !strings.HasPrefix(u, "https://dakiya.example/api/v1/pod/") {
		t.Fatalf("url %q", u)
	}
	tok := strings.TrimPrefix(u, "https://dakiya.example"+Path)
	if id, err := l.Parse(tok, now.Add(TTL-time.Second)); err != nil || id != "proof-1" {
		t.Fatalf("parse within a day: %q %v", id, err)
	}
	for name, bad := range map[string]string{
		"expired":     tok,
		"altered":     tok[:len(tok)-2] + "AA",
		"other key":   NewLinks([]byte("another key, also 32 bytes long!"), "").Token("proof-1", now),
		"no dot":      "abc",
		"empty":       "",
		"long":        strings.Repeat("a", 400) + ".b",
		"empty proof": strings.Split(l.Token("", now), ".")[0] + "." + strings.Split(l.Token("", now), ".")[1],
	} {
		at := now
		if name == "expired" {
			at = now.Add(TTL)
		}
		if _, err := l.Parse(bad, at); !postal.IsCode(err, postal.CodeNotFound) {
			t.Errorf("%s: got %v, want not found", name, err)
		}
	}
}

func TestLinksSurviveRotation(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	oldKey, newKey := []byte("pod link key before the rotation"), []byte("pod link key after the rotation!")
	tok := NewLinks(oldKey, "").Token("proof-1", now)
	if _, err := NewLinks(newKey, "").Parse(tok, now); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("old link without the previous key: %v, want not found", err)
	}
	during := NewLinks(newKey, "", oldKey)
	if id, err := during.Parse(tok, now); err != nil || id != "proof-1" {
		t.Fatalf("old link during the rotation: %q %v", id, err)
	}
	if id, err := during.Parse(during.Token("proof-2", now), now); err != nil || id != "proof-2" {
		t.Fatalf("new link during the rotation: %q %v", id, err)
	}
	if _, err := during.Parse(tok, now.Add(TTL)); !postal.IsCode(err, postal.CodeNotFound) {
		t.Fatalf("expired old link during the rotation: %v, want not found", err)
	}
}
