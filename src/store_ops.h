/*
 * store_ops.h - how the store's backends sit behind store.h (private).
 *
 * A backend (store_sqlite.c, store_pg.c) keeps only what differs between
 * servers: opening and closing a connection, transactions, migrations, the
 * mapping of its errors to aiproj's, and a driver that runs one statement.
 * It embeds `struct store` first and fills a `struct store_ops`.
 *
 * Every other operation is written once, in SQL both backends run, against
 * the driver (store_sql.c, store_report.c).  Adding one: its declaration
 * in include/aiproj/store.h, its function in one of those files, and its
 * unit test.
 */
#ifndef AIPROJ_STORE_OPS_H
#define AIPROJ_STORE_OPS_H

#include <stdarg.h>

#include "aiproj/chain.h"
#include "aiproj/store.h"

/* ---- the driver: one statement with typed parameters ---- */

/* A result row, read through its backend's functions; valid during the
 * row callback only. */
struct sd_row {
	const struct sd_row_ops *ops;
};

struct sd_row_ops {
	const char *(*text)(const struct sd_row *r, int col); /* NULL: null */
	int64_t (*i64)(const struct sd_row *r, int col);
	double (*dbl)(const struct sd_row *r, int col);
	int (*null)(const struct sd_row *r, int col);
};

typedef const struct ap_error *(*sd_row_fn)(void *ctx, const struct sd_row *r);

enum sd_flags {
	/* a constraint violation sets ->conflict instead of failing; the
	 * transaction stays usable */
	SD_CONFLICT = 1 << 0,
	/* a result of the whole portfolio's size: a server streams it in
	 * batches, so memory does not grow with the portfolio and the
	 * callback may run other statements meanwhile */
	SD_STREAM = 1 << 1,
};

/*
 * One statement.  `sql` is a string literal (drivers cache statements by
 * its address) written with numbered parameters ?1, ?2, ... only (the
 * PostgreSQL driver makes them $1, $2).  `types` has a letter a parameter,
 * read from the arguments that follow: s text (NULL: null), i int64_t,
 * d double, n a double bound as null.
 */
struct sd_stmt {
	const char *sql, *types;
	const char *doing; /* for messages: "cannot <doing>" */
	unsigned flags;
	sd_row_fn fn; /* each row (NULL: rows are not read) */
	void *ctx;
	int changes;  /* out: rows inserted, updated or deleted */
	int conflict; /* out, with SD_CONFLICT */
};

/* The SQL dialects: where the backends really differ (store_sql.c). */
enum sd_dialect {
	SD_SQLITE,
	SD_PG,
};

/* clang-format off */
/* What every backend answers without failing. */
#define STORE_BASIC_OPS(B) \
	B(void, close, (struct store *s)) \
	B(const char *, path, (const struct store *s)) \
	B(int, created, (const struct store *s)) \
	B(void, rollback, (struct store *s))

/* The backend's operations that can fail: X(name, (parameters),
 * (arguments)); each returns const struct ap_error *, and store.c forwards
 * it as store_NAME(). */
#define STORE_OPS(X) \
	X(actor, (struct store *s, char **actor), (s, actor)) \
	X(begin, (struct store *s, int write), (s, write)) \
	X(commit, (struct store *s), (s))
/* clang-format on */

struct store_ops {
#define B(ret, name, params) ret(*name) params;
#define X(name, params, args) const struct ap_error *(*name)params;
	STORE_BASIC_OPS(B)
	STORE_OPS(X)
#undef X
#undef B
	/* Run one statement: its parameters follow in `ap`. */
	const struct ap_error *(*run)(struct store *s, struct sd_stmt *st,
				      va_list ap);
	enum sd_dialect dialect;
};

struct store {
	const struct store_ops *ops;
};

/* The SQLite backend (store_sqlite.c): a file path (NULL: in memory). */
const struct ap_error *sqlite_store_open(const char *path, int busy_ms,
					 unsigned flags, struct store **out);

/* The PostgreSQL backend (store_pg.c): a libpq connection URI,
 * postgresql://... or postgres://... */
const struct ap_error *pg_store_open(const char *conninfo, int busy_ms,
				     unsigned flags, struct store **out);

/* The "no store here" error of store_open() (see store_missing()):
 * `shown_path` as messages name the store. */
const struct ap_error *store_no_store(const char *shown_path);

/* ---- for the operations (store_sql.c, store_report.c) ---- */

/* Run `st` with its parameters. */
const struct ap_error *sd_run(struct store *s, struct sd_stmt *st, ...);

static inline const char *
sd_text(const struct sd_row *r, int col)
{
	return r->ops->text(r, col);
}

static inline int64_t
sd_i64(const struct sd_row *r, int col)
{
	return r->ops->i64(r, col);
}

static inline int
sd_int(const struct sd_row *r, int col)
{
	return (int)r->ops->i64(r, col);
}

static inline double
sd_dbl(const struct sd_row *r, int col)
{
	return r->ops->dbl(r, col);
}

static inline int
sd_null(const struct sd_row *r, int col)
{
	return r->ops->null(r, col);
}

/* A list's callback and its argument, for the row functions. */
struct sd_list {
	union {
		store_project_fn project;
		store_transition_fn transition;
		store_criterion_fn criterion;
		store_assignment_fn assignment;
		store_decision_fn decision;
		store_kpi_fn kpi;
		store_component_fn component;
		store_reading_fn reading;
		store_approval_fn approval;
		store_audit_fn audit;
		store_roles_fn roles;
		store_status_fn status;
		store_people_fn people;
	} fn;
	void *arg;
	int64_t project;
};

/* The previous and own hash of a new row of chain `k` (the project's;
 * for a reading, of its KPI `kpi`), computed on SQLite; on PostgreSQL both
 * are left empty: the server's trigger computes them (store_chain.c). */
const struct ap_error *store_chain_seal(struct store *s, enum chain_kind k,
					int64_t project, const char *kpi,
					const char *const *fields, size_t n,
					char prev[CHAIN_HEX],
					char hash[CHAIN_HEX]);
#define CHAIN_OR_NULL(h) ((h)[0] ? (h) : NULL)

/* Read the first row's first column as an integer into *(int64_t *)ctx. */
const struct ap_error *sd_first_i64(void *ctx, const struct sd_row *r);

#endif
