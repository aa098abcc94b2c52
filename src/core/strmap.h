/* cp_strmap: open-addressing hash map from byte strings to uint32 values
 * (FNV-1a, linear probing). Keys are copied into the map's own storage.
 * Not thread-safe for writers; concurrent readers are fine. */
#ifndef CP_CORE_STRMAP_H
#define CP_CORE_STRMAP_H
#include <stddef.h>
#include <stdint.h>

typedef struct cp_strmap cp_strmap;

cp_strmap *cp_strmap_new(void);            /* NULL on OOM */
void cp_strmap_free(cp_strmap *m);         /* accepts NULL */
/* Sets key -> value (overwrites). Returns 0, -1 on OOM. */
int cp_strmap_put(cp_strmap *m, const char *key, size_t len, uint32_t value);
/* Returns 1 and *value when present, else 0. */
int cp_strmap_get(const cp_strmap *m, const char *key, size_t len, uint32_t *value);
size_t cp_strmap_count(const cp_strmap *m);
uint64_t cp_hash_bytes(const void *p, size_t len);  /* FNV-1a 64 */
#endif
