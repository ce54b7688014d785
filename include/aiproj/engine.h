/*
 * engine.h - the lifecycle engine: pure C on plain structs, no store.
 *
 * Given a lifecycle and a project's state, it evaluates gates and decides
 * whether a transition is allowed, listing every reason when it is not.
 * Its unit tests link this file, lifecycle.c, util.c and error.c only.
 */
#ifndef AIPROJ_ENGINE_H
#define AIPROJ_ENGINE_H

#include <stddef.h>

#include "aiproj/error.h"
#include "aiproj/lifecycle.h"
#include "aiproj/util.h"

enum proj_status { PS_ACTIVE = 0, PS_ON_HOLD, PS_CLOSED };
enum decision_kind { DK_NONE = 0, DK_MAKE, DK_BUY };

/* A manual criterion of one stage, as the store holds it. */
struct eng_criterion {
	long id;
	const char *text;
	int done;
};

/* What the engine needs to know about a project. */
struct eng_project {
	const char *name;
	enum proj_status status;
	int stage;                 /* current stage index */
	int staffed[LC_MAX_ROLES]; /* people assigned, by role index */
	const struct eng_criterion *criteria; /* manual criteria of `stage` */
	size_t ncriteria;
	/* When criteria is NULL (reports), ncriteria counts the manual
	 * criteria and ncriteria_done those done: only the counts matter. */
	size_t ncriteria_done;
	enum decision_kind decision; /* the latest decision */
	int has_cost;  /* the latest decision carries a cost estimate */
	int kpis;      /* KPIs with a target */
	int approvals; /* approvals of the gate since the stage was entered,
			* by people who still hold its accountable role */
	/* an approval given since then by someone who no longer holds the
	 * role (withdrawn: it does not count), or NULL */
	const char *withdrawn;
	/* the live release (NULL: none) and since when */
	const char *live, *live_since;
	/* sign-offs of the gate (stage signoffs) since the stage was
	 * entered, by people who still hold the role, by role index */
	int signoffs[LC_MAX_ROLES];
	/* stages started early (stage start) and still open, by index; the
	 * current stage, the earliest open one, is open too */
	unsigned char open[LC_MAX_STAGES];
	/* the due date of the current stage (YYYY-MM-DD), or NULL */
	const char *due;
};

enum gate_kind {
	GK_ROLE,
	GK_MANUAL,
	GK_DECISION,
	GK_KPI,
	GK_APPROVAL,
	GK_SIGNOFF
};

struct gate_item {
	int kind;   /* enum gate_kind */
	char *id;   /* "role:sponsor", "3", "decision", "kpi", "approval" */
	char *text; /* what the criterion asks */
	int done;
	char *hint; /* what to do about it when not done, or NULL */
};

struct gate {
	int stage;
	struct gate_item *items;
	size_t n;
	size_t met;
	int passed;
};

/*
 * Evaluate the gate of stage `stage` for project `p` (usually p->stage; the
 * manual criteria in p must be those of `stage`).  The caller must dispose
 * of the result with gate_free().
 */
const struct ap_error *gate_eval(const struct lifecycle *lc,
				 const struct eng_project *p, int stage,
				 struct gate *out);
void gate_free(struct gate *g);

/* The same gate's counts only, without building its texts (reports over
 * a whole portfolio).  The gate passes when *met == *total. */
const struct ap_error *gate_count(const struct lifecycle *lc,
				  const struct eng_project *p, int stage,
				  size_t *met, size_t *total);

/* "role", "manual", "decision", "kpi", "approval" or "signoff". */
const char *gate_kind_name(int kind);

/*
 * May the project advance one stage?  Not active, or at the last stage:
 * exit 4.  Gate unmet and not forced: exit 4 with one line per unmet item.
 * Forced without a reason: exit 2.  On success *to is the next stage.
 */
const struct ap_error *eng_check_advance(const struct lifecycle *lc,
					 const struct eng_project *p, int force,
					 const char *reason, int *to);

/*
 * Is a --force on this advance needed?  A forced advance whose gate holds
 * anyway is an ordinary advance and is recorded as one: 1 only when
 * `force` is set and the gate of the current stage does not pass.
 */
int eng_advance_forced(const struct lifecycle *lc, const struct eng_project *p,
		       int force);

/*
 * Parallel stages.  Replay a project's history, oldest first, into
 * p->open: a start opens its stage, a back-jump closes every started one
 * (`kind` a transition kind, `to` its target stage index).  Then
 * eng_open_settle() drops the stages the project has since reached.
 */
void eng_open_note(struct eng_project *p, const char *kind, int to);
void eng_open_settle(struct eng_project *p);
/* Is `stage` open: the current stage or one started early? */
int eng_stage_open(const struct eng_project *p, int stage);
/*
 * May stage `stage` be started early?  The project must be active, the
 * stage ahead of it, not started yet, and its lifecycle starts_after
 * stage passed: behind the current stage (a stage cannot be passed while
 * an earlier one is open).  Exit 4 saying why not.
 */
const struct ap_error *eng_check_start(const struct lifecycle *lc,
				       const struct eng_project *p, int stage);

/* May the project jump back to stage `to`?  Reason required (exit 2). */
const struct ap_error *eng_check_back(const struct lifecycle *lc,
				      const struct eng_project *p, int to,
				      const char *reason);

/* --expect: exit 5 unless the project is in stage `expect` now. */
const struct ap_error *eng_check_expect(const struct lifecycle *lc,
					const struct eng_project *p,
					int expect);

/*
 * May `actor` approve the gate of the current stage?  `actor_is_a` says
 * whether the actor is assigned to the stage's accountable role.
 */
const struct ap_error *eng_check_approve(const struct lifecycle *lc,
					 const struct eng_project *p,
					 const char *actor, int actor_is_a);

/*
 * May `actor` sign off the gate of the current stage as `role`?  The
 * stage must ask for that role's sign-off (lifecycle signoffs) and the
 * actor hold it on the project (`actor_holds`), under every policy.
 */
const struct ap_error *eng_check_signoff(const struct lifecycle *lc,
					 const struct eng_project *p,
					 const char *actor, int role,
					 int actor_holds);

/* May the project record a decision now? (active, at a deciding stage) */
const struct ap_error *eng_check_decide(const struct lifecycle *lc,
					const struct eng_project *p);

/*
 * Status changes: hold (to PS_ON_HOLD), resume (to PS_ACTIVE), close (to
 * PS_CLOSED), and the close a buy decision makes.  What a change records:
 */
struct eng_status_change {
	enum proj_status to;
	const char *reason;  /* why (NULL for resume) */
	const char *outcome; /* "bought" when a buy closed it, else NULL */
};

/* "hold", "resume" or "close": the command that moves a project to `to`. */
const char *eng_status_verb(int to);

/* Hold and close need a reason (exit 2); checked before the project is
 * read. */
const struct ap_error *eng_check_status_reason(int to, const char *reason);

/*
 * May project `name`, now `status`, move to status `to`?  A closed project
 * never changes; only an active project is held and only one on hold
 * resumed (exit 4).  On success *ch is what to record.
 */
const struct ap_error *eng_check_status(const char *name, int status, int to,
					const char *reason,
					struct eng_status_change *ch);

/*
 * What recording a decision of `kind` does to project p (engine_buy.c).
 * A make changes nothing.  A buy moves the project to the lifecycle's
 * on_buy stage (a transition of kind "buy", the stages between skipped)
 * or, with on_buy close, closes it with the decision's reason and the
 * outcome "bought".  A buy is a decision: no gate is asked for.
 */
struct eng_decided {
	int closes; /* 1: ch is a status change to record */
	struct eng_status_change ch;
	int to; /* the stage the buy moves the project to, else -1 */
};
void eng_decide_outcome(const struct lifecycle *lc, const struct eng_project *p,
			int kind, const char *reason, struct eng_decided *out);

/*
 * The stages a transition of `kind` from stage `from` to `to` jumped
 * over (a buy's skipped stages, those between the two): how many, the
 * first at *first.  0 for every other kind, or for unknown stages (-1).
 */
int eng_skipped(const char *kind, int from, int to, int *first);

/* A closed project takes no more criteria, KPIs, readings, roles or
 * components: exit 4 saying it cannot `doing`. */
const struct ap_error *eng_check_not_closed(const char *name, int status,
					    const char *doing);

/* Deleting a project and its history (`transitions` of them) needs --yes
 * (`confirmed`): exit 2 otherwise. */
const struct ap_error *eng_check_delete(const char *name, int confirmed,
					long long transitions);

/*
 * Who is on the hook.  A role accountable (A) or responsible (R) for a
 * stage is on the hook for it: the stage's gate asks for someone in it.
 */
int eng_raci_on_hook(int raci);
/* A staffing gap: a role on the hook at `stage` with nobody in it
 * (`people` is how many hold it). */
int eng_role_gap(const struct lifecycle *lc, int stage, int role, int people);
/* A gap of the project now, at its current stage (p->staffed counts the
 * people): a closed project puts nobody on the hook and has none. */
int eng_project_gap(const struct lifecycle *lc, const struct eng_project *p,
		    int role);
/* A gap of the project at `stage`, its current one or one ahead (a stage
 * before the current one has none, nor has a closed project). */
int eng_stage_gap(const struct lifecycle *lc, const struct eng_project *p,
		  int stage, int role);
/* Is a person holding a role whose letter at the project's current stage
 * is `raci` on the hook now?  Not on a closed project. */
int eng_holder_on_hook(int raci, int status);

/*
 * The authorization policy "roles": one rule for every command that
 * writes (docs/security.md is checked against this table).  Who may run a
 * command is judged at the project's current stage, or at the stage the
 * command acts on (AF_CRIT_STAGE, AF_OPT_STAGE):
 */
enum auth_who {
	AW_ADMIN,    /* a store administrator */
	AW_STAGE_A,  /* the stage's accountable (A) role */
	AW_STAGE_AR, /* the stage's accountable or a responsible (R) role */
	/* the last stage's (deployment's) accountable or a responsible
	 * role, wherever the project is: what is live in production */
	AW_LAST_AR,
	AW_SIGNOFF, /* a role whose sign-off the stage's gate asks for */
	/* a holder of the component's owner role (component handover), or
	 * the stage's accountable role */
	AW_OWNER,
};
enum auth_flags {
	AF_ADMINS = 1 << 0, /* administrators may too, without the role */
	AF_SELF = 1 << 1,   /* on oneself (role assign PERSON): admins only */
	AF_CLAIM = 1 << 2,  /* anyone, while the store has no administrator */
	AF_CRIT_STAGE = 1 << 3, /* at the stage of the criterion (2nd arg) */
	AF_OPT_STAGE = 1 << 4,  /* at the stage of --stage, when given */
	/* a variant that holds only when the move is forced: past a gate
	 * that does not hold (else the command's own rule) */
	AF_FORCED = 1 << 5,
};
struct auth_rule {
	const char *command; /* "stage advance": the command's words */
	const char *action;  /* what a refusal says and logs: "advance" */
	int who;             /* enum auth_who */
	int flags;           /* enum auth_flags */
	int project;         /* its positional naming the project, or -1 */
	const char *doc;     /* who may, for docs/security.md */
};
/* The rules, ended by a NULL command.  A PostgreSQL store's server checks
 * a copy of them (table auth_rule, schemas/pg/008-server-policy.sql),
 * made anew whenever aiproj migrates the store: a change here comes with
 * a migration, or stores keep the old rules. */
extern const struct auth_rule auth_rules[];
/* The rule of the command with these words, or NULL (then nobody may). */
const struct auth_rule *auth_rule_find(const char *command);
/* The rules of the command's variants, each named by an option with a
 * rule of its own ("gate approve --as", "stage advance --force"): the
 * first after `after` (NULL: the first), or NULL. */
const struct auth_rule *auth_rule_variant(const char *command,
					  const struct auth_rule *after);

/* Who asks, as the policy sees them. */
struct auth_actor {
	const char *name;
	int admin;                 /* a store administrator */
	int admins;                /* how many the store has */
	const unsigned char *held; /* roles held on the project, by index */
	int self;                  /* the command names the actor (AF_SELF) */
	/* AW_OWNER: the component's owner role (NULL: no such component),
	 * and whether the actor holds it on the project */
	const char *owner;
	int owner_held;
};

/*
 * Under policy "roles", may `who` run the command of rule `r` on project
 * `p` (NULL when the rule names none)?  Refusal: exit 4 naming the roles
 * or the admin right that would have allowed it.
 */
const struct ap_error *eng_authorize(const struct lifecycle *lc,
				     const struct auth_rule *r,
				     const struct eng_project *p,
				     const struct auth_actor *who);

/*
 * People.  A person is one whatever the case and spacing of their name:
 * person_key() is the name as people are told apart, "eli park" for
 * "Eli  Park", " ELI PARK" and "eli\u00a0park": ASCII letters in lower
 * case, every run of white space (ASCII space and tab, U+00A0 no-break
 * space and the other Unicode spaces: U+1680, U+2000..U+200A, U+2028,
 * U+2029, U+202F, U+205F, U+3000) one ASCII space, none at either end.
 * Other characters are kept as they are (there is no Unicode
 * normalization; valid_person() refuses the invisible ones).  Malloc'd;
 * NULL when out of memory.
 */
char *person_key(const char *name);
/* Is code point cp one of the spaces person_key() folds? */
int person_space(unsigned cp);
/* Are two names the same person? */
int person_same(const char *a, const char *b);

/* Only active projects move: exit 4 otherwise. */
const struct ap_error *eng_check_active(const struct eng_project *p,
					const char *doing);

/*
 * stage check: the conditions of a CI gate.  Each says whether it holds
 * and appends what it found to `detail` (one line, no newline).
 *
 * A project that is not active never holds: eng_cond_active() is the
 * condition `active` that stage check adds when the project is on hold or
 * closed, so that no gate of a cancelled project lets a pipeline through.
 */
int eng_cond_active(const struct eng_project *p, struct sbuf *detail);
/* --at-least STAGE: at stage `want` or past it. */
int eng_cond_at_least(const struct lifecycle *lc, const struct eng_project *p,
		      int want, struct sbuf *detail);
/* --is STAGE: at stage `want` now. */
int eng_cond_is(const struct lifecycle *lc, const struct eng_project *p,
		int want, struct sbuf *detail);
/* --started STAGE: at stage `want` or past it, or `want` started early. */
int eng_cond_started(const struct lifecycle *lc, const struct eng_project *p,
		     int want, struct sbuf *detail);
/* --gate: the gate of the current stage passes (every unmet criterion is
 * named in the detail).  Sets *holds; fails only as gate_eval() does. */
const struct ap_error *eng_cond_gate(const struct lifecycle *lc,
				     const struct eng_project *p, int *holds,
				     struct sbuf *detail);
/* A KPI with its latest reading, for --kpis. */
struct eng_kpi {
	const char *name;
	int op; /* enum kpi_op */
	double target;
	int has_reading;
	double value;
	/* the latest reading is a breach still open (eng_breach_open), taken
	 * at breach_at */
	int breach;
	const char *breach_at;
};
/* --kpis: every one of the `n` KPIs has a reading that meets its target
 * (the detail names each that has none or misses).  No KPI at all does not
 * hold: nothing was measured. */
int eng_cond_kpis(const struct eng_kpi *kpis, size_t n, struct sbuf *detail);

/* What recomputing a project's hash chains found, for --verified. */
struct eng_verify {
	int64_t chains, rows, broken;
	/* the first row of the first broken chain (when broken) */
	const char *chain;   /* "history", "approval", "reading" */
	const char *kpi;     /* a reading chain's KPI, else NULL */
	int64_t row;         /* its place in the chain, from 1 */
	const char *problem; /* "changed", "inserted", ... */
};
/* --verified: every hash chain of the project verifies (the detail names
 * the first row of a broken one). */
int eng_cond_verified(const struct eng_verify *v, struct sbuf *detail);
/* --on-time: the current stage is not overdue on `today` (YYYY-MM-DD):
 * it has no due date, or the date is today or later (the detail says
 * which, and by how many days). */
int eng_cond_on_time(const struct eng_project *p, const char *today,
		     struct sbuf *detail);

/* The conditions of a stage check, in the order they are reported. */
enum eng_cond_kind {
	EC_ACTIVE,
	EC_AT_LEAST,
	EC_IS,
	EC_STARTED,
	EC_GATE,
	EC_KPIS,
	EC_VERIFIED,
	EC_ON_TIME,
	EC_LIVE
};
/* the conditions of one stage check, the active one aiproj adds
 * included: each flag once, each stage condition as often as given */
#define ENG_MAX_COND 24
struct eng_cond {
	int kind;            /* enum eng_cond_kind */
	int stage;           /* EC_AT_LEAST, EC_IS, EC_STARTED: the stage */
	const char *today;   /* EC_ON_TIME: the day it is (YYYY-MM-DD) */
	const char *version; /* EC_LIVE: the version asked for, or NULL */
	int holds;
	struct sbuf detail;
};
/* "active", "at-least", "is", "started", "gate", "kpis", "verified",
 * "on-time" */
const char *eng_cond_name(int kind);

/*
 * stage check: evaluate the conditions asked for, conds[0 .. *n) (room for
 * ENG_MAX_COND), for project p whose KPIs are kpis[0 .. nkpis) and whose
 * hash chains were found as `verify` says (NULL: not asked for).  A project
 * that is not active gets the condition EC_ACTIVE first (*n grows by one).
 * Sets each holds and detail and *failed to how many do not hold; fails
 * only as gate_eval() does.  Free the details with eng_conds_free().
 */
const struct ap_error *eng_stage_check(const struct lifecycle *lc,
				       const struct eng_project *p,
				       const struct eng_kpi *kpis, size_t nkpis,
				       const struct eng_verify *verify,
				       struct eng_cond *conds, int *n,
				       int *failed);
void eng_conds_free(struct eng_cond *conds, int n);

/* Status and decision kind as the store and the YAML spell them:
 * "active", "on-hold", "closed"; "make", "buy".  The parsers return -1
 * for anything else; a NULL status is -1, a NULL decision (none recorded)
 * is DK_NONE. */
const char *proj_status_name(int status);
int proj_status_parse(const char *s);
const char *decision_kind_name(int kind); /* DK_NONE: "?" */
int decision_kind_parse(const char *s);

/* Where a project's clock in its stage stops: at status_at for a closed
 * project, at `now` otherwise (on hold, the project still sits in its
 * stage, so its clock runs).  Time in stage is stamp_diff(entered_at, it). */
const char *stage_clock_end(int status, const char *status_at, const char *now);

/*
 * Dates.  A stage's due date is a day, YYYY-MM-DD: the last day the stage
 * is on time.  The days it is past on `today` (YYYY-MM-DD): today minus
 * the due date, 0 when it is not past (or either is not a day).  A
 * project is overdue when its current stage's due date is past and it is
 * not closed.
 */
long eng_days_overdue(const char *due, const char *today);
int eng_overdue(int status, const char *due, const char *today);

/*
 * Time in a stage.  A project's status changes, oldest first: from `at`
 * (seconds since 1970) on it was `status` (PS_*); before the first one it
 * was active.  Of a visit from `start` to `end`, the time active goes to
 * *active and the time on hold to *held; time closed counts in neither:
 * the clock in a stage stops at hold and at close.
 */
struct eng_status_at {
	double at;
	int status;
};
void eng_visit_time(double start, double end, const struct eng_status_at *ch,
		    size_t n, double *active, double *held);

/*
 * Percentiles, by nearest rank: the pct-th percentile (1..100) of n values
 * sorted ascending is the value at rank ceil(pct * n / 100) (from 1), so
 * always one of the values; the median is the 50th.  0 when n is 0.
 * eng_sort_values() sorts them ascending.
 */
double eng_percentile(const double *sorted, size_t n, int pct);
void eng_sort_values(double *v, size_t n);

/* KPI targets: "OP NUMBER" with OP one of >= > <= < ==. */
enum kpi_op { KOP_GE, KOP_GT, KOP_LE, KOP_LT, KOP_EQ };
const struct ap_error *kpi_parse_target(const char *s, int *op, double *num);
const char *kpi_op_name(int op);
int kpi_op_parse(const char *s); /* -1 when unknown */
int kpi_meets(int op, double target, double value);

/* ---- what is live in production, and monitoring ---- */

/* release add: only for an active project at the lifecycle's last stage
 * (deployment), where what goes live is recorded (exit 4). */
const struct ap_error *eng_check_release(const struct lifecycle *lc,
					 const struct eng_project *p);
/* The syntax of a release's fields (exit 2): a version is 1 to 64 of
 * letters, digits and . _ + - starting with a letter or digit; a digest
 * is ALGO:HEX with ALGO one of md5 sha1 sha224 sha256 sha384 sha512 and
 * as many hex digits as ALGO makes; a commit is 7 to 64 hex digits; an
 * artifact is a URI: SCHEME:REST without spaces or control characters. */
const struct ap_error *eng_check_version(const char *v);
const struct ap_error *eng_check_digest(const char *v);
const struct ap_error *eng_check_commit(const char *v);
const struct ap_error *eng_check_artifact(const char *v);

/* A reading against its target: met, missed, or, missed while a release
 * is live, a breach. */
enum reading_outcome { RO_MET, RO_MISSED, RO_BREACH };
int eng_reading_outcome(int op, double target, double value, int live);
/* "met", "missed", "breach" */
const char *eng_reading_outcome_name(int outcome);
/* Is the breach of a KPI open?  A breach stays open while it is its
 * KPI's latest reading, that reading still misses the target in force now
 * (a new target re-judges it: kpi set to a target it meets closes it), the
 * project has not gone back since and is not closed (closing a project
 * ends its monitoring).  breach: the latest reading was recorded as one,
 * at reading_at, with `value`; op and target: the KPI's target now;
 * last_back the time of the latest back-jump or NULL. */
int eng_breach_open(int breach, const char *reading_at, const char *last_back,
		    int op, double target, double value, int closed);

/* --live [VERSION]: a release (that version) is live. */
int eng_cond_live(const struct eng_project *p, const char *want,
		  struct sbuf *detail);

/*
 * stage back --breach: where the lifecycle sends a retraining
 * (lc->on_breach, exit 4 when it names none or the project is not past
 * it), for the open breach `kpi` (NULL: none is open, exit 4).
 */
const struct ap_error *eng_check_breach_back(const struct lifecycle *lc,
					     const struct eng_project *p,
					     const char *kpi, int *to);

/* A command's time for a project: now, or the project's latest stamp
 * when that is later (a clock that went back, runners whose clocks
 * differ, an import from a later clock), so that what a command writes
 * never comes before what the project has and its times go forward, as
 * import checks them (out: 32 bytes). */
void eng_project_time(const char *now, const char *latest, char out[32]);

#endif