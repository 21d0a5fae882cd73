/* Status codes and the sentences that tell an operator what to do about each. */
#include "kg_es_internal.h"

int32_t kg_es_status_from_new_client(es_new_client_result_t result)
{
    switch (result) {
    case ES_NEW_CLIENT_RESULT_SUCCESS: return KG_ES_OK;
    case ES_NEW_CLIENT_RESULT_ERR_INVALID_ARGUMENT: return KG_ES_ERR_INVALID_ARGUMENT;
    case ES_NEW_CLIENT_RESULT_ERR_INTERNAL: return KG_ES_ERR_INTERNAL;
    case ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED: return KG_ES_ERR_NOT_ENTITLED;
    case ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED: return KG_ES_ERR_NOT_PERMITTED;
    case ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED: return KG_ES_ERR_NOT_PRIVILEGED;
    case ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS: return KG_ES_ERR_TOO_MANY_CLIENTS;
    }
    return KG_ES_ERR_UNKNOWN_CLIENT_RESULT;
}

const char *kg_es_status_message(int32_t status)
{
    switch (status) {
    case KG_ES_OK:
        return "success";
    case KG_ES_ERR_INVALID_ARGUMENT:
        return "es_new_client rejected its arguments (ES_NEW_CLIENT_RESULT_ERR_INVALID_ARGUMENT): a bug in the shim; "
               "report it with the macOS version";
    case KG_ES_ERR_INTERNAL:
        return "the Endpoint Security subsystem failed (ES_NEW_CLIENT_RESULT_ERR_INTERNAL): check "
               "'log show --predicate \"subsystem == \\\"com.apple.endpointsecurity\\\"\"' and retry; "
               "a restart of the Mac may be needed";
    case KG_ES_ERR_NOT_ENTITLED:
        return "not entitled (ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED): the executable must be signed with the "
               "com.apple.developer.endpoint-security.client entitlement, granted by Apple and authorised by the "
               "embedded provisioning profile (Contents/embedded.provisionprofile); check with "
               "'codesign -d --entitlements - <extension>'";
    case KG_ES_ERR_NOT_PERMITTED:
        return "not permitted (ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED): Full Disk Access is missing; deploy the "
               "com.apple.TCC.configuration-profile-policy profile (SystemPolicyAllFiles for the extension's bundle "
               "id and code requirement) via MDM, or allow it in System Settings > Privacy & Security > "
               "Full Disk Access";
    case KG_ES_ERR_NOT_PRIVILEGED:
        return "not privileged (ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED): the client must run as root; system "
               "extensions do, so run it through the container app's activation, not by hand";
    case KG_ES_ERR_TOO_MANY_CLIENTS:
        return "too many Endpoint Security clients (ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS): another instance "
               "may already be running ('systemextensionsctl list'); stop it or remove unused ES clients";
    case KG_ES_ERR_MUTE_FAILED:
        return "es_mute_process failed for the shim's own audit token: the client was deleted again";
    case KG_ES_ERR_SUBSCRIBE_FAILED:
        return "es_subscribe to AUTH_KEXTLOAD, NOTIFY_KEXTLOAD and NOTIFY_KEXTUNLOAD failed: the client was "
               "deleted again";
    case KG_ES_ERR_OUT_OF_MEMORY:
        return "out of memory while starting the Endpoint Security client";
    case KG_ES_ERR_THREAD:
        return "could not start the shim's worker or watchdog thread";
    case KG_ES_ERR_BAD_CONFIG:
        return "invalid kg_es_config or callbacks: struct_size must match this shim, decide and notify must be "
               "set, budget_percent at most 100, min_headroom_ns not negative";
    case KG_ES_ERR_UNKNOWN_CLIENT_RESULT:
        return "es_new_client returned a result this shim does not know: a newer macOS; update KmodGuard";
    }
    return "unknown kmodguard_es status";
}
