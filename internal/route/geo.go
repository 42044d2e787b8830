package route

import "math"

// EarthRadius is the mean radius of the Earth in metres (IUGG).
const EarthRadius = 6371008.8

// DefaultCircuity is how much longer than the great circle a trip on
// Indian streets is taken to be, until a road network is plugged in.
const DefaultCircuity = 1.3

// LatLon is a WGS84 position in decimal degrees.
type LatLon struct {
	Lat, Lon float64
}

// GreatCircle returns the distance in metres between a and b on a sphere
// of EarthRadius, by the haversine formula, which stays accurate for the
// short distances between neighbouring stops.
func GreatCircle(a, b LatLon) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	s1, s2 := math.Sin(dLat/2), math.Sin(dLon/2)
	h := s1*s1 + math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*s2*s2
	return 2 * EarthRadius * math.Asin(math.Sqrt(min(1, h)))
}

// GeoMatrix returns road-distance estimates in whole metres between
// points: the great-circle distance times circuity (DefaultCircuity when
// circuity is not positive).
func GeoMatrix(points []LatLon, circuity float64) *Dense {
	if circuity <= 0 {
		circuity = DefaultCircuity
	}
	m := NewDense(len(points))
	for i := range points {
		for j := i + 1; j < len(points); j++ {
			m.Set(i, j, int64(math.Round(GreatCircle(points[i], points[j])*circuity)))
		}
	}
	return m
}
