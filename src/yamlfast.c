/*
 * yamlfast.c - the YAML of `aiproj export`, read without libyaml.
 *
 * yamlout.c writes block mappings and sequences: a mapping's keys one a
 * line at its column, a sequence that is a mapping's value as "- " items at
 * the key's own column (libyaml's "indentless" sequence), an item that is
 * a mapping with its first key on the item's line, scalars plain or quoted
 * (a long one folded over lines indented past its collection, a line break
 * in single quotes written as an empty line), an empty collection as [] or
 * {}.  This reader takes exactly that, a line at a time, and gives the
 * events libyaml 0.2.5's parser gives for it, with its marks:
 *  - a scalar, a flow collection's start and end: where its token starts
 *    (a quoted scalar: at its quote);
 *  - a block mapping's start: at its first key; an indentless sequence's:
 *    at its first '-';
 *  - the end of a block collection: where the next token starts (the next
 *    line's first character), or at the end of the input (the line after
 *    the last line break, column 0), as the document's end;
 *  - the document's start: at its first token; the stream's: 0:0.
 * Columns count characters, not bytes.  A line's events are given once
 * the whole line (and the lines its scalar takes) is read.
 *
 * Anything else gives up (YF_OTHER): a blank line (but in single or double
 * quotes), a comment, a tab, a carriage return, a byte order mark, a line
 * break that libyaml takes as one (U+0085, U+2028, U+2029), a character
 * libyaml's reader refuses (a control character, U+FFFE, ...), bytes that
 * are not UTF-8, an odd indentation, a sequence that is not a mapping's
 * value at its column, an item or a value on the line after its "-" or
 * key, a folded line that starts with an indicator or a quote, or follows
 * a space, a block scalar, anchors, aliases, tags, directives, document
 * markers, flow collections with something in them, "? " keys, a key of
 * more than 200 bytes or on more than one line, an escape this reader does
 * not know, trailing spaces, no line break at the end.  The caller then
 * lets libyaml read the file, for its events and its messages.
 */
#include "aiproj/yamlfast.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define YF_CHUNK (256u << 10)
#define YF_MAX_LINE (4u << 20)
#define YF_DEPTH 128 /* open block collections */
#define YF_MAX_KEY 200

/* what the line functions return but 0 */
#define OTHER (-1) /* give up */
#define MORE 2     /* the line goes on past the bytes read so far */

/* the bytes that may not start a plain scalar (in block context) */
static const char indicators[] = "-?:,[]{}#&*!|>'\"%@`";

struct level {
	int seq; /* an indentless sequence (else a block mapping) */
	size_t col;
};

struct yf {
	yf_fn fn;
	void *arg;
	int stopped;
	size_t line;               /* of the line being read, 0-based */
	const unsigned char *bend; /* the end of the bytes read */
	int eof;                   /* and no more to come */
	const unsigned char *last; /* the line read ends at this '\n' */
	size_t more_lines;         /* the lines it took past its first */
	int started;               /* the root mapping is open */
	int pending;               /* the last line ended with "key:" */
	struct level st[YF_DEPTH];
	int depth;
	/* the levels a line overwrote, to be put back when it is read again
	 * (MORE) */
	struct {
		int i;
		struct level v;
	} undo[4];
	int nundo;
	/* a line's events, given once the whole line is read */
	struct yf_event q[YF_DEPTH + 8];
	int nq;
	char *tmp[2]; /* quoted or folded scalars: a key's, a value's */
	size_t tmpcap[2];
};

/* A scalar token. */
struct tok {
	const char *s;
	size_t len;
	int plain;
	int key;                  /* followed by ':' and a space or the end */
	const unsigned char *end; /* past the token (at the ':' of a key) */
	const unsigned char *e;   /* the end of its last line */
	size_t lines;             /* the lines it took past its first */
};

static int
emit(struct yf *y, int type, size_t line, size_t col, const struct tok *t)
{
	struct yf_event *ev;

	if (!y->fn)
		return 0;
	if (y->nq == (int)(sizeof(y->q) / sizeof(y->q[0])))
		return OTHER;
	ev = &y->q[y->nq++];
	*ev = (struct yf_event){type, line, col, NULL, 0, 0};
	if (t) {
		ev->s = t->s;
		ev->len = t->len;
		ev->plain = t->plain;
	}
	return 0;
}

/* Give the line's events. */
static int
flush(struct yf *y)
{
	for (int i = 0; i < y->nq; i++)
		if (y->fn(y->arg, &y->q[i])) {
			y->stopped = 1;
			return OTHER;
		}
	y->nq = 0;
	return 0;
}

/* The length of the character at p if it is one this reader takes past
 * ASCII, else 0: well-formed UTF-8, not overlong, a character libyaml's
 * reader takes (from U+00A0, no surrogate, not U+FFFE or U+FFFF), but none
 * it reads as a line break (U+2028, U+2029) or a byte order mark. */
static size_t
u8len(const unsigned char *p, const unsigned char *e)
{
	unsigned c = p[0];

	if (c >= 0xc2 && c <= 0xdf) {
		if (e - p < 2 || (p[1] & 0xc0) != 0x80 ||
		    (c == 0xc2 && p[1] < 0xa0))
			return 0;
		return 2;
	}
	if (c >= 0xe0 && c <= 0xef) {
		if (e - p < 3 || (p[1] & 0xc0) != 0x80 || (p[2] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] >= 0xa0))
			return 0; /* overlong, a surrogate */
		if (c == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
			return 0;
		if (c == 0xef && ((p[1] == 0xbb && p[2] == 0xbf) ||
				  (p[1] == 0xbf && p[2] >= 0xbe)))
			return 0;
		return 3;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (e - p < 4 || (p[1] & 0xc0) != 0x80 ||
		    (p[2] & 0xc0) != 0x80 || (p[3] & 0xc0) != 0x80)
			return 0;
		if ((c == 0xf0 && p[1] < 0x90) || (c == 0xf4 && p[1] >= 0x90))
			return 0;
		return 4;
	}
	return 0;
}

/* Characters (columns) in n bytes of valid UTF-8. */
static size_t
chars(const unsigned char *p, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++)
		k += (p[i] & 0xc0) != 0x80;
	return k;
}

/* k bytes at the end of scalar buffer b, n bytes long so far. */
static int
put(struct yf *y, int b, size_t *n, const void *s, size_t k)
{
	if (*n + k > y->tmpcap[b]) {
		size_t cap = y->tmpcap[b] ? y->tmpcap[b] * 2 : 256;
		char *t;
		while (cap < *n + k)
			cap *= 2;
		if (!(t = realloc(y->tmp[b], cap)))
			return OTHER; /* libyaml will say it */
		y->tmp[b] = t;
		y->tmpcap[b] = cap;
	}
	memcpy(y->tmp[b] + *n, s, k);
	*n += k;
	return 0;
}

static int
hexval(const unsigned char *p, int k, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < k; i++) {
		unsigned c = p[i], d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return OTHER;
		*v = *v * 16 + d;
	}
	return 0;
}

/* A character as UTF-8 into the value, as libyaml writes an escape's. */
static int
put_code(struct yf *y, int b, size_t *n, unsigned v)
{
	unsigned char c[4];
	size_t k;

	if ((v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return OTHER;
	if (v <= 0x7f) {
		c[0] = (unsigned char)v;
		k = 1;
	} else if (v <= 0x7ff) {
		c[0] = (unsigned char)(0xc0 + (v >> 6));
		c[1] = (unsigned char)(0x80 + (v & 0x3f));
		k = 2;
	} else if (v <= 0xffff) {
		c[0] = (unsigned char)(0xe0 + (v >> 12));
		c[1] = (unsigned char)(0x80 + ((v >> 6) & 0x3f));
		c[2] = (unsigned char)(0x80 + (v & 0x3f));
		k = 3;
	} else {
		c[0] = (unsigned char)(0xf0 + (v >> 18));
		c[1] = (unsigned char)(0x80 + ((v >> 12) & 0x3f));
		c[2] = (unsigned char)(0x80 + ((v >> 6) & 0x3f));
		c[3] = (unsigned char)(0x80 + (v & 0x3f));
		k = 4;
	}
	return put(y, b, n, c, k);
}

/*
 * The line after the one that ends at e, when it may go on a scalar (is
 * indented past the innermost collection's column): *s at its first
 * character, *ne at its end.  Returns 0 when there is none such (at the
 * end of the input, or less indented), 1 when there is, EMPTY for an empty
 * line (*ne set), MORE when it is not all read yet, OTHER for a line of
 * spaces or one without a line break.
 */
#define EMPTY 3
static int
next_line(struct yf *y, const unsigned char *e, const unsigned char **s,
	  const unsigned char **ne)
{
	const unsigned char *p = e + 1, *q = p;

	if (p == y->bend)
		return y->eof ? 0 : MORE;
	if (!(*ne = memchr(p, '\n', (size_t)(y->bend - p))))
		return y->eof ? OTHER : MORE;
	if (p == *ne)
		return EMPTY;
	while (q < *ne && *q == ' ')
		q++;
	if (q == *ne)
		return OTHER;
	*s = q;
	return (size_t)(q - p) > y->st[y->depth - 1].col;
}

/*
 * A quoted scalar at p, its line ending at *e: one line, or more when
 * `multi` (a line break in it is read as a space: a folded line), each
 * further line indented past the innermost collection's column.
 */
static int
quoted(struct yf *y, int b, int multi, const unsigned char *p,
       const unsigned char *e, struct tok *t)
{
	static const char from[] = "0abtnvfre \"/\\";
	static const char to[] = "\0\a\b\t\n\v\f\r\x1b \"/\\";
	int dq = *p == '"';
	size_t n = 0;
	const unsigned char *q = p + 1;

	t->lines = 0;
	for (;;) {
		const unsigned char *r = q;
		/* a run of plain ASCII at once */
		if (dq)
			while (r < e && *r >= 0x20 && *r < 0x7f && *r != '"' &&
			       *r != '\\')
				r++;
		else
			while (r < e && *r >= 0x20 && *r < 0x7f && *r != '\'')
				r++;
		if (r > q && put(y, b, &n, q, (size_t)(r - q)))
			return OTHER;
		q = r;
		if (q == e) {
			/* a folded line, not after a space or the quote: a
			 * space, or a line break for each empty line after
			 * it; the next line not at the closing quote */
			const unsigned char *s, *ne;
			size_t empty = 0;
			int k;
			if (!multi || q[-1] == ' ' || q == p + 1)
				return OTHER;
			while ((k = next_line(y, e, &s, &ne)) == EMPTY) {
				empty++;
				e = ne;
				t->lines++;
			}
			if (k != 1)
				return k == MORE ? MORE : OTHER;
			if (*s == *p)
				return OTHER;
			if (!empty && put(y, b, &n, " ", 1))
				return OTHER;
			for (; empty; empty--)
				if (put(y, b, &n, "\n", 1))
					return OTHER;
			q = s;
			e = ne;
			t->lines++;
			continue;
		}
		if (*q == *p) {
			if (dq || q + 1 == e || q[1] != '\'')
				break;
			if (put(y, b, &n, "'", 1)) /* '' in single quotes */
				return OTHER;
			q += 2;
			continue;
		}
		if (*q == '\\') {
			const char *c;
			unsigned v;
			int k;
			if (q + 1 == e)
				return OTHER;
			c = q[1] ? strchr(from, q[1]) : NULL;
			if (c) {
				if (put(y, b, &n, to + (c - from), 1))
					return OTHER;
				q += 2;
				continue;
			}
			switch (q[1]) {
			case 'N':
				v = 0x85;
				k = 0;
				break;
			case '_':
				v = 0xa0;
				k = 0;
				break;
			case 'L':
				v = 0x2028;
				k = 0;
				break;
			case 'P':
				v = 0x2029;
				k = 0;
				break;
			case 'x': k = 2; break;
			case 'u': k = 4; break;
			case 'U': k = 8; break;
			default: return OTHER;
			}
			if (k && (e - q - 2 < k || hexval(q + 2, k, &v)))
				return OTHER;
			if (put_code(y, b, &n, v))
				return OTHER;
			q += 2 + k;
			continue;
		}
		if (*q < 0x80) /* a control character, DEL */
			return OTHER;
		{
			size_t k = u8len(q, e);
			if (!k || put(y, b, &n, q, k))
				return OTHER;
			q += k;
		}
	}
	t->s = y->tmp[b] ? y->tmp[b] : "";
	t->len = n;
	t->plain = 0;
	t->end = q + 1;
	t->e = e;
	return 0;
}

/* Bytes of a plain scalar past its first that need no second look:
 * printable ASCII but space, ':' and '#'. */
static unsigned char calm[256];

/* Plain text at p on one line: to the end of the line, or to a ':' before
 * a space or the end (a key). */
static int
plain_line(const unsigned char *p, const unsigned char *e, struct tok *t)
{
	const unsigned char *q = p;
	unsigned c;

	if (e - p >= 3 && ((p[0] == '.' && p[1] == '.' && p[2] == '.') ||
			   (p[0] == '-' && p[1] == '-' && p[2] == '-')))
		return OTHER;
	t->key = 0;
	while (q < e) {
		while (q < e && calm[*q])
			q++;
		if (q == e)
			break;
		c = *q;
		if (c == ':') {
			if (q + 1 == e || q[1] == ' ') {
				t->key = 1;
				break;
			}
			q++;
		} else if (c == ' ') {
			if (q + 1 < e && q[1] == '#')
				return OTHER; /* a comment */
			q++;
		} else if (c == '#') {
			q++; /* (after a space: a comment, seen above) */
		} else if (c >= 0x80) {
			size_t k = u8len(q, e);
			if (!k)
				return OTHER;
			q += k;
		} else {
			return OTHER; /* a control character, DEL */
		}
	}
	if (q == p || q[-1] == ' ')
		return OTHER; /* a space before ':' or at the end */
	t->s = (const char *)p;
	t->len = (size_t)(q - p);
	t->plain = 1;
	t->end = q;
	t->e = e;
	t->lines = 0;
	return 0;
}

/* A plain scalar at p: what may start one in block context (no
 * indicator, but '-' before a non-blank; '?' and ':' left out).  When
 * `multi`, the lines after it indented past the innermost collection's
 * column go on with it, each joined with a space (a folded line). */
static int
plain(struct yf *y, int multi, const unsigned char *p, const unsigned char *e,
      struct tok *t)
{
	const unsigned char *s, *ne;
	size_t n = 0;
	struct tok u;
	int k;

	if (*p < 0x21 || strchr(indicators, *p))
		if (*p != '-' || e - p < 2 || p[1] == ' ')
			return OTHER;
	if (plain_line(p, e, t))
		return OTHER;
	if (!multi || t->key)
		return 0;
	while ((k = next_line(y, t->e, &s, &ne)) == 1) {
		/* (a continuation starts with no indicator, though libyaml
		 * takes some) */
		if (strchr(indicators, *s) || plain_line(s, ne, &u) || u.key)
			return OTHER;
		if ((!n && put(y, 1, &n, t->s, t->len)) ||
		    put(y, 1, &n, " ", 1) || put(y, 1, &n, u.s, u.len))
			return OTHER;
		t->e = t->end = ne;
		t->lines++;
	}
	if (k)
		return k == MORE ? MORE : OTHER;
	if (n) {
		t->s = y->tmp[1];
		t->len = n;
	}
	return 0;
}

/* A scalar token at p (not at the end of the line); b: the buffer for
 * its value, multi: whether it may take more lines. */
static int
scalar(struct yf *y, int b, int multi, const unsigned char *p,
       const unsigned char *e, struct tok *t)
{
	const unsigned char *q;
	int r;

	if (p >= e)
		return OTHER;
	if (*p == '"' || *p == '\'') {
		if ((r = quoted(y, b, multi, p, e, t)))
			return r;
		q = t->end;
		t->key = q < t->e;
		if (t->key && (*q != ':' || (q + 1 < t->e && q[1] != ' ')))
			return OTHER; /* something after the quote */
	} else if ((r = plain(y, multi, p, e, t))) {
		return r;
	}
	if (t->key && (t->lines || t->end - p > YF_MAX_KEY))
		return OTHER; /* libyaml's simple keys are 1024 at most */
	return 0;
}

/* A value at p (column col) to the end of its line or lines: a scalar, []
 * or {}. */
static int
value(struct yf *y, const unsigned char *p, const unsigned char *e, size_t col)
{
	struct tok t;
	int r;

	if (p < e && (*p == '[' || *p == '{')) {
		int seq = *p == '[';
		if (e - p != 2 || p[1] != (seq ? ']' : '}'))
			return OTHER;
		if (emit(y, seq ? YF_SEQUENCE_START : YF_MAPPING_START, y->line,
			 col, NULL))
			return OTHER;
		return emit(y, seq ? YF_SEQUENCE_END : YF_MAPPING_END, y->line,
			    col + 1, NULL);
	}
	if ((r = scalar(y, 1, 1, p, e, &t)))
		return r;
	if (t.key || t.end != t.e)
		return OTHER;
	y->last = t.e;
	y->more_lines = t.lines;
	return emit(y, YF_SCALAR, y->line, col, &t);
}

/* A key t (read at p, column col) and what follows it on the line. */
static int
key_rest(struct yf *y, const struct tok *t, const unsigned char *p,
	 const unsigned char *e, size_t col)
{
	const unsigned char *q = t->end + 1; /* past the ':' */

	if (emit(y, YF_SCALAR, y->line, col, t))
		return OTHER;
	if (q == e) {
		y->pending = 1;
		return 0;
	}
	q++; /* the space */
	return value(y, q, e, col + chars(p, (size_t)(q - p)));
}

static int
push(struct yf *y, int seq, size_t col)
{
	if (y->depth == YF_DEPTH || y->nundo == 4)
		return OTHER;
	y->undo[y->nundo].i = y->depth;
	y->undo[y->nundo++].v = y->st[y->depth];
	y->st[y->depth++] = (struct level){seq, col};
	return emit(y, seq ? YF_SEQUENCE_START : YF_MAPPING_START, y->line, col,
		    NULL);
}

static int
pop(struct yf *y, size_t line, size_t col)
{
	y->depth--;
	return emit(y, y->st[y->depth].seq ? YF_SEQUENCE_END : YF_MAPPING_END,
		    line, col, NULL);
}

/* A line of a mapping at column col (p): a key and its value. */
static int
key_line(struct yf *y, const unsigned char *p, const unsigned char *e,
	 size_t col)
{
	struct tok t;

	if (scalar(y, 0, 0, p, e, &t) || !t.key)
		return OTHER;
	return key_rest(y, &t, p, e, col);
}

/* An item of a sequence, its "- " at column col (p). */
static int
item(struct yf *y, const unsigned char *p, const unsigned char *e, size_t col)
{
	struct tok t;
	int r;

	if (e - p < 3)
		return OTHER; /* "-" or "- " alone: the item on the next line */
	p += 2;
	col += 2;
	if (*p == '[' || *p == '{')
		return value(y, p, e, col);
	if ((r = scalar(y, 0, 1, p, e, &t)))
		return r;
	if (!t.key) {
		if (t.end != t.e)
			return OTHER;
		y->last = t.e;
		y->more_lines = t.lines;
		return emit(y, YF_SCALAR, y->line, col, &t);
	}
	if (push(y, 0, col))
		return OTHER;
	return key_rest(y, &t, p, e, col);
}

/* The line from p to e (its line break), and the lines a scalar at its
 * end takes: y->last and y->more_lines say where they end. */
static int
line(struct yf *y, const unsigned char *p, const unsigned char *e)
{
	const unsigned char *s = p;
	size_t c;
	int dash;

	while (s < e && *s == ' ')
		s++;
	if (s == e)
		return OTHER; /* a blank line */
	c = (size_t)(s - p);
	dash = *s == '-' && (s + 1 == e || s[1] == ' ');
	if (!y->started) {
		if (dash || emit(y, YF_STREAM_START, 0, 0, NULL) ||
		    emit(y, YF_DOCUMENT_START, y->line, c, NULL) ||
		    push(y, 0, c))
			return OTHER;
		y->started = 1;
		return key_line(y, s, e, c);
	}
	if (y->pending) {
		size_t pc = y->st[y->depth - 1].col;
		y->pending = 0;
		if (dash)
			return c == pc && !push(y, 1, c) ? item(y, s, e, c)
							 : OTHER;
		if (c <= pc || push(y, 0, c))
			return OTHER;
		return key_line(y, s, e, c);
	}
	while (y->depth && y->st[y->depth - 1].col > c)
		if (pop(y, y->line, c))
			return OTHER;
	if (!y->depth || y->st[y->depth - 1].col != c)
		return OTHER;
	if (dash)
		return y->st[y->depth - 1].seq ? item(y, s, e, c) : OTHER;
	if (y->st[y->depth - 1].seq && pop(y, y->line, c))
		return OTHER;
	if (!y->depth || y->st[y->depth - 1].seq ||
	    y->st[y->depth - 1].col != c)
		return OTHER;
	return key_line(y, s, e, c);
}

/* The end of the input, after y->line lines. */
static int
end(struct yf *y)
{
	if (!y->started || y->pending)
		return OTHER;
	while (y->depth)
		if (pop(y, y->line, 0))
			return OTHER;
	return emit(y, YF_DOCUMENT_END, y->line, 0, NULL);
}

/* A line read in full, from the state before it: MORE (it needs more
 * bytes than are read) puts the state back, to read it again. */
static int
whole_line(struct yf *y, const unsigned char *p, const unsigned char *e)
{
	int depth = y->depth, pending = y->pending, started = y->started, r;

	y->nundo = 0;
	y->nq = 0;
	y->last = e;
	y->more_lines = 0;
	r = line(y, p, e);
	if (r == MORE) {
		while (y->nundo > 0) {
			y->nundo--;
			y->st[y->undo[y->nundo].i] = y->undo[y->nundo].v;
		}
		y->depth = depth;
		y->pending = pending;
		y->started = started;
		return MORE;
	}
	return r ? OTHER : y->fn ? flush(y) : 0;
}

int
yfast_read(FILE *f, yf_fn fn, void *arg)
{
	struct yf y = {.fn = fn, .arg = arg};
	size_t cap = YF_CHUNK, len = 0, pos = 0;
	unsigned char *buf = malloc(cap), *nl;
	int r = YF_OTHER, k;

	if (!calm['a'])
		for (int c = 0x21; c < 0x7f; c++)
			calm[c] = c != ':' && c != '#';
	if (!buf)
		return YF_OTHER;
	for (;;) {
		size_t got;
		y.bend = buf + len;
		k = 0;
		while ((nl = memchr(buf + pos, '\n', len - pos)) &&
		       !(k = whole_line(&y, buf + pos, nl))) {
			pos = (size_t)(y.last - buf) + 1;
			y.line += 1 + y.more_lines;
		}
		if (k == OTHER)
			goto done;
		if (y.eof) {
			if (pos == len && !end(&y) && (!fn || !flush(&y)))
				r = YF_DONE;
			break;
		}
		memmove(buf, buf + pos, len - pos);
		len -= pos;
		pos = 0;
		if (len == cap) {
			unsigned char *b;
			if (cap >= YF_MAX_LINE || !(b = realloc(buf, cap * 2)))
				break;
			buf = b;
			cap *= 2;
		}
		got = fread(buf + len, 1, cap - len, f);
		if (!got && ferror(f)) {
			r = YF_IOERR;
			if (!errno)
				errno = EIO;
			break;
		}
		y.eof = !got;
		len += got;
	}
done:
	if (y.stopped)
		r = YF_STOPPED;
	free(buf);
	free(y.tmp[0]);
	free(y.tmp[1]);
	return r;
}
