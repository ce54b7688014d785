/* cmd_init.c - init: create a store, or set up an empty one. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"

static const struct ap_error *
count_project(void *arg, const struct store_project *p)
{
	(void)p;
	(*(int *)arg)++;
	return NULL;
}

/* init --lifecycle FILE: a store's own lifecycle, validated like an
 * import, set while the store holds no project (a store with projects
 * takes only the lifecycle it already has, byte for byte: a repeated
 * init changes nothing). */
static const struct ap_error *
set_lifecycle(struct cli *c, const char *path)
{
	const struct ap_error *err;
	struct lifecycle lc;
	char *buf;
	size_t len;
	int n = 0;

	if ((err = read_input(path, &buf, &len)))
		return err;
	if ((err = lifecycle_parse(buf, len, path, &lc))) {
		free(buf);
		return err;
	}
	if ((err = store_project_list(c->store, NULL, 1, count_project, &n)))
		goto done;
	if (n) {
		/* the very lifecycle the store has: nothing to change */
		char *had = NULL;
		int same;
		if ((err = store_meta_get(c->store, "lifecycle", &had)))
			goto done;
		same = had && strlen(had) == len && memcmp(had, buf, len) == 0;
		free(had);
		if (same)
			goto done;
		err = ap_error_fmt(AP_EXIT_REFUSED,
				   "cannot change the lifecycle of store '%s':"
				   " it holds %d project%s (export them, init a"
				   " new store with the lifecycle, import)",
				   c->db, n, n == 1 ? "" : "s");
		goto done;
	}
	if ((err = store_meta_set(c->store, "lifecycle", buf)) ||
	    (err = store_raci_set(c->store, &lc)))
		goto done;
	lifecycle_free(&c->lc);
	c->lc = lc;
	memset(&lc, 0, sizeof(lc));
done:
	lifecycle_free(&lc);
	free(buf);
	return err;
}

const struct ap_error *
cmd_init(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *policy = opt_val(a, "policy");
	const char *lcfile = opt_val(a, "lifecycle");

	if (lcfile && (err = set_lifecycle(c, lcfile)))
		return err;
	if (policy) {
		if ((err = store_meta_set(c->store, "policy", policy)))
			return err;
		c->policy_roles = strcmp(policy, "roles") == 0;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "store", c->db);
		jw_kbool(&w, "created", store_created(c->store));
		jw_kint(&w, "schema_version", STORE_SCHEMA_VERSION);
		jw_kstr(&w, "policy", c->policy_roles ? "roles" : "open");
		jw_key(&w, "stages");
		jw_arr(&w);
		for (size_t i = 0; i < c->lc.nstages; i++)
			jw_str(&w, c->lc.stages[i].slug);
		jw_end(&w);
		jw_done(&w);
	} else if (store_created(c->store)) {
		fprintf(c->out, "Initialized empty aiproj store at %s\n",
			c->db);
	} else {
		fprintf(c->out, "aiproj store at %s is ready\n", c->db);
	}
	if (policy && c->format == FMT_TEXT)
		text_linef(c->out, 2, "Policy: %s", policy);
	if (lcfile && c->format == FMT_TEXT)
		fprintf(c->out, "Lifecycle: %zu stage%s, %zu role%s from %s\n",
			c->lc.nstages, c->lc.nstages == 1 ? "" : "s",
			c->lc.nroles, c->lc.nroles == 1 ? "" : "s", lcfile);
	return NULL;
}
