/*
 * cmd_verify.c - verify: recompute the hash chains of the history,
 * approvals, KPI readings, KPI changes, releases and audit log
 * (docs/security.md).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct verify_out {
	struct cli *c;
	struct jw w;
	struct table t;
};

/* "history", "approval", "reading auc", "change auc", "release", "audit":
 * a chain as shown. */
static void
chain_name(char *buf, size_t size, const struct store_verify_row *v)
{
	snprintf(buf, size, "%s%s%s", v->chain, v->kpi ? " " : "",
		 v->kpi ? v->kpi : "");
}

static const struct ap_error *
on_broken(void *arg, const struct store_verify_row *v)
{
	struct verify_out *o = arg;
	char chain[256], row[24], id[24];

	if (o->c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(&o->w);
		if (v->project)
			jw_kstr(&o->w, "project", v->project);
		else {
			jw_key(&o->w, "project");
			jw_null(&o->w);
		}
		jw_kstr(&o->w, "chain", v->chain);
		if (v->kpi)
			jw_kstr(&o->w, "kpi", v->kpi);
		jw_kint(&o->w, "row", v->row);
		jw_kint(&o->w, "id", v->id);
		jw_kstr(&o->w, "problem", v->problem);
		jw_end(&o->w);
		return NULL;
	}
	chain_name(chain, sizeof(chain), v);
	snprintf(row, sizeof(row), "%" PRId64, v->row);
	snprintf(id, sizeof(id), "%" PRId64, v->id);
	{
		const char *cells[] = {v->project ? v->project : "(audit log)",
				       chain, row, id, v->problem};
		table_row(&o->t, cells);
	}
	return NULL;
}

const struct ap_error *
cmd_verify(struct cli *c, struct args *a)
{
	static const char *const head[] = {"PROJECT", "CHAIN", "ROW", "ID",
					   "PROBLEM"};
	const struct ap_error *err = NULL;
	struct verify_out o = {.c = c};
	struct store_verify_stats st = {0};
	int i, j;

	/* every named project first: an unknown one is exit 3 */
	for (i = 0; i < a->npos; i++) {
		struct store_project p;
		if ((err = store_project_get(c->store, a->pos[i], &p)))
			return err;
		store_project_clear(&p);
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &o.w);
		jw_key(&o.w, "broken");
		jw_arr(&o.w);
	} else {
		table_begin(&o.t, c->out, c->format, 5, head, NULL);
	}
	if (a->npos == 0)
		err = store_verify(c->store, NULL, on_broken, &o, &st);
	for (i = 0; i < a->npos && !err; i++) {
		for (j = 0; j < i && strcmp(a->pos[j], a->pos[i]); j++)
			;
		if (j == i)
			err = store_verify(c->store, a->pos[i], on_broken, &o,
					   &st);
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		if (err)
			return err;
		jw_end(&o.w);
		jw_kbool(&o.w, "intact", st.broken == 0);
		jw_kint(&o.w, "chains", st.chains);
		jw_kint(&o.w, "rows", st.rows);
		jw_done(&o.w);
	} else {
		table_end(&o.t);
		if (err)
			return err;
		if (c->format == FMT_TEXT && st.broken)
			text_linef(c->out, 0,
				   "%" PRId64 " of %" PRId64
				   " chains do not verify: a row changed,"
				   " inserted or removed outside aiproj",
				   st.broken, st.chains);
		else if (c->format == FMT_TEXT)
			text_linef(c->out, 0,
				   "intact: %" PRId64 " chains, %" PRId64
				   " rows",
				   st.chains, st.rows);
	}
	if (st.broken)
		return ap_error_fmt(AP_EXIT_FALSE, "%s", "");
	return NULL;
}
