-- Outcomes are partitioned by month on PostgreSQL only (see the .postgres
-- variant); SQLite serves one centre's volumes and keeps one table.
SELECT 1;
