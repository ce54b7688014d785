/*
 * cmd_complete.c - the hidden completion helper (__complete), which the
 * shell completions in completions/ call.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"

struct comp_ctx {
	struct cli *c;
	struct store *store;        /* where projects are listed from */
	const struct lifecycle *lc; /* stages and roles */
	const struct command *cmd;  /* the command being completed, or NULL */
	int describe;               /* "word\tdescription" where there is one */
	/* a store named by --db on the line being completed */
	struct store *other;
	struct lifecycle other_lc;
	int other_lc_loaded;
};

static void
put(struct comp_ctx *x, const char *word, const char *desc)
{
	if (x->describe && desc && *desc)
		fprintf(x->c->out, "%s\t%s\n", word, desc);
	else
		fprintf(x->c->out, "%s\n", word);
}

/* Is `word` an option (not "-", not a negative number)? */
static int
is_option(const char *word)
{
	return word[0] == '-' && word[1] != '\0' &&
	       !(word[1] >= '0' && word[1] <= '9') && word[1] != '.';
}

/* The option `word` ("--name", "--name=v", "-x", "-x=v") of cmd (NULL:
 * a global one), or NULL. */
static const struct argdesc *
find_opt(const struct command *cmd, const char *word)
{
	int is_short = word[1] != '-';
	const char *w = word + (is_short ? 1 : 2);
	char name[32];

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(w, "="), w);
	return opt_find(cmd, name, is_short);
}

/* The first word of every command, once, in table order. */
static void
list_commands(struct comp_ctx *x)
{
	for (const struct command *k = commands; k->group; k++) {
		int seen = 0;
		if (k->flags & CMD_HIDDEN)
			continue;
		for (const struct command *p = commands; p < k && !seen; p++)
			seen = strcmp(p->group, k->group) == 0;
		if (seen)
			continue;
		if (!k->verb) {
			put(x, k->group, k->summary);
			continue;
		}
		struct sbuf b = {0};
		for (const struct command *v = k; v->group; v++)
			if (strcmp(v->group, k->group) == 0 && v->verb)
				sbuf_printf(&b, "%s%s", b.len ? ", " : "",
					    v->verb);
		put(x, k->group, b.s);
		sbuf_free(&b);
	}
	put(x, "help", "help on a command");
}

static void
list_verbs(struct comp_ctx *x, const char *group)
{
	for (const struct command *k = commands; k->group; k++)
		if (strcmp(k->group, group) == 0 && k->verb &&
		    !(k->flags & CMD_HIDDEN))
			put(x, k->verb, k->summary);
}

static void
list_options(struct comp_ctx *x, const struct command *cmd)
{
	for (const struct argref *r = cmd ? cmd->args : NULL; r && r->d; r++)
		if (r->d->name && r->d->name[0] == '-')
			fprintf(x->c->out, "%s\n", r->d->name);
	for (const struct argdesc *d = global_opts; d->name; d++)
		fprintf(x->c->out, "%s\n", d->name);
}

static void
list_formats(struct comp_ctx *x, const struct command *cmd)
{
	for (int bit = 1; bit > 0 && strcmp(format_name(bit), "?") != 0;
	     bit <<= 1)
		if (!cmd || (cmd->formats & bit))
			put(x, format_name(bit), NULL);
}

static const struct ap_error *
on_project(void *arg, const struct store_project *p)
{
	put(arg, p->name, NULL);
	return NULL;
}

static const struct ap_error *
on_person(void *arg, const struct store_person *p)
{
	put(arg, p->name, p->email);
	return NULL;
}

static const struct ap_error *
on_kpi_name(void *arg, const struct store_kpi *k)
{
	put(arg, k->name, NULL);
	return NULL;
}

static const struct ap_error *
on_component_name(void *arg, const struct store_component *k)
{
	put(arg, k->name, NULL);
	return NULL;
}

static const struct ap_error *
on_admin_name(void *arg, const struct store_admin *a)
{
	put(arg, a->person, NULL);
	return NULL;
}

static const struct ap_error *
on_criterion_id(void *arg, const struct store_criterion *k)
{
	char id[24];

	snprintf(id, sizeof(id), "%lld", (long long)k->id);
	put(arg, id, k->text);
	return NULL;
}

/*
 * Use the store named by --db on the line being completed, when it exists
 * (a missing one lists nothing, and is not created).
 */
static const struct ap_error *
use_store(struct comp_ctx *x, const char *path)
{
	const struct ap_error *err;
	struct stat sb;
	char *text = NULL;

	if (x->other) { /* --db given twice: the last wins */
		store_rollback(x->other);
		store_close(x->other);
		x->other = NULL;
	}
	if (x->other_lc_loaded) {
		lifecycle_free(&x->other_lc);
		x->other_lc_loaded = 0;
		x->lc = &x->c->lc;
	}
	if (stat(path, &sb) != 0) {
		x->store = NULL;
		return NULL;
	}
	if ((err = store_open(path, 1000, STORE_READ, &x->other)) &&
	    store_missing(err)) {
		x->store = NULL;
		return NULL;
	}
	if (err || (err = store_begin(x->other, 0)) ||
	    (err = store_meta_get(x->other, "lifecycle", &text)))
		return err;
	if (text && !lifecycle_parse_stored(text, strlen(text),
					    "store lifecycle", &x->other_lc)) {
		x->other_lc_loaded = 1;
		x->lc = &x->other_lc;
	}
	free(text);
	x->store = x->other;
	return NULL;
}

static void
list_stages(struct comp_ctx *x)
{
	for (size_t i = 0; i < x->lc->nstages; i++)
		put(x, x->lc->stages[i].slug, x->lc->stages[i].name);
}

static void
list_roles(struct comp_ctx *x)
{
	for (size_t i = 0; i < x->lc->nroles; i++)
		put(x, x->lc->roles[i].slug, x->lc->roles[i].name);
}

/* The names inside project `name`: its KPIs, components or criteria. */
static const struct ap_error *
list_in_project(struct comp_ctx *x, enum argtype type, const char *name)
{
	const struct ap_error *err;
	struct store_project p;

	if ((err = store_project_get(x->store, name, &p)))
		return err->code == AP_EXIT_NOTFOUND ? NULL : err;
	if (type == AT_CRITERION_ID)
		err =
		    store_criteria(x->store, p.id, p.stage, on_criterion_id, x);
	else if (type == AT_KPI)
		err = store_kpis(x->store, p.id, on_kpi_name, x);
	else
		err = store_components(x->store, p.id, on_component_name, x);
	store_project_clear(&p);
	return err;
}

/* The candidates for a value of argument d, by its type; pos: the
 * positionals before it (the first names the project). */
static const struct ap_error *
candidates(struct comp_ctx *x, const struct argdesc *d, const char *const *pos,
	   int npos)
{
	const char *ch = arg_choices(d);

	if (ch) {
		for (size_t n; *ch; ch += n + (ch[n] == '|')) {
			char w[64];
			n = strcspn(ch, "|");
			snprintf(w, sizeof(w), "%.*s", (int)n, ch);
			put(x, w, NULL);
		}
		return NULL;
	}
	switch (d->type) {
	case AT_FILE:
	case AT_LIFECYCLE: put(x, ":file", NULL); return NULL;
	case AT_FORMAT: list_formats(x, x->cmd); return NULL;
	case AT_STAGE: list_stages(x); return NULL;
	case AT_ROLE: list_roles(x); return NULL;
	case AT_PROJECT:
		return x->store ? store_project_list(x->store, NULL, 1,
						     on_project, x)
				: NULL;
	case AT_PERSON: {
		/* admin add/remove: the administrators; else every person
		 * the store knows (person list), by name as first written */
		if (!x->store)
			return NULL;
		if (x->cmd && strcmp(x->cmd->group, "admin") == 0)
			return store_admins(x->store, on_admin_name, x);
		return store_persons(x->store, on_person, x);
	}
	case AT_KPI:
	case AT_COMPONENT:
	case AT_CRITERION_ID:
		return x->store && npos >= 1
			   ? list_in_project(x, d->type, pos[0])
			   : NULL;
	default: return NULL;
	}
}

/* The candidates for the value of option `word` (typed before it, or
 * "--name=" the current word). */
static const struct ap_error *
option_value(struct comp_ctx *x, const char *word)
{
	const struct argdesc *d = find_opt(x->cmd, word);

	return d && d->type != AT_FLAG ? candidates(x, d, NULL, 0) : NULL;
}

/* Is d the store option, --db? */
static int
is_db(const struct argdesc *d)
{
	return d && strcmp(d->name, "--db") == 0;
}

/*
 * The global options before the command: the store of --db is used; *i is
 * left at the first word after them.  *done when the word being typed is
 * the value of one of them.
 */
static const struct ap_error *
complete_lead(struct comp_ctx *x, int n, const char *const *words, int *i,
	      int *done)
{
	const struct ap_error *err;

	*done = 0;
	for (; *i < n - 1 && is_option(words[*i]); (*i)++) {
		const char *w = words[*i], *eq = strchr(w, '=');
		const struct argdesc *d;
		if (strcmp(w, "--") == 0) {
			(*i)++;
			break;
		}
		if (!(d = find_opt(NULL, w)) || d->type == AT_FLAG)
			continue;
		if (eq) {
			if (is_db(d) && (err = use_store(x, eq + 1)))
				return err;
		} else if (*i + 1 < n - 1) {
			if (is_db(d) && (err = use_store(x, words[*i + 1])))
				return err;
			(*i)++;
		} else {
			*done = 1;
			return option_value(x, w);
		}
	}
	return NULL;
}

/*
 * The command words from words[*i]: x->cmd is set (*i left after them)
 * unless the current word is one of them or the line names none.
 */
static void
complete_words(struct comp_ctx *x, int n, const char *const *words, int *i)
{
	const char *cur = words[n - 1], *group = words[(*i)++];

	if (strcmp(group, "help") == 0) {
		if (*i == n - 1)
			list_commands(x);
		else if (*i == n - 2)
			list_verbs(x, words[*i]);
		return;
	}
	if ((x->cmd = command_find(group, NULL)) || !command_group(group))
		return;
	if (*i == n - 1) {
		if (is_option(cur))
			put(x, "--help", NULL);
		else
			list_verbs(x, group);
		return;
	}
	x->cmd = command_find(group, words[(*i)++]);
}

/* The arguments of x->cmd from words[i] to the current word. */
static const struct ap_error *
complete_args(struct comp_ctx *x, int n, const char *const *words, int i)
{
	const char *pos[ARGS_MAX], *cur = words[n - 1], *pending = NULL;
	int npos = 0, only_pos = 0;
	const struct ap_error *err;

	for (; i < n - 1; i++) {
		const char *a = words[i], *eq = strchr(a, '=');
		const struct argdesc *d;
		if (pending) {
			if (is_db(find_opt(x->cmd, pending)) &&
			    (err = use_store(x, a)))
				return err;
			pending = NULL;
		} else if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = 1;
		} else if (!only_pos && is_option(a)) {
			if (!(d = find_opt(x->cmd, a)) || d->type == AT_FLAG)
				continue;
			if (!eq)
				pending = a;
			else if (is_db(d) && (err = use_store(x, eq + 1)))
				return err;
		} else if (npos < ARGS_MAX) {
			pos[npos++] = a;
		}
	}
	/* the option before the current word takes it as its value */
	if (pending)
		return option_value(x, pending);
	if (!only_pos && is_option(cur)) {
		if (strchr(cur, '='))
			return option_value(x, cur);
		list_options(x, x->cmd);
		return NULL;
	}
	{
		const struct argdesc *d = cmd_positional(x->cmd, npos);
		return d ? candidates(x, d, pos, npos) : NULL;
	}
}

/*
 * Candidates for the last of `words` (what is being typed, maybe ""),
 * given the words before it: everything after "aiproj" on the line.
 */
static const struct ap_error *
complete_next(struct comp_ctx *x, int n, const char *const *words)
{
	const char *cur = words[n - 1];
	const struct ap_error *err;
	int i = 0, done;

	if ((err = complete_lead(x, n, words, &i, &done)) || done)
		return err;
	if (i == n - 1) {
		if (is_option(cur) && strchr(cur, '=') && find_opt(NULL, cur))
			return option_value(x, cur);
		if (is_option(cur))
			list_options(x, NULL);
		else
			list_commands(x);
		return NULL;
	}
	complete_words(x, n, words, &i);
	return x->cmd ? complete_args(x, n, words, i) : NULL;
}

const struct ap_error *
cmd_complete(struct cli *c, struct args *a)
{
	struct comp_ctx x = {.c = c,
			     .store = c->store,
			     .lc = &c->lc,
			     .describe = opt_has(a, "describe")};
	const char *what = a->pos[0];
	const struct ap_error *err = NULL;

	if (strcmp(what, "commands") == 0) {
		list_commands(&x);
	} else if (strcmp(what, "verbs") == 0 && a->npos == 2) {
		list_verbs(&x, a->pos[1]);
	} else if ((strcmp(what, "options") == 0 ||
		    strcmp(what, "formats") == 0) &&
		   (a->npos == 2 || a->npos == 3)) {
		const struct command *cmd =
		    command_find(a->pos[1], a->npos == 3 ? a->pos[2] : NULL);
		if (!cmd && a->npos == 2 && command_group(a->pos[1]))
			cmd = NULL; /* a group: only the global options */
		else if (!cmd)
			return ap_error_fmt(
			    AP_EXIT_USAGE, "unknown command '%s%s%s'",
			    shown(a->pos[1]), a->npos == 3 ? " " : "",
			    a->npos == 3 ? shown(a->pos[2]) : "");
		if (what[0] == 'o')
			list_options(&x, cmd);
		else
			list_formats(&x, cmd);
	} else if (strcmp(what, "stages") == 0 && a->npos == 1) {
		list_stages(&x);
	} else if (strcmp(what, "roles") == 0 && a->npos == 1) {
		list_roles(&x);
	} else if (strcmp(what, "projects") == 0 && a->npos == 1) {
		err = store_project_list(c->store, NULL, 1, on_project, &x);
	} else if (strcmp(what, "next") == 0) {
		static const char *const empty[] = {""};
		err = a->npos >= 2 ? complete_next(&x, a->npos - 1, a->pos + 1)
				   : complete_next(&x, 1, empty);
	} else {
		static const char *const known[] = {
		    "commands", "verbs", "options",  "formats",
		    "stages",   "roles", "projects", NULL};
		for (int i = 0; known[i]; i++)
			if (strcmp(what, known[i]) == 0)
				return ap_error_fmt(
				    AP_EXIT_USAGE,
				    "wrong arguments for '__complete %s'"
				    " (usage: %s)",
				    what,
				    i == 1 ? "verbs GROUP"
				    : i == 2 || i == 3
					? "options|formats GROUP [VERB]"
					: "no arguments");
		return ap_error_fmt(
		    AP_EXIT_USAGE,
		    "unknown listing '%s': expected commands, verbs, options,"
		    " formats, stages, roles, projects or next",
		    shown(what));
	}
	if (x.other) {
		store_rollback(x.other);
		store_close(x.other);
	}
	if (x.other_lc_loaded)
		lifecycle_free(&x.other_lc);
	/* completion never fails loudly on a bad store: it lists nothing */
	return err && err->code != AP_EXIT_USAGE ? NULL : err;
}
