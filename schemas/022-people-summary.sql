-- aiproj store schema, migration 022: a summary row an assignment for
-- `report people`, so that the report over the whole portfolio walks one
-- table in its own order instead of sorting every assignment.
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

INSERT INTO people_summary SELECT * FROM people_live
	WHERE project_id NOT IN (SELECT project_id FROM summary_dirty);
