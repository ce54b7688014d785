/*
 * store_copy.c - a whole store into another, SQLite or PostgreSQL either
 * way (`aiproj copy`): every row of every table, ids, hashes and feed ids
 * as they are, read in one snapshot and written in one transaction.
 *
 * The tables are listed once, below, in the order their foreign keys
 * need; before anything is written both stores' own lists of tables and
 * columns are held against it, so a migration that adds a table or a
 * column this file does not know makes every copy fail (and the tests
 * with it) rather than leave something behind.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

/* clang-format off */
/* A table copied: its columns (the types a letter each: i integer, d
 * double, s text), the rows it takes (meta: not the store's own
 * bookkeeping) and their order. */
static const struct copy_table {
	const char *name, *cols, *types, *where, *order;
} tables[] = {
    {"meta", "key, value", "ss",
     "key NOT IN ('application', 'schema_version')", "key"},
    {"project", "id, name, description, status, status_reason, outcome,"
     " stage, epoch, entered_at, created_at, status_at, feed_id",
     "issssssisssi", NULL, "id"},
    {"transition", "id, project_id, from_stage, to_stage, kind, actor,"
     " reason, at, prev, hash, feed_id", "iissssssssi", NULL, "id"},
    {"criterion", "project_id, id, stage, text, done, done_by, done_at,"
     " note, feed_id", "iississsi", NULL, "project_id, id"},
    {"assignment", "project_id, role, person, assigned_at, feed_id, title,"
     " assigned_name", "isssiss", NULL, "project_id"},
    {"decision", "id, project_id, kind, cost, reason, actor, at, feed_id",
     "iisdsssi", NULL, "id"},
    {"kpi", "project_id, name, op, target, created_at, feed_id, removed_at",
     "issdsis", NULL, "project_id"},
    {"kpi_reading", "id, project_id, kpi, value, actor, at, prev, hash,"
     " feed_id, breach", "iisdssssii", NULL, "id"},
    {"approval", "id, project_id, stage, epoch, person, role, note, at,"
     " prev, hash, feed_id", "iisissssssi", NULL, "id"},
    {"component", "project_id, name, owner, description, version", "issss",
     NULL, "project_id"},
    {"audit", "id, at, actor, action, project, stage, detail, prev, hash",
     "issssssss", NULL, "id"},
    {"admin", "person, added_by, added_at", "sss", NULL, "added_at"},
    {"event", "id, project_id, kind, subject, detail, note, actor, at,"
     " feed_id", "iissssssi", NULL, "id"},
    {"person", "id, key, name, email, handle, created_at", "isssss", NULL,
     "id"},
    {"person_name", "name, person_id", "si", NULL, "person_id"},
    {"person_event", "id, person_id, kind, subject, detail, actor, at",
     "iisssss", NULL, "id"},
    {"prod_release", "id, project_id, version, artifact, digest,"
     " commit_sha, note, actor, at, ended, ended_by, ended_at, end_reason,"
     " feed_id, end_feed_id, prev, hash", "iisssssssssssiiss", NULL, "id"},
    {"kpi_change", "id, project_id, kpi, kind, op, target, was_op,"
     " was_target, reason, actor, at, feed_id, prev, hash", "iisssdsdsssiss",
     NULL, "id"},
};
/* clang-format on */
#define NTABLES (sizeof(tables) / sizeof(tables[0]))

/* Tables each store makes for itself, not copied: SQLite's feed counter
 * (copied as the counter it is, below), the server's copies of the
 * lifecycle's roles and of the rules (made anew from the copied meta),
 * the projects' and assignments' summary rows (made anew from the copied
 * rows: below) and the views they are made from (schemas/020-summary.sql,
 * 022-people-summary.sql). */
static const char *const own_tables[] = {
    "feed_counter",   "auth_rule",       "raci",          "lc_stage",
    "lc_signoff",     "project_summary", "summary_dirty", "summary_live",
    "people_summary", "people_live",
};

static const struct copy_table *
table_named(const char *name, size_t n)
{
	for (size_t i = 0; i < NTABLES; i++)
		if (strlen(tables[i].name) == n &&
		    !memcmp(tables[i].name, name, n))
			return &tables[i];
	return NULL;
}

/* Is `name` (n bytes) one of the columns "a, b, c"? */
static int
has_column(const char *cols, const char *name, size_t n)
{
	for (const char *p = cols; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !memcmp(p, name, n))
			return 1;
		p += k;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return 0;
}

static size_t
ncolumns(const struct copy_table *t)
{
	return strlen(t->types);
}

struct schema_check {
	struct store *s;
	size_t seen[NTABLES];
	const struct ap_error *err;
};

static const struct ap_error *
schema_row(void *ctx, const struct copy_val *v)
{
	struct schema_check *x = ctx;
	const struct copy_table *t;

	if (!v[0].p || !v[1].p)
		return NULL;
	if ((t = table_named(v[0].p, v[0].n))) {
		if (!has_column(t->cols, v[1].p, v[1].n))
			return ap_error_fmt(AP_EXIT_STORE,
					    "cannot copy store '%s': its table"
					    " %s has a column %.*s that this"
					    " copy does not know",
					    shown(store_path(x->s)), t->name,
					    (int)v[1].n, v[1].p);
		x->seen[t - tables]++;
		return NULL;
	}
	for (size_t i = 0; i < sizeof(own_tables) / sizeof(own_tables[0]); i++)
		if (strlen(own_tables[i]) == v[0].n &&
		    !memcmp(own_tables[i], v[0].p, v[0].n))
			return NULL;
	return ap_error_fmt(AP_EXIT_STORE,
			    "cannot copy store '%s': it has a table %.*s that"
			    " this copy does not know",
			    shown(store_path(x->s)), (int)v[0].n, v[0].p);
}

/* The store's tables and columns are the ones listed above. */
static const struct ap_error *
check_schema(struct store *s)
{
	const struct ap_error *err;
	struct schema_check x = {.s = s};
	const char *sql =
	    s->ops->dialect == SD_PG
		? "SELECT table_name::text, column_name::text"
		  " FROM information_schema.columns"
		  " WHERE table_schema = current_schema()"
		: "SELECT m.name, p.name FROM sqlite_master m,"
		  " pragma_table_info(m.name) p WHERE m.type = 'table'"
		  " AND m.name NOT LIKE 'sqlite%'";

	if ((err = s->ops->copy->dump(s, sql, "ss", schema_row, &x)))
		return err;
	for (size_t i = 0; i < NTABLES; i++)
		if (x.seen[i] != ncolumns(&tables[i]))
			return ap_error_fmt(AP_EXIT_STORE,
					    "cannot copy store '%s': its table"
					    " %s has not the columns this copy"
					    " knows",
					    shown(store_path(s)),
					    tables[i].name);
	return NULL;
}

static const struct ap_error *
count_row(void *ctx, const struct copy_val *v)
{
	*(int64_t *)ctx = v[0].p ? strtoll(v[0].p, NULL, 10) : 0;
	return NULL;
}

/* A destination holds nothing but the settings of a new store (meta)
 * and its administrators. */
static const struct ap_error *
check_empty(struct store *to)
{
	const struct ap_error *err;
	int64_t n = 0;
	char *q;

	if ((err = to->ops->copy->dump(to, "SELECT count(*) FROM project", "i",
				       count_row, &n)))
		return err;
	if (n)
		return ap_error_fmt(
		    AP_EXIT_REFUSED,
		    "cannot copy into store '%s': it holds %" PRId64
		    " project%s; copy into a new store, or"
		    " add the projects with --merge",
		    shown(store_path(to)), n, n == 1 ? "" : "s");
	for (size_t i = 0; i < NTABLES; i++) {
		if (!strcmp(tables[i].name, "meta") ||
		    !strcmp(tables[i].name, "admin"))
			continue;
		if (asprintf(
			&q, "SELECT count(*) FROM (SELECT 1 FROM %s LIMIT 1) x",
			tables[i].name) < 0)
			return ap_error_nomem();
		err = to->ops->copy->dump(to, q, "i", count_row, &n);
		free(q);
		if (err)
			return err;
		if (n)
			return ap_error_fmt(AP_EXIT_REFUSED,
					    "cannot copy into store '%s': it is"
					    " not empty (table %s has rows);"
					    " copy into a new store, or add the"
					    " projects with --merge",
					    shown(store_path(to)),
					    tables[i].name);
	}
	return NULL;
}

struct pipe {
	struct store *to;
	int64_t rows;
};

static const struct ap_error *
pipe_row(void *ctx, const struct copy_val *v)
{
	struct pipe *p = ctx;

	p->rows++;
	return p->to->ops->copy->load_row(p->to, v);
}

/* One table, streamed from one store into the other. */
static const struct ap_error *
copy_table(struct store *from, struct store *to, const struct copy_table *t,
	   int64_t *rows)
{
	const struct ap_error *err, *e2;
	struct pipe p = {to, 0};
	char *q;

	if (asprintf(&q, "SELECT %s FROM %s%s%s ORDER BY %s", t->cols, t->name,
		     t->where ? " WHERE " : "", t->where ? t->where : "",
		     t->order) < 0)
		return ap_error_nomem();
	if ((err = to->ops->copy->load_start(to, t->name, t->cols, t->types))) {
		free(q);
		return err;
	}
	err = from->ops->copy->dump(from, q, t->types, pipe_row, &p);
	free(q);
	e2 = to->ops->copy->load_end(to, !err);
	*rows = p.rows;
	return err ? err : e2;
}

/* The feed's last id: SQLite's counter, the server's sequence (a role
 * that may not read it: the greatest id given). */
static const struct ap_error *
feed_last(struct store *s, int64_t *last)
{
	struct sd_stmt sq = {
	    .sql = "SELECT last FROM feed_counter",
	    .types = "",
	    .doing = "read the feed's counter",
	    .fn = sd_first_i64,
	    .ctx = last,
	};
	struct sd_stmt pg = {
	    .sql =
		"SELECT CASE WHEN has_sequence_privilege('feed_seq',"
		" 'SELECT') THEN coalesce(pg_sequence_last_value('feed_seq'),"
		" 0) ELSE greatest((SELECT max(feed_id) FROM project),"
		" (SELECT max(feed_id) FROM transition),"
		" (SELECT max(feed_id) FROM criterion),"
		" (SELECT max(feed_id) FROM approval),"
		" (SELECT max(feed_id) FROM decision),"
		" (SELECT max(feed_id) FROM kpi),"
		" (SELECT max(feed_id) FROM kpi_reading),"
		" (SELECT max(feed_id) FROM assignment),"
		" (SELECT max(feed_id) FROM event),"
		" (SELECT max(feed_id) FROM prod_release),"
		" (SELECT max(end_feed_id) FROM prod_release),"
		" (SELECT max(feed_id) FROM kpi_change), 0) END",
	    .types = "",
	    .doing = "read the feed's counter",
	    .fn = sd_first_i64,
	    .ctx = last,
	};

	*last = 0;
	return sd_run(s, s->ops->dialect == SD_PG ? &pg : &sq);
}

static const struct ap_error *
feed_set(struct store *s, int64_t last)
{
	struct sd_stmt sq = {
	    .sql = "UPDATE feed_counter SET last = ?1",
	    .types = "i",
	    .doing = "set the feed's counter",
	};
	struct sd_stmt pg = {
	    .sql = "SELECT setval('feed_seq', greatest(?1, 1), ?1 > 0)",
	    .types = "i",
	    .doing = "set the feed's counter",
	};

	return sd_run(s, s->ops->dialect == SD_PG ? &pg : &sq, last);
}

const struct ap_error *
store_copy_other(struct store *from, struct store *to)
{
	const struct ap_error *err;
	char *id_from = NULL, *id_to = NULL;

	if (!(err = from->ops->copy->identity(from, &id_from)) &&
	    !(err = to->ops->copy->identity(to, &id_to)) &&
	    !strcmp(id_from, id_to))
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "cannot copy store '%s' into itself",
				   shown(store_path(from)));
	free(id_from);
	free(id_to);
	return err;
}

const struct ap_error *
store_copy(struct store *from, struct store *to, store_copy_fn fn, void *arg)
{
	return store_copy_checked(from, to, NULL, fn, arg);
}

const struct ap_error *
store_copy_checked(struct store *from, struct store *to,
		   store_copy_check_fn check, store_copy_fn fn, void *arg)
{
	const struct ap_error *err;
	const char *names[NTABLES + 1];
	int64_t feed;
	struct sd_stmt clear_meta = {
	    .sql = "DELETE FROM meta WHERE key NOT IN ('application',"
		   " 'schema_version')",
	    .types = "",
	    .doing = "copy the store's settings",
	};
	struct sd_stmt clear_admin = {
	    .sql = "DELETE FROM admin",
	    .types = "",
	    .doing = "copy the store's administrators",
	};
	/* every project's summary made anew when the copy commits (the
	 * triggers that list them were off) */
	struct sd_stmt unsummary = {
	    .sql = "DELETE FROM summary_dirty",
	    .types = "",
	    .doing = "summarise the copied projects",
	};
	struct sd_stmt resummary = {
	    .sql = "INSERT INTO summary_dirty SELECT id FROM project",
	    .types = "",
	    .doing = "summarise the copied projects",
	};

	for (size_t i = 0; i < NTABLES; i++)
		names[i] = tables[i].name;
	names[NTABLES] = NULL;
	if ((err = store_copy_other(from, to)) ||
	    (err = store_begin(from, 0)) || (err = store_begin(to, 1)) ||
	    (check && (err = check(arg, to))) || (err = check_schema(from)) ||
	    (err = check_schema(to)) || (err = check_empty(to)) ||
	    (err = feed_last(from, &feed)) ||
	    (err = to->ops->copy->triggers(to, 0, names)) ||
	    (err = sd_run(to, &clear_meta)) || (err = sd_run(to, &clear_admin)))
		goto done;
	for (size_t i = 0; i < NTABLES; i++) {
		int64_t rows = 0;
		if ((err = copy_table(from, to, &tables[i], &rows)) ||
		    (fn && (err = fn(arg, tables[i].name, rows))))
			goto done;
	}
	if ((err = feed_set(to, feed)) ||
	    (err = to->ops->copy->triggers(to, 1, names)) ||
	    (err = store_policy_sync(to)) || (err = sd_run(to, &unsummary)) ||
	    (err = sd_run(to, &resummary)))
		goto done;
done:
	return err;
}
