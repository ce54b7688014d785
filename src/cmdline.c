/*
 * cmdline.c - aiproj's command line: the global options before the
 * command, the command's words (help, close matches), its options and
 * arguments, what the environment sets (the actor, the text width, the
 * busy timeout), and usage errors.  main.c runs the command it names.
 */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aiproj/util.h"
#include "cli.h"

#ifndef AIPROJ_VERSION
#define AIPROJ_VERSION "0.1.0"
#endif

/* Errors go to stderr as one JSON object line: set when the command line
 * asked for --format json (the last --format wins), as far as it was read
 * before the error. */
static int json_errors;
static int github_errors;

int
cli_json_errors(void)
{
	return json_errors;
}

int
cli_github_errors(void)
{
	return github_errors;
}

static const struct ap_error *
usage_error(const struct command *cmd, const char *fmt, const char *arg)
{
	char words[80], u[256];

	if (!cmd) {
		global_synopsis(u, sizeof(u), 1);
		return ap_error_fmt(AP_EXIT_USAGE,
				    "%s '%s'\nusage: aiproj %s COMMAND [ARGS]\n"
				    "Run 'aiproj --help' for the commands.",
				    fmt, arg, u);
	}
	snprintf(words, sizeof(words), "%s%s%s", cmd->group,
		 cmd->verb ? " " : "", cmd->verb ? cmd->verb : "");
	usage_args(cmd, u, sizeof(u));
	return ap_error_fmt(AP_EXIT_USAGE,
			    "%s '%s' for '%s'\nusage: aiproj %s %s\nRun 'aiproj"
			    " %s --help' for more.",
			    fmt, arg, words, words, u, words);
}

/* Empty, or only white space: a value that would silently mean nothing. */
static int
blank(const char *s)
{
	return s[strspn(s, " \t\n\r\v\f")] == '\0';
}

/*
 * Parse argv[i..] into a: options of `cmd` and the global ones anywhere,
 * positionals in order.  `--` ends options; "-5" is a positional number.
 */
static const struct ap_error *
parse_args(const struct command *cmd, int argc, char **argv, int i,
	   struct args *a)
{
	int only_pos = 0;

	for (; i < argc; i++) {
		const char *arg = argv[i], *name, *eq;
		const struct argdesc *d;
		char buf[64];
		int is_short;

		if (only_pos || arg[0] != '-' || arg[1] == '\0' ||
		    (arg[1] >= '0' && arg[1] <= '9') || arg[1] == '.') {
			if (a->npos == POS_MAX)
				return usage_error(cmd, "too many arguments",
						   arg);
			a->pos[a->npos++] = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			only_pos = 1;
			continue;
		}
		is_short = arg[1] != '-';
		name = arg + (is_short ? 1 : 2);
		eq = is_short ? NULL : strchr(name, '=');
		if (eq) {
			size_t n = (size_t)(eq - name);
			if (n >= sizeof(buf))
				return usage_error(cmd, "unknown option", arg);
			memcpy(buf, name, n);
			buf[n] = '\0';
			name = buf;
		}
		if (!(d = opt_find(cmd, name, is_short)))
			return usage_error(cmd, "unknown option", shown(arg));
		if (a->nopt == ARGS_MAX)
			return usage_error(cmd, "too many options", arg);
		a->opt[a->nopt].name = d->name + 2;
		if (d->type == AT_FLAG) {
			if (eq && !(d->flags & ARG_OPTVAL))
				return usage_error(cmd, "option takes no value",
						   arg);
			if (eq && blank(eq + 1))
				return ap_error_fmt(AP_EXIT_USAGE,
						    "option %s= is empty: give"
						    " it a value or leave the ="
						    " out",
						    d->name);
			a->opt[a->nopt++].val = eq ? eq + 1 : "";
			continue;
		}
		if (eq) {
			a->opt[a->nopt].val = eq + 1;
		} else if (i + 1 < argc) {
			a->opt[a->nopt].val = argv[++i];
		} else {
			return usage_error(cmd, "missing value for option",
					   arg);
		}
		/* (an empty email or handle clears it: person set) */
		if (blank(a->opt[a->nopt].val) && d->type != AT_NOTE &&
		    d->type != AT_EMAIL && d->type != AT_HANDLE)
			return ap_error_fmt(AP_EXIT_USAGE,
					    "option %s is empty: give it a"
					    " value or leave it out",
					    d->name);
		a->nopt++;
		if (d->type == AT_FORMAT) {
			json_errors =
			    strcmp(a->opt[a->nopt - 1].val, "json") == 0;
			github_errors =
			    strcmp(a->opt[a->nopt - 1].val, "github") == 0;
		}
	}
	return NULL;
}

const char *
opt_val(const struct args *a, const char *name)
{
	const char *v = NULL;

	for (int i = 0; i < a->nopt; i++)
		if (strcmp(a->opt[i].name, name) == 0)
			v = a->opt[i].val; /* the last one wins */
	return v;
}

int
opt_has(const struct args *a, const char *name)
{
	return opt_val(a, name) != NULL;
}

/* How wide text may be: --wide no limit, else $COLUMNS (not a number:
 * 80; at least 20), else 80. */
static void
text_columns(const struct args *a)
{
	const char *v = getenv("COLUMNS");
	char *end;
	long n = 80;

	if (opt_has(a, "wide")) {
		out_set_columns(0);
		return;
	}
	if (v && *v) {
		n = strtol(v, &end, 10);
		if (*end || n <= 0)
			n = 80;
		else if (n < 20)
			n = 20;
		else if (n > 100000)
			n = 100000;
	}
	out_set_columns((int)n);
}

static const struct ap_error *
resolve_actor(struct cli *c, const struct args *a)
{
	const char *v = opt_val(a, "actor");
	const struct ap_error *err;

	if (!v && (v = getenv("AIPROJ_ACTOR")) && blank(v))
		return ap_error_fmt(
		    AP_EXIT_USAGE, "AIPROJ_ACTOR is empty: set it to a person's"
				   " name or unset it");
	if (!v) {
		struct passwd *pw = getpwuid(geteuid());
		v = pw && pw->pw_name ? pw->pw_name : getenv("USER");
	}
	if (!v || !*v)
		return ap_error_fmt(AP_EXIT_USAGE,
				    "cannot tell who you are: give --actor"
				    " NAME or set AIPROJ_ACTOR");
	if ((err = valid_person(v)))
		return ap_error_fmt(AP_EXIT_USAGE, "invalid actor: %s",
				    err->msg);
	c->actor = v;
	return NULL;
}

/* $AIPROJ_BUSY_TIMEOUT: how long to wait for a busy store, in ms. */
const struct ap_error *
cli_busy_timeout(int *ms)
{
	const char *v = getenv("AIPROJ_BUSY_TIMEOUT");
	long long n = 5000;
	const struct ap_error *err;

	if (v && (err = parse_whole("AIPROJ_BUSY_TIMEOUT", v, 0,
				    BUSY_TIMEOUT_MAX, &n)))
		return err;
	*ms = (int)n;
	return NULL;
}

static const struct ap_error *
help_for(int n, char **words)
{
	const struct command *cmd;

	if (n == 0 || strcmp(words[0], "help") == 0) {
		usage_all(stdout);
		return NULL;
	}
	if ((cmd = command_find(words[0], NULL))) {
		usage_cmd(stdout, cmd);
		return NULL;
	}
	if (!command_group(words[0]))
		return usage_error(NULL, "unknown command", shown(words[0]));
	if (n == 1 || words[1][0] == '-') {
		usage_group(stdout, words[0]);
		return NULL;
	}
	if (!(cmd = command_find(words[0], words[1])))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "unknown subcommand '%s' for '%s'\n"
				    "Run 'aiproj help %s' for its subcommands.",
				    shown(words[1]), words[0], words[0]);
	usage_cmd(stdout, cmd);
	return NULL;
}

/* A list of projects (export, report roles): each once, in the order
 * first given. */
static void
drop_repeats(struct args *a)
{
	int n = 0;

	for (int i = 0; i < a->npos; i++) {
		int seen = 0;
		for (int k = 0; k < n && !seen; k++)
			seen = strcmp(a->pos[k], a->pos[i]) == 0;
		if (!seen)
			a->pos[n++] = a->pos[i];
	}
	a->npos = n;
}

/* The global options before the command words, into a; *i is left at
 * the first word after them. */
static const struct ap_error *
lead_options(int argc, char **argv, int *i, struct args *a)
{
	const struct ap_error *err;

	for (; *i < argc && argv[*i][0] == '-' && argv[*i][1]; (*i)++) {
		struct args g = {0};
		const char *arg = argv[*i],
			   *name = arg + (arg[1] == '-' ? 2 : 1);
		const struct argdesc *d;
		char nb[16];
		size_t n = strcspn(name, "=");
		if (strcmp(arg, "--") == 0) {
			(*i)++;
			break;
		}
		snprintf(nb, sizeof(nb), "%.*s", (int)(n < 15 ? n : 15), name);
		if (!(d = opt_find(NULL, nb, arg[1] != '-')))
			return usage_error(NULL, "unknown option", shown(arg));
		if (d->type != AT_FLAG && !strchr(arg, '=')) {
			if (*i + 1 >= argc)
				return usage_error(
				    NULL, "missing value for option", arg);
			if ((err = parse_args(NULL, *i + 2, argv, *i, &g)))
				return err;
			(*i)++;
		} else if ((err = parse_args(NULL, *i + 1, argv, *i, &g))) {
			return err;
		}
		for (int k = 0; k < g.nopt; k++)
			a->opt[a->nopt++] = g.opt[k];
		if (a->nopt >= ARGS_MAX - 1)
			return usage_error(NULL, "too many options", argv[*i]);
	}
	return NULL;
}

/* The closest of the command words (group NULL: the first words, else
 * the verbs of group) to `word`, if one is close. */
static const char *
closest(const char *group, const char *word)
{
	const char *best = NULL;
	int bestd = 3;

	for (const struct command *k = commands; k->group; k++) {
		const char *w = group ? k->verb : k->group;
		int d;
		if ((k->flags & CMD_HIDDEN) || !w ||
		    (group && strcmp(k->group, group) != 0))
			continue;
		if ((d = edit_distance(word, w)) < bestd)
			bestd = d, best = w;
	}
	return best;
}

/* The verb of a group at argv[*i] (the group at argv[*i - 1]); NULL and
 * *err, or NULL alone when it asked for the group's help. */
static const struct command *
find_verb(int argc, char **argv, int *i, const struct ap_error **err)
{
	const char *group = argv[*i - 1], *best;
	const struct command *cmd;

	*err = NULL;
	if (*i >= argc || argv[*i][0] == '-') {
		if (*i < argc && (strcmp(argv[*i], "--help") == 0 ||
				  strcmp(argv[*i], "-h") == 0)) {
			usage_group(stdout, group);
			return NULL;
		}
		if (!json_errors)
			usage_group(stderr, group);
		*err = ap_error_fmt(AP_EXIT_USAGE, "'%s' needs a subcommand",
				    group);
		return NULL;
	}
	if ((cmd = command_find(group, argv[*i])))
		return cmd;
	if ((best = closest(group, argv[*i]))) {
		*err = ap_error_fmt(AP_EXIT_USAGE,
				    "unknown subcommand '%s' for '%s'; did you"
				    " mean '%s'?",
				    shown(argv[*i]), group, best);
		return NULL;
	}
	if (!json_errors)
		usage_group(stderr, group);
	*err = ap_error_fmt(AP_EXIT_USAGE, "unknown subcommand '%s' for '%s'",
			    shown(argv[*i]), group);
	return NULL;
}

/* The command named at argv[*i] (and the verb after it); *i is left at
 * its last word.  NULL and *err, or NULL alone after a group's help. */
static const struct command *
find_command(int argc, char **argv, int *i, const struct ap_error **err)
{
	const struct command *cmd;
	const char *best;

	*err = NULL;
	if ((cmd = command_find(argv[*i], NULL)))
		return cmd;
	if (!command_group(argv[*i])) {
		if ((best = closest(NULL, argv[*i])))
			*err = ap_error_fmt(
			    AP_EXIT_USAGE,
			    "unknown command '%s'; did you mean '%s'?\n"
			    "Run 'aiproj --help' for the commands.",
			    shown(argv[*i]), best);
		else
			*err = usage_error(NULL, "unknown command",
					   shown(argv[*i]));
		return NULL;
	}
	(*i)++;
	return find_verb(argc, argv, i, err);
}

/* The number of positionals, and the --format, the command takes. */
static const struct ap_error *
check_command_line(struct cli *c, const struct command *cmd, struct args *a)
{
	int minpos = cmd_minpos(cmd), maxpos = cmd_maxpos(cmd);
	const struct ap_error *err;
	const char *fmt;
	char u[256];
	int f;

	usage_args(cmd, u, sizeof(u));
	if (a->npos < minpos)
		return usage_error(cmd, "missing argument: expected", u);
	if (maxpos >= 0 && a->npos > maxpos)
		return usage_error(cmd, "unexpected argument",
				   shown(a->pos[maxpos]));
	if (maxpos < 0 && !(cmd->flags & CMD_HIDDEN))
		drop_repeats(a);
	c->format = FMT_TEXT;
	if (!(fmt = opt_val(a, "format")))
		return NULL;
	if (!(f = format_parse(fmt)) || !(cmd->formats & f)) {
		struct sbuf b = {0};
		for (int bit = 1; bit <= FMT_LAST; bit <<= 1)
			if (cmd->formats & bit)
				sbuf_printf(&b, "%s%s", b.len ? ", " : "",
					    format_name(bit));
		err = ap_error_fmt(AP_EXIT_USAGE,
				   "format '%s' is not available here "
				   "(use one of: %s)",
				   shown(fmt), b.s ? b.s : "");
		sbuf_free(&b);
		return err;
	}
	c->format = f;
	return NULL;
}

/* What the environment and the global options set for every command. */
static const struct ap_error *
setup(struct cli *c, const struct args *a)
{
	const struct ap_error *err;
	int ms;

	if (getenv("AIPROJ_NOW") && !stamp_valid(getenv("AIPROJ_NOW")))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "AIPROJ_NOW '%s' is not a time stamp like"
				    " 2026-01-02T03:04:05.678Z",
				    shown(getenv("AIPROJ_NOW")));
	if ((err = cli_busy_timeout(&ms)) || (err = hooks_setup(c, a)))
		return err;
	c->quiet = opt_has(a, "quiet");
	text_columns(a);
	out_set_raw_csv(opt_has(a, "raw-csv"));
	c->color = !opt_has(a, "no-color") &&
		   !(getenv("NO_COLOR") && *getenv("NO_COLOR")) &&
		   isatty(STDOUT_FILENO) && c->format == FMT_TEXT &&
		   !(getenv("TERM") && strcmp(getenv("TERM"), "dumb") == 0);
	return resolve_actor(c, a);
}

static void
print_version(void)
{
	printf("aiproj %s\n", AIPROJ_VERSION);
}

/* Before the command: --version, help, --help, or no command at all.
 * Sets *done when that was all there was to do. */
static const struct ap_error *
before_command(int argc, char **argv, int i, const struct args *a, int *done)
{
	*done = 1;
	if (opt_has(a, "version")) {
		print_version();
		return NULL;
	}
	if (i < argc && strcmp(argv[i], "help") == 0)
		return help_for(argc - i - 1, argv + i + 1);
	if (opt_has(a, "help"))
		return help_for(argc - i, argv + i);
	if (i >= argc) {
		if (!json_errors)
			usage_all(stderr);
		return ap_error_fmt(AP_EXIT_USAGE, "no command given");
	}
	*done = 0;
	return NULL;
}

const struct ap_error *
cli_read_command_line(struct cli *c, int argc, char **argv, struct args *a,
		      int *done)
{
	const struct ap_error *err;
	const struct command *cmd;
	int i = 1;

	*done = 0;
	if ((err = lead_options(argc, argv, &i, a)) ||
	    (err = before_command(argc, argv, i, a, done)) || *done)
		return err;
	if (!(cmd = find_command(argc, argv, &i, &err))) {
		*done = !err;
		return err;
	}
	c->cmd = cmd;
	if ((err = parse_args(cmd, argc, argv, i + 1, a)))
		return err;
	if (opt_has(a, "help") ||
	    (opt_has(a, "version") &&
	     opt_find(cmd, "version", 0) == opt_find(NULL, "version", 0))) {
		if (opt_has(a, "help"))
			usage_cmd(stdout, cmd);
		else
			print_version();
		*done = 1;
		return NULL;
	}
	if ((err = check_command_line(c, cmd, a)) ||
	    (err = prevalidate(cmd, a)))
		return err;
	return setup(c, a);
}
