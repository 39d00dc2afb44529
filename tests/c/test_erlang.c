/* Queueing formulas: Erlang B/C figures, the fast recursion, Erlang A. */
#include <criterion/criterion.h>
#include <math.h>

#include "internal.h"
#include "staffplan.h"

static void expect_close(double got, double want, double rel, const char *what)
{
    double tol = rel * fmax(fabs(want), 1e-300);
    cr_expect(fabs(got - want) <= tol, "%s: got %.17g, want %.17g", what, got, want);
}

/* design.md section 2: 100 calls in 30 minutes, AHT 180 s -> 10 Erlangs. */
Test(erlang, worked_example_matches_published_figures)
{
    double a = 100.0 * 180.0 / 1800.0;
    cr_expect(fabs(sp_service_level(14, a, 180, 20) - 0.8884) < 5e-5);
    cr_expect(fabs(sp_erlang_c(14, a) - 0.1741) < 5e-5);
    cr_expect(fabs(sp_asa(14, a, 180) - 7.84) < 5e-3);
    cr_expect(fabs(sp_occupancy(14, a) - 0.714) < 5e-4);
    cr_expect(fabs(sp_service_level(13, a, 180, 20) - 0.7956) < 5e-5);
}

/* Erlang B by its closed form for small n: B = (a^n/n!) / sum_k a^k/k!. */
Test(erlang, erlang_b_matches_closed_form_for_small_n)
{
    const double loads[] = {0.01, 0.5, 1.0, 3.7, 10.0};
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++) {
        double a = loads[i];
        for (long long n = 0; n <= 20; n++) {
            double term = 1.0, sum = 1.0;
            for (long long k = 1; k <= n; k++) {
                term *= a / (double)k;
                sum += term;
            }
            expect_close(sp_erlang_b(n, a), term / sum, 1e-13, "erlang_b");
        }
    }
}

/* The fast start (below a, rough value) agrees with the full recursion. */
Test(erlang, fast_recursion_equals_full_recursion)
{
    const double loads[] = {63.9, 64.0, 100.5, 999.9, 1e4, 12345.6, 1e5};
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++) {
        double a = loads[i], r = sqrt(a);
        const double offsets[] = {-40, -13, -12, -11, -3, -1, 0, 0.5, 1, 2, 5, 10, 50};
        for (size_t j = 0; j < sizeof offsets / sizeof *offsets; j++) {
            long long n = (long long)floor(a + offsets[j] * r);
            double fast = sp__erlang_b_fast(n, a), full = sp__erlang_b_full(n, a);
            cr_expect(fabs(fast - full) <= 4e-15 * full + 1e-300,
                      "a=%g n=%lld fast=%.17g full=%.17g", a, n, fast, full);
        }
    }
}

Test(erlang, unstable_and_zero_traffic_conventions)
{
    cr_expect_eq(sp_erlang_c(10, 10.0), 1.0);
    cr_expect_eq(sp_service_level(9, 10.0, 300, 20), 0.0);
    cr_expect(isinf(sp_asa(10, 10.0, 300)));
    cr_expect_eq(sp_occupancy(5, 10.0), 1.0);
    cr_expect_eq(sp_erlang_c(0, 0.0), 0.0);
    cr_expect_eq(sp_service_level(0, 0.0, 300, 20), 1.0);
    cr_expect_eq(sp_asa(3, 0.0, 300), 0.0);
    cr_expect_eq(sp_occupancy(3, 0.0), 0.0);
}

Test(erlang, out_of_domain_gives_nan)
{
    cr_expect(isnan(sp_erlang_c(-1, 1.0)));
    cr_expect(isnan(sp_erlang_c(3, NAN)));
    cr_expect(isnan(sp_erlang_c(3, INFINITY)));
    cr_expect(isnan(sp_service_level(3, 1.0, 0.0, 20)));
    cr_expect(isnan(sp_asa(3, -1.0, 300)));
}

/* No overflow or NaN anywhere from 0 to 100,000 Erlangs and far beyond. */
Test(erlang, finite_at_every_size)
{
    const double loads[] = {0, 1e-9, 0.01, 1, 170.5, 1e3, 1e4, 1e5, 1e7};
    for (size_t i = 0; i < sizeof loads / sizeof *loads; i++) {
        double a = loads[i];
        long long ns[] = {0, 1, (long long)a, (long long)a + 1,
                          (long long)(a + 3 * sqrt(a)) + 1, (long long)(4 * a) + 10};
        for (size_t j = 0; j < sizeof ns / sizeof *ns; j++) {
            double c = sp_erlang_c(ns[j], a), s = sp_service_level(ns[j], a, 300, 20);
            cr_expect(c >= 0.0 && c <= 1.0, "a=%g n=%lld C=%g", a, ns[j], c);
            cr_expect(s >= 0.0 && s <= 1.0, "a=%g n=%lld SL=%g", a, ns[j], s);
            sp_erlang_a_metrics m;
            cr_assert_eq(sp_erlang_a(ns[j], a, 300, 120, 20, &m), SP_OK);
            cr_expect(m.p_wait >= 0 && m.p_wait <= 1 && m.p_abandon >= 0 &&
                          m.p_abandon <= 1 && m.service_level >= 0 &&
                          m.service_level <= 1 && isfinite(m.asa),
                      "Erlang A a=%g n=%lld: %g %g %g %g", a, ns[j], m.p_wait,
                      m.p_abandon, m.service_level, m.asa);
        }
    }
}

/* With very long patience Erlang A tends to Erlang C. */
Test(erlang, erlang_a_tends_to_erlang_c_for_long_patience)
{
    sp_erlang_a_metrics m;
    cr_assert_eq(sp_erlang_a(14, 10.0, 180, 1e7, 20, &m), SP_OK);
    cr_expect(fabs(m.p_wait - sp_erlang_c(14, 10.0)) < 1e-5);
    cr_expect(fabs(m.service_level - sp_service_level(14, 10.0, 180, 20)) < 1e-5);
    cr_expect(m.p_abandon < 1e-5);
}

/* Identities: mean wait = P(abandon) * patience; n = 0 abandons everyone. */
Test(erlang, erlang_a_identities)
{
    sp_erlang_a_metrics m;
    cr_assert_eq(sp_erlang_a(0, 4.0, 300, 60, 20, &m), SP_OK);
    expect_close(m.p_abandon, 1.0, 1e-12, "p_abandon at n=0");
    cr_expect_eq(m.service_level, 0.0);
    cr_assert_eq(sp_erlang_a(7, 9.0, 300, 60, 20, &m), SP_OK);
    expect_close(m.asa, m.p_abandon * 60, 1e-12, "asa");
    /* Carried load equals the busy agents: (1 - P(ab)) a <= n. */
    cr_expect(m.occupancy <= 1.0);
    cr_expect_eq(sp_erlang_a(7, 9.0, 300, 0.0, 20, &m), SP_EINVAL);
}

/* Erlang A against the birth-death chain, computed here by brute force. */
Test(erlang, erlang_a_matches_birth_death_chain)
{
    const long long n = 6;
    const double a = 7.5, aht = 240, patience = 90;
    double mu = 1 / aht, th = 1 / patience, lam = a * mu;
    double p[400], sum = 0, queue = 0, wait = 0;
    p[0] = 1;
    for (int k = 1; k < 400; k++)
        p[k] = p[k - 1] * lam / ((k < n ? k : n) * mu + (k > n ? k - n : 0) * th);
    for (int k = 0; k < 400; k++)
        sum += p[k];
    for (int k = 0; k < 400; k++) {
        p[k] /= sum;
        if (k >= n) {
            wait += p[k];
            queue += (k - n) * p[k];
        }
    }
    sp_erlang_a_metrics m;
    cr_assert_eq(sp_erlang_a(n, a, aht, patience, 20, &m), SP_OK);
    expect_close(m.p_wait, wait, 1e-12, "p_wait");
    expect_close(m.p_abandon, th * queue / lam, 1e-12, "p_abandon");
}

Test(errors, table_names_and_messages)
{
    cr_expect_str_eq(sp_status_name(SP_EINVAL), "SP_EINVAL");
    cr_expect_str_eq(sp_strerror(SP_OK), "success");
    cr_expect_str_eq(sp_strerror(12345), "unknown status");
    cr_expect_str_eq(sp_version(), SP_VERSION_STRING);
}
