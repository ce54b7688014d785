/*
 * portfolio.c - the export format, described once as tables of fields and
 * used to validate, emit, read from and write to the store.  Format:
 * docs/export.md; JSON Schema: schemas/export.schema.json.
 */
#include "aiproj/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"

enum ftype {
	FT_NAME,    /* project, KPI or component name (aiproj(1) Arguments) */
	FT_PERSON,  /* person name */
	FT_TEXT,    /* reason, note, description */
	FT_STAMP,   /* 2026-01-02T03:04:05.678Z */
	FT_NUM,     /* a plain decimal number */
	FT_INT,     /* a plain non-negative integer */
	FT_BOOL,    /* true or false */
	FT_STAGE,   /* a stage slug of the store's lifecycle */
	FT_ROLE,    /* a role slug of the store's lifecycle */
	FT_ENUM,    /* one of `values` */
	FT_LIST,    /* a sequence of mappings described by `items` */
	FT_VERSION, /* a release's version (eng_check_version) */
	FT_URI,     /* an artifact (eng_check_artifact) */
	FT_DIGEST,  /* ALGO:HEX (eng_check_digest) */
	FT_COMMIT,  /* hex digits (eng_check_commit) */
};

struct field {
	const char *key;
	int type;
	int required; /* must be given (else: null, "", [] or false) */
	int nullable;
	const char *what; /* FT_NAME: which name */
	const char *const *values;
	const struct field *items;
};

static const char *const v_status[] = {"active", "on-hold", "closed", NULL};
static const char *const v_decision[] = {"make", "buy", NULL};
static const char *const v_op[] = {">=", ">", "<=", "<", "==", NULL};
static const char *const v_kind[] = {"advance", "back", "forced", NULL};

static const struct field f_decision[] = {
    {"kind", FT_ENUM, 1, 0, NULL, v_decision, NULL},
    {"cost", FT_NUM, 0, 1, NULL, NULL, NULL},
    {"reason", FT_TEXT, 1, 0, NULL, NULL, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_reading[] = {
    {"value", FT_NUM, 1, 0, NULL, NULL, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    /* written only when true (older exports have none) */
    {"breach", FT_BOOL, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const char *const v_change[] = {"set", "remove", NULL};
static const struct field f_kpi_change[] = {
    {"kind", FT_ENUM, 1, 0, NULL, v_change, NULL},
    {"op", FT_ENUM, 1, 0, NULL, v_op, NULL},
    {"target", FT_NUM, 1, 0, NULL, NULL, NULL},
    {"was_op", FT_ENUM, 1, 0, NULL, v_op, NULL},
    {"was_target", FT_NUM, 1, 0, NULL, NULL, NULL},
    {"reason", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const char *const v_ended[] = {"superseded", "retired", NULL};
static const struct field f_release[] = {
    {"version", FT_VERSION, 1, 0, NULL, NULL, NULL},
    {"artifact", FT_URI, 0, 1, NULL, NULL, NULL},
    {"digest", FT_DIGEST, 0, 1, NULL, NULL, NULL},
    {"commit", FT_COMMIT, 0, 1, NULL, NULL, NULL},
    {"note", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {"ended", FT_ENUM, 0, 1, NULL, v_ended, NULL},
    {"ended_by", FT_PERSON, 0, 1, NULL, NULL, NULL},
    {"ended_at", FT_STAMP, 0, 1, NULL, NULL, NULL},
    {"end_reason", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_kpi[] = {
    {"name", FT_NAME, 1, 0, "KPI", NULL, NULL},
    {"op", FT_ENUM, 1, 0, NULL, v_op, NULL},
    {"target", FT_NUM, 1, 0, NULL, NULL, NULL},
    {"created_at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {"readings", FT_LIST, 0, 0, NULL, NULL, f_reading},
    /* written only when there are some (older exports have none) */
    {"changes", FT_LIST, 0, 0, NULL, NULL, f_kpi_change},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_assignment[] = {
    {"role", FT_ROLE, 1, 0, NULL, NULL, NULL},
    {"person", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"assigned_at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_component[] = {
    {"name", FT_NAME, 1, 0, "component", NULL, NULL},
    {"owner", FT_ROLE, 1, 0, NULL, NULL, NULL},
    {"description", FT_TEXT, 0, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_criterion[] = {
    {"id", FT_INT, 1, 0, NULL, NULL, NULL},
    {"stage", FT_STAGE, 1, 0, NULL, NULL, NULL},
    {"text", FT_TEXT, 1, 0, NULL, NULL, NULL},
    {"done", FT_BOOL, 0, 0, NULL, NULL, NULL},
    {"done_by", FT_PERSON, 0, 1, NULL, NULL, NULL},
    {"done_at", FT_STAMP, 0, 1, NULL, NULL, NULL},
    {"note", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_approval[] = {
    {"stage", FT_STAGE, 1, 0, NULL, NULL, NULL},
    {"epoch", FT_INT, 1, 0, NULL, NULL, NULL},
    {"person", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"role", FT_ROLE, 1, 0, NULL, NULL, NULL},
    {"note", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_transition[] = {
    {"from", FT_STAGE, 1, 0, NULL, NULL, NULL},
    {"to", FT_STAGE, 1, 0, NULL, NULL, NULL},
    {"kind", FT_ENUM, 1, 0, NULL, v_kind, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"reason", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const char *const v_event[] = {
    "note",     "hold",          "resume",           "close", "reopen",
    "unassign", "component-add", "component-remove", "due",   NULL};
static const struct field f_event[] = {
    {"kind", FT_ENUM, 1, 0, NULL, v_event, NULL},
    {"subject", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"detail", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"note", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"actor", FT_PERSON, 1, 0, NULL, NULL, NULL},
    {"at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_project[] = {
    {"name", FT_NAME, 1, 0, "project", NULL, NULL},
    {"description", FT_TEXT, 0, 0, NULL, NULL, NULL},
    {"status", FT_ENUM, 1, 0, NULL, v_status, NULL},
    {"status_reason", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"status_at", FT_STAMP, 0, 0, NULL, NULL, NULL},
    {"outcome", FT_TEXT, 0, 1, NULL, NULL, NULL},
    {"stage", FT_STAGE, 1, 0, NULL, NULL, NULL},
    {"entered_at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {"created_at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {"decisions", FT_LIST, 0, 0, NULL, NULL, f_decision},
    {"kpis", FT_LIST, 0, 0, NULL, NULL, f_kpi},
    {"assignments", FT_LIST, 0, 0, NULL, NULL, f_assignment},
    {"components", FT_LIST, 0, 0, NULL, NULL, f_component},
    {"criteria", FT_LIST, 0, 0, NULL, NULL, f_criterion},
    {"approvals", FT_LIST, 0, 0, NULL, NULL, f_approval},
    {"history", FT_LIST, 0, 0, NULL, NULL, f_transition},
    /* written only when there are some (older exports have none) */
    {"events", FT_LIST, 0, 0, NULL, NULL, f_event},
    /* written only when there are some (older exports have none) */
    {"releases", FT_LIST, 0, 0, NULL, NULL, f_release},
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* ---- validation ---- */

/* At most this many problems are written out; the rest are counted. */
#define PF_MAX_PROBLEMS 100

/* The problems of one part of a document, in the order they are listed:
 * the document's own keys, its projects, duplicate names.  Each keeps the
 * text of its first PF_MAX_PROBLEMS, which is all that can be shown. */
enum { SEC_HEAD, SEC_PROJECTS, SEC_DUPLICATES, SEC_N };

struct psec {
	struct sbuf s;
	int n;
};

/* A project's name and place, for the duplicates check at the end. */
struct pname {
	size_t off; /* in vctx.names */
	int line, col;
};

struct vctx {
	const struct lifecycle *lc;
	const char *file;
	struct psec sec[SEC_N];
	int cur;              /* the section problems go to now */
	int n;                /* problems, in every section */
	struct yarena *arena; /* the tree's, or NULL: it was malloc'd */
	struct sbuf names;    /* NUL-terminated project names */
	struct pname *pn;
	size_t npn, cap;
};

static void bad_at(struct vctx *v, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
vbad(struct vctx *v, int line, int col, const char *fmt, va_list ap)
{
	struct psec *s = &v->sec[v->cur];
	char *msg = NULL;

	v->n++;
	/* past the cap a problem is only counted: no text, no memory */
	if (++s->n > PF_MAX_PROBLEMS)
		return;
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	sbuf_printf(&s->s, "%s%s:%d:%d: %s", s->s.len ? "\n" : "", v->file,
		    line, col, msg ? msg : "out of memory");
	free(msg);
}

static void
bad_at(struct vctx *v, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(v, line, col, fmt, ap);
	va_end(ap);
}

static void
bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(v, at ? at->line : 1, at ? at->col : 1, fmt, ap);
	va_end(ap);
}

static void check_map(struct vctx *v, struct ynode *m,
		      const struct field *fields, const char *what);

static void
check_value(struct vctx *v, struct ynode *n, const struct field *f)
{
	const struct ap_error *err = NULL;
	char buf[40];
	double num;

	if (f->nullable && ynode_is_null(n))
		return;
	if (f->type == FT_LIST) {
		if (n->type != Y_SEQ) {
			bad(v, n, "'%s' must be a list", f->key);
			return;
		}
		for (size_t i = 0; i < n->n; i++)
			check_map(v, n->kids[i], f->items, f->key);
		return;
	}
	if (n->type != Y_SCALAR) {
		bad(v, n, "'%s' must be a single value, not a %s", f->key,
		    n->type == Y_MAP ? "mapping" : "list");
		return;
	}
	if (ynode_is_null(n) && f->type != FT_ENUM &&
	    (f->type != FT_TEXT || n->str[0])) {
		bad(v, n, "'%s' must be given, not null", f->key);
		return;
	}
	switch (f->type) {
	case FT_NAME: err = valid_name(f->what, n->str); break;
	case FT_VERSION: err = eng_check_version(n->str); break;
	case FT_URI: err = eng_check_artifact(n->str); break;
	case FT_DIGEST: err = eng_check_digest(n->str); break;
	case FT_COMMIT: err = eng_check_commit(n->str); break;
	case FT_PERSON: err = valid_person(n->str); break;
	case FT_TEXT: err = valid_text(f->key, n->str, f->required); break;
	case FT_STAMP:
		if (!stamp_valid(n->str))
			bad(v, n,
			    "'%s' must be a UTC time stamp like"
			    " 2026-01-02T03:04:05.678Z, not '%s'",
			    f->key, shown(n->str));
		break;
	case FT_NUM:
		if (!n->plain || strict_number(n->str, &num)) {
			bad(v, n, "'%s' must be a number, not '%s'", f->key,
			    shown(n->str));
			break;
		}
		/* the range of every decimal the commands take */
		if (fabs(num) > DECIMAL_MAX ||
		    (num != 0 && fabs(num) < DECIMAL_MIN)) {
			bad(v, n,
			    "'%s' %s is out of range (0, or from 1e-15 to"
			    " 1e15 either side of it)",
			    f->key, shown(n->str));
			break;
		}
		fmt_num(buf, sizeof(buf), num); /* one spelling per value */
		if (strcmp(buf, n->str) != 0) {
			char *c = v->arena
				      ? yarena_alloc(v->arena, strlen(buf) + 1)
				      : malloc(strlen(buf) + 1);
			if (c) {
				strcpy(c, buf);
				if (!v->arena)
					free(n->str);
				n->str = c;
			}
		}
		break;
	case FT_INT:
		if (!n->plain || !*n->str ||
		    strspn(n->str, "0123456789") != strlen(n->str) ||
		    strlen(n->str) > 15 || (n->str[0] == '0' && n->str[1]))
			bad(v, n, "'%s' must be a whole number, not '%s'",
			    f->key, shown(n->str));
		break;
	case FT_BOOL:
		if (!n->plain || (strcmp(n->str, "true") != 0 &&
				  strcmp(n->str, "false") != 0))
			bad(v, n, "'%s' must be true or false, not '%s'",
			    f->key, shown(n->str));
		break;
	case FT_STAGE:
		if (lifecycle_stage_slug(v->lc, n->str) < 0)
			bad(v, n, "unknown stage '%s'", shown(n->str));
		break;
	case FT_ROLE:
		if (lifecycle_role(v->lc, n->str) < 0)
			bad(v, n, "unknown role '%s'", shown(n->str));
		break;
	case FT_ENUM: {
		const char *const *e = f->values;
		struct sbuf b = {0};
		while (*e && strcmp(*e, n->str) != 0)
			e++;
		if (*e)
			break;
		for (e = f->values; *e; e++)
			sbuf_printf(&b, "%s%s", b.len ? ", " : "", *e);
		bad(v, n, "'%s' must be one of %s, not '%s'", f->key,
		    b.s ? b.s : "", shown(n->str));
		sbuf_free(&b);
		break;
	}
	}
	if (err)
		bad(v, n, "%s", err->msg);
}

static void
check_map(struct vctx *v, struct ynode *m, const struct field *fields,
	  const char *what)
{
	if (m->type != Y_MAP) {
		bad(v, m, "each item of '%s' must be a mapping", what);
		return;
	}
	for (size_t i = 0; i < m->n; i += 2) {
		const struct field *f = fields;
		while (f->key && strcmp(f->key, m->kids[i]->str) != 0)
			f++;
		if (!f->key)
			bad(v, m->kids[i], "unknown key '%s' in %s",
			    shown(m->kids[i]->str), what);
		else
			check_value(v, m->kids[i + 1], f);
	}
	for (const struct field *f = fields; f->key; f++)
		if (f->required && !ymap_get(m, f->key))
			bad(v, m, "missing key '%s' in %s", f->key, what);
}

static const char *
str_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SCALAR && !ynode_is_null(n) ? n->str : NULL;
}

static size_t
len_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SEQ ? n->n : 0;
}

/* Sorting keys for unique() and the canonical order. */
struct keyed {
	const struct ynode *n;
	const char *k1, *k2;
	long long num; /* k1 as a number, for ids */
};

static int
by_keys(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c;

	if (x->num != y->num)
		return x->num < y->num ? -1 : 1;
	if ((c = strcmp(x->k1, y->k1)) || (c = strcmp(x->k2, y->k2)))
		return c;
	return (x->n->line > y->n->line) - (x->n->line < y->n->line);
}

/* The items of seq l sorted by field (then field2); numeric sorts ids.
 * The caller frees the array. */
static struct keyed *
sorted_items(const struct ynode *l, const char *field, const char *field2,
	     int numeric)
{
	struct keyed *k = malloc((l->n ? l->n : 1) * sizeof(*k));

	if (!k)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *a = str_of(l->kids[i], field);
		const char *b = field2 ? str_of(l->kids[i], field2) : "";
		k[i].n = l->kids[i];
		k[i].k1 = a ? a : "";
		k[i].k2 = b ? b : "";
		k[i].num = numeric && a ? strtoll(a, NULL, 10) : 0;
	}
	qsort(k, l->n, sizeof(*k), by_keys);
	return k;
}

/* Items of list `key` whose field `field` repeats (pairs with field2),
 * found by sorting: n log n however long the list. */
static void
unique(struct vctx *v, const struct ynode *m, const char *key,
       const char *field, const char *field2, const char *what)
{
	const struct ynode *l = ymap_get(m, key);
	struct keyed *k;

	if (!l || l->type != Y_SEQ || l->n < 2)
		return;
	if (!(k = sorted_items(l, field, field2, 0))) {
		bad(v, l, "out of memory");
		return;
	}
	for (size_t i = 1; i < l->n; i++)
		if (!strcmp(k[i].k1, k[i - 1].k1) &&
		    !strcmp(k[i].k2, k[i - 1].k2))
			bad(v, k[i].n, "duplicate %s '%s'%s%s", what,
			    shown(k[i].k1), field2 ? " for " : "",
			    field2 ? shown(k[i].k2) : "");
	free(k);
}

/* The node of key in m, or m itself when the key was left out: where a
 * problem with that key is reported. */
static const struct ynode *
at_key(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n ? n : m;
}

/* The items of list key of m (none when it was left out). */
static const struct ynode *const *
items_of(const struct ynode *m, const char *key, size_t *n)
{
	const struct ynode *l = ymap_get(m, key);

	*n = l && l->type == Y_SEQ ? l->n : 0;
	return *n ? (const struct ynode *const *)l->kids : NULL;
}

/* The stage a project is at after its first k moves. */
static const char *
stage_after(const struct vctx *v, const struct ynode *const *h, size_t k)
{
	return k ? str_of(h[k - 1], "to") : v->lc->stages[0].slug;
}

/* A point in a log's time order: the time and what it belongs to. */
struct since {
	const char *at, *what;
};

/* Time stamp key of m is not earlier than *s; then m's time is *s. */
static int
not_before(struct vctx *v, const struct ynode *m, const char *key,
	   struct since *s, const char *what)
{
	const char *t = str_of(m, key);

	if (strcmp(t, s->at) < 0) {
		bad(v, at_key(m, key), "'%s' %s is earlier than %s (%s)", key,
		    t, s->what, s->at);
		return 0;
	}
	s->at = t;
	s->what = what;
	return 1;
}

/* status, status_reason, outcome and the last decision agree (hold,
 * close and resume set the reason; only a buy decision sets an outcome,
 * and it closes the project). */
static void
check_status(struct vctx *v, const struct ynode *p)
{
	const char *status = str_of(p, "status");
	const char *why = str_of(p, "status_reason");
	const char *outcome = str_of(p, "outcome");
	size_t nd;
	const struct ynode *const *d = items_of(p, "decisions", &nd);
	const struct ynode *last = nd ? d[nd - 1] : NULL;
	int closed = strcmp(status, "closed") == 0;

	if (strcmp(status, "active") == 0) {
		if (why)
			bad(v, at_key(p, "status_reason"),
			    "an active project has no 'status_reason' (null),"
			    " not '%s'",
			    shown(why));
	} else if (!why) {
		bad(v, at_key(p, "status"),
		    "a project that is %s needs a 'status_reason': why it is"
		    " %s",
		    status, status);
	}
	if (outcome && strcmp(outcome, "bought") != 0)
		bad(v, at_key(p, "outcome"),
		    "'outcome' is 'bought' (set by a buy decision) or null, not"
		    " '%s'",
		    shown(outcome));
	else if (outcome && !closed)
		bad(v, at_key(p, "outcome"),
		    "a project with outcome 'bought' is closed, not %s",
		    status);
	else if (outcome && !(last && !strcmp(str_of(last, "kind"), "buy")))
		bad(v, at_key(p, "outcome"),
		    "outcome 'bought' needs a buy decision as the last "
		    "decision");
	else if (!outcome && last && !strcmp(str_of(last, "kind"), "buy"))
		bad(v, last,
		    "a buy decision closes the project: it must be closed with"
		    " outcome 'bought', not %s with outcome null",
		    status);
	else if (outcome && why && strcmp(why, str_of(last, "reason")) != 0)
		bad(v, at_key(p, "status_reason"),
		    "the 'status_reason' of a bought project is the reason of"
		    " its buy decision ('%s')",
		    shown(str_of(last, "reason")));
}

/* The latest of t and key `key` of the items of list `list` of m. */
static const char *
latest(const char *t, const struct ynode *m, const char *list, const char *key)
{
	size_t n;
	const struct ynode *const *it = items_of(m, list, &n);

	for (size_t i = 0; i < n; i++) {
		const char *u = str_of(it[i], key);
		if (u && strcmp(u, t) > 0)
			t = u;
	}
	return t;
}

/* The project's status_at; an export from before aiproj kept it has none,
 * and gets the time a store upgrade gives (schemas/004-status-at.sql):
 * created_at for an active project; for one on hold the latest of
 * entered_at, its decisions and approvals; for a closed one the latest of
 * those and of its KPIs, readings, ticked criteria and assignments. */
static const char *
status_at_of(const struct ynode *p)
{
	const char *t = str_of(p, "status_at");
	size_t nk;
	const struct ynode *const *k;

	if (t)
		return t;
	if (strcmp(str_of(p, "status"), "active") == 0)
		return str_of(p, "created_at");
	t = latest(str_of(p, "entered_at"), p, "decisions", "at");
	t = latest(t, p, "approvals", "at");
	if (strcmp(str_of(p, "status"), "closed") != 0)
		return t;
	t = latest(t, p, "kpis", "created_at");
	k = items_of(p, "kpis", &nk);
	for (size_t i = 0; i < nk; i++)
		t = latest(t, k[i], "readings", "at");
	t = latest(t, p, "criteria", "done_at");
	return latest(t, p, "assignments", "assigned_at");
}

/* Key `key` of each of the n items is no later than `at` (a closed
 * project's status_at). */
static void
none_after(struct vctx *v, const struct ynode *const *items, size_t n,
	   const char *key, const char *at)
{
	for (size_t i = 0; i < n; i++) {
		const char *t = str_of(items[i], key);
		if (t && strcmp(t, at) > 0)
			bad(v, at_key(items[i], key),
			    "'%s' %s is later than the project's status_at"
			    " (%s), when it was closed: nothing changes a"
			    " closed project",
			    key, t, at);
	}
}

/* status_at, when the file has it: not before created_at; a project that
 * is not active stopped moving, deciding and being approved when its
 * status changed; a buy decision closes at its own time; and nothing
 * changes a closed project. */
static void
check_status_at(struct vctx *v, const struct ynode *p)
{
	const char *at = str_of(p, "status_at");
	const char *status = str_of(p, "status");
	size_t nd, na, nk, nc, ns;
	const struct ynode *const *d = items_of(p, "decisions", &nd);
	const struct ynode *const *a = items_of(p, "approvals", &na);
	const struct ynode *const *k = items_of(p, "kpis", &nk);
	const struct ynode *const *c = items_of(p, "criteria", &nc);
	const struct ynode *const *as = items_of(p, "assignments", &ns);
	const struct ynode *n = ymap_get(p, "status_at");
	struct {
		const char *t, *what;
	} last[] = {
	    {str_of(p, "entered_at"), "its entered_at"},
	    {nd ? str_of(d[nd - 1], "at") : NULL, "its last decision"},
	    {na ? str_of(a[na - 1], "at") : NULL, "its last approval"},
	};

	if (!at)
		return;
	if (strcmp(at, str_of(p, "created_at")) < 0) {
		bad(v, n,
		    "'status_at' %s is earlier than the project's"
		    " created_at (%s)",
		    at, str_of(p, "created_at"));
		return;
	}
	if (strcmp(status, "active") == 0)
		return;
	for (size_t i = 0; i < sizeof(last) / sizeof(last[0]); i++)
		if (last[i].t && strcmp(at, last[i].t) < 0) {
			bad(v, n,
			    "'status_at' %s is earlier than %s (%s): only"
			    " an active project moves, decides or is"
			    " approved",
			    at, last[i].what, last[i].t);
			return;
		}
	if (str_of(p, "outcome") && nd &&
	    strcmp(str_of(d[nd - 1], "kind"), "buy") == 0 &&
	    strcmp(at, str_of(d[nd - 1], "at")) != 0)
		bad(v, n,
		    "'status_at' %s of a bought project is the time of"
		    " its buy decision (%s)",
		    at, str_of(d[nd - 1], "at"));
	if (strcmp(status, "closed") != 0)
		return;
	none_after(v, k, nk, "created_at", at);
	for (size_t i = 0; i < nk; i++) {
		size_t nr;
		const struct ynode *const *r = items_of(k[i], "readings", &nr);
		none_after(v, r, nr, "at", at);
	}
	none_after(v, c, nc, "done_at", at);
	none_after(v, as, ns, "assigned_at", at);
}

/* Decisions: no negative cost, none after a buy, oldest first, each made
 * at a stage that decides make or buy.  hsorted: the history's times are
 * in order (else the stage of a time cannot be told). */
static void
check_decisions(struct vctx *v, const struct ynode *p, int hsorted)
{
	size_t nd, nh, k = 0;
	const struct ynode *const *d = items_of(p, "decisions", &nd);
	const struct ynode *const *h = items_of(p, "history", &nh);
	struct since s = {str_of(p, "created_at"), "the project's created_at"};

	for (size_t i = 0; i < nd; i++) {
		const char *cost = str_of(d[i], "cost"), *at;
		int ok = 0;
		if (cost && strtod(cost, NULL) < 0)
			bad(v, ymap_get(d[i], "cost"),
			    "'cost' cannot be negative: %s", cost);
		if (i > 0 && !strcmp(str_of(d[i - 1], "kind"), "buy"))
			bad(v, d[i],
			    "no decision can follow a buy decision: buying"
			    " closes the project");
		if (!not_before(v, d[i], "at", &s, "the decision before") ||
		    !hsorted)
			continue;
		/* the stage it was made at: after the moves made before it
		 * (a move in the same millisecond may be on either side) */
		at = str_of(d[i], "at");
		while (k < nh && strcmp(str_of(h[k], "at"), at) < 0)
			k++;
		for (size_t j = k;; j++) {
			int st =
			    lifecycle_stage_slug(v->lc, stage_after(v, h, j));
			if (st >= 0 && v->lc->stages[st].requires_decision)
				ok = 1;
			if (ok || j >= nh ||
			    strcmp(str_of(h[j], "at"), at) != 0)
				break;
		}
		if (!ok)
			bad(v, d[i],
			    "a decision at %s: the project was at '%s', where"
			    " make or buy is not decided",
			    at, stage_after(v, h, k));
	}
}

/* History: reasons for back and forced moves, times in order, and
 * entered_at the time of the last move.  Returns whether the times are in
 * order. */
static int
check_moves(struct vctx *v, const struct ynode *p)
{
	size_t nh;
	const struct ynode *const *h = items_of(p, "history", &nh);
	struct since s = {str_of(p, "created_at"), "the project's created_at"};
	const char *entered = str_of(p, "entered_at");
	int sorted = 1;

	for (size_t i = 0; i < nh; i++) {
		const char *kind = str_of(h[i], "kind");
		if (strcmp(kind, "advance") != 0 && !str_of(h[i], "reason"))
			bad(v, at_key(h[i], "reason"),
			    "a '%s' move needs a reason", kind);
		if (!not_before(v, h[i], "at", &s, "the move before"))
			sorted = 0;
	}
	if (sorted && strcmp(entered, s.at) != 0 && nh)
		bad(v, at_key(p, "entered_at"),
		    "'entered_at' %s is not the time of the last move (%s)",
		    entered, s.at);
	else if (sorted && strcmp(entered, s.at) != 0)
		bad(v, at_key(p, "entered_at"),
		    "'entered_at' %s is not created_at (%s): without a move"
		    " the project is in the stage it was created in",
		    entered, s.at);
	return sorted;
}

/* The time of the last `back` move that reopened the gate of stage st (a
 * move back to st or to an earlier stage), or NULL when none did. */
static const char *
last_reopened(struct vctx *v, const struct ynode *p, int st)
{
	size_t nh;
	const struct ynode *const *h = items_of(p, "history", &nh);
	const char *last = NULL;

	for (size_t i = 0; i < nh; i++) {
		const char *at = str_of(h[i], "at");
		if (strcmp(str_of(h[i], "kind"), "back") != 0 ||
		    lifecycle_stage_slug(v->lc, str_of(h[i], "to")) > st)
			continue;
		if (!last || strcmp(at, last) > 0)
			last = at;
	}
	return last;
}

/* Criteria: ids from 1; a ticked one says by whom and when, an open one
 * has no done_by, done_at or note (reopening clears them).  A criterion
 * ticked before a `stage back` that reopened its stage would have been
 * cleared by that move. */
static void
check_criteria(struct vctx *v, const struct ynode *p)
{
	size_t nc;
	const struct ynode *const *c = items_of(p, "criteria", &nc);
	const char *created = str_of(p, "created_at");

	for (size_t i = 0; i < nc; i++) {
		const char *done = str_of(c[i], "done");
		const char *at = str_of(c[i], "done_at");
		static const char *const keys[] = {"done_by", "done_at",
						   "note"};
		if (strtoll(str_of(c[i], "id"), NULL, 10) < 1)
			bad(v, ymap_get(c[i], "id"),
			    "'id' must be 1 or more, not %s",
			    str_of(c[i], "id"));
		if (done && !strcmp(done, "true")) {
			for (size_t k = 0; k < 2; k++)
				if (!str_of(c[i], keys[k]))
					bad(v, at_key(c[i], keys[k]),
					    "a done criterion needs '%s'",
					    keys[k]);
			if (at && strcmp(at, created) < 0)
				bad(v, ymap_get(c[i], "done_at"),
				    "'done_at' %s is earlier than the"
				    " project's created_at (%s)",
				    at, created);
			else if (at) {
				int st = lifecycle_stage_slug(
				    v->lc, str_of(c[i], "stage"));
				const char *back =
				    st >= 0 ? last_reopened(v, p, st) : NULL;
				if (back && strcmp(at, back) < 0)
					bad(v, ymap_get(c[i], "done_at"),
					    "'done_at' %s is earlier than the"
					    " move back (%s) that reopened the"
					    " gate of '%s': criterion %s would"
					    " be open",
					    at, back, str_of(c[i], "stage"),
					    str_of(c[i], "id"));
			}
			continue;
		}
		for (size_t k = 0; k < 3; k++)
			if (str_of(c[i], keys[k]))
				bad(v, ymap_get(c[i], keys[k]),
				    "criterion %s is not done: '%s' must be"
				    " null",
				    str_of(c[i], "id"), keys[k]);
	}
}

static int
by_role_person(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	int c = strcmp(x->k1, y->k1);

	return c ? c : strcmp(x->k2, y->k2);
}

/* Approvals: oldest first, one per gate and epoch, of the stage the
 * project was at in that epoch, given in that stage's accountable role by
 * a person assigned that role, between the move that began the epoch and
 * the one that ended it. */
static void
check_approvals(struct vctx *v, const struct ynode *p)
{
	size_t na, nh, ns;
	const struct ynode *const *a = items_of(p, "approvals", &na);
	const struct ynode *const *h = items_of(p, "history", &nh);
	const struct ynode *as = ymap_get(p, "assignments");
	struct keyed *who = NULL;
	long long prev = -1;

	if (!na)
		return;
	ns = as && as->type == Y_SEQ ? as->n : 0;
	if (ns && !(who = sorted_items(as, "role", "person", 0))) {
		bad(v, a[0], "out of memory");
		return;
	}
	for (size_t i = 0; i < na; i++) {
		long long e = strtoll(str_of(a[i], "epoch"), NULL, 10);
		const char *stage = str_of(a[i], "stage");
		const char *role = str_of(a[i], "role");
		const char *person = str_of(a[i], "person");
		const char *at = str_of(a[i], "at"), *from, *st;
		struct keyed key = {.k1 = role, .k2 = person};
		int acc;
		if (e > (long long)nh) {
			bad(v, a[i],
			    "approval epoch %lld is past the history's %zu"
			    " move%s",
			    e, nh, nh == 1 ? "" : "s");
			continue;
		}
		if (e < prev)
			bad(v, ymap_get(a[i], "epoch"),
			    "approvals are oldest first: epoch %lld after"
			    " epoch %lld",
			    e, prev);
		else if (e == prev)
			bad(v, a[i],
			    "a second approval in epoch %lld: a gate is"
			    " approved once until the project moves",
			    e);
		prev = e;
		st = stage_after(v, h, (size_t)e);
		if (strcmp(stage, st) != 0) {
			bad(v, ymap_get(a[i], "stage"),
			    "approval of '%s' in epoch %lld: after %lld move%s"
			    " the project was at '%s'",
			    stage, e, e, e == 1 ? "" : "s", st);
			continue;
		}
		acc = lifecycle_accountable(v->lc,
					    lifecycle_stage_slug(v->lc, stage));
		if (acc >= 0 && strcmp(role, v->lc->roles[acc].slug) != 0)
			bad(v, ymap_get(a[i], "role"),
			    "the gate of '%s' is approved by its accountable"
			    " role '%s', not '%s'",
			    stage, v->lc->roles[acc].slug, role);
		else if (!who ||
			 !bsearch(&key, who, ns, sizeof(*who), by_role_person))
			bad(v, ymap_get(a[i], "person"),
			    "'%s' approved as %s but is not assigned as %s"
			    " (see 'assignments')",
			    shown(person), role, role);
		from = e ? str_of(h[e - 1], "at") : str_of(p, "created_at");
		if (strcmp(at, from) < 0)
			bad(v, ymap_get(a[i], "at"),
			    "'at' %s is earlier than %s (%s)", at,
			    e ? "the move that began its epoch"
			      : "the project's created_at",
			    from);
		else if ((size_t)e < nh && strcmp(at, str_of(h[e], "at")) > 0)
			bad(v, ymap_get(a[i], "at"),
			    "'at' %s is later than the move that ended its"
			    " epoch (%s)",
			    at, str_of(h[e], "at"));
	}
	free(who);
}

/* KPIs, readings and assignments come after the project was created;
 * readings oldest first, from their KPI's creation. */
static void
check_kpis(struct vctx *v, const struct ynode *p)
{
	size_t nk, ns;
	const struct ynode *const *k = items_of(p, "kpis", &nk);
	const struct ynode *const *as = items_of(p, "assignments", &ns);
	const char *created = str_of(p, "created_at");

	for (size_t i = 0; i < nk; i++) {
		struct since s = {created, "the project's created_at"};
		size_t nr;
		const struct ynode *const *r = items_of(k[i], "readings", &nr);
		if (!not_before(v, k[i], "created_at", &s,
				"the KPI's created_at"))
			continue;
		for (size_t j = 0; j < nr; j++)
			not_before(v, r[j], "at", &s, "the reading before");
	}
	for (size_t i = 0; i < ns; i++) {
		struct since s = {created, "the project's created_at"};
		not_before(v, as[i], "assigned_at", &s, "");
	}
}

/* Releases: versions unique, at most one live, an ended one says by whom
 * and when, no earlier than it went live; a change of a KPI ends with its
 * removal if it has one. */
static void
check_releases(struct vctx *v, const struct ynode *p)
{
	size_t n, nk, live = 0;
	const struct ynode *const *r = items_of(p, "releases", &n);
	const struct ynode *const *k = items_of(p, "kpis", &nk);

	unique(v, p, "releases", "version", NULL, "release");
	for (size_t i = 0; i < n; i++) {
		const char *ended = str_of(r[i], "ended");
		const char *by = str_of(r[i], "ended_by");
		const char *at = str_of(r[i], "ended_at");
		struct since s = {str_of(p, "created_at"),
				  "the project's created_at"};
		if (!not_before(v, r[i], "at", &s, ""))
			continue;
		if (!ended) {
			if (++live > 1)
				bad(v, r[i],
				    "release '%s' is live, and so is an earlier"
				    " one: at most one release is live",
				    str_of(r[i], "version"));
			if (by || at)
				bad(v, r[i],
				    "release '%s' is live: it has no ended_by"
				    " or ended_at",
				    str_of(r[i], "version"));
		} else if (!by || !at) {
			bad(v, r[i],
			    "release '%s' was %s: it needs ended_by"
			    " and ended_at",
			    str_of(r[i], "version"), ended);
		} else {
			not_before(v, r[i], "ended_at", &s, "its at");
		}
	}
	for (size_t i = 0; i < nk; i++) {
		size_t nc;
		const struct ynode *const *c = items_of(k[i], "changes", &nc);
		struct since s = {str_of(k[i], "created_at"),
				  "the KPI's created_at"};
		for (size_t j = 0; j < nc; j++) {
			not_before(v, c[j], "at", &s, "the change before");
			if (!strcmp(str_of(c[j], "kind"), "remove") &&
			    j + 1 < nc)
				bad(v, c[j + 1],
				    "KPI '%s' was removed: nothing changes it"
				    " after that",
				    str_of(k[i], "name"));
		}
	}
}

/* Rules across fields, once every field has its right type. */
static void
check_project(struct vctx *v, const struct ynode *p)
{
	const struct ynode *h = ymap_get(p, "history");
	const char *stage = str_of(p, "stage");
	size_t nh = len_of(p, "history");
	const char *prev = NULL;

	unique(v, p, "kpis", "name", NULL, "KPI");
	unique(v, p, "components", "name", NULL, "component");
	unique(v, p, "criteria", "id", NULL, "criterion id");
	unique(v, p, "assignments", "person", "role", "assignment of");
	for (size_t i = 0; i < nh; i++) {
		const struct ynode *t = h->kids[i];
		const char *from = str_of(t, "from"), *to = str_of(t, "to");
		const char *kind = str_of(t, "kind");
		int fi = lifecycle_stage_slug(v->lc, from);
		int ti = lifecycle_stage_slug(v->lc, to);
		if (prev && strcmp(prev, from) != 0)
			bad(v, t,
			    "history entry starts at '%s' but the one"
			    " before ended at '%s'",
			    from, prev);
		if (!strcmp(kind, "back") ? ti >= fi : ti != fi + 1)
			bad(v, t,
			    "a move of kind '%s' cannot go from '%s' to"
			    " '%s'",
			    kind, from, to);
		prev = to;
	}
	/* a project starts at the first stage: the history leads from it */
	if (nh > 0 && strcmp(str_of(h->kids[0], "from"), v->lc->stages[0].slug))
		bad(v, h->kids[0],
		    "the history must start at the first stage '%s'",
		    v->lc->stages[0].slug);
	if (prev && strcmp(prev, stage) != 0)
		bad(v, ymap_get(p, "stage"),
		    "stage '%s' is not where the history ends ('%s')", stage,
		    prev);
	if (!prev && strcmp(stage, v->lc->stages[0].slug) != 0)
		bad(v, ymap_get(p, "stage"),
		    "stage '%s' without a history: a project starts at '%s'",
		    stage, v->lc->stages[0].slug);
	check_decisions(v, p, check_moves(v, p));
	check_status(v, p);
	check_status_at(v, p);
	check_criteria(v, p);
	check_kpis(v, p);
	check_approvals(v, p);
	check_releases(v, p);
}

static int
by_name(const void *a, const void *b, void *arg)
{
	const struct pname *x = a, *y = b;
	const char *names = arg;
	int c = strcmp(names + x->off, names + y->off);

	/* equal names: the later one in the file is the duplicate */
	if (c)
		return c;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

/* Sorted, so a large document is checked in n log n. */
static void
duplicate_projects(struct vctx *v)
{
	v->cur = SEC_DUPLICATES;
	if (v->npn < 2)
		return;
	qsort_r(v->pn, v->npn, sizeof(*v->pn), by_name, v->names.s);
	for (size_t i = 1; i < v->npn; i++) {
		const char *a = v->names.s + v->pn[i].off;
		if (strcmp(a, v->names.s + v->pn[i - 1].off) == 0)
			bad_at(v, v->pn[i].line, v->pn[i].col,
			       "duplicate project '%s'", a);
	}
}

/* The document's own keys: the version, and 'projects' a list. */
static void
check_document(struct vctx *v, const struct ynode *root)
{
	const struct ynode *ver, *ps;

	v->cur = SEC_HEAD;
	if (root->type != Y_MAP) {
		bad(v, root,
		    "expected a mapping with 'aiproj: 1' and"
		    " 'projects'");
		return;
	}
	for (size_t i = 0; i < root->n; i += 2)
		if (strcmp(root->kids[i]->str, "aiproj") != 0 &&
		    strcmp(root->kids[i]->str, "projects") != 0)
			bad(v, root->kids[i], "unknown key '%s'",
			    shown(root->kids[i]->str));
	if (!(ver = ymap_get(root, "aiproj")))
		bad(v, root, "missing key 'aiproj' (the format version, 1)");
	else if (ver->type != Y_SCALAR || !ver->plain ||
		 strcmp(ver->str, "1") != 0)
		bad(v, ver,
		    "unsupported format version (want aiproj: 1, the"
		    " number 1 unquoted)");
	if (!(ps = ymap_get(root, "projects")))
		bad(v, root, "missing key 'projects'");
	else if (ps->type != Y_SEQ && !ynode_is_null(ps))
		bad(v, ps, "'projects' must be a list");
}

struct pf_check *
pf_check_new(const struct lifecycle *lc, const char *file)
{
	struct vctx *v = calloc(1, sizeof(*v));

	if (v) {
		v->lc = lc;
		v->file = file;
	}
	return (struct pf_check *)v;
}

int
pf_check_project(struct pf_check *chk, struct ynode *p, struct yarena *arena)
{
	struct vctx *v = (struct vctx *)chk;
	int before = v->n;
	const char *name;

	v->cur = SEC_PROJECTS;
	v->arena = arena;
	check_map(v, p, f_project, "project");
	if (v->n == before)
		check_project(v, p);
	v->arena = NULL;
	if ((name = str_of(p, "name"))) {
		size_t off = v->names.len;
		if (v->npn == v->cap) {
			size_t cap = v->cap ? v->cap * 2 : 1024;
			struct pname *pn = realloc(v->pn, cap * sizeof(*pn));
			if (!pn) {
				bad(v, p, "out of memory");
				return v->n - before;
			}
			v->pn = pn;
			v->cap = cap;
		}
		if (sbuf_add(&v->names, name, strlen(name) + 1)) {
			bad(v, p, "out of memory");
			return v->n - before;
		}
		v->pn[v->npn++] = (struct pname){off, p->line, p->col};
	}
	return v->n - before;
}

int
pf_check_problems(const struct pf_check *chk)
{
	return ((const struct vctx *)chk)->n;
}

int
pf_check_end(struct pf_check *chk, const struct ynode *root, struct sbuf *errs)
{
	struct vctx *v = (struct vctx *)chk;
	int shown = 0, n;

	check_document(v, root);
	duplicate_projects(v);
	/* the first PF_MAX_PROBLEMS in the order of the sections */
	for (int i = 0; i < SEC_N && shown < PF_MAX_PROBLEMS; i++) {
		const char *line = v->sec[i].s.s;
		for (int k = 0; k < v->sec[i].n && k < PF_MAX_PROBLEMS &&
				shown < PF_MAX_PROBLEMS;
		     k++, shown++) {
			const char *end = strchr(line, '\n');
			size_t len = end ? (size_t)(end - line) : strlen(line);
			sbuf_printf(errs, "%s%.*s", errs->len ? "\n" : "",
				    (int)len, line);
			line = end ? end + 1 : line + len;
		}
	}
	if (v->n > shown)
		sbuf_printf(errs, "\n... and %d more problem%s", v->n - shown,
			    v->n - shown == 1 ? "" : "s");
	n = v->n;
	return n;
}

void
pf_check_free(struct pf_check *chk)
{
	struct vctx *v = (struct vctx *)chk;

	if (!v)
		return;
	for (int i = 0; i < SEC_N; i++)
		sbuf_free(&v->sec[i].s);
	sbuf_free(&v->names);
	free(v->pn);
	free(v);
}

int
pf_validate(const struct lifecycle *lc, struct ynode *root, const char *file,
	    struct sbuf *errs)
{
	struct pf_check *chk = pf_check_new(lc, file);
	const struct ynode *ps = pf_projects(root);
	int n;

	if (!chk) {
		sbuf_printf(errs, "%s:1:1: out of memory", file);
		return 1;
	}
	for (size_t i = 0; ps && i < ps->n; i++)
		pf_check_project(chk, ps->kids[i], NULL);
	n = pf_check_end(chk, root, errs);
	pf_check_free(chk);
	return n;
}

const struct ynode *
pf_projects(const struct ynode *root)
{
	const struct ynode *ps = ymap_get(root, "projects");

	return ps && ps->type == Y_SEQ ? ps : NULL;
}

const char *
pf_name(const struct ynode *project)
{
	return str_of(project, "name");
}

/* ---- canonical emission ---- */

static void emit_map(struct jw *w, const struct ynode *m,
		     const struct field *fields);

static void
emit_value(struct jw *w, const struct ynode *n, const struct field *f)
{
	if (!n) { /* the default of a missing optional key */
		if (f->nullable)
			jw_null(w);
		else if (f->type == FT_LIST)
			jw_arr(w), jw_end(w);
		else if (f->type == FT_BOOL)
			jw_bool(w, 0);
		else
			jw_str(w, "");
		return;
	}
	if (f->nullable && ynode_is_null(n)) {
		jw_null(w);
		return;
	}
	switch (f->type) {
	case FT_LIST: {
		/* sets come out sorted as the store lists them, whatever
		 * order a hand-written file uses; logs keep their order */
		struct keyed *k = NULL;
		if (!strcmp(f->key, "kpis") || !strcmp(f->key, "components"))
			k = sorted_items(n, "name", NULL, 0);
		else if (!strcmp(f->key, "assignments"))
			k = sorted_items(n, "role", "person", 0);
		else if (!strcmp(f->key, "criteria"))
			k = sorted_items(n, "id", NULL, 1);
		jw_arr(w);
		for (size_t i = 0; i < n->n; i++)
			emit_map(w, k ? k[i].n : n->kids[i], f->items);
		jw_end(w);
		free(k);
		break;
	}
	case FT_NUM: jw_num(w, strtod(n->str, NULL)); break;
	case FT_INT: jw_int(w, strtoll(n->str, NULL, 10)); break;
	case FT_BOOL: jw_bool(w, strcmp(n->str, "true") == 0); break;
	default: jw_str(w, n->str);
	}
}

/* The value of field i of m.  Keys are unique, and a tree from the
 * store has them in the order of the table (the same literals, often):
 * look there first. */
static const struct ynode *
field_value(const struct ynode *m, const struct field *fields, size_t i)
{
	const char *k = 2 * i + 1 < m->n ? m->kids[2 * i]->str : NULL;

	if (m->type == Y_MAP && k &&
	    (k == fields[i].key || strcmp(k, fields[i].key) == 0))
		return m->kids[2 * i + 1];
	return ymap_get(m, fields[i].key);
}

static void
emit_map(struct jw *w, const struct ynode *m, const struct field *fields)
{
	jw_obj(w);
	for (size_t i = 0; fields[i].key; i++) {
		const struct ynode *v = field_value(m, fields, i);
		if ((fields[i].items == f_event ||
		     fields[i].items == f_kpi_change ||
		     fields[i].items == f_release) &&
		    (!v || v->type != Y_SEQ || v->n == 0))
			continue;
		/* a reading is a breach only when it says so */
		if (fields == f_reading && !strcmp(fields[i].key, "breach") &&
		    (!v || !v->str || strcmp(v->str, "true") != 0))
			continue;
		jw_key(w, fields[i].key);
		/* a project without status_at has the one import gives it */
		if (fields == f_project && !strcmp(fields[i].key, "status_at"))
			jw_str(w, status_at_of(m));
		else
			emit_value(w, field_value(m, fields, i), &fields[i]);
	}
	jw_end(w);
}

void
pf_emit(struct jw *w, const struct ynode *project)
{
	emit_map(w, project, f_project);
}

const struct ap_error *
pf_canonical(const struct ynode *project, char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	struct jw w;

	if (!f)
		return ap_error_nomem();
	jw_init(&w, f); /* JSON: the same canonical form, cheaper to build */
	pf_emit(&w, project);
	jw_done(&w);
	if (fclose(f) != 0)
		return ap_error_nomem();
	return NULL;
}

/* ---- from the store ---- */

/*
 * The tree of a stored project is built in an arena: its nodes, strings
 * and lists come from blocks that the next project's tree reuses, rather
 * than from a malloc and a free each (an export builds millions).  The
 * tree is the one ynode_* would build, so pf_emit() cannot tell.
 */
static void *
arena_alloc(struct pf_arena *a, size_t n)
{
	return yarena_alloc(&a->y, n);
}

void
pf_arena_free(struct pf_arena *a)
{
	yarena_free(&a->y);
}

struct build {
	struct pf_arena *arena;
	struct ynode *list; /* the sequence being filled */
	struct ynode *kpis; /* for readings: the kpis list */
	int failed;
};

static struct ynode *
node(struct build *b, int type)
{
	struct ynode *n = arena_alloc(b->arena, sizeof(*n));

	if (!n) {
		b->failed = 1;
		return NULL;
	}
	memset(n, 0, sizeof(*n));
	n->type = type;
	return n;
}

/* ynode_scalar(): a NULL string makes a plain null. */
static struct ynode *
scalar(struct build *b, const char *s, int plain)
{
	struct ynode *n = node(b, Y_SCALAR);
	size_t len;

	if (!n)
		return NULL;
	n->plain = s ? plain : 1;
	s = s ? s : "null";
	len = strlen(s) + 1;
	if (!(n->str = arena_alloc(b->arena, len))) {
		b->failed = 1;
		return NULL;
	}
	memcpy(n->str, s, len);
	return n;
}

static struct ynode *
plain_num(struct build *b, double v)
{
	char buf[40];

	fmt_num(buf, sizeof(buf), v);
	return scalar(b, buf, 1);
}

static struct ynode *
plain_int(struct build *b, int64_t v)
{
	char buf[24];

	fmt_int(buf, v);
	return scalar(b, buf, 1);
}

/* Append kid to a sequence or mapping, growing its list in the arena the
 * way push_kid() does: by doubling, when n is a power of two. */
static int
add(struct build *b, struct ynode *parent, struct ynode *kid)
{
	if (!parent || !kid) {
		b->failed = 1;
		return -1;
	}
	if ((parent->n & (parent->n - 1)) == 0) {
		struct ynode **k = arena_alloc(
		    b->arena, (parent->n ? parent->n * 2 : 1) * sizeof(*k));
		if (!k) {
			b->failed = 1;
			return -1;
		}
		if (parent->n)
			memcpy(k, parent->kids, parent->n * sizeof(*k));
		parent->kids = k;
	}
	parent->kids[parent->n++] = kid;
	return 0;
}

/* Put key: value in map m; -1 (and b->failed) when it cannot.  The key
 * is a string literal, not copied: the tree is only ever read. */
static int
put(struct build *b, struct ynode *m, const char *key, struct ynode *v)
{
	struct ynode *k = node(b, Y_SCALAR);

	if (k) {
		k->plain = 1;
		k->str = (char *)key;
	}
	if (!v || add(b, m, k) || add(b, m, v)) {
		b->failed = 1;
		return -1;
	}
	return 0;
}

static const struct ap_error *
add_decision(void *arg, const struct store_decision *d)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, decision_kind_name(d->kind), 0));
	put(b, m, "cost",
	    d->has_cost ? plain_num(b, d->cost) : scalar(b, NULL, 1));
	put(b, m, "reason", scalar(b, d->reason, 0));
	put(b, m, "actor", scalar(b, d->actor, 0));
	put(b, m, "at", scalar(b, d->at, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_kpi(void *arg, const struct store_kpi *k)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "name", scalar(b, k->name, 0));
	put(b, m, "op", scalar(b, k->op, 0));
	put(b, m, "target", plain_num(b, k->target));
	put(b, m, "created_at", scalar(b, k->created_at, 0));
	put(b, m, "readings", node(b, Y_SEQ));
	put(b, m, "changes", node(b, Y_SEQ));
	add(b, b->list, m);
	return NULL;
}

/* The list `key` of the KPI named `kpi` in b->kpis. */
static struct ynode *
kpi_list(struct build *b, const char *kpi, const char *key)
{
	for (size_t i = 0; i < b->kpis->n; i++)
		if (strcmp(str_of(b->kpis->kids[i], "name"), kpi) == 0)
			return (struct ynode *)ymap_get(b->kpis->kids[i], key);
	return NULL;
}

static const struct ap_error *
add_kpi_change(void *arg, const struct store_kpi_change *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, c->kind, 0));
	put(b, m, "op", scalar(b, c->op, 0));
	put(b, m, "target", plain_num(b, c->target));
	put(b, m, "was_op", scalar(b, c->was_op, 0));
	put(b, m, "was_target", plain_num(b, c->was_target));
	put(b, m, "reason", scalar(b, c->reason, 0));
	put(b, m, "actor", scalar(b, c->actor, 0));
	put(b, m, "at", scalar(b, c->at, 0));
	add(b, kpi_list(b, c->kpi, "changes"), m);
	return NULL;
}

static const struct ap_error *
add_release(void *arg, const struct store_release *r)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "version", scalar(b, r->version, 0));
	put(b, m, "artifact", scalar(b, r->artifact, 0));
	put(b, m, "digest", scalar(b, r->digest, 0));
	put(b, m, "commit", scalar(b, r->commit, 0));
	put(b, m, "note", scalar(b, r->note, 0));
	put(b, m, "actor", scalar(b, r->actor, 0));
	put(b, m, "at", scalar(b, r->at, 0));
	put(b, m, "ended", scalar(b, r->ended, 0));
	put(b, m, "ended_by", scalar(b, r->ended_by, 0));
	put(b, m, "ended_at", scalar(b, r->ended_at, 0));
	put(b, m, "end_reason", scalar(b, r->end_reason, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_reading(void *arg, const struct store_reading *r)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP), *seq = NULL;

	for (size_t i = 0; i < b->kpis->n; i++)
		if (strcmp(str_of(b->kpis->kids[i], "name"), r->kpi) == 0)
			seq = ymap_get(b->kpis->kids[i], "readings");
	put(b, m, "value", plain_num(b, r->value));
	put(b, m, "actor", scalar(b, r->actor, 0));
	put(b, m, "at", scalar(b, r->at, 0));
	if (r->breach)
		put(b, m, "breach", scalar(b, "true", 1));
	add(b, seq, m);
	return NULL;
}

static const struct ap_error *
add_assignment(void *arg, const struct store_assignment *a)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "role", scalar(b, a->role, 0));
	put(b, m, "person", scalar(b, a->person, 0));
	put(b, m, "assigned_at", scalar(b, a->assigned_at, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_component(void *arg, const struct store_component *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "name", scalar(b, c->name, 0));
	put(b, m, "owner", scalar(b, c->owner, 0));
	put(b, m, "description", scalar(b, c->description, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_criterion(void *arg, const struct store_criterion *c)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "id", plain_int(b, c->id));
	put(b, m, "stage", scalar(b, c->stage, 0));
	put(b, m, "text", scalar(b, c->text, 0));
	put(b, m, "done", scalar(b, c->done ? "true" : "false", 1));
	put(b, m, "done_by", scalar(b, c->done_by, 0));
	put(b, m, "done_at", scalar(b, c->done_at, 0));
	put(b, m, "note", scalar(b, c->note, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_approval(void *arg, const struct store_approval *a)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "stage", scalar(b, a->stage, 0));
	put(b, m, "epoch", plain_int(b, a->epoch));
	put(b, m, "person", scalar(b, a->person, 0));
	put(b, m, "role", scalar(b, a->role, 0));
	put(b, m, "note", scalar(b, a->note, 0));
	put(b, m, "at", scalar(b, a->at, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_event(void *arg, const struct store_event *e)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "kind", scalar(b, e->kind, 0));
	put(b, m, "subject", scalar(b, e->subject, 0));
	put(b, m, "detail", scalar(b, e->detail, 0));
	put(b, m, "note", scalar(b, e->note, 0));
	put(b, m, "actor", scalar(b, e->actor, 0));
	put(b, m, "at", scalar(b, e->at, 0));
	add(b, b->list, m);
	return NULL;
}

static const struct ap_error *
add_transition(void *arg, const struct store_transition *t)
{
	struct build *b = arg;
	struct ynode *m = node(b, Y_MAP);

	put(b, m, "from", scalar(b, t->from, 0));
	put(b, m, "to", scalar(b, t->to, 0));
	put(b, m, "kind", scalar(b, t->kind, 0));
	put(b, m, "actor", scalar(b, t->actor, 0));
	put(b, m, "reason", scalar(b, t->reason, 0));
	put(b, m, "at", scalar(b, t->at, 0));
	add(b, b->list, m);
	return NULL;
}

/* Fill list `key` of m through one store iterator. */
#define FILL(key, call)                                                        \
	do {                                                                   \
		b.list = node(&b, Y_SEQ);                                      \
		if (put(&b, m, key, b.list))                                   \
			break;                                                 \
		if ((err = (call)))                                            \
			return err;                                            \
	} while (0)

const struct ap_error *
pf_from_store(struct store *s, const struct store_project *p,
	      struct pf_arena *arena, struct ynode **out)
{
	const struct ap_error *err = NULL;
	struct build b = {.arena = arena};
	struct ynode *m;

	*out = NULL;
	yarena_reset(&arena->y);
	m = node(&b, Y_MAP);
	put(&b, m, "name", scalar(&b, p->name, 0));
	put(&b, m, "description", scalar(&b, p->description, 0));
	put(&b, m, "status", scalar(&b, proj_status_name(p->status), 0));
	put(&b, m, "status_reason", scalar(&b, p->status_reason, 0));
	put(&b, m, "status_at", scalar(&b, p->status_at, 0));
	put(&b, m, "outcome", scalar(&b, p->outcome, 0));
	put(&b, m, "stage", scalar(&b, p->stage, 0));
	put(&b, m, "entered_at", scalar(&b, p->entered_at, 0));
	put(&b, m, "created_at", scalar(&b, p->created_at, 0));
	if (b.failed)
		return ap_error_nomem();
	FILL("decisions", store_decisions(s, p->id, add_decision, &b));
	FILL("kpis", store_kpis_every(s, p->id, add_kpi, &b));
	b.kpis = b.list;
	if (!b.failed && (err = store_readings(s, p->id, add_reading, &b)))
		return err;
	if (!b.failed &&
	    (err = store_kpi_changes(s, p->id, add_kpi_change, &b)))
		return err;
	FILL("assignments", store_assignments(s, p->id, add_assignment, &b));
	FILL("components", store_components(s, p->id, add_component, &b));
	FILL("criteria", store_criteria(s, p->id, NULL, add_criterion, &b));
	FILL("approvals", store_approvals(s, p->id, add_approval, &b));
	FILL("history", store_transitions(s, p->id, add_transition, &b));
	FILL("events", store_events(s, p->id, add_event, &b));
	FILL("releases", store_releases(s, p->id, add_release, &b));
	if (b.failed)
		return ap_error_nomem();
	*out = m;
	return NULL;
}

/* ---- into the store ---- */

static const struct ynode *
list_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SEQ ? n : NULL;
}

const struct ap_error *
pf_to_store(struct store *s, const struct ynode *pj)
{
	const struct ap_error *err;
	const struct ynode *l;
	struct store_project p = {
	    .name = (char *)str_of(pj, "name"),
	    .description =
		(char *)(str_of(pj, "description") ? str_of(pj, "description")
						   : ""),
	    .status = proj_status_parse(str_of(pj, "status")),
	    .status_reason = (char *)str_of(pj, "status_reason"),
	    .outcome = (char *)str_of(pj, "outcome"),
	    .stage = (char *)str_of(pj, "stage"),
	    .epoch = (int64_t)len_of(pj, "history"),
	    .entered_at = (char *)str_of(pj, "entered_at"),
	    .created_at = (char *)str_of(pj, "created_at"),
	    .status_at = (char *)status_at_of(pj),
	};

	if ((err = store_project_import(s, &p)))
		return err;
	for (size_t i = 0; (l = list_of(pj, "decisions")) && i < l->n; i++) {
		const struct ynode *d = l->kids[i];
		struct store_decision sd = {
		    .project_id = p.id,
		    .kind = decision_kind_parse(str_of(d, "kind")),
		    .has_cost = str_of(d, "cost") != NULL,
		    .cost =
			str_of(d, "cost") ? strtod(str_of(d, "cost"), NULL) : 0,
		    .reason = str_of(d, "reason"),
		    .actor = str_of(d, "actor"),
		    .at = str_of(d, "at"),
		};
		if ((err = store_decision_add(s, &sd)))
			return err;
	}
	for (size_t i = 0; (l = list_of(pj, "kpis")) && i < l->n; i++) {
		const struct ynode *k = l->kids[i], *r;
		const char *name = str_of(k, "name");
		if ((err = store_kpi_add(s, p.id, name, str_of(k, "op"),
					 strtod(str_of(k, "target"), NULL),
					 str_of(k, "created_at"))))
			return err;
		for (size_t j = 0; (r = list_of(k, "readings")) && j < r->n;
		     j++) {
			const char *br = str_of(r->kids[j], "breach");
			if ((err = store_kpi_reading_add(
				 s, p.id, name,
				 strtod(str_of(r->kids[j], "value"), NULL),
				 br && strcmp(br, "true") == 0,
				 str_of(r->kids[j], "actor"),
				 str_of(r->kids[j], "at"))))
				return err;
		}
		for (size_t j = 0; (r = list_of(k, "changes")) && j < r->n;
		     j++) {
			const struct ynode *c = r->kids[j];
			struct store_kpi_change sc = {
			    .kpi = name,
			    .kind = str_of(c, "kind"),
			    .op = str_of(c, "op"),
			    .target = strtod(str_of(c, "target"), NULL),
			    .was_op = str_of(c, "was_op"),
			    .was_target = strtod(str_of(c, "was_target"), NULL),
			    .reason = str_of(c, "reason"),
			    .actor = str_of(c, "actor"),
			    .at = str_of(c, "at"),
			};
			if ((err = store_kpi_change_import(s, p.id, &sc)))
				return err;
		}
	}
	for (size_t i = 0; (l = list_of(pj, "assignments")) && i < l->n; i++)
		if ((err = store_assign(s, p.id, str_of(l->kids[i], "role"),
					str_of(l->kids[i], "person"),
					str_of(l->kids[i], "assigned_at"))))
			return err;
	for (size_t i = 0; (l = list_of(pj, "components")) && i < l->n; i++)
		if ((err = store_component_add(
			 s, p.id, str_of(l->kids[i], "name"),
			 str_of(l->kids[i], "owner"),
			 str_of(l->kids[i], "description"))))
			return err;
	for (size_t i = 0; (l = list_of(pj, "criteria")) && i < l->n; i++) {
		const struct ynode *c = l->kids[i];
		const char *done = str_of(c, "done");
		struct store_criterion sc = {
		    .id = strtoll(str_of(c, "id"), NULL, 10),
		    .stage = str_of(c, "stage"),
		    .text = str_of(c, "text"),
		    .done = done && strcmp(done, "true") == 0,
		    .done_by = str_of(c, "done_by"),
		    .done_at = str_of(c, "done_at"),
		    .note = str_of(c, "note"),
		};
		if ((err = store_criterion_import(s, p.id, &sc)))
			return err;
	}
	for (size_t i = 0; (l = list_of(pj, "approvals")) && i < l->n; i++) {
		const struct ynode *a = l->kids[i];
		struct store_approval sa = {
		    .project_id = p.id,
		    .stage = str_of(a, "stage"),
		    .epoch = strtoll(str_of(a, "epoch"), NULL, 10),
		    .person = str_of(a, "person"),
		    .role = str_of(a, "role"),
		    .note = str_of(a, "note"),
		    .at = str_of(a, "at"),
		};
		if ((err = store_approval_add(s, &sa)))
			return err;
	}
	for (size_t i = 0; (l = list_of(pj, "history")) && i < l->n; i++) {
		const struct ynode *t = l->kids[i];
		struct store_transition st = {
		    .project_id = p.id,
		    .from = str_of(t, "from"),
		    .to = str_of(t, "to"),
		    .kind = str_of(t, "kind"),
		    .actor = str_of(t, "actor"),
		    .reason = str_of(t, "reason"),
		    .at = str_of(t, "at"),
		};
		if ((err = store_transition_add(s, &st)))
			return err;
	}
	for (size_t i = 0; (l = list_of(pj, "events")) && i < l->n; i++) {
		const struct ynode *e = l->kids[i];
		struct store_event se = {
		    .kind = str_of(e, "kind"),
		    .subject = str_of(e, "subject"),
		    .detail = str_of(e, "detail"),
		    .note = str_of(e, "note"),
		    .actor = str_of(e, "actor"),
		    .at = str_of(e, "at"),
		};
		if ((err = store_event_add(s, p.id, &se)))
			return err;
	}
	for (size_t i = 0; (l = list_of(pj, "releases")) && i < l->n; i++) {
		const struct ynode *r = l->kids[i];
		struct store_release sr = {
		    .version = str_of(r, "version"),
		    .artifact = str_of(r, "artifact"),
		    .digest = str_of(r, "digest"),
		    .commit = str_of(r, "commit"),
		    .note = str_of(r, "note"),
		    .actor = str_of(r, "actor"),
		    .at = str_of(r, "at"),
		    .ended = str_of(r, "ended"),
		    .ended_by = str_of(r, "ended_by"),
		    .ended_at = str_of(r, "ended_at"),
		    .end_reason = str_of(r, "end_reason"),
		};
		if ((err = store_release_import(s, p.id, &sr)))
			return err;
	}
	return NULL;
}
