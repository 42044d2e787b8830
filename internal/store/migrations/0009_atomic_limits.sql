-- Limits that cannot be raced (issue 9). A wrong code or a failed login is
-- written BEFORE the code or password is compared, as a reservation named
-- by its attempt, and taken back when it was right; counting and writing
-- happen in one transaction that first locks the limit's key row, so
-- concurrent requests queue instead of all passing one stale count.
ALTER TABLE otp_failures ADD COLUMN attempt TEXT;
CREATE INDEX otp_failures_attempt ON otp_failures (attempt);

ALTER TABLE login_failures ADD COLUMN attempt TEXT;
CREATE INDEX login_failures_attempt ON login_failures (attempt);

-- One row per limited key ("otp:postman:ID", "login:user:NAME", …). Whoever
-- counts against a key first upserts its row, which holds the row's lock
-- until the transaction ends.
CREATE TABLE limit_keys (
    key        TEXT PRIMARY KEY,
    touched_at BIGINT NOT NULL
);
CREATE INDEX limit_keys_touched_at ON limit_keys (touched_at);

-- A good login sweeps failures from before the longest window.
CREATE INDEX login_failures_at ON login_failures (at);
