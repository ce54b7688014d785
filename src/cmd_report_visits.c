/*
 * cmd_report_visits.c - a project's stage visits, from its transitions
 * (cmd_report_visits.h).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cmd_report_visits.h"


const char *const visit_how_name[] = {"created", "advance", "forced", "back",
				      "buy"};

/* Seconds since 1970 of a store stamp, 0 when it is not one
 * (stamp_parse() reads the store's own shape by hand, fast). */
double
stamp_secs(const char *stamp)
{
	double t;

	return stamp && stamp_parse(stamp, &t) == 0 ? t : 0;
}

static const struct ap_error *
visit_push(struct visits *vs, const char *slug, int how, const char *at)
{
	struct visit *v;

	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 64;
		if (!(v = realloc(vs->v, cap * sizeof(*v))))
			return ap_error_nomem();
		vs->v = v;
		if (vs->keep) {
			char **s = realloc(vs->slug, cap * sizeof(*s));
			if (!s)
				return ap_error_nomem();
			vs->slug = s;
			char(*a)[32] = realloc(vs->at, cap * sizeof(*a));
			if (!a)
				return ap_error_nomem();
			vs->at = a;
		}
		vs->cap = cap;
	}
	v = &vs->v[vs->n];
	v->stage = lifecycle_stage_slug(&vs->c->lc, slug);
	v->how = how;
	v->start = v->end = stamp_secs(at);
	if (vs->keep) {
		if (!(vs->slug[vs->n] = strdup(slug)))
			return ap_error_nomem();
		snprintf(vs->at[vs->n], sizeof(vs->at[0]), "%s", at);
	}
	vs->n++;
	return NULL;
}

int
visit_how(int from, int to, const char *kind)
{
	if (from >= 0 && to >= 0 ? to < from
				 : kind && strcmp(kind, "back") == 0)
		return HOW_BACK;
	if (kind && strcmp(kind, "forced") == 0)
		return HOW_FORCED;
	if (kind && strcmp(kind, "buy") == 0)
		return HOW_BUY;
	return HOW_ADVANCE;
}

static const struct ap_error *
on_transition(void *arg, const struct store_transition *t)
{
	struct visits *vs = arg;
	const struct ap_error *err;
	int how, from, to;

	/* a stage started early is no move: the visit goes on */
	if (strcmp(t->kind, "start") == 0)
		return NULL;
	if (!vs->begun) {
		if ((err =
			 visit_push(vs, t->from, HOW_CREATED, vs->created_at)))
			return err;
		vs->begun = 1;
	}
	from = lifecycle_stage_slug(&vs->c->lc, t->from);
	to = lifecycle_stage_slug(&vs->c->lc, t->to);
	how = visit_how(from, to, t->kind);
	vs->v[vs->n - 1].end = stamp_secs(t->at);
	return visit_push(vs, t->to, how, t->at);
}

const struct ap_error *
visits_load(struct visits *vs, int64_t id, const char *created_at,
	    const char *stage, const char *end)
{
	const struct ap_error *err;

	vs->created_at = created_at;
	vs->begun = 0;
	if ((err = store_transitions(vs->c->store, id, on_transition, vs)))
		return err;
	if (!vs->begun &&
	    (err = visit_push(vs, stage, HOW_CREATED, created_at)))
		return err;
	vs->v[vs->n - 1].end = stamp_secs(end);
	return NULL;
}

void
visits_free(struct visits *vs)
{
	for (size_t i = 0; vs->keep && i < vs->n; i++)
		free(vs->slug[i]);
	free(vs->slug);
	free(vs->at);
	free(vs->v);
}

/* ---- status changes ---- */

static const struct ap_error *
status_push(struct status_changes *sc, int status, double at)
{
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? sc->cap * 2 : 8;
		struct eng_status_at *v = realloc(sc->v, cap * sizeof(*v));
		if (!v)
			return ap_error_nomem();
		sc->v = v;
		sc->cap = cap;
	}
	sc->v[sc->n].at = at;
	sc->v[sc->n++].status = status;
	return NULL;
}

const struct ap_error *
status_changes_add(struct status_changes *sc, const char *kind, const char *at)
{
	int status;

	if (strcmp(kind, "hold") == 0)
		status = PS_ON_HOLD;
	else if (strcmp(kind, "resume") == 0)
		status = PS_ACTIVE;
	else if (strcmp(kind, "close") == 0)
		status = PS_CLOSED;
	else
		return NULL;
	return status_push(sc, status, stamp_secs(at));
}

const struct ap_error *
status_changes_end(struct status_changes *sc, int status, const char *status_at)
{
	int last = sc->n ? sc->v[sc->n - 1].status : PS_ACTIVE;

	if (status == last || !status_at)
		return NULL;
	return status_push(sc, status, stamp_secs(status_at));
}

static const struct ap_error *
on_status_event(void *arg, const struct store_event *e)
{
	return status_changes_add(arg, e->kind, e->at);
}

const struct ap_error *
status_changes_load(struct cli *c, const struct store_project *p,
		    struct status_changes *sc)
{
	const struct ap_error *err;

	memset(sc, 0, sizeof(*sc));
	if ((err = store_events(c->store, p->id, on_status_event, sc)))
		return err;
	return status_changes_end(sc, (int)p->status, p->status_at);
}

void
status_changes_free(struct status_changes *sc)
{
	free(sc->v);
	memset(sc, 0, sizeof(*sc));
}
