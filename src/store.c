/*
 * store.c - the store's front: picks a backend by the location's form and
 * passes the calls that differ between backends to it (see store_ops.h).
 */
#include <stdlib.h>
#include <string.h>

#include "store_ops.h"

int
store_location_is_pg(const char *location)
{
	return strncmp(location, "postgresql://", 13) == 0 ||
	       strncmp(location, "postgres://", 11) == 0;
}

/* A PostgreSQL URI selects the server store; anything else is a file. */
const struct ap_error *
store_open(const char *path, int busy_ms, unsigned flags, struct store **out)
{
	if (store_location_is_pg(path))
		return pg_store_open(path, busy_ms, flags, out);
	return sqlite_store_open(path, busy_ms, flags, out);
}

const struct ap_error *
store_create_check(const char *location, int dirs)
{
	/* a server store is made by init's tables in an existing database */
	if (store_location_is_pg(location))
		return NULL;
	return sqlite_store_create_check(location, dirs);
}

const struct ap_error *
store_open_scratch(struct store **out)
{
	return sqlite_store_open(NULL, 1000, STORE_CREATE, out);
}

static const struct ap_error *no_store;

const struct ap_error *
store_no_store(const char *shown_path)
{
	return no_store = ap_error_fmt(AP_EXIT_STORE,
				       "no aiproj store at '%s': 'aiproj init'"
				       " creates one",
				       shown_path);
}

int
store_missing(const struct ap_error *err)
{
	return err && err == no_store;
}

static const struct ap_error *overtaken;

const struct ap_error *
store_overtaken_error(const char *shown_path)
{
	return overtaken =
		   ap_error_fmt(AP_EXIT_STORE, STORE_OVERTAKEN_MSG, shown_path);
}

int
store_overtaken(const struct ap_error *err)
{
	return err && err == overtaken;
}

void
store_project_clear(struct store_project *p)
{
	free(p->name);
	free(p->description);
	free(p->status_reason);
	free(p->outcome);
	free(p->stage);
	free(p->entered_at);
	free(p->created_at);
	free(p->status_at);
	memset(p, 0, sizeof(*p));
}

void
store_close(struct store *s)
{
	if (s)
		s->ops->close(s);
}

const char *
store_path(const struct store *s)
{
	return s->ops->path(s);
}

int
store_created(const struct store *s)
{
	return s->ops->created(s);
}

void
store_rollback(struct store *s)
{
	s->writing = 0;
	s->ops->rollback(s);
}

/* store_actor(), store_batch(), store_feed_bulk(), store_watch(),
 * store_wait(): each a call
 * through the table; store_begin() and store_commit() below. */
#define X(name, params, args)                                                  \
	const struct ap_error *store_##name params                             \
	{                                                                      \
		return s->ops->name args;                                      \
	}
#define STORE_OPS_PLAIN(X)                                                     \
	X(actor, (struct store * s, char **actor), (s, actor))                 \
	X(batch, (struct store * s, int on), (s, on))                          \
	X(feed_bulk, (struct store * s, int on), (s, on))                      \
	X(watch, (struct store * s), (s))                                      \
	X(wait, (struct store * s, int ms, int *changed), (s, ms, changed))
STORE_OPS_PLAIN(X)
#undef X

const struct ap_error *
store_batch_send(struct store *s)
{
	return s->ops->batch_send ? s->ops->batch_send(s) : s->ops->batch(s, 0);
}

const struct ap_error *
store_begin(struct store *s, int write)
{
	const struct ap_error *err = s->ops->begin(s, write);

	s->writing = !err && write;
	return err;
}

/* A write transaction ends by making the summary rows of the projects it
 * changed again (store_summary_refresh()): the one place every writer
 * passes, on both backends; when that fails, nothing is committed. */
static const struct ap_error *
summaries_before_commit(struct store *s)
{
	const struct ap_error *err;

	if (s->writing && (err = store_summary_refresh(s))) {
		s->writing = 0;
		s->ops->rollback(s);
		return err;
	}
	s->writing = 0;
	return NULL;
}

const struct ap_error *
store_commit(struct store *s)
{
	const struct ap_error *err = summaries_before_commit(s);

	return err ? err : s->ops->commit(s);
}

/* The first of store_commit()'s two steps, for a store made in a new file
 * (STORE_CREATE_AT_COMMIT): the summary rows made and the transaction
 * committed in that file, which nobody sees until store_commit() puts it
 * in its place.  A failure here comes before the command prints anything;
 * a store_rollback() or store_close() after it removes the file.  Any
 * other store: the summary rows are made, and the commit waits. */
const struct ap_error *
store_seal(struct store *s)
{
	const struct ap_error *err = summaries_before_commit(s);

	return err ? err : s->ops->seal(s);
}
