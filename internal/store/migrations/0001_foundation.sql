-- Foundation: delivery centres, beats, staff, sessions, articles and their
-- tracking events. Portable SQL for SQLite and PostgreSQL: times are BIGINT
-- Unix milliseconds (UTC), dates TEXT YYYY-MM-DD in the centre's zone, money
-- BIGINT paise, flags INTEGER 0/1.

CREATE TABLE dcs (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL,
    pin         TEXT NOT NULL,
    lat         DOUBLE PRECISION NOT NULL,
    lon         DOUBLE PRECISION NOT NULL,
    tz          TEXT NOT NULL,
    upi_vpa     TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL
);

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('postman', 'supervisor', 'admin')),
    dc_id         TEXT REFERENCES dcs (id),
    locale        TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    CHECK ((role = 'admin' AND dc_id IS NULL) OR (role <> 'admin' AND dc_id IS NOT NULL))
);
CREATE INDEX users_dc ON users (dc_id);

CREATE TABLE beats (
    id               TEXT PRIMARY KEY,
    dc_id            TEXT NOT NULL REFERENCES dcs (id),
    name             TEXT NOT NULL,
    postman_id       TEXT REFERENCES users (id),
    digipin_prefixes TEXT NOT NULL DEFAULT '',
    pins             TEXT NOT NULL DEFAULT '',
    created_at       BIGINT NOT NULL
);
CREATE INDEX beats_dc ON beats (dc_id);

-- A refresh family is one login: every rotated refresh token of that login
-- belongs to it, and revoking it ends them all (reuse detection, logout).
CREATE TABLE refresh_families (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
);

CREATE TABLE refresh_tokens (
    hash       TEXT PRIMARY KEY,
    family_id  TEXT NOT NULL REFERENCES refresh_families (id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Failed logins, one row each, keyed by "user:NAME" or "addr:IP"; rows older
-- than the throttle window are pruned as new ones arrive.
CREATE TABLE login_failures (
    bucket TEXT NOT NULL,
    at     BIGINT NOT NULL
);
CREATE INDEX login_failures_bucket_at ON login_failures (bucket, at);

CREATE TABLE articles (
    id              TEXT PRIMARY KEY,
    dc_id           TEXT NOT NULL REFERENCES dcs (id),
    service         TEXT NOT NULL,
    recipient_name  TEXT NOT NULL,
    recipient_phone TEXT NOT NULL,
    address         TEXT NOT NULL,
    pin             TEXT NOT NULL,
    lat             DOUBLE PRECISION,
    lon             DOUBLE PRECISION,
    digipin         TEXT NOT NULL DEFAULT '',
    cod_paise       BIGINT NOT NULL DEFAULT 0,
    slot_preference TEXT NOT NULL DEFAULT '',
    status          TEXT NOT NULL,
    sched_date      TEXT,
    sched_slot      TEXT,
    beat_id         TEXT REFERENCES beats (id),
    content_hash    TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL
);
CREATE INDEX articles_dc_id ON articles (dc_id, id);
CREATE INDEX articles_dc_sched ON articles (dc_id, sched_date, sched_slot);

CREATE TABLE article_events (
    article_id  TEXT NOT NULL REFERENCES articles (id),
    seq         INTEGER NOT NULL,
    event       TEXT NOT NULL,
    status      TEXT NOT NULL,
    at          BIGINT NOT NULL,
    place       TEXT NOT NULL,
    reason_code TEXT NOT NULL DEFAULT '',
    actor_id    TEXT NOT NULL DEFAULT '',
    note        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, seq)
);
