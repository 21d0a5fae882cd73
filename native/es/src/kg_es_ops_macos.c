/* The real seam: Apple's Endpoint Security library, the Mach clock and this task's audit token.
 * The only shim source that calls into Apple's libraries; link with -lEndpointSecurity -lbsm. */
#include <mach/mach.h>
#include <mach/mach_time.h>

#include "kg_es_ops.h"

static void macos_timebase(uint32_t *numer, uint32_t *denom)
{
    mach_timebase_info_data_t info = {1, 1};
    if (mach_timebase_info(&info) != KERN_SUCCESS || info.denom == 0) {
        info.numer = info.denom = 1;
    }
    *numer = info.numer;
    *denom = info.denom;
}

static bool macos_self_audit_token(audit_token_t *token)
{
    mach_msg_type_number_t size = TASK_AUDIT_TOKEN_COUNT;
    return task_info(mach_task_self(), TASK_AUDIT_TOKEN, (task_info_t)token, &size) == KERN_SUCCESS;
}

static const kg_es_ops macos_ops = {
    .new_client = es_new_client,
    .delete_client = es_delete_client,
    .subscribe = es_subscribe,
    .mute_process = es_mute_process,
    .respond_auth_result = es_respond_auth_result,
    .retain_message = es_retain_message,
    .release_message = es_release_message,
    .mach_now = mach_absolute_time,
    .timebase = macos_timebase,
    .self_audit_token = macos_self_audit_token,
};

const kg_es_ops *kg_es_platform_ops(void) { return &macos_ops; }
