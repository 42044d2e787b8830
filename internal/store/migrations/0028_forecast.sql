-- Arrivals rollup: received_at_dc events counted per centre, date and hour
-- in the centre's zone, and service, in the transaction that records the
-- event (store.insertEvent). The demand forecast reads it; the demo writes
-- a year of imported history straight into it.
CREATE TABLE arrivals (
    dc_id    TEXT NOT NULL REFERENCES dcs (id),
    date     TEXT NOT NULL,
    hour     INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),
    service  TEXT NOT NULL,
    count    BIGINT NOT NULL CHECK (count >= 0),
    PRIMARY KEY (dc_id, date, hour, service)
);

-- The festival calendar: known peaks of arrivals. It is loaded from the
-- built-in calendar (assets/festivals.csv) on first use, which the
-- festivals_loaded row records, so that an admin's deletions stay deleted.
CREATE TABLE festivals (
    id           TEXT PRIMARY KEY,
    date         TEXT NOT NULL,
    name         TEXT NOT NULL,
    region       TEXT NOT NULL DEFAULT '',
    before_days  INTEGER NOT NULL CHECK (before_days BETWEEN 0 AND 30),
    after_days   INTEGER NOT NULL CHECK (after_days BETWEEN 0 AND 30),
    updated_at   BIGINT NOT NULL,
    UNIQUE (date, name)
);

CREATE TABLE festivals_loaded (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    loaded_at  BIGINT NOT NULL
);
