-- aiproj store schema: the monitoring records join the hash chains
-- (schemas/007-hash-chain.sql, docs/security.md).  A project's releases
-- are one chain in id order, and the changes of each KPI (kpi set, kpi
-- remove) one chain in id order; a release's hash covers its end (ended,
-- ended_by, ended_at, end_reason), computed again when the live release
-- ends.  A reading's hash covers its breach flag: a breach is one more
-- field, so a reading that is no breach keeps the hash it had.
-- aiproj hashes the rows a store already holds right after this script,
-- from its C code, in the same transaction: every release and KPI change,
-- and the reading chains that hold a breach.

ALTER TABLE prod_release ADD COLUMN prev TEXT;
ALTER TABLE prod_release ADD COLUMN hash TEXT;
ALTER TABLE kpi_change ADD COLUMN prev TEXT;
ALTER TABLE kpi_change ADD COLUMN hash TEXT;

-- each KPI's changes in order, and the last one, from an index
CREATE INDEX kpi_change_chain ON kpi_change (project_id, kpi, id);
