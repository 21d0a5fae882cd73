/* Deadline arithmetic: kept apart so the native tests can check it exactly. */
#include "kg_es_internal.h"

int64_t kg_es_ticks_to_ns(int64_t ticks, uint32_t numer, uint32_t denom)
{
    if (denom == 0) {
        return ticks;
    }
    /* (q * denom + r) * numer / denom, split so ticks * numer cannot overflow. */
    int64_t q = ticks / denom;
    int64_t r = ticks % denom;
    return q * numer + r * numer / denom;
}

int64_t kg_es_budget_ns(int64_t time_left_ns, uint32_t budget_percent, int64_t min_headroom_ns)
{
    if (time_left_ns <= 0) {
        return 0;
    }
    int64_t budget = time_left_ns / 100 * budget_percent + time_left_ns % 100 * budget_percent / 100;
    if (time_left_ns - budget < min_headroom_ns) {
        budget = time_left_ns - min_headroom_ns;
    }
    return budget > 0 ? budget : 0;
}
