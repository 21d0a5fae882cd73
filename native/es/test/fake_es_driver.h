/*
 * The driver side of the Endpoint Security test double: what a test uses to play the kernel. It injects messages
 * of any version and deadline, records every response with its timing, makes es_new_client fail on request, and
 * checks the rules a real ES client lives by (exactly one response per AUTH message, before its deadline; every
 * retain balanced by one release; no response after release or after es_delete_client; es_delete_client on the
 * thread that called es_new_client). Exported from libkmodguard_es_fake.so so the C# tests can drive it too.
 */
#ifndef FAKE_ES_DRIVER_H
#define FAKE_ES_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#define FAKE_ES_EXPORT __attribute__((visibility("default")))

typedef struct fake_es_str {
    const char *data; /* need not be NUL-terminated */
    size_t length;
} fake_es_str;

#define FAKE_STR(s) ((fake_es_str){(s), sizeof(s) - 1})

/* One message to inject. Zero fields are injected as zero (a version-0 message is invalid: give one). */
typedef struct fake_es_spec {
    uint32_t version;
    uint32_t event_type;  /* es_event_type_t */
    int64_t deadline_ns;  /* AUTH: deadline relative to injection (may be <= 0) */
    fake_es_str kext_id;
    fake_es_str signing_id;
    fake_es_str team_id;
    fake_es_str executable;
    uint8_t path_truncated;
    uint8_t platform_binary;
    uint8_t es_client;
    uint8_t reserved;
    int32_t pid, pidversion, ppid, original_ppid, parent_pid, responsible_pid, session_id;
    uint32_t euid, ruid, auid, codesigning_flags;
    uint8_t cdhash[20];
    uint32_t seq_skip; /* pretend this many messages of this type were dropped before this one */
} fake_es_spec;

typedef struct fake_es_response {
    int32_t responses;  /* how many times the message was answered (1 is the only right number for AUTH) */
    int32_t result;     /* es_auth_result_t of the first answer */
    int64_t latency_ns; /* injection to first answer */
    int64_t margin_ns;  /* first answer to deadline; negative means late (a real client would be killed) */
} fake_es_response;

typedef struct fake_es_stats {
    uint64_t injected;
    uint64_t delivered;
    uint64_t muted;          /* injected but not delivered: the process is muted */
    uint64_t responses;
    uint64_t retains;
    uint64_t releases;
    uint64_t live_messages;  /* messages still referenced (by the double while delivering, or retained) */
    uint64_t violations;
    uint64_t late_deliveries; /* AUTH messages the double itself delivered too close to their deadline */
    uint32_t live_clients;
    uint32_t mute_calls;
    uint32_t subscribe_calls;
    uint32_t subscribed_mask; /* bit 0: AUTH_KEXTLOAD, bit 1: NOTIFY_KEXTLOAD, bit 2: NOTIFY_KEXTUNLOAD */
} fake_es_stats;

/* Forgets every message, response and violation and restores the defaults. No client may be alive. */
FAKE_ES_EXPORT void fake_es_reset(void);
/* The result the next es_new_client calls return (SUCCESS by default). */
FAKE_ES_EXPORT void fake_es_set_new_client_result(int32_t result);
/* Mach timebase (ns = ticks * numer / denom); 1/1 by default, 125/3 like Apple silicon. */
FAKE_ES_EXPORT void fake_es_set_timebase(uint32_t numer, uint32_t denom);
/* Makes es_subscribe / es_mute_process fail (nonzero) or succeed (zero). */
FAKE_ES_EXPORT void fake_es_set_failures(int32_t subscribe_fails, int32_t mute_fails);
/* Queues a message for the live client; returns its id (>= 1), or 0 when there is no client. */
FAKE_ES_EXPORT uint64_t fake_es_inject(const fake_es_spec *spec);
/* Waits up to timeout_ns for message id's first answer; returns 1 when answered, 0 on timeout. */
FAKE_ES_EXPORT int32_t fake_es_wait_response(uint64_t id, int64_t timeout_ns, fake_es_response *out);
/* Waits up to timeout_ns until the handler has returned for every injected message (or it was muted or
 * dropped); 1 when it has. */
FAKE_ES_EXPORT int32_t fake_es_wait_delivered(int64_t timeout_ns);
FAKE_ES_EXPORT void fake_es_get_stats(fake_es_stats *out);
/* Checks the end-of-test rules (every delivered AUTH answered exactly once, nothing still retained) and returns the
 * total number of violations; copies the first violations, one per line, into text. */
FAKE_ES_EXPORT uint64_t fake_es_check(char *text, size_t size);
/* The audit token the double gives this process, as pid/pidversion. */
FAKE_ES_EXPORT int32_t fake_es_self_pid(void);

#endif
