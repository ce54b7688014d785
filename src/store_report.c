/*
 * store_report.c - the store's operations written once for every backend
 * (see store_ops.h and store_sql.c): decisions, KPIs, approvals,
 * components, the audit log, the export's lists and the reports, the only
 * statements whose SQL differs between the dialects.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

/* ---- decisions ---- */

const struct ap_error *
store_decision_add(struct store *s, const struct store_decision *d)
{
	struct sd_stmt st = {
	    .sql = "INSERT INTO decision (project_id, kind, cost, reason,"
		   " actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    .types = d->has_cost ? "isdsss" : "isnsss",
	    .doing = "record the decision",
	};

	return sd_run(s, &st, d->project_id, decision_kind_name(d->kind),
		      d->cost, d->reason, d->actor, d->at);
}

static const struct ap_error *
decision_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_decision d = {
	    .project_id = x->project,
	    .kind = decision_kind_parse(sd_text(r, 0)),
	    .has_cost = !sd_null(r, 1),
	    .cost = sd_dbl(r, 1),
	    .reason = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .at = sd_text(r, 4),
	};

	return x->fn.decision(x->arg, &d);
}

const struct ap_error *
store_decision_latest(struct store *s, int64_t project, store_decision_fn fn,
		      void *arg)
{
	struct sd_list x = {.fn.decision = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, cost, reason, actor, at FROM decision"
		   " WHERE project_id = ?1 ORDER BY id DESC LIMIT 1",
	    .types = "i",
	    .doing = "read",
	    .fn = decision_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_decisions(struct store *s, int64_t project, store_decision_fn fn,
		void *arg)
{
	struct sd_list x = {.fn.decision = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, cost, reason, actor, at FROM decision"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the decisions",
	    .fn = decision_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- KPIs ---- */

const struct ap_error *
store_kpi_add(struct store *s, int64_t project, const char *name,
	      const char *op, double target, const char *at)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "INSERT INTO kpi (project_id, name, op, target,"
		   " created_at) VALUES (?1, ?2, ?3, ?4, ?5)"
		   " ON CONFLICT DO NOTHING",
	    .types = "issds",
	    .doing = "add the KPI",
	};

	if ((err = sd_run(s, &st, project, name, op, target, at)))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_CONFLICT, "KPI '%s' already exists",
				    name);
	return NULL;
}

const struct ap_error *
store_kpi_record(struct store *s, int64_t project, const char *name,
		 double value, const char *actor, const char *at)
{
	return store_kpi_reading_add(s, project, name, value, 0, actor, at);
}

static const struct ap_error *
kpi_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_kpi k = {
	    .name = sd_text(r, 0),
	    .op = sd_text(r, 1),
	    .target = sd_dbl(r, 2),
	    .created_at = sd_text(r, 3),
	    .has_reading = !sd_null(r, 4),
	    .value = sd_dbl(r, 4),
	    .read_at = sd_text(r, 5),
	    .read_by = sd_text(r, 6),
	    .read_breach = !sd_null(r, 7) && sd_i64(r, 7) != 0,
	    .removed_at = sd_text(r, 8),
	};

	return x->fn.kpi(x->arg, &k);
}

const struct ap_error *
store_kpis(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	struct sd_list x = {.fn.kpi = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT k.name, k.op, k.target, k.created_at,"
		   " r.value, r.at, r.actor, r.breach, k.removed_at FROM kpi k"
		   " LEFT JOIN kpi_reading r ON r.id = (SELECT max(id)"
		   " FROM kpi_reading WHERE project_id = k.project_id"
		   " AND kpi = k.name)"
		   " WHERE k.project_id = ?1 AND k.removed_at IS NULL"
		   " ORDER BY k.name",
	    .types = "i",
	    .doing = "read the KPIs",
	    .fn = kpi_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

static const struct ap_error *
reading_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_reading rd = {
	    .kpi = sd_text(r, 0),
	    .value = sd_dbl(r, 1),
	    .actor = sd_text(r, 2),
	    .at = sd_text(r, 3),
	    .breach = sd_i64(r, 4) != 0,
	};

	return x->fn.reading(x->arg, &rd);
}

const struct ap_error *
store_readings(struct store *s, int64_t project, store_reading_fn fn, void *arg)
{
	struct sd_list x = {.fn.reading = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT kpi, value, actor, at, breach FROM kpi_reading"
		   " WHERE project_id = ?1 ORDER BY kpi, id",
	    .types = "i",
	    .doing = "read the readings",
	    .fn = reading_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- approvals ---- */

const struct ap_error *
store_approval_add(struct store *s, const struct store_approval *a)
{
	char epoch[24], prev[CHAIN_HEX], hash[CHAIN_HEX];
	const char *f[] = {a->stage, epoch, a->person, a->role, a->note, a->at};
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "INSERT INTO approval (project_id, stage, epoch, person,"
		   " role, note, at, prev, hash)"
		   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
	    .types = "isissssss",
	    .doing = "record the approval",
	};

	snprintf(epoch, sizeof(epoch), "%lld", (long long)a->epoch);
	if ((err = store_chain_seal(s, CHAIN_APPROVAL, a->project_id, NULL, f,
				    6, prev, hash)))
		return err;
	return sd_run(s, &st, a->project_id, a->stage, a->epoch, a->person,
		      a->role, a->note, a->at, CHAIN_OR_NULL(prev),
		      CHAIN_OR_NULL(hash));
}

/* an approval's giver still holds the role it was given in */
#define APPROVER_HOLDS(A)                                                      \
	" (" A ".role = '' OR EXISTS (SELECT 1 FROM assignment h WHERE"        \
	" h.project_id = " A ".project_id AND h.role = " A ".role AND"         \
	" h.person = " A ".person))"

struct approval_count_ctx {
	int64_t n;
	char *withdrawn;
};

static const struct ap_error *
approval_count_row(void *ctx, const struct sd_row *r)
{
	struct approval_count_ctx *x = ctx;
	const char *who = sd_text(r, 1);

	x->n = sd_i64(r, 0);
	if (who && !(x->withdrawn = strdup(who)))
		return ap_error_nomem();
	return NULL;
}

const struct ap_error *
store_approval_count(struct store *s, int64_t project, const char *stage,
		     int64_t epoch, const char *role, int *n, char **withdrawn)
{
	const struct ap_error *err;
	struct approval_count_ctx x = {0};
	struct sd_stmt st = {
	    .sql =
		"SELECT (SELECT count(*) FROM approval a WHERE"
		" a.project_id = ?1 AND a.epoch >= ?2 AND a.stage = ?3 AND"
		" (?4 = '' OR (a.role = ?4 AND" APPROVER_HOLDS(
		    "a") "))),"
			 " (SELECT a.person FROM approval a WHERE a.project_id "
			 "= ?1"
			 " AND a.epoch >= ?2 AND a.stage = ?3 AND ?4 <> '' AND"
			 " NOT (a.role = ?4 AND" APPROVER_HOLDS(
			     "a") ")"
				  " ORDER BY a.id DESC LIMIT 1)",
	    .types = "iiss",
	    .doing = "read",
	    .fn = approval_count_row,
	    .ctx = &x,
	};

	err = sd_run(s, &st, project, epoch, stage, role);
	*n = (int)x.n;
	if (err || !withdrawn)
		free(x.withdrawn);
	else
		*withdrawn = x.withdrawn;
	return err;
}

const struct ap_error *
store_stage_entry_epoch(struct store *s, int64_t project, const char *stage,
			int64_t *epoch)
{
	struct sd_stmt st = {
	    .sql = "SELECT count(*) FROM transition WHERE project_id = ?1"
		   " AND id <= (SELECT max(id) FROM transition"
		   " WHERE project_id = ?1 AND to_stage = ?2)",
	    .types = "is",
	    .doing = "read",
	    .fn = sd_first_i64,
	    .ctx = epoch,
	};

	*epoch = 0;
	return sd_run(s, &st, project, stage);
}

static const struct ap_error *
approval_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_approval a = {
	    .project_id = x->project,
	    .stage = sd_text(r, 0),
	    .epoch = sd_i64(r, 1),
	    .person = sd_text(r, 2),
	    .role = sd_text(r, 3),
	    .note = sd_text(r, 4),
	    .at = sd_text(r, 5),
	};

	return x->fn.approval(x->arg, &a);
}

const struct ap_error *
store_approvals(struct store *s, int64_t project, store_approval_fn fn,
		void *arg)
{
	struct sd_list x = {.fn.approval = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT stage, epoch, person, role, note, at"
		   " FROM approval WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the approvals",
	    .fn = approval_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- components ---- */

const struct ap_error *
store_component_add(struct store *s, int64_t project, const char *name,
		    const char *owner, const char *description)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "INSERT INTO component (project_id, name, owner,"
		   " description) VALUES (?1, ?2, ?3, ?4)"
		   " ON CONFLICT DO NOTHING",
	    .types = "isss",
	    .doing = "add the component",
	};

	if ((err = sd_run(s, &st, project, name, owner,
			  description ? description : "")))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "component '%s' already exists", name);
	return NULL;
}

static const struct ap_error *
component_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_component c = {
	    .name = sd_text(r, 0),
	    .owner = sd_text(r, 1),
	    .description = sd_text(r, 2),
	};

	return x->fn.component(x->arg, &c);
}

const struct ap_error *
store_components(struct store *s, int64_t project, store_component_fn fn,
		 void *arg)
{
	struct sd_list x = {.fn.component = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT name, owner, description FROM component"
		   " WHERE project_id = ?1 ORDER BY name",
	    .types = "i",
	    .doing = "read the components",
	    .fn = component_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_component_remove(struct store *s, int64_t project, const char *name)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "DELETE FROM component WHERE project_id = ?1 AND name = ?2",
	    .types = "is",
	    .doing = "remove the component",
	};

	if ((err = sd_run(s, &st, project, name)))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no component '%s'",
				    name);
	return NULL;
}

/* ---- audit ---- */

const struct ap_error *
store_audit_add(struct store *s, const struct store_audit *a)
{
	const char *f[] = {a->at,      a->actor, a->action,
			   a->project, a->stage, a->detail};
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql =
		"INSERT INTO audit (at, actor, action, project, stage,"
		" detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    .types = "ssssssss",
	    .doing = "record the refusal",
	};

	if ((err = store_chain_seal(s, CHAIN_AUDIT, 0, NULL, f, 6, prev, hash)))
		return err;
	return sd_run(s, &st, a->at, a->actor, a->action, a->project, a->stage,
		      a->detail, CHAIN_OR_NULL(prev), CHAIN_OR_NULL(hash));
}

static const struct ap_error *
audit_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_audit a = {
	    .at = sd_text(r, 0),
	    .actor = sd_text(r, 1),
	    .action = sd_text(r, 2),
	    .project = sd_text(r, 3),
	    .stage = sd_text(r, 4),
	    .detail = sd_text(r, 5),
	};

	return x->fn.audit(x->arg, &a);
}

const struct ap_error *
store_audit_list(struct store *s, int limit, store_audit_fn fn, void *arg)
{
	struct sd_list x = {.fn.audit = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT at, actor, action, project, stage, detail"
		   " FROM audit ORDER BY id DESC LIMIT ?1",
	    .types = "i",
	    .doing = "read the audit log",
	    .fn = audit_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, (int64_t)limit);
}

/* ---- reports ---- */

/*
 * The roles report: a row a project, its assignments and its components
 * folded into two lists, records joined with char(30) and fields with
 * char(31) (control characters never appear in names or descriptions).
 * SQLite computes the rows in rowid order (every lookup an index-only
 * read) and then sorts them by name; PostgreSQL walks them in name order.
 */
#define ROLES_COND " AND (?11 IS NULL OR p.name = ?11)"

static const char *const roles_sql[] = {
    [SD_SQLITE] = "WITH " SD_SEL_SQLITE(
	ROLES_COND) ", r AS MATERIALIZED (SELECT p.name"
		    " AS name, p.status, p.stage,"
		    " (SELECT group_concat(role || char(31) || person, "
		    "char(30))"
		    "  FROM (SELECT role, person FROM assignment"
		    "  WHERE project_id = p.id ORDER BY role, person)),"
		    " (SELECT group_concat(owner || char(31) || name || "
		    "char(31) ||"
		    "  description, char(30)) FROM (SELECT owner, name, "
		    "description"
		    "  FROM component WHERE project_id = p.id ORDER BY owner, "
		    "name)), sel.k AS k FROM sel JOIN project p ON p.id = "
		    "sel.pid"
		    " ORDER BY p.id) SELECT * FROM r ORDER BY k",
    [SD_PG] = "WITH " SD_SEL_PG(
	ROLES_COND) " SELECT p.name, p.status, p.stage,"
		    " (SELECT string_agg(role || chr(31) || person, chr(30)"
		    "  ORDER BY role, person) FROM assignment WHERE project_id "
		    "= p.id),"
		    " (SELECT string_agg(owner || chr(31) || name || chr(31) ||"
		    "  description, chr(30) ORDER BY owner, name) FROM "
		    "component"
		    "  WHERE project_id = p.id) FROM sel JOIN project p ON "
		    "p.id = sel.pid"
		    " ORDER BY sel.k",
};

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
		if (component && (f3 = strchr(f2, '\x1f')))
			*f3++ = '\0';
		r->kind = component ? "c" : "a";
		r->role = rec;
		r->name = f2;
		r->description = f3 ? f3 : (component ? "" : NULL);
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

const struct ap_error *
store_report_roles_where(struct store *s, const char *const *names, size_t n,
			 const struct store_filter *f, store_roles_fn fn,
			 void *arg)
{
	const struct ap_error *err = NULL;
	struct sd_list x = {.fn.roles = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = roles_sql[s->ops->dialect],
	    .types = SD_FILTER_TYPES "s",
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = roles_row,
	    .ctx = &x,
	};
	struct sd_filter q;
	const char **sorted;

	if ((err = sd_filter_make(f, &q)))
		return err;
	if (!names) {
		err = sd_run(s, &st, SD_FILTER_ARGS(q), (const char *)NULL);
		sd_filter_free(&q);
		return err;
	}
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
 * The status report: one pass over the projects, every subquery an index
 * lookup.  SQLite walks them in rowid order and sorts once by name:
 * walking in name order would make every lookup a random read.
 */
#define STATUS_COLS(STAFFED)                                                   \
	" p.name AS name, p.status, p.stage, p.entered_at, p.status_at,"       \
	" (SELECT count(*) FROM criterion c WHERE"                             \
	"  c.project_id = p.id AND c.stage = p.stage),"                        \
	" (SELECT count(*) FROM criterion c WHERE"                             \
	"  c.project_id = p.id AND c.stage = p.stage AND c.done <> 0),"        \
	" d.kind, CASE WHEN d.cost IS NULL THEN 0 ELSE 1 END,"                 \
	" (SELECT count(*) FROM kpi k WHERE k.project_id = p.id"               \
	" AND k.removed_at IS NULL),"                                          \
	" (SELECT count(*) FROM approval a WHERE"                              \
	"  a.project_id = p.id AND a.epoch = p.epoch AND"                      \
	"  a.stage = p.stage AND" APPROVER_HOLDS(                              \
	    "a") "),"                                                          \
		 " (SELECT count(*) FROM transition t WHERE"                   \
		 "  t.project_id = p.id AND t.kind = 'back'), " STAFFED
#define STATUS_DECISION                                                        \
	" LEFT JOIN decision d ON d.id ="                                      \
	"  (SELECT max(id) FROM decision WHERE project_id = p.id)"
#define SQLITE_STAFFED                                                         \
	"(SELECT group_concat(DISTINCT role) FROM assignment a"                \
	" WHERE a.project_id = p.id)"
#define PG_STAFFED                                                             \
	"(SELECT string_agg(role, ',' ORDER BY role)"                          \
	" FROM (SELECT DISTINCT role FROM assignment a"                        \
	" WHERE a.project_id = p.id) r)"

/* [dialect][plain]: plain, the projects that pass by name (one pass, in
 * rowid order on SQLite); else the filter's order and limit chosen first
 * (sel), and only those read. */
static const char *const status_sql[][2] = {
    [SD_SQLITE] =
	{
	    "WITH " SD_SEL_SQLITE("") ", r AS MATERIALIZED (SELECT" STATUS_COLS(
		SQLITE_STAFFED) ", sel.k AS k FROM sel JOIN project p"
				" ON p.id = sel.pid" STATUS_DECISION
				" ORDER BY p.id) SELECT * FROM r ORDER BY k",
	    "WITH r AS MATERIALIZED (SELECT" STATUS_COLS(
		SQLITE_STAFFED) " FROM project p" STATUS_DECISION
				" WHERE" SD_WHERE_SQLITE
				" ORDER BY p.id) SELECT * FROM r ORDER BY name",
	},
    [SD_PG] =
	{
	    "WITH " SD_SEL_PG("") " SELECT" STATUS_COLS(
		PG_STAFFED) ", sel.k AS k FROM sel JOIN project p"
			    " ON p.id = sel.pid" STATUS_DECISION
			    " ORDER BY sel.k",
	    "SELECT" STATUS_COLS(PG_STAFFED) " FROM project p" STATUS_DECISION
					     " WHERE" SD_WHERE_PG
					     " ORDER BY p.name",
	},
};

/* Split a comma-separated list into *out (one allocation; *n entries). */
static const struct ap_error *
split_list(const char *list, const char *const **out, size_t *n)
{
	size_t k = 1, len;
	const char **v;
	char *copy;

	*out = NULL;
	*n = 0;
	if (!list || !*list)
		return NULL;
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

static const struct ap_error *
status_row(void *ctx, const struct sd_row *row)
{
	struct sd_list *x = ctx;
	const struct ap_error *err;
	struct store_status_row r = {
	    .project = sd_text(row, 0),
	    .status = proj_status_parse(sd_text(row, 1)),
	    .stage = sd_text(row, 2),
	    .entered_at = sd_text(row, 3),
	    .status_at = sd_text(row, 4),
	    .manual_total = sd_int(row, 5),
	    .manual_done = sd_int(row, 6),
	    .decision = decision_kind_parse(sd_text(row, 7)),
	    .has_cost = sd_int(row, 8),
	    .kpis = sd_int(row, 9),
	    .approvals = sd_int(row, 10),
	    .back_jumps = sd_int(row, 11),
	};

	if ((err = split_list(sd_text(row, 12), &r.staffed, &r.nstaffed)))
		return err;
	err = x->fn.status(x->arg, &r);
	free((void *)r.staffed);
	return err;
}

const struct ap_error *
store_report_status_where(struct store *s, const struct store_filter *f,
			  store_status_fn fn, void *arg)
{
	const struct ap_error *err;
	struct sd_list x = {.fn.status = fn, .arg = arg};
	struct sd_stmt st = {
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = status_row,
	    .ctx = &x,
	};
	struct sd_filter q;

	if ((err = sd_filter_make(f, &q)))
		return err;
	st.sql = status_sql[s->ops->dialect][sd_filter_plain(&q)];
	err = sd_run(s, &st, SD_FILTER_ARGS(q));
	sd_filter_free(&q);
	return err;
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
	};

	return x->fn.people(x->arg, &r);
}

#define PEOPLE_SQL(SEL)                                                        \
	"WITH " SEL " SELECT * FROM (SELECT a.person AS person, p.name,"       \
	" p.status, p.stage, a.role AS role,"                                  \
	" count(*) OVER (PARTITION BY a.project_id, a.role), sel.k AS k"       \
	" FROM sel JOIN project p ON p.id = sel.pid"                           \
	" JOIN assignment a ON a.project_id = p.id) x"                         \
	" WHERE (?3 IS NULL OR " SD_FOLD(                                      \
	    "x.person") " = ?3)"                                               \
			" AND (?4 IS NULL OR x.role = ?4) ORDER BY x.person, " \
			"x.k, x.role"

static const char *const people_sql[] = {
    [SD_SQLITE] = PEOPLE_SQL(SD_SEL_SQLITE("")),
    [SD_PG] = PEOPLE_SQL(SD_SEL_PG("")),
};

const struct ap_error *
store_report_people_where(struct store *s, const struct store_filter *f,
			  store_people_fn fn, void *arg)
{
	const struct ap_error *err;
	struct sd_list x = {.fn.people = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = people_sql[s->ops->dialect],
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = people_row,
	    .ctx = &x,
	};
	struct sd_filter q;

	if ((err = sd_filter_make(f, &q)))
		return err;
	err = sd_run(s, &st, SD_FILTER_ARGS(q));
	sd_filter_free(&q);
	return err;
}

const struct ap_error *
store_report_people(struct store *s, int all, store_people_fn fn, void *arg)
{
	struct store_filter f = {.status = all ? 7u : 3u};

	return store_report_people_where(s, &f, fn, arg);
}

/* ---- filters ---- */

char *
sd_fold_person(const char *name)
{
	char *out = malloc(strlen(name) + 1), *o = out;

	for (const char *p = name; out && *p; p++) {
		if (*p == ' ' && o > out && o[-1] == ' ')
			continue;
		*o++ = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	if (out)
		*o = '\0';
	return out;
}

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
	x->now = f && f->now ? f->now : "";
	x->role = f ? f->role : NULL;
	x->stale = f ? f->stale_before : NULL;
	x->key1 = f ? f->sort[0] : 0;
	x->key2 = f && x->key1 ? f->sort[1] : 0;
	x->limit = f && f->limit > 0 ? f->limit : INT64_MAX;
	if (f && f->person && !(x->person = sd_fold_person(f->person)))
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

/* ---- events and the timeline ---- */

const struct ap_error *
store_event_add(struct store *s, int64_t project, const struct store_event *e)
{
	struct sd_stmt st = {
	    .sql = "INSERT INTO event (project_id, kind, subject, detail,"
		   " note, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
	    .types = "issssss",
	    .doing = "record the event",
	};

	return sd_run(s, &st, project, e->kind, e->subject, e->detail, e->note,
		      e->actor, e->at);
}

static const struct ap_error *
event_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_event e = {
	    .kind = sd_text(r, 0),
	    .subject = sd_text(r, 1),
	    .detail = sd_text(r, 2),
	    .note = sd_text(r, 3),
	    .actor = sd_text(r, 4),
	    .at = sd_text(r, 5),
	};

	return x->fn.event(x->arg, &e);
}

const struct ap_error *
store_events(struct store *s, int64_t project, store_event_fn fn, void *arg)
{
	struct sd_list x = {.fn.event = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, subject, detail, note, actor, at FROM event"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read",
	    .fn = event_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

static const struct ap_error *
due_row(void *ctx, const struct sd_row *r)
{
	char **due = ctx;
	const char *t = sd_text(r, 0);

	free(*due);
	*due = t ? strdup(t) : NULL;
	return t && !*due ? ap_error_nomem() : NULL;
}

const struct ap_error *
store_due_get(struct store *s, int64_t project, const char *stage, char **due)
{
	struct sd_stmt st = {
	    .sql = "SELECT detail FROM event WHERE project_id = ?1 AND"
		   " kind = 'due' AND subject = ?2 ORDER BY id DESC LIMIT 1",
	    .types = "is",
	    .doing = "read",
	    .fn = due_row,
	    .ctx = due,
	};
	const struct ap_error *err;

	*due = NULL;
	if ((err = sd_run(s, &st, project, stage))) {
		free(*due);
		*due = NULL;
	}
	return err;
}

/*
 * The timeline: one UNION ALL over every table that records a change,
 * each branch joined to its project; o orders the branches and seq the
 * rows of one branch that share a time stamp.
 */
#define LOG_P                                                                  \
	" JOIN project p ON p.id = x.project_id WHERE (?1 IS NULL OR p.name "  \
	"= ?1)"
static const char log_sql[] =
    "SELECT at, name, kind, actor, subject, detail, note, num FROM ("
    " SELECT p.created_at AS at, p.name AS name, 0 AS o, 0 AS seq,"
    "  'created' AS kind, CAST(NULL AS TEXT) AS actor,"
    "  coalesce((SELECT from_stage FROM transition t WHERE"
    "  t.project_id = p.id ORDER BY t.id LIMIT 1), p.stage) AS subject,"
    "  CAST(NULL AS TEXT) AS detail,"
    "  CAST(NULL AS TEXT) AS note, CAST(NULL AS DOUBLE PRECISION) AS num"
    "  FROM project p WHERE (?1 IS NULL OR p.name = ?1)"
    " UNION ALL SELECT x.at, p.name, 1, x.id, x.kind, x.actor,"
    "  x.from_stage, x.to_stage, x.reason, NULL FROM transition x" LOG_P
    " UNION ALL SELECT x.done_at, p.name, 2, x.id, 'tick', x.done_by,"
    "  CAST(x.id AS TEXT), x.text, x.note, NULL FROM criterion x" LOG_P
    "  AND x.done <> 0"
    " UNION ALL SELECT x.at, p.name, 3, x.id, 'approve', x.person,"
    "  x.stage, x.role, x.note, NULL FROM approval x" LOG_P
    " UNION ALL SELECT x.at, p.name, 4, x.id, 'decide', x.actor, x.kind,"
    "  NULL, x.reason, x.cost FROM decision x" LOG_P
    " UNION ALL SELECT x.created_at, p.name, 5, 0, 'kpi', NULL, x.name,"
    "  x.op, NULL, x.target FROM kpi x" LOG_P
    " UNION ALL SELECT x.at, p.name, 6, x.id, 'reading', x.actor, x.kpi,"
    "  CASE WHEN x.breach <> 0 THEN 'breach' END, NULL, x.value"
    "  FROM kpi_reading x" LOG_P
    " UNION ALL SELECT x.assigned_at, p.name, 7, 0, 'assign', NULL, x.role,"
    "  x.person, NULL, NULL FROM assignment x" LOG_P
    " UNION ALL SELECT x.at, p.name, 8, x.id, x.kind, x.actor, x.subject,"
    "  x.detail, x.note, NULL FROM event x" LOG_P
    " UNION ALL SELECT x.ended_at, p.name, 9, x.id, CASE x.ended WHEN"
    "  'retired' THEN 'retire' ELSE 'supersede' END, x.ended_by, x.version,"
    "  NULL, x.end_reason, NULL FROM prod_release x" LOG_P
    "  AND x.ended IS NOT NULL"
    " UNION ALL SELECT x.at, p.name, 10, x.id, 'release', x.actor,"
    "  x.version, x.artifact, x.note, NULL FROM prod_release x" LOG_P
    " UNION ALL SELECT x.at, p.name, 11, x.id, 'kpi-' || x.kind, x.actor,"
    "  x.kpi, x.op, x.reason, x.target FROM kpi_change x" LOG_P
    ") l WHERE (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3)"
    " ORDER BY at, name, o, seq, subject, detail";
#undef LOG_P

static const struct ap_error *
log_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_log_row l = {
	    .at = sd_text(r, 0),
	    .project = sd_text(r, 1),
	    .kind = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .subject = sd_text(r, 4),
	    .detail = sd_text(r, 5),
	    .note = sd_text(r, 6),
	    .has_num = !sd_null(r, 7),
	    .num = sd_null(r, 7) ? 0 : sd_dbl(r, 7),
	};

	return x->fn.log(x->arg, &l);
}

const struct ap_error *
store_log(struct store *s, const char *name, const char *since,
	  const char *until, store_log_fn fn, void *arg)
{
	struct sd_list x = {.fn.log = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = log_sql,
	    .types = "sss",
	    .doing = "read the log",
	    .flags = SD_STREAM,
	    .fn = log_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, name, since, until);
}
