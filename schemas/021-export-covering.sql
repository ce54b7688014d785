-- aiproj store schema, migration 021: the export reads each list of a
-- project from an index alone.  `aiproj export` walks the projects in name
-- order and reads each one's rows of every list (store_export.c); the rows
-- of a table with a rowid are written as they come, so one project's lie
-- on as many pages of the table as it has rows, and reading them in name
-- order read a page of the file at random for each row: three million
-- reads for the 100,000 projects of tests/bench/gen.sh.  Each index below
-- starts as the one the export searched (project_id, then its order) and
-- then holds the rest of the columns the export reads, so that the rows of
-- a project are side by side in it and the table itself is not read.  The
-- indexes keep their names and the columns they started with: every other
-- query that used one uses it as before.  A migration that rebuilds one of
-- these tables must create its index again with all these columns.
DROP INDEX decision_project;
CREATE INDEX decision_project ON decision (project_id, id, kind, cost, reason,
	actor, at);
DROP INDEX kpi_reading_kpi;
CREATE INDEX kpi_reading_kpi ON kpi_reading (project_id, kpi, id, value,
	actor, at, breach, hash);
DROP INDEX kpi_change_project;
CREATE INDEX kpi_change_project ON kpi_change (project_id, id, kpi, kind, op,
	target, was_op, was_target, reason, actor, at, hash);
DROP INDEX approval_chain;
CREATE INDEX approval_chain ON approval (project_id, id, stage, epoch, person,
	role, note, at, hash);
DROP INDEX transition_project;
CREATE INDEX transition_project ON transition (project_id, id, from_stage,
	to_stage, kind, actor, reason, at, hash);
DROP INDEX event_project;
CREATE INDEX event_project ON event (project_id, id, kind, subject, detail,
	note, actor, at);
CREATE INDEX prod_release_project ON prod_release (project_id, id, version,
	artifact, digest, commit_sha, note, actor, at, ended, ended_by, ended_at,
	end_reason, hash);
