package postal

import (
	"fmt"
	"strconv"
	"strings"
)

// S10 is a validated UPU S10 article identifier in canonical form: two
// upper-case letters (service indicator), an eight-digit serial, a check
// digit and a two-letter country code, e.g. "RR287043775IN". Obtain one from
// ParseS10 or NewS10; a conversion from an arbitrary string is not validated.
type S10 string

// s10Len is the length of an S10 identifier.
const s10Len = 13

// maxS10Serial is the largest eight-digit serial.
const maxS10Serial = 99_999_999

// s10Weights are the weights of the serial digits, left to right, one digit
// each; a string keeps them constant.
const s10Weights = "86423597"

// ParseS10 validates s as an S10 identifier after trimming surrounding space
// and upper-casing it. It checks the layout strictly and the check digit, and
// returns a CodeInvalid *Error saying what is wrong.
func ParseS10(s string) (S10, error) {
	id := upperASCII(strings.TrimSpace(s))
	if err := checkS10Layout(id); err != nil {
		return "", err
	}
	want, _ := S10CheckDigit(id[2:10]) // the layout check has vetted the digits
	if got := int(id[10] - '0'); got != want {
		return "", Errorf(CodeInvalid, "S10 id %s: check digit should be %d, not %d", id, want, got)
	}
	return S10(id), nil
}

// checkS10Layout reports the first way in which id is not two letters, nine
// digits and two letters.
func checkS10Layout(id string) error {
	switch {
	case len(id) != s10Len:
		return Errorf(CodeInvalid, "S10 id must be 13 characters: 2 letters, 9 digits, 2 letters")
	case !isLetters(id[:2]):
		return Errorf(CodeInvalid, "S10 id must start with 2 letters (the service indicator)")
	case !isDigits(id[2:11]):
		return Errorf(CodeInvalid, "S10 id must have 9 digits after the service indicator")
	case !isLetters(id[11:]):
		return Errorf(CodeInvalid, "S10 id must end with 2 letters (the country code)")
	}
	return nil
}

// S10CheckDigit returns the UPU check digit of an eight-digit serial: the
// digits weighted 8 6 4 2 3 5 9 7 and summed to S, then C = 11 − (S mod 11),
// with 10 written as 0 and 11 as 5. Because 11 and 5 share a digit, a
// single-digit error that moves S mod 11 between 0 and 6 goes unnoticed.
func S10CheckDigit(serial string) (int, error) {
	if len(serial) != len(s10Weights) || !isDigits(serial) {
		return 0, Errorf(CodeInvalid, "S10 serial must be 8 digits")
	}
	sum := 0
	for i := range len(s10Weights) {
		sum += int(serial[i]-'0') * int(s10Weights[i]-'0')
	}
	switch c := 11 - sum%11; c {
	case 10:
		return 0, nil
	case 11:
		return 5, nil
	default:
		return c, nil
	}
}

// NewS10 builds the identifier with the given service indicator, serial
// (0 to 99999999) and country code, computing its check digit. Letters are
// upper-cased.
func NewS10(service string, serial int, country string) (S10, error) {
	service, country = upperASCII(service), upperASCII(country)
	if len(service) != 2 || !isLetters(service) {
		return "", Errorf(CodeInvalid, "S10 service indicator must be 2 letters")
	}
	if len(country) != 2 || !isLetters(country) {
		return "", Errorf(CodeInvalid, "S10 country code must be 2 letters")
	}
	if serial < 0 || serial > maxS10Serial {
		return "", Errorf(CodeInvalid, "S10 serial must be between 0 and 99999999")
	}
	digits := fmt.Sprintf("%08d", serial)
	check, _ := S10CheckDigit(digits)
	return S10(service + digits + strconv.Itoa(check) + country), nil
}

// ServiceIndicator returns the two-letter service indicator, e.g. "RR", or
// "" for a value that is not a well-formed identifier.
func (id S10) ServiceIndicator() string { return id.part(0, 2) }

// Serial returns the eight-digit serial, without the check digit.
func (id S10) Serial() string { return id.part(2, 10) }

// Country returns the ISO 3166-1 alpha-2 code of the issuing operator.
func (id S10) Country() string { return id.part(11, 13) }

// String returns the identifier as written on the article.
func (id S10) String() string { return string(id) }

// part returns id[from:to], or "" when id is not 13 characters long, so that a
// zero S10 does not panic.
func (id S10) part(from, to int) string {
	if len(id) != s10Len {
		return ""
	}
	return string(id[from:to])
}

// upperASCII upper-cases ASCII letters only. Unicode case mapping is avoided
// on purpose: it would turn, say, "ſ" (long s) into "S" and let odd input
// through as a valid code.
func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

// isLetters reports whether s is all ASCII upper-case letters.
func isLetters(s string) bool {
	for i := range len(s) {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// isDigits reports whether s is all ASCII digits.
func isDigits(s string) bool {
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
