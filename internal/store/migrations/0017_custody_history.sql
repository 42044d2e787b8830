-- Custody history: every custody period an article has had, not only its
-- current (or last) one that custody keeps. A row is added when a period
-- starts (dispatch, an amendment) and closed when it ends (the outcome, an
-- amendment, the counter), in the same transactions that move custody.

CREATE TABLE custody_history (
    assignment_id TEXT PRIMARY KEY,
    article_id    TEXT NOT NULL REFERENCES articles (id),
    manifest_id   TEXT NOT NULL REFERENCES manifests (id),
    postman_id    TEXT NOT NULL REFERENCES users (id),
    dc_id         TEXT NOT NULL REFERENCES dcs (id),
    since         BIGINT NOT NULL,
    ended_at      BIGINT,
    ended_by      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX custody_history_article ON custody_history (article_id, since);

-- Earlier periods were overwritten; the current rows are all there is.
INSERT INTO custody_history (assignment_id, article_id, manifest_id, postman_id, dc_id, since, ended_at, ended_by)
SELECT assignment_id, article_id, manifest_id, postman_id, dc_id, since, ended_at, ended_by FROM custody;
