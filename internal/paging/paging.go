// Package paging reads a list's ?limit= and opaque ?next= cursor and cuts
// a page from the rows a keyset query returned, so every list of the API
// pages the same way: a limit from 1 to Max (Default when absent), and a
// cursor naming the last item's sort key, bound to the list it came from.
//
// A cursor is base64url of its key values (a JSON array of strings) and a checksum over them and the
// list's scope (its name and filters), so a cursor from another list, or
// one altered in transit, is refused. The checksum is not a secret: the
// key values are the last item's sort key, which its reader has already
// seen, and every query still applies the caller's own access checks.
package paging

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"dakiya/internal/postal"
)

const (
	// Default is a page's size when the caller does not say.
	Default = 100
	// Max is the most items one page holds.
	Max = 1000
)

// Kind is the type of one value of a sort key.
type Kind int

const (
	// Str is a text key value.
	Str Kind = iota
	// Int is a whole-number key value (milliseconds, amounts).
	Int
)

// Request is the page a caller asked for: how many items, and the sort key
// of the last item of the previous page (nil for the first page).
type Request struct {
	Limit int
	After []any // one string or int64 per key value, as Parse's kinds say
}

// First is the first page of limit items.
func First(limit int) Request { return Request{Limit: limit} }

// Fetch is how many rows to read: one more than the page, to learn whether
// another page follows.
func (r Request) Fetch() int { return r.Limit + 1 }

// Page is one page of a list; Next, when set, is the cursor for the
// following page, and it is absent on the last one.
type Page[T any] struct {
	Items []T    `json:"items"`
	Next  string `json:"next,omitempty"`
}

const sep = "\x1f"

// Parse reads limit and next as sent ("" when absent) for the list named
// scope, whose sort key has the given kinds. Errors are postal.CodeInvalid
// problems naming the field.
func Parse(scope, limit, next string, kinds ...Kind) (Request, error) {
	n, fe := Limit(limit)
	r := Request{Limit: n}
	if next != "" {
		after, ok := decode(scope, next, kinds)
		if !ok {
			fe = append(fe, postal.FieldError{Field: "next", Message: "not a cursor from this list"})
		}
		r.After = after
	}
	if len(fe) > 0 {
		return Request{}, postal.Invalid("invalid query", fe...)
	}
	return r, nil
}

// Limit reads a list's ?limit= as sent: Default when absent, else a whole
// number from 1 to Max, or a field error naming "limit". Lists with cursors
// of their own read their limit here too, so every list pages alike.
func Limit(limit string) (int, []postal.FieldError) {
	if limit == "" {
		return Default, nil
	}
	n, err := strconv.Atoi(limit)
	if err != nil || n < 1 || n > Max {
		return Default, []postal.FieldError{{Field: "limit", Message: fmt.Sprintf("a whole number from 1 to %d", Max)}}
	}
	return n, nil
}

// Cut makes the page from rows read with r.Fetch(): at most r.Limit items,
// and a cursor after the last of them when more rows followed. key gives
// an item's sort key values (string or int64), in the order Parse reads.
func Cut[T any](scope string, r Request, rows []T, key func(T) []any) Page[T] {
	if rows == nil {
		rows = []T{}
	}
	if len(rows) <= r.Limit {
		return Page[T]{Items: rows}
	}
	rows = rows[:r.Limit]
	return Page[T]{Items: rows, Next: encode(scope, key(rows[len(rows)-1]))}
}

// Scope names a list and its filters, so a cursor stays with the list it
// came from: Scope("users", "dc", "dc-one").
func Scope(name string, filters ...string) string {
	return strings.Join(append([]string{name}, filters...), sep)
}

func encode(scope string, key []any) string {
	parts := make([]string, len(key))
	for i, v := range key {
		switch v := v.(type) {
		case int64:
			parts[i] = strconv.FormatInt(v, 10)
		default:
			parts[i] = fmt.Sprint(v)
		}
	}
	body, _ := json.Marshal(parts) // strings only: cannot fail
	return base64.RawURLEncoding.EncodeToString(append(body, sum(scope, body)...))
}

func decode(scope, s string, kinds []Kind) ([]any, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(raw) < sumLen {
		return nil, false
	}
	body, check := raw[:len(raw)-sumLen], raw[len(raw)-sumLen:]
	if !bytes.Equal(check, sum(scope, body)) {
		return nil, false
	}
	var parts []string
	if json.Unmarshal(body, &parts) != nil || len(parts) != len(kinds) {
		return nil, false
	}
	out := make([]any, len(parts))
	for i, k := range kinds {
		if k == Int {
			n, err := strconv.ParseInt(parts[i], 10, 64)
			if err != nil {
				return nil, false
			}
			out[i] = n
			continue
		}
		out[i] = parts[i]
	}
	return out, true
}

const sumLen = 8

func sum(scope string, body []byte) []byte {
	h := sha256.New()
	h.Write([]byte("dakiya-page-v1" + sep + scope + sep))
	h.Write(body)
	return h.Sum(nil)[:sumLen]
}
