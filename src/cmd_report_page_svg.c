/*
 * cmd_report_page_svg.c - report page: its charts, as inline SVG (time in
 * stage, cumulative flow, each project's timeline).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aiproj/html.h"
#include "cmd_report_page.h"

#define CFD_SAMPLES 60 /* points of the cumulative flow diagram */

/* "2026-03-01" of a time in seconds since 1970. */
static void
day_of(char buf[16], double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 16, "%4Y-%m-%d", &tm))
		snprintf(buf, 16, "?");
}

/* ---- time in stage ---- */

/* Each stage's visits in days, sorted, and their median and p90. */
struct times {
	size_t ns;
	size_t *cnt;
	double **d;
	double med[LC_MAX_STAGES], p90[LC_MAX_STAGES], top;
};

static void
times_free(struct times *t)
{
	for (size_t s = 0; t->d && s < t->ns; s++)
		free(t->d[s]);
	free(t->d);
	free(t->cnt);
}

static const struct ap_error *
times_gather(const struct page *pg, struct times *t)
{
	size_t ns = t->ns;
	const struct visit *v = pg->vs.v;

	t->cnt = calloc(ns, sizeof(*t->cnt));
	t->d = calloc(ns, sizeof(*t->d));
	if (!t->cnt || !t->d)
		return ap_error_nomem();
	for (size_t i = 0; i < pg->vs.n; i++)
		if (v[i].stage >= 0)
			t->cnt[v[i].stage]++;
	for (size_t s = 0; s < ns; s++)
		if (t->cnt[s] &&
		    !(t->d[s] = malloc(t->cnt[s] * sizeof(**t->d))))
			return ap_error_nomem();
	memset(t->cnt, 0, ns * sizeof(*t->cnt));
	for (size_t i = 0; i < pg->vs.n; i++)
		if (v[i].stage >= 0)
			t->d[v[i].stage][t->cnt[v[i].stage]++] =
			    fmax(0, v[i].end - v[i].start) / 86400.0;
	for (size_t s = 0; s < ns; s++) {
		eng_sort_values(t->d[s], t->cnt[s]);
		t->med[s] = eng_percentile(t->d[s], t->cnt[s], 50);
		t->p90[s] = eng_percentile(t->d[s], t->cnt[s], 90);
		t->top = fmax(t->top, t->p90[s]);
	}
	return NULL;
}

/* Stage s's two bars (median, p90) and its label. */
static void
times_bars(const struct page *pg, const struct times *t, size_t s)
{
	const double W = 760, L = 190, R = 230;
	FILE *f = pg->f;
	double y = (double)s * 34 + 6, span = W - L - R;
	double wm = t->top > 0 ? t->med[s] / t->top * span : 0;
	double wp = t->top > 0 ? t->p90[s] / t->top * span : 0;

	fputs("<text x=\"0\" y=\"", f);
	html_coord(f, y + 16);
	fputs("\">", f);
	page_stage_label(f, pg->c, (int)s);
	fprintf(f,
		"</text><rect class=\"k%zu\" opacity=\".5\" "
		"data-median=\"%.2f\" x=\"%.0f\" y=\"",
		s % PALETTE, t->med[s], L);
	html_coord(f, y);
	fputs("\" width=\"", f);
	html_coord(f, fmax(wm, 1));
	fprintf(f,
		"\" height=\"11\"/><rect class=\"k%zu\" data-p90=\"%.2f\""
		" x=\"%.0f\" y=\"",
		s % PALETTE, t->p90[s], L);
	html_coord(f, y + 13);
	fputs("\" width=\"", f);
	html_coord(f, fmax(wp, 1));
	fprintf(f, "\" height=\"11\"/><text x=\"%.0f\" y=\"", W - R + 8);
	html_coord(f, y + 16);
	fprintf(f, "\">median %.1f d, p90 %.1f d (%zu visit%s)</text>\n",
		t->med[s], t->p90[s], t->cnt[s], t->cnt[s] == 1 ? "" : "s");
}

const struct ap_error *
page_times(struct page *pg)
{
	const double W = 760;
	size_t ns = pg->c->lc.nstages;
	struct times t = {.ns = ns};
	const struct ap_error *err;

	if ((err = times_gather(pg, &t))) {
		times_free(&t);
		return err;
	}
	fprintf(pg->f,
		"<section id=\"time\"><h2>Time in stage</h2>\n<p "
		"class=\"note\">Days per visit of each stage, over every"
		" visit of every project (a visit still going counts up to"
		" now, a closed project's up to its closing): the median (pale)"
		" and the 90th percentile (full), nearest rank.</p>\n<svg "
		"class=\"chart\" id=\"time-chart\" viewBox=\"0 0 %.0f %zu\" "
		"width=\"%.0f\" height=\"%zu\" role=\"img\" aria-label=\"Time"
		" in stage\">\n",
		W, ns * 34 + 10, W, ns * 34 + 10);
	for (size_t s = 0; s < ns; s++)
		times_bars(pg, &t, s);
	fputs("</svg></section>\n", pg->f);
	times_free(&t);
	return NULL;
}

/* ---- cumulative flow ---- */

#define FLOW_W 760.0 /* the chart's size */
#define FLOW_H 280.0
#define FLOW_X0 40.0 /* the plot's corners */
#define FLOW_X1 590.0
#define FLOW_Y0 12.0
#define FLOW_Y1 250.0

/* Projects in each stage at K samples from the first project's creation
 * to now. */
struct flow {
	size_t ns, K;
	double t0, t1, step, ymax;
	int *cnt; /* ns rows of K + 1: +1 where a visit starts, -1 ends */
	int *cum; /* ns rows of K: projects in stage s and every later one */
};

/* Visit v's samples [*a, *b): from its start up to (not at) its end; one
 * still going (open) counts at now.  0 when it covers none. */
static int
flow_span(const struct flow *fl, const struct visit *v, int open, long *a,
	  long *b)
{
	long K = (long)fl->K;

	if (fl->step <= 0) {
		*a = *b = open ? K - 1 : K;
	} else {
		*a = (long)ceil((v->start - fl->t0) / fl->step);
		*b = open ? K : (long)ceil((v->end - fl->t0) / fl->step);
	}
	if (*a < 0)
		*a = 0;
	if (*b > K)
		*b = K;
	if (fl->step <= 0 && open)
		*b = K;
	return *a < *b;
}

static void
flow_count(const struct page *pg, struct flow *fl)
{
	size_t K = fl->K;

	for (size_t i = 0; i < pg->vs.n; i++)
		fl->t0 = fmin(fl->t0, pg->vs.v[i].start);
	fl->step = (fl->t1 - fl->t0) / (double)(K - 1);
	for (size_t i = 0; i < pg->n; i++) {
		const struct pproj *p = &pg->p[i];
		for (size_t k = p->v0; k < p->v0 + p->nv; k++) {
			const struct visit *v = &pg->vs.v[k];
			int open =
			    k + 1 == p->v0 + p->nv && p->status != PS_CLOSED;
			long a, b;
			if (v->stage < 0 || !flow_span(fl, v, open, &a, &b))
				continue;
			fl->cnt[(size_t)v->stage * (K + 1) + (size_t)a]++;
			fl->cnt[(size_t)v->stage * (K + 1) + (size_t)b]--;
		}
	}
	/* stacked from the last stage at the bottom up to the first */
	for (size_t k = 0; k < K; k++) {
		int below = 0;
		for (size_t s = fl->ns; s-- > 0;) {
			int run = 0;
			for (size_t j = 0; j <= k; j++)
				run += fl->cnt[s * (K + 1) + j];
			below += run;
			fl->cum[s * K + k] = below;
		}
		fl->ymax = fmax(fl->ymax, below);
	}
}

/* Stage s's band: along its top, then back along the next stage's. */
static void
flow_band(FILE *f, const struct cli *c, const struct flow *fl, size_t s)
{
	size_t ns = fl->ns, K = fl->K;
	const int *cum = fl->cum;
	const double X0 = FLOW_X0, X1 = FLOW_X1, Y0 = FLOW_Y0, Y1 = FLOW_Y1;

	fprintf(f,
		"<polygon class=\"k%zu\" data-stage=\"%s\" "
		"data-now=\"%d\" points=\"",
		s % PALETTE, c->lc.stages[s].slug,
		cum[s * K + K - 1] -
		    (s + 1 < ns ? cum[(s + 1) * K + K - 1] : 0));
	for (size_t k = 0; k < K; k++) {
		double x = X0 + (X1 - X0) * (double)k / (double)(K - 1);
		html_coord(f, x);
		fputc(',', f);
		html_coord(f, Y1 - (Y1 - Y0) * cum[s * K + k] / fl->ymax);
		fputc(' ', f);
	}
	for (size_t k = K; k-- > 0;) {
		double x = X0 + (X1 - X0) * (double)k / (double)(K - 1);
		int low = s + 1 < ns ? cum[(s + 1) * K + k] : 0;
		html_coord(f, x);
		fputc(',', f);
		html_coord(f, Y1 - (Y1 - Y0) * low / fl->ymax);
		fputs(k ? " " : "", f);
	}
	fputs("\"/>\n", f);
}

/* The axes, their first and last days and counts, and the legend. */
static void
flow_axes(FILE *f, const struct cli *c, const struct flow *fl)
{
	const double X0 = FLOW_X0, X1 = FLOW_X1, Y0 = FLOW_Y0, Y1 = FLOW_Y1;
	char d0[16], d1[16];

	day_of(d0, fl->t0);
	day_of(d1, fl->t1);
	fprintf(f,
		"<line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
		"y2=\"%.0f\"/><line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" "
		"x2=\"%.0f\" y2=\"%.0f\"/>\n<text x=\"%.0f\" y=\"%.0f\">%s"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.0f"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0"
		"</text>\n",
		X0, Y1, X1, Y1, X0, Y0, X0, Y1, X0, Y1 + 16, d0, X1, Y1 + 16,
		d1, X0 - 4, Y0 + 8, fl->ymax, X0 - 4, Y1);
	for (size_t s = 0; s < fl->ns; s++) {
		double y = Y0 + 4 + (double)s * 18;
		fprintf(f, "<rect class=\"k%zu\" x=\"%.0f\" y=\"", s % PALETTE,
			X1 + 16);
		html_coord(f, y);
		fprintf(f,
			"\" width=\"10\" height=\"10\"/><text x=\"%.0f\" y=\"",
			X1 + 32);
		html_coord(f, y + 9);
		fputs("\">", f);
		page_stage_label(f, c, (int)s);
		fputs("</text>\n", f);
	}
}

const struct ap_error *
page_flow(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	struct flow fl = {.ns = c->lc.nstages, .K = CFD_SAMPLES, .ymax = 1};
	size_t ns = fl.ns, K = fl.K;

	fl.t0 = fl.t1 = stamp_secs(c->now);
	fl.cnt = calloc(ns * (K + 1), sizeof(*fl.cnt));
	fl.cum = calloc(ns * K, sizeof(*fl.cum));
	if (!fl.cnt || !fl.cum) {
		free(fl.cnt);
		free(fl.cum);
		return ap_error_nomem();
	}
	flow_count(pg, &fl);
	fprintf(
	    f,
	    "<section id=\"flow\"><h2>Cumulative flow</h2>\n<p "
	    "class=\"note\">Projects in each stage over time (on hold "
	    "included; a closed project leaves when it is closed), from the"
	    " first project's creation to now, at %zu points; the last "
	    "stage at the bottom.</p>\n<svg class=\"chart\" "
	    "id=\"flow-chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	    "height=\"%.0f\" role=\"img\" aria-label=\"Cumulative flow\">\n",
	    K, FLOW_W, FLOW_H, FLOW_W, FLOW_H);
	for (size_t s = 0; s < ns; s++)
		flow_band(f, c, &fl, s);
	flow_axes(f, c, &fl);
	fputs("</svg></section>\n", f);
	free(fl.cnt);
	free(fl.cum);
	return NULL;
}

/* ---- timelines ---- */

/* The x of time t on a timeline from t0 over span, between L and R. */
#define TL_X(t) (TL_L + ((t)-t0) / span * (TL_R - TL_L))
#define TL_L 170.0
#define TL_R 750.0
#define TL_ROW 16.0

/* The visit i's bar, and its back-jump's arrow. */
static void
timeline_visit(FILE *f, const struct cli *c, const struct visit *v, size_t i,
	       double t0, double span)
{
	double x = TL_X(v[i].start);
	double w = (v[i].end - v[i].start) / span * (TL_R - TL_L);

	fprintf(f, "<rect class=\"k%d\" x=\"", v[i].stage % PALETTE);
	html_coord(f, x);
	fprintf(f, "\" y=\"%.0f\" width=\"", (double)v[i].stage * TL_ROW + 3);
	html_coord(f, fmax(w, 2));
	fprintf(f, "\" height=\"%.0f\"><title>", TL_ROW - 5);
	html_text(f, c->lc.stages[v[i].stage].name);
	fprintf(f, ": %.1f d (%s)</title></rect>\n",
		fmax(0, v[i].end - v[i].start) / 86400.0,
		visit_how_name[v[i].how]);
	if (v[i].how == HOW_BACK && i && v[i - 1].stage >= 0) {
		/* from the stage left, up to the one gone back to */
		double yf = (double)v[i - 1].stage * TL_ROW + TL_ROW / 2;
		double yt = (double)v[i].stage * TL_ROW + TL_ROW - 2;
		fputs("<line class=\"back\" stroke-width=\"1.5\" x1=\"", f);
		html_coord(f, x);
		fprintf(f, "\" y1=\"%.0f\" x2=\"", yf);
		html_coord(f, x);
		fprintf(f, "\" y2=\"%.0f\"/><polygon class=\"back\" points=\"",
			yt + 4);
		html_coord(f, x - 4);
		fprintf(f, ",%.0f ", yt + 5);
		html_coord(f, x + 4);
		fprintf(f, ",%.0f ", yt + 5);
		html_coord(f, x);
		fprintf(f, ",%.0f\"/>\n", yt - 1);
	}
}

/* The row under the stages: each release a bar while it was live, each
 * breach reading a red diamond. */
static void
timeline_marks(FILE *f, const struct page *pg, const struct pproj *p, double t0,
	       double span, double y)
{
	const double t1 = t0 + span;
	char d[16];

	fprintf(f, "<text x=\"0\" y=\"%.0f\">Releases, breaches</text>\n",
		y + 9);
	for (size_t k = p->m0; k < p->m0 + p->nm; k++) {
		const struct mark *m = &pg->marks[k];
		double a = fmin(fmax(m->at, t0), t1);
		double b = m->end < 0 ? t1 : fmin(fmax(m->end, t0), t1);
		day_of(d, m->at);
		if (m->breach) {
			fputs("<polygon class=\"breach\" points=\"", f);
			html_coord(f, TL_X(a));
			fprintf(f, ",%.0f ", y);
			html_coord(f, TL_X(a) + 6);
			fprintf(f, ",%.0f ", y + 6);
			html_coord(f, TL_X(a));
			fprintf(f, ",%.0f ", y + 12);
			html_coord(f, TL_X(a) - 6);
			fprintf(f, ",%.0f\"><title>breach of ", y + 6);
		} else {
			fprintf(f, "<rect class=\"release%s\" x=\"",
				m->end < 0 ? " now" : "");
			html_coord(f, TL_X(a));
			fprintf(f, "\" y=\"%.0f\" width=\"", y + 2);
			html_coord(f, fmax((b - a) / span * (TL_R - TL_L), 3));
			fputs("\" height=\"8\"><title>release ", f);
		}
		html_text(f, m->what);
		fprintf(f, " at %s%s</title></%s>\n", d,
			!m->breach && m->end < 0 ? ", live" : "",
			m->breach ? "polygon" : "rect");
	}
}

void
page_timeline(struct page *pg, const struct pproj *p)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	size_t ns = c->lc.nstages;
	const struct visit *v = &pg->vs.v[p->v0];
	double t0 = v[0].start, t1 = v[p->nv - 1].end, span, h, rows;
	char d0[16], d1[16];

	span = t1 > t0 ? t1 - t0 : 1;
	rows = (double)ns + (p->nm ? 1 : 0);
	h = rows * TL_ROW + 22;
	day_of(d0, t0);
	day_of(d1, t1);
	fprintf(f,
		"<svg viewBox=\"0 0 760 %.0f\" width=\"760\" "
		"height=\"%.0f\" role=\"img\">\n",
		h, h);
	for (size_t s = 0; s < ns; s++) {
		fprintf(f, "<text x=\"0\" y=\"%.0f\">",
			(double)s * TL_ROW + 12);
		page_stage_label(f, c, (int)s);
		fprintf(f,
			"</text><line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" "
			"x2=\"%.0f\" y2=\"%.0f\"/>\n",
			TL_L, (double)s * TL_ROW + TL_ROW, TL_R,
			(double)s * TL_ROW + TL_ROW);
	}
	for (size_t i = 0; i < p->nv; i++)
		if (v[i].stage >= 0)
			timeline_visit(f, c, v, i, t0, span);
	if (p->nm)
		timeline_marks(f, pg, p, t0, span, (double)ns * TL_ROW + 2);
	fprintf(f,
		"<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" "
		"y=\"%.0f\" text-anchor=\"end\">%s</text>\n</svg>\n",
		TL_L, h - 4, d0, TL_R, h - 4, d1);
}
