-- dakiya:foreign-keys-off
-- Staff may be sorters: bound to a centre like postmen and supervisors.
-- SQLite cannot change a CHECK constraint, so the users table is rebuilt
-- (the documented twelve-step procedure: foreign keys off around the
-- transaction, new table, copy, drop, rename, indexes, foreign key check).
CREATE TABLE users_new (
    id            TEXT PRIMARY KEY,
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('postman', 'supervisor', 'sorter', 'admin')),
    dc_id         TEXT REFERENCES dcs (id),
    locale        TEXT NOT NULL DEFAULT 'en',
    password_hash TEXT NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL,
    CHECK ((role = 'admin' AND dc_id IS NULL) OR (role <> 'admin' AND dc_id IS NOT NULL))
);
INSERT INTO users_new (id, username, name, role, dc_id, locale, password_hash, disabled, created_at)
    SELECT id, username, name, role, dc_id, locale, password_hash, disabled, created_at FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;
CREATE INDEX users_dc ON users (dc_id);
