/* cmd_gate.c - the gate commands: show, add, done, reopen, approve. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* The approvals and sign-offs of a gate given since its stage was
 * entered, each with who, when and whether it counts. */
struct appr_ctx {
	struct cli *c;
	const char *stage;
	int64_t since;
	struct jw *w;
	int n;
};

static const struct ap_error *
on_approval(void *arg, const struct store_approval *ap)
{
	struct appr_ctx *x = arg;
	int role = lifecycle_role(&x->c->lc, ap->role);
	int st = lifecycle_stage_slug(&x->c->lc, x->stage);
	int acc = lifecycle_accountable(&x->c->lc, st);
	const char *kind =
	    role >= 0 && role != acc && x->c->lc.stages[st].signoff[role]
		? "signoff"
		: "approval";
	/* as the gate counts it: the approver holds the role under any of
	 * their names (a rename or a merge keeps it) */
	int counts = !*ap->role || (role >= 0 && ap->holds);

	if (strcmp(ap->stage, x->stage) != 0 || ap->epoch < x->since)
		return NULL;
	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "kind", kind);
		jw_kstr(x->w, "role", ap->role);
		jw_kstr(x->w, "person", ap->person);
		jw_kstr(x->w, "at", ap->at);
		jw_kstr(x->w, "note", ap->note);
		jw_kbool(x->w, "counts", counts);
		jw_end(x->w);
	} else {
		if (!x->n)
			fprintf(x->c->out, "Approvals and sign-offs:\n");
		text_linef(x->c->out, 4, "  %-8s %s by %s at %s%s", kind,
			   *ap->role ? ap->role : "-", ap->person, ap->at,
			   counts ? "" : " (withdrawn: no longer holds it)");
	}
	x->n++;
	return NULL;
}

/* Who did what of the gate being shown. */
struct who_ctx {
	const struct lifecycle *lc;
	const struct gate *g;
	struct gate_who *who;
	const char *stage;
	int64_t epoch;
};

static const struct ap_error *
on_ticked(void *arg, const struct store_criterion *cr)
{
	struct who_ctx *x = arg;
	char id[32];

	if (!cr->done || !cr->done_by)
		return NULL;
	snprintf(id, sizeof(id), "%lld", (long long)cr->id);
	for (size_t i = 0; i < x->g->n; i++)
		if (x->g->items[i].kind == GK_MANUAL &&
		    strcmp(x->g->items[i].id, id) == 0) {
			x->who[i].by = strdup(cr->done_by);
			x->who[i].at = cr->done_at ? strdup(cr->done_at) : NULL;
			x->who[i].note = cr->note ? strdup(cr->note) : NULL;
			if (!x->who[i].by || (cr->done_at && !x->who[i].at) ||
			    (cr->note && !x->who[i].note))
				return ap_error_nomem();
		}
	return NULL;
}

static const struct ap_error *
approvals_out(struct cli *c, const struct pstate *ps, int stage, struct jw *w)
{
	const struct ap_error *err;
	struct appr_ctx x = {c, stage_slug(c, stage), ps->p.epoch, w, 0};

	if (stage > ps->e.stage)
		x.since = INT64_MAX; /* not entered since it was reopened */
	else if (stage < ps->e.stage &&
		 (err = store_stage_entry_epoch(c->store, ps->p.id, x.stage,
						&x.since)))
		return err;
	if (w) {
		jw_key(w, "approvals");
		jw_arr(w);
	}
	err = store_approvals(c->store, ps->p.id, on_approval, &x);
	if (w)
		jw_end(w);
	return err;
}

static const struct ap_error *
on_approved(void *arg, const struct store_approval *ap)
{
	struct who_ctx *x = arg;

	int r = ap->role ? lifecycle_role(x->lc, ap->role) : -1;
	/* a sign-off: given in a role the gate asks one of, not its A */
	int signoff = r >= 0 &&
		      r != lifecycle_accountable(x->lc, x->g->stage) &&
		      x->lc->stages[x->g->stage].signoff[r];

	if (strcmp(ap->stage, x->stage) != 0 || ap->epoch < x->epoch)
		return NULL;
	for (size_t i = 0; i < x->g->n; i++) {
		struct gate_who *w = &x->who[i];
		struct gate_approver *v;
		const struct gate_item *it = &x->g->items[i];
		if (it->kind == GK_SIGNOFF
			? !signoff ||
			      strcmp(it->id + strlen("signoff:"), ap->role) != 0
			: it->kind != GK_APPROVAL || signoff)
			continue;
		v = realloc(w->approvals, (w->napprovals + 1) * sizeof(*v));
		if (!v)
			return ap_error_nomem();
		w->approvals = v;
		v = &v[w->napprovals++];
		v->person = strdup(ap->person);
		v->role = strdup(ap->role ? ap->role : "");
		v->at = strdup(ap->at);
		if (!v->person || !v->role || !v->at)
			return ap_error_nomem();
	}
	return NULL;
}

static void
who_free(struct gate_who *who, size_t n)
{
	for (size_t i = 0; who && i < n; i++) {
		free(who[i].by);
		free(who[i].at);
		free(who[i].note);
		for (size_t k = 0; k < who[i].napprovals; k++) {
			free(who[i].approvals[k].person);
			free(who[i].approvals[k].role);
			free(who[i].approvals[k].at);
		}
		free(who[i].approvals);
	}
	free(who);
}

/* Who ticked each criterion of gate g and who approved it (in this visit
 * of the stage), into *out: an entry an item. */
static const struct ap_error *
who_load(struct cli *c, const struct pstate *ps, const struct gate *g,
	 struct gate_who **out)
{
	const struct ap_error *err;
	struct who_ctx x = {
	    .lc = &c->lc, .g = g, .stage = stage_slug(c, g->stage)};

	*out = NULL;
	if (!(x.who = calloc(g->n ? g->n : 1, sizeof(*x.who))))
		return ap_error_nomem();
	if (!(err =
		  store_criteria(c->store, ps->p.id, x.stage, on_ticked, &x)) &&
	    !(err = store_stage_entry_epoch(c->store, ps->p.id, x.stage,
					    &x.epoch)))
		err = store_approvals(c->store, ps->p.id, on_approved, &x);
	if (err) {
		who_free(x.who, g->n);
		return err;
	}
	*out = x.who;
	return NULL;
}

const struct ap_error *
cmd_gate_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *sv = opt_val(a, "stage");
	struct pstate ps;
	struct gate g;
	struct gate_who *who;
	int stage = -1;

	if (sv && (err = lifecycle_resolve_stage(&c->lc, sv, &stage)))
		return err;
	if ((err = pstate_load(c, a->pos[0], stage, &ps)))
		return err;
	if (stage < 0)
		stage = ps.e.stage;
	if ((err = gate_eval(&c->lc, &ps.e, stage, &g))) {
		pstate_free(&ps);
		return err;
	}
	if ((err = who_load(c, &ps, &g, &who))) {
		gate_free(&g);
		pstate_free(&ps);
		return err;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", ps.p.name);
		jw_kstr(&w, "stage", stage_slug(c, stage));
		jw_kbool(&w, "current", stage == ps.e.stage);
		out_gate_json_who(c, &w, &g, who);
		err = approvals_out(c, &ps, stage, &w);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "%s at %s", ps.p.name, ps.p.stage);
		out_gate_text_who(c, &g, who);
		err = approvals_out(c, &ps, stage, NULL);
	}
	who_free(who, g.n);
	gate_free(&g);
	pstate_free(&ps);
	return err;
}

const struct ap_error *
cmd_gate_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *sv = opt_val(a, "stage"), *text = a->pos[1];
	struct store_project p;
	int64_t id;
	int stage;

	if ((err = lifecycle_resolve_stage(&c->lc, sv, &stage)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if (!(err =
		  eng_check_not_closed(p.name, p.status, "add a criterion")) &&
	    !(err = store_criterion_add(c->store, p.id, stage_slug(c, stage),
					text, &id))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "stage", stage_slug(c, stage));
			jw_kint(&w, "id", id);
			jw_kstr(&w, "text", text);
			jw_done(&w);
		} else {
			text_linef(c->out, 2,
				   "Added criterion %lld to the gate of %s"
				   " on '%s'",
				   (long long)id, stage_slug(c, stage), p.name);
		}
	}
	store_project_clear(&p);
	return err;
}

static const struct ap_error *
parse_id(const char *s, int64_t *id)
{
	long long v;
	const struct ap_error *err;

	if ((err = parse_whole("criterion id", s, 1, ID_MAX, &v)))
		return err;
	*id = v;
	return NULL;
}

/* The criteria of gate done and gate reopen: each id once, with its
 * stage and whether it was done. */
struct crit_set {
	int64_t id;
	char *stage;
	int was;
};

static void
crit_set_free(struct crit_set *v, int n)
{
	for (int i = 0; v && i < n; i++)
		free(v[i].stage);
	free(v);
}

/* Read every criterion named before anything is written: one that does
 * not exist is exit 3, and the command changes nothing. */
static const struct ap_error *
crit_set_load(struct cli *c, struct args *a, const struct store_project *p,
	      struct crit_set **out, int *n)
{
	const struct ap_error *err;
	struct crit_set *v;

	*n = 0;
	if (!(*out = calloc((size_t)a->npos, sizeof(**out))))
		return ap_error_nomem();
	v = *out;
	for (int i = 1; i < a->npos; i++) {
		int64_t id;
		int seen = 0;
		if ((err = parse_id(a->pos[i], &id)))
			return err;
		for (int k = 0; k < *n; k++)
			seen |= v[k].id == id;
		if (seen)
			continue;
		v[*n].id = id;
		if ((err = store_criterion_get(c->store, p->id, id,
					       &v[*n].stage, &v[*n].was))) {
			if (err->code == AP_EXIT_NOTFOUND)
				err = ap_error_fmt(
				    AP_EXIT_NOTFOUND,
				    "no criterion %lld on project '%s'"
				    " (see 'aiproj gate show %s')",
				    (long long)id, p->name, p->name);
			return err;
		}
		(*n)++;
	}
	return NULL;
}

static void
set_done_out(struct cli *c, const char *project, const struct crit_set *v,
	     int n, int done)
{
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", project);
		if (n > 1) {
			jw_key(&w, "criteria");
			jw_arr(&w);
		}
		for (int i = 0; i < n; i++) {
			if (n > 1)
				jw_obj(&w);
			jw_kint(&w, "id", v[i].id);
			jw_kstr(&w, "stage", v[i].stage);
			jw_kbool(&w, "done", done);
			jw_kbool(&w, "changed", v[i].was != done);
			if (n > 1)
				jw_end(&w);
		}
		if (n > 1)
			jw_end(&w);
		jw_done(&w);
		return;
	}
	for (int i = 0; i < n; i++)
		text_linef(c->out, 2, "Criterion %lld of %s on '%s' %s%s",
			   (long long)v[i].id, v[i].stage, project,
			   v[i].was == done ? "was already " : "is now ",
			   done ? "done" : "open");
}

static const struct ap_error *
set_done(struct cli *c, struct args *a, int done)
{
	const struct ap_error *err;
	const char *note = opt_val(a, "note");
	struct store_project p;
	struct crit_set *v = NULL;
	int n = 0;

	for (int i = 1; i < a->npos; i++) {
		int64_t id;
		if ((err = parse_id(a->pos[i], &id)))
			return err;
	}
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status,
					done ? "tick a criterion"
					     : "reopen a criterion")) ||
	    (err = crit_set_load(c, a, &p, &v, &n)))
		goto done;
	for (int i = 0; i < n; i++) {
		char sid[24];
		struct store_event ev = {.kind = "reopen",
					 .subject = sid,
					 .actor = c->actor,
					 .at = c->now};
		if (v[i].was == done)
			continue;
		if ((err = store_criterion_set(c->store, p.id, v[i].id, done,
					       c->actor, note, c->now)))
			goto done;
		snprintf(sid, sizeof(sid), "%lld", (long long)v[i].id);
		if (!done && (err = store_event_add(c->store, p.id, &ev)))
			goto done;
	}
	set_done_out(c, p.name, v, n, done);
done:
	crit_set_free(v, a->npos); /* (zeroed past n) */
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_gate_done(struct cli *c, struct args *a)
{
	return set_done(c, a, 1);
}

const struct ap_error *
cmd_gate_reopen(struct cli *c, struct args *a)
{
	return set_done(c, a, 0);
}

/* gate approve --as ROLE: a sign-off of the current gate in that role. */
static const struct ap_error *
sign_off(struct cli *c, struct pstate *ps, const char *as, const char *note,
	 const char *person)
{
	const struct ap_error *err;
	int role, given;

	if ((err = lifecycle_resolve_role(&c->lc, as, &role)) ||
	    (err = eng_check_signoff(&c->lc, &ps->e, c->actor, role,
				     pstate_holds(ps, role, c->actor))))
		return err;
	given = ps->e.signoffs[role] > 0;
	if (!given) {
		struct store_approval ap = {
		    .project_id = ps->p.id,
		    .stage = ps->p.stage,
		    .epoch = ps->p.epoch,
		    .person = person,
		    .role = c->lc.roles[role].slug,
		    .note = note,
		    .at = c->now,
		};
		if ((err = store_approval_add(c->store, &ap)))
			return err;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_project_doc(c, &w, &ps->p);
		jw_kstr(&w, "signed_off_by", c->actor);
		jw_kstr(&w, "role", c->lc.roles[role].slug);
		jw_kbool(&w, "changed", !given);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "%s the gate of %s on '%s' as %s",
			   given ? "Already signed off" : "Signed off",
			   ps->p.stage, ps->p.name, c->lc.roles[role].slug);
	}
	return NULL;
}

struct approval {
	const char *stage, *by;
};

/* An approval's own keys, for a hook's payload. */
static void
approval_fields(struct jw *w, const void *arg)
{
	const struct approval *ap = arg;

	jw_kstr(w, "stage", ap->stage);
	jw_kstr(w, "approved_by", ap->by);
	jw_kbool(w, "changed", 1);
}

const struct ap_error *
cmd_gate_approve(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *note = opt_val(a, "note"), *as = opt_val(a, "as");
	struct store_person_rec who;
	struct pstate ps;
	int acc, holds;

	/* the approval is the person's, by their name as first written */
	if ((err = store_person_find(c->store, c->actor, &who)))
		return err;
	if ((err = pstate_load(c, a->pos[0], -1, &ps))) {
		store_person_clear(&who);
		return err;
	}
	if ((err = cli_project_clock(c, ps.p.id)))
		goto done;
	if (as) {
		err = sign_off(c, &ps, as, note, who.id ? who.name : c->actor);
		goto done;
	}
	acc = lifecycle_accountable(&c->lc, ps.e.stage);
	holds = acc >= 0 && pstate_holds(&ps, acc, c->actor);
	if ((err = eng_check_active(&ps.e, "approve the gate of")) ||
	    (err = eng_check_approve(&c->lc, &ps.e, c->actor, holds)))
		goto done;
	if (ps.e.approvals == 0) {
		struct store_approval ap = {
		    .project_id = ps.p.id,
		    .stage = ps.p.stage,
		    .epoch = ps.p.epoch,
		    .person = who.id ? who.name : c->actor,
		    .role = acc >= 0 ? c->lc.roles[acc].slug : "",
		    .note = note,
		    .at = c->now,
		};
		struct approval f = {ps.p.stage, c->actor};
		if ((err = store_approval_add(c->store, &ap)) ||
		    (err = hook_fire(c, "approve", ps.p.name, approval_fields,
				     &f)))
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_project_doc(c, &w, &ps.p);
		jw_kstr(&w, "approved_by", c->actor);
		jw_kbool(&w, "changed", ps.e.approvals == 0);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "%s the gate of %s on '%s'%s%s",
			   ps.e.approvals ? "Already approved" : "Approved",
			   ps.p.stage, ps.p.name,
			   acc >= 0 ? " as "
				    : " (the stage has no accountable"
				      " role)",
			   acc >= 0 ? c->lc.roles[acc].slug : "");
	}
done:
	pstate_free(&ps);
	store_person_clear(&who);
	return err;
}
