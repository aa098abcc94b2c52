/* The candidate-retrieval index over every name of every loaded list
 * (layout and rationale: docs/index.md).
 *
 * Built once by cp_index_build (called by cp_engine_load after all lists are
 * finalized); immutable afterwards, so any number of threads may read it
 * without locks. All bulk data lives in the index's arena or in a few large
 * malloc'd arrays owned by the index; cp_index_free releases everything.
 *
 * What is indexed, per list name (primary, alias, weak alias, former):
 *  - the name prepared by cp_name_prepare (src/match/name.h) with the
 *    entity's schema: normalized lower-case ASCII tokens + phonetic keys;
 *  - posting keys (64-bit hashes, namespace byte + text):
 *      'T' each normalized token, and each concatenation of two adjacent
 *          tokens (so "Abdul Rahman" is also found as "Abdulrahman");
 *      'P' each token's phonetic key (romanization variants);
 *      'V' each token of >= CP_IDX_DEL_MIN bytes and every one-deletion
 *          variant of it (symmetric-deletion scheme: two tokens within one
 *          edit - insertion, deletion, substitution, adjacent transposition -
 *          share a 'V' key), for typos;
 *    A hash collision can only add a candidate (scoring then rejects it),
 *    never lose one.
 *  - identifiers (passport, national ID, tax ID, registration, LEI, BIC,
 *    IMO, MMSI, call sign, aircraft, crypto, other IDs) normalized by
 *    cp_idx_norm_id into an exact-match map to entities.
 */
#ifndef CP_INDEX_INDEX_H
#define CP_INDEX_INDEX_H
#include "engine.h"
#include "match/name.h"
#include <stddef.h>
#include <stdint.h>

enum {
    CP_IDX_DEL_MIN = 4,      /* tokens shorter than this (bytes) get no deletion variants */
    CP_IDX_DEL_MAX = 24,     /* ... nor tokens longer than this (their typos share other keys) */
    CP_IDX_ID_MAX = 64,      /* identifiers longer than this (normalized bytes) are not indexed */
    CP_IDX_ID_MIN = 4        /* ... nor shorter than this (too ambiguous: "12") */
};

/* Key namespaces (first byte hashed into a posting key). */
enum { CP_IDX_NS_TOKEN = 'T', CP_IDX_NS_PHON = 'P', CP_IDX_NS_VAR = 'V', CP_IDX_NS_ID = 'I' };

/* One indexed list name. */
typedef struct cp_idx_name {
    uint32_t list;      /* index into engine->lists */
    uint32_t entity;    /* entity index within that list */
    uint32_t name;      /* index into the entity's names[] */
    uint32_t ent_seq;   /* engine-wide entity number (cp_index_entity) */
    uint32_t canon;     /* the smallest name id whose entity schema and prepared name
                           (tokens, flags, phonetic keys, joined form, script) are identical
                           to this one (itself when none): such names score alike against
                           any query, so a search scores each canon once (the same name is
                           published by several lists: OFAC SDN, CSL, UK, UN) */
    uint8_t kind;       /* cp_name_kind */
    cp_pname pn;        /* prepared with the entity's schema; arena-owned */
} cp_idx_name;

/* An engine-wide entity reference. */
typedef struct cp_idx_entity {
    uint32_t list, entity;
    uint32_t first_name, n_names;  /* its names: ids first_name .. first_name+n_names-1 */
} cp_idx_entity;

typedef struct cp_index cp_index;

/* Number of indexed names and name i (no bounds check beyond i < count;
 * callers iterate within the count); entity by sequence number ent_seq (as
 * found in cp_idx_name). Thread-safe. */
size_t cp_index_name_count(const cp_index *ix);
const cp_idx_name *cp_index_name(const cp_index *ix, uint32_t i);
const cp_idx_entity *cp_index_entity(const cp_index *ix, uint32_t ent_seq);

/* Posting key hash of namespace `ns` and `len` bytes of `s` (FNV-1a 64). */
uint64_t cp_idx_key(int ns, const char *s, size_t len);

/* The posting list of `key`: *n name ids (ascending), or NULL/0 when the key
 * is absent. For CP_IDX_NS_ID keys the ids are entity numbers (ent_seq).
 * The array lives as long as the index. Thread-safe. */
const uint32_t *cp_index_postings(const cp_index *ix, uint64_t key, uint32_t *n);

/* Normalizes an identifier for exact matching: keeps ASCII letters and
 * digits, upper-cased (drops spaces, dashes, dots, slashes), and drops a
 * leading "IMO" label before digits (OFAC writes "IMO 9179834"). Writes at
 * most cap-1 bytes + NUL into out; returns the length, or 0 when the result
 * is shorter than CP_IDX_ID_MIN or longer than CP_IDX_ID_MAX (not indexed). */
size_t cp_idx_norm_id(const char *s, size_t len, char *out, size_t cap);

/* Index statistics (for bench/search.c and `chokepoint lists`). */
typedef struct cp_index_stats {
    size_t names, entities, keys, postings, id_keys;
    size_t bytes;           /* heap bytes owned by the index (arena + arrays) */
    double build_seconds;   /* wall time of cp_index_build (monotonic clock) */
} cp_index_stats;
void cp_index_get_stats(const cp_index *ix, cp_index_stats *st);

#endif
