/*
 * decision-latency: reads kmodguard decision records (JSON lines) on stdin and measures, for each one produced by
 * `kmodguard-modtest flood` (which passes CLOCK_REALTIME in nanoseconds as the syscall's third argument, a2), the
 * time from the syscall to the moment the record reached this reader. Update records are skipped.
 * Prints: records, measured, p50/p90/p99/max in microseconds. Used by tests/perf/live-load.sh.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    static const char key[] = "\"kmodguard.linux.syscall.args\":[";
    size_t capacity = 1 << 20, count = 0;
    int64_t *latencies = malloc(capacity * sizeof *latencies);
    char *line = NULL;
    size_t size = 0;
    long records = 0;
    if (latencies == NULL) {
        return 2;
    }
    while (getline(&line, &size, stdin) > 0) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        records++;
        if (strstr(line, "\"kmodguard.update\":true") != NULL) {
            continue;
        }
        char *args = strstr(line, key);
        if (args == NULL) {
            continue;
        }
        /* Third element: skip two quoted values. */
        char *p = args + sizeof key - 1;
        for (int i = 0; i < 2 && p != NULL; i++) {
            p = strchr(p + 1, ',');
        }
        if (p == NULL || strncmp(p, ",\"0x", 4) != 0) {
            continue;
        }
        int64_t stamp = (int64_t)strtoull(p + 4, NULL, 16);
        int64_t nanos = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
        if (stamp < 1000000000000000000LL) {
            continue; /* not a flood call */
        }
        if (count == capacity) {
            capacity *= 2;
            int64_t *grown = realloc(latencies, capacity * sizeof *latencies);
            if (grown == NULL) {
                return 2;
            }
            latencies = grown;
        }
        latencies[count++] = (nanos - stamp) / 1000;
    }
    qsort(latencies, count, sizeof *latencies, compare);
#define PCT(q) (count ? latencies[(size_t)((double)(count - 1) * (q))] : 0)
    printf("records=%ld measured=%zu p50_us=%" PRId64 " p90_us=%" PRId64 " p99_us=%" PRId64 " max_us=%" PRId64 "\n",
           records, count, PCT(0.50), PCT(0.90), PCT(0.99), count ? latencies[count - 1] : 0);
    free(line);
    free(latencies);
    return 0;
}
