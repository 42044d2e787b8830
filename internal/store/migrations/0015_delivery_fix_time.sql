-- When the phone's position was fixed and when the postman opened the
-- stop, so a supervisor can tell a fresh fix from the previous door's
-- (flag stale_fix). NULL for outcomes from phones that did not say.
ALTER TABLE deliveries ADD COLUMN fix_at BIGINT;
ALTER TABLE deliveries ADD COLUMN opened_at BIGINT;
