/*
 * filter.c - the filter options of `project list` and the portfolio
 * reports (--stage, --status, --person, --role, --stale, --overdue,
 * --sort, --limit) read into one struct store_filter, which the store
 * evaluates in its query.  The options themselves are described once in cmdtable.c.
 */
#include <stdio.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* The --sort fields, by enum store_sort. */
const char *const sort_fields[SORT_COUNT] = {
    [SORT_NAME] = "name",
    [SORT_STAGE] = "stage",
    [SORT_STATUS] = "status",
    [SORT_DAYS] = "days",
    [SORT_BACK_JUMPS] = "back_jumps",
    [SORT_ACTIVITY] = "activity",
    [SORT_DUE] = "due",
};

const char *
sort_fields_list(void)
{
	return "name, stage, status, days, back_jumps, activity, due";
}

const struct ap_error *
filter_sort_parse(const char *v, int keys[STORE_SORT_KEYS])
{
	const char *p = v;
	int n = 0;

	memset(keys, 0, STORE_SORT_KEYS * sizeof(*keys));
	for (;;) {
		size_t len = strcspn(p, ",");
		int desc = *p == '-', found = 0;
		if (n == STORE_SORT_KEYS)
			return ap_error_fmt(AP_EXIT_USAGE,
					    "invalid sort '%s': at most %d"
					    " fields",
					    shown(v), STORE_SORT_KEYS);
		for (int k = SORT_NAME; k < SORT_COUNT && !found; k++)
			if (len - (size_t)desc == strlen(sort_fields[k]) &&
			    strncmp(p + desc, sort_fields[k],
				    len - (size_t)desc) == 0) {
				keys[n++] = desc ? -k : k;
				found = 1;
			}
		if (!found)
			return ap_error_fmt(
			    AP_EXIT_USAGE,
			    "invalid sort field '%.*s': expected"
			    " %s (-FIELD: descending)",
			    (int)len, shown(p), sort_fields_list());
		if (!p[len])
			return NULL;
		p += len + 1;
	}
}

const struct ap_error *
filter_status_check(const char *v)
{
	static const char *const names[] = {"active", "on-hold", "closed",
					    "all"};

	for (size_t i = 0; i < 4; i++)
		if (strcmp(v, names[i]) == 0)
			return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid status '%s': expected active, on-hold,"
			    " closed or all",
			    shown(v));
}

/* The statuses --status v selects (1 << PS_*). */
static unsigned
status_bits(const char *v)
{
	if (strcmp(v, "active") == 0)
		return 1u << PS_ACTIVE;
	if (strcmp(v, "on-hold") == 0)
		return 1u << PS_ON_HOLD;
	if (strcmp(v, "closed") == 0)
		return 1u << PS_CLOSED;
	return 7u;
}

/* An unknown stage or role of a filter: exit 2, the valid ones listed. */
static const struct ap_error *
unknown_value(const char *what, const char *v, const char *const *valid,
	      size_t n)
{
	struct sbuf b = {0};
	const struct ap_error *err;

	for (size_t i = 0; i < n; i++)
		if (sbuf_printf(&b, "%s%s", i ? ", " : "", valid[i]))
			break;
	err = ap_error_fmt(AP_EXIT_USAGE, "unknown %s '%s' (one of: %s)", what,
			   shown(v), b.s ? b.s : "");
	sbuf_free(&b);
	return err;
}

const struct ap_error *
filter_from_args(struct cli *c, const struct args *a, int named,
		 struct cli_filter *cf)
{
	const struct ap_error *err;
	struct store_filter *f = &cf->f;
	const char *v;
	long long n;

	memset(cf, 0, sizeof(*cf));
	for (size_t i = 0; i < c->lc.nstages; i++)
		cf->order[i] = c->lc.stages[i].slug;
	f->stage_order = cf->order;
	f->nstage_order = c->lc.nstages;
	f->now = c->now;
	/* a named project is shown whatever its status, unless asked */
	f->status = named || opt_has(a, "all") ? 7u : 3u;
	if ((v = opt_val(a, "status")))
		f->status = status_bits(v);
	for (int i = 0; i < a->nopt; i++) {
		int idx;
		if (strcmp(a->opt[i].name, "stage") != 0)
			continue;
		err = lifecycle_resolve_stage(&c->lc, a->opt[i].val, &idx);
		if (err && err->code == AP_EXIT_NOTFOUND)
			return unknown_value("stage", a->opt[i].val, cf->order,
					     c->lc.nstages);
		if (err)
			return err;
		if (f->nstages < LC_MAX_STAGES)
			cf->stages[f->nstages++] = c->lc.stages[idx].slug;
	}
	f->stages = cf->stages;
	f->person = opt_val(a, "person");
	f->overdue = opt_has(a, "overdue");
	if ((v = opt_val(a, "role"))) {
		const char *roles[LC_MAX_ROLES];
		int idx;
		for (size_t i = 0; i < c->lc.nroles; i++)
			roles[i] = c->lc.roles[i].slug;
		if (lifecycle_resolve_role(&c->lc, v, &idx))
			return unknown_value("role", v, roles, c->lc.nroles);
		f->role = c->lc.roles[idx].slug;
	}
	if ((v = opt_val(a, "stale"))) {
		double now;
		if ((err = parse_whole("days", v, 0, 36500, &n)))
			return err;
		if (stamp_parse(c->now, &now) == 0) {
			stamp_format(now - (double)n * 86400.0, cf->stale);
			f->stale_before = cf->stale;
		}
	}
	if ((v = opt_val(a, "sort")) && (err = filter_sort_parse(v, f->sort)))
		return err;
	if ((v = opt_val(a, "limit"))) {
		if ((err = parse_whole("limit", v, 1, 1000000000, &n)))
			return err;
		f->limit = n;
	}
	return NULL;
}
