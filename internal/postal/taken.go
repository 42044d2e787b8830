package postal

import "time"

// Why an article left a postman's hands other than by its outcome.
const (
	TakenRemoved = "removed" // a supervisor took it off the manifest
	TakenHeld    = "held"    // brought back to the counter
	TakenMoved   = "moved"   // any other move out of delivery
)

// Taken says that an article's last custody ended other than by its
// outcome: whose it was, why and when. The zero value says nothing.
type Taken struct {
	From     string // the postman whose custody ended
	Reason   string // TakenRemoved, TakenHeld or TakenMoved
	At       time.Time
	TimeZone string // the centre's, so the phone can say when in local time
}

// NotFound is the answer to p acting on an article they do not hold: not
// found, as to anyone; but the postman it was taken from is told why and
// when (problem members reason, at and time_zone), so their phone can say
// so instead of retrying or guessing. No one else learns anything.
func (k Taken) NotFound(p Principal) *Error {
	e := Errorf(CodeNotFound, "article not found")
	if k.From == "" || k.Reason == "" || p.Role != RolePostman || p.UserID != k.From {
		return e
	}
	at := k.At
	if loc, err := time.LoadLocation(k.TimeZone); err == nil && k.TimeZone != "" {
		at = at.In(loc)
	}
	e.Message = "this article is no longer in your custody (" + k.Reason + ")"
	e.Extra = map[string]any{"reason": k.Reason, "at": at.Format(time.RFC3339), "time_zone": k.TimeZone}
	return e
}
