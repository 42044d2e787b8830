package delivery

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"dakiya/internal/postal"
)

// List returns a centre's outcomes for a day and slot to its supervisor,
// flagged ones first (at most MaxPage); flagged is "", "true" or "false".
func (s *Service) List(ctx context.Context, p postal.Principal, dc, date, sl, flagged string) ([]Delivery, error) {
	return s.list(ctx, p, dc, date, sl, flagged, Filter{Limit: MaxPage}, nil)
}

// list checks the caller and the query, adding them to f (which carries
// the paging and its field errors fe), and reads the outcomes.
func (s *Service) list(ctx context.Context, p postal.Principal, dc, date, sl, flagged string, f Filter, fe []postal.FieldError) ([]Delivery, error) {
	if !p.CanSeeDC(dc) {
		return nil, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "only a supervisor reviews deliveries")
	}
	f.DCID, f.Date, f.Slot = dc, date, postal.Slot(sl)
	if date != "" {
		if d, err := time.Parse(time.DateOnly, date); err != nil || d.Format(time.DateOnly) != date {
			fe = append(fe, postal.FieldError{Field: "date", Message: "must be YYYY-MM-DD"})
		}
	}
	if sl != "" && !f.Slot.Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "must be morning, evening or sunday"})
	}
	switch flagged {
	case "":
	case "true", "false":
		v := flagged == "true"
		f.Flagged = &v
	default:
		fe = append(fe, postal.FieldError{Field: "flagged", Message: "true or false"})
	}
	if len(fe) > 0 {
		return nil, postal.Invalid("invalid query", fe...)
	}
	if _, err := s.store.DC(ctx, dc); err != nil {
		return nil, err
	}
	return s.store.Deliveries(ctx, f)
}

// OfArticle returns an article's outcomes, oldest first, with their flags,
// proofs and reviews, to its centre's supervisor or an admin.
func (s *Service) OfArticle(ctx context.Context, p postal.Principal, articleID string) ([]Delivery, error) {
	a, err := s.store.Article(ctx, articleID)
	if postal.IsCode(err, postal.CodeNotFound) || (err == nil && !p.CanSeeDC(a.DCID)) {
		return nil, postal.Errorf(postal.CodeNotFound, "article not found")
	}
	if err != nil {
		return nil, err
	}
	if p.Role == postal.RolePostman {
		return nil, postal.Errorf(postal.CodeForbidden, "only a supervisor reviews deliveries")
	}
	return s.store.Deliveries(ctx, Filter{DCID: a.DCID, ArticleID: a.ID})
}

// Decision is a supervisor's review of a delivery.
type Decision struct {
	Decision string `json:"decision"`
	Note     string `json:"note"`
}

// Review records a supervisor's decision on a delivery of their centre;
// every decision is kept, the latest is the delivery's.
func (s *Service) Review(ctx context.Context, p postal.Principal, id string, d Decision) (Delivery, error) {
	del, err := s.store.Delivery(ctx, id)
	if postal.IsCode(err, postal.CodeNotFound) || (err == nil && !p.CanSeeDC(del.DCID)) {
		return Delivery{}, postal.Errorf(postal.CodeNotFound, "delivery not found")
	}
	if err != nil {
		return Delivery{}, err
	}
	if p.Role == postal.RolePostman {
		return Delivery{}, postal.Errorf(postal.CodeForbidden, "only a supervisor reviews deliveries")
	}
	d.Note = strings.TrimSpace(d.Note)
	var fe []postal.FieldError
	if d.Decision != "approved" && d.Decision != "rejected" {
		fe = append(fe, postal.FieldError{Field: "decision", Message: "approved or rejected"})
	}
	if utf8.RuneCountInString(d.Note) > 1000 || (d.Decision == "rejected" && d.Note == "") {
		fe = append(fe, postal.FieldError{Field: "note", Message: "at most 1000 characters; a rejection needs one"})
	}
	if len(fe) > 0 {
		return Delivery{}, postal.Invalid("invalid review", fe...)
	}
	r := Review{ID: s.newID(), ReviewerID: p.UserID, Decision: d.Decision, Note: d.Note, At: s.now()}
	if err := s.store.AddReview(ctx, id, r); err != nil {
		return Delivery{}, err
	}
	return s.store.Delivery(ctx, id)
}
