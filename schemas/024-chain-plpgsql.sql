-- aiproj store schema, migration 024: the hash chains' functions of a
-- PostgreSQL store made in PL/pgSQL (schemas/pg/024-chain-plpgsql.sql).
-- A file store's chains are hashed by aiproj itself; nothing changes here.
-- The migration keeps both stores' versions in step.
SELECT 1;
