-- Cash-on-delivery settlements: append-only; a correction is a new entry.
CREATE TABLE cod_settlements (
    id                  TEXT PRIMARY KEY,
    dc_id               TEXT NOT NULL REFERENCES dcs (id),
    postman_id          TEXT NOT NULL REFERENCES users (id),
    date                TEXT NOT NULL,
    slot                TEXT NOT NULL,
    expected_cash_paise BIGINT NOT NULL,
    cash_received_paise BIGINT NOT NULL,
    settled_by          TEXT NOT NULL REFERENCES users (id),
    note                TEXT NOT NULL DEFAULT '',
    at                  BIGINT NOT NULL
);
CREATE INDEX cod_settlements_day ON cod_settlements (dc_id, date, slot, postman_id);
