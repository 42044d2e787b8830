-- Webhook subscriptions and the outbox's delivery log.
--
-- A subscription belongs to one partner: the URL its events are POSTed to,
-- the event types it wants (comma-separated, or '*'), and its signing
-- secret sealed (AES-GCM, bound to the subscription id) with a key derived
-- from the server's secret, because signing needs the secret itself.
-- deleted_at stops it: no new messages, its pending ones are dead-lettered.
CREATE TABLE webhooks (
    id             TEXT PRIMARY KEY,
    partner_id     TEXT NOT NULL REFERENCES partners (id),
    url            TEXT NOT NULL,
    events         TEXT NOT NULL,
    secret_sealed  TEXT NOT NULL,
    created_at     BIGINT NOT NULL,
    deleted_at     BIGINT
);
CREATE INDEX webhooks_partner ON webhooks (partner_id, created_at);

-- Every attempt to send an outbox message: its number (1, 2, …, counting
-- on across a manual redelivery), when, the receiver's HTTP status (0 when
-- none came: refused, timed out), the error, and how long it took.
CREATE TABLE outbox_attempts (
    message_id   TEXT NOT NULL REFERENCES outbox (id),
    n            INTEGER NOT NULL,
    at           BIGINT NOT NULL,
    status       INTEGER NOT NULL DEFAULT 0,
    error        TEXT NOT NULL DEFAULT '',
    duration_ms  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (message_id, n)
);

-- When the current run of attempts began: a message is dead-lettered once
-- an attempt fails 24 h or more after it; a manual redelivery starts a new
-- run (NULL until its first attempt).
ALTER TABLE outbox ADD COLUMN first_at BIGINT;
