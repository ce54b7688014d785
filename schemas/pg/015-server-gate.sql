-- aiproj store schema (PostgreSQL), migration 015: the server checks the
-- gate of every advance a member writes.  aiproj moves a project with an
-- `advance` only when the gate of the stage it leaves holds (otherwise the
-- move is `forced`, with a reason, and says so); a member writing through
-- psql could label a forced move an advance.  Under the `roles` policy, a
-- transition of kind 'advance' written by a member (not the store's owner,
-- not an administrator, who may import any history) must therefore
-- follow the project's move in the same transaction (the project is at the
-- stage it goes to, its epoch one past the visit it leaves, as aiproj
-- writes them) and the gate of the stage it leaves must hold, as the
-- engine judges it (gate_walk() in src/engine.c):
--   (a) every accountable and responsible role of the stage has someone;
--   (c) a make decision with a cost, a KPI, where the stage asks for them;
--   (b) every manual criterion of the stage is done;
--   (d) the accountable role's approval in that visit, by a person who
--       still holds the role (under the name they have now);
--   (e) the sign-off of each role the stage asks one of, likewise.
-- The lifecycle's demands are copied by aiproj into lc_stage, as its roles
-- into raci and lc_signoff.  Refusals raise SQLSTATE AP001.

ALTER TABLE lc_stage ADD COLUMN requires_decision BOOLEAN NOT NULL
	DEFAULT false;
ALTER TABLE lc_stage ADD COLUMN requires_kpi BOOLEAN NOT NULL DEFAULT false;

-- An approval or sign-off of project pid's gate of stage st in visit ep, in
-- role r ('' when the stage has no accountable role), by a holder of r.
CREATE FUNCTION aiproj_gate_given(pid BIGINT, st TEXT, ep BIGINT, r TEXT)
RETURNS BOOLEAN LANGUAGE sql STABLE AS $$
	SELECT EXISTS (SELECT 1 FROM approval a
	               WHERE a.project_id = pid AND a.stage = st
	                 AND a.epoch = ep AND a.role = r
	                 AND (r = '' OR EXISTS (SELECT 1 FROM assignment h
	                      WHERE h.project_id = pid AND h.role = r
	                        AND (h.person = a.person
	                             OR h.person IN (SELECT pe.name
	                                 FROM person_name pn
	                                 JOIN person pe ON pe.id = pn.person_id
	                                 WHERE pn.name = a.person)))))
$$;

-- What of the gate of stage st of project pid, in visit ep, is missing
-- (NULL: it holds).
CREATE FUNCTION aiproj_gate_missing(pid BIGINT, st TEXT, ep BIGINT)
RETURNS TEXT LANGUAGE plpgsql STABLE AS $$
DECLARE
	s lc_stage;
	r TEXT;
	acc TEXT;
BEGIN
	SELECT * INTO s FROM lc_stage WHERE stage = st;
	IF NOT FOUND THEN
		RETURN format('no stage ''%s'' in the lifecycle', st);
	END IF;
	SELECT x.role INTO r FROM raci x
	WHERE x.stage = st AND NOT EXISTS (SELECT 1 FROM assignment a
	                                  WHERE a.project_id = pid
	                                    AND a.role = x.role)
	ORDER BY x.raci, x.role LIMIT 1;
	IF FOUND THEN
		RETURN format('nobody is assigned as %s', r);
	END IF;
	IF s.requires_decision AND NOT EXISTS (
	       SELECT 1 FROM decision d
	       WHERE d.id = (SELECT max(id) FROM decision
	                     WHERE project_id = pid)
	         AND d.kind = 'make' AND d.cost IS NOT NULL) THEN
		RETURN 'no make decision with a cost';
	END IF;
	IF s.requires_kpi AND NOT EXISTS (SELECT 1 FROM kpi k
	                                  WHERE k.project_id = pid
	                                    AND k.removed_at IS NULL) THEN
		RETURN 'no KPI';
	END IF;
	SELECT c.id::text INTO r FROM criterion c
	WHERE c.project_id = pid AND c.stage = st AND c.done = 0
	ORDER BY c.id LIMIT 1;
	IF FOUND THEN
		RETURN format('criterion %s is not done', r);
	END IF;
	SELECT coalesce((SELECT x.role FROM raci x
	                 WHERE x.stage = st AND x.raci = 'A'), '') INTO acc;
	IF NOT aiproj_gate_given(pid, st, ep, acc) THEN
		RETURN CASE acc WHEN '' THEN 'no approval'
		       ELSE format('no approval by the %s', acc) END;
	END IF;
	SELECT o.role INTO r FROM lc_signoff o
	WHERE o.stage = st AND NOT aiproj_gate_given(pid, st, ep, o.role)
	ORDER BY o.role LIMIT 1;
	IF FOUND THEN
		RETURN format('no sign-off by the %s', r);
	END IF;
	RETURN NULL;
END $$;

CREATE FUNCTION aiproj_gate_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER AS $$
DECLARE
	p project;
	missing TEXT;
BEGIN
	-- under `open` every command is anyone's; an administrator may import
	-- (any history) and is not held to the gate either
	IF coalesce((SELECT value FROM meta WHERE key = 'policy'), 'open')
	   <> 'roles' OR EXISTS (SELECT 1 FROM admin
	                         WHERE person = session_user) THEN
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM project WHERE id = NEW.project_id;
	IF NOT FOUND OR p.stage <> NEW.to_stage THEN
		RAISE EXCEPTION '''%'' may not record an advance of a project that has not moved (aiproj moves the project, then records the move)', session_user
		      USING ERRCODE = 'AP001';
	END IF;
	missing := aiproj_gate_missing(p.id, NEW.from_stage, p.epoch - 1);
	IF missing IS NOT NULL THEN
		RAISE EXCEPTION '''%'' may not record an advance of ''%'' past the gate of %: %; a move past an unmet gate is forced (aiproj stage advance --force)', session_user, p.name, NEW.from_stage, missing
		      USING ERRCODE = 'AP001';
	END IF;
	RETURN NEW;
END $$;

DO $$
BEGIN
	-- (the owner is trusted, as by aiproj_guard; an import writes its
	-- file's history, which import checks itself)
	EXECUTE format('CREATE TRIGGER aiproj_gate BEFORE INSERT ON transition'
	               ' FOR EACH ROW WHEN (NEW.kind = ''advance'' AND NOT'
	               ' pg_catalog.pg_has_role(session_user, %s::oid,'
	               ' ''MEMBER'')) EXECUTE FUNCTION aiproj_gate_check()',
	               (SELECT oid FROM pg_roles WHERE rolname = current_user));
	EXECUTE format('ALTER FUNCTION aiproj_gate_check() SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_gate_missing(BIGINT, TEXT, BIGINT)'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_gate_given(BIGINT, TEXT, BIGINT,'
	               ' TEXT) SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
