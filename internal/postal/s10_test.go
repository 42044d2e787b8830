package postal

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestParseS10Valid(t *testing.T) {
	tests := []struct {
		in                       string
		want                     S10
		service, serial, country string
	}{
		{"RR287043775IN", "RR287043775IN", "RR", "28704377", "IN"},
		{"EE123456785IN", "EE123456785IN", "EE", "12345678", "IN"},
		{"EM000316760IN", "EM000316760IN", "EM", "00031676", "IN"}, // S mod 11 = 1
		{"RB123456785GB", "RB123456785GB", "RB", "12345678", "GB"},
		{"rr287043775in", "RR287043775IN", "RR", "28704377", "IN"},
		{"Ee123456785iN", "EE123456785IN", "EE", "12345678", "IN"},
		{"  EM000316760IN\t\n", "EM000316760IN", "EM", "00031676", "IN"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := ParseS10(tt.in)
			if err != nil {
				t.Fatalf("ParseS10(%q): %v", tt.in, err)
			}
			if got != tt.want || got.String() != string(tt.want) {
				t.Errorf("ParseS10(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got.ServiceIndicator() != tt.service || got.Serial() != tt.serial || got.Country() != tt.country {
				t.Errorf("parts = %q %q %q, want %q %q %q", got.ServiceIndicator(), got.Serial(),
					got.Country(), tt.service, tt.serial, tt.country)
			}
		})
	}
}

func TestParseS10Invalid(t *testing.T) {
	const layout = "13 characters: 2 letters, 9 digits, 2 letters"
	tests := []struct {
		name, in, msg string
	}{
		{"wrong check digit", "EE123456789IN", "check digit should be 5, not 9"},
		{"wrong check digit foreign", "RB123456786US", "check digit should be 5, not 6"},
		{"check digit 0 expected", "EM000316761IN", "check digit should be 0"},
		{"empty", "", layout},
		{"blank", "   ", layout},
		{"12 characters", "RR28704377IN", layout},
		{"14 characters", "RR2870437751IN", layout},
		{"three-letter country", "RR287043775IND", layout},
		{"inner space", "RR 287043775IN", layout},
		{"hyphenated", "RR-28704377-5-IN", layout},
		{"non-ASCII long s", "ſſ287043775IN", layout},
		{"digit first", "1R287043775IN", "start with 2 letters"},
		{"digit second", "R1287043775IN", "start with 2 letters"},
		{"letter in serial", "RR28704377XIN", "9 digits"},
		{"letter as check digit", "RR28704377AIN", "9 digits"},
		{"digit in country", "RR287043775I1", "end with 2 letters"},
		{"digits as country", "RR28704377512", "end with 2 letters"},
		{"punctuation", "R!287043775IN", "start with 2 letters"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseS10(tt.in)
			if err == nil {
				t.Fatalf("ParseS10(%q) = %q, want an error", tt.in, got)
			}
			wantInvalid(t, err, tt.msg)
		})
	}
}

func TestS10CheckDigit(t *testing.T) {
	tests := []struct {
		serial string
		want   int
	}{
		{"28704377", 5}, // S mod 11 = 0: C = 11, written 5
		{"12345678", 5}, // S mod 11 = 6
		{"00031676", 0}, // S mod 11 = 1: C = 10, written 0
		{"00000000", 5},
		{"00000001", 4}, // S = 7
		{"10000000", 3}, // S = 8
		{"99999999", 5}, // S = 9·44 = 36·11
		{"00000010", 2}, // S = 9
	}
	for _, tt := range tests {
		t.Run(tt.serial, func(t *testing.T) {
			got, err := S10CheckDigit(tt.serial)
			if err != nil {
				t.Fatalf("S10CheckDigit(%q): %v", tt.serial, err)
			}
			if got != tt.want {
				t.Errorf("S10CheckDigit(%q) = %d, want %d", tt.serial, got, tt.want)
			}
		})
	}
	for _, bad := range []string{"", "1234567", "123456789", "1234567a", " 2345678", "１2345678"} {
		t.Run("bad "+bad, func(t *testing.T) {
			_, err := S10CheckDigit(bad)
			wantInvalid(t, err, "8 digits")
		})
	}
}

func TestNewS10(t *testing.T) {
	tests := []struct {
		service string
		serial  int
		country string
		want    S10
	}{
		{"RR", 28704377, "IN", "RR287043775IN"},
		{"ee", 12345678, "in", "EE123456785IN"},
		{"EM", 31676, "IN", "EM000316760IN"},
		{"RB", 12345678, "GB", "RB123456785GB"},
		{"CP", 0, "IN", "CP000000005IN"},
		{"LZ", 99_999_999, "IN", "LZ999999995IN"},
	}
	for _, tt := range tests {
		t.Run(string(tt.want), func(t *testing.T) {
			got, err := NewS10(tt.service, tt.serial, tt.country)
			if err != nil {
				t.Fatalf("NewS10: %v", err)
			}
			if got != tt.want {
				t.Errorf("NewS10(%q, %d, %q) = %q, want %q", tt.service, tt.serial, tt.country, got, tt.want)
			}
		})
	}
}

func TestNewS10Invalid(t *testing.T) {
	tests := []struct {
		name    string
		service string
		serial  int
		country string
		msg     string
	}{
		{"negative serial", "EE", -1, "IN", "between 0 and 99999999"},
		{"nine-digit serial", "EE", 100_000_000, "IN", "between 0 and 99999999"},
		{"one-letter service", "E", 1, "IN", "service indicator"},
		{"three-letter service", "EEE", 1, "IN", "service indicator"},
		{"digit in service", "E1", 1, "IN", "service indicator"},
		{"one-letter country", "EE", 1, "I", "country code"},
		{"digit in country", "EE", 1, "1N", "country code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NewS10(tt.service, tt.serial, tt.country)
			if err == nil {
				t.Fatalf("NewS10 = %q, want an error", got)
			}
			wantInvalid(t, err, tt.msg)
		})
	}
}

// TestNewS10RoundTrip checks that NewS10 builds ids ParseS10 accepts as they
// are, for the serials at both ends and a fixed-seed sample between.
func TestNewS10RoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(10, 13))
	serials := []int{0, 1, 9, 10, 99_999_998, 99_999_999}
	for range 5000 {
		serials = append(serials, r.IntN(maxS10Serial+1))
	}
	for _, serial := range serials {
		id, err := NewS10("EE", serial, "IN")
		if err != nil {
			t.Fatalf("NewS10(EE, %d, IN): %v", serial, err)
		}
		got, err := ParseS10(id.String())
		if err != nil || got != id {
			t.Fatalf("ParseS10(%q) = %q, %v; want it back", id, got, err)
		}
		if want := fmt.Sprintf("%08d", serial); id.Serial() != want {
			t.Fatalf("%q.Serial() = %q, want %q", id, id.Serial(), want)
		}
	}
}

func TestS10ZeroValue(t *testing.T) {
	var id S10
	if id.ServiceIndicator() != "" || id.Serial() != "" || id.Country() != "" || id.String() != "" {
		t.Errorf("zero S10 parts = %q %q %q %q, want all empty",
			id.ServiceIndicator(), id.Serial(), id.Country(), id.String())
	}
}

// TestS10SingleDigitBlindSpot records that the S10 check digit misses some
// single-digit errors: C = 11 − (S mod 11) writes both 11 (S mod 11 = 0) and
// 5 (S mod 11 = 6) as 5. EE123456785IN has S = 204 ≡ 6; changing its first
// digit 1 to 3 adds 2·8 = 16, giving S = 220 ≡ 0, and the check digit is 5
// again.
func TestS10SingleDigitBlindSpot(t *testing.T) {
	for _, id := range []string{"EE123456785IN", "EE323456785IN"} {
		if _, err := ParseS10(id); err != nil {
			t.Errorf("ParseS10(%q): %v, want both accepted", id, err)
		}
	}
}

// TestS10SingleDigitChanges runs the single-digit property over the known
// vectors and a fixed-seed sample of generated ids.
func TestS10SingleDigitChanges(t *testing.T) {
	ids := []S10{"RR287043775IN", "EE123456785IN", "EM000316760IN", "RB123456785GB"}
	r := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		id, err := NewS10("RR", r.IntN(maxS10Serial+1), "IN")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	for _, id := range ids {
		checkSingleDigitChanges(t, id)
	}
}

// FuzzParseS10 checks that ParseS10 never panics, fails only with
// CodeInvalid, and that what it accepts is canonical, re-parses to itself,
// carries the check digit S10CheckDigit computes and has the single-digit
// property.
func FuzzParseS10(f *testing.F) {
	for _, s := range []string{"RR287043775IN", "EE123456785IN", "EM000316760IN", "RB123456785GB",
		"EE123456789IN", "RB123456786US", "rr287043775in", " EE123456785IN ", "", "ſſ287043775IN"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseS10(s)
		if err != nil {
			wantInvalid(t, err, "")
			return
		}
		if again, err := ParseS10(string(id)); err != nil || again != id {
			t.Fatalf("ParseS10(%q) = %q, %v; want %q back", id, again, err, id)
		}
		if len(id) != s10Len || upperASCII(string(id)) != string(id) {
			t.Fatalf("ParseS10(%q) = %q, not canonical", s, id)
		}
		if c, err := S10CheckDigit(id.Serial()); err != nil || c != int(id[10]-'0') {
			t.Fatalf("%q: S10CheckDigit = %d, %v; id carries %c", id, c, err, id[10])
		}
		checkSingleDigitChanges(t, id)
	})
}

// checkSingleDigitChanges changes each serial digit of the valid id to each
// other digit and checks the result is rejected, except in the one blind
// spot of the check digit: S mod 11 moving between 0 and 6, which both give
// check digit 5. Every weight is non-zero mod 11 and a digit changes by less
// than 11, so S mod 11 always changes; only that collision hides it.
func checkSingleDigitChanges(t testing.TB, id S10) {
	t.Helper()
	serial := id.Serial()
	before := s10Residue(serial)
	for i := range len(serial) {
		for d := byte('0'); d <= '9'; d++ {
			if d == serial[i] {
				continue
			}
			changed := serial[:i] + string(d) + serial[i+1:]
			after := s10Residue(changed)
			blind := (before == 0 && after == 6) || (before == 6 && after == 0)
			s := string(id[:2]) + changed + string(id[10:])
			if _, err := ParseS10(s); (err == nil) != blind {
				t.Fatalf("%q → %q (S mod 11 %d → %d): err = %v, want accepted only in the 0↔6 blind spot",
					id, s, before, after, err)
			}
		}
	}
}

// s10Residue computes S mod 11 for a serial independently of s10.go.
func s10Residue(serial string) int {
	weights := []int{8, 6, 4, 2, 3, 5, 9, 7}
	sum := 0
	for i, w := range weights {
		sum += int(serial[i]-'0') * w
	}
	return sum % 11
}

// wantInvalid fails t unless err is a *Error with CodeInvalid whose message
// contains msg.
func wantInvalid(t testing.TB, err error, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *postal.Error", err, err)
	}
	if e.Code != CodeInvalid {
		t.Errorf("error code = %q, want %q", e.Code, CodeInvalid)
	}
	if !strings.Contains(e.Message, msg) {
		t.Errorf("error message %q does not contain %q", e.Message, msg)
	}
}
