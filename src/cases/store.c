/* Case store: alerts, dispositions (four-eyes), good-guy list, over the
 * SQLite or PostgreSQL backend (db.h). Contracts in store.h; design in
 * docs/cases.md. */
#include "cases/store.h"
#include "cases/audit.h"
#include "cases/db.h"
#include "core/error.h"
#include "core/io.h"
#include "text/normalize.h"
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { SCHEMA_VERSION = 2, COMMENT_MAX = 4000 };

struct cp_store {
    cp_db *db;
    pthread_mutex_t mu;
};

cp_db *cp_store_db(cp_store *s) { return s->db; }
void cp_store_lock(cp_store *s) { pthread_mutex_lock(&s->mu); }
void cp_store_unlock(cp_store *s) { pthread_mutex_unlock(&s->mu); }

int cp_store_exec_sql(cp_store *s, const char *sql, cp_error *err) {
    cp_store_lock(s);
    int rc = cp_db_exec(s->db, sql, err);
    cp_store_unlock(s);
    return rc;
}

static const char *const role_names[] = {"screener", "analyst", "checker", "admin"};

const char *cp_role_name(cp_role r) {
    return (unsigned)r < 4 ? role_names[r] : "unknown";
}

int cp_role_parse(const char *s) {
    for (int i = 0; s && i < 4; i++)
        if (strcmp(s, role_names[i]) == 0) return i;
    return -1;
}

void cp_case_time(int64_t t, char buf[32]) {
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm)) {
        snprintf(buf, 32, "1970-01-01T00:00:00Z");
        return;
    }
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Runs one statement; on failure the message names `what`. */
static int q(cp_db *db, const char *what, const char *sql, const cp_dbv *p, size_t n, cp_dbres **out,
             cp_error *err) {
    cp_error e = {0};
    if (cp_db_query(db, sql, p, n, out, &e) == 0) return 0;
    if (err) {
        *err = e;
        const char *m = strncmp(e.message, "case store", 10) == 0 ? strchr(e.message, ':') : NULL;
        snprintf(err->message, sizeof err->message, "case store: %.40s: %.440s", what,
                 m ? m + 2 : e.message);
    }
    return -1;
}

/* Migration steps: migrations[k] takes a store from version k+1 to k+2, in
 * the common SQL subset of SQLite and PostgreSQL (ALTER TABLE ... ADD COLUMN,
 * no IF NOT EXISTS: SQLite has none; the version check under the schema lock
 * makes each step run once). schema.sql holds the result of all of them. */
static const char *const migrations[] = {
    /* 1 -> 2: goods, route and rule alerts keep the rule(s) that asked for
     * them, the kind and field of the deciding hit and the rule's own score. */
    "ALTER TABLE alerts ADD COLUMN rule TEXT;"
    "ALTER TABLE alerts ADD COLUMN hit_kind TEXT "
    "CHECK (hit_kind IS NULL OR hit_kind IN ('party', 'goods', 'route', 'rule'));"
    "ALTER TABLE alerts ADD COLUMN hit_field TEXT;"
    "ALTER TABLE alerts ADD COLUMN rule_score DOUBLE PRECISION;"
    "ALTER TABLE alerts ADD COLUMN rule_hits TEXT;",
};
_Static_assert(sizeof migrations / sizeof migrations[0] == SCHEMA_VERSION - 1, "one migration step per version");

int cp_store_schema_version(void) { return SCHEMA_VERSION; }

/* MAX(version) of schema_version; 0 when the table is missing or empty. */
static int64_t read_version(cp_db *db) {
    cp_dbres *r = NULL;
    int64_t v = 0;
    if (cp_db_query(db, "SELECT MAX(version) FROM schema_version", NULL, 0, &r, NULL) == 0) {
        v = r->rows ? cp_dbres_int(r, 0, 0) : 0;
        cp_dbres_free(r);
    }
    return v;
}

/* Creates or migrates the schema in one transaction (db.h begin_schema:
 * SQLite BEGIN IMMEDIATE; PostgreSQL an advisory lock that concurrent first
 * opens share). The version is read again under the lock: another process may
 * have done the work meanwhile. Returns the version afterwards, -1 + err. */
static int64_t create_or_migrate(cp_db *db, cp_error *err) {
    if (db->ops->begin_schema(db, err) != 0) return -1;
    /* Inside the transaction a missing schema_version table would abort a
     * PostgreSQL transaction: ask the catalog-free way, by creating it. */
    if (cp_db_exec(db, "CREATE TABLE IF NOT EXISTS schema_version (version BIGINT NOT NULL)", err) != 0) goto fail;
    int64_t v = read_version(db);
    if (v == 0) {
        char ins[160];
        snprintf(ins, sizeof ins, "INSERT INTO schema_version (version) VALUES (%d)", SCHEMA_VERSION);
        if (cp_db_exec(db, cp_store_schema_sql(), err) != 0 || cp_db_exec(db, ins, err) != 0 ||
            cp_db_exec(db,
                       "INSERT INTO audit_head (id, seq, hash) SELECT 1, 0, "
                       "'0000000000000000000000000000000000000000000000000000000000000000' "
                       "WHERE NOT EXISTS (SELECT 1 FROM audit_head)",
                       err) != 0)
            goto fail;
        v = SCHEMA_VERSION;
    } else if (v < SCHEMA_VERSION) {
        /* PostgreSQL: take the writers' lock first (db.h), so that a writer of
         * another process is never in the middle of a transaction on the
         * tables being altered, and never waits on us while holding it. */
        if (strcmp(db->ops->name, "postgresql") == 0 &&
            cp_db_exec(db, "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE", err) != 0)
            goto fail;
        for (; v < SCHEMA_VERSION; v++) {
            cp_dbv p[1] = {cp_dbv_int(v + 1)};
            if (cp_db_exec(db, migrations[v - 1], err) != 0 ||
                q(db, "schema version", "UPDATE schema_version SET version = $1", p, 1, NULL, err) != 0)
                goto fail;
        }
    }
    if (db->ops->commit(db, err) != 0) goto fail;
    return v;
fail:
    db->ops->rollback(db);
    return -1;
}

cp_store *cp_store_open(const char *path, cp_error *err) {
    if (!path || !*path) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "case store: no database path");
        return NULL;
    }
    cp_store *s = calloc(1, sizeof *s);
    if (!s) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return NULL;
    }
    pthread_mutex_init(&s->mu, NULL);
    if (!(s->db = cp_db_open(path, err))) {
        cp_store_close(s);
        return NULL;
    }
    const char *shown = cp_db_is_pg(path) ? "postgresql" : path;
    /* A store of the current version is used as is: DDL takes table locks
     * (PostgreSQL: CREATE INDEX IF NOT EXISTS takes a SHARE lock even when the
     * index exists) that would deadlock with other processes' writers. Only a
     * new or older store runs DDL, once. */
    int64_t v = read_version(s->db);
    if (v < SCHEMA_VERSION) v = create_or_migrate(s->db, err);
    if (v < 0) {
        if (err && !err->file[0]) snprintf(err->file, sizeof err->file, "%s", shown);
        cp_store_close(s);
        return NULL;
    }
    if (v != SCHEMA_VERSION) {
        cp_error_set(err, CP_ERR_FORMAT, shown, 0, -1, "schema_version",
                     "case store schema version %lld is newer than this program's (%d)", (long long)v,
                     SCHEMA_VERSION);
        cp_store_close(s);
        return NULL;
    }
    return s;
}

void cp_store_close(cp_store *s) {
    if (!s) return;
    if (s->db) s->db->ops->close(s->db);
    pthread_mutex_destroy(&s->mu);
    free(s);
}

/* ------------------------------------------------------------ helpers */

static int64_t next_id(cp_db *db, const char *table, cp_error *err) {
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT COALESCE(MAX(id), 0) + 1 FROM %s", table);
    cp_dbres *r = NULL;
    if (q(db, "next id", sql, NULL, 0, &r, err) != 0) return -1;
    int64_t id = r->rows ? cp_dbres_int(r, 0, 0) : -1;
    cp_dbres_free(r);
    if (id < 0) cp_error_set(err, CP_ERR_IO, NULL, 0, -1, NULL, "case store: next id: no row");
    return id;
}

static int begin(cp_db *db, cp_error *err) { return db->ops->begin_write(db, err); }

static int commit(cp_db *db, cp_error *err) {
    if (db->ops->commit(db, err) != 0) {
        db->ops->rollback(db);
        return -1;
    }
    return 0;
}

static void rollback(cp_db *db) { db->ops->rollback(db); }

/* A JSON detail object as compact text (malloc'd) from a jansson object
 * (stolen). NULL on OOM. */
static char *detail_text(json_t *o) {
    if (!o) return NULL;
    char *t = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(o);
    return t;
}

static int audit(cp_db *db, const char *at, const char *actor, const char *action, const char *object,
                 json_t *detail, cp_error *err) {
    char *d = detail_text(detail);
    if (!d) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    int rc = cp_audit_append_tx(db, at, actor, action, object, d, err);
    free(d);
    return rc;
}

static json_t *jstr_or_null(const char *s) { return s ? json_string(s) : json_null(); }

/* ------------------------------------------------------------ alerts */

static int find_suppression(cp_db *db, cp_alert_new *it, const char *at, const char *actor, int64_t now,
                            cp_error *err) {
    cp_dbv p[3] = {cp_dbv_text(it->party_key), cp_dbv_text(it->entity_id), cp_dbv_int(now)};
    cp_dbres *r = NULL;
    if (q(db, "suppression lookup",
          "SELECT id, entity_hash FROM suppressions WHERE party_key = $1 AND entity_id = $2 "
          "AND ended_at IS NULL AND expires_at > $3 ORDER BY id DESC",
          p, 3, &r, err) != 0)
        return -1;
    int64_t stale[16];
    size_t n_stale = 0;
    for (size_t i = 0; i < r->rows; i++) {
        int64_t id = cp_dbres_int(r, i, 0);
        const char *h = cp_dbres_text(r, i, 1);
        if (h && strcmp(h, it->entity_hash) == 0) {
            if (!it->suppressed_by) it->suppressed_by = id;
        } else if (n_stale < 16) {
            stale[n_stale++] = id;
        }
    }
    cp_dbres_free(r);
    for (size_t i = 0; i < n_stale; i++) {
        cp_dbv u[2] = {cp_dbv_text(at), cp_dbv_int(stale[i])};
        if (q(db, "end suppression",
              "UPDATE suppressions SET ended_at = $1, end_reason = 'list entry changed' WHERE id = $2", u, 2, NULL,
              err) != 0)
            return -1;
        char obj[40];
        snprintf(obj, sizeof obj, "suppression:%lld", (long long)stale[i]);
        json_t *d = json_pack("{s:s, s:s, s:s}", "reason", "list entry changed", "entity_id", it->entity_id,
                              "entity_hash", it->entity_hash);
        if (audit(db, at, actor, "suppression.ended", obj, d, err) != 0) return -1;
    }
    return 0;
}

static int insert_alert(cp_db *db, cp_alert_new *it, const char *at, const char *actor, cp_error *err) {
    int64_t id = next_id(db, "alerts", err);
    if (id < 0) return -1;
    cp_dbv none = {CP_DBT_NULL, 0, 0, NULL};
    cp_dbv p[20] = {cp_dbv_int(id),
                    cp_dbv_text(at),
                    cp_dbv_text(actor),
                    cp_dbv_text(it->message_id),
                    cp_dbv_text(cp_decision_name(it->decision)),
                    cp_dbv_real(it->score),
                    cp_dbv_text(it->party),
                    cp_dbv_text(it->party_key),
                    cp_dbv_text(it->entity_id),
                    cp_dbv_text(it->entity_name),
                    cp_dbv_text(it->entity_hash),
                    cp_dbv_text(it->list_version),
                    cp_dbv_text(it->lists_json ? it->lists_json : "[]"),
                    cp_dbv_text(it->policy ? it->policy : ""),
                    cp_dbv_text(it->result_json ? it->result_json : "{}"),
                    cp_dbv_text(it->rule),
                    cp_dbv_text(it->hit_kind),
                    cp_dbv_text(it->hit_field),
                    it->hit_kind && it->rule_score >= 0 ? cp_dbv_real(it->rule_score) : none,
                    cp_dbv_text(it->rule_hits_json)};
    if (q(db, "insert alert",
          "INSERT INTO alerts (id, created_at, created_by, message_id, status, decision, score, "
          "party, party_key, entity_id, entity_name, entity_hash, list_version, lists, policy, "
          "result, rule, hit_kind, hit_field, rule_score, rule_hits) VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, "
          "$8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, CAST($19 AS DOUBLE PRECISION), $20)",
          p, 20, NULL, err) != 0)
        return -1;
    it->alert_id = id;
    char obj[40];
    snprintf(obj, sizeof obj, "alert:%lld", (long long)id);
    json_t *d = json_pack("{s:o, s:s, s:f, s:o, s:o, s:o, s:s, s:o, s:o, s:o, s:o}", "message_id",
                          jstr_or_null(it->message_id), "decision", cp_decision_name(it->decision), "score",
                          it->score, "party", jstr_or_null(it->party), "entity_id", jstr_or_null(it->entity_id),
                          "list_version", jstr_or_null(it->list_version), "policy", it->policy ? it->policy : "",
                          "rule", jstr_or_null(it->rule), "hit_kind", jstr_or_null(it->hit_kind), "hit_field",
                          jstr_or_null(it->hit_field), "rule_score",
                          it->hit_kind && it->rule_score >= 0 ? json_real(it->rule_score) : json_null());
    return audit(db, at, actor, "alert.created", obj, d, err);
}

cp_store_rc cp_store_record_alerts(cp_store *s, cp_alert_new *items, size_t n, const char *actor,
                                   int64_t now, cp_error *err) {
    for (size_t i = 0; i < n; i++) {
        if (items[i].decision != CP_REVIEW && items[i].decision != CP_BLOCK) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "decision", "alerts are only for REVIEW or BLOCK");
            return CP_STORE_BADARG;
        }
        items[i].alert_id = items[i].suppressed_by = 0;
    }
    if (n == 0) return CP_STORE_OK;
    char at[32];
    cp_case_time(now, at);
    if (!actor) actor = "system";
    cp_store_lock(s);
    cp_db *db = s->db;
    if (begin(db, err) != 0) goto fail;
    for (size_t i = 0; i < n; i++) {
        cp_alert_new *it = &items[i];
        if (it->party_key && it->entity_id && it->entity_hash &&
            find_suppression(db, it, at, actor, now, err) != 0)
            goto fail;
        if (it->suppressed_by) {
            cp_dbv p[1] = {cp_dbv_int(it->suppressed_by)};
            if (q(db, "suppression hit", "UPDATE suppressions SET hits = hits + 1 WHERE id = $1", p, 1, NULL,
                  err) != 0)
                goto fail;
            char obj[40];
            snprintf(obj, sizeof obj, "suppression:%lld", (long long)it->suppressed_by);
            json_t *d = json_pack("{s:o, s:o, s:o, s:s}", "message_id", jstr_or_null(it->message_id), "party",
                                  jstr_or_null(it->party), "entity_id", jstr_or_null(it->entity_id), "decision",
                                  cp_decision_name(it->decision));
            if (audit(db, at, actor, "alert.suppressed", obj, d, err) != 0) goto fail;
        } else if (insert_alert(db, it, at, actor, err) != 0) {
            goto fail;
        }
    }
    if (commit(db, err) != 0) goto fail_done;
    cp_store_unlock(s);
    return CP_STORE_OK;
fail:
    rollback(db);
fail_done:
    cp_store_unlock(s);
    for (size_t i = 0; i < n; i++) items[i].alert_id = items[i].suppressed_by = 0;
    return CP_STORE_ERROR;
}

/* ------------------------------------------------------------ dispositions */

static int valid_decision(const char *d) {
    return d && (strcmp(d, "true_match") == 0 || strcmp(d, "false_positive") == 0 || strcmp(d, "escalate") == 0);
}

static int insert_disposition(cp_db *db, int64_t alert_id, const char *user, cp_role role, const char *decision,
                              const char *step, const char *comment, const char *at, cp_error *err) {
    int64_t id = next_id(db, "dispositions", err);
    if (id < 0) return -1;
    cp_dbv p[8] = {cp_dbv_int(id),           cp_dbv_int(alert_id), cp_dbv_text(user),    cp_dbv_text(cp_role_name(role)),
                   cp_dbv_text(decision),    cp_dbv_text(step),    cp_dbv_text(comment), cp_dbv_text(at)};
    return q(db, "insert disposition",
             "INSERT INTO dispositions (id, alert_id, user_name, role, decision, step, comment, created_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
             p, 8, NULL, err);
}

static int set_status(cp_db *db, int64_t alert_id, const char *status, const char *outcome, const char *closed_at,
                      cp_error *err) {
    cp_dbv p[4] = {cp_dbv_text(status), cp_dbv_text(outcome), cp_dbv_text(closed_at), cp_dbv_int(alert_id)};
    return q(db, "update alert", "UPDATE alerts SET status = $1, outcome = $2, closed_at = $3 WHERE id = $4", p, 4,
             NULL, err);
}

typedef struct alert_row {
    char status[24];
    char *party, *party_key, *entity_id, *entity_hash, *list_version;
} alert_row;

static void alert_row_free(alert_row *r) {
    free(r->party);
    free(r->party_key);
    free(r->entity_id);
    free(r->entity_hash);
    free(r->list_version);
}

static char *col_dup(const cp_dbres *r, size_t row, size_t col) {
    const char *t = cp_dbres_text(r, row, col);
    return t ? strdup(t) : NULL;
}

/* 1 found, 0 not found, -1 error. */
static int load_alert_row(cp_db *db, int64_t id, alert_row *r, cp_error *err) {
    cp_dbv p[1] = {cp_dbv_int(id)};
    cp_dbres *res = NULL;
    if (q(db, "read alert",
          "SELECT status, party, party_key, entity_id, entity_hash, list_version FROM alerts WHERE id = $1", p, 1,
          &res, err) != 0)
        return -1;
    int found = res->rows > 0;
    if (found) {
        const char *st = cp_dbres_text(res, 0, 0);
        snprintf(r->status, sizeof r->status, "%s", st ? st : "");
        r->party = col_dup(res, 0, 1);
        r->party_key = col_dup(res, 0, 2);
        r->entity_id = col_dup(res, 0, 3);
        r->entity_hash = col_dup(res, 0, 4);
        r->list_version = col_dup(res, 0, 5);
    }
    cp_dbres_free(res);
    return found;
}

/* The pending proposal: user and decision (into bufs). 1 found, 0 none, -1 error. */
static int last_proposal(cp_db *db, int64_t id, char user[256], char decision[32], cp_error *err) {
    cp_dbv p[1] = {cp_dbv_int(id)};
    cp_dbres *r = NULL;
    if (q(db, "read disposition",
          "SELECT user_name, decision FROM dispositions WHERE alert_id = $1 AND step = 'proposal' "
          "ORDER BY id DESC LIMIT 1",
          p, 1, &r, err) != 0)
        return -1;
    int found = r->rows > 0;
    if (found) {
        const char *u = cp_dbres_text(r, 0, 0), *d = cp_dbres_text(r, 0, 1);
        snprintf(user, 256, "%s", u ? u : "");
        snprintf(decision, 32, "%s", d ? d : "");
    }
    cp_dbres_free(r);
    return found;
}

static int add_suppression(cp_db *db, int64_t alert_id, const alert_row *r, const char *proposer,
                           const char *user, const char *at, int64_t now, int64_t suppress_secs, int64_t *out_id,
                           cp_error *err) {
    int64_t id = next_id(db, "suppressions", err);
    if (id < 0) return -1;
    int64_t expires = now + suppress_secs;
    cp_dbv p[11] = {cp_dbv_int(id),
                    cp_dbv_text(r->party ? r->party : r->party_key),
                    cp_dbv_text(r->party_key),
                    cp_dbv_text(r->entity_id),
                    cp_dbv_text(r->entity_hash),
                    cp_dbv_text(r->list_version),
                    cp_dbv_int(alert_id),
                    cp_dbv_text(proposer),
                    cp_dbv_text(user),
                    cp_dbv_text(at),
                    cp_dbv_int(expires)};
    if (q(db, "insert suppression",
          "INSERT INTO suppressions (id, party, party_key, entity_id, entity_hash, list_version, "
          "alert_id, proposed_by, confirmed_by, created_at, expires_at, hits) "
          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 0)",
          p, 11, NULL, err) != 0)
        return -1;
    *out_id = id;
    char obj[40], exp[32];
    snprintf(obj, sizeof obj, "suppression:%lld", (long long)id);
    cp_case_time(expires, exp);
    json_t *d = json_pack("{s:I, s:s, s:s, s:s, s:s, s:o, s:s}", "alert_id", (json_int_t)alert_id, "party_key",
                          r->party_key, "entity_id", r->entity_id, "entity_hash", r->entity_hash, "expires_at", exp,
                          "list_version", jstr_or_null(r->list_version), "confirmed_by", user);
    return audit(db, at, user, "suppression.created", obj, d, err);
}

cp_store_rc cp_store_disposition(cp_store *s, int64_t alert_id, const char *user, cp_role role,
                                 const char *decision, const char *comment, int64_t now,
                                 int64_t suppress_secs, cp_disp_outcome *out, cp_error *err) {
    if (out) memset(out, 0, sizeof *out);
    if (!user || !*user || strlen(user) > 200) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "user", "a user name is required");
        return CP_STORE_BADARG;
    }
    if (!valid_decision(decision)) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "decision",
                     "decision must be true_match, false_positive or escalate");
        return CP_STORE_BADARG;
    }
    if (!comment || !*comment) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "comment", "a comment is required");
        return CP_STORE_BADARG;
    }
    if (strlen(comment) > COMMENT_MAX) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "comment", "comment longer than %d bytes", COMMENT_MAX);
        return CP_STORE_BADARG;
    }
    if (role == CP_ROLE_SCREENER || (unsigned)role > CP_ROLE_ADMIN) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "role",
                     "role %s may not record dispositions (analyst, checker or admin needed)", cp_role_name(role));
        return CP_STORE_FORBIDDEN;
    }
    char at[32], obj[40];
    cp_case_time(now, at);
    snprintf(obj, sizeof obj, "alert:%lld", (long long)alert_id);
    int escalate = strcmp(decision, "escalate") == 0;
    cp_store_rc result = CP_STORE_ERROR;
    alert_row r = {0};
    cp_store_lock(s);
    cp_db *db = s->db;
    if (begin(db, err) != 0) {
        cp_store_unlock(s);
        return CP_STORE_ERROR;
    }
    int found = load_alert_row(db, alert_id, &r, err);
    if (found <= 0) {
        if (found == 0) {
            cp_error_set(err, CP_ERR_NOTFOUND, NULL, 0, -1, NULL, "no alert %lld", (long long)alert_id);
            result = CP_STORE_NOTFOUND;
        }
        goto fail;
    }
    const char *new_status;
    if (strcmp(r.status, "closed") == 0) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "status", "alert %lld is closed", (long long)alert_id);
        result = CP_STORE_CONFLICT;
        goto fail;
    }
    if (strcmp(r.status, "open") == 0 || strcmp(r.status, "escalated") == 0) {
        if (escalate && strcmp(r.status, "escalated") == 0) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "decision", "alert %lld is already escalated",
                         (long long)alert_id);
            result = CP_STORE_CONFLICT;
            goto fail;
        }
        new_status = escalate ? "escalated" : "pending_confirmation";
        if (insert_disposition(db, alert_id, user, role, decision, escalate ? "escalation" : "proposal", comment,
                               at, err) != 0 ||
            set_status(db, alert_id, new_status, NULL, NULL, err) != 0)
            goto fail;
        json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "decision", decision, "role", cp_role_name(role), "from",
                              r.status, "to", new_status);
        if (audit(db, at, user, escalate ? "alert.escalated" : "alert.disposition", obj, d, err) != 0) goto fail;
    } else { /* pending_confirmation */
        char proposer[256] = "", proposed[32] = "";
        int has = last_proposal(db, alert_id, proposer, proposed, err);
        if (has < 0) goto fail;
        if (role != CP_ROLE_CHECKER && role != CP_ROLE_ADMIN) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "role",
                         "four-eyes: alert %lld awaits confirmation of '%s' by a user with the checker role; "
                         "role %s may not confirm",
                         (long long)alert_id, proposed, cp_role_name(role));
            result = CP_STORE_FORBIDDEN;
            goto fail;
        }
        if (strcmp(proposer, user) == 0) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "user",
                         "four-eyes: %s proposed '%s' on alert %lld; a different checker must confirm it", user,
                         proposed, (long long)alert_id);
            result = CP_STORE_FORBIDDEN;
            goto fail;
        }
        if (escalate) {
            new_status = "escalated";
            if (insert_disposition(db, alert_id, user, role, decision, "escalation", comment, at, err) != 0 ||
                set_status(db, alert_id, new_status, NULL, NULL, err) != 0)
                goto fail;
            json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "decision", decision, "role", cp_role_name(role),
                                  "from", r.status, "to", new_status);
            if (audit(db, at, user, "alert.escalated", obj, d, err) != 0) goto fail;
        } else if (strcmp(proposed, decision) != 0) {
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "decision",
                         "alert %lld awaits confirmation of '%s' (proposed by %s); confirm with the same decision "
                         "or escalate",
                         (long long)alert_id, proposed, proposer);
            result = CP_STORE_CONFLICT;
            goto fail;
        } else {
            new_status = "closed";
            if (insert_disposition(db, alert_id, user, role, decision, "confirmation", comment, at, err) != 0 ||
                set_status(db, alert_id, new_status, decision, at, err) != 0)
                goto fail;
            json_t *d = json_pack("{s:s, s:s, s:s, s:s}", "decision", decision, "role", cp_role_name(role),
                                  "proposed_by", proposer, "to", new_status);
            if (audit(db, at, user, "alert.confirmed", obj, d, err) != 0) goto fail;
            if (strcmp(decision, "false_positive") == 0 && r.party_key && r.entity_id && r.entity_hash) {
                int64_t sid = 0;
                if (add_suppression(db, alert_id, &r, proposer, user, at, now, suppress_secs, &sid, err) != 0)
                    goto fail;
                if (out) out->suppression_id = sid;
            }
        }
    }
    if (commit(db, err) != 0) {
        cp_store_unlock(s);
        alert_row_free(&r);
        if (out) out->suppression_id = 0;
        return CP_STORE_ERROR;
    }
    cp_store_unlock(s);
    if (out) snprintf(out->status, sizeof out->status, "%s", new_status);
    alert_row_free(&r);
    return CP_STORE_OK;
fail:
    rollback(db);
    cp_store_unlock(s);
    alert_row_free(&r);
    if (out) out->suppression_id = 0;
    return result;
}

/* ------------------------------------------------------------ reads */

static json_t *cell_json(const cp_dbres *r, size_t row, size_t col) {
    const cp_dbcell *c = &r->cells[row * r->cols + col];
    switch (c->type) {
    case CP_DBT_NULL: return json_null();
    case CP_DBT_INT: return json_integer((json_int_t)c->i);
    case CP_DBT_REAL: return json_real(c->d);
    default: return json_string(c->s);
    }
}

/* Row -> object with the column names as keys; columns named in
 * `json_cols` (NULL-terminated) hold JSON text and are parsed. */
static json_t *row_object(const cp_dbres *r, size_t row, const char *const *json_cols) {
    json_t *o = json_object();
    if (!o) return NULL;
    for (size_t i = 0; i < r->cols; i++) {
        const char *name = r->names[i];
        const char *text = cp_dbres_text(r, row, i);
        json_t *v = NULL;
        for (const char *const *j = json_cols; j && *j; j++)
            if (strcmp(*j, name) == 0 && text) {
                v = json_loads(text, JSON_DECODE_ANY, NULL);
                if (!v) v = json_string(text);
            }
        if (!v) v = cell_json(r, row, i);
        json_object_set_new(o, name, v);
    }
    return o;
}

#define ALERT_COLS                                                                                          \
    "id, created_at, created_by, message_id, status, decision, score, party, entity_id, entity_name, "      \
    "entity_hash, list_version, lists, policy, outcome, closed_at, rule, hit_kind, hit_field, rule_score, "   \
    "rule_hits"

json_t *cp_store_alert_get(cp_store *s, int64_t alert_id, cp_error *err) {
    static const char *const jcols[] = {"lists", "result", "rule_hits", NULL};
    cp_store_lock(s);
    cp_db *db = s->db;
    json_t *o = NULL;
    cp_dbv p[1] = {cp_dbv_int(alert_id)};
    cp_dbres *r = NULL;
    if (q(db, "read alert", "SELECT " ALERT_COLS ", party_key, result FROM alerts WHERE id = $1", p, 1, &r, err) !=
        0)
        goto out;
    if (r->rows == 0) {
        cp_dbres_free(r);
        cp_error_set(err, CP_ERR_NOTFOUND, NULL, 0, -1, NULL, "no alert %lld", (long long)alert_id);
        goto out;
    }
    o = row_object(r, 0, jcols);
    cp_dbres_free(r);
    r = NULL;
    if (!o) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        goto out;
    }
    if (q(db, "read dispositions",
          "SELECT id, user_name AS user, role, decision, step, comment, created_at FROM dispositions "
          "WHERE alert_id = $1 ORDER BY id",
          p, 1, &r, err) != 0) {
        json_decref(o);
        o = NULL;
        goto out;
    }
    json_t *ds = json_array();
    for (size_t i = 0; i < r->rows; i++) json_array_append_new(ds, row_object(r, i, NULL));
    cp_dbres_free(r);
    json_object_set_new(o, "dispositions", ds);
out:
    cp_store_unlock(s);
    return o;
}

json_t *cp_store_alerts_list(cp_store *s, const char *status, int64_t before_id, size_t limit, cp_error *err) {
    static const char *const jcols[] = {"lists", "rule_hits", NULL};
    if (limit == 0 || limit > 1000) limit = 1000;
    cp_store_lock(s);
    cp_dbv p[3] = {cp_dbv_text(status), cp_dbv_int(before_id), cp_dbv_int((int64_t)limit)};
    cp_dbres *r = NULL;
    json_t *arr = NULL;
    if (q(s->db, "list alerts",
          "SELECT " ALERT_COLS " FROM alerts WHERE ($1 IS NULL OR status = $1) AND "
          "($2 = 0 OR id < $2) ORDER BY id DESC LIMIT $3",
          p, 3, &r, err) == 0) {
        arr = json_array();
        for (size_t i = 0; i < r->rows; i++) json_array_append_new(arr, row_object(r, i, jcols));
        cp_dbres_free(r);
    }
    cp_store_unlock(s);
    return arr ? json_pack("{s:o}", "alerts", arr) : NULL;
}

json_t *cp_store_suppressions(cp_store *s, int active_only, int64_t now, cp_error *err) {
    cp_store_lock(s);
    cp_dbv p[2] = {cp_dbv_int(now), cp_dbv_int(active_only ? 1 : 0)};
    cp_dbres *r = NULL;
    json_t *arr = NULL;
    if (q(s->db, "list suppressions",
          "SELECT id, party, party_key, entity_id, entity_hash, list_version, alert_id, "
          "proposed_by, confirmed_by, created_at, expires_at, ended_at, end_reason, hits, "
          "(ended_at IS NULL AND expires_at > $1) AS active FROM suppressions "
          "WHERE ($2 = 0 OR (ended_at IS NULL AND expires_at > $1)) ORDER BY id DESC",
          p, 2, &r, err) == 0) {
        arr = json_array();
        for (size_t i = 0; i < r->rows; i++) {
            json_t *o = row_object(r, i, NULL);
            json_object_set_new(o, "active", json_boolean(cp_dbres_int(r, i, 14)));
            char exp[32];
            cp_case_time(cp_dbres_int(r, i, 10), exp);
            json_object_set_new(o, "expires_at", json_string(exp));
            json_array_append_new(arr, o);
        }
        cp_dbres_free(r);
    }
    cp_store_unlock(s);
    return arr ? json_pack("{s:o}", "suppressions", arr) : NULL;
}

int cp_store_alert_counts(cp_store *s, int64_t counts[4], cp_error *err) {
    static const char *const st_names[] = {"open", "pending_confirmation", "closed", "escalated"};
    memset(counts, 0, 4 * sizeof counts[0]);
    cp_store_lock(s);
    cp_dbres *r = NULL;
    int ret = q(s->db, "count alerts", "SELECT status, COUNT(*) FROM alerts GROUP BY status", NULL, 0, &r, err);
    for (size_t i = 0; ret == 0 && i < r->rows; i++) {
        const char *name = cp_dbres_text(r, i, 0);
        for (int k = 0; k < 4; k++)
            if (name && strcmp(name, st_names[k]) == 0) counts[k] = cp_dbres_int(r, i, 1);
    }
    cp_dbres_free(r);
    cp_store_unlock(s);
    return ret;
}

/* ------------------------------------------------------------ keys */

int cp_case_party_key(cp_text_norm *t, const char *name, size_t len, char *out, size_t cap, cp_error *err) {
    cp_words *w = malloc(sizeof *w);
    if (!w) {
        cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "out of memory");
        return -1;
    }
    if (cp_text_words(t, name, len, 4096, w, err) != 0) {
        free(w);
        return -1;
    }
    size_t o = 0;
    for (size_t i = 0; i < w->n; i++) {
        size_t l = w->len[i];
        if (o + l + 2 > cap) {
            free(w);
            cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "party", "party key buffer too small");
            return -1;
        }
        if (o) out[o++] = ' ';
        memcpy(out + o, w->buf + w->off[i], l);
        o += l;
    }
    free(w);
    if (o == 0) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, "party", "party name has no letters or digits");
        return -1;
    }
    out[o] = 0;
    return 0;
}

typedef struct sbuf {
    char *p;
    size_t n, cap;
    int oom;
} sbuf;

static void sb_put(sbuf *b, const char *s) {
    size_t l = s ? strlen(s) : 0;
    if (b->oom) return;
    if (b->n + l + 2 > b->cap) {
        size_t nc = (b->cap ? b->cap * 2 : 256) + l;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s ? s : "", l);
    b->n += l;
    b->p[b->n++] = '\x1f'; /* unit separator between fields */
}

static int cmp_str(const void *a, const void *b) {
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int cp_case_entity_hash(const cp_entity *e, char hex[65]) {
    size_t n = 2 + (size_t)e->n_names + e->n_programs + e->n_facts + e->n_relations;
    char **lines = calloc(n, sizeof *lines);
    if (!lines) return -1;
    size_t k = 0;
    int oom = 0;
    char num[16];
    for (size_t i = 0; i < n && !oom; i++) {
        sbuf b = {0};
        if (i == 0) {
            sb_put(&b, "id");
            sb_put(&b, e->id);
        } else if (i == 1) {
            sb_put(&b, "schema");
            sb_put(&b, cp_schema_name(e->schema));
        } else if (i < 2 + e->n_names) {
            const cp_name *nm = &e->names[i - 2];
            sb_put(&b, i == 2 ? "name0" : "name");
            sb_put(&b, nm->text);
            sb_put(&b, cp_name_kind_name(nm->kind));
            sb_put(&b, nm->lang);
        } else if (i < 2 + (size_t)e->n_names + e->n_programs) {
            sb_put(&b, "program");
            sb_put(&b, e->programs[i - 2 - e->n_names]);
        } else if (i < 2 + (size_t)e->n_names + e->n_programs + e->n_facts) {
            const cp_fact *f = &e->facts[i - 2 - e->n_names - e->n_programs];
            sb_put(&b, "fact");
            sb_put(&b, cp_fact_type_name(f->type));
            sb_put(&b, f->value);
            sb_put(&b, f->detail);
        } else {
            const cp_relation *r = &e->relations[i - 2 - e->n_names - e->n_programs - e->n_facts];
            sb_put(&b, "relation");
            snprintf(num, sizeof num, "%d", (int)r->type);
            sb_put(&b, num);
            sb_put(&b, r->target);
            sb_put(&b, r->detail);
        }
        if (b.oom) {
            free(b.p);
            oom = 1;
            break;
        }
        b.p[b.n - 1] = 0;
        lines[k++] = b.p;
    }
    int ret = -1;
    if (!oom) {
        qsort(lines, k, sizeof *lines, cmp_str);
        sbuf all = {0};
        for (size_t i = 0; i < k; i++) sb_put(&all, lines[i]);
        if (!all.oom) {
            cp_sha256_hex(all.p, all.n, hex);
            ret = 0;
        }
        free(all.p);
    }
    for (size_t i = 0; i < k; i++) free(lines[i]);
    free(lines);
    return ret;
}
