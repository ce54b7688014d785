/*
 * test_store.c - unit tests of the store through store.h only: one list
 * (STORE_TESTS), each test on an in-memory SQLite store with the real,
 * embedded migrations, and a few file stores in a temporary directory for
 * what only files can show.  This file does not include <sqlite3.h>;
 * foreign databases are written with the sqlite3 shell, and those tests
 * skip when it is missing.
 *
 * With $AIPROJ_PG_URL set (a PostgreSQL role that may CREATE DATABASE, as
 * tests/pg/cluster.sh prints) the same list runs again on store_pg.c: each
 * test on a new, empty database, made and dropped with psql.  `make
 * check-pg` does this.
 */
#include <sys/stat.h>
#include <unistd.h>

#include "aiproj/chain.h"
#include "aiproj/embedded.h"
#include "aiproj/store.h"
#include "aiproj/util.h"
#include "testutil.h"

#define T0 "2026-01-01T00:00:00.000Z"
#define T1 "2026-01-02T00:00:00.000Z"
#define T2 "2026-01-03T00:00:00.000Z"
#define T3 "2026-01-04T00:00:00.000Z"

/* ---- helpers ---- */

/* Each test gets a fresh in-memory store and an output buffer that the
 * list callbacks append to; teardown releases both even after a failure. */
struct fx {
	struct store *s;
	struct sbuf out;
	int calls;
};

static int
setup_mem(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	const struct ap_error *err;

	if (!fx)
		return -1;
	if ((err = store_open_scratch(&fx->s))) {
		fprintf(stderr, "store_open: %s\n", err->msg);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

/* ---- the same tests on a PostgreSQL store ---- */

/* Run psql as the admin role with one SQL command on the test's database
 * (aiproj_unit_PID); 0 when it worked. */
static int
admin_sql(const char *what)
{
	const char *url = getenv("AIPROJ_PG_URL");
	char cmd[1024];

	if (!url || strchr(url, '\'') ||
	    snprintf(cmd, sizeof(cmd),
		     "PGOPTIONS='-c client_min_messages=warning' psql -X -q"
		     " -v ON_ERROR_STOP=1 '%s' -c '%s aiproj_unit_%ld'"
		     " >/dev/null",
		     url, what, (long)getpid()) >= (int)sizeof(cmd))
		return -1;
	return system(cmd) == 0 ? 0 : -1;
}

static int
setup_pg(void **state)
{
	const char *url = getenv("AIPROJ_PG_URL");
	const char *slash = url ? strrchr(url, '/') : NULL;
	struct fx *fx;
	const struct ap_error *err;
	char dburl[1024];

	if (!slash || admin_sql("DROP DATABASE IF EXISTS") ||
	    admin_sql("CREATE DATABASE"))
		return -1;
	snprintf(dburl, sizeof(dburl), "%.*s/aiproj_unit_%ld",
		 (int)(slash - url), url, (long)getpid());
	if (!(fx = calloc(1, sizeof(*fx))))
		return -1;
	if ((err = store_open(dburl, 1000, STORE_CREATE, &fx->s))) {
		fprintf(stderr, "store_open: %s\n", err->msg);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int
teardown_mem(void **state)
{
	struct fx *fx = *state;

	store_close(fx->s);
	sbuf_free(&fx->out);
	free(fx);
	return 0;
}

static int
teardown_pg(void **state)
{
	teardown_mem(state);
	return admin_sql("DROP DATABASE IF EXISTS");
}

static const char *
out(struct fx *fx)
{
	return fx->out.s ? fx->out.s : "";
}

static void
out_reset(struct fx *fx)
{
	sbuf_free(&fx->out);
	fx->calls = 0;
}

static const char *
nz(const char *s)
{
	return s ? s : "(null)";
}

static int64_t
mkproj(struct store *s, const char *name, const char *stage)
{
	struct store_project p = {0};

	p.name = (char *)name;
	p.description = (char *)"about it";
	p.stage = (char *)stage;
	p.entered_at = (char *)T0;
	p.created_at = (char *)T0;
	check_err(store_project_create(s, &p), 0, NULL, name);
	assert_true(p.id > 0);
	return p.id;
}

/* ---- callbacks: each appends one line to fx->out ---- */

static const struct ap_error *
cb_project(void *arg, const struct store_project *p)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s\n", p->name, p->stage,
		    proj_status_name(p->status));
	return NULL;
}

static const struct ap_error *
cb_project_stop(void *arg, const struct store_project *p)
{
	struct fx *fx = arg;

	fx->calls++;
	return ap_error_fmt(AP_EXIT_FALSE, "stop at %s", p->name);
}

static const struct ap_error *
cb_transition(void *arg, const struct store_transition *t)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s>%s|%s|%s|%s|%s\n", t->from, t->to, t->kind,
		    t->actor, nz(t->reason), t->at);
	return NULL;
}

static const struct ap_error *
cb_criterion(void *arg, const struct store_criterion *c)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%lld|%s|%s|%d|%s|%s|%s\n", (long long)c->id,
		    c->stage, c->text, c->done, nz(c->done_by), nz(c->done_at),
		    nz(c->note));
	return NULL;
}

static const struct ap_error *
cb_assignment(void *arg, const struct store_assignment *a)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s%s%s\n", a->role, a->person,
		    a->assigned_at, a->assigned_name ? "|as " : "",
		    a->assigned_name ? a->assigned_name : "");
	return NULL;
}

static const struct ap_error *
cb_decision(void *arg, const struct store_decision *d)
{
	struct fx *fx = arg;

	fx->calls++;
	if (d->has_cost)
		sbuf_printf(&fx->out, "%s|cost=%.2f|%s|%s|%s\n",
			    decision_kind_name(d->kind), d->cost, d->reason,
			    d->actor, d->at);
	else
		sbuf_printf(&fx->out, "%s|nocost|%s|%s|%s\n",
			    decision_kind_name(d->kind), d->reason, d->actor,
			    d->at);
	return NULL;
}

static const struct ap_error *
cb_kpi(void *arg, const struct store_kpi *k)
{
	struct fx *fx = arg;

	fx->calls++;
	if (k->has_reading)
		sbuf_printf(&fx->out, "%s|%s|%g|%s|%g|%s|%s\n", k->name, k->op,
			    k->target, k->created_at, k->value, k->read_at,
			    k->read_by);
	else
		sbuf_printf(&fx->out, "%s|%s|%g|%s|-\n", k->name, k->op,
			    k->target, k->created_at);
	return NULL;
}

static const struct ap_error *
cb_component(void *arg, const struct store_component *c)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s\n", c->name, c->owner, c->description);
	return NULL;
}

static const struct ap_error *
cb_audit(void *arg, const struct store_audit *a)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s|%s|%s\n", a->at, a->actor, a->action,
		    a->project, a->stage, a->detail);
	return NULL;
}

static const struct ap_error *
cb_roles(void *arg, const struct store_roles_row *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s|%s|%s|%s\n", r->project,
		    proj_status_name(r->status), r->stage, nz(r->kind),
		    nz(r->role), nz(r->name), nz(r->description));
	return NULL;
}

static const struct ap_error *
cb_status(void *arg, const struct store_status_row *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s|%s|%d/%d|%s|%d|%d|%d|%d\n",
		    r->project, proj_status_name(r->status), r->stage,
		    r->entered_at, r->status_at, r->manual_done,
		    r->manual_total,
		    r->decision ? decision_kind_name(r->decision) : nz(NULL),
		    r->has_cost, r->kpis, r->approvals, r->back_jumps);
	return NULL;
}

static const struct ap_error *
cb_people(void *arg, const struct store_people_row *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s|%s|%d\n", r->person, r->project,
		    proj_status_name(r->status), r->stage, r->role, r->holders);
	return NULL;
}

/* ---- open, meta ---- */

static void
test_open_memory(void **state)
{
	struct fx *fx = *state;
	char *val = NULL;

	assert_string_equal(store_path(fx->s), ":memory:");
	assert_true(store_created(fx->s));
	/* a new store carries the default lifecycle and the open policy */
	OK(store_meta_get(fx->s, "lifecycle", &val));
	assert_non_null(val);
	assert_string_equal(val, lifecycle_default_yaml);
	free(val);
	OK(store_meta_get(fx->s, "policy", &val));
	assert_string_equal(val, "open");
	free(val);
	val = (char *)"sentinel";
	OK(store_meta_get(fx->s, "no-such-key", &val));
	assert_null(val);
	assert_int_equal(STORE_SCHEMA_VERSION, store_nmigrations);
}

static void
test_meta_set_get(void **state)
{
	struct fx *fx = *state;
	char *val = NULL;

	OK(store_meta_set(fx->s, "colour", "blue"));
	OK(store_meta_get(fx->s, "colour", &val));
	assert_string_equal(val, "blue");
	free(val);
	OK(store_meta_set(fx->s, "colour", "green \xe2\x82\xac"));
	OK(store_meta_get(fx->s, "colour", &val));
	assert_string_equal(val, "green \xe2\x82\xac");
	free(val);
	OK(store_meta_set(fx->s, "policy", "roles"));
	OK(store_meta_get(fx->s, "policy", &val));
	assert_string_equal(val, "roles");
	free(val);
	OK(store_meta_set(fx->s, "empty", ""));
	OK(store_meta_get(fx->s, "empty", &val));
	assert_string_equal(val, "");
	free(val);
}

/* ---- projects ---- */

static void
test_project_create_get(void **state)
{
	struct fx *fx = *state;
	struct store_project p = {0}, q;
	int64_t id;

	p.name = (char *)"churn";
	p.description = NULL; /* stored as "" */
	p.stage = (char *)"feasibility";
	p.entered_at = (char *)T1;
	p.created_at = (char *)T0;
	OK(store_project_create(fx->s, &p));
	id = p.id;
	assert_true(id > 0);

	OK(store_project_get(fx->s, "churn", &q));
	assert_int_equal(q.id, id);
	assert_string_equal(q.name, "churn");
	assert_string_equal(q.description, "");
	assert_int_equal(q.status, PS_ACTIVE);
	assert_null(q.status_reason);
	assert_null(q.outcome);
	assert_string_equal(q.stage, "feasibility");
	assert_int_equal(q.epoch, 0);
	assert_string_equal(q.entered_at, T1);
	assert_string_equal(q.created_at, T0);
	/* the status has not changed since the project was created */
	assert_string_equal(q.status_at, T0);
	store_project_clear(&q);
	assert_null(q.name);
	assert_null(q.status_at);

	/* the same name again: conflict, and nothing changed */
	p.stage = (char *)"deployment";
	p.id = 0;
	check_err(store_project_create(fx->s, &p), AP_EXIT_CONFLICT,
		  "project 'churn' already exists", "duplicate");
	OK(store_project_get(fx->s, "churn", &q));
	assert_string_equal(q.stage, "feasibility");
	assert_int_equal(q.id, id);
	store_project_clear(&q);

	/* names are case-sensitive */
	assert_true(mkproj(fx->s, "Churn", "feasibility") != id);

	check_err(store_project_get(fx->s, "nope", &q), AP_EXIT_NOTFOUND,
		  "no project 'nope'", "unknown");
	assert_null(q.name);
	check_err(store_project_get(fx->s, "bad\nname", &q), AP_EXIT_NOTFOUND,
		  "no project 'bad?name'", "unknown, shown safely");
}

static void
test_project_list(void **state)
{
	struct fx *fx = *state;
	int64_t g;

	/* created out of order: listed by name */
	mkproj(fx->s, "gamma", "feasibility");
	mkproj(fx->s, "beta", "data-preparation");
	mkproj(fx->s, "alpha", "feasibility");
	g = mkproj(fx->s, "delta", "feasibility");
	OK(store_project_set_status(fx->s, g, PS_CLOSED, "cancelled", NULL,
				    T3));

	OK(store_project_list(fx->s, NULL, 0, cb_project, fx));
	assert_string_equal(out(fx), "alpha|feasibility|active\n"
				     "beta|data-preparation|active\n"
				     "gamma|feasibility|active\n");
	out_reset(fx);
	OK(store_project_list(fx->s, NULL, 1, cb_project, fx));
	assert_string_equal(out(fx), "alpha|feasibility|active\n"
				     "beta|data-preparation|active\n"
				     "delta|feasibility|closed\n"
				     "gamma|feasibility|active\n");
	out_reset(fx);
	OK(store_project_list(fx->s, "feasibility", 0, cb_project, fx));
	assert_string_equal(out(fx), "alpha|feasibility|active\n"
				     "gamma|feasibility|active\n");
	out_reset(fx);
	OK(store_project_list(fx->s, "feasibility", 1, cb_project, fx));
	assert_int_equal(fx->calls, 3);
	out_reset(fx);
	OK(store_project_list(fx->s, "deployment", 1, cb_project, fx));
	assert_int_equal(fx->calls, 0);
	/* on-hold projects are listed without `all` */
	OK(store_project_set_status(fx->s, g, PS_ON_HOLD, "waiting", NULL, T3));
	out_reset(fx);
	OK(store_project_list(fx->s, NULL, 0, cb_project, fx));
	assert_int_equal(fx->calls, 4);
	/* a callback's error stops the listing and is returned */
	out_reset(fx);
	check_err(store_project_list(fx->s, NULL, 1, cb_project_stop, fx),
		  AP_EXIT_FALSE, "stop at alpha", "callback error");
	assert_int_equal(fx->calls, 1);
	/* and the statement is usable again afterwards */
	out_reset(fx);
	OK(store_project_list(fx->s, NULL, 1, cb_project, fx));
	assert_int_equal(fx->calls, 4);
}

static void
test_project_rename(void **state)
{
	struct fx *fx = *state;
	struct store_project q;
	int64_t a, b;

	a = mkproj(fx->s, "old", "feasibility");
	b = mkproj(fx->s, "taken", "feasibility");
	OK(store_criterion_add(fx->s, a, "feasibility", "kept", &(int64_t){0}));
	OK(store_project_rename(fx->s, a, "new"));
	check_err(store_project_get(fx->s, "old", &q), AP_EXIT_NOTFOUND, NULL,
		  "old name");
	OK(store_project_get(fx->s, "new", &q));
	assert_int_equal(q.id, a);
	store_project_clear(&q);
	/* the project's data follows it: it is keyed by id */
	OK(store_criteria(fx->s, a, NULL, cb_criterion, fx));
	assert_int_equal(fx->calls, 1);

	check_err(store_project_rename(fx->s, a, "taken"), AP_EXIT_CONFLICT,
		  "project 'taken' already exists", "rename onto another");
	OK(store_project_get(fx->s, "taken", &q));
	assert_int_equal(q.id, b);
	store_project_clear(&q);
	OK(store_project_get(fx->s, "new", &q));
	assert_int_equal(q.id, a);
	store_project_clear(&q);
}

static void
test_project_set_status(void **state)
{
	struct fx *fx = *state;
	struct store_project q;
	int64_t id = mkproj(fx->s, "p", "feasibility");

	OK(store_project_get(fx->s, "p", &q));
	assert_string_equal(q.status_at, T0);
	store_project_clear(&q);

	OK(store_project_set_status(fx->s, id, PS_ON_HOLD, "waiting for data",
				    NULL, T1));
	OK(store_project_get(fx->s, "p", &q));
	assert_int_equal(q.status, PS_ON_HOLD);
	assert_string_equal(q.status_reason, "waiting for data");
	assert_null(q.outcome);
	assert_string_equal(q.status_at, T1);
	store_project_clear(&q);

	OK(store_project_set_status(fx->s, id, PS_ACTIVE, NULL, NULL, T2));
	OK(store_project_get(fx->s, "p", &q));
	assert_int_equal(q.status, PS_ACTIVE);
	assert_null(q.status_reason);
	assert_string_equal(q.status_at, T2);
	store_project_clear(&q);

	OK(store_project_set_status(fx->s, id, PS_CLOSED, "bought a product",
				    "bought", T3));
	OK(store_project_get(fx->s, "p", &q));
	assert_int_equal(q.status, PS_CLOSED);
	assert_string_equal(q.status_reason, "bought a product");
	assert_string_equal(q.outcome, "bought");
	assert_string_equal(q.status_at, T3);
	store_project_clear(&q);

	/* the schema refuses a status it does not know; nothing changes */
	assert_non_null(store_project_set_status(fx->s, id, (enum proj_status)7,
						 "x", NULL, T0));
	OK(store_project_get(fx->s, "p", &q));
	assert_int_equal(q.status, PS_CLOSED);
	assert_string_equal(q.status_at, T3);
	store_project_clear(&q);
}

static void
test_project_move_epoch(void **state)
{
	struct fx *fx = *state;
	struct store_project q;
	int64_t id = mkproj(fx->s, "p", "feasibility");
	int64_t other = mkproj(fx->s, "other", "feasibility");

	OK(store_project_move(fx->s, id, "data-preparation", T1));
	OK(store_project_get(fx->s, "p", &q));
	assert_string_equal(q.stage, "data-preparation");
	assert_string_equal(q.entered_at, T1);
	assert_int_equal(q.epoch, 1);
	store_project_clear(&q);
	/* moving back is a move too */
	OK(store_project_move(fx->s, id, "feasibility", T2));
	OK(store_project_get(fx->s, "p", &q));
	assert_string_equal(q.stage, "feasibility");
	assert_string_equal(q.entered_at, T2);
	assert_int_equal(q.epoch, 2);
	store_project_clear(&q);
	/* another project is not touched */
	OK(store_project_get(fx->s, "other", &q));
	assert_int_equal(q.id, other);
	assert_int_equal(q.epoch, 0);
	assert_string_equal(q.entered_at, T0);
	store_project_clear(&q);
}

/* A project with something in every table. */
static int64_t
populate(struct fx *fx, const char *name)
{
	int64_t id = mkproj(fx->s, name, "feasibility"), cid;
	struct store_transition t = {
	    id, "feasibility", "data-preparation", "advance", "ann", NULL,
	    T1, NULL};
	struct store_decision d = {id, DK_MAKE, 1, 100, "why", "ann", T1};
	struct store_approval a = {id, "feasibility", 0, "ann", "sponsor", NULL,
				   T1, NULL,          0};

	OK(store_criterion_add(fx->s, id, "feasibility", "c1", &cid));
	OK(store_assign(fx->s, id, "sponsor", "ann", NULL, T0));
	OK(store_transition_add(fx->s, &t));
	OK(store_decision_add(fx->s, &d));
	OK(store_kpi_add(fx->s, id, "accuracy", ">=", 0.8, T0));
	OK(store_kpi_record(fx->s, id, "accuracy", 0.9, "ann", T1));
	OK(store_approval_add(fx->s, &a));
	OK(store_component_add(fx->s, id, "model", "data-scientist", NULL,
			       "m"));
	return id;
}

static void
check_counts(struct fx *fx, int64_t id, int want)
{
	int64_t n = -1;
	int approvals = -1;

	out_reset(fx);
	OK(store_criteria(fx->s, id, NULL, cb_criterion, fx));
	OK(store_assignments(fx->s, id, cb_assignment, fx));
	OK(store_decision_latest(fx->s, id, cb_decision, fx));
	OK(store_kpis(fx->s, id, cb_kpi, fx));
	OK(store_components(fx->s, id, cb_component, fx));
	OK(store_transitions(fx->s, id, cb_transition, fx));
	if (fx->calls != 6 * want)
		fail_msg("project %lld: %d rows, want %d:\n%s", (long long)id,
			 fx->calls, 6 * want, out(fx));
	OK(store_transition_count(fx->s, id, NULL, &n));
	assert_int_equal(n, want);
	OK(store_approval_count(fx->s, id, "feasibility", 0, "", &approvals,
				NULL));
	assert_int_equal(approvals, want);
}

static const struct ap_error *
cb_copied(void *arg, const char *table, int64_t rows)
{
	struct fx *fx = arg;

	sbuf_printf(&fx->out, "%s=%lld ", table, (long long)rows);
	return NULL;
}

static const struct ap_error *
cb_hash(void *arg, const struct store_transition *t)
{
	struct fx *fx = arg;

	sbuf_printf(&fx->out, "%s ", t->hash ? t->hash : "-");
	return NULL;
}

/* store_copy(): a store with a project into the store under test, and
 * that into a third; every row comes, ids and hashes too; a store that
 * holds anything, and the store itself, are refused. */
static void
test_copy(void **state)
{
	struct fx *fx = *state, src = {0}, dst = {0};
	struct store_project p;
	int64_t id;

	OK(store_open_scratch(&src.s));
	OK(store_open_scratch(&dst.s));
	OK(store_begin(src.s, 1));
	id = populate(&src, "copied");
	OK(store_commit(src.s));

	OK(store_copy(src.s, fx->s, cb_copied, fx));
	OK(store_commit(fx->s));
	store_rollback(src.s);
	assert_non_null(strstr(out(fx), "project=1 "));
	assert_non_null(strstr(out(fx), "transition=1 "));
	assert_non_null(strstr(out(fx), "kpi_reading=1 "));
	OK(store_project_get(fx->s, "copied", &p));
	assert_int_equal(p.id, id);
	store_project_clear(&p);
	{
		struct fx view = {fx->s, {0}, 0};
		check_counts(&view, id, 1);
		sbuf_free(&view.out);
	}

	/* the copy into a third store: the same hash on its history */
	OK(store_copy(fx->s, dst.s, NULL, NULL));
	OK(store_commit(dst.s));
	store_rollback(fx->s);
	OK(store_transitions(src.s, id, cb_hash, &src));
	OK(store_transitions(dst.s, id, cb_hash, &dst));
	assert_true(src.out.len > 60);
	assert_string_equal(src.out.s, dst.out.s);

	/* a store that holds a project, the store itself: refused */
	check_err(store_copy(src.s, dst.s, NULL, NULL), AP_EXIT_REFUSED,
		  "it holds 1 project;", "not empty");
	store_rollback(src.s);
	store_rollback(dst.s);
	check_err(store_copy(fx->s, fx->s, NULL, NULL), AP_EXIT_USAGE,
		  "into itself", "itself");
	store_rollback(fx->s);
	store_close(src.s);
	store_close(dst.s);
	sbuf_free(&src.out);
	sbuf_free(&dst.out);
}

static void
test_project_delete_cascades(void **state)
{
	struct fx *fx = *state;
	struct store_project q;
	int64_t a = populate(fx, "doomed"), b = populate(fx, "kept");

	check_counts(fx, a, 1);
	OK(store_project_delete(fx->s, a));
	check_err(store_project_get(fx->s, "doomed", &q), AP_EXIT_NOTFOUND,
		  "no project 'doomed'", "deleted");
	check_counts(fx, a, 0);
	check_counts(fx, b, 1);
	/* the name is free again, and the new project starts empty */
	a = mkproj(fx->s, "doomed", "feasibility");
	check_counts(fx, a, 0);
}

/* ---- history ---- */


static const struct ap_error *
cb_log(void *arg, const struct store_log_row *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s %s %s %s %s %s %s", r->at, r->project,
		    r->kind, nz(r->actor), nz(r->subject), nz(r->detail),
		    nz(r->note));
	if (r->has_num)
		sbuf_printf(&fx->out, " %g", r->num);
	sbuf_printf(&fx->out, "\n");
	return NULL;
}

static const struct ap_error *
cb_event(void *arg, const struct store_event *e)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s|%s|%s\n", e->kind, nz(e->subject),
		    nz(e->detail), nz(e->note), e->actor, e->at);
	return NULL;
}

static const struct ap_error *
cb_feed(void *arg, const struct store_log_row *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%lld %s %s %s\n", (long long)r->id, r->project,
		    r->kind, nz(r->subject));
	return NULL;
}

/* The event feed: every event of the log with an id, in id order, after
 * an id, of chosen projects; a tick again is a new event. */
static void
test_feed(void **state)
{
	struct fx *fx = *state;
	int64_t p = populate(fx, "p"), q;
	struct store_event note = {"note", NULL, NULL, "hello", "cy", T2};
	struct store_feed_query all = {0}, after = {.after = 8},
				named = {.names = ",q,"}, two = {.limit = 2};
	struct store_filter ann = {.status = 7u, .person = "ANN"};
	struct store_feed_query staffed = {.filter = &ann};
	int changed = -1, n;

	OK(store_criterion_set(fx->s, p, 1, 1, "ann", NULL, T1));
	q = mkproj(fx->s, "q", "feasibility");
	OK(store_event_add(fx->s, q, &note));
	/* written in this order: ids 1, 2, ... whatever the times */
	OK(store_feed(fx->s, &all, cb_feed, fx));
	assert_string_equal(out(fx), "1 p created feasibility\n"
				     "2 p assign sponsor\n"
				     "3 p advance feasibility\n"
				     "4 p decide make\n"
				     "5 p kpi accuracy\n"
				     "6 p reading accuracy\n"
				     "7 p approve feasibility\n"
				     "8 p tick 1\n"
				     "9 q created feasibility\n"
				     "10 q note (null)\n");
	n = fx->calls;
	out_reset(fx);
	OK(store_log(fx->s, NULL, NULL, NULL, cb_log, fx));
	assert_int_equal(fx->calls, n); /* the log's events, each once */
	out_reset(fx);
	OK(store_feed(fx->s, &after, cb_feed, fx));
	assert_string_equal(out(fx), "9 q created feasibility\n"
				     "10 q note (null)\n");
	out_reset(fx);
	OK(store_feed(fx->s, &named, cb_feed, fx));
	assert_int_equal(fx->calls, 2);
	out_reset(fx);
	OK(store_feed(fx->s, &two, cb_feed, fx));
	assert_string_equal(out(fx), "1 p created feasibility\n"
				     "2 p assign sponsor\n");
	out_reset(fx);
	/* only p has someone called ann */
	OK(store_feed(fx->s, &staffed, cb_feed, fx));
	assert_int_equal(fx->calls, 8);
	out_reset(fx);
	/* ticked again (another time): a new event; untouched rows keep
	 * theirs; an id is not given again when events go */
	OK(store_criterion_set(fx->s, p, 1, 0, NULL, NULL, T2));
	OK(store_criterion_set(fx->s, p, 1, 1, "bob", NULL, T3));
	OK(store_project_delete(fx->s, q));
	q = mkproj(fx->s, "q2", "feasibility");
	OK(store_feed(fx->s, &after, cb_feed, fx));
	assert_string_equal(out(fx), "11 p tick 1\n"
				     "12 q2 created feasibility\n");
	/* nobody else writes: a wait sees no change */
	OK(store_watch(fx->s));
	OK(store_wait(fx->s, 0, &changed));
	assert_int_equal(changed, 0);
}

/* An import's writes (store_feed_bulk(), SQLite): the connection's
 * triggers are off meanwhile and on again after (after a rollback too),
 * and the statements cached meanwhile are prepared again.  A tick, an
 * update whose feed id only its trigger gives, has none with the triggers
 * off; the same statement after has the next one.  A commit with them off
 * is refused, nothing of it kept. */
static void
test_feed_bulk_triggers(void **state)
{
	struct fx *fx = *state;
	struct store_feed_query all = {0};
	struct store_project q;
	int64_t p, cid;

	OK(store_begin(fx->s, 1));
	p = mkproj(fx->s, "p", "feasibility");
	for (int i = 0; i < 4; i++)
		OK(store_criterion_add(fx->s, p, "feasibility", "c", &cid));
	OK(store_feed_bulk(fx->s, 1));
	OK(store_criterion_set(fx->s, p, 1, 1, "ann", NULL, T1));
	OK(store_feed_bulk(fx->s, 0));
	OK(store_criterion_set(fx->s, p, 2, 1, "ann", NULL, T1));
	OK(store_commit(fx->s));
	OK(store_feed(fx->s, &all, cb_feed, fx));
	assert_string_equal(out(fx), "1 p created feasibility\n"
				     "2 p tick 2\n");
	out_reset(fx);
	/* rolled back with the triggers off: on again */
	OK(store_begin(fx->s, 1));
	OK(store_feed_bulk(fx->s, 1));
	OK(store_criterion_set(fx->s, p, 3, 1, "ann", NULL, T1));
	store_rollback(fx->s);
	OK(store_begin(fx->s, 1));
	OK(store_criterion_set(fx->s, p, 3, 1, "bob", NULL, T2));
	OK(store_commit(fx->s));
	/* a commit with the triggers off: refused, rolled back, on again */
	OK(store_begin(fx->s, 1));
	OK(store_feed_bulk(fx->s, 1));
	mkproj(fx->s, "lost", "feasibility");
	check_err(store_commit(fx->s), AP_EXIT_STORE, "triggers off",
		  "commit with the triggers off");
	check_err(store_project_get(fx->s, "lost", &q), AP_EXIT_NOTFOUND, NULL,
		  "rolled back");
	OK(store_begin(fx->s, 1));
	OK(store_criterion_set(fx->s, p, 4, 1, "cy", NULL, T3));
	OK(store_commit(fx->s));
	OK(store_feed(fx->s, &all, cb_feed, fx));
	assert_string_equal(out(fx), "1 p created feasibility\n"
				     "2 p tick 2\n"
				     "3 p tick 3\n"
				     "4 p tick 4\n");
}

/* Events, due days and the timeline over every table. */
static void
test_events_log(void **state)
{
	struct fx *fx = *state;
	int64_t id = populate(fx, "p"),
		other = mkproj(fx->s, "q", "feasibility");
	struct store_event due1 = {"due", "feasibility", "2026-02-01",
				   NULL,  "ann",         T2};
	struct store_event due2 = {"due", "feasibility", "2026-03-01",
				   NULL,  "bob",         T3};
	struct store_event note = {"note", NULL, NULL, "hello", "cy", T2};
	struct store_event bad = {"sideways", NULL, NULL, NULL, "cy", T2};
	char *due = NULL;

	OK(store_due_get(fx->s, id, "feasibility", &due));
	assert_null(due);
	OK(store_event_add(fx->s, id, &due1));
	OK(store_event_add(fx->s, id, &due2));
	OK(store_event_add(fx->s, other, &note));
	assert_non_null(store_event_add(fx->s, id, &bad));
	OK(store_due_get(fx->s, id, "feasibility", &due));
	assert_string_equal(due, "2026-03-01");
	free(due);
	OK(store_events(fx->s, id, cb_event, fx));
	assert_string_equal(out(fx),
			    "due|feasibility|2026-02-01|(null)|ann|" T2 "\n"
			    "due|feasibility|2026-03-01|(null)|bob|" T3 "\n");
	out_reset(fx);
	/* the whole portfolio in time order, a day's bounds */
	OK(store_log(fx->s, NULL, "2026-01-02", "2026-01-03T24", cb_log, fx));
	assert_string_equal(out(fx),
			    T1 " p advance ann feasibility data-preparation"
			       " (null)\n" T1
			       " p approve ann feasibility sponsor (null)\n" T1
			       " p decide ann make (null) why 100\n" T1
			       " p reading ann accuracy (null) (null) 0.9\n" T2
			       " p due ann feasibility 2026-02-01 (null)\n" T2
			       " q note cy (null) (null) hello\n");
	out_reset(fx);
	OK(store_log(fx->s, "q", NULL, NULL, cb_log, fx));
	assert_int_equal(fx->calls, 2); /* created, the note */
}

static void
test_transitions(void **state)
{
	struct fx *fx = *state;
	int64_t id = mkproj(fx->s, "p", "feasibility");
	int64_t other = mkproj(fx->s, "q", "feasibility");
	const struct store_transition ts[] = {
	    {id, "feasibility", "data-preparation", "advance", "ann", NULL, T0,
	     NULL},
	    {id, "data-preparation", "prototyping-testing", "forced", "bob",
	     "deadline", T1, NULL},
	    {id, "prototyping-testing", "feasibility", "back", "ann",
	     "wrong data", T2, NULL},
	    {id, "feasibility", "data-preparation", "advance", "cy", NULL, T3,
	     NULL},
	};
	struct store_transition bad = ts[0];
	int64_t n = -1;

	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++)
		OK(store_transition_add(fx->s, &ts[i]));
	OK(store_transitions(fx->s, id, cb_transition, fx));
	assert_string_equal(
	    out(fx),
	    "feasibility>data-preparation|advance|ann|(null)|" T0 "\n"
	    "data-preparation>prototyping-testing|forced|bob|deadline|" T1 "\n"
	    "prototyping-testing>feasibility|back|ann|wrong data|" T2 "\n"
	    "feasibility>data-preparation|advance|cy|(null)|" T3 "\n");
	OK(store_transition_count(fx->s, id, NULL, &n));
	assert_int_equal(n, 4);
	OK(store_transition_count(fx->s, id, "advance", &n));
	assert_int_equal(n, 2);
	OK(store_transition_count(fx->s, id, "back", &n));
	assert_int_equal(n, 1);
	OK(store_transition_count(fx->s, id, "forced", &n));
	assert_int_equal(n, 1);
	OK(store_transition_count(fx->s, other, NULL, &n));
	assert_int_equal(n, 0);
	out_reset(fx);
	OK(store_transitions(fx->s, other, cb_transition, fx));
	assert_int_equal(fx->calls, 0);

	/* a kind the schema does not know is refused */
	bad.kind = "sideways";
	assert_non_null(store_transition_add(fx->s, &bad));
	OK(store_transition_count(fx->s, id, NULL, &n));
	assert_int_equal(n, 4);
}

static void
test_stage_entry_epoch(void **state)
{
	struct fx *fx = *state;
	int64_t id = mkproj(fx->s, "p", "feasibility");
	int64_t e = -1;
	const struct store_transition ts[] = {
	    {id, "feasibility", "data-preparation", "advance", "a", NULL, T0,
	     NULL},
	    {id, "data-preparation", "prototyping-testing", "advance", "a",
	     NULL, T1, NULL},
	    {id, "prototyping-testing", "data-preparation", "back", "a", "r",
	     T2, NULL},
	};

	OK(store_stage_entry_epoch(fx->s, id, "feasibility", &e));
	assert_int_equal(e, 0);
	for (size_t i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		OK(store_transition_add(fx->s, &ts[i]));
		OK(store_project_move(fx->s, id, ts[i].to, ts[i].at));
	}
	OK(store_stage_entry_epoch(fx->s, id, "data-preparation", &e));
	assert_int_equal(e, 3); /* entered again by the third move */
	OK(store_stage_entry_epoch(fx->s, id, "prototyping-testing", &e));
	assert_int_equal(e, 2);
	OK(store_stage_entry_epoch(fx->s, id, "feasibility", &e));
	assert_int_equal(e, 0);
	OK(store_stage_entry_epoch(fx->s, id, "deployment", &e));
	assert_int_equal(e, 0);
	/* a start (of a stage opened early) is no move: not counted, and not
	 * an entry into its stage */
	{
		const struct store_transition st = {.project_id = id,
						    .from = "data-preparation",
						    .to = "productization",
						    .kind = "start",
						    .actor = "a",
						    .at = T2};
		OK(store_transition_add(fx->s, &st));
	}
	OK(store_stage_entry_epoch(fx->s, id, "productization", &e));
	assert_int_equal(e, 0);
	OK(store_stage_entry_epoch(fx->s, id, "data-preparation", &e));
	assert_int_equal(e, 3);
}

/* ---- criteria ---- */

static void
test_criteria_numbering(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");
	int64_t id = -1;
	char *stage = NULL;
	int done = -1;

	OK(store_criterion_add(fx->s, a, "feasibility", "goals set", &id));
	assert_int_equal(id, 1);
	OK(store_criterion_add(fx->s, a, "data-preparation", "idempotent",
			       &id));
	assert_int_equal(id, 2);
	/* numbered per project: b starts at 1 too */
	OK(store_criterion_add(fx->s, b, "feasibility", "other", &id));
	assert_int_equal(id, 1);
	OK(store_criterion_add(fx->s, a, "feasibility", "what-if reviewed",
			       &id));
	assert_int_equal(id, 3);

	OK(store_criteria(fx->s, a, NULL, cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|feasibility|goals set|0|(null)|(null)|(null)\n"
			    "2|data-preparation|idempotent|0|(null)|(null)|"
			    "(null)\n"
			    "3|feasibility|what-if reviewed|0|(null)|(null)|"
			    "(null)\n");
	out_reset(fx);
	OK(store_criteria(fx->s, a, "feasibility", cb_criterion, fx));
	assert_int_equal(fx->calls, 2);
	assert_contains(out(fx), "1|feasibility|goals set");
	assert_contains(out(fx), "3|feasibility|what-if reviewed");
	out_reset(fx);
	OK(store_criteria(fx->s, b, NULL, cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|feasibility|other|0|(null)|(null)|(null)\n");

	OK(store_criterion_get(fx->s, a, 2, &stage, &done));
	assert_string_equal(stage, "data-preparation");
	assert_int_equal(done, 0);
	free(stage);
	check_err(store_criterion_get(fx->s, a, 99, &stage, &done),
		  AP_EXIT_NOTFOUND, "no criterion 99", "unknown id");
	assert_null(stage);
	/* b has no criterion 2 even though a has */
	check_err(store_criterion_get(fx->s, b, 2, &stage, &done),
		  AP_EXIT_NOTFOUND, "no criterion 2", "other project's id");
	assert_null(stage);
}

static void
test_criteria_set_reopen(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");
	const char *const later[] = {"data-preparation", "deployment"};
	int64_t id;
	char *stage = NULL;
	int done = -1;

	OK(store_criterion_add(fx->s, a, "feasibility", "f", &id));
	OK(store_criterion_add(fx->s, a, "data-preparation", "d", &id));
	OK(store_criterion_add(fx->s, a, "deployment", "x", &id));
	OK(store_criterion_add(fx->s, b, "data-preparation", "b", &id));
	for (int64_t i = 1; i <= 3; i++)
		OK(store_criterion_set(fx->s, a, i, 1, "ann", "checked", T1));
	OK(store_criterion_set(fx->s, b, 1, 1, "bob", NULL, T2));

	OK(store_criterion_get(fx->s, a, 2, &stage, &done));
	assert_int_equal(done, 1);
	free(stage);
	OK(store_criteria(fx->s, a, NULL, cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|feasibility|f|1|ann|" T1 "|checked\n"
			    "2|data-preparation|d|1|ann|" T1 "|checked\n"
			    "3|deployment|x|1|ann|" T1 "|checked\n");

	/* undone: who, when and the note are cleared */
	OK(store_criterion_set(fx->s, a, 1, 0, "ann", "oops", T2));
	out_reset(fx);
	OK(store_criteria(fx->s, a, "feasibility", cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|feasibility|f|0|(null)|(null)|(null)\n");
	OK(store_criterion_set(fx->s, a, 1, 1, "ann", NULL, T2));

	/* reopen the later stages only, of this project only */
	OK(store_criteria_reopen(fx->s, a, later, 2));
	out_reset(fx);
	OK(store_criteria(fx->s, a, NULL, cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|feasibility|f|1|ann|" T2 "|(null)\n"
			    "2|data-preparation|d|0|(null)|(null)|(null)\n"
			    "3|deployment|x|0|(null)|(null)|(null)\n");
	out_reset(fx);
	OK(store_criteria(fx->s, b, NULL, cb_criterion, fx));
	assert_string_equal(out(fx),
			    "1|data-preparation|b|1|bob|" T2 "|(null)\n");
	OK(store_criteria_reopen(fx->s, a, later, 0));
}

/* ---- assignments ---- */

static void
test_assignments(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");

	OK(store_assign(fx->s, a, "sponsor", "zoe", NULL, T0));
	OK(store_assign(fx->s, a, "ai-engineer", "bob", NULL, T1));
	OK(store_assign(fx->s, a, "sponsor", "ann", NULL, T2));
	OK(store_assign(fx->s, b, "sponsor", "zoe", NULL, T0));
	check_err(store_assign(fx->s, a, "sponsor", "zoe", NULL, T3),
		  AP_EXIT_CONFLICT, "'zoe' is already assigned as sponsor",
		  "duplicate");
	/* one person may hold several roles */
	OK(store_assign(fx->s, a, "devops", "zoe", NULL, T3));
	OK(store_assignments(fx->s, a, cb_assignment, fx));
	assert_string_equal(out(fx), "ai-engineer|bob|" T1 "\n"
				     "devops|zoe|" T3 "\n"
				     "sponsor|ann|" T2 "\n"
				     "sponsor|zoe|" T0 "\n");

	OK(store_unassign(fx->s, a, "sponsor", "zoe"));
	check_err(store_unassign(fx->s, a, "sponsor", "zoe"), AP_EXIT_NOTFOUND,
		  "'zoe' is not assigned as sponsor", "unassign twice");
	check_err(store_unassign(fx->s, a, "data-analyst", "ann"),
		  AP_EXIT_NOTFOUND, "is not assigned", "unknown role");
	out_reset(fx);
	OK(store_assignments(fx->s, a, cb_assignment, fx));
	assert_string_equal(out(fx), "ai-engineer|bob|" T1 "\n"
				     "devops|zoe|" T3 "\n"
				     "sponsor|ann|" T2 "\n");
	/* b's assignment is untouched */
	out_reset(fx);
	OK(store_assignments(fx->s, b, cb_assignment, fx));
	assert_string_equal(out(fx), "sponsor|zoe|" T0 "\n");
}

/* ---- decisions ---- */

static void
test_decisions(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");
	struct store_decision d = {a, DK_MAKE, 1, 1234.5, "cheaper", "ann", T0};

	OK(store_decision_latest(fx->s, a, cb_decision, fx));
	assert_int_equal(fx->calls, 0);
	OK(store_decision_add(fx->s, &d));
	OK(store_decision_latest(fx->s, a, cb_decision, fx));
	assert_string_equal(out(fx), "make|cost=1234.50|cheaper|ann|" T0 "\n");

	/* the latest wins; no cost is NULL, not 0 */
	d = (struct store_decision){a, DK_BUY, 0, 999, "vendor", "bob", T1};
	OK(store_decision_add(fx->s, &d));
	out_reset(fx);
	OK(store_decision_latest(fx->s, a, cb_decision, fx));
	assert_string_equal(out(fx), "buy|nocost|vendor|bob|" T1 "\n");

	/* a cost of zero is a cost */
	d = (struct store_decision){a, DK_MAKE, 1, 0, "free", "cy", T2};
	OK(store_decision_add(fx->s, &d));
	out_reset(fx);
	OK(store_decision_latest(fx->s, a, cb_decision, fx));
	assert_string_equal(out(fx), "make|cost=0.00|free|cy|" T2 "\n");
	assert_int_equal(fx->calls, 1);

	/* another project has none */
	out_reset(fx);
	OK(store_decision_latest(fx->s, b, cb_decision, fx));
	assert_int_equal(fx->calls, 0);

	/* an unknown kind is refused by the schema */
	d = (struct store_decision){a, (enum decision_kind)9, 0, 0, "x", "cy",
				    T3};
	assert_non_null(store_decision_add(fx->s, &d));
	out_reset(fx);
	OK(store_decision_latest(fx->s, a, cb_decision, fx));
	assert_string_equal(out(fx), "make|cost=0.00|free|cy|" T2 "\n");
}

/* ---- KPIs ---- */

static void
test_kpis(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");

	OK(store_kpi_add(fx->s, a, "latency-ms", "<", 200, T0));
	OK(store_kpi_add(fx->s, a, "accuracy", ">=", 0.8, T1));
	check_err(store_kpi_add(fx->s, a, "accuracy", ">", 0.9, T2),
		  AP_EXIT_CONFLICT, "KPI 'accuracy' already exists",
		  "duplicate");
	/* the same name on another project is another KPI */
	OK(store_kpi_add(fx->s, b, "accuracy", "==", 1, T0));

	check_err(store_kpi_record(fx->s, a, "recall", 0.5, "ann", T1),
		  AP_EXIT_NOTFOUND, "no KPI 'recall'", "unknown KPI");
	OK(store_kpi_record(fx->s, a, "accuracy", 0.7, "ann", T1));
	OK(store_kpi_record(fx->s, a, "accuracy", 0.85, "bob", T2));
	OK(store_kpi_record(fx->s, b, "accuracy", 0.1, "cy", T3));

	OK(store_kpis(fx->s, a, cb_kpi, fx));
	assert_string_equal(out(fx), "accuracy|>=|0.8|" T1 "|0.85|" T2 "|bob\n"
				     "latency-ms|<|200|" T0 "|-\n");
	out_reset(fx);
	OK(store_kpis(fx->s, b, cb_kpi, fx));
	assert_string_equal(out(fx), "accuracy|==|1|" T0 "|0.1|" T3 "|cy\n");

	/* an operator the schema does not know is refused */
	assert_non_null(store_kpi_add(fx->s, a, "f1", "=>", 1, T0));
	out_reset(fx);
	OK(store_kpis(fx->s, a, cb_kpi, fx));
	assert_int_equal(fx->calls, 2);
}

/* ---- approvals ---- */

static void
test_approvals(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");
	const struct store_approval ap[] = {
	    {a, "feasibility", 0, "ann", "sponsor", NULL, T0, NULL, 0},
	    {a, "feasibility", 0, "ann", "sponsor", "again", T1, NULL, 0},
	    {a, "feasibility", 2, "bob", "sponsor", NULL, T2, NULL, 0},
	    {a, "data-preparation", 1, "cy", "data-engineer", "ok", T1, NULL,
	     0},
	};
	int n = -1;

	for (size_t i = 0; i < sizeof(ap) / sizeof(ap[0]); i++)
		OK(store_approval_add(fx->s, &ap[i]));
	/* approvals of the stage given at the epoch or later */
	OK(store_approval_count(fx->s, a, "feasibility", 0, "", &n, NULL));
	assert_int_equal(n, 3);
	OK(store_approval_count(fx->s, a, "feasibility", 1, "", &n, NULL));
	assert_int_equal(n, 1);
	OK(store_approval_count(fx->s, a, "feasibility", 2, "", &n, NULL));
	assert_int_equal(n, 1);
	OK(store_approval_count(fx->s, a, "feasibility", 3, "", &n, NULL));
	assert_int_equal(n, 0);
	OK(store_approval_count(fx->s, a, "data-preparation", 1, "", &n, NULL));
	assert_int_equal(n, 1);
	OK(store_approval_count(fx->s, a, "data-preparation", 2, "", &n, NULL));
	assert_int_equal(n, 0);
	OK(store_approval_count(fx->s, a, "deployment", 0, "", &n, NULL));
	assert_int_equal(n, 0);
	OK(store_approval_count(fx->s, b, "feasibility", 0, "", &n, NULL));
	assert_int_equal(n, 0);

	/* with the accountable role: only approvals by a holder count; the
	 * latest that does not is named */
	{
		char *gone = NULL;
		OK(store_approval_count(fx->s, a, "feasibility", 0, "sponsor",
					&n, &gone));
		assert_int_equal(n, 0);
		assert_string_equal(gone, "bob");
		free(gone);
		gone = NULL;
		OK(store_assign(fx->s, a, "sponsor", "ann", NULL, T0));
		OK(store_approval_count(fx->s, a, "feasibility", 0, "sponsor",
					&n, &gone));
		assert_int_equal(n, 2);
		assert_string_equal(gone, "bob");
		free(gone);
		gone = NULL;
		OK(store_approval_count(fx->s, a, "feasibility", 1, "sponsor",
					&n, &gone));
		assert_int_equal(n, 0);
		assert_string_equal(gone, "bob");
		free(gone);
		gone = NULL;
		OK(store_assign(fx->s, a, "sponsor", "bob", NULL, T0));
		OK(store_approval_count(fx->s, a, "feasibility", 0, "sponsor",
					&n, &gone));
		assert_int_equal(n, 3);
		assert_null(gone);
		/* given in another role than the one asked (a sign-off of
		 * the gate): neither counted nor withdrawn */
		OK(store_approval_count(fx->s, a, "data-preparation", 1,
					"data-analyst", &n, &gone));
		assert_int_equal(n, 0);
		assert_null(gone);
		/* counted by its own role: withdrawn while cy does not hold
		 * it, counted once cy does */
		OK(store_approval_count(fx->s, a, "data-preparation", 1,
					"data-engineer", &n, &gone));
		assert_int_equal(n, 0);
		assert_string_equal(gone, "cy");
		free(gone);
		gone = NULL;
		OK(store_assign(fx->s, a, "data-engineer", "cy", NULL, T0));
		OK(store_approval_count(fx->s, a, "data-preparation", 1,
					"data-engineer", &n, &gone));
		assert_int_equal(n, 1);
		assert_null(gone);
	}
}

/* ---- administrators ---- */

static void
test_admins(void **state)
{
	struct fx *fx = *state;
	int is = -1, count = -1, changed = -1;

	OK(store_admin_is(fx->s, "ann", &is, &count));
	assert_int_equal(is, 0);
	assert_int_equal(count, 0);
	OK(store_admin_add(fx->s, "ann", "root", T0, &changed));
	assert_int_equal(changed, 1);
	OK(store_admin_add(fx->s, "ann", "bob", T1, &changed));
	assert_int_equal(changed, 0);
	OK(store_admin_add(fx->s, "bob", "ann", T1, &changed));
	OK(store_admin_is(fx->s, "ann", &is, &count));
	assert_int_equal(is, 1);
	assert_int_equal(count, 2);
	OK(store_admin_is(fx->s, "Ann", &is, &count));
	assert_int_equal(is, 0);
	OK(store_admin_remove(fx->s, "ann", &changed));
	assert_int_equal(changed, 1);
	OK(store_admin_remove(fx->s, "ann", &changed));
	assert_int_equal(changed, 0);
	OK(store_admin_is(fx->s, "bob", &is, &count));
	assert_int_equal(is, 1);
	assert_int_equal(count, 1);
}

/* ---- the policy a server enforces (store_policy.c) ---- */

static const struct ap_error *
count_member(void *arg, const char *name)
{
	(void)name;
	(*(int *)arg)++;
	return NULL;
}

static void
test_server_policy(void **state)
{
	struct fx *fx = *state;
	struct lifecycle lc = {.nroles = 2, .nstages = 2};
	int n = 0;

	lc.roles[0].slug = "sponsor";
	lc.roles[1].slug = "devops";
	lc.stages[0].slug = "one";
	lc.stages[0].raci[0] = RACI_A;
	lc.stages[0].raci[1] = RACI_C;
	lc.stages[1].slug = "two";
	lc.stages[1].raci[1] = RACI_R;
	/* twice: the copy is made anew, never added to */
	OK(store_raci_set(fx->s, &lc));
	OK(store_raci_set(fx->s, &lc));
	OK(store_policy_sync(fx->s));
	if (!store_server(fx->s))
		return; /* an SQLite store: nothing to copy, no members */
	OK(store_members(fx->s, count_member, &n));
	assert_int_equal(n, 0);
	check_err(store_member_set(fx->s, "aiproj_no_such_role_x", 1, &n),
		  AP_EXIT_NOTFOUND, "no role 'aiproj_no_such_role_x'",
		  "member add of a missing role");
}

/* ---- components ---- */

static void
test_components(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");

	OK(store_component_add(fx->s, a, "model", "data-scientist", NULL,
			       "the model"));
	OK(store_component_add(fx->s, a, "data-in", "data-engineer", NULL,
			       NULL));
	check_err(
	    store_component_add(fx->s, a, "model", "devops", NULL, "again"),
	    AP_EXIT_CONFLICT, "component 'model' already exists", "duplicate");
	OK(store_component_add(fx->s, b, "model", "devops", NULL, "b's"));
	OK(store_components(fx->s, a, cb_component, fx));
	assert_string_equal(out(fx), "data-in|data-engineer|\n"
				     "model|data-scientist|the model\n");
	OK(store_component_remove(fx->s, a, "data-in"));
	check_err(store_component_remove(fx->s, a, "data-in"), AP_EXIT_NOTFOUND,
		  "no component 'data-in'", "remove twice");
	out_reset(fx);
	OK(store_components(fx->s, a, cb_component, fx));
	assert_string_equal(out(fx), "model|data-scientist|the model\n");
	out_reset(fx);
	OK(store_components(fx->s, b, cb_component, fx));
	assert_string_equal(out(fx), "model|devops|b's\n");
}

static const struct ap_error *
cb_version(void *arg, const struct store_component *c)
{
	struct fx *fx = arg;

	sbuf_printf(&fx->out, "%s|%s|%s\n", c->name, c->owner,
		    c->version ? c->version : "-");
	return NULL;
}

static const struct ap_error *
cb_title(void *arg, const struct store_assignment *a)
{
	struct fx *fx = arg;

	sbuf_printf(&fx->out, "%s|%s|%s\n", a->role, a->person,
		    a->title ? a->title : "-");
	return NULL;
}

/* a component's version and handover; an assignment's title */
static void
test_handover(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	char *owner = NULL;

	OK(store_component_add(fx->s, a, "model", "data-scientist", "1.2",
			       NULL));
	OK(store_component_add(fx->s, a, "api", "devops", NULL, NULL));
	OK(store_component_owner(fx->s, a, "model", &owner));
	assert_string_equal(owner, "data-scientist");
	free(owner);
	OK(store_component_owner(fx->s, a, "nope", &owner));
	assert_null(owner);
	OK(store_component_handover(fx->s, a, "model", "data-engineer"));
	check_err(store_component_handover(fx->s, a, "nope", "devops"),
		  AP_EXIT_NOTFOUND, "no component 'nope'", "no such component");
	OK(store_components(fx->s, a, cb_version, fx));
	assert_string_equal(out(fx), "api|devops|-\nmodel|data-engineer|1.2\n");
	out_reset(fx);
	OK(store_assign(fx->s, a, "sponsor", "ann", "requester", T0));
	OK(store_assign(fx->s, a, "devops", "bob", NULL, T0));
	OK(store_assignments(fx->s, a, cb_title, fx));
	assert_string_equal(out(fx), "devops|bob|-\nsponsor|ann|requester\n");
}

/* ---- transactions ---- */

/* A batch (PostgreSQL: pipelined): the rows are written, a read in it sees
 * them, and a failure is the error the statement gives alone, told by the
 * statement or at the batch's end, whichever comes first. */
static void
test_batch(void **state)
{
	struct fx *fx = *state;
	const struct ap_error *err;
	int64_t id;

	OK(store_begin(fx->s, 1));
	id = mkproj(fx->s, "piped", "feasibility");
	OK(store_batch(fx->s, 1));
	OK(store_kpi_add(fx->s, id, "auc", ">=", 0.8, T0));
	OK(store_kpi_reading_add(fx->s, id, "auc", 0.7, 0, "ann", T1));
	OK(store_kpi_reading_add(fx->s, id, "auc", 0.9, 0, "ann", T2));
	OK(store_assign_as(fx->s, id, "sponsor", "ann", NULL, NULL, T0));
	out_reset(fx);
	OK(store_kpis(fx->s, id, cb_kpi, fx)); /* a read: after the writes */
	assert_int_equal(fx->calls, 1);
	OK(store_batch(fx->s, 0));
	OK(store_commit(fx->s));
	out_reset(fx);
	OK(store_assignments(fx->s, id, cb_assignment, fx));
	assert_int_equal(fx->calls, 1);

	/* a duplicate mid-batch: the error alone, and nothing stays */
	OK(store_begin(fx->s, 1));
	OK(store_batch(fx->s, 1));
	OK(store_kpi_add(fx->s, id, "latency", "<", 200, T0));
	err = store_kpi_add(fx->s, id, "auc", ">=", 0.5, T1);
	if (!err) {
		(void)store_kpi_reading_add(fx->s, id, "latency", 100, 0, "ann",
					    T1);
		err = store_batch(fx->s, 0);
	} else {
		store_batch(fx->s, 0);
	}
	check_err(err, AP_EXIT_CONFLICT, "KPI 'auc' already exists", "dup");
	store_rollback(fx->s);
	out_reset(fx);
	OK(store_kpis(fx->s, id, cb_kpi, fx));
	assert_int_equal(fx->calls, 1);

	/* an unknown KPI's reading, and an assignment made twice */
	OK(store_begin(fx->s, 1));
	OK(store_batch(fx->s, 1));
	err = store_kpi_reading_add(fx->s, id, "nope", 1, 0, "ann", T1);
	if (!err)
		err = store_batch(fx->s, 0);
	else
		store_batch(fx->s, 0);
	check_err(err, AP_EXIT_NOTFOUND, "no KPI 'nope'", "unknown KPI");
	store_rollback(fx->s);
	OK(store_begin(fx->s, 1));
	OK(store_batch(fx->s, 1));
	err = store_assign_as(fx->s, id, "sponsor", "ann", NULL, NULL, T1);
	if (!err)
		err = store_batch(fx->s, 0);
	else
		store_batch(fx->s, 0);
	check_err(err, AP_EXIT_CONFLICT, "'ann' is already assigned as sponsor",
		  "assigned twice");
	store_rollback(fx->s);
}

static void
test_transactions(void **state)
{
	struct fx *fx = *state;
	struct store_project q;
	int64_t id, cid;
	char *val = NULL;

	/* rolled back writes are gone */
	OK(store_begin(fx->s, 1));
	id = mkproj(fx->s, "ghost", "feasibility");
	OK(store_assign(fx->s, id, "sponsor", "ann", NULL, T0));
	OK(store_meta_set(fx->s, "policy", "roles"));
	store_rollback(fx->s);
	check_err(store_project_get(fx->s, "ghost", &q), AP_EXIT_NOTFOUND, NULL,
		  "rolled back");
	OK(store_meta_get(fx->s, "policy", &val));
	assert_string_equal(val, "open");
	free(val);
	store_rollback(fx->s); /* nothing open: harmless */

	/* committed writes stay */
	OK(store_begin(fx->s, 1));
	id = mkproj(fx->s, "real", "feasibility");
	OK(store_criterion_add(fx->s, id, "feasibility", "c", &cid));
	OK(store_commit(fx->s));
	OK(store_project_get(fx->s, "real", &q));
	assert_int_equal(q.id, id);
	store_project_clear(&q);

	/* a failed write inside a transaction, then rollback: all of it
	 * is gone, the write before the failure too */
	OK(store_begin(fx->s, 1));
	OK(store_criterion_add(fx->s, id, "feasibility", "c2", &cid));
	assert_int_equal(cid, 2);
	check_err(store_project_rename(fx->s, id, "real"), 0, NULL, "noop");
	mkproj(fx->s, "other", "feasibility");
	check_err(store_project_rename(fx->s, id, "other"), AP_EXIT_CONFLICT,
		  NULL, "conflict in tx");
	store_rollback(fx->s);
	out_reset(fx);
	OK(store_criteria(fx->s, id, NULL, cb_criterion, fx));
	assert_int_equal(fx->calls, 1);
	check_err(store_project_get(fx->s, "other", &q), AP_EXIT_NOTFOUND, NULL,
		  "other rolled back");

	/* a read transaction */
	OK(store_begin(fx->s, 0));
	OK(store_project_get(fx->s, "real", &q));
	store_project_clear(&q);
	OK(store_commit(fx->s));

	/* commit without a transaction is an error, not a crash */
	assert_non_null(store_commit(fx->s));
	/* and the store still works */
	OK(store_project_get(fx->s, "real", &q));
	store_project_clear(&q);
}

/* ---- audit ---- */

static void
test_audit(void **state)
{
	struct fx *fx = *state;
	const struct store_audit au[] = {
	    {T0, "eve", "advance", "a", "feasibility", "not A or R"},
	    {T1, "mal", "decide", "b", "feasibility", "not A"},
	    {T2, "eve", "approve", "a", "deployment", "not A"},
	};

	OK(store_audit_list(fx->s, 10, cb_audit, fx));
	assert_int_equal(fx->calls, 0);
	for (size_t i = 0; i < sizeof(au) / sizeof(au[0]); i++)
		OK(store_audit_add(fx->s, &au[i]));
	OK(store_audit_list(fx->s, 10, cb_audit, fx));
	assert_string_equal(out(fx),
			    T2 "|eve|approve|a|deployment|not A\n" T1
			       "|mal|decide|b|feasibility|not A\n" T0
			       "|eve|advance|a|feasibility|not A or R\n");
	out_reset(fx);
	OK(store_audit_list(fx->s, 2, cb_audit, fx));
	assert_int_equal(fx->calls, 2);
	assert_contains(out(fx), "|mal|decide|");
	assert_true(strstr(out(fx), "|advance|") == NULL);
}

/* ---- hash chains ---- */

/* SHA-256 (src/chain.c) against the FIPS 180-4 example vectors. */
static void
test_sha256_vectors(void **state)
{
	static const char m448[] =
	    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
	char h[CHAIN_HEX];

	(void)state;
	OK(chain_sha256_hex("abc", 3, h));
	assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223"
			       "b00361a396177a9cb410ff61f20015ad");
	OK(chain_sha256_hex("", 0, h));
	assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb924"
			       "27ae41e4649b934ca495991b7852b855");
	OK(chain_sha256_hex(m448, strlen(m448), h));
	assert_string_equal(h, "248d6a61d20638b8e5c026930c3e6039"
			       "a33ce45964ff2167f6ecedd419db06c1");
	/* lengths about the block boundaries (the padding takes one block
	 * or two), and several blocks: n times 'a' */
	{
		static const struct {
			size_t n;
			const char *want;
		} v[] = {
		    {55, "9f4390f8d30c2dd92ec9f095b65e2b9a"
			 "e9b0a925a5258e241c9f1e910f734318"},
		    {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f"
			 "590ce20f1bde7090ef7970686ec6738a"},
		    {63, "7d3e74a05d7db15bce4ad9ec0658ea98"
			 "e3f06eeecf16b4c6fff2da457ddc2f34"},
		    {64, "ffe054fe7ae0cb6dc65c3af9b61d5209"
			 "f439851db43d0ba5997337df154668eb"},
		    {119, "31eba51c313a5c08226adf18d4a359cf"
			  "dfd8d2e816b13f4af952f7ea6584dcfb"},
		    {120, "2f3d335432c70b580af0e8e1b3674a7c"
			  "020d683aa5f73aaaedfdc55af904c21c"},
		    {1000, "41edece42d63e8d9bf515a9ba6932e1c"
			   "20cbc9f5a5d134645adb5db1b9737ea3"},
		};
		char a[1000];
		memset(a, 'a', sizeof(a));
		for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
			OK(chain_sha256_hex(a, v[i].n, h));
			assert_string_equal(h, v[i].want);
		}
	}
	/* the canonical encoding, spelled out */
	{
		const char *f[] = {"ab", NULL};
		const char obj[] = "transition 75\0"
				   "64:" /* the genesis */
				   "0000000000000000000000000000000000000000"
				   "000000000000000000000000\n"
				   "2:ab\n-\n";
		char want[CHAIN_HEX];
		OK(chain_hash(CHAIN_HISTORY, chain_genesis, f, 2, h));
		OK(chain_sha256_hex(obj, sizeof(obj) - 1, want));
		assert_string_equal(h, want);
	}
	chain_double(1.0, h);
	assert_string_equal(h, "3ff0000000000000");
}

static const struct ap_error *
cb_broken(void *arg, const struct store_verify_row *v)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%lld|%s\n", v->project ? v->project : "-",
		    v->chain, (long long)v->row, v->problem);
	return NULL;
}

/* The same rows give the same hashes on every store (the server computes
 * them on PostgreSQL), and verify finds them intact. */
static void
test_chain(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "alpha", "feasibility");
	struct store_transition t = {
	    a,  "feasibility", "data-preparation", "advance", "ann", NULL,
	    T1, NULL};
	struct store_approval ap = {
	    a, "feasibility", 0, "ann", "sponsor", "ok \xc3\xa9", T0, NULL, 0};
	struct store_audit au = {T2,      "eve",         "advance",
				 "alpha", "feasibility", "not A"};
	struct store_verify_stats st = {0};
	const char *f[] = {
	    "feasibility", "data-preparation", "advance", "ann", NULL, T1};
	char h1[CHAIN_HEX], h2[CHAIN_HEX];

	OK(store_transition_add(fx->s, &t));
	OK(store_transition_add(fx->s, &t));
	OK(store_approval_add(fx->s, &ap));
	OK(store_kpi_add(fx->s, a, "auc", ">=", 0.8, T0));
	OK(store_kpi_record(fx->s, a, "auc", 0.1, "ann", T1));
	OK(store_audit_add(fx->s, &au));
	OK(store_verify(fx->s, NULL, cb_broken, fx, &st));
	assert_int_equal(fx->calls, 0);
	assert_int_equal(st.chains, 4);
	assert_int_equal(st.rows, 5);
	assert_int_equal(st.broken, 0);
	/* the first two history rows: chained from the genesis */
	OK(chain_hash(CHAIN_HISTORY, chain_genesis, f, 6, h1));
	OK(chain_hash(CHAIN_HISTORY, h1, f, 6, h2));
	assert_string_equal(
	    h2,
	    "ab05b7fa8e6f7b9b354b20cb1ae81467761c78cba23dd2115ec44faee10a7d98");
}

static const struct ap_error *
cb_reading_hash(void *arg, const struct store_reading *r)
{
	struct fx *fx = arg;

	sbuf_printf(&fx->out, "%s", r->hash ? r->hash : "-");
	return NULL;
}

/* Releases (their end included), KPI changes and a reading's breach
 * flag are chained: a breach is one more field, "1"; a release is hashed
 * again when it ends. */
static void
test_chain_monitor(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "alpha", "feasibility");
	struct store_release r = {.version = "1.0", .actor = "ann", .at = T1};
	struct store_verify_stats st = {0};
	char *sup = NULL, v[17], h[CHAIN_HEX];
	const char *f[] = {"auc", v, "ann", T1, "1"};

	OK(store_release_add(fx->s, a, &r, &sup));
	assert_null(sup);
	OK(store_kpi_add(fx->s, a, "auc", ">=", 0.8, T0));
	OK(store_kpi_reading_add(fx->s, a, "auc", 0.5, 1, "ann", T1));
	OK(store_kpi_set(fx->s, a, "auc", ">=", 0.6, "relaxed", "ann", T2));
	OK(store_release_retire(fx->s, a, "1.0", "ann", T2, "rollback"));
	OK(store_verify(fx->s, NULL, cb_broken, fx, &st));
	assert_int_equal(fx->calls, 0);
	assert_int_equal(st.chains, 3);
	assert_int_equal(st.rows, 3);
	chain_double(0.5, v);
	OK(chain_hash(CHAIN_READING, chain_genesis, f, 5, h));
	OK(store_readings(fx->s, a, cb_reading_hash, fx));
	assert_string_equal(out(fx), h);
}

/* An imported project's chains sealed from the hashes kept as its rows
 * are written (store_chain_fresh()): the same hashes as rows read back
 * give, each KPI's readings their own chain however interleaved. */
static void
test_chain_fresh(void **state)
{
	struct fx *fx = *state;
	int64_t id[2] = {mkproj(fx->s, "alpha", "feasibility"),
			 mkproj(fx->s, "beta", "feasibility")};
	struct store_verify_stats st = {0};
	char *hashes[2];

	for (int i = 0; i < 2; i++) {
		int64_t a = id[i];
		struct store_transition t = {
		    a,         "feasibility", "data-preparation",
		    "advance", "ann",         NULL,
		    T1,        NULL};
		struct store_approval ap = {
		    a, "feasibility", 0, "ann", "sponsor", NULL, T1, NULL, 0};
		struct store_kpi_change kc = {.kpi = "auc",
					      .kind = "set",
					      .op = ">=",
					      .target = 0.7,
					      .was_op = ">=",
					      .was_target = 0.8,
					      .actor = "ann",
					      .at = T2};
		struct store_release r = {
		    .version = "1.0", .actor = "ann", .at = T1};

		/* the first project's rows without a read-back */
		store_chain_fresh(fx->s, i == 0 ? a : 0);
		OK(store_transition_add(fx->s, &t));
		OK(store_transition_add(fx->s, &t));
		OK(store_approval_add(fx->s, &ap));
		OK(store_approval_add(fx->s, &ap));
		OK(store_kpi_add(fx->s, a, "auc", ">=", 0.8, T0));
		OK(store_kpi_add(fx->s, a, "lat", "<=", 200, T0));
		OK(store_kpi_reading_add(fx->s, a, "auc", 0.5, 1, "ann", T1));
		OK(store_kpi_reading_add(fx->s, a, "lat", 150, 0, "ann", T1));
		OK(store_kpi_reading_add(fx->s, a, "auc", 0.6, 1, "ann", T2));
		OK(store_kpi_reading_add(fx->s, a, "lat", 160, 0, "ann", T2));
		OK(store_kpi_change_import(fx->s, a, &kc));
		OK(store_kpi_change_import(fx->s, a, &kc));
		OK(store_release_import(fx->s, a, &r));
		store_chain_fresh(fx->s, 0);
		OK(store_readings(fx->s, a, cb_reading_hash, fx));
		hashes[i] = strdup(out(fx));
		assert_non_null(hashes[i]);
		out_reset(fx);
	}
	OK(store_verify(fx->s, NULL, cb_broken, fx, &st));
	assert_int_equal(fx->calls, 0);
	assert_int_equal(st.broken, 0);
	assert_int_equal(st.rows, 2 * 11);
	assert_string_equal(hashes[0], hashes[1]);
	free(hashes[0]);
	free(hashes[1]);
}

/* ---- reports ---- */

static void
report_fixture(struct fx *fx)
{
	int64_t a = mkproj(fx->s, "alpha", "feasibility");
	int64_t b = mkproj(fx->s, "beta", "data-preparation");
	int64_t c = mkproj(fx->s, "closed-one", "feasibility");
	int64_t cid;
	struct store_decision d = {a, DK_MAKE, 1, 10, "r", "ann", T1};
	struct store_approval ap = {
	    b, "data-preparation", 1, "dan", "data-engineer", NULL, T2, NULL,
	    0};
	struct store_transition t = {
	    b, "feasibility", "data-preparation", "back", "ann", "r", T1, NULL};

	(void)mkproj(fx->s, "gamma", "feasibility");
	OK(store_assign(fx->s, a, "sponsor", "ann", NULL, T0));
	OK(store_assign(fx->s, a, "ai-engineer", "bob", NULL, T0));
	OK(store_assign(fx->s, a, "ai-engineer", "ann", NULL, T0));
	OK(store_component_add(fx->s, a, "model", "data-scientist", NULL, "m"));
	OK(store_assign(fx->s, b, "data-engineer", "dan", NULL, T0));
	OK(store_assign(fx->s, c, "sponsor", "ann", NULL, T0));
	OK(store_project_set_status(fx->s, c, PS_CLOSED, "done", NULL, T3));
	OK(store_criterion_add(fx->s, a, "feasibility", "x", &cid));
	OK(store_criterion_add(fx->s, a, "feasibility", "y", &cid));
	OK(store_criterion_add(fx->s, a, "deployment", "z", &cid));
	OK(store_criterion_set(fx->s, a, 1, 1, "ann", NULL, T1));
	OK(store_decision_add(fx->s, &d));
	OK(store_kpi_add(fx->s, a, "acc", ">=", 1, T0));
	OK(store_kpi_add(fx->s, a, "lat", "<", 1, T0));
	OK(store_transition_add(fx->s, &t));
	OK(store_project_move(fx->s, b, "data-preparation", T1));
	OK(store_approval_add(fx->s, &ap));
}

static void
test_report_roles(void **state)
{
	struct fx *fx = *state;
	const char *const named[] = {"closed-one", "beta", "closed-one"};
	const char *const nope[] = {"nope"};

	report_fixture(fx);
	OK(store_report_roles(fx->s, NULL, 0, 0, cb_roles, fx));
	/* a row without kind opens each project */
	assert_string_equal(
	    out(fx),
	    "alpha|active|feasibility|(null)|(null)|(null)|(null)\n"
	    "alpha|active|feasibility|a|ai-engineer|ann|(null)\n"
	    "alpha|active|feasibility|a|ai-engineer|bob|(null)\n"
	    "alpha|active|feasibility|a|sponsor|ann|(null)\n"
	    "alpha|active|feasibility|c|data-scientist|model|m\n"
	    "beta|active|data-preparation|(null)|(null)|(null)|(null)\n"
	    "beta|active|data-preparation|a|data-engineer|dan|(null)\n"
	    "gamma|active|feasibility|(null)|(null)|(null)|(null)\n");
	out_reset(fx);
	OK(store_report_roles(fx->s, NULL, 0, 1, cb_roles, fx));
	assert_contains(out(fx),
			"closed-one|closed|feasibility|a|sponsor|ann|(null)\n");
	assert_int_equal(fx->calls, 10);
	/* named projects, closed or not, by name and each once */
	out_reset(fx);
	OK(store_report_roles(fx->s, named, 3, 0, cb_roles, fx));
	assert_string_equal(
	    out(fx),
	    "beta|active|data-preparation|(null)|(null)|(null)|(null)\n"
	    "beta|active|data-preparation|a|data-engineer|dan|(null)\n"
	    "closed-one|closed|feasibility|(null)|(null)|(null)|(null)\n"
	    "closed-one|closed|feasibility|a|sponsor|ann|(null)\n");
	out_reset(fx);
	OK(store_report_roles(fx->s, nope, 1, 0, cb_roles, fx));
	assert_int_equal(fx->calls, 0);
	OK(store_report_roles(fx->s, nope, 0, 0, cb_roles, fx));
	assert_int_equal(fx->calls, 0);
}

static void
test_report_status(void **state)
{
	struct fx *fx = *state;

	report_fixture(fx);
	OK(store_report_status(fx->s, 0, cb_status, fx));
	assert_string_equal(
	    out(fx),
	    "alpha|active|feasibility|" T0 "|" T0 "|1/2|make|1|2|0|0\n"
	    "beta|active|data-preparation|" T1 "|" T0 "|0/0|(null)|0|0|1|1\n"
	    "gamma|active|feasibility|" T0 "|" T0 "|0/0|(null)|0|0|0|0\n");
	out_reset(fx);
	OK(store_report_status(fx->s, 1, cb_status, fx));
	assert_int_equal(fx->calls, 4);
	/* status_at: when it was closed */
	assert_contains(out(fx),
			"closed-one|closed|feasibility|" T0 "|" T3 "|");
}

static const struct ap_error *
cb_status_staffed(void *arg, const struct store_status_row *r)
{
	struct fx *fx = arg;

	if (strcmp(r->project, "alpha") == 0) {
		/* the distinct roles with people, in any order */
		int sponsor = 0, engineer = 0;
		for (size_t i = 0; i < r->nstaffed; i++) {
			sponsor += strcmp(r->staffed[i], "sponsor") == 0;
			engineer += strcmp(r->staffed[i], "ai-engineer") == 0;
		}
		if (r->nstaffed != 2 || sponsor != 1 || engineer != 1)
			return ap_error_fmt(AP_EXIT_FALSE,
					    "alpha staffed %zu roles",
					    r->nstaffed);
	} else if (strcmp(r->project, "gamma") == 0 && r->nstaffed) {
		return ap_error_fmt(AP_EXIT_FALSE, "gamma staffed %zu roles",
				    r->nstaffed);
	}
	fx->calls++;
	return NULL;
}

static void
test_report_status_staffed(void **state)
{
	struct fx *fx = *state;

	report_fixture(fx);
	OK(store_report_status(fx->s, 0, cb_status_staffed, fx));
	assert_int_equal(fx->calls, 3);
}

/* The filter, order and limit, evaluated by the store. */
static void
test_report_status_where(void **state)
{
	struct fx *fx = *state;
	const char *order[] = {"feasibility", "data-preparation"};
	const char *prep[] = {"data-preparation"};
	struct store_filter f = {
	    .status = 7u,
	    .stage_order = order,
	    .nstage_order = 2,
	    .now = T3,
	    .sort = {-SORT_STAGE, SORT_NAME},
	    .limit = 2,
	};

	report_fixture(fx);
	/* by stage descending, then name; the first two */
	OK(store_report_status_where(fx->s, &f, cb_status, fx));
	assert_int_equal(fx->calls, 2);
	assert_contains(out(fx), "beta|");
	assert_contains(out(fx), "alpha|");
	out_reset(fx);
	/* one stage; a person named in another case and spacing */
	f.limit = 0;
	f.stages = prep;
	f.nstages = 1;
	OK(store_report_status_where(fx->s, &f, cb_status, fx));
	assert_int_equal(fx->calls, 1);
	assert_contains(out(fx), "beta|");
	out_reset(fx);
	f.nstages = 0;
	f.person = "ANN";
	f.sort[0] = -SORT_NAME;
	OK(store_report_status_where(fx->s, &f, cb_status, fx));
	assert_int_equal(strncmp(out(fx), "closed-one|", 11), 0);
	out_reset(fx);
	/* only closed ones */
	f.person = NULL;
	f.status = 1u << PS_CLOSED;
	OK(store_report_status_where(fx->s, &f, cb_status, fx));
	assert_int_equal(fx->calls, 1);
	assert_contains(out(fx), "closed-one|");
	out_reset(fx);
	/* no activity since T3: none; since after T3: every active one */
	f.status = 7u;
	f.stale_before = T0;
	OK(store_report_status_where(fx->s, &f, cb_status, fx));
	assert_int_equal(fx->calls, 0);
}

static void
test_report_people(void **state)
{
	struct fx *fx = *state;

	report_fixture(fx);
	OK(store_report_people(fx->s, 0, cb_people, fx));
	assert_string_equal(
	    out(fx), "ann|alpha|active|feasibility|ai-engineer|2\n"
		     "ann|alpha|active|feasibility|sponsor|1\n"
		     "bob|alpha|active|feasibility|ai-engineer|2\n"
		     "dan|beta|active|data-preparation|data-engineer|1\n");
	out_reset(fx);
	OK(store_report_people(fx->s, 1, cb_people, fx));
	assert_int_equal(fx->calls, 5);
	assert_contains(out(fx),
			"ann|closed-one|closed|feasibility|sponsor|1\n");
}

/* ---- people ---- */

static const struct ap_error *
cb_person(void *arg, const struct store_person *p)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%lld|%lld\n", p->name, nz(p->email),
		    nz(p->handle), (long long)p->projects, (long long)p->roles);
	return NULL;
}

static const struct ap_error *
cb_person_role(void *arg, const struct store_person_role *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s\n", r->project,
		    proj_status_name(r->status), r->stage, r->role);
	return NULL;
}

static const struct ap_error *
cb_person_approval(void *arg, const struct store_person_approval *a)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s\n", a->project, a->stage, a->role,
		    a->person);
	return NULL;
}

static const struct ap_error *
cb_person_event(void *arg, const struct store_person_event *e)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|%s\n", e->kind, nz(e->subject),
		    nz(e->detail), e->actor);
	return NULL;
}

static const struct ap_error *
cb_person_full(void *arg, const struct store_person_full *p)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%s|%s|", p->p.name, nz(p->p.handle),
		    p->p.created_at);
	for (size_t i = 0; i < p->nnames; i++)
		sbuf_printf(&fx->out, "%s%s", i ? "," : "", p->names[i]);
	sbuf_printf(&fx->out, "|");
	for (size_t i = 0; i < p->nevents; i++)
		sbuf_printf(&fx->out, "%s%s:%s", i ? "," : "",
			    p->events[i].kind, nz(p->events[i].subject));
	sbuf_printf(&fx->out, "\n");
	return NULL;
}

static void
test_people(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	int64_t b = mkproj(fx->s, "b", "feasibility");
	struct store_person_rec p, q;
	char *canon;
	int64_t id;
	int n;
	struct store_approval ap = {.project_id = a,
				    .stage = "feasibility",
				    .epoch = 0,
				    .person = "Eli Park",
				    .role = "sponsor",
				    .at = T1};
	struct store_person_event ev = {
	    .kind = "rename", .subject = "Eli Park", .actor = "boss", .at = T2};

	/* one person per name, as first written */
	OK(store_person_ensure(fx->s, "Eli Park", T0, &canon));
	assert_string_equal(canon, "Eli Park");
	free(canon);
	OK(store_person_ensure(fx->s,
			       "  ELI\xc2\xa0"
			       "park ",
			       T1, &canon));
	assert_string_equal(canon, "Eli Park");
	free(canon);
	OK(store_person_find(fx->s, "eli    park", &p));
	assert_true(p.id > 0);
	assert_string_equal(p.name, "Eli Park");
	assert_string_equal(p.created_at, T0);
	store_person_clear(&p);
	OK(store_person_find(fx->s, "nobody", &p));
	assert_int_equal(p.id, 0);
	check_err(store_person_get(fx->s, "nobody", &p), AP_EXIT_NOTFOUND,
		  "no person 'nobody'", "get nobody");

	/* add: a conflict in any spelling; set and clear */
	OK(store_person_add(fx->s, "Ana Lima", "ana@example.com", NULL, T0,
			    &id));
	assert_true(id > 0);
	check_err(store_person_add(fx->s, "ana lima", NULL, NULL, T1, &id),
		  AP_EXIT_CONFLICT, "already exists, as 'Ana Lima'",
		  "add twice");
	OK(store_person_set(fx->s, id, NULL, "@ana"));
	OK(store_person_set(fx->s, id, "", NULL));
	OK(store_persons(fx->s, cb_person, fx));
	assert_string_equal(out(fx), "Ana Lima|(null)|@ana|0|0\n"
				     "Eli Park|(null)|(null)|0|0\n");

	/* roles and approvals by person; rename keeps the approval counting */
	OK(store_assign(fx->s, a, "sponsor", "Eli Park", NULL, T1));
	OK(store_assign(fx->s, b, "sponsor", "Eli Park", NULL, T1));
	OK(store_assign(fx->s, a, "devops", "Ana Lima", NULL, T1));
	OK(store_approval_add(fx->s, &ap));
	OK(store_person_get(fx->s, "ELI PARK", &p));
	OK(store_person_rename(fx->s, &p, "Elias Park"));
	OK(store_person_event_add(fx->s, p.id, &ev));
	OK(store_approval_count(fx->s, a, "feasibility", 0, "sponsor", &n,
				NULL));
	assert_int_equal(n, 1);
	out_reset(fx);
	OK(store_person_roles(fx->s, "Elias Park", cb_person_role, fx));
	assert_string_equal(out(fx), "a|active|feasibility|sponsor\n"
				     "b|active|feasibility|sponsor\n");
	out_reset(fx);
	OK(store_person_approvals(fx->s, p.id, cb_person_approval, fx));
	assert_string_equal(out(fx), "a|feasibility|sponsor|Eli Park\n");
	check_err(store_person_rename(fx->s, &p, "ANA LIMA"), AP_EXIT_CONFLICT,
		  "already exists", "rename onto another");
	store_person_clear(&p);

	/* merge: roles (one where both held it), names, history move */
	OK(store_assign(fx->s, a, "devops", "Elias Park", NULL, T2));
	OK(store_person_get(fx->s, "elias park", &p));
	OK(store_person_get(fx->s, "ana lima", &q));
	OK(store_person_merge(fx->s, &p, &q));
	store_person_clear(&p);
	OK(store_person_find(fx->s, "Elias Park", &p));
	assert_int_equal(p.id, 0);
	out_reset(fx);
	OK(store_assignments(fx->s, a, cb_assignment, fx));
	/* each moved one keeps the name it was made to: the first */
	assert_string_equal(out(fx), "devops|Ana Lima|" T1 "\n"
				     "sponsor|Ana Lima|" T1 "|as Eli Park\n");
	out_reset(fx);
	OK(store_person_approvals(fx->s, q.id, cb_person_approval, fx));
	assert_string_equal(out(fx), "a|feasibility|sponsor|Eli Park\n");
	out_reset(fx);
	OK(store_person_events(fx->s, q.id, cb_person_event, fx));
	assert_string_equal(out(fx), "rename|Eli Park|(null)|boss\n");
	OK(store_approval_count(fx->s, a, "feasibility", 0, "sponsor", &n,
				NULL));
	assert_int_equal(n, 1);
	store_person_clear(&q);
	/* an assignment in another spelling is the person's */
	OK(store_assign(fx->s, b, "devops", "ana  LIMA", NULL, T3));
	out_reset(fx);
	OK(store_assignments(fx->s, b, cb_assignment, fx));
	assert_string_equal(out(fx), "devops|Ana Lima|" T3 "\n"
				     "sponsor|Ana Lima|" T1 "|as Eli Park\n");
	/* an import gives the name it was made to */
	OK(store_assign_as(fx->s, b, "ai-engineer", "Ana Lima", NULL,
			   "Eli Park", T3));
	out_reset(fx);
	OK(store_assignments(fx->s, b, cb_assignment, fx));
	assert_string_equal(out(fx), "ai-engineer|Ana Lima|" T3 "|as Eli Park\n"
				     "devops|Ana Lima|" T3 "\n"
				     "sponsor|Ana Lima|" T1 "|as Eli Park\n");
	OK(store_unassign(fx->s, b, "ai-engineer", "Ana Lima"));
	/* the migration's fill finds nothing more to do */
	OK(store_person_fill(fx->s));
	out_reset(fx);
	OK(store_persons(fx->s, cb_person, fx));
	assert_string_equal(out(fx), "Ana Lima|(null)|@ana|2|4\n");

	/* what an export keeps: the other names (not the name now) and the
	 * history, each person's beside them, people without either too */
	OK(store_person_add(fx->s, "Zoe Ray", NULL, "@z", T3, &id));
	OK(store_person_add(fx->s, "Bo Chen", NULL, NULL, T2, &id));
	out_reset(fx);
	/* (its cursors live in a transaction, as an export's) */
	OK(store_begin(fx->s, 0));
	OK(store_persons_full(fx->s, cb_person_full, fx));
	OK(store_commit(fx->s));
	assert_string_equal(out(fx), "Ana Lima|@ana|" T0 "|Eli Park,Elias Park|"
				     "rename:Eli Park\n"
				     "Bo Chen|(null)|" T2 "||\n"
				     "Zoe Ray|@z|" T3 "||\n");
	/* the names as written find their person; the last id is the
	 * newest person's; since can be set */
	{
		int64_t owner, last;
		char *now;
		OK(store_person_last_id(fx->s, &last));
		assert_int_equal(last, id);
		OK(store_person_name_owner(fx->s, "Elias Park", &owner, &now));
		OK(store_person_find(fx->s, "ana lima", &p));
		assert_int_equal(owner, p.id);
		assert_string_equal(now, "Ana Lima");
		free(now);
		OK(store_person_name_owner(fx->s, "elias park", &owner, &now));
		assert_int_equal(owner, 0);
		assert_null(now);
		OK(store_person_name_add(fx->s, id, "Bo C"));
		OK(store_person_name_owner(fx->s, "Bo C", &owner, &now));
		assert_int_equal(owner, id);
		assert_string_equal(now, "Bo Chen");
		free(now);
		OK(store_person_since(fx->s, id, T0));
		store_person_clear(&p);
		OK(store_person_find(fx->s, "bo chen", &p));
		assert_string_equal(p.created_at, T0);
		store_person_clear(&p);
	}
}

/* the filter's person is a person: any spelling finds their projects */
static void
test_people_filter(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "feasibility");
	struct store_filter f = {.status = 7u, .person = "ZOE\xe3\x80\x80ng"};
	char *canon;

	(void)mkproj(fx->s, "b", "feasibility");
	OK(store_person_ensure(fx->s, "Zoe Ng", T0, &canon));
	OK(store_assign(fx->s, a, "sponsor", canon, NULL, T0));
	free(canon);
	OK(store_project_list_where(fx->s, &f, cb_project, fx));
	assert_int_equal(fx->calls, 1);
	out_reset(fx);
	OK(store_report_people_where(fx->s, &f, cb_people, fx));
	assert_string_equal(out(fx), "Zoe Ng|a|active|feasibility|sponsor|1\n");
}

/* ---- file stores ---- */

struct fdir {
	char dir[64];
	char path[128];
	int have_shell;
};

static int
setup_dir(void **state)
{
	struct fdir *d = calloc(1, sizeof(*d));

	if (!d)
		return -1;
	snprintf(d->dir, sizeof(d->dir), "/tmp/aiproj-unit-XXXXXX");
	if (!mkdtemp(d->dir)) {
		free(d);
		return -1;
	}
	snprintf(d->path, sizeof(d->path), "%s/store.db", d->dir);
	d->have_shell = system("command -v sqlite3 >/dev/null 2>&1") == 0;
	*state = d;
	return 0;
}

static int
teardown_dir(void **state)
{
	struct fdir *d = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", d->dir);
	free(d);
	return 0;
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static int
exists(const char *path)
{
	return access(path, F_OK) == 0;
}

static void
assert_no_side_files(const char *path)
{
	char p[160];

	snprintf(p, sizeof(p), "%s-wal", path);
	assert_false(exists(p));
	snprintf(p, sizeof(p), "%s-shm", path);
	assert_false(exists(p));
	snprintf(p, sizeof(p), "%s-journal", path);
	assert_false(exists(p));
}

/* Open must refuse the file with exit 7 and leave it byte-identical. */
static void
check_refused_untouched(const char *path, const char *needle)
{
	struct store *s = (struct store *)1;
	size_t len0, len1;
	char *before = slurp(path, &len0), *after;
	const struct ap_error *err;

	assert_non_null(before);
	err = store_open(path, 200, STORE_CREATE, &s);
	assert_null(s);
	after = slurp(path, &len1);
	if (!after || len0 != len1 || memcmp(before, after, len0) != 0) {
		free(before);
		free(after);
		fail_msg("'%s' was changed by store_open", path);
	}
	free(before);
	free(after);
	check_err(err, AP_EXIT_STORE, needle, path);
	assert_no_side_files(path);
}

/* Run the sqlite3 shell on `db` with `sql`. */
static void
shell(const struct fdir *d, const char *db, const char *sql)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' \"%s\" >/dev/null", db, sql);
	if (system(cmd) != 0)
		fail_msg("sqlite3 shell failed: %s", cmd);
	(void)d;
}

static long long
shell_int(const char *db, const char *sql)
{
	char cmd[512], line[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' '%s'", db, sql);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(line, sizeof(line), p))
		line[0] = '\0';
	pclose(p);
	return strtoll(line, NULL, 10);
}

static void
test_file_new_store(void **state)
{
	struct fdir *d = *state;
	struct store *s = NULL;
	struct store_project q;
	struct stat sb;
	char *val = NULL;

	OK(store_open(d->path, 1000, STORE_CREATE, &s));
	assert_true(store_created(s));
	assert_string_equal(store_path(s), d->path);
	mkproj(s, "persisted", "feasibility");
	store_close(s);
	/* new store files are 0600 */
	assert_int_equal(stat(d->path, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);

	s = NULL;
	OK(store_open(d->path, 1000, STORE_CREATE, &s));
	assert_false(store_created(s));
	OK(store_project_get(s, "persisted", &q));
	store_project_clear(&q);
	OK(store_meta_get(s, "policy", &val));
	assert_string_equal(val, "open");
	free(val);
	store_close(s);

	if (d->have_shell) {
		assert_int_equal(shell_int(d->path, "PRAGMA application_id"),
				 0x41495052);
		assert_int_equal(shell_int(d->path, "PRAGMA user_version"),
				 store_nmigrations);
	}
}

static void
test_file_not_sqlite(void **state)
{
	struct fdir *d = *state;
	char text[300];

	for (size_t i = 0; i < sizeof(text); i++)
		text[i] = "not a database\n"[i % 15];
	write_file(d->path, text, sizeof(text));
	check_refused_untouched(d->path, "not an aiproj store");
	/* a short one, too */
	write_file(d->path, "hello\n", 6);
	check_refused_untouched(d->path, "not an aiproj store");
}

static void
test_file_foreign_sqlite(void **state)
{
	struct fdir *d = *state;

	if (!d->have_shell)
		skip();
	shell(
	    d, d->path,
	    "CREATE TABLE notes (x TEXT); INSERT INTO notes VALUES ('mine');");
	check_refused_untouched(
	    d->path, "is an SQLite database but not an aiproj store");
	/* a user_version alone does not make it ours */
	shell(d, d->path, "PRAGMA user_version = 1;");
	check_refused_untouched(d->path, "not an aiproj store");
}

static void
test_file_newer_schema(void **state)
{
	struct fdir *d = *state;
	struct store *s = NULL;
	char sql[256];

	if (!d->have_shell)
		skip();
	/* a real store, then bumped as if by a newer aiproj */
	OK(store_open(d->path, 1000, STORE_CREATE, &s));
	store_close(s);
	snprintf(sql, sizeof(sql),
		 "PRAGMA journal_mode = DELETE; PRAGMA user_version = %d;",
		 store_nmigrations + 1);
	shell(d, d->path, sql);
	check_refused_untouched(d->path, "newer than this aiproj knows");
	assert_int_equal(shell_int(d->path, "PRAGMA user_version"),
			 store_nmigrations + 1);
}

static void
test_file_migrates_older(void **state)
{
	struct fdir *d = *state;
	struct store *s = NULL;
	struct store_project q;
	char script[160], cmd[400];

	if (!d->have_shell)
		skip();
	if (store_nmigrations < 2)
		skip();
	/* a version-1 store with a project in it */
	snprintf(script, sizeof(script), "%s/v1.sql", d->dir);
	write_file(script, store_migrations[0], strlen(store_migrations[0]));
	snprintf(cmd, sizeof(cmd), "sqlite3 '%s' < '%s'", d->path, script);
	assert_int_equal(system(cmd), 0);
	shell(d, d->path,
	      "INSERT INTO meta VALUES ('policy', 'open');"
	      " INSERT INTO project (name, stage, entered_at, created_at)"
	      " VALUES ('old', 'feasibility', 'x', 'y');"
	      " INSERT INTO project (name, status, status_reason, stage,"
	      "  entered_at, created_at) VALUES"
	      "  ('held', 'on-hold', 'r', 'feasibility', '" T1 "', '" T0 "'),"
	      "  ('shut', 'closed', 'r', 'feasibility', '" T1 "', '" T0 "');"
	      " INSERT INTO decision (project_id, kind, reason, actor, at)"
	      "  SELECT id, 'make', 'r', 'ann', '" T2 "' FROM project"
	      "  WHERE name = 'shut';"
	      " INSERT INTO assignment (project_id, role, person, assigned_at)"
	      "  SELECT id, 'sponsor', 'ann', '" T3 "' FROM project"
	      "  WHERE name IN ('held', 'shut');"
	      " PRAGMA application_id = 1095323730; PRAGMA user_version = 1;");

	OK(store_open(d->path, 1000, STORE_CREATE, &s));
	assert_false(store_created(s));
	/* opening converts nothing: the migration is made inside each
	 * transaction, and kept only when a writer's commits */
	assert_int_equal(shell_int(d->path, "PRAGMA user_version"), 1);
	OK(store_begin(s, 0));
	OK(store_project_get(s, "old", &q));
	store_project_clear(&q);
	OK(store_commit(s)); /* a reader's: rolled back all the same */
	assert_int_equal(shell_int(d->path, "PRAGMA user_version"), 1);
	OK(store_begin(s, 1));
	store_rollback(s); /* a writer that failed */
	assert_int_equal(shell_int(d->path, "PRAGMA user_version"), 1);
	OK(store_begin(s, 1));
	OK(store_project_get(s, "old", &q));
	assert_string_equal(q.stage, "feasibility");
	/* schema 4 fills status_at: created_at for an active project, */
	assert_string_equal(q.status_at, "y");
	store_project_clear(&q);
	/* on hold: the latest of entered_at, decisions and approvals (an
	 * assignment may come after a hold) */
	OK(store_project_get(s, "held", &q));
	assert_string_equal(q.status_at, T1);
	store_project_clear(&q);
	/* closed: the latest thing it records (here the assignment at T3,
	 * after the decision at T2) */
	OK(store_project_get(s, "shut", &q));
	assert_string_equal(q.status_at, T3);
	store_project_clear(&q);
	OK(store_commit(s));
	store_close(s);
	assert_int_equal(shell_int(d->path, "PRAGMA user_version"),
			 store_nmigrations);
}

static void
test_file_directory(void **state)
{
	struct fdir *d = *state;
	struct store *s = (struct store *)1;

	check_err(store_open(d->dir, 1000, STORE_CREATE, &s), AP_EXIT_STORE,
		  "it is a directory", "directory");
	assert_null(s);
}

static void
test_file_missing_dir(void **state)
{
	struct fdir *d = *state;
	struct store *s = (struct store *)1;
	char path[160];

	snprintf(path, sizeof(path), "%s/no/such/dir/x.db", d->dir);
	check_err(store_open(path, 1000, STORE_CREATE, &s), AP_EXIT_STORE,
		  "cannot create store", "missing directory");
	assert_null(s);
	assert_false(exists(path));
}

static void
test_file_busy(void **state)
{
	struct fdir *d = *state;
	struct store *a = NULL, *b = NULL;
	struct store_project q;

	OK(store_open(d->path, 1000, STORE_CREATE, &a));
	OK(store_open(d->path, 100, STORE_CREATE, &b));
	OK(store_begin(a, 1));
	mkproj(a, "first", "feasibility");
	/* a second writer waits 100 ms, then gives up: try again (8) */
	check_err(store_begin(b, 1), AP_EXIT_UNAVAILABLE, "is busy", "busy");
	/* readers are not blocked in WAL mode, and see the last commit */
	OK(store_begin(b, 0));
	check_err(store_project_get(b, "first", &q), AP_EXIT_NOTFOUND, NULL,
		  "uncommitted");
	OK(store_commit(b));
	OK(store_commit(a));
	OK(store_begin(b, 1));
	OK(store_project_get(b, "first", &q));
	store_project_clear(&q);
	OK(store_commit(b));
	store_close(a);
	store_close(b);
}

/* The tests that go through store.h only: each runs on a new in-memory
 * SQLite store, and again on a new PostgreSQL database when
 * $AIPROJ_PG_URL is set. */
/* ---- every project's lists in one pass (export) ---- */

static const struct ap_error *cb_release(void *arg,
					 const struct store_release *r);
static const struct ap_error *cb_change(void *arg,
					const struct store_kpi_change *c);
static const struct ap_error *cb_kpi_every(void *arg,
					   const struct store_kpi *k);
static const struct ap_error *cb_reading_breach(void *arg,
						const struct store_reading *r);

static const struct ap_error *
cb_approval(void *arg, const struct store_approval *a)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s|%lld|%s|%s|%s|%s|%s\n", a->stage,
		    (long long)a->epoch, a->person, a->role, nz(a->note), a->at,
		    nz(a->hash));
	return NULL;
}

struct lists_walk {
	struct fx *fx;
	struct store_lists *l;
	int n, every; /* projects seen; ask for every one, or every other */
};

static const struct ap_error *
lists_project(void *arg, const struct store_project *p)
{
	static const struct store_lists_fns fns = {
	    cb_decision,   cb_kpi_every, cb_reading_breach, cb_change,
	    cb_assignment, cb_component, cb_criterion,      cb_approval,
	    cb_transition, cb_event,     cb_release,
	};
	struct lists_walk *w = arg;
	struct fx *fx = w->fx;
	int64_t id = p->id;
	char *want;

	if (!w->every && w->n++ % 2)
		return NULL; /* passed over: its rows are skipped */
	/* each list as its own function gives it */
	out_reset(fx);
	OK(store_decisions(fx->s, id, cb_decision, fx));
	OK(store_kpis_every(fx->s, id, cb_kpi_every, fx));
	OK(store_readings(fx->s, id, cb_reading_breach, fx));
	OK(store_kpi_changes(fx->s, id, cb_change, fx));
	OK(store_assignments(fx->s, id, cb_assignment, fx));
	OK(store_components(fx->s, id, cb_component, fx));
	OK(store_criteria(fx->s, id, NULL, cb_criterion, fx));
	OK(store_approvals(fx->s, id, cb_approval, fx));
	OK(store_transitions(fx->s, id, cb_transition, fx));
	OK(store_events(fx->s, id, cb_event, fx));
	OK(store_releases(fx->s, id, cb_release, fx));
	assert_non_null(want = strdup(out(fx)));
	out_reset(fx);
	OK(store_lists_of(w->l, p, &fns, fx));
	if (strcmp(out(fx), want) != 0)
		fail_msg("project %s: one pass gave\n%s\nnot\n%s", p->name,
			 out(fx), want);
	free(want);
	if (w->every)
		w->n++;
	return NULL;
}

static void
test_lists(void **state)
{
	struct fx *fx = *state;
	struct store_event e = {"note", NULL, NULL, "hi", "ann", T2};
	struct store_transition t = {
	    0,   "data-preparation", "feasibility", "back", "bob", "redo", T2,
	    NULL};
	int64_t zeta, beta;

	/* ids out of name order; lists empty beside full ones */
	zeta = populate(fx, "zeta");
	populate(fx, "alpha");
	mkproj(fx->s, "mid", "feasibility"); /* nothing but itself */
	beta = populate(fx, "beta");
	mkproj(fx->s, "gone", "feasibility");
	OK(store_project_rename(fx->s, zeta, "aaa"));
	OK(store_event_add(fx->s, beta, &e));
	OK(store_event_add(fx->s, beta, &e));
	t.project_id = beta;
	OK(store_transition_add(fx->s, &t));
	OK(store_kpi_add(fx->s, beta, "latency", "<", 250, T0));
	OK(store_kpi_record(fx->s, beta, "latency", 300, "ann", T1));
	OK(store_kpi_record(fx->s, beta, "accuracy", 0.7, "ann", T2));
	OK(store_kpi_record(fx->s, beta, "latency", 200, "ann", T2));
	OK(store_project_delete(fx->s,
				mkproj(fx->s, "deleted", "feasibility")));
	/* the projects from the lists' own walk, then from the list of
	 * projects: every one, and every other one */
	for (int pass = 0; pass < 3; pass++) {
		struct lists_walk w = {.fx = fx, .every = pass < 2};
		OK(store_begin(fx->s, 0));
		OK(store_lists_open(fx->s, &w.l));
		if (pass == 0)
			OK(store_lists_projects(w.l, lists_project, &w));
		else
			OK(store_project_list(fx->s, NULL, 1, lists_project,
					      &w));
		store_lists_close(w.l);
		store_rollback(fx->s);
		assert_int_equal(w.n, 5);
	}
}

/* ---- releases and monitoring ---- */

static const struct ap_error *
cb_release(void *arg, const struct store_release *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s:%s:%s:%s|", r->version,
		    r->ended ? r->ended : "live",
		    r->ended_by ? r->ended_by : "-",
		    r->end_reason ? r->end_reason : "-");
	return NULL;
}

static void
test_releases(void **state)
{
	struct fx *fx = *state;
	int64_t id = mkproj(fx->s, "p", "deployment");
	struct store_release r1 = {.version = "1.0",
				   .artifact = "oci://m:1",
				   .actor = "ann",
				   .at = T1};
	struct store_release r2 = {.version = "2.0", .actor = "bo", .at = T2};
	char *sup = (char *)"x";

	OK(store_release_add(fx->s, id, &r1, &sup));
	assert_null(sup);
	check_err(store_release_add(fx->s, id, &r1, &sup), AP_EXIT_CONFLICT,
		  "release '1.0' already exists", "again");
	assert_null(sup);
	OK(store_release_add(fx->s, id, &r2, &sup));
	assert_string_equal(sup, "1.0");
	free(sup);
	out_reset(fx);
	OK(store_releases(fx->s, id, cb_release, fx));
	assert_string_equal(out(fx), "1.0:superseded:bo:superseded by 2.0|"
				     "2.0:live:-:-|");
	out_reset(fx);
	OK(store_release_live(fx->s, id, cb_release, fx));
	assert_string_equal(out(fx), "2.0:live:-:-|");
	check_err(store_release_retire(fx->s, id, "1.0", "ann", T3, "x"),
		  AP_EXIT_REFUSED, "is not live: it was superseded", "retire");
	check_err(store_release_retire(fx->s, id, "9", "ann", T3, "x"),
		  AP_EXIT_NOTFOUND, "no release '9'", "retire unknown");
	OK(store_release_retire(fx->s, id, "2.0", "ann", T3, "done"));
	out_reset(fx);
	OK(store_release_live(fx->s, id, cb_release, fx));
	assert_int_equal(fx->calls, 0);
	/* two live releases cannot be imported */
	check_err(store_release_import(fx->s, id,
				       &(struct store_release){.version = "3",
							       .actor = "a",
							       .at = T3}),
		  0, NULL, "import live");
	check_err(store_release_import(fx->s, id,
				       &(struct store_release){.version = "4",
							       .actor = "a",
							       .at = T3}),
		  AP_EXIT_CONFLICT, "another release is live", "two live");
}

static const struct ap_error *
cb_change(void *arg, const struct store_kpi_change *c)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s:%s:%s%g<-%s%g:%s|", c->kpi, c->kind, c->op,
		    c->target, c->was_op, c->was_target,
		    c->reason ? c->reason : "-");
	return NULL;
}

static const struct ap_error *
cb_kpi_every(void *arg, const struct store_kpi *k)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s:%s%g:%s|", k->name, k->op, k->target,
		    k->removed_at ? k->removed_at : "-");
	return NULL;
}

static const struct ap_error *
cb_reading_breach(void *arg, const struct store_reading *r)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s=%g%s|", r->kpi, r->value,
		    r->breach ? "!" : "");
	return NULL;
}

static void
test_kpi_changes(void **state)
{
	struct fx *fx = *state;
	int64_t id = mkproj(fx->s, "p", "deployment");
	char *back = (char *)"x";

	OK(store_kpi_add(fx->s, id, "auc", ">=", 0.8, T0));
	OK(store_kpi_add(fx->s, id, "lat", "<=", 200, T0));
	OK(store_kpi_reading_add(fx->s, id, "auc", 0.7, 1, "ann", T1));
	OK(store_kpi_record(fx->s, id, "auc", 0.9, "ann", T2));
	OK(store_kpi_set(fx->s, id, "auc", ">", 0.85, "raise", "bo", T2));
	OK(store_kpi_remove(fx->s, id, "lat", "gone", "bo", T3));
	check_err(store_kpi_remove(fx->s, id, "lat", "again", "bo", T3),
		  AP_EXIT_NOTFOUND, "no KPI 'lat'", "removed twice");
	check_err(store_kpi_set(fx->s, id, "nope", ">", 1, NULL, "bo", T3),
		  AP_EXIT_NOTFOUND, "no KPI 'nope'", "set unknown");
	out_reset(fx);
	OK(store_kpi_changes(fx->s, id, cb_change, fx));
	assert_string_equal(
	    out(fx),
	    "auc:set:>0.85<->=0.8:raise|lat:remove:<=200<-<=200:gone|");
	out_reset(fx);
	OK(store_kpis_every(fx->s, id, cb_kpi_every, fx));
	assert_string_equal(out(fx), "auc:>0.85:-|lat:<=200:" T3 "|");
	/* a removed KPI no longer counts */
	out_reset(fx);
	OK(store_kpis(fx->s, id, cb_kpi, fx));
	assert_int_equal(fx->calls, 1);
	out_reset(fx);
	OK(store_readings(fx->s, id, cb_reading_breach, fx));
	assert_string_equal(out(fx), "auc=0.7!|auc=0.9|");
	OK(store_last_back(fx->s, id, &back));
	assert_null(back);
}

static const struct ap_error *
cb_monitor(void *arg, const struct store_monitor_row *m)
{
	struct fx *fx = arg;

	fx->calls++;
	sbuf_printf(&fx->out, "%s:%s:%d|", m->project,
		    m->version ? m->version : "-", m->open_breaches);
	return NULL;
}

static void
test_report_monitor(void **state)
{
	struct fx *fx = *state;
	int64_t a = mkproj(fx->s, "a", "deployment");
	int64_t b = mkproj(fx->s, "b", "deployment");
	char *sup = NULL, *back = NULL;
	struct store_release r = {.version = "1", .actor = "ann", .at = T0};
	struct store_transition t = {
	    a,  "deployment", "prototyping-testing", "back", "ann", "breach",
	    T2, NULL};

	(void)mkproj(fx->s, "c", "feasibility");
	OK(store_release_add(fx->s, a, &r, &sup));
	OK(store_kpi_add(fx->s, a, "auc", ">=", 0.8, T0));
	OK(store_kpi_reading_add(fx->s, a, "auc", 0.5, 1, "ann", T1));
	OK(store_kpi_add(fx->s, b, "auc", ">=", 0.8, T0));
	OK(store_kpi_reading_add(fx->s, b, "auc", 0.5, 1, "ann", T1));
	out_reset(fx);
	OK(store_report_monitor(fx->s, cb_monitor, fx));
	assert_string_equal(out(fx), "a:1:1|b:-:1|");
	/* going back closes the breach; a later reading that meets too */
	OK(store_transition_add(fx->s, &t));
	OK(store_kpi_record(fx->s, b, "auc", 0.9, "ann", T3));
	out_reset(fx);
	OK(store_report_monitor(fx->s, cb_monitor, fx));
	assert_string_equal(out(fx), "a:1:0|");
	OK(store_last_back(fx->s, a, &back));
	assert_string_equal(back, T2);
	free(back);
}

#define STORE_TESTS(T)                                                         \
	T(test_meta_set_get)                                                   \
	T(test_admins)                                                         \
	T(test_server_policy)                                                  \
	T(test_project_create_get)                                             \
	T(test_project_list)                                                   \
	T(test_project_rename)                                                 \
	T(test_project_set_status)                                             \
	T(test_project_move_epoch)                                             \
	T(test_project_delete_cascades)                                        \
	T(test_transitions)                                                    \
	T(test_events_log)                                                     \
	T(test_feed)                                                           \
	T(test_stage_entry_epoch)                                              \
	T(test_criteria_numbering)                                             \
	T(test_criteria_set_reopen)                                            \
	T(test_assignments)                                                    \
	T(test_decisions)                                                      \
	T(test_kpis)                                                           \
	T(test_approvals)                                                      \
	T(test_components)                                                     \
	T(test_handover)                                                       \
	T(test_batch)                                                          \
	T(test_transactions)                                                   \
	T(test_audit)                                                          \
	T(test_chain)                                                          \
	T(test_chain_monitor)                                                  \
	T(test_chain_fresh)                                                    \
	T(test_report_roles)                                                   \
	T(test_report_status)                                                  \
	T(test_report_status_staffed)                                          \
	T(test_report_status_where)                                            \
	T(test_report_people)                                                  \
	T(test_people)                                                         \
	T(test_people_filter)                                                  \
	T(test_releases)                                                       \
	T(test_lists)                                                          \
	T(test_kpi_changes)                                                    \
	T(test_report_monitor)                                                 \
	T(test_copy)

int
main(void)
{
#define MEM(t) cmocka_unit_test_setup_teardown(t, setup_mem, teardown_mem),
#define PG(t) cmocka_unit_test_setup_teardown(t, setup_pg, teardown_pg),
#define FS(t) cmocka_unit_test_setup_teardown(t, setup_dir, teardown_dir),
	const struct CMUnitTest tests[] = {STORE_TESTS(MEM)};
	const struct CMUnitTest pg_tests[] = {STORE_TESTS(PG)};
	/* what only an SQLite store has */
	const struct CMUnitTest file_tests[] = {
	    MEM(test_open_memory) MEM(test_sha256_vectors)
		MEM(test_feed_bulk_triggers) FS(test_file_new_store)
		    FS(test_file_not_sqlite) FS(test_file_foreign_sqlite)
			FS(test_file_newer_schema) FS(test_file_migrates_older)
			    FS(test_file_directory) FS(test_file_missing_dir)
				FS(test_file_busy)};
	int rc = cmocka_run_group_tests_name("store", tests, NULL, NULL);

	rc |=
	    cmocka_run_group_tests_name("SQLite files", file_tests, NULL, NULL);
	if (getenv("AIPROJ_PG_URL"))
		rc |= cmocka_run_group_tests_name("store on PostgreSQL",
						  pg_tests, NULL, NULL);
	ap_error_cleanup();
	return rc;
}
