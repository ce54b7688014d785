/*
 * portfolio.c - the export format, described once as tables of fields
 * (portfolio_int.h) and used to validate (portfolio_check.c,
 * portfolio_rules.c, the hash chains in portfolio_chain.c), emit (here),
 * read from and write to the store (portfolio_store.c).  Format: docs/export.md; JSON Schema:
 * schemas/export.schema.json.
 */
#include "aiproj/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"
#include "portfolio_int.h"

/* The rows of the tables: a required value, an optional one (its default
 * when left out), one that may be null; a name; one of `values`; a list of
 * mappings described by `items`. */
/* clang-format off */
#define REQ(key, type) {key, type, 1, 0, NULL, NULL, NULL}
#define OPT(key, type) {key, type, 0, 0, NULL, NULL, NULL}
#define NUL(key, type) {key, type, 0, 1, NULL, NULL, NULL}
#define NAME(key, what) {key, FT_NAME, 1, 0, what, NULL, NULL}
#define ENUM(key, values) {key, FT_ENUM, 1, 0, NULL, values, NULL}
#define LIST(key, items) {key, FT_LIST, 0, 0, NULL, NULL, items}
#define F_END {NULL, 0, 0, 0, NULL, NULL, NULL}

static const char *const v_status[] = {"active", "on-hold", "closed", NULL};
static const char *const v_decision[] = {"make", "buy", NULL};
static const char *const v_op[] = {">=", ">", "<=", "<", "==", NULL};
static const char *const v_kind[] = {"advance", "back", "forced", "start",
				     "buy",     NULL};

static const struct field f_decision[] = {
    ENUM("kind", v_decision),
    NUL("cost", FT_NUM),
    REQ("reason", FT_TEXT),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    F_END,
};
static const struct field f_reading[] = {
    REQ("value", FT_NUM),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    /* written only when true (older exports have none) */
    OPT("breach", FT_BOOL),
    NUL("hash", FT_HASH),
    F_END,
};
static const char *const v_change[] = {"set", "remove", NULL};
static const struct field f_kpi_change[] = {
    ENUM("kind", v_change),
    ENUM("op", v_op),
    REQ("target", FT_NUM),
    ENUM("was_op", v_op),
    REQ("was_target", FT_NUM),
    NUL("reason", FT_TEXT),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    NUL("hash", FT_HASH),
    F_END,
};
static const char *const v_ended[] = {"superseded", "retired", NULL};
static const struct field f_release[] = {
    REQ("version", FT_VERSION),
    NUL("artifact", FT_URI),
    NUL("digest", FT_DIGEST),
    NUL("commit", FT_COMMIT),
    NUL("note", FT_TEXT),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    {"ended", FT_ENUM, 0, 1, NULL, v_ended, NULL},
    NUL("ended_by", FT_PERSON),
    NUL("ended_at", FT_STAMP),
    NUL("end_reason", FT_TEXT),
    NUL("hash", FT_HASH),
    F_END,
};
static const struct field f_kpi[] = {
    NAME("name", "KPI"),
    ENUM("op", v_op),
    REQ("target", FT_NUM),
    REQ("created_at", FT_STAMP),
    LIST("readings", f_reading),
    /* written only when there are some (older exports have none) */
    LIST("changes", f_kpi_change),
    F_END,
};
static const struct field f_assignment[] = {
    REQ("role", FT_ROLE),
    REQ("person", FT_PERSON),
    /* the name it was made to, when a person rename or merge has moved
     * it since: one of the person's other names (older exports: none) */
    NUL("assigned_as", FT_PERSON),
    REQ("assigned_at", FT_STAMP),
    NUL("title", FT_TEXT), /* role assign --title (older exports: none) */
    F_END,
};
static const struct field f_component[] = {
    NAME("name", "component"),
    REQ("owner", FT_ROLE),
    OPT("description", FT_TEXT),
    NUL("version", FT_VERSION), /* older exports have none */
    F_END,
};
static const struct field f_criterion[] = {
    REQ("id", FT_INT),
    REQ("stage", FT_STAGE),
    REQ("text", FT_TEXT),
    OPT("done", FT_BOOL),
    NUL("done_by", FT_PERSON),
    NUL("done_at", FT_STAMP),
    NUL("note", FT_TEXT),
    F_END,
};
static const struct field f_approval[] = {
    REQ("stage", FT_STAGE),
    REQ("epoch", FT_INT),
    REQ("person", FT_PERSON),
    REQ("role", FT_APROLE),
    NUL("note", FT_TEXT),
    REQ("at", FT_STAMP),
    NUL("hash", FT_HASH),
    F_END,
};
static const struct field f_transition[] = {
    REQ("from", FT_STAGE),
    REQ("to", FT_STAGE),
    ENUM("kind", v_kind),
    REQ("actor", FT_PERSON),
    NUL("reason", FT_TEXT),
    REQ("at", FT_STAMP),
    NUL("hash", FT_HASH),
    F_END,
};
static const char *const v_event[] = {
    "note",     "hold",          "resume",           "close", "reopen",
    "unassign", "component-add", "component-remove", "due",   "handover",
    NULL};
static const struct field f_event[] = {
    ENUM("kind", v_event),
    NUL("subject", FT_TEXT),
    NUL("detail", FT_TEXT),
    NUL("note", FT_TEXT),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    F_END,
};
static const char *const v_person_event[] = {"add",   "set",      "rename",
					     "merge", "reassign", NULL};
static const struct field f_person_event[] = {
    ENUM("kind", v_person_event),
    NUL("subject", FT_TEXT),
    NUL("detail", FT_TEXT),
    REQ("actor", FT_PERSON),
    REQ("at", FT_STAMP),
    F_END,
};
/* the document's people (older exports list only those with an email or
 * a handle, without since, names and history) */
static const struct field f_person[] = {
    REQ("name", FT_PERSON),
    NUL("email", FT_EMAIL),
    NUL("handle", FT_HANDLE),
    OPT("since", FT_STAMP),
    /* written only when there are some */
    {"names", FT_PERSONS, 0, 0, NULL, NULL, NULL},
    LIST("history", f_person_event),
    F_END,
};
const struct field f_people = {"people", FT_LIST, 0, 1, NULL, NULL, f_person};
const struct field f_project[] = {
    NAME("name", "project"),
    OPT("description", FT_TEXT),
    ENUM("status", v_status),
    NUL("status_reason", FT_TEXT),
    OPT("status_at", FT_STAMP),
    NUL("outcome", FT_TEXT),
    REQ("stage", FT_STAGE),
    REQ("entered_at", FT_STAMP),
    REQ("created_at", FT_STAMP),
    LIST("decisions", f_decision),
    LIST("kpis", f_kpi),
    LIST("assignments", f_assignment),
    LIST("components", f_component),
    LIST("criteria", f_criterion),
    LIST("approvals", f_approval),
    LIST("history", f_transition),
    /* written only when there are some (older exports have none) */
    LIST("events", f_event),
    /* written only when there are some (older exports have none) */
    LIST("releases", f_release),
    F_END,
};
/* clang-format on */

/* check_map() keeps the fields a mapping gave in 32 bits */
#define FITS(t)                                                                \
	_Static_assert(sizeof(t) / sizeof(t[0]) <= 33, #t " has over 32 keys")
FITS(f_decision);
FITS(f_reading);
FITS(f_kpi_change);
FITS(f_release);
FITS(f_kpi);
FITS(f_assignment);
FITS(f_component);
FITS(f_criterion);
FITS(f_approval);
FITS(f_transition);
FITS(f_event);
FITS(f_person);
FITS(f_project);
#undef FITS

const char *
pf_str_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SCALAR && !ynode_is_null(n) ? n->str : NULL;
}

size_t
pf_len_of(const struct ynode *m, const char *key)
{
	const struct ynode *n = ymap_get(m, key);

	return n && n->type == Y_SEQ ? n->n : 0;
}

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
struct keyed *
pf_sorted_items(const struct ynode *l, const char *field, const char *field2,
		int numeric)
{
	struct keyed *k = malloc((l->n ? l->n : 1) * sizeof(*k));

	if (!k)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *a = pf_str_of(l->kids[i], field);
		const char *b = field2 ? pf_str_of(l->kids[i], field2) : "";
		k[i].n = l->kids[i];
		k[i].k1 = a ? a : "";
		k[i].k2 = b ? b : "";
		k[i].num = numeric && a ? strtoll(a, NULL, 10) : 0;
	}
	qsort(k, l->n, sizeof(*k), by_keys);
	return k;
}

/* The items of list key of m (none when it was left out). */
const struct ynode *const *
pf_items_of(const struct ynode *m, const char *key, size_t *n)
{
	const struct ynode *l = ymap_get(m, key);

	*n = l && l->type == Y_SEQ ? l->n : 0;
	return *n ? (const struct ynode *const *)l->kids : NULL;
}

/* The latest of t and key `key` of the items of list `list` of m. */
static const char *
latest(const char *t, const struct ynode *m, const char *list, const char *key)
{
	size_t n;
	const struct ynode *const *it = pf_items_of(m, list, &n);

	for (size_t i = 0; i < n; i++) {
		const char *u = pf_str_of(it[i], key);
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
const char *
pf_status_at_of(const struct ynode *p)
{
	const char *t = pf_str_of(p, "status_at");
	size_t nk;
	const struct ynode *const *k;

	if (t)
		return t;
	if (strcmp(pf_str_of(p, "status"), "active") == 0)
		return pf_str_of(p, "created_at");
	t = latest(pf_str_of(p, "entered_at"), p, "decisions", "at");
	t = latest(t, p, "approvals", "at");
	if (strcmp(pf_str_of(p, "status"), "closed") != 0)
		return t;
	t = latest(t, p, "kpis", "created_at");
	k = pf_items_of(p, "kpis", &nk);
	for (size_t i = 0; i < nk; i++)
		t = latest(t, k[i], "readings", "at");
	t = latest(t, p, "criteria", "done_at");
	return latest(t, p, "assignments", "assigned_at");
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
	return pf_str_of(project, "name");
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
			k = pf_sorted_items(n, "name", NULL, 0);
		else if (!strcmp(f->key, "assignments"))
			k = pf_sorted_items(n, "role", "person", 0);
		else if (!strcmp(f->key, "criteria"))
			k = pf_sorted_items(n, "id", NULL, 1);
		jw_arr(w);
		for (size_t i = 0; i < n->n; i++)
			emit_map(w, k ? k[i].n : n->kids[i], f->items);
		jw_end(w);
		free(k);
		break;
	}
	case FT_NUM: {
		/* a whole number of at most 15 digits (most of them): as
		 * jw_num() would write it, without strtod() and fmt_num() */
		const char *p = n->str + (n->str[0] == '-');
		int64_t v = 0;
		size_t d = 0;
		while (p[d] >= '0' && p[d] <= '9' && d < 16)
			v = v * 10 + (p[d++] - '0');
		if (!p[d] && d && d <= 15)
			jw_int(w, n->str[0] == '-' ? -v : v);
		else
			jw_num(w, strtod(n->str, NULL));
		break;
	}
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
		/* a title, an assigned name and a version only when set
		 * (older exports have none) */
		if (((fields == f_assignment &&
		      (!strcmp(fields[i].key, "title") ||
		       !strcmp(fields[i].key, "assigned_as"))) ||
		     (fields == f_component &&
		      !strcmp(fields[i].key, "version"))) &&
		    (!v || ynode_is_null(v)))
			continue;
		jw_key(w, fields[i].key);
		/* a project without status_at has the one import gives it */
		if (fields == f_project && !strcmp(fields[i].key, "status_at"))
			jw_str(w, pf_status_at_of(m));
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
