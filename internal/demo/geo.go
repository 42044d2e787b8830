package demo

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"

	"dakiya/internal/postal"
)

const (
	// latticeStep and latticeRadius lay the grid of points whose DIGIPIN
	// cells make up the beats. A level-6 cell is about 1 km across, so a
	// 250 m step lands at least one point in every cell that holds a point
	// within articleRadius of the centre: the half-cell around such a point
	// lies within 3.7 km.
	latticeStep   = 250.0  // metres
	latticeRadius = 4000.0 // metres
	// articleRadius bounds how far from the centre a recipient lives.
	articleRadius = 3000.0 // metres
	// beatPrefixLen is a level-6 DIGIPIN prefix with its hyphen, "XXX-XXX".
	beatPrefixLen = 7
)

// metresPerDegree returns the length of a degree of latitude and of
// longitude at latitude lat, on the WGS84 ellipsoid.
func metresPerDegree(lat float64) (mLat, mLon float64) {
	phi := lat * math.Pi / 180
	mLat = 111132.92 - 559.82*math.Cos(2*phi) + 1.175*math.Cos(4*phi) - 0.0023*math.Cos(6*phi)
	mLon = 111412.84*math.Cos(phi) - 93.5*math.Cos(3*phi) + 0.118*math.Cos(5*phi)
	return mLat, mLon
}

// offset moves (lat, lon) north and east by the given metres.
func offset(lat, lon, north, east float64) (float64, float64) {
	mLat, mLon := metresPerDegree(lat)
	return lat + north/mLat, lon + east/mLon
}

// distance returns the metres between two nearby points, on a plane
// tangent at the first: plenty for a few kilometres.
func distance(lat0, lon0, lat, lon float64) float64 {
	mLat, mLon := metresPerDegree(lat0)
	return math.Hypot((lat-lat0)*mLat, (lon-lon0)*mLon)
}

// sectorOf returns which of n equal bearing sectors, clockwise from north,
// holds a point north and east metres from the centre.
func sectorOf(north, east float64, n int) int {
	return min(int(bearing(north, east)/(360/float64(n))), n-1)
}

// bearing returns the direction of a point north and east metres away, in
// degrees clockwise from north, 0 to 360.
func bearing(north, east float64) float64 {
	b := math.Atan2(east, north) * 180 / math.Pi
	if b < 0 {
		b += 360
	}
	return b
}

// sectorPrefixes divides the level-6 DIGIPIN cells around a centre among n
// sectors. It walks a lattice out to latticeRadius, nearest points first,
// and gives each cell to the sector of the first lattice point found in
// it, so every cell belongs to exactly one sector, and a cell astride two
// sectors goes to the one that holds its part nearest the centre.
func sectorPrefixes(lat0, lon0 float64, n int) ([][]string, error) {
	out := make([][]string, n)
	seen := map[string]bool{}
	for _, pt := range lattice() {
		code, err := postal.EncodeDIGIPIN(offset(lat0, lon0, pt.north, pt.east))
		if err != nil {
			return nil, err
		}
		if p := code[:beatPrefixLen]; !seen[p] {
			seen[p] = true
			s := sectorOf(pt.north, pt.east, n)
			out[s] = append(out[s], p)
		}
	}
	for _, ps := range out {
		slices.Sort(ps)
	}
	return out, nil
}

// latticePoint is a point north and east metres from a centre.
type latticePoint struct{ north, east float64 }

// lattice returns the points latticeStep apart within latticeRadius of a
// centre, nearest first, ties clockwise from north.
func lattice() []latticePoint {
	steps := int(latticeRadius / latticeStep)
	var pts []latticePoint
	for i := -steps; i <= steps; i++ {
		for j := -steps; j <= steps; j++ {
			pt := latticePoint{float64(i) * latticeStep, float64(j) * latticeStep}
			if math.Hypot(pt.north, pt.east) <= latticeRadius {
				pts = append(pts, pt)
			}
		}
	}
	slices.SortStableFunc(pts, func(a, b latticePoint) int {
		if c := cmp.Compare(a.north*a.north+a.east*a.east, b.north*b.north+b.east*b.east); c != 0 {
			return c
		}
		return cmp.Compare(bearing(a.north, a.east), bearing(b.north, b.east))
	})
	return pts
}

// sectorPINs gives each PIN code of the localities to the sector holding
// the first locality anchor with that code; the PIN codes are the beats'
// fallback for addresses without coordinates.
func sectorPINs(lat0, lon0 float64, locs []locality, n int) [][]string {
	out := make([][]string, n)
	seen := map[string]bool{}
	mLat, mLon := metresPerDegree(lat0)
	for _, l := range locs {
		if seen[l.pin] {
			continue
		}
		seen[l.pin] = true
		s := sectorOf((l.lat-lat0)*mLat, (l.lon-lon0)*mLon, n)
		out[s] = append(out[s], l.pin)
	}
	return out
}

// pointInDisc returns a point uniformly distributed within radius metres
// of (lat0, lon0), rounded to six decimals (about 10 cm) as a phone
// would report it.
func pointInDisc(r *rand.Rand, lat0, lon0, radius float64) (lat, lon float64) {
	d := radius * math.Sqrt(r.Float64())
	theta := 2 * math.Pi * r.Float64()
	lat, lon = offset(lat0, lon0, d*math.Cos(theta), d*math.Sin(theta))
	return round6(lat), round6(lon)
}

func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }

// nearest returns the locality whose anchor is closest to (lat, lon).
func nearest(locs []locality, lat, lon float64) locality {
	best, bestD := locs[0], math.Inf(1)
	for _, l := range locs {
		if d := distance(lat, lon, l.lat, l.lon); d < bestD {
			best, bestD = l, d
		}
	}
	return best
}
