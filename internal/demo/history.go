package demo

import (
	"math"
	"math/rand/v2"
	"time"

	"dakiya/internal/forecast"
	"dakiya/internal/postal"
)

// HistorySpec describes a centre's generated arrivals history.
type HistorySpec struct {
	Base  float64 // articles a day at the start, before the weekly season
	Trend float64 // growth over a year, as a fraction (0.08 is 8 %)
	Seed  uint64
}

// The generating process, documented in the README ("The demand
// forecast"): each day's expected arrivals are
//
//	base × (1 + trend × years) × weekday factor × festival factor(service)
//
// split by service (letters, Speed Post, registered, parcels), then each
// service's count is the expectation times log-normal noise (σ = 0.12,
// mean one), rounded, and spread over the hours the mail vans arrive.
var (
	// weekday factors, Sunday first: Sunday low (one van), Monday high
	// (the weekend's mail).
	weekdayFactor = [7]float64{0.35, 1.32, 1.08, 1.02, 1.0, 0.97, 0.86}
	serviceShare  = map[postal.Service]float64{
		postal.ServiceLetter: 0.45, postal.ServiceSpeedPost: 0.25, postal.ServiceRegistered: 0.12, postal.ServiceParcel: 0.18,
	}
	// hourShare is when the vans come: the night mail before the morning
	// slot, the midday van before the evening slot, a late van after it.
	hourShare = map[int]float64{5: 0.30, 6: 0.15, 11: 0.2, 12: 0.15, 14: 0.08, 18: 0.07, 21: 0.05}
	// festivalPeak is the factor on the eve of a festival, by name and
	// (for the parcel-heavy ones) service; other days of the window ramp
	// up to it quadratically, the day itself is quiet and the days after a
	// little below normal.
	festivalPeak = map[string]map[postal.Service]float64{
		"Diwali":         {postal.ServiceParcel: 3.0, postal.ServiceSpeedPost: 2.2, "": 1.6},
		"Raksha Bandhan": {postal.ServiceLetter: 2.2, postal.ServiceSpeedPost: 2.4, postal.ServiceParcel: 1.8, "": 1.5},
		"Eid ul-Fitr":    {postal.ServiceParcel: 1.7, "": 1.3},
		"Eid ul-Adha":    {postal.ServiceParcel: 1.5, "": 1.2},
		"Christmas":      {postal.ServiceParcel: 1.8, postal.ServiceLetter: 1.5, "": 1.3},
		"Year end":       {postal.ServiceLetter: 1.5, "": 1.2},
	}
)

const historyNoise = 0.12

// Services lists the services in the order the history generates them.
func Services() []postal.Service {
	return []postal.Service{postal.ServiceLetter, postal.ServiceSpeedPost, postal.ServiceRegistered, postal.ServiceParcel}
}

// History generates a centre's hourly arrivals for the days before end
// (YYYY-MM-DD, exclusive), deterministically from spec.Seed.
func History(spec HistorySpec, fs []forecast.Festival, end string, days int) []forecast.Arrival {
	last, err := time.Parse(time.DateOnly, end)
	if err != nil || days <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(spec.Seed, seed2))
	first := last.AddDate(0, 0, -days)
	var out []forecast.Arrival
	for i := range days {
		day := first.AddDate(0, 0, i)
		level := spec.Base * (1 + spec.Trend*float64(i)/365) * weekdayFactor[day.Weekday()]
		for _, s := range Services() {
			mean := level * serviceShare[s] * festivalFactor(fs, day, s)
			n := mean * math.Exp(historyNoise*rng.NormFloat64()-historyNoise*historyNoise/2)
			out = append(out, spread(day.Format(time.DateOnly), s, math.Round(n))...)
		}
	}
	return out
}

// spread divides a day's count over the van hours, the remainder to the
// first van.
func spread(date string, s postal.Service, n float64) []forecast.Arrival {
	var out []forecast.Arrival
	left := int64(n)
	for _, h := range []int{21, 18, 14, 12, 11, 6, 5} {
		c := int64(math.Round(n * hourShare[h]))
		if h == 5 {
			c = left
		}
		c = min(c, left)
		left -= c
		if c > 0 {
			out = append(out, forecast.Arrival{Date: date, Hour: h, Service: string(s), Count: c})
		}
	}
	return out
}

// festivalFactor is the product of the festivals' effects on day for s.
func festivalFactor(fs []forecast.Festival, day time.Time, s postal.Service) float64 {
	f := 1.0
	for _, fe := range fs {
		at, err := time.Parse(time.DateOnly, fe.Date)
		if err != nil {
			continue
		}
		peak, ok := festivalPeak[fe.Name][s]
		if !ok {
			if peak, ok = festivalPeak[fe.Name][""]; !ok {
				peak = 1.2
			}
		}
		switch o := int(day.Sub(at).Hours() / 24); {
		case o < 0 && o >= -fe.Before:
			r := float64(fe.Before+1+o) / float64(fe.Before)
			f *= 1 + (peak-1)*r*r
		case o == 0:
			f *= 0.6
		case o > 0 && o <= fe.After:
			f *= 0.85
		}
	}
	return f
}

// historySpecs are the demo centres' histories, sized to their staff: a
// postman carries about 95 letter equivalents a day (morning and evening
// norms) and the mix averages 1.57 letter equivalents an article, so
// Koramangala's three postmen take about 180 articles a day and Jaipur
// City's one about 60. Mondays and festival weeks go beyond that.
var historySpecs = map[string]HistorySpec{
	"blr-koramangala": {Base: 150, Trend: 0.10, Seed: 101},
	"jaipur-city":     {Base: 55, Trend: 0.06, Seed: 202},
}

// HistoryDays is how much history the demo imports: a year.
const HistoryDays = 365

// CentreHistory is a demo centre's generated year before end, or nil for
// a centre the demo does not know.
func CentreHistory(dc string, fs []forecast.Festival, end string) []forecast.Arrival {
	spec, ok := historySpecs[dc]
	if !ok {
		return nil
	}
	return History(spec, fs, end, HistoryDays)
}

// HistoryCentres lists the centres with a generated history.
func HistoryCentres() []string { return []string{"blr-koramangala", "jaipur-city"} }
