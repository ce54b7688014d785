/* lifecycle.c - lookups over a loaded lifecycle (pure C). */
#include "aiproj/lifecycle.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "aiproj/util.h"

void
lifecycle_free(struct lifecycle *lc)
{
	for (size_t i = 0; i < lc->nroles; i++) {
		free(lc->roles[i].slug);
		free(lc->roles[i].name);
		free(lc->roles[i].description);
	}
	for (size_t i = 0; i < lc->nstages; i++) {
		struct lc_stage *s = &lc->stages[i];
		free(s->slug);
		free(s->name);
		free(s->description);
		for (size_t k = 0; k < s->ncriteria; k++)
			free(s->criteria[k]);
		free(s->criteria);
	}
	for (size_t i = 0; i < lc->ncomponents; i++) {
		free(lc->components[i].name);
		free(lc->components[i].description);
	}
	free(lc->components);
	memset(lc, 0, sizeof(*lc));
}

int
lifecycle_role(const struct lifecycle *lc, const char *slug)
{
	/* (the first letters compared first: a report looks up a role or
	 * a stage for every row, and most differ there) */
	for (size_t i = 0; i < lc->nroles; i++)
		if (lc->roles[i].slug[0] == slug[0] &&
		    strcmp(lc->roles[i].slug, slug) == 0)
			return (int)i;
	return -1;
}

int
lifecycle_stage_slug(const struct lifecycle *lc, const char *slug)
{
	for (size_t i = 0; i < lc->nstages; i++)
		if (lc->stages[i].slug[0] == slug[0] &&
		    strcmp(lc->stages[i].slug, slug) == 0)
			return (int)i;
	return -1;
}

int
lifecycle_accountable(const struct lifecycle *lc, int stage)
{
	for (size_t r = 0; r < lc->nroles; r++)
		if (lc->stages[stage].raci[r] == RACI_A)
			return (int)r;
	return -1;
}

const char *
raci_letter(int raci)
{
	static const char *const l[] = {"I", "C", "R", "A"};

	return raci >= 0 && raci <= RACI_A ? l[raci] : "?";
}

/* The closest slug to `arg`, when it is close enough to suggest. */
static const char *
closest(const char *arg, const char *const *cands, size_t n)
{
	const char *best = NULL;
	int bestd = 3;

	for (size_t i = 0; i < n; i++) {
		int d = edit_distance(arg, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
		}
	}
	return best;
}

static const struct ap_error *
unknown(const char *what, const char *arg, const char *const *cands, size_t n)
{
	const char *near = closest(arg, cands, n);
	struct sbuf b = {0};
	const struct ap_error *err;

	for (size_t i = 0; i < n; i++)
		if (sbuf_printf(&b, "%s%s", i ? ", " : "", cands[i]))
			break;
	if (near)
		err = ap_error_fmt(AP_EXIT_NOTFOUND,
				   "unknown %s '%s'; did you mean '%s'?", what,
				   shown(arg), near);
	else
		err = ap_error_fmt(AP_EXIT_NOTFOUND,
				   "unknown %s '%s' (one of: %s)", what,
				   shown(arg), b.s ? b.s : "");
	sbuf_free(&b);
	return err;
}

const struct ap_error *
lifecycle_resolve_stage(const struct lifecycle *lc, const char *arg, int *idx)
{
	const char *slugs[LC_MAX_STAGES];
	int match = -1, nmatch = 0;
	size_t alen = strlen(arg);
	char *end;
	long num;

	for (size_t i = 0; i < lc->nstages; i++) {
		slugs[i] = lc->stages[i].slug;
		if (strcmp(arg, slugs[i]) == 0 ||
		    strcasecmp(arg, lc->stages[i].name) == 0) {
			*idx = (int)i;
			return NULL;
		}
	}
	if (alen > 0 && isdigit((unsigned char)arg[0])) {
		num = strtol(arg, &end, 10);
		if (*end == '\0') {
			if (num >= 1 && (size_t)num <= lc->nstages) {
				*idx = (int)num - 1;
				return NULL;
			}
			return ap_error_fmt(AP_EXIT_NOTFOUND,
					    "unknown stage '%s': stage numbers"
					    " run from 1 to %zu",
					    arg, lc->nstages);
		}
	}
	for (size_t i = 0; alen > 0 && i < lc->nstages; i++)
		if (strncmp(arg, slugs[i], alen) == 0) {
			match = (int)i;
			nmatch++;
		}
	if (nmatch == 1) {
		*idx = match;
		return NULL;
	}
	if (nmatch > 1) {
		struct sbuf b = {0};
		const struct ap_error *err;
		for (size_t i = 0; i < lc->nstages; i++)
			if (strncmp(arg, slugs[i], alen) == 0)
				sbuf_printf(&b, "%s'%s'", b.len ? ", " : "",
					    slugs[i]);
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "ambiguous stage '%s': could be %s", arg,
				   b.s ? b.s : "");
		sbuf_free(&b);
		return err;
	}
	return unknown("stage", arg, slugs, lc->nstages);
}

const struct ap_error *
lifecycle_resolve_role(const struct lifecycle *lc, const char *arg, int *idx)
{
	const char *slugs[LC_MAX_ROLES];

	for (size_t i = 0; i < lc->nroles; i++) {
		slugs[i] = lc->roles[i].slug;
		if (strcmp(arg, slugs[i]) == 0) {
			*idx = (int)i;
			return NULL;
		}
	}
	return unknown("role", arg, slugs, lc->nroles);
}
