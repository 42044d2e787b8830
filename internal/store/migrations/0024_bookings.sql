-- Bulk bookings by partners, their wallets and their S10 series.
--
-- billing is how a partner pays: 'prepaid' from its wallet (wallet_paise,
-- never below zero), or 'account' (invoiced monthly, never debited).
ALTER TABLE partners ADD COLUMN billing TEXT NOT NULL DEFAULT 'prepaid';
ALTER TABLE partners ADD COLUMN wallet_paise BIGINT NOT NULL DEFAULT 0;

-- The wallet's ledger: a top-up (positive, by an admin, unique per
-- partner by its reference) or a booking's debit (negative, its reference
-- the booking id). balance_paise is the balance after the entry.
CREATE TABLE wallet_entries (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners (id),
    kind           TEXT NOT NULL,
    amount_paise   BIGINT NOT NULL,
    balance_paise  BIGINT NOT NULL,
    reference      TEXT NOT NULL,
    actor_id       TEXT NOT NULL DEFAULT '',
    created_at     BIGINT NOT NULL,
    UNIQUE (partner_id, kind, reference)
);
CREATE INDEX wallet_entries_partner ON wallet_entries (partner_id, created_at);

-- One bulk booking: who made it, with which quote, what it charged, and
-- its per-item results as sent (JSON).
CREATE TABLE bookings (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    key_id       TEXT NOT NULL,
    quote_id     TEXT NOT NULL DEFAULT '',
    billing      TEXT NOT NULL,
    items        INTEGER NOT NULL,
    total_paise  BIGINT NOT NULL,
    result       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX bookings_partner ON bookings (partner_id, created_at);
CREATE INDEX articles_booking ON articles (booking_id);

-- S10 serials Dakiya allocates: each partner draws, per service
-- indicator, from blocks of serials handed out in turn per indicator
-- (s10_blocks.next_block), so no two partners share a serial; next_serial
-- is the partner's next one, block_end one past its block's last.
CREATE TABLE s10_blocks (
    indicator   TEXT PRIMARY KEY,
    next_block  BIGINT NOT NULL
);
CREATE TABLE s10_series (
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    indicator    TEXT NOT NULL,
    next_serial  BIGINT NOT NULL,
    block_end    BIGINT NOT NULL,
    PRIMARY KEY (partner_id, indicator)
);
