/*
 * libFuzzer target: sp_requirements on any arrays and targets.
 *
 * Traps when a contract of staffplan.h breaks: a refused call names a
 * field in `diag` with a NUL-terminated message and the status it
 * returned; an accepted call gives, in every interval, agents >= 0 (and
 * >= min_agents), heads >= agents, finite traffic = volume * aht /
 * interval, probabilities in [0, 1], and every target it was given met.
 * One thread, so a run is reproducible.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_input.h"
#include "staffplan.h"

#define MAX_INTERVALS 48

static const sp_targets *g_t;
static size_t g_count, g_i;
static const double *g_volume, *g_aht, *g_shrink;
static size_t g_aht_count, g_shrink_count;

static void report(void)
{
    const sp_targets *t = g_t;
    fprintf(stderr,
            "count=%zu interval=%.17g sl=%.17g answer=%.17g asa=%.17g occ=%.17g "
            "patience=%.17g max_abandon=%.17g min_agents=%lld; at i=%zu: volume=%.17g "
            "aht=%.17g shrinkage=%.17g\n",
            g_count, t->interval, t->service_level, t->answer_time, t->asa,
            t->max_occupancy, t->patience, t->max_abandon, t->min_agents, g_i,
            g_i < g_count ? g_volume[g_i] : NAN,
            g_aht_count ? g_aht[g_aht_count == 1 ? 0 : g_i] : NAN,
            g_shrink ? g_shrink[g_shrink_count == 1 ? 0 : g_i] : 0.0);
}

static double opt_target(fuzz_in *in)
{
    /* Half the time a target is not given (NaN). */
    return (fz_byte(in) & 1) ? fz_double(in) : NAN;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    size_t count = fz_byte(&in) % (MAX_INTERVALS + 1);
    uint8_t shape = fz_byte(&in);
    size_t aht_count = (shape & 1) ? count : 1;
    size_t shrink_count = (shape & 2) ? count : 1;
    int with_shrink = (shape & 4) != 0;
    if (aht_count == 0)
        aht_count = (shape & 8) ? 0 : 1; /* 0 values: must be refused */

    sp_targets t;
    sp_targets_init(&t);
    if (shape & 16)
        t.interval = fz_double(&in);
    t.service_level = opt_target(&in);
    t.answer_time = fz_double(&in);
    t.asa = opt_target(&in);
    t.max_occupancy = opt_target(&in);
    t.patience = opt_target(&in);
    t.max_abandon = opt_target(&in);
    t.min_agents = (shape & 32) ? fz_count(&in) : 0;

    double volume[MAX_INTERVALS + 1], aht[MAX_INTERVALS + 1], shrink[MAX_INTERVALS + 1];
    for (size_t i = 0; i < count; i++)
        volume[i] = fz_double(&in);
    for (size_t i = 0; i < aht_count; i++)
        aht[i] = fz_double(&in);
    for (size_t i = 0; i < shrink_count; i++)
        shrink[i] = fz_double(&in);

    long long agents[MAX_INTERVALS + 1], heads[MAX_INTERVALS + 1];
    double traffic[MAX_INTERVALS + 1], sl[MAX_INTERVALS + 1], asa[MAX_INTERVALS + 1],
        occ[MAX_INTERVALS + 1], pw[MAX_INTERVALS + 1], pab[MAX_INTERVALS + 1];
    sp_requirements_out out = {agents, heads, traffic, sl, asa, occ, pw, pab};
    if (shape & 64)
        out.asa = NULL; /* any output may be left out */
    g_t = &t, g_count = count, g_i = 0, g_volume = volume, g_aht = aht;
    g_shrink = with_shrink ? shrink : NULL;
    g_aht_count = aht_count, g_shrink_count = shrink_count;
    sp_diag diag;
    memset(&diag, 0x5A, sizeof diag);
    int rc = sp_requirements(count, volume, aht, aht_count,
                             with_shrink ? shrink : NULL, shrink_count, &t, 1, &out,
                             &diag);
    if (rc != SP_OK) {
        CHECK(rc == SP_EINVAL || rc == SP_EUNREACHABLE || rc == SP_ETOOBIG);
        CHECK(diag.status == rc);
        CHECK(memchr(diag.field, '\0', sizeof diag.field) != NULL);
        CHECK(memchr(diag.message, '\0', sizeof diag.message) != NULL);
        CHECK(diag.message[0] != '\0');
        CHECK(diag.index >= -1 && diag.index < (long long)(count > 0 ? count : 1));
        return 0;
    }
    const double slack = 1e-9;
    for (size_t i = 0; i < count; i++) {
        g_i = i;
        double h = aht[aht_count == 1 ? 0 : i];
        double a = volume[i] * h / t.interval;
        double s = with_shrink ? shrink[shrink_count == 1 ? 0 : i] : 0.0;
        CHECK(volume[i] >= 0.0 && isfinite(volume[i]) && h > 0.0 && isfinite(h));
        CHECK(s >= 0.0 && s < 1.0);
        CHECK(traffic[i] == a && isfinite(a));
        CHECK(agents[i] >= 0 && agents[i] >= t.min_agents);
        CHECK(heads[i] >= agents[i]);
        CHECK(heads[i] == sp_heads(agents[i], s));
        CHECK(sl[i] >= 0.0 && sl[i] <= 1.0 && pw[i] >= 0.0 && pw[i] <= 1.0);
        if (a > 0.0 && isnan(t.patience))
            CHECK((double)agents[i] > a); /* a stable queue */
        if (!isnan(t.service_level))
            CHECK(sl[i] >= t.service_level * (1.0 - slack));
        if (!isnan(t.max_occupancy))
            CHECK(occ[i] <= t.max_occupancy * (1.0 + slack));
        if (!isnan(t.max_abandon))
            CHECK(pab[i] <= t.max_abandon * (1.0 + slack));
    }
    return 0;
}
