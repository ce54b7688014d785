/*
 * cmd_hooks.c - hooks on the command line: the options, the events a
 * command fires, running them at COMMIT, and `aiproj hooks`.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aiproj/hooks.h"
#include "aiproj/util.h"
#include "cli.h"

const struct ap_error *
hooks_setup(struct cli *c, const struct args *a)
{
	struct cli_hooks *h = &c->hooks;
	const char *v = getenv("AIPROJ_HOOK_TIMEOUT");
	const struct ap_error *err;
	long long t = HOOK_TIMEOUT_DEFAULT;

	if (v && (err = parse_whole("AIPROJ_HOOK_TIMEOUT", v, 1,
				    HOOK_TIMEOUT_MAX, &t)))
		return err;
	h->timeout = (int)t;
	h->option = opt_val(a, "hooks");
	h->strict = opt_has(a, "strict-hooks");
	/* an import replays history: hooks only when asked for */
	h->off = !h->option && c->cmd && strcmp(c->cmd->group, "import") == 0;
	if (hooks_dir(h->option, &h->dir, &h->src))
		return ap_error_nomem();
	return NULL;
}

static const struct ap_error *
payload(struct cli *c, const char *event, const char *project,
	hook_fields_fn fields, const void *arg, struct hook_pending *p)
{
	FILE *f = open_memstream(&p->payload, &p->len);
	struct jw w;

	if (!f)
		return ap_error_nomem();
	jw_init(&w, f);
	jw_doc(&w);
	jw_kstr(&w, "event", event);
	jw_kstr(&w, "project", project);
	jw_kstr(&w, "actor", c->actor);
	jw_kstr(&w, "at", c->now);
	if (fields)
		fields(&w, arg);
	jw_done(&w);
	if (fclose(f) != 0)
		return ap_error_nomem();
	return NULL;
}

/* Queue the hook of `event` (pre-X or post-X) if it would run. */
static const struct ap_error *
queue(struct cli *c, const char *event, const char *project,
      hook_fields_fn fields, const void *arg)
{
	struct cli_hooks *h = &c->hooks;
	struct hook_pending *q, *p;
	const struct ap_error *err;
	char *path;
	enum hook_state st = hook_lookup(h->dir, event, &path);

	free(path);
	if (st != HOOK_RUNS)
		return NULL;
	if (!(q = realloc(h->q, (h->nq + 1) * sizeof(*q))))
		return ap_error_nomem();
	h->q = q;
	p = &q[h->nq];
	memset(p, 0, sizeof(*p));
	if (!(p->event = strdup(event)) || !(p->project = strdup(project))) {
		free(p->event);
		free(p->project);
		return ap_error_nomem();
	}
	h->nq++;
	if ((err = payload(c, event, project, fields, arg, p)))
		return err;
	return NULL;
}

const struct ap_error *
hook_fire(struct cli *c, const char *event, const char *project,
	  hook_fields_fn fields, const void *arg)
{
	const struct ap_error *err;
	char name[64];

	if (!c->hooks.dir || c->hooks.off || c->trial)
		return NULL;
	if (hook_event_known(event)) /* one hook only: "post-move" */
		return queue(c, event, project, fields, arg);
	snprintf(name, sizeof(name), "pre-%s", event);
	if (hook_event_known(name) &&
	    (err = queue(c, name, project, fields, arg)))
		return err;
	snprintf(name, sizeof(name), "post-%s", event);
	return queue(c, name, project, fields, arg);
}

/* The hook's stderr, each line indented, after a newline. */
static void
err_lines(struct sbuf *b, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, "\n");
		sbuf_add(b, "\n  ", 3);
		for (size_t i = 0; i < n; i++) {
			unsigned char ch = (unsigned char)s[i];
			char k = (ch < 0x20 && ch != '\t') || ch == 0x7f
				     ? '?'
				     : (char)ch;
			sbuf_add(b, &k, 1);
		}
		s += n + (s[n] == '\n');
	}
}

/* Run one queued hook: 0 when it succeeded, else "hook EVENT VERB: what
 * happened; AFTER" and its stderr's first lines in *why. */
static int
run_one(struct cli *c, const struct hook_pending *p, const char *verb,
	const char *after, struct sbuf *why)
{
	struct hook_result r;
	char *env[4] = {NULL}, *path = NULL, what[160];
	int ok = 0;

	if (asprintf(&env[0], "AIPROJ_EVENT=%s", p->event) < 0 ||
	    asprintf(&env[1], "AIPROJ_PROJECT=%s", p->project) < 0 ||
	    asprintf(&env[2], "AIPROJ_STORE=%s", c->db) < 0 ||
	    asprintf(&path, "%s/%s", c->hooks.dir, p->event) < 0) {
		sbuf_printf(why, "hook %s: out of memory", p->event);
		goto done;
	}
	hook_run(path, p->payload, p->len, env, c->hooks.timeout, &r);
	if (!(ok = hook_ok(&r))) {
		hook_describe(&r, c->hooks.timeout, what, sizeof(what));
		sbuf_printf(why, "hook %s %s: %s; %s", p->event, verb, what,
			    after);
		err_lines(why, r.err);
	}
done:
	for (int i = 0; i < 3; i++)
		free(env[i]);
	free(path);
	return !ok;
}

const struct ap_error *
hooks_run_pre(struct cli *c)
{
	struct cli_hooks *h = &c->hooks;
	const struct ap_error *err = NULL;

	if (c->trial || c->rollback_only)
		return NULL;
	for (size_t i = 0; i < h->nq && !err; i++) {
		struct sbuf why = {0};
		if (strncmp(h->q[i].event, "pre-", 4) != 0)
			continue;
		if (run_one(c, &h->q[i], "refused the command",
			    "nothing was changed", &why))
			err = ap_error_fmt(AP_EXIT_REFUSED, "%s",
					   why.s ? why.s : h->q[i].event);
		sbuf_free(&why);
	}
	return err;
}

void
hooks_run_post(struct cli *c)
{
	struct cli_hooks *h = &c->hooks;

	if (c->trial || c->rollback_only)
		return;
	for (size_t i = 0; i < h->nq; i++) {
		struct sbuf why = {0};
		if (strncmp(h->q[i].event, "post-", 5) == 0 &&
		    run_one(c, &h->q[i], "failed", "the command was done",
			    &why))
			sbuf_printf(&h->warn, "%s%s", h->warn.len ? "\n" : "",
				    why.s);
		sbuf_free(&why);
	}
	hooks_clear(c);
}

void
hooks_clear(struct cli *c)
{
	struct cli_hooks *h = &c->hooks;

	for (size_t i = 0; i < h->nq; i++) {
		free(h->q[i].event);
		free(h->q[i].project);
		free(h->q[i].payload);
	}
	free(h->q);
	h->q = NULL;
	h->nq = 0;
}

const struct ap_error *
hooks_after(struct cli *c, const char **warning)
{
	*warning = NULL;
	if (!c->hooks.warn.len)
		return NULL;
	if (c->hooks.strict)
		return ap_error_fmt(AP_EXIT_HOOK, "%s", c->hooks.warn.s);
	*warning = c->hooks.warn.s;
	return NULL;
}

void
hooks_free(struct cli *c)
{
	hooks_clear(c);
	free(c->hooks.dir);
	c->hooks.dir = NULL;
	sbuf_free(&c->hooks.warn);
}

/* ---- aiproj hooks ---- */

const struct ap_error *
cmd_hooks(struct cli *c, struct args *a)
{
	const struct cli_hooks *h = &c->hooks;
	int doc = (c->format & (FMT_JSON | FMT_YAML)) != 0;
	struct stat sb;
	int exists = h->dir && stat(h->dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	struct jw w;

	(void)a;
	if (doc) {
		out_doc(c, &w);
		jw_kstr(&w, "folder", h->dir);
		jw_kstr(&w, "from",
			h->src == HOOKS_NOWHERE ? NULL
						: hook_source_name(h->src));
		jw_kbool(&w, "folder_exists", exists);
		jw_kint(&w, "timeout", h->timeout);
		jw_key(&w, "hooks");
		jw_arr(&w);
	} else if (!h->dir) {
		fprintf(c->out, "No hooks folder (%s): no hook runs\n",
			h->src == HOOKS_NOWHERE && getenv("AIPROJ_HOOKS")
			    ? "AIPROJ_HOOKS is empty"
			    : "set --hooks DIR or AIPROJ_HOOKS");
	} else {
		fprintf(c->out, "Hooks folder: ");
		text_wrap(c->out, h->dir, 14, 2);
		fprintf(c->out, " (from %s%s)\n", hook_source_name(h->src),
			exists ? "" : "; missing: no hook runs");
	}
	for (int i = 0; hook_events[i]; i++) {
		char *path;
		enum hook_state st = hook_lookup(h->dir, hook_events[i], &path);
		if (doc) {
			jw_obj(&w);
			jw_kstr(&w, "event", hook_events[i]);
			jw_kstr(&w, "path", path);
			jw_kbool(&w, "runs", st == HOOK_RUNS);
			jw_kstr(&w, "state", hook_state_name(st));
			jw_end(&w);
		} else {
			fprintf(c->out, "  %-13s %s\n", hook_events[i],
				hook_state_name(st));
		}
		free(path);
	}
	if (doc) {
		jw_end(&w);
		return jw_finish(&w);
	}
	return NULL;
}
