/* Roster: hard rules forcing outcomes, and tiny cases against brute force. */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "staffplan.h"

/* A tiny world: interval 360 minutes (4 per day), at most 3 agents and 4
 * days, shifts without breaks.  Everything below is recomputed by the
 * test from the roster alone. */
#define I 360
#define MAXD 4
#define MAXA 3
#define MAXS 3

typedef struct world {
    int days, S, A;
    int start[MAXS], len[MAXS];
    double cost[MAXS];
    int cf[MAXS][MAXS]; /* cf[prev][next] */
    double req[MAXD * 4];
    double under, over;
    double cph[MAXA];
    int max_work[MAXA], min_work[MAXA], min_off[MAXA], min_rest[MAXA];
    long long min_minutes[MAXA], max_minutes[MAXA];
    int max_shifts[MAXA][MAXS];
    unsigned char elig[MAXA][MAXD * MAXS];
    int nreq[MAXA];
    sp_roster_request reqs[MAXA][2];
} world;

static void world_init(world *w, int days, int S, int A)
{
    memset(w, 0, sizeof *w);
    w->days = days;
    w->S = S;
    w->A = A;
    for (int a = 0; a < A; a++) {
        w->cph[a] = NAN;
        w->max_work[a] = w->min_work[a] = w->min_off[a] = w->min_rest[a] = -1;
        w->min_minutes[a] = w->max_minutes[a] = -1;
        for (int s = 0; s < MAXS; s++)
            w->max_shifts[a][s] = -1;
    }
}

/* The objective of `row` (A * days shifts) or INFINITY when a hard rule
 * is broken, by plain loops. */
static double score(const world *w, const int *row)
{
    int T = w->days * 4;
    double cov[MAXD * 4] = {0}, obj = 0.0;
    for (int a = 0; a < w->A; a++) {
        const int *r = &row[a * w->days];
        long long mins = 0;
        int prev = -1;
        int cnt[MAXS] = {0};
        for (int d = 0; d < w->days; d++) {
            int s = r[d];
            if (s < 0)
                continue;
            if (w->elig[a][d * w->S + s])
                return INFINITY;
            mins += w->len[s];
            if (w->max_shifts[a][s] >= 0 && ++cnt[s] > w->max_shifts[a][s])
                return INFINITY;
            obj += isnan(w->cph[a]) ? w->cost[s] : w->cph[a] * w->len[s] / 60.0;
            for (int m = 0; m < w->len[s]; m += I) {
                int t = (d * 1440 + w->start[s] + m) / I;
                if (t < T)
                    cov[t] += 1;
            }
            if (prev >= 0) {
                int gap = d * 1440 + w->start[s] -
                          (prev * 1440 + w->start[r[prev]] + w->len[r[prev]]);
                if (gap < (w->min_rest[a] > 0 ? w->min_rest[a] : 0))
                    return INFINITY;
                if (prev == d - 1 && w->cf[r[prev]][s])
                    return INFINITY;
            }
            prev = d;
        }
        if (w->max_minutes[a] >= 0 && mins > w->max_minutes[a])
            return INFINITY;
        if (w->min_minutes[a] >= 0 && mins < w->min_minutes[a])
            return INFINITY;
        for (int d = 0; d < w->days;) {
            int on = r[d] >= 0, e = d;
            while (e < w->days && (r[e] >= 0) == on)
                e++;
            int inner = d > 0 && e < w->days;
            if (on && w->max_work[a] >= 0 && e - d > w->max_work[a])
                return INFINITY;
            if (on && inner && w->min_work[a] > 0 && e - d < w->min_work[a])
                return INFINITY;
            if (!on && inner && w->min_off[a] > 0 && e - d < w->min_off[a])
                return INFINITY;
            d = e;
        }
        for (int k = 0; k < w->nreq[a]; k++) {
            const sp_roster_request *q = &w->reqs[a][k];
            int hit = q->shift < 0 ? r[q->day] >= 0 : r[q->day] == q->shift;
            if (q->work ? !hit : hit)
                obj += q->weight;
        }
    }
    for (int t = 0; t < T; t++)
        obj += cov[t] < w->req[t] ? w->under * (w->req[t] - cov[t])
                                  : w->over * (cov[t] - w->req[t]);
    return obj;
}

/* The smallest objective over every roster (each agent-day off or one of
 * the shifts). */
static double brute(const world *w)
{
    int n = w->A * w->days;
    int row[MAXA * MAXD];
    long long total = 1;
    for (int i = 0; i < n; i++)
        total *= w->S + 1;
    double best = INFINITY;
    for (long long code = 0; code < total; code++) {
        long long c = code;
        for (int i = 0; i < n; i++) {
            row[i] = (int)(c % (w->S + 1)) - 1;
            c /= w->S + 1;
        }
        double v = score(w, row);
        if (v < best)
            best = v;
    }
    return best;
}

static sp_roster *build(const world *w)
{
    sp_roster *r = NULL;
    sp_diag diag = {0};
    cr_assert_eq(sp_roster_create(w->days, I, 0, 0, &r, &diag), SP_OK, "%s", diag.message);
    for (int s = 0; s < w->S; s++) {
        sp_shift sh = {w->start[s], 1, w->len[s], w->cost[s], 0, NULL};
        cr_assert_eq(sp_roster_add_shift(r, &sh, &diag), SP_OK, "%s", diag.message);
    }
    for (int p = 0; p < w->S; p++)
        for (int s = 0; s < w->S; s++)
            if (w->cf[p][s])
                cr_assert_eq(sp_roster_forbid_succession(r, p, s, &diag), SP_OK);
    cr_assert_eq(sp_roster_set_required(r, w->req, w->under, w->over, &diag), SP_OK);
    for (int a = 0; a < w->A; a++) {
        sp_roster_agent ag = {
            .cost_per_hour = w->cph[a], .eligible = w->elig[a],
            .min_minutes = w->min_minutes[a], .max_minutes = w->max_minutes[a],
            .min_week_minutes = -1, .max_week_minutes = -1, .max_shifts = w->max_shifts[a],
            .min_work_days = w->min_work[a], .max_work_days = w->max_work[a],
            .min_days_off = w->min_off[a], .max_weekends = -1, .min_rest = w->min_rest[a],
            .request_count = w->nreq[a], .requests = w->reqs[a]};
        cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_OK, "%s", diag.message);
    }
    return r;
}

static sp_roster_result *run(const world *w, size_t ng, const sp_shift_group *g)
{
    sp_roster *r = build(w);
    sp_roster_result *res = NULL;
    sp_diag diag = {0};
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 0.3; /* the search runs to its time limit */
    cr_assert_eq(sp_roster_solve(r, ng, g, &lim, &res, &diag), SP_OK, "%s", diag.message);
    sp_roster_free(r);
    return res;
}

/* Three shifts: night-ish early (00:00-12:00), late (12:00-24:00), middle
 * (06:00-12:00). */
static void three_shifts(world *w)
{
    w->start[0] = 0, w->len[0] = 720, w->cost[0] = 100;
    w->start[1] = 720, w->len[1] = 720, w->cost[1] = 100;
    w->start[2] = 360, w->len[2] = 360, w->cost[2] = 60;
}

Test(roster, brute_force_optimum_on_tiny_cases)
{
    unsigned seed = 12345;
    int matched = 0, cases = 12;
    for (int c = 0; c < cases; c++) {
        world w;
        world_init(&w, 3, 3, 3);
        three_shifts(&w);
        w.under = 70;
        w.over = 10;
        for (int t = 0; t < 12; t++) {
            seed = seed * 1103515245u + 12345u;
            w.req[t] = (seed >> 16) % 3;
        }
        w.cph[1] = 7.0;
        w.max_work[0] = 2;
        w.min_rest[1] = 720;
        w.cf[1][0] = 1;
        w.max_shifts[2][1] = 1;
        w.elig[0][1 * 3 + 2] = SP_RULE_AVAILABILITY;
        w.nreq[2] = 1;
        w.reqs[2][0] = (sp_roster_request){2, -1, 0, 40.0};
        double opt = brute(&w);
        sp_roster_result *res = run(&w, 0, NULL);
        cr_assert_eq(res->status, SP_SOLUTION_FEASIBLE);
        double mine = score(&w, res->shift);
        cr_assert(isfinite(mine), "case %d: the roster breaks a hard rule", c);
        cr_assert(fabs(mine - res->objective) < 1e-6,
                  "case %d: objective %g, recomputed %g", c, res->objective, mine);
        cr_assert(mine >= opt - 1e-6, "case %d: below the optimum %g: %g", c, opt, mine);
        matched += fabs(mine - opt) < 1e-6;
        sp_roster_result_free(res);
    }
    /* A local search: it must find the proven optimum on most cases. */
    cr_assert(matched >= cases - 2, "optimum found on %d of %d cases", matched, cases);
}

Test(roster, min_rest_forces_no_late_then_early)
{
    /* One agent, late shift wanted on day 0, early on day 1: with 720
     * minutes of rest it can only work one of them. */
    world w;
    world_init(&w, 2, 3, 1);
    three_shifts(&w);
    w.under = 100;
    w.req[2] = w.req[3] = 1; /* day 0 late */
    w.req[4] = w.req[5] = 1; /* day 1 early */
    w.min_rest[0] = 720;
    sp_roster_result *res = run(&w, 0, NULL);
    cr_assert_eq(res->status, SP_SOLUTION_FEASIBLE);
    int worked = (res->shift[0] >= 0) + (res->shift[1] >= 0);
    cr_assert_eq(worked, 1, "late then early with 12 h rest: %d %d", res->shift[0],
                 res->shift[1]);
    cr_assert_float_eq(res->under_staffing, 2.0, 1e-9);
    sp_roster_result_free(res);
    /* Without the rule both are worked. */
    w.min_rest[0] = -1;
    res = run(&w, 0, NULL);
    cr_assert_eq(res->shift[0], 1);
    cr_assert_eq(res->shift[1], 0);
    cr_assert_float_eq(res->under_staffing, 0.0, 1e-9);
    sp_roster_result_free(res);
}

Test(roster, max_consecutive_days_alternates)
{
    world w;
    world_init(&w, 4, 3, 1);
    three_shifts(&w);
    w.under = 100;
    for (int d = 0; d < 4; d++)
        w.req[d * 4] = w.req[d * 4 + 1] = 1;
    w.max_work[0] = 1;
    sp_roster_result *res = run(&w, 0, NULL);
    for (int d = 0; d + 1 < 4; d++)
        cr_assert(res->shift[d] < 0 || res->shift[d + 1] < 0, "days %d and %d both worked", d,
                  d + 1);
    cr_assert_eq((res->shift[0] >= 0) + (res->shift[1] >= 0) + (res->shift[2] >= 0) +
                     (res->shift[3] >= 0),
                 2);
    sp_roster_result_free(res);
}

Test(roster, cannot_follow_and_eligibility_reported_as_blockers)
{
    /* The group wants shift 0 on day 1 after shift 1 on day 0; agent 0 may
     * not follow 1 with 0, agent 1 is unavailable on day 1. */
    world w;
    world_init(&w, 2, 3, 2);
    three_shifts(&w);
    w.cf[1][0] = w.cf[1][2] = 1;
    for (int s = 0; s < 3; s++)
        w.elig[1][1 * 3 + s] = SP_RULE_UNAVAILABLE; /* agent 1: day 1 off */
    w.elig[1][0 * 3 + 1] = SP_RULE_SKILL;           /* and no late shift  */
    w.under = 100;
    w.req[2] = w.req[3] = 1; /* day 0 late  */
    w.req[4] = w.req[5] = 1; /* day 1 early */
    sp_shift_group g[2] = {{1, 720, 1, {0}, -1}, {0, 1440, 1, {0}, -1}};
    sp_roster_result *res = run(&w, 2, g);
    cr_assert_eq(res->shift[0], 1, "agent 0 takes the late shift of day 0");
    cr_assert_eq(res->shift[1], -1, "agent 0 may follow the late shift with neither");
    cr_assert_eq(res->shift[2], -1);
    cr_assert_eq(res->shift[3], -1);
    cr_assert_eq(res->unassigned_count, 1);
    cr_assert_eq(res->unassigned[0].day, 1);
    cr_assert_eq(res->unassigned[0].shift, 0);
    cr_assert_eq(res->unassigned[0].blocked[0], SP_RULE_CANNOT_FOLLOW);
    cr_assert_eq(res->unassigned[0].blocked[1], SP_RULE_UNAVAILABLE);
    sp_roster_result_free(res);
}

Test(roster, impossible_minimum_is_no_solution)
{
    world w;
    world_init(&w, 2, 3, 2);
    three_shifts(&w);
    w.min_minutes[1] = 3000; /* two days of 720 minutes at most */
    sp_roster_result *res = run(&w, 0, NULL);
    cr_assert_eq(res->status, SP_SOLUTION_NONE);
    cr_assert(res->broken[1] & (1u << SP_RULE_MIN_MINUTES));
    cr_assert_eq(res->broken[0], 0);
    sp_roster_result_free(res);
    /* Reachable: the agent works both days though nothing is required. */
    w.min_minutes[1] = 1440;
    res = run(&w, 0, NULL);
    cr_assert_eq(res->status, SP_SOLUTION_FEASIBLE);
    cr_assert(res->shift[2] >= 0 && res->shift[3] >= 0);
    cr_assert(w.len[res->shift[2]] + w.len[res->shift[3]] >= 1440);
    sp_roster_result_free(res);
}

Test(roster, min_days_off_keeps_short_breaks_out)
{
    /* Work wanted on days 0, 2 and 3; with two days off at least between
     * stretches (and stretches at the horizon edges exempt), one agent
     * cannot work 0 and 2 both. */
    world w;
    world_init(&w, 4, 3, 1);
    three_shifts(&w);
    w.under = 100;
    w.req[0] = w.req[1] = 1;
    w.req[8] = w.req[9] = 1;
    w.req[12] = w.req[13] = 1;
    w.min_off[0] = 2;
    sp_roster_result *res = run(&w, 0, NULL);
    double opt = brute(&w);
    cr_assert(isfinite(score(&w, res->shift)));
    cr_assert(!(res->shift[0] >= 0 && res->shift[1] < 0 && res->shift[2] >= 0));
    cr_assert_float_eq(score(&w, res->shift), opt, 1e-6, "roster %d %d %d %d: %g, optimum %g",
                       res->shift[0], res->shift[1], res->shift[2], res->shift[3],
                       score(&w, res->shift), opt);
    sp_roster_result_free(res);
}

Test(roster, bad_input_names_the_field)
{
    sp_roster *r = NULL;
    sp_diag diag = {0};
    cr_assert_eq(sp_roster_create(0, 15, 0, 0, &r, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "days");
    cr_assert_eq(sp_roster_create(2, 7, 0, 0, &r, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "interval_minutes");
    cr_assert_eq(sp_roster_create(2, 15, 0, 0, &r, &diag), SP_OK);
    sp_shift bad = {30, 1, 2000, 1.0, 0, NULL};
    cr_assert_eq(sp_roster_add_shift(r, &bad, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "length");
    sp_shift ok = {30, 1, 480, 1.0, 0, NULL};
    cr_assert_eq(sp_roster_add_shift(r, &ok, &diag), SP_OK);
    sp_roster_request q = {5, 0, 1, 1.0};
    sp_roster_agent ag = {.cost_per_hour = NAN, .min_minutes = -1, .max_minutes = -1,
                          .min_week_minutes = -1, .max_week_minutes = -1, .min_work_days = -1,
                          .max_work_days = -1, .min_days_off = -1, .max_weekends = -1,
                          .min_rest = -1, .request_count = 1, .requests = &q};
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "requests");
    sp_shift_group g = {0, 45, 1, {0}, -1};
    sp_roster_result *res = NULL;
    cr_assert_eq(sp_roster_solve(r, 1, &g, NULL, &res, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "groups.start");
    cr_assert_null(res);
    cr_assert_str_eq(sp_roster_rule_name(SP_RULE_REST), "min_rest_minutes");
    sp_roster_free(r);
}

/* Costs by day: an agent without cost_per_hour pays the shift's cost of
 * the day, one with cost_per_hour its pay times the day's cost over the
 * shift's cost.  Two days; on each one agent may work (cover targets of one
 * person, missing costs 1000): agent 0 (no rate) on day 0, agent 1 (10 per
 * hour, 80 for the 8-hour shift) on day 1.  The shift costs 100, 150 on
 * day 0 and 300 on day 1: labour 150 + 80 x 3 = 390. */
Test(roster, day_costs_price_each_agent_day)
{
    sp_roster *r = NULL;
    sp_diag diag = {0};
    cr_assert_eq(sp_roster_create(2, 60, 0, 5, &r, &diag), SP_OK);
    sp_shift sh = {480, 1, 480, 100.0, 0, NULL};
    cr_assert_eq(sp_roster_add_shift(r, &sh, &diag), SP_OK);
    double bad[7] = {150, 300, 100, 100, 100, -1, 100};
    cr_assert_eq(sp_roster_set_shift_day_costs(r, 0, bad, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "day_costs[5]");
    cr_assert_eq(sp_roster_set_shift_day_costs(r, 1, bad, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "shift");
    double costs[7] = {150, 300, 100, 100, 100, 100, 100};
    cr_assert_eq(sp_roster_set_shift_day_costs(r, 0, costs, &diag), SP_OK);
    sp_roster_cover cover[2] = {{0, 0, 1, 1000.0, 0.0}, {1, 0, 1, 1000.0, 0.0}};
    cr_assert_eq(sp_roster_set_cover(r, 2, cover, &diag), SP_OK, "%s", diag.message);
    unsigned char only0[2] = {0, SP_RULE_UNAVAILABLE}, only1[2] = {SP_RULE_UNAVAILABLE, 0};
    sp_roster_agent ag = {.cost_per_hour = NAN, .min_minutes = -1, .max_minutes = -1,
                          .min_week_minutes = -1, .max_week_minutes = -1, .min_work_days = -1,
                          .max_work_days = -1, .min_days_off = -1, .max_weekends = -1,
                          .min_rest = -1, .eligible = only0};
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_OK, "%s", diag.message);
    ag.cost_per_hour = 10.0;
    ag.eligible = only1;
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_OK, "%s", diag.message);
    sp_shift_group g[2] = {{0, 480, 1, {0}, -1}, {0, 1440 + 480, 1, {0}, -1}};
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    lim.time_limit = 5;
    sp_roster_result *res = NULL;
    cr_assert_eq(sp_roster_solve(r, 2, g, &lim, &res, &diag), SP_OK, "%s", diag.message);
    cr_expect(fabs(res->labor_cost - 390.0) < 1e-9, "labour %g", res->labor_cost);
    cr_expect(fabs(res->objective - 390.0) < 1e-9, "objective %g", res->objective);
    sp_roster_result_free(res);
    sp_roster_free(r);
}

/* Absurd sizes and costs are refused when the agent is added, before any
 * copy: cells (agents x days x shifts), requests per agent, costs. */
Test(roster, absurd_sizes_and_costs_are_refused)
{
    sp_roster *r = NULL;
    sp_diag diag = {0};
    cr_assert_eq(sp_roster_create(100000, 1440, 0, 0, &r, &diag), SP_OK);
    sp_shift sh = {0, 1, 1440, 1.0, 0, NULL};
    for (int s = 0; s < 501; s++)
        cr_assert_eq(sp_roster_add_shift(r, &sh, &diag), SP_OK);
    sp_roster_agent ag = {.cost_per_hour = NAN, .min_minutes = -1, .max_minutes = -1,
                          .min_week_minutes = -1, .max_week_minutes = -1, .min_work_days = -1,
                          .max_work_days = -1, .min_days_off = -1, .max_weekends = -1,
                          .min_rest = -1};
    /* 100000 days x 501 shifts > SP_ROSTER_MAX_CELLS for a single agent;
     * eligible is NULL, so nothing of that size exists. */
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_ETOOBIG);
    cr_assert_str_eq(diag.field, "agents");
    sp_roster_free(r);

    cr_assert_eq(sp_roster_create(7, 60, 0, 0, &r, &diag), SP_OK);
    cr_assert_eq(sp_roster_add_shift(r, &sh, &diag), SP_OK);
    sp_roster_request q = {0, 0, 1, 1.0};
    ag.request_count = SP_ROSTER_MAX_REQUESTS + 1;
    ag.requests = &q; /* never read: the count is refused first */
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_ETOOBIG);
    cr_assert_str_eq(diag.field, "requests");
    ag.request_count = 1;
    q.weight = 1e308;
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "requests");
    q.weight = 1.0;
    ag.cost_per_hour = 1e308;
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_EINVAL);
    cr_assert_str_eq(diag.field, "cost_per_hour");
    ag.cost_per_hour = SP_ROSTER_MAX_COST;
    cr_assert_eq(sp_roster_add_agent(r, &ag, &diag), SP_OK);
    sp_roster_free(r);
}
