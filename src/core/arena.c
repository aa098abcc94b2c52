#include "core/arena.h"
#include <stdlib.h>
#include <string.h>

typedef struct cp_block {
    struct cp_block *next;
    size_t cap, used;
    _Alignas(16) unsigned char data[];
} cp_block;

struct cp_arena {
    cp_block *head;
    size_t total;
    size_t next_block;   /* size of the next regular block: 4 KiB doubling to 1 MiB */
};

/* Blocks start small so that a per-request arena costs little, and grow to
 * CP_ARENA_BLOCK so that a list snapshot needs few mallocs. */
enum { CP_ARENA_FIRST = 4096, CP_ARENA_BLOCK = 1u << 20 };

cp_arena *cp_arena_new(void) { return calloc(1, sizeof(cp_arena)); }

void cp_arena_free(cp_arena *a) {
    if (!a) return;
    cp_block *b = a->head;
    while (b) {
        cp_block *n = b->next;
        free(b);
        b = n;
    }
    free(a);
}

void *cp_arena_alloc(cp_arena *a, size_t size) {
    size_t need = (size + 15u) & ~(size_t)15u;
    if (need < size) return NULL;
    cp_block *b = a->head;
    if (!b || b->cap - b->used < need) {
        if (a->next_block < CP_ARENA_FIRST) a->next_block = CP_ARENA_FIRST;
        size_t regular = a->next_block;
        size_t cap = need > regular / 4 ? need : regular;
        if (cap == regular && regular < CP_ARENA_BLOCK) a->next_block = regular * 2;
        cp_block *nb = malloc(sizeof(cp_block) + cap);
        if (!nb) return NULL;
        nb->cap = cap;
        nb->used = 0;
        if (b && need > regular / 4) { /* big: keep filling the current block */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    memset(p, 0, need);
    return p;
}

char *cp_arena_strndup(cp_arena *a, const char *s, size_t len) {
    char *p = cp_arena_alloc(a, len + 1);
    if (!p) return NULL;
    if (len) memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *cp_arena_strdup(cp_arena *a, const char *s) { return cp_arena_strndup(a, s, strlen(s)); }

size_t cp_arena_used(const cp_arena *a) { return a->total; }
