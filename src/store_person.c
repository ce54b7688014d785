/*
 * store_person.c - people (schemas/010-person.sql), written once for every
 * backend (see store_ops.h): one person per name whatever its case and
 * spacing, told apart by person_key(); the name as first written is what
 * assignments hold.
 */
#include <stdlib.h>
#include <string.h>

#include "aiproj/util.h"
#include "store_ops.h"

static const struct ap_error *
dup_or_null(const char *t, char **out)
{
	*out = NULL;
	if (t && !(*out = strdup(t)))
		return ap_error_nomem();
	return NULL;
}

static const struct ap_error *
person_rec_row(void *ctx, const struct sd_row *r)
{
	struct store_person_rec *p = ctx;
	const struct ap_error *err;

	store_person_clear(p);
	p->id = sd_i64(r, 0);
	if ((err = dup_or_null(sd_text(r, 1), &p->name)) ||
	    (err = dup_or_null(sd_text(r, 2), &p->email)) ||
	    (err = dup_or_null(sd_text(r, 3), &p->handle)) ||
	    (err = dup_or_null(sd_text(r, 4), &p->created_at)))
		return err;
	return NULL;
}

void
store_person_clear(struct store_person_rec *p)
{
	free(p->name);
	free(p->email);
	free(p->handle);
	free(p->created_at);
	memset(p, 0, sizeof(*p));
}

const struct ap_error *
store_person_find(struct store *s, const char *name, struct store_person_rec *p)
{
	const struct ap_error *err;
	char *key = person_key(name);
	struct sd_stmt st = {
	    .sql = "SELECT id, name, email, handle, created_at FROM person"
		   " WHERE key = ?1",
	    .types = "s",
	    .doing = "read the person",
	    .fn = person_rec_row,
	    .ctx = p,
	};

	memset(p, 0, sizeof(*p));
	if (!key)
		return ap_error_nomem();
	err = sd_run(s, &st, key);
	free(key);
	if (err)
		store_person_clear(p);
	return err;
}

const struct ap_error *
store_person_get(struct store *s, const char *name, struct store_person_rec *p)
{
	const struct ap_error *err;

	if ((err = store_person_find(s, name, p)))
		return err;
	if (p->id == 0)
		return ap_error_fmt(AP_EXIT_NOTFOUND,
				    "no person '%s' (aiproj person list)",
				    shown(name));
	return NULL;
}

struct taken {
	char *key;
	char *owner, *as; /* the first person found, and the name */
};

static const struct ap_error *
taken_row(void *ctx, const struct sd_row *r)
{
	struct taken *t = ctx;
	char *k;
	int same;

	if (t->owner)
		return NULL;
	if (!(k = person_key(sd_text(r, 0))))
		return ap_error_nomem();
	same = !strcmp(k, t->key);
	free(k);
	if (same && (!(t->owner = strdup(sd_text(r, 1))) ||
		     !(t->as = strdup(sd_text(r, 0)))))
		return ap_error_nomem();
	return NULL;
}

/* `name` is not, whatever its case and spacing, a name a person other
 * than `id` had (store.h): else a conflict (exit 5), as the name written
 * so is.  A person's own name is told apart by its key in person
 * (key_taken()); the names they had are read here, a scan of the names
 * with a key made of each, so only the commands that name a person on
 * purpose ask it (person add and rename, the people and other names a
 * file or a merged store brings), not every one that gives a role to
 * someone new. */
const struct ap_error *
store_person_name_free(struct store *s, const char *name, int64_t id)
{
	const struct ap_error *err;
	struct taken t = {.key = person_key(name)};
	struct sd_stmt st = {
	    .sql = "SELECT pn.name, pe.name FROM person_name pn"
		   " JOIN person pe ON pe.id = pn.person_id"
		   " WHERE pn.person_id <> ?1 AND pn.name <> pe.name",
	    .types = "i",
	    .doing = "read the person's names",
	    .fn = taken_row,
	    .ctx = &t,
	};

	if (!t.key)
		return ap_error_nomem();
	if (!(err = sd_run(s, &st, id)) && t.owner)
		err = ap_error_fmt(
		    AP_EXIT_CONFLICT,
		    "'%s' is another name of '%s'%s%s%s: what was recorded"
		    " under it counts for them (choose a name no one has had,"
		    " or aiproj person merge joins two)",
		    shown(name), shown(t.owner),
		    strcmp(t.as, name) ? " (written '" : "",
		    strcmp(t.as, name) ? shown(t.as) : "",
		    strcmp(t.as, name) ? "')" : "");
	free(t.key);
	free(t.owner);
	free(t.as);
	return err;
}

/* `name` is, whatever its case and spacing, the own name of a person
 * other than `id` (person.key, an index): a conflict (exit 5), as an
 * other name of one person that is another's name would find two. */
static const struct ap_error *
key_taken(struct store *s, const char *name, int64_t id)
{
	const struct ap_error *err;
	char *key = person_key(name);
	int64_t other = 0;
	struct sd_stmt st = {
	    .sql = "SELECT id FROM person WHERE key = ?1 AND id <> ?2",
	    .types = "si",
	    .doing = "read the person",
	    .fn = sd_first_i64,
	    .ctx = &other,
	};

	if (!key)
		return ap_error_nomem();
	if (!(err = sd_run(s, &st, key, id)) && other)
		err =
		    ap_error_fmt(AP_EXIT_CONFLICT,
				 "'%s' is the name of another person, whatever"
				 " its case and spacing: a name finds one"
				 " person (aiproj person merge joins two)",
				 shown(name));
	free(key);
	return err;
}

/* Remember that the person `id` was written `name`.  A name another
 * person was written with stays theirs: records made under it (approvals,
 * assignments) count for them, and moving it would give those records to
 * `id` -- a conflict, whether a person is added, renamed or imported. */
static const struct ap_error *
person_name_add(struct store *s, const char *name, int64_t id)
{
	const struct ap_error *err;
	int64_t owner;
	char *now;
	struct sd_stmt st = {
	    .sql = "INSERT INTO person_name (name, person_id) VALUES (?1, ?2)"
		   " ON CONFLICT (name) DO NOTHING",
	    .types = "si",
	    .doing = "record the person's name",
	};
	struct sd_stmt dirty = {
	    .sql = "INSERT INTO summary_dirty SELECT DISTINCT a.project_id"
		   " FROM approval a WHERE a.person = ?1 AND NOT EXISTS"
		   " (SELECT 1 FROM summary_dirty d"
		   " WHERE d.project_id = a.project_id)",
	    .types = "s",
	    .doing = "record the person's name",
	};

	if ((err = store_person_name_owner(s, name, &owner, &now)))
		return err;
	if (!owner && (err = key_taken(s, name, id))) {
		free(now);
		return err;
	}
	if (owner && owner != id)
		err =
		    ap_error_fmt(AP_EXIT_CONFLICT,
				 "'%s' is another name of '%s': what was"
				 " recorded under it counts for them (choose a"
				 " name no one has had, or aiproj person merge"
				 " joins two)",
				 shown(name), shown(now ? now : ""));
	free(now);
	if (err || owner)
		return err;
	if ((err = sd_run(s, &st, name, id)) || !s->feed_bulk)
		return err;
	/* an import's (SQLite, its triggers off: store_feed_bulk()): what
	 * summary_person_name_ins does */
	return sd_run(s, &dirty, name);
}

/* A new person: *id 0 when the key or the name is taken. */
static const struct ap_error *
person_insert(struct store *s, const char *name, const char *email,
	      const char *handle, const char *at, int64_t *id)
{
	const struct ap_error *err;
	char *key = person_key(name);
	struct sd_stmt st = {
	    .sql = "INSERT INTO person (key, name, email, handle, created_at)"
		   " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING"
		   " RETURNING id",
	    .types = "sssss",
	    .doing = "add the person",
	    .fn = sd_first_i64,
	    .ctx = id,
	};

	*id = 0;
	if (!key)
		return ap_error_nomem();
	err = sd_run(s, &st, key, name, email, handle, at);
	free(key);
	if (!err && *id)
		err = person_name_add(s, name, *id);
	return err;
}

const struct ap_error *
store_person_ensure(struct store *s, const char *name, const char *at,
		    char **canon)
{
	const struct ap_error *err;
	struct store_person_rec p;
	int64_t id;

	*canon = NULL;
	if ((err = store_person_find(s, name, &p)))
		return err;
	if (p.id) {
		*canon = p.name;
		p.name = NULL;
		store_person_clear(&p);
		return NULL;
	}
	if ((err = person_insert(s, name, NULL, NULL, at, &id)))
		return err;
	if (id == 0) /* the name of someone else's key: cannot happen */
		return ap_error_fmt(AP_EXIT_CONFLICT, "the name '%s' is taken",
				    shown(name));
	return xstrdup(name, canon);
}

const struct ap_error *
store_person_add(struct store *s, const char *name, const char *email,
		 const char *handle, const char *at, int64_t *id)
{
	const struct ap_error *err;
	struct store_person_rec p;

	if ((err = store_person_find(s, name, &p)))
		return err;
	if (p.id) {
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "person '%s' already exists, as '%s'",
				   shown(name), shown(p.name));
		store_person_clear(&p);
		return err;
	}
	if ((err = store_person_name_free(s, name, 0)) ||
	    (err = person_insert(s, name, email, handle, at, id)))
		return err;
	if (*id == 0)
		return ap_error_fmt(AP_EXIT_CONFLICT,
				    "person '%s' already exists", shown(name));
	return NULL;
}

const struct ap_error *
store_person_set(struct store *s, int64_t id, const char *email,
		 const char *handle)
{
	struct sd_stmt st = {
	    .sql = "UPDATE person SET"
		   " email = CASE WHEN ?2 = 1 THEN ?3 ELSE email END,"
		   " handle = CASE WHEN ?4 = 1 THEN ?5 ELSE handle END"
		   " WHERE id = ?1",
	    .types = "iisis",
	    .doing = "update the person",
	};

	return sd_run(s, &st, id, (int64_t)(email != NULL),
		      email && *email ? email : NULL, (int64_t)(handle != NULL),
		      handle && *handle ? handle : NULL);
}

struct admin_names {
	char **name;
	size_t n;
};

static const struct ap_error *
admin_name_row(void *arg, const struct store_admin *a)
{
	struct admin_names *x = arg;
	char **more = realloc(x->name, (x->n + 1) * sizeof(*more));

	if (!more)
		return ap_error_nomem();
	x->name = more;
	if (!(x->name[x->n] = strdup(a->person)))
		return ap_error_nomem();
	x->n++;
	return NULL;
}

/*
 * The administrator right of the person `from` made that of `to`: an
 * administrator is a person, written in whatever spelling they were added
 * under ('Zed' is the person zed), so the rows are matched by
 * person_same(), not as strings.  When `to` is an administrator already
 * (another spelling of theirs: not `from`), `from`'s rows go; else one of
 * them is `to` (the one written so, if any) and the others go.
 */
static const struct ap_error *
admins_follow(struct store *s, const char *from, const char *to)
{
	const struct ap_error *err;
	struct admin_names x = {0};
	const char *keep = NULL;
	int to_admin = 0;
	struct sd_stmt del = {
	    .sql = "DELETE FROM admin WHERE person = ?1",
	    .types = "s",
	    .doing = "move the administrator right",
	};
	struct sd_stmt mv = {
	    .sql = "UPDATE admin SET person = ?2 WHERE person = ?1",
	    .types = "ss",
	    .doing = "move the administrator right",
	};

	if ((err = store_admins(s, admin_name_row, &x)))
		goto done;
	for (size_t i = 0; i < x.n; i++) {
		if (!person_same(x.name[i], from))
			to_admin |= person_same(x.name[i], to);
		else if (!keep || !strcmp(x.name[i], to))
			keep = x.name[i];
	}
	if (to_admin)
		keep = NULL;
	for (size_t i = 0; i < x.n && !err; i++)
		if (x.name[i] != keep && person_same(x.name[i], from))
			err = sd_run(s, &del, x.name[i]);
	if (!err && keep && strcmp(keep, to) != 0)
		err = sd_run(s, &mv, keep, to);
done:
	for (size_t i = 0; i < x.n; i++)
		free(x.name[i]);
	free(x.name);
	return err;
}

/* The assignments of `from` made those of `to` (one where both held a
 * role), keeping the name each was made to for the feed and the log; and
 * with `admins` the administrator right too. */
static const struct ap_error *
rename_rows(struct store *s, const char *from, const char *to, int admins)
{
	const struct ap_error *err;
	struct sd_stmt drop = {
	    .sql = "DELETE FROM assignment WHERE person = ?1 AND EXISTS"
		   " (SELECT 1 FROM assignment b WHERE b.project_id ="
		   " assignment.project_id AND b.role = assignment.role AND"
		   " b.person = ?2)",
	    .types = "ss",
	    .doing = "move the assignments",
	};
	struct sd_stmt move = {
	    .sql = "UPDATE assignment SET assigned_name ="
		   " coalesce(assigned_name, person), person = ?2"
		   " WHERE person = ?1",
	    .types = "ss",
	    .doing = "move the assignments",
	};

	if ((err = sd_run(s, &drop, from, to)) ||
	    (err = sd_run(s, &move, from, to)) || !admins)
		return err;
	return admins_follow(s, from, to);
}

const struct ap_error *
store_person_rename(struct store *s, const struct store_person_rec *p,
		    const char *name)
{
	const struct ap_error *err;
	char *key = person_key(name);
	int64_t taken = 0;
	struct sd_stmt other = {
	    .sql = "SELECT id FROM person WHERE (key = ?1 OR name = ?2)"
		   " AND id <> ?3",
	    .types = "ssi",
	    .doing = "rename the person",
	    .fn = sd_first_i64,
	    .ctx = &taken,
	};
	struct sd_stmt st = {
	    .sql = "UPDATE person SET key = ?1, name = ?2 WHERE id = ?3",
	    .types = "ssi",
	    .doing = "rename the person",
	};

	if (!key)
		return ap_error_nomem();
	if (!(err = sd_run(s, &other, key, name, p->id)) && taken)
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "person '%s' already exists (aiproj person"
				   " merge joins two)",
				   shown(name));
	if (!err)
		err = sd_run(s, &st, key, name, p->id);
	free(key);
	if (!err)
		err = store_person_name_free(s, name, p->id);
	if (!err)
		err = person_name_add(s, name, p->id);
	if (!err)
		err = rename_rows(s, p->name, name, 1);
	return err;
}

const struct ap_error *
store_person_merge(struct store *s, const struct store_person_rec *from,
		   const struct store_person_rec *into)
{
	const struct ap_error *err;
	struct sd_stmt names = {
	    .sql = "UPDATE person_name SET person_id = ?2 WHERE person_id = ?1",
	    .types = "ii",
	    .doing = "merge the people",
	};
	struct sd_stmt events = {
	    .sql = "UPDATE person_event SET person_id = ?2"
		   " WHERE person_id = ?1",
	    .types = "ii",
	    .doing = "merge the people",
	};
	struct sd_stmt keep = {
	    .sql = "UPDATE person SET email = coalesce(email, ?2),"
		   " handle = coalesce(handle, ?3) WHERE id = ?1",
	    .types = "iss",
	    .doing = "merge the people",
	};
	struct sd_stmt drop = {
	    .sql = "DELETE FROM person WHERE id = ?1",
	    .types = "i",
	    .doing = "merge the people",
	};

	if ((err = rename_rows(s, from->name, into->name, 1)) ||
	    (err = sd_run(s, &names, from->id, into->id)) ||
	    (err = sd_run(s, &events, from->id, into->id)) ||
	    (err = sd_run(s, &keep, into->id, from->email, from->handle)))
		return err;
	return sd_run(s, &drop, from->id);
}

const struct ap_error *
store_person_event_add(struct store *s, int64_t person,
		       const struct store_person_event *e)
{
	struct sd_stmt st = {
	    .sql = "INSERT INTO person_event (person_id, kind, subject,"
		   " detail, actor, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
	    .types = "isssss",
	    .doing = "record the person's history",
	};

	return sd_run(s, &st, person, e->kind, e->subject, e->detail, e->actor,
		      e->at);
}

/* ---- lists ---- */

struct person_list {
	union {
		store_person_fn person;
		store_person_role_fn role;
		store_person_approval_fn approval;
		store_person_event_fn event;
	} fn;
	void *arg;
};

static const struct ap_error *
person_row(void *ctx, const struct sd_row *r)
{
	struct person_list *x = ctx;
	struct store_person p = {
	    .id = sd_i64(r, 0),
	    .name = sd_text(r, 1),
	    .email = sd_text(r, 2),
	    .handle = sd_text(r, 3),
	    .created_at = sd_text(r, 4),
	    .projects = sd_i64(r, 5),
	    .roles = sd_i64(r, 6),
	};

	return x->fn.person(x->arg, &p);
}

const struct ap_error *
store_persons(struct store *s, store_person_fn fn, void *arg)
{
	struct person_list x = {.fn.person = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT pe.id, pe.name, pe.email, pe.handle,"
		   " pe.created_at,"
		   " (SELECT count(DISTINCT a.project_id) FROM assignment a"
		   "  WHERE a.person = pe.name),"
		   " (SELECT count(*) FROM assignment a WHERE a.person ="
		   "  pe.name)"
		   " FROM person pe ORDER BY pe.key, pe.id",
	    .types = "",
	    .doing = "read the people",
	    .flags = SD_STREAM,
	    .fn = person_row,
	    .ctx = &x,
	};

	return sd_run(s, &st);
}

static const struct ap_error *
person_role_row(void *ctx, const struct sd_row *r)
{
	struct person_list *x = ctx;
	struct store_person_role a = {
	    .project_id = sd_i64(r, 0),
	    .project = sd_text(r, 1),
	    .status = proj_status_parse(sd_text(r, 2)),
	    .stage = sd_text(r, 3),
	    .role = sd_text(r, 4),
	    .assigned_at = sd_text(r, 5),
	    .title = sd_text(r, 6),
	};

	return x->fn.role(x->arg, &a);
}

const struct ap_error *
store_person_roles(struct store *s, const char *name, store_person_role_fn fn,
		   void *arg)
{
	struct person_list x = {.fn.role = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT p.id, p.name, p.status, p.stage, a.role,"
		   " a.assigned_at, a.title FROM assignment a JOIN project p"
		   " ON p.id = a.project_id WHERE a.person = ?1"
		   " ORDER BY p.name, a.role",
	    .types = "s",
	    .doing = "read the assignments",
	    .fn = person_role_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, name);
}

static const struct ap_error *
person_approval_row(void *ctx, const struct sd_row *r)
{
	struct person_list *x = ctx;
	struct store_person_approval a = {
	    .project = sd_text(r, 0),
	    .stage = sd_text(r, 1),
	    .role = sd_text(r, 2),
	    .person = sd_text(r, 3),
	    .note = sd_text(r, 4),
	    .at = sd_text(r, 5),
	};

	return x->fn.approval(x->arg, &a);
}

const struct ap_error *
store_person_approvals(struct store *s, int64_t person,
		       store_person_approval_fn fn, void *arg)
{
	struct person_list x = {.fn.approval = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT p.name, a.stage, a.role, a.person, a.note, a.at"
		   " FROM approval a JOIN project p ON p.id = a.project_id"
		   " WHERE a.person IN (SELECT name FROM person_name"
		   " WHERE person_id = ?1) ORDER BY a.at, p.name, a.id",
	    .types = "i",
	    .doing = "read the approvals",
	    .fn = person_approval_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, person);
}

static const struct ap_error *
person_event_row(void *ctx, const struct sd_row *r)
{
	struct person_list *x = ctx;
	struct store_person_event e = {
	    .kind = sd_text(r, 0),
	    .subject = sd_text(r, 1),
	    .detail = sd_text(r, 2),
	    .actor = sd_text(r, 3),
	    .at = sd_text(r, 4),
	};

	return x->fn.event(x->arg, &e);
}

const struct ap_error *
store_person_events(struct store *s, int64_t person, store_person_event_fn fn,
		    void *arg)
{
	struct person_list x = {.fn.event = fn, .arg = arg};
	struct sd_stmt st = {
	    .sql = "SELECT kind, subject, detail, actor, at FROM person_event"
		   " WHERE person_id = ?1 ORDER BY id",
	    .types = "i",
	    .doing = "read the person's history",
	    .fn = person_event_row,
	    .ctx = &x,
	};

	return sd_run(s, &st, person);
}

/* ---- every person with their names and history (export) ---- */

/* A cursor of rows by person (its first columns: the person's key and
 * id), read one person at a time; the head is the next row unread. */
struct by_person {
	struct sd_cursor *c;
	const struct sd_row *row;
	int ended;
};

/* The head row if it is person (key, id)'s; rows of earlier people (made
 * meanwhile by another writer) are passed over. */
static const struct ap_error *
next_of(struct store *s, struct by_person *b, const char *key, int64_t id,
	const struct sd_row **out)
{
	const struct ap_error *err;

	*out = NULL;
	for (;;) {
		const struct sd_row *r = b->row;
		int c;
		if (!r && !b->ended) {
			if ((err = sd_cursor_next(s, b->c, &r)))
				return err;
			b->row = r;
			b->ended = !r;
		}
		if (!r)
			return NULL;
		c = strcmp(sd_text(r, 0), key);
		if (c == 0 && sd_i64(r, 1) == id) {
			*out = r;
			b->row = NULL; /* taken */
			return NULL;
		}
		if (c > 0 || (c == 0 && sd_i64(r, 1) > id))
			return NULL; /* a later person's */
		b->row = NULL;
	}
}

/* One person's other names and history, copied out of their rows. */
struct full_buf {
	char **names;
	struct store_person_event *events;
	size_t nnames, nevents, capn, cape;
};

static void
full_buf_clear(struct full_buf *f)
{
	for (size_t i = 0; i < f->nnames; i++)
		free(f->names[i]);
	for (size_t i = 0; i < f->nevents; i++) {
		free((char *)f->events[i].kind);
		free((char *)f->events[i].subject);
		free((char *)f->events[i].detail);
		free((char *)f->events[i].actor);
		free((char *)f->events[i].at);
	}
	f->nnames = f->nevents = 0;
}

static const struct ap_error *
full_buf_name(struct full_buf *f, const char *name)
{
	if (f->nnames == f->capn) {
		size_t cap = f->capn ? 2 * f->capn : 8;
		char **n = realloc(f->names, cap * sizeof(*n));
		if (!n)
			return ap_error_nomem();
		f->names = n;
		f->capn = cap;
	}
	if (!(f->names[f->nnames] = strdup(name)))
		return ap_error_nomem();
	f->nnames++;
	return NULL;
}

static const struct ap_error *
full_buf_event(struct full_buf *f, const struct sd_row *r)
{
	const struct ap_error *err;
	struct store_person_event *e;
	char *t[5];

	if (f->nevents == f->cape) {
		size_t cap = f->cape ? 2 * f->cape : 8;
		struct store_person_event *n =
		    realloc(f->events, cap * sizeof(*n));
		if (!n)
			return ap_error_nomem();
		f->events = n;
		f->cape = cap;
	}
	for (int i = 0; i < 5; i++) {
		if ((err = dup_or_null(sd_text(r, 2 + i), &t[i]))) {
			while (i--)
				free(t[i]);
			return err;
		}
	}
	e = &f->events[f->nevents++];
	e->kind = t[0];
	e->subject = t[1];
	e->detail = t[2];
	e->actor = t[3];
	e->at = t[4];
	return NULL;
}

const struct ap_error *
store_persons_full(struct store *s, store_person_full_fn fn, void *arg)
{
	static const char people_sql[] =
	    "SELECT key, id, name, email, handle, created_at FROM person"
	    " ORDER BY key, id";
	/* the names a person was written with, but the one they have */
	static const char names_sql[] =
	    "SELECT pe.key, pe.id, pn.name FROM person_name pn JOIN person pe"
	    " ON pe.id = pn.person_id WHERE pn.name <> pe.name"
	    " ORDER BY pe.key, pe.id, pn.name";
	static const char events_sql[] =
	    "SELECT pe.key, pe.id, e.kind, e.subject, e.detail, e.actor, e.at"
	    " FROM person_event e JOIN person pe ON pe.id = e.person_id"
	    " ORDER BY pe.key, pe.id, e.id";
	const struct ap_error *err;
	struct sd_cursor *people = NULL;
	struct by_person names = {0}, events = {0};
	struct full_buf f = {0};
	const struct sd_row *r;

	if ((err = sd_cursor_open(s, people_sql, "read the people", &people)) ||
	    (err = sd_cursor_open(s, names_sql, "read the people's names",
				  &names.c)) ||
	    (err = sd_cursor_open(s, events_sql, "read the people's history",
				  &events.c)))
		goto done;
	while (!(err = sd_cursor_next(s, people, &r)) && r) {
		const char *key = sd_text(r, 0);
		int64_t id = sd_i64(r, 1);
		const struct sd_row *x;
		struct store_person_full p = {
		    .p = {.id = id,
			  .name = sd_text(r, 2),
			  .email = sd_text(r, 3),
			  .handle = sd_text(r, 4),
			  .created_at = sd_text(r, 5)},
		};
		full_buf_clear(&f);
		while (!(err = next_of(s, &names, key, id, &x)) && x)
			if ((err = full_buf_name(&f, sd_text(x, 2))))
				break;
		while (!err && !(err = next_of(s, &events, key, id, &x)) && x)
			if ((err = full_buf_event(&f, x)))
				break;
		if (err)
			break;
		p.names = (const char *const *)f.names;
		p.nnames = f.nnames;
		p.events = f.events;
		p.nevents = f.nevents;
		if ((err = fn(arg, &p)))
			break;
	}
done:
	full_buf_clear(&f);
	free(f.names);
	free(f.events);
	sd_cursor_close(s, events.c);
	sd_cursor_close(s, names.c);
	sd_cursor_close(s, people);
	return err;
}

const struct ap_error *
store_person_last_id(struct store *s, int64_t *id)
{
	struct sd_stmt st = {
	    .sql = "SELECT coalesce(max(id), 0) FROM person",
	    .types = "",
	    .doing = "read the people",
	    .fn = sd_first_i64,
	    .ctx = id,
	};

	*id = 0;
	return sd_run(s, &st);
}

struct owner {
	int64_t *id;
	char **now;
};

static const struct ap_error *
owner_row(void *ctx, const struct sd_row *r)
{
	struct owner *o = ctx;

	*o->id = sd_i64(r, 0);
	free(*o->now);
	return dup_or_null(sd_text(r, 1), o->now);
}

const struct ap_error *
store_person_name_owner(struct store *s, const char *name, int64_t *id,
			char **now)
{
	struct owner o = {id, now};
	struct sd_stmt st = {
	    .sql = "SELECT pe.id, pe.name FROM person_name pn JOIN person pe"
		   " ON pe.id = pn.person_id WHERE pn.name = ?1",
	    .types = "s",
	    .doing = "read the person's names",
	    .fn = owner_row,
	    .ctx = &o,
	};
	const struct ap_error *err;

	*id = 0;
	*now = NULL;
	if ((err = sd_run(s, &st, name))) {
		free(*now);
		*now = NULL;
	}
	return err;
}

const struct ap_error *
store_person_name_add(struct store *s, int64_t id, const char *name)
{
	const struct ap_error *err = store_person_name_free(s, name, id);

	return err ? err : person_name_add(s, name, id);
}

const struct ap_error *
store_person_since(struct store *s, int64_t id, const char *at)
{
	struct sd_stmt st = {
	    .sql = "UPDATE person SET created_at = ?2 WHERE id = ?1",
	    .types = "is",
	    .doing = "update the person",
	};

	return sd_run(s, &st, id, at);
}

/* ---- a store from before people (its migration) ---- */

struct seen {
	char **name, **at;
	size_t n, cap;
};

static const struct ap_error *
seen_row(void *ctx, const struct sd_row *r)
{
	struct seen *x = ctx;

	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		char **n = realloc(x->name, cap * sizeof(*n));
		if (!n)
			return ap_error_nomem();
		x->name = n;
		if (!(n = realloc(x->at, cap * sizeof(*n))))
			return ap_error_nomem();
		x->at = n;
		x->cap = cap;
	}
	x->name[x->n] = strdup(sd_text(r, 0));
	x->at[x->n] = strdup(sd_text(r, 1));
	x->n++;
	if (!x->name[x->n - 1] || !x->at[x->n - 1])
		return ap_error_nomem();
	return NULL;
}

static void
seen_free(struct seen *x)
{
	for (size_t i = 0; i < x->n; i++) {
		free(x->name[i]);
		free(x->at[i]);
	}
	free(x->name);
	free(x->at);
}

const struct ap_error *
store_person_fill(struct store *s)
{
	const struct ap_error *err = NULL;
	struct seen x = {0};
	/* every name, first seen first: the first spelling is kept */
	struct sd_stmt names = {
	    .sql = "SELECT name, min(at) FROM ("
		   " SELECT person AS name, assigned_at AS at FROM assignment"
		   " UNION ALL SELECT person, at FROM approval"
		   " UNION ALL SELECT person, added_at FROM admin) n"
		   " GROUP BY name ORDER BY min(at), name",
	    .types = "",
	    .doing = "migrate the store",
	    .fn = seen_row,
	    .ctx = &x,
	};

	if ((err = sd_run(s, &names)))
		goto done;
	for (size_t i = 0; i < x.n && !err; i++) {
		char *canon;
		struct store_person_rec p;
		int64_t known = 0;
		struct sd_stmt st = {
		    .sql = "SELECT person_id FROM person_name WHERE name = ?1",
		    .types = "s",
		    .doing = "migrate the store",
		    .fn = sd_first_i64,
		    .ctx = &known,
		};
		/* a name some person was written with is theirs */
		if ((err = sd_run(s, &st, x.name[i])) || known)
			continue;
		if ((err = store_person_ensure(s, x.name[i], x.at[i], &canon)))
			break;
		if ((err = store_person_find(s, canon, &p)))
			break;
		err = person_name_add(s, x.name[i], p.id);
		/* the assignments hold the person's name as first written
		 * (the administrators keep theirs: the actor they match) */
		if (!err && strcmp(canon, x.name[i]) != 0)
			err = rename_rows(s, x.name[i], canon, 0);
		store_person_clear(&p);
		free(canon);
	}
done:
	seen_free(&x);
	return err;
}
