/*
 * The schedule IP.  Service mode covers required heads; cost mode
 * (sp_schedule_set_wait_cost) makes the stability minimum the requirement
 * and adds the waiting cost W (see build_prob).  Tours
 * (sp_schedule_set_tours) add z[i,w,p], people of shift type i on days-off
 * pattern p in week w, with rows x[i,d] = sum of the z working day d and,
 * per shift type, the same people in every week; breaks stay aggregated
 * per shift start (x), so they are free per day.  Tour heuristics move
 * whole tours (tour_local_search, tour_ils).
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
 * greedily, then local search (drop, add, break move, shift move).
 *
 * GLPK's branch-and-cut alone barely moves on a week of 15-minute
 * intervals (5.2% gap in 30 s), and the loss is on the primal side, so
 * the solve is mostly ours (run_solve): the root LP; on every thread an
 * LP-guided dive (warm re-solves after raising bounds) then rounding and
 * local search; then fix-and-resolve in epochs: every thread re-solves
 * small MIPs over windows of shift starts with the rest of the best
 * solution fixed, and the best of each epoch seeds the next (0.9% on that
 * week in 30 s on 2 threads).  GLPK's branch-and-cut gets the time left,
 * from our incumbent (glp_ios_heur_sol), for the bound and the proof.
 */
#define _POSIX_C_SOURCE 200809L

#include "internal.h"

#include <glpk.h>
#include <limits.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Objective improvements smaller than this are noise. */
#define IMPROVE_EPS 1e-7

/* Columns and rows GLPK indexes with int; keep far from INT_MAX. */
#define MAX_MODEL_SIZE SP_SCHEDULE_MAX_MODEL

typedef struct shift_rec {
    long long start;
    int daily;
    int length;
    double cost;
    double day_cost[7];    /* by horizon day mod 7; all `cost` by default */
    int break_count;
    sp_break_window breaks[SP_SCHEDULE_MAX_BREAKS];
} shift_rec;

/* The cost of one person working shift `sh` started on horizon day
 * `day`: the one place the solve reads a shift's cost. */
static double shift_cost_on(const shift_rec *sh, long long day) { return sh->day_cost[day % 7]; }

struct sp_schedule {
    size_t intervals;
    int minutes;
    int cyclic;
    double *required;
    double under_cost, over_cost;
    sp__wait_table *wait;  /* cost mode; NULL in service mode          */
    int tour_days;         /* tours: days worked per week; 0: none     */
    int tour_consecutive;  /* tours: the days off are consecutive      */
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
    if ((long long)intervals > SP_SCHEDULE_MAX_INTERVALS)
        return sp__diag_set(diag, SP_ETOOBIG, "intervals", -1,
                            "%zu intervals are too many; at most %lld are supported",
                            intervals, SP_SCHEDULE_MAX_INTERVALS);
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
    sp__wait_table_free(s->wait);
    free(s);
}

/* The 7-day patterns of a tour rule as day masks (bit d: works weekday
 * d); returns how many (at most 128). */
static int tour_patterns(int work_days, int consecutive, int *pat)
{
    int n = 0;
    for (int m = 0; m < 128; m++) {
        if (__builtin_popcount((unsigned)m) != work_days)
            continue;
        if (consecutive && work_days < 7) {
            /* The days off form one cyclic run: exactly one day off
             * follows a working day. */
            int starts = 0;
            for (int d = 0; d < 7; d++)
                starts += !(m >> d & 1) && (m >> ((d + 6) % 7) & 1);
            if (starts != 1)
                continue;
        }
        pat[n++] = m;
    }
    return n;
}

int sp_schedule_set_tours(sp_schedule *s, int work_days, int consecutive, sp_diag *diag)
{
    if (s == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    int pat[128];
    if (work_days < 1 || work_days > 7 || tour_patterns(work_days, consecutive, pat) == 0)
        return sp__diag_set(diag, SP_EINVAL, "work_days", -1,
                            "no 7-day week has exactly %d working days%s", work_days,
                            consecutive ? " with the days off consecutive" : "");
    long long horizon = (long long)s->intervals * s->minutes;
    if (horizon % (7 * 1440) != 0)
        return sp__diag_set(diag, SP_EINVAL, "days", -1,
                            "tours need whole weeks: the horizon is %lld minutes, not a "
                            "multiple of 7 days", horizon);
    s->tour_days = work_days;
    s->tour_consecutive = consecutive != 0;
    return SP_OK;
}

int sp_schedule_set_wait_cost(sp_schedule *s, const double *volume, const double *aht,
                              size_t aht_count, const sp_wait_params *par, int threads,
                              sp_diag *diag)
{
    if (s == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    if (par != NULL && par->interval != (double)s->minutes * 60.0)
        return sp__diag_set(diag, SP_EINVAL, "interval", -1,
                            "interval must be the schedule's %d minutes in seconds, got %g",
                            s->minutes, par->interval);
    sp__wait_table *wt;
    int rc = sp__wait_table_create(s->intervals, volume, aht, aht_count, par, threads, &wt,
                                   diag);
    if (rc != SP_OK)
        return rc;
    sp__wait_table_free(s->wait);
    s->wait = wt;
    for (size_t t = 0; t < s->intervals; t++)
        s->required[t] = (double)wt->m[t];
    return SP_OK;
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
    if (s->shift_count >= SP_SCHEDULE_MAX_SHIFTS)
        return sp__diag_set(diag, SP_ETOOBIG, "shifts", idx,
                            "at most %d shifts are supported", SP_SCHEDULE_MAX_SHIFTS);
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
    for (int k = 0; k < 7; k++)
        r->day_cost[k] = sh->cost;
    r->break_count = sh->break_count;
    if (sh->break_count > 0)
        memcpy(r->breaks, sh->breaks, (size_t)sh->break_count * sizeof *sh->breaks);
    return SP_OK;
}

int sp_schedule_set_shift_day_costs(sp_schedule *s, int shift, const double *day_costs,
                                    sp_diag *diag)
{
    if (s == NULL || day_costs == NULL)
        return sp__diag_set(diag, SP_EINVAL, "shift", -1,
                            "schedule and day_costs must not be NULL");
    if (shift < 0 || (size_t)shift >= s->shift_count)
        return sp__diag_set(diag, SP_EINVAL, "shift", shift,
                            "no shift number %d (%zu shifts added)", shift, s->shift_count);
    for (int k = 0; k < 7; k++)
        if (!isfinite(day_costs[k]) || day_costs[k] < 0.0 || day_costs[k] > 1e12) {
            char field[32];
            snprintf(field, sizeof field, "day_costs[%d]", k);
            return sp__diag_set(diag, SP_EINVAL, field, shift,
                                "a cost must be finite, >= 0 and <= 1e12, got %g",
                                day_costs[k]);
        }
    memcpy(s->shifts[shift].day_cost, day_costs, sizeof s->shifts[shift].day_cost);
    return SP_OK;
}

void sp_solve_limits_init(sp_solve_limits *l)
{
    l->time_limit = 60.0;
    l->mip_gap = 1e-4;
    l->threads = 0;
    l->cancel = NULL;
    l->progress = NULL;
}

int sp__solve_limits_read(const sp_solve_limits *limits, sp_solve_limits *out, sp_diag *diag)
{
    sp_solve_limits_init(out);
    if (limits != NULL)
        *out = *limits;
    if (!(out->time_limit > 0.0) || isinf(out->time_limit) || out->time_limit > 1e7)
        return sp__diag_set(diag, SP_EINVAL, "time_limit", -1,
                            "time_limit must be seconds in (0, 1e7], got %g", out->time_limit);
    return SP_OK;
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
    int Y;                 /* waiting cost increments (cost mode)      */
    int *yfirst;           /* T + 1: interval t's increments are
                            * yfirst[t] .. yfirst[t + 1] - 1           */
    double wconst;         /* sum_t W(m_t): the objective's constant   */
    /* Tours (p->tour_days > 0): z[(i * W + wk) * NP + p] people on shift
     * type i working pattern p in week wk; x is then derived from z. */
    int tours, NI, NW, NP, Z;
    int pat[128];          /* day masks of the patterns                */
    int *sfirst;           /* shift type -> its day-0 start            */
    long long *z, *best_z;
    int *toffs;            /* NW * 7 * SP_SCHEDULE_MAX_BREAKS scratch   */
    /* The iterated local search's accepted state (heuristic threads) */
    long long *acc_x, *acc_b, *acc_z, *acc_cov;
    double acc_obj;
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
    double cost_step;      /* every objective is a multiple (0: none) */
    /* limits and progress */
    double t0, time_limit, mip_gap;
    const volatile int *cancel;
    sp_progress *progress;  /* NULL, or written by publish()           */
    int cancelled, timed_out;
    double lp_bound, tree_bound;
    int lp_solved, mip_proven;
    int lp_primal;         /* the next LP from scratch: primal simplex */
    double proven;         /* GLPK's incumbent (model value) at its proof */
    double lp_seconds;     /* the root LP's wall clock                  */
    double heur_seconds;
    int root_fed;
    /* The root LP's basis, shared read-only by the heuristic threads once
     * solved: each thread's copy of the model starts from the optimal
     * basis instead of solving the LP again. */
    int *row_stat, *col_stat; /* 1-based                               */
    int have_basis;
    /* Private to one heuristic thread (NULL in the shared work) */
    int clone;             /* 1: the arrays above are borrowed         */
    struct cand *cand;     /* S + B dive candidates                    */
    unsigned char *mark;   /* S + B scratch                             */
    const struct variant *var;
    long long node_limit;  /* sub-MIP nodes before terminating          */
    int sub_fed;
    int *trow, *tlist, *slist, *sia, *sja; /* window MIP scratch        */
    long long *tfix;
    double *sar;
    int lns_solves, lns_wins, dive_solves;
    int epoch_size, epoch_pass, epoch_thread, epoch_threads, epoch_improved, epoch_cover;
    int win_cover;         /* windows: starts working in it, not starting */
    const int *lp_done;    /* lp_with_search: set when the root LP ends */
} work;

double sp__now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int sp__stop_now(double t0, double time_limit, const volatile int *cancel, int *cancelled,
                 int *timed_out)
{
    if (cancel != NULL && *cancel) {
        *cancelled = 1;
        return 1;
    }
    if (sp__now() - t0 >= time_limit) {
        *timed_out = 1;
        return 1;
    }
    return 0;
}


static long long gcd_ll(long long a, long long b)
{
    while (b != 0) {
        long long t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* One more cost the objective is a whole sum of: *g becomes the greatest
 * common divisor so far; *whole 0 once a cost is not whole (no step). */
static void step_add(long long *g, int *whole, double c)
{
    if (!*whole || c == 0.0)
        return;
    *whole = c == floor(c) && c < 1e15;
    if (*whole)
        *g = gcd_ll(*g, (long long)c);
}

/* A lower bound on the objective rounded up to the costs' step. */
static double round_bound(const work *w, double lb)
{
    if (w->cost_step <= 0.0 || !isfinite(lb))
        return lb;
    return ceil(lb / w->cost_step - 1e-6) * w->cost_step;
}

/* Writes the best objective and bound so far into the caller's progress
 * record.  Only the thread that called sp_schedule_solve publishes (the
 * heuristic threads report through gather_best), so the stores never race
 * each other; the atomics keep a reader on another thread safe. */
static void publish(const work *w)
{
    sp_progress *p = w->progress;
    if (p == NULL || w->clone)
        return;
    double objective = w->have_best ? w->best_obj : NAN;
    double bound = w->lp_solved ? round_bound(w, fmax(w->lp_bound, w->tree_bound)) : -INFINITY;
    if (w->have_best && bound > objective)
        bound = objective;
    double seconds = sp__now() - w->t0;
    __atomic_store(&p->objective, &objective, __ATOMIC_RELAXED);
    __atomic_store(&p->bound, &bound, __ATOMIC_RELAXED);
    __atomic_store(&p->seconds, &seconds, __ATOMIC_RELAXED);
    __atomic_add_fetch(&p->updates, 1, __ATOMIC_RELEASE);
}

void sp_progress_read(const sp_progress *p, sp_progress *copy)
{
    copy->updates = __atomic_load_n(&p->updates, __ATOMIC_ACQUIRE);
    __atomic_load(&p->objective, &copy->objective, __ATOMIC_RELAXED);
    __atomic_load(&p->bound, &copy->bound, __ATOMIC_RELAXED);
    __atomic_load(&p->seconds, &copy->seconds, __ATOMIC_RELAXED);
}

static int out_of_time(work *w)
{
    return sp__stop_now(w->t0, w->time_limit, w->cancel, &w->cancelled, &w->timed_out);
}

/* Cost of interval t at coverage c: shortfall or excess, and in cost
 * mode the waiting cost W_t(c) (convex and decreasing from the minimum). */
static double fcost(const work *w, size_t t, long long c)
{
    double d = (double)c - w->p->required[t];
    double v = d < 0.0 ? -d * w->p->under_cost : d * w->p->over_cost;
    if (w->p->wait != NULL)
        v += sp__wait_at(w->p->wait, t, c);
    return v;
}

/* The IP's gain of waiting cost increment k of interval t: W(m + k) -
 * W(m + k + 1) for k < inc[t], and the tail W(m + inc[t]) for the last. */
static double ygain(const work *w, size_t t, int k)
{
    const sp__wait_table *wt = w->p->wait;
    const double *tab = wt->tab[t];
    return k < wt->inc[t] ? tab[k] - tab[k + 1] : tab[k];
}

/* Values of interval t's shortfall, excess and increments (cols[0], [1],
 * then the increments) at coverage c: increments filled in order. */
static void interval_vals(const work *w, size_t t, long long c, double *u, double *e,
                          double *y)
{
    double d = (double)c - w->p->required[t];
    *u = d < 0.0 ? -d : 0.0;
    double rest = d > 0.0 ? d : 0.0;
    int ny = w->yfirst != NULL ? w->yfirst[t + 1] - w->yfirst[t] : 0;
    for (int k = 0; k < ny; k++) {
        y[k] = rest >= 1.0 ? 1.0 : rest;
        rest -= y[k];
    }
    *e = rest;
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

/* ------------------------------------------------------------------ */
/* Tours: moves on whole tours (x follows z)                           */
/* ------------------------------------------------------------------ */

static int zidx(const work *w, int i, int wk, int p) { return (i * w->NW + wk) * w->NP + p; }

/* The start of shift type i on horizon day `day`. */
static int start_of(const work *w, int i, int day) { return w->sfirst[i] + day; }

/* People on shift type i (the same in every week). */
static long long tour_count(const work *w, int i)
{
    long long n = 0;
    for (int p = 0; p < w->NP; p++)
        n += w->z[zidx(w, i, 0, p)];
    return n;
}

/* Scratch of the break offsets of one week's days for exact undo: bank 0
 * for additions, 1 for removals (a move removes, then tries additions).
 * After both banks: two pattern arrays of NW. */
static int *week_offs(work *w, int bank, int wk, int dow)
{
    return &w->toffs[(((size_t)bank * (size_t)w->NW + (size_t)wk) * 7 + (size_t)dow) *
                     SP_SCHEDULE_MAX_BREAKS];
}

static int *tour_pats(work *w, int which)
{
    return w->toffs + (size_t)2 * (size_t)w->NW * 7 * SP_SCHEDULE_MAX_BREAKS +
           (size_t)which * (size_t)w->NW;
}

/* One more person of shift type i on pattern p in week wk. */
static double tourweek_add(work *w, int i, int wk, int p)
{
    double d = 0.0;
    for (int dow = 0; dow < 7; dow++)
        if (w->pat[p] >> dow & 1)
            d += person_add(w, start_of(w, i, wk * 7 + dow), week_offs(w, 0, wk, dow));
    w->z[zidx(w, i, wk, p)]++;
    return d;
}

static void tourweek_undo_add(work *w, int i, int wk, int p)
{
    for (int dow = 6; dow >= 0; dow--)
        if (w->pat[p] >> dow & 1)
            person_undo_add(w, start_of(w, i, wk * 7 + dow), week_offs(w, 0, wk, dow));
    w->z[zidx(w, i, wk, p)]--;
}

/* One person fewer (z > 0), each day's breaks where they are missed least. */
static double tourweek_drop(work *w, int i, int wk, int p)
{
    double d = 0.0;
    for (int dow = 0; dow < 7; dow++)
        if (w->pat[p] >> dow & 1)
            d += person_drop(w, start_of(w, i, wk * 7 + dow), week_offs(w, 1, wk, dow));
    w->z[zidx(w, i, wk, p)]--;
    return d;
}

static void tourweek_undo_drop(work *w, int i, int wk, int p)
{
    for (int dow = 6; dow >= 0; dow--)
        if (w->pat[p] >> dow & 1)
            person_undo_drop(w, start_of(w, i, wk * 7 + dow), week_offs(w, 1, wk, dow));
    w->z[zidx(w, i, wk, p)]++;
}

/* The pattern of week wk where one more person of shift type i helps
 * most (nothing changed); its change in *best. */
static int best_add_pattern(work *w, int i, int wk, double *best)
{
    int bp = 0;
    *best = INFINITY;
    for (int p = 0; p < w->NP; p++) {
        double d = tourweek_add(w, i, wk, p);
        tourweek_undo_add(w, i, wk, p);
        if (d < *best - 1e-12) {
            *best = d;
            bp = p;
        }
    }
    return bp;
}

static int best_drop_pattern(work *w, int i, int wk, double *best)
{
    int bp = -1;
    *best = INFINITY;
    for (int p = 0; p < w->NP; p++) {
        if (w->z[zidx(w, i, wk, p)] == 0)
            continue;
        double d = tourweek_drop(w, i, wk, p);
        tourweek_undo_drop(w, i, wk, p);
        if (d < *best - 1e-12) {
            *best = d;
            bp = p;
        }
    }
    return bp;
}

/* Adds one tour of shift type i: each week on its best pattern, weeks in
 * order (pats[wk] records them; pats given: those patterns).  The offsets
 * stay in toffs for tour_undo_add. */
static double tour_add(work *w, int i, int *pats, int given)
{
    double d = 0.0, dummy;
    for (int wk = 0; wk < w->NW; wk++) {
        if (!given)
            pats[wk] = best_add_pattern(w, i, wk, &dummy);
        d += tourweek_add(w, i, wk, pats[wk]);
    }
    return d;
}

static void tour_undo_add(work *w, int i, const int *pats)
{
    for (int wk = w->NW - 1; wk >= 0; wk--)
        tourweek_undo_add(w, i, wk, pats[wk]);
}

/* Drops one tour of shift type i (tour_count > 0): each week the pattern
 * whose person is missed least. */
static double tour_drop(work *w, int i, int *pats)
{
    double d = 0.0, dummy;
    for (int wk = 0; wk < w->NW; wk++) {
        pats[wk] = best_drop_pattern(w, i, wk, &dummy);
        d += tourweek_drop(w, i, wk, pats[wk]);
    }
    return d;
}

static void tour_undo_drop(work *w, int i, const int *pats)
{
    for (int wk = w->NW - 1; wk >= 0; wk--)
        tourweek_undo_drop(w, i, wk, pats[wk]);
}

/* Shift types whose start times of day are within `radius` intervals. */
static int near_type(const work *w, int i, int i2, long long radius)
{
    long long day = 1440 / w->p->minutes;
    long long d = llabs(w->starts[w->sfirst[i]].first - w->starts[w->sfirst[i2]].first) % day;
    if (day - d < d)
        d = day - d;
    return d <= radius;
}

/* x from z: people of each start = the tours working that day. */
static void tour_derive_x(work *w)
{
    for (int i = 0; i < w->NI; i++)
        for (int day = 0; day < 7 * w->NW; day++) {
            long long n = 0;
            for (int p = 0; p < w->NP; p++)
                if (w->pat[p] >> (day % 7) & 1)
                    n += w->z[zidx(w, i, day / 7, p)];
            w->x[start_of(w, i, day)] = n;
        }
}

/*
 * Local search on tours to a local optimum of: drop one tour, add one
 * tour, move one break, move one person's week to another days-off
 * pattern, move one tour to a shift type starting nearby (same patterns).
 * Every move keeps every person on one shift type, work_days days a week.
 */
static void tour_local_search(work *w)
{
    int *pats = tour_pats(w, 0), *pats2 = tour_pats(w, 1);
    for (int pass = 0; pass < 1000; pass++) {
        int improved = 0;
        for (int i = 0; i < w->NI; i++) {
            while (tour_count(w, i) > 0) {
                double d = tour_drop(w, i, pats);
                if (d < -IMPROVE_EPS) {
                    improved = 1;
                    continue;
                }
                tour_undo_drop(w, i, pats);
                break;
            }
            for (;;) {
                double d = tour_add(w, i, pats, 0);
                if (d < -IMPROVE_EPS) {
                    improved = 1;
                    continue;
                }
                tour_undo_add(w, i, pats);
                break;
            }
        }
        if (out_of_time(w))
            break;
        improved |= improve_breaks(w);
        /* Days-off moves: one person's week to the best other pattern. */
        for (int i = 0; i < w->NI; i++)
            for (int wk = 0; wk < w->NW; wk++)
                for (int p = 0; p < w->NP; p++) {
                    while (w->z[zidx(w, i, wk, p)] > 0) {
                        double d = tourweek_drop(w, i, wk, p), da;
                        int p2 = best_add_pattern(w, i, wk, &da);
                        if (p2 != p && d + da < -IMPROVE_EPS) {
                            /* The drop's offsets are not needed any more. */
                            tourweek_add(w, i, wk, p2);
                            improved = 1;
                            continue;
                        }
                        tourweek_undo_drop(w, i, wk, p);
                        break;
                    }
                }
        if (out_of_time(w))
            break;
        /* Shift moves: one tour to a shift type starting within two
         * hours, on that type's best patterns (the days off may move too). */
        long long radius = 120 / w->p->minutes;
        for (int i = 0; i < w->NI; i++) {
            if (tour_count(w, i) == 0)
                continue;
            double d = tour_drop(w, i, pats);
            int best = -1;
            double bd = -d - IMPROVE_EPS;
            for (int i2 = 0; i2 < w->NI; i2++) {
                if (i2 == i || !near_type(w, i, i2, radius))
                    continue;
                double d2 = tour_add(w, i2, pats2, 0);
                tour_undo_add(w, i2, pats2);
                if (d2 < bd) {
                    bd = d2;
                    best = i2;
                }
            }
            if (best >= 0) {
                tour_add(w, best, pats2, 0);
                improved = 1;
            } else {
                tour_undo_drop(w, i, pats);
            }
        }
        if (!improved || out_of_time(w))
            break;
    }
    w->obj = full_objective(w);
}

/* Adds, one at a time, the tour that lowers the objective most, until none
 * does (with_clock 0: only the cancel flag stops it). */
static void tour_greedy_fill(work *w, int with_clock)
{
    int *pats = tour_pats(w, 0);
    for (;;) {
        int best = -1;
        double bd = -IMPROVE_EPS;
        for (int i = 0; i < w->NI; i++) {
            double d = tour_add(w, i, pats, 0);
            tour_undo_add(w, i, pats);
            if (d < bd) {
                bd = d;
                best = i;
            }
        }
        if (best < 0 || (with_clock ? out_of_time(w) : (w->cancel != NULL && *w->cancel)))
            break;
        tour_add(w, best, pats, 0);
    }
    w->obj = full_objective(w);
}

/* Rounds the LP's tour counts (up or down); then every shift type gets
 * the same number of people in every week (the largest week's rounded up,
 * the smallest's rounded down: the patterns whose LP value is furthest
 * from their count take the difference). */
static void tour_round(work *w, const double *lp, int up)
{
    for (int j = 0; j < w->Z; j++) {
        double v = lp != NULL ? lp[w->S + w->B + j] : 0.0;
        w->z[j] = up ? (v > 1e-6 ? (long long)ceil(v - 1e-6) : 0)
                     : (long long)floor(v + 1e-6);
    }
    for (int i = 0; i < w->NI && w->NW > 1; i++) {
        long long target = up ? 0 : LLONG_MAX;
        for (int wk = 0; wk < w->NW; wk++) {
            long long n = 0;
            for (int p = 0; p < w->NP; p++)
                n += w->z[zidx(w, i, wk, p)];
            target = up ? (n > target ? n : target) : (n < target ? n : target);
        }
        for (int wk = 0; wk < w->NW; wk++) {
            long long n = 0;
            for (int p = 0; p < w->NP; p++)
                n += w->z[zidx(w, i, wk, p)];
            for (; n != target; n += n < target ? 1 : -1) {
                int bp = -1;
                double bv = 0.0;
                for (int p = 0; p < w->NP; p++) {
                    int j = zidx(w, i, wk, p);
                    double gap = (lp != NULL ? lp[w->S + w->B + j] : 0.0) - (double)w->z[j];
                    if (n > target && w->z[j] == 0)
                        continue;
                    if (n > target)
                        gap = -gap;
                    if (bp < 0 || gap > bv) {
                        bp = p;
                        bv = gap;
                    }
                }
                w->z[zidx(w, i, wk, bp)] += n < target ? 1 : -1;
            }
        }
    }
    tour_derive_x(w);
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
static void daily_local_search(work *w)
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

static void local_search(work *w)
{
    if (w->tours)
        tour_local_search(w);
    else
        daily_local_search(w);
}

/* Rounds LP values: x (or with tours z) up (up != 0) or down, breaks from
 * the LP's whole parts, the rest greedily where a missing head hurts
 * least. */
static void round_lp(work *w, const double *lp, int up)
{
    if (w->tours)
        tour_round(w, lp, up);
    for (int s = 0; s < w->S && !w->tours; s++) {
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
    if (w->tours)
        memcpy(w->best_z, w->z, (size_t)w->Z * sizeof *w->z);
    w->best_obj = w->obj;
    w->have_best = 1;
}

/* Ints of tour scratch: two banks of break offsets per week and day, and
 * two pattern arrays. */
static size_t tour_scratch(const work *w)
{
    return (size_t)2 * (size_t)w->NW * 7 * SP_SCHEDULE_MAX_BREAKS + 2 * (size_t)w->NW;
}

/* 1-based GLPK column of tour variable j. */
static int zcol(const work *w, int j) { return 1 + w->S + w->B + 2 * (int)w->T + w->Y + j; }

/* The best solution as a GLPK column vector (1-based). */
static void best_to_vals(work *w)
{
    for (int s = 0; s < w->S; s++)
        w->vals[1 + s] = (double)w->best_x[s];
    for (int v = 0; v < w->B; v++)
        w->vals[1 + w->S + v] = (double)w->best_b[v];
    for (int j = 0; j < w->Z; j++)
        w->vals[zcol(w, j)] = (double)w->best_z[j];
    for (size_t t = 0; t < w->T; t++)
        interval_vals(w, t, w->best_cov[t], &w->vals[1 + w->S + w->B + (int)t],
                      &w->vals[1 + w->S + w->B + (int)w->T + (int)t],
                      &w->vals[1 + w->S + w->B + 2 * (int)w->T + w->yfirst[t]]);
}

/* Adds, one at a time, the person that lowers the objective most, until
 * no one does: the repair after rounding down, and the construction when
 * there is no LP solution. */
static void greedy_fill(work *w)
{
    if (w->tours) {
        tour_greedy_fill(w, 1);
        return;
    }
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

/*
 * A fast construction without the LP (the clock ran out before it was
 * solved): interval by interval, while the interval is short, add the
 * person covering it whose addition lowers the objective most.  It looks
 * only at the starts covering the interval, so it takes milliseconds even
 * on a 4-week horizon.  After each person it adds up to half the
 * interval's remaining shortfall as copies of that person at once (kept
 * when they lower the objective), so its time does not grow with the
 * head counts (a week at peak 10^6 takes as long as at peak 50).  A
 * result must exist, so it ignores the clock, and heeds the cancel flag
 * only after GREEDY_GRACE seconds of its own: Ctrl-C during the root LP
 * then still returns a plan that covers demand, within a second.
 */
#define GREEDY_GRACE 0.3

/* Adds n copies (n may be negative: removes them) of a person of start s
 * with break offsets `offs`; returns the objective change. */
static double person_add_n(work *w, int s, const int *offs, long long n)
{
    const start_rec *r = &w->starts[s];
    double d = r->cost * (double)n;
    for (int k = -1; k < r->nb; k++) {
        long long first = k < 0 ? r->first : break_first(r, k, offs[k]);
        int len = k < 0 ? r->len : r->blen[k];
        long long sign = k < 0 ? n : -n;
        for (int j = 0; j < len; j++) {
            long long t = at(w, first, j);
            if (t < 0)
                break;
            long long c = w->cov[t];
            d += fcost(w, (size_t)t, c + sign) - fcost(w, (size_t)t, c);
            w->cov[t] = c + sign;
        }
        if (k >= 0)
            w->b[r->bvar[k] + offs[k]] += n;
    }
    w->x[s] += n;
    w->obj += d;
    return d;
}

static void greedy_cover(work *w)
{
    int offs[SP_SCHEDULE_MAX_BREAKS];
    double started = sp__now();
    memset(w->x, 0, (size_t)w->S * sizeof *w->x);
    memset(w->b, 0, (size_t)w->B * sizeof *w->b);
    if (w->tours)
        memset(w->z, 0, (size_t)w->Z * sizeof *w->z);
    recompute_coverage(w);
    if (w->tours) {
        tour_greedy_fill(w, 0); /* tours cover a week: no interval order */
        return;
    }
    for (size_t t = 0; t < w->T; t++) {
        for (int guard = 0; (double)w->cov[t] < w->p->required[t] && guard < 1000000; guard++) {
            if (w->cancel != NULL && *w->cancel && sp__now() - started > GREEDY_GRACE) {
                out_of_time(w);
                w->obj = full_objective(w);
                return;
            }
            int best = -1;
            double bd = -IMPROVE_EPS;
            for (int s = 0; s < w->S; s++) {
                const start_rec *r = &w->starts[s];
                long long d = (long long)t - r->first;
                if (w->p->cyclic && d < 0)
                    d += (long long)w->T;
                if (d < 0 || d >= r->len)
                    continue;
                double dd = person_add(w, s, offs);
                person_undo_add(w, s, offs);
                if (dd < bd) {
                    bd = dd;
                    best = s;
                }
            }
            if (best < 0)
                break; /* nobody is worth adding here */
            long long before = w->cov[t];
            person_add(w, best, offs);
            if (w->cov[t] <= before)
                break; /* the best person's break falls here */
            long long more = (long long)((w->p->required[t] - (double)w->cov[t]) / 2.0);
            if (more > 0 && person_add_n(w, best, offs, more) >= -IMPROVE_EPS)
                person_add_n(w, best, offs, -more);
        }
    }
    w->obj = full_objective(w);
}

/* Runs the heuristic from LP values (rounded up, and rounded down then
 * greedily repaired: neither dominates); keeps the result if it is the
 * best.  Returns 1 when the best improved. */
static int heuristic(work *w, const double *lp)
{
    double t = sp__now();
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
    w->heur_seconds += sp__now() - t;
    return improved;
}

/* Takes GLPK's incumbent as the state when it is better than ours. */
static void adopt_glpk_solution(work *w, glp_prob *P)
{
    for (int s = 0; s < w->S; s++)
        w->x[s] = llround(glp_mip_col_val(P, 1 + s));
    for (int v = 0; v < w->B; v++)
        w->b[v] = llround(glp_mip_col_val(P, 1 + w->S + v));
    for (int j = 0; j < w->Z; j++)
        w->z[j] = llround(glp_mip_col_val(P, zcol(w, j)));
    recompute_coverage(w);
    if (!w->have_best || w->obj < w->best_obj - IMPROVE_EPS)
        save_best(w);
}

/* ------------------------------------------------------------------ */
/* GLPK: model, LP, heuristics, branch-and-cut (runs inside the guard) */
/* ------------------------------------------------------------------ */

/* The model as a glp_prob: x (1..S) and b (S+1..S+B) integer, then u and
 * e per interval, then the waiting cost increments y (cost mode):
 *   coverage_t + u_t - e_t - sum_k y(t,k) = m_t,  0 <= y <= 1,
 * cost of y(t,k) over_cost - gain(t,k), objective constant sum_t W(m_t).
 * W is convex, so the gains decrease and the LP fills the increments in
 * order: at whole coverage above m_t the model's waiting cost is exact up
 * to the tail (the last increment takes the rest of W at once), and below
 * m_t it is W(m_t), at most the true W there.  Every integer solution's
 * model value is thus at most its true objective: bounds stay valid. */
static glp_prob *build_prob(const work *w)
{
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
        for (int k = 0; k < w->yfirst[t + 1] - w->yfirst[t]; k++) {
            int cy = 1 + w->S + w->B + 2 * (int)w->T + w->yfirst[t] + k;
            glp_set_col_bnds(P, cy, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(P, cy, p->over_cost - ygain(w, t, k));
        }
    }
    for (int j = 0; j < w->Z; j++) {
        glp_set_col_kind(P, zcol(w, j), GLP_IV);
        glp_set_col_bnds(P, zcol(w, j), GLP_LO, 0.0, 0.0);
    }
    glp_set_obj_coef(P, 0, w->wconst);
    glp_load_matrix(P, (int)w->nnz, w->ia, w->ja, w->ar);
    return P;
}

/* Dual simplex from P's current basis.  It runs in chunks of
 * LP_CHUNK_ITERATIONS so that the cancel flag is polled even when one LP
 * takes long (glp_simplex polls neither our flag nor anything of ours;
 * tm_lim, the time left, keeps the clock): chunks of 20,000 took 9 s on
 * the 4-week benchmark, so Ctrl-C waited up to 9 s there; 500 take about
 * 0.2 s and cost no measurable LP time.  Chunks count iterations, never
 * seconds: a restart resets GLPK's pricing weights, so time-based chunks
 * would make the LP's path, and the result, depend on the clock.  Every
 * column starts at its bound 0 with a cost >= 0
 * and bound changes keep reduced costs, so the basis is always dual
 * feasible: the dual simplex is about 4x faster than the primal here (0.7
 * s against 3.3 s on a week of 15-min intervals) and re-solves after
 * fixing bounds take a few iterations.  Returns 1 when P is optimal. */
#define LP_CHUNK_ITERATIONS 500

static int lp_solve(work *w, glp_prob *P)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_ERR;
    sm.presolve = GLP_OFF;
    sm.meth = w->lp_primal ? GLP_PRIMAL : GLP_DUALP;
    sm.it_lim = LP_CHUNK_ITERATIONS;
    for (;;) {
        double left = w->time_limit - (sp__now() - w->t0);
        if (left <= 0.0 || (w->cancel != NULL && *w->cancel)) {
            out_of_time(w);
            return 0;
        }
        sm.tm_lim = (int)fmin(ceil(left * 1000.0), (double)INT_MAX);
        int rc = glp_simplex(P, &sm);
        if (rc == 0)
            return glp_get_status(P) == GLP_OPT;
        if (rc != GLP_EITLIM)
            return 0;
    }
}

static void save_basis(work *w, glp_prob *P)
{
    for (int i = 1; i <= w->nrows; i++)
        w->row_stat[i] = glp_get_row_stat(P, i);
    for (int j = 1; j <= w->ncols; j++)
        w->col_stat[j] = glp_get_col_stat(P, j);
    w->have_basis = 1;
}

static void load_basis(const work *w, glp_prob *P)
{
    if (!w->have_basis)
        return;
    for (int i = 1; i <= w->nrows; i++)
        glp_set_row_stat(P, i, w->row_stat[i]);
    for (int j = 1; j <= w->ncols; j++)
        glp_set_col_stat(P, j, w->col_stat[j]);
}

/* The root LP bound as integer solutions see it. */
static double root_bound(const work *w)
{
    if (!w->lp_solved)
        return 0.0;
    return round_bound(w, w->lp_bound);
}

/* 1 when the best solution is within mip_gap of the root bound: no
 * heuristic can do better enough to matter. */
static int gap_closed(const work *w)
{
    if (!w->have_best || !w->lp_solved)
        return 0;
    return (w->best_obj - root_bound(w)) / fmax(1.0, fabs(w->best_obj)) <= w->mip_gap + 1e-12;
}

/* Keeps the current state if it beats the best one. */
static int keep_if_better(work *w)
{
    if (!w->have_best || w->obj < w->best_obj - IMPROVE_EPS) {
        save_best(w);
        return 1;
    }
    return 0;
}

/* How one thread dives (thread i uses VARIANTS[i % VARIANT_COUNT]), so
 * that threads start their searches from different roundings; their
 * window searches differ by where the windows fall (window_pass). */
typedef struct variant {
    double eps;      /* LP values this close to an integer are integral  */
    double batch;    /* share of the fractional columns rounded per LP   */
    double size_w;   /* score = fraction + size_w * value                */
    int fix;         /* near-integral counts: 0 fixed when nonzero, 1
                      * fixed (zeros too), 2 only a lower bound (the LP
                      * may still raise them: measured best on the week) */
} variant;

/* The dives ended (measured on the generated week) at 66,500 and 66,700
 * for the first two, 66,600 and 66,800 for the others; fixing zeros too
 * (fix 1) gave 66,950-67,300 and is not used. */
static const variant VARIANTS[] = {
    {0.05, 0.10, 0.00, 2},
    {0.10, 0.20, 0.00, 2},
    {0.10, 0.10, 0.02, 0},
    {0.05, 0.05, 0.01, 0},
};
#define VARIANT_COUNT ((int)(sizeof VARIANTS / sizeof VARIANTS[0]))

typedef struct cand {
    double score;
    int j;
} cand;

/* Larger score first; ties by column, so the order is deterministic. */
static int cand_cmp(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return (x->j > y->j) - (x->j < y->j);
}

/* The first variable of the break window holding break variable v. */
static int link_of(const work *w, int v)
{
    const start_rec *r = &w->starts[w->bstart[v]];
    for (int k = 0; k < r->nb; k++)
        if (v < r->bvar[k] + r->bn[k])
            return r->bvar[k];
    return v;
}

/* The GLPK column of w->lp[k]: x and b, then the tour counts. */
static int lp_col(const work *w, int k)
{
    return k < w->S + w->B ? 1 + k : zcol(w, k - w->S - w->B);
}

/* LP values of x and b, then (tours) z, into w->lp. */
static void read_lp(work *w, glp_prob *P)
{
    for (int j = 0; j < w->S + w->B; j++)
        w->lp[j] = glp_get_col_prim(P, 1 + j);
    for (int j = 0; j < w->Z; j++)
        w->lp[w->S + w->B + j] = glp_get_col_prim(P, zcol(w, j));
}

/*
 * LP-guided diving on P (solved to optimality).  Shift counts the LP makes
 * integral are fixed there; of the fractional ones, a batch with the
 * largest fraction (and value) is rounded up by raising the lower bound,
 * which a covering LP always survives; the LP is re-solved from its basis
 * (a few dual iterations); until every count is integral.  Then the same
 * for break counts, at most one per break window per round: the others'
 * lower bounds then sum to at most x - ceil(value), so the link row stays
 * feasible.  w->lp holds the last LP values.
 */
static void dive(work *w, glp_prob *P)
{
    const variant *v = w->var;
    read_lp(w, P);
    for (int round = 0; round < 100000; round++) {
        if (out_of_time(w))
            return;
        int nc = 0, breaks = 0;
        /* The counts that decide everything else: shift starts, or with
         * tours the tour counts (the starts' counts follow from them). */
        int nprim = w->tours ? w->Z : w->S;
        for (int q = 0; q < nprim; q++) {
            int s = w->tours ? w->S + w->B + q : q, c = lp_col(w, s);
            if (glp_get_col_type(P, c) == GLP_FX)
                continue;
            double val = w->lp[s], r = floor(val + 0.5);
            if (fabs(val - r) <= v->eps) {
                if (v->fix == 2) {
                    if (r > glp_get_col_lb(P, c) + 0.5)
                        glp_set_col_bnds(P, c, GLP_LO, r, 0.0);
                } else if (r > 0.5 || v->fix == 1) {
                    glp_set_col_bnds(P, c, GLP_FX, r, r);
                }
                continue;
            }
            w->cand[nc].score = val - floor(val) + v->size_w * val;
            w->cand[nc++].j = s;
        }
        if (nc == 0) {
            breaks = 1;
            for (int b = 0; b < w->B; b++) {
                double val = w->lp[w->S + b];
                if (fabs(val - floor(val + 0.5)) <= 1e-7)
                    continue;
                w->cand[nc].score = val - floor(val);
                w->cand[nc++].j = w->S + b;
            }
        }
        if (nc == 0)
            return;
        qsort(w->cand, (size_t)nc, sizeof *w->cand, cand_cmp);
        int want = (int)ceil(v->batch * nc), done = 0;
        if (breaks)
            memset(w->mark, 0, (size_t)w->B);
        for (int i = 0; i < nc && done < want; i++) {
            int j = w->cand[i].j;
            if (breaks) {
                int l = link_of(w, j - w->S);
                if (w->mark[l])
                    continue;
                w->mark[l] = 1;
            }
            glp_set_col_bnds(P, lp_col(w, j), GLP_LO, ceil(w->lp[j]), 0.0);
            done++;
        }
        w->dive_solves++;
        if (!lp_solve(w, P))
            return;
        read_lp(w, P);
    }
}

/* The branch-and-cut callback of a window's sub-MIP: our incumbent at the
 * root, and a node budget instead of a time budget so that the search is
 * the same on every run. */
static void sub_callback(glp_tree *tree, void *info)
{
    work *w = info;
    if (out_of_time(w)) {
        glp_ios_terminate(tree);
        return;
    }
    int a_cnt, n_cnt, t_cnt;
    glp_ios_tree_size(tree, &a_cnt, &n_cnt, &t_cnt);
    if (t_cnt > w->node_limit) {
        glp_ios_terminate(tree);
        return;
    }
    if (glp_ios_reason(tree) == GLP_IHEUR && !w->sub_fed) {
        w->sub_fed = 1;
        glp_ios_heur_sol(tree, w->vals); /* the window's share of the best */
    }
}

/* 1 when start s belongs to the window of `len` intervals from `a`: it
 * begins there (w->win_cover == 0) or works part of it (1). */
static int in_window(const work *w, int s, long long a, long long len)
{
    long long d = w->starts[s].first - a;
    long long lo = w->win_cover ? -(long long)w->starts[s].len + 1 : 0;
    if (w->p->cyclic) {
        d %= (long long)w->T;
        if (d < 0)
            d += (long long)w->T;
        if (d >= len && d - (long long)w->T >= lo)
            d -= (long long)w->T;
    }
    return d >= lo && d < len;
}

/*
 * The intervals the window's starts (w->slist[0..ns)) touch, numbered in
 * w->trow / w->tlist, with in w->tfix the coverage the rest of the best
 * solution gives them.  *inc: the window's share of the best objective;
 * *ny: the cost-mode increments of those intervals; *wconst: their
 * waiting-cost constant.  Returns the number of intervals.
 */
static int window_intervals(work *w, int ns, double *inc_out, int *ny_out, double *wconst_out)
{
    const sp_schedule *p = w->p;
    int nt = 0;
    double inc = 0.0;
    for (int i = 0; i < ns; i++) {
        const start_rec *r = &w->starts[w->slist[i]];
        inc += r->cost * (double)w->best_x[w->slist[i]];
        for (int j = 0; j < r->len; j++) {
            long long t = at(w, r->first, j);
            if (t >= 0 && w->trow[t] < 0) {
                w->trow[t] = nt;
                w->tlist[nt] = (int)t;
                w->tfix[nt++] = w->best_cov[t];
            }
        }
    }
    for (int i = 0; i < ns; i++) {
        int s = w->slist[i];
        const start_rec *r = &w->starts[s];
        for (int j = 0; j < r->len; j++) {
            long long t = at(w, r->first, j);
            if (t >= 0)
                w->tfix[w->trow[t]] -= w->best_x[s];
        }
        for (int k = 0; k < r->nb; k++)
            for (int o = 0; o < r->bn[k]; o++)
                for (int j = 0; j < r->blen[k]; j++) {
                    long long t = at(w, break_first(r, k, o), j);
                    if (t >= 0)
                        w->tfix[w->trow[t]] += w->best_b[r->bvar[k] + o];
                }
    }
    for (int i = 0; i < nt; i++)
        inc += fcost(w, (size_t)w->tlist[i], w->best_cov[w->tlist[i]]);
    int ny = 0;
    double wconst = 0.0;
    for (int i = 0; i < nt; i++) {
        ny += w->yfirst[w->tlist[i] + 1] - w->yfirst[w->tlist[i]];
        if (p->wait != NULL)
            wconst += p->wait->tab[w->tlist[i]][0];
    }
    *inc_out = inc;
    *ny_out = ny;
    *wconst_out = wconst;
    return nt;
}

/*
 * Fix-and-resolve on one window: every shift start outside it is fixed
 * at the best solution, those inside are free, and GLPK's branch-and-cut
 * solves that small MIP (from our incumbent, within a node budget).  A
 * better solution becomes the best after our local search.  Returns 1
 * when the best improved.
 */
/* The interval part of a window's sub-MIP (daily and tour windows alike):
 * rows 1..nt the coverage of its intervals net of the fixed rest, columns
 * u and e after the ns starts and nbv break counts, then the waiting-cost
 * increments y in cost mode; their matrix entries are 1 .. 2 nt + ny of
 * w->sia/sja/sar, start values from the incumbent in w->vals. */
static void window_interval_rows(work *w, glp_prob *P, int ns, int nbv, int nt)
{
    const sp_schedule *p = w->p;
    for (int i = 0, cy = 1 + ns + nbv + 2 * nt; i < nt; i++) {
        double rhs = p->required[w->tlist[i]] - (double)w->tfix[i];
        glp_set_row_bnds(P, 1 + i, GLP_FX, rhs, rhs);
        int cu = 1 + ns + nbv + i, ce = cu + nt;
        glp_set_col_bnds(P, cu, GLP_LO, 0.0, 0.0);
        glp_set_col_bnds(P, ce, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, cu, p->under_cost);
        glp_set_obj_coef(P, ce, p->over_cost);
        w->sia[1 + 2 * i] = 1 + i;
        w->sja[1 + 2 * i] = cu;
        w->sar[1 + 2 * i] = 1.0;
        w->sia[2 + 2 * i] = 1 + i;
        w->sja[2 + 2 * i] = ce;
        w->sar[2 + 2 * i] = -1.0;
        size_t t = (size_t)w->tlist[i];
        interval_vals(w, t, w->best_cov[t], &w->vals[cu], &w->vals[ce], &w->vals[cy]);
        for (int k = 0; k < w->yfirst[t + 1] - w->yfirst[t]; k++, cy++) {
            glp_set_col_bnds(P, cy, GLP_DB, 0.0, 1.0);
            glp_set_obj_coef(P, cy, p->over_cost - ygain(w, t, k));
            int ey = cy - ns - nbv; /* entries 2 nt + 1 .. 2 nt + ny */
            w->sia[ey] = 1 + i;
            w->sja[ey] = cy;
            w->sar[ey] = -1.0;
        }
    }
}

/* Branch-and-cut on a window's sub-MIP P (its LP solved) within the time
 * left, the node budget and feed of sub_callback; 1 when it found a
 * solution below the incumbent's share `inc`. */
static int window_intopt(work *w, glp_prob *P, double inc)
{
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF;
    io.cb_func = sub_callback;
    io.cb_info = w;
    io.mip_gap = 0.0;
    /* GLPK's default branching (Driebeck-Tomlin) spends most of a
     * window's time evaluating tableau rows; picking the last fractional
     * column is far cheaper per node and, measured on the generated week,
     * as good (65,350 against 65,400 for the most fractional in 30 s). */
    io.br_tech = GLP_BR_LFV;
    /* GLPK's feasibility pump at the window's root: on the two-day
     * benchmark instance it took the 30 s result from 26,100 to 26,050
     * (CBC's best in 30 s). */
    io.fp_heur = GLP_ON;
    double left = w->time_limit - (sp__now() - w->t0);
    io.tm_lim = left > 0.0 ? (int)fmin(ceil(left * 1000.0), (double)INT_MAX) : 1;
    w->lns_solves++;
    glp_intopt(P, &io);
    int st = glp_mip_status(P);
    return (st == GLP_OPT || st == GLP_FEAS) && glp_mip_obj_val(P) < inc - IMPROVE_EPS;
}

static int window_resolve(work *w, long long a, long long len)
{
    int ns = 0, nl = 0, nbv = 0;
    for (int s = 0; s < w->S; s++)
        if (in_window(w, s, a, len)) {
            w->slist[ns++] = s;
            nl += w->starts[s].nb;
            for (int k = 0; k < w->starts[s].nb; k++)
                nbv += w->starts[s].bn[k];
        }
    if (ns == 0)
        return 0;
    double inc, wconst;
    int ny;
    int nt = window_intervals(w, ns, &inc, &ny, &wconst);

    /* The window's MIP: columns x, b of its starts, then u, e of its
     * intervals; rows its intervals' coverage, then its break links. */
    int ncol = ns + nbv + 2 * nt + ny, nrow = nt + nl;
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_rows(P, nrow);
    glp_add_cols(P, ncol);
    glp_set_obj_coef(P, 0, wconst);
    window_interval_rows(w, P, ns, nbv, nt);
    int e = 2 * nt + ny, row = nt, col = ns;
    for (int i = 0; i < nrow; i++)
        if (i >= nt)
            glp_set_row_bnds(P, 1 + i, GLP_FX, 0.0, 0.0);
    for (int i = 0; i < ns; i++) {
        int s = w->slist[i];
        const start_rec *r = &w->starts[s];
        glp_set_col_kind(P, 1 + i, GLP_IV);
        glp_set_col_bnds(P, 1 + i, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, 1 + i, r->cost);
        w->vals[1 + i] = (double)w->best_x[s];
        for (int j = 0; j < r->len; j++) {
            long long t = at(w, r->first, j);
            if (t < 0)
                break;
            e++;
            w->sia[e] = 1 + w->trow[t];
            w->sja[e] = 1 + i;
            w->sar[e] = 1.0;
        }
        for (int k = 0; k < r->nb; k++) {
            row++;
            e++;
            w->sia[e] = row;
            w->sja[e] = 1 + i;
            w->sar[e] = -1.0;
            for (int o = 0; o < r->bn[k]; o++) {
                col++;
                glp_set_col_kind(P, col, GLP_IV);
                glp_set_col_bnds(P, col, GLP_LO, 0.0, 0.0);
                w->vals[col] = (double)w->best_b[r->bvar[k] + o];
                e++;
                w->sia[e] = row;
                w->sja[e] = col;
                w->sar[e] = 1.0;
                for (int j = 0; j < r->blen[k]; j++) {
                    long long t = at(w, break_first(r, k, o), j);
                    if (t < 0)
                        break;
                    e++;
                    w->sia[e] = 1 + w->trow[t];
                    w->sja[e] = col;
                    w->sar[e] = -1.0;
                }
            }
        }
    }
    glp_load_matrix(P, e, w->sia, w->sja, w->sar);
    for (int i = 0; i < nt; i++)
        w->trow[w->tlist[i]] = -1;

    int improved = 0;
    w->sub_fed = 0;
    if (lp_solve(w, P)) {
        double lb = round_bound(w, glp_get_obj_val(P));
        /* Nothing to gain when the window's LP cannot beat the incumbent. */
        if (lb < inc - IMPROVE_EPS) {
            if (window_intopt(w, P, inc)) {
                memcpy(w->x, w->best_x, (size_t)w->S * sizeof *w->x);
                memcpy(w->b, w->best_b, (size_t)w->B * sizeof *w->b);
                col = ns;
                for (int i = 0; i < ns; i++) {
                    const start_rec *r = &w->starts[w->slist[i]];
                    w->x[w->slist[i]] = llround(glp_mip_col_val(P, 1 + i));
                    for (int k = 0; k < r->nb; k++)
                        for (int o = 0; o < r->bn[k]; o++)
                            w->b[r->bvar[k] + o] = llround(glp_mip_col_val(P, ++col));
                }
                recompute_coverage(w);
                local_search(w);
                if (keep_if_better(w)) {
                    w->lns_wins++;
                    improved = 1;
                }
            }
        }
    }
    glp_delete_prob(P);
    return improved;
}

/* The window MIP's solution into the current state: the best solution
 * with the window's tours replaced, and their breaks placed one person at
 * a time where a missing head hurts least (the MIP's break counts are
 * continuous: with integer ones GLPK spent its node budget branching on
 * breaks and rarely improved a tour; measured on the benchmark's tour
 * week, 30 s: 76,250 with integer breaks, 75,250 and 75,500 without). */
static void tour_window_adopt(work *w, glp_prob *P, const int *types, int ni, int ns, int z0)
{
    memcpy(w->z, w->best_z, (size_t)w->Z * sizeof *w->z);
    memcpy(w->b, w->best_b, (size_t)w->B * sizeof *w->b);
    for (int q = 0; q < ni; q++)
        for (int wk = 0; wk < w->NW; wk++)
            for (int pp = 0; pp < w->NP; pp++)
                w->z[zidx(w, types[q], wk, pp)] =
                    llround(glp_mip_col_val(P, z0 + (q * w->NW + wk) * w->NP + pp));
    tour_derive_x(w);
    for (int i = 0; i < ns; i++) {
        const start_rec *r = &w->starts[w->slist[i]];
        for (int k = 0; k < r->nb; k++)
            for (int o = 0; o < r->bn[k]; o++)
                w->b[r->bvar[k] + o] = 0;
    }
    recompute_coverage(w);
    for (int i = 0; i < ns; i++) {
        int s = w->slist[i];
        const start_rec *r = &w->starts[s];
        for (int k = 0; k < r->nb; k++)
            for (long long n = 0; n < w->x[s]; n++) {
                int o = best_break_slot(w, r, k);
                w->obj += range_apply(w, break_first(r, k, o), r->blen[k], -1);
                w->b[r->bvar[k] + o]++;
            }
    }
}

/*
 * Fix-and-resolve on tours: the shift types starting in the `len`
 * intervals of the day from `a` (cyclic over the day) are free, every
 * other type keeps its tours of the best solution.  The sub-MIP is the
 * tour model restricted to them: their starts' x and b, their tour
 * counts z, the coverage rows of the intervals they touch (the fixed
 * types' coverage moved to the right-hand side), their break links, tour
 * links and same-people-every-week rows.  GLPK solves it from our
 * incumbent within the node budget.  Returns 1 when the best improved.
 */
static int tour_window_resolve(work *w, long long a, long long len)
{
    const sp_schedule *p = w->p;
    long long day = 1440 / p->minutes;
    int ndays = 7 * w->NW;
    int *types = malloc((size_t)w->NI * sizeof *types);
    if (types == NULL)
        return 0;
    int ni = 0;
    for (int i = 0; i < w->NI; i++) {
        long long d = (w->starts[w->sfirst[i]].first - a) % day;
        if (d < 0)
            d += day;
        if (d < len)
            types[ni++] = i;
    }
    int ns = 0, nl = 0, nbv = 0;
    for (int q = 0; q < ni; q++)
        for (int dd = 0; dd < ndays; dd++) {
            int s = start_of(w, types[q], dd);
            w->slist[ns++] = s;
            nl += w->starts[s].nb;
            for (int k = 0; k < w->starts[s].nb; k++)
                nbv += w->starts[s].bn[k];
        }
    if (ns == 0) {
        free(types);
        return 0;
    }
    double inc, wconst;
    int ny;
    int nt = window_intervals(w, ns, &inc, &ny, &wconst);

    /* Columns: x, b of the starts, u, e (and y) of the intervals, z of
     * the types; rows: coverage, break links, tour links, week rows. */
    int nzc = ni * w->NW * w->NP, z0 = 1 + ns + nbv + 2 * nt + ny;
    int ncol = ns + nbv + 2 * nt + ny + nzc;
    int nrow = nt + nl + ni * ndays + ni * (w->NW - 1);
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MIN);
    glp_add_rows(P, nrow);
    glp_add_cols(P, ncol);
    glp_set_obj_coef(P, 0, wconst);
    window_interval_rows(w, P, ns, nbv, nt);
    int e = 2 * nt + ny, row = nt, col = ns;
    for (int i = nt; i < nrow; i++)
        glp_set_row_bnds(P, 1 + i, GLP_FX, 0.0, 0.0);
#define SUB_ENTRY(r_, c_, a_)  \
    do {                       \
        e++;                   \
        w->sia[e] = (r_);      \
        w->sja[e] = (c_);      \
        w->sar[e] = (a_);      \
    } while (0)
    for (int i = 0; i < ns; i++) {
        int s = w->slist[i];
        const start_rec *r = &w->starts[s];
        /* x is implied integral by the tour links: continuous keeps
         * GLPK's branching on z. */
        glp_set_col_bnds(P, 1 + i, GLP_LO, 0.0, 0.0);
        glp_set_obj_coef(P, 1 + i, r->cost);
        w->vals[1 + i] = (double)w->best_x[s];
        for (int j = 0; j < r->len; j++) {
            long long t = at(w, r->first, j);
            if (t < 0)
                break;
            SUB_ENTRY(1 + w->trow[t], 1 + i, 1.0);
        }
        for (int k = 0; k < r->nb; k++) {
            row++;
            SUB_ENTRY(row, 1 + i, -1.0);
            for (int o = 0; o < r->bn[k]; o++) {
                col++; /* continuous: tour_window_adopt places the breaks */
                glp_set_col_bnds(P, col, GLP_LO, 0.0, 0.0);
                w->vals[col] = (double)w->best_b[r->bvar[k] + o];
                SUB_ENTRY(row, col, 1.0);
                for (int j = 0; j < r->blen[k]; j++) {
                    long long t = at(w, break_first(r, k, o), j);
                    if (t < 0)
                        break;
                    SUB_ENTRY(1 + w->trow[t], col, -1.0);
                }
            }
        }
    }
    for (int q = 0; q < ni; q++) {
        for (int wk = 0; wk < w->NW; wk++)
            for (int pp = 0; pp < w->NP; pp++) {
                int c = z0 + (q * w->NW + wk) * w->NP + pp;
                glp_set_col_kind(P, c, GLP_IV);
                glp_set_col_bnds(P, c, GLP_LO, 0.0, 0.0);
                w->vals[c] = (double)w->best_z[zidx(w, types[q], wk, pp)];
            }
        for (int dd = 0; dd < ndays; dd++) {
            row++;
            SUB_ENTRY(row, 1 + q * ndays + dd, 1.0);
            for (int pp = 0; pp < w->NP; pp++)
                if (w->pat[pp] >> (dd % 7) & 1)
                    SUB_ENTRY(row, z0 + (q * w->NW + dd / 7) * w->NP + pp, -1.0);
        }
        for (int wk = 1; wk < w->NW; wk++) {
            row++;
            for (int pp = 0; pp < w->NP; pp++) {
                SUB_ENTRY(row, z0 + (q * w->NW + wk) * w->NP + pp, 1.0);
                SUB_ENTRY(row, z0 + q * w->NW * w->NP + pp, -1.0);
            }
        }
    }
#undef SUB_ENTRY
    glp_load_matrix(P, e, w->sia, w->sja, w->sar);
    for (int i = 0; i < nt; i++)
        w->trow[w->tlist[i]] = -1;

    int improved = 0;
    w->sub_fed = 0;
    if (lp_solve(w, P)) {
        double lb = round_bound(w, glp_get_obj_val(P));
        if (lb < inc - IMPROVE_EPS) {
            if (window_intopt(w, P, inc)) {
                tour_window_adopt(w, P, types, ni, ns, z0);
                recompute_coverage(w);
                local_search(w);
                if (keep_if_better(w)) {
                    w->lns_wins++;
                    improved = 1;
                }
            }
        }
    }
    glp_delete_prob(P);
    free(types);
    return improved;
}

/* One pass of tour windows over the day: windows of `len` intervals of
 * shift starts, half overlapping, thread i of n starting i/n of a step in
 * and moved by a quarter step every other pass. */
static int tour_window_pass(work *w, long long len, int pass, int thread, int threads)
{
    long long day = 1440 / w->p->minutes;
    long long step = len / 2 > 0 ? len / 2 : 1;
    long long first = (thread * step / threads + (pass % 2) * step / (2 * threads)) % step;
    int improved = 0;
    for (long long a = first; a < day; a += step) {
        if (out_of_time(w) || gap_closed(w))
            break;
        improved |= tour_window_resolve(w, a, len);
    }
    return improved;
}

/*
 * One pass of windows, half overlapping, over the horizon.  A window of a
 * quarter day << size frees either the starts beginning in it (cover 0)
 * or, at half the length, every start working part of it (cover 1: its
 * shifts reach back up to a shift length, so the MIP is of similar size
 * but cuts the schedule differently).  Small windows first: their MIPs
 * take tens of milliseconds.  Thread i of n starts i/n of a step in, moved
 * by half that every other pass, so threads cut the horizon at different
 * places.  Returns 1 when the best improved.
 */
static int window_pass(work *w, int size, int pass, int thread, int threads, int cover)
{
    if (w->tours)
        return 0; /* windows of starts cut tours apart */
    w->win_cover = cover;
    long long T = (long long)w->T, day = 1440 / w->p->minutes;
    long long len = (day / 4 > 0 ? day / 4 : 1) << size;
    if (len >= T)
        return window_resolve(w, 0, T);
    long long step = len / 2 > 0 ? len / 2 : 1;
    long long first = (thread * step / threads + (pass % 2) * step / (2 * threads)) % step;
    w->node_limit = 200LL << size;
    if (w->win_cover)
        len = len / 2 > 0 ? len / 2 : 1; /* its starts reach back a shift */
    int improved = 0;
    for (long long a = first; a < T; a += step) {
        if (out_of_time(w) || gap_closed(w))
            break;
        improved |= window_resolve(w, a, len);
    }
    return improved;
}

/* The largest window size worth trying: two days, or the horizon. */
static int window_max_size(const work *w)
{
    long long T = (long long)w->T, day = 1440 / w->p->minutes;
    long long len = day / 4 > 0 ? day / 4 : 1;
    int size = 0;
    while (len < T && len < 2 * day) {
        len <<= 1;
        size++;
    }
    return size;
}

/* The current state back to the best solution. */
static void restore_best(work *w)
{
    memcpy(w->x, w->best_x, (size_t)w->S * sizeof *w->x);
    memcpy(w->b, w->best_b, (size_t)w->B * sizeof *w->b);
    memcpy(w->cov, w->best_cov, w->T * sizeof *w->cov);
    if (w->tours)
        memcpy(w->z, w->best_z, (size_t)w->Z * sizeof *w->z);
    w->obj = w->best_obj;
}

#ifndef ILS_DEVIATION
#define ILS_DEVIATION 0.005
#endif

/* xorshift64*: the iterated local search's own generator, seeded per
 * thread and epoch so that runs repeat. */
static unsigned long long rng_next(unsigned long long *st)
{
    unsigned long long x = *st;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *st = x;
    return x * 0x2545F4914F6CDD1DULL;
}

/*
 * Iterated local search on tours (LP re-solves on the tour model take
 * seconds each, so the windows' sub-MIPs and the dives do not pay):
 * `iters` times, remove every tour of the shift types starting in a random
 * stretch of the day (one to four hours), refill greedily with the best
 * tours anywhere, local search; keep the result when it is no worse than
 * the best (equal ones too, to drift across plateaus), otherwise go back.
 * Returns 1 when the best improved.
 */
static void accept_state(work *w)
{
    memcpy(w->acc_x, w->x, (size_t)w->S * sizeof *w->x);
    memcpy(w->acc_b, w->b, (size_t)w->B * sizeof *w->b);
    memcpy(w->acc_z, w->z, (size_t)w->Z * sizeof *w->z);
    memcpy(w->acc_cov, w->cov, w->T * sizeof *w->cov);
    w->acc_obj = w->obj;
}

static void restore_accepted(work *w)
{
    memcpy(w->x, w->acc_x, (size_t)w->S * sizeof *w->x);
    memcpy(w->b, w->acc_b, (size_t)w->B * sizeof *w->b);
    memcpy(w->z, w->acc_z, (size_t)w->Z * sizeof *w->z);
    memcpy(w->cov, w->acc_cov, w->T * sizeof *w->cov);
    w->obj = w->acc_obj;
}

static int tour_ils(work *w, int iters, unsigned long long seed)
{
    if (!w->have_best)
        return 0;
    int *pats = tour_pats(w, 0);
    long long day = 1440 / w->p->minutes;
    unsigned long long st = seed * 0x9E3779B97F4A7C15ULL + 1;
    double start = w->best_obj;
    restore_best(w);
    accept_state(w);
    for (int it = 0; it < iters && !out_of_time(w); it++) {
        long long c = (long long)(rng_next(&st) % (unsigned long long)day);
        long long half = (long long)(rng_next(&st) % (unsigned long long)(day / 12 + 1)) +
                         day / 48 + 1;
        for (int i = 0; i < w->NI; i++) {
            long long d = llabs(w->starts[w->sfirst[i]].first - c) % day;
            if (day - d < d)
                d = day - d;
            if (d > half)
                continue;
            while (tour_count(w, i) > 0)
                tour_drop(w, i, pats);
        }
        tour_greedy_fill(w, 1);
        tour_local_search(w);
        if (w->obj < w->best_obj - IMPROVE_EPS)
            save_best(w);
        /* Record-to-record travel: a result within ILS_DEVIATION of the
         * best becomes the next starting point. */
        if (w->obj <= w->best_obj + ILS_DEVIATION * fabs(w->best_obj) + IMPROVE_EPS)
            accept_state(w);
        else
            restore_accepted(w);
    }
    return w->best_obj < start - IMPROVE_EPS;
}

/* One epoch of the tour search on thread `thread` of `threads`: a pass of
 * tour windows (2, 3, 4 or 6 hours of shift starts by epoch), then a few
 * rounds of iterated local search.  Returns 1 when the best improved. */
static int tour_epoch(work *w, int pass, int thread, int threads)
{
    long long day = 1440 / w->p->minutes;
    /* Windows of 2, 3, 4 and 6 hours: the 6-hour ones took the
     * benchmark's tour week from 75,500-75,750 to 74,500 in 30 s (four
     * runs); starting from 3-hour windows or adding 8-hour ones did
     * worse (76,250 and 74,500 at 60 s against 74,250). */
    static const int div[4] = {12, 8, 6, 4};
    long long len = day / div[pass % 4];
    int imp = tour_window_pass(w, len > 0 ? len : 1, pass / 4, thread, threads);
    imp |= tour_ils(w, 4, (unsigned long long)pass * 1024 + (unsigned long long)thread + 1);
    return imp;
}

/* One epoch of the window search on one thread (arguments in the work);
 * with tours an epoch of tour windows and iterated local search. */
static int window_task(void *arg)
{
    work *w = arg;
    if (w->tours) {
        w->epoch_improved = tour_epoch(w, w->epoch_pass, w->epoch_thread, w->epoch_threads);
        return SP_OK;
    }
    w->epoch_improved = window_pass(w, w->epoch_size, w->epoch_pass, w->epoch_thread,
                                    w->epoch_threads, w->epoch_cover);
    return SP_OK;
}

/* This task's own copy of the model, warm-started from the root basis
 * and re-solved; NULL when the LP does not finish in time.  GLPK frees it
 * with the task's environment. */
static glp_prob *warm_prob(work *w)
{
    glp_prob *P = build_prob(w);
    load_basis(w, P);
    return lp_solve(w, P) ? P : NULL;
}

/* One thread's dive: its own warm-started model; dive, round, local
 * search. */
static int heur_task(void *arg)
{
    work *w = arg;
    glp_prob *P = warm_prob(w);
    if (P == NULL)
        return SP_OK;
    if (w->tours) {
        /* Dives re-solve the LP after every batch: seconds each on the
         * tour model.  Its threads start the iterated local search. */
        return SP_OK;
    }
    dive(w, P);
    round_lp(w, w->lp, 1);
    local_search(w);
    keep_if_better(w);
    return SP_OK;
}

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
    double before = w->tree_bound;
    update_tree_bound(w, tree);
    if (w->tree_bound > before)
        publish(w);
    /* GLPK's own gap test knows nothing of the cost step: stop as soon as
     * the incumbent meets the rounded bound. */
    glp_prob *Q = glp_ios_get_prob(tree);
    double inc = w->have_best ? w->best_obj : INFINITY;
    if (glp_mip_status(Q) == GLP_FEAS || glp_mip_status(Q) == GLP_OPT)
        inc = fmin(inc, glp_mip_obj_val(Q));
    double lb = round_bound(w, fmax(w->lp_bound, w->tree_bound));
    if (isfinite(inc) && (inc - lb) / fmax(1.0, fabs(inc)) <= w->mip_gap + 1e-12) {
        glp_ios_terminate(tree);
        return;
    }
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
    double elapsed = sp__now() - w->t0;
    if (w->heur_seconds > 0.5 * elapsed)
        return;
    read_lp(w, glp_ios_get_prob(tree));
    if (heuristic(w, w->lp)) {
        best_to_vals(w);
        glp_ios_heur_sol(tree, w->vals);
        publish(w);
    }
}

/* The root LP: its bound, values and basis, and the rounding heuristic's
 * first solution.  Without an LP in time, a greedy construction. */
static int lp_task(void *arg)
{
    work *w = arg;
    glp_prob *P = build_prob(w);
    double t = sp__now();
    /* The tour model's root LP from the slack basis: the primal simplex
     * took 6.8 s where the dual took 11.9 s (glpsol, the benchmark's tour
     * week on a loaded machine). */
    w->lp_primal = w->tours;
    int solved = lp_solve(w, P);
    w->lp_primal = 0;
    if (solved) {
        w->lp_seconds = sp__now() - t;
        w->lp_solved = 1;
        w->lp_bound = glp_get_obj_val(P);
        read_lp(w, P);
        save_basis(w, P);
        heuristic(w, w->lp);
    } else {
        /* No LP in time (or cancelled): a solution must still exist. */
        greedy_cover(w);
        keep_if_better(w);
        if (!out_of_time(w))
            local_search(w);
        keep_if_better(w);
    }
    return SP_OK;
}

/* GLPK's branch-and-cut from the root basis with the best solution as its
 * incumbent: it raises the bound and may still improve the solution. */
static int bb_task(void *arg)
{
    work *w = arg;
    glp_prob *P = warm_prob(w);
    if (P == NULL)
        return SP_OK;
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = GLP_MSG_ERR;
    io.presolve = GLP_OFF; /* the callback's columns are the original ones */
    io.cb_func = callback;
    io.cb_info = w;
    io.mip_gap = w->mip_gap;
    double left = w->time_limit - (sp__now() - w->t0);
    if (left <= 0.0)
        return SP_OK;
    io.tm_lim = (int)fmin(ceil(left * 1000.0), (double)INT_MAX);
    int rc = glp_intopt(P, &io);
    int st = glp_mip_status(P);
    if (st == GLP_OPT || st == GLP_FEAS)
        adopt_glpk_solution(w, P);
    if (rc == 0 && st == GLP_OPT) {
        /* Every pruned node had a bound at least GLPK's incumbent's model
         * value, and model values never exceed true objectives. */
        w->mip_proven = 1;
        w->proven = glp_mip_obj_val(P);
    }
    return SP_OK;
}

/* ------------------------------------------------------------------ */
/* Solve: expand, allocate, run the guarded task, report               */
/* ------------------------------------------------------------------ */

/* The state arrays every work owns, clone or not. */
static void work_free_state(work *w)
{
    free(w->x);
    free(w->b);
    free(w->cov);
    free(w->best_x);
    free(w->best_b);
    free(w->best_cov);
    free(w->lp);
    free(w->vals);
    free(w->cand);
    free(w->mark);
    free(w->trow);
    free(w->tlist);
    free(w->slist);
    free(w->sia);
    free(w->sja);
    free(w->sar);
    free(w->tfix);
    free(w->z);
    free(w->best_z);
    free(w->toffs);
    free(w->acc_x);
    free(w->acc_b);
    free(w->acc_z);
    free(w->acc_cov);
}

static void work_free(work *w)
{
    work_free_state(w);
    if (w->clone)
        return;
    free(w->starts);
    free(w->bstart);
    free(w->yfirst);
    free(w->sfirst);
    free(w->ia);
    free(w->ja);
    free(w->ar);
    free(w->row_stat);
    free(w->col_stat);
}

/*
 * A private copy of `src` for one heuristic thread: the model (starts,
 * matrix, root LP and basis) is shared read-only, the state is its own,
 * starting from src's best solution.  The copy's clock ends at `until`
 * seconds after the start.
 */
static int work_clone(const work *src, work *dst, const variant *var, double until)
{
    *dst = *src;
    dst->clone = 1;
    size_t T = src->T, Sz = (size_t)(src->S > 0 ? src->S : 1),
           Bz = (size_t)(src->B > 0 ? src->B : 1);
    dst->x = calloc(Sz, sizeof *dst->x);
    dst->b = calloc(Bz, sizeof *dst->b);
    dst->cov = calloc(T, sizeof *dst->cov);
    dst->best_x = calloc(Sz, sizeof *dst->best_x);
    dst->best_b = calloc(Bz, sizeof *dst->best_b);
    dst->best_cov = calloc(T, sizeof *dst->best_cov);
    size_t Zz = (size_t)src->Z;
    dst->lp = calloc(Sz + Bz + Zz, sizeof *dst->lp);
    dst->vals = calloc((size_t)src->ncols + 1, sizeof *dst->vals);
    dst->cand = calloc(Sz + Bz + Zz, sizeof *dst->cand);
    dst->z = dst->best_z = NULL;
    dst->toffs = NULL;
    dst->acc_x = dst->acc_b = dst->acc_z = dst->acc_cov = NULL;
    if (src->tours) {
        dst->z = calloc(Zz, sizeof *dst->z);
        dst->best_z = calloc(Zz, sizeof *dst->best_z);
        dst->toffs = calloc(tour_scratch(src), sizeof *dst->toffs);
        dst->acc_x = calloc(Sz, sizeof *dst->acc_x);
        dst->acc_b = calloc(Bz, sizeof *dst->acc_b);
        dst->acc_z = calloc(Zz, sizeof *dst->acc_z);
        dst->acc_cov = calloc(T, sizeof *dst->acc_cov);
        if (!dst->z || !dst->best_z || !dst->toffs || !dst->acc_x || !dst->acc_b ||
            !dst->acc_z || !dst->acc_cov)
            return SP_ENOMEM;
    }
    dst->mark = calloc(Bz, 1);
    dst->trow = malloc(T * sizeof *dst->trow);
    dst->tlist = calloc(T, sizeof *dst->tlist);
    dst->tfix = calloc(T, sizeof *dst->tfix);
    dst->slist = calloc(Sz, sizeof *dst->slist);
    dst->sia = calloc((size_t)src->nnz + 1, sizeof *dst->sia);
    dst->sja = calloc((size_t)src->nnz + 1, sizeof *dst->sja);
    dst->sar = calloc((size_t)src->nnz + 1, sizeof *dst->sar);
    if (!dst->x || !dst->b || !dst->cov || !dst->best_x || !dst->best_b ||
        !dst->best_cov || !dst->lp || !dst->vals || !dst->cand || !dst->mark ||
        !dst->trow || !dst->tlist || !dst->tfix || !dst->slist || !dst->sia ||
        !dst->sja || !dst->sar)
        return SP_ENOMEM;
    for (size_t t = 0; t < T; t++)
        dst->trow[t] = -1;
    if (src->have_best) {
        if (src->tours)
            memcpy(dst->best_z, src->best_z, Zz * sizeof *dst->best_z);
        memcpy(dst->best_x, src->best_x, (size_t)src->S * sizeof *dst->best_x);
        memcpy(dst->best_b, src->best_b, (size_t)src->B * sizeof *dst->best_b);
        memcpy(dst->best_cov, src->best_cov, T * sizeof *dst->best_cov);
    }
    dst->var = var;
    dst->time_limit = until;
    /* Node budget of a window's MIP (window_pass scales it with the
     * window): a deterministic limit, where a time budget would make the
     * result depend on the machine's load. */
    dst->node_limit = 200;
    dst->heur_seconds = 0.0;
    dst->cancelled = dst->timed_out = 0;
    dst->lns_solves = dst->lns_wins = dst->dive_solves = 0;
    return SP_OK;
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
    long long Y = 0;
    w->yfirst = calloc(p->intervals + 1, sizeof *w->yfirst);
    if (w->yfirst == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    w->wconst = 0.0;
    for (size_t t = 0; t < p->intervals; t++) {
        w->yfirst[t] = (int)Y;
        if (p->wait != NULL) {
            /* inc[t] exact increments and the tail; none when W is 0. */
            Y += p->wait->inc[t] > 0 ? p->wait->inc[t] + 1 : 0;
            w->wconst += p->wait->tab[t][0];
        }
        if (S + B + Y + nnz + Y > MAX_MODEL_SIZE)
            return sp__diag_set(diag, SP_ETOOBIG, "wait_cost", -1,
                                "the model would exceed %lld columns and nonzeros",
                                MAX_MODEL_SIZE);
    }
    w->yfirst[p->intervals] = (int)Y;
    nnz += Y;
    long long Z = 0, tour_rows = 0;
    if (p->tour_days > 0) {
        /* Tours: z per shift type, week and days-off pattern; rows x(s) =
         * the tours working that day, and every week of a shift type
         * holds the same people. */
        for (size_t i = 0; i < p->shift_count; i++)
            if (!p->shifts[i].daily)
                return sp__diag_set(diag, SP_EINVAL, "start", (long long)i,
                                    "tours need daily shifts");
        w->tours = 1;
        w->NI = (int)p->shift_count;
        w->NW = (int)(horizon / (7 * 1440));
        w->NP = tour_patterns(p->tour_days, p->tour_consecutive, w->pat);
        Z = (long long)w->NI * w->NW * w->NP;
        tour_rows = S + (long long)(w->NW - 1) * w->NI;
        nnz += S + Z * p->tour_days + (long long)(w->NW - 1) * w->NI * 2 * w->NP;
        if (S + B + Y + Z + nnz > MAX_MODEL_SIZE)
            return sp__diag_set(diag, SP_ETOOBIG, "work_days", -1,
                                "the model would exceed %lld columns and nonzeros",
                                MAX_MODEL_SIZE);
    }
    w->S = (int)S;
    w->B = (int)B;
    w->Y = (int)Y;
    w->Z = (int)Z;
    w->T = p->intervals;
    w->ncols = (int)(S + B + 2 * (long long)p->intervals + Y + Z);
    w->nrows = (int)p->intervals;
    for (size_t i = 0; i < p->shift_count; i++) {
        const shift_rec *sh = &p->shifts[i];
        long long days = sh->daily ? (horizon - sh->start + 1439) / 1440 : 1;
        w->nrows += (int)(days * sh->break_count);
    }
    w->nrows += (int)tour_rows;
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
    w->lp = calloc(Sz + Bz + (size_t)Z, sizeof *w->lp);
    if (w->tours) {
        w->z = calloc((size_t)Z, sizeof *w->z);
        w->best_z = calloc((size_t)Z, sizeof *w->best_z);
        w->toffs = calloc(tour_scratch(w), sizeof *w->toffs);
        w->sfirst = calloc((size_t)w->NI, sizeof *w->sfirst);
        if (!w->z || !w->best_z || !w->toffs || !w->sfirst)
            return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
        for (int i = 0; i < w->NI; i++)
            w->sfirst[i] = i * 7 * w->NW; /* every daily shift starts every day */
    }
    w->row_stat = calloc((size_t)w->nrows + 1, sizeof *w->row_stat);
    w->col_stat = calloc((size_t)w->ncols + 1, sizeof *w->col_stat);
    w->vals = calloc((size_t)w->ncols + 1, sizeof *w->vals);
    w->ia = calloc((size_t)nnz + 1, sizeof *w->ia);
    w->ja = calloc((size_t)nnz + 1, sizeof *w->ja);
    w->ar = calloc((size_t)nnz + 1, sizeof *w->ar);
    if (!w->starts || !w->bstart || !w->x || !w->best_x || !w->b || !w->best_b ||
        !w->cov || !w->best_cov || !w->lp || !w->vals || !w->ia || !w->ja || !w->ar ||
        !w->row_stat || !w->col_stat)
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
            r->cost = shift_cost_on(sh, r->minute / 1440);
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
        for (int y = w->yfirst[t]; y < w->yfirst[t + 1]; y++)
            ENTRY(1 + (int)t, 1 + w->S + w->B + 2 * (int)T + y, -1.0);
    }
    for (int i = 0; i < w->NI; i++)
        for (int day = 0; day < 7 * w->NW; day++) {
            row++;
            ENTRY(row, 1 + start_of(w, i, day), 1.0);
            for (int q = 0; q < w->NP; q++)
                if (w->pat[q] >> (day % 7) & 1)
                    ENTRY(row, zcol(w, zidx(w, i, day / 7, q)), -1.0);
        }
    for (int i = 0; i < w->NI; i++)
        for (int wk = 1; wk < w->NW; wk++) {
            row++;
            for (int q = 0; q < w->NP; q++) {
                ENTRY(row, zcol(w, zidx(w, i, wk, q)), 1.0);
                ENTRY(row, zcol(w, zidx(w, i, 0, q)), -1.0);
            }
        }
#undef ENTRY
    /* Entries that fell off a non-cyclic horizon were not written. */
    w->nnz = e;
    /* With whole required heads and whole costs, u and e are whole at an
     * optimum (both positive only costs more), so every optimal objective
     * is a multiple of the costs' greatest common divisor: bounds round up
     * to it (a week with shift costs 100, 150, 200: to a multiple of 50). */
    long long g = 0;
    int whole = 1;
    for (size_t t = 0; t < p->intervals && whole; t++)
        whole = p->required[t] == floor(p->required[t]);
    step_add(&g, &whole, p->under_cost);
    step_add(&g, &whole, p->over_cost);
    /* With tours, people come in weeks: the labour cost is a sum of tour
     * weeks (a shift's cost on each day of a days-off pattern), a coarser
     * step (costs 100, 150, 200 five days a week: 250). */
    for (size_t i = 0; i < p->shift_count; i++) {
        const shift_rec *sh = &p->shifts[i];
        for (int q = 0; q < (w->tours ? w->NP : 7); q++) {
            double c = 0.0;
            for (int dow = 0; dow < 7; dow++)
                if (w->tours ? w->pat[q] >> dow & 1 : dow == q)
                    c += sh->day_cost[dow];
            step_add(&g, &whole, c);
        }
    }
    /* Waiting costs are real numbers: no step in cost mode. */
    w->cost_step = whole && g > 0 && p->wait == NULL ? (double)g : 0.0;
    return SP_OK;
}

/* Splits per-break counts into groups of identical people: person i of a
 * start takes the i-th offset of every break in sorted order. */
static int build_tour_groups(const work *w, sp_schedule_result *res);

static int build_groups(const work *w, sp_schedule_result *res)
{
    if (w->tours)
        return build_tour_groups(w, res);
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
            grp->tour = -1;
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

/*
 * Groups with tours.  People first: per shift type, the weeks' pattern
 * counts are merged in order into tours (groups of people with the same
 * pattern in every week; any week's pattern may follow any other's).
 * Then per worked day, each tour's people take the day's break offsets in
 * sorted order, split into groups where an offset's count runs out.
 */
static int build_tour_groups(const work *w, sp_schedule_result *res)
{
    const int NW = w->NW, I = w->p->minutes;
    size_t ncap = 1;
    for (int j = 0; j < w->Z; j++)
        ncap += w->best_z[j] > 0;
    long long *tcount = calloc(ncap, sizeof *tcount);
    int *tpat = calloc(ncap * (size_t)NW, sizeof *tpat);
    int *gfirst = calloc((size_t)w->NI + 1, sizeof *gfirst);
    int *cur = calloc((size_t)NW, sizeof *cur);
    long long *rem = calloc((size_t)NW, sizeof *rem);
    int rc = SP_ENOMEM;
    if (!tcount || !tpat || !gfirst || !cur || !rem)
        goto done;
    int nt = 0;
    for (int i = 0; i < w->NI; i++) {
        gfirst[i] = nt;
        long long left = 0;
        for (int q = 0; q < w->NP; q++)
            left += w->best_z[zidx(w, i, 0, q)];
        for (int wk = 0; wk < NW && left > 0; wk++) {
            cur[wk] = 0;
            while (w->best_z[zidx(w, i, wk, cur[wk])] == 0)
                cur[wk]++;
            rem[wk] = w->best_z[zidx(w, i, wk, cur[wk])];
        }
        while (left > 0) {
            long long n = left;
            for (int wk = 0; wk < NW; wk++)
                if (rem[wk] < n)
                    n = rem[wk];
            tcount[nt] = n;
            for (int wk = 0; wk < NW; wk++) {
                tpat[(size_t)nt * NW + wk] = cur[wk];
                rem[wk] -= n;
                if (rem[wk] == 0 && left > n) {
                    do
                        cur[wk]++;
                    while (w->best_z[zidx(w, i, wk, cur[wk])] == 0);
                    rem[wk] = w->best_z[zidx(w, i, wk, cur[wk])];
                }
            }
            nt++;
            left -= n;
        }
    }
    gfirst[w->NI] = nt;
    size_t cap = 1;
    for (int s = 0; s < w->S; s++) {
        if (w->best_x[s] == 0)
            continue;
        int i = w->starts[s].shift;
        cap += (size_t)(gfirst[i + 1] - gfirst[i]);
        for (int k = 0; k < w->starts[s].nb; k++)
            cap += (size_t)w->starts[s].bn[k];
    }
    res->groups = calloc(cap, sizeof *res->groups);
    if (res->groups == NULL)
        goto done;
    size_t g = 0;
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        long long left = w->best_x[s];
        if (left == 0)
            continue;
        int i = r->shift, day = (int)(r->minute / 1440);
        int bcur[SP_SCHEDULE_MAX_BREAKS];
        long long brem[SP_SCHEDULE_MAX_BREAKS];
        for (int k = 0; k < r->nb; k++) {
            bcur[k] = 0;
            while (w->best_b[r->bvar[k] + bcur[k]] == 0)
                bcur[k]++;
            brem[k] = w->best_b[r->bvar[k] + bcur[k]];
        }
        for (int t = gfirst[i]; t < gfirst[i + 1]; t++) {
            if (!(w->pat[tpat[(size_t)t * NW + day / 7]] >> (day % 7) & 1))
                continue;
            for (long long need = tcount[t]; need > 0;) {
                long long n = need;
                for (int k = 0; k < r->nb; k++)
                    if (brem[k] < n)
                        n = brem[k];
                sp_shift_group *grp = &res->groups[g++];
                grp->shift = i;
                grp->start = r->minute;
                grp->count = n;
                grp->tour = t;
                for (int k = 0; k < r->nb; k++) {
                    grp->break_offset[k] = (r->boff[k] + bcur[k]) * I;
                    brem[k] -= n;
                    if (brem[k] == 0 && left > n) {
                        do
                            bcur[k]++;
                        while (w->best_b[r->bvar[k] + bcur[k]] == 0);
                        brem[k] = w->best_b[r->bvar[k] + bcur[k]];
                    }
                }
                need -= n;
                left -= n;
            }
        }
    }
    res->group_count = g;
    rc = SP_OK;
done:
    free(tcount);
    free(tpat);
    free(gfirst);
    free(cur);
    free(rem);
    return rc;
}

/* Share of the time limit the heuristic threads may use; GLPK's
 * branch-and-cut gets the rest (and all of it when they finish early). */
#define HEUR_SHARE 0.9

/* Runs `task` on every job, one OpenMP thread each (each task in its own
 * GLPK environment through the guard; a glp_prob never leaves its
 * thread).  Returns the first failure. */
static int run_jobs(work *jobs, int n, sp__glpk_task task, sp__glpk_log *logs, int *rcs,
                    sp_diag *diag)
{
#pragma omp parallel for num_threads(n) schedule(static, 1)
    for (int i = 0; i < n; i++)
        rcs[i] = sp__glpk_run(task, &jobs[i], &logs[i]);
    for (int i = 0; i < n; i++)
        if (rcs[i] != SP_OK)
            return sp__diag_set(diag, rcs[i], "glpk", -1, "%s", logs[i].error);
    return SP_OK;
}

/* Takes the best of the jobs into w when it beats w's: the smallest
 * objective, the lowest job on ties, so the choice never depends on which
 * thread finished first.  Returns 1 when w's best improved. */
static int gather_best(work *w, work *jobs, int n)
{
    int from = -1;
    double obj = w->have_best ? w->best_obj : INFINITY;
    for (int i = 0; i < n; i++) {
        work *j = &jobs[i];
        if (j->cancelled)
            w->cancelled = 1;
        if (j->have_best && j->best_obj < obj - IMPROVE_EPS) {
            obj = j->best_obj;
            from = i;
        }
    }
    if (from < 0)
        return 0;
    work *j = &jobs[from];
    memcpy(w->best_x, j->best_x, (size_t)w->S * sizeof *w->best_x);
    memcpy(w->best_b, j->best_b, (size_t)w->B * sizeof *w->best_b);
    memcpy(w->best_cov, j->best_cov, w->T * sizeof *w->best_cov);
    if (w->tours)
        memcpy(w->best_z, j->best_z, (size_t)w->Z * sizeof *w->best_z);
    w->best_obj = j->best_obj;
    w->have_best = 1;
    return 1;
}

/* Gives every job w's best as its starting point. */
static void scatter_best(const work *w, work *jobs, int n)
{
    for (int i = 0; i < n; i++) {
        work *j = &jobs[i];
        memcpy(j->best_x, w->best_x, (size_t)w->S * sizeof *w->best_x);
        memcpy(j->best_b, w->best_b, (size_t)w->B * sizeof *w->best_b);
        memcpy(j->best_cov, w->best_cov, w->T * sizeof *w->best_cov);
        if (w->tours)
            memcpy(j->best_z, w->best_z, (size_t)w->Z * sizeof *w->best_z);
        j->best_obj = w->best_obj;
        j->have_best = w->have_best;
    }
}

/* The heuristic phase: the dives of every variant in parallel, then the
 * window search in epochs: every thread starts an epoch from the best
 * solution so far and searches its own windows; the best of the epoch
 * (by objective, then thread) starts the next.  Windows grow when an epoch
 * finds nothing and shrink back after an improvement; when the largest
 * finds nothing the other kind of window takes over, and when both are
 * exhausted the phase ends (branch-and-cut gets the time left).  The same
 * input and thread count give the same result whenever the clock does not
 * cut an epoch short. */
static int heuristic_phase(work *w, int nv, double until, sp_diag *diag)
{
    work *jobs = calloc((size_t)nv, sizeof *jobs);
    sp__glpk_log *logs = calloc((size_t)nv, sizeof *logs);
    int *rcs = calloc((size_t)nv, sizeof *rcs);
    int rc = jobs && logs && rcs ? SP_OK : SP_ENOMEM;
    int made = 0;
    for (; rc == SP_OK && made < nv; made++)
        rc = work_clone(w, &jobs[made], &VARIANTS[made % VARIANT_COUNT], until);
    if (rc != SP_OK)
        sp__diag_set(diag, rc, "", -1, "out of memory");
    if (rc == SP_OK)
        rc = run_jobs(jobs, nv, heur_task, logs, rcs, diag);
    if (rc == SP_OK && gather_best(w, jobs, nv))
        publish(w);
    int size = 0, max_size = window_max_size(w), cover = 0, fruitless = 0;
    for (int pass = 0; rc == SP_OK && w->have_best && pass < 100000; pass++) {
        if (gap_closed(w) || out_of_time(&jobs[0]) || w->cancelled)
            break;
        scatter_best(w, jobs, nv);
        for (int i = 0; i < nv; i++) {
            jobs[i].epoch_size = size;
            jobs[i].epoch_pass = pass;
            jobs[i].epoch_thread = i;
            jobs[i].epoch_threads = nv;
            jobs[i].epoch_cover = cover;
        }
        rc = run_jobs(jobs, nv, window_task, logs, rcs, diag);
        if (rc != SP_OK)
            break;
        int improved = gather_best(w, jobs, nv);
        if (improved)
            publish(w);
        /* Both kinds of window exhausted up to the largest size: a local
         * optimum for every neighbourhood we have. */
        if (w->tours) {
            /* The search is random: any epoch may still find, but six in
             * a row without are the end when branch-and-cut can take over
             * (it needs about two root LP times). */
            fruitless = improved ? 0 : fruitless + 1;
            if (fruitless >= 6 && w->time_limit - (sp__now() - w->t0) >= 2.0 * w->lp_seconds)
                break;
        } else if (improved) {
            size = 0;
            fruitless = 0;
        } else if (size < max_size) {
            size++;
        } else if (++fruitless < 2) {
            size = 0;
            cover = !cover;
        } else {
            break;
        }
    }
    for (int i = 0; i < made; i++) {
        w->lns_solves += jobs[i].lns_solves;
        w->lns_wins += jobs[i].lns_wins;
        w->dive_solves += jobs[i].dive_solves;
        work_free(&jobs[i]);
    }
    free(jobs);
    free(logs);
    free(rcs);
    return rc;
}

/*
 * The solve: the root LP (one guarded task), the heuristic phase on
 * OpenMP threads, then GLPK's branch-and-cut from the best incumbent for
 * the time left (it raises the bound and proves small instances).
 */
/*
 * Tours: the root LP takes seconds (7 s on the benchmark's tour week), and
 * the tour heuristics need no LP, so a second thread spends that time on
 * the iterated local search from a greedy start (it never calls GLPK).
 * Returns the LP task's status, or SP_ENOMEM.
 */
/* The search beside the root LP (lp_with_search): greedy start, local
 * search, then epochs of tour windows and iterated local search until the
 * LP is done (*aux->lp_done).  With a GLPK that is not thread-safe the
 * windows would wait for the LP: the iterated local search alone. */
static int aux_task(void *arg)
{
    work *aux = arg;
    greedy_cover(aux);
    keep_if_better(aux);
    if (!out_of_time(aux))
        local_search(aux);
    keep_if_better(aux);
    int windows = sp__glpk_thread_safe();
    for (int k = 0; !__atomic_load_n(aux->lp_done, __ATOMIC_ACQUIRE) && !out_of_time(aux);
         k++) {
        if (windows)
            tour_epoch(aux, k, 1, 2);
        else
            tour_ils(aux, 2, 7919 * (unsigned long long)(k + 1));
    }
    return SP_OK;
}

static int lp_with_search(work *w, sp__glpk_log *log)
{
    work *aux = calloc(1, sizeof *aux);
    if (aux == NULL)
        return SP_ENOMEM;
    int rc = work_clone(w, aux, &VARIANTS[0], w->time_limit);
    int lp_rc = SP_OK, aux_rc = SP_OK, done = 0;
    if (rc == SP_OK) {
#pragma omp parallel sections num_threads(2)
        {
#pragma omp section
            {
                lp_rc = sp__glpk_run(lp_task, w, log);
                __atomic_store_n(&done, 1, __ATOMIC_RELEASE);
            }
#pragma omp section
            {
                sp__glpk_log alog;
                aux->lp_done = &done;
                aux_rc = sp__glpk_run(aux_task, aux, &alog);
            }
        }
        /* A GLPK failure in the search only loses its solutions. */
        if (lp_rc == SP_OK && aux_rc == SP_OK)
            gather_best(w, aux, 1);
    }
    work_free(aux);
    free(aux);
    return rc != SP_OK ? rc : lp_rc;
}

static int run_solve(work *w, int threads, sp_diag *diag)
{
    sp__glpk_log log;
    int nv0 = threads > 0 ? threads : omp_get_max_threads();
    int rc = w->tours && nv0 >= 2 ? lp_with_search(w, &log) : sp__glpk_run(lp_task, w, &log);
    if (rc == SP_ENOMEM)
        return sp__diag_set(diag, rc, "", -1, "out of memory");
    if (rc != SP_OK)
        return sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
    publish(w);
    int nv = threads > 0 ? threads : omp_get_max_threads();
    if (!sp__glpk_thread_safe())
        nv = 1; /* one GLPK environment: parallel tasks would only queue */
    if (nv < 1)
        nv = 1;
    if (nv > 64)
        nv = 64;
    /* GLPK's branch-and-cut needs about two root LP times before its
     * first node on a large model (measured: 9 s of setup after a 9 s
     * root LP on the 4-week benchmark, past the time limit).  Without that
     * much time it cannot help, and the heuristics keep all of it. */
    double until = HEUR_SHARE * w->time_limit;
    if (w->time_limit - until < 2.0 * w->lp_seconds)
        until = w->time_limit;
    if (w->lp_solved && w->have_best && !gap_closed(w) && !out_of_time(w)) {
        rc = heuristic_phase(w, nv, until, diag);
        if (rc != SP_OK)
            return rc;
    }
    double left = w->time_limit - (sp__now() - w->t0);
    if (w->lp_solved && !gap_closed(w) && !out_of_time(w) && left >= 2.0 * w->lp_seconds) {
        rc = sp__glpk_run(bb_task, w, &log);
        if (rc != SP_OK)
            return sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
        publish(w);
    }
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
    int lrc = sp__solve_limits_read(limits, &lim, diag);
    if (lrc != SP_OK)
        return lrc;
    if (!(lim.mip_gap >= 0.0) || !isfinite(lim.mip_gap))
        return sp__diag_set(diag, SP_EINVAL, "mip_gap", -1,
                            "mip_gap must be a finite number >= 0, got %g", lim.mip_gap);

    work w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.t0 = sp__now();
    w.time_limit = lim.time_limit;
    w.mip_gap = lim.mip_gap;
    w.cancel = lim.cancel;
    w.progress = lim.progress;
    w.tree_bound = -INFINITY;
    int rc = expand(&w, diag);
    if (rc != SP_OK) {
        work_free(&w);
        return rc;
    }
    rc = run_solve(&w, lim.threads, diag);
    if (rc != SP_OK) {
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
        double labor = 0.0, under = 0.0, over = 0.0, wait = 0.0;
        for (int s = 0; s < w.S; s++)
            labor += w.starts[s].cost * (double)w.best_x[s];
        for (size_t t = 0; t < w.T; t++) {
            double d = (double)w.best_cov[t] - p->required[t];
            if (d < 0.0)
                under -= d;
            else
                over += d;
            if (p->wait != NULL)
                wait += sp__wait_at(p->wait, t, w.best_cov[t]);
        }
        res->labor_cost = labor;
        res->under_staffing = under;
        res->over_staffing = over;
        res->wait_cost = wait;
        res->objective = labor + p->under_cost * under + p->over_cost * over + wait;
    }
    /* Bounds: every cost is >= 0, so 0 is always one. */
    double bound = 0.0;
    if (w.lp_solved)
        bound = fmax(bound, w.lp_bound);
    if (isfinite(w.tree_bound))
        bound = fmax(bound, w.tree_bound);
    bound = fmax(0.0, round_bound(&w, bound));
    if (w.mip_proven && w.have_best)
        bound = fmax(bound, fmin(res->objective, w.proven));
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
    /* A finished branch-and-cut ends the search too (in cost mode its
     * proof may cover the model only: see build_prob). */
    res->stop = w.cancelled ? SP_STOP_CANCELLED
              : (res->status == SP_SOLUTION_OPTIMAL || w.mip_proven ? SP_STOP_GAP
                                                                    : SP_STOP_TIME);
    res->seconds = sp__now() - w.t0;
    work_free(&w);
    *out = res;
    return SP_OK;
}

/* ------------------------------------------------------------------ */
/* The model in CPLEX LP format                                        */
/* ------------------------------------------------------------------ */

typedef struct write_job {
    work *w;
    const char *path;
    int written;
} write_job;

/* Names: x<shift>_<day>, b<shift>_<day>_<break>_<offset minutes>,
 * u<t>/e<t> (shortfall, excess), rows c<t> (coverage) and
 * l<shift>_<day>_<break> (break link); short enough for every LP reader. */
static int write_task(void *arg)
{
    write_job *job = arg;
    work *w = job->w;
    glp_prob *P = build_prob(w);
    char name[64];
    glp_set_prob_name(P, "staffplan");
    glp_set_obj_name(P, "cost");
    int row = (int)w->T;
    for (int s = 0; s < w->S; s++) {
        const start_rec *r = &w->starts[s];
        long long day = r->minute / 1440;
        snprintf(name, sizeof name, "x%d_%lld", r->shift, day);
        glp_set_col_name(P, 1 + s, name);
        for (int k = 0; k < r->nb; k++) {
            snprintf(name, sizeof name, "l%d_%lld_%d", r->shift, day, k);
            glp_set_row_name(P, ++row, name);
            for (int o = 0; o < r->bn[k]; o++) {
                snprintf(name, sizeof name, "b%d_%lld_%d_%d", r->shift, day, k,
                         (r->boff[k] + o) * w->p->minutes);
                glp_set_col_name(P, 1 + w->S + r->bvar[k] + o, name);
            }
        }
    }
    for (size_t t = 0; t < w->T; t++) {
        snprintf(name, sizeof name, "c%zu", t);
        glp_set_row_name(P, 1 + (int)t, name);
        snprintf(name, sizeof name, "u%zu", t);
        glp_set_col_name(P, 1 + w->S + w->B + (int)t, name);
        snprintf(name, sizeof name, "e%zu", t);
        glp_set_col_name(P, 1 + w->S + w->B + (int)w->T + (int)t, name);
        for (int k = 0; k < w->yfirst[t + 1] - w->yfirst[t]; k++) {
            snprintf(name, sizeof name, "y%zu_%d", t, k + 1);
            glp_set_col_name(P, 1 + w->S + w->B + 2 * (int)w->T + w->yfirst[t] + k, name);
        }
    }
    for (int i = 0; i < w->NI; i++) {
        for (int day = 0; day < 7 * w->NW; day++) {
            snprintf(name, sizeof name, "t%d_%d", i, day);
            glp_set_row_name(P, ++row, name);
        }
        for (int wk = 0; wk < w->NW; wk++)
            for (int q = 0; q < w->NP; q++) {
                char days[8];
                for (int d = 0; d < 7; d++)
                    days[d] = (char)('0' + (w->pat[q] >> d & 1));
                days[7] = '\0';
                snprintf(name, sizeof name, "z%d_%d_%s", i, wk, days);
                glp_set_col_name(P, zcol(w, zidx(w, i, wk, q)), name);
            }
    }
    for (int i = 0; i < w->NI; i++)
        for (int wk = 1; wk < w->NW; wk++) {
            snprintf(name, sizeof name, "w%d_%d", i, wk);
            glp_set_row_name(P, ++row, name);
        }
    if (w->wconst != 0.0) {
        /* The LP format has no objective constant (glp_write_lp drops
         * it): a column fixed at 1 carries sum_t W(m_t). */
        int c = glp_add_cols(P, 1);
        glp_set_col_name(P, c, "wconst");
        glp_set_col_bnds(P, c, GLP_FX, 1.0, 1.0);
        glp_set_obj_coef(P, c, w->wconst);
        glp_set_obj_coef(P, 0, 0.0);
    }
    job->written = glp_write_lp(P, NULL, job->path) == 0;
    return SP_OK;
}

int sp_schedule_write_lp(const sp_schedule *p, const char *path, sp_diag *diag)
{
    if (p == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    if (path == NULL || path[0] == '\0')
        return sp__diag_set(diag, SP_EINVAL, "path", -1, "path must be a file name");
    work w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.t0 = sp__now();
    w.time_limit = 1e7;
    int rc = expand(&w, diag);
    if (rc != SP_OK) {
        work_free(&w);
        return rc;
    }
    write_job job = {&w, path, 0};
    sp__glpk_log log;
    rc = sp__glpk_run(write_task, &job, &log);
    work_free(&w);
    if (rc != SP_OK)
        return sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
    if (!job.written) {
        /* GLPK's own message ("Unable to create `...' - ...") is in the log. */
        const char *msg = strstr(log.text, "nable to create");
        return sp__diag_set(diag, SP_EINVAL, "path", -1, "cannot write %s%s%.120s", path,
                            msg ? ": u" : "", msg ? msg : "");
    }
    return SP_OK;
}

/* ------------------------------------------------------------------ */
/* The LP relaxation with side rows                                    */
/* ------------------------------------------------------------------ */

typedef struct side_lp_job {
    work *w;
    const sp_lp_row *rows;
    size_t nrows;
    const int *map;        /* shift * days + day -> start, or -1         */
    long long days;
    double value;          /* the LP optimum; NAN when none              */
    double *x;             /* NULL or shift * days + day -> LP value     */
} side_lp_job;

static int side_lp_task(void *arg)
{
    side_lp_job *job = arg;
    work *w = job->w;
    glp_prob *P = build_prob(w);
    if (job->nrows > 0) {
        int first = glp_add_rows(P, (int)job->nrows);
        size_t most = 0;
        for (size_t r = 0; r < job->nrows; r++)
            most = job->rows[r].n > most ? job->rows[r].n : most;
        int *ind = malloc((most + 1) * sizeof *ind);
        double *val = malloc((most + 1) * sizeof *val);
        if (ind == NULL || val == NULL) {
            free(ind);
            free(val);
            glp_delete_prob(P);
            return SP_ENOMEM;
        }
        for (size_t r = 0; r < job->nrows; r++) {
            const sp_lp_row *row = &job->rows[r];
            int len = 0;
            for (size_t k = 0; k < row->n; k++) {
                int s = job->map[(long long)row->shift[k] * job->days + row->day[k]];
                if (s < 0 || row->coef[k] == 0.0)
                    continue;
                /* A start listed twice adds up (GLPK refuses duplicates). */
                int seen = 0;
                for (int q = 1; q <= len && !seen; q++)
                    if (ind[q] == 1 + s) {
                        val[q] += row->coef[k];
                        seen = 1;
                    }
                if (!seen) {
                    ind[++len] = 1 + s;
                    val[len] = row->coef[k];
                }
            }
            int lo = isfinite(row->lo), hi = isfinite(row->hi);
            int type = lo && hi ? (row->lo == row->hi ? GLP_FX : GLP_DB)
                     : lo ? GLP_LO : hi ? GLP_UP : GLP_FR;
            glp_set_row_bnds(P, first + (int)r, type, lo ? row->lo : 0.0, hi ? row->hi : 0.0);
            glp_set_mat_row(P, first + (int)r, len, ind, val);
        }
        free(ind);
        free(val);
    }
    job->value = NAN;
    if (lp_solve(w, P)) {
        job->value = glp_get_obj_val(P);
        if (job->x != NULL)
            for (long long c = 0; c < (long long)w->p->shift_count * job->days; c++)
                job->x[c] = job->map[c] >= 0 ? glp_get_col_prim(P, 1 + job->map[c]) : 0.0;
    }
    glp_delete_prob(P);
    return SP_OK;
}

int sp_schedule_lp_bound(const sp_schedule *p, const sp_lp_row *rows, size_t nrows,
                         const sp_solve_limits *limits, double *bound, double *x,
                         sp_diag *diag)
{
    if (bound == NULL)
        return sp__diag_set(diag, SP_EINVAL, "bound", -1, "bound must not be NULL");
    *bound = NAN;
    if (p == NULL)
        return sp__diag_set(diag, SP_EINVAL, "schedule", -1, "schedule must not be NULL");
    if (nrows > 0 && rows == NULL)
        return sp__diag_set(diag, SP_EINVAL, "rows", -1, "rows must not be NULL");
    sp_solve_limits lim;
    int rc = sp__solve_limits_read(limits, &lim, diag);
    if (rc != SP_OK)
        return rc;
    long long days = (long long)(p->intervals * (size_t)p->minutes / 1440);
    if (days < 1)
        days = 1;
    size_t total = 0;
    for (size_t r = 0; r < nrows; r++) {
        const sp_lp_row *row = &rows[r];
        if (row->n > 0 && (row->shift == NULL || row->day == NULL || row->coef == NULL))
            return sp__diag_set(diag, SP_EINVAL, "rows", (long long)r,
                                "row %zu: shift, day and coef must not be NULL", r);
        if (isnan(row->lo) || isnan(row->hi) || row->lo > row->hi ||
            row->lo == INFINITY || row->hi == -INFINITY)
            return sp__diag_set(diag, SP_EINVAL, "rows", (long long)r,
                                "row %zu: bounds must satisfy lo <= hi, got %g and %g", r,
                                row->lo, row->hi);
        for (size_t k = 0; k < row->n; k++) {
            if (row->shift[k] < 0 || (size_t)row->shift[k] >= p->shift_count ||
                row->day[k] < 0 || row->day[k] >= days)
                return sp__diag_set(diag, SP_EINVAL, "rows", (long long)r,
                                    "row %zu: entry %zu names shift %d on day %d, outside "
                                    "the %zu shifts and %lld days", r, k, row->shift[k],
                                    row->day[k], p->shift_count, days);
            if (!isfinite(row->coef[k]))
                return sp__diag_set(diag, SP_EINVAL, "rows", (long long)r,
                                    "row %zu: coefficient %zu is not finite", r, k);
        }
        total += row->n;
        if (total > (size_t)SP_SCHEDULE_MAX_MODEL)
            return sp__diag_set(diag, SP_ETOOBIG, "rows", (long long)r,
                                "the rows hold more than %lld entries",
                                (long long)SP_SCHEDULE_MAX_MODEL);
    }
    work w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.t0 = sp__now();
    w.time_limit = lim.time_limit;
    w.cancel = lim.cancel;
    w.tree_bound = -INFINITY;
    rc = expand(&w, diag);
    if (rc != SP_OK) {
        work_free(&w);
        return rc;
    }
    size_t cells = p->shift_count * (size_t)days;
    int *map = malloc((cells > 0 ? cells : 1) * sizeof *map);
    if (map == NULL) {
        work_free(&w);
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    }
    for (size_t c = 0; c < cells; c++)
        map[c] = -1;
    for (int s = 0; s < w.S; s++) {
        long long day = w.starts[s].minute / 1440;
        if (day >= 0 && day < days)
            map[(long long)w.starts[s].shift * days + day] = s;
    }
    side_lp_job job = {&w, rows, nrows, map, days, NAN, x};
    sp__glpk_log log;
    rc = sp__glpk_run(side_lp_task, &job, &log);
    free(map);
    if (rc == SP_OK && isfinite(job.value))
        *bound = fmax(0.0, round_bound(&w, job.value));
    work_free(&w);
    if (rc == SP_ENOMEM)
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    if (rc != SP_OK)
        return sp__diag_set(diag, rc, "glpk", -1, "%s", log.error);
    return SP_OK;
}
