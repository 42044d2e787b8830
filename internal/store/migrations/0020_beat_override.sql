-- A supervisor may move an article to another beat of its centre before it
-- goes out: beat_override holds that beat (beat_id then equals it, so the
-- build, the slot loads and the filters follow it); NULL means the beat is
-- the one the address maps to.
ALTER TABLE articles ADD COLUMN beat_override TEXT REFERENCES beats (id);
