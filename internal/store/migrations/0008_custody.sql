-- Custody: who may act on each article. One row per article names its
-- current (or last) assignment: a postman's dispatched manifest it went out
-- on, since when, and how it ended. Dispatch and amendments start an
-- assignment; an outcome, an amendment or the counter ends it, in the same
-- transaction. Outcomes are one per article per assignment.

CREATE TABLE custody (
    article_id    TEXT PRIMARY KEY REFERENCES articles (id),
    assignment_id TEXT NOT NULL UNIQUE, -- new for every custody period
    manifest_id   TEXT NOT NULL REFERENCES manifests (id),
    postman_id    TEXT NOT NULL REFERENCES users (id),
    dc_id         TEXT NOT NULL REFERENCES dcs (id),
    since         BIGINT NOT NULL,
    ended_at      BIGINT,
    ended_by      TEXT NOT NULL DEFAULT '' -- outcome, amended, held, …
);
CREATE INDEX custody_manifest ON custody (manifest_id);

-- Articles out for delivery today are held by the dispatched manifest that
-- last took them on (the old rule), since they last went out.
INSERT INTO custody (article_id, assignment_id, manifest_id, postman_id, dc_id, since)
SELECT a.id, 'm0008-' || a.id, m.id, m.postman_id, m.dc_id,
    COALESCE((SELECT MAX(e.at) FROM article_events e WHERE e.article_id = a.id AND e.status = 'out_for_delivery'),
        m.dispatched_at, m.updated_at)
FROM articles a JOIN manifests m ON m.id = (
    SELECT mm.id FROM manifest_articles ma JOIN manifests mm ON mm.id = ma.manifest_id
    WHERE ma.article_id = a.id AND mm.status = 'dispatched'
    ORDER BY mm.updated_at DESC, mm.id DESC LIMIT 1)
WHERE a.status = 'out_for_delivery';

-- An outcome belongs to an assignment; the outcomes recorded before this
-- migration had one per manifest, which stands in for their assignment.
ALTER TABLE deliveries ADD COLUMN assignment_id TEXT NOT NULL DEFAULT '';
ALTER TABLE deliveries ADD COLUMN article_status TEXT NOT NULL DEFAULT '';
UPDATE deliveries SET assignment_id = 'm0008-' || manifest_id;
DROP INDEX deliveries_one_per_dispatch;
CREATE UNIQUE INDEX deliveries_one_per_assignment ON deliveries (article_id, assignment_id);
