package demo

import (
	"math/rand/v2"
	"strings"
	"testing"

	"dakiya/internal/postal"
)

// TestSectorsCoverDisc checks, beyond the points the demo happens to draw,
// that the beats' DIGIPIN cells cover every point within articleRadius of
// each centre, and that no cell is in two beats.
func TestSectorsCoverDisc(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range centres() {
		t.Run(c.dc.ID, func(t *testing.T) {
			sectors, err := sectorPrefixes(c.dc.Lat, c.dc.Lon, len(c.beats))
			if err != nil {
				t.Fatal(err)
			}
			owner := map[string]int{}
			for s, ps := range sectors {
				for _, p := range ps {
					if o, dup := owner[p]; dup {
						t.Fatalf("prefix %s is in sectors %d and %d", p, o, s)
					}
					owner[p] = s
				}
			}
			for range 20_000 {
				lat, lon := pointInDisc(r, c.dc.Lat, c.dc.Lon, articleRadius)
				code, err := postal.EncodeDIGIPIN(lat, lon)
				if err != nil {
					t.Fatal(err)
				}
				if _, ok := owner[code[:beatPrefixLen]]; !ok {
					t.Fatalf("(%v, %v), DIGIPIN %s, is in no beat", lat, lon, code)
				}
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	var got []string
	for _, n := range []int{1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111} {
		got = append(got, ordinal(n))
	}
	want := "1st 2nd 3rd 4th 11th 12th 13th 21st 22nd 23rd 101st 111th"
	if strings.Join(got, " ") != want {
		t.Errorf("ordinals = %s, want %s", strings.Join(got, " "), want)
	}
}
