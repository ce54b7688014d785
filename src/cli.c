/* cli.c - helpers shared by commands: a project's state, checks, output. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"

const char *
stage_slug(const struct cli *c, int idx)
{
	return c->lc.stages[idx].slug;
}

/* ---- project state for the engine ---- */

struct load_ctx {
	struct cli *c;
	struct pstate *ps;
};

static const struct ap_error *
on_assignment(void *arg, const struct store_assignment *a)
{
	struct load_ctx *l = arg;
	struct pstate *ps = l->ps;
	struct pstate_person *p;
	int r = lifecycle_role(&l->c->lc, a->role);

	if (r < 0)
		return NULL; /* a role the lifecycle no longer has */
	p = realloc(ps->people, (ps->npeople + 1) * sizeof(*p));
	if (!p)
		return ap_error_nomem();
	ps->people = p;
	p = &ps->people[ps->npeople];
	if (!(p->person = strdup(a->person)))
		return ap_error_nomem();
	p->role = r;
	ps->npeople++;
	ps->e.staffed[r]++;
	return NULL;
}

/* Keep `text` (malloc'd) until pstate_free(); freed on failure. */
static const struct ap_error *
pstate_own(struct pstate *ps, char *text)
{
	char **own = realloc(ps->owned, (ps->nowned + 1) * sizeof(*own));

	if (!own) {
		free(text);
		return ap_error_nomem();
	}
	ps->owned = own;
	ps->owned[ps->nowned++] = text;
	return NULL;
}

static const struct ap_error *
on_criterion(void *arg, const struct store_criterion *c)
{
	struct pstate *ps = ((struct load_ctx *)arg)->ps;
	struct eng_criterion *cr;
	const struct ap_error *err;
	char *text;

	cr = realloc(ps->crit, (ps->ncrit + 1) * sizeof(*cr));
	if (!cr)
		return ap_error_nomem();
	ps->crit = cr;
	if (!(text = strdup(c->text)))
		return ap_error_nomem();
	if ((err = pstate_own(ps, text)))
		return err;
	cr[ps->ncrit].id = (long)c->id;
	cr[ps->ncrit].text = text;
	cr[ps->ncrit].done = c->done;
	ps->ncrit++;
	return NULL;
}

static const struct ap_error *
on_decision(void *arg, const struct store_decision *d)
{
	struct pstate *ps = ((struct load_ctx *)arg)->ps;

	ps->e.decision = d->kind;
	ps->e.has_cost = d->has_cost;
	return NULL;
}

static const struct ap_error *
on_kpi(void *arg, const struct store_kpi *k)
{
	(void)k;
	((struct load_ctx *)arg)->ps->e.kpis++;
	return NULL;
}

/* The live release, kept until pstate_free(). */
static const struct ap_error *
on_live(void *arg, const struct store_release *r)
{
	struct pstate *ps = ((struct load_ctx *)arg)->ps;
	const struct ap_error *err;
	char *v = strdup(r->version), *at = strdup(r->at);

	if (!v || !at) {
		free(v);
		free(at);
		return ap_error_nomem();
	}
	if ((err = pstate_own(ps, v))) {
		free(at);
		return err;
	}
	if ((err = pstate_own(ps, at)))
		return err;
	ps->e.live = v;
	ps->e.live_since = at;
	return NULL;
}

const struct ap_error *
state_from_row(const struct lifecycle *lc, const struct store_status_row *row,
	       struct eng_project *e)
{
	int st = lifecycle_stage_slug(lc, row->stage);

	memset(e, 0, sizeof(*e));
	if (st < 0)
		return ap_error_fmt(AP_EXIT_STORE,
				    "project '%s' is at stage '%s', which the"
				    " store's lifecycle does not have",
				    row->project, row->stage);
	e->name = row->project;
	e->status = row->status;
	e->stage = st;
	for (size_t i = 0; i < row->nstaffed; i++) {
		int r = lifecycle_role(lc, row->staffed[i]);
		if (r >= 0)
			e->staffed[r] = 1;
	}
	e->ncriteria = (size_t)row->manual_total;
	e->ncriteria_done = (size_t)row->manual_done;
	e->decision = row->decision;
	e->has_cost = row->has_cost;
	e->kpis = row->kpis;
	e->approvals = row->approvals;
	if (row->nsigned) {
		/* the accountable role's approval and each sign-off */
		int acc = lifecycle_accountable(lc, st), approved = acc < 0;
		for (size_t i = 0; i < row->nsigned; i++) {
			int r = lifecycle_role(lc, row->signed_roles[i]);
			if (r >= 0 && r == acc)
				approved = 1;
			if (r >= 0 && lc->stages[st].signoff[r])
				e->signoffs[r] = 1;
		}
		if (!approved)
			e->approvals = 0;
	}
	return NULL;
}

/* History replayed for the stages started early and still open. */
static const struct ap_error *
on_move(void *arg, const struct store_transition *t)
{
	struct load_ctx *l = arg;
	struct pstate *ps = l->ps;
	int to = lifecycle_stage_slug(&l->c->lc, t->to);
	char *at;

	eng_open_note(&ps->e, t->kind, to);
	if (strcmp(t->kind, "back") == 0)
		memset(ps->started_at, 0, sizeof(ps->started_at));
	if (strcmp(t->kind, "start") != 0 || to < 0)
		return NULL;
	if (!(at = strdup(t->at)))
		return ap_error_nomem();
	ps->started_at[to] = at;
	return pstate_own(ps, at);
}

/* The sign-offs of the gate of `stage` (at or before the current one)
 * that count: since the stage was entered, by people who hold the role. */
static const struct ap_error *
load_signoffs(struct cli *c, struct pstate *ps, int stage)
{
	const struct ap_error *err;
	int64_t since = ps->p.epoch;

	if (stage < ps->e.stage &&
	    (err = store_stage_entry_epoch(c->store, ps->p.id,
					   c->lc.stages[stage].slug, &since)))
		return err;
	for (size_t r = 0; r < c->lc.nroles; r++)
		if (c->lc.stages[stage].signoff[r] &&
		    (err = store_approval_count(
			 c->store, ps->p.id, c->lc.stages[stage].slug, since,
			 c->lc.roles[r].slug, &ps->e.signoffs[r], NULL)))
			return err;
	return NULL;
}

const struct ap_error *
cli_project_now(struct cli *c, int64_t project, char now[32])
{
	const struct ap_error *err;
	char latest[32];

	if ((err = store_project_latest(c->store, project, latest)))
		return err;
	eng_project_time(c->now, latest, now);
	return NULL;
}

const struct ap_error *
cli_project_clock(struct cli *c, int64_t project)
{
	char now[32];
	const struct ap_error *err = cli_project_now(c, project, now);

	if (!err)
		memcpy(c->now, now, sizeof(now));
	return err;
}

const struct ap_error *
cli_project_get(struct cli *c, const char *name, struct store_project *p)
{
	const struct ap_error *err;

	if ((err = store_project_get(c->store, name, p)))
		return err;
	if ((err = cli_project_clock(c, p->id)))
		store_project_clear(p);
	return err;
}

const struct ap_error *
pstate_load(struct cli *c, const char *name, int stage, struct pstate *ps)
{
	const struct ap_error *err;
	struct load_ctx l = {c, ps};
	int cur;

	memset(ps, 0, sizeof(*ps));
	if ((err = store_project_get(c->store, name, &ps->p)))
		return err;
	{
		/* the project's row; the rest streams in below */
		struct store_status_row row = {.project = ps->p.name,
					       .status = ps->p.status,
					       .stage = ps->p.stage};
		if ((err = state_from_row(&c->lc, &row, &ps->e)))
			goto fail;
	}
	cur = ps->e.stage;
	if (stage < 0)
		stage = cur;
	if ((err = store_assignments(c->store, ps->p.id, on_assignment, &l)) ||
	    (err = store_criteria(c->store, ps->p.id, c->lc.stages[stage].slug,
				  on_criterion, &l)) ||
	    (err =
		 store_decision_latest(c->store, ps->p.id, on_decision, &l)) ||
	    (err = store_kpis(c->store, ps->p.id, on_kpi, &l)) ||
	    (err = store_release_live(c->store, ps->p.id, on_live, &l)))
		goto fail;
	/*
	 * An approval counts when given since the stage was last entered: for
	 * the current stage, in this epoch; for a passed stage, since the last
	 * move into it; a later stage has not been passed since it was
	 * reopened (or ever).
	 */
	if (stage <= cur) {
		int64_t since = ps->p.epoch;
		if (stage < cur &&
		    (err = store_stage_entry_epoch(
			 c->store, ps->p.id, c->lc.stages[stage].slug, &since)))
			goto fail;
		int acc = lifecycle_accountable(&c->lc, stage);
		char *withdrawn = NULL;
		if ((err = store_approval_count(
			 c->store, ps->p.id, c->lc.stages[stage].slug, since,
			 acc >= 0 ? c->lc.roles[acc].slug : "",
			 &ps->e.approvals, &withdrawn)))
			goto fail;
		if (withdrawn && (err = pstate_own(ps, withdrawn)))
			goto fail;
		ps->e.withdrawn = withdrawn;
	}
	if (stage <= cur && (err = load_signoffs(c, ps, stage)))
		goto fail;
	if ((err = store_transitions(c->store, ps->p.id, on_move, &l)))
		goto fail;
	eng_open_settle(&ps->e);
	for (size_t i = 0; i < LC_MAX_STAGES; i++)
		if (!ps->e.open[i])
			ps->started_at[i] = NULL;
	ps->e.criteria = ps->crit;
	ps->e.ncriteria = ps->ncrit;
	return NULL;
fail:
	pstate_free(ps);
	return err;
}

void
pstate_free(struct pstate *ps)
{
	store_project_clear(&ps->p);
	for (size_t i = 0; i < ps->nowned; i++)
		free(ps->owned[i]);
	free(ps->owned);
	free(ps->crit);
	for (size_t i = 0; i < ps->npeople; i++)
		free(ps->people[i].person);
	free(ps->people);
	memset(ps, 0, sizeof(*ps));
}

int
pstate_holds(const struct pstate *ps, int role, const char *person)
{
	for (size_t i = 0; i < ps->npeople; i++)
		if (ps->people[i].role == role &&
		    person_same(ps->people[i].person, person))
			return 1;
	return 0;
}

/* ---- administrators, as people ---- */

struct admin_find {
	const char *person;
	char *stored;
	int count, same;
};

static const struct ap_error *
on_admin_find(void *arg, const struct store_admin *ad)
{
	struct admin_find *x = arg;

	x->count++;
	if (!person_same(ad->person, x->person))
		return NULL;
	x->same++;
	if (!x->stored && !(x->stored = strdup(ad->person)))
		return ap_error_nomem();
	return NULL;
}

const struct ap_error *
admin_find(struct store *s, const char *person, char **stored, int *count,
	   int *same)
{
	const struct ap_error *err;
	struct admin_find x = {.person = person};

	if ((err = store_admins(s, on_admin_find, &x))) {
		free(x.stored);
		x.stored = NULL;
	}
	*stored = x.stored;
	if (count)
		*count = x.count;
	if (same)
		*same = x.same;
	return err;
}

/* Remember a refusal for the audit log (main.c logs it after the
 * command rolled back). */
void
note_refusal(struct cli *c, const char *action, const char *project,
	     const char *stage, const char *detail)
{
	c->refused = 1;
	snprintf(c->refused_action, sizeof(c->refused_action), "%s", action);
	snprintf(c->refused_project, sizeof(c->refused_project), "%s", project);
	snprintf(c->refused_stage, sizeof(c->refused_stage), "%s", stage);
	snprintf(c->refused_detail, sizeof(c->refused_detail), "%s", detail);
}

/*
 * The stage a rule judges: the project's current one (*stage), or the one
 * the command acts on: --stage (gate add, stage due) or the criterion's
 * (gate done, gate reopen).  A criterion that does not exist leaves the
 * current stage: the command says it does not exist.
 */
static const struct ap_error *
auth_stage(struct cli *c, const struct auth_rule *r, const struct args *a,
	   int64_t project, int *stage)
{
	const struct ap_error *err;
	const char *sv = opt_val(a, "stage");
	char *slug = NULL, *end;
	long long id;
	int was, st;

	if ((r->flags & AF_OPT_STAGE) && sv)
		return lifecycle_resolve_stage(&c->lc, sv, stage);
	if (!(r->flags & AF_CRIT_STAGE) || a->npos < 2)
		return NULL;
	id = strtoll(a->pos[1], &end, 10);
	if (*end || id < 1)
		return NULL;
	if ((err = store_criterion_get(c->store, project, id, &slug, &was)) &&
	    err->code != AP_EXIT_NOTFOUND)
		return err;
	if (slug && (st = lifecycle_stage_slug(&c->lc, slug)) >= 0)
		*stage = st;
	free(slug);
	return NULL;
}

/* component handover: the component's owner role, and whether the actor
 * holds it (*owner malloc'd; NULL when there is no such component). */
static const struct ap_error *
auth_owner(struct cli *c, const struct args *a, const struct pstate *ps,
	   struct auth_actor *who, char **owner)
{
	const struct ap_error *err;
	int role;

	if (a->npos < 2)
		return NULL;
	if ((err = store_component_owner(c->store, ps->p.id, a->pos[1], owner)))
		return err;
	if (*owner && (role = lifecycle_role(&c->lc, *owner)) >= 0)
		who->owner_held = who->held[role];
	who->owner = *owner;
	return NULL;
}

/* gate done and gate reopen with several ids: the rule must allow each
 * criterion's stage but the last (which eng_authorize judges). */
static const struct ap_error *
auth_stages(struct cli *c, const struct auth_rule *r, const struct args *a,
	    struct pstate *ps, const struct auth_actor *who)
{
	const struct ap_error *err;
	struct args one;
	int stage;

	if (!ps->p.name || !(r->flags & AF_CRIT_STAGE) || a->npos < 3 ||
	    (stage = lifecycle_stage_slug(&c->lc, ps->p.stage)) < 0)
		return NULL;
	one = *a;
	for (int i = 1; i < a->npos - 1; i++) {
		one.pos[1] = a->pos[i];
		ps->e.stage = stage;
		if ((err = auth_stage(c, r, &one, ps->p.id, &ps->e.stage)) ||
		    (err = eng_authorize(&c->lc, r, &ps->e, who)))
			return err;
	}
	one.pos[1] = a->pos[a->npos - 1];
	ps->e.stage = stage;
	return auth_stage(c, r, &one, ps->p.id, &ps->e.stage);
}

const struct ap_error *
authorize(struct cli *c, const struct args *a)
{
	const struct command *cmd = c->cmd;
	const struct auth_rule *r;
	const struct ap_error *err;
	unsigned char held[LC_MAX_ROLES] = {0};
	struct auth_actor who = {.name = c->actor, .held = held};
	struct pstate ps = {0};
	char words[64], cmd_words[64], *owner = NULL;

	if (!c->policy_roles || !(cmd->flags & CMD_WRITE))
		return NULL;
	snprintf(words, sizeof(words), "%s%s%s", cmd->group,
		 cmd->verb ? " " : "", cmd->verb ? cmd->verb : "");
	snprintf(cmd_words, sizeof(cmd_words), "%s", words);
	/* an option with a rule of its own: a sign-off (gate approve --as),
	 * a forced move (stage advance --force) */
	for (r = auth_rule_variant(words, NULL); r;
	     r = auth_rule_variant(words, r))
		if (opt_has(a, r->command + strlen(words) + 3)) {
			snprintf(words, sizeof(words), "%s", r->command);
			break;
		}
	if (!(r = auth_rule_find(words))) {
		err = ap_error_fmt(AP_EXIT_REFUSED,
				   "policy 'roles': '%s' may not %s: no rule"
				   " allows it",
				   c->actor, words);
		note_refusal(c, words, "", "", err->msg);
		return err;
	}
	{
		/* an administrator is a person: 'ADMIN' is Admin */
		char *stored = NULL;
		if ((err = admin_find(c->store, c->actor, &stored, &who.admins,
				      NULL)))
			return err;
		who.admin = stored != NULL;
		free(stored);
	}
	if (r->project >= 0 && r->project < a->npos) {
		if ((err = pstate_load(c, a->pos[r->project], -1, &ps)))
			return err;
		for (size_t i = 0; i < ps.npeople; i++)
			if (person_same(ps.people[i].person, c->actor))
				held[ps.people[i].role] = 1;
		/* a --force the gate does not need is the command's own */
		if ((r->flags & AF_FORCED) &&
		    !eng_advance_forced(&c->lc, &ps.e, 1))
			r = auth_rule_find(cmd_words);
	}
	/* one person whatever the case and spacing: 'ALICE' is alice */
	who.self = (r->flags & AF_SELF) && a->npos > 2 &&
		   person_same(a->pos[2], c->actor);
	if (ps.p.name && (err = auth_stage(c, r, a, ps.p.id, &ps.e.stage))) {
		pstate_free(&ps);
		return err;
	}
	if (ps.p.name && r->who == AW_OWNER &&
	    (err = auth_owner(c, a, &ps, &who, &owner))) {
		pstate_free(&ps);
		return err;
	}
	if (!(err = auth_stages(c, r, a, &ps, &who)))
		err = eng_authorize(&c->lc, r, ps.p.name ? &ps.e : NULL, &who);
	if (err && err->code == AP_EXIT_REFUSED)
		note_refusal(c, r->action, ps.p.name ? ps.p.name : "",
			     ps.p.name ? stage_slug(c, ps.e.stage) : "",
			     err->msg);
	else if (!err && r->who == AW_ADMIN && !who.admin)
		c->claimed = 1; /* the first admin of a store without one */
	pstate_free(&ps);
	free(owner);
	return err;
}

const struct ap_error *
parse_number(const char *what, const char *s, double *v)
{
	return parse_decimal(what, s, v);
}

void
out_doc(struct cli *c, struct jw *w)
{
	if (c->format == FMT_YAML)
		jw_init_yaml(w, c->out);
	else
		jw_init(w, c->out);
	jw_doc(w);
}

void
out_project_doc(struct cli *c, struct jw *w, const struct store_project *p)
{
	out_doc(c, w);
	jw_kstr(w, "project", p->name);
	jw_kstr(w, "stage", p->stage);
}

/* ---- a project's listing ---- */

void
listing_begin(struct listing *l, struct cli *c, const char *project,
	      const char *key, int ncols, const char *const *head,
	      const int *width)
{
	memset(l, 0, sizeof(*l));
	l->c = c;
	if (listing_doc(l)) {
		out_doc(c, &l->w);
		jw_kstr(&l->w, "project", project);
		jw_key(&l->w, key);
		jw_arr(&l->w);
	} else {
		table_begin(&l->t, c->out, c->format, ncols, head, width);
	}
}

int
listing_doc(const struct listing *l)
{
	return (l->c->format & (FMT_JSON | FMT_YAML)) != 0;
}

const struct ap_error *
listing_end(struct listing *l, const struct ap_error *err, const char *none,
	    const char *project)
{
	table_end(&l->t);
	if (!err && listing_doc(l))
		jw_done(&l->w);
	else if (!err && l->n == 0 && l->c->format == FMT_TEXT)
		text_linef(l->c->out, 2, none, project);
	return err;
}

void
person_titled(struct sbuf *b, const char *person, const char *title)
{
	/* (pieces, no printf: a report writes one a row) */
	sbuf_add(b, person, strlen(person));
	if (title) {
		sbuf_add(b, " (", 2);
		sbuf_add(b, title, strlen(title));
		sbuf_add(b, ")", 1);
	}
}

/* ---- gate output ---- */

void
out_gate_text(struct cli *c, const struct gate *g)
{
	out_gate_text_who(c, g, NULL);
}

void
out_gate_json(struct cli *c, struct jw *w, const struct gate *g)
{
	out_gate_json_who(c, w, g, NULL);
}

/* Where the lines of s wrapped after column `col` start: under its first
 * (col) when its longest word fits there, else at `col2`, else at 6 (under
 * the criterion's id). */
static int
gate_indent(const char *s, int col, int col2)
{
	int w = text_word_width(s), cols = out_columns();

	if (cols == 0 || col + w <= cols)
		return col;
	return col2 + w <= cols ? col2 : 6;
}

void
out_gate_text_who(struct cli *c, const struct gate *g,
		  const struct gate_who *who)
{
	FILE *f = c->out;
	int w = 2;

	for (size_t i = 0; i < g->n; i++)
		if ((int)strlen(g->items[i].id) > w)
			w = (int)strlen(g->items[i].id);
	fprintf(f, "Gate of %s: %zu of %zu met%s\n", stage_slug(c, g->stage),
		g->met, g->n, g->passed ? ", passes" : "");
	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->items[i];
		const char *on = "", *off = "";
		if (c->color) {
			on = it->done ? "\033[32m" : "\033[31m";
			off = "\033[0m";
		}
		fprintf(f, "  %s[%s]%s %-*s  ", on, it->done ? "x" : " ", off,
			w, it->id);
		text_wrap(f, it->text, w + 8, w + 8);
		fputc('\n', f);
		if (!it->done && it->hint) {
			/* continued under the command, or further left when
			 * a long project name does not fit there */
			fprintf(f, "      %*s  -> ", w, "");
			text_wrap(f, it->hint, w + 11,
				  gate_indent(it->hint, w + 11, w + 8));
			fputc('\n', f);
		}
		if (who && who[i].by) {
			char line[256];
			snprintf(
			    line, sizeof(line), "ticked by %s on %.10s %.5s",
			    who[i].by, who[i].at ? who[i].at : "?",
			    who[i].at && strlen(who[i].at) > 16 ? who[i].at + 11
								: "");
			fprintf(f, "      %*s  ", w, "");
			text_wrap(f, line, w + 8, gate_indent(line, w + 8, 6));
			fputc('\n', f);
		}
		if (who && who[i].by && who[i].note) {
			fprintf(f, "      %*s  note: ", w, "");
			text_wrap(f, who[i].note, w + 14, w + 14);
			fputc('\n', f);
		}
		for (size_t k = 0; who && k < who[i].napprovals; k++) {
			const struct gate_approver *ap = &who[i].approvals[k];
			char line[256];
			/* (role "": a stage without an accountable role) */
			snprintf(line, sizeof(line),
				 "approved by %s%s%s%s on %.10s %.5s",
				 ap->person, *ap->role ? " (" : "", ap->role,
				 *ap->role ? ")" : "", ap->at,
				 strlen(ap->at) > 16 ? ap->at + 11 : "");
			fprintf(f, "      %*s  ", w, "");
			text_wrap(f, line, w + 8, gate_indent(line, w + 8, 6));
			fputc('\n', f);
		}
	}
}

void
out_gate_json_who(struct cli *c, struct jw *w, const struct gate *g,
		  const struct gate_who *who)
{
	(void)c;
	jw_kbool(w, "passed", g->passed);
	jw_kint(w, "met", (int64_t)g->met);
	jw_kint(w, "total", (int64_t)g->n);
	jw_key(w, "criteria");
	jw_arr(w);
	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->items[i];
		jw_obj(w);
		jw_kstr(w, "id", it->id);
		jw_kstr(w, "kind", gate_kind_name(it->kind));
		jw_kstr(w, "text", it->text);
		jw_kbool(w, "done", it->done);
		jw_kstr(w, "hint", it->hint);
		if (who && it->kind == GK_MANUAL) {
			jw_kstr(w, "done_by", who[i].by);
			jw_kstr(w, "done_at", who[i].at);
			jw_kstr(w, "note", who[i].by ? who[i].note : NULL);
		}
		if (who && it->kind == GK_APPROVAL) {
			jw_key(w, "approvals");
			jw_arr(w);
			for (size_t k = 0; k < who[i].napprovals; k++) {
				const struct gate_approver *ap =
				    &who[i].approvals[k];
				jw_obj(w);
				jw_kstr(w, "person", ap->person);
				jw_kstr(w, "role", ap->role);
				jw_kstr(w, "at", ap->at);
				jw_end(w);
			}
			jw_end(w);
		}
		jw_end(w);
	}
	jw_end(w);
}

/* Record a policy refusal in a transaction of its own: the refused
 * command itself changed nothing. */
void
refusal_log(struct cli *c)
{
	const struct ap_error *err;
	struct store_audit a = {
	    .at = c->now,
	    .actor = c->actor,
	    .action = c->refused_action,
	    .project = c->refused_project,
	    .stage = c->refused_stage,
	    .detail = c->refused_detail,
	};

	store_rollback(c->store);
	if ((err = store_begin(c->store, 1)) ||
	    (err = store_audit_add(c->store, &a)) ||
	    (err = store_commit(c->store))) {
		store_rollback(c->store);
		fprintf(stderr,
			"aiproj: warning: the refusal was not logged: %s\n",
			err->msg);
	}
}
