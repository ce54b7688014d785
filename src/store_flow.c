/*
 * store_flow.c - the flow report's queries (store.h), whether any project
 * has a due date, and every assignment for the page.
 *
 * The flow report reads the chosen projects, then the events and the
 * transitions of every project, each in one pass.  The events come in
 * rowid order.  A portfolio's transitions lie in time order across
 * projects, so reading the table project by project would make every row
 * a random read; in rowid order, though, each row's project is a random
 * one among them all, its state a miss of the processor's cache a row.
 * On SQLite the index transition_project holds every column read, in
 * project order: one pass over it gives each project's moves together,
 * in order.  (PostgreSQL's index of that name is (project_id, id) alone:
 * the table in id order there.)
 */
#include <stdlib.h>
#include <string.h>

#include "store_ops.h"

#define FLOW_COLS " p.id, p.name, p.status, p.stage, p.created_at, p.status_at"

/* [dialect][plain]: plain, every project that passes; else the filter's
 * order and limit choose them first (sel). */
static const char *const flow_sql[][2] = {
    [SD_SQLITE] =
	{
	    "WITH " SD_SEL_SQLITE("") " SELECT" FLOW_COLS
				      " FROM sel JOIN project p"
				      " ON p.id = sel.pid",
	    "SELECT" FLOW_COLS " FROM project p WHERE" SD_WHERE_SQLITE,
	},
    [SD_PG] =
	{
	    "WITH " SD_SEL_PG("") " SELECT" FLOW_COLS " FROM sel JOIN project p"
				  " ON p.id = sel.pid",
	    "SELECT" FLOW_COLS " FROM project p WHERE" SD_WHERE_PG,
	},
};

struct flow_ctx {
	const struct store_flow_fns *fn;
	void *arg;
};

static const struct ap_error *
flow_project_row(void *ctx, const struct sd_row *row)
{
	struct flow_ctx *x = ctx;
	struct store_flow_project p = {
	    .id = sd_i64(row, 0),
	    .project = sd_text(row, 1),
	    .status = proj_status_parse(sd_text(row, 2)),
	    .stage = sd_text(row, 3),
	    .created_at = sd_text(row, 4),
	    .status_at = sd_text(row, 5),
	};

	return x->fn->project(x->arg, &p);
}

static const struct ap_error *
flow_change_row(void *ctx, const struct sd_row *row)
{
	struct flow_ctx *x = ctx;
	struct store_flow_item e = {
	    .project_id = sd_i64(row, 0),
	    .kind = sd_text(row, 1),
	    .at = sd_text(row, 2),
	};

	return x->fn->change(x->arg, &e);
}

static const struct ap_error *
flow_move_row(void *ctx, const struct sd_row *row)
{
	struct flow_ctx *x = ctx;
	struct store_flow_item t = {
	    .project_id = sd_i64(row, 0),
	    .from = sd_text(row, 1),
	    .to = sd_text(row, 2),
	    .kind = sd_text(row, 3),
	    .at = sd_text(row, 4),
	};

	if (t.kind && strcmp(t.kind, "start") == 0)
		return NULL;
	return x->fn->move(x->arg, &t);
}

const struct ap_error *
store_report_flow_where(struct store *s, const struct store_filter *f,
			const struct store_flow_fns *fn, void *arg)
{
	const struct ap_error *err;
	struct flow_ctx x = {.fn = fn, .arg = arg};
	struct sd_stmt pst = {
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = flow_project_row,
	    .ctx = &x,
	};
	struct sd_stmt cst = {
	    .sql = "SELECT project_id, kind, at FROM event"
		   " WHERE kind IN ('hold', 'resume', 'close') ORDER BY id",
	    .types = "",
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = flow_change_row,
	    .ctx = &x,
	};
	struct sd_stmt mst = {
	    /* (a stage started early is no move: the project stays in
	     * its stage until it advances into it; SQLite's rows of them
	     * are passed over by flow_move_row(), cheaper than a test in
	     * the query a row) */
	    .sql = s->ops->dialect == SD_SQLITE
		       ? "SELECT project_id, from_stage, to_stage, kind, at"
			 " FROM transition ORDER BY project_id, id"
		       : "SELECT project_id, from_stage, to_stage, kind, at"
			 " FROM transition WHERE kind <> 'start' ORDER BY id",
	    .types = "",
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = flow_move_row,
	    .ctx = &x,
	};
	struct sd_filter q;

	if ((err = sd_filter_make(f, &q)))
		return err;
	pst.sql = flow_sql[s->ops->dialect][sd_filter_plain(&q)];
	err = sd_run(s, &pst, SD_FILTER_ARGS(q));
	sd_filter_free(&q);
	if (!err)
		err = sd_run(s, &cst);
	if (!err)
		err = sd_run(s, &mst);
	return err;
}

const struct ap_error *
store_due_any(struct store *s, int *any)
{
	int64_t n = 0;
	struct sd_stmt st = {
	    .sql = "SELECT count(*) FROM (SELECT 1 FROM event"
		   " WHERE kind = 'due' LIMIT 1) x",
	    .types = "",
	    .doing = "read",
	    .fn = sd_first_i64,
	    .ctx = &n,
	};
	const struct ap_error *err = sd_run(s, &st);

	*any = n > 0;
	return err;
}

struct holding_ctx {
	store_holding_fn fn;
	void *arg;
};

static const struct ap_error *
holding_row(void *ctx, const struct sd_row *row)
{
	struct holding_ctx *x = ctx;
	struct store_holding h = {
	    .project_id = sd_i64(row, 0),
	    .role = sd_text(row, 1),
	    .person = sd_text(row, 2),
	};

	return x->fn(x->arg, &h);
}

const struct ap_error *
store_report_holdings(struct store *s, store_holding_fn fn, void *arg)
{
	struct holding_ctx x = {.fn = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT project_id, role, person FROM assignment",
	    .types = "",
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = holding_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}
