/*
 * yamlfast.h - a reader for the YAML `aiproj export` writes (yamlout.c),
 * without libyaml, for yaml_stream() (yamlio.c).
 *
 * It gives the events libyaml's parser would give for the same bytes, with
 * the same marks (0-based line and column of each event's start), for a
 * small subset of YAML: block mappings and indentless sequences of "- "
 * items, plain, single- and double-quoted scalars (folded over lines as
 * yamlout.c folds them), empty flow collections ([] and {}).  On anything else it gives up (YF_OTHER) and
 * libyaml reads the file: it never guesses.
 */
#ifndef AIPROJ_YAMLFAST_H
#define AIPROJ_YAMLFAST_H

#include <stddef.h>
#include <stdio.h>

/* the events (as libyaml's yaml_event_type_e names them, but the stream's
 * end, which is not given) */
enum yf_type {
	YF_STREAM_START,
	YF_DOCUMENT_START,
	YF_DOCUMENT_END,
	YF_SCALAR,
	YF_SEQUENCE_START,
	YF_SEQUENCE_END,
	YF_MAPPING_START,
	YF_MAPPING_END
};

struct yf_event {
	int type;         /* enum yf_type */
	size_t line, col; /* 0-based, as libyaml's marks */
	const char *s;    /* YF_SCALAR: the value (not NUL-terminated) */
	size_t len;
	int plain; /* YF_SCALAR: plain style */
};

/* Called with each event; non-zero stops the reading (YF_STOPPED). */
typedef int (*yf_fn)(void *arg, const struct yf_event *ev);

enum {
	YF_DONE,    /* the whole document: every event given */
	YF_STOPPED, /* fn returned non-zero */
	YF_OTHER,   /* not in the subset (or not UTF-8 as libyaml takes it) */
	YF_IOERR    /* a read error: errno is set */
};

/*
 * Read the document from f's current place to its end.  With fn NULL the
 * bytes are only checked: YF_DONE says that libyaml would read them without
 * an error, giving the events this reader gives.  Memory is bounded by the
 * longest line (a line, with the lines its scalar takes, of more than 4 MiB
 * is YF_OTHER).
 */
int yfast_read(FILE *f, yf_fn fn, void *arg);

#endif
