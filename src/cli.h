/*
 * cli.h - the command-line front end: context, argument parsing, the
 * command table and helpers shared by the cmd_*.c files.
 */
#ifndef AIPROJ_CLI_H
#define AIPROJ_CLI_H

#include <stdio.h>

#include "aiproj/engine.h"
#include "aiproj/error.h"
#include "aiproj/hooks.h"
#include "aiproj/lifecycle.h"
#include "aiproj/output.h"
#include "aiproj/store.h"
#include "aiproj/util.h"

#define ARGS_MAX 64  /* options on one command line */
#define POS_MAX 4096 /* positionals (project names for reports, export) */

struct cli {
	const char *db;    /* --db / AIPROJ_DB / default */
	int db_default;    /* the path is the default location */
	int format;        /* FMT_* */
	const char *actor; /* resolved and validated */
	char *actor_owned; /* the store's authenticated user, if it has one */
	int quiet;
	int color;
	struct store *store;
	struct lifecycle lc;
	FILE *out; /* where results go; buffered until commit for writes */
	const struct command *cmd;
	char now[32];      /* one time stamp for the whole command */
	int policy_roles;  /* meta 'policy' is "roles" */
	int rollback_only; /* a dry run: print, but do not commit */
	int trial; /* a trial run on an empty in-memory store (main.c) */
	/* a refusal by the policy, logged after the command rolled back */
	int refused;
	char refused_action[32];
	char refused_project[NAME_MAX_LEN + 1];
	char refused_stage[NAME_MAX_LEN + 1];
	char refused_detail[1024];
	/* admin add on a store without administrators: logged as a claim */
	int claimed;
	struct cli_hooks {
		const char *option; /* --hooks DIR, or NULL */
		int strict;         /* --strict-hooks */
		int off;            /* import without --hooks */
		char *dir;          /* the folder, or NULL: no hooks */
		enum hook_source src;
		int timeout; /* seconds */
		struct hook_pending {
			char *event, *project, *payload;
			size_t len;
		} * q; /* fired by the command, run at COMMIT */
		size_t nq;
		struct sbuf warn; /* post-hook failures, for main to print */
	} hooks;
};

struct args {
	const char *pos[POS_MAX];
	int npos;
	struct {
		const char *name;
		const char *val; /* "" for flags */
	} opt[ARGS_MAX];
	int nopt;
};

/* The value of option `name`, or NULL when not given. */
const char *opt_val(const struct args *a, const char *name);
int opt_has(const struct args *a, const char *name);

/*
 * The command line (cmdline.c): the global options, the command (into
 * c->cmd), its arguments into a, checked as far as they can be before the
 * store opens, and what the environment sets.  *done when there was
 * nothing more to do (help, --version).
 */
const struct ap_error *cli_read_command_line(struct cli *c, int argc,
					     char **argv, struct args *a,
					     int *done);
/* Errors are to be written as JSON (--format json, as far as read). */
int cli_json_errors(void);
/* --format github was given: an error is also a GitHub Actions ::error
 * annotation on standard output (main). */
int cli_github_errors(void);
/* s escaped for a GitHub Actions workflow command (% CR LF). */
void gh_escape(FILE *f, const char *s);
/* $AIPROJ_BUSY_TIMEOUT: how long to wait for a busy store, in ms. */
const struct ap_error *cli_busy_timeout(int *ms);

typedef const struct ap_error *(*cmd_fn)(struct cli *c, struct args *a);

typedef const struct ap_error *(*check_fn)(const char *what, const char *v);

/* What a type means: its placeholder, the noun its messages use, its
 * only values, and the check made before the store opens. */
struct typeinfo {
	const char *meta;
	const char *what;
	int choices; /* the placeholder lists the only values: "a|b" */
	int number;  /* see "Numbers" in aiproj(1) */
	check_fn check;
};


enum cmd_flags {
	CMD_WRITE = 1 << 0,   /* runs in BEGIN IMMEDIATE */
	CMD_CREATES = 1 << 1, /* may create a missing store (else: empty) */
	CMD_HIDDEN = 1 << 2,  /* not listed by --help (__complete) */
	CMD_SERVER = 1 << 3,  /* a PostgreSQL store's only: exit 2 on SQLite */
	CMD_NOSTORE = 1 << 4, /* opens no store (hooks) */
	CMD_BULK = 1 << 5,    /* writes many rows: store_open()'s STORE_BULK */
};

/*
 * What an argument or an option's value is.  The types up to AT_CHECKED
 * are checked before the store opens (prevalidate), in this order; the
 * others need the store (a project must exist, a stage is the store
 * lifecycle's) and are checked by the command.
 */
enum argtype {
	AT_NEW_PROJECT,   /* a new project's name */
	AT_NEW_KPI,       /* a new KPI's name */
	AT_NEW_COMPONENT, /* a new component's name */
	AT_COMPONENT,     /* a component of the project */
	AT_PERSON,        /* a person's name */
	AT_CRITERION_ID,  /* a manual criterion of the project */
	AT_KPI_VALUE,     /* a number */
	AT_TEXT,          /* reason, criterion text: not empty */
	AT_NOTE,          /* note, description: may be empty */
	AT_COST,          /* a number, not negative */
	AT_TARGET,        /* 'OP NUMBER' */
	AT_DATE,          /* a day: YYYY-MM-DD */
	AT_LIFECYCLE,     /* a lifecycle file */
	AT_POLICY,        /* open|roles */
	AT_DECISION,      /* make|buy */
	AT_PERIOD,        /* week|month */
	AT_STATUS_SET,    /* active|on-hold|closed|all */
	AT_SORT,          /* [-]FIELD[,[-]FIELD] */
	AT_LIMIT,         /* a count, at least 1 */
	AT_DAYS,          /* a number of days */
	AT_EMAIL,         /* a person's email address ('' clears it) */
	AT_HANDLE,        /* a person's handle ('' clears it) */
	AT_COUNT_OVER,    /* a count, 0 or more */
	AT_VERSION,       /* a release's version */
	AT_URI,           /* an artifact: SCHEME:REST */
	AT_DIGEST,        /* ALGO:HEX */
	AT_COMMIT,        /* a commit: hex digits */
	AT_EVENT_ID,      /* an event's id in the feed, 0 or more */
	AT_CHECKED = AT_EVENT_ID,
	AT_PROJECT, /* a project in the store */
	AT_STAGE,   /* a stage of the store's lifecycle */
	AT_ROLE,    /* a role of the store's lifecycle */
	AT_KPI,     /* a KPI of the project */
	AT_FILE,    /* a file to read or write */
	AT_FORMAT,  /* an output format of the command */
	AT_ACTOR,   /* who acts: checked with the store's user */
	AT_LISTING, /* what __complete lists */
	AT_WORD,    /* anything */
	AT_FLAG,    /* an option without a value */
	AT_COUNT
};

/* struct argdesc's flags: what an argument is wherever it is used */
enum arg_flags {
	ARG_SYNOPSIS = 1 << 0, /* a global option in the one-line synopsis */
	ARG_LAST = 1 << 1,     /* a global option listed last by --help */
	/* a flag that may take a value after "=" (--live[=VERSION]) */
	ARG_OPTVAL = 1 << 2,
};

/* A positional argument ("PROJECT") or an option ("--reason"). */
struct argdesc {
	const char *name;  /* "PROJECT", or "--reason" for an option */
	enum argtype type; /* AT_FLAG: an option without a value */
	char short_name;   /* 'o' for -o (usages show the short form) */
	int flags;         /* enum arg_flags */
	const char *meta;  /* the value's placeholder, if not the type's */
	const char *what;  /* the noun in messages, if not the type's */
	const char *help;  /* a global option's line in --help */
};

/* struct argref's flags: how one command uses an argument */
enum argref_flags {
	REF_OPTIONAL = 1 << 0, /* a positional that may be left out: [NAME] */
	REF_REPEATS = 1 << 1,  /* the last positional, any number: NAME... */
	REF_REQUIRED = 1 << 2, /* an option the command needs (no brackets) */
	REF_CONFIRM = 1 << 3,  /* no brackets, but the command asks for it */
};

/* An argument of one command, in the order of its usage line. */
struct argref {
	const struct argdesc *d; /* NULL ends the list */
	int flags;               /* enum argref_flags */
	/* for REF_REQUIRED: after "COMMAND needs --opt VALUE" when left out */
	const char *why;
	/* for REF_REQUIRED: not needed when this option (no dashes) is
	 * given; the usage shows it in brackets */
	const char *unless;
};

struct command {
	const char *group;         /* "project", or a lone command: "init" */
	const char *verb;          /* "create", or NULL for a lone command */
	const struct argref *args; /* positionals and options, usage order */
	const char *summary;       /* one line */
	const char *example;       /* a full command line */
	int flags;                 /* enum cmd_flags */
	int formats;               /* FMT_* accepted */
	cmd_fn fn;
};

extern const struct command commands[];
/* The options every command takes, anywhere on the line. */
extern const struct argdesc global_opts[];

/* The usage line of a command: the arguments after its words. */
void usage_args(const struct command *cmd, char *buf, size_t len);
/* The positionals it needs at least and takes at most (-1: no limit). */
int cmd_minpos(const struct command *cmd);
int cmd_maxpos(const struct command *cmd);
/* The positional number `idx` (the repeated last one), or NULL. */
const struct argdesc *cmd_positional(const struct command *cmd, int idx);
/* The option `name` (without dashes or value; is_short: the one-letter
 * form) of cmd, or a global one (cmd NULL: only those), or NULL. */
const struct argdesc *opt_find(const struct command *cmd, const char *name,
			       int is_short);
/* An argument's placeholder: a positional's name, an option's value
 * ("STAGE", "make|buy"). */
const char *arg_meta(const struct argdesc *d);
/* Its only values ("make|buy"), or NULL. */
const char *arg_choices(const struct argdesc *d);
/* The global options of the synopsis: "[--db PATH] ... [-q]" with
 * brackets, else "--db PATH ... -q". */
void global_synopsis(char *buf, size_t len, int brackets);

/* Print the usage of everything, of a group, or of one command. */
void usage_all(FILE *f);
void usage_cmd(FILE *f, const struct command *cmd);
void usage_group(FILE *f, const char *group);
/* verb NULL: a lone command, else the command with this exact verb. */
const struct command *command_find(const char *group, const char *verb);
/* The first command of a group of verbs, or NULL: is `group` one? */
const struct command *command_group(const char *group);

/* Stage name for output (slug). */
const char *stage_slug(const struct cli *c, int idx);

/* A project's state as the engine sees it, plus what built it. */
struct pstate {
	struct store_project p;
	struct eng_project e;
	struct eng_criterion *crit;
	size_t ncrit;
	char **owned; /* strings the criteria point to */
	size_t nowned;
	struct pstate_person {
		int role;
		char *person;
	} * people;
	size_t npeople;
	/* when each stage open early was started (e.open), else NULL */
	const char *started_at[LC_MAX_STAGES];
};

/*
 * The one adapter from the store's rows to the engine's state: the
 * project's name, status and stage (exit 7 when the store's lifecycle has
 * no such stage), the roles with people (row->staffed, comma-separated;
 * roles the lifecycle lacks are ignored), the counts of the current
 * stage's manual criteria, the latest decision, KPIs and approvals.  Fields
 * the row leaves zero stay zero, for the caller to fill in.
 */
const struct ap_error *state_from_row(const struct lifecycle *lc,
				      const struct store_status_row *row,
				      struct eng_project *e);

/* The time of a command that writes to project `project`: c->now, or
 * the project's latest stamp when later (eng_project_time()).
 * cli_project_clock() sets c->now to it; cli_project_get() is
 * store_project_get() and then that. */
const struct ap_error *cli_project_now(struct cli *c, int64_t project,
				       char now[32]);
const struct ap_error *cli_project_clock(struct cli *c, int64_t project);
const struct ap_error *cli_project_get(struct cli *c, const char *name,
				       struct store_project *p);

/* Load project `name` with the manual criteria of `stage` (-1: the
 * current stage), through state_from_row(), and the stages open early
 * (its history replayed).  Dispose with pstate_free(). */
const struct ap_error *pstate_load(struct cli *c, const char *name, int stage,
				   struct pstate *ps);
void pstate_free(struct pstate *ps);

/* A project's KPIs with their open breaches (eng_breach_open), for stage
 * back --breach and stage check --kpis (cmd_stage.c).  Dispose with
 * kpi_list_free(). */
struct kpi_list {
	struct eng_kpi *k;
	size_t n;
	char *last_back; /* the latest back-jump, or NULL */
	int closed;      /* the project is closed: no breach is open */
};
const struct ap_error *
kpi_list_load(struct cli *c, const struct store_project *p, struct kpi_list *l);
void kpi_list_free(struct kpi_list *l);
/* Is `person` assigned to role `role` in ps? */
int pstate_holds(const struct pstate *ps, int role, const char *person);

/* Read a whole file ("-": standard input) of at most 16 MiB, NUL-
 * terminated; the caller frees *buf.  Missing: exit 3; else exit 6. */
const struct ap_error *read_input(const char *path, char **buf, size_t *len);

/* What type t means (cmdtable.c). */
const struct typeinfo *cmd_type_info(enum argtype t);

/* Check what the command table says of the arguments: each value by its
 * type (AT_NEW_PROJECT .. AT_CHECKED), then the required options. */
const struct ap_error *prevalidate(const struct command *cmd,
				   const struct args *a);

/* The filter options read into a store filter (filter.c). */
struct cli_filter {
	struct store_filter f;
	const char *stages[LC_MAX_STAGES];
	const char *order[LC_MAX_STAGES];
	char stale[32];
};
/* --stage (repeatable), --status, --all, --person, --role, --stale,
 * --sort and --limit; named: the command names its projects (shown
 * whatever their status unless --status says).  Unknown values: exit 2,
 * the valid ones listed. */
const struct ap_error *filter_from_args(struct cli *c, const struct args *a,
					int named, struct cli_filter *cf);
/* The --sort fields, by enum store_sort, and as one line for messages. */
extern const char *const sort_fields[SORT_COUNT];
const char *sort_fields_list(void);
const struct ap_error *filter_sort_parse(const char *v,
					 int keys[STORE_SORT_KEYS]);
const struct ap_error *filter_status_check(const char *v);

/* Under policy "roles", may the actor run c->cmd (a writing command)
 * with these arguments?  The command's rule in the engine's table
 * (auth_rules) decides; a refusal is remembered in c for the audit log. */
const struct ap_error *authorize(struct cli *c, const struct args *a);
/* Remember a refusal for the audit log. */
void note_refusal(struct cli *c, const char *action, const char *project,
		  const char *stage, const char *detail);
/* Record the refusal remembered in c in c->store's audit log, in a
 * transaction of its own (any open one rolled back first); a failure is a
 * warning on standard error. */
void refusal_log(struct cli *c);
/* The administrator who is `person` (person_same(): whatever the case and
 * spacing), as the store writes them (*stored malloc'd; NULL when the
 * person is none); how many rows the store has (*count) and how many of
 * them are that person (*same: more than one only in a store written
 * before administrators were compared as people); either may be NULL. */
const struct ap_error *admin_find(struct store *s, const char *person,
				  char **stored, int *count, int *same);

/* Parse a number argument strictly (exit 2 naming `what`). */
const struct ap_error *parse_number(const char *what, const char *s, double *v);

/* Start a JSON or YAML document (per c->format) with "aiproj": 1. */
void out_doc(struct cli *c, struct jw *w);
/* The same, then the project's name and stage. */
void out_project_doc(struct cli *c, struct jw *w,
		     const struct store_project *p);

/*
 * A listing of one project's items (component list, role show, kpi list):
 * as JSON or YAML the document {project, KEY: [an object an item]}, else
 * a table of ncols columns.  listing_begin() writes the head; a row
 * callback writes an object into w when listing_doc(), else a table_row()
 * into t, and counts it in n; listing_end() closes the document or the
 * table, and in text says `none` (a format of the project's name) when
 * there were no rows.  It returns err, the listing's.
 */
struct listing {
	struct cli *c;
	struct jw w;
	struct table t;
	int n; /* rows written */
};
void listing_begin(struct listing *l, struct cli *c, const char *project,
		   const char *key, int ncols, const char *const *head,
		   const int *width);
int listing_doc(const struct listing *l);
const struct ap_error *listing_end(struct listing *l,
				   const struct ap_error *err, const char *none,
				   const char *project);

/* The project's live release (cmd_release.c): *version and *since
 * malloc'd, or NULL when none is live.  live_json writes the key "live":
 * {version, since} or null. */
const struct ap_error *live_get(struct cli *c, int64_t project, char **version,
				char **since);
void live_json(struct jw *w, const char *version, const char *since);

/* The portfolio's live releases and open breaches (cmd_release.c), for
 * report status: loaded once, found by project name. */
struct monitor {
	struct monitor_row {
		char *project, *version, *since;
		int open_breaches;
	} * rows;
	size_t n;
};
const struct ap_error *monitor_load(struct cli *c, struct monitor *m);
const struct monitor_row *monitor_find(const struct monitor *m,
				       const char *project);
/* JSON: the keys "live" ({version, since} or null) and "open_breaches";
 * text: the line "  PROJECT  live: VERSION (since DATE), N open
 * breaches" when there is something to say. */
void monitor_json(struct jw *w, const struct monitor_row *r);
void monitor_text(struct sbuf *b, const struct monitor_row *r);
void monitor_free(struct monitor *m);

/*
 * Hooks (cmd_hooks.c, docs/hooks.md).  A command fires its event with
 * one call, hook_fire(c, "move", project, fields, arg): the hook
 * pre-EVENT (where there is one) runs before COMMIT and refuses the
 * command when it fails; post-EVENT runs after COMMIT, and its failure is
 * a warning.  A full name ("post-move") fires that hook alone.  `fields` writes the event's own keys into the payload, the
 * same as the command's --format json output; the payload starts with
 * aiproj, event, project, actor and at.  Nothing is fired on a trial run,
 * a dry run, or an import without --hooks.
 */
typedef void (*hook_fields_fn)(struct jw *w, const void *arg);
const struct ap_error *hook_fire(struct cli *c, const char *event,
				 const char *project, hook_fields_fn fields,
				 const void *arg);
/* Fire post-role for a change of a role's holders on `project`: `person`
 * assigned to `role` (assigned 1) or taken off it (0) (cmd_role.c; role
 * assign and unassign, role reassign, person merge). */
const struct ap_error *role_hook(struct cli *c, const char *project,
				 const char *role, const char *person,
				 int assigned);
/* --hooks, --strict-hooks and $AIPROJ_HOOK_TIMEOUT (main's setup). */
const struct ap_error *hooks_setup(struct cli *c, const struct args *a);
/* Run the pre-hooks fired so far: the first that fails refuses (exit 4,
 * its first lines of stderr in the message). */
const struct ap_error *hooks_run_pre(struct cli *c);
/* Run the post-hooks after COMMIT; failures are kept as warnings. */
void hooks_run_post(struct cli *c);
/* Forget what was fired (a rolled-back command). */
void hooks_clear(struct cli *c);
/* After the command: under --strict-hooks a failed post-hook is exit 9;
 * else *warning is the warnings' text for stderr (or NULL). */
const struct ap_error *hooks_after(struct cli *c, const char **warning);
/* Free what hooks_setup() and the queue hold. */
void hooks_free(struct cli *c);

/* Text output helpers. */
void out_gate_text(struct cli *c, const struct gate *g);
void out_gate_json(struct cli *c, struct jw *w, const struct gate *g);
/* Who did each item of a gate (gate show), by item: who ticked a manual
 * criterion and when, and for the approval item every approval given
 * since the project entered the stage. */
struct gate_approver {
	char *person, *role, *at;
};
struct gate_who {
	char *by, *at; /* a ticked criterion, or NULL */
	char *note;    /* its gate done --note, or NULL */
	struct gate_approver *approvals;
	size_t napprovals;
};
/* The same as out_gate_text and out_gate_json, with who (NULL: none). */
void out_gate_text_who(struct cli *c, const struct gate *g,
		       const struct gate_who *who);
void out_gate_json_who(struct cli *c, struct jw *w, const struct gate *g,
		       const struct gate_who *who);

/*
 * Where `-o PATH` writes (export, report page).  A new name or a regular
 * file is replaced through a 0600 temporary file renamed into place, so a
 * reader never sees half a file and a failure leaves nothing; a symbolic link is followed
 * (a chain, or one that names a file yet to be made) and its target is
 * replaced, never the link.  A FIFO or a character device (a terminal,
 * /dev/null, /dev/stdout) is written through as a stream, and so is the
 * file that standard output or standard error already is.  The store and
 * its -wal, -shm and -journal files are refused before anything is written.
 */
struct output {
	const char *path; /* as given */
	char *target;     /* the name the links end at (replace) */
	char *tmp;        /* the temporary file (replace) */
	FILE *f;
	int fd;
	int err; /* why a write failed */
};
/* Open o->path (set by the caller) for writing; the store is refused. */
const struct ap_error *open_output(const struct cli *c, struct output *o);
/* Finish the output: flushed, and the temporary file synced and renamed
 * over the target when `ok`, else removed.  The caller frees o->target
 * and o->tmp. */
const struct ap_error *close_output(struct output *o, int ok);

/* Command handlers, by file: cmd_GROUP.c holds the commands of GROUP
 * (cmd_init.c, cmd_policy.c, cmd_project.c, ...; export and import in
 * cmd_export.c, report lifecycle in cmd_report_lifecycle.c, report page in
 * cmd_report_page.c (its charts in cmd_report_page_svg.c), report timeline
 * in cmd_report_timeline.c, the stage visits both draw in
 * cmd_report_visits.c, report flow in cmd_report_flow.c). */
const struct ap_error *cmd_init(struct cli *, struct args *);
const struct ap_error *cmd_policy_show(struct cli *, struct args *);
const struct ap_error *cmd_policy_set(struct cli *, struct args *);
const struct ap_error *cmd_policy_rules(struct cli *, struct args *);
const struct ap_error *cmd_admin_add(struct cli *, struct args *);
const struct ap_error *cmd_admin_remove(struct cli *, struct args *);
const struct ap_error *cmd_admin_list(struct cli *, struct args *);
const struct ap_error *cmd_member_add(struct cli *, struct args *);
const struct ap_error *cmd_member_remove(struct cli *, struct args *);
const struct ap_error *cmd_member_list(struct cli *, struct args *);
const struct ap_error *cmd_project_create(struct cli *, struct args *);
const struct ap_error *cmd_project_list(struct cli *, struct args *);
const struct ap_error *cmd_project_show(struct cli *, struct args *);
const struct ap_error *cmd_project_rename(struct cli *, struct args *);
const struct ap_error *cmd_project_hold(struct cli *, struct args *);
const struct ap_error *cmd_project_resume(struct cli *, struct args *);
const struct ap_error *cmd_project_close(struct cli *, struct args *);
const struct ap_error *cmd_project_delete(struct cli *, struct args *);
const struct ap_error *cmd_stage_list(struct cli *, struct args *);
const struct ap_error *cmd_stage_show(struct cli *, struct args *);
const struct ap_error *cmd_stage_advance(struct cli *, struct args *);
const struct ap_error *cmd_stage_back(struct cli *, struct args *);
const struct ap_error *cmd_stage_start(struct cli *, struct args *);
const struct ap_error *cmd_stage_history(struct cli *, struct args *);
const struct ap_error *cmd_stage_due(struct cli *, struct args *);
const struct ap_error *cmd_log(struct cli *, struct args *);
const struct ap_error *cmd_note(struct cli *, struct args *);
const struct ap_error *cmd_events(struct cli *, struct args *);
/* What an event of the timeline did, in words: "feasibility -> ..."
 * (a buy's skipped stages named: lc, the store's lifecycle). */
void log_what(struct sbuf *b, const struct lifecycle *lc,
	      const struct store_log_row *r);
/* The stages a transition of `kind` from `from` to `to` skipped (a buy's,
 * cmd_decide.c): JSON key "skipped" (a list) on a buy only; text "A, B"
 * appended to b, 0 when none. */
void skipped_json(struct jw *w, const struct lifecycle *lc, const char *kind,
		  const char *from, const char *to);
int skipped_text(struct sbuf *b, const struct lifecycle *lc, const char *kind,
		 const char *from, const char *to);
/* A log row's keys after "id" (at, project, event, actor, subject,
 * detail, value, what, note), and its LOG_CELLS text cells (AT, PROJECT,
 * EVENT, ACTOR, WHAT, NOTE): one shape for `log` and `events`. */
#define LOG_CELLS 6
void log_row_keys(struct jw *w, const struct store_log_row *r,
		  const char *what);
void log_row_cells(const char **cells, const struct store_log_row *r,
		   const char *what);
const struct ap_error *cmd_stage_check(struct cli *, struct args *);
const struct ap_error *cmd_verify(struct cli *, struct args *);
const struct ap_error *cmd_gate_show(struct cli *, struct args *);
const struct ap_error *cmd_gate_add(struct cli *, struct args *);
const struct ap_error *cmd_gate_done(struct cli *, struct args *);
const struct ap_error *cmd_gate_reopen(struct cli *, struct args *);
const struct ap_error *cmd_gate_approve(struct cli *, struct args *);
const struct ap_error *cmd_decide(struct cli *, struct args *);
const struct ap_error *cmd_kpi_add(struct cli *, struct args *);
const struct ap_error *cmd_kpi_record(struct cli *, struct args *);
const struct ap_error *cmd_kpi_list(struct cli *, struct args *);
const struct ap_error *cmd_kpi_history(struct cli *, struct args *);
const struct ap_error *cmd_kpi_set(struct cli *, struct args *);
const struct ap_error *cmd_kpi_remove(struct cli *, struct args *);
const struct ap_error *cmd_release_add(struct cli *, struct args *);
const struct ap_error *cmd_release_list(struct cli *, struct args *);
const struct ap_error *cmd_release_retire(struct cli *, struct args *);
const struct ap_error *cmd_role_list(struct cli *, struct args *);
const struct ap_error *cmd_role_assign(struct cli *, struct args *);
const struct ap_error *cmd_role_unassign(struct cli *, struct args *);
const struct ap_error *cmd_role_show(struct cli *, struct args *);
const struct ap_error *cmd_role_reassign(struct cli *, struct args *);
const struct ap_error *cmd_person_add(struct cli *, struct args *);
const struct ap_error *cmd_person_set(struct cli *, struct args *);
const struct ap_error *cmd_person_list(struct cli *, struct args *);
const struct ap_error *cmd_person_show(struct cli *, struct args *);
const struct ap_error *cmd_person_rename(struct cli *, struct args *);
const struct ap_error *cmd_person_merge(struct cli *, struct args *);
const struct ap_error *cmd_component_add(struct cli *, struct args *);
const struct ap_error *cmd_component_list(struct cli *, struct args *);
const struct ap_error *cmd_component_remove(struct cli *, struct args *);
const struct ap_error *cmd_component_handover(struct cli *, struct args *);
/* A person as reports show them: "Ana Lima (requester)" when the
 * assignment has a title, else the name (b's text; NULL on no memory). */
void person_titled(struct sbuf *b, const char *person, const char *title);
const struct ap_error *cmd_report_roles(struct cli *, struct args *);
const struct ap_error *cmd_report_people(struct cli *, struct args *);
const struct ap_error *cmd_report_status(struct cli *, struct args *);
const struct ap_error *cmd_report_gaps(struct cli *, struct args *);
const struct ap_error *cmd_report_flow(struct cli *, struct args *);
const struct ap_error *cmd_report_lifecycle(struct cli *, struct args *);
const struct ap_error *cmd_report_page(struct cli *, struct args *);
const struct ap_error *cmd_report_timeline(struct cli *, struct args *);
const struct ap_error *cmd_complete(struct cli *, struct args *);
const struct ap_error *cmd_export(struct cli *, struct args *);
const struct ap_error *cmd_import(struct cli *, struct args *);
const struct ap_error *cmd_copy(struct cli *, struct args *);
const struct ap_error *cmd_hooks(struct cli *, struct args *);

#endif
