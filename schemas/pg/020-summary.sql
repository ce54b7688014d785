-- aiproj store schema, migration 020 (PostgreSQL): the projects' summary
-- rows, as schemas/020-summary.sql (see there): project_summary, the list
-- summary_dirty, and the view summary_live they are made from, column for
-- column the SQL of SQLite's in this dialect.
--
-- Here the triggers that list the projects are statement triggers (one
-- INSERT a statement, however many rows it writes: an import stays fast),
-- and the summaries are made again by aiproj_summary_refresh(), which
-- aiproj calls at the end of every write transaction.  The functions run
-- with the owner's rights: members (aiproj_member) may read the three but
-- write none of them, so no member can forge a summary; a member's own
-- writes list their projects through the triggers, and the function makes
-- a summary only from the live tables.

CREATE TABLE project_summary (
	name       TEXT COLLATE "C" PRIMARY KEY,
	id         BIGINT NOT NULL UNIQUE,
	status     TEXT COLLATE "C" NOT NULL,
	stage      TEXT COLLATE "C" NOT NULL,
	epoch      BIGINT NOT NULL,
	entered_at TEXT COLLATE "C" NOT NULL,
	status_at  TEXT COLLATE "C" NOT NULL,
	created_at TEXT COLLATE "C" NOT NULL,
	criteria   TEXT COLLATE "C",
	decision   TEXT COLLATE "C",
	has_cost   INTEGER,
	kpis       BIGINT,
	approvals  TEXT COLLATE "C",
	back_jumps BIGINT,
	staffed    TEXT COLLATE "C",
	due        TEXT COLLATE "C"
);

CREATE TABLE summary_dirty (project_id BIGINT PRIMARY KEY);

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
 (SELECT count(*) || ':' || coalesce(string_agg(DISTINCT role, ','), '')
  FROM approval a WHERE a.project_id = p.id AND a.epoch = p.epoch
  AND a.stage = p.stage AND (a.role = '' OR EXISTS (SELECT 1
  FROM assignment h WHERE h.project_id = a.project_id AND h.role = a.role
  AND (h.person = a.person OR h.person IN (SELECT pe.name
  FROM person_name pn JOIN person pe ON pe.id = pn.person_id
  WHERE pn.name = a.person))))) AS approvals,
 (SELECT count(*) FROM transition t WHERE t.project_id = p.id
  AND t.kind = 'back') AS back_jumps,
 (SELECT string_agg(role, ',' ORDER BY role) FROM (SELECT DISTINCT role
  FROM assignment a WHERE a.project_id = p.id) r) AS staffed,
 (SELECT e.detail FROM event e WHERE e.project_id = p.id AND e.kind = 'due'
  AND e.subject = p.stage ORDER BY e.id DESC LIMIT 1) AS due
FROM project p;

-- a person rename or merge changes whose approvals count: find them by name
CREATE INDEX approval_person ON approval (person);

-- the report's live releases and open breaches start from the projects
-- with a breach (src/store_release.c): the few readings that are one
CREATE INDEX kpi_reading_breach ON kpi_reading (project_id) WHERE breach <> 0;

-- The rows of a table with project_id: their projects listed (n the new
-- rows, o the old: the trigger's transition tables).
CREATE FUNCTION aiproj_summary_mark() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO summary_dirty SELECT DISTINCT project_id FROM n
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO summary_dirty SELECT DISTINCT project_id FROM o
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

-- Projects: a new or moved one listed, a deleted one's summary gone.
CREATE FUNCTION aiproj_summary_mark_project() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		DELETE FROM project_summary WHERE id IN (SELECT id FROM n);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO summary_dirty SELECT id FROM n ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP = 'UPDATE' THEN
		INSERT INTO summary_dirty SELECT id FROM o ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP = 'DELETE' THEN
		DELETE FROM project_summary WHERE id IN (SELECT id FROM o);
	END IF;
	RETURN NULL;
END $$;

-- A person's names: the projects of the approvals given under them.
CREATE FUNCTION aiproj_summary_mark_name() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF TG_OP <> 'DELETE' THEN
		INSERT INTO summary_dirty SELECT DISTINCT a.project_id
		FROM approval a WHERE a.person IN (SELECT name FROM n)
		ON CONFLICT DO NOTHING;
	END IF;
	IF TG_OP <> 'INSERT' THEN
		INSERT INTO summary_dirty SELECT DISTINCT a.project_id
		FROM approval a WHERE a.person IN (SELECT name FROM o)
		ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

-- A person renamed: the approvals given under any of their names.
CREATE FUNCTION aiproj_summary_mark_person() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	INSERT INTO summary_dirty SELECT DISTINCT a.project_id
	FROM person_name pn JOIN approval a ON a.person = pn.name
	WHERE pn.person_id IN (SELECT id FROM n UNION SELECT id FROM o)
	ON CONFLICT DO NOTHING;
	RETURN NULL;
END $$;

-- The summaries of the projects listed made again, and the list emptied.
-- The list is read and emptied first: a project a writer lists after that
-- (committing meanwhile) stays listed, whatever its row was made from.
CREATE FUNCTION aiproj_summary_refresh() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	ids BIGINT[];
BEGIN
	WITH d AS (DELETE FROM summary_dirty RETURNING project_id)
	SELECT array_agg(project_id) INTO ids FROM d;
	IF ids IS NULL THEN
		RETURN;
	END IF;
	DELETE FROM project_summary WHERE id = ANY (ids);
	INSERT INTO project_summary SELECT * FROM summary_live
	WHERE id = ANY (ids);
END $$;

CREATE TRIGGER summary_project_ins AFTER INSERT ON project
	REFERENCING NEW TABLE AS n FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_project();
CREATE TRIGGER summary_project_upd AFTER UPDATE
	ON project REFERENCING OLD TABLE AS o NEW TABLE AS n
	FOR EACH STATEMENT EXECUTE FUNCTION aiproj_summary_mark_project();
CREATE TRIGGER summary_project_del AFTER DELETE ON project
	REFERENCING OLD TABLE AS o FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_project();
CREATE TRIGGER summary_name_ins AFTER INSERT ON person_name
	REFERENCING NEW TABLE AS n FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_name();
CREATE TRIGGER summary_name_upd AFTER UPDATE ON person_name
	REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_name();
CREATE TRIGGER summary_name_del AFTER DELETE ON person_name
	REFERENCING OLD TABLE AS o FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_name();
-- (a person deleted: their names go with them, and list as above)
CREATE TRIGGER summary_person_upd AFTER UPDATE ON person
	REFERENCING OLD TABLE AS o NEW TABLE AS n FOR EACH STATEMENT
	EXECUTE FUNCTION aiproj_summary_mark_person();

-- (a statement trigger with transition tables takes no column list: an
-- UPDATE of any column lists the projects; the feed's ids are given
-- before the insert, by no UPDATE)
DO $$
DECLARE
	t TEXT;
	m TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['criterion', 'decision', 'kpi', 'approval',
	    'assignment', 'transition', 'event'] LOOP
		EXECUTE format('CREATE TRIGGER summary_%s_ins AFTER INSERT ON %I'
		               ' REFERENCING NEW TABLE AS n FOR EACH STATEMENT'
		               ' EXECUTE FUNCTION aiproj_summary_mark()', t, t);
		EXECUTE format('CREATE TRIGGER summary_%s_upd AFTER UPDATE ON %I'
		               ' REFERENCING OLD TABLE AS o NEW TABLE AS n'
		               ' FOR EACH STATEMENT'
		               ' EXECUTE FUNCTION aiproj_summary_mark()', t, t);
		EXECUTE format('CREATE TRIGGER summary_%s_del AFTER DELETE ON %I'
		               ' REFERENCING OLD TABLE AS o FOR EACH STATEMENT'
		               ' EXECUTE FUNCTION aiproj_summary_mark()', t, t);
	END LOOP;
	FOREACH t IN ARRAY ARRAY['aiproj_summary_mark()',
	    'aiproj_summary_mark_project()', 'aiproj_summary_mark_name()',
	    'aiproj_summary_mark_person()', 'aiproj_summary_refresh()'] LOOP
		EXECUTE format('ALTER FUNCTION %s SET search_path ='
		               ' pg_catalog, %I, pg_temp', t, current_schema());
	END LOOP;
	-- the members so far (those aiproj_member gave project to) read them
	FOR m IN SELECT r.rolname FROM pg_class c, aclexplode(c.relacl) a
	         JOIN pg_roles r ON r.oid = a.grantee
	         WHERE c.oid = 'project'::regclass
	           AND a.privilege_type = 'INSERT'
	           AND NOT pg_has_role(r.oid, current_user, 'MEMBER') LOOP
		EXECUTE format('GRANT SELECT ON project_summary, summary_dirty,'
		               ' summary_live TO %I', m);
	END LOOP;
END $$;

-- A new member reads them too (aiproj_member of
-- schemas/pg/012-stage-start.sql, with the three added).
CREATE OR REPLACE FUNCTION aiproj_member(who TEXT, grant_ BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	sch TEXT;
	had BOOLEAN;
	t TEXT;
BEGIN
	IF NOT (pg_has_role(session_user, current_user, 'MEMBER')
	        OR EXISTS (SELECT 1 FROM admin WHERE person = session_user)) THEN
		RAISE EXCEPTION 'policy: ''%'' may not change the members: that needs the admin right (aiproj admin list)', session_user
		      USING ERRCODE = 'AP001';
	END IF;
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = who) THEN
		RAISE EXCEPTION 'no role ''%'' on the server: its login role is made first (CREATE ROLE ... LOGIN)', who
		      USING ERRCODE = 'AP002';
	END IF;
	IF pg_has_role(who, current_user, 'MEMBER') THEN
		RAISE EXCEPTION 'role ''%'' owns the store (or is a member of its owner, or a superuser): it needs no grant', who
		      USING ERRCODE = 'AP003';
	END IF;
	SELECT n.nspname INTO sch FROM pg_class c
	JOIN pg_namespace n ON n.oid = c.relnamespace
	WHERE c.oid = 'project'::regclass;
	had := EXISTS (SELECT 1 FROM pg_class c, aclexplode(c.relacl) a
	               WHERE c.oid = 'project'::regclass
	                 AND a.grantee = (SELECT oid FROM pg_roles
	                                  WHERE rolname = who)
	                 AND a.privilege_type = 'INSERT');
	IF grant_ THEN
		IF NOT has_schema_privilege(who, sch, 'USAGE') THEN
			EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', sch, who);
		END IF;
		FOREACH t IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
		    'criterion', 'assignment', 'decision', 'kpi', 'kpi_reading',
		    'approval', 'component', 'event', 'audit', 'prod_release',
		    'kpi_change', 'person', 'person_name', 'person_event'] LOOP
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I',
			               sch, t, who);
		END LOOP;
		EXECUTE format('GRANT SELECT ON %I.auth_rule, %I.raci, %I.lc_stage,'
		               ' %I.lc_signoff, %I.project_summary, %I.summary_dirty,'
		               ' %I.summary_live TO %I', sch, sch, sch, sch, sch, sch,
		               sch, who);
	ELSE
		FOREACH t IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
		    'criterion', 'assignment', 'decision', 'kpi', 'kpi_reading',
		    'approval', 'component', 'event', 'audit', 'prod_release',
		    'kpi_change', 'person', 'person_name', 'person_event',
		    'auth_rule', 'raci', 'lc_stage', 'lc_signoff',
		    'project_summary', 'summary_dirty', 'summary_live'] LOOP
			EXECUTE format('REVOKE ALL ON %I.%I FROM %I', sch, t, who);
		END LOOP;
	END IF;
	RETURN had <> grant_;
END $$;
DO $$
BEGIN
	-- (CREATE OR REPLACE resets the function's settings)
	EXECUTE format('ALTER FUNCTION aiproj_member(TEXT, BOOLEAN)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;

-- every project, filled right after this script
INSERT INTO summary_dirty SELECT id FROM project;
