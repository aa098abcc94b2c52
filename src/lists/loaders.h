/* List loaders: one per source format, each mapping the publisher's format
 * to the entity model (lists/model.h). Loaders work on in-memory files (the
 * snapshot module reads, decompresses and checks them against the manifest
 * first), so they can be fuzzed directly.
 *
 * Contract shared by every loader:
 *  - files[0..n) are the parts of one list, identified by role (below);
 *    `name` is the file name used in error messages; data need not be
 *    NUL-terminated and is not retained after the call (text is copied into
 *    the list's arena).
 *  - A malformed record (wrong column count, broken quoting, invalid UTF-8,
 *    broken XML/JSON) is reported with cp_diag_error(cp_list_diag(l), ...)
 *    naming file, line or byte offset and field, and skipped; tolerated
 *    anomalies (e.g. OFAC alias rows whose ent_num has no primary record) go
 *    to cp_diag_warning. The caller decides whether errors fail the load.
 *  - Returns 0, or -1 with err filled when the list cannot be loaded at all
 *    (OOM, a required part missing, a file that is not the expected format).
 *  - Never calls cp_list_finalize (the caller does). Thread-safe per list.
 */
#ifndef CP_LISTS_LOADERS_H
#define CP_LISTS_LOADERS_H
#include "lists/model.h"

typedef struct cp_list_file {
    const char *role;   /* see each loader */
    const char *name;   /* file name for errors, e.g. "sdn.csv" */
    const char *data;
    size_t len;         /* bytes */
} cp_list_file;

typedef int (*cp_loader_fn)(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);

/* OFAC legacy CSV set (SDN: sdn/add/alt/comments; non-SDN: the cons_* files
 * with the same roles). Roles "primary" (required), "add", "alt", "comments".
 * Spec: https://ofac.treasury.gov/specially-designated-nationals-list-data-formats-data-schemas */
int cp_load_ofac_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* UN Security Council consolidated XML. Role "main". Schema:
 * https://scsanctions.un.org/resources/xml/en/consolidated.xml (sc-sanctions.xsd) */
int cp_load_un_xml(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* UK OFSI ConList CSV (2022 format, one row per name variant). Role "main". */
int cp_load_uk_ofsi_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* EU Financial Sanctions Files consolidated XML (export schema 1.1). Role "main". */
int cp_load_eu_fsf_xml(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* US trade.gov Consolidated Screening List CSV (29-column layout). Role "main". */
int cp_load_us_csl_csv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* BIS Denied Persons List, dpl.txt (tab-separated, quoted). Role "main". */
int cp_load_bis_dpl_tsv(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);
/* FollowTheMoney entities, JSON lines (OpenSanctions entities.ftm.json). Role "main". */
int cp_load_ftm_json(cp_list *l, const cp_list_file *files, size_t n, cp_error *err);

/* The loader for a manifest "format" value ("ofac-csv", "un-xml",
 * "uk-ofsi-csv", "eu-fsf-xml", "us-csl-csv", "bis-dpl-tsv", "ftm-json"), or NULL. */
cp_loader_fn cp_loader_for_format(const char *format);

/* Finds the part with `role` in files, or NULL. */
const cp_list_file *cp_list_file_find(const cp_list_file *files, size_t n, const char *role);
#endif
