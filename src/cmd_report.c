/*
 * cmd_report.c - role reports: roles (the stage x role matrix per project),
 * people (who is on the hook for what now) and status (the portfolio).
 *
 * Each report is one streamed store query; a report holds at most one
 * project (roles) or one person (people) in memory at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* ---- report roles ---- */

struct comp {
	char *name, *owner, *description;
};

struct roles_ctx {
	struct cli *c;
	struct jw w;
	int nproj;
	/* the project being collected */
	char *project, *stage;
	enum proj_status status;
	char **people[LC_MAX_ROLES]; /* the holders of each role */
	int npeople[LC_MAX_ROLES];
	struct comp *comps;
	size_t ncomps;
	/* the text shortened a cell of this role: its people in full after */
	unsigned char cut[LC_MAX_ROLES];
};

static void
roles_reset(struct roles_ctx *r)
{
	free(r->project);

	free(r->stage);
	r->project = r->stage = NULL;
	for (int i = 0; i < LC_MAX_ROLES; i++) {
		for (int k = 0; k < r->npeople[i]; k++)
			free(r->people[i][k]);
		free(r->people[i]);
		r->people[i] = NULL;
		r->npeople[i] = 0;
	}
	for (size_t i = 0; i < r->ncomps; i++) {
		free(r->comps[i].name);
		free(r->comps[i].owner);
		free(r->comps[i].description);
	}
	free(r->comps);
	r->comps = NULL;
	r->ncomps = 0;
}

static int
is_gap(const struct roles_ctx *r, int stage, int role)
{
	return eng_role_gap(&r->c->lc, stage, role, r->npeople[role]);
}

/* The holders of a role joined by `sep` into b ("" when nobody). */
static void
join_people(const struct roles_ctx *r, int role, const char *sep,
	    struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
	for (int k = 0; role >= 0 && k < r->npeople[role]; k++)
		sbuf_printf(b, "%s%s", k ? sep : "", r->people[role][k]);
	if (!b->s)
		sbuf_add(b, "", 0);
}

/* The holders, or "Ana Lima +2" when they do not fit `width` display
 * columns (a cut name ends in "~"); "-" for nobody.  A cut is noted in
 * r->cut, and the text lists every holder in full after the matrix. */
static void
fit(char *buf, size_t len, struct roles_ctx *r, int role, int width)
{
	struct sbuf b = {0};
	char *clean;

	join_people(r, role, ", ", &b);
	clean = text_clean(b.s);
	if (role < 0 || r->npeople[role] == 0) {
		snprintf(buf, len, "-");
	} else if (clean && text_width(clean) <= width) {
		snprintf(buf, len, "%s", clean);
	} else {
		char more[16] = "", *first = text_clean(r->people[role][0]);
		const char *p = first ? first : "?";
		int room, w = 0;
		size_t n = 0;
		if (r->npeople[role] > 1)
			snprintf(more, sizeof(more), " +%d",
				 r->npeople[role] - 1);
		room = width - (int)strlen(more);
		if (text_width(p) > room) {
			room--; /* for the "~" */
			while (p[n]) {
				const char *q = p + n;
				int cw = cp_width(utf8_next(&q));
				if (w + cw > room)
					break;
				w += cw;
				n = (size_t)(q - p);
			}
			snprintf(buf, len, "%.*s~%s", (int)n, p, more);
		} else {
			snprintf(buf, len, "%s%s", p, more);
		}
		free(first);
		r->cut[role] = 1;
	}
	free(clean);
	sbuf_free(&b);
}

static void
roles_text(struct roles_ctx *r, int cur)
{
	struct cli *c = r->c;
	const struct lifecycle *lc = &c->lc;
	FILE *f = c->out;
	const char *red = c->color ? "\033[31m" : "",
		   *off = c->color ? "\033[0m" : "";
	const char *bold = c->color ? "\033[1m" : "";
	int gaps = 0;

	if (r->nproj > 1)
		fputc('\n', f);
	{
		struct sbuf h = {0};
		fprintf(f, "%s%s%s", bold, r->project, off);
		if (sbuf_printf(&h, "  %s  stage %d/%zu %s",
				proj_status_name(r->status), cur + 1,
				lc->nstages, r->stage) == 0)
			text_wrap(f, h.s, (int)strlen(r->project), 2);
		sbuf_free(&h);
		fputs("\n\n", f);
	}
	pad_text(f, "ROLE", 17);
	pad_text(f, "PEOPLE", 22);
	for (size_t s = 0; s < lc->nstages; s++) {
		char h[24];
		snprintf(h, sizeof(h), " %zu%s", s + 1,
			 (int)s == cur ? "*" : "");
		if (s + 1 < lc->nstages)
			pad_text(f, h, 5);
		else
			fputs(h, f);
	}
	fputc('\n', f);
	for (size_t ro = 0; ro < lc->nroles; ro++) {
		char who[4 * PERSON_MAX_LEN];
		fit(who, sizeof(who), r, (int)ro, 21);
		pad_text(f, lc->roles[ro].slug, 17);
		pad_text(f, who, 22);
		for (size_t s = 0; s < lc->nstages; s++) {
			int gap = is_gap(r, (int)s, (int)ro);
			fprintf(f, " %s%s%s%s", gap ? red : "",
				raci_letter(lc->stages[s].raci[ro]),
				gap ? "!" : "", gap ? off : "");
			if (s + 1 < lc->nstages)
				fputs(gap ? "  " : "   ", f);
		}
		fputc('\n', f);
	}
	{
		/* the legend, wrapped at 78 columns */
		int col = fprintf(f, "Stages:");
		for (size_t s = 0; s < lc->nstages; s++) {
			char item[96];
			int n = snprintf(item, sizeof(item), " %zu %s%s", s + 1,
					 lc->stages[s].slug,
					 s + 1 < lc->nstages ? "," : "");
			if (col + n > 78) {
				fputs("\n       ", f);
				col = 7;
			}
			col += fprintf(f, "%s", item);
		}
		fputs(col + 19 > 78 ? "\n        (* current, ! gap)\n"
				    : " (* current, ! gap)\n",
		      f);
	}
	for (size_t s = 0; s < lc->nstages; s++)
		for (size_t ro = 0; ro < lc->nroles; ro++)
			if (is_gap(r, (int)s, (int)ro)) {
				if (!gaps++)
					fputs("Gaps: A/R roles with nobody "
					      "assigned\n",
					      f);
				fprintf(f, "  %s%-20s %s (%s)%s%s\n", red,
					lc->stages[s].slug, lc->roles[ro].slug,
					raci_letter(lc->stages[s].raci[ro]),
					(int)s == cur ? "  <- current stage"
						      : "",
					off);
			}
	if (!gaps)
		fputs("Gaps: none\n", f);
	if (r->ncomps) {
		fputs("Components:\n", f);
		for (size_t i = 0; i < r->ncomps; i++) {
			int ro = lifecycle_role(lc, r->comps[i].owner);
			char who[4 * PERSON_MAX_LEN];
			fit(who, sizeof(who), r, ro, 40);
			text_linef(f, 4, "  %-18s %-16s %s", r->comps[i].name,
				   r->comps[i].owner, who);
		}
	}
	for (size_t ro = 0, any = 0; ro < lc->nroles; ro++) {
		/* the people of a cell shortened above, in full */
		if (!r->cut[ro])
			continue;
		if (!any++)
			fputs("People (in full):\n", f);
		for (int k = 0; k < r->npeople[ro]; k++) {
			fprintf(f, "  %-16s ", k ? "" : lc->roles[ro].slug);
			text_wrap(f, r->people[ro][k], 19, 21);
			fputc('\n', f);
		}
		r->cut[ro] = 0;
	}
}

static void
roles_doc(struct roles_ctx *r, int cur)
{
	struct cli *c = r->c;
	const struct lifecycle *lc = &c->lc;
	struct jw *w = &r->w;

	jw_obj(w);
	jw_kstr(w, "project", r->project);
	jw_kstr(w, "status", proj_status_name(r->status));
	jw_kstr(w, "stage", r->stage);
	jw_kint(w, "stage_number", cur + 1);
	jw_key(w, "matrix");
	jw_arr(w);
	for (size_t s = 0; s < lc->nstages; s++) {
		jw_obj(w);
		jw_kstr(w, "stage", lc->stages[s].slug);
		jw_kint(w, "number", (int64_t)s + 1);
		jw_kbool(w, "current", (int)s == cur);
		jw_key(w, "cells");
		jw_arr(w);
		for (size_t ro = 0; ro < lc->nroles; ro++) {
			jw_obj(w);
			jw_kstr(w, "role", lc->roles[ro].slug);
			jw_kstr(w, "raci", raci_letter(lc->stages[s].raci[ro]));
			jw_key(w, "people");
			jw_arr(w);
			for (int k = 0; k < r->npeople[ro]; k++)
				jw_str(w, r->people[ro][k]);
			jw_end(w);
			jw_kbool(w, "gap", is_gap(r, (int)s, (int)ro));
			jw_end(w);
		}
		jw_end(w);
		jw_end(w);
	}
	jw_end(w);
	jw_key(w, "gaps");
	jw_arr(w);
	for (size_t s = 0; s < lc->nstages; s++)
		for (size_t ro = 0; ro < lc->nroles; ro++)
			if (is_gap(r, (int)s, (int)ro)) {
				jw_obj(w);
				jw_kstr(w, "stage", lc->stages[s].slug);
				jw_kstr(w, "role", lc->roles[ro].slug);
				jw_kstr(w, "raci",
					raci_letter(lc->stages[s].raci[ro]));
				jw_kbool(w, "current", (int)s == cur);
				jw_end(w);
			}
	jw_end(w);
	jw_key(w, "components");
	jw_arr(w);
	for (size_t i = 0; i < r->ncomps; i++) {
		jw_obj(w);
		jw_kstr(w, "name", r->comps[i].name);
		jw_kstr(w, "owner", r->comps[i].owner);
		jw_kstr(w, "description", r->comps[i].description);
		jw_end(w);
	}
	jw_end(w);
	jw_end(w);
}

static void
roles_csv(struct roles_ctx *r, int cur)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;
	struct sbuf b = {0};

	for (size_t s = 0; s < lc->nstages; s++)
		for (size_t ro = 0; ro < lc->nroles; ro++) {
			char num[24];
			snprintf(num, sizeof(num), "%zu", s + 1);
			csv_field(f, r->project, 0);
			csv_field(f, proj_status_name(r->status), 0);
			csv_field(f, num, 0);
			csv_field(f, lc->stages[s].slug, 0);
			csv_field(f, (int)s == cur ? "yes" : "no", 0);
			csv_field(f, lc->roles[ro].slug, 0);
			csv_field(f, raci_letter(lc->stages[s].raci[ro]), 0);
			/* people separated by "; " inside one field */
			join_people(r, (int)ro, "; ", &b);
			csv_field(f, b.s, 0);
			csv_field(f, is_gap(r, (int)s, (int)ro) ? "yes" : "no",
				  1);
		}
	sbuf_free(&b);
}

static void
roles_md(struct roles_ctx *r, int cur)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;
	struct sbuf b = {0};
	int gaps = 0;

	fprintf(f, "%s### %s\n\n%s, stage %d/%zu: %s\n\n",
		r->nproj > 1 ? "\n" : "", r->project,
		proj_status_name(r->status), cur + 1, lc->nstages,
		lc->stages[cur].name);
	md_cell(f, "Role");
	md_cell(f, "People");
	for (size_t s = 0; s < lc->nstages; s++) {
		char h[96];
		snprintf(h, sizeof(h), (int)s == cur ? "**%zu %s**" : "%zu %s",
			 s + 1, lc->stages[s].slug);
		md_cell(f, h);
	}
	fputs("|\n", f);
	for (size_t s = 0; s < lc->nstages + 2; s++)
		fputs("|---", f);
	fputs("|\n", f);
	for (size_t ro = 0; ro < lc->nroles; ro++) {
		md_cell(f, lc->roles[ro].slug);
		join_people(r, (int)ro, ", ", &b);
		md_cell(f, r->npeople[ro] ? b.s : "-");
		for (size_t s = 0; s < lc->nstages; s++) {
			char cell[32];
			snprintf(cell, sizeof(cell),
				 is_gap(r, (int)s, (int)ro) ? "**%s gap**"
							    : "%s",
				 raci_letter(lc->stages[s].raci[ro]));
			md_cell(f, cell);
		}
		fputs("|\n", f);
	}
	for (size_t s = 0; s < lc->nstages; s++)
		for (size_t ro = 0; ro < lc->nroles; ro++)
			if (is_gap(r, (int)s, (int)ro)) {
				if (!gaps++)
					fputs("\nGaps (A/R roles with "
					      "nobody):\n\n",
					      f);
				fprintf(f, "- %s: %s (%s)%s\n",
					lc->stages[s].slug, lc->roles[ro].slug,
					raci_letter(lc->stages[s].raci[ro]),
					(int)s == cur ? " **current stage**"
						      : "");
			}
	if (r->ncomps) {
		fputs("\n", f);
		md_cell(f, "Component");
		md_cell(f, "Owner");
		md_cell(f, "People");
		fputs("|\n|---|---|---|\n", f);
		for (size_t i = 0; i < r->ncomps; i++) {
			int ro = lifecycle_role(lc, r->comps[i].owner);
			md_cell(f, r->comps[i].name);
			md_cell(f, r->comps[i].owner);
			join_people(r, ro, ", ", &b);
			md_cell(f, ro >= 0 && r->npeople[ro] ? b.s : "-");
			fputs("|\n", f);
		}
	}
	sbuf_free(&b);
}

static const struct ap_error *
roles_flush(struct roles_ctx *r)
{
	int cur;

	if (!r->project)
		return NULL;
	cur = lifecycle_stage_slug(&r->c->lc, r->stage);
	if (cur < 0) {
		const struct ap_error *err = ap_error_fmt(
		    AP_EXIT_STORE,
		    "project '%s' is at stage '%s', which the store's"
		    " lifecycle does not have",
		    r->project, r->stage);
		roles_reset(r);
		return err;
	}
	r->nproj++;
	switch (r->c->format) {
	case FMT_JSON:
	case FMT_YAML: roles_doc(r, cur); break;
	case FMT_CSV: roles_csv(r, cur); break;
	case FMT_MARKDOWN: roles_md(r, cur); break;
	default: roles_text(r, cur);
	}
	roles_reset(r);
	return NULL;
}

static const struct ap_error *
on_roles_row(void *arg, const struct store_roles_row *row)
{
	struct roles_ctx *r = arg;
	const struct ap_error *err;
	int ro;

	if (!row->kind) { /* a new project begins */
		if ((err = roles_flush(r)))
			return err;
		r->project = strdup(row->project);
		r->status = row->status;
		r->stage = strdup(row->stage);
		return r->project && r->stage ? NULL : ap_error_nomem();
	}
	if (row->kind[0] == 'a') {
		if ((ro = lifecycle_role(&r->c->lc, row->role)) < 0)
			return NULL;
		{
			char **pp = realloc(r->people[ro],
					    (r->npeople[ro] + 1) * sizeof(*pp));
			if (!pp)
				return ap_error_nomem();
			r->people[ro] = pp;
			if (!(pp[r->npeople[ro]] = strdup(row->name)))
				return ap_error_nomem();
			r->npeople[ro]++;
		}
		return NULL;
	}
	{
		struct comp *cp =
		    realloc(r->comps, (r->ncomps + 1) * sizeof(*cp));
		if (!cp)
			return ap_error_nomem();
		r->comps = cp;
		cp = &r->comps[r->ncomps++];
		cp->name = strdup(row->name);
		cp->owner = strdup(row->role);
		cp->description =
		    strdup(row->description ? row->description : "");
		if (!cp->name || !cp->owner || !cp->description)
			return ap_error_nomem();
	}
	return NULL;
}

/* Check that each named project exists. */
static const struct ap_error *
names_check(struct cli *c, struct args *a)
{
	const struct ap_error *err;

	for (int i = 0; i < a->npos; i++) {
		struct store_project p;
		if ((err = valid_name("project", a->pos[i])) ||
		    (err = store_project_get(c->store, a->pos[i], &p)))
			return err;
		store_project_clear(&p);
	}
	return NULL;
}

const struct ap_error *
cmd_report_roles(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct roles_ctx r = {.c = c};
	struct cli_filter cf;

	if ((err = names_check(c, a)) ||
	    (err = filter_from_args(c, a, a->npos > 0, &cf)))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &r.w);
		jw_key(&r.w, "projects");
		jw_arr(&r.w);
	} else if (c->format == FMT_CSV) {
		fputs("project,status,stage_number,stage,current,role,raci,"
		      "people,gap\r\n",
		      c->out);
	}
	err =
	    store_report_roles_where(c->store, a->npos ? a->pos : NULL,
				     (size_t)a->npos, &cf.f, on_roles_row, &r);
	if (!err)
		err = roles_flush(&r);
	roles_reset(&r);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&r.w);
	else if (r.nproj == 0 && c->format == FMT_TEXT)
		fputs("No projects.\n", c->out);
	return NULL;
}

/* ---- report people ---- */

struct people_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	char *person; /* the person being written */
	int rows, persons;
};

/* RACI of `role` at the project's current stage, or -1. */
static int
raci_now(const struct cli *c, const char *stage, const char *role)
{
	int s = lifecycle_stage_slug(&c->lc, stage);
	int r = lifecycle_role(&c->lc, role);

	return s < 0 || r < 0 ? -1 : c->lc.stages[s].raci[r];
}

static const struct ap_error *
on_people_row(void *arg, const struct store_people_row *row)
{
	struct people_ctx *p = arg;
	struct cli *c = p->c;
	int raci = raci_now(c, row->stage, row->role);
	int hook = eng_holder_on_hook(raci, row->status);
	int sole = hook && row->holders == 1;
	int first = !p->person || strcmp(p->person, row->person) != 0;
	const char *rl = raci >= 0 ? raci_letter(raci) : "-";

	if (first) {
		free(p->person);
		if (!(p->person = strdup(row->person)))
			return ap_error_nomem();
		p->persons++;
	}
	switch (c->format) {
	case FMT_JSON:
	case FMT_YAML:
		if (first) {
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
		jw_kstr(&p->w, "raci_now", rl);
		jw_kbool(&p->w, "on_the_hook", hook);
		jw_kbool(&p->w, "sole", sole);
		jw_end(&p->w);
		break;
	case FMT_CSV:
		csv_field(c->out, row->person, 0);
		csv_field(c->out, row->project, 0);
		csv_field(c->out, proj_status_name(row->status), 0);
		csv_field(c->out, row->role, 0);
		csv_field(c->out, row->stage, 0);
		csv_field(c->out, rl, 0);
		csv_field(c->out, hook ? "yes" : "no", 0);
		csv_field(c->out, sole ? "yes" : "no", 1);
		break;
	case FMT_MARKDOWN:
		md_cell(c->out, first ? row->person : "");
		md_cell(c->out, row->project);
		md_cell(c->out, row->role);
		md_cell(c->out, row->stage);
		{
			char now[48];
			snprintf(now, sizeof(now), "%s%s%s", hook ? "**" : "",
				 hook ? (raci == RACI_A ? "accountable"
							: "responsible")
				      : rl,
				 hook ? (sole ? "** (sole)" : "**") : "");
			md_cell(c->out, now);
		}
		fputs("|\n", c->out);
		break;
	default: {
		char now[128];
		if (hook)
			snprintf(now, sizeof(now), "%s %s%s", rl, row->stage,
				 sole ? " (sole)" : "");
		else
			snprintf(now, sizeof(now), "-");
		const char *cells[] = {first ? row->person : "", row->project,
				       row->role, now};
		table_row(&p->t, cells);
	}
	}
	p->rows++;
	return NULL;
}

const struct ap_error *
cmd_report_people(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct people_ctx p = {.c = c};
	struct cli_filter cf;

	if ((err = filter_from_args(c, a, 0, &cf)))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &p.w);
		jw_key(&p.w, "people");
		jw_arr(&p.w);
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
	}
	err = store_report_people_where(c->store, &cf.f, on_people_row, &p);
	table_end(&p.t);
	free(p.person);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&p.w);
	else if (p.rows == 0 && c->format == FMT_TEXT)
		fputs("Nobody is assigned to any project.\n", c->out);
	else if (c->format == FMT_TEXT)
		fputs(
		    "\nOn the hook now: A accountable or R responsible for the"
		    " project's current\nstage; (sole): the only person in that"
		    " role - a single point of failure.\n",
		    c->out);
	return NULL;
}

/* ---- report status ---- */

struct status_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	int n;
	struct monitor mon; /* live releases and open breaches */
	struct sbuf live;   /* text: the lines under the table */
};

static const struct ap_error *
on_status_row(void *arg, const struct store_status_row *row)
{
	struct status_ctx *sc = arg;
	struct cli *c = sc->c;
	const struct ap_error *err;
	struct eng_project e;
	struct gate g = {0};
	struct sbuf gaps = {0};
	int st, later = 0;
	double days =
	    stamp_diff(row->entered_at,
		       stage_clock_end(row->status, row->status_at, c->now)) /
	    86400.0;
	char dbuf[32], gbuf[32], nbuf[16], bbuf[16], lbuf[16];

	/* the engine's view, from the counts */
	if ((err = state_from_row(&c->lc, row, &e)))
		return err;
	st = e.stage;
	if ((err = gate_count(&c->lc, &e, st, &g.met, &g.n)))
		return err;
	g.passed = g.met == g.n;
	for (size_t r = 0; r < c->lc.nroles; r++) {
		if (eng_project_gap(&c->lc, &e, (int)r))
			sbuf_printf(&gaps, "%s%s", gaps.len ? "," : "",
				    c->lc.roles[r].slug);
	}
	/* the gaps of the stages ahead */
	for (size_t s = (size_t)st + 1; s < c->lc.nstages; s++)
		for (size_t r = 0; r < c->lc.nroles; r++)
			later += eng_stage_gap(&c->lc, &e, (int)s, (int)r);
	snprintf(lbuf, sizeof(lbuf), "%d", later);
	snprintf(dbuf, sizeof(dbuf), "%.1f", days < 0 ? 0.0 : days);
	snprintf(gbuf, sizeof(gbuf), "%zu/%zu", g.met, g.n);
	snprintf(nbuf, sizeof(nbuf), "%d", st + 1);
	snprintf(bbuf, sizeof(bbuf), "%d", row->back_jumps);
	switch (c->format) {
	case FMT_JSON:
	case FMT_YAML:
		jw_obj(&sc->w);
		jw_kstr(&sc->w, "project", row->project);
		jw_kstr(&sc->w, "status", proj_status_name(row->status));
		jw_kstr(&sc->w, "stage", row->stage);
		jw_kint(&sc->w, "stage_number", st + 1);
		jw_kstr(&sc->w, "entered_at", row->entered_at);
		jw_kstr(&sc->w, "status_at", row->status_at);
		jw_knum(&sc->w, "days_in_stage", strtod(dbuf, NULL));
		jw_key(&sc->w, "gate");
		jw_obj(&sc->w);
		jw_kint(&sc->w, "met", (int64_t)g.met);
		jw_kint(&sc->w, "total", (int64_t)g.n);
		jw_kbool(&sc->w, "passed", g.passed);
		jw_end(&sc->w);
		jw_kint(&sc->w, "back_jumps", row->back_jumps);
		jw_key(&sc->w, "gaps");
		jw_arr(&sc->w);
		for (const char *p = gaps.s ? gaps.s : ""; *p;) {
			size_t n = strcspn(p, ",");
			char role[NAME_MAX_LEN + 1];
			snprintf(role, sizeof(role), "%.*s", (int)n, p);
			jw_str(&sc->w, role);
			p += n + (p[n] == ',');
		}
		jw_end(&sc->w);
		jw_key(&sc->w, "later_gaps");
		jw_arr(&sc->w);
		for (size_t s = (size_t)st + 1; s < c->lc.nstages; s++)
			for (size_t r = 0; r < c->lc.nroles; r++)
				if (eng_stage_gap(&c->lc, &e, (int)s, (int)r)) {
					jw_obj(&sc->w);
					jw_kstr(&sc->w, "stage",
						c->lc.stages[s].slug);
					jw_kstr(&sc->w, "role",
						c->lc.roles[r].slug);
					jw_end(&sc->w);
				}
		jw_end(&sc->w);
		monitor_json(&sc->w, monitor_find(&sc->mon, row->project));
		jw_end(&sc->w);
		break;
	case FMT_CSV:
		csv_field(c->out, row->project, 0);
		csv_field(c->out, proj_status_name(row->status), 0);
		csv_field(c->out, nbuf, 0);
		csv_field(c->out, row->stage, 0);
		csv_field(c->out, dbuf, 0);
		csv_field(c->out, gbuf, 0);
		csv_field(c->out, bbuf, 0);
		csv_field(c->out, gaps.s, 0);
		csv_field(c->out, lbuf, 1);
		break;
	case FMT_MARKDOWN:
		md_cell(c->out, row->project);
		md_cell(c->out, proj_status_name(row->status));
		{
			char sb[96];
			snprintf(sb, sizeof(sb), "%d %s", st + 1, row->stage);
			md_cell(c->out, sb);
		}
		md_cell(c->out, dbuf);
		md_cell(c->out, gbuf);
		md_cell(c->out, bbuf);
		md_cell(c->out, gaps.s ? gaps.s : "-");
		md_cell(c->out, lbuf);
		fputs("|\n", c->out);
		break;
	default: {
		char sb[96], gp[96];
		const char *comma = gaps.s ? strchr(gaps.s, ',') : NULL;
		int more = 0;
		for (const char *q = comma; q; q = strchr(q + 1, ','))
			more++;
		snprintf(sb, sizeof(sb), "%d %s", st + 1, row->stage);
		/* the first gap and how many more: the row stays narrow */
		if (comma)
			snprintf(gp, sizeof(gp), "%.*s +%d",
				 (int)(comma - gaps.s), gaps.s, more);
		else
			snprintf(gp, sizeof(gp), "%s", gaps.s ? gaps.s : "-");
		const char *cells[] = {
		    row->project, proj_status_name(row->status),
		    sb,           dbuf,
		    gbuf,         bbuf,
		    gp,           lbuf};
		table_row(&sc->t, cells);
		monitor_text(&sc->live, monitor_find(&sc->mon, row->project));
	}
	}
	sc->n++;
	sbuf_free(&gaps);
	return NULL;
}

const struct ap_error *
cmd_report_status(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct status_ctx sc = {.c = c};
	struct cli_filter cf;

	if ((err = filter_from_args(c, a, 0, &cf)) ||
	    (err = monitor_load(c, &sc.mon)))
		return err;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &sc.w);
		jw_key(&sc.w, "projects");
		jw_arr(&sc.w);
	} else if (c->format == FMT_CSV) {
		fputs("project,status,stage_number,stage,days_in_stage,gate,"
		      "back_jumps,gaps,later_gaps\r\n",
		      c->out);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| Project | Status | Stage | Days in stage | Gate |"
		      " Back-jumps | Gaps | Later gaps |\n"
		      "|---|---|---|---|---|---|---|---|\n",
		      c->out);
	} else {
		static const char *const head[] = {"PROJECT", "STATUS", "STAGE",
						   "DAYS",    "GATE",   "BACK",
						   "GAPS",    "LATER"};
		table_begin(&sc.t, c->out, c->format, 8, head, NULL);
	}
	err = store_report_status_where(c->store, &cf.f, on_status_row, &sc);
	table_end(&sc.t);
	monitor_free(&sc.mon);
	if (err) {
		sbuf_free(&sc.live);
		return err;
	}
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&sc.w);
	else if (sc.n == 0 && c->format == FMT_TEXT)
		fputs("No projects.\n", c->out);
	else if (sc.live.len)
		fprintf(c->out, "\nIn production:\n%s", sc.live.s);
	sbuf_free(&sc.live);
	return NULL;
}

/* ---- report gaps ---- */

struct gap {
	size_t project; /* index into gaps_ctx.names, in the filter's order */
	int stage, role, ahead;
};

struct gaps_ctx {
	struct cli *c;
	char **names;
	enum proj_status *status;
	size_t nnames;
	struct gap *gaps;
	size_t ngaps, cap;
};

static const struct ap_error *
on_gaps_row(void *arg, const struct store_status_row *row)
{
	struct gaps_ctx *x = arg;
	const struct lifecycle *lc = &x->c->lc;
	const struct ap_error *err;
	struct eng_project e;
	size_t k = x->nnames;

	if ((err = state_from_row(lc, row, &e)))
		return err;
	{
		char **nn = realloc(x->names, (k + 1) * sizeof(*nn));
		enum proj_status *ss;
		if (!nn)
			return ap_error_nomem();
		x->names = nn;
		if (!(ss = realloc(x->status, (k + 1) * sizeof(*ss))))
			return ap_error_nomem();
		x->status = ss;
		if (!(nn[k] = strdup(row->project)))
			return ap_error_nomem();
		ss[k] = row->status;
		x->nnames++;
	}
	for (size_t s = (size_t)(e.stage < 0 ? 0 : e.stage); s < lc->nstages;
	     s++)
		for (size_t r = 0; r < lc->nroles; r++) {
			if (!eng_stage_gap(lc, &e, (int)s, (int)r))
				continue;
			if (x->ngaps == x->cap) {
				size_t cap = x->cap ? 2 * x->cap : 64;
				struct gap *g =
				    realloc(x->gaps, cap * sizeof(*g));
				if (!g)
					return ap_error_nomem();
				x->gaps = g;
				x->cap = cap;
			}
			x->gaps[x->ngaps++] =
			    (struct gap){k, (int)s, (int)r, (int)s - e.stage};
		}
	return NULL;
}

/* Soonest first: the stages ahead, then the filter's order of the
 * projects, then the lifecycle's order of the roles. */
static int
gap_cmp(const void *pa, const void *pb)
{
	const struct gap *a = pa, *b = pb;

	if (a->ahead != b->ahead)
		return a->ahead < b->ahead ? -1 : 1;
	if (a->project != b->project)
		return a->project < b->project ? -1 : 1;
	return a->role - b->role;
}

static void
gap_when(char *buf, size_t len, int ahead)
{
	if (ahead == 0)
		snprintf(buf, len, "now");
	else
		snprintf(buf, len, "in %d stage%s", ahead,
			 ahead > 1 ? "s" : "");
}

static void
gaps_write(struct gaps_ctx *x)
{
	struct cli *c = x->c;
	const struct lifecycle *lc = &c->lc;
	struct jw w;
	struct table t;

	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_key(&w, "gaps");
		jw_arr(&w);
	} else if (c->format == FMT_CSV) {
		fputs("project,status,stage_number,stage,stages_ahead,role,"
		      "raci\r\n",
		      c->out);
	} else if (c->format == FMT_MARKDOWN) {
		fputs("| Project | Stage | Role | RACI | When |\n"
		      "|---|---|---|---|---|\n",
		      c->out);
	} else if (x->ngaps) {
		static const char *const head[] = {"PROJECT", "STAGE", "ROLE",
						   "RACI", "WHEN"};
		table_begin(&t, c->out, c->format, 5, head, NULL);
	}
	for (size_t i = 0; i < x->ngaps; i++) {
		const struct gap *g = &x->gaps[i];
		const char *proj = x->names[g->project];
		const char *st = lc->stages[g->stage].slug;
		const char *role = lc->roles[g->role].slug;
		const char *raci =
		    raci_letter(lc->stages[g->stage].raci[g->role]);
		char sb[96], num[16], ahead[16], when[32];
		snprintf(sb, sizeof(sb), "%d %s", g->stage + 1, st);
		snprintf(num, sizeof(num), "%d", g->stage + 1);
		snprintf(ahead, sizeof(ahead), "%d", g->ahead);
		gap_when(when, sizeof(when), g->ahead);
		switch (c->format) {
		case FMT_JSON:
		case FMT_YAML:
			jw_obj(&w);
			jw_kstr(&w, "project", proj);
			jw_kstr(&w, "status",
				proj_status_name(x->status[g->project]));
			jw_kstr(&w, "stage", st);
			jw_kint(&w, "stage_number", g->stage + 1);
			jw_kint(&w, "stages_ahead", g->ahead);
			jw_kstr(&w, "role", role);
			jw_kstr(&w, "raci", raci);
			jw_end(&w);
			break;
		case FMT_CSV:
			csv_field(c->out, proj, 0);
			csv_field(c->out,
				  proj_status_name(x->status[g->project]), 0);
			csv_field(c->out, num, 0);
			csv_field(c->out, st, 0);
			csv_field(c->out, ahead, 0);
			csv_field(c->out, role, 0);
			csv_field(c->out, raci, 1);
			break;
		case FMT_MARKDOWN:
			md_cell(c->out, proj);
			md_cell(c->out, sb);
			md_cell(c->out, role);
			md_cell(c->out, raci);
			md_cell(c->out, when);
			fputs("|\n", c->out);
			break;
		default: {
			const char *cells[] = {proj, sb, role, raci, when};
			table_row(&t, cells);
		}
		}
	}
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&w);
	else if (c->format == FMT_TEXT && x->ngaps)
		table_end(&t);
	else if (c->format == FMT_TEXT)
		fputs("No gaps: every A and R role has someone.\n", c->out);
}

const struct ap_error *
cmd_report_gaps(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct gaps_ctx x = {.c = c};
	struct cli_filter cf;

	if ((err = filter_from_args(c, a, 0, &cf)))
		return err;
	err = store_report_status_where(c->store, &cf.f, on_gaps_row, &x);
	if (!err) {
		if (x.ngaps)
			qsort(x.gaps, x.ngaps, sizeof(*x.gaps), gap_cmp);
		gaps_write(&x);
	}
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	free(x.status);
	free(x.gaps);
	return err;
}
