-- The audit log (DPDP Act 2023): every view of a proof or of a personal
-- record (an article with its recipient, a search by phone, a data
-- principal's export or erasure), by whom, when, through which route.
-- action names what was done ('proof.metadata', 'proof.content',
-- 'article.view', 'article.search', 'privacy.export', 'privacy.erase');
-- subject_type and subject what it was done to ('proof', 'article',
-- 'phone', 'dc'). Admins read it, newest first.
CREATE TABLE audit_log (
    id           TEXT PRIMARY KEY,
    at           BIGINT NOT NULL,
    actor_id     TEXT NOT NULL,
    actor_role   TEXT NOT NULL,
    action       TEXT NOT NULL,
    subject_type TEXT NOT NULL,
    subject      TEXT NOT NULL,
    route        TEXT NOT NULL DEFAULT '',
    detail       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at, id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at, id);
CREATE INDEX audit_log_subject ON audit_log (subject, at, id);

-- The proof views recorded so far (proof_views stays, for GET
-- /proofs/{id}/views).
INSERT INTO audit_log (id, at, actor_id, actor_role, action, subject_type, subject, route)
SELECT id, at, viewer_id, viewer_role, 'proof.' || what, 'proof', proof_id, '' FROM proof_views;
