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
 * within a cell), '<' and '&' as entities (a name is text, never HTML:
 * a step summary renders the page; '>' alone opens nothing and "->"
 * stays as it is), control and invisible format
 * characters shown as <U+XXXX> (entities, so the page shows them as
 * text). */
void
md_cell(FILE *f, const char *s)
{
	fputs("| ", f);
	while (s && *s) {
		const char *start = s;
		unsigned cp = utf8_next(&s);
		if (cp == '|')
			fputs("\\|", f);
		else if (cp == '<')
			fputs("&lt;", f);
		else if (cp == '&')
			fputs("&amp;", f);
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
 * Where a line may break inside a run of text, best first: at a space;
 * between the date and the time of a timestamp (before the T of
 * 2026-11-30T08:09:36Z); after a hyphen, underscore or slash inside a word
 * ("data-" of "data-preparation", "latency_" of "latency_ms").
 */
static int
is_ts_t(const char *s, const char *p)
{
	return *p == 'T' && p - s >= 3 && p[-3] == '-' && p[-2] >= '0' &&
	       p[-2] <= '9' && p[-1] >= '0' && p[-1] <= '9' && p[1] >= '0' &&
	       p[1] <= '9';
}

/* A space, hyphen, underscore or slash (what strchr(" -_/", c) finds
 * but its '\0'). */
static int
is_mark(char c)
{
	return c == ' ' || c == '-' || c == '_' || c == '/';
}

/* Is p (in s, not at its start) a hyphen, underscore or slash inside a
 * word, that a line may end with? */
static int
is_joint(const char *s, const char *p)
{
	return (*p == '-' || *p == '_' || *p == '/') && p > s &&
	       !is_mark(p[-1]) && p[1] && !is_mark(p[1]);
}

/*
 * The next piece of s that fits `width` columns: up to its last space
 * that fits, else up to the T of its last timestamp that fits, else up to
 * and with its last hyphen, underscore or slash inside a word that fits,
 * else as many characters as fit (at least one).  Returns the piece's
 * length in bytes, its columns in *cols, and moves *s past it and the
 * space it broke at.  ascii: s is printable ASCII to its end, a column a
 * byte (no character decoded).
 */
static size_t
take_run(const char **s, int width, int *cols, int ascii)
{
	const char *p = *s, *brk = NULL, *ts = NULL, *hy = NULL;
	int w = 0, wbrk = 0, wts = 0, why = 0;
	size_t n;

	while (*p) {
		const char *q = p + 1;
		int cw = 1;
		if (!ascii)
			q = p, cw = cp_width(utf8_next(&q));
		if (p > *s && *p == ' ')
			brk = p, wbrk = w;
		else if (p > *s && *p == 'T' && is_ts_t(*s, p))
			ts = p, wts = w;
		if (w + cw > width && p > *s)
			break;
		w += cw;
		if (is_mark(*p) && is_joint(*s, p))
			hy = q, why = w;
		p = q;
	}
	if (*p && brk) { /* without the spaces around the break */
		const char *end = brk;
		while (end > *s + 1 && end[-1] == ' ')
			end--, wbrk--;
		n = (size_t)(end - *s);
		*cols = wbrk;
		while (*brk == ' ')
			brk++;
		*s = brk;
	} else if (*p && (ts || hy)) {
		const char *at = ts ? ts : hy;
		n = (size_t)(at - *s);
		*cols = ts ? wts : why;
		*s = at;
	} else {
		n = (size_t)(p - *s);
		*cols = w;
		*s = p;
	}
	return n;
}

static size_t
take_piece(const char **s, int width, int *cols)
{
	return take_run(s, width, cols, 0);
}

/* take_piece() for a cell of printable ASCII that fits whole, the most
 * common one, without walking it a character at a time: the piece is all
 * of it, a column a byte. */
static size_t
take_cell(const char **s, int width, int *cols)
{
	const char *p = *s;
	size_t n = 0;

	while (p[n] >= 0x20 && p[n] < 0x7f)
		n++;
	if (p[n])
		return take_piece(s, width, cols);
	/* (all of it printable ASCII: a column a byte, as take_piece()
	 * would find it a character at a time) */
	if (n > (size_t)(width < 0 ? 0 : width))
		return take_run(s, width, cols, 1);
	*cols = (int)n;
	*s = p + n;
	return n;
}

void
text_wrap(FILE *f, const char *s, int col, int indent)
{
	const char *a = s;
	char *c;
	const char *p;

	/* printable ASCII, most text, is its own clean copy: none made */
	while ((unsigned char)*a >= 0x20 && (unsigned char)*a < 0x7f)
		a++;
	c = *a ? text_clean(s) : NULL;
	p = c ? c : s;
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

/* The widest word (a run without spaces) of s, and in *part its widest
 * part: a run between the places take_piece() may break at. */
static int
word_width(const char *s, int *part)
{
	const char *start = s;
	int best = 0, w = 0, pw = 0;

	*part = 0;
	while (*s) {
		const char *p = s;
		unsigned cp = utf8_next(&s);
		if (cp == ' ') {
			w = pw = 0;
			continue;
		}
		if (p > start && is_ts_t(start, p))
			pw = 0;
		w += cp_width(cp);
		pw += cp_width(cp);
		if (w > best)
			best = w;
		if (pw > *part)
			*part = pw;
		if (is_joint(start, p))
			pw = 0;
	}
	return best;
}

int
text_word_width(const char *s)
{
	int part;

	return word_width(s, &part);
}

void
table_keep(struct table *t, unsigned cols)
{
	t->keep = cols;
}

/* Measure the header (head: 1) or a row of cleaned cells. */
static void
grow(struct table *t, const char *const *cells, int head)
{
	for (int i = 0; i < t->ncols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		int w = text_width(c), part, ww = word_width(c, &part);
		struct table_col *k = &t->col[i];
		if (head) {
			k->head = w, k->head_word = ww;
			continue;
		}
		if (w > k->cell)
			k->cell = w;
		if (ww > k->word)
			k->word = ww;
		if (strchr(c, ' '))
			k->spaces = 1;
	}
}

static int
max2(int a, int b)
{
	return a > b ? a : b;
}

/* How narrow column i may get at a step of fit(). */
static int
col_floor(const struct table *t, int i, int step)
{
	const struct table_col *k = &t->col[i];
	int prose = k->spaces && !(t->keep & TABLE_COL(i));

	switch (step) {
	case 0: return max2(k->cell, k->head);
	case 1: return max2(prose ? k->word : k->cell, k->head_word);
	case 2: return max2(k->spaces ? k->word : k->cell, k->head_word);
	default: return TABLE_MIN_WIDTH;
	}
}

/* Take a column from the widest column wider than its floor at `step`;
 * 0: none. */
static int
shrink_widest(struct table *t, int step)
{
	int widest = -1;

	for (int i = 0; i < t->ncols; i++)
		if (t->width[i] > col_floor(t, i, step) &&
		    (widest < 0 || t->width[i] > t->width[widest]))
			widest = i;
	if (widest < 0)
		return 0;
	t->width[widest]--;
	return 1;
}

static int
cmp_desc(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x < y) - (x > y);
}

/*
 * The runs of s between the places take_piece() breaks at, for lines_at():
 * each run's columns times 2, plus 1 when a space comes before it.  At
 * most `max` runs; returns how many, max + 1 when s has more.
 */
static size_t
cell_runs(const char *s, int *run, size_t max)
{
	const char *start = s;
	size_t n = 0;
	int w = 0, space = 0;

	for (;;) {
		const char *p = s;
		unsigned cp = *s ? utf8_next(&s) : 0;
		int end =
		    cp == 0 || cp == ' ' || (p > start && is_ts_t(start, p));
		if (end && w > 0) { /* the run before p */
			if (n < max)
				run[n] = w * 2 + space;
			n++;
			w = space = 0;
		}
		if (cp == 0 || n > max)
			break;
		if (cp == ' ') {
			space = 1;
			continue;
		}
		w += cp_width(cp);
		if (is_joint(start, p)) { /* the run with p */
			if (n < max)
				run[n] = w * 2 + space;
			n++;
			w = space = 0;
		}
	}
	return n;
}

/* The lines of a cell cut into runs (cell_runs) in a column `width` wide,
 * filled as take_piece() would, near enough. */
static int64_t
lines_at(const int *run, size_t n, int width)
{
	int64_t lines = 1;
	int at = 0;

	for (size_t k = 0; k < n; k++) {
		int rw = run[k] / 2, gap = at > 0 && (run[k] & 1);
		if (at + gap + rw <= width) {
			at += gap + rw;
			continue;
		}
		if (at > 0)
			lines++;
		lines += (rw - 1) / width;
		at = rw - (rw - 1) / width * width;
	}
	return lines;
}

/* Row r of column i among the held rows, the header its row 0. */
static const char *
held_cell(const struct table *t, int i, size_t r)
{
	const char *c = r == 0
			    ? t->head[i]
			    : t->held[(r - 1) * (size_t)t->ncols + (size_t)i];

	return c ? c : "";
}

/*
 * What column i costs at each width from lo to hi (cost[w]), in lines:
 * the lines of its cells (header and held rows), and for each break a
 * price.  In prose and names, a word broken after a hyphen costs
 * TABLE_PROSE_BREAK (wrapping at spaces only lines); in a column of
 * tokens, each piece of a cell past its first TABLE_TOKEN_BREAK; a word
 * broken anywhere else than at a timestamp's T or after a hyphen
 * TABLE_PROSE_MID more in prose, TABLE_MID_BREAK in names and tokens.
 * 0: no memory.
 */
static int
col_costs(const struct table *t, int i, int lo, int hi, int64_t *cost)
{
	size_t n = (size_t)t->nheld + 1, kw = 0, kp = 0;
	int *m = malloc(3 * n * sizeof(*m));
	int spaces = t->col[i].spaces; /* names wrap at spaces as prose */
	int keep = !spaces || (t->keep & TABLE_COL(i));
	int *word, *part, *cell;
	int run[TABLE_RUNS];

	if (!m)
		return 0;
	word = m, part = m + n, cell = m + 2 * n;
	for (int w = lo; w <= hi; w++)
		cost[w] = 0;
	for (size_t r = 0; r < n; r++) {
		const char *c = held_cell(t, i, r);
		size_t nrun = cell_runs(c, run, TABLE_RUNS);
		word[r] = word_width(c, &part[r]);
		cell[r] = text_width(c);
		for (int w = lo; w <= hi; w++)
			cost[w] += cell[r] <= w        ? 1
				   : nrun > TABLE_RUNS ? (cell[r] + w - 1) / w
						       : lines_at(run, nrun, w);
	}
	qsort(word, n, sizeof(*word), cmp_desc);
	qsort(part, n, sizeof(*part), cmp_desc);
	for (int w = hi; w >= lo; w--) {
		while (kw < n && word[kw] > w)
			kw++;
		while (kp < n && part[kp] > w)
			kp++;
		if (spaces)
			cost[w] += TABLE_PROSE_BREAK * (int64_t)kw;
		else
			cost[w] += TABLE_TOKEN_BREAK * (cost[w] - (int64_t)n);
		cost[w] +=
		    (keep ? TABLE_MID_BREAK : TABLE_PROSE_MID) * (int64_t)kp;
	}
	free(m);
	return 1;
}

/*
 * Step 3 of fit(): the widths, none wider than now nor narrower than
 * `least` (or than now when narrower), that fit `budget` columns at the
 * least cost (col_costs: a knapsack over the columns' widths); of those
 * the widest.  0: no such widths, or too wide a budget to search, or no
 * memory.
 */
static int
fit_breaking(struct table *t, int budget, int least)
{
	const int64_t none = INT64_MAX;
	int nc = t->ncols, ok = budget > 0 && budget <= TABLE_SEARCH_WIDTH;
	size_t row = (size_t)budget + 1;
	int64_t *cost = NULL, *block = NULL, *dp = NULL, *next = NULL;
	int *pick = NULL, lo[TABLE_MAX_COLS], hi[TABLE_MAX_COLS];
	int best = -1;

	if (ok) {
		cost = malloc((size_t)nc * row * sizeof(*cost));
		block = malloc(2 * row * sizeof(*block));
		pick = malloc((size_t)nc * row * sizeof(*pick));
		ok = cost && block && pick;
	}
	for (int i = 0; ok && i < nc; i++) {
		hi[i] = t->width[i] < budget ? t->width[i] : budget;
		lo[i] = hi[i] < least ? hi[i] : least;
		ok = col_costs(t, i, lo[i], hi[i], cost + (size_t)i * row);
	}
	if (ok) {
		dp = block, next = block + row;
		for (size_t b = 0; b < row; b++)
			dp[b] = b == 0 ? 0 : none;
		for (int i = 0; i < nc; i++) {
			const int64_t *ci = cost + (size_t)i * row;
			for (size_t b = 0; b < row; b++)
				next[b] = none;
			for (size_t b = 0; b < row; b++)
				for (int w = lo[i];
				     dp[b] != none && w <= hi[i] &&
				     b + (size_t)w < row;
				     w++)
					if (dp[b] + ci[w] <
					    next[b + (size_t)w]) {
						next[b + (size_t)w] =
						    dp[b] + ci[w];
						pick[(size_t)i * row + b +
						     (size_t)w] = w;
					}
			int64_t *swap = dp;
			dp = next, next = swap;
		}
		for (size_t b = 0; b < row; b++)
			if (dp[b] != none && (best < 0 || dp[b] <= dp[best]))
				best = (int)b; /* the widest of the cheapest */
	}
	for (int i = nc - 1; best >= 0 && i >= 0; i--) {
		t->width[i] = pick[(size_t)i * row + (size_t)best];
		best -= t->width[i];
	}
	ok = ok && best == 0;
	free(cost);
	free(block);
	free(pick);
	return ok;
}

/*
 * Fit the table to out_cols.  Columns start as wide as their widest cell
 * (or the width the command asked for, or the header).  While the table
 * is too wide, it gives up width in steps that each do less harm than the
 * next:
 *   0. a column wider than its cells (a width asked for; an all-empty
 *      column is as wide as its header) comes down to them;
 *   1. columns of prose (a cell with a space, not marked table_keep())
 *      wrap at spaces, down to their widest word; headers too;
 *   2. columns of names kept whole (table_keep(): people, "2 deployment")
 *      wrap at their spaces, down to their widest word;
 *   3. nothing fits whole, words must break: from the widths after step 1
 *      (names whole again), the widths down to TABLE_MIN_WIDTH that cost
 *      the fewest lines, a break priced in lines (col_costs): a word of
 *      prose broken after a hyphen cheap, a token (timestamp, project,
 *      stage) split at its T or a hyphen dear, anywhere else dearer
 *      still.  So one long URL in prose breaks before every row's
 *      timestamp does, and a timestamp splits into its date and time
 *      before a stage name is cut mid-word.
 * In steps 0 to 2 the widest column gives a column first.  When not even
 * TABLE_MIN_WIDTH fits, step 3 goes down to 2 columns; a table that does
 * not fit then prints as it is.  Tokens without spaces (timestamps,
 * project and stage names, ids, numbers) thus stay whole whenever they fit
 * side by side.
 */
static void
fit(struct table *t)
{
	int total = t->ncols - 1, budget = out_cols - (t->ncols - 1);
	int named[TABLE_MAX_COLS];

	if (out_cols == 0)
		return;
	for (int i = 0; i < t->ncols; i++)
		total += t->width[i];
	for (int step = 0; step < 2; step++)
		while (total > out_cols && shrink_widest(t, step))
			total--;
	memcpy(named, t->width, sizeof(named));
	while (total > out_cols && shrink_widest(t, 2))
		total--;
	if (total <= out_cols)
		return;
	/* words break: names may as well keep their spaces */
	memcpy(t->width, named, sizeof(named));
	if (!fit_breaking(t, budget, TABLE_MIN_WIDTH) &&
	    !fit_breaking(t, budget, 2))
		while (shrink_widest(t, 3))
			;
}

/* Text gathered for one fwrite(): a table's rows are many short pieces. */
struct lbuf {
	FILE *f;
	size_t n;
	char b[4096];
};

static void
lb_flush(struct lbuf *b)
{
	if (b->n)
		fwrite(b->b, 1, b->n, b->f);
	b->n = 0;
}

/* A cell's n bytes, then (pad >= 0) pad spaces, none when it is
 * negative, and one more. */
static void
lb_cell(struct lbuf *b, const char *s, size_t n, int pad)
{
	size_t sp = pad < 0 ? 0 : (size_t)pad + 1;

	if (b->n + n + sp > sizeof(b->b)) {
		lb_flush(b);
		if (n + sp > sizeof(b->b)) { /* (a cell wider than it) */
			fwrite(s, 1, n, b->f);
			for (size_t k = 0; k < sp; k++)
				fputc(' ', b->f);
			return;
		}
	}
	memcpy(b->b + b->n, s, n);
	memset(b->b + b->n + n, ' ', sp);
	b->n += n + sp;
}

/* One row of text cells (already cleaned), wrapped within the columns. */
static void
text_line(struct table *t, const char *const *cells)
{
	const char *pos[TABLE_MAX_COLS], *start[TABLE_MAX_COLS];
	size_t len[TABLE_MAX_COLS];
	int w[TABLE_MAX_COLS];
	int more = 1;
	struct lbuf b;

	b.f = t->f;
	b.n = 0;
	for (int i = 0; i < t->ncols; i++)
		pos[i] = cells[i] ? cells[i] : "";
	for (int line = 0; more; line++) {
		int end = t->ncols; /* print the columns before this */
		more = 0;
		for (int i = 0; i < t->ncols; i++) {
			int limit = out_cols == 0 ? 1 << 20 : t->width[i];
			start[i] = pos[i];
			len[i] = take_cell(&pos[i], limit, &w[i]);
			if (*pos[i])
				more = 1;
		}
		/* a continuation line ends after its last piece */
		if (line > 0)
			while (end > 0 && len[end - 1] == 0)
				end--;
		for (int i = 0; i < end; i++) {
			int pad = -1; /* "%-*s ": padded to the width */
			if (i < t->ncols - 1 && (line == 0 || i < end - 1))
				pad =
				    t->width[i] > w[i] ? t->width[i] - w[i] : 0;
			lb_cell(&b, start[i], len[i], pad);
		}
		lb_cell(&b, "\n", 1, -1);
	}
	lb_flush(&b);
}

static void
flush_held(struct table *t)
{
	if (t->flushed)
		return;
	t->flushed = 1;
	if (t->nheld == 0)
		return;
	grow(t, t->head, 1);
	for (int i = 0; i < t->ncols; i++)
		t->width[i] = max2(t->width[i], col_floor(t, i, 0));
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
	const char *shown[TABLE_MAX_COLS];

	t->rows++;
	if (t->fmt != FMT_TEXT) {
		table_line(t, cells);
		return;
	}
	if (t->flushed) {
		/* a cell of printable ASCII is its own clean text: no copy */
		for (int i = 0; i < t->ncols; i++) {
			const char *p = cells[i] ? cells[i] : "";
			while (*p >= 0x20 && *p < 0x7f)
				p++;
			clean[i] = *p ? text_clean(cells[i]) : NULL;
			shown[i] = clean[i] ? clean[i] : *p ? "?" : cells[i];
		}
		text_line(t, shown);
		for (int i = 0; i < t->ncols; i++)
			free(clean[i]);
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
	grow(t, (const char *const *)&t->held[t->nheld * t->ncols], 0);
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
