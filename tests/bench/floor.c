/*
 * floor.c - what writing an import's rows costs SQLite alone, for the
 * bench's import rows (tests/bench/bench.sh).
 *
 *   build/bench/floor SRC DST
 *
 * SRC is a store an import made; DST a new store of the same schema
 * (`aiproj init`).  Every row of every SRC table DST holds none of is
 * written into DST through one prepared single-row INSERT per table, in
 * SRC's order, in one transaction, with the connection set up as
 * `aiproj import` sets up its own: triggers off, foreign keys on, the
 * journal and statement journals in memory.  Nothing is parsed, checked,
 * hashed or summarised: the time is a floor under any import that writes
 * those rows a row at a time, to set beside the import's own time and the
 * export's.  Exit 0, or 1 with SQLite's message.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
fail(sqlite3 *db, const char *doing)
{
	fprintf(stderr, "floor: %s: %s\n", doing, sqlite3_errmsg(db));
	sqlite3_close(db);
	return 1;
}

/* Write every row of src.TABLE into main.TABLE: 0, or -1 (db's error). */
static int
copy_table(sqlite3 *db, const char *table, long *rows)
{
	sqlite3_stmt *sel = NULL, *ins = NULL;
	char *q = sqlite3_mprintf("SELECT * FROM src.\"%w\"", table);
	char *iq = NULL, *p;
	int nc, rc = -1;

	if (!q || sqlite3_prepare_v2(db, q, -1, &sel, NULL) != SQLITE_OK)
		goto out;
	nc = sqlite3_column_count(sel);
	/* "?," a column, the last comma dropped */
	if (!(p = sqlite3_malloc(2 * nc + 1)))
		goto out;
	for (int c = 0; c < nc; c++)
		memcpy(p + 2 * c, "?,", 2);
	p[2 * nc - 1] = '\0';
	iq = sqlite3_mprintf("INSERT INTO main.\"%w\" VALUES (%s)", table, p);
	sqlite3_free(p);
	if (!iq || sqlite3_prepare_v2(db, iq, -1, &ins, NULL) != SQLITE_OK)
		goto out;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		for (int c = 0; c < nc; c++)
			sqlite3_bind_value(ins, c + 1,
					   sqlite3_column_value(sel, c));
		if (sqlite3_step(ins) != SQLITE_DONE)
			break;
		sqlite3_reset(ins);
		++*rows;
	}
	rc = rc == SQLITE_DONE ? 0 : -1;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	sqlite3_free(q);
	sqlite3_free(iq);
	return rc;
}

int
main(int argc, char **argv)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *t;
	char *q;
	long rows = 0;
	int rc;

	if (argc != 3) {
		fprintf(stderr, "usage: floor SRC DST\n");
		return 2;
	}
	if (sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		return fail(db, argv[2]);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
	q = sqlite3_mprintf("PRAGMA foreign_keys = ON;"
			    " PRAGMA journal_mode = MEMORY;"
			    " PRAGMA temp_store = MEMORY;"
			    " ATTACH %Q AS src; BEGIN",
			    argv[1]);
	rc = q ? sqlite3_exec(db, q, NULL, NULL, NULL) : SQLITE_NOMEM;
	sqlite3_free(q);
	if (rc != SQLITE_OK)
		return fail(db, "set up");
	/* the tables in the order the schema made them: parents first */
	if (sqlite3_prepare_v2(db,
			       "SELECT name FROM src.sqlite_schema"
			       " WHERE type = 'table'"
			       " AND name NOT LIKE 'sqlite%' ORDER BY rowid",
			       -1, &t, NULL) != SQLITE_OK)
		return fail(db, "list the tables");
	while ((rc = sqlite3_step(t)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		sqlite3_stmt *any;
		int empty;
		q = sqlite3_mprintf("SELECT 1 FROM main.\"%w\" LIMIT 1", name);
		if (!q ||
		    sqlite3_prepare_v2(db, q, -1, &any, NULL) != SQLITE_OK) {
			sqlite3_free(q);
			sqlite3_finalize(t);
			return fail(db, name);
		}
		sqlite3_free(q);
		empty = sqlite3_step(any) == SQLITE_DONE;
		sqlite3_finalize(any);
		if (empty && copy_table(db, name, &rows) != 0) {
			sqlite3_finalize(t);
			return fail(db, name);
		}
	}
	sqlite3_finalize(t);
	if (rc != SQLITE_DONE)
		return fail(db, "list the tables");
	if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		return fail(db, "commit");
	sqlite3_close(db);
	printf("%ld rows\n", rows);
	return 0;
}
