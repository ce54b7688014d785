/* cmd_role.c - the role commands: list, assign, unassign, show. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* Print text word-wrapped at `width` columns, each line indented. */
static void
wrap(FILE *f, const char *text, int indent, int width)
{
	int col = 0;

	while (*text) {
		size_t n = strcspn(text, " \n");
		if (n == 0) {
			text++;
			continue;
		}
		if (col > 0 && col + 1 + (int)n > width) {
			fputc('\n', f);
			col = 0;
		}
		if (col == 0)
			col = fprintf(f, "%*s", indent, "");
		else
			col += fprintf(f, " ");
		col += fprintf(f, "%.*s", (int)n, text);
		text += n;
	}
	if (col)
		fputc('\n', f);
}

const struct ap_error *
cmd_role_list(struct cli *c, struct args *a)
{
	struct jw w;

	(void)a;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_key(&w, "roles");
		jw_arr(&w);
	} else {
		fprintf(c->out, "%-16s", "ROLE");
		for (size_t s = 0; s < c->lc.nstages; s++)
			fprintf(c->out, " %zu", s + 1);
		fputc('\n', c->out);
	}
	for (size_t r = 0; r < c->lc.nroles; r++) {
		const struct lc_role *ro = &c->lc.roles[r];
		if (c->format & (FMT_JSON | FMT_YAML)) {
			jw_obj(&w);
			jw_kstr(&w, "slug", ro->slug);
			jw_kstr(&w, "name", ro->name);
			jw_kstr(&w, "description", ro->description);
			jw_key(&w, "raci");
			jw_obj(&w);
			for (size_t s = 0; s < c->lc.nstages; s++)
				jw_kstr(&w, c->lc.stages[s].slug,
					raci_letter(c->lc.stages[s].raci[r]));
			jw_end(&w);
			jw_end(&w);
		} else {
			fprintf(c->out, "%-16s", ro->slug);
			for (size_t s = 0; s < c->lc.nstages; s++)
				fprintf(c->out, " %s%s",
					raci_letter(c->lc.stages[s].raci[r]),
					s + 1 >= 10 ? " " : "");
			fprintf(c->out, "  %s\n", ro->name);
		}
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_done(&w);
	} else {
		struct sbuf b = {0};
		sbuf_add(&b, "Stages:", 7);
		for (size_t s = 0; s < c->lc.nstages; s++)
			sbuf_printf(&b, " %zu=%s", s + 1, c->lc.stages[s].slug);
		fputc('\n', c->out);
		wrap(c->out, b.s ? b.s : "", 0, 78);
		sbuf_free(&b);
		fputs("A accountable, R responsible, C consulted, I informed\n",
		      c->out);
		for (size_t r = 0; r < c->lc.nroles; r++) {
			fprintf(c->out, "\n%s (%s)\n", c->lc.roles[r].name,
				c->lc.roles[r].slug);
			wrap(c->out, c->lc.roles[r].description, 4, 78);
		}
	}
	return NULL;
}

/* assign and unassign share their checks. */
struct role_change {
	const char *role, *person;
	int assigned;
};

/* A role change's own keys, for a hook's payload. */
static void
role_fields(struct jw *w, const void *arg)
{
	const struct role_change *r = arg;

	jw_kstr(w, "role", r->role);
	jw_kstr(w, "person", r->person);
	jw_kbool(w, "assigned", r->assigned);
}

const struct ap_error *
role_hook(struct cli *c, const char *project, const char *role,
	  const char *person, int assigned)
{
	struct role_change rc = {role, person, assigned};

	return hook_fire(c, "role", project, role_fields, &rc);
}

static const struct ap_error *
assignment(struct cli *c, struct args *a, int assign)
{
	const struct ap_error *err;
	const char *person = a->pos[2], *title = opt_val(a, "title");
	char *canon = NULL;
	struct store_project p;
	int role;

	if ((err = lifecycle_resolve_role(&c->lc, a->pos[1], &role)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status,
					assign ? "assign a role"
					       : "unassign a role")))
		goto done;
	/* the person, whatever the case and spacing: their name as first
	 * written (role assign makes one it does not know) */
	if (assign) {
		if ((err =
			 store_person_ensure(c->store, person, c->now, &canon)))
			goto done;
		person = canon;
	} else {
		struct store_person_rec pr;
		if ((err = store_person_find(c->store, person, &pr)))
			goto done;
		if (pr.id)
			person = canon = pr.name, pr.name = NULL;
		store_person_clear(&pr);
	}
	err = assign ? store_assign(c->store, p.id, c->lc.roles[role].slug,
				    person, title, c->now)
		     : store_unassign(c->store, p.id, c->lc.roles[role].slug,
				      person);
	if (!err && !assign) {
		struct store_event ev = {.kind = "unassign",
					 .subject = c->lc.roles[role].slug,
					 .detail = person,
					 .actor = c->actor,
					 .at = c->now};
		err = store_event_add(c->store, p.id, &ev);
	}
	if (!err)
		err = role_hook(c, p.name, c->lc.roles[role].slug, person,
				assign);
	if (err) {
		if (err->code == AP_EXIT_CONFLICT ||
		    err->code == AP_EXIT_NOTFOUND)
			err = ap_error_fmt(err->code, "%s on project '%s'",
					   err->msg, p.name);
		goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "role", c->lc.roles[role].slug);
		jw_kstr(&w, "person", person);
		jw_kbool(&w, "assigned", assign);
		if (title)
			jw_kstr(&w, "title", title);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "%s '%s' %s %s%s%s%s on '%s'",
			   assign ? "Assigned" : "Unassigned", person,
			   assign ? "as" : "from", c->lc.roles[role].slug,
			   title ? " (" : "", title ? title : "",
			   title ? ")" : "", p.name);
	}
done:
	store_project_clear(&p);
	free(canon);
	return err;
}

const struct ap_error *
cmd_role_assign(struct cli *c, struct args *a)
{
	return assignment(c, a, 1);
}

const struct ap_error *
cmd_role_unassign(struct cli *c, struct args *a)
{
	return assignment(c, a, 0);
}

static const struct ap_error *
show_assignment(void *arg, const struct store_assignment *as)
{
	struct listing *pp = arg;
	struct cli *c = pp->c;
	int r = lifecycle_role(&c->lc, as->role);

	if (listing_doc(pp)) {
		jw_obj(&pp->w);
		jw_kstr(&pp->w, "role", as->role);
		jw_kstr(&pp->w, "person", as->person);
		jw_kstr(&pp->w, "assigned_at", as->assigned_at);
		if (as->title)
			jw_kstr(&pp->w, "title", as->title);
		jw_end(&pp->w);
	} else {
		struct sbuf who = {0};
		person_titled(&who, as->person, as->title);
		const char *row[] = {as->role, who.s ? who.s : as->person,
				     as->assigned_at,
				     r < 0 ? "role not in the lifecycle" : ""};
		table_row(&pp->t, row);
		sbuf_free(&who);
	}
	pp->n++;
	return NULL;
}

const struct ap_error *
cmd_role_show(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct listing pp;
	static const char *const head[] = {"ROLE", "PERSON", "SINCE", "NOTE"};
	static const int width[] = {16, 32, 24, 0};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	listing_begin(&pp, c, p.name, "assignments", 4, head, width);
	table_keep(&pp.t, TABLE_COL(1)); /* the person */
	err = store_assignments(c->store, p.id, show_assignment, &pp);
	err = listing_end(&pp, err, "Nobody is assigned on '%s'", p.name);
	store_project_clear(&p);
	return err;
}
