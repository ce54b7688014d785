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

/* For JSON and YAML, start the document in w and write the rows there
 * (x->w); 0 for the other formats. */
static int
doc_start(struct audit_ctx *x, struct jw *w)
{
	if (!(x->c->format & (FMT_JSON | FMT_YAML)))
		return 0;
	x->w = w;
	out_doc(x->c, w);
	return 1;
}

const struct ap_error *
cmd_policy_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct audit_ctx x = {.c = c};
	struct jw w;

	(void)a;
	if (doc_start(&x, &w)) {
		jw_kstr(&w, "policy", c->policy_roles ? "roles" : "open");
		jw_key(&w, "refusals");
		jw_arr(&w);
	} else {
		text_linef(
		    c->out, 2, "Policy: %s",
		    c->policy_roles
			? "roles (each writing command needs what 'aiproj"
			  " policy rules' says)"
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

/* "stage advance": the words of a command */
static void
cmd_words(const struct command *k, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", k->group, k->verb ? " " : "",
		 k->verb ? k->verb : "");
}

/* One row of the rules: the command's words and who may run it. */
static void
rule_row(struct cli *c, struct jw *w, int width, const char *words,
	 const struct auth_rule *r)
{
	const char *who = r ? r->doc : "nobody (no rule)";

	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(w);
		jw_kstr(w, "command", words);
		jw_kstr(w, "who", who);
		jw_kstr(w, "action", r ? r->action : NULL);
		jw_end(w);
	} else if (c->format == FMT_MARKDOWN) {
		fprintf(c->out, "| `%s` | %s |\n", words, who);
	} else { /* the rule wrapped under itself */
		fprintf(c->out, "%-*s  ", width, words);
		text_wrap(c->out, who, width + 2, width + 2);
		fputc('\n', c->out);
	}
}

/* Every command that writes, with its rule from the engine's table, each
 * followed by its variants with a rule of their own (gate approve --as,
 * stage advance --force); docs/security.md holds the markdown of this. */
const struct ap_error *
cmd_policy_rules(struct cli *c, struct args *a)
{
	char words[64];
	struct jw w;
	int width = 0;

	(void)a;
	for (const struct auth_rule *r = auth_rules; r->command; r++)
		if ((int)strlen(r->command) > width)
			width = (int)strlen(r->command);
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_key(&w, "rules");
		jw_arr(&w);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| command | who may run it under `roles` |\n"
		      "|---|---|\n",
		      c->out);
	}
	for (const struct command *k = commands; k->group; k++) {
		/* every command that writes, and copy (which opens its
		 * stores itself) */
		cmd_words(k, words, sizeof(words));
		if (!(k->flags & CMD_WRITE) && !auth_rule_find(words))
			continue;
		rule_row(c, &w, width, words, auth_rule_find(words));
		for (const struct auth_rule *v = auth_rule_variant(words, NULL);
		     v; v = auth_rule_variant(words, v))
			rule_row(c, &w, width, v->command, v);
	}
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&w);
	return NULL;
}

/* ---- admin ---- */

static void
admin_out(struct cli *c, const char *person, int changed, const char *done,
	  const char *already)
{
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "admin", person);
		jw_kbool(&w, "changed", changed);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, changed ? done : already, person);
	}
}

const struct ap_error *
cmd_admin_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	char *stored = NULL;
	int changed = 0;

	/* a person is an administrator once, whatever the spelling */
	if ((err = admin_find(c->store, a->pos[0], &stored, NULL, NULL)))
		return err;
	if (!stored && (err = store_admin_add(c->store, a->pos[0], c->actor,
					      c->now, &changed)))
		return err;
	admin_out(c, stored ? stored : a->pos[0], changed,
		  "Added '%s' as an administrator",
		  "'%s' is already an administrator");
	free(stored);
	return NULL;
}

const struct ap_error *
cmd_admin_remove(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	char *stored = NULL, *first = NULL;
	int n, same, changed;

	/* the person, whatever the spelling: EVE removes Eve (and every
	 * spelling of theirs an older store holds) */
	if ((err = admin_find(c->store, a->pos[0], &first, &n, &same)))
		return err;
	if (!first)
		return ap_error_fmt(AP_EXIT_NOTFOUND,
				    "'%s' is not an administrator (aiproj"
				    " admin list)",
				    shown(a->pos[0]));
	if (n == same) {
		err = ap_error_fmt(AP_EXIT_REFUSED,
				   "cannot remove '%s': the store's last"
				   " administrator (add another first)",
				   shown(first));
		free(first);
		return err;
	}
	if (!(stored = strdup(first)))
		err = ap_error_nomem();
	while (stored && !err) {
		if (!(err = store_admin_remove(c->store, stored, &changed))) {
			free(stored);
			err = admin_find(c->store, a->pos[0], &stored, NULL,
					 NULL);
		}
	}
	if (!err && first)
		admin_out(c, first, 1, "Removed '%s' as an administrator",
			  "'%s' is not an administrator");
	free(stored);
	free(first);
	return err;
}

static const struct ap_error *
on_admin(void *arg, const struct store_admin *ad)
{
	struct audit_ctx *x = arg;

	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "person", ad->person);
		jw_kstr(x->w, "added_by", ad->added_by);
		jw_kstr(x->w, "added_at", ad->added_at);
		jw_end(x->w);
	} else {
		fprintf(x->c->out, "%s  (added by %s at %s)\n", ad->person,
			ad->added_by, ad->added_at);
	}
	x->n++;
	return NULL;
}

const struct ap_error *
cmd_admin_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct audit_ctx x = {.c = c};
	struct jw w;

	(void)a;
	if (doc_start(&x, &w)) {
		jw_key(&w, "admins");
		jw_arr(&w);
	}
	if ((err = store_admins(c->store, on_admin, &x)))
		return err;
	if (x.w)
		jw_done(&w);
	else if (!x.n)
		fputs("No administrator: the first 'aiproj admin add NAME' may"
		      " be run by anyone\n",
		      c->out);
	return NULL;
}
