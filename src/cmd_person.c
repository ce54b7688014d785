/* cmd_person.c - the person commands: add, set, list, show, rename, merge;
 * and role reassign, which moves a person's roles to another. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

static const struct ap_error *
person_event(struct cli *c, int64_t person, const char *kind,
	     const char *subject, const char *detail)
{
	struct store_person_event e = {
	    .kind = kind,
	    .subject = subject,
	    .detail = detail,
	    .actor = c->actor,
	    .at = c->now,
	};

	return store_person_event_add(c->store, person, &e);
}

/* "email a@b.example, handle @ab": what person add or set gave. */
static void
contact_detail(struct sbuf *b, const char *email, const char *handle)
{
	if (email)
		sbuf_printf(b, "email %s", *email ? email : "cleared");
	if (handle)
		sbuf_printf(b, "%shandle %s", email ? ", " : "",
			    *handle ? handle : "cleared");
}

/* A person as a document: name, email, handle. */
static void
person_doc(struct cli *c, const char *name, const char *email,
	   const char *handle, const char *key, int changed)
{
	struct jw w;

	out_doc(c, &w);
	jw_kstr(&w, "person", name);
	jw_kstr(&w, "email", email);
	jw_kstr(&w, "handle", handle);
	jw_kbool(&w, key, changed);
	jw_done(&w);
}

const struct ap_error *
cmd_person_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *email = opt_val(a, "email"), *handle = opt_val(a, "handle");
	struct sbuf b = {0};
	int64_t id;

	if (email && !*email)
		email = NULL;
	if (handle && !*handle)
		handle = NULL;
	if ((err = store_person_add(c->store, a->pos[0], email, handle, c->now,
				    &id)))
		return err;
	contact_detail(&b, email, handle);
	err = person_event(c, id, "add", NULL, b.s);
	sbuf_free(&b);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		person_doc(c, a->pos[0], email, handle, "added", 1);
	else
		text_linef(c->out, 2, "Added person '%s'", a->pos[0]);
	return NULL;
}

const struct ap_error *
cmd_person_set(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *email = opt_val(a, "email"), *handle = opt_val(a, "handle");
	struct store_person_rec p;
	struct sbuf b = {0};

	if (!email && !handle)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "person set needs --email EMAIL or"
				    " --handle HANDLE ('' clears one)");
	if ((err = store_person_get(c->store, a->pos[0], &p)))
		return err;
	contact_detail(&b, email, handle);
	if (!(err = store_person_set(c->store, p.id, email, handle)) &&
	    !(err = person_event(c, p.id, "set", NULL, b.s))) {
		const char *e = email ? (*email ? email : NULL) : p.email;
		const char *h = handle ? (*handle ? handle : NULL) : p.handle;
		if (c->format & (FMT_JSON | FMT_YAML))
			person_doc(c, p.name, e, h, "changed", 1);
		else
			text_linef(c->out, 2, "Person '%s': %s", p.name, b.s);
	}
	sbuf_free(&b);
	store_person_clear(&p);
	return err;
}

/* ---- person list ---- */

struct plist {
	struct cli *c;
	struct jw w;
	struct table t;
	int n;
};

static const struct ap_error *
list_person(void *arg, const struct store_person *p)
{
	struct plist *x = arg;

	if (x->c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(&x->w);
		jw_kstr(&x->w, "name", p->name);
		jw_kstr(&x->w, "email", p->email);
		jw_kstr(&x->w, "handle", p->handle);
		jw_kint(&x->w, "projects", p->projects);
		jw_kint(&x->w, "roles", p->roles);
		jw_kstr(&x->w, "since", p->created_at);
		jw_end(&x->w);
	} else {
		char projects[24], roles[24];
		fmt_int(projects, p->projects);
		fmt_int(roles, p->roles);
		const char *row[] = {p->name,
				     p->email ? p->email : "",
				     p->handle ? p->handle : "",
				     projects,
				     roles,
				     p->created_at};
		table_row(&x->t, row);
	}
	x->n++;
	return NULL;
}

const struct ap_error *
cmd_person_list(struct cli *c, struct args *a)
{
	static const char *const head[] = {"PERSON",   "EMAIL", "HANDLE",
					   "PROJECTS", "ROLES", "SINCE"};
	static const int width[] = {16, 0, 0, 0, 0, 0};
	const struct ap_error *err;
	struct plist x = {.c = c};
	int doc = (c->format & (FMT_JSON | FMT_YAML)) != 0;

	(void)a;
	if (doc) {
		out_doc(c, &x.w);
		jw_key(&x.w, "people");
		jw_arr(&x.w);
	} else {
		table_begin(&x.t, c->out, c->format, 6, head, width);
		table_keep(&x.t, TABLE_COL(0)); /* the person */
	}
	err = store_persons(c->store, list_person, &x);
	if (!doc)
		table_end(&x.t);
	if (!err && doc)
		jw_done(&x.w);
	else if (!err && x.n == 0 && c->format == FMT_TEXT)
		text_linef(c->out, 2, "Nobody yet (aiproj person add NAME)");
	return err;
}

/* ---- person show ---- */

struct pshow {
	struct cli *c;
	struct jw *w; /* JSON or YAML, else text */
	struct table t;
	int n, hook;     /* hook: projects, each once (roles come by project) */
	char *hook_last; /* the last of them counted */
};

/* The letter of `role` at the project's stage, and whether it puts the
 * person on the hook now. */
static const char *
role_letter(const struct cli *c, const char *stage, const char *role,
	    int status, int *hook)
{
	int s = lifecycle_stage_slug(&c->lc, stage);
	int r = lifecycle_role(&c->lc, role);
	int raci = s >= 0 && r >= 0 ? c->lc.stages[s].raci[r] : -1;

	*hook = raci >= 0 && eng_holder_on_hook(raci, status);
	return raci >= 0 ? raci_letter(raci) : "-";
}

static const struct ap_error *
show_role(void *arg, const struct store_person_role *r)
{
	struct pshow *x = arg;
	int hook;
	const char *letter =
	    role_letter(x->c, r->stage, r->role, r->status, &hook);

	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "project", r->project);
		jw_kstr(x->w, "status", proj_status_name(r->status));
		jw_kstr(x->w, "stage", r->stage);
		jw_kstr(x->w, "role", r->role);
		jw_kstr(x->w, "raci", letter);
		jw_kbool(x->w, "on_the_hook", hook);
		jw_kstr(x->w, "since", r->assigned_at);
		if (r->title)
			jw_kstr(x->w, "title", r->title);
		jw_end(x->w);
	} else {
		char now[32];
		struct sbuf role = {0};
		snprintf(now, sizeof(now), "%s%s", letter,
			 hook ? " (on the hook)" : "");
		person_titled(&role, r->role, r->title);
		const char *row[] = {r->project, role.s ? role.s : r->role,
				     r->stage,   proj_status_name(r->status),
				     now,        r->assigned_at};
		table_row(&x->t, row);
		sbuf_free(&role);
	}
	x->n++;
	if (hook && (!x->hook_last || strcmp(x->hook_last, r->project) != 0)) {
		free(x->hook_last);
		if (!(x->hook_last = strdup(r->project)))
			return ap_error_nomem();
		x->hook++;
	}
	return NULL;
}

static const struct ap_error *
show_approval(void *arg, const struct store_person_approval *ap)
{
	struct pshow *x = arg;

	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "project", ap->project);
		jw_kstr(x->w, "stage", ap->stage);
		jw_kstr(x->w, "role", ap->role);
		jw_kstr(x->w, "as", ap->person);
		jw_kstr(x->w, "note", ap->note);
		jw_kstr(x->w, "at", ap->at);
		jw_end(x->w);
	} else {
		const char *row[] = {ap->at, ap->project, ap->stage, ap->role,
				     ap->note ? ap->note : ""};
		table_row(&x->t, row);
	}
	x->n++;
	return NULL;
}

static const struct ap_error *
show_event(void *arg, const struct store_person_event *e)
{
	struct pshow *x = arg;

	if (x->w) {
		jw_obj(x->w);
		jw_kstr(x->w, "kind", e->kind);
		jw_kstr(x->w, "subject", e->subject);
		jw_kstr(x->w, "detail", e->detail);
		jw_kstr(x->w, "actor", e->actor);
		jw_kstr(x->w, "at", e->at);
		jw_end(x->w);
	} else {
		struct sbuf b = {0};
		if (e->subject)
			sbuf_printf(&b, "'%s'", e->subject);
		if (e->detail)
			sbuf_printf(&b, "%s%s", b.len ? ": " : "", e->detail);
		const char *row[] = {e->at, e->kind, b.s ? b.s : "", e->actor};
		table_row(&x->t, row);
		sbuf_free(&b);
	}
	x->n++;
	return NULL;
}

/* One section of person show: a key of the document, or a heading and a
 * table in text (its columns `keep` kept whole: table_keep()). */
static const struct ap_error *
section(struct pshow *x, const char *key, const char *heading, int ncols,
	const char *const *head, const int *width, unsigned keep,
	const char *none,
	const struct ap_error *(*list)(struct pshow *x, const void *arg),
	const void *arg)
{
	const struct ap_error *err;

	x->n = 0;
	if (x->w) {
		jw_key(x->w, key);
		jw_arr(x->w);
		err = list(x, arg);
		jw_end(x->w);
		return err;
	}
	fprintf(x->c->out, "\n%s:\n", heading);
	table_begin(&x->t, x->c->out, FMT_TEXT, ncols, head, width);
	table_keep(&x->t, keep);
	err = list(x, arg);
	table_end(&x->t);
	if (!err && x->n == 0)
		fprintf(x->c->out, "  %s\n", none);
	return err;
}

static const struct ap_error *
list_roles(struct pshow *x, const void *arg)
{
	const struct store_person_rec *p = arg;

	return store_person_roles(x->c->store, p->name, show_role, x);
}

static const struct ap_error *
list_approvals(struct pshow *x, const void *arg)
{
	const struct store_person_rec *p = arg;

	return store_person_approvals(x->c->store, p->id, show_approval, x);
}

static const struct ap_error *
list_events(struct pshow *x, const void *arg)
{
	const struct store_person_rec *p = arg;

	return store_person_events(x->c->store, p->id, show_event, x);
}

const struct ap_error *
cmd_person_show(struct cli *c, struct args *a)
{
	static const char *const rhead[] = {"PROJECT", "ROLE", "STAGE",
					    "STATUS",  "NOW",  "SINCE"};
	static const int rwidth[] = {0, 0, 0, 0, 0, 0};
	static const char *const ahead[] = {"AT", "PROJECT", "STAGE", "ROLE",
					    "NOTE"};
	static const int awidth[] = {0, 0, 0, 0, 0};
	static const char *const hhead[] = {"AT", "WHAT", "DETAIL", "BY"};
	static const int hwidth[] = {0, 0, 0, 0};
	const struct ap_error *err;
	struct store_person_rec p;
	struct pshow x = {.c = c};
	struct jw w;

	if ((err = store_person_get(c->store, a->pos[0], &p)))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		x.w = &w;
		out_doc(c, &w);
		jw_kstr(&w, "name", p.name);
		jw_kstr(&w, "email", p.email);
		jw_kstr(&w, "handle", p.handle);
		jw_kstr(&w, "since", p.created_at);
	} else {
		fprintf(c->out, "Person: %s\n", p.name);
		if (p.email)
			fprintf(c->out, "Email:  %s\n", p.email);
		if (p.handle)
			fprintf(c->out, "Handle: %s\n", p.handle);
		fprintf(c->out, "Since:  %s\n", p.created_at);
	}
	/* "R (on the hook)" */
	if ((err = section(&x, "roles", "Roles", 6, rhead, rwidth, TABLE_COL(4),
			   "no roles", list_roles, &p)))
		goto done;
	if (x.w)
		jw_kint(&w, "on_the_hook", x.hook);
	else
		fprintf(c->out, "On the hook now: %d project%s\n", x.hook,
			x.hook == 1 ? "" : "s");
	if ((err = section(&x, "approvals", "Approved", 5, ahead, awidth, 0,
			   "no approvals", list_approvals, &p)) ||
	    (err = section(&x, "history", "History", 4, hhead, hwidth,
			   TABLE_COL(3), "nothing recorded", list_events, &p)))
		goto done;
	if (x.w)
		jw_done(&w);
done:
	free(x.hook_last);
	store_person_clear(&p);
	return err;
}

/* ---- rename, merge ---- */

/* Each project where `from` holds a role logs it as unassigned from them
 * (the assignment goes to `to`, as of when it was made), with `note`; a
 * merge (into: the person merged into) changes the role's holders, and
 * fires post-role for each: from taken off, into assigned. */
struct name_change {
	struct cli *c;
	const char *from, *note, *into;
};

static const struct ap_error *
log_name_change(void *arg, const struct store_person_role *r)
{
	struct name_change *x = arg;
	struct store_event ev = {.kind = "unassign",
				 .subject = r->role,
				 .detail = x->from,
				 .note = x->note,
				 .actor = x->c->actor,
				 .at = x->c->now};
	const struct ap_error *err;

	if ((err = store_event_add(x->c->store, r->project_id, &ev)) ||
	    !x->into ||
	    (err = role_hook(x->c, r->project, r->role, x->from, 0)))
		return err;
	return role_hook(x->c, r->project, r->role, x->into, 1);
}

static const struct ap_error *
name_change(struct cli *c, const char *from, const char *fmt, const char *to,
	    int merge)
{
	const struct ap_error *err;
	struct sbuf note = {0};
	struct name_change x = {
	    .c = c, .from = from, .into = merge ? to : NULL};

	if (sbuf_printf(&note, fmt, to) != 0)
		return ap_error_nomem();
	x.note = note.s;
	err = store_person_roles(c->store, from, log_name_change, &x);
	sbuf_free(&note);
	return err;
}

const struct ap_error *
cmd_person_rename(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_person_rec p;

	if ((err = store_person_get(c->store, a->pos[0], &p)))
		return err;
	if (strcmp(p.name, a->pos[1]) == 0) {
		err = ap_error_fmt(AP_EXIT_USAGE, "'%s' is already the name",
				   shown(a->pos[1]));
		goto done;
	}
	if ((err = name_change(c, p.name, "renamed '%s'", a->pos[1], 0)) ||
	    (err = store_person_rename(c->store, &p, a->pos[1])) ||
	    (err = person_event(c, p.id, "rename", p.name, NULL)))
		goto done;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "person", a->pos[1]);
		jw_kstr(&w, "was", p.name);
		jw_kbool(&w, "renamed", 1);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "Renamed person '%s' to '%s'", p.name,
			   a->pos[1]);
	}
done:
	store_person_clear(&p);
	return err;
}

static const struct ap_error *
count_role(void *arg, const struct store_person_role *r)
{
	(void)r;
	++*(int64_t *)arg;
	return NULL;
}

const struct ap_error *
cmd_person_merge(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_person_rec from, into = {0};
	int64_t before = 0, after = 0;

	if ((err = store_person_get(c->store, a->pos[0], &from)))
		return err;
	if ((err = store_person_get(c->store, a->pos[1], &into)))
		goto done;
	if (from.id == into.id) {
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "'%s' and '%s' are the same person",
				   shown(a->pos[0]), shown(a->pos[1]));
		goto done;
	}
	if ((err = store_person_roles(c->store, from.name, count_role,
				      &before)) ||
	    (err =
		 store_person_roles(c->store, into.name, count_role, &after)) ||
	    (err =
		 name_change(c, from.name, "merged into '%s'", into.name, 1)) ||
	    (err = store_person_merge(c->store, &from, &into)) ||
	    (err = person_event(c, into.id, "merge", from.name, NULL)))
		goto done;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "person", into.name);
		jw_kstr(&w, "merged", from.name);
		jw_kint(&w, "roles_moved", before);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "Merged '%s' into '%s' (%lld %s moved)",
			   from.name, into.name, (long long)before,
			   before == 1 ? "role" : "roles");
	}
done:
	store_person_clear(&from);
	store_person_clear(&into);
	return err;
}

/* ---- role reassign ---- */

struct moves {
	struct move {
		int64_t project_id;
		char *project, *role;
		char *title; /* the assignment's title, or NULL */
		int status;
	} * v;
	size_t n;
	const char *project; /* --project, as the store names it */
	const char *role;    /* --role, the slug */
};

static const struct ap_error *
collect_move(void *arg, const struct store_person_role *r)
{
	struct moves *x = arg;
	struct move *v;

	if ((x->project && strcmp(r->project, x->project) != 0) ||
	    (x->role && strcmp(r->role, x->role) != 0))
		return NULL;
	/* a closed project keeps its people, unless named */
	if (!x->project && r->status == PS_CLOSED)
		return NULL;
	if (!(v = realloc(x->v, (x->n + 1) * sizeof(*v))))
		return ap_error_nomem();
	x->v = v;
	v += x->n;
	memset(v, 0, sizeof(*v));
	v->project_id = r->project_id;
	v->status = r->status;
	x->n++;
	if (!(v->project = strdup(r->project)) ||
	    !(v->role = strdup(r->role)) ||
	    (r->title && !(v->title = strdup(r->title))))
		return ap_error_nomem();
	return NULL;
}

static void
moves_free(struct moves *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->v[i].project);
		free(x->v[i].role);
		free(x->v[i].title);
	}
	free(x->v);
}

/* Move one assignment: from's is taken away (logged as an unassign), to's
 * given with its title (unless to holds the role already). */
static const struct ap_error *
move_one(struct cli *c, const struct move *m, const char *from, const char *to)
{
	const struct ap_error *err;
	char now[32]; /* the project's time (cli_project_now()) */
	struct store_event ev = {.kind = "unassign",
				 .subject = m->role,
				 .detail = from,
				 .actor = c->actor,
				 .at = now};

	if ((err = cli_project_now(c, m->project_id, now)) ||
	    (err = store_unassign(c->store, m->project_id, m->role, from)) ||
	    (err = store_event_add(c->store, m->project_id, &ev)) ||
	    (err = role_hook(c, m->project, m->role, from, 0)))
		return err;
	err = store_assign(c->store, m->project_id, m->role, to, m->title, now);
	if (err)
		return err->code == AP_EXIT_CONFLICT ? NULL : err;
	return role_hook(c, m->project, m->role, to, 1);
}

static const struct ap_error *
reassign_filters(struct cli *c, struct args *a, struct store_project *p,
		 struct moves *x)
{
	const struct ap_error *err;
	const char *project = opt_val(a, "project"), *role = opt_val(a, "role");
	int r;

	if (role) {
		if ((err = lifecycle_resolve_role(&c->lc, role, &r)))
			return err;
		x->role = c->lc.roles[r].slug;
	}
	if (project) {
		if ((err = store_project_get(c->store, project, p)))
			return err;
		x->project = p->name;
		return eng_check_not_closed(p->name, p->status,
					    "reassign a role");
	}
	return NULL;
}

const struct ap_error *
cmd_role_reassign(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_person_rec from, to = {0};
	struct store_project p = {0};
	struct moves x = {0};
	struct sbuf b = {0};
	char *canon = NULL;

	if ((err = store_person_get(c->store, a->pos[0], &from)))
		return err;
	if ((err = reassign_filters(c, a, &p, &x)) ||
	    (err = store_person_ensure(c->store, a->pos[1], c->now, &canon)) ||
	    (err = store_person_get(c->store, canon, &to)))
		goto done;
	if (from.id == to.id) {
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "'%s' and '%s' are the same person",
				   shown(a->pos[0]), shown(a->pos[1]));
		goto done;
	}
	if ((err = store_person_roles(c->store, from.name, collect_move, &x)))
		goto done;
	if (x.n == 0) {
		err = ap_error_fmt(
		    AP_EXIT_NOTFOUND,
		    "'%s' holds no role%s%s%s%s%s to reassign", from.name,
		    x.role ? " " : "", x.role ? x.role : "",
		    x.project ? " on '" : "", x.project ? x.project : "",
		    x.project ? "'" : " on an open project");
		goto done;
	}
	for (size_t i = 0; i < x.n && !err; i++) {
		err = move_one(c, &x.v[i], from.name, to.name);
		sbuf_printf(&b, "%s%s %s", i ? ", " : "", x.v[i].project,
			    x.v[i].role);
	}
	if (err || (err = person_event(c, to.id, "reassign", from.name, b.s)))
		goto done;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "from", from.name);
		jw_kstr(&w, "to", to.name);
		jw_key(&w, "reassigned");
		jw_arr(&w);
		for (size_t i = 0; i < x.n; i++) {
			jw_obj(&w);
			jw_kstr(&w, "project", x.v[i].project);
			jw_kstr(&w, "role", x.v[i].role);
			jw_end(&w);
		}
		jw_end(&w);
		jw_done(&w);
	} else {
		text_linef(c->out, 2, "Reassigned %zu %s from '%s' to '%s': %s",
			   x.n, x.n == 1 ? "role" : "roles", from.name, to.name,
			   b.s);
	}
done:
	sbuf_free(&b);
	moves_free(&x);
	free(canon);
	store_project_clear(&p);
	store_person_clear(&from);
	store_person_clear(&to);
	return err;
}
