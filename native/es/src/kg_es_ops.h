/*
 * The seam between the shim core and Endpoint Security: every ES call, the Mach clock and this process's audit
 * token go through one table, so the same core runs against Apple's library (kg_es_ops_macos.c) and against the
 * Linux test double (test/fake_es.c). The ES types come from <EndpointSecurity/EndpointSecurity.h>: Apple's SDK on
 * a Mac, the double's look-alike header on Linux.
 */
#ifndef KG_ES_OPS_H
#define KG_ES_OPS_H

#include <EndpointSecurity/EndpointSecurity.h>
#include <bsm/libbsm.h>
#include <stdbool.h>
#include <stdint.h>

typedef struct kg_es_ops {
    es_new_client_result_t (*new_client)(es_client_t **client, es_handler_block_t handler);
    es_return_t (*delete_client)(es_client_t *client);
    es_return_t (*subscribe)(es_client_t *client, const es_event_type_t *events, uint32_t count);
    es_return_t (*mute_process)(es_client_t *client, const audit_token_t *token);
    es_respond_result_t (*respond_auth_result)(es_client_t *client, const es_message_t *message,
                                               es_auth_result_t result, bool cache);
    void (*retain_message)(const es_message_t *message);
    void (*release_message)(const es_message_t *message);
    /* Mach absolute time, the clock of es_message_t.deadline, and its timebase (ns = ticks * numer / denom). */
    uint64_t (*mach_now)(void);
    void (*timebase)(uint32_t *numer, uint32_t *denom);
    /* This process's audit token, for muting itself. */
    bool (*self_audit_token)(audit_token_t *token);
} kg_es_ops;

/* The table for this build: Apple's (kg_es_ops_macos.c) or the test double's (test/fake_es.c). */
const kg_es_ops *kg_es_platform_ops(void);

#endif
