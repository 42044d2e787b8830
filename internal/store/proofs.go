package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"dakiya/internal/article"
	"dakiya/internal/idem"
	"dakiya/internal/proof"
)

// proofColumns are a proof's columns with its centre's time zone, read
// from proofs p joined with dcs d.
const proofColumns = `p.id, p.article_id, p.dc_id, p.postman_id, p.kind, p.object_key, p.content_type,
	p.size, p.sha256, p.width, p.height, p.idempotency_key, p.created_at, d.tz`

const proofFrom = ` FROM proofs p JOIN dcs d ON d.id = p.dc_id `

func scanProof(row interface{ Scan(...any) error }) (proof.Meta, error) {
	var m proof.Meta
	var kind string
	var created int64
	err := row.Scan(&m.ID, &m.ArticleID, &m.DCID, &m.PostmanID, &kind, &m.ObjectKey, &m.ContentType,
		&m.Size, &m.SHA256, &m.Width, &m.Height, &m.IdempotencyKey, &created, &m.TimeZone)
	m.Kind, m.CreatedAt = proof.Kind(kind), fromMS(created)
	return m, err
}

// ProofSubject returns an article with who holds it (Holding), its status,
// how many proofs it has and its centre's time zone.
func (db *DB) ProofSubject(ctx context.Context, articleID string) (proof.Subject, error) {
	h, err := db.Holding(ctx, articleID)
	if err != nil {
		return proof.Subject{}, err
	}
	s := proof.Subject{ArticleID: h.ArticleID, DCID: h.DCID, PostmanID: h.PostmanID, Taken: h.Taken}
	var status string
	err = db.run().queryRow(ctx, `SELECT a.status, d.tz, (SELECT COUNT(*) FROM proofs p WHERE p.article_id = a.id)
		FROM articles a JOIN dcs d ON d.id = a.dc_id WHERE a.id = ?`,
		articleID).Scan(&status, &s.TimeZone, &s.Proofs)
	if errors.Is(err, sql.ErrNoRows) {
		return proof.Subject{}, notFound("article")
	}
	s.Status = article.Status(status)
	return s, classify("proof subject", err)
}

// InsertProof records a proof whose object is stored, if its uploader
// still holds the article out for delivery (else proof.ErrNotHeld) and it
// has fewer than max proofs (else proof.ErrFull); a taken id, object key or
// (postman, idempotency key) is a conflict. The checks and the insert are
// one step: SQLite's transactions take the write lock at BEGIN, and on
// PostgreSQL the article's row lock queues concurrent inserts for it, and
// moves and outcomes (which update the article), each checking in a
// snapshot taken after the previous one committed. The request's answer
// commits with the row.
func (db *DB) InsertProof(ctx context.Context, m proof.Meta, max int, answer idem.Completion) error {
	return db.inTx(ctx, "insert proof", func(r runner) error {
		if db.dialect == Postgres {
			if _, err := r.exec(ctx, "SELECT id FROM articles WHERE id = ? FOR NO KEY UPDATE", m.ArticleID); err != nil {
				return classify("insert proof: lock article", err)
			}
		}
		res, err := r.exec(ctx, `INSERT INTO proofs (id, article_id, dc_id, postman_id, kind, object_key, content_type,
			size, sha256, width, height, idempotency_key, created_at)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM proofs WHERE article_id = ?) < ?
			AND EXISTS (`+heldOut+`)`,
			m.ID, m.ArticleID, m.DCID, m.PostmanID, string(m.Kind), m.ObjectKey, m.ContentType,
			m.Size, m.SHA256, m.Width, m.Height, m.IdempotencyKey, ms(m.CreatedAt), m.ArticleID, max,
			m.ArticleID, m.PostmanID)
		if err != nil {
			return classify("insert proof", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return cmp.Or(classify("insert proof", err), proofRefused(ctx, r, m))
		}
		return finishIdem(ctx, r, answer, m.CreatedAt)
	})
}

// heldOut selects a row when postman (the second argument) holds article
// (the first) out for delivery now.
const heldOut = `SELECT 1 FROM custody c JOIN articles a ON a.id = c.article_id
	WHERE c.article_id = ? AND c.postman_id = ? AND c.ended_at IS NULL AND a.status = 'out_for_delivery'`

// proofRefused says why InsertProof wrote no row.
func proofRefused(ctx context.Context, r runner, m proof.Meta) error {
	var held int
	err := r.queryRow(ctx, "SELECT COUNT(*) FROM ("+heldOut+") h", m.ArticleID, m.PostmanID).Scan(&held)
	switch {
	case err != nil:
		return classify("insert proof: custody", err)
	case held == 0:
		return fmt.Errorf("store: insert proof: %w", proof.ErrNotHeld)
	}
	return fmt.Errorf("store: insert proof: %w", proof.ErrFull)
}

// Proof returns one proof.
func (db *DB) Proof(ctx context.Context, id string) (proof.Meta, error) {
	return db.oneProof(ctx, "p.id = ?", id)
}

// ProofByKey returns the proof a postman uploaded with an idempotency key.
func (db *DB) ProofByKey(ctx context.Context, postmanID, key string) (proof.Meta, error) {
	return db.oneProof(ctx, "p.postman_id = ? AND p.idempotency_key = ?", postmanID, key)
}

func (db *DB) oneProof(ctx context.Context, where string, args ...any) (proof.Meta, error) {
	m, err := scanProof(db.run().queryRow(ctx, "SELECT "+proofColumns+proofFrom+"WHERE "+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return proof.Meta{}, notFound("proof")
	}
	return m, classify("proof", err)
}

// ProofsByID returns those of ids that exist.
func (db *DB) ProofsByID(ctx context.Context, ids []string) ([]proof.Meta, error) {
	if len(ids) == 0 {
		return []proof.Meta{}, nil
	}
	return db.proofs(ctx, "p.id IN ("+proofMarks(len(ids))+") ORDER BY p.id", proofArgs(ids)...)
}

// ProofsOf returns an article's proofs, oldest first.
func (db *DB) ProofsOf(ctx context.Context, articleID string) ([]proof.Meta, error) {
	return db.proofs(ctx, "p.article_id = ? ORDER BY p.created_at, p.id", articleID)
}

func (db *DB) proofs(ctx context.Context, where string, args ...any) ([]proof.Meta, error) {
	rows, err := db.run().query(ctx, "SELECT "+proofColumns+proofFrom+"WHERE "+where, args...)
	if err != nil {
		return nil, classify("proofs", err)
	}
	defer rows.Close()
	out := []proof.Meta{}
	for rows.Next() {
		m, err := scanProof(rows)
		if err != nil {
			return nil, classify("proofs", err)
		}
		out = append(out, m)
	}
	return out, classify("proofs", rows.Err())
}

// ProofObjectKeys returns which of keys a proof row names.
func (db *DB) ProofObjectKeys(ctx context.Context, keys []string) (map[string]bool, error) {
	known := make(map[string]bool, len(keys))
	if len(keys) == 0 {
		return known, nil
	}
	rows, err := db.run().query(ctx, "SELECT object_key FROM proofs WHERE object_key IN ("+proofMarks(len(keys))+")", proofArgs(keys)...)
	if err != nil {
		return nil, classify("proof object keys", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		if err := rows.Scan(&k); err != nil {
			return nil, classify("proof object keys", err)
		}
		known[k] = true
	}
	return known, classify("proof object keys", rows.Err())
}

// proofMarks returns n comma-separated ? placeholders.
func proofMarks(n int) string {
	return strings.TrimSuffix(strings.Repeat("?, ", n), ", ")
}

// proofArgs turns strings into query arguments.
func proofArgs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
