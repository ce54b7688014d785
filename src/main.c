/*
 * main.c - aiproj's entry point: global options, the store location, one
 * transaction per command, and the only place that prints errors and exits.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"

#ifndef AIPROJ_VERSION
#define AIPROJ_VERSION "0.1.0"
#endif

/* a read-only command's output: standard output, through a stream that
 * keeps why a write failed */
static FILE *std_out;
static int std_out_err;

/* Errors go to stderr as one JSON object line: set when the command line
 * asked for --format json (the last --format wins), as far as it was read
 * before the error. */
static int json_errors;

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
		if (blank(a->opt[a->nopt].val) && d->type != AT_NOTE)
			return ap_error_fmt(AP_EXIT_USAGE,
					    "option %s is empty: give it a"
					    " value or leave it out",
					    d->name);
		a->nopt++;
		if (d->type == AT_FORMAT)
			json_errors =
			    strcmp(a->opt[a->nopt - 1].val, "json") == 0;
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

/* mkdir -p for a new store's directory (new ones 0700, like git init). */
static const struct ap_error *
make_dirs(char *dir)
{
	struct stat sb;

	if (!*dir || stat(dir, &sb) == 0)
		return !*dir || S_ISDIR(sb.st_mode)
			   ? NULL
			   : ap_error_fmt(AP_EXIT_STORE,
					  "cannot create store directory '%s':"
					  " a file is in the way",
					  shown(dir));
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST) {
			const struct ap_error *err = ap_error_errno(
			    AP_EXIT_STORE, "cannot create directory",
			    shown(dir));
			*p = '/';
			return err;
		}
		*p = '/';
	}
	if (mkdir(dir, 0700) && errno != EEXIST)
		return ap_error_errno(AP_EXIT_STORE, "cannot create directory",
				      shown(dir));
	return NULL;
}

/* The directories a new store file at `path` goes in. */
static const struct ap_error *
make_store_dirs(const char *path)
{
	const struct ap_error *err;
	char *dir, *slash;

	if (store_location_is_pg(path) || !(slash = strrchr(path, '/')))
		return NULL;
	if (!(dir = strdup(path)))
		return ap_error_nomem();
	dir[slash - path] = '\0';
	err = make_dirs(dir);
	free(dir);
	return err;
}

/* aiproj(1) FILES: --db > $AIPROJ_DB > $XDG_DATA_HOME/aiproj >
 * ~/.local/share/aiproj. */
static const struct ap_error *
store_location(struct cli *c, const struct args *a, char **owned)
{
	const char *v = opt_val(a, "db"), *xdg, *home;

	*owned = NULL;
	if (!v)
		v = getenv("AIPROJ_DB");
	if (v) {
		if (!*v)
			return ap_error_fmt(AP_EXIT_USAGE,
					    "store path is empty: give --db"
					    " PATH or unset AIPROJ_DB");
		c->db = v;
		return NULL;
	}
	xdg = getenv("XDG_DATA_HOME");
	home = getenv("HOME");
	if (xdg && xdg[0] == '/') {
		if (asprintf(owned, "%s/aiproj/aiproj.db", xdg) < 0)
			return ap_error_nomem();
	} else if (home && home[0] == '/') {
		if (asprintf(owned, "%s/.local/share/aiproj/aiproj.db", home) <
		    0)
			return ap_error_nomem();
	} else {
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot locate the store: set --db,"
				    " AIPROJ_DB, XDG_DATA_HOME or HOME");
	}
	c->db = *owned;
	c->db_default = 1;
	return NULL; /* its directories are made with the store: see run() */
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

static const struct ap_error *
load_lifecycle(struct cli *c)
{
	const struct ap_error *err;
	char *text, *policy;

	if ((err = store_meta_get(c->store, "policy", &policy)))
		return err;
	c->policy_roles = policy && strcmp(policy, "roles") == 0;
	free(policy);

	if ((err = store_meta_get(c->store, "lifecycle", &text)))
		return err;
	if (!text)
		return ap_error_fmt(
		    AP_EXIT_STORE, "store '%s' has no lifecycle: it is damaged",
		    c->db);
	err = lifecycle_parse_stored(text, strlen(text), "store lifecycle",
				     &c->lc);
	free(text);
	if (err)
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s' holds a bad lifecycle:\n%s",
				    c->db, err->msg);
	return NULL;
}

/* Record a policy refusal in a transaction of its own: the refused
 * command itself changed nothing. */
static void
audit_refusal(struct cli *c)
{
	const struct ap_error *err;
	struct store_audit a = {
	    .at = c->now,
	    .actor = c->actor,
	    .action = c->refused_action,
	    .project = c->refused_project,
	    .stage = c->refused_stage,
	    .detail = c->refused_detail,
	};

	if ((err = store_begin(c->store, 1)) ||
	    (err = store_audit_add(c->store, &a)) ||
	    (err = store_commit(c->store))) {
		store_rollback(c->store);
		fprintf(stderr,
			"aiproj: warning: the refusal was not logged: %s\n",
			err->msg);
	}
}

/* $AIPROJ_BUSY_TIMEOUT: how long to wait for a busy store, in ms. */
static const struct ap_error *
busy_timeout(int *ms)
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

/* Write a write command's held output to standard output, all of it,
 * before its transaction commits. */
static const struct ap_error *
write_output(const char *buf, size_t len)
{
	if (fflush(stdout) != 0)
		goto fail;
	while (len > 0) {
		ssize_t n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		buf += n;
		len -= (size_t)n;
	}
	return NULL;
fail:
	return ap_error_fmt(AP_EXIT_STORE,
			    "cannot write output: %s; nothing was changed",
			    strerror(errno));
}

/*
 * Run the command in one transaction on the store at `path`, then print.
 * A trial runs it on an in-memory store, prints nothing and commits
 * nothing: only to learn whether it would fail.
 */
static const struct ap_error *
run_on(struct cli *c, struct args *a, const char *path, unsigned flags,
       int trial)
{
	const struct command *cmd = c->cmd;
	const struct ap_error *err;
	int write = cmd->flags & CMD_WRITE;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	int busy;

	if ((err = busy_timeout(&busy)) ||
	    (err = path ? store_open(path, busy, flags, &c->store)
			: store_open_memory(&c->store)))
		return err;
	/* messages name the store as it names itself (a server store:
	 * without its password) */
	if (path == c->db)
		c->db = store_path(c->store);
	{
		/* a server store names the actor itself */
		char *who = NULL;
		if ((err = store_actor(c->store, &who)))
			goto done;
		if (who) {
			free(c->actor_owned);
			c->actor = c->actor_owned = who;
		}
	}
	if ((err = store_begin(c->store, write)))
		goto done;
	if ((err = load_lifecycle(c)))
		goto done;
	now_utc(c->now);
	if (c->quiet || trial) {
		mem = fopen("/dev/null", "w");
	} else if (write) {
		/* nothing is printed unless the transaction commits */
		mem = open_memstream(&buf, &len);
	}
	if ((c->quiet || write || trial) && !mem) {
		err = ap_error_errno(AP_EXIT_STORE, "cannot open", "output");
		goto done;
	}
	c->out = mem ? mem : std_out ? std_out : stdout;
	c->trial = trial;
	if (!(err = authorize(c, a)))
		err = cmd->fn(c, a);
	/* the actor who made the store (init, or a first project create,
	 * policy set or import) is its first administrator */
	if (!err && store_created(c->store)) {
		int changed;
		err = store_admin_add(c->store, c->actor, c->actor, c->now,
				      &changed);
	}
	/* the first administrator of a store that had none: logged */
	if (!err && c->claimed && !trial && !c->rollback_only) {
		char detail[2 * PERSON_MAX_LEN + 96];
		struct store_audit au = {
		    .at = c->now,
		    .actor = c->actor,
		    .action = "admin add",
		    .project = "",
		    .stage = "",
		    .detail = detail,
		};
		snprintf(detail, sizeof(detail),
			 "the store had no administrator: '%s' made '%s' the"
			 " first",
			 c->actor, a->npos ? a->pos[0] : "");
		err = store_audit_add(c->store, &au);
	}
	/* (closing the output held in memory fails only for lack of it) */
	if (mem && fclose(mem) != 0 && !c->quiet && !trial) {
		err = ap_error_nomem();
		goto done;
	}
	if (err && err->code != AP_EXIT_FALSE)
		goto done;
	/* the output is written before COMMIT: when it cannot be, the
	 * change is rolled back and the exit says so */
	if (!trial && buf && len && (err = write_output(buf, len)))
		goto done;
	if (c->rollback_only || trial) {
		store_rollback(c->store);
	} else {
		const struct ap_error *cerr = store_commit(c->store);
		if (cerr) {
			err = cerr;
			goto done;
		}
	}
done:
	if (c->store)
		store_rollback(c->store);
	free(buf);
	if (err && c->refused && !trial)
		audit_refusal(c);
	return err;
}

/*
 * The store, then the command: see run_on().  A command that only reads
 * never creates or converts anything: a missing store is exit 7.  Only
 * init, project create, policy set and import (not import --dry-run) create
 * a missing store, and only once a trial on an empty in-memory store shows
 * the command will not fail (a bad import file creates nothing); only init
 * makes an empty file a store.
 */
static const struct ap_error *
run(struct cli *c, struct args *a)
{
	const struct command *cmd = c->cmd;
	const struct ap_error *err;
	unsigned flags = cmd->flags & CMD_WRITE ? 0 : STORE_READ;

	if (strcmp(cmd->group, "init") == 0)
		flags |= STORE_INIT;
	err = run_on(c, a, c->db, flags, 0);
	/* completion (hidden) offers what a new store would hold */
	if (store_missing(err) && (cmd->flags & CMD_HIDDEN))
		return run_on(c, a, NULL, 0, 0);
	if (!store_missing(err) || !(cmd->flags & CMD_CREATES) ||
	    opt_has(a, "dry-run"))
		return err;
	err = run_on(c, a, NULL, 0, 1);
	store_close(c->store);
	c->store = NULL;
	lifecycle_free(&c->lc);
	c->refused = 0;
	c->claimed = 0;
	c->rollback_only = 0;
	if (err && err->code != AP_EXIT_FALSE)
		return err;
	if ((err = make_store_dirs(c->db)))
		return err;
	return run_on(c, a, c->db, flags | STORE_CREATE, 0);
}

/* Print an error, control characters made visible, in one write: stderr
 * is unbuffered and a long list of import problems would otherwise cost a
 * system call per character. */
static void
print_error(const struct ap_error *err)
{
	size_t n = strlen(err->msg);
	char *b = malloc(n + 1);

	if (!b) {
		fprintf(stderr, "aiproj: error: %s\n", err->msg);
		return;
	}
	for (size_t i = 0; i <= n; i++) {
		unsigned char ch = (unsigned char)err->msg[i];
		b[i] = (char)((ch && ch < 0x20 && ch != '\n' && ch != '\t') ||
				      ch == 0x7f
				  ? '?'
				  : ch);
	}
	fprintf(stderr, "aiproj: error: %s\n", b);
	free(b);
}

/* The error as one line of JSON on stderr, for --format json:
 * {"aiproj":1,"error":{"code":N,"message":"..."}}.  The message is the
 * text one (control characters but newline and tab made '?'; not UTF-8:
 * every byte above ASCII made '?'), escaped. */
static void
print_error_json(const struct ap_error *err)
{
	const unsigned char *p = (const unsigned char *)err->msg;
	int ascii = !utf8_valid(err->msg, (size_t)-1), bad = 0;
	struct sbuf b = {0};
	char head[80];

	snprintf(head, sizeof(head),
		 "{\"aiproj\":1,\"error\":{\"code\":%d,\"message\":\"",
		 err->code);
	bad |= sbuf_add(&b, head, strlen(head));
	for (; *p; p++) {
		const char *esc = NULL;
		char ch = (char)*p;
		switch (*p) {
		case '"': esc = "\\\""; break;
		case '\\': esc = "\\\\"; break;
		case '\n': esc = "\\n"; break;
		case '\t': esc = "\\t"; break;
		default:
			if (*p < 0x20 || *p == 0x7f || (*p >= 0x80 && ascii))
				ch = '?';
		}
		bad |= esc ? sbuf_add(&b, esc, 2) : sbuf_add(&b, &ch, 1);
	}
	bad |= sbuf_add(&b, "\"}}\n", 4);
	if (!bad)
		fwrite(b.s, 1, b.len, stderr);
	else
		fprintf(stderr, "%sout of memory\"}}\n", head);
	sbuf_free(&b);
}

/* An error as the command line asked: text, or JSON for --format json. */
static void
print_any_error(const struct ap_error *err)
{
	if (json_errors)
		print_error_json(err);
	else
		print_error(err);
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
	if ((err = busy_timeout(&ms)))
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

static const struct ap_error *
dispatch(struct cli *c, int argc, char **argv, int *help_done)
{
	const struct ap_error *err;
	const struct command *cmd;
	struct args a = {0};
	char *owned = NULL;
	int i = 1;

	*help_done = 0;
	if ((err = lead_options(argc, argv, &i, &a)) ||
	    (err = before_command(argc, argv, i, &a, help_done)) || *help_done)
		return err;
	if (!(cmd = find_command(argc, argv, &i, &err))) {
		*help_done = !err;
		return err;
	}
	c->cmd = cmd;
	if ((err = parse_args(cmd, argc, argv, i + 1, &a)))
		return err;
	if (opt_has(&a, "help") || opt_has(&a, "version")) {
		if (opt_has(&a, "help"))
			usage_cmd(stdout, cmd);
		else
			print_version();
		*help_done = 1;
		return NULL;
	}
	if ((err = check_command_line(c, cmd, &a)) ||
	    (err = prevalidate(cmd, &a)) || (err = setup(c, &a)))
		return err;
	if (!(err = store_location(c, &a, &owned)))
		err = run(c, &a);
	free(owned);
	return err;
}

int
main(int argc, char **argv)
{
	struct cli c = {0};
	const struct ap_error *err;
	int help_done, code = 0;

	/*
	 * A closed standard descriptor is held by /dev/null, opened so that
	 * using it fails (write-only for input, read-only for output): no
	 * file aiproj opens (the store, a temporary file) can take its number
	 * and receive what was meant for the terminal.
	 */
	for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++) {
		int held;
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		held =
		    open("/dev/null", fd == STDIN_FILENO ? O_WRONLY : O_RDONLY);
		if (held != fd) {
			fprintf(stderr,
				"aiproj: error: cannot hold closed"
				" descriptor %d: %s\n",
				fd, held < 0 ? strerror(errno) : "taken");
			return AP_EXIT_STORE;
		}
	}
	/* reports can be large: fewer, bigger writes when not a terminal */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if ((std_out = fd_stream(STDOUT_FILENO, 0, &std_out_err)))
		setvbuf(std_out, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
			1 << 16);
	err = dispatch(&c, argc, argv, &help_done);
	if (err) {
		code = err->code;
		/* stage check's "does not hold" is its answer, not an error */
		if (!(code == AP_EXIT_FALSE && err->msg[0] == '\0'))
			print_any_error(err);
	}
	/* a read-only command's output (a write command's was written
	 * before its COMMIT) */
	if ((fflush(stdout) != 0 || ferror(stdout)) && !code) {
		print_any_error(ap_error_fmt(
		    AP_EXIT_STORE, "cannot write output: %s", strerror(errno)));
		code = AP_EXIT_STORE;
	}
	if (std_out && (fflush(std_out) != 0 || ferror(std_out)) && !code) {
		print_any_error(
		    ap_error_fmt(AP_EXIT_STORE, "cannot write output: %s",
				 strerror(std_out_err ? std_out_err : EIO)));
		code = AP_EXIT_STORE;
	}
	if (std_out)
		fclose(std_out);
	store_close(c.store);
	free(c.actor_owned);
	lifecycle_free(&c.lc);
	ap_error_cleanup();
	return code;
}
