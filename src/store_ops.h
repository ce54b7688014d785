/*
 * store_ops.h - how the store's backends sit side by side (private).
 *
 * Every backend embeds `struct store` first and fills a `struct store_ops`
 * with its own functions; store.c turns each public store_*() call into a
 * call through the table.  STORE_BASIC_OPS and STORE_OPS list every
 * operation once.
 */
#ifndef AIPROJ_STORE_OPS_H
#define AIPROJ_STORE_OPS_H

#include "aiproj/store.h"

/* clang-format off */
/* What every backend answers without failing (forwarded by hand in
 * store.c). */
#define STORE_BASIC_OPS(B) \
	B(void, close, (struct store *s)) \
	B(const char *, path, (const struct store *s)) \
	B(int, created, (const struct store *s)) \
	B(void, rollback, (struct store *s))

/* Every operation that can fail: X(name, (parameters), (arguments)); each
 * returns const struct ap_error *, and store.c forwards it as store_NAME().
 * Adding one: a row here, its declaration in include/aiproj/store.h, and
 * its function in each backend. */
#define STORE_OPS(X) \
	X(actor, (struct store *s, char **actor), (s, actor)) \
	X(begin, (struct store *s, int write), (s, write)) \
	X(commit, (struct store *s), (s)) \
	X(meta_get, (struct store *s, const char *key, char **val), (s, key, val)) \
	X(meta_set, (struct store *s, const char *key, const char *val), (s, key, val)) \
	X(project_get, (struct store *s, const char *name, struct store_project *p), (s, name, p)) \
	X(project_create, (struct store *s, struct store_project *p), (s, p)) \
	X(project_list, (struct store *s, const char *stage, int all, store_project_fn fn, void *arg), (s, stage, all, fn, arg)) \
	X(project_rename, (struct store *s, int64_t id, const char *name), (s, id, name)) \
	X(project_set_status, (struct store *s, int64_t id, enum proj_status status, const char *reason, const char *outcome, const char *at), (s, id, status, reason, outcome, at)) \
	X(project_delete, (struct store *s, int64_t id), (s, id)) \
	X(project_move, (struct store *s, int64_t id, const char *stage, const char *at), (s, id, stage, at)) \
	X(transition_add, (struct store *s, const struct store_transition *t), (s, t)) \
	X(transitions, (struct store *s, int64_t project, store_transition_fn fn, void *arg), (s, project, fn, arg)) \
	X(transition_count, (struct store *s, int64_t project, const char *kind, int64_t *n), (s, project, kind, n)) \
	X(criterion_add, (struct store *s, int64_t project, const char *stage, const char *text, int64_t *id), (s, project, stage, text, id)) \
	X(criteria, (struct store *s, int64_t project, const char *stage, store_criterion_fn fn, void *arg), (s, project, stage, fn, arg)) \
	X(criterion_get, (struct store *s, int64_t project, int64_t id, char **stage, int *done), (s, project, id, stage, done)) \
	X(criterion_set, (struct store *s, int64_t project, int64_t id, int done, const char *actor, const char *note, const char *at), (s, project, id, done, actor, note, at)) \
	X(criteria_reopen, (struct store *s, int64_t project, const char *const *stages, size_t n), (s, project, stages, n)) \
	X(assign, (struct store *s, int64_t project, const char *role, const char *person, const char *at), (s, project, role, person, at)) \
	X(unassign, (struct store *s, int64_t project, const char *role, const char *person), (s, project, role, person)) \
	X(assignments, (struct store *s, int64_t project, store_assignment_fn fn, void *arg), (s, project, fn, arg)) \
	X(decision_add, (struct store *s, const struct store_decision *d), (s, d)) \
	X(decision_latest, (struct store *s, int64_t project, store_decision_fn fn, void *arg), (s, project, fn, arg)) \
	X(kpi_add, (struct store *s, int64_t project, const char *name, const char *op, double target, const char *at), (s, project, name, op, target, at)) \
	X(kpi_record, (struct store *s, int64_t project, const char *name, double value, const char *actor, const char *at), (s, project, name, value, actor, at)) \
	X(kpis, (struct store *s, int64_t project, store_kpi_fn fn, void *arg), (s, project, fn, arg)) \
	X(approval_add, (struct store *s, const struct store_approval *a), (s, a)) \
	X(approval_count, (struct store *s, int64_t project, const char *stage, int64_t epoch, int *n), (s, project, stage, epoch, n)) \
	X(stage_entry_epoch, (struct store *s, int64_t project, const char *stage, int64_t *epoch), (s, project, stage, epoch)) \
	X(component_add, (struct store *s, int64_t project, const char *name, const char *owner, const char *description), (s, project, name, owner, description)) \
	X(components, (struct store *s, int64_t project, store_component_fn fn, void *arg), (s, project, fn, arg)) \
	X(component_remove, (struct store *s, int64_t project, const char *name), (s, project, name)) \
	X(project_import, (struct store *s, struct store_project *p), (s, p)) \
	X(criterion_import, (struct store *s, int64_t project, const struct store_criterion *c), (s, project, c)) \
	X(decisions, (struct store *s, int64_t project, store_decision_fn fn, void *arg), (s, project, fn, arg)) \
	X(readings, (struct store *s, int64_t project, store_reading_fn fn, void *arg), (s, project, fn, arg)) \
	X(approvals, (struct store *s, int64_t project, store_approval_fn fn, void *arg), (s, project, fn, arg)) \
	X(audit_add, (struct store *s, const struct store_audit *a), (s, a)) \
	X(audit_list, (struct store *s, int limit, store_audit_fn fn, void *arg), (s, limit, fn, arg)) \
	X(report_roles, (struct store *s, const char *names, int all, store_roles_fn fn, void *arg), (s, names, all, fn, arg)) \
	X(report_status, (struct store *s, int all, store_status_fn fn, void *arg), (s, all, fn, arg)) \
	X(report_people, (struct store *s, int all, store_people_fn fn, void *arg), (s, all, fn, arg))
/* clang-format on */

struct store_ops {
#define B(ret, name, params) ret(*name) params;
#define X(name, params, args) const struct ap_error *(*name)params;
	STORE_BASIC_OPS(B)
	STORE_OPS(X)
#undef X
#undef B
};


struct store {
	const struct store_ops *ops;
};

/* The SQLite backend (store_sqlite.c): a file path (NULL: in memory). */
const struct ap_error *sqlite_store_open(const char *path, int busy_ms,
					 unsigned flags, struct store **out);

/* The PostgreSQL backend (store_pg.c): a libpq connection URI,
 * postgresql://... or postgres://... */
const struct ap_error *pg_store_open(const char *conninfo, int busy_ms,
				     unsigned flags, struct store **out);

/* The "no store here" error of store_open() (see store_missing()):
 * `shown_path` as messages name the store. */
const struct ap_error *store_no_store(const char *shown_path);

#endif
