-- aiproj store schema, migration 008: what is live in production, and
-- monitoring.
--   prod_release  `aiproj release add`: a version that went live, with its
--                 artifact, digest, commit and note.  At most one release
--                 of a project is live (ended IS NULL); adding one ends the
--                 live one as 'superseded', `release retire` ends it as
--                 'retired' with a reason.
--   kpi_change    `kpi set` (a new target) and `kpi remove` (the KPI is
--                 kept with its readings, marked removed): op and target
--                 are the definition after the change (a remove: the one
--                 removed), was_op and was_target the one before.
--   kpi.removed_at  when `kpi remove` removed it (NULL: in force).
--   kpi_reading.breach  1 when the reading missed its target while the
--                 project had a live release: a breach event.
-- Append-only but for ended: rows go only with their project.

CREATE TABLE prod_release (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	version    TEXT NOT NULL,
	artifact   TEXT,
	digest     TEXT,
	commit_sha TEXT,
	note       TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL,
	ended      TEXT CHECK (ended IN ('superseded', 'retired')),
	ended_by   TEXT,
	ended_at   TEXT,
	end_reason TEXT,
	UNIQUE (project_id, version)
) STRICT;
CREATE UNIQUE INDEX prod_release_live ON prod_release (project_id)
	WHERE ended IS NULL;

CREATE TABLE kpi_change (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kpi        TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('set', 'remove')),
	op         TEXT NOT NULL,
	target     REAL NOT NULL,
	was_op     TEXT NOT NULL,
	was_target REAL NOT NULL,
	reason     TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX kpi_change_project ON kpi_change (project_id, id);

ALTER TABLE kpi ADD COLUMN removed_at TEXT;
ALTER TABLE kpi_reading ADD COLUMN breach INTEGER NOT NULL DEFAULT 0
	CHECK (breach IN (0, 1));
