/*
 * cmd_log.c - the timeline: log (every event of the projects with who and
 * when), note (a comment in a project's history) and stage due (the day a
 * stage is due to be left).
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct log_ctx {
	struct cli *c;
	struct jw w;
	struct table t;
	int64_t n;
};

/* What happened, in words: "feasibility -> data-preparation". */
void
log_what(struct sbuf *b, const struct lifecycle *lc,
	 const struct store_log_row *r)
{
	const char *k = r->kind;
	char num[32] = "";

	if (r->has_num)
		fmt_num(num, sizeof(num), r->num);
	if (!strcmp(k, "created"))
		sbuf_printf(b, "at %s", r->subject);
	else if (!strcmp(k, "advance") || !strcmp(k, "back") ||
		 !strcmp(k, "forced") || !strcmp(k, "start"))
		sbuf_printf(b, "%s -> %s", r->subject, r->detail);
	else if (!strcmp(k, "buy")) {
		sbuf_printf(b, "%s -> %s (skipped: ", r->subject, r->detail);
		if (!skipped_text(b, lc, k, r->subject, r->detail))
			sbuf_printf(b, "none");
		sbuf_printf(b, ")");
	} else if (!strcmp(k, "tick"))
		sbuf_printf(b, "#%s %s", r->subject, r->detail);
	else if (!strcmp(k, "reopen"))
		sbuf_printf(b, "#%s", r->subject);
	else if (!strcmp(k, "approve"))
		sbuf_printf(b, "%s as %s", r->subject, r->detail);
	else if (!strcmp(k, "decide"))
		sbuf_printf(b, "%s%s%s", r->subject, *num ? ", cost " : "",
			    num);
	else if (!strcmp(k, "kpi"))
		sbuf_printf(b, "%s %s %s", r->subject, r->detail, num);
	else if (!strcmp(k, "reading"))
		sbuf_printf(b, "%s = %s%s", r->subject, num,
			    r->detail ? " (breach)" : "");
	else if (!strcmp(k, "release"))
		sbuf_printf(b, "%s live%s%s", r->subject, r->detail ? ": " : "",
			    r->detail ? r->detail : "");
	else if (!strcmp(k, "supersede") || !strcmp(k, "retire"))
		sbuf_printf(b, "%s", r->subject);
	else if (!strcmp(k, "kpi-set"))
		sbuf_printf(b, "%s %s %s", r->subject, r->detail, num);
	else if (!strcmp(k, "kpi-remove"))
		sbuf_printf(b, "%s", r->subject);
	else if (!strcmp(k, "assign") || !strcmp(k, "unassign"))
		sbuf_printf(b, "%s: %s", r->subject, r->detail);
	else if (!strcmp(k, "component-add"))
		sbuf_printf(b, "%s (owner %s)", r->subject, r->detail);
	else if (!strcmp(k, "component-remove"))
		sbuf_printf(b, "%s", r->subject);
	else if (!strcmp(k, "handover"))
		sbuf_printf(b, "%s to %s", r->subject, r->detail);
	else if (!strcmp(k, "due"))
		sbuf_printf(b, "%s by %s", r->subject, r->detail);
}

void
log_row_keys(struct jw *w, const struct store_log_row *r, const char *what)
{
	jw_kstr(w, "at", r->at);
	jw_kstr(w, "project", r->project);
	jw_kstr(w, "event", r->kind);
	jw_kstr(w, "actor", r->actor);
	jw_kstr(w, "subject", r->subject);
	jw_kstr(w, "detail", r->detail);
	jw_key(w, "value");
	if (r->has_num)
		jw_num(w, r->num);
	else
		jw_null(w);
	jw_kstr(w, "what", what ? what : "");
	jw_kstr(w, "note", r->note);
}

void
log_row_cells(const char **cells, const struct store_log_row *r,
	      const char *what)
{
	cells[0] = r->at;
	cells[1] = r->project;
	cells[2] = r->kind;
	cells[3] = r->actor ? r->actor : "-";
	cells[4] = what ? what : "";
	cells[5] = r->note ? r->note : "";
}

static const struct ap_error *
on_log(void *arg, const struct store_log_row *r)
{
	struct log_ctx *x = arg;
	struct sbuf what = {0};

	log_what(&what, &x->c->lc, r);
	if (x->c->format & (FMT_JSON | FMT_YAML)) {
		jw_obj(&x->w);
		log_row_keys(&x->w, r, what.s);
		jw_end(&x->w);
	} else {
		const char *row[LOG_CELLS];
		log_row_cells(row, r, what.s);
		table_row(&x->t, row);
	}
	sbuf_free(&what);
	x->n++;
	return NULL;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

const struct ap_error *
cmd_log(struct cli *c, struct args *a)
{
	static const char *const head[] = {"AT",    "PROJECT", "EVENT",
					   "ACTOR", "WHAT",    "NOTE"};
	static const int width[] = {24, 12, 7, 10, 24, 0};
	const struct ap_error *err = NULL;
	struct log_ctx x = {.c = c};
	const char *since = opt_val(a, "since");
	char until[32] = "";
	const char **names = NULL;
	int n = a->npos;

	/* --until DATE takes in the whole day: "T24" sorts after every
	 * stamp of that day and before the next day's */
	if (opt_val(a, "until"))
		snprintf(until, sizeof(until), "%sT24", opt_val(a, "until"));
	if (n) {
		/* every name must exist before anything is printed */
		if (!(names = malloc((size_t)n * sizeof(*names))))
			return ap_error_nomem();
		memcpy(names, a->pos, (size_t)n * sizeof(*names));
		qsort(names, (size_t)n, sizeof(*names), cmp_name);
		for (int i = 0; i < n && !err; i++) {
			struct store_project p;
			if (!(err = store_project_get(c->store, names[i], &p)))
				store_project_clear(&p);
		}
		if (err)
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &x.w);
		jw_kstr(&x.w, "since", since);
		jw_kstr(&x.w, "until", opt_val(a, "until"));
		jw_key(&x.w, "events");
		jw_arr(&x.w);
	} else {
		table_begin(&x.t, c->out, c->format, 6, head, width);
		table_keep(&x.t, TABLE_COL(3)); /* the actor */
	}
	if (!n)
		err = store_log(c->store, NULL, since, *until ? until : NULL,
				on_log, &x);
	for (int i = 0; i < n && !err; i++)
		if (i == 0 || strcmp(names[i], names[i - 1]) != 0)
			err = store_log(c->store, names[i], since,
					*until ? until : NULL, on_log, &x);
	if (!(c->format & (FMT_JSON | FMT_YAML)))
		table_end(&x.t);
	if (!err && c->format & (FMT_JSON | FMT_YAML))
		jw_done(&x.w);
	else if (!err && x.n == 0 && c->format == FMT_TEXT)
		fputs("No events.\n", c->out);
done:
	free(names);
	return err;
}

const struct ap_error *
cmd_note(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	struct store_event ev = {
	    .kind = "note", .note = a->pos[1], .actor = c->actor, .at = c->now};
	if (!(err = store_event_add(c->store, p.id, &ev))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "actor", c->actor);
			jw_kstr(&w, "at", c->now);
			jw_kstr(&w, "note", a->pos[1]);
			jw_done(&w);
		} else {
			text_linef(c->out, 2, "Noted on '%s' by %s", p.name,
				   c->actor);
		}
	}
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_stage_due(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *v = opt_val(a, "stage");
	struct store_project p;
	int idx = -1;

	if (v && (err = lifecycle_resolve_stage(&c->lc, v, &idx)))
		return err;
	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	const char *stage = idx >= 0 ? c->lc.stages[idx].slug : p.stage;
	struct store_event ev = {.kind = "due",
				 .subject = stage,
				 .detail = a->pos[1],
				 .actor = c->actor,
				 .at = c->now};
	if (!(err = eng_check_not_closed(p.name, p.status, "set a due date")) &&
	    !(err = store_event_add(c->store, p.id, &ev))) {
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "stage", stage);
			jw_kstr(&w, "due", a->pos[1]);
			jw_done(&w);
		} else {
			text_linef(c->out, 2, "Stage %s of '%s' is due by %s",
				   stage, p.name, a->pos[1]);
		}
	}
	store_project_clear(&p);
	return err;
}
