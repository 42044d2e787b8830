package demo

import (
	"fmt"
	"math/rand/v2"

	"dakiya/internal/article"
	"dakiya/internal/postal"
)

const (
	multiShare   = 0.15 // households that receive 2–3 articles
	codShare     = 0.25 // parcels and Speed Post articles paid on delivery
	codMinRupees = 199
	codMaxRupees = 4999
	prefShare    = 0.2 // households that asked for a morning or evening slot
	flatShare    = 0.25
	// Serials are drawn from the upper range so that ids look like real
	// ones rather than runs of zeros.
	minSerial = 10_000_000
	maxSerial = 99_999_999
)

// household is one address and the person there; its articles share both
// and any slot preference, so scheduling keeps them together and they make
// one stop.
type household struct {
	rcpt article.Recipient
	pref postal.Slot
}

// planner draws the demo articles from one seeded generator, so the same
// seed and day give the same articles.
type planner struct {
	r       *rand.Rand
	serials map[int]bool // serials used so far, across all centres
}

// articles plans c's articles.
func (p *planner) articles(c centreSpec) ([]article.Input, error) {
	items := make([]article.Input, 0, c.articles)
	for len(items) < c.articles {
		h := p.household(c)
		n := 1
		if p.r.Float64() < multiShare {
			n = 2 + p.r.IntN(2)
		}
		for range min(n, c.articles-len(items)) {
			in, err := p.article(h)
			if err != nil {
				return nil, err
			}
			items = append(items, in)
		}
	}
	return items, nil
}

// household draws a recipient living within articleRadius of c, with an
// address in the style of the nearest locality.
func (p *planner) household(c centreSpec) household {
	lat, lon := pointInDisc(p.r, c.dc.Lat, c.dc.Lon, articleRadius)
	loc := nearest(c.localities, lat, lon)
	h := household{rcpt: article.Recipient{
		Name:    p.name(c.names),
		Phone:   fmt.Sprintf("+91%d%09d", 6+p.r.IntN(4), p.r.IntN(1_000_000_000)),
		Address: p.address(c, loc),
		PIN:     loc.pin,
		Lat:     &lat,
		Lon:     &lon,
	}}
	if p.r.Float64() < prefShare {
		h.pref = pick(p.r, []postal.Slot{postal.SlotMorning, postal.SlotEvening})
	}
	return h
}

// name draws a recipient's name from one of the groups.
func (p *planner) name(groups []nameGroup) string {
	g := pick(p.r, groups)
	return pick(p.r, g.given) + " " + pick(p.r, g.family)
}

// address writes a house or flat address in l.
func (p *planner) address(c centreSpec, l locality) string {
	street := pick(p.r, l.streets)
	// The old walled city of Jaipur has houses, not apartment blocks.
	if l.house != "House No. %d" && p.r.Float64() < flatShare {
		return fmt.Sprintf("Flat %d%02d, %s, %s, %s", 1+p.r.IntN(6), 1+p.r.IntN(4), pick(p.r, c.buildings), street, l.area)
	}
	return fmt.Sprintf(l.house, 1+p.r.IntN(120)) + ", " + street + ", " + l.area
}

// article draws one article for household h.
func (p *planner) article(h household) (article.Input, error) {
	svc, indicator := p.service()
	id, err := postal.NewS10(indicator, p.serial(), "IN")
	if err != nil {
		return article.Input{}, fmt.Errorf("demo: s10 id: %w", err)
	}
	in := article.Input{ID: id.String(), Service: svc, Recipient: h.rcpt, SlotPreference: h.pref}
	if (svc == postal.ServiceParcel || svc == postal.ServiceSpeedPost) && p.r.Float64() < codShare {
		rupees := codMinRupees + p.r.IntN(codMaxRupees-codMinRupees+1)
		in.CODPaise = int64(rupees) * 100
	}
	return in, nil
}

// service draws a product and an S10 service indicator for it: Speed Post
// 30 %, registered 30 %, parcel 20 %, tracked letter 20 %.
func (p *planner) service() (postal.Service, string) {
	switch n := p.r.IntN(10); {
	case n < 3:
		return postal.ServiceSpeedPost, pick(p.r, []string{"EE", "EM"})
	case n < 6:
		return postal.ServiceRegistered, pick(p.r, []string{"RR", "RU"})
	case n < 8:
		return postal.ServiceParcel, pick(p.r, []string{"CP", "CA"})
	default:
		return postal.ServiceLetter, "L" + string(rune('A'+p.r.IntN(26)))
	}
}

// serial draws an eight-digit serial not used before in this load.
func (p *planner) serial() int {
	for {
		if s := minSerial + p.r.IntN(maxSerial-minSerial+1); !p.serials[s] {
			p.serials[s] = true
			return s
		}
	}
}

// pick returns a random element of xs.
func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }
