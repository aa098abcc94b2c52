/* Format auto-detection and splitting of a buffer into messages.
 *
 * Detection looks at the first non-blank bytes (after a UTF-8 BOM):
 *   "{1:"            SWIFT MT (FIN), also RJE batches ("$"-separated)
 *   "<"              ISO 20022 MX (XML; Envelope, AppHdr+Document or Document)
 *   "{" or "["       JSON transaction(s) (docs/formats/transaction.md)
 *   anything else    CSV transactions when the first line is a header with an
 *                    "id" column (docs/formats/transaction.md), else unknown.
 *
 * Splitting (cp_msg_next), per format:
 *   MT   a message starts at "{1:" outside any block; "$" outside blocks ends
 *        an RJE unit (SWIFT RJE file format: messages separated by "$").
 *        A service message ({1:F21...}{4:{177:...}{451:0}}, an ACK/NAK) that
 *        is directly followed by a user message stays with it: an RJE "out
 *        with ACK" unit is the ACK plus the acknowledged message. Empty units
 *        ("$$", blank lines) are skipped.
 *   MX   one XML document per message; a further "<?xml" declaration at the
 *        start of a line begins the next document.
 *   JSON each top-level value (object, or array of objects) is one message;
 *        values may be separated by white space or newlines (NDJSON).
 *   CSV  the whole buffer is one message (the header row belongs to all rows).
 *
 * Block-4 text of an MT message is not scanned for "$" or "{1:" (SWIFT's X
 * character set has neither "{" nor "$"; we still skip over it properly).
 * No allocation; the iterator only holds offsets into the caller's buffer,
 * which must outlive it. Reentrant. */
#ifndef CP_MSG_DETECT_H
#define CP_MSG_DETECT_H
#include "msg/parse.h"
#include <stddef.h>

/* The format of the buffer, judged from its first bytes (see above). */
cp_msg_format cp_msg_detect(const char *data, size_t len);

typedef struct cp_msg_span {
    cp_msg_format format;
    size_t offset;   /* byte offset of the message in the buffer */
    size_t len;      /* bytes */
} cp_msg_span;

typedef struct cp_msg_iter {
    const char *data;
    size_t len, pos;
    cp_msg_format format;  /* detected (or forced) format of the whole buffer */
} cp_msg_iter;

/* Starts iterating over `data`. `forced` = CP_MSG_UNKNOWN auto-detects. */
void cp_msg_iter_init(cp_msg_iter *it, const char *data, size_t len, cp_msg_format forced);

/* Yields the next message. Returns 1 with *out filled, 0 at the end, -1 on an
 * input that cannot be split (unknown format, unbalanced MT braces, an
 * unterminated JSON value), with err naming the byte offset; the iterator
 * then stops (returns 0 afterwards). */
int cp_msg_next(cp_msg_iter *it, cp_msg_span *out, cp_error *err);
#endif
