/*
 * portfolio.c - the export format, described once as tables of fields
 * (portfolio_int.h) and used to validate (portfolio_check.c,
 * portfolio_rules.c), emit (here), read from and write to the store
 * (portfolio_store.c).  Format: docs/export.md; JSON Schema:
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
const struct field f_project[] = {
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
    {NULL, 0, 0, 0, NULL, NULL, NULL},
};

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
		const struct ynode *v;
		if (fields[i].items == f_event &&
		    (!(v = field_value(m, fields, i)) || v->type != Y_SEQ ||
		     v->n == 0))
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
