package paging_test

import (
	"encoding/base64"
	"testing"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// TestCursorRoundTrip: a page's cursor reads back as its last item's key on
// the same list, and is refused on another list, under another filter,
// altered or cut short; limits outside 1..1000 are refused.
func TestCursorRoundTrip(t *testing.T) {
	scope := paging.Scope("keys", "p1")
	r, err := paging.Parse(scope, "2", "", paging.Int, paging.Str)
	if err != nil || r.Limit != 2 || r.After != nil || r.Fetch() != 3 {
		t.Fatalf("first page: %+v %v", r, err)
	}
	type row struct {
		at int64
		id string
	}
	key := func(x row) []any { return []any{x.at, x.id} }
	page := paging.Cut(scope, r, []row{{5, "a|b"}, {5, "c\x1f|\"x"}, {4, "d"}}, key)
	if len(page.Items) != 2 || page.Next == "" {
		t.Fatalf("cut: %+v", page)
	}
	got, err := paging.Parse(scope, "", page.Next, paging.Int, paging.Str)
	if err != nil || got.Limit != paging.Default || len(got.After) != 2 || got.After[0] != int64(5) || got.After[1] != "c\x1f|\"x" {
		t.Fatalf("read back: %+v %v", got, err)
	}
	if last := paging.Cut(scope, r, []row{{3, "e"}, {2, "f"}}, key); last.Next != "" || len(last.Items) != 2 {
		t.Fatalf("a last page has no next: %+v", last)
	}
	if empty := paging.Cut(scope, r, nil, key); empty.Items == nil || empty.Next != "" {
		t.Fatalf("an empty page is [] without next: %+v", empty)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(page.Next)
	flipped := append([]byte{}, raw...)
	flipped[0] ^= 1
	for name, c := range map[string]struct{ scope, limit, next string }{
		"other list":   {paging.Scope("webhooks", "p1"), "", page.Next},
		"other filter": {paging.Scope("keys", "p2"), "", page.Next},
		"flipped":      {scope, "", base64.RawURLEncoding.EncodeToString(flipped)},
		"cut short":    {scope, "", page.Next[:len(page.Next)-3]},
		"not base64":   {scope, "", "%%%"},
		"limit 0":      {scope, "0", ""},
		"limit 1001":   {scope, "1001", ""},
		"limit abc":    {scope, "abc", ""},
	} {
		if _, err := paging.Parse(c.scope, c.limit, c.next, paging.Int, paging.Str); !postal.IsCode(err, postal.CodeInvalid) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Right checksum, wrong shape: a text where a number belongs.
	if _, err := paging.Parse(scope, "", page.Next, paging.Str, paging.Int); !postal.IsCode(err, postal.CodeInvalid) {
		t.Errorf("kinds not matching: %v", err)
	}
}

// TestLimit: an absent limit is the default page of 100, 1 and 1000 are
// taken as sent, and anything else is a field error naming "limit".
func TestLimit(t *testing.T) {
	for in, want := range map[string]int{"": 100, "1": 1, "1000": 1000, "250": 250} {
		if n, fe := paging.Limit(in); n != want || fe != nil {
			t.Errorf("limit %q: %d %v, want %d", in, n, fe, want)
		}
	}
	for _, in := range []string{"0", "-1", "1001", "abc", "1.5", " 10", "99999999999999999999"} {
		if _, fe := paging.Limit(in); len(fe) != 1 || fe[0].Field != "limit" {
			t.Errorf("limit %q: %v, want a field error", in, fe)
		}
	}
}
