/*
 * portfolio_store.c - the export format to and from the store: the tree
 * of a stored project, and a checked project tree written into the store.
 */
#include "aiproj/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"
#include "portfolio_int.h"

/* ---- from the store ---- */

/*
 * The tree of a stored project is built in an arena: its nodes, strings
 * and lists come from blocks that the next project's tree reuses, rather
 * than from a malloc and a free each (an export builds millions).  The
 * tree is the one ynode_* would build, so pf_emit() cannot tell.
 */
static void *
arena_alloc(struct pf_arena *a, size_t n)
{
	return yarena_alloc(&a->y, n);
}

void
pf_arena_free(struct pf_arena *a)
{
	yarena_free(&a->y);
}

struct build {
	struct pf_arena *arena;
	/* the project's lists, in the order of its keys */
	struct ynode *decisions, *kpis, *assignments, *components, *criteria,
	    *approvals, *history, *events, *releases;
	int failed;
};

static struct ynode *
node(struct build *b, int type)
{
	struct ynode *n = arena_alloc(b->arena, sizeof(*n));

	if (!n) {
		b->failed = 1;
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

/* ynode_scalar(): a NULL string makes a plain null. */
static struct ynode *
scalar(struct build *b, const char *s, int plain)
{
	struct ynode *n;
	size_t len;

	n = arena_alloc(b->arena,
			sizeof(*n) + (len = strlen(s ? s : "null") + 1));
	if (!n) {
		b->failed = 1;
		return NULL;
	}
	/* the string right after its node: one allocation */
	*n = (struct ynode){
	    .type = Y_SCALAR, .plain = s ? plain : 1, .str = (char *)(n + 1)};
	memcpy(n->str, s ? s : "null", len);
	return n;
}

static struct ynode *
plain_num(struct build *b, double v)
{
	char buf[40];

	fmt_num(buf, sizeof(buf), v);
	return scalar(b, buf, 1);
}

static struct ynode *
plain_int(struct build *b, int64_t v)
{
	char buf[24];

	fmt_int(buf, v);
	return scalar(b, buf, 1);
}

/* Append kid to a sequence or mapping, growing its list in the arena the
 * way push_kid() does: by doubling, when n is a power of two. */
static int
add(struct build *b, struct ynode *parent, struct ynode *kid)
{
	if (!parent || !kid) {
		b->failed = 1;
		return -1;
	}
	if ((parent->n & (parent->n - 1)) == 0) {
		struct ynode **k = arena_alloc(
		    b->arena, (parent->n ? parent->n * 2 : 1) * sizeof(*k));
		if (!k) {
			b->failed = 1;
			return -1;
		}
		if (parent->n)
			memcpy(k, parent->kids, parent->n * sizeof(*k));
		parent->kids = k;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Put key: value in map m; -1 (and b->failed) when it cannot.  The key
 * is a string literal, not copied: the tree is only ever read. */
static int
put(struct build *b, struct ynode *m, const char *key, struct ynode *v)
{
	struct ynode *k = node(b, Y_SCALAR);

	if (k) {
		k->plain = 1;
		k->str = (char *)key;
	}
	if (!v || add(b, m, k) || add(b, m, v)) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

static const struct ap_error *
add_decision(void *arg, const struct store_decision *d)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, decision_kind_name(d->kind), 0));
	put(b, m, "cost",
	    d->has_cost ? plain_num(b, d->cost) : scalar(b, NULL, 1));
	put(b, m, "reason", scalar(b, d->reason, 0));
	put(b, m, "actor", scalar(b, d->actor, 0));
	put(b, m, "at", scalar(b, d->at, 0));
	add(b, b->decisions, m);
	return NULL;
}

static const struct ap_error *
add_kpi(void *arg, const struct store_kpi *k)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "name", scalar(b, k->name, 0));
	put(b, m, "op", scalar(b, k->op, 0));
	put(b, m, "target", plain_num(b, k->target));
	put(b, m, "created_at", scalar(b, k->created_at, 0));
	put(b, m, "readings", node(b, Y_SEQ));
	put(b, m, "changes", node(b, Y_SEQ));
	add(b, b->kpis, m);
	return NULL;
}

/* The list `key` of the KPI named `kpi` in b->kpis. */
static struct ynode *
kpi_list(struct build *b, const char *kpi, const char *key)
{
	for (size_t i = 0; i < b->kpis->n; i++)
		if (strcmp(pf_str_of(b->kpis->kids[i], "name"), kpi) == 0)
			return (struct ynode *)ymap_get(b->kpis->kids[i], key);
	return NULL;
}

static const struct ap_error *
add_kpi_change(void *arg, const struct store_kpi_change *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, c->kind, 0));
	put(b, m, "op", scalar(b, c->op, 0));
	put(b, m, "target", plain_num(b, c->target));
	put(b, m, "was_op", scalar(b, c->was_op, 0));
	put(b, m, "was_target", plain_num(b, c->was_target));
	put(b, m, "reason", scalar(b, c->reason, 0));
	put(b, m, "actor", scalar(b, c->actor, 0));
	put(b, m, "at", scalar(b, c->at, 0));
	put(b, m, "hash", scalar(b, c->hash, 0));
	add(b, kpi_list(b, c->kpi, "changes"), m);
	return NULL;
}

static const struct ap_error *
add_release(void *arg, const struct store_release *r)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "version", scalar(b, r->version, 0));
	put(b, m, "artifact", scalar(b, r->artifact, 0));
	put(b, m, "digest", scalar(b, r->digest, 0));
	put(b, m, "commit", scalar(b, r->commit, 0));
	put(b, m, "note", scalar(b, r->note, 0));
	put(b, m, "actor", scalar(b, r->actor, 0));
	put(b, m, "at", scalar(b, r->at, 0));
	put(b, m, "ended", scalar(b, r->ended, 0));
	put(b, m, "ended_by", scalar(b, r->ended_by, 0));
	put(b, m, "ended_at", scalar(b, r->ended_at, 0));
	put(b, m, "end_reason", scalar(b, r->end_reason, 0));
	put(b, m, "hash", scalar(b, r->hash, 0));
	add(b, b->releases, m);
	return NULL;
}

static const struct ap_error *
add_reading(void *arg, const struct store_reading *r)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP), *seq = NULL;

	for (size_t i = 0; i < b->kpis->n; i++)
		if (strcmp(pf_str_of(b->kpis->kids[i], "name"), r->kpi) == 0)
			seq = ymap_get(b->kpis->kids[i], "readings");
	put(b, m, "value", plain_num(b, r->value));
	put(b, m, "actor", scalar(b, r->actor, 0));
	put(b, m, "at", scalar(b, r->at, 0));
	if (r->breach)
		put(b, m, "breach", scalar(b, "true", 1));
	put(b, m, "hash", scalar(b, r->hash, 0));
	add(b, seq, m);
	return NULL;
}

static const struct ap_error *
add_assignment(void *arg, const struct store_assignment *a)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "role", scalar(b, a->role, 0));
	put(b, m, "person", scalar(b, a->person, 0));
	/* the name it was made to, only when a rename or merge changed it:
	 * exports of stores without renames are as before */
	if (a->assigned_name && strcmp(a->assigned_name, a->person) != 0)
		put(b, m, "assigned_as", scalar(b, a->assigned_name, 0));
	put(b, m, "assigned_at", scalar(b, a->assigned_at, 0));
	if (a->title) /* only when set: older exports have none */
		put(b, m, "title", scalar(b, a->title, 0));
	add(b, b->assignments, m);
	return NULL;
}

static const struct ap_error *
add_component(void *arg, const struct store_component *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "name", scalar(b, c->name, 0));
	put(b, m, "owner", scalar(b, c->owner, 0));
	put(b, m, "description", scalar(b, c->description, 0));
	if (c->version) /* only when set: older exports have none */
		put(b, m, "version", scalar(b, c->version, 0));
	add(b, b->components, m);
	return NULL;
}

static const struct ap_error *
add_criterion(void *arg, const struct store_criterion *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "id", plain_int(b, c->id));
	put(b, m, "stage", scalar(b, c->stage, 0));
	put(b, m, "text", scalar(b, c->text, 0));
	put(b, m, "done", scalar(b, c->done ? "true" : "false", 1));
	put(b, m, "done_by", scalar(b, c->done_by, 0));
	put(b, m, "done_at", scalar(b, c->done_at, 0));
	put(b, m, "note", scalar(b, c->note, 0));
	add(b, b->criteria, m);
	return NULL;
}

static const struct ap_error *
add_approval(void *arg, const struct store_approval *a)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "stage", scalar(b, a->stage, 0));
	put(b, m, "epoch", plain_int(b, a->epoch));
	put(b, m, "person", scalar(b, a->person, 0));
	put(b, m, "role", scalar(b, a->role, 0));
	put(b, m, "note", scalar(b, a->note, 0));
	put(b, m, "at", scalar(b, a->at, 0));
	put(b, m, "hash", scalar(b, a->hash, 0));
	add(b, b->approvals, m);
	return NULL;
}

static const struct ap_error *
add_event(void *arg, const struct store_event *e)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, e->kind, 0));
	put(b, m, "subject", scalar(b, e->subject, 0));
	put(b, m, "detail", scalar(b, e->detail, 0));
	put(b, m, "note", scalar(b, e->note, 0));
	put(b, m, "actor", scalar(b, e->actor, 0));
	put(b, m, "at", scalar(b, e->at, 0));
	add(b, b->events, m);
	return NULL;
}

static const struct ap_error *
add_transition(void *arg, const struct store_transition *t)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "from", scalar(b, t->from, 0));
	put(b, m, "to", scalar(b, t->to, 0));
	put(b, m, "kind", scalar(b, t->kind, 0));
	put(b, m, "actor", scalar(b, t->actor, 0));
	put(b, m, "reason", scalar(b, t->reason, 0));
	put(b, m, "at", scalar(b, t->at, 0));
	put(b, m, "hash", scalar(b, t->hash, 0));
	add(b, b->history, m);
	return NULL;
}

/* The project's map with its scalars and its lists, empty, in b. */
static struct ynode *
project_map(struct build *b, const struct store_project *p)
{
	struct ynode *m;

	yarena_reset(&b->arena->y);
	m = node(b, Y_MAP);
	put(b, m, "name", scalar(b, p->name, 0));
	put(b, m, "description", scalar(b, p->description, 0));
	put(b, m, "status", scalar(b, proj_status_name(p->status), 0));
	put(b, m, "status_reason", scalar(b, p->status_reason, 0));
	put(b, m, "status_at", scalar(b, p->status_at, 0));
	put(b, m, "outcome", scalar(b, p->outcome, 0));
	put(b, m, "stage", scalar(b, p->stage, 0));
	put(b, m, "entered_at", scalar(b, p->entered_at, 0));
	put(b, m, "created_at", scalar(b, p->created_at, 0));
	put(b, m, "decisions", b->decisions = node(b, Y_SEQ));
	put(b, m, "kpis", b->kpis = node(b, Y_SEQ));
	put(b, m, "assignments", b->assignments = node(b, Y_SEQ));
	put(b, m, "components", b->components = node(b, Y_SEQ));
	put(b, m, "criteria", b->criteria = node(b, Y_SEQ));
	put(b, m, "approvals", b->approvals = node(b, Y_SEQ));
	put(b, m, "history", b->history = node(b, Y_SEQ));
	put(b, m, "events", b->events = node(b, Y_SEQ));
	put(b, m, "releases", b->releases = node(b, Y_SEQ));
	return b->failed ? NULL : m;
}

const struct ap_error *
pf_from_store(struct store *s, const struct store_project *p,
	      struct pf_arena *arena, struct ynode **out)
{
	const struct ap_error *err = NULL;
	struct build b = {.arena = arena};
	struct ynode *m;
	int64_t id = p->id;

	*out = NULL;
	if (!(m = project_map(&b, p)))
		return ap_error_nomem();
	if ((err = store_decisions(s, id, add_decision, &b)) ||
	    (err = store_kpis_every(s, id, add_kpi, &b)) ||
	    (err = store_readings(s, id, add_reading, &b)) ||
	    (err = store_kpi_changes(s, id, add_kpi_change, &b)) ||
	    (err = store_assignments(s, id, add_assignment, &b)) ||
	    (err = store_components(s, id, add_component, &b)) ||
	    (err = store_criteria(s, id, NULL, add_criterion, &b)) ||
	    (err = store_approvals(s, id, add_approval, &b)) ||
	    (err = store_transitions(s, id, add_transition, &b)) ||
	    (err = store_events(s, id, add_event, &b)) ||
	    (err = store_releases(s, id, add_release, &b)))
		return err;
	if (b.failed)
		return ap_error_nomem();
	*out = m;
	return NULL;
}

static const struct store_lists_fns build_fns = {
    .decision = add_decision,
    .kpi = add_kpi,
    .reading = add_reading,
    .kpi_change = add_kpi_change,
    .assignment = add_assignment,
    .component = add_component,
    .criterion = add_criterion,
    .approval = add_approval,
    .transition = add_transition,
    .event = add_event,
    .release = add_release,
};

const struct ap_error *
pf_from_lists(struct store_lists *l, const struct store_project *p,
	      struct pf_arena *arena, struct ynode **out)
{
	const struct ap_error *err;
	struct build b = {.arena = arena};
	struct ynode *m;

	*out = NULL;
	if (!(m = project_map(&b, p)))
		return ap_error_nomem();
	if ((err = store_lists_of(l, p, &build_fns, &b)))
		return err;
	if (b.failed)
		return ap_error_nomem();
	*out = m;
	return NULL;
}

/* ---- into the store ---- */

static const struct ynode *
list_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SEQ ? n : NULL;
}

/* Each item of a project's lists, written into the store: one function
 * a list, in the order pf_to_store() writes them. */
typedef const struct ap_error *(*item_fn)(struct store *s, int64_t id,
					  const struct ynode *item,
					  struct pf_names *people);

static const struct ap_error *
put_decision(struct store *s, int64_t id, const struct ynode *d,
	     struct pf_names *people)
{
	(void)people;
	struct store_decision sd = {
	    .project_id = id,
	    .kind = decision_kind_parse(pf_str_of(d, "kind")),
	    .has_cost = pf_str_of(d, "cost") != NULL,
	    .cost =
		pf_str_of(d, "cost") ? strtod(pf_str_of(d, "cost"), NULL) : 0,
	    .reason = pf_str_of(d, "reason"),
	    .actor = pf_str_of(d, "actor"),
	    .at = pf_str_of(d, "at"),
	};

	return store_decision_add(s, &sd);
}

static const struct ap_error *
put_kpi(struct store *s, int64_t id, const struct ynode *k,
	struct pf_names *people)
{
	(void)people;
	const struct ap_error *err;
	const char *name = pf_str_of(k, "name");
	const struct ynode *r;

	if ((err = store_kpi_add(s, id, name, pf_str_of(k, "op"),
				 strtod(pf_str_of(k, "target"), NULL),
				 pf_str_of(k, "created_at"))))
		return err;
	for (size_t j = 0; (r = list_of(k, "readings")) && j < r->n; j++) {
		const char *br = pf_str_of(r->kids[j], "breach");
		if ((err = store_kpi_reading_import(
			 s, id, name,
			 strtod(pf_str_of(r->kids[j], "value"), NULL),
			 br && strcmp(br, "true") == 0,
			 pf_str_of(r->kids[j], "actor"),
			 pf_str_of(r->kids[j], "at"))))
			return err;
	}
	for (size_t j = 0; (r = list_of(k, "changes")) && j < r->n; j++) {
		const struct ynode *c = r->kids[j];
		struct store_kpi_change sc = {
		    .kpi = name,
		    .kind = pf_str_of(c, "kind"),
		    .op = pf_str_of(c, "op"),
		    .target = strtod(pf_str_of(c, "target"), NULL),
		    .was_op = pf_str_of(c, "was_op"),
		    .was_target = strtod(pf_str_of(c, "was_target"), NULL),
		    .reason = pf_str_of(c, "reason"),
		    .actor = pf_str_of(c, "actor"),
		    .at = pf_str_of(c, "at"),
		};
		if ((err = store_kpi_change_import(s, id, &sc)))
			return err;
	}
	return NULL;
}

/* An assignment: its person looked up (or made) once an import. */
static const struct ap_error *
put_assignment(struct store *s, int64_t id, const struct ynode *a,
	       struct pf_names *people)
{
	const struct ap_error *err;
	const char *person = pf_str_of(a, "person"), *at;
	const char *canon = people ? pf_names_get(people, person) : NULL;
	/* checked against the person's other names in the file's people */
	const char *as = pf_str_of(a, "assigned_as");
	char *made;

	if (canon)
		return store_assign_as(s, id, pf_str_of(a, "role"), canon,
				       pf_str_of(a, "title"), as,
				       pf_str_of(a, "assigned_at"));
	at = pf_str_of(a, "assigned_at");
	if ((err = store_person_ensure(s, person, at, &made)))
		return err;
	if (people && pf_names_put(people, person, made))
		err = ap_error_nomem();
	if (!err)
		err = store_assign_as(s, id, pf_str_of(a, "role"), made,
				      pf_str_of(a, "title"), as, at);
	free(made);
	return err;
}

static const struct ap_error *
put_component(struct store *s, int64_t id, const struct ynode *c,
	      struct pf_names *people)
{
	(void)people;
	return store_component_add(
	    s, id, pf_str_of(c, "name"), pf_str_of(c, "owner"),
	    pf_str_of(c, "version"), pf_str_of(c, "description"));
}

static const struct ap_error *
put_criterion(struct store *s, int64_t id, const struct ynode *c,
	      struct pf_names *people)
{
	(void)people;
	const char *done = pf_str_of(c, "done");
	struct store_criterion sc = {
	    .id = strtoll(pf_str_of(c, "id"), NULL, 10),
	    .stage = pf_str_of(c, "stage"),
	    .text = pf_str_of(c, "text"),
	    .done = done && strcmp(done, "true") == 0,
	    .done_by = pf_str_of(c, "done_by"),
	    .done_at = pf_str_of(c, "done_at"),
	    .note = pf_str_of(c, "note"),
	};

	return store_criterion_import(s, id, &sc);
}

static const struct ap_error *
put_approval(struct store *s, int64_t id, const struct ynode *a,
	     struct pf_names *people)
{
	(void)people;
	struct store_approval sa = {
	    .project_id = id,
	    .stage = pf_str_of(a, "stage"),
	    .epoch = strtoll(pf_str_of(a, "epoch"), NULL, 10),
	    .person = pf_str_of(a, "person"),
	    .role = pf_str_of(a, "role"),
	    .note = pf_str_of(a, "note"),
	    .at = pf_str_of(a, "at"),
	};

	return store_approval_add(s, &sa);
}

static const struct ap_error *
put_transition(struct store *s, int64_t id, const struct ynode *t,
	       struct pf_names *people)
{
	(void)people;
	struct store_transition st = {
	    .project_id = id,
	    .from = pf_str_of(t, "from"),
	    .to = pf_str_of(t, "to"),
	    .kind = pf_str_of(t, "kind"),
	    .actor = pf_str_of(t, "actor"),
	    .reason = pf_str_of(t, "reason"),
	    .at = pf_str_of(t, "at"),
	};

	return store_transition_add(s, &st);
}

/* The moves of a project's history (its epoch): a start moves nothing. */
static int64_t
history_moves(const struct ynode *pj)
{
	size_t nh;
	const struct ynode *const *h = pf_items_of(pj, "history", &nh);
	int64_t n = 0;

	for (size_t i = 0; i < nh; i++)
		n += strcmp(pf_str_of(h[i], "kind"), "start") != 0;
	return n;
}

static const struct ap_error *
put_event(struct store *s, int64_t id, const struct ynode *e,
	  struct pf_names *people)
{
	(void)people;
	struct store_event se = {
	    .kind = pf_str_of(e, "kind"),
	    .subject = pf_str_of(e, "subject"),
	    .detail = pf_str_of(e, "detail"),
	    .note = pf_str_of(e, "note"),
	    .actor = pf_str_of(e, "actor"),
	    .at = pf_str_of(e, "at"),
	};

	return store_event_add(s, id, &se);
}

static const struct ap_error *
put_release(struct store *s, int64_t id, const struct ynode *r,
	    struct pf_names *people)
{
	(void)people;
	struct store_release sr = {
	    .version = pf_str_of(r, "version"),
	    .artifact = pf_str_of(r, "artifact"),
	    .digest = pf_str_of(r, "digest"),
	    .commit = pf_str_of(r, "commit"),
	    .note = pf_str_of(r, "note"),
	    .actor = pf_str_of(r, "actor"),
	    .at = pf_str_of(r, "at"),
	    .ended = pf_str_of(r, "ended"),
	    .ended_by = pf_str_of(r, "ended_by"),
	    .ended_at = pf_str_of(r, "ended_at"),
	    .end_reason = pf_str_of(r, "end_reason"),
	};

	return store_release_import(s, id, &sr);
}

static const struct {
	const char *key;
	item_fn put;
} lists[] = {
    {"decisions", put_decision},     {"kpis", put_kpi},
    {"assignments", put_assignment}, {"components", put_component},
    {"criteria", put_criterion},     {"approvals", put_approval},
    {"history", put_transition},     {"events", put_event},
    {"releases", put_release},
};

/* ---- names to names ---- */

static size_t
names_hash(const char *k)
{
	size_t h = 1469598103934665603u; /* FNV-1a */

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

/* The slot of key: where it is, or the empty one where it would go. */
static size_t
names_slot(const struct pf_names *m, const char *key)
{
	size_t i = names_hash(key) & (m->cap - 1);

	while (m->slot[i] && strcmp(m->b.s + m->slot[i] - 1, key) != 0)
		i = (i + 1) & (m->cap - 1);
	return i;
}

const char *
pf_names_get(const struct pf_names *m, const char *key)
{
	size_t i;

	if (!m->cap)
		return NULL;
	i = names_slot(m, key);
	if (!m->slot[i])
		return NULL;
	return m->b.s + m->slot[i] - 1 + strlen(key) + 1;
}

int
pf_names_put(struct pf_names *m, const char *key, const char *value)
{
	size_t off = m->b.len;

	if (2 * (m->n + 1) > m->cap) { /* at most half full */
		size_t cap = m->cap ? 2 * m->cap : 64, *old = m->slot;
		size_t oldcap = m->cap;
		if (!(m->slot = calloc(cap, sizeof(*m->slot)))) {
			m->slot = old;
			return -1;
		}
		m->cap = cap;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				m->slot[names_slot(m, m->b.s + old[i] - 1)] =
				    old[i];
		free(old);
	}
	if (sbuf_add(&m->b, key, strlen(key) + 1) ||
	    sbuf_add(&m->b, value, strlen(value) + 1))
		return -1;
	m->slot[names_slot(m, key)] = off + 1;
	m->n++;
	return 0;
}

void
pf_names_free(struct pf_names *m)
{
	sbuf_free(&m->b);
	free(m->slot);
	memset(m, 0, sizeof(*m));
}

const struct ap_error *
pf_to_store(struct store *s, const struct ynode *pj, struct pf_names *people)
{
	const struct ap_error *err;
	const struct ynode *l;
	struct store_project p = {
	    .name = (char *)pf_str_of(pj, "name"),
	    .description = (char *)(pf_str_of(pj, "description")
					? pf_str_of(pj, "description")
					: ""),
	    .status = proj_status_parse(pf_str_of(pj, "status")),
	    .status_reason = (char *)pf_str_of(pj, "status_reason"),
	    .outcome = (char *)pf_str_of(pj, "outcome"),
	    .stage = (char *)pf_str_of(pj, "stage"),
	    .epoch = history_moves(pj),
	    .entered_at = (char *)pf_str_of(pj, "entered_at"),
	    .created_at = (char *)pf_str_of(pj, "created_at"),
	    .status_at = (char *)pf_status_at_of(pj),
	};

	if ((err = store_project_import(s, &p)))
		return err;
	/* the project is new: its chains start here, written in order */
	store_chain_fresh(s, p.id);
	for (size_t k = 0; k < sizeof(lists) / sizeof(lists[0]) && !err; k++)
		for (size_t i = 0;
		     !err && (l = list_of(pj, lists[k].key)) && i < l->n; i++)
			err = lists[k].put(s, p.id, l->kids[i], people);
	store_chain_fresh(s, 0);
	return err;
}

void
pf_people_result_free(struct pf_people_result *r)
{
	for (int k = 0; k < 3; k++)
		sbuf_free(&r->names[k]);
	memset(r, 0, sizeof(*r));
}

static int
same_str(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* A person's history in the store, to tell which events of the file it
 * lacks (each stored event matches one of the file's at most). */
struct had {
	struct store_person_event *e;
	char *used;
	size_t n, cap;
};

static const struct ap_error *
had_event(void *arg, const struct store_person_event *e)
{
	struct had *h = arg;
	const char *src[5] = {e->kind, e->subject, e->detail, e->actor, e->at};
	char *t[5] = {NULL, NULL, NULL, NULL, NULL};

	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 8;
		struct store_person_event *n = realloc(h->e, cap * sizeof(*n));
		char *u;
		if (!n)
			return ap_error_nomem();
		h->e = n;
		if (!(u = realloc(h->used, cap)))
			return ap_error_nomem();
		h->used = u;
		h->cap = cap;
	}
	for (int i = 0; i < 5; i++)
		if (src[i] && !(t[i] = strdup(src[i]))) {
			while (i--)
				free(t[i]);
			return ap_error_nomem();
		}
	h->e[h->n] = (struct store_person_event){t[0], t[1], t[2], t[3], t[4]};
	h->used[h->n++] = 0;
	return NULL;
}

static void
had_free(struct had *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free((char *)h->e[i].kind);
		free((char *)h->e[i].subject);
		free((char *)h->e[i].detail);
		free((char *)h->e[i].actor);
		free((char *)h->e[i].at);
	}
	free(h->e);
	free(h->used);
}

/* The events of the file's history the person's lacks, added after
 * theirs; *added how many. */
static const struct ap_error *
person_history(struct store *s, int64_t id, const struct ynode *m, int *added)
{
	const struct ap_error *err;
	const struct ynode *const *ev;
	size_t n;
	struct had h = {0};

	ev = pf_items_of(m, "history", &n);
	if (n == 0)
		return NULL;
	if ((err = store_person_events(s, id, had_event, &h)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		struct store_person_event e = {
		    .kind = pf_str_of(ev[i], "kind"),
		    .subject = pf_str_of(ev[i], "subject"),
		    .detail = pf_str_of(ev[i], "detail"),
		    .actor = pf_str_of(ev[i], "actor"),
		    .at = pf_str_of(ev[i], "at"),
		};
		size_t k = 0;
		while (k < h.n &&
		       (h.used[k] || !same_str(h.e[k].kind, e.kind) ||
			!same_str(h.e[k].subject, e.subject) ||
			!same_str(h.e[k].detail, e.detail) ||
			!same_str(h.e[k].actor, e.actor) ||
			!same_str(h.e[k].at, e.at)))
			k++;
		if (k < h.n) {
			h.used[k] = 1;
			continue;
		}
		if ((err = store_person_event_add(s, id, &e)))
			goto done;
		(*added)++;
	}
done:
	had_free(&h);
	return err;
}

/* The file's other names of person p: each added, unless it finds another
 * person (a conflict, told in *conflicts); *added how many. */
static const struct ap_error *
person_names(struct store *s, const struct store_person_rec *p,
	     const struct ynode *m, const char *file, struct sbuf *conflicts,
	     int *added)
{
	const struct ap_error *err = NULL;
	const struct ynode *ns = ymap_get(m, "names");

	for (size_t i = 0; ns && ns->type == Y_SEQ && i < ns->n && !err; i++) {
		const struct ynode *a = ns->kids[i];
		int64_t owner;
		char *now;
		if ((err = store_person_name_owner(s, a->str, &owner, &now)))
			break;
		if (owner == 0) {
			err = store_person_name_add(s, p->id, a->str);
			(*added)++;
		} else if (owner != p->id) {
			sbuf_printf(conflicts,
				    "\n%s:%d:%d: '%s', another name of '%s',"
				    " is a name of '%s' in the store",
				    file, a->line, a->col, shown(a->str),
				    shown(p->name), shown(now ? now : ""));
		}
		free(now);
	}
	return err;
}

/* One person of the file's list; *k what became of them. */
static const struct ap_error *
person_to_store(struct store *s, const struct ynode *m, const char *at,
		int64_t before, const char *file, struct sbuf *conflicts,
		int *k)
{
	const struct ap_error *err;
	const char *email = pf_str_of(m, "email");
	const char *handle = pf_str_of(m, "handle");
	const char *since = pf_str_of(m, "since");
	struct store_person_rec p = {0};
	char *canon;
	int added = 0, made;

	if ((err = store_person_ensure(s, pf_str_of(m, "name"), at, &canon)))
		return err;
	err = store_person_get(s, canon, &p);
	free(canon);
	/* (the name not another's former one in another spelling) */
	if (err || (err = store_person_name_free(s, p.name, p.id)))
		goto done;
	made = p.id > before;
	/* an email or a handle the file gives is set; one it has not (null
	 * or missing) leaves the store's: merging portfolios loses no
	 * contact (aiproj person set clears one) */
	if ((email && !same_str(p.email, email)) ||
	    (handle && !same_str(p.handle, handle))) {
		if ((err = store_person_set(s, p.id, email, handle)))
			goto done;
		added++;
	}
	if (made && since && strcmp(since, p.created_at) != 0 &&
	    (err = store_person_since(s, p.id, since)))
		goto done;
	if ((err = person_names(s, &p, m, file, conflicts, &added)) ||
	    (err = person_history(s, p.id, m, &added)))
		goto done;
	*k = made    ? PF_PERSON_CREATED
	     : added ? PF_PERSON_CHANGED
		     : PF_PERSON_UNCHANGED;
done:
	store_person_clear(&p);
	return err;
}

const struct ap_error *
pf_people_to_store(struct store *s, const struct ynode *root, const char *at,
		   int64_t before, const char *file, struct pf_people_result *r)
{
	const struct ynode *ps = ymap_get(root, "people");
	const struct ap_error *err = NULL;
	struct sbuf conflicts = {0};

	for (size_t i = 0; ps && ps->type == Y_SEQ && i < ps->n && !err; i++) {
		const struct ynode *m = ps->kids[i];
		const char *name = pf_str_of(m, "name");
		int k = PF_PERSON_UNCHANGED;
		if ((err = person_to_store(s, m, at, before, file, &conflicts,
					   &k)))
			break;
		r->counts[k]++;
		if (sbuf_add(&r->names[k], name, strlen(name) + 1))
			err = ap_error_nomem();
	}
	if (!err && conflicts.len)
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "nothing imported: people in '%s' have"
				   " names that find other people in the"
				   " store (aiproj person merge joins two)%s",
				   file, conflicts.s);
	sbuf_free(&conflicts);
	return err;
}
