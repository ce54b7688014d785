-- aiproj store schema, migration 014: handovers and people's titles.
--   component.version   `component add --version`: the component's version,
--                       or NULL
--   assignment.title    `role assign --title`: what the person is in the
--                       role (requester, champion, data architect), or NULL
--   event 'handover'    `component handover`: subject the component,
--                       detail the owner role it was handed to, note the
--                       reason; the owner before it is the detail of the
--                       component's previous handover or component-add
-- SQLite cannot change a CHECK in place, so the event table is rebuilt
-- with its rows, ids and feed ids as they were, its indexes and its
-- trigger (schemas/006-events.sql, schemas/009-feed.sql).

ALTER TABLE component ADD COLUMN version TEXT;
ALTER TABLE assignment ADD COLUMN title TEXT;

CREATE TABLE event_new (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('note', 'hold', 'resume',
	           'close', 'reopen', 'unassign', 'component-add',
	           'component-remove', 'due', 'handover')),
	subject    TEXT,
	detail     TEXT,
	note       TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL,
	feed_id    INTEGER
) STRICT;
INSERT INTO event_new (id, project_id, kind, subject, detail, note, actor,
	at, feed_id)
	SELECT id, project_id, kind, subject, detail, note, actor, at, feed_id
	FROM event;
DROP TABLE event;
ALTER TABLE event_new RENAME TO event;
CREATE INDEX event_project ON event (project_id, id);
CREATE INDEX event_due ON event (project_id, kind, subject, id);
CREATE INDEX event_at ON event (at);
CREATE INDEX event_feed_id ON event (feed_id);
CREATE TRIGGER event_feed AFTER INSERT ON event BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE event SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
