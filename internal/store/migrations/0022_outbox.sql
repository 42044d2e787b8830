-- The transactional outbox: every message owed to a partner system (a
-- webhook event, an ONDC callback) is a row written in the same
-- transaction as the change it reports, and a dispatcher sends it later,
-- retrying until it is delivered or dead-lettered.
--
-- id is the message's id (webhook receivers drop repeats by it). kind
-- picks the sender ('webhook', 'ondc'); target is what the sender needs to
-- find the receiver (a webhook subscription id, an ONDC order id).
-- Messages with the same order_key go out one at a time in seq order, so
-- a receiver sees an article's events in the order they happened; a
-- message is only sent when every earlier one of its key is delivered or
-- dead. body is the JSON as written ('' when the sender renders it at send
-- time). A dispatcher takes a message by setting lease_owner and
-- lease_until (FOR UPDATE SKIP LOCKED on PostgreSQL); another replica takes
-- it only after the lease has run out.
CREATE TABLE outbox (
    id           TEXT PRIMARY KEY,
    partner_id   TEXT NOT NULL REFERENCES partners (id),
    kind         TEXT NOT NULL,
    target       TEXT NOT NULL,
    order_key    TEXT NOT NULL,
    seq          BIGINT NOT NULL,
    event_type   TEXT NOT NULL,
    body         TEXT NOT NULL,
    state        TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      BIGINT NOT NULL,
    lease_owner  TEXT NOT NULL DEFAULT '',
    lease_until  BIGINT NOT NULL DEFAULT 0,
    last_status  INTEGER NOT NULL DEFAULT 0,
    last_error   TEXT NOT NULL DEFAULT '',
    created_at   BIGINT NOT NULL,
    done_at      BIGINT
);
CREATE INDEX outbox_due ON outbox (state, next_at);
CREATE INDEX outbox_order ON outbox (order_key, seq);
CREATE INDEX outbox_target ON outbox (kind, target, created_at);
