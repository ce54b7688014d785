-- aiproj store schema (PostgreSQL), migration 025: the server's rules
-- (aiproj_may(), schemas/pg/012-stage-start.sql) as aiproj's own
-- (engine_auth.c): where the stage a rule looks at has no role of the kind
-- it asks for -- a custom lifecycle's stage without an accountable role,
-- for a rule of the A role; without an accountable or a responsible one,
-- for a rule of the A or an R role -- the store's administrators stand in
-- for it.  Before, the server refused an administrator's move of a project
-- at such a stage (the project row's change), though aiproj allowed it.

CREATE OR REPLACE FUNCTION aiproj_may(cmd TEXT, pid BIGINT, st TEXT) RETURNS BOOLEAN
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
	IF r.who = 'last-ar' THEN
		-- the last stage's (deployment's) roles, wherever the project is
		SELECT stage INTO st FROM lc_stage ORDER BY position DESC LIMIT 1;
	ELSIF st IS NULL THEN
		SELECT stage INTO st FROM project WHERE id = pid;
	END IF;
	IF r.who = 'signoff' THEN
		-- a role whose sign-off the stage's gate asks for
		RETURN EXISTS (SELECT 1 FROM assignment a
		               JOIN lc_signoff x ON x.role = a.role AND x.stage = st
		               WHERE a.project_id = pid AND a.person = me);
	END IF;
	-- a stage without a role of the kind the rule asks for: its
	-- administrators stand in for it
	IF adm AND NOT EXISTS (SELECT 1 FROM raci x WHERE x.stage = st
	                       AND (x.raci = 'A' OR (x.raci = 'R'
	                            AND r.who IN ('stage-ar', 'last-ar')))) THEN
		RETURN true;
	END IF;
	RETURN EXISTS (SELECT 1 FROM assignment a
	               JOIN raci x ON x.role = a.role AND x.stage = st
	               WHERE a.project_id = pid AND a.person = me
	                 AND (x.raci = 'A' OR r.who IN ('stage-ar', 'last-ar')));
END $$;

DO $$
BEGIN
	-- (CREATE OR REPLACE resets the function's settings)
	EXECUTE format('ALTER FUNCTION aiproj_may(TEXT, BIGINT, TEXT)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
