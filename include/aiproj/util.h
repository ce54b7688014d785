/* util.h - input validation, time stamps and small string helpers. */
#ifndef AIPROJ_UTIL_H
#define AIPROJ_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "aiproj/error.h"

#define NAME_MAX_LEN 64
#define PERSON_MAX_LEN 128
#define TEXT_MAX_LEN 4096

/* Project, component, criterion and KPI names (aiproj(1) Arguments): exit 2 if bad. */
const struct ap_error *valid_name(const char *what, const char *s);
/* Person names: 1-128 bytes of printable UTF-8, without invisible format
 * characters (cp_is_format). */
const struct ap_error *valid_person(const char *s);
/* A person's email: up to 254 bytes of printable ASCII without spaces,
 * NAME@DOMAIN; "" (none) is allowed. */
const struct ap_error *valid_email(const char *s);
/* A person's handle ("@ana", "ana.lima"): up to 64 bytes of printable
 * UTF-8 without spaces or invisible format characters; "" is allowed. */
const struct ap_error *valid_handle(const char *s);
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

/*
 * Display width.  utf8_next() decodes the code point at *s and moves *s
 * past it (a bad byte: U+FFFD, one byte).  cp_width() is the columns a
 * terminal gives a code point, by a table made from Unicode itself
 * (src/width_table.h), the same in every locale: 2 for East Asian Wide and
 * Fullwidth (CJK, emoji), 0 for combining marks (Mn, Me), format
 * characters (Cf) and control characters, else 1.  u8_width() sums them.
 * cp_is_format(): an invisible format character (Cf: bidirectional
 * controls, zero-width joiners, ...) or a line or paragraph separator.
 */
unsigned utf8_next(const char **s);
int cp_width(unsigned cp);
int cp_is_format(unsigned cp);
/* A space of any width: space, tab, no-break, ogham, the U+2000 block's,
 * line and paragraph separators, narrow no-break, medium mathematical,
 * ideographic. */
int cp_is_space(unsigned cp);
int u8_width(const char *s);

/* Now in UTC, ISO 8601 with milliseconds: "2026-11-26T23:26:01.123Z".
 * AIPROJ_NOW (same format) overrides it, for reproducible tests. */
void now_utc(char buf[32]);
/* Is s exactly such a stamp (and a real date and time)? */
int stamp_valid(const char *s);
/* Is s a real day written YYYY-MM-DD? */
int date_valid(const char *s);
/* Seconds between two such stamps (b - a), or 0 when either is bad. */
double stamp_diff(const char *a, const char *b);
/* Seconds since the epoch of such a stamp: 0, or -1 when it is bad. */
int stamp_parse(const char *s, double *out);
/* The stamp of `t` seconds since the epoch. */
void stamp_format(double t, char buf[32]);
/* "3d 4h", "2h 5m", "40s" */
void human_duration(double seconds, char *buf, size_t len);

/*
 * Numbers: the one grammar for every number aiproj reads (NUMBERS in
 * aiproj(1)).
 *
 * A whole number (ids, stage numbers, milliseconds) is decimal digits
 * only: no sign, point, exponent, "0x" or spaces.
 * A decimal (costs, KPI targets and readings) is [-]DIGITS[.DIGITS] with
 * an optional exponent e[+-]DIGITS: no leading '+', no ".5" or "5.", no
 * hex, inf, nan or spaces; its magnitude at most DECIMAL_MAX and, when it
 * is not zero, at least DECIMAL_MIN.
 */
#define ID_MAX 9007199254740991LL /* 2^53 - 1: exact in JSON too */
#define DECIMAL_MAX 1e15
#define DECIMAL_MIN 1e-15
#define BUSY_TIMEOUT_MAX 3600000 /* one hour */

/* A whole number from min to max, or exit 2 naming `what` and the range. */
const struct ap_error *parse_whole(const char *what, const char *s,
				   long long min, long long max,
				   long long *out);
/* A decimal, or exit 2 naming `what` and what a decimal is. */
const struct ap_error *parse_decimal(const char *what, const char *s,
				     double *out);
/* A number as an import file may spell it (YAML's core schema, which also
 * allows "+1", ".5" and "5."), finite: 0 and *v set, or -1. */
int strict_number(const char *s, double *v);

/* Levenshtein distance, capped at 100. */
int edit_distance(const char *a, const char *b);

/* The name the symbolic links from `path` end at (malloc'd; it need not
 * exist): relative links are taken from their link's folder.  NULL with
 * errno set: ELOOP after 40 links, a readlink() error, ENOMEM. */
char *follow_links(const char *path);

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

/* Print a number the way aiproj shows numbers: shortest form that
 * round-trips, no exponent for ordinary magnitudes. */
void fmt_num(char *buf, size_t len, double v);
/* An integer as "%lld" writes it. */
void fmt_int(char buf[24], int64_t v);

#endif
