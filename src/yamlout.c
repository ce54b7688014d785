/*
 * yamlout.c - the block YAML that yemit_*() (yamlio.c) writes through
 * libyaml's emitter, written here without it: the export's writer.
 *
 * The emitter is set up as yemit_open() sets it (UTF-8, unicode, indent 2,
 * width 100), and only what yemit_*() asks of it happens: block mappings
 * and sequences (an empty one written as [] or {}) and scalars, no tags,
 * anchors or comments.  A scalar is plain when libyaml would write it so,
 * else single- or double-quoted as it would (a retyped string always
 * double-quoted).  The rules below are libyaml 0.2.5's (emitter.c): the
 * analysis of a scalar that picks its style; the indentation; and the
 * folding of a long line at a space once the column passes the width.
 * tests/unit/test_yamlout.c holds this file to the emitter's bytes.  Keys
 * are scalars here: a collection as a key (which jw_*() never writes) is
 * refused, where the emitter would write it.
 */
#include "aiproj/yamlio.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define YO_BUF (1u << 16)
#define YO_DEPTH 128 /* open collections */
#define YO_WIDTH 100
#define YO_INDENT 2

enum { PLAIN, SINGLE, DOUBLE };

struct level {
	char map;    /* a mapping (else a sequence) */
	char key;    /* a mapping: a key comes next (else its value) */
	char simple; /* a mapping: the key just written was a simple one */
};

struct yout {
	FILE *f;
	int failed;
	int column;     /* characters written since the last line break */
	int whitespace; /* the last character written was whitespace */
	int indention;  /* the line holds only indentation so far */
	int indent;     /* -1 before the first collection */
	int indents[YO_DEPTH + 2];
	int nindents;
	struct level lv[YO_DEPTH]; /* the open block collections */
	int depth;
	/* a collection opened but not known to be empty: 'm', 's' or 0; and
	 * whether it is the value of a mapping */
	int pending, pending_in_map;
	int nodes; /* written (or opened) so far: the root is one */
	size_t len;
	unsigned char buf[YO_BUF];
};

/* What libyaml's analysis of a scalar decides (yaml_emitter_analyze_scalar)
 * for the block context this writer has. */
struct scan {
	int multiline;
	int plain_ok;  /* block plain allowed */
	int single_ok; /* single-quoted allowed */
	int escapes;   /* double-quoted, some character is escaped */
	long chars;    /* characters (a column each) */
};

/* ---- characters, as libyaml's macros see them (valid UTF-8 assumed) ---- */

static int
width_of(unsigned char c)
{
	return (c & 0x80) == 0x00   ? 1
	       : (c & 0xe0) == 0xc0 ? 2
	       : (c & 0xf0) == 0xe0 ? 3
	       : (c & 0xf8) == 0xf0 ? 4
				    : 0;
}

static int
is_break(const unsigned char *p)
{
	return p[0] == '\r' || p[0] == '\n' || (p[0] == 0xc2 && p[1] == 0x85) ||
	       (p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9));
}

static int
is_blankz(const unsigned char *p)
{
	return p[0] == ' ' || p[0] == '\t' || p[0] == '\0' || is_break(p);
}

static int
is_printable(const unsigned char *p)
{
	return p[0] == 0x0a || (p[0] >= 0x20 && p[0] <= 0x7e) ||
	       (p[0] == 0xc2 && p[1] >= 0xa0) || (p[0] > 0xc2 && p[0] < 0xed) ||
	       (p[0] == 0xed && p[1] < 0xa0) || p[0] == 0xee ||
	       (p[0] == 0xef && !(p[1] == 0xbb && p[2] == 0xbf) &&
		!(p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)));
}

/* libyaml's check of an event's value (yaml_check_utf8): well-formed
 * sequences of 1 to 4 bytes, none overlong (surrogates and values past
 * U+10FFFF pass). */
static int
utf8_ok(const unsigned char *s, size_t n)
{
	const unsigned char *end = s + n;

	while (s < end) {
		unsigned w, v;
		if (*s < 0x80) {
			s++;
			continue;
		}
		w = (unsigned)width_of(*s);
		if (!w || (size_t)(end - s) < w)
			return 0;
		v = w == 1 ? *s : *s & (0xff >> (w + 1));
		for (unsigned k = 1; k < w; k++) {
			if ((s[k] & 0xc0) != 0x80)
				return 0;
			v = (v << 6) + (s[k] & 0x3f);
		}
		if ((w == 2 && v < 0x80) || (w == 3 && v < 0x800) ||
		    (w == 4 && v < 0x10000))
			return 0;
		s += w;
	}
	return 1;
}

/* ---- the analysis of a scalar ---- */

/* The indicators a character at the start (first) or further on sets:
 * bit 1 flow, bit 2 block.  followed/preceded: by whitespace. */
static int
indicators(unsigned char c, int first, int preceded, int followed)
{
	if (first) {
		if (c && strchr("#,[]{}&*!|>'\"%@`", c))
			return 3;
		if (c == '?' || c == ':')
			return followed ? 3 : 1;
		return c == '-' && followed ? 3 : 0;
	}
	if (c == ',' || c == '?' || c == '[' || c == ']' || c == '{' ||
	    c == '}')
		return 1;
	if (c == ':')
		return followed ? 3 : 1;
	return c == '#' && preceded ? 3 : 0;
}

/* Bytes that change nothing in the analysis past a scalar's first
 * character: printable ASCII but space and the indicators , ? [ ] { } : #
 * and the two that double quotes escape. */
static unsigned char quiet[256];

/* Bytes of a scalar whose analysis needs no walk (see ascii_plain()) past
 * its first: 1 for the quiet ones, space, and , ? [ ] { } (indicators in
 * flow context only, which a block writer never is in); 2 for : and #,
 * which are so only where ascii_plain() looks.  And the bytes that may
 * come first. */
static unsigned char simple_byte[256], simple_first[256];

static void
quiet_init(void)
{
	for (int c = 0x21; c < 0x7f; c++)
		quiet[c] = !strchr(",?[]{}:#\"\\", c);
	for (int c = 0; c < 256; c++) {
		simple_byte[c] =
		    quiet[c] || c == ' ' || (c && strchr(",?[]{}", c));
		/* not an indicator at the start ('-' and '.' start "---" and
		 * "...", '-' an indicator before a space) */
		simple_first[c] = quiet[c] && !strchr("-.&*!|>'%@`", c);
	}
	simple_byte[':'] = simple_byte['#'] = 2;
}

/*
 * The length of s, when analyze() need not walk it: printable ASCII that
 * starts with a byte simple_first[] allows, holds nothing but the bytes
 * simple_byte[] allows (a ':' not before a space or the end, a '#' not
 * after a space: no block indicator either), and does not end in a space.
 * Its analysis is then that of a one-line scalar that may be plain or
 * single-quoted, with no escapes, a column a byte: no block indicator, no
 * break, no space at an edge, nothing double quotes escape.
 * Returns 0 (and leaves *n unset) for any other (the empty one too).
 */
static int
ascii_plain(const unsigned char *s, size_t *n)
{
	const unsigned char *p = s;

	if (!simple_first[*s])
		return 0;
	for (;; p++) {
		int k = simple_byte[*p];
		if (k == 1)
			continue;
		/* (p > s: neither comes first) */
		if (k == 2 &&
		    (*p == ':' ? p[1] != ' ' && p[1] != '\0' : p[-1] != ' '))
			continue;
		break;
	}
	if (*p || p[-1] == ' ')
		return 0;
	*n = (size_t)(p - s);
	return 1;
}

static void
analyze(const unsigned char *s, size_t n, struct scan *a)
{
	const unsigned char *p = s, *end = s + n;
	int ind = 0, breaks = 0, special = 0, edge = 0, break_space = 0,
	    space_break = 0, prev_space = 0, prev_break = 0, preceded = 1;

	a->multiline = a->escapes = 0;
	a->plain_ok = a->single_ok = 1;
	a->chars = 0;
	if (!n)
		return;
	if ((s[0] == '-' && s[1] == '-' && s[2] == '-') ||
	    (s[0] == '.' && s[1] == '.' && s[2] == '.'))
		ind = 3;
	while (p != end) {
		int w = width_of(*p), brk;
		if (p != s && quiet[*p]) { /* a run of them at once */
			const unsigned char *q = p + 1;
			while (q != end && quiet[*q])
				q++;
			a->chars += q - p;
			p = q;
			preceded = prev_space = prev_break = 0;
			continue;
		}
		brk = is_break(p);
		ind |= indicators(*p, p == s, preceded, is_blankz(p + w));
		special |= !is_printable(p);
		a->escapes |= *p == '"' || *p == '\\';
		if (*p == ' ' || brk) {
			edge |= p == s || p + w == end;
			break_space |= *p == ' ' && prev_break;
			space_break |= brk && prev_space;
		}
		breaks |= brk;
		prev_space = *p == ' ';
		prev_break = brk;
		preceded = is_blankz(p);
		p += w;
		a->chars++;
	}
	a->multiline = breaks;
	a->escapes |= special || breaks;
	if (edge || break_space || space_break || special || breaks ||
	    (ind & 2))
		a->plain_ok = 0;
	if (break_space || space_break || special)
		a->single_ok = 0;
}

/* ---- output ---- */

static void
flush_buf(struct yout *y)
{
	if (y->len && fwrite(y->buf, 1, y->len, y->f) != y->len)
		y->failed = 1;
	y->len = 0;
}

/* Room for n more bytes in the buffer. */
static void
room(struct yout *y, size_t n)
{
	if (y->len + n > YO_BUF)
		flush_buf(y);
}

static void
put(struct yout *y, unsigned char c)
{
	room(y, 1);
	y->buf[y->len++] = c;
	y->column++;
}

static void
put_break(struct yout *y)
{
	room(y, 1);
	y->buf[y->len++] = '\n';
	y->column = 0;
}

/* One character of w bytes, one column. */
static void
put_char(struct yout *y, const unsigned char *p, int w)
{
	room(y, 4);
	memcpy(y->buf + y->len, p, (size_t)w);
	y->len += (size_t)w;
	y->column++;
}

/* n bytes of n one-byte characters. */
static void
put_ascii(struct yout *y, const char *s, size_t n)
{
	if (n > YO_BUF) {
		flush_buf(y);
		if (fwrite(s, 1, n, y->f) != n)
			y->failed = 1;
	} else {
		room(y, n);
		memcpy(y->buf + y->len, s, n);
		y->len += n;
	}
	y->column += (int)n;
}

static void
write_indent(struct yout *y)
{
	int indent = y->indent >= 0 ? y->indent : 0;

	if (!y->indention || y->column > indent ||
	    (y->column == indent && !y->whitespace))
		put_break(y);
	if (y->column < indent) { /* the spaces at once */
		size_t n = (size_t)(indent - y->column);
		room(y, n);
		memset(y->buf + y->len, ' ', n);
		y->len += n;
		y->column = indent;
	}
	y->whitespace = 1;
	y->indention = 1;
}

static void
write_indicator(struct yout *y, const char *ind, int need_whitespace,
		int is_whitespace, int is_indention)
{
	if (need_whitespace && !y->whitespace)
		put(y, ' ');
	put_ascii(y, ind, strlen(ind));
	y->whitespace = is_whitespace;
	y->indention = y->indention && is_indention;
}

static void
increase_indent(struct yout *y, int flow, int indentless)
{
	if (y->nindents == YO_DEPTH + 2) {
		y->failed = 1;
		return;
	}
	y->indents[y->nindents++] = y->indent;
	if (y->indent < 0)
		y->indent = flow ? YO_INDENT : 0;
	else if (!indentless)
		y->indent += YO_INDENT;
}

static void
pop_indent(struct yout *y)
{
	if (y->nindents > 0)
		y->indent = y->indents[--y->nindents];
}

/* ---- scalars ---- */

/* The scalar's bytes as they are, when no space in them can be past the
 * width (or no line may break): a folding writer would change nothing. */
static int
whole(struct yout *y, const unsigned char *s, size_t n, const struct scan *a,
      int breaks)
{
	if (breaks && y->column + a->chars > YO_WIDTH + 1)
		return 0;
	put_ascii(y, (const char *)s, n);
	y->column += (int)(a->chars - (long)n);
	return 1;
}

static void
write_plain(struct yout *y, const unsigned char *s, size_t n,
	    const struct scan *a, int breaks)
{
	const unsigned char *p = s, *end = s + n;
	int spaces = 0;

	if (!y->whitespace && n)
		put(y, ' ');
	/* a plain scalar holds no line break (analyze() rules it out) */
	if (whole(y, s, n, a, breaks))
		p = end;
	while (p != end) {
		if (*p == ' ') {
			if (breaks && !spaces && y->column > YO_WIDTH &&
			    p[1] != ' ')
				write_indent(y);
			else
				put(y, ' ');
			p++;
			spaces = 1;
			continue;
		}
		put_char(y, p, width_of(*p));
		p += width_of(*p);
		y->indention = 0;
		spaces = 0;
	}
	y->whitespace = 0;
	y->indention = 0;
}

/* A line break inside a quoted scalar: '\n' as a break, and the others
 * (U+2028, U+2029) copied, each ending the line. */
static void
write_break(struct yout *y, const unsigned char *p, int w)
{
	if (*p == '\n') {
		put_break(y);
		return;
	}
	room(y, 4);
	memcpy(y->buf + y->len, p, (size_t)w);
	y->len += (size_t)w;
	y->column = 0;
}

static void
write_single(struct yout *y, const unsigned char *s, size_t n, int allow)
{
	const unsigned char *p = s, *end = s + n;
	int spaces = 0, breaks = 0;

	write_indicator(y, "'", 1, 0, 0);
	while (p != end) {
		int w = width_of(*p);
		if (*p == ' ') {
			if (allow && !spaces && y->column > YO_WIDTH &&
			    p != s && p != end - 1 && p[1] != ' ')
				write_indent(y);
			else
				put(y, ' ');
			spaces = 1;
		} else if (is_break(p)) {
			if (!breaks && *p == '\n')
				put_break(y);
			write_break(y, p, w);
			y->indention = 1;
			breaks = 1;
		} else {
			if (breaks)
				write_indent(y);
			if (*p == '\'')
				put(y, '\'');
			put_char(y, p, w);
			y->indention = 0;
			spaces = 0;
			breaks = 0;
		}
		p += w;
	}
	if (breaks)
		write_indent(y);
	write_indicator(y, "'", 0, 0, 0);
	y->whitespace = 0;
	y->indention = 0;
}

/* The escape of the character at p (w bytes) after its backslash. */
static void
write_escape(struct yout *y, const unsigned char *p, int w)
{
	static const char hex[] = "0123456789ABCDEF";
	static const struct {
		unsigned v;
		char c;
	} named[] = {{0x00, '0'}, {0x07, 'a'},   {0x08, 'b'},  {0x09, 't'},
		     {0x0a, 'n'}, {0x0b, 'v'},   {0x0c, 'f'},  {0x0d, 'r'},
		     {0x1b, 'e'}, {0x22, '"'},   {0x5c, '\\'}, {0x85, 'N'},
		     {0xa0, '_'}, {0x2028, 'L'}, {0x2029, 'P'}};
	unsigned v = w == 1 ? *p : *p & (0xff >> (w + 1));
	int digits;

	for (int k = 1; k < w; k++)
		v = (v << 6) + (p[k] & 0x3f);
	put(y, '\\');
	for (size_t i = 0; i < sizeof(named) / sizeof(*named); i++)
		if (named[i].v == v) {
			put(y, (unsigned char)named[i].c);
			return;
		}
	digits = v <= 0xff ? 2 : v <= 0xffff ? 4 : 8;
	put(y, digits == 2 ? 'x' : digits == 4 ? 'u' : 'U');
	for (int k = (digits - 1) * 4; k >= 0; k -= 4)
		put(y, (unsigned char)hex[(v >> k) & 0x0f]);
}

static void
write_double(struct yout *y, const unsigned char *s, size_t n,
	     const struct scan *a, int allow)
{
	const unsigned char *p = s, *end = s + n;
	int spaces = 0;

	write_indicator(y, "\"", 1, 0, 0);
	if (!a->escapes && whole(y, s, n, a, allow))
		p = end;
	while (p != end) {
		int w = width_of(*p);
		/* (a byte order mark is not printable) */
		if (!is_printable(p) || is_break(p) || *p == '"' ||
		    *p == '\\') {
			write_escape(y, p, w);
			spaces = 0;
		} else if (*p == ' ') {
			if (allow && !spaces && y->column > YO_WIDTH &&
			    p != s && p != end - 1) {
				write_indent(y);
				if (p[1] == ' ')
					put(y, '\\');
			} else {
				put(y, ' ');
			}
			spaces = 1;
		} else {
			put_char(y, p, w);
			spaces = 0;
		}
		p += w;
	}
	write_indicator(y, "\"", 0, 0, 0);
	y->whitespace = 0;
	y->indention = 0;
}

/* ---- the structure ---- */

/* The pending collection holds something: a block one, its indentation
 * (a sequence that is a mapping's value is not indented past its key). */
static void
open_pending(struct yout *y)
{
	int map = y->pending == 'm';

	if (!y->pending)
		return;
	y->pending = 0;
	if (y->depth == YO_DEPTH) {
		y->failed = 1;
		return;
	}
	increase_indent(y, 0, !map && y->pending_in_map && !y->indention);
	y->lv[y->depth++] = (struct level){(char)map, 1, 0};
}

/*
 * What comes before a node at the current place: "- " in a sequence; in
 * a mapping, a new line for a key (and "? " when it cannot be a simple
 * one: a scalar with a line break or over 128 bytes), ": " before its
 * value.  a: the scalar, NULL for a collection (never a key here).
 * Returns whether the node is a simple key.
 */
static int
before(struct yout *y, const struct scan *a, size_t n)
{
	struct level *l;

	open_pending(y);
	if (!y->depth) {
		y->failed |= y->nodes > 0; /* a second root */
		return 0;
	}
	l = &y->lv[y->depth - 1];
	if (!l->map) {
		write_indent(y);
		write_indicator(y, "-", 1, 0, 1);
		return 0;
	}
	if (l->key) {
		if (!a) {
			y->failed = 1;
			return 0;
		}
		write_indent(y);
		l->key = 0;
		l->simple = !a->multiline && n <= 128;
		if (!l->simple)
			write_indicator(y, "?", 1, 0, 1);
		return l->simple;
	}
	if (l->simple) {
		write_indicator(y, ":", 0, 0, 0);
	} else {
		write_indent(y);
		write_indicator(y, ":", 1, 0, 1);
	}
	l->key = 1;
	return 0;
}

/* The style libyaml picks (yaml_emitter_select_scalar_style) for one asked
 * for as `style` (PLAIN stands for any) in block context. */
static int
style_of(const struct scan *a, size_t n, int style, int plain_implicit,
	 int simple_key)
{
	if (simple_key && a->multiline)
		style = DOUBLE;
	if (style == PLAIN &&
	    (!a->plain_ok || (!n && simple_key) || !plain_implicit))
		style = SINGLE;
	if (style == SINGLE && !a->single_ok)
		style = DOUBLE;
	return style;
}

static void
scalar(struct yout *y, const char *str, int style, int plain_implicit)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n;
	struct scan a;
	int simple;

	if (y->failed)
		return;
	if (ascii_plain(s, &n)) {
		a = (struct scan){0, 1, 1, 0, (long)n};
	} else {
		n = strlen(str);
		if (!utf8_ok(s, n)) {
			y->failed = 1; /* as libyaml refuses the event */
			return;
		}
		analyze(s, n, &a);
	}
	simple = before(y, &a, n);
	style = style_of(&a, n, style, plain_implicit, simple);
	increase_indent(y, 1, 0);
	if (style == PLAIN)
		write_plain(y, s, n, &a, !simple);
	else if (style == SINGLE)
		write_single(y, s, n, !simple);
	else
		write_double(y, s, n, &a, !simple);
	pop_indent(y);
	y->nodes++;
}

static void
open_collection(struct yout *y, int map)
{
	if (y->failed)
		return;
	before(y, NULL, 0);
	y->pending_in_map = y->depth > 0 && y->lv[y->depth - 1].map;
	y->pending = map ? 'm' : 's';
	y->nodes++;
}

void
yout_map(struct yout *y)
{
	open_collection(y, 1);
}

void
yout_seq(struct yout *y)
{
	open_collection(y, 0);
}

void
yout_end(struct yout *y, int map)
{
	if (y->failed)
		return;
	if (y->pending) {
		/* nothing in it: [] or {} */
		if ((y->pending == 'm') != !!map) {
			y->failed = 1;
			return;
		}
		y->pending = 0;
		write_indicator(y, map ? "{" : "[", 1, 1, 0);
		write_indicator(y, map ? "}" : "]", 0, 0, 0);
		return;
	}
	if (!y->depth || y->lv[y->depth - 1].map != !!map ||
	    (map && !y->lv[y->depth - 1].key)) {
		y->failed = 1; /* no such collection open, or a key alone */
		return;
	}
	y->depth--;
	pop_indent(y);
}

void
yout_str(struct yout *y, const char *s)
{
	int r;

	if (!s) {
		scalar(y, "null", PLAIN, 1);
		return;
	}
	r = yaml_retyped(s, strlen(s));
	scalar(y, s, r ? DOUBLE : PLAIN, !r);
}

void
yout_plain(struct yout *y, const char *s)
{
	scalar(y, s, PLAIN, 1);
}

const struct ap_error *
yout_open(FILE *f, struct yout **out)
{
	struct yout *y = calloc(1, sizeof(*y));

	*out = y;
	if (!y)
		return ap_error_nomem();
	if (!quiet['a'])
		quiet_init();
	y->f = f;
	y->indent = -1;
	y->whitespace = 1;
	y->indention = 1;
	return NULL;
}

const struct ap_error *
yout_close(struct yout *y)
{
	int failed;

	/* the document's end: a whole document, then a line break */
	if (!y->nodes || y->pending || y->depth)
		y->failed = 1;
	if (!y->failed) {
		write_indent(y);
		flush_buf(y);
	}
	failed = y->failed;
	free(y);
	return failed ? ap_error_fmt(AP_EXIT_STORE, "cannot write YAML output")
		      : NULL;
}

/* ---- strings a reader would retype ---- */

int
yaml_retyped(const char *s, size_t n)
{
	static const char *const words[] = {
	    "y",    "n", "yes",  "no",   "on",    "off",   "true", "false",
	    "null", "~", ".nan", ".inf", "-.inf", "+.inf", NULL};
	char *end;

	if (!n)
		return 1;
	if (n <= 5) /* the longest word */
		for (const char *const *w = words; *w; w++)
			if (strcasecmp(s, *w) == 0)
				return 1;
	/* sexagesimal (1:20), hex/binary-looking, dates and time stamps
	 * (before strtod(): a time stamp is one, and cheaper to see so) */
	if (strspn(s, "0123456789:._-+") == n ||
	    (s[0] >= '0' && s[0] <= '9' &&
	     strspn(s, "0123456789:._-+TZtz ") == n))
		return 1;
	/* strtod() takes a whole string only when it starts with one of
	 * these (space, sign, digit, point, inf, nan) */
	if (strchr(" \t\n\v\f\r+-.0123456789iInN", s[0])) {
		strtod(s, &end);
		if (*end == '\0')
			return 1;
	}
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
		return 1;
	return 0;
}
