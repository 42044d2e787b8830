package beatplan

import (
	"context"
	"fmt"
	"testing"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
)

// town is a centre with three beats east, north and west of it, a postman
// each, and households in small clusters in each beat.
func town(perBeat, articles int) Input {
	dc := centre.DC{ID: "dc", Lat: 12.9352, Lon: 77.6245, Beats: []centre.Beat{
		{ID: "beat-e", PostmanID: "pe"}, {ID: "beat-n", PostmanID: "pn"}, {ID: "beat-w", PostmanID: "pw"}}}
	offset := map[string][2]float64{"beat-e": {0, 0.012}, "beat-n": {0.012, 0}, "beat-w": {0, -0.012}}
	start := time.Date(2026, 12, 2, 7, 0, 0, 0, time.UTC)
	in := Input{DC: dc, Date: "2026-12-02", Slot: postal.SlotMorning, Capacity: 5400,
		Window: manifest.Window{Start: start, End: start.Add(4 * time.Hour)},
		Tour:   func(_ context.Context, _ string, st []manifest.Stop) []manifest.Stop { return st }}
	for _, b := range dc.Beats {
		in.Roster.Postmen = append(in.Roster.Postmen, roster.Duty{UserID: b.PostmanID, Name: b.PostmanID, Status: roster.OnDuty, HomeBeatID: b.ID})
		for i := range perBeat {
			lat := dc.Lat + offset[b.ID][0] + float64(i%5)*0.0008
			lon := dc.Lon + offset[b.ID][1] + float64(i/5)*0.0008
			st := manifest.Stop{StopID: fmt.Sprintf("%s-%d", b.ID, i), Lat: &lat, Lon: &lon, Address: fmt.Sprintf("%d %s", i, b.ID)}
			for k := range articles {
				st.Articles = append(st.Articles, manifest.Item{ID: fmt.Sprintf("%s-%d-%d", b.ID, i, k), Service: postal.ServiceLetter})
			}
			in.Households = append(in.Households, Household{Stop: st, BeatID: b.ID})
		}
	}
	return in
}

func settings() Settings {
	s := DefaultSettings()
	s.Budget, s.MaxIterations, s.Seed = 0, 300, 7
	return s
}

// check verifies what every proposal must hold: each household whole on
// one route or unplaced, every article once, no route over capacity.
func checkProposal(t *testing.T, in Input, p Proposal) {
	t.Helper()
	seen := map[string]int{}
	for _, r := range p.Routes {
		n := 0
		for _, st := range r.Stops {
			for _, id := range st.ArticleIDs {
				seen[id]++
				if r.ArticleIDs[n] != id {
					t.Fatalf("%s: article order %v does not follow the stops", r.PostmanID, r.ArticleIDs)
				}
				n++
			}
		}
		if r.Balanced.Load > r.Balanced.Capacity || r.Balanced.OverCapacity || r.Balanced.OverTime {
			t.Errorf("%s over: %+v", r.PostmanID, r.Balanced)
		}
	}
	for _, u := range p.Unplaced {
		for _, id := range u.ArticleIDs {
			seen[id]++
		}
	}
	for _, h := range in.Households {
		for _, it := range h.Stop.Articles {
			if seen[it.ID] != 1 {
				t.Fatalf("article %s placed %d times", it.ID, seen[it.ID])
			}
		}
	}
}

func TestHomeBeatsKeptWhenTheLoadAllows(t *testing.T) {
	in := town(10, 2)
	p := Propose(context.Background(), in, settings())
	checkProposal(t, in, p)
	if len(p.Routes) != 3 || len(p.Unplaced) != 0 || len(p.FixedUnassigned) != 0 {
		t.Fatalf("proposal: %d routes, %+v unplaced, %+v fixed unassigned", len(p.Routes), p.Unplaced, p.FixedUnassigned)
	}
	if p.Balanced.DistanceM > p.Fixed.DistanceM {
		t.Errorf("balanced %d m, more than the fixed beats' %d m with nobody away", p.Balanced.DistanceM, p.Fixed.DistanceM)
	}
	for _, r := range p.Routes {
		if r.Moved != 0 || r.Balanced.Articles != 20 || r.Fixed.Articles != 20 || r.BeatID != r.HomeBeatID {
			t.Errorf("%s: moved %d, %d articles (fixed %d), beat %s", r.PostmanID, r.Moved, r.Balanced.Articles, r.Fixed.Articles, r.BeatID)
		}
		if r.Balanced.DistanceM > r.Fixed.DistanceM*11/10 || r.Balanced.TimeS != r.Balanced.TravelS+r.Balanced.ServiceS {
			t.Errorf("%s: balanced %+v against fixed %+v", r.PostmanID, r.Balanced, r.Fixed)
		}
	}
}

func TestOnLeaveBeatSharedOut(t *testing.T) {
	in := town(10, 2)
	in.Roster.Postmen[0].Status = roster.Leave // pe, beat-e
	p := Propose(context.Background(), in, settings())
	checkProposal(t, in, p)
	if len(p.Routes) != 2 || len(p.Unplaced) != 0 {
		t.Fatalf("proposal: %d routes, unplaced %+v", len(p.Routes), p.Unplaced)
	}
	if p.Fixed.Unassigned != 20 || p.Balanced.Unassigned != 0 || p.Balanced.Articles != 60 {
		t.Fatalf("fixed leaves %d, balanced %d of %d", p.Fixed.Unassigned, p.Balanced.Unassigned, p.Balanced.Articles)
	}
	if p.FixedUnassigned[0].Reason != "postman pe is on leave on 2026-12-02" {
		t.Errorf("reason: %q", p.FixedUnassigned[0].Reason)
	}
	moved := 0
	for _, r := range p.Routes {
		moved += r.Moved
	}
	if moved != 10 {
		t.Errorf("%d households moved, want beat-e's 10", moved)
	}
}

func TestCapacityAndWindowRespected(t *testing.T) {
	in := town(12, 3) // 36 letters a beat
	in.Capacity = 3000
	in.Roster.Postmen[2].Status = roster.WeeklyOff
	p := Propose(context.Background(), in, settings())
	checkProposal(t, in, p)
	if len(p.Unplaced) == 0 {
		t.Fatal("108 letters fit two postmen of 30")
	}
	for _, u := range p.Unplaced {
		if u.Reason != "no postman on duty has room left for it (capacity or time)" {
			t.Errorf("reason: %q", u.Reason)
		}
	}
	// A household heavier than a postman can carry.
	in = town(1, 2)
	in.Capacity = 150
	p = Propose(context.Background(), in, settings())
	if len(p.Unplaced) != 3 || p.Unplaced[0].Reason != "heavier (2.00 letters) than one postman's capacity (1.50)" {
		t.Fatalf("unplaced: %+v", p.Unplaced)
	}
	if !p.Routes[0].Fixed.OverCapacity {
		t.Errorf("the fixed beat is over capacity: %+v", p.Routes[0].Fixed)
	}
}

func TestIdleAndRelief(t *testing.T) {
	in := town(4, 1)
	in.Roster.Postmen[1].Status = roster.Leave // pn, beat-n
	in.Roster.Postmen = append(in.Roster.Postmen,
		roster.Duty{UserID: "relief", Name: "Relief", Status: roster.OnDuty, CoversBeatID: "beat-n"},
		roster.Duty{UserID: "spare", Name: "Spare", Status: roster.OnDuty})
	p := Propose(context.Background(), in, settings())
	checkProposal(t, in, p)
	if len(p.Idle) != 1 || p.Idle[0].UserID != "spare" || len(p.Routes) != 3 || len(p.FixedUnassigned) != 0 {
		t.Fatalf("idle %+v, %d routes, fixed unassigned %+v", p.Idle, len(p.Routes), p.FixedUnassigned)
	}
	for _, r := range p.Routes {
		if r.PostmanID == "relief" && (r.BeatID != "beat-n" || r.Fixed.Articles != 4) {
			t.Errorf("the reliever walks beat-n: %+v", r)
		}
	}
}

// TestOverloadedBeatShared: a festival week's heavy beat (60 letters for a
// postman who carries 54) sheds households to its light neighbours while
// the fixed beats leave its postman over capacity.
func TestOverloadedBeatShared(t *testing.T) {
	in := town(5, 2)
	heavy := town(30, 2)
	in.Households = in.Households[5:] // beat-n and beat-w keep 5 households each
	for _, h := range heavy.Households {
		if h.BeatID == "beat-e" {
			in.Households = append(in.Households, h)
		}
	}
	p := Propose(context.Background(), in, settings())
	checkProposal(t, in, p)
	if len(p.Unplaced) != 0 || p.Fixed.Over != 1 || p.Balanced.Over != 0 {
		t.Fatalf("unplaced %d, over: fixed %d balanced %d", len(p.Unplaced), p.Fixed.Over, p.Balanced.Over)
	}
	moved := 0
	for _, r := range p.Routes {
		moved += r.Moved
		if r.PostmanID == "pe" && (!r.Fixed.OverCapacity || r.Moved != 0 || r.Balanced.Load > 54) {
			t.Errorf("pe: %+v moved %d", r, r.Moved)
		}
	}
	if moved < 3 || moved > 10 {
		t.Errorf("%d households moved; 3 (6 letters) is the least that fits", moved)
	}
}

// onLeaveTwo is the town with beat-e's postman on leave (14 households),
// beat-n's 8 households near the centre and beat-w's one household; it
// returns the households each beat keeps.
func onLeaveTwo() (Input, map[string]int) {
	in := town(14, 1)
	var hs []Household
	kept := map[string]int{}
	for _, h := range in.Households {
		if h.BeatID == "beat-e" || h.BeatID == "beat-n" && kept["beat-n"] < 8 || h.BeatID == "beat-w" && kept["beat-w"] < 1 {
			hs = append(hs, h)
			kept[h.BeatID]++
		}
	}
	in.Households = hs
	in.Roster.Postmen[0].Status = roster.Leave // pe, beat-e: 14 households
	return in, kept
}

// absorbed checks that the two postmen on duty take all of the absent
// postman's households within capacity and the window and each keeps
// every household of their own beat; it returns the households each took.
func absorbed(t *testing.T, in Input, kept map[string]int, p Proposal) map[string]int {
	t.Helper()
	checkProposal(t, in, p)
	if len(p.Routes) != 2 || len(p.Unplaced) != 0 || p.Balanced.Articles != 23 || p.Fixed.Unassigned != 14 {
		t.Fatalf("proposal: %d routes, unplaced %+v, balanced %d articles, fixed leaves %d", len(p.Routes), p.Unplaced, p.Balanced.Articles, p.Fixed.Unassigned)
	}
	moved, took := 0, map[string]int{}
	for _, r := range p.Routes {
		own := 0
		for _, st := range r.Stops {
			if st.BeatID == r.HomeBeatID {
				own++
			}
		}
		if own != kept[r.HomeBeatID] || r.Balanced.OverTime || r.Balanced.Load > r.Balanced.Capacity {
			t.Errorf("%s keeps %d of the %d households of %s: %+v", r.PostmanID, own, kept[r.HomeBeatID], r.HomeBeatID, r.Balanced)
		}
		moved += r.Moved
		took[r.PostmanID] = r.Moved
	}
	if moved != 14 {
		t.Errorf("%d households moved, want beat-e's 14", moved)
	}
	return took
}

// TestOnLeaveTwoAbsorbKeepingTheirOwn: with one postman on leave, the two
// others take all of the absent postman's households and each keeps every
// household of their own beat, even a postman with one household far from
// the other's round (the 4 km round trip saved by moving it is no reason
// to leave that postman idle). On distance alone (no balance weight) the
// absent beat goes to the nearer round, beat-n's; balanced, it is split so
// that the postmen's working times come closer.
func TestOnLeaveTwoAbsorbKeepingTheirOwn(t *testing.T) {
	in, kept := onLeaveTwo()
	set := settings()
	set.BalanceM = 0
	plain := Propose(context.Background(), in, set)
	if took := absorbed(t, in, kept, plain); took["pw"] != 0 {
		t.Errorf("on distance alone pw takes %d of beat-e's households, nearer beat-n's round than beat-w's", took["pw"])
	}
	p := Propose(context.Background(), in, settings())
	took := absorbed(t, in, kept, p)
	if took["pw"] == 0 || took["pn"] == 0 {
		t.Errorf("balanced, beat-e's households are not split: %v", took)
	}
	if p.Balanced.SpreadS >= plain.Balanced.SpreadS || p.Balanced.SpreadS > p.Balanced.MaxTimeS/2 {
		t.Errorf("spread of working time %d s balanced, %d s on distance alone (longest %d s)", p.Balanced.SpreadS, plain.Balanced.SpreadS, p.Balanced.MaxTimeS)
	}
	if p.Balanced.DistanceM < plain.Balanced.DistanceM {
		t.Errorf("balancing shortened the rounds (%d m against %d m): the distance-only answer was not the shortest", p.Balanced.DistanceM, plain.Balanced.DistanceM)
	}
	if plain.Settings.BalanceM != 0 || p.Settings.BalanceM != 200 || p.Fixed.SpreadS != p.Fixed.MaxTimeS-min(p.Routes[0].Fixed.TimeS, p.Routes[1].Fixed.TimeS) {
		t.Errorf("settings %+v / %+v, fixed totals %+v", plain.Settings, p.Settings, p.Fixed)
	}
}

// TestBalancedCaseUnchanged: when every postman has their own beat of the
// same size, balancing moves nothing: the proposal is the distance-only one.
func TestBalancedCaseUnchanged(t *testing.T) {
	in := town(10, 2)
	set := settings()
	set.BalanceM = 0
	plain := Propose(context.Background(), in, set)
	p := Propose(context.Background(), in, settings())
	for i, r := range p.Routes {
		if fmt.Sprint(r.ArticleIDs) != fmt.Sprint(plain.Routes[i].ArticleIDs) || r.Moved != 0 {
			t.Errorf("%s: %v balanced, %v on distance alone", r.PostmanID, r.ArticleIDs, plain.Routes[i].ArticleIDs)
		}
	}
}

// TestBalancingKeepsRoutesFeasible: a heavy balance weight on tight rounds
// (capacity and a short window binding) never pushes a route over either,
// never splits a household and never leaves more unplaced.
func TestBalancingKeepsRoutesFeasible(t *testing.T) {
	for _, window := range []time.Duration{4 * time.Hour, 100 * time.Minute} {
		in := town(12, 3)
		in.Capacity = 4000
		in.Window.End = in.Window.Start.Add(window)
		in.Roster.Postmen[1].Status = roster.Leave
		set := settings()
		set.BalanceM = 0
		plain := Propose(context.Background(), in, set)
		set.BalanceM = 10_000
		p := Propose(context.Background(), in, set)
		checkProposal(t, in, p)
		if len(p.Unplaced) > len(plain.Unplaced) || p.Balanced.SpreadS > plain.Balanced.SpreadS {
			t.Errorf("%v: unplaced %d (plain %d), spread %d s (plain %d s)", window, len(p.Unplaced), len(plain.Unplaced), p.Balanced.SpreadS, plain.Balanced.SpreadS)
		}
	}
}
