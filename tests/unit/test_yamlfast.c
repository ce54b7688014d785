/*
 * test_yamlfast.c - the fast reader (yamlfast.c, through yaml_stream())
 * against libyaml alone: for each input the same events (type, mark,
 * value, style) given to the tree builder, the same streamed items and
 * root (every node's type, line, column, style and bytes), the same error
 * (exit code and message), whichever reader ends up reading.
 *
 * The inputs: documents written by the export's writer (yamlout.c) with
 * hostile strings in every place; each of them cut at every byte; a small
 * export with every byte replaced by each of a set of bytes that matter to
 * YAML, and with YAML's other constructs put at every line's start and end
 * (comments, tabs, flow collections, anchors, tags, block scalars, quotes,
 * escapes, document markers, ...); CRLF line ends, a byte order mark, long
 * and deep documents; every file of the import-bad fixtures and the fuzz
 * corpus.  Each is read with an item callback that accepts every item, and
 * one that fails at the second.  A file that changes between the check and
 * the read (the fast reader gives way partway through, and libyaml passes
 * over the events already given) reads as libyaml reads its new version.  Counters prove that the fast reader read
 * some whole documents and gave way to libyaml on others.
 *
 * With file arguments (`build/test_yamlfast FILE...`) it compares those
 * files instead, and says which reader read each.
 */
#include "testutil.h"

#include <dirent.h>

#include "aiproj/yamlio.h"

/* ---- one input, both ways ---- */

struct rec {
	char *s;
	size_t len, cap;
	int items, fail_at, code; /* the callback fails at item fail_at */
};

static void
rec_put(struct rec *r, const char *s, size_t n)
{
	if (r->len + n + 1 > r->cap) {
		while (r->len + n + 1 > r->cap)
			r->cap = r->cap ? r->cap * 2 : 4096;
		r->s = realloc(r->s, r->cap);
		if (!r->s)
			abort();
	}
	memcpy(r->s + r->len, s, n);
	r->len += n;
	r->s[r->len] = '\0';
}

static void rec_fmt(struct rec *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
rec_fmt(struct rec *r, const char *fmt, ...)
{
	char b[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(b, sizeof(b), fmt, ap);
	va_end(ap);
	rec_put(r, b, (size_t)n < sizeof(b) ? (size_t)n : sizeof(b) - 1);
}

static void
on_event(void *arg, int code, size_t line, size_t col, const char *s,
	 size_t len, int plain)
{
	struct rec *r = arg;

	rec_fmt(r, "%c %zu:%zu", code, line, col);
	if (s) {
		rec_fmt(r, " %s %zu <", plain ? "plain" : "quoted", len);
		rec_put(r, s, len);
		rec_put(r, ">", 1);
	}
	rec_put(r, "\n", 1);
}

static void
tree(struct rec *r, const struct ynode *n, int depth)
{
	rec_fmt(r, "%*s%d %d:%d %d", depth, "", n->type, n->line, n->col,
		n->plain);
	if (n->type == Y_SCALAR) {
		rec_put(r, " <", 2);
		rec_put(r, n->str, strlen(n->str));
		rec_put(r, ">", 1);
	}
	rec_put(r, "\n", 1);
	for (size_t i = 0; i < n->n; i++)
		tree(r, n->kids[i], depth + 1);
}

static const struct ap_error *
on_item(void *arg, const struct ynode *root, struct ynode *item,
	struct yarena *arena)
{
	struct rec *r = arg;

	(void)arena;
	rec_put(r, "item\n", 5);
	tree(r, root, 1);
	tree(r, item, 1);
	if (++r->items == r->fail_at)
		return ap_error_fmt(r->code, "item %d refused", r->items);
	return NULL;
}

/* what was compared */
static struct {
	long inputs, fast, fallback;
} seen;

/* Read f (at its start) with fast (1) or libyaml alone (0) into r. */
static int
read_with(FILE *f, int fast, struct rec *r)
{
	struct yaml_trace t = {on_event, r};
	struct ynode *root = NULL;
	const struct ap_error *err;
	int used = 0;

	rewind(f);
	err = yaml_stream_with(f, "in.yaml", "projects", on_item, r, &root,
			       fast, &t, &used);
	rec_put(r, "root\n", 5);
	if (root)
		tree(r, root, 1);
	if (err)
		rec_fmt(r, "error %d: ", err->code),
		    rec_put(r, err->msg, strlen(err->msg));
	ynode_free(root);
	return used;
}

static char *
shown(const char *s, size_t n)
{
	char *o = malloc(4 * n + 1), *p = o;

	if (!o)
		abort();
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 0x20 && c < 0x7f && c != '\\') || c == '\n')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02x", c);
	}
	*p = '\0';
	return o;
}

/* The first line where a and b differ, for a message. */
static void
first_diff(const char *a, const char *b)
{
	size_t i = 0, ls = 0;

	while (a[i] && a[i] == b[i]) {
		if (a[i] == '\n')
			ls = i + 1;
		i++;
	}
	fprintf(stderr, "libyaml: %.200s\nfast:    %.200s\n", a + ls, b + ls);
}

/* Both ways on f; 0 when they agree (*used: the fast reader read it). */
static int
compare_file(FILE *f, int fail_at, int code, const char *input, size_t n,
	     int *used)
{
	struct rec a = {NULL, 0, 0, 0, fail_at, code};
	struct rec b = {NULL, 0, 0, 0, fail_at, code};
	int bad;

	read_with(f, 0, &a);
	*used = read_with(f, 1, &b);
	bad = a.len != b.len || memcmp(a.s, b.s, a.len) != 0;
	if (bad) {
		if (input) {
			char *s = shown(input, n < 2000 ? n : 2000);
			fprintf(stderr, "input (%zu bytes):\n%s\n", n, s);
			free(s);
		}
		first_diff(a.s, b.s);
	}
	free(a.s);
	free(b.s);
	return bad;
}

/* s (n bytes) both ways, with each callback; returns how many of the
 * readings the fast reader did. */
static int
same(const char *s, size_t n)
{
	static const int fails[][2] = {
	    {0, 0}, {2, AP_EXIT_STORE}, {1, AP_EXIT_INPUT}};
	FILE *f = tmpfile();
	int fast = 0, used;

	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fflush(f), 0);
	for (size_t k = 0; k < N_ELEMS(fails); k++) {
		if (compare_file(f, fails[k][0], fails[k][1], s, n, &used))
			fail_msg("the fast reader differs from libyaml");
		fast += used;
		seen.inputs++;
		seen.fast += used;
		seen.fallback += !used;
	}
	fclose(f);
	return fast;
}

static int
same_str(const char *s)
{
	return same(s, strlen(s));
}

/* ---- documents ---- */

/* A small export: every construct the writer uses. */
static const char export_doc[] = "aiproj: 1\n"
				 "projects:\n"
				 "- name: p1\n"
				 "  description: \"caf\\xE9 \\u2028 \\\"x\\\" "
				 "\\\\ \\t \\e\\x7F \\U0001F600\"\n"
				 "  status: active\n"
				 "  status_reason: null\n"
				 "  stage: data-preparation\n"
				 "  entered_at: \"2020-01-01T17:21:00.001Z\"\n"
				 "  decisions:\n"
				 "  - kind: make\n"
				 "    cost: -11000.5\n"
				 "    reason: 'it''s: #1'\n"
				 "  kpis:\n"
				 "  - name: auc\n"
				 "    op: '>='\n"
				 "    readings:\n"
				 "    - value: 0.72\n"
				 "      actor: Dana Rossi\n"
				 "    - value: 0.73\n"
				 "      actor: \xc3\xa9l\xc3\xa8ve "
				 "\xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80\n"
				 "  components: []\n"
				 "  tags:\n"
				 "  - a\n"
				 "  - \"yes\"\n"
				 "  - {}\n"
				 "  - []\n"
				 "  nested:\n"
				 "    k: v#1\n"
				 "    \"q\": a:b\n"
				 "    'r': x\n"
				 "- name: p2\n"
				 "  status: closed\n"
				 "people:\n"
				 "- name: Ana\n"
				 "  other_names: []\n"
				 "checks: {}\n";

/* Pieces YAML reads in some other way, put into lines. */
static const char *const pieces[] = {
    "#",
    " #c",
    "\t",
    "\r",
    "&a ",
    "*a",
    "!!str ",
    "!x ",
    "? ",
    ": ",
    ":",
    "[x]",
    "{a: 1}",
    "[",
    "]",
    "{",
    "}",
    ",",
    "|",
    ">",
    "'",
    "\"",
    "'q'",
    "\"q\"",
    "\\",
    "\"\\q\"",
    "-",
    "- ",
    "--- ",
    "---\n",
    "...\n",
    "\n",
    " ",
    "  ",
    "%YAML 1.1\n",
    "@",
    "`",
    "\xef\xbb\xbf",
    "\xc2\x85",
    "\xe2\x80\xa8",
    "\x7f",
    "\x01",
    "\xc3",
    "\xff",
    "\xed\xa0\x80",
    "~",
    "\"\\x41\"",
    "\"\\u00e9\"",
    "\"\\/\"",
    "\"\\ \"",
    "'a''b'",
    "x: y",
    "- a\n",
    "k:\n",
    "\n  x",
    "  - a\n",
    "a\n  b",
};

static void
test_export_doc(void **state)
{
	(void)state;
	assert_int_equal(same_str(export_doc), 3);
}

/* Every how many places the per-byte tests try: 1 (every one) unless
 * $AIPROJ_TEST_STRIDE says more (make check-valgrind, where a byte costs
 * fifty times as much). */
static size_t
stride(void)
{
	const char *v = getenv("AIPROJ_TEST_STRIDE");
	long k = v ? strtol(v, NULL, 10) : 1;

	return k > 1 ? (size_t)k : 1;
}

/* an item whose "-" ends its line: its value is on the next one, which
 * the fast reader never reads as this line's (the end of a read block
 * comes right after the "-" in the second document) */
static void
test_dash_alone(void **state)
{
	static const char *const docs[] = {
	    "aiproj: 1\nprojects:\n-\n  name: p1\nend: {projects: 1}\n",
	    "aiproj: 1\nprojects:\n-",
	    "aiproj: 1\nprojects:\n- \n  name: p1\nend: {projects: 1}\n",
	    "aiproj: 1\nprojects:\n-\n- name: p1\nend: {projects: 1}\n",
	    "aiproj: 1\nprojects:\n-\nend: x\n",
	    "aiproj: 1\nprojects:\n-\nname: p1\n",
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(docs); i++)
		same_str(docs[i]);
}

static void
test_truncated(void **state)
{
	size_t n = strlen(export_doc), st = stride();

	(void)state;
	for (size_t i = 0; i <= n; i += st)
		same(export_doc, i);
}

static void
test_bytes_replaced(void **state)
{
	static const char bytes[] = " \t\n\r#:-'\"\\[]{}&*!?|>%@`,~x0\x7f";
	size_t n = strlen(export_doc), st = stride();
	char *s = malloc(n + 1);

	(void)state;
	assert_non_null(s);
	for (size_t i = 0; i < n; i += st)
		for (size_t k = 0; k < sizeof(bytes); k++) { /* and NUL */
			memcpy(s, export_doc, n);
			s[i] = bytes[k];
			same(s, n);
		}
	free(s);
}

/* piece at every line's start (after its indentation too) and end */
static void
test_pieces(void **state)
{
	size_t n = strlen(export_doc), st = stride(), at = 0;
	char *s = malloc(n + 64);

	(void)state;
	assert_non_null(s);
	for (size_t p = 0; p < N_ELEMS(pieces); p++) {
		size_t k = strlen(pieces[p]);
		for (size_t i = 0; i <= n; i++) {
			int start = i == 0 || export_doc[i - 1] == '\n';
			int indented = i > 0 && export_doc[i - 1] == ' ' &&
				       export_doc[i] != ' ';
			int end = i < n && export_doc[i] == '\n';
			int after_colon = i > 1 && export_doc[i - 1] == ' ' &&
					  export_doc[i - 2] == ':';
			if ((!start && !indented && !end && !after_colon) ||
			    at++ % st)
				continue;
			memcpy(s, export_doc, i);
			memcpy(s + i, pieces[p], k);
			memcpy(s + i + k, export_doc + i, n - i);
			same(s, n + k);
		}
	}
	free(s);
}

/* the whole document changed: CRLF, a byte order mark, no last line
 * break, blank lines, a comment line, more indentation */
static void
test_whole(void **state)
{
	size_t n = strlen(export_doc);
	char *s = malloc(4 * n + 16), *p;

	(void)state;
	assert_non_null(s);
	p = s;
	for (size_t i = 0; i < n; i++) {
		if (export_doc[i] == '\n')
			*p++ = '\r';
		*p++ = export_doc[i];
	}
	same(s, (size_t)(p - s));
	memcpy(s, "\xef\xbb\xbf", 3);
	memcpy(s + 3, export_doc, n);
	same(s, n + 3);
	same(export_doc, n - 1);
	p = s;
	for (size_t i = 0; i < n; i++) {
		*p++ = export_doc[i];
		if (export_doc[i] == '\n')
			*p++ = '\n';
	}
	same(s, (size_t)(p - s));
	p = s;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || export_doc[i - 1] == '\n')
			*p++ = ' ', *p++ = ' ';
		*p++ = export_doc[i];
	}
	same(s, (size_t)(p - s));
	same_str("");
	same_str("\n");
	same_str("a: 1\n---\nb: 2\n");
	same_str("- a\n- b\n");
	same_str("a\n");
	same_str("a: 1\n");
	same_str("a: 1\nb:\n");
	same_str("a: 1\nb:\nc: 2\n");
	same_str("a:\n  b:\n    c: 1\n  d: 2\n");
	same_str("a:\n- b:\n  - c\n  - d: 1\n    e: []\n- f\ng: 1\n");
	same_str("a: 1\na: 2\n");
	same_str("projects:\n- a: 1\n  a: 2\n");
	same_str("projects:\n- a: 1\n- b: 2\n\x01");
	same_str("projects:\n- a: 1\n- b: \"\\x00\"\n");
	same_str("projects:\n- a: 1\n- b: \"\\uD800\"\n");
	same_str("projects:\n- a: 1\n- b: 2\n  c: 'x\n");
	same_str("projects:\n- a: 1\n- b: 2\n  c: \"x\n");
	same_str("  a: 1\nb: 2\n");
	same_str("a: 1\n  b: 2\n");
	same_str("a:\n   b: 1\n  c: 2\n");
	free(s);
}

/* long scalars and keys, deep nesting, many items */
static void
test_big(void **state)
{
	size_t cap = 300000, n;
	char *s = malloc(cap), *p;

	(void)state;
	assert_non_null(s);
	for (size_t len = 65530; len <= 65540; len += 5) {
		p = s + sprintf(s, "projects:\n- name: ");
		memset(p, 'x', len);
		p += len;
		p += sprintf(p, "\n  q: \"");
		memset(p, 'y', len);
		p += len;
		p += sprintf(p, "\"\n");
		same(s, (size_t)(p - s));
	}
	for (size_t len = 190; len <= 1100; len += 10) {
		p = s;
		memset(p, 'k', len);
		p += len;
		p += sprintf(p, ": 1\n");
		same(s, (size_t)(p - s));
	}
	for (int depth = 60; depth <= 70; depth++) {
		p = s;
		for (int d = 0; d < depth; d++)
			p += sprintf(p, "%*sk:\n", 2 * d, "");
		p += sprintf(p, "%*sk: 1\n", 2 * depth, "");
		same(s, (size_t)(p - s));
		p = s + sprintf(s, "projects:\n");
		for (int d = 0; d < depth; d++)
			p += sprintf(p, "%*s- k:\n", 2 * d, "");
		p += sprintf(p, "%*s- 1\n", 2 * depth, "");
		same(s, (size_t)(p - s));
	}
	/* more than the fast reader's first read (256 KiB), its lines folded
	 * and broken, so that some scalar is cut at the end of a read */
	{
		size_t big = 3u << 20;
		char *m = malloc(big + 4096), *q = m;
		assert_non_null(m);
		q += sprintf(q, "aiproj: 1\nprojects:\n");
		for (int i = 0; (size_t)(q - m) < big; i++)
			q += sprintf(q,
				     "- name: p%d\n  d: word%d word word\n"
				     "    word word%d\n    word\n"
				     "  q: \"a%d b\n    \\ c\n    d\"\n"
				     "  s: 'x%d\n\n    y\n    z'\n",
				     i, i, i, i, i);
		q += sprintf(q, "people: []\n");
		assert_int_equal(same(m, (size_t)(q - m)), 3);
		free(m);
	}
	p = s + sprintf(s, "aiproj: 1\nprojects:\n");
	for (int i = 0; i < 3000; i++)
		p += sprintf(p, "- name: p%d\n  n: %d\n", i, i);
	p += sprintf(p, "people: []\n");
	n = (size_t)(p - s);
	assert_int_equal(same(s, n), 3);
	free(s);
}

/* documents the export's writer makes of hostile strings */
static void
test_written(void **state)
{
	static const char *const strs[] = {
	    "plain",
	    "",
	    " lead",
	    "trail ",
	    "a: b",
	    "a #b",
	    "a#b",
	    "#c",
	    "-a",
	    "- a",
	    "-",
	    "?x",
	    ":x",
	    "x:",
	    "'",
	    "\"",
	    "\\",
	    "yes",
	    "null",
	    "~",
	    "1.5",
	    "0x1f",
	    "2020-01-01",
	    "a\nb",
	    "a\tb",
	    "\x01",
	    "\x7f",
	    "\xc2\x85",
	    "\xc2\xa0",
	    "\xe2\x80\xa8",
	    "\xef\xbb\xbf",
	    "\xef\xbf\xbe",
	    "\xf0\x9f\x98\x80",
	    "caf\xc3\xa9",
	    "[a]",
	    "{a}",
	    "&a",
	    "*a",
	    "!a",
	    "|",
	    ">",
	    "%",
	    "@",
	    "`",
	    "---",
	    "...",
	    "a  b",
	    "a '' b",
	    "words words words words words words words words words words "
	    "words words words words words words words words words words",
	    "\"quoted words\" and more words past the width of one hundred "
	    "columns so that the writer folds them \\ there",
	    "line one\nline two",
	    "  indented\n\n  two lines",
	    "a long line with two  spaces  between words, past the width of "
	    "one hundred columns,  folded  with an escaped  space: \\ \"q\"",
	    "a long line with two  spaces  between words, past the width of "
	    "one hundred columns,  folded  where a space starts the next line",
	};
	int fast = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEMS(strs); i++) {
		char *out = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&out, &len);
		struct yout *y;
		assert_non_null(f);
		assert_null(yout_open(f, &y));
		yout_map(y);
		yout_str(y, "projects");
		yout_seq(y);
		yout_map(y);
		yout_str(y, "name"), yout_str(y, strs[i]);
		yout_str(y, strs[i]), yout_str(y, "v");
		yout_str(y, "list");
		yout_seq(y);
		yout_str(y, strs[i]);
		yout_plain(y, strs[i]);
		yout_end(y, 0);
		yout_end(y, 1);
		yout_end(y, 0);
		yout_end(y, 1);
		if (yout_close(y)) { /* a string libyaml would refuse */
			fclose(f);
			free(out);
			continue;
		}
		assert_int_equal(fclose(f), 0);
		fast += same(out, len) > 0;
		free(out);
	}
	assert_true(fast > 20);
}

/* ---- files ---- */

static int
same_path(const char *path, int quiet)
{
	FILE *f = fopen(path, "rb");
	int used, bad;

	if (!f) {
		fprintf(stderr, "cannot read %s\n", path);
		return 1;
	}
	bad = compare_file(f, 0, 0, NULL, 0, &used);
	if (!bad)
		bad = compare_file(f, 2, AP_EXIT_STORE, NULL, 0, &used);
	fclose(f);
	if (!quiet || bad)
		printf("%s: %s\n", path,
		       bad    ? "DIFFERS"
		       : used ? "same (fast)"
			      : "same (libyaml)");
	seen.inputs++;
	seen.fast += used;
	seen.fallback += !used;
	return bad;
}

static int
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[512];
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (same_path(path, 1))
			fail_msg("%s: the fast reader differs", path);
		n++;
	}
	closedir(d);
	return n;
}

/* ---- a file that changes between the check and the read ---- */

/* A stream that reads as a until it is read to its end and then sought
 * to its start: from then on it reads as b (another process replaced the
 * file between yaml_stream()'s two passes). */
struct flip {
	const char *a, *b, *cur;
	size_t na, nb, n, pos;
	int at_end, flipped;
};

static ssize_t
flip_read(void *c, char *buf, size_t size)
{
	struct flip *x = c;
	size_t k = x->n - x->pos < size ? x->n - x->pos : size;

	memcpy(buf, x->cur + x->pos, k);
	x->pos += k;
	if (!k)
		x->at_end = 1;
	return (ssize_t)k;
}

static int
flip_seek(void *c, off64_t *off, int whence)
{
	struct flip *x = c;
	off64_t to = whence == SEEK_SET   ? *off
		     : whence == SEEK_CUR ? (off64_t)x->pos + *off
					  : (off64_t)x->n + *off;

	if (to < 0 || to > (off64_t)x->n)
		return -1;
	if (to == 0 && x->at_end && !x->flipped) {
		x->flipped = 1;
		x->cur = x->b;
		x->n = x->nb;
	}
	x->pos = (size_t)to;
	*off = to;
	return 0;
}

/*
 * The fast reader took the first version whole, then meets in the second
 * what it leaves to libyaml: libyaml reads the second from its start and
 * passes over the events the fast reader gave.  Whatever the reader, the
 * items, events, root and error are those of libyaml reading the second
 * version alone.
 */
static void
test_changed_between_passes(void **state)
{
	static const char first[] = "aiproj: 1\nprojects:\n"
				    "- name: p1\n  stage: feasibility\n"
				    "- name: p2\n  stage: feasibility\n"
				    "end:\n  projects: 2\n";
	static const char *const second[] = {
	    /* a comment after an item: the fast reader stops there */
	    "aiproj: 1\nprojects:\n- name: p1\n  stage: feasibility\n"
	    "# a comment\n- name: p2\n  stage: deployment\nend:\n"
	    "  projects: 2\n",
	    /* another project, then a tab in the last */
	    "aiproj: 1\nprojects:\n- name: q1\n  stage: feasibility\n"
	    "- name: q2\n  stage:\tdeployment\nend:\n  projects: 2\n",
	    /* cut short, a syntax error libyaml reports */
	    "aiproj: 1\nprojects:\n- name: p1\n  stage: [feasibility\n",
	    /* at once something else */
	    "# nothing alike\naiproj: 1\n",
	};

	(void)state;
	for (size_t i = 0; i < N_ELEMS(second); i++) {
		struct flip x = {.a = first,
				 .b = second[i],
				 .cur = first,
				 .na = strlen(first),
				 .nb = strlen(second[i]),
				 .n = strlen(first)};
		cookie_io_functions_t io = {.read = flip_read,
					    .seek = flip_seek};
		struct rec want = {NULL, 0, 0, 0, 0, 0};
		struct rec got = {NULL, 0, 0, 0, 0, 0};
		FILE *g = fmemopen((void *)second[i], x.nb, "r");
		FILE *f = fopencookie(&x, "r", io);
		int used;

		assert_non_null(f);
		assert_non_null(g);
		read_with(g, 0, &want);
		used = read_with(f, 1, &got);
		assert_true(x.flipped); /* it did change under the reader */
		assert_int_equal(used, 0);
		if (want.len != got.len || memcmp(want.s, got.s, want.len)) {
			first_diff(want.s, got.s);
			fail_msg("second version %zu: not what libyaml reads",
				 i + 1);
		}
		fclose(f);
		fclose(g);
		free(want.s);
		free(got.s);
	}
}

static void
test_files(void **state)
{
	(void)state;
	assert_true(files_in("tests/e2e/import-bad") > 50);
	assert_true(files_in("tests/fuzz/corpus") > 20);
}

/* both readers were compared, on documents each read */
static void
test_seen(void **state)
{
	(void)state;
	printf("inputs %ld: fast reader %ld, libyaml %ld\n", seen.inputs,
	       seen.fast, seen.fallback);
	assert_true(seen.fast > (long)(1000 / stride()));
	assert_true(seen.fallback > (long)(1000 / stride()));
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_export_doc),
	    cmocka_unit_test(test_dash_alone),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_bytes_replaced),
	    cmocka_unit_test(test_pieces),
	    cmocka_unit_test(test_whole),
	    cmocka_unit_test(test_big),
	    cmocka_unit_test(test_written),
	    cmocka_unit_test(test_changed_between_passes),
	    cmocka_unit_test(test_files),
	    cmocka_unit_test(test_seen),
	};
	int rc;

	if (argc > 1) {
		int bad = 0;
		for (int i = 1; i < argc; i++)
			bad |= same_path(argv[i], 0);
		ap_error_cleanup();
		return bad;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	ap_error_cleanup();
	return rc;
}
