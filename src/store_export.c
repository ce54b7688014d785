/*
 * store_export.c - the lists of every project read in one pass, for every
 * backend (see store_ops.h): the export's reads.
 *
 * Reading a project's eleven lists with a statement each costs eleven
 * statements a project (on a server, eleven round trips).  Here each list
 * is one statement over the whole portfolio, ordered as the projects are
 * listed (by name) and, within a project, as its own function orders it
 * (store_decisions(), store_readings(), ...).  The statements are open
 * side by side and read in lockstep with the projects: a merge join, in
 * which each project takes the rows at the head of every list that are
 * its own.  Each statement walks the name index of the projects and, for
 * each, an index of its table that starts with project_id, so no
 * statement sorts the table, and memory is that of one row a list (a
 * batch of rows on a server) whatever the portfolio's size.  On a file
 * store each such index holds every column its list reads
 * (schemas/021-export-covering.sql), so a project's rows are read side by
 * side from it, not from pages of the table at random; and the file is
 * read through a memory map while the cursors are open (store_sqlite.c).
 */
#include <stdlib.h>
#include <string.h>

#include "store_ops.h"

/* The project's columns after a list's own: its id, then its name. */
#define LIST_SQL(COLS, TABLE, ORDER)                                           \
	"SELECT " COLS ", p.id, p.name FROM project p CROSS JOIN " TABLE       \
	" x WHERE x.project_id = p.id ORDER BY p.name, " ORDER

enum list {
	L_DECISION,
	L_KPI,
	L_READING,
	L_KPI_CHANGE,
	L_ASSIGNMENT,
	L_COMPONENT,
	L_CRITERION,
	L_APPROVAL,
	L_TRANSITION,
	L_EVENT,
	L_RELEASE,
	L_N
};

/* clang-format off */
/* Each list: its statement, how many columns its row function reads, the
 * function, and what reading it is (for messages).  The columns are those
 * of the list's own SELECT, in its order. */
static const struct list_def {
	const char *sql;
	int ncols;
	sd_row_fn row;
	const char *doing;
} lists[L_N] = {
    [L_DECISION] = {LIST_SQL("x.kind, x.cost, x.reason, x.actor, x.at",
			     "decision", "x.id"),
		    5, decision_row, "read the decisions"},
    [L_KPI] = {LIST_SQL("x.name, x.op, x.target, x.created_at, x.removed_at",
			"kpi", "x.name"),
	       5, every_kpi_row, "read the KPIs"},
    [L_READING] = {LIST_SQL("x.kpi, x.value, x.actor, x.at, x.breach, x.hash",
			    "kpi_reading", "x.kpi, x.id"),
		   6, reading_row, "read the readings"},
    [L_KPI_CHANGE] = {LIST_SQL("x.kpi, x.kind, x.op, x.target, x.was_op,"
			       " x.was_target, x.reason, x.actor, x.at, x.hash",
			       "kpi_change", "x.id"),
		      10, change_row, "read the KPI changes"},
    [L_ASSIGNMENT] = {LIST_SQL("x.role, x.person, x.assigned_at, x.title,"
			       " x.assigned_name",
			       "assignment", "x.role, x.person"),
		      5, assignment_row, "read the assignments"},
    [L_COMPONENT] = {LIST_SQL("x.name, x.owner, x.description, x.version",
			      "component", "x.name"),
		     4, component_row, "read the components"},
    [L_CRITERION] = {LIST_SQL("x.id, x.stage, x.text, x.done, x.done_by,"
			      " x.done_at, x.note",
			      "criterion", "x.id"),
		     7, criterion_row, "read the criteria"},
    [L_APPROVAL] = {LIST_SQL("x.stage, x.epoch, x.person, x.role, x.note,"
			     " x.at, x.hash",
			     "approval", "x.id"),
		    7, approval_row, "read the approvals"},
    [L_TRANSITION] = {LIST_SQL("x.from_stage, x.to_stage, x.kind, x.actor,"
			       " x.reason, x.at, x.hash",
			       "transition", "x.id"),
		      7, transition_row, "read the history"},
    [L_EVENT] = {LIST_SQL("x.kind, x.subject, x.detail, x.note, x.actor,"
			  " x.at",
			  "event", "x.id"),
		 6, event_row, "read the events"},
    [L_RELEASE] = {LIST_SQL("x.version, x.artifact, x.digest, x.commit_sha,"
			    " x.note, x.actor, x.at, x.ended, x.ended_by,"
			    " x.ended_at, x.end_reason, x.hash",
			    "prod_release", "x.id"),
		   12, release_row, "read the releases"},
};
/* clang-format on */

struct store_lists {
	struct store *s;
	struct {
		struct sd_cursor *c;
		const struct sd_row *row; /* the head: the next row unread */
		int ended;
	} l[L_N];
};

const struct ap_error *
store_lists_open(struct store *s, struct store_lists **out)
{
	const struct ap_error *err = NULL;
	struct store_lists *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l)
		return ap_error_nomem();
	l->s = s;
	for (int i = 0; i < L_N && !err; i++)
		err =
		    sd_cursor_open(s, lists[i].sql, lists[i].doing, &l->l[i].c);
	if (err) {
		store_lists_close(l);
		return err;
	}
	*out = l;
	return NULL;
}

void
store_lists_close(struct store_lists *l)
{
	if (!l)
		return;
	for (int i = 0; i < L_N; i++)
		sd_cursor_close(l->s, l->l[i].c);
	free(l);
}

/* List i's rows of project p, through its row function with x. */
static const struct ap_error *
merge(struct store_lists *l, int i, const struct store_project *p,
      struct sd_list *x)
{
	const struct ap_error *err;
	int id = lists[i].ncols, name = id + 1;

	for (;;) {
		const struct sd_row *r = l->l[i].row;
		const char *of;
		if (!r && !l->l[i].ended) {
			if ((err = sd_cursor_next(l->s, l->l[i].c, &r)))
				return err;
			l->l[i].row = r;
			l->l[i].ended = !r;
		}
		if (!r)
			return NULL;
		if (sd_i64(r, id) == p->id) {
			if ((err = lists[i].row(x, r)))
				return err;
		} else if (!(of = sd_text(r, name)) ||
			   strcmp(of, p->name) > 0) {
			return NULL; /* a later project's */
		}
		/* (or an earlier project's, not asked for: passed over) */
		l->l[i].row = NULL;
	}
}

const struct ap_error *
store_lists_projects(struct store_lists *l, store_project_fn fn, void *arg)
{
	const struct ap_error *err;
	struct sd_cursor *c;
	const struct sd_row *r;
	static const char sql[] =
	    "SELECT " PROJECT_COLS " FROM project ORDER BY name";

	if ((err = sd_cursor_open(l->s, sql, "list projects", &c)))
		return err;
	while (!(err = sd_cursor_next(l->s, c, &r)) && r) {
		struct store_project p;
		if ((err = project_from_row(r, &p)))
			break;
		err = fn(arg, &p);
		store_project_clear(&p);
		if (err)
			break;
	}
	sd_cursor_close(l->s, c);
	return err;
}

const struct ap_error *
store_lists_of(struct store_lists *l, const struct store_project *p,
	       const struct store_lists_fns *fns, void *arg)
{
	const struct ap_error *err = NULL;
	struct sd_list x = {.arg = arg, .project = p->id};

	for (int i = 0; i < L_N && !err; i++) {
		switch (i) {
		case L_DECISION: x.fn.decision = fns->decision; break;
		case L_KPI: x.fn.kpi = fns->kpi; break;
		case L_READING: x.fn.reading = fns->reading; break;
		case L_KPI_CHANGE: x.fn.kpi_change = fns->kpi_change; break;
		case L_ASSIGNMENT: x.fn.assignment = fns->assignment; break;
		case L_COMPONENT: x.fn.component = fns->component; break;
		case L_CRITERION: x.fn.criterion = fns->criterion; break;
		case L_APPROVAL: x.fn.approval = fns->approval; break;
		case L_TRANSITION: x.fn.transition = fns->transition; break;
		case L_EVENT: x.fn.event = fns->event; break;
		default: x.fn.release = fns->release;
		}
		err = merge(l, i, p, &x);
	}
	return err;
}
