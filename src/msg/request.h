/* The screening request: what a message parser (MT, MX, JSON, CSV) extracts
 * from one payment or letter of credit, independent of its format. The
 * screening pipeline (src/screen) reads only this.
 *
 * Memory: a cp_request and every string in it live in the request's arena
 * (cp_request_new / cp_request_free). Strings are UTF-8, NUL-terminated,
 * trimmed. Not thread-safe; one request per thread. */
#ifndef CP_MSG_REQUEST_H
#define CP_MSG_REQUEST_H
#include "chokepoint.h"
#include "core/arena.h"
#include <stddef.h>

/* Role of a party or agent in the message, named by ISO 20022 element
 * (MT field in the comment). */
typedef enum cp_party_role {
    CP_ROLE_DEBTOR = 0,        /* MT 50a ordering customer; MX Dbtr; LC applicant (MT700 50) */
    CP_ROLE_CREDITOR,          /* MT 59a beneficiary; MX Cdtr; LC beneficiary (MT700 59) */
    CP_ROLE_ULTIMATE_DEBTOR,   /* MX UltmtDbtr */
    CP_ROLE_ULTIMATE_CREDITOR, /* MX UltmtCdtr */
    CP_ROLE_INITIATING_PARTY,  /* MX InitgPty */
    CP_ROLE_DEBTOR_AGENT,      /* MT 52a; MX DbtrAgt; LC issuing bank */
    CP_ROLE_CREDITOR_AGENT,    /* MT 57a; MX CdtrAgt; LC advising bank */
    CP_ROLE_INTERMEDIARY,      /* MT 56a; MX IntrmyAgt1..3 */
    CP_ROLE_SENDER_CORRESPONDENT,   /* MT 53a */
    CP_ROLE_RECEIVER_CORRESPONDENT, /* MT 54a */
    CP_ROLE_INSTRUCTING_AGENT, /* MX InstgAgt; MT block 1/2 sender */
    CP_ROLE_INSTRUCTED_AGENT,  /* MX InstdAgt; MT block 2 receiver */
    CP_ROLE_OTHER_PARTY,       /* LC: 42a drawee, notify party, consignee named in 46A/47A, ... */
    CP_ROLE__COUNT
} cp_party_role;

/* "debtor", "creditor", "ultimate_debtor", ... (JSON field values). */
const char *cp_party_role_name(cp_party_role r);

typedef struct cp_party {
    cp_party_role role;
    const char *field;      /* where it came from: "59", "50K", "Cdtr", "CdtrAgt/FinInstnId" */
    const char *name;       /* NULL when only a BIC/account is given */
    const char *address;    /* address lines joined with ", " (NULL if none) */
    const char *country;    /* ISO 3166 alpha-2 from the structured address (Ctry / 59F "3/CC"), or NULL */
    const char *town;       /* NULL if not structured */
    const char *bic;        /* BIC8/BIC11 or NULL */
    const char *account;    /* IBAN or other account id, or NULL */
    const char *lei;        /* or NULL */
    const char *other_id;   /* org/private id (e.g. tax id) as given, or NULL */
    const char *dob;        /* YYYY-MM-DD from MX PrvtId/DtAndPlcOfBirth or 50F "4/", or NULL */
    cp_schema schema;       /* person/organization when the format says, else CP_SCHEMA_ANY */
    long offset;            /* byte offset of the field in the message, -1 unknown */
} cp_party;

/* Free text screened for names, HS codes, goods terms, places, vessels:
 * remittance info, MT 70/72/77B/45A/46A/47A, MX Ustrd/Strd/Purp/RgltryRptg. */
typedef enum cp_text_kind {
    CP_TEXT_REMITTANCE = 0,    /* MT 70, MX RmtInf */
    CP_TEXT_BANK_INFO,         /* MT 72, 77B; MX InstrForCdtrAgt/InstrForNxtAgt, RgltryRptg */
    CP_TEXT_GOODS,             /* LC 45A description of goods */
    CP_TEXT_DOCUMENTS,         /* LC 46A */
    CP_TEXT_CONDITIONS,        /* LC 47A */
    CP_TEXT_PURPOSE,           /* MX Purp, category purpose */
    CP_TEXT_OTHER
} cp_text_kind;

typedef struct cp_text {
    cp_text_kind kind;
    const char *field;   /* "70", "45A", "RmtInf/Ustrd" */
    const char *text;
    long offset;
} cp_text;

/* Places of a trade: LC 44A (place of taking in charge), 44E (port of
 * loading), 44F (port of discharge), 44B (final destination), 31D (place of
 * expiry). Free text as given; the route screener resolves countries. */
typedef struct cp_place {
    const char *field;   /* "44E" */
    const char *label;   /* "port_of_loading", "port_of_discharge", "place_of_receipt", "final_destination", "place_of_expiry" */
    const char *text;
    long offset;
} cp_place;

/* A defect of the message that the parser repaired instead of rejecting it
 * (docs/formats/mt.md "Recovered defects"): the message is still screened,
 * and the screening rule malformed_message (docs/rules.md) turns every
 * warning into a rule hit so that a human looks at the damaged message. */
typedef struct cp_parse_warning {
    const char *field;    /* "block 1", "block 4" */
    long offset;          /* byte offset in the message, -1 unknown */
    const char *message;  /* what was repaired, e.g. "stray '{' after the last block ignored" */
} cp_parse_warning;

typedef struct cp_request {
    cp_arena *arena;           /* owns everything below */
    const char *message_id;    /* MT 20 / MX MsgId or EndToEndId / JSON id; NULL if none */
    const char *format;        /* "mt", "mx", "json", "csv" */
    const char *type;          /* "MT103", "MT202COV", "MT700", "pacs.008.001.08", "pain.001.001.09", "transaction" */
    const char *currency;      /* ISO 4217 or NULL */
    const char *amount;        /* as written, or NULL */
    const char *value_date;    /* YYYY-MM-DD or NULL */
    cp_party *parties; size_t n_parties;
    cp_text *texts; size_t n_texts;
    cp_place *places; size_t n_places;
    const char **hs_codes; size_t n_hs_codes;   /* structured HS codes (JSON/CSV goods lines), digits only */
    cp_parse_warning *warnings; size_t n_warnings; /* repaired defects; none for a well-formed message */
} cp_request;

/* New empty request with its own arena; NULL on OOM. Free with cp_request_free. */
cp_request *cp_request_new(void);
void cp_request_free(cp_request *r);   /* accepts NULL */
/* Append helpers: copy `p`'s strings into the arena (NULL stays NULL).
 * Return a pointer to the stored element, NULL on OOM. */
cp_party *cp_request_add_party(cp_request *r, const cp_party *p);
cp_text *cp_request_add_text(cp_request *r, cp_text_kind kind, const char *field, const char *text, size_t len, long offset);
cp_place *cp_request_add_place(cp_request *r, const char *field, const char *label, const char *text, size_t len, long offset);
int cp_request_add_hs_code(cp_request *r, const char *code, size_t len);
/* Records a parse warning (field and message copied into the arena; field may
 * be NULL, offset -1 when unknown). Returns the stored warning, NULL on OOM. */
cp_parse_warning *cp_request_add_warning(cp_request *r, const char *field, long offset, const char *message);
/* Arena copy of s[0..len) (NUL-terminated), NULL on OOM. */
const char *cp_request_strndup(cp_request *r, const char *s, size_t len);
#endif
