package slot

import (
	"context"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

// schedulable reports whether an article in status st may be given a slot.
func schedulable(st article.Status) bool {
	switch st {
	case article.StatusAtDC, article.StatusScheduled, article.StatusAttempted, article.StatusHeld:
		return true
	}
	return false
}

// checkSchedule checks the form of a requested date and slot.
func checkSchedule(sc article.Schedule) error {
	var fe []postal.FieldError
	if d, err := time.Parse(time.DateOnly, sc.Date); err != nil || len(sc.Date) != 10 || d.Format(time.DateOnly) != sc.Date {
		fe = append(fe, postal.FieldError{Field: "date", Message: "must be a YYYY-MM-DD date"})
	}
	if !sc.Slot.Valid() {
		fe = append(fe, postal.FieldError{Field: "slot", Message: "must be morning, evening or sunday"})
	}
	if len(fe) > 0 {
		return postal.Invalid("invalid slot", fe...)
	}
	return nil
}

// move checks that sc is an open slot with room for a on its beat and moves
// a there. Choosing the slot it already has changes nothing.
func (s *Service) move(ctx context.Context, p postal.Principal, a article.Article, sc article.Schedule) (article.Article, error) {
	if err := checkSchedule(sc); err != nil {
		return article.Article{}, err
	}
	if !schedulable(a.Status) {
		return article.Article{}, postal.Errorf(postal.CodeConflict, "an article that is %s cannot be given a slot", a.Status)
	}
	if a.Schedule != nil && *a.Schedule == sc && a.Status == article.StatusScheduled {
		return a, nil
	}
	c, loc, err := s.centreZone(ctx, a.DCID)
	if err != nil {
		return article.Article{}, err
	}
	cal, err := s.store.Calendar(ctx, a.DCID)
	if err != nil {
		return article.Article{}, err
	}
	in, ok := cal.Instance(sc.Date, sc.Slot, loc, s.now())
	switch {
	case !ok:
		return article.Article{}, postal.Invalid("no such slot", postal.FieldError{Field: "slot",
			Message: "the centre does not deliver in this slot on that date"})
	case !in.Open:
		return article.Article{}, postal.Errorf(postal.CodeConflict, "this slot is past its cut-off")
	case a.BeatID == "":
		return article.Article{}, postal.Errorf(postal.CodeConflict, "no beat covers this address; the centre will contact you")
	}
	err = s.store.Reschedule(ctx, s.change(p, c.Name, a, sc, cal.Capacity[sc.Slot]*100))
	if err != nil {
		return article.Article{}, err
	}
	return s.store.Article(ctx, a.ID)
}
