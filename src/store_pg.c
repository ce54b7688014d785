/*
 * store_pg.c - the store on a PostgreSQL server, through libpq.
 *
 * The only file that includes <libpq-fe.h>.  store_sqlite.c is the
 * reference: every operation here has its semantics, ordering, error codes
 * and messages.  How the two differ underneath:
 *
 * - Writers serialize like SQLite's BEGIN IMMEDIATE: a write transaction
 *   (READ COMMITTED) takes one transaction-level advisory lock before it
 *   reads anything, so each statement after it sees every earlier writer's
 *   commit and --expect is race-free.  Every lock wait is bounded by
 *   lock_timeout (the busy timeout, SET LOCAL in each transaction);
 *   running out of time is the same "store ... is busy" (exit 8).  A read
 *   is one REPEATABLE READ READ ONLY snapshot.
 * - A statement that may break a constraint (a name taken, an unknown KPI)
 *   runs inside a savepoint, so the conflict becomes the same error as
 *   SQLite's and the transaction stays usable, as it does in SQLite.
 * - Every text column is COLLATE "C" and every text ORDER BY says so too:
 *   bytewise, like SQLite's BINARY collation.  NULLs sort first, as there.
 * - Lists over the whole portfolio (projects, reports) are read through a
 *   cursor in batches, so memory does not grow with the portfolio and a
 *   callback may run other queries meanwhile (export does).
 * - Only parameters carry values: no SQL is ever built from input.
 */
#include "store_ops.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>
#include <libpq-fe.h>

#include "aiproj/embedded.h"
#include "aiproj/util.h"

/*
 * libpq is loaded when a PostgreSQL store is opened, not linked: linking
 * it would make every aiproj start-up load some thirty libraries (TLS,
 * Kerberos, LDAP) that a SQLite store never needs (measured: 4.8 ms of
 * CPU for --version instead of 1.1 ms).  Each function used is called
 * through a pointer of its own declared type.
 */
#define PQ_FUNCS(X)                                                            \
	X(PQclear)                                                             \
	X(PQntuples)                                                           \
	X(PQexec)                                                              \
	X(PQgetvalue)                                                          \
	X(PQgetisnull)                                                         \
	X(PQserverVersion)                                                     \
	X(PQresultErrorField)                                                  \
	X(PQexecParams)                                                        \
	X(PQerrorMessage)                                                      \
	X(PQstatus)                                                            \
	X(PQsetNoticeProcessor)                                                \
	X(PQresultStatus)                                                      \
	X(PQfreemem)                                                           \
	X(PQfinish)                                                            \
	X(PQconninfoParse)                                                     \
	X(PQconninfoFree)                                                      \
	X(PQconnectdbParams)                                                   \
	X(PQcmdTuples)                                                         \
	X(PQcmdStatus)                                                         \
	X(PQdb)                                                                \
	X(PQprepare)                                                           \
	X(PQexecPrepared)

#define X(f) static __typeof__(f) *p_##f;
PQ_FUNCS(X)
#undef X

static const struct ap_error *
load_libpq(void)
{
	static void *lib;

	if (lib)
		return NULL;
	if (!(lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL)))
		return ap_error_fmt(AP_EXIT_STORE,
				    "a PostgreSQL store needs libpq (Debian"
				    " package libpq5): %s",
				    dlerror());
#define X(f)                                                                   \
	if (!(p_##f = (__typeof__(p_##f))dlsym(lib, #f))) {                    \
		dlclose(lib);                                                  \
		lib = NULL;                                                    \
		return ap_error_fmt(AP_EXIT_STORE, "libpq has no %s: too old", \
				    #f);                                       \
	}
	PQ_FUNCS(X)
#undef X
	return NULL;
}

#define PQclear p_PQclear
#define PQntuples p_PQntuples
#define PQexec p_PQexec
#define PQgetvalue p_PQgetvalue
#define PQgetisnull p_PQgetisnull
#define PQserverVersion p_PQserverVersion
#define PQresultErrorField p_PQresultErrorField
#define PQexecParams p_PQexecParams
#define PQerrorMessage p_PQerrorMessage
#define PQstatus p_PQstatus
#define PQsetNoticeProcessor p_PQsetNoticeProcessor
#define PQresultStatus p_PQresultStatus
#define PQfreemem p_PQfreemem
#define PQfinish p_PQfinish
#define PQconninfoParse p_PQconninfoParse
#define PQconninfoFree p_PQconninfoFree
#define PQconnectdbParams p_PQconnectdbParams
#define PQcmdTuples p_PQcmdTuples
#define PQcmdStatus p_PQcmdStatus
#define PQdb p_PQdb
#define PQprepare p_PQprepare
#define PQexecPrepared p_PQexecPrepared

/* The advisory lock that serializes writers (and migrations) on one
 * database: 'AIPR', as SQLite's application_id. */
#define LOCK_KEY ((int64_t)0x41495052)

/* PostgreSQL type oids of the parameters (pg_type.h is a server header). */
#define INT8OID 20
#define TEXTOID 25
#define FLOAT8OID 701

#define MAXP 12
#define MAXPREP 48 /* statements a connection keeps prepared */
#define FETCH_ROWS 1000

#define PG(s) ((struct pg_store *)(s))

static const struct store_ops pg_ops;
static void pg_close(struct store *s);
static void pg_rollback(struct store *s);

struct pg_store {
	struct store base; /* first: the operations table */
	PGconn *conn;
	char *path; /* the URI without its password */
	int created;
	int in_tx;
	int busy_ms;
	unsigned cursors; /* names the next cursor */
	/* statements run more than once (an import runs a few dozen for
	 * each project) are prepared on their second run: parsed and
	 * planned once on the server, not each time */
	struct {
		char *sql;
		int prepared;
	} prep[MAXPREP];
	int nprep;
};

/* ---- errors ---- */

/* The first line of a libpq message, without trailing blanks. */
static const char *
first_line(const char *msg, char *buf, size_t size)
{
	size_t n;

	if (!msg || !*msg)
		return "unknown error";
	n = strcspn(msg, "\n");
	if (n >= size)
		n = size - 1;
	memcpy(buf, msg, n);
	while (n > 0 &&
	       (buf[n - 1] == ' ' || buf[n - 1] == '\t' || buf[n - 1] == '\r'))
		n--;
	buf[n] = '\0';
	return buf;
}

static const char *
sqlstate(const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return st ? st : "";
}

/* The store's error for a failed statement (r may be NULL). */
static const struct ap_error *
pg_error(struct store *s, const PGresult *r, const char *doing)
{
	const char *state = sqlstate(r);
	const char *path = shown(PG(s)->path);
	const char *msg =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char buf[512];

	if (!msg)
		msg = first_line(PQerrorMessage(PG(s)->conn), buf, sizeof(buf));
	/* try again (exit 8): a lock wait past the timeout, a transaction
	 * the server gave up on (serialization failure, deadlock) */
	if (!strcmp(state, "55P03") || !strcmp(state, "40001") ||
	    !strcmp(state, "40P01"))
		return ap_error_fmt(AP_EXIT_UNAVAILABLE,
				    "store '%s' is busy: another aiproj kept it"
				    " locked past the timeout; try again",
				    path);
	/* ... and a server that went away or will not serve now: a
	 * connection exception (class 08), an administrator or crash
	 * shutdown, a server starting up (57P01-57P03), too many
	 * connections, or a connection libpq found broken */
	if (!strncmp(state, "08", 2) || !strcmp(state, "57P01") ||
	    !strcmp(state, "57P02") || !strcmp(state, "57P03") ||
	    !strcmp(state, "53300") || PQstatus(PG(s)->conn) == CONNECTION_BAD)
		return ap_error_fmt(AP_EXIT_UNAVAILABLE,
				    "store '%s' is unavailable: cannot %s: %s;"
				    " try again",
				    path, doing, msg);
	if (!strcmp(state, "25006"))
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s' is read-only: cannot %s: %s",
				    path, doing, msg);
	if (!strcmp(state, "53100"))
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s': cannot %s: disk full", path,
				    doing);
	if (!strcmp(state, "XX001") || !strcmp(state, "XX002"))
		return ap_error_fmt(AP_EXIT_STORE, "store '%s' is corrupt: %s",
				    path, msg);
	if (!strcmp(state, "53200"))
		return ap_error_nomem();
	return ap_error_fmt(AP_EXIT_STORE, "store '%s': cannot %s: %s", path,
			    doing, msg);
}

static int
res_ok(const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* ---- statements ---- */

struct params {
	int n;
	const char *v[MAXP];
	Oid t[MAXP];
	char buf[MAXP][32];
};

/* Parameters described by `types`: s=text (NULL ok), i=int64, d=double,
 * n=a double argument bound as NULL. */
static void
params_fill(struct params *p, const char *types, va_list ap)
{
	p->n = 0;
	for (int i = 0; i < MAXP && types[i]; i++, p->n++) {
		switch (types[i]) {
		case 's':
			p->t[i] = TEXTOID;
			p->v[i] = va_arg(ap, const char *);
			break;
		case 'i':
			p->t[i] = INT8OID;
			snprintf(p->buf[i], sizeof(p->buf[i]), "%lld",
				 (long long)va_arg(ap, int64_t));
			p->v[i] = p->buf[i];
			break;
		case 'd': {
			double d = va_arg(ap, double);
			/* SQLite keeps no sign on zero: neither do we */
			if (d == 0)
				d = 0;
			p->t[i] = FLOAT8OID;
			/* 17 digits: the exact double back */
			snprintf(p->buf[i], sizeof(p->buf[i]), "%.17g", d);
			p->v[i] = p->buf[i];
			break;
		}
		case 'n':
			(void)va_arg(ap, double);
			p->t[i] = FLOAT8OID;
			p->v[i] = NULL;
			break;
		default: p->t[i] = TEXTOID; p->v[i] = NULL;
		}
	}
}

/* A statement without parameters or rows (transaction control). */
static const struct ap_error *
simple(struct store *s, const char *sql, const char *doing)
{
	PGresult *r = PQexec(PG(s)->conn, sql);
	const struct ap_error *err = res_ok(r) ? NULL : pg_error(s, r, doing);

	PQclear(r);
	return err;
}

/* Run a statement with parameters: the second time the same text runs on
 * this connection it is prepared (named aiproj_pN), and run as that from
 * then on. */
static PGresult *
exec_params(struct store *s, const char *sql, const struct params *p)
{
	struct pg_store *pg = PG(s);
	char name[24];
	int i;

	if (!strncmp(sql, "DECLARE ", 8)) /* a cursor: named anew each time */
		return PQexecParams(pg->conn, sql, p->n, p->t, p->v, NULL, NULL,
				    0);
	for (i = 0; i < pg->nprep && strcmp(pg->prep[i].sql, sql) != 0; i++)
		;
	if (i == pg->nprep) {
		/* the first run: remembered (while there is room) */
		if (pg->nprep < MAXPREP &&
		    (pg->prep[i].sql = strdup(sql)) != NULL)
			pg->nprep++;
		return PQexecParams(pg->conn, sql, p->n, p->t, p->v, NULL, NULL,
				    0);
	}
	snprintf(name, sizeof(name), "aiproj_p%d", i);
	if (!pg->prep[i].prepared) {
		PGresult *r = PQprepare(pg->conn, name, sql, p->n, p->t);

		if (!res_ok(r))
			return r; /* the statement's own error */
		PQclear(r);
		pg->prep[i].prepared = 1;
	}
	return PQexecPrepared(pg->conn, name, p->n, p->v, NULL, NULL, 0);
}

/*
 * Run one statement with parameters.  On success *res (when asked) holds
 * the result, which the caller PQclear()s.  With `conflict`, the statement
 * runs in a savepoint (inside a transaction: outside one it is its own)
 * and a constraint violation (SQLSTATE class 23) sets *conflict and is not
 * an error: the caller names the conflict, as with SQLite's exec().
 */
static const struct ap_error *
vrun(struct store *s, const char *doing, int *conflict, PGresult **res,
     const char *sql, const char *types, va_list ap)
{
	const struct ap_error *err = NULL;
	struct params p;
	PGresult *r;
	int savepoint = conflict && PG(s)->in_tx;

	if (res)
		*res = NULL;
	if (strlen(types) > MAXP)
		return ap_error_fmt(AP_EXIT_STORE,
				    "internal error: too many parameters: %s",
				    sql);
	params_fill(&p, types, ap);
	if (conflict)
		*conflict = 0;
	if (savepoint && (err = simple(s, "SAVEPOINT aiproj_try", doing)))
		return err;
	r = exec_params(s, sql, &p);
	if (res_ok(r)) {
		if (savepoint &&
		    (err = simple(s, "RELEASE SAVEPOINT aiproj_try", doing))) {
			PQclear(r);
			return err;
		}
		if (res)
			*res = r;
		else
			PQclear(r);
		return NULL;
	}
	if (conflict && !strncmp(sqlstate(r), "23", 2)) {
		PQclear(r);
		*conflict = 1;
		return savepoint ? simple(s,
					  "ROLLBACK TO SAVEPOINT aiproj_try;"
					  " RELEASE SAVEPOINT aiproj_try",
					  doing)
				 : NULL;
	}
	err = pg_error(s, r, doing);
	PQclear(r);
	return err;
}

/* A statement that returns no rows; *changes gets the row count. */
static const struct ap_error *
exec(struct store *s, const char *doing, int *changes, int *conflict,
     const char *sql, const char *types, ...)
{
	const struct ap_error *err;
	PGresult *r;
	va_list ap;

	va_start(ap, types);
	err = vrun(s, doing, conflict, changes ? &r : NULL, sql, types, ap);
	va_end(ap);
	if (!err && changes) {
		*changes = r ? atoi(PQcmdTuples(r)) : 0;
		PQclear(r);
	}
	return err;
}

/*
 * An INSERT that adds nothing when its row is there already (ON CONFLICT DO
 * NOTHING, or a WHERE EXISTS): *none is set when no row was added.  One
 * round trip, where a savepoint around a failing INSERT takes three.
 */
static const struct ap_error *
insert_new(struct store *s, const char *doing, int *none, const char *sql,
	   const char *types, ...)
{
	const struct ap_error *err;
	PGresult *r;
	va_list ap;

	va_start(ap, types);
	err = vrun(s, doing, NULL, &r, sql, types, ap);
	va_end(ap);
	if (err)
		return err;
	*none = atoi(PQcmdTuples(r)) == 0;
	PQclear(r);
	return NULL;
}

/* A query whose whole result the caller reads, then PQclear()s. */
static const struct ap_error *
query(struct store *s, const char *doing, PGresult **res, const char *sql,
      const char *types, ...)
{
	const struct ap_error *err;
	va_list ap;

	va_start(ap, types);
	err = vrun(s, doing, NULL, res, sql, types, ap);
	va_end(ap);
	return err;
}

static const char *
col_text(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? NULL : PQgetvalue(r, row, c);
}

static char *
col_dup(const PGresult *r, int row, int c)
{
	const char *t = col_text(r, row, c);

	return t ? strdup(t) : NULL;
}

static int64_t
col_i64(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c)
		   ? 0
		   : strtoll(PQgetvalue(r, row, c), NULL, 10);
}

static int
col_int(const PGresult *r, int row, int c)
{
	return (int)col_i64(r, row, c);
}

static double
col_double(const PGresult *r, int row, int c)
{
	return PQgetisnull(r, row, c) ? 0.0
				      : strtod(PQgetvalue(r, row, c), NULL);
}

typedef const struct ap_error *(*row_fn)(void *ctx, const PGresult *r, int row);

/* Call fn for every row of an already read result. */
static const struct ap_error *
each_row(PGresult *r, row_fn fn, void *ctx)
{
	const struct ap_error *err = NULL;
	int n = PQntuples(r);

	for (int i = 0; i < n && !err; i++)
		err = fn(ctx, r, i);
	PQclear(r);
	return err;
}

/* Run a query and call fn for each row (a result of one project's size). */
static const struct ap_error *
rows(struct store *s, const char *doing, row_fn fn, void *ctx, const char *sql,
     const char *types, ...)
{
	const struct ap_error *err;
	PGresult *r;
	va_list ap;

	va_start(ap, types);
	err = vrun(s, doing, NULL, &r, sql, types, ap);
	va_end(ap);
	return err ? err : each_row(r, fn, ctx);
}

static const struct ap_error *stream_cursor(struct store *s, const char *doing,
					    row_fn fn, void *ctx,
					    const char *name,
					    const char *declare,
					    const char *types, va_list ap);

/* Run a query through a cursor, FETCH_ROWS at a time, calling fn for each
 * row (a result of the whole portfolio's size). */
static const struct ap_error *
stream(struct store *s, const char *doing, row_fn fn, void *ctx,
       const char *sql, const char *types, ...)
{
	const struct ap_error *err;
	char name[32];
	char *declare;
	int own;
	va_list ap;

	snprintf(name, sizeof(name), "aiproj_cursor_%u", PG(s)->cursors++);
	if (asprintf(&declare, "DECLARE %s NO SCROLL CURSOR FOR %s", name,
		     sql) < 0)
		return ap_error_nomem();
	/* a cursor lives in a transaction: outside the caller's, one of its
	 * own (a read, as a statement on its own would be) */
	own = !PG(s)->in_tx;
	if (own && (err = simple(s, "BEGIN READ ONLY", doing))) {
		free(declare);
		return err;
	}
	va_start(ap, types);
	err = stream_cursor(s, doing, fn, ctx, name, declare, types, ap);
	va_end(ap);
	free(declare);
	if (own)
		PQclear(PQexec(PG(s)->conn, err ? "ROLLBACK" : "COMMIT"));
	return err;
}

/* stream()'s cursor: declare it, fetch it all, close it. */
static const struct ap_error *
stream_cursor(struct store *s, const char *doing, row_fn fn, void *ctx,
	      const char *name, const char *declare, const char *types,
	      va_list ap)
{
	const struct ap_error *err;
	char fetch[64], closesql[48];
	PGresult *r;

	if ((err = vrun(s, doing, NULL, NULL, declare, types, ap)))
		return err;
	snprintf(fetch, sizeof(fetch), "FETCH FORWARD %d FROM %s", FETCH_ROWS,
		 name);
	snprintf(closesql, sizeof(closesql), "CLOSE %s", name);
	for (;;) {
		int n;
		r = PQexec(PG(s)->conn, fetch);
		if (!res_ok(r)) {
			err = pg_error(s, r, doing);
			PQclear(r);
			return err;
		}
		n = PQntuples(r);
		if ((err = each_row(r, fn, ctx))) {
			PQclear(PQexec(PG(s)->conn, closesql));
			return err;
		}
		if (n < FETCH_ROWS)
			break;
	}
	return simple(s, closesql, doing);
}

/* ---- opening ---- */

static void
no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs would reach stderr: aiproj prints its own */
}

/* Is the URI query parameter at q (up to '=', '&' or the end) password?
 * libpq decodes %XX in keys too. */
static int
is_password_key(const char *q)
{
	static const char want[] = "password";
	size_t i = 0;

	for (; *q && *q != '=' && *q != '&'; i++) {
		unsigned v;
		int c = (unsigned char)*q;
		if (c == '%' && sscanf(q + 1, "%2x", &v) == 1 && q[1] && q[2]) {
			c = (int)v;
			q += 3;
		} else {
			q++;
		}
		if (i >= sizeof(want) - 1 || c != want[i])
			return 0;
	}
	return i == sizeof(want) - 1;
}

/*
 * The URI without its password, for messages: the userinfo's ":secret"
 * and every password=... query parameter are dropped.  The userinfo ends
 * at the last '@', so a password holding '/', '?' or '@' is dropped whole
 * (a '@' in the query would only drop more than needed).
 */
static char *
redact(const char *uri)
{
	const char *p = strstr(uri, "://");
	const char *at, *colon, *q;
	char *out, *o;
	size_t n;

	if (!p)
		return strdup(uri);
	if (!(out = malloc(strlen(uri) + 1)))
		return NULL;
	p += 3;
	memcpy(out, uri, (size_t)(p - uri));
	o = out + (p - uri);
	if ((at = strrchr(p, '@'))) {
		colon = memchr(p, ':', (size_t)(at - p));
		n = (size_t)((colon ? colon : at) - p);
		memcpy(o, p, n);
		o += n;
		p = at;
	}
	q = strchr(p, '?');
	n = q ? (size_t)(q - p) : strlen(p);
	memcpy(o, p, n);
	o += n;
	if (q) {
		int first = 1;
		for (q++; *q;) {
			size_t len = strcspn(q, "&");
			if (!is_password_key(q)) {
				*o++ = first ? '?' : '&';
				memcpy(o, q, len);
				o += len;
				first = 0;
			}
			q += len + (q[len] == '&');
		}
	}
	*o = '\0';
	return out;
}

/*
 * Refuse a URI whose messages could show (part of) its password: where
 * libpq and redact() would cut the user information differently (an
 * unencoded '@' or '/' in it), or one libpq cannot parse while it holds a
 * password (libpq's message may quote the password's bytes).
 */
static const struct ap_error *
uri_check(const char *uri, const char *path)
{
	const char *p = strstr(uri, "://");
	const char *first, *last;
	PQconninfoOption *opts;
	char *msg = NULL;
	char buf[512];

	if (!p)
		return NULL;
	p += 3;
	first = memchr(p, '@', strcspn(p, "/")); /* where libpq cuts */
	last = strrchr(p, '@');                  /* where redact() cuts */
	if (last && first != last)
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot open store '%s': cannot tell where"
				    " its user name and password end:"
				    " percent-encode '@' as %%40 and '/' as"
				    " %%2F in them",
				    shown(path));
	if ((opts = PQconninfoParse(uri, &msg))) {
		PQconninfoFree(opts);
		return NULL;
	}
	if (!msg)
		return ap_error_nomem();
	first_line(msg, buf, sizeof(buf));
	PQfreemem(msg);
	if (strcmp(uri, path) != 0) /* it holds a password */
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot open store '%s': the URI is"
				    " malformed (libpq's message is not shown:"
				    " the URI holds a password)",
				    shown(path));
	return ap_error_fmt(AP_EXIT_STORE, "cannot open store '%s': %s",
			    shown(path), buf);
}

/* The database is an aiproj store (its version in *version), empty
 * (*empty), or refused. */
static const struct ap_error *
identify(struct store *s, int64_t *version, int *empty)
{
	const struct ap_error *err;
	PGresult *r;
	const char *app, *ver;
	char *end;
	int has_schema, has_meta, same_db;
	int64_t objects;
	const char *db = PQdb(PG(s)->conn);

	*version = 0;
	*empty = 0;
	if ((err =
		 query(s, "read", &r,
		       "SELECT current_schema() IS NOT NULL,"
		       " (SELECT count(*) FROM pg_catalog.pg_class c"
		       "  JOIN pg_catalog.pg_namespace n"
		       "  ON n.oid = c.relnamespace"
		       "  WHERE n.nspname = current_schema()"
		       "  AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')),"
		       " EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
		       "  JOIN pg_catalog.pg_namespace n"
		       "  ON n.oid = c.relnamespace"
		       "  WHERE n.nspname = current_schema()"
		       "  AND c.relname = 'meta' AND c.relkind IN ('r', 'p')),"
		       " current_database() = $1::text",
		       "s", db ? db : "")))
		return err;
	has_schema = !strcmp(PQgetvalue(r, 0, 0), "t");
	objects = col_i64(r, 0, 1);
	has_meta = !strcmp(PQgetvalue(r, 0, 2), "t");
	same_db = !strcmp(PQgetvalue(r, 0, 3), "t");
	PQclear(r);
	/* The server cuts a longer database name (to 63 bytes by default)
	 * and opens whatever database that names: refuse it. */
	if (!same_db)
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot open store '%s': the server opened"
				    " another database (a name longer than the"
				    " server allows is cut short)",
				    shown(PG(s)->path));
	if (!has_schema)
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot open store '%s': no schema to use"
				    " (check the role's search_path)",
				    shown(PG(s)->path));
	if (!has_meta) {
		if (objects == 0) {
			*empty = 1;
			return NULL;
		}
		goto foreign;
	}
	r = PQexecParams(PG(s)->conn,
			 "SELECT (SELECT value FROM meta WHERE key ="
			 " 'application')::text, (SELECT value FROM meta"
			 " WHERE key = 'schema_version')::text",
			 0, NULL, NULL, NULL, NULL, 0);
	if (!res_ok(r)) {
		/* a table called meta, but not ours (or not readable) */
		if (!strcmp(sqlstate(r), "42501") || !*sqlstate(r) ||
		    !strncmp(sqlstate(r), "08", 2))
			err = pg_error(s, r, "read");
		PQclear(r);
		if (err)
			return err;
		goto foreign;
	}
	app = col_text(r, 0, 0);
	ver = col_text(r, 0, 1);
	if (!app || strcmp(app, "aiproj") != 0) {
		PQclear(r);
		goto foreign;
	}
	*version = ver ? strtoll(ver, &end, 10) : 0;
	if (!ver || *end || *version < 1) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s' is corrupt: bad schema_version"
				   " '%s' in meta",
				   shown(PG(s)->path), ver ? shown(ver) : "");
		PQclear(r);
		return err;
	}
	PQclear(r);
	if (*version > pg_nmigrations)
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s' has schema version %lld, newer"
				    " than this aiproj knows (%d): upgrade"
				    " aiproj; the store was not changed",
				    shown(PG(s)->path), (long long)*version,
				    pg_nmigrations);
	return NULL;
foreign:
	return ap_error_fmt(AP_EXIT_STORE,
			    "'%s' is a PostgreSQL database but not an aiproj"
			    " store; refusing to touch it",
			    shown(PG(s)->path));
}

/*
 * Start a transaction whose lock waits end after the busy timeout: SET
 * LOCAL, so it holds behind a transaction-pooling proxy too.  The timeout
 * is an int, formatted here; 0 would wait forever, and no wait at all is
 * pg_try_advisory_xact_lock (see lock_writers).
 */
static const struct ap_error *
begin_tx(struct store *s, const char *mode, const char *doing)
{
	char sql[160];

	snprintf(sql, sizeof(sql),
		 "BEGIN ISOLATION LEVEL %s;"
		 " SET LOCAL lock_timeout = %d",
		 mode, PG(s)->busy_ms > 0 ? PG(s)->busy_ms : 1);
	return simple(s, sql, doing);
}

/* Take the writers' lock: wait up to the busy timeout, or not at all. */
static const struct ap_error *
lock_writers(struct store *s, const char *doing)
{
	const struct ap_error *err;
	PGresult *r;
	int got;

	if (PG(s)->busy_ms > 0)
		return exec(s, doing, NULL, NULL,
			    "SELECT pg_advisory_xact_lock($1)", "i", LOCK_KEY);
	if ((err = query(s, doing, &r, "SELECT pg_try_advisory_xact_lock($1)",
			 "i", LOCK_KEY)))
		return err;
	got = !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return got ? NULL
		   : ap_error_fmt(AP_EXIT_UNAVAILABLE,
				  "store '%s' is busy: another aiproj kept it"
				  " locked past the timeout; try again",
				  shown(PG(s)->path));
}

/* Bring the schema up to date: one transaction, under the writers' lock,
 * so two first runs cannot both create it. */
static const struct ap_error *
migrate(struct store *s)
{
	const struct ap_error *err;
	int64_t version;
	int empty;
	char v[16];

	if ((err = begin_tx(s, "READ COMMITTED READ WRITE", "lock the store")))
		return err;
	/* again under the lock: another process may have just done it */
	if ((err = lock_writers(s, "lock the store")) ||
	    (err = identify(s, &version, &empty)))
		goto fail;
	if (!empty && version >= pg_nmigrations)
		return simple(s, "ROLLBACK", "migrate the store");
	for (int64_t i = version; i < pg_nmigrations; i++)
		if ((err = simple(s, pg_migrations[i], "migrate the store")))
			goto fail;
	if (empty &&
	    (err = exec(s, "initialise the store", NULL, NULL,
			"INSERT INTO meta (key, value) VALUES"
			" ('application', 'aiproj'), ('lifecycle', $1),"
			" ('policy', 'open')",
			"s", lifecycle_default_yaml)))
		goto fail;
	snprintf(v, sizeof(v), "%d", pg_nmigrations);
	if ((err = exec(s, "migrate the store", NULL, NULL,
			"INSERT INTO meta (key, value)"
			" VALUES ('schema_version', $1) ON CONFLICT (key)"
			" DO UPDATE SET value = excluded.value",
			"s", v)) ||
	    (err = simple(s, "COMMIT", "migrate the store")))
		goto fail;
	PG(s)->created = empty;
	return NULL;
fail:
	PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
	return err;
}

/*
 * Did the connection fail for a reason that may pass (exit 8: a server
 * that is down, refuses, times out, is starting or shutting down, or has
 * no connection slot free), rather than one that will not (a wrong
 * password, an unknown database or role, no pg_hba.conf entry, a bad
 * host name: exit 7)?  A server that closes the connection while it is
 * being set up is not "try again": it does that to a start-up packet it
 * refuses (an overlong database name), every time.  libpq gives no SQLSTATE for a failed connection,
 * only its message; aiproj sets no locale, so the message is libpq's
 * English.
 */
static int
connect_transient(const char *msg)
{
	static const char *const transient[] = {
	    "Connection refused",
	    "timeout expired",
	    "Connection timed out",
	    "Connection reset",
	    "No route to host",
	    "Network is unreachable",
	    "the database system is starting up",
	    "the database system is shutting down",
	    "the database system is in recovery mode",
	    "the database system is not yet accepting connections",
	    "the database system is not accepting connections",
	    "sorry, too many clients already",
	    "remaining connection slots are reserved",
	    "could not receive data from server",
	    "could not send data to server",
	    "No such file or directory", /* a Unix socket: no server there */
	    "Temporary failure in name resolution",
	};

	for (size_t i = 0; msg && i < sizeof(transient) / sizeof(*transient);
	     i++)
		if (strstr(msg, transient[i]))
			return 1;
	return 0;
}

const struct ap_error *
pg_store_open(const char *conninfo, int busy_ms, unsigned flags,
	      struct store **out)
{
	/* before dbname: defaults the URI may override; after: not */
	static const char *const keys[] = {"fallback_application_name",
					   "connect_timeout", "dbname",
					   "client_encoding", NULL};
	const char *ct = getenv("PGCONNECT_TIMEOUT");
	const char *vals[] = {"aiproj", ct && *ct ? ct : "10", conninfo, "UTF8",
			      NULL};
	const struct ap_error *err;
	struct pg_store *q;
	struct store *s;
	int64_t version;
	int empty;
	char buf[512];

	*out = NULL;
	if ((err = load_libpq()))
		return err;
	if (!(q = calloc(1, sizeof(*q))))
		return ap_error_nomem();
	q->base.ops = &pg_ops;
	q->busy_ms = busy_ms;
	s = &q->base;
	if (!(q->path = redact(conninfo))) {
		free(q);
		return ap_error_nomem();
	}
	if ((err = uri_check(conninfo, q->path))) {
		pg_close(s);
		return err;
	}
	q->conn = PQconnectdbParams(keys, vals, 1);
	if (!q->conn) {
		pg_close(s);
		return ap_error_nomem();
	}
	if (PQstatus(q->conn) != CONNECTION_OK) {
		const char *why =
		    first_line(PQerrorMessage(q->conn), buf, sizeof(buf));
		err = connect_transient(PQerrorMessage(q->conn))
			  ? ap_error_fmt(AP_EXIT_UNAVAILABLE,
					 "store '%s' is unavailable: %s; try"
					 " again",
					 shown(q->path), why)
			  : ap_error_fmt(AP_EXIT_STORE,
					 "cannot open store '%s': %s",
					 shown(q->path), why);
		pg_close(s);
		return err;
	}
	PQsetNoticeProcessor(q->conn, no_notices, NULL);
	if (PQserverVersion(q->conn) < 100000) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "cannot open store '%s': PostgreSQL %d is"
				   " too old: aiproj needs 10 or newer",
				   shown(q->path), PQserverVersion(q->conn));
		pg_close(s);
		return err;
	}
	/* doubles in full (the default from PostgreSQL 12 on) */
	if ((err = simple(s, "SET extra_float_digits = 3",
			  "configure the connection")))
		goto fail;
	/* look before changing anything: a foreign database stays untouched */
	if ((err = identify(s, &version, &empty)))
		goto fail;
	/* a database without aiproj's tables is a missing store: only a
	 * command that may create the store makes them */
	if (empty && !(flags & STORE_CREATE)) {
		err = store_no_store(shown(q->path));
		goto fail;
	}
	if ((empty || version < pg_nmigrations) && (err = migrate(s)))
		goto fail;
	*out = s;
	return NULL;
fail:
	pg_close(s);
	return err;
}

static void
pg_close(struct store *s)
{
	if (!s)
		return;
	if (PG(s)->conn) {
		if (PG(s)->in_tx)
			PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
		PQfinish(PG(s)->conn);
	}
	for (int i = 0; i < PG(s)->nprep; i++)
		free(PG(s)->prep[i].sql);
	free(PG(s)->path);
	free(s);
}

static const char *
pg_path(const struct store *s)
{
	return PG(s)->path;
}

static int
pg_created(const struct store *s)
{
	return PG(s)->created;
}

/* The authenticated user acts, unless the admin set meta 'allow_actor'
 * to 'true' (then --actor and $AIPROJ_ACTOR count, as on a file store). */
static const struct ap_error *
pg_actor(struct store *s, char **actor)
{
	const struct ap_error *err;
	PGresult *r;
	const char *allow;

	*actor = NULL;
	if ((err = query(s, "read", &r,
			 "SELECT current_user::text, (SELECT value FROM meta"
			 " WHERE key = 'allow_actor')",
			 "")))
		return err;
	allow = col_text(r, 0, 1);
	if (!(allow && !strcmp(allow, "true")) && !(*actor = col_dup(r, 0, 0)))
		err = ap_error_nomem();
	PQclear(r);
	return err;
}

static const struct ap_error *
pg_begin(struct store *s, int write)
{
	const struct ap_error *err;

	if (!write) {
		if ((err = begin_tx(s, "REPEATABLE READ READ ONLY", "read")))
			return err;
		PG(s)->in_tx = 1;
		return NULL;
	}
	if ((err = begin_tx(s, "READ COMMITTED READ WRITE",
			    "lock the store for writing")))
		return err;
	PG(s)->in_tx = 1;
	return lock_writers(s, "lock the store for writing");
}

static const struct ap_error *
pg_commit(struct store *s)
{
	const struct ap_error *err = NULL;
	PGresult *r;

	/* (the server would only warn) */
	if (!PG(s)->in_tx)
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s': cannot commit: no transaction"
				    " is active",
				    shown(PG(s)->path));
	r = PQexec(PG(s)->conn, "COMMIT");
	if (!res_ok(r) && PQstatus(PG(s)->conn) == CONNECTION_BAD)
		/* the server may have committed before the connection went:
		 * not a plain "try again" (exit 8) */
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s': the connection was lost while"
				   " committing: the change may or may not"
				   " have been made; look before trying again",
				   shown(PG(s)->path));
	else if (!res_ok(r))
		err = pg_error(s, r, "commit");
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		/* an earlier statement failed: COMMIT rolled back */
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s': cannot commit: the transaction"
				   " was rolled back",
				   shown(PG(s)->path));
	PQclear(r);
	PG(s)->in_tx = 0;
	return err;
}

static void
pg_rollback(struct store *s)
{
	if (PG(s)->in_tx)
		PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
	PG(s)->in_tx = 0;
}

static const struct ap_error *
pg_meta_get(struct store *s, const char *key, char **val)
{
	const struct ap_error *err;
	PGresult *r;

	*val = NULL;
	if ((err = query(s, "read", &r, "SELECT value FROM meta WHERE key = $1",
			 "s", key)))
		return err;
	if (PQntuples(r) > 0 && !(*val = col_dup(r, 0, 0)))
		err = ap_error_nomem();
	PQclear(r);
	return err;
}

static const struct ap_error *
pg_meta_set(struct store *s, const char *key, const char *val)
{
	return exec(s, "save a setting", NULL, NULL,
		    "INSERT INTO meta (key, value) VALUES ($1, $2)"
		    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		    "ss", key, val);
}

/* ---- projects ---- */

#define PROJECT_COLS                                                           \
	"id, name, description, status, status_reason, outcome, stage,"        \
	" epoch, entered_at, created_at, status_at"

static int
project_from_row(const PGresult *r, int i, struct store_project *p)
{
	p->id = col_i64(r, i, 0);
	p->name = col_dup(r, i, 1);
	p->description = col_dup(r, i, 2);
	p->status = proj_status_parse(col_text(r, i, 3));
	p->status_reason = col_dup(r, i, 4);
	p->outcome = col_dup(r, i, 5);
	p->stage = col_dup(r, i, 6);
	p->epoch = col_i64(r, i, 7);
	p->entered_at = col_dup(r, i, 8);
	p->created_at = col_dup(r, i, 9);
	p->status_at = col_dup(r, i, 10);
	return p->name && p->description && (int)p->status >= 0 && p->stage &&
		       p->entered_at && p->created_at && p->status_at
		   ? 0
		   : -1;
}

static const struct ap_error *
pg_project_get(struct store *s, const char *name, struct store_project *p)
{
	const struct ap_error *err;
	PGresult *r;

	memset(p, 0, sizeof(*p));
	/* The server refuses text that is not UTF-8, where SQLite compares
	 * bytes: no stored name is such text, so no project has it. */
	if (!utf8_valid(name, strlen(name)))
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no project '%s'",
				    shown(name));
	if ((err = query(s, "read", &r,
			 "SELECT " PROJECT_COLS " FROM project WHERE name = $1",
			 "s", name)))
		return err;
	if (PQntuples(r) == 0)
		err = ap_error_fmt(AP_EXIT_NOTFOUND, "no project '%s'",
				   shown(name));
	else if (project_from_row(r, 0, p)) {
		store_project_clear(p);
		err = ap_error_nomem();
	}
	PQclear(r);
	return err;
}

/* The id of an INSERT ... RETURNING id. */
static int64_t
returned_id(PGresult *r)
{
	int64_t id = r && PQntuples(r) > 0 ? col_i64(r, 0, 0) : 0;

	PQclear(r);
	return id;
}

static const struct ap_error *
pg_project_create(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	PGresult *r;

	if ((err = query(s, "create the project", &r,
			 "INSERT INTO project (name, description,"
			 " status, stage, epoch, entered_at,"
			 " created_at, status_at) VALUES ($1, $2, 'active',"
			 " $3, 0, $4, $5, $5) ON CONFLICT DO NOTHING"
			 " RETURNING id",
			 "sssss", p->name, p->description ? p->description : "",
			 p->stage, p->entered_at, p->created_at)))
		return err;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	}
	p->id = returned_id(r);
	return NULL;
}

struct project_ctx {
	store_project_fn fn;
	void *arg;
};

static const struct ap_error *
project_row(void *ctx, const PGresult *r, int i)
{
	struct project_ctx *x = ctx;
	const struct ap_error *err;
	struct store_project p = {0};

	if (project_from_row(r, i, &p))
		err = ap_error_nomem();
	else
		err = x->fn(x->arg, &p);
	store_project_clear(&p);
	return err;
}

static const struct ap_error *
pg_project_list(struct store *s, const char *stage, int all,
		store_project_fn fn, void *arg)
{
	struct project_ctx x = {fn, arg};

	return stream(s, "list projects", project_row, &x,
		      "SELECT " PROJECT_COLS " FROM project"
		      " WHERE ($1::text IS NULL OR stage = $1)"
		      " AND ($2 <> 0 OR status <> 'closed')"
		      " ORDER BY name COLLATE \"C\"",
		      "si", stage, (int64_t)all);
}

static const struct ap_error *
pg_project_rename(struct store *s, int64_t id, const char *name)
{
	const struct ap_error *err;
	int conflict;

	if ((err = exec(s, "rename the project", NULL, &conflict,
			"UPDATE project SET name = $1 WHERE id = $2", "si",
			name, id)))
		return err;
	if (conflict)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", name);
	return NULL;
}

static const struct ap_error *
pg_project_set_status(struct store *s, int64_t id, enum proj_status status,
		      const char *reason, const char *outcome, const char *at)
{
	return exec(s, "change the project's status", NULL, NULL,
		    "UPDATE project SET status = $1, status_reason = $2,"
		    " outcome = $3, status_at = $4 WHERE id = $5",
		    "ssssi", proj_status_name(status), reason, outcome, at, id);
}

static const struct ap_error *
pg_project_delete(struct store *s, int64_t id)
{
	return exec(s, "delete the project", NULL, NULL,
		    "DELETE FROM project WHERE id = $1", "i", id);
}

static const struct ap_error *
pg_project_move(struct store *s, int64_t id, const char *stage, const char *at)
{
	return exec(s, "move the project", NULL, NULL,
		    "UPDATE project SET stage = $1, entered_at = $2,"
		    " epoch = epoch + 1 WHERE id = $3",
		    "ssi", stage, at, id);
}

/* ---- history ---- */

static const struct ap_error *
pg_transition_add(struct store *s, const struct store_transition *t)
{
	return exec(s, "record the transition", NULL, NULL,
		    "INSERT INTO transition (project_id, from_stage, to_stage,"
		    " kind, actor, reason, at)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7)",
		    "issssss", t->project_id, t->from, t->to, t->kind, t->actor,
		    t->reason, t->at);
}

struct transition_ctx {
	store_transition_fn fn;
	void *arg;
	int64_t project;
};

static const struct ap_error *
transition_row(void *ctx, const PGresult *r, int i)
{
	struct transition_ctx *x = ctx;
	struct store_transition t = {
	    .project_id = x->project,
	    .from = col_text(r, i, 0),
	    .to = col_text(r, i, 1),
	    .kind = col_text(r, i, 2),
	    .actor = col_text(r, i, 3),
	    .reason = col_text(r, i, 4),
	    .at = col_text(r, i, 5),
	};

	return x->fn(x->arg, &t);
}

static const struct ap_error *
pg_transitions(struct store *s, int64_t project, store_transition_fn fn,
	       void *arg)
{
	struct transition_ctx x = {fn, arg, project};

	return rows(s, "read the history", transition_row, &x,
		    "SELECT from_stage, to_stage, kind, actor, reason, at"
		    " FROM transition WHERE project_id = $1 ORDER BY id",
		    "i", project);
}

/* A query of one row and one integer column. */
static const struct ap_error *
count_of(struct store *s, int64_t *n, const char *sql, const char *types, ...)
{
	const struct ap_error *err;
	PGresult *r;
	va_list ap;

	va_start(ap, types);
	err = vrun(s, "read", NULL, &r, sql, types, ap);
	va_end(ap);
	if (err)
		return err;
	*n = PQntuples(r) > 0 ? col_i64(r, 0, 0) : 0;
	PQclear(r);
	return NULL;
}

static const struct ap_error *
pg_transition_count(struct store *s, int64_t project, const char *kind,
		    int64_t *n)
{
	return count_of(s, n,
			"SELECT count(*) FROM transition WHERE project_id = $1"
			" AND ($2::text IS NULL OR kind = $2)",
			"is", project, kind);
}

/* ---- criteria ---- */

static const struct ap_error *
pg_criterion_add(struct store *s, int64_t project, const char *stage,
		 const char *text, int64_t *id)
{
	const struct ap_error *err;

	/* max + 1 is race-free: writers hold the store's lock */
	if ((err = count_of(s, id,
			    "SELECT coalesce(max(id), 0) + 1 FROM criterion"
			    " WHERE project_id = $1",
			    "i", project)))
		return err;
	return exec(s, "add the criterion", NULL, NULL,
		    "INSERT INTO criterion (project_id, id, stage, text)"
		    " VALUES ($1, $2, $3, $4)",
		    "iiss", project, *id, stage, text);
}

struct criterion_ctx {
	store_criterion_fn fn;
	void *arg;
};

static const struct ap_error *
criterion_row(void *ctx, const PGresult *r, int i)
{
	struct criterion_ctx *x = ctx;
	struct store_criterion c = {
	    .id = col_i64(r, i, 0),
	    .stage = col_text(r, i, 1),
	    .text = col_text(r, i, 2),
	    .done = col_int(r, i, 3),
	    .done_by = col_text(r, i, 4),
	    .done_at = col_text(r, i, 5),
	    .note = col_text(r, i, 6),
	};

	return x->fn(x->arg, &c);
}

static const struct ap_error *
pg_criteria(struct store *s, int64_t project, const char *stage,
	    store_criterion_fn fn, void *arg)
{
	struct criterion_ctx x = {fn, arg};

	return rows(s, "read the criteria", criterion_row, &x,
		    "SELECT id, stage, text, done, done_by, done_at, note"
		    " FROM criterion WHERE project_id = $1"
		    " AND ($2::text IS NULL OR stage = $2) ORDER BY id",
		    "is", project, stage);
}

static const struct ap_error *
pg_criterion_get(struct store *s, int64_t project, int64_t id, char **stage,
		 int *done)
{
	const struct ap_error *err;
	PGresult *r;

	*stage = NULL;
	if ((err = query(s, "read", &r,
			 "SELECT stage, done FROM criterion"
			 " WHERE project_id = $1 AND id = $2",
			 "ii", project, id)))
		return err;
	if (PQntuples(r) == 0)
		err = ap_error_fmt(AP_EXIT_NOTFOUND, "no criterion %lld",
				   (long long)id);
	else if (!(*stage = col_dup(r, 0, 0)))
		err = ap_error_nomem();
	else
		*done = col_int(r, 0, 1);
	PQclear(r);
	return err;
}

static const struct ap_error *
pg_criterion_set(struct store *s, int64_t project, int64_t id, int done,
		 const char *actor, const char *note, const char *at)
{
	return exec(
	    s, "update the criterion", NULL, NULL,
	    "UPDATE criterion SET done = $1, done_by = $2,"
	    " done_at = $3, note = $4 WHERE project_id = $5 AND id = $6",
	    "isssii", (int64_t)done, done ? actor : NULL, done ? at : NULL,
	    done ? note : NULL, project, id);
}

static const struct ap_error *
pg_criteria_reopen(struct store *s, int64_t project, const char *const *stages,
		   size_t n)
{
	const struct ap_error *err;

	for (size_t i = 0; i < n; i++)
		if ((err = exec(s, "reopen the criteria", NULL, NULL,
				"UPDATE criterion SET done = 0, done_by = NULL,"
				" done_at = NULL, note = NULL"
				" WHERE project_id = $1 AND stage = $2"
				" AND done <> 0",
				"is", project, stages[i])))
			return err;
	return NULL;
}

/* ---- assignments ---- */

static const struct ap_error *
pg_assign(struct store *s, int64_t project, const char *role,
	  const char *person, const char *at)
{
	const struct ap_error *err;
	int conflict;

	if ((err =
		 insert_new(s, "assign the role", &conflict,
			    "INSERT INTO assignment (project_id, role, person,"
			    " assigned_at) VALUES ($1, $2, $3, $4)"
			    " ON CONFLICT DO NOTHING",
			    "isss", project, role, person, at)))
		return err;
	if (conflict)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "'%s' is already assigned as %s", person,
				    role);
	return NULL;
}

static const struct ap_error *
pg_unassign(struct store *s, int64_t project, const char *role,
	    const char *person)
{
	const struct ap_error *err;
	int n = 0;

	if ((err = exec(s, "unassign the role", &n, NULL,
			"DELETE FROM assignment WHERE project_id = $1 AND"
			" role = $2 AND person = $3",
			"iss", project, role, person)))
		return err;
	if (n == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND,
				    "'%s' is not assigned as %s", person, role);
	return NULL;
}

struct assignment_ctx {
	store_assignment_fn fn;
	void *arg;
};

static const struct ap_error *
assignment_row(void *ctx, const PGresult *r, int i)
{
	struct assignment_ctx *x = ctx;
	struct store_assignment a = {
	    .role = col_text(r, i, 0),
	    .person = col_text(r, i, 1),
	    .assigned_at = col_text(r, i, 2),
	};

	return x->fn(x->arg, &a);
}

static const struct ap_error *
pg_assignments(struct store *s, int64_t project, store_assignment_fn fn,
	       void *arg)
{
	struct assignment_ctx x = {fn, arg};

	return rows(s, "read the assignments", assignment_row, &x,
		    "SELECT role, person, assigned_at FROM assignment"
		    " WHERE project_id = $1"
		    " ORDER BY role COLLATE \"C\", person COLLATE \"C\"",
		    "i", project);
}

/* ---- decisions ---- */

static const struct ap_error *
pg_decision_add(struct store *s, const struct store_decision *d)
{
	return exec(s, "record the decision", NULL, NULL,
		    "INSERT INTO decision (project_id, kind, cost, reason,"
		    " actor, at) VALUES ($1, $2, $3, $4, $5, $6)",
		    d->has_cost ? "isdsss" : "isnsss", d->project_id,
		    decision_kind_name(d->kind), d->cost, d->reason, d->actor,
		    d->at);
}

struct decision_ctx {
	store_decision_fn fn;
	void *arg;
	int64_t project;
};

static const struct ap_error *
decision_row(void *ctx, const PGresult *r, int i)
{
	struct decision_ctx *x = ctx;
	struct store_decision d = {
	    .project_id = x->project,
	    .kind = decision_kind_parse(col_text(r, i, 0)),
	    .has_cost = !PQgetisnull(r, i, 1),
	    .cost = col_double(r, i, 1),
	    .reason = col_text(r, i, 2),
	    .actor = col_text(r, i, 3),
	    .at = col_text(r, i, 4),
	};

	return x->fn(x->arg, &d);
}

static const struct ap_error *
pg_decision_latest(struct store *s, int64_t project, store_decision_fn fn,
		   void *arg)
{
	struct decision_ctx x = {fn, arg, project};

	return rows(s, "read", decision_row, &x,
		    "SELECT kind, cost, reason, actor, at FROM decision"
		    " WHERE project_id = $1 ORDER BY id DESC LIMIT 1",
		    "i", project);
}

/* ---- KPIs ---- */

static const struct ap_error *
pg_kpi_add(struct store *s, int64_t project, const char *name, const char *op,
	   double target, const char *at)
{
	const struct ap_error *err;
	int conflict;

	if ((err = insert_new(s, "add the KPI", &conflict,
			      "INSERT INTO kpi (project_id, name, op, target,"
			      " created_at) VALUES ($1, $2, $3, $4, $5)"
			      " ON CONFLICT DO NOTHING",
			      "issds", project, name, op, target, at)))
		return err;
	if (conflict)
		return ap_error_fmt(AP_EXIT_CONFLICT, "KPI '%s' already exists",
				    name);
	return NULL;
}

static const struct ap_error *
pg_kpi_record(struct store *s, int64_t project, const char *name, double value,
	      const char *actor, const char *at)
{
	const struct ap_error *err;
	int conflict;

	if ((err = insert_new(s, "record the KPI reading", &conflict,
			      "INSERT INTO kpi_reading (project_id, kpi, value,"
			      " actor, at) SELECT $1, $2, $3, $4, $5"
			      " WHERE EXISTS (SELECT 1 FROM kpi"
			      " WHERE project_id = $1 AND name = $2)",
			      "isdss", project, name, value, actor, at)))
		return err;
	if (conflict)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no KPI '%s'", name);
	return NULL;
}

struct kpi_ctx {
	store_kpi_fn fn;
	void *arg;
};

static const struct ap_error *
kpi_row(void *ctx, const PGresult *r, int i)
{
	struct kpi_ctx *x = ctx;
	struct store_kpi k = {
	    .name = col_text(r, i, 0),
	    .op = col_text(r, i, 1),
	    .target = col_double(r, i, 2),
	    .created_at = col_text(r, i, 3),
	    .has_reading = !PQgetisnull(r, i, 4),
	    .value = col_double(r, i, 4),
	    .read_at = col_text(r, i, 5),
	    .read_by = col_text(r, i, 6),
	};

	return x->fn(x->arg, &k);
}

static const struct ap_error *
pg_kpis(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	struct kpi_ctx x = {fn, arg};

	return rows(s, "read the KPIs", kpi_row, &x,
		    "SELECT k.name, k.op, k.target, k.created_at,"
		    " r.value, r.at, r.actor FROM kpi k"
		    " LEFT JOIN kpi_reading r ON r.id = (SELECT max(id)"
		    " FROM kpi_reading WHERE project_id = k.project_id"
		    " AND kpi = k.name)"
		    " WHERE k.project_id = $1 ORDER BY k.name COLLATE \"C\"",
		    "i", project);
}

/* ---- approvals ---- */

static const struct ap_error *
pg_approval_add(struct store *s, const struct store_approval *a)
{
	return exec(s, "record the approval", NULL, NULL,
		    "INSERT INTO approval (project_id, stage, epoch, person,"
		    " role, note, at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
		    "isissss", a->project_id, a->stage, a->epoch, a->person,
		    a->role, a->note, a->at);
}

static const struct ap_error *
pg_approval_count(struct store *s, int64_t project, const char *stage,
		  int64_t epoch, int *n)
{
	const struct ap_error *err;
	int64_t v;

	if ((err =
		 count_of(s, &v,
			  "SELECT count(*) FROM approval WHERE project_id = $1"
			  " AND epoch >= $2 AND stage = $3",
			  "iis", project, epoch, stage)))
		return err;
	*n = (int)v;
	return NULL;
}

static const struct ap_error *
pg_stage_entry_epoch(struct store *s, int64_t project, const char *stage,
		     int64_t *epoch)
{
	return count_of(s, epoch,
			"SELECT count(*) FROM transition WHERE project_id = $1"
			" AND id <= (SELECT max(id) FROM transition"
			" WHERE project_id = $1 AND to_stage = $2)",
			"is", project, stage);
}

/* ---- components ---- */

static const struct ap_error *
pg_component_add(struct store *s, int64_t project, const char *name,
		 const char *owner, const char *description)
{
	const struct ap_error *err;
	int conflict;

	if ((err = insert_new(s, "add the component", &conflict,
			      "INSERT INTO component (project_id, name, owner,"
			      " description) VALUES ($1, $2, $3, $4)"
			      " ON CONFLICT DO NOTHING",
			      "isss", project, name, owner,
			      description ? description : "")))
		return err;
	if (conflict)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "component '%s' already exists", name);
	return NULL;
}

struct component_ctx {
	store_component_fn fn;
	void *arg;
};

static const struct ap_error *
component_row(void *ctx, const PGresult *r, int i)
{
	struct component_ctx *x = ctx;
	struct store_component c = {
	    .name = col_text(r, i, 0),
	    .owner = col_text(r, i, 1),
	    .description = col_text(r, i, 2),
	};

	return x->fn(x->arg, &c);
}

static const struct ap_error *
pg_components(struct store *s, int64_t project, store_component_fn fn,
	      void *arg)
{
	struct component_ctx x = {fn, arg};

	return rows(s, "read the components", component_row, &x,
		    "SELECT name, owner, description FROM component"
		    " WHERE project_id = $1 ORDER BY name COLLATE \"C\"",
		    "i", project);
}

static const struct ap_error *
pg_component_remove(struct store *s, int64_t project, const char *name)
{
	const struct ap_error *err;
	int n = 0;

	if ((err = exec(s, "remove the component", &n, NULL,
			"DELETE FROM component WHERE project_id = $1"
			" AND name = $2",
			"is", project, name)))
		return err;
	if (n == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no component '%s'",
				    name);
	return NULL;
}

/* ---- reports ---- */

struct roles_ctx {
	store_roles_fn fn;
	void *arg;
};

static const struct ap_error *
roles_row(void *ctx, const PGresult *r, int i)
{
	struct roles_ctx *x = ctx;
	struct store_roles_row row = {
	    .project = col_text(r, i, 0),
	    .status = proj_status_parse(col_text(r, i, 1)),
	    .stage = col_text(r, i, 2),
	    .kind = col_text(r, i, 3),
	    .role = col_text(r, i, 4),
	    .name = col_text(r, i, 5),
	    .description = col_text(r, i, 6),
	};

	return x->fn(x->arg, &row);
}

static const struct ap_error *
pg_report_roles(struct store *s, const char *names, int all, store_roles_fn fn,
		void *arg)
{
	struct roles_ctx x = {fn, arg};

	return stream(
	    s, "read the report", roles_row, &x,
	    "WITH p AS (SELECT id, name, status, stage FROM project"
	    "  WHERE CASE WHEN $1::text IS NULL"
	    "  THEN ($2 <> 0 OR status <> 'closed')"
	    "  ELSE name IN (SELECT json_array_elements_text($1::json))"
	    "  END)"
	    " SELECT project, status, stage, kind, role, who,"
	    "  description FROM ("
	    " SELECT p.name, p.status, p.stage, 'a', a.role,"
	    "  a.person, NULL, 0 FROM p"
	    "  JOIN assignment a ON a.project_id = p.id"
	    " UNION ALL"
	    " SELECT p.name, p.status, p.stage, 'c', c.owner, c.name,"
	    "  c.description, 1 FROM p JOIN component c"
	    "  ON c.project_id = p.id"
	    " UNION ALL"
	    " SELECT p.name, p.status, p.stage, NULL, NULL, NULL,"
	    "  NULL, -1 FROM p"
	    " ) u (project, status, stage, kind, role, who,"
	    "  description, k)"
	    " ORDER BY project COLLATE \"C\", k,"
	    "  role COLLATE \"C\" NULLS FIRST,"
	    "  who COLLATE \"C\" NULLS FIRST",
	    "si", names, (int64_t)all);
}

struct status_ctx {
	store_status_fn fn;
	void *arg;
};

static const struct ap_error *
status_row(void *ctx, const PGresult *r, int i)
{
	struct status_ctx *x = ctx;
	struct store_status_row row = {
	    .project = col_text(r, i, 0),
	    .status = proj_status_parse(col_text(r, i, 1)),
	    .stage = col_text(r, i, 2),
	    .entered_at = col_text(r, i, 3),
	    .status_at = col_text(r, i, 4),
	    .manual_total = col_int(r, i, 5),
	    .manual_done = col_int(r, i, 6),
	    .decision = decision_kind_parse(col_text(r, i, 7)),
	    .has_cost = col_int(r, i, 8),
	    .kpis = col_int(r, i, 9),
	    .approvals = col_int(r, i, 10),
	    .back_jumps = col_int(r, i, 11),
	    .staffed = col_text(r, i, 12),
	};

	return x->fn(x->arg, &row);
}

static const struct ap_error *
pg_report_status(struct store *s, int all, store_status_fn fn, void *arg)
{
	struct status_ctx x = {fn, arg};

	/* one pass over the projects; every subquery is an index lookup */
	return stream(
	    s, "read the report", status_row, &x,
	    "SELECT p.name, p.status, p.stage, p.entered_at,"
	    " p.status_at,"
	    " (SELECT count(*) FROM criterion c WHERE"
	    "  c.project_id = p.id AND c.stage = p.stage),"
	    " (SELECT count(*) FROM criterion c WHERE"
	    "  c.project_id = p.id AND c.stage = p.stage"
	    "  AND c.done <> 0),"
	    " d.kind, (d.cost IS NOT NULL)::int,"
	    " (SELECT count(*) FROM kpi k WHERE k.project_id = p.id),"
	    " (SELECT count(*) FROM approval a WHERE"
	    "  a.project_id = p.id AND a.epoch = p.epoch AND"
	    "  a.stage = p.stage),"
	    " (SELECT count(*) FROM transition t WHERE"
	    "  t.project_id = p.id AND t.kind = 'back'),"
	    " (SELECT string_agg(role, ',' ORDER BY role COLLATE \"C\")"
	    "  FROM (SELECT DISTINCT role FROM assignment a"
	    "  WHERE a.project_id = p.id) r)"
	    " FROM project p LEFT JOIN decision d ON d.id ="
	    "  (SELECT max(id) FROM decision WHERE project_id = p.id)"
	    " WHERE $1 <> 0 OR p.status <> 'closed'"
	    " ORDER BY p.name COLLATE \"C\"",
	    "i", (int64_t)all);
}

struct people_ctx {
	store_people_fn fn;
	void *arg;
};

static const struct ap_error *
people_row(void *ctx, const PGresult *r, int i)
{
	struct people_ctx *x = ctx;
	struct store_people_row row = {
	    .person = col_text(r, i, 0),
	    .project = col_text(r, i, 1),
	    .status = proj_status_parse(col_text(r, i, 2)),
	    .stage = col_text(r, i, 3),
	    .role = col_text(r, i, 4),
	    .holders = col_int(r, i, 5),
	};

	return x->fn(x->arg, &row);
}

static const struct ap_error *
pg_report_people(struct store *s, int all, store_people_fn fn, void *arg)
{
	struct people_ctx x = {fn, arg};

	return stream(s, "read the report", people_row, &x,
		      "SELECT a.person, p.name, p.status, p.stage, a.role,"
		      " count(*) OVER (PARTITION BY a.project_id, a.role)"
		      " FROM assignment a JOIN project p ON p.id = a.project_id"
		      " WHERE $1 <> 0 OR p.status <> 'closed'"
		      " ORDER BY a.person COLLATE \"C\", p.name COLLATE \"C\","
		      "  a.role COLLATE \"C\"",
		      "i", (int64_t)all);
}

/* ---- audit ---- */

static const struct ap_error *
pg_audit_add(struct store *s, const struct store_audit *a)
{
	return exec(s, "record the refusal", NULL, NULL,
		    "INSERT INTO audit (at, actor, action, project, stage,"
		    " detail) VALUES ($1, $2, $3, $4, $5, $6)",
		    "ssssss", a->at, a->actor, a->action, a->project, a->stage,
		    a->detail);
}

struct audit_ctx {
	store_audit_fn fn;
	void *arg;
};

static const struct ap_error *
audit_row(void *ctx, const PGresult *r, int i)
{
	struct audit_ctx *x = ctx;
	struct store_audit a = {
	    .at = col_text(r, i, 0),
	    .actor = col_text(r, i, 1),
	    .action = col_text(r, i, 2),
	    .project = col_text(r, i, 3),
	    .stage = col_text(r, i, 4),
	    .detail = col_text(r, i, 5),
	};

	return x->fn(x->arg, &a);
}

static const struct ap_error *
pg_audit_list(struct store *s, int limit, store_audit_fn fn, void *arg)
{
	struct audit_ctx x = {fn, arg};

	return rows(s, "read the audit log", audit_row, &x,
		    "SELECT at, actor, action, project, stage, detail"
		    " FROM audit ORDER BY id DESC LIMIT $1",
		    "i", (int64_t)limit);
}

/* ---- import and export ---- */

static const struct ap_error *
pg_project_import(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	PGresult *r;

	if ((err = query(s, "import the project", &r,
			 "INSERT INTO project (name, description,"
			 " status, status_reason, outcome, stage,"
			 " epoch, entered_at, created_at, status_at)"
			 " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
			 " ON CONFLICT DO NOTHING RETURNING id",
			 "ssssssisss", p->name, p->description,
			 proj_status_name(p->status), p->status_reason,
			 p->outcome, p->stage, p->epoch, p->entered_at,
			 p->created_at, p->status_at)))
		return err;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	}
	p->id = returned_id(r);
	return NULL;
}

static const struct ap_error *
pg_criterion_import(struct store *s, int64_t project,
		    const struct store_criterion *c)
{
	return exec(s, "import the criterion", NULL, NULL,
		    "INSERT INTO criterion (project_id, id, stage, text, done,"
		    " done_by, done_at, note)"
		    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
		    "iississs", project, c->id, c->stage, c->text,
		    (int64_t)c->done, c->done_by, c->done_at, c->note);
}

static const struct ap_error *
pg_decisions(struct store *s, int64_t project, store_decision_fn fn, void *arg)
{
	struct decision_ctx x = {fn, arg, project};

	return rows(s, "read the decisions", decision_row, &x,
		    "SELECT kind, cost, reason, actor, at FROM decision"
		    " WHERE project_id = $1 ORDER BY id",
		    "i", project);
}

struct reading_ctx {
	store_reading_fn fn;
	void *arg;
};

static const struct ap_error *
reading_row(void *ctx, const PGresult *r, int i)
{
	struct reading_ctx *x = ctx;
	struct store_reading rd = {
	    .kpi = col_text(r, i, 0),
	    .value = col_double(r, i, 1),
	    .actor = col_text(r, i, 2),
	    .at = col_text(r, i, 3),
	};

	return x->fn(x->arg, &rd);
}

static const struct ap_error *
pg_readings(struct store *s, int64_t project, store_reading_fn fn, void *arg)
{
	struct reading_ctx x = {fn, arg};

	return rows(s, "read the readings", reading_row, &x,
		    "SELECT kpi, value, actor, at FROM kpi_reading"
		    " WHERE project_id = $1 ORDER BY kpi COLLATE \"C\", id",
		    "i", project);
}

struct approval_ctx {
	store_approval_fn fn;
	void *arg;
	int64_t project;
};

static const struct ap_error *
approval_row(void *ctx, const PGresult *r, int i)
{
	struct approval_ctx *x = ctx;
	struct store_approval a = {
	    .project_id = x->project,
	    .stage = col_text(r, i, 0),
	    .epoch = col_i64(r, i, 1),
	    .person = col_text(r, i, 2),
	    .role = col_text(r, i, 3),
	    .note = col_text(r, i, 4),
	    .at = col_text(r, i, 5),
	};

	return x->fn(x->arg, &a);
}

static const struct ap_error *
pg_approvals(struct store *s, int64_t project, store_approval_fn fn, void *arg)
{
	struct approval_ctx x = {fn, arg, project};

	return rows(s, "read the approvals", approval_row, &x,
		    "SELECT stage, epoch, person, role, note, at"
		    " FROM approval WHERE project_id = $1 ORDER BY id",
		    "i", project);
}

static const struct store_ops pg_ops = {
#define B(ret, name, params) .name = pg_##name,
#define X(name, params, args) .name = pg_##name,
    STORE_BASIC_OPS(B) STORE_OPS(X)
#undef X
#undef B
};
