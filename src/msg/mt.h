/* SWIFT MT (FIN) parser -> screening requests.
 *
 * Input: ONE FIN message as delimited by cp_msg_next: basic header {1:},
 * application header {2:}, optional user header {3:{108:}{119:}{121:}},
 * text block {4:\r\n:20:...\r\n-} (CRLF or LF), optional trailers {5:}{S:}.
 * A leading service message (ACK/NAK, {1:F21...}{4:{177:..}{451:0}}) as found
 * in RJE "output with ACK" files is skipped; standing alone it yields one
 * request of type "ACK"/"NAK" without parties.
 *
 * Sources: SWIFT FIN message structure (SWIFT User Handbook, "FIN Service
 * Description" / "Standards MT General Information": block layout, field tag
 * syntax, X character set); field definitions and options from the Standards
 * MT category 1 (MT101, MT103), 2 (MT202/202COV/205/205COV) and 7 (MT700/710/
 * 720) message reference guides (SR 2023). docs/formats/mt.md has the mapping.
 *
 * Mapping (details in docs/formats/mt.md): one request per message, except
 * MT101: one request per sequence B (transaction), each carrying the
 * sequence-A parties too; message_id is then "<20>/<21 of that sequence>".
 * In MT202COV/205COV the underlying customer credit transfer (sequence B)
 * gives 50a -> ultimate_debtor and 59a -> ultimate_creditor, and its fields
 * are named "B/50F", "B/59F", ... Block 1/2 sender and receiver BICs become
 * the instructing and instructed agents.
 *
 * Strictness: block structure, tag syntax, block-4 termination, mandatory
 * field 20, option A BIC syntax, 50F/59F line numbers are always checked.
 * For MT101, 103, 202, 205, 700, 710, 720 a field tag (with option letter)
 * not defined for the type is an error unless opts->lenient. Lenient where
 * the standard is: CRLF or LF, optional account lines, repeated 59F/50F
 * line numbers (continuation of a name or address).
 *
 * Recovered defects (docs/formats/mt.md): two kinds of damage found in real
 * sample files are repaired instead of rejected, each recorded as a
 * cp_parse_warning (field, byte offset, what was repaired) on every request
 * of the message, so that screening still reads the message and the rule
 * malformed_message sends it to a human: (1) stray '{' / '}' after block 4
 * or a trailer, with only braces and white space up to the end; (2) a block 1
 * without "F01" whose remaining 22 characters are exactly a logical terminal
 * (BIC layout) + 4-digit session + 6-digit sequence. Everything else
 * (block 4 not terminated, braces inside block 4, unknown block ids, text
 * after the last block) stays an error.
 *
 * Errors name the tag (e.g. "59F", or "block 4") and the byte offset in
 * `data`. Reentrant; allocates only inside the requests. */
#ifndef CP_MSG_MT_H
#define CP_MSG_MT_H
#include "msg/parse.h"

/* Parses one MT message (data[0..len), not NUL-terminated) and appends its
 * request(s) to `out`. opts may be NULL. Returns 0, or -1 with err filled
 * (code CP_ERR_FORMAT, or CP_ERR_NOMEM) and nothing appended. */
int cp_mt_parse(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err);
#endif
