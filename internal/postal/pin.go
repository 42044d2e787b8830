package postal

import "strings"

// ValidPIN reports whether s has the form of an Indian PIN code: six digits,
// the first 1–9 (1–8 a postal region, 9 the Army Postal Service). It checks
// the form only; most six-digit strings are not real PIN codes.
func ValidPIN(s string) bool {
	return len(s) == 6 && isDigits(s) && s[0] != '0'
}

// NormalizePhone returns an Indian mobile number as "+91XXXXXXXXXX". It
// accepts the ten digits alone or after "+91", "91" or "0", with spaces
// and hyphens anywhere; the ten digits must start with 6, 7, 8 or 9.
// Anything else is CodeInvalid.
func NormalizePhone(s string) (string, error) {
	digits := stripPhonePrefix(removeSeparators(strings.TrimSpace(s)))
	if len(digits) != 10 || !isDigits(digits) {
		return "", Errorf(CodeInvalid, "mobile number must be 10 digits, optionally after +91, 91 or 0")
	}
	if digits[0] < '6' {
		return "", Errorf(CodeInvalid, "mobile number must start with 6, 7, 8 or 9")
	}
	return "+91" + digits, nil
}

// stripPhonePrefix removes the country code or trunk prefix that goes with
// the length of s, leaving the ten-digit subscriber number when s is valid.
func stripPhonePrefix(s string) string {
	switch {
	case len(s) == 13 && strings.HasPrefix(s, "+91"):
		return s[3:]
	case len(s) == 12 && strings.HasPrefix(s, "91"):
		return s[2:]
	case len(s) == 11 && strings.HasPrefix(s, "0"):
		return s[1:]
	}
	return s
}

// removeSeparators drops the spaces and hyphens people write numbers with.
func removeSeparators(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, s)
}
