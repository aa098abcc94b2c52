/* Case store: four-eyes rules, good-guy suppression (expiry, list entry
 * change), audit chain verification against raw-SQL tampering.
 *
 * The list entity used throughout is OFAC SDN ent_num 36, from the bundled
 * data/lists/us-ofac-sdn/sdn.csv.gz:
 *   36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,...
 * Times are fixed Unix seconds (T0 = 2026-03-01T12:00:00Z); nothing here
 * reads the clock.
 *
 * Backends: SQLite (a temp file) by default; with CP_TEST_PG_DSN set to a
 * postgresql:// URI the same tests run against that PostgreSQL database
 * (every table of the store is dropped before each test).
 * tests/cli/cases_pg.sh starts a throw-away PostgreSQL server and runs this
 * program that way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cases/audit.h"
#include "cases/store.h"
#include "text/normalize.h"
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <unistd.h>

enum { T0 = 1772366400, DAY = 86400 };

typedef struct fx {
    char dir[64];
    char path[1024]; /* SQLite file or PostgreSQL URI */
    int pg;
    cp_store *s;
} fx;

static const char *pg_dsn(void) {
    const char *d = getenv("CP_TEST_PG_DSN");
    return d && *d ? d : NULL;
}

static int setup(void **state) {
    fx *f = calloc(1, sizeof *f);
    cp_error err = {0};
    if (pg_dsn()) {
        f->pg = 1;
        snprintf(f->path, sizeof f->path, "%s", pg_dsn());
        /* A fresh store: drop what an earlier test left, then create. */
        cp_store *s = cp_store_open(f->path, &err);
        if (!s || cp_store_exec_sql(s,
                                    "DROP TABLE IF EXISTS audit_head, audit, suppressions, dispositions, alerts, "
                                    "schema_version CASCADE",
                                    &err) != 0) {
            fprintf(stderr, "%s\n", err.message);
            cp_store_close(s);
            return -1;
        }
        cp_store_close(s);
    } else {
        snprintf(f->dir, sizeof f->dir, "/tmp/cp-cases-test-XXXXXX");
        if (!mkdtemp(f->dir)) return -1;
        snprintf(f->path, sizeof f->path, "%s/cases.db", f->dir);
    }
    f->s = cp_store_open(f->path, &err);
    if (!f->s) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state) {
    fx *f = *state;
    cp_store_close(f->s);
    if (f->pg) {
        free(f);
        return 0;
    }
    char p[1100];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", f->path, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static cp_alert_new candidate(const char *hash) {
    cp_alert_new a = {0};
    a.message_id = "MSG-0001";
    a.decision = CP_REVIEW;
    a.score = 0.93;
    a.party = "Aerocaribbean Airlines";
    a.party_key = "aerocaribbean airlines";
    a.entity_id = "us-ofac-sdn:36";
    a.entity_name = "AEROCARIBBEAN AIRLINES";
    a.entity_hash = hash;
    a.list_version = "2026-02-27";
    a.lists_json = "[{\"id\":\"us-ofac-sdn\",\"version\":\"2026-02-27\"}]";
    a.policy = "default sha256:0123456789abcdef";
    a.result_json = "{\"decision\":\"REVIEW\"}";
    return a;
}

static const char H1[] = "1111111111111111111111111111111111111111111111111111111111111111";
static const char H2[] = "2222222222222222222222222222222222222222222222222222222222222222";

static int64_t new_alert(cp_store *s, const char *hash, int64_t now) {
    cp_alert_new a = candidate(hash);
    cp_error err = {0};
    assert_int_equal(cp_store_record_alerts(s, &a, 1, "screener1", now, &err), CP_STORE_OK);
    assert_int_equal(a.suppressed_by, 0);
    assert_true(a.alert_id > 0);
    return a.alert_id;
}

static const char *status_of(cp_store *s, int64_t id) {
    static char buf[32];
    json_t *o = cp_store_alert_get(s, id, NULL);
    assert_non_null(o);
    snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(o, "status")));
    json_decref(o);
    return buf;
}

static void test_four_eyes(void **state) {
    fx *f = *state;
    cp_error err = {0};
    cp_disp_outcome out;
    int64_t id = new_alert(f->s, H1, T0);
    assert_string_equal(status_of(f->s, id), "open");

    /* A screener may not decide; a missing comment or unknown decision is refused. */
    assert_int_equal(cp_store_disposition(f->s, id, "sam", CP_ROLE_SCREENER, "false_positive", "x", T0, DAY, &out, &err),
                     CP_STORE_FORBIDDEN);
    assert_int_equal(cp_store_disposition(f->s, id, "alice", CP_ROLE_ANALYST, "false_positive", "", T0, DAY, &out, &err),
                     CP_STORE_BADARG);
    assert_int_equal(cp_store_disposition(f->s, id, "alice", CP_ROLE_ANALYST, "clear", "x", T0, DAY, &out, &err),
                     CP_STORE_BADARG);
    assert_int_equal(cp_store_disposition(f->s, 999, "alice", CP_ROLE_ANALYST, "false_positive", "x", T0, DAY, &out, &err),
                     CP_STORE_NOTFOUND);

    /* The analyst proposes. */
    assert_int_equal(cp_store_disposition(f->s, id, "alice", CP_ROLE_ANALYST, "false_positive",
                                          "different airline, Panama", T0, DAY, &out, &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "pending_confirmation");
    /* Another analyst may not confirm. */
    assert_int_equal(cp_store_disposition(f->s, id, "carol", CP_ROLE_ANALYST, "false_positive", "ok", T0, DAY, &out, &err),
                     CP_STORE_FORBIDDEN);
    assert_non_null(strstr(err.message, "four-eyes"));
    assert_non_null(strstr(err.message, "checker"));
    /* The proposer may not confirm even with the checker role. */
    assert_int_equal(cp_store_disposition(f->s, id, "alice", CP_ROLE_CHECKER, "false_positive", "ok", T0, DAY, &out, &err),
                     CP_STORE_FORBIDDEN);
    assert_non_null(strstr(err.message, "different checker"));
    /* A checker with another decision: conflict, nothing changes. */
    assert_int_equal(cp_store_disposition(f->s, id, "bob", CP_ROLE_CHECKER, "true_match", "no", T0, DAY, &out, &err),
                     CP_STORE_CONFLICT);
    assert_string_equal(status_of(f->s, id), "pending_confirmation");
    /* A different checker confirms: closed, and a suppression is created. */
    assert_int_equal(cp_store_disposition(f->s, id, "bob", CP_ROLE_CHECKER, "false_positive", "agreed", T0 + 60, DAY,
                                          &out, &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "closed");
    assert_true(out.suppression_id > 0);
    json_t *o = cp_store_alert_get(f->s, id, &err);
    assert_string_equal(json_string_value(json_object_get(o, "outcome")), "false_positive");
    assert_int_equal(json_array_size(json_object_get(o, "dispositions")), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "dispositions"), 1), "user")),
                        "bob");
    /* The result JSON is kept as JSON. */
    assert_string_equal(json_string_value(json_object_get(json_object_get(o, "result"), "decision")), "REVIEW");
    json_decref(o);
    /* Closed is final. */
    assert_int_equal(cp_store_disposition(f->s, id, "dave", CP_ROLE_CHECKER, "true_match", "reopen", T0, DAY, &out, &err),
                     CP_STORE_CONFLICT);

    /* Escalation: open -> escalated -> proposal -> confirmation (true match, no suppression). */
    int64_t id2 = new_alert(f->s, H2, T0);
    assert_int_equal(cp_store_disposition(f->s, id2, "alice", CP_ROLE_ANALYST, "escalate", "unsure", T0, DAY, &out, &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "escalated");
    assert_int_equal(cp_store_disposition(f->s, id2, "bob", CP_ROLE_CHECKER, "true_match", "same entity", T0, DAY, &out,
                                          &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "pending_confirmation");
    assert_int_equal(cp_store_disposition(f->s, id2, "admin1", CP_ROLE_ADMIN, "true_match", "confirmed", T0, DAY, &out,
                                          &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "closed");
    assert_int_equal(out.suppression_id, 0);

    int64_t counts[4];
    assert_int_equal(cp_store_alert_counts(f->s, counts, &err), 0);
    assert_int_equal(counts[2], 2); /* closed */
    json_t *l = cp_store_alerts_list(f->s, "closed", 0, 10, &err);
    assert_int_equal(json_array_size(json_object_get(l, "alerts")), 2);
    json_decref(l);

    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
    /* 2 alerts created; alert 1: proposal, confirmation, suppression
     * created; alert 2 came with a changed list entry (H2): suppression 1
     * ended; alert 2: escalation, proposal, confirmation. Refused actions
     * leave no record. */
    assert_int_equal(rep.records, 2 + 3 + 1 + 3);
}

/* Closes alert `id` as a false positive (alice proposes, bob confirms). */
static int64_t close_fp(cp_store *s, int64_t id, int64_t now, int64_t ttl) {
    cp_error err = {0};
    cp_disp_outcome out;
    assert_int_equal(cp_store_disposition(s, id, "alice", CP_ROLE_ANALYST, "false_positive", "not him", now, ttl, &out,
                                          &err),
                     CP_STORE_OK);
    assert_int_equal(cp_store_disposition(s, id, "bob", CP_ROLE_CHECKER, "false_positive", "agreed", now, ttl, &out,
                                          &err),
                     CP_STORE_OK);
    assert_true(out.suppression_id > 0);
    return out.suppression_id;
}

static void test_good_guy(void **state) {
    fx *f = *state;
    cp_error err = {0};
    int64_t sid = close_fp(f->s, new_alert(f->s, H1, T0), T0, 30 * DAY);

    /* Same pair, same listed entry, 10 days later: suppressed, no alert. */
    cp_alert_new a = candidate(H1);
    assert_int_equal(cp_store_record_alerts(f->s, &a, 1, "screener1", T0 + 10 * DAY, &err), CP_STORE_OK);
    assert_int_equal(a.suppressed_by, sid);
    assert_int_equal(a.alert_id, 0);

    /* Another party against the same entity: alerts. */
    cp_alert_new b = candidate(H1);
    b.party_key = "aerocaribbean air cargo";
    assert_int_equal(cp_store_record_alerts(f->s, &b, 1, "screener1", T0 + 10 * DAY, &err), CP_STORE_OK);
    assert_int_equal(b.suppressed_by, 0);
    assert_true(b.alert_id > 0);

    /* After expiry (30 days): alerts again; the suppression is listed inactive. */
    cp_alert_new c = candidate(H1);
    assert_int_equal(cp_store_record_alerts(f->s, &c, 1, "screener1", T0 + 30 * DAY, &err), CP_STORE_OK);
    assert_int_equal(c.suppressed_by, 0);
    assert_true(c.alert_id > 0);
    json_t *all = cp_store_suppressions(f->s, 0, T0 + 30 * DAY, &err);
    json_t *one = json_array_get(json_object_get(all, "suppressions"), 0);
    assert_int_equal(json_integer_value(json_object_get(one, "hits")), 1);
    assert_false(json_is_true(json_object_get(one, "active")));
    json_decref(all);
    json_t *act = cp_store_suppressions(f->s, 1, T0 + 30 * DAY, &err);
    assert_int_equal(json_array_size(json_object_get(act, "suppressions")), 0);
    json_decref(act);

    /* A new suppression; then the list entry changes (new hash): the pair
     * alerts again and the suppression is ended. */
    int64_t sid2 = close_fp(f->s, c.alert_id, T0 + 30 * DAY, 365 * DAY);
    cp_alert_new d = candidate(H1);
    assert_int_equal(cp_store_record_alerts(f->s, &d, 1, "screener1", T0 + 31 * DAY, &err), CP_STORE_OK);
    assert_int_equal(d.suppressed_by, sid2);
    cp_alert_new e = candidate(H2);
    e.list_version = "2026-04-01";
    assert_int_equal(cp_store_record_alerts(f->s, &e, 1, "screener1", T0 + 32 * DAY, &err), CP_STORE_OK);
    assert_int_equal(e.suppressed_by, 0);
    assert_true(e.alert_id > 0);
    json_t *l = cp_store_suppressions(f->s, 0, T0 + 32 * DAY, &err);
    json_t *s2 = json_array_get(json_object_get(l, "suppressions"), 0);
    assert_int_equal(json_integer_value(json_object_get(s2, "id")), sid2);
    assert_string_equal(json_string_value(json_object_get(s2, "end_reason")), "list entry changed");
    json_decref(l);
    /* Even the old hash no longer matches an ended suppression. */
    cp_alert_new g = candidate(H1);
    assert_int_equal(cp_store_record_alerts(f->s, &g, 1, "screener1", T0 + 33 * DAY, &err), CP_STORE_OK);
    assert_int_equal(g.suppressed_by, 0);

    /* Non-party alerts (no party key) are never suppressed. */
    cp_alert_new h = candidate(H1);
    h.party = h.party_key = h.entity_id = h.entity_hash = NULL;
    assert_int_equal(cp_store_record_alerts(f->s, &h, 1, "screener1", T0 + 33 * DAY, &err), CP_STORE_OK);
    assert_true(h.alert_id > 0);

    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
}

/* Tampering by someone with write access to the database, outside the
 * store's rules (SQLite: a second connection to the file). */
static void raw_sql(fx *f, const char *sql) {
    if (f->pg) {
        cp_error err = {0};
        int rc = cp_store_exec_sql(f->s, sql, &err);
        if (rc != 0) fprintf(stderr, "raw_sql: %s\n", err.message);
        assert_int_equal(rc, 0);
        return;
    }
    const char *path = f->path;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fprintf(stderr, "raw_sql: %s\n", msg);
    assert_int_equal(rc, SQLITE_OK);
    sqlite3_close(db);
}

/* Ten audit records: 5 alerts, each proposed (alice) = 10. */
static void fill(fx *f) {
    cp_error err = {0};
    cp_disp_outcome out;
    for (int i = 0; i < 5; i++) {
        int64_t id = new_alert(f->s, H1, T0 + i);
        assert_int_equal(cp_store_disposition(f->s, id, "alice", CP_ROLE_ANALYST, "true_match", "listed", T0 + i, DAY,
                                              &out, &err),
                         CP_STORE_OK);
    }
    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
    assert_int_equal(rep.records, 10);
    assert_int_equal(strlen(rep.head), 64);
}

static void expect_bad(fx *f, int64_t first_bad, const char *why) {
    cp_audit_report rep;
    cp_error err = {0};
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 1);
    if (rep.first_bad != first_bad) fprintf(stderr, "first_bad %lld: %s\n", (long long)rep.first_bad, rep.reason);
    assert_int_equal(rep.first_bad, first_bad);
    assert_non_null(strstr(rep.reason, why));
}

static void test_audit_edit(void **state) {
    fx *f = *state;
    fill(f);
    /* Change who decided in record 4 (alert 2's disposition). */
    raw_sql(f, "UPDATE audit SET actor = 'mallory' WHERE seq = 4");
    expect_bad(f, 4, "edited");
}

static void test_audit_edit_rehash(void **state) {
    fx *f = *state;
    fill(f);
    /* An editor who recomputes the edited record's own hash breaks the link
     * of the next record. */
    raw_sql(f, "UPDATE audit SET detail = '{}', hash = 'ab' || substr(hash, 3) WHERE seq = 3");
    expect_bad(f, 3, "edited");
}

static void test_audit_reorder(void **state) {
    fx *f = *state;
    fill(f);
    /* Swap records 5 and 6 (seq numbers exchanged). */
    raw_sql(f, "UPDATE audit SET seq = -5 WHERE seq = 5; UPDATE audit SET seq = 5 WHERE seq = 6;"
                     "UPDATE audit SET seq = 6 WHERE seq = -5;");
    expect_bad(f, 5, "prev_hash");
}

static void test_audit_delete(void **state) {
    fx *f = *state;
    fill(f);
    raw_sql(f, "DELETE FROM audit WHERE seq = 7");
    expect_bad(f, 7, "deleted");
}

static void test_audit_delete_renumber(void **state) {
    fx *f = *state;
    fill(f);
    /* Delete record 7 and renumber the rest to hide the gap. */
    raw_sql(f, "DELETE FROM audit WHERE seq = 7; UPDATE audit SET seq = seq - 1 WHERE seq > 7;");
    expect_bad(f, 7, "prev_hash");
}

static void test_audit_delete_tail(void **state) {
    fx *f = *state;
    fill(f);
    raw_sql(f, "DELETE FROM audit WHERE seq >= 9");
    expect_bad(f, 9, "deleted from the end");
}

static void test_audit_append_after_reopen(void **state) {
    fx *f = *state;
    fill(f);
    cp_error err = {0};
    cp_store_close(f->s);
    f->s = cp_store_open(f->path, &err);
    assert_non_null(f->s);
    assert_int_equal(cp_audit_append(f->s, T0 + 100, "admin1", "lists.reload", "lists", "{\"lists\":6}", &err), 0);
    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
    assert_int_equal(rep.records, 11);
    json_t *l = cp_audit_list(f->s, 0, 1, &err);
    json_t *r = json_array_get(json_object_get(l, "audit"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "action")), "lists.reload");
    assert_string_equal(json_string_value(json_object_get(r, "at")), "2026-03-01T12:01:40Z");
    json_decref(l);
}

static void test_party_key(void **state) {
    (void)state;
    cp_error err = {0};
    cp_text_norm *t = cp_text_norm_new(&err);
    assert_non_null(t);
    char k[256];
    /* Case, spacing, diacritics and punctuation do not matter. */
    assert_int_equal(cp_case_party_key(t, "  AeroCaribbean   Airlines ", 27, k, sizeof k, &err), 0);
    assert_string_equal(k, "aerocaribbean airlines");
    assert_int_equal(cp_case_party_key(t, "Banco Nacional de Cubá", strlen("Banco Nacional de Cubá"), k, sizeof k, &err),
                     0);
    assert_string_equal(k, "banco nacional de cuba");
    assert_int_equal(cp_case_party_key(t, "--", 2, k, sizeof k, &err), -1);
    cp_text_norm_free(t);
}

static void test_entity_hash(void **state) {
    (void)state;
    /* Two publications of SDN 36 with the same content in another order hash
     * the same; a new alias changes the hash. */
    char h1[65], h2[65], h3[65];
    cp_name n1[] = {{"AEROCARIBBEAN AIRLINES", CP_NAME_PRIMARY, NULL}, {"AERO-CARIBBEAN", CP_NAME_ALIAS, NULL}};
    cp_name n2[] = {{"AEROCARIBBEAN AIRLINES", CP_NAME_PRIMARY, NULL}, {"AERO-CARIBBEAN", CP_NAME_ALIAS, NULL},
                    {"AEROCARIBE", CP_NAME_ALIAS, NULL}};
    const char *progs_a[] = {"CUBA", "X"};
    const char *progs_b[] = {"X", "CUBA"};
    cp_fact facts[] = {{CP_FACT_COUNTRY, "Cuba", NULL}};
    cp_entity e = {0};
    e.id = "us-ofac-sdn:36";
    e.schema = CP_SCHEMA_ORGANIZATION;
    e.names = n1;
    e.n_names = 2;
    e.programs = progs_a;
    e.n_programs = 2;
    e.facts = facts;
    e.n_facts = 1;
    assert_int_equal(cp_case_entity_hash(&e, h1), 0);
    e.programs = progs_b;
    assert_int_equal(cp_case_entity_hash(&e, h2), 0);
    assert_string_equal(h1, h2);
    e.names = n2;
    e.n_names = 3;
    assert_int_equal(cp_case_entity_hash(&e, h3), 0);
    assert_string_not_equal(h1, h3);
}

/* Concurrent writers on separate connections (as separate server processes
 * would be): 4 threads x 25 alerts, each proposed. Ids must not collide and
 * the audit chain must not fork: 200 records in one unbroken chain. */
typedef struct writer_arg {
    const char *path;
    int k, failures;
} writer_arg;

static void *writer(void *p) {
    writer_arg *a = p;
    cp_error err = {0};
    cp_store *s = cp_store_open(a->path, &err);
    if (!s) {
        fprintf(stderr, "writer %d: %s\n", a->k, err.message);
        a->failures++;
        return NULL;
    }
    for (int i = 0; i < 25; i++) {
        cp_alert_new c = candidate(H1);
        cp_disp_outcome out;
        if (cp_store_record_alerts(s, &c, 1, "screener1", T0 + i, &err) != CP_STORE_OK || c.alert_id <= 0 ||
            cp_store_disposition(s, c.alert_id, a->k % 2 ? "alice" : "dora", CP_ROLE_ANALYST, "true_match",
                                 "listed", T0 + i, DAY, &out, &err) != CP_STORE_OK) {
            fprintf(stderr, "writer %d: %s\n", a->k, err.message);
            a->failures++;
        }
    }
    cp_store_close(s);
    return NULL;
}

static void test_concurrent_writers(void **state) {
    fx *f = *state;
    pthread_t th[4];
    writer_arg args[4];
    for (int k = 0; k < 4; k++) {
        args[k] = (writer_arg){f->path, k, 0};
        assert_int_equal(pthread_create(&th[k], NULL, writer, &args[k]), 0);
    }
    for (int k = 0; k < 4; k++) {
        pthread_join(th[k], NULL);
        assert_int_equal(args[k].failures, 0);
    }
    cp_error err = {0};
    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
    assert_int_equal(rep.records, 200);
    int64_t counts[4];
    assert_int_equal(cp_store_alert_counts(f->s, counts, &err), 0);
    assert_int_equal(counts[1], 100); /* pending_confirmation */
    json_t *l = cp_store_alerts_list(f->s, NULL, 0, 1, &err);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(l, "alerts"), 0), "id")), 100);
    json_decref(l);
}

/* A goods/route/rule alert keeps the rule(s) that asked for it. The values
 * are those `chokepoint screen examples/mt720_forwarder_consignee.fin` gives
 * under data/policy/default.policy (rules chpl_transshipment, weight 0.8,
 * field 45A, and forwarder_consignee, weight 0.6, field 46A; message score
 * 0.8). */
static void test_rule_alert(void **state) {
    fx *f = *state;
    cp_error err = {0};
    cp_alert_new a = candidate(NULL);
    a.message_id = "TRF-LC-88341";
    a.score = 0.8;
    a.party = a.party_key = a.entity_id = a.entity_name = a.entity_hash = a.list_version = NULL;
    a.rule = "chpl_transshipment, forwarder_consignee";
    a.hit_kind = "rule";
    a.hit_field = "45A";
    a.rule_score = 0.8;
    a.rule_hits_json = "[{\"kind\":\"rule\",\"field\":\"45A\",\"value\":\"8482.10\",\"rule\":\"chpl_transshipment\","
                       "\"score\":0.8,\"action\":\"REVIEW\"},{\"kind\":\"rule\",\"field\":\"46A\",\"rule\":"
                       "\"forwarder_consignee\",\"score\":0.6,\"action\":\"REVIEW\"}]";
    assert_int_equal(cp_store_record_alerts(f->s, &a, 1, "screener1", T0, &err), CP_STORE_OK);
    assert_true(a.alert_id > 0);

    json_t *o = cp_store_alert_get(f->s, a.alert_id, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "rule")), "chpl_transshipment, forwarder_consignee");
    assert_string_equal(json_string_value(json_object_get(o, "hit_kind")), "rule");
    assert_string_equal(json_string_value(json_object_get(o, "hit_field")), "45A");
    assert_float_equal(json_real_value(json_object_get(o, "rule_score")), 0.8, 1e-12);
    assert_float_equal(json_real_value(json_object_get(o, "score")), 0.8, 1e-12);
    json_t *rh = json_object_get(o, "rule_hits");
    assert_true(json_is_array(rh));
    assert_int_equal(json_array_size(rh), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rh, 1), "rule")), "forwarder_consignee");
    assert_true(json_is_null(json_object_get(o, "party")));
    json_decref(o);

    /* The queue returns them too. */
    json_t *l = cp_store_alerts_list(f->s, "open", 0, 10, &err);
    json_t *first = json_array_get(json_object_get(l, "alerts"), 0);
    assert_string_equal(json_string_value(json_object_get(first, "rule")), "chpl_transshipment, forwarder_consignee");
    assert_int_equal(json_array_size(json_object_get(first, "rule_hits")), 2);
    json_decref(l);

    /* A party alert without rule details: NULLs, not zeros. */
    int64_t pid = new_alert(f->s, H1, T0);
    o = cp_store_alert_get(f->s, pid, &err);
    assert_true(json_is_null(json_object_get(o, "rule")));
    assert_true(json_is_null(json_object_get(o, "rule_score")));
    assert_true(json_is_null(json_object_get(o, "rule_hits")));
    json_decref(o);

    /* The audit record of the creation names the rule. */
    json_t *au = cp_audit_list(f->s, 0, 10, &err);
    assert_non_null(au);
    int found = 0;
    json_t *arr = json_object_get(au, "audit");
    for (size_t i = 0; i < json_array_size(arr); i++) {
        json_t *rec = json_array_get(arr, i);
        if (strcmp(json_string_value(json_object_get(rec, "action")), "alert.created") != 0) continue;
        json_t *d = json_object_get(rec, "detail");
        const char *rule = json_string_value(json_object_get(d, "rule"));
        if (rule && strcmp(rule, "chpl_transshipment, forwarder_consignee") == 0) {
            assert_string_equal(json_string_value(json_object_get(d, "hit_field")), "45A");
            found++;
        }
    }
    assert_int_equal(found, 1);
    json_decref(au);

    /* Four-eyes works on it as on any alert; never a suppression. */
    cp_disp_outcome out = {0};
    assert_int_equal(cp_store_disposition(f->s, a.alert_id, "alice", CP_ROLE_ANALYST, "true_match", "controlled goods",
                                          T0 + 1, 30 * DAY, &out, &err),
                     CP_STORE_OK);
    assert_int_equal(cp_store_disposition(f->s, a.alert_id, "bob", CP_ROLE_CHECKER, "true_match", "agreed", T0 + 2,
                                          30 * DAY, &out, &err),
                     CP_STORE_OK);
    assert_string_equal(out.status, "closed");
    assert_int_equal(out.suppression_id, 0);
    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
}

/* A version 1 store (before the rule columns) is migrated when opened: the
 * columns are added with ALTER TABLE, old alerts read with NULL rule fields,
 * new alerts keep their rule, the audit chain still verifies. The version 1
 * alerts table is made from the current one by dropping the five columns
 * (SQLite >= 3.35 and PostgreSQL both have ALTER TABLE ... DROP COLUMN), which
 * gives exactly the version 1 definition. */
static void test_migrate_v1(void **state) {
    fx *f = *state;
    cp_error err = {0};
    int64_t old_id = new_alert(f->s, H1, T0);
    static const char *const drop[] = {"rule", "hit_kind", "hit_field", "rule_score", "rule_hits"};
    char sql[128];
    for (size_t i = 0; i < 5; i++) {
        snprintf(sql, sizeof sql, "ALTER TABLE alerts DROP COLUMN %s", drop[i]);
        assert_int_equal(cp_store_exec_sql(f->s, sql, &err), 0);
    }
    assert_int_equal(cp_store_exec_sql(f->s, "UPDATE schema_version SET version = 1", &err), 0);
    cp_store_close(f->s);

    f->s = cp_store_open(f->path, &err);
    if (!f->s) fprintf(stderr, "%s\n", err.message);
    assert_non_null(f->s);
    assert_int_equal(cp_store_schema_version(), 2);
    json_t *o = cp_store_alert_get(f->s, old_id, &err);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(o, "status")), "open");
    assert_true(json_is_null(json_object_get(o, "rule")));
    assert_true(json_is_null(json_object_get(o, "hit_kind")));
    json_decref(o);
    cp_alert_new a = candidate(H1);
    a.party = a.party_key = a.entity_id = a.entity_hash = NULL;
    a.rule = "chpl_russia";
    a.hit_kind = "rule";
    a.hit_field = "45A";
    a.rule_score = 1.0;
    assert_int_equal(cp_store_record_alerts(f->s, &a, 1, "screener1", T0 + 1, &err), CP_STORE_OK);
    o = cp_store_alert_get(f->s, a.alert_id, &err);
    assert_string_equal(json_string_value(json_object_get(o, "rule")), "chpl_russia");
    json_decref(o);
    cp_audit_report rep;
    assert_int_equal(cp_audit_verify(f->s, &rep, &err), 0);
    assert_int_equal(rep.records, 2);
    cp_store_close(f->s);

    /* Opened again: current version, no DDL, same data. */
    f->s = cp_store_open(f->path, &err);
    assert_non_null(f->s);
    o = cp_store_alert_get(f->s, a.alert_id, &err);
    assert_string_equal(json_string_value(json_object_get(o, "hit_field")), "45A");
    json_decref(o);

    /* A store newer than this program is refused, naming the version (the
     * row is added and removed over the open connection). */
    assert_int_equal(cp_store_exec_sql(f->s, "INSERT INTO schema_version (version) VALUES (99)", &err), 0);
    memset(&err, 0, sizeof err);
    cp_store *newer = cp_store_open(f->path, &err);
    assert_null(newer);
    assert_non_null(strstr(err.message, "schema version 99 is newer"));
    assert_string_equal(err.field, "schema_version");
    assert_int_equal(cp_store_exec_sql(f->s, "DELETE FROM schema_version WHERE version = 99", &err), 0);
}

static void test_schema_embedded(void **state) {
    (void)state;
    const char *sql = cp_store_schema_sql();
    assert_non_null(strstr(sql, "CREATE TABLE IF NOT EXISTS alerts"));
    assert_non_null(strstr(sql, "CREATE TABLE IF NOT EXISTS audit_head"));
    /* Portable subset: no SQLite-only keywords. */
    assert_null(strstr(sql, "AUTOINCREMENT"));
    assert_null(strstr(sql, "PRAGMA"));
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_four_eyes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_guy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_edit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_edit_rehash, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_reorder, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_delete_renumber, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_delete_tail, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_append_after_reopen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_concurrent_writers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rule_alert, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migrate_v1, setup, teardown),
        cmocka_unit_test(test_party_key),
        cmocka_unit_test(test_entity_hash),
        cmocka_unit_test(test_schema_embedded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
