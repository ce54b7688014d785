-- aiproj store schema, migration 010: people.  One person per name
-- whatever its case and spacing: `key` is the name as people are told
-- apart (person_key() in the engine: ASCII letters in lower case, runs of
-- spaces, U+00A0 and the other Unicode spaces one space, none at the
-- ends); `name` is the name as it was first written, and is what
-- assignment.person holds.  `role assign` makes a person it does not know;
-- `person add` and `person set` give one an email and a handle.
--
-- person_name keeps every name a person has been written with, so that
-- the rows history keeps as they were written (approvals, actors) still
-- find their person after a rename or a merge.
--
-- person_event is each person's history (the commands person add, set,
-- rename, merge and role reassign), with who and when:
--   add       person add
--   set       person set: detail says what changed
--   rename    person rename: subject is the old name
--   merge     person merge: subject is the name merged into this one
--   reassign  role reassign: subject is the person the roles came from,
--             detail the assignments moved
-- Existing stores get their people from the names of assignments,
-- approvals and administrators, in aiproj's C code right after this
-- script (the key needs it), in the same transaction.

CREATE TABLE person (
	id         INTEGER PRIMARY KEY,
	key        TEXT NOT NULL UNIQUE,
	name       TEXT NOT NULL UNIQUE,
	email      TEXT,
	handle     TEXT,
	created_at TEXT NOT NULL
) STRICT;

CREATE TABLE person_name (
	name      TEXT PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
CREATE INDEX person_name_person ON person_name (person_id);

CREATE TABLE person_event (
	id        INTEGER PRIMARY KEY,
	person_id INTEGER NOT NULL REFERENCES person (id) ON DELETE CASCADE,
	kind      TEXT NOT NULL CHECK (kind IN ('add', 'set', 'rename',
	          'merge', 'reassign')),
	subject   TEXT,
	detail    TEXT,
	actor     TEXT NOT NULL,
	at        TEXT NOT NULL
) STRICT;
CREATE INDEX person_event_person ON person_event (person_id, id);
