/*
 * yamlio.c - YAML parsing through libyaml's event API, with limits.
 *
 * The only file that includes <yaml.h>.  libyaml 0.2.5 has no nesting
 * limit and its parser is quadratic in depth, so depth, size, scalar length
 * and node count are enforced here, in the event loop, stopping at the
 * first breach.
 */
#include "aiproj/yamlio.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "aiproj/util.h"
#include "aiproj/yamlfast.h"

struct loader {
	const char *name;
	size_t nodes;      /* events outside the streamed items */
	size_t item_nodes; /* events of the item being built */
	struct ynode *stack[YAML_MAX_DEPTH + 1];
	int depth;
	/* streaming: the items of the sequence under root key `key` */
	const char *key;
	struct ynode *seq; /* that sequence, once open (stack[1]) */
	int streaming;     /* seq is open: its items are being read */
	yaml_item_fn fn;
	void *arg;
	struct yarena arena; /* the item being built */
	int docs;            /* documents started */
	size_t skip;         /* libyaml's first events, given already */
	const struct yaml_trace *trace;
};

static const struct ap_error *
at(const struct loader *l, yaml_mark_t m, const char *msg, const char *arg)
{
	return ap_error_fmt(AP_EXIT_INPUT, "%s:%zu:%zu: %s%s%s%s", l->name,
			    m.line + 1, m.column + 1, msg, arg ? " '" : "",
			    arg ? arg : "", arg ? "'" : "");
}

/* ---- arenas ---- */

#define BLOCK_SIZE (64u << 10)
#define ALIGN sizeof(max_align_t)
#define ALIGNED(n) (((n) + ALIGN - 1) & ~(ALIGN - 1))

struct yblock {
	struct yblock *next;
	size_t size, used;
	max_align_t data[];
};

void *
yarena_alloc(struct yarena *a, size_t n)
{
	struct yblock *b;

	n = ALIGNED(n);
	/* the blocks after cur are spare: from before the last reset */
	while (a->cur && a->cur->size - a->cur->used < n && a->cur->next) {
		a->cur = a->cur->next;
		a->cur->used = 0;
	}
	if (!a->cur || a->cur->size - a->cur->used < n) {
		size_t size = n > BLOCK_SIZE ? n : BLOCK_SIZE;
		if (!(b = malloc(sizeof(*b) + size)))
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = NULL;
		if (a->cur) {
			b->next = a->cur->next;
			a->cur->next = b;
		} else {
			a->first = b;
		}
		a->cur = b;
	}
	b = a->cur;
	b->used += n;
	return (char *)b->data + b->used - n;
}

void
yarena_reset(struct yarena *a)
{
	a->cur = a->first;
	if (a->cur)
		a->cur->used = 0;
}

void
yarena_free(struct yarena *a)
{
	while (a->first) {
		struct yblock *next = a->first->next;
		free(a->first);
		a->first = next;
	}
	a->cur = NULL;
}

/* ---- trees ---- */

void
ynode_free(struct ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++)
		ynode_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

struct ynode *
ynode_scalar(const char *s, int plain)
{
	struct ynode *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->type = Y_SCALAR;
	n->plain = s ? plain : 1;
	if (!(n->str = strdup(s ? s : "null"))) {
		free(n);
		return NULL;
	}
	return n;
}

int
ynode_is_null(const struct ynode *n)
{
	const char *s;

	if (!n || n->type != Y_SCALAR || !n->plain)
		return 0;
	/* most plain scalars are no null: their first byte says so */
	s = n->str;
	switch (s[0]) {
	case '\0': return 1;
	case '~': return s[1] == '\0';
	case 'n': return strcmp(s, "null") == 0;
	case 'N': return strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0;
	default: return 0;
	}
}

struct ynode *
ymap_get(const struct ynode *m, const char *k)
{
	if (!m || m->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (m->kids[i]->str[0] == k[0] &&
		    strcmp(m->kids[i]->str, k) == 0)
			return m->kids[i + 1];
	return NULL;
}

/* Is a node made now (at the loader's depth) part of a streamed item,
 * built in the arena?  (Not what comes after the sequence.) */
static int
in_item(const struct loader *l)
{
	return l->streaming && l->depth >= 2;
}

static void *
alloc(struct loader *l, size_t n, int zero)
{
	void *p;

	if (!in_item(l))
		return zero ? calloc(1, n) : malloc(n);
	if ((p = yarena_alloc(&l->arena, n)) && zero)
		memset(p, 0, n);
	return p;
}

/* Free n unless it lives in the arena. */
static void
drop(const struct loader *l, struct ynode *n)
{
	if (!in_item(l))
		ynode_free(n);
}

static int
push_kid(struct loader *l, struct ynode *parent, struct ynode *kid)
{
	struct ynode **k;

	/* grow by doubling: n is a power of two when full */
	if ((parent->n & (parent->n - 1)) == 0) {
		size_t cap = parent->n ? parent->n * 2 : 1;
		if (in_item(l)) {
			if (!(k = yarena_alloc(&l->arena, cap * sizeof(*k))))
				return -1;
			if (parent->n)
				memcpy(k, parent->kids, parent->n * sizeof(*k));
		} else if (!(k = realloc(parent->kids, cap * sizeof(*k)))) {
			return -1;
		}
		parent->kids = k;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Attach a finished node to the open collection, checking map keys; a
 * finished item of the streamed sequence goes to the callback instead. */
static const struct ap_error *
attach(struct loader *l, struct ynode *n, yaml_mark_t m, struct ynode **root)
{
	const struct ap_error *err;
	struct ynode *parent;

	if (l->depth == 0) {
		*root = n;
		return NULL;
	}
	parent = l->stack[l->depth - 1];
	if (parent == l->seq && l->depth == 2) {
		err = l->fn(l->arg, l->stack[0], n, &l->arena);
		yarena_reset(&l->arena);
		l->item_nodes = 0;
		return err;
	}
	if (parent->type == Y_MAP && parent->n % 2 == 0) {
		if (n->type != Y_SCALAR) {
			/* where the key starts, not where it ends */
			m.line = (size_t)n->line - 1;
			m.column = (size_t)n->col - 1;
			drop(l, n);
			return at(l, m, "mapping keys must be scalars", NULL);
		}
		for (size_t i = 0; i < parent->n; i += 2)
			if (parent->kids[i]->str[0] == n->str[0] &&
			    strcmp(parent->kids[i]->str, n->str) == 0) {
				err = at(l, m, "duplicate key", n->str);
				drop(l, n);
				return err;
			}
	}
	if (push_kid(l, parent, n)) {
		drop(l, n);
		return ap_error_nomem();
	}
	return NULL;
}

static struct ynode *
node_new(struct loader *l, int type, yaml_mark_t m)
{
	struct ynode *n = alloc(l, sizeof(*n), 1);

	if (n) {
		n->type = type;
		n->line = (int)m.line + 1;
		n->col = (int)m.column + 1;
	}
	return n;
}

/* Only the core schema's own tags (!!str, !!int, ...) pass: any other,
 * like !!python/object, asks a reader to build something. */
static const struct ap_error *
check_tag(struct loader *l, yaml_mark_t m, const yaml_char_t *tag)
{
	static const char *const core[] = {"str",  "int", "float", "bool",
					   "null", "seq", "map",   NULL};
	const char *t = (const char *)tag;

	if (!t)
		return NULL;
	if (strncmp(t, "tag:yaml.org,2002:", 18) == 0)
		for (const char *const *c = core; *c; c++)
			if (strcmp(t + 18, *c) == 0)
				return NULL;
	return at(l, m, "tags are not allowed:", shown(t));
}

/* Does the sequence starting now hold the items to stream: the value of
 * root key l->key? */
static int
starts_stream(const struct loader *l)
{
	const struct ynode *r = l->stack[0];

	return l->fn && !l->seq && l->depth == 1 && r->type == Y_MAP &&
	       r->n % 2 == 1 && strcmp(r->kids[r->n - 1]->str, l->key) == 0;
}

/* An event as a test sees it (yaml_stream_with()). */
static void
trace(const struct yaml_trace *t, const yaml_event_t *ev)
{
	static const char codes[] = {
	    [YAML_STREAM_START_EVENT] = 'S',   [YAML_STREAM_END_EVENT] = 's',
	    [YAML_DOCUMENT_START_EVENT] = 'D', [YAML_DOCUMENT_END_EVENT] = 'd',
	    [YAML_ALIAS_EVENT] = '*',          [YAML_SCALAR_EVENT] = '=',
	    [YAML_SEQUENCE_START_EVENT] = '[', [YAML_SEQUENCE_END_EVENT] = ']',
	    [YAML_MAPPING_START_EVENT] = '{',  [YAML_MAPPING_END_EVENT] = '}'};
	int scalar = ev->type == YAML_SCALAR_EVENT;

	t->fn(t->arg, ev->type < sizeof(codes) ? codes[ev->type] : '?',
	      ev->start_mark.line, ev->start_mark.column,
	      scalar ? (const char *)ev->data.scalar.value : NULL,
	      scalar ? ev->data.scalar.length : 0,
	      scalar && ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE);
}

/* One event into the tree. */
static const struct ap_error *
event(struct loader *l, yaml_event_t *ev, struct ynode **root)
{
	const struct ap_error *err;
	struct ynode *n = NULL;
	size_t *count = in_item(l) ? &l->item_nodes : &l->nodes;

	if (l->trace)
		trace(l->trace, ev);

	if (++*count > YAML_MAX_NODES)
		return at(l, ev->start_mark, "too many YAML nodes", NULL);
	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		if (++l->docs > 1)
			return at(l, ev->start_mark,
				  "only one YAML document is allowed", NULL);
		return NULL;
	case YAML_ALIAS_EVENT:
		return at(l, ev->start_mark, "aliases are not allowed", NULL);
	case YAML_SCALAR_EVENT:
		if (ev->data.scalar.anchor)
			return at(l, ev->start_mark, "anchors are not allowed",
				  NULL);
		if ((err = check_tag(l, ev->start_mark, ev->data.scalar.tag)))
			return err;
		if (ev->data.scalar.length > YAML_MAX_SCALAR)
			return at(l, ev->start_mark,
				  "scalar is longer than 65536 bytes", NULL);
		if (!(n = node_new(l, Y_SCALAR, ev->start_mark)) ||
		    !(n->str = alloc(l, ev->data.scalar.length + 1, 0))) {
			if (n && !in_item(l))
				free(n);
			return ap_error_nomem();
		}
		memcpy(n->str, ev->data.scalar.value, ev->data.scalar.length);
		n->str[ev->data.scalar.length] = '\0';
		if (strlen(n->str) != ev->data.scalar.length) {
			drop(l, n);
			return at(l, ev->start_mark, "NUL byte in scalar",
				  NULL);
		}
		/* a !!str string is a string however written: not plain,
		 * so no number, bool or null, as if quoted */
		n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			   !(ev->data.scalar.tag &&
			     strcmp((const char *)ev->data.scalar.tag,
				    YAML_STR_TAG) == 0);
		return attach(l, n, ev->start_mark, root);
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int seq = ev->type == YAML_SEQUENCE_START_EVENT;
		const yaml_char_t *anchor = seq ? ev->data.sequence_start.anchor
						: ev->data.mapping_start.anchor;
		int stream;
		if (anchor)
			return at(l, ev->start_mark, "anchors are not allowed",
				  NULL);
		if ((err = check_tag(l, ev->start_mark,
				     seq ? ev->data.sequence_start.tag
					 : ev->data.mapping_start.tag)))
			return err;
		if (l->depth >= YAML_MAX_DEPTH)
			return at(l, ev->start_mark,
				  "nesting deeper than 64 levels", NULL);
		stream = seq && starts_stream(l);
		if (!(n = node_new(l, seq ? Y_SEQ : Y_MAP, ev->start_mark)))
			return ap_error_nomem();
		if (stream) {
			l->seq = n;
			l->streaming = 1;
		}
		l->stack[l->depth++] = n;
		return NULL;
	}
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = l->stack[--l->depth];
		if (n == l->seq)
			l->streaming = 0;
		return attach(l, n, ev->start_mark, root);
	default: return NULL;
	}
}

/* Where the bytes come from, and what is known of them. */
struct input {
	const char *buf; /* a whole document in memory, or */
	FILE *f;         /* one read through read_handler() */
	size_t len;      /* buf's length */
	/* read_handler(): the place of the next character, and the first
	 * invalid UTF-8 sequence or NUL byte, once found */
	size_t line, col;
	unsigned char pend[4]; /* a character cut by the end of a read */
	size_t npend;
	unsigned char ibuf[1 << 16]; /* checked bytes, for libyaml */
	size_t ipos, ilen;
	int bad, ioerr, eof;
	size_t bad_line, bad_col;
};

/* Check n bytes: stop at the first NUL or invalid UTF-8 sequence (in->bad,
 * at its line and column), or at a character the bytes cut (unless at the
 * end of the input: then it is invalid).  Returns the bytes that are whole
 * valid characters. */
static size_t
check_bytes(struct input *in, const unsigned char *b, size_t n, int end)
{
	size_t i = 0;

	while (i < n) {
		unsigned char c = b[i];
		size_t k;
		char tmp[5] = {0};
		if (c && c < 0x80) {
			if (c == '\n')
				in->line++, in->col = 1;
			else
				in->col++;
			i++;
			continue;
		}
		k = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
		if (c && i + k > n && !end)
			break; /* the rest comes with the next read */
		if (c)
			memcpy(tmp, b + i, i + k > n ? n - i : k);
		if (!c || i + k > n || !utf8_valid(tmp, 4)) {
			in->bad = 1;
			in->bad_line = in->line;
			in->bad_col = in->col;
			break;
		}
		in->col++;
		i += k;
	}
	return i;
}

/* Read the next bytes of in->f into in->buf: those that are whole,
 * valid characters; 0 at the end of the input, at a bad byte or a read
 * error. */
static size_t
refill(struct input *in)
{
	size_t got, n, ok = 0;

	while (!ok && !in->bad && !in->eof && !in->ioerr) {
		memcpy(in->ibuf, in->pend, in->npend);
		got = fread(in->ibuf + in->npend, 1,
			    sizeof(in->ibuf) - in->npend, in->f);
		if (got == 0 && ferror(in->f)) {
			in->ioerr = errno ? errno : EIO;
			break;
		}
		in->eof = got == 0;
		n = in->npend + got;
		ok = check_bytes(in, in->ibuf, n, in->eof);
		in->npend = in->bad ? 0 : n - ok;
		memcpy(in->pend, in->ibuf + ok, in->npend);
	}
	in->ipos = 0;
	in->ilen = ok;
	return ok;
}

/* libyaml's read handler: only whole, valid characters go through. */
static int
read_handler(void *data, unsigned char *buf, size_t size, size_t *size_read)
{
	struct input *in = data;
	size_t n;

	*size_read = 0;
	if (in->ipos == in->ilen && !refill(in))
		return !in->ioerr;
	n = in->ilen - in->ipos < size ? in->ilen - in->ipos : size;
	memcpy(buf, in->ibuf + in->ipos, n);
	in->ipos += n;
	*size_read = n;
	return 1;
}

/* The bytes libyaml has not read: is there an invalid one further on? */
static void
check_rest(struct input *in)
{
	while (refill(in))
		;
}

/* The line and column of byte `offset` of the input (libyaml's reader
 * gives a byte offset, not a mark). */
static yaml_mark_t
offset_mark(struct input *in, size_t offset)
{
	yaml_mark_t m = {0, 0, 0};
	unsigned char b[1 << 14];
	size_t k = 0, got = 0, i = 0;

	if (in->f && fseek(in->f, 0, SEEK_SET) != 0)
		return m;
	for (; k < offset; k++, i++) {
		unsigned char c;
		if (in->f && i == got) {
			if (!(got = fread(b, 1, sizeof(b), in->f)))
				break;
			i = 0;
		}
		if (!in->f && k >= in->len)
			break;
		c = in->f ? b[i] : (unsigned char)in->buf[k];
		if (c == '\n')
			m.line++, m.column = 0;
		else if ((c & 0xc0) != 0x80)
			m.column++;
	}
	return m;
}

/* The end of a reading: what is left of the tree freed, *root the
 * document (or NULL after an error, which is returned). */
static const struct ap_error *
finish(struct loader *l, const struct ap_error *err, int ioerr,
       struct ynode **root)
{
	/* open collections are not attached to a parent yet; those of a
	 * streamed item live in the arena */
	while (l->depth > 0) {
		l->depth--;
		if (!in_item(l))
			ynode_free(l->stack[l->depth]);
	}
	yarena_free(&l->arena);
	if (err || ioerr) {
		ynode_free(*root);
		*root = NULL;
		return err;
	}
	if (!*root)
		return ap_error_fmt(AP_EXIT_INPUT, "%s:1:1: document is empty",
				    l->name);
	return NULL;
}

/* Read the document from `in` with parser p (its input set) into *root;
 * the first l->skip events are not given to event(). */
static const struct ap_error *
load(struct loader *l, yaml_parser_t *p, struct input *in, struct ynode **root)
{
	yaml_event_t ev;
	const struct ap_error *err = NULL;
	int done = 0;

	if (!l->skip)
		*root = NULL;
	while (!done && !err) {
		if (!yaml_parser_parse(p, &ev)) {
			yaml_mark_t m = p->problem_mark;
			if (in->ioerr)
				break;
			if (p->error == YAML_READER_ERROR)
				m = offset_mark(in, p->problem_offset);
			err = at(l, m,
				 p->problem ? p->problem : "YAML syntax error",
				 NULL);
			break;
		}
		if (ev.type == YAML_STREAM_END_EVENT)
			done = 1;
		else if (l->skip)
			l->skip--;
		else
			err = event(l, &ev, root);
		yaml_event_delete(&ev);
	}
	return finish(l, err, in->ioerr, root);
}

const struct ap_error *
yaml_load(const char *buf, size_t len, const char *name, struct ynode **root)
{
	yaml_parser_t parser;
	struct loader l = {.name = name};
	struct input in = {.buf = buf, .len = len, .line = 1, .col = 1};
	const struct ap_error *err;

	*root = NULL;
	if (len > YAML_MAX_BYTES)
		return ap_error_fmt(AP_EXIT_INPUT,
				    "%s:1:1: document is %zu bytes; at most %u"
				    " are allowed",
				    name, len, YAML_MAX_BYTES);
	/* the first NUL or invalid UTF-8 byte within len, if any */
	check_bytes(&in, (const unsigned char *)buf, len, 1);
	if (in.bad)
		return ap_error_fmt(AP_EXIT_INPUT,
				    "%s:%zu:%zu: invalid UTF-8 or NUL byte",
				    name, in.bad_line, in.bad_col);
	if (!yaml_parser_initialize(&parser))
		return ap_error_nomem();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	err = load(&l, &parser, &in, root);
	yaml_parser_delete(&parser);
	return err;
}

/* The fast reader's events, as libyaml's, into the tree. */
struct fast {
	struct loader *l;
	struct ynode **root;
	const struct ap_error *err;
	size_t given; /* events given to event() */
};

static int
fast_event(void *arg, const struct yf_event *e)
{
	static const yaml_event_type_t types[] = {
	    [YF_STREAM_START] = YAML_STREAM_START_EVENT,
	    [YF_DOCUMENT_START] = YAML_DOCUMENT_START_EVENT,
	    [YF_DOCUMENT_END] = YAML_DOCUMENT_END_EVENT,
	    [YF_SCALAR] = YAML_SCALAR_EVENT,
	    [YF_SEQUENCE_START] = YAML_SEQUENCE_START_EVENT,
	    [YF_SEQUENCE_END] = YAML_SEQUENCE_END_EVENT,
	    [YF_MAPPING_START] = YAML_MAPPING_START_EVENT,
	    [YF_MAPPING_END] = YAML_MAPPING_END_EVENT};
	struct fast *x = arg;
	yaml_event_t ev;

	ev.type = types[e->type];
	ev.start_mark.line = e->line;
	ev.start_mark.column = e->col;
	ev.start_mark.index = 0;
	ev.end_mark = ev.start_mark;
	switch (e->type) {
	case YF_SCALAR:
		ev.data.scalar.anchor = NULL;
		ev.data.scalar.tag = NULL;
		ev.data.scalar.value = (yaml_char_t *)e->s;
		ev.data.scalar.length = e->len;
		ev.data.scalar.plain_implicit = e->plain;
		ev.data.scalar.quoted_implicit = !e->plain;
		ev.data.scalar.style = e->plain
					   ? YAML_PLAIN_SCALAR_STYLE
					   : YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		break;
	case YF_SEQUENCE_START:
		ev.data.sequence_start.anchor = NULL;
		ev.data.sequence_start.tag = NULL;
		break;
	case YF_MAPPING_START:
		ev.data.mapping_start.anchor = NULL;
		ev.data.mapping_start.tag = NULL;
		break;
	default: break;
	}
	x->given++;
	x->err = event(x->l, &ev, x->root);
	return x->err != NULL;
}

const struct ap_error *
yaml_stream_with(FILE *f, const char *name, const char *key, yaml_item_fn fn,
		 void *arg, struct ynode **root, int fast,
		 const struct yaml_trace *t, int *used)
{
	yaml_parser_t parser;
	struct loader l = {
	    .name = name, .key = key, .fn = fn, .arg = arg, .trace = t};
	struct input in = {.f = f, .line = 1, .col = 1};
	const struct ap_error *err;
	long start = fast ? ftell(f) : -1;

	*root = NULL;
	if (used)
		*used = 0;
	/*
	 * The fast reader checks the whole file first: when it takes it,
	 * libyaml would read it to its end without an error, with the same
	 * events; then it reads it again, giving them.  (Given at once, an
	 * event could come before a problem libyaml sees ahead of it, and so
	 * never gives the event.)  The file is read again from where it was.
	 */
	if (start >= 0) {
		int r = yfast_read(f, NULL, NULL);
		if (r == YF_DONE && fseek(f, start, SEEK_SET) == 0) {
			struct fast x = {&l, root, NULL, 0};
			r = yfast_read(f, fast_event, &x);
			if (r == YF_DONE || r == YF_STOPPED || r == YF_IOERR) {
				int ioerr = r == YF_IOERR ? errno : 0;
				if (used)
					*used = 1;
				err = finish(&l, x.err, ioerr, root);
				if (!ioerr)
					return err;
				errno = ioerr;
				return ap_error_errno(AP_EXIT_INPUT,
						      "cannot read", name);
			}
			/* the file changed since it was checked: libyaml
			 * reads it from its start, past the events given */
			l.skip = x.given;
		}
		if (fseek(f, start, SEEK_SET) != 0) {
			finish(&l, NULL, 1, root);
			return ap_error_errno(AP_EXIT_INPUT, "cannot read",
					      name);
		}
	}
	if (!yaml_parser_initialize(&parser)) {
		finish(&l, NULL, 1, root);
		return ap_error_nomem();
	}
	yaml_parser_set_input(&parser, read_handler, &in);
	err = load(&l, &parser, &in, root);
	yaml_parser_delete(&parser);
	/* a bad byte anywhere is reported before any other problem (as when
	 * a whole document is checked before it is parsed) */
	if (err && err->code == AP_EXIT_INPUT)
		check_rest(&in);
	if (in.ioerr) {
		ynode_free(*root);
		*root = NULL;
		errno = in.ioerr;
		return ap_error_errno(AP_EXIT_INPUT, "cannot read", name);
	}
	if (in.bad) {
		ynode_free(*root);
		*root = NULL;
		return ap_error_fmt(AP_EXIT_INPUT,
				    "%s:%zu:%zu: invalid UTF-8 or NUL byte",
				    name, in.bad_line, in.bad_col);
	}
	return err;
}

const struct ap_error *
yaml_stream(FILE *f, const char *name, const char *key, yaml_item_fn fn,
	    void *arg, struct ynode **root)
{
	return yaml_stream_with(f, name, key, fn, arg, root, 1, NULL, NULL);
}

/* ---- emitter ---- */

struct yemit {
	yaml_emitter_t em;
	int failed;
};

static void
emit(struct yemit *y, yaml_event_t *ev, int ok)
{
	/* yaml_emitter_emit() frees the event even when it fails; after a
	 * failure the event is freed here */
	if (!ok)
		y->failed = 1;
	else if (y->failed)
		yaml_event_delete(ev);
	else if (!yaml_emitter_emit(&y->em, ev))
		y->failed = 1;
}

const struct ap_error *
yemit_open(FILE *f, struct yemit **out)
{
	struct yemit *y = calloc(1, sizeof(*y));
	yaml_event_t ev;

	*out = NULL;
	if (!y || !yaml_emitter_initialize(&y->em)) {
		free(y);
		return ap_error_nomem();
	}
	yaml_emitter_set_output_file(&y->em, f);
	yaml_emitter_set_unicode(&y->em, 1);
	yaml_emitter_set_width(&y->em, 100);
	yaml_emitter_set_indent(&y->em, 2);
	emit(y, &ev,
	     yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(y, &ev,
	     yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	*out = y;
	return NULL;
}

void
yemit_map(struct yemit *y)
{
	yaml_event_t ev;

	emit(y, &ev,
	     yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
						 YAML_BLOCK_MAPPING_STYLE));
}

void
yemit_seq(struct yemit *y)
{
	yaml_event_t ev;

	emit(y, &ev,
	     yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
						  YAML_BLOCK_SEQUENCE_STYLE));
}

void
yemit_end(struct yemit *y, int map)
{
	yaml_event_t ev;

	emit(y, &ev,
	     map ? yaml_mapping_end_event_initialize(&ev)
		 : yaml_sequence_end_event_initialize(&ev));
}

static void
scalar(struct yemit *y, const char *s, yaml_scalar_style_t style,
       int plain_implicit)
{
	yaml_event_t ev;

	emit(y, &ev,
	     yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
					  (int)strlen(s), plain_implicit, 1,
					  style));
}

void
yemit_str(struct yemit *y, const char *s)
{
	int r;

	if (!s) {
		scalar(y, "null", YAML_PLAIN_SCALAR_STYLE, 1);
		return;
	}
	r = yaml_retyped(s, strlen(s));
	scalar(y, s,
	       r ? YAML_DOUBLE_QUOTED_SCALAR_STYLE : YAML_ANY_SCALAR_STYLE, !r);
}

void
yemit_plain(struct yemit *y, const char *s)
{
	scalar(y, s, YAML_PLAIN_SCALAR_STYLE, 1);
}

const struct ap_error *
yemit_close(struct yemit *y)
{
	yaml_event_t ev;
	int failed;

	emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	if (!y->failed && !yaml_emitter_flush(&y->em))
		y->failed = 1;
	failed = y->failed;
	yaml_emitter_delete(&y->em);
	free(y);
	return failed ? ap_error_fmt(AP_EXIT_STORE, "cannot write YAML output")
		      : NULL;
}
