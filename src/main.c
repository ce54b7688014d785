/*
 * main.c - aiproj's entry point: the store location, one transaction per
 * command, and the only place that prints errors and exits (the command
 * line is read in cmdline.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aiproj/util.h"
#include "aiproj/yamlio.h"
#include "cli.h"

/* a read-only command's output: standard output, through a stream that
 * keeps why a write failed */
static FILE *std_out;
static int std_out_err;

/* Remove the last `made` components of dir (made by make_dirs()), each
 * only if still empty: a failed command leaves no directories behind. */
static void
unmake_dirs(char *dir, int made)
{
	size_t n = strlen(dir);

	while (made-- > 0 && n > 1) {
		if (rmdir(dir))
			return;
		while (n > 1 && dir[n - 1] != '/')
			n--;
		while (n > 1 && dir[n - 1] == '/')
			n--;
		dir[n] = '\0';
	}
}

/* mkdir -p for a new store's directory (new ones 0700, like git init).
 * *made: how many of its last components this call created (0 when it
 * existed), for unmake_dirs() if the store is not made after all.  On
 * failure the ones made are removed again, *made is 0 and dir is cut. */
static const struct ap_error *
make_dirs(char *dir, int *made)
{
	const struct ap_error *err;
	struct stat sb;
	char *p;

	*made = 0;
	if (!*dir || stat(dir, &sb) == 0)
		return !*dir || S_ISDIR(sb.st_mode)
			   ? NULL
			   : ap_error_fmt(AP_EXIT_STORE,
					  "cannot create store directory '%s':"
					  " a file is in the way",
					  shown(dir));
	for (p = dir + 1;; p++) {
		int end = !*p;
		if (!end && (*p != '/' || p[-1] == '/'))
			continue;
		*p = '\0';
		if (!mkdir(dir, 0700)) {
			*made += 1;
		} else if (errno != EEXIST) {
			err = ap_error_errno(AP_EXIT_STORE,
					     "cannot create directory",
					     shown(dir));
			/* the ones made end at this one's parent (dir is
			 * only freed after a failure) */
			while (p > dir && p[-1] != '/')
				p--;
			while (p > dir + 1 && p[-1] == '/')
				p--;
			*p = '\0';
			unmake_dirs(dir, *made);
			*made = 0;
			return err;
		}
		if (end)
			return NULL;
		*p = '/';
	}
}

/* Does the directory the store file `path` goes in exist? */
static int
store_dir_exists(const char *path)
{
	const char *slash = strrchr(path, '/');
	struct stat sb;
	char *dir;
	int ok;

	if (!slash)
		return 1; /* the current directory */
	if (slash == path)
		return 1; /* the root */
	if (!(dir = strndup(path, (size_t)(slash - path))))
		return 0;
	ok = stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode);
	free(dir);
	return ok;
}

/* The directories a new store file at `path` goes in: their path in
 * *dir (freed by the caller; NULL when none is needed) and how many were
 * made in *made. */
static const struct ap_error *
make_store_dirs(const char *path, char **dir, int *made)
{
	const char *slash;

	*dir = NULL;
	*made = 0;
	if (store_location_is_pg(path) || !(slash = strrchr(path, '/')) ||
	    slash == path)
		return NULL;
	if (!(*dir = strndup(path, (size_t)(slash - path))))
		return ap_error_nomem();
	return make_dirs(*dir, made);
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

/* A stored lifecycle, for a server store's copy of its roles. */
static const struct ap_error *
parse_stored(const char *text, struct lifecycle *lc)
{
	return lifecycle_parse_stored(text, strlen(text), "store lifecycle",
				      lc);
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
 * A trial runs it on a private scratch store, prints nothing and commits
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

	if ((err = cli_busy_timeout(&busy)) ||
	    (err = path ? store_open(path, busy, flags, &c->store)
			: store_open_scratch(&c->store)))
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
	/* pre-hooks: inside the transaction, before anything is printed */
	if (!err && (err = hooks_run_pre(c)))
		goto done;
	/* the output is written before COMMIT: when it cannot be, the
	 * change is rolled back and the exit says so.  A store made in a
	 * new file is first written there whole (store_seal()), so that
	 * nothing is printed for a store that then is not made. */
	if (!trial && !c->rollback_only) {
		const struct ap_error *serr = store_seal(c->store);
		if (serr) {
			err = serr;
			goto done;
		}
	}
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
		hooks_run_post(c); /* after COMMIT: failures are warnings */
	}
done:
	hooks_clear(c);
	if (c->store)
		store_rollback(c->store);
	free(buf);
	if (err && c->refused && !trial)
		refusal_log(c);
	return err;
}

/* Ready for run_on() again: the store of the run before closed, and what
 * it set. */
static void
run_reset(struct cli *c)
{
	store_close(c->store);
	c->store = NULL;
	lifecycle_free(&c->lc);
	c->refused = 0;
	c->claimed = 0;
	c->rollback_only = 0;
}

/* Can the command's input be read twice: no argument is "-" (standard
 * input) or names a file that is not a regular one (a FIFO)? */
static int
input_rereadable(const struct args *a)
{
	for (int i = 0; i < a->npos; i++) {
		struct stat sb;
		if (strcmp(a->pos[i], "-") == 0 ||
		    (stat(a->pos[i], &sb) == 0 && !S_ISREG(sb.st_mode)))
			return 0;
	}
	return 1;
}

/*
 * The store, then the command: see run_on().  A command that only reads
 * never creates or converts anything: a missing store is exit 7.  Only
 * init, project create, policy set and import (not import --dry-run) create
 * a missing store, and only once a trial on an empty scratch store shows
 * the command will not fail (a bad import file creates nothing); only init
 * makes an empty file a store.
 */
static const struct ap_error *
run(struct cli *c, struct args *a)
{
	const struct command *cmd = c->cmd;
	const struct ap_error *err;
	unsigned flags = cmd->flags & CMD_WRITE ? 0 : STORE_READ;
	char *dir = NULL;
	int made = 0;

	if (cmd->flags & CMD_NOSTORE) {
		c->out = std_out ? std_out : stdout;
		return cmd->fn(c, a);
	}
	if (strcmp(cmd->group, "init") == 0)
		flags |= STORE_INIT;
	if (cmd->flags & CMD_BULK)
		flags |= STORE_BULK;
	if ((cmd->flags & CMD_SERVER) && !store_location_is_pg(c->db))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "'%s %s' applies to PostgreSQL stores only:"
				    " who may use an SQLite store is who may"
				    " write its file",
				    cmd->group, cmd->verb);
	err = run_on(c, a, c->db, flags, 0);
	/* completion (hidden) offers what a new store would hold */
	if (store_missing(err) && (cmd->flags & CMD_HIDDEN))
		return run_on(c, a, NULL, 0, 0);
	if (!store_missing(err) || !(cmd->flags & CMD_CREATES))
		return err;
	/* what would stop the store being made stops the trial and the dry
	 * run too */
	if ((err = store_create_check(c->db, 1)))
		return err;
	/* a dry run on a missing store: what the command would do to the
	 * new one (an empty private scratch store), which it never makes */
	if (opt_has(a, "dry-run"))
		return run_on(c, a, NULL, 0, 0);
	/* a bulk write (import) into a new file where its directory is: one
	 * run, the store written beside its place and put there when the
	 * command commits, so a failure creates nothing without a trial */
	if ((cmd->flags & CMD_BULK) && !store_location_is_pg(c->db) &&
	    store_dir_exists(c->db)) {
		const char *where = c->db; /* (run_on() names it anew) */
		err = run_on(c, a, c->db,
			     flags | STORE_CREATE | STORE_CREATE_AT_COMMIT, 0);
		/* another process made the store meanwhile: nothing was kept
		 * or printed, and a file (not standard input or a FIFO) is
		 * read again into that store, as if this command had come
		 * after it */
		if (!store_overtaken(err) || !input_rereadable(a))
			return err;
		run_reset(c);
		c->db = where;
		return run_on(c, a, c->db, flags, 0);
	}
	err = run_on(c, a, NULL, 0, 1);
	run_reset(c);
	if (err && err->code != AP_EXIT_FALSE)
		return err;
	if ((err = make_store_dirs(c->db, &dir, &made))) {
		free(dir); /* (make_dirs() took away the ones it made) */
		return err;
	}
	err = run_on(c, a, c->db, flags | STORE_CREATE, 0);
	if (err && err->code != AP_EXIT_FALSE && dir)
		unmake_dirs(dir, made);
	free(dir);
	return err;
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

/* An error as the command line asked: text, or JSON for --format json;
 * for --format github the text and an ::error annotation on standard
 * output, so that every failure shows in the workflow run. */
static void
print_any_error(const struct ap_error *err)
{
	if (cli_json_errors()) {
		print_error_json(err);
		return;
	}
	print_error(err);
	if (cli_github_errors()) {
		FILE *o = std_out ? std_out : stdout;
		fputs("::error title=aiproj::", o);
		gh_escape(o, err->msg);
		fputc('\n', o);
	}
}

static const struct ap_error *
dispatch(struct cli *c, int argc, char **argv, int *help_done)
{
	const struct ap_error *err;
	struct args a = {0};
	char *owned = NULL;

	if ((err = cli_read_command_line(c, argc, argv, &a, help_done)) ||
	    *help_done)
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
	store_set_lifecycle_parser(parse_stored);
	/* reports can be large: fewer, bigger writes when not a terminal */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if ((std_out = fd_stream(STDOUT_FILENO, 0, &std_out_err)))
		setvbuf(std_out, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF,
			1 << 16);
	/* one thread writes them: no lock taken and released by each call
	 * (a report over the whole portfolio is millions of pieces) */
	__fsetlocking(stdout, FSETLOCKING_BYCALLER);
	if (std_out)
		__fsetlocking(std_out, FSETLOCKING_BYCALLER);
	err = dispatch(&c, argc, argv, &help_done);
	if (!err) {
		/* a post-hook that failed: a warning, or exit 9 */
		const char *w;
		err = hooks_after(&c, &w);
		/* one warning a hook, its stderr's lines indented under it */
		while (!err && w && *w) {
			size_t n = strcspn(w, "\n");
			fprintf(stderr, "%s%.*s\n",
				w[0] == ' ' ? "" : "aiproj: warning: ", (int)n,
				w);
			w += n + (w[n] == '\n');
		}
	}
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
	hooks_free(&c);
	lifecycle_free(&c.lc);
	ap_error_cleanup();
	return code;
}
