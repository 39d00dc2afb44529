/*
 * libFuzzer target: the one-interval formulas (sp_erlang_b, sp_erlang_c,
 * sp_service_level, sp_asa, sp_occupancy, sp_erlang_a) on any arguments.
 *
 * Besides the sanitizers' checks it traps when a documented contract
 * breaks: in-domain arguments give probabilities in [0, 1] and ASA >= 0;
 * out-of-domain ones give NaN (or SP_EINVAL with `out` untouched); and
 * every call returns (libFuzzer's -timeout catches a call that does not).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fuzz_input.h"
#include "staffplan.h"

static long long g_n;
static double g_a, g_aht, g_patience, g_t;

static void report(void)
{
    fprintf(stderr, "n=%lld a=%.17g aht=%.17g patience=%.17g t=%.17g\n", g_n, g_a,
            g_aht, g_patience, g_t);
}

static int unit(double p) { return p >= 0.0 && p <= 1.0; }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_in in = {data, size};
    long long n = fz_count(&in);
    double a = fz_double(&in), aht = fz_double(&in), patience = fz_double(&in),
           t = fz_double(&in);
    g_n = n, g_a = a, g_aht = aht, g_patience = patience, g_t = t;

    /* The domain of the formulas: n >= 0, 0 <= a <= SP_MAX_TRAFFIC. */
    int n_ok = n >= 0;
    int a_ok = a >= 0.0 && a <= SP_MAX_TRAFFIC;
    int aht_ok = aht > 0.0 && isfinite(aht);

    double b = sp_erlang_b(n, a);
    double c = sp_erlang_c(n, a);
    double occ = sp_occupancy(n, a);
    if (n_ok && a_ok) {
        CHECK(unit(b) && unit(c) && unit(occ));
        if (a > 0.0) /* waiting is at least as likely as blocking */
            CHECK(!(b > c * (1.0 + 1e-12)));
    } else {
        CHECK(isnan(b) && isnan(c) && isnan(occ));
    }
    double sl = sp_service_level(n, a, aht, t);
    double asa = sp_asa(n, a, aht);
    if (n_ok && a_ok && aht_ok && t >= 0.0) {
        CHECK(unit(sl));
        CHECK(asa >= 0.0); /* +inf allowed when n <= a */
    }

    sp_erlang_a_metrics m;
    memset(&m, 0xA5, sizeof m);
    sp_erlang_a_metrics untouched = m;
    int rc = sp_erlang_a(n, a, aht, patience, t, &m);
    if (rc == SP_OK) {
        CHECK(n_ok && a_ok && aht_ok && patience > 0.0 && isfinite(patience) && t >= 0.0);
        CHECK(unit(m.p_wait) && unit(m.p_abandon) && unit(m.service_level));
        CHECK(m.asa >= 0.0 && isfinite(m.asa));
        CHECK(m.occupancy >= 0.0 && m.occupancy <= 1.0 + 1e-9);
    } else {
        CHECK(rc == SP_EINVAL);
        CHECK(memcmp(&m, &untouched, sizeof m) == 0);
    }
    CHECK(sp_erlang_a(n, a, aht, patience, t, NULL) == SP_EINVAL);
    return 0;
}
