/* cmd_stage.c - the stage commands: list, show, advance, back, start,
 * history (check: cmd_stage_check.c). */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"
#include "cmd_report_visits.h"

static void
role_list_json(struct jw *w, const struct cli *c, int stage, int raci)
{
	jw_arr(w);
	for (size_t r = 0; r < c->lc.nroles; r++)
		if (c->lc.stages[stage].raci[r] == raci)
			jw_str(w, c->lc.roles[r].slug);
	jw_end(w);
}

static void
role_list_text(struct sbuf *b, const struct cli *c, int stage, int raci)
{
	for (size_t r = 0; r < c->lc.nroles; r++)
		if (c->lc.stages[stage].raci[r] == raci)
			sbuf_printf(b, "%s%s", b->len ? "," : "",
				    c->lc.roles[r].slug);
	if (!b->len)
		sbuf_add(b, "-", 1);
}

const struct ap_error *
cmd_stage_list(struct cli *c, struct args *a)
{
	static const char *const head[] = {"#", "STAGE", "A", "R", "C"};
	struct table t;
	struct jw w;

	(void)a;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_key(&w, "stages");
		jw_arr(&w);
	} else {
		table_begin(&t, c->out, c->format, 5, head, NULL);
	}
	for (size_t i = 0; i < c->lc.nstages; i++) {
		const struct lc_stage *s = &c->lc.stages[i];
		if (c->format & (FMT_JSON | FMT_YAML)) {
			jw_obj(&w);
			jw_kint(&w, "number", (int64_t)i + 1);
			jw_kstr(&w, "slug", s->slug);
			jw_kstr(&w, "name", s->name);
			jw_kstr(&w, "description", s->description);
			jw_key(&w, "accountable");
			role_list_json(&w, c, (int)i, RACI_A);
			jw_key(&w, "responsible");
			role_list_json(&w, c, (int)i, RACI_R);
			jw_key(&w, "consulted");
			role_list_json(&w, c, (int)i, RACI_C);
			jw_key(&w, "requires");
			jw_arr(&w);
			if (s->requires_decision)
				jw_str(&w, "decision");
			if (s->requires_kpi)
				jw_str(&w, "kpi");
			jw_end(&w);
			jw_key(&w, "criteria");
			jw_arr(&w);
			for (size_t k = 0; k < s->ncriteria; k++)
				jw_str(&w, s->criteria[k]);
			jw_end(&w);
			jw_kstr(&w, "starts_after",
				s->starts_after >= 0
				    ? c->lc.stages[s->starts_after].slug
				    : NULL);
			jw_key(&w, "signoffs");
			jw_arr(&w);
			for (size_t r = 0; r < c->lc.nroles; r++)
				if (s->signoff[r])
					jw_str(&w, c->lc.roles[r].slug);
			jw_end(&w);
			jw_end(&w);
		} else {
			struct sbuf ra = {0}, rr = {0}, rc = {0};
			char num[24];
			snprintf(num, sizeof(num), "%zu", i + 1);
			role_list_text(&ra, c, (int)i, RACI_A);
			role_list_text(&rr, c, (int)i, RACI_R);
			role_list_text(&rc, c, (int)i, RACI_C);
			const char *row[] = {num, s->slug, ra.s, rr.s, rc.s};
			table_row(&t, row);
			sbuf_free(&ra);
			sbuf_free(&rr);
			sbuf_free(&rc);
		}
	}
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&w);
	else
		table_end(&t);
	return NULL;
}

/* People in the roles that are A or R for the stage. */
static void
on_the_hook(struct cli *c, const struct pstate *ps, struct jw *w)
{
	int st = ps->e.stage;

	if (w) {
		jw_key(w, "on_the_hook");
		jw_arr(w);
	} else {
		fprintf(c->out, "On the hook now:\n");
	}
	for (size_t r = 0; r < c->lc.nroles; r++) {
		int raci = c->lc.stages[st].raci[r];
		if (!eng_raci_on_hook(raci))
			continue;
		if (w) {
			jw_obj(w);
			jw_kstr(w, "role", c->lc.roles[r].slug);
			jw_kstr(w, "raci", raci_letter(raci));
			jw_key(w, "people");
			jw_arr(w);
		} else {
			fprintf(c->out, "  %-16s %s  ", c->lc.roles[r].slug,
				raci_letter(raci));
		}
		int n = 0;
		for (size_t i = 0; i < ps->npeople; i++)
			if (ps->people[i].role == (int)r) {
				if (w)
					jw_str(w, ps->people[i].person);
				else {
					/* one person a line, wrapped */
					if (n)
						fprintf(c->out, ",\n%22s", "");
					text_wrap(c->out, ps->people[i].person,
						  22, 24);
				}
				n++;
			}
		if (w)
			jw_end(w), jw_end(w);
		else
			fprintf(c->out, "%s\n",
				eng_role_gap(&c->lc, st, (int)r, n)
				    ? "nobody (gap)"
				    : "");
	}
	if (w)
		jw_end(w);
}

/* The open stages: the current one and those started early. */
static void
open_json(struct cli *c, const struct pstate *ps, struct jw *w)
{
	jw_key(w, "open");
	jw_arr(w);
	for (size_t i = 0; i < c->lc.nstages; i++) {
		if (!eng_stage_open(&ps->e, (int)i))
			continue;
		jw_obj(w);
		jw_kstr(w, "stage", c->lc.stages[i].slug);
		jw_kstr(w, "since",
			ps->started_at[i] ? ps->started_at[i]
					  : ps->p.entered_at);
		jw_kbool(w, "early", ps->started_at[i] != NULL);
		jw_end(w);
	}
	jw_end(w);
}

const struct ap_error *
cmd_stage_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct pstate ps;
	struct gate g;
	char dur[32];
	double in_stage;

	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = gate_eval(&c->lc, &ps.e, ps.e.stage, &g))) {
		pstate_free(&ps);
		return err;
	}
	in_stage =
	    stamp_diff(ps.p.entered_at,
		       stage_clock_end(ps.p.status, ps.p.status_at, c->now));
	human_duration(in_stage, dur, sizeof(dur));
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_project_doc(c, &w, &ps.p);
		jw_kstr(&w, "stage_name", c->lc.stages[ps.e.stage].name);
		jw_kint(&w, "stage_number", ps.e.stage + 1);
		jw_kint(&w, "stages", (int64_t)c->lc.nstages);
		jw_kstr(&w, "status", proj_status_name(ps.p.status));
		jw_kstr(&w, "entered_at", ps.p.entered_at);
		jw_knum(&w, "seconds_in_stage", (double)(int64_t)in_stage);
		live_json(&w, ps.e.live, ps.e.live_since);
		open_json(c, &ps, &w);
		jw_key(&w, "gate");
		jw_obj(&w);
		jw_kstr(&w, "stage", ps.p.stage);
		out_gate_json(c, &w, &g);
		jw_end(&w);
		on_the_hook(c, &ps, &w);
		jw_done(&w);
	} else {
		const char *b = c->color ? "\033[1m" : "",
			   *e = c->color ? "\033[0m" : "";
		char *rest = NULL;
		fprintf(c->out, "%s%s%s", b, ps.p.name, e);
		if (asprintf(&rest, "  %s  stage %d of %zu: %s",
			     proj_status_name(ps.p.status), ps.e.stage + 1,
			     c->lc.nstages,
			     c->lc.stages[ps.e.stage].name) >= 0) {
			text_wrap(c->out, rest, (int)strlen(ps.p.name), 2);
			free(rest);
		}
		fputc('\n', c->out);
		if (ps.e.live)
			text_linef(c->out, 2, "  live: %s (since %s)",
				   ps.e.live, ps.e.live_since);
		/* the open stages' dates in a column after the widest */
		int sw = 0;
		for (size_t i = 0; i < c->lc.nstages; i++)
			if (eng_stage_open(&ps.e, (int)i) &&
			    text_width(c->lc.stages[i].slug) > sw)
				sw = text_width(c->lc.stages[i].slug);
		for (size_t i = 0; i < c->lc.nstages; i++) {
			int here = (int)i == ps.e.stage;
			if (here || ps.started_at[i]) {
				char when[96];
				int ind = 6 + sw + 2;
				if (here)
					snprintf(when, sizeof(when),
						 "since %s (%s)",
						 ps.p.entered_at, dur);
				else
					snprintf(when, sizeof(when),
						 "started early %s",
						 ps.started_at[i]);
				fprintf(c->out, "  [>] %s", b);
				pad_text(c->out, c->lc.stages[i].slug, sw);
				fprintf(c->out, "%s  ", e);
				if (out_columns() &&
				    ind + text_word_width(when) > out_columns())
					ind = 6;
				text_wrap(c->out, when, 6 + sw + 2, ind);
				fputc('\n', c->out);
			} else
				fprintf(c->out, "  [%s] %s\n",
					(int)i < ps.e.stage ? "x" : " ",
					c->lc.stages[i].slug);
		}
		fputc('\n', c->out);
		out_gate_text(c, &g);
		fputc('\n', c->out);
		on_the_hook(c, &ps, NULL);
	}
	gate_free(&g);
	pstate_free(&ps);
	return NULL;
}

struct move {
	const char *project;
	const char *from, *to, *kind, *reason;
	int reopened_stages;
	/* a back-jump: the stages started early it closed */
	const char *closed[LC_MAX_STAGES];
	int nclosed;
};

/* A move's own keys, for a hook's payload (the same as move_out's). */
static void
move_fields(struct jw *w, const void *arg)
{
	const struct move *m = arg;

	jw_kstr(w, "from", m->from);
	jw_kstr(w, "to", m->to);
	jw_kstr(w, "kind", m->kind);
	jw_kstr(w, "reason", m->reason);
	if (m->kind && strcmp(m->kind, "back") == 0)
		jw_kint(w, "reopened_stages", m->reopened_stages);
}

static void
move_out(struct cli *c, const struct move *m)
{
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", m->project);
		jw_kstr(&w, "from", m->from);
		jw_kstr(&w, "to", m->to);
		jw_kstr(&w, "kind", m->kind);
		jw_kstr(&w, "actor", c->actor);
		jw_kstr(&w, "reason", m->reason);
		jw_kstr(&w, "at", c->now);
		if (strcmp(m->kind, "back") == 0) {
			jw_kint(&w, "reopened_stages", m->reopened_stages);
			if (m->nclosed) {
				jw_key(&w, "closed");
				jw_arr(&w);
				for (int i = 0; i < m->nclosed; i++)
					jw_str(&w, m->closed[i]);
				jw_end(&w);
			}
		}
		jw_done(&w);
		return;
	}
	/* (text_linef shows the reason as a terminal should, wrapped) */
	if (strcmp(m->kind, "forced") == 0)
		text_linef(c->out, 2, "%s: %s -> %s (forced: %s)", m->project,
			   m->from, m->to, m->reason);
	else if (strcmp(m->kind, "back") == 0 && m->nclosed) {
		struct sbuf b = {0};
		for (int i = 0; i < m->nclosed; i++)
			sbuf_printf(&b, "%s%s", i ? ", " : "", m->closed[i]);
		text_linef(c->out, 2,
			   "%s: %s -> %s (back; gates of %d stages reopened;"
			   " started early, now closed: %s)",
			   m->project, m->from, m->to, m->reopened_stages, b.s);
		sbuf_free(&b);
	} else if (strcmp(m->kind, "back") == 0)
		text_linef(c->out, 2,
			   "%s: %s -> %s (back; gates of %d stages reopened)",
			   m->project, m->from, m->to, m->reopened_stages);
	else if (strcmp(m->kind, "start") == 0)
		text_linef(c->out, 2, "%s: %s started early (still at %s)",
			   m->project, m->to, m->from);
	else
		text_linef(c->out, 2, "%s: %s -> %s", m->project, m->from,
			   m->to);
}

/* Resolve --expect, if given, to a stage index (or -1). */
static const struct ap_error *
expect_arg(struct cli *c, struct args *a, int *expect)
{
	const char *e = opt_val(a, "expect");

	*expect = -1;
	return e ? lifecycle_resolve_stage(&c->lc, e, expect) : NULL;
}

static const struct ap_error *
record_move(struct cli *c, struct pstate *ps, int to, const char *kind,
	    const char *reason)
{
	const struct ap_error *err;
	struct store_transition t = {
	    .project_id = ps->p.id,
	    .from = ps->p.stage,
	    .to = c->lc.stages[to].slug,
	    .kind = kind,
	    .actor = c->actor,
	    .reason = reason,
	    .at = c->now,
	};

	if ((err = store_project_move(c->store, ps->p.id, t.to, c->now)))
		return err;
	return store_transition_add(c->store, &t);
}

const struct ap_error *
cmd_stage_advance(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *reason = opt_val(a, "reason");
	int force = opt_has(a, "force"), expect, to;
	const char *kind = "advance";
	struct pstate ps;

	if (force && !reason)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "--force needs --reason TEXT: a forced move"
				    " is recorded with its reason");
	if ((err = expect_arg(c, a, &expect)))
		return err;
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = cli_project_clock(c, ps.p.id))) {
		pstate_free(&ps);
		return err;
	}
	if (!(err = eng_check_expect(&c->lc, &ps.e, expect)) &&
	    !(err = eng_check_active(&ps.e, "advance")) &&
	    !(err = eng_check_advance(&c->lc, &ps.e, force, reason, &to))) {
		/* a --force the gate did not need is an ordinary advance */
		if (eng_advance_forced(&c->lc, &ps.e, force))
			kind = "forced";
		if (!(err = record_move(c, &ps, to, kind, reason))) {
			struct move m = {.project = ps.p.name,
					 .from = ps.p.stage,
					 .to = stage_slug(c, to),
					 .kind = kind,
					 .reason = reason};
			move_out(c, &m);
			err = hook_fire(c, "move", m.project, move_fields, &m);
		}
	}
	pstate_free(&ps);
	return err;
}

static const struct ap_error *
load_kpi(void *arg, const struct store_kpi *k)
{
	struct kpi_list *l = arg;
	struct eng_kpi *m = realloc(l->k, (l->n + 1) * sizeof(*m));

	if (!m)
		return ap_error_nomem();
	l->k = m;
	m = &m[l->n];
	memset(m, 0, sizeof(*m));
	if (!(m->name = strdup(k->name)))
		return ap_error_nomem();
	l->n++;
	m->op = kpi_op_parse(k->op);
	m->target = k->target;
	m->has_reading = k->has_reading;
	m->value = k->value;
	m->breach = eng_breach_open(k->read_breach, k->read_at, l->last_back,
				    m->op, m->target, m->value, l->closed);
	if (m->breach && !(m->breach_at = strdup(k->read_at)))
		return ap_error_nomem();
	return NULL;
}

void
kpi_list_free(struct kpi_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->k[i].name);
		free((char *)l->k[i].breach_at);
	}
	free(l->k);
	free(l->last_back);
}

const struct ap_error *
kpi_list_load(struct cli *c, const struct store_project *p, struct kpi_list *l)
{
	const struct ap_error *err;
	int64_t project = p->id;

	l->closed = p->status == PS_CLOSED;
	if ((err = store_last_back(c->store, project, &l->last_back)))
		return err;
	return store_kpis(c->store, project, load_kpi, l);
}

/* The reason of a back-jump for the first open breach: "breach of KPI:
 * VALUE misses OP TARGET (since AT)[: REASON]". */
static char *
breach_reason(const struct eng_kpi *k, const char *reason)
{
	char v[40], t[40], *out = NULL;

	fmt_num(v, sizeof(v), k->value);
	fmt_num(t, sizeof(t), k->target);
	if (asprintf(&out, "breach of %s: %s misses %s %s (since %s)%s%s",
		     k->name, v, kpi_op_name(k->op), t, k->breach_at,
		     reason ? ": " : "", reason ? reason : "") < 0)
		return NULL;
	return out;
}

const struct ap_error *
cmd_stage_back(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *reason = opt_val(a, "reason"), *tos = opt_val(a, "to");
	const char *reopen[LC_MAX_STAGES];
	int expect, to = -1, breach = opt_has(a, "breach");
	struct kpi_list kl = {0};
	char *why = NULL;
	struct pstate ps;
	size_t n = 0;

	if (breach && tos)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "stage back takes --breach or --to STAGE,"
				    " not both: --breach goes to the"
				    " lifecycle's on_breach stage");
	if ((!breach && (err = lifecycle_resolve_stage(&c->lc, tos, &to))) ||
	    (err = expect_arg(c, a, &expect)))
		return err;
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = cli_project_clock(c, ps.p.id))) {
		pstate_free(&ps);
		return err;
	}
	if ((err = eng_check_expect(&c->lc, &ps.e, expect)) ||
	    (err = eng_check_active(&ps.e, "move back")))
		goto done;
	if (breach) {
		const struct eng_kpi *open = NULL;
		if ((err = kpi_list_load(c, &ps.p, &kl)))
			goto done;
		for (size_t i = 0; i < kl.n && !open; i++)
			if (kl.k[i].breach)
				open = &kl.k[i];
		if ((err = eng_check_breach_back(
			 &c->lc, &ps.e, open ? open->name : NULL, &to)))
			goto done;
		if (!(why = breach_reason(open, reason))) {
			err = ap_error_nomem();
			goto done;
		}
		reason = why;
	}
	if ((err = eng_check_back(&c->lc, &ps.e, to, reason)))
		goto done;
	for (size_t i = (size_t)to; i < c->lc.nstages; i++)
		reopen[n++] = c->lc.stages[i].slug;
	if ((err = store_criteria_reopen(c->store, ps.p.id, reopen, n)) ||
	    (err = record_move(c, &ps, to, "back", reason)))
		goto done;
	{
		struct move m = {.project = ps.p.name,
				 .from = ps.p.stage,
				 .to = stage_slug(c, to),
				 .kind = "back",
				 .reason = reason,
				 .reopened_stages = (int)n};
		for (size_t i = 0; i < c->lc.nstages; i++)
			if (ps.started_at[i])
				m.closed[m.nclosed++] = c->lc.stages[i].slug;
		move_out(c, &m);
		err = hook_fire(c, "move", m.project, move_fields, &m);
	}
done:
	free(why);
	kpi_list_free(&kl);
	pstate_free(&ps);
	return err;
}

const struct ap_error *
cmd_stage_start(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *reason = opt_val(a, "reason");
	int expect, st;
	struct pstate ps;

	if ((err = lifecycle_resolve_stage(&c->lc, a->pos[1], &st)) ||
	    (err = expect_arg(c, a, &expect)))
		return err;
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = cli_project_clock(c, ps.p.id))) {
		pstate_free(&ps);
		return err;
	}
	if (!(err = eng_check_expect(&c->lc, &ps.e, expect)) &&
	    !(err = eng_check_start(&c->lc, &ps.e, st))) {
		/* a start moves nothing: the project stays where it is */
		struct store_transition t = {
		    .project_id = ps.p.id,
		    .from = ps.p.stage,
		    .to = stage_slug(c, st),
		    .kind = "start",
		    .actor = c->actor,
		    .reason = reason,
		    .at = c->now,
		};
		if (!(err = store_transition_add(c->store, &t))) {
			struct move m = {.project = ps.p.name,
					 .from = ps.p.stage,
					 .to = t.to,
					 .kind = "start",
					 .reason = reason};
			move_out(c, &m);
			/* for hooks a start is a move of kind "start" */
			err = hook_fire(c, "move", m.project, move_fields, &m);
		}
	}
	pstate_free(&ps);
	return err;
}

struct hist_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	int n;
	struct status_changes sc;
	double since; /* when the visit being read began */
};

/* Days active and held of the visit from h->since to `until`. */
static void
hist_days(const struct hist_ctx *h, double until, char days[16], char held[16])
{
	double act, hld;

	eng_visit_time(h->since, until, h->sc.v, h->sc.n, &act, &hld);
	snprintf(days, 16, "%.1f", act / 86400.0);
	snprintf(held, 16, "%.1f", hld / 86400.0);
}

/* A buy's skipped stages, a row each under the buy. */
static void
hist_skipped(struct hist_ctx *h, const struct store_transition *t)
{
	const struct lifecycle *lc = &h->c->lc;
	int first, n = eng_skipped(t->kind, lifecycle_stage_slug(lc, t->from),
				   lifecycle_stage_slug(lc, t->to), &first);

	for (int i = 0; i < n; i++) {
		const char *row[] = {t->at,     lc->stages[first + i].slug,
				     "-",       "-",
				     "skipped", t->actor,
				     ""};
		table_row(&h->t, row);
	}
}

static const struct ap_error *
on_transition(void *arg, const struct store_transition *t)
{
	struct hist_ctx *h = arg;
	double at = stamp_secs(t->at);
	char days[16] = "-", held[16] = "-";
	/* a stage started early ends no visit: the project stays */
	int start = t->kind && strcmp(t->kind, "start") == 0;

	if (!start) {
		hist_days(h, at, days, held);
		h->since = at;
	}
	if (h->c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(&h->w);
		jw_kstr(&h->w, "from", t->from);
		jw_kstr(&h->w, "to", t->to);
		jw_kstr(&h->w, "kind", t->kind);
		jw_kstr(&h->w, "actor", t->actor);
		jw_kstr(&h->w, "reason", t->reason);
		jw_kstr(&h->w, "at", t->at);
		if (start) {
			jw_key(&h->w, "days");
			jw_null(&h->w);
			jw_key(&h->w, "held_days");
			jw_null(&h->w);
		} else {
			jw_knum(&h->w, "days", strtod(days, NULL));
			jw_knum(&h->w, "held_days", strtod(held, NULL));
		}
		skipped_json(&h->w, &h->c->lc, t->kind, t->from, t->to);
		jw_end(&h->w);
	} else {
		char tr[160];
		snprintf(tr, sizeof(tr), "%s -> %s", t->from, t->to);
		const char *row[] = {t->at,
				     tr,
				     days,
				     held,
				     t->kind,
				     t->actor,
				     t->reason ? t->reason : ""};
		table_row(&h->t, row);
		hist_skipped(h, t);
	}
	h->n++;
	return NULL;
}

const struct ap_error *
cmd_stage_history(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct hist_ctx h = {.c = c};
	char days[16], held[16];

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = status_changes_load(c, &p, &h.sc))) {
		store_project_clear(&p);
		return err;
	}
	h.since = stamp_secs(p.created_at);
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &h.w);
		jw_kstr(&h.w, "project", p.name);
		jw_kstr(&h.w, "stage", p.stage);
		jw_key(&h.w, "transitions");
		jw_arr(&h.w);
	} else {
		static const char *const head[] = {
		    "AT",   "TRANSITION", "DAYS",  "HELD",
		    "KIND", "ACTOR",      "REASON"};
		static const int width[] = {24, 42, 0, 0, 7, 12, 0};
		table_begin(&h.t, c->out, c->format, 7, head, width);
		table_keep(&h.t, TABLE_COL(5)); /* the actor */
	}
	err = store_transitions(c->store, p.id, on_transition, &h);
	/* the visit under way: to now (the clock stopped at close) */
	hist_days(&h, stamp_secs(c->now), days, held);
	if (!err && c->format & (FMT_JSON | FMT_YAML)) {
		jw_end(&h.w);
		jw_knum(&h.w, "days_in_stage", strtod(days, NULL));
		jw_knum(&h.w, "held_days", strtod(held, NULL));
		jw_done(&h.w);
	} else if (!err) {
		/* a last row: the stage it is in, its days so far */
		char in[96];
		int closed = p.status == PS_CLOSED;
		snprintf(in, sizeof(in), "in %s", p.stage);
		const char *row[] = {
		    closed ? p.status_at : c->now, in,  days, held,
		    closed ? "closed" : "now",     "-", ""};
		table_row(&h.t, row);
	}
	table_end(&h.t);
	status_changes_free(&h.sc);
	store_project_clear(&p);
	return err;
}
