-- Every view of a proof, for the audit of who looked at evidence and when,
-- and the indexes the supervisor's live progress reads by postman.

CREATE TABLE proof_views (
    id          TEXT PRIMARY KEY,
    proof_id    TEXT NOT NULL REFERENCES proofs (id),
    viewer_id   TEXT NOT NULL REFERENCES users (id),
    viewer_role TEXT NOT NULL,
    what        TEXT NOT NULL CHECK (what IN ('metadata', 'content')),
    at          BIGINT NOT NULL
);
CREATE INDEX proof_views_proof ON proof_views (proof_id, at);

CREATE INDEX deliveries_postman ON deliveries (postman_id, created_at);
CREATE INDEX proofs_postman ON proofs (postman_id, created_at);
