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
#include "store_pg.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/embedded.h"
#include "aiproj/util.h"

static const struct store_ops pg_ops;
static void pg_close(struct store *s);
static void pg_rollback(struct store *s);

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

/* ---- a batch: statements sent in pipeline mode ---- */

#define MAXPEND 2000 /* statements sent before their results are read */

static const struct ap_error *group_flush(struct store *s);
static void group_free(struct pg_store *pg);
static void check_free(struct pg_check *c);
static int check_missing(const struct pg_check *c, const PGresult *r);
static const char *val_at(const struct sbuf *b, size_t off);


static void
pend_clear(struct pg_store *pg)
{
	for (int i = 0; i < pg->npend; i++) {
		free(pg->pend[i].none_a);
		free(pg->pend[i].none_b);
		check_free(pg->pend[i].check);
	}
	pg->npend = 0;
}

/* The result of pending statement q: NULL, or its error. */
static const struct ap_error *
pend_result(struct store *s, const struct pg_pending *q, PGresult *r)
{
	if (!r)
		return pg_error(s, NULL, q->doing);
	if (PQresultStatus(r) == PGRES_PIPELINE_ABORTED)
		/* an earlier statement failed: its error is the one */
		return pg_error(s, r, q->doing);
	if (!pg_res_ok(r))
		return pg_error(s, r, q->doing);
	if (!q->prepare && q->check) {
		const struct pg_check *c = q->check;
		int i, w = c->k + 2;
		const char *a, *b;
		if (PQntuples(r) == c->rows)
			return NULL;
		i = check_missing(c, r);
		a = val_at(&c->vals, c->off[i * w + c->k]);
		b = val_at(&c->vals, c->off[i * w + c->k + 1]);
		return ap_error_fmt(q->none_code, q->none_fmt, a ? a : "",
				    b ? b : "");
	}
	if (!q->prepare && q->none_code && atoi(PQcmdTuples(r)) == 0)
		return ap_error_fmt(q->none_code, q->none_fmt,
				    q->none_a ? q->none_a : "",
				    q->none_b ? q->none_b : "");
	if (!q->prepare && q->expect_id &&
	    (PQntuples(r) != 1 ||
	     strtoll(PQgetvalue(r, 0, 0), NULL, 10) != q->expect_id))
		/* another connection took an id meanwhile: the rows written
		 * with the one foretold roll back with the rest */
		return ap_error_fmt(AP_EXIT_UNAVAILABLE,
				    "store '%s' is busy: another connection"
				    " wrote a project meanwhile; try again",
				    shown(PG(s)->path));
	return NULL;
}

/*
 * Leave pipeline mode: read the result of every statement sent in it, in
 * order.  The first that failed gives the error, the one it would have
 * given run alone (those after it were not run: the server aborted the
 * transaction at the failure, as it does outside a pipeline).
 */
static const struct ap_error *
settle(struct store *s)
{
	struct pg_store *pg = PG(s);
	const struct pg_pipeline *pp = pg_pipeline();
	const struct ap_error *err = NULL, *ferr = group_flush(s);
	PGresult *r;

	if (!pg->piped)
		return ferr;
	pg->piped = 0;
	if (!pp->sync(pg->conn)) {
		err =
		    pg_error(s, NULL, pg->npend ? pg->pend[0].doing : "write");
		pend_clear(pg);
		return err;
	}
	for (int i = 0; i < pg->npend; i++) {
		const struct ap_error *e;
		r = pp->get_result(pg->conn);
		e = pend_result(s, &pg->pend[i], r);
		/* a statement not prepared (the pipeline failed before it) is
		 * prepared again at its next run */
		if (e && pg->pend[i].prepare)
			pg->prep[pg->pend[i].prepare - 1].prepared = 0;
		if (!err)
			err = e;
		if (!r)
			continue;
		PQclear(r);
		while ((r = pp->get_result(pg->conn))) /* to the query's end */
			PQclear(r);
	}
	pend_clear(pg);
	if (err) /* ids foretold no more */
		pg->next_id = pg->seen_id = 0;
	/* the sync point */
	while ((r = pp->get_result(pg->conn))) {
		int sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
		PQclear(r);
		if (sync)
			break;
	}
	if (!pp->exit(pg->conn) && !err)
		err = pg_error(s, NULL, "write");
	return err ? err : ferr;
}

/* A statement without parameters or rows (transaction control). */
static const struct ap_error *
simple(struct store *s, const char *sql, const char *doing)
{
	const struct ap_error *err = settle(s);
	PGresult *r;

	if (err)
		return err;
	r = PQexec(PG(s)->conn, sql);
	err = pg_res_ok(r) ? NULL : pg_error(s, r, doing);
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

		if (!pg_res_ok(r))
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
	if ((err = settle(s)))
		return err;
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
	if (pg_res_ok(r)) {
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
	if (conflict && !strncmp(pg_sqlstate(r), "23", 2)) {
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

/* ---- the driver ---- */

struct pg_row {
	struct sd_row base;
	const PGresult *r;
	int i;
};

#define PR(x) ((const struct pg_row *)(x))

static const char *
pgr_text(const struct sd_row *x, int col)
{
	return col_text(PR(x)->r, PR(x)->i, col);
}

static int64_t
pgr_i64(const struct sd_row *x, int col)
{
	return col_i64(PR(x)->r, PR(x)->i, col);
}

static double
pgr_dbl(const struct sd_row *x, int col)
{
	const char *t = col_text(PR(x)->r, PR(x)->i, col);

	return t ? strtod(t, NULL) : 0.0;
}

static int
pgr_null(const struct sd_row *x, int col)
{
	return PQgetisnull(PR(x)->r, PR(x)->i, col);
}

static const struct sd_row_ops pg_row_ops = {pgr_text, pgr_i64, pgr_dbl,
					     pgr_null};

/* Call q->fn for every row of a result, then clear it. */
static const struct ap_error *
each_row(PGresult *r, struct sd_stmt *q)
{
	const struct ap_error *err = NULL;
	struct pg_row row = {{&pg_row_ops}, r, 0};
	int n = q->fn ? PQntuples(r) : 0;

	for (; row.i < n && !err; row.i++)
		err = q->fn(q->ctx, &row.base);
	PQclear(r);
	return err;
}

/*
 * The statement's text for the server: ?N made $N, once per statement
 * (cached by the literal's address).  NULL: out of memory.  A statement
 * past the cache's room is made anew in *tmp, which the caller frees.
 */
static const char *
pg_sql(struct store *s, const char *sql, char **tmp)
{
	struct pg_store *pg = PG(s);
	char *t;
	int i;

	*tmp = NULL;
	for (i = 0; i < pg->nsql; i++)
		if (pg->sql[i].key == sql)
			return pg->sql[i].text;
	if (!(t = strdup(sql)))
		return NULL;
	for (char *p = t; (p = strchr(p, '?')); p++)
		if (p[1] >= '0' && p[1] <= '9')
			*p = '$';
	if (pg->nsql == MAXSQL)
		return *tmp = t;
	pg->sql[pg->nsql].key = sql;
	pg->sql[pg->nsql++].text = t;
	return t;
}

static const struct ap_error *fetch_all(struct store *s, struct sd_stmt *q,
					const char *name);

/* A query through a cursor, FETCH_ROWS rows at a time (a result of the
 * whole portfolio's size). */
static const struct ap_error *
stream(struct store *s, struct sd_stmt *q, const char *sql, va_list ap)
{
	const struct ap_error *err;
	char name[32];
	char *declare;
	int own;

	if ((err = settle(s)))
		return err;
	snprintf(name, sizeof(name), "aiproj_cursor_%u", PG(s)->cursors++);
	if (asprintf(&declare, "DECLARE %s NO SCROLL CURSOR FOR %s", name,
		     sql) < 0)
		return ap_error_nomem();
	/* a cursor lives in a transaction: outside the caller's, one of its
	 * own (a read, as a statement on its own would be) */
	own = !PG(s)->in_tx;
	if (own && (err = simple(s, "BEGIN READ ONLY", q->doing))) {
		free(declare);
		return err;
	}
	err = vrun(s, q->doing, NULL, NULL, declare, q->types, ap);
	free(declare);
	if (!err)
		err = fetch_all(s, q, name);
	if (own)
		PQclear(PQexec(PG(s)->conn, err ? "ROLLBACK" : "COMMIT"));
	return err;
}

/* stream()'s cursor `name`: fetch it all, close it. */
static const struct ap_error *
fetch_all(struct store *s, struct sd_stmt *q, const char *name)
{
	const struct ap_error *err;
	char fetch[64], closesql[48];
	PGresult *r;

	snprintf(fetch, sizeof(fetch), "FETCH FORWARD %d FROM %s", FETCH_ROWS,
		 name);
	snprintf(closesql, sizeof(closesql), "CLOSE %s", name);
	for (;;) {
		int n;
		r = PQexec(PG(s)->conn, fetch);
		if (!pg_res_ok(r)) {
			err = pg_error(s, r, q->doing);
			PQclear(r);
			return err;
		}
		n = PQntuples(r);
		if ((err = each_row(r, q))) {
			PQclear(PQexec(PG(s)->conn, closesql));
			return err;
		}
		if (n < FETCH_ROWS)
			break;
	}
	return simple(s, closesql, q->doing);
}

/* A cursor (store_ops.h): a server cursor read FETCH_ROWS rows a round
 * trip; its rows are those of the batch in hand. */
struct sd_cursor {
	struct pg_row row; /* row.r: the batch, row.i: the row in it */
	const char *doing;
	char name[32];
	int n, last; /* rows in the batch; the batch was the last */
};

static const struct ap_error *
pg_cursor_open(struct store *s, const char *sql, const char *doing,
	       struct sd_cursor **out)
{
	const struct ap_error *err;
	struct sd_cursor *c;
	char *tmp, *declare;
	const char *text = pg_sql(s, sql, &tmp);

	*out = NULL;
	if (!text)
		return ap_error_nomem();
	if (!PG(s)->in_tx) {
		free(tmp);
		return ap_error_fmt(AP_EXIT_STORE,
				    "internal error: a cursor outside a"
				    " transaction: %s",
				    sql);
	}
	if (!(c = calloc(1, sizeof(*c)))) {
		free(tmp);
		return ap_error_nomem();
	}
	c->row.base.ops = &pg_row_ops;
	c->row.i = -1;
	c->doing = doing;
	snprintf(c->name, sizeof(c->name), "aiproj_cursor_%u",
		 PG(s)->cursors++);
	if (asprintf(&declare, "DECLARE %s NO SCROLL CURSOR FOR %s", c->name,
		     text) < 0) {
		free(tmp);
		free(c);
		return ap_error_nomem();
	}
	free(tmp);
	err = simple(s, declare, doing);
	free(declare);
	if (err) {
		free(c);
		return err;
	}
	*out = c;
	return NULL;
}

static const struct ap_error *
pg_cursor_next(struct store *s, struct sd_cursor *c, const struct sd_row **row)
{
	const struct ap_error *err;
	char fetch[64];

	*row = NULL;
	if (c->row.r && ++c->row.i < c->n) {
		*row = &c->row.base;
		return NULL;
	}
	if (c->last)
		return NULL;
	PQclear((PGresult *)c->row.r);
	snprintf(fetch, sizeof(fetch), "FETCH FORWARD %d FROM %s", FETCH_ROWS,
		 c->name);
	c->row.r = PQexec(PG(s)->conn, fetch);
	if (!pg_res_ok(c->row.r)) {
		err = pg_error(s, c->row.r, c->doing);
		PQclear((PGresult *)c->row.r);
		c->row.r = NULL;
		c->last = 1;
		return err;
	}
	c->n = PQntuples(c->row.r);
	c->last = c->n < FETCH_ROWS;
	c->row.i = 0;
	if (c->n > 0)
		*row = &c->row.base;
	return NULL;
}

static void
pg_cursor_close(struct store *s, struct sd_cursor *c)
{
	char closesql[48];

	PQclear((PGresult *)c->row.r);
	snprintf(closesql, sizeof(closesql), "CLOSE %s", c->name);
	if (PG(s)->in_tx)
		PQclear(PQexec(PG(s)->conn, closesql));
	free(c);
}

/* Send one statement in pipeline mode (entered when not yet): its result
 * is read by settle().  Prepared, as exec_params() would, on its second
 * run.  *out: its entry in pend, for the caller to complete. */
static const struct ap_error *
send_piped(struct store *s, const char *doing, const char *sql, int n,
	   const Oid *t, const char *const *v, struct pg_pending **out)
{
	struct pg_store *pg = PG(s);
	const struct pg_pipeline *pp = pg_pipeline();
	struct pg_pending *e;
	char name[24];
	int i, ok;

	if (pg->npend + 2 > MAXPEND) {
		const struct ap_error *err = settle(s);
		if (err)
			return err;
	}
	if (pg->cappend < MAXPEND) {
		struct pg_pending *m = realloc(pg->pend, MAXPEND * sizeof(*m));
		if (!m)
			return ap_error_nomem();
		pg->pend = m;
		pg->cappend = MAXPEND;
	}
	if (!pg->piped) {
		if (!pp->enter(pg->conn))
			return pg_error(s, NULL, doing);
		pg->piped = 1;
	}
	for (i = 0; i < pg->nprep && strcmp(pg->prep[i].sql, sql) != 0; i++)
		;
	if (i == pg->nprep && pg->nprep < MAXPREP &&
	    (pg->prep[i].sql = strdup(sql)) != NULL)
		pg->nprep++;
	e = &pg->pend[pg->npend];
	memset(e, 0, sizeof(*e));
	e->doing = doing;
	if (i == pg->nprep) { /* the first run, or no room: unnamed */
		ok = pp->send_params(pg->conn, sql, n, t, v, NULL, NULL, 0);
	} else {
		snprintf(name, sizeof(name), "aiproj_p%d", i);
		if (!pg->prep[i].prepared) {
			if (!pp->send_prepare(pg->conn, name, sql, n, t))
				return pg_error(s, NULL, doing);
			e->prepare = i + 1;
			pg->npend++;
			pg->prep[i].prepared = 1;
			e = &pg->pend[pg->npend];
			memset(e, 0, sizeof(*e));
			e->doing = doing;
		}
		ok = pp->send_prepared(pg->conn, name, n, v, NULL, NULL, 0);
	}
	if (!ok)
		return pg_error(s, NULL, doing);
	pg->npend++;
	*out = e;
	return NULL;
}

/* ---- a batch's rows of one INSERT, sent as one statement ---- */

#define GROUP_ROWS 200 /* rows of one statement at most */
#define NOVAL ((size_t)-1)

static void
group_clear(struct pg_store *pg)
{
	free(pg->grp.sql);
	free(pg->grp.types);
	pg->grp.sql = pg->grp.types = NULL;
	pg->grp.rows = 0;
	pg->grp.vals.len = 0;
}

static void
group_free(struct pg_store *pg)
{
	group_clear(pg);
	sbuf_free(&pg->grp.vals);
	free(pg->grp.off);
	pg->grp.off = NULL;
}

static void
check_free(struct pg_check *c)
{
	if (!c)
		return;
	sbuf_free(&c->vals);
	free(c->off);
	free(c);
}

/* Where the row of `sql`, an "INSERT INTO t (...) VALUES ($1, ..., $k)"
 * with k parameters and none after the row, starts and ends (at its
 * parentheses), and its list of columns; 0 when the statement is not of
 * that form. */
static int
one_row(const char *sql, int k, const char **start, const char **end,
	const char **cols, size_t *ncols)
{
	const char *p = strstr(sql, " VALUES (");
	const char *c = strchr(sql, '(');
	char want[16];

	if (strncmp(sql, "INSERT INTO ", 12) != 0 || !p || k < 1 ||
	    strstr(p + 1, " VALUES (") || !c || c > p || p[-1] != ')' ||
	    memchr(c + 1, '(', (size_t)(p - 1 - (c + 1))))
		return 0;
	*cols = c + 1;
	*ncols = (size_t)(p - 1 - (c + 1));
	*start = p += 8;
	p++;
	for (int i = 1; i <= k; i++) {
		size_t n = (size_t)snprintf(want, sizeof(want), "%s$%d",
					    i > 1 ? ", " : "", i);
		if (strncmp(p, want, n) != 0)
			return 0;
		p += n;
	}
	if (*p != ')' || strchr(p, '$') || strstr(p, "RETURNING"))
		return 0;
	*end = p;
	return 1;
}

static const char *
val_at(const struct sbuf *b, size_t off)
{
	return off == NOVAL ? NULL : b->s + off;
}

/*
 * The group's rows sent as one statement: "VALUES (...), (...), ..."
 * with the one-row statement's head and tail.  Its rows are inserted in
 * their order, each row's triggers seeing the rows before it as a
 * statement of its own would (PostgreSQL: a row-level BEFORE trigger sees
 * the outer command's earlier rows); statement triggers run once.  A
 * statement whose row may insert nothing (none_code: ON CONFLICT DO
 * NOTHING) returns the rows it inserted, the first row missing there is
 * the one told (pend_result()).
 */
static const struct ap_error *
group_flush(struct store *s)
{
	struct pg_store *pg = PG(s);
	struct pg_group *g = &pg->grp;
	const struct ap_error *err = NULL;
	struct sbuf sql = {0};
	struct pg_pending *e = NULL;
	struct pg_check *chk = NULL;
	const char *start, *end, *cols;
	const char **v = NULL;
	Oid *t = NULL;
	size_t ncols;
	int n = g->rows * g->k, w = g->k + 2;
	char *text = g->sql;

	if (!g->rows)
		return NULL;
	/* taken out first: a settle() to make room sends nothing again */
	g->sql = NULL;
	if (!one_row(text, g->k, &start, &end, &cols, &ncols) ||
	    !(v = malloc((size_t)n * sizeof(*v))) ||
	    !(t = malloc((size_t)n * sizeof(*t))) ||
	    sbuf_add(&sql, text, (size_t)(start - text)))
		goto nomem;
	for (int r = 0, i = 0; r < g->rows; r++) {
		if (sbuf_add(&sql, r ? ", (" : "(", r ? 3 : 1))
			goto nomem;
		for (int c = 0; c < g->k; c++, i++) {
			t[i] = g->t[c];
			v[i] = val_at(&g->vals, g->off[r * w + c]);
			if (sbuf_printf(&sql, "%s$%d", c ? ", " : "", i + 1))
				goto nomem;
		}
		if (sbuf_add(&sql, ")", 1))
			goto nomem;
	}
	if (sbuf_add(&sql, end + 1, strlen(end + 1)) ||
	    (g->none_code && g->rows > 1 &&
	     (sbuf_add(&sql, " RETURNING ", 11) ||
	      sbuf_add(&sql, cols, ncols))) ||
	    sbuf_add(&sql, "", 1))
		goto nomem;
	if (g->none_code && g->rows > 1 && !(chk = calloc(1, sizeof(*chk))))
		goto nomem;
	g->rows = 0;
	if ((err = send_piped(s, g->doing, sql.s, n, t, v, &e)))
		goto done;
	e->none_code = g->none_code;
	e->none_fmt = g->none_fmt;
	if (chk) { /* the rows' values go with it */
		chk->rows = n / g->k;
		chk->k = g->k;
		memcpy(chk->t, g->t, sizeof(chk->t));
		chk->vals = g->vals;
		chk->off = g->off;
		memset(&g->vals, 0, sizeof(g->vals));
		g->off = NULL;
		e->check = chk;
		chk = NULL;
	} else if (g->none_code) {
		const char *a = val_at(&g->vals, g->off[g->k]);
		const char *b = val_at(&g->vals, g->off[g->k + 1]);
		if ((a && !(e->none_a = strdup(a))) ||
		    (b && !(e->none_b = strdup(b))))
			err = ap_error_nomem();
	}
	goto done;
nomem:
	err = ap_error_nomem();
done:
	g->rows = 0;
	g->vals.len = 0;
	check_free(chk);
	free(text);
	free(v);
	free(t);
	sbuf_free(&sql);
	return err;
}

/* A group's statement returned fewer rows than it had: the first of its
 * rows not among them (those returned come in the rows' order; a float,
 * which comes back in its shortest form, is not compared). */
static int
check_missing(const struct pg_check *c, const PGresult *r)
{
	int n = PQntuples(r), j = 0, i, w = c->k + 2;

	for (i = 0; i < c->rows; i++) {
		int same = j < n;
		for (int f = 0; same && f < c->k; f++) {
			const char *x = val_at(&c->vals, c->off[i * w + f]);
			if (c->t[f] == FLOAT8OID)
				continue;
			same = x ? !PQgetisnull(r, j, f) &&
				       !strcmp(PQgetvalue(r, j, f), x)
				 : PQgetisnull(r, j, f);
		}
		if (!same)
			return i;
		j++;
	}
	return c->rows - 1;
}

/* Send q alone in pipeline mode, after the rows grouped before it: its
 * result (and what its none_* say when it changes nothing) is read by
 * settle().  *e: its entry in pend. */
static const struct ap_error *
send_alone(struct store *s, struct sd_stmt *q, const char *sql,
	   const struct params *p, struct pg_pending **e)
{
	const struct ap_error *err;

	if ((err = group_flush(s)) ||
	    (err = send_piped(s, q->doing, sql, p->n, p->t, p->v, e)))
		return err;
	(*e)->none_code = q->none_code;
	(*e)->none_fmt = q->none_fmt;
	if (q->none_code &&
	    ((q->none_a && !((*e)->none_a = strdup(q->none_a))) ||
	     (q->none_b && !((*e)->none_b = strdup(q->none_b)))))
		return ap_error_nomem();
	q->deferred = 1;
	return NULL;
}

/* Send q in pipeline mode: its result is read by settle().  A row of an
 * INSERT ... VALUES joins the rows before it of the same statement, sent
 * together when another statement comes, the group is full, or the batch
 * settles. */
static const struct ap_error *
defer(struct store *s, struct sd_stmt *q, const char *sql, va_list ap)
{
	struct pg_store *pg = PG(s);
	struct pg_group *g = &pg->grp;
	const struct ap_error *err;
	struct pg_pending *e;
	struct params p;
	const char *start, *end, *cols;
	size_t ncols;
	int k = (int)strlen(q->types), w = k + 2;

	if (k > MAXP)
		return ap_error_fmt(AP_EXIT_STORE,
				    "internal error: too many parameters: %s",
				    sql);
	params_fill(&p, q->types, ap);
	if (one_row(sql, k, &start, &end, &cols, &ncols)) {
		const char *none[2] = {q->none_a, q->none_b};
		if (g->rows &&
		    (g->rows >= GROUP_ROWS || strcmp(g->sql, sql) != 0 ||
		     strcmp(g->types, q->types) != 0 ||
		     g->none_code != q->none_code ||
		     g->none_fmt != q->none_fmt) &&
		    (err = group_flush(s)))
			return err;
		if (!g->rows) {
			group_clear(pg);
			if (!(g->sql = strdup(sql)) ||
			    !(g->types = strdup(q->types))) {
				group_clear(pg);
				return ap_error_nomem();
			}
			g->doing = q->doing;
			g->none_code = q->none_code;
			g->none_fmt = q->none_fmt;
			g->k = k;
			memcpy(g->t, p.t, (size_t)k * sizeof(*g->t));
		}
		if (!g->off && !(g->off = malloc(GROUP_ROWS * (MAXP + 2) *
						 sizeof(*g->off)))) {
			group_clear(pg);
			return ap_error_nomem();
		}
		for (int c = 0; c < w; c++) {
			const char *x = c < k ? p.v[c] : none[c - k];
			size_t *o = &g->off[g->rows * w + c];
			*o = x ? g->vals.len : NOVAL;
			if (x && sbuf_add(&g->vals, x, strlen(x) + 1)) {
				group_clear(pg);
				return ap_error_nomem();
			}
		}
		g->rows++;
		q->deferred = 1;
		return NULL;
	}
	return send_alone(s, q, sql, &p, &e);
}

/* A row of one id (SD_NEXT_ID's foretold one), for the statement's fn. */
struct id_row {
	struct sd_row base;
	int64_t id;
	char text[24];
};

static const char *
idr_text(const struct sd_row *x, int col)
{
	(void)col;
	return ((const struct id_row *)x)->text;
}

static int64_t
idr_i64(const struct sd_row *x, int col)
{
	(void)col;
	return ((const struct id_row *)x)->id;
}

static double
idr_dbl(const struct sd_row *x, int col)
{
	(void)col;
	return (double)((const struct id_row *)x)->id;
}

static int
idr_null(const struct sd_row *x, int col)
{
	(void)x;
	(void)col;
	return 0;
}

static const struct sd_row_ops id_row_ops = {idr_text, idr_i64, idr_dbl,
					     idr_null};

/* SD_NEXT_ID in a batch, its id foretold: sent, its row checked by
 * settle() (pend_result()). */
static const struct ap_error *
defer_next_id(struct store *s, struct sd_stmt *q, const char *sql, va_list ap)
{
	struct pg_store *pg = PG(s);
	struct id_row row = {{&id_row_ops}, pg->next_id, ""};
	const struct ap_error *err;
	struct pg_pending *e;
	struct params p;

	if (strlen(q->types) > MAXP)
		return ap_error_fmt(AP_EXIT_STORE,
				    "internal error: too many parameters: %s",
				    sql);
	params_fill(&p, q->types, ap);
	if ((err = send_alone(s, q, sql, &p, &e)))
		return err;
	e->expect_id = pg->next_id;
	pg->next_id++;
	snprintf(row.text, sizeof(row.text), "%lld", (long long)row.id);
	return q->fn ? q->fn(q->ctx, &row.base) : NULL;
}

/* SD_NEXT_ID run at once: its id tells the next, once two runs in a
 * row have counted up by one. */
static void
saw_id(struct pg_store *pg, const PGresult *r)
{
	int64_t id;

	if (PQntuples(r) != 1 || PQgetisnull(r, 0, 0)) {
		pg->next_id = pg->seen_id = 0;
		return;
	}
	id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	pg->next_id = pg->seen_id && id == pg->seen_id + 1 ? id + 1 : 0;
	pg->seen_id = id;
}

static const struct ap_error *
pg_run(struct store *s, struct sd_stmt *q, va_list ap)
{
	const struct ap_error *err;
	char *tmp;
	const char *sql = pg_sql(s, q->sql, &tmp);
	PGresult *r;

	q->changes = q->conflict = 0;
	if (!sql)
		return ap_error_nomem();
	if (PG(s)->batch && (q->flags & SD_DEFER) && !q->fn &&
	    !(q->flags & (SD_CONFLICT | SD_STREAM)))
		err = defer(s, q, sql, ap);
	else if (PG(s)->batch && (q->flags & SD_NEXT_ID) && PG(s)->next_id)
		err = defer_next_id(s, q, sql, ap);
	else if (q->flags & SD_STREAM)
		err = stream(s, q, sql, ap);
	else if (!(err = vrun(s, q->doing,
			      q->flags & SD_CONFLICT ? &q->conflict : NULL, &r,
			      sql, q->types, ap)) &&
		 r) {
		q->changes = atoi(PQcmdTuples(r));
		if (q->flags & SD_NEXT_ID)
			saw_id(PG(s), r);
		err = each_row(r, q);
	}
	free(tmp);
	return err;
}

/* ---- opening ---- */

static void
no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg; /* NOTICEs would reach stderr: aiproj prints its own */
}

/* The schema version in aiproj's meta table; *foreign when the table is
 * not aiproj's. */
static const struct ap_error *
meta_version(struct store *s, int64_t *version, int *foreign)
{
	const struct ap_error *err = NULL;
	PGresult *r;
	const char *app, *ver;
	char *end;

	*foreign = 0;
	r = PQexecParams(PG(s)->conn,
			 "SELECT (SELECT value FROM meta WHERE key ="
			 " 'application')::text, (SELECT value FROM meta"
			 " WHERE key = 'schema_version')::text",
			 0, NULL, NULL, NULL, NULL, 0);
	if (!pg_res_ok(r)) {
		/* a table called meta, but not ours (or not readable) */
		if (!strcmp(pg_sqlstate(r), "42501") || !*pg_sqlstate(r) ||
		    !strncmp(pg_sqlstate(r), "08", 2))
			err = pg_error(s, r, "read");
		PQclear(r);
		if (err)
			return err;
		*foreign = 1;
		return NULL;
	}
	app = col_text(r, 0, 0);
	ver = col_text(r, 0, 1);
	if (!app || strcmp(app, "aiproj") != 0) {
		PQclear(r);
		*foreign = 1;
		return NULL;
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
}

/* The database is an aiproj store (its version in *version), empty
 * (*empty), or refused. */
static const struct ap_error *
identify(struct store *s, int64_t *version, int *empty)
{
	const struct ap_error *err;
	PGresult *r;
	int has_schema, has_meta, same_db, not_ours;
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
	if ((err = meta_version(s, version, &not_ours)) || !not_ours)
		return err;
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

/* Bring the schema up to date inside the transaction open now, which
 * holds the writers' lock, so two first runs cannot both create it.
 * *made: it made the store (it was empty). */
static const struct ap_error *
migrate_in(struct store *s, int *made)
{
	const struct ap_error *err;
	int64_t version;
	int empty;
	char v[16];

	*made = 0;
	/* again under the lock: another process may have just done it */
	if ((err = identify(s, &version, &empty)))
		return err;
	if (!empty && version >= pg_nmigrations)
		return NULL;
	for (int64_t i = version; i < pg_nmigrations; i++)
		if ((err = simple(s, pg_migrations[i], "migrate the store")))
			return err;
	/* the names of a store from before people become people
	 * (schemas/pg/010-person.sql), once */
	if (!empty && version < 10 && (err = store_person_fill(s)))
		return err;
	/* the summary rows of the projects listed (schemas/pg/020-summary.sql
	 * lists every project of a store from before it) */
	if (!empty && (err = store_summary_refresh(s)))
		return err;
	if (empty &&
	    (err = exec(s, "initialise the store", NULL, NULL,
			"INSERT INTO meta (key, value) VALUES"
			" ('application', 'aiproj'), ('lifecycle', $1),"
			" ('policy', 'open')",
			"s", lifecycle_default_yaml)))
		return err;
	/* the server's copies of the rules and the lifecycle's roles */
	if ((err = store_policy_sync(s)))
		return err;
	snprintf(v, sizeof(v), "%d", pg_nmigrations);
	if ((err = exec(s, "migrate the store", NULL, NULL,
			"INSERT INTO meta (key, value)"
			" VALUES ('schema_version', $1) ON CONFLICT (key)"
			" DO UPDATE SET value = excluded.value",
			"s", v)))
		return err;
	*made = empty;
	return NULL;
}

/* A new store's schema, in a transaction of its own. */
static const struct ap_error *
migrate(struct store *s)
{
	const struct ap_error *err;
	int made;

	if ((err = begin_tx(s, "READ COMMITTED READ WRITE", "lock the store")))
		return err;
	if ((err = lock_writers(s, "lock the store")) ||
	    (err = migrate_in(s, &made)) ||
	    (err = simple(s, "COMMIT", "migrate the store"))) {
		PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
		return err;
	}
	PG(s)->created = made;
	return NULL;
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
	if ((err = pg_load_libpq()))
		return err;
	if (!(q = calloc(1, sizeof(*q))))
		return ap_error_nomem();
	q->base.ops = &pg_ops;
	q->busy_ms = busy_ms;
	s = &q->base;
	if (!(q->path = pg_redact(conninfo))) {
		free(q);
		return ap_error_nomem();
	}
	if ((err = pg_uri_check(conninfo, q->path))) {
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
		    pg_first_line(PQerrorMessage(q->conn), buf, sizeof(buf));
		err = pg_connect_transient(PQerrorMessage(q->conn))
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
	/* a new store is made now; an older one is upgraded inside each
	 * transaction until a writer's commits (pg_begin()) */
	if (empty && (err = migrate(s)))
		goto fail;
	PG(s)->upgrade = !empty && version < pg_nmigrations;
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
	group_free(PG(s)); /* rows not sent: none will be */
	if (PG(s)->conn) {
		settle(s);
		if (PG(s)->in_tx)
			PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
		PQfinish(PG(s)->conn);
	}
	pg_copy_free(s);
	pend_clear(PG(s));
	free(PG(s)->pend);
	for (int i = 0; i < PG(s)->nprep; i++)
		free(PG(s)->prep[i].sql);
	for (int i = 0; i < PG(s)->nsql; i++)
		free(PG(s)->sql[i].text);
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

/* The authenticated user (session_user, whom the server's policy checks
 * too: a SET ROLE does not change it) acts, unless the admin set meta
 * 'allow_actor' to 'true' (then --actor and $AIPROJ_ACTOR count, as on a
 * file store). */
static const struct ap_error *
pg_actor(struct store *s, char **actor)
{
	const struct ap_error *err;
	PGresult *r;
	const char *allow;

	*actor = NULL;
	if ((err = query(s, "read", &r,
			 "SELECT session_user::text, (SELECT value FROM meta"
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
	const char *doing = write ? "lock the store for writing" : "read";
	int made;

	PG(s)->next_id = PG(s)->seen_id = 0;
	if (!write && !PG(s)->upgrade) {
		if ((err = begin_tx(s, "REPEATABLE READ READ ONLY", "read")))
			return err;
		PG(s)->in_tx = 1;
		return NULL;
	}
	/* a writer's, and a reader's of a store of an older schema: that one
	 * is upgraded first, in this transaction, under the writers' lock,
	 * and a reader's upgrade is rolled back whatever its end (a command
	 * that only reads converts nothing) */
	if ((err = begin_tx(s, "READ COMMITTED READ WRITE", doing)))
		return err;
	PG(s)->in_tx = 1;
	if ((err = lock_writers(s, write ? doing : "lock the store")) ||
	    (PG(s)->upgrade && (err = migrate_in(s, &made)))) {
		pg_rollback(s);
		return err;
	}
	if (PG(s)->upgrade)
		PG(s)->upgrading = write ? 1 : 2;
	return NULL;
}

/* A server's transaction is made durable only by its COMMIT. */
static const struct ap_error *
pg_seal(struct store *s)
{
	(void)s;
	return NULL;
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
	PG(s)->batch = 0;
	PG(s)->next_id = PG(s)->seen_id = 0;
	if ((err = settle(s))) {
		pg_rollback(s);
		return err;
	}
	if (PG(s)->upgrading == 2) { /* a reader's upgrade: not kept */
		pg_rollback(s);
		return NULL;
	}
	r = PQexec(PG(s)->conn, "COMMIT");
	if (!pg_res_ok(r) && PQstatus(PG(s)->conn) == CONNECTION_BAD)
		/* the server may have committed before the connection went:
		 * not a plain "try again" (exit 8) */
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s': the connection was lost while"
				   " committing: the change may or may not"
				   " have been made; look before trying again",
				   shown(PG(s)->path));
	else if (!pg_res_ok(r))
		err = pg_error(s, r, "commit");
	else if (strcmp(PQcmdStatus(r), "COMMIT") != 0)
		/* an earlier statement failed: COMMIT rolled back */
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s': cannot commit: the transaction"
				   " was rolled back",
				   shown(PG(s)->path));
	PQclear(r);
	PG(s)->in_tx = 0;
	if (!err && PG(s)->upgrading) /* the upgrade is the store's now */
		PG(s)->upgrade = 0;
	PG(s)->upgrading = 0;
	return err;
}

static void
pg_rollback(struct store *s)
{
	PG(s)->batch = 0;
	PG(s)->next_id = PG(s)->seen_id = 0;
	group_free(PG(s)); /* rows not sent: none will be */
	settle(s);         /* its error is rolled back with the rest */
	if (PG(s)->in_tx)
		PQclear(PQexec(PG(s)->conn, "ROLLBACK"));
	PG(s)->in_tx = 0;
	PG(s)->upgrading = 0; /* (an upgrade made then went with it) */
}

/* A batch: SD_DEFER statements through the pipeline while it is on, when
 * libpq has one; off, every result is read and the first error told. */
static const struct ap_error *
pg_batch(struct store *s, int on)
{
	PG(s)->batch = on && pg_pipeline() != NULL;
	return on ? NULL : settle(s);
}

/* The batch's statements so far (its last group's rows too) sent now,
 * their results read by the next settle(): the server runs them while
 * the caller goes on.  The pipeline stays open until then. */
static const struct ap_error *
pg_batch_send(struct store *s)
{
	const struct ap_error *err;

	PG(s)->batch = 0;
	if ((err = group_flush(s)))
		return err;
	if (PG(s)->piped && PQflush(PG(s)->conn) != 0)
		return pg_error(s, NULL,
				PG(s)->npend ? PG(s)->pend[0].doing : "write");
	return NULL;
}

/* The server's triggers give every row its feed id (and hash): they stay
 * on, and sd_feed_next() gives none. */
static const struct ap_error *
pg_feed_bulk(struct store *s, int on)
{
	(void)s;
	(void)on;
	return NULL;
}

/* The feed's watch: LISTEN outside any transaction, so it holds from now
 * on; the store's triggers NOTIFY aiproj_events when a writer commits
 * (schemas/pg/009-feed.sql). */
static const struct ap_error *
pg_watch(struct store *s)
{
	return simple(s, "LISTEN aiproj_events", "watch the store");
}

/* Up to `ms` for a notification (a signal ends the wait early); those
 * already read with an earlier result count at once. */
static const struct ap_error *
pg_wait(struct store *s, int ms, int *changed)
{
	PGconn *conn = PG(s)->conn;
	struct pollfd p = {.fd = PQsocket(conn), .events = POLLIN};
	PGnotify *n;

	*changed = 0;
	while ((n = PQnotifies(conn))) {
		*changed = 1;
		PQfreemem(n);
	}
	if (*changed)
		return NULL;
	if (p.fd < 0 || (poll(&p, 1, ms) < 0 && errno != EINTR) ||
	    !PQconsumeInput(conn))
		return pg_error(s, NULL, "wait for events");
	while ((n = PQnotifies(conn))) {
		*changed = 1;
		PQfreemem(n);
	}
	return NULL;
}

static const struct store_ops pg_ops = {
#define B(ret, name, params) .name = pg_##name,
#define X(name, params, args) .name = pg_##name,
    STORE_BASIC_OPS(B) STORE_OPS(X)
#undef X
#undef B
	.run = pg_run,
    .cursor_open = pg_cursor_open,
    .cursor_next = pg_cursor_next,
    .cursor_close = pg_cursor_close,
    .dialect = SD_PG,
    .copy = &pg_copy_ops,
    .batch_send = pg_batch_send,
};
