/*
 * Test double of Apple's <EndpointSecurity/EndpointSecurity.h> for Linux: the subset KmodGuard's shim uses, with
 * Apple's names, types, field order and values (macOS 14.2 SDK; es_values_check.c asserts the values against both
 * this header and the real SDK). Implemented by fake_es.c; driven by tests through fake_es_driver.h.
 */
#ifndef FAKE_ENDPOINT_SECURITY_H
#define FAKE_ENDPOINT_SECURITY_H

#include <mach/message.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <time.h>

typedef struct {
    uint8_t reserved[32];
} es_event_id_t;

typedef enum {
    ES_ACTION_TYPE_AUTH,
    ES_ACTION_TYPE_NOTIFY,
} es_action_type_t;

/* Apple's enum lists every event in order; only the ones the shim uses are named here, at Apple's values. */
typedef enum {
    ES_EVENT_TYPE_AUTH_EXEC = 0,
    ES_EVENT_TYPE_AUTH_OPEN = 1,
    ES_EVENT_TYPE_AUTH_KEXTLOAD = 2,
    ES_EVENT_TYPE_NOTIFY_EXEC = 9,
    ES_EVENT_TYPE_NOTIFY_KEXTLOAD = 17,
    ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD = 18,
    ES_EVENT_TYPE_LAST = 146,
} es_event_type_t;

typedef enum {
    ES_AUTH_RESULT_ALLOW,
    ES_AUTH_RESULT_DENY,
} es_auth_result_t;

typedef enum {
    ES_RESULT_TYPE_AUTH,
    ES_RESULT_TYPE_FLAGS,
} es_result_type_t;

typedef enum {
    ES_RETURN_SUCCESS,
    ES_RETURN_ERROR,
} es_return_t;

typedef enum {
    ES_RESPOND_RESULT_SUCCESS,
    ES_RESPOND_RESULT_ERR_INVALID_ARGUMENT,
    ES_RESPOND_RESULT_ERR_INTERNAL,
    ES_RESPOND_RESULT_NOT_FOUND,
    ES_RESPOND_RESULT_ERR_DUPLICATE_RESPONSE,
    ES_RESPOND_RESULT_ERR_EVENT_TYPE,
} es_respond_result_t;

typedef enum {
    ES_NEW_CLIENT_RESULT_SUCCESS,
    ES_NEW_CLIENT_RESULT_ERR_INVALID_ARGUMENT,
    ES_NEW_CLIENT_RESULT_ERR_INTERNAL,
    ES_NEW_CLIENT_RESULT_ERR_NOT_ENTITLED,
    ES_NEW_CLIENT_RESULT_ERR_NOT_PERMITTED,
    ES_NEW_CLIENT_RESULT_ERR_NOT_PRIVILEGED,
    ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS,
} es_new_client_result_t;

typedef struct {
    size_t size;
    const uint8_t *data;
} es_token_t;

typedef struct {
    size_t length; /* equivalent to strlen() */
    const char *data;
} es_string_token_t;

typedef struct {
    es_string_token_t path;
    bool path_truncated;
    struct stat stat;
} es_file_t;

typedef struct {
    uint64_t thread_id;
} es_thread_t;

typedef struct {
    audit_token_t audit_token;
    pid_t ppid;
    pid_t original_ppid;
    pid_t group_id;
    pid_t session_id;
    uint32_t codesigning_flags;
    bool is_platform_binary;
    bool is_es_client;
    uint8_t cdhash[20];
    es_string_token_t signing_id;
    es_string_token_t team_id;
    es_file_t *executable;
    es_file_t *tty;                        /* version >= 2 */
    struct timeval start_time;             /* version >= 3 */
    audit_token_t responsible_audit_token; /* version >= 4 */
    audit_token_t parent_audit_token;      /* version >= 4 */
} es_process_t;

typedef struct {
    es_string_token_t identifier;
    uint8_t reserved[64];
} es_event_kextload_t;

typedef struct {
    es_string_token_t identifier;
    uint8_t reserved[64];
} es_event_kextunload_t;

typedef union {
    es_event_kextload_t kextload;
    es_event_kextunload_t kextunload;
    uint8_t reserved[104]; /* Apple's union is as large as its largest event */
} es_events_t;

typedef struct {
    es_result_type_t result_type;
    union {
        es_auth_result_t auth;
        uint32_t flags;
        uint8_t reserved[32];
    } result;
} es_result_t;

typedef struct {
    uint32_t version;
    struct timespec time;
    uint64_t mach_time;
    uint64_t deadline;
    es_process_t *process;
    uint64_t seq_num; /* version >= 2 */
    es_action_type_t action_type;
    union {
        es_event_id_t auth;
        es_result_t notify;
    } action;
    es_event_type_t event_type;
    es_events_t event;
    es_thread_t *thread;     /* version >= 4 */
    uint64_t global_seq_num; /* version >= 4 */
    uint64_t opaque[];       /* the double keeps its bookkeeping here, as Apple keeps its own */
} es_message_t;

typedef struct es_client_s es_client_t;

typedef void (^es_handler_block_t)(es_client_t *, const es_message_t *);

es_new_client_result_t es_new_client(es_client_t **client, es_handler_block_t handler);
es_return_t es_delete_client(es_client_t *client);
es_return_t es_subscribe(es_client_t *client, const es_event_type_t *events, uint32_t event_count);
es_return_t es_mute_process(es_client_t *client, const audit_token_t *audit_token);
es_respond_result_t es_respond_auth_result(es_client_t *client, const es_message_t *message, es_auth_result_t result,
                                           bool cache);
void es_retain_message(const es_message_t *msg);
void es_release_message(const es_message_t *msg);

#endif
