/* Requirements: the staffing search, shrinkage, validation, threads. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "staffplan.h"

static sp_targets sl_target(double sl, double t)
{
    sp_targets tg;
    sp_targets_init(&tg);
    tg.interval = 1800;
    tg.service_level = sl;
    tg.answer_time = t;
    return tg;
}

Test(staffing, worked_example_needs_14_agents)
{
    double vol = 100, aht = 180;
    long long agents, heads;
    double sl;
    sp_targets tg = sl_target(0.8, 20);
    sp_requirements_out out = {.agents = &agents, .heads = &heads, .service_level = &sl};
    cr_assert_eq(sp_requirements(1, &vol, &aht, 1, NULL, 0, &tg, 1, &out, NULL), SP_OK);
    cr_expect_eq(agents, 14);
    cr_expect_eq(heads, 14);
    cr_expect(fabs(sl - 0.8884) < 5e-5);
}

/* The answer is the smallest n: n meets the target and n - 1 does not. */
Test(staffing, answer_is_minimal_over_a_grid)
{
    const double loads[] = {0.01, 0.7, 1, 10, 55.5, 100, 1000, 10000};
    const double targets[] = {0.5, 0.8, 0.95, 0.999};
    for (size_t i = 0; i < 8; i++) {
        for (size_t j = 0; j < 4; j++) {
            double a = loads[i], vol = a * 900 / 300, aht = 300;
            sp_targets tg = sl_target(targets[j], 20);
            tg.interval = 900;
            long long n;
            sp_requirements_out out = {.agents = &n};
            cr_assert_eq(sp_requirements(1, &vol, &aht, 1, NULL, 0, &tg, 1, &out, NULL), SP_OK);
            cr_expect(sp_service_level(n, a, 300, 20) >= targets[j], "a=%g n=%lld", a, n);
            cr_expect(n - 1 <= a || sp_service_level(n - 1, a, 300, 20) < targets[j],
                      "a=%g target=%g: n=%lld is not minimal", a, targets[j], n);
        }
    }
}

Test(staffing, shrinkage_ceiling_ignores_float_noise)
{
    cr_expect_eq(sp_heads(21, 0.3), 30); /* 21 / 0.7 = 30.000000000000004 */
    cr_expect_eq(sp_heads(22, 0.3), 32);
    cr_expect_eq(sp_heads(14, 0.0), 14);
    cr_expect_eq(sp_heads(0, 0.5), 0);
    cr_expect_eq(sp_heads(1, 0.5), 2);
}

Test(staffing, zero_volume_needs_min_agents_only)
{
    double vol[2] = {0, 0}, aht = 300;
    long long n[2];
    double sl[2], asa[2], occ[2], pw[2];
    sp_targets tg = sl_target(0.9, 20);
    sp_requirements_out out = {.agents = n, .service_level = sl, .asa = asa,
                               .occupancy = occ, .p_wait = pw};
    cr_assert_eq(sp_requirements(2, vol, &aht, 1, NULL, 0, &tg, 1, &out, NULL), SP_OK);
    cr_expect(n[0] == 0 && sl[0] == 1.0 && asa[0] == 0.0 && occ[0] == 0.0 && pw[0] == 0.0);
    tg.min_agents = 2;
    cr_assert_eq(sp_requirements(2, vol, &aht, 1, NULL, 0, &tg, 1, &out, NULL), SP_OK);
    cr_expect_eq(n[1], 2);
}

Test(staffing, validation_names_field_and_first_bad_index)
{
    double vol[5] = {1, 2, 3, -1, -2}, aht = 300;
    long long n[5];
    sp_targets tg = sl_target(0.8, 20);
    sp_requirements_out out = {.agents = n};
    sp_diag d;
    memset(&d, 0, sizeof d);
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "volume");
    cr_expect_eq(d.index, 3);
    vol[3] = NAN;
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_EINVAL);
    cr_expect_eq(d.index, 3);
    vol[3] = vol[4] = 1;
    double ahts[2] = {300, 300};
    cr_expect_eq(sp_requirements(5, vol, ahts, 2, NULL, 0, &tg, 1, &out, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "aht");
    tg.service_level = 1.0;
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_EUNREACHABLE);
    cr_expect_str_eq(d.field, "service_level");
    tg = sl_target(0.8, 20);
    tg.asa = 0.0;
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_EUNREACHABLE);
    cr_expect_str_eq(d.field, "asa");
    tg = sl_target(0.8, 20);
    tg.max_abandon = 0.05;
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "max_abandon");
    tg = sl_target(0.8, 20);
    double s = 1.0;
    cr_expect_eq(sp_requirements(5, vol, &aht, 1, &s, 1, &tg, 1, &out, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "shrinkage");
    double huge = 1e12;
    cr_expect_eq(sp_requirements(1, &huge, &aht, 1, NULL, 0, &tg, 1, &out, &d), SP_ETOOBIG);
}

/* Same input, 1 and 2 threads, fast and full recursion: identical output. */
Test(staffing, threads_and_reference_recursion_agree)
{
    enum { N = 20000 };
    double *vol = malloc(N * sizeof *vol);
    long long *n1 = malloc(N * sizeof *n1), *n2 = malloc(N * sizeof *n2),
              *n3 = malloc(N * sizeof *n3);
    double *s1 = malloc(N * sizeof *s1), *s2 = malloc(N * sizeof *s2);
    cr_assert(vol && n1 && n2 && n3 && s1 && s2);
    unsigned long long x = 88172645463325252ULL;
    for (int i = 0; i < N; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        double u = (double)(x >> 11) / 9007199254740992.0;
        vol[i] = pow(10.0, -2.0 + 6.0 * u) * 3.0; /* traffic 0.01..10,000 */
    }
    double aht = 300;
    sp_targets tg = sl_target(0.8, 20);
    tg.interval = 900;
    sp_requirements_out o1 = {.agents = n1, .service_level = s1};
    sp_requirements_out o2 = {.agents = n2, .service_level = s2};
    sp_requirements_out o3 = {.agents = n3};
    cr_assert_eq(sp_requirements(N, vol, &aht, 1, NULL, 0, &tg, 1, &o1, NULL), SP_OK);
    cr_assert_eq(sp_requirements(N, vol, &aht, 1, NULL, 0, &tg, 2, &o2, NULL), SP_OK);
    tg.reference = 1;
    cr_assert_eq(sp_requirements(N, vol, &aht, 1, NULL, 0, &tg, 2, &o3, NULL), SP_OK);
    cr_expect(memcmp(n1, n2, N * sizeof *n1) == 0, "agents differ between 1 and 2 threads");
    cr_expect(memcmp(s1, s2, N * sizeof *s1) == 0, "SL differs between 1 and 2 threads");
    cr_expect(memcmp(n1, n3, N * sizeof *n1) == 0, "fast start differs from full recursion");
    free(vol); free(n1); free(n2); free(n3); free(s1); free(s2);
}

Test(staffing, erlang_a_staffing_is_minimal)
{
    double vol = 40, aht = 300;
    long long n;
    double pab;
    sp_targets tg = sl_target(0.8, 20);
    tg.interval = 900;
    tg.patience = 120;
    tg.max_abandon = 0.03;
    sp_requirements_out out = {.agents = &n, .p_abandon = &pab};
    cr_assert_eq(sp_requirements(1, &vol, &aht, 1, NULL, 0, &tg, 1, &out, NULL), SP_OK);
    sp_erlang_a_metrics m, m1;
    sp_erlang_a(n, 40.0 * 300 / 900, aht, 120, 20, &m);
    sp_erlang_a(n - 1, 40.0 * 300 / 900, aht, 120, 20, &m1);
    cr_expect(m.service_level >= 0.8 && m.p_abandon <= 0.03);
    cr_expect(m1.service_level < 0.8 || m1.p_abandon > 0.03, "n=%lld not minimal", n);
}
