/*
 * store_sqlite.c - the store on an SQLite file.
 *
 * The only file that includes <sqlite3.h>.  Every connection runs WAL with
 * a busy timeout and foreign keys on; writes run in BEGIN IMMEDIATE so a
 * reader never has to upgrade (a deferred BEGIN that later writes fails
 * with SQLITE_BUSY at once, without the busy handler, when another
 * connection wrote first).  Statements are prepared once per process and reused.
 */
#include "store_ops.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <sqlite3.h>

#include "aiproj/embedded.h"
#include "aiproj/util.h"

/* 'AIPR' in PRAGMA application_id marks an aiproj store. */
#define APP_ID 0x41495052

#define NCACHE 64

#define SQ(s) ((struct sqlite_store *)(s))

static const struct store_ops sqlite_ops;
static void sq_close(struct store *s);
static void sq_rollback(struct store *s);
static const struct ap_error *set_triggers(struct store *s, int on);

struct sqlite_store {
	struct store base; /* first: the operations table */
	sqlite3 *db;
	char *path;
	int created;
	int in_tx;
	int64_t data_version; /* at sq_watch() or the last change seen */
	int ncursors;         /* open (sq_cursor_open): the file mapped */
	/* a copy (sqlite_copy_ops): the table being written */
	sqlite3_stmt *load;
	const char *load_types;
	char *load_doing;
	/* the connection's triggers off (set_triggers()): a copy's, or an
	 * import's (sq_feed_bulk(), the feed's last id before it then) */
	int triggers_off;
	int64_t feed_first;
	/* an older schema's upgrade, made inside each transaction until one
	 * commits (so a command that reads or fails leaves the store as it
	 * was), and whether the transaction open now made it */
	int upgrade, upgrading;
	/* STORE_CREATE_AT_COMMIT: the new store's file, and its place */
	char *pub_tmp, *pub_target;
	int busy_ms;
	int bulk_journal; /* its journal in memory until publish() */
	struct {
		const char *sql; /* cached by address: SQL are literals */
		sqlite3_stmt *st;
	} cache[NCACHE];
};

/* The operating system's reason behind an I/O failure, or NULL. */
static const char *
os_reason(struct store *s)
{
	int e = SQ(s)->db ? sqlite3_system_errno(SQ(s)->db) : 0;

	switch (e) {
	case 0: return NULL;
	case ENOSPC: return "disk full (no space left on device)";
	case EFBIG: return "file too large (a file size limit)";
	default: return strerror(e);
	}
}

static const struct ap_error *
db_error(struct store *s, int rc, const char *doing)
{
	int prim = rc & 0xff;
	const char *msg =
	    SQ(s)->db ? sqlite3_errmsg(SQ(s)->db) : sqlite3_errstr(rc);
	const char *why = os_reason(s);
	const char *path = shown(SQ(s)->path);

	switch (prim) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return ap_error_fmt(AP_EXIT_UNAVAILABLE,
				    "store '%s' is busy: another aiproj kept it"
				    " locked past the timeout; try again",
				    path);
	case SQLITE_READONLY:
		return ap_error_fmt(
		    AP_EXIT_STORE, "store '%s' is read-only: cannot %s%s%s",
		    path, doing, why ? ": " : "", why ? why : "");
	case SQLITE_NOTADB:
		return ap_error_fmt(AP_EXIT_STORE,
				    "'%s' is not an aiproj store (not an SQLite"
				    " database)",
				    path);
	case SQLITE_CORRUPT:
		return ap_error_fmt(AP_EXIT_STORE, "store '%s' is corrupt: %s",
				    path, msg);
	case SQLITE_FULL:
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s': cannot %s: disk full", path,
				    doing);
	case SQLITE_CANTOPEN:
		return ap_error_fmt(AP_EXIT_STORE, "cannot open store '%s': %s",
				    path, why ? why : msg);
	case SQLITE_NOMEM: return ap_error_nomem();
	}
	return ap_error_fmt(AP_EXIT_STORE, "store '%s': cannot %s: %s", path,
			    doing, why ? why : msg);
}

/* A cached prepared statement for the literal `sql`, reset and unbound. */
static const struct ap_error *
prep(struct store *s, const char *sql, sqlite3_stmt **st)
{
	int rc, i;

	for (i = 0; i < NCACHE && SQ(s)->cache[i].sql; i++)
		if (SQ(s)->cache[i].sql == sql) {
			*st = SQ(s)->cache[i].st;
			sqlite3_reset(*st);
			sqlite3_clear_bindings(*st);
			return NULL;
		}
	rc = sqlite3_prepare_v3(SQ(s)->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
				st, NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, "prepare a query");
	if (i < NCACHE) {
		SQ(s)->cache[i].sql = sql;
		SQ(s)->cache[i].st = *st;
	}
	return NULL;
}

/* Bind arguments described by `types` (see struct sd_stmt). */
static void
bindv(sqlite3_stmt *st, const char *types, va_list ap)
{
	for (int i = 0; types[i]; i++) {
		switch (types[i]) {
		case 's': {
			const char *v = va_arg(ap, const char *);
			if (v)
				sqlite3_bind_text(st, i + 1, v, -1,
						  SQLITE_STATIC);
			else
				sqlite3_bind_null(st, i + 1);
			break;
		}
		case 'i':
			sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
			break;
		case 'd':
			sqlite3_bind_double(st, i + 1, va_arg(ap, double));
			break;
		case 'n':
			(void)va_arg(ap, double);
			sqlite3_bind_null(st, i + 1);
			break;
		default: sqlite3_bind_null(st, i + 1);
		}
	}
}

/* The type string must match the statement's parameters, or the varargs
 * would be read wrongly: refuse instead of guessing. */
static const struct ap_error *
check_params(sqlite3_stmt *st, const char *types)
{
	if (sqlite3_bind_parameter_count(st) == (int)strlen(types))
		return NULL;
	return ap_error_fmt(AP_EXIT_STORE,
			    "internal error: query wants %d parameters, got"
			    " %zu: %s",
			    sqlite3_bind_parameter_count(st), strlen(types),
			    sqlite3_sql(st));
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

/* Run a whole script (migrations) outside the statement cache. */
static const struct ap_error *
script(struct store *s, const char *sql, const char *doing)
{
	int rc = sqlite3_exec(SQ(s)->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? NULL : db_error(s, rc, doing);
}

static const struct ap_error *
pragma_int(struct store *s, const char *sql, int64_t *v)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(SQ(s)->db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return db_error(s, rc, "read");
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, rc, "read");
	return NULL;
}

/* Identify the file: 1 = aiproj store, 0 = empty database, else refuse. */
static const struct ap_error *
identify(struct store *s, int64_t *version, int *empty)
{
	const struct ap_error *err;
	int64_t app, objects;

	if ((err = pragma_int(s, "PRAGMA application_id", &app)) ||
	    (err = pragma_int(s, "PRAGMA user_version", version)) ||
	    (err =
		 pragma_int(s, "SELECT count(*) FROM sqlite_master", &objects)))
		return err;
	*empty = app == 0 && *version == 0 && objects == 0;
	if (*empty)
		return NULL;
	if (app != APP_ID)
		return ap_error_fmt(AP_EXIT_STORE,
				    "'%s' is an SQLite database but not an"
				    " aiproj store; refusing to touch it",
				    shown(SQ(s)->path));
	if (*version > store_nmigrations)
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s' has schema version %lld, newer"
				    " than this aiproj knows (%d): upgrade"
				    " aiproj; the store was not changed",
				    shown(SQ(s)->path), (long long)*version,
				    store_nmigrations);
	return NULL;
}

/* Do the store's history rows have their hash column yet? */
static const struct ap_error *
has_chains(struct store *s, int64_t *yes)
{
	return pragma_int(s,
			  "SELECT count(*) FROM pragma_table_info('transition')"
			  " WHERE name = 'hash'",
			  yes);
}

/* Do its releases have their hash column yet (none: no releases)? */
static const struct ap_error *
has_monitor_chains(struct store *s, int64_t *yes)
{
	return pragma_int(
	    s,
	    "SELECT count(*) FROM pragma_table_info('prod_release')"
	    " WHERE name = 'hash'",
	    yes);
}

/* Bring the schema up to date inside the transaction open now, which
 * holds the write lock. */
static const struct ap_error *
migrate_in(struct store *s)
{
	const struct ap_error *err;
	int64_t version, chained = 0, monitored = 0;
	int empty;
	char sql[96];

	/* again under the lock: another process may have just done it */
	if ((err = identify(s, &version, &empty)) ||
	    (!empty && (err = has_chains(s, &chained))) ||
	    (!empty && (err = has_monitor_chains(s, &monitored))))
		return err;
	if (!empty && version >= store_nmigrations)
		return NULL;
	for (int64_t v = version; v < store_nmigrations; v++) {
		if ((err = script(s, store_migrations[v], "migrate the store")))
			return err;
	}
	/* the rows of a store from before the hash chains get theirs
	 * (schemas/007-hash-chain.sql), once */
	if (!empty && !chained && (err = store_chain_fill(s)))
		return err;
	/* and those of a store from before the monitoring records were
	 * chained (schemas/019-monitor-chain.sql), once */
	if (!empty && chained && !monitored &&
	    (err = store_chain_fill_monitor(s)))
		return err;
	/* the names of a store from before people become people
	 * (schemas/010-person.sql), once */
	if (!empty && version < 10 && (err = store_person_fill(s)))
		return err;
	/* the summary rows of the projects listed (schemas/020-summary.sql
	 * lists every project of a store from before it) */
	if (!empty && (err = store_summary_refresh(s)))
		return err;
	if (empty) {
		struct sd_stmt st = {
		    .sql = "INSERT INTO meta (key, value) VALUES"
			   " ('lifecycle', ?1), ('policy', 'open')",
		    .types = "s",
		    .doing = "initialise the store",
		};
		if ((err = sd_run(s, &st, lifecycle_default_yaml)))
			return err;
	}
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; PRAGMA user_version = %d", APP_ID,
		 store_nmigrations);
	return script(s, sql, "migrate the store");
}

/* A new store's schema, in a transaction of its own. */
static const struct ap_error *
migrate(struct store *s)
{
	const struct ap_error *err;

	if ((err = script(s, "BEGIN IMMEDIATE", "lock the store")))
		return err;
	if ((err = migrate_in(s)) ||
	    (err = script(s, "COMMIT", "migrate the store"))) {
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	return NULL;
}

/* The name SQLite is given for `path`: a path always, never a URI nor
 * ":memory:" (a relative path gets "./" before it). */
static char *
sqlite_name(const char *path)
{
	char *n;

	if (path[0] == '/')
		return strdup(path);
	return asprintf(&n, "./%s", path) < 0 ? NULL : n;
}

/* "file:" and `path` made absolute and percent-encoded, then `query`: a
 * URI only this file builds, for opening a store read-only. */
static char *
sqlite_uri(const char *path, const char *query)
{
	char cwd[4096];
	const char *pre = "";
	size_t n, k = 0;
	char *u, *full = NULL;

	if (path[0] != '/') {
		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		pre = cwd;
	}
	if (asprintf(&full, "%s%s%s", pre, *pre ? "/" : "", path) < 0)
		return NULL;
	n = strlen(full);
	if (!(u = malloc(5 + 3 * n + strlen(query) + 1))) {
		free(full);
		return NULL;
	}
	memcpy(u, "file:", 5);
	k = 5;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)full[i];
		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || strchr("/-._~", ch)) {
			u[k++] = (char)ch;
		} else {
			sprintf(u + k, "%%%02X", ch);
			k += 3;
		}
	}
	strcpy(u + k, query);
	free(full);
	return u;
}

static const struct ap_error *
sqlite_alloc(const char *path, struct store **out)
{
	struct sqlite_store *q = calloc(1, sizeof(*q));

	if (!q || !(q->path = strdup(path))) {
		free(q);
		return ap_error_nomem();
	}
	q->base.ops = &sqlite_ops;
	*out = &q->base;
	return NULL;
}

/* Open `name` (already a path or a URI for SQLite) with `oflags`; new files
 * (-wal, -shm) are 0600. */
static const struct ap_error *
sqlite_connect(struct store *s, const char *name, int oflags, int busy_ms)
{
	mode_t old = umask(077);
	int rc = sqlite3_open_v2(
	    name, &SQ(s)->db,
	    oflags | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE, NULL);

	umask(old);
	if (rc != SQLITE_OK)
		return db_error(s, rc == SQLITE_NOMEM ? rc : SQLITE_CANTOPEN,
				"open");
	sqlite3_busy_timeout(SQ(s)->db, busy_ms);
	sqlite3_extended_result_codes(SQ(s)->db, 1);
	return NULL;
}

/* Switch to WAL.  A journal-mode change can be SQLITE_BUSY without the
 * busy handler being called: retry until the busy timeout. */
static const struct ap_error *
use_wal(struct store *s, int busy_ms)
{
	for (int waited = 0;; waited += 10) {
		sqlite3_stmt *st;
		const char *mode;
		const struct ap_error *err = NULL;
		int rc = sqlite3_prepare_v2(
		    SQ(s)->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
		if (rc != SQLITE_OK)
			return db_error(s, rc, "configure the store");
		rc = sqlite3_step(st);
		mode = rc == SQLITE_ROW ? col_text(st, 0) : NULL;
		if (rc == SQLITE_ROW && mode && strcmp(mode, "wal") == 0) {
			sqlite3_finalize(st);
			return NULL;
		}
		if (rc == SQLITE_ROW)
			err =
			    ap_error_fmt(AP_EXIT_STORE,
					 "store '%s' cannot use WAL mode"
					 " (journal mode '%s')",
					 shown(SQ(s)->path), mode ? mode : "?");
		else if ((rc & 0xff) != SQLITE_BUSY || waited >= busy_ms)
			err = db_error(s, rc, "configure the store");
		sqlite3_finalize(st);
		if (err)
			return err;
		sqlite3_sleep(10);
	}
}

static int
file_exists(const char *path, const char *suffix)
{
	char p[4200];
	struct stat sb;

	snprintf(p, sizeof(p), "%s%s", path, suffix);
	return lstat(p, &sb) == 0;
}

/*
 * The files of a new store being built beside its place (build_file()),
 * which a signal that ends the process (an interrupt, a hangup, a termination,
 * a broken pipe, a file too large, an alarm, SIGUSR1/2) would otherwise leave
 * behind: the handler removes them (unlink() is safe in a handler), puts
 * back the signal's previous action and raises it again.  A signal the
 * process ignored stays ignored.  One new store at a time is built.
 */
static const int doom_sigs[] = {SIGINT,  SIGTERM, SIGHUP,  SIGPIPE,
				SIGXFSZ, SIGALRM, SIGUSR1, SIGUSR2};
#define NDOOM (sizeof(doom_sigs) / sizeof(doom_sigs[0]))
static char *doomed[4]; /* the file, its -wal, -shm and -journal */
static struct sigaction doom_old[NDOOM];
static int doom_set[NDOOM];

static void
doom_handler(int sig)
{
	for (size_t i = 0; i < 4; i++)
		if (doomed[i])
			unlink(doomed[i]);
	for (size_t i = 0; i < NDOOM; i++)
		if (doom_sigs[i] == sig)
			sigaction(sig, &doom_old[i], NULL);
	raise(sig);
}

static void
undoom(void)
{
	for (size_t i = 0; i < NDOOM; i++)
		if (doom_set[i]) {
			sigaction(doom_sigs[i], &doom_old[i], NULL);
			doom_set[i] = 0;
		}
	for (size_t i = 0; i < 4; i++) {
		free(doomed[i]);
		doomed[i] = NULL;
	}
}

/* New store file `path` goes if a signal ends the process before
 * unlink_store_files() or undoom(); without memory, it may stay. */
static void
doom(const char *path)
{
	struct sigaction sa;

	undoom();
	if (asprintf(&doomed[0], "%s", path) < 0 ||
	    asprintf(&doomed[1], "%s-wal", path) < 0 ||
	    asprintf(&doomed[2], "%s-shm", path) < 0 ||
	    asprintf(&doomed[3], "%s-journal", path) < 0) {
		for (size_t i = 0; i < 4; i++)
			doomed[i] = NULL; /* (asprintf leaves it undefined) */
		undoom();
		return;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = doom_handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NDOOM; i++) {
		if (sigaction(doom_sigs[i], NULL, &doom_old[i]) != 0 ||
		    doom_old[i].sa_handler == SIG_IGN)
			continue;
		doom_set[i] = sigaction(doom_sigs[i], &sa, NULL) == 0;
	}
}

/* Remove new file `path` and its -wal, -shm and -journal (and forget them
 * as doomed). */
static void
unlink_store_files(const char *path)
{
	char p[4200];

	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-journal", path);
	unlink(p);
	if (doomed[0] && strcmp(doomed[0], path) == 0)
		undoom();
}

/* Can a new store be made at `path`?  *target: where it would go
 * (`path`, or where a dangling symbolic link there points, as `sqlite3
 * link.db` would; freed by the caller).  Refused: a path that names a
 * directory, and a journal left where a store was removed. */
static const struct ap_error *
create_target(const char *path, char **target)
{
	const char *base = strrchr(path, '/');

	base = base ? base + 1 : path;
	*target = NULL;
	if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot create store '%s': the path names"
				    " a directory, not a file (give a file"
				    " name, such as '%s%saiproj.db')",
				    shown(path), shown(path), *base ? "/" : "");
	if (!(*target = follow_links(path)))
		return errno == ENOMEM
			   ? ap_error_nomem()
			   : ap_error_fmt(AP_EXIT_STORE,
					  "cannot create store '%s': %s",
					  shown(path), strerror(errno));
	/* a WAL left where the store was removed would be replayed onto
	 * the new file as its own: a corrupt store (or foreign rows) */
	if (file_exists(*target, "-wal"))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot create store '%s': '%s-wal' is"
				    " there, the journal of a store removed"
				    " without it (put that store back, or"
				    " remove '%s-wal' and '%s-shm')",
				    shown(path), shown(*target), shown(*target),
				    shown(*target));
	/* and so would a rollback journal (a store that was not in WAL
	 * mode, or another program's database, removed mid-transaction) */
	if (file_exists(*target, "-journal"))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot create store '%s': '%s-journal' is"
				    " there, the journal of a database removed"
				    " without it (put that database back, or"
				    " remove '%s-journal')",
				    shown(path), shown(*target),
				    shown(*target));
	return NULL;
}

const struct ap_error *
sqlite_store_create_check(const char *path, int dirs)
{
	const struct ap_error *err;
	char *target, *slash;
	struct stat sb;

	if ((err = create_target(path, &target)))
		goto done;
	/* its directory: made on the way only for the path itself (never
	 * through a link), and only when the caller makes it */
	if ((slash = strrchr(target, '/')) && slash != target &&
	    (!dirs || strcmp(target, path) != 0)) {
		int e = 0;
		*slash = '\0';
		if (stat(target, &sb) != 0)
			e = errno;
		else if (!S_ISDIR(sb.st_mode))
			e = ENOTDIR;
		if (e)
			err = ap_error_fmt(AP_EXIT_STORE,
					   "cannot create store '%s': %s",
					   shown(path), strerror(e));
	}
done:
	free(target);
	return err;
}

/*
 * A new store, whole, in a new file beside the one `path` names (0600):
 * *tmp its name, *target where it goes (create_target()).  The caller
 * links it into place or removes it (unlink_store_files()).
 */
static const struct ap_error *
build_file(const char *path, int busy_ms, char **tmp, char **target)
{
	const struct ap_error *err = NULL;
	struct store *t = NULL;
	char *name = NULL;
	mode_t old;
	int fd;

	*tmp = NULL;
	if ((err = create_target(path, target)))
		goto fail;
	if (asprintf(tmp, "%s.new-XXXXXX", *target) < 0) {
		*tmp = NULL;
		err = ap_error_nomem();
		goto fail;
	}
	old = umask(077);
	fd = mkstemp(*tmp);
	umask(old);
	if (fd < 0) {
		err =
		    ap_error_fmt(AP_EXIT_STORE, "cannot create store '%s': %s",
				 shown(path), strerror(errno));
		free(*tmp);
		*tmp = NULL;
		goto fail;
	}
	close(fd);
	doom(*tmp);
	if (!(name = sqlite_name(*tmp))) {
		err = ap_error_nomem();
		goto unlink_tmp;
	}
	if ((err = sqlite_alloc(path, &t)) ||
	    (err = sqlite_connect(t, name, SQLITE_OPEN_READWRITE, busy_ms)) ||
	    (err = use_wal(t, busy_ms)) || (err = migrate(t)))
		goto unlink_tmp;
	sq_close(t);
	t = NULL;
	/* closing checkpointed the WAL into the file and removed it */
	if (file_exists(*tmp, "-wal")) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "cannot create store '%s': its new file"
				   " kept a WAL",
				   shown(path));
		goto unlink_tmp;
	}
	free(name);
	return NULL;
unlink_tmp:
	sq_close(t);
	unlink_store_files(*tmp);
	free(*tmp);
	*tmp = NULL;
	free(name);
fail:
	free(*target);
	*target = NULL;
	return err;
}

/* Link new store file tmp into place at target: EEXIST when another
 * process was first. */
static const struct ap_error *
link_file(const char *path, const char *tmp, const char *target, int *lost)
{
	*lost = 0;
	if (link(tmp, target) == 0)
		return NULL;
	if (errno == EEXIST) {
		*lost = 1;
		return NULL;
	}
	return ap_error_fmt(AP_EXIT_STORE, "cannot create store '%s': %s",
			    shown(path), strerror(errno));
}

/*
 * Make a missing store: build it whole in a new file beside the target
 * (0600), then link() it into place, which fails with EEXIST when another
 * process was first (its store is used then).  No process ever sees a
 * half-made store.  *created: this process made it.
 */
static const struct ap_error *
create_file(const char *path, int busy_ms, int *created)
{
	const struct ap_error *err;
	char *tmp, *target;
	int lost;

	*created = 0;
	if ((err = build_file(path, busy_ms, &tmp, &target)))
		return err;
	err = link_file(path, tmp, target, &lost);
	*created = !err && !lost;
	unlink_store_files(tmp);
	free(tmp);
	free(target);
	return err;
}

/* Sealed: committed in the new file and closed there (seal() drops the
 * connection only once it is closed). */
static int
sealed(const struct store *s)
{
	return SQ(s)->pub_tmp && !SQ(s)->db;
}

/*
 * STORE_CREATE_AT_COMMIT: the first commit of a store made in a new file
 * beside its place puts it there, in two steps.  seal(): the transaction
 * commits in the new file, and the connection closes (checkpointing the
 * WAL into the file, and removing it); nobody sees the file yet.
 * publish(): the file is linked into place, and the store is opened again
 * there, as any other: its -wal and -shm are the ones every other process
 * uses.  Another process that made the store meanwhile keeps it, and this
 * commit is lost: an error.
 */
static const struct ap_error *
seal(struct store *s)
{
	const struct ap_error *err;
	const char *path = SQ(s)->path;
	int rc;

	for (int i = 0; i < NCACHE && SQ(s)->cache[i].sql; i++)
		sqlite3_finalize(SQ(s)->cache[i].st);
	memset(SQ(s)->cache, 0, sizeof(SQ(s)->cache));
	/* the file goes into place in WAL mode, as build_file() made it */
	if (SQ(s)->bulk_journal) {
		if ((err = use_wal(s, SQ(s)->busy_ms)))
			return err;
		SQ(s)->bulk_journal = 0;
	}
	if ((rc = sqlite3_close(SQ(s)->db)) != SQLITE_OK)
		return db_error(s, rc, "close the new store");
	SQ(s)->db = NULL;
	if (file_exists(SQ(s)->pub_tmp, "-wal"))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot create store '%s': its new file"
				    " kept a WAL",
				    shown(path));
	/* a store made meanwhile is known now, before anything is printed
	 * (publish() sees one made between here and there) */
	if (file_exists(SQ(s)->pub_target, ""))
		return store_overtaken_error(shown(path));
	return NULL;
}

static const struct ap_error *
publish(struct store *s)
{
	const struct ap_error *err = NULL;
	const char *path = SQ(s)->path;
	char *name = NULL;
	int lost = 0;

	if (!sealed(s) && (err = seal(s)))
		return err; /* (the new file goes with the store) */
	if (!(err =
		  link_file(path, SQ(s)->pub_tmp, SQ(s)->pub_target, &lost)) &&
	    lost)
		err = ap_error_fmt(AP_EXIT_STORE, STORE_OVERTAKEN_MSG,
				   shown(path));
	unlink_store_files(SQ(s)->pub_tmp);
	free(SQ(s)->pub_tmp);
	SQ(s)->pub_tmp = NULL;
	if (err)
		return err;
	if (!(name = sqlite_name(SQ(s)->pub_target)))
		return ap_error_nomem();
	if (!(err = sqlite_connect(s, name, SQLITE_OPEN_READWRITE,
				   SQ(s)->busy_ms)) &&
	    !(err =
		  script(s, "PRAGMA foreign_keys = ON", "configure the store")))
		err = use_wal(s, SQ(s)->busy_ms);
	free(name);
	return err;
}

/*
 * A bulk write (import) into a store not yet published keeps its rollback
 * journal in memory instead of a WAL: no other process opens the file (a
 * name of its own, mkstemp()), a failure or a signal removes it
 * (sq_close(), doom()), and a page spilled before the commit goes to the
 * file once, not to the WAL and then the file again.  Pages of a new
 * store past its size at BEGIN are not journaled, so the journal holds
 * little more than the schema's pages.  The commit syncs the file
 * (synchronous stays FULL); seal() puts WAL mode back before the file
 * is closed and linked into place.  Statement journals in memory too (see
 * sqlite_store_open()).
 */
static const struct ap_error *
bulk_journal(struct store *s)
{
	sqlite3_stmt *st;
	const char *mode;
	int rc = sqlite3_prepare_v2(SQ(s)->db, "PRAGMA journal_mode = MEMORY",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return db_error(s, rc, "configure the store");
	rc = sqlite3_step(st);
	mode = rc == SQLITE_ROW ? col_text(st, 0) : NULL;
	if (rc == SQLITE_ROW && mode && strcmp(mode, "memory") == 0) {
		sqlite3_finalize(st);
		SQ(s)->bulk_journal = 1;
		return script(s, "PRAGMA temp_store = MEMORY",
			      "configure the store");
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW
		   ? ap_error_fmt(AP_EXIT_STORE,
				  "store '%s' cannot keep its"
				  " journal in memory (journal"
				  " mode '%s')",
				  shown(SQ(s)->path), mode ? mode : "?")
		   : db_error(s, rc, "configure the store");
}

/* A missing store made with STORE_CREATE_AT_COMMIT: built beside its
 * place, and opened there until its first commit (publish()). */
static const struct ap_error *
open_unpublished(const char *path, int busy_ms, unsigned flags,
		 struct store **out)
{
	const struct ap_error *err;
	struct store *s = NULL;
	char *tmp, *target, *name;

	if ((err = build_file(path, busy_ms, &tmp, &target)))
		return err;
	if ((err = sqlite_alloc(path, &s))) {
		unlink_store_files(tmp);
		free(tmp);
		free(target);
		return err;
	}
	SQ(s)->pub_tmp = tmp;
	SQ(s)->pub_target = target;
	SQ(s)->busy_ms = busy_ms;
	SQ(s)->created = 1;
	name = sqlite_name(tmp);
	if (!name)
		err = ap_error_nomem();
	else if (!(err = sqlite_connect(s, name, SQLITE_OPEN_READWRITE,
					busy_ms)) &&
		 !(err = script(s, "PRAGMA foreign_keys = ON",
				"configure the store")) &&
		 !(err = use_wal(s, busy_ms)) && (flags & STORE_BULK))
		err = bulk_journal(s);
	free(name);
	if (err) {
		sq_close(s);
		return err;
	}
	*out = s;
	return NULL;
}

static const struct ap_error *
empty_file_refused(const char *path)
{
	return ap_error_fmt(AP_EXIT_STORE,
			    "'%s' is an empty file, not an aiproj store:"
			    " 'aiproj init' makes it one",
			    shown(path));
}

/* A private scratch store (what a dry run or a trial on a missing store
 * writes to): SQLite's temporary database, the empty file name, held in
 * its page cache and spilled to a temporary file it removes, so a dry run
 * of a 100k-project import takes no more memory than the import itself
 * (an in-memory database held every row).  Never committed, so its
 * journal stays in memory and it has no WAL. */
static const struct ap_error *
open_scratch(int busy_ms, struct store **out)
{
	const struct ap_error *err;
	struct store *s = NULL;

	if ((err = sqlite_alloc(":memory:", &s)) ||
	    (err = sqlite_connect(
		 s, "", SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, busy_ms)) ||
	    (err = script(s,
			  "PRAGMA foreign_keys = ON;"
			  " PRAGMA journal_mode = MEMORY",
			  "configure the store")) ||
	    (err = migrate(s))) {
		sq_close(s);
		return err;
	}
	SQ(s)->created = 1;
	*out = s;
	return NULL;
}

/* Look at the file before opening it: make a missing one (STORE_CREATE;
 * *created), refuse what is no store file, and tell a store this process
 * may only read (*readonly, with STORE_READ). */
static const struct ap_error *
check_file(const char *path, int busy_ms, unsigned flags, int *created,
	   int *readonly)
{
	const struct ap_error *err;
	struct stat sb;

	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return ap_error_fmt(AP_EXIT_STORE,
					    "cannot open store '%s': %s",
					    shown(path), strerror(errno));
		if (!(flags & STORE_CREATE))
			return store_no_store(shown(path));
		if ((err = create_file(path, busy_ms, created)))
			return err;
		if (stat(path, &sb) != 0)
			return ap_error_fmt(AP_EXIT_STORE,
					    "cannot open store '%s': %s",
					    shown(path), strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return ap_error_fmt(AP_EXIT_STORE,
				    "cannot open store '%s': it is a directory",
				    shown(path));
	if (!S_ISREG(sb.st_mode))
		return ap_error_fmt(
		    AP_EXIT_STORE, "cannot open store '%s': not a regular file",
		    shown(path));
	if (access(path, W_OK) != 0 && (errno == EACCES || errno == EROFS)) {
		int e = errno;
		/* writing would fail, and SQLite would leave -wal and -shm
		 * files beside the store that its owner may not be able to
		 * use: refuse a write, open a read without them */
		if (!(flags & STORE_READ))
			return ap_error_fmt(
			    AP_EXIT_STORE,
			    "store '%s' is read-only: cannot write (%s)",
			    shown(path),
			    e == EROFS ? "read-only file system"
				       : "no write permission");
		*readonly = 1;
	}
	if (sb.st_size == 0) {
		if (!(flags & STORE_INIT) || *readonly)
			return empty_file_refused(path);
		if (!(flags & STORE_CREATE))
			return store_no_store(shown(path));
	}
	return NULL;
}

/* Connect to the store file `path`: read-only without a writer's WAL
 * files beside it, as it is when it has no WAL at all. */
static const struct ap_error *
connect_file(struct store *s, const char *path, int readonly, int busy_ms)
{
	const struct ap_error *err;
	char *name = NULL;

	if (!readonly) {
		name = sqlite_name(path);
		err = name ? sqlite_connect(s, name, SQLITE_OPEN_READWRITE,
					    busy_ms)
			   : ap_error_nomem();
	} else if (file_exists(path, "-wal") && file_exists(path, "-shm")) {
		/* a writer has it open: read through its WAL files */
		name = sqlite_name(path);
		err = name ? sqlite_connect(s, name, SQLITE_OPEN_READONLY,
					    busy_ms)
			   : ap_error_nomem();
	} else if (!file_exists(path, "-wal") && !file_exists(path, "-shm")) {
		/* the whole store is in the file: read it as it is, creating
		 * nothing beside it */
		name = sqlite_uri(path, "?immutable=1");
		err = name
			  ? sqlite_connect(
				s, name, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI,
				busy_ms)
			  : ap_error_nomem();
	} else {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "store '%s' is read-only here and has only"
				   " one of its -wal and -shm files: a write"
				   " by its owner repairs that",
				   shown(path));
	}
	free(name);
	return err;
}

const struct ap_error *
sqlite_store_open(const char *path, int busy_ms, unsigned flags,
		  struct store **out)
{
	const struct ap_error *err;
	struct store *s = NULL;
	int64_t version;
	int empty, created = 0, readonly = 0;

	*out = NULL;
	if (sqlite3_libversion_number() < 3037000)
		return ap_error_fmt(AP_EXIT_STORE,
				    "SQLite %s is too old: aiproj needs 3.37 or"
				    " newer",
				    sqlite3_libversion());
	if (!path)
		return open_scratch(busy_ms, out);
	{
		struct stat sb;
		if ((flags & STORE_CREATE_AT_COMMIT) &&
		    (flags & STORE_CREATE) && stat(path, &sb) != 0 &&
		    errno == ENOENT)
			return open_unpublished(path, busy_ms, flags, out);
	}
	if ((err = check_file(path, busy_ms, flags, &created, &readonly)))
		return err;
	if ((err = sqlite_alloc(path, &s)))
		return err;
	if ((err = connect_file(s, path, readonly, busy_ms)))
		goto fail;
	SQ(s)->created = created;
	/* look before changing anything: a foreign file stays untouched */
	if ((err = identify(s, &version, &empty)))
		goto fail;
	if (empty && !created &&
	    (!(flags & STORE_INIT) || !(flags & STORE_CREATE) || readonly)) {
		err = empty_file_refused(path);
		if ((flags & STORE_INIT) && !readonly)
			err = store_no_store(shown(path));
		goto fail;
	}
	if ((err =
		 script(s, "PRAGMA foreign_keys = ON", "configure the store")))
		goto fail;
	if (readonly) {
		if (version < store_nmigrations) {
			err = ap_error_fmt(
			    AP_EXIT_STORE,
			    "store '%s' is read-only here and has"
			    " schema version %lld, older than"
			    " this aiproj's (%d): a write by its"
			    " owner upgrades it",
			    shown(path), (long long)version, store_nmigrations);
			goto fail;
		}
		*out = s;
		return NULL;
	}
	if (empty) { /* init adopts an empty file: 0600 */
		if (chmod(path, 0600) != 0) {
			err = ap_error_fmt(AP_EXIT_STORE,
					   "cannot open store '%s': %s",
					   shown(path), strerror(errno));
			goto fail;
		}
		SQ(s)->created = 1;
	}
	if ((err = use_wal(s, busy_ms)))
		goto fail;
	/* a new store is made now; an older one is upgraded inside each
	 * transaction until one commits (sq_begin()) */
	if (empty && (err = migrate(s)))
		goto fail;
	SQ(s)->upgrade = !empty && version < store_nmigrations;
	/*
	 * A statement that fires a trigger (every insert: the feed's) keeps
	 * a statement journal, by default a temporary file written a page at
	 * a time: most of an import's system time.  In memory it holds one
	 * statement's pages, never more.  Set after the migrations, which
	 * keep theirs in a file (one statement there can touch every row),
	 * and before the transaction, whose start reads it.
	 */
	if ((flags & STORE_BULK) &&
	    (err = script(s, "PRAGMA temp_store = MEMORY",
			  "configure the store")))
		goto fail;
	*out = s;
	return NULL;
fail:
	sq_close(s);
	return err;
}

static void
sq_close(struct store *s)
{
	if (!s)
		return;
	for (int i = 0; i < NCACHE && SQ(s)->cache[i].sql; i++)
		sqlite3_finalize(SQ(s)->cache[i].st);
	if (SQ(s)->in_tx)
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(SQ(s)->load);
	free(SQ(s)->load_doing);
	sqlite3_close(SQ(s)->db);
	if (SQ(s)->pub_tmp) /* never committed: it goes */
		unlink_store_files(SQ(s)->pub_tmp);
	free(SQ(s)->pub_tmp);
	free(SQ(s)->pub_target);
	free(SQ(s)->path);
	free(s);
}

static const char *
sq_path(const struct store *s)
{
	return SQ(s)->path;
}

static int
sq_created(const struct store *s)
{
	return SQ(s)->created;
}

static const struct ap_error *
sq_actor(struct store *s, char **actor)
{
	(void)s;
	*actor = NULL; /* a file store: the actor is self-declared */
	return NULL;
}

static const struct ap_error *
sq_begin(struct store *s, int write)
{
	const struct ap_error *err;

	/* a store of an older schema: upgraded first, in this transaction;
	 * a reader's too, which ends in a rollback whatever its end (a
	 * command that only reads converts nothing) */
	if ((err = script(s,
			  write || SQ(s)->upgrade ? "BEGIN IMMEDIATE" : "BEGIN",
			  write ? "lock the store for writing" : "read")))
		return err;
	SQ(s)->in_tx = 1;
	if (SQ(s)->upgrade) {
		if ((err = migrate_in(s))) {
			sq_rollback(s);
			return err;
		}
		SQ(s)->upgrading = write ? 1 : 2;
	}
	return NULL;
}

static const struct ap_error *seal(struct store *s);
static const struct ap_error *publish(struct store *s);

/* COMMIT, or the transaction rolled back.  Never with the triggers off:
 * their work (the feed's count, the summaries' marks) would be missing. */
static const struct ap_error *
commit_tx(struct store *s)
{
	const struct ap_error *err;

	if (SQ(s)->upgrading == 2) { /* a reader's upgrade: not kept */
		sq_rollback(s);
		return NULL;
	}
	err = SQ(s)->triggers_off
		  ? ap_error_fmt(AP_EXIT_STORE,
				 "internal error: store '%s' committed with its"
				 " triggers off",
				 shown(SQ(s)->path))
		  : script(s, "COMMIT", "commit");

	if (err) {
		sq_rollback(s);
		return err;
	}
	SQ(s)->in_tx = 0;
	if (SQ(s)->upgrading) /* the upgrade is the store's now */
		SQ(s)->upgrade = SQ(s)->upgrading = 0;
	return NULL;
}

static const struct ap_error *
sq_commit(struct store *s)
{
	const struct ap_error *err;

	if (!sealed(s) && (err = commit_tx(s)))
		return err;
	return SQ(s)->pub_tmp ? publish(s) : NULL;
}

/* A new file's transaction committed there, not yet in its place (see
 * publish()); any other store: nothing to do. */
static const struct ap_error *
sq_seal(struct store *s)
{
	const struct ap_error *err;

	if (!SQ(s)->pub_tmp || !SQ(s)->in_tx || sealed(s))
		return NULL;
	return (err = commit_tx(s)) ? err : seal(s);
}

static void
sq_rollback(struct store *s)
{
	if (SQ(s)->in_tx)
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
	SQ(s)->in_tx = 0;
	SQ(s)->upgrading = 0; /* (an upgrade made then went with it) */
	/* the triggers a copy or store_feed_bulk() switched off are back */
	if (SQ(s)->triggers_off)
		set_triggers(s, 1);
	s->feed_bulk = 0;
}

/* A batch changes nothing on SQLite: every statement runs at once. */
static const struct ap_error *
sq_batch(struct store *s, int on)
{
	(void)s;
	(void)on;
	return NULL;
}

/* The feed's watch: PRAGMA data_version changes when another connection
 * commits to the file.  Read outside a transaction, it holds no lock. */
static const struct ap_error *
sq_watch(struct store *s)
{
	return pragma_int(s, "PRAGMA data_version", &SQ(s)->data_version);
}

static const struct ap_error *
sq_wait(struct store *s, int ms, int *changed)
{
	const struct ap_error *err;
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	int64_t v;

	*changed = 0;
	/* a signal ends the sleep early: the caller looks at why */
	nanosleep(&ts, NULL);
	if ((err = pragma_int(s, "PRAGMA data_version", &v)))
		return err;
	*changed = v != SQ(s)->data_version;
	SQ(s)->data_version = v;
	return NULL;
}

/* ---- the driver ---- */

struct sq_row {
	struct sd_row base;
	sqlite3_stmt *st;
};

#define ST(r) (((const struct sq_row *)(r))->st)

static const char *
sq_text(const struct sd_row *r, int col)
{
	return col_text(ST(r), col);
}

static int64_t
sq_i64(const struct sd_row *r, int col)
{
	return sqlite3_column_int64(ST(r), col);
}

static double
sq_dbl(const struct sd_row *r, int col)
{
	return sqlite3_column_double(ST(r), col);
}

static int
sq_null(const struct sd_row *r, int col)
{
	return sqlite3_column_type(ST(r), col) == SQLITE_NULL;
}

static const struct sd_row_ops sq_row_ops = {sq_text, sq_i64, sq_dbl, sq_null};

/* One statement from the cache: bind, step every row to q->fn, reset. */
static const struct ap_error *
sq_run(struct store *s, struct sd_stmt *q, va_list ap)
{
	const struct ap_error *err;
	struct sq_row row = {{&sq_row_ops}, NULL};
	int rc;

	q->changes = q->conflict = 0;
	if ((err = prep(s, q->sql, &row.st)) ||
	    (err = check_params(row.st, q->types)))
		return err;
	bindv(row.st, q->types, ap);
	while ((rc = sqlite3_step(row.st)) == SQLITE_ROW)
		if (q->fn && (err = q->fn(q->ctx, &row.base)))
			break;
	sqlite3_reset(row.st);
	if (err)
		return err;
	if (rc == SQLITE_DONE) {
		q->changes = sqlite3_changes(SQ(s)->db);
		return NULL;
	}
	if ((q->flags & SD_CONFLICT) && (rc & 0xff) == SQLITE_CONSTRAINT) {
		q->conflict = 1; /* the caller names the conflict */
		return NULL;
	}
	return db_error(s, rc, q->doing);
}

/* ---- a copy's bulk reads and writes (store_copy.c) ---- */

static const struct ap_error *
sq_dump(struct store *s, const char *sql, const char *types, copy_row_fn fn,
	void *ctx)
{
	const struct ap_error *err = NULL;
	size_t n = strlen(types);
	struct copy_val v[32];
	char num[32][32];
	sqlite3_stmt *st;
	int rc;

	if (n > 32)
		return ap_error_fmt(
		    AP_EXIT_STORE, "internal error: too many columns: %s", sql);
	rc = sqlite3_prepare_v2(SQ(s)->db, sql, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_error(s, rc, "read the store to copy");
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < n; i++) {
			int c = (int)i;
			if (sqlite3_column_type(st, c) == SQLITE_NULL) {
				v[i].p = NULL;
				v[i].n = 0;
			} else if (types[i] == 'd') {
				/* 17 digits: the exact double, which the
				 * text of a REAL (15 digits) is not */
				v[i].n = (size_t)snprintf(
				    num[i], sizeof(num[i]), "%.17g",
				    sqlite3_column_double(st, c));
				v[i].p = num[i];
			} else {
				v[i].p = col_text(st, c);
				v[i].n = (size_t)sqlite3_column_bytes(st, c);
				if (!v[i].p)
					err = ap_error_nomem();
			}
		}
		if (!err)
			err = fn(ctx, v);
	}
	if (!err && rc != SQLITE_DONE)
		err = db_error(s, rc, "read the store to copy");
	sqlite3_finalize(st);
	return err;
}

static const struct ap_error *
sq_load_start(struct store *s, const char *table, const char *cols,
	      const char *types)
{
	struct sbuf q = {0};
	int rc;

	sbuf_printf(&q, "INSERT INTO %s (%s) VALUES (", table, cols);
	for (size_t i = 0; types[i]; i++)
		sbuf_printf(&q, "%s?", i ? ", " : "");
	sbuf_printf(&q, ")");
	free(SQ(s)->load_doing);
	if (!q.s || asprintf(&SQ(s)->load_doing, "copy rows into table %s",
			     table) < 0) {
		SQ(s)->load_doing = NULL;
		sbuf_free(&q);
		return ap_error_nomem();
	}
	rc = sqlite3_prepare_v2(SQ(s)->db, q.s, -1, &SQ(s)->load, NULL);
	sbuf_free(&q);
	if (rc != SQLITE_OK)
		return db_error(s, rc, SQ(s)->load_doing);
	SQ(s)->load_types = types;
	return NULL;
}

static const struct ap_error *
sq_load_row(struct store *s, const struct copy_val *v)
{
	sqlite3_stmt *st = SQ(s)->load;
	const char *types = SQ(s)->load_types;
	int rc;

	for (int i = 0; types[i]; i++) {
		if (!v[i].p)
			sqlite3_bind_null(st, i + 1);
		else if (types[i] == 'i')
			sqlite3_bind_int64(st, i + 1,
					   strtoll(v[i].p, NULL, 10));
		else if (types[i] == 'd')
			sqlite3_bind_double(st, i + 1, strtod(v[i].p, NULL));
		else
			sqlite3_bind_text(st, i + 1, v[i].p, (int)v[i].n,
					  SQLITE_STATIC);
	}
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? NULL : db_error(s, rc, SQ(s)->load_doing);
}

static const struct ap_error *
sq_load_end(struct store *s, int ok)
{
	(void)ok;
	sqlite3_finalize(SQ(s)->load);
	SQ(s)->load = NULL;
	return NULL;
}

/*
 * The connection's triggers on or off (SQLITE_DBCONFIG_ENABLE_TRIGGER):
 * for this connection alone, the store's schema as it is (no trigger
 * dropped or made, the schema's version unchanged), every other
 * connection's triggers on.  SQLite expires every prepared statement when
 * the setting changes, so the cached ones are prepared again at their
 * next step, with the triggers' programs or without.  Foreign keys' ON
 * DELETE CASCADE are not triggers: they still run.
 */
static const struct ap_error *
set_triggers(struct store *s, int on)
{
	int now = -1;
	int rc = sqlite3_db_config(SQ(s)->db, SQLITE_DBCONFIG_ENABLE_TRIGGER,
				   on, &now);

	if (rc != SQLITE_OK || now != on)
		return ap_error_fmt(AP_EXIT_STORE,
				    "store '%s': cannot switch its triggers"
				    " %s",
				    shown(SQ(s)->path), on ? "on" : "off");
	SQ(s)->triggers_off = !on;
	return NULL;
}

/* A copy: the triggers off while the rows are written as they are, on
 * again before the copy counts the feed and summarises (store_copy.c). */
static const struct ap_error *
sq_triggers(struct store *s, int on, const char *const *tables)
{
	(void)tables;
	return set_triggers(s, on);
}

/*
 * An import's rows (store_feed_bulk()), written with the connection's
 * triggers off: a trigger costs its statements a row and makes every
 * insert keep a statement journal.  Their work is done by the import:
 *
 * - the feed's triggers (schemas/009-feed.sql, 011-releases.sql): each
 *   row written gives itself the next feed id (sd_feed_next()), in the
 *   order the triggers would have given them; the last one is written to
 *   feed_counter at the end, here;
 * - summary_project_ins (020-summary.sql): a project inserted while off
 *   (its feed id is past the feed's last one before) has its summary row
 *   deleted and is listed in summary_dirty, here at the end, all at once;
 * - the summary triggers on its rows (criterion, decision, kpi, approval,
 *   assignment, component, transition, event: _ins, and kpi's _upd of a
 *   KPI removed) list the project they belong to: a project inserted
 *   while off, listed already;
 * - summary_project_del and summary_project_del_people (020, 022): a
 *   project deleted while off (import --replace) has its summary rows
 *   deleted by store_project_delete(); its rows' delete triggers would
 *   list a project that is gone, which no summary row comes of;
 * - summary_person_name_ins (020): a person's name added while off lists
 *   the projects it approved for, at once (person_name_add());
 * - no other trigger is reached: an import updates a person's email,
 *   handle and first day only (no trigger), and no project's rows but a
 *   KPI it has just added.
 */
static const struct ap_error *
sq_feed_bulk(struct store *s, int on)
{
	const struct ap_error *err;
	/* the projects inserted since on (project_feed_id finds them): their
	 * summary rows go, and the commit makes them anew */
	struct sd_stmt unsummary = {
	    .sql = "DELETE FROM project_summary WHERE id IN (SELECT id FROM"
		   " project WHERE feed_id > ?1)",
	    .types = "i",
	    .doing = "summarise the projects imported",
	};
	struct sd_stmt dirty = {
	    .sql = "INSERT INTO summary_dirty SELECT id FROM project p"
		   " WHERE feed_id > ?1 AND NOT EXISTS (SELECT 1 FROM"
		   " summary_dirty d WHERE d.project_id = p.id)",
	    .types = "i",
	    .doing = "summarise the projects imported",
	};
	struct sd_stmt count = {
	    .sql = "UPDATE feed_counter SET last = ?1",
	    .types = "i",
	    .doing = "count the feed",
	};

	if (!on) {
		if (!s->feed_bulk)
			return NULL;
		if ((err = sd_run(s, &unsummary, SQ(s)->feed_first)) ||
		    (err = sd_run(s, &dirty, SQ(s)->feed_first)) ||
		    (err = sd_run(s, &count, s->feed_last)))
			return err;
		s->feed_bulk = 0;
		return set_triggers(s, 1);
	}
	if (s->feed_bulk)
		return NULL;
	if ((err = pragma_int(s, "SELECT last FROM feed_counter",
			      &s->feed_last)) ||
	    (err = set_triggers(s, 0)))
		return err;
	SQ(s)->feed_first = s->feed_last;
	s->feed_bulk = 1;
	return NULL;
}

static const struct ap_error *
sq_identity(struct store *s, char **id)
{
	struct stat sb;

	if (!SQ(s)->path || !strcmp(SQ(s)->path, ":memory:") ||
	    stat(SQ(s)->path, &sb) != 0)
		return asprintf(id, "sqlite memory %p", (void *)s) < 0
			   ? ap_error_nomem()
			   : NULL;
	return asprintf(id, "sqlite %llu %llu", (unsigned long long)sb.st_dev,
			(unsigned long long)sb.st_ino) < 0
		   ? ap_error_nomem()
		   : NULL;
}

const struct store_copy_ops sqlite_copy_ops = {
    .dump = sq_dump,
    .load_start = sq_load_start,
    .load_row = sq_load_row,
    .load_end = sq_load_end,
    .triggers = sq_triggers,
    .identity = sq_identity,
};

/* A cursor: its own statement (not the cache's: a cursor outlives the
 * calls that may run the cached ones), stepped a row a call. */
struct sd_cursor {
	struct sq_row row;
	const char *doing;
	int done;
};

/*
 * While cursors are open, SQLite reads the file through a memory map
 * rather than a pread() a page.  The cursors are the export's
 * (store_export.c): every project in name order, a few pages of the file
 * at random for each, nearly every one missing SQLite's page cache; the
 * 100k store made three million reads, half the export's time.  Mapped,
 * a page is read where it lies in the kernel's page cache: no copy, no
 * system call.  The memory is the page cache's (counted in the resident
 * size as file pages, the kernel's to drop), not the process's.  Set
 * before the first cursor's statement is stepped, unset after the last
 * one is finalized: SQLite changes the map only when no page of it is in
 * use.  A limit past SQLite's own (SQLITE_MAX_MMAP_SIZE) is cut to it.
 * It only makes reads faster: a store where it cannot be set (its pragma
 * failing) is read as before, so its failure is not one.
 */
static void
map_file(struct store *s, int on)
{
	sqlite3_exec(SQ(s)->db,
		     on ? "PRAGMA mmap_size = 1099511627776"
			: "PRAGMA mmap_size = 0",
		     NULL, NULL, NULL);
}

static const struct ap_error *
sq_cursor_open(struct store *s, const char *sql, const char *doing,
	       struct sd_cursor **out)
{
	struct sd_cursor *c = calloc(1, sizeof(*c));
	int rc;

	*out = NULL;
	if (!c)
		return ap_error_nomem();
	c->row.base.ops = &sq_row_ops;
	c->doing = doing;
	rc = sqlite3_prepare_v2(SQ(s)->db, sql, -1, &c->row.st, NULL);
	if (rc != SQLITE_OK) {
		free(c);
		return db_error(s, rc, "prepare a query");
	}
	if (SQ(s)->ncursors++ == 0)
		map_file(s, 1);
	*out = c;
	return NULL;
}

static const struct ap_error *
sq_cursor_next(struct store *s, struct sd_cursor *c, const struct sd_row **row)
{
	int rc;

	*row = NULL;
	if (c->done)
		return NULL;
	rc = sqlite3_step(c->row.st);
	if (rc == SQLITE_ROW) {
		*row = &c->row.base;
		return NULL;
	}
	c->done = 1;
	return rc == SQLITE_DONE ? NULL : db_error(s, rc, c->doing);
}

static void
sq_cursor_close(struct store *s, struct sd_cursor *c)
{
	sqlite3_finalize(c->row.st);
	free(c);
	if (--SQ(s)->ncursors == 0)
		map_file(s, 0);
}

static const struct store_ops sqlite_ops = {
#define B(ret, name, params) .name = sq_##name,
#define X(name, params, args) .name = sq_##name,
    STORE_BASIC_OPS(B) STORE_OPS(X)
#undef X
#undef B
	.run = sq_run,
    .cursor_open = sq_cursor_open,
    .cursor_next = sq_cursor_next,
    .cursor_close = sq_cursor_close,
    .dialect = SD_SQLITE,
    .copy = &sqlite_copy_ops,
};
