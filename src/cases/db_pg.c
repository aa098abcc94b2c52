/* Case store backend on PostgreSQL through libpq
 * (https://www.postgresql.org/docs/15/libpq.html). Contracts in db.h.
 *
 * Durability: synchronous_commit=on for the session, so COMMIT returns only
 * after the commit record is flushed to the server's WAL
 * (https://www.postgresql.org/docs/15/runtime-config-wal.html). Writers are
 * serialized by a row lock on audit_head (SELECT ... FOR UPDATE) taken first
 * in every write transaction; see db.h. */
#include "cases/db.h"
#include "core/error.h"
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Type OIDs of the built-in types we read (src/include/catalog/pg_type.dat). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_NUMERIC = 1700 };

/* Arbitrary key of the advisory lock held while creating the schema. */
#define SCHEMA_LOCK_KEY "4242000105"

typedef struct pg_db {
    cp_db base;
    PGconn *c;
} pg_db;

/* libpq prints notices (e.g. "relation already exists, skipping") to
 * stderr by default; library code never prints. */
static void quiet(void *arg, const char *msg) {
    (void)arg;
    (void)msg;
}

static void pg_error(cp_error *err, PGconn *c, const PGresult *r) {
    const char *m = r ? PQresultErrorMessage(r) : NULL;
    if (!m || !*m) m = PQerrorMessage(c);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", m && *m ? m : "unknown error");
    size_t n = strlen(buf);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) buf[--n] = 0;
    cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "case store (postgresql): %s", buf);
}

/* A dropped connection is re-established before the next transaction. */
static void ensure_conn(pg_db *p) {
    if (PQstatus(p->c) == CONNECTION_BAD) {
        PQreset(p->c);
        if (PQstatus(p->c) == CONNECTION_OK) {
            PGresult *r = PQexec(p->c, "SET synchronous_commit = on");
            PQclear(r);
        }
    }
}

static int pg_exec(cp_db *db, const char *sql, cp_error *err) {
    pg_db *p = (pg_db *)db;
    PGresult *r = PQexec(p->c, sql);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_error(err, p->c, r);
        PQclear(r);
        return -1;
    }
    PQclear(r);
    return 0;
}

static int pg_query(cp_db *db, const char *sql, const cp_dbv *params, size_t n, cp_dbres **out, cp_error *err) {
    pg_db *p = (pg_db *)db;
    if (out) *out = NULL;
    enum { MAXP = 32 };
    if (n > MAXP) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "case store: more than %d parameters", MAXP);
        return -1;
    }
    char nums[MAXP][32];
    const char *vals[MAXP];
    Oid types[MAXP];
    for (size_t i = 0; i < n; i++) {
        switch (params[i].type) {
        case CP_DBT_INT:
            snprintf(nums[i], sizeof nums[i], "%lld", (long long)params[i].i);
            vals[i] = nums[i];
            types[i] = OID_INT8;
            break;
        case CP_DBT_REAL:
            snprintf(nums[i], sizeof nums[i], "%.17g", params[i].d);
            vals[i] = nums[i];
            types[i] = OID_FLOAT8;
            break;
        case CP_DBT_TEXT:
            vals[i] = params[i].s;
            types[i] = OID_TEXT;
            break;
        default:
            vals[i] = NULL;
            types[i] = OID_TEXT;
            break;
        }
    }
    PGresult *r = PQexecParams(p->c, sql, (int)n, types, vals, NULL, NULL, 0);
    ExecStatusType st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
        pg_error(err, p->c, r);
        PQclear(r);
        return -1;
    }
    if (!out) {
        PQclear(r);
        return 0;
    }
    size_t rows = (size_t)PQntuples(r), cols = (size_t)PQnfields(r);
    cp_dbres *res = cp_dbres_new(cols);
    int oom = !res;
    for (size_t c = 0; !oom && c < cols; c++)
        if (cp_dbres_set_name(res, c, PQfname(r, (int)c)) != 0) oom = 1;
    for (size_t i = 0; !oom && i < rows; i++) {
        long row = cp_dbres_add_row(res);
        if (row < 0) {
            oom = 1;
            break;
        }
        for (size_t c = 0; c < cols; c++) {
            if (PQgetisnull(r, (int)i, (int)c)) continue;
            cp_dbcell *cell = cp_dbres_cell(res, (size_t)row, c);
            const char *v = PQgetvalue(r, (int)i, (int)c);
            switch (PQftype(r, (int)c)) {
            case OID_BOOL:
                cell->type = CP_DBT_INT;
                cell->i = v[0] == 't';
                break;
            case OID_INT2: case OID_INT4: case OID_INT8:
                cell->type = CP_DBT_INT;
                cell->i = strtoll(v, NULL, 10);
                break;
            case OID_FLOAT4: case OID_FLOAT8: case OID_NUMERIC:
                cell->type = CP_DBT_REAL;
                cell->d = strtod(v, NULL);
                break;
            default:
                cell->s = strdup(v);
                if (!cell->s) oom = 1;
                else cell->type = CP_DBT_TEXT;
            }
        }
    }
    PQclear(r);
    if (oom) {
        cp_dbres_free(res);
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    *out = res;
    return 0;
}

static int pg_begin_schema(cp_db *db, cp_error *err) {
    ensure_conn((pg_db *)db);
    return pg_exec(db, "BEGIN; SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")", err);
}

static int pg_begin_write(cp_db *db, cp_error *err) {
    ensure_conn((pg_db *)db);
    return pg_exec(db,
                   "BEGIN ISOLATION LEVEL READ COMMITTED; SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", err);
}

static int pg_begin_read(cp_db *db, cp_error *err) {
    ensure_conn((pg_db *)db);
    return pg_exec(db, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", err);
}

/* COMMIT of a failed transaction "succeeds" with the tag ROLLBACK: check it. */
static int pg_commit(cp_db *db, cp_error *err) {
    pg_db *p = (pg_db *)db;
    PGresult *r = PQexec(p->c, "COMMIT");
    int ok = r && PQresultStatus(r) == PGRES_COMMAND_OK && strcmp(PQcmdStatus(r), "COMMIT") == 0;
    if (!ok) {
        if (r && PQresultStatus(r) == PGRES_COMMAND_OK)
            cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "case store (postgresql): transaction rolled back");
        else
            pg_error(err, p->c, r);
    }
    PQclear(r);
    return ok ? 0 : -1;
}

static void pg_rollback(cp_db *db) {
    PGresult *r = PQexec(((pg_db *)db)->c, "ROLLBACK");
    PQclear(r);
}

static void pg_close(cp_db *db) {
    if (!db) return;
    pg_db *p = (pg_db *)db;
    if (p->c) PQfinish(p->c);
    free(p);
}

static const cp_db_ops pg_ops = {"postgresql", pg_exec,      pg_query,    pg_begin_schema, pg_begin_write,
                                 pg_begin_read, pg_commit, pg_rollback, pg_close};

/* The URI with any password replaced by "***", for messages. */
static void redact(const char *uri, char *out, size_t cap) {
    snprintf(out, cap, "%s", uri);
    char *s = strstr(out, "://");
    if (!s) return;
    s += 3;
    char *at = strchr(s, '@'), *slash = strchr(s, '/');
    if (!at || (slash && slash < at)) return;
    char *colon = memchr(s, ':', (size_t)(at - s));
    if (!colon) return;
    char tail[1024];
    snprintf(tail, sizeof tail, "%s", at);
    snprintf(colon, cap - (size_t)(colon - out), ":***%s", tail);
}

cp_db *cp_db_pg_open(const char *uri, cp_error *err) {
    char shown[1024];
    redact(uri, shown, sizeof shown);
    pg_db *p = calloc(1, sizeof *p);
    if (!p) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    p->base.ops = &pg_ops;
    p->c = PQconnectdb(uri);
    if (!p->c || PQstatus(p->c) != CONNECTION_OK) {
        char m[512];
        snprintf(m, sizeof m, "%s", p->c ? PQerrorMessage(p->c) : "out of memory");
        size_t n = strlen(m);
        while (n && (m[n - 1] == '\n' || m[n - 1] == ' ')) m[--n] = 0;
        cp_error_set(err, CP_ERR_IO, shown, 0, -1, NULL, "cannot connect to case store: %s", m);
        pg_close(&p->base);
        return NULL;
    }
    PQsetNoticeProcessor(p->c, quiet, NULL);
    if (pg_exec(&p->base, "SET synchronous_commit = on; SET client_min_messages = warning", err) != 0) {
        if (err) snprintf(err->file, sizeof err->file, "%.255s", shown);
        pg_close(&p->base);
        return NULL;
    }
    return &p->base;
}
