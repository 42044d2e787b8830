package manifest

import (
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
)

// Crew says who walks each beat of a centre in one slot, as the roster
// has it: the beat's postman when on duty, else a reliever on duty
// covering the beat; and, for a beat nobody walks, why.
type Crew struct {
	walker map[string]string // beat → postman
	reason map[string]string // beat → why nobody walks it
	duty   map[string]roster.Duty
}

// CrewFor reads the roster of one slot (sr) for a centre's beats.
func CrewFor(dc centre.DC, date string, sl postal.Slot, sr roster.SlotRoster) Crew {
	c := Crew{walker: map[string]string{}, reason: map[string]string{}, duty: map[string]roster.Duty{}}
	for _, d := range sr.Postmen {
		c.duty[d.UserID] = d
	}
	for _, b := range dc.Beats {
		if d, ok := c.duty[b.PostmanID]; ok && d.Status == roster.OnDuty {
			c.walker[b.ID] = b.PostmanID
			continue
		}
		if r, ok := c.reliever(sr, b.ID); ok {
			c.walker[b.ID] = r
			continue
		}
		c.reason[b.ID] = c.away(b, date, sl)
	}
	return c
}

// reliever is the first postman on duty covering a beat.
func (c Crew) reliever(sr roster.SlotRoster, beatID string) (string, bool) {
	for _, d := range sr.Postmen {
		if d.Status == roster.OnDuty && d.CoversBeatID == beatID {
			return d.UserID, true
		}
	}
	return "", false
}

// away says why a beat's postman does not walk it.
func (c Crew) away(b centre.Beat, date string, sl postal.Slot) string {
	if b.PostmanID == "" {
		return "beat " + b.ID + " has no postman"
	}
	d, ok := c.duty[b.PostmanID]
	switch {
	case !ok:
		return "the postman of beat " + b.ID + " is not on the roster"
	case d.Status == roster.Leave:
		return "postman " + d.Name + " is on leave on " + date
	case d.Status == roster.WeeklyOff:
		return "postman " + d.Name + " has the weekly off on " + date
	}
	return "postman " + d.Name + " is off duty in the " + string(sl) + " slot on " + date
}

// Walker is the postman who walks a beat, or "" with the reason.
func (c Crew) Walker(beatID string) (string, string) {
	if w, ok := c.walker[beatID]; ok {
		return w, ""
	}
	if r, ok := c.reason[beatID]; ok {
		return "", r
	}
	return "", "no beat covers this address"
}

// Beat is the beat a postman on duty walks in this slot (their home beat,
// else the first they cover), or "".
func (c Crew) Beat(userID string) string {
	first := ""
	for beat, w := range c.walker {
		if w != userID {
			continue
		}
		if beat == c.duty[userID].HomeBeatID {
			return beat
		}
		if first == "" || beat < first {
			first = beat
		}
	}
	return first
}
