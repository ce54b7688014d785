-- aiproj store schema, migration 008 (PostgreSQL): people, as
-- schemas/008-person.sql.  One person per name whatever its case and
-- spacing (`key`, person_key() in the engine); `name` as first written,
-- what assignment.person holds; person_name every name a person has been
-- written with; person_event each person's history.  Existing stores get
-- their people from the names of assignments, approvals and
-- administrators, in aiproj's C code right after this script, in the same
-- transaction.

CREATE TABLE person (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	key        TEXT COLLATE "C" NOT NULL UNIQUE,
	name       TEXT COLLATE "C" NOT NULL UNIQUE,
	email      TEXT COLLATE "C",
	handle     TEXT COLLATE "C",
	created_at TEXT COLLATE "C" NOT NULL
);

CREATE TABLE person_name (
	name      TEXT COLLATE "C" PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE
);
CREATE INDEX person_name_person ON person_name (person_id);

CREATE TABLE person_event (
	id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	person_id BIGINT NOT NULL REFERENCES person (id) ON DELETE CASCADE,
	kind      TEXT COLLATE "C" NOT NULL CHECK (kind IN ('add', 'set',
	          'rename', 'merge', 'reassign')),
	subject   TEXT COLLATE "C",
	detail    TEXT COLLATE "C",
	actor     TEXT COLLATE "C" NOT NULL,
	at        TEXT COLLATE "C" NOT NULL
);
CREATE INDEX person_event_person ON person_event (person_id, id);
