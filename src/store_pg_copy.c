/*
 * store_pg_copy.c - a copy's bulk reads and writes on PostgreSQL
 * (struct store_copy_ops, store_copy.c): rows stream out through COPY ...
 * TO STDOUT and in through COPY ... FROM STDIN, in the text format, a
 * buffer at a time; the triggers of the tables written are switched off
 * for the copy's transaction (ALTER TABLE ... DISABLE TRIGGER USER), which
 * only the owner of the tables may do.
 */
#include "store_pg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

#define COPY_FLUSH (256 * 1024) /* bytes sent to the server at a time */
#define COPY_COLS 32

struct pg_copy {
	struct sbuf buf; /* rows not yet sent */
	char *table;     /* being written */
	int has_id;      /* it has a column id */
	const char *types;
	int in_copy; /* the connection is in COPY FROM STDIN */
};

void
pg_copy_free(struct store *s)
{
	struct pg_copy *k = PG(s)->copy;

	if (!k)
		return;
	sbuf_free(&k->buf);
	free(k->table);
	free(k);
	PG(s)->copy = NULL;
}

/* The rest of a command's results, the first failure's error kept. */
static const struct ap_error *
drain(struct store *s, const char *doing)
{
	const struct ap_error *err = NULL;
	PGresult *r;

	while ((r = PQgetResult(PG(s)->conn))) {
		if (!err && !pg_res_ok(r))
			err = pg_error(s, r, doing);
		PQclear(r);
	}
	return err;
}

/* A field of COPY's text format decoded in place: its length. */
static size_t
unescape(char *f, size_t n)
{
	size_t i = 0, o = 0;

	while (i < n) {
		char ch = f[i++];
		if (ch != '\\' || i == n) {
			f[o++] = ch;
			continue;
		}
		ch = f[i++];
		switch (ch) {
		case 'b': f[o++] = '\b'; break;
		case 'f': f[o++] = '\f'; break;
		case 'n': f[o++] = '\n'; break;
		case 'r': f[o++] = '\r'; break;
		case 't': f[o++] = '\t'; break;
		case 'v': f[o++] = '\v'; break;
		case 'x': {
			int v = 0, k = 0;
			while (k < 2 && i < n &&
			       strchr("0123456789abcdefABCDEF", f[i]) && f[i]) {
				char d = f[i++];
				v = v * 16 + (d <= '9'   ? d - '0'
					      : d <= 'F' ? d - 'A' + 10
							 : d - 'a' + 10);
				k++;
			}
			f[o++] = k ? (char)v : 'x';
			break;
		}
		default:
			if (ch >= '0' && ch <= '7') {
				int v = ch - '0', k = 1;
				while (k < 3 && i < n && f[i] >= '0' &&
				       f[i] <= '7') {
					v = v * 8 + (f[i++] - '0');
					k++;
				}
				f[o++] = (char)v;
			} else {
				f[o++] = ch;
			}
		}
	}
	return o;
}

/* One row of COPY's text format (without its newline) as values. */
static const struct ap_error *
split_row(char *row, size_t len, size_t ncols, struct copy_val *v)
{
	size_t c = 0, start = 0;

	for (size_t i = 0; i <= len; i++) {
		size_t n;
		if (i < len && row[i] != '\t')
			continue;
		if (c == ncols)
			return ap_error_fmt(AP_EXIT_STORE,
					    "internal error: a copied row has"
					    " more than %zu columns",
					    ncols);
		n = i - start;
		if (n == 2 && row[start] == '\\' && row[start + 1] == 'N') {
			v[c].p = NULL;
			v[c].n = 0;
		} else {
			v[c].n = unescape(row + start, n);
			row[start + v[c].n] = '\0';
			v[c].p = row + start;
		}
		c++;
		start = i + 1;
	}
	if (c != ncols)
		return ap_error_fmt(AP_EXIT_STORE,
				    "internal error: a copied row has %zu"
				    " columns, not %zu",
				    c, ncols);
	return NULL;
}

static const struct ap_error *
pgc_dump(struct store *s, const char *sql, const char *types, copy_row_fn fn,
	 void *ctx)
{
	const char *doing = "read the store to copy";
	const struct ap_error *err = NULL;
	struct copy_val v[COPY_COLS];
	size_t ncols = strlen(types);
	PGresult *r;
	char *q, *row;
	int n;

	if (ncols > COPY_COLS)
		return ap_error_fmt(
		    AP_EXIT_STORE, "internal error: too many columns: %s", sql);
	if (asprintf(&q, "COPY (%s) TO STDOUT", sql) < 0)
		return ap_error_nomem();
	r = PQexec(PG(s)->conn, q);
	free(q);
	if (PQresultStatus(r) != PGRES_COPY_OUT) {
		err = pg_error(s, r, doing);
		PQclear(r);
		return err;
	}
	PQclear(r);
	while ((n = PQgetCopyData(PG(s)->conn, &row, 0)) > 0) {
		/* (after a failure the rest is read, and let go) */
		if (!err) {
			size_t len = (size_t)n;
			if (len && row[len - 1] == '\n')
				len--;
			row[len] = '\0';
			if (!(err = split_row(row, len, ncols, v)))
				err = fn(ctx, v);
		}
		PQfreemem(row);
	}
	if (n == -2 && !err)
		err = pg_error(s, NULL, doing);
	{
		const struct ap_error *e2 = drain(s, doing);
		return err ? err : e2;
	}
}

static const struct ap_error *
pgc_load_start(struct store *s, const char *table, const char *cols,
	       const char *types)
{
	struct pg_copy *k = PG(s)->copy;
	const struct ap_error *err;
	PGresult *r;
	char *q;

	if (!k && !(k = PG(s)->copy = calloc(1, sizeof(*k))))
		return ap_error_nomem();
	free(k->table);
	if (!(k->table = strdup(table)))
		return ap_error_nomem();
	k->types = types;
	k->buf.len = 0;
	k->has_id = !strncmp(cols, "id,", 3) || strstr(cols, ", id,") ||
		    !strcmp(cols, "id");
	if (asprintf(&q, "COPY %s (%s) FROM STDIN", table, cols) < 0)
		return ap_error_nomem();
	r = PQexec(PG(s)->conn, q);
	free(q);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		err = pg_error(s, r, "copy rows into the store");
		PQclear(r);
		return err;
	}
	PQclear(r);
	k->in_copy = 1;
	return NULL;
}

/* Send the rows held so far. */
static const struct ap_error *
flush(struct store *s)
{
	struct pg_copy *k = PG(s)->copy;

	if (k->buf.len &&
	    PQputCopyData(PG(s)->conn, k->buf.s, (int)k->buf.len) != 1)
		return pg_error(s, NULL, "copy rows into the store");
	k->buf.len = 0;
	return NULL;
}

static const struct ap_error *
pgc_load_row(struct store *s, const struct copy_val *v)
{
	struct pg_copy *k = PG(s)->copy;
	struct sbuf *b = &k->buf;
	int ok = 1;

	for (size_t i = 0; k->types[i] && ok; i++) {
		const char *p = v[i].p;
		size_t from = 0;
		if (i)
			ok = sbuf_add(b, "\t", 1) == 0;
		if (!p) {
			ok = ok && sbuf_add(b, "\\N", 2) == 0;
			continue;
		}
		if (k->types[i] == 'd' && v[i].n && strchr("in-", p[0])) {
			/* C's spellings of the doubles that are no numbers */
			if (!strcmp(p, "inf"))
				p = "Infinity";
			else if (!strcmp(p, "-inf"))
				p = "-Infinity";
			else if (!strcmp(p, "nan") || !strcmp(p, "-nan"))
				p = "NaN";
			if (p != v[i].p) {
				ok = ok && sbuf_add(b, p, strlen(p)) == 0;
				continue;
			}
		}
		for (size_t j = 0; j < v[i].n && ok; j++) {
			const char *esc = NULL;
			switch (p[j]) {
			case '\\': esc = "\\\\"; break;
			case '\n': esc = "\\n"; break;
			case '\r': esc = "\\r"; break;
			case '\t': esc = "\\t"; break;
			}
			if (!esc)
				continue;
			ok = sbuf_add(b, p + from, j - from) == 0 &&
			     sbuf_add(b, esc, 2) == 0;
			from = j + 1;
		}
		ok = ok && sbuf_add(b, p + from, v[i].n - from) == 0;
	}
	if (!ok || sbuf_add(b, "\n", 1) != 0)
		return ap_error_nomem();
	return b->len >= COPY_FLUSH ? flush(s) : NULL;
}

static const struct ap_error *
pgc_load_end(struct store *s, int ok)
{
	struct pg_copy *k = PG(s)->copy;
	const struct ap_error *err = NULL;
	PGresult *r;
	char *q;

	if (!k || !k->in_copy)
		return NULL;
	k->in_copy = 0;
	if (ok)
		err = flush(s);
	if (PQputCopyEnd(PG(s)->conn, ok && !err ? NULL : "the copy failed") !=
		1 &&
	    !err)
		err = pg_error(s, NULL, "copy rows into the store");
	{
		const struct ap_error *e2 =
		    drain(s, "copy rows into the store");
		if (!err)
			err = e2;
	}
	if (err || !ok || !k->has_id)
		return err;
	/* ids given from now on come after the copied ones */
	if (asprintf(&q,
		     "SELECT setval(pg_get_serial_sequence('%s', 'id'), m)"
		     " FROM (SELECT max(id) AS m FROM %s) x"
		     " WHERE m IS NOT NULL AND"
		     " pg_get_serial_sequence('%s', 'id') IS NOT NULL",
		     k->table, k->table, k->table) < 0)
		return ap_error_nomem();
	r = PQexec(PG(s)->conn, q);
	free(q);
	if (!pg_res_ok(r))
		err = pg_error(s, r, "set the store's ids");
	PQclear(r);
	return err;
}

static const struct ap_error *
run_sql(struct store *s, const char *sql, const char *doing)
{
	PGresult *r = PQexec(PG(s)->conn, sql);
	const struct ap_error *err =
	    pg_res_ok(r) ? NULL : pg_error(s, r, doing);

	PQclear(r);
	return err;
}

static const struct ap_error *
pgc_triggers(struct store *s, int on, const char *const *tables)
{
	const struct ap_error *err = NULL;
	PGresult *r;

	if (!on) {
		/* the owner of the tables (a member of its role, or a
		 * superuser) may switch their triggers off: no one else */
		r = PQexec(
		    PG(s)->conn,
		    "SELECT pg_has_role(c.relowner, 'USAGE'),"
		    " pg_get_userbyid(c.relowner)::text, current_user::text"
		    " FROM pg_catalog.pg_class c"
		    " WHERE c.oid = 'project'::regclass");
		if (!pg_res_ok(r) || PQntuples(r) != 1) {
			err = pg_error(s, r, "look at the store's owner");
			PQclear(r);
			return err;
		}
		if (strcmp(PQgetvalue(r, 0, 0), "t") != 0)
			err = ap_error_fmt(
			    AP_EXIT_REFUSED,
			    "store '%s': role '%s' may not copy into it: a copy"
			    " writes rows as they are (ids, hashes), with the"
			    " store's triggers off, which only the owner of its"
			    " tables ('%s') may do",
			    shown(PG(s)->path), PQgetvalue(r, 0, 2),
			    PQgetvalue(r, 0, 1));
		PQclear(r);
		if (err)
			return err;
	}
	for (size_t i = 0; tables[i] && !err; i++) {
		char *q;
		if (asprintf(&q, "ALTER TABLE %s %s TRIGGER USER", tables[i],
			     on ? "ENABLE" : "DISABLE") < 0)
			return ap_error_nomem();
		err = run_sql(s, q,
			      on ? "switch the store's triggers on"
				 : "switch the store's triggers off");
		free(q);
	}
	return err;
}

static const struct ap_error *
pgc_identity(struct store *s, char **id)
{
	PGresult *r = PQexec(PG(s)->conn,
			     "SELECT 'pg ' || pg_postmaster_start_time()::text"
			     " || ' ' || d.oid::text || ' ' || current_schema()"
			     " FROM pg_catalog.pg_database d"
			     " WHERE d.datname = current_database()");
	const struct ap_error *err = NULL;

	if (!pg_res_ok(r) || PQntuples(r) != 1)
		err = pg_error(s, r, "read");
	else if (!(*id = strdup(PQgetvalue(r, 0, 0))))
		err = ap_error_nomem();
	PQclear(r);
	return err;
}

const struct store_copy_ops pg_copy_ops = {
    .dump = pgc_dump,
    .load_start = pgc_load_start,
    .load_row = pgc_load_row,
    .load_end = pgc_load_end,
    .triggers = pgc_triggers,
    .identity = pgc_identity,
};
