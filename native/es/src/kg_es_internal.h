/* Internal pieces of the shim, shared between its source files and the native tests. */
#ifndef KG_ES_INTERNAL_H
#define KG_ES_INTERNAL_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "kg_es_ops.h"
#include "kmodguard_es.h"

/* Copies what policy and telemetry need from an ES message into *out, reading versioned fields only when
 * msg->version has them. deadline_ns is the time left before msg->deadline (AUTH only; computed by the caller). */
void kg_es_copy_message(const es_message_t *msg, int64_t deadline_ns, kg_es_event *out);

/* Mach ticks to nanoseconds without overflowing for any realistic uptime. */
int64_t kg_es_ticks_to_ns(int64_t ticks, uint32_t numer, uint32_t denom);

/* How long the decide callback may take for a message with time_left_ns before its deadline: budget_percent of the
 * time left, but never closer than min_headroom_ns to the deadline. 0 means "answer the default now". */
int64_t kg_es_budget_ns(int64_t time_left_ns, uint32_t budget_percent, int64_t min_headroom_ns);

/* Maps es_new_client's result to a KG_ES_* status. */
int32_t kg_es_status_from_new_client(es_new_client_result_t result);

/* One AUTH or NOTIFY message on its way through the shim. */
typedef struct kg_pending {
    const es_message_t *msg;  /* retained AUTH message until answered; NULL for NOTIFY events and after answering */
    _Atomic uint32_t outcome; /* 0 while unanswered, else kg_outcome(responder, result): set once, by CAS */
    _Atomic uint32_t refs;    /* worker queue + watchdog heap */
    int64_t fire_at_ns;       /* monotonic time at which the watchdog answers */
    size_t heap_index;        /* position in the watchdog heap, or KG_NOT_IN_HEAP */
    struct kg_pending *next;  /* worker queue link */
    kg_es_event event;
} kg_pending;

#define KG_NOT_IN_HEAP ((size_t)-1)

/* A binary min-heap of pending AUTH messages ordered by fire_at_ns, with removal by index. */
typedef struct kg_heap {
    kg_pending **items;
    size_t count;
    size_t capacity;
} kg_heap;

int kg_heap_push(kg_heap *heap, kg_pending *item); /* 0, or -1 when out of memory */
kg_pending *kg_heap_pop(kg_heap *heap);
void kg_heap_remove(kg_heap *heap, kg_pending *item);
void kg_heap_free(kg_heap *heap);

#endif
