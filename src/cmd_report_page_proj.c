/*
 * cmd_report_page_proj.c - report page: the section of the projects, one
 * figure each for the first PAGE_TIMELINES by name: its timeline (stage
 * visits, releases, breaches) and its roles, stage x role as `report roles
 * PROJECT` has them (the people in each role, the gaps marked).
 */
#include <stdint.h>
#include <string.h>

#include "aiproj/html.h"
#include "cmd_report_page.h"

/* The caption: name, status and stage, release live, overdue, breaches. */
static void
project_caption(FILE *f, const struct cli *c, const struct pproj *p)
{
	const struct monitor_row *m = p->mon;

	fputs("<figcaption>", f);
	html_text(f, p->name);
	fprintf(f, " <span class=\"mute\">%s at ",
		p->status == PS_ACTIVE    ? "active"
		: p->status == PS_ON_HOLD ? "on hold"
					  : "closed");
	page_stage_label(f, c, p->stage);
	fprintf(f, " &middot; %zu visit%s, %d back</span>", p->nv,
		p->nv == 1 ? "" : "s", p->back);
	if (m && m->version) {
		fputs(" <span class=\"live\">live ", f);
		html_text(f, m->version);
		fputs("</span>", f);
	}
	if (p->late > 0)
		fprintf(f, " <span class=\"late\">overdue %ld d</span>",
			p->late);
	if (m && m->open_breaches)
		fprintf(f, " <span class=\"gap\">%d open breach%s</span>",
			m->open_breaches, m->open_breaches == 1 ? "" : "es");
	fputs("</figcaption>\n", f);
}

/* The project's roles: a row a role with its people, a column a stage
 * with the role's letter there; an A or R with nobody is a gap (as in
 * report roles). */
static void
project_roles(struct page *pg, const struct pproj *p)
{
	const struct lifecycle *lc = &pg->c->lc;
	FILE *f = pg->f;
	size_t h = p->h0;

	fputs("<table class=\"praci\"><thead><tr><th>Role<th>People", f);
	for (size_t s = 0; s < lc->nstages; s++)
		fprintf(f, "<th%s title=\"%s\">%zu%s",
			(int)s == p->stage ? " class=now" : "",
			lc->stages[s].slug, s + 1,
			(int)s == p->stage ? "*" : "");
	fputs("</thead><tbody>\n", f);
	for (size_t r = 0; r < lc->nroles; r++) {
		int any = 0;
		fprintf(f, "<tr data-role=\"%s\"><th>", lc->roles[r].slug);
		html_text(f, lc->roles[r].name);
		fputs("<td>", f);
		for (; h < p->h0 + p->nh && pg->hold[h].role == (int)r; h++) {
			fputs(any++ ? ", " : "", f);
			html_text(f, pg->hold[h].person);
		}
		if (!any)
			fputs("<span class=\"mute\">&ndash;</span>", f);
		for (size_t s = 0; s < lc->nstages; s++) {
			int gap = eng_role_gap(lc, (int)s, (int)r,
					       (int)((p->staffed >> r) & 1u));
			fprintf(f, "<td%s>%s%s", gap ? " class=gap" : "",
				raci_letter(lc->stages[s].raci[r]),
				gap ? "!" : "");
		}
		fputs("\n", f);
	}
	fputs("</tbody></table>\n", f);
}

void
page_projects(struct page *pg)
{
	FILE *f = pg->f;
	size_t nd = pg->n < PAGE_TIMELINES ? pg->n : PAGE_TIMELINES;

	fprintf(f,
		"<section id=\"timelines\"><h2>Projects</h2>\n<p "
		"class=\"note\">For the first %d projects by name (here %zu "
		"of %zu): the timeline of the stage visits, back-jumps as red"
		" arrows, releases as green bars while they were live and "
		"breach readings as red diamonds; and the roles, the people "
		"in each and the lifecycle's letter at each stage (* the "
		"current one), an A or R with nobody in red (!). <code>aiproj "
		"report timeline PROJECT</code> "
		"and <code>aiproj report roles PROJECT</code> give any "
		"project's.</p>\n",
		PAGE_TIMELINES, nd, pg->n);
	/* pg->p is in name order: the first nd have a section */
	for (size_t i = 0; i < nd; i++) {
		const struct pproj *p = &pg->p[i];
		fputs("<figure data-project=\"", f);
		html_text(f, p->name);
		fputs("\">", f);
		project_caption(f, pg->c, p);
		fputs("<div class=\"proj\">", f);
		page_timeline(pg, p);
		project_roles(pg, p);
		fputs("</div></figure>\n", f);
	}
	fputs("</section>\n", f);
}
