/* cmd_export.c - export and import: the portfolio as one YAML document. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aiproj/portfolio.h"
#include "cli.h"

struct export_ctx {
	struct cli *c;
	struct jw w;
	struct pf_arena arena;     /* each project's tree, in turn */
	struct store_lists *lists; /* every project: the lists in one pass */
	int n;
};

static const struct ap_error *
export_one(void *arg, const struct store_project *p)
{
	struct export_ctx *x = arg;
	const struct ap_error *err;
	struct ynode *t;

	if ((err = x->lists ? pf_from_lists(x->lists, p, &x->arena, &t)
			    : pf_from_store(x->c->store, p, &x->arena, &t)))
		return err;
	pf_emit(&x->w, t);
	x->n++;
	return NULL;
}

/* ---- the people: every person (an export of named projects: those who
 * hold a role in one, and those who hold none anywhere, whom no project
 * would carry), with their other names and their history ---- */

struct export_people {
	struct cli *c;
	const struct args *a; /* the named projects, if any */
	struct jw *w;
	int n, holds, roles;
};

static const struct ap_error *
holds_named(void *arg, const struct store_person_role *r)
{
	struct export_people *x = arg;

	x->roles++;
	for (int i = 0; i < x->a->npos && !x->holds; i++)
		x->holds = strcmp(r->project, x->a->pos[i]) == 0;
	return NULL;
}

static const struct ap_error *
export_person(void *arg, const struct store_person_full *f)
{
	struct export_people *x = arg;
	const struct store_person *p = &f->p;
	const struct ap_error *err;

	/* an export of named projects: the people who hold a role in one,
	 * or none at all (a portfolio moved in parts keeps them) */
	x->holds = x->a->npos == 0;
	x->roles = 0;
	if (!x->holds &&
	    (err = store_person_roles(x->c->store, p->name, holds_named, x)))
		return err;
	if (!x->holds && x->roles)
		return NULL;
	if (x->n++ == 0) {
		jw_end(x->w); /* the projects */
		jw_key(x->w, "people");
		jw_arr(x->w);
	}
	jw_obj(x->w);
	jw_kstr(x->w, "name", p->name);
	jw_kstr(x->w, "email", p->email);
	jw_kstr(x->w, "handle", p->handle);
	jw_kstr(x->w, "since", p->created_at);
	/* written only when there are some (older exports have none) */
	if (f->nnames) {
		jw_key(x->w, "names");
		jw_arr(x->w);
		for (size_t i = 0; i < f->nnames; i++)
			jw_str(x->w, f->names[i]);
		jw_end(x->w);
	}
	if (f->nevents) {
		jw_key(x->w, "history");
		jw_arr(x->w);
		for (size_t i = 0; i < f->nevents; i++) {
			const struct store_person_event *e = &f->events[i];
			jw_obj(x->w);
			jw_kstr(x->w, "kind", e->kind);
			jw_kstr(x->w, "subject", e->subject);
			jw_kstr(x->w, "detail", e->detail);
			jw_kstr(x->w, "actor", e->actor);
			jw_kstr(x->w, "at", e->at);
			jw_end(x->w);
		}
		jw_end(x->w);
	}
	jw_end(x->w);
	return NULL;
}

/* The name the symbolic links from `path` end at; it need not exist. */
static const struct ap_error *
link_target(const char *path, char **out)
{
	if ((*out = follow_links(path)))
		return NULL;
	if (errno == ENOMEM)
		return ap_error_nomem();
	return ap_error_errno(AP_EXIT_USAGE, "cannot write", path);
}

/* The folder `path` names an entry of (malloc'd; NULL when out of
 * memory): "." for a bare name, "/" for an entry of the root. */
static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return strdup(".");
	if (slash == path)
		return strdup("/");
	return strndup(path, (size_t)(slash - path));
}

/* Is `name` the entry `base` in the directory that `dir` is? */
static int
names_entry(const char *name, const struct stat *dir, const char *base)
{
	const char *slash = strrchr(name, '/');
	char *d;
	struct stat sb;
	int same;

	if (strcmp(slash ? slash + 1 : name, base) != 0)
		return 0;
	d = dir_of(name);
	same = d && stat(d, &sb) == 0 && sb.st_dev == dir->st_dev &&
	       sb.st_ino == dir->st_ino;
	free(d);
	return same;
}

/* Refuse an output that is the store or one of its files: the same file
 * (`sb`, when the output exists) or the same name in the same directory. */
static const struct ap_error *
refuse_store(const struct cli *c, const char *path, const char *target,
	     const struct stat *sb)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	const struct ap_error *err;
	const char *slash = strrchr(target, '/');
	char *db, *d;
	struct stat dir;
	int have_dir;

	if (!c->db || store_location_is_pg(c->db))
		return NULL;
	if ((err = link_target(c->db, &db)))
		return NULL; /* a store whose links loop was not opened */
	d = dir_of(target);
	have_dir = d && stat(d, &dir) == 0;
	free(d);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(*suffix); i++) {
		struct stat fb;
		char *name;
		int hit;

		if (asprintf(&name, "%s%s", db, suffix[i]) < 0) {
			free(db);
			return ap_error_nomem();
		}
		hit = (sb && stat(name, &fb) == 0 && fb.st_dev == sb->st_dev &&
		       fb.st_ino == sb->st_ino) ||
		      (have_dir &&
		       names_entry(name, &dir, slash ? slash + 1 : target));
		if (hit) {
			err = ap_error_fmt(AP_EXIT_USAGE,
					   "cannot write '%s': it is %s '%s';"
					   " nothing was written",
					   shown(path),
					   i ? "a file of the store"
					     : "the store",
					   shown(name));
			free(name);
			free(db);
			return err;
		}
		free(name);
	}
	free(db);
	return NULL;
}

const struct ap_error *
open_output(const struct cli *c, struct output *o)
{
	const struct ap_error *err;
	const char *path = o->path;
	struct stat sb, fd_sb;
	int exists, fd = -1;

	if ((err = link_target(path, &o->target)))
		return err;
	exists = stat(path, &sb) == 0;
	if (!exists && errno != ENOENT)
		return ap_error_errno(AP_EXIT_USAGE, "cannot write", path);
	if ((err = refuse_store(c, path, o->target, exists ? &sb : NULL)))
		return err;
	if (exists && S_ISDIR(sb.st_mode))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "cannot write '%s': it is a directory",
				    shown(path));
	/* the file standard output or standard error is: through it */
	for (int s = STDOUT_FILENO; exists && s <= STDERR_FILENO; s++)
		if (fstat(s, &fd_sb) == 0 && fd_sb.st_dev == sb.st_dev &&
		    fd_sb.st_ino == sb.st_ino) {
			fd = dup(s);
			break;
		}
	if (fd < 0 && exists && (S_ISFIFO(sb.st_mode) || S_ISCHR(sb.st_mode)))
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC);
	else if (fd < 0 && exists && !S_ISREG(sb.st_mode))
		return ap_error_fmt(AP_EXIT_USAGE,
				    "cannot write '%s': not a regular file,"
				    " FIFO or character device",
				    shown(path));
	else if (fd < 0) {
		if (asprintf(&o->tmp, "%s.XXXXXX", o->target) < 0) {
			o->tmp = NULL;
			return ap_error_nomem();
		}
		fd = mkstemp(o->tmp);
		if (fd < 0) {
			free(o->tmp);
			o->tmp = NULL;
		}
	}
	if (fd < 0 || !(o->f = fd_stream(fd, 1, &o->err))) {
		err = fd < 0
			  ? ap_error_errno(AP_EXIT_USAGE, "cannot write", path)
			  : ap_error_nomem();
		if (fd >= 0)
			close(fd);
		if (o->tmp)
			unlink(o->tmp);
		return err;
	}
	o->fd = fd;
	return NULL;
}

/* Finish the output: flushed, and the temporary file synced and renamed
 * over the target when `ok`, else removed. */
const struct ap_error *
close_output(struct output *o, int ok)
{
	const struct ap_error *err = NULL;

	if (fflush(o->f) != 0 || ferror(o->f)) {
		errno = o->err ? o->err : EIO;
		err = ap_error_errno(AP_EXIT_STORE, "cannot write", o->path);
	} else if (o->tmp && fsync(o->fd) != 0) {
		err = ap_error_errno(AP_EXIT_STORE, "cannot write", o->path);
	}
	if (fclose(o->f) != 0 && !err)
		err = ap_error_errno(AP_EXIT_STORE, "cannot write", o->path);
	o->f = NULL;
	if (o->tmp && ok && !err && rename(o->tmp, o->target) != 0)
		err = ap_error_errno(AP_EXIT_USAGE, "cannot write", o->path);
	if (o->tmp && (!ok || err))
		unlink(o->tmp);
	return err;
}

const struct ap_error *
cmd_export(struct cli *c, struct args *a)
{
	const struct ap_error *err = NULL, *cerr;
	const char *path = opt_val(a, "output");
	struct export_ctx x = {.c = c};
	struct output o = {.path = path};
	FILE *f = c->out;

	/* "-o -" is standard output, as without -o */
	if (path && strcmp(path, "-") == 0)
		path = o.path = NULL;
	/* every named project must exist before anything is written */
	for (int i = 0; i < a->npos; i++) {
		struct store_project p;
		if ((err = store_project_get(c->store, a->pos[i], &p)))
			return err;
		store_project_clear(&p);
	}
	if (path) {
		err = open_output(c, &o);
		if (err) {
			free(o.target);
			return err;
		}
		f = o.f;
	}
	if (c->format == FMT_JSON)
		jw_init(&x.w, f);
	else
		jw_init_yaml_direct(&x.w, f);
	/* format 2: hashes on the chained rows, and the end record */
	jw_obj(&x.w);
	jw_kint(&x.w, "aiproj", 2);
	jw_key(&x.w, "projects");
	jw_arr(&x.w);
	if (a->npos == 0) {
		if (!(err = store_lists_open(c->store, &x.lists)))
			err = store_lists_projects(x.lists, export_one, &x);
		store_lists_close(x.lists);
	} else {
		for (int i = 0; i < a->npos && !err; i++) {
			struct store_project p;
			if (!(err = store_project_get(c->store, a->pos[i], &p)))
				err = export_one(&x, &p);
			store_project_clear(&p);
		}
	}
	if (!err) {
		struct export_people xp = {.c = c, .a = a, .w = &x.w};
		err = store_persons_full(c->store, export_person, &xp);
	}
	if (!err) {
		/* the end record (after the people, when there are some): a
		 * file cut short lacks it */
		jw_end(&x.w);
		jw_key(&x.w, "end");
		jw_obj(&x.w);
		jw_kint(&x.w, "projects", x.n);
	}
	cerr = jw_finish(&x.w);
	/* a failed write (not the YAML writer's refusal) is reported when
	 * the output is closed: below, or by main for standard output */
	if (!err && cerr && !ferror(f)) {
		/* the writer refused a value (as libyaml would): the export
		 * would end there */
		err = ap_error_fmt(AP_EXIT_STORE,
				   "cannot export: %s (does the store hold"
				   " text that is not UTF-8?)",
				   cerr->msg);
	}
	pf_arena_free(&x.arena);
	if (path) {
		cerr = close_output(&o, !err);
		if (!err && !(err = cerr) && !c->quiet)
			fprintf(stderr, "aiproj: exported %d project%s to %s\n",
				x.n, x.n == 1 ? "" : "s", path);
	}
	free(o.target);
	free(o.tmp);
	return err;
}

/* ---- import ---- */

static const struct ap_error *read_file(const char *path, char **buf,
					size_t *len);

/* Standard input can be read once: its bytes are kept, so a trial run and
 * the real one (see main.c run()) read the same input. */
/* Inputs read once and kept: standard input and every file that is not
 * a regular one (a pipe, /dev/fd/N, a FIFO), which a second read would
 * find empty or wait on.  A command may read its input more than once:
 * the argument's check, a trial run, the command itself (main.c run()). */
struct kept_input {
	char *path, *buf;
	size_t len;
	struct kept_input *next;
};

static struct kept_input *kept;

static void
kept_free(void)
{
	while (kept) {
		struct kept_input *k = kept->next;
		free(kept->path);
		free(kept->buf);
		free(kept);
		kept = k;
	}
}

const struct ap_error *
read_input(const char *path, char **buf, size_t *len)
{
	const struct ap_error *err;
	struct kept_input *k;
	struct stat sb;

	if (strcmp(path, "-") != 0 &&
	    (stat(path, &sb) != 0 || S_ISREG(sb.st_mode)))
		return read_file(path, buf, len); /* its errors as they are */
	for (k = kept; k && strcmp(k->path, path) != 0; k = k->next)
		;
	if (!k) {
		if (!(k = calloc(1, sizeof(*k))) || !(k->path = strdup(path))) {
			free(k);
			return ap_error_nomem();
		}
		if ((err = read_file(path, &k->buf, &k->len))) {
			free(k->path);
			free(k);
			return err;
		}
		if (!kept)
			atexit(kept_free);
		k->next = kept;
		kept = k;
	}
	if (!(*buf = malloc(k->len + 1)))
		return ap_error_nomem();
	memcpy(*buf, k->buf, k->len + 1);
	*len = k->len;
	return NULL;
}

static const struct ap_error *
read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 1 << 16, n = 0;
	char *b = NULL;
	struct stat sb;

	*buf = NULL;
	if (!f)
		return ap_error_errno(errno == ENOENT ? AP_EXIT_NOTFOUND
						      : AP_EXIT_INPUT,
				      "cannot read", path);
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		return ap_error_fmt(
		    AP_EXIT_INPUT, "cannot read '%s': it is a directory", path);
	}
	for (;;) {
		char *nb;
		size_t got;
		if (n + 1 >= cap || !b) {
			if (b)
				cap *= 2;
			if (!(nb = realloc(b, cap))) {
				free(b);
				if (f != stdin)
					fclose(f);
				return ap_error_nomem();
			}
			b = nb;
		}
		got = fread(b + n, 1, cap - n - 1, f);
		n += got;
		if (n > YAML_MAX_BYTES) {
			free(b);
			if (f != stdin)
				fclose(f);
			return ap_error_fmt(AP_EXIT_INPUT,
					    "%s:1:1: document is over 16 MiB"
					    " (%u bytes)",
					    path, YAML_MAX_BYTES);
		}
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		const struct ap_error *err =
		    ap_error_errno(AP_EXIT_INPUT, "cannot read", path);
		free(b);
		if (f != stdin)
			fclose(f);
		return err;
	}
	if (f != stdin)
		fclose(f);
	b[n] = '\0';
	*buf = b;
	*len = n;
	return NULL;
}

/*
 * The import's input as a file that can be read again from its start:
 * a regular file as it is; standard input, and any file that is not a
 * regular one (a pipe, /dev/fd/N, a FIFO, a terminal), copied to a
 * temporary file first, once, and kept, so a trial run and the real one
 * (see main.c run()) read the same bytes.  *owned: the caller closes it.
 */
static const struct ap_error *
open_input(const char *path, FILE **out, int *owned)
{
	/* the input that is no regular file, copied, and its path */
	static FILE *in;
	static char *in_path;
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f, *t;
	struct stat sb;
	char buf[1 << 16];
	size_t n;

	*out = NULL;
	*owned = 0;
	if (in && strcmp(in_path, path) == 0) {
		rewind(in);
		*out = in;
		return NULL;
	}
	if (!(f = is_stdin ? stdin : fopen(path, "rb")))
		return ap_error_errno(errno == ENOENT ? AP_EXIT_NOTFOUND
						      : AP_EXIT_INPUT,
				      "cannot read", path);
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		if (!is_stdin)
			fclose(f);
		return ap_error_fmt(
		    AP_EXIT_INPUT, "cannot read '%s': it is a directory", path);
	}
	if (!is_stdin && S_ISREG(sb.st_mode)) {
		*out = f;
		*owned = 1;
		return NULL;
	}
	if (!(t = tmpfile())) {
		const struct ap_error *err =
		    ap_error_errno(AP_EXIT_INPUT, "cannot read", path);
		if (!is_stdin)
			fclose(f);
		return err;
	}
	/* up to the first NUL byte: the import fails there whatever comes
	 * after (the first bad byte is the error reported), and an endless
	 * input of them (/dev/zero) would otherwise fill the disk */
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		const char *z = memchr(buf, '\0', n);
		size_t k = z ? (size_t)(z - buf) + 1 : n;
		if (fwrite(buf, 1, k, t) != k || z)
			break;
	}
	if (ferror(f) || ferror(t) || fflush(t) != 0) {
		const struct ap_error *err =
		    ap_error_errno(AP_EXIT_INPUT, "cannot read", path);
		if (!is_stdin)
			fclose(f);
		fclose(t);
		return err;
	}
	if (!is_stdin)
		fclose(f);
	rewind(t);
	/* kept for a second reading (one input a command) */
	if (!in && (in_path = strdup(path)) != NULL) {
		in = t;
		*out = t;
		return NULL;
	}
	*out = t;
	*owned = 1;
	return NULL;
}

enum outcome { O_CREATED, O_REPLACED, O_UNCHANGED };

/* An import, a project at a time: each is checked as it is read and, while
 * the file holds no problem and no conflict so far, written at once (the
 * one transaction rolls back on any problem found later). */
struct import {
	struct cli *c;
	const char *path;
	int replace;
	int rehash; /* recompute the file's hashes rather than check them */
	int head;   /* the document's version is known to chk */
	int trial;  /* only learn whether it would fail: an empty store */
	int fresh;  /* the store was new or empty: it holds only what this
		     * wrote */
	struct pf_check *chk;
	struct pf_names people;  /* each person's name in the store */
	struct pf_names written; /* in a fresh store: the projects */
	struct pf_arena arena;   /* stored projects, to compare */
	struct sbuf names[3];    /* by outcome: NUL-terminated */
	int counts[3];
	struct sbuf conflicts;
};

static const struct ap_error *
same_as_stored(struct import *x, const struct ynode *pj,
	       const struct store_project *p, int *same)
{
	const struct ap_error *err;
	struct ynode *t;
	char *a = NULL, *b = NULL;
	size_t la, lb;

	if (!(err = pf_from_store(x->c->store, p, &x->arena, &t)) &&
	    !(err = pf_canonical(t, &a, &la)) &&
	    !(err = pf_canonical(pj, &b, &lb)))
		*same = la == lb && memcmp(a, b, la) == 0;
	free(a);
	free(b);
	return err;
}

struct imported {
	const char *stage, *outcome;
};

/* An imported project as a move (import --hooks): from nowhere to the
 * stage it is at, of kind "import". */
static void
imported_fields(struct jw *w, const void *arg)
{
	const struct imported *im = arg;

	jw_kstr(w, "from", NULL);
	jw_kstr(w, "to", im->stage);
	jw_kstr(w, "kind", "import");
	jw_kstr(w, "reason", NULL);
	jw_kstr(w, "import", im->outcome);
}

/* One project of the file: check it, decide its fate, write it. */
/* import --rehash: each project written is logged in the audit log. */
static const struct ap_error *
audit_rehash(struct import *x, const char *name)
{
	const struct ap_error *err;
	char *detail = NULL;
	struct store_audit au = {
	    .at = x->c->now,
	    .actor = x->c->actor,
	    .action = "import --rehash",
	    .project = name,
	    .stage = "",
	};
	int n = pf_check_rehashed(x->chk);

	if (asprintf(&detail,
		     "hash chains recomputed from '%s': %d row%s had no hash"
		     " or another one",
		     x->path, n, n == 1 ? "" : "s") < 0)
		return ap_error_nomem();
	au.detail = detail;
	err = store_audit_add(x->c->store, &au);
	free(detail);
	return err;
}

static const struct ap_error *
import_one(void *arg, const struct ynode *root, struct ynode *pj,
	   struct yarena *arena)
{
	struct import *x = arg;
	const struct ap_error *err;
	struct store_project p;
	const char *name;
	int same = 0, k, unread;

	if (!x->head++)
		pf_check_head(x->chk, root, x->rehash);
	/* after a problem, the rest is only checked: nothing will be
	 * written, and exit 6 comes before any conflict.  The projects
	 * written before were sent, not waited for (store_batch_send()):
	 * the server writes them while this one is read and checked; their
	 * outcome first, a failure told as it would have been before this
	 * project was read */
	if (pf_check_project(x->chk, pj, arena) || pf_check_problems(x->chk))
		return store_batch(x->c->store, 0);
	name = pf_name(pj);
	/* a trial's store is empty: every project would be created; a
	 * fresh one holds only the projects written before */
	unread = x->trial || (x->fresh && !pf_names_get(&x->written, name));
	err = unread ? NULL : store_project_get(x->c->store, name, &p);
	if (unread || (err && err->code == AP_EXIT_NOTFOUND)) {
		k = O_CREATED;
	} else if (err) {
		return err;
	} else {
		err = same_as_stored(x, pj, &p, &same);
		if (!err && !same && x->replace)
			err = store_project_delete(x->c->store, p.id);
		store_project_clear(&p);
		if (err)
			return err;
		if (!same && !x->replace) {
			sbuf_printf(&x->conflicts,
				    "\n%s:%d:%d: project '%s' exists"
				    " and differs",
				    x->path, pj->line, pj->col, name);
			return NULL;
		}
		k = same ? O_UNCHANGED : O_REPLACED;
	}
	x->counts[k]++;
	if (sbuf_add(&x->names[k], name, strlen(name) + 1))
		return ap_error_nomem();
	/* after a conflict nothing more is written: it will not commit */
	if (k == O_UNCHANGED || x->trial || x->conflicts.len)
		return NULL;
	/* a project's rows go out together (PostgreSQL: pipelined) and
	 * are not waited for (store_batch_send()): the server writes them
	 * while the next project is read; their outcome is learnt at the
	 * next statement that reads, at a problem of the file or at its
	 * end, the first failure told as row by row (the server ran nothing
	 * after it); the rows give themselves their feed ids from the first
	 * project written on (SQLite: no trigger a row), until cmd_import()
	 * ends that */
	if ((err = store_feed_bulk(x->c->store, 1)) ||
	    (err = store_batch(x->c->store, 1)) ||
	    (err = pf_to_store(x->c->store, pj, &x->people)))
		store_batch(x->c->store, 0);
	else
		err = store_batch_send(x->c->store);
	if (err)
		return err;
	if (x->fresh && !pf_names_get(&x->written, name) &&
	    pf_names_put(&x->written, name, ""))
		return ap_error_nomem();
	if (x->rehash && (err = audit_rehash(x, name)))
		return err;
	{
		const struct ynode *st = ymap_get(pj, "stage");
		struct imported im = {st ? st->str : NULL,
				      k == O_CREATED ? "created" : "replaced"};
		return hook_fire(x->c, "post-move", name, imported_fields, &im);
	}
}

const struct ap_error *
cmd_import(struct cli *c, struct args *a)
{
	const struct ap_error *err;
	struct import x = {
	    .c = c,
	    .path = a->pos[0],
	    .replace = opt_has(a, "replace"),
	    .rehash = opt_has(a, "rehash"),
	    .trial = c->trial,
	    .fresh = store_created(c->store),
	};
	int dry = opt_has(a, "dry-run"), owned;
	struct pf_people_result people = {0};
	int64_t before;
	struct ynode *root = NULL;
	struct sbuf errs = {0};
	FILE *f;

	/* the people the import makes have greater ids */
	if ((err = store_person_last_id(c->store, &before)))
		return err;
	/* a store without projects is as good as new: no project of the
	 * file is looked for in it but those written (under the writers'
	 * lock, no one else writes one meanwhile) */
	if (!x.fresh && !x.trial &&
	    (err = store_projects_none(c->store, &x.fresh)))
		return err;
	if ((err = open_input(x.path, &f, &owned)))
		return err;
	if (!(x.chk = pf_check_new(&c->lc, x.path))) {
		err = ap_error_nomem();
		goto done;
	}
	err = yaml_stream(f, x.path, "projects", import_one, &x, &root);
	/* the projects written last were sent, not waited for: a failure
	 * of theirs came first (the rest of the file was read meanwhile) */
	{
		const struct ap_error *w = store_batch(c->store, 0);
		if (w)
			err = w;
	}
	if (err)
		goto done;
	if (!x.head)
		pf_check_head(x.chk, root, x.rehash);
	if (pf_check_end(x.chk, root, &errs)) {
		err = ap_error_fmt(AP_EXIT_INPUT, "%s", errs.s);
		goto done;
	}
	if (x.conflicts.len) {
		err = ap_error_fmt(AP_EXIT_CONFLICT,
				   "nothing imported: projects in '%s' differ"
				   " from the store (--replace overwrites"
				   " them)%s",
				   x.path, x.conflicts.s);
		goto done;
	}
	/* the people, after their projects; then the feed's count and
	 * triggers back, before anything else writes */
	if ((err = pf_people_to_store(c->store, root, c->now, before, x.path,
				      &people)) ||
	    (err = store_feed_bulk(c->store, 0)))
		goto done;
	c->rollback_only = dry;
	if (c->format & (FMT_JSON | FMT_YAML)) {
		static const char *const keys[] = {"created", "replaced",
						   "unchanged"};
		struct jw w;
		out_doc(c, &w);
		jw_kstr(&w, "file", x.path);
		jw_kbool(&w, "dry_run", dry);
		for (int k = O_CREATED; k <= O_UNCHANGED; k++) {
			const char *s = x.names[k].s;
			jw_key(&w, keys[k]);
			jw_arr(&w);
			for (int i = 0; i < x.counts[k];
			     i++, s += strlen(s) + 1)
				jw_str(&w, s);
			jw_end(&w);
		}
		/* the people of the file's list: made, changed (an email,
		 * a handle, other names or history added), unchanged */
		jw_key(&w, "people");
		jw_obj(&w);
		for (int k = PF_PERSON_CREATED; k <= PF_PERSON_UNCHANGED; k++) {
			static const char *const pkeys[] = {
			    "created", "changed", "unchanged"};
			const char *s = people.names[k].s;
			jw_key(&w, pkeys[k]);
			jw_arr(&w);
			for (int i = 0; i < people.counts[k];
			     i++, s += strlen(s) + 1)
				jw_str(&w, s);
			jw_end(&w);
		}
		jw_end(&w);
		jw_done(&w);
	} else {
		fprintf(c->out,
			"%s %s: %d created, %d replaced, %d unchanged\n",
			dry ? "Would import" : "Imported", x.path,
			x.counts[O_CREATED], x.counts[O_REPLACED],
			x.counts[O_UNCHANGED]);
		/* a dry run tells what would become of the people too */
		if (dry &&
		    people.counts[0] + people.counts[1] + people.counts[2])
			fprintf(c->out,
				"People: %d created, %d changed, %d"
				" unchanged\n",
				people.counts[PF_PERSON_CREATED],
				people.counts[PF_PERSON_CHANGED],
				people.counts[PF_PERSON_UNCHANGED]);
	}
done:
	if (owned)
		fclose(f);
	pf_check_free(x.chk);
	pf_arena_free(&x.arena);
	pf_names_free(&x.people);
	pf_names_free(&x.written);
	pf_people_result_free(&people);
	for (int k = 0; k < 3; k++)
		sbuf_free(&x.names[k]);
	sbuf_free(&x.conflicts);
	sbuf_free(&errs);
	ynode_free(root);
	return err;
}
