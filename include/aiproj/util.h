/* util.h - input validation, time stamps and small string helpers. */
#ifndef AIPROJ_UTIL_H
#define AIPROJ_UTIL_H

#include <stddef.h>

#include "aiproj/error.h"

#define NAME_MAX_LEN 64
#define PERSON_MAX_LEN 128
#define TEXT_MAX_LEN 4096

/* Project, component, criterion and KPI names (SPEC 2): exit 2 if bad. */
const struct ap_error *valid_name(const char *what, const char *s);
/* Person names: 1-128 bytes of printable UTF-8, without invisible format
 * characters (cp_is_format). */
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
int u8_width(const char *s);

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

#endif
