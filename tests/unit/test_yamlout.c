/*
 * test_yamlout.c - the export's YAML writer (yamlout.c) against libyaml's
 * emitter as the export configured it before (yemit_*, yamlio.c): the same
 * calls into each, the same bytes out, or both refusing.
 *
 * The strings: every one and two pieces of a set of hostile pieces (YAML
 * indicators at the start, middle and end, spaces, tabs, line breaks, C0
 * and C1 controls, DEL, U+0085, U+00A0, U+2028/9, byte order marks,
 * non-characters, surrogates, 4-byte characters, words YAML would retype,
 * bytes that are not UTF-8), three pieces of a smaller set, thousands of
 * random ones (long lines of words that fold at the width, and hostile
 * runs), and every line and whole file of the import-bad fixtures and the
 * fuzz corpus.  Each goes into several places of a document (a value, a
 * key, a sequence item, deep in an export-shaped tree, past the width
 * after a long key, under an indentation past the width).  Then random
 * trees.  Counters prove that each way of writing a scalar was reached.
 */
#include "testutil.h"

#include <dirent.h>

#include "aiproj/yamlio.h"

enum { OP_MAP, OP_SEQ, OP_END_MAP, OP_END_SEQ, OP_STR, OP_PLAIN };

struct op {
	int kind;
	const char *s;
};

#define MAX_OPS 512

struct doc {
	struct op op[MAX_OPS];
	size_t n;
};

static void
add(struct doc *d, int kind, const char *s)
{
	assert_true(d->n < MAX_OPS);
	d->op[d->n].kind = kind;
	d->op[d->n++].s = s;
}

/* what was compared, and how the emitter wrote it */
static struct {
	long docs, refused, single, dquoted, escaped, folded, plain_folded,
	    flow_empty, complex_key;
} seen;

static int
by_libyaml(const struct doc *d, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	struct yemit *y;
	int failed;

	assert_non_null(f);
	assert_null(yemit_open(f, &y));
	for (size_t i = 0; i < d->n; i++) {
		const struct op *o = &d->op[i];
		switch (o->kind) {
		case OP_MAP: yemit_map(y); break;
		case OP_SEQ: yemit_seq(y); break;
		case OP_END_MAP: yemit_end(y, 1); break;
		case OP_END_SEQ: yemit_end(y, 0); break;
		case OP_STR: yemit_str(y, o->s); break;
		default: yemit_plain(y, o->s);
		}
	}
	failed = yemit_close(y) != NULL;
	assert_int_equal(fclose(f), 0);
	return failed;
}

static int
by_yamlout(const struct doc *d, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	struct yout *y;
	int failed;

	assert_non_null(f);
	assert_null(yout_open(f, &y));
	for (size_t i = 0; i < d->n; i++) {
		const struct op *o = &d->op[i];
		switch (o->kind) {
		case OP_MAP: yout_map(y); break;
		case OP_SEQ: yout_seq(y); break;
		case OP_END_MAP: yout_end(y, 1); break;
		case OP_END_SEQ: yout_end(y, 0); break;
		case OP_STR: yout_str(y, o->s); break;
		default: yout_plain(y, o->s);
		}
	}
	failed = yout_close(y) != NULL;
	assert_int_equal(fclose(f), 0);
	return failed;
}

/* s with its bytes outside printable ASCII as \xNN, for a message */
static char *
shown_bytes(const char *s, size_t n)
{
	char *o = malloc(4 * n + 1), *p = o;

	assert_non_null(o);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f && c != '\\')
			*p++ = (char)c;
		else
			p += sprintf(p, "\\x%02x", c);
	}
	*p = '\0';
	return o;
}

static void
count(const char *out)
{
	const char *nl = strchr(out, '\n');

	seen.docs++;
	seen.single += strstr(out, ": '") != NULL || strstr(out, "- '") != NULL;
	seen.dquoted += strstr(out, ": \"") != NULL;
	seen.escaped += strstr(out, "\\x") || strstr(out, "\\u") ||
			strstr(out, "\\U") || strstr(out, "\\L") ||
			strstr(out, "\\N") || strstr(out, "\\e");
	seen.flow_empty += strstr(out, "[]") || strstr(out, "{}");
	seen.complex_key += strstr(out, "? ") == out || strstr(out, "\n? ");
	/* a line of the value's own, past the first: folded or broken */
	if (nl && nl[1] == ' ' && strncmp(out, "k: ", 3) == 0) {
		seen.folded++;
		seen.plain_folded += out[3] != '"' && out[3] != '\'';
	}
}

/* Write d both ways: the same bytes, or both refusing. */
static void
same(const struct doc *d)
{
	char *a = NULL, *b = NULL;
	size_t la = 0, lb = 0;
	int fa = by_libyaml(d, &a, &la), fb = by_yamlout(d, &b, &lb);

	if (fa != fb)
		fail_msg("libyaml %s, yamlout %s; first string: %s",
			 fa ? "refused" : "wrote", fb ? "refused" : "wrote",
			 shown_bytes(d->op[1].s ? d->op[1].s : "", 8));
	if (fa) {
		seen.refused++;
	} else if (la != lb || memcmp(a, b, la) != 0) {
		fail_msg("bytes differ:\nlibyaml: %s\nyamlout: %s",
			 shown_bytes(a, la), shown_bytes(b, lb));
	} else {
		count(a);
	}
	free(a);
	free(b);
}

/* ---- the places a string goes ---- */

static const char long_key[] = "a_key_of_ninety_characters_that_brings_its_"
			       "value_near_the_width_of_one_hundred_columns";

/* s in each place of a document that the export or --format yaml makes */
static void
in_places(const char *s)
{
	struct doc d;

	d.n = 0; /* a value, and a value asked for as plain */
	add(&d, OP_MAP, NULL), add(&d, OP_STR, "k"), add(&d, OP_STR, s);
	add(&d, OP_STR, "p"), add(&d, OP_PLAIN, s), add(&d, OP_END_MAP, NULL);
	same(&d);
	d.n = 0; /* a key, written as a plain scalar, and as a string */
	add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, s), add(&d, OP_PLAIN, "1");
	add(&d, OP_END_MAP, NULL);
	same(&d);
	d.n = 0;
	add(&d, OP_MAP, NULL), add(&d, OP_STR, s), add(&d, OP_SEQ, NULL);
	add(&d, OP_END_SEQ, NULL), add(&d, OP_END_MAP, NULL);
	same(&d);
	d.n = 0; /* items of a sequence, at the root and in one */
	add(&d, OP_SEQ, NULL), add(&d, OP_STR, s), add(&d, OP_SEQ, NULL);
	add(&d, OP_STR, s), add(&d, OP_END_SEQ, NULL),
	    add(&d, OP_END_SEQ, NULL);
	same(&d);
	d.n = 0; /* after a long key: the value starts near the width */
	add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, long_key), add(&d, OP_STR, s);
	add(&d, OP_END_MAP, NULL);
	same(&d);
}

/* s deep in an export-shaped tree: project, KPI, reading */
static void
in_export(const char *s)
{
	struct doc d = {.n = 0};

	add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, "aiproj"),
	    add(&d, OP_PLAIN, "2");
	add(&d, OP_PLAIN, "projects"), add(&d, OP_SEQ, NULL);
	add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, "name"), add(&d, OP_STR, s);
	add(&d, OP_PLAIN, "decisions"), add(&d, OP_SEQ, NULL);
	add(&d, OP_END_SEQ, NULL), add(&d, OP_PLAIN, "kpis");
	add(&d, OP_SEQ, NULL), add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, "name");
	add(&d, OP_STR, "k"), add(&d, OP_PLAIN, "readings"),
	    add(&d, OP_SEQ, NULL);
	add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, "note"), add(&d, OP_STR, s);
	add(&d, OP_PLAIN, "hash"), add(&d, OP_STR, NULL);
	add(&d, OP_END_MAP, NULL), add(&d, OP_END_SEQ, NULL);
	add(&d, OP_END_MAP, NULL), add(&d, OP_END_SEQ, NULL);
	add(&d, OP_PLAIN, "reason"), add(&d, OP_STR, s);
	add(&d, OP_END_MAP, NULL), add(&d, OP_END_SEQ, NULL);
	add(&d, OP_PLAIN, "end"), add(&d, OP_MAP, NULL);
	add(&d, OP_PLAIN, "projects"), add(&d, OP_PLAIN, "1");
	add(&d, OP_END_MAP, NULL), add(&d, OP_END_MAP, NULL);
	same(&d);
}

/* s under `depth` mappings: an indentation near or past the width */
static void
deep(const char *s, int depth)
{
	struct doc d = {.n = 0};

	for (int i = 0; i < depth; i++)
		add(&d, OP_MAP, NULL), add(&d, OP_PLAIN, i % 2 ? "k" : "key");
	add(&d, OP_STR, s);
	for (int i = 0; i < depth; i++)
		add(&d, OP_END_MAP, NULL);
	same(&d);
}

/* ---- strings ---- */

/* pieces of strings: each YAML indicator, the characters libyaml treats
 * apart, words a reader retypes, and bytes that are not UTF-8 (last) */
static const char *const pieces[] = {
    "a", "word", "Z9", "0", "1.5", "-", ".", ":", "#", ",", "?", "[", "]", "{",
    "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`", "\\", "~", " ",
    "  ", "\t", "\n", "\r", "\r\n", "\x01", "\x1b", "\x7f", "\x08", "\xc2\x80",
    "\xc2\x85", "\xc2\x9f", "\xc2\xa0", "\xc3\xa9", "\xd7\xa9", "\xe2\x80\xa8",
    "\xe2\x80\xa9", "\xe2\x80\xae", "\xe4\xb8\xad", "\xed\x9f\xbf",
    "\xed\xa0\x80", "\xee\x80\x80", "\xef\xbb\xbf", "\xef\xbb\x80",
    "\xef\xbf\xbd", "\xef\xbf\xbe", "\xef\xbf\xbf", "\xf0\x9f\x98\x80",
    "\xf4\x8f\xbf\xbf", "\xf5\x80\x80\x80", "yes", "No", "null", "~", "0x1F",
    "2026-01-01", "12:30", "1e3", ".inf", "- ", ": ", " #", "---", "...", "? ",
    /* not UTF-8: libyaml refuses them */
    "\xff", "\xc0\x80", "\xc2", "\xe2\x80", "\xf8\x80\x80\x80\x80",
    "\xe0\x80\x80"};

static void
test_pieces(void **state)
{
	size_t n = N_ELEMS(pieces);
	char s[64];

	(void)state;
	for (size_t i = 0; i < n; i++) {
		in_places(pieces[i]);
		in_export(pieces[i]);
		for (size_t j = 0; j < n; j++) {
			snprintf(s, sizeof(s), "%s%s", pieces[i], pieces[j]);
			in_places(s);
		}
	}
	/* three pieces of the ones that change a scalar's style */
	for (size_t i = 0; i < 24; i++)
		for (size_t j = 0; j < 24; j++)
			for (size_t k = 0; k < 24; k++) {
				static const int pick[24] = {
				    0,  5,  7,  8,  9,  10, 11, 21,
				    22, 27, 28, 29, 30, 31, 34, 38,
				    40, 43, 51, 55, 60, 68, 69, 3};
				snprintf(s, sizeof(s), "%s%s%s",
					 pieces[pick[i]], pieces[pick[j]],
					 pieces[pick[k]]);
				in_places(s);
			}
}

static uint64_t rng = 0x9e3779b97f4a7c15u;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* A random string of up to `max` bytes: mostly words and single spaces
 * (lines that fold), some runs of spaces and hostile pieces; `bad`: any
 * piece, also bytes that are not UTF-8. */
static void
random_string(char *s, size_t max, int bad)
{
	size_t n = 0, want = rnd((unsigned)max);
	size_t good = N_ELEMS(pieces) - 6;

	s[0] = '\0';
	while (n < want) {
		const char *p;
		switch (rnd(8)) {
		case 0: p = pieces[rnd(bad ? N_ELEMS(pieces) : good)]; break;
		case 1: p = "  "; break;
		case 2:
		case 3: p = " "; break;
		case 4: p = "\xc3\xa9t\xc3\xa9"; break;
		default: p = rnd(2) ? "word" : "longerword";
		}
		if (n + strlen(p) >= max)
			break;
		memcpy(s + n, p, strlen(p) + 1);
		n += strlen(p);
	}
}

static void
test_random_strings(void **state)
{
	char s[1024];

	(void)state;
	for (int i = 0; i < 6000; i++) {
		random_string(s, i % 3 ? 300 : sizeof(s), i % 50 == 0);
		in_places(s);
		if (i % 4 == 0)
			in_export(s);
		if (i % 10 == 0)
			deep(s, 40 + rnd(30));
	}
	/* every depth, around the width */
	for (int depth = 1; depth < 60; depth++) {
		random_string(s, 400, 0);
		deep(s, depth);
		deep("a b", depth);
		deep("", depth);
	}
}

/* ---- files: the import-bad fixtures and the fuzz corpus ---- */

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *b = NULL;
	size_t cap = 0, n = 0, got;

	if (!f)
		return NULL;
	do {
		if (n + 4096 + 1 > cap) {
			cap = 2 * cap + 8192;
			b = realloc(b, cap);
			assert_non_null(b);
		}
		got = fread(b + n, 1, cap - n - 1, f);
		n += got;
	} while (got > 0);
	fclose(f);
	b[n] = '\0';
	*len = n;
	return b;
}

/* Each line of each file in dir, and each file whole (to its first NUL
 * byte); returns how many files. */
static int
files_in(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;

	if (!d)
		fail_msg("cannot open %s (run from the repository)", dir);
	while ((e = readdir(d))) {
		char path[512], *b, *line, *save = NULL;
		size_t len;
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!(b = slurp(path, &len)))
			continue;
		files++;
		in_places(b);
		in_export(b);
		for (line = strtok_r(b, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			in_places(line);
		free(b);
	}
	closedir(d);
	return files;
}

static void
test_corpus_files(void **state)
{
	(void)state;
	assert_true(files_in("tests/e2e/import-bad") > 50);
	assert_true(files_in("tests/fuzz/corpus") > 20);
	assert_true(files_in("tests/e2e/expected") > 0);
}

/* ---- random trees ---- */

static char strings[64][400];

static void
random_node(struct doc *d, int depth)
{
	unsigned r = rnd(10);

	if (depth > 6 || r < 5) {
		const char *s = strings[rnd(64)];
		add(d, rnd(4) ? OP_STR : OP_PLAIN, rnd(12) ? s : NULL);
		if (d->op[d->n - 1].kind == OP_PLAIN && !d->op[d->n - 1].s)
			d->op[d->n - 1].s = "null";
		return;
	}
	if (r < 8) {
		int n = (int)rnd(4);
		add(d, OP_MAP, NULL);
		for (int i = 0; i < n && d->n < MAX_OPS - 40; i++) {
			add(d, rnd(3) ? OP_PLAIN : OP_STR, strings[rnd(8)]);
			random_node(d, depth + 1);
		}
		add(d, OP_END_MAP, NULL);
		return;
	}
	add(d, OP_SEQ, NULL);
	for (int i = 0, n = (int)rnd(4); i < n && d->n < MAX_OPS - 40; i++)
		random_node(d, depth + 1);
	add(d, OP_END_SEQ, NULL);
}

static void
test_random_trees(void **state)
{
	(void)state;
	for (int round = 0; round < 40; round++) {
		for (int i = 0; i < 64; i++)
			random_string(strings[i], i < 8 ? 20 : 400,
				      round % 10 == 9 && i == 63);
		/* keys that are distinct enough: a few fixed ones */
		snprintf(strings[0], 400, "name");
		snprintf(strings[1], 400, "at");
		for (int t = 0; t < 100; t++) {
			struct doc d = {.n = 0};
			random_node(&d, 0);
			same(&d);
		}
	}
}

/* What the writer refuses as the emitter does: a document with no root,
 * a collection closed as the other kind, a key without its value. */
static void
test_misuse_refused(void **state)
{
	struct doc d = {.n = 0};

	(void)state;
	same(&d);
	add(&d, OP_MAP, NULL), add(&d, OP_END_SEQ, NULL);
	same(&d);
	d.n = 0;
	add(&d, OP_MAP, NULL), add(&d, OP_STR, "k"), add(&d, OP_END_MAP, NULL);
	same(&d);
	d.n = 0;
	add(&d, OP_SEQ, NULL), add(&d, OP_STR, "k"), add(&d, OP_END_MAP, NULL);
	same(&d);
	d.n = 0;
	add(&d, OP_STR, "a"), add(&d, OP_STR, "b");
	same(&d);
}

/* The comparisons reached every way of writing a scalar: a test that
 * compared only plain words would pass by accident. */
static void
test_coverage(void **state)
{
	(void)state;
	print_message("%ld documents the same, %ld refused by both; %ld"
		      " single-quoted, %ld double-quoted, %ld escaped, %ld"
		      " folded (%ld plain), %ld empty [] or {}, %ld ? keys\n",
		      seen.docs, seen.refused, seen.single, seen.dquoted,
		      seen.escaped, seen.folded, seen.plain_folded,
		      seen.flow_empty, seen.complex_key);
	assert_true(seen.docs > 100000);
	assert_true(seen.refused > 1000);
	assert_true(seen.single > 1000);
	assert_true(seen.dquoted > 1000);
	assert_true(seen.escaped > 1000);
	assert_true(seen.folded > 1000);
	assert_true(seen.plain_folded > 100);
	assert_true(seen.flow_empty > 1000);
	assert_true(seen.complex_key > 100);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pieces),
	    cmocka_unit_test(test_random_strings),
	    cmocka_unit_test(test_corpus_files),
	    cmocka_unit_test(test_random_trees),
	    cmocka_unit_test(test_misuse_refused),
	    cmocka_unit_test(test_coverage),
	};
	int rc = cmocka_run_group_tests_name("yamlout", tests, NULL, NULL);

	ap_error_cleanup();
	return rc;
}
