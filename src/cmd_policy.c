/* cmd_policy.c - the policy commands: show, set. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct audit_ctx {
	struct cli *c;
	struct jw *w;
	int n;
};

static const struct ap_error *
on_audit(void *arg, const struct store_audit *a)
{
	struct audit_ctx *x = arg;

	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "at", a->at);
		jw_kstr(x->w, "actor", a->actor);
		jw_kstr(x->w, "action", a->action);
		jw_kstr(x->w, "project", a->project);
		jw_kstr(x->w, "stage", a->stage);
		jw_kstr(x->w, "detail", a->detail);
		jw_end(x->w);
	} else {
		if (!x->n)
			fputs("Recent refusals (newest first):\n", x->c->out);
		fprintf(x->c->out, "  %s  %-12s %-8s %s at %s\n", a->at,
			a->actor, a->action, a->project, a->stage);
	}
	x->n++;
	return NULL;
}

const struct ap_error *
cmd_policy_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct audit_ctx x = {.c = c};
	struct jw w;

	(void)a;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		x.w = &w;
		out_doc(c, &w);
		jw_kstr(&w, "policy", c->policy_roles ? "roles" : "open");
		jw_key(&w, "refusals");
		jw_arr(&w);
	} else {
		text_linef(
		    c->out, 2, "Policy: %s",
		    c->policy_roles
			? "roles (moves and approvals need an A or R role"
			  " of the stage, decisions its A role)"
			: "open (anyone may move projects; approvals still"
			  " need the A role)");
	}
	if ((err = store_audit_list(c->store, 20, on_audit, &x)))
		return err;
	if (x.w)
		jw_done(&w);
	return NULL;
}

const struct ap_error *
cmd_policy_set(struct cli *c, struct args *a)
{
	const struct ap_error *err;

	if ((err = store_meta_set(c->store, "policy", a->pos[0])))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "policy", a->pos[0]);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "Policy: %s", a->pos[0]);
	}
	return NULL;
}
