-- aiproj store schema (PostgreSQL), migration 017: the server's guard in
-- pieces.  aiproj_guard(), the trigger
-- on every table a member may write (schemas/pg/008-server-policy.sql),
-- was one function: each migration that changed the rule of one table
-- (people, releases, parallel stages, buys, handovers) redefined all of
-- it, and two migrations written side by side from the same base dropped
-- each other's branches.  Now the guard keeps what holds for every table
-- (the owner trusted, rows that go with their project, append-only
-- tables, the open policy, the writer's name) and hands each table to a
-- function of its own, aiproj_guard_TABLE(op, o, n, pid, me, adm): the
-- operation, the old and new row as JSONB, the project id, the session's
-- user and whether they are an administrator; it returns whether the
-- write is allowed (false or NULL: refused with SQLSTATE AP001, as
-- before).  A later migration that changes one table's rule redefines
-- that table's function alone; a new table adds a function and a branch
-- here.  The bodies are schemas/pg/014-handover.sql's branches, moved,
-- with one change: a forced move (a transition of kind 'forced', past a
-- gate that does not hold) is the rule of `stage advance --force`, the
-- stage's accountable role, where an R role could force one before.

CREATE OR REPLACE FUNCTION aiproj_guard_meta(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
	k TEXT;
BEGIN
	k := coalesce(o, n) ->> 'key';
	ok := (k = 'policy' AND aiproj_may('policy set', NULL, NULL))
	   OR (k = 'lifecycle' AND aiproj_may('init', NULL, NULL))
	   OR (k = 'allow_actor' AND adm);
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_admin(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	ok := aiproj_may(CASE op WHEN 'DELETE' THEN 'admin remove'
	                 ELSE 'admin add' END, NULL, NULL);
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_project(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := aiproj_may('project create', NULL, NULL)
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'DELETE' THEN
		ok := aiproj_may('project delete', pid, NULL);
	ELSE
		ok := NOT aiproj_changed(o, n, ARRAY['id', 'description',
		                                     'created_at']) OR adm;
		IF aiproj_changed(o, n, ARRAY['name']) THEN
			ok := ok AND aiproj_may('project rename', pid, NULL);
		END IF;
		IF aiproj_changed(o, n, ARRAY['stage', 'epoch',
		                              'entered_at']) THEN
			-- or a buy: by the rule of decide, to a
			-- later stage, with its buy decision
			ok := ok AND (aiproj_may('stage advance', pid, o ->> 'stage')
			           OR aiproj_may('stage back', pid, o ->> 'stage')
			           OR (aiproj_may('decide', pid, o ->> 'stage')
			               AND EXISTS (SELECT 1 FROM decision
			                   WHERE project_id = pid AND kind = 'buy'
			                     AND at = n ->> 'entered_at')
			               AND (SELECT position FROM lc_stage
			                    WHERE stage = n ->> 'stage')
			                 > (SELECT position FROM lc_stage
			                    WHERE stage = o ->> 'stage')));
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
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_transition(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	-- a move to the next stage, back to an earlier one,
	-- a later stage started early (it moves nothing), or
	-- a buy: by the rule of decide, to a later stage, with
	-- its buy decision recorded at the same time
	ok := ((n ->> 'kind' = 'buy'
	        AND aiproj_may('decide', pid, n ->> 'from_stage')
	        AND EXISTS (SELECT 1 FROM decision
	                    WHERE project_id = pid AND kind = 'buy'
	                      AND at = n ->> 'at')
	        AND (SELECT position FROM lc_stage
	             WHERE stage = n ->> 'to_stage')
	          > (SELECT position FROM lc_stage
	             WHERE stage = n ->> 'from_stage'))
	    OR (n ->> 'kind' = 'start'
	        AND aiproj_may('stage start', pid, n ->> 'from_stage')
	        AND (SELECT position FROM lc_stage
	             WHERE stage = n ->> 'to_stage')
	          > (SELECT position FROM lc_stage
	             WHERE stage = n ->> 'from_stage'))
	    OR (n ->> 'kind' NOT IN ('back', 'start', 'buy')
	        AND aiproj_may(CASE n ->> 'kind' WHEN 'forced'
	                       THEN 'stage advance --force'
	                       ELSE 'stage advance' END,
	                       pid, n ->> 'from_stage')
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
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_criterion(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := aiproj_may('gate add', pid, n ->> 'stage')
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'UPDATE' THEN
		ok := NOT aiproj_changed(o, n, ARRAY['project_id', 'id',
		                                     'stage', 'text'])
		   AND (aiproj_may('gate done', pid, n ->> 'stage')
		     OR aiproj_may('gate reopen', pid, n ->> 'stage')
		     OR (n ->> 'done' = '0'
		         AND aiproj_may('stage back', pid, NULL)));
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_assignment(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := (aiproj_may('role assign', pid, NULL)
		       AND (n ->> 'person' <> me OR adm))
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'DELETE' THEN
		ok := aiproj_may('role unassign', pid, NULL);
	ELSE
		-- person rename and merge: the assignment follows
		-- its person
		ok := NOT aiproj_changed(o, n, ARRAY['project_id',
		                                     'role',
		                                     'assigned_at',
		                                     'title'])
		   AND (aiproj_may('person rename', NULL, NULL)
		     OR aiproj_may('person merge', NULL, NULL));
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_person(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
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
	ELSIF op = 'UPDATE' THEN
		ok := aiproj_may('person set', NULL, NULL)
		   OR aiproj_may('person rename', NULL, NULL)
		   OR aiproj_may('person merge', NULL, NULL)
		   OR aiproj_may('import', NULL, NULL);
	ELSE
		ok := aiproj_may('person merge', NULL, NULL);
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_person_event(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	-- a person's history: appended by the command of its
	-- kind; person merge moves it to the person kept
	IF op = 'INSERT' THEN
		ok := aiproj_may('import', NULL, NULL) OR CASE n ->> 'kind'
		    WHEN 'add' THEN aiproj_may('person add', NULL, NULL)
		    WHEN 'set' THEN aiproj_may('person set', NULL, NULL)
		    WHEN 'rename' THEN
		        aiproj_may('person rename', NULL, NULL)
		    WHEN 'merge' THEN aiproj_may('person merge', NULL, NULL)
		    WHEN 'reassign' THEN
		        aiproj_may('role reassign', NULL, NULL)
		    ELSE false END;
	ELSIF op = 'UPDATE' THEN
		ok := NOT aiproj_changed(o, n, ARRAY['id', 'kind',
		    'subject', 'detail', 'actor', 'at'])
		   AND aiproj_may('person merge', NULL, NULL);
	ELSE
		ok := aiproj_may('person merge', NULL, NULL);
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_decision(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	ok := op = 'INSERT' AND (aiproj_may('decide', pid, NULL)
	                            OR aiproj_may('import', NULL, NULL));
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_kpi(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := aiproj_may('kpi add', pid, NULL)
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'UPDATE' THEN
		-- kpi set: a new target; kpi remove: removed_at, once
		ok := NOT aiproj_changed(o, n, ARRAY['id', 'project_id',
		                                     'name', 'created_at',
		                                     'feed_id'])
		   AND o ->> 'removed_at' IS NULL;
		IF aiproj_changed(o, n, ARRAY['op', 'target']) THEN
			ok := ok AND (aiproj_may('kpi set', pid, NULL)
			           OR aiproj_may('import', NULL, NULL));
		END IF;
		IF aiproj_changed(o, n, ARRAY['removed_at']) THEN
			ok := ok AND (aiproj_may('kpi remove', pid, NULL)
			           OR aiproj_may('import', NULL, NULL));
		END IF;
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_kpi_change(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	ok := aiproj_may(CASE n ->> 'kind' WHEN 'remove'
	                 THEN 'kpi remove' ELSE 'kpi set' END, pid, NULL)
	   OR aiproj_may('import', NULL, NULL);
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_prod_release(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := aiproj_may('release add', pid, NULL)
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'UPDATE' THEN
		-- a live release ends, once: superseded by release add,
		-- or retired
		ok := o ->> 'ended' IS NULL
		   AND NOT aiproj_changed(o, n, ARRAY['id', 'project_id',
		           'version', 'artifact', 'digest', 'commit_sha',
		           'note', 'actor', 'at'])
		   AND CASE n ->> 'ended'
		       WHEN 'retired' THEN
		           aiproj_may('release retire', pid, NULL)
		       ELSE aiproj_may('release add', pid, NULL) END;
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_kpi_reading(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	ok := aiproj_may('kpi record', pid, NULL)
	   OR aiproj_may('import', NULL, NULL);
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_approval(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	-- an approval in the accountable role, or a sign-off
	-- in a role the gate asks one of
	ok := (n ->> 'stage' = (SELECT stage FROM project
	                        WHERE id = pid)
	       AND ((aiproj_may('gate approve', pid, n ->> 'stage')
	             AND EXISTS (SELECT 1 FROM raci
	                         WHERE stage = n ->> 'stage'
	                           AND role = n ->> 'role'
	                           AND raci = 'A'))
	         OR (aiproj_may('gate approve --as', pid, n ->> 'stage')
	             AND EXISTS (SELECT 1 FROM lc_signoff
	                         WHERE stage = n ->> 'stage'
	                           AND role = n ->> 'role'))))
	   OR aiproj_may('import', NULL, NULL);
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_component(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := aiproj_may('component add', pid, NULL)
		   OR aiproj_may('import', NULL, NULL);
	ELSIF op = 'DELETE' THEN
		ok := aiproj_may('component remove', pid, NULL);
	ELSE
		-- a handover: the owner, and nothing else
		ok := NOT aiproj_changed(o, n, ARRAY['project_id',
		                                     'name',
		                                     'description',
		                                     'version'])
		   AND (aiproj_may('component handover', pid, NULL)
		     OR aiproj_owner(pid, o ->> 'owner'));
	END IF;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_event(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
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
	    WHEN 'handover' THEN
	        aiproj_may('component handover', pid, NULL)
	        OR aiproj_owner(pid, (SELECT owner FROM component
	                              WHERE project_id = pid
	                                AND name = n ->> 'subject'))
	    ELSE false END;
	RETURN ok;
END $$;

CREATE OR REPLACE FUNCTION aiproj_guard_audit(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	ok := op = 'INSERT'; -- refusals are logged by the refused
	RETURN ok;
END $$;

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
	IF t IN ('transition', 'approval', 'kpi_reading', 'event', 'audit',
	         'kpi_change')
	   AND TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION 'the % table is append-only: a row is never changed or deleted, but with its project', t
		      USING ERRCODE = 'AP001';
	END IF;
	adm := EXISTS (SELECT 1 FROM admin WHERE person = me);
	IF coalesce((SELECT value FROM meta WHERE key = 'policy'), 'open')
	   <> 'roles' THEN
		-- open: every command, as aiproj; the settings are the owner's
		-- and the administrators'
		ok := t NOT IN ('auth_rule', 'raci', 'lc_stage', 'lc_signoff')
		      AND (t <> 'meta' OR adm
		           OR coalesce(o, n) ->> 'key' IN ('policy', 'lifecycle'));
	ELSE
		-- the row's writer is session_user (an import keeps its file's)
		who := coalesce(n ->> CASE t WHEN 'approval' THEN 'person'
		                    WHEN 'criterion' THEN 'done_by'
		                    WHEN 'admin' THEN 'added_by'
		                    WHEN 'prod_release' THEN
		                        CASE TG_OP WHEN 'UPDATE' THEN 'ended_by'
		                        ELSE 'actor' END
		                    ELSE 'actor' END, me);
		IF who <> me AND NOT adm
		   AND coalesce((SELECT value FROM meta
		                 WHERE key = 'allow_actor'), '') <> 'true' THEN
			RAISE EXCEPTION 'policy ''roles'': ''%'' may not write a row of table % in the name of ''%''', me, t, who
			      USING ERRCODE = 'AP001';
		END IF;
		CASE t
		WHEN 'meta' THEN
			ok := aiproj_guard_meta(TG_OP, o, n, pid, me, adm);
		WHEN 'admin' THEN
			ok := aiproj_guard_admin(TG_OP, o, n, pid, me, adm);
		WHEN 'project' THEN
			ok := aiproj_guard_project(TG_OP, o, n, pid, me, adm);
		WHEN 'transition' THEN
			ok := aiproj_guard_transition(TG_OP, o, n, pid, me, adm);
		WHEN 'criterion' THEN
			ok := aiproj_guard_criterion(TG_OP, o, n, pid, me, adm);
		WHEN 'assignment' THEN
			ok := aiproj_guard_assignment(TG_OP, o, n, pid, me, adm);
		WHEN 'person', 'person_name' THEN
			ok := aiproj_guard_person(TG_OP, o, n, pid, me, adm);
		WHEN 'person_event' THEN
			ok := aiproj_guard_person_event(TG_OP, o, n, pid, me, adm);
		WHEN 'decision' THEN
			ok := aiproj_guard_decision(TG_OP, o, n, pid, me, adm);
		WHEN 'kpi' THEN
			ok := aiproj_guard_kpi(TG_OP, o, n, pid, me, adm);
		WHEN 'kpi_change' THEN
			ok := aiproj_guard_kpi_change(TG_OP, o, n, pid, me, adm);
		WHEN 'prod_release' THEN
			ok := aiproj_guard_prod_release(TG_OP, o, n, pid, me, adm);
		WHEN 'kpi_reading' THEN
			ok := aiproj_guard_kpi_reading(TG_OP, o, n, pid, me, adm);
		WHEN 'approval' THEN
			ok := aiproj_guard_approval(TG_OP, o, n, pid, me, adm);
		WHEN 'component' THEN
			ok := aiproj_guard_component(TG_OP, o, n, pid, me, adm);
		WHEN 'event' THEN
			ok := aiproj_guard_event(TG_OP, o, n, pid, me, adm);
		WHEN 'audit' THEN
			ok := aiproj_guard_audit(TG_OP, o, n, pid, me, adm);
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

DO $$
DECLARE
	f TEXT;
BEGIN
	-- (CREATE OR REPLACE resets the functions' settings)
	FOREACH f IN ARRAY ARRAY['meta', 'admin', 'project', 'transition',
	                         'criterion', 'assignment', 'person',
	                         'person_event', 'decision', 'kpi',
	                         'kpi_change', 'prod_release', 'kpi_reading',
	                         'approval', 'component', 'event', 'audit'] LOOP
		EXECUTE format('ALTER FUNCTION aiproj_guard_%s(TEXT, JSONB, JSONB,'
		               ' BIGINT, TEXT, BOOLEAN) SET search_path ='
		               ' pg_catalog, %I, pg_temp', f, current_schema());
	END LOOP;
	EXECUTE format('ALTER FUNCTION aiproj_guard() SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
END $$;
