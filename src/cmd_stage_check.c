/* cmd_stage_check.c - `stage check`: a CI gate on a project's stage, gate,
 * KPIs, verified history, due date and live release (exit 0 when every
 * condition holds, 1 when one does not). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* --verified: the first row of the first broken chain, kept. */
struct verify_first {
	struct eng_verify v;
	char chain[32], kpi[128], problem[32];
};

static const struct ap_error *
on_broken(void *arg, const struct store_verify_row *r)
{
	struct verify_first *f = arg;

	if (f->v.chain)
		return NULL;
	snprintf(f->chain, sizeof(f->chain), "%s", r->chain);
	snprintf(f->kpi, sizeof(f->kpi), "%s", r->kpi ? r->kpi : "");
	snprintf(f->problem, sizeof(f->problem), "%s", r->problem);
	f->v.chain = f->chain;
	f->v.kpi = r->kpi ? f->kpi : NULL;
	f->v.row = r->row;
	f->v.problem = f->problem;
	return NULL;
}

/* Recompute the project's hash chains (store_verify()). */
static const struct ap_error *
verify_project(struct cli *c, const char *name, struct verify_first *f)
{
	struct store_verify_stats st = {0};
	const struct ap_error *err;

	memset(f, 0, sizeof(*f));
	if ((err = store_verify(c->store, name, on_broken, f, &st)))
		return err;
	f->v.chains = st.chains;
	f->v.rows = st.rows;
	f->v.broken = st.broken;
	return NULL;
}

/* The stage a condition names (--at-least, --is), or NULL. */
static const char *
cond_arg(const struct cli *c, const struct eng_cond *k)
{
	if (k->kind == EC_LIVE)
		return k->version;
	return k->kind == EC_AT_LEAST || k->kind == EC_IS ||
		       k->kind == EC_STARTED
		   ? c->lc.stages[k->stage].slug
		   : NULL;
}

/* GitHub workflow command escaping of a message. */
void
gh_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", f);
		else if (*s == '\r')
			fputs("%0D", f);
		else if (*s == '\n')
			fputs("%0A", f);
		else
			fputc(*s, f);
	}
}

/* The conditions asked for, in the order stage check lists them. */
static const struct ap_error *
stage_check_conditions(struct cli *c, const struct args *a, struct eng_cond *cd,
		       int *n)
{
	const struct ap_error *err;
	const char *v;
	int idx;

	*n = 0;
	if (!opt_has(a, "at-least") && !opt_has(a, "is") &&
	    !opt_has(a, "started") && !opt_has(a, "gate") &&
	    !opt_has(a, "kpis") && !opt_has(a, "verified") &&
	    !opt_has(a, "on-time") && !opt_has(a, "live"))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "stage check needs a condition: --at-least"
				    " STAGE, --is STAGE, --started STAGE,"
				    " --gate, --kpis, --verified, --on-time or"
				    " --live[=VERSION]");
	/* resolve stage arguments before reading the project: each one
	 * given is a condition (--started a --started b: both), in the
	 * order at-least, is, started */
	for (int kind = EC_AT_LEAST; kind <= EC_STARTED; kind++) {
		static const char *const name[] = {
		    [EC_AT_LEAST] = "at-least",
		    [EC_IS] = "is",
		    [EC_STARTED] = "started",
		};
		for (int i = 0; i < a->nopt; i++) {
			if (strcmp(a->opt[i].name, name[kind]) != 0)
				continue;
			/* room for the five flags and the active one */
			if (*n >= ENG_MAX_COND - 6)
				return ap_error_fmt(
				    AP_EXIT_USAGE,
				    "stage check takes at most %d stage"
				    " conditions",
				    ENG_MAX_COND - 6);
			if ((err = lifecycle_resolve_stage(
				 &c->lc, a->opt[i].val, &idx)))
				return err;
			cd[*n].kind = kind;
			cd[(*n)++].stage = idx;
		}
	}
	if (opt_has(a, "gate"))
		cd[(*n)++].kind = EC_GATE;
	if (opt_has(a, "kpis"))
		cd[(*n)++].kind = EC_KPIS;
	if (opt_has(a, "verified"))
		cd[(*n)++].kind = EC_VERIFIED;
	if (opt_has(a, "on-time"))
		cd[(*n)++].kind = EC_ON_TIME;
	if (opt_has(a, "live")) {
		v = opt_val(a, "live");
		if (*v && (err = eng_check_version(v)))
			return err;
		cd[*n].kind = EC_LIVE;
		cd[(*n)++].version = *v ? v : NULL;
	}
	return NULL;
}

static void
stage_check_json(struct cli *c, const struct pstate *ps, struct eng_cond *cd,
		 int n, int failed)
{
	struct jw w;

	out_project_doc(c, &w, &ps->p);
	jw_kstr(&w, "status", proj_status_name(ps->p.status));
	jw_kbool(&w, "holds", failed == 0);
	jw_key(&w, "conditions");
	jw_arr(&w);
	for (int i = 0; i < n; i++) {
		const char *arg = cond_arg(c, &cd[i]);
		jw_obj(&w);
		jw_kstr(&w, "name", eng_cond_name(cd[i].kind));
		if (arg)
			jw_kstr(&w, cd[i].kind == EC_LIVE ? "version" : "stage",
				arg);
		jw_kbool(&w, "holds", cd[i].holds);
		jw_kstr(&w, "detail", cd[i].detail.s);
		jw_end(&w);
	}
	jw_done(&w);
}

static void
stage_check_github(struct cli *c, const struct pstate *ps, struct eng_cond *cd,
		   int n)
{
	for (int i = 0; i < n; i++) {
		const char *arg = cond_arg(c, &cd[i]);
		fputs(cd[i].holds ? "::notice title=aiproj stage check::"
				  : "::error title=aiproj stage check::",
		      c->out);
		fprintf(c->out, "%s: %s%s%s %s: ", ps->p.name,
			eng_cond_name(cd[i].kind), arg ? " " : "",
			arg ? arg : "",
			cd[i].holds ? "holds" : "does not hold");
		gh_escape(c->out, cd[i].detail.s);
		fputc('\n', c->out);
	}
}

static void
stage_check_text(struct cli *c, const struct pstate *ps, struct eng_cond *cd,
		 int n, int failed)
{
	if (failed)
		text_linef(c->out, 2, "%s: %d of %d conditions do not hold",
			   ps->p.name, failed, n);
	else
		text_linef(c->out, 2, "%s: all %d conditions hold", ps->p.name,
			   n);
	for (int i = 0; i < n; i++) {
		const char *arg = cond_arg(c, &cd[i]);
		text_linef(c->out, 7, "  %-4s %s%s%s: %s",
			   cd[i].holds ? "ok" : "FAIL",
			   eng_cond_name(cd[i].kind), arg ? " " : "",
			   arg ? arg : "", cd[i].detail.s);
	}
}

const struct ap_error *
cmd_stage_check(struct cli *c, struct args *a)
{
	const struct ap_error *err = NULL;
	struct eng_cond cd[ENG_MAX_COND];
	struct kpi_list kl = {0};
	struct verify_first vf;
	struct pstate ps;
	int n = 0, failed = 0;
	char today[11], *due = NULL;

	memset(cd, 0, sizeof(cd));
	if ((err = stage_check_conditions(c, a, cd, &n)))
		return err;
	/* --on-time: the day it is */
	snprintf(today, sizeof(today), "%.10s", c->now);
	for (int i = 0; i < n; i++)
		cd[i].today = today;
	if ((err = pstate_load(c, a->pos[0], -1, &ps)))
		return err;
	if ((opt_has(a, "on-time") &&
	     (err = store_due_get(c->store, ps.p.id, ps.p.stage, &due))) ||
	    (opt_has(a, "kpis") && (err = kpi_list_load(c, &ps.p, &kl))) ||
	    (opt_has(a, "verified") &&
	     (err = verify_project(c, ps.p.name, &vf))))
		goto done;
	ps.e.due = due;
	if ((err = eng_stage_check(&c->lc, &ps.e, kl.k, kl.n,
				   opt_has(a, "verified") ? &vf.v : NULL, cd,
				   &n, &failed)))
		goto done;
	if (c->format & (FMT_JSON | FMT_YAML))
		stage_check_json(c, &ps, cd, n, failed);
	else if (c->format == FMT_GITHUB)
		stage_check_github(c, &ps, cd, n);
	else
		stage_check_text(c, &ps, cd, n, failed);
	if (failed)
		err = ap_error_fmt(AP_EXIT_FALSE, "%s", "");
done:
	eng_conds_free(cd, n);
	kpi_list_free(&kl);
	free(due);
	pstate_free(&ps);
	return err;
}
