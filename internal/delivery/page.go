package delivery

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"time"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// MaxPage is the most outcomes one page holds; a page's size when the
// caller does not say is paging.Default.
const MaxPage = paging.Max

// Query selects a page of a centre's outcomes, as the review queue asks
// for them: every field is the query parameter as sent ("" when absent).
type Query struct {
	Date, Slot, Flagged, Review, Limit, Next string
}

// Page is one page of outcomes, flagged first; Next, when set, is the
// cursor for the following page (which may turn out empty).
type Page struct {
	Items []Delivery `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// Cursor is the last outcome of a page, in the list's order: flagged
// ones first, then as recorded.
type Cursor struct {
	Flagged   bool
	CreatedAt time.Time
	ID        string
}

func (c Cursor) encode() string {
	f := "0"
	if c.Flagged {
		f = "1"
	}
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s|%d|%s", f, c.CreatedAt.UnixMilli(), c.ID))
}

func decodeCursor(s string) (*Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	parts := strings.SplitN(string(b), "|", 3)
	if len(parts) != 3 || (parts[0] != "0" && parts[0] != "1") || parts[2] == "" {
		return nil, false
	}
	ms, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return nil, false
	}
	return &Cursor{Flagged: parts[0] == "1", CreatedAt: time.UnixMilli(ms).UTC(), ID: parts[2]}, true
}

// Page returns a page of a centre's outcomes to its supervisor or an
// admin, filtered by date, slot, flagged and review state.
func (s *Service) Page(ctx context.Context, p postal.Principal, dc string, q Query) (Page, error) {
	f, fe := pageFilter(q)
	list, err := s.list(ctx, p, dc, q.Date, q.Slot, q.Flagged, f, fe)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: list}
	if n := len(list); n > 0 && n == f.Limit {
		last := list[n-1]
		page.Next = Cursor{Flagged: len(last.Flags) > 0, CreatedAt: last.CreatedAt, ID: last.ID}.encode()
	}
	return page, nil
}

// pageFilter reads the paging and review parameters of a query.
func pageFilter(q Query) (Filter, []postal.FieldError) {
	f := Filter{Review: q.Review}
	var fe []postal.FieldError
	switch q.Review {
	case "", "pending", "approved", "rejected":
	default:
		fe = append(fe, postal.FieldError{Field: "review", Message: "pending, approved or rejected"})
	}
	n, bad := paging.Limit(q.Limit)
	f.Limit, fe = n, append(fe, bad...)
	if q.Next != "" {
		c, ok := decodeCursor(q.Next)
		if !ok {
			fe = append(fe, postal.FieldError{Field: "next", Message: "not a cursor from this list"})
		}
		f.After = c
	}
	return f, fe
}
