-- SMS queue: every text message to a recipient (OTP, slot-choice link) is a
-- row here, written in the same transaction as the change that causes it and
-- sent later by a worker (internal/notify). In development the table is the
-- outbox itself. Portable SQL for SQLite and PostgreSQL: times are BIGINT Unix
-- milliseconds (UTC).
--
-- A worker claims a due message by setting lease_owner and lease_until; only
-- the lease owner may record the outcome. An expired lease makes the message
-- claimable again, so a crashed worker delays a message but never loses it.
-- dedupe_key lets callers enqueue idempotently (NULLs never clash).

CREATE TABLE sms (
    id              TEXT PRIMARY KEY,
    phone           TEXT NOT NULL,
    body            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    article_id      TEXT,
    dedupe_key      TEXT UNIQUE,
    status          TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_owner     TEXT,
    lease_until     BIGINT,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      BIGINT NOT NULL,
    sent_at         BIGINT
);

-- Claiming: due queued messages in order. Partial, so sent and failed rows,
-- the bulk of the table over time, cost the claim nothing.
CREATE INDEX sms_due ON sms (next_attempt_at, id) WHERE status = 'queued';

-- The latest messages to a phone (development outbox, support).
CREATE INDEX sms_phone_created ON sms (phone, created_at, id);
