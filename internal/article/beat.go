package article

import (
	"context"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/postal"
)

// BeatMove is a supervisor's change of the beat an article goes out on,
// as the store applies it: from the article as it was read (its beat,
// status and schedule, so a change meanwhile is a conflict) to To.
type BeatMove struct {
	ArticleID string
	Service   postal.Service // its load moves with it
	From      string         // the beat it was on ("" none)
	Status    Status
	Schedule  *Schedule
	To        string // the beat it goes to ("" none)
	Override  string // To when chosen by a supervisor, "" when the address's beat
	At        time.Time
}

// movable reports whether an article in status st may change beat: it is
// not out with a postman and its life is not over.
func movable(st Status) bool {
	return st != StatusOutForDelivery && !st.Terminal()
}

// MoveBeat sends an article out on another beat of its centre (beatID), or
// back on the beat its address maps to (nil), while it is not out for
// delivery. The next build puts it on that beat's manifest; a draft it is
// on now must be rebuilt before dispatch (dispatch refuses otherwise).
func (s *Service) MoveBeat(ctx context.Context, p postal.Principal, rawID string, beatID *string) (Article, error) {
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return Article{}, postal.Errorf(postal.CodeForbidden, "only a supervisor may move an article to another beat")
	}
	a, err := s.visible(ctx, p, rawID)
	if err != nil {
		return Article{}, err
	}
	if !movable(a.Status) {
		return Article{}, postal.Errorf(postal.CodeConflict,
			"article %s is %s; only an article not out for delivery may change beat (take it off its manifest first)", a.ID, a.Status)
	}
	dc, err := s.store.DC(ctx, a.DCID)
	if err != nil {
		return Article{}, err
	}
	to, override, err := targetBeat(dc, a, beatID)
	if err != nil {
		return Article{}, err
	}
	if to == a.BeatID && override == a.BeatOverride {
		return a, nil
	}
	m := BeatMove{ArticleID: a.ID, Service: a.Service, From: a.BeatID, Status: a.Status, Schedule: a.Schedule,
		To: to, Override: override, At: s.now()}
	if err := s.store.MoveBeat(ctx, m); err != nil {
		return Article{}, err
	}
	return s.store.Article(ctx, a.ID)
}

// targetBeat is the beat an article goes to and the override to store:
// the chosen beat of its centre, or (nil) the one its address maps to.
func targetBeat(dc centre.DC, a Article, beatID *string) (string, string, error) {
	if beatID == nil {
		b, _ := centre.BeatFor(dc.Beats, a.DIGIPIN, a.Recipient.PIN)
		return b.ID, "", nil
	}
	for _, b := range dc.Beats {
		if b.ID == *beatID {
			return b.ID, b.ID, nil
		}
	}
	msg := "no such beat at this article's centre"
	if *beatID == "" {
		msg = "name a beat, or send null for the beat of the address"
	}
	return "", "", postal.Invalid("invalid beat", postal.FieldError{Field: "beat_id", Message: msg})
}
