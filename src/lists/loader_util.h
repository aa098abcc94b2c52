/* Small helpers shared by the US CSL, BIS DPL and FtM loaders (cp_lu_):
 * date normalization to ISO 8601 and an organization hint
 * from legal-form words. Pure functions over pointer + length input: no
 * allocation, no global state, thread-safe. */
#ifndef CP_LISTS_LOADER_UTIL_H
#define CP_LISTS_LOADER_UTIL_H
#include <stddef.h>


enum { CP_LU_DATE_MAX = 24 };

/* Normalizes a published date to ISO 8601 (docs/entity-model.md):
 *   "2014-07-22", "1962", "1968-05"      kept as is
 *   "07 Jul 1966" / "7 JUL 1966"          -> "1966-07-07"
 *   "Sep 1938"                            -> "1938-09"
 *   "06/19/2003" (US MM/DD/YYYY, BIS DPL) -> "2003-06-19"
 *   "1963 to 1968"                        -> "1963..1968"
 *   "circa <date>"                        -> <date>, *circa = 1
 * Writes a NUL-terminated result to out[CP_LU_DATE_MAX] and returns its
 * length in bytes, or 0 when the text is not a recognised date (the caller
 * then keeps it as published). `circa` may be NULL. */
size_t cp_lu_date_iso(const char *s, size_t len, char out[CP_LU_DATE_MAX], int *circa);

/* 1 when the name contains a legal-form or organization word (LTD, LLC, INC,
 * CO., GMBH, AG, AB, S.A., S.L., JSC, OOO, PJSC, FZE, CORPORATION, COMPANY,
 * AIRLINES, TRADING, GROUP, ...; the full table is in loader_util.c and
 * docs/lists/us-bis-dpl.md) or an internet domain (".COM", ".NET"), else 0.
 * Tokens are compared ASCII case-insensitively, with dots removed
 * ("S.A." = "SA", "F.Z.E." = "FZE"). A heuristic for lists that do not say
 * whether a party is a person (BIS DPL, CSL rows with an empty type). */
int cp_lu_looks_org(const char *name, size_t len);
#endif
