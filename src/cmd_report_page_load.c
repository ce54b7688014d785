/*
 * cmd_report_page_load.c - report page: what it gathers (cmd_report_page.h),
 * each a pass over the store: the status rows of the projects that pass
 * the filter, their transitions (the stage visits), every assignment
 * (the people of the projects, all of them also with --person or --role),
 * and every release and breach.  Nothing is read per project.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "cmd_report_page.h"

/* Room for one more of n items of `size` in *v (capacity *cap). */
static int
grow(void *pv, size_t *cap, size_t n, size_t size)
{
	void **v = pv, *m;
	size_t want = *cap ? *cap * 2 : 256;

	if (n < *cap)
		return 0;
	if (!(m = realloc(*v, want * size)))
		return -1;
	*v = m;
	*cap = want;
	return 0;
}

/* ---- the status rows ---- */

static void
page_tally(struct page *pg, struct pproj *p, const struct eng_project *e)
{
	const struct lifecycle *lc = &pg->c->lc;
	int st = p->stage;

	for (size_t r = 0; r < lc->nroles; r++) {
		int raci = lc->stages[st].raci[r];
		if (e->staffed[r])
			p->staffed |= (uint32_t)1 << r;
		if (p->status == PS_CLOSED)
			continue;
		if (e->staffed[r])
			pg->staffed[st][r]++;
		else if (raci == RACI_A || raci == RACI_R) {
			p->gaps |= (uint32_t)1 << r;
			pg->gapn[st][r]++;
		}
	}
	if (p->status == PS_CLOSED)
		pg->nclosed++;
	else if (p->status == PS_ON_HOLD)
		pg->nhold++;
	else
		pg->nactive++, pg->active[st]++;
	pg->nlate += p->late > 0;
	pg->nlive += p->mon && p->mon->version;
	pg->nbreach += p->mon && p->mon->open_breaches > 0;
}

static const struct ap_error *
on_page_status(void *arg, const struct store_status_row *row)
{
	struct page *pg = arg;
	struct cli *c = pg->c;
	const struct ap_error *err;
	struct eng_project e;
	struct pproj *p;
	size_t met, total;
	char today[11];
	const char *end = stage_clock_end(row->status, row->status_at, c->now);

	/* the engine's view from the counts, as report status has it */
	if ((err = state_from_row(&c->lc, row, &e)))
		return err;
	if (grow(&pg->p, &pg->cap, pg->n, sizeof(*pg->p)))
		return ap_error_nomem();
	p = &pg->p[pg->n];
	memset(p, 0, sizeof(*p));
	if (!(p->name = strdup(row->project)))
		return ap_error_nomem();
	pg->n++;
	if ((err = gate_count(&c->lc, &e, e.stage, &met, &total)))
		return err;
	p->status = e.status;
	p->stage = e.stage;
	p->met = (int)met;
	p->total = (int)total;
	p->back = row->back_jumps;
	p->days = stamp_diff(row->entered_at, end) / 86400.0;
	if (p->days < 0)
		p->days = 0;
	p->closed_at = stamp_secs(row->status_at);
	snprintf(p->end, sizeof(p->end), "%s", end);
	snprintf(today, sizeof(today), "%.10s", c->now);
	p->late =
	    row->status == PS_CLOSED ? 0 : eng_days_overdue(row->due, today);
	snprintf(p->due, sizeof(p->due), "%s", row->due ? row->due : "");
	p->mon = monitor_find(&pg->mon, row->project);
	page_tally(pg, p, &e);
	return NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct pproj *)a)->name,
		      ((const struct pproj *)b)->name);
}

static struct pproj *
find_name(struct page *pg, const char *name)
{
	struct pproj key = {.name = (char *)name};

	return pg->n ? bsearch(&key, pg->p, pg->n, sizeof(key), by_name) : NULL;
}

/* ---- the stage visits: the projects, then every move ---- */

/* A move as read. */
struct pmove {
	double at;
	uint32_t proj;
	int8_t from, to, how; /* stage indexes (LC_MAX_STAGES), enum how */
};
struct moves {
	struct page *pg;
	size_t capids;
	int sorted;
	struct pmove *m;
	size_t n, cap;
	size_t *cnt; /* moves a project */
};

static const struct ap_error *
on_flow_project(void *arg, const struct store_flow_project *r)
{
	struct moves *mv = arg;
	struct pproj *p = find_name(mv->pg, r->project);

	if (!p)
		return NULL;
	p->id = r->id;
	snprintf(p->created, sizeof(p->created), "%s", r->created_at);
	if (grow(&mv->pg->ids, &mv->capids, mv->pg->nids, sizeof(*mv->pg->ids)))
		return ap_error_nomem();
	mv->pg->ids[mv->pg->nids++] =
	    (struct page_id){r->id, (size_t)(p - mv->pg->p)};
	return NULL;
}

static const struct ap_error *
on_flow_change(void *arg, const struct store_flow_item *e)
{
	(void)arg;
	(void)e;
	return NULL;
}

static int
by_id(const void *a, const void *b)
{
	int64_t x = ((const struct page_id *)a)->id;
	int64_t y = ((const struct page_id *)b)->id;

	return x < y ? -1 : x > y;
}

/* The projects are all read once a move comes: sort them by id. */
static void
ids_sorted(struct moves *mv)
{
	if (!mv->sorted && mv->pg->nids > 1)
		qsort(mv->pg->ids, mv->pg->nids, sizeof(*mv->pg->ids), by_id);
	mv->sorted = 1;
}

/* The project on the page of this id, or NULL. */
static const struct page_id *
find_id(const struct page *pg, int64_t id)
{
	struct page_id key = {.id = id};

	return pg->nids ? bsearch(&key, pg->ids, pg->nids, sizeof(key), by_id)
			: NULL;
}

static const struct ap_error *
on_flow_move(void *arg, const struct store_flow_item *t)
{
	struct moves *mv = arg;
	const struct lifecycle *lc = &mv->pg->c->lc;
	const struct page_id *hit;
	struct pmove *m;

	ids_sorted(mv);
	if (!(hit = find_id(mv->pg, t->project_id)))
		return NULL;
	if (grow(&mv->m, &mv->cap, mv->n, sizeof(*mv->m)))
		return ap_error_nomem();
	m = &mv->m[mv->n++];
	m->proj = (uint32_t)hit->idx;
	m->from = (int8_t)lifecycle_stage_slug(lc, t->from);
	m->to = (int8_t)lifecycle_stage_slug(lc, t->to);
	m->how = (int8_t)visit_how(m->from, m->to, t->kind);
	m->at = stamp_secs(t->at);
	mv->cnt[hit->idx]++;
	return NULL;
}

static void
visit_add(struct visits *vs, int stage, int how, double at)
{
	vs->v[vs->n++] = (struct visit){stage, how, at, at};
}

/* Each project's visits in vs, in name order, from its moves (in the
 * order recorded): a counting sort by project keeps that order. */
static const struct ap_error *
visits_build(struct page *pg, struct moves *mv)
{
	size_t *at = calloc(pg->n + 1, sizeof(*at));
	struct pmove *by = malloc((mv->n ? mv->n : 1) * sizeof(*by));
	struct visits *vs = &pg->vs;

	if (!at || !by ||
	    !(vs->v = malloc((mv->n + pg->n + 1) * sizeof(*vs->v)))) {
		free(at);
		free(by);
		return ap_error_nomem();
	}
	for (size_t i = 0; i < pg->n; i++)
		at[i + 1] = at[i] + mv->cnt[i];
	for (size_t k = 0; k < mv->n; k++)
		by[at[mv->m[k].proj]++] = mv->m[k];
	for (size_t i = 0, k = 0; i < pg->n; i++) {
		struct pproj *p = &pg->p[i];
		p->v0 = vs->n;
		visit_add(vs, mv->cnt[i] ? by[k].from : p->stage, HOW_CREATED,
			  stamp_secs(p->created));
		for (size_t j = 0; j < mv->cnt[i]; j++, k++) {
			vs->v[vs->n - 1].end = by[k].at;
			visit_add(vs, by[k].to, by[k].how, by[k].at);
		}
		vs->v[vs->n - 1].end = stamp_secs(p->end);
		p->nv = vs->n - p->v0;
	}
	free(at);
	free(by);
	return NULL;
}

static const struct ap_error *
page_visits(struct page *pg, const struct store_filter *f)
{
	struct moves mv = {.pg = pg};
	struct store_flow_fns fns = {on_flow_project, on_flow_change,
				     on_flow_move};
	const struct ap_error *err;

	if (!(mv.cnt = calloc(pg->n + 1, sizeof(*mv.cnt))))
		return ap_error_nomem();
	err = store_report_flow_where(pg->c->store, f, &fns, &mv);
	ids_sorted(&mv);
	if (!err)
		err = visits_build(pg, &mv);
	free(mv.m);
	free(mv.cnt);
	return err;
}

/* ---- people ---- */

static const struct ap_error *
add_holder(struct page *pg, const struct pproj *p, int role, const char *person)
{
	struct holder *h;

	if (grow(&pg->hold, &pg->caphold, pg->nholders, sizeof(*pg->hold)))
		return ap_error_nomem();
	h = &pg->hold[pg->nholders];
	h->proj = (size_t)(p - pg->p);
	h->role = role;
	if (!(h->person = strdup(person)))
		return ap_error_nomem();
	pg->nholders++;
	return NULL;
}

/* The person `name`: the last one read, or a new one. */
static struct person *
person_of(struct page *pg, const char *name)
{
	struct person *ps;

	if (pg->npers && strcmp(pg->people[pg->npers - 1].name, name) == 0)
		return &pg->people[pg->npers - 1];
	if (grow(&pg->people, &pg->cappers, pg->npers, sizeof(*ps)))
		return NULL;
	ps = &pg->people[pg->npers];
	memset(ps, 0, sizeof(*ps));
	if (!(ps->name = strdup(name)))
		return NULL;
	pg->npers++;
	memset(pg->seen, 0, sizeof(pg->seen));
	return ps;
}

/* An assignment of a project on the page, as read; all of them, and how
 * many hold each role of each project. */
struct hrow {
	char *person;
	uint32_t proj;
	int role; /* -1: a role the lifecycle does not have */
};
struct holdings {
	struct page *pg;
	struct hrow *r;
	size_t n, cap;
	int *cnt; /* by project (index into page.p) and role */
};

static const struct ap_error *
on_holding(void *arg, const struct store_holding *h)
{
	struct holdings *hs = arg;
	struct page *pg = hs->pg;
	const struct page_id *hit = find_id(pg, h->project_id);
	struct hrow *r;

	if (!hit)
		return NULL;
	if (grow(&hs->r, &hs->cap, hs->n, sizeof(*hs->r)))
		return ap_error_nomem();
	r = &hs->r[hs->n];
	r->proj = (uint32_t)hit->idx;
	r->role = lifecycle_role(&pg->c->lc, h->role);
	if (!(r->person = strdup(h->person)))
		return ap_error_nomem();
	hs->n++;
	if (r->role >= 0)
		hs->cnt[hit->idx * pg->c->lc.nroles + (size_t)r->role]++;
	return NULL;
}

static int
hrow_cmp(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;
	int d = strcmp(x->person, y->person);

	if (d)
		return d;
	if (x->proj != y->proj)
		return x->proj < y->proj ? -1 : 1;
	return x->role - y->role;
}

/* One assignment, in the order of the people: the person's load, the
 * RACI cell of the project's stage, the project's own roles. */
static const struct ap_error *
page_person(struct page *pg, const struct hrow *h, int holders)
{
	const struct lifecycle *lc = &pg->c->lc;
	const struct ap_error *err;
	const struct pproj *p = &pg->p[h->proj];
	struct person *ps;
	int s = p->stage, r = h->role;
	int raci = s >= 0 && r >= 0 ? lc->stages[s].raci[r] : -1;
	int hook = raci == RACI_A || raci == RACI_R;

	if (p->detail && r >= 0 && (err = add_holder(pg, p, r, h->person)))
		return err;
	if (p->status == PS_CLOSED)
		return NULL;
	if (!(ps = person_of(pg, h->person)))
		return ap_error_nomem();
	ps->assigned++;
	/* on the hook for a project once, whatever its roles there (the
	 * rows of a person come project by project) */
	if (hook && ps->hook_last != (int)h->proj + 1) {
		ps->hook++;
		ps->hook_last = (int)h->proj + 1;
	}
	ps->sole += hook && holders == 1;
	/* the RACI cell (stage now, role): this person, once */
	if (s >= 0 && r >= 0 && !(pg->seen[s] & ((uint32_t)1 << r))) {
		int k = pg->npeople[s][r]++;
		pg->seen[s] |= (uint32_t)1 << r;
		if (k < RACI_NAMES && !(pg->names[s][r][k] = strdup(h->person)))
			return ap_error_nomem();
	}
	return NULL;
}

/* Every assignment in one pass, sorted here by person. */
static const struct ap_error *
page_people(struct page *pg)
{
	size_t nr = pg->c->lc.nroles;
	struct holdings hs = {.pg = pg};
	const struct ap_error *err;

	if (!(hs.cnt = calloc(pg->n * nr + 1, sizeof(*hs.cnt))))
		return ap_error_nomem();
	err = store_report_holdings(pg->c->store, on_holding, &hs);
	if (!err && hs.n > 1)
		qsort(hs.r, hs.n, sizeof(*hs.r), hrow_cmp);
	for (size_t i = 0; !err && i < hs.n; i++) {
		const struct hrow *h = &hs.r[i];
		err = page_person(
		    pg, h,
		    h->role < 0 ? 0 : hs.cnt[h->proj * nr + (size_t)h->role]);
	}
	for (size_t i = 0; i < hs.n; i++)
		free(hs.r[i].person);
	free(hs.r);
	free(hs.cnt);
	return err;
}

static int
holder_cmp(const void *a, const void *b)
{
	const struct holder *x = a, *y = b;

	if (x->proj != y->proj)
		return x->proj < y->proj ? -1 : 1;
	if (x->role != y->role)
		return x->role - y->role;
	return strcmp(x->person, y->person);
}

/* ---- releases and breaches ---- */

static const struct ap_error *
on_mark(void *arg, const struct store_mark *m)
{
	struct page *pg = arg;
	const struct page_id *hit = find_id(pg, m->project_id);
	struct mark *k;

	if (!hit || !pg->p[hit->idx].detail)
		return NULL;
	if (grow(&pg->marks, &pg->capmarks, pg->nmarks, sizeof(*pg->marks)))
		return ap_error_nomem();
	k = &pg->marks[pg->nmarks];
	k->proj = hit->idx;
	k->breach = m->breach;
	k->at = stamp_secs(m->at);
	k->end = m->ended_at ? stamp_secs(m->ended_at) : -1;
	if (!(k->what = strdup(m->what ? m->what : "")))
		return ap_error_nomem();
	pg->nmarks++;
	return NULL;
}

static int
mark_cmp(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	if (x->proj != y->proj)
		return x->proj < y->proj ? -1 : 1;
	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return x->breach - y->breach;
}

static const struct ap_error *
page_marks(struct page *pg)
{
	const struct ap_error *err;

	if ((err = store_report_marks(pg->c->store, on_mark, pg)))
		return err;
	if (pg->nmarks > 1)
		qsort(pg->marks, pg->nmarks, sizeof(*pg->marks), mark_cmp);
	for (size_t i = pg->nmarks; i-- > 0;) {
		struct pproj *p = &pg->p[pg->marks[i].proj];
		p->m0 = i;
		p->nm++;
	}
	return NULL;
}

/* ---- all of it ---- */

const struct ap_error *
page_load(struct page *pg, const struct store_filter *f)
{
	const struct ap_error *err;
	size_t nd;

	pg->vs.c = pg->c;
	if ((err = monitor_load(pg->c, &pg->mon)) ||
	    (err = store_report_status_where(pg->c->store, f, on_page_status,
					     pg)))
		return err;
	if (pg->n)
		qsort(pg->p, pg->n, sizeof(*pg->p), by_name);
	nd = pg->n < PAGE_TIMELINES ? pg->n : PAGE_TIMELINES;
	for (size_t i = 0; i < nd; i++)
		pg->p[i].detail = 1;
	if ((err = page_visits(pg, f)) || (err = page_people(pg)) ||
	    (err = page_marks(pg)))
		return err;
	if (pg->nholders > 1)
		qsort(pg->hold, pg->nholders, sizeof(*pg->hold), holder_cmp);
	for (size_t i = pg->nholders; i-- > 0;) {
		struct pproj *p = &pg->p[pg->hold[i].proj];
		p->h0 = i;
		p->nh++;
	}
	return NULL;
}

void
page_free(struct page *pg)
{
	for (size_t i = 0; i < pg->n; i++)
		free(pg->p[i].name);
	free(pg->p);
	for (size_t i = 0; i < pg->npers; i++)
		free(pg->people[i].name);
	free(pg->people);
	for (size_t i = 0; i < pg->nholders; i++)
		free(pg->hold[i].person);
	free(pg->hold);
	for (size_t i = 0; i < pg->nmarks; i++)
		free(pg->marks[i].what);
	free(pg->marks);
	free(pg->ids);
	for (int s = 0; s < LC_MAX_STAGES; s++)
		for (int r = 0; r < LC_MAX_ROLES; r++)
			for (int k = 0; k < RACI_NAMES; k++)
				free(pg->names[s][r][k]);
	visits_free(&pg->vs);
	monitor_free(&pg->mon);
}
