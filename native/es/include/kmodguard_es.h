/*
 * kmodguard_es.h: KmodGuard's own stable C API over Apple's Endpoint Security (ES) for kernel extension events.
 *
 * The managed side (KmodGuard.MacOS) binds exactly this header. It never sees Apple's structs: each ES message is
 * copied into a flat kg_es_event, so new SDKs can grow es_message_t / es_process_t without breaking the binding.
 * There is no policy logic here: the decide callback returns the answer to give, the shim only delivers it in time.
 *
 * Threads: ES calls the shim on its own queue; the shim calls decide and notify on one worker thread of its own (so
 * records stay in arrival order), and a watchdog thread answers AUTH messages whose callback is too slow.
 * Every fixed-width field and its offset is part of the ABI: change KG_ES_ABI_VERSION when changing any struct.
 */
#ifndef KMODGUARD_ES_H
#define KMODGUARD_ES_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) || defined(__clang__)
#define KG_ES_EXPORT __attribute__((visibility("default")))
#else
#define KG_ES_EXPORT
#endif

#define KG_ES_ABI_VERSION 1u

/* Status codes of kg_es_start / kg_es_stop. 1..6 mirror es_new_client_result_t's failures. */
enum {
    KG_ES_OK = 0,
    KG_ES_ERR_INVALID_ARGUMENT = 1,
    KG_ES_ERR_INTERNAL = 2,
    KG_ES_ERR_NOT_ENTITLED = 3,
    KG_ES_ERR_NOT_PERMITTED = 4,
    KG_ES_ERR_NOT_PRIVILEGED = 5,
    KG_ES_ERR_TOO_MANY_CLIENTS = 6,
    KG_ES_ERR_MUTE_FAILED = 7,
    KG_ES_ERR_SUBSCRIBE_FAILED = 8,
    KG_ES_ERR_OUT_OF_MEMORY = 9,
    KG_ES_ERR_THREAD = 10,
    KG_ES_ERR_BAD_CONFIG = 11,
    KG_ES_ERR_UNKNOWN_CLIENT_RESULT = 12,
};

/* Event types: the values are Apple's es_event_type_t values. */
enum {
    KG_ES_EVENT_AUTH_KEXTLOAD = 2,
    KG_ES_EVENT_NOTIFY_KEXTLOAD = 17,
    KG_ES_EVENT_NOTIFY_KEXTUNLOAD = 18,
};

/* Answers: the values are Apple's es_auth_result_t values. */
enum {
    KG_ES_ALLOW = 0,
    KG_ES_DENY = 1,
};

/* Who answered an AUTH message (kg_es_event.responder, filled for notify callbacks on AUTH events). */
enum {
    KG_ES_RESPONDER_NONE = 0,     /* NOTIFY events, and AUTH events before they are answered */
    KG_ES_RESPONDER_CALLBACK = 1, /* the decide callback's answer, in time */
    KG_ES_RESPONDER_WATCHDOG = 2, /* the configured default: the callback had not returned within the budget */
    KG_ES_RESPONDER_SHIM = 3,     /* the configured default without asking: deadline too close, queue full, stopping */
};

/* kg_es_event.flags */
enum {
    KG_ES_HAS_SEQ_NUM = 1u << 0,        /* message version >= 2 */
    KG_ES_HAS_GLOBAL_SEQ_NUM = 1u << 1, /* message version >= 4 */
    KG_ES_HAS_PARENT_PIDS = 1u << 2,    /* message version >= 4: parent_pid and responsible_pid are valid */
    KG_ES_PLATFORM_BINARY = 1u << 3,
    KG_ES_ES_CLIENT = 1u << 4,          /* the loader is itself an ES client */
    KG_ES_EXECUTABLE_TRUNCATED = 1u << 5, /* ES truncated the path, or it did not fit executable[] */
    KG_ES_KEXT_ID_TRUNCATED = 1u << 6,
    KG_ES_SIGNING_ID_TRUNCATED = 1u << 7,
    KG_ES_TEAM_ID_TRUNCATED = 1u << 8,
};

#define KG_ES_KEXT_ID_SIZE 256
#define KG_ES_SIGNING_ID_SIZE 256
#define KG_ES_TEAM_ID_SIZE 32
#define KG_ES_CDHASH_HEX_SIZE 41
#define KG_ES_EXECUTABLE_SIZE 1024

/*
 * One ES message, copied. Strings are UTF-8 as ES gave them (not validated), NUL-terminated, with their length in
 * bytes beside them. Fields a message version does not have are zero and their KG_ES_HAS_* flag is clear.
 */
typedef struct kg_es_event {
    uint32_t struct_size;      /* sizeof(kg_es_event) */
    uint32_t event_type;       /* KG_ES_EVENT_* */
    uint32_t message_version;
    uint32_t flags;            /* KG_ES_* flags above */
    uint64_t seq_num;          /* per event type (KG_ES_HAS_SEQ_NUM) */
    uint64_t global_seq_num;   /* per client (KG_ES_HAS_GLOBAL_SEQ_NUM) */
    int64_t time_unix_ns;      /* msg->time: when the event happened, wall clock */
    int64_t deadline_ns;       /* AUTH: time left before ES's deadline when the message arrived (may be <= 0) */
    int32_t pid;
    int32_t pidversion;
    int32_t ppid;
    int32_t original_ppid;
    int32_t parent_pid;        /* from parent_audit_token (KG_ES_HAS_PARENT_PIDS) */
    int32_t responsible_pid;   /* from responsible_audit_token (KG_ES_HAS_PARENT_PIDS) */
    uint32_t euid;
    uint32_t ruid;
    uint32_t auid;
    int32_t session_id;
    uint32_t codesigning_flags;
    uint32_t auth_result;      /* notify callback on an AUTH event: the answer ES got (KG_ES_ALLOW / KG_ES_DENY) */
    uint32_t responder;        /* notify callback on an AUTH event: KG_ES_RESPONDER_* */
    uint16_t kext_id_length;
    uint16_t signing_id_length;
    uint16_t team_id_length;
    uint16_t executable_length;
    char kext_id[KG_ES_KEXT_ID_SIZE];
    char signing_id[KG_ES_SIGNING_ID_SIZE];
    char team_id[KG_ES_TEAM_ID_SIZE];
    char cdhash[KG_ES_CDHASH_HEX_SIZE]; /* 40 lowercase hex digits */
    char reserved[7];
    char executable[KG_ES_EXECUTABLE_SIZE];
} kg_es_event;

typedef struct kg_es_config {
    uint32_t struct_size;       /* sizeof(kg_es_config) */
    uint32_t fail_closed;       /* nonzero: answer DENY when the callback is late; zero: ALLOW (fail open) */
    uint32_t mute_self;         /* nonzero: mute this process's own events (recommended) */
    uint32_t budget_percent;    /* share of the time left that the callback may use; 0 means 80 */
    int64_t min_headroom_ns;    /* answer at least this long before the deadline; 0 means 1 s */
    uint32_t max_pending;       /* AUTH messages held at once before answering the default directly; 0 means 65536 */
    uint32_t reserved;
} kg_es_config;

typedef struct kg_es_counters {
    uint64_t messages;             /* every message delivered */
    uint64_t auth_messages;
    uint64_t notify_messages;
    uint64_t auth_allowed;         /* answers given, by result */
    uint64_t auth_denied;
    uint64_t watchdog_answers;     /* answered with the default because the callback was late */
    uint64_t shim_answers;         /* answered with the default without asking (deadline too close, full, stopping) */
    uint64_t late_callbacks;       /* callbacks that returned after the watchdog had answered */
    uint64_t respond_errors;       /* es_respond_auth_result did not return SUCCESS */
    uint64_t dropped_seq;          /* events missing from seq_num (per event type) */
    uint64_t dropped_global_seq;   /* events missing from global_seq_num */
} kg_es_counters;

/* Returns the answer to give (KG_ES_ALLOW or KG_ES_DENY). Runs on the shim's worker thread. */
typedef uint32_t (*kg_es_decide_fn)(void *context, const kg_es_event *event);

/* Called for every NOTIFY event, and once for every AUTH event after it was answered (auth_result and responder
 * say how). Runs on the shim's worker thread, in arrival order. */
typedef void (*kg_es_notify_fn)(void *context, const kg_es_event *event);

typedef struct kg_es_client kg_es_client;

KG_ES_EXPORT uint32_t kg_es_abi_version(void);

/* Creates the ES client, mutes this process (if configured) and subscribes to the three kext events.
 * On failure returns a KG_ES_ERR_* code (see kg_es_status_message) and *out stays NULL. */
KG_ES_EXPORT int32_t kg_es_start(const kg_es_config *config, kg_es_decide_fn decide, kg_es_notify_fn notify,
                                 void *context, kg_es_client **out);

/* Answers every pending AUTH message with the default, deletes the ES client and frees everything. Waits for a
 * callback in progress to return; no callback runs after it returns. Call it from the thread that called
 * kg_es_start (ES requires es_delete_client on the creating thread). */
KG_ES_EXPORT int32_t kg_es_stop(kg_es_client *client);

KG_ES_EXPORT void kg_es_get_counters(const kg_es_client *client, kg_es_counters *out);

/* A sentence saying what went wrong and what to do about it. Never NULL. */
KG_ES_EXPORT const char *kg_es_status_message(int32_t status);

#ifdef __cplusplus
}
#endif

#endif
