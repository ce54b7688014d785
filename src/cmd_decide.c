/* cmd_decide.c - decide: make or buy. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct decided {
	const struct store_decision *d;
	const char *status, *outcome;
};

/* A closing decision's own keys, for a hook's payload (the command's). */
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
}

const struct ap_error *
cmd_decide(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *kind = a->pos[1], *reason = opt_val(a, "reason");
	const char *cost = opt_val(a, "cost");
	struct store_decision d = {0};
	struct pstate ps;
	struct eng_status_change ch;
	int closes;

	d.kind = decision_kind_parse(kind); /* make or buy: checked */
	if (cost) {
		if ((err = parse_number("cost", cost, &d.cost)))
			return err;
		d.has_cost = 1;
	}
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = eng_check_decide(&c->lc, &ps.e)))
		goto done;
	d.project_id = ps.p.id;
	d.reason = reason;
	d.actor = c->actor;
	d.at = c->now;
	if ((err = store_decision_add(c->store, &d)))
		goto done;
	closes = eng_decision_closes(d.kind, reason, &ch);
	if (closes &&
	    (err = store_project_set_status(c->store, ps.p.id, ch.to, ch.reason,
					    ch.outcome, d.at)))
		goto done;
	if (closes) {
		struct decided x = {&d, proj_status_name(ch.to), ch.outcome};
		if ((err =
			 hook_fire(c, "close", ps.p.name, decided_fields, &x)))
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", ps.p.name);
		jw_kstr(&w, "decision", decision_kind_name(d.kind));
		jw_key(&w, "cost");
		if (d.has_cost)
			jw_num(&w, d.cost);
		else
			jw_null(&w);
		jw_kstr(&w, "reason", reason);
		jw_kstr(&w, "status",
			proj_status_name(closes ? ch.to : ps.p.status));
		jw_kstr(&w, "outcome", closes ? ch.outcome : NULL);
		jw_done(&w);
	} else {
		char num[40];
		fmt_num(num, sizeof(num), d.cost);
		text_linef(c->out, 2, "Decision for '%s': %s%s%s", ps.p.name,
			   decision_kind_name(d.kind),
			   d.has_cost ? ", cost " : "", d.has_cost ? num : "");
		if (closes)
			text_linef(c->out, 2, "Project '%s' is %s: %s",
				   ps.p.name, proj_status_name(ch.to),
				   ch.outcome);
	}
done:
	pstate_free(&ps);
	return err;
}
