/* Candidate-retrieval index: see index.h and docs/index.md. */
#include "index/index.h"
#include "core/arena.h"
#include "core/error.h"
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cp_index {
    cp_arena *arena;          /* prepared names */
    cp_idx_name *names;       /* malloc'd, n_names */
    size_t n_names;
    cp_idx_entity *ents;      /* malloc'd, n_ents */
    size_t n_ents;
    /* Posting table: open addressing on the 64-bit key hash (0 = empty slot). */
    uint64_t *khash;
    uint32_t *koff, *kcnt;
    size_t kcap, nkeys, n_id_keys;
    uint32_t *post;           /* all posting lists, concatenated */
    size_t n_post;
    double build_seconds;
};

size_t cp_index_name_count(const cp_index *ix) { return ix ? ix->n_names : 0; }
const cp_idx_name *cp_index_name(const cp_index *ix, uint32_t i) { return &ix->names[i]; }
const cp_idx_entity *cp_index_entity(const cp_index *ix, uint32_t s) { return &ix->ents[s]; }

uint64_t cp_idx_key(int ns, const char *s, size_t len) {
    uint64_t h = 1469598103934665603ull;
    h ^= (unsigned char)ns;
    h *= 1099511628211ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    /* final mix so that the low bits (table slot) depend on every byte */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h ? h : 1;
}

static size_t slot_of(const uint64_t *khash, size_t cap, uint64_t key) {
    size_t i = (size_t)key & (cap - 1);
    while (khash[i] && khash[i] != key) i = (i + 1) & (cap - 1);
    return i;
}

const uint32_t *cp_index_postings(const cp_index *ix, uint64_t key, uint32_t *n) {
    *n = 0;
    if (!ix || !ix->kcap) return NULL;
    size_t i = slot_of(ix->khash, ix->kcap, key);
    if (!ix->khash[i]) return NULL;
    *n = ix->kcnt[i];
    return ix->post + ix->koff[i];
}

size_t cp_idx_norm_id(const char *s, size_t len, char *out, size_t cap) {
    size_t n = 0;
    if (cap == 0) return 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
            if (n + 1 >= cap || n >= CP_IDX_ID_MAX) return out[0] = 0, 0;
            out[n++] = (char)c;
        }
    }
    out[n] = 0;
    /* "IMO 9179834" -> "9179834" (IMO numbers are 7 digits, IMO Res. A.1117(30)) */
    if (n > 3 && memcmp(out, "IMO", 3) == 0) {
        int digits = 1;
        for (size_t i = 3; i < n; i++)
            if (out[i] < '0' || out[i] > '9') digits = 0;
        if (digits) {
            memmove(out, out + 3, n - 3 + 1);
            n -= 3;
        }
    }
    if (n < CP_IDX_ID_MIN) return out[0] = 0, 0;
    return n;
}

/* ---- build ---- */

enum { KEYBUF = 2048 };

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Posting keys of one prepared name into buf (sorted, unique); returns count. */
static size_t name_keys(const cp_pname *pn, uint64_t *buf) {
    size_t n = 0;
    char tmp[512];
    for (size_t i = 0; i < pn->n_tokens && n + 64 < KEYBUF; i++) {
        const char *t = pn->tokens[i];
        size_t lt = pn->tok_len[i];
        buf[n++] = cp_idx_key(CP_IDX_NS_TOKEN, t, lt);
        if (pn->keys && pn->keys[i]) buf[n++] = cp_idx_key(CP_IDX_NS_PHON, pn->keys[i], strlen(pn->keys[i]));
        if (lt >= CP_IDX_DEL_MIN && lt <= CP_IDX_DEL_MAX && !(pn->flags[i] & CP_TOK_NUMBER)) {
            buf[n++] = cp_idx_key(CP_IDX_NS_VAR, t, lt);
            for (size_t d = 0; d < lt; d++) {
                if (d > 0 && t[d] == t[d - 1]) continue; /* same variant as deleting d-1 */
                memcpy(tmp, t, d);
                memcpy(tmp + d, t + d + 1, lt - d - 1);
                buf[n++] = cp_idx_key(CP_IDX_NS_VAR, tmp, lt - 1);
            }
        }
        if (i + 1 < pn->n_tokens) {
            size_t l2 = pn->tok_len[i + 1];
            if (lt + l2 < sizeof tmp) {
                memcpy(tmp, t, lt);
                memcpy(tmp + lt, pn->tokens[i + 1], l2);
                buf[n++] = cp_idx_key(CP_IDX_NS_TOKEN, tmp, lt + l2);
            }
            if (pn->keys && pn->keys[i] && pn->keys[i + 1]) {
                size_t k1 = strlen(pn->keys[i]), k2 = strlen(pn->keys[i + 1]);
                if (k1 + k2 < sizeof tmp) {
                    memcpy(tmp, pn->keys[i], k1);
                    memcpy(tmp + k1, pn->keys[i + 1], k2);
                    buf[n++] = cp_idx_key(CP_IDX_NS_PHON, tmp, k1 + k2);
                }
            }
        }
    }
    qsort(buf, n, sizeof *buf, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || buf[u - 1] != buf[i]) buf[u++] = buf[i];
    return u;
}

/* Identifier facts indexed for exact matching. */
static int is_id_fact(cp_fact_type t) {
    switch (t) {
    case CP_FACT_PASSPORT: case CP_FACT_NATIONAL_ID: case CP_FACT_TAX_ID: case CP_FACT_REGISTRATION:
    case CP_FACT_LEI: case CP_FACT_BIC: case CP_FACT_IMO: case CP_FACT_MMSI: case CP_FACT_CALL_SIGN:
    case CP_FACT_AIRCRAFT: case CP_FACT_CRYPTO: case CP_FACT_OTHER_ID:
        return 1;
    default:
        return 0;
    }
}

/* Identifier keys of one entity (sorted, unique). A BIC of 11 characters is
 * also indexed as its 8-character BIC (ISO 9362: branch "XXX" = head office). */
static size_t entity_id_keys(const cp_entity *ent, uint64_t *buf) {
    size_t n = 0;
    char norm[CP_IDX_ID_MAX + 8];
    for (uint32_t f = 0; f < ent->n_facts && n + 2 < KEYBUF; f++) {
        const cp_fact *fa = &ent->facts[f];
        if (!is_id_fact(fa->type) || !fa->value) continue;
        size_t l = cp_idx_norm_id(fa->value, strlen(fa->value), norm, sizeof norm);
        if (!l) continue;
        buf[n++] = cp_idx_key(CP_IDX_NS_ID, norm, l);
        if (fa->type == CP_FACT_BIC && l == 11) buf[n++] = cp_idx_key(CP_IDX_NS_ID, norm, 8);
    }
    qsort(buf, n, sizeof *buf, cmp_u64);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (u == 0 || buf[u - 1] != buf[i]) buf[u++] = buf[i];
    return u;
}

/* Adds one occurrence of key (pass 1). Grows the table at 50% load. */
static int count_key(cp_index *ix, uint64_t key) {
    if ((ix->nkeys + 1) * 2 > ix->kcap) {
        size_t nc = ix->kcap ? ix->kcap * 2 : (size_t)1 << 16;
        uint64_t *nh = calloc(nc, sizeof *nh);
        uint32_t *nn = calloc(nc, sizeof *nn);
        if (!nh || !nn) {
            free(nh);
            free(nn);
            return -1;
        }
        for (size_t i = 0; i < ix->kcap; i++) {
            if (!ix->khash[i]) continue;
            size_t j = slot_of(nh, nc, ix->khash[i]);
            nh[j] = ix->khash[i];
            nn[j] = ix->kcnt[i];
        }
        free(ix->khash);
        free(ix->kcnt);
        ix->khash = nh;
        ix->kcnt = nn;
        ix->kcap = nc;
    }
    size_t s = slot_of(ix->khash, ix->kcap, key);
    if (!ix->khash[s]) {
        ix->khash[s] = key;
        ix->nkeys++;
    }
    ix->kcnt[s]++;
    return 0;
}

static void add_posting(cp_index *ix, uint64_t key, uint32_t id) {
    size_t s = slot_of(ix->khash, ix->kcap, key);
    ix->post[ix->koff[s] + ix->kcnt[s]++] = id;
}

/* Deep-copies a prepared name into the index arena (cp_name_prepare uses its
 * arena for scratch too; the copy keeps only what matching reads). Tokens
 * and keys are packed into one string block. 0, or -1 on OOM. */
_Static_assert(sizeof(cp_pname) == offsetof(cp_pname, joined_len) + sizeof(size_t),
               "cp_pname changed (src/match/name.h): update pname_copy");
static int pname_copy(cp_arena *a, const cp_pname *src, cp_pname *dst) {
    size_t n = src->n_tokens, bytes = 0;
    memset(dst, 0, sizeof *dst);
    for (size_t i = 0; i < n; i++)
        bytes += (size_t)src->tok_len[i] + 1 + (src->keys && src->keys[i] ? strlen(src->keys[i]) + 1 : 0);
    size_t jl = src->joined ? src->joined_len + 1 : 0;
    bytes += jl;
    char *blk = cp_arena_alloc(a, bytes + 1);
    const char **toks = cp_arena_alloc(a, (n ? n : 1) * 2 * sizeof *toks);
    uint8_t *meta = cp_arena_alloc(a, (n ? n : 1) * 3);
    if (!blk || !toks || !meta) return -1;
    dst->n_tokens = n;
    dst->tokens = toks;
    dst->keys = toks + n;
    dst->tok_len = meta;
    dst->flags = meta + n;
    dst->key_len = meta + 2 * n;
    dst->script = src->script;
    dst->n_strong = src->n_strong;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        memcpy(blk + o, src->tokens[i], src->tok_len[i]);
        blk[o + src->tok_len[i]] = 0;
        toks[i] = blk + o;
        o += (size_t)src->tok_len[i] + 1;
        meta[i] = src->tok_len[i];
        meta[n + i] = src->flags[i];
        if (src->keys && src->keys[i]) {
            size_t kl = strlen(src->keys[i]);
            memcpy(blk + o, src->keys[i], kl + 1);
            toks[n + i] = blk + o;
            meta[2 * n + i] = (uint8_t)(kl < 255 ? kl : 255);
            o += kl + 1;
        } else {
            toks[n + i] = NULL;
        }
    }
    if (jl) {
        memcpy(blk + o, src->joined, jl - 1);
        blk[o + jl - 1] = 0;
        dst->joined = blk + o;
        dst->joined_len = jl - 1;
    } else {
        dst->joined = blk + o; /* "" */
        blk[o] = 0;
    }
    return 0;
}

/* Hash and equality of a prepared name with its entity schema (for
 * cp_idx_name.canon): every field cp_name_score reads. */
static uint64_t pname_hash(const cp_pname *pn, int schema) {
    uint64_t h = 1469598103934665603ull;
#define MIX(b) (h ^= (uint64_t)(b), h *= 1099511628211ull)
    MIX(schema);
    MIX(pn->script);
    MIX(pn->n_tokens);
    for (size_t i = 0; i < pn->n_tokens; i++) {
        for (size_t k = 0; k < pn->tok_len[i]; k++) MIX((unsigned char)pn->tokens[i][k]);
        MIX(0x100u + pn->flags[i]);
        if (pn->keys[i])
            for (const char *k = pn->keys[i]; *k; k++) MIX((unsigned char)*k);
        MIX(0x200u);
    }
    for (size_t k = 0; k < pn->joined_len; k++) MIX((unsigned char)pn->joined[k]);
#undef MIX
    return h ? h : 1;
}

static int pname_equal(const cp_pname *a, const cp_pname *b) {
    if (a->n_tokens != b->n_tokens || a->script != b->script || a->n_strong != b->n_strong ||
        a->joined_len != b->joined_len || memcmp(a->joined, b->joined, a->joined_len) != 0)
        return 0;
    for (size_t i = 0; i < a->n_tokens; i++) {
        if (a->tok_len[i] != b->tok_len[i] || a->flags[i] != b->flags[i] || a->key_len[i] != b->key_len[i] ||
            memcmp(a->tokens[i], b->tokens[i], a->tok_len[i]) != 0)
            return 0;
        if (!a->keys[i] != !b->keys[i] || (a->keys[i] && strcmp(a->keys[i], b->keys[i]) != 0)) return 0;
    }
    return 1;
}

/* Fills names[].canon (see index.h). 0, or -1 on OOM. */
static int assign_canon(cp_index *ix, const cp_engine *e) {
    size_t cap = 16;
    while (cap < ix->n_names * 2) cap *= 2;
    uint64_t *hk = calloc(cap, sizeof *hk);
    uint32_t *hid = malloc(cap * sizeof *hid);
    if (!hk || !hid) {
        free(hk);
        free(hid);
        return -1;
    }
    for (uint32_t id = 0; id < ix->n_names; id++) {
        cp_idx_name *nm = &ix->names[id];
        int sch = (int)cp_list_entity(e->lists[nm->list], nm->entity)->schema;
        uint64_t h = pname_hash(&nm->pn, sch);
        nm->canon = id;
        size_t i = (size_t)h & (cap - 1);
        for (; hk[i]; i = (i + 1) & (cap - 1)) {
            if (hk[i] != h) continue;
            const cp_idx_name *o = &ix->names[hid[i]];
            if ((int)cp_list_entity(e->lists[o->list], o->entity)->schema == sch && pname_equal(&o->pn, &nm->pn)) {
                nm->canon = hid[i];
                break;
            }
        }
        if (!hk[i]) { /* first of its kind (or a hash collision with a different name: stays its own) */
            hk[i] = h;
            hid[i] = id;
        }
    }
    free(hk);
    free(hid);
    return 0;
}

static double mono_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cp_index_free(cp_index *ix) {
    if (!ix) return;
    cp_arena_free(ix->arena);
    free(ix->names);
    free(ix->ents);
    free(ix->khash);
    free(ix->koff);
    free(ix->kcnt);
    free(ix->post);
    free(ix);
}

cp_index *cp_index_build(const cp_engine *e, cp_error *err) {
    double t0 = mono_seconds();
    if (!e) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "cp_index_build: NULL engine");
        return NULL;
    }
    cp_index *ix = calloc(1, sizeof *ix);
    cp_normalizer *norm = NULL;
    cp_arena *scratch = NULL;
    uint64_t *kb = malloc(KEYBUF * sizeof *kb);
    if (!ix || !kb || !(ix->arena = cp_arena_new())) goto oom;

    size_t n_names = 0, n_ents = 0;
    for (size_t l = 0; l < e->n_lists; l++) {
        size_t ne = cp_list_count(e->lists[l]);
        n_ents += ne;
        for (size_t i = 0; i < ne; i++) n_names += cp_list_entity(e->lists[l], i)->n_names;
    }
    if (n_names >= UINT32_MAX / 2 || n_ents >= UINT32_MAX / 2) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "index: too many names (%zu)", n_names);
        goto fail;
    }
    ix->names = malloc((n_names ? n_names : 1) * sizeof *ix->names);
    ix->ents = malloc((n_ents ? n_ents : 1) * sizeof *ix->ents);
    if (!ix->names || !ix->ents) goto oom;
    if (!(norm = cp_normalizer_new(err))) goto fail;
    if (!(scratch = cp_arena_new())) goto oom;

    /* Prepare every name; pass 1: count postings per key. */
    for (size_t l = 0; l < e->n_lists; l++) {
        const cp_list *li = e->lists[l];
        for (size_t i = 0; i < cp_list_count(li); i++) {
            const cp_entity *ent = cp_list_entity(li, i);
            uint32_t seq = (uint32_t)ix->n_ents++;
            ix->ents[seq].list = (uint32_t)l;
            ix->ents[seq].entity = (uint32_t)i;
            ix->ents[seq].first_name = (uint32_t)ix->n_names;
            ix->ents[seq].n_names = ent->n_names;
            for (uint32_t k = 0; k < ent->n_names; k++) {
                cp_idx_name *nm = &ix->names[ix->n_names];
                memset(nm, 0, sizeof *nm);
                nm->list = (uint32_t)l;
                nm->entity = (uint32_t)i;
                nm->name = k;
                nm->ent_seq = seq;
                nm->kind = (uint8_t)ent->names[k].kind;
                const char *t = ent->names[k].text;
                cp_pname tmp;
                if (cp_arena_used(scratch) > ((size_t)8 << 20)) {
                    cp_arena_free(scratch);
                    if (!(scratch = cp_arena_new())) goto oom;
                }
                if (cp_name_prepare(norm, t, strlen(t), ent->schema, scratch, &tmp, err) != 0) goto fail;
                if (pname_copy(ix->arena, &tmp, &nm->pn) != 0) goto oom;
                ix->n_names++;
                size_t nk = name_keys(&nm->pn, kb);
                for (size_t j = 0; j < nk; j++)
                    if (count_key(ix, kb[j]) != 0) goto oom;
            }
            size_t nk = entity_id_keys(ent, kb);
            for (size_t j = 0; j < nk; j++) {
                size_t before = ix->nkeys;
                if (count_key(ix, kb[j]) != 0) goto oom;
                ix->n_id_keys += ix->nkeys - before;
            }
        }
    }

    if (assign_canon(ix, e) != 0) goto oom;

    /* Offsets, then pass 2: fill postings in ascending id order. */
    if (!ix->kcap && count_key(ix, cp_idx_key(0, "", 0)) != 0) goto oom; /* never empty */
    ix->koff = malloc(ix->kcap * sizeof *ix->koff);
    if (!ix->koff) goto oom;
    size_t total = 0;
    for (size_t s = 0; s < ix->kcap; s++) {
        ix->koff[s] = (uint32_t)total;
        total += ix->kcnt[s];
        ix->kcnt[s] = 0;
    }
    if (total >= UINT32_MAX) {
        cp_error_set(err, CP_ERR_ARG, NULL, 0, -1, NULL, "index: too many postings (%zu)", total);
        goto fail;
    }
    ix->n_post = total;
    ix->post = malloc((total ? total : 1) * sizeof *ix->post);
    if (!ix->post) goto oom;
    for (uint32_t id = 0; id < ix->n_names; id++) {
        size_t nk = name_keys(&ix->names[id].pn, kb);
        for (size_t j = 0; j < nk; j++) add_posting(ix, kb[j], id);
    }
    for (uint32_t seq = 0; seq < ix->n_ents; seq++) {
        const cp_entity *ent = cp_list_entity(e->lists[ix->ents[seq].list], ix->ents[seq].entity);
        size_t nk = entity_id_keys(ent, kb);
        for (size_t j = 0; j < nk; j++) add_posting(ix, kb[j], seq);
    }
    cp_normalizer_free(norm);
    cp_arena_free(scratch);
    free(kb);
    ix->build_seconds = mono_seconds() - t0;
    return ix;
oom:
    cp_error_set(err, CP_ERR_NOMEM, NULL, 0, -1, NULL, "index: out of memory");
fail:
    cp_normalizer_free(norm);
    cp_arena_free(scratch);
    free(kb);
    cp_index_free(ix);
    return NULL;
}

void cp_index_get_stats(const cp_index *ix, cp_index_stats *st) {
    memset(st, 0, sizeof *st);
    if (!ix) return;
    st->names = ix->n_names;
    st->entities = ix->n_ents;
    st->keys = ix->nkeys;
    st->id_keys = ix->n_id_keys;
    st->postings = ix->n_post;
    st->bytes = cp_arena_used(ix->arena) + ix->n_names * sizeof *ix->names +
                ix->n_ents * sizeof *ix->ents + ix->kcap * (sizeof(uint64_t) + 2 * sizeof(uint32_t)) +
                ix->n_post * sizeof(uint32_t);
    st->build_seconds = ix->build_seconds;
}
