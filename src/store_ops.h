/*
 * store_ops.h - how the store's backends sit behind store.h (private).
 *
 * A backend (store_sqlite.c, store_pg.c) keeps only what differs between
 * servers: opening and closing a connection, transactions, migrations, the
 * mapping of its errors to aiproj's, and a driver that runs one statement.
 * It embeds `struct store` first and fills a `struct store_ops`.
 *
 * Every other operation is written once, in SQL both backends run, against
 * the driver (store_sql.c, store_records.c, store_report.c).  Adding one:
 * its declaration in include/aiproj/store.h, its function in one of those
 * files, and its unit test.
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
	/* the caller reads neither rows nor ->changes (a row changed or not
	 * is told by `none`): in a batch (store_batch()) a server may send
	 * the statement at once and learn its outcome later, at the next
	 * statement that reads or at the batch's end */
	SD_DEFER = 1 << 2,
	/* an INSERT ... RETURNING id of one row into a table whose ids
	 * count up by one (project): in a batch a server may send it at
	 * once, give `fn` the id that follows the one its last run
	 * returned, and check at the batch's end that the row got it (and
	 * that it inserted one: `none`).  Run at once, sd_run() leaves
	 * `none` to the caller, which reads the row. */
	SD_NEXT_ID = 1 << 3,
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
	/* when set: the error of a run that changed no row (sd_run() makes
	 * it), none_fmt taking none_a and none_b as its up to two %s */
	int none_code;
	const char *none_fmt, *none_a, *none_b;
	int changes;  /* out: rows inserted, updated or deleted */
	int conflict; /* out, with SD_CONFLICT */
	int deferred; /* out: sent, its outcome learnt later (SD_DEFER) */
};

/*
 * A cursor: a statement whose rows the caller pulls one at a time, with
 * other cursors open beside it (a merge of several ordered statements,
 * store_export.c).  SQLite steps the statement; PostgreSQL reads it
 * through a server cursor, FETCH_ROWS rows a round trip, so memory does
 * not grow with the result.  Inside a transaction (store_begin()): on
 * PostgreSQL a cursor lives in one.
 */
struct sd_cursor;

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
	X(commit, (struct store *s), (s)) \
	X(seal, (struct store *s), (s)) \
	X(batch, (struct store *s, int on), (s, on)) \
	X(feed_bulk, (struct store *s, int on), (s, on)) \
	X(watch, (struct store *s), (s)) \
	X(wait, (struct store *s, int ms, int *changed), (s, ms, changed))
/* clang-format on */

/* ---- a copy's bulk reads and writes (store_copy.c) ---- */

/* A value as text (integers in decimal, doubles in %.17g); p NULL: null. */
struct copy_val {
	const char *p;
	size_t n;
};

typedef const struct ap_error *(*copy_row_fn)(void *ctx,
					      const struct copy_val *v);

/* What a backend does for store_copy(); the SQL it is given is built from
 * store_copy.c's table of tables, never from input. */
struct store_copy_ops {
	/* Every row of query `sql`, its columns typed by `types` (a letter a
	 * column: i integer, d double, s text), streamed. */
	const struct ap_error *(*dump)(struct store *s, const char *sql,
				       const char *types, copy_row_fn fn,
				       void *ctx);
	/* Write rows into `table` (its columns `cols`, "a, b, c"): start,
	 * a row at a time, end (ok 0: the copy failed, give up the rest).
	 * A table with an identity column `id` hands out ids after the
	 * copied ones from then on. */
	const struct ap_error *(*load_start)(struct store *s, const char *table,
					     const char *cols,
					     const char *types);
	const struct ap_error *(*load_row)(struct store *s,
					   const struct copy_val *v);
	const struct ap_error *(*load_end)(struct store *s, int ok);
	/* The store's triggers off (on 0) for the rest of the transaction,
	 * so rows are written as they are (ids, hashes, feed ids), then on
	 * again (on 1); `tables`: the copied ones, NULL-terminated. */
	const struct ap_error *(*triggers)(struct store *s, int on,
					   const char *const *tables);
	/* A name of the data the store holds, the same however the store
	 * was reached (a path through a link, another URI). */
	const struct ap_error *(*identity)(struct store *s, char **id);
};

/* The backends' (store_sqlite.c, store_pg_copy.c). */
extern const struct store_copy_ops sqlite_copy_ops, pg_copy_ops;

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
	/* A statement without parameters read a row at a time, beside
	 * others (see struct sd_cursor). */
	const struct ap_error *(*cursor_open)(struct store *s, const char *sql,
					      const char *doing,
					      struct sd_cursor **out);
	const struct ap_error *(*cursor_next)(struct store *s,
					      struct sd_cursor *c,
					      const struct sd_row **row);
	void (*cursor_close)(struct store *s, struct sd_cursor *c);
	enum sd_dialect dialect;
	const struct store_copy_ops *copy;
	/* store_batch_send(), where a backend has more than
	 * store_batch(s, 0) to offer (NULL: that) */
	const struct ap_error *(*batch_send)(struct store *s);
};

struct store {
	const struct store_ops *ops;
	int writing; /* in a write transaction (store_begin(s, 1)) */
	/* store_feed_bulk(): on, the last feed id given (sd_feed_next());
	 * on, an SQLite store's triggers are off: the writes do their work */
	int feed_bulk;
	int64_t feed_last;
	/* store_chain_fresh(): the project whose chains this process writes
	 * from their start, and the last hash of each written so far */
	int64_t chain_project;
	struct chain_last *chain_last;
	size_t nchain_last;
};

/* NULL if a new SQLite store can be made at path (dirs: the caller makes
 * the path's missing directories): store_create_check(). */
const struct ap_error *sqlite_store_create_check(const char *path, int dirs);
/* The SQLite backend (store_sqlite.c): a file path (NULL: a private
 * scratch store, store_open_scratch()). */
const struct ap_error *sqlite_store_open(const char *path, int busy_ms,
					 unsigned flags, struct store **out);

/* The PostgreSQL backend (store_pg.c): a libpq connection URI,
 * postgresql://... or postgres://... */
const struct ap_error *pg_store_open(const char *conninfo, int busy_ms,
				     unsigned flags, struct store **out);

/* The "no store here" error of store_open() (see store_missing()):
 * `shown_path` as messages name the store. */
const struct ap_error *store_no_store(const char *shown_path);
/* store_seal()'s "another process made the store meanwhile": nothing was
 * kept (store_overtaken() is true of it).  The same words, without the
 * mark, when the link after the output finds it. */
#define STORE_OVERTAKEN_MSG                                                    \
	"store '%s' was created by another process while this one wrote a"     \
	" new one: nothing was written to it (run the command again)"
const struct ap_error *store_overtaken_error(const char *shown_path);

/* ---- for the operations (store_sql.c, store_records.c, store_report.c) */

/* Run `st` with its parameters. */
const struct ap_error *sd_run(struct store *s, struct sd_stmt *st, ...);

/* The feed id a new row gives itself (store_feed_bulk() on), taken; 0
 * while the store's triggers give them: write the row without one.  An id
 * taken for a row that then fails to be written is not given back: the
 * failure fails the import, and its transaction rolls back. */
static inline int64_t
sd_feed_next(struct store *s)
{
	return s->feed_bulk ? ++s->feed_last : 0;
}

/* Open a cursor over `sql` (a string literal; no parameters).  *row of
 * sd_cursor_next() is the next row, valid until the next call, or NULL
 * after the last.  sd_cursor_close() takes NULL. */
const struct ap_error *sd_cursor_open(struct store *s, const char *sql,
				      const char *doing, struct sd_cursor **c);
const struct ap_error *sd_cursor_next(struct store *s, struct sd_cursor *c,
				      const struct sd_row **row);
void sd_cursor_close(struct store *s, struct sd_cursor *c);

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
		store_event_fn event;
		store_log_fn log;
		store_release_fn release;
		store_kpi_change_fn kpi_change;
		store_monitor_fn monitor;
	} fn;
	void *arg;
	int64_t project;
};

/* A project's columns, and its row of them into *p (its strings
 * malloc'd; store_project_clear()); NULL, or out of memory with *p
 * cleared. */
#define PROJECT_COLS                                                           \
	"id, name, description, status, status_reason, outcome, stage,"        \
	" epoch, entered_at, created_at, status_at"
const struct ap_error *project_from_row(const struct sd_row *r,
					struct store_project *p);

/* The rows of a project's lists as their callbacks take them (ctx: a
 * struct sd_list; the columns of the list's own SELECT first), shared by
 * the per-project functions and the export's merge (store_export.c). */
const struct ap_error *decision_row(void *ctx, const struct sd_row *r);
const struct ap_error *every_kpi_row(void *ctx, const struct sd_row *r);
const struct ap_error *reading_row(void *ctx, const struct sd_row *r);
const struct ap_error *change_row(void *ctx, const struct sd_row *r);
const struct ap_error *assignment_row(void *ctx, const struct sd_row *r);
const struct ap_error *component_row(void *ctx, const struct sd_row *r);
const struct ap_error *criterion_row(void *ctx, const struct sd_row *r);
const struct ap_error *approval_row(void *ctx, const struct sd_row *r);
const struct ap_error *transition_row(void *ctx, const struct sd_row *r);
const struct ap_error *event_row(void *ctx, const struct sd_row *r);
const struct ap_error *release_row(void *ctx, const struct sd_row *r);

/*
 * A filter (struct store_filter) in SQL: the statements that take one
 * start with the CTE SD_SEL(D), D the dialect's spelling (SD_SQLITE_SPELL,
 * SD_PG_SPELL), and bind SD_FILTER_TYPES / SD_FILTER_ARGS(x) first, as
 * ?1 .. ?10.  `sel` holds the chosen projects' ids (pid) and their place
 * in the filter's order (k), the limit applied.
 */
struct sd_filter {
	/* ",active,on-hold,", and "overdue," after them for --overdue */
	char status[48];
	char *stages;       /* ",a,b," or NULL */
	char *person;       /* its person_key() or NULL */
	const char *role;   /* or NULL */
	const char *stale;  /* or NULL */
	const char *now;    /* never NULL */
	char *order;        /* ",s1,s2,...," */
	int64_t key1, key2; /* ±enum store_sort */
	int64_t limit;      /* INT64_MAX: none */
};
/* SQL: a KPI x's op or target ("op", "target") when it was added: the
 * was_ of its first change, else its own (the log's and feed's creation
 * rows). */
#define KPI_FIRST(col)                                                         \
	"coalesce((SELECT c.was_" col " FROM kpi_change c"                     \
	" WHERE c.project_id = x.project_id AND c.kpi = x.name"                \
	" ORDER BY c.id LIMIT 1), x." col ")"

#define SD_FILTER_TYPES "sssssssiii"
#define SD_FILTER_ARGS(x)                                                      \
	(x).status, (x).stages, (x).person, (x).role, (x).stale, (x).now,      \
	    (x).order, (x).key1, (x).key2, (x).limit
/* Fill *x from f (NULL: every project, by name); free with sd_filter_free. */
const struct ap_error *sd_filter_make(const struct store_filter *f,
				      struct sd_filter *x);
void sd_filter_free(struct sd_filter *x);
/* Run st (types SD_FILTER_TYPES) with filter f bound as ?1 .. ?10.
 * by_plain, when given, is st's SQL (three of them) for a filter that is
 * not plain [0] and for one that is [1] (sd_filter_plain()), and [2], when
 * not NULL, for the projects stuck longest (sd_filter_stuck()). */
const struct ap_error *sd_run_filter(struct store *s, struct sd_stmt *st,
				     const struct store_filter *f,
				     const char *const *by_plain);

/* clang-format off */
/* The dialects' spellings: position of a substring (0: none), the
 * greatest of a list, seconds of a stamp. */
#define SD_SQLITE_INSTR(h, n) "instr(" h ", " n ")"
#define SD_PG_INSTR(h, n) "strpos(" h ", " n ")"
#define SD_SQLITE_MAX "max"
#define SD_PG_MAX "greatest"
#define SD_SQLITE_SECS(x) "(julianday(" x ") * 86400.0)"
#define SD_PG_SECS(x) "extract(epoch from (" x ")::timestamptz)"

/* A person column holds the person whose key (person_key()) is ?3. */
#define SD_PERSON_IS(col) \
	col " IN (SELECT name FROM person WHERE key = ?3)"

/* An approval's giver (the row of alias A) still holds the role it was
 * given in (under the name they have now: person_name finds them after a
 * rename or a merge). */
#define SD_APPROVER_HOLDS(A) \
	" (" A ".role = '' OR EXISTS (SELECT 1 FROM assignment h WHERE" \
	" h.project_id = " A ".project_id AND h.role = " A ".role AND" \
	" (h.person = " A ".person OR h.person IN (SELECT pe.name FROM" \
	" person_name pn JOIN person pe ON pe.id = pn.person_id" \
	" WHERE pn.name = " A ".person))))"

#define SD_ACTIVITY(MAX) \
	MAX "(p.entered_at, p.status_at, p.created_at," \
	" coalesce((SELECT max(at) FROM transition x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(at) FROM decision x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(at) FROM approval x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(created_at) FROM kpi x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(at) FROM kpi_reading x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(done_at) FROM criterion x" \
	"  WHERE x.project_id = p.id), '')," \
	" coalesce((SELECT max(assigned_at) FROM assignment x" \
	"  WHERE x.project_id = p.id), ''))"

#define SD_DAYS(SECS) \
	"(" SECS("CASE WHEN p.status = 'closed' AND p.status_at <> ''" \
		 " THEN p.status_at ELSE ?6 END") " - " SECS("p.entered_at") ")"

/* The current stage's due date (the latest 'due' event), or NULL. */
#define SD_DUE \
	"(SELECT e.detail FROM event e WHERE e.project_id = p.id" \
	" AND e.kind = 'due' AND e.subject = p.stage ORDER BY e.id DESC" \
	" LIMIT 1)"

#define SD_WHERE(INSTR, MAX) \
	" " INSTR("?1", "',' || p.status || ','") " > 0" \
	" AND (" INSTR("?1", "',overdue,'") " = 0 OR (p.status <> 'closed'" \
	"  AND " SD_DUE " < substr(?6, 1, 10)))" \
	" AND (?2 IS NULL OR " INSTR("?2", "',' || p.stage || ','") " > 0)" \
	" AND (?3 IS NULL OR EXISTS (SELECT 1 FROM assignment fa" \
	"  WHERE fa.project_id = p.id AND " SD_PERSON_IS("fa.person") "))" \
	" AND (?4 IS NULL OR EXISTS (SELECT 1 FROM assignment fr" \
	"  WHERE fr.project_id = p.id AND fr.role = ?4))" \
	" AND (?5 IS NULL OR " SD_ACTIVITY(MAX) " < ?5)"

#define SD_STATUS_RANK \
	"(CASE p.status WHEN 'active' THEN 0 WHEN 'on-hold' THEN 1 ELSE 2 END)"
#define SD_BACK_JUMPS \
	"(SELECT count(*) FROM transition t WHERE t.project_id = p.id" \
	" AND t.kind = 'back')"

/* One sort key: parameter K holds ±enum store_sort.  SQLite compares
 * values of any type, so a key is two terms (ascending, descending);
 * PostgreSQL needs one type a term: four terms, text and numbers. */
#define SD_KEY_NUMBER(K, INSTR, SECS) \
	"CASE " K \
	" WHEN 2 THEN " INSTR("?7", "',' || p.stage || ','") \
	" WHEN 3 THEN " SD_STATUS_RANK \
	" WHEN 4 THEN " SD_DAYS(SECS) \
	" WHEN 5 THEN " SD_BACK_JUMPS " END"
#define SD_KEY_SQLITE_VALUE(K) \
	"CASE " K " WHEN 1 THEN p.name" \
	" WHEN 6 THEN " SD_ACTIVITY(SD_SQLITE_MAX) \
	" WHEN 7 THEN coalesce(" SD_DUE ", '')" \
	" ELSE " SD_KEY_NUMBER(K, SD_SQLITE_INSTR, SD_SQLITE_SECS) " END"
/* (a project without a due date comes last, whichever the direction) */
#define SD_KEY_DUE_LAST(K) \
	" CASE WHEN abs(" K ") = 7 AND " SD_DUE " IS NULL THEN 1 ELSE 0 END,"
#define SD_KEY_SQLITE(K) SD_KEY_DUE_LAST(K) \
	" CASE WHEN " K " > 0 THEN " SD_KEY_SQLITE_VALUE(K) " END," \
	" CASE WHEN " K " < 0 THEN " SD_KEY_SQLITE_VALUE("-" K) \
	" END DESC,"
#define SD_KEY_PG(K) SD_KEY_DUE_LAST(K) \
	" CASE " K " WHEN 1 THEN p.name" \
	" WHEN 6 THEN " SD_ACTIVITY(SD_PG_MAX) \
	" WHEN 7 THEN coalesce(" SD_DUE ", '') END," \
	" CASE -" K " WHEN 1 THEN p.name" \
	" WHEN 6 THEN " SD_ACTIVITY(SD_PG_MAX) \
	" WHEN 7 THEN coalesce(" SD_DUE ", '') END DESC," \
	" CASE WHEN " K " > 0 THEN " \
	SD_KEY_NUMBER(K, SD_PG_INSTR, SD_PG_SECS) " END," \
	" CASE WHEN " K " < 0 THEN " \
	SD_KEY_NUMBER("-" K, SD_PG_INSTR, SD_PG_SECS) " END DESC,"

/* The chosen projects; COND: more conditions on p ("" for none).  With a
 * limit, the projects are chosen first by ORDER BY ... LIMIT (a top-N
 * sort, which keeps only the limit's rows) and only they are numbered:
 * numbering every project (the window's sort of the whole table) is what
 * makes `--sort -days --limit 10` slow over 100k projects. */
#define SD_SEL(KEY, INSTR, MAX, COND) \
	"sel AS (SELECT p.id AS pid, row_number() OVER (ORDER BY" \
	KEY("?8") KEY("?9") " p.name) AS k FROM project p WHERE" \
	SD_WHERE(INSTR, MAX) COND \
	" AND (?10 >= 9223372036854775807 OR p.id IN (SELECT p.id FROM" \
	" project p WHERE" SD_WHERE(INSTR, MAX) COND " ORDER BY" \
	KEY("?8") KEY("?9") " p.name LIMIT ?10)) ORDER BY k LIMIT ?10)"
#define SD_SEL_SQLITE(COND) \
	SD_SEL(SD_KEY_SQLITE, SD_SQLITE_INSTR, SD_SQLITE_MAX, COND)
#define SD_SEL_PG(COND) SD_SEL(SD_KEY_PG, SD_PG_INSTR, SD_PG_MAX, COND)
/* The same for `--sort -days` alone with a limit over projects that are
 * not closed (sd_filter_stuck()): their days run from entered_at to now,
 * so the most days are the earliest entered_at, and the top N come from
 * walking index project_entered (schemas/016-project-entered.sql) until N
 * pass the filter, not from a sort of every project. */
#define SD_SEL_STUCK(INSTR, MAX) \
	"sel AS (SELECT p.id AS pid, row_number() OVER (ORDER BY" \
	" p.entered_at, p.name) AS k FROM project p WHERE p.id IN (SELECT" \
	" p.id FROM project p WHERE" SD_WHERE(INSTR, MAX) \
	" AND ((?7 || ?8 || ?9) IS NULL OR 1 = 1)" \
	" ORDER BY p.entered_at, p.name LIMIT ?10))"
#define sd_filter_stuck(x) \
	((x)->key1 == -4 && (x)->key2 == 0 && (x)->limit != INT64_MAX && \
	 !strstr((x)->status, ",closed,"))
/* The filter's conditions alone, for a statement that orders by name and
 * takes every project that passes (sd_filter_plain()). */
#define SD_WHERE_SQLITE SD_WHERE(SD_SQLITE_INSTR, SD_SQLITE_MAX) SD_UNUSED
#define SD_WHERE_PG SD_WHERE(SD_PG_INSTR, SD_PG_MAX) SD_UNUSED
/* (names the order's parameters, which such a statement does not use) */
#define SD_UNUSED " AND ((?6 || ?7 || ?8 || ?9 || ?10) IS NULL OR 1 = 1)"
/* clang-format on */
/* No sort keys and no limit: the projects by name. */
#define sd_filter_plain(x) ((x)->key1 == 0 && (x)->limit == INT64_MAX)
/* The previous and own hash of a new row of chain `k` (the project's;
 * for a reading, of its KPI `kpi`), computed on SQLite; on PostgreSQL both
 * are left empty: the server's trigger computes them (store_chain.c). */
const struct ap_error *store_chain_seal(struct store *s, enum chain_kind k,
					int64_t project, const char *kpi,
					const char *const *fields, size_t n,
					char prev[CHAIN_HEX],
					char hash[CHAIN_HEX]);
#define CHAIN_OR_NULL(h) ((h)[0] ? (h) : NULL)
/* Hash release `version` again after its end was recorded (SQLite; on
 * PostgreSQL the server's trigger does it). */
const struct ap_error *store_chain_reseal_release(struct store *s,
						  int64_t project,
						  const char *version);

/* Make the summary rows of the projects listed in summary_dirty again
 * and empty the list (schemas/020-summary.sql): at the end of every write
 * transaction (store_commit()), and after a migration or a copy. */
const struct ap_error *store_summary_refresh(struct store *s);

/* Read the first row's first column as an integer into *(int64_t *)ctx. */
const struct ap_error *sd_first_i64(void *ctx, const struct sd_row *r);

#endif
