/*
 * portfolio_chain.c - the hash chains in the export format: every row of a
 * project's history, approvals, KPI readings and changes and releases
 * carries the hash its store gave it (docs/security.md), and import recomputes them (docs/export.md).
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/chain.h"
#include "aiproj/portfolio.h"

/* The string of a scalar value of m, NULL when null or missing. */
static const char *
value_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SCALAR && !ynode_is_null(n) ? n->str : NULL;
}

static char *
copy(struct yarena *arena, const char *s)
{
	size_t n = strlen(s) + 1;
	char *c = arena ? yarena_alloc(arena, n) : malloc(n);

	if (c)
		memcpy(c, s, n);
	return c;
}

/* Append kid to m's kids, as yamlio.c's loader grows them: by doubling,
 * when n is a power of two; from the arena when the tree lives in one. */
static int
append(struct ynode *m, struct ynode *kid, struct yarena *arena)
{
	if ((m->n & (m->n - 1)) == 0) {
		size_t cap = m->n ? m->n * 2 : 1;
		struct ynode **k;
		if (arena) {
			if (!(k = yarena_alloc(arena, cap * sizeof(*k))))
				return -1;
			if (m->n)
				memcpy(k, m->kids, m->n * sizeof(*k));
		} else if (!(k = realloc(m->kids, cap * sizeof(*k)))) {
			return -1;
		}
		m->kids = k;
	}
	m->kids[m->n++] = kid;
	return 0;
}

static struct ynode *
new_scalar(struct yarena *arena, const char *s, int line, int col)
{
	struct ynode *n;

	if (!arena)
		n = ynode_scalar(s, 0);
	else if ((n = yarena_alloc(arena, sizeof(*n)))) {
		memset(n, 0, sizeof(*n));
		n->type = Y_SCALAR;
		if (!(n->str = copy(arena, s)))
			return NULL;
	}
	if (n) {
		n->line = line;
		n->col = col;
	}
	return n;
}

/* Set row m's hash to h: the value replaced, or the key added. */
static int
set_hash(struct ynode *m, const char *h, struct yarena *arena)
{
	struct ynode *n = ymap_get(m, "hash"), *k;
	char *c;

	if (n) {
		if (strcmp(n->str, h) == 0)
			return 0;
		if (!(c = copy(arena, h)))
			return -1;
		if (!arena)
			free(n->str);
		n->str = c;
		n->plain = 0;
		return 0;
	}
	if (!(k = new_scalar(arena, "hash", m->line, m->col)) ||
	    !(n = new_scalar(arena, h, m->line, m->col))) {
		if (!arena) {
			ynode_free(k);
			ynode_free(n);
		}
		return -1;
	}
	k->plain = 1;
	if (append(m, k, arena)) {
		if (!arena) {
			ynode_free(k);
			ynode_free(n);
		}
		return -1;
	}
	if (append(m, n, arena)) {
		if (!arena)
			ynode_free(n);
		return -1;
	}
	return 0;
}

struct walk {
	struct yarena *arena;
	int check, require;
	pf_chain_fn fn;
	void *arg;
	int differ; /* rows whose hash was missing or not the computed one */
	int failed;
};

/* The keys of a row's fields in a file, as chain_spec() orders them (a
 * reading's KPI and a change's: the `kpi` given). */
static const char *const keys[CHAIN_KINDS][CHAIN_MAX_FIELDS] = {
    [CHAIN_HISTORY] = {"from", "to", "kind", "actor", "reason", "at"},
    [CHAIN_APPROVAL] = {"stage", "epoch", "person", "role", "note", "at"},
    [CHAIN_READING] = {NULL, "value", "actor", "at", "breach"},
    [CHAIN_RELEASE] = {"version", "artifact", "digest", "commit", "note",
		       "actor", "at", "ended", "ended_by", "ended_at",
		       "end_reason"},
    [CHAIN_CHANGE] = {NULL, "kind", "op", "target", "was_op", "was_target",
		      "reason", "actor", "at"},
};

/* One chain: the rows of list l, each hashed after the one before. */
static void
chain(struct walk *w, enum chain_kind k, const struct ynode *l, const char *kpi)
{
	char prev[CHAIN_HEX], h[CHAIN_HEX], dbl[2][17];
	int reported = 0;

	if (!l || l->type != Y_SEQ)
		return;
	memcpy(prev, chain_genesis, CHAIN_HEX);
	for (size_t i = 0; i < l->n && !w->failed; i++) {
		struct ynode *m = l->kids[i];
		const char *f[CHAIN_MAX_FIELDS], *have = value_of(m, "hash");
		const char *spec = chain_spec(k);
		size_t n = 0;
		int nd = 0;

		for (int c = 0; spec[c]; c++) {
			const char *v =
			    keys[k][c] ? value_of(m, keys[k][c]) : kpi;
			if (spec[c] == 'd') {
				chain_double(v ? strtod(v, NULL) : 0, dbl[nd]);
				f[n++] = dbl[nd++];
			} else if (spec[c] == 'b') {
				if (v && strcmp(v, "true") == 0)
					f[n++] = "1";
			} else {
				f[n++] = v;
			}
		}
		if (chain_hash(k, prev, f, n, h)) {
			w->failed = 1;
			return;
		}
		if (!have || strcmp(have, h) != 0) {
			w->differ++;
			if (w->check && (have || w->require) && !reported++) {
				struct pf_chain_problem p = {
				    .row = m,
				    .chain = chain_noun(k),
				    .kpi = kpi,
				    .index = i + 1,
				    .missing = !have,
				};
				w->fn(w->arg, &p);
			}
		}
		if (set_hash(m, h, w->arena))
			w->failed = 1;
		memcpy(prev, h, CHAIN_HEX);
	}
}

int
pf_chain_project(struct ynode *project, struct yarena *arena, int check,
		 int require, pf_chain_fn fn, void *arg)
{
	struct walk w = {.arena = arena,
			 .check = check,
			 .require = require,
			 .fn = fn,
			 .arg = arg};
	const struct ynode *kpis = ymap_get(project, "kpis");

	chain(&w, CHAIN_HISTORY, ymap_get(project, "history"), NULL);
	chain(&w, CHAIN_APPROVAL, ymap_get(project, "approvals"), NULL);
	for (size_t i = 0; kpis && kpis->type == Y_SEQ && i < kpis->n; i++) {
		chain(&w, CHAIN_READING, ymap_get(kpis->kids[i], "readings"),
		      value_of(kpis->kids[i], "name"));
		chain(&w, CHAIN_CHANGE, ymap_get(kpis->kids[i], "changes"),
		      value_of(kpis->kids[i], "name"));
	}
	chain(&w, CHAIN_RELEASE, ymap_get(project, "releases"), NULL);
	return w.failed ? -1 : w.differ;
}
