-- ONDC logistics orders (LOG11): one row per buyer app transaction, from
-- its search to its confirmed article. priced is what the search quoted
-- (JSON), doc the buyer's order as initialised then confirmed (JSON),
-- auth the delivery code the buyer app gave by update (JSON, '' when
-- none). seq numbers the transaction's callbacks in the outbox, so they
-- are sent in order.
CREATE TABLE ondc_orders (
    id              TEXT PRIMARY KEY,
    partner_id      TEXT NOT NULL REFERENCES partners (id),
    bap_id          TEXT NOT NULL,
    transaction_id  TEXT NOT NULL,
    bap_uri         TEXT NOT NULL,
    city            TEXT NOT NULL,
    stage           TEXT NOT NULL CHECK (stage IN ('searched', 'initialized', 'confirmed', 'cancelled')),
    article_id      TEXT REFERENCES articles (id),
    item_id         TEXT NOT NULL DEFAULT '',
    priced          TEXT NOT NULL,
    doc             TEXT NOT NULL,
    auth            TEXT NOT NULL DEFAULT '',
    seq             BIGINT NOT NULL DEFAULT 0,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    UNIQUE (bap_id, transaction_id)
);
CREATE UNIQUE INDEX ondc_orders_article ON ondc_orders (article_id);
