// Package stats owns the numbers a supervisor would rather look at than
// read: deliveries per slot per day, first-attempt success per beat,
// failure reasons and when in its slot each delivery happened, for the
// last few days of a centre, dates in the centre's zone.
package stats

import (
	"context"
	"sort"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/postal"
	"dakiya/internal/slot"
)

// MaxDays bounds the window; MaxOutcomes bounds the rows read for it.
const (
	MaxDays     = 60
	MaxOutcomes = 200_000
	BucketMin   = 15 // minutes per bucket of TimeInSlot
)

// Outcome is one recorded attempt, as the statistics need it.
type Outcome struct {
	BeatID    string // the article's beat, "" when it has none
	Date      string
	Slot      postal.Slot
	Delivered bool
	Reason    string // non-delivery reason code
	At        time.Time
	First     bool // the article's first attempt ever
}

// Store is what stats needs from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	// Outcomes lists a centre's attempts dated from..to (inclusive), at
	// most limit of them.
	Outcomes(ctx context.Context, dc, from, to string, limit int) ([]Outcome, error)
}

// SlotDay is one slot of one day.
type SlotDay struct {
	Date      string      `json:"date"`
	Slot      postal.Slot `json:"slot"`
	Delivered int         `json:"delivered"`
	Failed    int         `json:"failed"`
}

// BeatRate is a beat's first attempts and how many of them delivered.
type BeatRate struct {
	BeatID    string  `json:"beat_id"`
	Attempts  int     `json:"first_attempts"`
	Delivered int     `json:"delivered"`
	Rate      float64 `json:"rate"` // delivered / attempts, 0..1
}

// Reason is a failure reason and how often it was given.
type Reason struct {
	Code  string `json:"code"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// Histogram counts deliveries by minutes from their slot's start.
type Histogram struct {
	BucketMinutes int   `json:"bucket_minutes"`
	Buckets       []int `json:"buckets"` // [i] counts minutes i*15 up to (i+1)*15
	BeforeStart   int   `json:"before_start"`
	AfterEnd      int   `json:"after_end"`
}

// Board is the statistics of a centre's last days.
type Board struct {
	DCID         string     `json:"dc_id"`
	From         string     `json:"from"`
	To           string     `json:"to"`
	PerSlot      []SlotDay  `json:"per_slot"`
	FirstAttempt []BeatRate `json:"first_attempt"`
	Reasons      []Reason   `json:"failure_reasons"`
	TimeInSlot   Histogram  `json:"time_in_slot"`
}

// Service computes statistics.
type Service struct {
	store Store
	now   func() time.Time
}

// New returns a Service.
func New(store Store, now func() time.Time) *Service {
	return &Service{store: store, now: now}
}

// Board returns a centre's statistics for the days days up to today in
// its zone, for its supervisor or an admin.
func (s *Service) Board(ctx context.Context, p postal.Principal, dc string, days int) (Board, error) {
	if !p.CanSeeDC(dc) {
		return Board{}, postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role == postal.RolePostman {
		return Board{}, postal.Errorf(postal.CodeForbidden, "only a supervisor or an admin reads statistics")
	}
	if days < 1 || days > MaxDays {
		return Board{}, postal.Invalid("invalid query", postal.FieldError{Field: "days", Message: "1 to 60"})
	}
	c, err := s.store.DC(ctx, dc)
	if err != nil {
		return Board{}, err
	}
	loc, err := time.LoadLocation(c.TimeZone)
	if err != nil {
		return Board{}, postal.Wrap(err, postal.CodeInternal, "the centre's time zone is unknown")
	}
	cal, err := s.store.Calendar(ctx, dc)
	if err != nil {
		return Board{}, err
	}
	today := s.now().In(loc)
	from := time.Date(today.Year(), today.Month(), today.Day()-(days-1), 0, 0, 0, 0, loc)
	b := Board{DCID: dc, From: from.Format(time.DateOnly), To: today.Format(time.DateOnly)}
	outs, err := s.store.Outcomes(ctx, dc, b.From, b.To, MaxOutcomes+1)
	if err != nil {
		return Board{}, err
	}
	if len(outs) > MaxOutcomes {
		return Board{}, postal.Errorf(postal.CodeUnprocessable, "too many outcomes for statistics; ask for fewer days")
	}
	b.PerSlot = perSlot(cal, from, days, outs)
	b.FirstAttempt, b.Reasons = firstAttempts(outs), reasons(outs)
	b.TimeInSlot = timeInSlot(cal, loc, outs)
	return b, nil
}

var slotOrder = []postal.Slot{postal.SlotMorning, postal.SlotEvening, postal.SlotSunday}

// perSlot counts outcomes per slot per day, listing every slot that ran
// (from the calendar) or has an outcome, in date and slot order.
func perSlot(cal slot.Calendar, from time.Time, days int, outs []Outcome) []SlotDay {
	counts := map[[2]string]*SlotDay{}
	for _, o := range outs {
		k := [2]string{o.Date, string(o.Slot)}
		if counts[k] == nil {
			counts[k] = &SlotDay{Date: o.Date, Slot: o.Slot}
		}
		if o.Delivered {
			counts[k].Delivered++
		} else {
			counts[k].Failed++
		}
	}
	out := []SlotDay{}
	for i := range days {
		day := from.AddDate(0, 0, i)
		date := day.Format(time.DateOnly)
		runs := map[postal.Slot]bool{}
		for _, r := range cal.Runs(day) {
			runs[r] = true
		}
		for _, sl := range slotOrder {
			if c := counts[[2]string{date, string(sl)}]; c != nil {
				out = append(out, *c)
			} else if runs[sl] {
				out = append(out, SlotDay{Date: date, Slot: sl})
			}
		}
	}
	return out
}

// firstAttempts rates each beat's first attempts, by beat id.
func firstAttempts(outs []Outcome) []BeatRate {
	by := map[string]*BeatRate{}
	for _, o := range outs {
		if !o.First {
			continue
		}
		if by[o.BeatID] == nil {
			by[o.BeatID] = &BeatRate{BeatID: o.BeatID}
		}
		by[o.BeatID].Attempts++
		if o.Delivered {
			by[o.BeatID].Delivered++
		}
	}
	out := []BeatRate{}
	for _, r := range by {
		r.Rate = float64(r.Delivered) / float64(r.Attempts)
		out = append(out, *r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].BeatID < out[j].BeatID })
	return out
}

// reasons counts failures by reason, most frequent first.
func reasons(outs []Outcome) []Reason {
	by := map[string]int{}
	for _, o := range outs {
		if !o.Delivered {
			by[o.Reason]++
		}
	}
	out := []Reason{}
	for code, n := range by {
		label, _ := article.Reason(code)
		out = append(out, Reason{Code: code, Label: label, Count: n})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].Count > out[j].Count || out[i].Count == out[j].Count && out[i].Code < out[j].Code
	})
	return out
}

// timeInSlot counts deliveries by minutes from their slot's start, in
// buckets up to the longest window; those before the start or after the
// end of their slot are counted apart.
func timeInSlot(cal slot.Calendar, loc *time.Location, outs []Outcome) Histogram {
	longest := 0
	for _, sl := range slotOrder {
		if w, ok := cal.Windows[sl]; ok {
			start, end, _ := windowOn("2026-01-05", time.UTC, w)
			longest = max(longest, int(end.Sub(start).Minutes()))
		}
	}
	h := Histogram{BucketMinutes: BucketMin, Buckets: make([]int, (longest+BucketMin-1)/BucketMin)}
	for _, o := range outs {
		w, ok := cal.Windows[o.Slot]
		if !o.Delivered || !ok {
			continue
		}
		start, end, ok := windowOn(o.Date, loc, w)
		switch m := int(o.At.Sub(start) / time.Minute); {
		case !ok:
		case o.At.Before(start):
			h.BeforeStart++
		case o.At.After(end):
			h.AfterEnd++
		default: // the window's last minute falls in its last bucket
			h.Buckets[min(m/BucketMin, len(h.Buckets)-1)]++
		}
	}
	return h
}

// windowOn is the slot's window on date, whether or not the calendar runs
// it that day (an outcome may come from a slot run before a change).
func windowOn(date string, loc *time.Location, w slot.Window) (start, end time.Time, ok bool) {
	day, err := time.ParseInLocation(time.DateOnly, date, loc)
	a, err1 := time.Parse("15:04", w.Start)
	b, err2 := time.Parse("15:04", w.End)
	if err != nil || err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, false
	}
	at := func(t time.Time) time.Time {
		return time.Date(day.Year(), day.Month(), day.Day(), t.Hour(), t.Minute(), 0, 0, loc)
	}
	return at(a), at(b), true
}
