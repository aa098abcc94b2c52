#include "msg/parse.h"
#include "core/error.h"
#include "msg/detect.h"
#include "msg/mt.h"
#include "msg/mx.h"
#include "msg/txn.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void cp_request_list_init(cp_request_list *l) {
    l->items = NULL;
    l->n = l->cap = 0;
}

void cp_request_list_truncate(cp_request_list *l, size_t n) {
    if (!l) return;
    while (l->n > n) cp_request_free(l->items[--l->n]);
}

void cp_request_list_free(cp_request_list *l) {
    if (!l) return;
    cp_request_list_truncate(l, 0);
    free(l->items);
    cp_request_list_init(l);
}

cp_request *cp_request_list_push(cp_request_list *l) {
    if (l->n >= CP_MSG_MAX_TRANSACTIONS) return NULL;
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 4;
        cp_request **ni = realloc(l->items, nc * sizeof *ni);
        if (!ni) return NULL;
        l->items = ni;
        l->cap = nc;
    }
    cp_request *r = cp_request_new();
    if (!r) return NULL;
    l->items[l->n++] = r;
    return r;
}

const char *cp_msg_format_name(cp_msg_format f) {
    switch (f) {
    case CP_MSG_MT: return "mt";
    case CP_MSG_MX: return "mx";
    case CP_MSG_JSON: return "json";
    case CP_MSG_CSV: return "csv";
    case CP_MSG_UNKNOWN:
    default: return "unknown";
    }
}

cp_msg_format cp_msg_format_parse(const char *s) {
    if (!s) return CP_MSG_UNKNOWN;
    if (!strcasecmp(s, "mt") || !strcasecmp(s, "fin") || !strcasecmp(s, "swift")) return CP_MSG_MT;
    if (!strcasecmp(s, "mx") || !strcasecmp(s, "xml") || !strcasecmp(s, "iso20022")) return CP_MSG_MX;
    if (!strcasecmp(s, "json")) return CP_MSG_JSON;
    if (!strcasecmp(s, "csv")) return CP_MSG_CSV;
    return CP_MSG_UNKNOWN;
}

int cp_msg_parse(cp_msg_format f, const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out,
                 cp_error *err) {
    /* No payment format allows a NUL byte (SWIFT X/Z character sets, RFC 4180
     * TEXTDATA, RFC 8259 strings, XML 1.0 Char). Parsers copy fields as C
     * strings: a NUL would cut "X<NUL>SANCTIONED NAME" to "X" and hide the
     * party, so the whole message is refused. */
    const char *nul = data ? memchr(data, '\0', len) : NULL;
    if (nul) {
        cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, 0, (long)(nul - data), NULL,
                     "NUL byte in the message (not allowed in any payment format)");
        return -1;
    }
    switch (f) {
    case CP_MSG_MT: return cp_mt_parse(data, len, opts, out, err);
    case CP_MSG_MX: return cp_mx_parse(data, len, opts, out, err);
    case CP_MSG_JSON: return cp_txn_parse_json(data, len, opts, out, err);
    case CP_MSG_CSV: return cp_txn_parse_csv(data, len, opts, out, err);
    case CP_MSG_UNKNOWN:
    default: break;
    }
    cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, 0, 0, NULL, "unknown message format");
    return -1;
}

int cp_msg_parse_all(cp_msg_format f, const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out,
                     cp_error *err) {
    cp_msg_iter it;
    cp_msg_span sp;
    cp_msg_iter_init(&it, data, len, f);
    int rc;
    size_t nmsg = 0;
    while ((rc = cp_msg_next(&it, &sp, err)) == 1) {
        nmsg++;
        if (cp_msg_parse(sp.format, data + sp.offset, sp.len, opts, out, err) < 0) {
            if (err && err->offset >= 0) err->offset += (long)sp.offset;
            else if (err) err->offset = (long)sp.offset;
            return -1;
        }
    }
    if (rc < 0) {
        if (err && opts && opts->file) snprintf(err->file, sizeof err->file, "%s", opts->file);
        return -1;
    }
    if (nmsg == 0) {
        cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, 0, 0, NULL, "no message in input");
        return -1;
    }
    return 0;
}
