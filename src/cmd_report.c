/*
 * cmd_report.c - report roles: the stage x role matrix per project (report
 * people is in cmd_report_people.c, report status and gaps in
 * cmd_report_status.c).
 *
 * One streamed store query; at most one project in memory at a time.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

/* ---- report roles ---- */

static void
sbuf_pad(struct sbuf *b, const char *s, size_t width)
{
	static const char sp[] = "                                ";
	size_t n = strlen(s);

	sbuf_add(b, s, n);
	for (; n < width; n += sizeof(sp) - 1)
		sbuf_add(b, sp,
			 width - n < sizeof(sp) - 1 ? width - n
						    : sizeof(sp) - 1);
}

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
	char **titles[LC_MAX_ROLES]; /* their titles (NULL: none) */
	int npeople[LC_MAX_ROLES];
	int cap[LC_MAX_ROLES]; /* room in people[] and titles[] */
	struct comp *comps;
	size_t ncomps, ccap;
	/* the project's strings: blocks kept from project to project */
	struct pool {
		struct pool *next;
		size_t len, cap;
		char data[];
	} * pool, *pool_at;
	/* the text shortened a cell of this role: its people in full after */
	unsigned char cut[LC_MAX_ROLES];
	/* text: pieces that are the same for every project, each made once
	 * when first written (NULL: not yet, or no memory for it) */
	struct roles_memo {
		char *s;
		size_t n;
	} legend, heads[LC_MAX_STAGES], /* the column heads, by stage now */
	    letters[LC_MAX_ROLES][2],   /* a role's letters, [1]: nobody */
	    gaps[LC_MAX_STAGES][LC_MAX_ROLES][2]; /* [1]: the stage now */
	int gap_cur; /* (the stage now, for a gap's line being made) */
};

/* Write what fn writes for (r, a, b), made once into *m and copied after
 * that (written directly when there is no memory to keep it). */
static void
memo_write(struct roles_ctx *r, struct roles_memo *m,
	   void (*fn)(struct roles_ctx *, FILE *, int, int), int a, int b)
{
	FILE *f = r->c->out;

	if (!m->s) {
		FILE *mf = open_memstream(&m->s, &m->n);
		if (mf) {
			fn(r, mf, a, b);
			if (fclose(mf) != 0) {
				free(m->s);
				m->s = NULL;
			}
		}
	}
	if (m->s)
		fwrite(m->s, 1, m->n, f);
	else
		fn(r, f, a, b);
}

static void
memo_free(struct roles_ctx *r)
{
	free(r->legend.s);
	for (int s = 0; s < LC_MAX_STAGES; s++) {
		free(r->heads[s].s);
		for (int ro = 0; ro < LC_MAX_ROLES; ro++)
			for (int k = 0; k < 2; k++)
				free(r->gaps[s][ro][k].s);
	}
	for (int ro = 0; ro < LC_MAX_ROLES; ro++)
		for (int k = 0; k < 2; k++)
			free(r->letters[ro][k].s);
}

/* A copy of s (NULL: NULL) among the project's strings, or NULL with
 * *nomem set. */
static char *
pool_dup(struct roles_ctx *r, const char *s, int *nomem)
{
	size_t n;
	struct pool *b;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	for (b = r->pool_at; b && b->cap - b->len < n; b = b->next)
		if (b->next)
			b->next->len = 0;
	if (!b) {
		size_t cap = n > 65536 ? n : 65536;
		if (!(b = malloc(sizeof(*b) + cap))) {
			*nomem = 1;
			return NULL;
		}
		b->len = 0;
		b->cap = cap;
		/* (after the block in use, so that it is used next) */
		if (r->pool_at) {
			b->next = r->pool_at->next;
			r->pool_at->next = b;
		} else {
			b->next = r->pool;
			r->pool = b;
		}
	}
	r->pool_at = b;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	return b->data + b->len - n;
}

/* The project's rows forgotten (their room kept for the next one). */
static void
roles_reset(struct roles_ctx *r)
{
	r->project = r->stage = NULL;
	for (int i = 0; i < LC_MAX_ROLES; i++)
		r->npeople[i] = 0;
	r->ncomps = 0;
	if ((r->pool_at = r->pool))
		r->pool->len = 0;
}

static void
roles_free(struct roles_ctx *r)
{
	for (int i = 0; i < LC_MAX_ROLES; i++) {
		free(r->people[i]);
		free(r->titles[i]);
	}
	free(r->comps);
	while (r->pool) {
		struct pool *b = r->pool;
		r->pool = b->next;
		free(b);
	}
}

static int
is_gap(const struct roles_ctx *r, int stage, int role)
{
	return eng_role_gap(&r->c->lc, stage, role, r->npeople[role]);
}

/* The holders of a role joined by `sep` into b ("" when nobody), each with
 * their title when `titled` ("Ana Lima (requester), Bo Chen"). */
static void
join_people(const struct roles_ctx *r, int role, const char *sep, int titled,
	    struct sbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = '\0';
	for (int k = 0; role >= 0 && k < r->npeople[role]; k++) {
		if (k)
			sbuf_add(b, sep, strlen(sep));
		person_titled(b, r->people[role][k],
			      titled ? r->titles[role][k] : NULL);
	}
	if (!b->s)
		sbuf_add(b, "", 0);
}

/* The holders joined into buf when they are printable ASCII (their own
 * clean text, a column a byte) and fit `width`: 1; else 0, buf unused. */
static int
fit_ascii(char *buf, size_t len, const struct roles_ctx *r, int role, int width)
{
	size_t n = 0;

	for (int k = 0; k < r->npeople[role]; k++) {
		const char *p = r->people[role][k];
		if (k) {
			if (n + 2 >= len)
				return 0;
			buf[n++] = ',';
			buf[n++] = ' ';
		}
		for (; *p; p++) {
			if ((unsigned char)*p < 0x20 ||
			    (unsigned char)*p >= 0x7f || n + 1 >= len)
				return 0;
			buf[n++] = *p;
		}
		if (n > (size_t)width)
			return 0;
	}
	buf[n] = '\0';
	return 1;
}

/* The holders, or "Ana Lima +2" when they do not fit `width` display
 * columns (a cut name ends in "~"); "-" for nobody.  A cut is noted in
 * r->cut, and the text lists every holder in full after the matrix. */
static void
fit(char *buf, size_t len, struct roles_ctx *r, int role, int width)
{
	struct sbuf b = {0};
	char *clean;

	if (role < 0 || r->npeople[role] == 0) { /* most cells */
		snprintf(buf, len, "-");
		return;
	}
	if (fit_ascii(buf, len, r, role, width))
		return;
	join_people(r, role, ", ", 0, &b);
	clean = text_clean(b.s);
	if (clean && text_width(clean) <= width) {
		size_t n = strlen(clean); /* as snprintf "%s" would */
		if (n >= len)
			n = len - 1;
		memcpy(buf, clean, n);
		buf[n] = '\0';
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

static void roles_text_heads(struct roles_ctx *r, FILE *f, int cur, int unused);

/* The project's line and the matrix's column heads. */
static void
roles_text_head(struct roles_ctx *r, int cur)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;
	struct sbuf h = {0};

	if (r->nproj > 1)
		fputc('\n', f);
	fprintf(f, "%s%s%s", r->c->color ? "\033[1m" : "", r->project,
		r->c->color ? "\033[0m" : "");
	if (sbuf_printf(&h, "  %s  stage %d/%zu %s",
			proj_status_name(r->status), cur + 1, lc->nstages,
			r->stage) == 0)
		text_wrap(f, h.s, (int)strlen(r->project), 2);
	sbuf_free(&h);
	memo_write(r, &r->heads[cur], roles_text_heads, cur, 0);
}

/* The matrix's column heads, the stage now `cur` marked. */
static void
roles_text_heads(struct roles_ctx *r, FILE *f, int cur, int unused)
{
	const struct lifecycle *lc = &r->c->lc;

	(void)unused;
	fputs("\n\n", f);
	pad_text(f, "ROLE", 17);
	pad_text(f, "PEOPLE", 22);
	for (size_t s = 0; s < lc->nstages; s++) {
		char hd[24];
		snprintf(hd, sizeof(hd), " %zu%s", s + 1,
			 (int)s == cur ? "*" : "");
		if (s + 1 < lc->nstages)
			pad_text(f, hd, 5);
		else
			fputs(hd, f);
	}
	fputc('\n', f);
}

static void roles_text_letters(struct roles_ctx *r, FILE *f, int ro,
			       int people);

/* A row a role: its people and its letter in each stage, gaps marked. */
static void
roles_text_matrix(struct roles_ctx *r)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;

	for (size_t ro = 0; ro < lc->nroles; ro++) {
		char who[4 * PERSON_MAX_LEN];
		fit(who, sizeof(who), r, (int)ro, 21);
		pad_text(f, lc->roles[ro].slug, 17);
		pad_text(f, who, 22);
		/* (the letters depend on the role and on whether anybody
		 * holds it alone) */
		memo_write(r, &r->letters[ro][r->npeople[ro] == 0],
			   roles_text_letters, (int)ro, r->npeople[ro]);
	}
}

/* A role's letters in each stage, gaps marked, when `people` hold it. */
static void
roles_text_letters(struct roles_ctx *r, FILE *f, int ro, int people)
{
	const struct lifecycle *lc = &r->c->lc;
	const char *red = r->c->color ? "\033[31m" : "",
		   *off = r->c->color ? "\033[0m" : "";

	for (size_t s = 0; s < lc->nstages; s++) {
		int gap = eng_role_gap(lc, (int)s, ro, people);
		fprintf(f, " %s%s%s%s", gap ? red : "",
			raci_letter(lc->stages[s].raci[ro]), gap ? "!" : "",
			gap ? off : "");
		if (s + 1 < lc->nstages)
			fputs(gap ? "  " : "   ", f);
	}
	fputc('\n', f);
}

/* The stages' legend, wrapped at 78 columns. */
static void
roles_text_legend(const struct lifecycle *lc, FILE *f)
{
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

static void roles_text_gap(struct roles_ctx *r, FILE *f, int s, int ro);

static void
roles_text_gaps(struct roles_ctx *r, int cur)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;
	int gaps = 0;

	for (size_t s = 0; s < lc->nstages; s++)
		for (size_t ro = 0; ro < lc->nroles; ro++)
			if (is_gap(r, (int)s, (int)ro)) {
				if (!gaps++)
					fputs("Gaps: A/R roles with nobody "
					      "assigned\n",
					      f);
				r->gap_cur = cur;
				memo_write(r, &r->gaps[s][ro][(int)s == cur],
					   roles_text_gap, (int)s, (int)ro);
			}
	if (!gaps)
		fputs("Gaps: none\n", f);
}

/* The line of a gap: role `ro` in stage `s`, the stage now at
 * r->gap_cur. */
static void
roles_text_gap(struct roles_ctx *r, FILE *f, int s, int ro)
{
	const struct lifecycle *lc = &r->c->lc;
	const char *red = r->c->color ? "\033[31m" : "",
		   *off = r->c->color ? "\033[0m" : "";

	fprintf(f, "  %s%-20s %s (%s)%s%s\n", red, lc->stages[s].slug,
		lc->roles[ro].slug, raci_letter(lc->stages[s].raci[ro]),
		s == r->gap_cur ? "  <- current stage" : "", off);
}

/* The components, then the people of each cell shortened above. */
static void
roles_text_tail(struct roles_ctx *r)
{
	const struct lifecycle *lc = &r->c->lc;
	FILE *f = r->c->out;

	if (r->ncomps) {
		struct sbuf line = {0};
		fputs("Components:\n", f);
		for (size_t i = 0; i < r->ncomps; i++) {
			int ro = lifecycle_role(lc, r->comps[i].owner);
			char who[4 * PERSON_MAX_LEN];
			fit(who, sizeof(who), r, ro, 40);
			/* text_linef(f, 4, "  %-18s %-16s %s", ...) */
			line.len = 0;
			sbuf_add(&line, "  ", 2);
			sbuf_pad(&line, r->comps[i].name, 18);
			sbuf_add(&line, " ", 1);
			sbuf_pad(&line, r->comps[i].owner, 16);
			sbuf_add(&line, " ", 1);
			sbuf_add(&line, who, strlen(who));
			if (line.s)
				text_wrap(f, line.s, 0, 4);
			fputc('\n', f);
		}
		sbuf_free(&line);
	}
	for (size_t ro = 0, any = 0; ro < lc->nroles; ro++)
		for (int k = 0; k < r->npeople[ro]; k++) {
			if (!r->titles[ro][k])
				continue;
			if (!any++)
				fputs("Titles:\n", f);
			text_linef(f, 4, "  %-16s %s: %s", lc->roles[ro].slug,
				   r->people[ro][k], r->titles[ro][k]);
		}
	for (size_t ro = 0, any = 0; ro < lc->nroles; ro++) {
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
roles_text_legend_memo(struct roles_ctx *r, FILE *f, int unused, int unused2)
{
	(void)unused;
	(void)unused2;
	roles_text_legend(&r->c->lc, f);
}

static void
roles_text(struct roles_ctx *r, int cur)
{
	roles_text_head(r, cur);
	roles_text_matrix(r);
	memo_write(r, &r->legend, roles_text_legend_memo, 0, 0);
	roles_text_gaps(r, cur);
	roles_text_tail(r);
}

/* "titles": the assignments with a title, when there are some */
static void
roles_doc_titles(struct roles_ctx *r)
{
	const struct lifecycle *lc = &r->c->lc;
	struct jw *w = &r->w;
	int any = 0;

	for (size_t ro = 0; ro < lc->nroles; ro++)
		for (int k = 0; k < r->npeople[ro]; k++) {
			if (!r->titles[ro][k])
				continue;
			if (!any++) {
				jw_key(w, "titles");
				jw_arr(w);
			}
			jw_obj(w);
			jw_kstr(w, "role", lc->roles[ro].slug);
			jw_kstr(w, "person", r->people[ro][k]);
			jw_kstr(w, "title", r->titles[ro][k]);
			jw_end(w);
		}
	if (any)
		jw_end(w);
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
	roles_doc_titles(r);
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
			join_people(r, (int)ro, "; ", 0, &b);
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
		join_people(r, (int)ro, ", ", 1, &b);
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
			join_people(r, ro, ", ", 0, &b);
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
	int ro, nomem = 0;

	if (!row->kind) { /* a new project begins */
		if ((err = roles_flush(r)))
			return err;
		r->project = pool_dup(r, row->project, &nomem);
		r->status = row->status;
		r->stage = pool_dup(r, row->stage, &nomem);
		return nomem ? ap_error_nomem() : NULL;
	}
	if (row->kind[0] == 'a') {
		if ((ro = lifecycle_role(&r->c->lc, row->role)) < 0)
			return NULL;
		if (r->npeople[ro] == r->cap[ro]) {
			int cap = r->cap[ro] ? 2 * r->cap[ro] : 4;
			char **pp = realloc(r->people[ro], cap * sizeof(*pp));
			if (!pp)
				return ap_error_nomem();
			r->people[ro] = pp;
			if (!(pp = realloc(r->titles[ro], cap * sizeof(*pp))))
				return ap_error_nomem();
			r->titles[ro] = pp;
			r->cap[ro] = cap;
		}
		r->people[ro][r->npeople[ro]] = pool_dup(r, row->name, &nomem);
		r->titles[ro][r->npeople[ro]] = pool_dup(r, row->title, &nomem);
		if (nomem)
			return ap_error_nomem();
		r->npeople[ro]++;
		return NULL;
	}
	if (r->ncomps == r->ccap) {
		size_t cap = r->ccap ? 2 * r->ccap : 4;
		struct comp *cp = realloc(r->comps, cap * sizeof(*cp));
		if (!cp)
			return ap_error_nomem();
		r->comps = cp;
		r->ccap = cap;
	}
	{
		struct comp *cp = &r->comps[r->ncomps];
		cp->name = pool_dup(r, row->name, &nomem);
		cp->owner = pool_dup(r, row->role, &nomem);
		cp->description = pool_dup(
		    r, row->description ? row->description : "", &nomem);
		if (nomem)
			return ap_error_nomem();
		r->ncomps++;
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
	roles_free(&r);
	memo_free(&r);
	if (err)
		return err;
	if (c->format & (FMT_JSON | FMT_YAML))
		jw_done(&r.w);
	else if (r.nproj == 0 && c->format == FMT_TEXT)
		fputs("No projects.\n", c->out);
	return NULL;
}
