-- aiproj store schema, migration 008: the policy enforced by a PostgreSQL
-- server (schemas/pg/008-server-policy.sql: its rule table, its copy of
-- the lifecycle's A and R roles, and the triggers that check every row a
-- member writes).  An SQLite file has no server to enforce anything: who
-- may write the file decides, and aiproj's own check applies the policy
-- (docs/security.md).  Here the migration only records the version.

SELECT 1;
