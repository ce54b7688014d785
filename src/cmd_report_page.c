/*
 * cmd_report_page.c - report page: the portfolio as one self-contained
 * HTML5 file (board, RACI, who is on the hook, time in stage, cumulative
 * flow, each project's timeline and roles).  The page's HTML sections
 * are here; what it gathers in cmd_report_page_load.c, its SVG charts in
 * cmd_report_page_svg.c, the projects' sections in
 * cmd_report_page_proj.c.
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

/* ---- report page: writing it ---- */

static const char page_css[] =
    ":root{--bg:#fff;--fg:#1d2430;--mute:#5b6472;--line:#d5dae1;"
    "--card:#f6f8fa;--gap:#c62828;--gapbg:#fdecea;--accent:#1565c0;"
    "--ok:#2e7d32;--warn:#b45309;"
    "--s0:#4e79a7;--s1:#f28e2b;--s2:#59a14f;--s3:#b07aa1;--s4:#e15759;"
    "--s5:#76b7b2;--s6:#edc948;--s7:#9c755f}\n"
    "@media (prefers-color-scheme:dark){:root{--bg:#11151c;--fg:#e6e9ee;"
    "--mute:#9aa4b2;--line:#323b48;--card:#1a212b;--gap:#ff8a80;"
    "--gapbg:#3a1e1e;--accent:#90caf9;--ok:#81c784;--warn:#ffb74d}}\n"
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
    ".card .live,.card .late,.card .gap{display:block;font-size:.85em}\n"
    ".live{color:var(--ok)}.late{color:var(--warn);font-weight:600}\n"
    ".card small{font-weight:normal;color:var(--mute)}\n"
    "table{border-collapse:collapse;margin:.4em 0;font-size:.9em}\n"
    "th,td{border:1px solid var(--line);padding:.2em .5em;text-align:left;"
    "vertical-align:top}\nth{background:var(--card)}\n"
    "td.gap{background:var(--gapbg)}td.n{text-align:right}\n"
    "tr.over td{background:var(--gapbg)}\n"
    "svg{max-width:100%;height:auto;display:block}\n"
    "svg text{fill:var(--fg);font:11px system-ui,sans-serif}\n"
    "svg .grid{stroke:var(--line)}svg .back{stroke:var(--gap);"
    "fill:var(--gap)}\n"
    "figure{margin:.6em 0 1.2em}figcaption{font-weight:600}\n"
    "figcaption .live,figcaption .late,figcaption .gap{font-size:.85em}\n"
    ".proj{display:flex;flex-wrap:wrap;gap:.2em 1.2em;"
    "align-items:flex-start}\n"
    "table.praci{font-size:.8em;margin:0}table.praci td{text-align:center}"
    "table.praci td:nth-child(2){text-align:left}th.now{color:var(--accent)}\n"
    "svg .release{fill:var(--ok);opacity:.5;stroke:var(--bg)}"
    "svg .release.now{opacity:1}svg .breach{fill:var(--gap);"
    "stroke:var(--bg)}\n"
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

/* A card's release live, days overdue and open breaches. */
static void
card_flags(FILE *f, const struct pproj *p)
{
	const struct monitor_row *m = p->mon;

	if (m && m->version) {
		fputs("<span class=\"live\">live ", f);
		html_text(f, m->version);
		fprintf(f, " <small>since %.10s</small></span>",
			m->since ? m->since : "");
	}
	if (p->late > 0) {
		fprintf(f, "<span class=\"late\">overdue %ld d <small>due ",
			p->late);
		html_text(f, p->due);
		fputs("</small></span>", f);
	}
	if (m && m->open_breaches)
		fprintf(f, "<span class=\"gap\">%d open breach%s</span>",
			m->open_breaches, m->open_breaches == 1 ? "" : "es");
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
	fprintf(f, "\" data-overdue=\"%ld\" data-breaches=\"%d\"", p->late,
		p->mon ? p->mon->open_breaches : 0);
	if (p->mon && p->mon->version) {
		fputs(" data-live=\"", f);
		html_text(f, p->mon->version);
		fputc('"', f);
	}
	fputs("><b>", f);
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
	card_flags(f, p);
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
		" days in the stage, the gate's criteria met, back-jumps, the"
		" release live in production, the days past the stage's due"
		" date (overdue), the KPIs in open breach, and the accountable"
		" or responsible roles with nobody (gap).</p>\n<div "
		"class=\"board\" style=\"grid-template-"
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

/* A row's days overdue, release live and open breaches. */
static void
rest_flags(FILE *f, const struct pproj *p)
{
	int nb = p->mon ? p->mon->open_breaches : 0;

	if (p->late > 0)
		fprintf(f, "<td class=\"n late\">%ld<td>", p->late);
	else
		fputs("<td><td>", f);
	if (p->mon && p->mon->version)
		html_text(f, p->mon->version);
	if (nb)
		fprintf(f, "<td class=\"n gap\">%d\n", nb);
	else
		fputs("<td>\n", f);
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
	      "<th>Days<th>Gate<th>Back<th>Gaps<th>Overdue<th>Live<th>Breaches"
	      "</thead><tbody>\n",
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
		fprintf(f, "<td class=n>%.1f<td>%d/%d<td class=n>%d<td%s>%d",
			p->days, p->met, p->total, p->back,
			gaps ? " class=gap" : "", gaps);
		rest_flags(f, p);
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

/* The filters given, as on the command line (not the global options). */
static void
write_filters(struct page *pg)
{
	static const char filters[] =
	    ",stage,status,all,person,role,stale,overdue,sort,limit,";
	const struct args *a = pg->args;
	FILE *f = pg->f;
	char key[40];
	int any = 0;

	for (int i = 0; a && i < a->nopt; i++) {
		snprintf(key, sizeof(key), ",%s,", a->opt[i].name);
		if (!strstr(filters, key))
			continue;
		fputs(any++ ? " "
			    : "<p id=\"filters\">Only the projects that"
			      " pass <code>",
		      f);
		fputs("--", f);
		html_text(f, a->opt[i].name);
		if (a->opt[i].val && *a->opt[i].val) {
			fputc(' ', f);
			html_text(f, a->opt[i].val);
		}
	}
	if (any)
		fputs("</code>.</p>\n", f);
}

static void
write_head(struct page *pg)
{
	const struct cli *c = pg->c;
	FILE *f = pg->f;

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
		" %d active, %d on hold, %d closed; %d overdue, %d with a "
		"release live, %d with an open breach. Written by aiproj at %s."
		"</p>\n",
		pg->n, pg->n, pg->n == 1 ? "" : "s", pg->nactive, pg->nhold,
		pg->nclosed, pg->nlate, pg->nlive, pg->nbreach, c->now);
	write_filters(pg);
	fputs("<nav><a href=\"#board\">Board</a><a href=\"#raci\">Roles"
	      "</a><a href=\"#hook\">On the hook</a><a href=\"#time\">Time in"
	      " stage</a><a href=\"#flow\">Flow</a><a href=\"#timelines\">"
	      "Projects</a></nav></header>\n<main>\n",
	      f);
}

static const struct ap_error *
write_page(struct page *pg)
{
	const struct ap_error *err;
	size_t *order = malloc((pg->n ? pg->n : 1) * sizeof(*order));

	if (!order)
		return ap_error_nomem();
	for (size_t i = 0; i < pg->n; i++)
		order[i] = i;
	sort_pg = pg;
	if (pg->n)
		qsort(order, pg->n, sizeof(*order), board_cmp);
	write_head(pg);
	write_board(pg, order);
	write_raci(pg);
	write_hook(pg);
	free(order);
	if ((err = page_times(pg)) || (err = page_flow(pg)))
		return err;
	page_projects(pg);
	fputs("</main>\n</body></html>\n", pg->f);
	return NULL;
}

const struct ap_error *
cmd_report_page(struct cli *c, struct args *a)
{
	const struct ap_error *err, *cerr;
	struct page *pg = calloc(1, sizeof(*pg));
	const char *path = opt_val(a, "output");
	struct output o = {.path = path};
	struct cli_filter cf;

	if (!pg)
		return ap_error_nomem();
	pg->c = c;
	pg->f = c->out;
	pg->args = a;
	/* closed projects are on the page unless --status says otherwise */
	if ((err = filter_from_args(c, a, 1, &cf)) ||
	    (err = page_load(pg, &cf.f)))
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
