/* Roster internals shared by roster.c (the problem, the search) and
 * roster_dp.c (one agent's best row); sp__ names. */
#ifndef STAFFPLAN_ROSTER_INTERNAL_H
#define STAFFPLAN_ROSTER_INTERNAL_H

#include <stdint.h>

#include "staffplan.h"

typedef struct agent_rec {
    sp_roster_agent a;
    unsigned char *elig; /* days * shifts, NULL: all allowed */
    int *maxs;           /* shifts, NULL: none                */
    sp_roster_request *req;
} agent_rec;

struct sp_roster {
    int days, I, cyclic, wd0, per_day;
    size_t T;
    int S, cap_s;
    int *st, *len, *nb;
    double *cost;
    double *dcost;       /* S * 7: cost by horizon day mod 7 */
    int day_costs;       /* some shift has costs by day      */
    sp_break_window *bw; /* S * MAXB */
    int *succ;           /* pairs (previous, shift) */
    size_t nsucc, cap_succ;
    double *req;
    double under, over;
    sp_roster_cover *cover;
    size_t ncover;
    int A, cap_a;
    agent_rec *ag;
};

static inline uint64_t sp__mix64(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/*
 * One agent's best row (roster_dp.c): the row (a shift or a day off on
 * every day) of least total day cost that keeps every rule of the agent,
 * by dynamic programming over days.  One sp__dp per thread.
 *
 * sp__dp_costs: the D * (S + 1) day costs the caller fills before each
 * call, [d * (S + 1)] for a day off and [d * (S + 1) + 1 + s] for shift s
 * (INFINITY: not allowed); sp__dp_best adds the agent's request penalties
 * to them (so they are used up), writes the row (-1 off) and returns its
 * cost, INFINITY when no row keeps the rules (or none survived the beam,
 * or memory ran out: sp__dp_failed).  *exact is 1 when no state was cut,
 * so that the row is the cheapest there is.  cf: S * S forbidden
 * successions [prev * S + s]; nweeks: the weeks the week rules apply to;
 * beam: the states kept per day.
 */
typedef struct sp__dp sp__dp;
sp__dp *sp__dp_new(const sp_roster *p, const unsigned char *cf, int nweeks, int beam);
void sp__dp_free(sp__dp *dp);
double *sp__dp_costs(sp__dp *dp);
double sp__dp_best(sp__dp *dp, int a, int *row, int *exact);
int sp__dp_failed(const sp__dp *dp);

#endif
