/*
 * store.c - the store's front: picks a backend by the location's form and
 * passes every call to it (see store_ops.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store_ops.h"

int
store_location_is_pg(const char *location)
{
	return strncmp(location, "postgresql://", 13) == 0 ||
	       strncmp(location, "postgres://", 11) == 0;
}

/* A PostgreSQL URI selects the server store; anything else is a file. */
const struct ap_error *
store_open(const char *path, int busy_ms, unsigned flags, struct store **out)
{
	if (store_location_is_pg(path))
		return pg_store_open(path, busy_ms, flags, out);
	return sqlite_store_open(path, busy_ms, flags, out);
}

const struct ap_error *
store_open_memory(struct store **out)
{
	return sqlite_store_open(NULL, 1000, STORE_CREATE, out);
}

static const struct ap_error *no_store;

const struct ap_error *
store_no_store(const char *shown_path)
{
	return no_store = ap_error_fmt(AP_EXIT_STORE,
				       "no aiproj store at '%s': 'aiproj init'"
				       " creates one",
				       shown_path);
}

int
store_missing(const struct ap_error *err)
{
	return err && err == no_store;
}

void
store_project_clear(struct store_project *p)
{
	free(p->name);
	free(p->description);
	free(p->status);
	free(p->status_reason);
	free(p->outcome);
	free(p->stage);
	free(p->entered_at);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

void
store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

const char *
store_path(const struct store *s)
{
	return s->ops->path(s);
}

int
store_created(const struct store *s)
{
	return s->ops->created(s);
}

const struct ap_error *
store_actor(struct store *s, char **actor)
{
	return s->ops->actor(s, actor);
}

const struct ap_error *
store_begin(struct store *s, int write)
{
	return s->ops->begin(s, write);
}

const struct ap_error *
store_commit(struct store *s)
{
	return s->ops->commit(s);
}

void
store_rollback(struct store *s)
{
	s->ops->rollback(s);
}

const struct ap_error *
store_meta_get(struct store *s, const char *key, char **val)
{
	return s->ops->meta_get(s, key, val);
}

const struct ap_error *
store_meta_set(struct store *s, const char *key, const char *val)
{
	return s->ops->meta_set(s, key, val);
}

const struct ap_error *
store_project_get(struct store *s, const char *name, struct store_project *p)
{
	return s->ops->project_get(s, name, p);
}

const struct ap_error *
store_project_create(struct store *s, struct store_project *p)
{
	return s->ops->project_create(s, p);
}

const struct ap_error *
store_project_list(struct store *s, const char *stage, int all, store_project_fn fn, void *arg)
{
	return s->ops->project_list(s, stage, all, fn, arg);
}

const struct ap_error *
store_project_rename(struct store *s, int64_t id, const char *name)
{
	return s->ops->project_rename(s, id, name);
}

const struct ap_error *
store_project_set_status(struct store *s, int64_t id, const char *status, const char *reason, const char *outcome)
{
	return s->ops->project_set_status(s, id, status, reason, outcome);
}

const struct ap_error *
store_project_delete(struct store *s, int64_t id)
{
	return s->ops->project_delete(s, id);
}

const struct ap_error *
store_project_move(struct store *s, int64_t id, const char *stage, const char *at)
{
	return s->ops->project_move(s, id, stage, at);
}

const struct ap_error *
store_transition_add(struct store *s, const struct store_transition *t)
{
	return s->ops->transition_add(s, t);
}

const struct ap_error *
store_transitions(struct store *s, int64_t project, store_transition_fn fn, void *arg)
{
	return s->ops->transitions(s, project, fn, arg);
}

const struct ap_error *
store_transition_count(struct store *s, int64_t project, const char *kind, int64_t *n)
{
	return s->ops->transition_count(s, project, kind, n);
}

const struct ap_error *
store_criterion_add(struct store *s, int64_t project, const char *stage, const char *text, int64_t *id)
{
	return s->ops->criterion_add(s, project, stage, text, id);
}

const struct ap_error *
store_criteria(struct store *s, int64_t project, const char *stage, store_criterion_fn fn, void *arg)
{
	return s->ops->criteria(s, project, stage, fn, arg);
}

const struct ap_error *
store_criterion_get(struct store *s, int64_t project, int64_t id, char **stage, int *done)
{
	return s->ops->criterion_get(s, project, id, stage, done);
}

const struct ap_error *
store_criterion_set(struct store *s, int64_t project, int64_t id, int done, const char *actor, const char *note, const char *at)
{
	return s->ops->criterion_set(s, project, id, done, actor, note, at);
}

const struct ap_error *
store_criteria_reopen(struct store *s, int64_t project, const char *const *stages, size_t n)
{
	return s->ops->criteria_reopen(s, project, stages, n);
}

const struct ap_error *
store_assign(struct store *s, int64_t project, const char *role, const char *person, const char *at)
{
	return s->ops->assign(s, project, role, person, at);
}

const struct ap_error *
store_unassign(struct store *s, int64_t project, const char *role, const char *person)
{
	return s->ops->unassign(s, project, role, person);
}

const struct ap_error *
store_assignments(struct store *s, int64_t project, store_assignment_fn fn, void *arg)
{
	return s->ops->assignments(s, project, fn, arg);
}

const struct ap_error *
store_decision_add(struct store *s, const struct store_decision *d)
{
	return s->ops->decision_add(s, d);
}

const struct ap_error *
store_decision_latest(struct store *s, int64_t project, store_decision_fn fn, void *arg)
{
	return s->ops->decision_latest(s, project, fn, arg);
}

const struct ap_error *
store_kpi_add(struct store *s, int64_t project, const char *name, const char *op, double target, const char *at)
{
	return s->ops->kpi_add(s, project, name, op, target, at);
}

const struct ap_error *
store_kpi_record(struct store *s, int64_t project, const char *name, double value, const char *actor, const char *at)
{
	return s->ops->kpi_record(s, project, name, value, actor, at);
}

const struct ap_error *
store_kpis(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	return s->ops->kpis(s, project, fn, arg);
}

const struct ap_error *
store_approval_add(struct store *s, const struct store_approval *a)
{
	return s->ops->approval_add(s, a);
}

const struct ap_error *
store_approval_count(struct store *s, int64_t project, const char *stage, int64_t epoch, int *n)
{
	return s->ops->approval_count(s, project, stage, epoch, n);
}

const struct ap_error *
store_stage_entry_epoch(struct store *s, int64_t project, const char *stage, int64_t *epoch)
{
	return s->ops->stage_entry_epoch(s, project, stage, epoch);
}

const struct ap_error *
store_component_add(struct store *s, int64_t project, const char *name, const char *owner, const char *description)
{
	return s->ops->component_add(s, project, name, owner, description);
}

const struct ap_error *
store_components(struct store *s, int64_t project, store_component_fn fn, void *arg)
{
	return s->ops->components(s, project, fn, arg);
}

const struct ap_error *
store_component_remove(struct store *s, int64_t project, const char *name)
{
	return s->ops->component_remove(s, project, name);
}

const struct ap_error *
store_project_import(struct store *s, struct store_project *p)
{
	return s->ops->project_import(s, p);
}

const struct ap_error *
store_criterion_import(struct store *s, int64_t project, const struct store_criterion *c)
{
	return s->ops->criterion_import(s, project, c);
}

const struct ap_error *
store_decisions(struct store *s, int64_t project, store_decision_fn fn, void *arg)
{
	return s->ops->decisions(s, project, fn, arg);
}

const struct ap_error *
store_readings(struct store *s, int64_t project, store_reading_fn fn, void *arg)
{
	return s->ops->readings(s, project, fn, arg);
}

const struct ap_error *
store_approvals(struct store *s, int64_t project, store_approval_fn fn, void *arg)
{
	return s->ops->approvals(s, project, fn, arg);
}

const struct ap_error *
store_audit_add(struct store *s, const struct store_audit *a)
{
	return s->ops->audit_add(s, a);
}

const struct ap_error *
store_audit_list(struct store *s, int limit, store_audit_fn fn, void *arg)
{
	return s->ops->audit_list(s, limit, fn, arg);
}

const struct ap_error *
store_report_roles(struct store *s, const char *names, int all, store_roles_fn fn, void *arg)
{
	return s->ops->report_roles(s, names, all, fn, arg);
}

const struct ap_error *
store_report_status(struct store *s, int all, store_status_fn fn, void *arg)
{
	return s->ops->report_status(s, all, fn, arg);
}

const struct ap_error *
store_report_people(struct store *s, int all, store_people_fn fn, void *arg)
{
	return s->ops->report_people(s, all, fn, arg);
}
