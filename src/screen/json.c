/* Screening results as JSON lines (cp_screen_result_to_json). */
#include "chokepoint.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct jbuf {
    char *p;
    size_t n, cap;
    int oom;
} jbuf;

static void put(jbuf *b, const char *s, size_t len) {
    if (b->oom) return;
    if (b->n + len + 1 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 1024;
        while (nc < b->n + len + 1) nc *= 2;
        char *np = realloc(b->p, nc);
        if (!np) {
            b->oom = 1;
            return;
        }
        b->p = np;
        b->cap = nc;
    }
    memcpy(b->p + b->n, s, len);
    b->n += len;
    b->p[b->n] = 0;
}

static void puts_(jbuf *b, const char *s) { put(b, s, strlen(s)); }

/* JSON string (RFC 8259): escapes quote, backslash and control characters;
 * other bytes are copied (the strings are UTF-8 from the parsers). */
static void str(jbuf *b, const char *s) {
    if (!s) {
        puts_(b, "null");
        return;
    }
    puts_(b, "\"");
    for (const unsigned char *q = (const unsigned char *)s; *q; q++) {
        char esc[8];
        switch (*q) {
        case '"': puts_(b, "\\\""); break;
        case '\\': puts_(b, "\\\\"); break;
        case '\n': puts_(b, "\\n"); break;
        case '\r': puts_(b, "\\r"); break;
        case '\t': puts_(b, "\\t"); break;
        default:
            if (*q < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *q);
                puts_(b, esc);
            } else {
                put(b, (const char *)q, 1);
            }
        }
    }
    puts_(b, "\"");
}

static void key(jbuf *b, const char *k, int comma) {
    if (comma) puts_(b, ",");
    str(b, k);
    puts_(b, ":");
}

static void num(jbuf *b, double d) {
    char t[32];
    snprintf(t, sizeof t, "%.3f", d);
    puts_(b, t);
}

char *cp_screen_result_to_json(const cp_screen_result *r, const cp_engine *e) {
    jbuf b = {0};
    puts_(&b, "{");
    key(&b, "message_id", 0);
    str(&b, r->message_id);
    key(&b, "format", 1);
    str(&b, r->format);
    key(&b, "type", 1);
    str(&b, r->type);
    key(&b, "decision", 1);
    str(&b, cp_decision_name(r->decision));
    key(&b, "score", 1);
    num(&b, r->score);
    key(&b, "hits", 1);
    puts_(&b, "[");
    for (size_t i = 0; i < r->n_hits; i++) {
        const cp_hit *h = &r->hits[i];
        if (i) puts_(&b, ",");
        puts_(&b, "{");
        key(&b, "kind", 0);
        str(&b, cp_hit_kind_name(h->kind));
        key(&b, "field", 1);
        str(&b, h->field);
        key(&b, "value", 1);
        str(&b, h->value);
        key(&b, "entity_id", 1);
        str(&b, h->entity_id);
        if (h->entity_name) {
            key(&b, "entity_name", 1);
            str(&b, h->entity_name);
        }
        key(&b, "list", 1);
        str(&b, h->list);
        if (h->rule) {
            key(&b, "rule", 1);
            str(&b, h->rule);
        }
        key(&b, "score", 1);
        num(&b, h->score);
        key(&b, "action", 1);
        /* evidence that decides nothing on its own: "info" (never "PASS", which reads as a clearance) */
        str(&b, h->action == CP_PASS ? "info" : cp_decision_name(h->action));
        key(&b, "reason", 1);
        str(&b, h->reason);
        if (h->offset >= 0) {
            char t[32];
            key(&b, "offset", 1);
            snprintf(t, sizeof t, "%ld", h->offset);
            puts_(&b, t);
        }
        puts_(&b, "}");
    }
    puts_(&b, "]");
    key(&b, "lists", 1);
    puts_(&b, "[");
    size_t nl = e ? cp_engine_list_count(e) : 0;
    for (size_t i = 0; i < nl; i++) {
        const cp_list_info *li = cp_engine_list_info(e, i);
        if (!li) continue;
        if (i) puts_(&b, ",");
        puts_(&b, "{");
        key(&b, "id", 0);
        str(&b, li->id);
        key(&b, "version", 1);
        str(&b, li->version);
        puts_(&b, "}");
    }
    puts_(&b, "]");
    key(&b, "policy", 1);
    str(&b, r->policy);
    key(&b, "refdata", 1);
    str(&b, r->refdata);
    if (r->screened) {
        key(&b, "screened", 1);
        str(&b, r->screened);
    }
    puts_(&b, "}");
    if (b.oom) {
        free(b.p);
        return NULL;
    }
    return b.p;
}
