/*
 * store_release.c - what is live in production, and monitoring, for
 * every backend (see store_ops.h): releases, changes of KPI definitions,
 * readings that are breaches, and the portfolio's live releases and open
 * breaches (schemas/011-releases.sql).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

/* ---- releases ---- */

#define RELEASE_COLS                                                           \
	"version, artifact, digest, commit_sha, note, actor, at, ended,"       \
	" ended_by, ended_at, end_reason"

const struct ap_error *
release_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_release rel = {
	    .version = sd_text(r, 0),
	    .artifact = sd_text(r, 1),
	    .digest = sd_text(r, 2),
	    .commit = sd_text(r, 3),
	    .note = sd_text(r, 4),
	    .actor = sd_text(r, 5),
	    .at = sd_text(r, 6),
	    .ended = sd_text(r, 7),
	    .ended_by = sd_text(r, 8),
	    .ended_at = sd_text(r, 9),
	    .end_reason = sd_text(r, 10),
	    .hash = sd_text(r, 11),
	};

	return x->fn.release(x->arg, &rel);
}

const struct ap_error *
store_releases(struct store *s, int64_t project, store_release_fn fn, void *arg)
{
	struct sd_list x = {.fn.release = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT " RELEASE_COLS ", hash FROM prod_release"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the releases",
	    .fn = release_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_release_live(struct store *s, int64_t project, store_release_fn fn,
		   void *arg)
{
	struct sd_list x = {.fn.release = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT " RELEASE_COLS ", hash FROM prod_release"
		   " WHERE project_id = ?1 AND ended IS NULL",
	    .types = "i",
	    .doing = "read the live release",
	    .fn = release_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

static const struct ap_error *
dup_text(void *ctx, const struct sd_row *r)
{
	char **out = ctx;
	const char *t = sd_text(r, 0);

	free(*out);
	*out = NULL;
	if (t && !(*out = strdup(t)))
		return ap_error_nomem();
	return NULL;
}

const struct ap_error *
store_release_import(struct store *s, int64_t project,
		     const struct store_release *r)
{
	const struct ap_error *err;
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
	const char *f[] = {r->version,  r->artifact, r->digest,    r->commit,
			   r->note,     r->actor,    r->at,        r->ended,
			   r->ended_by, r->ended_at, r->end_reason};
	/* the release, then its end when it came ended (the trigger's
	 * order) */
	int64_t feed = sd_feed_next(s),
		end_feed = feed && r->ended ? sd_feed_next(s) : 0;
#define INS(fc, fv)                                                            \
	"INSERT INTO prod_release (project_id, " RELEASE_COLS                  \
	", prev, hash" fc ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"      \
	" ?10, ?11, ?12, ?13, ?14" fv ") ON CONFLICT DO NOTHING"
	struct sd_stmt st = {
	    .sql = end_feed ? INS(", feed_id, end_feed_id", ", ?15, ?16")
		   : feed   ? INS(", feed_id", ", ?15")
			    : INS("", ""),
	    .types = end_feed ? "isssssssssssssii"
		     : feed   ? "isssssssssssssi"
			      : "isssssssssssss",
	    .doing = "record the release",
	    .flags = SD_DEFER,
	    .none_code = AP_EXIT_CONFLICT,
	    .none_fmt = "release '%s' already exists%s",
	    .none_a = r->version,
	    .none_b = r->ended ? "" : " or another release is live",
	};

	if ((err = store_chain_seal(s, CHAIN_RELEASE, project, NULL, f, 11,
				    prev, hash)))
		return err;
#undef INS
	return sd_run(s, &st, project, r->version, r->artifact, r->digest,
		      r->commit, r->note, r->actor, r->at, r->ended,
		      r->ended_by, r->ended_at, r->end_reason,
		      CHAIN_OR_NULL(prev), CHAIN_OR_NULL(hash), feed, end_feed);
}

const struct ap_error *
store_release_add(struct store *s, int64_t project,
		  const struct store_release *r, char **superseded)
{
	const struct ap_error *err;
	char *reason = NULL;
	struct sd_stmt taken = {
	    .sql = "SELECT version FROM prod_release WHERE project_id = ?1"
		   " AND version = ?2",
	    .types = "is",
	    .doing = "read the releases",
	    .fn = dup_text,
	    .ctx = superseded,
	};
	struct sd_stmt live = {
	    .sql = "SELECT version FROM prod_release WHERE project_id = ?1"
		   " AND ended IS NULL",
	    .types = "i",
	    .doing = "read the live release",
	    .fn = dup_text,
	    .ctx = superseded,
	};
	struct sd_stmt end = {
	    .sql = "UPDATE prod_release SET ended = 'superseded',"
		   " ended_by = ?2, ended_at = ?3, end_reason = ?4"
		   " WHERE project_id = ?1 AND ended IS NULL",
	    .types = "isss",
	    .doing = "supersede the live release",
	};
	struct store_release add = *r;

	*superseded = NULL;
	if ((err = sd_run(s, &taken, project, r->version)))
		goto fail;
	if (*superseded) {
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "release '%s' already exists", r->version);
		goto fail;
	}
	if ((err = sd_run(s, &live, project)))
		goto fail;
	if (*superseded) {
		if (asprintf(&reason, "superseded by %s", r->version) < 0) {
			reason = NULL;
			err = ap_error_nomem();
			goto fail;
		}
		if ((err = sd_run(s, &end, project, r->actor, r->at, reason)) ||
		    (err = store_chain_reseal_release(s, project, *superseded)))
			goto fail;
	}
	add.ended = add.ended_by = add.ended_at = add.end_reason = NULL;
	if (!(err = store_release_import(s, project, &add))) {
		free(reason);
		return NULL;
	}
fail:
	free(reason);
	free(*superseded);
	*superseded = NULL;
	return err;
}

struct ended_ctx {
	int found;
	char ended[16];
};

static const struct ap_error *
ended_row(void *ctx, const struct sd_row *r)
{
	struct ended_ctx *e = ctx;
	const char *t = sd_text(r, 0);

	e->found = 1;
	snprintf(e->ended, sizeof(e->ended), "%s", t ? t : "");
	return NULL;
}

const struct ap_error *
store_release_retire(struct store *s, int64_t project, const char *version,
		     const char *actor, const char *at, const char *reason)
{
	const struct ap_error *err;
	struct ended_ctx e = {0};
	struct sd_stmt find = {
	    .sql = "SELECT ended FROM prod_release WHERE project_id = ?1"
		   " AND version = ?2",
	    .types = "is",
	    .doing = "read the releases",
	    .fn = ended_row,
	    .ctx = &e,
	};
	struct sd_stmt end = {
	    .sql = "UPDATE prod_release SET ended = 'retired',"
		   " ended_by = ?3, ended_at = ?4, end_reason = ?5"
		   " WHERE project_id = ?1 AND version = ?2"
		   " AND ended IS NULL",
	    .types = "issss",
	    .doing = "retire the release",
	};

	if ((err = sd_run(s, &find, project, version)))
		return err;
	if (!e.found)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no release '%s'",
				    shown(version));
	if (e.ended[0])
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "release '%s' is not live: it was %s",
				    version, e.ended);
	if ((err = sd_run(s, &end, project, version, actor, at, reason)))
		return err;
	return store_chain_reseal_release(s, project, version);
}

/* ---- KPI definitions ---- */

#define CHANGE_COLS                                                            \
	"kpi, kind, op, target, was_op, was_target, reason, actor, at"

const struct ap_error *
store_kpi_change_import(struct store *s, int64_t project,
			const struct store_kpi_change *c)
{
	const struct ap_error *err;
	char t[17], wt[17], prev[CHAIN_HEX], hash[CHAIN_HEX];
	const char *f[] = {c->kpi, c->kind,   c->op,    t,    c->was_op,
			   wt,     c->reason, c->actor, c->at};
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO kpi_change (project_id, " CHANGE_COLS ", prev, hash" fc   \
	") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?13") : INS("", ""),
	    .types = feed ? "isssdsdsssssi" : "isssdsdsssss",
	    .doing = "record the KPI change",
	    .flags = SD_DEFER,
	};
#undef INS
	struct sd_stmt rm = {
	    .sql = "UPDATE kpi SET removed_at = ?3 WHERE project_id = ?1"
		   " AND name = ?2",
	    .types = "iss",
	    .doing = "remove the KPI",
	    .flags = SD_DEFER,
	};

	chain_double(c->target, t);
	chain_double(c->was_target, wt);
	if ((err = store_chain_seal(s, CHAIN_CHANGE, project, c->kpi, f, 9,
				    prev, hash)) ||
	    (err = sd_run(s, &st, project, c->kpi, c->kind, c->op, c->target,
			  c->was_op, c->was_target, c->reason, c->actor, c->at,
			  CHAIN_OR_NULL(prev), CHAIN_OR_NULL(hash), feed)))
		return err;
	if (strcmp(c->kind, "remove") == 0)
		return sd_run(s, &rm, project, c->kpi, c->at);
	return NULL;
}

struct kpi_def {
	int found;
	char op[4];
	double target;
};

static const struct ap_error *
kpi_def_row(void *ctx, const struct sd_row *r)
{
	struct kpi_def *d = ctx;

	d->found = 1;
	snprintf(d->op, sizeof(d->op), "%s", sd_text(r, 0));
	d->target = sd_dbl(r, 1);
	return NULL;
}

/* The definition in force of KPI `name` (not removed): exit 3 without. */
static const struct ap_error *
kpi_def(struct store *s, int64_t project, const char *name, struct kpi_def *d)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "SELECT op, target FROM kpi WHERE project_id = ?1"
		   " AND name = ?2 AND removed_at IS NULL",
	    .types = "is",
	    .doing = "read the KPI",
	    .fn = kpi_def_row,
	    .ctx = d,
	};

	memset(d, 0, sizeof(*d));
	if ((err = sd_run(s, &st, project, name)))
		return err;
	if (!d->found)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no KPI '%s'",
				    shown(name));
	return NULL;
}

const struct ap_error *
store_kpi_set(struct store *s, int64_t project, const char *name,
	      const char *op, double target, const char *reason,
	      const char *actor, const char *at)
{
	const struct ap_error *err;
	struct kpi_def d;
	struct sd_stmt st = {
	    .sql = "UPDATE kpi SET op = ?3, target = ?4 WHERE project_id = ?1"
		   " AND name = ?2",
	    .types = "issd",
	    .doing = "change the KPI",
	};
	struct store_kpi_change c = {name, "set",  op,    target, d.op,
				     0,    reason, actor, at,     NULL};

	if ((err = kpi_def(s, project, name, &d)))
		return err;
	c.was_target = d.target;
	if ((err = sd_run(s, &st, project, name, op, target)))
		return err;
	return store_kpi_change_import(s, project, &c);
}

const struct ap_error *
store_kpi_remove(struct store *s, int64_t project, const char *name,
		 const char *reason, const char *actor, const char *at)
{
	const struct ap_error *err;
	struct kpi_def d;
	struct store_kpi_change c = {name, "remove", d.op,  0,  d.op,
				     0,    reason,   actor, at, NULL};

	if ((err = kpi_def(s, project, name, &d)))
		return err;
	c.target = c.was_target = d.target;
	return store_kpi_change_import(s, project, &c);
}

const struct ap_error *
change_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_kpi_change c = {
	    .kpi = sd_text(r, 0),
	    .kind = sd_text(r, 1),
	    .op = sd_text(r, 2),
	    .target = sd_dbl(r, 3),
	    .was_op = sd_text(r, 4),
	    .was_target = sd_dbl(r, 5),
	    .reason = sd_text(r, 6),
	    .actor = sd_text(r, 7),
	    .at = sd_text(r, 8),
	    .hash = sd_text(r, 9),
	};

	return x->fn.kpi_change(x->arg, &c);
}

const struct ap_error *
store_kpi_changes(struct store *s, int64_t project, store_kpi_change_fn fn,
		  void *arg)
{
	struct sd_list x = {.fn.kpi_change = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT " CHANGE_COLS ", hash FROM kpi_change"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the KPI changes",
	    .fn = change_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
every_kpi_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_kpi k = {
	    .name = sd_text(r, 0),
	    .op = sd_text(r, 1),
	    .target = sd_dbl(r, 2),
	    .created_at = sd_text(r, 3),
	    .removed_at = sd_text(r, 4),
	};

	return x->fn.kpi(x->arg, &k);
}

const struct ap_error *
store_kpis_every(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	struct sd_list x = {.fn.kpi = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT name, op, target, created_at, removed_at FROM kpi"
		   " WHERE project_id = ?1 ORDER BY name",
	    .types = "i",
	    .doing = "read the KPIs",
	    .fn = every_kpi_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- readings ---- */

/* A reading; known: its KPI is known to be there (an import's), and
 * the row is inserted without looking for it, in one statement that
 * keeps no statement journal, as INSERT ... SELECT does. */
static const struct ap_error *
reading_add(struct store *s, int64_t project, const char *name, double value,
	    int breach, const char *actor, const char *at, int known)
{
	const struct ap_error *err;
	char v[17], prev[CHAIN_HEX], hash[CHAIN_HEX];
	/* a breach is the field "1" after them (chain_spec()) */
	const char *f[] = {name, v, actor, at, "1"};
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO kpi_reading (project_id, kpi, value, actor,"              \
	" at, prev, hash, breach" fc ") SELECT ?1, ?2, ?3, ?4, ?5, ?6,"        \
	" ?7, ?8" fv " WHERE EXISTS (SELECT 1 FROM kpi"                        \
	" WHERE project_id = ?1 AND name = ?2)"
#define INS_KNOWN(fc, fv)                                                      \
	"INSERT INTO kpi_reading (project_id, kpi, value, actor,"              \
	" at, prev, hash, breach" fc ") VALUES (?1, ?2, ?3, ?4, ?5, ?6,"       \
	" ?7, ?8" fv ")"
	struct sd_stmt st = {
	    .sql = known  ? (feed ? INS_KNOWN(", feed_id", ", ?9")
				  : INS_KNOWN("", ""))
		   : feed ? INS(", feed_id", ", ?9")
			  : INS("", ""),
	    .types = feed ? "isdssssii" : "isdssssi",
	    .doing = "record the KPI reading",
	    .flags = SD_DEFER,
	    .none_code = AP_EXIT_NOTFOUND,
	    .none_fmt = "no KPI '%s'",
	    .none_a = name,
	};

	chain_double(value, v);
	if ((err = store_chain_seal(s, CHAIN_READING, project, name, f,
				    breach ? 5 : 4, prev, hash)))
		return err;
#undef INS
#undef INS_KNOWN
	return sd_run(s, &st, project, name, value, actor, at,
		      CHAIN_OR_NULL(prev), CHAIN_OR_NULL(hash),
		      (int64_t)(breach != 0), feed);
}

const struct ap_error *
store_kpi_reading_add(struct store *s, int64_t project, const char *name,
		      double value, int breach, const char *actor,
		      const char *at)
{
	return reading_add(s, project, name, value, breach, actor, at, 0);
}

const struct ap_error *
store_kpi_reading_import(struct store *s, int64_t project, const char *name,
			 double value, int breach, const char *actor,
			 const char *at)
{
	return reading_add(s, project, name, value, breach, actor, at, 1);
}

const struct ap_error *
store_last_back(struct store *s, int64_t project, char **at)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "SELECT max(at) FROM transition WHERE project_id = ?1"
		   " AND kind = 'back'",
	    .types = "i",
	    .doing = "read the history",
	    .fn = dup_text,
	    .ctx = at,
	};

	*at = NULL;
	if ((err = sd_run(s, &st, project))) {
		free(*at);
		*at = NULL;
	}
	return err;
}

/* ---- the portfolio ---- */

static const struct ap_error *
monitor_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_monitor_row m = {
	    .project = sd_text(r, 0),
	    .version = sd_text(r, 1),
	    .since = sd_text(r, 2),
	    .open_breaches = sd_int(r, 3),
	};

	if (!m.version && m.open_breaches == 0)
		return NULL;
	return x->fn.monitor(x->arg, &m);
}

/* An open breach (eng_breach_open): a KPI in force whose latest reading
 * is a breach that still misses the KPI's target now, taken after the
 * project last went back, on a project not closed. */
const struct ap_error *
store_report_monitor(struct store *s, store_monitor_fn fn, void *arg)
{
	struct sd_list x = {.fn.monitor = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT p.name, r.version, r.at,"
		   " (SELECT count(*) FROM kpi k JOIN kpi_reading x"
		   "  ON x.id = (SELECT max(id) FROM kpi_reading"
		   "  WHERE project_id = k.project_id AND kpi = k.name)"
		   "  WHERE k.project_id = p.id AND k.removed_at IS NULL"
		   "  AND x.breach <> 0 AND p.status <> 'closed'"
		   "  AND NOT (k.op = '>=' AND x.value >= k.target"
		   "  OR k.op = '>' AND x.value > k.target"
		   "  OR k.op = '<=' AND x.value <= k.target"
		   "  OR k.op = '<' AND x.value < k.target"
		   "  OR k.op = '==' AND x.value = k.target)"
		   "  AND x.at > coalesce((SELECT max(at)"
		   "  FROM transition t WHERE t.project_id = p.id"
		   "  AND t.kind = 'back'), ''))"
		   " FROM project p LEFT JOIN prod_release r"
		   " ON r.project_id = p.id AND r.ended IS NULL"
		   /* (driven by the few releases and breaches: a test per
		    * project reads every project's pages) */
		   " WHERE p.id IN (SELECT project_id FROM prod_release"
		   " WHERE ended IS NULL UNION SELECT project_id FROM"
		   " kpi_reading WHERE breach <> 0)"
		   " ORDER BY p.name",
	    .types = "",
	    .doing = "read the releases",
	    .flags = SD_STREAM,
	    .fn = monitor_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}

struct marks_ctx {
	store_mark_fn fn;
	void *arg;
};

static const struct ap_error *
mark_row(void *ctx, const struct sd_row *r)
{
	struct marks_ctx *x = ctx;
	struct store_mark m = {
	    .project_id = sd_i64(r, 0),
	    .breach = sd_int(r, 1),
	    .what = sd_text(r, 2),
	    .at = sd_text(r, 3),
	    .ended_at = sd_text(r, 4),
	};

	return x->fn(x->arg, &m);
}

const struct ap_error *
store_report_marks(struct store *s, store_mark_fn fn, void *arg)
{
	struct marks_ctx x = {.fn = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT project_id, 0, version, at, ended_at"
		   " FROM prod_release UNION ALL"
		   " SELECT project_id, 1, kpi, at, CAST(NULL AS TEXT)"
		   " FROM kpi_reading WHERE breach <> 0",
	    .types = "",
	    .doing = "read the releases",
	    .flags = SD_STREAM,
	    .fn = mark_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}
