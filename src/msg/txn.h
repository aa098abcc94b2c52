/* The chokepoint transaction format, JSON and CSV, for systems without SWIFT
 * (docs/formats/transaction.md is the specification, with examples).
 *
 * JSON: one object per transaction, or an array of them:
 *   {"id": "...", "type": "...", "currency": "EUR", "amount": "100.00",
 *    "value_date": "2024-05-03",
 *    "debtor": PARTY, "creditor": PARTY, "ultimate_debtor": PARTY,
 *    "ultimate_creditor": PARTY, "initiating_party": PARTY,
 *    "agents": [PARTY with "role": "debtor_agent" | "creditor_agent" |
 *               "intermediary" | "instructing_agent" | ...],
 *    "parties": [PARTY with "role"],           (any other party)
 *    "remittance": "...", "purpose": "...", "bank_info": "...",
 *    "texts": [{"kind": "goods"|..., "text": "..."}],
 *    "goods": [{"hs_code": "8471.30", "description": "..."}],
 *    "ports": {"port_of_loading": "...", "port_of_discharge": "...",
 *              "place_of_receipt": "...", "final_destination": "..."}}
 *   PARTY = {"name","address","country","town","bic","account","lei",
 *            "other_id","dob","type": "person"|"organization"}
 * Unknown keys are errors (a typo must not silently drop a party). Numbers
 * are accepted for "amount".
 *
 * CSV: RFC 4180 (comma; ';' or TAB when the header uses them), a header row,
 * one transaction per row. Columns: id, type, currency, amount, value_date,
 * remittance, purpose, goods_description, hs_codes ("|"-separated), the
 * four ports, and per party prefix (debtor_, creditor_, ultimate_debtor_,
 * ultimate_creditor_, debtor_agent_, creditor_agent_, intermediary_) the
 * party keys above (debtor_name, debtor_country, debtor_bic, ...). Unknown
 * columns are errors; every column is optional except id.
 *
 * Errors name the JSON key path ("creditor.country", "[2].goods[0].hs_code")
 * or the CSV column, with the byte offset (and CSV line). Reentrant. */
#ifndef CP_MSG_TXN_H
#define CP_MSG_TXN_H
#include "msg/parse.h"

/* One JSON value (object or array of objects) -> one request per object.
 * Returns 0, or -1 with err filled and nothing appended. opts may be NULL. */
int cp_txn_parse_json(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err);
/* A CSV document with header -> one request per data row. Same contract. */
int cp_txn_parse_csv(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err);
#endif
