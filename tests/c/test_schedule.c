/* Schedule: the service-mode shift IP, its heuristics and the GLPK guard. */
#define _POSIX_C_SOURCE 200809L

#include <criterion/criterion.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "staffplan.h"

/* Coverage and objective recomputed from the groups alone, so a test never
 * trusts the solver's own arithmetic. */
typedef struct checked {
    long long cov[4096];
    double labor, under, over;
} checked;

static void recompute(const sp_shift *shifts, size_t T, int I, int cyclic,
                      const double *req, const sp_schedule_result *r, checked *c)
{
    memset(c, 0, sizeof *c);
    cr_assert(T <= 4096);
    long long horizon = (long long)T * I;
    for (size_t g = 0; g < r->group_count; g++) {
        const sp_shift_group *grp = &r->groups[g];
        const sp_shift *sh = &shifts[grp->shift];
        c->labor += sh->cost * (double)grp->count;
        for (long long m = grp->start; m < grp->start + sh->length; m += I) {
            int on_break = 0;
            for (int k = 0; k < sh->break_count; k++) {
                long long b0 = grp->start + grp->break_offset[k];
                cr_assert(grp->break_offset[k] >= sh->breaks[k].earliest &&
                              grp->break_offset[k] <= sh->breaks[k].latest,
                          "break %d at offset %d is outside its window", k,
                          grp->break_offset[k]);
                if (m >= b0 && m < b0 + sh->breaks[k].length)
                    on_break = 1;
            }
            long long mm = m;
            if (mm >= horizon) {
                if (!cyclic)
                    continue;
                mm -= horizon;
            }
            if (!on_break)
                c->cov[mm / I] += grp->count;
        }
    }
    for (size_t t = 0; t < T; t++) {
        double d = (double)c->cov[t] - req[t];
        if (d < 0)
            c->under -= d;
        else
            c->over += d;
    }
}

static void expect_consistent(const sp_shift *shifts, size_t T, int I, int cyclic,
                              const double *req, double under_cost, double over_cost,
                              const sp_schedule_result *r)
{
    static checked c;
    recompute(shifts, T, I, cyclic, req, r, &c);
    for (size_t t = 0; t < T; t++)
        cr_expect_eq(c.cov[t], r->coverage[t], "coverage[%zu]: groups give %lld, result says %lld",
                     t, c.cov[t], r->coverage[t]);
    double obj = c.labor + under_cost * c.under + over_cost * c.over;
    cr_expect(fabs(c.labor - r->labor_cost) < 1e-6, "labor %g vs %g", c.labor, r->labor_cost);
    cr_expect(fabs(c.under - r->under_staffing) < 1e-6, "under %g vs %g", c.under,
              r->under_staffing);
    cr_expect(fabs(c.over - r->over_staffing) < 1e-6, "over %g vs %g", c.over, r->over_staffing);
    cr_expect(fabs(obj - r->objective) < 1e-6 * fmax(1, obj), "objective %g vs %g", obj,
              r->objective);
    cr_expect(r->bound <= r->objective + 1e-6, "bound %g above objective %g", r->bound,
              r->objective);
}

/*
 * One day of 1-hour intervals.  Two heads 08-16, one head 16-20.  Shift A
 * 08:00 for 8 h (cost 80) with a 1-hour break at 11:00 or 12:00, B 12:00
 * for 8 h (cost 90), C 16:00 for 4 h (cost 30).  Only A covers 08-11, so
 * at least two A; with two A both breaks must fall at 12:00 (11:00 needs
 * both), which then needs two B (340).  Three A can split breaks 1 + 2,
 * and one B covers 12:00 and 16-20: 330, the optimum.  Four A and a C cost
 * 350; anything with shortfall costs over 1000.
 */
static const sp_break_window A_BREAK[] = {{60, 180, 240}};
static const sp_shift HAND_SHIFTS[] = {
    {480, 1, 480, 80.0, 1, A_BREAK},
    {720, 1, 480, 90.0, 0, NULL},
    {960, 1, 240, 30.0, 0, NULL},
};

static void hand_required(double *req)
{
    for (int t = 0; t < 24; t++)
        req[t] = (t >= 8 && t < 16) ? 2 : (t >= 16 && t < 20) ? 1 : 0;
}

static sp_schedule *make(size_t T, int I, int cyclic, const double *req,
                         const sp_shift *shifts, size_t n, double under, double over)
{
    sp_schedule *s = NULL;
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_create(T, I, cyclic, req, &s, &d), SP_OK, "%s", d.message);
    for (size_t i = 0; i < n; i++)
        cr_assert_eq(sp_schedule_add_shift(s, &shifts[i], &d), SP_OK, "shift %zu: %s: %s", i,
                     d.field, d.message);
    cr_assert_eq(sp_schedule_set_costs(s, under, over, &d), SP_OK);
    return s;
}

Test(schedule, hand_instance_reaches_proven_optimum_330)
{
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    sp_schedule_result *r = NULL;
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, &d), SP_OK, "%s", d.message);
    cr_expect_eq(r->status, SP_SOLUTION_OPTIMAL);
    cr_expect(fabs(r->objective - 330) < 1e-9, "objective %g", r->objective);
    cr_expect(fabs(r->bound - 330) < 1e-9, "bound %g", r->bound);
    cr_expect(r->gap <= 1e-9);
    cr_expect_eq(r->under_staffing, 0);
    long long a11 = 0, a12 = 0, b = 0, c = 0;
    for (size_t g = 0; g < r->group_count; g++) {
        const sp_shift_group *grp = &r->groups[g];
        if (grp->shift == 0 && grp->break_offset[0] == 180)
            a11 += grp->count;
        else if (grp->shift == 0 && grp->break_offset[0] == 240)
            a12 += grp->count;
        else if (grp->shift == 1)
            b += grp->count;
        else
            c += grp->count;
    }
    cr_expect(a11 == 1 && a12 == 2 && b == 1 && c == 0,
              "A breaks at 11: %lld, at 12: %lld, B %lld, C %lld", a11, a12, b, c);
    static const long long want[24] = {0, 0, 0, 0, 0, 0, 0, 0, 3, 3, 3, 2,
                                       2, 4, 4, 4, 1, 1, 1, 1, 0, 0, 0, 0};
    for (int t = 0; t < 24; t++)
        cr_expect_eq(r->coverage[t], want[t], "coverage[%d] = %lld", t, r->coverage[t]);
    expect_consistent(HAND_SHIFTS, 24, 60, 0, req, 1000, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* Heads at 02:00 that no shift reaches are shortfall, not infeasibility. */
Test(schedule, uncoverable_interval_is_reported_as_shortfall)
{
    double req[24];
    hand_required(req);
    req[2] = 3;
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    cr_expect_eq(r->status, SP_SOLUTION_OPTIMAL);
    cr_expect_eq(r->coverage[2], 0);
    cr_expect(fabs(r->under_staffing - 3) < 1e-9, "under %g", r->under_staffing);
    cr_expect(fabs(r->objective - 3330) < 1e-9, "objective %g", r->objective);
    expect_consistent(HAND_SHIFTS, 24, 60, 0, req, 1000, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* A night shift crossing midnight wraps to the horizon start when cyclic,
 * and covers nothing past the end otherwise. */
Test(schedule, cyclic_wrap_covers_the_morning)
{
    double req[24] = {0};
    for (int t = 0; t < 4; t++)
        req[t] = 1;
    for (int t = 22; t < 24; t++)
        req[t] = 1;
    static const sp_shift night[] = {{1320, 1, 360, 50.0, 0, NULL}};
    sp_schedule *s = make(24, 60, 1, req, night, 1, 100, 0);
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    cr_expect(fabs(r->objective - 50) < 1e-9, "cyclic objective %g", r->objective);
    expect_consistent(night, 24, 60, 1, req, 100, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);

    s = make(24, 60, 0, req, night, 1, 100, 0);
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    /* 50 for the evening (hours 0-3 then cost 400 of shortfall) beats
     * nothing (600). */
    cr_expect(fabs(r->objective - 450) < 1e-9, "non-cyclic objective %g", r->objective);
    cr_expect(fabs(r->under_staffing - 4) < 1e-9);
    expect_consistent(night, 24, 60, 0, req, 100, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/*
 * Costs by day: three days of hours, one head 08-16 each day.  A (08:00, 8
 * h) costs 80, 200 on day 1; B (07:00, 10 h) 120 every day; O starts once,
 * at 08:00 on day 2, for 8 h, at 50 (300 on every other day mod 7, never
 * used: it starts on day 2 only).  Day 0 takes A (80), day 1 B (120 < 200),
 * day 2 O (50): 250, labour recomputed per start day.
 */
Test(schedule, day_costs_price_each_start_by_its_day)
{
    double req[72] = {0};
    for (int day = 0; day < 3; day++)
        for (int h = 8; h < 16; h++)
            req[24 * day + h] = 1;
    static const sp_shift shifts[] = {
        {480, 1, 480, 80.0, 0, NULL},
        {420, 1, 600, 120.0, 0, NULL},
        {2 * 1440 + 480, 0, 480, 999.0, 0, NULL},
    };
    const double a_days[7] = {80, 200, 80, 80, 80, 80, 80};
    const double o_days[7] = {300, 300, 50, 300, 300, 300, 300};
    sp_schedule *s = make(72, 60, 0, req, shifts, 3, 1000, 0);
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_set_shift_day_costs(s, 0, a_days, &d), SP_OK, "%s", d.message);
    cr_assert_eq(sp_schedule_set_shift_day_costs(s, 2, o_days, &d), SP_OK, "%s", d.message);
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, &d), SP_OK, "%s", d.message);
    cr_expect_eq(r->status, SP_SOLUTION_OPTIMAL);
    cr_expect(fabs(r->objective - 250) < 1e-9, "objective %g", r->objective);
    cr_expect(fabs(r->bound - 250) < 1e-9, "bound %g", r->bound);
    double labor = 0.0;
    int seen[3] = {-1, -1, -1};
    for (size_t g = 0; g < r->group_count; g++) {
        const sp_shift_group *grp = &r->groups[g];
        int day = (int)(grp->start / 1440);
        const double *days = grp->shift == 0 ? a_days : grp->shift == 2 ? o_days : NULL;
        labor += (days ? days[day % 7] : shifts[grp->shift].cost) * (double)grp->count;
        cr_expect_eq(grp->count, 1);
        seen[day] = grp->shift;
    }
    cr_expect(seen[0] == 0 && seen[1] == 1 && seen[2] == 2, "shifts by day: %d %d %d",
              seen[0], seen[1], seen[2]);
    cr_expect(fabs(labor - r->labor_cost) < 1e-9, "labor %g vs %g", labor, r->labor_cost);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

Test(schedule, bad_day_costs_name_the_field)
{
    double req[24] = {0};
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    sp_diag d = {0};
    double costs[7] = {1, 2, 3, NAN, 5, 6, 7};
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 1, costs, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "day_costs[3]");
    cr_expect_eq(d.index, 1);
    costs[3] = -1;
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 1, costs, &d), SP_EINVAL);
    costs[3] = 2e12;
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 1, costs, &d), SP_EINVAL);
    costs[3] = INFINITY;
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 1, costs, &d), SP_EINVAL);
    costs[3] = 4;
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 3, costs, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "shift");
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, -1, costs, &d), SP_EINVAL);
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 0, NULL, &d), SP_EINVAL);
    cr_expect_eq(sp_schedule_set_shift_day_costs(NULL, 0, costs, &d), SP_EINVAL);
    cr_expect_eq(sp_schedule_set_shift_day_costs(s, 0, costs, &d), SP_OK);
    sp_schedule_free(s);
}

Test(schedule, over_staffing_cost_is_charged)
{
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 5);
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    cr_expect_eq(r->status, SP_SOLUTION_OPTIMAL);
    /* 3A + B costs 330 + 9 excess * 5 = 375; 2A + 2B costs 340 + (4 + 3 * 2
     * + 4) * 5 = 410; 4A + C: 350 + more excess. */
    cr_expect(fabs(r->objective - 375) < 1e-9, "objective %g", r->objective);
    expect_consistent(HAND_SHIFTS, 24, 60, 0, req, 1000, 5, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* ---- The LP with side rows ----------------------------------------- */

/* Side rows forbidding B and C leave A alone: two heads 08-16 through the
 * break hours 11 and 12 need 4 A (b11 = b12 = 2) at 80, and 16-20 is 4
 * head-hours short at 1000: 4320.  Forcing 5 A: 4400. */
Test(schedule_lp, side_rows_change_the_lp_bound)
{
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    const int sh_b[] = {1}, sh_c[] = {2}, sh_a[] = {0}, day0[] = {0};
    const double one[] = {1.0};
    sp_lp_row rows[3] = {
        {1, sh_b, day0, one, -INFINITY, 0.0},
        {1, sh_c, day0, one, -INFINITY, 0.0},
        {1, sh_a, day0, one, 5.0, INFINITY},
    };
    double bound = 0, x[3] = {-1, -1, -1};
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_lp_bound(s, rows, 2, NULL, &bound, x, &d), SP_OK, "%s", d.message);
    cr_expect(fabs(bound - 4320) < 1e-6, "bound %g", bound);
    cr_expect(fabs(x[0] - 4) < 1e-9 && x[1] == 0 && x[2] == 0, "x %g %g %g", x[0], x[1], x[2]);
    cr_assert_eq(sp_schedule_lp_bound(s, rows, 3, NULL, &bound, NULL, &d), SP_OK);
    cr_expect(fabs(bound - 4400) < 1e-6, "bound %g", bound);
    /* no rows: the schedule's own LP, at most the proven optimum 330 */
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    cr_assert_eq(sp_schedule_lp_bound(s, NULL, 0, NULL, &bound, NULL, &d), SP_OK);
    cr_expect(bound <= 330 + 1e-6 && fabs(bound - ceil(r->lp_bound / 10 - 1e-6) * 10) < 1e-6,
              "bound %g, solve's LP %g", bound, r->lp_bound);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

Test(schedule_lp, bad_rows_are_refused_with_their_index)
{
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    const int good[] = {0}, bad_shift[] = {3}, bad_day[] = {1}, day0[] = {0};
    const double one[] = {1.0}, nan1[] = {NAN};
    sp_lp_row rows[2] = {{1, good, day0, one, -INFINITY, 1.0}};
    double bound = 0;
    sp_diag d = {0};
    rows[1] = (sp_lp_row){1, bad_shift, day0, one, 0.0, 1.0};
    cr_expect_eq(sp_schedule_lp_bound(s, rows, 2, NULL, &bound, NULL, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "rows");
    cr_expect_eq(d.index, 1);
    rows[1] = (sp_lp_row){1, good, bad_day, one, 0.0, 1.0};
    cr_expect_eq(sp_schedule_lp_bound(s, rows, 2, NULL, &bound, NULL, &d), SP_EINVAL);
    rows[1] = (sp_lp_row){1, good, day0, nan1, 0.0, 1.0};
    cr_expect_eq(sp_schedule_lp_bound(s, rows, 2, NULL, &bound, NULL, &d), SP_EINVAL);
    rows[1] = (sp_lp_row){1, good, day0, one, 2.0, 1.0};
    cr_expect_eq(sp_schedule_lp_bound(s, rows, 2, NULL, &bound, NULL, &d), SP_EINVAL);
    cr_expect(strstr(d.message, "lo <= hi") != NULL, "%s", d.message);
    cr_expect_eq(sp_schedule_lp_bound(s, NULL, 1, NULL, &bound, NULL, &d), SP_EINVAL);
    cr_expect_eq(sp_schedule_lp_bound(s, rows, 1, NULL, NULL, NULL, &d), SP_EINVAL);
    cr_expect_eq(sp_schedule_lp_bound(NULL, rows, 1, NULL, &bound, NULL, &d), SP_EINVAL);
    sp_schedule_free(s);
}

/* ---- GLPK containment ---------------------------------------------- */

static int bad_glpk_call(void *arg)
{
    (void)arg;
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, -1); /* glp_error: GLPK would abort() without the guard */
    return SP_OK;
}

static int good_glpk_call(void *arg)
{
    glp_prob *P = glp_create_prob();
    glp_add_rows(P, 2);
    *(int *)arg = glp_get_num_rows(P);
    return SP_OK;
}

Test(glpk_guard, glpk_error_is_contained_and_reported)
{
    for (int round = 0; round < 3; round++) {
        sp__glpk_log log;
        cr_assert_eq(sp__glpk_run(bad_glpk_call, NULL, &log), SP_ESOLVER);
        cr_expect(strstr(log.error, "glp_add_rows") != NULL, "error text: %s", log.error);
        int rows = 0;
        cr_assert_eq(sp__glpk_run(good_glpk_call, &rows, &log), SP_OK);
        cr_expect_eq(rows, 2);
    }
    /* A full solve still works after the errors. */
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, NULL, &r, NULL), SP_OK);
    cr_expect(fabs(r->objective - 330) < 1e-9);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* The test hook behind staffplan._core._glpk_fault: GLPK's text and its
 * source location come back in the diag. */
Test(glpk_guard, fault_hook_reports_glpks_message)
{
    sp_diag d = {0};
    cr_assert_eq(sp__glpk_fault(&d), SP_ESOLVER);
    cr_expect(strstr(d.message, "glp_set_col_bnds: j = 2; column number out of range") != NULL,
              "message: %s", d.message);
    cr_expect(strstr(d.message, "(Error detected in file") != NULL, "message: %s", d.message);
    cr_expect_str_eq(d.field, "glpk");
}

/* ---- A generated week: time limit, cancel --------------------------- */

#define WEEK_T (7 * 96)

static sp_break_window WEEK_BREAKS[3][2];
static sp_shift WEEK_SHIFTS[48 * 3];

static size_t week_instance(double *req)
{
    for (int t = 0; t < WEEK_T; t++) {
        int day = t / 96, q = t % 96;
        double h = q / 4.0;
        double load = h < 7 || h >= 22 ? 2 : 10 + 30 * exp(-pow((h - 11) / 2.5, 2)) +
                                              22 * exp(-pow((h - 16) / 2.5, 2));
        if (day >= 5)
            load *= 0.6;
        req[t] = floor(load);
    }
    const int lengths[3] = {240, 360, 480};
    for (int l = 0; l < 3; l++) {
        WEEK_BREAKS[l][0] = (sp_break_window){15, 90, 150};
        WEEK_BREAKS[l][1] = (sp_break_window){30, lengths[l] / 2, lengths[l] / 2 + 60};
    }
    size_t n = 0;
    for (int st = 0; st < 48; st++)
        for (int l = 0; l < 3; l++)
            WEEK_SHIFTS[n++] = (sp_shift){st * 30, 1, lengths[l], lengths[l] / 60.0 * 25,
                                          l == 0 ? 1 : 2, WEEK_BREAKS[l]};
    return n;
}

Test(schedule, time_limit_returns_an_incumbent_with_bound, .timeout = 60)
{
    static double req[WEEK_T];
    size_t n = week_instance(req);
    sp_schedule *s = make(WEEK_T, 15, 1, req, WEEK_SHIFTS, n, 1000, 0);
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 2.0;
    lim.mip_gap = 0;
    sp_schedule_result *r = NULL;
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_solve(s, &lim, &r, &d), SP_OK, "%s", d.message);
    cr_expect(r->status == SP_SOLUTION_FEASIBLE || r->status == SP_SOLUTION_OPTIMAL);
    cr_expect(r->seconds < lim.time_limit + 1.5, "took %g s", r->seconds);
    cr_expect(r->group_count > 0);
    if (isnan(r->lp_bound)) {
        /* The LP itself did not finish in time (a slow machine, valgrind):
         * the covering construction answers, with no bound to claim. */
        cr_expect(r->status == SP_SOLUTION_FEASIBLE && r->bound == 0.0,
                  "status %d bound %g", (int)r->status, r->bound);
    } else {
        cr_expect(r->bound > 0 && r->bound <= r->objective + 1e-6, "bound %g objective %g",
                  r->bound, r->objective);
        cr_expect(r->lp_bound <= r->bound + 1e-6);
    }
    expect_consistent(WEEK_SHIFTS, WEEK_T, 15, 1, req, 1000, 0, r);
    cr_log_info("week: %lld cols %lld rows, objective %.1f bound %.1f gap %.4f in %.2f s",
                r->columns, r->rows, r->objective, r->bound, r->gap, r->seconds);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

Test(schedule, cancel_flag_stops_with_a_solution, .timeout = 60)
{
    static double req[WEEK_T];
    size_t n = week_instance(req);
    sp_schedule *s = make(WEEK_T, 15, 1, req, WEEK_SHIFTS, n, 1000, 0);
    volatile int cancel = 1;
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.cancel = &cancel;
    lim.mip_gap = 0;
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, &lim, &r, NULL), SP_OK);
    cr_expect(r->seconds < 10, "took %g s", r->seconds);
    cr_expect_neq(r->status, SP_SOLUTION_NONE);
    expect_consistent(WEEK_SHIFTS, WEEK_T, 15, 1, req, 1000, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* ---- Validation ----------------------------------------------------- */

Test(schedule, bad_shifts_are_refused_with_the_field)
{
    double req[24] = {0};
    sp_schedule *s = NULL;
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_create(24, 60, 0, req, &s, &d), SP_OK);
    sp_break_window overlap[2] = {{60, 60, 120}, {60, 150, 180}};
    sp_shift sh = {480, 1, 480, 80, 2, overlap};
    cr_expect_eq(sp_schedule_add_shift(s, &sh, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "breaks[1].earliest");
    sp_break_window late[1] = {{60, 60, 480}};
    sh = (sp_shift){480, 1, 480, 80, 1, late};
    cr_expect_eq(sp_schedule_add_shift(s, &sh, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "breaks[0].latest");
    sh = (sp_shift){490, 1, 480, 80, 0, NULL};
    cr_expect_eq(sp_schedule_add_shift(s, &sh, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "start");
    sh = (sp_shift){480, 1, 480, NAN, 0, NULL};
    cr_expect_eq(sp_schedule_add_shift(s, &sh, &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "cost");
    cr_expect_eq(sp_schedule_set_costs(s, -1, 0, &d), SP_EINVAL);
    sp_schedule_free(s);
    req[3] = NAN;
    cr_expect_eq(sp_schedule_create(24, 60, 0, req, &s, &d), SP_EINVAL);
    cr_expect_eq(d.index, 3);
    cr_expect_null(s);
    cr_expect_eq(sp_schedule_create(24, 7, 0, req, &s, &d), SP_EINVAL);
}

/* ---- Threads, determinism, a time limit shorter than the LP ---------- */

/* Two days of 30-minute intervals from the week's shape; the heuristic
 * phase closes a 2% gap long before the (generous) time limit, so the
 * result must not depend on thread timing. */
#define TWO_T (2 * 48)
static sp_break_window TWO_BREAKS[2][2];
static sp_shift TWO_SHIFTS[24 * 2];

static size_t two_day_instance(double *req)
{
    for (int t = 0; t < TWO_T; t++) {
        double h = (t % 48) / 2.0;
        double load = h < 7 || h >= 22 ? 2 : 10 + 30 * exp(-pow((h - 11) / 2.5, 2)) +
                                              22 * exp(-pow((h - 16) / 2.5, 2));
        req[t] = floor(load);
    }
    const int lengths[2] = {360, 480};
    for (int l = 0; l < 2; l++) {
        TWO_BREAKS[l][0] = (sp_break_window){30, 90, 150};
        TWO_BREAKS[l][1] = (sp_break_window){30, lengths[l] / 2, lengths[l] / 2 + 60};
    }
    size_t n = 0;
    for (int st = 0; st < 24; st++)
        for (int l = 0; l < 2; l++)
            TWO_SHIFTS[n++] = (sp_shift){st * 60, 1, lengths[l], lengths[l] / 60.0 * 25, 2,
                                         TWO_BREAKS[l]};
    return n;
}

Test(schedule, same_input_and_threads_give_the_same_result, .timeout = 120)
{
    static double req[TWO_T];
    size_t n = two_day_instance(req);
    sp_schedule *s = make(TWO_T, 30, 1, req, TWO_SHIFTS, n, 1000, 0);
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 600;
    lim.mip_gap = 0.02;
    for (int threads = 1; threads <= 2; threads++) {
        lim.threads = threads;
        sp_schedule_result *r[2] = {NULL, NULL};
        for (int k = 0; k < 2; k++) {
            cr_assert_eq(sp_schedule_solve(s, &lim, &r[k], NULL), SP_OK);
            cr_expect_eq(r[k]->status, SP_SOLUTION_OPTIMAL, "threads %d: gap %g", threads,
                         r[k]->gap);
            expect_consistent(TWO_SHIFTS, TWO_T, 30, 1, req, 1000, 0, r[k]);
        }
        cr_expect_eq(r[0]->objective, r[1]->objective);
        cr_expect_eq(r[0]->group_count, r[1]->group_count);
        for (size_t g = 0; g < r[0]->group_count && g < r[1]->group_count; g++)
            cr_expect(memcmp(&r[0]->groups[g], &r[1]->groups[g], sizeof r[0]->groups[g]) == 0,
                      "threads %d: group %zu differs", threads, g);
        sp_schedule_result_free(r[0]);
        sp_schedule_result_free(r[1]);
    }
    sp_schedule_free(s);
}

/* With every cost a multiple of 50 and whole required heads, every
 * objective is a multiple of 50: so is the reported bound. */
Test(schedule, bound_is_rounded_to_the_cost_step, .timeout = 120)
{
    static double req[TWO_T];
    size_t n = two_day_instance(req);
    sp_schedule *s = make(TWO_T, 30, 1, req, TWO_SHIFTS, n, 1000, 0);
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 600;
    lim.mip_gap = 0.02;
    lim.threads = 1;
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, &lim, &r, NULL), SP_OK);
    cr_expect(fabs(fmod(r->bound, 50.0)) < 1e-9, "bound %g", r->bound);
    cr_expect(r->bound >= r->lp_bound - 1e-9 && r->bound < r->lp_bound + 50.0, "bound %g lp %g",
              r->bound, r->lp_bound);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* A time limit far shorter than the LP: still a verifiable solution, with
 * an honest bound (0: nothing proven) and gap. */
Test(schedule, time_limit_before_the_lp_still_gives_a_solution, .timeout = 60)
{
    static double req[WEEK_T];
    size_t n = week_instance(req);
    sp_schedule *s = make(WEEK_T, 15, 1, req, WEEK_SHIFTS, n, 1000, 0);
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 1e-3;
    sp_schedule_result *r = NULL;
    cr_assert_eq(sp_schedule_solve(s, &lim, &r, NULL), SP_OK);
    cr_expect_eq(r->status, SP_SOLUTION_FEASIBLE);
    cr_expect(isnan(r->lp_bound));
    cr_expect_eq(r->bound, 0.0);
    cr_expect(fabs(r->gap - 1.0) < 1e-12, "gap %g", r->gap);
    cr_expect(r->under_staffing == 0, "the construction covers every head: %g short",
              r->under_staffing);
    expect_consistent(WEEK_SHIFTS, WEEK_T, 15, 1, req, 1000, 0, r);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* ---- The LP file ----------------------------------------------------- */

Test(schedule, write_lp_writes_the_model_with_integer_columns)
{
    double req[24];
    hand_required(req);
    sp_schedule *s = make(24, 60, 0, req, HAND_SHIFTS, 3, 1000, 0);
    char path[] = "/tmp/staffplan-test-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_write_lp(s, path, &d), SP_OK, "%s", d.message);
    FILE *f = fopen(path, "r");
    cr_assert_not_null(f);
    static char text[1 << 16];
    size_t len = fread(text, 1, sizeof text - 1, f);
    text[len] = '\0';
    fclose(f);
    remove(path);
    cr_expect(strstr(text, "Minimize") != NULL);
    cr_expect(strstr(text, "Generals") != NULL, "no integer section");
    cr_expect(strstr(text, "x0_0") != NULL && strstr(text, "b0_0_0_180") != NULL &&
              strstr(text, "u8") != NULL && strstr(text, "c8") != NULL);
    cr_expect_eq(sp_schedule_write_lp(s, "/nonexistent-dir/x.lp", &d), SP_EINVAL);
    cr_expect_str_eq(d.field, "path");
    cr_expect_eq(sp_schedule_write_lp(NULL, path, &d), SP_EINVAL);
    sp_schedule_free(s);
}

/* The progress record follows the solve: updates counted, figures that
 * bracket the final answer. */
Test(schedule, progress_brackets_the_result, .timeout = 60)
{
    static double req[WEEK_T];
    size_t n = week_instance(req);
    sp_schedule *s = make(WEEK_T, 15, 1, req, WEEK_SHIFTS, n, 1000, 0);
    sp_progress prog = {NAN, -INFINITY, 0.0, 0};
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 3.0;
    lim.progress = &prog;
    sp_schedule_result *r = NULL;
    sp_diag d = {0};
    cr_assert_eq(sp_schedule_solve(s, &lim, &r, &d), SP_OK, "%s", d.message);
    sp_progress last;
    sp_progress_read(&prog, &last);
    cr_expect(last.updates >= 1, "no progress published");
    if (!isnan(r->lp_bound)) {
        cr_expect(last.objective >= r->objective - 1e-6, "progress %g < result %g",
                  last.objective, r->objective);
        cr_expect(last.bound <= r->bound + 1e-6 && last.bound <= last.objective + 1e-6,
                  "progress bound %g, result bound %g", last.bound, r->bound);
    }
    cr_expect(last.seconds >= 0.0 && last.seconds <= r->seconds + 1e-6);
    sp_schedule_result_free(r);
    sp_schedule_free(s);
}

/* Cost mode's W against design.md's worked check: 100 calls in 30 min, AHT
 * 180 s (10 Erlangs), 14 agents: ASA 7.84 s, 88.84% answered within 20 s.
 * Priced at 3600 per waiting hour and 1 per call over 20 s, W = 100 *
 * (7.84 + 0.1116) = 795.2 (to the worked figures' precision). */
Test(wait_cost, matches_the_worked_check)
{
    sp_wait_params p = {1800.0, 0.0, 3600.0, 1.0, 20.0};
    cr_assert_float_eq(sp_wait_cost(14, 100, 180, &p), 795.2, 0.6);
    /* 20 heads at 30% shrinkage are exactly 14 agents (0.7 * 20 is
     * 13.999999999999998 in doubles). */
    p.shrinkage = 0.3;
    cr_assert_float_eq(sp_wait_cost(20, 100, 180, &p), sp_wait_cost(14, 100, 180,
                       &(sp_wait_params){1800.0, 0.0, 3600.0, 1.0, 20.0}), 1e-12);
    /* Below the stability minimum (11 agents) W is taken at the minimum. */
    p.shrinkage = 0.0;
    cr_assert_eq(sp_wait_cost(5, 100, 180, &p), sp_wait_cost(11, 100, 180, &p));
    /* Halfway between whole agents: the linear interpolation. */
    p.shrinkage = 0.5;
    double mid = sp_wait_cost(27, 100, 180, &p); /* 13.5 agents */
    p.shrinkage = 0.0;
    cr_assert_float_eq(mid, 0.5 * (sp_wait_cost(13, 100, 180, &p) +
                                   sp_wait_cost(14, 100, 180, &p)), 1e-9);
    cr_assert_eq(sp_wait_cost(3, 0, 180, &p), 0.0);
    cr_assert(isnan(sp_wait_cost(3, -1, 180, &p)));
    cr_assert(isnan(sp_wait_cost(3, 10, 0, &p)));
}

Test(wait_cost, bad_inputs_name_the_field)
{
    double req[4] = {0, 0, 0, 0}, vol[4] = {10, 20, 30, 40}, aht = 300;
    sp_schedule *s = NULL;
    sp_diag d;
    cr_assert_eq(sp_schedule_create(4, 15, 1, req, &s, &d), SP_OK);
    sp_wait_params p = {900.0, 0.3, 40.0, 1.0, 30.0};
    vol[2] = NAN;
    cr_assert_eq(sp_schedule_set_wait_cost(s, vol, &aht, 1, &p, 1, &d), SP_EINVAL);
    cr_assert_str_eq(d.field, "volume");
    cr_assert_eq(d.index, 2);
    vol[2] = 30;
    p.per_late_call = -1;
    cr_assert_eq(sp_schedule_set_wait_cost(s, vol, &aht, 1, &p, 1, &d), SP_EINVAL);
    cr_assert_str_eq(d.field, "per_late_call");
    p.per_late_call = 1;
    p.interval = 600;
    cr_assert_eq(sp_schedule_set_wait_cost(s, vol, &aht, 1, &p, 1, &d), SP_EINVAL);
    cr_assert_str_eq(d.field, "interval");
    p.interval = 900;
    cr_assert_eq(sp_schedule_set_wait_cost(s, vol, &aht, 1, &p, 1, &d), SP_OK);
    sp_schedule_free(s);
}
