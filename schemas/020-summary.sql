-- aiproj store schema, migration 020: a summary row a project for `report
-- status` (and gaps and the page, which read the same rows), so a report
-- over the whole portfolio reads one row a project instead of a dozen
-- index lookups.
--
-- project_summary holds, for each project, what the status report reads:
-- the project's own columns (name, status, stage, ...: keyed by name, the
-- report walks this table alone, in order) and those that come from other
-- tables: the current stage's criteria ("total:done"), the latest
-- decision, the KPIs counted, the approvals of the current gate that count
-- ("count:role,role"), the back-jumps, the roles held, the due date of the
-- current stage.  Nothing time-dependent is stored: days in stage and
-- overdue are computed when the report is read.  The view summary_live
-- computes the same columns from the live tables (the report's SQL before
-- this migration); a row is made from it and nothing else.
--
-- summary_dirty lists the projects whose row may be out of date.  The
-- triggers below list a project whenever a row its summary depends on
-- changes, whoever writes (aiproj, the sqlite3 shell), and a new project
-- is listed when it is inserted, so every project has an up-to-date row or
-- is listed.  A report reads a listed project from summary_live, so a
-- summary never makes a report wrong (src/store_report.c).  At the end of
-- each of its write transactions aiproj makes the listed projects' rows
-- again and empties the list (store_summary_refresh()), and right after
-- this script it makes every project's row the same way.

CREATE TABLE project_summary (
	-- the project's own columns the report reads, so that the report
	-- walks this table alone, in the order of its key (no sort, no join)
	name       TEXT PRIMARY KEY,
	id         INTEGER NOT NULL UNIQUE, -- the project's
	status     TEXT NOT NULL,
	stage      TEXT NOT NULL,
	epoch      INTEGER NOT NULL,
	entered_at TEXT NOT NULL,
	status_at  TEXT NOT NULL,
	created_at TEXT NOT NULL,
	-- from the other tables
	criteria   TEXT,    -- "total:done" of the current stage's criteria
	decision   TEXT,    -- the latest decision's kind, NULL: none
	has_cost   INTEGER, -- it has a cost (1) or not (0)
	kpis       INTEGER, -- KPIs not removed
	approvals  TEXT,    -- "count:role,role" of the current gate
	back_jumps INTEGER,
	staffed    TEXT,    -- the roles held, comma-separated, or NULL
	due        TEXT     -- the current stage's due date, or NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE summary_dirty (project_id INTEGER PRIMARY KEY) STRICT;

-- The summary as computed from the live tables: what a summary row is made
-- from, and what a report reads for a project without an up-to-date one.
CREATE VIEW summary_live AS SELECT p.name AS name, p.id AS id,
 p.status AS status, p.stage AS stage, p.epoch AS epoch,
 p.entered_at AS entered_at, p.status_at AS status_at,
 p.created_at AS created_at,
 (SELECT count(*) || ':' || count(CASE WHEN c.done <> 0 THEN 1 END)
  FROM criterion c WHERE c.project_id = p.id AND c.stage = p.stage)
  AS criteria,
 (SELECT d.kind FROM decision d WHERE d.id =
  (SELECT max(id) FROM decision WHERE project_id = p.id)) AS decision,
 coalesce((SELECT CASE WHEN d.cost IS NULL THEN 0 ELSE 1 END
  FROM decision d WHERE d.id =
  (SELECT max(id) FROM decision WHERE project_id = p.id)), 0) AS has_cost,
 (SELECT count(*) FROM kpi k WHERE k.project_id = p.id
  AND k.removed_at IS NULL) AS kpis,
 (SELECT count(*) || ':' || coalesce(group_concat(DISTINCT role), '')
  FROM approval a WHERE a.project_id = p.id AND a.epoch = p.epoch
  AND a.stage = p.stage AND (a.role = '' OR EXISTS (SELECT 1
  FROM assignment h WHERE h.project_id = a.project_id AND h.role = a.role
  AND (h.person = a.person OR h.person IN (SELECT pe.name
  FROM person_name pn JOIN person pe ON pe.id = pn.person_id
  WHERE pn.name = a.person))))) AS approvals,
 (SELECT count(*) FROM transition t WHERE t.project_id = p.id
  AND t.kind = 'back') AS back_jumps,
 (SELECT group_concat(DISTINCT role) FROM assignment a
  WHERE a.project_id = p.id) AS staffed,
 (SELECT e.detail FROM event e WHERE e.project_id = p.id AND e.kind = 'due'
  AND e.subject = p.stage ORDER BY e.id DESC LIMIT 1) AS due
FROM project p;

-- a person rename or merge changes whose approvals count: find them by name
CREATE INDEX approval_person ON approval (person);

-- the report's live releases and open breaches start from the projects
-- with a breach (src/store_release.c): the few readings that are one
CREATE INDEX kpi_reading_breach ON kpi_reading (project_id) WHERE breach <> 0;

-- (each lists a project unless it is listed already: not INSERT OR
-- IGNORE, which the statement that fires the trigger would override with
-- its own ON CONFLICT; an UPDATE OF the columns the summary reads, so the
-- feed's own update of a new row's feed_id lists nothing)
CREATE TRIGGER summary_project_ins AFTER INSERT ON project BEGIN
	DELETE FROM project_summary WHERE id = NEW.id;
	INSERT INTO summary_dirty SELECT NEW.id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.id);
END;
CREATE TRIGGER summary_project_upd AFTER UPDATE OF id, name, status, stage,
epoch, entered_at, status_at, created_at ON project BEGIN
	INSERT INTO summary_dirty SELECT OLD.id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.id);
	INSERT INTO summary_dirty SELECT NEW.id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.id);
END;
CREATE TRIGGER summary_project_del AFTER DELETE ON project BEGIN
	DELETE FROM project_summary WHERE id = OLD.id;
END;

CREATE TRIGGER summary_criterion_ins AFTER INSERT ON criterion BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_criterion_upd AFTER UPDATE OF project_id, stage, done
ON criterion BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_criterion_del AFTER DELETE ON criterion BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

CREATE TRIGGER summary_decision_ins AFTER INSERT ON decision BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_decision_upd AFTER UPDATE OF id, project_id, kind, cost
ON decision BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_decision_del AFTER DELETE ON decision BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

CREATE TRIGGER summary_kpi_ins AFTER INSERT ON kpi BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_kpi_upd AFTER UPDATE OF project_id, removed_at
ON kpi BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_kpi_del AFTER DELETE ON kpi BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

CREATE TRIGGER summary_approval_ins AFTER INSERT ON approval BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_approval_upd AFTER UPDATE OF project_id, stage, epoch, person, role
ON approval BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_approval_del AFTER DELETE ON approval BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

CREATE TRIGGER summary_assignment_ins AFTER INSERT ON assignment BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_assignment_upd AFTER UPDATE OF project_id, role, person
ON assignment BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_assignment_del AFTER DELETE ON assignment BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

CREATE TRIGGER summary_transition_ins AFTER INSERT ON transition BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_transition_upd AFTER UPDATE OF project_id, kind
ON transition BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_transition_del AFTER DELETE ON transition BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

-- (only a due date is read from the events)
CREATE TRIGGER summary_event_ins AFTER INSERT ON event
WHEN NEW.kind = 'due' BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_event_upd AFTER UPDATE OF id, project_id, kind, subject, detail
ON event BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_event_del AFTER DELETE ON event
WHEN OLD.kind = 'due' BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

-- An approval counts when its giver, under any of their names, holds the
-- role: a person's names and their name now decide it.
CREATE TRIGGER summary_person_name_ins AFTER INSERT ON person_name BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id FROM approval a
	WHERE a.person = NEW.name AND NOT EXISTS (SELECT 1 FROM summary_dirty d
		WHERE d.project_id = a.project_id);
END;
CREATE TRIGGER summary_person_name_upd AFTER UPDATE ON person_name BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id FROM approval a
	WHERE a.person IN (OLD.name, NEW.name) AND NOT EXISTS (SELECT 1
		FROM summary_dirty d WHERE d.project_id = a.project_id);
END;
CREATE TRIGGER summary_person_name_del AFTER DELETE ON person_name BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id FROM approval a
	WHERE a.person = OLD.name AND NOT EXISTS (SELECT 1 FROM summary_dirty d
		WHERE d.project_id = a.project_id);
END;
CREATE TRIGGER summary_person_upd AFTER UPDATE OF id, name ON person BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id
	FROM person_name pn JOIN approval a ON a.person = pn.name
	WHERE pn.person_id IN (OLD.id, NEW.id) AND NOT EXISTS (SELECT 1
		FROM summary_dirty d WHERE d.project_id = a.project_id);
END;
-- (before: the names go with the person when foreign keys are on)
CREATE TRIGGER summary_person_del BEFORE DELETE ON person BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id
	FROM person_name pn JOIN approval a ON a.person = pn.name
	WHERE pn.person_id = OLD.id AND NOT EXISTS (SELECT 1
		FROM summary_dirty d WHERE d.project_id = a.project_id);
END;


-- every project, filled right after this script
INSERT INTO summary_dirty SELECT id FROM project;
