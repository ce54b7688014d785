-- aiproj store schema, migration 023 (PostgreSQL): the functions the
-- server runs for each row written made cheaper, their results the same.
-- The hash chains' encoding (schemas/pg/007-hash-chain.sql) computed in
-- PL/pgSQL: the bytes hashed and the hashes are the same, but the SQL
-- functions were made again (parsed and planned) at every call, a dozen
-- times a row, which was most of the server's time in an import.

CREATE OR REPLACE FUNCTION aiproj_chain_field(v TEXT) RETURNS BYTEA
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	u BYTEA;
BEGIN
	IF v IS NULL THEN
		RETURN '\x2d0a'::bytea;
	END IF;
	u := convert_to(v, 'UTF8');
	RETURN convert_to(octet_length(u)::text || ':', 'UTF8') || u
	       || '\x0a'::bytea;
END $$;

CREATE OR REPLACE FUNCTION aiproj_chain_hash(type TEXT, prev TEXT,
                                             fields TEXT[])
RETURNS TEXT LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
	b BYTEA;
	u BYTEA;
	f TEXT;
BEGIN
	IF prev IS NULL THEN
		b := '\x2d0a'::bytea;
	ELSE
		u := convert_to(prev, 'UTF8');
		b := convert_to(octet_length(u)::text || ':', 'UTF8') || u
		     || '\x0a'::bytea;
	END IF;
	IF fields IS NOT NULL THEN
		FOREACH f IN ARRAY fields LOOP
			IF f IS NULL THEN
				b := b || '\x2d0a'::bytea;
			ELSE
				u := convert_to(f, 'UTF8');
				b := b || convert_to(octet_length(u)::text
				                     || ':', 'UTF8')
				     || u || '\x0a'::bytea;
			END IF;
		END LOOP;
	END IF;
	RETURN encode(sha256(convert_to(type || ' ' || length(b)::text, 'UTF8')
	                     || '\x00'::bytea || b), 'hex');
END $$;

-- The feed's next id (schemas/pg/009-feed.sql, 011-releases.sql): the
-- same lock, id and notification, the calls made as expressions, not
-- PERFORM's query run through SPI for each row written.
CREATE OR REPLACE FUNCTION aiproj_feed_next() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	done BOOLEAN;
BEGIN
	done := pg_advisory_xact_lock(1095323730) IS NULL;
	NEW.feed_id := nextval('feed_seq');
	done := pg_notify('aiproj_events', '') IS NULL;
	RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION aiproj_feed_end() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
	done BOOLEAN;
BEGIN
	done := pg_advisory_xact_lock(1095323730) IS NULL;
	NEW.end_feed_id := nextval('feed_seq');
	done := pg_notify('aiproj_events', '') IS NULL;
	RETURN NEW;
END $$;

-- (CREATE OR REPLACE made them SECURITY INVOKER again: the owner's
-- rights and the store's schema only, as before)
DO $$
BEGIN
	EXECUTE format('ALTER FUNCTION aiproj_feed_next() SECURITY DEFINER'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
	EXECUTE format('ALTER FUNCTION aiproj_feed_end() SECURITY DEFINER'
	               ' SET search_path = pg_catalog, %I, pg_temp',
	               current_schema());
END $$;
