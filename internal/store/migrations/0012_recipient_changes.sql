-- How many times a recipient's slot link has changed an article's slot,
-- counted in the same transaction as the change so the cap holds across
-- replicas.
ALTER TABLE articles ADD COLUMN recipient_changes INTEGER NOT NULL DEFAULT 0;
