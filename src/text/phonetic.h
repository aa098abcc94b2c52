/* phonetic.h: a romanization-independent key for one normalized token.
 *
 * The key canonicalizes the spellings that differ between romanization
 * systems of the same name (BGN/PCGN, ICAO 9303, GOST 7.79, ISO 9/scholarly,
 * German and French practice; Arabic transcriptions):
 *   shch/sch/sh -> s, tsch/tch/ch/cz -> c, zh/dzh/dj -> j, kh -> h,
 *   ph -> f, th -> t, ts/tz -> c, x -> ks, q -> k, ck -> k;
 *   initial ye/ie/je -> e, yu/iu/ju -> u, ya/ia/ja -> a, yo/io/jo -> o;
 *   endings -iy/-yy/-ij/-yj/-ii -> i;
 *   voiced/unvoiced pairs merged: v/w/f, d/t, z/s, b/p;
 *   then vowels after the first letter are dropped (a leading vowel becomes
 *   'a') and doubled letters collapsed.
 * So Vladimir = Wladimir = Volodymyr = Fladymyr ("fltmr"), Mohammed =
 * Muhammad = Mohamad ("mhmt"), Yevgeny = Jevgenij = Evgenii ("afkn"...).
 * The key is lossy on purpose: equal keys mean "possibly the same token";
 * the scorer combines it with the edit distance of the tokens themselves.
 * Pure function; thread-safe.
 */
#ifndef CP_TEXT_PHONETIC_H
#define CP_TEXT_PHONETIC_H
#include <stddef.h>

/* Writes the key of the lower-case ASCII token s (len bytes) into out (cap
 * bytes, NUL-terminated, cap >= 2). Tokens made of digits are copied as is.
 * Returns the key length in bytes. */
size_t cp_phonetic_key(const char *s, size_t len, char *out, size_t cap);

#endif
