package route

import (
	"math"
	"testing"
)

// TestGreatCircle checks the haversine distance against the spherical law
// of cosines, an independent formula, and a value worked out beforehand.
func TestGreatCircle(t *testing.T) {
	dakBhawan := LatLon{28.622788, 77.213033}
	indiaGate := LatLon{28.612912, 77.229510}
	got := GreatCircle(dakBhawan, indiaGate)
	const want = 1947.5 // metres, on a sphere of radius 6371008.8 m
	if math.Abs(got-want)/want > 0.01 {
		t.Errorf("Dak Bhawan to India Gate: %.1f m, want %.1f m ± 1 %%", got, want)
	}
	if alt := lawOfCosines(dakBhawan, indiaGate); math.Abs(got-alt) > 0.01 {
		t.Errorf("haversine %.3f m, law of cosines %.3f m", got, alt)
	}
}

func lawOfCosines(a, b LatLon) float64 {
	r := math.Pi / 180
	c := math.Sin(a.Lat*r)*math.Sin(b.Lat*r) + math.Cos(a.Lat*r)*math.Cos(b.Lat*r)*math.Cos((b.Lon-a.Lon)*r)
	return EarthRadius * math.Acos(c)
}

func TestGeoMatrix(t *testing.T) {
	pts := []LatLon{
		{28.622788, 77.213033}, // Dak Bhawan, New Delhi
		{28.612912, 77.229510}, // India Gate
		{28.6139, 77.2090},     // Connaught Place
		{28.6562, 77.2410},     // Red Fort
	}
	tests := []struct {
		circuity float64
		want01   int64
	}{
		{0, int64(math.Round(GreatCircle(pts[0], pts[1]) * DefaultCircuity))},
		{1, int64(math.Round(GreatCircle(pts[0], pts[1])))},
		{1.5, int64(math.Round(GreatCircle(pts[0], pts[1]) * 1.5))},
	}
	for _, tc := range tests {
		m := GeoMatrix(pts, tc.circuity)
		for i := range pts {
			if m.Dist(i, i) != 0 {
				t.Errorf("circuity %v: d(%d,%d) = %d", tc.circuity, i, i, m.Dist(i, i))
			}
			for j := range pts {
				if m.Dist(i, j) != m.Dist(j, i) {
					t.Errorf("circuity %v: d(%d,%d) = %d but d(%d,%d) = %d", tc.circuity, i, j, m.Dist(i, j), j, i, m.Dist(j, i))
				}
			}
		}
		if got := m.Dist(0, 1); got != tc.want01 {
			t.Errorf("circuity %v: d(0,1) = %d, want %d", tc.circuity, got, tc.want01)
		}
	}
	if got := GeoMatrix(pts, 0).Dist(0, 1); got < 2500 || got > 2560 {
		t.Errorf("Dak Bhawan to India Gate by road %d m, want about 1947.5 × 1.3 = 2532", got)
	}
}
