/*
 * yamlio.h - the YAML layer.  yamlio.c is the only file that includes
 * <yaml.h>; everything else sees this small tree.
 *
 * Documents are read through libyaml's event API with hard limits (size,
 * depth, scalar length, node count); anchors, aliases, tags other than the
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
	int plain;           /* scalar written without quotes */
	char *str;           /* scalar value (NUL-terminated) */
	struct ynode **kids; /* Y_SEQ: items; Y_MAP: key, value, key, ... */
	size_t n;
};

/*
 * Parse one YAML document from buf.  `name` is the file name used in
 * messages.  On success *root is a tree the caller must free with
 * ynode_free(); on failure exit 6 with a FILE:LINE:COLUMN message.
 */
const struct ap_error *yaml_load(const char *buf, size_t len, const char *name,
				 struct ynode **root);
void ynode_free(struct ynode *n);

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

#endif
