/*
 * cmd_report_visits.h - a project's stage visits, read from its
 * transitions: shared by report timeline (cmd_report_timeline.c) and
 * report page (cmd_report_page.c).
 *
 * A stage visit runs from when the project entered the stage (created, or
 * a transition into it) to when it left (the next transition) or, for the
 * last visit, to the stage clock's end: now, or when a closed project was
 * closed (stage_clock_end).
 */
#ifndef AIPROJ_CMD_REPORT_VISITS_H
#define AIPROJ_CMD_REPORT_VISITS_H

#include <stddef.h>
#include <stdint.h>

#include "cli.h"

/* How a project entered a stage (visit_how_name: its word). */
enum how { HOW_CREATED, HOW_ADVANCE, HOW_FORCED, HOW_BACK, HOW_BUY };
extern const char *const visit_how_name[];

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

/* Seconds since 1970 of a store stamp (0 for NULL). */
double stamp_secs(const char *stamp);

/* How a move from stage index `from` to `to` (-1: a stage the lifecycle
 * does not have, then its kind says) entered `to`: enum how. */
int visit_how(int from, int to, const char *kind);

/* Append the visits of project `id`; the last one ends at `end`. */
const struct ap_error *visits_load(struct visits *vs, int64_t id,
				   const char *created_at, const char *stage,
				   const char *end);
void visits_free(struct visits *vs);

/*
 * A project's status changes, oldest first, for eng_visit_time(): its
 * hold, resume and close events, and, when the last of them is not its
 * status now (a store older than the events), the change to that status
 * at status_at.
 */
struct status_changes {
	struct eng_status_at *v;
	size_t n, cap;
};
/* Append one change ("hold", "resume" or "close"; others are ignored). */
const struct ap_error *status_changes_add(struct status_changes *sc,
					  const char *kind, const char *at);
/* Append the project's status now when the changes do not end in it. */
const struct ap_error *status_changes_end(struct status_changes *sc, int status,
					  const char *status_at);
/* Read the changes of project p from the store (sc zeroed first). */
const struct ap_error *status_changes_load(struct cli *c,
					   const struct store_project *p,
					   struct status_changes *sc);
void status_changes_free(struct status_changes *sc);

#endif
