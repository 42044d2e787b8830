-- COD remittance statements: what Dakiya owes a partner for the cash and
-- UPI collected on its articles, one statement per partner per day. A
-- line is one delivery's money; delivery_id as the key makes it
-- impossible for a collection to be remitted twice. Amounts are paise:
-- collected = fee + net on every line and in every statement, and the
-- fee withheld never exceeds what was collected (net is never negative).
CREATE TABLE remittances (
    id              TEXT PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    date            TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'paid')),
    lines           INTEGER NOT NULL CHECK (lines >= 0),
    collected_paise BIGINT NOT NULL CHECK (collected_paise >= 0),
    fee_paise       BIGINT NOT NULL CHECK (fee_paise >= 0),
    net_paise       BIGINT NOT NULL CHECK (net_paise >= 0),
    remit_account   TEXT NOT NULL DEFAULT '',
    remit_ifsc      TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    bank_ref        TEXT NOT NULL DEFAULT '',
    paid_at         BIGINT,
    paid_by         TEXT NOT NULL DEFAULT '',
    marked_paid_at  BIGINT,
    CHECK (collected_paise = fee_paise + net_paise),
    UNIQUE (partner_id, date)
);
CREATE INDEX remittances_date ON remittances (date);

CREATE TABLE remittance_lines (
    delivery_id     TEXT PRIMARY KEY REFERENCES deliveries (id),
    remittance_id   TEXT NOT NULL REFERENCES remittances (id),
    article_id      TEXT NOT NULL UNIQUE REFERENCES articles (id),
    dc_id           TEXT NOT NULL REFERENCES dcs (id),
    collected_on    TEXT NOT NULL,
    delivered_at    BIGINT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('cash', 'upi')),
    upi_ref         TEXT NOT NULL DEFAULT '',
    collected_paise BIGINT NOT NULL CHECK (collected_paise > 0),
    fee_paise       BIGINT NOT NULL CHECK (fee_paise >= 0),
    net_paise       BIGINT NOT NULL CHECK (net_paise >= 0),
    CHECK (collected_paise = fee_paise + net_paise)
);
CREATE INDEX remittance_lines_remittance ON remittance_lines (remittance_id);
