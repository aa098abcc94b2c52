/* The case store: alerts from screening, their dispositions under four-eyes
 * review, the good-guy list (suppressions) and the audit chain (audit.h), in
 * one SQLite database or one PostgreSQL database through libpq, with the same
 * schema (src/cases/schema.sql) and the same rules (backends: db.h;
 * docs/cases.md).
 *
 * Durability: SQLite runs in WAL mode with synchronous=FULL, PostgreSQL with
 * synchronous_commit=on, and every write function commits before it returns,
 * so a write that returned 0 (and was acknowledged to a client) survives a
 * crash or SIGKILL. Every state change is written in the SAME transaction as
 * its audit record.
 *
 * Threads: a cp_store (one connection) serializes all calls with an internal
 * mutex; any number of threads may share one. Other processes (e.g.
 * `chokepoint audit verify`, a second server on the same PostgreSQL database)
 * may use the same database concurrently: write transactions are serialized
 * across processes (SQLite: BEGIN IMMEDIATE, 5 s busy timeout; PostgreSQL: a
 * row lock on audit_head), so ids and the audit chain never fork.
 *
 * Time: every function that records or compares a time takes `now` (Unix
 * seconds, UTC) from the caller, so that tests never depend on the clock.
 *
 * Four-eyes rule (the "maker-checker" / dual-control principle of bank
 * operational-risk practice, e.g. BCBS "Sound Practices for the Management and
 * Supervision of Operational Risk", segregation of duties; Wolfsberg FAQs on
 * screening: alert dispositions reviewed by a second person): an alert is
 * closed only when a second, different user with the checker (or admin) role
 * confirms the first user's decision. */
#ifndef CP_CASES_STORE_H
#define CP_CASES_STORE_H
#include "chokepoint.h"
#include "lists/model.h"
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct cp_db;
struct cp_text_norm;

typedef struct cp_store cp_store;

/* Result codes of the write functions (besides the cp_error filled). */
typedef enum cp_store_rc {
    CP_STORE_OK = 0,
    CP_STORE_NOTFOUND,   /* no such alert */
    CP_STORE_FORBIDDEN,  /* role or four-eyes rule refuses the action */
    CP_STORE_CONFLICT,   /* alert state does not allow it (closed, other pending decision) */
    CP_STORE_BADARG,     /* unknown decision, missing comment, ... */
    CP_STORE_ERROR       /* database error or OOM */
} cp_store_rc;

typedef enum cp_role {
    CP_ROLE_SCREENER = 0, /* screen, search, read lists and entities */
    CP_ROLE_ANALYST,      /* + read alerts, propose a disposition */
    CP_ROLE_CHECKER,      /* + confirm another user's disposition (four-eyes) */
    CP_ROLE_ADMIN         /* everything, + reload lists */
} cp_role;
/* "screener", "analyst", "checker", "admin"; parse returns -1 if unknown. */
const char *cp_role_name(cp_role r);
int cp_role_parse(const char *s);

/* The schema version this program writes (schema_version row). */
int cp_store_schema_version(void);

/* Opens (creating the schema if needed) the store at `path`: a SQLite file
 * (":memory:" allowed; WAL + synchronous=FULL + foreign keys), or, when
 * `path` starts with "postgresql://" or "postgres://", the PostgreSQL
 * database named by that libpq connection URI (synchronous_commit=on). NULL +
 * err (CP_ERR_IO naming the path, never a password, and the engine's
 * message) on failure. Free with cp_store_close (accepts NULL).
 * Schema versions: a new store gets the current schema (schema.sql); a store
 * of an older version is migrated in one transaction, step by step (1 -> 2:
 * ALTER TABLE alerts ADD COLUMN rule, hit_kind, hit_field, rule_score,
 * rule_hits), under the schema lock and, on PostgreSQL, the writers' row
 * lock on audit_head, so that concurrent opens and writers in other
 * processes wait instead of seeing half a migration; the schema_version row
 * is updated in the same transaction. A store of a newer version than this
 * program knows is refused (CP_ERR_FORMAT, field "schema_version"). A store
 * of the current version is opened without any DDL. */
cp_store *cp_store_open(const char *path, cp_error *err);
void cp_store_close(cp_store *s);

/* The embedded schema (src/cases/schema.sql), NUL-terminated. */
const char *cp_store_schema_sql(void);

/* One alert candidate from a screening result. Strings are copied; NULL
 * allowed where noted. */
typedef struct cp_alert_new {
    const char *message_id;    /* NULL: none */
    cp_decision decision;      /* CP_REVIEW or CP_BLOCK */
    double score;              /* [0,1] */
    const char *party;         /* the party as written in the message; NULL for non-party alerts */
    const char *party_key;     /* cp_case_party_key of party; NULL: not suppressible */
    const char *entity_id;     /* list entity "us-ofac-sdn:36077"; NULL for non-party alerts */
    const char *entity_name;   /* NULL allowed */
    const char *entity_hash;   /* cp_case_entity_hash of the entity as listed; NULL: not suppressible */
    const char *list_version;  /* version of the entity's list; NULL allowed */
    const char *lists_json;    /* JSON array of {"id","version"} of every loaded list */
    const char *policy;        /* cp_policy_version */
    const char *result_json;   /* the full screening result (cp_screen_result_to_json) */
    /* Which policy rule(s) asked for the alert (all NULL allowed: unknown).
     * For goods, route and rule alerts these say why the message alerted; for
     * party alerts the rule(s) the party hit fed (party_listed, ...). */
    const char *rule;          /* rule name(s), joined by ", ", the deciding one first */
    const char *hit_kind;      /* kind of the deciding hit: "party", "goods", "route", "rule" */
    const char *hit_field;     /* its message field ("45A", "[0].creditor") */
    double rule_score;         /* its own score in [0,1] (the rule's weight; name score for parties);
                                  stored only with hit_kind; < 0: none */
    const char *rule_hits_json;/* JSON array of the hits the alert stands for:
                                  [{"kind","field","value","rule","score","action","reason"}] */
    /* Filled by cp_store_record_alerts: */
    int64_t alert_id;          /* > 0 when an alert was created */
    int64_t suppressed_by;     /* > 0: id of the suppression that matched (no alert) */
} cp_alert_new;

/* Records the candidates of one screened transaction in ONE transaction: a
 * candidate whose (party_key, entity_id) pair has an active suppression with
 * the same entity_hash is not alerted (suppressed_by set, the suppression's
 * hit count incremented, audit "alert.suppressed"); a suppression of that pair
 * whose entity_hash differs (the list entry changed) is ended (audit
 * "suppression.ended") and the candidate alerts; others create an alert
 * (status open, audit "alert.created"). `actor` is the screening user.
 * Returns CP_STORE_OK or CP_STORE_ERROR/BADARG with err (nothing written). */
cp_store_rc cp_store_record_alerts(cp_store *s, cp_alert_new *items, size_t n, const char *actor,
                                   int64_t now, cp_error *err);

/* What a disposition did. */
typedef struct cp_disp_outcome {
    char status[24];         /* alert status afterwards */
    int64_t suppression_id;  /* > 0 when a confirmed false positive created one */
} cp_disp_outcome;

/* Records a disposition of alert `alert_id` by `user` with `role`.
 * `decision` is "true_match", "false_positive" or "escalate"; `comment` must
 * be non-empty (at most 4000 bytes). Rules:
 *  - open or escalated alert: an analyst, checker or admin proposes a
 *    decision -> pending_confirmation; "escalate" -> escalated (no closure).
 *  - pending_confirmation: only a checker/admin who is NOT the proposer may
 *    act: the same decision confirms -> closed (outcome set; a confirmed
 *    false_positive adds a suppression of (party_key, entity_id, entity_hash)
 *    expiring at now + suppress_secs, when the alert has a party and entity);
 *    "escalate" -> escalated; a different decision -> CP_STORE_CONFLICT.
 *    The proposer -> CP_STORE_FORBIDDEN ("four-eyes: ..."); an analyst ->
 *    CP_STORE_FORBIDDEN.
 *  - closed: CP_STORE_CONFLICT.
 *  - screener role: CP_STORE_FORBIDDEN.
 * Every accepted step is written with its audit record in one transaction.
 * Returns CP_STORE_OK (out filled) or another code with err filled (message
 * for the user). */
cp_store_rc cp_store_disposition(cp_store *s, int64_t alert_id, const char *user, cp_role role,
                                 const char *decision, const char *comment, int64_t now,
                                 int64_t suppress_secs, cp_disp_outcome *out, cp_error *err);

/* An alert with its dispositions as a new JSON object ({"id","created_at",
 * "message_id","status","decision","score","party","entity_id",
 * "entity_name","entity_hash","list_version","lists","policy","outcome",
 * "closed_at","rule","hit_kind","hit_field","rule_score","rule_hits":[...],
 * "result":{...},"dispositions":[{...}]}), NULL when not found
 * (err CP_ERR_NOTFOUND) or on error. Caller json_decref's it. */
json_t *cp_store_alert_get(cp_store *s, int64_t alert_id, cp_error *err);

/* Alerts, newest first, with status `status` (NULL: any), id < before_id
 * (0: no bound), at most `limit` (1..1000), without "result" and
 * "dispositions" (with "rule" .. "rule_hits"): {"alerts":[...]}. NULL + err
 * on error. */
json_t *cp_store_alerts_list(cp_store *s, const char *status, int64_t before_id, size_t limit,
                             cp_error *err);

/* Suppressions as {"suppressions":[{..., "active": bool}]}, newest first;
 * active_only: only those active at `now`. NULL + err on error. */
json_t *cp_store_suppressions(cp_store *s, int active_only, int64_t now, cp_error *err);

/* Counts of alerts per status into counts[4] (open, pending_confirmation,
 * closed, escalated). Returns 0 or -1 + err. */
int cp_store_alert_counts(cp_store *s, int64_t counts[4], cp_error *err);

/* The good-guy key of a party name: its normalized words (cp_text_words:
 * transliterated, case-folded, diacritics removed) joined by single spaces,
 * into out (cap bytes). Returns 0, or -1 + err (ICU failure, empty name,
 * CP_ERR_ARG when out is too small). `t` is not thread-safe. */
int cp_case_party_key(struct cp_text_norm *t, const char *name, size_t len, char *out, size_t cap,
                      cp_error *err);

/* SHA-256 (hex) of an entity's listed content: id, schema, names with their
 * kinds, programs, facts and relations, sorted, so that a new list version
 * that republishes the entry unchanged (even reordered) keeps the hash and
 * any real change alters it. Returns 0, -1 on OOM. Thread-safe. */
int cp_case_entity_hash(const cp_entity *e, char hex[65]);

/* ISO 8601 UTC text of Unix time t ("2026-03-01T12:00:00Z") into buf[32]. */
void cp_case_time(int64_t t, char buf[32]);

/* Runs SQL text without parameters on the store's connection (under its
 * lock), outside the store's rules: for tests that tamper with the audit
 * log, and administration. Returns 0 or -1 + err. */
int cp_store_exec_sql(cp_store *s, const char *sql, cp_error *err);

/* Internal: the connection and lock, for audit.c. */
struct cp_db *cp_store_db(cp_store *s);
void cp_store_lock(cp_store *s);
void cp_store_unlock(cp_store *s);
#endif
