/*
 * fuzz_import.c - a libFuzzer target for `aiproj import`: the bytes of a
 * file go through yaml_load (limits, no anchors/aliases/tags, no duplicate
 * keys, one document) and pf_validate against the default lifecycle, and
 * every project of a valid document through pf_canonical.  Everything is
 * freed, so LeakSanitizer sees any leak.
 *
 * Two oracles on a valid document, beyond "no crash, no leak, no UB":
 *  - every required key holds a value, not a YAML null (pf_to_store reads
 *    them as C strings and the store's columns are NOT NULL);
 *  - the canonical form is a fixed point: wrapped as a document it loads,
 *    validates with no problem and gives the same canonical bytes.
 *
 *   make fuzz FUZZ_SECONDS=60      (seed corpus: tests/fuzz/corpus/)
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/embedded.h"
#include "aiproj/error.h"
#include "aiproj/lifecycle.h"
#include "aiproj/portfolio.h"
#include "aiproj/util.h"
#include "aiproj/yamlio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static struct lifecycle lc;

/* The required keys of docs/export.md, by list ("" is the project). */
static const struct {
	const char *list;
	const char *keys[6];
} required[] = {
    {"", {"name", "status", "stage", "entered_at", "created_at", NULL}},
    {"decisions", {"kind", "reason", "actor", "at", NULL}},
    {"kpis", {"name", "op", "target", "created_at", NULL}},
    {"assignments", {"role", "person", "assigned_at", NULL}},
    {"components", {"name", "owner", NULL}},
    {"criteria", {"id", "stage", "text", NULL}},
    {"approvals", {"stage", "epoch", "person", "role", "at", NULL}},
    {"history", {"from", "to", "kind", "actor", "at", NULL}},
};

static void
cleanup(void)
{
	lifecycle_free(&lc);
	ap_error_cleanup();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (lifecycle_parse(lifecycle_default_yaml,
			    strlen(lifecycle_default_yaml), "lifecycle.yaml",
			    &lc))
		abort(); /* the embedded lifecycle must always parse */
	atexit(cleanup);
	return 0;
}

static void
need(const struct ynode *m, const char *const *keys, const char *what)
{
	for (; *keys; keys++) {
		const struct ynode *v = ymap_get(m, *keys);
		if (!v || v->type != Y_SCALAR || ynode_is_null(v)) {
			fprintf(stderr,
				"oracle: a valid document has no value for"
				" required key '%s' in %s (line %d)\n",
				*keys, *what ? what : "project",
				v ? v->line : m->line);
			abort();
		}
	}
}

static void
check_required(const struct ynode *p)
{
	need(p, required[0].keys, "");
	for (size_t i = 1; i < sizeof(required) / sizeof(*required); i++) {
		const struct ynode *l = ymap_get(p, required[i].list);
		for (size_t j = 0; l && l->type == Y_SEQ && j < l->n; j++) {
			need(l->kids[j], required[i].keys, required[i].list);
			if (strcmp(required[i].list, "kpis") == 0) {
				static const char *const rk[] = {
				    "value", "actor", "at", NULL};
				const struct ynode *r =
				    ymap_get(l->kids[j], "readings");
				for (size_t k = 0;
				     r && r->type == Y_SEQ && k < r->n; k++)
					need(r->kids[k], rk, "readings");
			}
		}
	}
}

/* canonical(validate(load(canonical))) == canonical */
static void
check_fixed_point(const char *canon, size_t len)
{
	static const char head[] = "{\"aiproj\": 1, \"projects\": [";
	struct ynode *root = NULL;
	struct sbuf errs = {0};
	const struct ynode *ps;
	char *doc, *again = NULL;
	size_t dlen = sizeof(head) - 1 + len + 2, alen = 0;

	if (!(doc = malloc(dlen + 1)))
		return;
	memcpy(doc, head, sizeof(head) - 1);
	memcpy(doc + sizeof(head) - 1, canon, len);
	memcpy(doc + sizeof(head) - 1 + len, "]}", 3);
	if (yaml_load(doc, dlen, "canonical", &root)) {
		fprintf(stderr,
			"oracle: the canonical form does not load:\n%s\n", doc);
		abort();
	}
	if (pf_validate(&lc, root, "canonical", &errs) != 0) {
		fprintf(stderr,
			"oracle: the canonical form is invalid:\n%s\n%s\n",
			errs.s, doc);
		abort();
	}
	ps = pf_projects(root);
	if (!ps || ps->n != 1 || pf_canonical(ps->kids[0], &again, &alen) ||
	    alen != len || memcmp(again, canon, len) != 0) {
		fprintf(stderr,
			"oracle: canonical form is not a fixed point:\n"
			"%s\n---\n%s\n",
			canon, again ? again : "");
		abort();
	}
	free(again);
	free(doc);
	sbuf_free(&errs);
	ynode_free(root);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ynode *root = NULL;
	struct sbuf errs = {0};
	const struct ynode *ps;
	char *buf;

	/* read_input() hands yaml_load a NUL-terminated copy; so do we */
	if (!(buf = malloc(size + 1)))
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	if (yaml_load(buf, size, "fuzz.yaml", &root)) {
		free(buf);
		return 0;
	}
	free(buf);
	if (pf_validate(&lc, root, "fuzz.yaml", &errs) == 0 &&
	    (ps = pf_projects(root))) {
		for (size_t i = 0; i < ps->n; i++) {
			char *out = NULL;
			size_t len = 0;
			check_required(ps->kids[i]);
			if (!pf_name(ps->kids[i]))
				abort(); /* cmd_import looks projects up by it */
			if (pf_canonical(ps->kids[i], &out, &len))
				continue;
			if (!out || strlen(out) != len)
				abort(); /* canonical form must be one string */
			check_fixed_point(out, len);
			free(out);
		}
	}
	sbuf_free(&errs);
	ynode_free(root);
	return 0;
}
