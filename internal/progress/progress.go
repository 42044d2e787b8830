// Package progress owns a slot's live progress as a supervisor watches
// it: per beat, how many stops are delivered, failed and still pending,
// when its postman last synced, where they last were, and which pending
// stops are overdue for the slot.
package progress

import (
	"context"
	"time"

	"dakiya/internal/centre"
	"dakiya/internal/postal"
)

// Store reads what progress is made of.
type Store interface {
	DC(ctx context.Context, id string) (centre.DC, error)
	// Progress returns the centre's manifests for a date and slot, ordered
	// by beat, each with its stops, their outcomes, and its postman's last
	// sync and position.
	Progress(ctx context.Context, dc, date string, slot postal.Slot) ([]Manifest, error)
}

// Manifest is one beat's manifest as the store reads it.
type Manifest struct {
	ID          string
	BeatID      string
	Status      string
	Version     int
	PostmanID   string
	PostmanName string
	WindowEnd   time.Time // the slot's end; zero when unknown
	Stops       []Stop
	LastSync    *time.Time // the postman's latest outcome or proof
	Position    *Position  // from the postman's latest outcome with a location
}

// Stop is one article of a manifest and its outcome, "" while pending.
type Stop struct {
	ArticleID string
	Seq       int
	Outcome   string
}

// Position is where a postman was.
type Position struct {
	Lat, Lon  float64
	AccuracyM *float64
	At        time.Time
}

// Board is a slot's progress as the API shows it. It holds nothing that
// changes by itself but the overdue stops, so two boards that marshal the
// same mean nothing happened between them.
type Board struct {
	DCID  string `json:"dc_id"`
	Date  string `json:"date"`
	Slot  string `json:"slot"`
	Beats []Beat `json:"beats"`
}

// Beat is one manifest's progress.
type Beat struct {
	ManifestID   string        `json:"manifest_id"`
	BeatID       string        `json:"beat_id"`
	Status       string        `json:"status"`
	Version      int           `json:"version"`
	Postman      Postman       `json:"postman"`
	Delivered    int           `json:"delivered"`
	Failed       int           `json:"failed"`
	Pending      int           `json:"pending"`
	WindowEnd    *string       `json:"window_end"`
	LastSync     *string       `json:"last_sync"`
	LastPosition *PositionView `json:"last_position"`
	Overdue      []OverdueStop `json:"overdue"`
}

// Postman is who carries a beat.
type Postman struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// PositionView is a Position as the API shows it.
type PositionView struct {
	Lat       float64  `json:"lat"`
	Lon       float64  `json:"lon"`
	AccuracyM *float64 `json:"accuracy_m"`
	At        string   `json:"at"`
}

// OverdueStop is a pending stop whose slot has ended.
type OverdueStop struct {
	ArticleID string `json:"article_id"`
	Seq       int    `json:"stop_seq"`
}
