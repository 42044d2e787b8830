-- Delivery outcomes, their reviews, and idempotency keys for phones'
-- state-changing requests.

CREATE TABLE idempotency_keys (
    owner        TEXT NOT NULL,   -- the user whose phone sent it
    idem_key     TEXT NOT NULL,
    request_hash TEXT NOT NULL,   -- SHA-256 of method, path and body
    status       INTEGER,         -- NULL while the first request runs
    response     TEXT,
    created_at   BIGINT NOT NULL,
    completed_at BIGINT,
    PRIMARY KEY (owner, idem_key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

CREATE TABLE deliveries (
    id             TEXT PRIMARY KEY,
    article_id     TEXT NOT NULL REFERENCES articles (id),
    dc_id          TEXT NOT NULL REFERENCES dcs (id),
    postman_id     TEXT NOT NULL REFERENCES users (id),
    manifest_id    TEXT NOT NULL,
    date           TEXT NOT NULL,
    slot           TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('delivered', 'failed')),
    reason_code    TEXT NOT NULL DEFAULT '',
    otp_given      INTEGER NOT NULL DEFAULT 0,
    evidence_type  TEXT NOT NULL DEFAULT '',
    evidence_last4 TEXT NOT NULL DEFAULT '',
    received_by    TEXT NOT NULL DEFAULT '',
    lat            DOUBLE PRECISION,
    lon            DOUBLE PRECISION,
    accuracy_m     DOUBLE PRECISION,
    captured_at    BIGINT NOT NULL,
    cod_mode       TEXT NOT NULL DEFAULT '',
    cod_paise      BIGINT NOT NULL DEFAULT 0,
    upi_ref        TEXT NOT NULL DEFAULT '',
    flags          TEXT NOT NULL DEFAULT '',
    review         TEXT NOT NULL DEFAULT 'pending',
    created_at     BIGINT NOT NULL
);
CREATE UNIQUE INDEX deliveries_one_per_dispatch ON deliveries (article_id, manifest_id);
CREATE INDEX deliveries_dc_day ON deliveries (dc_id, date, slot);

CREATE TABLE delivery_proofs (
    delivery_id TEXT NOT NULL REFERENCES deliveries (id),
    proof_id    TEXT NOT NULL,
    PRIMARY KEY (delivery_id, proof_id)
);

CREATE TABLE reviews (
    id          TEXT PRIMARY KEY,
    delivery_id TEXT NOT NULL REFERENCES deliveries (id),
    reviewer_id TEXT NOT NULL REFERENCES users (id),
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    note        TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX reviews_delivery ON reviews (delivery_id, at);
