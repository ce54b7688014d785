-- aiproj store schema (PostgreSQL), migration 014: handovers and people's
-- titles, as schemas/014-handover.sql (see there for the columns and the
-- event kind 'handover').

ALTER TABLE component ADD COLUMN version TEXT COLLATE "C";
ALTER TABLE assignment ADD COLUMN title TEXT COLLATE "C";
ALTER TABLE event DROP CONSTRAINT event_kind_check;
ALTER TABLE event ADD CONSTRAINT event_kind_check
	CHECK (kind IN ('note', 'hold', 'resume', 'close', 'reopen', 'unassign',
	                'component-add', 'component-remove', 'due', 'handover'));

-- The server's side (schemas/pg/008-server-policy.sql): a handover changes
-- a component's owner (its only change), with an event of kind 'handover'
-- written first, while the component still has its owner before; both are
-- allowed by the rule of `component handover` (who 'owner': a holder of the
-- component's owner role, or the stage's A role, or an admin).  A title is
-- written with its assignment, by the rule of `role assign`; a person's
-- rename or merge leaves it as it was.  The guard below is
-- schemas/pg/013-buy.sql's (a buy's move by the rule of `decide`) with
-- the handover's changes.

ALTER TABLE auth_rule DROP CONSTRAINT auth_rule_who_check;
ALTER TABLE auth_rule ADD CONSTRAINT auth_rule_who_check
	CHECK (who IN ('admin', 'stage-a', 'stage-ar', 'last-ar', 'signoff',
	               'owner'));

-- Does the session's user hold the owner role of the component (before a
-- handover) under the rule of `component handover`?
CREATE OR REPLACE FUNCTION aiproj_owner(pid BIGINT, owner TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM auth_rule
	               WHERE command = 'component handover' AND who = 'owner')
	   AND EXISTS (SELECT 1 FROM assignment
	               WHERE project_id = pid AND role = owner
	                 AND person = session_user)
$$;

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
		WHEN 'transition' THEN
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
				                                     'assigned_at',
				                                     'title'])
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
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('kpi add', pid, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'UPDATE' THEN
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
		WHEN 'kpi_change' THEN
			ok := aiproj_may(CASE n ->> 'kind' WHEN 'remove'
			                 THEN 'kpi remove' ELSE 'kpi set' END, pid, NULL)
			   OR aiproj_may('import', NULL, NULL);
		WHEN 'prod_release' THEN
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('release add', pid, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'UPDATE' THEN
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
		WHEN 'kpi_reading' THEN
			ok := aiproj_may('kpi record', pid, NULL)
			   OR aiproj_may('import', NULL, NULL);
		WHEN 'approval' THEN
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
		WHEN 'component' THEN
			IF TG_OP = 'INSERT' THEN
				ok := aiproj_may('component add', pid, NULL)
				   OR aiproj_may('import', NULL, NULL);
			ELSIF TG_OP = 'DELETE' THEN
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
			    WHEN 'handover' THEN
			        aiproj_may('component handover', pid, NULL)
			        OR aiproj_owner(pid, (SELECT owner FROM component
			                              WHERE project_id = pid
			                                AND name = n ->> 'subject'))
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

DO $$
BEGIN
	-- (CREATE OR REPLACE resets the functions' settings)
	EXECUTE format('ALTER FUNCTION aiproj_guard() SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_owner(BIGINT, TEXT)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
