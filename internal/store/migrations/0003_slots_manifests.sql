-- Calendars, booked load per beat and slot, and manifests.

CREATE TABLE calendars (
    dc_id      TEXT PRIMARY KEY REFERENCES dcs (id),
    body       TEXT NOT NULL, -- the calendar as JSON
    updated_at BIGINT NOT NULL
);

-- What each beat has booked in each slot, in hundredths of a letter, kept
-- in step with articles' schedules so a full slot is refused atomically.
CREATE TABLE slot_loads (
    dc_id   TEXT NOT NULL,
    beat_id TEXT NOT NULL,
    date    TEXT NOT NULL,
    slot    TEXT NOT NULL,
    booked  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dc_id, beat_id, date, slot)
);

CREATE TABLE manifests (
    id            TEXT PRIMARY KEY,
    dc_id         TEXT NOT NULL REFERENCES dcs (id),
    beat_id       TEXT NOT NULL REFERENCES beats (id),
    postman_id    TEXT NOT NULL REFERENCES users (id),
    date          TEXT NOT NULL,
    slot          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    status        TEXT NOT NULL,
    distance_m    BIGINT NOT NULL,
    stops         INTEGER NOT NULL,
    articles      INTEGER NOT NULL,
    booked        INTEGER NOT NULL,
    capacity      INTEGER NOT NULL,
    body          TEXT NOT NULL, -- the manifest as the phone gets it
    etag          TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    updated_at    BIGINT NOT NULL,
    dispatched_at BIGINT,
    UNIQUE (dc_id, beat_id, date, slot)
);
CREATE INDEX manifests_postman ON manifests (postman_id, date, slot);
CREATE INDEX manifests_dc ON manifests (dc_id, date, slot);

CREATE TABLE manifest_articles (
    manifest_id TEXT NOT NULL REFERENCES manifests (id),
    article_id  TEXT NOT NULL REFERENCES articles (id),
    stop_seq    INTEGER NOT NULL,
    PRIMARY KEY (manifest_id, article_id)
);
CREATE INDEX manifest_articles_article ON manifest_articles (article_id);
