/* Internal: the SQL backends of the case store (store.c, audit.c): a small
 * vtable over SQLite (db_sqlite.c) and PostgreSQL through libpq (db_pg.c),
 * so that the store logic, the schema (schema.sql) and the tests are the same
 * for both. docs/cases.md.
 *
 * SQL passed to cp_db_query uses PostgreSQL's positional parameters $1, $2,
 * ... (the SQLite backend rewrites them to ?1, ?2 ...; SQL text must not
 * contain '$' elsewhere). Results are copied into a cp_dbres owned by the
 * caller, so both engines present rows the same way: every cell is NULL, an
 * integer, a real or text.
 *
 * Transactions: cp_db_begin_write starts the one write transaction the store
 * allows at a time across every process using the database: SQLite
 * "BEGIN IMMEDIATE" (the database write lock); PostgreSQL READ COMMITTED plus
 * "SELECT ... FROM audit_head WHERE id = 1 FOR UPDATE", a row lock every
 * writer takes first, so that writers are serialized, ids assigned as
 * MAX(id)+1 never collide and the audit chain never forks. cp_db_begin_read
 * starts a consistent read snapshot (SQLite BEGIN; PostgreSQL REPEATABLE READ
 * READ ONLY).
 *
 * Threads: a cp_db is one connection, not thread-safe; the store serializes
 * calls with its mutex. */
#ifndef CP_CASES_DB_H
#define CP_CASES_DB_H
#include "chokepoint.h"
#include <stddef.h>
#include <stdint.h>

typedef struct cp_db cp_db;

typedef enum cp_dbt { CP_DBT_NULL = 0, CP_DBT_INT, CP_DBT_REAL, CP_DBT_TEXT } cp_dbt;

/* A parameter (text is not copied; it must live during the call). */
typedef struct cp_dbv {
    cp_dbt type;
    int64_t i;
    double d;
    const char *s;
} cp_dbv;

static inline cp_dbv cp_dbv_int(int64_t i) { return (cp_dbv){CP_DBT_INT, i, 0, NULL}; }
static inline cp_dbv cp_dbv_real(double d) { return (cp_dbv){CP_DBT_REAL, 0, d, NULL}; }
static inline cp_dbv cp_dbv_text(const char *s) { return (cp_dbv){s ? CP_DBT_TEXT : CP_DBT_NULL, 0, 0, s}; }

/* Rows of one query, copied out of the engine. Free with cp_dbres_free. */
typedef struct cp_dbcell {
    cp_dbt type;
    int64_t i;
    double d;
    char *s; /* TEXT: NUL-terminated, owned by the result */
} cp_dbcell;

typedef struct cp_dbres {
    size_t rows, cols;
    char **names;     /* cols column names */
    cp_dbcell *cells; /* rows * cols, row-major */
    size_t cap_rows;
} cp_dbres;

typedef struct cp_db_ops {
    const char *name; /* "sqlite", "postgresql" */
    /* Runs SQL text without parameters (may hold several statements). */
    int (*exec)(cp_db *db, const char *sql, cp_error *err);
    /* Runs one statement with parameters; rows into *out (NULL: discard).
     * Returns 0 or -1 + err. */
    int (*query)(cp_db *db, const char *sql, const cp_dbv *params, size_t n, cp_dbres **out, cp_error *err);
    /* Schema creation at open: SQLite BEGIN IMMEDIATE; PostgreSQL BEGIN and
     * a transaction-level advisory lock (concurrent first opens). */
    int (*begin_schema)(cp_db *db, cp_error *err);
    int (*begin_write)(cp_db *db, cp_error *err);
    int (*begin_read)(cp_db *db, cp_error *err);
    int (*commit)(cp_db *db, cp_error *err);
    void (*rollback)(cp_db *db);
    void (*close)(cp_db *db);
} cp_db_ops;

/* Every backend connection starts with this header. */
struct cp_db {
    const cp_db_ops *ops;
};

/* Opens `target`: "postgresql://..." or "postgres://..." (a libpq
 * connection URI) selects PostgreSQL, anything else is a SQLite file path
 * (":memory:" allowed). Sets the durability settings (SQLite: WAL,
 * synchronous=FULL, foreign_keys; PostgreSQL: synchronous_commit=on) but does
 * not create the schema. NULL + err (CP_ERR_IO naming the target without
 * any password) on failure. */
cp_db *cp_db_open(const char *target, cp_error *err);
cp_db *cp_db_sqlite_open(const char *path, cp_error *err);
cp_db *cp_db_pg_open(const char *uri, cp_error *err);
/* 1 when target names a PostgreSQL database. */
int cp_db_is_pg(const char *target);

static inline int cp_db_exec(cp_db *db, const char *sql, cp_error *err) { return db->ops->exec(db, sql, err); }
static inline int cp_db_query(cp_db *db, const char *sql, const cp_dbv *p, size_t n, cp_dbres **out,
                              cp_error *err) {
    return db->ops->query(db, sql, p, n, out, err);
}

/* Result builder and accessors (db.c). Accessors take a valid row/col;
 * cp_dbres_text returns NULL for NULL cells. */
cp_dbres *cp_dbres_new(size_t cols);
int cp_dbres_set_name(cp_dbres *r, size_t col, const char *name);
/* Appends a row of NULL cells; returns its index or -1 on OOM. */
long cp_dbres_add_row(cp_dbres *r);
cp_dbcell *cp_dbres_cell(cp_dbres *r, size_t row, size_t col);
void cp_dbres_free(cp_dbres *r);
int64_t cp_dbres_int(const cp_dbres *r, size_t row, size_t col);
const char *cp_dbres_text(const cp_dbres *r, size_t row, size_t col);

#endif
