/*
 * yamlio.h - the YAML layer.  yamlio.c is the only file that includes
 * <yaml.h>; everything else sees this small tree.
 *
 * Documents are read through libyaml's event API with hard limits (size,
 * depth, scalar length, node count), whole or streamed; anchors, aliases, tags other than the
 * core ones, duplicate keys and multi-document streams are refused.  Every
 * error is "FILE:LINE:COLUMN: message" with 1-based line and column.
 */
#ifndef AIPROJ_YAMLIO_H
#define AIPROJ_YAMLIO_H

#include <stddef.h>
#include <stdio.h>

#include "aiproj/error.h"
#include "aiproj/lifecycle.h"

#define YAML_MAX_BYTES (16u << 20)
#define YAML_MAX_DEPTH 64
#define YAML_MAX_SCALAR (64u << 10)
#define YAML_MAX_NODES 4000000u

enum ytype { Y_SCALAR, Y_SEQ, Y_MAP };

struct ynode {
	int type;            /* enum ytype */
	int line;            /* 1-based */
	int col;             /* 1-based */
	int plain;           /* scalar written without quotes or !!str */
	char *str;           /* scalar value (NUL-terminated) */
	struct ynode **kids; /* Y_SEQ: items; Y_MAP: key, value, key, ... */
	size_t n;
};

/*
 * Memory for trees built in bulk: nodes, strings and lists come from
 * blocks that are reused after yarena_reset(), not from a malloc and a
 * free each.  Zero it before the first use; yarena_free() it after the
 * last.  A tree built in an arena is never given to ynode_free().
 */
struct yarena {
	struct yblock *first, *cur;
};
void *yarena_alloc(struct yarena *a, size_t n); /* NULL: out of memory */
void yarena_reset(struct yarena *a);
void yarena_free(struct yarena *a);

/*
 * Parse one YAML document from buf.  `name` is the file name used in
 * messages.  On success *root is a tree the caller must free with
 * ynode_free(); on failure exit 6 with a FILE:LINE:COLUMN message.
 */
const struct ap_error *yaml_load(const char *buf, size_t len, const char *name,
				 struct ynode **root);
void ynode_free(struct ynode *n);

/* Called with each item of a streamed sequence: the item's tree lives in
 * `arena` until the call returns; `root` is the root mapping as read so
 * far (the keys before the sequence, and its key).  An error stops the
 * reading. */
typedef const struct ap_error *(*yaml_item_fn)(void *arg,
					       const struct ynode *root,
					       struct ynode *item,
					       struct yarena *arena);

/*
 * Stream one YAML document from f, which must be a file that can be read
 * again from its start (a regular file, or standard input copied to one).
 * The items of the sequence that is the value of key `key` of the root
 * mapping are built one at a time and handed to fn, then dropped: memory
 * is bounded by the largest item, not by the file.  The rest of the
 * document is built as yaml_load() builds it, with that value an empty
 * sequence that keeps its line and column.  The limits and refusals are
 * those of yaml_load(), but for the size: there is none, and the node
 * limit applies to each item, and to the rest, on its own.  A problem in
 * the YAML (or in its bytes, wherever it is in the file) stops the reading
 * and is returned, as is fn's error; f's read errors are reported as
 * "cannot read NAME".
 */
const struct ap_error *yaml_stream(FILE *f, const char *name, const char *key,
				   yaml_item_fn fn, void *arg,
				   struct ynode **root);

/*
 * yaml_stream() is yaml_stream_with(..., 1, NULL, NULL): the file is read
 * by yamlfast.c when it is YAML as `aiproj export` writes it (the reader
 * checks the whole file first), else by libyaml, with the same events,
 * trees and messages.  For the tests: fast 0 reads with libyaml alone;
 * *used (unless NULL) says whether the fast reader read the document; t
 * (unless NULL) sees every event given to the tree builder: a code
 * (S D d = [ ] { } for the stream's start, a document's start and end, a
 * scalar, a sequence's and a mapping's start and end), the 0-based line and
 * column of its mark, and a scalar's value and style.
 */
struct yaml_trace {
	void (*fn)(void *arg, int code, size_t line, size_t col, const char *s,
		   size_t len, int plain);
	void *arg;
};
const struct ap_error *yaml_stream_with(FILE *f, const char *name,
					const char *key, yaml_item_fn fn,
					void *arg, struct ynode **root,
					int fast, const struct yaml_trace *t,
					int *used);

/* A new scalar node (a NULL string makes a null scalar); NULL when out
 * of memory. */
struct ynode *ynode_scalar(const char *s, int plain);
/* Is n a null scalar (plain null, Null, NULL, ~ or empty)? */
int ynode_is_null(const struct ynode *n);

/* The value of key `k` in mapping m, or NULL. */
struct ynode *ymap_get(const struct ynode *m, const char *k);

/*
 * Parse and validate a lifecycle document.  Every problem is reported, one
 * per line, as FILE:LINE:COLUMN: message (exit 6).  The caller must free
 * the result with lifecycle_free().
 */
const struct ap_error *lifecycle_parse(const char *buf, size_t len,
				       const char *name, struct lifecycle *lc);
/* The same for the lifecycle a store already holds: what made a name
 * ambiguous (a stage named "1", a name equal to another's slug, ...) is
 * refused when a file is read, but a store made before it was stays
 * readable. */
const struct ap_error *lifecycle_parse_stored(const char *buf, size_t len,
					      const char *name,
					      struct lifecycle *lc);

/*
 * A streaming YAML emitter (block style) over libyaml, for --format yaml.
 * Strings that a YAML 1.1 reader would retype (numbers, yes/no/on/off,
 * null, ~, ...) are double-quoted.  Errors are sticky: yemit_close()
 * reports the first one and frees the emitter.
 */
struct yemit;
const struct ap_error *yemit_open(FILE *f, struct yemit **out);
void yemit_map(struct yemit *y);
void yemit_seq(struct yemit *y);
void yemit_end(struct yemit *y, int map);         /* map: 1 closes a mapping */
void yemit_str(struct yemit *y, const char *s);   /* a string value */
void yemit_plain(struct yemit *y, const char *s); /* number, bool, null */
const struct ap_error *yemit_close(struct yemit *y);

/* Would a YAML 1.1 or 1.2 reader take this plain scalar (n bytes) as a
 * non-string: a number, a bool, null, a date?  (Such a string is written
 * double-quoted.) */
int yaml_retyped(const char *s, size_t n);

/*
 * The same emitter without libyaml (yamlout.c), for the export: the bytes
 * yemit_*() write, for every input (a differential test holds it to that),
 * written straight into a buffer.  Text that is not UTF-8 is refused as
 * libyaml refuses it.  Errors are sticky: yout_close() reports the first
 * one and frees the writer.
 */
struct yout;
const struct ap_error *yout_open(FILE *f, struct yout **out);
void yout_map(struct yout *y);
void yout_seq(struct yout *y);
void yout_end(struct yout *y, int map);
void yout_str(struct yout *y, const char *s);
void yout_plain(struct yout *y, const char *s);
const struct ap_error *yout_close(struct yout *y);

#endif
