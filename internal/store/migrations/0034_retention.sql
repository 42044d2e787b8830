-- Retention (DPDP Act 2023): a final article's recipient data is erased a
-- configured time after it became final (erased_at says when; the
-- tracking events stay), a proof's row is marked expired once its object's
-- retention has run out, and a job that must run on one replica at a time
-- holds a lease row in job_locks.
ALTER TABLE articles ADD COLUMN erased_at BIGINT;
ALTER TABLE proofs ADD COLUMN expired_at BIGINT;

-- The retention job's walk: final articles not yet erased, oldest first.
CREATE INDEX articles_retention ON articles (updated_at, id)
    WHERE erased_at IS NULL AND status IN ('delivered', 'returned');
-- A data principal's articles, for an export or an erasure.
CREATE INDEX articles_phone ON articles (recipient_phone);
-- An article's messages, erased with it.
CREATE INDEX sms_article ON sms (article_id);
CREATE INDEX proofs_expiry ON proofs (created_at, id) WHERE expired_at IS NULL;

-- One row per named job while a replica runs it: owner is the replica's
-- random id, lease_until when its lease runs out (a crashed replica's lease
-- lapses and another takes the job).
CREATE TABLE job_locks (
    name       TEXT PRIMARY KEY,
    owner      TEXT NOT NULL,
    lease_until BIGINT NOT NULL
);
