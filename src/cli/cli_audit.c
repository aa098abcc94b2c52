/* chokepoint audit: check or show the hash-chained audit log of a case
 * store (docs/cases.md).
 *   audit verify [--db FILE]            exit 0: chain intact; 1: a record was
 *                                       edited, reordered or deleted (the first
 *                                       bad one is named), or the store cannot be read
 *   audit list [--db FILE] [--limit N]  newest records first, JSON lines
 * 64: bad usage. */
#include "cases/audit.h"
#include "cli/cli.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void audit_usage(FILE *f) {
    fputs("usage: chokepoint audit verify [--db FILE]\n"
          "       chokepoint audit list [--db FILE] [--limit N]\n"
          "\n"
          "verify: recomputes the hash chain of the audit log in the case store and names the first\n"
          "        record that was edited, reordered or deleted. Exit 0 when intact, 1 otherwise.\n"
          "        Prints the head hash: keep it elsewhere to detect a rewrite of the whole chain.\n"
          "list:   prints the newest audit records (default 20) as JSON lines.\n"
          "--db FILE defaults to chokepoint-cases.db (as chokepoint serve); a postgresql:// URI names a PostgreSQL store.\n",
          f);
}

int cp_cli_audit(int argc, char **argv) {
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        audit_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 64 : 0;
    }
    const char *cmd = argv[1], *db = "chokepoint-cases.db";
    long limit = 20;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--db") && i + 1 < argc) db = argv[++i];
        else if (!strcmp(argv[i], "--limit") && i + 1 < argc) {
            char *end;
            limit = strtol(argv[++i], &end, 10);
            if (*end || limit < 1 || limit > 1000) {
                fputs("chokepoint audit: --limit 1..1000\n", stderr);
                return 64;
            }
        } else {
            fprintf(stderr, "chokepoint audit: unknown option '%s'\n", argv[i]);
            audit_usage(stderr);
            return 64;
        }
    }
    if (strcmp(cmd, "verify") && strcmp(cmd, "list")) {
        fprintf(stderr, "chokepoint audit: unknown subcommand '%s'\n", cmd);
        audit_usage(stderr);
        return 64;
    }
    if (strncmp(db, "postgres", 8) != 0 && access(db, R_OK) != 0) { /* postgres[ql]:// URIs: libpq */
        fprintf(stderr, "chokepoint audit: %s: no such case store\n", db);
        return 1;
    }
    cp_error err = {0};
    char eb[1200];
    cp_store *s = cp_store_open(db, &err);
    if (!s) {
        fprintf(stderr, "chokepoint audit: %s\n", cp_error_format(&err, eb, sizeof eb));
        return 1;
    }
    int status = 0;
    if (!strcmp(cmd, "verify")) {
        cp_audit_report rep;
        int rc = cp_audit_verify(s, &rep, &err);
        if (rc < 0) {
            fprintf(stderr, "chokepoint audit: %s\n", cp_error_format(&err, eb, sizeof eb));
            status = 1;
        } else if (rc == 1) {
            printf("audit chain BROKEN at record %lld: %s (%lld records read)\n", (long long)rep.first_bad, rep.reason,
                   (long long)rep.records);
            status = 1;
        } else {
            printf("audit chain OK: %lld records, head %s\n", (long long)rep.records,
                   rep.head[0] ? rep.head : "(empty)");
        }
    } else {
        json_t *l = cp_audit_list(s, 0, (size_t)limit, &err);
        if (!l) {
            fprintf(stderr, "chokepoint audit: %s\n", cp_error_format(&err, eb, sizeof eb));
            status = 1;
        } else {
            size_t i;
            json_t *r;
            json_array_foreach(json_object_get(l, "audit"), i, r) {
                char *t = json_dumps(r, JSON_COMPACT);
                if (t) puts(t);
                free(t);
            }
            json_decref(l);
        }
    }
    cp_store_close(s);
    return status;
}
