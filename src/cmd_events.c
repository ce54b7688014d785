/*
 * cmd_events.c - the event feed: the log's events, each with its id in the
 * store's feed, after the id a reader last saw (--since), and with
 * --follow the events committed later, as they come, until SIGINT,
 * SIGTERM or the reader closing the pipe.  JSON is one object a line,
 * YAML one document an event; both flushed at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aiproj/util.h"
#include "cli.h"

/* How long SQLite sleeps between looks at the file, and PostgreSQL waits
 * for a notification before looking whether to stop. */
#define FOLLOW_MS 500

static volatile sig_atomic_t stop;

static void
on_stop(int sig)
{
	(void)sig;
	stop = 1;
}

struct ev_ctx {
	struct cli *c;
	struct table t;
	struct store_feed_query q;
	int64_t n;  /* events printed */
	int gone;   /* the reader closed the pipe */
	int failed; /* errno of a failed write, else 0 */
};

/* Flush: a reader that is gone ends the feed (exit 0); the rest of the
 * output goes nowhere, so that main has nothing left to complain of. */
static void
ev_flush(struct ev_ctx *x)
{
	int fd;

	if (fflush(x->c->out) == 0 && !ferror(x->c->out))
		return;
	if (errno != EPIPE) {
		x->failed = errno ? errno : EIO;
		return;
	}
	x->gone = 1;
	if ((fd = open("/dev/null", O_WRONLY)) >= 0) {
		dup2(fd, STDOUT_FILENO);
		close(fd);
	}
	clearerr(x->c->out);
}

static const struct ap_error *
on_event(void *arg, const struct store_log_row *r)
{
	struct ev_ctx *x = arg;
	struct cli *c = x->c;
	struct sbuf what = {0};
	char id[24];

	if (x->gone || x->failed)
		return NULL;
	log_what(&what, &c->lc, r);
	fmt_int(id, r->id);
	if (c->format & (FMT_JSON | FMT_YAML)) {
		struct jw w;
		if (c->format == FMT_YAML) {
			fputs("---\n", c->out);
			out_doc(c, &w);
		} else {
			jw_init(&w, c->out);
			w.compact = 1;
			jw_doc(&w);
		}
		jw_kint(&w, "id", r->id);
		log_row_keys(&w, r, what.s);
		jw_done(&w);
		ev_flush(x);
	} else {
		const char *row[1 + LOG_CELLS] = {id};
		log_row_cells(row + 1, r, what.s);
		table_row(&x->t, row);
	}
	sbuf_free(&what);
	x->q.after = r->id;
	x->n++;
	if (x->q.limit > 0)
		x->q.limit--;
	return NULL;
}

/* The named projects (each must exist) as ",a,b,", or NULL for all. */
static const struct ap_error *
ev_names(struct cli *c, const struct args *a, struct sbuf *b)
{
	const struct ap_error *err;

	for (int i = 0; i < a->npos; i++) {
		struct store_project p;
		if ((err = store_project_get(c->store, a->pos[i], &p)))
			return err;
		store_project_clear(&p);
		if (sbuf_printf(b, "%s%s,", i ? "" : ",", a->pos[i]))
			return ap_error_nomem();
	}
	return NULL;
}

/* The reader of a pipe on standard output has closed it. */
static int
reader_gone(void)
{
	struct pollfd p = {.fd = STDOUT_FILENO, .events = 0};

	return poll(&p, 1, 0) > 0 && (p.revents & (POLLERR | POLLHUP));
}

/* Until a writer commits, or a signal or the reader says stop. */
static const struct ap_error *
ev_wait(struct ev_ctx *x)
{
	const struct ap_error *err;
	int changed = 0;

	while (!changed && !stop) {
		if (reader_gone()) {
			x->gone = 1;
			break;
		}
		if ((err = store_wait(x->c->store, FOLLOW_MS, &changed)))
			return err;
	}
	return NULL;
}

static void
ev_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop; /* no SA_RESTART: a wait ends at once */
	/* once: a second signal ends a follower whose write waits for a
	 * reader that does not read */
	sa.sa_flags = SA_RESETHAND;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Each round one read transaction, ended before waiting. */
static const struct ap_error *
ev_rounds(struct ev_ctx *x, int follow)
{
	const struct ap_error *err;
	struct store *s = x->c->store;

	for (;;) {
		if ((err = store_begin(s, 0)))
			return err;
		err = store_feed(s, &x->q, on_event, x);
		store_rollback(s);
		if (err)
			return err;
		if (!(x->c->format & (FMT_JSON | FMT_YAML)) && x->t.rows) {
			table_end(&x->t);
			ev_flush(x);
		}
		if (!follow || x->gone || x->failed || x->q.limit == 0)
			return NULL;
		if ((err = ev_wait(x)) || stop || x->gone)
			return err;
	}
}

const struct ap_error *
cmd_events(struct cli *c, struct args *a)
{
	static const char *const head[] = {"ID",    "AT",   "PROJECT", "EVENT",
					   "ACTOR", "WHAT", "NOTE"};
	static const int width[] = {4, 24, 12, 7, 10, 24, 0};
	const struct ap_error *err;
	struct ev_ctx x = {.c = c, .q.limit = -1};
	struct cli_filter cf;
	struct sbuf names = {0};
	int follow = opt_has(a, "follow");
	const char *v;
	long long n;

	if ((v = opt_val(a, "since")) &&
	    (err = parse_whole("event id", v, 0, ID_MAX, &n)))
		return err;
	x.q.after = v ? n : 0;
	if ((v = opt_val(a, "limit")) &&
	    (err = parse_whole("limit", v, 1, 1000000000, &n)))
		return err;
	x.q.limit = v ? n : -1;
	if ((err = filter_from_args(c, a, 1, &cf)) ||
	    (err = ev_names(c, a, &names)))
		goto done;
	x.q.filter = &cf.f;
	x.q.names = names.s;
	/* a reader gone is the end of the feed, not an error */
	signal(SIGPIPE, SIG_IGN);
	if (!(c->format & (FMT_JSON | FMT_YAML))) {
		table_begin(&x.t, c->out, c->format, 7, head, width);
		table_keep(&x.t, TABLE_COL(4)); /* the actor */
	}
	/* the command's read transaction ends here: each round has its
	 * own, and a follower watches from before its first one */
	store_rollback(c->store);
	if (follow) {
		stop = 0;
		ev_signals();
		if ((err = store_watch(c->store)))
			goto done;
	}
	err = ev_rounds(&x, follow);
	if (!(c->format & (FMT_JSON | FMT_YAML)))
		table_end(&x.t);
	if (!err && x.n == 0 && c->format == FMT_TEXT && !follow)
		fputs("No events.\n", c->out);
	if (!err)
		ev_flush(&x);
	if (!err && x.failed)
		err = ap_error_fmt(AP_EXIT_STORE, "cannot write output: %s",
				   strerror(x.failed));
	/* main ends the command's transaction: one to end */
	if (!err)
		err = store_begin(c->store, 0);
done:
	sbuf_free(&names);
	return err;
}
