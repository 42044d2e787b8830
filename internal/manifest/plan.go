package manifest

import (
	"context"

	"dakiya/internal/article"
	"dakiya/internal/postal"
	"dakiya/internal/roster"
)

// Plan is a chosen balanced-beat plan as Build follows it: each postman's
// manifest (keyed by the beat they walk) with its articles in stop order.
// The zero Plan is the fixed beats.
type Plan struct {
	ID     string      `json:"id"`
	Routes []PlanRoute `json:"routes"`
}

// PlanRoute is one postman's share of a plan.
type PlanRoute struct {
	PostmanID  string   `json:"postman_id"`
	BeatID     string   `json:"beat_id"` // the manifest's beat: the postman's home beat, or the one they cover
	ArticleIDs []string `json:"article_ids"`
}

// PlanStore is what Build needs to follow the roster and a chosen plan.
type PlanStore interface {
	// RosterDay is a centre's roster on a date.
	RosterDay(ctx context.Context, dcID, date string) (roster.Day, error)
	// ChosenPlan is the plan a slot follows; the zero Plan when none.
	ChosenPlan(ctx context.Context, dcID, date string, sl postal.Slot) (Plan, error)
	// DeleteDraft removes a draft still at version, with its articles'
	// places on it.
	DeleteDraft(ctx context.Context, id string, version int) error
}

// assign splits articles by the beat whose manifest carries them: the
// plan's articles by its routes, in its order, then the rest by their own
// beat. planned names the beats whose order the plan gives.
func (p Plan) assign(arts []article.Article) (map[string][]article.Article, map[string]bool) {
	byID := make(map[string]article.Article, len(arts))
	for _, a := range arts {
		byID[a.ID] = a
	}
	byBeat, planned, taken := map[string][]article.Article{}, map[string]bool{}, map[string]bool{}
	for _, r := range p.Routes {
		for _, id := range r.ArticleIDs {
			if a, ok := byID[id]; ok && !taken[id] {
				byBeat[r.BeatID] = append(byBeat[r.BeatID], a)
				taken[id], planned[r.BeatID] = true, true
			}
		}
	}
	for _, a := range arts {
		if !taken[a.ID] {
			byBeat[a.BeatID] = append(byBeat[a.BeatID], a)
		}
	}
	return byBeat, planned
}
