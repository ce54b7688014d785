/*
 * portfolio_rules.c - the rules of an export project across its fields,
 * checked once every field has its right type (portfolio_check.c): the
 * history, status, decisions, criteria, approvals and KPIs agree.
 */
#include "aiproj/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"
#include "aiproj/util.h"
#include "portfolio_int.h"

/* Items of list `key` whose field `field` repeats (pairs with field2),
 * found by sorting: n log n however long the list. */
static void
unique(struct vctx *v, const struct ynode *m, const char *key,
       const char *field, const char *field2, const char *what)
{
	const struct ynode *l = ymap_get(m, key);
	struct keyed *k;

	if (!l || l->type != Y_SEQ || l->n < 2)
		return;
	if (!(k = pf_sorted_items(l, field, field2, 0))) {
		pf_bad(v, l, "out of memory");
		return;
	}
	for (size_t i = 1; i < l->n; i++)
		if (!strcmp(k[i].k1, k[i - 1].k1) &&
		    !strcmp(k[i].k2, k[i - 1].k2))
			pf_bad(v, k[i].n, "duplicate %s '%s'%s%s", what,
			       shown(k[i].k1), field2 ? " for " : "",
			       field2 ? shown(k[i].k2) : "");
	free(k);
}

/* The node of key in m, or m itself when the key was left out: where a
 * problem with that key is reported. */
static const struct ynode *
at_key(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n ? n : m;
}

/* The stage a project is at after its first k moves. */
static const char *
stage_after(const struct vctx *v, const struct ynode *const *h, size_t k)
{
	return k ? pf_str_of(h[k - 1], "to") : v->lc->stages[0].slug;
}

/* The moves of a project's history: its entries but the starts of stages
 * opened early, which move nothing (an epoch counts moves).  *n of them;
 * free the array (NULL when there is none, or out of memory: *n 0). */
static const struct ynode *const *
moves_of(const struct ynode *p, size_t *n)
{
	size_t nh;
	const struct ynode *const *h = pf_items_of(p, "history", &nh);
	const struct ynode **m = nh ? calloc(nh, sizeof(*m)) : NULL;

	*n = 0;
	for (size_t i = 0; m && i < nh; i++)
		if (strcmp(pf_str_of(h[i], "kind"), "start") != 0)
			m[(*n)++] = h[i];
	return m;
}

/* Whether the project's history has a move of kind buy at time `at`:
 * the buy decision made then moved the project (on_buy: a stage) rather
 * than closing it. */
static int
buy_moved(const struct ynode *p, const char *at)
{
	size_t nh;
	const struct ynode *const *h = pf_items_of(p, "history", &nh);

	for (size_t i = 0; at && i < nh; i++)
		if (!strcmp(pf_str_of(h[i], "kind"), "buy") &&
		    !strcmp(pf_str_of(h[i], "at"), at))
			return 1;
	return 0;
}

/* Whether decision d is a buy that closed the project (no buy move). */
static int
buy_closed(const struct ynode *p, const struct ynode *d)
{
	return d && !strcmp(pf_str_of(d, "kind"), "buy") &&
	       !buy_moved(p, pf_str_of(d, "at"));
}

/* Whether the project has a buy decision at time `at`: a buy move's. */
static int
buy_decided(const struct ynode *p, const char *at)
{
	size_t nd;
	const struct ynode *const *d = pf_items_of(p, "decisions", &nd);

	for (size_t i = 0; at && i < nd; i++)
		if (!strcmp(pf_str_of(d[i], "kind"), "buy") &&
		    !strcmp(pf_str_of(d[i], "at"), at))
			return 1;
	return 0;
}

/* A point in a log's time order: the time and what it belongs to. */
struct since {
	const char *at, *what;
};

/* Time stamp key of m is not earlier than *s; then m's time is *s. */
static int
not_before(struct vctx *v, const struct ynode *m, const char *key,
	   struct since *s, const char *what)
{
	const char *t = pf_str_of(m, key);

	if (strcmp(t, s->at) < 0) {
		pf_bad(v, at_key(m, key), "'%s' %s is earlier than %s (%s)",
		       key, t, s->what, s->at);
		return 0;
	}
	s->at = t;
	s->what = what;
	return 1;
}

/* status, status_reason, outcome and the last decision agree (hold,
 * close and resume set the reason; only a buy decision sets an outcome,
 * and it closes the project). */
static void
check_status(struct vctx *v, const struct ynode *p)
{
	const char *status = pf_str_of(p, "status");
	const char *why = pf_str_of(p, "status_reason");
	const char *outcome = pf_str_of(p, "outcome");
	size_t nd;
	const struct ynode *const *d = pf_items_of(p, "decisions", &nd);
	const struct ynode *last = nd ? d[nd - 1] : NULL;
	int closed = strcmp(status, "closed") == 0;

	if (strcmp(status, "active") == 0) {
		if (why)
			pf_bad(
			    v, at_key(p, "status_reason"),
			    "an active project has no 'status_reason' (null),"
			    " not '%s'",
			    shown(why));
	} else if (!why) {
		pf_bad(v, at_key(p, "status"),
		       "a project that is %s needs a 'status_reason': why it is"
		       " %s",
		       status, status);
	}
	if (outcome && strcmp(outcome, "bought") != 0)
		pf_bad(
		    v, at_key(p, "outcome"),
		    "'outcome' is 'bought' (set by a buy decision) or null, not"
		    " '%s'",
		    shown(outcome));
	else if (outcome && !closed)
		pf_bad(v, at_key(p, "outcome"),
		       "a project with outcome 'bought' is closed, not %s",
		       status);
	else if (outcome && !(last && !strcmp(pf_str_of(last, "kind"), "buy")))
		pf_bad(v, at_key(p, "outcome"),
		       "outcome 'bought' needs a buy decision as the last "
		       "decision");
	else if (!outcome && buy_closed(p, last))
		pf_bad(
		    v, last,
		    "a buy decision closes the project when no buy move goes"
		    " with it: it must be closed with outcome 'bought', not %s"
		    " with outcome null",
		    status);
	else if (outcome && why && strcmp(why, pf_str_of(last, "reason")) != 0)
		pf_bad(
		    v, at_key(p, "status_reason"),
		    "the 'status_reason' of a bought project is the reason of"
		    " its buy decision ('%s')",
		    shown(pf_str_of(last, "reason")));
}

/* Key `key` of each of the n items is no later than `at` (a closed
 * project's status_at). */
static void
none_after(struct vctx *v, const struct ynode *const *items, size_t n,
	   const char *key, const char *at)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = pf_str_of(items[i], key);
		if (t && strcmp(t, at) > 0)
			pf_bad(v, at_key(items[i], key),
			       "'%s' %s is later than the project's status_at"
			       " (%s), when it was closed: nothing changes a"
			       " closed project",
			       key, t, at);
	}
}

/* status_at, when the file has it: not before created_at; a project that
 * is not active stopped moving, deciding and being approved when its
 * status changed; a buy decision closes at its own time; and nothing
 * changes a closed project. */
static void
check_status_at(struct vctx *v, const struct ynode *p)
{
	const char *at = pf_str_of(p, "status_at");
	const char *status = pf_str_of(p, "status");
	size_t nd, na, nk, nc, ns;
	const struct ynode *const *d = pf_items_of(p, "decisions", &nd);
	const struct ynode *const *a = pf_items_of(p, "approvals", &na);
	const struct ynode *const *k = pf_items_of(p, "kpis", &nk);
	const struct ynode *const *c = pf_items_of(p, "criteria", &nc);
	const struct ynode *const *as = pf_items_of(p, "assignments", &ns);
	size_t nrel;
	const struct ynode *const *rel = pf_items_of(p, "releases", &nrel);
	const struct ynode *n = ymap_get(p, "status_at");
	struct {
		const char *t, *what;
	} last[] = {
	    {pf_str_of(p, "entered_at"), "its entered_at"},
	    {nd ? pf_str_of(d[nd - 1], "at") : NULL, "its last decision"},
	    {na ? pf_str_of(a[na - 1], "at") : NULL, "its last approval"},
	};

	if (!at)
		return;
	if (strcmp(at, pf_str_of(p, "created_at")) < 0) {
		pf_bad(v, n,
		       "'status_at' %s is earlier than the project's"
		       " created_at (%s)",
		       at, pf_str_of(p, "created_at"));
		return;
	}
	if (strcmp(status, "active") == 0)
		return;
	for (size_t i = 0; i < sizeof(last) / sizeof(last[0]); i++)
		if (last[i].t && strcmp(at, last[i].t) < 0) {
			pf_bad(v, n,
			       "'status_at' %s is earlier than %s (%s): only"
			       " an active project moves, decides or is"
			       " approved",
			       at, last[i].what, last[i].t);
			return;
		}
	if (pf_str_of(p, "outcome") && nd &&
	    strcmp(pf_str_of(d[nd - 1], "kind"), "buy") == 0 &&
	    strcmp(at, pf_str_of(d[nd - 1], "at")) != 0)
		pf_bad(v, n,
		       "'status_at' %s of a bought project is the time of"
		       " its buy decision (%s)",
		       at, pf_str_of(d[nd - 1], "at"));
	if (strcmp(status, "closed") != 0)
		return;
	none_after(v, k, nk, "created_at", at);
	for (size_t i = 0; i < nk; i++) {
		size_t nr;
		const struct ynode *const *r =
		    pf_items_of(k[i], "readings", &nr);
		none_after(v, r, nr, "at", at);
	}
	none_after(v, c, nc, "done_at", at);
	none_after(v, as, ns, "assigned_at", at);
	/* a release goes live only while the project is active; its end
	 * may come later (release retire takes a closed project's) */
	none_after(v, rel, nrel, "at", at);
}

/* Decisions: no negative cost, none after a buy, oldest first, each made
 * at a stage that decides make or buy.  hsorted: the history's times are
 * in order (else the stage of a time cannot be told). */
static void
check_decisions(struct vctx *v, const struct ynode *p, int hsorted)
{
	size_t nd, nh, k = 0;
	const struct ynode *const *d = pf_items_of(p, "decisions", &nd);
	const struct ynode *const *h = moves_of(p, &nh);
	struct since s = {pf_str_of(p, "created_at"),
			  "the project's created_at"};

	for (size_t i = 0; i < nd; i++) {
		const char *cost = pf_str_of(d[i], "cost"), *at;
		int ok = 0;
		if (cost && strtod(cost, NULL) < 0)
			pf_bad(v, ymap_get(d[i], "cost"),
			       "'cost' cannot be negative: %s", cost);
		if (i > 0 && buy_closed(p, d[i - 1]))
			pf_bad(v, d[i],
			       "no decision can follow a buy decision that"
			       " closed the project");
		if (!not_before(v, d[i], "at", &s, "the decision before") ||
		    !hsorted)
			continue;
		/* the stage it was made at: after the moves made before it
		 * (a move in the same millisecond may be on either side) */
		at = pf_str_of(d[i], "at");
		while (k < nh && strcmp(pf_str_of(h[k], "at"), at) < 0)
			k++;
		for (size_t j = k;; j++) {
			int st =
			    lifecycle_stage_slug(v->lc, stage_after(v, h, j));
			if (st >= 0 && v->lc->stages[st].requires_decision)
				ok = 1;
			if (ok || j >= nh ||
			    strcmp(pf_str_of(h[j], "at"), at) != 0)
				break;
		}
		if (!ok)
			pf_bad(
			    v, d[i],
			    "a decision at %s: the project was at '%s', where"
			    " make or buy is not decided",
			    at, stage_after(v, h, k));
	}
	free((void *)h);
}

/* History: reasons for back and forced moves, times in order, and
 * entered_at the time of the last move.  Returns whether the times are in
 * order. */
static int
check_moves(struct vctx *v, const struct ynode *p)
{
	size_t nh;
	const struct ynode *const *h = pf_items_of(p, "history", &nh);
	struct since s = {pf_str_of(p, "created_at"),
			  "the project's created_at"};
	const char *entered = pf_str_of(p, "entered_at");
	int sorted = 1;

	const char *moved = NULL; /* the time of the last move */

	for (size_t i = 0; i < nh; i++) {
		const char *kind = pf_str_of(h[i], "kind");
		int start = strcmp(kind, "start") == 0;
		if (strcmp(kind, "advance") != 0 && !start &&
		    !pf_str_of(h[i], "reason"))
			pf_bad(v, at_key(h[i], "reason"),
			       "a '%s' move needs a reason", kind);
		if (!not_before(v, h[i], "at", &s, "the move before"))
			sorted = 0;
		if (!start)
			moved = pf_str_of(h[i], "at");
	}
	if (moved)
		s.at = moved;
	else
		s.at = pf_str_of(p, "created_at");
	if (sorted && strcmp(entered, s.at) != 0 && moved)
		pf_bad(v, at_key(p, "entered_at"),
		       "'entered_at' %s is not the time of the last move (%s)",
		       entered, s.at);
	else if (sorted && strcmp(entered, s.at) != 0)
		pf_bad(v, at_key(p, "entered_at"),
		       "'entered_at' %s is not created_at (%s): without a move"
		       " the project is in the stage it was created in",
		       entered, s.at);
	return sorted;
}

/* The time of the last `back` move that reopened the gate of stage st (a
 * move back to st or to an earlier stage), or NULL when none did. */
static const char *
last_reopened(struct vctx *v, const struct ynode *p, int st)
{
	size_t nh;
	const struct ynode *const *h = pf_items_of(p, "history", &nh);
	const char *last = NULL;

	for (size_t i = 0; i < nh; i++) {
		const char *at = pf_str_of(h[i], "at");
		if (strcmp(pf_str_of(h[i], "kind"), "back") != 0 ||
		    lifecycle_stage_slug(v->lc, pf_str_of(h[i], "to")) > st)
			continue;
		if (!last || strcmp(at, last) > 0)
			last = at;
	}
	return last;
}

/* Criteria: ids from 1; a ticked one says by whom and when, an open one
 * has no done_by, done_at or note (reopening clears them).  A criterion
 * ticked before a `stage back` that reopened its stage would have been
 * cleared by that move. */
static void
check_criteria(struct vctx *v, const struct ynode *p)
{
	size_t nc;
	const struct ynode *const *c = pf_items_of(p, "criteria", &nc);
	const char *created = pf_str_of(p, "created_at");

	for (size_t i = 0; i < nc; i++) {
		const char *done = pf_str_of(c[i], "done");
		const char *at = pf_str_of(c[i], "done_at");
		static const char *const keys[] = {"done_by", "done_at",
						   "note"};
		if (strtoll(pf_str_of(c[i], "id"), NULL, 10) < 1)
			pf_bad(v, ymap_get(c[i], "id"),
			       "'id' must be 1 or more, not %s",
			       pf_str_of(c[i], "id"));
		if (done && !strcmp(done, "true")) {
			for (size_t k = 0; k < 2; k++)
				if (!pf_str_of(c[i], keys[k]))
					pf_bad(v, at_key(c[i], keys[k]),
					       "a done criterion needs '%s'",
					       keys[k]);
			if (at && strcmp(at, created) < 0)
				pf_bad(v, ymap_get(c[i], "done_at"),
				       "'done_at' %s is earlier than the"
				       " project's created_at (%s)",
				       at, created);
			else if (at) {
				int st = lifecycle_stage_slug(
				    v->lc, pf_str_of(c[i], "stage"));
				const char *back =
				    st >= 0 ? last_reopened(v, p, st) : NULL;
				if (back && strcmp(at, back) < 0)
					pf_bad(
					    v, ymap_get(c[i], "done_at"),
					    "'done_at' %s is earlier than the"
					    " move back (%s) that reopened the"
					    " gate of '%s': criterion %s would"
					    " be open",
					    at, back, pf_str_of(c[i], "stage"),
					    pf_str_of(c[i], "id"));
			}
			continue;
		}
		for (size_t k = 0; k < 3; k++)
			if (pf_str_of(c[i], keys[k]))
				pf_bad(v, ymap_get(c[i], keys[k]),
				       "criterion %s is not done: '%s' must be"
				       " null",
				       pf_str_of(c[i], "id"), keys[k]);
	}
}

static int
by_role_person(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->k1, y->k1);

	return c ? c : strcmp(x->k2, y->k2);
}

/* Was `person` (or the name `as`, may be NULL) unassigned from `role`, at
 * `from` or later ("": ever)?  Any unassign event of project p counts: a
 * role unassign's or reassign's, and a person rename's or merge's, where
 * an assignment may have been made again.  Their approvals stay,
 * withdrawn. */
static int
unassigned_since(const struct ynode *p, const char *role, const char *person,
		 const char *as, const char *from)
{
	size_t n;
	const struct ynode *const *e = pf_items_of(p, "events", &n);

	for (size_t i = 0; i < n; i++) {
		const char *kind = pf_str_of(e[i], "kind");
		const char *subject = pf_str_of(e[i], "subject");
		const char *detail = pf_str_of(e[i], "detail");
		const char *at = pf_str_of(e[i], "at");
		if (kind && subject && detail && !strcmp(kind, "unassign") &&
		    !strcmp(subject, role) &&
		    (!strcmp(detail, person) || (as && !strcmp(detail, as))) &&
		    (!*from || (at && strcmp(at, from) >= 0)))
			return 1;
	}
	return 0;
}

/* The project's record of who held a role when, as far as a file shows it:
 * the unassign events that take a role away, sorted by role, person and
 * time, and the assignments, by role and person and by role and the name
 * they were made to. */
struct holders {
	const struct ynode *p; /* the project */
	struct keyed *off;     /* k1 role, k2 person, n the event */
	size_t noff;
	struct keyed *who, *was; /* k1 role, k2 person (assigned_as) */
	size_t ns;
};

static int
by_role_person_at(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->k1, y->k1);

	if (c || (c = strcmp(x->k2, y->k2)))
		return c;
	return strcmp(pf_str_of(x->n, "at"), pf_str_of(y->n, "at"));
}

static int by_role_person(const void *a, const void *b);

/* An unassign event of role unassign or reassign takes the role away; one
 * of a person rename or merge has a note and takes nothing away: the
 * person holds the role under their new name. */
static int
holders_load(struct holders *x, const struct ynode *p)
{
	size_t n;
	const struct ynode *const *e = pf_items_of(p, "events", &n);
	const struct ynode *as = ymap_get(p, "assignments");

	memset(x, 0, sizeof(*x));
	x->p = p;
	x->ns = as && as->type == Y_SEQ ? as->n : 0;
	if (x->ns &&
	    (!(x->who = pf_sorted_items(as, "role", "person", 0)) ||
	     !(x->was = pf_sorted_items(as, "role", "assigned_as", 0))))
		return -1;
	if (n && !(x->off = malloc(n * sizeof(*x->off))))
		return -1;
	for (size_t i = 0; i < n; i++) {
		const char *kind = pf_str_of(e[i], "kind");
		const char *subject = pf_str_of(e[i], "subject");
		const char *detail = pf_str_of(e[i], "detail");
		if (kind && subject && detail && pf_str_of(e[i], "at") &&
		    !strcmp(kind, "unassign") && !pf_str_of(e[i], "note"))
			x->off[x->noff++] = (struct keyed){
			    .n = e[i], .k1 = subject, .k2 = detail};
	}
	if (x->noff) /* (none: x->off may be NULL, which qsort may not take) */
		qsort(x->off, x->noff, sizeof(*x->off), by_role_person_at);
	return 0;
}

static void
holders_free(struct holders *x)
{
	free(x->off);
	free(x->who);
	free(x->was);
}

/* The current assignment of `person` in `role`, by their name or the name
 * it was made to (NULL: none). */
static const struct ynode *
holders_find(const struct holders *x, const char *role, const char *person)
{
	struct keyed key = {.k1 = role, .k2 = person};
	const struct keyed *k;

	if (!x->ns)
		return NULL;
	if ((k = bsearch(&key, x->who, x->ns, sizeof(*k), by_role_person)) ||
	    (k = bsearch(&key, x->was, x->ns, sizeof(*k), by_role_person)))
		return k->n;
	return NULL;
}

#define LATER_NAMES 16

/* The name an unassign event of a person rename or merge gives its person
 * ("renamed 'NEW'", "merged into 'INTO'", as person rename and merge log
 * it), in buf; NULL when the note is not one of those. */
static const char *
renamed_to(const char *note, char *buf, size_t size)
{
	static const char *const pre[] = {"renamed '", "merged into '"};

	for (size_t i = 0; note && i < 2; i++) {
		size_t n = strlen(pre[i]), len = strlen(note);
		if (strncmp(note, pre[i], n) != 0 || len < n + 2 ||
		    note[len - 1] != '\'' || len - n - 1 >= size)
			continue;
		memcpy(buf, note + n, len - n - 1);
		buf[len - n - 1] = '\0';
		return buf;
	}
	return NULL;
}

/* `person` and the names the project's rename and merge events of `role`
 * show them under later (one person, as the store knows them), into
 * names[] (the first is person): their count.  names[] point into the
 * events' notes' copies in store[]. */
static size_t
later_names(const struct holders *x, const char *role, const char *person,
	    const char *names[LATER_NAMES], char store[][PERSON_MAX_LEN + 1])
{
	size_t n = 1, ne, k = 0;
	const struct ynode *const *e = pf_items_of(x->p, "events", &ne);

	names[0] = person;
	for (size_t i = 0; i < n && n < LATER_NAMES; i++)
		for (size_t j = 0; j < ne && n < LATER_NAMES; j++) {
			const char *subject = pf_str_of(e[j], "subject");
			const char *detail = pf_str_of(e[j], "detail");
			const char *to;
			int seen = 0;
			if (!subject || !detail || strcmp(subject, role) ||
			    strcmp(detail, names[i]) ||
			    strcmp(pf_str_of(e[j], "kind"), "unassign") ||
			    !(to = renamed_to(pf_str_of(e[j], "note"), store[k],
					      PERSON_MAX_LEN + 1)))
				continue;
			for (size_t m = 0; m < n && !seen; m++)
				seen = !strcmp(names[m], to);
			if (!seen) {
				names[n++] = to;
				k++;
			}
		}
	return n;
}

/* The last unassign event (role, person) at or before `to`: its time, or
 * NULL. */
static const char *
last_off(const struct holders *x, const char *role, const char *person,
	 const char *to)
{
	size_t lo = 0, hi = x->noff;

	/* the first event after (role, person, to) */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct keyed *k = &x->off[mid];
		int c = strcmp(k->k1, role);
		if (!c && !(c = strcmp(k->k2, person)))
			c = strcmp(pf_str_of(k->n, "at"), to) > 0;
		if (c > 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	if (!lo || strcmp(x->off[lo - 1].k1, role) != 0 ||
	    strcmp(x->off[lo - 1].k2, person) != 0)
		return NULL;
	return pf_str_of(x->off[lo - 1].n, "at");
}

/* Had the approval of `person` in `role` given at `from` stopped counting
 * by `to`?  An approval counts while its giver holds the role (gate
 * approve takes another in the same epoch only when none counts, as
 * store_approval_count() counts them): so the giver was taken off the
 * role between the two (the last unassign event up to `to`, no earlier
 * than `from`) and not given it back since (their assignment, if they
 * hold the role now, made before then or after `to`). */
static int
withdrawn_between(const struct holders *x, const char *role, const char *person,
		  const char *from, const char *to)
{
	const char *names[LATER_NAMES], *off = NULL, *at = NULL;
	char store[LATER_NAMES][PERSON_MAX_LEN + 1];
	/* the person under each name a rename or merge gave them since: an
	 * unassign logged under the later name takes the role from them */
	size_t n = later_names(x, role, person, names, store);

	for (size_t i = 0; i < n; i++) {
		const char *t = last_off(x, role, names[i], to);
		const struct ynode *now = holders_find(x, role, names[i]);
		if (t && (!off || strcmp(t, off) > 0))
			off = t;
		if (now && pf_str_of(now, "assigned_at"))
			at = pf_str_of(now, "assigned_at");
	}
	if (!off || strcmp(off, from) < 0)
		return 0;
	return !at || strcmp(at, off) < 0 || strcmp(at, to) > 0;
}

/* Approval a of the gate of stage was given in its accountable role (a
 * sign-off: in a role the gate asks one of) by a person assigned that
 * role, or unassigned from it since (who: the ns assignments, sorted; p:
 * the project). */
static void
approval_giver(struct vctx *v, const struct ynode *p, const struct ynode *a,
	       const char *stage, const struct holders *x)
{
	const char *role = pf_str_of(a, "role");
	const char *person = pf_str_of(a, "person");
	const char *at = pf_str_of(a, "at");
	const struct keyed *who = x->who;
	size_t ns = x->ns;
	struct keyed key = {.k1 = role, .k2 = person};
	const struct ynode *now;
	int st = lifecycle_stage_slug(v->lc, stage);
	int acc = lifecycle_accountable(v->lc, st),
	    r = lifecycle_role(v->lc, role);

	/* a sign-off is given in a role the gate asks one of */
	if (r >= 0 && st >= 0 && v->lc->stages[st].signoff[r])
		acc = r;
	if (acc < 0 && st >= 0) {
		/* no accountable role: gate approve writes "" and takes
		 * anyone's approval (docs/yaml.md) */
		if (*role)
			pf_bad(v, ymap_get(a, "role"),
			       "the gate of '%s' has no accountable role: its"
			       " approval has role '', not '%s'",
			       stage, role);
		return;
	}
	if (acc >= 0 && strcmp(role, v->lc->roles[acc].slug) != 0)
		pf_bad(v, ymap_get(a, "role"),
		       "the gate of '%s' is approved by its accountable"
		       " role '%s', not '%s'",
		       stage, v->lc->roles[acc].slug, role);
	else if ((!who ||
		  !bsearch(&key, who, ns, sizeof(*who), by_role_person)) &&
		 !unassigned_since(p, role, person, NULL, ""))
		pf_bad(v, ymap_get(a, "person"),
		       "'%s' approved as %s but is not assigned as %s"
		       " (see 'assignments')",
		       shown(person), role, role);
	/* given before the assignment that lets them give it, unless they
	 * held the role before: an unassign event of the role under one of
	 * their names since the approval (an unassign and a new assignment;
	 * or a rename or merge, which may have kept another assignment in
	 * place of theirs).  (The approval's name is one of the two the
	 * assignment was found by.) */
	else if ((now = holders_find(x, role, person)) && at &&
		 pf_str_of(now, "assigned_at") &&
		 strcmp(pf_str_of(now, "assigned_at"), at) > 0 &&
		 !unassigned_since(p, role, pf_str_of(now, "person"),
				   pf_str_of(now, "assigned_as"), at))
		pf_bad(v, ymap_get(a, "at"),
		       "'%s' approved as %s at %s, before they were assigned"
		       " %s (%s)",
		       shown(person), role, at, role,
		       pf_str_of(now, "assigned_at"));
}

/* Approval a of epoch e was given between the move that began the epoch
 * (or the project's creation) and the one that ended it. */
static void
approval_time(struct vctx *v, const struct ynode *p, const struct ynode *a,
	      size_t e)
{
	size_t nh;
	const struct ynode *const *h = moves_of(p, &nh);
	const char *at = pf_str_of(a, "at");
	const char *from =
	    e ? pf_str_of(h[e - 1], "at") : pf_str_of(p, "created_at");

	if (strcmp(at, from) < 0)
		pf_bad(v, ymap_get(a, "at"), "'at' %s is earlier than %s (%s)",
		       at,
		       e ? "the move that began its epoch"
			 : "the project's created_at",
		       from);
	else if (e < nh && strcmp(at, pf_str_of(h[e], "at")) > 0)
		pf_bad(v, ymap_get(a, "at"),
		       "'at' %s is later than the move that ended its"
		       " epoch (%s)",
		       at, pf_str_of(h[e], "at"));
	free((void *)h);
}

/* Was approval i (of role `role`, in the epoch whose approvals start at
 * first) given while an earlier one of that role and epoch still counted?
 * last: the latest earlier one of the role (or na); held: the earlier ones
 * whose givers hold the role now (nheld).  An earlier one that stopped
 * counting by the next approval of its role comes back only if its giver
 * is given the role again, which a file shows only as an assignment they
 * hold now: so the latest and the held ones are the ones to look at. */
static int
counted_before(const struct holders *x, const struct ynode *const *a, size_t i,
	       const char *role, size_t last, const size_t *held, size_t nheld)
{
	const char *to = pf_str_of(a[i], "at");

	if (!*role) /* no accountable role: every approval counts */
		return 1;
	if (!withdrawn_between(x, role, pf_str_of(a[last], "person"),
			       pf_str_of(a[last], "at"), to))
		return 1;
	for (size_t k = 0; k < nheld; k++)
		if (held[k] != last &&
		    !strcmp(pf_str_of(a[held[k]], "role"), role) &&
		    !withdrawn_between(x, role, pf_str_of(a[held[k]], "person"),
				       pf_str_of(a[held[k]], "at"), to))
			return 1;
	return 0;
}

/* Approvals: oldest first, once per role, gate and epoch unless the
 * earlier ones stopped counting (their givers were unassigned), of the
 * stage the project was at in that epoch, given in that stage's
 * accountable role by a person assigned that role (or unassigned from it
 * since), between the move that began the epoch and the one that ended
 * it. */
static void
check_approvals(struct vctx *v, const struct ynode *p)
{
	size_t na, nh;
	const struct ynode *const *a = pf_items_of(p, "approvals", &na);
	const struct ynode *const *h = moves_of(p, &nh);
	struct holders x = {0};
	long long prev = -1;
	/* in epoch prev: the latest approval of each role seen, and the ones
	 * whose givers hold their role now */
	struct {
		const char *role;
		size_t i;
	} last[LC_MAX_ROLES + 1];
	size_t nlast = 0, *held = NULL, nheld = 0;

	if (!na) {
		free((void *)h);
		return;
	}
	if (holders_load(&x, p) || !(held = malloc(na * sizeof(*held)))) {
		pf_bad(v, a[0], "out of memory");
		holders_free(&x);
		free((void *)h);
		return;
	}
	for (size_t i = 0; i < na; i++) {
		long long e = strtoll(pf_str_of(a[i], "epoch"), NULL, 10);
		const char *stage = pf_str_of(a[i], "stage");
		const char *role = pf_str_of(a[i], "role");
		const char *st;
		size_t r = 0;
		if (e > (long long)nh) {
			pf_bad(v, a[i],
			       "approval epoch %lld is past the history's %zu"
			       " move%s",
			       e, nh, nh == 1 ? "" : "s");
			continue;
		}
		if (e < prev)
			pf_bad(v, ymap_get(a[i], "epoch"),
			       "approvals are oldest first: epoch %lld after"
			       " epoch %lld",
			       e, prev);
		if (e != prev)
			nlast = nheld = 0;
		while (r < nlast && strcmp(last[r].role, role) != 0)
			r++;
		if (r < nlast &&
		    counted_before(&x, a, i, role, last[r].i, held, nheld))
			pf_bad(v, a[i],
			       "a second approval in epoch %lld: a gate is"
			       " approved once until the project moves or"
			       " the approver is unassigned from the role",
			       e);
		if (r == nlast && nlast < LC_MAX_ROLES + 1)
			last[nlast++].role = role;
		if (r < nlast)
			last[r].i = i;
		if (*role && holders_find(&x, role, pf_str_of(a[i], "person")))
			held[nheld++] = i;
		prev = e;
		st = stage_after(v, h, (size_t)e);
		if (strcmp(stage, st) != 0) {
			pf_bad(
			    v, ymap_get(a[i], "stage"),
			    "approval of '%s' in epoch %lld: after %lld move%s"
			    " the project was at '%s'",
			    stage, e, e, e == 1 ? "" : "s", st);
			continue;
		}
		approval_giver(v, p, a[i], stage, &x);
		approval_time(v, p, a[i], (size_t)e);
	}
	holders_free(&x);
	free(held);
	free((void *)h);
}

/* A make decision with a cost.  (NULL: no.) */
static int
make_with_cost(const struct ynode *d)
{
	return d && !strcmp(pf_str_of(d, "kind"), "make") &&
	       pf_str_of(d, "cost");
}

/* Was a make decision with a cost in force at `at`: the last one made
 * before then, or one made in the same millisecond (which may have come
 * just before the move)? */
static int
decided_at(const struct ynode *p, const char *at)
{
	size_t nd;
	const struct ynode *const *d = pf_items_of(p, "decisions", &nd);
	const struct ynode *last = NULL;

	for (size_t i = 0; i < nd; i++) {
		int c = strcmp(pf_str_of(d[i], "at"), at);
		if (c < 0)
			last = d[i];
		else if (c == 0 && make_with_cost(d[i]))
			return 1;
	}
	return make_with_cost(last);
}

/* Whether a KPI was defined at `at`: made by then and not removed before
 * (a removal in the same millisecond may have come after). */
static int
kpi_at(const struct ynode *p, const char *at)
{
	size_t nk;
	const struct ynode *const *k = pf_items_of(p, "kpis", &nk);

	for (size_t i = 0; i < nk; i++) {
		size_t nc;
		const struct ynode *const *c =
		    pf_items_of(k[i], "changes", &nc);
		int gone = 0;
		if (strcmp(pf_str_of(k[i], "created_at"), at) > 0)
			continue;
		for (size_t j = 0; j < nc && !gone; j++)
			gone = !strcmp(pf_str_of(c[j], "kind"), "remove") &&
			       strcmp(pf_str_of(c[j], "at"), at) < 0;
		if (!gone)
			return 1;
	}
	return 0;
}

/* Whether the project has an approval of `stage`'s gate in `epoch`, in
 * `role` ("" for a gate without an accountable role), given by `at`. */
static int
approved_by(const struct ynode *p, const char *stage, size_t epoch,
	    const char *role, const char *at)
{
	size_t na;
	const struct ynode *const *a = pf_items_of(p, "approvals", &na);

	for (size_t i = 0; i < na; i++)
		if (strtoll(pf_str_of(a[i], "epoch"), NULL, 10) ==
			(long long)epoch &&
		    !strcmp(pf_str_of(a[i], "stage"), stage) &&
		    !strcmp(pf_str_of(a[i], "role"), role) &&
		    strcmp(pf_str_of(a[i], "at"), at) <= 0)
			return 1;
	return 0;
}

/* Every `advance` passed its gate (`stage advance`; a move past an unmet
 * gate is `forced`, with a reason), as far as the file can show the gate
 * at the time of the move: the approval of the stage's accountable role
 * (or anyone's, for a stage without one) in the epoch the move ended,
 * given by then; and, where the stage asks for them, a make decision with
 * a cost in force then and a KPI defined then.  Sign-offs, who held a
 * role then and criteria ticked then are not checked: a file keeps no
 * record of them at a past time that a later change could not have
 * overwritten, and a store made before its lifecycle asked a sign-off
 * exports advances without one. */
static void
check_advances(struct vctx *v, const struct ynode *p)
{
	size_t nh;
	const struct ynode *const *h = moves_of(p, &nh);

	for (size_t e = 0; e < nh; e++) {
		const char *from = pf_str_of(h[e], "from");
		const char *at = pf_str_of(h[e], "at");
		int st = lifecycle_stage_slug(v->lc, from), acc;
		const struct lc_stage *s;
		const char *role;
		if (strcmp(pf_str_of(h[e], "kind"), "advance") != 0 || st < 0)
			continue;
		s = &v->lc->stages[st];
		acc = lifecycle_accountable(v->lc, st);
		role = acc >= 0 ? v->lc->roles[acc].slug : "";
		if (!approved_by(p, from, e, role, at))
			pf_bad(v, h[e],
			       "an 'advance' out of '%s' at %s, but its gate"
			       " had no approval%s%s in that visit (epoch %zu)"
			       " by then: a move past an unmet gate is"
			       " 'forced', with a reason",
			       from, at, *role ? " by the " : "", role, e);
		if (s->requires_decision && !decided_at(p, at))
			pf_bad(v, h[e],
			       "an 'advance' out of '%s' at %s, but no make"
			       " decision with a cost was in force then, which"
			       " its gate asks for: a move past an unmet gate"
			       " is 'forced', with a reason",
			       from, at);
		if (s->requires_kpi && !kpi_at(p, at))
			pf_bad(v, h[e],
			       "an 'advance' out of '%s' at %s, but no KPI was"
			       " defined then, which its gate asks for: a move"
			       " past an unmet gate is 'forced', with a reason",
			       from, at);
	}
	free((void *)h);
}

/* KPIs, readings and assignments come after the project was created;
 * readings oldest first, from their KPI's creation. */
static void
check_kpis(struct vctx *v, const struct ynode *p)
{
	size_t nk, ns;
	const struct ynode *const *k = pf_items_of(p, "kpis", &nk);
	const struct ynode *const *as = pf_items_of(p, "assignments", &ns);
	const char *created = pf_str_of(p, "created_at");

	for (size_t i = 0; i < nk; i++) {
		struct since s = {created, "the project's created_at"};
		size_t nr;
		const struct ynode *const *r =
		    pf_items_of(k[i], "readings", &nr);
		if (!not_before(v, k[i], "created_at", &s,
				"the KPI's created_at"))
			continue;
		for (size_t j = 0; j < nr; j++)
			not_before(v, r[j], "at", &s, "the reading before");
	}
	for (size_t i = 0; i < ns; i++) {
		struct since s = {created, "the project's created_at"};
		not_before(v, as[i], "assigned_at", &s, "");
	}
}

/* Releases: versions unique, at most one live, an ended one says by whom
 * and when, no earlier than it went live; a change of a KPI ends with its
 * removal if it has one. */
static void
check_releases(struct vctx *v, const struct ynode *p)
{
	size_t n, nk, live = 0;
	const struct ynode *const *r = pf_items_of(p, "releases", &n);
	const struct ynode *const *k = pf_items_of(p, "kpis", &nk);

	unique(v, p, "releases", "version", NULL, "release");
	for (size_t i = 0; i < n; i++) {
		const char *ended = pf_str_of(r[i], "ended");
		const char *by = pf_str_of(r[i], "ended_by");
		const char *at = pf_str_of(r[i], "ended_at");
		const char *ver = pf_str_of(r[i], "version");
		struct since s = {pf_str_of(p, "created_at"),
				  "the project's created_at"};
		if (!not_before(v, r[i], "at", &s, ""))
			continue;
		if (!ended) {
			if (++live > 1)
				pf_bad(v, r[i],
				       "release '%s' is live, and so is an"
				       " earlier one: at most one release is"
				       " live",
				       ver);
			if (by || at)
				pf_bad(v, r[i],
				       "release '%s' is live: it has no"
				       " ended_by or ended_at",
				       ver);
		} else if (!by || !at) {
			pf_bad(v, r[i],
			       "release '%s' was %s: it needs ended_by and"
			       " ended_at",
			       ver, ended);
		} else {
			not_before(v, r[i], "ended_at", &s, "its at");
		}
	}
	for (size_t i = 0; i < nk; i++) {
		size_t nc;
		const struct ynode *const *c =
		    pf_items_of(k[i], "changes", &nc);
		struct since s = {pf_str_of(k[i], "created_at"),
				  "the KPI's created_at"};
		for (size_t j = 0; j < nc; j++) {
			not_before(v, c[j], "at", &s, "the change before");
			if (!strcmp(pf_str_of(c[j], "kind"), "remove") &&
			    j + 1 < nc)
				pf_bad(v, c[j + 1],
				       "KPI '%s' was removed: nothing changes"
				       " it after that",
				       pf_str_of(k[i], "name"));
		}
	}
}

/* Might the project have been at the last stage (where `release add`
 * records what goes live) at time `at`?  A move in the same millisecond
 * may be on either side. */
static int
maybe_at_last(const struct vctx *v, const struct ynode *const *h, size_t nh,
	      const char *at)
{
	int last = (int)v->lc->nstages - 1;
	size_t k = 0;

	while (k < nh && strcmp(pf_str_of(h[k], "at"), at) < 0)
		k++;
	for (size_t j = k;; j++) {
		if (lifecycle_stage_slug(v->lc, stage_after(v, h, j)) == last)
			return 1;
		if (j >= nh || strcmp(pf_str_of(h[j], "at"), at) != 0)
			return 0;
	}
}

/* Was a release of the project live at time `at`: surely (one went live
 * before and ended after), or maybe (a release or its end in the same
 * millisecond)?  *which: the one, for messages. */
static void
live_at(const struct ynode *const *r, size_t n, const char *at, int *surely,
	int *maybe, const char **which)
{
	*surely = *maybe = 0;
	*which = NULL;
	for (size_t i = 0; i < n; i++) {
		const char *from = pf_str_of(r[i], "at");
		const char *to = pf_str_of(r[i], "ended_at");
		int b = strcmp(from, at), e = to ? strcmp(to, at) : 1;
		if (b <= 0 && e >= 0) {
			*maybe = 1;
			if (!*which)
				*which = pf_str_of(r[i], "version");
		}
		if (b < 0 && e > 0) {
			*surely = 1;
			*which = pf_str_of(r[i], "version");
		}
	}
}

/* Monitoring (release add, kpi record, kpi set, kpi remove): a release is
 * recorded while the project is at the last stage; a reading is a breach
 * exactly when it misses the target in force while a release is live, as
 * `kpi record` decides, and none comes after its KPI was removed.  Time
 * ties (one millisecond) may be in either order.  hsorted: the history's
 * times are in order. */
static void
check_monitoring(struct vctx *v, const struct ynode *p, int hsorted)
{
	size_t nr, nk, nh;
	const struct ynode *const *r = pf_items_of(p, "releases", &nr);
	const struct ynode *const *k = pf_items_of(p, "kpis", &nk);
	const struct ynode *const *h = moves_of(p, &nh);

	for (size_t i = 0; hsorted && i < nr; i++) {
		const char *at = pf_str_of(r[i], "at");
		size_t j = 0;
		if (maybe_at_last(v, h, nh, at))
			continue;
		while (j < nh && strcmp(pf_str_of(h[j], "at"), at) <= 0)
			j++;
		pf_bad(v, r[i],
		       "release '%s' at %s: the project was at '%s'; what"
		       " goes live is recorded at '%s', the last stage",
		       pf_str_of(r[i], "version"), at, stage_after(v, h, j),
		       v->lc->stages[v->lc->nstages - 1].slug);
	}
	free((void *)h);
	for (size_t i = 0; i < nk; i++) {
		size_t nrd, nc;
		const struct ynode *const *rd =
		    pf_items_of(k[i], "readings", &nrd);
		const struct ynode *const *c =
		    pf_items_of(k[i], "changes", &nc);
		const char *name = pf_str_of(k[i], "name");
		for (size_t j = 0; j < nrd; j++) {
			const char *at = pf_str_of(rd[j], "at");
			const char *br = pf_str_of(rd[j], "breach");
			const char *which;
			double x = strtod(pf_str_of(rd[j], "value"), NULL);
			int breach = br && !strcmp(br, "true");
			int meets = 0, misses = 0, surely, maybe;
			size_t lo = 0, hi;
			while (lo < nc &&
			       strcmp(pf_str_of(c[lo], "at"), at) < 0)
				lo++;
			hi = lo;
			while (hi < nc &&
			       strcmp(pf_str_of(c[hi], "at"), at) == 0)
				hi++;
			if (lo > 0 &&
			    !strcmp(pf_str_of(c[lo - 1], "kind"), "remove")) {
				pf_bad(v, rd[j],
				       "reading %zu of KPI '%s' at %s: the KPI"
				       " was removed at %s, and a removed KPI"
				       " takes no readings",
				       j + 1, name, at,
				       pf_str_of(c[lo - 1], "at"));
				continue;
			}
			/* the definitions that may have been in force: after
			 * change lo-1 (before the first: its was_*) up to
			 * after change hi-1; with no change, the KPI's */
			for (size_t d = lo; d <= hi; d++) {
				const struct ynode *m = nc == 0  ? k[i]
							: d == 0 ? c[0]
								 : c[d - 1];
				int was = nc > 0 && d == 0;
				int op = kpi_op_parse(
				    pf_str_of(m, was ? "was_op" : "op"));
				double t = strtod(
				    pf_str_of(m, was ? "was_target" : "target"),
				    NULL);
				if (op < 0)
					continue;
				if (kpi_meets(op, t, x))
					meets = 1;
				else
					misses = 1;
			}
			live_at(r, nr, at, &surely, &maybe, &which);
			if (breach && !misses)
				pf_bad(
				    v, ymap_get(rd[j], "breach"),
				    "reading %zu of KPI '%s' is a breach, but"
				    " %s meets the target in force at %s:"
				    " a breach misses it",
				    j + 1, name, pf_str_of(rd[j], "value"), at);
			else if (breach && !maybe)
				pf_bad(
				    v, ymap_get(rd[j], "breach"),
				    "reading %zu of KPI '%s' is a breach, but"
				    " no release was live at %s: a breach"
				    " misses the target while one is",
				    j + 1, name, at);
			else if (!breach && surely && !meets)
				pf_bad(v, rd[j],
				       "reading %zu of KPI '%s' misses the"
				       " target in force at %s while release"
				       " '%s' was live: it is a breach"
				       " (breach: true)",
				       j + 1, name, at, which);
		}
	}
}

/* Rules across fields, once every field has its right type. */
void
pf_check_rules(struct vctx *v, const struct ynode *p)
{
	const struct ynode *h = ymap_get(p, "history");
	const char *stage = pf_str_of(p, "stage");
	size_t nh = pf_len_of(p, "history");
	const char *prev = NULL;
	int hsorted;

	unique(v, p, "kpis", "name", NULL, "KPI");
	unique(v, p, "components", "name", NULL, "component");
	unique(v, p, "criteria", "id", NULL, "criterion id");
	unique(v, p, "assignments", "person", "role", "assignment of");
	for (size_t i = 0; i < nh; i++) {
		const struct ynode *t = h->kids[i];
		const char *from = pf_str_of(t, "from"),
			   *to = pf_str_of(t, "to");
		const char *kind = pf_str_of(t, "kind");
		int fi = lifecycle_stage_slug(v->lc, from);
		int ti = lifecycle_stage_slug(v->lc, to);
		int start = !strcmp(kind, "start");
		if (prev && strcmp(prev, from) != 0)
			pf_bad(v, t,
			       "history entry starts at '%s' but the one"
			       " before ended at '%s'",
			       from, prev);
		if (start ? ti <= fi || fi < 0 ||
				v->lc->stages[ti].starts_after < 0 ||
				v->lc->stages[ti].starts_after >= fi
		    : !strcmp(kind, "back") ? ti >= fi
		    : !strcmp(kind, "buy")  ? ti <= fi || fi < 0
					    : ti != fi + 1)
			pf_bad(v, t,
			       "a move of kind '%s' cannot go from '%s' to"
			       " '%s'",
			       kind, from, to);
		if (!strcmp(kind, "buy") && !buy_decided(p, pf_str_of(t, "at")))
			pf_bad(v, t,
			       "a move of kind 'buy' needs a buy decision at"
			       " its time (%s)",
			       pf_str_of(t, "at"));
		/* a start leaves the project where it was */
		prev = start ? from : to;
	}
	/* a project starts at the first stage: the history leads from it */
	if (nh > 0 &&
	    strcmp(pf_str_of(h->kids[0], "from"), v->lc->stages[0].slug))
		pf_bad(v, h->kids[0],
		       "the history must start at the first stage '%s'",
		       v->lc->stages[0].slug);
	if (prev && strcmp(prev, stage) != 0)
		pf_bad(v, ymap_get(p, "stage"),
		       "stage '%s' is not where the history ends ('%s')", stage,
		       prev);
	if (!prev && strcmp(stage, v->lc->stages[0].slug) != 0)
		pf_bad(v, ymap_get(p, "stage"),
		       "stage '%s' without a history: a project starts at '%s'",
		       stage, v->lc->stages[0].slug);
	hsorted = check_moves(v, p);
	check_decisions(v, p, hsorted);
	check_status(v, p);
	check_status_at(v, p);
	check_criteria(v, p);
	check_kpis(v, p);
	check_approvals(v, p);
	if (hsorted)
		check_advances(v, p);
	check_releases(v, p);
	check_monitoring(v, p, hsorted);
}
