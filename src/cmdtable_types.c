/*
 * cmdtable_types.c - the argument types of the command table: each type's
 * placeholder, its name in messages, and the check of a value made before
 * the store opens (cmd_type_info()).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "aiproj/engine.h"
#include "aiproj/util.h"
#include "aiproj/yamlio.h"

/* ---- the checks of the types up to AT_CHECKED ---- */

static const struct ap_error *
check_person(const char *what, const char *v)
{
	(void)what;
	return valid_person(v);
}

static const struct ap_error *
check_id(const char *what, const char *v)
{
	long long id;

	return parse_whole(what, v, 1, ID_MAX, &id);
}

static const struct ap_error *
check_number(const char *what, const char *v)
{
	double num;

	return parse_number(what, v, &num);
}

static const struct ap_error *
check_text(const char *what, const char *v)
{
	return valid_text(what, v, 1);
}

static const struct ap_error *
check_note(const char *what, const char *v)
{
	return valid_text(what, v, 0);
}

static const struct ap_error *
check_cost(const char *what, const char *v)
{
	const struct ap_error *err;
	double num;

	if ((err = parse_number(what, v, &num)) || num >= 0)
		return err;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid %s '%s': it cannot be negative", what,
			    shown(v));
}

static const struct ap_error *
check_date(const char *what, const char *v)
{
	if (date_valid(v))
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid %s '%s': expected a day as YYYY-MM-DD",
			    what, shown(v));
}

static const struct ap_error *
check_target(const char *what, const char *v)
{
	double num;
	int op;

	(void)what;
	return kpi_parse_target(v, &op, &num);
}

/* a bad lifecycle file must not leave a new store behind */
static const struct ap_error *
check_lifecycle(const char *what, const char *v)
{
	const struct ap_error *err;
	struct lifecycle lc;
	char *buf;
	size_t len;

	(void)what;
	if ((err = read_input(v, &buf, &len)))
		return err;
	if (!(err = lifecycle_parse(buf, len, v, &lc)))
		lifecycle_free(&lc);
	free(buf);
	return err;
}

static const struct ap_error *
check_status_set(const char *what, const char *v)
{
	(void)what;
	return filter_status_check(v);
}

static const struct ap_error *
check_sort(const char *what, const char *v)
{
	int keys[STORE_SORT_KEYS];

	(void)what;
	return filter_sort_parse(v, keys);
}

static const struct ap_error *
check_limit(const char *what, const char *v)
{
	long long n;

	return parse_whole(what, v, 1, 1000000000, &n);
}

static const struct ap_error *
check_days(const char *what, const char *v)
{
	long long n;

	return parse_whole(what, v, 0, 36500, &n);
}

static const struct ap_error *
check_email(const char *what, const char *v)
{
	(void)what;
	return valid_email(v);
}

static const struct ap_error *
check_handle(const char *what, const char *v)
{
	(void)what;
	return valid_handle(v);
}

static const struct ap_error *
check_over(const char *what, const char *v)
{
	long long n;

	return parse_whole(what, v, 0, 1000000000, &n);
}

static const struct ap_error *
check_version(const char *what, const char *v)
{
	(void)what;
	return eng_check_version(v);
}

static const struct ap_error *
check_uri(const char *what, const char *v)
{
	(void)what;
	return eng_check_artifact(v);
}

static const struct ap_error *
check_digest(const char *what, const char *v)
{
	(void)what;
	return eng_check_digest(v);
}

static const struct ap_error *
check_commit(const char *what, const char *v)
{
	(void)what;
	return eng_check_commit(v);
}

static const struct ap_error *
check_event_id(const char *what, const char *v)
{
	long long n;

	return parse_whole(what, v, 0, ID_MAX, &n);
}

static const struct typeinfo types[AT_COUNT] = {
    [AT_NEW_PROJECT] = {"NAME", "project", 0, 0, valid_name},
    [AT_NEW_KPI] = {"NAME", "KPI", 0, 0, valid_name},
    [AT_NEW_COMPONENT] = {"NAME", "component", 0, 0, valid_name},
    [AT_COMPONENT] = {"NAME", "component", 0, 0, valid_name},
    [AT_PERSON] = {"PERSON", "person", 0, 0, check_person},
    [AT_CRITERION_ID] = {"ID", "criterion id", 0, 1, check_id},
    [AT_KPI_VALUE] = {"VALUE", "KPI value", 0, 1, check_number},
    [AT_TEXT] = {"TEXT", NULL, 0, 0, check_text},
    [AT_NOTE] = {"TEXT", NULL, 0, 0, check_note},
    [AT_COST] = {"AMOUNT", "cost", 0, 1, check_cost},
    [AT_TARGET] = {"'OP NUMBER'", "target", 0, 1, check_target},
    [AT_DATE] = {"DATE", "date", 0, 0, check_date},
    [AT_LIFECYCLE] = {"FILE", "lifecycle", 0, 0, check_lifecycle},
    [AT_POLICY] = {"open|roles", "policy", 1, 0, NULL},
    [AT_DECISION] = {"make|buy", "decision", 1, 0, NULL},
    [AT_PERIOD] = {"week|month", "period", 1, 0, NULL},
    [AT_STATUS_SET] = {"active|on-hold|closed|all", "status", 1, 0,
		       check_status_set},
    [AT_SORT] = {"FIELDS", "sort", 0, 0, check_sort},
    [AT_LIMIT] = {"N", "limit", 0, 1, check_limit},
    [AT_DAYS] = {"DAYS", "days", 0, 1, check_days},
    [AT_EMAIL] = {"EMAIL", "email", 0, 0, check_email},
    [AT_HANDLE] = {"HANDLE", "handle", 0, 0, check_handle},
    [AT_COUNT_OVER] = {"N", "count", 0, 1, check_over},
    [AT_VERSION] = {"VERSION", "version", 0, 0, check_version},
    [AT_URI] = {"URI", "artifact", 0, 0, check_uri},
    [AT_DIGEST] = {"ALGO:HEX", "digest", 0, 0, check_digest},
    [AT_COMMIT] = {"SHA", "commit", 0, 0, check_commit},
    [AT_EVENT_ID] = {"ID", "event id", 0, 1, check_event_id},
    [AT_PROJECT] = {"PROJECT", "project", 0, 0, NULL},
    [AT_STAGE] = {"STAGE", "stage", 0, 0, NULL},
    [AT_ROLE] = {"ROLE", "role", 0, 0, NULL},
    [AT_KPI] = {"NAME", "KPI", 0, 0, NULL},
    [AT_FILE] = {"FILE", "file", 0, 0, NULL},
    [AT_FORMAT] = {"FMT", "format", 0, 0, NULL},
    [AT_ACTOR] = {"NAME", "actor", 0, 0, NULL},
    [AT_LISTING] = {"commands|verbs|options|formats|stages|roles|projects|"
		    "next",
		    "listing", 1, 0, NULL},
    [AT_WORD] = {"WORD", "word", 0, 0, NULL},
    [AT_FLAG] = {"", "", 0, 0, NULL},
};

const struct typeinfo *
cmd_type_info(enum argtype t)
{
	return &types[t];
}
