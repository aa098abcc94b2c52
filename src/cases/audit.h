/* The audit log of the case store: an append-only, hash-chained record of
 * every state change (alert created or suppressed, disposition,
 * confirmation, escalation, suppression created or ended, list reload,
 * policy change), with actor and time, in the store's database (table
 * `audit`, schema.sql; docs/cases.md).
 *
 * Chain: record n has hash_n = SHA-256(hash_{n-1} || "\n" || canon_n) in
 * lowercase hex, hash_0 = 64 '0's, where canon_n is the compact JSON array
 * [seq, at, actor, action, object, detail] (jansson, ASCII-escaped, no
 * spaces). audit_head keeps the last seq and hash, updated in the same
 * transaction, so that deleting the newest records is detected too. The chain
 * proves that records were not edited, reordered or removed by anyone who did
 * not recompute every later hash and the head; anchoring the head hash
 * outside the database (printed by `chokepoint audit verify`) closes that gap.
 */
#ifndef CP_CASES_AUDIT_H
#define CP_CASES_AUDIT_H
#include "cases/store.h"
#include <stdint.h>

/* Appends one record inside the caller's open write transaction on `db`
 * (the store lock held). `detail` is a JSON text (NULL: "{}"); `at` an ISO
 * time. Returns 0 or -1 + err. */
int cp_audit_append_tx(struct cp_db *db, const char *at, const char *actor, const char *action,
                       const char *object, const char *detail, cp_error *err);

/* Appends one record in its own transaction (e.g. "lists.reload",
 * "policy.change"). Thread-safe (store lock). Returns 0 or -1 + err. */
int cp_audit_append(cp_store *s, int64_t now, const char *actor, const char *action,
                    const char *object, const char *detail, cp_error *err);

typedef struct cp_audit_report {
    int64_t records;        /* records checked */
    int64_t first_bad;      /* seq (or position) of the first bad record; 0 when the chain is good */
    char reason[256];       /* why it is bad ("hash mismatch: record edited ...") */
    char head[65];          /* hash of the last record ("" when empty) */
} cp_audit_report;

/* Checks the chain of the store: seq 1, 2, 3... without gaps, each prev_hash
 * equal to the previous record's hash, each hash recomputed from the record,
 * and audit_head equal to the last record. Returns 0 (good), 1 (bad: rep
 * names the first bad record) or -1 + err (database error). */
int cp_audit_verify(cp_store *s, cp_audit_report *rep, cp_error *err);

/* The last `limit` records (1..1000) with seq < before (0: no bound), newest
 * first: {"audit":[{"seq","at","actor","action","object","detail","hash"}]}.
 * NULL + err on error. */
json_t *cp_audit_list(cp_store *s, int64_t before, size_t limit, cp_error *err);
#endif
