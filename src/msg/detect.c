#include "msg/detect.h"
#include "core/error.h"
#include <string.h>

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

static size_t skip_bom_ws(const char *d, size_t len, size_t i) {
    if (i == 0 && len >= 3 && (unsigned char)d[0] == 0xEF && (unsigned char)d[1] == 0xBB &&
        (unsigned char)d[2] == 0xBF)
        i = 3;
    while (i < len && is_ws(d[i])) i++;
    return i;
}

cp_msg_format cp_msg_detect(const char *data, size_t len) {
    if (!data) return CP_MSG_UNKNOWN;
    size_t i = skip_bom_ws(data, len, 0);
    while (i < len && (data[i] == '$' || is_ws(data[i]))) i++; /* RJE file starting with "$" */
    if (i >= len) return CP_MSG_UNKNOWN;
    /* "{1:" .. "{5:": a SWIFT FIN block (no JSON text starts this way: object
     * keys are strings); the MT parser names blocks 1/2 when they are missing. */
    if (len - i >= 3 && data[i] == '{' && data[i + 1] >= '1' && data[i + 1] <= '5' && data[i + 2] == ':') return CP_MSG_MT;
    if (data[i] == '<') return CP_MSG_MX;
    if (data[i] == '{' || data[i] == '[') return CP_MSG_JSON;
    /* CSV: a header line with a delimiter. */
    for (size_t j = i; j < len && data[j] != '\n'; j++)
        if (data[j] == ',' || data[j] == ';' || data[j] == '\t') return CP_MSG_CSV;
    return CP_MSG_UNKNOWN;
}

void cp_msg_iter_init(cp_msg_iter *it, const char *data, size_t len, cp_msg_format forced) {
    it->data = data;
    it->len = data ? len : 0;
    it->pos = skip_bom_ws(data, it->len, 0);
    it->format = forced != CP_MSG_UNKNOWN ? forced : cp_msg_detect(data, it->len);
}

/* End (exclusive) of the MT block starting at d[i] == '{'. Block 4 text
 * ("{4:" + line break) ends at a line "-}". Returns len when unterminated
 * (the parser then reports the precise error). */
static size_t mt_block_end(const char *d, size_t len, size_t i) {
    if (i + 3 < len && d[i + 1] == '4' && d[i + 2] == ':' && (d[i + 3] == '\r' || d[i + 3] == '\n')) {
        for (size_t j = i + 3; j + 2 < len; j++)
            if (d[j] == '\n' && d[j + 1] == '-' && d[j + 2] == '}') return j + 3;
        return len;
    }
    int depth = 0;
    for (size_t j = i; j < len; j++) {
        if (d[j] == '$') return j; /* RJE separator: a header block cannot hold it */
        if (d[j] == '{') depth++;
        else if (d[j] == '}' && --depth == 0) return j + 1;
    }
    return len;
}

static int mt_next(cp_msg_iter *it, cp_msg_span *out) {
    const char *d = it->data;
    size_t len = it->len, i = it->pos;
    while (i < len && (is_ws(d[i]) || d[i] == '$')) i++;
    if (i >= len) {
        it->pos = len;
        return 0;
    }
    size_t start = i, end = i;
    int have_user_b1 = 0;
    while (i < len) {
        while (i < len && is_ws(d[i])) i++;
        if (i >= len || d[i] == '$') break;
        if (d[i] != '{') {
            /* Not a block: keep it in this unit up to the next "$" so that
             * the parser reports it with its offset. */
            while (i < len && d[i] != '$') i++;
            end = i;
            break;
        }
        if (len - i >= 3 && d[i + 1] == '1' && d[i + 2] == ':') {
            if (have_user_b1) break; /* next message */
            /* Service identifier: block 1 is F + 2-digit service id ("01" =
             * user message). Only an explicit other service id (21 = ACK/NAK)
             * makes a service message; a block 1 without one (damaged, the MT
             * parser may repair it) counts as a user message, so that the
             * next "{1:" still starts a new unit. */
            int svc = len - i >= 6 && (d[i + 3] == 'F' || d[i + 3] == 'A' || d[i + 3] == 'L') &&
                      d[i + 4] >= '0' && d[i + 4] <= '9' && d[i + 5] >= '0' && d[i + 5] <= '9' &&
                      !(d[i + 4] == '0' && d[i + 5] == '1');
            if (!svc) have_user_b1 = 1;
        }
        i = mt_block_end(d, len, i);
        end = i;
    }
    out->format = CP_MSG_MT;
    out->offset = start;
    out->len = end - start;
    it->pos = end;
    return 1;
}

static int mx_next(cp_msg_iter *it, cp_msg_span *out) {
    const char *d = it->data;
    size_t len = it->len, i = it->pos;
    while (i < len && is_ws(d[i])) i++;
    if (i >= len) {
        it->pos = len;
        return 0;
    }
    size_t end = len;
    for (size_t j = i + 1; j + 5 < len; j++)
        if (d[j] == '\n' && memcmp(d + j + 1, "<?xml", 5) == 0) {
            end = j + 1;
            break;
        }
    out->format = CP_MSG_MX;
    out->offset = i;
    out->len = end - i;
    it->pos = end;
    return 1;
}

static int json_next(cp_msg_iter *it, cp_msg_span *out, cp_error *err) {
    const char *d = it->data;
    size_t len = it->len, i = it->pos;
    while (i < len && is_ws(d[i])) i++;
    if (i >= len) {
        it->pos = len;
        return 0;
    }
    if (d[i] != '{' && d[i] != '[') {
        cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)i, NULL,
                     "expected a JSON object or array, found byte 0x%02x", (unsigned char)d[i]);
        it->pos = len;
        return -1;
    }
    size_t depth = 0;
    int in_str = 0;
    for (size_t j = i; j < len; j++) {
        char c = d[j];
        if (in_str) {
            if (c == '\\') j++;
            else if (c == '"') in_str = 0;
            continue;
        }
        if (c == '"') in_str = 1;
        else if (c == '{' || c == '[') depth++;
        else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
            out->format = CP_MSG_JSON;
            out->offset = i;
            out->len = j + 1 - i;
            it->pos = j + 1;
            return 1;
        }
    }
    cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)i, NULL, "unterminated JSON value");
    it->pos = len;
    return -1;
}

int cp_msg_next(cp_msg_iter *it, cp_msg_span *out, cp_error *err) {
    if (it->pos >= it->len) return 0;
    switch (it->format) {
    case CP_MSG_MT: return mt_next(it, out);
    case CP_MSG_MX: return mx_next(it, out);
    case CP_MSG_JSON: return json_next(it, out, err);
    case CP_MSG_CSV: {
        size_t i = it->pos;
        it->pos = it->len;
        if (i >= it->len) return 0;
        out->format = CP_MSG_CSV;
        out->offset = i;
        out->len = it->len - i;
        return 1;
    }
    case CP_MSG_UNKNOWN:
    default: break;
    }
    size_t i = it->pos;
    while (i < it->len && is_ws(it->data[i])) i++;
    it->pos = it->len;
    if (i >= it->len) return 0;
    cp_error_set(err, CP_ERR_FORMAT, NULL, 0, (long)i, NULL,
                 "unknown message format (not SWIFT MT, ISO 20022 XML, JSON or CSV)");
    return -1;
}
