-- aiproj store schema, migration 023: the hash chains' and the feed's
-- functions of a PostgreSQL store made cheaper, their results the same
-- (schemas/pg/023-chain-plpgsql.sql).
-- A file store's chains are hashed by aiproj itself; nothing changes here.
-- The migration keeps both stores' versions in step.
SELECT 1;
