-- Tariffs are data: each version is the CSV an admin uploaded, kept as it
-- came (csv) with its SHA-256, never changed. effective_from is a date
-- (YYYY-MM-DD, India time; text sorts as dates do); the version in force
-- on a day is the one with the latest effective_from on or before it, so
-- no two versions share a date.
CREATE TABLE tariffs (
    version         TEXT PRIMARY KEY,
    effective_from  TEXT NOT NULL UNIQUE,
    sha256          TEXT NOT NULL,
    row_count       INTEGER NOT NULL,
    csv             TEXT NOT NULL,
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL
);

-- A quote is a price worked out for a partner's article and kept until
-- valid_until, so a booking can name the price it was made with. request
-- and result are the quote's JSON (the request as priced; the quote with
-- its breakdown); price_paise and cod_fee_paise repeat the result's
-- totals for queries.
CREATE TABLE quotes (
    id              TEXT PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    tariff_version  TEXT NOT NULL REFERENCES tariffs (version),
    request         TEXT NOT NULL,
    result          TEXT NOT NULL,
    price_paise     BIGINT NOT NULL,
    cod_fee_paise   BIGINT NOT NULL,
    created_at      BIGINT NOT NULL,
    valid_until     BIGINT NOT NULL
);
CREATE INDEX quotes_partner ON quotes (partner_id, created_at);
