-- aiproj store schema (PostgreSQL), migration 010: parallel stages, as
-- schemas/010-stage-start.sql.  A transition of kind 'start' starts a stage
-- early (aiproj stage start); it moves nothing and bumps no epoch.

ALTER TABLE transition DROP CONSTRAINT transition_kind_check;
ALTER TABLE transition ADD CONSTRAINT transition_kind_check
	CHECK (kind IN ('advance', 'back', 'forced', 'start'));
