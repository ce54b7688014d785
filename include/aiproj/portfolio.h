/*
 * portfolio.h - the export format: projects as YAML trees.
 *
 * One table-driven description of a project (docs/export.md,
 * schemas/export.schema.json) serves four ways: validating a parsed file
 * (every problem as FILE:LINE:COLUMN: message), emitting a tree in one
 * canonical form (so export -> import -> export gives the same bytes and
 * "unchanged" is a byte comparison), building a tree from the store, and
 * writing a tree into the store.  A document can be checked whole or a
 * project at a time, as it is read.
 */
#ifndef AIPROJ_PORTFOLIO_H
#define AIPROJ_PORTFOLIO_H

#include "aiproj/error.h"
#include "aiproj/lifecycle.h"
#include "aiproj/output.h"
#include "aiproj/store.h"
#include "aiproj/util.h"
#include "aiproj/yamlio.h"

/*
 * Check a whole document ({aiproj: 1, projects: [...]}) against the
 * lifecycle; append one "FILE:LINE:COLUMN: message" line per problem to
 * errs (the first 100, then "... and N more problems").  Returns the
 * number of problems.  Numbers are normalized in place.
 */
int pf_validate(const struct lifecycle *lc, struct ynode *root,
		const char *file, struct sbuf *errs);

/*
 * The same check, a project at a time, for a document read as a stream
 * (yaml_stream()): pf_check_project() each project as it comes (numbers
 * normalized in place, new strings from `arena` when the tree lives in
 * one, else malloc'd), then pf_check_end() with the rest of the document
 * (its 'projects' may be the empty stand-in yaml_stream() leaves).  The
 * problems come out as pf_validate() lists them.
 */
struct pf_check;
struct pf_check *pf_check_new(const struct lifecycle *lc, const char *file);
/* Before the first project: the document's keys read so far (its format
 * version), and whether the file's hashes are recomputed rather than
 * checked (import --rehash). */
void pf_check_head(struct pf_check *chk, const struct ynode *root, int rehash);
/* The problems found in this project (0: it is valid).  A valid project's
 * rows have the hashes the store will give them (pf_chain_project()). */
int pf_check_project(struct pf_check *chk, struct ynode *project,
		     struct yarena *arena);
/* The rows of the last project checked whose hash was missing or was
 * not the one computed (and was recomputed). */
int pf_check_rehashed(const struct pf_check *chk);
/* The problems found so far, in every project. */
int pf_check_problems(const struct pf_check *chk);
/* Check the document's own keys and that project names are unique;
 * append every problem to errs.  Returns the number of problems. */
int pf_check_end(struct pf_check *chk, const struct ynode *root,
		 struct sbuf *errs);
void pf_check_free(struct pf_check *chk);

/* The projects sequence of a validated document. */
const struct ynode *pf_projects(const struct ynode *root);
/* A project tree's name. */
const char *pf_name(const struct ynode *project);

/* Memory for the trees of stored projects, reused from one tree to the
 * next: zero it before the first use, pf_arena_free() it after the last. */
struct pf_arena {
	struct yarena y;
};
void pf_arena_free(struct pf_arena *a);

/* Build the tree of a stored project in arena a, in place of the tree
 * built there before.  It lives until the next call with a or
 * pf_arena_free(a); never ynode_free() it. */
const struct ap_error *pf_from_store(struct store *s,
				     const struct store_project *p,
				     struct pf_arena *a, struct ynode **out);
/* The same tree, from the lists read in one pass (store_lists_open()):
 * for every project of store_project_list(), in its order (export). */
const struct ap_error *pf_from_lists(struct store_lists *l,
				     const struct store_project *p,
				     struct pf_arena *a, struct ynode **out);

/* Strings to strings, for an import: the people met so far (their name
 * as written to the name the store holds them by), the projects written.
 * Zero it before the first use. */
struct pf_names {
	struct sbuf b; /* key NUL value NUL, one after the other */
	size_t *slot;  /* 1 + an offset into b, or 0: empty */
	size_t n, cap; /* entries; slots (a power of two) */
};
/* The value of key, or NULL. */
const char *pf_names_get(const struct pf_names *m, const char *key);
/* Add key (not there yet) with its value: -1 out of memory. */
int pf_names_put(struct pf_names *m, const char *key, const char *value);
void pf_names_free(struct pf_names *m);

/* Write a validated project tree into the store (the name must be free).
 * people (or NULL) remembers each person's name in the store from one
 * project to the next of the same transaction. */
const struct ap_error *pf_to_store(struct store *s, const struct ynode *project,
				   struct pf_names *people);
/* What an import did to each person of its file's list. */
enum { PF_PERSON_CREATED, PF_PERSON_CHANGED, PF_PERSON_UNCHANGED };
struct pf_people_result {
	struct sbuf names[3]; /* by outcome, NUL-terminated */
	int counts[3];
};
void pf_people_result_free(struct pf_people_result *r);
/* The document's people (its key "people", checked by pf_check_end())
 * into the store, after its projects: each person made if new (at `at`),
 * their email and handle set as the file has them, their other names
 * added, and the events of their history the store lacks.  A person the
 * import made (an id greater than `before`: store_person_last_id() before
 * the import) takes the file's `since`; one the store had keeps theirs.
 * An other name that finds another person in the store is a conflict
 * (exit 5, every one listed as FILE:LINE:COLUMN, file the path). */
const struct ap_error *pf_people_to_store(struct store *s,
					  const struct ynode *root,
					  const char *at, int64_t before,
					  const char *file,
					  struct pf_people_result *r);

/*
 * The hash chains of a project tree (docs/export.md): the rows of its
 * history, its approvals and each KPI's readings, each hashed after the
 * row before it as the store hashes them (include/aiproj/chain.h).  Every
 * row's `hash` is set to the computed one (the key added where it is
 * missing: new nodes from `arena`, or malloc'd when it is NULL).  With
 * `check`, fn is called for the first row of each chain whose hash in the
 * tree differs from the computed one, or is missing when `require`.
 * Returns how many rows had a missing or different hash; -1 when out of
 * memory.
 */
struct pf_chain_problem {
	const struct ynode *row;
	const char *chain; /* "history", "approval", "reading" */
	const char *kpi;   /* a reading's KPI, else NULL */
	size_t index;      /* the row's place in its chain, from 1 */
	int missing;       /* it has no hash */
};
typedef void (*pf_chain_fn)(void *arg, const struct pf_chain_problem *p);
int pf_chain_project(struct ynode *project, struct yarena *arena, int check,
		     int require, pf_chain_fn fn, void *arg);

/* Emit a project tree in canonical form as one value. */
void pf_emit(struct jw *w, const struct ynode *project);

/* The canonical YAML of one project, malloc'd (for comparisons). */
const struct ap_error *pf_canonical(const struct ynode *project, char **out,
				    size_t *len);

#endif
