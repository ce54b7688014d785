/* cmd_member.c - member add|remove|list: the login roles of a PostgreSQL
 * store's team (docs/postgresql.md). */
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

static void
member_out(struct cli *c, const char *name, int changed, const char *done,
	   const char *already)
{
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "member", name);
		jw_kbool(&w, "changed", changed);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, changed ? done : already, name);
	}
}

const struct ap_error *
cmd_member_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	int changed;

	if ((err = store_member_set(c->store, a->pos[0], 1, &changed)))
		return err;
	member_out(c, a->pos[0], changed,
		   "Granted '%s' the rights of a member of the store",
		   "'%s' is already a member of the store");
	return NULL;
}

const struct ap_error *
cmd_member_remove(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	int changed;

	if ((err = store_member_set(c->store, a->pos[0], 0, &changed)))
		return err;
	member_out(c, a->pos[0], changed,
		   "Revoked the rights of '%s' on the store",
		   "'%s' is not a member of the store");
	return NULL;
}

struct list_ctx {
	struct cli *c;
	struct jw *w;
	int n;
};

static const struct ap_error *
on_member(void *arg, const char *name)
{
	struct list_ctx *x = arg;

	if (x->w)
		jw_str(x->w, name);
	else
		fprintf(x->c->out, "%s\n", name);
	x->n++;
	return NULL;
}

const struct ap_error *
cmd_member_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct list_ctx x = {.c = c};
	struct jw w;

	(void)a;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		x.w = &w;
		out_doc(c, &w);
		jw_key(&w, "members");
		jw_arr(&w);
	}
	if ((err = store_members(c->store, on_member, &x)))
		return err;
	if (x.w)
		jw_done(&w);
	else if (!x.n)
		fputs("No member: 'aiproj member add NAME' grants a login role"
		      " the rights to use the store\n",
		      c->out);
	return NULL;
}
