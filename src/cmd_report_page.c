/*
 * cmd_report_page.c - pictures: report page (the portfolio as one
 * self-contained HTML5 file: board, RACI, who is on the hook, time in
 * stage, cumulative flow, timelines) and report timeline (one project's
 * stage visits, as a Mermaid gantt or a table).
 *
 * A stage visit runs from when the project entered the stage (created, or
 * a transition into it) to when it left (the next transition) or, for the
 * last visit, to the stage clock's end: now, or when a closed project was
 * closed (stage_clock_end).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aiproj/html.h"
#include "aiproj/util.h"
#include "cli.h"

#define EPOCH "1970-01-01T00:00:00.000Z"
#define BOARD_CARDS 50     /* cards per board column, the longest-stuck */
#define PAGE_TIMELINES 200 /* projects with a timeline on the page */
#define HOOK_ROWS 200      /* people listed under "who is on the hook" */
#define OVERLOAD 3         /* on the hook for more projects: overloaded */
#define CFD_SAMPLES 60     /* points of the cumulative flow diagram */
#define RACI_NAMES 4       /* people named in a RACI cell */
#define PALETTE 8          /* stage colours, reused past the eighth */

enum how { HOW_CREATED, HOW_ADVANCE, HOW_FORCED, HOW_BACK };
static const char *const how_name[] = {"created", "advance", "forced", "back"};

/* n digits of s as a number, or -1. */
static int
digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Seconds since 1970 of a store stamp: read by hand, as sscanf and
 * timegm cost more than the rest for a portfolio's millions of stamps
 * (a stamp of another shape goes the long way, stamp_diff). */
static double
secs(const char *stamp)
{
	int y, mo, d, h, mi, se, ms;
	long era, yoe, doy, doe;

	if (!stamp)
		return 0;
	y = digits(stamp, 4), mo = digits(stamp + 5, 2);
	d = digits(stamp + 8, 2), h = digits(stamp + 11, 2);
	mi = digits(stamp + 14, 2), se = digits(stamp + 17, 2);
	ms = digits(stamp + 20, 3);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || mi < 0 || se < 0 ||
	    ms < 0 || strlen(stamp) != 24 || stamp[23] != 'Z')
		return stamp_diff(EPOCH, stamp);
	/* days from 1970-01-01 of a proleptic Gregorian date */
	y -= mo <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153L * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (double)(era * 146097 + doe - 719468) * 86400.0 + h * 3600.0 +
	       mi * 60.0 + se + ms / 1000.0;
}

/* ---- stage visits, from a project's transitions ---- */

struct visit {
	int stage; /* lifecycle index, -1 for a stage it does not have */
	int how;   /* enum how: how the project entered */
	double start, end;
};

struct visits {
	struct cli *c;
	int keep; /* keep slugs and stamps (report timeline) */
	struct visit *v;
	size_t n, cap;
	char **slug;    /* keep: each visit's stage */
	char (*at)[32]; /* keep: when each visit began */
	/* the project being read */
	const char *created_at;
	int begun; /* its first visit is in v */
};

static const struct ap_error *
visit_push(struct visits *vs, const char *slug, int how, const char *at)
{
	struct visit *v;

	if (vs->n == vs->cap) {
		size_t cap = vs->cap ? vs->cap * 2 : 64;
		if (!(v = realloc(vs->v, cap * sizeof(*v))))
			return ap_error_nomem();
		vs->v = v;
		if (vs->keep) {
			char **s = realloc(vs->slug, cap * sizeof(*s));
			if (!s)
				return ap_error_nomem();
			vs->slug = s;
			char(*a)[32] = realloc(vs->at, cap * sizeof(*a));
			if (!a)
				return ap_error_nomem();
			vs->at = a;
		}
		vs->cap = cap;
	}
	v = &vs->v[vs->n];
	v->stage = lifecycle_stage_slug(&vs->c->lc, slug);
	v->how = how;
	v->start = v->end = secs(at);
	if (vs->keep) {
		if (!(vs->slug[vs->n] = strdup(slug)))
			return ap_error_nomem();
		snprintf(vs->at[vs->n], sizeof(vs->at[0]), "%s", at);
	}
	vs->n++;
	return NULL;
}

static const struct ap_error *
on_transition(void *arg, const struct store_transition *t)
{
	struct visits *vs = arg;
	const struct ap_error *err;
	int how = HOW_ADVANCE, from, to;

	if (!vs->begun) {
		if ((err =
			 visit_push(vs, t->from, HOW_CREATED, vs->created_at)))
			return err;
		vs->begun = 1;
	}
	from = lifecycle_stage_slug(&vs->c->lc, t->from);
	to = lifecycle_stage_slug(&vs->c->lc, t->to);
	if (from >= 0 && to >= 0 ? to < from
				 : t->kind && strcmp(t->kind, "back") == 0)
		how = HOW_BACK;
	else if (t->kind && strcmp(t->kind, "forced") == 0)
		how = HOW_FORCED;
	vs->v[vs->n - 1].end = secs(t->at);
	return visit_push(vs, t->to, how, t->at);
}

/* Append the visits of project `id`; the last one ends at `end`. */
static const struct ap_error *
visits_load(struct visits *vs, int64_t id, const char *created_at,
	    const char *stage, const char *end)
{
	const struct ap_error *err;

	vs->created_at = created_at;
	vs->begun = 0;
	if ((err = store_transitions(vs->c->store, id, on_transition, vs)))
		return err;
	if (!vs->begun &&
	    (err = visit_push(vs, stage, HOW_CREATED, created_at)))
		return err;
	vs->v[vs->n - 1].end = secs(end);
	return NULL;
}

static void
visits_free(struct visits *vs)
{
	for (size_t i = 0; vs->keep && i < vs->n; i++)
		free(vs->slug[i]);
	free(vs->slug);
	free(vs->at);
	free(vs->v);
}

/* ---- report timeline ---- */

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

const struct ap_error *
cmd_report_timeline(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct visits vs = {.c = c, .keep = 1};
	const char *end;
	FILE *f = c->out;
	struct jw w;
	struct table t;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	end = stage_clock_end(p.status, p.status_at, c->now);
	if ((err = visits_load(&vs, p.id, p.created_at, p.stage, end)))
		goto done;
	if (c->format == FMT_MERMAID) {
		fprintf(f,
			"%%%% aiproj report timeline %s: %s, at %s, %zu"
			" visit%s\ngantt\n  title ",
			p.name, proj_status_name(p.status), p.stage, vs.n,
			vs.n == 1 ? "" : "s");
		gantt_text(f, p.name);
		fputs("\n  dateFormat YYYY-MM-DD HH:mm:ss\n"
		      "  axisFormat %Y-%m-%d\n",
		      f);
	} else if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "status", proj_status_name(p.status));
		jw_kstr(&w, "stage", p.stage);
		jw_kstr(&w, "created_at", p.created_at);
		jw_key(&w, "visits");
		jw_arr(&w);
	} else if (c->format == FMT_CSV) {
		fputs("project,visit,stage_number,stage,entered_at,left_at,"
		      "days,entered_by\r\n",
		      f);
	} else if (c->format == FMT_MARKDOWN) {
		fprintf(f, "### %s: stage visits\n\n", p.name);
		fputs("| # | Stage | Entered | Left | Days | Entered by |\n"
		      "|---|---|---|---|---|---|\n",
		      f);
	} else {
		static const char *const head[] = {"#",    "STAGE", "ENTERED",
						   "LEFT", "DAYS",  "BY"};
		table_begin(&t, f, c->format, 6, head, NULL);
	}
	for (size_t i = 0; i < vs.n; i++) {
		const struct visit *v = &vs.v[i];
		int open = i + 1 == vs.n && p.status != PS_CLOSED;
		const char *left = i + 1 < vs.n ? vs.at[i + 1] : end;
		double days = (v->end - v->start) / 86400.0;
		char num[24], sn[24], db[32];
		snprintf(num, sizeof(num), "%zu", i + 1);
		snprintf(sn, sizeof(sn), "%d", v->stage + 1);
		snprintf(db, sizeof(db), "%.1f", days < 0 ? 0.0 : days);
		switch (c->format) {
		case FMT_MERMAID: {
			char d0[20], d1[20];
			const char *name = v->stage >= 0
					       ? c->lc.stages[v->stage].name
					       : vs.slug[i];
			mermaid_date(d0, vs.at[i]);
			mermaid_date(d1, left);
			fputs("  section ", f);
			gantt_text(f, name);
			fputs("\n  ", f);
			gantt_text(f, name);
			fprintf(f, " %s d :%s, v%zu, %s, %s\n", db,
				open                 ? "active"
				: v->how == HOW_BACK ? "crit"
						     : "done",
				i + 1, d0, d1);
			break;
		}
		case FMT_JSON:
		case FMT_YAML:
			jw_obj(&w);
			jw_kint(&w, "visit", (int64_t)i + 1);
			jw_kstr(&w, "stage", vs.slug[i]);
			jw_key(&w, "stage_number");
			if (v->stage >= 0)
				jw_int(&w, v->stage + 1);
			else
				jw_null(&w);
			jw_kstr(&w, "entered_at", vs.at[i]);
			jw_kstr(&w, "left_at", open ? NULL : left);
			jw_knum(&w, "days", strtod(db, NULL));
			jw_kstr(&w, "entered_by", how_name[v->how]);
			jw_kbool(&w, "current", i + 1 == vs.n);
			jw_end(&w);
			break;
		case FMT_CSV:
			csv_field(f, p.name, 0);
			csv_field(f, num, 0);
			csv_field(f, v->stage >= 0 ? sn : "", 0);
			csv_field(f, vs.slug[i], 0);
			csv_field(f, vs.at[i], 0);
			csv_field(f, open ? "" : left, 0);
			csv_field(f, db, 0);
			csv_field(f, how_name[v->how], 1);
			break;
		case FMT_MARKDOWN:
			md_cell(f, num);
			md_cell(f, vs.slug[i]);
			md_cell(f, vs.at[i]);
			md_cell(f, open ? "now" : left);
			md_cell(f, db);
			md_cell(f, how_name[v->how]);
			fputs("|\n", f);
			break;
		default: {
			/* to the minute: the row fits 80 columns */
			char e0[20], e1[20];
			snprintf(e0, sizeof(e0), "%.10s %.5s", vs.at[i],
				 vs.at[i] + 11);
			snprintf(e1, sizeof(e1), "%.10s %.5s", left, left + 11);
			const char *cells[] = {num, vs.slug[i],
					       e0,  open ? "now" : e1,
					       db,  how_name[v->how]};
			table_row(&t, cells);
		}
		}
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_end(&w);
		jw_done(&w);
	} else if (c->format == FMT_TEXT) {
		table_end(&t);
	}
done:
	visits_free(&vs);
	store_project_clear(&p);
	return err;
}

/* ---- report page: what it gathers ---- */

struct pproj {
	char *name;
	int64_t id;
	int status; /* enum proj_status */
	int stage;
	double days; /* in the current stage */
	double closed_at;
	int met, total, back;
	uint32_t gaps; /* A/R roles of the current stage with nobody */
	int on_card;
	size_t v0, nv; /* its visits in vs */
	char created[32], end[32];
};

struct person {
	char *name;
	int hook, sole, assigned;
};

struct page {
	struct cli *c;
	FILE *f;
	struct pproj *p;
	size_t n, cap;
	struct visits vs;
	/* RACI: by stage and role, over the projects not closed */
	int staffed[LC_MAX_STAGES][LC_MAX_ROLES]; /* projects with someone */
	int gapn[LC_MAX_STAGES][LC_MAX_ROLES];    /* A/R with nobody */
	int npeople[LC_MAX_STAGES][LC_MAX_ROLES]; /* distinct people */
	char *names[LC_MAX_STAGES][LC_MAX_ROLES][RACI_NAMES];
	uint32_t seen[LC_MAX_STAGES]; /* the person being read: cells */
	int active[LC_MAX_STAGES];    /* active projects by stage */
	int nactive, nhold, nclosed;
	struct person *people;
	size_t npers, cappers;
};

static const struct ap_error *
on_page_status(void *arg, const struct store_status_row *row)
{
	struct page *pg = arg;
	struct cli *c = pg->c;
	const struct ap_error *err;
	struct eng_project e;
	struct pproj *p;
	size_t met, total;
	int st;
	const char *end = stage_clock_end(row->status, row->status_at, c->now);

	/* the engine's view from the counts, as report status has it */
	if ((err = state_from_row(&c->lc, row, &e)))
		return err;
	st = e.stage;
	if (pg->n == pg->cap) {
		size_t cap = pg->cap ? pg->cap * 2 : 256;
		if (!(p = realloc(pg->p, cap * sizeof(*p))))
			return ap_error_nomem();
		pg->p = p;
		pg->cap = cap;
	}
	p = &pg->p[pg->n];
	memset(p, 0, sizeof(*p));
	if (!(p->name = strdup(row->project)))
		return ap_error_nomem();
	pg->n++;
	if ((err = gate_count(&c->lc, &e, st, &met, &total)))
		return err;
	p->status = e.status;
	p->stage = st;
	p->met = (int)met;
	p->total = (int)total;
	p->back = row->back_jumps;
	p->days = stamp_diff(row->entered_at, end) / 86400.0;
	if (p->days < 0)
		p->days = 0;
	p->closed_at = secs(row->status_at);
	snprintf(p->end, sizeof(p->end), "%s", end);
	for (size_t r = 0; r < c->lc.nroles; r++) {
		int raci = c->lc.stages[st].raci[r];
		if (p->status == PS_CLOSED)
			break;
		if (e.staffed[r])
			pg->staffed[st][r]++;
		else if (raci == RACI_A || raci == RACI_R) {
			p->gaps |= (uint32_t)1 << r;
			pg->gapn[st][r]++;
		}
	}
	if (p->status == PS_CLOSED)
		pg->nclosed++;
	else if (p->status == PS_ON_HOLD)
		pg->nhold++;
	else
		pg->nactive++, pg->active[st]++;
	return NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct pproj *)a)->name,
		      ((const struct pproj *)b)->name);
}

static const struct ap_error *
on_page_project(void *arg, const struct store_project *sp)
{
	struct page *pg = arg;
	struct pproj key = {.name = sp->name}, *p;

	p = pg->n ? bsearch(&key, pg->p, pg->n, sizeof(*p), by_name) : NULL;
	if (p) {
		p->id = sp->id;
		snprintf(p->created, sizeof(p->created), "%s", sp->created_at);
	}
	return NULL;
}

static const struct ap_error *
on_page_person(void *arg, const struct store_people_row *row)
{
	struct page *pg = arg;
	struct cli *c = pg->c;
	struct person *ps;
	int s = lifecycle_stage_slug(&c->lc, row->stage);
	int r = lifecycle_role(&c->lc, row->role);
	int raci = s >= 0 && r >= 0 ? c->lc.stages[s].raci[r] : -1;
	int hook =
	    (raci == RACI_A || raci == RACI_R) && row->status != PS_CLOSED;

	if (!pg->npers || strcmp(pg->people[pg->npers - 1].name, row->person)) {
		if (pg->npers == pg->cappers) {
			size_t cap = pg->cappers ? pg->cappers * 2 : 64;
			if (!(ps = realloc(pg->people, cap * sizeof(*ps))))
				return ap_error_nomem();
			pg->people = ps;
			pg->cappers = cap;
		}
		ps = &pg->people[pg->npers];
		memset(ps, 0, sizeof(*ps));
		if (!(ps->name = strdup(row->person)))
			return ap_error_nomem();
		pg->npers++;
		memset(pg->seen, 0, sizeof(pg->seen));
	}
	ps = &pg->people[pg->npers - 1];
	ps->assigned++;
	ps->hook += hook;
	ps->sole += hook && row->holders == 1;
	/* the RACI cell (stage now, role): this person, once */
	if (s >= 0 && r >= 0 && !(pg->seen[s] & ((uint32_t)1 << r)) &&
	    row->status != PS_CLOSED) {
		int k = pg->npeople[s][r]++;
		pg->seen[s] |= (uint32_t)1 << r;
		if (k < RACI_NAMES &&
		    !(pg->names[s][r][k] = strdup(row->person)))
			return ap_error_nomem();
	}
	return NULL;
}

static void
page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		free(pg->p[i].name);
	free(pg->p);
	for (size_t i = 0; i < pg->npers; i++)
		free(pg->people[i].name);
	free(pg->people);
	for (int s = 0; s < LC_MAX_STAGES; s++)
		for (int r = 0; r < LC_MAX_ROLES; r++)
			for (int k = 0; k < RACI_NAMES; k++)
				free(pg->names[s][r][k]);
	visits_free(&pg->vs);
}

/* ---- report page: writing it ---- */

static const char page_css[] =
    ":root{--bg:#fff;--fg:#1d2430;--mute:#5b6472;--line:#d5dae1;"
    "--card:#f6f8fa;--gap:#c62828;--gapbg:#fdecea;--accent:#1565c0;"
    "--s0:#4e79a7;--s1:#f28e2b;--s2:#59a14f;--s3:#b07aa1;--s4:#e15759;"
    "--s5:#76b7b2;--s6:#edc948;--s7:#9c755f}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#11151c;--fg:#e6e9ee;"
    "--mute:#9aa4b2;--line:#323b48;--card:#1a212b;--gap:#ff8a80;"
    "--gapbg:#3a1e1e;--accent:#90caf9}}\n"
    "*{box-sizing:border-box}\n"
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "background:var(--bg);color:var(--fg);margin:0 auto;max-width:1280px;"
    "padding:1em 1.5em}\n"
    "h1{font-size:1.6em;margin:.2em 0}h2{font-size:1.25em;margin:1.6em 0 "
    ".4em;border-bottom:1px solid var(--line);padding-bottom:.2em}\n"
    "h3{font-size:1em;margin:.3em 0}\n"
    "p.note,.mute{color:var(--mute)}\n"
    "nav a{color:var(--accent);margin-right:1em;text-decoration:none}\n"
    ".board{display:grid;gap:.6em;align-items:start}\n"
    ".col{background:var(--card);border:1px solid var(--line);"
    "border-radius:6px;padding:.4em;min-width:0}\n"
    ".col h3 small{color:var(--mute);font-weight:normal}\n"
    ".cards{display:flex;flex-wrap:wrap;gap:.4em}\n"
    ".col .cards{display:block}\n"
    ".card{background:var(--bg);border:1px solid var(--line);"
    "border-left:4px solid var(--c);border-radius:4px;padding:.3em .45em;"
    "margin:0 0 .4em;min-width:11em;overflow-wrap:anywhere}\n"
    ".card b,.card .meta,.card .gap{display:block}\n"
    ".card .meta{font-size:.85em;color:var(--mute)}\n"
    ".bar{display:block;height:5px;background:var(--line);border-radius:3px;"
    "margin:.2em 0}.bar span{display:block;height:100%;border-radius:3px;"
    "background:var(--accent)}\n"
    ".gap{color:var(--gap);font-size:.85em;font-weight:600}\n"
    "table{border-collapse:collapse;margin:.4em 0;font-size:.9em}\n"
    "th,td{border:1px solid var(--line);padding:.2em .5em;text-align:left;"
    "vertical-align:top}\nth{background:var(--card)}\n"
    "td.gap{background:var(--gapbg)}td.n{text-align:right}\n"
    "tr.over td{background:var(--gapbg)}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg text{fill:var(--fg);font:11px system-ui,sans-serif}\n"
    "svg .grid{stroke:var(--line)}svg .back{stroke:var(--gap);"
    "fill:var(--gap)}\n"
    "figure{margin:.6em 0}figcaption{font-weight:600}\n"
    ".k0{--c:var(--s0)}.k1{--c:var(--s1)}.k2{--c:var(--s2)}"
    ".k3{--c:var(--s3)}.k4{--c:var(--s4)}.k5{--c:var(--s5)}"
    ".k6{--c:var(--s6)}.k7{--c:var(--s7)}\n"
    "svg .k0,svg .k1,svg .k2,svg .k3,svg .k4,svg .k5,svg .k6,svg .k7"
    "{fill:var(--c)}\n"
    ".swatch{display:inline-block;width:.8em;height:.8em;"
    "background:var(--c);margin-right:.3em;vertical-align:-.05em}\n"
    "@media print{nav{display:none}body{max-width:none;padding:0}"
    "h2{break-after:avoid}figure,.card,tr{break-inside:avoid}}\n";

/* "2026-03-01" of a time in seconds since 1970. */
static void
day_of(char buf[16], double t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || !strftime(buf, 16, "%Y-%m-%d", &tm))
		snprintf(buf, 16, "?");
}

static void
stage_label(FILE *f, const struct cli *c, int s)
{
	fprintf(f, "%d ", s + 1);
	html_text(f, c->lc.stages[s].name);
}

static void
card(struct page *pg, const struct pproj *p)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	int pct = p->total ? p->met * 100 / p->total : 100;

	fprintf(f, "<div class=\"card k%d\" data-project=\"",
		p->stage % PALETTE);
	html_text(f, p->name);
	fputs("\"><b>", f);
	html_text(f, p->name);
	fputs("</b><span class=\"meta\">", f);
	if (p->status != PS_ACTIVE) {
		fputs(p->status == PS_CLOSED ? "closed" : "on hold", f);
		fputs(" at ", f);
		html_text(f, c->lc.stages[p->stage].slug);
		fputs(" &middot; ", f);
	}
	fprintf(f,
		"%.1f d in stage &middot; gate %d/%d</span><span "
		"class=\"bar\" title=\"gate %d of %d\"><span "
		"style=\"width:%d%%\"></span></span>",
		p->days, p->met, p->total, p->met, p->total, pct);
	if (p->back)
		fprintf(f, "<span class=\"meta\">%d back-jump%s</span>",
			p->back, p->back == 1 ? "" : "s");
	if (p->gaps) {
		int any = 0;
		fputs("<span class=\"gap\">gap: ", f);
		for (size_t r = 0; r < c->lc.nroles; r++)
			if (p->gaps & ((uint32_t)1 << r)) {
				fputs(any++ ? ", " : "", f);
				html_text(f, c->lc.roles[r].slug);
			}
		fputs("</span>", f);
	}
	fputs("</div>\n", f);
}

/* Board order: active by stage, longest in it first; then on hold,
 * longest first; then closed, the latest closed first. */
static const struct page *sort_pg;
static int
board_cmp(const void *a, const void *b)
{
	const struct pproj *x = &sort_pg->p[*(const size_t *)a];
	const struct pproj *y = &sort_pg->p[*(const size_t *)b];

	if (x->status != y->status)
		return x->status - y->status;
	if (x->status == PS_ACTIVE && x->stage != y->stage)
		return x->stage - y->stage;
	if (x->status == PS_CLOSED && x->closed_at != y->closed_at)
		return x->closed_at > y->closed_at ? -1 : 1;
	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
write_board(struct page *pg, const size_t *order)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	size_t i = 0, left = 0;

	fprintf(f,
		"<section id=\"board\"><h2>Board</h2>\n<p class=\"note\">Active"
		" projects by stage, the longest in their stage first (at most"
		" %d cards a column; the rest are in the table below). A card:"
		" days in the stage, the gate's criteria met, back-jumps, and"
		" the accountable or responsible roles with nobody"
		" (gap).</p>\n<div class=\"board\" style=\"grid-template-"
		"columns:repeat(%zu,minmax(11em,1fr))\">\n",
		BOARD_CARDS, c->lc.nstages);
	for (size_t s = 0; s < c->lc.nstages; s++) {
		int shown = 0;
		fprintf(
		    f,
		    "<div class=\"col\" data-stage=\"%s\" data-count=\"%d\">"
		    "<h3><span class=\"swatch k%zu\"></span>",
		    c->lc.stages[s].slug, pg->active[s], s % PALETTE);
		stage_label(f, c, (int)s);
		fprintf(f, " <small>%d</small></h3><div class=\"cards\">\n",
			pg->active[s]);
		for (; i < pg->n && pg->p[order[i]].status == PS_ACTIVE &&
		       pg->p[order[i]].stage == (int)s;
		     i++) {
			if (shown < BOARD_CARDS) {
				pg->p[order[i]].on_card = 1;
				card(pg, &pg->p[order[i]]);
				shown++;
			} else {
				left++;
			}
		}
		fputs("</div>", f);
		if (pg->active[s] > shown)
			fprintf(f, "<p class=\"note\">%d more below</p>",
				pg->active[s] - shown);
		fputs("</div>\n", f);
	}
	fputs("</div>\n", f);
	for (int st = PS_ON_HOLD; st <= PS_CLOSED; st++) {
		int shown = 0, n = st == PS_ON_HOLD ? pg->nhold : pg->nclosed;
		fprintf(
		    f,
		    "<h3 id=\"%s\">%s <small class=\"mute\" data-count=\"%d\">"
		    "%d</small></h3>\n<p class=\"note\">%s</p><div "
		    "class=\"cards\">\n",
		    st == PS_ON_HOLD ? "held" : "closed",
		    st == PS_ON_HOLD ? "On hold" : "Closed", n, n,
		    st == PS_ON_HOLD
			? "Held projects still sit in their stage; the "
			  "longest in it first."
			: "The latest closed first; their days stopped "
			  "when they were closed.");
		for (; i < pg->n && pg->p[order[i]].status == st; i++) {
			if (shown < BOARD_CARDS) {
				pg->p[order[i]].on_card = 1;
				card(pg, &pg->p[order[i]]);
				shown++;
			} else {
				left++;
			}
		}
		if (!n)
			fputs("<p class=\"mute\">None.</p>", f);
		fputs("</div>\n", f);
	}
	fprintf(f,
		"<h3 id=\"rest\">Every other project <small class=\"mute\""
		" data-count=\"%zu\">%zu</small></h3>\n",
		left, left);
	if (!left) {
		fputs("<p class=\"mute\">Every project is on a card above.</p>"
		      "</section>\n",
		      f);
		return;
	}
	fputs("<table class=\"rest\"><thead><tr><th>Project<th>Status<th>Stage"
	      "<th>Days<th>Gate<th>Back<th>Gaps</thead><tbody>\n",
	      f);
	for (size_t k = 0; k < pg->n; k++) {
		const struct pproj *p = &pg->p[order[k]];
		int gaps = 0;
		if (p->on_card)
			continue;
		for (uint32_t g = p->gaps; g; g &= g - 1)
			gaps++;
		fputs("<tr><td>", f);
		html_text(f, p->name);
		fprintf(f, "<td>%s<td>",
			p->status == PS_ACTIVE    ? "active"
			: p->status == PS_ON_HOLD ? "on-hold"
						  : "closed");
		html_text(f, c->lc.stages[p->stage].slug);
		fprintf(f, "<td class=n>%.1f<td>%d/%d<td class=n>%d<td%s>%d\n",
			p->days, p->met, p->total, p->back,
			gaps ? " class=gap" : "", gaps);
	}
	fputs("</tbody></table></section>\n", f);
}

static void
write_raci(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;

	fputs("<section id=\"raci\"><h2>Roles: the RACI matrix</h2>\n<p "
	      "class=\"note\">For each stage and role: the lifecycle's letter "
	      "(A accountable, R responsible, C consulted, I informed), the "
	      "people holding the role on the projects now in the stage "
	      "(closed ones left out), and in red the projects whose A or R "
	      "role has nobody.</p>\n<table class=\"raci\"><thead><tr>"
	      "<th>Stage",
	      f);
	for (size_t r = 0; r < c->lc.nroles; r++) {
		fputs("<th>", f);
		html_text(f, c->lc.roles[r].name);
	}
	fputs("</thead><tbody>\n", f);
	for (size_t s = 0; s < c->lc.nstages; s++) {
		fputs("<tr><th>", f);
		stage_label(f, c, (int)s);
		for (size_t r = 0; r < c->lc.nroles; r++) {
			int gap = pg->gapn[s][r], np = pg->npeople[s][r];
			fprintf(f,
				"<td%s data-stage=\"%s\" "
				"data-role=\"%s\"><b>%s</b>",
				gap ? " class=gap" : "", c->lc.stages[s].slug,
				c->lc.roles[r].slug,
				raci_letter(c->lc.stages[s].raci[r]));
			for (int k = 0; k < np && k < RACI_NAMES; k++) {
				fputs(k ? ", " : " ", f);
				html_text(f, pg->names[s][r][k]);
			}
			if (np > RACI_NAMES)
				fprintf(f, " +%d", np - RACI_NAMES);
			if (gap)
				fprintf(f,
					"<br><span class=\"gap\">%d project%s"
					" without</span>",
					gap, gap == 1 ? "" : "s");
		}
		fputs("\n", f);
	}
	fputs("</tbody></table></section>\n", f);
}

static int
hook_cmp(const void *a, const void *b)
{
	const struct person *x = a, *y = b;

	if (x->hook != y->hook)
		return y->hook - x->hook;
	if (x->sole != y->sole)
		return y->sole - x->sole;
	return strcmp(x->name, y->name);
}

static void
write_hook(struct page *pg)
{
	FILE *f = pg->f;
	size_t over = 0;

	if (pg->npers)
		qsort(pg->people, pg->npers, sizeof(*pg->people), hook_cmp);
	for (size_t i = 0; i < pg->npers; i++)
		over += pg->people[i].hook > OVERLOAD;
	fprintf(f,
		"<section id=\"hook\"><h2>Who is on the hook</h2>\n<p "
		"class=\"note\">On the hook: accountable or responsible for a"
		" project's current stage. Sole: the only person in that role"
		" there. Overloaded (shaded): on the hook for more than %d"
		" projects. %zu of %zu people overloaded",
		OVERLOAD, over, pg->npers);
	if (pg->npers > HOOK_ROWS)
		fprintf(f, "; the %d most loaded are listed", HOOK_ROWS);
	fputs(".</p>\n", f);
	if (!pg->npers) {
		fputs("<p class=\"mute\">Nobody is assigned to any open "
		      "project.</p></section>\n",
		      f);
		return;
	}
	fputs("<table class=\"hook\"><thead><tr><th>Person<th>On the hook"
	      "<th>Sole<th>Assignments</thead><tbody>\n",
	      f);
	for (size_t i = 0; i < pg->npers && i < HOOK_ROWS; i++) {
		const struct person *p = &pg->people[i];
		fprintf(f, "<tr%s><td>",
			p->hook > OVERLOAD ? " class=over" : "");
		html_text(f, p->name);
		fprintf(f, "<td class=n>%d<td class=n>%d<td class=n>%d\n",
			p->hook, p->sole, p->assigned);
	}
	fputs("</tbody></table></section>\n", f);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* The nearest-rank percentile q (0..1] of n sorted values. */
static double
rank(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);

	return n ? v[k ? k - 1 : 0] : 0;
}

static const struct ap_error *
write_times(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	size_t ns = c->lc.nstages, *cnt = calloc(ns, sizeof(*cnt));
	double **d = calloc(ns, sizeof(*d)), med[LC_MAX_STAGES],
	       p90[LC_MAX_STAGES], top = 0;
	const double W = 760, L = 190, R = 230;
	const struct visit *v = pg->vs.v;
	const struct ap_error *err = NULL;

	if (!cnt || !d) {
		err = ap_error_nomem();
		goto done;
	}
	for (size_t i = 0; i < pg->vs.n; i++)
		if (v[i].stage >= 0)
			cnt[v[i].stage]++;
	for (size_t s = 0; s < ns; s++)
		if (cnt[s] && !(d[s] = malloc(cnt[s] * sizeof(**d)))) {
			err = ap_error_nomem();
			goto done;
		}
	memset(cnt, 0, ns * sizeof(*cnt));
	for (size_t i = 0; i < pg->vs.n; i++)
		if (v[i].stage >= 0)
			d[v[i].stage][cnt[v[i].stage]++] =
			    fmax(0, v[i].end - v[i].start) / 86400.0;
	for (size_t s = 0; s < ns; s++) {
		if (cnt[s])
			qsort(d[s], cnt[s], sizeof(**d), dbl_cmp);
		med[s] = rank(d[s], cnt[s], 0.5);
		p90[s] = rank(d[s], cnt[s], 0.9);
		top = fmax(top, p90[s]);
	}
	fprintf(f,
		"<section id=\"time\"><h2>Time in stage</h2>\n<p "
		"class=\"note\">Days per visit of each stage, over every"
		" visit of every project (a visit still going counts up to"
		" now, a closed project's up to its closing): the median (pale)"
		" and the 90th percentile (full), nearest rank.</p>\n<svg "
		"class=\"chart\" id=\"time-chart\" viewBox=\"0 0 %.0f %zu\" "
		"width=\"%.0f\" height=\"%zu\" role=\"img\" aria-label=\"Time"
		" in stage\">\n",
		W, ns * 34 + 10, W, ns * 34 + 10);
	for (size_t s = 0; s < ns; s++) {
		double y = (double)s * 34 + 6, span = W - L - R;
		double wm = top > 0 ? med[s] / top * span : 0;
		double wp = top > 0 ? p90[s] / top * span : 0;
		fputs("<text x=\"0\" y=\"", f);
		html_coord(f, y + 16);
		fputs("\">", f);
		stage_label(f, c, (int)s);
		fprintf(f,
			"</text><rect class=\"k%zu\" opacity=\".5\" "
			"data-median=\"%.2f\" x=\"%.0f\" y=\"",
			s % PALETTE, med[s], L);
		html_coord(f, y);
		fputs("\" width=\"", f);
		html_coord(f, fmax(wm, 1));
		fprintf(
		    f,
		    "\" height=\"11\"/><rect class=\"k%zu\" data-p90=\"%.2f\""
		    " x=\"%.0f\" y=\"",
		    s % PALETTE, p90[s], L);
		html_coord(f, y + 13);
		fputs("\" width=\"", f);
		html_coord(f, fmax(wp, 1));
		fprintf(f, "\" height=\"11\"/><text x=\"%.0f\" y=\"",
			W - R + 8);
		html_coord(f, y + 16);
		fprintf(f,
			"\">median %.1f d, p90 %.1f d (%zu visit%s)</text>\n",
			med[s], p90[s], cnt[s], cnt[s] == 1 ? "" : "s");
	}
	fputs("</svg></section>\n", f);
done:
	for (size_t s = 0; d && s < ns; s++)
		free(d[s]);
	free(d);
	free(cnt);
	return err;
}

static const struct ap_error *
write_flow(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	size_t ns = c->lc.nstages, K = CFD_SAMPLES;
	const double W = 760, H = 280, X0 = 40, X1 = 590, Y0 = 12, Y1 = 250;
	double t0 = secs(c->now), t1 = secs(c->now), step, ymax = 1;
	int *cnt = calloc(ns * (K + 1), sizeof(*cnt));
	int *cum = calloc(ns * K, sizeof(*cum));
	char d0[16], d1[16];

	if (!cnt || !cum) {
		free(cnt);
		free(cum);
		return ap_error_nomem();
	}
	for (size_t i = 0; i < pg->vs.n; i++)
		t0 = fmin(t0, pg->vs.v[i].start);
	step = (t1 - t0) / (double)(K - 1);
	/* a visit counts at each sample from its start up to (not at) its
	 * end; one still going counts at now */
	for (size_t i = 0; i < pg->n; i++) {
		const struct pproj *p = &pg->p[i];
		for (size_t k = p->v0; k < p->v0 + p->nv; k++) {
			const struct visit *v = &pg->vs.v[k];
			int open =
			    k + 1 == p->v0 + p->nv && p->status != PS_CLOSED;
			long a, b;
			if (v->stage < 0)
				continue;
			if (step <= 0) {
				a = b = open ? (long)K - 1 : (long)K;
			} else {
				a = (long)ceil((v->start - t0) / step);
				b = open ? (long)K
					 : (long)ceil((v->end - t0) / step);
			}
			if (a < 0)
				a = 0;
			if (b > (long)K)
				b = (long)K;
			if (step <= 0 && open)
				b = (long)K;
			if (a >= b)
				continue;
			cnt[(size_t)v->stage * (K + 1) + (size_t)a]++;
			cnt[(size_t)v->stage * (K + 1) + (size_t)b]--;
		}
	}
	/* stacked from the last stage at the bottom up to the first */
	for (size_t k = 0; k < K; k++) {
		int below = 0;
		for (size_t s = ns; s-- > 0;) {
			int run = 0;
			for (size_t j = 0; j <= k; j++)
				run += cnt[s * (K + 1) + j];
			below += run;
			cum[s * K + k] = below;
		}
		ymax = fmax(ymax, below);
	}
	day_of(d0, t0);
	day_of(d1, t1);
	fprintf(
	    f,
	    "<section id=\"flow\"><h2>Cumulative flow</h2>\n<p "
	    "class=\"note\">Projects in each stage over time (on hold "
	    "included; a closed project leaves when it is closed), from the"
	    " first project's creation to now, at %zu points; the last "
	    "stage at the bottom.</p>\n<svg class=\"chart\" "
	    "id=\"flow-chart\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" "
	    "height=\"%.0f\" role=\"img\" aria-label=\"Cumulative flow\">\n",
	    K, W, H, W, H);
	for (size_t s = 0; s < ns; s++) {
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
			html_coord(f, Y1 - (Y1 - Y0) * cum[s * K + k] / ymax);
			fputc(' ', f);
		}
		for (size_t k = K; k-- > 0;) {
			double x = X0 + (X1 - X0) * (double)k / (double)(K - 1);
			int low = s + 1 < ns ? cum[(s + 1) * K + k] : 0;
			html_coord(f, x);
			fputc(',', f);
			html_coord(f, Y1 - (Y1 - Y0) * low / ymax);
			fputs(k ? " " : "", f);
		}
		fputs("\"/>\n", f);
	}
	fprintf(f,
		"<line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" x2=\"%.0f\" "
		"y2=\"%.0f\"/><line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" "
		"x2=\"%.0f\" y2=\"%.0f\"/>\n<text x=\"%.0f\" y=\"%.0f\">%s"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%s"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">%.0f"
		"</text><text x=\"%.0f\" y=\"%.0f\" text-anchor=\"end\">0"
		"</text>\n",
		X0, Y1, X1, Y1, X0, Y0, X0, Y1, X0, Y1 + 16, d0, X1, Y1 + 16,
		d1, X0 - 4, Y0 + 8, ymax, X0 - 4, Y1);
	for (size_t s = 0; s < ns; s++) {
		double y = Y0 + 4 + (double)s * 18;
		fprintf(f, "<rect class=\"k%zu\" x=\"%.0f\" y=\"", s % PALETTE,
			X1 + 16);
		html_coord(f, y);
		fprintf(f,
			"\" width=\"10\" height=\"10\"/><text x=\"%.0f\" y=\"",
			X1 + 32);
		html_coord(f, y + 9);
		fputs("\">", f);
		stage_label(f, c, (int)s);
		fputs("</text>\n", f);
	}
	fputs("</svg></section>\n", f);
	free(cnt);
	free(cum);
	return NULL;
}

static void
write_timeline(struct page *pg, const struct pproj *p)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	size_t ns = c->lc.nstages;
	const struct visit *v = &pg->vs.v[p->v0];
	const double W = 760, L = 170, R = 750, ROW = 16;
	double t0 = v[0].start, t1 = v[p->nv - 1].end, span, h;
	char d0[16], d1[16];

	span = t1 > t0 ? t1 - t0 : 1;
	h = (double)ns * ROW + 22;
	day_of(d0, t0);
	day_of(d1, t1);
	fputs("<figure data-project=\"", f);
	html_text(f, p->name);
	fputs("\"><figcaption>", f);
	html_text(f, p->name);
	fprintf(f,
		" <span class=\"mute\">(%zu visit%s, %d back)</span>"
		"</figcaption>\n<svg viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\""
		" height=\"%.0f\" role=\"img\">\n",
		p->nv, p->nv == 1 ? "" : "s", p->back, W, h, W, h);
	for (size_t s = 0; s < ns; s++) {
		fprintf(f, "<text x=\"0\" y=\"%.0f\">", (double)s * ROW + 12);
		stage_label(f, c, (int)s);
		fprintf(f,
			"</text><line class=\"grid\" x1=\"%.0f\" y1=\"%.0f\" "
			"x2=\"%.0f\" y2=\"%.0f\"/>\n",
			L, (double)s * ROW + ROW, R, (double)s * ROW + ROW);
	}
	for (size_t i = 0; i < p->nv; i++) {
		double x = L + (v[i].start - t0) / span * (R - L);
		double w = (v[i].end - v[i].start) / span * (R - L);
		if (v[i].stage < 0)
			continue;
		fprintf(f, "<rect class=\"k%d\" x=\"", v[i].stage % PALETTE);
		html_coord(f, x);
		fprintf(f, "\" y=\"%.0f\" width=\"",
			(double)v[i].stage * ROW + 3);
		html_coord(f, fmax(w, 2));
		fprintf(f, "\" height=\"%.0f\"><title>", ROW - 5);
		html_text(f, c->lc.stages[v[i].stage].name);
		fprintf(f, ": %.1f d (%s)</title></rect>\n",
			fmax(0, v[i].end - v[i].start) / 86400.0,
			how_name[v[i].how]);
		if (v[i].how == HOW_BACK && i && v[i - 1].stage >= 0) {
			/* from the stage left, up to the one gone back to */
			double yf = (double)v[i - 1].stage * ROW + ROW / 2;
			double yt = (double)v[i].stage * ROW + ROW - 2;
			fputs("<line class=\"back\" stroke-width=\"1.5\" x1=\"",
			      f);
			html_coord(f, x);
			fprintf(f, "\" y1=\"%.0f\" x2=\"", yf);
			html_coord(f, x);
			fprintf(f,
				"\" y2=\"%.0f\"/><polygon class=\"back\" "
				"points=\"",
				yt + 4);
			html_coord(f, x - 4);
			fprintf(f, ",%.0f ", yt + 5);
			html_coord(f, x + 4);
			fprintf(f, ",%.0f ", yt + 5);
			html_coord(f, x);
			fprintf(f, ",%.0f\"/>\n", yt - 1);
		}
	}
	fprintf(f,
		"<text x=\"%.0f\" y=\"%.0f\">%s</text><text x=\"%.0f\" "
		"y=\"%.0f\" text-anchor=\"end\">%s</text>\n</svg></figure>\n",
		L, h - 4, d0, R, h - 4, d1);
}

static const struct ap_error *
write_page(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;
	const struct ap_error *err;
	size_t *order = malloc((pg->n ? pg->n : 1) * sizeof(*order));
	size_t ntl = pg->n < PAGE_TIMELINES ? pg->n : PAGE_TIMELINES;

	if (!order)
		return ap_error_nomem();
	for (size_t i = 0; i < pg->n; i++)
		order[i] = i;
	sort_pg = pg;
	if (pg->n)
		qsort(order, pg->n, sizeof(*order), board_cmp);
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta "
	      "charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\""
	      " content=\"default-src 'none'; style-src 'unsafe-inline'; "
	      "img-src data:\">\n<meta name=\"viewport\" content=\"width="
	      "device-width, initial-scale=1\">\n<meta name=\"color-scheme\" "
	      "content=\"light dark\">\n<meta name=\"generator\" "
	      "content=\"aiproj report page\">\n<title>AI project portfolio"
	      "</title>\n<style>\n",
	      f);
	fputs(page_css, f);
	fprintf(f,
		"</style></head>\n<body>\n<header><h1>AI project portfolio"
		"</h1>\n<p id=\"summary\" data-projects=\"%zu\">%zu project%s:"
		" %d active, %d on hold, %d closed. Written by aiproj at %s."
		"</p>\n<nav><a href=\"#board\">Board</a><a href=\"#raci\">Roles"
		"</a><a href=\"#hook\">On the hook</a><a href=\"#time\">Time in"
		" stage</a><a href=\"#flow\">Flow</a><a href=\"#timelines\">"
		"Timelines</a></nav></header>\n<main>\n",
		pg->n, pg->n, pg->n == 1 ? "" : "s", pg->nactive, pg->nhold,
		pg->nclosed, c->now);
	write_board(pg, order);
	write_raci(pg);
	write_hook(pg);
	if ((err = write_times(pg)) || (err = write_flow(pg))) {
		free(order);
		return err;
	}
	fprintf(f,
		"<section id=\"timelines\"><h2>Timelines</h2>\n<p "
		"class=\"note\">Each project's stage visits over its life, "
		"back-jumps as red arrows, for the first %d projects by name"
		" (here %zu of %zu); <code>aiproj report timeline "
		"PROJECT</code> gives any project's.</p>\n",
		PAGE_TIMELINES, ntl, pg->n);
	/* pg->p is in name order */
	for (size_t i = 0; i < ntl; i++)
		write_timeline(pg, &pg->p[i]);
	fputs("</section>\n</main>\n</body></html>\n", f);
	free(order);
	return NULL;
}

const struct ap_error *
cmd_report_page(struct cli *c, struct args *a)
{
	const struct ap_error *err, *cerr;
	struct page *pg = calloc(1, sizeof(*pg));
	const char *path = opt_val(a, "output");
	struct output o = {.path = path};

	if (!pg)
		return ap_error_nomem();
	pg->c = c;
	pg->f = c->out;
	pg->vs.c = c;
	if ((err = store_report_status(c->store, 1, on_page_status, pg)))
		goto done;
	if (pg->n)
		qsort(pg->p, pg->n, sizeof(*pg->p), by_name);
	if ((err = store_project_list(c->store, NULL, 1, on_page_project, pg)))
		goto done;
	for (size_t i = 0; i < pg->n; i++) {
		struct pproj *p = &pg->p[i];
		p->v0 = pg->vs.n;
		if ((err = visits_load(&pg->vs, p->id, p->created,
				       c->lc.stages[p->stage].slug, p->end)))
			goto done;
		p->nv = pg->vs.n - p->v0;
	}
	if ((err = store_report_people(c->store, 0, on_page_person, pg)))
		goto done;
	/* "-o -" is standard output, as without -o */
	if (path && strcmp(path, "-") != 0) {
		if ((err = open_output(c, &o)))
			goto done;
		pg->f = o.f;
	}
	err = write_page(pg);
	if (pg->f != c->out) {
		cerr = close_output(&o, !err);
		if (!err && !(err = cerr) && !c->quiet)
			fprintf(stderr,
				"aiproj: wrote the page of %zu project%s"
				" to %s\n",
				pg->n, pg->n == 1 ? "" : "s", path);
	}
done:
	free(o.target);
	free(o.tmp);
	page_free(pg);
	free(pg);
	return err;
}
