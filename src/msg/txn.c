/* The chokepoint transaction format (JSON and CSV). Contract in txn.h,
 * specification in docs/formats/transaction.md. */
#include "msg/txn.h"
#include "core/csv.h"
#include "core/error.h"
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct txn_ctx {
    const char *d;
    size_t len;
    const cp_msg_opts *opts;
    cp_error *err;
    size_t obj_off;    /* JSON: offset of the current transaction object */
    long line;         /* CSV: line of the current row */
} txn_ctx;

/* Offset of the first `"key"` at or after the current transaction object
 * (jansson keeps no positions; this names the key's first occurrence). */
static long key_off(const txn_ctx *c, const char *key) {
    size_t kl = strlen(key);
    if (!kl || c->line) return (long)c->obj_off;
    for (size_t i = c->obj_off; i + kl + 2 <= c->len; i++)
        if (c->d[i] == '"' && !memcmp(c->d + i + 1, key, kl) && c->d[i + 1 + kl] == '"') return (long)i;
    return (long)c->obj_off;
}

static int fail(const txn_ctx *c, const char *field, const char *leaf, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(const txn_ctx *c, const char *field, const char *leaf, const char *fmt, ...) {
    char buf[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    cp_error_set(c->err, CP_ERR_FORMAT, c->opts ? c->opts->file : NULL, c->line, leaf ? key_off(c, leaf) : (long)c->obj_off,
                 field, "%s", buf);
    return -1;
}

static int nomem(const txn_ctx *c) {
    cp_error_set(c->err, CP_ERR_NOMEM, c->opts ? c->opts->file : NULL, 0, -1, NULL, "out of memory");
    return -1;
}

static int is_upper(char ch) { return ch >= 'A' && ch <= 'Z'; }
static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

/* ------------------------------------------------------------ shared value checks */

static const char *const role_keys[] = {"debtor", "creditor", "ultimate_debtor", "ultimate_creditor",
    "initiating_party", "debtor_agent", "creditor_agent", "intermediary", "sender_correspondent",
    "receiver_correspondent", "instructing_agent", "instructed_agent", "other_party", NULL};

static int role_of(const char *s, size_t n, cp_party_role *role) {
    for (int i = 0; role_keys[i]; i++)
        if (strlen(role_keys[i]) == n && !memcmp(role_keys[i], s, n)) {
            *role = (cp_party_role)i;
            return 1;
        }
    return 0;
}

static const char *const place_keys[] = {"port_of_loading", "port_of_discharge", "place_of_receipt",
                                         "final_destination", "place_of_expiry", NULL};

/* Sets party key `key` to s[0..n) after checking it. `path` names it in errors. */
static int party_set(txn_ctx *c, cp_request *r, cp_party *p, const char *key, const char *s, size_t n,
                     const char *path) {
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    if (!n) return 0;
    const char **dst = NULL;
    if (!strcmp(key, "name")) dst = &p->name;
    else if (!strcmp(key, "address")) dst = &p->address;
    else if (!strcmp(key, "town")) dst = &p->town;
    else if (!strcmp(key, "account")) dst = &p->account;
    else if (!strcmp(key, "other_id")) dst = &p->other_id;
    else if (!strcmp(key, "lei")) {
        if (n != 20) return fail(c, path, key, "LEI must be 20 characters (ISO 17442), got %zu", n);
        dst = &p->lei;
    } else if (!strcmp(key, "country")) {
        if (n != 2 || !is_upper(s[0]) || !is_upper(s[1]))
            return fail(c, path, key, "country must be an ISO 3166 alpha-2 code in capitals");
        dst = &p->country;
    } else if (!strcmp(key, "bic")) {
        int ok = n == 8 || n == 11;
        for (size_t i = 0; ok && i < n; i++) ok = is_upper(s[i]) || is_digit(s[i]);
        if (ok) ok = is_upper(s[4]) && is_upper(s[5]);
        if (!ok) return fail(c, path, key, "bic must be a BIC8 or BIC11 (ISO 9362)");
        dst = &p->bic;
    } else if (!strcmp(key, "dob")) {
        int ok = n == 4 || n == 7 || n == 10;
        for (size_t i = 0; ok && i < n; i++) ok = (i == 4 || i == 7) ? s[i] == '-' : is_digit(s[i]);
        if (!ok) return fail(c, path, key, "dob must be YYYY, YYYY-MM or YYYY-MM-DD");
        dst = &p->dob;
    } else if (!strcmp(key, "type")) {
        char t[16];
        if (n >= sizeof t) return fail(c, path, key, "unknown party type");
        memcpy(t, s, n);
        t[n] = '\0';
        if (!strcmp(t, "person") || !strcmp(t, "individual")) p->schema = CP_SCHEMA_PERSON;
        else if (!strcmp(t, "organization") || !strcmp(t, "company") || !strcmp(t, "entity")) p->schema = CP_SCHEMA_ORGANIZATION;
        else if (!strcmp(t, "vessel")) p->schema = CP_SCHEMA_VESSEL;
        else if (!strcmp(t, "aircraft")) p->schema = CP_SCHEMA_AIRCRAFT;
        else return fail(c, path, key, "type must be person, organization, vessel or aircraft");
        return 0;
    } else {
        return fail(c, path, key, "unknown party key \"%s\"", key);
    }
    *dst = cp_request_strndup(r, s, n);
    return *dst ? 0 : nomem(c);
}

/* "8471.30", "8471 30 00" -> "84713000"; 2 to 10 digits (HS: 6 international
 * digits, national extensions to 8 or 10; WCO Harmonized System). */
static int add_hs(txn_ctx *c, cp_request *r, const char *s, size_t n, const char *path) {
    char buf[16];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.' || s[i] == ' ') continue;
        if (!is_digit(s[i]) || k >= 10) return fail(c, path, "hs_code", "HS code must be 2 to 10 digits (dots and spaces allowed)");
        buf[k++] = s[i];
    }
    if (k == 0) return 0;
    if (k < 2) return fail(c, path, "hs_code", "HS code must be 2 to 10 digits (dots and spaces allowed)");
    return cp_request_add_hs_code(r, buf, k) < 0 ? nomem(c) : 0;
}

static int check_top(txn_ctx *c, cp_request *r, const char *key, const char *s, size_t n, const char *path) {
    while (n && (*s == ' ' || *s == '\t')) s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) n--;
    if (!n) return 0;
    if (!strcmp(key, "currency")) {
        if (n != 3 || !is_upper(s[0]) || !is_upper(s[1]) || !is_upper(s[2]))
            return fail(c, path, key, "currency must be an ISO 4217 code in capitals");
        r->currency = cp_request_strndup(r, s, n);
    } else if (!strcmp(key, "amount")) {
        for (size_t i = 0; i < n; i++)
            if (!is_digit(s[i]) && s[i] != '.' && s[i] != ',')
                return fail(c, path, key, "amount must be digits with a decimal point");
        r->amount = cp_request_strndup(r, s, n);
    } else if (!strcmp(key, "value_date")) {
        int ok = n == 10;
        for (size_t i = 0; ok && i < n; i++) ok = (i == 4 || i == 7) ? s[i] == '-' : is_digit(s[i]);
        if (!ok) return fail(c, path, key, "value_date must be YYYY-MM-DD");
        r->value_date = cp_request_strndup(r, s, n);
    } else if (!strcmp(key, "id")) {
        r->message_id = cp_request_strndup(r, s, n);
    } else if (!strcmp(key, "type")) {
        r->type = cp_request_strndup(r, s, n);
    } else {
        cp_text_kind kind;
        if (!strcmp(key, "remittance")) kind = CP_TEXT_REMITTANCE;
        else if (!strcmp(key, "purpose")) kind = CP_TEXT_PURPOSE;
        else if (!strcmp(key, "bank_info")) kind = CP_TEXT_BANK_INFO;
        else if (!strcmp(key, "goods_description")) kind = CP_TEXT_GOODS;
        else {
            for (int i = 0; place_keys[i]; i++)
                if (!strcmp(key, place_keys[i]))
                    return cp_request_add_place(r, key, key, s, n, key_off(c, key)) ? 0 : nomem(c);
            return fail(c, path, key, "unknown key \"%s\"", key);
        }
        return cp_request_add_text(r, kind, key, s, n, key_off(c, key)) ? 0 : nomem(c);
    }
    return 0;
}

/* A transaction is screened by its parties: one without a debtor or creditor
 * that has a name, account or BIC would PASS with nothing screened
 * (docs/formats/transaction.md "Required"). Error at the transaction
 * (JSON: its path and object offset; CSV: its line). */
static int need_party(const txn_ctx *c, const cp_request *r, const char *path) {
    for (size_t i = 0; i < r->n_parties; i++) {
        const cp_party *p = &r->parties[i];
        if ((p->role == CP_ROLE_DEBTOR || p->role == CP_ROLE_CREDITOR) && (p->name || p->account || p->bic)) return 0;
    }
    return fail(c, path, NULL, "no party: a transaction needs a debtor or creditor with a name, account or BIC");
}

/* ------------------------------------------------------------ JSON */

static int json_party(txn_ctx *c, cp_request *r, json_t *o, cp_party_role role, int need_role, const char *path) {
    char kp[160];
    if (!json_is_object(o)) return fail(c, path, NULL, "%s must be an object", path);
    cp_party p;
    memset(&p, 0, sizeof p);
    p.role = role;
    p.field = path;
    p.schema = CP_SCHEMA_ANY;
    int have_role = 0;
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        snprintf(kp, sizeof kp, "%s.%s", path, k);
        if (!strcmp(k, "role")) {
            if (!need_role) return fail(c, kp, k, "\"role\" is only allowed in \"agents\" and \"parties\"");
            if (!json_is_string(v) || !role_of(json_string_value(v), json_string_length(v), &p.role))
                return fail(c, kp, k, "unknown role (debtor_agent, creditor_agent, intermediary, ...)");
            have_role = 1;
            continue;
        }
        if (!strcmp(k, "address") && json_is_array(v)) {
            size_t i;
            json_t *line;
            const char *acc = NULL;
            json_array_foreach(v, i, line) {
                if (!json_is_string(line)) return fail(c, kp, k, "address lines must be strings");
                const char *ls = json_string_value(line);
                size_t ll = json_string_length(line);
                size_t al = acc ? strlen(acc) : 0;
                char *nb = cp_arena_alloc(r->arena, al + 2 + ll + 1);
                if (!nb) return nomem(c);
                if (acc) memcpy(nb, acc, al), memcpy(nb + al, ", ", 2), al += 2;
                memcpy(nb + al, ls, ll);
                nb[al + ll] = '\0';
                acc = nb;
            }
            p.address = acc;
            continue;
        }
        if (json_is_null(v)) continue;
        if (!json_is_string(v)) return fail(c, kp, k, "%s must be a string", kp);
        if (party_set(c, r, &p, k, json_string_value(v), json_string_length(v), kp) < 0) return -1;
    }
    if (need_role && !have_role) return fail(c, path, NULL, "%s needs a \"role\"", path);
    char leaf[64];
    const char *dot = strrchr(path, '.');
    snprintf(leaf, sizeof leaf, "%s", dot ? dot + 1 : path);
    char *br = strchr(leaf, '[');
    if (br) *br = '\0';
    p.offset = key_off(c, leaf);
    if (!p.name && !p.bic && !p.account && !p.other_id && !p.lei && !p.address) return 0;
    return cp_request_add_party(r, &p) ? 0 : nomem(c);
}

static int json_txn(txn_ctx *c, cp_request *r, json_t *o, const char *prefix) {
    char kp[160];
    if (!json_is_object(o)) return fail(c, prefix[0] ? prefix : "(root)", NULL, "a transaction must be a JSON object");
    r->format = "json";
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        snprintf(kp, sizeof kp, "%s%s%s", prefix, prefix[0] ? "." : "", k);
        cp_party_role role;
        if (json_is_null(v)) continue;
        if (role_of(k, strlen(k), &role)) {
            if (json_party(c, r, v, role, 0, kp) < 0) return -1;
        } else if (!strcmp(k, "agents") || !strcmp(k, "parties")) {
            if (!json_is_array(v)) return fail(c, kp, k, "%s must be an array", kp);
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                char ep[200];
                snprintf(ep, sizeof ep, "%s[%zu]", kp, i);
                if (json_party(c, r, e, CP_ROLE_OTHER_PARTY, 1, ep) < 0) return -1;
            }
        } else if (!strcmp(k, "goods")) {
            if (!json_is_array(v)) return fail(c, kp, k, "goods must be an array");
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                char ep[200];
                snprintf(ep, sizeof ep, "%s[%zu]", kp, i);
                if (!json_is_object(e)) return fail(c, ep, k, "a goods line must be an object");
                const char *gk;
                json_t *gv;
                json_object_foreach(e, gk, gv) {
                    char gp[240];
                    snprintf(gp, sizeof gp, "%s.%s", ep, gk);
                    if (json_is_null(gv)) continue;
                    if (!json_is_string(gv)) return fail(c, gp, gk, "%s must be a string", gp);
                    const char *s = json_string_value(gv);
                    size_t n = json_string_length(gv);
                    if (!strcmp(gk, "hs_code")) {
                        if (add_hs(c, r, s, n, gp) < 0) return -1;
                    } else if (!strcmp(gk, "description")) {
                        if (n && !cp_request_add_text(r, CP_TEXT_GOODS, "goods.description", s, n, key_off(c, gk))) return nomem(c);
                    } else {
                        return fail(c, gp, gk, "unknown goods key \"%s\" (hs_code, description)", gk);
                    }
                }
            }
        } else if (!strcmp(k, "ports")) {
            if (!json_is_object(v)) return fail(c, kp, k, "ports must be an object");
            const char *pk;
            json_t *pv;
            json_object_foreach(v, pk, pv) {
                char pp[240];
                snprintf(pp, sizeof pp, "%s.%s", kp, pk);
                int known = 0;
                for (int i = 0; place_keys[i]; i++) known |= !strcmp(pk, place_keys[i]);
                if (!known) return fail(c, pp, pk, "unknown place \"%s\"", pk);
                if (json_is_null(pv)) continue;
                if (!json_is_string(pv)) return fail(c, pp, pk, "%s must be a string", pp);
                if (json_string_length(pv) &&
                    !cp_request_add_place(r, pp, pk, json_string_value(pv), json_string_length(pv), key_off(c, pk)))
                    return nomem(c);
            }
        } else if (!strcmp(k, "texts")) {
            if (!json_is_array(v)) return fail(c, kp, k, "texts must be an array");
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                char ep[200];
                snprintf(ep, sizeof ep, "%s[%zu]", kp, i);
                static const char *const kinds[] = {"remittance", "bank_info", "goods", "documents", "conditions", "purpose", "other", NULL};
                json_t *kind = json_object_get(e, "kind"), *text = json_object_get(e, "text");
                if (!json_is_object(e) || !json_is_string(text) || json_object_size(e) != (kind ? 2u : 1u))
                    return fail(c, ep, k, "a text must be {\"kind\": ..., \"text\": \"...\"}");
                int ki = 6;
                if (kind) {
                    ki = -1;
                    for (int j = 0; kinds[j] && json_is_string(kind); j++)
                        if (!strcmp(kinds[j], json_string_value(kind))) ki = j;
                    if (ki < 0) return fail(c, ep, "kind", "unknown text kind");
                }
                if (json_string_length(text) &&
                    !cp_request_add_text(r, (cp_text_kind)ki, ep, json_string_value(text), json_string_length(text), key_off(c, "text")))
                    return nomem(c);
            }
        } else if (json_is_string(v)) {
            if (check_top(c, r, k, json_string_value(v), json_string_length(v), kp) < 0) return -1;
        } else if (!strcmp(k, "amount") && json_is_number(v)) {
            char nb[64];
            if (json_is_integer(v)) snprintf(nb, sizeof nb, "%lld", (long long)json_integer_value(v));
            else snprintf(nb, sizeof nb, "%.17g", json_real_value(v));
            if (check_top(c, r, k, nb, strlen(nb), kp) < 0) return -1;
        } else {
            /* unknown key or wrong type: check_top names unknown keys */
            if (check_top(c, r, k, "x", 1, kp) < 0) return -1;
            return fail(c, kp, k, "%s must be a string", kp);
        }
    }
    if (!r->type) r->type = "transaction";
    return need_party(c, r, prefix[0] ? prefix : "(root)");
}

/* Sets up c for one input of len bytes and checks its size: 0, or -1 with
 * err (via fail) for empty input or more than opts->max_bytes (default
 * CP_TXN_MAX_BYTES); `what` names the input in that error ("message"). */
static int txn_begin(txn_ctx *c, const char *data, size_t len, const cp_msg_opts *opts, cp_error *err,
                     const char *what) {
    memset(c, 0, sizeof *c);
    c->d = data;
    c->len = len;
    c->opts = opts;
    c->err = err;
    size_t max = opts && opts->max_bytes ? opts->max_bytes : CP_TXN_MAX_BYTES;
    if (!data || !len) return fail(c, NULL, NULL, "empty input");
    if (len > max) return fail(c, NULL, NULL, "%s of %zu bytes exceeds the maximum of %zu", what, len, max);
    return 0;
}

int cp_txn_parse_json(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    txn_ctx c;
    if (txn_begin(&c, data, len, opts, err, "message") < 0) return -1;
    json_error_t je;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!root) {
        cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, je.line, je.position, "JSON", "broken JSON: %s",
                     je.text);
        return -1;
    }
    size_t n0 = out->n;
    int rc = 0;
    if (json_is_array(root) && n0 + json_array_size(root) > CP_MSG_MAX_TRANSACTIONS) {
        rc = fail(&c, "(root)", NULL, "%zu transactions in one message: more than the maximum of %d",
                  json_array_size(root), CP_MSG_MAX_TRANSACTIONS);
        json_decref(root);
        return rc;
    }
    if (json_is_array(root)) {
        /* element offsets: scan the raw array for each top-level element */
        size_t i, pos = 0;
        while (pos < len && data[pos] != '[') pos++;
        pos++;
        json_t *e;
        json_array_foreach(root, i, e) {
            while (pos < len && (data[pos] == ' ' || data[pos] == '\n' || data[pos] == '\r' || data[pos] == '\t' || data[pos] == ','))
                pos++;
            c.obj_off = pos;
            /* skip this element */
            size_t depth = 0;
            int in_str = 0;
            for (; pos < len; pos++) {
                char ch = data[pos];
                if (in_str) {
                    if (ch == '\\') pos++;
                    else if (ch == '"') in_str = 0;
                    continue;
                }
                if (ch == '"') in_str = 1;
                else if (ch == '{' || ch == '[') depth++;
                else if ((ch == '}' || ch == ']') && --depth == 0) {
                    pos++;
                    break;
                }
            }
            char pfx[32];
            snprintf(pfx, sizeof pfx, "[%zu]", i);
            cp_request *r = cp_request_list_push(out);
            if (!r) {
                rc = nomem(&c);
                break;
            }
            if ((rc = json_txn(&c, r, e, pfx)) < 0) break;
        }
        if (rc == 0 && json_array_size(root) == 0) rc = fail(&c, "(root)", NULL, "empty array: no transaction");
    } else {
        cp_request *r = cp_request_list_push(out);
        rc = r ? json_txn(&c, r, root, "") : nomem(&c);
    }
    json_decref(root);
    if (rc < 0) cp_request_list_truncate(out, n0);
    return rc;
}

/* ------------------------------------------------------------ CSV */

enum { MAX_COLS = 256 };

static const char *const csv_party_keys[] = {"name", "address", "country", "town", "bic", "account", "lei",
                                             "other_id", "dob", "type", NULL};

typedef struct csv_col {
    int kind;              /* 0 top-level key, 1 party key, 2 hs_codes */
    cp_party_role role;
    char key[32];
    char name[64];
} csv_col;

int cp_txn_parse_csv(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    txn_ctx c;
    if (txn_begin(&c, data, len, opts, err, "input") < 0) return -1;
    /* delimiter from the header line */
    size_t commas = 0, semis = 0, tabs = 0;
    for (size_t i = 0; i < len && data[i] != '\n'; i++)
        commas += data[i] == ',', semis += data[i] == ';', tabs += data[i] == '\t';
    char delim = tabs > commas && tabs > semis ? '\t' : semis > commas ? ';' : ',';
    cp_csv rd;
    cp_csv_init(&rd, data, len, delim, opts ? opts->file : NULL);
    csv_col *cols = NULL;
    size_t ncols = 0, n0 = out->n;
    int rc = cp_csv_next(&rd, err);
    if (rc <= 0) {
        if (rc == 0) fail(&c, NULL, NULL, "no header row");
        cp_csv_free(&rd);
        return -1;
    }
    rc = 0;
    if (rd.nfields > MAX_COLS) {
        rc = fail(&c, NULL, NULL, "more than %d columns", MAX_COLS);
        goto done;
    }
    cols = calloc(rd.nfields, sizeof *cols);
    if (!cols) {
        rc = nomem(&c);
        goto done;
    }
    ncols = rd.nfields;
    int have_id = 0;
    c.line = rd.line;
    for (size_t i = 0; i < ncols; i++) {
        cp_slice h = cp_slice_trim(rd.fields[i]);
        if (i == 0 && h.len >= 3 && (unsigned char)h.p[0] == 0xEF) h.p += 3, h.len -= 3; /* BOM */
        if (h.len >= sizeof cols[i].name) {
            rc = fail(&c, "header", NULL, "column name too long (column %zu)", i + 1);
            goto done;
        }
        memcpy(cols[i].name, h.p, h.len);
        cols[i].name[h.len] = '\0';
        const char *nm = cols[i].name;
        c.obj_off = (size_t)rd.offset;
        if (!strcmp(nm, "hs_codes")) {
            cols[i].kind = 2;
            continue;
        }
        int found = 0;
        for (int r = 0; role_keys[r] && !found; r++) {
            size_t rl = strlen(role_keys[r]);
            if (!strncmp(nm, role_keys[r], rl) && nm[rl] == '_')
                for (int k = 0; csv_party_keys[k]; k++)
                    if (!strcmp(nm + rl + 1, csv_party_keys[k])) {
                        cols[i].kind = 1;
                        cols[i].role = (cp_party_role)r;
                        snprintf(cols[i].key, sizeof cols[i].key, "%s", csv_party_keys[k]);
                        found = 1;
                        break;
                    }
        }
        if (found) continue;
        static const char *const top[] = {"id", "type", "currency", "amount", "value_date", "remittance", "purpose",
                                          "bank_info", "goods_description", "port_of_loading", "port_of_discharge",
                                          "place_of_receipt", "final_destination", "place_of_expiry", NULL};
        const char *known = NULL;
        for (int k = 0; top[k]; k++)
            if (!strcmp(nm, top[k])) known = top[k];
        if (!known) {
            rc = fail(&c, nm, NULL, "unknown column \"%s\" (docs/formats/transaction.md)", nm);
            goto done;
        }
        cols[i].kind = 0;
        snprintf(cols[i].key, sizeof cols[i].key, "%s", known);
        if (!strcmp(nm, "id")) have_id = 1;
    }
    if (!have_id) {
        rc = fail(&c, "id", NULL, "the header needs an \"id\" column");
        goto done;
    }
    int got;
    while ((got = cp_csv_next(&rd, err)) == 1) {
        c.line = rd.line;
        c.obj_off = (size_t)rd.offset;
        if (rd.nfields != ncols) {
            rc = fail(&c, NULL, NULL, "row has %zu fields, the header has %zu", rd.nfields, ncols);
            goto done;
        }
        if (out->n >= CP_MSG_MAX_TRANSACTIONS) {
            rc = fail(&c, NULL, NULL, "more than %d transactions in one message (rows)", CP_MSG_MAX_TRANSACTIONS);
            goto done;
        }
        cp_request *r = cp_request_list_push(out);
        if (!r) {
            rc = nomem(&c);
            goto done;
        }
        r->format = "csv";
        cp_party parties[CP_ROLE__COUNT];
        int used[CP_ROLE__COUNT] = {0};
        memset(parties, 0, sizeof parties);
        for (size_t i = 0; i < ncols; i++) {
            cp_slice v = rd.fields[i];
            if (cols[i].kind == 0) {
                rc = check_top(&c, r, cols[i].key, v.p, v.len, cols[i].name);
            } else if (cols[i].kind == 2) {
                size_t s = 0;
                for (size_t j = 0; j <= v.len && rc == 0; j++)
                    if (j == v.len || v.p[j] == '|') {
                        rc = add_hs(&c, r, v.p + s, j - s, cols[i].name);
                        s = j + 1;
                    }
            } else {
                cp_party *p = &parties[cols[i].role];
                p->role = cols[i].role;
                rc = party_set(&c, r, p, cols[i].key, v.p, v.len, cols[i].name);
                used[cols[i].role] = 1;
            }
            if (rc < 0) goto done;
        }
        for (int k = 0; k < CP_ROLE__COUNT; k++) {
            cp_party *p = &parties[k];
            if (!used[k] || (!p->name && !p->bic && !p->account && !p->other_id && !p->lei && !p->address)) continue;
            p->field = role_keys[k];
            p->offset = (long)rd.offset;
            if (!cp_request_add_party(r, p)) {
                rc = nomem(&c);
                goto done;
            }
        }
        if (!r->type) r->type = "transaction";
        if (!r->message_id) {
            rc = fail(&c, "id", NULL, "empty id");
            goto done;
        }
        if ((rc = need_party(&c, r, "debtor_name")) < 0) goto done;
    }
    if (got < 0) rc = -1;
    else if (out->n == n0) rc = fail(&c, NULL, NULL, "no transaction rows after the header");
done:
    free(cols);
    cp_csv_free(&rd);
    if (rc < 0) cp_request_list_truncate(out, n0);
    return rc;
}
