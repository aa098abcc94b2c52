/* UTF-8 well-formedness (RFC 3629 / Unicode 15 table 3-7: no overlong forms,
 * no UTF-16 surrogates, nothing above U+10FFFF). Pure functions on byte
 * slices (need not be NUL-terminated); thread-safe. The one validator used by
 * the list loaders, message parsers, CLI and server. */
#ifndef CP_CORE_UTF8_H
#define CP_CORE_UTF8_H
#include <stddef.h>

/* Length in bytes (2..4) of the well-formed multi-byte sequence that starts
 * at s[0] (n > 0 bytes available), or 0 when s[0] does not start one (an
 * ASCII byte also gives 0). */
size_t cp_utf8_seq_len(const char *s, size_t n);

/* Byte offset of the first byte of s[0..len) that is not part of a
 * well-formed sequence, or len when all of it is valid UTF-8. */
size_t cp_utf8_invalid_at(const char *s, size_t len);
#endif
