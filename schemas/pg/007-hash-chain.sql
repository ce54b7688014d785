-- aiproj store schema (PostgreSQL): the hash chains of
-- schemas/007-hash-chain.sql, computed by the server.  Every row of
-- transition, approval, kpi_reading and audit carries `prev`, the hash of
-- the row before it in its chain, and `hash`, the SHA-256 of its canonical
-- encoding (docs/security.md), which the BEFORE INSERT triggers below
-- compute with the built-in sha256() whatever the writer sent.  A project
-- has a chain of its history, one of its approvals and one of the readings
-- of each KPI; the audit log is one chain for the store; each in id order.

-- One field: "N:BYTES\n" (N the byte length of its UTF-8), "-\n" a null.
CREATE FUNCTION aiproj_chain_field(v TEXT) RETURNS BYTEA
LANGUAGE sql IMMUTABLE AS $$
	SELECT CASE WHEN v IS NULL THEN '\x2d0a'::bytea
	ELSE convert_to(octet_length(convert_to(v, 'UTF8'))::text || ':',
	                'UTF8')
	     || convert_to(v, 'UTF8') || '\x0a'::bytea END
$$;

-- The hash of an object "TYPE LEN\0BODY", BODY = prev and the fields.
CREATE FUNCTION aiproj_chain_hash(type TEXT, prev TEXT, fields TEXT[])
RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
	SELECT encode(sha256(convert_to(type || ' ' || length(b)::text, 'UTF8')
	                     || '\x00'::bytea || b), 'hex')
	FROM (SELECT aiproj_chain_field(prev) || coalesce(
	        (SELECT string_agg(aiproj_chain_field(f), ''::bytea
	                           ORDER BY i)
	         FROM unnest(fields) WITH ORDINALITY AS u (f, i)),
	        ''::bytea) AS b) x
$$;

CREATE FUNCTION aiproj_chain_genesis() RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$ SELECT repeat('0', 64) $$;

ALTER TABLE transition ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE transition ADD COLUMN hash TEXT COLLATE "C";
ALTER TABLE approval ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE approval ADD COLUMN hash TEXT COLLATE "C";
ALTER TABLE kpi_reading ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE kpi_reading ADD COLUMN hash TEXT COLLATE "C";
ALTER TABLE audit ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE audit ADD COLUMN hash TEXT COLLATE "C";

-- each project's approvals in order, and the last one, from an index
CREATE INDEX approval_chain ON approval (project_id, id);

-- The rows the store already holds, chain by chain in id order.
UPDATE transition t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.*, row_number() OVER (PARTITION BY project_id ORDER BY id) AS n
	FROM transition x),
	c (id, project_id, n, prev, hash) AS (
	SELECT id, project_id, n, aiproj_chain_genesis() COLLATE "C",
	       (aiproj_chain_hash('transition', aiproj_chain_genesis(),
	           ARRAY[from_stage, to_stage, kind, actor, reason, at])) COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.n, c.hash,
	       (aiproj_chain_hash('transition', c.hash,
	           ARRAY[r.from_stage, r.to_stage, r.kind, r.actor, r.reason,
	                 r.at])) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

UPDATE approval t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.*, row_number() OVER (PARTITION BY project_id ORDER BY id) AS n
	FROM approval x),
	c (id, project_id, n, prev, hash) AS (
	SELECT id, project_id, n, aiproj_chain_genesis() COLLATE "C",
	       (aiproj_chain_hash('approval', aiproj_chain_genesis(),
	           ARRAY[stage, epoch::text, person, role, note, at])) COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.n, c.hash,
	       (aiproj_chain_hash('approval', c.hash,
	           ARRAY[r.stage, r.epoch::text, r.person, r.role, r.note, r.at])) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

UPDATE kpi_reading t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.*, row_number() OVER (PARTITION BY project_id, kpi
	                               ORDER BY id) AS n
	FROM kpi_reading x),
	c (id, project_id, kpi, n, prev, hash) AS (
	SELECT id, project_id, kpi, n, aiproj_chain_genesis() COLLATE "C",
	       (aiproj_chain_hash('reading', aiproj_chain_genesis(),
	           ARRAY[kpi, encode(float8send(value), 'hex'), actor, at])) COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.kpi, r.n, c.hash,
	       (aiproj_chain_hash('reading', c.hash,
	           ARRAY[r.kpi, encode(float8send(r.value), 'hex'), r.actor,
	                 r.at])) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.kpi = c.kpi
	              AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

UPDATE audit t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.*, row_number() OVER (ORDER BY id) AS n FROM audit x),
	c (id, n, prev, hash) AS (
	SELECT id, n, aiproj_chain_genesis() COLLATE "C",
	       (aiproj_chain_hash('audit', aiproj_chain_genesis(),
	           ARRAY[at, actor, action, project, stage, detail])) COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.n, c.hash,
	       (aiproj_chain_hash('audit', c.hash,
	           ARRAY[r.at, r.actor, r.action, r.project, r.stage, r.detail])) COLLATE "C"
	FROM r JOIN c ON r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

-- New rows: the server links and hashes each one as it is written.  The
-- previous row is the chain's last before the new row's id.
CREATE FUNCTION aiproj_chain_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM transition
	                      WHERE project_id = NEW.project_id
	                        AND id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('transition', NEW.prev,
	    ARRAY[NEW.from_stage, NEW.to_stage, NEW.kind, NEW.actor,
	          NEW.reason, NEW.at]);
	RETURN NEW;
END $$;
CREATE TRIGGER transition_chain BEFORE INSERT ON transition
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_transition();

CREATE FUNCTION aiproj_chain_approval() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM approval
	                      WHERE project_id = NEW.project_id
	                        AND id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('approval', NEW.prev,
	    ARRAY[NEW.stage, NEW.epoch::text, NEW.person, NEW.role, NEW.note,
	          NEW.at]);
	RETURN NEW;
END $$;
CREATE TRIGGER approval_chain BEFORE INSERT ON approval
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_approval();

CREATE FUNCTION aiproj_chain_reading() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM kpi_reading
	                      WHERE project_id = NEW.project_id
	                        AND kpi = NEW.kpi AND id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('reading', NEW.prev,
	    ARRAY[NEW.kpi, encode(float8send(NEW.value), 'hex'), NEW.actor,
	          NEW.at]);
	RETURN NEW;
END $$;
CREATE TRIGGER kpi_reading_chain BEFORE INSERT ON kpi_reading
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_reading();

CREATE FUNCTION aiproj_chain_audit() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM audit WHERE id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('audit', NEW.prev,
	    ARRAY[NEW.at, NEW.actor, NEW.action, NEW.project, NEW.stage,
	          NEW.detail]);
	RETURN NEW;
END $$;
CREATE TRIGGER audit_chain BEFORE INSERT ON audit
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_audit();
