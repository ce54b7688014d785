/*
 * cmd_report_lifecycle.c - report lifecycle: the graph of the stages a
 * project went through (text, JSON, Mermaid, DOT).  Apart from
 * cmd_report.c and cmd_report_status.c, which hold the portfolio reports,
 * for its size.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"
#define TIMES "\xc3\x97" /* the multiplication sign, in UTF-8 */

struct lg_edge {
	int from, to; /* node indexes */
	int back;     /* to an earlier stage */
	int count, forced;
};

struct lg {
	struct cli *c;
	size_t nstages; /* nodes 0..nstages-1 are the lifecycle's stages */
	char **extra;   /* then stages the history names but the lifecycle
			      does not have */
	size_t nextra;
	int *visits;  /* by node */
	int *started; /* by node: times started early (stage start) */
	struct lg_edge *edges;
	size_t nedges;
	int *path; /* the nodes in the order the project was in them */
	size_t npath, capath;
	int moves, forward, back, forced;
	int starts; /* stage starts: no move, the project stays */
};

static const char *
node_slug(const struct lg *g, int i)
{
	return (size_t)i < g->nstages ? g->c->lc.stages[i].slug
				      : g->extra[(size_t)i - g->nstages];
}

static const char *
node_name(const struct lg *g, int i)
{
	return (size_t)i < g->nstages ? g->c->lc.stages[i].name
				      : g->extra[(size_t)i - g->nstages];
}

static size_t
lg_nodes(const struct lg *g)
{
	return g->nstages + g->nextra;
}

static const struct ap_error *
lg_node(struct lg *g, const char *slug, int *idx)
{
	int i = lifecycle_stage_slug(&g->c->lc, slug);
	char **x;
	int *v;

	if (i >= 0) {
		*idx = i;
		return NULL;
	}
	for (size_t k = 0; k < g->nextra; k++)
		if (strcmp(g->extra[k], slug) == 0) {
			*idx = (int)(g->nstages + k);
			return NULL;
		}
	if (!(x = realloc(g->extra, (g->nextra + 1) * sizeof(*x))))
		return ap_error_nomem();
	g->extra = x;
	if (!(v = realloc(g->visits, (lg_nodes(g) + 1) * sizeof(*v))))
		return ap_error_nomem();
	g->visits = v;
	if (!(v = realloc(g->started, (lg_nodes(g) + 1) * sizeof(*v))))
		return ap_error_nomem();
	g->started = v;
	if (!(x[g->nextra] = strdup(slug)))
		return ap_error_nomem();
	g->visits[lg_nodes(g)] = 0;
	g->started[lg_nodes(g)] = 0;
	*idx = (int)lg_nodes(g);
	g->nextra++;
	return NULL;
}

static const struct ap_error *
lg_enter(struct lg *g, int node)
{
	if (g->npath == g->capath) {
		size_t cap = g->capath ? 2 * g->capath : 16;
		int *p = realloc(g->path, cap * sizeof(*p));
		if (!p)
			return ap_error_nomem();
		g->path = p;
		g->capath = cap;
	}
	g->path[g->npath++] = node;
	g->visits[node]++;
	return NULL;
}

/* A move back: to an earlier stage of the lifecycle, or recorded so. */
static int
lg_is_back(const struct lg *g, int from, int to, const char *kind)
{
	if ((size_t)from < g->nstages && (size_t)to < g->nstages)
		return to < from;
	return kind && strcmp(kind, "back") == 0;
}

static const struct ap_error *
lg_transition(void *arg, const struct store_transition *t)
{
	struct lg *g = arg;
	const struct ap_error *err;
	struct lg_edge *e = NULL;
	int from, to;

	if ((err = lg_node(g, t->from, &from)) ||
	    (err = lg_node(g, t->to, &to)))
		return err;
	if (g->npath == 0 && (err = lg_enter(g, from)))
		return err;
	/* a stage started early: no move, the project stays where it is
	 * (it enters that stage when it advances into it) */
	if (t->kind && strcmp(t->kind, "start") == 0) {
		g->starts++;
		g->started[to]++;
		return NULL;
	}
	if ((err = lg_enter(g, to)))
		return err;
	for (size_t i = 0; i < g->nedges && !e; i++)
		if (g->edges[i].from == from && g->edges[i].to == to)
			e = &g->edges[i];
	if (!e) {
		e = realloc(g->edges, (g->nedges + 1) * sizeof(*e));
		if (!e)
			return ap_error_nomem();
		g->edges = e;
		e = &g->edges[g->nedges++];
		memset(e, 0, sizeof(*e));
		e->from = from;
		e->to = to;
		e->back = lg_is_back(g, from, to, t->kind);
	}
	e->count++;
	g->moves++;
	if (e->back) {
		g->back++;
	} else {
		g->forward++;
		if (t->kind && strcmp(t->kind, "forced") == 0)
			e->forced++, g->forced++;
	}
	return NULL;
}

static int
edge_cmp(const void *a, const void *b)
{
	const struct lg_edge *x = a, *y = b;

	return x->from != y->from ? x->from - y->from : x->to - y->to;
}

static void
lg_free(struct lg *g)
{
	for (size_t i = 0; i < g->nextra; i++)
		free(g->extra[i]);
	free(g->extra);
	free(g->visits);
	free(g->started);
	free(g->edges);
	free(g->path);
}

/* Was the lifecycle's edge from stage i to i+1 taken? */
static const struct lg_edge *
lg_edge_find(const struct lg *g, int from, int to)
{
	for (size_t i = 0; i < g->nedges; i++)
		if (g->edges[i].from == from && g->edges[i].to == to)
			return &g->edges[i];
	return NULL;
}

/* "×2", "×3 (1 forced)", "back ×1" */
static void
edge_label(const struct lg *g, const struct lg_edge *e, char *buf, size_t len)
{
	(void)g;
	if (e->back)
		snprintf(buf, len, "back " TIMES "%d", e->count);
	else if (e->forced)
		snprintf(buf, len, TIMES "%d (%d forced)", e->count, e->forced);
	else
		snprintf(buf, len, TIMES "%d", e->count);
}

/* Mermaid label text: quotes, markup and '#' as entity codes. */
static void
mermaid_text(FILE *f, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '"': fputs("#quot;", f); break;
		case '&': fputs("#amp;", f); break;
		case '<': fputs("#lt;", f); break;
		case '>': fputs("#gt;", f); break;
		case '#': fputs("#35;", f); break;
		case '\n':
		case '\r':
		case '\t': fputc(' ', f); break;
		default: fputc(*s, f);
		}
}

/* A DOT double-quoted string's contents. */
static void
dot_text(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if (*s == '\n' || *s == '\r' || *s == '\t')
			fputc(' ', f);
		else
			fputc(*s, f);
}

static void
lg_mermaid(const struct lg *g, const struct store_project *p, int cur)
{
	FILE *f = g->c->out;
	char label[64];
	size_t n = lg_nodes(g);
	int any;

	fprintf(f,
		"%%%% aiproj report lifecycle %s: %s, at %s, %d moves"
		" (%d back)\n",
		p->name, proj_status_name(p->status), p->stage, g->moves,
		g->back);
	fputs("flowchart LR\n", f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  s%zu[\"", i + 1);
		mermaid_text(f, node_name(g, (int)i));
		fputs("\"]\n", f);
	}
	/* the lifecycle's way forward, thick where the project went */
	for (size_t i = 0; i + 1 < g->nstages; i++) {
		const struct lg_edge *e = lg_edge_find(g, (int)i, (int)i + 1);
		if (e) {
			edge_label(g, e, label, sizeof(label));
			fprintf(f, "  s%zu ==>|\"%s\"| s%zu\n", i + 1, label,
				i + 2);
		} else {
			fprintf(f, "  s%zu --> s%zu\n", i + 1, i + 2);
		}
	}
	/* every other move: back-jumps dotted */
	for (size_t k = 0; k < g->nedges; k++) {
		const struct lg_edge *e = &g->edges[k];
		int back = e->back;
		if ((size_t)e->to < g->nstages && e->to == e->from + 1)
			continue; /* drawn above */
		edge_label(g, e, label, sizeof(label));
		fprintf(f, "  s%d %s|\"%s\"| s%d\n", e->from + 1,
			back ? "-.->" : "==>", label, e->to + 1);
	}
	fputs("  classDef visited fill:#e3f2fd,stroke:#1565c0\n"
	      "  classDef current fill:#ffd54f,stroke:#333,stroke-width:3px\n",
	      f);
	any = 0;
	for (size_t i = 0; i < n; i++)
		if (g->visits[i] && (int)i != cur)
			fprintf(f, "%ss%zu", any++ ? "," : "  class ", i + 1);
	if (any)
		fputs(" visited\n", f);
	fprintf(f, "  class s%d current\n", cur + 1);
}

static void
lg_dot(const struct lg *g, const struct store_project *p, int cur)
{
	FILE *f = g->c->out;
	char label[64];
	size_t n = lg_nodes(g);

	fputs("digraph \"", f);
	dot_text(f, p->name);
	fputs("\" {\n  rankdir=LR;\n  labelloc=t;\n  fontname=\"Helvetica\";\n"
	      "  label=\"",
	      f);
	dot_text(f, p->name);
	fprintf(f, ": %s, at %s, %d moves (%d back)\";\n",
		proj_status_name(p->status), p->stage, g->moves, g->back);
	fputs("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n"
	      "  edge [fontname=\"Helvetica\"];\n",
	      f);
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  s%zu [label=\"", i + 1);
		dot_text(f, node_name(g, (int)i));
		if ((int)i == cur)
			fputs("\", style=\"rounded,filled,bold\","
			      " fillcolor=\"#ffd54f\", penwidth=2];\n",
			      f);
		else if (g->visits[i])
			fputs("\", style=\"rounded,filled\","
			      " fillcolor=\"#e3f2fd\"];\n",
			      f);
		else
			fputs("\"];\n", f);
	}
	for (size_t i = 0; i + 1 < g->nstages; i++) {
		const struct lg_edge *e = lg_edge_find(g, (int)i, (int)i + 1);
		if (e) {
			edge_label(g, e, label, sizeof(label));
			fprintf(f,
				"  s%zu -> s%zu [label=\"%s\", penwidth=2];\n",
				i + 1, i + 2, label);
		} else {
			fprintf(f, "  s%zu -> s%zu [color=gray60];\n", i + 1,
				i + 2);
		}
	}
	for (size_t k = 0; k < g->nedges; k++) {
		const struct lg_edge *e = &g->edges[k];
		if ((size_t)e->to < g->nstages && e->to == e->from + 1)
			continue; /* drawn above */
		edge_label(g, e, label, sizeof(label));
		if (e->back)
			fprintf(f,
				"  s%d -> s%d [label=\"%s\", style=dashed,"
				" color=\"#c62828\", fontcolor=\"#c62828\","
				" constraint=false];\n",
				e->from + 1, e->to + 1, label);
		else
			fprintf(f, "  s%d -> s%d [label=\"%s\", penwidth=2];\n",
				e->from + 1, e->to + 1, label);
	}
	fputs("}\n", f);
}

static void
lg_json(const struct lg *g, const struct store_project *p, int cur)
{
	struct jw w;

	out_doc(g->c, &w);
	jw_kstr(&w, "project", p->name);
	jw_kstr(&w, "status", proj_status_name(p->status));
	jw_kstr(&w, "stage", p->stage);
	jw_kint(&w, "moves", g->moves);
	jw_kint(&w, "forward", g->forward);
	jw_kint(&w, "back", g->back);
	jw_kint(&w, "forced", g->forced);
	jw_kint(&w, "starts", g->starts);
	jw_key(&w, "path");
	jw_arr(&w);
	for (size_t i = 0; i < g->npath; i++)
		jw_str(&w, node_slug(g, g->path[i]));
	jw_end(&w);
	jw_key(&w, "nodes");
	jw_arr(&w);
	for (size_t i = 0; i < lg_nodes(g); i++) {
		jw_obj(&w);
		jw_kstr(&w, "stage", node_slug(g, (int)i));
		jw_kstr(&w, "name", node_name(g, (int)i));
		jw_key(&w, "number");
		if (i < g->nstages)
			jw_int(&w, (int64_t)i + 1);
		else
			jw_null(&w);
		jw_kint(&w, "visits", g->visits[i]);
		jw_kint(&w, "started", g->started[i]);
		jw_kbool(&w, "current", (int)i == cur);
		jw_end(&w);
	}
	jw_end(&w);
	jw_key(&w, "edges");
	jw_arr(&w);
	for (size_t k = 0; k < g->nedges; k++) {
		const struct lg_edge *e = &g->edges[k];
		jw_obj(&w);
		jw_kstr(&w, "from", node_slug(g, e->from));
		jw_kstr(&w, "to", node_slug(g, e->to));
		jw_kstr(&w, "kind", e->back ? "back" : "forward");
		jw_kint(&w, "count", e->count);
		jw_kint(&w, "forced", e->forced);
		jw_end(&w);
	}
	jw_end(&w);
	jw_done(&w);
}

static void
lg_text(const struct lg *g, const struct store_project *p, int cur)
{
	FILE *f = g->c->out;
	size_t n = lg_nodes(g);
	int col, sw = 5, tw = 10;

	fprintf(f, "%s  %s  at %s", p->name, proj_status_name(p->status),
		p->stage);
	if ((size_t)cur < g->nstages)
		fprintf(f, " (stage %d of %zu)", cur + 1, g->nstages);
	fprintf(f, "\n%d move%s: %d forward", g->moves,
		g->moves == 1 ? "" : "s", g->forward);
	if (g->forced)
		fprintf(f, " (%d forced)", g->forced);
	fprintf(f, ", %d back", g->back);
	if (g->starts)
		fprintf(f, "; %d stage%s started early (no move)", g->starts,
			g->starts == 1 ? "" : "s");
	fputs("\n\nPath:", f);
	col = 5;
	for (size_t i = 0; i < g->npath; i++) {
		const char *s = node_slug(g, g->path[i]);
		int l = (int)strlen(s) + (i ? 3 : 1);
		if (col + l > 78 && i) {
			fputs(" >\n     ", f);
			col = 5;
			l -= 2;
			fputs(" ", f);
		} else {
			fputs(i ? " > " : " ", f);
		}
		fputs(s, f);
		col += l;
	}
	fputs("\n\nStages:\n", f);
	for (size_t i = 0; i < n; i++)
		if (g->visits[i] && text_width(node_slug(g, (int)i)) > sw)
			sw = text_width(node_slug(g, (int)i));
	for (size_t i = 0; i < n; i++) {
		const char *mark = (int)i == cur  ? ">"
				   : g->visits[i] ? "x"
						  : " ";
		fprintf(f, "  [%s] ", mark);
		if (g->visits[i]) {
			pad_text(f, node_slug(g, (int)i), sw);
			fprintf(f, "  entered %d time%s", g->visits[i],
				g->visits[i] == 1 ? "" : "s");
		} else {
			fputs(node_slug(g, (int)i), f);
		}
		if (g->started[i])
			fprintf(f, "%sstarted early%s",
				g->visits[i] ? ", " : "  ",
				g->started[i] > 1 ? " more than once" : "");
		if ((int)i == cur)
			fputs(", now", f);
		fputc('\n', f);
	}
	if (!g->nedges)
		return;
	for (size_t k = 0; k < g->nedges; k++) {
		int l = (int)(strlen(node_slug(g, g->edges[k].from)) +
			      strlen(node_slug(g, g->edges[k].to))) +
			4;
		if (l > tw)
			tw = l;
	}
	fputs("\nMoves:\n", f);
	for (size_t k = 0; k < g->nedges; k++) {
		const struct lg_edge *e = &g->edges[k];
		char tr[160];
		snprintf(tr, sizeof(tr), "%s -> %s", node_slug(g, e->from),
			 node_slug(g, e->to));
		fprintf(f, "  %-*s  %-7s  %d", tw, tr,
			e->back ? "back" : "forward", e->count);
		if (e->forced)
			fprintf(f, " (%d forced)", e->forced);
		fputc('\n', f);
	}
}

const struct ap_error *
cmd_report_lifecycle(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct store_project p;
	struct lg g = {.c = c, .nstages = c->lc.nstages};
	int cur;

	if ((err = store_project_get(c->store, a->pos[0], &p)))
		return err;
	g.visits = calloc(g.nstages ? g.nstages : 1, sizeof(*g.visits));
	g.started = calloc(g.nstages ? g.nstages : 1, sizeof(*g.started));
	if (!g.visits || !g.started) {
		err = ap_error_nomem();
		goto done;
	}
	if ((err = store_transitions(c->store, p.id, lg_transition, &g)) ||
	    (err = lg_node(&g, p.stage, &cur)))
		goto done;
	if (g.npath == 0 && (err = lg_enter(&g, cur)))
		goto done;
	if (g.nedges)
		qsort(g.edges, g.nedges, sizeof(*g.edges), edge_cmp);
	if (c->format == FMT_MERMAID)
		lg_mermaid(&g, &p, cur);
	else if (c->format == FMT_DOT)
		lg_dot(&g, &p, cur);
	else if (c->format & (FMT_JSON | FMT_YAML))
		lg_json(&g, &p, cur);
	else
		lg_text(&g, &p, cur);
done:
	lg_free(&g);
	store_project_clear(&p);
	return err;
}
