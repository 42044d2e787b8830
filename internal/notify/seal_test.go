package notify_test

import (
	"strings"
	"testing"
	"time"

	"dakiya/internal/notify"
)

func TestSealer(t *testing.T) {
	s, err := notify.NewSealer([]byte("sms seal key for tests, 32 bytes"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.NewSealedMessage("m1", "+919845012345", "code "+notify.Slot+", again "+notify.Slot, "123456", notify.KindOTP, "", "", t0)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(m.Body+m.Sealed, "123456") || m.Sealed == "" {
		t.Fatalf("the code is in clear: %+v", m)
	}
	r, err := s.Render(m)
	if err != nil || r.Body != "code 123456, again 123456" || r.Sealed != "" {
		t.Fatalf("render: %+v %v", r, err)
	}
	plain := notify.NewMessage("m2", "+919845012345", "no secret "+notify.Slot, notify.KindSlotLink, "", "", t0)
	if r, err := s.Render(plain); err != nil || r != plain {
		t.Fatalf("a plain message changed: %+v %v", r, err)
	}
	moved := m
	moved.ID = "m3" // a sealed code copied onto another message does not open
	if _, err := s.Render(moved); err == nil {
		t.Fatal("a moved secret opened")
	}
	other, _ := notify.NewSealer([]byte("another sms key for tests, 32 b!"))
	if _, err := other.Render(m); err == nil {
		t.Fatal("another key opened the secret")
	}
	if _, err := (notify.Sealer{}).Render(m); err == nil {
		t.Fatal("the zero Sealer opened the secret")
	}
	if _, err := s.NewSealedMessage("m4", "+919845012345", "no slot", "123456", notify.KindOTP, "", "", time.Now()); err == nil {
		t.Fatal("a template without a slot was accepted")
	}
	if _, err := notify.NewSealer([]byte("short")); err == nil {
		t.Fatal("a short key was accepted")
	}
}
