/*
 * lifecycle_yaml.c - a lifecycle document (YAML tree) to struct lifecycle.
 *
 * Every problem is collected and reported at once, one per line, as
 * FILE:LINE:COLUMN: message.  Format: docs/yaml.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"

struct ctx {
	const char *name;
	struct sbuf errs;
	int nerr;
	int nomem;
	int strict; /* refuse what makes a name ambiguous (a file) */
};

static void
problem(struct ctx *c, const struct ynode *n, const char *msg, const char *arg)
{
	c->nerr++;
	if (sbuf_printf(&c->errs, "%s%s:%d:%d: %s%s%s%s",
			c->errs.len ? "\n" : "", c->name, n ? n->line : 1,
			n ? n->col : 1, msg, arg ? " '" : "", arg ? arg : "",
			arg ? "'" : ""))
		c->nomem = 1;
}

static int
valid_slug(const char *s)
{
	size_t n = strlen(s);
	int digits = 1;

	if (n == 0 || n > NAME_MAX_LEN || s[0] == '-' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
		      ch == '-'))
			return 0;
		if (ch < '0' || ch > '9')
			digits = 0;
	}
	return !digits; /* a number would shadow stage numbers */
}

static int
all_digits(const char *s)
{
	size_t n = strspn(s, "0123456789");

	return n > 0 && s[n] == '\0';
}

/*
 * A display name (of a stage or a role) as a file gives it: printable
 * text without space at either end.  A stage's name is matched in any case
 * like a slug, so a name that is a number would shadow that stage number.
 */
static void
check_display_name(struct ctx *c, const struct ynode *at, const char *what,
		   const char *name)
{
	size_t n = strlen(name);
	char msg[96];

	if (!c->strict)
		return;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f) {
			snprintf(msg, sizeof(msg),
				 "%s name holds a control character", what);
			problem(c, at, msg, NULL);
			return;
		}
	if (name[0] == ' ' || name[n - 1] == ' ') {
		snprintf(msg, sizeof(msg),
			 "%s name starts or ends with a space", what);
		problem(c, at, msg, shown(name));
	} else if (all_digits(name) && strcmp(what, "stage") == 0) {
		problem(c, at,
			"stage name is a number, which would shadow stage"
			" numbers",
			name);
	}
}

/* Check that map m has only keys from `allowed` (NULL-terminated). */
static void
known_keys(struct ctx *c, const struct ynode *m, const char *const *allowed)
{
	for (size_t i = 0; i < m->n; i += 2) {
		const char *const *a = allowed;
		while (*a && strcmp(*a, m->kids[i]->str) != 0)
			a++;
		if (!*a)
			problem(c, m->kids[i], "unknown key", m->kids[i]->str);
	}
}

/* A scalar string at key k; required or not. Returns a copy or NULL. */
static char *
str_at(struct ctx *c, const struct ynode *m, const char *k, int required,
       size_t max)
{
	const struct ynode *v = ymap_get(m, k);
	char *s;

	if (!v) {
		if (required)
			problem(c, m, "missing key", k);
		return NULL;
	}
	if (v->type != Y_SCALAR) {
		problem(c, v, "expected a string for", k);
		return NULL;
	}
	if (strlen(v->str) > max || (required && !*v->str)) {
		problem(c, v,
			required && !*v->str ? "empty value for"
					     : "value too long for",
			k);
		return NULL;
	}
	if (!(s = strdup(v->str)))
		c->nomem = 1;
	return s;
}

static const struct ynode *
seq_at(struct ctx *c, const struct ynode *m, const char *k, int required)
{
	const struct ynode *v = ymap_get(m, k);

	if (!v) {
		if (required)
			problem(c, m, "missing key", k);
		return NULL;
	}
	if (v->type != Y_SEQ) {
		problem(c, v, "expected a list for", k);
		return NULL;
	}
	return v;
}

/* How a list of slugged items (roles, stages) is checked. */
struct slugged {
	const char *mapping;  /* an item is not a mapping */
	const char *invalid;  /* its slug is not one */
	const char *dup;      /* its slug is taken */
	const char *too_many; /* the list is full */
	size_t max;
	int (*find)(const struct lifecycle *, const char *);
};

static const struct slugged role_items = {
    "expected a mapping for a role",
    "invalid role slug (use a-z 0-9 -, not only digits)",
    "duplicate role",
    "too many roles (at most 32)",
    LC_MAX_ROLES,
    lifecycle_role,
};

static const struct slugged stage_items = {
    "expected a mapping for a stage",
    "invalid stage slug (use a-z 0-9 -, not only digits)",
    "duplicate stage",
    "too many stages (at most 32)",
    LC_MAX_STAGES,
    lifecycle_stage_slug,
};

/* The slug of item m, of a list of kind k that has n items so far: m is a
 * mapping of `keys`, its slug valid and new, and there is room for it.
 * 0 and *slug (the caller's to keep) when so; else the problem is told and
 * 1 skips the item, -1 ends the list (it is full). */
static int
item_slug(struct ctx *c, const struct ynode *m, const char *const *keys,
	  const struct slugged *k, const struct lifecycle *lc, size_t n,
	  char **slug)
{
	const char *msg = NULL;

	if (m->type != Y_MAP) {
		problem(c, m, k->mapping, NULL);
		return 1;
	}
	known_keys(c, m, keys);
	if (!(*slug = str_at(c, m, "slug", 1, NAME_MAX_LEN)))
		return 1;
	if (!valid_slug(*slug))
		msg = k->invalid;
	else if (k->find(lc, *slug) >= 0)
		msg = k->dup;
	if (msg)
		problem(c, ymap_get(m, "slug"), msg, *slug);
	else if (n == k->max)
		problem(c, m, k->too_many, NULL);
	else
		return 0;
	free(*slug);
	*slug = NULL;
	return msg ? 1 : -1;
}

static void
load_roles(struct ctx *c, const struct ynode *seq, struct lifecycle *lc)
{
	static const char *const keys[] = {"slug", "name", "description", NULL};

	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->kids[i];
		struct lc_role *r;
		char *slug;
		int skip =
		    item_slug(c, m, keys, &role_items, lc, lc->nroles, &slug);

		if (skip < 0)
			break;
		if (skip)
			continue;
		r = &lc->roles[lc->nroles++];
		r->slug = slug;
		r->name = str_at(c, m, "name", 1, 128);
		r->description = str_at(c, m, "description", 0, TEXT_MAX_LEN);
		if (r->name)
			check_display_name(c, ymap_get(m, "name"), "role",
					   r->name);
		if (!r->name && !(r->name = strdup(slug)))
			c->nomem = 1;
		/* a role's name is shown for it: no two alike */
		for (size_t k = 0; c->strict && k + 1 < lc->nroles; k++) {
			const struct lc_role *o = &lc->roles[k];
			if (strcasecmp(o->name, r->name) == 0)
				problem(c, ymap_get(m, "name"),
					"duplicate role name (in any case)",
					r->name);
			else if (strcasecmp(o->slug, r->name) == 0 ||
				 strcasecmp(o->name, r->slug) == 0)
				problem(c, ymap_get(m, "name"),
					"role name equal to the slug of another"
					" role",
					r->name);
		}
		if (!r->description && !(r->description = strdup("")))
			c->nomem = 1;
	}
}

/* Set RACI letter `raci` for the roles named by node v (scalar or list). */
static void
set_raci(struct ctx *c, const struct lifecycle *lc, struct lc_stage *st,
	 const struct ynode *v, int raci)
{
	const struct ynode *one[1];
	const struct ynode *const *items = one;
	size_t n = 1;

	if (!v)
		return;
	if (v->type == Y_SEQ) {
		items = (const struct ynode *const *)v->kids;
		n = v->n;
	} else if (v->type == Y_SCALAR) {
		one[0] = v;
	} else {
		problem(c, v, "expected a role or a list of roles", NULL);
		return;
	}
	if (raci == RACI_A && n > 1) {
		problem(c, v, "a stage has one accountable role", NULL);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int r;
		if (items[i]->type != Y_SCALAR) {
			problem(c, items[i], "expected a role slug", NULL);
			continue;
		}
		if ((r = lifecycle_role(lc, items[i]->str)) < 0) {
			problem(c, items[i], "unknown role", items[i]->str);
			continue;
		}
		if (st->raci[r] != RACI_I) {
			problem(c, items[i], "role named twice for the stage",
				items[i]->str);
			continue;
		}
		st->raci[r] = (unsigned char)raci;
	}
}

/* A stage's name (its slug when it has none): every spelling of a stage
 * (slug or name, in any case) means one stage. */
static void
stage_name(struct ctx *c, const struct ynode *m, const struct lifecycle *lc,
	   struct lc_stage *st)
{
	st->name = str_at(c, m, "name", 1, 128);
	if (!st->name && !(st->name = strdup(st->slug)))
		c->nomem = 1;
	if (ymap_get(m, "name"))
		check_display_name(c, ymap_get(m, "name"), "stage", st->name);
	for (size_t k = 0; k + 1 < lc->nstages; k++) {
		const struct lc_stage *o = &lc->stages[k];
		if (strcasecmp(o->name, st->name) == 0)
			problem(c, ymap_get(m, "name"), "duplicate stage name",
				st->name);
		else if (c->strict && strcasecmp(o->slug, st->name) == 0)
			problem(c, ymap_get(m, "name"),
				"stage name equal to the slug of another"
				" stage",
				st->name);
		if (c->strict && strcasecmp(o->name, st->slug) == 0)
			problem(c, ymap_get(m, "slug"),
				"stage slug equal to the name of another"
				" stage",
				st->slug);
	}
}

/* requires: decision, kpi (v: the list, or NULL). */
static void
stage_requires(struct ctx *c, const struct ynode *v, struct lc_stage *st)
{
	for (size_t k = 0; v && k < v->n; k++) {
		const char *w =
		    v->kids[k]->type == Y_SCALAR ? v->kids[k]->str : "";
		int *flag = !strcmp(w, "decision") ? &st->requires_decision
			    : !strcmp(w, "kpi")    ? &st->requires_kpi
						   : NULL;
		/* (a stored lifecycle is read as written) */
		if (flag && *flag && c->strict)
			problem(c, v->kids[k], "named twice in requires", w);
		else if (flag)
			*flag = 1;
		else
			problem(c, v->kids[k],
				"unknown requirement (decision or kpi)", w);
	}
}

/* criteria: texts, no two alike (v: the list, or NULL). */
static void
stage_criteria(struct ctx *c, const struct ynode *v, struct lc_stage *st)
{
	if (!v || !v->n)
		return;
	if (!(st->criteria = calloc(v->n, sizeof(char *)))) {
		c->nomem = 1;
		return;
	}
	for (size_t k = 0; k < v->n; k++) {
		const struct ynode *t = v->kids[k];
		int dup = 0;
		if (t->type != Y_SCALAR || !*t->str ||
		    valid_text("criterion", t->str, c->strict)) {
			problem(c, t,
				"expected a criterion text (1-4096 bytes, not"
				" only spaces)",
				NULL);
			continue;
		}
		for (size_t j = 0; c->strict && j < st->ncriteria; j++)
			dup |= strcasecmp(st->criteria[j], t->str) == 0;
		if (dup) {
			problem(c, t, "duplicate criterion in the stage",
				shown(t->str));
			continue;
		}
		if (!(st->criteria[st->ncriteria++] = strdup(t->str)))
			c->nomem = 1;
	}
}

/* starts_after: an earlier stage (v: the scalar, or NULL). */
static void
stage_starts_after(struct ctx *c, const struct ynode *v,
		   const struct lifecycle *lc, struct lc_stage *st)
{
	int k;

	st->starts_after = -1;
	if (!v)
		return;
	if (v->type != Y_SCALAR) {
		problem(c, v, "expected a stage slug", NULL);
		return;
	}
	k = lifecycle_stage_slug(lc, v->str);
	if (k < 0 || st == &lc->stages[k])
		problem(c, v, "starts_after names no earlier stage", v->str);
	else
		st->starts_after = k;
}

/* signoffs: roles, each once, not the stage's accountable one (its
 * approval would count as the sign-off too; a store's lifecycle made
 * before that was refused stays readable) (v: the list, or NULL). */
static void
stage_signoffs(struct ctx *c, const struct ynode *v, const struct lifecycle *lc,
	       struct lc_stage *st)
{
	for (size_t k = 0; v && k < v->n; k++) {
		const struct ynode *t = v->kids[k];
		int r = t->type == Y_SCALAR ? lifecycle_role(lc, t->str) : -1;
		if (r < 0)
			problem(c, t, "unknown role",
				t->type == Y_SCALAR ? t->str : NULL);
		else if (st->signoff[r])
			problem(c, t, "role named twice in signoffs", t->str);
		else if (c->strict && st->raci[r] == RACI_A)
			problem(c, t,
				"the stage's accountable role approves its"
				" gate; a sign-off must come from another role",
				t->str);
		else
			st->signoff[r] = 1;
	}
}

static void
load_stages(struct ctx *c, const struct ynode *seq, struct lifecycle *lc)
{
	static const char *const keys[] = {
	    "slug",         "name",      "description", "accountable",
	    "responsible",  "consulted", "requires",    "criteria",
	    "starts_after", "signoffs",  NULL};

	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->kids[i];
		struct lc_stage *st;
		char *slug;
		int skip =
		    item_slug(c, m, keys, &stage_items, lc, lc->nstages, &slug);

		if (skip < 0)
			break;
		if (skip)
			continue;
		st = &lc->stages[lc->nstages++];
		st->slug = slug;
		stage_name(c, m, lc, st);
		st->description = str_at(c, m, "description", 0, TEXT_MAX_LEN);
		if (!st->description && !(st->description = strdup("")))
			c->nomem = 1;
		set_raci(c, lc, st, ymap_get(m, "accountable"), RACI_A);
		set_raci(c, lc, st, ymap_get(m, "responsible"), RACI_R);
		set_raci(c, lc, st, ymap_get(m, "consulted"), RACI_C);
		stage_requires(c, seq_at(c, m, "requires", 0), st);
		stage_criteria(c, seq_at(c, m, "criteria", 0), st);
		stage_starts_after(c, ymap_get(m, "starts_after"), lc, st);
		stage_signoffs(c, seq_at(c, m, "signoffs", 0), lc, st);
	}
}

static void
load_components(struct ctx *c, const struct ynode *seq, struct lifecycle *lc)
{
	static const char *const keys[] = {"name", "owner", "description",
					   NULL};

	if (seq->n &&
	    !(lc->components = calloc(seq->n, sizeof(*lc->components)))) {
		c->nomem = 1;
		return;
	}
	for (size_t i = 0; i < seq->n; i++) {
		const struct ynode *m = seq->kids[i];
		struct lc_component *cp;
		char *name, *owner;
		int r;

		if (m->type != Y_MAP) {
			problem(c, m, "expected a mapping for a component",
				NULL);
			continue;
		}
		known_keys(c, m, keys);
		name = str_at(c, m, "name", 1, NAME_MAX_LEN);
		owner = str_at(c, m, "owner", 1, NAME_MAX_LEN);
		int dup = 0;
		for (size_t k = 0; name && k < lc->ncomponents; k++)
			dup |= (c->strict ? strcasecmp : strcmp)(
				   lc->components[k].name, name) == 0;
		if (name && valid_name("component", name)) {
			problem(c, ymap_get(m, "name"),
				"invalid component name", name);
		} else if (dup) {
			problem(c, ymap_get(m, "name"), "duplicate component",
				name);
		} else if (owner && (r = lifecycle_role(lc, owner)) < 0) {
			problem(c, ymap_get(m, "owner"), "unknown role", owner);
		} else if (name && owner) {
			cp = &lc->components[lc->ncomponents++];
			cp->name = name;
			cp->owner = r;
			cp->description =
			    str_at(c, m, "description", 0, TEXT_MAX_LEN);
			if (!cp->description && !(cp->description = strdup("")))
				c->nomem = 1;
			name = NULL;
		}
		free(name);
		free(owner);
	}
}

/* on_breach: STAGE, where a breach sends a project back for retraining;
 * without it, prototyping-testing when the lifecycle has that stage. */
static void
load_on_breach(struct ctx *c, const struct ynode *v, struct lifecycle *lc)
{
	lc->on_breach = lifecycle_stage_slug(lc, "prototyping-testing");
	if (!v)
		return;
	if (v->type != Y_SCALAR) {
		problem(c, v, "expected a stage slug for on_breach", NULL);
		return;
	}
	if ((lc->on_breach = lifecycle_stage_slug(lc, v->str)) < 0)
		problem(c, v, "unknown stage", v->str);
}

/* The last stage where make or buy is decided, or -1. */
static int
last_deciding(const struct lifecycle *lc)
{
	int last = -1;

	for (size_t i = 0; i < lc->nstages; i++)
		if (lc->stages[i].requires_decision)
			last = (int)i;
	return last;
}

/* on_buy: close | STAGE, where a buy decision sends the project: a stage
 * later than every stage that decides make or buy; without it,
 * productization when the lifecycle has it there, else close. */
static void
load_on_buy(struct ctx *c, const struct ynode *v, struct lifecycle *lc)
{
	int last = last_deciding(lc);

	lc->on_buy = lifecycle_stage_slug(lc, "productization");
	if (lc->on_buy <= last)
		lc->on_buy = -1;
	if (!v)
		return;
	lc->on_buy = -1;
	if (v->type != Y_SCALAR) {
		problem(c, v, "expected close or a stage slug for on_buy",
			NULL);
		return;
	}
	if (strcmp(v->str, "close") == 0)
		return;
	if ((lc->on_buy = lifecycle_stage_slug(lc, v->str)) < 0)
		problem(c, v, "unknown stage", v->str);
	else if (lc->on_buy <= last)
		problem(c, v,
			"on_buy names no stage later than where make or buy"
			" is decided",
			v->str);
}

static const struct ap_error *
parse(const char *buf, size_t len, const char *name, struct lifecycle *lc,
      int strict)
{
	static const char *const keys[] = {
	    "aiproj-lifecycle", "roles",  "stages", "components",
	    "on_breach",        "on_buy", NULL};
	struct ctx c = {.name = name, .strict = strict};
	const struct ap_error *err;
	struct ynode *root;
	const struct ynode *v;

	memset(lc, 0, sizeof(*lc));
	if ((err = yaml_load(buf, len, name, &root)))
		return err;
	if (root->type != Y_MAP) {
		problem(&c, root, "expected a mapping at the top", NULL);
		goto done;
	}
	known_keys(&c, root, keys);
	v = ymap_get(root, "aiproj-lifecycle");
	if (!v)
		problem(&c, root, "missing key", "aiproj-lifecycle");
	else if (v->type != Y_SCALAR || strcmp(v->str, "1") != 0)
		problem(&c, v, "unsupported lifecycle format version (want 1)",
			NULL);
	if ((v = seq_at(&c, root, "roles", 1)))
		load_roles(&c, v, lc);
	if ((v = seq_at(&c, root, "stages", 1))) {
		load_stages(&c, v, lc);
		if (v->n == 0)
			problem(&c, v, "a lifecycle needs at least one stage",
				NULL);
	}
	if ((v = seq_at(&c, root, "components", 0)))
		load_components(&c, v, lc);
	load_on_breach(&c, ymap_get(root, "on_breach"), lc);
	load_on_buy(&c, ymap_get(root, "on_buy"), lc);
done:
	ynode_free(root);
	if (c.nomem) {
		sbuf_free(&c.errs);
		lifecycle_free(lc);
		return ap_error_nomem();
	}
	if (c.nerr) {
		err = ap_error_fmt(AP_EXIT_INPUT, "%s", c.errs.s);
		sbuf_free(&c.errs);
		lifecycle_free(lc);
		return err;
	}
	return NULL;
}

const struct ap_error *
lifecycle_parse(const char *buf, size_t len, const char *name,
		struct lifecycle *lc)
{
	return parse(buf, len, name, lc, 1);
}

const struct ap_error *
lifecycle_parse_stored(const char *buf, size_t len, const char *name,
		       struct lifecycle *lc)
{
	return parse(buf, len, name, lc, 0);
}
