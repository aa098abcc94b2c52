#include "msg/txn.h"
#include "core/error.h"
int cp_txn_parse_json(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    (void)data; (void)len; (void)out;
    cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, 0, 0, NULL, "not yet");
    return -1;
}
int cp_txn_parse_csv(const char *data, size_t len, const cp_msg_opts *opts, cp_request_list *out, cp_error *err) {
    (void)data; (void)len; (void)out;
    cp_error_set(err, CP_ERR_FORMAT, opts ? opts->file : NULL, 0, 0, NULL, "not yet");
    return -1;
}
