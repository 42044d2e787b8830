-- Scan-to-sort: every scan a sorter makes at the centre, one row per scan
-- id (the phone's UUID, so a scan sent twice is kept once), with the place
-- the sort plan gave it then. The per-beat counts (sorted / expected) are
-- the distinct articles scanned into the current plan's places.
CREATE TABLE sort_scans (
    id           TEXT PRIMARY KEY,
    dc_id        TEXT NOT NULL REFERENCES dcs (id),
    date         TEXT NOT NULL,
    slot         TEXT NOT NULL,
    article_id   TEXT NOT NULL,
    plan_version TEXT NOT NULL,
    beat_id      TEXT NOT NULL DEFAULT '',
    case_no      INTEGER NOT NULL DEFAULT 0,
    problem      TEXT NOT NULL DEFAULT '',
    user_id      TEXT NOT NULL REFERENCES users (id),
    scanned_at   BIGINT NOT NULL,
    recorded_at  BIGINT NOT NULL
);
CREATE INDEX sort_scans_slot ON sort_scans (dc_id, date, slot, article_id);
