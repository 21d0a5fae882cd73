/*
 * The shim's client: creates the ES client, copies each message, hands AUTH messages to a worker that asks the
 * decide callback, and lets a watchdog answer with the configured default before ES's deadline when the callback
 * is late. Exactly one answer per AUTH message is enforced by a compare-and-swap on kg_pending.outcome; the
 * winner responds and releases the message.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kg_es_internal.h"

#define DEFAULT_BUDGET_PERCENT 80u
#define DEFAULT_MIN_HEADROOM_NS 1000000000LL
#define DEFAULT_MAX_PENDING 65536u
/* The watchdog re-reads the monotonic clock at least this often, so a wall-clock jump cannot delay an answer. */
#define MAX_WAIT_NS 50000000LL
/* After each message the worker polls this long before sleeping: a thread wake-up costs more than the whole
 * decision, and kext messages come in bursts (a load is AUTH then NOTIFY). */
#define WORKER_SPIN_NS 50000LL

enum { SEQ_AUTH_KEXTLOAD, SEQ_NOTIFY_KEXTLOAD, SEQ_NOTIFY_KEXTUNLOAD, SEQ_TYPES };

/* Counters, in the field order of kg_es_counters. */
enum {
    C_MESSAGES, C_AUTH, C_NOTIFY, C_ALLOWED, C_DENIED, C_WATCHDOG, C_SHIM, C_LATE, C_RESPOND_ERRORS,
    C_DROPPED_SEQ, C_DROPPED_GLOBAL, C_COUNT
};

struct kg_es_client {
    const kg_es_ops *ops;
    es_client_t *es;
    kg_es_config config;
    kg_es_decide_fn decide;
    kg_es_notify_fn notify;
    void *context;
    uint32_t numer, denom;

    pthread_mutex_t lock;
    pthread_cond_t work_cv;
    pthread_cond_t watchdog_cv;
    kg_pending *queue_head, *queue_tail; /* worker FIFO, under lock */
    _Atomic uint32_t queued;             /* length of the FIFO, readable without the lock */
    kg_heap heap;                        /* unanswered AUTH messages, under lock */
    bool stopping;                       /* under lock: the handler answers directly, nothing new is queued */
    bool threads_exit;                   /* under lock */
    int64_t watchdog_wake_ns;            /* under lock: when the sleeping watchdog wakes up anyway */
    _Atomic bool stop_requested;         /* read without lock by the worker: no more callbacks */
    pthread_t worker, watchdog;
    bool worker_started, watchdog_started;

    /* Sequence tracking: only the ES handler touches these, and ES calls it serially. */
    uint64_t last_seq[SEQ_TYPES];
    bool have_seq[SEQ_TYPES];
    uint64_t last_global;
    bool have_global;

    _Atomic uint64_t counters[C_COUNT];
};

static void count(kg_es_client *c, int which, uint64_t n)
{
    atomic_fetch_add_explicit(&c->counters[which], n, memory_order_relaxed);
}

static int64_t now_ns(const kg_es_client *c)
{
    return kg_es_ticks_to_ns((int64_t)c->ops->mach_now(), c->numer, c->denom);
}

static uint32_t default_result(const kg_es_client *c)
{
    return c->config.fail_closed ? KG_ES_DENY : KG_ES_ALLOW;
}

/* The outcome word: nonzero once answered, holding who answered and with what. */
static uint32_t outcome(uint32_t responder, uint32_t result) { return responder << 1 | result; }

static void respond(kg_es_client *c, const es_message_t *msg, uint32_t result)
{
    es_respond_result_t r = c->ops->respond_auth_result(
        c->es, msg, result == KG_ES_DENY ? ES_AUTH_RESULT_DENY : ES_AUTH_RESULT_ALLOW, false /* kext events cannot be cached */);
    count(c, r == ES_RESPOND_RESULT_SUCCESS ? (result == KG_ES_DENY ? C_DENIED : C_ALLOWED) : C_RESPOND_ERRORS, 1);
}

/* Answers p's message unless someone already did; the single winner responds and releases the message. */
static bool answer(kg_es_client *c, kg_pending *p, uint32_t responder, uint32_t result)
{
    uint32_t unanswered = 0;
    if (!atomic_compare_exchange_strong(&p->outcome, &unanswered, outcome(responder, result))) {
        return false;
    }
    respond(c, p->msg, result);
    c->ops->release_message(p->msg);
    p->msg = NULL;
    return true;
}

static void unref(kg_pending *p)
{
    if (atomic_fetch_sub(&p->refs, 1) == 1) {
        free(p);
    }
}

/* Blocks on cv for at most wait_ns. pthread_cond_timedwait takes wall-clock time on every POSIX system. */
static void timed_wait(pthread_cond_t *cv, pthread_mutex_t *lock, int64_t wait_ns)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + wait_ns;
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_cond_timedwait(cv, lock, &until);
}

static void enqueue_locked(kg_es_client *c, kg_pending *p)
{
    p->next = NULL;
    if (c->queue_tail == NULL) {
        c->queue_head = p;
    } else {
        c->queue_tail->next = p;
    }
    c->queue_tail = p;
    atomic_fetch_add(&c->queued, 1);
    pthread_cond_signal(&c->work_cv);
}

static int seq_slot(es_event_type_t type)
{
    switch (type) {
    case ES_EVENT_TYPE_AUTH_KEXTLOAD: return SEQ_AUTH_KEXTLOAD;
    case ES_EVENT_TYPE_NOTIFY_KEXTLOAD: return SEQ_NOTIFY_KEXTLOAD;
    case ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD: return SEQ_NOTIFY_KEXTUNLOAD;
    default: return -1;
    }
}

/* A gap in seq_num / global_seq_num means the kernel dropped messages for this client (ESMessage.h). */
static void track_sequence(kg_es_client *c, const es_message_t *msg, int slot)
{
    if (msg->version >= 2) {
        if (c->have_seq[slot] && msg->seq_num > c->last_seq[slot] + 1) {
            count(c, C_DROPPED_SEQ, msg->seq_num - c->last_seq[slot] - 1);
        }
        c->last_seq[slot] = msg->seq_num;
        c->have_seq[slot] = true;
    }
    if (msg->version >= 4) {
        if (c->have_global && msg->global_seq_num > c->last_global + 1) {
            count(c, C_DROPPED_GLOBAL, msg->global_seq_num - c->last_global - 1);
        }
        c->last_global = msg->global_seq_num;
        c->have_global = true;
    }
}

/* ES's handler: runs serially on ES's queue and must return quickly, so it only copies and queues. */
static void handle(kg_es_client *c, const es_message_t *msg)
{
    count(c, C_MESSAGES, 1);
    bool auth = msg->action_type == ES_ACTION_TYPE_AUTH;
    int slot = seq_slot(msg->event_type);
    if (slot < 0) {
        if (auth) { /* not subscribed: cannot happen, but an AUTH must never go unanswered */
            respond(c, msg, default_result(c));
        }
        return;
    }
    track_sequence(c, msg, slot);
    count(c, auth ? C_AUTH : C_NOTIFY, 1);

    int64_t time_left = auth ? kg_es_ticks_to_ns((int64_t)(msg->deadline - c->ops->mach_now()), c->numer, c->denom) : 0;
    kg_pending *p = calloc(1, sizeof *p);
    if (p == NULL) {
        if (auth) {
            respond(c, msg, default_result(c));
            count(c, C_SHIM, 1);
        }
        return;
    }
    kg_es_copy_message(msg, time_left, &p->event);
    p->heap_index = KG_NOT_IN_HEAP;
    atomic_init(&p->refs, 1);

    pthread_mutex_lock(&c->lock);
    if (c->stopping) {
        pthread_mutex_unlock(&c->lock);
        if (auth) {
            respond(c, msg, default_result(c));
            count(c, C_SHIM, 1);
        }
        free(p);
        return;
    }
    if (auth) {
        int64_t budget = kg_es_budget_ns(time_left, c->config.budget_percent, c->config.min_headroom_ns);
        p->fire_at_ns = now_ns(c) + budget;
        bool held = false;
        if (budget > 0 && c->heap.count < c->config.max_pending) {
            c->ops->retain_message(msg);
            p->msg = msg;
            atomic_init(&p->refs, 2);
            held = kg_heap_push(&c->heap, p) == 0;
            if (!held) {
                atomic_init(&p->refs, 1);
                p->msg = NULL;
                c->ops->release_message(msg);
            }
        }
        if (held) {
            /* Wake the watchdog only if it would sleep past this message's budget: usually it will not
             * (budgets are seconds, it re-checks every 50 ms), which saves a thread wake-up per message. */
            if (p->fire_at_ns < c->watchdog_wake_ns) {
                pthread_cond_signal(&c->watchdog_cv);
            }
        } else { /* no time to ask, or too much pending: answer now, still report it */
            respond(c, msg, default_result(c));
            count(c, C_SHIM, 1);
            atomic_init(&p->outcome, outcome(KG_ES_RESPONDER_SHIM, default_result(c)));
        }
    }
    enqueue_locked(c, p);
    pthread_mutex_unlock(&c->lock);
}

static void process_auth(kg_es_client *c, kg_pending *p)
{
    if (atomic_load(&p->outcome) == 0 && !atomic_load(&c->stop_requested)) {
        uint32_t verdict = c->decide(c->context, &p->event) == KG_ES_DENY ? KG_ES_DENY : KG_ES_ALLOW;
        if (answer(c, p, KG_ES_RESPONDER_CALLBACK, verdict)) {
            pthread_mutex_lock(&c->lock);
            bool in_heap = p->heap_index != KG_NOT_IN_HEAP;
            kg_heap_remove(&c->heap, p);
            pthread_mutex_unlock(&c->lock);
            if (in_heap) {
                unref(p); /* the heap's reference */
            }
        } else {
            count(c, C_LATE, 1);
        }
    }
    uint32_t o = atomic_load(&p->outcome);
    if (o != 0 && !atomic_load(&c->stop_requested)) {
        p->event.responder = o >> 1;
        p->event.auth_result = o & 1;
        c->notify(c->context, &p->event);
    }
}

static void spin_for_work(kg_es_client *c)
{
    int64_t until = now_ns(c) + WORKER_SPIN_NS;
    while (atomic_load(&c->queued) == 0 && !atomic_load(&c->stop_requested) && now_ns(c) < until) {
        sched_yield();
    }
}

static void *worker_main(void *arg)
{
    kg_es_client *c = arg;
    for (;;) {
        spin_for_work(c);
        pthread_mutex_lock(&c->lock);
        while (c->queue_head == NULL && !c->threads_exit) {
            pthread_cond_wait(&c->work_cv, &c->lock);
        }
        if (c->threads_exit) {
            pthread_mutex_unlock(&c->lock);
            return NULL;
        }
        kg_pending *p = c->queue_head;
        atomic_fetch_sub(&c->queued, 1);
        c->queue_head = p->next;
        if (c->queue_head == NULL) {
            c->queue_tail = NULL;
        }
        pthread_mutex_unlock(&c->lock);

        if (p->event.event_type == KG_ES_EVENT_AUTH_KEXTLOAD) {
            process_auth(c, p);
        } else if (!atomic_load(&c->stop_requested)) {
            c->notify(c->context, &p->event);
        }
        unref(p);
    }
}

static void *watchdog_main(void *arg)
{
    kg_es_client *c = arg;
    pthread_mutex_lock(&c->lock);
    while (!c->threads_exit) {
        kg_pending *top = c->heap.count > 0 ? c->heap.items[0] : NULL;
        int64_t now = now_ns(c);
        if (top != NULL && top->fire_at_ns <= now) {
            kg_heap_pop(&c->heap);
            pthread_mutex_unlock(&c->lock);
            if (answer(c, top, KG_ES_RESPONDER_WATCHDOG, default_result(c))) {
                count(c, C_WATCHDOG, 1);
            }
            unref(top);
            pthread_mutex_lock(&c->lock);
            continue;
        }
        int64_t wait = top == NULL ? MAX_WAIT_NS : top->fire_at_ns - now;
        wait = wait < MAX_WAIT_NS ? wait : MAX_WAIT_NS;
        c->watchdog_wake_ns = now + wait;
        timed_wait(&c->watchdog_cv, &c->lock, wait);
        c->watchdog_wake_ns = 0; /* awake: anything new is seen on the next loop */
    }
    pthread_mutex_unlock(&c->lock);
    return NULL;
}

/* Stops and joins the threads, then frees whatever is still queued. The ES client must already be gone. */
static void destroy(kg_es_client *c)
{
    pthread_mutex_lock(&c->lock);
    c->threads_exit = true;
    pthread_cond_broadcast(&c->work_cv);
    pthread_cond_broadcast(&c->watchdog_cv);
    pthread_mutex_unlock(&c->lock);
    if (c->worker_started) {
        pthread_join(c->worker, NULL);
    }
    if (c->watchdog_started) {
        pthread_join(c->watchdog, NULL);
    }
    for (kg_pending *p = c->queue_head; p != NULL;) {
        kg_pending *next = p->next;
        unref(p);
        p = next;
    }
    kg_heap_free(&c->heap);
    pthread_cond_destroy(&c->watchdog_cv);
    pthread_cond_destroy(&c->work_cv);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

static bool valid_config(const kg_es_config *config, kg_es_decide_fn decide, kg_es_notify_fn notify)
{
    return config != NULL && config->struct_size == sizeof *config && decide != NULL && notify != NULL &&
           config->budget_percent <= 100 && config->min_headroom_ns >= 0;
}

uint32_t kg_es_abi_version(void) { return KG_ES_ABI_VERSION; }

int32_t kg_es_start(const kg_es_config *config, kg_es_decide_fn decide, kg_es_notify_fn notify, void *context,
                    kg_es_client **out)
{
    if (out == NULL || !valid_config(config, decide, notify)) {
        return KG_ES_ERR_BAD_CONFIG;
    }
    *out = NULL;
    kg_es_client *c = calloc(1, sizeof *c);
    if (c == NULL) {
        return KG_ES_ERR_OUT_OF_MEMORY;
    }
    c->ops = kg_es_platform_ops();
    c->config = *config;
    if (c->config.budget_percent == 0) {
        c->config.budget_percent = DEFAULT_BUDGET_PERCENT;
    }
    if (c->config.min_headroom_ns == 0) {
        c->config.min_headroom_ns = DEFAULT_MIN_HEADROOM_NS;
    }
    if (c->config.max_pending == 0) {
        c->config.max_pending = DEFAULT_MAX_PENDING;
    }
    c->decide = decide;
    c->notify = notify;
    c->context = context;
    c->ops->timebase(&c->numer, &c->denom);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->work_cv, NULL);
    pthread_cond_init(&c->watchdog_cv, NULL);

    c->worker_started = pthread_create(&c->worker, NULL, worker_main, c) == 0;
    c->watchdog_started = c->worker_started && pthread_create(&c->watchdog, NULL, watchdog_main, c) == 0;
    if (!c->watchdog_started) {
        destroy(c);
        return KG_ES_ERR_THREAD;
    }

    es_new_client_result_t created = c->ops->new_client(&c->es, ^(es_client_t *es, const es_message_t *msg) {
        (void)es;
        handle(c, msg);
    });
    if (created != ES_NEW_CLIENT_RESULT_SUCCESS) {
        destroy(c);
        return kg_es_status_from_new_client(created);
    }

    int32_t status = KG_ES_OK;
    audit_token_t self;
    if (config->mute_self &&
        (!c->ops->self_audit_token(&self) || c->ops->mute_process(c->es, &self) != ES_RETURN_SUCCESS)) {
        status = KG_ES_ERR_MUTE_FAILED;
    }
    static const es_event_type_t events[] = {
        ES_EVENT_TYPE_AUTH_KEXTLOAD, ES_EVENT_TYPE_NOTIFY_KEXTLOAD, ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD,
    };
    if (status == KG_ES_OK &&
        c->ops->subscribe(c->es, events, (uint32_t)(sizeof events / sizeof events[0])) != ES_RETURN_SUCCESS) {
        status = KG_ES_ERR_SUBSCRIBE_FAILED;
    }
    if (status != KG_ES_OK) {
        c->ops->delete_client(c->es);
        destroy(c);
        return status;
    }
    *out = c;
    return KG_ES_OK;
}

int32_t kg_es_stop(kg_es_client *c)
{
    if (c == NULL) {
        return KG_ES_ERR_INVALID_ARGUMENT;
    }
    atomic_store(&c->stop_requested, true);
    pthread_mutex_lock(&c->lock);
    c->stopping = true;
    for (kg_pending *p; (p = kg_heap_pop(&c->heap)) != NULL;) {
        pthread_mutex_unlock(&c->lock);
        if (answer(c, p, KG_ES_RESPONDER_SHIM, default_result(c))) {
            count(c, C_SHIM, 1);
        }
        unref(p);
        pthread_mutex_lock(&c->lock);
    }
    pthread_mutex_unlock(&c->lock);
    /* Every AUTH message is answered; after this ES calls the handler no more. */
    es_return_t deleted = c->ops->delete_client(c->es);
    destroy(c);
    return deleted == ES_RETURN_SUCCESS ? KG_ES_OK : KG_ES_ERR_INTERNAL;
}

void kg_es_get_counters(const kg_es_client *c, kg_es_counters *out)
{
    if (out == NULL) {
        return;
    }
    memset(out, 0, sizeof *out);
    if (c == NULL) {
        return;
    }
    kg_es_client *m = (kg_es_client *)c; /* atomics are read-only here */
    out->messages = atomic_load(&m->counters[C_MESSAGES]);
    out->auth_messages = atomic_load(&m->counters[C_AUTH]);
    out->notify_messages = atomic_load(&m->counters[C_NOTIFY]);
    out->auth_allowed = atomic_load(&m->counters[C_ALLOWED]);
    out->auth_denied = atomic_load(&m->counters[C_DENIED]);
    out->watchdog_answers = atomic_load(&m->counters[C_WATCHDOG]);
    out->shim_answers = atomic_load(&m->counters[C_SHIM]);
    out->late_callbacks = atomic_load(&m->counters[C_LATE]);
    out->respond_errors = atomic_load(&m->counters[C_RESPOND_ERRORS]);
    out->dropped_seq = atomic_load(&m->counters[C_DROPPED_SEQ]);
    out->dropped_global_seq = atomic_load(&m->counters[C_DROPPED_GLOBAL]);
}
