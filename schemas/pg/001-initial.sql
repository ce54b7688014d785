-- aiproj store schema, version 1 (PostgreSQL): the tables of
-- schemas/001-initial.sql, column for column.
-- Applied by `aiproj` itself in one transaction under a transaction-level
-- advisory lock; meta 'schema_version' records the version and meta
-- 'application' = 'aiproj' marks an aiproj store (both written by aiproj
-- after the migrations).  Stages and roles are stored by slug; times are
-- TEXT exactly as given (UTC, milliseconds); every text column sorts and
-- compares bytewise (COLLATE "C"), as SQLite's BINARY collation does.

CREATE TABLE meta (
	key   TEXT COLLATE "C" PRIMARY KEY,
	value TEXT COLLATE "C" NOT NULL
);

CREATE TABLE project (
	id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	name          TEXT COLLATE "C" NOT NULL UNIQUE,
	description   TEXT COLLATE "C" NOT NULL DEFAULT '',
	status        TEXT COLLATE "C" NOT NULL DEFAULT 'active'
	              CHECK (status IN ('active', 'on-hold', 'closed')),
	status_reason TEXT COLLATE "C",
	outcome       TEXT COLLATE "C",
	stage         TEXT COLLATE "C" NOT NULL,
	epoch         BIGINT NOT NULL DEFAULT 0, -- bumped by every transition
	entered_at    TEXT COLLATE "C" NOT NULL,
	created_at    TEXT COLLATE "C" NOT NULL
);
CREATE INDEX project_stage ON project (stage);

-- Append-only: rows are never updated, only removed with their project.
CREATE TABLE transition (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	from_stage TEXT COLLATE "C" NOT NULL,
	to_stage   TEXT COLLATE "C" NOT NULL,
	kind       TEXT COLLATE "C" NOT NULL
	           CHECK (kind IN ('advance', 'back', 'forced')),
	actor      TEXT COLLATE "C" NOT NULL,
	reason     TEXT COLLATE "C",
	at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX transition_project ON transition (project_id, id);

CREATE TABLE criterion (
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	id         BIGINT NOT NULL, -- numbered per project from 1
	stage      TEXT COLLATE "C" NOT NULL,
	text       TEXT COLLATE "C" NOT NULL,
	done       INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
	done_by    TEXT COLLATE "C",
	done_at    TEXT COLLATE "C",
	note       TEXT COLLATE "C",
	PRIMARY KEY (project_id, id)
);
CREATE INDEX criterion_stage ON criterion (project_id, stage);

CREATE TABLE assignment (
	project_id  BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	role        TEXT COLLATE "C" NOT NULL,
	person      TEXT COLLATE "C" NOT NULL,
	assigned_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (project_id, role, person)
);
CREATE INDEX assignment_person ON assignment (person);

CREATE TABLE decision (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('make', 'buy')),
	cost       DOUBLE PRECISION,
	reason     TEXT COLLATE "C" NOT NULL,
	actor      TEXT COLLATE "C" NOT NULL,
	at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX decision_project ON decision (project_id, id);

CREATE TABLE kpi (
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	name       TEXT COLLATE "C" NOT NULL,
	op         TEXT COLLATE "C" NOT NULL
	           CHECK (op IN ('>=', '>', '<=', '<', '==')),
	target     DOUBLE PRECISION NOT NULL,
	created_at TEXT COLLATE "C" NOT NULL,
	PRIMARY KEY (project_id, name)
);

CREATE TABLE kpi_reading (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL,
	kpi        TEXT COLLATE "C" NOT NULL,
	value      DOUBLE PRECISION NOT NULL,
	actor      TEXT COLLATE "C" NOT NULL,
	at         TEXT COLLATE "C" NOT NULL,
	FOREIGN KEY (project_id, kpi) REFERENCES kpi (project_id, name)
		ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX kpi_reading_kpi ON kpi_reading (project_id, kpi, id);

-- An approval counts for the gate while the project is still in the stage
-- and epoch it was given in.
CREATE TABLE approval (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	stage      TEXT COLLATE "C" NOT NULL,
	epoch      BIGINT NOT NULL,
	person     TEXT COLLATE "C" NOT NULL,
	role       TEXT COLLATE "C" NOT NULL,
	note       TEXT COLLATE "C",
	at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX approval_project ON approval (project_id, epoch);

CREATE TABLE component (
	project_id  BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	name        TEXT COLLATE "C" NOT NULL,
	owner       TEXT COLLATE "C" NOT NULL,
	description TEXT COLLATE "C" NOT NULL DEFAULT '',
	PRIMARY KEY (project_id, name)
);
