/*
 * portfolio.c - the export format, described once as tables of fields and
 * used to validate, emit, read from and write to the store.  Format:
 * docs/export.md; JSON Schema: schemas/export.schema.json.
 */
#include "aiproj/portfolio.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"

enum ftype {
	FT_NAME,   /* project, KPI or component name (SPEC 2) */
	FT_PERSON, /* person name */
	FT_TEXT,   /* reason, note, description */
	FT_STAMP,  /* 2026-01-02T03:04:05.678Z */
	FT_NUM,    /* a plain decimal number */
	FT_INT,    /* a plain non-negative integer */
	FT_BOOL,   /* true or false */
	FT_STAGE,  /* a stage slug of the store's lifecycle */
	FT_ROLE,   /* a role slug of the store's lifecycle */
	FT_ENUM,   /* one of `values` */
	FT_LIST,   /* a sequence of mappings described by `items` */
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
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};
static const struct field f_kpi[] = {
    {"name", FT_NAME, 1, 0, "KPI", NULL, NULL},
    {"op", FT_ENUM, 1, 0, NULL, v_op, NULL},
    {"target", FT_NUM, 1, 0, NULL, NULL, NULL},
    {"created_at", FT_STAMP, 1, 0, NULL, NULL, NULL},
    {"readings", FT_LIST, 0, 0, NULL, NULL, f_reading},
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
static const struct field f_project[] = {
    {"name", FT_NAME, 1, 0, "project", NULL, NULL},
    {"description", FT_TEXT, 0, 0, NULL, NULL, NULL},
    {"status", FT_ENUM, 1, 0, NULL, v_status, NULL},
    {"status_reason", FT_TEXT, 0, 1, NULL, NULL, NULL},
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
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

/* ---- validation ---- */

struct vctx {
	const struct lifecycle *lc;
	const char *file;
	struct sbuf *errs;
	int n;
};

static void
bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	sbuf_printf(v->errs, "%s%s:%d:%d: %s", v->errs->len ? "\n" : "",
		    v->file, at ? at->line : 1, at ? at->col : 1,
		    msg ? msg : "out of memory");
	free(msg);
	v->n++;
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
	case FT_PERSON: err = valid_person(n->str); break;
	case FT_TEXT:
		err = valid_text(f->key, n->str, f->required);
		break;
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
		fmt_num(buf, sizeof(buf), num); /* one spelling per value */
		if (strcmp(buf, n->str) != 0) {
			char *c = strdup(buf);
			if (c) {
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
			bad(v, n, "'%s' must be true or false, not '%s'", f->key,
			    shown(n->str));
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

/* Rules across fields, once every field has its right type. */
static void
check_project(struct vctx *v, const struct ynode *p)
{
	const struct ynode *h = ymap_get(p, "history"), *ap;
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
			bad(v, t, "history entry starts at '%s' but the one"
				  " before ended at '%s'",
			    from, prev);
		if (!strcmp(kind, "back") ? ti >= fi : ti != fi + 1)
			bad(v, t, "a move of kind '%s' cannot go from '%s' to"
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
	if ((ap = ymap_get(p, "approvals")) && ap->type == Y_SEQ)
		for (size_t i = 0; i < ap->n; i++) {
			const char *e = str_of(ap->kids[i], "epoch");
			if (e && strtoll(e, NULL, 10) > (long long)nh)
				bad(v, ap->kids[i],
				    "approval epoch %s is past the history's %zu"
				    " move%s",
				    e, nh, nh == 1 ? "" : "s");
		}
}

static int
by_name(const void *a, const void *b)
{
	const struct ynode *x = *(const struct ynode *const *)a;
	const struct ynode *y = *(const struct ynode *const *)b;
	const char *nx = str_of(x, "name"), *ny = str_of(y, "name");
	int c = strcmp(nx ? nx : "", ny ? ny : "");

	/* equal names: the later one in the file is the duplicate */
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* Sorted, so a large document is checked in n log n. */
static void
duplicate_projects(struct vctx *v, const struct ynode *ps)
{
	const struct ynode **sorted;

	if (ps->n < 2)
		return;
	if (!(sorted = malloc(ps->n * sizeof(*sorted)))) {
		bad(v, ps, "out of memory");
		return;
	}
	memcpy(sorted, ps->kids, ps->n * sizeof(*sorted));
	qsort(sorted, ps->n, sizeof(*sorted), by_name);
	for (size_t i = 1; i < ps->n; i++) {
		const char *a = str_of(sorted[i], "name");
		const char *b = str_of(sorted[i - 1], "name");
		if (a && b && strcmp(a, b) == 0)
			bad(v, sorted[i], "duplicate project '%s'", a);
	}
	free(sorted);
}

int
pf_validate(const struct lifecycle *lc, struct ynode *root, const char *file,
	    struct sbuf *errs)
{
	struct vctx v = {lc, file, errs, 0};
	const struct ynode *ver, *ps;

	if (root->type != Y_MAP) {
		bad(&v, root, "expected a mapping with 'aiproj: 1' and"
			      " 'projects'");
		return v.n;
	}
	for (size_t i = 0; i < root->n; i += 2)
		if (strcmp(root->kids[i]->str, "aiproj") != 0 &&
		    strcmp(root->kids[i]->str, "projects") != 0)
			bad(&v, root->kids[i], "unknown key '%s'",
			    shown(root->kids[i]->str));
	if (!(ver = ymap_get(root, "aiproj")))
		bad(&v, root, "missing key 'aiproj' (the format version, 1)");
	else if (ver->type != Y_SCALAR || strcmp(ver->str, "1") != 0)
		bad(&v, ver, "unsupported format version (want aiproj: 1)");
	if (!(ps = ymap_get(root, "projects"))) {
		bad(&v, root, "missing key 'projects'");
		return v.n;
	}
	if (ps->type != Y_SEQ) {
		if (!ynode_is_null(ps))
			bad(&v, ps, "'projects' must be a list");
		return v.n;
	}
	for (size_t i = 0; i < ps->n; i++) {
		int before = v.n;
		check_map(&v, ps->kids[i], f_project, "project");
		if (v.n == before)
			check_project(&v, ps->kids[i]);
	}
	duplicate_projects(&v, ps);
	return v.n;
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

static void
emit_map(struct jw *w, const struct ynode *m, const struct field *fields)
{
	jw_obj(w);
	for (const struct field *f = fields; f->key; f++) {
		jw_key(w, f->key);
		emit_value(w, ymap_get(m, f->key), f);
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

struct build {
	struct ynode *list; /* the sequence being filled */
	struct ynode *kpis; /* for readings: the kpis list */
	int failed;
};

static struct ynode *
plain_num(double v)
{
	char buf[40];

	fmt_num(buf, sizeof(buf), v);
	return ynode_scalar(buf, 1);
}

static struct ynode *
plain_int(int64_t v)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	return ynode_scalar(buf, 1);
}

/* Put key: value in map m, recording failure in b. */
static void
put(struct build *b, struct ynode *m, const char *key, struct ynode *v)
{
	if (ymap_put(m, key, v))
		b->failed = 1;
}

static const struct ap_error *
add_decision(void *arg, const struct store_decision *d)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "kind", ynode_scalar(d->kind, 0));
	put(b, m, "cost", d->has_cost ? plain_num(d->cost) : ynode_scalar(NULL, 1));
	put(b, m, "reason", ynode_scalar(d->reason, 0));
	put(b, m, "actor", ynode_scalar(d->actor, 0));
	put(b, m, "at", ynode_scalar(d->at, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_kpi(void *arg, const struct store_kpi *k)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "name", ynode_scalar(k->name, 0));
	put(b, m, "op", ynode_scalar(k->op, 0));
	put(b, m, "target", plain_num(k->target));
	put(b, m, "created_at", ynode_scalar(k->created_at, 0));
	put(b, m, "readings", ynode_seq());
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_reading(void *arg, const struct store_reading *r)
{
	struct build *b = arg;
	struct ynode *m = ynode_map(), *seq = NULL;

	for (size_t i = 0; i < b->kpis->n; i++)
		if (strcmp(str_of(b->kpis->kids[i], "name"), r->kpi) == 0)
			seq = ymap_get(b->kpis->kids[i], "readings");
	put(b, m, "value", plain_num(r->value));
	put(b, m, "actor", ynode_scalar(r->actor, 0));
	put(b, m, "at", ynode_scalar(r->at, 0));
	if (!seq || ynode_add(seq, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_assignment(void *arg, const struct store_assignment *a)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "role", ynode_scalar(a->role, 0));
	put(b, m, "person", ynode_scalar(a->person, 0));
	put(b, m, "assigned_at", ynode_scalar(a->assigned_at, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_component(void *arg, const struct store_component *c)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "name", ynode_scalar(c->name, 0));
	put(b, m, "owner", ynode_scalar(c->owner, 0));
	put(b, m, "description", ynode_scalar(c->description, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_criterion(void *arg, const struct store_criterion *c)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "id", plain_int(c->id));
	put(b, m, "stage", ynode_scalar(c->stage, 0));
	put(b, m, "text", ynode_scalar(c->text, 0));
	put(b, m, "done", ynode_scalar(c->done ? "true" : "false", 1));
	put(b, m, "done_by", ynode_scalar(c->done_by, 0));
	put(b, m, "done_at", ynode_scalar(c->done_at, 0));
	put(b, m, "note", ynode_scalar(c->note, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_approval(void *arg, const struct store_approval *a)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "stage", ynode_scalar(a->stage, 0));
	put(b, m, "epoch", plain_int(a->epoch));
	put(b, m, "person", ynode_scalar(a->person, 0));
	put(b, m, "role", ynode_scalar(a->role, 0));
	put(b, m, "note", ynode_scalar(a->note, 0));
	put(b, m, "at", ynode_scalar(a->at, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

static const struct ap_error *
add_transition(void *arg, const struct store_transition *t)
{
	struct build *b = arg;
	struct ynode *m = ynode_map();

	put(b, m, "from", ynode_scalar(t->from, 0));
	put(b, m, "to", ynode_scalar(t->to, 0));
	put(b, m, "kind", ynode_scalar(t->kind, 0));
	put(b, m, "actor", ynode_scalar(t->actor, 0));
	put(b, m, "reason", ynode_scalar(t->reason, 0));
	put(b, m, "at", ynode_scalar(t->at, 0));
	if (ynode_add(b->list, m))
		b->failed = 1;
	return NULL;
}

/* Fill list `key` of m through one store iterator. */
#define FILL(key, call)                                                        \
	do {                                                                   \
		b.list = ynode_seq();                                          \
		if (!b.list || ymap_put(m, key, b.list)) {                     \
			b.failed = 1;                                          \
			break;                                                 \
		}                                                              \
		if ((err = (call)))                                            \
			goto fail;                                             \
	} while (0)

const struct ap_error *
pf_from_store(struct store *s, const struct store_project *p,
	      struct ynode **out)
{
	const struct ap_error *err = NULL;
	struct ynode *m = ynode_map();
	struct build b = {0};

	*out = NULL;
	put(&b, m, "name", ynode_scalar(p->name, 0));
	put(&b, m, "description", ynode_scalar(p->description, 0));
	put(&b, m, "status", ynode_scalar(p->status, 0));
	put(&b, m, "status_reason", ynode_scalar(p->status_reason, 0));
	put(&b, m, "outcome", ynode_scalar(p->outcome, 0));
	put(&b, m, "stage", ynode_scalar(p->stage, 0));
	put(&b, m, "entered_at", ynode_scalar(p->entered_at, 0));
	put(&b, m, "created_at", ynode_scalar(p->created_at, 0));
	if (!m || b.failed)
		goto nomem;
	FILL("decisions", store_decisions(s, p->id, add_decision, &b));
	FILL("kpis", store_kpis(s, p->id, add_kpi, &b));
	b.kpis = b.list;
	if (!b.failed && (err = store_readings(s, p->id, add_reading, &b)))
		goto fail;
	FILL("assignments", store_assignments(s, p->id, add_assignment, &b));
	FILL("components", store_components(s, p->id, add_component, &b));
	FILL("criteria", store_criteria(s, p->id, NULL, add_criterion, &b));
	FILL("approvals", store_approvals(s, p->id, add_approval, &b));
	FILL("history", store_transitions(s, p->id, add_transition, &b));
	if (b.failed)
		goto nomem;
	*out = m;
	return NULL;
nomem:
	err = ap_error_nomem();
fail:
	ynode_free(m);
	return err;
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
	    .description = (char *)(str_of(pj, "description")
					? str_of(pj, "description")
					: ""),
	    .status = (char *)str_of(pj, "status"),
	    .status_reason = (char *)str_of(pj, "status_reason"),
	    .outcome = (char *)str_of(pj, "outcome"),
	    .stage = (char *)str_of(pj, "stage"),
	    .epoch = (int64_t)len_of(pj, "history"),
	    .entered_at = (char *)str_of(pj, "entered_at"),
	    .created_at = (char *)str_of(pj, "created_at"),
	};

	if ((err = store_project_import(s, &p)))
		return err;
	for (size_t i = 0; (l = list_of(pj, "decisions")) && i < l->n; i++) {
		const struct ynode *d = l->kids[i];
		struct store_decision sd = {
		    .project_id = p.id,
		    .kind = str_of(d, "kind"),
		    .has_cost = str_of(d, "cost") != NULL,
		    .cost = str_of(d, "cost") ? strtod(str_of(d, "cost"), NULL)
					      : 0,
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
		     j++)
			if ((err = store_kpi_record(
				 s, p.id, name,
				 strtod(str_of(r->kids[j], "value"), NULL),
				 str_of(r->kids[j], "actor"),
				 str_of(r->kids[j], "at"))))
				return err;
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
	return NULL;
}
