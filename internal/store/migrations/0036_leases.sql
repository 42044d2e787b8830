-- A lease lets one replica of many do a periodic job (the orphan proof
-- sweep): the holder renews it, another takes it only once it expires.
CREATE TABLE leases (
    name       TEXT PRIMARY KEY,
    holder     TEXT NOT NULL,
    expires_at BIGINT NOT NULL
);
