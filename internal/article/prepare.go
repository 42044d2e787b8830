package article

// This file lets a booking that is not a centre's batch (an ONDC order)
// build an article exactly as Create does.

import (
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/postal"
)

// Prepare validates in and builds the article as booked and received at dc
// now by actorID, with its first events, as Create stores them.
func Prepare(in Input, dc centre.DC, actorID string, now time.Time) (Article, []Event, []postal.FieldError) {
	norm, fe := normalize(in)
	if len(fe) > 0 {
		return Article{}, nil, fe
	}
	a, evs := newArticle(norm, dc, postal.Principal{UserID: actorID}, now)
	return a, evs, nil
}
