/*
 * store_chain.c - the hash chains of the append-only rows, for every
 * backend (see include/aiproj/chain.h, docs/security.md).
 *
 * A project has a chain of its history, one of its approvals, one of its
 * releases, and one of the readings and one of the changes of each of its
 * KPIs; the audit log is one chain for the store.  Each chain runs in id
 * order.  A release's hash covers its end: when the live release (the
 * chain's last row) ends, its hash is computed again
 * (store_chain_reseal_release).  On SQLite aiproj computes a new
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

/* A chain of the fresh project (store_chain_fresh()): its kind, its KPI
 * (readings and changes), its last hash. */
struct chain_last {
	enum chain_kind k;
	char *kpi;
	char hash[CHAIN_HEX];
};

void
store_chain_fresh(struct store *s, int64_t project)
{
	for (size_t i = 0; i < s->nchain_last; i++)
		free(s->chain_last[i].kpi);
	free(s->chain_last);
	s->chain_last = NULL;
	s->nchain_last = 0;
	s->chain_project = project;
}

/* The fresh project's chain k (of KPI kpi): its last hash, made when new
 * (the chain's genesis); NULL without memory. */
static char *
fresh_last(struct store *s, enum chain_kind k, const char *kpi)
{
	struct chain_last *c;
	size_t i;

	for (i = 0; i < s->nchain_last; i++) {
		c = &s->chain_last[i];
		if (c->k != k || !c->kpi != !kpi)
			continue;
		if (!kpi || strcmp(c->kpi, kpi) == 0)
			return c->hash;
	}
	if (!(c = realloc(s->chain_last, (i + 1) * sizeof(*c))))
		return NULL;
	s->chain_last = c;
	c += i;
	c->k = k;
	if (!kpi)
		c->kpi = NULL;
	else if (!(c->kpi = strdup(kpi)))
		return NULL;
	strcpy(c->hash, chain_genesis);
	s->nchain_last++;
	return c->hash;
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
	    [CHAIN_RELEASE] = "SELECT hash FROM prod_release WHERE"
			      " project_id = ?1 ORDER BY id DESC LIMIT 1",
	    [CHAIN_CHANGE] = "SELECT hash FROM kpi_change WHERE"
			     " project_id = ?1 AND kpi = ?2"
			     " ORDER BY id DESC LIMIT 1",
	};
	const struct ap_error *err;
	struct last_ctx x = {.prev = prev};
	struct sd_stmt st = {
	    .sql = sql[k],
	    .types = k == CHAIN_AUDIT                          ? ""
		     : k == CHAIN_READING || k == CHAIN_CHANGE ? "is"
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
	if (project && project == s->chain_project && k != CHAIN_AUDIT) {
		char *last = fresh_last(s, k, kpi);
		if (!last)
			return ap_error_nomem();
		strcpy(prev, last);
		if ((err = chain_hash(k, prev, fields, n, hash)))
			return err;
		strcpy(last, hash);
		return NULL;
	}
	strcpy(prev, chain_genesis);
	if ((err = sd_run(s, &st, project, kpi)))
		return err;
	return chain_hash(k, prev, fields, n, hash);
}

/* The fields of row r from column c on, as chain_spec(k) says; the
 * doubles' text in dbl. */
static size_t
row_fields(enum chain_kind k, const struct sd_row *r, int c, const char **f,
	   char dbl[2][17])
{
	size_t n = 0;
	int nd = 0;

	for (const char *t = chain_spec(k); *t; t++, c++) {
		if (*t == 't') {
			f[n++] = sd_text(r, c);
		} else if (*t == 'd') {
			chain_double(sd_dbl(r, c), dbl[nd]);
			f[n++] = dbl[nd++];
		} else if (sd_int(r, c)) {
			f[n++] = "1";
		}
	}
	return n;
}

#define RELEASE_FIELDS                                                         \
	"version, artifact, digest, commit_sha, note, actor, at, ended,"       \
	" ended_by, ended_at, end_reason"

struct reseal_ctx {
	int found;
	char prev[CHAIN_HEX], hash[CHAIN_HEX];
	const struct ap_error *err;
};

static const struct ap_error *
reseal_row(void *ctx, const struct sd_row *r)
{
	struct reseal_ctx *x = ctx;
	const char *f[CHAIN_MAX_FIELDS], *prev = sd_text(r, 0);
	char dbl[2][17];
	size_t n = row_fields(CHAIN_RELEASE, r, 1, f, dbl);

	x->found = 1;
	if (!chain_is_hash(prev))
		prev = chain_genesis; /* (a row with no link: verify says so) */
	strcpy(x->prev, prev);
	return chain_hash(CHAIN_RELEASE, x->prev, f, n, x->hash);
}

const struct ap_error *
store_chain_reseal_release(struct store *s, int64_t project,
			   const char *version)
{
	const struct ap_error *err;
	struct reseal_ctx x = {0};
	struct sd_stmt get = {
	    .sql = "SELECT prev, " RELEASE_FIELDS " FROM prod_release"
		   " WHERE project_id = ?1 AND version = ?2",
	    .types = "is",
	    .doing = "read the hash chain",
	    .fn = reseal_row,
	    .ctx = &x,
	};
	struct sd_stmt set = {
	    .sql = "UPDATE prod_release SET hash = ?3"
		   " WHERE project_id = ?1 AND version = ?2",
	    .types = "iss",
	    .doing = "record the hash chain",
	};

	if (s->ops->dialect == SD_PG) /* the server's trigger does */
		return NULL;
	if ((err = sd_run(s, &get, project, version)) || !x.found)
		return err;
	return sd_run(s, &set, project, version, x.hash);
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
	const char *f[CHAIN_MAX_FIELDS];
	char dbl[2][17], want[CHAIN_HEX];
	const struct ap_error *err;
	size_t nf;
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
	nf = row_fields(x->k, r, 5, f, dbl);
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
		" r.actor, r.at, r.breach"
		" FROM kpi_reading r JOIN project p ON p.id = r.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1"
		" ORDER BY r.project_id, r.kpi, r.id",
	    [CHAIN_AUDIT] = "SELECT NULL, NULL, id, prev, hash, at, actor,"
			    " action, project, stage, detail FROM audit"
			    " WHERE ?1 IS NULL ORDER BY id",
	    [CHAIN_RELEASE] =
		"SELECT p.name, NULL, r.id, r.prev, r.hash, r.version,"
		" r.artifact, r.digest, r.commit_sha, r.note, r.actor, r.at,"
		" r.ended, r.ended_by, r.ended_at, r.end_reason"
		" FROM prod_release r JOIN project p ON p.id = r.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1 ORDER BY r.project_id, r.id",
	    [CHAIN_CHANGE] =
		"SELECT p.name, c.kpi, c.id, c.prev, c.hash, c.kpi, c.kind,"
		" c.op, c.target, c.was_op, c.was_target, c.reason, c.actor,"
		" c.at FROM kpi_change c JOIN project p ON p.id = c.project_id"
		" WHERE ?1 IS NULL OR p.name = ?1"
		" ORDER BY c.project_id, c.kpi, c.id",
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
	const char *f[CHAIN_MAX_FIELDS];
	char dbl[2][17];
	size_t nf;
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
	nf = row_fields(x->k, r, 3, f, dbl);
	strcpy(v->prev, x->last);
	if ((err = chain_hash(x->k, v->prev, f, nf, v->hash)))
		return err;
	strcpy(x->last, v->hash);
	return NULL;
}

/* The rows of `sql` (chain key, id, fields, in chain order) linked and
 * hashed afresh. */
static const struct ap_error *
fill(struct store *s, struct fill_ctx *x, enum chain_kind k, const char *sql)
{
	/* (string constants: statements are cached by their text's address) */
	static const char *const set[CHAIN_KINDS] = {
	    [CHAIN_HISTORY] =
		"UPDATE transition SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_APPROVAL] =
		"UPDATE approval SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_READING] =
		"UPDATE kpi_reading SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_AUDIT] =
		"UPDATE audit SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_RELEASE] =
		"UPDATE prod_release SET prev = ?2, hash = ?3 WHERE id = ?1",
	    [CHAIN_CHANGE] =
		"UPDATE kpi_change SET prev = ?2, hash = ?3 WHERE id = ?1",
	};
	const struct ap_error *err;
	struct sd_stmt st = {
	    .sql = sql,
	    .types = "",
	    .doing = "compute the hash chains",
	    .fn = fill_row,
	    .ctx = x,
	};

	x->k = k;
	x->n = 0;
	err = sd_run(s, &st);
	for (size_t i = 0; i < x->n && !err; i++) {
		struct sd_stmt up = {
		    .sql = set[k],
		    .types = "iss",
		    .doing = "compute the hash chains",
		};
		err = sd_run(s, &up, x->f[i].id, x->f[i].prev, x->f[i].hash);
	}
	return err;
}

/* clang-format off */
#define FILL_READINGS \
	"SELECT project_id, kpi, id, kpi, value, actor, at, breach" \
	" FROM kpi_reading r"
#define FILL_RELEASES \
	"SELECT project_id, NULL, id, " RELEASE_FIELDS " FROM prod_release" \
	" ORDER BY project_id, id"
#define FILL_CHANGES \
	"SELECT project_id, kpi, id, kpi, kind, op, target, was_op," \
	" was_target, reason, actor, at FROM kpi_change" \
	" ORDER BY project_id, kpi, id"
/* clang-format on */

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
	    [CHAIN_READING] = FILL_READINGS " ORDER BY project_id, kpi, id",
	    [CHAIN_AUDIT] = "SELECT 0, NULL, id, at, actor, action, project,"
			    " stage, detail FROM audit ORDER BY id",
	    [CHAIN_RELEASE] = FILL_RELEASES,
	    [CHAIN_CHANGE] = FILL_CHANGES,
	};
	const struct ap_error *err = NULL;
	struct fill_ctx x = {0};

	for (int k = 0; k < CHAIN_KINDS && !err; k++)
		err = fill(s, &x, (enum chain_kind)k, sql[k]);
	free(x.f);
	free(x.kpi);
	return err;
}

const struct ap_error *
store_chain_fill_monitor(struct store *s)
{
	const struct ap_error *err;
	struct fill_ctx x = {0};

	/* a reading chain keeps its hashes up to its first breach */
	if (!(err = fill(s, &x, CHAIN_RELEASE, FILL_RELEASES)) &&
	    !(err = fill(s, &x, CHAIN_CHANGE, FILL_CHANGES)))
		err = fill(s, &x, CHAIN_READING,
			   FILL_READINGS
			   " WHERE (project_id, kpi) IN (SELECT project_id,"
			   " kpi FROM kpi_reading WHERE breach <> 0)"
			   " ORDER BY project_id, kpi, id");
	free(x.f);
	free(x.kpi);
	return err;
}
