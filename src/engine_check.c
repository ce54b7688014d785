/*
 * engine_check.c - the conditions of `stage check`, a CI gate's questions
 * about a project (no store, no I/O): active, at least or at a stage,
 * started, gate, KPIs, verified history, on time, live release.
 */
#include "aiproj/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

int
eng_cond_active(const struct eng_project *p, struct sbuf *detail)
{
	if (p->status == PS_ACTIVE) {
		sbuf_printf(detail, "project is active");
		return 1;
	}
	sbuf_printf(detail,
		    "project is %s: only an active project passes a"
		    " check",
		    proj_status_name(p->status));
	return 0;
}

int
eng_cond_at_least(const struct lifecycle *lc, const struct eng_project *p,
		  int want, struct sbuf *detail)
{
	int holds = p->stage >= want;

	sbuf_printf(detail, "at %s (%d), %s %s (%d)", lc->stages[p->stage].slug,
		    p->stage + 1, holds ? "at or past" : "before",
		    lc->stages[want].slug, want + 1);
	return holds;
}

int
eng_cond_is(const struct lifecycle *lc, const struct eng_project *p, int want,
	    struct sbuf *detail)
{
	sbuf_printf(detail, "at %s", lc->stages[p->stage].slug);
	return p->stage == want;
}

int
eng_cond_started(const struct lifecycle *lc, const struct eng_project *p,
		 int want, struct sbuf *detail)
{
	if (p->stage >= want) {
		sbuf_printf(detail, "at %s (%d), at or past %s (%d)",
			    lc->stages[p->stage].slug, p->stage + 1,
			    lc->stages[want].slug, want + 1);
		return 1;
	}
	sbuf_printf(detail, "at %s (%d), %s %s (%d)", lc->stages[p->stage].slug,
		    p->stage + 1,
		    eng_stage_open(p, want) ? "started early" : "not started",
		    lc->stages[want].slug, want + 1);
	return eng_stage_open(p, want);
}

const struct ap_error *
eng_cond_gate(const struct lifecycle *lc, const struct eng_project *p,
	      int *holds, struct sbuf *detail)
{
	const struct ap_error *err;
	struct gate g;

	*holds = 0;
	if ((err = gate_eval(lc, p, p->stage, &g)))
		return err;
	*holds = g.passed;
	sbuf_printf(detail, "gate of %s: %zu of %zu criteria met",
		    lc->stages[p->stage].slug, g.met, g.n);
	for (size_t j = 0; j < g.n; j++)
		if (!g.items[j].done)
			sbuf_printf(detail, "; unmet: %s", g.items[j].text);
	gate_free(&g);
	return NULL;
}

int
eng_cond_kpis(const struct eng_kpi *kpis, size_t n, struct sbuf *detail)
{
	size_t missed = 0;

	for (size_t i = 0; i < n; i++) {
		const struct eng_kpi *k = &kpis[i];
		char t[40], v[40];

		fmt_num(t, sizeof(t), k->target);
		fmt_num(v, sizeof(v), k->value);
		if (!k->has_reading)
			sbuf_printf(detail,
				    "%s%s has no reading (target %s %s)",
				    detail->len ? "; " : "", k->name,
				    kpi_op_name(k->op), t);
		else if (k->breach)
			sbuf_printf(detail,
				    "%s%s in breach since %s: latest %s misses"
				    " %s %s",
				    detail->len ? "; " : "", k->name,
				    k->breach_at ? k->breach_at : "?", v,
				    kpi_op_name(k->op), t);
		else if (!kpi_meets(k->op, k->target, k->value))
			sbuf_printf(detail, "%s%s latest %s misses %s %s",
				    detail->len ? "; " : "", k->name, v,
				    kpi_op_name(k->op), t);
		else
			continue;
		missed++;
	}
	if (n == 0) {
		sbuf_printf(detail, "no KPIs defined");
		return 0;
	}
	if (missed == 0)
		sbuf_printf(detail, "all %zu KPIs meet their targets", n);
	return missed == 0;
}

int
eng_cond_on_time(const struct eng_project *p, const char *today,
		 struct sbuf *detail)
{
	long late = eng_days_overdue(p->due, today);

	if (!p->due)
		sbuf_printf(detail, "no due date");
	else if (late > 0)
		sbuf_printf(detail, "due %s, %ld day%s overdue", p->due, late,
			    late == 1 ? "" : "s");
	else
		sbuf_printf(detail, "due %s", p->due);
	return late == 0;
}

const char *
eng_cond_name(int kind)
{
	switch (kind) {
	case EC_ACTIVE: return "active";
	case EC_AT_LEAST: return "at-least";
	case EC_IS: return "is";
	case EC_STARTED: return "started";
	case EC_GATE: return "gate";
	case EC_KPIS: return "kpis";
	case EC_VERIFIED: return "verified";
	case EC_ON_TIME: return "on-time";
	case EC_LIVE: return "live";
	}
	return "?";
}

int
eng_cond_verified(const struct eng_verify *v, struct sbuf *detail)
{
	static const struct eng_verify none = {0};

	if (!v)
		v = &none;
	if (v->broken == 0) {
		sbuf_printf(detail, "history intact: %lld chain%s, %lld row%s",
			    (long long)v->chains, v->chains == 1 ? "" : "s",
			    (long long)v->rows, v->rows == 1 ? "" : "s");
		return 1;
	}
	sbuf_printf(detail,
		    "%s%s%s row %lld %s (%lld of %lld chain%s do%s not"
		    " verify)",
		    v->chain ? v->chain : "?", v->kpi ? " " : "",
		    v->kpi ? v->kpi : "", (long long)v->row,
		    v->problem ? v->problem : "?", (long long)v->broken,
		    (long long)v->chains, v->chains == 1 ? "" : "s",
		    v->broken == 1 ? "es" : "");
	return 0;
}

const struct ap_error *
eng_stage_check(const struct lifecycle *lc, const struct eng_project *p,
		const struct eng_kpi *kpis, size_t nkpis,
		const struct eng_verify *verify, struct eng_cond *conds, int *n,
		int *failed)
{
	const struct ap_error *err;

	*failed = 0;
	/* a project that is not active never holds: one more condition */
	if (p->status != PS_ACTIVE && *n < ENG_MAX_COND) {
		memmove(&conds[1], &conds[0], (size_t)*n * sizeof(conds[0]));
		memset(&conds[0], 0, sizeof(conds[0]));
		conds[0].kind = EC_ACTIVE;
		(*n)++;
	}
	for (int i = 0; i < *n; i++) {
		struct eng_cond *k = &conds[i];
		switch (k->kind) {
		case EC_ACTIVE:
			k->holds = eng_cond_active(p, &k->detail);
			break;
		case EC_AT_LEAST:
			k->holds =
			    eng_cond_at_least(lc, p, k->stage, &k->detail);
			break;
		case EC_IS:
			k->holds = eng_cond_is(lc, p, k->stage, &k->detail);
			break;
		case EC_STARTED:
			k->holds =
			    eng_cond_started(lc, p, k->stage, &k->detail);
			break;
		case EC_GATE:
			if ((err = eng_cond_gate(lc, p, &k->holds, &k->detail)))
				return err;
			break;
		case EC_VERIFIED:
			k->holds = eng_cond_verified(verify, &k->detail);
			break;
		case EC_ON_TIME:
			k->holds = eng_cond_on_time(p, k->today, &k->detail);
			break;
		case EC_LIVE:
			k->holds = eng_cond_live(p, k->version, &k->detail);
			break;
		default: k->holds = eng_cond_kpis(kpis, nkpis, &k->detail);
		}
		*failed += !k->holds;
	}
	return NULL;
}

void
eng_conds_free(struct eng_cond *conds, int n)
{
	for (int i = 0; i < n; i++)
		sbuf_free(&conds[i].detail);
}
