/* Case store backend on SQLite (https://sqlite.org/c3ref/intro.html).
 * Contracts in db.h. */
#include "cases/db.h"
#include "core/error.h"
#include <ctype.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct sq_db {
    cp_db base;
    sqlite3 *h;
} sq_db;

static void sq_error(cp_error *err, sqlite3 *h, const char *msg) {
    cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "case store: %s", msg ? msg : sqlite3_errmsg(h));
}

static int sq_exec(cp_db *db, const char *sql, cp_error *err) {
    sqlite3 *h = ((sq_db *)db)->h;
    char *msg = NULL;
    if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
        sq_error(err, h, msg);
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

/* "$12" -> "?12" (SQLite's numbered parameters, https://sqlite.org/lang_expr.html#varparam). */
static char *rewrite_params(const char *sql) {
    char *out = strdup(sql);
    if (!out) return NULL;
    for (char *p = out; *p; p++)
        if (*p == '$' && isdigit((unsigned char)p[1])) *p = '?';
    return out;
}

static int sq_query(cp_db *db, const char *sql, const cp_dbv *params, size_t n, cp_dbres **out, cp_error *err) {
    sqlite3 *h = ((sq_db *)db)->h;
    if (out) *out = NULL;
    char *q = rewrite_params(sql);
    if (!q) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(h, q, -1, &st, NULL);
    free(q);
    if (rc != SQLITE_OK) {
        sq_error(err, h, NULL);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        int k = (int)i + 1;
        switch (params[i].type) {
        case CP_DBT_INT: sqlite3_bind_int64(st, k, params[i].i); break;
        case CP_DBT_REAL: sqlite3_bind_double(st, k, params[i].d); break;
        case CP_DBT_TEXT: sqlite3_bind_text(st, k, params[i].s, -1, SQLITE_TRANSIENT); break;
        default: sqlite3_bind_null(st, k); break;
        }
    }
    size_t cols = (size_t)sqlite3_column_count(st);
    cp_dbres *r = out ? cp_dbres_new(cols) : NULL;
    int oom = out && !r;
    for (size_t c = 0; r && c < cols; c++)
        if (cp_dbres_set_name(r, c, sqlite3_column_name(st, (int)c)) != 0) oom = 1;
    while (!oom && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!r) continue;
        long row = cp_dbres_add_row(r);
        if (row < 0) {
            oom = 1;
            break;
        }
        for (size_t c = 0; c < cols; c++) {
            cp_dbcell *cell = cp_dbres_cell(r, (size_t)row, c);
            switch (sqlite3_column_type(st, (int)c)) {
            case SQLITE_NULL: cell->type = CP_DBT_NULL; break;
            case SQLITE_INTEGER:
                cell->type = CP_DBT_INT;
                cell->i = sqlite3_column_int64(st, (int)c);
                break;
            case SQLITE_FLOAT:
                cell->type = CP_DBT_REAL;
                cell->d = sqlite3_column_double(st, (int)c);
                break;
            default:
                cell->type = CP_DBT_TEXT;
                cell->s = strdup((const char *)sqlite3_column_text(st, (int)c));
                if (!cell->s) {
                    cell->type = CP_DBT_NULL;
                    oom = 1;
                }
            }
        }
    }
    if (oom) {
        sqlite3_finalize(st);
        cp_dbres_free(r);
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    if (rc != SQLITE_DONE) {
        sq_error(err, h, NULL);
        sqlite3_finalize(st);
        cp_dbres_free(r);
        return -1;
    }
    sqlite3_finalize(st);
    if (out) *out = r;
    return 0;
}

static int sq_begin_write(cp_db *db, cp_error *err) { return sq_exec(db, "BEGIN IMMEDIATE", err); }
static int sq_begin_read(cp_db *db, cp_error *err) { return sq_exec(db, "BEGIN", err); }
static int sq_commit(cp_db *db, cp_error *err) { return sq_exec(db, "COMMIT", err); }
static void sq_rollback(cp_db *db) { sq_exec(db, "ROLLBACK", NULL); }

static void sq_close(cp_db *db) {
    if (!db) return;
    sq_db *s = (sq_db *)db;
    if (s->h) sqlite3_close_v2(s->h);
    free(s);
}

static const cp_db_ops sq_ops = {"sqlite", sq_exec, sq_query, sq_begin_write, sq_begin_write, sq_begin_read,
                                 sq_commit, sq_rollback, sq_close};

cp_db *cp_db_sqlite_open(const char *path, cp_error *err) {
    sq_db *s = calloc(1, sizeof *s);
    if (!s) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    s->base.ops = &sq_ops;
    int rc = sqlite3_open_v2(path, &s->h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
    if (rc != SQLITE_OK) {
        cp_error_set(err, CP_ERR_IO, path, 0, -1, NULL, "cannot open case store: %s",
                     s->h ? sqlite3_errmsg(s->h) : sqlite3_errstr(rc));
        sq_close(&s->base);
        return NULL;
    }
    sqlite3_busy_timeout(s->h, 5000);
    /* WAL + synchronous=FULL: a commit is on disk (WAL fsynced) when
     * sqlite3_step of COMMIT returns (https://sqlite.org/pragma.html#pragma_synchronous). */
    if (sq_exec(&s->base, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", err) != 0) {
        if (err) snprintf(err->file, sizeof err->file, "%s", path);
        sq_close(&s->base);
        return NULL;
    }
    return &s->base;
}
