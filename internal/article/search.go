package article

import (
	"strings"
	"unicode/utf8"
)

// maxSearch is the longest search text a list takes, in characters.
const maxSearch = 100

// parseSearch splits a console's search text into what it may be: the
// start of an S10 id, a phone number (matched on its last 10 digits, so
// "+91 98450 12345" and "098450-12345" find the same article) and a part
// of the recipient's name, case-insensitively. It returns a message when q
// cannot be a search.
func parseSearch(q string) (*Search, string) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return nil, "must not be blank"
	case utf8.RuneCountInString(q) > maxSearch:
		return nil, "at most 100 characters"
	}
	s := &Search{Name: strings.ToLower(q)}
	if up := strings.ToUpper(q); len(up) <= 13 && onlyOf(up, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") {
		s.IDPrefix = up
	}
	digits := strings.NewReplacer(" ", "", "-", "", "+", "", "(", "", ")", "").Replace(q)
	if len(digits) >= 10 && onlyOf(digits, "0123456789") {
		s.PhoneSuffix = digits[len(digits)-10:]
	}
	return s, ""
}

// validFlag reports whether f could be the name of an outcome's flag:
// lower-case words joined by underscores.
func validFlag(f string) bool {
	return len(f) <= 32 && onlyOf(f, "abcdefghijklmnopqrstuvwxyz_")
}

// onlyOf reports whether s is made only of bytes from set.
func onlyOf(s, set string) bool {
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(set, s[i]) < 0 {
			return false
		}
	}
	return true
}
