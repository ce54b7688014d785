/*
 * cmd_report_timeline.c - report timeline: one project's stage visits
 * (cmd_report_visits.h), as a Mermaid gantt or a table, in every format:
 * a head, a row a visit and a tail, each written per format.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"
#include "cmd_report_visits.h"

struct timeline {
	struct cli *c;
	FILE *f;
	const struct store_project *p;
	struct visits vs;
	const char *end; /* the stage clock's end */
	struct jw w;
	struct table t;
};

/* One visit as every format shows it. */
struct visit_row {
	size_t i; /* its index in vs */
	const struct visit *v;
	int open;         /* the last visit of a project not closed */
	const char *left; /* when it ended: the next visit's start, or end */
	char num[24];     /* its number, from 1 */
	char sn[24];      /* its stage's number, from 1 */
	char db[32];      /* its days, to a tenth */
};

/* "2026-03-01 09:30:00" from a store stamp, for Mermaid's dateFormat. */
static void
mermaid_date(char buf[20], const char *stamp)
{
	snprintf(buf, 20, "%.10s %.8s", stamp, stamp + 11);
}

/* Mermaid gantt text: no ':' '#' ';' (they end a task's name), and no
 * line ends. */
static void
gantt_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(strchr(":#;\n\r\t", *s) ? ' ' : *s, f);
}

static void
timeline_head(struct timeline *tl)
{
	struct cli *c = tl->c;
	const struct store_project *p = tl->p;
	FILE *f = tl->f;
	size_t n = tl->vs.n;

	if (c->format == FMT_MERMAID) {
		fprintf(f,
			"%%%% aiproj report timeline %s: %s, at %s, %zu"
			" visit%s\ngantt\n  title ",
			p->name, proj_status_name(p->status), p->stage, n,
			n == 1 ? "" : "s");
		gantt_text(f, p->name);
		fputs("\n  dateFormat YYYY-MM-DD HH:mm:ss\n"
		      "  axisFormat %Y-%m-%d\n",
		      f);
	} else if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &tl->w);
		jw_kstr(&tl->w, "project", p->name);
		jw_kstr(&tl->w, "status", proj_status_name(p->status));
		jw_kstr(&tl->w, "stage", p->stage);
		jw_kstr(&tl->w, "created_at", p->created_at);
		jw_key(&tl->w, "visits");
		jw_arr(&tl->w);
	} else if (c->format == FMT_CSV) {
		fputs("project,visit,stage_number,stage,entered_at,left_at,"
		      "days,entered_by\r\n",
		      f);
	} else if (c->format == FMT_MARKDOWN) {
		fprintf(f, "### %s: stage visits\n\n", p->name);
		fputs("| # | Stage | Entered | Left | Days | Entered by |\n"
		      "|---|---|---|---|---|---|\n",
		      f);
	} else {
		static const char *const head[] = {"#",    "STAGE", "ENTERED",
						   "LEFT", "DAYS",  "BY"};
		table_begin(&tl->t, f, c->format, 6, head, NULL);
	}
}

static void
row_mermaid(struct timeline *tl, const struct visit_row *r)
{
	const struct cli *c = tl->c;
	FILE *f = tl->f;
	char d0[20], d1[20];
	const char *name = r->v->stage >= 0 ? c->lc.stages[r->v->stage].name
					    : tl->vs.slug[r->i];

	mermaid_date(d0, tl->vs.at[r->i]);
	mermaid_date(d1, r->left);
	fputs("  section ", f);
	gantt_text(f, name);
	fputs("\n  ", f);
	gantt_text(f, name);
	fprintf(f, " %s d :%s, v%zu, %s, %s\n", r->db,
		/* a visit entered by a jump back is critical, current or
		 * not */
		r->v->how == HOW_BACK ? (r->open ? "crit, active" : "crit")
		: r->open             ? "active"
				      : "done",
		r->i + 1, d0, d1);
}

static void
row_doc(struct timeline *tl, const struct visit_row *r)
{
	struct jw *w = &tl->w;

	jw_obj(w);
	jw_kint(w, "visit", (int64_t)r->i + 1);
	jw_kstr(w, "stage", tl->vs.slug[r->i]);
	jw_key(w, "stage_number");
	if (r->v->stage >= 0)
		jw_int(w, r->v->stage + 1);
	else
		jw_null(w);
	jw_kstr(w, "entered_at", tl->vs.at[r->i]);
	jw_kstr(w, "left_at", r->open ? NULL : r->left);
	jw_knum(w, "days", strtod(r->db, NULL));
	jw_kstr(w, "entered_by", visit_how_name[r->v->how]);
	jw_kbool(w, "current", r->i + 1 == tl->vs.n);
	if (r->v->how == HOW_BUY && r->i > 0)
		skipped_json(w, &tl->c->lc, "buy", tl->vs.slug[r->i - 1],
			     tl->vs.slug[r->i]);
	jw_end(w);
}

static void
row_csv(struct timeline *tl, const struct visit_row *r)
{
	FILE *f = tl->f;

	csv_field(f, tl->p->name, 0);
	csv_field(f, r->num, 0);
	csv_field(f, r->v->stage >= 0 ? r->sn : "", 0);
	csv_field(f, tl->vs.slug[r->i], 0);
	csv_field(f, tl->vs.at[r->i], 0);
	csv_field(f, r->open ? "" : r->left, 0);
	csv_field(f, r->db, 0);
	csv_field(f, visit_how_name[r->v->how], 1);
}

static void
row_markdown(struct timeline *tl, const struct visit_row *r)
{
	FILE *f = tl->f;

	md_cell(f, r->num);
	md_cell(f, tl->vs.slug[r->i]);
	md_cell(f, tl->vs.at[r->i]);
	md_cell(f, r->open ? "now" : r->left);
	md_cell(f, r->db);
	md_cell(f, visit_how_name[r->v->how]);
	fputs("|\n", f);
}

static void
row_text(struct timeline *tl, const struct visit_row *r)
{
	/* to the minute: the row fits 80 columns */
	const char *at = tl->vs.at[r->i];
	char e0[20], e1[20];

	snprintf(e0, sizeof(e0), "%.10s %.5s", at, at + 11);
	snprintf(e1, sizeof(e1), "%.10s %.5s", r->left, r->left + 11);
	const char *cells[] = {r->num, tl->vs.slug[r->i],
			       e0,     r->open ? "now" : e1,
			       r->db,  visit_how_name[r->v->how]};
	table_row(&tl->t, cells);
}

/* The rows of the stages a buy into visit i skipped (text, CSV and
 * markdown; JSON lists them in the visit's `skipped`). */
static void
rows_skipped(struct timeline *tl, size_t i)
{
	const struct lifecycle *lc = &tl->c->lc;
	FILE *f = tl->f;
	int first,
	    n = eng_skipped("buy", lifecycle_stage_slug(lc, tl->vs.slug[i - 1]),
			    lifecycle_stage_slug(lc, tl->vs.slug[i]), &first);

	for (int k = 0; k < n; k++) {
		const char *slug = lc->stages[first + k].slug;
		char sn[16];
		snprintf(sn, sizeof(sn), "%d", first + k + 1);
		if (tl->c->format == FMT_CSV) {
			csv_field(f, tl->p->name, 0);
			csv_field(f, "", 0);
			csv_field(f, sn, 0);
			csv_field(f, slug, 0);
			for (int c = 0; c < 3; c++)
				csv_field(f, "", 0);
			csv_field(f, "skipped", 1);
		} else if (tl->c->format == FMT_MARKDOWN) {
			md_cell(f, "-");
			md_cell(f, slug);
			for (int c = 0; c < 3; c++)
				md_cell(f, "-");
			md_cell(f, "skipped");
			fputs("|\n", f);
		} else {
			const char *cells[] = {"-", slug, "-",
					       "-", "-",  "skipped"};
			table_row(&tl->t, cells);
		}
	}
}

static void
timeline_row(struct timeline *tl, size_t i)
{
	struct visit_row r = {.i = i, .v = &tl->vs.v[i]};
	double days = (r.v->end - r.v->start) / 86400.0;

	r.open = i + 1 == tl->vs.n && tl->p->status != PS_CLOSED;
	r.left = i + 1 < tl->vs.n ? tl->vs.at[i + 1] : tl->end;
	snprintf(r.num, sizeof(r.num), "%zu", i + 1);
	snprintf(r.sn, sizeof(r.sn), "%d", r.v->stage + 1);
	snprintf(r.db, sizeof(r.db), "%.1f", days < 0 ? 0.0 : days);
	switch (tl->c->format) {
	case FMT_MERMAID: row_mermaid(tl, &r); break;
	case FMT_JSON:
	case FMT_YAML: row_doc(tl, &r); break;
	case FMT_CSV:
		if (r.v->how == HOW_BUY && i > 0)
			rows_skipped(tl, i);
		row_csv(tl, &r);
		break;
	case FMT_MARKDOWN:
		if (r.v->how == HOW_BUY && i > 0)
			rows_skipped(tl, i);
		row_markdown(tl, &r);
		break;
	default:
		if (r.v->how == HOW_BUY && i > 0)
			rows_skipped(tl, i);
		row_text(tl, &r);
	}
}

const struct ap_error *
cmd_report_timeline(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct timeline tl = {.c = c, .f = c->out, .p = &p};

	tl.vs.c = c;
	tl.vs.keep = 1;
	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	tl.end = stage_clock_end(p.status, p.status_at, c->now);
	if ((err = visits_load(&tl.vs, p.id, p.created_at, p.stage, tl.end)))
		goto done;
	timeline_head(&tl);
	for (size_t i = 0; i < tl.vs.n; i++)
		timeline_row(&tl, i);
	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_end(&tl.w);
		jw_done(&tl.w);
	} else if (c->format == FMT_TEXT) {
		table_end(&tl.t);
	}
done:
	visits_free(&tl.vs);
	store_project_clear(&p);
	return err;
}
