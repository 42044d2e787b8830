package store

import (
	"context"

	"dakiya/internal/postal"
	"dakiya/internal/proof"
)

// RecordProofView records one view of a proof.
func (db *DB) RecordProofView(ctx context.Context, v proof.Viewing) error {
	_, err := db.run().exec(ctx, `INSERT INTO proof_views (id, proof_id, viewer_id, viewer_role, what, at)
		VALUES (?, ?, ?, ?, ?, ?)`, v.ID, v.ProofID, v.ViewerID, string(v.Role), string(v.What), ms(v.At))
	return classify("record proof view", err)
}

// ProofViews returns a proof's views, oldest first, with the viewers'
// names.
func (db *DB) ProofViews(ctx context.Context, proofID string) ([]proof.Viewing, error) {
	rows, err := db.run().query(ctx, `SELECT v.id, v.proof_id, v.viewer_id, u.name, v.viewer_role, v.what, v.at
		FROM proof_views v JOIN users u ON u.id = v.viewer_id WHERE v.proof_id = ? ORDER BY v.at, v.id`, proofID)
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
