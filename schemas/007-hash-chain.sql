-- aiproj store schema: hash chains over the append-only rows (history,
-- approvals, KPI readings, the audit log).  Each row carries `prev`, the
-- hash of the row before it in its chain, and `hash`, the SHA-256 of its
-- canonical encoding (docs/security.md).  A project has three chains
-- (its history, its approvals, and the readings of each KPI), each in id order; the audit
-- log is one chain for the whole store.
-- aiproj computes the hashes when it writes a row; the rows a store
-- already holds get theirs right after this script, from aiproj's C code
-- (SQLite has no SHA-256), in the same transaction.

ALTER TABLE transition ADD COLUMN prev TEXT;
ALTER TABLE transition ADD COLUMN hash TEXT;
ALTER TABLE approval ADD COLUMN prev TEXT;
ALTER TABLE approval ADD COLUMN hash TEXT;
ALTER TABLE kpi_reading ADD COLUMN prev TEXT;
ALTER TABLE kpi_reading ADD COLUMN hash TEXT;
ALTER TABLE audit ADD COLUMN prev TEXT;
ALTER TABLE audit ADD COLUMN hash TEXT;

-- each project's approvals in order, and the last one, from an index
CREATE INDEX approval_chain ON approval (project_id, id);
