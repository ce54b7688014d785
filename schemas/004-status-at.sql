-- aiproj store schema, version 4: project.status_at, when the project's
-- status last changed (created: active; project hold, resume, close; a buy
-- decision, which closes it).  A closed project's clock stops there: its
-- time in stage runs from entered_at to status_at, not to now.
-- aiproj always writes it; the empty default only lets SQLite add the
-- column to existing rows, which the UPDATE below then fills.
--
-- Older stores did not record status changes, so existing rows get the
-- best time the store has:
--   active               created_at (a hold and resume left no trace);
--   on-hold and closed   the latest of entered_at (the time of the last
--                        move: only an active project moves) and the
--                        project's latest decision (a buy decision closes
--                        the project at its own time).

ALTER TABLE project ADD COLUMN status_at TEXT NOT NULL DEFAULT '';

UPDATE project SET status_at = CASE
	WHEN status = 'active' THEN created_at
	ELSE max(entered_at, coalesce((SELECT max(d.at) FROM decision d
	                               WHERE d.project_id = project.id),
	                              entered_at))
	END;
