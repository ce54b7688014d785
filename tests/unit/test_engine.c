/*
 * test_engine.c - unit tests of the lifecycle engine (engine.c, lifecycle.c,
 * util.c, error.c).  Links neither SQLite nor libyaml: the lifecycles are
 * built by hand here, with five, three and seven stages, so that nothing
 * may assume the default's five.
 */
#include <errno.h>
#include <math.h>
#include <time.h>

#include "aiproj/engine.h"
#include "aiproj/lifecycle.h"
#include "aiproj/util.h"
#include "testutil.h"

/* ---- helpers ---- */

static size_t
count_str(const char *hay, const char *needle)
{
	size_t n = 0;

	for (const char *p = hay; p && (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static char *
xdup(const char *s)
{
	char *d = strdup(s);

	assert_non_null(d);
	return d;
}

/* ---- hand-built lifecycles ---- */

struct stage_def {
	const char *slug, *name;
	const char *a; /* accountable role, or NULL */
	const char *r; /* responsible roles, comma-separated, or NULL */
	const char *c; /* consulted roles, or NULL */
	int decision, kpi;
};

static void
set_roles(struct lifecycle *lc, struct lc_stage *st, const char *list, int raci)
{
	char buf[256], *save = NULL;

	if (!list)
		return;
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *t = strtok_r(buf, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		int r = lifecycle_role(lc, t);
		if (r < 0)
			fail_msg("fixture names unknown role '%s'", t);
		st->raci[r] = (unsigned char)raci;
	}
}

static void
lc_build(struct lifecycle *lc, const char *const *roles, size_t nroles,
	 const struct stage_def *defs, size_t nstages)
{
	memset(lc, 0, sizeof(*lc));
	for (size_t i = 0; i < nroles; i++) {
		lc->roles[i].slug = xdup(roles[i]);
		lc->roles[i].name = xdup(roles[i]);
		lc->roles[i].description = xdup("");
		lc->nroles++;
	}
	for (size_t i = 0; i < nstages; i++) {
		struct lc_stage *st = &lc->stages[i];
		char crit[64];

		st->slug = xdup(defs[i].slug);
		st->name = xdup(defs[i].name);
		st->description = xdup("");
		lc->nstages++;
		set_roles(lc, st, defs[i].a, RACI_A);
		set_roles(lc, st, defs[i].r, RACI_R);
		set_roles(lc, st, defs[i].c, RACI_C);
		st->requires_decision = defs[i].decision;
		st->requires_kpi = defs[i].kpi;
		st->starts_after = -1;
		st->criteria = calloc(2, sizeof(char *));
		assert_non_null(st->criteria);
		for (int k = 0; k < 2; k++) {
			snprintf(crit, sizeof(crit), "%s criterion %d",
				 defs[i].slug, k + 1);
			st->criteria[st->ncriteria++] = xdup(crit);
		}
	}
}

enum { LC_DEFAULT, LC_THREE, LC_SEVEN, LC_COUNT };
static struct lifecycle lcs[LC_COUNT];

/* The default lifecycle (schemas/lifecycle.yaml). */
static const char *const default_roles[] = {"sponsor",       "data-analyst",
					    "data-engineer", "data-scientist",
					    "ai-engineer",   "devops"};
static const struct stage_def default_stages[] = {
    {"feasibility", "Feasibility", "sponsor", "ai-engineer", "data-analyst", 1,
     1},
    {"data-preparation", "Data preparation", "data-engineer", "data-analyst",
     NULL, 0, 0},
    {"prototyping-testing", "Prototyping & testing", "data-scientist",
     "data-engineer,ai-engineer", NULL, 0, 0},
    {"productization", "Productization", "data-engineer", "devops,ai-engineer",
     "data-analyst", 0, 0},
    {"deployment", "Deployment", "devops", NULL, NULL, 0, 0},
};

/* Three stages; the decision is taken at the second, the last has no
 * accountable role. */
static const char *const three_roles[] = {"owner", "builder", "reviewer"};
static const struct stage_def three_stages[] = {
    {"plan", "Plan", "owner", "builder", "reviewer", 0, 1},
    {"build", "Build", "builder", "reviewer", NULL, 1, 0},
    {"ship", "Ship", NULL, "builder", NULL, 0, 0},
};

/* Seven stages; "test" is a prefix of "testing"; no stage decides; the last
 * one names no role at all. */
static const char *const seven_roles[] = {"lead", "dev", "ops", "qa"};
static const struct stage_def seven_stages[] = {
    {"intake", "Intake", "lead", NULL, NULL, 0, 0},
    {"design", "Design", "lead", "dev", "qa", 0, 0},
    {"build", "Build", "dev", "qa", NULL, 0, 0},
    {"test", "Test", "qa", "dev", NULL, 0, 0},
    {"testing", "Field testing", "qa", "ops", "lead", 0, 0},
    {"release", "Release", "ops", "dev,lead", NULL, 0, 1},
    {"operate", "Operate", NULL, NULL, NULL, 0, 0},
};

static int
group_setup(void **state)
{
	(void)state;
	lc_build(&lcs[LC_DEFAULT], default_roles, N_ELEMS(default_roles),
		 default_stages, N_ELEMS(default_stages));
	lc_build(&lcs[LC_THREE], three_roles, N_ELEMS(three_roles),
		 three_stages, N_ELEMS(three_stages));
	lc_build(&lcs[LC_SEVEN], seven_roles, N_ELEMS(seven_roles),
		 seven_stages, N_ELEMS(seven_stages));
	/* as the YAML loader sets it: prototyping-testing, or none */
	lcs[LC_DEFAULT].on_breach = 2;
	lcs[LC_THREE].on_breach = -1;
	lcs[LC_SEVEN].on_breach = -1;
	/* on_buy: productization by default; the others close */
	lcs[LC_DEFAULT].on_buy = 3;
	lcs[LC_THREE].on_buy = -1;
	lcs[LC_SEVEN].on_buy = -1;
	return 0;
}

static int
group_teardown(void **state)
{
	(void)state;
	for (int i = 0; i < LC_COUNT; i++)
		lifecycle_free(&lcs[i]);
	ap_error_cleanup();
	return 0;
}

/* A project's state as a test describes it. */
struct proj_def {
	int status, stage;
	const char *staffed; /* comma-separated role slugs, "*" for all */
	int ncrit;
	unsigned done_mask; /* bit k: criterion k+1 done */
	int decision, has_cost, kpis, approvals;
};

static struct eng_criterion crit_buf[8];

static void
proj_build(const struct lifecycle *lc, const struct proj_def *d,
	   struct eng_project *p)
{
	memset(p, 0, sizeof(*p));
	p->name = "demo";
	p->status = d->status;
	p->stage = d->stage;
	if (d->staffed && strcmp(d->staffed, "*") == 0) {
		for (size_t r = 0; r < lc->nroles; r++)
			p->staffed[r] = 1;
	} else if (d->staffed) {
		char buf[256], *save = NULL;
		snprintf(buf, sizeof(buf), "%s", d->staffed);
		for (char *t = strtok_r(buf, ",", &save); t;
		     t = strtok_r(NULL, ",", &save)) {
			int r = lifecycle_role(lc, t);
			if (r < 0)
				fail_msg("case names unknown role '%s'", t);
			p->staffed[r]++;
		}
	}
	assert_true(d->ncrit <= (int)N_ELEMS(crit_buf));
	for (int k = 0; k < d->ncrit; k++) {
		crit_buf[k].id = k + 1;
		crit_buf[k].text =
		    k == 0 ? "first criterion" : "another criterion";
		crit_buf[k].done = (d->done_mask >> k) & 1;
	}
	p->criteria = d->ncrit ? crit_buf : NULL;
	p->ncriteria = (size_t)d->ncrit;
	p->decision = d->decision;
	p->has_cost = d->has_cost;
	p->kpis = d->kpis;
	p->approvals = d->approvals;
}

/* "kind/id/done" of every item, space-separated. */
static void
gate_summary(const struct gate *g, char *buf, size_t len)
{
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < g->n && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%s/%s/%d",
					i ? " " : "",
					gate_kind_name(g->items[i].kind),
					g->items[i].id, g->items[i].done);
}

/* ---- gate_eval: a table of cases ---- */

struct gate_case {
	const char *label;
	int lc;
	struct proj_def p;
	const char *items; /* expected gate_summary() */
	size_t met;
	int passed;
};

static const struct gate_case gate_cases[] = {
    {"feasibility, nothing done",
     LC_DEFAULT,
     {PS_ACTIVE, 0, NULL, 2, 0, DK_NONE, 0, 0, 0},
     "role/role:sponsor/0 role/role:ai-engineer/0 decision/decision/0 "
     "kpi/kpi/0 manual/1/0 manual/2/0 approval/approval/0",
     0,
     0},
    {"feasibility, everything done",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 1, 1},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/1 "
     "kpi/kpi/1 manual/1/1 manual/2/1 approval/approval/1",
     7,
     1},
    {"feasibility, make decision without a cost",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 0, 1, 1},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/0 "
     "kpi/kpi/1 manual/1/1 manual/2/1 approval/approval/1",
     6,
     0},
    {"feasibility, buy decision with a cost",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_BUY, 1, 1, 1},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/0 "
     "kpi/kpi/1 manual/1/1 manual/2/1 approval/approval/1",
     6,
     0},
    {"feasibility, no KPI",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 0, 1},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/1 "
     "kpi/kpi/0 manual/1/1 manual/2/1 approval/approval/1",
     6,
     0},
    {"feasibility, no approval",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 2, 0},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/1 "
     "kpi/kpi/1 manual/1/1 manual/2/1 approval/approval/0",
     6,
     0},
    {"feasibility, one manual criterion open",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 1, DK_MAKE, 1, 1, 1},
     "role/role:sponsor/1 role/role:ai-engineer/1 decision/decision/1 "
     "kpi/kpi/1 manual/1/1 manual/2/0 approval/approval/1",
     6,
     0},
    {"feasibility, only consulted and informed roles staffed",
     LC_DEFAULT,
     {PS_ACTIVE, 0, "data-analyst,data-engineer,data-scientist,devops", 2, 3,
      DK_MAKE, 1, 1, 1},
     "role/role:sponsor/0 role/role:ai-engineer/0 decision/decision/1 "
     "kpi/kpi/1 manual/1/1 manual/2/1 approval/approval/1",
     5,
     0},
    {"data-preparation asks no decision nor KPI",
     LC_DEFAULT,
     {PS_ACTIVE, 1, "data-engineer,data-analyst", 1, 1, DK_NONE, 0, 0, 1},
     "role/role:data-engineer/1 role/role:data-analyst/1 manual/1/1 "
     "approval/approval/1",
     4,
     1},
    {"prototyping-testing: A first, then both R roles",
     LC_DEFAULT,
     {PS_ACTIVE, 2, "data-scientist,ai-engineer", 0, 0, DK_NONE, 0, 0, 0},
     "role/role:data-scientist/1 role/role:data-engineer/0 "
     "role/role:ai-engineer/1 approval/approval/0",
     2,
     0},
    {"productization: consulted data-analyst is no gate item",
     LC_DEFAULT,
     {PS_ACTIVE, 3, "data-analyst", 3, 2, DK_MAKE, 1, 1, 0},
     "role/role:data-engineer/0 role/role:ai-engineer/0 role/role:devops/0 "
     "manual/1/0 manual/2/1 manual/3/0 approval/approval/0",
     1,
     0},
    {"deployment: only the accountable role and the approval",
     LC_DEFAULT,
     {PS_ACTIVE, 4, "devops", 0, 0, DK_NONE, 0, 0, 1},
     "role/role:devops/1 approval/approval/1",
     2,
     1},
    {"three stages: plan asks a KPI but no decision",
     LC_THREE,
     {PS_ACTIVE, 0, "owner", 1, 0, DK_NONE, 0, 1, 0},
     "role/role:owner/1 role/role:builder/0 kpi/kpi/1 manual/1/0 "
     "approval/approval/0",
     2,
     0},
    {"three stages: build asks the decision, not a KPI",
     LC_THREE,
     {PS_ACTIVE, 1, "builder,reviewer", 0, 0, DK_MAKE, 1, 0, 1},
     "role/role:builder/1 role/role:reviewer/1 decision/decision/1 "
     "approval/approval/1",
     4,
     1},
    {"three stages: ship has no accountable role",
     LC_THREE,
     {PS_ACTIVE, 2, "builder", 0, 0, DK_NONE, 0, 0, 1},
     "role/role:builder/1 approval/approval/1",
     2,
     1},
    {"seven stages: release asks a KPI",
     LC_SEVEN,
     {PS_ACTIVE, 5, "*", 2, 3, DK_NONE, 0, 0, 1},
     "role/role:ops/1 role/role:lead/1 role/role:dev/1 kpi/kpi/0 "
     "manual/1/1 manual/2/1 approval/approval/1",
     6,
     0},
    {"seven stages: a stage naming no role",
     LC_SEVEN,
     {PS_ACTIVE, 6, NULL, 0, 0, DK_NONE, 0, 0, 0},
     "approval/approval/0",
     0,
     0},
    {"seven stages: a stage naming no role, approved",
     LC_SEVEN,
     {PS_ACTIVE, 6, NULL, 0, 0, DK_NONE, 0, 0, 3},
     "approval/approval/1",
     1,
     1},
};

static void
test_gate_eval_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(gate_cases); i++) {
		const struct gate_case *c = &gate_cases[i];
		const struct lifecycle *lc = &lcs[c->lc];
		struct eng_project p;
		struct gate g;
		char got[1024];
		size_t undone = 0;

		proj_build(lc, &c->p, &p);
		check_err(gate_eval(lc, &p, p.stage, &g), 0, NULL, c->label);
		gate_summary(&g, got, sizeof(got));
		if (strcmp(got, c->items) != 0) {
			gate_free(&g);
			fail_msg("%s:\n  expected %s\n  got      %s", c->label,
				 c->items, got);
		}
		for (size_t k = 0; k < g.n; k++) {
			undone += !g.items[k].done;
			/* a hint says what to do, only when not done */
			if (g.items[k].done ? g.items[k].hint != NULL
					    : g.items[k].hint == NULL)
				fail_msg("%s: item %zu hint %s", c->label, k,
					 g.items[k].hint ? "set" : "missing");
		}
		if (g.met != c->met || g.passed != c->passed ||
		    g.stage != c->p.stage || g.n - undone != g.met)
			fail_msg("%s: met %zu passed %d stage %d (want met %zu"
				 " passed %d stage %d)",
				 c->label, g.met, g.passed, g.stage, c->met,
				 c->passed, c->p.stage);
		/* the counts-only walk used by report status agrees */
		{
			size_t met = 99, total = 99;
			check_err(gate_count(lc, &p, p.stage, &met, &total), 0,
				  NULL, c->label);
			if (met != g.met || total != g.n)
				fail_msg("%s: gate_count %zu/%zu, gate_eval"
					 " %zu/%zu",
					 c->label, met, total, g.met, g.n);
		}
		gate_free(&g);
		assert_null(g.items);
		assert_int_equal(g.n, 0);
	}
}

static void
test_gate_item_texts(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def d = {PS_ACTIVE, 0, NULL, 1, 0, DK_MAKE, 0, 0, 0};
	struct eng_project p;
	struct gate g;

	(void)state;
	proj_build(lc, &d, &p);
	assert_null(gate_eval(lc, &p, 0, &g));
	assert_int_equal(g.n, 6);
	assert_int_equal(g.items[0].kind, GK_ROLE);
	assert_string_equal(g.items[0].text,
			    "sponsor (accountable) has someone assigned");
	assert_string_equal(g.items[0].hint,
			    "aiproj role assign demo sponsor PERSON");
	assert_string_equal(g.items[1].text,
			    "ai-engineer (responsible) has someone assigned");
	assert_int_equal(g.items[2].kind, GK_DECISION);
	assert_string_equal(g.items[2].text,
			    "a make decision with a cost estimate is recorded");
	/* made without a cost: the hint asks for the cost of a make */
	assert_string_equal(
	    g.items[2].hint,
	    "aiproj decide demo make --cost AMOUNT --reason TEXT");
	assert_int_equal(g.items[3].kind, GK_KPI);
	assert_string_equal(g.items[3].text,
			    "at least one KPI with a target is defined");
	assert_string_equal(g.items[3].hint,
			    "aiproj kpi add demo NAME --target '>= NUMBER'");
	assert_int_equal(g.items[4].kind, GK_MANUAL);
	assert_string_equal(g.items[4].id, "1");
	assert_string_equal(g.items[4].text, "first criterion");
	assert_string_equal(g.items[4].hint, "aiproj gate done demo 1");
	assert_int_equal(g.items[5].kind, GK_APPROVAL);
	assert_string_equal(
	    g.items[5].text,
	    "approved by the sponsor since the stage was entered");
	assert_string_equal(g.items[5].hint,
			    "aiproj --actor PERSON gate approve demo (PERSON"
			    " assigned as sponsor)");
	gate_free(&g);

	/* no decision yet: the hint offers make|buy */
	p.decision = DK_NONE;
	assert_null(gate_eval(lc, &p, 0, &g));
	assert_contains(g.items[2].hint, "make|buy");
	gate_free(&g);

	/* the gate of a later stage (one started early): gate approve
	 * approves the current stage's, so the hint says when it can be
	 * given; a passed stage's likewise, without advancing */
	assert_null(gate_eval(lc, &p, 2, &g));
	assert_int_equal(g.items[g.n - 1].kind, GK_APPROVAL);
	assert_string_equal(
	    g.items[g.n - 1].hint,
	    "given only while 'demo' is at prototyping-testing (approvals"
	    " count from when it enters the stage; advance into it first):"
	    " then aiproj --actor PERSON gate approve demo (PERSON assigned"
	    " as data-scientist)");
	gate_free(&g);
	p.stage = 3;
	assert_null(gate_eval(lc, &p, 0, &g));
	assert_string_equal(g.items[g.n - 1].hint,
			    "given only while 'demo' is at feasibility"
			    " (approvals count from when it enters the"
			    " stage): then aiproj --actor PERSON gate approve"
			    " demo (PERSON assigned as sponsor)");
	gate_free(&g);
	p.stage = 0;

	/* a stage without an accountable role: no role in the approval */
	lc = &lcs[LC_THREE];
	p.stage = 2;
	p.criteria = NULL;
	p.ncriteria = 0;
	assert_null(gate_eval(lc, &p, 2, &g));
	assert_int_equal(g.n, 2);
	assert_string_equal(g.items[1].text,
			    "approved since the stage was entered");
	assert_string_equal(g.items[1].hint, "aiproj gate approve demo");
	gate_free(&g);
}

static void
test_gate_eval_counts_only(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def d = {PS_ACTIVE, 1, "*", 0, 0, DK_NONE, 0, 0, 1};
	struct eng_project p;
	struct gate g;
	char got[512];

	(void)state;
	proj_build(lc, &d, &p);
	p.criteria = NULL; /* reports pass counts only */
	p.ncriteria = 3;
	p.ncriteria_done = 2;
	assert_null(gate_eval(lc, &p, 1, &g));
	gate_summary(&g, got, sizeof(got));
	assert_string_equal(got, "role/role:data-engineer/1 "
				 "role/role:data-analyst/1 manual/manual/1 "
				 "manual/manual/1 manual/manual/0 "
				 "approval/approval/1");
	assert_int_equal(g.met, 5);
	assert_false(g.passed);
	gate_free(&g);
}

static void
test_gate_eval_bad_stage(void **state)
{
	const struct lifecycle *lc = &lcs[LC_THREE];
	const struct proj_def d = {PS_ACTIVE, 0, NULL, 0, 0, DK_NONE, 0, 0, 0};
	struct eng_project p;
	struct gate g;

	(void)state;
	proj_build(lc, &d, &p);
	check_err(gate_eval(lc, &p, 3, &g), AP_EXIT_NOTFOUND, "no stage 4",
		  "stage past the end");
	assert_int_equal(g.n, 0);
	assert_null(g.items);
	check_err(gate_eval(lc, &p, -1, &g), AP_EXIT_NOTFOUND, NULL,
		  "negative stage");
	assert_int_equal(g.n, 0);
	/* the same stage index is fine in the longer lifecycle */
	lc = &lcs[LC_SEVEN];
	assert_null(gate_eval(lc, &p, 3, &g));
	assert_int_equal(g.stage, 3);
	gate_free(&g);
}

static void
test_gate_kind_names(void **state)
{
	(void)state;
	assert_string_equal(gate_kind_name(GK_ROLE), "role");
	assert_string_equal(gate_kind_name(GK_MANUAL), "manual");
	assert_string_equal(gate_kind_name(GK_DECISION), "decision");
	assert_string_equal(gate_kind_name(GK_KPI), "kpi");
	assert_string_equal(gate_kind_name(GK_APPROVAL), "approval");
	assert_string_equal(gate_kind_name(99), "?");
}

/* ---- eng_check_advance: a table of cases ---- */

/* A project where everything a gate may ask is done. */
#define FULL(status, stage)                                                    \
	{                                                                      \
		status, stage, "*", 2, 3, DK_MAKE, 1, 1, 1                     \
	}
/* A project where nothing is done. */
#define EMPTY(status, stage)                                                   \
	{                                                                      \
		status, stage, NULL, 2, 0, DK_NONE, 0, 0, 0                    \
	}

struct adv_case {
	const char *label;
	int lc;
	struct proj_def p;
	int force;
	const char *reason;
	int code;
	int to;          /* on success */
	int unmet_lines; /* with a gate refusal, else -1 */
	const char *needle;
};

static const struct adv_case adv_cases[] = {
    {"gate met", LC_DEFAULT, FULL(PS_ACTIVE, 0), 0, NULL, 0, 1, -1, NULL},
    {"gate met at stage 4 of 5", LC_DEFAULT, FULL(PS_ACTIVE, 3), 0, NULL, 0, 4,
     -1, NULL},
    {"gate unmet at feasibility", LC_DEFAULT, EMPTY(PS_ACTIVE, 0), 0, NULL,
     AP_EXIT_REFUSED, 0, 7,
     "cannot advance 'demo': gate of 'feasibility' is unmet (0 of 7"
     " criteria met)"},
    {"gate unmet at data-preparation", LC_DEFAULT, EMPTY(PS_ACTIVE, 1), 0, NULL,
     AP_EXIT_REFUSED, 0, 5, "(0 of 5 criteria met)"},
    {"gate unmet, a reason without --force is no override", LC_DEFAULT,
     EMPTY(PS_ACTIVE, 2), 0, "please", AP_EXIT_REFUSED, 0, 6,
     "gate of 'prototyping-testing' is unmet"},
    {"last stage", LC_DEFAULT, FULL(PS_ACTIVE, 4), 0, NULL, AP_EXIT_REFUSED, 0,
     -1, "'deployment' is the last stage"},
    {"last stage, forced", LC_DEFAULT, FULL(PS_ACTIVE, 4), 1, "go",
     AP_EXIT_REFUSED, 0, -1, "is the last stage"},
    {"on hold", LC_DEFAULT, FULL(PS_ON_HOLD, 0), 0, NULL, AP_EXIT_REFUSED, 0,
     -1, "project is on-hold; only active projects move"},
    {"closed", LC_DEFAULT, FULL(PS_CLOSED, 1), 0, NULL, AP_EXIT_REFUSED, 0, -1,
     "project is closed"},
    {"on hold, forced", LC_DEFAULT, EMPTY(PS_ON_HOLD, 0), 1, "deadline",
     AP_EXIT_REFUSED, 0, -1, "on-hold"},
    {"forced without a reason", LC_DEFAULT, EMPTY(PS_ACTIVE, 0), 1, NULL,
     AP_EXIT_USAGE, 0, -1, "--force needs --reason"},
    {"forced with an empty reason", LC_DEFAULT, EMPTY(PS_ACTIVE, 0), 1, "",
     AP_EXIT_USAGE, 0, -1, "--force needs --reason"},
    {"forced with a reason over an unmet gate", LC_DEFAULT, EMPTY(PS_ACTIVE, 0),
     1, "board decided", 0, 1, -1, NULL},
    {"forced with a reason over a met gate", LC_DEFAULT, FULL(PS_ACTIVE, 2), 1,
     "x", 0, 3, -1, NULL},
    {"three stages: gate met at build", LC_THREE, FULL(PS_ACTIVE, 1), 0, NULL,
     0, 2, -1, NULL},
    {"three stages: ship is last", LC_THREE, FULL(PS_ACTIVE, 2), 0, NULL,
     AP_EXIT_REFUSED, 0, -1, "'ship' is the last stage"},
    {"three stages: gate unmet at plan", LC_THREE, EMPTY(PS_ACTIVE, 0), 0, NULL,
     AP_EXIT_REFUSED, 0, 6, "(0 of 6 criteria met)"},
    {"seven stages: stage 5 is not the last", LC_SEVEN, FULL(PS_ACTIVE, 4), 0,
     NULL, 0, 5, -1, NULL},
    {"seven stages: gate met at release", LC_SEVEN, FULL(PS_ACTIVE, 5), 0, NULL,
     0, 6, -1, NULL},
    {"seven stages: operate is last", LC_SEVEN, FULL(PS_ACTIVE, 6), 0, NULL,
     AP_EXIT_REFUSED, 0, -1, "'operate' is the last stage"},
    {"seven stages: gate unmet at test", LC_SEVEN, EMPTY(PS_ACTIVE, 3), 0, NULL,
     AP_EXIT_REFUSED, 0, 5, "gate of 'test' is unmet"},
};

static void
test_advance_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(adv_cases); i++) {
		const struct adv_case *c = &adv_cases[i];
		const struct lifecycle *lc = &lcs[c->lc];
		const struct ap_error *err;
		struct eng_project p;
		int to = -42;

		proj_build(lc, &c->p, &p);
		err = eng_check_advance(lc, &p, c->force, c->reason, &to);
		check_err(err, c->code, c->needle, c->label);
		if (c->code == 0 && (to != c->to || to != p.stage + 1))
			fail_msg("%s: to %d, want %d", c->label, to, c->to);
		if (c->unmet_lines >= 0 && count_str(err->msg, "\n  unmet: ") !=
					       (size_t)c->unmet_lines)
			fail_msg("%s: want %d unmet lines in '%s'", c->label,
				 c->unmet_lines, err->msg);
		if (c->code != 0 && c->unmet_lines < 0 && err &&
		    strstr(err->msg, "unmet:"))
			fail_msg("%s: unexpected unmet lines in '%s'", c->label,
				 err->msg);
	}
}

/* Each unmet line names one unmet item, with its hint, in gate order. */
static void
test_advance_unmet_lines(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def d = {
	    PS_ACTIVE, 0, "ai-engineer", 2, 2, DK_MAKE, 0, 1, 0};
	const struct ap_error *err;
	struct eng_project p;
	int to = -1;
	char *msg;
	const char *want[] = {
	    "cannot advance 'demo': gate of 'feasibility' is unmet (3 of 7"
	    " criteria met)",
	    "  unmet: sponsor (accountable) has someone assigned (aiproj role"
	    " assign demo sponsor PERSON)",
	    "  unmet: a make decision with a cost estimate is recorded (aiproj"
	    " decide demo make --cost AMOUNT --reason TEXT)",
	    "  unmet: first criterion (aiproj gate done demo 1)",
	    "  unmet: approved by the sponsor since the stage was entered"
	    " (aiproj --actor PERSON gate approve demo (PERSON assigned as"
	    " sponsor))",
	};
	size_t n = 0;

	(void)state;
	proj_build(lc, &d, &p);
	err = eng_check_advance(lc, &p, 0, NULL, &to);
	check_err(err, AP_EXIT_REFUSED, NULL, "partial gate");
	msg = xdup(err->msg);
	for (char *save = NULL, *line = strtok_r(msg, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save), n++) {
		if (n >= N_ELEMS(want) || strcmp(line, want[n]) != 0) {
			char copy[512];
			snprintf(copy, sizeof(copy), "%s", line);
			free(msg);
			fail_msg("line %zu: '%s'", n, copy);
		}
	}
	free(msg);
	assert_int_equal(n, N_ELEMS(want));
}

/* ---- eng_check_back ---- */

struct back_case {
	const char *label;
	int lc;
	struct proj_def p;
	int to;
	const char *reason;
	int code;
	const char *needle;
};

static const struct back_case back_cases[] = {
    {"to an earlier stage with a reason", LC_DEFAULT, EMPTY(PS_ACTIVE, 2), 0,
     "data was wrong", 0, NULL},
    {"one stage back", LC_DEFAULT, EMPTY(PS_ACTIVE, 4), 3, "rollback", 0, NULL},
    {"to the current stage", LC_DEFAULT, EMPTY(PS_ACTIVE, 2), 2, "x",
     AP_EXIT_REFUSED,
     "cannot move 'demo' back to 'prototyping-testing': it is not earlier"
     " than the current stage 'prototyping-testing'"},
    {"to a later stage", LC_DEFAULT, EMPTY(PS_ACTIVE, 1), 3, "x",
     AP_EXIT_REFUSED, "back to 'productization'"},
    {"at the first stage", LC_DEFAULT, EMPTY(PS_ACTIVE, 0), 0, "x",
     AP_EXIT_REFUSED, "not earlier"},
    {"later stage and no reason: the stage is refused first", LC_DEFAULT,
     EMPTY(PS_ACTIVE, 1), 2, NULL, AP_EXIT_REFUSED, "not earlier"},
    {"no reason", LC_DEFAULT, EMPTY(PS_ACTIVE, 2), 1, NULL, AP_EXIT_USAGE,
     "stage back needs --reason TEXT"},
    {"empty reason", LC_DEFAULT, EMPTY(PS_ACTIVE, 2), 1, "", AP_EXIT_USAGE,
     "--reason"},
    {"on hold", LC_DEFAULT, EMPTY(PS_ON_HOLD, 2), 1, "x", AP_EXIT_REFUSED,
     "cannot move back 'demo': project is on-hold"},
    {"closed", LC_DEFAULT, EMPTY(PS_CLOSED, 2), 1, "x", AP_EXIT_REFUSED,
     "project is closed"},
    {"three stages: ship to plan", LC_THREE, EMPTY(PS_ACTIVE, 2), 0, "redo", 0,
     NULL},
    {"seven stages: operate to intake", LC_SEVEN, EMPTY(PS_ACTIVE, 6), 0,
     "redo", 0, NULL},
    {"seven stages: test to testing", LC_SEVEN, EMPTY(PS_ACTIVE, 3), 4, "redo",
     AP_EXIT_REFUSED, "back to 'testing'"},
};

static void
test_back_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(back_cases); i++) {
		const struct back_case *c = &back_cases[i];
		struct eng_project p;

		proj_build(&lcs[c->lc], &c->p, &p);
		check_err(eng_check_back(&lcs[c->lc], &p, c->to, c->reason),
			  c->code, c->needle, c->label);
	}
}

/* ---- eng_check_expect, _approve, _decide, _active ---- */

static void
test_expect(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def d = EMPTY(PS_ACTIVE, 1);
	struct eng_project p;

	(void)state;
	proj_build(lc, &d, &p);
	check_err(eng_check_expect(lc, &p, 1), 0, NULL, "expect current");
	check_err(eng_check_expect(lc, &p, -1), 0, NULL, "no --expect");
	check_err(eng_check_expect(lc, &p, 0), AP_EXIT_CONFLICT,
		  "project 'demo' is at 'data-preparation', not at"
		  " 'feasibility' as expected",
		  "expect earlier");
	check_err(eng_check_expect(lc, &p, 4), AP_EXIT_CONFLICT,
		  "not at 'deployment'", "expect later");
	/* --expect holds for any status: it only compares stages */
	p.status = PS_ON_HOLD;
	check_err(eng_check_expect(lc, &p, 1), 0, NULL, "expect on hold");
	lc = &lcs[LC_SEVEN];
	p.stage = 6;
	check_err(eng_check_expect(lc, &p, 6), 0, NULL, "seven: expect last");
	check_err(eng_check_expect(lc, &p, 3), AP_EXIT_CONFLICT,
		  "is at 'operate', not at 'test'", "seven: mismatch");
}

/* ---- stage check conditions, and when a --force is a forced move ---- */

static void
test_stage_check_conditions(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def full = {
	    PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 1, 1};
	const struct proj_def none = EMPTY(PS_ACTIVE, 1);
	struct eng_project p;
	struct sbuf d = {0};
	int holds = -1;

	(void)state;
	/* only an active project holds; on hold and closed never do */
	proj_build(lc, &full, &p);
	assert_true(eng_cond_active(&p, &d));
	assert_string_equal(d.s, "project is active");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	p.status = PS_ON_HOLD;
	assert_false(eng_cond_active(&p, &d));
	assert_string_equal(d.s, "project is on-hold: only an active project"
				 " passes a check");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	p.status = PS_CLOSED;
	assert_false(eng_cond_active(&p, &d));
	assert_contains(d.s, "project is closed");
	sbuf_free(&d), memset(&d, 0, sizeof(d));

	/* the gate: a full gate holds, an empty one names what is unmet */
	p.status = PS_ACTIVE;
	check_err(eng_cond_gate(lc, &p, &holds, &d), 0, NULL, "full gate");
	assert_int_equal(holds, 1);
	assert_string_equal(d.s, "gate of feasibility: 7 of 7 criteria met");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	proj_build(lc, &none, &p);
	check_err(eng_cond_gate(lc, &p, &holds, &d), 0, NULL, "empty gate");
	assert_int_equal(holds, 0);
	assert_contains(d.s, "gate of data-preparation: 0 of ");
	assert_contains(d.s, "; unmet: approved by the");
	sbuf_free(&d), memset(&d, 0, sizeof(d));

	/* --at-least and --is, at data-preparation (2) */
	assert_true(eng_cond_at_least(lc, &p, 0, &d));
	assert_string_equal(d.s, "at data-preparation (2), at or past"
				 " feasibility (1)");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_true(eng_cond_at_least(lc, &p, 1, &d));
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_false(eng_cond_at_least(lc, &p, 3, &d));
	assert_string_equal(d.s, "at data-preparation (2), before"
				 " productization (4)");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_true(eng_cond_is(lc, &p, 1, &d));
	assert_string_equal(d.s, "at data-preparation");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_false(eng_cond_is(lc, &p, 0, &d));
	sbuf_free(&d), memset(&d, 0, sizeof(d));

	/* --kpis: none at all does not hold; any missed does not hold */
	{
		const struct eng_kpi met[] = {
		    {"auc", KOP_GE, 0.8, 1, 0.85, 0, NULL},
		    {"latency", KOP_LT, 200, 1, 120, 0, NULL},
		};
		const struct eng_kpi missed[] = {
		    {"auc", KOP_GE, 0.8, 1, 0.75, 0, NULL},
		    {"latency", KOP_LT, 200, 1, 120, 0, NULL},
		    {"cost", KOP_LE, 1000, 0, 0, 0, NULL},
		};
		assert_false(eng_cond_kpis(NULL, 0, &d));
		assert_string_equal(d.s, "no KPIs defined");
		sbuf_free(&d), memset(&d, 0, sizeof(d));
		assert_false(eng_cond_kpis(missed, 3, &d));
		assert_string_equal(d.s, "auc latest 0.75 misses >= 0.8; cost"
					 " has no reading (target <= 1000)");
		sbuf_free(&d), memset(&d, 0, sizeof(d));
		assert_false(eng_cond_kpis(missed + 2, 1, &d));
		assert_string_equal(d.s,
				    "cost has no reading (target <= 1000)");
		sbuf_free(&d), memset(&d, 0, sizeof(d));
		assert_true(eng_cond_kpis(met, 2, &d));
		assert_string_equal(d.s, "all 2 KPIs meet their targets");
		sbuf_free(&d);
	}
}

/* ---- stage check: every condition together ---- */

static void
test_stage_check(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def full = {
	    PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 1, 1};
	const struct eng_kpi kpis[] = {{"auc", KOP_GE, 0.8, 1, 0.9, 0, NULL}};
	struct eng_cond cd[ENG_MAX_COND];
	struct eng_project p;
	int n, failed = -1;

	(void)state;
	assert_string_equal(eng_cond_name(EC_ACTIVE), "active");
	assert_string_equal(eng_cond_name(EC_AT_LEAST), "at-least");
	assert_string_equal(eng_cond_name(EC_IS), "is");
	assert_string_equal(eng_cond_name(EC_GATE), "gate");
	assert_string_equal(eng_cond_name(EC_KPIS), "kpis");
	assert_string_equal(eng_cond_name(9), "?");

	/* an active project at feasibility with a full gate: all hold */
	proj_build(lc, &full, &p);
	memset(cd, 0, sizeof(cd));
	cd[0].kind = EC_AT_LEAST, cd[0].stage = 0;
	cd[1].kind = EC_IS, cd[1].stage = 0;
	cd[2].kind = EC_GATE;
	cd[3].kind = EC_KPIS;
	n = 4;
	check_err(eng_stage_check(lc, &p, kpis, 1, NULL, cd, &n, &failed), 0,
		  NULL, "all hold");
	assert_int_equal(n, 4);
	assert_int_equal(failed, 0);
	for (int i = 0; i < n; i++)
		assert_int_equal(cd[i].holds, 1);
	assert_string_equal(cd[0].detail.s,
			    "at feasibility (1), at or past feasibility (1)");
	assert_string_equal(cd[1].detail.s, "at feasibility");
	assert_string_equal(cd[2].detail.s,
			    "gate of feasibility: 7 of 7 criteria met");
	assert_string_equal(cd[3].detail.s, "all 1 KPIs meet their targets");
	eng_conds_free(cd, n);

	/* on hold: "active" comes first and fails; --is a later stage and
	 * --kpis with none fail too */
	p.status = PS_ON_HOLD;
	memset(cd, 0, sizeof(cd));
	cd[0].kind = EC_IS, cd[0].stage = 2;
	cd[1].kind = EC_GATE;
	cd[2].kind = EC_KPIS;
	n = 3;
	check_err(eng_stage_check(lc, &p, NULL, 0, NULL, cd, &n, &failed), 0,
		  NULL, "on hold");
	assert_int_equal(n, 4);
	assert_int_equal(failed, 3);
	assert_int_equal(cd[0].kind, EC_ACTIVE);
	assert_int_equal(cd[0].holds, 0);
	assert_string_equal(cd[0].detail.s,
			    "project is on-hold: only an active project passes"
			    " a check");
	assert_int_equal(cd[1].kind, EC_IS);
	assert_int_equal(cd[1].holds, 0);
	assert_int_equal(cd[2].kind, EC_GATE);
	assert_int_equal(cd[2].holds, 1);
	assert_int_equal(cd[3].kind, EC_KPIS);
	assert_int_equal(cd[3].holds, 0);
	assert_string_equal(cd[3].detail.s, "no KPIs defined");
	eng_conds_free(cd, n);

	/* a gate that is not met fails on its own */
	p.status = PS_ACTIVE;
	p.approvals = 0;
	memset(cd, 0, sizeof(cd));
	cd[0].kind = EC_GATE;
	n = 1;
	check_err(eng_stage_check(lc, &p, NULL, 0, NULL, cd, &n, &failed), 0,
		  NULL, "gate unmet");
	assert_int_equal(n, 1);
	assert_int_equal(failed, 1);
	assert_string_equal(cd[0].detail.s,
			    "gate of feasibility: 6 of 7 criteria met; unmet:"
			    " approved by the sponsor since the stage was"
			    " entered");
	eng_conds_free(cd, n);

	/* --verified: intact chains hold; a broken one fails, named */
	{
		struct eng_verify ok = {.chains = 2, .rows = 5};
		struct eng_verify one = {.chains = 1, .rows = 1};
		struct eng_verify bad = {.chains = 3,
					 .rows = 9,
					 .broken = 1,
					 .chain = "history",
					 .row = 2,
					 .problem = "changed"};
		struct eng_verify rd = {.chains = 3,
					.rows = 9,
					.broken = 2,
					.chain = "reading",
					.kpi = "auc",
					.row = 1,
					.problem = "removed before"};
		struct sbuf d = {0};

		assert_string_equal(eng_cond_name(EC_VERIFIED), "verified");
		assert_int_equal(eng_cond_verified(&ok, &d), 1);
		assert_string_equal(d.s, "history intact: 2 chains, 5 rows");
		sbuf_free(&d);
		assert_int_equal(eng_cond_verified(&one, &d), 1);
		assert_string_equal(d.s, "history intact: 1 chain, 1 row");
		sbuf_free(&d);
		assert_int_equal(eng_cond_verified(NULL, &d), 1);
		assert_string_equal(d.s, "history intact: 0 chains, 0 rows");
		sbuf_free(&d);
		assert_int_equal(eng_cond_verified(&bad, &d), 0);
		assert_string_equal(d.s,
				    "history row 2 changed (1 of 3 chains does"
				    " not verify)");
		sbuf_free(&d);
		assert_int_equal(eng_cond_verified(&rd, &d), 0);
		assert_string_equal(d.s,
				    "reading auc row 1 removed before (2 of 3"
				    " chains do not verify)");
		sbuf_free(&d);

		/* in a stage check, after the others */
		memset(cd, 0, sizeof(cd));
		cd[0].kind = EC_IS, cd[0].stage = 0;
		cd[1].kind = EC_VERIFIED;
		n = 2;
		check_err(
		    eng_stage_check(lc, &p, NULL, 0, &bad, cd, &n, &failed), 0,
		    NULL, "verified");
		assert_int_equal(n, 2);
		assert_int_equal(failed, 1);
		assert_int_equal(cd[0].holds, 1);
		assert_int_equal(cd[1].holds, 0);
		eng_conds_free(cd, n);
	}
}

static void
test_advance_forced(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def full = {
	    PS_ACTIVE, 0, "sponsor,ai-engineer", 2, 3, DK_MAKE, 1, 1, 1};
	const struct proj_def none = EMPTY(PS_ACTIVE, 0);
	struct eng_project p;

	(void)state;
	proj_build(lc, &full, &p);
	assert_int_equal(eng_advance_forced(lc, &p, 0), 0);
	/* the gate holds: --force changes nothing, an ordinary advance */
	assert_int_equal(eng_advance_forced(lc, &p, 1), 0);
	proj_build(lc, &none, &p);
	assert_int_equal(eng_advance_forced(lc, &p, 0), 0);
	assert_int_equal(eng_advance_forced(lc, &p, 1), 1);
}

struct approve_case {
	const char *label;
	int lc, status, stage, actor_is_a, code;
	const char *needle;
};

static const struct approve_case approve_cases[] = {
    {"accountable person", LC_DEFAULT, PS_ACTIVE, 0, 1, 0, NULL},
    {"not the accountable role", LC_DEFAULT, PS_ACTIVE, 0, 0, AP_EXIT_REFUSED,
     "'eve' may not approve the gate of 'feasibility' on 'demo': only a"
     " person assigned as sponsor may"},
    {"not A at productization", LC_DEFAULT, PS_ACTIVE, 3, 0, AP_EXIT_REFUSED,
     "only a person assigned as data-engineer may"},
    {"on hold, even when A", LC_DEFAULT, PS_ON_HOLD, 0, 1, AP_EXIT_REFUSED,
     "project is on-hold"},
    {"closed, even when A", LC_DEFAULT, PS_CLOSED, 2, 1, AP_EXIT_REFUSED,
     "project is closed"},
    {"stage without an accountable role", LC_THREE, PS_ACTIVE, 2, 0, 0, NULL},
    {"three stages: not A at build", LC_THREE, PS_ACTIVE, 1, 0, AP_EXIT_REFUSED,
     "assigned as builder"},
    {"seven stages: a stage naming no role", LC_SEVEN, PS_ACTIVE, 6, 0, 0,
     NULL},
};

static void
test_approve_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(approve_cases); i++) {
		const struct approve_case *c = &approve_cases[i];
		const struct proj_def d = {c->status, c->stage, NULL, 0, 0,
					   DK_NONE,   0,        0,    0};
		struct eng_project p;

		proj_build(&lcs[c->lc], &d, &p);
		check_err(
		    eng_check_approve(&lcs[c->lc], &p, "eve", c->actor_is_a),
		    c->code, c->needle, c->label);
	}
}

struct decide_case {
	const char *label;
	int lc, status, stage, code;
	const char *needle;
};

static const struct decide_case decide_cases[] = {
    {"feasibility decides", LC_DEFAULT, PS_ACTIVE, 0, 0, NULL},
    {"data-preparation does not", LC_DEFAULT, PS_ACTIVE, 1, AP_EXIT_REFUSED,
     "cannot record a decision for 'demo' at 'data-preparation': make/buy"
     " is decided at 'feasibility'"},
    {"deployment does not", LC_DEFAULT, PS_ACTIVE, 4, AP_EXIT_REFUSED,
     "decided at 'feasibility'"},
    {"on hold", LC_DEFAULT, PS_ON_HOLD, 0, AP_EXIT_REFUSED,
     "project is on-hold"},
    {"three stages: build decides", LC_THREE, PS_ACTIVE, 1, 0, NULL},
    {"three stages: plan does not", LC_THREE, PS_ACTIVE, 0, AP_EXIT_REFUSED,
     "decided at 'build'"},
    {"seven stages: no stage decides", LC_SEVEN, PS_ACTIVE, 5, AP_EXIT_REFUSED,
     "decided at no stage of this lifecycle"},
};

static void
test_decide_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(decide_cases); i++) {
		const struct decide_case *c = &decide_cases[i];
		const struct proj_def d = {c->status, c->stage, NULL, 0, 0,
					   DK_NONE,   0,        0,    0};
		struct eng_project p;

		proj_build(&lcs[c->lc], &d, &p);
		check_err(eng_check_decide(&lcs[c->lc], &p), c->code, c->needle,
			  c->label);
	}
}

static void
test_active_and_status(void **state)
{
	struct eng_project p = {.name = "demo", .status = PS_ACTIVE};

	(void)state;
	assert_null(eng_check_active(&p, "advance"));
	p.status = PS_ON_HOLD;
	check_err(eng_check_active(&p, "advance"), AP_EXIT_REFUSED,
		  "cannot advance 'demo': project is on-hold; only active"
		  " projects move",
		  "on hold");
	p.status = PS_CLOSED;
	check_err(eng_check_active(&p, "tweak"), AP_EXIT_REFUSED,
		  "cannot tweak 'demo': project is closed", "closed");

	assert_string_equal(proj_status_name(PS_ACTIVE), "active");
	assert_string_equal(proj_status_name(PS_ON_HOLD), "on-hold");
	assert_string_equal(proj_status_name(PS_CLOSED), "closed");
	assert_string_equal(proj_status_name(7), "?");
	assert_int_equal(proj_status_parse("active"), PS_ACTIVE);
	assert_int_equal(proj_status_parse("on-hold"), PS_ON_HOLD);
	assert_int_equal(proj_status_parse("closed"), PS_CLOSED);
	assert_int_equal(proj_status_parse("Active"), -1);
	assert_int_equal(proj_status_parse(""), -1);
}

/* ---- status changes: hold, resume, close, buy, delete ---- */

struct status_case {
	const char *label;
	int from, to;
	const char *reason;
	int code;
	const char *msg;      /* the whole message when refused */
	const char *recorded; /* the reason recorded when allowed */
};

static const struct status_case status_cases[] = {
    {"hold an active project", PS_ACTIVE, PS_ON_HOLD, "waiting", 0, NULL,
     "waiting"},
    {"close an active project", PS_ACTIVE, PS_CLOSED, "cancelled", 0, NULL,
     "cancelled"},
    {"close one on hold", PS_ON_HOLD, PS_CLOSED, "gone", 0, NULL, "gone"},
    {"resume one on hold", PS_ON_HOLD, PS_ACTIVE, "ignored", 0, NULL, NULL},
    {"hold one on hold", PS_ON_HOLD, PS_ON_HOLD, "x", AP_EXIT_REFUSED,
     "cannot hold 'demo': it is already on hold", NULL},
    {"resume an active one", PS_ACTIVE, PS_ACTIVE, NULL, AP_EXIT_REFUSED,
     "cannot resume 'demo': it is not on hold", NULL},
    {"hold a closed one", PS_CLOSED, PS_ON_HOLD, "x", AP_EXIT_REFUSED,
     "cannot hold 'demo': it is closed", NULL},
    {"resume a closed one", PS_CLOSED, PS_ACTIVE, NULL, AP_EXIT_REFUSED,
     "cannot resume 'demo': it is closed", NULL},
    {"close a closed one", PS_CLOSED, PS_CLOSED, "x", AP_EXIT_REFUSED,
     "cannot close 'demo': it is closed", NULL},
};

static void
test_status_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(status_cases); i++) {
		const struct status_case *c = &status_cases[i];
		struct eng_status_change ch = {PS_CLOSED, "unset", "unset"};
		const struct ap_error *err =
		    eng_check_status("demo", c->from, c->to, c->reason, &ch);

		check_err(err, c->code, c->msg, c->label);
		if (c->code) {
			assert_string_equal(err->msg, c->msg);
			continue;
		}
		assert_int_equal(ch.to, c->to);
		if (c->recorded)
			assert_string_equal(ch.reason, c->recorded);
		else
			assert_null(ch.reason);
		assert_null(ch.outcome);
	}
}

static void
test_status_reason_and_verbs(void **state)
{
	(void)state;
	assert_string_equal(eng_status_verb(PS_ON_HOLD), "hold");
	assert_string_equal(eng_status_verb(PS_ACTIVE), "resume");
	assert_string_equal(eng_status_verb(PS_CLOSED), "close");
	assert_string_equal(eng_status_verb(9), "?");

	/* hold and close need a reason; resume does not */
	check_err(eng_check_status_reason(PS_ON_HOLD, NULL), AP_EXIT_USAGE,
		  "project hold needs --reason TEXT", "hold, no reason");
	check_err(eng_check_status_reason(PS_CLOSED, NULL), AP_EXIT_USAGE,
		  "project close needs --reason TEXT", "close, no reason");
	assert_null(eng_check_status_reason(PS_ON_HOLD, "why"));
	assert_null(eng_check_status_reason(PS_CLOSED, ""));
	assert_null(eng_check_status_reason(PS_ACTIVE, NULL));

	/* changes refused on a closed project only */
	assert_null(eng_check_not_closed("demo", PS_ACTIVE, "add a KPI"));
	assert_null(eng_check_not_closed("demo", PS_ON_HOLD, "add a KPI"));
	check_err(eng_check_not_closed("demo", PS_CLOSED, "add a KPI"),
		  AP_EXIT_REFUSED, "cannot add a KPI: project 'demo' is closed",
		  "closed");

	/* delete needs --yes, and says how much history would go */
	assert_null(eng_check_delete("demo", 1, 12));
	check_err(eng_check_delete("demo", 0, 3), AP_EXIT_USAGE,
		  "refusing to delete 'demo' and its history (3 transitions)"
		  " without --yes",
		  "delete without --yes");
}

static void
test_decision_closes(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	struct eng_project p = {.name = "p", .status = PS_ACTIVE, .stage = 0};
	struct lifecycle closing = lcs[LC_DEFAULT];
	struct eng_decided out;
	int first;

	(void)state;
	/* make changes nothing */
	eng_decide_outcome(lc, &p, DK_MAKE, "cheaper", &out);
	assert_int_equal(out.closes, 0);
	assert_int_equal(out.to, -1);
	assert_int_equal(out.ch.to, PS_ACTIVE);
	assert_null(out.ch.reason);
	assert_null(out.ch.outcome);
	/* buy moves to on_buy (productization): no close, no gate asked */
	eng_decide_outcome(lc, &p, DK_BUY, "vendor fits", &out);
	assert_int_equal(out.closes, 0);
	assert_int_equal(out.to, 3);
	assert_null(out.ch.outcome);
	/* on_buy close: buy closes, with the decision's reason, "bought" */
	closing.on_buy = -1;
	eng_decide_outcome(&closing, &p, DK_BUY, "vendor fits", &out);
	assert_int_equal(out.closes, 1);
	assert_int_equal(out.to, -1);
	assert_int_equal(out.ch.to, PS_CLOSED);
	assert_string_equal(out.ch.reason, "vendor fits");
	assert_string_equal(out.ch.outcome, "bought");
	/* an on_buy stage not ahead of the project: closes as well */
	closing.on_buy = 0;
	eng_decide_outcome(&closing, &p, DK_BUY, "vendor fits", &out);
	assert_int_equal(out.closes, 1);
	assert_int_equal(out.to, -1);
	/* the lifecycles without productization close */
	eng_decide_outcome(&lcs[LC_THREE], &p, DK_BUY, "v", &out);
	assert_int_equal(out.closes, 1);

	/* a buy's skipped stages: those between; none for other kinds */
	assert_int_equal(eng_skipped("buy", 0, 3, &first), 2);
	assert_int_equal(first, 1);
	assert_int_equal(eng_skipped("buy", 0, 1, &first), 0);
	assert_int_equal(eng_skipped("buy", -1, 3, &first), 0);
	assert_int_equal(eng_skipped("buy", 3, 1, &first), 0);
	assert_int_equal(eng_skipped("forced", 0, 3, &first), 0);
	assert_int_equal(eng_skipped("back", 3, 0, &first), 0);
	assert_int_equal(eng_skipped(NULL, 0, 3, &first), 0);

	assert_string_equal(decision_kind_name(DK_MAKE), "make");
	assert_string_equal(decision_kind_name(DK_BUY), "buy");
	assert_string_equal(decision_kind_name(DK_NONE), "?");
	assert_int_equal(decision_kind_parse("make"), DK_MAKE);
	assert_int_equal(decision_kind_parse("buy"), DK_BUY);
	assert_int_equal(decision_kind_parse(NULL), DK_NONE);
	assert_int_equal(decision_kind_parse("rent"), -1);
	assert_int_equal(decision_kind_parse("Make"), -1);
	assert_int_equal(proj_status_parse(NULL), -1);

	/* a closed project's clock stops when it was closed */
	assert_string_equal(stage_clock_end(PS_CLOSED, "T1", "NOW"), "T1");
	assert_string_equal(stage_clock_end(PS_ON_HOLD, "T1", "NOW"), "NOW");
	assert_string_equal(stage_clock_end(PS_ACTIVE, "T1", "NOW"), "NOW");
}

/* ---- staffing gaps: an A or R role with nobody in it ---- */

static void
test_gaps(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def nobody = EMPTY(PS_ACTIVE, 0);
	const struct proj_def some = {
	    PS_ACTIVE, 0, "sponsor,data-analyst", 0, 0, DK_NONE, 0, 0, 0};
	int sponsor = lifecycle_role(lc, "sponsor");
	int analyst = lifecycle_role(lc, "data-analyst");
	int engineer = lifecycle_role(lc, "ai-engineer");
	int devops = lifecycle_role(lc, "devops");
	struct eng_project p;

	(void)state;
	assert_int_equal(eng_raci_on_hook(RACI_A), 1);
	assert_int_equal(eng_raci_on_hook(RACI_R), 1);
	assert_int_equal(eng_raci_on_hook(RACI_C), 0);
	assert_int_equal(eng_raci_on_hook(RACI_I), 0);

	/* feasibility: sponsor A, ai-engineer R, data-analyst C */
	assert_int_equal(eng_role_gap(lc, 0, sponsor, 0), 1);
	assert_int_equal(eng_role_gap(lc, 0, sponsor, 2), 0);
	assert_int_equal(eng_role_gap(lc, 0, engineer, 0), 1);
	assert_int_equal(eng_role_gap(lc, 0, engineer, 1), 0);
	assert_int_equal(eng_role_gap(lc, 0, analyst, 0), 0);
	assert_int_equal(eng_role_gap(lc, 0, devops, 0), 0);
	/* deployment: devops is A */
	assert_int_equal(eng_role_gap(lc, 4, devops, 0), 1);

	proj_build(lc, &nobody, &p);
	assert_int_equal(eng_project_gap(lc, &p, sponsor), 1);
	assert_int_equal(eng_project_gap(lc, &p, engineer), 1);
	assert_int_equal(eng_project_gap(lc, &p, analyst), 0);
	p.status = PS_ON_HOLD; /* on hold still has its gaps */
	assert_int_equal(eng_project_gap(lc, &p, sponsor), 1);
	p.status = PS_CLOSED; /* closed: nobody on the hook, no gap */
	assert_int_equal(eng_project_gap(lc, &p, sponsor), 0);
	assert_int_equal(eng_project_gap(lc, &p, engineer), 0);
	proj_build(lc, &some, &p);
	assert_int_equal(eng_project_gap(lc, &p, sponsor), 0);
	assert_int_equal(eng_project_gap(lc, &p, engineer), 1);

	assert_int_equal(eng_holder_on_hook(RACI_A, PS_ACTIVE), 1);
	assert_int_equal(eng_holder_on_hook(RACI_R, PS_ON_HOLD), 1);
	assert_int_equal(eng_holder_on_hook(RACI_A, PS_CLOSED), 0);
	assert_int_equal(eng_holder_on_hook(RACI_C, PS_ACTIVE), 0);
	assert_int_equal(eng_holder_on_hook(-1, PS_ACTIVE), 0);
}

/* ---- the "roles" authorization policy ---- */

struct policy_case {
	const char *label;
	int lc, stage;
	const char *held; /* comma-separated */
	const char *command;
	int admin, admins, self, code;
	const char *needle;
};

static const struct policy_case policy_cases[] = {
    {"R may advance", LC_DEFAULT, 0, "ai-engineer", "stage advance", 0, 1, 0, 0,
     NULL},
    {"A may advance", LC_DEFAULT, 0, "sponsor", "stage advance", 0, 1, 0, 0,
     NULL},
    {"C may not advance", LC_DEFAULT, 0, "data-analyst", "stage advance", 0, 1,
     0, AP_EXIT_REFUSED,
     "policy 'roles': 'eve' may not advance on 'demo' at 'feasibility'"},
    {"an admin may not advance without the role", LC_DEFAULT, 0, NULL,
     "stage advance", 1, 1, 0, AP_EXIT_REFUSED,
     "the accountable or a responsible role (sponsor, ai-engineer)"},
    {"nobody may not approve", LC_DEFAULT, 3, NULL, "gate approve", 0, 1, 0,
     AP_EXIT_REFUSED, "that needs the accountable role (data-engineer)"},
    {"R may not approve", LC_DEFAULT, 3, "devops", "gate approve", 0, 1, 0,
     AP_EXIT_REFUSED, "may not approve on 'demo' at 'productization'"},
    {"R may not decide", LC_DEFAULT, 0, "ai-engineer", "decide", 0, 1, 0,
     AP_EXIT_REFUSED, "(sponsor)"},
    {"A may decide", LC_DEFAULT, 0, "sponsor", "decide", 0, 1, 0, 0, NULL},
    {"R may move back", LC_THREE, 2, "builder", "stage back", 0, 1, 0, 0, NULL},
    {"a stage naming no role", LC_SEVEN, 6, "lead,dev,ops,qa", "stage advance",
     0, 1, 0, AP_EXIT_REFUSED, "none in this lifecycle) or the admin right"},
    {"a stage naming no role: an admin stands in to advance", LC_SEVEN, 6, NULL,
     "stage advance", 1, 1, 0, 0, NULL},
    {"a stage naming no role: an admin stands in to approve", LC_SEVEN, 6, NULL,
     "gate approve", 1, 1, 0, 0, NULL},
    {"a stage naming no role: an admin stands in to decide", LC_SEVEN, 6, NULL,
     "decide", 1, 1, 0, 0, NULL},
    {"a stage naming no role: no sign-off to stand in for", LC_SEVEN, 6, NULL,
     "gate approve --as", 1, 1, 0, AP_EXIT_REFUSED, "none in this lifecycle"},
    {"R ticks a criterion", LC_DEFAULT, 0, "ai-engineer", "gate done", 0, 1, 0,
     0, NULL},
    {"C may not tick", LC_DEFAULT, 0, "data-analyst", "gate reopen", 0, 1, 0,
     AP_EXIT_REFUSED, "may not gate reopen on 'demo'"},
    {"R records a reading", LC_DEFAULT, 0, "ai-engineer", "kpi record", 0, 1, 0,
     0, NULL},
    {"A holds", LC_DEFAULT, 0, "sponsor", "project hold", 0, 1, 0, 0, NULL},
    {"an admin closes", LC_DEFAULT, 0, NULL, "project close", 1, 1, 0, 0, NULL},
    {"R may not close", LC_DEFAULT, 0, "ai-engineer", "project close", 0, 1, 0,
     AP_EXIT_REFUSED, "(sponsor) or the admin right"},
    {"A assigns another", LC_DEFAULT, 0, "sponsor", "role assign", 0, 1, 0, 0,
     NULL},
    {"A may not assign themselves", LC_DEFAULT, 0, "sponsor", "role assign", 0,
     1, 1, AP_EXIT_REFUSED,
     "'eve' may not role assign on 'demo' to themselves: that needs the"
     " admin right"},
    {"an admin assigns themselves", LC_DEFAULT, 0, NULL, "role assign", 1, 1, 1,
     0, NULL},
    {"a role is no admin right", LC_DEFAULT, 0, "sponsor", "project delete", 0,
     1, 0, AP_EXIT_REFUSED,
     "'eve' may not project delete on 'demo': that needs the admin right"},
    {"an admin deletes", LC_DEFAULT, 0, NULL, "project delete", 1, 1, 0, 0,
     NULL},
    {"no admin: the first admin add is anyone's", LC_DEFAULT, 0, NULL,
     "admin add", 0, 0, 0, 0, NULL},
    {"then it is not", LC_DEFAULT, 0, NULL, "admin add", 0, 1, 0,
     AP_EXIT_REFUSED, "may not admin add: that needs the admin right"},
    {"no admin: policy set is still refused", LC_DEFAULT, 0, NULL, "policy set",
     0, 0, 0, AP_EXIT_REFUSED, "needs the admin right"},
    {"deployment's A releases", LC_DEFAULT, 4, "devops", "release add", 0, 1, 0,
     0, NULL},
    {"deployment's A retires wherever the project is", LC_DEFAULT, 2, "devops",
     "release retire", 0, 1, 0, 0, NULL},
    {"the current stage's A may not retire", LC_DEFAULT, 2, "data-scientist",
     "release retire", 0, 1, 0, AP_EXIT_REFUSED,
     "may not release retire on 'demo' at 'deployment': that needs the"
     " accountable or a responsible role (devops) or the admin right"},
    {"an admin retires", LC_DEFAULT, 2, NULL, "release retire", 1, 1, 0, 0,
     NULL},
    {"an admin may not release", LC_DEFAULT, 4, NULL, "release add", 1, 1, 0,
     AP_EXIT_REFUSED, "(devops)"},
    {"A sets a KPI target", LC_DEFAULT, 0, "sponsor", "kpi set", 0, 1, 0, 0,
     NULL},
    {"R may not remove a KPI", LC_DEFAULT, 0, "ai-engineer", "kpi remove", 0, 1,
     0, AP_EXIT_REFUSED, "(sponsor) or the admin right"},
    {"R may not force a move", LC_DEFAULT, 0, "ai-engineer",
     "stage advance --force", 0, 1, 0, AP_EXIT_REFUSED,
     "'eve' may not force a move past the gate on 'demo' at 'feasibility':"
     " that needs the accountable role (sponsor)"},
    {"A forces a move", LC_DEFAULT, 0, "sponsor", "stage advance --force", 0, 1,
     0, 0, NULL},
    {"an admin may not force a move", LC_DEFAULT, 0, NULL,
     "stage advance --force", 1, 1, 0, AP_EXIT_REFUSED, "(sponsor)"},
};

static void
test_policy_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(policy_cases); i++) {
		const struct policy_case *c = &policy_cases[i];
		const struct proj_def d = {PS_ACTIVE, c->stage, c->held, 0, 0,
					   DK_NONE,   0,        0,       0};
		const struct auth_rule *r = auth_rule_find(c->command);
		unsigned char held[LC_MAX_ROLES] = {0};
		struct auth_actor who = {"eve",   c->admin, c->admins, held,
					 c->self, NULL,     0};
		struct eng_project p;

		assert_non_null(r);
		proj_build(&lcs[c->lc], &d, &p);
		for (int k = 0; k < LC_MAX_ROLES; k++)
			held[k] = p.staffed[k] > 0;
		check_err(eng_authorize(&lcs[c->lc], r,
					r->project >= 0 ? &p : NULL, &who),
			  c->code, c->needle, c->label);
	}
}

/* The table itself: one well-formed rule per command, and exactly the
 * commands that write (the end-to-end test t_policy.sh checks the same
 * against the command table through 'aiproj policy rules'). */
static void
test_policy_rules(void **state)
{
	static const char *const writes[] = {
	    "init",
	    "policy set",
	    "admin add",
	    "admin remove",
	    "import",
	    "project create",
	    "project rename",
	    "project delete",
	    "project hold",
	    "project resume",
	    "project close",
	    "stage advance",
	    "stage back",
	    "gate add",
	    "gate done",
	    "gate reopen",
	    "gate approve",
	    "decide",
	    "kpi add",
	    "kpi record",
	    "role assign",
	    "role unassign",
	    "component add",
	    "component remove",
	    "note",
	    "stage due",
	    "member add",
	    "member remove",
	    "person add",
	    "person set",
	    "person rename",
	    "person merge",
	    "role reassign",
	    "release add",
	    "release retire",
	    "kpi set",
	    "kpi remove",
	    "stage start",
	    "gate approve --as",
	    "stage advance --force",
	    "copy",
	};
	size_t n = 0;

	(void)state;
	for (const struct auth_rule *r = auth_rules; r->command; r++, n++) {
		assert_non_null(r->action);
		assert_true(strlen(r->action) < 32);
		assert_non_null(r->doc);
		assert_true(r->who >= AW_ADMIN && r->who <= AW_OWNER);
		/* a rule on a stage's roles needs the project */
		assert_true(r->who == AW_ADMIN || r->project == 0);
		assert_ptr_equal(auth_rule_find(r->command), r);
	}
	assert_int_equal(n, N_ELEMS(writes) + 1);
	assert_non_null(auth_rule_find("component handover"));
	for (size_t i = 0; i < N_ELEMS(writes); i++)
		assert_non_null(auth_rule_find(writes[i]));
	assert_null(auth_rule_find("stage show"));
	assert_null(auth_rule_find(""));
	/* the variants: an option with a rule of its own */
	assert_ptr_equal(auth_rule_variant("stage advance", NULL),
			 auth_rule_find("stage advance --force"));
	assert_null(auth_rule_variant("stage advance",
				      auth_rule_find("stage advance --force")));
	assert_ptr_equal(auth_rule_variant("gate approve", NULL),
			 auth_rule_find("gate approve --as"));
	assert_null(auth_rule_variant("stage back", NULL));
	assert_null(auth_rule_variant("stage", NULL));
	assert_null(auth_rule_variant("gate", NULL));
}

/* ---- lifecycle lookups ---- */

struct resolve_case {
	int lc;
	const char *arg;
	int code, idx;
	const char *needle;
};

static const struct resolve_case resolve_cases[] = {
    {LC_DEFAULT, "feasibility", 0, 0, NULL},
    {LC_DEFAULT, "deployment", 0, 4, NULL},
    {LC_DEFAULT, "Data preparation", 0, 1, NULL},
    {LC_DEFAULT, "DATA PREPARATION", 0, 1, NULL},
    {LC_DEFAULT, "prototyping & TESTING", 0, 2, NULL},
    {LC_DEFAULT, "productization", 0, 3, NULL},
    {LC_DEFAULT, "1", 0, 0, NULL},
    {LC_DEFAULT, "3", 0, 2, NULL},
    {LC_DEFAULT, "5", 0, 4, NULL},
    {LC_DEFAULT, "0", AP_EXIT_NOTFOUND, -1,
     "unknown stage '0': stage numbers run from 1 to 5"},
    {LC_DEFAULT, "6", AP_EXIT_NOTFOUND, -1, "run from 1 to 5"},
    {LC_DEFAULT, "99999999999999999999999", AP_EXIT_NOTFOUND, -1,
     "run from 1 to 5"},
    {LC_DEFAULT, "proto", 0, 2, NULL},
    {LC_DEFAULT, "prod", 0, 3, NULL},
    {LC_DEFAULT, "feas", 0, 0, NULL},
    {LC_DEFAULT, "dep", 0, 4, NULL},
    {LC_DEFAULT, "data", 0, 1, NULL},
    {LC_DEFAULT, "d", AP_EXIT_USAGE, -1,
     "ambiguous stage 'd': could be 'data-preparation', 'deployment'"},
    {LC_DEFAULT, "pro", AP_EXIT_USAGE, -1,
     "ambiguous stage 'pro': could be 'prototyping-testing',"
     " 'productization'"},
    {LC_DEFAULT, "p", AP_EXIT_USAGE, -1, "could be"},
    {LC_DEFAULT, "feasability", AP_EXIT_NOTFOUND, -1,
     "unknown stage 'feasability'; did you mean 'feasibility'?"},
    {LC_DEFAULT, "deploymnet", AP_EXIT_NOTFOUND, -1,
     "did you mean 'deployment'?"},
    {LC_DEFAULT, "launch", AP_EXIT_NOTFOUND, -1,
     "unknown stage 'launch' (one of: feasibility, data-preparation,"
     " prototyping-testing, productization, deployment)"},
    {LC_DEFAULT, "", AP_EXIT_NOTFOUND, -1, "unknown stage ''"},
    {LC_DEFAULT, "-1", AP_EXIT_NOTFOUND, -1, "unknown stage '-1'"},
    {LC_DEFAULT, "2x", AP_EXIT_NOTFOUND, -1, "unknown stage '2x'"},
    {LC_DEFAULT, "\xff\xfe", AP_EXIT_NOTFOUND, -1, "unknown stage '\?\?'"},
    {LC_DEFAULT, "bad\nname", AP_EXIT_NOTFOUND, -1, "unknown stage 'bad?name'"},
    {LC_THREE, "3", 0, 2, NULL},
    {LC_THREE, "4", AP_EXIT_NOTFOUND, -1, "run from 1 to 3"},
    {LC_THREE, "BUILD", 0, 1, NULL},
    {LC_THREE, "s", 0, 2, NULL},
    {LC_THREE, "feasibility", AP_EXIT_NOTFOUND, -1,
     "(one of: plan, build, ship)"},
    {LC_SEVEN, "7", 0, 6, NULL},
    {LC_SEVEN, "8", AP_EXIT_NOTFOUND, -1, "run from 1 to 7"},
    {LC_SEVEN, "test", 0, 3, NULL},
    {LC_SEVEN, "testing", 0, 4, NULL},
    {LC_SEVEN, "field testing", 0, 4, NULL},
    {LC_SEVEN, "tes", AP_EXIT_USAGE, -1, "could be 'test', 'testing'"},
    {LC_SEVEN, "rel", 0, 5, NULL},
    {LC_SEVEN, "buidl", AP_EXIT_NOTFOUND, -1, "did you mean 'build'?"},
};

static void
test_resolve_stage_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(resolve_cases); i++) {
		const struct resolve_case *c = &resolve_cases[i];
		char label[128];
		int idx = -42;

		snprintf(label, sizeof(label), "resolve '%s' (lifecycle %d)",
			 c->arg, c->lc);
		check_err(lifecycle_resolve_stage(&lcs[c->lc], c->arg, &idx),
			  c->code, c->needle, label);
		if (c->code == 0 && idx != c->idx)
			fail_msg("%s: index %d, want %d", label, idx, c->idx);
		if (c->code != 0 && idx != -42)
			fail_msg("%s: index set to %d on error", label, idx);
	}
}

static void
test_resolve_role(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	int idx = -1;

	(void)state;
	assert_null(lifecycle_resolve_role(lc, "sponsor", &idx));
	assert_int_equal(idx, 0);
	assert_null(lifecycle_resolve_role(lc, "devops", &idx));
	assert_int_equal(idx, 5);
	assert_null(lifecycle_resolve_role(lc, "data-scientist", &idx));
	assert_int_equal(idx, 3);
	idx = -7;
	check_err(lifecycle_resolve_role(lc, "sponser", &idx), AP_EXIT_NOTFOUND,
		  "unknown role 'sponser'; did you mean 'sponsor'?", "typo");
	check_err(lifecycle_resolve_role(lc, "ceo", &idx), AP_EXIT_NOTFOUND,
		  "unknown role 'ceo' (one of: sponsor, data-analyst,"
		  " data-engineer, data-scientist, ai-engineer, devops)",
		  "far");
	/* roles are slugs only: no prefix, no number */
	check_err(lifecycle_resolve_role(lc, "spon", &idx), AP_EXIT_NOTFOUND,
		  NULL, "prefix");
	check_err(lifecycle_resolve_role(lc, "1", &idx), AP_EXIT_NOTFOUND, NULL,
		  "number");
	check_err(lifecycle_resolve_role(lc, "", &idx), AP_EXIT_NOTFOUND, NULL,
		  "empty");
	assert_int_equal(idx, -7);
	lc = &lcs[LC_SEVEN];
	assert_null(lifecycle_resolve_role(lc, "qa", &idx));
	assert_int_equal(idx, 3);
	check_err(lifecycle_resolve_role(lc, "sponsor", &idx), AP_EXIT_NOTFOUND,
		  "(one of: lead, dev, ops, qa)", "seven");
}

static void
test_lifecycle_lookups(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	static const int acc[] = {0, 2, 3, 2, 5};

	(void)state;
	assert_int_equal(lifecycle_role(lc, "ai-engineer"), 4);
	assert_int_equal(lifecycle_role(lc, "AI-engineer"), -1);
	assert_int_equal(lifecycle_role(lc, "nobody"), -1);
	assert_int_equal(lifecycle_stage_slug(lc, "productization"), 3);
	assert_int_equal(lifecycle_stage_slug(lc, "Productization"), -1);
	assert_int_equal(lifecycle_stage_slug(lc, "proto"), -1);
	for (int s = 0; s < (int)lc->nstages; s++)
		assert_int_equal(lifecycle_accountable(lc, s), acc[s]);
	assert_int_equal(lifecycle_accountable(&lcs[LC_THREE], 2), -1);
	assert_int_equal(lifecycle_accountable(&lcs[LC_THREE], 1), 1);
	assert_int_equal(lifecycle_accountable(&lcs[LC_SEVEN], 6), -1);
	assert_string_equal(raci_letter(RACI_A), "A");
	assert_string_equal(raci_letter(RACI_R), "R");
	assert_string_equal(raci_letter(RACI_C), "C");
	assert_string_equal(raci_letter(RACI_I), "I");
	assert_string_equal(raci_letter(4), "?");
	assert_string_equal(raci_letter(-1), "?");
}

static void
test_lifecycle_free(void **state)
{
	struct lifecycle lc;

	(void)state;
	lc_build(&lc, three_roles, N_ELEMS(three_roles), three_stages,
		 N_ELEMS(three_stages));
	lc.components = calloc(1, sizeof(*lc.components));
	assert_non_null(lc.components);
	lc.components[0].name = xdup("model");
	lc.components[0].description = xdup("the model");
	lc.ncomponents = 1;
	assert_int_equal(lc.nstages, 3);
	lifecycle_free(&lc);
	assert_int_equal(lc.nstages, 0);
	assert_int_equal(lc.nroles, 0);
	assert_null(lc.components);
	assert_null(lc.stages[0].slug);
	lifecycle_free(&lc); /* twice is harmless */
}

/* ---- KPI targets ---- */

struct kpi_case {
	const char *in;
	int code, op;
	double num;
};

static const struct kpi_case kpi_cases[] = {
    {">= 0.8", 0, KOP_GE, 0.8},
    {"<5", 0, KOP_LT, 5},
    {"== 1", 0, KOP_EQ, 1},
    {"> -2.5", 0, KOP_GT, -2.5},
    {"<= 100", 0, KOP_LE, 100},
    {"<=-3", 0, KOP_LE, -3},
    {"  >=  3  ", 0, KOP_GE, 3},
    {">= 1e3", 0, KOP_GE, 1000},
    {"", AP_EXIT_USAGE, 0, 0},
    {"0.8", AP_EXIT_USAGE, 0, 0},
    {">=", AP_EXIT_USAGE, 0, 0},
    {">=   ", AP_EXIT_USAGE, 0, 0},
    {"=> 1", AP_EXIT_USAGE, 0, 0},
    {"= 1", AP_EXIT_USAGE, 0, 0},
    {"=< 1", AP_EXIT_USAGE, 0, 0},
    {"!= 1", AP_EXIT_USAGE, 0, 0},
    {">== 1", AP_EXIT_USAGE, 0, 0},
    {"> = 1", AP_EXIT_USAGE, 0, 0},
    {"<> 1", AP_EXIT_USAGE, 0, 0},
    {">= abc", AP_EXIT_USAGE, 0, 0},
    {">= 1 2", AP_EXIT_USAGE, 0, 0},
    {">= 1x", AP_EXIT_USAGE, 0, 0},
    {">= nan", AP_EXIT_USAGE, 0, 0},
    {">= inf", AP_EXIT_USAGE, 0, 0},
    {"<= -inf", AP_EXIT_USAGE, 0, 0},
    {">= 1e400", AP_EXIT_USAGE, 0, 0},
    {"\xe2\x89\xa5 1", AP_EXIT_USAGE, 0, 0}, /* U+2265 */
};

static void
test_kpi_parse_target_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(kpi_cases); i++) {
		const struct kpi_case *c = &kpi_cases[i];
		char label[96];
		int op = -1;
		double num = -1;

		snprintf(label, sizeof(label), "target '%s'", c->in);
		check_err(kpi_parse_target(c->in, &op, &num), c->code,
			  c->code
			      ? "use 'OP NUMBER' with OP one of >= > <= < =="
			      : NULL,
			  label);
		if (c->code == 0 && (op != c->op || num != c->num))
			fail_msg("%s: op %d num %g, want %d %g", label, op, num,
				 c->op, c->num);
	}
	check_err(kpi_parse_target("=> 2", &(int){0}, &(double){0}),
		  AP_EXIT_USAGE, "invalid KPI target '=> 2'", "message");
}

static void
test_kpi_ops_and_meets(void **state)
{
	static const struct {
		int op;
		double target, value;
		int meets;
	} cases[] = {
	    {KOP_GE, 0.8, 0.8, 1},  {KOP_GE, 0.8, 0.79, 0},
	    {KOP_GE, 0.8, 0.9, 1},  {KOP_GT, 0.8, 0.8, 0},
	    {KOP_GT, 0.8, 0.81, 1}, {KOP_LE, 5, 5, 1},
	    {KOP_LE, 5, 5.01, 0},   {KOP_LT, 5, 5, 0},
	    {KOP_LT, 5, 4.99, 1},   {KOP_EQ, 1, 1, 1},
	    {KOP_EQ, 1, 1.0001, 0}, {KOP_LT, -1, -2, 1},
	    {99, 1, 1, 0},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (kpi_meets(cases[i].op, cases[i].target, cases[i].value) !=
		    cases[i].meets)
			fail_msg("case %zu: kpi_meets(%d, %g, %g) != %d", i,
				 cases[i].op, cases[i].target, cases[i].value,
				 cases[i].meets);
	for (int op = KOP_GE; op <= KOP_EQ; op++)
		assert_int_equal(kpi_op_parse(kpi_op_name(op)), op);
	assert_string_equal(kpi_op_name(KOP_GE), ">=");
	assert_string_equal(kpi_op_name(KOP_GT), ">");
	assert_string_equal(kpi_op_name(KOP_LE), "<=");
	assert_string_equal(kpi_op_name(KOP_LT), "<");
	assert_string_equal(kpi_op_name(KOP_EQ), "==");
	assert_string_equal(kpi_op_name(9), "?");
	assert_int_equal(kpi_op_parse("="), -1);
	assert_int_equal(kpi_op_parse("=>"), -1);
	assert_int_equal(kpi_op_parse(""), -1);
}

/* ---- input validation ---- */

struct valid_case {
	const char *in;
	int code;
	const char *needle;
};

static void
run_valid_cases(const struct valid_case *cases, size_t n, int kind)
{
	for (size_t i = 0; i < n; i++) {
		const struct valid_case *c = &cases[i];
		const struct ap_error *err;
		char label[160];

		snprintf(label, sizeof(label), "case %zu '%.40s'", i, c->in);
		err = kind == 0   ? valid_name("project", c->in)
		      : kind == 1 ? valid_person(c->in)
				  : valid_text("reason", c->in, 1);
		check_err(err, c->code, c->needle, label);
	}
}

static void
test_valid_name_table(void **state)
{
	char n64[65], n65[66];
	const struct valid_case cases[] = {
	    {"churn-model", 0, NULL},
	    {"A.b_c-9", 0, NULL},
	    {"7up", 0, NULL},
	    {"x", 0, NULL},
	    {n64, 0, NULL},
	    {"", AP_EXIT_USAGE, "project name is empty"},
	    {n65, AP_EXIT_USAGE,
	     "is 65 characters long; at most 64 are allowed"},
	    {"../x", AP_EXIT_USAGE,
	     "invalid project name '../x': use 1-64 characters of A-Z a-z 0-9"
	     " . _ -, starting with a letter or digit"},
	    {"a/b", AP_EXIT_USAGE, "invalid project name 'a/b'"},
	    {"a b", AP_EXIT_USAGE, "invalid project name 'a b'"},
	    {"'; DROP TABLE", AP_EXIT_USAGE,
	     "invalid project name ''; DROP TABLE'"},
	    {"-x", AP_EXIT_USAGE, "starting with a letter or digit"},
	    {".hidden", AP_EXIT_USAGE, "invalid project name '.hidden'"},
	    {"_x", AP_EXIT_USAGE, "invalid"},
	    {"caf\xc3\xa9", AP_EXIT_USAGE,
	     "invalid project name 'caf\xc3\xa9'"},
	    {"a\xff", AP_EXIT_USAGE, "invalid project name 'a?'"},
	    {"tab\there", AP_EXIT_USAGE, "invalid"},
	    {"new\nline", AP_EXIT_USAGE, "invalid project name 'new?line'"},
	};

	(void)state;
	memset(n64, 'a', 64);
	n64[64] = '\0';
	memset(n65, 'b', 65);
	n65[65] = '\0';
	run_valid_cases(cases, N_ELEMS(cases), 0);
	check_err(valid_name("component", "a b"), AP_EXIT_USAGE,
		  "invalid component name 'a b'", "what");
}

static void
test_valid_person_table(void **state)
{
	char p128[129], p129[130], p128u[129];
	const struct valid_case cases[] = {
	    {"ada", 0, NULL},
	    {"Ada Lovelace", 0, NULL},
	    {"Jos\xc3\xa9 N\xc3\xba\xc3\xb1\x65z", 0, NULL},
	    {"\xe5\xbc\xa0\xe4\xbc\x9f", 0, NULL}, /* CJK */
	    {"ada@example.com", 0, NULL},
	    {p128, 0, NULL},
	    {p128u, 0, NULL},
	    {"", AP_EXIT_USAGE, "person name is empty"},
	    {p129, AP_EXIT_USAGE,
	     "person name is 129 bytes long; at most 128 are allowed"},
	    {" ada", AP_EXIT_USAGE, "starts or ends with a space"},
	    {"ada ", AP_EXIT_USAGE, "starts or ends with a space"},
	    {"ada\tl", AP_EXIT_USAGE, "control character"},
	    {"ada\nl", AP_EXIT_USAGE, "control character"},
	    {"\x1b[31mred", AP_EXIT_USAGE, "control character"},
	    {"ada\x7f", AP_EXIT_USAGE, "control character"},
	    {"ada\xff", AP_EXIT_USAGE, "not valid UTF-8"},
	    {"\xc0\xa0", AP_EXIT_USAGE, "not valid UTF-8"},
	    /* C1 controls are not printable either: U+009B is the
	     * 8-bit CSI a terminal obeys, U+0085 is NEL */
	    {"ada\xc2\x9b"
	     "31m",
	     AP_EXIT_USAGE, "control character"},
	    {"ada\xc2\x85", AP_EXIT_USAGE, "control character"},
	};

	(void)state;
	memset(p128, 'p', 128);
	p128[128] = '\0';
	memset(p129, 'q', 129);
	p129[129] = '\0';
	/* 64 two-byte characters: 128 bytes */
	for (int i = 0; i < 64; i++)
		memcpy(p128u + 2 * i, "\xc3\xa9", 2);
	p128u[128] = '\0';
	run_valid_cases(cases, N_ELEMS(cases), 1);
}

/* person_key: one person whatever the case and the spacing */
static void
test_person_key_table(void **state)
{
	static const struct {
		const char *name, *key;
	} cases[] = {
	    {"Eli Park", "eli park"},
	    {"eli park", "eli park"},
	    {"Eli  Park", "eli park"},
	    {"  ELI   PARK  ", "eli park"},
	    {"Eli\xc2\xa0"
	     "Park",
	     "eli park"},               /* U+00A0 */
	    {"alice\xc2\xa0", "alice"}, /* trailing U+00A0 */
	    {"\xe3\x80\x80"
	     "Alice",
	     "alice"}, /* U+3000 */
	    {"Eli\xe2\x80\x82\xe2\x80\xaf"
	     "Park",
	     "eli park"},                        /* U+2002 U+202F */
	    {"Eli\xe1\x9a\x80Park", "eli park"}, /* U+1680 */
	    {"Eli\xe2\x81\x9f"
	     "Park",
	     "eli park"}, /* U+205F */
	    {"Eli\tPark", "eli park"},
	    {"Jos\xc3\xa9", "jos\xc3\xa9"}, /* only ASCII letters fold */
	    {"JOS\xc3\x89", "jos\xc3\x89"},
	    {"\xe5\xbc\xa0\xe4\xbc\x9f", "\xe5\xbc\xa0\xe4\xbc\x9f"},
	    {"a@B.example", "a@b.example"},
	    {"", ""},
	    {"   ", ""},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *k = person_key(cases[i].name);
		assert_non_null(k);
		assert_string_equal(k, cases[i].key);
		free(k);
	}
	assert_true(person_same("ALICE", "alice"));
	assert_true(person_same("alice\xc2\xa0", "Alice"));
	assert_true(person_same("Eli  Park", "eli park"));
	assert_false(person_same("Eli Park", "Eli Parks"));
	assert_false(person_same("Elipark", "Eli Park"));
	/* emails and handles: "" is none */
	assert_null(valid_email(""));
	assert_null(valid_email("ana@example.com"));
	check_err(valid_email("ana"), AP_EXIT_USAGE, "expected NAME@DOMAIN",
		  "no @");
	check_err(valid_email("@example.com"), AP_EXIT_USAGE, "NAME@DOMAIN",
		  "no name");
	check_err(valid_email("a@b@c"), AP_EXIT_USAGE, "NAME@DOMAIN", "two @");
	check_err(valid_email("a b@c"), AP_EXIT_USAGE, "without spaces",
		  "space");
	check_err(valid_email("j\xc3\xb6@c"), AP_EXIT_USAGE, "printable ASCII",
		  "not ASCII");
	assert_null(valid_handle(""));
	assert_null(valid_handle("@ana"));
	assert_null(valid_handle("\xc3\xa9l\xc3\xa9"));
	check_err(valid_handle("a b"), AP_EXIT_USAGE, "no spaces", "space");
	check_err(valid_handle("a\xc2\xa0"
			       "b"),
		  AP_EXIT_USAGE, "no spaces", "no-break space");
	check_err(valid_handle("a\xe2\x80\xae"
			       "b"),
		  AP_EXIT_USAGE, "invisible", "bidi");
	assert_true(person_space(0xa0));
	assert_true(person_space(0x2009));
	assert_false(
	    person_space(0x200b)); /* zero width: refused, not folded */
	assert_false(person_space('x'));
}

static void
test_valid_text_table(void **state)
{
	static char t4096[4097], t4097[4098], t4096u[4097];
	const struct valid_case cases[] = {
	    {"a reason", 0, NULL},
	    {"line one\nline two\twith a tab", 0, NULL},
	    {"na\xc3\xafve caf\xc3\xa9 \xe2\x82\xac 5 \xf0\x9f\x98\x80", 0,
	     NULL},
	    {t4096, 0, NULL},
	    {t4096u, 0, NULL},
	    {"", AP_EXIT_USAGE, "reason is empty"},
	    {t4097, AP_EXIT_USAGE,
	     "reason is 4097 bytes long; at most 4096 are allowed"},
	    {"bell\a", AP_EXIT_USAGE,
	     "reason holds control character 0x07; only newline and tab are"
	     " allowed"},
	    {"cr\r\n", AP_EXIT_USAGE, "control character 0x0d"},
	    {"\x1b[2J", AP_EXIT_USAGE, "control character 0x1b"},
	    {"del\x7f", AP_EXIT_USAGE, "control character 0x7f"},
	    {"bad \xff byte", AP_EXIT_USAGE, "reason is not valid UTF-8"},
	    {"trunc \xe2\x82", AP_EXIT_USAGE, "not valid UTF-8"},
	    {"surrogate \xed\xa0\x80", AP_EXIT_USAGE, "not valid UTF-8"},
	    {"overlong \xc0\xaf", AP_EXIT_USAGE, "not valid UTF-8"},
	    /* C1 controls are control characters too */
	    {"csi \xc2\x9b"
	     "2J",
	     AP_EXIT_USAGE, "control character"},
	};

	(void)state;
	memset(t4096, 'x', 4096);
	memset(t4097, 'y', 4097);
	/* 1365 three-byte characters and one byte: 4096 bytes */
	for (int i = 0; i < 1365; i++)
		memcpy(t4096u + 3 * i, "\xe2\x82\xac", 3);
	t4096u[4095] = 'z';
	run_valid_cases(cases, N_ELEMS(cases), 2);
	assert_null(valid_text("note", "", 0));
	check_err(valid_text("note", "", 1), AP_EXIT_USAGE, "note is empty",
		  "required");
	check_err(valid_text("description", t4097, 0), AP_EXIT_USAGE,
		  "description is 4097 bytes long", "optional too long");
}

static void
test_utf8_valid_table(void **state)
{
	static const struct {
		const char *s;
		size_t max;
		int ok;
	} cases[] = {
	    {"", 0, 1},
	    {"abc", 3, 1},
	    {"abc", 2, 0},
	    {"\xc3\xa9", 2, 1},                 /* U+00E9 */
	    {"\xc3\xa9", 1, 0},                 /* straddles the limit */
	    {"\xe2\x82\xac", 3, 1},             /* U+20AC */
	    {"\xf0\x9f\x98\x80", 4, 1},         /* U+1F600 */
	    {"\xf4\x8f\xbf\xbf", 4, 1},         /* U+10FFFF, the last */
	    {"\xed\x9f\xbf", 3, 1},             /* U+D7FF, before surrogates */
	    {"\xee\x80\x80", 3, 1},             /* U+E000, after them */
	    {"\xdf\xbf", 2, 1},                 /* U+07FF */
	    {"\xe0\xa0\x80", 3, 1},             /* U+0800 */
	    {"\xf0\x90\x80\x80", 4, 1},         /* U+10000 */
	    {"\xc0\xaf", 8, 0},                 /* overlong '/' */
	    {"\xc1\xbf", 8, 0},                 /* overlong */
	    {"\xe0\x80\xaf", 8, 0},             /* overlong '/' */
	    {"\xe0\x9f\xbf", 8, 0},             /* overlong U+07FF */
	    {"\xf0\x80\x80\xaf", 8, 0},         /* overlong '/' */
	    {"\xf0\x8f\xbf\xbf", 8, 0},         /* overlong U+FFFF */
	    {"\xed\xa0\x80", 8, 0},             /* U+D800 */
	    {"\xed\xbf\xbf", 8, 0},             /* U+DFFF */
	    {"\xed\xa0\xbd\xed\xb8\x80", 8, 0}, /* CESU-8 pair */
	    {"\xf4\x90\x80\x80", 8, 0},         /* U+110000 */
	    {"\xf5\x80\x80\x80", 8, 0},
	    {"\xff", 8, 0},
	    {"\xfe", 8, 0},
	    {"\x80", 8, 0}, /* lone continuation */
	    {"a\xbf", 8, 0},
	    {"\xe2\x82", 8, 0}, /* truncated */
	    {"\xe2\x82x", 8, 0},
	    {"\xf0\x9f\x98", 8, 0},
	    {"\xc3", 8, 0},
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (utf8_valid(cases[i].s, cases[i].max) != cases[i].ok)
			fail_msg("case %zu: utf8_valid(max %zu) != %d", i,
				 cases[i].max, cases[i].ok);
	assert_true(utf8_valid("any length", (size_t)-1));
}

static void
test_shown(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"plain", "plain"},
	    {"", ""},
	    {"a\nb\tc\rd", "a?b?c?d"},
	    {"\x1b[31mred", "?[31mred"},
	    {"del\x7f", "del?"},
	    {"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	     "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
	    {"\xff\xfe", "??"},
	    {"x\xe2\x82", "x??"},
	    {"\xc0\xaf", "??"},
	    {"\xed\xa0\x80!", "?"
			      "?"
			      "?!"},
	    /* C1 controls are control characters: U+009B is CSI */
	    {"a\xc2\x9b"
	     "2J",
	     "a?2J"},
	    {"nel\xc2\x85", "nel?"},
	};
	char in[256], want[256];
	const char *a, *b, *c, *d;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (strcmp(shown(cases[i].in), cases[i].out) != 0)
			fail_msg("case %zu: shown() gave '%s', want '%s'", i,
				 shown(cases[i].in), cases[i].out);
	/* cut at 80 bytes with "..." */
	memset(in, 'a', 80);
	in[80] = '\0';
	assert_string_equal(shown(in), in);
	in[80] = 'b';
	in[81] = '\0';
	memcpy(want, in, 80);
	strcpy(want + 80, "...");
	assert_string_equal(shown(in), want);
	/* a character is not split at the cut */
	memset(in, 'a', 79);
	strcpy(in + 79, "\xc3\xa9");
	memcpy(want, in, 79);
	strcpy(want + 79, "...");
	assert_string_equal(shown(in), want);
	memset(in, '\n', 200);
	in[200] = '\0';
	memset(want, '?', 80);
	strcpy(want + 80, "...");
	assert_string_equal(shown(in), want);
	/* a few results live at once */
	a = shown("one");
	b = shown("two");
	c = shown("three");
	d = shown("four");
	assert_string_equal(a, "one");
	assert_string_equal(b, "two");
	assert_string_equal(c, "three");
	assert_string_equal(d, "four");
}

/* ---- the rest of util.c and error.c ---- */

static void
test_util_helpers(void **state)
{
	char buf[64];
	struct sbuf b = {0};
	char *s = NULL;
	char long65[66];

	(void)state;
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
	assert_int_equal(edit_distance("", "abc"), 3);
	assert_int_equal(edit_distance("same", "same"), 0);
	assert_int_equal(edit_distance("feasability", "feasibility"), 1);
	memset(long65, 'a', 65);
	long65[65] = '\0';
	assert_int_equal(edit_distance(long65, "a"), 100);

	human_duration(40, buf, sizeof(buf));
	assert_string_equal(buf, "40s");
	human_duration(125, buf, sizeof(buf));
	assert_string_equal(buf, "2m 5s");
	human_duration(2 * 3600 + 5 * 60, buf, sizeof(buf));
	assert_string_equal(buf, "2h 5m");
	human_duration(3 * 86400 + 4 * 3600 + 59, buf, sizeof(buf));
	assert_string_equal(buf, "3d 4h");
	human_duration(-5, buf, sizeof(buf));
	assert_string_equal(buf, "0s");

	assert_float_equal(
	    stamp_diff("2026-01-01T00:00:00.000Z", "2026-01-02T00:00:01.500Z"),
	    86401.5, 1e-6);
	assert_float_equal(
	    stamp_diff("2026-03-01T00:00:00.000Z", "2026-02-28T00:00:00.000Z"),
	    -86400, 1e-6);
	assert_float_equal(stamp_diff("garbage", "2026-01-01T00:00:00.000Z"), 0,
			   0);
	/* the hand-read stamps agree with timegm: epoch, leap days,
	 * centuries, and a day past the month's end rolls over as timegm's */
	{
		static const char *const st[] = {
		    "1970-01-01T00:00:00.000Z", "2000-02-29T23:59:59.999Z",
		    "2000-03-01T00:00:00.000Z", "1900-03-01T12:00:00.000Z",
		    "2024-12-31T23:59:59.000Z", "2026-04-31T00:00:00.000Z",
		    "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
		};
		for (size_t i = 0; i < sizeof(st) / sizeof(*st); i++) {
			struct tm tm = {0};
			double t;
			int ms;
			assert_int_equal(stamp_parse(st[i], &t), 0);
			assert_int_equal(
			    sscanf(st[i], "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ",
				   &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
				   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &ms),
			    7);
			tm.tm_year -= 1900;
			tm.tm_mon -= 1;
			assert_float_equal(t, (double)timegm(&tm) + ms / 1000.0,
					   0);
		}
	}

	setenv("AIPROJ_NOW", "2030-05-06T07:08:09.010Z", 1);
	now_utc(buf);
	assert_string_equal(buf, "2030-05-06T07:08:09.010Z");
	unsetenv("AIPROJ_NOW");
	now_utc(buf);
	assert_int_equal(strlen(buf), 24);
	assert_int_equal(buf[10], 'T');
	assert_int_equal(buf[19], '.');
	assert_int_equal(buf[23], 'Z');
	assert_true(stamp_diff("2020-01-01T00:00:00.000Z", buf) > 0);

	assert_int_equal(sbuf_add(&b, "ab", 2), 0);
	assert_int_equal(sbuf_printf(&b, "-%d-%s", 42, "x"), 0);
	for (int i = 0; i < 100; i++)
		assert_int_equal(sbuf_add(&b, "0123456789", 10), 0);
	assert_int_equal(b.len, 7 + 1000);
	assert_memory_equal(b.s, "ab-42-x0123", 11);
	assert_int_equal(b.s[b.len], '\0');
	sbuf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);

	assert_null(xstrdup("copy", &s));
	assert_string_equal(s, "copy");
	free(s);
	assert_null(xstrdup(NULL, &s));
	assert_string_equal(s, "");
	free(s);
}

static void
test_error_values(void **state)
{
	const struct ap_error *e, *first;

	(void)state;
	e = ap_error_fmt(AP_EXIT_CONFLICT, "name '%s' is %d", "x", 5);
	assert_int_equal(e->code, 5);
	assert_string_equal(e->msg, "name 'x' is 5");
	errno = ENOENT;
	e = ap_error_errno(AP_EXIT_STORE, "cannot open", "/no/such");
	assert_int_equal(e->code, 7);
	assert_string_equal(
	    e->msg, "cannot open '/no/such': No such file or directory");
	e = ap_error_nomem();
	assert_int_equal(e->code, AP_EXIT_STORE);
	assert_string_equal(e->msg, "out of memory");
	/* a few errors live at once, each with its own message */
	first = ap_error_fmt(2, "first");
	e = ap_error_fmt(3, "second");
	assert_string_equal(first->msg, "first");
	assert_string_equal(e->msg, "second");
	assert_ptr_not_equal(first, e);
	ap_error_cleanup();
	e = ap_error_fmt(4, "after cleanup");
	assert_string_equal(e->msg, "after cleanup");
}

/* NUMBERS: the one grammar (util.c) */
static void
test_number_grammar(void **state)
{
	static const char *const bad_whole[] = {"",
						"-1",
						"+1",
						"0x10",
						"1e3",
						"1.0",
						" 1",
						"1 ",
						"0",
						"9007199254740992",
						"99999999999999999999999",
						NULL};
	static const char *const bad_decimal[] = {
	    "",   "+1", ".5", "5.",  "0x10", "nan",   "inf", "-inf", "1,5",
	    " 1", "1 ", "1e", "1e+", "--1",  "1e3.5", "-",   NULL};
	static const char *const out_of_range[] = {
	    "1e16",  "-1e16", "1000000000000001", "1e-16", "-1e-400",
	    "1e400", NULL};
	static const struct {
		const char *s;
		double v;
	} good[] = {{"0", 0},       {"-0", 0},          {"12", 12},
		    {"-0.5", -0.5}, {"2.5e-3", 2.5e-3}, {"2.5E+3", 2500},
		    {"1e15", 1e15}, {"-1e15", -1e15},   {"1e-15", 1e-15},
		    {"007.50", 7.5}};
	long long n;
	double d;

	(void)state;
	for (int i = 0; bad_whole[i]; i++)
		check_err(parse_whole("id", bad_whole[i], 1, ID_MAX, &n),
			  AP_EXIT_USAGE,
			  "expected a whole number from 1 to 9007199254740991",
			  bad_whole[i]);
	assert_null(parse_whole("id", "9007199254740991", 1, ID_MAX, &n));
	assert_true(n == ID_MAX);
	assert_null(parse_whole("ms", "0", 0, BUSY_TIMEOUT_MAX, &n));
	assert_true(n == 0);
	assert_null(parse_whole("id", "007", 1, ID_MAX, &n));
	assert_true(n == 7);
	check_err(parse_whole("ms", "3600001", 0, BUSY_TIMEOUT_MAX, &n),
		  AP_EXIT_USAGE, "from 0 to 3600000", "ms");
	for (int i = 0; bad_decimal[i]; i++)
		check_err(parse_decimal("v", bad_decimal[i], &d), AP_EXIT_USAGE,
			  "expected a decimal number", bad_decimal[i]);
	for (int i = 0; out_of_range[i]; i++)
		check_err(parse_decimal("v", out_of_range[i], &d),
			  AP_EXIT_USAGE, "out of range", out_of_range[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_null(parse_decimal("v", good[i].s, &d));
		assert_true(d == good[i].v);
	}
	assert_null(parse_decimal("v", "-0", &d));
	assert_false(signbit(d)); /* no -0 */
}

/* Display width by the Unicode tables, the same in every locale. */
static void
test_display_width(void **state)
{
	const char *p;

	(void)state;
	assert_int_equal(u8_width(""), 0);
	assert_int_equal(u8_width("abc"), 3);
	assert_int_equal(u8_width("caf\xc3\xa9"), 4);  /* é */
	assert_int_equal(u8_width("cafe\xcc\x81"), 4); /* e + U+0301 */
	assert_int_equal(u8_width("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d"),
			 6);                               /* 李小龍 */
	assert_int_equal(u8_width("\xef\xbc\xa1"), 2);     /* fullwidth A */
	assert_int_equal(u8_width("\xf0\x9f\x91\x8d"), 2); /* U+1F44D */
	assert_int_equal(u8_width("\xe2\x80\xae"), 0);     /* U+202E */
	assert_int_equal(u8_width("\xe0\xa4\x95\xe0\xa5\x8d"), 1); /* क् */
	assert_int_equal(u8_width("\xea\xb0\x80"), 2);             /* 가 */
	assert_int_equal(cp_width(0x7), 0);
	assert_int_equal(cp_width(0xad), 0);
	assert_int_equal(cp_width(0x20ac), 1); /* € */
	assert_true(cp_is_format(0x202e));
	assert_true(cp_is_format(0x200b));
	assert_true(cp_is_format(0x2066));
	assert_true(cp_is_format(0xfeff));
	assert_true(cp_is_format(0x2028));
	assert_true(cp_is_format(0xe0001));
	assert_false(cp_is_format(0x301));
	assert_false(cp_is_format('a'));
	p = "\xff!";
	assert_int_equal(utf8_next(&p), 0xfffd);
	assert_int_equal(*p, '!');
	p = "\xf0\x9f\x91\x8d";
	assert_int_equal(utf8_next(&p), 0x1f44d);
	assert_int_equal(*p, 0);
	/* persons: bidirectional and other format characters refused */
	assert_non_null(valid_person("Ana\xe2\x80\xae"
				     "amiL"));
	assert_non_null(valid_person("A\xe2\x80\x8bna"));
	assert_non_null(valid_person("Ana\xe2\x80\xa8Lima"));
	assert_null(valid_person("\xe6\x9d\x8e\xe5\xb0\x8f\xe9\xbe\x8d"));
	assert_null(valid_person("Jos\xc3\xa9 \xf0\x9f\x91\x8d"));
}

/* ---- what is live in production, and monitoring ---- */

static void
test_release_rules(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def at_deploy = EMPTY(PS_ACTIVE, 4);
	const struct proj_def at_proto = EMPTY(PS_ACTIVE, 2);
	struct eng_project p;

	(void)state;
	proj_build(lc, &at_deploy, &p);
	OK(eng_check_release(lc, &p));
	p.status = PS_ON_HOLD;
	check_err(eng_check_release(lc, &p), AP_EXIT_REFUSED,
		  "project is on-hold", "on hold");
	proj_build(lc, &at_proto, &p);
	check_err(eng_check_release(lc, &p), AP_EXIT_REFUSED,
		  "at 'prototyping-testing': what goes live is recorded at"
		  " 'deployment', the last stage",
		  "before deployment");

	OK(eng_check_version("1.0"));
	OK(eng_check_version("2026.01-rc1+build_7"));
	check_err(eng_check_version("-1"), AP_EXIT_USAGE, "invalid version",
		  "leading dash");
	check_err(eng_check_version(""), AP_EXIT_USAGE, NULL, "empty");
	check_err(eng_check_version("a b"), AP_EXIT_USAGE, NULL, "space");
	check_err(eng_check_version("v1/2"), AP_EXIT_USAGE, NULL, "slash");

	OK(eng_check_digest("md5:0123456789abcdef0123456789ABCDEF"));
	check_err(eng_check_digest("sha256:00"), AP_EXIT_USAGE,
		  "sha256 takes 64 hex digits", "short");
	check_err(
	    eng_check_digest("sha1:zz23456789012345678901234567890123456789"),
	    AP_EXIT_USAGE, "sha1 takes 40 hex digits", "not hex");
	check_err(eng_check_digest("crc32:0000"), AP_EXIT_USAGE,
		  "ALGO one of md5", "algo");
	check_err(eng_check_digest("sha256"), AP_EXIT_USAGE, NULL, "no colon");

	OK(eng_check_commit("abcdef1"));
	check_err(eng_check_commit("abcde1"), AP_EXIT_USAGE, "7 to 64",
		  "short commit");
	check_err(eng_check_commit("abcdefg"), AP_EXIT_USAGE, NULL, "g");

	OK(eng_check_artifact("oci://registry/churn:1.0"));
	OK(eng_check_artifact("s3://bucket/model.bin"));
	check_err(eng_check_artifact("model.bin"), AP_EXIT_USAGE,
		  "invalid artifact", "no scheme");
	check_err(eng_check_artifact("s3://a b"), AP_EXIT_USAGE, NULL, "space");
	check_err(eng_check_artifact("1x:y"), AP_EXIT_USAGE, NULL, "digit");
	check_err(eng_check_artifact("x:"), AP_EXIT_USAGE, NULL, "no rest");
}

static void
test_breach_rules(void **state)
{
	const struct lifecycle *lc = &lcs[LC_DEFAULT];
	const struct proj_def at_deploy = EMPTY(PS_ACTIVE, 4);
	const struct proj_def at_proto = EMPTY(PS_ACTIVE, 2);
	struct eng_kpi k = {"auc", KOP_GE, 0.8, 1, 0.7, 1, "T1"};
	struct eng_project p;
	struct sbuf d = {0};
	int to = -1;

	(void)state;
	/* a miss is a breach only while a release is live */
	assert_int_equal(eng_reading_outcome(KOP_GE, 0.8, 0.9, 1), RO_MET);
	assert_int_equal(eng_reading_outcome(KOP_GE, 0.8, 0.7, 0), RO_MISSED);
	assert_int_equal(eng_reading_outcome(KOP_GE, 0.8, 0.7, 1), RO_BREACH);
	assert_string_equal(eng_reading_outcome_name(RO_MET), "met");
	assert_string_equal(eng_reading_outcome_name(RO_MISSED), "missed");
	assert_string_equal(eng_reading_outcome_name(RO_BREACH), "breach");
	assert_string_equal(eng_reading_outcome_name(7), "?");

	/* open until the project goes back (a later reading replaces it) */
	assert_true(eng_breach_open(1, "T1", NULL, KOP_GE, 0.8, 0.7, 0));
	assert_true(eng_breach_open(1, "T2", "T1", KOP_GE, 0.8, 0.7, 0));
	assert_false(eng_breach_open(1, "T1", "T2", KOP_GE, 0.8, 0.7, 0));
	assert_false(eng_breach_open(0, "T2", NULL, KOP_GE, 0.8, 0.7, 0));
	assert_false(eng_breach_open(1, NULL, NULL, KOP_GE, 0.8, 0.7, 0));
	/* a new target re-judges it: one the reading meets closes it, a
	 * tighter or other one it still misses keeps it open */
	assert_false(eng_breach_open(1, "T1", NULL, KOP_GE, 0.6, 0.7, 0));
	assert_false(eng_breach_open(1, "T1", NULL, KOP_LT, 1000, 500, 0));
	assert_true(eng_breach_open(1, "T1", NULL, KOP_LT, 200, 500, 0));
	/* closing the project ends its monitoring */
	assert_false(eng_breach_open(1, "T1", NULL, KOP_GE, 0.8, 0.7, 1));

	/* --kpis names the breach */
	assert_false(eng_cond_kpis(&k, 1, &d));
	assert_string_equal(d.s, "auc in breach since T1: latest 0.7 misses"
				 " >= 0.8");
	sbuf_free(&d), memset(&d, 0, sizeof(d));

	/* --live [VERSION] */
	proj_build(lc, &at_deploy, &p);
	assert_false(eng_cond_live(&p, NULL, &d));
	assert_string_equal(d.s, "no release is live");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	p.live = "1.0", p.live_since = "T0";
	assert_true(eng_cond_live(&p, NULL, &d));
	assert_string_equal(d.s, "1.0 is live since T0");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_true(eng_cond_live(&p, "1.0", &d));
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_false(eng_cond_live(&p, "2.0", &d));
	assert_string_equal(d.s, "1.0 is live (since T0), not 2.0");
	sbuf_free(&d), memset(&d, 0, sizeof(d));

	/* stage back --breach: to on_breach, with a breach open */
	OK(eng_check_breach_back(lc, &p, "auc", &to));
	assert_int_equal(to, lc->on_breach);
	check_err(eng_check_breach_back(lc, &p, NULL, &to), AP_EXIT_REFUSED,
		  "no breach is open", "no breach");
	proj_build(lc, &at_proto, &p);
	check_err(eng_check_breach_back(lc, &p, "auc", &to), AP_EXIT_REFUSED,
		  "it is not earlier than the current stage", "not earlier");
	p.status = PS_CLOSED;
	check_err(eng_check_breach_back(lc, &p, "auc", &to), AP_EXIT_REFUSED,
		  "project is closed", "closed");
	proj_build(&lcs[LC_THREE], &at_proto, &p);
	check_err(eng_check_breach_back(&lcs[LC_THREE], &p, "auc", &to),
		  AP_EXIT_REFUSED, "names no on_breach stage", "none");
}


/* ---- parallel stages and sign-offs ---- */

/* The seven stages with "test" starting after "design" and "release" after
 * "test"; "release" asks sign-offs of qa and lead. */
static void
lc_parallel(struct lifecycle *lc)
{
	lc_build(lc, seven_roles, N_ELEMS(seven_roles), seven_stages,
		 N_ELEMS(seven_stages));
	lc->stages[3].starts_after = 1;
	lc->stages[5].starts_after = 3;
	lc->stages[5].signoff[lifecycle_role(lc, "qa")] = 1;
	lc->stages[5].signoff[lifecycle_role(lc, "lead")] = 1;
}

struct start_case {
	const char *label;
	int status, stage, open, target, code;
	const char *needle;
};

static const struct start_case start_cases[] = {
    {"before its starts_after stage", PS_ACTIVE, 0, -1, 3, AP_EXIT_REFUSED,
     "cannot start 'test' on 'demo' yet: it starts after 'design', whose"
     " gate has not been passed (the project is at 'intake')"},
    {"at its starts_after stage", PS_ACTIVE, 1, -1, 3, AP_EXIT_REFUSED,
     "whose gate has not been passed (the project is at 'design')"},
    {"past it", PS_ACTIVE, 2, -1, 3, 0, NULL},
    {"started already", PS_ACTIVE, 2, 3, 3, AP_EXIT_REFUSED,
     "cannot start 'test' on 'demo': it was started already"},
    {"after a stage open early: not passed while an earlier one is open",
     PS_ACTIVE, 2, 3, 5, AP_EXIT_REFUSED,
     "it starts after 'test', which cannot be passed while 'build', an"
     " earlier stage, is open"},
    {"after a stage not started", PS_ACTIVE, 2, -1, 5, AP_EXIT_REFUSED,
     "whose gate has not been passed (the project is at 'build')"},
    {"once that stage is passed", PS_ACTIVE, 4, -1, 5, 0, NULL},
    {"reached", PS_ACTIVE, 2, -1, 2, AP_EXIT_REFUSED,
     "cannot start 'build' on 'demo': the project has reached it (it is"
     " at 'build')"},
    {"behind", PS_ACTIVE, 4, -1, 3, AP_EXIT_REFUSED, "has reached it"},
    {"no starts_after", PS_ACTIVE, 2, -1, 4, AP_EXIT_REFUSED,
     "cannot start 'testing' on 'demo' early: the lifecycle gives it no"
     " starts_after"},
    {"on hold", PS_ON_HOLD, 2, -1, 3, AP_EXIT_REFUSED,
     "cannot start a stage of 'demo': project is on-hold"},
    {"closed", PS_CLOSED, 2, -1, 3, AP_EXIT_REFUSED, "project is closed"},
};

static void
test_stage_start(void **state)
{
	struct lifecycle lc;

	(void)state;
	lc_parallel(&lc);
	for (size_t i = 0; i < N_ELEMS(start_cases); i++) {
		const struct start_case *c = &start_cases[i];
		struct proj_def d = {c->status, c->stage, "*", 0, 0,
				     DK_NONE,   0,        0,   0};
		struct eng_project p;

		proj_build(&lc, &d, &p);
		if (c->open >= 0)
			p.open[c->open] = 1;
		check_err(eng_check_start(&lc, &p, c->target), c->code,
			  c->needle, c->label);
	}
	lifecycle_free(&lc);
}

static void
test_open_replay(void **state)
{
	struct eng_project p;

	(void)state;
	memset(&p, 0, sizeof(p));
	p.stage = 2;
	eng_open_note(&p, "start", 3);
	eng_open_note(&p, "advance", 2);
	eng_open_note(&p, "start", 5);
	eng_open_settle(&p);
	assert_true(eng_stage_open(&p, 2));
	assert_true(eng_stage_open(&p, 3));
	assert_true(eng_stage_open(&p, 5));
	assert_false(eng_stage_open(&p, 4));
	assert_false(eng_stage_open(&p, 1)); /* passed */
	/* a back-jump closes every started stage */
	eng_open_note(&p, "back", 1);
	p.stage = 1;
	eng_open_settle(&p);
	assert_false(eng_stage_open(&p, 3));
	assert_false(eng_stage_open(&p, 5));
	assert_true(eng_stage_open(&p, 1));
	/* an advance into a started stage: it is the current one now */
	eng_open_note(&p, "start", 3);
	p.stage = 3;
	eng_open_settle(&p);
	assert_false(p.open[3]);
	assert_true(eng_stage_open(&p, 3));
	/* a target outside the lifecycle changes nothing */
	eng_open_note(&p, "start", -1);
	eng_open_note(&p, "start", LC_MAX_STAGES);
}

static void
test_cond_started(void **state)
{
	struct lifecycle lc;
	struct eng_project p;
	struct sbuf b = {0};

	(void)state;
	lc_parallel(&lc);
	memset(&p, 0, sizeof(p));
	p.name = "demo";
	p.stage = 2;
	p.open[3] = 1;
	assert_true(eng_cond_started(&lc, &p, 3, &b));
	assert_string_equal(b.s, "at build (3), started early test (4)");
	b.len = 0;
	assert_false(eng_cond_started(&lc, &p, 5, &b));
	assert_string_equal(b.s, "at build (3), not started release (6)");
	b.len = 0;
	assert_true(eng_cond_started(&lc, &p, 1, &b));
	assert_string_equal(b.s, "at build (3), at or past design (2)");
	assert_string_equal(eng_cond_name(EC_STARTED), "started");
	sbuf_free(&b);
	lifecycle_free(&lc);
}

static void
test_signoffs(void **state)
{
	struct lifecycle lc;
	struct proj_def d = {PS_ACTIVE, 5, "*", 0, 0, DK_NONE, 0, 1, 1};
	struct eng_project p;
	struct gate g;
	size_t met, total;
	int qa, lead, ops;

	(void)state;
	lc_parallel(&lc);
	qa = lifecycle_role(&lc, "qa");
	lead = lifecycle_role(&lc, "lead");
	ops = lifecycle_role(&lc, "ops");
	proj_build(&lc, &d, &p);
	/* approved, no sign-off: two items unmet, after the approval */
	OK(gate_eval(&lc, &p, 5, &g));
	assert_false(g.passed);
	assert_int_equal(g.n - g.met, 2);
	assert_int_equal(g.items[g.n - 2].kind, GK_SIGNOFF);
	assert_string_equal(g.items[g.n - 2].id, "signoff:lead");
	assert_string_equal(g.items[g.n - 1].id, "signoff:qa");
	assert_string_equal(g.items[g.n - 1].text,
			    "signed off by the qa since the stage was entered");
	assert_non_null(
	    strstr(g.items[g.n - 1].hint, "gate approve demo --as qa"));
	assert_string_equal(gate_kind_name(GK_SIGNOFF), "signoff");
	gate_free(&g);
	/* seen from an earlier stage: only once the project is there */
	p.stage = 4;
	OK(gate_eval(&lc, &p, 5, &g));
	assert_non_null(
	    strstr(g.items[g.n - 1].hint, "given only while 'demo' is at"));
	assert_non_null(strstr(g.items[g.n - 1].hint,
			       "gate approve demo --as qa (PERSON assigned"
			       " as qa)"));
	gate_free(&g);
	p.stage = 5;
	/* one of two: still unmet */
	p.signoffs[qa] = 1;
	OK(gate_count(&lc, &p, 5, &met, &total));
	assert_int_equal(total - met, 1);
	p.signoffs[lead] = 1;
	OK(gate_eval(&lc, &p, 5, &g));
	assert_true(g.passed);
	gate_free(&g);
	OK(gate_count(&lc, &p, 5, &met, &total));
	assert_int_equal(met, total);
	/* no approval: the sign-offs do not stand for it */
	p.approvals = 0;
	OK(gate_eval(&lc, &p, 5, &g));
	assert_false(g.passed);
	gate_free(&g);
	/* who may sign off */
	OK(eng_check_signoff(&lc, &p, "eve", qa, 1));
	check_err(eng_check_signoff(&lc, &p, "eve", qa, 0), AP_EXIT_REFUSED,
		  "'eve' may not sign off the gate of 'release' on 'demo' as"
		  " qa: only a person assigned as qa may",
		  "not holding the role");
	check_err(eng_check_signoff(&lc, &p, "eve", ops, 1), AP_EXIT_REFUSED,
		  "the gate of 'release' on 'demo' asks no sign-off of ops"
		  " (sign-offs it asks: lead, qa)",
		  "a role the gate does not ask");
	p.stage = 2;
	check_err(eng_check_signoff(&lc, &p, "eve", qa, 1), AP_EXIT_REFUSED,
		  "(sign-offs it asks: none)", "a stage without sign-offs");
	p.status = PS_ON_HOLD;
	check_err(eng_check_signoff(&lc, &p, "eve", qa, 1), AP_EXIT_REFUSED,
		  "project is on-hold", "on hold");
	lifecycle_free(&lc);
}

static void
test_signoff_rule(void **state)
{
	struct lifecycle lc;
	const struct auth_rule *r = auth_rule_find("gate approve --as");
	const struct auth_rule *st = auth_rule_find("stage start");
	unsigned char held[LC_MAX_ROLES] = {0};
	struct auth_actor who = {"eve", 0, 1, held, 0, NULL, 0};
	struct proj_def d = {PS_ACTIVE, 5, "*", 0, 0, DK_NONE, 0, 0, 0};
	struct eng_project p;

	(void)state;
	lc_parallel(&lc);
	proj_build(&lc, &d, &p);
	assert_non_null(r);
	assert_int_equal(r->who, AW_SIGNOFF);
	assert_non_null(st);
	assert_int_equal(st->who, AW_STAGE_AR);
	/* ops is the A of release: not a sign-off role */
	held[lifecycle_role(&lc, "ops")] = 1;
	check_err(eng_authorize(&lc, r, &p, &who), AP_EXIT_REFUSED,
		  "policy 'roles': 'eve' may not sign off on 'demo' at"
		  " 'release': that needs the sign-off role (lead, qa)",
		  "the accountable role signs no sign-off");
	OK(eng_authorize(&lc, st, &p, &who));
	held[lifecycle_role(&lc, "qa")] = 1;
	OK(eng_authorize(&lc, r, &p, &who));
	lifecycle_free(&lc);
}

/* component handover: a holder of the component's owner role, the
 * stage's A role, or an admin */
static void
test_handover_rule(void **state)
{
	struct lifecycle lc;
	const struct auth_rule *r = auth_rule_find("component handover");
	unsigned char held[LC_MAX_ROLES] = {0};
	struct auth_actor who = {"eve", 0, 1, held, 0, "qa", 0};
	struct proj_def d = {PS_ACTIVE, 5, "*", 0, 0, DK_NONE, 0, 0, 0};
	struct eng_project p;

	(void)state;
	lc_parallel(&lc);
	proj_build(&lc, &d, &p);
	assert_non_null(r);
	assert_int_equal(r->who, AW_OWNER);
	assert_true(r->flags & AF_ADMINS);
	check_err(eng_authorize(&lc, r, &p, &who), AP_EXIT_REFUSED,
		  "policy 'roles': 'eve' may not hand over a component on"
		  " 'demo' at 'release': that needs the accountable role"
		  " (ops; or qa, the component's owner) or the admin right",
		  "neither the owner nor the A");
	who.owner_held = 1; /* holds qa, the owner */
	OK(eng_authorize(&lc, r, &p, &who));
	who.owner_held = 0;
	held[lifecycle_role(&lc, "ops")] = 1; /* the A of release */
	OK(eng_authorize(&lc, r, &p, &who));
	held[lifecycle_role(&lc, "ops")] = 0;
	who.admin = 1;
	OK(eng_authorize(&lc, r, &p, &who));
	lifecycle_free(&lc);
}

/* ---- dates and flow over time ---- */

static void
test_due_dates(void **state)
{
	struct eng_project p = {.name = "x", .status = PS_ACTIVE};
	struct sbuf d = {0};

	(void)state;
	assert_int_equal(eng_days_overdue("2026-01-10", "2026-01-10"), 0);
	assert_int_equal(eng_days_overdue("2026-01-10", "2026-01-09"), 0);
	assert_int_equal(eng_days_overdue("2026-01-10", "2026-01-11"), 1);
	assert_int_equal(eng_days_overdue("2025-12-31", "2026-03-01"), 60);
	assert_int_equal(eng_days_overdue(NULL, "2026-03-01"), 0);
	/* before 1970 too: a day number below zero is still a day */
	assert_int_equal(eng_days_overdue("1969-12-31", "1970-01-01"), 1);
	assert_int_equal(eng_days_overdue("1926-03-01", "2026-01-30"), 36495);
	assert_int_equal(eng_days_overdue("0000-01-01", "0000-01-02"), 1);
	assert_int_equal(eng_days_overdue("1969-12-31", "1969-12-30"), 0);
	assert_int_equal(eng_days_overdue("2026-02-30", "2026-03-01"), 0);
	assert_int_equal(eng_days_overdue("2026-01-01", "soon"), 0);
	assert_true(eng_overdue(PS_ACTIVE, "2026-01-01", "2026-01-02"));
	assert_true(eng_overdue(PS_ON_HOLD, "2026-01-01", "2026-01-02"));
	assert_false(eng_overdue(PS_CLOSED, "2026-01-01", "2026-01-02"));
	assert_false(eng_overdue(PS_ACTIVE, "2026-01-02", "2026-01-02"));

	/* --on-time */
	assert_true(eng_cond_on_time(&p, "2026-01-05", &d));
	assert_string_equal(d.s, "no due date");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	p.due = "2026-01-05";
	assert_true(eng_cond_on_time(&p, "2026-01-05", &d));
	assert_string_equal(d.s, "due 2026-01-05");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_false(eng_cond_on_time(&p, "2026-01-06", &d));
	assert_string_equal(d.s, "due 2026-01-05, 1 day overdue");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_false(eng_cond_on_time(&p, "2026-01-08", &d));
	assert_string_equal(d.s, "due 2026-01-05, 3 days overdue");
	sbuf_free(&d), memset(&d, 0, sizeof(d));
	assert_string_equal(eng_cond_name(EC_ON_TIME), "on-time");
}

static void
test_visit_time(void **state)
{
	const struct eng_status_at held[] = {
	    {10, PS_ON_HOLD}, {30, PS_ACTIVE}, {50, PS_ON_HOLD},
	    {60, PS_ACTIVE},  {80, PS_CLOSED},
	};
	double a, h;

	(void)state;
	eng_visit_time(0, 100, NULL, 0, &a, &h);
	assert_true(a == 100 && h == 0);
	/* held 10..30 and 50..60, closed from 80 */
	eng_visit_time(0, 100, held, 5, &a, &h);
	assert_true(a == 50 && h == 30);
	/* a visit that starts on hold, ends before the resume */
	eng_visit_time(15, 25, held, 5, &a, &h);
	assert_true(a == 0 && h == 10);
	/* a visit that starts active after changes before it */
	eng_visit_time(35, 55, held, 5, &a, &h);
	assert_true(a == 15 && h == 5);
	/* closed: nothing counts */
	eng_visit_time(85, 100, held, 5, &a, &h);
	assert_true(a == 0 && h == 0);
	/* an empty or reversed visit */
	eng_visit_time(40, 40, held, 5, &a, &h);
	assert_true(a == 0 && h == 0);
	eng_visit_time(40, 20, held, 5, &a, &h);
	assert_true(a == 0 && h == 0);
}

static void
test_percentiles(void **state)
{
	double v[] = {5, 1, 4, 2, 3, 10, 9, 8, 7, 6};
	double one[] = {7.5};

	(void)state;
	eng_sort_values(v, 10);
	for (int i = 0; i < 10; i++)
		assert_true(v[i] == i + 1);
	/* nearest rank: ceil(pct * n / 100) */
	assert_true(eng_percentile(v, 10, 50) == 5);
	assert_true(eng_percentile(v, 10, 90) == 9);
	assert_true(eng_percentile(v, 10, 91) == 10);
	assert_true(eng_percentile(v, 10, 100) == 10);
	assert_true(eng_percentile(v, 10, 1) == 1);
	assert_true(eng_percentile(v, 9, 50) == 5);
	assert_true(eng_percentile(v, 9, 90) == 9);
	assert_true(eng_percentile(v, 3, 50) == 2);
	assert_true(eng_percentile(v, 2, 50) == 1);
	assert_true(eng_percentile(v, 2, 90) == 2);
	assert_true(eng_percentile(one, 1, 50) == 7.5);
	assert_true(eng_percentile(one, 1, 90) == 7.5);
	assert_true(eng_percentile(NULL, 0, 50) == 0);
	/* out of range: clamped */
	assert_true(eng_percentile(v, 10, 0) == 1);
	assert_true(eng_percentile(v, 10, 200) == 10);
	/* 20 values: p90 is the 18th */
	{
		double w[20];
		for (int i = 0; i < 20; i++)
			w[i] = 20 - i;
		eng_sort_values(w, 20);
		assert_true(eng_percentile(w, 20, 90) == 18);
		assert_true(eng_percentile(w, 20, 50) == 10);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_number_grammar),
	    cmocka_unit_test(test_gate_eval_table),
	    cmocka_unit_test(test_stage_start),
	    cmocka_unit_test(test_open_replay),
	    cmocka_unit_test(test_cond_started),
	    cmocka_unit_test(test_signoffs),
	    cmocka_unit_test(test_signoff_rule),
	    cmocka_unit_test(test_handover_rule),
	    cmocka_unit_test(test_gate_item_texts),
	    cmocka_unit_test(test_gate_eval_counts_only),
	    cmocka_unit_test(test_gate_eval_bad_stage),
	    cmocka_unit_test(test_gate_kind_names),
	    cmocka_unit_test(test_advance_table),
	    cmocka_unit_test(test_advance_unmet_lines),
	    cmocka_unit_test(test_back_table),
	    cmocka_unit_test(test_expect),
	    cmocka_unit_test(test_stage_check_conditions),
	    cmocka_unit_test(test_stage_check),
	    cmocka_unit_test(test_advance_forced),
	    cmocka_unit_test(test_approve_table),
	    cmocka_unit_test(test_decide_table),
	    cmocka_unit_test(test_active_and_status),
	    cmocka_unit_test(test_status_table),
	    cmocka_unit_test(test_status_reason_and_verbs),
	    cmocka_unit_test(test_decision_closes),
	    cmocka_unit_test(test_gaps),
	    cmocka_unit_test(test_policy_table),
	    cmocka_unit_test(test_policy_rules),
	    cmocka_unit_test(test_resolve_stage_table),
	    cmocka_unit_test(test_resolve_role),
	    cmocka_unit_test(test_lifecycle_lookups),
	    cmocka_unit_test(test_lifecycle_free),
	    cmocka_unit_test(test_kpi_parse_target_table),
	    cmocka_unit_test(test_kpi_ops_and_meets),
	    cmocka_unit_test(test_valid_name_table),
	    cmocka_unit_test(test_valid_person_table),
	    cmocka_unit_test(test_person_key_table),
	    cmocka_unit_test(test_valid_text_table),
	    cmocka_unit_test(test_utf8_valid_table),
	    cmocka_unit_test(test_shown),
	    cmocka_unit_test(test_display_width),
	    cmocka_unit_test(test_util_helpers),
	    cmocka_unit_test(test_error_values),
	    cmocka_unit_test(test_due_dates),
	    cmocka_unit_test(test_visit_time),
	    cmocka_unit_test(test_percentiles),
	    cmocka_unit_test(test_release_rules),
	    cmocka_unit_test(test_breach_rules),
	};

	return cmocka_run_group_tests_name("engine", tests, group_setup,
					   group_teardown);
}
