package slot

import (
	"context"

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

// move checks that sc is an open slot with room for a on its beat and moves
// a there. Choosing the slot it already has changes nothing.
func (s *Service) move(ctx context.Context, p postal.Principal, a article.Article, sc article.Schedule) (article.Article, error) {
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
