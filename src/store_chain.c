/*
 * store_chain.c - the hash chains of the append-only rows, for every
 * backend (see include/aiproj/chain.h, docs/security.md).
 *
 * A project has a chain of its history, one of its approvals and one of
 * the readings of each of its KPIs; the audit log is one chain for the
 * store.  Each chain runs in id order.  On SQLite aiproj computes a new
 * row's hash before it writes the row (store_chain_seal); on PostgreSQL
 * the server's trigger does (schemas/pg/007-hash-chain.sql) and the
 * values aiproj passes are replaced.  store_verify() recomputes them.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/chain.h"
#include "store_ops.h"

/* ---- the last hash of a chain ---- */

struct last_ctx {
	char *prev;
};

static const struct ap_error *
last_row(void *ctx, const struct sd_row *r)
{
	struct last_ctx *x = ctx;
	const char *h = sd_text(r, 0);

	if (h && strlen(h) < CHAIN_HEX)
		strcpy(x->prev, h);
	return NULL;
}

const struct ap_error *
store_chain_seal(struct store *s, enum chain_kind k, int64_t project,
		 const char *kpi, const char *const *fields, size_t n,
		 char prev[CHAIN_HEX], char hash[CHAIN_HEX])
{
	static const char *const sql[CHAIN_KINDS] = {
	    [CHAIN_HISTORY] = "SELECT hash FROM transition WHERE"
			      " project_id = ?1 ORDER BY id DESC LIMIT 1",
	    [CHAIN_APPROVAL] = "SELECT hash FROM approval WHERE"
			       " project_id = ?1 ORDER BY id DESC LIMIT 1",
	    [CHAIN_READING] = "SELECT hash FROM kpi_reading WHERE"
			      " project_id = ?1 AND kpi = ?2"
			      " ORDER BY id DESC LIMIT 1",
	    [CHAIN_AUDIT] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1",
	};
	const struct ap_error *err;
	struct last_ctx x = {.prev = prev};
	struct sd_stmt st = {
	    .sql = sql[k],
	    .types = k == CHAIN_AUDIT     ? ""
		     : k == CHAIN_READING ? "is"
					  : "i",
	    .doing = "read the hash chain",
	    .fn = last_row,
	    .ctx = &x,
	};

	if (s->ops->dialect == SD_PG) {
		/* the server's trigger computes both */
		prev[0] = hash[0] = '\0';
		return NULL;
	}
	strcpy(prev, chain_genesis);
	if ((err = sd_run(s, &st, project, kpi)))
		return err;
	return chain_hash(k, prev, fields, n, hash);
}

/* ---- verify ---- */

struct vrow {
	int64_t id;
	int ok; /* its hash matches its contents */
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
};

struct verify_ctx {
	enum chain_kind k;
	store_verify_fn fn;
	void *arg;
	struct store_verify_stats *stats;
	/* the chain being read: its key and rows */
	char *project, *kpi;
	struct vrow *rows;
	size_t n, cap;
};

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void
copy_hash(char dst[CHAIN_HEX], const char *src)
{
	if (src && strlen(src) < CHAIN_HEX)
		strcpy(dst, src);
	else
		dst[0] = '\0';
}

/* Position of the row whose hash is `h` in rows[from, to), or -1. */
static long
find_hash(const struct verify_ctx *x, size_t from, size_t to, const char *h)
{
	for (size_t j = from; j < to; j++)
		if (strcmp(x->rows[j].hash, h) == 0)
			return (long)j;
	return -1;
}

/* Check the chain read so far; report its first problem. */
static const struct ap_error *
chain_end(struct verify_ctx *x)
{
	struct store_verify_row v = {
	    .project = x->project, .chain = chain_noun(x->k), .kpi = x->kpi};
	size_t i;

	if (x->n == 0)
		return NULL;
	x->stats->chains++;
	x->stats->rows += (int64_t)x->n;
	for (i = 0; i < x->n && !v.problem; i++) {
		const char *want = i ? x->rows[i - 1].hash : chain_genesis;
		long j;

		v.row = (int64_t)i + 1;
		v.id = x->rows[i].id;
		if (!x->rows[i].hash[0]) {
			v.problem = "inserted"; /* with no hash */
		} else if (!x->rows[i].ok) {
			v.problem = "changed";
		} else if (strcmp(x->rows[i].prev, want) == 0) {
			continue;
		} else if (strcmp(x->rows[i].prev, chain_genesis) == 0) {
			/* it was first: the rows before it came in since */
			v.row = 1;
			v.id = x->rows[0].id;
			v.problem = "inserted";
		} else if (i > 0 &&
			   (j = find_hash(x, 0, i - 1, x->rows[i].prev)) >= 0) {
			v.row = j + 2;
			v.id = x->rows[j + 1].id;
			v.problem = "inserted";
		} else if (find_hash(x, i + 1, x->n, x->rows[i].prev) >= 0) {
			v.problem = "out of order";
		} else {
			v.problem = "removed before";
		}
	}
	x->n = 0;
	if (!v.problem)
		return NULL;
	x->stats->broken++;
	/* cppcheck-suppress returnDanglingLifetime ; the callback's error
	 * is one of error.c's, not a pointer into v */
	return x->fn(x->arg, &v);
}

static const struct ap_error *
verify_row(void *ctx, const struct sd_row *r)
{
	struct verify_ctx *x = ctx;
	const char *project = sd_text(r, 0), *kpi = sd_text(r, 1);
	const char *prev = sd_text(r, 3), *hash = sd_text(r, 4);
	const char *f[6];
	char value[17], want[CHAIN_HEX];
	const struct ap_error *err;
	size_t nf = 0;
	struct vrow *v;

	if (x->n && (!same(project, x->project) || !same(kpi, x->kpi))) {
		if ((err = chain_end(x)))
			return err;
	}
	if (x->n == 0) {
		free(x->project);
		free(x->kpi);
		x->project = project ? strdup(project) : NULL;
		x->kpi = kpi ? strdup(kpi) : NULL;
		if ((project && !x->project) || (kpi && !x->kpi))
			return ap_error_nomem();
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 16;
		struct vrow *m = realloc(x->rows, cap * sizeof(*m));
		if (!m)
			return ap_error_nomem();
		x->rows = m;
		x->cap = cap;
	}
	v = &x->rows[x->n++];
	v->id = sd_i64(r, 2);
	copy_hash(v->prev, prev);
	copy_hash(v->hash, hash);
	if (x->k == CHAIN_READING) {
		f[nf++] = sd_text(r, 5);
		chain_double(sd_dbl(r, 6), value);
		f[nf++] = value;
		f[nf++] = sd_text(r, 7);
		f[nf++] = sd_text(r, 8);
	} else {
		for (int c = 5; c < 11; c++)
			f[nf++] = sd_text(r, c);
	}
	v->ok = 0;
	if (chain_is_hash(prev) && chain_is_hash(hash)) {
		if ((err = chain_hash(x->k, prev, f, nf, want)))
			return err;
		v->ok = strcmp(want, hash) == 0;
	}
	return NULL;
}

const struct ap_error *
store_verify(struct store *s, const char *project, store_verify_fn fn,
	     void *arg, struct store_verify_stats *stats)
{
	static const char *const sql[CHAIN_KINDS] = {
	    [CHAIN_HISTORY] =
		"SELECT p.name, NULL, t.id, t.prev, t.hash, t.from_stage,"
		" t.to_stage, t.kind, t.actor, t.reason, t.at"
		" FROM transition t JOIN project p ON p.id = t.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1 ORDER BY t.project_id, t.id",
	    [CHAIN_APPROVAL] =
		"SELECT p.name, NULL, a.id, a.prev, a.hash, a.stage,"
		" CAST(a.epoch AS TEXT), a.person, a.role, a.note, a.at"
		" FROM approval a JOIN project p ON p.id = a.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1 ORDER BY a.project_id, a.id",
	    [CHAIN_READING] =
		"SELECT p.name, r.kpi, r.id, r.prev, r.hash, r.kpi, r.value,"
		" r.actor, r.at"
		" FROM kpi_reading r JOIN project p ON p.id = r.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1"
		" ORDER BY r.project_id, r.kpi, r.id",
	    [CHAIN_AUDIT] = "SELECT NULL, NULL, id, prev, hash, at, actor,"
			    " action, project, stage, detail FROM audit"
			    " WHERE ?1 IS NULL ORDER BY id",
	};
	const struct ap_error *err = NULL;
	struct verify_ctx x = {.fn = fn, .arg = arg, .stats = stats};

	for (int k = 0; k < CHAIN_KINDS && !err; k++) {
		struct sd_stmt st = {
		    .sql = sql[k],
		    .types = "s",
		    .doing = "read the hash chains",
		    .flags = SD_STREAM,
		    .fn = verify_row,
		    .ctx = &x,
		};
		x.k = (enum chain_kind)k;
		x.n = 0;
		if (!(err = sd_run(s, &st, project)))
			err = chain_end(&x);
	}
	free(x.project);
	free(x.kpi);
	free(x.rows);
	return err;
}

/* ---- the chains of a store that had none (SQLite migration) ---- */

struct fill {
	int64_t id;
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
};

struct fill_ctx {
	enum chain_kind k;
	struct fill *f;
	size_t n, cap;
	int64_t project;
	char *kpi;
	char last[CHAIN_HEX];
};

static const struct ap_error *
fill_row(void *ctx, const struct sd_row *r)
{
	struct fill_ctx *x = ctx;
	int64_t project = sd_i64(r, 0);
	const char *kpi = sd_text(r, 1);
	const struct ap_error *err;
	const char *f[6];
	char value[17];
	size_t nf = 0;
	struct fill *v;

	if (x->n == 0 || project != x->project || !same(kpi, x->kpi)) {
		strcpy(x->last, chain_genesis);
		x->project = project;
		free(x->kpi);
		if (!(x->kpi = kpi ? strdup(kpi) : NULL) && kpi)
			return ap_error_nomem();
	}
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		struct fill *m = realloc(x->f, cap * sizeof(*m));
		if (!m)
			return ap_error_nomem();
		x->f = m;
		x->cap = cap;
	}
	v = &x->f[x->n++];
	v->id = sd_i64(r, 2);
	if (x->k == CHAIN_READING) {
		f[nf++] = sd_text(r, 3);
		chain_double(sd_dbl(r, 4), value);
		f[nf++] = value;
		f[nf++] = sd_text(r, 5);
		f[nf++] = sd_text(r, 6);
	} else {
		for (int c = 3; c < 9; c++)
			f[nf++] = sd_text(r, c);
	}
	strcpy(v->prev, x->last);
	if ((err = chain_hash(x->k, v->prev, f, nf, v->hash)))
		return err;
	strcpy(x->last, v->hash);
	return NULL;
}

const struct ap_error *
store_chain_fill(struct store *s)
{
	static const char *const sql[CHAIN_KINDS] = {
	    [CHAIN_HISTORY] = "SELECT project_id, NULL, id, from_stage,"
			      " to_stage, kind, actor, reason, at"
			      " FROM transition ORDER BY project_id, id",
	    [CHAIN_APPROVAL] = "SELECT project_id, NULL, id, stage,"
			       " CAST(epoch AS TEXT), person, role, note, at"
			       " FROM approval ORDER BY project_id, id",
	    [CHAIN_READING] = "SELECT project_id, kpi, id, kpi, value, actor,"
			      " at FROM kpi_reading"
			      " ORDER BY project_id, kpi, id",
	    [CHAIN_AUDIT] = "SELECT 0, NULL, id, at, actor, action, project,"
			    " stage, detail FROM audit ORDER BY id",
	};
	static const char *const set[CHAIN_KINDS] = {
	    [CHAIN_HISTORY] =
		"UPDATE transition SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_APPROVAL] =
		"UPDATE approval SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_READING] =
		"UPDATE kpi_reading SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_AUDIT] =
		"UPDATE audit SET prev = ?2, hash = ?3 WHERE id = ?1",
	};
	const struct ap_error *err = NULL;
	struct fill_ctx x = {0};

	for (int k = 0; k < CHAIN_KINDS && !err; k++) {
		struct sd_stmt st = {
		    .sql = sql[k],
		    .types = "",
		    .doing = "compute the hash chains",
		    .fn = fill_row,
		    .ctx = &x,
		};
		x.k = (enum chain_kind)k;
		x.n = 0;
		err = sd_run(s, &st);
		for (size_t i = 0; i < x.n && !err; i++) {
			struct sd_stmt up = {
			    .sql = set[k],
			    .types = "iss",
			    .doing = "compute the hash chains",
			};
			err =
			    sd_run(s, &up, x.f[i].id, x.f[i].prev, x.f[i].hash);
		}
	}
	free(x.f);
	free(x.kpi);
	return err;
}
