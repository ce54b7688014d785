/*
 * store_flow.c - the flow report's one query (store.h), and whether any
 * project has a due date.
 *
 * The flow report's query: each chosen
 * project with its moves and its hold, resume and close events folded
 * into two lists, records joined with char(30) and fields with char(31)
 * (control characters never appear in stage names or stamps).
 */
#include <stdlib.h>
#include <string.h>

#include "store_ops.h"

#define FLOW_COLS(MOVES, CHANGES)                                              \
	" p.name, p.status, p.stage, p.created_at, p.status_at, " MOVES        \
	", " CHANGES
#define SQLITE_MOVES                                                           \
	"(SELECT group_concat(from_stage || char(31) || to_stage || char(31)"  \
	" || kind || char(31) || at, char(30)) FROM (SELECT from_stage,"       \
	" to_stage, kind, at FROM transition t WHERE t.project_id = p.id"      \
	" ORDER BY t.id))"
#define SQLITE_CHANGES                                                         \
	"(SELECT group_concat(kind || char(31) || at, char(30)) FROM"          \
	" (SELECT kind, at FROM event e WHERE e.project_id = p.id AND"         \
	" e.kind IN ('hold', 'resume', 'close') ORDER BY e.id))"
#define PG_MOVES                                                               \
	"(SELECT string_agg(from_stage || chr(31) || to_stage || chr(31)"      \
	" || kind || chr(31) || at, chr(30) ORDER BY t.id) FROM transition t"  \
	" WHERE t.project_id = p.id)"
#define PG_CHANGES                                                             \
	"(SELECT string_agg(kind || chr(31) || at, chr(30) ORDER BY e.id)"     \
	" FROM event e WHERE e.project_id = p.id AND"                          \
	" e.kind IN ('hold', 'resume', 'close'))"

/* [dialect][plain]: plain, every project that passes, in rowid order;
 * else the filter's order and limit choose them first (sel). */
static const char *const flow_sql[][2] = {
    [SD_SQLITE] =
	{
	    "WITH " SD_SEL_SQLITE("") " SELECT" FLOW_COLS(
		SQLITE_MOVES, SQLITE_CHANGES) " FROM sel JOIN project p"
					      " ON p.id = sel.pid",
	    "SELECT" FLOW_COLS(
		SQLITE_MOVES,
		SQLITE_CHANGES) " FROM project p WHERE" SD_WHERE_SQLITE
				" ORDER BY p.id",
	},
    [SD_PG] =
	{
	    "WITH " SD_SEL_PG("") " SELECT" FLOW_COLS(
		PG_MOVES, PG_CHANGES) " FROM sel JOIN project p"
				      " ON p.id = sel.pid",
	    "SELECT" FLOW_COLS(PG_MOVES,
			       PG_CHANGES) " FROM project p WHERE" SD_WHERE_PG
					   " ORDER BY p.id",
	},
};

/* The next record of a folded list (changed in place): its nf fields
 * into f; the rest of the list in *list.  0 when there is none (or it is
 * not ours). */
static int
next_record(char **list, const char **f, size_t nf)
{
	char *rec = *list, *next;

	if (!rec || !*rec)
		return 0;
	if ((next = strchr(rec, '\x1e')))
		*next++ = '\0';
	*list = next;
	for (size_t i = 0; i < nf; i++) {
		char *end = i + 1 < nf ? strchr(rec, '\x1f') : NULL;
		if (i + 1 < nf && !end)
			return 0;
		f[i] = rec;
		if (end)
			*end = '\0', rec = end + 1;
	}
	return 1;
}

struct flow_ctx {
	store_flow_fn fn;
	void *arg;
	struct store_flow_move *moves;
	struct store_flow_change *changes;
	size_t mcap, ccap;
	char *buf;
	size_t cap;
};

/* Room for one more item in *v (of *cap, n used). */
static int
grow(void **v, size_t *cap, size_t n, size_t size)
{
	void *m;

	if (n < *cap)
		return 0;
	if (!(m = realloc(*v, (*cap ? *cap * 2 : 32) * size)))
		return -1;
	*v = m;
	*cap = *cap ? *cap * 2 : 32;
	return 0;
}

/* A copy of the row's lists in one buffer, reused from row to row. */
static const struct ap_error *
copy_lists(struct flow_ctx *x, const char *a, const char *b, char **ca,
	   char **cb)
{
	size_t la = a ? strlen(a) + 1 : 1, lb = b ? strlen(b) + 1 : 1;

	if (la + lb > x->cap) {
		char *v = realloc(x->buf, la + lb);
		if (!v)
			return ap_error_nomem();
		x->buf = v;
		x->cap = la + lb;
	}
	*ca = x->buf;
	*cb = x->buf + la;
	memcpy(*ca, a ? a : "", la);
	memcpy(*cb, b ? b : "", lb);
	return NULL;
}

static const struct ap_error *
flow_row(void *ctx, const struct sd_row *row)
{
	struct flow_ctx *x = ctx;
	const struct ap_error *err;
	struct store_flow_row r = {
	    .project = sd_text(row, 0),
	    .status = proj_status_parse(sd_text(row, 1)),
	    .stage = sd_text(row, 2),
	    .created_at = sd_text(row, 3),
	    .status_at = sd_text(row, 4),
	};
	char *ms = NULL, *cs = NULL;
	const char *f[4];
	size_t n = 0;

	if ((err = copy_lists(x, sd_text(row, 5), sd_text(row, 6), &ms, &cs)))
		return err;
	while (next_record(&ms, f, 4)) {
		if (grow((void **)&x->moves, &x->mcap, n, sizeof(*x->moves)))
			return ap_error_nomem();
		x->moves[n++] =
		    (struct store_flow_move){f[0], f[1], f[2], f[3]};
	}
	r.moves = x->moves;
	r.nmoves = n;
	n = 0;
	while (next_record(&cs, f, 2)) {
		if (grow((void **)&x->changes, &x->ccap, n,
			 sizeof(*x->changes)))
			return ap_error_nomem();
		x->changes[n++] = (struct store_flow_change){f[0], f[1]};
	}
	r.changes = x->changes;
	r.nchanges = n;
	return x->fn(x->arg, &r);
}

const struct ap_error *
store_report_flow_where(struct store *s, const struct store_filter *f,
			store_flow_fn fn, void *arg)
{
	const struct ap_error *err;
	struct flow_ctx x = {.fn = fn, .arg = arg};
	struct sd_stmt st = {
	    .types = SD_FILTER_TYPES,
	    .doing = "read the report",
	    .flags = SD_STREAM,
	    .fn = flow_row,
	    .ctx = &x,
	};
	struct sd_filter q;

	if ((err = sd_filter_make(f, &q)))
		return err;
	st.sql = flow_sql[s->ops->dialect][sd_filter_plain(&q)];
	err = sd_run(s, &st, SD_FILTER_ARGS(q));
	sd_filter_free(&q);
	free(x.moves);
	free(x.changes);
	free(x.buf);
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
