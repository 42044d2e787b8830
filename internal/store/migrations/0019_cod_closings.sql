-- A postman's settlement for a slot, once closed, is final: later entries
-- must name the entry they correct.
ALTER TABLE cod_settlements ADD COLUMN correction_of TEXT NOT NULL DEFAULT '';

CREATE TABLE cod_closings (
    dc_id         TEXT NOT NULL REFERENCES dcs (id),
    postman_id    TEXT NOT NULL REFERENCES users (id),
    date          TEXT NOT NULL,
    slot          TEXT NOT NULL,
    settlement_id TEXT NOT NULL REFERENCES cod_settlements (id),
    closed_by     TEXT NOT NULL REFERENCES users (id),
    closed_at     BIGINT NOT NULL,
    PRIMARY KEY (dc_id, postman_id, date, slot)
);
