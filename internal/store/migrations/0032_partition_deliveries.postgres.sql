-- Outcomes (deliveries) become a table partitioned by month of their slot
-- date, so that the months being written and read stay small and old
-- months can be detached. PostgreSQL wants the partition key in every
-- unique constraint, so the two global promises move to a narrow,
-- unpartitioned table kept by a trigger: one id per outcome, and one
-- outcome per article per assignment whatever its date. The tables that
-- refer to an outcome refer to that key table. Rows start in the DEFAULT
-- partition; store.EnsurePartitions moves them into their months.

CREATE TABLE delivery_keys (
    id            TEXT PRIMARY KEY,
    article_id    TEXT NOT NULL,
    assignment_id TEXT NOT NULL,
    date          TEXT NOT NULL,
    UNIQUE (article_id, assignment_id)
);
INSERT INTO delivery_keys (id, article_id, assignment_id, date)
SELECT id, article_id, assignment_id, date FROM deliveries;

ALTER TABLE delivery_proofs DROP CONSTRAINT IF EXISTS delivery_proofs_delivery_id_fkey;
ALTER TABLE delivery_proofs ADD CONSTRAINT delivery_proofs_delivery_id_fkey
    FOREIGN KEY (delivery_id) REFERENCES delivery_keys (id);
ALTER TABLE reviews DROP CONSTRAINT IF EXISTS reviews_delivery_id_fkey;
ALTER TABLE reviews ADD CONSTRAINT reviews_delivery_id_fkey
    FOREIGN KEY (delivery_id) REFERENCES delivery_keys (id);
ALTER TABLE remittance_lines DROP CONSTRAINT IF EXISTS remittance_lines_delivery_id_fkey;
ALTER TABLE remittance_lines ADD CONSTRAINT remittance_lines_delivery_id_fkey
    FOREIGN KEY (delivery_id) REFERENCES delivery_keys (id);

CREATE TABLE deliveries_by_month (LIKE deliveries INCLUDING DEFAULTS INCLUDING CONSTRAINTS)
    PARTITION BY RANGE (date);
CREATE TABLE deliveries_default PARTITION OF deliveries_by_month DEFAULT;
INSERT INTO deliveries_by_month SELECT * FROM deliveries;
DROP TABLE deliveries;
ALTER TABLE deliveries_by_month RENAME TO deliveries;

ALTER TABLE deliveries ADD CONSTRAINT deliveries_pkey PRIMARY KEY (id, date);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_article_id_fkey FOREIGN KEY (article_id) REFERENCES articles (id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_dc_id_fkey FOREIGN KEY (dc_id) REFERENCES dcs (id);
ALTER TABLE deliveries ADD CONSTRAINT deliveries_postman_id_fkey FOREIGN KEY (postman_id) REFERENCES users (id);
CREATE INDEX deliveries_one_per_assignment ON deliveries (article_id, assignment_id);
CREATE INDEX deliveries_dc_day ON deliveries (dc_id, date, slot);
CREATE INDEX deliveries_postman ON deliveries (postman_id, created_at);

-- The key row is written before the outcome's, so a second outcome for an
-- assignment (or a reused id) fails with a unique violation, as before.
CREATE FUNCTION delivery_keys_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO delivery_keys (id, article_id, assignment_id, date)
    VALUES (NEW.id, NEW.article_id, NEW.assignment_id, NEW.date);
    RETURN NEW;
END
$$;
CREATE TRIGGER deliveries_keys_insert BEFORE INSERT ON deliveries
    FOR EACH ROW EXECUTE FUNCTION delivery_keys_insert();

CREATE FUNCTION delivery_keys_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE delivery_keys SET id = NEW.id, article_id = NEW.article_id,
        assignment_id = NEW.assignment_id, date = NEW.date
    WHERE id = OLD.id;
    RETURN NULL;
END
$$;
CREATE TRIGGER deliveries_keys_update AFTER UPDATE OF id, article_id, assignment_id, date ON deliveries
    FOR EACH ROW EXECUTE FUNCTION delivery_keys_update();
