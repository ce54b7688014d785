/* output.c - formats and the streaming JSON writer. */
#include "aiproj/output.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"

static int out_cols = 80; /* text fits this many columns; 0: no limit */
static int csv_raw;       /* --raw-csv: no ' before formula-like cells */

void
out_set_columns(int cols)
{
	out_cols = cols < 0 ? 0 : cols;
}

int
out_columns(void)
{
	return out_cols;
}

void
out_set_raw_csv(int raw)
{
	csv_raw = raw;
}

static const struct {
	const char *name;
	int fmt;
} formats[] = {
    {"text", FMT_TEXT},         {"json", FMT_JSON},
    {"yaml", FMT_YAML},         {"csv", FMT_CSV},
    {"markdown", FMT_MARKDOWN}, {"github", FMT_GITHUB},
    {"mermaid", FMT_MERMAID},   {"dot", FMT_DOT},
};

int
format_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0)
			return formats[i].fmt;
	return 0;
}

const char *
format_name(int fmt)
{
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "?";
}

void
jw_init(struct jw *w, FILE *f)
{
	memset(w, 0, sizeof(*w));
	w->f = f;
}

void
jw_init_yaml(struct jw *w, FILE *f)
{
	jw_init(w, f);
	if (yemit_open(f, &w->y))
		w->y =
		    NULL; /* out of memory: fall back to JSON, still valid YAML */
}

void
jw_init_yaml_direct(struct jw *w, FILE *f)
{
	jw_init(w, f);
	if (yout_open(f, &w->o))
		w->o = NULL; /* out of memory: as jw_init_yaml() */
}

static void
indent(struct jw *w)
{
	static const char spaces[] = "                                "
				     "                                ";

	if (w->compact)
		return;
	fputc('\n', w->f);
	for (size_t n = 2 * (size_t)w->depth, k; n > 0; n -= k) {
		k = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;
		fwrite(spaces, 1, k, w->f);
	}
}

/* Comma and indentation before a value (or a key). */
static void
pre(struct jw *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth > 0) {
		if (w->count[w->depth]++)
			fputc(',', w->f);
		indent(w);
	}
}

static void
open_value(struct jw *w, char o, char c)
{
	if (w->y || w->o) {
		if (w->o && o == '{')
			yout_map(w->o);
		else if (w->o)
			yout_seq(w->o);
		else if (o == '{')
			yemit_map(w->y);
		else
			yemit_seq(w->y);
		if (w->depth < JW_MAX_DEPTH - 1)
			w->closer[++w->depth] = c;
		return;
	}
	pre(w);
	fputc(o, w->f);
	if (w->depth < JW_MAX_DEPTH - 1) {
		w->depth++;
		w->count[w->depth] = 0;
		w->closer[w->depth] = c;
	}
}

void
jw_obj(struct jw *w)
{
	open_value(w, '{', '}');
}

void
jw_arr(struct jw *w)
{
	open_value(w, '[', ']');
}

void
jw_end(struct jw *w)
{
	char c = w->closer[w->depth];
	int had = w->count[w->depth];

	if (w->y || w->o) {
		if (w->o)
			yout_end(w->o, c == '}');
		else
			yemit_end(w->y, c == '}');
		w->depth--;
		return;
	}
	w->depth--;
	if (had)
		indent(w);
	fputc(c, w->f);
}

static void
put_string(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', f);
	for (;; p++) {
		const unsigned char *run = p; /* bytes written as they are */
		while (*p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f)
			p++;
		fwrite(run, 1, (size_t)(p - run), f);
		if (!*p)
			break;
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default: fprintf(f, "\\u%04x", *p); /* control characters */
		}
	}
	fputc('"', f);
}

void
jw_key(struct jw *w, const char *k)
{
	if (w->o) {
		yout_plain(w->o, k);
		return;
	}
	if (w->y) {
		yemit_plain(w->y, k);
		return;
	}
	pre(w);
	put_string(w->f, k);
	fputs(w->compact ? ":" : ": ", w->f);
	w->after_key = 1;
}

void
jw_str(struct jw *w, const char *s)
{
	if (w->o) {
		yout_str(w->o, s);
		return;
	}
	if (w->y) {
		yemit_str(w->y, s);
		return;
	}
	pre(w);
	if (s)
		put_string(w->f, s);
	else
		fputs("null", w->f);
}

/* A bare value: a number, true, false or null. */
static void
jw_plain(struct jw *w, const char *s)
{
	if (w->o) {
		yout_plain(w->o, s);
		return;
	}
	if (w->y) {
		yemit_plain(w->y, s);
		return;
	}
	pre(w);
	fputs(s, w->f);
}

void
jw_int(struct jw *w, int64_t v)
{
	char buf[24];

	fmt_int(buf, v);
	jw_plain(w, buf);
}

void
jw_num(struct jw *w, double v)
{
	char buf[40];

	fmt_num(buf, sizeof(buf), v);
	jw_plain(w, buf);
}

void
jw_bool(struct jw *w, int v)
{
	jw_plain(w, v ? "true" : "false");
}

void
jw_null(struct jw *w)
{
	jw_plain(w, "null");
}

void
jw_doc(struct jw *w)
{
	jw_obj(w);
	jw_kint(w, "aiproj", 1);
}

const struct ap_error *
jw_finish(struct jw *w)
{
	const struct ap_error *err;

	while (w->depth > 0)
		jw_end(w);
	if (w->o) {
		err = yout_close(w->o);
		w->o = NULL;
		return err;
	}
	if (w->y) {
		err = yemit_close(w->y);
		w->y = NULL;
		return err;
	}
	fputc('\n', w->f);
	return NULL;
}

void
jw_done(struct jw *w)
{
	/* a write error shows when main flushes; libyaml refuses only what
	 * aiproj never stores (text that is not UTF-8) */
	(void)jw_finish(w);
}

void
jw_kstr(struct jw *w, const char *k, const char *s)
{
	jw_key(w, k);
	jw_str(w, s);
}

void
jw_kint(struct jw *w, const char *k, int64_t v)
{
	jw_key(w, k);
	jw_int(w, v);
}

void
jw_knum(struct jw *w, const char *k, double v)
{
	jw_key(w, k);
	jw_num(w, v);
}

void
jw_kbool(struct jw *w, const char *k, int v)
{
	jw_key(w, k);
	jw_bool(w, v);
}

/* Would a spreadsheet take the cell for a formula?  (OWASP's advice on
 * CSV injection: = + - @ tab CR at the start; a plain number, or "-"
 * for nothing, is data.) */
static int
formula_like(const char *s)
{
	double v;

	return s[0] && strchr("=+-@\t\r", s[0]) && strcmp(s, "-") != 0 &&
	       strict_number(s, &v) != 0;
}

void
csv_field(FILE *f, const char *s, int last)
{
	int quote_mark;

	if (!s)
		s = "";
	quote_mark = !csv_raw && formula_like(s);
	if (strpbrk(s, ",\"\r\n") ||
	    (*s && (s[0] == ' ' || s[strlen(s) - 1] == ' '))) {
		fputc('"', f);
		if (quote_mark)
			fputc('\'', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	} else {
		if (quote_mark)
			fputc('\'', f);
		fputs(s, f);
	}
	fputs(last ? "\r\n" : ",", f);
}

/* A markdown table cell: '|' escaped, a line end as <br> (GitHub's way
 * within a cell), control and invisible format characters shown as
 * <U+XXXX> (entities, so the page shows them as text). */
void
md_cell(FILE *f, const char *s)
{
	fputs("| ", f);
	while (s && *s) {
		const char *start = s;
		unsigned cp = utf8_next(&s);
		if (cp == '|')
			fputs("\\|", f);
		else if (cp == '\n')
			fputs("<br>", f);
		else if (cp == '\r')
			continue;
		else if (cp == '\t')
			fputc(' ', f);
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ||
			 cp_is_format(cp))
			fprintf(f, "&lt;U+%04X&gt;", cp);
		else
			fwrite(start, 1, (size_t)(s - start), f);
	}
	fputc(' ', f);
}

/* n spaces (none when n <= 0): what "%*s" of "" writes, without printf */
static void
put_spaces(FILE *f, int n)
{
	static const char sp[] = "                                ";

	for (; n > 0; n -= (int)sizeof(sp) - 1)
		fwrite(sp, 1,
		       n < (int)sizeof(sp) - 1 ? (size_t)n : sizeof(sp) - 1, f);
}

static void
table_line(struct table *t, const char *const *cells)
{
	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		if (t->fmt == FMT_CSV)
			csv_field(t->f, c, i == t->ncols - 1);
		else if (t->fmt == FMT_MARKDOWN)
			md_cell(t->f, c);
		else if (i == t->ncols - 1) {
			fputs(c, t->f);
			fputc('\n', t->f);
		} else { /* "%-*s ": padded to the width in bytes */
			fputs(c, t->f);
			put_spaces(t->f, t->width[i] - (int)strlen(c));
			fputc(' ', t->f);
		}
	}
	if (t->fmt == FMT_MARKDOWN)
		fputs("|\n", t->f);
}

void
table_begin(struct table *t, FILE *f, int fmt, int ncols,
	    const char *const *head, const int *width)
{
	memset(t, 0, sizeof(*t));
	t->f = f;
	t->fmt = fmt;
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
	t->head = head;
	for (int i = 0; i < t->ncols; i++)
		t->width[i] = width ? width[i] : 0;
	/* CSV and markdown always have their header; text only above rows */
	if (fmt == FMT_CSV) {
		/* CSV headers are keys for programs: lower_snake_case */
		for (int i = 0; i < t->ncols; i++) {
			char key[64];
			size_t k = 0;
			for (const char *h = head[i]; *h && k < sizeof(key) - 1;
			     h++)
				key[k++] = *h == ' ' ? '_'
					   : (*h >= 'A' && *h <= 'Z')
					       ? (char)(*h - 'A' + 'a')
					       : *h;
			key[k] = '\0';
			csv_field(f, strcmp(key, "#") == 0 ? "number" : key,
				  i == t->ncols - 1);
		}
	} else if (fmt == FMT_MARKDOWN) {
		table_line(t, head);
		if (fmt == FMT_MARKDOWN) {
			for (int i = 0; i < t->ncols; i++)
				fputs("|---", f);
			fputs("|\n", f);
		}
	}
}

int
text_width(const char *s)
{
	return u8_width(s);
}

char *
text_clean(const char *s)
{
	struct sbuf b = {0};
	int bad = 0;
	const char *p;

	if (!s)
		s = "";
	/* printable ASCII, most text, is its own clean copy */
	for (p = s; *p >= 0x20 && *p < 0x7f; p++)
		;
	if (!*p)
		return strdup(s);
	bad |= sbuf_add(&b, "", 0);
	while (*s && !bad) {
		const char *start = s;
		unsigned cp = utf8_next(&s);
		char esc[16];
		if (cp == '\n' || (cp == '\r' && *s != '\n'))
			bad |= sbuf_add(&b, "\xe2\x8f\x8e", 3); /* U+23CE */
		else if (cp == '\r')
			continue; /* CR LF: one line end */
		else if (cp == '\t')
			bad |= sbuf_add(&b, " ", 1);
		else if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0) ||
			 cp_is_format(cp) || cp == 0xfffd) {
			snprintf(esc, sizeof(esc), "<U+%04X>", cp);
			bad |= sbuf_add(&b, esc, strlen(esc));
		} else
			bad |= sbuf_add(&b, start, (size_t)(s - start));
	}
	if (bad) {
		sbuf_free(&b);
		return NULL;
	}
	return b.s;
}

/*
 * The next piece of s that fits `width` columns: up to its last space
 * that fits, else up to and with its last hyphen inside a word that fits
 * ("data-" of "data-preparation"), else as many characters as fit (at
 * least one).  Returns the piece's length in bytes, its columns in *cols,
 * and moves *s past it and the space it broke at.
 */
static size_t
take_piece(const char **s, int width, int *cols)
{
	const char *p = *s, *brk = NULL, *hy = NULL;
	int w = 0, wbrk = 0, why = 0;
	size_t n;

	while (*p) {
		const char *q = p;
		int cw = cp_width(utf8_next(&q));
		if (w + cw > width && p > *s) {
			if (*p == ' ') /* break at the space that overflows */
				brk = p, wbrk = w;
			break;
		}
		if (*p == ' ' && p > *s)
			brk = p, wbrk = w;
		w += cw;
		if (*p == '-' && p > *s && p[-1] != ' ' && q[0] && q[0] != ' ')
			hy = q, why = w;
		p = q;
	}
	if (*p && brk) {
		n = (size_t)(brk - *s);
		*cols = wbrk;
		*s = brk + 1;
	} else if (*p && hy) {
		n = (size_t)(hy - *s);
		*cols = why;
		*s = hy;
	} else {
		n = (size_t)(p - *s);
		*cols = w;
		*s = p;
	}
	return n;
}

void
text_wrap(FILE *f, const char *s, int col, int indent)
{
	char *c = text_clean(s);
	const char *p = c ? c : s;
	int first = 1;

	if (out_cols == 0 || col + u8_width(p) <= out_cols) {
		fputs(p, f);
		free(c);
		return;
	}
	while (*p) {
		int room = out_cols - (first ? col : indent), w;
		const char *start = p;
		size_t n;
		if (!first)
			fprintf(f, "\n%*s", indent, "");
		n = take_piece(&p, room > 8 ? room : 8, &w);
		fwrite(start, 1, n, f);
		first = 0;
	}
	free(c);
}

/* The widest word (a run without spaces) of s. */
static int
word_width(const char *s)
{
	int best = 0, w = 0;

	while (*s) {
		unsigned cp = utf8_next(&s);
		w = cp == ' ' ? 0 : w + cp_width(cp);
		if (w > best)
			best = w;
	}
	return best;
}

static void
grow(struct table *t, const char *const *cells)
{
	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int w = text_width(c), ww = word_width(c);
		if (w > t->width[i])
			t->width[i] = w;
		if (ww > t->word[i])
			t->word[i] = ww;
	}
}

/* Take a column from the widest column wider than its floor; 0: none. */
static int
shrink_widest(struct table *t, int which)
{
	int widest = -1;

	for (int i = 0; i < t->ncols; i++) {
		int floor = TABLE_MIN_WIDTH;
		if (which == 0 && t->word[i] > floor)
			floor = t->word[i] < TABLE_WORD_WIDTH
				    ? t->word[i]
				    : TABLE_WORD_WIDTH;
		if (t->width[i] > floor &&
		    (widest < 0 || t->width[i] > t->width[widest]))
			widest = i;
	}
	if (widest < 0)
		return 0;
	t->width[widest]--;
	return 1;
}

/*
 * Fit the table to out_cols.  While it is too wide, the widest column
 * gives up one column: first only down to its widest word (at most
 * TABLE_WORD_WIDTH), so that words stay whole, then down to
 * TABLE_MIN_WIDTH (a table still too wide prints as it is).  Cells wider
 * than their column wrap within it, at spaces when they can.
 */
static void
fit(struct table *t)
{
	int total = t->ncols - 1;

	if (out_cols == 0)
		return;
	for (int i = 0; i < t->ncols; i++)
		total += t->width[i];
	for (int pass = 0; pass < 2; pass++)
		while (total > out_cols && shrink_widest(t, pass))
			total--;
}

/* One row of text cells (already cleaned), wrapped within the columns. */
static void
text_line(struct table *t, const char *const *cells)
{
	const char *pos[TABLE_MAX_COLS], *start[TABLE_MAX_COLS];
	size_t len[TABLE_MAX_COLS];
	int w[TABLE_MAX_COLS];
	int more = 1;

	for (int i = 0; i < t->ncols; i++)
		pos[i] = cells[i] ? cells[i] : "";
	for (int line = 0; more; line++) {
		int end = t->ncols; /* print the columns before this */
		more = 0;
		for (int i = 0; i < t->ncols; i++) {
			int limit = out_cols == 0 ? 1 << 20 : t->width[i];
			start[i] = pos[i];
			len[i] = take_piece(&pos[i], limit, &w[i]);
			if (*pos[i])
				more = 1;
		}
		/* a continuation line ends after its last piece */
		if (line > 0)
			while (end > 0 && len[end - 1] == 0)
				end--;
		for (int i = 0; i < end; i++) {
			fwrite(start[i], 1, len[i], t->f);
			if (i < t->ncols - 1 && (line == 0 || i < end - 1))
				fprintf(t->f, "%*s ",
					t->width[i] > w[i] ? t->width[i] - w[i]
							   : 0,
					"");
		}
		fputc('\n', t->f);
	}
}

static void
flush_held(struct table *t)
{
	if (t->flushed)
		return;
	t->flushed = 1;
	if (t->nheld == 0)
		return;
	grow(t, t->head);
	fit(t);
	text_line(t, t->head);
	for (int r = 0; r < t->nheld; r++) {
		text_line(t, (const char *const *)&t->held[r * t->ncols]);
		for (int i = 0; i < t->ncols; i++)
			free(t->held[r * t->ncols + i]);
	}
	free(t->held);
	t->held = NULL;
	t->nheld = 0;
}

void
table_row(struct table *t, const char *const *cells)
{
	char *clean[TABLE_MAX_COLS];

	t->rows++;
	if (t->fmt != FMT_TEXT) {
		table_line(t, cells);
		return;
	}
	for (int i = 0; i < t->ncols; i++)
		clean[i] = text_clean(cells[i]);
	if (!t->flushed && t->nheld % 64 == 0) {
		char **h = realloc(t->held, (size_t)(t->nheld + 64) *
						(size_t)t->ncols * sizeof(*h));
		if (!h) /* no memory to hold rows: print with what we know */
			flush_held(t);
		else
			t->held = h;
	}
	if (t->flushed) {
		for (int i = 0; i < t->ncols; i++)
			if (!clean[i])
				clean[i] = strdup("?");
		text_line(t, (const char *const *)clean);
		for (int i = 0; i < t->ncols; i++)
			free(clean[i]);
		return;
	}
	for (int i = 0; i < t->ncols; i++)
		t->held[t->nheld * t->ncols + i] =
		    clean[i] ? clean[i] : strdup("?");
	grow(t, (const char *const *)&t->held[t->nheld * t->ncols]);
	t->nheld++;
	if (t->nheld == TABLE_HOLD)
		flush_held(t);
}

void
table_end(struct table *t)
{
	if (t->fmt == FMT_TEXT)
		flush_held(t);
}

void
pad_text(FILE *f, const char *s, int width)
{
	int w = text_width(s);

	fputs(s, f);
	put_spaces(f, width - w);
}

void
text_linef(FILE *f, int indent, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	if (vasprintf(&line, fmt, ap) < 0)
		line = NULL;
	va_end(ap);
	if (line) {
		text_wrap(f, line, 0, indent);
		free(line);
	}
	fputc('\n', f);
}
