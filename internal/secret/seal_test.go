package secret

import (
	"bytes"
	"testing"
)

// Values sealed by the two sealers that came before this one (otp's seeds,
// notify's codes): they must still open.
func TestSealerOpensEarlierValues(t *testing.T) {
	cases := []struct{ key, id, sealed, plain string }{
		{"otp seal key for tests, 32 bytes", "EE123456785IN", "kIrpfZ8ZQckEZ21XvutUbitcZvhowsSSuHTHgZBfG58QnWyyS/WSjB2qKckEi913", "seed-of-twenty-bytes"},
		{"sms seal key for tests, 32 bytes", "msg-1", "AgVlelQMS2gpzwg9JS8nRxZuLM1Q8pAW4Rn5pYhpR/ySCQ", "123456"},
	}
	for _, c := range cases {
		s, err := NewSealer([]byte(c.key))
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Open(c.id, c.sealed)
		if err != nil || string(got) != c.plain {
			t.Fatalf("%s: got %q, %v; want %q", c.id, got, err, c.plain)
		}
	}
}

func TestSealerBindsKeyAndID(t *testing.T) {
	s, _ := NewSealer(bytes.Repeat([]byte{7}, 32))
	other, _ := NewSealer(bytes.Repeat([]byte{8}, 32))
	sealed, err := s.Seal("a", []byte("x"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := s.Open("a", sealed); err != nil || string(got) != "x" {
		t.Fatalf("round trip: %q, %v", got, err)
	}
	for name, open := range map[string]func() ([]byte, error){
		"other id":  func() ([]byte, error) { return s.Open("b", sealed) },
		"other key": func() ([]byte, error) { return other.Open("a", sealed) },
		"zero":      func() ([]byte, error) { return Sealer{}.Open("a", sealed) },
		"garbage":   func() ([]byte, error) { return s.Open("a", "!!") },
		"short":     func() ([]byte, error) { return s.Open("a", "AAAA") },
	} {
		if _, err := open(); err == nil {
			t.Errorf("%s: opened", name)
		}
	}
	if _, err := (Sealer{}).Seal("a", nil); err == nil {
		t.Error("the zero Sealer sealed")
	}
	if _, err := NewSealer([]byte("short")); err == nil {
		t.Error("a short key was accepted")
	}
}

// TestSealerRotation: a value sealed with the old key opens with a sealer
// on the new key that names the old one as previous, and not without it;
// new values are sealed with the new key.
func TestSealerRotation(t *testing.T) {
	oldRing := New("the old master secret, 32+ characters long")
	newRing := New("the new master secret, 32+ characters long", "the old master secret, 32+ characters long")
	before, err := NewSealer(oldRing.Key(PurposeOTPSeal))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := before.Seal("EE123456785IN", []byte("seed"))
	if err != nil {
		t.Fatal(err)
	}
	during, err := NewSealer(newRing.Key(PurposeOTPSeal), newRing.Previous(PurposeOTPSeal)...)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := during.Open("EE123456785IN", sealed); err != nil || string(got) != "seed" {
		t.Fatalf("old value during the rotation: %q %v", got, err)
	}
	if _, err := during.Open("EE000000000IN", sealed); err == nil {
		t.Fatal("opened for another id")
	}
	fresh, err := during.Seal("EE123456785IN", []byte("seed 2"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := before.Open("EE123456785IN", fresh); err == nil {
		t.Fatal("a new value opened with the old key alone: it was not sealed with the new key")
	}
	after, err := NewSealer(New("the new master secret, 32+ characters long").Key(PurposeOTPSeal))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := after.Open("EE123456785IN", sealed); err == nil {
		t.Fatal("an old value opened after the previous key was removed")
	}
	if got, err := after.Open("EE123456785IN", fresh); err != nil || string(got) != "seed 2" {
		t.Fatalf("new value after the rotation: %q %v", got, err)
	}
	if len(New("same", "same", "").Previous(PurposeOTPSeal)) != 0 {
		t.Fatal("the current master or an empty one counted as previous")
	}
}
