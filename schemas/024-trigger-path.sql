-- aiproj store schema, migration 024: the trigger functions a PostgreSQL
-- store runs for each row an import writes made cheaper, their work and
-- rights the same (schemas/pg/024-trigger-path.sql).
-- A file store's triggers are aiproj's own; nothing changes here.
-- The migration keeps both stores' versions in step.
SELECT 1;
