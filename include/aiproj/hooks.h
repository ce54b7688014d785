/*
 * hooks.h - hooks: executable files named after an event, run with the
 * event's JSON payload on standard input (docs/hooks.md).
 *
 * This part knows nothing of the store or the command line: where the
 * hooks folder is, whether an event's hook would run, and running one
 * (fork and exec, no shell) in its own process group under a time limit.
 */
#ifndef AIPROJ_HOOKS_H
#define AIPROJ_HOOKS_H

#include <stddef.h>

#define HOOK_TIMEOUT_DEFAULT 10 /* seconds: $AIPROJ_HOOK_TIMEOUT */
#define HOOK_TIMEOUT_MAX 3600
#define HOOK_ERR_LINES 5        /* lines of a hook's stderr kept */
#define HOOK_ERR_BYTES 1024     /* at most, with them */
#define HOOK_TERM_GRACE_MS 1000 /* from SIGTERM to SIGKILL */

/* The events, in the order `aiproj hooks` lists them. */
extern const char *const hook_events[];
/* Is `name` one of them? */
int hook_event_known(const char *name);

/* Where the hooks folder was found. */
enum hook_source {
	HOOKS_OPTION,  /* --hooks DIR */
	HOOKS_ENV,     /* $AIPROJ_HOOKS */
	HOOKS_XDG,     /* $XDG_CONFIG_HOME/aiproj/hooks */
	HOOKS_HOME,    /* ~/.config/aiproj/hooks */
	HOOKS_NOWHERE, /* none of them is set: no hooks */
};
const char *hook_source_name(enum hook_source s);

/*
 * The hooks folder: `option` (--hooks, or NULL), else $AIPROJ_HOOKS
 * (empty: no hooks), else $XDG_CONFIG_HOME/aiproj/hooks (an absolute
 * $XDG_CONFIG_HOME), else $HOME/.config/aiproj/hooks.  *dir is malloc'd,
 * NULL for HOOKS_NOWHERE.  0, or -1 when out of memory.
 */
int hooks_dir(const char *option, char **dir, enum hook_source *src);

/* Whether an event's hook would run, and why not. */
enum hook_state {
	HOOK_RUNS,
	HOOK_MISSING,        /* no such file (or no folder) */
	HOOK_NOT_EXECUTABLE, /* a file without the execute right */
	HOOK_NOT_REGULAR,    /* a folder, a FIFO, a device ... */
};
const char *hook_state_name(enum hook_state s);
/* The hook of `event` in `dir` (NULL: no folder); *path (malloc'd, may
 * be NULL) names it.  A symbolic link counts as what it points to. */
enum hook_state hook_lookup(const char *dir, const char *event, char **path);

/* How a hook ended. */
struct hook_result {
	int exited;    /* it exited by itself: status is its exit code */
	int status;    /* exit code, or the signal that ended it */
	int timed_out; /* killed (its process group) past the time limit */
	int failed;    /* it could not be started: errno in status */
	char err[HOOK_ERR_BYTES]; /* its stderr's first lines */
};
/* Did it succeed (exit 0 in time)? */
int hook_ok(const struct hook_result *r);
/* What went wrong, in a few words ("exit 1", "killed after 10 s"). */
void hook_describe(const struct hook_result *r, int timeout, char *buf,
		   size_t len);

/*
 * Run the executable `path` without a shell: `payload` (len bytes) on its
 * standard input, its standard output discarded, its standard error kept
 * (the first HOOK_ERR_LINES lines) in r->err, `env` (NAME=VALUE strings,
 * NULL-terminated) added to the environment, no other descriptor of this
 * process inherited.  It runs in a process group of its own; past
 * `timeout` seconds the whole group gets SIGTERM, then after
 * HOOK_TERM_GRACE_MS SIGKILL, and the hook is reaped.  0, or -1 when it
 * could not be started (r->failed, errno in r->status).
 */
int hook_run(const char *path, const char *payload, size_t len,
	     char *const env[], int timeout, struct hook_result *r);

#endif
