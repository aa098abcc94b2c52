/* The screening pipeline, internal entry points (public API in
 * include/chokepoint.h "screening"). How a request is screened and which
 * rule fires when: docs/screening.md and docs/rules.md. */
#ifndef CP_SCREEN_SCREEN_H
#define CP_SCREEN_SCREEN_H
#include "chokepoint.h"
#include "geo/geo.h"
#include "goods/goods.h"
#include "msg/request.h"
#include "screen/policy.h"

/* Screens one parsed request: parties (names via cp_searcher, listed BICs,
 * BIC/IBAN countries, invalid IBANs), vessels (IMO numbers with check digit,
 * "MV <name>"), free-text names, goods (HS codes and terms: CHPL tier,
 * EO 14114 class), route (countries of parties, banks, accounts, LC places,
 * places in text, against the policy's jurisdiction sets), then the rules.
 * Returns a result (free with cp_screen_result_free) or NULL + err on OOM or
 * a search error. The request is not modified. Not thread-safe per screener. */
cp_screen_result *cp_screen_request(cp_screener *s, const cp_request *req, cp_error *err);

/* Check digit of an identifier against the type of the listed identifier
 * `fact` (LEI: ISO 17442 MOD 97-10; a Russian INN (10 or 12 digits) or OGRN
 * (13) / OGRNIP (15) when the fact's label says INN / OGRN). `key` is upper
 * case letters and digits. Returns 1 valid or no check digit defined for the
 * type, 0 invalid. Pure, thread-safe. */
struct cp_fact;
int cp_screen_id_check(const char *key, const struct cp_fact *fact);
#endif
