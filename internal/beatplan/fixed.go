package beatplan

import (
	"context"
	"math"
	"sort"

	"dakiya/internal/manifest"
	"dakiya/internal/route"
)

// fixed fills in what the fixed beats give each postman (Build without a
// plan: every beat's households to its walker, in the optimiser's order),
// and what they leave unassigned.
func (p *plan) fixed(ctx context.Context) {
	byBeat := map[string][]manifest.Stop{}
	for _, h := range p.in.Households {
		byBeat[h.BeatID] = append(byBeat[h.BeatID], h.Stop)
	}
	beats := make([]string, 0, len(byBeat))
	for b := range byBeat {
		beats = append(beats, b)
	}
	sort.Strings(beats)
	for _, b := range beats {
		walker, reason := p.crew.Walker(b)
		v, ok := p.vehicle[walker]
		if reason != "" || !ok {
			for _, st := range byBeat[b] {
				for _, it := range st.Articles {
					p.out.FixedUnassigned = append(p.out.FixedUnassigned, manifest.Unassigned{ID: it.ID, Reason: reason})
				}
			}
			continue
		}
		p.walk(&p.out.Routes[v].Fixed, p.in.Tour(ctx, b, byBeat[b]))
	}
}

// walk adds a tour of stops (in order, from the centre and back) to f.
func (p *plan) walk(f *Figures, stops []manifest.Stop) {
	points := []route.LatLon{{Lat: p.in.DC.Lat, Lon: p.in.DC.Lon}}
	for _, st := range stops {
		f.Articles += len(st.Articles)
		f.Stops++
		f.Load += float64(load(st)) / 100
		f.ServiceS += p.service(st)
		if st.Lat != nil && st.Lon != nil {
			points = append(points, route.LatLon{Lat: *st.Lat, Lon: *st.Lon})
		}
	}
	m := route.GeoMatrix(points, manifest.Circuity)
	for i := 1; i <= len(points); i++ {
		d := m.Dist(i-1, i%len(points))
		f.DistanceM += d
		f.TravelS += p.seconds(d)
	}
}

// totals finishes each route's figures and sums both sides.
func (p *plan) totals() {
	p.out.Fixed.Unassigned = len(p.out.FixedUnassigned)
	for _, u := range p.out.Unplaced {
		p.out.Balanced.Unassigned += len(u.ArticleIDs)
	}
	for i := range p.out.Routes {
		r := &p.out.Routes[i]
		p.finish(&r.Fixed, &p.out.Fixed)
		p.finish(&r.Balanced, &p.out.Balanced)
	}
	p.out.Fixed.SpreadS = p.out.Fixed.MaxTimeS - p.shortest(func(r Route) Figures { return r.Fixed })
	p.out.Balanced.SpreadS = p.out.Balanced.MaxTimeS - p.shortest(func(r Route) Figures { return r.Balanced })
}

// shortest is the shortest round's time on one side (0 with no routes).
func (p *plan) shortest(side func(Route) Figures) int64 {
	var lo int64
	for i, r := range p.out.Routes {
		if t := side(r).TimeS; i == 0 || t < lo {
			lo = t
		}
	}
	return lo
}

// finish sets a route's time and flags and adds it to its side's totals.
func (p *plan) finish(f *Figures, t *Totals) {
	f.Load = math.Round(f.Load*100) / 100
	f.TimeS = f.TravelS + f.ServiceS
	f.OverCapacity = f.Load > f.Capacity
	f.OverTime = f.TimeS > p.windowS
	t.Articles += f.Articles
	t.DistanceM += f.DistanceM
	t.TimeS += f.TimeS
	t.MaxTimeS = max(t.MaxTimeS, f.TimeS)
	if f.OverCapacity || f.OverTime {
		t.Over++
	}
}
