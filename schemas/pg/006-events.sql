-- aiproj store schema, migration 006 (PostgreSQL): the events the other
-- tables do not keep, as schemas/006-events.sql (see there for the kinds).

CREATE TABLE event (
	id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	project_id BIGINT NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kind       TEXT COLLATE "C" NOT NULL CHECK (kind IN ('note', 'hold',
	           'resume', 'close', 'reopen', 'unassign', 'component-add',
	           'component-remove', 'due')),
	subject    TEXT COLLATE "C",
	detail     TEXT COLLATE "C",
	note       TEXT COLLATE "C",
	actor      TEXT COLLATE "C" NOT NULL,
	at         TEXT COLLATE "C" NOT NULL
);
CREATE INDEX event_project ON event (project_id, id);
CREATE INDEX event_due ON event (project_id, kind, subject, id);
CREATE INDEX event_at ON event (at);
