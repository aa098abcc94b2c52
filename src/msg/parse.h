/* Message parsing, common part: options, the list of screening requests a
 * parser produces, and one entry point over a buffer holding one or more
 * messages of any supported format (SWIFT MT, ISO 20022 MX, JSON or CSV
 * transactions).
 *
 * Why a list: one message may carry several transactions (an MT101 with
 * several sequences B, a pain.001 with several CdtTrfTxInf, a CSV file with
 * several rows). Screening is per transaction, so every parser appends one
 * cp_request per transaction (docs/formats/mt.md, mx.md, transaction.md say how each format maps).
 *
 * Ownership: a cp_request_list owns the requests in it; cp_request_list_free
 * frees them all. Parsers never keep pointers into the input buffer: every
 * string of a request is copied into the request's arena.
 *
 * Offsets: party/text/place offsets are byte offsets into the message the
 * parser was given. Error offsets (cp_error.offset) are byte offsets into the
 * buffer given to the entry point (cp_msg_parse_all adds the message's
 * position in the file). Threads: all functions are reentrant; a list is
 * used by one thread at a time. */
#ifndef CP_MSG_PARSE_H
#define CP_MSG_PARSE_H
#include "chokepoint.h"
#include "msg/request.h"
#include <stddef.h>

/* Explicit maximums. A message (one RJE unit, one XML document, one JSON
 * value, one CSV file) larger than its maximum is rejected, not truncated. */
enum {
    /* SWIFT FIN user messages are at most 10,000 characters of text block
     * (SWIFT User Handbook, FIN Service Description); 64 KiB leaves room for
     * headers, trailers and a preceding ACK. */
    CP_MT_MAX_BYTES = 64 * 1024,
    CP_MT_MAX_FIELDS = 2000,        /* fields in block 4 */
    CP_MT_MAX_LINE = 1024,          /* bytes per block-4 line (SWIFT: 35/50/65 chars; we only cap) */
    CP_MT_MAX_PARTY_LINES = 10,     /* lines in one party field (SWIFT: account + 4 or 5 lines) */
    CP_MX_MAX_BYTES = 32 * 1024 * 1024,
    CP_MX_MAX_DEPTH = 64,           /* element nesting (CBPR+ documents are < 20 deep) */
    CP_TXN_MAX_BYTES = 32 * 1024 * 1024,
    CP_MSG_MAX_TRANSACTIONS = 100000 /* requests from one message */
};

typedef struct cp_msg_opts {
    size_t max_bytes;   /* 0: the format's default maximum above */
    int lenient;        /* 0 (default): strict where the standard is (MT: a tag not
                           defined for the message type is an error). 1: such
                           tags are ignored. Syntax errors are errors either way. */
    const char *file;   /* names the input in errors; may be NULL */
} cp_msg_opts;

typedef struct cp_request_list {
    cp_request **items;
    size_t n, cap;
} cp_request_list;

/* An empty list (also what a zeroed struct is). */
void cp_request_list_init(cp_request_list *l);
/* Frees every request and the array; the list is empty afterwards. NULL ok. */
void cp_request_list_free(cp_request_list *l);
/* Appends a new empty request (cp_request_new) and returns it, NULL on OOM
 * or when the list already holds CP_MSG_MAX_TRANSACTIONS requests. */
cp_request *cp_request_list_push(cp_request_list *l);
/* Frees the requests from index `n` on (used to undo a failed parse). */
void cp_request_list_truncate(cp_request_list *l, size_t n);

typedef enum cp_msg_format {
    CP_MSG_UNKNOWN = 0,
    CP_MSG_MT,     /* SWIFT FIN: {1:...}{2:...}{4:...-} */
    CP_MSG_MX,     /* ISO 20022 XML, with or without Envelope/AppHdr */
    CP_MSG_JSON,   /* docs/formats/transaction.md, JSON */
    CP_MSG_CSV     /* docs/formats/transaction.md, CSV */
} cp_msg_format;

/* "mt", "mx", "json", "csv", "unknown". */
const char *cp_msg_format_name(cp_msg_format f);
/* Parses a format name as above (case-insensitive); CP_MSG_UNKNOWN if none. */
cp_msg_format cp_msg_format_parse(const char *s);

/* Parses ONE message of format `f` (as delimited by cp_msg_next) and appends
 * its requests to `out`. Returns 0, or -1 with err filled (nothing appended).
 * opts may be NULL (defaults). */
int cp_msg_parse(cp_msg_format f, const char *data, size_t len, const cp_msg_opts *opts,
                 cp_request_list *out, cp_error *err);

/* Splits `data` into messages (cp_msg_next, format auto-detected unless `f`
 * is not CP_MSG_UNKNOWN) and parses each. Stops at the first bad message:
 * returns -1 with err naming the byte offset in `data` and the field; the
 * requests of earlier messages stay in `out`. Returns 0 when all parsed. */
int cp_msg_parse_all(cp_msg_format f, const char *data, size_t len, const cp_msg_opts *opts,
                     cp_request_list *out, cp_error *err);
#endif
