/* cp_arena: bump allocator for bulk data that lives and dies together
 * (a list snapshot, a request). Blocks are malloc'd; cp_arena_free releases
 * everything in one call. Not thread-safe: one arena per thread or per
 * read-only-after-build object. */
#ifndef CP_CORE_ARENA_H
#define CP_CORE_ARENA_H
#include <stddef.h>

typedef struct cp_arena cp_arena;

/* Returns a new empty arena, or NULL when out of memory. Free with cp_arena_free. */
cp_arena *cp_arena_new(void);
/* Frees every block; accepts NULL. */
void cp_arena_free(cp_arena *a);
/* Returns `size` bytes aligned to 16, zeroed, valid until cp_arena_free; NULL on OOM. */
void *cp_arena_alloc(cp_arena *a, size_t size);
/* Copies `len` bytes of `s` and appends a NUL; returns the copy, NULL on OOM. */
char *cp_arena_strndup(cp_arena *a, const char *s, size_t len);
/* cp_arena_strndup(a, s, strlen(s)); s may not be NULL. */
char *cp_arena_strdup(cp_arena *a, const char *s);
/* Total bytes handed out (for memory reports). */
size_t cp_arena_used(const cp_arena *a);
#endif
