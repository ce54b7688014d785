/*
 * chain.h - the hash chains of the append-only rows (history, approvals,
 * KPI readings, the audit log): SHA-256, by OpenSSL's libcrypto, over a
 * canonical encoding that docs/security.md spells out byte for byte and
 * schemas/pg/007-hash-chain.sql computes again on the server.
 *
 * A row's object is "TYPE LEN\0BODY": TYPE one of chain_type(), LEN the
 * decimal byte length of BODY, and BODY the previous row's hash followed
 * by the row's fields, each as "N:BYTES\n" (N its byte length) or "-\n"
 * for a null.  Its hash is the lowercase hex SHA-256 of the object.
 */
#ifndef AIPROJ_CHAIN_H
#define AIPROJ_CHAIN_H

#include <stddef.h>

#include "aiproj/error.h"

/* A hash in hex, with its NUL. */
#define CHAIN_HEX 65

/* The most fields a row has (a release's). */
#define CHAIN_MAX_FIELDS 11

/* The previous hash of a chain's first row: 64 zeros. */
extern const char chain_genesis[CHAIN_HEX];

enum chain_kind {
	CHAIN_HISTORY,  /* transition: from, to, kind, actor, reason, at */
	CHAIN_APPROVAL, /* approval: stage, epoch, person, role, note, at */
	CHAIN_READING,  /* kpi_reading: kpi, value, actor, at[, "1": breach] */
	CHAIN_AUDIT,    /* audit: at, actor, action, project, stage, detail */
	CHAIN_RELEASE,  /* prod_release: version ... at, ended ... end_reason */
	CHAIN_CHANGE,   /* kpi_change: kpi, kind, op, target, was_op, ... at */
	CHAIN_KINDS
};

/* The object type: "transition", "approval", "reading", "audit",
 * "release", "change". */
const char *chain_type(enum chain_kind k);
/* The fields of a row, one letter each: 't' a text (or null), 'd' a
 * double (chain_double()), 'b' a flag that adds the field "1" when set and
 * nothing when clear (a reading's breach: readings hashed before it was
 * covered keep their hashes). */
const char *chain_spec(enum chain_kind k);
/* The table that holds the rows. */
const char *chain_table(enum chain_kind k);
/* How the rows are named in messages: "history", "approval", ... */
const char *chain_noun(enum chain_kind k);

/* The hash of a row: `n` fields (NULL: null) after `prev`. */
const struct ap_error *chain_hash(enum chain_kind k, const char *prev,
				  const char *const *fields, size_t n,
				  char out[CHAIN_HEX]);

/* A double as a field: its IEEE 754 bits, 16 lowercase hex digits
 * (big-endian, as PostgreSQL's float8send()). */
void chain_double(double v, char out[17]);

/* SHA-256 of `len` bytes as lowercase hex (the FIPS 180-4 digest). */
const struct ap_error *chain_sha256_hex(const void *data, size_t len,
					char out[CHAIN_HEX]);

/* Is `s` a well-formed hash (64 lowercase hex digits)? */
int chain_is_hash(const char *s);

#endif
