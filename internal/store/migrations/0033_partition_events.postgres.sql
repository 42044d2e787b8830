-- Tracking events become a table partitioned by month of their time (at,
-- milliseconds since the epoch, UTC months). Nothing refers to an event;
-- the key gains the partition column. An article's next seq is still taken
-- under the lock its status change holds on the article's row, so (article,
-- seq) stays unique. Rows start in the DEFAULT partition;
-- store.EnsurePartitions moves them into their months.

CREATE TABLE article_events_by_month (LIKE article_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (at);
CREATE TABLE article_events_default PARTITION OF article_events_by_month DEFAULT;
INSERT INTO article_events_by_month SELECT * FROM article_events;
DROP TABLE article_events;
ALTER TABLE article_events_by_month RENAME TO article_events;

ALTER TABLE article_events ADD CONSTRAINT article_events_pkey PRIMARY KEY (article_id, seq, at);
ALTER TABLE article_events ADD CONSTRAINT article_events_article_id_fkey
    FOREIGN KEY (article_id) REFERENCES articles (id);
