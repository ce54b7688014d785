/*
 * store_feed.c - the event feed (`aiproj events`): the timeline's events
 * with their feed ids (schemas/009-feed.sql), after an id, in id order.
 */
#include <stdint.h>

#include "store_ops.h"

/*
 * One branch a table, as the timeline's (store_log()), each reading its
 * new rows from its feed_id index and keeping only the chosen projects:
 * those of the filter (its conditions on p, bound first as ?1 .. ?10)
 * among the names ?11 (",a,b,"; NULL: all); ?12 the last id seen, ?13 the
 * limit.  The conditions are asked of each new row's project, not of a
 * list of every chosen project made first: the cost of a look is the new
 * rows', however many projects the store holds (a follower looks again at
 * every commit).
 */
/* clang-format off */
#define FEED_P(INSTR, MAX, X) \
	" WHERE " X ".feed_id > ?12 AND" SD_WHERE(INSTR, MAX) SD_UNUSED \
	" AND (?11 IS NULL OR " INSTR("?11", "',' || p.name || ','") " > 0)"
/* (+: the row comes from its feed_id index, not the project's rows) */
#define FEED_J(INSTR, MAX) \
	" JOIN project p ON p.id = +x.project_id" FEED_P(INSTR, MAX, "x")
/* a release's end: its end_feed_id */
#define FEED_JE(INSTR, MAX) \
	" JOIN project p ON p.id = +x.project_id" \
	" WHERE x.end_feed_id > ?12 AND" SD_WHERE(INSTR, MAX) SD_UNUSED \
	" AND (?11 IS NULL OR " INSTR("?11", "',' || p.name || ','") " > 0)"
#define FEED_SQL(INSTR, MAX) \
	" SELECT id, at, name, kind, actor, subject, detail, note, num FROM (" \
	" SELECT p.feed_id AS id, p.created_at AS at, p.name AS name," \
	"  'created' AS kind, CAST(NULL AS TEXT) AS actor," \
	"  coalesce((SELECT from_stage FROM transition t WHERE" \
	"  t.project_id = p.id ORDER BY t.id LIMIT 1), p.stage) AS subject," \
	"  CAST(NULL AS TEXT) AS detail, CAST(NULL AS TEXT) AS note," \
	"  CAST(NULL AS DOUBLE PRECISION) AS num FROM project p" \
	FEED_P(INSTR, MAX, "p") \
	" UNION ALL SELECT x.feed_id, x.at, p.name, x.kind, x.actor," \
	"  x.from_stage, x.to_stage, x.reason, NULL FROM transition x" \
	FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.done_at, p.name, 'tick', x.done_by," \
	"  CAST(x.id AS TEXT), x.text, x.note, NULL FROM criterion x" \
	FEED_J(INSTR, MAX) " AND x.done <> 0" \
	" UNION ALL SELECT x.feed_id, x.at, p.name, 'approve', x.person," \
	"  x.stage, x.role, x.note, NULL FROM approval x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.at, p.name, 'decide', x.actor," \
	"  x.kind, NULL, x.reason, x.cost FROM decision x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.created_at, p.name, 'kpi', NULL," \
	"  x.name, " KPI_FIRST("op") ", NULL, " KPI_FIRST("target") \
	" FROM kpi x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.at, p.name, 'reading', x.actor," \
	"  x.kpi, CASE WHEN x.breach <> 0 THEN 'breach' END, NULL, x.value" \
	"  FROM kpi_reading x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.assigned_at, p.name, 'assign', NULL," \
	"  x.role, coalesce(x.assigned_name, x.person), NULL, NULL" \
	"  FROM assignment x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.at, p.name, x.kind, x.actor," \
	"  x.subject, x.detail, x.note, NULL FROM event x" FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.end_feed_id, x.ended_at, p.name, CASE x.ended" \
	"  WHEN 'retired' THEN 'retire' ELSE 'supersede' END, x.ended_by," \
	"  x.version, NULL, x.end_reason, NULL FROM prod_release x" \
	FEED_JE(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.at, p.name, 'release', x.actor," \
	"  x.version, x.artifact, x.note, NULL FROM prod_release x" \
	FEED_J(INSTR, MAX) \
	" UNION ALL SELECT x.feed_id, x.at, p.name, 'kpi-' || x.kind, x.actor," \
	"  x.kpi, x.op, x.reason, x.target FROM kpi_change x" FEED_J(INSTR, MAX) \
	") l ORDER BY id LIMIT ?13"
/* clang-format on */

static const char *const feed_sql[] = {
    [SD_SQLITE] = FEED_SQL(SD_SQLITE_INSTR, SD_SQLITE_MAX),
    [SD_PG] = FEED_SQL(SD_PG_INSTR, SD_PG_MAX),
};

static const struct ap_error *
feed_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_log_row l = {
	    .id = sd_i64(r, 0),
	    .at = sd_text(r, 1),
	    .project = sd_text(r, 2),
	    .kind = sd_text(r, 3),
	    .actor = sd_text(r, 4),
	    .subject = sd_text(r, 5),
	    .detail = sd_text(r, 6),
	    .note = sd_text(r, 7),
	    .has_num = !sd_null(r, 8),
	    .num = sd_null(r, 8) ? 0 : sd_dbl(r, 8),
	};

	return x->fn.log(x->arg, &l);
}

const struct ap_error *
store_feed(struct store *s, const struct store_feed_query *q, store_log_fn fn,
	   void *arg)
{
	const struct ap_error *err;
	struct sd_list x = {.fn.log = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = feed_sql[s->ops->dialect],
	    .types = SD_FILTER_TYPES "sii",
	    .doing = "read the events",
	    .flags = SD_STREAM,
	    .fn = feed_row,
	    .ctx = &x,
	};
	struct store_filter all = {.status = 7u};
	struct sd_filter f;

	if ((err = sd_filter_make(q->filter ? q->filter : &all, &f)))
		return err;
	/* the filter chooses projects; the limit counts events */
	f.key1 = f.key2 = 0;
	f.limit = INT64_MAX;
	err = sd_run(s, &st, SD_FILTER_ARGS(f), q->names, q->after,
		     q->limit > 0 ? q->limit : INT64_MAX);
	sd_filter_free(&f);
	return err;
}
