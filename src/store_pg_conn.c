/*
 * store_pg_conn.c - the PostgreSQL backend's connection layer: libpq
 * loaded at run time, the server's errors as aiproj's, and the connection
 * URI (its password kept out of every message).  See store_pg.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dlfcn.h>

#include "aiproj/util.h"
#include "store_pg.h"

#define X(f) __typeof__(p_##f) p_##f;
PQ_FUNCS(X)
#undef X

const struct ap_error *
pg_load_libpq(void)
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

/* The pipeline functions, from the libpq pg_load_libpq() loaded: each
 * looked up by name, all or none. */
const struct pg_pipeline *
pg_pipeline(void)
{
	static struct pg_pipeline p;
	static int looked, have;
	void *lib;

	if (looked)
		return have ? &p : NULL;
	looked = 1;
	if (!(lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL | RTLD_NOLOAD)))
		return NULL;
#define LOOK(m, f) p.m = (__typeof__(p.m))dlsym(lib, #f)
	LOOK(enter, PQenterPipelineMode);
	LOOK(exit, PQexitPipelineMode);
	LOOK(sync, PQpipelineSync);
	LOOK(send_params, PQsendQueryParams);
	LOOK(send_prepare, PQsendPrepare);
	LOOK(send_prepared, PQsendQueryPrepared);
	LOOK(get_result, PQgetResult);
#undef LOOK
	/* the handle pg_load_libpq() holds keeps the library loaded */
	dlclose(lib);
	have = p.enter && p.exit && p.sync && p.send_params && p.send_prepare &&
	       p.send_prepared && p.get_result &&
	       !getenv("AIPROJ_PG_NO_PIPELINE");
	return have ? &p : NULL;
}

/* ---- errors ---- */

/* The first line of a libpq message, without trailing blanks. */
const char *
pg_first_line(const char *msg, char *buf, size_t size)
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

const char *
pg_sqlstate(const PGresult *r)
{
	const char *st = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	return st ? st : "";
}

/* The store's error for a failed statement (r may be NULL). */
const struct ap_error *
pg_error(struct store *s, const PGresult *r, const char *doing)
{
	const char *state = pg_sqlstate(r);
	const char *path = shown(PG(s)->path);
	const char *msg =
	    r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char buf[512];

	if (!msg)
		msg = pg_first_line(PQerrorMessage(PG(s)->conn), buf,
				    sizeof(buf));
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
	/* the server's policy (schemas/pg/008-server-policy.sql) */
	if (!strcmp(state, "AP001") || !strcmp(state, "AP003"))
		return ap_error_fmt(AP_EXIT_REFUSED, "store '%s': %s", path,
				    msg);
	if (!strcmp(state, "AP002"))
		return ap_error_fmt(AP_EXIT_NOTFOUND, "store '%s': %s", path,
				    msg);
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

int
pg_res_ok(const PGresult *r)
{
	ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* ---- the connection URI ---- */

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
char *
pg_redact(const char *uri)
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
 * libpq and pg_redact() would cut the user information differently (an
 * unencoded '@' or '/' in it), or one libpq cannot parse while it holds a
 * password (libpq's message may quote the password's bytes).
 */
const struct ap_error *
pg_uri_check(const char *uri, const char *path)
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
	last = strrchr(p, '@');                  /* where pg_redact() cuts */
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
	pg_first_line(msg, buf, sizeof(buf));
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
int
pg_connect_transient(const char *msg)
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
