-- Operations metrics: the sync-lag collector finds the manifests sent out
-- in the last day by their dispatch time, then each postman's latest
-- outcome through deliveries_postman. Partial, so manifests never sent
-- out cost nothing.
CREATE INDEX manifests_dispatched ON manifests (dispatched_at) WHERE dispatched_at IS NOT NULL;
