-- aiproj store schema, version 2 (PostgreSQL): the audit log of
-- authorization refusals, as schemas/002-audit.sql.
-- With `policy: roles` (meta 'policy'), a move, approval or decision by an
-- actor without the needed role is refused and recorded here, in a
-- transaction of its own after the refused command rolled back.

CREATE TABLE audit (
	id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	at      TEXT COLLATE "C" NOT NULL,
	actor   TEXT COLLATE "C" NOT NULL,
	action  TEXT COLLATE "C" NOT NULL, -- advance, back, approve, decide
	project TEXT COLLATE "C" NOT NULL,
	stage   TEXT COLLATE "C" NOT NULL,
	detail  TEXT COLLATE "C" NOT NULL
);
