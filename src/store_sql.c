/*
 * store_sql.c - the store's operations on one project, written once for
 * every backend (see store_ops.h): settings, projects, history, criteria
 * and role assignments.  store_records.c and store_report.c have the rest.
 *
 * The SQL here runs unchanged on SQLite and PostgreSQL: numbered
 * parameters, integers for truth values (`done <> 0`, never a bare column),
 * INSERT ... ON CONFLICT DO NOTHING and RETURNING for conflicts and new
 * ids.  Text orders bytewise on both (BINARY in SQLite, every PostgreSQL
 * text column is COLLATE "C").
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

const struct ap_error *
sd_run(struct store *s, struct sd_stmt *st, ...)
{
	const struct ap_error *err;
	va_list ap;

	st->deferred = 0;
	va_start(ap, st);
	err = s->ops->run(s, st, ap);
	va_end(ap);
	if (!err && st->none_code && !st->deferred && st->changes == 0 &&
	    !(st->flags & SD_NEXT_ID))
		err = ap_error_fmt(st->none_code, st->none_fmt,
				   st->none_a ? st->none_a : "",
				   st->none_b ? st->none_b : "");
	return err;
}

const struct ap_error *
sd_cursor_open(struct store *s, const char *sql, const char *doing,
	       struct sd_cursor **c)
{
	return s->ops->cursor_open(s, sql, doing, c);
}

const struct ap_error *
sd_cursor_next(struct store *s, struct sd_cursor *c, const struct sd_row **row)
{
	return s->ops->cursor_next(s, c, row);
}

void
sd_cursor_close(struct store *s, struct sd_cursor *c)
{
	if (c)
		s->ops->cursor_close(s, c);
}

const struct ap_error *
sd_first_i64(void *ctx, const struct sd_row *r)
{
	*(int64_t *)ctx = sd_i64(r, 0);
	return NULL;
}

static char *
col_dup(const struct sd_row *r, int col)
{
	const char *t = sd_text(r, col);

	return t ? strdup(t) : NULL;
}

/* ---- settings ---- */

struct dup_ctx {
	char *val;
	int found;
};

/* The first row's first column, copied. */
static const struct ap_error *
dup_first(void *ctx, const struct sd_row *r)
{
	struct dup_ctx *x = ctx;

	x->found = 1;
	return (x->val = col_dup(r, 0)) ? NULL : ap_error_nomem();
}

const struct ap_error *
store_meta_get(struct store *s, const char *key, char **val)
{
	struct dup_ctx x = {0};
	struct sd_stmt st = {
	    .sql = "SELECT value FROM meta WHERE key = ?1",
	    .types = "s",
	    .doing = "read",
	    .fn = dup_first,
	    .ctx = &x,
	};
	const struct ap_error *err = sd_run(s, &st, key);

	*val = err ? NULL : x.val;
	if (err)
		free(x.val);
	return err;
}

const struct ap_error *
store_meta_set(struct store *s, const char *key, const char *val)
{
	struct sd_stmt st = {
	    .sql = "INSERT INTO meta (key, value) VALUES (?1, ?2)"
		   " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	    .types = "ss",
	    .doing = "save a setting",
	};

	return sd_run(s, &st, key, val);
}

/* ---- administrators ---- */

const struct ap_error *
store_admin_add(struct store *s, const char *person, const char *by,
		const char *at, int *changed)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "INSERT INTO admin (person, added_by, added_at)"
		   " VALUES (?1, ?2, ?3) ON CONFLICT (person) DO NOTHING",
	    .types = "sss",
	    .doing = "add the administrator",
	};

	err = sd_run(s, &st, person, by, at);
	*changed = st.changes > 0;
	return err;
}

const struct ap_error *
store_admin_remove(struct store *s, const char *person, int *changed)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "DELETE FROM admin WHERE person = ?1",
	    .types = "s",
	    .doing = "remove the administrator",
	};

	err = sd_run(s, &st, person);
	*changed = st.changes > 0;
	return err;
}

static const struct ap_error *
admin_is_row(void *ctx, const struct sd_row *r)
{
	int *v = ctx;

	v[0] = (int)sd_i64(r, 0);
	v[1] = (int)sd_i64(r, 1);
	return NULL;
}

const struct ap_error *
store_admin_is(struct store *s, const char *person, int *is, int *count)
{
	const struct ap_error *err;
	int v[2] = {0, 0};
	struct sd_stmt st = {
	    .sql = "SELECT (SELECT count(*) FROM admin WHERE person = ?1),"
		   " (SELECT count(*) FROM admin)",
	    .types = "s",
	    .doing = "read the administrators",
	    .fn = admin_is_row,
	    .ctx = v,
	};

	err = sd_run(s, &st, person);
	*is = v[0] > 0;
	*count = v[1];
	return err;
}

struct admin_ctx {
	store_admin_fn fn;
	void *arg;
};

static const struct ap_error *
admin_row(void *ctx, const struct sd_row *r)
{
	struct admin_ctx *x = ctx;
	struct store_admin a = {
	    .person = sd_text(r, 0),
	    .added_by = sd_text(r, 1),
	    .added_at = sd_text(r, 2),
	};

	return x->fn(x->arg, &a);
}

const struct ap_error *
store_admins(struct store *s, store_admin_fn fn, void *arg)
{
	struct admin_ctx x = {fn, arg};
	struct sd_stmt st = {
	    .sql = "SELECT person, added_by, added_at FROM admin"
		   " ORDER BY person",
	    .types = "",
	    .doing = "read the administrators",
	    .fn = admin_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}

/* ---- projects ---- */

/* A row of PROJECT_COLS into *p (its strings malloc'd); NULL, or out of
 * memory with *p cleared. */
const struct ap_error *
project_from_row(const struct sd_row *r, struct store_project *p)
{
	p->id = sd_i64(r, 0);
	p->name = col_dup(r, 1);
	p->description = col_dup(r, 2);
	p->status = proj_status_parse(sd_text(r, 3));
	p->status_reason = col_dup(r, 4);
	p->outcome = col_dup(r, 5);
	p->stage = col_dup(r, 6);
	p->epoch = sd_i64(r, 7);
	p->entered_at = col_dup(r, 8);
	p->created_at = col_dup(r, 9);
	p->status_at = col_dup(r, 10);
	if (p->name && p->description && (int)p->status >= 0 && p->stage &&
	    p->entered_at && p->created_at && p->status_at &&
	    (p->status_reason || sd_null(r, 4)) &&
	    (p->outcome || sd_null(r, 5)))
		return NULL;
	store_project_clear(p);
	return ap_error_nomem();
}

struct project_ctx {
	struct store_project *p;
	int found;
};

static const struct ap_error *
project_one(void *ctx, const struct sd_row *r)
{
	struct project_ctx *x = ctx;

	x->found = 1;
	return project_from_row(r, x->p);
}

const struct ap_error *
store_project_get(struct store *s, const char *name, struct store_project *p)
{
	const struct ap_error *err;
	struct project_ctx x = {p, 0};
	struct sd_stmt st = {
	    .sql = "SELECT " PROJECT_COLS " FROM project WHERE name = ?1",
	    .types = "s",
	    .doing = "read",
	    .fn = project_one,
	    .ctx = &x,
	};

	memset(p, 0, sizeof(*p));
	/* A server that refuses text that is not UTF-8 has no project by
	 * such a name (SQLite compares bytes and finds none either). */
	if (s->ops->dialect == SD_PG && !utf8_valid(name, strlen(name)))
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no project '%s'",
				    shown(name));
	if ((err = sd_run(s, &st, name))) {
		store_project_clear(p);
		return err;
	}
	if (!x.found)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no project '%s'",
				    shown(name));
	return NULL;
}

const struct ap_error *
store_project_create(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	int64_t id = 0;
	struct sd_stmt st = {
	    .sql = "INSERT INTO project (name, description, status, stage,"
		   " epoch, entered_at, created_at, status_at)"
		   " VALUES (?1, ?2, 'active', ?3, 0, ?4, ?5, ?5)"
		   " ON CONFLICT DO NOTHING RETURNING id",
	    .types = "sssss",
	    .doing = "create the project",
	    .fn = sd_first_i64,
	    .ctx = &id,
	};

	if ((err = sd_run(s, &st, p->name, p->description ? p->description : "",
			  p->stage, p->entered_at, p->created_at)))
		return err;
	if (id == 0)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	p->id = id;
	return NULL;
}

static const struct ap_error *
project_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	const struct ap_error *err;
	struct store_project p = {0};

	if ((err = project_from_row(r, &p)))
		return err;
	err = x->fn.project(x->arg, &p);
	store_project_clear(&p);
	return err;
}

static const char *const project_list_sql[] = {
    [SD_SQLITE] = "WITH " SD_SEL_SQLITE(
	"") " SELECT " PROJECT_COLS
	    " FROM sel JOIN project p ON p.id = sel.pid ORDER BY sel.k",
    [SD_PG] = "WITH " SD_SEL_PG(
	"") " SELECT " PROJECT_COLS
	    " FROM sel JOIN project p ON p.id = sel.pid ORDER BY sel.k",
};

const struct ap_error *
store_project_list_where(struct store *s, const struct store_filter *f,
			 store_project_fn fn, void *arg)
{
	struct sd_list x = {.fn.project = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = project_list_sql[s->ops->dialect],
	    .types = SD_FILTER_TYPES,
	    .doing = "list projects",
	    .flags = SD_STREAM,
	    .fn = project_row,
	    .ctx = &x,
	};

	return sd_run_filter(s, &st, f, NULL);
}

const struct ap_error *
store_project_list(struct store *s, const char *stage, int all,
		   store_project_fn fn, void *arg)
{
	struct store_filter f = {
	    .status = all ? 7u : 3u,
	    .stages = &stage,
	    .nstages = stage ? 1 : 0,
	};

	return store_project_list_where(s, &f, fn, arg);
}

const struct ap_error *
store_project_rename(struct store *s, int64_t id, const char *name)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "UPDATE project SET name = ?1 WHERE id = ?2",
	    .types = "si",
	    .doing = "rename the project",
	    .flags = SD_CONFLICT,
	};

	if ((err = sd_run(s, &st, name, id)))
		return err;
	if (st.conflict)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", name);
	return NULL;
}

const struct ap_error *
store_project_set_status(struct store *s, int64_t id, enum proj_status status,
			 const char *reason, const char *outcome,
			 const char *at)
{
	struct sd_stmt st = {
	    .sql = "UPDATE project SET status = ?1, status_reason = ?2,"
		   " outcome = ?3, status_at = ?4 WHERE id = ?5",
	    .types = "ssssi",
	    .doing = "change the project's status",
	};

	return sd_run(s, &st, proj_status_name(status), reason, outcome, at,
		      id);
}

const struct ap_error *
store_project_delete(struct store *s, int64_t id)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "DELETE FROM project WHERE id = ?1",
	    .types = "i",
	    .doing = "delete the project",
	};
	/* an import's (SQLite, its triggers off: store_feed_bulk()): what
	 * summary_project_del and summary_project_del_people do */
	struct sd_stmt summary = {
	    .sql = "DELETE FROM project_summary WHERE id = ?1",
	    .types = "i",
	    .doing = "delete the project",
	};
	struct sd_stmt people = {
	    .sql = "DELETE FROM people_summary WHERE project_id = ?1",
	    .types = "i",
	    .doing = "delete the project",
	};

	if ((err = sd_run(s, &st, id)) || !s->feed_bulk)
		return err;
	if ((err = sd_run(s, &summary, id)))
		return err;
	return sd_run(s, &people, id);
}

const struct ap_error *
store_project_move(struct store *s, int64_t id, const char *stage,
		   const char *at)
{
	struct sd_stmt st = {
	    .sql = "UPDATE project SET stage = ?1, entered_at = ?2,"
		   " epoch = epoch + 1 WHERE id = ?3",
	    .types = "ssi",
	    .doing = "move the project",
	};

	return sd_run(s, &st, stage, at, id);
}

/* ---- history ---- */

const struct ap_error *
store_transition_add(struct store *s, const struct store_transition *t)
{
	const char *f[] = {t->from, t->to, t->kind, t->actor, t->reason, t->at};
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
	const struct ap_error *err;
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO transition (project_id, from_stage, to_stage,"            \
	" kind, actor, reason, at, prev, hash" fc ")"                          \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?10") : INS("", ""),
	    .types = feed ? "issssssssi" : "issssssss",
	    .doing = "record the transition",
	    .flags = SD_DEFER,
	};
#undef INS

	if ((err = store_chain_seal(s, CHAIN_HISTORY, t->project_id, NULL, f, 6,
				    prev, hash)))
		return err;
	return sd_run(s, &st, t->project_id, t->from, t->to, t->kind, t->actor,
		      t->reason, t->at, CHAIN_OR_NULL(prev),
		      CHAIN_OR_NULL(hash), feed);
}

const struct ap_error *
transition_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_transition t = {
	    .project_id = x->project,
	    .from = sd_text(r, 0),
	    .to = sd_text(r, 1),
	    .kind = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .reason = sd_text(r, 4),
	    .at = sd_text(r, 5),
	    .hash = sd_text(r, 6),
	};

	return x->fn.transition(x->arg, &t);
}

const struct ap_error *
store_transitions(struct store *s, int64_t project, store_transition_fn fn,
		  void *arg)
{
	struct sd_list x = {
	    .fn.transition = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT from_stage, to_stage, kind, actor, reason, at,"
		   " hash FROM transition WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the history",
	    .fn = transition_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_transition_count(struct store *s, int64_t project, const char *kind,
		       int64_t *n)
{
	struct sd_stmt st = {
	    .sql = "SELECT count(*) FROM transition WHERE project_id = ?1"
		   " AND (?2 IS NULL OR kind = ?2)",
	    .types = "is",
	    .doing = "read",
	    .fn = sd_first_i64,
	    .ctx = n,
	};

	*n = 0;
	return sd_run(s, &st, project, kind);
}

/* ---- criteria ---- */

const struct ap_error *
store_criterion_add(struct store *s, int64_t project, const char *stage,
		    const char *text, int64_t *id)
{
	const struct ap_error *err;
	/* max + 1 is race-free: writers hold the store's lock */
	struct sd_stmt next = {
	    .sql = "SELECT coalesce(max(id), 0) + 1 FROM criterion"
		   " WHERE project_id = ?1",
	    .types = "i",
	    .doing = "read",
	    .fn = sd_first_i64,
	    .ctx = id,
	};
	struct sd_stmt add = {
	    .sql = "INSERT INTO criterion (project_id, id, stage, text)"
		   " VALUES (?1, ?2, ?3, ?4)",
	    .types = "iiss",
	    .doing = "add the criterion",
	};

	*id = 1;
	if ((err = sd_run(s, &next, project)))
		return err;
	return sd_run(s, &add, project, *id, stage, text);
}

const struct ap_error *
criterion_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_criterion c = {
	    .id = sd_i64(r, 0),
	    .stage = sd_text(r, 1),
	    .text = sd_text(r, 2),
	    .done = sd_int(r, 3),
	    .done_by = sd_text(r, 4),
	    .done_at = sd_text(r, 5),
	    .note = sd_text(r, 6),
	};

	return x->fn.criterion(x->arg, &c);
}

const struct ap_error *
store_criteria(struct store *s, int64_t project, const char *stage,
	       store_criterion_fn fn, void *arg)
{
	struct sd_list x = {.fn.criterion = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT id, stage, text, done, done_by, done_at, note"
		   " FROM criterion WHERE project_id = ?1"
		   " AND (?2 IS NULL OR stage = ?2) ORDER BY id",
	    .types = "is",
	    .doing = "read the criteria",
	    .fn = criterion_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project, stage);
}

struct criterion_ctx {
	char *stage;
	int done, found;
};

static const struct ap_error *
criterion_one(void *ctx, const struct sd_row *r)
{
	struct criterion_ctx *x = ctx;

	x->found = 1;
	x->done = sd_int(r, 1);
	return (x->stage = col_dup(r, 0)) ? NULL : ap_error_nomem();
}

const struct ap_error *
store_criterion_get(struct store *s, int64_t project, int64_t id, char **stage,
		    int *done)
{
	const struct ap_error *err;
	struct criterion_ctx x = {0};
	struct sd_stmt st = {
	    .sql = "SELECT stage, done FROM criterion"
		   " WHERE project_id = ?1 AND id = ?2",
	    .types = "ii",
	    .doing = "read",
	    .fn = criterion_one,
	    .ctx = &x,
	};

	*stage = NULL;
	if ((err = sd_run(s, &st, project, id))) {
		free(x.stage);
		return err;
	}
	if (!x.found)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no criterion %lld",
				    (long long)id);
	*stage = x.stage;
	*done = x.done;
	return NULL;
}

const struct ap_error *
store_criterion_set(struct store *s, int64_t project, int64_t id, int done,
		    const char *actor, const char *note, const char *at)
{
	struct sd_stmt st = {
	    .sql = "UPDATE criterion SET done = ?1, done_by = ?2,"
		   " done_at = ?3, note = ?4 WHERE project_id = ?5 AND id = ?6",
	    .types = "isssii",
	    .doing = "update the criterion",
	};

	return sd_run(s, &st, (int64_t)done, done ? actor : NULL,
		      done ? at : NULL, done ? note : NULL, project, id);
}

const struct ap_error *
store_criteria_reopen(struct store *s, int64_t project,
		      const char *const *stages, size_t n)
{
	const struct ap_error *err;

	for (size_t i = 0; i < n; i++) {
		struct sd_stmt st = {
		    .sql = "UPDATE criterion SET done = 0, done_by = NULL,"
			   " done_at = NULL, note = NULL"
			   " WHERE project_id = ?1 AND stage = ?2"
			   " AND done <> 0",
		    .types = "is",
		    .doing = "reopen the criteria",
		};
		if ((err = sd_run(s, &st, project, stages[i])))
			return err;
	}
	return NULL;
}

/* ---- assignments ---- */

const struct ap_error *
store_assign_as(struct store *s, int64_t project, const char *role,
		const char *canon, const char *title, const char *assigned_name,
		const char *at)
{
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO assignment (project_id, role, person,"                    \
	" assigned_at, title, assigned_name" fc ") VALUES (?1, ?2, ?3, ?4,"    \
	" ?5, ?6" fv ") ON CONFLICT DO NOTHING"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?7") : INS("", ""),
	    .types = feed ? "isssssi" : "isssss",
	    .doing = "assign the role",
	    .flags = SD_DEFER,
	    .none_code = AP_EXIT_CONFLICT,
	    .none_fmt = "'%s' is already assigned as %s",
	    .none_a = canon,
	    .none_b = role,
	};

#undef INS
	return sd_run(s, &st, project, role, canon, at, title, assigned_name,
		      feed);
}

const struct ap_error *
store_assign(struct store *s, int64_t project, const char *role,
	     const char *person, const char *title, const char *at)
{
	const struct ap_error *err;
	char *canon;

	/* the person, made when new: the assignment holds their name as
	 * first written */
	if ((err = store_person_ensure(s, person, at, &canon)))
		return err;
	err = store_assign_as(s, project, role, canon, title, NULL, at);
	free(canon);
	return err;
}

const struct ap_error *
store_unassign(struct store *s, int64_t project, const char *role,
	       const char *person)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "DELETE FROM assignment WHERE project_id = ?1 AND"
		   " role = ?2 AND person = ?3",
	    .types = "iss",
	    .doing = "unassign the role",
	};

	if ((err = sd_run(s, &st, project, role, person)))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND,
				    "'%s' is not assigned as %s", person, role);
	return NULL;
}

const struct ap_error *
assignment_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_assignment a = {
	    .role = sd_text(r, 0),
	    .person = sd_text(r, 1),
	    .assigned_at = sd_text(r, 2),
	    .title = sd_text(r, 3),
	    .assigned_name = sd_text(r, 4),
	};

	return x->fn.assignment(x->arg, &a);
}

const struct ap_error *
store_assignments(struct store *s, int64_t project, store_assignment_fn fn,
		  void *arg)
{
	struct sd_list x = {.fn.assignment = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql =
		"SELECT role, person, assigned_at, title, assigned_name"
		" FROM assignment WHERE project_id = ?1 ORDER BY role, person",
	    .types = "i",
	    .doing = "read the assignments",
	    .fn = assignment_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- import ---- */

const struct ap_error *
store_projects_none(struct store *s, int *none)
{
	int64_t n = 0;
	struct sd_stmt st = {
	    .sql = "SELECT count(*) FROM (SELECT 1 FROM project LIMIT 1) t",
	    .types = "",
	    .doing = "read the projects",
	    .fn = sd_first_i64,
	    .ctx = &n,
	};
	const struct ap_error *err = sd_run(s, &st);

	*none = !err && n == 0;
	return err;
}

const struct ap_error *
store_project_import(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	int64_t id = 0, feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO project (name, description, status,"                      \
	" status_reason, outcome, stage, epoch, entered_at,"                   \
	" created_at, status_at" fc ")"                                        \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10" fv ")"              \
	" ON CONFLICT DO NOTHING RETURNING id"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?11") : INS("", ""),
	    .types = feed ? "ssssssisssi" : "ssssssisss",
	    .doing = "import the project",
	    .flags = SD_NEXT_ID,
	    .fn = sd_first_i64,
	    .ctx = &id,
	    .none_code = AP_EXIT_CONFLICT,
	    .none_fmt = "project '%s' already exists",
	    .none_a = p->name,
	};
#undef INS

	if ((err = sd_run(s, &st, p->name, p->description,
			  proj_status_name(p->status), p->status_reason,
			  p->outcome, p->stage, p->epoch, p->entered_at,
			  p->created_at, p->status_at, feed)))
		return err;
	if (id == 0)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	p->id = id;
	return NULL;
}

const struct ap_error *
store_criterion_import(struct store *s, int64_t project,
		       const struct store_criterion *c)
{
	/* a criterion is in the feed once ticked */
	int64_t feed = c->done ? sd_feed_next(s) : 0;
#define INS(fc, fv)                                                            \
	"INSERT INTO criterion (project_id, id, stage, text, done,"            \
	" done_by, done_at, note" fc ")"                                       \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?9") : INS("", ""),
	    .types = feed ? "iississsi" : "iississs",
	    .doing = "import the criterion",
	    .flags = SD_DEFER,
	};
#undef INS

	return sd_run(s, &st, project, c->id, c->stage, c->text,
		      (int64_t)c->done, c->done_by, c->done_at, c->note, feed);
}
