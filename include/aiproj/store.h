/*
 * store.h - the store: everything aiproj keeps, behind a backend-neutral
 * interface.  Two backends, an SQLite file (store_sqlite.c, the only file
 * that includes <sqlite3.h>) and a PostgreSQL database (store_pg.c), run
 * the same operations (store_sql.c, store_records.c, store_report.c);
 * store_open() chooses one from the location's form.
 *
 * A command runs as one transaction: store_begin(), calls, store_commit()
 * (or store_rollback(), which a failed command always does).  Lists are
 * streamed to a callback; the pointers it gets are valid during the call.
 * Strings in the structs filled by *_get() are owned by the struct and
 * released by the matching *_clear().
 */
#ifndef AIPROJ_STORE_H
#define AIPROJ_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "aiproj/engine.h"
#include "aiproj/error.h"

#define STORE_SCHEMA_VERSION 25

struct store;

struct store_project {
	int64_t id;
	char *name;
	char *description;
	enum proj_status status;
	char *status_reason;
	char *outcome; /* e.g. "bought", or NULL */
	char *stage;   /* slug */
	int64_t epoch; /* bumped by every move (not by a start) */
	char *entered_at;
	char *created_at;
	/* when the status last changed (created_at until then); a closed
	 * project's time in its stage stops here */
	char *status_at;
};

struct store_transition {
	int64_t project_id;
	const char *from, *to, *kind, *actor, *reason, *at;
	const char *hash; /* read back: its hash chain's (NULL: none) */
};

struct store_criterion {
	int64_t id;
	const char *stage, *text;
	int done;
	const char *done_by, *done_at, *note;
};

struct store_assignment {
	const char *role, *person, *assigned_at;
	const char *title; /* role assign --title, or NULL */
	/* the name it was made to, kept by the first person rename or
	 * merge that moved it; NULL: it is still `person` */
	const char *assigned_name;
};

struct store_decision {
	int64_t project_id;
	enum decision_kind kind; /* DK_MAKE, DK_BUY */
	int has_cost;
	double cost;
	const char *reason, *actor, *at;
};

struct store_kpi {
	const char *name, *op;
	double target;
	const char *created_at;
	int has_reading; /* latest reading below, when there is one */
	double value;
	const char *read_at, *read_by;
	int read_breach;        /* the latest reading was a breach */
	const char *removed_at; /* store_kpis_every: when removed, or NULL */
};

struct store_approval {
	int64_t project_id;
	const char *stage;
	int64_t epoch;
	const char *person, *role, *note, *at;
	const char *hash; /* read back: its hash chain's (NULL: none) */
	/* read back (store_approvals()): the approver holds the role now,
	 * under any of their names, or the approval needs none: it counts */
	int holds;
};

struct store_component {
	const char *name, *owner, *description;
	const char *version; /* component add --version, or NULL */
};

/*
 * Open the store at `path`: a file path (never a URI: "file:x", "?", and
 * ":memory:" are names like any other) or a postgresql:// URI.  A file that
 * is not an aiproj store, or one from a newer aiproj, is refused (exit 7)
 * and left untouched.  `busy_ms` is how long to wait for another writer.
 * `flags`:
 *   STORE_CREATE  make a missing store: a file is built beside the target
 *                 and linked into place whole (0600), so no process ever sees
 *                 a half-made one and parallel first runs all succeed; a
 *                 server store gets its tables.  Without it a missing store
 *                 (no file; a database without aiproj's tables) is exit 7
 *                 and store_missing() is true of the error.
 *   STORE_INIT    `aiproj init`: with STORE_CREATE, also make an empty file
 *                 (0 bytes, or an SQLite database holding nothing) a store
 *                 (mode set to 0600); without STORE_CREATE such a file is
 *                 reported missing.  Without STORE_INIT an empty file is
 *                 refused (exit 7).
 *   STORE_READ    the command only reads: a store file this process may not
 *                 write is opened read-only, creating nothing beside it.
 *                 Without it such a store is refused (exit 7).
 *   STORE_BULK    the command writes many rows in its transaction (import):
 *                 an SQLite store keeps its statement journals in memory
 *                 (PRAGMA temp_store = MEMORY on this connection only), not
 *                 in a temporary file written a page at a time.  A
 *                 migration the open runs is done before, without it.  No
 *                 effect on a server store.
 *   STORE_CREATE_AT_COMMIT  with STORE_CREATE, a missing SQLite store is
 *                 made in a new file beside its place, and the command's
 *                 transaction written there; store_commit() links it into
 *                 place (see STORE_CREATE), and the store is then the one
 *                 there.  Until then no other process sees it; never
 *                 committed, it is removed at store_close().  When another
 *                 process made the store meanwhile, store_commit() fails
 *                 (exit 7) and that store is left as it is.  No effect on a
 *                 server store, or on a file that exists.
 * Close with store_close().
 */
enum store_open_flags {
	STORE_CREATE = 1 << 0,
	STORE_INIT = 1 << 1,
	STORE_READ = 1 << 2,
	STORE_BULK = 1 << 3,
	STORE_CREATE_AT_COMMIT = 1 << 4,
};
const struct ap_error *store_open(const char *path, int busy_ms, unsigned flags,
				  struct store **out);
/*
 * Copy store `from` whole into `to` (aiproj copy): every table, ids,
 * hashes, feed ids, settings and administrators as they are, read in one
 * snapshot (a read transaction on `from`) and written in one write
 * transaction on `to`, which the caller commits or rolls back.  `to` must
 * hold no rows but its settings and administrators (exit 4), and be
 * another store than `from` (exit 2).  `fn`, when given, is told each
 * table and its rows as they are copied.  Into PostgreSQL only the owner
 * of the tables may copy (exit 4).
 */
typedef const struct ap_error *(*store_copy_fn)(void *arg, const char *table,
						int64_t rows);
const struct ap_error *store_copy(struct store *from, struct store *to,
				  store_copy_fn fn, void *arg);
/* store_copy(), with `check` called first, once both transactions are
 * open and before anything of `to` is checked or written: its error (a
 * policy's refusal) ends the copy, `to` unchanged. */
typedef const struct ap_error *(*store_copy_check_fn)(void *arg,
						      struct store *to);
const struct ap_error *store_copy_checked(struct store *from, struct store *to,
					  store_copy_check_fn check,
					  store_copy_fn fn, void *arg);
/* Is `to` another store than `from` (else exit 2)? */
const struct ap_error *store_copy_other(struct store *from, struct store *to);
/* A private, empty scratch store (trial runs, dry runs, unit tests): in
 * SQLite's page cache, spilled to a temporary file it removes. */
const struct ap_error *store_open_scratch(struct store **out);
/* Is `err` store_open()'s "there is no store at this location"? */
int store_missing(const struct ap_error *err);
/* Is `err` store_seal()'s "another process made the store while this one
 * wrote its own in a new file (STORE_CREATE_AT_COMMIT)"?  Nothing was
 * kept, and the store is there now. */
int store_overtaken(const struct ap_error *err);
void store_close(struct store *s);
/* NULL if a new store could be made at location, else why not, as the
 * command that makes it would fail: a path naming a directory, a journal
 * left there, a missing directory (dirs: the caller makes the path's own
 * missing directories, as the first write does; never through a link).
 * What dry runs and trials check before they predict success. */
const struct ap_error *store_create_check(const char *location, int dirs);
/* Does the location name a PostgreSQL store (postgresql:// or
 * postgres://) rather than a file? */
int store_location_is_pg(const char *location);
const char *store_path(const struct store *s);
/* Was the store file created by this store_open()? */
int store_created(const struct store *s);

/*
 * Who acts, when the backend knows: a server store returns its
 * authenticated user (malloc'd, the caller frees) unless its admin allows
 * --actor; a file store returns NULL (the actor is self-declared).
 */
const struct ap_error *store_actor(struct store *s, char **actor);

/* write: BEGIN IMMEDIATE, else a read snapshot. */
const struct ap_error *store_begin(struct store *s, int write);
const struct ap_error *store_commit(struct store *s);
/* store_commit() in two steps: store_seal() makes the transaction durable
 * (a store made with STORE_CREATE_AT_COMMIT: in its new file, not yet in
 * place), then store_commit() ends it (there: links the file into place,
 * which fails only when another process made the store meanwhile).  After
 * store_seal(), only store_commit(), store_rollback() or store_close(). */
const struct ap_error *store_seal(struct store *s);
void store_rollback(struct store *s);
/* Many writes follow in this transaction (an import): on, the store may
 * send statements without waiting for each (PostgreSQL: libpq's pipeline
 * mode, where the library has it), so an error may surface at a later
 * statement or at store_batch(s, 0), which ends the batch and reports
 * any.  Every error is the one the statement would have given alone. */
const struct ap_error *store_batch(struct store *s, int on);
/* The batch's statements so far sent to the server now, their results
 * not waited for: the server works on them while the caller goes on (an
 * import reads and checks its next project).  The batch ends; an error
 * of its statements surfaces at the next statement that reads or at
 * store_batch(s, 0), as within it.  Without a pipeline (SQLite):
 * store_batch(s, 0). */
const struct ap_error *store_batch_send(struct store *s);
/*
 * Many new rows follow in this write transaction (an import), each given
 * its feed id by the write itself rather than by the store's triggers:
 * on, an SQLite store switches its triggers off for this connection (the
 * schema untouched) and hands out the ids that follow the store's last
 * one, in the order the rows are written, as the triggers would; off
 * (before the commit), it writes the last id given, does what the summary
 * triggers would have done for the projects inserted meanwhile (listed
 * for the commit's summary), and switches the triggers on again.  A
 * rollback switches them on too.  While on, only the writes an import
 * makes may be made: inserts that give their own feed id
 * (store_project_import() and the row adds import uses), a project's
 * delete (store_project_delete()) and a person's names (which do their
 * triggers' work themselves); an update that would be an event (a tick, a
 * release ended) may not.  No effect on a server store, whose triggers
 * always give the ids.
 */
const struct ap_error *store_feed_bulk(struct store *s, int on);
/* Project `project` was just made in this transaction (an import), so
 * its hash chains are empty, and their rows are written by this process
 * alone, in order, until store_chain_fresh(s, 0): each chain's last hash
 * is kept as its rows are sealed rather than read back from the store a
 * row (SQLite; a server store's trigger computes them).  A row sealed
 * must be written, or the transaction fail. */
void store_chain_fresh(struct store *s, int64_t project);

/* Settings: *val is malloc'd (caller frees) or NULL when unset. */
const struct ap_error *store_meta_get(struct store *s, const char *key,
				      char **val);
const struct ap_error *store_meta_set(struct store *s, const char *key,
				      const char *val);

/*
 * Which projects a list or a report covers, and in what order: the filters
 * of `project list` and every portfolio report, evaluated by the store in
 * its query (see aiproj(1), "Filters").  A project is shown when every
 * given condition holds.
 */
enum store_sort {
	SORT_NONE = 0,
	SORT_NAME,
	SORT_STAGE, /* in the lifecycle's order */
	SORT_STATUS,
	SORT_DAYS, /* days in the current stage */
	SORT_BACK_JUMPS,
	SORT_ACTIVITY, /* the project's last activity */
	SORT_DUE,      /* the current stage's due date (none: last) */
	SORT_COUNT
};
#define STORE_SORT_KEYS 2 /* --sort FIELD[,FIELD] */

struct store_filter {
	unsigned status; /* 1 << PS_*: the statuses shown */
	/* the current stage is one of these slugs (n 0: any) */
	const char *const *stages;
	size_t nstages;
	/* the lifecycle's stage slugs in order, for SORT_STAGE */
	const char *const *stage_order;
	size_t nstage_order;
	const char *person; /* this person holds a role (person_key()) */
	const char *role;   /* someone holds this role slug */
	/* last activity before this stamp: the latest of its creation,
	 * moves, status change, decisions, KPIs and readings, ticked
	 * criteria, approvals and assignments (also the `activity` sort) */
	const char *stale_before;
	/* only the projects whose current stage is overdue: not closed,
	 * and its latest due date (a 'due' event) before the day of `now` */
	int overdue;
	const char *now; /* the stamp days in stage run to */
	/* keys in order (SORT_NONE ends them), negative: descending; the
	 * name breaks ties */
	int sort[STORE_SORT_KEYS];
	long long limit; /* at most this many projects; 0: no limit */
};

/* The store's administrators.  Add: *changed 0 when already one;
 * remove: *changed 0 when not one. */
const struct ap_error *store_admin_add(struct store *s, const char *person,
				       const char *by, const char *at,
				       int *changed);
const struct ap_error *store_admin_remove(struct store *s, const char *person,
					  int *changed);
/* Is `person` one (*is), and how many are there (*count)? */
const struct ap_error *store_admin_is(struct store *s, const char *person,
				      int *is, int *count);
struct store_admin {
	const char *person, *added_by, *added_at;
};
typedef const struct ap_error *(*store_admin_fn)(void *arg,
						 const struct store_admin *a);
/* Every administrator, by name. */
const struct ap_error *store_admins(struct store *s, store_admin_fn fn,
				    void *arg);

/*
 * The policy enforced by a PostgreSQL server (store_policy.c): the server
 * checks every row a member writes against its copy of the engine's rules
 * and of the lifecycle's A and R roles.  store_server(): a server store.
 * The store does not parse YAML: the CLI gives it the parser of a stored
 * lifecycle, with which a migration makes the copy (unset: no copy of the
 * roles).  store_raci_set(): the copy of lc's roles, after a lifecycle
 * change (nothing on SQLite).  store_policy_sync(): both copies anew.
 */
typedef const struct ap_error *(*store_lifecycle_parser)(const char *text,
							 struct lifecycle *lc);
void store_set_lifecycle_parser(store_lifecycle_parser parse);
int store_server(const struct store *s);
const struct ap_error *store_raci_set(struct store *s,
				      const struct lifecycle *lc);
const struct ap_error *store_policy_sync(struct store *s);
/* The members of a server store: the login roles granted the rights to
 * use it (member add: *changed 0 when it had them; remove: 0 when not).
 * Unknown role: exit 3. */
const struct ap_error *store_member_set(struct store *s, const char *name,
					int add, int *changed);
typedef const struct ap_error *(*store_member_fn)(void *arg, const char *name);
const struct ap_error *store_members(struct store *s, store_member_fn fn,
				     void *arg);

/* Projects.  Unknown name: exit 3.  Name taken: exit 5. */
const struct ap_error *store_project_get(struct store *s, const char *name,
					 struct store_project *p);
void store_project_clear(struct store_project *p);
const struct ap_error *store_project_create(struct store *s,
					    struct store_project *p);
typedef const struct ap_error *(*store_project_fn)(
    void *arg, const struct store_project *p);
/* stage NULL: any; all: include closed projects.  Ordered by name. */
const struct ap_error *store_project_list(struct store *s, const char *stage,
					  int all, store_project_fn fn,
					  void *arg);
/* The projects that pass the filter, in its order. */
const struct ap_error *store_project_list_where(struct store *s,
						const struct store_filter *f,
						store_project_fn fn, void *arg);
const struct ap_error *store_project_rename(struct store *s, int64_t id,
					    const char *name);
/* Set the status, changed at `at` (status_at). */
const struct ap_error *store_project_set_status(struct store *s, int64_t id,
						enum proj_status status,
						const char *reason,
						const char *outcome,
						const char *at);
const struct ap_error *store_project_delete(struct store *s, int64_t id);
/* Move to `stage`, entered at `at`; bumps the epoch. */
const struct ap_error *store_project_move(struct store *s, int64_t id,
					  const char *stage, const char *at);

/* History, oldest first. */
const struct ap_error *store_transition_add(struct store *s,
					    const struct store_transition *t);
typedef const struct ap_error *(*store_transition_fn)(
    void *arg, const struct store_transition *t);
const struct ap_error *store_transitions(struct store *s, int64_t project,
					 store_transition_fn fn, void *arg);
/* How many transitions of `kind` (NULL: all) the project has. */
const struct ap_error *store_transition_count(struct store *s, int64_t project,
					      const char *kind, int64_t *n);

/* Manual gate criteria, numbered per project. Unknown id: exit 3. */
const struct ap_error *store_criterion_add(struct store *s, int64_t project,
					   const char *stage, const char *text,
					   int64_t *id);
typedef const struct ap_error *(*store_criterion_fn)(
    void *arg, const struct store_criterion *c);
/* stage NULL: every stage.  Ordered by id. */
const struct ap_error *store_criteria(struct store *s, int64_t project,
				      const char *stage, store_criterion_fn fn,
				      void *arg);
/* Fetch one criterion into *c (strings valid until the next store call). */
const struct ap_error *store_criterion_get(struct store *s, int64_t project,
					   int64_t id, char **stage, int *done);
const struct ap_error *store_criterion_set(struct store *s, int64_t project,
					   int64_t id, int done,
					   const char *actor, const char *note,
					   const char *at);
/* Reopen every criterion of the given stages. */
const struct ap_error *store_criteria_reopen(struct store *s, int64_t project,
					     const char *const *stages,
					     size_t n);

/* Role assignments.  Duplicate: exit 5; unknown on unassign: exit 3.
 * Assign holds the person (store_person_ensure(): made when new) by their
 * name as first written; unassign takes that name. */
const struct ap_error *store_assign(struct store *s, int64_t project,
				    const char *role, const char *person,
				    const char *title, const char *at);
/* The same for a person the store holds, `canon` the name
 * store_person_ensure() gave; `assigned_name` the name it was made to
 * when that was another of theirs (an import), else NULL. */
const struct ap_error *store_assign_as(struct store *s, int64_t project,
				       const char *role, const char *canon,
				       const char *title,
				       const char *assigned_name,
				       const char *at);
const struct ap_error *store_unassign(struct store *s, int64_t project,
				      const char *role, const char *person);
typedef const struct ap_error *(*store_assignment_fn)(
    void *arg, const struct store_assignment *a);
/* Ordered by role, then person. */
const struct ap_error *store_assignments(struct store *s, int64_t project,
					 store_assignment_fn fn, void *arg);

/* Decisions: append-only; the latest counts. */
const struct ap_error *store_decision_add(struct store *s,
					  const struct store_decision *d);
typedef const struct ap_error *(*store_decision_fn)(
    void *arg, const struct store_decision *d);
/* Calls fn once with the latest decision, or not at all. */
const struct ap_error *store_decision_latest(struct store *s, int64_t project,
					     store_decision_fn fn, void *arg);

/* KPIs.  Duplicate name: exit 5; unknown on record: exit 3. */
const struct ap_error *store_kpi_add(struct store *s, int64_t project,
				     const char *name, const char *op,
				     double target, const char *at);
const struct ap_error *store_kpi_record(struct store *s, int64_t project,
					const char *name, double value,
					const char *actor, const char *at);
typedef const struct ap_error *(*store_kpi_fn)(void *arg,
					       const struct store_kpi *k);
/* Each KPI with its latest reading, ordered by name. */
const struct ap_error *store_kpis(struct store *s, int64_t project,
				  store_kpi_fn fn, void *arg);

/* Gate approvals. */
const struct ap_error *store_approval_add(struct store *s,
					  const struct store_approval *a);
/* Approvals of `stage` given at `epoch` or later in role `role` (its
 * accountable role, or a role it asks a sign-off of) by a person who still
 * holds it ("": the stage has no accountable role, every one counts): *n.  *withdrawn (malloc'd, or NULL): the person of the latest
 * one given since then that no longer counts, its giver unassigned. */
const struct ap_error *store_approval_count(struct store *s, int64_t project,
					    const char *stage, int64_t epoch,
					    const char *role, int *n,
					    char **withdrawn);
/* The latest time stamp the project has anywhere (its own, its moves,
 * decisions, approvals, KPIs, readings and changes, criteria, assignments,
 * releases and events) into latest (a stamp's 24 bytes and NUL). */
const struct ap_error *store_project_latest(struct store *s, int64_t project,
					    char latest[32]);
/* The epoch at which the project last entered `stage` (the number of
 * moves up to the last one into it, starts not counted; 0 when it never
 * moved there). */
const struct ap_error *store_stage_entry_epoch(struct store *s, int64_t project,
					       const char *stage,
					       int64_t *epoch);

/* Product components.  Duplicate: exit 5.  version may be NULL. */
const struct ap_error *store_component_add(struct store *s, int64_t project,
					   const char *name, const char *owner,
					   const char *version,
					   const char *description);
/* The owner role of component `name` (malloc'd), or NULL when the project
 * has no such component. */
const struct ap_error *store_component_owner(struct store *s, int64_t project,
					     const char *name, char **owner);
/* Give the component a new owner role (a handover).  None: exit 3. */
const struct ap_error *store_component_handover(struct store *s,
						int64_t project,
						const char *name,
						const char *owner);
typedef const struct ap_error *(*store_component_fn)(
    void *arg, const struct store_component *c);
const struct ap_error *store_components(struct store *s, int64_t project,
					store_component_fn fn, void *arg);

const struct ap_error *store_component_remove(struct store *s, int64_t project,
					      const char *name);

/* ---- import and export: everything, with its own stamps and ids ---- */

/* *none: the store holds no project (in a write transaction: none until
 * this one writes some). */
const struct ap_error *store_projects_none(struct store *s, int *none);
/* Insert a project with every field as given (status, epoch, stamps). */
const struct ap_error *store_project_import(struct store *s,
					    struct store_project *p);
const struct ap_error *store_criterion_import(struct store *s, int64_t project,
					      const struct store_criterion *c);
/* Every decision, oldest first. */
const struct ap_error *store_decisions(struct store *s, int64_t project,
				       store_decision_fn fn, void *arg);
struct store_reading {
	const char *kpi;
	double value;
	const char *actor, *at;
	int breach;       /* a breach event (schemas/011-releases.sql) */
	const char *hash; /* its hash chain's (NULL: none) */
};
typedef const struct ap_error *(*store_reading_fn)(
    void *arg, const struct store_reading *r);
/* Every reading of every KPI, by KPI name then oldest first. */
const struct ap_error *store_readings(struct store *s, int64_t project,
				      store_reading_fn fn, void *arg);
typedef const struct ap_error *(*store_approval_fn)(
    void *arg, const struct store_approval *a);
/* Every approval, oldest first. */
const struct ap_error *store_approvals(struct store *s, int64_t project,
				       store_approval_fn fn, void *arg);

/* The audit log of authorization refusals (policy roles). */
struct store_audit {
	const char *at, *actor, *action, *project, *stage, *detail;
};
const struct ap_error *store_audit_add(struct store *s,
				       const struct store_audit *a);
typedef const struct ap_error *(*store_audit_fn)(void *arg,
						 const struct store_audit *a);
/* The latest `limit` entries, newest first. */
const struct ap_error *store_audit_list(struct store *s, int limit,
					store_audit_fn fn, void *arg);

/*
 * The hash chains (docs/security.md): recompute every chain of `project`
 * (NULL: of every project, and the audit log's) and call fn with the
 * first problem of each broken chain.
 */
struct store_verify_row {
	const char *project; /* NULL: the audit log */
	/* "history", "approval", "reading", "audit", "release", "change" */
	const char *chain;
	const char *kpi; /* a reading or change chain's KPI, else NULL */
	int64_t row;     /* position in the chain, from 1 */
	int64_t id;      /* the row's id in its table */
	/* "changed", "inserted", "removed before", "out of order" */
	const char *problem;
};
typedef const struct ap_error *(*store_verify_fn)(
    void *arg, const struct store_verify_row *v);
struct store_verify_stats {
	int64_t chains, rows, broken;
};
const struct ap_error *store_verify(struct store *s, const char *project,
				    store_verify_fn fn, void *arg,
				    struct store_verify_stats *stats);
/* Compute the chains of rows that have none (a store's migration). */
const struct ap_error *store_chain_fill(struct store *s);
/* The chains of releases and KPI changes, and the reading chains that hold
 * a breach, computed afresh (the migration that covers them). */
const struct ap_error *store_chain_fill_monitor(struct store *s);

/*
 * Reports: each is one query streamed in order, whatever the portfolio's
 * size.  `names` holds `n` project names (in any order; each reported
 * once), or is NULL for every project (closed ones only with `all`).
 */
struct store_roles_row {
	const char *project;
	enum proj_status status;
	const char *stage;
	const char *kind; /* "a" assignment, "c" component, NULL neither */
	const char *role; /* the assigned role, or the component's owner */
	const char *name; /* the person, or the component */
	const char *description; /* the component's */
	const char *title;       /* the assignment's title, or NULL */
};
typedef const struct ap_error *(*store_roles_fn)(
    void *arg, const struct store_roles_row *r);
/* Ordered by project: first a row with kind NULL that starts the
 * project, then its assignments (by role, person), then its components
 * (by owner, name). */
const struct ap_error *store_report_roles(struct store *s,
					  const char *const *names, size_t n,
					  int all, store_roles_fn fn,
					  void *arg);
/* The same for the projects that pass the filter, in its order (names
 * NULL), or for the named ones, by name. */
const struct ap_error *store_report_roles_where(struct store *s,
						const char *const *names,
						size_t n,
						const struct store_filter *f,
						store_roles_fn fn, void *arg);

struct store_status_row {
	const char *project;
	enum proj_status status;
	const char *stage, *entered_at, *status_at;
	int manual_total, manual_done; /* criteria of the current stage */
	enum decision_kind decision;   /* latest kind, or DK_NONE */
	int has_cost, kpis, approvals, back_jumps;
	const char *due; /* the current stage's due date, or NULL */
	/* the distinct roles with people, in no order */
	const char *const *staffed;
	size_t nstaffed;
	/* the distinct roles of the approvals and sign-offs of the current
	 * gate that count (approvals counts them all), in no order */
	const char *const *signed_roles;
	size_t nsigned;
};
typedef const struct ap_error *(*store_status_fn)(
    void *arg, const struct store_status_row *r);
/* Every project but the closed ones (all: every project), by name. */
const struct ap_error *store_report_status(struct store *s, int all,
					   store_status_fn fn, void *arg);
/* The projects that pass the filter, in its order: the sort and the
 * limit are applied before anything else is read. */
const struct ap_error *store_report_status_where(struct store *s,
						 const struct store_filter *f,
						 store_status_fn fn, void *arg);

struct store_people_row {
	const char *person, *project;
	enum proj_status status;
	const char *stage, *role;
	int holders;       /* people holding this role on this project */
	const char *title; /* the assignment's title, or NULL */
};
typedef const struct ap_error *(*store_people_fn)(
    void *arg, const struct store_people_row *r);
/* Ordered by person, project, role. */
const struct ap_error *store_report_people(struct store *s, int all,
					   store_people_fn fn, void *arg);
/* The assignments of the projects that pass the filter (and of the
 * filter's person and role only, when it names them); ordered by person,
 * then in the filter's order, then by role.  `holders` counts every holder
 * of the role, filtered or not. */
const struct ap_error *store_report_people_where(struct store *s,
						 const struct store_filter *f,
						 store_people_fn fn, void *arg);

/* ---- people (schemas/010-person.sql) ---- */

/* A person, as store_person_find() fills it (strings owned, released by
 * store_person_clear()); id 0: nobody. */
struct store_person_rec {
	int64_t id;
	char *name; /* as first written */
	char *email, *handle, *created_at;
};
void store_person_clear(struct store_person_rec *p);
/* The person `name` is (by person_key()), or p->id 0. */
const struct ap_error *store_person_find(struct store *s, const char *name,
					 struct store_person_rec *p);
/* The same, exit 3 when there is none. */
const struct ap_error *store_person_get(struct store *s, const char *name,
					struct store_person_rec *p);
/* The person `name` is, made as written when there is none: *canon is
 * their name as first written (malloc'd). */
const struct ap_error *store_person_ensure(struct store *s, const char *name,
					   const char *at, char **canon);
/* person add: exit 5 when the person exists (whatever the spelling). */
const struct ap_error *store_person_add(struct store *s, const char *name,
					const char *email, const char *handle,
					const char *at, int64_t *id);
/* Set the email and the handle: NULL leaves one, "" clears it. */
const struct ap_error *store_person_set(struct store *s, int64_t id,
					const char *email, const char *handle);
/* Rename: the assignments and the administrator right follow; the old
 * name still finds the person's approvals.  Another person of that name:
 * exit 5. */
const struct ap_error *store_person_rename(struct store *s,
					   const struct store_person_rec *p,
					   const char *name);
/* Merge `from` into `into`: assignments (one where both held a role),
 * administrator right, names and history move; `into` keeps its email and
 * handle, or takes from's; `from` is gone. */
const struct ap_error *store_person_merge(struct store *s,
					  const struct store_person_rec *from,
					  const struct store_person_rec *into);
/* A person's history: kind add, set, rename, merge, reassign
 * (schemas/010-person.sql). */
struct store_person_event {
	const char *kind, *subject, *detail, *actor, *at;
};
const struct ap_error *
store_person_event_add(struct store *s, int64_t person,
		       const struct store_person_event *e);
typedef const struct ap_error *(*store_person_event_fn)(
    void *arg, const struct store_person_event *e);
const struct ap_error *store_person_events(struct store *s, int64_t person,
					   store_person_event_fn fn, void *arg);
/* Every person by key, with the projects and the roles they hold. */
struct store_person {
	int64_t id;
	const char *name, *email, *handle, *created_at;
	int64_t projects, roles;
};
typedef const struct ap_error *(*store_person_fn)(void *arg,
						  const struct store_person *p);
const struct ap_error *store_persons(struct store *s, store_person_fn fn,
				     void *arg);
/* The roles a person (by their name as first written) holds, by project
 * then role. */
struct store_person_role {
	int64_t project_id;
	const char *project;
	enum proj_status status;
	const char *stage, *role, *assigned_at;
	const char *title; /* the assignment's title, or NULL */
};
typedef const struct ap_error *(*store_person_role_fn)(
    void *arg, const struct store_person_role *r);
const struct ap_error *store_person_roles(struct store *s, const char *name,
					  store_person_role_fn fn, void *arg);
/* The approvals given by a person, under any name they had, oldest first. */
struct store_person_approval {
	const char *project, *stage, *role, *person, *note, *at;
};
typedef const struct ap_error *(*store_person_approval_fn)(
    void *arg, const struct store_person_approval *a);
const struct ap_error *store_person_approvals(struct store *s, int64_t person,
					      store_person_approval_fn fn,
					      void *arg);
/* Every person by key with what an export keeps of them: the other names
 * they were written with (by name; not the name they have now) and their
 * history, oldest first (a pass of three statements walked side by side:
 * memory does not grow with the people).  `projects` and `roles` are 0. */
struct store_person_full {
	struct store_person p;
	const char *const *names;
	size_t nnames;
	const struct store_person_event *events;
	size_t nevents;
};
typedef const struct ap_error *(*store_person_full_fn)(
    void *arg, const struct store_person_full *p);
const struct ap_error *store_persons_full(struct store *s,
					  store_person_full_fn fn, void *arg);
/* The greatest id a person has (0: nobody): a person made later has a
 * greater one (an import tells the people it made by it). */
const struct ap_error *store_person_last_id(struct store *s, int64_t *id);
/* The person the name `name` (exactly as written: a name they have or
 * had) finds: their id (0: nobody) and the name they have now (malloc'd,
 * or NULL). */
const struct ap_error *store_person_name_owner(struct store *s,
					       const char *name, int64_t *id,
					       char **now);
/* `name` is not, whatever its case and spacing, a name a person other
 * than `id` had (exit 5 if it is).  A scan of the names: person add and
 * rename, and an import's people, ask it; a role given to someone new
 * does not. */
const struct ap_error *store_person_name_free(struct store *s, const char *name,
					      int64_t id);
/* Remember that person `id` was written `name` (a name nobody has). */
const struct ap_error *store_person_name_add(struct store *s, int64_t id,
					     const char *name);
/* Set when the store first knew the person (import). */
const struct ap_error *store_person_since(struct store *s, int64_t id,
					  const char *at);
/* A store from before people gets one for each name its assignments,
 * approvals and administrators hold (its migration). */
const struct ap_error *store_person_fill(struct store *s);
/*
 * The flow report, in three streams, each one pass over its table: the
 * projects that pass the filter (in no order), then every hold, resume
 * and close event, then every transition, of every project, each stream
 * in the order recorded (the caller keeps those of its projects).
 */
struct store_flow_project {
	int64_t id;
	const char *project;
	enum proj_status status;
	const char *stage, *created_at, *status_at;
};
struct store_flow_item {
	int64_t project_id;
	const char *kind;      /* hold, resume, close; advance, back, forced */
	const char *from, *to; /* a transition's stages, else NULL */
	const char *at;
};
typedef const struct ap_error *(*store_flow_project_fn)(
    void *arg, const struct store_flow_project *p);
typedef const struct ap_error *(*store_flow_item_fn)(
    void *arg, const struct store_flow_item *i);
struct store_flow_fns {
	store_flow_project_fn project;
	store_flow_item_fn change, move;
};
const struct ap_error *store_report_flow_where(struct store *s,
					       const struct store_filter *f,
					       const struct store_flow_fns *fn,
					       void *arg);
/* Every assignment of every project, in no order (the page's one pass
 * over them: it keeps those of its projects). */
struct store_holding {
	int64_t project_id;
	const char *role, *person;
};
typedef const struct ap_error *(*store_holding_fn)(
    void *arg, const struct store_holding *h);
const struct ap_error *store_report_holdings(struct store *s,
					     store_holding_fn fn, void *arg);

/* ---- events the other tables do not keep (aiproj log) ---- */

/* kind: note, hold, resume, close, reopen, unassign, component-add,
 * component-remove, due, handover; subject, detail and note as the kind says
 * (schemas/006-events.sql). */
struct store_event {
	const char *kind, *subject, *detail, *note, *actor, *at;
};
const struct ap_error *store_event_add(struct store *s, int64_t project,
				       const struct store_event *e);
typedef const struct ap_error *(*store_event_fn)(void *arg,
						 const struct store_event *e);
/* Every event of the project, oldest first. */
const struct ap_error *store_events(struct store *s, int64_t project,
				    store_event_fn fn, void *arg);
/* Has any project ever been given a due date (*any)? */
const struct ap_error *store_due_any(struct store *s, int *any);
/* The latest due date set for the project's `stage` (malloc'd), or NULL. */
const struct ap_error *store_due_get(struct store *s, int64_t project,
				     const char *stage, char **due);

/*
 * The timeline: every event the store has of the project `name` (NULL:
 * of every project), ordered by time, then project, then as recorded;
 * only those at `since` or later and before `until` (NULL: no bound).
 * kind: created, advance, back, forced, tick, approve, decide, kpi,
 * reading, assign, and the kinds of store_event.  `subject`, `detail`,
 * `note` and the number (`has_num`, `num`) depend on it.  The actor is
 * NULL where the store has none (created, kpi, assign).
 */
struct store_log_row {
	int64_t id; /* the event's id in the feed (store_feed(); log: 0) */
	const char *at, *project, *kind, *actor, *subject, *detail, *note;
	int has_num;
	double num;
};
typedef const struct ap_error *(*store_log_fn)(void *arg,
					       const struct store_log_row *r);
const struct ap_error *store_log(struct store *s, const char *name,
				 const char *since, const char *until,
				 store_log_fn fn, void *arg);

/* ---- what is live in production, and monitoring (schemas/010) ---- */

/* A release: live while `ended` is NULL, else "superseded" or
 * "retired" by ended_by at ended_at (end_reason: why). */
struct store_release {
	const char *version, *artifact, *digest, *commit, *note, *actor, *at;
	const char *ended, *ended_by, *ended_at, *end_reason;
	const char *hash; /* read: its hash in the project's chain */
};
/* Record r as the project's live release; the live one before it ends as
 * superseded by r's actor at r's time, its version in *superseded
 * (malloc'd; NULL when none was live).  A version taken: exit 5. */
const struct ap_error *store_release_add(struct store *s, int64_t project,
					 const struct store_release *r,
					 char **superseded);
/* End the live release `version` as retired.  No such version: exit 3;
 * one that is not live: exit 4. */
const struct ap_error *store_release_retire(struct store *s, int64_t project,
					    const char *version,
					    const char *actor, const char *at,
					    const char *reason);
typedef const struct ap_error *(*store_release_fn)(
    void *arg, const struct store_release *r);
/* Every release, oldest first. */
const struct ap_error *store_releases(struct store *s, int64_t project,
				      store_release_fn fn, void *arg);
/* Calls fn once with the live release, or not at all. */
const struct ap_error *store_release_live(struct store *s, int64_t project,
					  store_release_fn fn, void *arg);
/* Insert a release as given (import). */
const struct ap_error *store_release_import(struct store *s, int64_t project,
					    const struct store_release *r);

/* A change of a KPI's definition: kind "set" (op and target the new
 * ones) or "remove" (the definition removed); was_op and was_target the
 * definition before. */
struct store_kpi_change {
	const char *kpi, *kind, *op;
	double target;
	const char *was_op;
	double was_target;
	const char *reason, *actor, *at;
	const char *hash; /* read: its hash in the KPI's chain of changes */
};
/* kpi set: a new target.  kpi remove: the KPI is marked removed (its
 * readings are kept; it no longer counts).  Unknown or removed: exit 3. */
const struct ap_error *store_kpi_set(struct store *s, int64_t project,
				     const char *name, const char *op,
				     double target, const char *reason,
				     const char *actor, const char *at);
const struct ap_error *store_kpi_remove(struct store *s, int64_t project,
					const char *name, const char *reason,
					const char *actor, const char *at);
typedef const struct ap_error *(*store_kpi_change_fn)(
    void *arg, const struct store_kpi_change *c);
/* Every change of the project's KPIs, oldest first. */
const struct ap_error *store_kpi_changes(struct store *s, int64_t project,
					 store_kpi_change_fn fn, void *arg);
/* Insert a change as given (import); a remove marks its KPI removed. */
const struct ap_error *
store_kpi_change_import(struct store *s, int64_t project,
			const struct store_kpi_change *c);
/* Every KPI, removed ones too (removed_at set), ordered by name. */
const struct ap_error *store_kpis_every(struct store *s, int64_t project,
					store_kpi_fn fn, void *arg);
/* Record a reading; breach: it missed its target while a release was
 * live.  Unknown KPI: exit 3. */
const struct ap_error *store_kpi_reading_add(struct store *s, int64_t project,
					     const char *name, double value,
					     int breach, const char *actor,
					     const char *at);
/* The same, for an import that has just added the KPI: not looked for
 * first (a missing one fails the KPI's foreign key). */
const struct ap_error *store_kpi_reading_import(struct store *s,
						int64_t project,
						const char *name, double value,
						int breach, const char *actor,
						const char *at);
/* When the project last went back (malloc'd), or NULL. */
const struct ap_error *store_last_back(struct store *s, int64_t project,
				       char **at);

/* Each project with a live release or a breach reading, by name: its
 * live release (version NULL: none) and how many of its KPIs are in open
 * breach (eng_breach_open). */
struct store_monitor_row {
	const char *project, *version, *since;
	int open_breaches;
};
typedef const struct ap_error *(*store_monitor_fn)(
    void *arg, const struct store_monitor_row *r);
const struct ap_error *store_report_monitor(struct store *s,
					    store_monitor_fn fn, void *arg);

/* The marks of the timelines, in no order: every release (breach 0:
 * `what` its version, from `at` to `ended_at`, NULL while live) and every
 * reading that was a breach (breach 1: `what` its KPI, at `at`). */
struct store_mark {
	int64_t project_id;
	int breach;
	const char *what, *at, *ended_at;
};
typedef const struct ap_error *(*store_mark_fn)(void *arg,
						const struct store_mark *m);
const struct ap_error *store_report_marks(struct store *s, store_mark_fn fn,
					  void *arg);

/*
 * Every project's lists read in one pass (export): one statement a list
 * for the whole portfolio, each ordered by project name, read in lockstep
 * with the projects (store_lists_of() for each project of
 * store_lists_projects() or store_project_list(), in their order), inside
 * a transaction.  Projects
 * may be passed over; one asked for out of name order finds its rows
 * already passed.  store_lists_of() gives project p's rows of each list
 * as its own function would (store_decisions(), store_kpis_every(),
 * store_readings(), store_kpi_changes(), store_assignments(),
 * store_components(), store_criteria(), store_approvals(),
 * store_transitions(), store_events(), store_releases()), a list after
 * the other in that order; every callback is required.
 */
struct store_lists;
struct store_lists_fns {
	store_decision_fn decision;
	store_kpi_fn kpi;
	store_reading_fn reading;
	store_kpi_change_fn kpi_change;
	store_assignment_fn assignment;
	store_component_fn component;
	store_criterion_fn criterion;
	store_approval_fn approval;
	store_transition_fn transition;
	store_event_fn event;
	store_release_fn release;
};
const struct ap_error *store_lists_open(struct store *s,
					struct store_lists **out);
const struct ap_error *store_lists_of(struct store_lists *l,
				      const struct store_project *p,
				      const struct store_lists_fns *fns,
				      void *arg);
void store_lists_close(struct store_lists *l); /* takes NULL */
/* Every project, by name (as store_project_list(s, NULL, 1, ...) lists
 * them, read without a filter): fn may take each one's lists. */
const struct ap_error *store_lists_projects(struct store_lists *l,
					    store_project_fn fn, void *arg);

/*
 * The event feed: the events of the timeline, each with its id, unique in
 * the store, given in the order writers commit, never changed nor reused
 * (a criterion ticked again is a new event; a deleted project's events
 * go with it).  Those with an id above `after`, in id order, at most
 * `limit` (0: no limit), of the projects `names` (a list ",a,b,"; NULL:
 * every project) that pass `filter` (NULL: every project; its sort and
 * limit are not used).
 */
struct store_feed_query {
	int64_t after;
	int64_t limit;
	const char *names;
	const struct store_filter *filter;
};
const struct ap_error *store_feed(struct store *s,
				  const struct store_feed_query *q,
				  store_log_fn fn, void *arg);
/*
 * Waiting for the feed, outside any transaction (it holds no lock):
 * store_watch() starts watching for other writers' commits (PostgreSQL:
 * LISTEN aiproj_events; SQLite: the file's data version), then each
 * store_wait() waits up to `ms` (a signal ends it early; SQLite sleeps
 * the whole time) and sets *changed when a writer committed since.
 */
const struct ap_error *store_watch(struct store *s);
const struct ap_error *store_wait(struct store *s, int ms, int *changed);

#endif
