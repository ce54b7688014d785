/* cmd_component.c - the product component commands: add, list, remove. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* A component's change, for the log. */
static const struct ap_error *
component_event(struct cli *c, int64_t project, const char *kind,
		const char *name, const char *owner)
{
	struct store_event ev = {.kind = kind,
				 .subject = name,
				 .detail = owner,
				 .actor = c->actor,
				 .at = c->now};

	return store_event_add(c->store, project, &ev);
}

const struct ap_error *
cmd_component_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *owner = opt_val(a, "owner");
	const char *desc = opt_val(a, "description");
	struct store_project p;
	int role;

	if ((err = lifecycle_resolve_role(&c->lc, owner, &role)))
		return err;
	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if (!(err =
		  eng_check_not_closed(p.name, p.status, "add a component")) &&
	    !(err = store_component_add(c->store, p.id, name,
					c->lc.roles[role].slug, desc)) &&
	    !(err = component_event(c, p.id, "component-add", name,
				    c->lc.roles[role].slug))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "component", name);
			jw_kstr(&w, "owner", c->lc.roles[role].slug);
			jw_kstr(&w, "description", desc ? desc : "");
			jw_done(&w);
		} else {
			text_linef(c->out, 2,
				   "Added component '%s' to '%s', owned by"
				   " %s",
				   name, p.name, c->lc.roles[role].slug);
		}
	} else if (err && err->code == AP_EXIT_CONFLICT) {
		err = ap_error_fmt(AP_EXIT_CONFLICT, "%s on project '%s'",
				   err->msg, p.name);
	}
	store_project_clear(&p);
	return err;
}

static const struct ap_error *
show_component(void *arg, const struct store_component *cp)
{
	struct listing *pp = arg;

	if (listing_doc(pp)) {
		jw_obj(&pp->w);
		jw_kstr(&pp->w, "name", cp->name);
		jw_kstr(&pp->w, "owner", cp->owner);
		jw_kstr(&pp->w, "description", cp->description);
		jw_end(&pp->w);
	} else {
		const char *row[] = {cp->name, cp->owner, cp->description};
		table_row(&pp->t, row);
	}
	pp->n++;
	return NULL;
}

const struct ap_error *
cmd_component_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct listing pp;
	static const char *const head[] = {"COMPONENT", "OWNER", "DESCRIPTION"};
	static const int width[] = {20, 16, 0};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	listing_begin(&pp, c, p.name, "components", 3, head, width);
	err = store_components(c->store, p.id, show_component, &pp);
	err = listing_end(&pp, err, "No components on '%s'", p.name);
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_component_remove(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1];
	struct store_project p;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if (!(err = eng_check_not_closed(p.name, p.status,
					 "remove a component")) &&
	    !(err = store_component_remove(c->store, p.id, name)) &&
	    !(err = component_event(c, p.id, "component-remove", name, NULL))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "component", name);
			jw_kbool(&w, "removed", 1);
			jw_done(&w);
		} else {
			text_linef(c->out, 2,
				   "Removed component '%s' from '%s'", name,
				   p.name);
		}
	} else if (err && err->code == AP_EXIT_NOTFOUND) {
		err = ap_error_fmt(AP_EXIT_NOTFOUND, "%s on project '%s'",
				   err->msg, p.name);
	}
	store_project_clear(&p);
	return err;
}
