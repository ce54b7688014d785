/*
 * cmd_report_page.h - report page: what it gathers, shared by the page
 * (cmd_report_page.c: gathering, the board, RACI and who is on the hook)
 * and its charts (cmd_report_page_svg.c: time in stage, cumulative flow,
 * timelines).
 */
#ifndef AIPROJ_CMD_REPORT_PAGE_H
#define AIPROJ_CMD_REPORT_PAGE_H

#include <stdint.h>
#include <stdio.h>

#include "cli.h"
#include "cmd_report_visits.h"

#define PAGE_TIMELINES 200 /* projects with a timeline on the page */
#define RACI_NAMES 4       /* people named in a RACI cell */
#define PALETTE 8          /* stage colours, reused past the eighth */

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

/* "N Name" of stage index s, as HTML text. */
void page_stage_label(FILE *f, const struct cli *c, int s);

/* The page's charts, each a <section> of inline SVG. */
const struct ap_error *page_times(struct page *pg);
const struct ap_error *page_flow(struct page *pg);
/* Project p's stage visits (a <figure> of the timelines section). */
void page_timeline(struct page *pg, const struct pproj *p);

#endif
