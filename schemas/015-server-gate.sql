-- aiproj store schema, migration 015: the gate of an advance, checked by
-- the server of a PostgreSQL store (schemas/pg/015-server-gate.sql).  A
-- file store has no server: aiproj checks the gate before it writes, and
-- the file's writer could change any row anyway.  Nothing changes here; the
-- migration keeps both stores' versions in step.
SELECT 1;
