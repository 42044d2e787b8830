-- Tracking events are partitioned by month on PostgreSQL only (see the
-- .postgres variant); SQLite keeps one table.
SELECT 1;
