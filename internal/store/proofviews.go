package store

import (
	"context"

	"dakiya/internal/postal"
	"dakiya/internal/privacy"
	"dakiya/internal/proof"
)

// RecordProofView records one view of a proof, and the same line in the
// audit log, in one transaction.
func (db *DB) RecordProofView(ctx context.Context, v proof.Viewing) error {
	return db.inTx(ctx, "record proof view", func(r runner) error {
		_, err := r.exec(ctx, `INSERT INTO proof_views (id, proof_id, viewer_id, viewer_role, what, at)
		VALUES (?, ?, ?, ?, ?, ?)`, v.ID, v.ProofID, v.ViewerID, string(v.Role), string(v.What), ms(v.At))
		if err != nil {
			return classify("record proof view", err)
		}
		route := "GET /api/v1/proofs/{id}"
		if v.What == proof.SeenContent {
			route += "/content"
		}
		return recordAudit(ctx, r, privacy.Entry{ID: v.ID, At: v.At, ActorID: v.ViewerID, ActorRole: v.Role,
			Action: "proof." + string(v.What), SubjectType: "proof", Subject: v.ProofID, Route: route})
	})
}

// ProofViews returns a proof's views, oldest first, with the viewers'
// names.
func (db *DB) ProofViews(ctx context.Context, proofID string) ([]proof.Viewing, error) {
	return db.ProofViewsPage(ctx, proofID, nil, -1)
}

// ProofViewsPage returns up to limit of a proof's views (every one when
// limit < 0), oldest first, after the time (ms) and id in after.
func (db *DB) ProofViewsPage(ctx context.Context, proofID string, after []any, limit int) ([]proof.Viewing, error) {
	cond, args := keyset(after, "v.at", "v.id")
	rows, err := db.run().query(ctx, `SELECT v.id, v.proof_id, v.viewer_id, u.name, v.viewer_role, v.what, v.at
		FROM proof_views v JOIN users u ON u.id = v.viewer_id WHERE v.proof_id = ? AND `+cond+` ORDER BY v.at, v.id LIMIT ?`,
		append(append([]any{proofID}, args...), rowLimit(limit))...)
	if err != nil {
		return nil, classify("proof views", err)
	}
	defer rows.Close()
	out := []proof.Viewing{}
	for rows.Next() {
		var v proof.Viewing
		var role, what string
		var at int64
		if err := rows.Scan(&v.ID, &v.ProofID, &v.ViewerID, &v.ViewerName, &role, &what, &at); err != nil {
			return nil, classify("proof views", err)
		}
		v.Role, v.What, v.At = postal.Role(role), proof.Seen(what), fromMS(at)
		out = append(out, v)
	}
	return out, classify("proof views", rows.Err())
}
