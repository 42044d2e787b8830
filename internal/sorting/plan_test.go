package sorting

import (
	"math"
	"testing"

	"dakiya/internal/centre"
	"dakiya/internal/manifest"
)

func stops(ids ...[]string) []manifest.Stop {
	out := []manifest.Stop{}
	for i, group := range ids {
		st := manifest.Stop{Seq: i + 1}
		for _, id := range group {
			st.Articles = append(st.Articles, manifest.Item{ID: id})
		}
		out = append(out, st)
	}
	return out
}

func input() Input {
	dc := centre.DC{ID: "dc", Beats: []centre.Beat{{ID: "b2", Name: "Two"}, {ID: "b1", Name: "One"}, {ID: "b3", Name: "Three"}}}
	return Input{DC: dc, Date: "2026-11-25", Slot: "evening", Names: map[string]string{"p1": "Asha", "p2": "Ravi"},
		Drafts: []Draft{
			{Manifest: manifest.Manifest{ID: "m2", Version: 1, BeatID: "b2", PostmanID: "p2", Stops: stops([]string{"C"}, []string{"A", "B"})}, ETag: `"x"`},
			{Manifest: manifest.Manifest{ID: "m1", Version: 3, BeatID: "b1", PostmanID: "p1", Stops: stops([]string{"E"}, []string{"D"}, []string{"F", "G", "H"})}, ETag: `"y"`},
		},
		Loose: []Problem{{"Z", ReasonNoBeat, "no beat covers this address"}}}
}

func TestDeriveCasesFollowStops(t *testing.T) {
	p := Derive(input())
	want := map[string]Place{"C": {"C", "b2", 1}, "A": {"A", "b2", 2}, "B": {"B", "b2", 2}, "E": {"E", "b1", 1}, "D": {"D", "b1", 2},
		"F": {"F", "b1", 3}, "G": {"G", "b1", 3}, "H": {"H", "b1", 3}}
	if len(p.Places) != len(want) {
		t.Fatalf("places: %v", p.Places)
	}
	for id, w := range want {
		if got, pr := p.Lookup(id); pr != nil || got != w {
			t.Errorf("%s: %v %v, want %v", id, got, pr, w)
		}
	}
	if _, pr := p.Lookup("Z"); pr == nil || pr.Reason != ReasonNoBeat {
		t.Fatalf("Z: %v", pr)
	}
	if pl, pr := p.Lookup("Q"); pr != nil || pl.BeatID != "" {
		t.Fatal("an id the plan does not know has a place")
	}
	if len(p.Beats) != 2 || p.Beats[0].ID != "b1" || p.Beats[0].Cases != 3 || p.Beats[0].Expected != 5 || p.Beats[0].PostmanName != "Asha" ||
		p.Beats[1].Cases != 2 || p.Beats[1].Expected != 3 {
		t.Fatalf("beats: %+v", p.Beats)
	}
	// Colours follow the order of the centre's beat ids, all different.
	if p.Beats[0].Colour != palette[0] || p.Beats[1].Colour != palette[1] || p.Beats[0].Colour == ProblemColour {
		t.Fatalf("colours: %v %v", p.Beats[0].Colour, p.Beats[1].Colour)
	}
	p.Count(map[string]bool{"A": true, "B": true, "Q": true, "Z": true})
	if p.Beats[0].Sorted != 0 || p.Beats[1].Sorted != 2 {
		t.Fatalf("counts: %+v", p.Beats)
	}
}

func TestVersionFollowsTheDrafts(t *testing.T) {
	in := input()
	v := Derive(in).Version
	swapped := input()
	swapped.Drafts[0], swapped.Drafts[1] = swapped.Drafts[1], swapped.Drafts[0]
	if Derive(swapped).Version != v {
		t.Fatal("the version depends on the drafts' order")
	}
	rebuilt := input()
	rebuilt.Drafts[1].Manifest.Version, rebuilt.Drafts[1].ETag = 4, `"z"`
	if Derive(rebuilt).Version == v || len(v) != 16 {
		t.Fatalf("a rebuild kept the version %s", v)
	}
}

func TestPaletteReads(t *testing.T) {
	for _, c := range append(palette[:], ProblemColour) {
		if r := contrast(c.Background, c.Ink); r < 4.5 {
			t.Errorf("%v: contrast %.2f", c, r)
		}
	}
}

// contrast is the WCAG contrast ratio of two #RRGGBB colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	r, g, b := rgb(hex)
	lin := func(v int) float64 {
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

func pow(x, y float64) float64 { return math.Pow(x, y) }
