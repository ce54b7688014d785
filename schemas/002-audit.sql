-- aiproj store schema, version 2: the audit log of authorization refusals.
-- With `policy: roles` (meta 'policy'), a move, approval or decision by an
-- actor without the needed role is refused and recorded here, in a
-- transaction of its own after the refused command rolled back.

CREATE TABLE audit (
	id      INTEGER PRIMARY KEY,
	at      TEXT NOT NULL,
	actor   TEXT NOT NULL,
	action  TEXT NOT NULL, -- advance, back, approve, decide
	project TEXT NOT NULL,
	stage   TEXT NOT NULL,
	detail  TEXT NOT NULL
) STRICT;
