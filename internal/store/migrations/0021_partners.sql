-- Partners are bulk customers (and ONDC buyer apps) that book and track
-- through the open API with keys. A key is stored only as the SHA-256 of
-- its secret; prefix is what people see to tell keys apart. scopes is a
-- comma-separated list. rate_per_min is the key's token bucket refill
-- (its burst is the same number).
CREATE TABLE partners (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    gstin           TEXT NOT NULL DEFAULT '',
    billing_dc      TEXT NOT NULL REFERENCES dcs (id),
    remit_account   TEXT NOT NULL DEFAULT '',
    remit_ifsc      TEXT NOT NULL DEFAULT '',
    discount_bp     INTEGER NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL
);

CREATE TABLE api_keys (
    id            TEXT PRIMARY KEY,
    partner_id    TEXT NOT NULL REFERENCES partners (id),
    prefix        TEXT NOT NULL,
    hash          TEXT NOT NULL UNIQUE,
    scopes        TEXT NOT NULL,
    rate_per_min  INTEGER NOT NULL,
    expires_at    BIGINT,
    revoked_at    BIGINT,
    last_used_at  BIGINT,
    uses          BIGINT NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);
CREATE INDEX api_keys_partner ON api_keys (partner_id);

-- The partner that booked an article; NULL for articles a centre booked.
ALTER TABLE articles ADD COLUMN partner_id TEXT REFERENCES partners (id);
CREATE INDEX articles_partner ON articles (partner_id);

-- What a partner's booking priced an article at: the price charged when it
-- was booked, and the COD fee withheld from the remittance when its cash is
-- collected (0 without COD). booking_id is the partner booking it came in.
ALTER TABLE articles ADD COLUMN booking_id TEXT;
ALTER TABLE articles ADD COLUMN price_paise BIGINT NOT NULL DEFAULT 0;
ALTER TABLE articles ADD COLUMN cod_fee_paise BIGINT NOT NULL DEFAULT 0;
