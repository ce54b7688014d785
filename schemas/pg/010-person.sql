-- aiproj store schema, migration 010 (PostgreSQL): people, as
-- schemas/010-person.sql.  One person per name whatever its case and
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


-- The policy enforced by the server (schemas/pg/008-server-policy.sql)
-- covers the people too.  aiproj_guard() again, as there, with the rules
-- of the person tables (the commands person add, set, rename and merge,
-- role reassign and import; a role assigned to someone new adds them) and
-- an assignment's person changed by person rename and merge; person_event
-- is append-only but for person merge, which moves it.
CREATE OR REPLACE FUNCTION aiproj_guard() RETURNS trigger
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
			ELSE
				-- person rename and merge: the assignment follows
				-- its person
				ok := NOT aiproj_changed(o, n, ARRAY['project_id',
				                                     'role',
				                                     'assigned_at'])
				   AND (aiproj_may('person rename', NULL, NULL)
				     OR aiproj_may('person merge', NULL, NULL));
			END IF;
		WHEN 'person', 'person_name' THEN
			IF TG_OP = 'INSERT' THEN
				-- a new person (or name): person add, rename,
				-- reassign, an import, or a role assigned to someone
				-- new by whoever may assign roles on a project
				ok := aiproj_may('person add', NULL, NULL)
				   OR aiproj_may('person rename', NULL, NULL)
				   OR aiproj_may('role reassign', NULL, NULL)
				   OR aiproj_may('import', NULL, NULL)
				   OR EXISTS (SELECT 1 FROM project p
				              WHERE aiproj_may('role assign', p.id,
				                               NULL));
			ELSIF TG_OP = 'UPDATE' THEN
				ok := aiproj_may('person set', NULL, NULL)
				   OR aiproj_may('person rename', NULL, NULL)
				   OR aiproj_may('person merge', NULL, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSE
				ok := aiproj_may('person merge', NULL, NULL);
			END IF;
		WHEN 'person_event' THEN
			-- a person's history: appended by the command of its
			-- kind; person merge moves it to the person kept
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('import', NULL, NULL) OR CASE n ->> 'kind'
				    WHEN 'add' THEN aiproj_may('person add', NULL, NULL)
				    WHEN 'set' THEN aiproj_may('person set', NULL, NULL)
				    WHEN 'rename' THEN
				        aiproj_may('person rename', NULL, NULL)
				    WHEN 'merge' THEN aiproj_may('person merge', NULL, NULL)
				    WHEN 'reassign' THEN
				        aiproj_may('role reassign', NULL, NULL)
				    ELSE false END;
			ELSIF TG_OP = 'UPDATE' THEN
				ok := NOT aiproj_changed(o, n, ARRAY['id', 'kind',
				    'subject', 'detail', 'actor', 'at'])
				   AND aiproj_may('person merge', NULL, NULL);
			ELSE
				ok := aiproj_may('person merge', NULL, NULL);
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

-- aiproj member add|remove: the person tables too.
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
		    'approval', 'component', 'event', 'audit', 'person',
		    'person_name', 'person_event'] LOOP
			EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I.%I TO %I',
			               sch, t, who);
		END LOOP;
		EXECUTE format('GRANT SELECT ON %I.auth_rule, %I.raci, %I.lc_stage'
		               ' TO %I', sch, sch, sch, who);
	ELSE
		FOREACH t IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
		    'criterion', 'assignment', 'decision', 'kpi', 'kpi_reading',
		    'approval', 'component', 'event', 'audit', 'auth_rule',
		    'raci', 'lc_stage', 'person', 'person_name',
		    'person_event'] LOOP
			EXECUTE format('REVOKE ALL ON %I.%I FROM %I', sch, t, who);
		END LOOP;
	END IF;
	RETURN had <> grant_;
END $$;

DO $$
DECLARE
	t TEXT;
	r TEXT;
BEGIN
	FOREACH t IN ARRAY ARRAY['person', 'person_name', 'person_event'] LOOP
		EXECUTE format('CREATE TRIGGER aiproj_guard BEFORE INSERT OR UPDATE'
		               ' OR DELETE ON %I FOR EACH ROW WHEN (NOT'
		               ' pg_catalog.pg_has_role(session_user, %s::oid,'
		               ' ''MEMBER'')) EXECUTE FUNCTION aiproj_guard()', t,
		               (SELECT oid FROM pg_roles WHERE rolname = current_user));
	END LOOP;
	-- the members the store has already (those aiproj member add gave
	-- the right to write projects) get the same rights on the new tables
	FOR r IN SELECT DISTINCT g.rolname FROM pg_class c,
	         aclexplode(c.relacl) a JOIN pg_roles g ON g.oid = a.grantee
	         WHERE c.oid = 'project'::regclass AND a.privilege_type = 'INSERT'
	           AND NOT pg_has_role(g.oid, current_user, 'MEMBER') LOOP
		EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON person,'
		               ' person_name, person_event TO %I', r);
	END LOOP;
	-- CREATE OR REPLACE resets the functions' settings
	EXECUTE format('ALTER FUNCTION aiproj_guard() SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_member(TEXT, BOOLEAN)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
