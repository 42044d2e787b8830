// Package demo owns the demo data set: two delivery centres in real Indian
// cities with their staff, beats and a few hundred scheduled articles. It
// loads them through the domain services, so demo data obeys every rule
// real data does, and draws them from a fixed seed, so the same clock gives
// the same data.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"dakiya/internal/article"
	"dakiya/internal/auth"
	"dakiya/internal/booking"
	"dakiya/internal/centre"
	"dakiya/internal/forecast"
	"dakiya/internal/manifest"
	"dakiya/internal/partner"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/slot"
)

// Password is the password of every demo user.
const Password = "dakiya-demo"

// adminUsername names the demo admin, whose presence marks a loaded
// database.
const adminUsername = "admin"

// The seed of the demo's random generator.
const (
	seed1 = 2025
	seed2 = 11
)

// Deps are the services the demo loads through (the real domain services,
// so demo data obeys every rule real data does).
type Deps struct {
	Centres *centre.Service
	Auth    *auth.Service
	Users   interface {
		UserByUsername(ctx context.Context, username string) (auth.User, error)
	}
	Articles *article.Service
	Slots    *slot.Service
	// Manifests, when set, builds and dispatches each centre's first
	// scheduled slot, so the postmen have work the moment they log in.
	Manifests *manifest.Service
	// Partners and Bookings, when both are set, add a bulk customer with a
	// wallet, an API key and a first booking.
	Partners *partner.Service
	Bookings *booking.Service
	// Arrivals, when set, receives each centre's generated year of
	// arrivals (history.go) as imported history, shaped by Festivals.
	Arrivals  ArrivalImporter
	Festivals []forecast.Festival
	Now       func() time.Time
	// Rosters, when set, puts the postmen on Sunday duty in the Sunday
	// slots the demo schedules into.
	Rosters *roster.Service
}

// ArrivalImporter writes history into the arrivals rollup.
type ArrivalImporter interface {
	ImportArrivals(ctx context.Context, dc string, as []forecast.Arrival) error
}

// Summary counts what Load created. AlreadyLoaded reports that the demo
// data was there already and nothing was created.
type Summary struct {
	Centres, Beats, Users, Articles int
	Dispatched                      int // manifests sent out
	AlreadyLoaded                   bool
	// PartnerKey is the demo partner's API key, shown this once.
	PartnerKey string
}

// Load adds the demo data set. If user admin exists it changes nothing and
// reports AlreadyLoaded, so running it again is safe. Articles are
// scheduled over today and the next two days by d.Now in each centre's
// time zone. A load that fails part-way leaves what it had made: load
// into an empty database again.
func Load(ctx context.Context, d Deps) (Summary, error) {
	_, err := d.Users.UserByUsername(ctx, adminUsername)
	if err == nil {
		return Summary{AlreadyLoaded: true}, nil
	}
	if !postal.IsCode(err, postal.CodeNotFound) {
		return Summary{}, fmt.Errorf("demo: look up admin: %w", err)
	}
	admin, err := d.Auth.CreateUser(ctx, auth.NewUser{Username: adminUsername, Name: "Priya Raghavan",
		Role: postal.RoleAdmin, Locale: "en", Password: Password})
	if err != nil {
		return Summary{}, fmt.Errorf("demo: create admin: %w", err)
	}
	l := loader{d: d, admin: principalOf(admin), sum: Summary{Users: 1},
		plan: planner{r: rand.New(rand.NewPCG(seed1, seed2)), serials: map[int]bool{}}}
	for _, c := range centres() {
		if err := l.centre(ctx, c); err != nil {
			return Summary{}, err
		}
	}
	if d.Partners != nil && d.Bookings != nil {
		if l.sum.PartnerKey, err = l.partner(ctx); err != nil {
			return Summary{}, err
		}
	}
	return l.sum, nil
}

// loader carries one Load's state from centre to centre.
type loader struct {
	d     Deps
	admin postal.Principal
	plan  planner
	sum   Summary
}

// centre creates one centre with its staff, beats and articles.
func (l *loader) centre(ctx context.Context, c centreSpec) error {
	dc, err := l.d.Centres.Create(ctx, l.admin, c.dc)
	if err != nil {
		return fmt.Errorf("demo: create centre %s: %w", c.dc.ID, err)
	}
	l.sum.Centres++
	users, err := l.staff(ctx, dc.ID, append([]staff{c.supervisor}, c.postmen...))
	if err != nil {
		return err
	}
	if err := l.sorter(ctx, dc.ID, c.sorter); err != nil {
		return err
	}
	if err := l.beats(ctx, dc, c, users); err != nil {
		return err
	}
	if err := l.relievers(ctx, dc.ID); err != nil {
		return err
	}
	items, err := l.plan.articles(c)
	if err != nil {
		return err
	}
	sup := principalOf(users[c.supervisor.username])
	if err := l.book(ctx, sup, dc.ID, items); err != nil {
		return err
	}
	if err := l.schedule(ctx, sup, dc.ID); err != nil {
		return err
	}
	if err := l.sundayDuty(ctx, sup, dc, beatPostmen(c, users)); err != nil {
		return err
	}
	if err := l.dispatchFirst(ctx, sup, dc.ID); err != nil {
		return err
	}
	return l.history(ctx, dc)
}

// history imports the centre's generated year of arrivals, ending
// yesterday in its zone.
func (l *loader) history(ctx context.Context, dc centre.DC) error {
	if l.d.Arrivals == nil {
		return nil
	}
	loc, err := time.LoadLocation(dc.TimeZone)
	if err != nil {
		loc = time.UTC
	}
	as := CentreHistory(dc.ID, l.d.Festivals, slot.Today(l.d.Now(), loc))
	if err := l.d.Arrivals.ImportArrivals(ctx, dc.ID, as); err != nil {
		return fmt.Errorf("demo: import arrivals of %s: %w", dc.ID, err)
	}
	return nil
}

// dispatchFirst builds and dispatches the manifests of the centre's
// earliest scheduled slot.
func (l *loader) dispatchFirst(ctx context.Context, sup postal.Principal, dcID string) error {
	if l.d.Manifests == nil {
		return nil
	}
	page, err := l.d.Articles.List(ctx, sup, dcID, article.Query{Status: string(article.StatusScheduled), Limit: "1000"})
	if err != nil {
		return fmt.Errorf("demo: first slot of %s: %w", dcID, err)
	}
	var first *article.Schedule
	for _, a := range page.Items {
		if s := a.Schedule; s != nil && (first == nil || s.Date < first.Date || s.Date == first.Date && slotRank(s.Slot) < slotRank(first.Slot)) {
			first = s
		}
	}
	if first == nil {
		return nil
	}
	res, err := l.d.Manifests.Build(ctx, sup, dcID, first.Date, first.Slot)
	if err != nil {
		return fmt.Errorf("demo: build %s %s %s: %w", dcID, first.Date, first.Slot, err)
	}
	for _, m := range res.Manifests {
		if _, err := l.d.Manifests.Dispatch(ctx, sup, m.ID); err != nil {
			return fmt.Errorf("demo: dispatch %s: %w", m.ID, err)
		}
	}
	l.sum.Dispatched += len(res.Manifests)
	return nil
}

func slotRank(s postal.Slot) int {
	switch s {
	case postal.SlotMorning:
		return 0
	case postal.SlotEvening:
		return 1
	}
	return 2
}

// staff creates the centre's supervisor (first) and postmen and returns
// them by username.
func (l *loader) staff(ctx context.Context, dcID string, people []staff) (map[string]auth.User, error) {
	out := make(map[string]auth.User, len(people))
	for i, s := range people {
		role := postal.RolePostman
		if i == 0 {
			role = postal.RoleSupervisor
		}
		u, err := l.d.Auth.CreateUser(ctx, auth.NewUser{Username: s.username, Name: s.name, Role: role,
			DCID: dcID, Locale: s.locale, Password: Password})
		if err != nil {
			return nil, fmt.Errorf("demo: create user %s: %w", s.username, err)
		}
		out[s.username] = u
		l.sum.Users++
	}
	return out, nil
}

// sorter creates the centre's sorter, who only sorts (the app's sorting
// screen).
func (l *loader) sorter(ctx context.Context, dcID string, s staff) error {
	if _, err := l.d.Auth.CreateUser(ctx, auth.NewUser{Username: s.username, Name: s.name, Role: postal.RoleSorter,
		DCID: dcID, Locale: s.locale, Password: Password}); err != nil {
		return fmt.Errorf("demo: create user %s: %w", s.username, err)
	}
	l.sum.Users++
	return nil
}

// beats creates one beat per sector around the centre, each with the
// DIGIPIN cells and PIN codes of its sector and its postman. Beat ids are
// derived from the centre's, so two loads give the same ids.
func (l *loader) beats(ctx context.Context, dc centre.DC, c centreSpec, users map[string]auth.User) error {
	prefixes, err := sectorPrefixes(dc.Lat, dc.Lon, len(c.beats))
	if err != nil {
		return fmt.Errorf("demo: beats of %s: %w", dc.ID, err)
	}
	pins := sectorPINs(dc.Lat, dc.Lon, c.localities, len(c.beats))
	for i, bs := range c.beats {
		b := centre.Beat{ID: dc.ID + "-" + bs.slug, DCID: dc.ID, Name: bs.name,
			PostmanID: users[bs.postman].ID, DIGIPINPrefixes: prefixes[i], PINs: pins[i]}
		if _, err := l.d.Centres.AddBeat(ctx, l.admin, b); err != nil {
			return fmt.Errorf("demo: add beat %s: %w", b.ID, err)
		}
		l.sum.Beats++
	}
	return nil
}

// book books items in batches as sup. Demo data must be valid, so any
// item that is not created fails the load.
func (l *loader) book(ctx context.Context, sup postal.Principal, dcID string, items []article.Input) error {
	for start := 0; start < len(items); start += article.MaxBatch {
		batch := items[start:min(start+article.MaxBatch, len(items))]
		res, err := l.d.Articles.Create(ctx, sup, dcID, batch, nil)
		if err != nil {
			return fmt.Errorf("demo: book articles in %s: %w", dcID, err)
		}
		if err := batchError(res, len(batch)); err != nil {
			return fmt.Errorf("demo: book articles in %s: %w", dcID, err)
		}
		l.sum.Articles += len(res.Created)
	}
	return nil
}

// batchError reports the first item of a batch of n that was not created.
func batchError(res article.BatchResult, n int) error {
	if len(res.Errors) > 0 {
		e := res.Errors[0]
		var why []string
		for _, fe := range e.Errors {
			why = append(why, fe.Field+": "+fe.Message)
		}
		return fmt.Errorf("%d items refused, first item %d (%s): %s", len(res.Errors), e.Index, e.ID, strings.Join(why, "; "))
	}
	if len(res.Created) != n {
		return fmt.Errorf("%d items were already booked", n-len(res.Created))
	}
	return nil
}

// schedule puts the centre's articles into slots the way a supervisor
// does, by the calendar's rules; demo data must all find a slot.
func (l *loader) schedule(ctx context.Context, sup postal.Principal, dcID string) error {
	res, err := l.d.Slots.AutoSchedule(ctx, sup, dcID)
	if err != nil {
		return fmt.Errorf("demo: schedule %s: %w", dcID, err)
	}
	if n := len(res.Unscheduled); n > 0 {
		u := res.Unscheduled[0]
		return fmt.Errorf("demo: schedule %s: %d articles found no slot, first %s: %s", dcID, n, u.ID, u.Reason)
	}
	return nil
}

// principalOf is the principal a demo user acts as.
func principalOf(u auth.User) postal.Principal {
	return postal.Principal{UserID: u.ID, Username: u.Username, Role: u.Role, DCID: u.DCID}
}
