/* cmd_kpi.c - the KPI commands: add, record, list. */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cli.h"

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
	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status, "add a KPI")) ||
	    (err = store_kpi_add(c->store, p.id, name, kpi_op_name(op), num,
				 c->now))) {
		if (err->code == AP_EXIT_CONFLICT)
			err =
			    ap_error_fmt(AP_EXIT_CONFLICT, "%s on project '%s'",
					 err->msg, p.name);
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

struct reading {
	const char *kpi;
	double value, target;
	int op, meets;
};

/* A reading's own keys, for a hook's payload: the command's, the target,
 * and "met" or "breach". */
static void
reading_fields(struct jw *w, const void *arg)
{
	const struct reading *r = arg;

	jw_kstr(w, "kpi", r->kpi);
	jw_knum(w, "value", r->value);
	jw_kbool(w, "meets_target", r->meets);
	jw_kstr(w, "op", kpi_op_name(r->op));
	jw_knum(w, "target", r->target);
	jw_kstr(w, "result", r->meets ? "met" : "breach");
}

const struct ap_error *
cmd_kpi_record(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	const char *name = a->pos[1];
	struct store_project p;
	struct one_kpi o = {.name = name};
	double v;

	if ((err = parse_number("KPI value", a->pos[2], &v)))
		return err;
	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	if ((err = eng_check_not_closed(p.name, p.status,
					"record a KPI reading")) ||
	    (err = store_kpis(c->store, p.id, find_kpi, &o)))
		goto done;
	if (!o.found) {
		err = ap_error_fmt(AP_EXIT_NOTFOUND,
				   "no KPI '%s' on project '%s' (add it with"
				   " 'aiproj kpi add')",
				   shown(name), p.name);
		goto done;
	}
	if ((err = store_kpi_record(c->store, p.id, name, v, c->actor, c->now)))
		goto done;
	{
		struct reading r = {name, v, o.target, o.op,
				    kpi_meets(o.op, o.target, v)};
		if ((err = hook_fire(c, "kpi", p.name, reading_fields, &r)) ||
		    (!r.meets && (err = hook_fire(c, "breach", p.name,
						  reading_fields, &r))))
			goto done;
	}
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "project", p.name);
		jw_kstr(&w, "kpi", name);
		jw_knum(&w, "value", v);
		jw_kbool(&w, "meets_target", kpi_meets(o.op, o.target, v));
		jw_kstr(&w, "at", c->now);
		jw_done(&w);
	} else {
		char vs[40], ts[40];
		fmt_num(vs, sizeof(vs), v);
		fmt_num(ts, sizeof(ts), o.target);
		text_linef(c->out, 2, "KPI '%s' on '%s': %s (%s target %s %s)",
			   name, p.name, vs,
			   kpi_meets(o.op, o.target, v) ? "meets" : "misses",
			   kpi_op_name(o.op), ts);
	}
done:
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
	err = store_kpis(c->store, p.id, list_kpi, &l);
	err = listing_end(
	    &l, err, "No KPIs on '%s' (add one with 'aiproj kpi add')", p.name);
	store_project_clear(&p);
	return err;
}
