-- When a user's sessions were last ended (disabled, new password, new role
-- or centre), in Unix ms: access tokens issued before it are refused.
ALTER TABLE users ADD COLUMN sessions_revoked_at BIGINT NOT NULL DEFAULT 0;
CREATE INDEX users_sessions_revoked ON users (sessions_revoked_at);
