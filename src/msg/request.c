#include "msg/request.h"
#include <stdlib.h>
#include <string.h>

typedef struct cp_request_full {
    cp_request pub;
    size_t cap_parties, cap_texts, cap_places, cap_hs;
    size_t cap_warnings;
} cp_request_full;

static const char *const role_names[CP_ROLE__COUNT] = {
    "debtor", "creditor", "ultimate_debtor", "ultimate_creditor", "initiating_party",
    "debtor_agent", "creditor_agent", "intermediary", "sender_correspondent",
    "receiver_correspondent", "instructing_agent", "instructed_agent", "other_party"};

const char *cp_party_role_name(cp_party_role r) {
    return (unsigned)r < CP_ROLE__COUNT ? role_names[r] : "unknown";
}

cp_request *cp_request_new(void) {
    cp_request_full *f = calloc(1, sizeof *f);
    if (!f) return NULL;
    f->pub.arena = cp_arena_new();
    if (!f->pub.arena) {
        free(f);
        return NULL;
    }
    return &f->pub;
}

void cp_request_free(cp_request *r) {
    if (!r) return;
    free(r->parties);
    free(r->texts);
    free(r->places);
    free(r->hs_codes);
    free(r->warnings);
    cp_arena_free(r->arena);
    free(r);
}

static int grow(void **p, size_t *cap, size_t need, size_t elem) {
    if (need <= *cap) return 0;
    size_t nc = *cap ? *cap * 2 : 8;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

const char *cp_request_strndup(cp_request *r, const char *s, size_t len) {
    return cp_arena_strndup(r->arena, s, len);
}

static const char *dup_opt(cp_request *r, const char *s) { return s ? cp_arena_strdup(r->arena, s) : NULL; }

cp_party *cp_request_add_party(cp_request *r, const cp_party *p) {
    cp_request_full *f = (cp_request_full *)r;
    if (grow((void **)&r->parties, &f->cap_parties, r->n_parties + 1, sizeof(cp_party)) < 0) return NULL;
    cp_party *q = &r->parties[r->n_parties];
    *q = *p;
    q->field = dup_opt(r, p->field);
    q->name = dup_opt(r, p->name);
    q->address = dup_opt(r, p->address);
    q->country = dup_opt(r, p->country);
    q->town = dup_opt(r, p->town);
    q->bic = dup_opt(r, p->bic);
    q->account = dup_opt(r, p->account);
    q->lei = dup_opt(r, p->lei);
    q->other_id = dup_opt(r, p->other_id);
    q->dob = dup_opt(r, p->dob);
    r->n_parties++;
    return q;
}

cp_text *cp_request_add_text(cp_request *r, cp_text_kind kind, const char *field, const char *text, size_t len,
                             long offset) {
    cp_request_full *f = (cp_request_full *)r;
    if (grow((void **)&r->texts, &f->cap_texts, r->n_texts + 1, sizeof(cp_text)) < 0) return NULL;
    cp_text *t = &r->texts[r->n_texts];
    t->kind = kind;
    t->field = dup_opt(r, field);
    t->text = cp_arena_strndup(r->arena, text, len);
    t->offset = offset;
    if (!t->text) return NULL;
    r->n_texts++;
    return t;
}

cp_place *cp_request_add_place(cp_request *r, const char *field, const char *label, const char *text, size_t len,
                               long offset) {
    cp_request_full *f = (cp_request_full *)r;
    if (grow((void **)&r->places, &f->cap_places, r->n_places + 1, sizeof(cp_place)) < 0) return NULL;
    cp_place *p = &r->places[r->n_places];
    p->field = dup_opt(r, field);
    p->label = dup_opt(r, label);
    p->text = cp_arena_strndup(r->arena, text, len);
    p->offset = offset;
    if (!p->text) return NULL;
    r->n_places++;
    return p;
}

int cp_request_add_hs_code(cp_request *r, const char *code, size_t len) {
    cp_request_full *f = (cp_request_full *)r;
    if (grow((void **)&r->hs_codes, &f->cap_hs, r->n_hs_codes + 1, sizeof(char *)) < 0) return -1;
    const char *c = cp_arena_strndup(r->arena, code, len);
    if (!c) return -1;
    r->hs_codes[r->n_hs_codes++] = c;
    return 0;
}

cp_parse_warning *cp_request_add_warning(cp_request *r, const char *field, long offset, const char *message) {
    cp_request_full *f = (cp_request_full *)r;
    if (grow((void **)&r->warnings, &f->cap_warnings, r->n_warnings + 1, sizeof(cp_parse_warning)) < 0) return NULL;
    cp_parse_warning *w = &r->warnings[r->n_warnings];
    w->field = dup_opt(r, field);
    w->offset = offset;
    w->message = dup_opt(r, message);
    if ((field && !w->field) || (message && !w->message)) return NULL;
    r->n_warnings++;
    return w;
}
