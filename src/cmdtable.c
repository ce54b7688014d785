/*
 * cmdtable.c - the command table: every command with its positional
 * arguments and options, each described once by its type.  Usage texts,
 * the option parser's table, the checks made before the store opens and
 * the shell completion's candidates are all derived from it
 * (cmdtable_derived.c).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"

#define TJ (FMT_TEXT | FMT_JSON | FMT_YAML)
#define ALLF (TJ | FMT_CSV | FMT_MARKDOWN) /* tables */

/* ---- the arguments, each described once ---- */

/* positionals (a NULL name: the type's placeholder) */
static const struct argdesc A_PROJECT = {.name = "PROJECT", .type = AT_PROJECT};
static const struct argdesc A_NAME = {.name = "NAME", .type = AT_PROJECT};
static const struct argdesc A_NEW_NAME = {.name = "NAME",
					  .type = AT_NEW_PROJECT};
static const struct argdesc A_OLD = {.name = "OLD", .type = AT_PROJECT};
static const struct argdesc A_NEW = {.name = "NEW", .type = AT_NEW_PROJECT};
static const struct argdesc A_POLICY = {.type = AT_POLICY};
static const struct argdesc A_CRITERION = {
    .name = "TEXT", .type = AT_TEXT, .what = "criterion text"};
static const struct argdesc A_ID = {.name = "ID", .type = AT_CRITERION_ID};
static const struct argdesc A_DECISION = {.type = AT_DECISION};
static const struct argdesc A_NEW_KPI = {.name = "NAME", .type = AT_NEW_KPI};
static const struct argdesc A_KPI = {.name = "NAME", .type = AT_KPI};
static const struct argdesc A_VALUE = {.name = "VALUE", .type = AT_KPI_VALUE};
static const struct argdesc A_ROLE = {.name = "ROLE", .type = AT_ROLE};
static const struct argdesc A_PERSON = {.name = "PERSON", .type = AT_PERSON};
static const struct argdesc A_PERSON_NAME = {.name = "NAME", .type = AT_PERSON};
static const struct argdesc A_PERSON_OLD = {.name = "OLD", .type = AT_PERSON};
static const struct argdesc A_PERSON_NEW = {.name = "NEW", .type = AT_PERSON};
static const struct argdesc A_PERSON_FROM = {.name = "FROM", .type = AT_PERSON};
static const struct argdesc A_PERSON_INTO = {.name = "INTO", .type = AT_PERSON};
static const struct argdesc A_PERSON_TO = {.name = "TO", .type = AT_PERSON};
static const struct argdesc A_LOGIN = {.name = "NAME", .type = AT_PERSON};
static const struct argdesc A_NEW_COMPONENT = {.name = "NAME",
					       .type = AT_NEW_COMPONENT};
static const struct argdesc A_COMPONENT = {.name = "NAME",
					   .type = AT_COMPONENT};
static const struct argdesc A_DATE = {.name = "DATE", .type = AT_DATE};
static const struct argdesc A_STAGE = {.name = "STAGE", .type = AT_STAGE};
static const struct argdesc A_NOTE_TEXT = {
    .name = "TEXT", .type = AT_TEXT, .what = "note"};
static const struct argdesc A_FILE = {.name = "FILE", .type = AT_FILE};
static const struct argdesc A_LISTING = {.type = AT_LISTING};
static const struct argdesc A_WORD = {.name = "WORD", .type = AT_WORD};
static const struct argdesc A_VERSION = {.name = "VERSION", .type = AT_VERSION};
static const struct argdesc A_KPI_OPT = {.name = "KPI", .type = AT_KPI};

/* the options of commands (a text option's messages name it: "reason") */
static const struct argdesc O_POLICY = {.name = "--policy", .type = AT_POLICY};
static const struct argdesc O_LIFECYCLE = {.name = "--lifecycle",
					   .type = AT_LIFECYCLE};
static const struct argdesc O_DESCRIPTION = {.name = "--description",
					     .type = AT_NOTE};
static const struct argdesc O_STAGE = {.name = "--stage", .type = AT_STAGE};
static const struct argdesc O_ALL = {.name = "--all", .type = AT_FLAG};
static const struct argdesc O_REASON = {.name = "--reason", .type = AT_TEXT};
static const struct argdesc O_YES = {.name = "--yes", .type = AT_FLAG};
static const struct argdesc O_EXPECT = {.name = "--expect", .type = AT_STAGE};
static const struct argdesc O_FORCE = {.name = "--force", .type = AT_FLAG};
static const struct argdesc O_TO = {.name = "--to", .type = AT_STAGE};
static const struct argdesc O_AT_LEAST = {.name = "--at-least",
					  .type = AT_STAGE};
static const struct argdesc O_IS = {.name = "--is", .type = AT_STAGE};
static const struct argdesc O_STARTED = {.name = "--started", .type = AT_STAGE};
static const struct argdesc O_AS = {.name = "--as", .type = AT_ROLE};
static const struct argdesc O_GATE = {.name = "--gate", .type = AT_FLAG};
static const struct argdesc O_KPIS = {.name = "--kpis", .type = AT_FLAG};
static const struct argdesc O_VERIFIED = {.name = "--verified",
					  .type = AT_FLAG};
static const struct argdesc O_ON_TIME = {.name = "--on-time", .type = AT_FLAG};
static const struct argdesc O_NOTE = {.name = "--note", .type = AT_NOTE};
static const struct argdesc O_COST = {.name = "--cost", .type = AT_COST};
static const struct argdesc O_TARGET = {.name = "--target", .type = AT_TARGET};
static const struct argdesc O_OWNER = {.name = "--owner", .type = AT_ROLE};
static const struct argdesc O_OUTPUT = {
    .name = "--output", .type = AT_FILE, .short_name = 'o'};
static const struct argdesc O_DRY_RUN = {.name = "--dry-run", .type = AT_FLAG};
static const struct argdesc O_REPLACE = {.name = "--replace", .type = AT_FLAG};
static const struct argdesc O_REHASH = {.name = "--rehash", .type = AT_FLAG};
static const struct argdesc O_COPY_TO = {
    .name = "--to", .type = AT_FILE, .meta = "DEST"};
static const struct argdesc O_COPY_FROM = {
    .name = "--from", .type = AT_FILE, .meta = "SRC"};
static const struct argdesc O_MERGE = {.name = "--merge", .type = AT_FLAG};
static const struct argdesc O_SINCE = {.name = "--since", .type = AT_DATE};
static const struct argdesc O_UNTIL = {.name = "--until", .type = AT_DATE};
static const struct argdesc O_BY = {.name = "--by", .type = AT_PERIOD};
static const struct argdesc O_DESCRIBE = {.name = "--describe",
					  .type = AT_FLAG};
static const struct argdesc O_STATUS = {.name = "--status",
					.type = AT_STATUS_SET};
static const struct argdesc O_PERSON = {.name = "--person", .type = AT_PERSON};
static const struct argdesc O_ROLE = {.name = "--role", .type = AT_ROLE};
static const struct argdesc O_STALE = {.name = "--stale", .type = AT_DAYS};
static const struct argdesc O_OVERDUE = {.name = "--overdue", .type = AT_FLAG};
static const struct argdesc O_SORT = {.name = "--sort", .type = AT_SORT};
static const struct argdesc O_LIMIT = {.name = "--limit", .type = AT_LIMIT};
static const struct argdesc O_EMAIL = {.name = "--email", .type = AT_EMAIL};
static const struct argdesc O_HANDLE = {.name = "--handle", .type = AT_HANDLE};
static const struct argdesc O_OVER = {.name = "--over", .type = AT_COUNT_OVER};
static const struct argdesc O_TOTALS = {.name = "--totals", .type = AT_FLAG};
static const struct argdesc O_PROJECT = {.name = "--project",
					 .type = AT_PROJECT};
static const struct argdesc O_ARTIFACT = {.name = "--artifact", .type = AT_URI};
static const struct argdesc O_DIGEST = {.name = "--digest", .type = AT_DIGEST};
static const struct argdesc O_COMMIT = {.name = "--commit", .type = AT_COMMIT};
static const struct argdesc O_BREACH = {.name = "--breach", .type = AT_FLAG};
static const struct argdesc O_LIVE = {
    .name = "--live", .type = AT_FLAG, .flags = ARG_OPTVAL, .meta = "VERSION"};
static const struct argdesc O_AFTER_ID = {.name = "--since",
					  .type = AT_EVENT_ID};
static const struct argdesc O_FOLLOW = {.name = "--follow", .type = AT_FLAG};
static const struct argdesc O_TO_ROLE = {.name = "--to", .type = AT_ROLE};
static const struct argdesc O_TITLE = {.name = "--title", .type = AT_TEXT};
static const struct argdesc O_COMPONENT_VERSION = {.name = "--version",
						   .type = AT_VERSION};

/* The filters of project list and every portfolio report, read by
 * filter_from_args(). */
/* clang-format off */
#define FILTERS \
	{.d = &O_STAGE}, {.d = &O_STATUS}, {.d = &O_ALL}, {.d = &O_PERSON}, \
	{.d = &O_ROLE}, {.d = &O_STALE}, {.d = &O_OVERDUE}, {.d = &O_SORT}, \
	{.d = &O_LIMIT}
/* clang-format on */

/* Options every command takes, anywhere on the line, in the order
 * completion lists them. */
const struct argdesc global_opts[] = {
    {.name = "--db",
     .type = AT_FILE,
     .meta = "PATH",
     .flags = ARG_SYNOPSIS,
     .help = "the store (default: $AIPROJ_DB, else\n"
	     "$XDG_DATA_HOME/aiproj/aiproj.db or\n"
	     "~/.local/share/aiproj/aiproj.db)"},
    {.name = "--format",
     .type = AT_FORMAT,
     .flags = ARG_SYNOPSIS,
     .help = "text (default), json or yaml; tables also csv and markdown"},
    {.name = "--actor",
     .type = AT_ACTOR,
     .flags = ARG_SYNOPSIS,
     .help = "who acts (default: $AIPROJ_ACTOR, else the login name)"},
    {.name = "--quiet",
     .type = AT_FLAG,
     .short_name = 'q',
     .flags = ARG_SYNOPSIS,
     .help = "print no results (errors still go to stderr)"},
    {.name = "--help",
     .type = AT_FLAG,
     .short_name = 'h',
     .flags = ARG_LAST,
     .help = "help; 'aiproj help COMMAND' for one command"},
    {.name = "--version",
     .type = AT_FLAG,
     .flags = ARG_LAST,
     .help = "print the version"},
    {.name = "--no-color",
     .type = AT_FLAG,
     .help = "no colour even on a terminal (also NO_COLOR)"},
    {.name = "--wide",
     .type = AT_FLAG,
     .help = "text without a width limit (else $COLUMNS, or 80)"},
    {.name = "--raw-csv",
     .type = AT_FLAG,
     .help = "CSV cells as they are (else ' before = + - @)"},
    {.name = "--hooks",
     .type = AT_FILE,
     .meta = "DIR",
     .help = "the hooks folder (default: $AIPROJ_HOOKS, else\n"
	     "$XDG_CONFIG_HOME/aiproj/hooks or ~/.config/aiproj/hooks)"},
    {.name = "--strict-hooks",
     .type = AT_FLAG,
     .help = "a failed post-hook is exit 9, not a warning"},
    {.type = AT_FLAG},
};

/* A command's arguments, in the order of its usage line. */
/* clang-format off */
#define ARGS(...) (const struct argref[]){__VA_ARGS__, {.d = NULL}}
/* clang-format on */

const struct command commands[] = {
    {.group = "init",
     .args = ARGS({.d = &O_POLICY}, {.d = &O_LIFECYCLE}),
     .summary = "create the store (if needed) and print where it is",
     .example = "aiproj init --policy roles",
     .flags = CMD_WRITE | CMD_CREATES,
     .formats = TJ,
     .fn = cmd_init},

    {.group = "policy",
     .verb = "show",
     .summary = "the authorization policy and recent refusals",
     .example = "aiproj policy show",
     .formats = TJ,
     .fn = cmd_policy_show},
    {.group = "policy",
     .verb = "set",
     .args = ARGS({.d = &A_POLICY}),
     .summary =
	 "open: anyone may move projects; roles: only A/R role holders may",
     .example = "aiproj policy set roles",
     .flags = CMD_WRITE | CMD_CREATES,
     .formats = TJ,
     .fn = cmd_policy_set},
    {.group = "policy",
     .verb = "rules",
     .summary = "every command that writes and who may run it under roles",
     .example = "aiproj policy rules --format markdown",
     .formats = TJ | FMT_MARKDOWN,
     .fn = cmd_policy_rules},

    {.group = "admin",
     .verb = "list",
     .summary = "the store's administrators",
     .example = "aiproj admin list",
     .formats = TJ,
     .fn = cmd_admin_list},
    {.group = "admin",
     .verb = "add",
     .args = ARGS({.d = &A_PERSON}),
     .summary = "make a person an administrator of the store",
     .example = "aiproj admin add 'Ana Lima'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_admin_add},
    {.group = "admin",
     .verb = "remove",
     .args = ARGS({.d = &A_PERSON}),
     .summary = "take the administrator right away (never the last one)",
     .example = "aiproj admin remove 'Ana Lima'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_admin_remove},

    {.group = "member",
     .verb = "list",
     .summary = "the login roles granted the use of a PostgreSQL store",
     .example = "aiproj member list",
     .flags = CMD_SERVER,
     .formats = TJ,
     .fn = cmd_member_list},
    {.group = "member",
     .verb = "add",
     .args = ARGS({.d = &A_LOGIN}),
     .summary = "grant an existing login role the use of a PostgreSQL store",
     .example = "aiproj member add ana",
     .flags = CMD_WRITE | CMD_SERVER,
     .formats = TJ,
     .fn = cmd_member_add},
    {.group = "member",
     .verb = "remove",
     .args = ARGS({.d = &A_LOGIN}),
     .summary = "revoke a login role's rights on a PostgreSQL store",
     .example = "aiproj member remove ana",
     .flags = CMD_WRITE | CMD_SERVER,
     .formats = TJ,
     .fn = cmd_member_remove},

    {.group = "project",
     .verb = "create",
     .args = ARGS({.d = &A_NEW_NAME}, {.d = &O_DESCRIPTION}),
     .summary = "start a project at the first stage with the default criteria",
     .example =
	 "aiproj project create churn-model --description 'Predict churn'",
     .flags = CMD_WRITE | CMD_CREATES,
     .formats = TJ,
     .fn = cmd_project_create},
    {.group = "project",
     .verb = "list",
     .args = ARGS(FILTERS),
     .summary = "list projects (closed ones only with --all)",
     .example = "aiproj project list --stage productization",
     .formats = ALLF,
     .fn = cmd_project_list},
    {.group = "project",
     .verb = "show",
     .args = ARGS({.d = &A_NAME}),
     .summary = "show a project: status, stage, people, KPIs",
     .example = "aiproj project show churn-model",
     .formats = TJ,
     .fn = cmd_project_show},
    {.group = "project",
     .verb = "rename",
     .args = ARGS({.d = &A_OLD}, {.d = &A_NEW}),
     .summary = "rename a project",
     .example = "aiproj project rename churn-model churn",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_project_rename},
    {.group = "project",
     .verb = "hold",
     .args = ARGS({.d = &A_NAME},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ""}),
     .summary = "put an active project on hold (it cannot move until resumed)",
     .example =
	 "aiproj project hold churn-model --reason 'waiting for data access'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_project_hold},
    {.group = "project",
     .verb = "resume",
     .args = ARGS({.d = &A_NAME}),
     .summary = "make a project on hold active again",
     .example = "aiproj project resume churn-model",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_project_resume},
    {.group = "project",
     .verb = "close",
     .args = ARGS({.d = &A_NAME},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ""}),
     .summary = "close a project for good (its history is kept)",
     .example =
	 "aiproj project close churn-model --reason 'replaced by vendor tool'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_project_close},
    {.group = "project",
     .verb = "delete",
     .args = ARGS({.d = &A_NAME}, {.d = &O_YES, .flags = REF_CONFIRM}),
     .summary = "delete a project and its whole history",
     .example = "aiproj project delete churn-model --yes",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_project_delete},

    {.group = "stage",
     .verb = "list",
     .summary = "list the lifecycle's stages and their RACI",
     .example = "aiproj stage list",
     .formats = ALLF,
     .fn = cmd_stage_list},
    {.group = "stage",
     .verb = "show",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "show the current stage, its gate and who is on the hook",
     .example = "aiproj stage show churn-model",
     .formats = TJ,
     .fn = cmd_stage_show},
    {.group = "stage",
     .verb = "advance",
     .args = ARGS({.d = &A_PROJECT}, {.d = &O_EXPECT}, {.d = &O_REASON},
		  {.d = &O_FORCE}),
     .summary = "move one stage forward when the gate holds (--force --reason "
		"overrides)",
     .example = "aiproj stage advance churn-model --expect feasibility",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_stage_advance},
    {.group = "stage",
     .verb = "back",
     .args = ARGS({.d = &A_PROJECT},
		  {.d = &O_TO,
		   .flags = REF_REQUIRED,
		   .why = ": the earlier stage to jump to",
		   .unless = "breach"},
		  {.d = &O_REASON,
		   .flags = REF_REQUIRED,
		   .why = ": say why the project goes back",
		   .unless = "breach"},
		  {.d = &O_BREACH}, {.d = &O_EXPECT}),
     .summary = "jump back to an earlier stage, reopening its gate and every "
		"later one (--breach: to the lifecycle's on_breach stage)",
     .example =
	 "aiproj stage back churn-model --to proto --reason 'drift in prod'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_stage_back},
    {.group = "stage",
     .verb = "history",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "every transition, oldest first",
     .example = "aiproj stage history churn-model",
     .formats = ALLF,
     .fn = cmd_stage_history},
    {.group = "stage",
     .verb = "due",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_DATE}, {.d = &O_STAGE}),
     .summary = "set the day a stage (the current one by default) is due to "
		"be left",
     .example = "aiproj stage due churn-model 2026-03-31",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_stage_due},
    {.group = "stage",
     .verb = "start",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_STAGE}, {.d = &O_REASON},
		  {.d = &O_EXPECT}),
     .summary = "start a later stage early, once the stage its lifecycle "
		"starts it after is passed",
     .example = "aiproj stage start churn-model prototyping-testing",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_stage_start},
    {.group = "stage",
     .verb = "check",
     .args = ARGS({.d = &A_PROJECT}, {.d = &O_AT_LEAST}, {.d = &O_IS},
		  {.d = &O_STARTED}, {.d = &O_GATE}, {.d = &O_KPIS},
		  {.d = &O_VERIFIED}, {.d = &O_ON_TIME}, {.d = &O_LIVE}),
     .summary =
	 "CI gate: exit 0 when every condition holds, 1 when one does not",
     .example =
	 "aiproj -q stage check churn-model --at-least productization --gate",
     .formats = TJ | FMT_GITHUB,
     .fn = cmd_stage_check},

    {.group = "gate",
     .verb = "show",
     .args = ARGS({.d = &A_PROJECT}, {.d = &O_STAGE}),
     .summary = "the gate's criteria (of the current stage by default)",
     .example = "aiproj gate show churn-model",
     .formats = TJ,
     .fn = cmd_gate_show},
    {.group = "gate",
     .verb = "add",
     .args = ARGS({.d = &A_PROJECT},
		  {.d = &O_STAGE,
		   .flags = REF_REQUIRED,
		   .why = ": the stage whose gate gets the criterion"},
		  {.d = &A_CRITERION}),
     .summary = "add a manual exit criterion to a stage's gate",
     .example =
	 "aiproj gate add churn-model --stage deployment 'On-call rota agreed'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_gate_add},
    {.group = "gate",
     .verb = "done",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_ID, .flags = REF_REPEATS},
		  {.d = &O_NOTE}),
     .summary = "tick manual criteria (all or none)",
     .example = "aiproj gate done churn-model 3 4 --note 'see ADR-12'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_gate_done},
    {.group = "gate",
     .verb = "reopen",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_ID, .flags = REF_REPEATS}),
     .summary = "untick manual criteria (all or none)",
     .example = "aiproj gate reopen churn-model 3",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_gate_reopen},
    {.group = "gate",
     .verb = "approve",
     .args = ARGS({.d = &A_PROJECT}, {.d = &O_NOTE}, {.d = &O_AS}),
     .summary = "approve the current gate, as a person assigned to its "
		"accountable role (--as ROLE: sign it off in that role)",
     .example = "aiproj --actor alice gate approve churn-model",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_gate_approve},

    {.group = "decide",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_DECISION}, {.d = &O_COST},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ": say why"}),
     .summary =
	 "record the make/buy decision (buy: to the lifecycle's on_buy stage,"
	 " or closed as bought)",
     .example = "aiproj decide churn-model make --cost 120000 --reason 'no "
		"vendor fits'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_decide},

    {.group = "note",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_NOTE_TEXT}),
     .summary = "add a comment to a project's history",
     .example = "aiproj note churn-model 'vendor demo on Friday'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_note},
    {.group = "log",
     .args = ARGS({.d = &A_PROJECT, .flags = REF_OPTIONAL | REF_REPEATS},
		  {.d = &O_SINCE}, {.d = &O_UNTIL}),
     .summary = "every event of the projects (all by default), oldest first, "
		"with who and when",
     .example = "aiproj log churn-model --since 2026-01-01",
     .formats = ALLF,
     .fn = cmd_log},
    {.group = "events",
     .args = ARGS({.d = &A_PROJECT, .flags = REF_OPTIONAL | REF_REPEATS},
		  {.d = &O_AFTER_ID}, {.d = &O_FOLLOW}, {.d = &O_LIMIT},
		  {.d = &O_STAGE}, {.d = &O_STATUS}, {.d = &O_PERSON},
		  {.d = &O_ROLE}),
     .summary = "the event feed: the log's events with ids, after --since "
		"ID; --follow waits for more",
     .example = "aiproj --format json events --since 41",
     .formats = ALLF,
     .fn = cmd_events},

    {.group = "kpi",
     .verb = "add",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_NEW_KPI},
		  {.d = &O_TARGET,
		   .flags = REF_REQUIRED,
		   .why = ", e.g. --target '>= 0.8'"}),
     .summary = "define a KPI with its target (OP: >= > <= < ==)",
     .example = "aiproj kpi add churn-model auc --target '>= 0.80'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_kpi_add},
    {.group = "kpi",
     .verb = "record",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_KPI}, {.d = &A_VALUE}),
     .summary = "record a KPI reading",
     .example = "aiproj kpi record churn-model auc 0.83",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_kpi_record},
    {.group = "kpi",
     .verb = "list",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "KPIs with their targets and latest readings",
     .example = "aiproj kpi list churn-model",
     .formats = ALLF,
     .fn = cmd_kpi_list},
    {.group = "kpi",
     .verb = "history",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_KPI_OPT, .flags = REF_OPTIONAL}),
     .summary = "every reading (met, missed or breach) and change of the "
		"KPIs, oldest first",
     .example = "aiproj kpi history churn-model auc",
     .formats = ALLF,
     .fn = cmd_kpi_history},
    {.group = "kpi",
     .verb = "set",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_KPI},
		  {.d = &O_TARGET,
		   .flags = REF_REQUIRED,
		   .why = ", e.g. --target '>= 0.8'"},
		  {.d = &O_REASON}),
     .summary = "change a KPI's target (kept in its history)",
     .example = "aiproj kpi set churn-model auc --target '>= 0.85'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_kpi_set},
    {.group = "kpi",
     .verb = "remove",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_KPI},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ": say why"}),
     .summary = "stop counting a KPI (it keeps its readings and history)",
     .example = "aiproj kpi remove churn-model latency --reason 'not "
		"measured any more'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_kpi_remove},

    {.group = "release",
     .verb = "add",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_VERSION}, {.d = &O_ARTIFACT},
		  {.d = &O_DIGEST}, {.d = &O_COMMIT}, {.d = &O_NOTE}),
     .summary = "record what went live (at the last stage); it supersedes "
		"the live release",
     .example = "aiproj release add churn-model 1.0 --artifact "
		"oci://models/churn:1.0",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_release_add},
    {.group = "release",
     .verb = "list",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "every release of a project, oldest first, and which is live",
     .example = "aiproj release list churn-model",
     .formats = ALLF,
     .fn = cmd_release_list},
    {.group = "release",
     .verb = "retire",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_VERSION},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ": say why"}),
     .summary = "take the live release out of production",
     .example = "aiproj release retire churn-model 1.0 --reason "
		"'replaced by the rules engine'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_release_retire},

    {.group = "role",
     .verb = "list",
     .summary = "the roles, their descriptions and RACI per stage",
     .example = "aiproj role list",
     .formats = TJ,
     .fn = cmd_role_list},
    {.group = "role",
     .verb = "assign",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_ROLE}, {.d = &A_PERSON},
		  {.d = &O_TITLE}),
     .summary = "give a person a role on a project (--title: what they are "
		"in it)",
     .example = "aiproj role assign churn-model sponsor 'Ana Lima' --title "
		"requester",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_role_assign},
    {.group = "role",
     .verb = "unassign",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_ROLE}, {.d = &A_PERSON}),
     .summary = "take a role away",
     .example = "aiproj role unassign churn-model sponsor 'Ana Lima'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_role_unassign},
    {.group = "role",
     .verb = "reassign",
     .args = ARGS({.d = &A_PERSON_FROM}, {.d = &A_PERSON_TO}, {.d = &O_PROJECT},
		  {.d = &O_ROLE}),
     .summary = "give a person's roles (on open projects, or one project or "
		"role) to another",
     .example = "aiproj role reassign 'Ana Lima' 'Bo Chen' --project "
		"churn-model",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_role_reassign},
    {.group = "role",
     .verb = "show",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "who holds which role on a project",
     .example = "aiproj role show churn-model",
     .formats = ALLF,
     .fn = cmd_role_show},

    {.group = "person",
     .verb = "list",
     .summary = "everyone the store knows, with their email, handle and "
		"roles",
     .example = "aiproj person list",
     .formats = ALLF,
     .fn = cmd_person_list},
    {.group = "person",
     .verb = "show",
     .args = ARGS({.d = &A_PERSON_NAME}),
     .summary = "a person's roles, what they are on the hook for now, what "
		"they approved, their history",
     .example = "aiproj person show 'Ana Lima'",
     .formats = TJ,
     .fn = cmd_person_show},
    {.group = "person",
     .verb = "add",
     .args = ARGS({.d = &A_PERSON_NAME}, {.d = &O_EMAIL}, {.d = &O_HANDLE}),
     .summary = "add a person (one whatever the case and spacing of the "
		"name)",
     .example = "aiproj person add 'Ana Lima' --email ana@example.com",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_person_add},
    {.group = "person",
     .verb = "set",
     .args = ARGS({.d = &A_PERSON_NAME}, {.d = &O_EMAIL}, {.d = &O_HANDLE}),
     .summary = "set a person's email or handle ('' clears it)",
     .example = "aiproj person set 'Ana Lima' --handle @ana",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_person_set},
    {.group = "person",
     .verb = "rename",
     .args = ARGS({.d = &A_PERSON_OLD}, {.d = &A_PERSON_NEW}),
     .summary = "rename a person: their roles follow",
     .example = "aiproj person rename 'Ana Lima' 'Ana Lima-Reyes'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_person_rename},
    {.group = "person",
     .verb = "merge",
     .args = ARGS({.d = &A_PERSON_FROM}, {.d = &A_PERSON_INTO}),
     .summary = "make two people one: FROM's roles, names and history go to "
		"INTO",
     .example = "aiproj person merge 'A. Lima' 'Ana Lima'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_person_merge},

    {.group = "component",
     .verb = "add",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_NEW_COMPONENT},
		  {.d = &O_OWNER, .flags = REF_REQUIRED, .why = ""},
		  {.d = &O_DESCRIPTION}, {.d = &O_COMPONENT_VERSION}),
     .summary = "add a product component owned by a role",
     .example =
	 "aiproj component add churn-model feature-store --owner data-engineer",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_component_add},
    {.group = "component",
     .verb = "list",
     .args = ARGS({.d = &A_PROJECT}),
     .summary = "a project's components and owner roles",
     .example = "aiproj component list churn-model",
     .formats = ALLF,
     .fn = cmd_component_list},
    {.group = "component",
     .verb = "remove",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_COMPONENT}),
     .summary = "remove a component",
     .example = "aiproj component remove churn-model feature-store",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_component_remove},
    {.group = "component",
     .verb = "handover",
     .args = ARGS({.d = &A_PROJECT}, {.d = &A_COMPONENT},
		  {.d = &O_TO_ROLE,
		   .flags = REF_REQUIRED,
		   .why = ": the role that owns it next"},
		  {.d = &O_REASON, .flags = REF_REQUIRED, .why = ": say why"}),
     .summary = "hand a component over to another owner role (kept in "
		"history)",
     .example = "aiproj component handover churn-model model --to "
		"data-engineer --reason 'in production'",
     .flags = CMD_WRITE,
     .formats = TJ,
     .fn = cmd_component_handover},

    {.group = "report",
     .verb = "roles",
     .args =
	 ARGS({.d = &A_PROJECT, .flags = REF_OPTIONAL | REF_REPEATS}, FILTERS),
     .summary = "stage x role matrix with the people in each cell, gaps and "
		"components",
     .example = "aiproj report roles churn-model --format markdown",
     .formats = ALLF,
     .fn = cmd_report_roles},
    {.group = "report",
     .verb = "people",
     .args = ARGS(FILTERS, {.d = &O_OVER}, {.d = &O_TOTALS}),
     .summary = "each person's projects and roles, and what they are on the "
		"hook for now",
     .example = "aiproj report people",
     .formats = ALLF,
     .fn = cmd_report_people},
    {.group = "report",
     .verb = "status",
     .args = ARGS(FILTERS),
     .summary = "the portfolio: stage, days in stage, gate progress, "
		"back-jumps, gaps now and later",
     .example = "aiproj report status --sort -days --limit 10",
     .formats = ALLF,
     .fn = cmd_report_status},
    {.group = "report",
     .verb = "gaps",
     .args = ARGS(FILTERS),
     .summary = "every A or R role with nobody, at the current stage and "
		"the ones ahead, soonest first",
     .example = "aiproj report gaps --stage 1 --format csv",
     .formats = ALLF,
     .fn = cmd_report_gaps},
    {.group = "report",
     .verb = "lifecycle",
     .args = ARGS({.d = &A_PROJECT}),
     .summary =
	 "the stage graph with the project's moves forward and back, counted",
     .example = "aiproj report lifecycle churn-model --format mermaid",
     .formats = TJ | FMT_MERMAID | FMT_DOT,
     .fn = cmd_report_lifecycle},
    {.group = "report",
     .verb = "timeline",
     .args = ARGS({.d = &A_PROJECT}),
     .summary =
	 "the project's stage visits: entered, left, days, how (Mermaid gantt)",
     .example = "aiproj report timeline churn-model --format mermaid",
     .formats = ALLF | FMT_MERMAID,
     .fn = cmd_report_timeline},
    {.group = "report",
     .verb = "page",
     .args = ARGS({.d = &O_OUTPUT}, FILTERS),
     .summary =
	 "the portfolio as one self-contained HTML page: board, RACI, charts",
     .example = "aiproj report page -o portfolio.html",
     .formats = FMT_TEXT,
     .fn = cmd_report_page},
    {.group = "report",
     .verb = "flow",
     .args = ARGS({.d = &O_SINCE}, {.d = &O_UNTIL}, {.d = &O_BY}, FILTERS),
     .summary = "flow over time, per stage and per week or month: entries, "
		"exits, back-jumps, median and p90 days, work in progress",
     .example = "aiproj report flow --by week --since 2026-01-05",
     .formats = ALLF,
     .fn = cmd_report_flow},

    {.group = "verify",
     .args = ARGS({.d = &A_PROJECT, .flags = REF_OPTIONAL | REF_REPEATS}),
     .summary = "recompute the hash chains of history, approvals, readings, "
		"KPI changes, releases and audit log: exit 0 when intact, 1 "
		"when a row was changed",
     .example = "aiproj verify churn-model",
     .formats = ALLF,
     .fn = cmd_verify},

    {.group = "export",
     .args = ARGS({.d = &A_PROJECT, .flags = REF_OPTIONAL | REF_REPEATS},
		  {.d = &O_OUTPUT}),
     .summary = "write projects with their whole history as one YAML document",
     .example = "aiproj export -o portfolio.yaml",
     .formats = FMT_TEXT | FMT_YAML | FMT_JSON,
     .fn = cmd_export},

    {.group = "import",
     .args = ARGS({.d = &A_FILE}, {.d = &O_DRY_RUN}, {.d = &O_REPLACE},
		  {.d = &O_REHASH}),
     .summary =
	 "read an export: all or nothing; unchanged projects are skipped",
     .example = "aiproj import portfolio.yaml --dry-run",
     .flags = CMD_WRITE | CMD_CREATES | CMD_BULK,
     .formats = TJ,
     .fn = cmd_import},

    {.group = "copy",
     .args = ARGS({.d = &O_COPY_TO}, {.d = &O_COPY_FROM}, {.d = &O_MERGE},
		  {.d = &O_DRY_RUN}),
     .summary = "copy the whole store to another (--to) or another into it "
		"(--from), SQLite or PostgreSQL: all or nothing",
     .example = "aiproj copy --to postgresql://aiproj@db.example/aiproj",
     .flags = CMD_NOSTORE,
     .formats = TJ,
     .fn = cmd_copy},

    {.group = "hooks",
     .summary = "the hooks folder, each event, and whether its hook would "
		"run",
     .example = "aiproj hooks --hooks ./hooks",
     .flags = CMD_NOSTORE,
     .formats = TJ,
     .fn = cmd_hooks},

    /* for the shell completions in completions/ */
    {.group = "__complete",
     .args = ARGS({.d = &A_LISTING},
		  {.d = &A_WORD, .flags = REF_OPTIONAL | REF_REPEATS},
		  {.d = &O_DESCRIBE}),
     .summary = "list completion candidates, one per line",
     .example = "aiproj __complete next -- stage advance ''",
     .flags = CMD_HIDDEN,
     .formats = FMT_TEXT,
     .fn = cmd_complete},
    {.group = NULL},

};
