/* Copy-out of an ES message into KmodGuard's flat event: the only code that reads es_message_t fields. */
#include <string.h>

#include "kg_es_internal.h"

/* Copies at most size-1 bytes and NUL-terminates; returns 1 when the token did not fit. */
static int copy_token(es_string_token_t token, char *dest, size_t size, uint16_t *length)
{
    size_t n = token.data == NULL ? 0 : token.length;
    int truncated = n > size - 1;
    if (truncated) {
        n = size - 1;
    }
    if (n > 0) {
        memcpy(dest, token.data, n);
    }
    dest[n] = '\0';
    *length = (uint16_t)n;
    return truncated;
}

static void hex(const uint8_t *bytes, size_t count, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < count; i++) {
        out[2 * i] = digits[bytes[i] >> 4];
        out[2 * i + 1] = digits[bytes[i] & 0xf];
    }
    out[2 * count] = '\0';
}

void kg_es_copy_message(const es_message_t *msg, int64_t deadline_ns, kg_es_event *out)
{
    memset(out, 0, sizeof *out);
    out->struct_size = sizeof *out;
    out->event_type = (uint32_t)msg->event_type;
    out->message_version = msg->version;
    out->time_unix_ns = (int64_t)msg->time.tv_sec * 1000000000 + (int64_t)msg->time.tv_nsec;
    out->deadline_ns = msg->action_type == ES_ACTION_TYPE_AUTH ? deadline_ns : 0;

    /* Versioned fields must be guarded by msg->version (ESMessage.h). */
    if (msg->version >= 2) {
        out->flags |= KG_ES_HAS_SEQ_NUM;
        out->seq_num = msg->seq_num;
    }
    if (msg->version >= 4) {
        out->flags |= KG_ES_HAS_GLOBAL_SEQ_NUM;
        out->global_seq_num = msg->global_seq_num;
    }

    /* Both kext events start with the kext's identifier; unload has the same shape as load. */
    es_string_token_t identifier = msg->event_type == ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD
        ? msg->event.kextunload.identifier
        : msg->event.kextload.identifier;
    if (copy_token(identifier, out->kext_id, sizeof out->kext_id, &out->kext_id_length)) {
        out->flags |= KG_ES_KEXT_ID_TRUNCATED;
    }

    const es_process_t *p = msg->process;
    if (p == NULL) {
        return;
    }
    out->pid = audit_token_to_pid(p->audit_token);
    out->pidversion = audit_token_to_pidversion(p->audit_token);
    out->euid = audit_token_to_euid(p->audit_token);
    out->ruid = audit_token_to_ruid(p->audit_token);
    out->auid = audit_token_to_auid(p->audit_token);
    out->ppid = p->ppid;
    out->original_ppid = p->original_ppid;
    out->session_id = p->session_id;
    out->codesigning_flags = p->codesigning_flags;
    if (p->is_platform_binary) {
        out->flags |= KG_ES_PLATFORM_BINARY;
    }
    if (p->is_es_client) {
        out->flags |= KG_ES_ES_CLIENT;
    }
    hex(p->cdhash, sizeof p->cdhash, out->cdhash);
    if (copy_token(p->signing_id, out->signing_id, sizeof out->signing_id, &out->signing_id_length)) {
        out->flags |= KG_ES_SIGNING_ID_TRUNCATED;
    }
    if (copy_token(p->team_id, out->team_id, sizeof out->team_id, &out->team_id_length)) {
        out->flags |= KG_ES_TEAM_ID_TRUNCATED;
    }
    if (p->executable != NULL) {
        if (copy_token(p->executable->path, out->executable, sizeof out->executable, &out->executable_length) ||
            p->executable->path_truncated) {
            out->flags |= KG_ES_EXECUTABLE_TRUNCATED;
        }
    }
    if (msg->version >= 4) {
        out->flags |= KG_ES_HAS_PARENT_PIDS;
        out->parent_pid = audit_token_to_pid(p->parent_audit_token);
        out->responsible_pid = audit_token_to_pid(p->responsible_audit_token);
    }
}
