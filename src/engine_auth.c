/*
 * engine_auth.c - who may run each writing command: the rule table and
 * its judgement, over plain structs (no store, no I/O).
 */
#include "aiproj/engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"

/* The rules of a stage's roles, on the project named first: who may, and
 * what the docs say of it. */
/* clang-format off */
#define A_RULE(cmd, action, flags, doc) \
	{cmd, action, AW_STAGE_A, flags, 0, doc}
#define AR_RULE(cmd, action, flags, doc) \
	{cmd, action, AW_STAGE_AR, flags, 0, doc}
#define BY_A "the stage's A role"
#define BY_AR "the stage's A or an R role"
#define OR_ADMIN ", or an admin"

const struct auth_rule auth_rules[] = {
    {"init", "init", AW_ADMIN, 0, -1,
     "an admin (anyone when it creates the store)"},
    {"policy set", "policy set", AW_ADMIN, 0, -1, "an admin"},
    {"admin add", "admin add", AW_ADMIN, AF_CLAIM, -1,
     "an admin (anyone while the store has none)"},
    {"admin remove", "admin remove", AW_ADMIN, 0, -1, "an admin"},
    {"member add", "member add", AW_ADMIN, 0, -1, "an admin"},
    {"member remove", "member remove", AW_ADMIN, 0, -1, "an admin"},
    {"import", "import", AW_ADMIN, 0, -1, "an admin"},
    /* copy --from, or --to a store: the destination's policy (a new one:
     * anyone); --merge is judged as the import it is */
    {"copy", "copy", AW_ADMIN, 0, -1,
     "an admin of the destination (anyone when the copy creates it)"},
    {"project create", "project create", AW_ADMIN, 0, -1, "an admin"},
    {"project rename", "project rename", AW_ADMIN, 0, 0, "an admin"},
    {"project delete", "project delete", AW_ADMIN, 0, 0, "an admin"},
    A_RULE("project hold", "hold", AF_ADMINS, BY_A OR_ADMIN),
    A_RULE("project resume", "resume", AF_ADMINS, BY_A OR_ADMIN),
    A_RULE("project close", "close", AF_ADMINS, BY_A OR_ADMIN),
    AR_RULE("stage advance", "advance", 0, BY_AR),
    /* forcing past the gate is the gatekeeper's (its A role approves it) */
    A_RULE("stage advance --force", "force a move past the gate", AF_FORCED,
	   BY_A),
    AR_RULE("stage back", "back", 0, BY_AR),
    AR_RULE("stage start", "start", 0, BY_AR),
    A_RULE("gate add", "gate add", AF_ADMINS | AF_OPT_STAGE,
	   "the A role of the gate's stage" OR_ADMIN),
    AR_RULE("gate done", "gate done", AF_CRIT_STAGE,
	    "the A or an R role of the criterion's stage"),
    AR_RULE("gate reopen", "gate reopen", AF_CRIT_STAGE,
	    "the A or an R role of the criterion's stage"),
    A_RULE("gate approve", "approve", 0, BY_A),
    {"gate approve --as", "sign off", AW_SIGNOFF, 0, 0,
     "a role the stage's gate asks a sign-off of"},
    A_RULE("decide", "decide", 0, BY_A),
    A_RULE("kpi add", "kpi add", AF_ADMINS, BY_A OR_ADMIN),
    AR_RULE("kpi record", "kpi record", 0, BY_AR),
    A_RULE("role assign", "role assign", AF_ADMINS | AF_SELF,
	   BY_A OR_ADMIN "; on oneself an admin only"),
    A_RULE("role unassign", "role unassign", AF_ADMINS, BY_A OR_ADMIN),
    AR_RULE("component add", "component add", AF_ADMINS, BY_AR OR_ADMIN),
    AR_RULE("component remove", "component remove", AF_ADMINS,
	    BY_AR OR_ADMIN),
    AR_RULE("note", "note", AF_ADMINS, BY_AR OR_ADMIN),
    A_RULE("stage due", "stage due", AF_ADMINS | AF_OPT_STAGE,
	   "the A role of the stage it sets" OR_ADMIN),
    {"person add", "person add", AW_ADMIN, 0, -1, "an admin"},
    {"person set", "person set", AW_ADMIN, 0, -1, "an admin"},
    {"person rename", "person rename", AW_ADMIN, 0, -1, "an admin"},
    {"person merge", "person merge", AW_ADMIN, 0, -1, "an admin"},
    {"role reassign", "role reassign", AW_ADMIN, 0, -1, "an admin"},
    {"release add", "release add", AW_LAST_AR, 0, 0,
     "the last stage's (deployment's) A or an R role"},
    {"release retire", "release retire", AW_LAST_AR, AF_ADMINS, 0,
     "the last stage's (deployment's) A or an R role" OR_ADMIN},
    A_RULE("kpi set", "kpi set", AF_ADMINS, BY_A OR_ADMIN),
    A_RULE("kpi remove", "kpi remove", AF_ADMINS, BY_A OR_ADMIN),
    {"component handover", "hand over a component", AW_OWNER, AF_ADMINS, 0,
     "a holder of the component's owner role, the stage's A role" OR_ADMIN},
    {NULL, NULL, 0, 0, -1, NULL},
};
/* clang-format on */

const struct auth_rule *
auth_rule_find(const char *command)
{
	for (const struct auth_rule *r = auth_rules; r->command; r++)
		if (strcmp(r->command, command) == 0)
			return r;
	return NULL;
}

const struct auth_rule *
auth_rule_variant(const char *command, const struct auth_rule *after)
{
	size_t n = strlen(command);

	for (const struct auth_rule *r = after ? after + 1 : auth_rules;
	     r->command; r++)
		if (strncmp(r->command, command, n) == 0 &&
		    strncmp(r->command + n, " --", 3) == 0)
			return r;
	return NULL;
}

/* " on 'p'" when the rule names a project */
static const char *
auth_on(const struct eng_project *p, char *buf, size_t len)
{
	if (!p)
		return "";
	snprintf(buf, len, " on '%s'", p->name);
	return buf;
}

const struct ap_error *
eng_authorize(const struct lifecycle *lc, const struct auth_rule *r,
	      const struct eng_project *p, const struct auth_actor *who)
{
	const struct ap_error *err;
	struct sbuf b = {0};
	char on[NAME_MAX_LEN + 8];
	int need_a = r->who == AW_STAGE_A || r->who == AW_OWNER;
	int admins = r->flags & AF_ADMINS;
	int stage = p && r->who == AW_LAST_AR ? (int)lc->nstages - 1
					      : (p ? p->stage : 0);

	if (who->admin && (r->who == AW_ADMIN || admins))
		return NULL;
	if (r->who == AW_ADMIN && (r->flags & AF_CLAIM) && who->admins == 0)
		return NULL;
	if (r->who == AW_OWNER && who->owner_held)
		return NULL;
	if (r->who == AW_ADMIN || !p)
		return ap_error_fmt(
		    AP_EXIT_REFUSED,
		    "policy 'roles': '%s' may not %s%s: that"
		    " needs the admin right (aiproj admin list)",
		    who->name, r->action, auth_on(p, on, sizeof(on)));
	if ((r->flags & AF_SELF) && who->self)
		return ap_error_fmt(AP_EXIT_REFUSED,
				    "policy 'roles': '%s' may not %s on '%s'"
				    " to themselves: that needs the admin"
				    " right (aiproj admin list)",
				    who->name, r->action, p->name);
	for (size_t k = 0; k < lc->nroles; k++) {
		int raci = lc->stages[stage].raci[k];
		if (r->who == AW_SIGNOFF
			? !lc->stages[stage].signoff[k]
			: raci != RACI_A && (need_a || raci != RACI_R))
			continue;
		if (who->held[k]) {
			sbuf_free(&b);
			return NULL;
		}
		sbuf_printf(&b, "%s%s", b.len ? ", " : "", lc->roles[k].slug);
	}
	/* a stage without a role of the kind the rule asks for (a custom
	 * lifecycle's: no accountable role, or neither A nor R): its
	 * administrators stand in for it, or nobody could */
	if (!b.len && r->who != AW_SIGNOFF && who->admin)
		return NULL;
	if (r->who == AW_OWNER && who->owner)
		sbuf_printf(&b, "; or %s, the component's owner", who->owner);
	err = ap_error_fmt(
	    AP_EXIT_REFUSED,
	    "policy 'roles': '%s' may not %s on '%s' at '%s':"
	    " that needs the %s role (%s)%s",
	    who->name, r->action, p->name, lc->stages[stage].slug,
	    r->who == AW_SIGNOFF ? "sign-off"
	    : need_a             ? "accountable"
				 : "accountable or a responsible",
	    b.s ? b.s : "none in this lifecycle",
	    admins || (!b.len && r->who != AW_SIGNOFF) ? " or the admin right"
						       : "");
	sbuf_free(&b);
	return err;
}
