/* chokepoint screen: screen payments and letters of credit (MT, MX, JSON,
 * CSV) and print a decision per transaction. Exit status: 0 all PASS,
 * 1 some REVIEW, 2 some BLOCK, 3 some message could not be read or parsed
 * (the highest applies). */
#include "cli/cli.h"
#include "core/io.h"
#include "msg/detect.h"
#include "msg/parse.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *f) {
    fputs("usage: chokepoint screen [OPTIONS] FILE...|-\n"
          "Screens each message (SWIFT MT, ISO 20022 MX, JSON or CSV transactions) against the lists,\n"
          "the goods tables and the policy, and prints PASS / REVIEW / BLOCK with the evidence.\n\n"
          "  --format auto|mt|mx|json|csv  message format (default auto: detected per file)\n"
          "  --policy FILE                 policy file (default $CHOKEPOINT_POLICY or data/policy/default.policy)\n"
          "  --output json|text            one JSON line per transaction (default) or text for an analyst\n"
          "  --data DIR                    lists directory (default $CHOKEPOINT_DATA or the bundled lists)\n"
          "  --refdata DIR                 folder with goods/ and geo/ tables (default $CHOKEPOINT_REFDATA or data/)\n"
          "  --no-lists                    do not load lists (goods, route and rules only)\n"
          "  --lenient                     skip malformed list records instead of failing the load\n\n"
          "exit status: 0 all PASS, 1 some REVIEW, 2 some BLOCK, 3 some message could not be parsed\n",
          f);
}

typedef struct sopts {
    const char *format, *policy, *output, *data, *refdata;
    int no_lists, lenient, text;
} sopts;

static void print_error_json(const char *file, const char *msg_id, const cp_error *e, long base) {
    char *fe = NULL;
    (void)fe;
    printf("{");
    if (msg_id) printf("\"message_id\":\"%s\",", msg_id);
    printf("\"error\":{\"code\":%d,\"message\":\"", (int)e->code);
    for (const char *p = e->message; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        if ((unsigned char)*p < 0x20) continue;
        putchar(*p);
    }
    printf("\",\"field\":");
    if (e->field[0]) {
        printf("\"");
        for (const char *p = e->field; *p; p++) {
            if (*p == '"' || *p == '\\') putchar('\\');
            putchar(*p);
        }
        printf("\"");
    } else {
        printf("null");
    }
    long off = e->offset >= 0 ? e->offset + base : base;
    printf(",\"offset\":%ld,\"line\":%ld,\"file\":\"", off, e->line);
    for (const char *p = file; *p; p++) {
        if (*p == '"' || *p == '\\') putchar('\\');
        putchar(*p);
    }
    printf("\"}}\n");
}

static const char *action_label(cp_decision d) { return d == CP_PASS ? "INFO" : cp_decision_name(d); }

static int same_str(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* The number after "list:" in an entity id ("us-csl:17013" -> "17013"). */
static const char *entity_num(const char *id) {
    const char *c = id ? strchr(id, ':') : NULL;
    return c ? c + 1 : id;
}

/* Hit i repeats an earlier one (same action, kind, field, value, rule, entity
 * number and name: the same designation published on several lists, e.g. the
 * SDN entry and its copies in the CSL and non-SDN lists). */
static int repeats_earlier(const cp_screen_result *r, size_t i) {
    const cp_hit *h = &r->hits[i];
    if (!h->entity_id) return 0;
    for (size_t k = 0; k < i; k++) {
        const cp_hit *g = &r->hits[k];
        if (g->entity_id && g->action == h->action && g->kind == h->kind && same_str(g->field, h->field) &&
            same_str(g->value, h->value) && same_str(g->rule, h->rule) &&
            same_str(entity_num(g->entity_id), entity_num(h->entity_id)) && same_str(g->entity_name, h->entity_name))
            return 1;
    }
    return 0;
}

static void print_text(const cp_screen_result *r, const cp_engine *eng, const char *file, size_t idx) {
    printf("%s #%zu  %s %s  id %s\n", file, idx, r->format ? r->format : "?", r->type ? r->type : "?",
           r->message_id ? r->message_id : "-");
    printf("  DECISION: %s  (score %.2f)\n", cp_decision_name(r->decision), r->score);
    for (size_t i = 0; i < r->n_hits; i++) {
        const cp_hit *h = &r->hits[i];
        if (repeats_earlier(r, i)) continue;
        printf("  - %-6s %-7s field %s: '%s'", action_label(h->action), cp_hit_kind_name(h->kind),
               h->field ? h->field : "-", h->value ? h->value : "");
        if (h->entity_id) printf(" -> %s (%s)", h->entity_id, h->entity_name ? h->entity_name : "");
        if (h->list) {
            printf(" list %s", h->list);
            for (size_t k = i + 1; h->entity_id && k < r->n_hits; k++) {
                const cp_hit *g = &r->hits[k];
                if (g->list && strcmp(g->list, h->list) && repeats_earlier(r, k) && g->action == h->action &&
                    same_str(g->field, h->field) && same_str(g->value, h->value) && same_str(g->rule, h->rule) &&
                    same_str(entity_num(g->entity_id), entity_num(h->entity_id)))
                    printf(", %s", g->list);
            }
        }
        if (h->rule) printf(" rule %s", h->rule);
        printf(" score %.2f\n      %s\n", h->score, h->reason ? h->reason : "");
    }
    if (r->screened) printf("  screened: %s\n", r->screened);
    size_t nl = eng ? cp_engine_list_count(eng) : 0;
    printf("  lists:");
    if (!nl) printf(" none loaded");
    for (size_t i = 0; i < nl; i++) {
        const cp_list_info *li = cp_engine_list_info(eng, i);
        if (li) printf(" %s %s%s", li->id, li->version ? li->version : "?", i + 1 < nl ? ";" : "");
    }
    printf("\n  policy: %s; reference data: %s\n\n", r->policy, r->refdata);
}

int cp_cli_screen(int argc, char **argv) {
    sopts o = {.format = "auto", .output = "json"};
    int nfiles = 0;
    char **files = calloc((size_t)argc + 1, sizeof *files);
    if (!files) return 70;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **dst = NULL;
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            free(files);
            return 0;
        }
        if (!strcmp(a, "--format")) dst = &o.format;
        else if (!strcmp(a, "--policy")) dst = &o.policy;
        else if (!strcmp(a, "--output")) dst = &o.output;
        else if (!strcmp(a, "--data")) dst = &o.data;
        else if (!strcmp(a, "--refdata")) dst = &o.refdata;
        else if (!strcmp(a, "--no-lists")) o.no_lists = 1;
        else if (!strcmp(a, "--lenient")) o.lenient = 1;
        else if (a[0] == '-' && a[1]) {
            fprintf(stderr, "screen: unknown option '%s'\n", a);
            usage(stderr);
            free(files);
            return 64;
        } else {
            files[nfiles++] = argv[i];
        }
        if (dst) {
            if (i + 1 >= argc) {
                fprintf(stderr, "screen: %s needs a value\n", a);
                free(files);
                return 64;
            }
            *dst = argv[++i];
        }
    }
    if (strcmp(o.output, "json") && strcmp(o.output, "text")) {
        fprintf(stderr, "screen: --output must be json or text\n");
        free(files);
        return 64;
    }
    o.text = !strcmp(o.output, "text");
    if (strcmp(o.format, "auto") && cp_msg_format_parse(o.format) == CP_MSG_UNKNOWN) {
        fprintf(stderr, "screen: --format must be auto, mt, mx, json or csv\n");
        free(files);
        return 64;
    }
    if (!nfiles) {
        usage(stderr);
        free(files);
        return 64;
    }
    if (!o.policy) o.policy = getenv("CHOKEPOINT_POLICY");
    if (!o.policy || !*o.policy) o.policy = CP_SOURCE_DIR "/data/policy/default.policy";
    cp_error err = {0};
    char eb[1200];
    cp_policy *pol = cp_policy_load(o.policy, &err);
    if (!pol) {
        fprintf(stderr, "screen: policy: %s\n", cp_error_format(&err, eb, sizeof eb));
        free(files);
        return 78;
    }
    cp_engine *eng = NULL;
    if (!o.no_lists) {
        eng = cp_cli_load_engine(o.data, o.lenient);
        if (!eng) {
            cp_policy_free(pol);
            free(files);
            return 78;
        }
    }
    cp_screener *s = cp_screener_new(eng, pol, o.refdata, &err);
    if (!s) {
        fprintf(stderr, "screen: %s\n", cp_error_format(&err, eb, sizeof eb));
        cp_engine_free(eng);
        cp_policy_free(pol);
        free(files);
        return 78;
    }
    int status = 0;
    cp_msg_format forced = !strcmp(o.format, "auto") ? CP_MSG_UNKNOWN : cp_msg_format_parse(o.format);
    for (int fi = 0; fi < nfiles; fi++) {
        const char *path = files[fi];
        cp_bytes b = {0};
        int is_stdin = !strcmp(path, "-");
        const char *shown = is_stdin ? "<stdin>" : path;
        if (cp_read_file(is_stdin ? "/dev/stdin" : path, 256u << 20, &b, &err) < 0) {
            print_error_json(shown, NULL, &err, 0);
            if (o.text) fprintf(stderr, "screen: %s\n", cp_error_format(&err, eb, sizeof eb));
            status = 3;
            continue;
        }
        cp_msg_iter it;
        cp_msg_iter_init(&it, b.data, b.len, forced);
        cp_msg_span sp;
        int rc;
        size_t idx = 0;
        while ((rc = cp_msg_next(&it, &sp, &err)) != 0) {
            if (rc < 0) {
                if (o.text) printf("%s: ERROR: %s\n\n", shown, cp_error_format(&err, eb, sizeof eb));
                else print_error_json(shown, NULL, &err, 0);
                status = 3;
                break;
            }
            cp_screen_batch batch = {0};
            if (cp_screen_message(s, b.data + sp.offset, sp.len, cp_msg_format_name(sp.format), shown, &batch,
                                  &err) < 0) {
                if (o.text) {
                    /* one file name (the error's), one offset (in the file) */
                    if (err.offset >= 0) err.offset += (long)sp.offset;
                    else if (!err.line) err.offset = (long)sp.offset;
                    printf("ERROR: %s\n\n", cp_error_format(&err, eb, sizeof eb));
                } else {
                    print_error_json(shown, NULL, &err, (long)sp.offset);
                }
                status = 3;
                continue;
            }
            for (size_t k = 0; k < batch.n; k++) {
                const cp_screen_result *r = batch.items[k];
                idx++;
                if (o.text) {
                    print_text(r, eng, shown, idx);
                } else {
                    char *j = cp_screen_result_to_json(r, eng);
                    if (j) {
                        puts(j);
                        free(j);
                    }
                }
                int st = r->decision == CP_BLOCK ? 2 : r->decision == CP_REVIEW ? 1 : 0;
                if (status != 3 && st > status) status = st;
            }
            cp_screen_batch_clear(&batch);
        }
        free(b.data);
    }
    fflush(stdout);
    cp_screener_free(s);
    cp_engine_free(eng);
    cp_policy_free(pol);
    free(files);
    return status;
}
