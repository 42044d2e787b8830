-- Recipient codes, wrong tries per postman, and each manifest's window.

ALTER TABLE manifests ADD COLUMN window_start BIGINT NOT NULL DEFAULT 0;
ALTER TABLE manifests ADD COLUMN window_end BIGINT NOT NULL DEFAULT 0;

CREATE TABLE otps (
    article_id  TEXT PRIMARY KEY REFERENCES articles (id),
    sealed_seed TEXT NOT NULL, -- AES-256-GCM, bound to the article id
    counter     BIGINT NOT NULL,
    resends     INTEGER NOT NULL DEFAULT 0,
    attempts    INTEGER NOT NULL DEFAULT 0,
    locked_at   BIGINT,
    consumed_at BIGINT,
    expires_at  BIGINT NOT NULL,
    check_value TEXT NOT NULL,
    updated_at  BIGINT NOT NULL
);

CREATE TABLE otp_failures (
    postman_id TEXT NOT NULL,
    article_id TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX otp_failures_postman_at ON otp_failures (postman_id, at);
