/*
 * cmd_report_page.h - report page: what it gathers
 * (cmd_report_page_load.c), shared by the page (cmd_report_page.c: the
 * board, RACI and who is on the hook), its charts (cmd_report_page_svg.c:
 * time in stage, cumulative flow, timelines) and its projects
 * (cmd_report_page_proj.c: each one's timeline and roles).
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
	uint32_t gaps;    /* A/R roles of the current stage with nobody */
	uint32_t staffed; /* roles with someone */
	long late;        /* days the current stage is overdue, 0 when not */
	char due[16];     /* the current stage's due date, "" when none */
	const struct monitor_row *mon; /* live release, open breaches */
	int on_card;
	int detail;    /* among the projects with a section of their own */
	size_t v0, nv; /* its visits in vs */
	size_t h0, nh; /* detail: its role holders in hold */
	size_t m0, nm; /* detail: its marks in marks */
	char created[32], end[32];
};

struct person {
	char *name;
	int hook, sole, assigned; /* hook: projects, not roles */
	int hook_last;            /* 1 + the project counted last in hook */
};

/* Who holds a role on a project with a section of its own. */
struct holder {
	size_t proj; /* index into page.p */
	int role;
	char *person;
};

/* A release (from `at` to `end`) or a breach reading (at `at`) on a
 * project's timeline. */
struct mark {
	size_t proj;
	int breach;
	double at, end;
	char *what; /* the version, or the KPI */
};

/* A project's id and its index in page.p. */
struct page_id {
	int64_t id;
	size_t idx;
};

struct page {
	struct cli *c;
	const struct args *args; /* the filters given */
	FILE *f;
	struct pproj *p; /* by name */
	size_t n, cap;
	struct page_id *ids; /* by id */
	size_t nids;
	struct visits vs;
	struct monitor mon;
	/* RACI: by stage and role, over the projects not closed */
	int staffed[LC_MAX_STAGES][LC_MAX_ROLES]; /* projects with someone */
	int gapn[LC_MAX_STAGES][LC_MAX_ROLES];    /* A/R with nobody */
	int npeople[LC_MAX_STAGES][LC_MAX_ROLES]; /* distinct people */
	char *names[LC_MAX_STAGES][LC_MAX_ROLES][RACI_NAMES];
	uint32_t seen[LC_MAX_STAGES]; /* the person being read: cells */
	int active[LC_MAX_STAGES];    /* active projects by stage */
	int nactive, nhold, nclosed, nlate, nlive, nbreach;
	struct person *people;
	size_t npers, cappers;
	struct holder *hold;
	size_t nholders, caphold;
	struct mark *marks;
	size_t nmarks, capmarks;
};

/* Read the projects that pass the filter, their visits, people, releases
 * and breaches (cmd_report_page_load.c); page_free() releases them. */
const struct ap_error *page_load(struct page *pg, const struct store_filter *f);
void page_free(struct page *pg);

/* "N Name" of stage index s, as HTML text. */
void page_stage_label(FILE *f, const struct cli *c, int s);

/* The page's charts, each a <section> of inline SVG. */
const struct ap_error *page_times(struct page *pg);
const struct ap_error *page_flow(struct page *pg);
/* Project p's stage visits, releases and breaches, an <svg>. */
void page_timeline(struct page *pg, const struct pproj *p);
/* The section of the projects: each one's timeline and roles
 * (cmd_report_page_proj.c). */
void page_projects(struct page *pg);

#endif
