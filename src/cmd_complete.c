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

/*
 * Look `word` ("--name", "--name=v" or "-x") up in `opts`; returns 1 when
 * it is there, with *takes set when it takes a value and its long name
 * (without the "=") copied to `name`.
 */
static int
opt_lookup(const char *const *opts, const char *word, int *takes, char *name,
	   size_t len)
{
	int is_short = word[1] != '-';
	const char *w = word + (is_short ? 1 : 2);
	size_t wl = strcspn(w, "=");

	for (; opts && *opts; opts++) {
		const char *o = *opts, *comma = strchr(o, ',');
		const char *longn = comma ? comma + 1 : o;
		size_t ll = strcspn(longn, "=");
		if (is_short ? (comma && wl == 1 && o[0] == w[0])
			     : (wl == ll && strncmp(w, longn, ll) == 0)) {
			*takes = longn[ll] == '=';
			snprintf(name, len, "%.*s", (int)ll, longn);
			return 1;
		}
	}
	return 0;
}

static int
word_lookup(const struct command *cmd, const char *word, int *takes, char *name,
	    size_t len)
{
	return opt_lookup(global_opts, word, takes, name, len) ||
	       (cmd && opt_lookup(cmd->opts, word, takes, name, len));
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
	const char *const *sets[] = {cmd ? cmd->opts : NULL, global_opts};

	for (int s = 0; s < 2; s++)
		for (const char *const *o = sets[s]; o && *o; o++) {
			const char *comma = strchr(*o, ',');
			const char *longn = comma ? comma + 1 : *o;
			fprintf(x->c->out, "--%.*s\n", (int)strcspn(longn, "="),
				longn);
		}
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

/* Candidates for a usage placeholder: "PROJECT", "STAGE", "make|buy".. */
static const struct ap_error *
placeholder(struct comp_ctx *x, const char *ph, const char *const *pos,
	    int npos)
{
	const struct command *cmd = x->cmd;
	const char *verb = cmd && cmd->verb ? cmd->verb : "";
	int new_name = strcmp(verb, "create") == 0 || strcmp(verb, "add") == 0;
	struct store_project p;
	const struct ap_error *err;
	size_t n;

	if (strchr(ph, '|')) {
		for (const char *s = ph; *s; s += n + (s[n] == '|')) {
			char w[64];
			n = strcspn(s, "|");
			snprintf(w, sizeof(w), "%.*s", (int)n, s);
			put(x, w, NULL);
		}
		return NULL;
	}
	if (strcmp(ph, "FILE") == 0 || strcmp(ph, "PATH") == 0) {
		put(x, ":file", NULL);
		return NULL;
	}
	if (strcmp(ph, "FMT") == 0) {
		list_formats(x, cmd);
		return NULL;
	}
	if (strcmp(ph, "STAGE") == 0) {
		for (size_t i = 0; i < x->lc->nstages; i++)
			put(x, x->lc->stages[i].slug, x->lc->stages[i].name);
		return NULL;
	}
	if (strcmp(ph, "ROLE") == 0) {
		for (size_t i = 0; i < x->lc->nroles; i++)
			put(x, x->lc->roles[i].slug, x->lc->roles[i].name);
		return NULL;
	}
	if (!x->store)
		return NULL;
	if (strcmp(ph, "PROJECT") == 0 || strcmp(ph, "OLD") == 0 ||
	    (strcmp(ph, "NAME") == 0 && cmd && !strcmp(cmd->group, "project") &&
	     !new_name))
		return store_project_list(x->store, NULL, 1, on_project, x);
	/* the names inside a project: its KPIs, components, criteria */
	if (npos < 1 || !cmd || new_name ||
	    (strcmp(ph, "ID") != 0 && strcmp(ph, "NAME") != 0))
		return NULL;
	if ((err = store_project_get(x->store, pos[0], &p)))
		return err->code == AP_EXIT_NOTFOUND ? NULL : err;
	if (strcmp(ph, "ID") == 0)
		err =
		    store_criteria(x->store, p.id, p.stage, on_criterion_id, x);
	else if (strcmp(cmd->group, "kpi") == 0)
		err = store_kpis(x->store, p.id, on_kpi_name, x);
	else if (strcmp(cmd->group, "component") == 0)
		err = store_components(x->store, p.id, on_component_name, x);
	store_project_clear(&p);
	return err;
}

/*
 * Split a usage line ("PROJECT --to STAGE [--expect STAGE] [PROJECT...]")
 * into its words, quotes kept together and brackets dropped.
 */
static int
usage_words(const char *usage, char w[][48], int max)
{
	int n = 0;

	for (const char *s = usage; *s && n < max;) {
		size_t k = 0;
		char q = 0;
		while (*s == ' ' || *s == '[' || *s == ']')
			s++;
		if (!*s)
			break;
		for (; *s && (q || *s != ' '); s++) {
			if (*s == '\'')
				q = !q;
			else if (k + 1 < sizeof(w[0]) && *s != '[' && *s != ']')
				w[n][k++] = *s;
		}
		w[n++][k] = '\0';
	}
	return n;
}

/* The placeholder of the value of option `name` in the usage, or NULL. */
static const char *
usage_value(const struct command *cmd, const char *name, char w[][48], int n)
{
	int takes;
	char nm[32];

	for (int i = 0; cmd && i + 1 < n; i++)
		if (is_option(w[i]) &&
		    opt_lookup(cmd->opts, w[i], &takes, nm, sizeof(nm)) &&
		    takes && strcmp(nm, name) == 0)
			return w[i + 1];
	return NULL;
}

/* The placeholder of positional number `idx` in the usage, or NULL. */
static const char *
usage_positional(const struct command *cmd, int idx, char w[][48], int n)
{
	const char *last = NULL;
	int takes, k = 0;
	char nm[32];

	for (int i = 0; cmd && i < n; i++) {
		size_t l = strlen(w[i]);
		if (is_option(w[i])) {
			if (opt_lookup(cmd->opts, w[i], &takes, nm,
				       sizeof(nm)) &&
			    takes)
				i++;
			continue;
		}
		last = NULL;
		if (l > 3 && strcmp(w[i] + l - 3, "...") == 0) {
			w[i][l - 3] = '\0';
			last = w[i];
		}
		if (k++ == idx)
			return w[i];
	}
	return last; /* a repeated last positional */
}

static const struct ap_error *
option_value(struct comp_ctx *x, const char *name)
{
	char w[32][48];
	const char *ph;

	if (strcmp(name, "db") == 0)
		return placeholder(x, "FILE", NULL, 0);
	if (strcmp(name, "format") == 0)
		return placeholder(x, "FMT", NULL, 0);
	ph = usage_value(x->cmd, name, w,
			 x->cmd ? usage_words(x->cmd->usage, w, 32) : 0);
	return ph ? placeholder(x, ph, NULL, 0) : NULL;
}

/*
 * Candidates for the last of `words` (what is being typed, maybe ""),
 * given the words before it: everything after "aiproj" on the line.
 */
static const struct ap_error *
complete_next(struct comp_ctx *x, int n, const char *const *words)
{
	const char *pos[ARGS_MAX], *cur = words[n - 1], *group;
	const char *pending = NULL;
	char name[32], w[32][48];
	int i = 0, npos = 0, only_pos = 0, takes;
	const struct ap_error *err;

	/* the global options before the command */
	for (; i < n - 1 && is_option(words[i]); i++) {
		if (strcmp(words[i], "--") == 0) {
			i++;
			break;
		}
		if (!opt_lookup(global_opts, words[i], &takes, name,
				sizeof(name)))
			continue;
		if (takes && !strchr(words[i], '=')) {
			if (i + 1 < n - 1) {
				if (!strcmp(name, "db") &&
				    (err = use_store(x, words[i + 1])))
					return err;
				i++;
			} else {
				return option_value(x, name);
			}
		} else if (takes && !strcmp(name, "db") &&
			   (err = use_store(x, strchr(words[i], '=') + 1))) {
			return err;
		}
	}
	if (i == n - 1) {
		if (is_option(cur) && strchr(cur, '=') &&
		    opt_lookup(global_opts, cur, &takes, name, sizeof(name)))
			return option_value(x, name);
		if (is_option(cur))
			list_options(x, NULL);
		else
			list_commands(x);
		return NULL;
	}
	group = words[i++];
	if (strcmp(group, "help") == 0) {
		if (i == n - 1)
			list_commands(x);
		else if (i == n - 2)
			list_verbs(x, words[i]);
		return NULL;
	}
	if (!(x->cmd = command_find(group, NULL))) {
		if (!command_group(group))
			return NULL;
		if (i == n - 1) {
			if (is_option(cur))
				put(x, "--help", NULL);
			else
				list_verbs(x, group);
			return NULL;
		}
		if (!(x->cmd = command_find(group, words[i++])))
			return NULL;
	}
	/* the arguments so far: positionals, options and their values */
	for (; i < n - 1; i++) {
		const char *a = words[i];
		if (pending) {
			if (!strcmp(pending, "db") && (err = use_store(x, a)))
				return err;
			pending = NULL;
		} else if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = 1;
		} else if (!only_pos && is_option(a)) {
			const char *eq = strchr(a, '=');
			if (!word_lookup(x->cmd, a, &takes, name,
					 sizeof(name)) ||
			    !takes)
				continue;
			if (!eq)
				pending = strcmp(name, "db") ? "" : "db";
			else if (!strcmp(name, "db") &&
				 (err = use_store(x, eq + 1)))
				return err;
		} else if (npos < ARGS_MAX) {
			pos[npos++] = a;
		}
	}
	if (pending) {
		/* the option before the current word takes it as its value */
		word_lookup(x->cmd, words[n - 2], &takes, name, sizeof(name));
		return option_value(x, name);
	}
	if (!only_pos && is_option(cur)) {
		if (strchr(cur, '=')) {
			if (word_lookup(x->cmd, cur, &takes, name,
					sizeof(name)) &&
			    takes)
				return option_value(x, name);
			return NULL;
		}
		list_options(x, x->cmd);
		return NULL;
	}
	{
		const char *ph = usage_positional(
		    x->cmd, npos, w, usage_words(x->cmd->usage, w, 32));
		return ph ? placeholder(x, ph, pos, npos) : NULL;
	}
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
		err = placeholder(&x, "STAGE", NULL, 0);
	} else if (strcmp(what, "roles") == 0 && a->npos == 1) {
		err = placeholder(&x, "ROLE", NULL, 0);
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
