/* cmd_project.c - the project commands: create, list, show, rename, hold,
 * resume, close, delete. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

static void
project_json(struct cli *c, struct jw *w, const struct store_project *p)
{
	int st = lifecycle_stage_slug(&c->lc, p->stage);

	jw_kstr(w, "project", p->name);
	jw_kstr(w, "description", p->description);
	jw_kstr(w, "status", proj_status_name(p->status));
	jw_kstr(w, "stage", p->stage);
	jw_kstr(w, "stage_name", st >= 0 ? c->lc.stages[st].name : NULL);
	jw_kint(w, "stage_number", st + 1);
	jw_kstr(w, "entered_at", p->entered_at);
	jw_kstr(w, "created_at", p->created_at);
	jw_kstr(w, "status_reason", p->status_reason);
	jw_kstr(w, "status_at", p->status_at);
	jw_kstr(w, "outcome", p->outcome);
}

const struct ap_error *
cmd_project_create(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[0], *desc = opt_val(a, "description");
	struct store_project p = {0};
	size_t ncrit = 0;

	p.name = (char *)name;
	p.description = (char *)(desc ? desc : "");
	p.stage = c->lc.stages[0].slug;
	p.entered_at = p.created_at = p.status_at = c->now;
	if ((err = store_project_create(c->store, &p)))
		return err;
	for (size_t s = 0; s < c->lc.nstages; s++)
		for (size_t k = 0; k < c->lc.stages[s].ncriteria; k++) {
			int64_t id;
			if ((err = store_criterion_add(
				 c->store, p.id, c->lc.stages[s].slug,
				 c->lc.stages[s].criteria[k], &id)))
				return err;
			ncrit++;
		}
	for (size_t k = 0; k < c->lc.ncomponents; k++) {
		const struct lc_component *cp = &c->lc.components[k];
		if ((err = store_component_add(c->store, p.id, cp->name,
					       c->lc.roles[cp->owner].slug,
					       NULL, cp->description)))
			return err;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		p.status = PS_ACTIVE;
		out_doc(c, &w);
		project_json(c, &w, &p);
		jw_kint(&w, "criteria", (int64_t)ncrit);
		jw_kint(&w, "components", (int64_t)c->lc.ncomponents);
		jw_done(&w);
	} else {
		text_linef(c->out, 2,
			   "Created project '%s' at stage %s (%zu"
			   " criteri%s, %zu component%s)",
			   name, p.stage, ncrit, ncrit == 1 ? "on" : "a",
			   c->lc.ncomponents,
			   c->lc.ncomponents == 1 ? "" : "s");
	}
	return NULL;
}

struct list_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	int n;
};

static const struct ap_error *
on_project(void *arg, const struct store_project *p)
{
	struct list_ctx *l = arg;
	struct cli *c = l->c;

	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(&l->w);
		project_json(c, &l->w, p);
		jw_end(&l->w);
	} else {
		const char *row[] = {p->name, p->stage,
				     proj_status_name(p->status),
				     p->entered_at};
		table_row(&l->t, row);
	}
	l->n++;
	return NULL;
}

const struct ap_error *
cmd_project_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct list_ctx l = {.c = c};
	struct cli_filter cf;
	const char *stage = NULL;

	if ((err = filter_from_args(c, a, 0, &cf)))
		return err;
	if (cf.f.nstages == 1)
		stage = cf.f.stages[0];
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &l.w);
		jw_key(&l.w, "projects");
		jw_arr(&l.w);
	} else {
		static const char *const head[] = {"PROJECT", "STAGE", "STATUS",
						   "ENTERED"};
		static const int width[] = {24, 20, 8, 0};
		table_begin(&l.t, c->out, c->format, 4, head, width);
	}
	err = store_project_list_where(c->store, &cf.f, on_project, &l);
	table_end(&l.t);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&l.w);
	else if (l.n == 0 && c->format == FMT_TEXT)
		text_linef(c->out, 2, "No projects%s%s.", stage ? " at " : "",
			   stage ? stage : "");
	return NULL;
}

/* project show: collects people and KPIs through callbacks. */
struct show_ctx {
	struct cli *c;
	struct jw *w;
	int n;
};

static const struct ap_error *
show_person(void *arg, const struct store_assignment *as)
{
	struct show_ctx *s = arg;

	if (s->w) {
		jw_obj(s->w);
		jw_kstr(s->w, "role", as->role);
		jw_kstr(s->w, "person", as->person);
		jw_kstr(s->w, "assigned_at", as->assigned_at);
		if (as->title)
			jw_kstr(s->w, "title", as->title);
		jw_end(s->w);
	} else {
		struct sbuf who = {0};
		person_titled(&who, as->person, as->title);
		text_linef(s->c->out, 21, "  %-16s %s", as->role,
			   who.s ? who.s : as->person);
		sbuf_free(&who);
	}
	s->n++;
	return NULL;
}

static const struct ap_error *
show_kpi(void *arg, const struct store_kpi *k)
{
	struct show_ctx *s = arg;
	char t[40], v[40];

	fmt_num(t, sizeof(t), k->target);
	fmt_num(v, sizeof(v), k->value);
	if (s->w) {
		jw_obj(s->w);
		jw_kstr(s->w, "name", k->name);
		jw_kstr(s->w, "op", k->op);
		jw_knum(s->w, "target", k->target);
		jw_key(s->w, "latest");
		if (k->has_reading)
			jw_num(s->w, k->value);
		else
			jw_null(s->w);
		jw_end(s->w);
	} else {
		text_linef(s->c->out, 4, "  %-16s target %s %s, latest %s",
			   k->name, k->op, t, k->has_reading ? v : "none");
	}
	s->n++;
	return NULL;
}

static const struct ap_error *
show_decision(void *arg, const struct store_decision *d)
{
	struct show_ctx *s = arg;
	char cost[40];

	fmt_num(cost, sizeof(cost), d->cost);
	if (s->w) {
		jw_obj(s->w);
		jw_kstr(s->w, "kind", decision_kind_name(d->kind));
		jw_key(s->w, "cost");
		if (d->has_cost)
			jw_num(s->w, d->cost);
		else
			jw_null(s->w);
		jw_kstr(s->w, "reason", d->reason);
		jw_kstr(s->w, "actor", d->actor);
		jw_kstr(s->w, "at", d->at);
		jw_end(s->w);
	} else {
		text_linef(s->c->out, 13, "Decision:    %s%s%s by %s at %s: %s",
			   decision_kind_name(d->kind),
			   d->has_cost ? ", cost " : "",
			   d->has_cost ? cost : "", d->actor, d->at, d->reason);
	}
	s->n++;
	return NULL;
}

const struct ap_error *
cmd_project_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct show_ctx s = {.c = c};
	char *live = NULL, *since = NULL;
	struct jw w;
	int st;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = live_get(c, p.id, &live, &since)))
		goto done;
	st = lifecycle_stage_slug(&c->lc, p.stage);
	if (c->format & (FMT_JSON | FMT_YAML)) {
		s.w = &w;
		out_doc(c, &w);
		project_json(c, &w, &p);
		jw_key(&w, "decision");
		if ((err = store_decision_latest(c->store, p.id, show_decision,
						 &s)))
			goto done;
		if (!s.n)
			jw_null(&w);
		live_json(&w, live, since);
		jw_key(&w, "assignments");
		jw_arr(&w);
		if ((err = store_assignments(c->store, p.id, show_person, &s)))
			goto done;
		jw_end(&w);
		jw_key(&w, "kpis");
		jw_arr(&w);
		if ((err = store_kpis(c->store, p.id, show_kpi, &s)))
			goto done;
		jw_done(&w);
		goto done;
	}
	text_linef(c->out, 13, "Project:     %s", p.name);
	if (*p.description)
		text_linef(c->out, 13, "Description: %s", p.description);
	text_linef(c->out, 13, "Status:      %s%s%s",
		   proj_status_name(p.status), p.status_reason ? ": " : "",
		   p.status_reason ? p.status_reason : "");
	if (p.outcome)
		text_linef(c->out, 13, "Outcome:     %s", p.outcome);
	text_linef(c->out, 13, "Stage:       %d/%zu %s (%s) since %s", st + 1,
		   c->lc.nstages, p.stage,
		   st >= 0 ? c->lc.stages[st].name : "?", p.entered_at);
	if (live)
		text_linef(c->out, 13, "Live:        %s (since %s)", live,
			   since);
	text_linef(c->out, 2, "Created:     %s", p.created_at);
	if ((err = store_decision_latest(c->store, p.id, show_decision, &s)))
		goto done;
	fprintf(c->out, "People:\n");
	s.n = 0;
	if ((err = store_assignments(c->store, p.id, show_person, &s)))
		goto done;
	if (!s.n)
		fprintf(c->out, "  (nobody assigned)\n");
	fprintf(c->out, "KPIs:\n");
	s.n = 0;
	if ((err = store_kpis(c->store, p.id, show_kpi, &s)))
		goto done;
	if (!s.n)
		fprintf(c->out, "  (none)\n");
done:
	free(live);
	free(since);
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_project_rename(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;

	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if (!(err = store_project_rename(c->store, p.id, a->pos[1]))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", a->pos[1]);
			jw_kstr(&w, "old_name", p.name);
			jw_done(&w);
		} else {
			text_linef(c->out, 2, "Renamed project '%s' to '%s'",
				   p.name, a->pos[1]);
		}
	}
	store_project_clear(&p);
	return err;
}

struct status_change {
	const char *status, *previous, *reason;
};

/* A status change's own keys, for a hook's payload. */
static void
status_fields(struct jw *w, const void *arg)
{
	const struct status_change *s = arg;

	jw_kstr(w, "status", s->status);
	jw_kstr(w, "previous_status", s->previous);
	jw_kstr(w, "reason", s->reason);
}

/* hold, resume, close: one status change with its checks. */
static const struct ap_error *
set_status(struct cli *c, struct args *a, enum proj_status to)
{
	const struct ap_error *err;
	const char *reason = opt_val(a, "reason");
	struct store_project p;
	struct eng_status_change ch;

	if ((err = eng_check_status_reason(to, reason)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if (!(err = eng_check_status(p.name, p.status, to, reason, &ch)))
		err = store_project_set_status(c->store, p.id, ch.to, ch.reason,
					       ch.outcome, c->now);
	if (!err) {
		struct store_event ev = {.kind = eng_status_verb(ch.to),
					 .note = reason,
					 .actor = c->actor,
					 .at = c->now};
		err = store_event_add(c->store, p.id, &ev);
	}
	if (!err && ch.to == PS_CLOSED) {
		struct status_change sc = {proj_status_name(ch.to),
					   proj_status_name(p.status),
					   ch.reason};
		err = hook_fire(c, "close", p.name, status_fields, &sc);
	}
	if (!err) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "status", proj_status_name(ch.to));
			jw_kstr(&w, "previous_status",
				proj_status_name(p.status));
			jw_kstr(&w, "reason", ch.reason);
			jw_done(&w);
		} else {
			/* (the reason as a terminal should show it) */
			text_linef(c->out, 2, "Project '%s' is %s%s%s", p.name,
				   proj_status_name(ch.to),
				   ch.reason ? ": " : "",
				   ch.reason ? ch.reason : "");
		}
	}
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_project_hold(struct cli *c, struct args *a)
{
	return set_status(c, a, PS_ON_HOLD);
}

const struct ap_error *
cmd_project_resume(struct cli *c, struct args *a)
{
	return set_status(c, a, PS_ACTIVE);
}

const struct ap_error *
cmd_project_close(struct cli *c, struct args *a)
{
	return set_status(c, a, PS_CLOSED);
}

const struct ap_error *
cmd_project_delete(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	int64_t n = 0;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if (!opt_has(a, "yes"))
		store_transition_count(c->store, p.id, NULL, &n);
	if (!(err =
		  eng_check_delete(p.name, opt_has(a, "yes"), (long long)n)) &&
	    !(err = store_project_delete(c->store, p.id))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kbool(&w, "deleted", 1);
			jw_done(&w);
		} else {
			text_linef(c->out, 2, "Deleted project '%s'", p.name);
		}
	}
	store_project_clear(&p);
	return err;
}
