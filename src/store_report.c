/*
 * store_report.c - the reports, written once for every backend (see
 * store_ops.h and store_sql.c): roles, status and people, the only
 * statements whose SQL differs between the dialects, and the filters they
 * share; the records they read are in store_records.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

/* ---- reports ---- */

/*
 * The roles report: a row a project, its assignments and its components
 * folded into two lists, records joined with char(30) and fields with
 * char(31) (control characters never appear in names or descriptions).
 * SQLite computes the rows in rowid order (every lookup an index-only
 * read) and then sorts them by name; PostgreSQL walks them in name order.
 */
#define ROLES_COND " AND (?11 IS NULL OR p.name = ?11)"

/* The chosen projects of a plain filter (sd_filter_plain()): every
 * project that passes, k its name, with no window over all of them (the
 * sort of SD_SEL's row_number() is most of a whole-portfolio report). */
#define SEL_PLAIN(WHERE, COND)                                                 \
	"sel AS (SELECT p.id AS pid, p.name AS k FROM project p WHERE" WHERE   \
	    COND ")"

/* clang-format off */
#define ROLES_SQLITE(SEL) \
	"WITH " SEL ", r AS MATERIALIZED (SELECT p.name AS name, p.status," \
	" p.stage, (SELECT group_concat(role || char(31) || person ||" \
	"  char(31) || coalesce(title, ''), char(30))" \
	"  FROM (SELECT role, person, title FROM assignment" \
	"  WHERE project_id = p.id ORDER BY role, person))," \
	" (SELECT group_concat(owner || char(31) || name || char(31) ||" \
	"  description, char(30)) FROM (SELECT owner, name, description" \
	"  FROM component WHERE project_id = p.id ORDER BY owner, name))," \
	" sel.k AS k FROM sel JOIN project p ON p.id = sel.pid" \
	" ORDER BY p.id) SELECT * FROM r ORDER BY k"
#define ROLES_PG(SEL) \
	"WITH " SEL " SELECT p.name, p.status, p.stage," \
	" (SELECT string_agg(role || chr(31) || person || chr(31) ||" \
	"  coalesce(title, ''), chr(30) ORDER BY role, person)" \
	"  FROM assignment WHERE project_id = p.id)," \
	" (SELECT string_agg(owner || chr(31) || name || chr(31) ||" \
	"  description, chr(30) ORDER BY owner, name) FROM component" \
	"  WHERE project_id = p.id) FROM sel JOIN project p ON" \
	" p.id = sel.pid ORDER BY sel.k"

/* [dialect][plain] (sd_run_filter()) */
static const char *const roles_sql[][3] = {
    [SD_SQLITE] = {ROLES_SQLITE(SD_SEL_SQLITE(ROLES_COND)),
		   ROLES_SQLITE(SEL_PLAIN(SD_WHERE_SQLITE, ROLES_COND)), NULL},
    [SD_PG] = {ROLES_PG(SD_SEL_PG(ROLES_COND)),
	       ROLES_PG(SEL_PLAIN(SD_WHERE_PG, ROLES_COND)), NULL},
};
/* clang-format on */

/* Call fn for each record of a folded list (changed in place). */
static const struct ap_error *
split_rows(char *list, struct store_roles_row *r, store_roles_fn fn, void *arg,
	   int component)
{
	const struct ap_error *err;

	for (char *rec = list; rec && *rec;) {
		char *next = strchr(rec, '\x1e'), *f2, *f3 = NULL;
		if (next)
			*next++ = '\0';
		if (!(f2 = strchr(rec, '\x1f')))
			return NULL; /* not ours: stop quietly */
		*f2++ = '\0';
		/* a component's description, an assignment's title */
		if ((f3 = strchr(f2, '\x1f')))
			*f3++ = '\0';
		r->kind = component ? "c" : "a";
		r->role = rec;
		r->name = f2;
		r->description = component ? (f3 ? f3 : "") : NULL;
		r->title = !component && f3 && *f3 ? f3 : NULL;
		if ((err = fn(arg, r)))
			return err;
		rec = next;
	}
	return NULL;
}

static const struct ap_error *
roles_row(void *ctx, const struct sd_row *row)
{
	struct sd_list *x = ctx;
	const struct ap_error *err = NULL;
	struct store_roles_row r = {
	    .project = sd_text(row, 0),
	    .status = proj_status_parse(sd_text(row, 1)),
	    .stage = sd_text(row, 2),
	};
	const char *a = sd_text(row, 3), *c = sd_text(row, 4);
	char *as = a ? strdup(a) : NULL, *cs = c ? strdup(c) : NULL;

	if ((a && !as) || (c && !cs))
		err = ap_error_nomem();
	if (!err)
		err = x->fn.roles(x->arg, &r); /* the project begins */
	if (!err)
		err = split_rows(as, &r, x->fn.roles, x->arg, 0);
	if (!err)
		err = split_rows(cs, &r, x->fn.roles, x->arg, 1);
	free(as);
	free(cs);
	return err;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * On a file store, the whole portfolio by status alone: the assignments'
 * summary rows (schemas/022-people-summary.sql) walked in the order of
 * their key (person, project name, role: the report's), no sort of every
 * assignment, no lookup of a project for each.  When projects are listed
 * in summary_dirty (written by another program since: aiproj's own
 * writes make their rows again as they commit), the rows of the others
 * are walked so and the listed ones' read from the view people_live,
 * merged in.  (A status is found in ?1 as itself: in this path ?1 lists
 * statuses alone, and none of them is part of another.)
 */
#define PEOPLE_COLS " person, name, status, stage, role, holders, NULL, title"
#define SUMMARY_STATUS " instr(?1, p.status) > 0"
#define PEOPLE_UNUSED                                                          \
	" AND ((?2 || ?3 || ?4 || ?5 || ?6 || ?7 || ?8 || ?9 || ?10) IS NULL"  \
	" OR 1 = 1)"
#define PEOPLE_CLEAN                                                           \
	"SELECT" PEOPLE_COLS                                                   \
	" FROM people_summary p WHERE" SUMMARY_STATUS PEOPLE_UNUSED            \
	" ORDER BY 1, 2, 5"
#define PEOPLE_DIRTY                                                           \
	"SELECT" PEOPLE_COLS " FROM people_summary p WHERE" SUMMARY_STATUS     \
	" AND p.project_id NOT IN (SELECT project_id FROM summary_dirty)"      \
	" UNION ALL SELECT" PEOPLE_COLS " FROM people_live p WHERE"            \
	" p.project_id IN (SELECT project_id FROM summary_dirty) "             \
	"AND" SUMMARY_STATUS PEOPLE_UNUSED " ORDER BY 1, 2, 5"

/* The filter chooses by status alone, over every project (no overdue,
 * stage, person, role, staleness, sort or limit). */
static int
by_status_alone(const struct sd_filter *q)
{
	return sd_filter_plain(q) && !q->stages && !q->person && !q->role &&
	       !q->stale && !strstr(q->status, ",overdue,");
}

static const struct ap_error *
int_row(void *ctx, const struct sd_row *row)
{
	*(int64_t *)ctx = sd_i64(row, 0);
	return NULL;
}

/* Are projects listed in summary_dirty?  (Read in the report's own
 * transaction: what the report then reads is what was asked.) */
static const struct ap_error *
any_dirty(struct store *s, int64_t *n)
{
	struct sd_stmt st = {
	    .sql = "SELECT EXISTS (SELECT 1 FROM summary_dirty)",
	    .types = "",
	    .doing = "read the report",
	    .fn = int_row,
	    .ctx = n,
	};

	*n = 1;
	return sd_run(s, &st);
}

/* st with filter q bound as ?1 .. ?10, and NULL as ?11 for a statement
 * that takes one more (report roles: a project's name, NULL for all);
 * one that does not never reads it. */
static const struct ap_error *
run_filtered(struct store *s, struct sd_stmt *st, const struct sd_filter *q)
{
	return sd_run(s, st, SD_FILTER_ARGS(*q), (const char *)NULL);
}

/* by_plain's SQL for filter q (sd_run_filter()). */
static const char *
filter_sql(const struct sd_filter *q, const char *const *by_plain)
{
	if (by_plain[2] && sd_filter_stuck(q))
		return by_plain[2];
	return by_plain[sd_filter_plain(q)];
}

/*
 * sd_run_filter() for a report read from summary rows: on a file store,
 * for a filter that takes the whole portfolio (status_alone: by status
 * alone (by_status_alone()); else any plain one), `clean` when no project
 * is listed in summary_dirty (the summary rows alone), else `dirty` (NULL:
 * by_plain's own SQL).
 */
static const struct ap_error *
run_summarised(struct store *s, struct sd_stmt *st,
	       const struct store_filter *f, const char *const *by_plain,
	       int status_alone, const char *clean, const char *dirty)
{
	const struct ap_error *err;
	struct sd_filter q;
	int64_t listed;

	if (s->ops->dialect != SD_SQLITE)
		return sd_run_filter(s, st, f, by_plain);
	if ((err = sd_filter_make(f, &q)))
		return err;
	st->sql = filter_sql(&q, by_plain);
	if (status_alone ? by_status_alone(&q) : sd_filter_plain(&q)) {
		if ((err = any_dirty(s, &listed))) {
			sd_filter_free(&q);
			return err;
		}
		st->sql = !listed ? clean : dirty ? dirty : st->sql;
	}
	err = run_filtered(s, st, &q);
	sd_filter_free(&q);
	return err;
}

/* On a file store, the whole portfolio by status alone: the projects'
 * summary rows, which hold the lists folded (schemas/022-people-summary.sql),
 * walked by name, as report status walks them (below), the projects listed
 * in summary_dirty read from the view summary_live and merged in. */
#define ROLES_COLS " name, status, stage, assignments, components"
#define ROLES_UNUSED                                                           \
	" AND ((?2 || ?3 || ?4 || ?5 || ?6 || ?7 || ?8 || ?9 || ?10 || ?11)"   \
	" IS NULL OR 1 = 1)"
#define ROLES_CLEAN                                                            \
	"SELECT" ROLES_COLS                                                    \
	" FROM project_summary p WHERE" SUMMARY_STATUS ROLES_UNUSED            \
	" ORDER BY 1"
#define ROLES_DIRTY                                                            \
	"SELECT" ROLES_COLS " FROM project_summary p WHERE" SUMMARY_STATUS     \
	" AND p.id NOT IN (SELECT project_id FROM summary_dirty)"              \
	" UNION ALL SELECT" ROLES_COLS " FROM summary_live p WHERE"            \
	" p.id IN (SELECT project_id FROM summary_dirty) AND" SUMMARY_STATUS   \
	    ROLES_UNUSED " ORDER BY 1"

const struct ap_error *
store_report_roles_where(struct store *s, const char *const *names, size_t n,
			 const struct store_filter *f, store_roles_fn fn,
			 void *arg)
{
	const struct ap_error *err = NULL;
	struct sd_list x = {.fn.roles = fn, .arg = arg};
	struct sd_stmt st = {
	    .types = SD_FILTER_TYPES "s",
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = roles_row,
	    .ctx = &x,
	};
	struct sd_filter q;
	const char **sorted;

	if (!names)
		return run_summarised(s, &st, f, roles_sql[s->ops->dialect], 1,
				      ROLES_CLEAN, ROLES_DIRTY);
	if ((err = sd_filter_make(f, &q)))
		return err;
	st.sql = filter_sql(&q, roles_sql[s->ops->dialect]);
	/* the named projects by name, each once */
	if (n == 0 || !(sorted = malloc(n * sizeof(*sorted)))) {
		sd_filter_free(&q);
		return n == 0 ? NULL : ap_error_nomem();
	}
	memcpy(sorted, names, n * sizeof(*sorted));
	qsort(sorted, n, sizeof(*sorted), cmp_str);
	for (size_t i = 0; i < n && !err; i++)
		if (i == 0 || strcmp(sorted[i], sorted[i - 1]) != 0)
			err = sd_run(s, &st, SD_FILTER_ARGS(q), sorted[i]);
	free(sorted);
	sd_filter_free(&q);
	return err;
}

const struct ap_error *
store_report_roles(struct store *s, const char *const *names, size_t n, int all,
		   store_roles_fn fn, void *arg)
{
	struct store_filter f = {
	    .status = all || names ? 7u : 3u,
	};

	return store_report_roles_where(s, names, n, &f, fn, arg);
}

/*
 * The status report.  Every project has a summary row (schemas/020-summary.sql:
 * its own columns the report reads and those from the other tables) or is
 * listed in summary_dirty: written since its row was made, by anyone.  The
 * whole portfolio is the summary rows of the projects not listed, walked
 * in the order of their key, the name, and the listed ones read from the
 * view summary_live (the very SQL the rows are made with), merged in by
 * name: no sort of the portfolio, no lookups in other tables.  On SQLite,
 * when none is listed (any_dirty()), the summary rows alone
 * (STATUS_CLEAN_SQLITE).  With a sort or a limit, the chosen projects
 * (sel) are read the same way one by one.
 */
#define STATUS_OWN                                                             \
	" p.name AS name, p.status, p.stage, p.entered_at, p.status_at"
#define STATUS_SUMS                                                            \
	" p.criteria, p.decision, p.has_cost, p.kpis, p.approvals,"            \
	" p.back_jumps, p.staffed, p.due"
#define STATUS_CLEAN                                                           \
	" NOT EXISTS (SELECT 1 FROM summary_dirty x WHERE x.project_id = "     \
	"p.id)"
#define STATUS_PLAIN(WHERE)                                                    \
	"SELECT" STATUS_OWN "," STATUS_SUMS                                    \
	" FROM project_summary p WHERE" STATUS_CLEAN " AND" WHERE              \
	" UNION ALL SELECT" STATUS_OWN "," STATUS_SUMS                         \
	" FROM summary_live p WHERE p.id IN (SELECT"                           \
	" project_id FROM summary_dirty) AND" WHERE " ORDER BY 1"
/* the same when no project is listed in summary_dirty (any_dirty()) */
#define STATUS_CLEAN_SQLITE                                                    \
	"SELECT" STATUS_OWN "," STATUS_SUMS                                    \
	" FROM project_summary p WHERE" SD_WHERE_SQLITE " ORDER BY 1"
#define STATUS_FROM(C)                                                         \
	" CASE WHEN s.id IS NULL THEN (SELECT l." C " FROM summary_live l"     \
	" WHERE l.id = p.id) ELSE s." C " END"
/* clang-format off */
#define STATUS_COLS STATUS_OWN "," STATUS_FROM("criteria") "," \
	STATUS_FROM("decision") "," STATUS_FROM("has_cost") "," \
	STATUS_FROM("kpis") "," STATUS_FROM("approvals") "," \
	STATUS_FROM("back_jumps") "," STATUS_FROM("staffed") "," \
	STATUS_FROM("due")
/* clang-format on */
#define STATUS_SUMMARY                                                         \
	" LEFT JOIN project_summary s ON s.id = p.id AND" STATUS_CLEAN

/* clang-format off */
#define STATUS_SEL_SQLITE(SEL) \
	"WITH " SEL ", r AS MATERIALIZED (SELECT" STATUS_COLS \
	", sel.k AS k FROM sel JOIN project p ON p.id = sel.pid" \
	STATUS_SUMMARY " ORDER BY p.id) SELECT * FROM r ORDER BY k"
#define STATUS_SEL_PG(SEL) \
	"WITH " SEL " SELECT" STATUS_COLS \
	", sel.k AS k FROM sel JOIN project p ON p.id = sel.pid" \
	STATUS_SUMMARY " ORDER BY sel.k"
/* clang-format on */

/* [dialect][plain]: plain, the projects that pass by name (STATUS_PLAIN);
 * else the filter's order and limit chosen first (sel), and only those
 * read; [2], the projects stuck longest, chosen by the index of
 * entered_at (SD_SEL_STUCK). */
static const char *const status_sql[][3] = {
    [SD_SQLITE] =
	{
	    STATUS_SEL_SQLITE(SD_SEL_SQLITE("")),
	    STATUS_PLAIN(SD_WHERE_SQLITE),
	    STATUS_SEL_SQLITE(SD_SEL_STUCK(SD_SQLITE_INSTR, SD_SQLITE_MAX)),
	},
    [SD_PG] =
	{
	    STATUS_SEL_PG(SD_SEL_PG("")),
	    STATUS_PLAIN(SD_WHERE_PG),
	    STATUS_SEL_PG(SD_SEL_STUCK(SD_PG_INSTR, SD_PG_MAX)),
	},
};

/* Room for a short list's entries and text (split_list()): a row's lists
 * are short, and a whole portfolio's rows are many. */
struct split {
	const char *v[32];
	char text[512];
};

/* Split a comma-separated list into *out (*n entries): in sp when it fits
 * there, else in one allocation (split_free()). */
static const struct ap_error *
split_list(const char *list, struct split *sp, const char *const **out,
	   size_t *n)
{
	size_t k = 1, len;
	const char **v;
	char *copy;

	*out = NULL;
	*n = 0;
	if (!list || !*list)
		return NULL;
	/* one pass, copying, while it fits sp */
	sp->v[0] = sp->text;
	for (size_t i = 0, m = 1; i < sizeof(sp->text); i++) {
		char c = list[i];
		sp->text[i] = c == ',' ? '\0' : c;
		if (c == '\0') {
			*out = sp->v;
			*n = m;
			return NULL;
		}
		if (c == ',') {
			if (m == sizeof(sp->v) / sizeof(sp->v[0]))
				break;
			sp->v[m++] = sp->text + i + 1;
		}
	}
	for (const char *p = list; *p; p++)
		k += *p == ',';
	len = strlen(list) + 1;
	if (!(v = malloc(k * sizeof(*v) + len)))
		return ap_error_nomem();
	copy = memcpy((char *)(v + k), list, len);
	for (char *p = copy; p; *n += 1) {
		v[*n] = p;
		if ((p = strchr(p, ',')))
			*p++ = '\0';
	}
	*out = v;
	return NULL;
}

static void
split_free(struct split *sp, const char *const *v)
{
	if (v != sp->v)
		free((void *)v);
}

/* "N:rest" (STATUS_COLS): N, and *rest the text after the colon. */
static int
count_and(const char *v, const char **rest)
{
	char *end;
	long n;

	/* (a few digits and the colon, as the summary writes them: read
	 * without strtol) */
	if (v && v[0] >= '0' && v[0] <= '9') {
		size_t k = 0;
		for (n = 0; k < 9 && v[k] >= '0' && v[k] <= '9'; k++)
			n = n * 10 + (v[k] - '0');
		if (v[k] == ':') {
			*rest = v + k + 1;
			return (int)n;
		}
	}
	n = v ? strtol(v, &end, 10) : 0;

	*rest = v && *end == ':' ? end + 1 : "";
	return (int)n;
}

static const struct ap_error *
status_row(void *ctx, const struct sd_row *row)
{
	struct sd_list *x = ctx;
	const struct ap_error *err;
	const char *done, *signed_roles;
	struct split a, b;
	struct store_status_row r = {
	    .project = sd_text(row, 0),
	    .status = proj_status_parse(sd_text(row, 1)),
	    .stage = sd_text(row, 2),
	    .entered_at = sd_text(row, 3),
	    .status_at = sd_text(row, 4),
	    .manual_total = count_and(sd_text(row, 5), &done),
	    .decision = decision_kind_parse(sd_text(row, 6)),
	    .has_cost = sd_int(row, 7),
	    .kpis = sd_int(row, 8),
	    .approvals = count_and(sd_text(row, 9), &signed_roles),
	    .back_jumps = sd_int(row, 10),
	};

	r.manual_done = count_and(done, &done);
	r.due = sd_text(row, 12);
	if ((err = split_list(signed_roles, &a, &r.signed_roles, &r.nsigned)))
		return err;
	if ((err = split_list(sd_text(row, 11), &b, &r.staffed, &r.nstaffed))) {
		split_free(&a, r.signed_roles);
		return err;
	}
	err = x->fn.status(x->arg, &r);
	split_free(&b, r.staffed);
	split_free(&a, r.signed_roles);
	return err;
}

const struct ap_error *
store_report_status_where(struct store *s, const struct store_filter *f,
			  store_status_fn fn, void *arg)
{
	struct sd_list x = {.fn.status = fn, .arg = arg};
	struct sd_stmt st = {
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = status_row,
	    .ctx = &x,
	};

	/* every project that passes, none listed in summary_dirty: the
	 * summary rows alone, no look-up in the list a row */
	return run_summarised(s, &st, f, status_sql[s->ops->dialect], 0,
			      STATUS_CLEAN_SQLITE, NULL);
}

const struct ap_error *
store_report_status(struct store *s, int all, store_status_fn fn, void *arg)
{
	struct store_filter f = {.status = all ? 7u : 3u};

	return store_report_status_where(s, &f, fn, arg);
}

static const struct ap_error *
people_row(void *ctx, const struct sd_row *row)
{
	struct sd_list *x = ctx;
	struct store_people_row r = {
	    .person = sd_text(row, 0),
	    .project = sd_text(row, 1),
	    .status = proj_status_parse(sd_text(row, 2)),
	    .stage = sd_text(row, 3),
	    .role = sd_text(row, 4),
	    .holders = sd_int(row, 5),
	    .title = sd_text(row, 7),
	};

	return x->fn.people(x->arg, &r);
}

#define PEOPLE_SQL(SEL)                                                        \
	"WITH " SEL " SELECT * FROM (SELECT a.person AS person, p.name,"       \
	" p.status, p.stage, a.role AS role,"                                  \
	" count(*) OVER (PARTITION BY a.project_id, a.role), sel.k AS k,"      \
	" a.title"                                                             \
	" FROM sel JOIN project p ON p.id = sel.pid"                           \
	" JOIN assignment a ON a.project_id = p.id) x"                         \
	" WHERE (?3 IS NULL OR " SD_PERSON_IS(                                 \
	    "x.person") ")"                                                    \
			" AND (?4 IS NULL OR x.role = ?4) ORDER BY x.person, " \
			"x.k, x.role"

/* [dialect][plain] (sd_run_filter()) */
static const char *const people_sql[][3] = {
    [SD_SQLITE] = {PEOPLE_SQL(SD_SEL_SQLITE("")),
		   PEOPLE_SQL(SEL_PLAIN(SD_WHERE_SQLITE, "")), NULL},
    [SD_PG] = {PEOPLE_SQL(SD_SEL_PG("")),
	       PEOPLE_SQL(SEL_PLAIN(SD_WHERE_PG, "")), NULL},
};

const struct ap_error *
store_report_people_where(struct store *s, const struct store_filter *f,
			  store_people_fn fn, void *arg)
{
	struct sd_list x = {.fn.people = fn, .arg = arg};
	struct sd_stmt st = {
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = people_row,
	    .ctx = &x,
	};

	return run_summarised(s, &st, f, people_sql[s->ops->dialect], 1,
			      PEOPLE_CLEAN, PEOPLE_DIRTY);
}

const struct ap_error *
store_report_people(struct store *s, int all, store_people_fn fn, void *arg)
{
	struct store_filter f = {.status = all ? 7u : 3u};

	return store_report_people_where(s, &f, fn, arg);
}

/* ---- filters ---- */

/* ",a,b," from n strings (n 0: NULL) into *out. */
static const struct ap_error *
comma_list(const char *const *v, size_t n, char **out)
{
	struct sbuf b = {0};

	*out = NULL;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (sbuf_printf(&b, ",%s", v[i]) != 0) {
			sbuf_free(&b);
			return ap_error_nomem();
		}
	if (sbuf_printf(&b, ",") != 0) {
		sbuf_free(&b);
		return ap_error_nomem();
	}
	*out = b.s;
	return NULL;
}

const struct ap_error *
sd_filter_make(const struct store_filter *f, struct sd_filter *x)
{
	static const char *const names[] = {"active", "on-hold", "closed"};
	static const char empty[] = ",";
	const struct ap_error *err;
	unsigned status = f ? f->status : 7u;

	memset(x, 0, sizeof(*x));
	snprintf(x->status, sizeof(x->status), ",");
	for (int i = 0; i < 3; i++)
		if (status & (1u << i))
			snprintf(x->status + strlen(x->status),
				 sizeof(x->status) - strlen(x->status), "%s,",
				 names[i]);
	if (f && f->overdue)
		snprintf(x->status + strlen(x->status),
			 sizeof(x->status) - strlen(x->status), "overdue,");
	x->now = f && f->now ? f->now : "";
	x->role = f ? f->role : NULL;
	x->stale = f ? f->stale_before : NULL;
	x->key1 = f ? f->sort[0] : 0;
	x->key2 = f && x->key1 ? f->sort[1] : 0;
	x->limit = f && f->limit > 0 ? f->limit : INT64_MAX;
	if (f && f->person && !(x->person = person_key(f->person)))
		return ap_error_nomem();
	if (f &&
	    ((err = comma_list(f->stages, f->nstages, &x->stages)) ||
	     (err = comma_list(f->stage_order, f->nstage_order, &x->order)))) {
		sd_filter_free(x);
		return err;
	}
	if (!x->order && !(x->order = strdup(empty))) {
		sd_filter_free(x);
		return ap_error_nomem();
	}
	return NULL;
}

void
sd_filter_free(struct sd_filter *x)
{
	free(x->stages);
	free(x->person);
	free(x->order);
	x->stages = x->person = x->order = NULL;
}

const struct ap_error *
sd_run_filter(struct store *s, struct sd_stmt *st, const struct store_filter *f,
	      const char *const *by_plain)
{
	const struct ap_error *err;
	struct sd_filter q;

	if ((err = sd_filter_make(f, &q)))
		return err;
	if (by_plain)
		st->sql = filter_sql(&q, by_plain);
	err = run_filtered(s, st, &q);
	sd_filter_free(&q);
	return err;
}

/* ---- the projects' summary rows (schemas/020-summary.sql) ---- */

const struct ap_error *
store_summary_refresh(struct store *s)
{
	const struct ap_error *err;
	/* SQLite: from the view, then the list emptied (one writer at a
	 * time; a row of the same name or id goes: the one it replaces, or
	 * that of a project renamed since).  PostgreSQL: the server's
	 * function, with the owner's rights (a member may not write the
	 * summaries themselves: schemas/pg/020-summary.sql). */
	struct sd_stmt make = {
	    .sql = s->ops->dialect == SD_PG
		       ? "SELECT aiproj_summary_refresh()"
		       : "INSERT OR REPLACE INTO project_summary SELECT *"
			 " FROM summary_live WHERE id IN (SELECT project_id"
			 " FROM summary_dirty)",
	    .types = "",
	    .doing = "summarise the projects changed",
	};
	struct sd_stmt clear = {
	    .sql = "DELETE FROM summary_dirty",
	    .types = "",
	    .doing = "summarise the projects changed",
	};
	/* SQLite: the assignments' rows of report people
	 * (schemas/022-people-summary.sql), those of the listed projects
	 * taken away and made again from the view (a row of the same key
	 * can only be a listed project's: every other one's is current) */
	struct sd_stmt unpeople = {
	    .sql = "DELETE FROM people_summary WHERE project_id IN"
		   " (SELECT project_id FROM summary_dirty)",
	    .types = "",
	    .doing = "summarise the projects changed",
	};
	struct sd_stmt people = {
	    .sql = "INSERT OR REPLACE INTO people_summary SELECT *"
		   " FROM people_live WHERE project_id IN (SELECT"
		   " project_id FROM summary_dirty)",
	    .types = "",
	    .doing = "summarise the projects changed",
	};

	if (s->ops->dialect == SD_PG)
		return sd_run(s, &make);
	if ((err = sd_run(s, &make)) || (err = sd_run(s, &unpeople)) ||
	    (err = sd_run(s, &people)))
		return err;
	return sd_run(s, &clear);
}
