/* ISO 20022 (MX) parser -> screening requests, with libxml2.
 *
 * Input: ONE XML document: a SWIFT Envelope (any root) holding AppHdr
 * (head.001) and Document, an AppHdr + Document pair under any wrapper, or a
 * bare Document. Elements are matched by LOCAL NAME (any namespace, any
 * message version), so pacs.008.001.08 and .12 parse alike. Security: no
 * network (XML_PARSE_NONET), entities are never substituted, and a document
 * with a DOCTYPE/DTD is rejected (ISO 20022 messages have none), so there are
 * no external entities and no entity expansion.
 *
 * Mapping (docs/formats/mx.md): the transaction elements CdtTrfTxInf,
 * DrctDbtTxInf, TxInf, TxInfAndSts, OrgnlTxRef-less camt Ntry/NtryDtls/TxDtls
 * each give ONE request; a message without any gives one request for the
 * whole message. Each request holds the parties, texts and amounts of its
 * transaction plus those of the enclosing levels that are not inside another
 * transaction (GrpHdr InitgPty/InstgAgt, pain.001 PmtInf Dbtr/DbtrAcct/
 * DbtrAgt, the AppHdr Fr/To). message_id = MsgId (or AppHdr BizMsgIdr) + "/"
 * + EndToEndId (or TxId, InstrId, UETR) of the transaction. type = AppHdr
 * MsgDefIdr, else the Document namespace suffix ("pacs.008.001.08").
 * Parties: Dbtr, Cdtr, UltmtDbtr, UltmtCdtr, InitgPty, all agents (DbtrAgt,
 * CdtrAgt, IntrmyAgt1-3, InstgAgt, InstdAgt, PrvsInstgAgt1-3, ...) with Nm,
 * PstlAdr, BICFI/AnyBIC, LEI, Othr ids, PrvtId birth date, and the matching
 * <role>Acct (IBAN or Othr/Id). Inside UndrlygCstmrCdtTrf (pacs.009 COV)
 * Dbtr/Cdtr become ultimate_debtor/ultimate_creditor (the underlying
 * customers). Texts: RmtInf Ustrd/Strd (AddtlRmtInf, CdtrRefInf/Ref), Purp,
 * CtgyPurp, RgltryRptg, InstrForCdtrAgt/InstrForNxtAgt, AddtlInf and other
 * free text.
 *
 * Errors: broken XML gives the libxml2 message with line and the byte offset
 * of that line; structural problems name the XML path. Offsets of parties and
 * texts are the byte offset of the start of the element's line. Reentrant:
 * uses a private parser context per call (libxml2 >= 2.9 is thread-safe when
 * initialised; xmlInitParser is called once per process by libxml2 itself). */
#ifndef CP_MSG_MX_H
#define CP_MSG_MX_H
#include "msg/parse.h"

/* Parses one MX document (data[0..len), not NUL-terminated) and appends one
 * request per transaction to `out`. opts may be NULL. Returns 0, or -1 with
 * err filled (CP_ERR_FORMAT / CP_ERR_NOMEM) and nothing appended. */
int cp_mx_parse(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err);
#endif
