/* Hash-chained audit log in the case store. Contracts in audit.h. */
#include "cases/audit.h"
#include "core/error.h"
#include "core/io.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ZERO_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

static void db_error(cp_error *err, sqlite3 *db, const char *what) {
    cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "audit: %s: %s", what, sqlite3_errmsg(db));
}

/* hash = SHA-256(prev || "\n" || [seq, at, actor, action, object, detail]). */
static int chain_hash(const char *prev, int64_t seq, const char *at, const char *actor, const char *action,
                      const char *object, const char *detail, char hex[65]) {
    json_t *a = json_pack("[I, s, s, s, s, s]", (json_int_t)seq, at, actor, action, object, detail);
    if (!a) return -1;
    char *canon = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
    json_decref(a);
    if (!canon) return -1;
    size_t pl = strlen(prev), cl = strlen(canon);
    char *buf = malloc(pl + 1 + cl);
    if (!buf) {
        free(canon);
        return -1;
    }
    memcpy(buf, prev, pl);
    buf[pl] = '\n';
    memcpy(buf + pl + 1, canon, cl);
    cp_sha256_hex(buf, pl + 1 + cl, hex);
    free(buf);
    free(canon);
    return 0;
}

int cp_audit_append_tx(sqlite3 *db, const char *at, const char *actor, const char *action, const char *object,
                       const char *detail, cp_error *err) {
    if (!detail) detail = "{}";
    if (!actor) actor = "system";
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit_head WHERE id = 1", -1, &st, NULL) != SQLITE_OK) {
        db_error(err, db, "read head");
        return -1;
    }
    int64_t seq = 0;
    char prev[65];
    snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    if (sqlite3_step(st) == SQLITE_ROW) {
        seq = sqlite3_column_int64(st, 0);
        const char *h = (const char *)sqlite3_column_text(st, 1);
        if (h) snprintf(prev, sizeof prev, "%s", h);
    }
    sqlite3_finalize(st);
    seq++;
    char hash[65];
    if (chain_hash(prev, seq, at, actor, action, object, detail, hash) != 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
                           "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                           -1, &st, NULL) != SQLITE_OK) {
        db_error(err, db, "append");
        return -1;
    }
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 3, actor, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 4, action, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 5, object, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 6, detail, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 7, prev, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(st, 8, hash, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(err, db, "append");
        return -1;
    }
    if (sqlite3_prepare_v2(db, "UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1", -1, &st, NULL) !=
        SQLITE_OK) {
        db_error(err, db, "update head");
        return -1;
    }
    sqlite3_bind_int64(st, 1, seq);
    sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(err, db, "update head");
        return -1;
    }
    return 0;
}

int cp_audit_append(cp_store *s, int64_t now, const char *actor, const char *action, const char *object,
                    const char *detail, cp_error *err) {
    char at[32];
    cp_case_time(now, at);
    cp_store_lock(s);
    sqlite3 *db = cp_store_db(s);
    int ret = -1;
    char *msg = NULL;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, &msg) != SQLITE_OK) {
        cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "audit: %s", msg ? msg : "begin failed");
        sqlite3_free(msg);
        goto out;
    }
    if (cp_audit_append_tx(db, at, actor, action, object, detail, err) != 0) {
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        goto out;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, &msg) != SQLITE_OK) {
        cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "audit: %s", msg ? msg : "commit failed");
        sqlite3_free(msg);
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
        goto out;
    }
    ret = 0;
out:
    cp_store_unlock(s);
    return ret;
}

static const char *col(sqlite3_stmt *st, int i) {
    const char *t = (const char *)sqlite3_column_text(st, i);
    return t ? t : "";
}

int cp_audit_verify(cp_store *s, cp_audit_report *rep, cp_error *err) {
    memset(rep, 0, sizeof *rep);
    cp_store_lock(s);
    sqlite3 *db = cp_store_db(s);
    int ret = -1;
    sqlite3_stmt *st = NULL;
    /* One read transaction: a consistent snapshot while the server writes. */
    if (sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) {
        db_error(err, db, "begin");
        cp_store_unlock(s);
        return -1;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK) {
        db_error(err, db, "read");
        goto out;
    }
    char prev[65];
    snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    int64_t expect = 1;
    int rc;
    ret = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t seq = sqlite3_column_int64(st, 0);
        rep->records++;
        if (seq != expect) {
            rep->first_bad = expect;
            snprintf(rep->reason, sizeof rep->reason,
                     seq > expect ? "record %lld missing (next record is %lld): deleted"
                                  : "record %lld out of sequence (found %lld)",
                     (long long)expect, (long long)seq);
            ret = 1;
            break;
        }
        if (strcmp(col(st, 6), prev) != 0) {
            rep->first_bad = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "record %lld: prev_hash does not match record %lld (records deleted, reordered or replaced)",
                     (long long)seq, (long long)seq - 1);
            ret = 1;
            break;
        }
        char h[65];
        if (chain_hash(prev, seq, col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5), h) != 0) {
            cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
            ret = -1;
            break;
        }
        if (strcmp(h, col(st, 7)) != 0) {
            rep->first_bad = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "record %lld: hash mismatch (record edited: %s %s by %s at %s)", (long long)seq, col(st, 3),
                     col(st, 4), col(st, 2), col(st, 1));
            ret = 1;
            break;
        }
        snprintf(prev, sizeof prev, "%s", h);
        expect++;
    }
    if (ret == 0 && rc != SQLITE_DONE) {
        db_error(err, db, "read");
        ret = -1;
    }
    sqlite3_finalize(st);
    st = NULL;
    if (ret != 0) goto out;
    snprintf(rep->head, sizeof rep->head, "%s", expect > 1 ? prev : "");
    /* The head must name the last record. */
    if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM audit_head WHERE id = 1", -1, &st, NULL) != SQLITE_OK) {
        db_error(err, db, "read head");
        ret = -1;
        goto out;
    }
    if (sqlite3_step(st) != SQLITE_ROW) {
        rep->first_bad = expect;
        snprintf(rep->reason, sizeof rep->reason, "audit_head missing");
        ret = 1;
    } else if (sqlite3_column_int64(st, 0) != expect - 1 || strcmp(col(st, 1), prev) != 0) {
        int64_t hs = sqlite3_column_int64(st, 0);
        rep->first_bad = hs >= expect ? expect : hs;
        if (rep->first_bad < 1) rep->first_bad = 1;
        snprintf(rep->reason, sizeof rep->reason,
                 hs > expect - 1 ? "records %lld..%lld missing: deleted from the end (head says %lld)"
                                 : "audit_head (seq %lld) does not match the last record %lld",
                 hs > expect - 1 ? (long long)expect : (long long)hs,
                 hs > expect - 1 ? (long long)hs : (long long)expect - 1, (long long)hs);
        ret = 1;
    }
    sqlite3_finalize(st);
out:
    sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    cp_store_unlock(s);
    return ret;
}

json_t *cp_audit_list(cp_store *s, int64_t before, size_t limit, cp_error *err) {
    if (limit == 0 || limit > 1000) limit = 1000;
    cp_store_lock(s);
    sqlite3 *db = cp_store_db(s);
    sqlite3_stmt *st;
    json_t *arr = NULL;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, at, actor, action, object, detail, hash FROM audit WHERE "
                           "(?1 = 0 OR seq < ?1) ORDER BY seq DESC LIMIT ?2",
                           -1, &st, NULL) != SQLITE_OK) {
        db_error(err, db, "list");
        goto out;
    }
    sqlite3_bind_int64(st, 1, before);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
    arr = json_array();
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        json_t *d = json_loads(col(st, 5), 0, NULL);
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "seq",
                                             (json_int_t)sqlite3_column_int64(st, 0),
                                             "at", col(st, 1), "actor", col(st, 2), "action", col(st, 3), "object",
                                             col(st, 4), "detail", d ? d : json_string(col(st, 5)), "hash", col(st, 6)));
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        db_error(err, db, "list");
        json_decref(arr);
        arr = NULL;
    }
out:
    cp_store_unlock(s);
    return arr ? json_pack("{s:o}", "audit", arr) : NULL;
}
