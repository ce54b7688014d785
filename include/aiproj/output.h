/*
 * output.h - output formatting beside the engine: a streaming JSON writer,
 * and the formats a command can be asked for.
 */
#ifndef AIPROJ_OUTPUT_H
#define AIPROJ_OUTPUT_H

#include <stdint.h>
#include <stdio.h>

#include "aiproj/util.h" /* fmt_num(), fmt_int() */

enum out_format {
	FMT_TEXT = 1 << 0,
	FMT_JSON = 1 << 1,
	FMT_YAML = 1 << 2,
	FMT_CSV = 1 << 3,
	FMT_MARKDOWN = 1 << 4,
	FMT_GITHUB = 1 << 5,
	FMT_MERMAID = 1 << 6,
	FMT_DOT = 1 << 7,
	FMT_LAST = FMT_DOT, /* the highest bit, for loops over formats */
};

/* FMT_* for a name, or 0. */
int format_parse(const char *name);
const char *format_name(int fmt);

#define JW_MAX_DEPTH 32

/* A JSON writer: pretty-printed, two spaces, valid UTF-8 assumed. */
struct jw {
	FILE *f;
	int depth;
	int count[JW_MAX_DEPTH]; /* values written at each depth */
	int after_key;
	char closer[JW_MAX_DEPTH]; /* '}' or ']' at each depth */
	struct yemit *y;           /* set: write YAML instead of JSON */
	struct yout *o;            /* set: write that YAML without libyaml */
	int compact;               /* set: JSON on one line, no spaces */
};

void jw_init(struct jw *w, FILE *f);
/* The same writer producing block YAML (through libyaml, yamlio.h). */
void jw_init_yaml(struct jw *w, FILE *f);
/* The same YAML, byte for byte, by yamlout.c's writer: faster (export). */
void jw_init_yaml_direct(struct jw *w, FILE *f);
void jw_obj(struct jw *w); /* { */
void jw_arr(struct jw *w); /* [ */
void jw_end(struct jw *w); /* } or ] (remembers which) */
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_int(struct jw *w, int64_t v);
void jw_num(struct jw *w, double v);
void jw_bool(struct jw *w, int v);
void jw_null(struct jw *w);
/* Start the top-level object with "aiproj": 1. */
void jw_doc(struct jw *w);
/* Close the document (and the top-level object) with a newline. */
void jw_done(struct jw *w);
/* jw_done(), and the YAML emitter's error: it refused a value or could not
 * write. */
const struct ap_error *jw_finish(struct jw *w);

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_knum(struct jw *w, const char *k, double v);
void jw_kbool(struct jw *w, const char *k, int v);

/*
 * Text output fits out_columns() display columns (0: no limit, --wide);
 * main sets it from $COLUMNS (80 when unset).  out_set_raw_csv(1)
 * (--raw-csv) turns off the ' that csv_field puts before formula-like
 * cells.
 */
void out_set_columns(int cols);
int out_columns(void);
void out_set_raw_csv(int raw);

/* One CSV field (RFC 4180: quoted when it holds , " CR LF or edge
 * spaces), then "," or, for the last field, CRLF.  A field that starts
 * with = + - @ tab or CR and is not a number gets a leading ' so that a
 * spreadsheet does not run it as a formula (unless out_set_raw_csv). */
void csv_field(FILE *f, const char *s, int last);
/* One GitHub markdown cell "| s " with | escaped and newlines flattened. */
void md_cell(FILE *f, const char *s);

/*
 * A table in text (aligned columns), CSV or markdown: the list commands'
 * output.  Text widths are minimums, grown to fit the header and the
 * first TABLE_HOLD rows; the last column is not padded.  Text cells are
 * shown by text_clean().  When the table is wider than out_columns(),
 * columns give up width by the rule in output.c's fit(): prose wraps at
 * spaces first, names (table_keep()) next, and only when nothing else
 * fits do words break, at a timestamp's T or a hyphen when they can; a
 * cell wider than its column wraps onto more lines within it.
 */
#define TABLE_MAX_COLS 12
#define TABLE_HOLD 1000
#define TABLE_MIN_WIDTH 6
#define TABLE_SEARCH_WIDTH 1000 /* fit() searches widths up to this */
/* fit()'s prices of a break, in lines (see col_costs in output.c) */
#define TABLE_PROSE_BREAK 2
#define TABLE_PROSE_MID 6
#define TABLE_TOKEN_BREAK 8
#define TABLE_MID_BREAK 64
#define TABLE_RUNS 64 /* fit() counts lines of cells up to so many runs */
#define TABLE_COL(i) (1u << (i))
struct table_col {
	int cell, word;      /* the widest cell and word of the rows */
	int head, head_word; /* the same of the header */
	int spaces;          /* a cell with a space */
};
struct table {
	FILE *f;
	int fmt;
	int ncols;
	const char *const *head;
	int width[TABLE_MAX_COLS];
	struct table_col col[TABLE_MAX_COLS];
	unsigned keep; /* table_keep() */
	int rows;
	/* text: the first rows are held back to size the columns */
	char **held;
	int nheld;
	int flushed;
};
void table_begin(struct table *t, FILE *f, int fmt, int ncols,
		 const char *const *head, const int *width);
/* Columns (TABLE_COL(i) | ...) of names with spaces, such as people: in
 * text they wrap at their spaces only after every column of prose. */
void table_keep(struct table *t, unsigned cols);
void table_row(struct table *t, const char *const *cells);
/* Print what is held back and free it: every table_begin needs one. */
void table_end(struct table *t);

/* Display width of UTF-8 text (u8_width: wide characters count 2,
 * combining marks 0), and s padded to `width` columns by it. */
int text_width(const char *s);
/* Text as a terminal shows it, on one line: a line end becomes U+23CE
 * (a return symbol), a tab a space, control and invisible format
 * characters <U+XXXX>.  Free it; NULL when out of memory. */
char *text_clean(const char *s);
/* The widest word (run without spaces) of s, in display columns. */
int text_word_width(const char *s);
/* Print text_clean(s), the cursor at column `col`, wrapped at spaces to
 * fit out_columns() (a word wider than a line at a timestamp's T or after
 * a hyphen when it can); later lines are indented by `indent`. */
void text_wrap(FILE *f, const char *s, int col, int indent);
/* A whole line by a printf format, text_wrap()ped from column 0, and a
 * newline. */
void text_linef(FILE *f, int indent, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void pad_text(FILE *f, const char *s, int width);

#endif
