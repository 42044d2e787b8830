package manifest

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"dakiya/internal/paging"
	"dakiya/internal/postal"
)

// MaxPage is the most manifests one page of a centre's list holds; a
// page's size when the caller does not say is paging.Default.
const MaxPage = paging.Max

// Page is one page of a centre's manifests in the list's order (date,
// slot, beat, id); Next, when set, is the cursor for the following page
// (which may turn out empty).
type Page struct {
	Items []Summary `json:"items"`
	Next  string    `json:"next,omitempty"`
}

// Cursor is the last manifest of a page: the list's sort key.
type Cursor struct {
	Date   string
	Slot   postal.Slot
	BeatID string
	ID     string
}

// SlotRank orders a day's slots in a list: morning, evening, then sunday.
func SlotRank(s postal.Slot) int {
	switch s {
	case postal.SlotMorning:
		return 1
	case postal.SlotEvening:
		return 2
	}
	return 3
}

func (c Cursor) encode() string {
	return base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "m1|%s|%s|%s|%s", c.Date, c.Slot, c.BeatID, c.ID))
}

func decodeCursor(s string) (*Cursor, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, false
	}
	p := strings.Split(string(b), "|")
	if len(p) != 5 || p[0] != "m1" || p[4] == "" || !postal.Slot(p[2]).Valid() {
		return nil, false
	}
	if _, err := filter(p[1], p[2]); err != nil || p[1] == "" {
		return nil, false
	}
	return &Cursor{Date: p[1], Slot: postal.Slot(p[2]), BeatID: p[3], ID: p[4]}, true
}

// Page returns a page of a centre's manifests to its supervisor or an
// admin: limit as sent ("" for paging.Default, else 1 to MaxPage) and next the
// cursor of the previous page ("" for the first).
func (s *Service) Page(ctx context.Context, p postal.Principal, dc, date, sl, limit, next string) (Page, error) {
	if !p.CanSeeDC(dc) {
		return Page{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return Page{}, postal.Errorf(postal.CodeForbidden, "postmen see their own manifests at /me/manifests")
	}
	f, err := filter(date, sl)
	var fe []postal.FieldError
	if pe := (*postal.Error)(nil); errors.As(err, &pe) {
		fe = append(fe, pe.Fields...)
	} else if err != nil {
		return Page{}, err
	}
	n, bad := paging.Limit(limit)
	f.Limit, fe = n, append(fe, bad...)
	if next != "" {
		c, ok := decodeCursor(next)
		if !ok {
			fe = append(fe, postal.FieldError{Field: "next", Message: "not a cursor from this list"})
		}
		f.After = c
	}
	if len(fe) > 0 {
		return Page{}, postal.Invalid("invalid query", fe...)
	}
	if _, err := s.store.DC(ctx, dc); err != nil { // an admin may name a centre that does not exist
		return Page{}, err
	}
	f.DCID = dc
	list, err := s.store.Manifests(ctx, f)
	if err != nil {
		return Page{}, err
	}
	page := Page{Items: list}
	if n := len(list); n > 0 && n == f.Limit {
		last := list[n-1]
		page.Next = Cursor{Date: last.Date, Slot: last.Slot, BeatID: last.BeatID, ID: last.ID}.encode()
	}
	return page, nil
}
