/*
 * engine_release.c - what is live in production, and monitoring: the
 * checks of a release's fields, reading outcomes and breaches (no store,
 * no I/O).
 */
#include "aiproj/engine.h"

#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

/* ---- what is live in production, and monitoring ---- */

const struct ap_error *
eng_check_release(const struct lifecycle *lc, const struct eng_project *p)
{
	const struct ap_error *err;
	int last = (int)lc->nstages - 1;

	if ((err = eng_check_active(p, "record a release of")))
		return err;
	if (p->stage == last)
		return NULL;
	return ap_error_fmt(AP_EXIT_REFUSED,
			    "cannot record a release of '%s' at '%s': what"
			    " goes live is recorded at '%s', the last stage",
			    p->name, lc->stages[p->stage].slug,
			    lc->stages[last].slug);
}

static int
is_hex(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f') ||
		      (s[i] >= 'A' && s[i] <= 'F')))
			return 0;
	return 1;
}

static int
is_alnum(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9');
}

const struct ap_error *
eng_check_version(const char *v)
{
	size_t n = strlen(v);

	for (size_t i = 0; n <= 64 && i < n; i++)
		if (!is_alnum(v[i]) && (i == 0 || !strchr("._+-", v[i])))
			n = 65;
	if (n >= 1 && n <= 64)
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid version '%s': use 1 to 64 letters, digits"
			    " and . _ + -, starting with a letter or digit",
			    shown(v));
}

const struct ap_error *
eng_check_digest(const char *v)
{
	static const struct {
		const char *algo;
		size_t hex;
	} algos[] = {{"md5", 32},    {"sha1", 40},   {"sha224", 56},
		     {"sha256", 64}, {"sha384", 96}, {"sha512", 128}};
	const char *colon = strchr(v, ':');

	for (size_t i = 0; colon && i < sizeof(algos) / sizeof(algos[0]); i++)
		if (strlen(algos[i].algo) == (size_t)(colon - v) &&
		    strncmp(v, algos[i].algo, (size_t)(colon - v)) == 0) {
			if (strlen(colon + 1) == algos[i].hex &&
			    is_hex(colon + 1, algos[i].hex))
				return NULL;
			return ap_error_fmt(AP_EXIT_USAGE,
					    "invalid digest '%s': %s takes %zu"
					    " hex digits",
					    shown(v), algos[i].algo,
					    algos[i].hex);
		}
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid digest '%s': use ALGO:HEX with ALGO one of"
			    " md5 sha1 sha224 sha256 sha384 sha512",
			    shown(v));
}

const struct ap_error *
eng_check_commit(const char *v)
{
	size_t n = strlen(v);

	if (n >= 7 && n <= 64 && is_hex(v, n))
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid commit '%s': use 7 to 64 hex digits",
			    shown(v));
}

const struct ap_error *
eng_check_artifact(const char *v)
{
	size_t n = 0, len = strlen(v);

	if (len &&
	    ((v[0] >= 'a' && v[0] <= 'z') || (v[0] >= 'A' && v[0] <= 'Z')))
		while (is_alnum(v[n]) || (v[n] && strchr("+.-", v[n])))
			n++;
	if (n == 0 || v[n] != ':' || !v[n + 1] || len > 2048)
		n = 0;
	for (size_t i = 0; n && i < len; i++)
		if ((unsigned char)v[i] <= ' ' || v[i] == 0x7f)
			n = 0;
	if (n)
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid artifact '%s': use a URI, SCHEME:REST"
			    " without spaces (e.g. oci://registry/model:1.0)",
			    shown(v));
}

int
eng_reading_outcome(int op, double target, double value, int live)
{
	if (kpi_meets(op, target, value))
		return RO_MET;
	return live ? RO_BREACH : RO_MISSED;
}

const char *
eng_reading_outcome_name(int outcome)
{
	switch (outcome) {
	case RO_MET: return "met";
	case RO_MISSED: return "missed";
	case RO_BREACH: return "breach";
	}
	return "?";
}

int
eng_breach_open(int breach, const char *reading_at, const char *last_back,
		int op, double target, double value, int closed)
{
	return breach && reading_at && !closed &&
	       !kpi_meets(op, target, value) &&
	       (!last_back || strcmp(reading_at, last_back) > 0);
}

int
eng_cond_live(const struct eng_project *p, const char *want,
	      struct sbuf *detail)
{
	if (!p->live) {
		sbuf_printf(detail, "no release is live");
		return 0;
	}
	if (want && strcmp(want, p->live) != 0) {
		sbuf_printf(detail, "%s is live (since %s), not %s", p->live,
			    p->live_since, want);
		return 0;
	}
	sbuf_printf(detail, "%s is live since %s", p->live, p->live_since);
	return 1;
}

const struct ap_error *
eng_check_breach_back(const struct lifecycle *lc, const struct eng_project *p,
		      const char *kpi, int *to)
{
	const struct ap_error *err;

	if ((err = eng_check_active(p, "move back")))
		return err;
	if (lc->on_breach < 0 || (size_t)lc->on_breach >= lc->nstages)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot move '%s' back for a breach: the"
				    " lifecycle names no on_breach stage (use"
				    " --to STAGE --reason TEXT)",
				    p->name);
	if (!kpi)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot move '%s' back for a breach: no"
				    " breach is open (aiproj kpi history %s)",
				    p->name, p->name);
	*to = lc->on_breach;
	if (*to >= p->stage)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "cannot move '%s' back to '%s' for the"
				    " breach of %s: it is not earlier than the"
				    " current stage '%s'",
				    p->name, lc->stages[*to].slug, kpi,
				    lc->stages[p->stage].slug);
	return NULL;
}
