-- aiproj store schema, migration 024 (PostgreSQL): the hash chains'
-- encoding (schemas/pg/007-hash-chain.sql) computed in PL/pgSQL.  The
-- bytes hashed and the hashes are the same; the SQL functions were made
-- again (parsed and planned) at every call, a dozen times a row, which
-- was most of the server's time in an import.

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
