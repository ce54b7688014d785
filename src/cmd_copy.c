/*
 * cmd_copy.c - copy: a whole store into another, SQLite or PostgreSQL
 * either way (store_copy()), or its projects added to another's with
 * --merge (an export of the one imported into the other).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aiproj/yamlio.h"
#include "cli.h"

struct copied {
	char table[32];
	int64_t rows;
};

struct copy_run {
	struct copied t[64];
	size_t n;
	int64_t rows, projects;
	struct cli *c; /* the command, and the destination's check: */
	struct cli m;  /* the copy as a command on the destination */
	char *who;     /* the destination's authenticated user (m.actor) */
};

static const struct ap_error *
copied(void *arg, const char *table, int64_t rows)
{
	struct copy_run *r = arg;

	if (r->n < sizeof(r->t) / sizeof(r->t[0])) {
		snprintf(r->t[r->n].table, sizeof(r->t[r->n].table), "%s",
			 table);
		r->t[r->n++].rows = rows;
	}
	r->rows += rows;
	if (!strcmp(table, "project"))
		r->projects = rows;
	return NULL;
}

static void
print_copy(struct cli *c, const char *from, const char *to, int dry,
	   const struct copy_run *r)
{
	if (c->quiet)
		return;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "from", from);
		jw_kstr(&w, "to", to);
		jw_kbool(&w, "dry_run", dry);
		jw_kint(&w, "projects", r->projects);
		jw_kint(&w, "rows", r->rows);
		jw_key(&w, "tables");
		jw_obj(&w);
		for (size_t i = 0; i < r->n; i++)
			jw_kint(&w, r->t[i].table, r->t[i].rows);
		jw_end(&w);
		jw_done(&w);
		return;
	}
	fprintf(c->out,
		"%s %lld project%s (%lld rows in %zu tables) from %s to %s\n",
		dry ? "Would copy" : "Copied", (long long)r->projects,
		r->projects == 1 ? "" : "s", (long long)r->rows, r->n, from,
		to);
}


/* A store's lifecycle and policy, as main.c loads them for a command. */
static const struct ap_error *
load_settings(struct store *s, struct cli *m)
{
	const struct ap_error *err;
	char *text = NULL, *policy = NULL;

	if ((err = store_meta_get(s, "policy", &policy)) ||
	    (err = store_meta_get(s, "lifecycle", &text)))
		goto done;
	m->policy_roles = policy && strcmp(policy, "roles") == 0;
	if (!text) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s' has no lifecycle: it is damaged",
				   store_path(s));
		goto done;
	}
	err = lifecycle_parse_stored(text, strlen(text), "store lifecycle",
				     &m->lc);
done:
	free(text);
	free(policy);
	return err;
}

static const struct command *
command_named(const char *group)
{
	for (const struct command *k = commands; k->group; k++)
		if (!strcmp(k->group, group) && !k->verb)
			return k;
	return NULL;
}

/* The import's error about its file made one about the source store. */
static const struct ap_error *
renamed(const struct ap_error *err, const char *path, const char *from)
{
	struct sbuf b = {0};
	const char *p = err->msg, *q;
	const char *skip = " (--replace overwrites them)";
	int ok = 1;

	while (ok && (q = strstr(p, path))) {
		ok = sbuf_add(&b, p, (size_t)(q - p)) == 0 &&
		     sbuf_add(&b, from, strlen(from)) == 0;
		p = q + strlen(path);
	}
	if (!ok || sbuf_add(&b, p, strlen(p)) != 0) {
		sbuf_free(&b);
		return err;
	}
	if ((q = strstr(b.s, skip)))
		memmove((char *)q, q + strlen(skip),
			strlen(q + strlen(skip)) + 1);
	err = ap_error_fmt(err->code, "%s", b.s);
	sbuf_free(&b);
	return err;
}

/* The copy as a command that writes, for its rule (auth_rules: "copy"). */
static const struct command *
copy_command(void)
{
	static struct command k;

	if (!k.group) {
		k = *command_named("copy");
		k.flags |= CMD_WRITE;
	}
	return &k;
}

/*
 * The destination's policy, judged before anything of it is read or
 * written (store_copy_checked()): under 'roles' a whole copy replaces its
 * policy and administrators, so only one of its administrators may run
 * it, whoever made the source; under 'open' (and in a new store) anyone
 * who may write it.  The actor is the one writing the destination: on a
 * server, its authenticated user.  A refusal is remembered in r->m.
 */
static const struct ap_error *
copy_authorize(void *arg, struct store *d)
{
	const struct ap_error *err;
	struct copy_run *r = arg;
	struct args none = {0};
	char *policy = NULL;

	if ((err = store_meta_get(d, "policy", &policy)))
		return err;
	if (!policy || strcmp(policy, "roles") != 0) {
		free(policy);
		return NULL;
	}
	free(policy);
	r->m = *r->c;
	memset(&r->m.lc, 0, sizeof(r->m.lc));
	r->m.store = d;
	r->m.cmd = copy_command();
	r->m.refused = 0;
	now_utc(r->m.now);
	if ((err = store_actor(d, &r->who)))
		return err;
	if (r->who)
		r->m.actor = r->who;
	if ((err = load_settings(d, &r->m)))
		return err;
	return authorize(&r->m, &none);
}

/*
 * --merge: the source's export imported into the destination, as
 * `aiproj --db SRC export | aiproj --db DEST import -` would, in this
 * process, through a temporary file: the import's rules (new projects
 * added, unchanged ones skipped, a project that differs refused: nothing
 * is changed), its checks of who may import, in one transaction; the
 * destination keeps its own lifecycle, policy and administrators.
 */
static const struct ap_error *
merge(struct cli *c, struct store *s, struct store *d, int dry,
      const char *from, const char *to)
{
	const struct ap_error *err;
	struct cli e = *c, m = *c;
	struct args none = {0}, ia = {0};
	const char *tmp = getenv("TMPDIR");
	char path[4096];
	char *buf = NULL, *who = NULL;
	size_t len = 0;
	FILE *out = NULL;
	int fd;

	memset(&e.lc, 0, sizeof(e.lc));
	memset(&m.lc, 0, sizeof(m.lc));
	memset(&m.hooks, 0, sizeof(m.hooks));
	m.hooks.off = 1;
	snprintf(path, sizeof(path), "%s/aiproj-copy-XXXXXX",
		 tmp && *tmp == '/' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		return ap_error_errno(AP_EXIT_STORE, "cannot create", path);
	e.store = s;
	e.format = FMT_TEXT;
	e.quiet = 1;
	if (!(e.out = fdopen(fd, "w+"))) {
		close(fd);
		err = ap_error_nomem();
		goto done;
	}
	if ((err = store_begin(s, 0)) || (err = load_settings(s, &e)) ||
	    (err = cmd_export(&e, &none)))
		goto done;
	if (fflush(e.out) != 0 || ferror(e.out)) {
		err = ap_error_errno(AP_EXIT_STORE, "cannot write", path);
		goto done;
	}
	store_rollback(s);
	/* the import, as main.c runs a command */
	m.store = d;
	m.cmd = command_named("import");
	m.rollback_only = 0;
	m.trial = 0;
	if ((err = store_actor(d, &who)))
		goto done;
	if (who)
		m.actor = who;
	if (!(out = open_memstream(&buf, &len))) {
		err = ap_error_nomem();
		goto done;
	}
	m.out = out;
	m.format = FMT_JSON;
	ia.pos[0] = path;
	ia.npos = 1;
	now_utc(m.now);
	if ((err = store_begin(d, 1)) || (err = load_settings(d, &m)) ||
	    (err = authorize(&m, &ia)))
		goto done;
	if ((err = cmd_import(&m, &ia))) {
		err = renamed(err, path, from);
		goto done;
	}
	if (store_created(d) &&
	    (err = store_admin_add(d, m.actor, m.actor, m.now, &fd)))
		goto done;
	fclose(out);
	out = NULL;
	if (dry)
		store_rollback(d);
	else if ((err = store_commit(d)))
		goto done;
	{
		/* the import's counts, under the stores' names */
		int n[3] = {0, 0, 0};
		const char *k[3] = {"\"created\"", "\"replaced\"",
				    "\"unchanged\""};
		for (int i = 0; i < 3; i++) {
			const char *p = buf ? strstr(buf, k[i]) : NULL;
			if (!p || !(p = strchr(p, '[')))
				continue;
			for (p++; *p && *p != ']'; p++)
				if (*p == '"')
					n[i]++;
			n[i] /= 2;
		}
		if (c->quiet) {
			/* nothing to say */
		} else if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "from", from);
			jw_kstr(&w, "to", to);
			jw_kbool(&w, "dry_run", dry);
			jw_kbool(&w, "merge", 1);
			jw_kint(&w, "created", n[0]);
			jw_kint(&w, "replaced", n[1]);
			jw_kint(&w, "unchanged", n[2]);
			jw_done(&w);
		} else {
			fprintf(c->out,
				"%s %s into %s: %d created, %d unchanged\n",
				dry ? "Would merge" : "Merged", from, to, n[0],
				n[2]);
		}
	}
done:
	/* refused by the destination's policy: logged there, as main.c logs
	 * a command's refusal (a dry run's too) */
	if (err && m.refused) {
		store_rollback(s);
		refusal_log(&m);
	}
	if (out)
		fclose(out);
	if (e.out)
		fclose(e.out);
	unlink(path);
	lifecycle_free(&e.lc);
	lifecycle_free(&m.lc);
	free(buf);
	free(who);
	return err;
}

const struct ap_error *
cmd_copy(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *to = opt_val(a, "to"), *from = opt_val(a, "from");
	const char *src, *dst;
	struct store *s = NULL, *d = NULL;
	struct copy_run r = {0};
	int dry = opt_has(a, "dry-run"), busy;
	char *src_name = NULL, *dst_name = NULL;

	if (!to == !from)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "copy: give one of --to DEST (from the"
				    " store) and --from SRC (into the store)");
	src = from ? from : c->db;
	dst = to ? to : c->db;
	if (!*src || !*dst)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "copy: the store location %s is empty",
				    to ? "--to" : "--from");
	if ((err = cli_busy_timeout(&busy)) ||
	    (err = store_open(src, busy, STORE_READ, &s)))
		goto done;
	/* a dry run makes nothing: a missing destination is a private scratch
	 * store; otherwise a missing file is written beside its place and
	 * put there when the copy commits (a failed or interrupted copy
	 * leaves nothing) */
	err = store_open(dst, busy,
			 dry ? 0 : STORE_CREATE | STORE_CREATE_AT_COMMIT, &d);
	if (dry && store_missing(err) && !(err = store_create_check(dst, 0)))
		err = store_open_scratch(&d);
	if (err)
		goto done;
	if (!(src_name = strdup(store_path(s))) ||
	    !(dst_name = strdup(
		  dry && !store_location_is_pg(dst) ? dst : store_path(d)))) {
		err = ap_error_nomem();
		goto done;
	}
	if (opt_has(a, "merge")) {
		if (!(err = store_copy_other(s, d)))
			err = merge(c, s, d, dry, src_name, dst_name);
		goto done;
	}
	r.c = c;
	if ((err = store_copy_checked(s, d, copy_authorize, copied, &r))) {
		if (r.m.refused) {
			store_rollback(s);
			refusal_log(&r.m);
		}
		goto done;
	}
	store_rollback(s);
	if (dry)
		store_rollback(d);
	else if ((err = store_commit(d)))
		goto done;
	print_copy(c, src_name, dst_name, dry, &r);
done:
	if (s) {
		store_rollback(s);
		store_close(s);
	}
	if (d) {
		store_rollback(d);
		store_close(d);
	}
	lifecycle_free(&r.m.lc);
	free(r.who);
	free(src_name);
	free(dst_name);
	return err;
}
