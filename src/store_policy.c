/*
 * store_policy.c - what a PostgreSQL server needs to enforce the policy
 * itself (schemas/pg/008-server-policy.sql): its copy of the engine's
 * rules (auth_rule) and of the lifecycle's A and R roles (raci), and the
 * rights of its members.  An SQLite file has none of these: every
 * operation here is PostgreSQL's only.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

static store_lifecycle_parser lc_parser;

void
store_set_lifecycle_parser(store_lifecycle_parser parse)
{
	lc_parser = parse;
}

int
store_server(const struct store *s)
{
	return s->ops->dialect == SD_PG;
}

static const char *
who_name(int who)
{
	switch (who) {
	case AW_ADMIN: return "admin";
	case AW_STAGE_A: return "stage-a";
	case AW_LAST_AR: return "last-ar";
	case AW_SIGNOFF: return "signoff";
	case AW_OWNER: return "owner";
	}
	return "stage-ar";
}

/* The server's copy of auth_rules[], made anew. */
static const struct ap_error *
rules_set(struct store *s)
{
	const struct ap_error *err;
	struct sd_stmt del = {
	    .sql = "DELETE FROM auth_rule",
	    .types = "",
	    .doing = "copy the policy's rules",
	};

	if ((err = sd_run(s, &del)))
		return err;
	for (const struct auth_rule *r = auth_rules; r->command; r++) {
		struct sd_stmt st = {
		    .sql = "INSERT INTO auth_rule (command, who, admins, self,"
			   " claim) VALUES (?1, ?2, ?3 <> 0, ?4 <> 0, ?5 <> 0)",
		    .types = "ssiii",
		    .doing = "copy the policy's rules",
		};
		if ((err = sd_run(s, &st, r->command, who_name(r->who),
				  (int64_t)((r->flags & AF_ADMINS) != 0),
				  (int64_t)((r->flags & AF_SELF) != 0),
				  (int64_t)((r->flags & AF_CLAIM) != 0))))
			return err;
	}
	return NULL;
}

const struct ap_error *
store_raci_set(struct store *s, const struct lifecycle *lc)
{
	const struct ap_error *err;
	struct sd_stmt del = {
	    .sql = "DELETE FROM raci",
	    .types = "",
	    .doing = "copy the lifecycle's roles",
	};

	struct sd_stmt dels = {
	    .sql = "DELETE FROM lc_stage",
	    .types = "",
	    .doing = "copy the lifecycle's stages",
	};
	struct sd_stmt delo = {
	    .sql = "DELETE FROM lc_signoff",
	    .types = "",
	    .doing = "copy the lifecycle's sign-offs",
	};

	if (!store_server(s))
		return NULL;
	if ((err = sd_run(s, &del)) || (err = sd_run(s, &dels)) ||
	    (err = sd_run(s, &delo)))
		return err;
	for (size_t i = 0; i < lc->nstages; i++) {
		struct sd_stmt pos = {
		    .sql = "INSERT INTO lc_stage (stage, position,"
			   " requires_decision, requires_kpi)"
			   " VALUES (?1, ?2, ?3 <> 0, ?4 <> 0)",
		    .types = "siii",
		    .doing = "copy the lifecycle's stages",
		};
		if ((err = sd_run(s, &pos, lc->stages[i].slug, (int64_t)(i + 1),
				  (int64_t)lc->stages[i].requires_decision,
				  (int64_t)lc->stages[i].requires_kpi)))
			return err;
		for (size_t k = 0; k < lc->nroles; k++) {
			int raci = lc->stages[i].raci[k];
			struct sd_stmt st = {
			    .sql = "INSERT INTO raci (stage, role, raci)"
				   " VALUES (?1, ?2, ?3)",
			    .types = "sss",
			    .doing = "copy the lifecycle's roles",
			};
			struct sd_stmt so = {
			    .sql = "INSERT INTO lc_signoff (stage, role)"
				   " VALUES (?1, ?2)",
			    .types = "ss",
			    .doing = "copy the lifecycle's sign-offs",
			};
			if (lc->stages[i].signoff[k] &&
			    (err = sd_run(s, &so, lc->stages[i].slug,
					  lc->roles[k].slug)))
				return err;
			if (raci != RACI_A && raci != RACI_R)
				continue;
			if ((err =
				 sd_run(s, &st, lc->stages[i].slug,
					lc->roles[k].slug, raci_letter(raci))))
				return err;
		}
	}
	return NULL;
}

const struct ap_error *
store_policy_sync(struct store *s)
{
	const struct ap_error *err;
	struct lifecycle lc;
	char *text = NULL;

	if (!store_server(s))
		return NULL;
	if ((err = rules_set(s)))
		return err;
	if (!lc_parser)
		return NULL;
	if ((err = store_meta_get(s, "lifecycle", &text)) || !text)
		return err;
	memset(&lc, 0, sizeof(lc));
	err = lc_parser(text, &lc);
	free(text);
	if (!err)
		err = store_raci_set(s, &lc);
	lifecycle_free(&lc);
	return err;
}

static const struct ap_error *
bool_row(void *ctx, const struct sd_row *r)
{
	const char *v = sd_text(r, 0);

	*(int *)ctx = v && (!strcmp(v, "t") || !strcmp(v, "1"));
	return NULL;
}

const struct ap_error *
store_member_set(struct store *s, const char *name, int add, int *changed)
{
	struct sd_stmt st = {
	    .sql = "SELECT aiproj_member(?1, ?2 <> 0)",
	    .types = "si",
	    .doing = "change the member's rights",
	    .fn = bool_row,
	    .ctx = changed,
	};

	*changed = 0;
	return sd_run(s, &st, name, (int64_t)(add != 0));
}

struct member_ctx {
	store_member_fn fn;
	void *arg;
};

static const struct ap_error *
member_row(void *ctx, const struct sd_row *r)
{
	struct member_ctx *x = ctx;

	return x->fn(x->arg, sd_text(r, 0));
}

const struct ap_error *
store_members(struct store *s, store_member_fn fn, void *arg)
{
	struct member_ctx x = {fn, arg};
	struct sd_stmt st = {
	    .sql = "SELECT DISTINCT r.rolname::text COLLATE \"C\""
		   " FROM pg_catalog.pg_class c,"
		   " pg_catalog.aclexplode(c.relacl) a"
		   " JOIN pg_catalog.pg_roles r ON r.oid = a.grantee"
		   " WHERE c.oid = 'project'::regclass"
		   " AND a.privilege_type = 'INSERT'"
		   " AND a.grantee <> c.relowner ORDER BY 1",
	    .types = "",
	    .doing = "read the members",
	    .fn = member_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}
