/*
 * store_records.c - the store's records written once for every backend
 * (see store_ops.h and store_sql.c): decisions, KPIs and their readings,
 * approvals, components, the audit log, events and the log; the reports
 * are in store_report.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

/* ---- decisions ---- */

const struct ap_error *
store_decision_add(struct store *s, const struct store_decision *d)
{
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO decision (project_id, kind, cost, reason,"                \
	" actor, at" fc ") VALUES (?1, ?2, ?3, ?4, ?5, ?6" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?7") : INS("", ""),
	    .types = d->has_cost ? (feed ? "isdsssi" : "isdsss")
				 : (feed ? "isnsssi" : "isnsss"),
	    .doing = "record the decision",
	    .flags = SD_DEFER,
	};
#undef INS

	return sd_run(s, &st, d->project_id, decision_kind_name(d->kind),
		      d->cost, d->reason, d->actor, d->at, feed);
}

const struct ap_error *
decision_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_decision d = {
	    .project_id = x->project,
	    .kind = decision_kind_parse(sd_text(r, 0)),
	    .has_cost = !sd_null(r, 1),
	    .cost = sd_dbl(r, 1),
	    .reason = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .at = sd_text(r, 4),
	};

	return x->fn.decision(x->arg, &d);
}

const struct ap_error *
store_decision_latest(struct store *s, int64_t project, store_decision_fn fn,
		      void *arg)
{
	struct sd_list x = {.fn.decision = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, cost, reason, actor, at FROM decision"
		   " WHERE project_id = ?1 ORDER BY id DESC LIMIT 1",
	    .types = "i",
	    .doing = "read",
	    .fn = decision_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_decisions(struct store *s, int64_t project, store_decision_fn fn,
		void *arg)
{
	struct sd_list x = {.fn.decision = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, cost, reason, actor, at FROM decision"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the decisions",
	    .fn = decision_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- KPIs ---- */

const struct ap_error *
store_kpi_add(struct store *s, int64_t project, const char *name,
	      const char *op, double target, const char *at)
{
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO kpi (project_id, name, op, target,"                       \
	" created_at" fc ") VALUES (?1, ?2, ?3, ?4, ?5" fv ")"                 \
	" ON CONFLICT DO NOTHING"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?6") : INS("", ""),
	    .types = feed ? "issdsi" : "issds",
	    .doing = "add the KPI",
	    .flags = SD_DEFER,
	    .none_code = AP_EXIT_CONFLICT,
	    .none_fmt = "KPI '%s' already exists",
	    .none_a = name,
	};

#undef INS
	return sd_run(s, &st, project, name, op, target, at, feed);
}

const struct ap_error *
store_kpi_record(struct store *s, int64_t project, const char *name,
		 double value, const char *actor, const char *at)
{
	return store_kpi_reading_add(s, project, name, value, 0, actor, at);
}

static const struct ap_error *
kpi_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_kpi k = {
	    .name = sd_text(r, 0),
	    .op = sd_text(r, 1),
	    .target = sd_dbl(r, 2),
	    .created_at = sd_text(r, 3),
	    .has_reading = !sd_null(r, 4),
	    .value = sd_dbl(r, 4),
	    .read_at = sd_text(r, 5),
	    .read_by = sd_text(r, 6),
	    .read_breach = !sd_null(r, 7) && sd_i64(r, 7) != 0,
	    .removed_at = sd_text(r, 8),
	};

	return x->fn.kpi(x->arg, &k);
}

const struct ap_error *
store_kpis(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	struct sd_list x = {.fn.kpi = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT k.name, k.op, k.target, k.created_at,"
		   " r.value, r.at, r.actor, r.breach, k.removed_at FROM kpi k"
		   " LEFT JOIN kpi_reading r ON r.id = (SELECT max(id)"
		   " FROM kpi_reading WHERE project_id = k.project_id"
		   " AND kpi = k.name)"
		   " WHERE k.project_id = ?1 AND k.removed_at IS NULL"
		   " ORDER BY k.name",
	    .types = "i",
	    .doing = "read the KPIs",
	    .fn = kpi_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
reading_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_reading rd = {
	    .kpi = sd_text(r, 0),
	    .value = sd_dbl(r, 1),
	    .actor = sd_text(r, 2),
	    .at = sd_text(r, 3),
	    .breach = sd_i64(r, 4) != 0,
	    .hash = sd_text(r, 5),
	};

	return x->fn.reading(x->arg, &rd);
}

const struct ap_error *
store_readings(struct store *s, int64_t project, store_reading_fn fn, void *arg)
{
	struct sd_list x = {.fn.reading = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT kpi, value, actor, at, breach, hash FROM kpi_reading"
		   " WHERE project_id = ?1 ORDER BY kpi, id",
	    .types = "i",
	    .doing = "read the readings",
	    .fn = reading_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- approvals ---- */

const struct ap_error *
store_approval_add(struct store *s, const struct store_approval *a)
{
	char epoch[24], prev[CHAIN_HEX], hash[CHAIN_HEX];
	const char *f[] = {a->stage, epoch, a->person, a->role, a->note, a->at};
	const struct ap_error *err;
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO approval (project_id, stage, epoch, person,"              \
	" role, note, at, prev, hash" fc ")"                                   \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?10") : INS("", ""),
	    .types = feed ? "isissssssi" : "isissssss",
	    .doing = "record the approval",
	    .flags = SD_DEFER,
	};
#undef INS

	snprintf(epoch, sizeof(epoch), "%lld", (long long)a->epoch);
	if ((err = store_chain_seal(s, CHAIN_APPROVAL, a->project_id, NULL, f,
				    6, prev, hash)))
		return err;
	return sd_run(s, &st, a->project_id, a->stage, a->epoch, a->person,
		      a->role, a->note, a->at, CHAIN_OR_NULL(prev),
		      CHAIN_OR_NULL(hash), feed);
}

struct approval_count_ctx {
	int64_t n;
	char *withdrawn;
};

static const struct ap_error *
approval_count_row(void *ctx, const struct sd_row *r)
{
	struct approval_count_ctx *x = ctx;
	const char *who = sd_text(r, 1);

	x->n = sd_i64(r, 0);
	if (who && !(x->withdrawn = strdup(who)))
		return ap_error_nomem();
	return NULL;
}

const struct ap_error *
store_approval_count(struct store *s, int64_t project, const char *stage,
		     int64_t epoch, const char *role, int *n, char **withdrawn)
{
	const struct ap_error *err;
	struct approval_count_ctx x = {0};
	struct sd_stmt st = {
	    .sql =
		"SELECT (SELECT count(*) FROM approval a WHERE"
		" a.project_id = ?1 AND a.epoch >= ?2 AND a.stage = ?3 AND"
		" (?4 = '' OR (a.role = ?4 AND" SD_APPROVER_HOLDS(
		    "a") "))),"
			 " (SELECT a.person FROM approval a WHERE a.project_id "
			 "= ?1"
			 " AND a.epoch >= ?2 AND a.stage = ?3 AND ?4 <> '' AND"
			 " a.role = ?4 AND NOT" SD_APPROVER_HOLDS(
			     "a") " ORDER BY a.id DESC LIMIT 1)",
	    .types = "iiss",
	    .doing = "read",
	    .fn = approval_count_row,
	    .ctx = &x,
	};

	err = sd_run(s, &st, project, epoch, stage, role);
	*n = (int)x.n;
	if (err || !withdrawn)
		free(x.withdrawn);
	else
		*withdrawn = x.withdrawn;
	return err;
}

static const struct ap_error *
latest_row(void *ctx, const struct sd_row *r)
{
	const char *t = sd_text(r, 0);

	if (t && strlen(t) < 32)
		strcpy(ctx, t);
	return NULL;
}

const struct ap_error *
store_project_latest(struct store *s, int64_t project, char latest[32])
{
	struct sd_stmt st = {
	    .sql =
		"SELECT max(t) FROM ("
		"SELECT max(created_at) AS t FROM project WHERE id = ?1"
		" UNION ALL SELECT max(entered_at) FROM project WHERE id = ?1"
		" UNION ALL SELECT max(status_at) FROM project WHERE id = ?1"
		" UNION ALL SELECT max(at) FROM transition"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM decision WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM approval WHERE project_id = ?1"
		" UNION ALL SELECT max(created_at) FROM kpi"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(removed_at) FROM kpi"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM kpi_reading"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM kpi_change"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(done_at) FROM criterion"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(assigned_at) FROM assignment"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM prod_release"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(ended_at) FROM prod_release"
		" WHERE project_id = ?1"
		" UNION ALL SELECT max(at) FROM event WHERE project_id = ?1"
		") x",
	    .types = "i",
	    .doing = "read",
	    .fn = latest_row,
	    .ctx = latest,
	};

	latest[0] = '\0';
	return sd_run(s, &st, project);
}

const struct ap_error *
store_stage_entry_epoch(struct store *s, int64_t project, const char *stage,
			int64_t *epoch)
{
	struct sd_stmt st = {
	    .sql = "SELECT count(*) FROM transition WHERE project_id = ?1"
		   " AND kind <> 'start' AND id <= (SELECT max(id) FROM"
		   " transition WHERE project_id = ?1 AND to_stage = ?2"
		   " AND kind <> 'start')",
	    .types = "is",
	    .doing = "read",
	    .fn = sd_first_i64,
	    .ctx = epoch,
	};

	*epoch = 0;
	return sd_run(s, &st, project, stage);
}

static struct store_approval
approval_of(const struct sd_row *r, int64_t project)
{
	return (struct store_approval){
	    .project_id = project,
	    .stage = sd_text(r, 0),
	    .epoch = sd_i64(r, 1),
	    .person = sd_text(r, 2),
	    .role = sd_text(r, 3),
	    .note = sd_text(r, 4),
	    .at = sd_text(r, 5),
	    .hash = sd_text(r, 6),
	};
}

const struct ap_error *
approval_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_approval a = approval_of(r, x->project);

	return x->fn.approval(x->arg, &a);
}

/* An approval of store_approvals(): whether it counts is column 7. */
static const struct ap_error *
approval_holds_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_approval a = approval_of(r, x->project);

	a.holds = sd_i64(r, 7) != 0;
	return x->fn.approval(x->arg, &a);
}

const struct ap_error *
store_approvals(struct store *s, int64_t project, store_approval_fn fn,
		void *arg)
{
	struct sd_list x = {.fn.approval = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT a.stage, a.epoch, a.person, a.role, a.note, a.at,"
		   " a.hash, CASE WHEN" SD_APPROVER_HOLDS(
		       "a") " THEN 1 ELSE 0 END"
			    " FROM approval a WHERE a.project_id = ?1"
			    " ORDER BY a.id",
	    .types = "i",
	    .doing = "read the approvals",
	    .fn = approval_holds_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

/* ---- components ---- */

const struct ap_error *
store_component_add(struct store *s, int64_t project, const char *name,
		    const char *owner, const char *version,
		    const char *description)
{
	struct sd_stmt st = {
	    .sql = "INSERT INTO component (project_id, name, owner,"
		   " description, version) VALUES (?1, ?2, ?3, ?4, ?5)"
		   " ON CONFLICT DO NOTHING",
	    .types = "issss",
	    .doing = "add the component",
	    .flags = SD_DEFER,
	    .none_code = AP_EXIT_CONFLICT,
	    .none_fmt = "component '%s' already exists",
	    .none_a = name,
	};

	return sd_run(s, &st, project, name, owner,
		      description ? description : "", version);
}

const struct ap_error *
component_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_component c = {
	    .name = sd_text(r, 0),
	    .owner = sd_text(r, 1),
	    .description = sd_text(r, 2),
	    .version = sd_text(r, 3),
	};

	return x->fn.component(x->arg, &c);
}

const struct ap_error *
store_components(struct store *s, int64_t project, store_component_fn fn,
		 void *arg)
{
	struct sd_list x = {.fn.component = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT name, owner, description, version FROM component"
		   " WHERE project_id = ?1 ORDER BY name",
	    .types = "i",
	    .doing = "read the components",
	    .fn = component_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

const struct ap_error *
store_component_remove(struct store *s, int64_t project, const char *name)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "DELETE FROM component WHERE project_id = ?1 AND name = ?2",
	    .types = "is",
	    .doing = "remove the component",
	};

	if ((err = sd_run(s, &st, project, name)))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no component '%s'",
				    name);
	return NULL;
}

static const struct ap_error *
owner_row(void *ctx, const struct sd_row *r)
{
	char **owner = ctx;

	return (*owner = strdup(sd_text(r, 0))) ? NULL : ap_error_nomem();
}

const struct ap_error *
store_component_owner(struct store *s, int64_t project, const char *name,
		      char **owner)
{
	struct sd_stmt st = {
	    .sql = "SELECT owner FROM component WHERE project_id = ?1 AND"
		   " name = ?2",
	    .types = "is",
	    .doing = "read the component",
	    .fn = owner_row,
	    .ctx = owner,
	};

	*owner = NULL;
	return sd_run(s, &st, project, name);
}

const struct ap_error *
store_component_handover(struct store *s, int64_t project, const char *name,
			 const char *owner)
{
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = "UPDATE component SET owner = ?3 WHERE project_id = ?1 AND"
		   " name = ?2",
	    .types = "iss",
	    .doing = "hand over the component",
	};

	if ((err = sd_run(s, &st, project, name, owner)))
		return err;
	if (st.changes == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no component '%s'",
				    name);
	return NULL;
}

/* ---- audit ---- */

const struct ap_error *
store_audit_add(struct store *s, const struct store_audit *a)
{
	const char *f[] = {a->at,      a->actor, a->action,
			   a->project, a->stage, a->detail};
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql =
		"INSERT INTO audit (at, actor, action, project, stage,"
		" detail, prev, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
	    .types = "ssssssss",
	    .doing = "record the refusal",
	};

	if ((err = store_chain_seal(s, CHAIN_AUDIT, 0, NULL, f, 6, prev, hash)))
		return err;
	return sd_run(s, &st, a->at, a->actor, a->action, a->project, a->stage,
		      a->detail, CHAIN_OR_NULL(prev), CHAIN_OR_NULL(hash));
}

static const struct ap_error *
audit_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_audit a = {
	    .at = sd_text(r, 0),
	    .actor = sd_text(r, 1),
	    .action = sd_text(r, 2),
	    .project = sd_text(r, 3),
	    .stage = sd_text(r, 4),
	    .detail = sd_text(r, 5),
	};

	return x->fn.audit(x->arg, &a);
}

const struct ap_error *
store_audit_list(struct store *s, int limit, store_audit_fn fn, void *arg)
{
	struct sd_list x = {.fn.audit = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT at, actor, action, project, stage, detail"
		   " FROM audit ORDER BY id DESC LIMIT ?1",
	    .types = "i",
	    .doing = "read the audit log",
	    .fn = audit_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, (int64_t)limit);
}

/* ---- events and the timeline ---- */

const struct ap_error *
store_event_add(struct store *s, int64_t project, const struct store_event *e)
{
	int64_t feed = sd_feed_next(s);
#define INS(fc, fv)                                                            \
	"INSERT INTO event (project_id, kind, subject, detail,"                \
	" note, actor, at" fc ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7" fv ")"
	struct sd_stmt st = {
	    .sql = feed ? INS(", feed_id", ", ?8") : INS("", ""),
	    .types = feed ? "issssssi" : "issssss",
	    .doing = "record the event",
	    .flags = SD_DEFER,
	};
#undef INS

	return sd_run(s, &st, project, e->kind, e->subject, e->detail, e->note,
		      e->actor, e->at, feed);
}

const struct ap_error *
event_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_event e = {
	    .kind = sd_text(r, 0),
	    .subject = sd_text(r, 1),
	    .detail = sd_text(r, 2),
	    .note = sd_text(r, 3),
	    .actor = sd_text(r, 4),
	    .at = sd_text(r, 5),
	};

	return x->fn.event(x->arg, &e);
}

const struct ap_error *
store_events(struct store *s, int64_t project, store_event_fn fn, void *arg)
{
	struct sd_list x = {.fn.event = fn, .arg = arg, .project = project};
	struct sd_stmt st = {
	    .sql = "SELECT kind, subject, detail, note, actor, at FROM event"
		   " WHERE project_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read",
	    .fn = event_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, project);
}

static const struct ap_error *
due_row(void *ctx, const struct sd_row *r)
{
	char **due = ctx;
	const char *t = sd_text(r, 0);

	free(*due);
	*due = t ? strdup(t) : NULL;
	return t && !*due ? ap_error_nomem() : NULL;
}

const struct ap_error *
store_due_get(struct store *s, int64_t project, const char *stage, char **due)
{
	struct sd_stmt st = {
	    .sql = "SELECT detail FROM event WHERE project_id = ?1 AND"
		   " kind = 'due' AND subject = ?2 ORDER BY id DESC LIMIT 1",
	    .types = "is",
	    .doing = "read",
	    .fn = due_row,
	    .ctx = due,
	};
	const struct ap_error *err;

	*due = NULL;
	if ((err = sd_run(s, &st, project, stage))) {
		free(*due);
		*due = NULL;
	}
	return err;
}

/*
 * The timeline: one UNION ALL over every table that records a change,
 * each branch joined to its project; o orders the branches and seq the
 * rows of one branch that share a time stamp.
 */
#define LOG_P                                                                  \
	" JOIN project p ON p.id = x.project_id WHERE (?1 IS NULL OR p.name "  \
	"= ?1)"
/* clang-format off */
static const char log_sql[] =
    "SELECT at, name, kind, actor, subject, detail, note, num FROM ("
    " SELECT p.created_at AS at, p.name AS name, 0 AS o, 0 AS seq,"
    "  'created' AS kind, CAST(NULL AS TEXT) AS actor,"
    "  coalesce((SELECT from_stage FROM transition t WHERE"
    "  t.project_id = p.id ORDER BY t.id LIMIT 1), p.stage) AS subject,"
    "  CAST(NULL AS TEXT) AS detail,"
    "  CAST(NULL AS TEXT) AS note, CAST(NULL AS DOUBLE PRECISION) AS num"
    "  FROM project p WHERE (?1 IS NULL OR p.name = ?1)"
    /* (a buy's move comes after the decision that made it) */
    " UNION ALL SELECT x.at, p.name, CASE x.kind WHEN 'buy' THEN 12 ELSE 1"
    "  END, x.id, x.kind, x.actor,"
    "  x.from_stage, x.to_stage, x.reason, NULL FROM transition x" LOG_P
    " UNION ALL SELECT x.done_at, p.name, 2, x.id, 'tick', x.done_by,"
    "  CAST(x.id AS TEXT), x.text, x.note, NULL FROM criterion x" LOG_P
    "  AND x.done <> 0"
    " UNION ALL SELECT x.at, p.name, 3, x.id, 'approve', x.person,"
    "  x.stage, x.role, x.note, NULL FROM approval x" LOG_P
    " UNION ALL SELECT x.at, p.name, 4, x.id, 'decide', x.actor, x.kind,"
    "  NULL, x.reason, x.cost FROM decision x" LOG_P
    /* a KPI's creation with its target then: before its first change */
    " UNION ALL SELECT x.created_at, p.name, 5, 0, 'kpi', NULL, x.name,"
    "  " KPI_FIRST("op") ", NULL, " KPI_FIRST("target") " FROM kpi x" LOG_P
    " UNION ALL SELECT x.at, p.name, 6, x.id, 'reading', x.actor, x.kpi,"
    "  CASE WHEN x.breach <> 0 THEN 'breach' END, NULL, x.value"
    "  FROM kpi_reading x" LOG_P
    " UNION ALL SELECT x.assigned_at, p.name, 7, 0, 'assign', NULL, x.role,"
    "  coalesce(x.assigned_name, x.person), NULL, NULL FROM assignment x" LOG_P
    " UNION ALL SELECT x.at, p.name, 8, x.id, x.kind, x.actor, x.subject,"
    "  x.detail, x.note, NULL FROM event x" LOG_P
    " UNION ALL SELECT x.ended_at, p.name, 9, x.id, CASE x.ended WHEN"
    "  'retired' THEN 'retire' ELSE 'supersede' END, x.ended_by, x.version,"
    "  NULL, x.end_reason, NULL FROM prod_release x" LOG_P
    "  AND x.ended IS NOT NULL"
    " UNION ALL SELECT x.at, p.name, 10, x.id, 'release', x.actor,"
    "  x.version, x.artifact, x.note, NULL FROM prod_release x" LOG_P
    " UNION ALL SELECT x.at, p.name, 11, x.id, 'kpi-' || x.kind, x.actor,"
    "  x.kpi, x.op, x.reason, x.target FROM kpi_change x" LOG_P
    ") l WHERE (?2 IS NULL OR at >= ?2) AND (?3 IS NULL OR at < ?3)"
    " ORDER BY at, name, o, seq, subject, detail";
/* clang-format on */
#undef LOG_P

static const struct ap_error *
log_row(void *ctx, const struct sd_row *r)
{
	struct sd_list *x = ctx;
	struct store_log_row l = {
	    .at = sd_text(r, 0),
	    .project = sd_text(r, 1),
	    .kind = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .subject = sd_text(r, 4),
	    .detail = sd_text(r, 5),
	    .note = sd_text(r, 6),
	    .has_num = !sd_null(r, 7),
	    .num = sd_null(r, 7) ? 0 : sd_dbl(r, 7),
	};

	return x->fn.log(x->arg, &l);
}

const struct ap_error *
store_log(struct store *s, const char *name, const char *since,
	  const char *until, store_log_fn fn, void *arg)
{
	struct sd_list x = {.fn.log = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = log_sql,
	    .types = "sss",
	    .doing = "read the log",
	    .flags = SD_STREAM,
	    .fn = log_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, name, since, until);
}
