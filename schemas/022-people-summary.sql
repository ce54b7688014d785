-- aiproj store schema, migration 022: a summary row an assignment for
-- `report people`, and each project's assignments and components in its
-- summary row for `report roles`, so that those reports over the whole
-- portfolio walk one table in their own order instead of sorting every
-- assignment, or every project's lists.
--
-- The report lists each person's assignments by person, project name and
-- role, with the project's status and stage and the count of the holders
-- of that role in that project.  Read from the live tables, that order is
-- a sort of every assignment (a person's project names are in another
-- table; the 100,000 projects of tests/bench/gen.sh have 456,000
-- assignments), or a lookup of the project for each assignment walked in
-- person order, at random in the file.  people_summary holds those rows
-- keyed by that very order, made, like project_summary
-- (schemas/020-summary.sql), from the view people_live and nothing else,
-- for the projects listed in summary_dirty, at the end of each write
-- transaction (store_summary_refresh()).  A report reads the listed
-- projects' rows from people_live, so the rows never make a report wrong
-- (src/store_report.c).  The triggers of schemas/020-summary.sql list a
-- project when its name, status, stage or assignments change; the title
-- of an assignment, which the report shows, is listed below; a project
-- deleted takes its rows with it (an import that replaces a project drops
-- the assignments' triggers for its transaction, so its assignments going
-- list nothing).

CREATE TABLE people_summary (
	person     TEXT NOT NULL,
	name       TEXT NOT NULL, -- the project's
	role       TEXT NOT NULL,
	project_id INTEGER NOT NULL,
	status     TEXT NOT NULL,
	stage      TEXT NOT NULL,
	holders    INTEGER NOT NULL, -- of the role in the project
	title      TEXT,
	PRIMARY KEY (person, name, role)
) STRICT, WITHOUT ROWID;

-- a project's rows, made again
CREATE INDEX people_summary_project ON people_summary (project_id);

CREATE VIEW people_live AS SELECT a.person AS person, p.name AS name,
 a.role AS role, p.id AS project_id, p.status AS status, p.stage AS stage,
 (SELECT count(*) FROM assignment h WHERE h.project_id = a.project_id
  AND h.role = a.role) AS holders, a.title AS title
FROM project p JOIN assignment a ON a.project_id = p.id;

CREATE TRIGGER summary_assignment_title AFTER UPDATE OF title ON assignment
BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;

CREATE TRIGGER summary_project_del_people AFTER DELETE ON project BEGIN
	DELETE FROM people_summary WHERE project_id = OLD.id;
END;

-- `report roles` shows a project's assignments and components, each
-- folded into a list (records joined with char(30), fields with char(31):
-- src/store_report.c), made for each project's summary row
-- (schemas/020-summary.sql) by the view, which gets them at its end, as the
-- table does; the components' changes list their project
ALTER TABLE project_summary ADD COLUMN assignments TEXT;
ALTER TABLE project_summary ADD COLUMN components TEXT;
DROP VIEW summary_live;
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
  AND e.subject = p.stage ORDER BY e.id DESC LIMIT 1) AS due,
 (SELECT group_concat(role || char(31) || person || char(31) ||
  coalesce(title, ''), char(30)) FROM (SELECT role, person, title
  FROM assignment WHERE project_id = p.id ORDER BY role, person))
  AS assignments,
 (SELECT group_concat(owner || char(31) || name || char(31) ||
  description, char(30)) FROM (SELECT owner, name, description
  FROM component WHERE project_id = p.id ORDER BY owner, name))
  AS components
FROM project p;

CREATE TRIGGER summary_component_ins AFTER INSERT ON component BEGIN
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_component_upd AFTER UPDATE OF project_id, name, owner,
description ON component BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
	INSERT INTO summary_dirty SELECT NEW.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = NEW.project_id);
END;
CREATE TRIGGER summary_component_del AFTER DELETE ON component BEGIN
	INSERT INTO summary_dirty SELECT OLD.project_id WHERE NOT EXISTS
		(SELECT 1 FROM summary_dirty WHERE project_id = OLD.project_id);
END;

-- every project's rows made when the migration ends (store_summary_refresh())
INSERT INTO summary_dirty SELECT id FROM project
	WHERE id NOT IN (SELECT project_id FROM summary_dirty);
