/* Screening policy: internal layout of the opaque cp_policy
 * (include/chokepoint.h). Format and every key: docs/policy.md;
 * the shipped policy: data/policy/default.policy. */
#ifndef CP_SCREEN_POLICY_H
#define CP_SCREEN_POLICY_H
#include "chokepoint.h"
#include <stddef.h>

/* The named rules (src/screen/rules.c; sources in docs/rules.md). */
typedef enum cp_rule_id {
    CP_RULE_PARTY_EO14024 = 0,      /* party on a blocking program (RUSSIA-EO14024) -> BLOCK */
    CP_RULE_PARTY_LISTED,           /* any party hit at or above the review threshold -> REVIEW */
    CP_RULE_CHPL_RUSSIA,            /* CHPL / EO 14114 goods + Russian or Belarusian party, place or route -> BLOCK */
    CP_RULE_CHPL_TRANSSHIPMENT,     /* CHPL goods bought by / shipped to a transshipment jurisdiction -> REVIEW */
    CP_RULE_SANCTIONED_JURISDICTION,/* party, place or route in a comprehensively sanctioned jurisdiction -> BLOCK */
    CP_RULE_RUSSIA_ROUTE,           /* Russia, Belarus or an occupied region in the route (no goods) -> REVIEW */
    CP_RULE_LC_ISSUING_BANK,        /* letter of credit: goods consigned to the issuing bank -> REVIEW */
    CP_RULE_FORWARDER_CONSIGNEE,    /* freight forwarder / logistics firm as consignee or end user -> REVIEW */
    CP_RULE_THIRD_COUNTRY_PAYER,    /* payer in a country not otherwise in the trade -> REVIEW */
    CP_RULE_INVALID_IBAN,           /* an IBAN with a wrong length or check digits -> REVIEW */
    CP_RULE_MALFORMED_MESSAGE,      /* the parser repaired a damaged message (a parse warning) -> REVIEW */
    CP_RULE_IDENTIFIER_BLOCKING,    /* BIC/IMO/LEI/passport/INN/OGRN of an entity on a blocking list -> BLOCK */
    CP_RULE__COUNT
} cp_rule_id;

/* Stable rule name ("party_eo14024", ...) as used in the policy and in hits. */
const char *cp_rule_name(cp_rule_id r);

typedef struct cp_policy_rule {
    int enabled;
    cp_decision action;   /* CP_PASS means "info": reported, decides nothing */
    double weight;        /* the rule hit's score, [0,1] */
} cp_policy_rule;

enum { CP_POLICY_MAX_ITEMS = 64, CP_POLICY_MAX_VALUE = 1024 };

struct cp_policy {
    char name[64];
    char version[128];
    double review;            /* party hit score >= review: a match (REVIEW) */
    double block;             /* party hit score >= block on a blocking program: BLOCK */
    double text_review;       /* names found in free-text lines need this score */
    char *lists[CP_POLICY_MAX_ITEMS];            /* list ids in scope (none: all loaded) */
    size_t n_lists;
    char *block_programs[CP_POLICY_MAX_ITEMS];   /* for party_eo14024 */
    size_t n_block_programs;
    char set_russia[64], set_occupied[64], set_comprehensive[64], set_transshipment[64];
    long set_line[4];         /* line of each set key (for errors found when the geo tables are known) */
    unsigned chpl_tiers;      /* bit per tier in scope: 1, 2, 3.A, 3.B, 4.A, 4.B */
    int eo14114;              /* EO 14114 classes count as controlled goods */
    int goods_terms;          /* screen free text for goods terms */
    int free_text_names;      /* screen free-text lines as names */
    cp_policy_rule rules[CP_RULE__COUNT];
    char *id_block_lists[CP_POLICY_MAX_ITEMS];   /* for identifier_blocking_list: blocking list ids */
    size_t n_id_block_lists;
    char *forwarder_words[CP_POLICY_MAX_ITEMS];  /* words naming a forwarder / logistics firm */
    size_t n_forwarder_words;
    char file[256];
};

/* Bit of a CHPL tier in cp_policy.chpl_tiers (0 for an unknown tier). */
unsigned cp_policy_tier_bit(const char *tier);
#endif
