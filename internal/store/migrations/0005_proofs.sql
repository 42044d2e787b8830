-- Proofs of delivery: one row per photo or signature, written only after
-- its object is in the bucket (so a row never lacks its object). The
-- object's key is made by the server and never reused; an object no row
-- names is an orphan, deleted by the sweeper after a day. A phone's retry
-- is recognised by (postman_id, idempotency_key).

CREATE TABLE proofs (
    id              TEXT PRIMARY KEY,
    article_id      TEXT NOT NULL REFERENCES articles (id),
    dc_id           TEXT NOT NULL REFERENCES dcs (id),
    postman_id      TEXT NOT NULL REFERENCES users (id),
    kind            TEXT NOT NULL CHECK (kind IN ('photo', 'signature')),
    object_key      TEXT NOT NULL UNIQUE,
    content_type    TEXT NOT NULL,
    size            BIGINT NOT NULL CHECK (size > 0),
    sha256          TEXT NOT NULL, -- lowercase hex, also in the object's metadata
    width           INTEGER NOT NULL,
    height          INTEGER NOT NULL,
    idempotency_key TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    UNIQUE (postman_id, idempotency_key)
);
CREATE INDEX proofs_article ON proofs (article_id, created_at);
