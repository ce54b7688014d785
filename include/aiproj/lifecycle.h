/*
 * lifecycle.h - the lifecycle definition: roles, stages, RACI, default
 * criteria and product components.
 *
 * A lifecycle is plain data, loaded from YAML (yamlio.h) - by default from
 * schemas/lifecycle.yaml embedded in the binary.  Nothing in aiproj assumes a
 * number of stages or roles; the limits below only bound the arrays.
 */
#ifndef AIPROJ_LIFECYCLE_H
#define AIPROJ_LIFECYCLE_H

#include <stddef.h>

#include "aiproj/error.h"

#define LC_MAX_STAGES 32
#define LC_MAX_ROLES 32

/* RACI letters; a role not named for a stage is informed. */
enum raci { RACI_I = 0, RACI_C, RACI_R, RACI_A };

struct lc_role {
	char *slug;
	char *name;
	char *description;
};

struct lc_stage {
	char *slug;
	char *name;
	char *description;
	unsigned char raci[LC_MAX_ROLES]; /* enum raci, by role index */
	int requires_decision;            /* a make decision with a cost */
	int requires_kpi;                 /* at least one KPI with a target */
	char **criteria;                  /* default manual exit criteria */
	size_t ncriteria;
	/* starts_after: the earlier stage whose passed gate lets this one be
	 * started early (stage start), or -1 */
	int starts_after;
	/* signoffs: roles whose sign-off the gate needs beside the
	 * accountable role's approval, by role index */
	unsigned char signoff[LC_MAX_ROLES];
};

struct lc_component {
	char *name;
	int owner; /* role index */
	char *description;
};

struct lifecycle {
	struct lc_role roles[LC_MAX_ROLES];
	size_t nroles;
	struct lc_stage stages[LC_MAX_STAGES];
	size_t nstages;
	struct lc_component *components;
	size_t ncomponents;
	/* on_breach: the stage a breach sends the project back to, for
	 * retraining (-1: none; absent: prototyping-testing if the
	 * lifecycle has it) */
	int on_breach;
	/* on_buy: the stage a buy decision moves the project to (-1: a buy
	 * closes it as bought; absent: productization if the lifecycle has it
	 * after its deciding stages, else -1) */
	int on_buy;
};


/* Release everything a lifecycle holds (not the struct itself). */
void lifecycle_free(struct lifecycle *lc);

/* Index of the role with this slug, or -1. */
int lifecycle_role(const struct lifecycle *lc, const char *slug);

/* Index of the stage with this exact slug, or -1. */
int lifecycle_stage_slug(const struct lifecycle *lc, const char *slug);

/*
 * Resolve a user's stage argument: exact slug, display name (any case),
 * 1-based number, or unambiguous slug prefix.  Unknown: exit 3 with a
 * suggestion when one is close; ambiguous prefix: exit 2 naming candidates.
 */
const struct ap_error *lifecycle_resolve_stage(const struct lifecycle *lc,
					       const char *arg, int *idx);

/* Resolve a role slug; unknown: exit 3 listing the roles. */
const struct ap_error *lifecycle_resolve_role(const struct lifecycle *lc,
					      const char *arg, int *idx);

/* The index of the stage's accountable role, or -1 when it has none. */
int lifecycle_accountable(const struct lifecycle *lc, int stage);

/* "A", "R", "C" or "I". */
const char *raci_letter(int raci);

#endif
