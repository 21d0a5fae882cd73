/*
 * The Endpoint Security test double: implements the subset of Apple's ES API that the shim uses (declared in
 * include/EndpointSecurity/EndpointSecurity.h with Apple's names) plus the driver API of fake_es_driver.h.
 * One client at a time, delivered serially on its own thread as ES does. A message whose last reference is gone
 * stays allocated in a quarantine of the last QUARANTINE such messages, so a response or release after the last
 * reference is reported as a violation instead of corrupting memory (a benchmark injects millions of messages, so
 * older ones are freed).
 */
#include <Block.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fake_es_driver.h"
#include "kg_es_ops.h"

typedef struct fake_record {
    es_message_t *msg;
    int32_t refs; /* the double's own reference while delivering, plus the client's retains */
    bool auth;
    bool queued;  /* waiting for delivery */
    bool delivered;
    int32_t responses;
    int32_t result;
    int64_t inject_ns, deliver_ns, respond_ns, deadline_ns;
} fake_record;

#define QUARANTINE 4096

/* A message the double itself delivers this close to (or past) its deadline cannot be answered in time by any
 * client: a late answer to it is counted in stats.late_deliveries, not as the client's violation. */
#define DELIVERY_GRACE_NS 50000000

/* Kept in the message's opaque tail, as Apple keeps its own bookkeeping there. */
typedef struct fake_extra {
    uint64_t id;
    es_process_t process;
    es_file_t executable;
    es_thread_t thread;
    char strings[];
} fake_extra;

struct es_client_s {
    es_handler_block_t handler;
    pthread_t creator;
    pthread_t delivery;
    pthread_cond_t queue_cv;
    uint64_t *queue; /* ring of message ids */
    size_t queue_head, queue_count, queue_capacity;
    bool deleted;
    uint32_t subscribed_mask;
    audit_token_t muted[16];
    int muted_count;
    uint64_t seq[3];
    uint64_t global_seq;
};

static pthread_mutex_t g_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t g_changed = PTHREAD_COND_INITIALIZER; /* a response, a delivery */
static fake_record *g_records;
static size_t g_count, g_capacity;
static es_client_t *g_client;
static int32_t g_new_client_result;
static _Atomic uint32_t g_numer = 1, g_denom = 1; /* read without the lock: the clock is on every hot path */
static int32_t g_subscribe_fails, g_mute_fails;
static uint64_t g_undelivered; /* queued, not yet delivered or dropped */
static uint64_t g_live;        /* messages with references */
static uint64_t g_quarantine[QUARANTINE]; /* ids of released messages still allocated, oldest first (ring) */
static size_t g_quarantine_next;
static fake_es_stats g_stats;
static char g_text[4096];
static size_t g_text_length;

static int64_t mono_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

static uint64_t ns_to_ticks(int64_t ns)
{
    uint64_t numer = g_numer, denom = g_denom;
    return ns <= 0 ? 0 : (uint64_t)ns / numer * denom + (uint64_t)ns % numer * denom / numer;
}

/* Records a broken rule. Caller holds g_lock. */
static void violation(const char *format, ...)
{
    g_stats.violations++;
    if (g_text_length + 2 >= sizeof g_text) {
        return;
    }
    va_list args;
    va_start(args, format);
    int n = vsnprintf(g_text + g_text_length, sizeof g_text - g_text_length - 1, format, args);
    va_end(args);
    if (n > 0) {
        g_text_length += (size_t)n < sizeof g_text - g_text_length - 1 ? (size_t)n : sizeof g_text - g_text_length - 2;
        g_text[g_text_length++] = '\n';
        g_text[g_text_length] = '\0';
    }
}

static fake_record *record_of(const es_message_t *msg)
{
    const fake_extra *x = (const fake_extra *)msg->opaque;
    return &g_records[x->id - 1];
}

/* Drops one reference; the last one sends the message to the quarantine. Caller holds g_lock. */
static void unref_locked(fake_record *r)
{
    if (--r->refs > 0) {
        return;
    }
    g_live--;
    uint64_t *slot = &g_quarantine[g_quarantine_next++ % QUARANTINE];
    if (*slot != 0) {
        free(g_records[*slot - 1].msg);
        g_records[*slot - 1].msg = NULL;
    }
    *slot = (uint64_t)(r - g_records) + 1;
}

static int type_slot(uint32_t type)
{
    return type == ES_EVENT_TYPE_AUTH_KEXTLOAD ? 0 : type == ES_EVENT_TYPE_NOTIFY_KEXTLOAD ? 1
         : type == ES_EVENT_TYPE_NOTIFY_KEXTUNLOAD ? 2 : -1;
}

/* --- libbsm ------------------------------------------------------------------------------------------------- */

uid_t audit_token_to_auid(audit_token_t t) { return t.val[0]; }
uid_t audit_token_to_euid(audit_token_t t) { return t.val[1]; }
uid_t audit_token_to_ruid(audit_token_t t) { return t.val[3]; }
pid_t audit_token_to_pid(audit_token_t t) { return (pid_t)t.val[5]; }
au_asid_t audit_token_to_asid(audit_token_t t) { return (au_asid_t)t.val[6]; }
int audit_token_to_pidversion(audit_token_t t) { return (int)t.val[7]; }

static audit_token_t make_token(int32_t pid, int32_t pidversion, uint32_t auid, uint32_t euid, uint32_t ruid,
                                int32_t asid)
{
    audit_token_t t = {{auid, euid, 0, ruid, 0, (unsigned)pid, (unsigned)asid, (unsigned)pidversion}};
    return t;
}

/* --- the ES API ----------------------------------------------------------------------------------------------- */

static void *deliver(void *arg)
{
    es_client_t *c = arg;
    pthread_mutex_lock(&g_lock);
    for (;;) {
        while (!c->deleted && c->queue_count == 0) {
            pthread_cond_wait(&c->queue_cv, &g_lock);
        }
        if (c->deleted) {
            break;
        }
        uint64_t id = c->queue[c->queue_head];
        c->queue_head = (c->queue_head + 1) % c->queue_capacity;
        c->queue_count--;
        fake_record *r = &g_records[id - 1];
        es_message_t *msg = r->msg;
        r->queued = false;
        r->delivered = true;
        r->deliver_ns = mono_ns();
        g_stats.delivered++;
        pthread_mutex_unlock(&g_lock);
        c->handler(c, msg);
        pthread_mutex_lock(&g_lock);
        unref_locked(record_of(msg)); /* the double's own reference: the message lives on only if retained */
        g_undelivered--;
        pthread_cond_broadcast(&g_changed);
    }
    pthread_mutex_unlock(&g_lock);
    return NULL;
}

es_new_client_result_t es_new_client(es_client_t **client, es_handler_block_t handler)
{
    pthread_mutex_lock(&g_lock);
    es_new_client_result_t result = (es_new_client_result_t)g_new_client_result;
    if (result == ES_NEW_CLIENT_RESULT_SUCCESS && g_client != NULL) {
        result = ES_NEW_CLIENT_RESULT_ERR_TOO_MANY_CLIENTS;
    }
    es_client_t *c = NULL;
    if (result == ES_NEW_CLIENT_RESULT_SUCCESS) {
        c = calloc(1, sizeof *c);
        if (c == NULL) {
            result = ES_NEW_CLIENT_RESULT_ERR_INTERNAL;
        }
    }
    if (c != NULL) {
        c->handler = Block_copy(handler);
        c->creator = pthread_self();
        pthread_cond_init(&c->queue_cv, NULL);
        if (pthread_create(&c->delivery, NULL, deliver, c) != 0) {
            Block_release(c->handler);
            free(c);
            c = NULL;
            result = ES_NEW_CLIENT_RESULT_ERR_INTERNAL;
        } else {
            g_client = c;
            g_stats.live_clients = 1;
        }
    }
    pthread_mutex_unlock(&g_lock);
    *client = c;
    return result;
}

es_return_t es_delete_client(es_client_t *client)
{
    pthread_mutex_lock(&g_lock);
    if (client == NULL || client != g_client) {
        violation("es_delete_client on a client that is not alive");
        pthread_mutex_unlock(&g_lock);
        return ES_RETURN_ERROR;
    }
    if (!pthread_equal(pthread_self(), client->creator)) {
        violation("es_delete_client called from a thread other than the one that called es_new_client");
    }
    client->deleted = true;
    pthread_cond_signal(&client->queue_cv);
    pthread_mutex_unlock(&g_lock);
    pthread_join(client->delivery, NULL); /* a handler call in progress finishes first */

    pthread_mutex_lock(&g_lock);
    for (; client->queue_count > 0; client->queue_count--) { /* never delivered: dropped with the client */
        fake_record *r = &g_records[client->queue[client->queue_head] - 1];
        client->queue_head = (client->queue_head + 1) % client->queue_capacity;
        r->queued = false;
        unref_locked(r);
        g_undelivered--;
    }
    g_client = NULL;
    g_stats.live_clients = 0;
    pthread_cond_broadcast(&g_changed);
    pthread_mutex_unlock(&g_lock);

    Block_release(client->handler);
    pthread_cond_destroy(&client->queue_cv);
    free(client->queue);
    free(client);
    return ES_RETURN_SUCCESS;
}

es_return_t es_subscribe(es_client_t *client, const es_event_type_t *events, uint32_t event_count)
{
    pthread_mutex_lock(&g_lock);
    g_stats.subscribe_calls++;
    es_return_t r = ES_RETURN_ERROR;
    if (client == g_client && !g_subscribe_fails) {
        for (uint32_t i = 0; i < event_count; i++) {
            int slot = type_slot((uint32_t)events[i]);
            if (slot >= 0) {
                client->subscribed_mask |= 1u << slot;
            }
        }
        g_stats.subscribed_mask = client->subscribed_mask;
        r = ES_RETURN_SUCCESS;
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

es_return_t es_mute_process(es_client_t *client, const audit_token_t *audit_token)
{
    pthread_mutex_lock(&g_lock);
    g_stats.mute_calls++;
    es_return_t r = ES_RETURN_ERROR;
    if (client == g_client && !g_mute_fails && client->muted_count < 16) {
        client->muted[client->muted_count++] = *audit_token;
        r = ES_RETURN_SUCCESS;
    }
    pthread_mutex_unlock(&g_lock);
    return r;
}

es_respond_result_t es_respond_auth_result(es_client_t *client, const es_message_t *message, es_auth_result_t result,
                                           bool cache)
{
    (void)cache;
    int64_t now = mono_ns();
    pthread_mutex_lock(&g_lock);
    fake_record *r = record_of(message);
    uint64_t id = (uint64_t)(r - g_records) + 1;
    es_respond_result_t ret = ES_RESPOND_RESULT_SUCCESS;
    if (client == NULL || client != g_client) {
        violation("message %llu: response after es_delete_client", (unsigned long long)id);
        ret = ES_RESPOND_RESULT_ERR_INVALID_ARGUMENT;
    } else if (r->refs <= 0) {
        violation("message %llu: response after its last release", (unsigned long long)id);
        ret = ES_RESPOND_RESULT_ERR_INVALID_ARGUMENT;
    } else if (!r->auth) {
        violation("message %llu: es_respond_auth_result on a NOTIFY message", (unsigned long long)id);
        ret = ES_RESPOND_RESULT_ERR_EVENT_TYPE;
    } else if (r->responses > 0) {
        violation("message %llu: answered twice (ERR_DUPLICATE_RESPONSE)", (unsigned long long)id);
        ret = ES_RESPOND_RESULT_ERR_DUPLICATE_RESPONSE;
    }
    if (r->responses++ == 0) {
        r->result = (int32_t)result;
        r->respond_ns = now;
        if (r->auth && now > r->deadline_ns && r->deliver_ns > r->deadline_ns - DELIVERY_GRACE_NS) {
            g_stats.late_deliveries++;
        } else if (r->auth && now > r->deadline_ns) {
            violation("message %llu: answered %lld ns after its deadline (ES kills such a client)",
                      (unsigned long long)id, (long long)(now - r->deadline_ns));
        }
    }
    g_stats.responses++;
    pthread_cond_broadcast(&g_changed);
    pthread_mutex_unlock(&g_lock);
    return ret;
}

void es_retain_message(const es_message_t *msg)
{
    pthread_mutex_lock(&g_lock);
    fake_record *r = record_of(msg);
    g_stats.retains++;
    if (r->refs <= 0) {
        violation("message %llu: retained after its last release", (unsigned long long)(r - g_records) + 1);
    } else {
        r->refs++;
    }
    pthread_mutex_unlock(&g_lock);
}

void es_release_message(const es_message_t *msg)
{
    pthread_mutex_lock(&g_lock);
    fake_record *r = record_of(msg);
    g_stats.releases++;
    if (r->refs <= 0) {
        violation("message %llu: released more often than retained", (unsigned long long)(r - g_records) + 1);
    } else {
        unref_locked(r);
    }
    pthread_mutex_unlock(&g_lock);
}

/* --- the seam for the shim ------------------------------------------------------------------------------------ */

static uint64_t fake_mach_now(void) { return ns_to_ticks(mono_ns()); }

static void fake_timebase(uint32_t *numer, uint32_t *denom)
{
    *numer = g_numer;
    *denom = g_denom;
}

static bool fake_self_audit_token(audit_token_t *token)
{
    *token = make_token(getpid(), 1, 0, 0, 0, 0);
    return true;
}

const kg_es_ops *kg_es_platform_ops(void)
{
    static const kg_es_ops ops = {
        .new_client = es_new_client,
        .delete_client = es_delete_client,
        .subscribe = es_subscribe,
        .mute_process = es_mute_process,
        .respond_auth_result = es_respond_auth_result,
        .retain_message = es_retain_message,
        .release_message = es_release_message,
        .mach_now = fake_mach_now,
        .timebase = fake_timebase,
        .self_audit_token = fake_self_audit_token,
    };
    return &ops;
}

/* --- the driver ----------------------------------------------------------------------------------------------- */

static void copy_string(fake_es_str from, char **cursor, es_string_token_t *to)
{
    if (from.length > 0) {
        memcpy(*cursor, from.data, from.length);
    }
    to->data = *cursor;
    to->length = from.length;
    *cursor += from.length + 1; /* calloc'd: NUL-terminated, as ES's strings normally are */
}

/* Fields a version does not have are filled with garbage, so a shim that reads them unguarded is caught. */
#define POISON 0xA5

static es_message_t *build_message(const fake_es_spec *s, int64_t now)
{
    size_t strings = s->kext_id.length + s->signing_id.length + s->team_id.length + s->executable.length + 4;
    es_message_t *m = calloc(1, sizeof *m + sizeof(fake_extra) + strings);
    if (m == NULL) {
        return NULL;
    }
    fake_extra *x = (fake_extra *)m->opaque;
    char *cursor = x->strings;
    es_process_t *p = &x->process;
    memset(p, POISON, sizeof *p);
    p->audit_token = make_token(s->pid, s->pidversion, s->auid, s->euid, s->ruid, s->session_id);
    p->ppid = s->ppid;
    p->original_ppid = s->original_ppid;
    p->group_id = s->pid;
    p->session_id = s->session_id;
    p->codesigning_flags = s->codesigning_flags;
    p->is_platform_binary = s->platform_binary != 0;
    p->is_es_client = s->es_client != 0;
    memcpy(p->cdhash, s->cdhash, sizeof p->cdhash);
    copy_string(s->signing_id, &cursor, &p->signing_id);
    copy_string(s->team_id, &cursor, &p->team_id);
    copy_string(s->executable, &cursor, &x->executable.path);
    x->executable.path_truncated = s->path_truncated != 0;
    p->executable = &x->executable;
    if (s->version >= 2) {
        p->tty = NULL;
    }
    if (s->version >= 3) {
        p->start_time.tv_sec = now / 1000000000;
        p->start_time.tv_usec = 0;
    }
    if (s->version >= 4) {
        p->responsible_audit_token = make_token(s->responsible_pid, 1, s->auid, s->euid, s->ruid, s->session_id);
        p->parent_audit_token = make_token(s->parent_pid, 1, s->auid, s->euid, s->ruid, s->session_id);
    }

    memset(m, POISON, sizeof *m);
    m->version = s->version;
    struct timespec wall;
    clock_gettime(CLOCK_REALTIME, &wall);
    m->time = wall;
    m->mach_time = ns_to_ticks(now);
    m->deadline = ns_to_ticks(now + s->deadline_ns);
    m->process = p;
    m->action_type = s->event_type == ES_EVENT_TYPE_AUTH_KEXTLOAD ? ES_ACTION_TYPE_AUTH : ES_ACTION_TYPE_NOTIFY;
    memset(&m->action, 0, sizeof m->action);
    m->event_type = (es_event_type_t)s->event_type;
    memset(&m->event, 0, sizeof m->event);
    copy_string(s->kext_id, &cursor, &m->event.kextload.identifier);
    if (s->version >= 4) {
        x->thread.thread_id = (uint64_t)s->pid * 1000;
        m->thread = &x->thread;
    }
    return m;
}

static bool muted(const es_client_t *c, const es_process_t *p)
{
    for (int i = 0; i < c->muted_count; i++) {
        /* pid and pidversion name one process instance, which is what a muted audit token stands for */
        if (audit_token_to_pid(c->muted[i]) == audit_token_to_pid(p->audit_token) &&
            audit_token_to_pidversion(c->muted[i]) == audit_token_to_pidversion(p->audit_token)) {
            return true;
        }
    }
    return false;
}

static bool grow_queue(es_client_t *c)
{
    if (c->queue_count < c->queue_capacity) {
        return true;
    }
    size_t capacity = c->queue_capacity == 0 ? 256 : c->queue_capacity * 2;
    uint64_t *queue = malloc(capacity * sizeof *queue);
    if (queue == NULL) {
        return false;
    }
    for (size_t i = 0; i < c->queue_count; i++) {
        queue[i] = c->queue[(c->queue_head + i) % c->queue_capacity];
    }
    free(c->queue);
    c->queue = queue;
    c->queue_head = 0;
    c->queue_capacity = capacity;
    return true;
}

uint64_t fake_es_inject(const fake_es_spec *spec)
{
    int slot = type_slot(spec->event_type);
    pthread_mutex_lock(&g_lock);
    es_client_t *c = g_client;
    int64_t now = mono_ns();
    es_message_t *m = slot < 0 || c == NULL || c->deleted ? NULL : build_message(spec, now);
    if (m == NULL || !grow_queue(c)) {
        free(m);
        pthread_mutex_unlock(&g_lock);
        return 0;
    }
    if (g_count == g_capacity) {
        size_t capacity = g_capacity == 0 ? 1024 : g_capacity * 2;
        fake_record *records = realloc(g_records, capacity * sizeof *records);
        if (records == NULL) {
            free(m);
            pthread_mutex_unlock(&g_lock);
            return 0;
        }
        g_records = records;
        g_capacity = capacity;
    }
    uint64_t id = ++g_count;
    ((fake_extra *)m->opaque)->id = id;
    c->seq[slot] += 1 + spec->seq_skip;
    c->global_seq += 1 + spec->seq_skip;
    if (spec->version >= 2) {
        m->seq_num = c->seq[slot];
    }
    if (spec->version >= 4) {
        m->global_seq_num = c->global_seq;
    }
    fake_record *r = &g_records[id - 1];
    *r = (fake_record){.msg = m, .auth = m->action_type == ES_ACTION_TYPE_AUTH, .inject_ns = now,
                       .deadline_ns = now + spec->deadline_ns};
    g_stats.injected++;
    if (!(c->subscribed_mask & (1u << slot)) || muted(c, m->process)) {
        g_stats.muted++;
    } else {
        r->refs = 1;
        g_live++;
        r->queued = true;
        g_undelivered++;
        c->queue[(c->queue_head + c->queue_count++) % c->queue_capacity] = id;
        pthread_cond_signal(&c->queue_cv);
    }
    pthread_mutex_unlock(&g_lock);
    return id;
}

/* pthread_cond_timedwait takes wall-clock time; the callers loop on the monotonic clock. */
static void wait_changed(int64_t wait_ns)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    int64_t ns = until.tv_nsec + (wait_ns < 50000000 ? wait_ns : 50000000);
    until.tv_sec += (time_t)(ns / 1000000000);
    until.tv_nsec = (long)(ns % 1000000000);
    pthread_cond_timedwait(&g_changed, &g_lock, &until);
}

int32_t fake_es_wait_response(uint64_t id, int64_t timeout_ns, fake_es_response *out)
{
    int64_t until = mono_ns() + timeout_ns;
    pthread_mutex_lock(&g_lock);
    int32_t answered = 0;
    if (id >= 1 && id <= g_count) {
        int64_t now;
        while (g_records[id - 1].responses == 0 && (now = mono_ns()) < until) {
            wait_changed(until - now);
        }
        fake_record *r = &g_records[id - 1];
        answered = r->responses > 0;
        if (out != NULL) {
            *out = (fake_es_response){r->responses, r->result, answered ? r->respond_ns - r->inject_ns : 0,
                                      answered ? r->deadline_ns - r->respond_ns : 0};
        }
    }
    pthread_mutex_unlock(&g_lock);
    return answered;
}

int32_t fake_es_wait_delivered(int64_t timeout_ns)
{
    int64_t until = mono_ns() + timeout_ns, now;
    pthread_mutex_lock(&g_lock);
    while (g_undelivered > 0 && (now = mono_ns()) < until) {
        wait_changed(until - now);
    }
    int32_t done = g_undelivered == 0;
    pthread_mutex_unlock(&g_lock);
    return done;
}

void fake_es_get_stats(fake_es_stats *out)
{
    pthread_mutex_lock(&g_lock);
    *out = g_stats;
    out->live_messages = g_live;
    pthread_mutex_unlock(&g_lock);
}

uint64_t fake_es_check(char *text, size_t size)
{
    pthread_mutex_lock(&g_lock);
    uint64_t before = g_stats.violations;
    size_t length = g_text_length;
    for (size_t i = 0; i < g_count; i++) {
        fake_record *r = &g_records[i];
        if (r->auth && r->delivered && r->responses != 1) {
            violation("message %zu: AUTH answered %d times (exactly once is required)", i + 1, r->responses);
        }
        if (r->refs != 0 && !r->queued) {
            violation("message %zu: still referenced %d times after its last use (leak)", i + 1, r->refs);
        }
    }
    uint64_t total = g_stats.violations;
    if (text != NULL && size > 0) {
        snprintf(text, size, "%s", g_text);
    }
    /* The end-of-test findings are reported, not kept: checking twice gives the same answer. */
    g_stats.violations = before;
    g_text_length = length;
    g_text[length] = '\0';
    pthread_mutex_unlock(&g_lock);
    return total;
}

void fake_es_reset(void)
{
    pthread_mutex_lock(&g_lock);
    for (size_t i = 0; i < g_count; i++) {
        free(g_records[i].msg);
    }
    free(g_records);
    g_records = NULL;
    g_count = g_capacity = 0;
    g_new_client_result = ES_NEW_CLIENT_RESULT_SUCCESS;
    g_numer = g_denom = 1;
    g_subscribe_fails = g_mute_fails = 0;
    g_undelivered = 0;
    g_live = 0;
    memset(g_quarantine, 0, sizeof g_quarantine);
    g_quarantine_next = 0;
    uint32_t live = g_stats.live_clients;
    memset(&g_stats, 0, sizeof g_stats);
    g_stats.live_clients = live;
    g_text_length = 0;
    g_text[0] = '\0';
    if (live) {
        violation("fake_es_reset with a live client: es_delete_client was never called");
    }
    pthread_mutex_unlock(&g_lock);
}

void fake_es_set_new_client_result(int32_t result)
{
    pthread_mutex_lock(&g_lock);
    g_new_client_result = result;
    pthread_mutex_unlock(&g_lock);
}

void fake_es_set_timebase(uint32_t numer, uint32_t denom)
{
    pthread_mutex_lock(&g_lock);
    g_numer = numer == 0 ? 1 : numer;
    g_denom = denom == 0 ? 1 : denom;
    pthread_mutex_unlock(&g_lock);
}

void fake_es_set_failures(int32_t subscribe_fails, int32_t mute_fails)
{
    pthread_mutex_lock(&g_lock);
    g_subscribe_fails = subscribe_fails;
    g_mute_fails = mute_fails;
    pthread_mutex_unlock(&g_lock);
}

int32_t fake_es_self_pid(void) { return getpid(); }
