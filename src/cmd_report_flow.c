/*
 * cmd_report_flow.c - report flow: how the projects moved through the
 * stages over a window of time, whole and a period (week or month) at a
 * time: entries, exits (the throughput), back-jumps in and out, the median
 * and 90th percentile days of the visits that ended, and the work in
 * progress at the end (the data of a cumulative flow diagram).
 *
 * The window is whole periods: --since rounds down to the start of its
 * period (a Monday, or the first of a month), --until up to the end of
 * its; without --since, the 12 periods up to --until (default: today).
 * Days of a visit are its time active: the clock stops at hold and at
 * close (eng_visit_time()).  A project on hold still sits in its stage,
 * so it is work in progress; a closed one is not.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aiproj/util.h"
#include "cli.h"
#include "cmd_report_visits.h"

#define DAY 86400.0
#define FLOW_DEFAULT_PERIODS 12

enum { BY_WEEK, BY_MONTH };

/* The numbers of one stage, over the window or over one period. */
struct fstat {
	long entries, exits, back_in, back_out, wip;
	size_t visits; /* visits that ended: the days' count */
	double med, p90;
};

/* A visit that ended in the window: its days, stage and period. */
struct fdone {
	double days;
	uint32_t stage, period;
};

/* A chosen project, and the visit it is in as its moves are read. */
struct fproj {
	int64_t id;
	int stage; /* of the visit under way (-1: a stage the lifecycle lacks) */
	int status, begun, back;
	double created, start, status_at, closed;
	size_t st0, nst; /* its status changes in flow.st */
};

/* A status change as read: its project's index and what it is. */
struct fchange {
	size_t proj;
	int status;
	double at;
};

struct flow {
	struct cli *c;
	size_t ns, np;
	int by;
	double since, until, now;
	double *start; /* np + 1 period starts; start[np] is the window's end */
	double *at;    /* np moments the work in progress is counted at */
	struct fstat *tot; /* ns */
	struct fstat *per; /* np * ns */
	struct fdone *done;
	size_t ndone, capdone;
	long projects;
	/* the chosen projects, by id, and the status changes of each */
	struct fproj *p;
	size_t np_, capp;
	struct fchange *ch;
	size_t nch, capch;
	struct eng_status_at *st; /* each project's, from p->st0 */
	int sorted, placed;       /* the projects sorted; the changes placed */
	/* when the ids are dense enough: slot[id - id0] is the project's
	 * place in p plus one (0: not chosen), else NULL (proj_find()) */
	size_t *slot, nslot;
	int64_t id0;
	const struct ap_error *err;
};

/* ---- the window ---- */

/* Seconds since 1970 of the start of day YYYY-MM-DD (or of a stamp). */
static double
day_start(const char *d)
{
	char stamp[32];

	snprintf(stamp, sizeof(stamp), "%.10sT00:00:00.000Z", d);
	return stamp_secs(stamp);
}

/* The start of the period holding t, and the start of the next one. */
static double
period_floor(int by, double t)
{
	time_t tt = (time_t)floor(t / DAY) * 86400;
	struct tm tm;

	if (by == BY_WEEK) {
		long dn = (long)floor(t / DAY);
		/* 1970-01-01 was a Thursday */
		long mon = dn - ((dn % 7 + 7 + 3) % 7);
		return (double)mon * DAY;
	}
	gmtime_r(&tt, &tm);
	tm.tm_mday = 1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	return (double)timegm(&tm);
}

static double
period_next(int by, double start, int n)
{
	time_t tt = (time_t)start;
	struct tm tm;

	if (by == BY_WEEK)
		return start + 7.0 * DAY * n;
	gmtime_r(&tt, &tm);
	tm.tm_mon += n;
	return (double)timegm(&tm);
}

static void
day_text(char buf[16], double t, int by)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 16, by == BY_MONTH ? "%4Y-%m" : "%4Y-%m-%d", &tm);
}

static const struct ap_error *
window_make(struct flow *f, const char *since, const char *until)
{
	double first, last;
	size_t n = 0;

	last = period_next(f->by, period_floor(f->by, day_start(until)), 1);
	first = since ? period_floor(f->by, day_start(since))
		      : period_next(f->by, last, -FLOW_DEFAULT_PERIODS);
	for (double t = first; t < last; t = period_next(f->by, t, 1))
		n++;
	f->np = n;
	f->since = first;
	f->until = last;
	if (!(f->start = malloc((n + 1) * sizeof(*f->start))) ||
	    !(f->at = malloc((n ? n : 1) * sizeof(*f->at))) ||
	    !(f->tot = calloc(f->ns, sizeof(*f->tot))) ||
	    !(f->per = calloc(n * f->ns + 1, sizeof(*f->per))))
		return ap_error_nomem();
	for (size_t i = 0; i <= n; i++)
		f->start[i] = period_next(f->by, first, (int)i);
	/* the work in progress at the end of each period, or now */
	for (size_t i = 0; i < n; i++)
		f->at[i] = fmin(f->start[i + 1], f->now);
	return NULL;
}

/* The period of t, which is in the window. */
static size_t
period_of(const struct flow *f, double t)
{
	size_t lo = 0, hi = f->np;

	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (f->start[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
in_window(const struct flow *f, double t)
{
	return t >= f->since && t < f->until;
}

/* ---- one project ---- */

static const struct ap_error *
done_add(struct flow *f, double days, int stage, size_t period)
{
	if (f->ndone == f->capdone) {
		size_t cap = f->capdone ? f->capdone * 2 : 1024;
		struct fdone *d = realloc(f->done, cap * sizeof(*d));
		if (!d)
			return ap_error_nomem();
		f->done = d;
		f->capdone = cap;
	}
	f->done[f->ndone++] =
	    (struct fdone){days, (uint32_t)stage, (uint32_t)period};
	return NULL;
}

/* Count the visit of stage s from `start` to `end` (INFINITY: under way);
 * back_in, back_out: it began, ended with a back-jump. */
static const struct ap_error *
visit_count(struct flow *f, const struct fproj *pj, int s, double start,
	    double end, int back_in, int back_out)
{
	double closed = pj->closed;
	struct fstat *t = &f->tot[s];
	double lim = fmin(end, closed);

	if (in_window(f, start)) {
		struct fstat *p = &f->per[period_of(f, start) * f->ns + s];
		t->entries++, p->entries++;
		t->back_in += back_in, p->back_in += back_in;
	}
	if (end < INFINITY && in_window(f, end)) {
		size_t pe = period_of(f, end);
		struct fstat *p = &f->per[pe * f->ns + s];
		double act, held;
		t->exits++, p->exits++;
		t->back_out += back_out, p->back_out += back_out;
		eng_visit_time(start, end, f->st + pj->st0, pj->nst, &act,
			       &held);
		if (done_add(f, act / DAY, s, pe))
			return ap_error_nomem();
	}
	/* in the stage at each moment after start up to lim */
	if (f->np) {
		size_t lo = 0, hi = f->np;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (f->at[mid] > start)
				hi = mid;
			else
				lo = mid + 1;
		}
		for (size_t p = lo; p < f->np && f->at[p] <= lim; p++)
			if (f->start[p] <= f->now)
				f->per[p * f->ns + s].wip++;
	}
	if (start < fmin(f->until, f->now) && lim >= fmin(f->until, f->now))
		t->wip++;
	return NULL;
}

/* Room for one more of n items of `size` in *v (capacity *cap). */
static int
more(void *pv, size_t *cap, size_t n, size_t size)
{
	void **v = pv, *m;

	if (n < *cap)
		return 0;
	if (!(m = realloc(*v, (*cap ? *cap * 2 : 1024) * size)))
		return -1;
	*v = m;
	*cap = *cap ? *cap * 2 : 1024;
	return 0;
}

static const struct ap_error *
on_project(void *arg, const struct store_flow_project *r)
{
	struct flow *f = arg;
	struct fproj *pj;

	if (more(&f->p, &f->capp, f->np_, sizeof(*f->p)))
		return ap_error_nomem();
	pj = &f->p[f->np_++];
	memset(pj, 0, sizeof(*pj));
	pj->id = r->id;
	pj->stage = lifecycle_stage_slug(&f->c->lc, r->stage);
	pj->status = (int)r->status;
	pj->created = stamp_secs(r->created_at);
	pj->status_at = r->status_at ? stamp_secs(r->status_at) : 0;
	pj->closed = INFINITY;
	return NULL;
}

static int
proj_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct fproj *)a)->id;
	int64_t y = ((const struct fproj *)b)->id;

	return x < y ? -1 : x > y;
}

/* The chosen project of this id, or NULL. */
static struct fproj *
proj_find(struct flow *f, int64_t id)
{
	size_t lo = 0, hi = f->np_;

	/* (a move a transition, a million over 100k projects: a look-up
	 * in the slots, not a search) */
	if (f->slot) {
		size_t k;
		if (id < f->id0 || (uint64_t)(id - f->id0) >= f->nslot)
			return NULL;
		k = f->slot[id - f->id0];
		return k ? &f->p[k - 1] : NULL;
	}

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->p[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < f->np_ && f->p[lo].id == id ? &f->p[lo] : NULL;
}

/* The projects are all read once a change or a move comes: sort them. */
static void
projects_sorted(struct flow *f)
{
	size_t k = 1;

	if (f->sorted)
		return;
	/* (read in id order, as a plain filter reads them: no sort) */
	while (k < f->np_ && f->p[k - 1].id < f->p[k].id)
		k++;
	if (k < f->np_)
		qsort(f->p, f->np_, sizeof(*f->p), proj_cmp);
	f->sorted = 1;
	/* the slots, when they take at most 8 a project (without memory
	 * for them, proj_find() searches) */
	if (f->np_ > 0 && f->p[f->np_ - 1].id >= f->p[0].id &&
	    (uint64_t)(f->p[f->np_ - 1].id - f->p[0].id) < 8 * f->np_ + 64) {
		f->id0 = f->p[0].id;
		f->nslot = (size_t)(f->p[f->np_ - 1].id - f->id0) + 1;
		if ((f->slot = calloc(f->nslot, sizeof(*f->slot))))
			for (size_t i = 0; i < f->np_; i++)
				f->slot[f->p[i].id - f->id0] = i + 1;
	}
}

static const struct ap_error *changes_place(struct flow *f);

static const struct ap_error *
on_change(void *arg, const struct store_flow_item *e)
{
	struct flow *f = arg;
	struct fproj *pj;
	int status;

	projects_sorted(f);
	if (!(pj = proj_find(f, e->project_id)))
		return NULL;

	if (strcmp(e->kind, "hold") == 0)
		status = PS_ON_HOLD;
	else if (strcmp(e->kind, "resume") == 0)
		status = PS_ACTIVE;
	else
		status = PS_CLOSED;
	if (more(&f->ch, &f->capch, f->nch, sizeof(*f->ch)))
		return ap_error_nomem();
	f->ch[f->nch++] =
	    (struct fchange){(size_t)(pj - f->p), status, stamp_secs(e->at)};
	pj->nst++;
	return NULL;
}

/* Each project's status changes, in the order read, and then its status
 * now when they do not end in it (a store older than the events). */
static const struct ap_error *
changes_place(struct flow *f)
{
	size_t total = 0;

	projects_sorted(f);
	if (f->placed)
		return NULL;
	f->placed = 1;
	for (size_t i = 0; i < f->np_; i++) {
		f->p[i].st0 = total;
		total += f->p[i].nst + 1;
		f->p[i].nst = 0;
	}
	if (!(f->st = malloc((total ? total : 1) * sizeof(*f->st))))
		return ap_error_nomem();
	for (size_t i = 0; i < f->nch; i++) {
		struct fproj *pj = &f->p[f->ch[i].proj];
		f->st[pj->st0 + pj->nst++] =
		    (struct eng_status_at){f->ch[i].at, f->ch[i].status};
	}
	for (size_t i = 0; i < f->np_; i++) {
		struct fproj *pj = &f->p[i];
		int last =
		    pj->nst ? f->st[pj->st0 + pj->nst - 1].status : PS_ACTIVE;
		if (pj->status != last && pj->status_at > 0)
			f->st[pj->st0 + pj->nst++] =
			    (struct eng_status_at){pj->status_at, pj->status};
		for (size_t k = 0; k < pj->nst; k++)
			if (f->st[pj->st0 + k].status == PS_CLOSED) {
				pj->closed = f->st[pj->st0 + k].at;
				break;
			}
	}
	return NULL;
}

static const struct ap_error *
on_move(void *arg, const struct store_flow_item *t)
{
	struct flow *f = arg;
	struct fproj *pj;
	const struct ap_error *err;
	double at;
	int out;

	/* the changes are all read once a move comes */
	if ((err = changes_place(f)))
		return err;
	if (!(pj = proj_find(f, t->project_id)))
		return NULL;
	if (!pj->begun) {
		/* the first visit: from its creation, in the stage it left */
		pj->begun = 1;
		pj->start = pj->created;
		pj->stage = lifecycle_stage_slug(&f->c->lc, t->from);
	}
	at = stamp_secs(t->at);
	out = strcmp(t->kind, "back") == 0;
	if (pj->stage >= 0 &&
	    (err = visit_count(f, pj, pj->stage, pj->start, at, pj->back, out)))
		return err;
	pj->stage = lifecycle_stage_slug(&f->c->lc, t->to);
	pj->start = at;
	pj->back = out;
	return NULL;
}

/* The visits under way, and those of projects that never moved. */
static const struct ap_error *
visits_end(struct flow *f)
{
	const struct ap_error *err;

	for (size_t i = 0; i < f->np_; i++) {
		struct fproj *pj = &f->p[i];
		if (!pj->begun)
			pj->start = pj->created;
		if (pj->stage >= 0 &&
		    (err = visit_count(f, pj, pj->stage, pj->start, INFINITY,
				       pj->back, 0)))
			return err;
	}
	return NULL;
}

static const struct ap_error *
flow_read(struct flow *f, const struct store_filter *flt)
{
	static const struct store_flow_fns fns = {
	    .project = on_project,
	    .change = on_change,
	    .move = on_move,
	};
	const struct ap_error *err;

	if ((err = store_report_flow_where(f->c->store, flt, &fns, f)) ||
	    (err = changes_place(f)))
		return err;
	f->projects = (long)f->np_;
	return visits_end(f);
}

/* ---- the days' percentiles ---- */

static int
done_cmp(const void *a, const void *b)
{
	double x = ((const struct fdone *)a)->days;
	double y = ((const struct fdone *)b)->days;

	return x < y ? -1 : x > y;
}

/* Every finished visit's days, sorted, into a bucket a stage (0 .. ns)
 * and a bucket a period and stage (ns + p * ns + s); each bucket's median
 * and p90. */
static const struct ap_error *
percentiles(struct flow *f)
{
	size_t nb = f->ns * (f->np + 1), *off, *cnt;
	double *v;

	if (f->ndone)
		qsort(f->done, f->ndone, sizeof(*f->done), done_cmp);
	off = calloc(nb + 1, sizeof(*off));
	cnt = calloc(nb, sizeof(*cnt));
	v = malloc((2 * f->ndone + 1) * sizeof(*v));
	if (!off || !cnt || !v) {
		free(off), free(cnt), free(v);
		return ap_error_nomem();
	}
	for (size_t i = 0; i < f->ndone; i++) {
		cnt[f->done[i].stage]++;
		cnt[f->ns + f->done[i].period * f->ns + f->done[i].stage]++;
	}
	for (size_t b = 0; b < nb; b++)
		off[b + 1] = off[b] + cnt[b];
	memset(cnt, 0, nb * sizeof(*cnt));
	for (size_t i = 0; i < f->ndone; i++) {
		size_t b1 = f->done[i].stage;
		size_t b2 =
		    f->ns + f->done[i].period * f->ns + f->done[i].stage;
		v[off[b1] + cnt[b1]++] = f->done[i].days;
		v[off[b2] + cnt[b2]++] = f->done[i].days;
	}
	for (size_t b = 0; b < nb; b++) {
		struct fstat *t = b < f->ns ? &f->tot[b] : &f->per[b - f->ns];
		t->visits = cnt[b];
		t->med = eng_percentile(v + off[b], cnt[b], 50);
		t->p90 = eng_percentile(v + off[b], cnt[b], 90);
	}
	free(off), free(cnt), free(v);
	return NULL;
}

/* ---- output ---- */

static void
fmt_days(char buf[24], const struct fstat *t)
{
	snprintf(buf, 24, "%.1f", t->med);
}

static void
stat_json(struct jw *w, const char *slug, int number, const struct fstat *t)
{
	jw_obj(w);
	jw_kstr(w, "stage", slug);
	jw_kint(w, "stage_number", number);
	jw_kint(w, "entries", t->entries);
	jw_kint(w, "exits", t->exits);
	jw_kint(w, "back_in", t->back_in);
	jw_kint(w, "back_out", t->back_out);
	jw_kint(w, "visits", (int64_t)t->visits);
	jw_key(w, "median_days");
	if (t->visits)
		jw_num(w, round(t->med * 10) / 10);
	else
		jw_null(w);
	jw_key(w, "p90_days");
	if (t->visits)
		jw_num(w, round(t->p90 * 10) / 10);
	else
		jw_null(w);
	jw_kint(w, "wip", t->wip);
	jw_end(w);
}

static void
flow_json(struct flow *f)
{
	struct cli *c = f->c;
	struct jw w;
	char a[16], b[16];

	out_doc(c, &w);
	day_text(a, f->since, BY_WEEK);
	day_text(b, f->until - DAY, BY_WEEK);
	jw_kstr(&w, "since", a);
	jw_kstr(&w, "until", b);
	jw_kstr(&w, "by", f->by == BY_WEEK ? "week" : "month");
	jw_kint(&w, "projects", f->projects);
	jw_key(&w, "stages");
	jw_arr(&w);
	for (size_t s = 0; s < f->ns; s++)
		stat_json(&w, c->lc.stages[s].slug, (int)s + 1, &f->tot[s]);
	jw_end(&w);
	jw_key(&w, "periods");
	jw_arr(&w);
	for (size_t p = 0; p < f->np; p++) {
		jw_obj(&w);
		day_text(a, f->start[p], BY_WEEK);
		day_text(b, f->start[p + 1] - DAY, BY_WEEK);
		jw_kstr(&w, "start", a);
		jw_kstr(&w, "end", b);
		jw_key(&w, "stages");
		jw_arr(&w);
		for (size_t s = 0; s < f->ns; s++)
			stat_json(&w, c->lc.stages[s].slug, (int)s + 1,
				  &f->per[p * f->ns + s]);
		jw_end(&w);
		jw_end(&w);
	}
	jw_end(&w);
	jw_done(&w);
}

static void
stat_csv(FILE *o, const char *period, const char *slug, int number,
	 const struct fstat *t)
{
	char n[24], e[24], x[24], bi[24], bo[24], v[24], m[24], q[24], wp[24];

	snprintf(n, sizeof(n), "%d", number);
	snprintf(e, sizeof(e), "%ld", t->entries);
	snprintf(x, sizeof(x), "%ld", t->exits);
	snprintf(bi, sizeof(bi), "%ld", t->back_in);
	snprintf(bo, sizeof(bo), "%ld", t->back_out);
	snprintf(v, sizeof(v), "%zu", t->visits);
	snprintf(m, sizeof(m), "%.1f", t->med);
	snprintf(q, sizeof(q), "%.1f", t->p90);
	snprintf(wp, sizeof(wp), "%ld", t->wip);
	csv_field(o, period, 0);
	csv_field(o, n, 0);
	csv_field(o, slug, 0);
	csv_field(o, e, 0);
	csv_field(o, x, 0);
	csv_field(o, bi, 0);
	csv_field(o, bo, 0);
	csv_field(o, v, 0);
	csv_field(o, t->visits ? m : "", 0);
	csv_field(o, t->visits ? q : "", 0);
	csv_field(o, wp, 1);
}

static void
flow_csv(struct flow *f)
{
	FILE *o = f->c->out;
	char a[16];

	fputs("period,stage_number,stage,entries,exits,back_in,back_out,"
	      "visits,median_days,p90_days,wip\r\n",
	      o);
	for (size_t s = 0; s < f->ns; s++)
		stat_csv(o, "all", f->c->lc.stages[s].slug, (int)s + 1,
			 &f->tot[s]);
	for (size_t p = 0; p < f->np; p++) {
		day_text(a, f->start[p], f->by);
		for (size_t s = 0; s < f->ns; s++)
			stat_csv(o, a, f->c->lc.stages[s].slug, (int)s + 1,
				 &f->per[p * f->ns + s]);
	}
}

/* The per-stage table (text and markdown). */
static void
stages_table(struct flow *f)
{
	static const char *const head[] = {"STAGE",   "IN",       "OUT",
					   "BACK IN", "BACK OUT", "MEDIAN",
					   "P90",     "WIP"};
	static const char *const mhead[] = {
	    "Stage",    "In",          "Out",      "Back in",
	    "Back out", "Median days", "P90 days", "WIP"};
	struct cli *c = f->c;
	struct table t;

	table_begin(&t, c->out, c->format, 8,
		    c->format == FMT_MARKDOWN ? mhead : head, NULL);
	for (size_t s = 0; s < f->ns; s++) {
		const struct fstat *x = &f->tot[s];
		char st[96], e[24], o[24], bi[24], bo[24], m[24], q[24], w[24];
		snprintf(st, sizeof(st), "%zu %s", s + 1, c->lc.stages[s].slug);
		snprintf(e, sizeof(e), "%ld", x->entries);
		snprintf(o, sizeof(o), "%ld", x->exits);
		snprintf(bi, sizeof(bi), "%ld", x->back_in);
		snprintf(bo, sizeof(bo), "%ld", x->back_out);
		fmt_days(m, x);
		snprintf(q, sizeof(q), "%.1f", x->p90);
		snprintf(w, sizeof(w), "%ld", x->wip);
		const char *cells[] = {
		    st, e, o, bi, bo, x->visits ? m : "-", x->visits ? q : "-",
		    w};
		table_row(&t, cells);
	}
	table_end(&t);
}

/* The per-period table: a column a stage, "exits/wip" in each cell. */
static void
periods_table(struct flow *f)
{
	struct cli *c = f->c;
	FILE *o = c->out;
	int md = c->format == FMT_MARKDOWN, w0 = f->by == BY_WEEK ? 10 : 7;
	int *w = calloc(f->ns ? f->ns : 1, sizeof(*w));
	char cell[48], a[16];

	if (!w) {
		f->err = ap_error_nomem();
		return;
	}
	for (size_t s = 0; s < f->ns; s++) {
		w[s] = snprintf(cell, sizeof(cell), "%zu", s + 1);
		for (size_t p = 0; p < f->np; p++) {
			const struct fstat *x = &f->per[p * f->ns + s];
			int n = snprintf(cell, sizeof(cell), "%ld/%ld",
					 x->exits, x->wip);
			if (n > w[s])
				w[s] = n;
		}
	}
	if (md) {
		fputs(f->by == BY_WEEK ? "| Week of |" : "| Month |", o);
		for (size_t s = 0; s < f->ns; s++)
			fprintf(o, " %zu %s |", s + 1, c->lc.stages[s].slug);
		fputs("\n|---|", o);
		for (size_t s = 0; s < f->ns; s++)
			fputs("---|", o);
		fputc('\n', o);
	} else {
		fprintf(o, "%-*s", w0, f->by == BY_WEEK ? "WEEK OF" : "MONTH");
		for (size_t s = 0; s < f->ns; s++)
			fprintf(o, " %*zu", w[s], s + 1);
		fputc('\n', o);
	}
	for (size_t p = 0; p < f->np; p++) {
		day_text(a, f->start[p], f->by);
		if (md)
			fprintf(o, "| %s |", a);
		else
			fprintf(o, "%-*s", w0, a);
		for (size_t s = 0; s < f->ns; s++) {
			const struct fstat *x = &f->per[p * f->ns + s];
			snprintf(cell, sizeof(cell), "%ld/%ld", x->exits,
				 x->wip);
			if (md)
				fprintf(o, " %s |", cell);
			else
				fprintf(o, " %*s", w[s], cell);
		}
		fputc('\n', o);
	}
	free(w);
}

static void
flow_text(struct flow *f)
{
	struct cli *c = f->c;
	const char *unit = f->by == BY_WEEK ? "week" : "month";
	int md = c->format == FMT_MARKDOWN;
	char a[16], b[16];

	day_text(a, f->since, BY_WEEK);
	day_text(b, f->until - DAY, BY_WEEK);
	if (md)
		fprintf(c->out, "Flow of %ld project%s by %s, %s to %s\n\n",
			f->projects, f->projects == 1 ? "" : "s", unit, a, b);
	else
		text_linef(c->out, 2, "Flow of %ld project%s by %s, %s to %s",
			   f->projects, f->projects == 1 ? "" : "s", unit, a,
			   b);
	if (!md)
		fputc('\n', c->out);
	stages_table(f);
	fputc('\n', c->out);
	if (!md) {
		text_linef(c->out, 0,
			   "IN, OUT: projects that entered, left the stage;"
			   " BACK IN, OUT: back-jumps into, out of it; MEDIAN,"
			   " P90: days of the visits that ended (nearest rank,"
			   " time on hold not counted); WIP: projects in it"
			   " at the end.");
		fputc('\n', c->out);
	}
	periods_table(f);
	if (!md) {
		fputc('\n', c->out);
		text_linef(c->out, 0,
			   "Each stage: projects that left it in the %s /"
			   " projects in it at the end of the %s (or now).",
			   unit, unit);
	}
}

const struct ap_error *
cmd_report_flow(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct flow f = {.c = c, .ns = c->lc.nstages};
	struct cli_filter cf;
	const char *by = opt_val(a, "by"), *since = opt_val(a, "since");
	const char *until = opt_val(a, "until");

	if (by && strcmp(by, "week") != 0 && strcmp(by, "month") != 0)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "invalid period '%s': expected week or"
				    " month",
				    shown(by));
	f.by = by && strcmp(by, "month") == 0 ? BY_MONTH : BY_WEEK;
	/* closed projects flowed too: all of them unless --status says */
	if ((err = filter_from_args(c, a, 1, &cf)))
		return err;
	f.now = stamp_secs(c->now);
	if ((err = window_make(&f, since, until ? until : c->now)))
		goto done;
	if ((err = flow_read(&f, &cf.f)) || (err = percentiles(&f)))
		goto done;
	if (c->format & (FMT_JSON | FMT_YAML))
		flow_json(&f);
	else if (c->format == FMT_CSV)
		flow_csv(&f);
	else
		flow_text(&f);
	err = f.err;
done:
	free(f.p);
	free(f.slot);
	free(f.ch);
	free(f.st);
	free(f.start);
	free(f.at);
	free(f.tot);
	free(f.per);
	free(f.done);
	return err;
}
