package partner

import (
	"testing"
	"time"

	"dakiya/internal/postal"
)

func TestValidGSTIN(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"27AAPFU0939F1ZV", true},  // a published example GSTIN
		{"29AAGCB7383J1Z4", true},  // another
		{"27AAPFU0939F1ZW", false}, // check character changed
		{"27AAPFU0939F1Z", false},  // too short
		{"27aapfu0939f1zv", false}, // lower case (callers upper-case first)
		{"2AAAPFU0939F1ZV", false}, // state code not two digits
		{"", false},
	}
	for _, c := range cases {
		if got := ValidGSTIN(c.in); got != c.want {
			t.Errorf("ValidGSTIN(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

func TestKeyInputValidate(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	past, future := now.Add(-time.Hour), now.Add(time.Hour)
	bad := []KeyInput{
		{},
		{Scopes: []postal.Scope{"admin"}},
		{Scopes: []postal.Scope{postal.ScopeBook}, ExpiresAt: &past},
		{Scopes: []postal.Scope{postal.ScopeBook}, RatePerMin: -1},
		{Scopes: []postal.Scope{postal.ScopeBook}, RatePerMin: MaxRatePerMin + 1},
	}
	for _, in := range bad {
		if _, err := in.validate(now); !postal.IsCode(err, postal.CodeInvalid) {
			t.Errorf("%+v: got %v, want invalid", in, err)
		}
	}
	k, err := KeyInput{Scopes: []postal.Scope{postal.ScopeBook, postal.ScopeTrack, postal.ScopeBook}, ExpiresAt: &future}.validate(now)
	if err != nil || len(k.Scopes) != 2 || k.RatePerMin != DefaultRatePerMin || !k.ExpiresAt.Equal(future) {
		t.Fatalf("got %+v, %v", k, err)
	}
}
