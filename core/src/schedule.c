/*
 * The schedule IP in service mode, shifts without tours.
 *
 * Model (columns, all costs >= 0):
 *   x[s]      integer people on shift start s (a shift on one day)
 *   b[s,k,o]  integer people of start s whose break k starts at offset o
 *   u[t], e[t] continuous shortfall and excess of interval t
 * Rows:
 *   sum_{s covers t} x[s] - sum_{(s,k,o) break covers t} b[s,k,o]
 *       + u[t] - e[t] = required[t]                       (coverage)
 *   sum_o b[s,k,o] - x[s] = 0                             (break link)
 * Break windows of one shift never overlap, so any choice of offsets per
 * break is a valid day for one person: the per-break counts decompose into
 * people without enumerating combinations.
 *
 * Every integer (x, b) is feasible once u and e absorb the difference, so
 * our heuristics work directly on counts: round the LP up, place breaks
 * greedily, then local search (drop, add, break move, shift move).  Their
 * solutions reach GLPK's branch-and-cut through glp_ios_heur_sol, and GLPK
 * supplies the bound and the proof.
 */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Objective improvements smaller than this are noise. */
#define IMPROVE_EPS 1e-7

/* Columns and rows GLPK indexes with int; keep far from INT_MAX. */
#define MAX_MODEL_SIZE 50000000LL

typedef struct shift_rec {
    long long start;
    int daily;
    int length;
    double cost;
    int break_count;
    sp_break_window breaks[SP_SCHEDULE_MAX_BREAKS];
} shift_rec;

struct sp_schedule {
    size_t intervals;
    int minutes;
    int cyclic;
    double *required;
    double under_cost, over_cost;
    shift_rec *shifts;
    size_t shift_count, shift_cap;
};

/* ------------------------------------------------------------------ */
/* Problem handle                                                      */
/* ------------------------------------------------------------------ */

int sp_schedule_create(size_t intervals, int interval_minutes, int cyclic,
                       const double *required, sp_schedule **out,
                       sp_diag *diag)
{
    if (out == NULL)
        return sp__diag_set(diag, SP_EINVAL, "out", -1, "out must not be NULL");
    *out = NULL;
    if (interval_minutes <= 0 || interval_minutes > 1440 || 1440 % interval_minutes != 0)
        return sp__diag_set(diag, SP_EINVAL, "interval_minutes", -1,
                            "interval_minutes must divide 1440, got %d", interval_minutes);
    if (intervals == 0)
        return sp__diag_set(diag, SP_EINVAL, "intervals", -1,
                            "the horizon needs at least one interval");
    if ((long long)intervals > MAX_MODEL_SIZE / 4)
        return sp__diag_set(diag, SP_ETOOBIG, "intervals", -1,
                            "%zu intervals are too many", intervals);
    if (required == NULL)
        return sp__diag_set(diag, SP_EINVAL, "required", -1, "required must not be NULL");
    for (size_t t = 0; t < intervals; t++)
        if (!isfinite(required[t]) || required[t] < 0.0 || required[t] > 1e9)
            return sp__diag_set(diag, SP_EINVAL, "required", (long long)t,
                                "required[%zu] must be a finite number of heads in "
                                "[0, 1e9], got %g", t, required[t]);
    sp_schedule *s = calloc(1, sizeof *s);
    if (s == NULL || (s->required = malloc(intervals * sizeof(double))) == NULL) {
        free(s);
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    }
    memcpy(s->required, required, intervals * sizeof(double));
    s->intervals = intervals;
    s->minutes = interval_minutes;
    s->cyclic = cyclic != 0;
    *out = s;
    return SP_OK;
}

void sp_schedule_free(sp_schedule *s)
{
    if (s == NULL)
        return;
    free(s->required);
    free(s->shifts);
    free(s);
}

int sp_schedule_set_costs(sp_schedule *s, double under, double over, sp_diag *diag)
{
    if (s == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    if (!isfinite(under) || under < 0.0 || under > 1e12)
        return sp__diag_set(diag, SP_EINVAL, "under_staffing_cost", -1,
                            "under_staffing_cost must be finite and >= 0, got %g", under);
    if (!isfinite(over) || over < 0.0 || over > 1e12)
        return sp__diag_set(diag, SP_EINVAL, "over_staffing_cost", -1,
                            "over_staffing_cost must be finite and >= 0, got %g", over);
    s->under_cost = under;
    s->over_cost = over;
    return SP_OK;
}

static int on_grid(long long minutes, int step) { return minutes % step == 0; }

int sp_schedule_add_shift(sp_schedule *s, const sp_shift *sh, sp_diag *diag)
{
    if (s == NULL || sh == NULL)
        return sp__diag_set(diag, SP_EINVAL, "shift", -1, "schedule and shift must not be NULL");
    const int I = s->minutes;
    const long long horizon = (long long)s->intervals * I;
    long long idx = (long long)s->shift_count;
    if (sh->daily) {
        if (sh->start < 0 || sh->start >= 1440 || !on_grid(sh->start, I))
            return sp__diag_set(diag, SP_EINVAL, "start", idx,
                                "a daily shift starts at a minute of the day in "
                                "[0, 1440) on the %d-minute grid, got %lld", I, sh->start);
    } else if (sh->start < 0 || sh->start >= horizon || !on_grid(sh->start, I)) {
        return sp__diag_set(diag, SP_EINVAL, "start", idx,
                            "start must be a minute of the horizon [0, %lld) on the "
                            "%d-minute grid, got %lld", horizon, I, sh->start);
    }
    if (sh->length <= 0 || sh->length % I != 0 || sh->length > horizon)
        return sp__diag_set(diag, SP_EINVAL, "length", idx,
                            "length must be a positive multiple of %d minutes no "
                            "longer than the horizon, got %d", I, sh->length);
    if (!isfinite(sh->cost) || sh->cost < 0.0 || sh->cost > 1e12)
        return sp__diag_set(diag, SP_EINVAL, "cost", idx,
                            "cost must be finite and >= 0, got %g", sh->cost);
    if (sh->break_count < 0 || sh->break_count > SP_SCHEDULE_MAX_BREAKS ||
        (sh->break_count > 0 && sh->breaks == NULL))
        return sp__diag_set(diag, SP_EINVAL, "breaks", idx,
                            "a shift has 0 to %d break windows, got %d",
                            SP_SCHEDULE_MAX_BREAKS, sh->break_count);
    for (int k = 0; k < sh->break_count; k++) {
        const sp_break_window *w = &sh->breaks[k];
        char field[32];
        if (w->length <= 0 || w->length % I != 0) {
            snprintf(field, sizeof field, "breaks[%d].length", k);
            return sp__diag_set(diag, SP_EINVAL, field, idx,
                                "a break length is a positive multiple of %d "
                                "minutes, got %d", I, w->length);
        }
        if (w->earliest < 0 || w->earliest % I != 0) {
            snprintf(field, sizeof field, "breaks[%d].earliest", k);
            return sp__diag_set(diag, SP_EINVAL, field, idx,
                                "earliest must be >= 0 on the %d-minute grid, got %d",
                                I, w->earliest);
        }
        if (w->latest < w->earliest || w->latest % I != 0 ||
            (long long)w->latest + w->length > sh->length) {
            snprintf(field, sizeof field, "breaks[%d].latest", k);
            return sp__diag_set(diag, SP_EINVAL, field, idx,
                                "latest must be on the %d-minute grid, >= earliest "
                                "(%d) and let the break end within the shift (%d "
                                "minutes), got %d", I, w->earliest, sh->length, w->latest);
        }
        if (k > 0) {
            const sp_break_window *p = &sh->breaks[k - 1];
            if ((long long)p->latest + p->length > w->earliest) {
                snprintf(field, sizeof field, "breaks[%d].earliest", k);
                return sp__diag_set(diag, SP_EINVAL, field, idx,
                                    "break windows must be sorted and must not "
                                    "overlap: break %d can last until minute %d, "
                                    "break %d can start at %d", k - 1,
                                    p->latest + p->length, k, w->earliest);
            }
        }
    }
    if (s->shift_count == s->shift_cap) {
        size_t cap = s->shift_cap ? 2 * s->shift_cap : 16;
        shift_rec *n = realloc(s->shifts, cap * sizeof *n);
        if (n == NULL)
            return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
        s->shifts = n;
        s->shift_cap = cap;
    }
    shift_rec *r = &s->shifts[s->shift_count++];
    memset(r, 0, sizeof *r);
    r->start = sh->start;
    r->daily = sh->daily != 0;
    r->length = sh->length;
    r->cost = sh->cost;
    r->break_count = sh->break_count;
    if (sh->break_count > 0)
        memcpy(r->breaks, sh->breaks, (size_t)sh->break_count * sizeof *sh->breaks);
    return SP_OK;
}

void sp_solve_limits_init(sp_solve_limits *l)
{
    l->time_limit = 60.0;
    l->mip_gap = 1e-4;
    l->threads = 0;
    l->cancel = NULL;
}

void sp_schedule_result_free(sp_schedule_result *r)
{
    if (r == NULL)
        return;
    free(r->groups);
    free(r->coverage);
    free(r);
}

/* ------------------------------------------------------------------ */
/* The expanded model and the heuristic's state                        */
/* ------------------------------------------------------------------ */

/* One shift start: a shift on one day.  Times in intervals. */
typedef struct start_rec {
    int shift;
    long long minute;            /* absolute start minute            */
    long long first;             /* first interval                   */
    int len;                     /* length in intervals              */
    double cost;
    int nb;                      /* break windows                    */
    int bvar[SP_SCHEDULE_MAX_BREAKS]; /* index of offset 0's variable */
    int boff[SP_SCHEDULE_MAX_BREAKS]; /* earliest offset, intervals   */
    int bn[SP_SCHEDULE_MAX_BREAKS];   /* offsets in the window        */
    int blen[SP_SCHEDULE_MAX_BREAKS]; /* break length, intervals      */
} start_rec;

typedef struct work {
    const sp_schedule *p;
    size_t T;
    int S, B;              /* shift starts, break variables            */
    start_rec *starts;
    int *bstart;           /* break variable -> its start              */
    /* current heuristic state */
    long long *x, *b, *cov;
    double obj;
    /* best solution */
    long long *best_x, *best_b, *best_cov;
    double best_obj;
    int have_best;
    /* GLPK exchange */
    double *lp;            /* LP values of x and b (S + B)             */
    double *vals;          /* 1-based column vector for heur_sol       */
    int *ia, *ja;
    double *ar;
    long long nnz;
    int ncols, nrows;
    int integral_costs;
    /* limits and progress */
    double t0, time_limit, mip_gap;
    const volatile int *cancel;
    int cancelled, timed_out;
    double lp_bound, tree_bound;
    int lp_solved, mip_proven;
    double heur_seconds;
    int root_fed;
} work;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int out_of_time(work *w)
{
    if (w->cancel != NULL && *w->cancel) {
        w->cancelled = 1;
        return 1;
    }
    if (now() - w->t0 >= w->time_limit) {
        w->timed_out = 1;
        return 1;
    }
    return 0;
}

/* Cost of interval t at coverage c: shortfall or excess. */
static double fcost(const work *w, size_t t, long long c)
{
    double d = (double)c - w->p->required[t];
    return d < 0.0 ? -d * w->p->under_cost : d * w->p->over_cost;
}

/* Interval index of position first + j, or -1 when it falls off a
 * non-cyclic horizon.  Lengths never exceed the horizon, so one wrap is
 * enough. */
static long long at(const work *w, long long first, long long j)
{
    long long t = first + j;
    if (t >= (long long)w->T)
        return w->p->cyclic ? t - (long long)w->T : -1;
    return t;
}

/* Change of the staffing cost if coverage over [first, first + len) moves
 * by `sign` (+1 or -1); nothing is changed. */
static double range_delta(const work *w, long long first, int len, int sign)
{
    double d = 0.0;
    for (int j = 0; j < len; j++) {
        long long t = at(w, first, j);
        if (t < 0)
            break;
        long long c = w->cov[t];
        d += fcost(w, (size_t)t, c + sign) - fcost(w, (size_t)t, c);
    }
    return d;
}

/* Moves coverage over the range by `sign` and returns the cost change. */
static double range_apply(work *w, long long first, int len, int sign)
{
    double d = 0.0;
    for (int j = 0; j < len; j++) {
        long long t = at(w, first, j);
        if (t < 0)
            break;
        long long c = w->cov[t];
        d += fcost(w, (size_t)t, c + sign) - fcost(w, (size_t)t, c);
        w->cov[t] = c + sign;
    }
    return d;
}

static long long break_first(const start_rec *r, int k, int o)
{
    return r->first + r->boff[k] + o;
}

/* Objective of the current state, from scratch. */
static double full_objective(const work *w)
{
    double v = 0.0;
    for (int s = 0; s < w->S; s++)
        v += w->starts[s].cost * (double)w->x[s];
    for (size_t t = 0; t < w->T; t++)
        v += fcost(w, t, w->cov[t]);
    return v;
}

static void recompute_coverage(work *w)
{
    memset(w->cov, 0, w->T * sizeof *w->cov);
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        if (w->x[s] == 0)
            continue;
        for (int j = 0; j < r->len; j++) {
            long long t = at(w, r->first, j);
            if (t < 0)
                break;
            w->cov[t] += w->x[s];
        }
        for (int k = 0; k < r->nb; k++)
            for (int o = 0; o < r->bn[k]; o++) {
                long long n = w->b[r->bvar[k] + o];
                if (n == 0)
                    continue;
                for (int j = 0; j < r->blen[k]; j++) {
                    long long t = at(w, break_first(r, k, o), j);
                    if (t < 0)
                        break;
                    w->cov[t] -= n;
                }
            }
    }
    w->obj = full_objective(w);
}

/* The offset of break k where taking one more head off hurts least. */
static int best_break_slot(const work *w, const start_rec *r, int k)
{
    int best = 0;
    double bd = INFINITY;
    for (int o = 0; o < r->bn[k]; o++) {
        double d = range_delta(w, break_first(r, k, o), r->blen[k], -1);
        if (d < bd - 1e-12) {
            bd = d;
            best = o;
        }
    }
    return best;
}

/* Adds one person to start s with the best break offsets; returns the
 * objective change and records the offsets in `offs`. */
static double person_add(work *w, int s, int *offs)
{
    const start_rec *r = &w->starts[s];
    double d = r->cost + range_apply(w, r->first, r->len, +1);
    for (int k = 0; k < r->nb; k++) {
        int o = best_break_slot(w, r, k);
        d += range_apply(w, break_first(r, k, o), r->blen[k], -1);
        w->b[r->bvar[k] + o]++;
        offs[k] = o;
    }
    w->x[s]++;
    w->obj += d;
    return d;
}

/* Removes one person of start s (x[s] > 0), choosing, per break, the
 * offset whose head is missed least; returns the change and the offsets. */
static double person_drop(work *w, int s, int *offs)
{
    const start_rec *r = &w->starts[s];
    double d = -r->cost + range_apply(w, r->first, r->len, -1);
    for (int k = 0; k < r->nb; k++) {
        int best = -1;
        double bd = INFINITY;
        for (int o = 0; o < r->bn[k]; o++) {
            if (w->b[r->bvar[k] + o] == 0)
                continue;
            double dd = range_delta(w, break_first(r, k, o), r->blen[k], +1);
            if (dd < bd - 1e-12) {
                bd = dd;
                best = o;
            }
        }
        d += range_apply(w, break_first(r, k, best), r->blen[k], +1);
        w->b[r->bvar[k] + best]--;
        offs[k] = best;
    }
    w->x[s]--;
    w->obj += d;
    return d;
}

/* Exact inverse of person_add / person_drop with the recorded offsets. */
static void person_undo_add(work *w, int s, const int *offs)
{
    const start_rec *r = &w->starts[s];
    double d = -r->cost;
    for (int k = 0; k < r->nb; k++) {
        d += range_apply(w, break_first(r, k, offs[k]), r->blen[k], +1);
        w->b[r->bvar[k] + offs[k]]--;
    }
    d += range_apply(w, r->first, r->len, -1);
    w->x[s]--;
    w->obj += d;
}

static void person_undo_drop(work *w, int s, const int *offs)
{
    const start_rec *r = &w->starts[s];
    double d = r->cost + range_apply(w, r->first, r->len, +1);
    for (int k = 0; k < r->nb; k++) {
        d += range_apply(w, break_first(r, k, offs[k]), r->blen[k], -1);
        w->b[r->bvar[k] + offs[k]]++;
    }
    w->x[s]++;
    w->obj += d;
}

/* Moves single breaks to better offsets; returns 1 if anything improved. */
static int improve_breaks(work *w)
{
    int improved = 0;
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        if (w->x[s] == 0)
            continue;
        for (int k = 0; k < r->nb; k++)
            for (int o = 0; o < r->bn[k]; o++) {
                while (w->b[r->bvar[k] + o] > 0) {
                    /* Back to work at o, then the best place for the break. */
                    double d = range_apply(w, break_first(r, k, o), r->blen[k], +1);
                    int o2 = best_break_slot(w, r, k);
                    d += range_apply(w, break_first(r, k, o2), r->blen[k], -1);
                    if (o2 != o && d < -IMPROVE_EPS) {
                        w->b[r->bvar[k] + o]--;
                        w->b[r->bvar[k] + o2]++;
                        w->obj += d;
                        improved = 1;
                    } else {
                        range_apply(w, break_first(r, k, o2), r->blen[k], +1);
                        range_apply(w, break_first(r, k, o), r->blen[k], -1);
                        break;
                    }
                }
            }
    }
    return improved;
}

/* Shift starts within `radius` intervals of s (cyclic distance) are its
 * neighbours for the move "one person from s to s2". */
static int near(const work *w, int s, int s2, long long radius)
{
    long long d = llabs(w->starts[s].first - w->starts[s2].first);
    if (w->p->cyclic && (long long)w->T - d < d)
        d = (long long)w->T - d;
    return d <= radius;
}

/*
 * Local search to a local optimum of the moves drop one person, add one
 * person, move one break, move one person to a nearby start.  Stops early
 * on time; the state stays consistent whenever it returns.
 */
static void local_search(work *w)
{
    int offs[SP_SCHEDULE_MAX_BREAKS], offs2[SP_SCHEDULE_MAX_BREAKS];
    for (int pass = 0; pass < 1000; pass++) {
        int improved = 0;
        for (int s = 0; s < w->S; s++) {
            while (w->x[s] > 0) {
                double d = person_drop(w, s, offs);
                if (d < -IMPROVE_EPS) {
                    improved = 1;
                    continue;
                }
                person_undo_drop(w, s, offs);
                break;
            }
            for (;;) {
                double d = person_add(w, s, offs);
                if (d < -IMPROVE_EPS) {
                    improved = 1;
                    continue;
                }
                person_undo_add(w, s, offs);
                break;
            }
        }
        if (out_of_time(w))
            break;
        improved |= improve_breaks(w);
        for (int s = 0; s < w->S; s++) {
            if (w->x[s] == 0)
                continue;
            double d = person_drop(w, s, offs);
            int best = -1;
            double bd = -d - IMPROVE_EPS;
            for (int s2 = 0; s2 < w->S; s2++) {
                if (s2 == s || !near(w, s, s2, 4))
                    continue;
                double d2 = person_add(w, s2, offs2);
                person_undo_add(w, s2, offs2);
                if (d2 < bd) {
                    bd = d2;
                    best = s2;
                }
            }
            if (best >= 0) {
                person_add(w, best, offs2);
                improved = 1;
            } else {
                person_undo_drop(w, s, offs);
            }
        }
        if (!improved || out_of_time(w))
            break;
    }
    /* Deltas accumulate rounding; the stored objective is recomputed. */
    w->obj = full_objective(w);
}

/* Rounds LP values: x up (up != 0) or down, breaks from the LP's whole
 * parts, the rest greedily where a missing head hurts least. */
static void round_lp(work *w, const double *lp, int up)
{
    for (int s = 0; s < w->S; s++) {
        double v = lp != NULL ? lp[s] : 0.0;
        w->x[s] = up ? (v > 1e-6 ? (long long)ceil(v - 1e-6) : 0)
                     : (long long)floor(v + 1e-6);
    }
    memset(w->b, 0, (size_t)w->B * sizeof *w->b);
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        for (int k = 0; k < r->nb; k++) {
            long long placed = 0;
            for (int o = 0; o < r->bn[k] && lp != NULL; o++) {
                double v = lp[w->S + r->bvar[k] + o];
                long long n = v > 1e-6 ? (long long)floor(v + 1e-6) : 0;
                if (n > w->x[s] - placed)
                    n = w->x[s] - placed;
                w->b[r->bvar[k] + o] = n;
                placed += n;
            }
        }
    }
    recompute_coverage(w);
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        for (int k = 0; k < r->nb; k++) {
            long long placed = 0;
            for (int o = 0; o < r->bn[k]; o++)
                placed += w->b[r->bvar[k] + o];
            for (; placed < w->x[s]; placed++) {
                int o = best_break_slot(w, r, k);
                w->obj += range_apply(w, break_first(r, k, o), r->blen[k], -1);
                w->b[r->bvar[k] + o]++;
            }
        }
    }
    w->obj = full_objective(w);
}

static void save_best(work *w)
{
    memcpy(w->best_x, w->x, (size_t)w->S * sizeof *w->x);
    memcpy(w->best_b, w->b, (size_t)w->B * sizeof *w->b);
    memcpy(w->best_cov, w->cov, w->T * sizeof *w->cov);
    w->best_obj = w->obj;
    w->have_best = 1;
}

/* The best solution as a GLPK column vector (1-based). */
static void best_to_vals(work *w)
{
    const sp_schedule *p = w->p;
    for (int s = 0; s < w->S; s++)
        w->vals[1 + s] = (double)w->best_x[s];
    for (int v = 0; v < w->B; v++)
        w->vals[1 + w->S + v] = (double)w->best_b[v];
    for (size_t t = 0; t < w->T; t++) {
        double d = (double)w->best_cov[t] - p->required[t];
        w->vals[1 + w->S + w->B + (int)t] = d < 0.0 ? -d : 0.0;
        w->vals[1 + w->S + w->B + (int)w->T + (int)t] = d > 0.0 ? d : 0.0;
    }
}

/* Adds, one at a time, the person that lowers the objective most, until
 * no one does: the repair after rounding down, and the construction when
 * there is no LP solution. */
static void greedy_fill(work *w)
{
    int offs[SP_SCHEDULE_MAX_BREAKS];
    for (;;) {
        int best = -1;
        double bd = -IMPROVE_EPS;
        for (int s = 0; s < w->S; s++) {
            double d = person_add(w, s, offs);
            person_undo_add(w, s, offs);
            if (d < bd) {
                bd = d;
                best = s;
            }
        }
        if (best < 0 || out_of_time(w))
            break;
        person_add(w, best, offs);
    }
}

/* Runs the heuristic from LP values (rounded up, and rounded down then
 * greedily repaired: neither dominates); keeps the result if it is the
 * best.  Returns 1 when the best improved. */
static int heuristic(work *w, const double *lp)
{
    double t = now();
    int improved = 0;
    for (int up = 1; up >= 0; up--) {
        if (lp == NULL && up)
            continue;
        round_lp(w, lp, up);
        if (!up)
            greedy_fill(w);
        local_search(w);
        if (!w->have_best || w->obj < w->best_obj - IMPROVE_EPS) {
            save_best(w);
            improved = 1;
        }
        if (out_of_time(w))
            break;
    }
    w->heur_seconds += now() - t;
    return improved;
}

/* Takes GLPK's incumbent as the state when it is better than ours. */
static void adopt_glpk_solution(work *w, glp_prob *P)
{
    for (int s = 0; s < w->S; s++)
        w->x[s] = llround(glp_mip_col_val(P, 1 + s));
    for (int v = 0; v < w->B; v++)
        w->b[v] = llround(glp_mip_col_val(P, 1 + w->S + v));
    recompute_coverage(w);
    if (!w->have_best || w->obj < w->best_obj - IMPROVE_EPS)
        save_best(w);
}

/* ------------------------------------------------------------------ */
/* GLPK: model, LP, branch-and-cut (runs inside the guard)             */
/* ------------------------------------------------------------------ */

static void update_tree_bound(work *w, glp_tree *tree)
{
    double bound = INFINITY;
    int p = glp_ios_best_node(tree);
    if (p != 0)
        bound = glp_ios_node_bound(tree, p);
    int c = glp_ios_curr_node(tree);
    if (c != 0) {
        double bc = glp_ios_node_bound(tree, c);
        if (bc < bound)
            bound = bc;
    }
    /* The smallest local bound over open nodes only grows, and a bound of
     * -inf (a node not yet solved) says nothing. */
    if (isfinite(bound) && bound > w->tree_bound)
        w->tree_bound = bound;
}

static void callback(glp_tree *tree, void *info)
{
    work *w = info;
    if (out_of_time(w)) {
        glp_ios_terminate(tree);
        return;
    }
    update_tree_bound(w, tree);
    if (glp_ios_reason(tree) != GLP_IHEUR)
        return;
    if (!w->root_fed) {
        w->root_fed = 1;
        if (w->have_best) {
            best_to_vals(w);
            glp_ios_heur_sol(tree, w->vals);
        }
        return;
    }
    /* The heuristic gets at most half of the time spent so far, so that
     * GLPK keeps time to raise the bound. */
    double elapsed = now() - w->t0;
    if (w->heur_seconds > 0.5 * elapsed)
        return;
    glp_prob *P = glp_ios_get_prob(tree);
    for (int j = 0; j < w->S + w->B; j++)
        w->lp[j] = glp_get_col_prim(P, 1 + j);
    if (heuristic(w, w->lp)) {
        best_to_vals(w);
        glp_ios_heur_sol(tree, w->vals);
    }
}

static int solve_task(void *arg)
{
    work *w = arg;
    const sp_schedule *p = w->p;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_rows(P, w->nrows);
    glp_add_cols(P, w->ncols);
    for (size_t t = 0; t < w->T; t++)
        glp_set_row_bnds(P, 1 + (int)t, GLP_FX, p->required[t], p->required[t]);
    for (int r = (int)w->T; r < w->nrows; r++)
        glp_set_row_bnds(P, 1 + r, GLP_FX, 0.0, 0.0);
    for (int s = 0; s < w->S; s++) {
        glp_set_col_kind(P, 1 + s, GLP_IV);
        glp_set_col_bnds(P, 1 + s, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, 1 + s, w->starts[s].cost);
    }
    for (int v = 0; v < w->B; v++) {
        glp_set_col_kind(P, 1 + w->S + v, GLP_IV);
        glp_set_col_bnds(P, 1 + w->S + v, GLP_LO, 0.0, 0.0);
    }
    for (size_t t = 0; t < w->T; t++) {
        int cu = 1 + w->S + w->B + (int)t, ce = cu + (int)w->T;
        glp_set_col_bnds(P, cu, GLP_LO, 0.0, 0.0);
        glp_set_col_bnds(P, ce, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, cu, p->under_cost);
        glp_set_obj_coef(P, ce, p->over_cost);
    }
    glp_load_matrix(P, (int)w->nnz, w->ia, w->ja, w->ar);

    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF;
    /* Every column starts at its bound 0 with a cost >= 0: the standard
     * basis is dual feasible, and the dual simplex is about 4x faster than
     * the primal here (0.7 s against 3.3 s on a week of 15-min intervals). */
    sm.meth = GLP_DUALP;
    double left = w->time_limit - (now() - w->t0);
    sm.tm_lim = left > 0 ? (int)fmin(left * 1000.0, (double)INT_MAX) : 1;
    int rc = glp_simplex(P, &sm);
    if (rc == 0 && glp_get_status(P) == GLP_OPT) {
        w->lp_solved = 1;
        w->lp_bound = glp_get_obj_val(P);
        for (int j = 0; j < w->S + w->B; j++)
            w->lp[j] = glp_get_col_prim(P, 1 + j);
        heuristic(w, w->lp);
    } else {
        /* No LP in time: build from nothing, so a solution still exists. */
        heuristic(w, NULL);
        return SP_OK;
    }
    if (out_of_time(w))
        return SP_OK;
    double ub = w->best_obj, lb = w->lp_bound;
    if (w->integral_costs)
        lb = ceil(lb - 1e-6);
    if ((ub - lb) / fmax(1.0, fabs(ub)) <= w->mip_gap)
        return SP_OK;

    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF; /* the callback's columns are the original ones */
    io.cb_func = callback;
    io.cb_info = w;
    io.mip_gap = w->mip_gap;
    left = w->time_limit - (now() - w->t0);
    io.tm_lim = left > 0 ? (int)fmin(left * 1000.0, (double)INT_MAX) : 1;
    rc = glp_intopt(P, &io);
    int st = glp_mip_status(P);
    if (st == GLP_OPT || st == GLP_FEAS)
        adopt_glpk_solution(w, P);
    if (rc == 0 && st == GLP_OPT)
        w->mip_proven = 1;
    return SP_OK;
}

/* ------------------------------------------------------------------ */
/* Solve: expand, allocate, run the guarded task, report               */
/* ------------------------------------------------------------------ */

static void work_free(work *w)
{
    free(w->starts);
    free(w->bstart);
    free(w->x);
    free(w->b);
    free(w->cov);
    free(w->best_x);
    free(w->best_b);
    free(w->best_cov);
    free(w->lp);
    free(w->vals);
    free(w->ia);
    free(w->ja);
    free(w->ar);
}

/* Expands shifts into starts and counts columns, rows and nonzeros. */
static int expand(work *w, sp_diag *diag)
{
    const sp_schedule *p = w->p;
    const int I = p->minutes;
    const long long horizon = (long long)p->intervals * I;
    long long S = 0, B = 0, nnz = 0;
    for (size_t i = 0; i < p->shift_count; i++) {
        const shift_rec *sh = &p->shifts[i];
        long long days = sh->daily ? (horizon - sh->start + 1439) / 1440 : 1;
        /* x: its coverage entries and one per break link; each break
         * variable: its link entry and its coverage entries. */
        long long per = sh->length / I;
        for (int k = 0; k < sh->break_count; k++) {
            long long n = (sh->breaks[k].latest - sh->breaks[k].earliest) / I + 1;
            B += days * n;
            per += 1 + n * (sh->breaks[k].length / I + 1);
        }
        S += days;
        nnz += days * per;
        if (S + B + nnz > MAX_MODEL_SIZE)
            return sp__diag_set(diag, SP_ETOOBIG, "shifts", (long long)i,
                                "the model would exceed %lld columns and nonzeros",
                                MAX_MODEL_SIZE);
    }
    nnz += 2 * (long long)p->intervals;
    w->S = (int)S;
    w->B = (int)B;
    w->T = p->intervals;
    w->ncols = (int)(S + B + 2 * (long long)p->intervals);
    w->nrows = (int)p->intervals;
    for (size_t i = 0; i < p->shift_count; i++) {
        const shift_rec *sh = &p->shifts[i];
        long long days = sh->daily ? (horizon - sh->start + 1439) / 1440 : 1;
        w->nrows += (int)(days * sh->break_count);
    }
    w->nnz = nnz;

    size_t T = w->T, Sz = (size_t)(S > 0 ? S : 1), Bz = (size_t)(B > 0 ? B : 1);
    w->starts = calloc(Sz, sizeof *w->starts);
    w->bstart = calloc(Bz, sizeof *w->bstart);
    w->x = calloc(Sz, sizeof *w->x);
    w->best_x = calloc(Sz, sizeof *w->best_x);
    w->b = calloc(Bz, sizeof *w->b);
    w->best_b = calloc(Bz, sizeof *w->best_b);
    w->cov = calloc(T, sizeof *w->cov);
    w->best_cov = calloc(T, sizeof *w->best_cov);
    w->lp = calloc(Sz + Bz, sizeof *w->lp);
    w->vals = calloc((size_t)w->ncols + 1, sizeof *w->vals);
    w->ia = calloc((size_t)nnz + 1, sizeof *w->ia);
    w->ja = calloc((size_t)nnz + 1, sizeof *w->ja);
    w->ar = calloc((size_t)nnz + 1, sizeof *w->ar);
    if (!w->starts || !w->bstart || !w->x || !w->best_x || !w->b || !w->best_b ||
        !w->cov || !w->best_cov || !w->lp || !w->vals || !w->ia || !w->ja || !w->ar)
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");

    int s = 0, v = 0, row = (int)T;
    long long e = 0;
#define ENTRY(r_, c_, a_)              \
    do {                               \
        e++;                           \
        w->ia[e] = (r_);               \
        w->ja[e] = (c_);               \
        w->ar[e] = (a_);               \
    } while (0)
    for (size_t i = 0; i < p->shift_count; i++) {
        const shift_rec *sh = &p->shifts[i];
        long long days = sh->daily ? (horizon - sh->start + 1439) / 1440 : 1;
        for (long long d = 0; d < days; d++, s++) {
            start_rec *r = &w->starts[s];
            r->shift = (int)i;
            r->minute = sh->daily ? d * 1440 + sh->start : sh->start;
            r->first = r->minute / I;
            r->len = sh->length / I;
            r->cost = sh->cost;
            r->nb = sh->break_count;
            for (int j = 0; j < r->len; j++) {
                long long t = at(w, r->first, j);
                if (t < 0)
                    break;
                ENTRY(1 + (int)t, 1 + s, 1.0);
            }
            for (int k = 0; k < r->nb; k++) {
                r->bvar[k] = v;
                r->boff[k] = sh->breaks[k].earliest / I;
                r->bn[k] = (sh->breaks[k].latest - sh->breaks[k].earliest) / I + 1;
                r->blen[k] = sh->breaks[k].length / I;
                row++;
                ENTRY(row, 1 + s, -1.0);
                for (int o = 0; o < r->bn[k]; o++, v++) {
                    w->bstart[v] = s;
                    ENTRY(row, 1 + w->S + v, 1.0);
                    for (int j = 0; j < r->blen[k]; j++) {
                        long long t = at(w, break_first(r, k, o), j);
                        if (t < 0)
                            break;
                        ENTRY(1 + (int)t, 1 + w->S + v, -1.0);
                    }
                }
            }
        }
    }
    for (size_t t = 0; t < T; t++) {
        ENTRY(1 + (int)t, 1 + w->S + w->B + (int)t, 1.0);
        ENTRY(1 + (int)t, 1 + w->S + w->B + (int)T + (int)t, -1.0);
    }
#undef ENTRY
    /* Entries that fell off a non-cyclic horizon were not written. */
    w->nnz = e;
    int integral = p->under_cost == floor(p->under_cost) &&
                   p->over_cost == floor(p->over_cost);
    for (size_t i = 0; i < p->shift_count && integral; i++)
        integral = p->shifts[i].cost == floor(p->shifts[i].cost);
    w->integral_costs = integral;
    return SP_OK;
}

/* Splits per-break counts into groups of identical people: person i of a
 * start takes the i-th offset of every break in sorted order. */
static int build_groups(const work *w, sp_schedule_result *res)
{
    size_t cap = 0;
    for (int s = 0; s < w->S; s++) {
        if (w->best_x[s] == 0)
            continue;
        cap += 1;
        for (int k = 0; k < w->starts[s].nb; k++)
            cap += (size_t)w->starts[s].bn[k];
    }
    res->groups = calloc(cap > 0 ? cap : 1, sizeof *res->groups);
    if (res->groups == NULL)
        return SP_ENOMEM;
    size_t g = 0;
    const int I = w->p->minutes;
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        long long left = w->best_x[s];
        if (left == 0)
            continue;
        int cur[SP_SCHEDULE_MAX_BREAKS];
        long long rem[SP_SCHEDULE_MAX_BREAKS];
        for (int k = 0; k < r->nb; k++) {
            cur[k] = 0;
            while (w->best_b[r->bvar[k] + cur[k]] == 0)
                cur[k]++;
            rem[k] = w->best_b[r->bvar[k] + cur[k]];
        }
        while (left > 0) {
            long long n = left;
            for (int k = 0; k < r->nb; k++)
                if (rem[k] < n)
                    n = rem[k];
            sp_shift_group *grp = &res->groups[g++];
            grp->shift = r->shift;
            grp->start = r->minute;
            grp->count = n;
            for (int k = 0; k < r->nb; k++) {
                grp->break_offset[k] = (r->boff[k] + cur[k]) * I;
                rem[k] -= n;
                if (rem[k] == 0 && left > n) {
                    do
                        cur[k]++;
                    while (w->best_b[r->bvar[k] + cur[k]] == 0);
                    rem[k] = w->best_b[r->bvar[k] + cur[k]];
                }
            }
            left -= n;
        }
    }
    res->group_count = g;
    return SP_OK;
}

int sp_schedule_solve(const sp_schedule *p, const sp_solve_limits *limits,
                      sp_schedule_result **out, sp_diag *diag)
{
    if (out == NULL)
        return sp__diag_set(diag, SP_EINVAL, "out", -1, "out must not be NULL");
    *out = NULL;
    if (p == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    sp_solve_limits lim;
    sp_solve_limits_init(&lim);
    if (limits != NULL)
        lim = *limits;
    if (!(lim.time_limit > 0.0) || isinf(lim.time_limit) || lim.time_limit > 1e7)
        return sp__diag_set(diag, SP_EINVAL, "time_limit", -1,
                            "time_limit must be seconds in (0, 1e7], got %g", lim.time_limit);
    if (!(lim.mip_gap >= 0.0) || !isfinite(lim.mip_gap))
        return sp__diag_set(diag, SP_EINVAL, "mip_gap", -1,
                            "mip_gap must be a finite number >= 0, got %g", lim.mip_gap);

    work w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.t0 = now();
    w.time_limit = lim.time_limit;
    w.mip_gap = lim.mip_gap;
    w.cancel = lim.cancel;
    w.tree_bound = -INFINITY;
    int rc = expand(&w, diag);
    if (rc != SP_OK) {
        work_free(&w);
        return rc;
    }
    sp__glpk_log log;
    rc = sp__glpk_run(solve_task, &w, &log);
    if (rc != SP_OK) {
        sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
        work_free(&w);
        return rc;
    }

    sp_schedule_result *res = calloc(1, sizeof *res);
    if (res == NULL || (res->coverage = calloc(w.T, sizeof *res->coverage)) == NULL ||
        build_groups(&w, res) != SP_OK) {
        sp_schedule_result_free(res);
        work_free(&w);
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    }
    res->intervals = w.T;
    res->columns = w.ncols;
    res->rows = w.nrows;
    if (!w.have_best) {
        res->status = SP_SOLUTION_NONE;
        res->objective = NAN;
    } else {
        memcpy(res->coverage, w.best_cov, w.T * sizeof *res->coverage);
        double labor = 0.0, under = 0.0, over = 0.0;
        for (int s = 0; s < w.S; s++)
            labor += w.starts[s].cost * (double)w.best_x[s];
        for (size_t t = 0; t < w.T; t++) {
            double d = (double)w.best_cov[t] - p->required[t];
            if (d < 0.0)
                under -= d;
            else
                over += d;
        }
        res->labor_cost = labor;
        res->under_staffing = under;
        res->over_staffing = over;
        res->objective = labor + p->under_cost * under + p->over_cost * over;
    }
    /* Bounds: every cost is >= 0, so 0 is always one. */
    double bound = 0.0;
    if (w.lp_solved)
        bound = fmax(bound, w.lp_bound);
    if (isfinite(w.tree_bound))
        bound = fmax(bound, w.tree_bound);
    if (w.integral_costs)
        bound = ceil(bound - 1e-6);
    if (w.mip_proven && w.have_best)
        bound = fmax(bound, fmin(res->objective, w.best_obj));
    if (w.have_best && bound > res->objective)
        bound = res->objective;
    res->lp_bound = w.lp_solved ? w.lp_bound : NAN;
    res->bound = bound;
    res->gap = w.have_best ? (res->objective - bound) / fmax(1.0, fabs(res->objective))
                           : INFINITY;
    if (res->gap < 0.0)
        res->gap = 0.0;
    if (w.have_best)
        res->status = res->gap <= lim.mip_gap + 1e-12 ? SP_SOLUTION_OPTIMAL
                                                      : SP_SOLUTION_FEASIBLE;
    res->stop = w.cancelled ? SP_STOP_CANCELLED
              : (res->status == SP_SOLUTION_OPTIMAL ? SP_STOP_GAP : SP_STOP_TIME);
    res->seconds = now() - w.t0;
    work_free(&w);
    *out = res;
    return SP_OK;
}
