-- aiproj store schema, migration 025: where a custom lifecycle's stage
-- has no role of the kind a rule of the `roles` policy asks for (no
-- accountable role; or neither an accountable nor a responsible one), the
-- store's administrators stand in for it (schemas/pg/025-stand-in.sql).
-- A file store's policy is aiproj's own (engine_auth.c): nothing changes
-- here.  The migration keeps both stores' versions in step.
SELECT 1;
