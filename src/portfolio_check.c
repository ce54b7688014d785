/*
 * portfolio_check.c - checking an export document: each value against its
 * field in the tables, the document's own keys, unique project names, and
 * the problems listed as FILE:LINE:COLUMN: message (the rules across
 * fields: portfolio_rules.c).
 */
#include "aiproj/portfolio.h"

#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aiproj/chain.h"
#include "aiproj/engine.h"
#include "portfolio_int.h"

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

void
pf_bad_at(struct vctx *v, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(v, line, col, fmt, ap);
	va_end(ap);
}

void
pf_bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vbad(v, at ? at->line : 1, at ? at->col : 1, fmt, ap);
	va_end(ap);
}

static void check_map(struct vctx *v, struct ynode *m,
		      const struct field *fields, const char *what);

/* A plain decimal in the range of every decimal the commands take, put
 * in its one spelling per value. */
static void
check_num(struct vctx *v, struct ynode *n, const struct field *f)
{
	char buf[40];
	double num;

	if (!n->plain || strict_number(n->str, &num)) {
		pf_bad(v, n, "'%s' must be a number, not '%s'", f->key,
		       shown(n->str));
		return;
	}
	if (fabs(num) > DECIMAL_MAX || (num != 0 && fabs(num) < DECIMAL_MIN)) {
		pf_bad(v, n,
		       "'%s' %s is out of range (0, or from 1e-15 to"
		       " 1e15 either side of it)",
		       f->key, shown(n->str));
		return;
	}
	fmt_num(buf, sizeof(buf), num);
	if (strcmp(buf, n->str) != 0) {
		char *c = v->arena ? yarena_alloc(v->arena, strlen(buf) + 1)
				   : malloc(strlen(buf) + 1);
		if (c) {
			strcpy(c, buf);
			if (!v->arena)
				free(n->str);
			n->str = c;
		}
	}
}

static void
check_enum(struct vctx *v, const struct ynode *n, const struct field *f)
{
	const char *const *e = f->values;
	struct sbuf b = {0};

	while (*e && strcmp(*e, n->str) != 0)
		e++;
	if (*e)
		return;
	for (e = f->values; *e; e++)
		sbuf_printf(&b, "%s%s", b.len ? ", " : "", *e);
	pf_bad(v, n, "'%s' must be one of %s, not '%s'", f->key, b.s ? b.s : "",
	       shown(n->str));
	sbuf_free(&b);
}

/* A list's items, or that n is one value and given: 1 when there is no
 * single value left to check. */
static int
check_shape(struct vctx *v, struct ynode *n, const struct field *f)
{
	if (f->nullable && ynode_is_null(n))
		return 1;
	if (f->type == FT_LIST) {
		if (n->type != Y_SEQ) {
			pf_bad(v, n, "'%s' must be a list", f->key);
			return 1;
		}
		for (size_t i = 0; i < n->n; i++)
			check_map(v, n->kids[i], f->items, f->key);
		return 1;
	}
	if (f->type == FT_PERSONS) {
		if (n->type != Y_SEQ) {
			pf_bad(v, n, "'%s' must be a list of names", f->key);
			return 1;
		}
		for (size_t i = 0; i < n->n; i++) {
			const struct ap_error *err;
			const struct ynode *k = n->kids[i];
			if (k->type != Y_SCALAR || ynode_is_null(k))
				pf_bad(v, k,
				       "each item of '%s' must be a person's"
				       " name",
				       f->key);
			else if ((err = valid_person(k->str)))
				pf_bad(v, k, "%s", err->msg);
		}
		return 1;
	}
	if (n->type != Y_SCALAR) {
		pf_bad(v, n, "'%s' must be a single value, not a %s", f->key,
		       n->type == Y_MAP ? "mapping" : "list");
		return 1;
	}
	if (ynode_is_null(n) && f->type != FT_ENUM &&
	    (f->type != FT_TEXT || n->str[0])) {
		pf_bad(v, n, "'%s' must be given, not null", f->key);
		return 1;
	}
	return 0;
}

static void
check_value(struct vctx *v, struct ynode *n, const struct field *f)
{
	const struct ap_error *err = NULL;

	if (check_shape(v, n, f))
		return;
	switch (f->type) {
	case FT_NAME: err = valid_name(f->what, n->str); break;
	case FT_VERSION: err = eng_check_version(n->str); break;
	case FT_URI: err = eng_check_artifact(n->str); break;
	case FT_DIGEST: err = eng_check_digest(n->str); break;
	case FT_COMMIT: err = eng_check_commit(n->str); break;
	case FT_PERSON: err = valid_person(n->str); break;
	case FT_EMAIL: err = valid_email(n->str); break;
	case FT_HANDLE: err = valid_handle(n->str); break;
	case FT_TEXT: err = valid_text(f->key, n->str, f->required); break;
	case FT_STAMP:
		if (!stamp_valid(n->str))
			pf_bad(v, n,
			       "'%s' must be a UTC time stamp like"
			       " 2026-01-02T03:04:05.678Z, not '%s'",
			       f->key, shown(n->str));
		break;
	case FT_NUM: check_num(v, n, f); break;
	case FT_INT:
		if (!n->plain || !*n->str ||
		    strspn(n->str, "0123456789") != strlen(n->str) ||
		    strlen(n->str) > 15 || (n->str[0] == '0' && n->str[1]))
			pf_bad(v, n, "'%s' must be a whole number, not '%s'",
			       f->key, shown(n->str));
		break;
	case FT_BOOL:
		if (!n->plain || (strcmp(n->str, "true") != 0 &&
				  strcmp(n->str, "false") != 0))
			pf_bad(v, n, "'%s' must be true or false, not '%s'",
			       f->key, shown(n->str));
		break;
	case FT_HASH:
		if (!chain_is_hash(n->str))
			pf_bad(v, n,
			       "'%s' must be 64 lowercase hex digits (a SHA-256"
			       " hash), not '%s'",
			       f->key, shown(n->str));
		break;
	case FT_STAGE:
		if (lifecycle_stage_slug(v->lc, n->str) < 0)
			pf_bad(v, n, "unknown stage '%s'", shown(n->str));
		break;
	case FT_ROLE:
		if (lifecycle_role(v->lc, n->str) < 0)
			pf_bad(v, n, "unknown role '%s'", shown(n->str));
		break;
	case FT_APROLE:
		/* "" quoted: a plain empty value is null, refused above */
		if (*n->str && lifecycle_role(v->lc, n->str) < 0)
			pf_bad(v, n, "unknown role '%s'", shown(n->str));
		break;
	case FT_ENUM: check_enum(v, n, f); break;
	}
	if (err)
		pf_bad(v, n, "%s", err->msg);
}

static void
check_map(struct vctx *v, struct ynode *m, const struct field *fields,
	  const char *what)
{
	if (m->type != Y_MAP) {
		pf_bad(v, m, "each item of '%s' must be a mapping", what);
		return;
	}
	size_t nf = 0;
	uint32_t seen = 0; /* the fields given, by their place in the table */

	while (fields[nf].key)
		nf++;
	for (size_t i = 0; i < m->n; i += 2) {
		const char *k = m->kids[i]->str;
		const struct field *f = fields;
		/* an export has its keys in the table's order: look there
		 * first */
		if (i / 2 < nf && strcmp(fields[i / 2].key, k) == 0)
			f = &fields[i / 2];
		else
			while (f->key && strcmp(f->key, k) != 0)
				f++;
		if (!f->key) {
			pf_bad(v, m->kids[i], "unknown key '%s' in %s",
			       shown(k), what);
		} else {
			seen |= UINT32_C(1) << (f - fields);
			check_value(v, m->kids[i + 1], f);
		}
	}
	for (size_t j = 0; j < nf; j++)
		if (fields[j].required && !(seen & (UINT32_C(1) << j)))
			pf_bad(v, m, "missing key '%s' in %s", fields[j].key,
			       what);
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
			pf_bad_at(v, v->pn[i].line, v->pn[i].col,
				  "duplicate project '%s'", a);
	}
}

/* A name of the people: a person's own name (alias 0) or one of their
 * other names, for the check that each name finds one person. */
struct pname_of {
	const char *name;
	const struct ynode *at;
	size_t person; /* index in the list */
	int alias;
};

static int
by_pname(const void *a, const void *b)
{
	const struct pname_of *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	/* equal names: a person's own name first, then file order */
	if (c)
		return c;
	if (x->alias != y->alias)
		return x->alias - y->alias;
	if (x->at->line != y->at->line)
		return x->at->line < y->at->line ? -1 : 1;
	return (x->at->col > y->at->col) - (x->at->col < y->at->col);
}

/* Each other name finds one person: it is not their own name, nor another
 * person's name or other name, nor listed twice (exactly as written: the
 * store keeps the names as written). */
static void
check_other_names(struct vctx *v, const struct ynode *ps)
{
	struct pname_of *all;
	size_t n = 0, cap = 0;

	for (size_t i = 0; i < ps->n; i++) {
		const struct ynode *ns = ymap_get(ps->kids[i], "names");
		cap += 1 + (ns && ns->type == Y_SEQ ? ns->n : 0);
	}
	if (!(all = malloc((cap ? cap : 1) * sizeof(*all)))) {
		pf_bad(v, ps, "out of memory");
		return;
	}
	for (size_t i = 0; i < ps->n; i++) {
		const struct ynode *m = ps->kids[i];
		const struct ynode *own = ymap_get(m, "name");
		const struct ynode *ns = ymap_get(m, "names");
		if (own && own->type == Y_SCALAR && !ynode_is_null(own))
			all[n++] = (struct pname_of){own->str, own, i, 0};
		for (size_t k = 0; ns && ns->type == Y_SEQ && k < ns->n; k++) {
			const struct ynode *a = ns->kids[k];
			if (a->type == Y_SCALAR && !ynode_is_null(a))
				all[n++] = (struct pname_of){a->str, a, i, 1};
		}
	}
	qsort(all, n, sizeof(*all), by_pname);
	for (size_t i = 1; i < n; i++) {
		const struct pname_of *first = &all[i], *x = &all[i];
		const char *who, *whose;
		/* the first of the names equal to this one */
		while (first > all && !strcmp((first - 1)->name, x->name))
			first--;
		if (first == x || !x->alias)
			continue; /* (two own names: listed twice, above) */
		who = pf_str_of(ps->kids[x->person], "name");
		whose = pf_str_of(ps->kids[first->person], "name");
		if (first->person == x->person && !first->alias)
			pf_bad(v, x->at,
			       "'%s' is the name of '%s': 'names' lists the"
			       " other names a person had",
			       shown(x->name), shown(who ? who : ""));
		else if (first->person == x->person)
			pf_bad(v, x->at,
			       "'%s' is listed twice in the names of '%s'",
			       shown(x->name), shown(who ? who : ""));
		else if (!first->alias)
			pf_bad(v, x->at,
			       "'%s' is the name of person '%s', not another"
			       " name of '%s' (a name finds one person)",
			       shown(x->name), shown(whose ? whose : ""),
			       shown(who ? who : ""));
		else
			pf_bad(v, x->at,
			       "'%s' is another name of both '%s' and '%s'"
			       " (a name finds one person)",
			       shown(x->name), shown(whose ? whose : ""),
			       shown(who ? who : ""));
	}
	free(all);
}

/* A person of the list by key, for the check that each is listed once. */
struct pkey {
	char *key;
	size_t i;     /* in the list */
	size_t first; /* the first with the same key */
};

static int
by_pkey(const void *a, const void *b)
{
	const struct pkey *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->i > y->i) - (x->i < y->i);
}

static int
by_pkey_i(const void *a, const void *b)
{
	const struct pkey *x = a, *y = b;

	return (x->i > y->i) - (x->i < y->i);
}

/* Each person once, whatever the spelling of the name (person_key()):
 * sorted by key, so a list of any length is checked in n log n; each
 * later one is told in file order, as the first with their key. */
static void
check_listed_once(struct vctx *v, const struct ynode *ps)
{
	struct pkey *k = malloc((ps->n ? ps->n : 1) * sizeof(*k));
	size_t n = 0;

	if (!k) {
		pf_bad(v, ps, "out of memory");
		return;
	}
	for (size_t i = 0; i < ps->n; i++) {
		const char *name = pf_str_of(ps->kids[i], "name");
		if (!name)
			continue;
		if (!(k[n].key = person_key(name))) {
			pf_bad(v, ps, "out of memory");
			goto done;
		}
		k[n].i = k[n].first = i;
		n++;
	}
	qsort(k, n, sizeof(*k), by_pkey);
	for (size_t j = 1; j < n; j++)
		if (!strcmp(k[j].key, k[j - 1].key))
			k[j].first = k[j - 1].first;
	qsort(k, n, sizeof(*k), by_pkey_i);
	for (size_t j = 0; j < n; j++)
		if (k[j].first != k[j].i)
			pf_bad(v, ps->kids[k[j].i],
			       "person '%s' is listed twice (as '%s')",
			       shown(pf_str_of(ps->kids[k[j].i], "name")),
			       shown(pf_str_of(ps->kids[k[j].first], "name")));
done:
	for (size_t j = 0; j < n; j++)
		free(k[j].key);
	free(k);
}

/* The people: each as the list's fields say, each once whatever the
 * spelling of the name, and each other name finds one person. */
static void
check_people(struct vctx *v, struct ynode *ps)
{
	if (!ps)
		return;
	check_value(v, ps, &f_people);
	if (ps->type != Y_SEQ)
		return;
	check_listed_once(v, ps);
	check_other_names(v, ps);
}

/* The format version a document's 'aiproj' says: 1, 2, or 0 when it says
 * neither (or nothing yet). */
static int
doc_version(const struct ynode *root)
{
	const struct ynode *ver = ymap_get(root, "aiproj");

	if (!ver || ver->type != Y_SCALAR || !ver->plain)
		return 0;
	return !strcmp(ver->str, "1") ? 1 : !strcmp(ver->str, "2") ? 2 : 0;
}

/* Format 2's end record: the last key, 'end: {projects: N}', N the
 * number of projects the file holds.  A file cut anywhere before its
 * last line lacks it or holds a different N. */
static void
check_end(struct vctx *v, const struct ynode *root)
{
	const struct ynode *end = ymap_get(root, "end"), *n;

	if (root->n >= 2 && strcmp(root->kids[0]->str, "aiproj") != 0)
		pf_bad(v, root->kids[0],
		       "'aiproj' must be the first key of a format 2 document");
	if (!end) {
		pf_bad(v, root,
		       "missing key 'end' (a format 2 document ends with"
		       " 'end: {projects: N}'): the file was cut short");
		return;
	}
	if (strcmp(root->kids[root->n - 2]->str, "end") != 0)
		pf_bad(v, root->kids[root->n - 2],
		       "'%s' after 'end': 'end' must be the last key",
		       shown(root->kids[root->n - 2]->str));
	n = ymap_get(end, "projects");
	if (end->type != Y_MAP || end->n != 2 || !n || n->type != Y_SCALAR ||
	    !n->plain || !*n->str ||
	    strspn(n->str, "0123456789") != strlen(n->str) ||
	    strlen(n->str) > 15 || (n->str[0] == '0' && n->str[1])) {
		pf_bad(v, end,
		       "'end' must be 'projects: N', N the number of projects:"
		       " the file was cut short or edited");
		return;
	}
	if (strtoll(n->str, NULL, 10) != v->projects)
		pf_bad(v, n,
		       "'end' says %s project%s but the file holds %d: the file"
		       " was cut short or edited",
		       n->str, strcmp(n->str, "1") ? "s" : "", v->projects);
}

/* The document's own keys: the version, 'projects' a list, and in format
 * 2 the end record. */
static void
check_document(struct vctx *v, const struct ynode *root)
{
	const struct ynode *ver, *ps;
	int version;

	v->cur = SEC_HEAD;
	if (root->type != Y_MAP) {
		pf_bad(v, root,
		       "expected a mapping with 'aiproj: 2' and"
		       " 'projects'");
		return;
	}
	version = doc_version(root);
	for (size_t i = 0; i < root->n; i += 2) {
		const char *k = root->kids[i]->str;
		if (strcmp(k, "aiproj") != 0 && strcmp(k, "projects") != 0 &&
		    strcmp(k, "people") != 0 &&
		    (version != 2 || strcmp(k, "end") != 0))
			pf_bad(v, root->kids[i], "unknown key '%s'%s", shown(k),
			       strcmp(k, "end") == 0
				   ? " (format 1 has no end record)"
				   : "");
	}
	check_people(v, ymap_get(root, "people"));
	if (!(ver = ymap_get(root, "aiproj")))
		pf_bad(v, root, "missing key 'aiproj' (the format version, 2)");
	else if (!version)
		pf_bad(v, ver,
		       "unsupported format version (want aiproj: 2, or 1 for a"
		       " file without hashes and end record; the number"
		       " unquoted)");
	if (!(ps = ymap_get(root, "projects")))
		pf_bad(v, root, "missing key 'projects'");
	else if (ps->type != Y_SEQ && !ynode_is_null(ps))
		pf_bad(v, ps, "'projects' must be a list");
	if (version == 2)
		check_end(v, root);
}

struct chain_ctx {
	struct vctx *v;
	const char *project;
};

/* A row whose hash is missing or wrong. */
static void
chain_bad(void *arg, const struct pf_chain_problem *c)
{
	const struct chain_ctx *x = arg;
	struct vctx *v = x->v;
	char what[256];

	if (c->kpi)
		snprintf(what, sizeof(what), "%s %zu of KPI '%s' of '%s'",
			 c->chain, c->index, c->kpi, x->project);
	else
		snprintf(what, sizeof(what), "%s entry %zu of '%s'", c->chain,
			 c->index, x->project);
	if (c->missing)
		pf_bad(v, c->row,
		       "%s has no hash: a format 2 file carries one on every"
		       " row (import --rehash computes them)",
		       what);
	else
		pf_bad(v, c->row,
		       "%s does not match its hash: the file was changed after"
		       " it was exported (import --rehash recomputes the"
		       " hashes)",
		       what);
}

/* The project's hash chains: checked (unless v->rehash) and set in the
 * tree to what the store will compute. */
static void
check_chains(struct vctx *v, struct ynode *p, struct yarena *arena)
{
	struct chain_ctx x = {v, pf_str_of(p, "name")};
	int r = pf_chain_project(p, arena, !v->rehash, v->version >= 2,
				 chain_bad, &x);

	if (r < 0)
		pf_bad(v, p, "out of memory");
	else
		v->rehashed = r;
}

void
pf_check_head(struct pf_check *chk, const struct ynode *root, int rehash)
{
	struct vctx *v = (struct vctx *)chk;

	v->version = doc_version(root);
	v->rehash = rehash;
}

int
pf_check_rehashed(const struct pf_check *chk)
{
	return ((const struct vctx *)chk)->rehashed;
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

/* Component names are unique ignoring case, as component add keeps them
 * (the same name twice is the rules' "duplicate component"). */
static void
check_component_case(struct vctx *v, const struct ynode *p)
{
	size_t n;
	const struct ynode *const *c = pf_items_of(p, "components", &n);

	for (size_t i = 1; i < n; i++) {
		const char *a = pf_str_of(c[i], "name");
		for (size_t j = 0; a && j < i; j++) {
			const char *b = pf_str_of(c[j], "name");
			if (b && strcasecmp(a, b) == 0 && strcmp(a, b) != 0) {
				pf_bad(v, c[i],
				       "duplicate component '%s': '%s' differs"
				       " only in case (component names are"
				       " unique ignoring case)",
				       shown(a), shown(b));
				break;
			}
		}
	}
}

/* The assignments that say the name they were made to (assigned_as): not
 * their person's name, and kept to be checked against the people, who
 * come after the projects (check_assigned_as()). */
static void
keep_assigned_as(struct vctx *v, const struct ynode *p)
{
	size_t n;
	const struct ynode *const *as = pf_items_of(p, "assignments", &n);

	for (size_t i = 0; i < n; i++) {
		const struct ynode *at = ymap_get(as[i], "assigned_as");
		const char *person = pf_str_of(as[i], "person");
		const char *name = pf_str_of(as[i], "assigned_as");
		struct asref r;
		if (!name || !person)
			continue;
		if (strcmp(name, person) == 0) {
			pf_bad(v, at,
			       "'assigned_as' is '%s', the assignment's person:"
			       " leave it out (it names the other name a person"
			       " rename or merge moved the assignment from)",
			       shown(name));
			continue;
		}
		if (v->nar == v->car) {
			size_t cap = v->car ? v->car * 2 : 64;
			struct asref *ar = realloc(v->ar, cap * sizeof(*ar));
			if (!ar) {
				pf_bad(v, p, "out of memory");
				return;
			}
			v->ar = ar;
			v->car = cap;
		}
		r = (struct asref){v->as.len, 0, at->line, at->col};
		if (sbuf_add(&v->as, person, strlen(person) + 1)) {
			pf_bad(v, p, "out of memory");
			return;
		}
		r.name = v->as.len;
		if (sbuf_add(&v->as, name, strlen(name) + 1)) {
			pf_bad(v, p, "out of memory");
			return;
		}
		v->ar[v->nar++] = r;
	}
}

/* A person of the list by key, to find an assignment's person. */
struct pfind {
	char *key;
	size_t i; /* in the list */
};

static int
by_pfind(const void *a, const void *b)
{
	return strcmp(((const struct pfind *)a)->key,
		      ((const struct pfind *)b)->key);
}

/* Each assigned_as is one of its person's other names: the `names` of the
 * person the file's people list gives by that name (person_key()),
 * exactly as written, as a rename or merge leaves it. */
static void
check_assigned_as(struct vctx *v, const struct ynode *root)
{
	const struct ynode *ps =
	    root->type == Y_MAP ? ymap_get(root, "people") : NULL;
	size_t np = ps && ps->type == Y_SEQ ? ps->n : 0, n = 0;
	struct pfind *k;

	if (!v->nar)
		return;
	v->cur = SEC_PROJECTS;
	if (!(k = malloc((np ? np : 1) * sizeof(*k)))) {
		pf_bad(v, root, "out of memory");
		return;
	}
	for (size_t i = 0; i < np; i++) {
		const char *name = pf_str_of(ps->kids[i], "name");
		if (!name)
			continue;
		if (!(k[n].key = person_key(name))) {
			pf_bad(v, root, "out of memory");
			goto done;
		}
		k[n++].i = i;
	}
	qsort(k, n, sizeof(*k), by_pfind);
	for (size_t j = 0; j < v->nar; j++) {
		const char *person = v->as.s + v->ar[j].person;
		const char *name = v->as.s + v->ar[j].name;
		struct pfind want = {person_key(person), 0}, *hit;
		const struct ynode *ns;
		int found = 0;
		if (!want.key) {
			pf_bad(v, root, "out of memory");
			goto done;
		}
		hit = bsearch(&want, k, n, sizeof(*k), by_pfind);
		free(want.key);
		ns = hit ? ymap_get(ps->kids[hit->i], "names") : NULL;
		for (size_t i = 0; ns && ns->type == Y_SEQ && i < ns->n; i++)
			found |= ns->kids[i]->type == Y_SCALAR &&
				 !ynode_is_null(ns->kids[i]) &&
				 strcmp(ns->kids[i]->str, name) == 0;
		if (!hit)
			pf_bad_at(v, v->ar[j].line, v->ar[j].col,
				  "'assigned_as' '%s' must be another name of"
				  " '%s', but 'people' does not list '%s'",
				  shown(name), shown(person), shown(person));
		else if (!found)
			pf_bad_at(v, v->ar[j].line, v->ar[j].col,
				  "'assigned_as' '%s' is not another name of"
				  " '%s' (their 'names' in 'people'): it is the"
				  " name the assignment was made to, before a"
				  " person rename or merge",
				  shown(name),
				  shown(pf_str_of(ps->kids[hit->i], "name")));
	}
done:
	for (size_t j = 0; j < n; j++)
		free(k[j].key);
	free(k);
}

int
pf_check_project(struct pf_check *chk, struct ynode *p, struct yarena *arena)
{
	struct vctx *v = (struct vctx *)chk;
	int before = v->n;
	const char *name;

	v->cur = SEC_PROJECTS;
	v->arena = arena;
	v->projects++;
	v->rehashed = 0;
	check_map(v, p, f_project, "project");
	if (v->n == before)
		keep_assigned_as(v, p);
	if (v->n == before)
		pf_check_rules(v, p);
	if (v->n == before)
		check_component_case(v, p);
	if (v->n == before)
		check_chains(v, p, arena);
	v->arena = NULL;
	if ((name = pf_str_of(p, "name"))) {
		size_t off = v->names.len;
		if (v->npn == v->cap) {
			size_t cap = v->cap ? v->cap * 2 : 1024;
			struct pname *pn = realloc(v->pn, cap * sizeof(*pn));
			if (!pn) {
				pf_bad(v, p, "out of memory");
				return v->n - before;
			}
			v->pn = pn;
			v->cap = cap;
		}
		if (sbuf_add(&v->names, name, strlen(name) + 1)) {
			pf_bad(v, p, "out of memory");
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
	check_assigned_as(v, root);
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
	sbuf_free(&v->as);
	free(v->ar);
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
	pf_check_head(chk, root, 0);
	for (size_t i = 0; ps && i < ps->n; i++)
		pf_check_project(chk, ps->kids[i], NULL);
	n = pf_check_end(chk, root, errs);
	pf_check_free(chk);
	return n;
}
