package beatplan

import (
	"context"
	"fmt"
	"math"

	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
	"dakiya/internal/route"
	"dakiya/internal/slot"
)

// Household is one stop to deliver (a household's articles, as Build
// groups them) with the beat its address belongs to.
type Household struct {
	Stop   manifest.Stop
	BeatID string
}

// Input is what a proposal knows about the slot.
type Input struct {
	DC         centre.DC
	Date       string
	Slot       postal.Slot
	Window     manifest.Window
	Capacity   int // hundredths of a letter per postman
	Roster     roster.SlotRoster
	Households []Household
	// Tour orders a fixed beat's stops as Build does, for the fixed side.
	Tour func(ctx context.Context, beatID string, stops []manifest.Stop) []manifest.Stop
}

// plan is one proposal in the making.
type plan struct {
	in       Input
	set      Settings
	crew     manifest.Crew
	out      Proposal
	vehicle  map[string]int // postman → index in out.Routes
	jobs     []Household    // the routable households, job i+1
	cost     *route.Dense
	travel   *route.Dense
	windowS  int64
	capacity int64
	away     int64 // the solver's cost for a household moved off its postman's beat
}

// Propose balances the slot's households over the postmen on duty who walk
// a beat and sets the result beside the fixed beats.
func Propose(ctx context.Context, in Input, set Settings) Proposal {
	p := &plan{in: in, set: set, crew: manifest.CrewFor(in.DC, in.Date, in.Slot, in.Roster), vehicle: map[string]int{},
		windowS: int64(in.Window.End.Sub(in.Window.Start).Seconds()), capacity: int64(in.Capacity)}
	p.out = Proposal{DCID: in.DC.ID, Date: in.Date, Slot: in.Slot, Window: in.Window, Settings: set, Routes: []Route{},
		Unplaced: []Unplaced{}, FixedUnassigned: []manifest.Unassigned{}, Idle: []Idle{}}
	p.out.Settings.BudgetMS = set.Budget.Milliseconds()
	p.fleet()
	unrouted := p.matrices()
	p.away = set.AwayCostM + 2*longest(p.cost)
	p.solve(ctx)
	p.keepUnrouted(unrouted)
	p.fixed(ctx)
	p.totals()
	return p.out
}

// fleet makes a route for each postman on duty who walks a beat.
func (p *plan) fleet() {
	for _, d := range p.in.Roster.Postmen {
		if d.Status != roster.OnDuty {
			continue
		}
		beat := p.crew.Beat(d.UserID)
		if beat == "" {
			p.out.Idle = append(p.out.Idle, Idle{UserID: d.UserID, Name: d.Name,
				Reason: "on duty but walks no beat and covers none, so cannot get a manifest; set the beat they cover"})
			continue
		}
		p.vehicle[d.UserID] = len(p.out.Routes)
		capLetters := float64(p.capacity) / 100
		p.out.Routes = append(p.out.Routes, Route{PlanRoute: manifest.PlanRoute{PostmanID: d.UserID, BeatID: beat, ArticleIDs: []string{}},
			Name: d.Name, HomeBeatID: d.HomeBeatID, CoversBeatID: d.CoversBeatID, Stops: []Stop{},
			Fixed: Figures{Capacity: capLetters}, Balanced: Figures{Capacity: capLetters}})
	}
}

// matrices builds the distance and travel-time matrices over the centre
// and the households with coordinates; it returns those without.
func (p *plan) matrices() []Household {
	var unrouted []Household
	points := []route.LatLon{{Lat: p.in.DC.Lat, Lon: p.in.DC.Lon}}
	for _, h := range p.in.Households {
		if h.Stop.Lat == nil || h.Stop.Lon == nil {
			unrouted = append(unrouted, h)
			continue
		}
		p.jobs = append(p.jobs, h)
		points = append(points, route.LatLon{Lat: *h.Stop.Lat, Lon: *h.Stop.Lon})
	}
	p.cost = route.GeoMatrix(points, manifest.Circuity)
	p.travel = route.NewDense(len(points))
	for i := range points {
		for j := i + 1; j < len(points); j++ {
			p.travel.Set(i, j, p.seconds(p.cost.Dist(i, j)))
		}
	}
	return unrouted
}

// longest is the longest distance between two points of m. Twice it bounds
// what taking one household out of a round can save (by the triangle
// inequality, which the great circle × circuity keeps), so an away cost
// above it moves a household off its postman's beat only when capacity or
// the window demand it, never for distance alone: a postman with a light
// round keeps it rather than hand it to a neighbour and stand idle.
func longest(m *route.Dense) int64 {
	var l int64
	for i := range m.Len() {
		for j := i + 1; j < m.Len(); j++ {
			l = max(l, m.Dist(i, j))
		}
	}
	return l
}

// seconds is the time to cover metres at the settings' speed, rounded up.
func (p *plan) seconds(m int64) int64 {
	return int64(math.Ceil(float64(m) * 3.6 / p.set.SpeedKMH))
}

// service is the time spent at a stop.
func (p *plan) service(st manifest.Stop) int64 {
	return p.set.StopSeconds + p.set.ArticleSeconds*int64(max(len(st.Articles)-1, 0))
}

// home is the route of the postman who walks a beat, or -1.
func (p *plan) home(beatID string) int {
	w, _ := p.crew.Walker(beatID)
	if v, ok := p.vehicle[w]; ok && w != "" {
		return v
	}
	return -1
}

// solve runs the solver and lays its routes out.
func (p *plan) solve(ctx context.Context) {
	prob := route.VRP{Cost: p.cost, Travel: p.travel, Jobs: make([]route.Job, len(p.jobs)), Vehicles: make([]route.Vehicle, len(p.out.Routes))}
	for i, h := range p.jobs {
		prob.Jobs[i] = route.Job{Demand: int64(load(h.Stop)), Service: p.service(h.Stop), Home: p.home(h.BeatID)}
	}
	for v := range prob.Vehicles {
		prob.Vehicles[v] = route.Vehicle{Capacity: p.capacity, Start: 0, End: p.windowS}
	}
	res := route.SolveVRP(ctx, prob, route.VRPOptions{Budget: p.set.Budget, Seed: p.set.Seed,
		MaxIterations: p.set.MaxIterations, AwayCost: p.away})
	p.out.Iterations = res.Iterations
	if p.set.Budget > 0 { // balancing gets the solver's budget again at most
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, p.set.Budget)
		defer cancel()
	}
	routes, absent := p.balance(ctx, prob, p.restore(prob, res.Routes)), res.Unassigned
	fixed, left := p.homeFirst(ctx, prob)
	if fixed = p.balance(ctx, prob, fixed); len(left) < len(absent) ||
		len(left) == len(absent) && p.objective(prob, fixed) < p.objective(prob, routes) {
		routes, absent = fixed, left // the solver found nothing better than the fixed beats
	}
	for v, jobs := range routes {
		r := &p.out.Routes[v]
		prev := 0
		for _, node := range jobs {
			h := p.jobs[node-1]
			p.take(r, v, h)
			r.Balanced.DistanceM += p.cost.Dist(prev, node)
			r.Balanced.TravelS += p.travel.Dist(prev, node)
			prev = node
		}
		r.Balanced.DistanceM += p.cost.Dist(prev, 0)
		r.Balanced.TravelS += p.travel.Dist(prev, 0)
	}
	for _, node := range absent {
		h := p.jobs[node-1]
		p.out.Unplaced = append(p.out.Unplaced, Unplaced{Stop: stopOf(h), Reason: p.why(node, h)})
	}
}

// take adds a household to route v.
func (p *plan) take(r *Route, v int, h Household) {
	st := stopOf(h)
	r.Stops = append(r.Stops, st)
	r.ArticleIDs = append(r.ArticleIDs, st.ArticleIDs...)
	r.Balanced.Articles += len(st.ArticleIDs)
	r.Balanced.Stops++
	r.Balanced.Load += float64(load(h.Stop)) / 100
	r.Balanced.ServiceS += p.service(h.Stop)
	if p.home(h.BeatID) != v {
		r.Moved++
	}
}

// why says why the solver could not place a household.
func (p *plan) why(node int, h Household) string {
	l := load(h.Stop)
	switch {
	case len(p.out.Routes) == 0:
		return "no postman on duty walks a beat in this slot"
	case int64(l) > p.capacity:
		return fmt.Sprintf("heavier (%.2f letters) than one postman's capacity (%.2f)", float64(l)/100, float64(p.capacity)/100)
	case p.travel.Dist(0, node)*2+p.service(h.Stop) > p.windowS:
		return "too far to reach and come back within the slot's window"
	}
	return "no postman on duty has room left for it (capacity or time)"
}

// keepUnrouted gives households without coordinates to their beat's
// walker, at the end of the route; they cannot be routed.
func (p *plan) keepUnrouted(hs []Household) {
	for _, h := range hs {
		v := p.home(h.BeatID)
		if v < 0 {
			p.out.Unplaced = append(p.out.Unplaced, Unplaced{Stop: stopOf(h),
				Reason: "the address has no coordinates and its beat's postman is not on duty"})
			continue
		}
		p.take(&p.out.Routes[v], v, h)
	}
}

// stopOf is a household as a plan's stop.
func stopOf(h Household) Stop {
	st := Stop{StopID: h.Stop.StopID, Lat: h.Stop.Lat, Lon: h.Stop.Lon, Address: h.Stop.Address, BeatID: h.BeatID}
	for _, it := range h.Stop.Articles {
		st.ArticleIDs = append(st.ArticleIDs, it.ID)
	}
	return st
}

// load is a stop's load in hundredths of a letter.
func load(st manifest.Stop) int {
	n := 0
	for _, it := range st.Articles {
		n += slot.Load(it.Service)
	}
	return n
}
