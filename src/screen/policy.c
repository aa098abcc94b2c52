/* Policy file parser; format in docs/policy.md. */
#include "screen/policy.h"
#include "core/error.h"
#include "core/io.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[CP_RULE__COUNT] = {
    "party_eo14024",      "party_listed",         "chpl_russia",    "chpl_transshipment",
    "sanctioned_jurisdiction", "russia_route",    "lc_consigned_to_issuing_bank",
    "forwarder_consignee", "third_country_payer", "invalid_iban", "malformed_message",
    "identifier_blocking_list"};

/* Default action and weight of each rule (the shipped policy repeats them). */
static const cp_decision rule_action[CP_RULE__COUNT] = {CP_BLOCK,  CP_REVIEW, CP_BLOCK,  CP_REVIEW, CP_BLOCK, CP_REVIEW,
                                                        CP_REVIEW, CP_REVIEW, CP_REVIEW, CP_REVIEW, CP_REVIEW,
                                                        CP_BLOCK};
static const double rule_weight[CP_RULE__COUNT] = {1.0, 0.9, 1.0, 0.8, 1.0, 0.7, 0.6, 0.6, 0.6, 0.5, 0.5, 1.0};

const char *cp_rule_name(cp_rule_id r) { return (unsigned)r < CP_RULE__COUNT ? rule_names[r] : "unknown"; }

unsigned cp_policy_tier_bit(const char *t) {
    static const char *const tiers[] = {"1", "2", "3.A", "3.B", "4.A", "4.B"};
    for (unsigned i = 0; i < 6; i++)
        if (!strcmp(t, tiers[i])) return 1u << i;
    return 0;
}

const char *cp_decision_name(cp_decision d) {
    switch (d) {
    case CP_PASS: return "PASS";
    case CP_REVIEW: return "REVIEW";
    case CP_BLOCK: return "BLOCK";
    }
    return "?";
}

void cp_policy_free(cp_policy *p) {
    if (!p) return;
    for (size_t i = 0; i < p->n_lists; i++) free(p->lists[i]);
    for (size_t i = 0; i < p->n_block_programs; i++) free(p->block_programs[i]);
    for (size_t i = 0; i < p->n_forwarder_words; i++) free(p->forwarder_words[i]);
    for (size_t i = 0; i < p->n_id_block_lists; i++) free(p->id_block_lists[i]);
    free(p);
}

static void defaults(cp_policy *p) {
    snprintf(p->name, sizeof p->name, "builtin");
    p->review = CP_REVIEW_THRESHOLD;
    p->block = 0.95;
    p->text_review = 0.92;
    snprintf(p->set_russia, sizeof p->set_russia, "russia_belarus");
    snprintf(p->set_occupied, sizeof p->set_occupied, "occupied_ua");
    snprintf(p->set_comprehensive, sizeof p->set_comprehensive, "comprehensive");
    snprintf(p->set_transshipment, sizeof p->set_transshipment, "transshipment");
    p->chpl_tiers = 0x3F;
    p->eo14114 = 1;
    p->goods_terms = 1;
    p->free_text_names = 1;
    for (int r = 0; r < CP_RULE__COUNT; r++) {
        p->rules[r].enabled = 1;
        p->rules[r].action = rule_action[r];
        p->rules[r].weight = rule_weight[r];
    }
}

typedef struct pctx {
    cp_policy *p;
    const char *file;
    long line;
    char section[64];
    cp_error *err;
} pctx;

/* Fills the error (file, line, key) and returns -1. */
static int perr(pctx *c, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int perr(pctx *c, const char *key, const char *fmt, ...) {
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    cp_error_set(c->err, CP_ERR_FORMAT, c->file, c->line, -1, key, "%s", msg);
    return -1;
}

static int parse_num(pctx *c, const char *key, const char *v, double *out) {
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (end == v || *end || errno) return perr(c, key, "'%s' is not a number", v);
    if (d < 0 || d > 1) return perr(c, key, "%s must be in [0,1], got %s", key, v);
    *out = d;
    return 0;
}

static int parse_bool(pctx *c, const char *key, const char *v, int *out) {
    if (!strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "1")) *out = 1;
    else if (!strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "0")) *out = 0;
    else return perr(c, key, "'%s' is not a boolean (true/false)", v);
    return 0;
}

/* Comma-separated items; each trimmed, non-empty. */
static int parse_list(pctx *c, const char *key, const char *v, char **items, size_t *n) {
    for (size_t i = 0; i < *n; i++) free(items[i]);
    *n = 0;
    const char *s = v;
    while (*s) {
        const char *e = strchr(s, ',');
        size_t len = e ? (size_t)(e - s) : strlen(s);
        while (len && isspace((unsigned char)*s)) {
            s++;
            len--;
        }
        while (len && isspace((unsigned char)s[len - 1])) len--;
        if (!len) return perr(c, key, "empty item in list");
        if (*n >= CP_POLICY_MAX_ITEMS) return perr(c, key, "more than %d items", CP_POLICY_MAX_ITEMS);
        char *it = malloc(len + 1);
        if (!it) {
            cp_error_set(c->err, CP_ERR_NOMEM, c->file, c->line, -1, key, "out of memory");
            return -1;
        }
        memcpy(it, s, len);
        it[len] = 0;
        items[(*n)++] = it;
        if (!e) break;
        s = e + 1;
    }
    return 0;
}

static int set_name(pctx *c, const char *key, const char *v, char *dst, size_t dsz, int idx) {
    if (!*v || strlen(v) >= dsz) return perr(c, key, "set name must be 1..%zu characters", dsz - 1);
    for (const char *q = v; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '_' && *q != '-') return perr(c, key, "bad set name '%s'", v);
    snprintf(dst, dsz, "%s", v);
    c->p->set_line[idx] = c->line;
    return 0;
}

static int apply(pctx *c, const char *key, const char *v) {
    cp_policy *p = c->p;
    const char *sec = c->section;
    if (!*sec) return perr(c, key, "key outside a [section]");
    if (!strcmp(sec, "policy")) {
        if (!strcmp(key, "name")) {
            if (!*v || strlen(v) >= sizeof p->name) return perr(c, key, "name must be 1..63 characters");
            snprintf(p->name, sizeof p->name, "%s", v);
            return 0;
        }
    } else if (!strcmp(sec, "thresholds")) {
        if (!strcmp(key, "review")) return parse_num(c, key, v, &p->review);
        if (!strcmp(key, "block")) return parse_num(c, key, v, &p->block);
        if (!strcmp(key, "text_review")) return parse_num(c, key, v, &p->text_review);
    } else if (!strcmp(sec, "lists")) {
        if (!strcmp(key, "scope")) return parse_list(c, key, v, p->lists, &p->n_lists);
    } else if (!strcmp(sec, "jurisdictions")) {
        if (!strcmp(key, "russia")) return set_name(c, key, v, p->set_russia, sizeof p->set_russia, 0);
        if (!strcmp(key, "occupied")) return set_name(c, key, v, p->set_occupied, sizeof p->set_occupied, 1);
        if (!strcmp(key, "comprehensive"))
            return set_name(c, key, v, p->set_comprehensive, sizeof p->set_comprehensive, 2);
        if (!strcmp(key, "transshipment"))
            return set_name(c, key, v, p->set_transshipment, sizeof p->set_transshipment, 3);
    } else if (!strcmp(sec, "goods")) {
        if (!strcmp(key, "chpl_tiers")) {
            char *items[CP_POLICY_MAX_ITEMS];
            size_t n = 0;
            if (parse_list(c, key, v, items, &n) < 0) return -1;
            unsigned mask = 0;
            int bad = -1;
            for (size_t i = 0; i < n; i++) {
                unsigned b = cp_policy_tier_bit(items[i]);
                if (!b && bad < 0) bad = (int)i;
                mask |= b;
            }
            int rc = 0;
            if (bad >= 0) rc = perr(c, key, "unknown CHPL tier '%s' (1, 2, 3.A, 3.B, 4.A, 4.B)", items[bad]);
            for (size_t i = 0; i < n; i++) free(items[i]);
            p->chpl_tiers = mask;
            return rc;
        }
        if (!strcmp(key, "eo14114")) return parse_bool(c, key, v, &p->eo14114);
        if (!strcmp(key, "terms")) return parse_bool(c, key, v, &p->goods_terms);
    } else if (!strcmp(sec, "screening")) {
        if (!strcmp(key, "free_text_names")) return parse_bool(c, key, v, &p->free_text_names);
    } else if (!strncmp(sec, "rule.", 5)) {
        int r = -1;
        for (int i = 0; i < CP_RULE__COUNT; i++)
            if (!strcmp(sec + 5, rule_names[i])) r = i;
        if (r < 0) return perr(c, key, "unknown rule '%s'", sec + 5);
        cp_policy_rule *pr = &p->rules[r];
        if (!strcmp(key, "enabled")) return parse_bool(c, key, v, &pr->enabled);
        if (!strcmp(key, "weight")) return parse_num(c, key, v, &pr->weight);
        if (!strcmp(key, "action")) {
            if (!strcmp(v, "block")) pr->action = CP_BLOCK;
            else if (!strcmp(v, "review")) pr->action = CP_REVIEW;
            else if (!strcmp(v, "info")) pr->action = CP_PASS;
            else return perr(c, key, "action must be block, review or info, got '%s'", v);
            return 0;
        }
        if (r == CP_RULE_PARTY_EO14024 && !strcmp(key, "programs"))
            return parse_list(c, key, v, p->block_programs, &p->n_block_programs);
        if (r == CP_RULE_IDENTIFIER_BLOCKING && !strcmp(key, "lists")) {
            for (size_t i = 0; i < p->n_id_block_lists; i++) free(p->id_block_lists[i]);
            p->n_id_block_lists = 0;
            return parse_list(c, key, v, p->id_block_lists, &p->n_id_block_lists);
        }
        if (r == CP_RULE_FORWARDER_CONSIGNEE && !strcmp(key, "words"))
            return parse_list(c, key, v, p->forwarder_words, &p->n_forwarder_words);
    } else {
        return perr(c, key, "unknown section [%s]", sec);
    }
    return perr(c, key, "unknown key '%s' in [%s]", key, sec);
}

cp_policy *cp_policy_parse(const char *text, size_t len, const char *name, cp_error *err) {
    cp_policy *p = calloc(1, sizeof *p);
    if (!p) {
        cp_error_set(err, CP_ERR_NOMEM, name, 0, -1, NULL, "out of memory");
        return NULL;
    }
    defaults(p);
    snprintf(p->file, sizeof p->file, "%s", name ? name : "policy");
    pctx c = {.p = p, .file = name, .err = err};
    static const char *const fw[] = {"logistics", "logistic", "forwarding", "forwarder", "forwarders", "freight",
                                     "cargo", "shipping", "transport", "express", "courier", "expeditor",
                                     "экспедитор", "экспедиция", "логистика", "логистик", "物流", "货运", "货代"};
    for (size_t i = 0; i < sizeof fw / sizeof fw[0]; i++) p->forwarder_words[p->n_forwarder_words++] = strdup(fw[i]);
    for (size_t i = 0; i < p->n_forwarder_words; i++)
        if (!p->forwarder_words[i]) goto nomem;
    /* identifier_blocking_list: the lists whose designations are blocking /
     * asset-freeze orders (31 CFR 501.603 and 501.604 for the SDN list; UN
     * Security Council and UK OFSI asset freezes). Replaced by a `lists` key. */
    static const char *const bl[] = {"us-ofac-sdn", "un-sc", "uk-ofsi"};
    for (size_t i = 0; i < sizeof bl / sizeof bl[0]; i++) {
        p->id_block_lists[p->n_id_block_lists] = strdup(bl[i]);
        if (!p->id_block_lists[p->n_id_block_lists++]) goto nomem;
    }
    int seen_block_programs = 0;
    size_t pos = 0;
    while (pos < len) {
        const char *s = text + pos;
        const char *nl = memchr(s, '\n', len - pos);
        size_t l = nl ? (size_t)(nl - s) : len - pos;
        pos += l + (nl ? 1 : 0);
        c.line++;
        if (memchr(s, 0, l)) {
            perr(&c, NULL, "NUL byte in policy");
            goto fail;
        }
        char buf[CP_POLICY_MAX_VALUE + 128];
        if (l >= sizeof buf) {
            perr(&c, NULL, "line longer than %zu bytes", sizeof buf - 1);
            goto fail;
        }
        memcpy(buf, s, l);
        buf[l] = 0;
        /* strip comments: '#' at line start or after white space */
        for (char *h = buf; *h; h++)
            if (*h == '#' && (h == buf || isspace((unsigned char)h[-1]))) {
                *h = 0;
                break;
            }
        char *a = buf, *e = buf + strlen(buf);
        while (a < e && isspace((unsigned char)*a)) a++;
        while (e > a && isspace((unsigned char)e[-1])) e--;
        *e = 0;
        if (!*a) continue;
        if (*a == '[') {
            if (e[-1] != ']' || e - a < 3 || (size_t)(e - a - 2) >= sizeof c.section) {
                perr(&c, NULL, "bad section header '%s'", a);
                goto fail;
            }
            memcpy(c.section, a + 1, (size_t)(e - a - 2));
            c.section[e - a - 2] = 0;
            static const char *const secs[] = {"policy", "thresholds", "lists", "jurisdictions", "goods",
                                               "screening"};
            int ok = !strncmp(c.section, "rule.", 5);
            for (size_t i = 0; i < sizeof secs / sizeof secs[0]; i++)
                if (!strcmp(c.section, secs[i])) ok = 1;
            if (!ok) {
                perr(&c, NULL, "unknown section [%s]", c.section);
                goto fail;
            }
            if (!strncmp(c.section, "rule.", 5)) {
                int r = -1;
                for (int i = 0; i < CP_RULE__COUNT; i++)
                    if (!strcmp(c.section + 5, rule_names[i])) r = i;
                if (r < 0) {
                    perr(&c, NULL, "unknown rule [%s]", c.section);
                    goto fail;
                }
            }
            continue;
        }
        char *eq = strchr(a, '=');
        if (!eq) {
            perr(&c, NULL, "expected 'key = value', got '%s'", a);
            goto fail;
        }
        char *k = a, *ke = eq, *v = eq + 1;
        while (ke > k && isspace((unsigned char)ke[-1])) ke--;
        *ke = 0;
        while (*v && isspace((unsigned char)*v)) v++;
        if (!*k) {
            perr(&c, NULL, "empty key");
            goto fail;
        }
        if (!strcmp(c.section, "rule.party_eo14024") && !strcmp(k, "programs")) seen_block_programs = 1;
        if (apply(&c, k, v) < 0) goto fail;
    }
    if (!seen_block_programs) {
        p->block_programs[0] = strdup("RUSSIA-EO14024");
        if (!p->block_programs[0]) goto nomem;
        p->n_block_programs = 1;
    }
    if (p->review > p->block) {
        c.line = 0;
        perr(&c, "review", "review threshold %.2f is above the block threshold %.2f", p->review, p->block);
        goto fail;
    }
    if (!strcmp(p->name, "builtin") && name) {   /* no [policy] name: the file's base name */
        const char *b = strrchr(name, '/');
        snprintf(p->name, sizeof p->name, "%s", b ? b + 1 : name);
    }
    {
        char hex[65];
        cp_sha256_hex(text, len, hex);
        snprintf(p->version, sizeof p->version, "%s sha256:%.16s", p->name, hex);
    }
    return p;
nomem:
    cp_error_set(err, CP_ERR_NOMEM, name, 0, -1, NULL, "out of memory");
fail:
    cp_policy_free(p);
    return NULL;
}

cp_policy *cp_policy_load(const char *path, cp_error *err) {
    cp_bytes b;
    if (!path) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "no policy path");
        return NULL;
    }
    if (cp_read_file(path, 1u << 20, &b, err) < 0) return NULL;
    cp_policy *p = cp_policy_parse(b.data, b.len, path, err);
    free(b.data);
    return p;
}

const char *cp_policy_version(const cp_policy *p) { return p ? p->version : NULL; }
