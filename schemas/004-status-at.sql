-- aiproj store schema, version 4: project.status_at, when the project's
-- status last changed (created: active; project hold, resume, close; a buy
-- decision, which closes it).  A closed project's clock stops there: its
-- time in stage runs from entered_at to status_at, not to now.
-- aiproj always writes it; the empty default only lets SQLite add the
-- column to existing rows, which the UPDATE below then fills.
--
-- Older stores did not record status changes, so existing rows get the
-- latest time the store has that the change cannot have come before:
--   active   created_at (a hold and resume left no trace);
--   on-hold  the latest of entered_at (the time of the last move), its
--            decisions and its approvals: only an active project moves,
--            decides or is approved;
--   closed   the latest of those and of everything else it records (KPIs,
--            readings, ticked criteria, assignments): nothing changes a
--            closed project, and a buy decision closes it at its own time.

ALTER TABLE project ADD COLUMN status_at TEXT NOT NULL DEFAULT '';

UPDATE project SET status_at = CASE
	WHEN status = 'active' THEN created_at
	WHEN status = 'on-hold' THEN max(entered_at,
		coalesce((SELECT max(at) FROM decision x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(at) FROM approval x
		          WHERE x.project_id = project.id), ''))
	ELSE max(entered_at,
		coalesce((SELECT max(at) FROM decision x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(at) FROM approval x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(created_at) FROM kpi x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(at) FROM kpi_reading x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(done_at) FROM criterion x
		          WHERE x.project_id = project.id), ''),
		coalesce((SELECT max(assigned_at) FROM assignment x
		          WHERE x.project_id = project.id), ''))
	END;
