/*
 * engine.c - gates and transitions over plain structs.
 *
 * No store, no I/O: the CLI loads a project's state, asks here whether a
 * move is allowed, and writes what the engine allowed.
 */
#include "aiproj/engine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

const char *
gate_kind_name(int kind)
{
	switch (kind) {
	case GK_ROLE: return "role";
	case GK_MANUAL: return "manual";
	case GK_DECISION: return "decision";
	case GK_KPI: return "kpi";
	case GK_APPROVAL: return "approval";
	case GK_SIGNOFF: return "signoff";
	}
	return "?";
}

const char *
proj_status_name(int status)
{
	switch (status) {
	case PS_ACTIVE: return "active";
	case PS_ON_HOLD: return "on-hold";
	case PS_CLOSED: return "closed";
	}
	return "?";
}

int
proj_status_parse(const char *s)
{
	for (int i = PS_ACTIVE; s && i <= PS_CLOSED; i++)
		if (strcmp(s, proj_status_name(i)) == 0)
			return i;
	return -1;
}

const char *
decision_kind_name(int kind)
{
	switch (kind) {
	case DK_MAKE: return "make";
	case DK_BUY: return "buy";
	}
	return "?";
}

int
decision_kind_parse(const char *s)
{
	if (!s)
		return DK_NONE;
	for (int i = DK_MAKE; i <= DK_BUY; i++)
		if (strcmp(s, decision_kind_name(i)) == 0)
			return i;
	return -1;
}

const char *
stage_clock_end(int status, const char *status_at, const char *now)
{
	return status == PS_CLOSED && status_at ? status_at : now;
}

static int
item_add(struct gate *g, int kind, int done, char *id, char *text, char *hint)
{
	struct gate_item *it;

	if (!id || !text) {
		free(id);
		free(text);
		free(hint);
		return -1;
	}
	it = realloc(g->items, (g->n + 1) * sizeof(*it));
	if (!it) {
		free(id);
		free(text);
		free(hint);
		return -1;
	}
	g->items = it;
	it = &g->items[g->n++];
	it->kind = kind;
	it->done = done;
	it->id = id;
	it->text = text;
	it->hint = done ? (free(hint), NULL) : hint;
	if (done)
		g->met++;
	return 0;
}

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));

static char *
fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

/*
 * Walk the criteria of a stage's gate in their fixed order, calling visit
 * with each one's kind, whether it is met, and an index (the role for
 * GK_ROLE and GK_APPROVAL, the criterion for GK_MANUAL, else -1).  Both
 * gate_eval and gate_count are built on it, so they cannot disagree.
 */
typedef int (*gate_visit_fn)(void *ctx, int kind, int done, int index);

static int
gate_walk(const struct lifecycle *lc, const struct eng_project *p, int stage,
	  gate_visit_fn visit, void *ctx)
{
	const struct lc_stage *st = &lc->stages[stage];

	/* (a) every A or R role staffed: the accountable one first */
	for (size_t k = 0; k < 2 * lc->nroles; k++) {
		size_t r = k % lc->nroles;
		if (st->raci[r] != (k < lc->nroles ? RACI_A : RACI_R))
			continue;
		if (visit(ctx, GK_ROLE,
			  !eng_role_gap(lc, stage, (int)r, p->staffed[r]),
			  (int)r))
			return -1;
	}
	/* (c) decision and KPI, where the stage asks for them */
	if (st->requires_decision &&
	    visit(ctx, GK_DECISION, p->decision == DK_MAKE && p->has_cost, -1))
		return -1;
	if (st->requires_kpi && visit(ctx, GK_KPI, p->kpis > 0, -1))
		return -1;
	/* (b) manual criteria (only their counts in reports) */
	for (size_t i = 0; i < p->ncriteria; i++)
		if (visit(ctx, GK_MANUAL,
			  p->criteria ? p->criteria[i].done
				      : i < p->ncriteria_done,
			  (int)i))
			return -1;
	/* (d) the gatekeeper's approval since the stage was last entered */
	if (visit(ctx, GK_APPROVAL, p->approvals > 0,
		  lifecycle_accountable(lc, stage)))
		return -1;
	/* (e) the sign-off of each role the stage asks one of */
	for (size_t r = 0; r < lc->nroles; r++)
		if (st->signoff[r] &&
		    visit(ctx, GK_SIGNOFF, p->signoffs[r] > 0, (int)r))
			return -1;
	return 0;
}

struct eval_ctx {
	const struct lifecycle *lc;
	const struct eng_project *p;
	struct gate *g;
	int stage;
};

/* The hint of an approval or sign-off (`as`: "" or " --as ROLE", owned)
 * of the gate of a stage that is not the project's current one: gate
 * approve approves the current stage's gate, and an approval counts from
 * when the project last entered the stage, so it can be given only then
 * (a stage started early is entered by advancing into it). */
static char *
not_current(const struct lifecycle *lc, const struct eng_project *p, int stage,
	    char *as, const char *role)
{
	char *h = fmt("given only while '%s' is at %s (approvals count from"
		      " when it enters the stage%s): then aiproj --actor"
		      " PERSON gate approve %s%s (PERSON assigned as %s)",
		      p->name, lc->stages[stage].slug,
		      stage > p->stage ? "; advance into it first" : "",
		      p->name, as ? as : "", role);

	free(as);
	return h;
}

/* One item of gate_eval, with its words. */
static int
eval_item(void *arg, int kind, int done, int index)
{
	struct eval_ctx *x = arg;
	const struct lifecycle *lc = x->lc;
	const struct eng_project *p = x->p;
	const char *role = index >= 0 ? lc->roles[index].slug : NULL;

	switch (kind) {
	case GK_ROLE:
		return item_add(
		    x->g, kind, done, fmt("role:%s", role),
		    fmt("%s (%s) has someone assigned", role,
			lc->stages[x->stage].raci[index] == RACI_A
			    ? "accountable"
			    : "responsible"),
		    fmt("aiproj role assign %s %s PERSON", p->name, role));
	case GK_DECISION:
		return item_add(
		    x->g, kind, done, fmt("decision"),
		    fmt("a make decision with a cost estimate is recorded"),
		    p->decision == DK_MAKE ? fmt("aiproj decide %s make --cost "
						 "AMOUNT --reason TEXT",
						 p->name)
					   : fmt("aiproj decide %s make|buy "
						 "--cost AMOUNT --reason "
						 "TEXT",
						 p->name));
	case GK_KPI:
		return item_add(
		    x->g, kind, done, fmt("kpi"),
		    fmt("at least one KPI with a target is defined"),
		    fmt("aiproj kpi add %s NAME --target '>= NUMBER'",
			p->name));
	case GK_MANUAL:
		if (!p->criteria)
			return item_add(x->g, kind, done, fmt("manual"),
					fmt("manual criterion"), NULL);
		return item_add(x->g, kind, done,
				fmt("%ld", p->criteria[index].id),
				fmt("%s", p->criteria[index].text),
				fmt("aiproj gate done %s %ld", p->name,
				    p->criteria[index].id));
	case GK_SIGNOFF:
		return item_add(
		    x->g, kind, done, fmt("signoff:%s", role),
		    fmt("signed off by the %s since the stage was entered",
			role),
		    x->stage != p->stage
			? not_current(lc, p, x->stage, fmt(" --as %s", role),
				      role)
			: fmt("aiproj --actor PERSON gate approve %s --as %s"
			      " (PERSON assigned as %s)",
			      p->name, role, role));
	default:
		if (role && x->stage != p->stage)
			return item_add(
			    x->g, kind, done, fmt("approval"),
			    fmt("approved by the %s since the stage was"
				" entered",
				role),
			    not_current(lc, p, x->stage, fmt("%s", ""), role));
		return item_add(
		    x->g, kind, done, fmt("approval"),
		    role ? fmt("approved by the %s since the stage was entered",
			       role)
			 : fmt("approved since the stage was entered"),
		    role && p->withdrawn
			? fmt("the approval by '%s' was withdrawn: %s no"
			      " longer holds %s; aiproj --actor PERSON gate"
			      " approve %s (PERSON assigned as %s)",
			      shown(p->withdrawn), shown(p->withdrawn), role,
			      p->name, role)
		    : role ? fmt("aiproj --actor PERSON gate approve %s "
				 "(PERSON assigned as %s)",
				 p->name, role)
			   : fmt("aiproj gate approve %s", p->name));
	}
}

const struct ap_error *
gate_eval(const struct lifecycle *lc, const struct eng_project *p, int stage,
	  struct gate *g)
{
	struct eval_ctx x = {lc, p, g, stage};

	memset(g, 0, sizeof(*g));
	if (stage < 0 || (size_t)stage >= lc->nstages)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no stage %d", stage + 1);
	g->stage = stage;
	if (gate_walk(lc, p, stage, eval_item, &x)) {
		gate_free(g);
		return ap_error_nomem();
	}
	g->passed = g->met == g->n;
	return NULL;
}

static int
count_item(void *arg, int kind, int done, int index)
{
	size_t *mt = arg;

	(void)kind;
	(void)index;
	mt[0] += done != 0;
	mt[1]++;
	return 0;
}

const struct ap_error *
gate_count(const struct lifecycle *lc, const struct eng_project *p, int stage,
	   size_t *met, size_t *total)
{
	size_t mt[2] = {0, 0};

	if (stage < 0 || (size_t)stage >= lc->nstages)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no stage %d", stage + 1);
	gate_walk(lc, p, stage, count_item, mt);
	*met = mt[0];
	*total = mt[1];
	return NULL;
}

void
gate_free(struct gate *g)
{
	for (size_t i = 0; i < g->n; i++) {
		free(g->items[i].id);
		free(g->items[i].text);
		free(g->items[i].hint);
	}
	free(g->items);
	memset(g, 0, sizeof(*g));
}

const struct ap_error *
eng_check_active(const struct eng_project *p, const char *doing)
{
	if (p->status == PS_ACTIVE)
		return NULL;
	return ap_error_fmt(AP_EXIT_REFUSED,
			    "cannot %s '%s': project is %s; only active"
			    " projects move",
			    doing, p->name, proj_status_name(p->status));
}

const struct ap_error *
eng_check_expect(const struct lifecycle *lc, const struct eng_project *p,
		 int expect)
{
	if (expect < 0 || expect == p->stage)
		return NULL;
	return ap_error_fmt(AP_EXIT_CONFLICT,
			    "project '%s' is at '%s', not at '%s' as expected",
			    p->name, lc->stages[p->stage].slug,
			    lc->stages[expect].slug);
}

const struct ap_error *
eng_check_advance(const struct lifecycle *lc, const struct eng_project *p,
		  int force, const char *reason, int *to)
{
	const struct ap_error *err;
	struct gate g;
	struct sbuf b = {0};

	if ((err = eng_check_active(p, "advance")))
		return err;
	if ((size_t)p->stage + 1 >= lc->nstages)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot advance '%s': '%s' is the last"
				    " stage",
				    p->name, lc->stages[p->stage].slug);
	if (force && (!reason || !*reason))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "--force needs --reason TEXT: a forced move"
				    " is recorded with its reason");
	*to = p->stage + 1;
	if (force)
		return NULL;
	if ((err = gate_eval(lc, p, p->stage, &g)))
		return err;
	if (g.passed) {
		gate_free(&g);
		return NULL;
	}
	for (size_t i = 0; i < g.n; i++)
		if (!g.items[i].done)
			sbuf_printf(&b, "\n  unmet: %s (%s)", g.items[i].text,
				    g.items[i].hint);
	err = ap_error_fmt(AP_EXIT_REFUSED,
			   "cannot advance '%s': gate of '%s' is unmet (%zu of"
			   " %zu criteria met)%s",
			   p->name, lc->stages[p->stage].slug, g.met, g.n,
			   b.s ? b.s : "");
	sbuf_free(&b);
	gate_free(&g);
	return err;
}

int
eng_advance_forced(const struct lifecycle *lc, const struct eng_project *p,
		   int force)
{
	struct gate g;
	int passed;

	if (!force)
		return 0;
	if (gate_eval(lc, p, p->stage, &g))
		return 1;
	passed = g.passed;
	gate_free(&g);
	return !passed;
}

const struct ap_error *
eng_check_back(const struct lifecycle *lc, const struct eng_project *p, int to,
	       const char *reason)
{
	const struct ap_error *err;

	if ((err = eng_check_active(p, "move back")))
		return err;
	if (to >= p->stage)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot move '%s' back to '%s': it is not"
				    " earlier than the current stage '%s'",
				    p->name, lc->stages[to].slug,
				    lc->stages[p->stage].slug);
	if (!reason || !*reason)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "stage back needs --reason TEXT: say why"
				    " the project goes back");
	return NULL;
}

const struct ap_error *
eng_check_approve(const struct lifecycle *lc, const struct eng_project *p,
		  const char *actor, int actor_is_a)
{
	const struct ap_error *err;
	int acc = lifecycle_accountable(lc, p->stage);

	if ((err = eng_check_active(p, "approve the gate of")))
		return err;
	if (acc >= 0 && !actor_is_a)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "'%s' may not approve the gate of '%s' on"
				    " '%s': only a person assigned as %s may",
				    actor, lc->stages[p->stage].slug, p->name,
				    lc->roles[acc].slug);
	return NULL;
}

const struct ap_error *
eng_check_signoff(const struct lifecycle *lc, const struct eng_project *p,
		  const char *actor, int role, int actor_holds)
{
	const struct ap_error *err;
	const struct lc_stage *st = &lc->stages[p->stage];
	struct sbuf b = {0};

	if ((err = eng_check_active(p, "sign off the gate of")))
		return err;
	if (!st->signoff[role]) {
		for (size_t r = 0; r < lc->nroles; r++)
			if (st->signoff[r])
				sbuf_printf(&b, "%s%s", b.len ? ", " : "",
					    lc->roles[r].slug);
		err = ap_error_fmt(AP_EXIT_REFUSED,
				   "the gate of '%s' on '%s' asks no sign-off"
				   " of %s (sign-offs it asks: %s)",
				   st->slug, p->name, lc->roles[role].slug,
				   b.s ? b.s : "none");
		sbuf_free(&b);
		return err;
	}
	if (!actor_holds)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "'%s' may not sign off the gate of '%s' on"
				    " '%s' as %s: only a person assigned as %s"
				    " may",
				    actor, st->slug, p->name,
				    lc->roles[role].slug, lc->roles[role].slug);
	return NULL;
}

void
eng_open_note(struct eng_project *p, const char *kind, int to)
{
	if (strcmp(kind, "back") == 0)
		memset(p->open, 0, sizeof(p->open));
	else if (strcmp(kind, "start") == 0 && to >= 0 && to < LC_MAX_STAGES)
		p->open[to] = 1;
}

void
eng_open_settle(struct eng_project *p)
{
	for (int i = 0; i <= p->stage && i < LC_MAX_STAGES; i++)
		p->open[i] = 0;
}

int
eng_stage_open(const struct eng_project *p, int stage)
{
	return stage == p->stage ||
	       (stage > p->stage && stage < LC_MAX_STAGES && p->open[stage]);
}

const struct ap_error *
eng_check_start(const struct lifecycle *lc, const struct eng_project *p,
		int stage)
{
	const struct ap_error *err;
	const char *slug = lc->stages[stage].slug,
		   *cur = lc->stages[p->stage].slug;
	int after = lc->stages[stage].starts_after;

	if ((err = eng_check_active(p, "start a stage of")))
		return err;
	if (stage <= p->stage)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot start '%s' on '%s': the project"
				    " has reached it (it is at '%s')",
				    slug, p->name, cur);
	if (p->open[stage])
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot start '%s' on '%s': it was started"
				    " already",
				    slug, p->name);
	if (after < 0)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot start '%s' on '%s' early: the"
				    " lifecycle gives it no starts_after, so"
				    " only an advance enters it",
				    slug, p->name);
	if (after > p->stage && p->open[after])
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot start '%s' on '%s' yet: it starts"
				    " after '%s', which cannot be passed while"
				    " '%s', an earlier stage, is open",
				    slug, p->name, lc->stages[after].slug, cur);
	if (after >= p->stage)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot start '%s' on '%s' yet: it starts"
				    " after '%s', whose gate has not been"
				    " passed (the project is at '%s')",
				    slug, p->name, lc->stages[after].slug, cur);
	return NULL;
}

const struct ap_error *
eng_check_decide(const struct lifecycle *lc, const struct eng_project *p)
{
	const struct ap_error *err;
	struct sbuf b = {0};

	if ((err = eng_check_active(p, "record a decision for")))
		return err;
	if (lc->stages[p->stage].requires_decision)
		return NULL;
	for (size_t i = 0; i < lc->nstages; i++)
		if (lc->stages[i].requires_decision)
			sbuf_printf(&b, "%s'%s'", b.len ? ", " : "",
				    lc->stages[i].slug);
	err = ap_error_fmt(AP_EXIT_REFUSED,
			   "cannot record a decision for '%s' at '%s': make/buy"
			   " is decided at %s",
			   p->name, lc->stages[p->stage].slug,
			   b.s ? b.s : "no stage of this lifecycle");
	sbuf_free(&b);
	return err;
}

const char *
eng_status_verb(int to)
{
	switch (to) {
	case PS_ON_HOLD: return "hold";
	case PS_ACTIVE: return "resume";
	case PS_CLOSED: return "close";
	}
	return "?";
}

const struct ap_error *
eng_check_status_reason(int to, const char *reason)
{
	if (to == PS_ACTIVE || reason)
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE, "project %s needs --reason TEXT",
			    eng_status_verb(to));
}

const struct ap_error *
eng_check_status(const char *name, int status, int to, const char *reason,
		 struct eng_status_change *ch)
{
	if (status == PS_CLOSED)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot %s '%s': it is closed",
				    eng_status_verb(to), name);
	if (to == PS_ON_HOLD && status != PS_ACTIVE)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot hold '%s': it is already on hold",
				    name);
	if (to == PS_ACTIVE && status != PS_ON_HOLD)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot resume '%s': it is not on hold",
				    name);
	ch->to = to;
	ch->reason = to == PS_ACTIVE ? NULL : reason;
	ch->outcome = NULL;
	return NULL;
}

const struct ap_error *
eng_check_not_closed(const char *name, int status, const char *doing)
{
	if (status != PS_CLOSED)
		return NULL;
	return ap_error_fmt(AP_EXIT_REFUSED,
			    "cannot %s: project '%s' is closed", doing, name);
}

const struct ap_error *
eng_check_delete(const char *name, int confirmed, long long transitions)
{
	if (confirmed)
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "refusing to delete '%s' and its history (%lld"
			    " transitions) without --yes",
			    name, transitions);
}

int
eng_raci_on_hook(int raci)
{
	return raci == RACI_A || raci == RACI_R;
}

int
eng_role_gap(const struct lifecycle *lc, int stage, int role, int people)
{
	return eng_raci_on_hook(lc->stages[stage].raci[role]) && people == 0;
}

int
eng_project_gap(const struct lifecycle *lc, const struct eng_project *p,
		int role)
{
	return p->status != PS_CLOSED &&
	       eng_role_gap(lc, p->stage, role, p->staffed[role]);
}

int
eng_stage_gap(const struct lifecycle *lc, const struct eng_project *p,
	      int stage, int role)
{
	return p->status != PS_CLOSED && stage >= p->stage &&
	       eng_role_gap(lc, stage, role, p->staffed[role]);
}

int
eng_holder_on_hook(int raci, int status)
{
	return eng_raci_on_hook(raci) && status != PS_CLOSED;
}

static const char *const kpi_ops[] = {">=", ">", "<=", "<", "=="};

const char *
kpi_op_name(int op)
{
	return op >= KOP_GE && op <= KOP_EQ ? kpi_ops[op] : "?";
}

int
kpi_op_parse(const char *s)
{
	for (int i = KOP_GE; i <= KOP_EQ; i++)
		if (strcmp(s, kpi_ops[i]) == 0)
			return i;
	return -1;
}

const struct ap_error *
kpi_parse_target(const char *s, int *op, double *num)
{
	char opbuf[3] = {0};
	const char *p = s;
	size_t n = 0;

	while (*p == ' ')
		p++;
	while (n < 2 && (p[n] == '<' || p[n] == '>' || p[n] == '='))
		n++;
	memcpy(opbuf, p, n);
	if ((*op = kpi_op_parse(opbuf)) < 0)
		goto bad;
	p += n;
	while (*p == ' ')
		p++;
	if (!*p)
		goto bad;
	{
		char numbuf[64];
		size_t len = strlen(p);
		while (len && p[len - 1] == ' ')
			len--;
		if (len >= sizeof(numbuf))
			goto bad;
		memcpy(numbuf, p, len);
		numbuf[len] = '\0';
		/* not a number at all: the shape is wrong */
		if (strict_number(numbuf, num))
			goto bad;
		return parse_decimal("KPI target number", numbuf, num);
	}
bad:
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid KPI target '%s': use 'OP NUMBER' with OP"
			    " one of >= > <= < ==",
			    shown(s));
}

int
kpi_meets(int op, double target, double v)
{
	switch (op) {
	case KOP_GE: return v >= target;
	case KOP_GT: return v > target;
	case KOP_LE: return v <= target;
	case KOP_LT: return v < target;
	case KOP_EQ: return v == target;
	}
	return 0;
}

/* ---- people ---- */

int
person_space(unsigned cp)
{
	return cp_is_space(cp);
}

char *
person_key(const char *name)
{
	char *out = malloc(strlen(name) + 1), *o = out;
	int space = 0;

	if (!out)
		return NULL;
	for (const char *p = name; *p;) {
		const char *start = p;
		unsigned cp = utf8_next(&p);
		if (person_space(cp)) {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = 0;
		if (cp >= 'A' && cp <= 'Z')
			*o++ = (char)(cp - 'A' + 'a');
		else
			while (start < p)
				*o++ = *start++;
	}
	*o = '\0';
	return out;
}

int
person_same(const char *a, const char *b)
{
	char *ka = person_key(a), *kb = person_key(b);
	int same = ka && kb && strcmp(ka, kb) == 0;

	free(ka);
	free(kb);
	return same;
}

void
eng_project_time(const char *now, const char *latest, char out[32])
{
	const char *t = latest && strcmp(latest, now) > 0 ? latest : now;

	snprintf(out, 32, "%s", t);
}
