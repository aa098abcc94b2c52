/* Hash-chained audit log in the case store. Contracts in audit.h. */
#include "cases/audit.h"
#include "core/error.h"
#include "core/io.h"
#include "cases/db.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char ZERO_HASH[] = "0000000000000000000000000000000000000000000000000000000000000000";

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

/* Runs one statement; on failure the message names `what`. */
static int q(cp_db *db, const char *what, const char *sql, const cp_dbv *p, size_t n, cp_dbres **out,
             cp_error *err) {
    cp_error e = {0};
    if (cp_db_query(db, sql, p, n, out, &e) == 0) return 0;
    if (err) {
        *err = e;
        const char *m = strncmp(e.message, "case store", 10) == 0 ? strchr(e.message, ':') : NULL;
        snprintf(err->message, sizeof err->message, "audit: %.40s: %.440s", what, m ? m + 2 : e.message);
    }
    return -1;
}

int cp_audit_append_tx(cp_db *db, const char *at, const char *actor, const char *action, const char *object,
                       const char *detail, cp_error *err) {
    if (!detail) detail = "{}";
    if (!actor) actor = "system";
    cp_dbres *r = NULL;
    if (q(db, "read head", "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &r, err) != 0) return -1;
    int64_t seq = 0;
    char prev[65];
    snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    if (r->rows) {
        seq = cp_dbres_int(r, 0, 0);
        const char *h = cp_dbres_text(r, 0, 1);
        if (h) snprintf(prev, sizeof prev, "%s", h);
    }
    cp_dbres_free(r);
    seq++;
    char hash[65];
    if (chain_hash(prev, seq, at, actor, action, object, detail, hash) != 0) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    cp_dbv p[8] = {cp_dbv_int(seq),    cp_dbv_text(at),     cp_dbv_text(actor), cp_dbv_text(action),
                   cp_dbv_text(object), cp_dbv_text(detail), cp_dbv_text(prev),  cp_dbv_text(hash)};
    if (q(db, "append",
          "INSERT INTO audit (seq, at, actor, action, object, detail, prev_hash, hash) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
          p, 8, NULL, err) != 0)
        return -1;
    cp_dbv h[2] = {cp_dbv_int(seq), cp_dbv_text(hash)};
    return q(db, "update head", "UPDATE audit_head SET seq = $1, hash = $2 WHERE id = 1", h, 2, NULL, err);
}

int cp_audit_append(cp_store *s, int64_t now, const char *actor, const char *action, const char *object,
                    const char *detail, cp_error *err) {
    char at[32];
    cp_case_time(now, at);
    cp_store_lock(s);
    cp_db *db = cp_store_db(s);
    int ret = -1;
    if (db->ops->begin_write(db, err) != 0) {
        db->ops->rollback(db);
        goto out;
    }
    if (cp_audit_append_tx(db, at, actor, action, object, detail, err) != 0) {
        db->ops->rollback(db);
        goto out;
    }
    if (db->ops->commit(db, err) != 0) {
        db->ops->rollback(db);
        goto out;
    }
    ret = 0;
out:
    cp_store_unlock(s);
    return ret;
}

static const char *col(const cp_dbres *r, size_t row, size_t c) {
    const char *t = cp_dbres_text(r, row, c);
    return t ? t : "";
}

int cp_audit_verify(cp_store *s, cp_audit_report *rep, cp_error *err) {
    memset(rep, 0, sizeof *rep);
    cp_store_lock(s);
    cp_db *db = cp_store_db(s);
    int ret = -1;
    cp_dbres *r = NULL;
    /* One read transaction: a consistent snapshot while the server writes. */
    if (db->ops->begin_read(db, err) != 0) {
        db->ops->rollback(db);
        cp_store_unlock(s);
        return -1;
    }
    if (q(db, "read", "SELECT seq, at, actor, action, object, detail, prev_hash, hash FROM audit ORDER BY seq",
          NULL, 0, &r, err) != 0)
        goto out;
    char prev[65];
    snprintf(prev, sizeof prev, "%s", ZERO_HASH);
    int64_t expect = 1;
    ret = 0;
    for (size_t i = 0; i < r->rows; i++) {
        int64_t seq = cp_dbres_int(r, i, 0);
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
        if (strcmp(col(r, i, 6), prev) != 0) {
            rep->first_bad = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "record %lld: prev_hash does not match record %lld (records deleted, reordered or replaced)",
                     (long long)seq, (long long)seq - 1);
            ret = 1;
            break;
        }
        char h[65];
        if (chain_hash(prev, seq, col(r, i, 1), col(r, i, 2), col(r, i, 3), col(r, i, 4), col(r, i, 5), h) != 0) {
            cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
            ret = -1;
            break;
        }
        if (strcmp(h, col(r, i, 7)) != 0) {
            rep->first_bad = seq;
            snprintf(rep->reason, sizeof rep->reason,
                     "record %lld: hash mismatch (record edited: %s %s by %s at %s)", (long long)seq, col(r, i, 3),
                     col(r, i, 4), col(r, i, 2), col(r, i, 1));
            ret = 1;
            break;
        }
        snprintf(prev, sizeof prev, "%s", h);
        expect++;
    }
    cp_dbres_free(r);
    r = NULL;
    if (ret != 0) goto out;
    snprintf(rep->head, sizeof rep->head, "%s", expect > 1 ? prev : "");
    /* The head must name the last record. */
    if (q(db, "read head", "SELECT seq, hash FROM audit_head WHERE id = 1", NULL, 0, &r, err) != 0) {
        ret = -1;
        goto out;
    }
    if (r->rows == 0) {
        rep->first_bad = expect;
        snprintf(rep->reason, sizeof rep->reason, "audit_head missing");
        ret = 1;
    } else if (cp_dbres_int(r, 0, 0) != expect - 1 || strcmp(col(r, 0, 1), prev) != 0) {
        int64_t hs = cp_dbres_int(r, 0, 0);
        rep->first_bad = hs >= expect ? expect : hs;
        if (rep->first_bad < 1) rep->first_bad = 1;
        snprintf(rep->reason, sizeof rep->reason,
                 hs > expect - 1 ? "records %lld..%lld missing: deleted from the end (head says %lld)"
                                 : "audit_head (seq %lld) does not match the last record %lld",
                 hs > expect - 1 ? (long long)expect : (long long)hs,
                 hs > expect - 1 ? (long long)hs : (long long)expect - 1, (long long)hs);
        ret = 1;
    }
    cp_dbres_free(r);
out:
    db->ops->rollback(db); /* read-only: nothing to keep */
    cp_store_unlock(s);
    return ret;
}

json_t *cp_audit_list(cp_store *s, int64_t before, size_t limit, cp_error *err) {
    if (limit == 0 || limit > 1000) limit = 1000;
    cp_store_lock(s);
    cp_dbv p[2] = {cp_dbv_int(before), cp_dbv_int((int64_t)limit)};
    cp_dbres *r = NULL;
    json_t *arr = NULL;
    if (q(cp_store_db(s), "list",
          "SELECT seq, at, actor, action, object, detail, hash FROM audit WHERE ($1 = 0 OR seq < $1) "
          "ORDER BY seq DESC LIMIT $2",
          p, 2, &r, err) == 0) {
        arr = json_array();
        for (size_t i = 0; i < r->rows; i++) {
            json_t *d = json_loads(col(r, i, 5), 0, NULL);
            json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "seq",
                                                 (json_int_t)cp_dbres_int(r, i, 0), "at", col(r, i, 1), "actor",
                                                 col(r, i, 2), "action", col(r, i, 3), "object", col(r, i, 4),
                                                 "detail", d ? d : json_string(col(r, i, 5)), "hash",
                                                 col(r, i, 6)));
        }
        cp_dbres_free(r);
    }
    cp_store_unlock(s);
    return arr ? json_pack("{s:o}", "audit", arr) : NULL;
}
