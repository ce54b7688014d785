/* cmd_decide.c - decide: make or buy.  A buy moves the project to the
 * lifecycle's on_buy stage, or closes it as bought (on_buy: close). */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct decided {
	struct cli *c;
	const struct store_decision *d;
	const char *status, *outcome;
	const char *from, *to; /* a buy's move, else NULL */
};

void
skipped_json(struct jw *w, const struct lifecycle *lc, const char *kind,
	     const char *from, const char *to)
{
	int first, n = eng_skipped(kind, lifecycle_stage_slug(lc, from),
				   lifecycle_stage_slug(lc, to), &first);

	if (!kind || strcmp(kind, "buy") != 0)
		return;
	jw_key(w, "skipped");
	jw_arr(w);
	for (int i = 0; i < n; i++)
		jw_str(w, lc->stages[first + i].slug);
	jw_end(w);
}

int
skipped_text(struct sbuf *b, const struct lifecycle *lc, const char *kind,
	     const char *from, const char *to)
{
	int first, n = eng_skipped(kind, lifecycle_stage_slug(lc, from),
				   lifecycle_stage_slug(lc, to), &first);

	for (int i = 0; i < n; i++)
		sbuf_printf(b, "%s%s", i ? ", " : "",
			    lc->stages[first + i].slug);
	return n;
}

/* The decision's own keys: the command's JSON output after "project",
 * and a hook's payload. */
static void
decided_fields(struct jw *w, const void *arg)
{
	const struct decided *x = arg;

	jw_kstr(w, "decision", decision_kind_name(x->d->kind));
	jw_key(w, "cost");
	if (x->d->has_cost)
		jw_num(w, x->d->cost);
	else
		jw_null(w);
	jw_kstr(w, "reason", x->d->reason);
	jw_kstr(w, "status", x->status);
	jw_kstr(w, "outcome", x->outcome);
	if (!x->to)
		return;
	jw_kstr(w, "from", x->from);
	jw_kstr(w, "to", x->to);
	skipped_json(w, &x->c->lc, "buy", x->from, x->to);
}

/* A move's keys for the move hooks: those of stage advance, kind buy. */
static void
bought_move_fields(struct jw *w, const void *arg)
{
	const struct decided *x = arg;

	jw_kstr(w, "from", x->from);
	jw_kstr(w, "to", x->to);
	jw_kstr(w, "kind", "buy");
	jw_kstr(w, "reason", x->d->reason);
	skipped_json(w, &x->c->lc, "buy", x->from, x->to);
}

/* A buy that moves the project: the transition of kind buy. */
static const struct ap_error *
buy_move(struct cli *c, const struct pstate *ps, struct decided *x)
{
	const struct ap_error *err;
	struct store_transition t = {
	    .project_id = ps->p.id,
	    .from = x->from,
	    .to = x->to,
	    .kind = "buy",
	    .actor = c->actor,
	    .reason = x->d->reason,
	    .at = c->now,
	};

	if ((err = store_project_move(c->store, ps->p.id, t.to, c->now)) ||
	    (err = store_transition_add(c->store, &t)))
		return err;
	return hook_fire(c, "move", ps->p.name, bought_move_fields, x);
}

static void
decided_out(struct cli *c, const struct pstate *ps, const struct decided *x)
{
	const struct store_decision *d = x->d;
	char num[40];
	struct sbuf b = {0};

	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", ps->p.name);
		decided_fields(&w, x);
		jw_done(&w);
		return;
	}
	fmt_num(num, sizeof(num), d->cost);
	text_linef(c->out, 2, "Decision for '%s': %s%s%s", ps->p.name,
		   decision_kind_name(d->kind), d->has_cost ? ", cost " : "",
		   d->has_cost ? num : "");
	if (x->outcome)
		text_linef(c->out, 2, "Project '%s' is %s: %s", ps->p.name,
			   x->status, x->outcome);
	if (!x->to)
		return;
	if (skipped_text(&b, &c->lc, "buy", x->from, x->to))
		text_linef(c->out, 2, "%s: %s -> %s (buy; skipped: %s)",
			   ps->p.name, x->from, x->to, b.s);
	else
		text_linef(c->out, 2, "%s: %s -> %s (buy)", ps->p.name, x->from,
			   x->to);
	sbuf_free(&b);
}

const struct ap_error *
cmd_decide(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *cost = opt_val(a, "cost");
	struct store_decision d = {0};
	struct decided x = {.c = c, .d = &d};
	struct eng_decided out;
	struct pstate ps;

	d.kind = decision_kind_parse(a->pos[1]); /* make or buy: checked */
	if (cost) {
		if ((err = parse_number("cost", cost, &d.cost)))
			return err;
		d.has_cost = 1;
	}
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = cli_project_clock(c, ps.p.id))) {
		pstate_free(&ps);
		return err;
	}
	if ((err = eng_check_decide(&c->lc, &ps.e)))
		goto done;
	d.project_id = ps.p.id;
	d.reason = opt_val(a, "reason");
	d.actor = c->actor;
	d.at = c->now;
	if ((err = store_decision_add(c->store, &d)))
		goto done;
	eng_decide_outcome(&c->lc, &ps.e, d.kind, d.reason, &out);
	x.status = proj_status_name(out.closes ? out.ch.to : ps.p.status);
	x.outcome = out.closes ? out.ch.outcome : NULL;
	if (out.to >= 0) {
		x.from = ps.p.stage;
		x.to = stage_slug(c, out.to);
		if ((err = buy_move(c, &ps, &x)))
			goto done;
	}
	if (out.closes) {
		/* closed as bought: logged as a close, as project close logs
		 * one (the log, the feed and their readers see it) */
		struct store_event ev = {.kind = eng_status_verb(out.ch.to),
					 .note = out.ch.reason,
					 .actor = c->actor,
					 .at = d.at};
		if ((err = store_project_set_status(c->store, ps.p.id,
						    out.ch.to, out.ch.reason,
						    out.ch.outcome, d.at)) ||
		    (err = store_event_add(c->store, ps.p.id, &ev)) ||
		    (err =
			 hook_fire(c, "close", ps.p.name, decided_fields, &x)))
			goto done;
	}
	decided_out(c, &ps, &x);
done:
	pstate_free(&ps);
	return err;
}
