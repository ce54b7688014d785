/*
 * error.h - the one error value of aiproj.
 *
 * Every fallible function returns `const struct ap_error *`: NULL on success,
 * otherwise an error carrying a message and the process exit code.  Errors
 * live in a small static ring owned by error.c; nobody frees one, and only
 * main() prints it and exits.
 */
#ifndef AIPROJ_ERROR_H
#define AIPROJ_ERROR_H

/* The exit codes (README.md, aiproj(1) EXIT STATUS). */
enum ap_exit {
	AP_EXIT_OK = 0,
	AP_EXIT_FALSE = 1,    /* stage check: a condition does not hold */
	AP_EXIT_USAGE = 2,    /* unknown command/option, malformed argument */
	AP_EXIT_NOTFOUND = 3, /* project, stage, role, person, criterion, KPI */
	AP_EXIT_REFUSED = 4,  /* refused by the lifecycle */
	AP_EXIT_CONFLICT = 5, /* --expect mismatch, name taken */
	AP_EXIT_INPUT = 6,    /* bad input file */
	AP_EXIT_STORE = 7,    /* store cannot be opened, is foreign, corrupt */
	/* temporarily unavailable, try again: the store busy past the
	 * timeout, a server that refuses, drops or shuts down the
	 * connection.  Nothing was changed. */
	AP_EXIT_UNAVAILABLE = 8,
	/* done, but a post-hook failed (under --strict-hooks) */
	AP_EXIT_HOOK = 9,
};

struct ap_error {
	int code;  /* an enum ap_exit value */
	char *msg; /* may hold several lines; no trailing newline */
};

/* Build an error with a printf-style message. Never returns NULL. */
const struct ap_error *ap_error_fmt(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* An error for errno after a failed call: "<what> 'path': strerror". */
const struct ap_error *ap_error_errno(int code, const char *what,
				      const char *path);

/* An out-of-memory error (exit 7): cannot itself fail. */
const struct ap_error *ap_error_nomem(void);

/* Release every error still held (called once by main before exit). */
void ap_error_cleanup(void);

#endif
