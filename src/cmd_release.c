/* cmd_release.c - what is live in production: release add, list,
 * retire. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct live_ctx {
	char *version, *since;
};

static const struct ap_error *
live_row(void *arg, const struct store_release *r)
{
	struct live_ctx *l = arg;

	l->version = strdup(r->version);
	l->since = strdup(r->at);
	return l->version && l->since ? NULL : ap_error_nomem();
}

const struct ap_error *
live_get(struct cli *c, int64_t project, char **version, char **since)
{
	struct live_ctx l = {0};
	const struct ap_error *err =
	    store_release_live(c->store, project, live_row, &l);

	if (err) {
		free(l.version);
		free(l.since);
		l.version = l.since = NULL;
	}
	*version = l.version;
	*since = l.since;
	return err;
}

void
live_json(struct jw *w, const char *version, const char *since)
{
	jw_key(w, "live");
	if (!version) {
		jw_null(w);
		return;
	}
	jw_obj(w);
	jw_kstr(w, "version", version);
	jw_kstr(w, "since", since);
	jw_end(w);
}

struct release_hook {
	const struct store_release *r;
	const char *superseded;
};

/* A release's own keys, for the post-release hook's payload: those of
 * release add's JSON output. */
static void
release_fields(struct jw *w, const void *arg)
{
	const struct release_hook *h = arg;

	jw_kstr(w, "version", h->r->version);
	jw_kstr(w, "artifact", h->r->artifact);
	jw_kstr(w, "digest", h->r->digest);
	jw_kstr(w, "commit", h->r->commit);
	jw_kstr(w, "note", h->r->note);
	jw_kstr(w, "superseded", h->superseded);
}

const struct ap_error *
cmd_release_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct pstate ps;
	char *superseded = NULL;
	struct store_release r = {
	    .version = a->pos[1],
	    .artifact = opt_val(a, "artifact"),
	    .digest = opt_val(a, "digest"),
	    .commit = opt_val(a, "commit"),
	    .note = opt_val(a, "note"),
	    .actor = c->actor,
	    .at = c->now,
	};

	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((err = cli_project_clock(c, ps.p.id))) {
		pstate_free(&ps);
		return err;
	}
	if ((err = eng_check_release(&c->lc, &ps.e)) ||
	    (err = store_release_add(c->store, ps.p.id, &r, &superseded))) {
		if (err->code == AP_EXIT_CONFLICT)
			err =
			    ap_error_fmt(AP_EXIT_CONFLICT, "%s on project '%s'",
					 err->msg, ps.p.name);
		goto done;
	}
	{
		struct release_hook h = {&r, superseded};
		if ((err = hook_fire(c, "release", ps.p.name, release_fields,
				     &h)))
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", ps.p.name);
		jw_kstr(&w, "version", r.version);
		jw_kstr(&w, "artifact", r.artifact);
		jw_kstr(&w, "digest", r.digest);
		jw_kstr(&w, "commit", r.commit);
		jw_kstr(&w, "note", r.note);
		jw_kstr(&w, "actor", c->actor);
		jw_kstr(&w, "at", c->now);
		jw_kstr(&w, "superseded", superseded);
		jw_done(&w);
	} else if (superseded) {
		text_linef(c->out, 2,
			   "Release %s of '%s' is live; it supersedes %s",
			   r.version, ps.p.name, superseded);
	} else {
		text_linef(c->out, 2, "Release %s of '%s' is live", r.version,
			   ps.p.name);
	}
done:
	free(superseded);
	pstate_free(&ps);
	return err;
}

/* "live", "superseded", "retired" */
static const char *
release_state(const struct store_release *r)
{
	return r->ended ? r->ended : "live";
}

static const struct ap_error *
list_release(void *arg, const struct store_release *r)
{
	struct listing *l = arg;

	if (listing_doc(l)) {
		jw_obj(&l->w);
		jw_kstr(&l->w, "version", r->version);
		jw_kstr(&l->w, "state", release_state(r));
		jw_kstr(&l->w, "artifact", r->artifact);
		jw_kstr(&l->w, "digest", r->digest);
		jw_kstr(&l->w, "commit", r->commit);
		jw_kstr(&l->w, "note", r->note);
		jw_kstr(&l->w, "actor", r->actor);
		jw_kstr(&l->w, "at", r->at);
		jw_kstr(&l->w, "ended_by", r->ended_by);
		jw_kstr(&l->w, "ended_at", r->ended_at);
		jw_kstr(&l->w, "end_reason", r->end_reason);
		jw_end(&l->w);
	} else {
		const char *row[] = {r->version, release_state(r), r->at,
				     r->actor, r->artifact ? r->artifact : "-"};
		table_row(&l->t, row);
	}
	l->n++;
	return NULL;
}

const struct ap_error *
cmd_release_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct listing l;
	static const char *const head[] = {"VERSION", "STATE", "AT", "ACTOR",
					   "ARTIFACT"};
	static const int width[] = {12, 10, 24, 12, 0};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	listing_begin(&l, c, p.name, "releases", 5, head, width);
	table_keep(&l.t, TABLE_COL(3)); /* the actor */
	err = store_releases(c->store, p.id, list_release, &l);
	err = listing_end(&l, err,
			  "No releases of '%s' (record one with 'aiproj release"
			  " add')",
			  p.name);
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_release_retire(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *version = a->pos[1], *reason = opt_val(a, "reason");
	struct store_project p;

	/* a closed project's too: what serves in production may outlive the
	 * project, and its end is the one change a closed project takes */
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = store_release_retire(c->store, p.id, version, c->actor,
					c->now, reason))) {
		if (err->code == AP_EXIT_NOTFOUND ||
		    err->code == AP_EXIT_REFUSED)
			err = ap_error_fmt(err->code, "%s on project '%s'",
					   err->msg, p.name);
		goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "version", version);
		jw_kstr(&w, "state", "retired");
		jw_kstr(&w, "actor", c->actor);
		jw_kstr(&w, "reason", reason);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		text_linef(c->out, 2,
			   "Release %s of '%s' retired: no release is live",
			   version, p.name);
	}
done:
	store_project_clear(&p);
	return err;
}

/* ---- the portfolio: report status ---- */

static const struct ap_error *
monitor_row_add(void *arg, const struct store_monitor_row *r)
{
	struct monitor *m = arg;
	struct monitor_row *n = realloc(m->rows, (m->n + 1) * sizeof(*n));

	if (!n)
		return ap_error_nomem();
	m->rows = n;
	n = &n[m->n++];
	memset(n, 0, sizeof(*n));
	n->open_breaches = r->open_breaches;
	if (!(n->project = strdup(r->project)) ||
	    (r->version && !(n->version = strdup(r->version))) ||
	    (r->since && !(n->since = strdup(r->since))))
		return ap_error_nomem();
	return NULL;
}

const struct ap_error *
monitor_load(struct cli *c, struct monitor *m)
{
	const struct ap_error *err;

	memset(m, 0, sizeof(*m));
	if ((err = store_report_monitor(c->store, monitor_row_add, m)))
		monitor_free(m);
	return err;
}

const struct monitor_row *
monitor_find(const struct monitor *m, const char *project)
{
	size_t lo = 0, hi = m->n;

	/* by name, bytewise, as the store sorts them */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = strcmp(m->rows[mid].project, project);
		if (d == 0)
			return &m->rows[mid];
		if (d < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void
monitor_json(struct jw *w, const struct monitor_row *r)
{
	live_json(w, r ? r->version : NULL, r ? r->since : NULL);
	jw_kint(w, "open_breaches", r ? r->open_breaches : 0);
}

void
monitor_text(struct sbuf *b, const struct monitor_row *r)
{
	if (!r)
		return;
	sbuf_printf(b, "  %s  ", r->project);
	if (r->version)
		sbuf_printf(b, "live: %s (since %s)", r->version, r->since);
	else
		sbuf_printf(b, "no release live");
	if (r->open_breaches)
		sbuf_printf(b, ", %d open breach%s", r->open_breaches,
			    r->open_breaches == 1 ? "" : "es");
	sbuf_printf(b, "\n");
}

void
monitor_free(struct monitor *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->rows[i].project);
		free(m->rows[i].version);
		free(m->rows[i].since);
	}
	free(m->rows);
	memset(m, 0, sizeof(*m));
}
