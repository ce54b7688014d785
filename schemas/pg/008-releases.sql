-- aiproj store schema, migration 008 (PostgreSQL): releases and
-- monitoring, as schemas/008-releases.sql (see there for the columns).

CREATE TABLE prod_release (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	version    TEXT COLLATE "C" NOT NULL,
	artifact   TEXT COLLATE "C",
	digest     TEXT COLLATE "C",
	commit_sha TEXT COLLATE "C",
	note       TEXT COLLATE "C",
	actor      TEXT COLLATE "C" NOT NULL,
	at         TEXT COLLATE "C" NOT NULL,
	ended      TEXT COLLATE "C" CHECK (ended IN ('superseded', 'retired')),
	ended_by   TEXT COLLATE "C",
	ended_at   TEXT COLLATE "C",
	end_reason TEXT COLLATE "C",
	UNIQUE (project_id, version)
);
CREATE UNIQUE INDEX prod_release_live ON prod_release (project_id)
	WHERE ended IS NULL;

CREATE TABLE kpi_change (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kpi        TEXT COLLATE "C" NOT NULL,
	kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('set', 'remove')),
	op         TEXT COLLATE "C" NOT NULL,
	target     DOUBLE PRECISION NOT NULL,
	was_op     TEXT COLLATE "C" NOT NULL,
	was_target DOUBLE PRECISION NOT NULL,
	reason     TEXT COLLATE "C",
	actor      TEXT COLLATE "C" NOT NULL,
	at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX kpi_change_project ON kpi_change (project_id, id);

ALTER TABLE kpi ADD COLUMN removed_at TEXT COLLATE "C";
ALTER TABLE kpi_reading ADD COLUMN breach INTEGER NOT NULL DEFAULT 0
	CHECK (breach IN (0, 1));
