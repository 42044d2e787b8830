-- One code per recipient per stop (issue 10). A code now belongs to a
-- group: the coded articles of one stop of one manifest with the same
-- recipient phone. The group holds the code (its sealed seed, counter,
-- tries, lock, resends, expiry and offline check), so a wrong try on any
-- of its articles counts once against the group and a resend replaces the
-- code for all. Each article keeps its own row, naming its group and
-- recording when its own delivery used the code.
CREATE TABLE otp_groups (
    id          TEXT PRIMARY KEY,
    sealed_seed TEXT NOT NULL, -- AES-256-GCM, bound to the group id
    counter     BIGINT NOT NULL,
    resends     INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    locked_at   BIGINT,
    expires_at  BIGINT NOT NULL,
    check_value TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- Every code issued before this migration becomes a group of one, named
-- by its article's id: its seed was sealed bound to that id, so it still
-- opens.
INSERT INTO otp_groups (id, sealed_seed, counter, resends, attempts, locked_at, expires_at, check_value, updated_at)
SELECT article_id, sealed_seed, counter, resends, attempts, locked_at, expires_at, check_value, updated_at FROM otps;

CREATE TABLE otp_articles (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    group_id    TEXT NOT NULL REFERENCES otp_groups (id),
    consumed_at BIGINT,
    updated_at  BIGINT NOT NULL
);
INSERT INTO otp_articles (article_id, group_id, consumed_at, updated_at)
SELECT article_id, article_id, consumed_at, updated_at FROM otps;
CREATE INDEX otp_articles_group_id ON otp_articles (group_id);

DROP TABLE otps;
