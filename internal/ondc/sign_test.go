package ondc

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"dakiya/internal/postal"
)

func TestDigestVector(t *testing.T) {
	// BLAKE2b-512 of the empty string (RFC 7693's parameters; the
	// reference implementation's test vector).
	want := "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
	sum, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(Digest(nil), "BLAKE-512="))
	if got := strings.ToLower(hexOf(sum)); got != want {
		t.Fatalf("BLAKE2b-512(\"\") = %s", got)
	}
}

func hexOf(b []byte) string {
	const d = "0123456789abcdef"
	out := make([]byte, 0, 2*len(b))
	for _, c := range b {
		out = append(out, d[c>>4], d[c&15])
	}
	return string(out)
}

func TestSignAndVerify(t *testing.T) {
	now := time.Date(2026, 11, 25, 4, 30, 0, 0, time.UTC)
	s, err := NewSigner("bap.example", "k1", bytes.Repeat([]byte{3}, ed25519.SeedSize))
	if err != nil {
		t.Fatal(err)
	}
	reg, err := NewRegistry([]Subscriber{{SubscriberID: "bap.example", UniqueKeyID: "k1", SigningPublicKey: s.PublicKey(), PartnerID: "p1"}})
	if err != nil {
		t.Fatal(err)
	}
	body := []byte(`{"context":{},"message":{}}`)
	h := s.Header(body, now)
	if !strings.HasPrefix(h, `Signature keyId="bap.example|k1|ed25519",algorithm="ed25519",created="1795581000",expires="1795581300",headers="(created) (expires) digest",signature="`) {
		t.Fatalf("header %s", h)
	}
	if sub, err := Verify(reg, h, body, now.Add(time.Minute)); err != nil || sub.PartnerID != "p1" {
		t.Fatalf("verify: %v %v", sub, err)
	}
	other, _ := NewSigner("bap.example", "k1", bytes.Repeat([]byte{4}, ed25519.SeedSize))
	for name, c := range map[string]struct {
		h    string
		body []byte
		at   time.Time
	}{
		"tampered body":   {h, []byte(`{"context":{},"message":{"x":1}}`), now},
		"expired":         {h, body, now.Add(SignatureTTL)},
		"from the future": {s.Header(body, now.Add(2*time.Minute)), body, now},
		"other key":       {other.Header(body, now), body, now},
		"unknown key id":  {strings.Replace(h, "|k1|", "|k2|", 1), body, now},
		"not ed25519":     {strings.Replace(h, "|ed25519\"", "|rsa\"", 1), body, now},
		"no signature":    {strings.Replace(h, `signature="`, `sig="`, 1), body, now},
		"bearer":          {"Bearer abc", body, now},
		"empty":           {"", body, now},
	} {
		if _, err := Verify(reg, c.h, c.body, c.at); !postal.IsCode(err, postal.CodeUnauthenticated) {
			t.Errorf("%s: %v, want unauthenticated", name, err)
		}
	}
}

func TestRegistry(t *testing.T) {
	key := base64.StdEncoding.EncodeToString(make([]byte, ed25519.PublicKeySize))
	for name, subs := range map[string][]Subscriber{
		"bad key":      {{SubscriberID: "a", UniqueKeyID: "k", SigningPublicKey: "xx", PartnerID: "p"}},
		"no partner":   {{SubscriberID: "a", UniqueKeyID: "k", SigningPublicKey: key}},
		"two partners": {{SubscriberID: "a", UniqueKeyID: "k", SigningPublicKey: key, PartnerID: "p"}, {SubscriberID: "a", UniqueKeyID: "k2", SigningPublicKey: key, PartnerID: "q"}},
	} {
		if _, err := NewRegistry(subs); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := LoadRegistry("/nonexistent/registry.json"); err == nil {
		t.Error("a missing registry file is accepted")
	}
}

func TestParseDuration(t *testing.T) {
	for s, want := range map[string]time.Duration{"PT30S": 30 * time.Second, "P1D": 24 * time.Hour, "PT1H30M": 90 * time.Minute, "P2DT1S": 48*time.Hour + time.Second} {
		if d, ok := ParseDuration(s); !ok || d != want {
			t.Errorf("%s: %v %v", s, d, ok)
		}
	}
	for _, s := range []string{"", "P", "PT", "30S", "PT-1S", "P1W"} {
		if _, ok := ParseDuration(s); ok {
			t.Errorf("%q accepted", s)
		}
	}
}
