/*
 * auparse_bench: the libauparse peer of KmodGuard's audit log parsing benchmark.
 *
 * Walks every event, record and field of an audit log with Debian's libauparse (the library behind ausearch and
 * aureport), touching each field's name and raw value, and prints what it saw and how fast:
 *   records=N events=N fields=N seconds=S records_per_second=R
 * Usage: auparse_bench LOGFILE [REPEAT]
 */
#define _POSIX_C_SOURCE 200809L /* clock_gettime under -std=c11 */
#include <auparse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: %s LOGFILE [REPEAT]\n", argv[0]);
		return 2;
	}
	int repeat = argc == 3 ? atoi(argv[2]) : 1;
	unsigned long events = 0, records = 0, fields = 0, bytes = 0;
	double start = now_seconds();
	for (int i = 0; i < repeat; i++) {
		auparse_state_t *au = auparse_init(AUSOURCE_FILE, argv[1]);
		if (au == NULL) {
			perror(argv[1]);
			return 1;
		}
		while (auparse_next_event(au) > 0) {
			events++;
			do {
				records++;
				if (auparse_first_field(au) <= 0)
					continue;
				do {
					const char *name = auparse_get_field_name(au);
					const char *value = auparse_get_field_str(au);
					fields++;
					bytes += (name ? strlen(name) : 0) + (value ? strlen(value) : 0);
				} while (auparse_next_field(au) > 0);
			} while (auparse_next_record(au) > 0);
		}
		auparse_destroy(au);
	}
	double seconds = now_seconds() - start;
	printf("records=%lu events=%lu fields=%lu bytes=%lu seconds=%.3f records_per_second=%.0f\n",
	       records, events, fields, bytes, seconds, seconds > 0 ? (double)records / seconds : 0.0);
	return 0;
}
