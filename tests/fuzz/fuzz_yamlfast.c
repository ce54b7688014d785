/*
 * fuzz_yamlfast.c - a differential libFuzzer target: yaml_stream() with
 * the fast reader (yamlfast.c, giving way to libyaml) against libyaml
 * alone, on the same bytes.  Every event given to the tree builder (type,
 * mark, value, style), every streamed item and the root, and the error
 * (code and message) must be the same; any difference aborts.  The first
 * byte picks an item callback that fails (at which item, with which exit
 * code) or none.
 *
 *   make fuzz-yamlfast FUZZ_SECONDS=60   (seed corpus: tests/fuzz/corpus/)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/error.h"
#include "aiproj/yamlio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct rec {
	char *s;
	size_t len, cap;
	int items, fail_at, code;
};

static void
put(struct rec *r, const void *s, size_t n)
{
	if (r->len + n > r->cap) {
		while (r->len + n > r->cap)
			r->cap = r->cap ? r->cap * 2 : 4096;
		if (!(r->s = realloc(r->s, r->cap)))
			abort();
	}
	memcpy(r->s + r->len, s, n);
	r->len += n;
}

static void
put_num(struct rec *r, char tag, size_t a, size_t b)
{
	char t[64];
	int n = snprintf(t, sizeof(t), "%c%zu:%zu ", tag, a, b);

	put(r, t, (size_t)n);
}

static void
on_event(void *arg, int code, size_t line, size_t col, const char *s,
	 size_t len, int plain)
{
	struct rec *r = arg;

	put_num(r, (char)code, line, col);
	if (s) {
		put_num(r, plain ? 'p' : 'q', len, 0);
		put(r, s, len);
	}
	put(r, "\n", 1);
}

static void
tree(struct rec *r, const struct ynode *n)
{
	put_num(r, (char)('0' + n->type), (size_t)n->line, (size_t)n->col);
	put_num(r, 'p', (size_t)n->plain, n->n);
	if (n->type == Y_SCALAR)
		put(r, n->str, strlen(n->str) + 1);
	for (size_t i = 0; i < n->n; i++)
		tree(r, n->kids[i]);
}

static const struct ap_error *
on_item(void *arg, const struct ynode *root, struct ynode *item,
	struct yarena *arena)
{
	struct rec *r = arg;

	(void)arena;
	put(r, "item\n", 5);
	tree(r, root);
	tree(r, item);
	if (++r->items == r->fail_at)
		return ap_error_fmt(r->code, "item %d refused", r->items);
	return NULL;
}

static void
read_with(const uint8_t *data, size_t size, int fast, struct rec *r)
{
	struct yaml_trace t = {on_event, r};
	struct ynode *root = NULL;
	const struct ap_error *err;
	FILE *f = fmemopen((void *)data, size, "r");

	if (!f)
		abort();
	err = yaml_stream_with(f, "fuzz.yaml", "projects", on_item, r, &root,
			       fast, &t, NULL);
	fclose(f);
	put(r, "root\n", 5);
	if (root)
		tree(r, root);
	if (err) {
		put_num(r, 'e', (size_t)err->code, 0);
		put(r, err->msg, strlen(err->msg));
	}
	ynode_free(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rec a = {0}, b = {0};

	if (size < 2) /* (fmemopen() takes no empty buffer) */
		return 0;
	a.fail_at = b.fail_at = data[0] % 4;
	a.code = b.code = data[0] & 4 ? AP_EXIT_INPUT : AP_EXIT_STORE;
	read_with(data + 1, size - 1, 0, &a);
	read_with(data + 1, size - 1, 1, &b);
	if (a.len != b.len || memcmp(a.s, b.s, a.len) != 0) {
		fprintf(stderr,
			"the fast reader differs from libyaml\n"
			"libyaml:\n%.*s\nfast:\n%.*s\n",
			(int)a.len, a.s, (int)b.len, b.s);
		abort();
	}
	free(a.s);
	free(b.s);
	return 0;
}
