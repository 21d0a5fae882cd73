/* Compiled against Apple's SDK (check-macos-sdk.sh) and against the test double (CMake): the double must use
 * Apple's values, and kmodguard_es.h's own constants must equal them. */
#include <EndpointSecurity/EndpointSecurity.h>
#include <stddef.h>

#include "kmodguard_es.h"

_Static_assert(ES_EVENT_TYPE_AUTH_KEXTLOAD == 2, "AUTH_KEXTLOAD");
_Static_assert(ES_EVENT_TYPE_NOTIFY_KEXTLOAD == 17, "NOTIFY_KEXTLOAD");
_Static_assert(ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD == 18, "NOTIFY_KEXTUNLOAD");
_Static_assert(KG_ES_EVENT_AUTH_KEXTLOAD == ES_EVENT_TYPE_AUTH_KEXTLOAD, "kg AUTH_KEXTLOAD");
_Static_assert(KG_ES_EVENT_NOTIFY_KEXTLOAD == ES_EVENT_TYPE_NOTIFY_KEXTLOAD, "kg NOTIFY_KEXTLOAD");
_Static_assert(KG_ES_EVENT_NOTIFY_KEXTUNLOAD == ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD, "kg NOTIFY_KEXTUNLOAD");
_Static_assert(ES_ACTION_TYPE_AUTH == 0 && ES_ACTION_TYPE_NOTIFY == 1, "es_action_type_t");
_Static_assert(ES_AUTH_RESULT_ALLOW == KG_ES_ALLOW && ES_AUTH_RESULT_DENY == KG_ES_DENY, "es_auth_result_t");
_Static_assert(ES_RETURN_SUCCESS == 0 && ES_RETURN_ERROR == 1, "es_return_t");
_Static_assert(ES_RESPOND_RESULT_SUCCESS == 0 && ES_RESPOND_RESULT_ERR_INVALID_ARGUMENT == 1 &&
               ES_RESPOND_RESULT_ERR_INTERNAL == 2 && ES_RESPOND_RESULT_NOT_FOUND == 3 &&
               ES_RESPOND_RESULT_ERR_DUPLICATE_RESPONSE == 4 && ES_RESPOND_RESULT_ERR_EVENT_TYPE == 5,
               "es_respond_result_t");
_Static_assert(ES_NEW_CLIENT_RESULT_SUCCESS == KG_ES_OK &&
               ES_NEW_CLIENT_RESULT_ERR_INVALID_ARGUMENT == KG_ES_ERR_INVALID_ARGUMENT &&
               ES_NEW_CLIENT_RESULT_ERR_INTERNAL == KG_ES_ERR_INTERNAL &&
               ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED == KG_ES_ERR_NOT_ENTITLED &&
               ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED == KG_ES_ERR_NOT_PERMITTED &&
               ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED == KG_ES_ERR_NOT_PRIVILEGED &&
               ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS == KG_ES_ERR_TOO_MANY_CLIENTS,
               "es_new_client_result_t");
/* Layout facts the shim relies on; the double's process/message layouts equal Apple's on 64-bit targets. */
_Static_assert(sizeof(audit_token_t) == 32, "audit_token_t");
_Static_assert(offsetof(es_process_t, ppid) == 32 && offsetof(es_process_t, signing_id) == 80 &&
               offsetof(es_process_t, executable) == 112 && offsetof(es_process_t, parent_audit_token) == 176,
               "es_process_t");
_Static_assert(offsetof(es_message_t, seq_num) == 48 && offsetof(es_message_t, event_type) == 96 &&
               offsetof(es_message_t, event) == 104 && offsetof(es_message_t, global_seq_num) == 216,
               "es_message_t");
_Static_assert(sizeof(kg_es_event) == 1728, "kg_es_event is part of the C# binding's ABI");
_Static_assert(sizeof(kg_es_config) == 32 && sizeof(kg_es_counters) == 88, "kg_es_config / kg_es_counters ABI");

int kg_es_values_checked(void);
int kg_es_values_checked(void) { return 1; }
