-- aiproj store schema, migration 011: what is live in production, and
-- monitoring.
--   prod_release  `aiproj release add`: a version that went live, with its
--                 artifact, digest, commit and note.  At most one release
--                 of a project is live (ended IS NULL); adding one ends the
--                 live one as 'superseded', `release retire` ends it as
--                 'retired' with a reason.
--   kpi_change    `kpi set` (a new target) and `kpi remove` (the KPI is
--                 kept with its readings, marked removed): op and target
--                 are the definition after the change (a remove: the one
--                 removed), was_op and was_target the one before.
--   kpi.removed_at  when `kpi remove` removed it (NULL: in force).
--   kpi_reading.breach  1 when the reading missed its target while the
--                 project had a live release: a breach event.
-- Append-only but for ended: rows go only with their project.

CREATE TABLE prod_release (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	version    TEXT NOT NULL,
	artifact   TEXT,
	digest     TEXT,
	commit_sha TEXT,
	note       TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL,
	ended      TEXT CHECK (ended IN ('superseded', 'retired')),
	ended_by   TEXT,
	ended_at   TEXT,
	end_reason TEXT,
	UNIQUE (project_id, version)
) STRICT;
CREATE UNIQUE INDEX prod_release_live ON prod_release (project_id)
	WHERE ended IS NULL;

CREATE TABLE kpi_change (
	id         INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES project (id) ON DELETE CASCADE,
	kpi        TEXT NOT NULL,
	kind       TEXT NOT NULL CHECK (kind IN ('set', 'remove')),
	op         TEXT NOT NULL,
	target     REAL NOT NULL,
	was_op     TEXT NOT NULL,
	was_target REAL NOT NULL,
	reason     TEXT,
	actor      TEXT NOT NULL,
	at         TEXT NOT NULL
) STRICT;
CREATE INDEX kpi_change_project ON kpi_change (project_id, id);

ALTER TABLE kpi ADD COLUMN removed_at TEXT;
ALTER TABLE kpi_reading ADD COLUMN breach INTEGER NOT NULL DEFAULT 0
	CHECK (breach IN (0, 1));

-- The event feed (schemas/009-feed.sql): a release is two events of the
-- log, when it went live (feed_id) and when it ended (end_feed_id); a KPI
-- change is one.  The tables are new: no rows to number.
ALTER TABLE prod_release ADD COLUMN feed_id INTEGER;
ALTER TABLE prod_release ADD COLUMN end_feed_id INTEGER;
ALTER TABLE kpi_change ADD COLUMN feed_id INTEGER;
CREATE INDEX prod_release_feed_id ON prod_release (feed_id);
CREATE INDEX prod_release_end_feed_id ON prod_release (end_feed_id);
CREATE INDEX kpi_change_feed_id ON kpi_change (feed_id);
-- (a release imported as ended: its end is the next id)
CREATE TRIGGER prod_release_feed AFTER INSERT ON prod_release BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE prod_release SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
	UPDATE feed_counter SET last = last + 1 WHERE NEW.ended IS NOT NULL;
	UPDATE prod_release SET end_feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id AND NEW.ended IS NOT NULL;
END;
CREATE TRIGGER prod_release_feed_end AFTER UPDATE OF ended ON prod_release
WHEN OLD.ended IS NULL AND NEW.ended IS NOT NULL BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE prod_release SET end_feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
CREATE TRIGGER kpi_change_feed AFTER INSERT ON kpi_change BEGIN
	UPDATE feed_counter SET last = last + 1;
	UPDATE kpi_change SET feed_id = (SELECT last FROM feed_counter)
	WHERE id = NEW.id;
END;
