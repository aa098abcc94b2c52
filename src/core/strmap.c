#include "core/strmap.h"
#include "core/arena.h"
#include <stdlib.h>
#include <string.h>

typedef struct slot {
    const char *key;  /* NULL: empty */
    uint32_t len, value;
    uint64_t hash;
} slot;

struct cp_strmap {
    slot *slots;
    size_t cap, count;
    cp_arena *keys;
};

uint64_t cp_hash_bytes(const void *p, size_t len) {
    const unsigned char *s = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= s[i];
        h *= 1099511628211ull;
    }
    return h;
}

cp_strmap *cp_strmap_new(void) {
    cp_strmap *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->cap = 64;
    m->slots = calloc(m->cap, sizeof(slot));
    m->keys = cp_arena_new();
    if (!m->slots || !m->keys) {
        cp_strmap_free(m);
        return NULL;
    }
    return m;
}

void cp_strmap_free(cp_strmap *m) {
    if (!m) return;
    free(m->slots);
    cp_arena_free(m->keys);
    free(m);
}

static slot *find(slot *slots, size_t cap, const char *key, size_t len, uint64_t h) {
    size_t i = (size_t)h & (cap - 1);
    for (;;) {
        slot *s = &slots[i];
        if (!s->key || (s->hash == h && s->len == len && memcmp(s->key, key, len) == 0)) return s;
        i = (i + 1) & (cap - 1);
    }
}

int cp_strmap_put(cp_strmap *m, const char *key, size_t len, uint32_t value) {
    if ((m->count + 1) * 4 > m->cap * 3) {
        size_t nc = m->cap * 2;
        slot *ns = calloc(nc, sizeof(slot));
        if (!ns) return -1;
        for (size_t i = 0; i < m->cap; i++)
            if (m->slots[i].key) *find(ns, nc, m->slots[i].key, m->slots[i].len, m->slots[i].hash) = m->slots[i];
        free(m->slots);
        m->slots = ns;
        m->cap = nc;
    }
    uint64_t h = cp_hash_bytes(key, len);
    slot *s = find(m->slots, m->cap, key, len, h);
    if (!s->key) {
        char *k = cp_arena_strndup(m->keys, key, len);
        if (!k) return -1;
        s->key = k;
        s->len = (uint32_t)len;
        s->hash = h;
        m->count++;
    }
    s->value = value;
    return 0;
}

int cp_strmap_get(const cp_strmap *m, const char *key, size_t len, uint32_t *value) {
    slot *s = find(m->slots, m->cap, key, len, cp_hash_bytes(key, len));
    if (!s->key) return 0;
    if (value) *value = s->value;
    return 1;
}

size_t cp_strmap_count(const cp_strmap *m) { return m->count; }
