package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"dakiya/internal/beatplan"
	"dakiya/internal/manifest"
	"dakiya/internal/postal"
)

// SaveBeatPlan stores a proposal with the beat each of its articles goes
// to.
func (db *DB) SaveBeatPlan(ctx context.Context, p beatplan.Record) error {
	return db.inTx(ctx, "save beat plan", func(x runner) error {
		if _, err := x.exec(ctx, `INSERT INTO beat_plans (id, dc_id, date, slot, body, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, p.ID, p.DCID, p.Date, string(p.Slot), string(p.Body), p.CreatedBy, ms(p.CreatedAt)); err != nil {
			return classify("save beat plan", err)
		}
		var rows [][]any
		for _, r := range p.Routes {
			for _, a := range r.ArticleIDs {
				rows = append(rows, []any{p.ID, a, r.BeatID})
			}
		}
		return insertRows(ctx, x, "save beat plan articles", "INSERT INTO beat_plan_articles (plan_id, article_id, beat_id)", 3, rows, "")
	})
}

// BeatPlan returns a stored proposal.
func (db *DB) BeatPlan(ctx context.Context, id string) (beatplan.Record, error) {
	var p beatplan.Record
	var sl, body string
	var at int64
	var chosen sql.NullString
	err := db.run().queryRow(ctx, `SELECT p.id, p.dc_id, p.date, p.slot, p.body, p.created_by, p.created_at, c.plan_id
		FROM beat_plans p LEFT JOIN beat_plan_choices c ON c.dc_id = p.dc_id AND c.date = p.date AND c.slot = p.slot
		WHERE p.id = ?`, id).Scan(&p.ID, &p.DCID, &p.Date, &sl, &body, &p.CreatedBy, &at, &chosen)
	if errors.Is(err, sql.ErrNoRows) {
		return beatplan.Record{}, notFound("beat plan")
	}
	if err != nil {
		return beatplan.Record{}, classify("beat plan", err)
	}
	p.Slot, p.Body, p.CreatedAt, p.Chosen = postal.Slot(sl), []byte(body), fromMS(at), chosen.String == p.ID
	return p, nil
}

// ChooseBeatPlan makes a slot follow a plan, replacing its earlier choice.
func (db *DB) ChooseBeatPlan(ctx context.Context, p beatplan.Record, by string, at time.Time) error {
	_, err := db.run().exec(ctx, `INSERT INTO beat_plan_choices (dc_id, date, slot, plan_id, chosen_by, chosen_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dc_id, date, slot) DO UPDATE SET plan_id = excluded.plan_id,
		chosen_by = excluded.chosen_by, chosen_at = excluded.chosen_at`,
		p.DCID, p.Date, string(p.Slot), p.ID, by, ms(at))
	return classify("choose beat plan", err)
}

// ClearBeatPlan takes a slot back to the fixed beats; false when it
// followed no plan.
func (db *DB) ClearBeatPlan(ctx context.Context, dcID, date string, sl postal.Slot) (bool, error) {
	res, err := db.run().exec(ctx, "DELETE FROM beat_plan_choices WHERE dc_id = ? AND date = ? AND slot = ?", dcID, date, string(sl))
	if err != nil {
		return false, classify("clear beat plan", err)
	}
	n, err := res.RowsAffected()
	return n > 0, classify("clear beat plan", err)
}

// ChosenPlan is the plan a slot's build follows, decoded from the chosen
// proposal's body; the zero Plan when the slot keeps the fixed beats.
func (db *DB) ChosenPlan(ctx context.Context, dcID, date string, sl postal.Slot) (manifest.Plan, error) {
	var body string
	err := db.run().queryRow(ctx, `SELECT p.body FROM beat_plan_choices c JOIN beat_plans p ON p.id = c.plan_id
		WHERE c.dc_id = ? AND c.date = ? AND c.slot = ?`, dcID, date, string(sl)).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return manifest.Plan{}, nil
	}
	if err != nil {
		return manifest.Plan{}, classify("chosen plan", err)
	}
	var p manifest.Plan
	if err := json.Unmarshal([]byte(body), &p); err != nil {
		return manifest.Plan{}, classify("chosen plan: decode", err)
	}
	return p, nil
}

// DeleteDraft removes a draft still at version, with its article rows; a
// manifest dispatched or rebuilt meanwhile is a conflict.
func (db *DB) DeleteDraft(ctx context.Context, id string, version int) error {
	return db.inTx(ctx, "delete draft", func(x runner) error {
		if _, err := x.exec(ctx, "DELETE FROM manifest_articles WHERE manifest_id = ? AND EXISTS (SELECT 1 FROM manifests WHERE id = ? AND status = ? AND version = ?)",
			id, id, manifest.StatusDraft, version); err != nil {
			return classify("delete draft articles", err)
		}
		res, err := x.exec(ctx, "DELETE FROM manifests WHERE id = ? AND status = ? AND version = ?", id, manifest.StatusDraft, version)
		if err != nil {
			return classify("delete draft", err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return postal.Errorf(postal.CodeConflict, "the manifest changed meanwhile; build again")
		}
		return nil
	})
}
