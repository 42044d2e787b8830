// Package beatplan proposes balanced beats for a delivery centre's slot:
// the slot's households assigned to the postmen on duty and ordered
// (capacitated routing with the slot's window, route.SolveVRP), each
// postman's home beat preferred by a soft cost, set against the fixed
// beats so the supervisor can compare and choose. Propose is pure; the
// Service stores proposals and the slot's choice, which manifest.Build
// then follows.
package beatplan

import (
	"time"

	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

// Settings tune a proposal: how fast a postman moves, how long a stop
// takes, what moving a household off its beat costs, and how long the
// solver may search.
type Settings struct {
	SpeedKMH       float64       `json:"speed_kmh"`       // walking about 5, cycling about 12
	StopSeconds    int64         `json:"stop_seconds"`    // at each stop
	ArticleSeconds int64         `json:"article_seconds"` // for each article after a stop's first
	AwayCostM      int64         `json:"away_cost_m"`     // metres-equivalent for each household moved off its beat, on top of twice the slot's longest distance
	BalanceM       int64         `json:"balance_m"`       // metres-equivalent for each minute between the longest and the shortest working time; 0 leaves the rounds unbalanced
	Budget         time.Duration `json:"-"`
	BudgetMS       int64         `json:"budget_ms"`
	MaxIterations  int           `json:"-"` // tests cap the search instead of timing it
	Seed           uint64        `json:"-"`
}

// DefaultSettings are a postman on a bicycle, two minutes a stop and half a
// minute for each further article, a move off the home beat worth 300 m
// beyond what any move can save in distance, a minute's difference in
// working time between the postmen worth 200 m, and a three-second search.
func DefaultSettings() Settings {
	return Settings{SpeedKMH: 10, StopSeconds: 120, ArticleSeconds: 30, AwayCostM: 300, BalanceM: 200, Budget: 3 * time.Second}
}

// Figures are one postman's work in a slot.
type Figures struct {
	Articles     int     `json:"articles"`
	Stops        int     `json:"stops"`
	Load         float64 `json:"load"`     // letter equivalents
	Capacity     float64 `json:"capacity"` // letter equivalents
	DistanceM    int64   `json:"distance_m"`
	TravelS      int64   `json:"travel_s"`
	ServiceS     int64   `json:"service_s"`
	TimeS        int64   `json:"time_s"` // travel + service
	OverCapacity bool    `json:"over_capacity"`
	OverTime     bool    `json:"over_time"` // longer than the slot's window
}

// Stop is one household on a balanced route.
type Stop struct {
	StopID     string   `json:"stop_id"`
	Lat        *float64 `json:"lat"`
	Lon        *float64 `json:"lon"`
	Address    string   `json:"address"`
	BeatID     string   `json:"beat_id"` // the beat the household belongs to
	ArticleIDs []string `json:"article_ids"`
}

// Route is one postman on duty: the manifest they would get (the beat they
// walk and its articles in stop order) with the fixed and the balanced
// figures side by side.
type Route struct {
	manifest.PlanRoute
	Name         string  `json:"name"`
	HomeBeatID   string  `json:"home_beat_id"`
	CoversBeatID string  `json:"covers_beat_id,omitempty"`
	Fixed        Figures `json:"fixed"`
	Balanced     Figures `json:"balanced"`
	Moved        int     `json:"moved"` // households taken on from another beat
	Stops        []Stop  `json:"stops"`
}

// Unplaced is a household the balanced plan cannot place, and why.
type Unplaced struct {
	Stop
	Reason string `json:"reason"`
}

// Idle is a postman on duty who cannot get a manifest.
type Idle struct {
	UserID string `json:"user_id"`
	Name   string `json:"name"`
	Reason string `json:"reason"`
}

// Totals sum the routes of one side.
type Totals struct {
	Articles   int   `json:"articles"`
	Unassigned int   `json:"unassigned"` // articles left without a postman
	DistanceM  int64 `json:"distance_m"`
	TimeS      int64 `json:"time_s"`
	MaxTimeS   int64 `json:"max_time_s"` // the longest round
	SpreadS    int64 `json:"spread_s"`   // the longest round's time less the shortest's
	Over       int   `json:"over"`       // routes over capacity or time
}

// Proposal is a balanced plan for one slot beside the fixed beats.
type Proposal struct {
	ID        string          `json:"id"`
	DCID      string          `json:"dc_id"`
	Date      string          `json:"date"`
	Slot      postal.Slot     `json:"slot"`
	Chosen    bool            `json:"chosen"`
	CreatedAt time.Time       `json:"created_at"`
	CreatedBy string          `json:"created_by"`
	Window    manifest.Window `json:"window"`
	Settings  Settings        `json:"settings"`
	Routes    []Route         `json:"routes"`
	Unplaced  []Unplaced      `json:"unplaced"`
	// FixedUnassigned is what the fixed beats leave without a postman
	// (their postman away, nobody covering).
	FixedUnassigned []manifest.Unassigned `json:"fixed_unassigned"`
	Idle            []Idle                `json:"idle"`
	Fixed           Totals                `json:"fixed"`
	Balanced        Totals                `json:"balanced"`
	Iterations      int                   `json:"iterations"`
}
