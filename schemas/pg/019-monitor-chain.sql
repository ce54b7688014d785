-- aiproj store schema (PostgreSQL): the monitoring records join the hash
-- chains, as schemas/019-monitor-chain.sql (see there), computed by the
-- server like those of schemas/pg/007-hash-chain.sql.  A project's
-- releases are one chain in id order and the changes of each KPI one
-- chain in id order; a release's hash covers its end and is computed again
-- when the live release ends (its link, prev, is kept; any other UPDATE
-- keeps both, so verify sees it); a reading's hash covers its breach flag
-- ("1", one more field, when set).

ALTER TABLE prod_release ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE prod_release ADD COLUMN hash TEXT COLLATE "C";
ALTER TABLE kpi_change ADD COLUMN prev TEXT COLLATE "C";
ALTER TABLE kpi_change ADD COLUMN hash TEXT COLLATE "C";

-- each KPI's changes in order, and the last one, from an index
CREATE INDEX kpi_change_chain ON kpi_change (project_id, kpi, id);

-- The fields each row is hashed over (include/aiproj/chain.h).
CREATE FUNCTION aiproj_release_fields(r prod_release) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[r.version, r.artifact, r.digest, r.commit_sha, r.note,
	             r.actor, r.at, r.ended, r.ended_by, r.ended_at,
	             r.end_reason]
$$;
CREATE FUNCTION aiproj_change_fields(c kpi_change) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[c.kpi, c.kind, c.op, encode(float8send(c.target), 'hex'),
	             c.was_op, encode(float8send(c.was_target), 'hex'),
	             c.reason, c.actor, c.at]
$$;
CREATE FUNCTION aiproj_reading_fields(r kpi_reading) RETURNS TEXT[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY[r.kpi, encode(float8send(r.value), 'hex'), r.actor, r.at]
	       || CASE WHEN r.breach <> 0 THEN ARRAY['1'] ELSE '{}'::TEXT[] END
$$;

-- The rows the store already holds, chain by chain in id order: every
-- release and KPI change, and the reading chains that hold a breach (a
-- reading chain keeps its hashes up to its first breach).
UPDATE prod_release t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.id, x.project_id, aiproj_release_fields(x) AS f,
	       row_number() OVER (PARTITION BY project_id ORDER BY id) AS n
	FROM prod_release x),
	c (id, project_id, n, prev, hash) AS (
	SELECT id, project_id, n, aiproj_chain_genesis() COLLATE "C",
	       aiproj_chain_hash('release', aiproj_chain_genesis(), f)
	           COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.n, c.hash,
	       aiproj_chain_hash('release', c.hash, r.f) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

UPDATE kpi_change t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.id, x.project_id, x.kpi, aiproj_change_fields(x) AS f,
	       row_number() OVER (PARTITION BY project_id, kpi
	                          ORDER BY id) AS n
	FROM kpi_change x),
	c (id, project_id, kpi, n, prev, hash) AS (
	SELECT id, project_id, kpi, n, aiproj_chain_genesis() COLLATE "C",
	       aiproj_chain_hash('change', aiproj_chain_genesis(), f)
	           COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.kpi, r.n, c.hash,
	       aiproj_chain_hash('change', c.hash, r.f) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.kpi = c.kpi
	              AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

UPDATE kpi_reading t SET prev = c.prev, hash = c.hash
FROM (WITH RECURSIVE r AS (
	SELECT x.id, x.project_id, x.kpi, aiproj_reading_fields(x) AS f,
	       row_number() OVER (PARTITION BY project_id, kpi
	                          ORDER BY id) AS n
	FROM kpi_reading x
	WHERE EXISTS (SELECT 1 FROM kpi_reading b
	              WHERE b.project_id = x.project_id AND b.kpi = x.kpi
	                AND b.breach <> 0)),
	c (id, project_id, kpi, n, prev, hash) AS (
	SELECT id, project_id, kpi, n, aiproj_chain_genesis() COLLATE "C",
	       aiproj_chain_hash('reading', aiproj_chain_genesis(), f)
	           COLLATE "C"
	FROM r WHERE n = 1
	UNION ALL
	SELECT r.id, r.project_id, r.kpi, r.n, c.hash,
	       aiproj_chain_hash('reading', c.hash, r.f) COLLATE "C"
	FROM r JOIN c ON r.project_id = c.project_id AND r.kpi = c.kpi
	              AND r.n = c.n + 1)
	SELECT id, prev, hash FROM c) c
WHERE t.id = c.id;

-- New rows: the server links and hashes each one as it is written; a
-- release again when it ends, keeping its link.
CREATE FUNCTION aiproj_chain_release() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' THEN
		NEW.prev := OLD.prev;
		IF NOT (OLD.ended IS NULL AND NEW.ended IS NOT NULL) THEN
			NEW.hash := OLD.hash;
			RETURN NEW;
		END IF;
	ELSE
		NEW.prev := coalesce((SELECT hash FROM prod_release
		                      WHERE project_id = NEW.project_id
		                        AND id < NEW.id
		                      ORDER BY id DESC LIMIT 1),
		                     aiproj_chain_genesis());
	END IF;
	NEW.hash := aiproj_chain_hash('release', NEW.prev,
	                              aiproj_release_fields(NEW));
	RETURN NEW;
END $$;
CREATE TRIGGER prod_release_chain BEFORE INSERT OR UPDATE ON prod_release
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_release();

CREATE FUNCTION aiproj_chain_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM kpi_change
	                      WHERE project_id = NEW.project_id
	                        AND kpi = NEW.kpi AND id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('change', NEW.prev,
	                              aiproj_change_fields(NEW));
	RETURN NEW;
END $$;
CREATE TRIGGER kpi_change_chain BEFORE INSERT ON kpi_change
	FOR EACH ROW EXECUTE FUNCTION aiproj_chain_change();

CREATE OR REPLACE FUNCTION aiproj_chain_reading() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	NEW.prev := coalesce((SELECT hash FROM kpi_reading
	                      WHERE project_id = NEW.project_id
	                        AND kpi = NEW.kpi AND id < NEW.id
	                      ORDER BY id DESC LIMIT 1),
	                     aiproj_chain_genesis());
	NEW.hash := aiproj_chain_hash('reading', NEW.prev,
	                              aiproj_reading_fields(NEW));
	RETURN NEW;
END $$;
