package beatplan

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
)

// Record is a stored proposal: its slot, its JSON body, and whether the
// slot follows it now.
type Record struct {
	ID, DCID, Date string
	Slot           postal.Slot
	Body           []byte
	CreatedBy      string
	CreatedAt      time.Time
	Chosen         bool
	// Routes are the plan's manifests (written with it, not read back).
	Routes []manifest.PlanRoute
}

// Store is what beat plans need from the database.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	Calendar(ctx context.Context, dc string) (slot.Calendar, error)
	ScheduledFor(ctx context.Context, dc, date string, s postal.Slot) ([]article.Article, error)
	RosterDay(ctx context.Context, dcID, date string) (roster.Day, error)
	SaveBeatPlan(ctx context.Context, r Record) error
	BeatPlan(ctx context.Context, id string) (Record, error)
	// ChooseBeatPlan makes the plan's slot follow it.
	ChooseBeatPlan(ctx context.Context, r Record, by string, at time.Time) error
	// ClearBeatPlan takes the slot back to the fixed beats.
	ClearBeatPlan(ctx context.Context, dcID, date string, sl postal.Slot) (bool, error)
}

// Tours groups and orders stops as manifest builds do.
type Tours interface {
	Households(arts []article.Article) []manifest.Stop
	Tour(ctx context.Context, dc centre.DC, key string, stops []manifest.Stop) ([]manifest.Stop, int64)
}

// Service proposes, stores and chooses beat plans.
type Service struct {
	store Store
	tours Tours
	now   func() time.Time
	newID func() string
	set   Settings
}

// New returns a Service proposing with set (DefaultSettings for what it
// leaves zero).
func New(store Store, tours Tours, now func() time.Time, newID func() string, set Settings) *Service {
	def := DefaultSettings()
	if set.SpeedKMH <= 0 {
		set.SpeedKMH = def.SpeedKMH
	}
	if set.Budget <= 0 && set.MaxIterations <= 0 {
		set.Budget = def.Budget
	}
	return &Service{store: store, tours: tours, now: now, newID: newID, set: set}
}

// Request asks for a proposal; the optional fields override the server's
// settings for this one.
type Request struct {
	Date           string      `json:"date"`
	Slot           postal.Slot `json:"slot"`
	SpeedKMH       *float64    `json:"speed_kmh"`
	StopSeconds    *int64      `json:"stop_seconds"`
	ArticleSeconds *int64      `json:"article_seconds"`
	AwayCostM      *int64      `json:"away_cost_m"`
	BalanceM       *int64      `json:"balance_m"`
}

// settings applies a request's overrides, checked.
func (s *Service) settings(req Request) (Settings, error) {
	set := s.set
	var fe []postal.FieldError
	if v := req.SpeedKMH; v != nil {
		if *v < 1 || *v > 60 {
			fe = append(fe, postal.FieldError{Field: "speed_kmh", Message: "1 to 60"})
		}
		set.SpeedKMH = *v
	}
	for _, o := range []struct {
		field string
		v     *int64
		max   int64
		to    *int64
	}{{"stop_seconds", req.StopSeconds, 3600, &set.StopSeconds}, {"article_seconds", req.ArticleSeconds, 600, &set.ArticleSeconds},
		{"away_cost_m", req.AwayCostM, 100_000, &set.AwayCostM}, {"balance_m", req.BalanceM, 10_000, &set.BalanceM}} {
		if o.v == nil {
			continue
		}
		if *o.v < 0 || *o.v > o.max {
			fe = append(fe, postal.FieldError{Field: o.field, Message: fmt.Sprintf("0 to %d", o.max)})
		}
		*o.to = *o.v
	}
	if len(fe) > 0 {
		return Settings{}, postal.Invalid("invalid settings", fe...)
	}
	return set, nil
}

// check lets a supervisor of the centre, or an admin, plan its beats.
func check(p postal.Principal, dcID string) error {
	if !p.CanSeeDC(dcID) {
		return postal.Errorf(postal.CodeNotFound, "delivery centre not found")
	}
	if p.Role != postal.RoleSupervisor && p.Role != postal.RoleAdmin {
		return postal.Errorf(postal.CodeForbidden, "only a supervisor may plan beats")
	}
	return nil
}

// Propose balances the slot's articles over the postmen on duty and stores
// the proposal beside the fixed beats.
func (s *Service) Propose(ctx context.Context, p postal.Principal, dcID string, req Request) (Proposal, error) {
	if err := check(p, dcID); err != nil {
		return Proposal{}, err
	}
	if err := manifest.ParseBuild(req.Date, req.Slot); err != nil {
		return Proposal{}, err
	}
	set, err := s.settings(req)
	if err != nil {
		return Proposal{}, err
	}
	in, err := s.input(ctx, dcID, req.Date, req.Slot)
	if err != nil {
		return Proposal{}, err
	}
	if set.Seed == 0 {
		set.Seed = uint64(s.now().UnixNano())
	}
	out := Propose(ctx, in, set)
	out.ID, out.CreatedAt, out.CreatedBy = s.newID(), s.now(), p.UserID
	body, err := json.Marshal(out)
	if err != nil {
		return Proposal{}, fmt.Errorf("beatplan: encode: %w", err)
	}
	rec := Record{ID: out.ID, DCID: dcID, Date: req.Date, Slot: req.Slot, Body: body, CreatedBy: p.UserID, CreatedAt: out.CreatedAt}
	for _, r := range out.Routes {
		rec.Routes = append(rec.Routes, r.PlanRoute)
	}
	if err := s.store.SaveBeatPlan(ctx, rec); err != nil {
		return Proposal{}, err
	}
	return out, nil
}

// input reads what a proposal needs about the slot.
func (s *Service) input(ctx context.Context, dcID, date string, sl postal.Slot) (Input, error) {
	dc, err := s.store.DC(ctx, dcID)
	if err != nil {
		return Input{}, err
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		return Input{}, postal.Wrap(err, postal.CodeInternal, "centre has an unknown time zone")
	}
	cal, err := s.store.Calendar(ctx, dcID)
	if err != nil {
		return Input{}, err
	}
	inst, ok := cal.Instance(date, sl, loc, s.now())
	if !ok {
		return Input{}, postal.Invalid("no such slot", postal.FieldError{Field: "slot",
			Message: "the centre does not deliver in this slot on that date"})
	}
	arts, err := s.store.ScheduledFor(ctx, dcID, date, sl)
	if err != nil {
		return Input{}, err
	}
	day, err := s.store.RosterDay(ctx, dcID, date)
	if err != nil {
		return Input{}, err
	}
	sr, _ := day.Slot(sl)
	return Input{DC: dc, Date: date, Slot: sl, Window: manifest.Window{Start: inst.Start, End: inst.End},
		Capacity: cal.Capacity[sl] * 100, Roster: sr, Households: s.households(arts),
		Tour: func(ctx context.Context, beat string, stops []manifest.Stop) []manifest.Stop {
			out, _ := s.tours.Tour(ctx, dc, dcID+beat+date+string(sl), stops)
			return out
		}}, nil
}

// households groups articles as Build does, each with its beat.
func (s *Service) households(arts []article.Article) []Household {
	beat := make(map[string]string, len(arts))
	for _, a := range arts {
		beat[a.ID] = a.BeatID
	}
	stops := s.tours.Households(arts)
	out := make([]Household, len(stops))
	for i, st := range stops {
		out[i] = Household{Stop: st, BeatID: beat[st.Articles[0].ID]}
	}
	return out
}
