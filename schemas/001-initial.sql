-- aiproj store schema, version 1 (SQLite).
-- Applied by `aiproj` itself inside BEGIN IMMEDIATE; PRAGMA user_version
-- records the version and PRAGMA application_id marks an aiproj store.
-- Stages and roles are stored by slug so that a store's own lifecycle
-- (meta 'lifecycle') can define any number of them.

CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT;

CREATE TABLE project (
	id            INTEGER PRIMARY KEY,
	name          TEXT NOT NULL UNIQUE,
	description   TEXT NOT NULL DEFAULT '',
	status        TEXT NOT NULL DEFAULT 'active'
	              CHECK (status IN ('active', 'on-hold', 'closed')),
	status_reason TEXT,
	outcome       TEXT,
	stage         TEXT NOT NULL,
	epoch         INTEGER NOT NULL DEFAULT 0, -- bumped by every transition
	entered_at    TEXT NOT NULL,
	created_at    TEXT NOT NULL
) STRICT;
CREATE INDEX project_stage ON project (stage);

-- Append-only: rows are never updated, only removed with their project.
CREATE TABLE transition (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	from_stage TEXT NOT NULL,
	to_stage   TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('advance', 'back', 'forced')),
	actor      TEXT NOT NULL,
	reason     TEXT,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX transition_project ON transition (project_id, id);

CREATE TABLE criterion (
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	id         INTEGER NOT NULL, -- numbered per project from 1
	stage      TEXT NOT NULL,
	text       TEXT NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
	done_by    TEXT,
	done_at    TEXT,
	note       TEXT,
	PRIMARY KEY (project_id, id)
) STRICT, WITHOUT ROWID;
CREATE INDEX criterion_stage ON criterion (project_id, stage);

CREATE TABLE assignment (
	project_id  INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	role        TEXT NOT NULL,
	person      TEXT NOT NULL,
	assigned_at TEXT NOT NULL,
	PRIMARY KEY (project_id, role, person)
) STRICT, WITHOUT ROWID;
CREATE INDEX assignment_person ON assignment (person);

CREATE TABLE decision (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('make', 'buy')),
	cost       REAL,
	reason     TEXT NOT NULL,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX decision_project ON decision (project_id, id);

CREATE TABLE kpi (
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	name       TEXT NOT NULL,
	op         TEXT NOT NULL CHECK (op IN ('>=', '>', '<=', '<', '==')),
	target     REAL NOT NULL,
	created_at TEXT NOT NULL,
	PRIMARY KEY (project_id, name)
) STRICT, WITHOUT ROWID;

CREATE TABLE kpi_reading (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL,
	kpi        TEXT NOT NULL,
	value      REAL NOT NULL,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL,
	FOREIGN KEY (project_id, kpi) REFERENCES kpi (project_id, name)
		ON DELETE CASCADE ON UPDATE CASCADE
) STRICT;
CREATE INDEX kpi_reading_kpi ON kpi_reading (project_id, kpi, id);

-- An approval counts for the gate while the project is still in the stage
-- and epoch it was given in.
CREATE TABLE approval (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	stage      TEXT NOT NULL,
	epoch      INTEGER NOT NULL,
	person     TEXT NOT NULL,
	role       TEXT NOT NULL,
	note       TEXT,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX approval_project ON approval (project_id, epoch);

CREATE TABLE component (
	project_id  INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	name        TEXT NOT NULL,
	owner       TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (project_id, name)
) STRICT, WITHOUT ROWID;
