/*
 * cmd_report_page.c - report page: the portfolio as one self-contained
 * HTML5 file (board, RACI, who is on the hook, time in stage, cumulative
 * flow, timelines).  What it gathers and the page's HTML sections are
 * here; its SVG charts in cmd_report_page_svg.c; the stage visits it draws
 * come from cmd_report_visits.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/html.h"
#include "aiproj/util.h"
#include "cmd_report_page.h"

#define BOARD_CARDS 50 /* cards per board column, the longest-stuck */
#define HOOK_ROWS 200  /* people listed under "who is on the hook" */
#define OVERLOAD 3     /* on the hook for more projects: overloaded */

/* ---- report page: what it gathers ---- */

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
	p->closed_at = stamp_secs(row->status_at);
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

void
page_stage_label(FILE *f, const struct cli *c, int s)
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

/* Cards for order[*i...] while they have `status` (and, active, are in
 * `stage`): at most BOARD_CARDS, the others counted in *left.  Returns
 * how many were shown. */
static int
board_cards(struct page *pg, const size_t *order, size_t *i, size_t *left,
	    int status, int stage)
{
	int shown = 0;

	for (; *i < pg->n && pg->p[order[*i]].status == status &&
	       (status != PS_ACTIVE || pg->p[order[*i]].stage == stage);
	     (*i)++) {
		if (shown < BOARD_CARDS) {
			pg->p[order[*i]].on_card = 1;
			card(pg, &pg->p[order[*i]]);
			shown++;
		} else {
			(*left)++;
		}
	}
	return shown;
}

/* A column a stage, of its active projects. */
static void
board_columns(struct page *pg, const size_t *order, size_t *i, size_t *left)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;

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
		int shown;
		fprintf(
		    f,
		    "<div class=\"col\" data-stage=\"%s\" data-count=\"%d\">"
		    "<h3><span class=\"swatch k%zu\"></span>",
		    c->lc.stages[s].slug, pg->active[s], s % PALETTE);
		page_stage_label(f, c, (int)s);
		fprintf(f, " <small>%d</small></h3><div class=\"cards\">\n",
			pg->active[s]);
		shown = board_cards(pg, order, i, left, PS_ACTIVE, (int)s);
		fputs("</div>", f);
		if (pg->active[s] > shown)
			fprintf(f, "<p class=\"note\">%d more below</p>",
				pg->active[s] - shown);
		fputs("</div>\n", f);
	}
	fputs("</div>\n", f);
}

/* The projects on hold, then the closed ones. */
static void
board_held(struct page *pg, const size_t *order, size_t *i, size_t *left)
{
	FILE *f = pg->f;

	for (int st = PS_ON_HOLD; st <= PS_CLOSED; st++) {
		int n = st == PS_ON_HOLD ? pg->nhold : pg->nclosed;
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
		board_cards(pg, order, i, left, st, -1);
		if (!n)
			fputs("<p class=\"mute\">None.</p>", f);
		fputs("</div>\n", f);
	}
}

/* The `left` projects on no card, as a table. */
static void
board_rest(struct page *pg, const size_t *order, size_t left)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;

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
write_board(struct page *pg, const size_t *order)
{
	size_t i = 0, left = 0;

	board_columns(pg, order, &i, &left);
	board_held(pg, order, &i, &left);
	board_rest(pg, order, left);
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
		page_stage_label(f, c, (int)s);
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
	if ((err = page_times(pg)) || (err = page_flow(pg))) {
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
		page_timeline(pg, &pg->p[i]);
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
