/*
 * cmd_report_status.c - the reports read from the status rows: status (a
 * row per project: its stage, days there, gate, back-jumps and the role
 * gaps now and ahead) and gaps (every open A or R role, soonest first).
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* ---- report status ---- */

struct status_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	int n;
	struct monitor mon; /* live releases and open breaches */
	struct sbuf live;   /* text: the lines under the table */
	int due; /* text: the due columns (some project has a due date) */
	/* c->now in seconds, read once (now_ok: it reads as a stamp) */
	double now;
	int now_ok;
};

/* One project's row: the engine's view and the cells every format shows. */
struct status_line {
	struct eng_project e;
	struct gate g;
	struct sbuf gaps; /* the roles open now, comma-separated */
	int st;
	long late; /* days the current stage is overdue, 0 when not */
	char dbuf[32], gbuf[48], nbuf[24], bbuf[24], lbuf[24], obuf[24];
};

/* v in decimal into buf (at least 21 bytes): what "%lld" writes, without
 * printf (a row has six numbers, a portfolio 100,000 rows). */
static char *
put_int(char *buf, long long v)
{
	char tmp[24], *p = tmp + sizeof(tmp);
	unsigned long long u =
	    v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	size_t n;

	*--p = '\0';
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	n = (size_t)(tmp + sizeof(tmp) - p);
	memcpy(buf, p, n);
	return buf + n - 1; /* at its '\0' */
}

/* d with one decimal into buf (at least 32 bytes), as "%.1f" writes it:
 * without printf when d * 10 is clearly nearer one whole number than the
 * next (the rounding of the product cannot change which), else by
 * snprintf. */
static void
put_tenths(char *buf, size_t len, double d)
{
	double t = d * 10.0, f;
	long long n;

	if (!(t >= 0.0 && t < 1e15)) {
		snprintf(buf, len, "%.1f", d);
		return;
	}
	n = (long long)t;
	f = t - (double)n;
	if (f > 0.4999 && f < 0.5001) {
		snprintf(buf, len, "%.1f", d);
		return;
	}
	n += f > 0.5;
	buf = put_int(buf, n / 10);
	buf[0] = '.';
	buf[1] = (char)('0' + n % 10);
	buf[2] = '\0';
}

/* "2 data-preparation" into buf: what "%d %s" writes, cut to len. */
static void
stage_cell(char *buf, size_t len, int st, const char *stage)
{
	char num[24];
	size_t n = (size_t)(put_int(num, st + 1) - num), k = strlen(stage);

	if (n + 1 + k >= len) {
		snprintf(buf, len, "%d %s", st + 1, stage);
		return;
	}
	memcpy(buf, num, n);
	buf[n] = ' ';
	memcpy(buf + n + 1, stage, k + 1);
}

/* stamp_diff(entered_at, the stage's clock's end), now read once */
static double
stage_secs(const struct status_ctx *sc, const struct store_status_row *row)
{
	const char *end =
	    stage_clock_end(row->status, row->status_at, sc->c->now);
	double x;

	if (end != sc->c->now)
		return stamp_diff(row->entered_at, end);
	if (stamp_parse(row->entered_at, &x) || !sc->now_ok)
		return 0;
	return sc->now - x;
}

/* The engine's view of row, from the counts, and the cells. */
static const struct ap_error *
status_line(const struct status_ctx *sc, const struct store_status_row *row,
	    struct status_line *l)
{
	const struct ap_error *err;
	struct cli *c = sc->c;
	int later = 0;
	double days = stage_secs(sc, row) / 86400.0;

	if ((err = state_from_row(&c->lc, row, &l->e)))
		return err;
	l->st = l->e.stage;
	if ((err = gate_count(&c->lc, &l->e, l->st, &l->g.met, &l->g.n)))
		return err;
	l->g.passed = l->g.met == l->g.n;
	for (size_t r = 0; r < c->lc.nroles; r++) {
		if (eng_project_gap(&c->lc, &l->e, (int)r)) {
			const char *slug = c->lc.roles[r].slug;
			if (l->gaps.len)
				sbuf_add(&l->gaps, ",", 1);
			sbuf_add(&l->gaps, slug, strlen(slug));
		}
	}
	/* the gaps of the stages ahead */
	for (size_t s = (size_t)l->st + 1; s < c->lc.nstages; s++)
		for (size_t r = 0; r < c->lc.nroles; r++)
			later += eng_stage_gap(&c->lc, &l->e, (int)s, (int)r);
	put_int(l->lbuf, later);
	put_tenths(l->dbuf, sizeof(l->dbuf), days < 0 ? 0.0 : days);
	*put_int(l->gbuf, (long long)l->g.met) = '/';
	put_int(strchr(l->gbuf, '/') + 1, (long long)l->g.n);
	put_int(l->nbuf, l->st + 1);
	put_int(l->bbuf, row->back_jumps);
	if (row->status == PS_CLOSED)
		l->late = 0;
	else {
		char today[11];
		size_t k = strnlen(c->now, 10);
		memcpy(today, c->now, k);
		today[k] = '\0';
		l->late = eng_days_overdue(row->due, today);
	}
	put_int(l->obuf, l->late);
	return NULL;
}

static void
status_json(struct status_ctx *sc, const struct store_status_row *row,
	    const struct status_line *l)
{
	const struct cli *c = sc->c;

	jw_obj(&sc->w);
	jw_kstr(&sc->w, "project", row->project);
	jw_kstr(&sc->w, "status", proj_status_name(row->status));
	jw_kstr(&sc->w, "stage", row->stage);
	jw_kint(&sc->w, "stage_number", l->st + 1);
	jw_kstr(&sc->w, "entered_at", row->entered_at);
	jw_kstr(&sc->w, "status_at", row->status_at);
	jw_knum(&sc->w, "days_in_stage", strtod(l->dbuf, NULL));
	jw_key(&sc->w, "gate");
	jw_obj(&sc->w);
	jw_kint(&sc->w, "met", (int64_t)l->g.met);
	jw_kint(&sc->w, "total", (int64_t)l->g.n);
	jw_kbool(&sc->w, "passed", l->g.passed);
	jw_end(&sc->w);
	jw_kint(&sc->w, "back_jumps", row->back_jumps);
	jw_key(&sc->w, "gaps");
	jw_arr(&sc->w);
	for (const char *p = l->gaps.s ? l->gaps.s : ""; *p;) {
		size_t n = strcspn(p, ",");
		char role[NAME_MAX_LEN + 1];
		snprintf(role, sizeof(role), "%.*s", (int)n, p);
		jw_str(&sc->w, role);
		p += n + (p[n] == ',');
	}
	jw_end(&sc->w);
	jw_key(&sc->w, "later_gaps");
	jw_arr(&sc->w);
	for (size_t s = (size_t)l->st + 1; s < c->lc.nstages; s++)
		for (size_t r = 0; r < c->lc.nroles; r++)
			if (eng_stage_gap(&c->lc, &l->e, (int)s, (int)r)) {
				jw_obj(&sc->w);
				jw_kstr(&sc->w, "stage", c->lc.stages[s].slug);
				jw_kstr(&sc->w, "role", c->lc.roles[r].slug);
				jw_end(&sc->w);
			}
	jw_end(&sc->w);
	jw_kstr(&sc->w, "due", row->due);
	jw_kbool(&sc->w, "overdue", l->late > 0);
	jw_kint(&sc->w, "days_overdue", l->late);
	monitor_json(&sc->w, monitor_find(&sc->mon, row->project));
	jw_end(&sc->w);
}

static void
status_csv(struct cli *c, const struct store_status_row *row,
	   const struct status_line *l)
{
	csv_field(c->out, row->project, 0);
	csv_field(c->out, proj_status_name(row->status), 0);
	csv_field(c->out, l->nbuf, 0);
	csv_field(c->out, row->stage, 0);
	csv_field(c->out, l->dbuf, 0);
	csv_field(c->out, l->gbuf, 0);
	csv_field(c->out, l->bbuf, 0);
	csv_field(c->out, l->gaps.s, 0);
	csv_field(c->out, l->lbuf, 0);
	csv_field(c->out, row->due, 0);
	csv_field(c->out, l->obuf, 1);
}

static void
status_md(struct cli *c, const struct store_status_row *row,
	  const struct status_line *l)
{
	char sb[96];

	md_cell(c->out, row->project);
	md_cell(c->out, proj_status_name(row->status));
	stage_cell(sb, sizeof(sb), l->st, row->stage);
	md_cell(c->out, sb);
	md_cell(c->out, l->dbuf);
	md_cell(c->out, l->gbuf);
	md_cell(c->out, l->bbuf);
	md_cell(c->out, l->gaps.s ? l->gaps.s : "-");
	md_cell(c->out, l->lbuf);
	md_cell(c->out, row->due ? row->due : "-");
	md_cell(c->out, l->late > 0 ? l->obuf : "-");
	fputs("|\n", c->out);
}

static void
status_text(struct status_ctx *sc, const struct store_status_row *row,
	    const struct status_line *l)
{
	char sb[96], gp[96];
	const char *gaps = l->gaps.s;
	const char *comma = gaps ? strchr(gaps, ',') : NULL;
	int more = 0;

	for (const char *q = comma; q; q = strchr(q + 1, ','))
		more++;
	stage_cell(sb, sizeof(sb), l->st, row->stage);
	/* the first gap and how many more: the row stays narrow */
	if (comma && (size_t)(comma - gaps) + 24 < sizeof(gp)) {
		memcpy(gp, gaps, (size_t)(comma - gaps));
		gp[comma - gaps] = ' ';
		gp[comma - gaps + 1] = '+';
		put_int(gp + (comma - gaps) + 2, more);
	} else if (comma)
		snprintf(gp, sizeof(gp), "%.*s +%d", (int)(comma - gaps), gaps,
			 more);
	else {
		const char *g = gaps ? gaps : "-";
		size_t k = strnlen(g, sizeof(gp) - 1);
		memcpy(gp, g, k);
		gp[k] = '\0';
	}
	const char *cells[] = {row->project,
			       proj_status_name(row->status),
			       sb,
			       l->dbuf,
			       l->gbuf,
			       l->bbuf,
			       gp,
			       l->lbuf,
			       row->due ? row->due : "-",
			       l->late > 0 ? l->obuf : "-"};
	table_row(&sc->t, cells);
	monitor_text(&sc->live, monitor_find(&sc->mon, row->project));
}

/* The lines of monitor_text() under the table, each wrapped to the width
 * (a long project name: its release on the next line). */
static void
live_text(FILE *f, char *lines)
{
	fputs("\nIn production:\n", f);
	for (char *l = lines; *l;) {
		size_t n = strcspn(l, "\n");
		int last = l[n] == '\0';
		l[n] = '\0';
		text_wrap(f, l, 0, 4);
		fputc('\n', f);
		l += n + !last;
	}
}

static const struct ap_error *
on_status_row(void *arg, const struct store_status_row *row)
{
	struct status_ctx *sc = arg;
	struct cli *c = sc->c;
	const struct ap_error *err;
	struct status_line l = {.g = {0}};

	if ((err = status_line(sc, row, &l))) {
		sbuf_free(&l.gaps);
		return err;
	}
	switch (c->format) {
	case FMT_JSON:
	case FMT_YAML: status_json(sc, row, &l); break;
	case FMT_CSV: status_csv(c, row, &l); break;
	case FMT_MARKDOWN: status_md(c, row, &l); break;
	default: status_text(sc, row, &l);
	}
	sc->n++;
	sbuf_free(&l.gaps);
	return NULL;
}

const struct ap_error *
cmd_report_status(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct status_ctx sc = {.c = c};
	struct cli_filter cf;

	if ((err = filter_from_args(c, a, 0, &cf)) ||
	    (err = monitor_load(c, &sc.mon)))
		return err;
	sc.now_ok = stamp_parse(c->now, &sc.now) == 0;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &sc.w);
		jw_key(&sc.w, "projects");
		jw_arr(&sc.w);
	} else if (c->format == FMT_CSV) {
		fputs("project,status,stage_number,stage,days_in_stage,gate,"
		      "back_jumps,gaps,later_gaps,due,days_overdue\r\n",
		      c->out);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| Project | Status | Stage | Days in stage | Gate |"
		      " Back-jumps | Gaps | Later gaps | Due | Days overdue |\n"
		      "|---|---|---|---|---|---|---|---|---|---|\n",
		      c->out);
	} else {
		static const char *const head[] = {
		    "PROJECT", "STATUS", "STAGE", "DAYS", "GATE",
		    "BACK",    "GAPS",   "LATER", "DUE",  "LATE"};
		/* the due columns only when some project has a due date */
		if ((err = store_due_any(c->store, &sc.due)))
			return err;
		table_begin(&sc.t, c->out, c->format, sc.due ? 10 : 8, head,
			    NULL);
		/* "2 data-preparation", "sponsor +1" */
		table_keep(&sc.t, TABLE_COL(2) | TABLE_COL(6));
	}
	err = store_report_status_where(c->store, &cf.f, on_status_row, &sc);
	table_end(&sc.t);
	monitor_free(&sc.mon);
	if (err) {
		sbuf_free(&sc.live);
		return err;
	}
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&sc.w);
	else if (sc.n == 0 && c->format == FMT_TEXT)
		fputs("No projects.\n", c->out);
	else if (sc.live.len && c->format == FMT_TEXT)
		live_text(c->out, sc.live.s);
	else if (sc.live.len)
		fprintf(c->out, "\nIn production:\n%s", sc.live.s);
	sbuf_free(&sc.live);
	return NULL;
}

/* ---- report gaps ---- */

struct gap {
	size_t project; /* index into gaps_ctx.names, in the filter's order */
	int stage, role, ahead;
};

struct gaps_ctx {
	struct cli *c;
	char **names;
	enum proj_status *status;
	size_t nnames;
	struct gap *gaps;
	size_t ngaps, cap;
};

static const struct ap_error *
on_gaps_row(void *arg, const struct store_status_row *row)
{
	struct gaps_ctx *x = arg;
	const struct lifecycle *lc = &x->c->lc;
	const struct ap_error *err;
	struct eng_project e;
	size_t k = x->nnames;

	if ((err = state_from_row(lc, row, &e)))
		return err;
	{
		char **nn = realloc(x->names, (k + 1) * sizeof(*nn));
		enum proj_status *ss;
		if (!nn)
			return ap_error_nomem();
		x->names = nn;
		if (!(ss = realloc(x->status, (k + 1) * sizeof(*ss))))
			return ap_error_nomem();
		x->status = ss;
		if (!(nn[k] = strdup(row->project)))
			return ap_error_nomem();
		ss[k] = row->status;
		x->nnames++;
	}
	for (size_t s = (size_t)(e.stage < 0 ? 0 : e.stage); s < lc->nstages;
	     s++)
		for (size_t r = 0; r < lc->nroles; r++) {
			if (!eng_stage_gap(lc, &e, (int)s, (int)r))
				continue;
			if (x->ngaps == x->cap) {
				size_t cap = x->cap ? 2 * x->cap : 64;
				struct gap *g =
				    realloc(x->gaps, cap * sizeof(*g));
				if (!g)
					return ap_error_nomem();
				x->gaps = g;
				x->cap = cap;
			}
			x->gaps[x->ngaps++] =
			    (struct gap){k, (int)s, (int)r, (int)s - e.stage};
		}
	return NULL;
}

/* Soonest first: the stages ahead, then the filter's order of the
 * projects, then the lifecycle's order of the roles. */
static int
gap_cmp(const void *pa, const void *pb)
{
	const struct gap *a = pa, *b = pb;

	if (a->ahead != b->ahead)
		return a->ahead < b->ahead ? -1 : 1;
	if (a->project != b->project)
		return a->project < b->project ? -1 : 1;
	return a->role - b->role;
}

static void
gap_when(char *buf, size_t len, int ahead)
{
	if (ahead == 0)
		snprintf(buf, len, "now");
	else
		snprintf(buf, len, "in %d stage%s", ahead,
			 ahead > 1 ? "s" : "");
}

/* The head of the listing: the document, the CSV and Markdown heads, or
 * the table (text, when there are gaps). */
static void
gaps_begin(struct gaps_ctx *x, struct jw *w, struct table *t)
{
	struct cli *c = x->c;

	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, w);
		jw_key(w, "gaps");
		jw_arr(w);
	} else if (c->format == FMT_CSV) {
		fputs("project,status,stage_number,stage,stages_ahead,role,"
		      "raci\r\n",
		      c->out);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| Project | Stage | Role | RACI | When |\n"
		      "|---|---|---|---|---|\n",
		      c->out);
	} else if (x->ngaps) {
		static const char *const head[] = {"PROJECT", "STAGE", "ROLE",
						   "RACI", "WHEN"};
		table_begin(t, c->out, c->format, 5, head, NULL);
	}
}

static void
gap_row(struct gaps_ctx *x, const struct gap *g, struct jw *w, struct table *t)
{
	struct cli *c = x->c;
	const struct lifecycle *lc = &c->lc;
	const char *proj = x->names[g->project];
	const char *status = proj_status_name(x->status[g->project]);
	const char *st = lc->stages[g->stage].slug;
	const char *role = lc->roles[g->role].slug;
	const char *raci = raci_letter(lc->stages[g->stage].raci[g->role]);
	char sb[96], num[16], ahead[16], when[32];

	snprintf(sb, sizeof(sb), "%d %s", g->stage + 1, st);
	snprintf(num, sizeof(num), "%d", g->stage + 1);
	snprintf(ahead, sizeof(ahead), "%d", g->ahead);
	gap_when(when, sizeof(when), g->ahead);
	switch (c->format) {
	case FMT_JSON:
	case FMT_YAML:
		jw_obj(w);
		jw_kstr(w, "project", proj);
		jw_kstr(w, "status", status);
		jw_kstr(w, "stage", st);
		jw_kint(w, "stage_number", g->stage + 1);
		jw_kint(w, "stages_ahead", g->ahead);
		jw_kstr(w, "role", role);
		jw_kstr(w, "raci", raci);
		jw_end(w);
		break;
	case FMT_CSV:
		csv_field(c->out, proj, 0);
		csv_field(c->out, status, 0);
		csv_field(c->out, num, 0);
		csv_field(c->out, st, 0);
		csv_field(c->out, ahead, 0);
		csv_field(c->out, role, 0);
		csv_field(c->out, raci, 1);
		break;
	case FMT_MARKDOWN:
		md_cell(c->out, proj);
		md_cell(c->out, sb);
		md_cell(c->out, role);
		md_cell(c->out, raci);
		md_cell(c->out, when);
		fputs("|\n", c->out);
		break;
	default: {
		const char *cells[] = {proj, sb, role, raci, when};
		table_row(t, cells);
	}
	}
}

static void
gaps_write(struct gaps_ctx *x)
{
	struct cli *c = x->c;
	struct jw w;
	struct table t;

	gaps_begin(x, &w, &t);
	for (size_t i = 0; i < x->ngaps; i++)
		gap_row(x, &x->gaps[i], &w, &t);
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&w);
	else if (c->format == FMT_TEXT && x->ngaps)
		table_end(&t);
	else if (c->format == FMT_TEXT)
		fputs("No gaps: every A and R role has someone.\n", c->out);
}

const struct ap_error *
cmd_report_gaps(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct gaps_ctx x = {.c = c};
	struct cli_filter cf;

	if ((err = filter_from_args(c, a, 0, &cf)))
		return err;
	err = store_report_status_where(c->store, &cf.f, on_gaps_row, &x);
	if (!err) {
		if (x.ngaps)
			qsort(x.gaps, x.ngaps, sizeof(*x.gaps), gap_cmp);
		gaps_write(&x);
	}
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	free(x.status);
	free(x.gaps);
	return err;
}
