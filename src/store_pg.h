/*
 * store_pg.h - the PostgreSQL backend's own declarations (private), shared
 * by store_pg.c (statements, the driver, opening, transactions,
 * migrations) and store_pg_conn.c (libpq, errors, the connection URI).
 */
#ifndef AIPROJ_STORE_PG_H
#define AIPROJ_STORE_PG_H

#include <libpq-fe.h>

#include "aiproj/util.h"
#include "store_ops.h"

/*
 * libpq is loaded when a PostgreSQL store is opened, not linked: linking
 * it would make every aiproj start-up load some thirty libraries (TLS,
 * Kerberos, LDAP) that a SQLite store never needs (measured: 4.8 ms of
 * CPU for --version instead of 1.1 ms).  Each function used is called
 * through a pointer of its own declared type.
 */
#define PQ_FUNCS(X)                                                            \
	X(PQclear)                                                             \
	X(PQntuples)                                                           \
	X(PQexec)                                                              \
	X(PQgetvalue)                                                          \
	X(PQgetisnull)                                                         \
	X(PQserverVersion)                                                     \
	X(PQresultErrorField)                                                  \
	X(PQexecParams)                                                        \
	X(PQerrorMessage)                                                      \
	X(PQstatus)                                                            \
	X(PQsetNoticeProcessor)                                                \
	X(PQresultStatus)                                                      \
	X(PQfreemem)                                                           \
	X(PQfinish)                                                            \
	X(PQconninfoParse)                                                     \
	X(PQconninfoFree)                                                      \
	X(PQconnectdbParams)                                                   \
	X(PQcmdTuples)                                                         \
	X(PQcmdStatus)                                                         \
	X(PQdb)                                                                \
	X(PQprepare)                                                           \
	X(PQexecPrepared)                                                      \
	X(PQconsumeInput)                                                      \
	X(PQnotifies)                                                          \
	X(PQsocket)                                                            \
	X(PQgetCopyData)                                                       \
	X(PQputCopyData)                                                       \
	X(PQputCopyEnd)                                                        \
	X(PQgetResult)                                                         \
	X(PQflush)

#define X(f) extern __typeof__(f) *p_##f;
PQ_FUNCS(X)
#undef X

#define PQclear p_PQclear
#define PQntuples p_PQntuples
#define PQexec p_PQexec
#define PQgetvalue p_PQgetvalue
#define PQgetisnull p_PQgetisnull
#define PQserverVersion p_PQserverVersion
#define PQresultErrorField p_PQresultErrorField
#define PQexecParams p_PQexecParams
#define PQerrorMessage p_PQerrorMessage
#define PQstatus p_PQstatus
#define PQsetNoticeProcessor p_PQsetNoticeProcessor
#define PQresultStatus p_PQresultStatus
#define PQfreemem p_PQfreemem
#define PQfinish p_PQfinish
#define PQconninfoParse p_PQconninfoParse
#define PQconninfoFree p_PQconninfoFree
#define PQconnectdbParams p_PQconnectdbParams
#define PQcmdTuples p_PQcmdTuples
#define PQcmdStatus p_PQcmdStatus
#define PQdb p_PQdb
#define PQprepare p_PQprepare
#define PQexecPrepared p_PQexecPrepared
#define PQconsumeInput p_PQconsumeInput
#define PQnotifies p_PQnotifies
#define PQsocket p_PQsocket
#define PQgetCopyData p_PQgetCopyData
#define PQputCopyData p_PQputCopyData
#define PQputCopyEnd p_PQputCopyEnd
#define PQgetResult p_PQgetResult
#define PQflush p_PQflush

/* The advisory lock that serializes writers (and migrations) on one
 * database: 'AIPR', as SQLite's application_id. */
#define LOCK_KEY ((int64_t)0x41495052)

/* PostgreSQL type oids of the parameters (pg_type.h is a server header). */
#define INT8OID 20
#define TEXTOID 25
#define FLOAT8OID 701

#define MAXP 16
#define MAXPREP 48 /* statements a connection keeps prepared */
#define MAXSQL 64  /* statements a connection keeps rewritten */
#define FETCH_ROWS 1000

#define PG(s) ((struct pg_store *)(s))

struct pg_store {
	struct store base; /* first: the operations table */
	PGconn *conn;
	char *path; /* the URI without its password */
	int created;
	int in_tx;
	/* an older schema's upgrade, made inside each transaction until a
	 * writer's commits (a command that reads or fails leaves the store
	 * as it was), and whether the one open now made it: 1 a writer's, 2
	 * a reader's, which is rolled back whatever its end */
	int upgrade, upgrading;
	int busy_ms;
	unsigned cursors; /* names the next cursor */
	/* statements run more than once (an import runs a few dozen for
	 * each project) are prepared on their second run: parsed and
	 * planned once on the server, not each time */
	struct {
		char *sql;
		int prepared;
	} prep[MAXPREP];
	int nprep;
	/* the operations' statements with $N for ?N, by their address */
	struct {
		const char *key;
		char *text;
	} sql[MAXSQL];
	int nsql;
	struct pg_copy
	    *copy; /* a copy's table being written (store_pg_copy.c) */
	/* a batch (store_batch()): SD_DEFER statements are sent in libpq's
	 * pipeline mode and their results read later, `pend` of them */
	int batch, piped;
	/* SD_NEXT_ID: the id the next row will get (0: not known), told
	 * by the last run's; `seen` the id that run returned, to learn the
	 * step (one) from two runs before any id is foretold */
	int64_t next_id, seen_id;
	struct pg_pending *pend;
	int npend, cappend;
	/* the batch's last run of one INSERT ... VALUES statement, its
	 * rows not sent yet: they go out as one statement of many rows */
	struct pg_group {
		char *sql;   /* the one-row statement */
		char *types; /* its parameters' (sd_stmt types) */
		const char *doing;
		int none_code; /* (sd_stmt none_code), none_fmt */
		const char *none_fmt;
		int k, rows;      /* parameters a row; rows held */
		Oid t[MAXP];      /* their types */
		struct sbuf vals; /* the values, each with its NUL */
		/* rows * (k + 2): a row's values, then its none_a and
		 * none_b: where in vals (NOVAL: NULL) */
		size_t *off;
	} grp;
};

/* A statement sent in pipeline mode whose result is not read yet. */
struct pg_pending {
	const char *doing;
	/* a PQsendPrepare of prep[prepare - 1]: its own result, not a
	 * statement's (0: a statement) */
	int prepare;
	int none_code; /* and none_fmt's arguments, copied */
	const char *none_fmt;
	char *none_a, *none_b;
	int64_t expect_id; /* SD_NEXT_ID sent: the id foretold (0: none) */
	/* a group's statement of none_code (struct pg_group): its rows,
	 * to tell which one inserted nothing */
	struct pg_check {
		int rows, k;
		Oid t[MAXP];
		struct sbuf vals;
		size_t *off;
	} * check;
};

/* libpq's pipeline mode (libpq 14 and later), looked up on its own: an
 * older library has none of it, and a batch is then one statement at a
 * time as outside one. */
struct pg_pipeline {
	int (*enter)(PGconn *conn);
	int (*exit)(PGconn *conn);
	int (*sync)(PGconn *conn);
	int (*send_params)(PGconn *conn, const char *command, int nParams,
			   const Oid *paramTypes,
			   const char *const *paramValues,
			   const int *paramLengths, const int *paramFormats,
			   int resultFormat);
	int (*send_prepare)(PGconn *conn, const char *stmtName,
			    const char *query, int nParams,
			    const Oid *paramTypes);
	int (*send_prepared)(PGconn *conn, const char *stmtName, int nParams,
			     const char *const *paramValues,
			     const int *paramLengths, const int *paramFormats,
			     int resultFormat);
	PGresult *(*get_result)(PGconn *conn);
};

/* The pipeline functions of the loaded libpq, or NULL without them
 * (pg_load_libpq() first). */
const struct pg_pipeline *pg_pipeline(void);

const struct ap_error *pg_load_libpq(void);
/* The first line of a libpq message, without trailing blanks. */
const char *pg_first_line(const char *msg, char *buf, size_t size);
const char *pg_sqlstate(const PGresult *r);
/* The store's error for a failed statement (r may be NULL). */
const struct ap_error *pg_error(struct store *s, const PGresult *r,
				const char *doing);
int pg_res_ok(const PGresult *r);
/* The URI without its password, for messages. */
char *pg_redact(const char *uri);
/* Refuse a URI whose messages could show (part of) its password. */
const struct ap_error *pg_uri_check(const char *uri, const char *path);
/* A copy's state, freed with the store (store_pg_copy.c). */
void pg_copy_free(struct store *s);
/* Did the connection fail for a reason that may pass (exit 8)? */
int pg_connect_transient(const char *msg);

#endif
