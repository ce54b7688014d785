/* cmd_component.c - the product component commands: add, list, remove,
 * handover. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/* Component names are unique ignoring case (letters A to Z), as in the
 * lifecycle: the name a project's component that `name` names has. */
struct comp_find {
	const char *name;
	char *found; /* malloc'd, or NULL: none */
};

static const struct ap_error *
comp_match(void *arg, const struct store_component *cp)
{
	struct comp_find *x = arg;

	if (!x->found && strcasecmp(cp->name, x->name) == 0 &&
	    !(x->found = strdup(cp->name)))
		return ap_error_nomem();
	return NULL;
}

/* *found: the stored name of project's component `name`, whatever its
 * case (malloc'd), or NULL when it has none. */
static const struct ap_error *
component_find(struct cli *c, int64_t project, const char *name, char **found)
{
	struct comp_find x = {.name = name};
	const struct ap_error *err =
	    store_components(c->store, project, comp_match, &x);

	if (err) {
		free(x.found);
		x.found = NULL;
	}
	*found = x.found;
	return err;
}

const struct ap_error *
cmd_component_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *owner = opt_val(a, "owner");
	const char *desc = opt_val(a, "description");
	const char *version = opt_val(a, "version");
	struct store_project p;
	char *had = NULL;
	int role;

	if ((err = lifecycle_resolve_role(&c->lc, owner, &role)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if (!(err =
		  eng_check_not_closed(p.name, p.status, "add a component")) &&
	    !(err = component_find(c, p.id, name, &had)) && had)
		err = ap_error_fmt(AP_EXIT_CONFLICT, "component '%s'%s", had,
				   strcmp(had, name) ? " already exists (names"
						       " are unique ignoring"
						       " case)"
						     : " already exists");
	if (!err &&
	    !(err =
		  store_component_add(c->store, p.id, name,
				      c->lc.roles[role].slug, version, desc)) &&
	    !(err = component_event(c, p.id, "component-add", name,
				    c->lc.roles[role].slug))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "component", name);
			jw_kstr(&w, "owner", c->lc.roles[role].slug);
			jw_kstr(&w, "description", desc ? desc : "");
			if (version)
				jw_kstr(&w, "version", version);
			jw_done(&w);
		} else {
			text_linef(c->out, 2,
				   "Added component '%s'%s%s%s to '%s', owned"
				   " by %s",
				   name, version ? " (version " : "",
				   version ? version : "", version ? ")" : "",
				   p.name, c->lc.roles[role].slug);
		}
	} else if (err && err->code == AP_EXIT_CONFLICT) {
		err = ap_error_fmt(AP_EXIT_CONFLICT, "%s on project '%s'",
				   err->msg, p.name);
	}
	free(had);
	store_project_clear(&p);
	return err;
}

/* A project's components with their handovers, read whole: the listing
 * has a version column only when a component has a version. */
struct comp_item {
	char *name, *owner, *description, *version;
};
struct handover_item {
	char *component, *from, *to, *reason, *actor, *at;
};
struct comp_list {
	struct comp_item *v;
	size_t n;
	struct handover_item *h;
	size_t nh;
	int versions; /* a component has a version */
};

static char *
dup_or_null(const char *s, int *bad)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*bad = 1;
	return d;
}

static const struct ap_error *
on_component(void *arg, const struct store_component *cp)
{
	struct comp_list *l = arg;
	struct comp_item *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	int bad = 0;

	if (!v)
		return ap_error_nomem();
	l->v = v;
	v += l->n++;
	v->name = dup_or_null(cp->name, &bad);
	v->owner = dup_or_null(cp->owner, &bad);
	v->description = dup_or_null(cp->description, &bad);
	v->version = dup_or_null(cp->version, &bad);
	if (cp->version)
		l->versions = 1;
	return bad ? ap_error_nomem() : NULL;
}

/* The owner each component was added with (its latest component-add in
 * the log), for the owner before its first handover. */
struct added {
	char *name, *owner;
};
struct handover_ctx {
	const struct lifecycle *lc;
	struct comp_list *l;
	struct added *added;
	size_t nadded;
};

/* A component project create made from the lifecycle has no component-add
 * in the log: its owner was the lifecycle's. */
static const char *
lifecycle_owner(const struct lifecycle *lc, const char *name)
{
	for (size_t k = 0; k < lc->ncomponents; k++)
		if (!strcmp(lc->components[k].name, name))
			return lc->roles[lc->components[k].owner].slug;
	return NULL;
}

static struct added *
added_find(struct handover_ctx *x, const char *name)
{
	for (size_t i = 0; i < x->nadded; i++)
		if (!strcmp(x->added[i].name, name))
			return &x->added[i];
	return NULL;
}

/* component-add and component-remove: the name starts a new history */
static const struct ap_error *
on_added(struct handover_ctx *x, const struct store_event *e)
{
	struct added *ad = added_find(x, e->subject);
	int bad = 0;

	for (size_t i = 0; i < x->l->nh; i++)
		if (x->l->h[i].component &&
		    !strcmp(x->l->h[i].component, e->subject)) {
			free(x->l->h[i].component);
			x->l->h[i].component = NULL;
		}
	if (!ad) {
		if (!(ad = realloc(x->added, (x->nadded + 1) * sizeof(*ad))))
			return ap_error_nomem();
		x->added = ad;
		ad += x->nadded++;
		ad->owner = NULL;
		if (!(ad->name = strdup(e->subject)))
			return ap_error_nomem();
	}
	free(ad->owner);
	ad->owner = strcmp(e->kind, "component-add")
			? NULL
			: dup_or_null(e->detail, &bad);
	return bad ? ap_error_nomem() : NULL;
}

static const struct ap_error *
on_event(void *arg, const struct store_event *e)
{
	struct handover_ctx *x = arg;
	struct comp_list *l = x->l;
	struct handover_item *h;
	struct added *ad;
	const char *from = NULL;
	int bad = 0;

	if (!e->subject)
		return NULL;
	if (!strcmp(e->kind, "component-add") ||
	    !strcmp(e->kind, "component-remove"))
		return on_added(x, e);
	if (strcmp(e->kind, "handover") != 0)
		return NULL;
	/* the owner before: the handover before, else the one added */
	if ((ad = added_find(x, e->subject)))
		from = ad->owner;
	else
		from = lifecycle_owner(x->lc, e->subject);
	for (size_t i = 0; i < l->nh; i++)
		if (l->h[i].component && !strcmp(l->h[i].component, e->subject))
			from = l->h[i].to;
	if (!(h = realloc(l->h, (l->nh + 1) * sizeof(*h))))
		return ap_error_nomem();
	l->h = h;
	h += l->nh;
	h->from = dup_or_null(from, &bad);
	h->component = dup_or_null(e->subject, &bad);
	h->to = dup_or_null(e->detail, &bad);
	h->reason = dup_or_null(e->note, &bad);
	h->actor = dup_or_null(e->actor, &bad);
	h->at = dup_or_null(e->at, &bad);
	l->nh++;
	return bad ? ap_error_nomem() : NULL;
}

static void
comp_list_free(struct comp_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].owner);
		free(l->v[i].description);
		free(l->v[i].version);
	}
	for (size_t i = 0; i < l->nh; i++) {
		free(l->h[i].component);
		free(l->h[i].from);
		free(l->h[i].to);
		free(l->h[i].reason);
		free(l->h[i].actor);
		free(l->h[i].at);
	}
	free(l->v);
	free(l->h);
}

static const struct ap_error *
comp_list_load(struct cli *c, int64_t project, struct comp_list *l)
{
	const struct ap_error *err;
	struct handover_ctx x = {.lc = &c->lc, .l = l};

	memset(l, 0, sizeof(*l));
	if (!(err = store_components(c->store, project, on_component, l)))
		err = store_events(c->store, project, on_event, &x);
	for (size_t i = 0; i < x.nadded; i++) {
		free(x.added[i].name);
		free(x.added[i].owner);
	}
	free(x.added);
	return err;
}

static void
handovers_json(struct jw *w, const struct comp_list *l, const char *name)
{
	int any = 0;

	for (size_t i = 0; i < l->nh; i++) {
		const struct handover_item *h = &l->h[i];
		if (!h->component || strcmp(h->component, name) != 0)
			continue;
		if (!any++) {
			jw_key(w, "handovers");
			jw_arr(w);
		}
		jw_obj(w);
		jw_kstr(w, "from", h->from);
		jw_kstr(w, "to", h->to);
		jw_kstr(w, "by", h->actor);
		jw_kstr(w, "at", h->at);
		jw_kstr(w, "reason", h->reason);
		jw_end(w);
	}
	if (any)
		jw_end(w);
}

static void
handovers_text(struct cli *c, const struct comp_list *l)
{
	int any = 0;

	for (size_t i = 0; i < l->nh; i++) {
		const struct handover_item *h = &l->h[i];
		if (!h->component)
			continue;
		if (!any++)
			fputs("\nHandovers:\n", c->out);
		text_linef(c->out, 4, "  %s: %s -> %s by %s at %s: %s",
			   h->component, h->from ? h->from : "?", h->to,
			   h->actor, h->at, h->reason ? h->reason : "");
	}
}

const struct ap_error *
cmd_component_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct listing pp;
	struct comp_list l;
	static const char *const head[] = {"COMPONENT", "OWNER", "DESCRIPTION"};
	static const int width[] = {20, 16, 0};
	static const char *const vhead[] = {"COMPONENT", "VERSION", "OWNER",
					    "DESCRIPTION"};
	static const int vwidth[] = {20, 10, 16, 0};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = comp_list_load(c, p.id, &l))) {
		comp_list_free(&l);
		store_project_clear(&p);
		return err;
	}
	listing_begin(&pp, c, p.name, "components", l.versions ? 4 : 3,
		      l.versions ? vhead : head, l.versions ? vwidth : width);
	for (size_t i = 0; i < l.n; i++, pp.n++) {
		const struct comp_item *cp = &l.v[i];
		if (listing_doc(&pp)) {
			jw_obj(&pp.w);
			jw_kstr(&pp.w, "name", cp->name);
			jw_kstr(&pp.w, "owner", cp->owner);
			jw_kstr(&pp.w, "description", cp->description);
			if (cp->version)
				jw_kstr(&pp.w, "version", cp->version);
			handovers_json(&pp.w, &l, cp->name);
			jw_end(&pp.w);
		} else if (l.versions) {
			const char *row[] = {cp->name,
					     cp->version ? cp->version : "",
					     cp->owner, cp->description};
			table_row(&pp.t, row);
		} else {
			const char *row[] = {cp->name, cp->owner,
					     cp->description};
			table_row(&pp.t, row);
		}
	}
	err = listing_end(&pp, NULL, "No components on '%s'", p.name);
	if (c->format == FMT_TEXT)
		handovers_text(c, &l);
	comp_list_free(&l);
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_component_remove(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1];
	struct store_project p;
	char *found = NULL;

	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if (!(err = eng_check_not_closed(p.name, p.status,
					 "remove a component")) &&
	    !(err = component_find(c, p.id, name, &found)) &&
	    !(err = store_component_remove(c->store, p.id,
					   name = found ? found : name)) &&
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
	free(found);
	store_project_clear(&p);
	return err;
}

/* A handover's own keys, for the output. */
static void
handover_out(struct cli *c, const char *project, const char *name,
	     const char *from, const char *to, const char *reason)
{
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", project);
		jw_kstr(&w, "component", name);
		jw_kstr(&w, "from", from);
		jw_kstr(&w, "to", to);
		jw_kstr(&w, "by", c->actor);
		jw_kstr(&w, "at", c->now);
		jw_kstr(&w, "reason", reason);
		jw_done(&w);
	} else {
		text_linef(c->out, 2,
			   "Handed component '%s' on '%s' over from %s to %s",
			   name, project, from, to);
	}
}

struct handover_hook {
	const char *name, *from, *to, *reason;
};

/* A handover's own keys, for the post-handover hook's payload: those of
 * its JSON output. */
static void
handover_fields(struct jw *w, const void *arg)
{
	const struct handover_hook *h = arg;

	jw_kstr(w, "component", h->name);
	jw_kstr(w, "from", h->from);
	jw_kstr(w, "to", h->to);
	jw_kstr(w, "reason", h->reason);
}

/* component handover PROJECT NAME --to ROLE --reason TEXT: the event
 * first, while the component still has its owner before (the server's
 * guard judges both by it), then the new owner. */
const struct ap_error *
cmd_component_handover(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *reason = opt_val(a, "reason");
	struct store_event ev = {.kind = "handover",
				 .subject = name,
				 .note = reason,
				 .actor = c->actor,
				 .at = c->now};
	struct store_project p;
	char *owner = NULL, *found = NULL;
	int role;

	if ((err = lifecycle_resolve_role(&c->lc, opt_val(a, "to"), &role)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status,
					"hand over a component")) ||
	    (err = component_find(c, p.id, name, &found)))
		goto done;
	if (found)
		ev.subject = name = found;
	if ((err = store_component_owner(c->store, p.id, name, &owner)))
		goto done;
	if (!owner) {
		err = ap_error_fmt(AP_EXIT_NOTFOUND,
				   "no component '%s' on project '%s' (see"
				   " 'aiproj component list %s')",
				   name, p.name, p.name);
		goto done;
	}
	if (strcmp(owner, c->lc.roles[role].slug) == 0) {
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "component '%s' on project '%s' is already"
				   " owned by %s",
				   name, p.name, owner);
		goto done;
	}
	ev.detail = c->lc.roles[role].slug;
	if ((err = store_event_add(c->store, p.id, &ev)) ||
	    (err = store_component_handover(c->store, p.id, name,
					    c->lc.roles[role].slug)))
		goto done;
	{
		struct handover_hook h = {name, owner, c->lc.roles[role].slug,
					  reason};
		if ((err =
			 hook_fire(c, "handover", p.name, handover_fields, &h)))
			goto done;
	}
	handover_out(c, p.name, name, owner, c->lc.roles[role].slug, reason);
done:
	free(owner);
	free(found);
	store_project_clear(&p);
	return err;
}
