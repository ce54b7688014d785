-- aiproj store schema (PostgreSQL), migration 018: the name an assignment
-- was made to, as schemas/018-assigned-name.sql.  The server lets a rename
-- or merge write it once, from NULL to the name the assignment had: the
-- rule of the assignment table (schemas/pg/017-guard-split.sql) with that
-- change.
ALTER TABLE assignment ADD COLUMN assigned_name TEXT COLLATE "C";

CREATE OR REPLACE FUNCTION aiproj_guard_assignment(op TEXT, o JSONB, n JSONB,
	pid BIGINT, me TEXT, adm BOOLEAN) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
	ok BOOLEAN := false;
BEGIN
	IF op = 'INSERT' THEN
		ok := ((aiproj_may('role assign', pid, NULL)
		        AND (n ->> 'person' <> me OR adm))
		       OR aiproj_may('import', NULL, NULL))
		      AND n ->> 'assigned_name' IS NULL;
	ELSIF op = 'DELETE' THEN
		ok := aiproj_may('role unassign', pid, NULL);
	ELSE
		-- person rename and merge: the assignment follows its
		-- person, and keeps the name it was made to
		ok := NOT aiproj_changed(o, n, ARRAY['project_id', 'role',
		                                     'assigned_at', 'title'])
		   AND (NOT aiproj_changed(o, n, ARRAY['assigned_name'])
		        OR (o ->> 'assigned_name' IS NULL
		            AND n ->> 'assigned_name' = o ->> 'person'))
		   AND (aiproj_may('person rename', NULL, NULL)
		     OR aiproj_may('person merge', NULL, NULL));
	END IF;
	RETURN ok;
END $$;

DO $$
BEGIN
	-- (CREATE OR REPLACE resets the functions' settings)
	EXECUTE format('ALTER FUNCTION aiproj_guard_assignment(TEXT, JSONB,'
	               ' JSONB, BIGINT, TEXT, BOOLEAN) SET search_path ='
	               ' pg_catalog, %I, pg_temp', current_schema());
END $$;
