/* One agent's best row (roster_dp.c) against brute force over every row. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "roster_internal.h"
#include "staffplan.h"

#define DAYS 8
#define S 3
#define NROWS 65536 /* (S + 1)^DAYS */

static const int start[S] = {0, 480, 960}, len[S] = {480, 480, 240};

typedef struct rules {
    int wd0, max_work, min_work, min_off, max_weekends, min_rest, follow_ban;
    long long min_week, max_week, min_tot, max_tot;
    int max_shifts[S];
    int nreq;
    sp_roster_request req[2];
} rules;

static unsigned seed = 2024;
static int rnd(int n)
{
    seed = seed * 1103515245u + 12345u;
    return (int)((seed >> 16) % (unsigned)n);
}

/* The row's cost under dc (with requests), INFINITY when it breaks a rule:
 * every rule written out plainly from the format's definitions. */
static double cost_of(const rules *r, const double *dc, const int *row)
{
    double c = 0.0;
    long long tot = 0, week = 0;
    int prev = -1, cnt[S] = {0}, last_we = -1, weekends = 0;
    for (int d = 0; d < DAYS; d++) {
        int s = row[d];
        c += dc[d * (S + 1) + 1 + s];
        if (s >= 0) {
            tot += len[s];
            week += d < 7 ? len[s] : 0;
            if (r->max_shifts[s] >= 0 && ++cnt[s] > r->max_shifts[s])
                return INFINITY;
            if (prev >= 0) {
                int gap = d * 1440 + start[s] - (prev * 1440 + start[row[prev]] + len[row[prev]]);
                if (gap < (r->min_rest > 0 ? r->min_rest : 0))
                    return INFINITY;
                if (prev == d - 1 && r->follow_ban && row[prev] == 2 && s == 0)
                    return INFINITY;
            }
            int wd = (r->wd0 + d) % 7;
            if (wd >= 5 && (r->wd0 + d) / 7 != last_we) {
                weekends++;
                last_we = (r->wd0 + d) / 7;
            }
            prev = d;
        }
        if (c == INFINITY)
            return INFINITY;
    }
    if ((r->max_tot >= 0 && tot > r->max_tot) || (r->min_tot >= 0 && tot < r->min_tot))
        return INFINITY;
    if ((r->max_week >= 0 && week > r->max_week) || (r->min_week >= 0 && week < r->min_week))
        return INFINITY;
    if (r->max_weekends >= 0 && weekends > r->max_weekends)
        return INFINITY;
    for (int d = 0; d < DAYS;) {
        int on = row[d] >= 0, e = d;
        while (e < DAYS && (row[e] >= 0) == on)
            e++;
        int inner = d > 0 && e < DAYS;
        if (on && r->max_work >= 0 && e - d > r->max_work)
            return INFINITY;
        if (on && inner && r->min_work > 0 && e - d < r->min_work)
            return INFINITY;
        if (!on && inner && r->min_off > 0 && e - d < r->min_off)
            return INFINITY;
        d = e;
    }
    for (int k = 0; k < r->nreq; k++) {
        const sp_roster_request *q = &r->req[k];
        int hit = q->shift < 0 ? row[q->day] >= 0 : row[q->day] == q->shift;
        if (q->work ? !hit : hit)
            c += q->weight;
    }
    return c;
}

static void random_rules(rules *r)
{
    memset(r, 0, sizeof *r);
    r->wd0 = rnd(7);
    r->max_work = (int[]){-1, 2, 3, 5}[rnd(4)];
    r->min_work = (int[]){-1, 2, 3}[rnd(3)];
    r->min_off = (int[]){-1, 2}[rnd(2)];
    r->max_weekends = (int[]){-1, 0, 1}[rnd(3)];
    /* 750: just above a 720 gap; 1500 and 2400 reach past the next day */
    r->min_rest = (int[]){-1, 660, 750, 960, 1500, 2400}[rnd(6)];
    r->follow_ban = rnd(2);
    r->min_week = (long long[]){-1, 960, 1440}[rnd(3)];
    r->max_week = (long long[]){-1, 1920, 2400}[rnd(3)];
    r->min_tot = (long long[]){-1, 1440}[rnd(2)];
    r->max_tot = (long long[]){-1, 2400, 2880}[rnd(3)];
    for (int s = 0; s < S; s++)
        r->max_shifts[s] = rnd(3) == 0 ? 2 : -1;
    r->nreq = rnd(3);
    for (int k = 0; k < r->nreq; k++)
        r->req[k] = (sp_roster_request){rnd(DAYS), rnd(2) ? -1 : rnd(S), rnd(2), 1.0 + rnd(5)};
}

static sp_roster *build(const rules *r)
{
    sp_roster *p = NULL;
    sp_diag diag = {0};
    cr_assert_eq(sp_roster_create(DAYS, 60, 0, r->wd0, &p, &diag), SP_OK, "%s", diag.message);
    for (int s = 0; s < S; s++) {
        sp_shift sh = {start[s], 1, len[s], 10.0, 0, NULL};
        cr_assert_eq(sp_roster_add_shift(p, &sh, &diag), SP_OK, "%s", diag.message);
    }
    if (r->follow_ban)
        cr_assert_eq(sp_roster_forbid_succession(p, 2, 0, &diag), SP_OK);
    sp_roster_agent ag = {.cost_per_hour = NAN,
                          .min_minutes = r->min_tot, .max_minutes = r->max_tot,
                          .min_week_minutes = r->min_week, .max_week_minutes = r->max_week,
                          .max_shifts = r->max_shifts, .min_work_days = r->min_work,
                          .max_work_days = r->max_work, .min_days_off = r->min_off,
                          .max_weekends = r->max_weekends, .min_rest = r->min_rest,
                          .request_count = r->nreq, .requests = r->req};
    cr_assert_eq(sp_roster_add_agent(p, &ag, &diag), SP_OK, "%s", diag.message);
    return p;
}

static void fill(sp__dp *dp, const double *dc)
{
    memcpy(sp__dp_costs(dp), dc, DAYS * (S + 1) * sizeof *dc);
}

Test(roster_dp, cheapest_row_matches_brute_force)
{
    unsigned char cf[S * S] = {0};
    int feasible = 0, cases = 120;
    for (int c = 0; c < cases; c++) {
        rules r;
        random_rules(&r);
        cf[2 * S + 0] = (unsigned char)r.follow_ban;
        /* day costs (a dual can make them negative), some shifts barred */
        double dc[DAYS * (S + 1)];
        for (int i = 0; i < DAYS * (S + 1); i++)
            dc[i] = i % (S + 1) == 0 ? rnd(3) : (rnd(8) == 0 ? INFINITY : rnd(21) - 8.0);
        double opt = INFINITY;
        int row[DAYS];
        for (int code = 0; code < NROWS; code++) {
            int x = code;
            for (int d = 0; d < DAYS; d++, x /= S + 1)
                row[d] = x % (S + 1) - 1;
            double v = cost_of(&r, dc, row);
            if (v < opt)
                opt = v;
        }
        sp_roster *p = build(&r);
        sp__dp *dp = sp__dp_new(p, cf, DAYS / 7, 1 << 14);
        cr_assert_not_null(dp);
        fill(dp, dc);
        int exact = -1;
        double got = sp__dp_best(dp, 0, row, &exact);
        cr_assert_eq(sp__dp_failed(dp), 0);
        cr_assert_eq(exact, 1, "case %d: states were cut with a large beam", c);
        if (opt == INFINITY) {
            cr_assert(got == INFINITY, "case %d: no row keeps the rules, DP found %g", c, got);
        } else {
            feasible++;
            cr_assert(fabs(got - opt) < 1e-9, "case %d: DP %g, brute force %g", c, got, opt);
            cr_assert(fabs(cost_of(&r, dc, row) - got) < 1e-9,
                      "case %d: the row returned costs %g, not %g", c, cost_of(&r, dc, row), got);
        }
        /* A beam of 2: a row that keeps the rules, no better than the best. */
        sp__dp *small = sp__dp_new(p, cf, DAYS / 7, 2);
        cr_assert_not_null(small);
        fill(small, dc);
        double approx = sp__dp_best(small, 0, row, &exact);
        if (approx < INFINITY) {
            cr_assert(approx >= opt - 1e-9, "case %d: beam row %g below the optimum %g", c,
                      approx, opt);
            cr_assert(fabs(cost_of(&r, dc, row) - approx) < 1e-9,
                      "case %d: beam row costs %g, not %g", c, cost_of(&r, dc, row), approx);
        }
        sp__dp_free(small);
        sp__dp_free(dp);
        sp_roster_free(p);
    }
    /* the rules drawn leave most cases with some row */
    cr_assert(feasible >= cases / 3, "only %d of %d cases feasible", feasible, cases);
}
