/*
 * cmd_report_people.c - report people: each person's projects and roles,
 * and what they are on the hook for now (accountable or responsible for a
 * project's current stage); --totals, a row a person; --over N, only those
 * on the hook for more than N.  One person in memory at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct people_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	char *person; /* the person being written */
	int rows, persons;
	/* --over N: each person's rows are held until their count on the
	 * hook is known (-1: no --over) */
	long long over;
	struct store_people_row *held;
	size_t nheld, cap;
	int hooks;       /* projects the person held is on the hook for */
	char *hook_last; /* the last of them counted */
	/* --totals: the person's counts so far (person: p->person) */
	int totals;
	char *last;                      /* the person's last project */
	int projects, acc, resp, hooked; /* --totals: projects, each once */
	int last_acc, last_resp;         /* counted for p->last already */
};

/* RACI of `role` at the project's current stage, or -1. */
static int
raci_now(const struct cli *c, const char *stage, const char *role)
{
	int s = lifecycle_stage_slug(&c->lc, stage);
	int r = lifecycle_role(&c->lc, role);

	return s < 0 || r < 0 ? -1 : c->lc.stages[s].raci[r];
}

/* One assignment of a person, as report people shows it. */
struct people_line {
	const struct store_people_row *row;
	int raci, hook, sole, first;
	const char *rl; /* the RACI letter now, or "-" */
};

static void
people_json(struct people_ctx *p, const struct people_line *l)
{
	const struct store_people_row *row = l->row;

	if (l->first) {
		if (p->persons > 1)
			jw_end(&p->w), jw_end(&p->w);
		jw_obj(&p->w);
		jw_kstr(&p->w, "person", row->person);
		jw_key(&p->w, "assignments");
		jw_arr(&p->w);
	}
	jw_obj(&p->w);
	jw_kstr(&p->w, "project", row->project);
	jw_kstr(&p->w, "status", proj_status_name(row->status));
	jw_kstr(&p->w, "role", row->role);
	jw_kstr(&p->w, "stage", row->stage);
	jw_kstr(&p->w, "raci_now", l->rl);
	jw_kbool(&p->w, "on_the_hook", l->hook);
	jw_kbool(&p->w, "sole", l->sole);
	if (row->title)
		jw_kstr(&p->w, "title", row->title);
	jw_end(&p->w);
}

static void
people_csv(FILE *out, const struct people_line *l)
{
	const struct store_people_row *row = l->row;

	csv_field(out, row->person, 0);
	csv_field(out, row->project, 0);
	csv_field(out, proj_status_name(row->status), 0);
	csv_field(out, row->role, 0);
	csv_field(out, row->stage, 0);
	csv_field(out, l->rl, 0);
	csv_field(out, l->hook ? "yes" : "no", 0);
	csv_field(out, l->sole ? "yes" : "no", 1);
}

static void
people_md(FILE *out, const struct people_line *l)
{
	const struct store_people_row *row = l->row;
	char now[48];
	struct sbuf role = {0};

	person_titled(&role, row->role, row->title);
	md_cell(out, l->first ? row->person : "");
	md_cell(out, row->project);
	md_cell(out, role.s ? role.s : row->role);
	sbuf_free(&role);
	md_cell(out, row->stage);
	snprintf(now, sizeof(now), "%s%s%s", l->hook ? "**" : "",
		 l->hook ? (l->raci == RACI_A ? "accountable" : "responsible")
			 : l->rl,
		 l->hook ? (l->sole ? "** (sole)" : "**") : "");
	md_cell(out, now);
	fputs("|\n", out);
}

static void
people_text(struct people_ctx *p, const struct people_line *l)
{
	const struct store_people_row *row = l->row;
	char now[128];
	struct sbuf role = {0};

	if (l->hook)
		snprintf(now, sizeof(now), "%s %s%s", l->rl, row->stage,
			 l->sole ? " (sole)" : "");
	else
		snprintf(now, sizeof(now), "-");
	person_titled(&role, row->role, row->title);
	const char *cells[] = {l->first ? row->person : "", row->project,
			       role.s ? role.s : row->role, now};
	table_row(&p->t, cells);
	sbuf_free(&role);
}

static const struct ap_error *
write_people_row(void *arg, const struct store_people_row *row)
{
	struct people_ctx *p = arg;
	struct cli *c = p->c;
	struct people_line l = {.row = row};

	l.raci = raci_now(c, row->stage, row->role);
	l.hook = eng_holder_on_hook(l.raci, row->status);
	l.sole = l.hook && row->holders == 1;
	l.first = !p->person || strcmp(p->person, row->person) != 0;
	l.rl = l.raci >= 0 ? raci_letter(l.raci) : "-";
	if (l.first) {
		free(p->person);
		if (!(p->person = strdup(row->person)))
			return ap_error_nomem();
		p->persons++;
	}
	switch (c->format) {
	case FMT_JSON:
	case FMT_YAML: people_json(p, &l); break;
	case FMT_CSV: people_csv(c->out, &l); break;
	case FMT_MARKDOWN: people_md(c->out, &l); break;
	default: people_text(p, &l);
	}
	p->rows++;
	return NULL;
}

static void
people_held_free(struct people_ctx *p)
{
	for (size_t i = 0; i < p->nheld; i++) {
		free((char *)p->held[i].person);
		free((char *)p->held[i].project);
		free((char *)p->held[i].stage);
		free((char *)p->held[i].role);
		free((char *)p->held[i].title);
	}
	p->nheld = 0;
	p->hooks = 0;
	free(p->hook_last);
	p->hook_last = NULL;
}

/* --over: the rows of the person held, written when they are on the hook
 * for more than N. */
static const struct ap_error *
people_flush(struct people_ctx *p)
{
	const struct ap_error *err = NULL;

	for (size_t i = 0; i < p->nheld && !err && p->hooks > p->over; i++)
		err = write_people_row(p, &p->held[i]);
	people_held_free(p);
	return err;
}

/* ---- --totals: a row a person ---- */

/* The person's totals, written when they are on the hook for more than
 * --over (or always, without it); then the counts start again. */
static void
totals_flush(struct people_ctx *p)
{
	struct cli *c = p->c;
	char n[4][24];

	if (p->person && (p->over < 0 || p->hooked > p->over)) {
		snprintf(n[0], sizeof(n[0]), "%d", p->projects);
		snprintf(n[1], sizeof(n[1]), "%d", p->acc);
		snprintf(n[2], sizeof(n[2]), "%d", p->resp);
		snprintf(n[3], sizeof(n[3]), "%d", p->hooked);
		if (c->format & (FMT_JSON | FMT_YAML)) {
			jw_obj(&p->w);
			jw_kstr(&p->w, "person", p->person);
			jw_kint(&p->w, "projects", p->projects);
			jw_kint(&p->w, "accountable", p->acc);
			jw_kint(&p->w, "responsible", p->resp);
			jw_kint(&p->w, "on_the_hook", p->hooked);
			jw_end(&p->w);
		} else if (c->format == FMT_CSV) {
			csv_field(c->out, p->person, 0);
			for (int i = 0; i < 4; i++)
				csv_field(c->out, n[i], i == 3);
		} else if (c->format == FMT_MARKDOWN) {
			md_cell(c->out, p->person);
			for (int i = 0; i < 4; i++)
				md_cell(c->out, n[i]);
			fputs("|\n", c->out);
		} else {
			const char *cells[] = {p->person, n[0], n[1], n[2],
					       n[3]};
			table_row(&p->t, cells);
		}
		p->rows++;
	}
	free(p->person);
	free(p->last);
	p->person = p->last = NULL;
	p->projects = p->acc = p->resp = p->hooked = 0;
	p->last_acc = p->last_resp = 0;
}

static const struct ap_error *
totals_row(struct people_ctx *p, const struct store_people_row *row)
{
	int raci = raci_now(p->c, row->stage, row->role);

	if (p->person && strcmp(p->person, row->person) != 0)
		totals_flush(p);
	if (!p->person && !(p->person = strdup(row->person)))
		return ap_error_nomem();
	/* (a person's rows come project by project) */
	if (!p->last || strcmp(p->last, row->project) != 0) {
		free(p->last);
		if (!(p->last = strdup(row->project)))
			return ap_error_nomem();
		p->projects++;
		p->last_acc = p->last_resp = 0;
	}
	/* a project counts once in each column, whatever roles the person
	 * holds there: accountable, responsible, on the hook (either) */
	if (eng_holder_on_hook(raci, row->status)) {
		if (!p->last_acc && !p->last_resp)
			p->hooked++;
		if (raci == RACI_A && !p->last_acc)
			p->acc++, p->last_acc = 1;
		else if (raci != RACI_A && !p->last_resp)
			p->resp++, p->last_resp = 1;
	}
	return NULL;
}

static const struct ap_error *
on_people_row(void *arg, const struct store_people_row *row)
{
	struct people_ctx *p = arg;
	struct store_people_row *h;

	if (p->totals)
		return totals_row(p, row);
	if (p->over < 0)
		return write_people_row(arg, row);
	if (p->nheld && strcmp(p->held[0].person, row->person) != 0) {
		const struct ap_error *err = people_flush(p);
		if (err)
			return err;
	}
	if (p->nheld == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 16;
		if (!(h = realloc(p->held, cap * sizeof(*h))))
			return ap_error_nomem();
		p->held = h;
		p->cap = cap;
	}
	h = &p->held[p->nheld++];
	*h = *row;
	h->person = strdup(row->person);
	h->project = strdup(row->project);
	h->stage = strdup(row->stage);
	h->role = strdup(row->role);
	h->title = row->title ? strdup(row->title) : NULL;
	if (!h->person || !h->project || !h->stage || !h->role ||
	    (row->title && !h->title))
		return ap_error_nomem();
	/* on the hook for a project once, whatever its roles there (a
	 * person's rows come project by project) */
	if (eng_holder_on_hook(raci_now(p->c, row->stage, row->role),
			       row->status) &&
	    (!p->hook_last || strcmp(p->hook_last, row->project) != 0)) {
		free(p->hook_last);
		if (!(p->hook_last = strdup(row->project)))
			return ap_error_nomem();
		p->hooks++;
	}
	return NULL;
}

/* The head of --totals in text, CSV and markdown. */
static void
people_totals_head(struct people_ctx *p)
{
	static const char *const head[] = {"PERSON", "PROJECTS", "ACCOUNTABLE",
					   "RESPONSIBLE", "ON THE HOOK"};

	if (p->c->format == FMT_CSV)
		fputs("person,projects,accountable,responsible,on_the_hook\r\n",
		      p->c->out);
	else if (p->c->format == FMT_MARKDOWN)
		fputs(
		    "| Person | Projects | Accountable now | Responsible now |"
		    " On the hook |\n|---|---|---|---|---|\n",
		    p->c->out);
	else {
		table_begin(&p->t, p->c->out, p->c->format, 5, head, NULL);
		table_keep(&p->t, TABLE_COL(0)); /* the person */
	}
}

const struct ap_error *
cmd_report_people(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct people_ctx p = {
	    .c = c, .over = -1, .totals = opt_has(a, "totals")};
	struct cli_filter cf;
	const char *over = opt_val(a, "over");

	if (over && (err = parse_whole("count", over, 0, 1000000000, &p.over)))
		return err;
	if ((err = filter_from_args(c, a, 0, &cf)))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &p.w);
		jw_key(&p.w, "people");
		jw_arr(&p.w);
	} else if (p.totals) {
		people_totals_head(&p);
	} else if (c->format == FMT_CSV) {
		fputs("person,project,status,role,stage,raci_now,on_the_hook,"
		      "sole\r\n",
		      c->out);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| Person | Project | Role | Stage now | On the hook |\n"
		      "|---|---|---|---|---|\n",
		      c->out);
	} else {
		static const char *const head[] = {"PERSON", "PROJECT", "ROLE",
						   "ON THE HOOK NOW"};
		table_begin(&p.t, c->out, c->format, 4, head, NULL);
		table_keep(&p.t, TABLE_COL(0)); /* the person */
	}
	err = store_report_people_where(c->store, &cf.f, on_people_row, &p);
	if (!err && p.totals)
		totals_flush(&p);
	else if (!err)
		err = people_flush(&p);
	free(p.last);
	people_held_free(&p);
	free(p.held);
	table_end(&p.t);
	free(p.person);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&p.w);
	else if (p.rows == 0 && c->format == FMT_TEXT && p.over >= 0)
		fprintf(c->out, "Nobody is on the hook for more than %lld.\n",
			p.over);
	else if (p.rows == 0 && c->format == FMT_TEXT)
		fputs("Nobody is assigned to any project.\n", c->out);
	else if (c->format == FMT_TEXT && p.totals) {
		fputc('\n', c->out); /* each line wrapped when narrower */
		text_linef(c->out, 0,
			   "On the hook now: accountable (A) or"
			   " responsible (R) for a project's");
		text_linef(c->out, 0,
			   "current stage, on an active or held"
			   " project.");
	} else if (c->format == FMT_TEXT) {
		fputc('\n', c->out);
		text_linef(c->out, 0,
			   "On the hook now: A accountable or R"
			   " responsible for the project's current");
		text_linef(c->out, 0,
			   "stage; (sole): the only person in that"
			   " role - a single point of failure.");
	}
	return NULL;
}
