/* cmd_kpi.c - the KPI commands: add, record, list. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

struct removed_kpi {
	const char *name;
	char *at; /* when it was removed, or NULL */
};

static const struct ap_error *
find_removed(void *arg, const struct store_kpi *k)
{
	struct removed_kpi *r = arg;

	if (k->removed_at && !r->at && strcmp(k->name, r->name) == 0 &&
	    !(r->at = strdup(k->removed_at)))
		return ap_error_nomem();
	return NULL;
}

/* err, or, when KPI `name` of project p was removed, the error that says
 * so: its name cannot be used again (a removed KPI keeps its history). */
static const struct ap_error *
kpi_gone(struct cli *c, const struct store_project *p, const char *name,
	 const struct ap_error *err)
{
	const struct ap_error *e;
	struct removed_kpi r = {.name = name};

	if ((e = store_kpis_every(c->store, p->id, find_removed, &r))) {
		free(r.at);
		return e;
	}
	if (r.at)
		err = ap_error_fmt(err->code,
				   "KPI '%s' on project '%s' was removed at %s"
				   " (aiproj kpi history %s %s): its name"
				   " cannot be used again; add a KPI under"
				   " another name",
				   shown(name), p->name, r.at, p->name,
				   shown(name));
	free(r.at);
	return err;
}

const struct ap_error *
cmd_kpi_add(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *target = opt_val(a, "target");
	struct store_project p;
	double num;
	int op;

	if ((err = kpi_parse_target(target, &op, &num)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status, "add a KPI")) ||
	    (err = store_kpi_add(c->store, p.id, name, kpi_op_name(op), num,
				 c->now))) {
		if (err->code == AP_EXIT_CONFLICT)
			err = kpi_gone(c, &p, name,
				       ap_error_fmt(AP_EXIT_CONFLICT,
						    "%s on project '%s'",
						    err->msg, p.name));
	} else {
		char t[40];
		fmt_num(t, sizeof(t), num);
		if (c->format & (FMT_JSON | FMT_YAML)) {
			struct jw w;
			out_doc(c, &w);
			jw_kstr(&w, "project", p.name);
			jw_kstr(&w, "kpi", name);
			jw_kstr(&w, "op", kpi_op_name(op));
			jw_knum(&w, "target", num);
			jw_done(&w);
		} else {
			text_linef(c->out, 2, "KPI '%s' on '%s': target %s %s",
				   name, p.name, kpi_op_name(op), t);
		}
	}
	store_project_clear(&p);
	return err;
}

struct one_kpi {
	const char *name;
	int found, op;
	double target;
};

static const struct ap_error *
find_kpi(void *arg, const struct store_kpi *k)
{
	struct one_kpi *o = arg;

	if (strcmp(k->name, o->name) == 0) {
		o->found = 1;
		o->op = kpi_op_parse(k->op);
		o->target = k->target;
	}
	return NULL;
}

/* The live release's version, copied. */
static const struct ap_error *
live_version(void *arg, const struct store_release *r)
{
	char **v = arg;

	free(*v);
	return (*v = strdup(r->version)) ? NULL : ap_error_nomem();
}

struct reading {
	const char *kpi;
	double value, target;
	int op, meets, outcome;
};

/* A reading's own keys, for a hook's payload: the command's, the target,
 * and its outcome as kpi history says it: "met", "missed" or "breach". */
static void
reading_fields(struct jw *w, const void *arg)
{
	const struct reading *r = arg;

	jw_kstr(w, "kpi", r->kpi);
	jw_knum(w, "value", r->value);
	jw_kbool(w, "meets_target", r->meets);
	jw_kstr(w, "op", kpi_op_name(r->op));
	jw_knum(w, "target", r->target);
	jw_kstr(w, "result", eng_reading_outcome_name(r->outcome));
}

const struct ap_error *
cmd_kpi_record(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1];
	struct store_project p;
	struct one_kpi o = {.name = name};
	char *live = NULL;
	int outcome;
	double v;

	if ((err = parse_number("KPI value", a->pos[2], &v)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status,
					"record a KPI reading")) ||
	    (err = store_kpis(c->store, p.id, find_kpi, &o)))
		goto done;
	if (!o.found) {
		err = kpi_gone(c, &p, name,
			       ap_error_fmt(AP_EXIT_NOTFOUND,
					    "no KPI '%s' on project '%s' (add"
					    " it with 'aiproj kpi add')",
					    shown(name), p.name));
		goto done;
	}
	if ((err = store_release_live(c->store, p.id, live_version, &live)))
		goto done;
	outcome = eng_reading_outcome(o.op, o.target, v, live != NULL);
	if ((err =
		 store_kpi_reading_add(c->store, p.id, name, v,
				       outcome == RO_BREACH, c->actor, c->now)))
		goto done;
	{
		struct reading r = {
		    name,   v, o.target, o.op, kpi_meets(o.op, o.target, v),
		    outcome};
		if ((err = hook_fire(c, "kpi", p.name, reading_fields, &r)) ||
		    (outcome == RO_BREACH &&
		     (err =
			  hook_fire(c, "breach", p.name, reading_fields, &r))))
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "kpi", name);
		jw_knum(&w, "value", v);
		jw_kbool(&w, "meets_target", kpi_meets(o.op, o.target, v));
		jw_kbool(&w, "breach", outcome == RO_BREACH);
		jw_kstr(&w, "live", live);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		char vs[40], ts[40];
		fmt_num(vs, sizeof(vs), v);
		fmt_num(ts, sizeof(ts), o.target);
		if (outcome == RO_BREACH)
			text_linef(c->out, 2,
				   "KPI '%s' on '%s': %s (breach: misses target"
				   " %s %s while %s is live)",
				   name, p.name, vs, kpi_op_name(o.op), ts,
				   live);
		else
			text_linef(
			    c->out, 2, "KPI '%s' on '%s': %s (%s target %s %s)",
			    name, p.name, vs,
			    kpi_meets(o.op, o.target, v) ? "meets" : "misses",
			    kpi_op_name(o.op), ts);
	}
done:
	free(live);
	store_project_clear(&p);
	return err;
}

static const struct ap_error *
list_kpi(void *arg, const struct store_kpi *k)
{
	struct listing *l = arg;
	int meets = k->has_reading &&
		    kpi_meets(kpi_op_parse(k->op), k->target, k->value);

	if (listing_doc(l)) {
		jw_obj(&l->w);
		jw_kstr(&l->w, "name", k->name);
		jw_kstr(&l->w, "op", k->op);
		jw_knum(&l->w, "target", k->target);
		jw_key(&l->w, "latest");
		if (k->has_reading)
			jw_num(&l->w, k->value);
		else
			jw_null(&l->w);
		jw_kstr(&l->w, "latest_at", k->read_at);
		jw_key(&l->w, "meets_target");
		if (k->has_reading)
			jw_bool(&l->w, meets);
		else
			jw_null(&l->w);
		jw_end(&l->w);
	} else {
		char t[48], v[40];
		char tn[40];
		fmt_num(tn, sizeof(tn), k->target);
		snprintf(t, sizeof(t), "%s %s", k->op, tn);
		fmt_num(v, sizeof(v), k->value);
		const char *row[] = {k->name, t, k->has_reading ? v : "-",
				     k->has_reading ? (meets ? "yes" : "no")
						    : "-",
				     k->has_reading ? k->read_at : "-"};
		table_row(&l->t, row);
	}
	l->n++;
	return NULL;
}

const struct ap_error *
cmd_kpi_list(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct listing l;
	static const char *const head[] = {"KPI", "TARGET", "LATEST", "MEETS",
					   "AT"};
	static const int width[] = {20, 12, 12, 6, 0};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	listing_begin(&l, c, p.name, "kpis", 5, head, width);
	table_keep(&l.t, TABLE_COL(1)); /* the target */
	err = store_kpis(c->store, p.id, list_kpi, &l);
	err = listing_end(
	    &l, err, "No KPIs on '%s' (add one with 'aiproj kpi add')", p.name);
	store_project_clear(&p);
	return err;
}

/* ---- definitions: set, remove ---- */

const struct ap_error *
cmd_kpi_set(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *reason = opt_val(a, "reason");
	struct store_project p;
	struct one_kpi o = {.name = name};
	double num;
	int op;

	if ((err = kpi_parse_target(opt_val(a, "target"), &op, &num)))
		return err;
	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status, "change a KPI")) ||
	    (err = store_kpis(c->store, p.id, find_kpi, &o)))
		goto done;
	if ((err = store_kpi_set(c->store, p.id, name, kpi_op_name(op), num,
				 reason, c->actor, c->now))) {
		if (err->code == AP_EXIT_NOTFOUND)
			err = kpi_gone(c, &p, name,
				       ap_error_fmt(AP_EXIT_NOTFOUND,
						    "%s on project '%s'",
						    err->msg, p.name));
		goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "kpi", name);
		jw_kstr(&w, "op", kpi_op_name(op));
		jw_knum(&w, "target", num);
		jw_kstr(&w, "was_op", kpi_op_name(o.op));
		jw_knum(&w, "was_target", o.target);
		jw_kstr(&w, "reason", reason);
		jw_kstr(&w, "actor", c->actor);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		char t[40], was[40];
		fmt_num(t, sizeof(t), num);
		fmt_num(was, sizeof(was), o.target);
		text_linef(c->out, 2,
			   "KPI '%s' on '%s': target %s %s (was %s %s)", name,
			   p.name, kpi_op_name(op), t, kpi_op_name(o.op), was);
	}
done:
	store_project_clear(&p);
	return err;
}

const struct ap_error *
cmd_kpi_remove(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1], *reason = opt_val(a, "reason");
	struct store_project p;

	if ((err = cli_project_get(c, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status, "remove a KPI")))
		goto done;
	if ((err = store_kpi_remove(c->store, p.id, name, reason, c->actor,
				    c->now))) {
		if (err->code == AP_EXIT_NOTFOUND)
			err = kpi_gone(c, &p, name,
				       ap_error_fmt(AP_EXIT_NOTFOUND,
						    "%s on project '%s'",
						    err->msg, p.name));
		goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "kpi", name);
		jw_kbool(&w, "removed", 1);
		jw_kstr(&w, "reason", reason);
		jw_kstr(&w, "actor", c->actor);
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		text_linef(c->out, 2,
			   "KPI '%s' on '%s' removed; its readings are kept"
			   " (aiproj kpi history %s %s)",
			   name, p.name, p.name, name);
	}
done:
	store_project_clear(&p);
	return err;
}

/* ---- history ---- */

/* One line of a KPI's history. */
struct hentry {
	char *at, *kpi, *event, *op, *actor, *reason;
	double target, value;
	int has_value, breach;
	const char *result; /* readings: met, missed, breach */
};

struct hist {
	const char *only; /* the KPI asked for, or NULL */
	int found;
	struct hentry *e;
	size_t n;
	/* each KPI's current definition, for readings with no change */
	struct hdef {
		char *name, *op;
		double target;
	} * defs;
	size_t ndefs;
	struct store_kpi_change *ch; /* strings owned here */
	size_t nch;
};

static char *
dup_or_null(const char *s, int *bad)
{
	char *d = s ? strdup(s) : NULL;

	if (s && !d)
		*bad = 1;
	return d;
}

static const struct ap_error *
hist_push(struct hist *h, const char *at, const char *kpi, const char *event,
	  const char *op, double target, const char *actor, const char *reason)
{
	struct hentry *e = realloc(h->e, (h->n + 1) * sizeof(*e));
	int bad = 0;

	if (!e)
		return ap_error_nomem();
	h->e = e;
	e = &e[h->n++];
	memset(e, 0, sizeof(*e));
	e->at = dup_or_null(at, &bad);
	e->kpi = dup_or_null(kpi, &bad);
	e->event = dup_or_null(event, &bad);
	e->op = dup_or_null(op, &bad);
	e->actor = dup_or_null(actor, &bad);
	e->reason = dup_or_null(reason, &bad);
	e->target = target;
	return bad ? ap_error_nomem() : NULL;
}

static const struct ap_error *
hist_kpi(void *arg, const struct store_kpi *k)
{
	struct hist *h = arg;
	struct hdef *d;

	if (h->only && strcmp(h->only, k->name) != 0)
		return NULL;
	h->found = 1;
	if (!(d = realloc(h->defs, (h->ndefs + 1) * sizeof(*d))))
		return ap_error_nomem();
	h->defs = d;
	d = &d[h->ndefs++];
	d->name = strdup(k->name);
	d->op = strdup(k->op);
	d->target = k->target;
	if (!d->name || !d->op)
		return ap_error_nomem();
	return hist_push(h, k->created_at, k->name, "add", k->op, k->target,
			 NULL, NULL);
}

static const struct ap_error *
hist_change(void *arg, const struct store_kpi_change *c)
{
	struct hist *h = arg;
	struct store_kpi_change *ch;
	int bad = 0;

	if (h->only && strcmp(h->only, c->kpi) != 0)
		return NULL;
	if (!(ch = realloc(h->ch, (h->nch + 1) * sizeof(*ch))))
		return ap_error_nomem();
	h->ch = ch;
	ch = &ch[h->nch++];
	*ch = *c;
	ch->kpi = dup_or_null(c->kpi, &bad);
	ch->kind = dup_or_null(c->kind, &bad);
	ch->op = dup_or_null(c->op, &bad);
	ch->was_op = dup_or_null(c->was_op, &bad);
	ch->reason = ch->actor = ch->at = NULL;
	if (bad)
		return ap_error_nomem();
	ch->at = dup_or_null(c->at, &bad);
	if (bad)
		return ap_error_nomem();
	return hist_push(h, c->at, c->kpi, c->kind, c->op, c->target, c->actor,
			 c->reason);
}

/* The target KPI `kpi` had at `at`: the latest set at or before it; else
 * what the first later change found; else its definition now. */
static void
target_at(const struct hist *h, const char *kpi, const char *at, int *op,
	  double *target)
{
	const struct store_kpi_change *before = NULL, *after = NULL;

	for (size_t i = 0; i < h->nch; i++) {
		const struct store_kpi_change *c = &h->ch[i];
		if (strcmp(c->kpi, kpi) != 0)
			continue;
		if (strcmp(c->at, at) <= 0)
			before = c;
		else if (!after)
			after = c;
	}
	if (before) {
		*op = kpi_op_parse(before->op);
		*target = before->target;
		return;
	}
	if (after) {
		*op = kpi_op_parse(after->was_op);
		*target = after->was_target;
		return;
	}
	for (size_t i = 0; i < h->ndefs; i++)
		if (strcmp(h->defs[i].name, kpi) == 0) {
			*op = kpi_op_parse(h->defs[i].op);
			*target = h->defs[i].target;
		}
}

static const struct ap_error *
hist_reading(void *arg, const struct store_reading *r)
{
	struct hist *h = arg;
	const struct ap_error *err;
	struct hentry *e;
	int op = KOP_GE;
	double target = 0;

	if (h->only && strcmp(h->only, r->kpi) != 0)
		return NULL;
	target_at(h, r->kpi, r->at, &op, &target);
	if ((err = hist_push(h, r->at, r->kpi, "reading", kpi_op_name(op),
			     target, r->actor, NULL)))
		return err;
	e = &h->e[h->n - 1];
	e->has_value = 1;
	e->value = r->value;
	e->result = eng_reading_outcome_name(
	    r->breach ? RO_BREACH
		      : eng_reading_outcome(op, target, r->value, 0));
	return NULL;
}

/* By time; at one time, in the order recorded. */
static int
hentry_cmp(const void *a, const void *b)
{
	const struct hentry *x = a, *y = b;
	int d = strcmp(x->at, y->at);

	return d ? d : (x < y ? -1 : x > y);
}

static void
hist_free(struct hist *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->e[i].at);
		free(h->e[i].kpi);
		free(h->e[i].event);
		free(h->e[i].op);
		free(h->e[i].actor);
		free(h->e[i].reason);
	}
	free(h->e);
	for (size_t i = 0; i < h->ndefs; i++) {
		free(h->defs[i].name);
		free(h->defs[i].op);
	}
	free(h->defs);
	for (size_t i = 0; i < h->nch; i++) {
		free((char *)h->ch[i].kpi);
		free((char *)h->ch[i].kind);
		free((char *)h->ch[i].op);
		free((char *)h->ch[i].was_op);
		free((char *)h->ch[i].at);
	}
	free(h->ch);
}

static void
hist_out(struct cli *c, const struct store_project *p, struct hist *h)
{
	static const char *const head[] = {"AT",    "KPI",    "EVENT",
					   "VALUE", "TARGET", "RESULT",
					   "ACTOR", "REASON"};
	static const int width[] = {24, 16, 8, 10, 12, 7, 12, 0};
	struct table t;
	struct jw w;

	if (c->format & (FMT_JSON | FMT_YAML)) {
		out_doc(c, &w);
		jw_kstr(&w, "project", p->name);
		jw_kstr(&w, "kpi", h->only);
		jw_key(&w, "history");
		jw_arr(&w);
	} else {
		table_begin(&t, c->out, c->format, 8, head, width);
		table_keep(&t, TABLE_COL(4) | TABLE_COL(6)); /* target, actor */
	}
	for (size_t i = 0; i < h->n; i++) {
		const struct hentry *e = &h->e[i];
		if (c->format & (FMT_JSON | FMT_YAML)) {
			jw_obj(&w);
			jw_kstr(&w, "at", e->at);
			jw_kstr(&w, "kpi", e->kpi);
			jw_kstr(&w, "event", e->event);
			jw_key(&w, "value");
			if (e->has_value)
				jw_num(&w, e->value);
			else
				jw_null(&w);
			jw_kstr(&w, "op", e->op);
			jw_knum(&w, "target", e->target);
			jw_kstr(&w, "result", e->result);
			jw_kstr(&w, "actor", e->actor);
			jw_kstr(&w, "reason", e->reason);
			jw_end(&w);
		} else {
			char v[40], tn[40], tg[48];
			fmt_num(v, sizeof(v), e->value);
			fmt_num(tn, sizeof(tn), e->target);
			snprintf(tg, sizeof(tg), "%s %s", e->op, tn);
			const char *row[] = {e->at,
					     e->kpi,
					     e->event,
					     e->has_value ? v : "-",
					     tg,
					     e->result ? e->result : "-",
					     e->actor ? e->actor : "-",
					     e->reason ? e->reason : ""};
			table_row(&t, row);
		}
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		jw_end(&w);
		jw_done(&w);
	} else {
		table_end(&t);
	}
}

const struct ap_error *
cmd_kpi_history(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct hist h = {.only = a->npos > 1 ? a->pos[1] : NULL};

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = store_kpis_every(c->store, p.id, hist_kpi, &h)))
		goto done;
	if (h.only && !h.found) {
		err = ap_error_fmt(AP_EXIT_NOTFOUND,
				   "no KPI '%s' on project '%s'", shown(h.only),
				   p.name);
		goto done;
	}
	if ((err = store_kpi_changes(c->store, p.id, hist_change, &h)) ||
	    (err = store_readings(c->store, p.id, hist_reading, &h)))
		goto done;
	/* a KPI was added with the target its first change found (by the
	 * order of the changes: one made in the same millisecond counts) */
	for (size_t i = 0; i < h.n; i++)
		if (strcmp(h.e[i].event, "add") == 0) {
			int op = kpi_op_parse(h.e[i].op);
			for (size_t j = 0; j < h.nch; j++)
				if (strcmp(h.ch[j].kpi, h.e[i].kpi) == 0) {
					op = kpi_op_parse(h.ch[j].was_op);
					h.e[i].target = h.ch[j].was_target;
					break;
				}
			free(h.e[i].op);
			if (!(h.e[i].op = strdup(kpi_op_name(op)))) {
				err = ap_error_nomem();
				goto done;
			}
		}
	if (h.n > 1)
		qsort(h.e, h.n, sizeof(*h.e), hentry_cmp);
	if (h.n == 0 && c->format == FMT_TEXT)
		text_linef(c->out, 2,
			   "No KPIs on '%s' (add one with 'aiproj kpi add')",
			   p.name);
	else
		hist_out(c, &p, &h);
done:
	hist_free(&h);
	store_project_clear(&p);
	return err;
}
