-- aiproj store schema, migration 008 (PostgreSQL): the policy enforced by
-- the server (docs/security.md, docs/postgresql.md).  schemas/008 records
-- only the version: an SQLite file has no server.
--
-- Every row written to aiproj's tables by a session that is not the
-- store's owner passes the trigger aiproj_guard(), which applies the
-- rules of the engine (auth_rules[] in src/engine.c, copied into
-- auth_rule by aiproj whenever it migrates the store) to the
-- authenticated user, session_user:
--   - history, approvals, KPI readings, events and the audit log are
--     append-only: no UPDATE, and no DELETE but with their project;
--   - under `policy: roles` each change is the change of a command, and
--     is allowed when the rule of that command allows session_user: an
--     administrator (table admin), or the A (or an R) role of the stage
--     (table raci, aiproj's copy of the lifecycle's roles) held on the
--     project (table assignment); an administrator may also insert any
--     row (the rows of an import);
--   - a row names its writer (actor, person, done_by, added_by): under
--     `roles` it must be session_user, unless meta 'allow_actor' is
--     'true' or the writer is an administrator (an import keeps the
--     actors of its file);
--   - a project deleted by a member is recorded in the audit log.
-- The owner (the role that owns these tables, its members, a superuser)
-- is not checked: it could drop the triggers anyway.  Refusals raise
-- SQLSTATE AP001.

CREATE TABLE auth_rule (
	command TEXT COLLATE "C" PRIMARY KEY,
	who     TEXT COLLATE "C" NOT NULL
	        CHECK (who IN ('admin', 'stage-a', 'stage-ar')),
	admins  BOOLEAN NOT NULL, -- an administrator may, without the role
	self    BOOLEAN NOT NULL, -- on oneself only an administrator may
	claim   BOOLEAN NOT NULL  -- anyone, while the store has no administrator
);

CREATE TABLE raci (
	stage TEXT COLLATE "C" NOT NULL,
	role  TEXT COLLATE "C" NOT NULL,
	raci  TEXT COLLATE "C" NOT NULL CHECK (raci IN ('A', 'R')),
	PRIMARY KEY (stage, role)
);

-- the lifecycle's stages in order (1, 2, ...), from the same copy
CREATE TABLE lc_stage (
	stage    TEXT COLLATE "C" PRIMARY KEY,
	position INTEGER NOT NULL
);

-- May session_user run `cmd` on project `pid`, judged at stage `st` (NULL:
-- the project's current stage)?  As eng_authorize() in src/engine.c.
CREATE FUNCTION aiproj_may(cmd TEXT, pid BIGINT, st TEXT) RETURNS BOOLEAN
LANGUAGE plpgsql STABLE AS $$
DECLARE
	r auth_rule;
	me TEXT := session_user;
	adm BOOLEAN := EXISTS (SELECT 1 FROM admin WHERE person = me);
BEGIN
	SELECT * INTO r FROM auth_rule WHERE command = cmd;
	IF NOT FOUND THEN
		RETURN false;
	END IF;
	IF adm AND (r.who = 'admin' OR r.admins) THEN
		RETURN true;
	END IF;
	IF r.who = 'admin' OR pid IS NULL THEN
		RETURN r.claim AND NOT EXISTS (SELECT 1 FROM admin);
	END IF;
	IF st IS NULL THEN
		SELECT stage INTO st FROM project WHERE id = pid;
	END IF;
	RETURN EXISTS (SELECT 1 FROM assignment a
	               JOIN raci x ON x.role = a.role AND x.stage = st
	               WHERE a.project_id = pid AND a.person = me
	                 AND (x.raci = 'A' OR r.who = 'stage-ar'));
END $$;

-- Did any of `cols` change between o and n?
CREATE FUNCTION aiproj_changed(o JSONB, n JSONB, cols TEXT[])
RETURNS BOOLEAN LANGUAGE sql IMMUTABLE AS $$
	SELECT EXISTS (SELECT 1 FROM unnest(cols) c
	               WHERE o -> c IS DISTINCT FROM n -> c)
$$;

CREATE FUNCTION aiproj_guard() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	me TEXT := session_user;
	t TEXT := TG_TABLE_NAME;
	o JSONB;
	n JSONB;
	pid BIGINT;
	ok BOOLEAN := false;
	adm BOOLEAN;
	who TEXT;
	k TEXT;
BEGIN
	-- the owner (this function's owner, current_user here) is trusted
	IF pg_has_role(me, current_user, 'MEMBER') THEN
		IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
		RETURN NEW;
	END IF;
	IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
	IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
	pid := CASE WHEN t = 'project' THEN (coalesce(o, n) ->> 'id')::bigint
	            ELSE (coalesce(o, n) ->> 'project_id')::bigint END;
	-- a row that goes with its project (deleted first, by the rule of
	-- project delete)
	IF TG_OP = 'DELETE' AND pid IS NOT NULL AND t <> 'project'
	   AND NOT EXISTS (SELECT 1 FROM project WHERE id = pid) THEN
		RETURN OLD;
	END IF;
	IF t IN ('transition', 'approval', 'kpi_reading', 'event', 'audit')
	   AND TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION 'the % table is append-only: a row is never changed or deleted, but with its project', t
		      USING ERRCODE = 'AP001';
	END IF;
	adm := EXISTS (SELECT 1 FROM admin WHERE person = me);
	IF coalesce((SELECT value FROM meta WHERE key = 'policy'), 'open')
	   <> 'roles' THEN
		-- open: every command, as aiproj; the settings are the owner's
		-- and the administrators'
		ok := t NOT IN ('auth_rule', 'raci', 'lc_stage')
		      AND (t <> 'meta' OR adm
		           OR coalesce(o, n) ->> 'key' IN ('policy', 'lifecycle'));
	ELSE
		-- the row's writer is session_user (an import keeps its file's)
		who := coalesce(n ->> CASE t WHEN 'approval' THEN 'person'
		                    WHEN 'criterion' THEN 'done_by'
		                    WHEN 'admin' THEN 'added_by'
		                    ELSE 'actor' END, me);
		IF who <> me AND NOT adm
		   AND coalesce((SELECT value FROM meta
		                 WHERE key = 'allow_actor'), '') <> 'true' THEN
			RAISE EXCEPTION 'policy ''roles'': ''%'' may not write a row of table % in the name of ''%''', me, t, who
			      USING ERRCODE = 'AP001';
		END IF;
		CASE t
		WHEN 'meta' THEN
			k := coalesce(o, n) ->> 'key';
			ok := (k = 'policy' AND aiproj_may('policy set', NULL, NULL))
			   OR (k = 'lifecycle' AND aiproj_may('init', NULL, NULL))
			   OR (k = 'allow_actor' AND adm);
		WHEN 'admin' THEN
			ok := aiproj_may(CASE TG_OP WHEN 'DELETE' THEN 'admin remove'
			                 ELSE 'admin add' END, NULL, NULL);
		WHEN 'project' THEN
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('project create', NULL, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'DELETE' THEN
				ok := aiproj_may('project delete', pid, NULL);
			ELSE
				ok := NOT aiproj_changed(o, n, ARRAY['id', 'description',
				                                     'created_at']) OR adm;
				IF aiproj_changed(o, n, ARRAY['name']) THEN
					ok := ok AND aiproj_may('project rename', pid, NULL);
				END IF;
				IF aiproj_changed(o, n, ARRAY['stage', 'epoch',
				                              'entered_at']) THEN
					ok := ok AND (aiproj_may('stage advance', pid, o ->> 'stage')
					           OR aiproj_may('stage back', pid, o ->> 'stage'));
				END IF;
				IF aiproj_changed(o, n, ARRAY['status', 'status_reason',
				                              'outcome', 'status_at']) THEN
					ok := ok AND CASE n ->> 'status'
					    WHEN 'on-hold' THEN aiproj_may('project hold', pid, NULL)
					    WHEN 'active' THEN aiproj_may('project resume', pid, NULL)
					    ELSE aiproj_may('project close', pid, NULL)
					         OR aiproj_may('decide', pid, NULL) END;
				END IF;
			END IF;
		WHEN 'transition' THEN
			-- a move to the next stage, or back to an earlier one
			ok := ((n ->> 'kind' <> 'back'
			        AND aiproj_may('stage advance', pid, n ->> 'from_stage')
			        AND (SELECT position FROM lc_stage
			             WHERE stage = n ->> 'to_stage')
			          = (SELECT position + 1 FROM lc_stage
			             WHERE stage = n ->> 'from_stage'))
			    OR (n ->> 'kind' = 'back'
			        AND aiproj_may('stage back', pid, n ->> 'from_stage')
			        AND (SELECT position FROM lc_stage
			             WHERE stage = n ->> 'to_stage')
			          < (SELECT position FROM lc_stage
			             WHERE stage = n ->> 'from_stage')))
			   OR aiproj_may('import', NULL, NULL);
		WHEN 'criterion' THEN
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('gate add', pid, n ->> 'stage')
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'UPDATE' THEN
				ok := NOT aiproj_changed(o, n, ARRAY['project_id', 'id',
				                                     'stage', 'text'])
				   AND (aiproj_may('gate done', pid, n ->> 'stage')
				     OR aiproj_may('gate reopen', pid, n ->> 'stage')
				     OR (n ->> 'done' = '0'
				         AND aiproj_may('stage back', pid, NULL)));
			END IF;
		WHEN 'assignment' THEN
			IF TG_OP = 'INSERT' THEN
				ok := (aiproj_may('role assign', pid, NULL)
				       AND (n ->> 'person' <> me OR adm))
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'DELETE' THEN
				ok := aiproj_may('role unassign', pid, NULL);
			END IF;
		WHEN 'decision' THEN
			ok := TG_OP = 'INSERT' AND (aiproj_may('decide', pid, NULL)
			                            OR aiproj_may('import', NULL, NULL));
		WHEN 'kpi' THEN
			ok := TG_OP = 'INSERT' AND (aiproj_may('kpi add', pid, NULL)
			                            OR aiproj_may('import', NULL, NULL));
		WHEN 'kpi_reading' THEN
			ok := aiproj_may('kpi record', pid, NULL)
			   OR aiproj_may('import', NULL, NULL);
		WHEN 'approval' THEN
			ok := (aiproj_may('gate approve', pid, n ->> 'stage')
			       AND n ->> 'stage' = (SELECT stage FROM project
			                            WHERE id = pid)
			       AND EXISTS (SELECT 1 FROM raci
			                   WHERE stage = n ->> 'stage'
			                     AND role = n ->> 'role' AND raci = 'A'))
			   OR aiproj_may('import', NULL, NULL);
		WHEN 'component' THEN
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('component add', pid, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'DELETE' THEN
				ok := aiproj_may('component remove', pid, NULL);
			END IF;
		WHEN 'event' THEN
			ok := aiproj_may('import', NULL, NULL) OR CASE n ->> 'kind'
			    WHEN 'note' THEN aiproj_may('note', pid, NULL)
			    WHEN 'hold' THEN aiproj_may('project hold', pid, NULL)
			    WHEN 'resume' THEN aiproj_may('project resume', pid, NULL)
			    WHEN 'close' THEN aiproj_may('project close', pid, NULL)
			    WHEN 'reopen' THEN aiproj_may('gate reopen', pid,
			        (SELECT stage FROM criterion WHERE project_id = pid
			         AND id::text = n ->> 'subject'))
			    WHEN 'unassign' THEN aiproj_may('role unassign', pid, NULL)
			    WHEN 'component-add' THEN aiproj_may('component add', pid, NULL)
			    WHEN 'component-remove' THEN
			        aiproj_may('component remove', pid, NULL)
			    WHEN 'due' THEN aiproj_may('stage due', pid, n ->> 'subject')
			    ELSE false END;
		WHEN 'audit' THEN
			ok := TG_OP = 'INSERT'; -- refusals are logged by the refused
		ELSE
			ok := false;
		END CASE;
	END IF;
	IF NOT coalesce(ok, false) THEN
		RAISE EXCEPTION 'policy ''%'': ''%'' may not % rows of table % (aiproj policy rules)',
		      coalesce((SELECT value FROM meta WHERE key = 'policy'), 'open'),
		      me, lower(TG_OP), t
		      USING ERRCODE = 'AP001';
	END IF;
	IF TG_OP = 'DELETE' THEN
		IF t = 'project' THEN
			INSERT INTO audit (at, actor, action, project, stage, detail)
			VALUES (to_char(clock_timestamp() AT TIME ZONE 'UTC',
			                'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
			        me, 'project delete', o ->> 'name', o ->> 'stage',
			        format('the server recorded that ''%s'' deleted project ''%s'' and its history',
			               me, o ->> 'name'));
		END IF;
		RETURN OLD;
	END IF;
	RETURN NEW;
END $$;


-- aiproj member add|remove NAME: the rights the login role NAME needs to
-- use the store (every row it writes still passes aiproj_guard), granted
-- or revoked by the owner, for an administrator.  Returns whether NAME's
-- rights changed.
CREATE FUNCTION aiproj_member(who TEXT, grant_ BOOLEAN) RETURNS BOOLEAN
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
		    'approval', 'component', 'event', 'audit'] LOOP
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I',
			               sch, t, who);
		END LOOP;
		EXECUTE format('GRANT SELECT ON %I.auth_rule, %I.raci, %I.lc_stage'
		               ' TO %I', sch, sch, sch, who);
	ELSE
		FOREACH t IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
		    'criterion', 'assignment', 'decision', 'kpi', 'kpi_reading',
		    'approval', 'component', 'event', 'audit', 'auth_rule',
		    'raci', 'lc_stage'] LOOP
			EXECUTE format('REVOKE ALL ON %I.%I FROM %I', sch, t, who);
		END LOOP;
	END IF;
	RETURN had <> grant_;
END $$;

-- A member's move of a project is in its history: at the end of the
-- transaction, the project's latest transition goes from the stage it
-- left to the stage it is at, when it entered it.
CREATE FUNCTION aiproj_moved() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
BEGIN
	IF pg_has_role(session_user, current_user, 'MEMBER')
	   OR NOT EXISTS (SELECT 1 FROM project WHERE id = NEW.id) THEN
		RETURN NULL;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM (SELECT from_stage, to_stage, at
	                              FROM transition WHERE project_id = NEW.id
	                              ORDER BY id DESC LIMIT 1) t
	               WHERE t.from_stage = OLD.stage
	                 AND t.to_stage = NEW.stage
	                 AND t.at = NEW.entered_at)
	   OR NEW.epoch <> OLD.epoch + 1 THEN
		RAISE EXCEPTION 'project ''%'' moved from % to % without its transition in the history', NEW.name, OLD.stage, NEW.stage
		      USING ERRCODE = 'AP001';
	END IF;
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER aiproj_moved AFTER UPDATE ON project
	DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
	WHEN (OLD.stage IS DISTINCT FROM NEW.stage
	      OR OLD.epoch IS DISTINCT FROM NEW.epoch
	      OR OLD.entered_at IS DISTINCT FROM NEW.entered_at)
	EXECUTE FUNCTION aiproj_moved();

DO $$
DECLARE
	t TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
	    'criterion', 'assignment', 'decision', 'kpi', 'kpi_reading',
	    'approval', 'component', 'event', 'audit', 'auth_rule', 'raci',
	    'lc_stage'] LOOP
		-- (the owner's own writes skip the function: imports stay fast)
		EXECUTE format('CREATE TRIGGER aiproj_guard BEFORE INSERT OR UPDATE'
		               ' OR DELETE ON %I FOR EACH ROW WHEN (NOT'
		               ' pg_catalog.pg_has_role(session_user, %s::oid,'
		               ' ''MEMBER'')) EXECUTE FUNCTION aiproj_guard()', t,
		               (SELECT oid FROM pg_roles WHERE rolname = current_user));
	END LOOP;
	-- the functions see only the store's schema (and the catalog)
	EXECUTE format('ALTER FUNCTION aiproj_guard() SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_may(TEXT, BIGINT, TEXT)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_moved()'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_member(TEXT, BOOLEAN)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
