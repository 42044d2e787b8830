// Package sorting owns scan-to-sort: the sort plan of a centre's slot,
// derived from the slot's draft manifests (each article's beat, postman
// and case, one case per stop in route order, so a postman's bag comes out
// in delivery order), the problem case with its reasons, the sorters'
// scans and the per-beat counts.
package sorting

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sort"

	"dakiya/internal/centre"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

// Colour is a beat's colour on the sorting screen: the background and the
// ink that reads on it (contrast at least 4.5:1), and its place in the
// palette (the sorting style sheet has a class for each, sort-c0 …, since
// the pages' policy allows no inline style). The beat's name is always
// shown too: colour is never the only signal.
type Colour struct {
	Index      int    `json:"index"`
	Background string `json:"background"`
	Ink        string `json:"ink"`
}

// palette is the beats' colours, strong and far apart; a centre's beats
// take them in the order of their ids.
var palette = [...]Colour{
	{0, "#B3261E", "#FFFFFF"}, {1, "#1565C0", "#FFFFFF"}, {2, "#2E7D32", "#FFFFFF"}, {3, "#F9A825", "#000000"},
	{4, "#6A1B9A", "#FFFFFF"}, {5, "#00838F", "#FFFFFF"}, {6, "#EF6C00", "#000000"}, {7, "#AD1457", "#FFFFFF"},
	{8, "#4E342E", "#FFFFFF"}, {9, "#C0CA33", "#000000"}, {10, "#283593", "#FFFFFF"}, {11, "#37474F", "#FFFFFF"},
}

// ProblemColour is the problem case's colour, unlike any beat's (class
// sort-c12).
var ProblemColour = Colour{Index: len(palette), Background: "#212121", Ink: "#FFEB3B"}

// Palette returns the beats' colours and then the problem case's, in
// index order.
func Palette() []Colour { return append(palette[:len(palette):len(palette)], ProblemColour) }

// Beat is one beat of the plan: whose bag it fills and how far the sorting
// has got.
type Beat struct {
	ID          string `json:"id"`
	Name        string `json:"name"`
	Colour      Colour `json:"colour"`
	PostmanID   string `json:"postman_id"`
	PostmanName string `json:"postman_name"`
	ManifestID  string `json:"manifest_id"`
	Cases       int    `json:"cases"`
	Expected    int    `json:"expected"` // articles to sort into the beat
	Sorted      int    `json:"sorted"`   // of them, scanned at least once
}

// Place is where one article goes: its beat's case.
type Place struct {
	ArticleID string `json:"article_id"`
	BeatID    string `json:"beat_id"`
	Case      int    `json:"case"`
}

// Problem reasons, as codes the app words in its language.
const (
	ReasonUnknown     = "unknown"      // no such article (or not an S10 id)
	ReasonOtherCentre = "other_centre" // another centre's article
	ReasonOtherSlot   = "other_slot"   // scheduled for another date or slot
	ReasonUnscheduled = "unscheduled"  // at the centre, not scheduled yet
	ReasonNoBeat      = "no_beat"      // no beat covers the address
	ReasonNoPostman   = "no_postman"   // the beat has no postman
	ReasonNoDraft     = "no_draft"     // not on the slot's drafts: build them again
	ReasonDispatched  = "dispatched"   // already out with a postman (or done)
	ReasonNotAtCentre = "not_at_centre"
)

// Problem is an article that goes to the problem case, and why.
type Problem struct {
	ArticleID string `json:"article_id"`
	Reason    string `json:"reason"`
	Detail    string `json:"detail"`
}

// Plan is a slot's sort plan.
type Plan struct {
	DCID     string      `json:"dc_id"`
	Date     string      `json:"date"`
	Slot     postal.Slot `json:"slot"`
	Version  string      `json:"version"`
	Problem  Colour      `json:"problem_colour"`
	Beats    []Beat      `json:"beats"`
	Places   []Place     `json:"places"`
	Problems []Problem   `json:"problems"`
}

// Draft is one draft manifest as the plan reads it, with the ETag of the
// stored version.
type Draft struct {
	Manifest manifest.Manifest
	ETag     string
}

// Input is what a plan is derived from.
type Input struct {
	DC     centre.DC
	Date   string
	Slot   postal.Slot
	Drafts []Draft
	// Names are the staff names by user id.
	Names map[string]string
	// Loose are the slot's scheduled articles on no draft, with why.
	Loose []Problem
}

// Derive makes the plan: each draft's stops, in their order, become its
// beat's cases 1, 2, …; every article of a stop shares its case.
func Derive(in Input) Plan {
	p := Plan{DCID: in.DC.ID, Date: in.Date, Slot: in.Slot, Version: Version(in.Drafts), Problem: ProblemColour,
		Beats: []Beat{}, Places: []Place{}, Problems: append([]Problem{}, in.Loose...)}
	colours := beatColours(in.DC)
	drafts := append([]Draft(nil), in.Drafts...)
	sort.Slice(drafts, func(i, j int) bool { return drafts[i].Manifest.BeatID < drafts[j].Manifest.BeatID })
	for _, d := range drafts {
		m := d.Manifest
		b := Beat{ID: m.BeatID, Name: beatName(in.DC, m.BeatID), Colour: colours[m.BeatID], PostmanID: m.PostmanID,
			PostmanName: in.Names[m.PostmanID], ManifestID: m.ID, Cases: len(m.Stops)}
		for i, st := range m.Stops {
			for _, it := range st.Articles {
				p.Places = append(p.Places, Place{ArticleID: it.ID, BeatID: m.BeatID, Case: i + 1})
				b.Expected++
			}
		}
		p.Beats = append(p.Beats, b)
	}
	sort.Slice(p.Places, func(i, j int) bool { return p.Places[i].ArticleID < p.Places[j].ArticleID })
	sort.Slice(p.Problems, func(i, j int) bool { return p.Problems[i].ArticleID < p.Problems[j].ArticleID })
	return p
}

// Version names the drafts a plan was derived from: it changes whenever a
// draft is built again, so a sorter holding an older plan is told.
func Version(drafts []Draft) string {
	keys := make([]string, 0, len(drafts))
	for _, d := range drafts {
		keys = append(keys, fmt.Sprintf("%s:%d:%s", d.Manifest.ID, d.Manifest.Version, d.ETag))
	}
	sort.Strings(keys)
	h := sha256.New()
	for _, k := range keys {
		h.Write([]byte(k + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// beatColours gives each of a centre's beats its colour, by the order of
// the beats' ids, so a beat keeps its colour from one day to the next.
func beatColours(dc centre.DC) map[string]Colour {
	ids := make([]string, 0, len(dc.Beats))
	for _, b := range dc.Beats {
		ids = append(ids, b.ID)
	}
	sort.Strings(ids)
	out := make(map[string]Colour, len(ids))
	for i, id := range ids {
		out[id] = palette[i%len(palette)]
	}
	return out
}

func beatName(dc centre.DC, id string) string {
	for _, b := range dc.Beats {
		if b.ID == id {
			return b.Name
		}
	}
	return id
}

// Lookup finds an article in the plan: its place, or its known problem.
func (p Plan) Lookup(id string) (Place, *Problem) {
	i := sort.Search(len(p.Places), func(i int) bool { return p.Places[i].ArticleID >= id })
	if i < len(p.Places) && p.Places[i].ArticleID == id {
		return p.Places[i], nil
	}
	for _, pr := range p.Problems {
		if pr.ArticleID == id {
			return Place{}, &pr
		}
	}
	return Place{}, nil
}

// Count sets each beat's Sorted from the articles scanned so far.
func (p *Plan) Count(scanned map[string]bool) {
	idx := map[string]int{}
	for i := range p.Beats {
		p.Beats[i].Sorted = 0
		idx[p.Beats[i].ID] = i
	}
	for _, pl := range p.Places {
		if scanned[pl.ArticleID] {
			p.Beats[idx[pl.BeatID]].Sorted++
		}
	}
}
