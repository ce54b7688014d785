/* util.h - input validation, time stamps and small string helpers. */
#ifndef AIPROJ_UTIL_H
#define AIPROJ_UTIL_H

#include <stddef.h>
#include <stdio.h>

#include "aiproj/error.h"

#define NAME_MAX_LEN 64
#define PERSON_MAX_LEN 128
#define TEXT_MAX_LEN 4096

/* Project, component, criterion and KPI names (SPEC 2): exit 2 if bad. */
const struct ap_error *valid_name(const char *what, const char *s);
/* Person names: 1-128 bytes of printable UTF-8. */
const struct ap_error *valid_person(const char *s);
/* Reasons, notes, descriptions: up to 4096 bytes of UTF-8, no control
 * characters but newline and tab.  `required` refuses an empty text. */
const struct ap_error *valid_text(const char *what, const char *s,
				  int required);
/* A user's string made safe to quote in a one-line message: control
 * characters and invalid UTF-8 become '?', and it is cut at 80 bytes
 * with "...".  The result lives in a small ring of static buffers. */
const char *shown(const char *s);
/* Is s valid UTF-8 of at most `max` bytes? */
int utf8_valid(const char *s, size_t max);

/* Now in UTC, ISO 8601 with milliseconds: "2026-11-26T23:26:01.123Z".
 * AIPROJ_NOW (same format) overrides it, for reproducible tests. */
void now_utc(char buf[32]);
/* Is s exactly such a stamp (and a real date and time)? */
int stamp_valid(const char *s);
/* Seconds between two such stamps (b - a), or 0 when either is bad. */
double stamp_diff(const char *a, const char *b);
/* "3d 4h", "2h 5m", "40s" */
void human_duration(double seconds, char *buf, size_t len);

/* A decimal number, strictly: [-+]digits[.digits][e[-+]digits], no hex,
 * no inf/nan, no spaces.  Returns 0 and sets *v, or -1. */
int strict_number(const char *s, double *v);

/* Levenshtein distance, capped at 100. */
int edit_distance(const char *a, const char *b);

/* A growing string. */
struct sbuf {
	char *s;
	size_t len, cap;
};
int sbuf_add(struct sbuf *b, const char *s, size_t n);
int sbuf_printf(struct sbuf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sbuf_free(struct sbuf *b);

/* strdup that reports failure as an error. */
const struct ap_error *xstrdup(const char *s, char **out);

/* A stream that writes to descriptor `fd` and keeps in *err the errno of
 * its first failed write (a FILE only remembers that one failed); closing
 * it closes fd when `own`.  NULL when out of memory. */
FILE *fd_stream(int fd, int own, int *err);

#endif
