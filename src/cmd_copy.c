/*
 * cmd_copy.c - copy: a whole store into another, SQLite or PostgreSQL
 * either way (store_copy()), or its projects added to another's with
 * --merge (an export of the one imported into the other).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct copied {
	char table[32];
	int64_t rows;
};

struct copy_run {
	struct copied t[64];
	size_t n;
	int64_t rows, projects;
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

/* A store file this copy made, removed again when the copy fails. */
static void
unmake(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

const struct ap_error *
cmd_copy(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *to = opt_val(a, "to"), *from = opt_val(a, "from");
	const char *src, *dst;
	struct store *s = NULL, *d = NULL;
	struct copy_run r = {0};
	int dry = opt_has(a, "dry-run"), busy, made = 0;
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
	if (opt_has(a, "merge"))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "copy: --merge is not available yet");
	if ((err = cli_busy_timeout(&busy)) ||
	    (err = store_open(src, busy, STORE_READ, &s)))
		goto done;
	/* a dry run makes nothing: a missing destination is a new store in
	 * memory */
	err = store_open(dst, busy, dry ? 0 : STORE_CREATE, &d);
	if (dry && store_missing(err))
		err = store_open_memory(&d);
	if (err)
		goto done;
	made = !dry && store_created(d) && !store_location_is_pg(dst);
	if (!(src_name = strdup(store_path(s))) ||
	    !(dst_name = strdup(dry && !store_location_is_pg(dst)
				    ? dst
				    : store_path(d)))) {
		err = ap_error_nomem();
		goto done;
	}
	if ((err = store_copy(s, d, copied, &r)))
		goto done;
	store_rollback(s);
	if (dry)
		store_rollback(d);
	else if ((err = store_commit(d)))
		goto done;
	made = 0;
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
	if (made)
		unmake(dst);
	free(src_name);
	free(dst_name);
	return err;
}
