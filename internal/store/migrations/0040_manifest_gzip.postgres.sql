-- The manifest's JSON gzipped when it is rendered, served as it is to
-- phones that accept gzip; NULL in rows written before (filled on the
-- first fetch).
ALTER TABLE manifests ADD COLUMN body_gzip BYTEA;
