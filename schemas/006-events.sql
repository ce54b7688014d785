-- aiproj store schema, migration 006: the events the other tables do not
-- keep, so that `aiproj log` can show every change with who and when:
--   note              aiproj note: note is the text
--   hold, resume,     a status change: note is the reason
--   close
--   reopen            gate reopen: subject is the criterion id
--   unassign          role unassign: subject the role, detail the person
--   component-add,    component add/remove: subject the component,
--   component-remove  detail the owner role
--   due               stage due: subject the stage, detail the date
--                     (YYYY-MM-DD); the latest due of a stage counts
-- Append-only, like transition: rows go only with their project.

CREATE TABLE event (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kind       TEXT NOT NULL CHECK (kind IN ('note', 'hold', 'resume',
	           'close', 'reopen', 'unassign', 'component-add',
	           'component-remove', 'due')),
	subject    TEXT,
	detail     TEXT,
	note       TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX event_project ON event (project_id, id);
CREATE INDEX event_due ON event (project_id, kind, subject, id);
CREATE INDEX event_at ON event (at);
