/* cli.c - the command table, usage texts and helpers shared by commands. */
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"

#define TJ (FMT_TEXT | FMT_JSON | FMT_YAML)
#define ALLF (TJ | FMT_CSV | FMT_MARKDOWN) /* tables */

static const char *const o_none[] = {NULL};
static const char *const o_init[] = {"policy=", "lifecycle=", NULL};
static const char *const o_create[] = {"description=", NULL};
static const char *const o_plist[] = {"stage=", "all", NULL};
static const char *const o_reason[] = {"reason=", NULL};
static const char *const o_delete[] = {"yes", NULL};
static const char *const o_advance[] = {"expect=", "reason=", "force", NULL};
static const char *const o_back[] = {"to=", "reason=", "expect=", NULL};
static const char *const o_check[] = {"at-least=", "is=", "gate", "kpis", NULL};
static const char *const o_stage[] = {"stage=", NULL};
static const char *const o_note[] = {"note=", NULL};
static const char *const o_decide[] = {"cost=", "reason=", NULL};
static const char *const o_target[] = {"target=", NULL};
static const char *const o_component[] = {"owner=", "description=", NULL};
static const char *const o_all[] = {"all", NULL};
static const char *const o_complete[] = {"describe", NULL};
static const char *const o_export[] = {"o,output=", NULL};
static const char *const o_import[] = {"dry-run", "replace", NULL};


/* Options every command takes, anywhere on the line ("name=" takes a
 * value; "x,name": a short form). */
const char *const global_opts[] = {"db=",     "format=", "actor=",   "q,quiet",
				   "h,help",  "version", "no-color", "wide",
				   "raw-csv", NULL};

const struct command commands[] = {
    {"init", NULL, "[--policy open|roles] [--lifecycle FILE]",
     "create the store (if needed) and print where it is",
     "aiproj init --policy roles", o_init, 0, 0, CMD_WRITE | CMD_CREATES, TJ,
     cmd_init, NULL},
    {"policy", "show", "", "the authorization policy and recent refusals",
     "aiproj policy show", o_none, 0, 0, 0, TJ, cmd_policy_show, NULL},
    {"policy", "set", "open|roles",
     "open: anyone may move projects; roles: only A/R role holders may",
     "aiproj policy set roles", o_none, 1, 1, CMD_WRITE | CMD_CREATES, TJ,
     cmd_policy_set, NULL},

    {"project", "create", "NAME [--description TEXT]",
     "start a project at the first stage with the default criteria",
     "aiproj project create churn-model --description 'Predict churn'",
     o_create, 1, 1, CMD_WRITE | CMD_CREATES, TJ, cmd_project_create, "N"},
    {"project", "list", "[--stage STAGE] [--all]",
     "list projects (closed ones only with --all)",
     "aiproj project list --stage productization", o_plist, 0, 0, 0, ALLF,
     cmd_project_list, NULL},
    {"project", "show", "NAME", "show a project: status, stage, people, KPIs",
     "aiproj project show churn-model", o_none, 1, 1, 0, TJ, cmd_project_show,
     NULL},
    {"project", "rename", "OLD NEW", "rename a project",
     "aiproj project rename churn-model churn", o_none, 2, 2, CMD_WRITE, TJ,
     cmd_project_rename, "-N"},
    {"project", "hold", "NAME --reason TEXT",
     "put an active project on hold (it cannot move until resumed)",
     "aiproj project hold churn-model --reason 'waiting for data access'",
     o_reason, 1, 1, CMD_WRITE, TJ, cmd_project_hold, NULL},
    {"project", "resume", "NAME", "make a project on hold active again",
     "aiproj project resume churn-model", o_none, 1, 1, CMD_WRITE, TJ,
     cmd_project_resume, NULL},
    {"project", "close", "NAME --reason TEXT",
     "close a project for good (its history is kept)",
     "aiproj project close churn-model --reason 'replaced by vendor tool'",
     o_reason, 1, 1, CMD_WRITE, TJ, cmd_project_close, NULL},
    {"project", "delete", "NAME --yes",
     "delete a project and its whole history",
     "aiproj project delete churn-model --yes", o_delete, 1, 1, CMD_WRITE, TJ,
     cmd_project_delete, NULL},

    {"stage", "list", "", "list the lifecycle's stages and their RACI",
     "aiproj stage list", o_none, 0, 0, 0, ALLF, cmd_stage_list, NULL},
    {"stage", "show", "PROJECT",
     "show the current stage, its gate and who is on the hook",
     "aiproj stage show churn-model", o_none, 1, 1, 0, TJ, cmd_stage_show,
     NULL},
    {"stage", "advance", "PROJECT [--expect STAGE] [--reason TEXT] [--force]",
     "move one stage forward when the gate holds (--force --reason overrides)",
     "aiproj stage advance churn-model --expect feasibility", o_advance, 1, 1,
     CMD_WRITE, TJ, cmd_stage_advance, NULL},
    {"stage", "back", "PROJECT --to STAGE --reason TEXT [--expect STAGE]",
     "jump back to an earlier stage, reopening its gate and every later one",
     "aiproj stage back churn-model --to proto --reason 'drift in prod'",
     o_back, 1, 1, CMD_WRITE, TJ, cmd_stage_back, NULL},
    {"stage", "history", "PROJECT", "every transition, oldest first",
     "aiproj stage history churn-model", o_none, 1, 1, 0, ALLF,
     cmd_stage_history, NULL},
    {"stage", "check",
     "PROJECT [--at-least STAGE] [--is STAGE] [--gate] "
     "[--kpis]",
     "CI gate: exit 0 when every condition holds, 1 when one does not",
     "aiproj -q stage check churn-model --at-least productization --gate",
     o_check, 1, 1, 0, TJ | FMT_GITHUB, cmd_stage_check, NULL},

    {"gate", "show", "PROJECT [--stage STAGE]",
     "the gate's criteria (of the current stage by default)",
     "aiproj gate show churn-model", o_stage, 1, 1, 0, TJ, cmd_gate_show, NULL},
    {"gate", "add", "PROJECT --stage STAGE TEXT",
     "add a manual exit criterion to a stage's gate",
     "aiproj gate add churn-model --stage deployment 'On-call rota agreed'",
     o_stage, 2, 2, CMD_WRITE, TJ, cmd_gate_add, "-T"},
    {"gate", "done", "PROJECT ID [--note TEXT]", "tick a manual criterion",
     "aiproj gate done churn-model 3 --note 'see ADR-12'", o_note, 2, 2,
     CMD_WRITE, TJ, cmd_gate_done, "-i"},
    {"gate", "reopen", "PROJECT ID", "untick a manual criterion",
     "aiproj gate reopen churn-model 3", o_none, 2, 2, CMD_WRITE, TJ,
     cmd_gate_reopen, "-i"},
    {"gate", "approve", "PROJECT [--note TEXT]",
     "approve the current gate, as a person assigned to its accountable role",
     "aiproj --actor alice gate approve churn-model", o_note, 1, 1, CMD_WRITE,
     TJ, cmd_gate_approve, NULL},

    {"decide", NULL, "PROJECT make|buy [--cost AMOUNT] --reason TEXT",
     "record the make/buy decision (buy closes the project as bought)",
     "aiproj decide churn-model make --cost 120000 --reason 'no vendor fits'",
     o_decide, 2, 2, CMD_WRITE, TJ, cmd_decide, NULL},

    {"kpi", "add", "PROJECT NAME --target 'OP NUMBER'",
     "define a KPI with its target (OP: >= > <= < ==)",
     "aiproj kpi add churn-model auc --target '>= 0.80'", o_target, 2, 2,
     CMD_WRITE, TJ, cmd_kpi_add, "-K"},
    {"kpi", "record", "PROJECT NAME VALUE", "record a KPI reading",
     "aiproj kpi record churn-model auc 0.83", o_none, 3, 3, CMD_WRITE, TJ,
     cmd_kpi_record, "--v"},
    {"kpi", "list", "PROJECT", "KPIs with their targets and latest readings",
     "aiproj kpi list churn-model", o_none, 1, 1, 0, ALLF, cmd_kpi_list, NULL},

    {"role", "list", "", "the roles, their descriptions and RACI per stage",
     "aiproj role list", o_none, 0, 0, 0, TJ, cmd_role_list, NULL},
    {"role", "assign", "PROJECT ROLE PERSON",
     "give a person a role on a project",
     "aiproj role assign churn-model sponsor 'Ana Lima'", o_none, 3, 3,
     CMD_WRITE, TJ, cmd_role_assign, "--P"},
    {"role", "unassign", "PROJECT ROLE PERSON", "take a role away",
     "aiproj role unassign churn-model sponsor 'Ana Lima'", o_none, 3, 3,
     CMD_WRITE, TJ, cmd_role_unassign, "--P"},
    {"role", "show", "PROJECT", "who holds which role on a project",
     "aiproj role show churn-model", o_none, 1, 1, 0, ALLF, cmd_role_show,
     NULL},

    {"component", "add", "PROJECT NAME --owner ROLE [--description TEXT]",
     "add a product component owned by a role",
     "aiproj component add churn-model feature-store --owner data-engineer",
     o_component, 2, 2, CMD_WRITE, TJ, cmd_component_add, "-C"},
    {"component", "list", "PROJECT", "a project's components and owner roles",
     "aiproj component list churn-model", o_none, 1, 1, 0, ALLF,
     cmd_component_list, NULL},

    {"component", "remove", "PROJECT NAME", "remove a component",
     "aiproj component remove churn-model feature-store", o_none, 2, 2,
     CMD_WRITE, TJ, cmd_component_remove, "-C"},

    {"report", "roles", "[PROJECT...] [--all]",
     "stage x role matrix with the people in each cell, gaps and components",
     "aiproj report roles churn-model --format markdown", o_all, 0, -1, 0, ALLF,
     cmd_report_roles, NULL},
    {"report", "people", "[--all]",
     "each person's projects and roles, and what they are on the hook for now",
     "aiproj report people", o_all, 0, 0, 0, ALLF, cmd_report_people, NULL},
    {"report", "status", "[--all]",
     "the portfolio: stage, days in stage, gate progress, back-jumps, gaps",
     "aiproj report status --format csv", o_all, 0, 0, 0, ALLF,
     cmd_report_status, NULL},
    {"report", "lifecycle", "PROJECT",
     "the stage graph with the project's moves forward and back, counted",
     "aiproj report lifecycle churn-model --format mermaid", o_none, 1, 1, 0,
     TJ | FMT_MERMAID | FMT_DOT, cmd_report_lifecycle, NULL},
    {"report", "timeline", "PROJECT",
     "the project's stage visits: entered, left, days, how (Mermaid gantt)",
     "aiproj report timeline churn-model --format mermaid", o_none, 1, 1, 0,
     ALLF | FMT_MERMAID, cmd_report_timeline, NULL},
    {"report", "page", "[-o FILE.html]",
     "the portfolio as one self-contained HTML page: board, RACI, charts",
     "aiproj report page -o portfolio.html", o_export, 0, 0, 0, FMT_TEXT,
     cmd_report_page, NULL},

    {"export", NULL, "[PROJECT...] [-o FILE]",
     "write projects with their whole history as one YAML document",
     "aiproj export -o portfolio.yaml", o_export, 0, -1, 0,
     FMT_TEXT | FMT_YAML | FMT_JSON, cmd_export, NULL},
    {"import", NULL, "FILE [--dry-run] [--replace]",
     "read an export: all or nothing; unchanged projects are skipped",
     "aiproj import portfolio.yaml --dry-run", o_import, 1, 1,
     CMD_WRITE | CMD_CREATES, TJ, cmd_import, NULL},

    /* for the shell completions in completions/ */
    {"__complete", NULL,
     "commands|verbs|options|formats|stages|roles|"
     "projects|next [WORD...] [--describe]",
     "list completion candidates, one per line",
     "aiproj __complete next -- stage advance ''", o_complete, 1, -1,
     CMD_HIDDEN, FMT_TEXT, cmd_complete, NULL},

    {NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL},
};

const struct command *
command_find(const char *group, const char *verb)
{
	for (const struct command *k = commands; k->group; k++) {
		if (strcmp(k->group, group) != 0)
			continue;
		if (!verb ? !k->verb : (k->verb && !strcmp(k->verb, verb)))
			return k;
	}
	return NULL;
}

const struct command *
command_group(const char *group)
{
	for (const struct command *k = commands; k->group; k++)
		if (k->verb && strcmp(k->group, group) == 0)
			return k;
	return NULL;
}

static void
words(char *buf, size_t len, const struct command *k)
{
	snprintf(buf, len, "%s%s%s", k->group, k->verb ? " " : "",
		 k->verb ? k->verb : "");
}

void
usage_all(FILE *f)
{
	char w[64];

	fputs("usage: aiproj [--db PATH] [--format FMT] [--actor NAME] [-q]"
	      " COMMAND [ARGS]\n\n"
	      "Track AI projects through their lifecycle: stages, gates, roles,"
	      " decisions,\nKPIs and the full history of transitions.\n\n"
	      "Commands:\n",
	      f);
	for (const struct command *k = commands; k->group; k++) {
		if (k->flags & CMD_HIDDEN)
			continue;
		words(w, sizeof(w), k);
		fprintf(f, "  %-18s ", w);
		text_wrap(f, k->summary, 21, 21);
		fputc('\n', f);
	}
	fputs(
	    "\nGlobal options:\n"
	    "  --db PATH       the store (default: $AIPROJ_DB, else\n"
	    "                  $XDG_DATA_HOME/aiproj/aiproj.db or\n"
	    "                  ~/.local/share/aiproj/aiproj.db)\n"
	    "  --format FMT    text (default), json or yaml; tables also csv"
	    " and markdown\n"
	    "  --actor NAME    who acts (default: $AIPROJ_ACTOR, else the"
	    " login name)\n"
	    "  -q, --quiet     print no results (errors still go to stderr)\n"
	    "  --no-color      no colour even on a terminal (also NO_COLOR)\n"
	    "  --wide          text without a width limit (else $COLUMNS, or "
	    "80)\n"
	    "  --raw-csv       CSV cells as they are (else ' before = + - @)\n"
	    "  -h, --help      help; 'aiproj help COMMAND' for one command\n"
	    "  --version       print the version\n\n"
	    "Exit status: 0 ok, 1 check does not hold, 2 usage, 3 not found,"
	    "\n4 refused by the lifecycle, 5 conflict, 6 bad input file, 7"
	    " store error,\n8 unavailable, try again (store busy, server"
	    " unreachable).\nSee aiproj(1).\n",
	    f);
}

void
usage_group(FILE *f, const char *group)
{
	char w[64];

	fprintf(f, "usage: aiproj %s COMMAND [ARGS]\n\n", group);
	for (const struct command *k = commands; k->group; k++)
		if (strcmp(k->group, group) == 0) {
			words(w, sizeof(w), k);
			fprintf(f, "  aiproj %s%s", w, *k->usage ? " " : "");
			text_wrap(f, k->usage, 10 + (int)strlen(w), 10);
			fputs("\n      ", f);
			text_wrap(f, k->summary, 6, 6);
			fputc('\n', f);
		}
	fprintf(f, "\nRun 'aiproj %s COMMAND --help' for more.\n", group);
}

static int
takes_option(const struct command *k, const char *opt)
{
	for (const char *const *o = k->opts; o && *o; o++)
		if (strcmp(*o, opt) == 0)
			return 1;
	return 0;
}

void
usage_cmd(FILE *f, const struct command *k)
{
	char w[64];

	words(w, sizeof(w), k);
	fprintf(f, "usage: aiproj %s%s", w, *k->usage ? " " : "");
	text_wrap(f, k->usage, 14 + (int)strlen(w) + (*k->usage ? 1 : 0), 8);
	fputs("\n\n", f);
	text_wrap(f, k->summary, 0, 0);
	fprintf(f, "\n\nexample:\n  %s\n", k->example);
	fputs("\nformats:", f);
	for (int bit = 1; bit > 0 && strcmp(format_name(bit), "?") != 0;
	     bit <<= 1)
		if (k->formats & bit)
			fprintf(f, " %s", format_name(bit));
	fputs("\nglobal options: --db PATH --format FMT --actor NAME -q\n", f);
	if ((k->argtypes && strpbrk(k->argtypes, "iv")) ||
	    takes_option(k, "cost=") || takes_option(k, "target="))
		fputs("numbers: see \"Numbers\" in aiproj(1)\n", f);
}

const char *
stage_slug(const struct cli *c, int idx)
{
	return c->lc.stages[idx].slug;
}

/* ---- project state for the engine ---- */

struct load_ctx {
	struct cli *c;
	struct pstate *ps;
};

static const struct ap_error *
on_assignment(void *arg, const struct store_assignment *a)
{
	struct load_ctx *l = arg;
	struct pstate *ps = l->ps;
	struct pstate_person *p;
	int r = lifecycle_role(&l->c->lc, a->role);

	if (r < 0)
		return NULL; /* a role the lifecycle no longer has */
	p = realloc(ps->people, (ps->npeople + 1) * sizeof(*p));
	if (!p)
		return ap_error_nomem();
	ps->people = p;
	p = &ps->people[ps->npeople];
	if (!(p->person = strdup(a->person)))
		return ap_error_nomem();
	p->role = r;
	ps->npeople++;
	ps->e.staffed[r]++;
	return NULL;
}

static const struct ap_error *
on_criterion(void *arg, const struct store_criterion *c)
{
	struct pstate *ps = ((struct load_ctx *)arg)->ps;
	struct eng_criterion *cr;
	char **own, *text;

	cr = realloc(ps->crit, (ps->ncrit + 1) * sizeof(*cr));
	if (!cr)
		return ap_error_nomem();
	ps->crit = cr;
	own = realloc(ps->owned, (ps->nowned + 1) * sizeof(*own));
	if (!own)
		return ap_error_nomem();
	ps->owned = own;
	if (!(text = strdup(c->text)))
		return ap_error_nomem();
	ps->owned[ps->nowned++] = text;
	cr[ps->ncrit].id = (long)c->id;
	cr[ps->ncrit].text = text;
	cr[ps->ncrit].done = c->done;
	ps->ncrit++;
	return NULL;
}

static const struct ap_error *
on_decision(void *arg, const struct store_decision *d)
{
	struct pstate *ps = ((struct load_ctx *)arg)->ps;

	ps->e.decision = strcmp(d->kind, "make") == 0 ? DK_MAKE : DK_BUY;
	ps->e.has_cost = d->has_cost;
	return NULL;
}

static const struct ap_error *
on_kpi(void *arg, const struct store_kpi *k)
{
	(void)k;
	((struct load_ctx *)arg)->ps->e.kpis++;
	return NULL;
}

const struct ap_error *
pstate_load(struct cli *c, const char *name, int stage, struct pstate *ps)
{
	const struct ap_error *err;
	struct load_ctx l = {c, ps};
	int cur;

	memset(ps, 0, sizeof(*ps));
	if ((err = store_project_get(c->store, name, &ps->p)))
		return err;
	if ((cur = lifecycle_stage_slug(&c->lc, ps->p.stage)) < 0) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "project '%s' is at stage '%s', which the"
				   " store's lifecycle does not have",
				   name, ps->p.stage);
		goto fail;
	}
	ps->e.name = ps->p.name;
	ps->e.status = proj_status_parse(ps->p.status);
	ps->e.stage = cur;
	if (stage < 0)
		stage = cur;
	if ((err = store_assignments(c->store, ps->p.id, on_assignment, &l)) ||
	    (err = store_criteria(c->store, ps->p.id, c->lc.stages[stage].slug,
				  on_criterion, &l)) ||
	    (err =
		 store_decision_latest(c->store, ps->p.id, on_decision, &l)) ||
	    (err = store_kpis(c->store, ps->p.id, on_kpi, &l)))
		goto fail;
	/*
	 * An approval counts when given since the stage was last entered: for
	 * the current stage, in this epoch; for a passed stage, since the last
	 * move into it; a later stage has not been passed since it was
	 * reopened (or ever).
	 */
	if (stage <= cur) {
		int64_t since = ps->p.epoch;
		if (stage < cur &&
		    (err = store_stage_entry_epoch(
			 c->store, ps->p.id, c->lc.stages[stage].slug, &since)))
			goto fail;
		if ((err = store_approval_count(c->store, ps->p.id,
						c->lc.stages[stage].slug, since,
						&ps->e.approvals)))
			goto fail;
	}
	ps->e.criteria = ps->crit;
	ps->e.ncriteria = ps->ncrit;
	return NULL;
fail:
	pstate_free(ps);
	return err;
}

void
pstate_free(struct pstate *ps)
{
	store_project_clear(&ps->p);
	for (size_t i = 0; i < ps->nowned; i++)
		free(ps->owned[i]);
	free(ps->owned);
	free(ps->crit);
	for (size_t i = 0; i < ps->npeople; i++)
		free(ps->people[i].person);
	free(ps->people);
	memset(ps, 0, sizeof(*ps));
}

int
pstate_holds(const struct pstate *ps, int role, const char *person)
{
	for (size_t i = 0; i < ps->npeople; i++)
		if (ps->people[i].role == role &&
		    strcmp(ps->people[i].person, person) == 0)
			return 1;
	return 0;
}

const struct ap_error *
prevalidate(const struct command *cmd, const struct args *a)
{
	static const char *const texts[] = {"reason", "description", "note",
					    NULL};
	const struct ap_error *err = NULL;
	const char *v;
	double num;
	int op;

	for (int i = 0;
	     cmd->argtypes && cmd->argtypes[i] && i < a->npos && !err; i++) {
		const char *s = a->pos[i];
		switch (cmd->argtypes[i]) {
		case 'N': err = valid_name("project", s); break;
		case 'K': err = valid_name("KPI", s); break;
		case 'C': err = valid_name("component", s); break;
		case 'P': err = valid_person(s); break;
		case 'T': err = valid_text("criterion text", s, 1); break;
		case 'v': err = parse_number("KPI value", s, &num); break;
		case 'i': {
			long long id;
			err = parse_whole("criterion id", s, 1, ID_MAX, &id);
			break;
		}
		}
	}
	for (int i = 0; texts[i] && !err; i++)
		if ((v = opt_val(a, texts[i])))
			err = valid_text(texts[i], v,
					 strcmp(texts[i], "reason") == 0);
	if (!err && (v = opt_val(a, "cost")) &&
	    !(err = parse_number("cost", v, &num)) && num < 0)
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "invalid cost '%s': it cannot be negative",
				   shown(v));
	if (!err && (v = opt_val(a, "target")))
		err = kpi_parse_target(v, &op, &num);
	if (!err && (v = opt_val(a, "lifecycle"))) {
		/* a bad lifecycle file must not leave a new store behind */
		struct lifecycle lc;
		char *buf;
		size_t len;
		if (!(err = read_input(v, &buf, &len))) {
			if (!(err = lifecycle_parse(buf, len, v, &lc)))
				lifecycle_free(&lc);
			free(buf);
		}
	}
	return err;
}

const struct ap_error *
check_policy(struct cli *c, const struct pstate *ps, int action)
{
	unsigned char held[LC_MAX_ROLES] = {0};
	const struct ap_error *err;

	if (!c->policy_roles)
		return NULL;
	for (size_t i = 0; i < ps->npeople; i++)
		if (strcmp(ps->people[i].person, c->actor) == 0)
			held[ps->people[i].role] = 1;
	if ((err = eng_check_policy(&c->lc, &ps->e, c->actor, held, action))) {
		c->refused = 1;
		snprintf(c->refused_action, sizeof(c->refused_action), "%s",
			 policy_action_name(action));
		snprintf(c->refused_project, sizeof(c->refused_project), "%s",
			 ps->p.name);
		snprintf(c->refused_stage, sizeof(c->refused_stage), "%s",
			 ps->p.stage);
		snprintf(c->refused_detail, sizeof(c->refused_detail), "%s",
			 err->msg);
	}
	return err;
}

const struct ap_error *
check_not_closed(const struct store_project *p, const char *doing)
{
	if (strcmp(p->status, "closed") != 0)
		return NULL;
	return ap_error_fmt(AP_EXIT_REFUSED,
			    "cannot %s: project '%s' is closed", doing,
			    p->name);
}

const struct ap_error *
parse_number(const char *what, const char *s, double *v)
{
	return parse_decimal(what, s, v);
}

void
out_doc(struct cli *c, struct jw *w)
{
	if (c->format == FMT_YAML)
		jw_init_yaml(w, c->out);
	else
		jw_init(w, c->out);
	jw_doc(w);
}

/* ---- gate output ---- */

void
out_gate_text(struct cli *c, const struct gate *g)
{
	FILE *f = c->out;
	int w = 2;

	for (size_t i = 0; i < g->n; i++)
		if ((int)strlen(g->items[i].id) > w)
			w = (int)strlen(g->items[i].id);
	fprintf(f, "Gate of %s: %zu of %zu met%s\n", stage_slug(c, g->stage),
		g->met, g->n, g->passed ? ", passes" : "");
	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->items[i];
		const char *on = "", *off = "";
		if (c->color) {
			on = it->done ? "\033[32m" : "\033[31m";
			off = "\033[0m";
		}
		fprintf(f, "  %s[%s]%s %-*s  ", on, it->done ? "x" : " ", off,
			w, it->id);
		text_wrap(f, it->text, w + 8, w + 8);
		fputc('\n', f);
		if (!it->done && it->hint) {
			/* continued at 7 columns: a long project name fits */
			fprintf(f, "      %*s  -> ", w, "");
			text_wrap(f, it->hint, w + 11, 7);
			fputc('\n', f);
		}
	}
}

void
out_gate_json(struct cli *c, struct jw *w, const struct gate *g)
{
	(void)c;
	jw_kbool(w, "passed", g->passed);
	jw_kint(w, "met", (int64_t)g->met);
	jw_kint(w, "total", (int64_t)g->n);
	jw_key(w, "criteria");
	jw_arr(w);
	for (size_t i = 0; i < g->n; i++) {
		const struct gate_item *it = &g->items[i];
		jw_obj(w);
		jw_kstr(w, "id", it->id);
		jw_kstr(w, "kind", gate_kind_name(it->kind));
		jw_kstr(w, "text", it->text);
		jw_kbool(w, "done", it->done);
		jw_kstr(w, "hint", it->hint);
		jw_end(w);
	}
	jw_end(w);
}

const struct ap_error *
policy_parse(const char *v)
{
	if (strcmp(v, "open") == 0 || strcmp(v, "roles") == 0)
		return NULL;
	return ap_error_fmt(AP_EXIT_USAGE,
			    "invalid policy '%s': expected open or roles",
			    shown(v));
}
