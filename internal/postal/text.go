package postal

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Messages for text Dakiya refuses. PostgreSQL cannot store U+0000 in
// text, and bytes that are not UTF-8 are mangled by every layer on the way
// (encoding/json silently turns them into U+FFFD): both are bad input.
const (
	msgNUL     = "must not contain the NUL character (U+0000)"
	msgNotUTF8 = "must be valid UTF-8 text"
)

// TextProblem says what is wrong with s as text, or "" when nothing is.
func TextProblem(s string) string {
	switch {
	case !utf8.ValidString(s):
		return msgNotUTF8
	case strings.IndexByte(s, 0) >= 0:
		return msgNUL
	}
	return ""
}

// JSONTextErrors lists every string of the JSON document doc, keys
// included, that holds U+0000 (raw or escaped), bytes that are not UTF-8,
// or an escaped half of a surrogate pair, named by its path
// ("recipient.name", "proof_ids[2]"; a bad key names its object). doc
// should already have decoded without error; the scan reads it as such.
func JSONTextErrors(doc []byte) []FieldError {
	s := jsonText{b: doc}
	s.value("")
	return s.errs
}

// jsonText walks a JSON document, checking its strings.
type jsonText struct {
	b    []byte
	i    int
	errs []FieldError
}

func (s *jsonText) add(path, msg string) {
	if path == "" {
		path = "body"
	}
	s.errs = append(s.errs, FieldError{Field: path, Message: msg})
}

func (s *jsonText) space() {
	for s.i < len(s.b) && strings.IndexByte(" \t\r\n", s.b[s.i]) >= 0 {
		s.i++
	}
}

func (s *jsonText) value(path string) {
	s.space()
	if s.i >= len(s.b) {
		return
	}
	switch s.b[s.i] {
	case '{':
		s.object(path)
	case '[':
		s.array(path)
	case '"':
		if _, msg := s.str(); msg != "" {
			s.add(path, msg)
		}
	default: // a number, true, false or null
		for s.i < len(s.b) && strings.IndexByte(",]} \t\r\n", s.b[s.i]) < 0 {
			s.i++
		}
	}
}

func (s *jsonText) object(path string) {
	s.i++ // {
	for s.i < len(s.b) {
		s.space()
		if s.i >= len(s.b) {
			return
		}
		switch s.b[s.i] {
		case '}':
			s.i++
			return
		case ',':
			s.i++
			continue
		case '"':
		default:
			s.i = len(s.b) // not JSON; the decoder has said so
			return
		}
		key, msg := s.str()
		if msg != "" {
			s.add(path, "has a key that "+msg)
		}
		s.space()
		if s.i < len(s.b) && s.b[s.i] == ':' {
			s.i++
		}
		name := key
		if path != "" {
			name = path + "." + key
		}
		s.value(name)
	}
}

func (s *jsonText) array(path string) {
	s.i++ // [
	for n := 0; s.i < len(s.b); n++ {
		s.space()
		if s.i >= len(s.b) {
			return
		}
		switch s.b[s.i] {
		case ']':
			s.i++
			return
		case ',':
			s.i++
		}
		at := s.i
		s.value(path + "[" + strconv.Itoa(n) + "]")
		if s.i == at {
			s.i = len(s.b) // not JSON; the decoder has said so
		}
	}
}

// str reads the string at s.i, returning its raw content and what is
// wrong with it, if anything.
func (s *jsonText) str() (string, string) {
	s.i++ // "
	start, msg := s.i, ""
	note := func(m string) {
		if msg == "" {
			msg = m
		}
	}
	for s.i < len(s.b) {
		c := s.b[s.i]
		switch {
		case c == '"':
			raw := string(s.b[start:s.i])
			s.i++
			return raw, msg
		case c == '\\' && s.i+1 < len(s.b) && s.b[s.i+1] == 'u':
			note(s.escape())
		case c == '\\':
			s.i += 2
		case c == 0:
			note(msgNUL)
			s.i++
		case c < utf8.RuneSelf:
			s.i++
		default:
			r, n := utf8.DecodeRune(s.b[s.i:])
			if r == utf8.RuneError && n == 1 {
				note(msgNotUTF8)
			}
			s.i += n
		}
	}
	return string(s.b[start:]), msg
}

// escape reads a \uXXXX escape (a surrogate pair takes two) at s.i.
func (s *jsonText) escape() string {
	r, ok := s.hex4(s.i)
	s.i += 6
	switch {
	case !ok:
		return msgNotUTF8
	case r == 0:
		return msgNUL
	case r >= 0xDC00 && r <= 0xDFFF:
		return msgNotUTF8
	case r >= 0xD800 && r <= 0xDBFF:
		if s.i+1 < len(s.b) && s.b[s.i] == '\\' && s.b[s.i+1] == 'u' {
			if lo, ok := s.hex4(s.i); ok && lo >= 0xDC00 && lo <= 0xDFFF {
				s.i += 6
				return ""
			}
		}
		return msgNotUTF8
	}
	return ""
}

// hex4 reads the four hex digits of the \u escape at i.
func (s *jsonText) hex4(i int) (rune, bool) {
	if i+6 > len(s.b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(s.b[i+2:i+6]), 16, 16)
	return rune(v), err == nil
}
