/* error.c - the one error value: a ring of recent errors owned here. */
#include "aiproj/error.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RING 8

static struct ap_error ring[RING];
static unsigned next;
static struct ap_error nomem = {AP_EXIT_STORE, "out of memory"};

static const struct ap_error *
ring_put(int code, char *msg)
{
	struct ap_error *e = &ring[next++ % RING];

	free(e->msg);
	e->code = code;
	e->msg = msg;
	return e;
}

const struct ap_error *
ap_error_fmt(int code, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return &nomem;
	return ring_put(code, msg);
}

const struct ap_error *
ap_error_errno(int code, const char *what, const char *path)
{
	int saved = errno;

	return ap_error_fmt(code, "%s '%s': %s", what, path, strerror(saved));
}

const struct ap_error *
ap_error_nomem(void)
{
	return &nomem;
}

void
ap_error_cleanup(void)
{
	for (unsigned i = 0; i < RING; i++) {
		free(ring[i].msg);
		ring[i].msg = NULL;
	}
}
