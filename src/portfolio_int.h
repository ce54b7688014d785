/*
 * portfolio_int.h - inside the export format: the tables of fields, the
 * state of a check, and the helpers the portfolio_*.c files share.
 */
#ifndef AIPROJ_PORTFOLIO_INT_H
#define AIPROJ_PORTFOLIO_INT_H

#include <stddef.h>

#include "aiproj/portfolio.h"

enum ftype {
	FT_NAME,    /* project, KPI or component name (aiproj(1) Arguments) */
	FT_PERSON,  /* person name */
	FT_TEXT,    /* reason, note, description */
	FT_STAMP,   /* 2026-01-02T03:04:05.678Z */
	FT_NUM,     /* a plain decimal number */
	FT_INT,     /* a plain non-negative integer */
	FT_BOOL,    /* true or false */
	FT_STAGE,   /* a stage slug of the store's lifecycle */
	FT_ROLE,    /* a role slug of the store's lifecycle */
	FT_APROLE,  /* an approval's: a role slug, or "" (a stage with no
		     * accountable role, whose gate anyone approves) */
	FT_ENUM,    /* one of `values` */
	FT_VERSION, /* a release's version (eng_check_version) */
	FT_URI,     /* an artifact (eng_check_artifact) */
	FT_DIGEST,  /* ALGO:HEX (eng_check_digest) */
	FT_COMMIT,  /* hex digits (eng_check_commit) */
	FT_HASH,    /* a row's hash: 64 lowercase hex digits (chain.h) */
	FT_LIST,    /* a sequence of mappings described by `items` */
	FT_EMAIL,   /* a person's email */
	FT_HANDLE,  /* a person's handle */
	FT_PERSONS, /* a sequence of person names */
};

struct field {
	const char *key;
	int type;
	int required; /* must be given (else: null, "", [] or false) */
	int nullable;
	const char *what; /* FT_NAME: which name */
	const char *const *values;
	const struct field *items;
};

/* The fields of a project (and, through `items`, of its lists). */
extern const struct field f_project[];
/* The document's people (a list). */
extern const struct field f_people;

/* ---- validation ---- */

/* At most this many problems are written out; the rest are counted. */
#define PF_MAX_PROBLEMS 100

/* The problems of one part of a document, in the order they are listed:
 * the document's own keys, its projects, duplicate names.  Each keeps the
 * text of its first PF_MAX_PROBLEMS, which is all that can be shown. */
enum { SEC_HEAD, SEC_PROJECTS, SEC_DUPLICATES, SEC_N };

struct psec {
	struct sbuf s;
	int n;
};

/* A project's name and place, for the duplicates check at the end. */
struct pname {
	size_t off; /* in vctx.names */
	int line, col;
};

/* An assignment's assigned_as and its person (offsets in vctx.as), and
 * where it is: checked against the people once they are read. */
struct asref {
	size_t person, name;
	int line, col;
};

struct vctx {
	const struct lifecycle *lc;
	const char *file;
	struct psec sec[SEC_N];
	int cur;              /* the section problems go to now */
	int n;                /* problems, in every section */
	struct yarena *arena; /* the tree's, or NULL: it was malloc'd */
	struct sbuf names;    /* NUL-terminated project names */
	struct pname *pn;
	size_t npn, cap;
	int version;    /* the document's format version, once known (else 0) */
	int rehash;     /* recompute the hashes rather than check them */
	int projects;   /* projects checked */
	int rehashed;   /* rows of the last project whose hash was recomputed */
	struct sbuf as; /* NUL-terminated persons and names of asref */
	struct asref *ar;
	size_t nar, car;
};

void pf_bad_at(struct vctx *v, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* A problem at node at (1:1 when NULL). */
void pf_bad(struct vctx *v, const struct ynode *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The rules across fields of project p, once every field has its right
 * type (portfolio_rules.c). */
void pf_check_rules(struct vctx *v, const struct ynode *p);

/* Key `key` of map m: its string (NULL when null or missing), the length
 * of its list, the items of its list (none when it was left out). */
const char *pf_str_of(const struct ynode *m, const char *key);
size_t pf_len_of(const struct ynode *m, const char *key);
const struct ynode *const *pf_items_of(const struct ynode *m, const char *key,
				       size_t *n);

/* Sorting keys for unique() and the canonical order. */
struct keyed {
	const struct ynode *n;
	const char *k1, *k2;
	long long num; /* k1 as a number, for ids */
};

/* The items of seq l sorted by field (then field2); numeric sorts ids.
 * The caller frees the array. */
struct keyed *pf_sorted_items(const struct ynode *l, const char *field,
			      const char *field2, int numeric);

/* The project's status_at, or the time a store upgrade gives one without. */
const char *pf_status_at_of(const struct ynode *p);

#endif
