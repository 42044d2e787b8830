-- Indexes in each paged list's sort order, so a page after a cursor
-- (WHERE key > cursor ORDER BY key LIMIT n+1) reads only its own rows.
CREATE INDEX users_dc_username ON users (dc_id, username);
CREATE INDEX beats_dc_id ON beats (dc_id, id);
CREATE INDEX partners_name_id ON partners (name, id);
CREATE INDEX api_keys_partner_created ON api_keys (partner_id, created_at, id);
CREATE INDEX webhooks_created ON webhooks (created_at, id);
CREATE INDEX festivals_date_name ON festivals (date, name, id);
CREATE INDEX remittances_date_partner ON remittances (date, partner_id, id);
