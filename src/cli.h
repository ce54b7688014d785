/*
 * cli.h - the command-line front end: context, argument parsing, the
 * command table and helpers shared by the cmd_*.c files.
 */
#ifndef AIPROJ_CLI_H
#define AIPROJ_CLI_H

#include <stdio.h>

#include "aiproj/engine.h"
#include "aiproj/error.h"
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
	/* a refusal by the policy, logged after the command rolled back */
	int refused;
	char refused_action[16];
	char refused_project[NAME_MAX_LEN + 1];
	char refused_stage[NAME_MAX_LEN + 1];
	char refused_detail[1024];
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

typedef const struct ap_error *(*cmd_fn)(struct cli *c, struct args *a);

enum cmd_flags {
	CMD_WRITE = 1 << 0,   /* runs in BEGIN IMMEDIATE */
	CMD_CREATES = 1 << 1, /* may create a missing store (else: empty) */
	CMD_HIDDEN = 1 << 2,  /* not listed by --help (__complete) */
};


struct command {
	const char *group;       /* "project", or a lone command: "init" */
	const char *verb;        /* "create", or NULL for a lone command */
	const char *usage;       /* arguments after the command words */
	const char *summary;     /* one line */
	const char *example;     /* a full command line */
	const char *const *opts; /* "name=" takes a value, "name" a flag */
	int minpos, maxpos;      /* positional arguments (-1: no limit) */
	int flags;               /* enum cmd_flags */
	int formats;             /* FMT_* accepted */
	cmd_fn fn;
	/*
	 * Checked before the store is opened, one letter per positional:
	 * N a new project name, K a KPI name, C a component name, P a
	 * person, i a positive id, v a number, T a text, - anything.
	 */
	const char *argtypes;
};

extern const struct command commands[];
/* The global options, in the form of struct command's opts. */
extern const char *const global_opts[];

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
};

/* Load project `name` with the manual criteria of `stage` (-1: the
 * current stage).  Dispose with pstate_free(). */
const struct ap_error *pstate_load(struct cli *c, const char *name, int stage,
				   struct pstate *ps);
void pstate_free(struct pstate *ps);
/* Is `person` assigned to role `role` in ps? */
int pstate_holds(const struct pstate *ps, int role, const char *person);

/* Read a whole file ("-": standard input) of at most 16 MiB, NUL-
 * terminated; the caller frees *buf.  Missing: exit 3; else exit 6. */
const struct ap_error *read_input(const char *path, char **buf, size_t *len);

/* Check the positionals (argtypes) and the common options' values. */
const struct ap_error *prevalidate(const struct command *cmd,
				   const struct args *a);

/* Under policy "roles", may the actor do `action` (enum policy_action)?
 * A refusal is remembered in c for the audit log. */
const struct ap_error *check_policy(struct cli *c, const struct pstate *ps,
				    int action);

/* Check a policy name: open or roles (else exit 2). */
const struct ap_error *policy_parse(const char *v);

/* Refuse changes to a closed project (exit 4). */
const struct ap_error *check_not_closed(const struct store_project *p,
					const char *doing);

/* Parse a number argument strictly (exit 2 naming `what`). */
const struct ap_error *parse_number(const char *what, const char *s, double *v);

/* Start a JSON or YAML document (per c->format) with "aiproj": 1. */
void out_doc(struct cli *c, struct jw *w);

/* Text output helpers. */
void out_gate_text(struct cli *c, const struct gate *g);
void out_gate_json(struct cli *c, struct jw *w, const struct gate *g);

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
 * cmd_export.c, report lifecycle in cmd_report_lifecycle.c). */
const struct ap_error *cmd_init(struct cli *, struct args *);
const struct ap_error *cmd_policy_show(struct cli *, struct args *);
const struct ap_error *cmd_policy_set(struct cli *, struct args *);
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
const struct ap_error *cmd_stage_history(struct cli *, struct args *);
const struct ap_error *cmd_stage_check(struct cli *, struct args *);
const struct ap_error *cmd_gate_show(struct cli *, struct args *);
const struct ap_error *cmd_gate_add(struct cli *, struct args *);
const struct ap_error *cmd_gate_done(struct cli *, struct args *);
const struct ap_error *cmd_gate_reopen(struct cli *, struct args *);
const struct ap_error *cmd_gate_approve(struct cli *, struct args *);
const struct ap_error *cmd_decide(struct cli *, struct args *);
const struct ap_error *cmd_kpi_add(struct cli *, struct args *);
const struct ap_error *cmd_kpi_record(struct cli *, struct args *);
const struct ap_error *cmd_kpi_list(struct cli *, struct args *);
const struct ap_error *cmd_role_list(struct cli *, struct args *);
const struct ap_error *cmd_role_assign(struct cli *, struct args *);
const struct ap_error *cmd_role_unassign(struct cli *, struct args *);
const struct ap_error *cmd_role_show(struct cli *, struct args *);
const struct ap_error *cmd_component_add(struct cli *, struct args *);
const struct ap_error *cmd_component_list(struct cli *, struct args *);
const struct ap_error *cmd_component_remove(struct cli *, struct args *);
const struct ap_error *cmd_report_roles(struct cli *, struct args *);
const struct ap_error *cmd_report_people(struct cli *, struct args *);
const struct ap_error *cmd_report_status(struct cli *, struct args *);
const struct ap_error *cmd_report_lifecycle(struct cli *, struct args *);
const struct ap_error *cmd_report_page(struct cli *, struct args *);
const struct ap_error *cmd_report_timeline(struct cli *, struct args *);
const struct ap_error *cmd_complete(struct cli *, struct args *);
const struct ap_error *cmd_export(struct cli *, struct args *);
const struct ap_error *cmd_import(struct cli *, struct args *);

#endif
