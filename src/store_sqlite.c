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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

struct sqlite_store {
	struct store base; /* first: the operations table */
	sqlite3 *db;
	char *path;
	int created;
	int in_tx;
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

/* Bind arguments described by `types`: s=text (NULL ok), i=int64, d=double,
 * n=NULL. */
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

/* Prepare and bind; the caller steps. */
static const struct ap_error *
query(struct store *s, sqlite3_stmt **st, const char *sql, const char *types,
      ...)
{
	const struct ap_error *err;
	va_list ap;

	if ((err = prep(s, sql, st)) || (err = check_params(*st, types)))
		return err;
	va_start(ap, types);
	bindv(*st, types, ap);
	va_end(ap);
	return NULL;
}

/* Run a statement that returns no rows; *changes gets the row count. */
static const struct ap_error *
exec(struct store *s, const char *doing, int *changes, int *rcout,
     const char *sql, const char *types, ...)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	if ((err = prep(s, sql, &st)) || (err = check_params(st, types)))
		return err;
	va_start(ap, types);
	bindv(st, types, ap);
	va_end(ap);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rcout)
		*rcout = rc;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		if (rcout && (rc & 0xff) == SQLITE_CONSTRAINT)
			return NULL; /* the caller names the conflict */
		return db_error(s, rc, doing);
	}
	if (changes)
		*changes = sqlite3_changes(SQ(s)->db);
	return NULL;
}

static const char *
col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static char *
col_dup(sqlite3_stmt *st, int i)
{
	const char *t = col_text(st, i);

	return t ? strdup(t) : NULL;
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

static const struct ap_error *
migrate(struct store *s)
{
	const struct ap_error *err;
	int64_t version;
	int empty;
	char sql[96];

	if ((err = script(s, "BEGIN IMMEDIATE", "lock the store")))
		return err;
	/* again under the lock: another process may have just done it */
	if ((err = identify(s, &version, &empty)))
		goto fail;
	for (int64_t v = version; v < store_nmigrations; v++) {
		if ((err = script(s, store_migrations[v], "migrate the store")))
			goto fail;
	}
	if (empty) {
		if ((err = exec(s, "initialise the store", NULL, NULL,
				"INSERT INTO meta (key, value) VALUES"
				" ('lifecycle', ?), ('policy', 'open')",
				"s", lifecycle_default_yaml)))
			goto fail;
	}
	snprintf(sql, sizeof(sql),
		 "PRAGMA application_id = %d; PRAGMA user_version = %d", APP_ID,
		 store_nmigrations);
	if ((err = script(s, sql, "migrate the store")) ||
	    (err = script(s, "COMMIT", "migrate the store")))
		goto fail;
	return NULL;
fail:
	sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
	return err;
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
use_wal(struct store *s, int memory, int busy_ms)
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
		/* an in-memory store has no WAL: "memory" */
		if (rc == SQLITE_ROW && mode &&
		    (strcmp(mode, "wal") == 0 ||
		     (memory && strcmp(mode, "memory") == 0))) {
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
 * Make a missing store: build it whole in a new file beside the target
 * (0600), then link() it into place, which fails with EEXIST when another
 * process was first (its store is used then).  No process ever sees a
 * half-made store.  *created: this process made it.
 */
static const struct ap_error *
create_file(const char *path, int busy_ms, int *created)
{
	const struct ap_error *err = NULL;
	struct store *t = NULL;
	/* a dangling symbolic link: the store is made where it points, as
	 * `sqlite3 link.db` would */
	char *target = follow_links(path), *tmp = NULL, *name = NULL;
	mode_t old;
	int fd;

	*created = 0;
	if (!target)
		return errno == ENOMEM
			   ? ap_error_nomem()
			   : ap_error_fmt(AP_EXIT_STORE,
					  "cannot create store '%s': %s",
					  shown(path), strerror(errno));
	if (asprintf(&tmp, "%s.new-XXXXXX", target) < 0) {
		free(target);
		return ap_error_nomem();
	}
	old = umask(077);
	fd = mkstemp(tmp);
	umask(old);
	if (fd < 0) {
		err =
		    ap_error_fmt(AP_EXIT_STORE, "cannot create store '%s': %s",
				 shown(path), strerror(errno));
		goto done;
	}
	close(fd);
	if (!(name = sqlite_name(tmp))) {
		err = ap_error_nomem();
		goto unlink_tmp;
	}
	if ((err = sqlite_alloc(path, &t)) ||
	    (err = sqlite_connect(t, name, SQLITE_OPEN_READWRITE, busy_ms)) ||
	    (err = use_wal(t, 0, busy_ms)) || (err = migrate(t)))
		goto unlink_tmp;
	sq_close(t);
	t = NULL;
	/* closing checkpointed the WAL into the file and removed it */
	if (file_exists(tmp, "-wal")) {
		err = ap_error_fmt(AP_EXIT_STORE,
				   "cannot create store '%s': its new file"
				   " kept a WAL",
				   shown(path));
		goto unlink_tmp;
	}
	if (link(tmp, target) == 0) {
		*created = 1;
	} else if (errno != EEXIST) {
		err =
		    ap_error_fmt(AP_EXIT_STORE, "cannot create store '%s': %s",
				 shown(path), strerror(errno));
	}
unlink_tmp:
	sq_close(t);
	unlink(tmp);
	{
		char p[4200];
		snprintf(p, sizeof(p), "%s-wal", tmp);
		unlink(p);
		snprintf(p, sizeof(p), "%s-shm", tmp);
		unlink(p);
	}
done:
	free(name);
	free(tmp);
	free(target);
	return err;
}

static const struct ap_error *
empty_file_refused(const char *path)
{
	return ap_error_fmt(AP_EXIT_STORE,
			    "'%s' is an empty file, not an aiproj store:"
			    " 'aiproj init' makes it one",
			    shown(path));
}

const struct ap_error *
sqlite_store_open(const char *path, int busy_ms, unsigned flags,
		  struct store **out)
{
	const struct ap_error *err;
	struct store *s = NULL;
	struct stat sb;
	int64_t version;
	int empty, created = 0, readonly = 0;
	char *name = NULL;

	*out = NULL;
	if (sqlite3_libversion_number() < 3037000)
		return ap_error_fmt(AP_EXIT_STORE,
				    "SQLite %s is too old: aiproj needs 3.37 or"
				    " newer",
				    sqlite3_libversion());
	if (!path) { /* in memory */
		if ((err = sqlite_alloc(":memory:", &s)) ||
		    (err = sqlite_connect(s, ":memory:",
					  SQLITE_OPEN_READWRITE |
					      SQLITE_OPEN_CREATE |
					      SQLITE_OPEN_MEMORY,
					  busy_ms)) ||
		    (err = script(s, "PRAGMA foreign_keys = ON",
				  "configure the store")) ||
		    (err = use_wal(s, 1, busy_ms)) || (err = migrate(s)))
			goto fail;
		SQ(s)->created = 1;
		*out = s;
		return NULL;
	}
	if (stat(path, &sb) != 0) {
		if (errno != ENOENT)
			return ap_error_fmt(AP_EXIT_STORE,
					    "cannot open store '%s': %s",
					    shown(path), strerror(errno));
		if (!(flags & STORE_CREATE))
			return store_no_store(shown(path));
		if ((err = create_file(path, busy_ms, &created)))
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
		readonly = 1;
	}
	if (sb.st_size == 0) {
		if (!(flags & STORE_INIT) || readonly)
			return empty_file_refused(path);
		if (!(flags & STORE_CREATE))
			return store_no_store(shown(path));
	}
	if ((err = sqlite_alloc(path, &s)))
		return err;
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
	if (err)
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
	if ((err = use_wal(s, 0, busy_ms)))
		goto fail;
	if ((empty || version < store_nmigrations) && (err = migrate(s)))
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
	sqlite3_close(SQ(s)->db);
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

	if ((err = script(s, write ? "BEGIN IMMEDIATE" : "BEGIN",
			  write ? "lock the store for writing" : "read")))
		return err;
	SQ(s)->in_tx = 1;
	return NULL;
}

static const struct ap_error *
sq_commit(struct store *s)
{
	const struct ap_error *err = script(s, "COMMIT", "commit");

	if (err) {
		sq_rollback(s);
		return err;
	}
	SQ(s)->in_tx = 0;
	return NULL;
}

static void
sq_rollback(struct store *s)
{
	if (SQ(s)->in_tx)
		sqlite3_exec(SQ(s)->db, "ROLLBACK", NULL, NULL, NULL);
	SQ(s)->in_tx = 0;
}

/* Step a listing: 1 with a row, 0 at the end, -1 with *err set. */
static int
next_row(struct store *s, sqlite3_stmt *st, const char *doing,
	 const struct ap_error **err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	*err = db_error(s, rc, doing);
	return -1;
}

/* Step a single-row query: *found = 0 when there is no row. */
static const struct ap_error *
step_row(struct store *s, sqlite3_stmt *st, int *found)
{
	int rc = sqlite3_step(st);

	*found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_error(s, rc, "read");
	return NULL;
}

static const struct ap_error *
sq_meta_get(struct store *s, const char *key, char **val)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	*val = NULL;
	if ((err = query(s, &st, "SELECT value FROM meta WHERE key = ?", "s",
			 key)) ||
	    (err = step_row(s, st, &found)))
		return err;
	if (found && !(*val = col_dup(st, 0)))
		err = ap_error_nomem();
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_meta_set(struct store *s, const char *key, const char *val)
{
	return exec(s, "save a setting", NULL, NULL,
		    "INSERT INTO meta (key, value) VALUES (?, ?)"
		    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
		    "ss", key, val);
}

/* ---- projects ---- */

#define PROJECT_COLS                                                           \
	"id, name, description, status, status_reason, outcome, stage,"        \
	" epoch, entered_at, created_at, status_at"

static int
project_from_row(sqlite3_stmt *st, struct store_project *p)
{
	p->id = sqlite3_column_int64(st, 0);
	p->name = col_dup(st, 1);
	p->description = col_dup(st, 2);
	p->status = proj_status_parse(col_text(st, 3));
	p->status_reason = col_dup(st, 4);
	p->outcome = col_dup(st, 5);
	p->stage = col_dup(st, 6);
	p->epoch = sqlite3_column_int64(st, 7);
	p->entered_at = col_dup(st, 8);
	p->created_at = col_dup(st, 9);
	p->status_at = col_dup(st, 10);
	return p->name && p->description && (int)p->status >= 0 && p->stage &&
		       p->entered_at && p->created_at && p->status_at
		   ? 0
		   : -1;
}

static const struct ap_error *
sq_project_get(struct store *s, const char *name, struct store_project *p)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	memset(p, 0, sizeof(*p));
	if ((err = query(s, &st,
			 "SELECT " PROJECT_COLS " FROM project WHERE name = ?",
			 "s", name)) ||
	    (err = step_row(s, st, &found)))
		return err;
	if (!found)
		err = ap_error_fmt(AP_EXIT_NOTFOUND, "no project '%s'",
				   shown(name));
	else if (project_from_row(st, p)) {
		store_project_clear(p);
		err = ap_error_nomem();
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_project_create(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "create the project", NULL, &rc,
			"INSERT INTO project (name, description, status, stage,"
			" epoch, entered_at, created_at, status_at)"
			" VALUES (?1, ?2, 'active', ?3, 0, ?4, ?5, ?5)",
			"sssss", p->name, p->description ? p->description : "",
			p->stage, p->entered_at, p->created_at)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	p->id = sqlite3_last_insert_rowid(SQ(s)->db);
	return NULL;
}

static const struct ap_error *
sq_project_list(struct store *s, const char *stage, int all,
		store_project_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int rc;

	if ((err = query(s, &st,
			 "SELECT " PROJECT_COLS " FROM project"
			 " WHERE (?1 IS NULL OR stage = ?1)"
			 " AND (?2 OR status <> 'closed') ORDER BY name",
			 "si", stage, (int64_t)all)))
		return err;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_project p = {0};
		if (project_from_row(st, &p))
			err = ap_error_nomem();
		else
			err = fn(arg, &p);
		store_project_clear(&p);
		if (err) {
			sqlite3_reset(st);
			return err;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? NULL : db_error(s, rc, "list projects");
}

static const struct ap_error *
sq_project_rename(struct store *s, int64_t id, const char *name)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "rename the project", NULL, &rc,
			"UPDATE project SET name = ? WHERE id = ?", "si", name,
			id)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", name);
	return NULL;
}

static const struct ap_error *
sq_project_set_status(struct store *s, int64_t id, enum proj_status status,
		      const char *reason, const char *outcome, const char *at)
{
	return exec(s, "change the project's status", NULL, NULL,
		    "UPDATE project SET status = ?, status_reason = ?,"
		    " outcome = ?, status_at = ? WHERE id = ?",
		    "ssssi", proj_status_name(status), reason, outcome, at, id);
}

static const struct ap_error *
sq_project_delete(struct store *s, int64_t id)
{
	return exec(s, "delete the project", NULL, NULL,
		    "DELETE FROM project WHERE id = ?", "i", id);
}

static const struct ap_error *
sq_project_move(struct store *s, int64_t id, const char *stage, const char *at)
{
	return exec(s, "move the project", NULL, NULL,
		    "UPDATE project SET stage = ?, entered_at = ?,"
		    " epoch = epoch + 1 WHERE id = ?",
		    "ssi", stage, at, id);
}

/* ---- history ---- */

static const struct ap_error *
sq_transition_add(struct store *s, const struct store_transition *t)
{
	return exec(s, "record the transition", NULL, NULL,
		    "INSERT INTO transition (project_id, from_stage, to_stage,"
		    " kind, actor, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "issssss", t->project_id, t->from, t->to, t->kind, t->actor,
		    t->reason, t->at);
}

static const struct ap_error *
sq_transitions(struct store *s, int64_t project, store_transition_fn fn,
	       void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT from_stage, to_stage, kind, actor, reason, at"
			 " FROM transition WHERE project_id = ? ORDER BY id",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the history", &err) > 0) {
		struct store_transition t = {
		    .project_id = project,
		    .from = col_text(st, 0),
		    .to = col_text(st, 1),
		    .kind = col_text(st, 2),
		    .actor = col_text(st, 3),
		    .reason = col_text(st, 4),
		    .at = col_text(st, 5),
		};
		err = fn(arg, &t);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_transition_count(struct store *s, int64_t project, const char *kind,
		    int64_t *n)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	if ((err = query(s, &st,
			 "SELECT count(*) FROM transition WHERE project_id = ?"
			 " AND (?2 IS NULL OR kind = ?2)",
			 "is", project, kind)) ||
	    (err = step_row(s, st, &found)))
		return err;
	*n = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return NULL;
}

/* ---- criteria ---- */

static const struct ap_error *
sq_criterion_add(struct store *s, int64_t project, const char *stage,
		 const char *text, int64_t *id)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	if ((err = query(s, &st,
			 "SELECT coalesce(max(id), 0) + 1 FROM criterion"
			 " WHERE project_id = ?",
			 "i", project)) ||
	    (err = step_row(s, st, &found)))
		return err;
	*id = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return exec(s, "add the criterion", NULL, NULL,
		    "INSERT INTO criterion (project_id, id, stage, text)"
		    " VALUES (?, ?, ?, ?)",
		    "iiss", project, *id, stage, text);
}

static const struct ap_error *
sq_criteria(struct store *s, int64_t project, const char *stage,
	    store_criterion_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT id, stage, text, done, done_by, done_at, note"
			 " FROM criterion WHERE project_id = ?1"
			 " AND (?2 IS NULL OR stage = ?2) ORDER BY id",
			 "is", project, stage)))
		return err;
	while (!err && next_row(s, st, "read the criteria", &err) > 0) {
		struct store_criterion c = {
		    .id = sqlite3_column_int64(st, 0),
		    .stage = col_text(st, 1),
		    .text = col_text(st, 2),
		    .done = sqlite3_column_int(st, 3),
		    .done_by = col_text(st, 4),
		    .done_at = col_text(st, 5),
		    .note = col_text(st, 6),
		};
		err = fn(arg, &c);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_criterion_get(struct store *s, int64_t project, int64_t id, char **stage,
		 int *done)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	*stage = NULL;
	if ((err = query(s, &st,
			 "SELECT stage, done FROM criterion"
			 " WHERE project_id = ? AND id = ?",
			 "ii", project, id)) ||
	    (err = step_row(s, st, &found)))
		return err;
	if (!found)
		err = ap_error_fmt(AP_EXIT_NOTFOUND, "no criterion %lld",
				   (long long)id);
	else if (!(*stage = col_dup(st, 0)))
		err = ap_error_nomem();
	else
		*done = sqlite3_column_int(st, 1);
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_criterion_set(struct store *s, int64_t project, int64_t id, int done,
		 const char *actor, const char *note, const char *at)
{
	return exec(s, "update the criterion", NULL, NULL,
		    "UPDATE criterion SET done = ?, done_by = ?, done_at = ?,"
		    " note = ? WHERE project_id = ? AND id = ?",
		    "isssii", (int64_t)done, done ? actor : NULL,
		    done ? at : NULL, done ? note : NULL, project, id);
}

static const struct ap_error *
sq_criteria_reopen(struct store *s, int64_t project, const char *const *stages,
		   size_t n)
{
	const struct ap_error *err;

	for (size_t i = 0; i < n; i++)
		if ((err = exec(s, "reopen the criteria", NULL, NULL,
				"UPDATE criterion SET done = 0, done_by = NULL,"
				" done_at = NULL, note = NULL"
				" WHERE project_id = ? AND stage = ? AND done",
				"is", project, stages[i])))
			return err;
	return NULL;
}

/* ---- assignments ---- */

static const struct ap_error *
sq_assign(struct store *s, int64_t project, const char *role,
	  const char *person, const char *at)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "assign the role", NULL, &rc,
			"INSERT INTO assignment (project_id, role, person,"
			" assigned_at) VALUES (?, ?, ?, ?)",
			"isss", project, role, person, at)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "'%s' is already assigned as %s", person,
				    role);
	return NULL;
}

static const struct ap_error *
sq_unassign(struct store *s, int64_t project, const char *role,
	    const char *person)
{
	const struct ap_error *err;
	int n = 0;

	if ((err = exec(s, "unassign the role", &n, NULL,
			"DELETE FROM assignment WHERE project_id = ? AND"
			" role = ? AND person = ?",
			"iss", project, role, person)))
		return err;
	if (n == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND,
				    "'%s' is not assigned as %s", person, role);
	return NULL;
}

static const struct ap_error *
sq_assignments(struct store *s, int64_t project, store_assignment_fn fn,
	       void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT role, person, assigned_at FROM assignment"
			 " WHERE project_id = ? ORDER BY role, person",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the assignments", &err) > 0) {
		struct store_assignment a = {
		    .role = col_text(st, 0),
		    .person = col_text(st, 1),
		    .assigned_at = col_text(st, 2),
		};
		err = fn(arg, &a);
	}
	sqlite3_reset(st);
	return err;
}

/* ---- decisions ---- */

/* A row of "SELECT kind, cost, reason, actor, at FROM decision". */
static struct store_decision
decision_from_row(sqlite3_stmt *st, int64_t project)
{
	return (struct store_decision){
	    .project_id = project,
	    .kind = decision_kind_parse(col_text(st, 0)),
	    .has_cost = sqlite3_column_type(st, 1) != SQLITE_NULL,
	    .cost = sqlite3_column_double(st, 1),
	    .reason = col_text(st, 2),
	    .actor = col_text(st, 3),
	    .at = col_text(st, 4),
	};
}

static const struct ap_error *
sq_decision_add(struct store *s, const struct store_decision *d)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int rc;

	if ((err = query(s, &st,
			 "INSERT INTO decision (project_id, kind, cost, reason,"
			 " actor, at) VALUES (?, ?, ?, ?, ?, ?)",
			 "isnsss", d->project_id, decision_kind_name(d->kind),
			 d->reason, d->actor, d->at)))
		return err;
	if (d->has_cost)
		sqlite3_bind_double(st, 3, d->cost);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? NULL
				 : db_error(s, rc, "record the decision");
}

static const struct ap_error *
sq_decision_latest(struct store *s, int64_t project, store_decision_fn fn,
		   void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	if ((err = query(s, &st,
			 "SELECT kind, cost, reason, actor, at FROM decision"
			 " WHERE project_id = ? ORDER BY id DESC LIMIT 1",
			 "i", project)) ||
	    (err = step_row(s, st, &found)))
		return err;
	if (found) {
		struct store_decision d = decision_from_row(st, project);
		err = fn(arg, &d);
	}
	sqlite3_reset(st);
	return err;
}

/* ---- KPIs ---- */

static const struct ap_error *
sq_kpi_add(struct store *s, int64_t project, const char *name, const char *op,
	   double target, const char *at)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "add the KPI", NULL, &rc,
			"INSERT INTO kpi (project_id, name, op, target,"
			" created_at) VALUES (?, ?, ?, ?, ?)",
			"issds", project, name, op, target, at)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT, "KPI '%s' already exists",
				    name);
	return NULL;
}

static const struct ap_error *
sq_kpi_record(struct store *s, int64_t project, const char *name, double value,
	      const char *actor, const char *at)
{
	const struct ap_error *err;
	int rc;

	if ((err =
		 exec(s, "record the KPI reading", NULL, &rc,
		      "INSERT INTO kpi_reading (project_id, kpi, value, actor,"
		      " at) VALUES (?, ?, ?, ?, ?)",
		      "isdss", project, name, value, actor, at)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no KPI '%s'", name);
	return NULL;
}

static const struct ap_error *
sq_kpis(struct store *s, int64_t project, store_kpi_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT k.name, k.op, k.target, k.created_at,"
			 " r.value, r.at, r.actor FROM kpi k"
			 " LEFT JOIN kpi_reading r ON r.id = (SELECT max(id)"
			 " FROM kpi_reading WHERE project_id = k.project_id"
			 " AND kpi = k.name)"
			 " WHERE k.project_id = ? ORDER BY k.name",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the KPIs", &err) > 0) {
		struct store_kpi k = {
		    .name = col_text(st, 0),
		    .op = col_text(st, 1),
		    .target = sqlite3_column_double(st, 2),
		    .created_at = col_text(st, 3),
		    .has_reading = sqlite3_column_type(st, 4) != SQLITE_NULL,
		    .value = sqlite3_column_double(st, 4),
		    .read_at = col_text(st, 5),
		    .read_by = col_text(st, 6),
		};
		err = fn(arg, &k);
	}
	sqlite3_reset(st);
	return err;
}

/* ---- approvals ---- */

static const struct ap_error *
sq_approval_add(struct store *s, const struct store_approval *a)
{
	return exec(s, "record the approval", NULL, NULL,
		    "INSERT INTO approval (project_id, stage, epoch, person,"
		    " role, note, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
		    "isissss", a->project_id, a->stage, a->epoch, a->person,
		    a->role, a->note, a->at);
}

static const struct ap_error *
sq_approval_count(struct store *s, int64_t project, const char *stage,
		  int64_t epoch, int *n)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	if ((err = query(s, &st,
			 "SELECT count(*) FROM approval WHERE project_id = ?"
			 " AND epoch >= ? AND stage = ?",
			 "iis", project, epoch, stage)) ||
	    (err = step_row(s, st, &found)))
		return err;
	*n = found ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return NULL;
}

static const struct ap_error *
sq_stage_entry_epoch(struct store *s, int64_t project, const char *stage,
		     int64_t *epoch)
{
	const struct ap_error *err;
	sqlite3_stmt *st;
	int found;

	if ((err = query(s, &st,
			 "SELECT count(*) FROM transition WHERE project_id = ?1"
			 " AND id <= (SELECT max(id) FROM transition"
			 " WHERE project_id = ?1 AND to_stage = ?2)",
			 "is", project, stage)) ||
	    (err = step_row(s, st, &found)))
		return err;
	*epoch = found ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return NULL;
}

/* ---- components ---- */

static const struct ap_error *
sq_component_add(struct store *s, int64_t project, const char *name,
		 const char *owner, const char *description)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "add the component", NULL, &rc,
			"INSERT INTO component (project_id, name, owner,"
			" description) VALUES (?, ?, ?, ?)",
			"isss", project, name, owner,
			description ? description : "")))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "component '%s' already exists", name);
	return NULL;
}

static const struct ap_error *
sq_components(struct store *s, int64_t project, store_component_fn fn,
	      void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT name, owner, description FROM component"
			 " WHERE project_id = ? ORDER BY name",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the components", &err) > 0) {
		struct store_component c = {
		    .name = col_text(st, 0),
		    .owner = col_text(st, 1),
		    .description = col_text(st, 2),
		};
		err = fn(arg, &c);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_component_remove(struct store *s, int64_t project, const char *name)
{
	const struct ap_error *err;
	int n = 0;

	if ((err =
		 exec(s, "remove the component", &n, NULL,
		      "DELETE FROM component WHERE project_id = ? AND name = ?",
		      "is", project, name)))
		return err;
	if (n == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND, "no component '%s'",
				    name);
	return NULL;
}

/* ---- reports ---- */

/* Call fn for each record of a list joined with char(30) between records
 * and char(31) between fields (the report queries' group_concat): control
 * characters never appear in names or descriptions. */
static const struct ap_error *
split_rows(char *list, struct store_roles_row *r, store_roles_fn fn, void *arg,
	   int component)
{
	const struct ap_error *err;

	for (char *rec = list; rec && *rec;) {
		char *next = strchr(rec, '\x1e'), *f2, *f3 = NULL;
		if (next)
			*next++ = '\0';
		if (!(f2 = strchr(rec, '\x1f')))
			return NULL; /* not ours: stop quietly */
		*f2++ = '\0';
		if (component && (f3 = strchr(f2, '\x1f')))
			*f3++ = '\0';
		r->kind = component ? "c" : "a";
		r->role = rec;
		r->name = f2;
		r->description = f3 ? f3 : (component ? "" : NULL);
		if ((err = fn(arg, r)))
			return err;
		rec = next;
	}
	return NULL;
}

static const struct ap_error *
sq_report_roles(struct store *s, const char *names, int all, store_roles_fn fn,
		void *arg)
{
	const struct ap_error *err = NULL;
	sqlite3_stmt *st;
	int rc;

	/* one row per project, its assignments and components folded in,
	 * computed in rowid order and then sorted by name */
	if ((err = query(
		 s, &st,
		 "WITH r AS MATERIALIZED (SELECT p.name AS name,"
		 " p.status, p.stage,"
		 " (SELECT group_concat(role || char(31) || person,"
		 "  char(30)) FROM (SELECT role, person FROM assignment"
		 "  WHERE project_id = p.id ORDER BY role, person)),"
		 " (SELECT group_concat(owner || char(31) || name ||"
		 "  char(31) || description, char(30)) FROM (SELECT"
		 "  owner, name, description FROM component WHERE"
		 "  project_id = p.id ORDER BY owner, name))"
		 " FROM project p"
		 " WHERE CASE WHEN ?1 IS NULL THEN (?2 OR status <> 'closed')"
		 "  ELSE name IN (SELECT value FROM json_each(?1)) END"
		 " ORDER BY p.id)"
		 " SELECT * FROM r ORDER BY name",
		 "si", names, (int64_t)all)))
		return err;
	while (!err && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_roles_row r = {
		    .project = col_text(st, 0),
		    .status = proj_status_parse(col_text(st, 1)),
		    .stage = col_text(st, 2),
		};
		char *as = col_dup(st, 3), *cs = col_dup(st, 4);
		if ((col_text(st, 3) && !as) || (col_text(st, 4) && !cs))
			err = ap_error_nomem();
		if (!err)
			err = fn(arg, &r); /* the project begins */
		if (!err)
			err = split_rows(as, &r, fn, arg, 0);
		if (!err)
			err = split_rows(cs, &r, fn, arg, 1);
		free(as);
		free(cs);
	}
	sqlite3_reset(st);
	if (err)
		return err;
	return rc == SQLITE_DONE ? NULL : db_error(s, rc, "read the report");
}

static const struct ap_error *
sq_report_status(struct store *s, int all, store_status_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	/*
	 * One pass over the projects in rowid order, every subquery an
	 * index-only lookup, then one sort by name: walking the projects in
	 * name order would make every lookup a random read.
	 */
	if ((err = query(
		 s, &st,
		 "WITH r AS MATERIALIZED (SELECT p.name AS name,"
		 " p.status, p.stage, p.entered_at, p.status_at,"
		 " (SELECT count(*) FROM criterion c WHERE"
		 "  c.project_id = p.id AND c.stage = p.stage),"
		 " (SELECT count(*) FROM criterion c WHERE"
		 "  c.project_id = p.id AND c.stage = p.stage AND c.done),"
		 " d.kind, d.cost IS NOT NULL,"
		 " (SELECT count(*) FROM kpi k WHERE k.project_id = p.id),"
		 " (SELECT count(*) FROM approval a WHERE"
		 "  a.project_id = p.id AND a.epoch = p.epoch AND"
		 "  a.stage = p.stage),"
		 " (SELECT count(*) FROM transition t WHERE"
		 "  t.project_id = p.id AND t.kind = 'back'),"
		 " (SELECT group_concat(DISTINCT role) FROM assignment a"
		 "  WHERE a.project_id = p.id)"
		 " FROM project p LEFT JOIN decision d ON d.id ="
		 "  (SELECT max(id) FROM decision WHERE project_id = p.id)"
		 " WHERE ?1 OR p.status <> 'closed' ORDER BY p.id)"
		 " SELECT * FROM r ORDER BY name",
		 "i", (int64_t)all)))
		return err;
	while (!err && next_row(s, st, "read the report", &err) > 0) {
		struct store_status_row r = {
		    .project = col_text(st, 0),
		    .status = proj_status_parse(col_text(st, 1)),
		    .stage = col_text(st, 2),
		    .entered_at = col_text(st, 3),
		    .status_at = col_text(st, 4),
		    .manual_total = sqlite3_column_int(st, 5),
		    .manual_done = sqlite3_column_int(st, 6),
		    .decision = decision_kind_parse(col_text(st, 7)),
		    .has_cost = sqlite3_column_int(st, 8),
		    .kpis = sqlite3_column_int(st, 9),
		    .approvals = sqlite3_column_int(st, 10),
		    .back_jumps = sqlite3_column_int(st, 11),
		    .staffed = col_text(st, 12),
		};
		err = fn(arg, &r);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_report_people(struct store *s, int all, store_people_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(
		 s, &st,
		 "SELECT a.person, p.name, p.status, p.stage, a.role,"
		 " count(*) OVER (PARTITION BY a.project_id, a.role)"
		 " FROM assignment a JOIN project p ON p.id = a.project_id"
		 " WHERE ?1 OR p.status <> 'closed'"
		 " ORDER BY a.person, p.name, a.role",
		 "i", (int64_t)all)))
		return err;
	while (!err && next_row(s, st, "read the report", &err) > 0) {
		struct store_people_row r = {
		    .person = col_text(st, 0),
		    .project = col_text(st, 1),
		    .status = proj_status_parse(col_text(st, 2)),
		    .stage = col_text(st, 3),
		    .role = col_text(st, 4),
		    .holders = sqlite3_column_int(st, 5),
		};
		err = fn(arg, &r);
	}
	sqlite3_reset(st);
	return err;
}

/* ---- audit ---- */

static const struct ap_error *
sq_audit_add(struct store *s, const struct store_audit *a)
{
	return exec(s, "record the refusal", NULL, NULL,
		    "INSERT INTO audit (at, actor, action, project, stage,"
		    " detail) VALUES (?, ?, ?, ?, ?, ?)",
		    "ssssss", a->at, a->actor, a->action, a->project, a->stage,
		    a->detail);
}

static const struct ap_error *
sq_audit_list(struct store *s, int limit, store_audit_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT at, actor, action, project, stage, detail"
			 " FROM audit ORDER BY id DESC LIMIT ?",
			 "i", (int64_t)limit)))
		return err;
	while (!err && next_row(s, st, "read the audit log", &err) > 0) {
		struct store_audit a = {
		    .at = col_text(st, 0),
		    .actor = col_text(st, 1),
		    .action = col_text(st, 2),
		    .project = col_text(st, 3),
		    .stage = col_text(st, 4),
		    .detail = col_text(st, 5),
		};
		err = fn(arg, &a);
	}
	sqlite3_reset(st);
	return err;
}

/* ---- import and export ---- */

static const struct ap_error *
sq_project_import(struct store *s, struct store_project *p)
{
	const struct ap_error *err;
	int rc;

	if ((err = exec(s, "import the project", NULL, &rc,
			"INSERT INTO project (name, description, status,"
			" status_reason, outcome, stage, epoch, entered_at,"
			" created_at, status_at)"
			" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			"ssssssisss", p->name, p->description,
			proj_status_name(p->status), p->status_reason,
			p->outcome, p->stage, p->epoch, p->entered_at,
			p->created_at, p->status_at)))
		return err;
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "project '%s' already exists", p->name);
	p->id = sqlite3_last_insert_rowid(SQ(s)->db);
	return NULL;
}

static const struct ap_error *
sq_criterion_import(struct store *s, int64_t project,
		    const struct store_criterion *c)
{
	return exec(s, "import the criterion", NULL, NULL,
		    "INSERT INTO criterion (project_id, id, stage, text, done,"
		    " done_by, done_at, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
		    "iississs", project, c->id, c->stage, c->text,
		    (int64_t)c->done, c->done_by, c->done_at, c->note);
}

static const struct ap_error *
sq_decisions(struct store *s, int64_t project, store_decision_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT kind, cost, reason, actor, at FROM decision"
			 " WHERE project_id = ? ORDER BY id",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the decisions", &err) > 0) {
		struct store_decision d = decision_from_row(st, project);
		err = fn(arg, &d);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_readings(struct store *s, int64_t project, store_reading_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT kpi, value, actor, at FROM kpi_reading"
			 " WHERE project_id = ? ORDER BY kpi, id",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the readings", &err) > 0) {
		struct store_reading r = {
		    .kpi = col_text(st, 0),
		    .value = sqlite3_column_double(st, 1),
		    .actor = col_text(st, 2),
		    .at = col_text(st, 3),
		};
		err = fn(arg, &r);
	}
	sqlite3_reset(st);
	return err;
}

static const struct ap_error *
sq_approvals(struct store *s, int64_t project, store_approval_fn fn, void *arg)
{
	const struct ap_error *err;
	sqlite3_stmt *st;

	if ((err = query(s, &st,
			 "SELECT stage, epoch, person, role, note, at"
			 " FROM approval WHERE project_id = ? ORDER BY id",
			 "i", project)))
		return err;
	while (!err && next_row(s, st, "read the approvals", &err) > 0) {
		struct store_approval a = {
		    .project_id = project,
		    .stage = col_text(st, 0),
		    .epoch = sqlite3_column_int64(st, 1),
		    .person = col_text(st, 2),
		    .role = col_text(st, 3),
		    .note = col_text(st, 4),
		    .at = col_text(st, 5),
		};
		err = fn(arg, &a);
	}
	sqlite3_reset(st);
	return err;
}

static const struct store_ops sqlite_ops = {
#define B(ret, name, params) .name = sq_##name,
#define X(name, params, args) .name = sq_##name,
    STORE_BASIC_OPS(B) STORE_OPS(X)
#undef X
#undef B
};
