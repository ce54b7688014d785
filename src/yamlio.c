/*
 * yamlio.c - YAML parsing through libyaml's event API, with limits.
 *
 * The only file that includes <yaml.h>.  libyaml 0.2.5 has no nesting
 * limit and its parser is quadratic in depth, so depth, size, scalar length
 * and node count are enforced here, in the event loop, stopping at the
 * first breach.
 */
#include "aiproj/yamlio.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "aiproj/util.h"

struct loader {
	const char *name;
	size_t nodes;
	struct ynode *stack[YAML_MAX_DEPTH + 1];
	int depth;
};

static const struct ap_error *
at(const struct loader *l, yaml_mark_t m, const char *msg, const char *arg)
{
	return ap_error_fmt(AP_EXIT_INPUT, "%s:%zu:%zu: %s%s%s%s", l->name,
			    m.line + 1, m.column + 1, msg, arg ? " '" : "",
			    arg ? arg : "", arg ? "'" : "");
}

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
	return n && n->type == Y_SCALAR && n->plain &&
	       (!*n->str || strcmp(n->str, "~") == 0 ||
		strcmp(n->str, "null") == 0 || strcmp(n->str, "Null") == 0 ||
		strcmp(n->str, "NULL") == 0);
}

struct ynode *
ymap_get(const struct ynode *m, const char *k)
{
	if (!m || m->type != Y_MAP)
		return NULL;
	for (size_t i = 0; i + 1 < m->n; i += 2)
		if (strcmp(m->kids[i]->str, k) == 0)
			return m->kids[i + 1];
	return NULL;
}

static int
push_kid(struct ynode *parent, struct ynode *kid)
{
	struct ynode **k;

	/* grow by doubling: n is a power of two when full */
	if ((parent->n & (parent->n - 1)) == 0) {
		k = realloc(parent->kids,
			    (parent->n ? parent->n * 2 : 1) * sizeof(*k));
		if (!k)
			return -1;
		parent->kids = k;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Attach a finished node to the open collection, checking map keys. */
static const struct ap_error *
attach(struct loader *l, struct ynode *n, yaml_mark_t m, struct ynode **root)
{
	struct ynode *parent;

	if (l->depth == 0) {
		*root = n;
		return NULL;
	}
	parent = l->stack[l->depth - 1];
	if (parent->type == Y_MAP && parent->n % 2 == 0) {
		if (n->type != Y_SCALAR) {
			/* where the key starts, not where it ends */
			m.line = (size_t)n->line - 1;
			m.column = (size_t)n->col - 1;
			ynode_free(n);
			return at(l, m, "mapping keys must be scalars", NULL);
		}
		for (size_t i = 0; i < parent->n; i += 2)
			if (strcmp(parent->kids[i]->str, n->str) == 0) {
				const struct ap_error *err =
				    at(l, m, "duplicate key", n->str);
				ynode_free(n);
				return err;
			}
	}
	if (push_kid(parent, n)) {
		ynode_free(n);
		return ap_error_nomem();
	}
	return NULL;
}

static struct ynode *
node_new(int type, yaml_mark_t m)
{
	struct ynode *n = calloc(1, sizeof(*n));

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

const struct ap_error *
yaml_load(const char *buf, size_t len, const char *name, struct ynode **root)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	struct loader l = {.name = name};
	const struct ap_error *err = NULL;
	int done = 0, docs = 0;

	*root = NULL;
	if (len > YAML_MAX_BYTES)
		return ap_error_fmt(AP_EXIT_INPUT,
				    "%s:1:1: document is %zu bytes; at most %u"
				    " are allowed",
				    name, len, YAML_MAX_BYTES);
	{
		/* the first NUL or invalid UTF-8 byte within len, if any */
		size_t line = 1, col = 1, i = 0;
		while (i < len) {
			unsigned char c = (unsigned char)buf[i];
			size_t k = c < 0x80   ? 1
				   : c < 0xe0 ? 2
				   : c < 0xf0 ? 3
					      : 4;
			char tmp[5] = {0};
			if (c == 0 || i + k > len)
				break;
			memcpy(tmp, buf + i, k);
			if (!utf8_valid(tmp, 4))
				break;
			if (c == '\n')
				line++, col = 1;
			else
				col++;
			i += k;
		}
		if (i < len)
			return ap_error_fmt(AP_EXIT_INPUT,
					    "%s:%zu:%zu: invalid UTF-8 or NUL"
					    " byte",
					    name, line, col);
	}
	if (!yaml_parser_initialize(&parser))
		return ap_error_nomem();
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);

	while (!done && !err) {
		struct ynode *n = NULL;

		if (!yaml_parser_parse(&parser, &ev)) {
			yaml_mark_t m = parser.problem_mark;
			if (parser.error == YAML_READER_ERROR) {
				/* a byte offset: count lines up to it */
				m.line = m.column = 0;
				for (size_t k = 0;
				     k < parser.problem_offset && k < len;
				     k++) {
					if (buf[k] == '\n')
						m.line++, m.column = 0;
					else if (((unsigned char)buf[k] &
						  0xc0) != 0x80)
						m.column++;
				}
			}
			err = at(&l, m,
				 parser.problem ? parser.problem
						: "YAML syntax error",
				 NULL);
			break;
		}
		if (++l.nodes > YAML_MAX_NODES) {
			err =
			    at(&l, ev.start_mark, "too many YAML nodes", NULL);
			yaml_event_delete(&ev);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT: done = 1; break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				err = at(&l, ev.start_mark,
					 "only one YAML document is allowed",
					 NULL);
			break;
		case YAML_ALIAS_EVENT:
			err = at(&l, ev.start_mark, "aliases are not allowed",
				 NULL);
			break;
		case YAML_SCALAR_EVENT:
			if (ev.data.scalar.anchor) {
				err = at(&l, ev.start_mark,
					 "anchors are not allowed", NULL);
				break;
			}
			if ((err = check_tag(&l, ev.start_mark,
					     ev.data.scalar.tag)))
				break;
			if (ev.data.scalar.length > YAML_MAX_SCALAR) {
				err = at(&l, ev.start_mark,
					 "scalar is longer than 65536 bytes",
					 NULL);
				break;
			}
			if (!(n = node_new(Y_SCALAR, ev.start_mark)) ||
			    !(n->str = malloc(ev.data.scalar.length + 1))) {
				free(n);
				err = ap_error_nomem();
				break;
			}
			memcpy(n->str, ev.data.scalar.value,
			       ev.data.scalar.length);
			n->str[ev.data.scalar.length] = '\0';
			if (strlen(n->str) != ev.data.scalar.length) {
				ynode_free(n);
				err = at(&l, ev.start_mark,
					 "NUL byte in scalar", NULL);
				break;
			}
			n->plain =
			    ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
			err = attach(&l, n, ev.start_mark, root);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			int seq = ev.type == YAML_SEQUENCE_START_EVENT;
			const yaml_char_t *anchor =
			    seq ? ev.data.sequence_start.anchor
				: ev.data.mapping_start.anchor;
			if (anchor) {
				err = at(&l, ev.start_mark,
					 "anchors are not allowed", NULL);
				break;
			}
			if ((err = check_tag(&l, ev.start_mark,
					     seq ? ev.data.sequence_start.tag
						 : ev.data.mapping_start.tag)))
				break;
			if (l.depth >= YAML_MAX_DEPTH) {
				err = at(&l, ev.start_mark,
					 "nesting deeper than 64 levels", NULL);
				break;
			}
			if (!(n = node_new(seq ? Y_SEQ : Y_MAP,
					   ev.start_mark))) {
				err = ap_error_nomem();
				break;
			}
			l.stack[l.depth++] = n;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			n = l.stack[--l.depth];
			err = attach(&l, n, ev.start_mark, root);
			break;
		default: break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	/* open collections are not attached to a parent yet */
	while (l.depth > 0)
		ynode_free(l.stack[--l.depth]);
	if (err) {
		ynode_free(*root);
		*root = NULL;
		return err;
	}
	if (!*root)
		return ap_error_fmt(AP_EXIT_INPUT, "%s:1:1: document is empty",
				    name);
	return NULL;
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

/* Would a YAML 1.1 or 1.2 reader take this plain scalar (n bytes) as a
 * non-string? */
static int
retyped(const char *s, size_t n)
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
	/* strtod() takes a whole string only when it starts with one of
	 * these (space, sign, digit, point, inf, nan) */
	if (strchr(" \t\n\v\f\r+-.0123456789iInN", s[0])) {
		strtod(s, &end);
		if (*end == '\0')
			return 1;
	}
	/* sexagesimal (1:20), hex/binary-looking, dates and time stamps */
	if (strspn(s, "0123456789:._-+") == n ||
	    (s[0] >= '0' && s[0] <= '9' &&
	     strspn(s, "0123456789:._-+TZtz ") == n))
		return 1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'o' || s[1] == 'b'))
		return 1;
	return 0;
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
	r = retyped(s, strlen(s));
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
