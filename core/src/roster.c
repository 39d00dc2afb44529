/* Roster: named agents on shifts, every hard rule kept (docs/roster-format.md). */
#define _POSIX_C_SOURCE 200809L

#include <float.h>
#include <glpk.h>
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"
#include "roster_internal.h"
#include "staffplan.h"

#define MAXB SP_SCHEDULE_MAX_BREAKS

const char *sp_roster_rule_name(int rule)
{
    switch (rule) {
#define SP__RULE_TEXT(name, code, text) \
    case code:                          \
        return text;
        SP_ROSTER_RULE_TABLE(SP__RULE_TEXT)
#undef SP__RULE_TEXT
    }
    return "unknown";
}

/* Rules a move may never break (the min rules are penalised instead). */
#define HARD_MASK                                                                        \
    ((1u << SP_RULE_ONE_PER_DAY) | (1u << SP_RULE_REST) | (1u << SP_RULE_CANNOT_FOLLOW) | \
     (1u << SP_RULE_MAX_SHIFTS) | (1u << SP_RULE_MAX_WEEK) | (1u << SP_RULE_MAX_MINUTES) | \
     (1u << SP_RULE_MAX_WORK) | (1u << SP_RULE_MAX_WEEKENDS))

static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return p;
    size_t n = *cap ? *cap * 2 : 16;
    while (n < need)
        n *= 2;
    void *q = realloc(p, n * size);
    if (q != NULL)
        *cap = n;
    return q;
}

int sp_roster_create(int days, int interval_minutes, int cyclic, int first_weekday,
                     sp_roster **out, sp_diag *diag)
{
    if (out == NULL)
        return sp__diag_set(diag, SP_EINVAL, "out", -1, "out must not be NULL");
    *out = NULL;
    if (interval_minutes <= 0 || 1440 % interval_minutes != 0)
        return sp__diag_set(diag, SP_EINVAL, "interval_minutes", -1,
                            "interval_minutes must divide 1440, got %d", interval_minutes);
    if (days <= 0 || days > 100000)
        return sp__diag_set(diag, SP_EINVAL, "days", -1, "days must be in [1, 100000], got %d",
                            days);
    if (first_weekday < 0 || first_weekday > 6)
        return sp__diag_set(diag, SP_EINVAL, "start_weekday", -1,
                            "first weekday must be in [0, 6], got %d", first_weekday);
    sp_roster *r = calloc(1, sizeof *r);
    if (r == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
    r->days = days;
    r->I = interval_minutes;
    r->cyclic = cyclic != 0;
    r->wd0 = first_weekday;
    r->per_day = 1440 / interval_minutes;
    r->T = (size_t)days * (size_t)r->per_day;
    *out = r;
    return SP_OK;
}

void sp_roster_free(sp_roster *r)
{
    if (r == NULL)
        return;
    for (int a = 0; a < r->A; a++) {
        free(r->ag[a].elig);
        free(r->ag[a].maxs);
        free(r->ag[a].req);
    }
    free(r->ag);
    free(r->st);
    free(r->len);
    free(r->nb);
    free(r->cost);
    free(r->dcost);
    free(r->bw);
    free(r->succ);
    free(r->req);
    free(r->cover);
    free(r);
}

int sp_roster_add_shift(sp_roster *r, const sp_shift *sh, sp_diag *diag)
{
    if (r == NULL || sh == NULL)
        return sp__diag_set(diag, SP_EINVAL, "shift", -1, "roster and shift must not be NULL");
    long long i = r->S;
    if (r->A > 0)
        return sp__diag_set(diag, SP_EINVAL, "shifts", i, "shifts must be added before agents");
    if (!sh->daily)
        return sp__diag_set(diag, SP_EINVAL, "daily", i, "roster shifts must be daily");
    if (sh->start < 0 || sh->start >= 1440 || sh->start % r->I)
        return sp__diag_set(diag, SP_EINVAL, "start", i,
                            "start must be a minute of the day on the interval grid, got %lld",
                            sh->start);
    if (sh->length <= 0 || sh->length > 1440 || sh->length % r->I)
        return sp__diag_set(diag, SP_EINVAL, "length", i,
                            "length must be a multiple of the interval in (0, 1440], got %d",
                            sh->length);
    if (!(sh->cost >= 0.0) || !isfinite(sh->cost))
        return sp__diag_set(diag, SP_EINVAL, "cost", i, "cost must be finite and >= 0");
    if (sh->break_count < 0 || sh->break_count > MAXB || (sh->break_count && !sh->breaks))
        return sp__diag_set(diag, SP_EINVAL, "breaks", i, "at most %d break windows", MAXB);
    int prev_end = 0;
    for (int k = 0; k < sh->break_count; k++) {
        const sp_break_window *b = &sh->breaks[k];
        char f[32];
        if (b->length <= 0 || b->length % r->I) {
            snprintf(f, sizeof f, "breaks[%d].length", k);
            return sp__diag_set(diag, SP_EINVAL, f, i, "must be a positive multiple of the interval");
        }
        if (b->earliest < prev_end || b->earliest % r->I || b->latest % r->I ||
            b->latest < b->earliest) {
            snprintf(f, sizeof f, "breaks[%d].earliest", k);
            return sp__diag_set(diag, SP_EINVAL, f, i,
                                "windows must be on the grid, sorted and not overlapping");
        }
        if (b->latest + b->length > sh->length) {
            snprintf(f, sizeof f, "breaks[%d].latest", k);
            return sp__diag_set(diag, SP_EINVAL, f, i, "the break must end within the shift");
        }
        prev_end = b->latest + b->length;
    }
    size_t cap = (size_t)r->cap_s;
    if ((size_t)r->S + 1 > cap) {
        size_t n = cap ? cap * 2 : 16;
        int *st = realloc(r->st, n * sizeof *st);
        if (st) r->st = st;
        int *len = realloc(r->len, n * sizeof *len);
        if (len) r->len = len;
        int *nb = realloc(r->nb, n * sizeof *nb);
        if (nb) r->nb = nb;
        double *cost = realloc(r->cost, n * sizeof *cost);
        if (cost) r->cost = cost;
        double *dcost = realloc(r->dcost, n * 7 * sizeof *dcost);
        if (dcost) r->dcost = dcost;
        sp_break_window *bw = realloc(r->bw, n * MAXB * sizeof *bw);
        if (bw) r->bw = bw;
        if (!st || !len || !nb || !cost || !dcost || !bw)
            return sp__diag_set(diag, SP_ENOMEM, "shifts", i, "out of memory");
        r->cap_s = (int)n;
    }
    int s = r->S++;
    r->st[s] = (int)sh->start;
    r->len[s] = sh->length;
    r->nb[s] = sh->break_count;
    r->cost[s] = sh->cost;
    for (int k = 0; k < 7; k++)
        r->dcost[s * 7 + k] = sh->cost;
    for (int k = 0; k < sh->break_count; k++)
        r->bw[s * MAXB + k] = sh->breaks[k];
    return SP_OK;
}

int sp_roster_set_shift_day_costs(sp_roster *r, int shift, const double *day_costs,
                                  sp_diag *diag)
{
    if (r == NULL || day_costs == NULL)
        return sp__diag_set(diag, SP_EINVAL, "shift", -1, "roster and day_costs must not be NULL");
    if (shift < 0 || shift >= r->S)
        return sp__diag_set(diag, SP_EINVAL, "shift", shift, "no shift number %d", shift);
    for (int k = 0; k < 7; k++)
        if (!isfinite(day_costs[k]) || day_costs[k] < 0.0 || day_costs[k] > 1e12) {
            char f[32];
            snprintf(f, sizeof f, "day_costs[%d]", k);
            return sp__diag_set(diag, SP_EINVAL, f, shift,
                                "a cost must be finite, >= 0 and <= 1e12, got %g", day_costs[k]);
        }
    memcpy(&r->dcost[shift * 7], day_costs, 7 * sizeof *day_costs);
    r->day_costs = 1;
    return SP_OK;
}

int sp_roster_forbid_succession(sp_roster *r, int previous, int shift, sp_diag *diag)
{
    if (r == NULL)
        return sp__diag_set(diag, SP_EINVAL, "roster", -1, "roster must not be NULL");
    if (previous < 0 || previous >= r->S || shift < 0 || shift >= r->S)
        return sp__diag_set(diag, SP_EINVAL, "cannot_follow", shift,
                            "shift numbers must be < %d", r->S);
    int *p = grow(r->succ, &r->cap_succ, 2 * (r->nsucc + 1), sizeof(int));
    if (p == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "cannot_follow", -1, "out of memory");
    r->succ = p;
    r->succ[2 * r->nsucc] = previous;
    r->succ[2 * r->nsucc + 1] = shift;
    r->nsucc++;
    return SP_OK;
}

int sp_roster_set_required(sp_roster *r, const double *required, double under, double over,
                           sp_diag *diag)
{
    if (r == NULL || required == NULL)
        return sp__diag_set(diag, SP_EINVAL, "required", -1, "must not be NULL");
    for (size_t t = 0; t < r->T; t++)
        if (!(required[t] >= 0.0) || !isfinite(required[t]))
            return sp__diag_set(diag, SP_EINVAL, "required", (long long)t,
                                "required heads must be finite and >= 0");
    if (!(under >= 0.0) || !isfinite(under))
        return sp__diag_set(diag, SP_EINVAL, "under_staffing_cost", -1, "must be finite, >= 0");
    if (!(over >= 0.0) || !isfinite(over))
        return sp__diag_set(diag, SP_EINVAL, "over_staffing_cost", -1, "must be finite, >= 0");
    double *q = malloc(r->T * sizeof *q);
    if (q == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "required", -1, "out of memory");
    memcpy(q, required, r->T * sizeof *q);
    free(r->req);
    r->req = q;
    r->under = under;
    r->over = over;
    return SP_OK;
}

int sp_roster_set_cover(sp_roster *r, size_t count, const sp_roster_cover *cover,
                        sp_diag *diag)
{
    if (r == NULL || (count > 0 && cover == NULL))
        return sp__diag_set(diag, SP_EINVAL, "cover", -1, "must not be NULL");
    for (size_t i = 0; i < count; i++) {
        const sp_roster_cover *c = &cover[i];
        if (c->day < 0 || c->day >= r->days)
            return sp__diag_set(diag, SP_EINVAL, "day", (long long)i, "day out of range");
        if (c->shift < 0 || c->shift >= r->S)
            return sp__diag_set(diag, SP_EINVAL, "shift", (long long)i, "unknown shift");
        if (c->required < 0 || c->required > (1LL << 40))
            return sp__diag_set(diag, SP_EINVAL, "required", (long long)i, "out of range");
        if (!(c->under_cost >= 0.0) || !isfinite(c->under_cost))
            return sp__diag_set(diag, SP_EINVAL, "under_cost", (long long)i, "must be >= 0");
        if (!(c->over_cost >= 0.0) || !isfinite(c->over_cost))
            return sp__diag_set(diag, SP_EINVAL, "over_cost", (long long)i, "must be >= 0");
        for (size_t j = 0; j < i; j++)
            if (cover[j].day == c->day && cover[j].shift == c->shift)
                return sp__diag_set(diag, SP_EINVAL, "shift", (long long)i,
                                    "the shift and day are listed twice");
    }
    sp_roster_cover *q = malloc((count ? count : 1) * sizeof *q);
    if (q == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "cover", -1, "out of memory");
    if (count)
        memcpy(q, cover, count * sizeof *q);
    free(r->cover);
    r->cover = q;
    r->ncover = count;
    return SP_OK;
}

int sp_roster_add_agent(sp_roster *r, const sp_roster_agent *a, sp_diag *diag)
{
    if (r == NULL || a == NULL)
        return sp__diag_set(diag, SP_EINVAL, "agent", -1, "must not be NULL");
    long long i = r->A;
    if (r->A >= SP_ROSTER_MAX_AGENTS ||
        (long long)(r->A + 1) * r->days * r->S > SP_ROSTER_MAX_CELLS)
        return sp__diag_set(diag, SP_ETOOBIG, "agents", i,
                            "at most %d agents and %lld agent-day-shift cells are supported",
                            SP_ROSTER_MAX_AGENTS, SP_ROSTER_MAX_CELLS);
    if (a->request_count > SP_ROSTER_MAX_REQUESTS)
        return sp__diag_set(diag, SP_ETOOBIG, "requests", i,
                            "at most %d requests per agent are supported", SP_ROSTER_MAX_REQUESTS);
    if (!isnan(a->cost_per_hour) && (!(a->cost_per_hour >= 0.0) ||
                                     !(a->cost_per_hour <= SP_ROSTER_MAX_COST)))
        return sp__diag_set(diag, SP_EINVAL, "cost_per_hour", i, "must be finite, >= 0 and <= %g",
                            SP_ROSTER_MAX_COST);
    size_t DS = (size_t)r->days * (size_t)r->S;
    if (a->eligible)
        for (size_t k = 0; k < DS; k++)
            if (a->eligible[k] > SP_RULE_AVAILABILITY)
                return sp__diag_set(diag, SP_EINVAL, "eligible", i,
                                    "eligibility codes are 0..%d", SP_RULE_AVAILABILITY);
    if (a->request_count < 0 || (a->request_count > 0 && a->requests == NULL))
        return sp__diag_set(diag, SP_EINVAL, "requests", i, "bad request list");
    for (int k = 0; k < a->request_count; k++) {
        const sp_roster_request *q = &a->requests[k];
        if (q->day < 0 || q->day >= r->days || q->shift < -1 || q->shift >= r->S ||
            !(q->weight >= 0.0) || !(q->weight <= SP_ROSTER_MAX_COST))
            return sp__diag_set(diag, SP_EINVAL, "requests", i,
                                "request %d: day, shift or weight out of range", k);
    }
    if (r->A + 1 > r->cap_a) {
        size_t cap = (size_t)r->cap_a;
        agent_rec *p = grow(r->ag, &cap, (size_t)r->A + 1, sizeof *p);
        if (p == NULL)
            return sp__diag_set(diag, SP_ENOMEM, "agents", i, "out of memory");
        r->ag = p;
        r->cap_a = (int)cap;
    }
    agent_rec *g = &r->ag[r->A];
    memset(g, 0, sizeof *g);
    g->a = *a;
    if (a->eligible) {
        g->elig = malloc(DS ? DS : 1);
        if (g->elig == NULL)
            return sp__diag_set(diag, SP_ENOMEM, "agents", i, "out of memory");
        memcpy(g->elig, a->eligible, DS);
    }
    if (a->max_shifts) {
        g->maxs = malloc((size_t)(r->S ? r->S : 1) * sizeof(int));
        if (g->maxs == NULL) {
            free(g->elig);
            return sp__diag_set(diag, SP_ENOMEM, "agents", i, "out of memory");
        }
        memcpy(g->maxs, a->max_shifts, (size_t)r->S * sizeof(int));
    }
    if (a->request_count > 0) {
        g->req = malloc((size_t)a->request_count * sizeof *g->req);
        if (g->req == NULL) {
            free(g->elig);
            free(g->maxs);
            return sp__diag_set(diag, SP_ENOMEM, "agents", i, "out of memory");
        }
        memcpy(g->req, a->requests, (size_t)a->request_count * sizeof *g->req);
    }
    g->a.eligible = g->elig;
    g->a.max_shifts = g->maxs;
    g->a.requests = g->req;
    r->A++;
    return SP_OK;
}

/* ---------------------------------------------------------------------
 * Solve state
 * ------------------------------------------------------------------- */

typedef struct aev {
    unsigned mask; /* rules broken                     */
    double pen;    /* min-rule shortfall (hours, days) */
    double labor, req;
} aev;

typedef struct rs {
    const sp_roster *p;
    int D, S, A, I, per_day, nweeks;
    size_t T;
    int *day;   /* A * D */
    int *boff;  /* A * D * MAXB */
    long long *cov;
    long long *cnt;  /* D * S */
    double *ck, *cu, *co; /* cover targets per D * S, NULL without cover */
    unsigned char *cf;    /* S * S: cf[prev * S + s] */
    double *acost;        /* A * S: an agent's cost of a shift, before costs by day */
    double *dfac;         /* S * 7: day cost / cost; NULL without costs by day */
    aev *cur;             /* per agent */
    int *scratch;         /* S */
    double W;             /* weight of min-rule shortfall */
    double day_hours;     /* a day of stretch shortfall, in hours */
    double t0, time_limit;
    const volatile int *cancel;
    sp_progress *progress;
    int timed_out, cancelled;
    uint64_t rng;
} rs;


static int out_of_time(rs *w)
{
    return sp__stop_now(w->t0, w->time_limit, w->cancel, &w->cancelled, &w->timed_out);
}

static uint64_t rnd(rs *w)
{
    uint64_t x = w->rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return w->rng = x;
}

static inline int elig(const rs *w, int a, int d, int s)
{
    const unsigned char *e = w->p->ag[a].elig;
    return e ? e[(size_t)d * (size_t)w->S + (size_t)s] : 0;
}

static inline int weekday(const rs *w, int d) { return (w->p->wd0 + d) % 7; }

/* Agent a's labour cost of shift s (-1: none) on day d: the shift's cost
 * of the day, or the agent's pay scaled by the day's premium. */
static inline double lab(const rs *w, int a, int d, int s)
{
    if (s < 0)
        return 0.0;
    double c = w->acost[(size_t)a * w->S + s];
    if (w->dfac == NULL)
        return c;
    size_t k = (size_t)s * 7 + (size_t)(d % 7);
    return isnan(w->p->ag[a].a.cost_per_hour) ? w->p->dcost[k] : c * w->dfac[k];
}

/* Every rule of agent a on the day row `row`, from scratch: O(days). */
static void agent_eval(const rs *w, int a, const int *row, aev *e)
{
    const sp_roster *p = w->p;
    const sp_roster_agent *g = &p->ag[a].a;
    int D = w->D, S = w->S;
    unsigned mask = 0;
    double pen = 0.0, labor = 0.0, req = 0.0;
    long long tot = 0;
    int prev = -1, weekends = 0, last_wid = -1;
    int rest = g->min_rest > 0 ? g->min_rest : 0;
    int *cnt = w->scratch;
    if (g->max_shifts)
        memset(cnt, 0, (size_t)S * sizeof *cnt);
    for (int d = 0; d < D; d++) {
        int s = row[d];
        if (s < 0)
            continue;
        labor += lab(w, a, d, s);
        tot += p->len[s];
        if (g->max_shifts && g->max_shifts[s] >= 0 && ++cnt[s] > g->max_shifts[s])
            mask |= 1u << SP_RULE_MAX_SHIFTS;
        if (prev >= 0) {
            long long end = (long long)prev * 1440 + p->st[row[prev]] + p->len[row[prev]];
            if ((long long)d * 1440 + p->st[s] - end < rest)
                mask |= 1u << SP_RULE_REST;
            if (prev == d - 1 && w->cf[(size_t)row[prev] * S + s])
                mask |= 1u << SP_RULE_CANNOT_FOLLOW;
        }
        int wd = weekday(w, d);
        if (wd >= 5) {
            int wid = (d + p->wd0) / 7;
            if (wid != last_wid) {
                weekends++;
                last_wid = wid;
            }
        }
        prev = d;
    }
    if (g->max_weekends >= 0 && weekends > g->max_weekends)
        mask |= 1u << SP_RULE_MAX_WEEKENDS;
    if (g->max_minutes >= 0 && tot > g->max_minutes)
        mask |= 1u << SP_RULE_MAX_MINUTES;
    if (g->min_minutes >= 0 && tot < g->min_minutes) {
        mask |= 1u << SP_RULE_MIN_MINUTES;
        pen += (double)(g->min_minutes - tot) / 60.0;
    }
    if (g->max_week_minutes >= 0 || g->min_week_minutes >= 0) {
        for (int wk = 0; wk < w->nweeks; wk++) {
            long long m = 0;
            for (int d = 7 * wk; d < 7 * wk + 7; d++)
                if (row[d] >= 0)
                    m += p->len[row[d]];
            if (g->max_week_minutes >= 0 && m > g->max_week_minutes)
                mask |= 1u << SP_RULE_MAX_WEEK;
            if (g->min_week_minutes >= 0 && m < g->min_week_minutes) {
                mask |= 1u << SP_RULE_MIN_WEEK;
                pen += (double)(g->min_week_minutes - m) / 60.0;
            }
        }
    }
    /* Stretches: maximal runs of working days and of days off. */
    for (int d = 0; d < D;) {
        int working = row[d] >= 0, e = d;
        while (e < D && (row[e] >= 0) == working)
            e++;
        int len = e - d, inner = d > 0 && e < D;
        if (working) {
            if (g->max_work_days >= 0 && len > g->max_work_days)
                mask |= 1u << SP_RULE_MAX_WORK;
            if (inner && g->min_work_days > 0 && len < g->min_work_days) {
                mask |= 1u << SP_RULE_MIN_WORK;
                pen += (g->min_work_days - len) * w->day_hours;
            }
        } else if (inner && g->min_days_off > 0 && len < g->min_days_off) {
            mask |= 1u << SP_RULE_MIN_OFF;
            pen += (g->min_days_off - len) * w->day_hours;
        }
        d = e;
    }
    for (int k = 0; k < g->request_count; k++) {
        const sp_roster_request *q = &g->requests[k];
        int s = row[q->day];
        int hit = q->shift < 0 ? s >= 0 : s == q->shift;
        if (q->work ? !hit : hit)
            req += q->weight;
    }
    e->mask = mask;
    e->pen = pen;
    e->labor = labor;
    e->req = req;
}

static inline double aval(const rs *w, const aev *e) { return e->labor + e->req + w->W * e->pen; }

/* Interval of index j (from the horizon start), or -1 beyond a non-cyclic
 * horizon. */
static inline long long wrap(const rs *w, long long j)
{
    if (j < (long long)w->T)
        return j;
    return w->p->cyclic ? j - (long long)w->T : -1;
}

static inline double fcost(const rs *w, long long t, long long c)
{
    double r = w->p->req[t], x = (double)c;
    return x < r ? w->p->under * (r - x) : w->p->over * (x - r);
}

static inline double marg(const rs *w, long long t, int sign)
{
    return fcost(w, t, w->cov[t] + sign) - fcost(w, t, w->cov[t]);
}

static inline long long first_iv(const rs *w, int s, int d)
{
    return ((long long)d * 1440 + w->p->st[s]) / w->I;
}

/* Sum of marg over [j0, j0 + n) intervals from the horizon start. */
static double range_marg(const rs *w, long long j0, int n, int sign)
{
    double sum = 0.0;
    for (int j = 0; j < n; j++) {
        long long t = wrap(w, j0 + j);
        if (t >= 0)
            sum += marg(w, t, sign);
    }
    return sum;
}

static void range_apply(rs *w, long long j0, int n, int sign)
{
    for (int j = 0; j < n; j++) {
        long long t = wrap(w, j0 + j);
        if (t >= 0)
            w->cov[t] += sign;
    }
}

/* Best offset of break k of shift s started on day d, for a person being
 * added (sign +1: the break where covering helps least) or already counted
 * (sign -1: the break where leaving hurts least). */
static int best_offset(const rs *w, int s, int d, int k, int sign, double *gain)
{
    const sp_break_window *b = &w->p->bw[s * MAXB + k];
    long long j0 = first_iv(w, s, d);
    int best = b->earliest;
    double bv = 0.0;
    int have = 0;
    for (int o = b->earliest; o <= b->latest; o += w->I) {
        double v = range_marg(w, j0 + o / w->I, b->length / w->I, sign);
        /* sign +1: maximise what the break saves; -1: minimise the loss */
        double score = sign > 0 ? -v : v;
        if (!have || score < bv - 1e-12) {
            bv = score;
            best = o;
            have = 1;
        }
    }
    if (gain)
        *gain = sign > 0 ? -bv : bv;
    return best;
}

/* Objective change of adding a person on s, day d (breaks chosen into
 * offs); coverage terms only. */
static double add_delta(const rs *w, int s, int d, int *offs)
{
    const sp_roster *p = w->p;
    memset(offs, 0, MAXB * sizeof *offs);
    for (int k = 0; k < p->nb[s]; k++)
        offs[k] = p->bw[s * MAXB + k].earliest;
    if (p->req == NULL)
        return 0.0;
    double sum = range_marg(w, first_iv(w, s, d), p->len[s] / w->I, +1);
    for (int k = 0; k < p->nb[s]; k++) {
        double g;
        offs[k] = best_offset(w, s, d, k, +1, &g);
        sum -= g;
    }
    return sum;
}

static double drop_delta(const rs *w, int s, int d, const int *offs)
{
    const sp_roster *p = w->p;
    if (p->req == NULL)
        return 0.0;
    long long j0 = first_iv(w, s, d);
    double sum = range_marg(w, j0, p->len[s] / w->I, -1);
    for (int k = 0; k < p->nb[s]; k++)
        sum -= range_marg(w, j0 + offs[k] / w->I, p->bw[s * MAXB + k].length / w->I, -1);
    return sum;
}

static double cover_cost(const rs *w, size_t i, long long c)
{
    double k = w->ck[i], x = (double)c;
    return x < k ? w->cu[i] * (k - x) : w->co[i] * (x - k);
}

static double cover_delta(const rs *w, int d, int s, int sign)
{
    if (w->ck == NULL)
        return 0.0;
    size_t i = (size_t)d * w->S + s;
    return cover_cost(w, i, w->cnt[i] + sign) - cover_cost(w, i, w->cnt[i]);
}

/* Puts a person on (or takes one off) the coverage, the counts. */
static void person_apply(rs *w, int s, int d, const int *offs, int sign)
{
    const sp_roster *p = w->p;
    w->cnt[(size_t)d * w->S + s] += sign;
    long long j0 = first_iv(w, s, d);
    range_apply(w, j0, p->len[s] / w->I, sign);
    for (int k = 0; k < p->nb[s]; k++)
        range_apply(w, j0 + offs[k] / w->I, p->bw[s * MAXB + k].length / w->I, -sign);
}

static int *boff(rs *w, int a, int d) { return &w->boff[((size_t)a * w->D + d) * MAXB]; }

static void assign(rs *w, int a, int d, int s, const int *offs)
{
    int *row = &w->day[(size_t)a * w->D];
    if (row[d] >= 0)
        person_apply(w, row[d], d, boff(w, a, d), -1);
    row[d] = s;
    if (s >= 0) {
        memcpy(boff(w, a, d), offs, MAXB * sizeof(int));
        person_apply(w, s, d, offs, +1);
    }
}

static double total(const rs *w, double *pen_out, sp_roster_result *res)
{
    const sp_roster *p = w->p;
    double under = 0, over = 0, cov = 0, labor = 0, req = 0, pen = 0, cover = 0;
    if (p->req)
        for (size_t t = 0; t < w->T; t++) {
            double r = p->req[t], x = (double)w->cov[t];
            if (x < r)
                under += r - x;
            else
                over += x - r;
            cov += fcost(w, (long long)t, w->cov[t]);
        }
    if (w->ck)
        for (size_t i = 0; i < (size_t)w->D * w->S; i++)
            cover += cover_cost(w, i, w->cnt[i]);
    for (int a = 0; a < w->A; a++) {
        labor += w->cur[a].labor;
        req += w->cur[a].req;
        pen += w->cur[a].pen;
    }
    if (pen_out)
        *pen_out = pen;
    if (res) {
        res->under_staffing = under;
        res->over_staffing = over;
        res->labor_cost = labor;
        res->request_penalty = req;
        res->cover_penalty = cover;
    }
    return cov + cover + labor + req;
}

static void publish(rs *w)
{
    sp_progress *pg = w->progress;
    if (pg == NULL)
        return;
    double pen;
    double obj = total(w, &pen, NULL);
    if (pen > 0)
        obj = NAN;
    double bound = -INFINITY, sec = sp__now() - w->t0;
    __atomic_store(&pg->objective, &obj, __ATOMIC_RELAXED);
    __atomic_store(&pg->bound, &bound, __ATOMIC_RELAXED);
    __atomic_store(&pg->seconds, &sec, __ATOMIC_RELAXED);
    __atomic_add_fetch(&pg->updates, 1, __ATOMIC_RELEASE);
}

/* ---------------------------------------------------------------------
 * Construction: the groups' people given out day by day, each to the
 * agent with the best score whose running state allows it (O(1) checks,
 * then one full check of the agent chosen).
 * ------------------------------------------------------------------- */

typedef struct fwd {
    int last;          /* last worked day, -1 */
    long long end;     /* its end, absolute minutes */
    int run;           /* working days in the run ending at `last` */
    long long tot;     /* minutes so far */
    int weekends, wid; /* weekends worked, the last one's id */
} fwd;

typedef struct slot {
    int shift, order;
    long long scarce;
    int offs[MAXB];
} slot;

static int slot_cmp(const void *x, const void *y)
{
    const slot *a = x, *b = y;
    if (a->scarce != b->scarce)
        return a->scarce < b->scarce ? -1 : 1;
    return a->order - b->order;
}

/* The best agent in [a0, a1) for a person of shift s on day d (lowest
 * index among equals), or -1; its score into *score. */
static int scan_agents(const rs *w, const fwd *f, const long long *wk_min, const int *scnt,
                       int d, int s, int a0, int a1, double B, double avg_len, double *score)
{
    const sp_roster *p = w->p;
    int D = w->D, S = w->S, len = p->len[s];
    int wk = d / 7, wkin = wk < w->nweeks;
    int best = -1;
    double bs = 0;
    for (int a = a0; a < a1; a++) {
        const sp_roster_agent *g = &p->ag[a].a;
        int *row = &w->day[(size_t)a * D];
        const fwd *fa = &f[a];
        if (row[d] >= 0 || elig(w, a, d, s))
            continue;
        long long st = (long long)d * 1440 + p->st[s];
        if (fa->last >= 0) {
            if (st - fa->end < (g->min_rest > 0 ? g->min_rest : 0))
                continue;
            if (fa->last == d - 1 && w->cf[(size_t)row[d - 1] * S + s])
                continue;
            if (fa->last < d - 1 && g->min_days_off > 0 &&
                d - 1 - fa->last < g->min_days_off)
                continue;
        }
        if (g->max_shifts && g->max_shifts[s] >= 0 &&
            scnt[(size_t)a * S + s] + 1 > g->max_shifts[s])
            continue;
        if (g->max_minutes >= 0 && fa->tot + len > g->max_minutes)
            continue;
        if (wkin && g->max_week_minutes >= 0 &&
            wk_min[(size_t)a * w->nweeks + wk] + len > g->max_week_minutes)
            continue;
        int run = fa->last == d - 1 ? fa->run + 1 : 1;
        if (g->max_work_days >= 0 && run > g->max_work_days)
            continue;
        if (weekday(w, d) >= 5 && g->max_weekends >= 0 &&
            (d + p->wd0) / 7 != fa->wid && fa->weekends + 1 > g->max_weekends)
            continue;
        double sc = lab(w, a, d, s);
        for (int k = 0; k < g->request_count; k++) {
            const sp_roster_request *q = &g->requests[k];
            if (q->day != d)
                continue;
            int hit = q->shift < 0 || q->shift == s;
            /* working s instead of being off */
            int was = q->work ? 1 : 0, now_pen = q->work ? !hit : hit;
            sc += q->weight * (now_pen - was);
        }
        if (g->min_minutes > 0 && fa->tot < g->min_minutes)
            sc -= B * fmin(2.0, (double)(g->min_minutes - fa->tot) /
                                    ((double)(D - d) * avg_len));
        if (wkin && g->min_week_minutes > 0) {
            long long m = wk_min[(size_t)a * w->nweeks + wk];
            if (m < g->min_week_minutes)
                sc -= B * fmin(2.0, (double)(g->min_week_minutes - m) /
                                        ((double)(7 * wk + 7 - d) * avg_len));
        }
        if (fa->last == d - 1 && g->min_work_days > 0 && fa->run < g->min_work_days)
            sc -= 4.0 * B;
        if (g->max_minutes > 0)
            sc += 0.1 * B * (double)fa->tot / (double)g->max_minutes;
        if (best < 0 || sc < bs) {
            best = a;
            bs = sc;
        }
    }
    *score = bs;
    return best;
}

static int construct(rs *w, size_t ng, const sp_shift_group *groups, long long *wk_min,
                     int *scnt)
{
    const sp_roster *p = w->p;
    int D = w->D, S = w->S, A = w->A;
    fwd *f = calloc((size_t)A, sizeof *f);
    long long *elig_count = calloc((size_t)S, sizeof *elig_count);
    size_t cap = 0;
    slot *sl = NULL;
    if (f == NULL || elig_count == NULL) {
        free(f);
        free(elig_count);
        return SP_ENOMEM;
    }
    for (int a = 0; a < A; a++)
        f[a].last = f[a].wid = -1;
    double maxc = 1.0, avg_len = 0.0;
    for (int s = 0; s < S; s++) {
        avg_len += p->len[s];
        for (int a = 0; a < A; a++)
            for (int d = 0; d < 7; d++)
                maxc = fmax(maxc, lab(w, a, d, s));
    }
    avg_len = S ? avg_len / S : 480.0;
    double B = 2.0 * maxc;
    int rc = SP_OK;
    for (int d = 0; d < D && rc == SP_OK; d++) {
        size_t n = 0;
        for (int s = 0; s < S; s++) {
            long long ec = 0;
            for (int a = 0; a < A; a++)
                ec += elig(w, a, d, s) == 0;
            elig_count[s] = ec;
        }
        for (size_t gi = 0; gi < ng && rc == SP_OK; gi++) {
            const sp_shift_group *g = &groups[gi];
            if (g->start / 1440 != d)
                continue;
            for (long long k = 0; k < g->count; k++) {
                slot *q = grow(sl, &cap, n + 1, sizeof *sl);
                if (q == NULL) {
                    rc = SP_ENOMEM;
                    break;
                }
                sl = q;
                slot *x = &sl[n];
                x->shift = g->shift;
                x->order = (int)n;
                x->scarce = elig_count[g->shift];
                memcpy(x->offs, g->break_offset, sizeof x->offs);
                n++;
            }
        }
        if (rc != SP_OK)
            break;
        if (n > 1)
            qsort(sl, n, sizeof *sl, slot_cmp);
        int wk = d / 7, wkin = wk < w->nweeks;
        for (size_t i = 0; i < n; i++) {
            int s = sl[i].shift, len = p->len[s];
            int best = -1;
            double bs = 0;
            best = scan_agents(w, f, wk_min, scnt, d, s, 0, A, B, avg_len, &bs);
            if (best < 0)
                continue;
            assign(w, best, d, s, sl[i].offs);
            fwd *fa = &f[best];
            fa->run = fa->last == d - 1 ? fa->run + 1 : 1;
            fa->last = d;
            fa->end = (long long)d * 1440 + p->st[s] + len;
            fa->tot += len;
            if (wkin)
                wk_min[(size_t)best * w->nweeks + wk] += len;
            scnt[(size_t)best * S + s]++;
            if (weekday(w, d) >= 5 && (d + p->wd0) / 7 != fa->wid) {
                fa->wid = (d + p->wd0) / 7;
                fa->weekends++;
            }
        }
        if (out_of_time(w))
            break;
    }
    free(sl);
    free(f);
    free(elig_count);
    return rc;
}

/* ---------------------------------------------------------------------
 * Local search
 * ------------------------------------------------------------------- */

enum { MV_NONE, MV_SET, MV_SWAP, MV_MOVE };

typedef struct move {
    int kind, shift, other;
    double delta;
    int offs[MAXB];
    aev ea, eb;
} move;

#define EPS 1e-9
#define PARTNERS 8

/* The most agent a's request penalty can fall by changing day d. */
static double req_day(const rs *w, int a, int d)
{
    const sp_roster_agent *g = &w->p->ag[a].a;
    double sum = 0.0;
    for (int k = 0; k < g->request_count; k++)
        if (g->requests[k].day == d)
            sum += g->requests[k].weight;
    return sum;
}

static void consider_partner(rs *w, int a, int d, int b, move *m)
{
    int D = w->D;
    int *row = &w->day[(size_t)a * D], *rowb = &w->day[(size_t)b * D];
    int cur = row[d], cb = rowb[d];
    if (b == a || cb == cur || (cur >= 0 && elig(w, b, d, cur)) ||
        (cb >= 0 && elig(w, a, d, cb)))
        return;
    /* Without min-rule shortfall the change can gain no more than its
     * labour difference and the day's requests: skip hopeless pairs. */
    if (w->cur[a].pen <= 0 && w->cur[b].pen <= 0 &&
        lab(w, a, d, cb) - lab(w, a, d, cur) + lab(w, b, d, cur) - lab(w, b, d, cb) -
                req_day(w, a, d) -
                req_day(w, b, d) >= m->delta)
        return;
    aev ea, eb;
    row[d] = cb;
    rowb[d] = cur;
    agent_eval(w, a, row, &ea);
    agent_eval(w, b, rowb, &eb);
    row[d] = cur;
    rowb[d] = cb;
    if (((ea.mask | eb.mask) & HARD_MASK) || ea.pen > w->cur[a].pen + EPS ||
        eb.pen > w->cur[b].pen + EPS)
        return;
    double dl = aval(w, &ea) + aval(w, &eb) - aval(w, &w->cur[a]) - aval(w, &w->cur[b]);
    if (dl < m->delta) {
        m->kind = MV_SWAP;
        m->other = b;
        m->delta = dl;
        m->ea = ea;
        m->eb = eb;
    }
}

/* Tries every change of agent a's day d; applies the best that lowers the
 * objective.  Returns 1 when it did. */
static int improve_agent_day(rs *w, int a, int d, const int *needy, int nneedy)
{
    int D = w->D, S = w->S;
    int *row = &w->day[(size_t)a * D];
    int cur = row[d];
    double base = aval(w, &w->cur[a]);
    move m = {.kind = MV_NONE, .delta = -EPS};
    aev e;
    int offs[MAXB];
    double dd = 0.0;
    int cur_offs[MAXB];
    /* Lower bounds on a change's gain prune candidates (agents without
     * min-rule shortfall: their rule part can only grow). */
    int prune = w->cur[a].pen <= 0;
    double rq = prune ? req_day(w, a, d) : 0.0, lab_cur = lab(w, a, d, cur);
    if (cur >= 0) {
        memcpy(cur_offs, boff(w, a, d), sizeof cur_offs);
        dd = drop_delta(w, cur, d, cur_offs) + cover_delta(w, d, cur, -1);
        row[d] = -1;
        agent_eval(w, a, row, &e);
        if (!(e.mask & HARD_MASK) && e.pen <= w->cur[a].pen + EPS &&
            aval(w, &e) - base + dd < m.delta) {
            m.kind = MV_SET;
            m.shift = -1;
            m.delta = aval(w, &e) - base + dd;
            m.ea = e;
        }
        person_apply(w, cur, d, cur_offs, -1);
    }
    for (int s = 0; s < S; s++) {
        if (s == cur || elig(w, a, d, s))
            continue;
        double cd = add_delta(w, s, d, offs) + cover_delta(w, d, s, +1);
        if (prune && lab(w, a, d, s) - lab_cur - rq + dd + cd >= m.delta)
            continue;
        row[d] = s;
        agent_eval(w, a, row, &e);
        if ((e.mask & HARD_MASK) || e.pen > w->cur[a].pen + EPS)
            continue;
        double dl = aval(w, &e) - base + dd + cd;
        if (dl < m.delta) {
            m.kind = MV_SET;
            m.shift = s;
            m.delta = dl;
            m.ea = e;
            memcpy(m.offs, offs, sizeof offs);
        }
    }
    row[d] = cur;
    if (cur >= 0) {
        /* The same shift on another day off of the agent's; any shift
         * there for an agent still short of a min rule. */
        int wide = w->cur[a].pen > 0;
        for (int d2 = 0; d2 < D; d2++)
            for (int s2 = wide ? 0 : cur; s2 < (wide ? S : cur + 1); s2++) {
                if (row[d2] >= 0 || elig(w, a, d2, s2))
                    continue;
                double cd = add_delta(w, s2, d2, offs) + cover_delta(w, d2, s2, +1);
                if (prune &&
                    lab(w, a, d2, s2) - lab_cur - rq - req_day(w, a, d2) + dd + cd >= m.delta)
                    continue;
                row[d] = -1;
                row[d2] = s2;
                agent_eval(w, a, row, &e);
                row[d] = cur;
                row[d2] = -1;
                if ((e.mask & HARD_MASK) || e.pen > w->cur[a].pen + EPS)
                    continue;
                double dl = aval(w, &e) - base + dd + cd;
                if (dl < m.delta) {
                    m.kind = MV_MOVE;
                    m.other = d2;
                    m.shift = s2;
                    m.delta = dl;
                    m.ea = e;
                    memcpy(m.offs, offs, sizeof offs);
                }
            }
        person_apply(w, cur, d, cur_offs, +1);
    }
    /* An agent short of a minimum also tries to take a shift from (or swap
     * with) many agents working that day. */
    int tries = w->cur[a].pen > 0 ? 8 * PARTNERS : PARTNERS;
    if (cur >= 0 || nneedy > 0 || w->cur[a].pen > 0) {
        for (int k = 0; k < tries; k++)
            consider_partner(w, a, d, (int)(rnd(w) % (uint64_t)w->A), &m);
        for (int k = 0; k < nneedy; k++)
            consider_partner(w, a, d, needy[k], &m);
    }
    if (m.kind == MV_NONE)
        return 0;
    if (m.kind == MV_SET) {
        assign(w, a, d, m.shift, m.offs);
        w->cur[a] = m.ea;
    } else if (m.kind == MV_MOVE) {
        assign(w, a, d, -1, NULL);
        assign(w, a, m.other, m.shift, m.offs);
        w->cur[a] = m.ea;
    } else {
        int b = m.other;
        int *rowb = &w->day[(size_t)b * D];
        int tmp[MAXB];
        memcpy(tmp, boff(w, a, d), sizeof tmp);
        memcpy(boff(w, a, d), boff(w, b, d), sizeof tmp);
        memcpy(boff(w, b, d), tmp, sizeof tmp);
        int cb = rowb[d];
        rowb[d] = row[d];
        row[d] = cb;
        w->cur[a] = m.ea;
        w->cur[b] = m.eb;
    }
    return 1;
}

/* Moves each break of every worked shift to its best offset. */
static int improve_breaks(rs *w)
{
    const sp_roster *p = w->p;
    if (p->req == NULL)
        return 0;
    int moved = 0;
    for (int a = 0; a < w->A; a++)
        for (int d = 0; d < w->D; d++) {
            int s = w->day[(size_t)a * w->D + d];
            if (s < 0)
                continue;
            int *o = boff(w, a, d);
            long long j0 = first_iv(w, s, d);
            for (int k = 0; k < p->nb[s]; k++) {
                int bl = p->bw[s * MAXB + k].length / w->I;
                double back = range_marg(w, j0 + o[k] / w->I, bl, +1);
                range_apply(w, j0 + o[k] / w->I, bl, +1);
                double loss;
                int no = best_offset(w, s, d, k, -1, &loss);
                if (no != o[k] && back + loss < -EPS) {
                    o[k] = no;
                    moved++;
                }
                range_apply(w, j0 + o[k] / w->I, bl, -1);
            }
        }
    return moved;
}

/* Coverage change of setting agent a's days d1 and d2 (d2 may be -1) to
 * s1 and s2, offsets into o1, o2.  The state is left as it was. */
static double pair_cov_delta(rs *w, int a, int d1, int s1, int d2, int s2, int *o1, int *o2)
{
    int *row = &w->day[(size_t)a * w->D];
    int c1 = row[d1], c2 = d2 >= 0 ? row[d2] : -1;
    int k1[MAXB], k2[MAXB];
    double sum = 0.0;
    if (c1 >= 0) {
        memcpy(k1, boff(w, a, d1), sizeof k1);
        sum += drop_delta(w, c1, d1, k1) + cover_delta(w, d1, c1, -1);
        person_apply(w, c1, d1, k1, -1);
    }
    if (c2 >= 0) {
        memcpy(k2, boff(w, a, d2), sizeof k2);
        sum += drop_delta(w, c2, d2, k2) + cover_delta(w, d2, c2, -1);
        person_apply(w, c2, d2, k2, -1);
    }
    if (s1 >= 0) {
        sum += add_delta(w, s1, d1, o1) + cover_delta(w, d1, s1, +1);
        person_apply(w, s1, d1, o1, +1);
    }
    if (d2 >= 0 && s2 >= 0)
        sum += add_delta(w, s2, d2, o2) + cover_delta(w, d2, s2, +1);
    if (s1 >= 0)
        person_apply(w, s1, d1, o1, -1);
    if (c2 >= 0)
        person_apply(w, c2, d2, k2, +1);
    if (c1 >= 0)
        person_apply(w, c1, d1, k1, +1);
    return sum;
}

/*
 * The best change of one or two of agent a's days at most `span` apart
 * (any shift or off on each), by the min-rule shortfall first and the
 * objective second.  Applies it when the shortfall falls, or stays and the
 * objective falls; returns 1 then.  O(days span shifts^2) agent checks:
 * run for the agents the local search leaves short of a min rule, and for
 * every agent once single moves are exhausted, while time remains.
 */
static int repair_agent(rs *w, int a, int span)
{
    int D = w->D, S = w->S;
    int *row = &w->day[(size_t)a * D];
    double best_pen = w->cur[a].pen, best_val = INFINITY;
    int bd1 = -1, bs1 = -1, bd2 = -1, bs2 = -1;
    int o1[MAXB], o2[MAXB];
    aev e, be = w->cur[a];
    for (int d1 = 0; d1 < D; d1++)
        for (int d2 = d1; d2 < D && d2 <= d1 + span; d2++) {
            int c1 = row[d1], c2 = row[d2];
            for (int s1 = -1; s1 < S; s1++) {
                if (s1 == c1 || (s1 >= 0 && elig(w, a, d1, s1)))
                    continue;
                for (int s2 = d2 == d1 ? c2 : -1; s2 < (d2 == d1 ? c2 + 1 : S); s2++) {
                    if (d2 != d1 && (s2 == c2 || (s2 >= 0 && elig(w, a, d2, s2))))
                        continue;
                    row[d1] = s1;
                    if (d2 != d1)
                        row[d2] = s2;
                    agent_eval(w, a, row, &e);
                    row[d1] = c1;
                    row[d2] = c2;
                    if ((e.mask & HARD_MASK) || e.pen > best_pen + EPS)
                        continue;
                    double v = aval(w, &e) +
                               pair_cov_delta(w, a, d1, s1, d2 != d1 ? d2 : -1, s2, o1, o2);
                    if (e.pen < best_pen - EPS || v < best_val) {
                        best_pen = e.pen;
                        best_val = v;
                        bd1 = d1;
                        bs1 = s1;
                        bd2 = d2 != d1 ? d2 : -1;
                        bs2 = s2;
                        be = e;
                    }
                }
            }
        }
    if (bd1 < 0 || !(best_pen < w->cur[a].pen - EPS ||
                     (best_pen <= w->cur[a].pen + EPS && best_val < aval(w, &w->cur[a]) - EPS)))
        return 0;
    pair_cov_delta(w, a, bd1, bs1, bd2, bs2, o1, o2);
    assign(w, a, bd1, -1, NULL);
    if (bd2 >= 0)
        assign(w, a, bd2, -1, NULL);
    if (bs1 >= 0) {
        int k[MAXB];
        add_delta(w, bs1, bd1, k);
        assign(w, a, bd1, bs1, k);
    }
    if (bd2 >= 0 && bs2 >= 0) {
        int k[MAXB];
        add_delta(w, bs2, bd2, k);
        assign(w, a, bd2, bs2, k);
    }
    w->cur[a] = be;
    return 1;
}

/* ---------------------------------------------------------------------
 * Per-agent feasibility: every rule is per agent, so an agent that can be
 * rostered alone gets a row keeping all of its own rules (hard and
 * minimum) from a depth-first search over its days, the rule state carried
 * along (last shift and its end, stretch lengths, week and horizon
 * minutes, shift counts, weekends).  Shifts are tried by their value to
 * the objective given everyone else's roster; the search is bounded by a
 * node budget and a time check.
 * ------------------------------------------------------------------- */

typedef struct fz {
    rs *w;
    int a;
    const sp_roster_agent *g;
    int *row, *cnt;    /* row: D; cnt: S shift counts                    */
    long long *wkm;    /* minutes per whole week                         */
    const int *cand;   /* D * (S + 1) candidates per day, best first     */
    const int *ncand;  /* D                                              */
    const int *left;   /* D + 1: days from d on with an eligible shift   */
    int maxlen;        /* longest shift the agent may work               */
    long long nodes, budget;
    int work_first;
    uint64_t *memo;    /* FZ_MEMO keys of states known to fail, 0: empty */
} fz;

#define FZ_MEMO (1u << 16)

static inline uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    h *= 0xff51afd7ed558ccdULL;
    return h ^ (h >> 33);
}

/* The search state from day d on (everything the rules can still see). */
static uint64_t fz_key(const fz *z, int d, int last, int run, int off, int off_inner,
                       long long tot, int weekends, int wid)
{
    const rs *w = z->w;
    uint64_t h = mix(0x51ed270b27c9f3a1ULL, (uint64_t)d);
    h = mix(h, (uint64_t)(last + 1));
    h = mix(h, last >= 0 ? (uint64_t)z->row[last] : 0);
    h = mix(h, (uint64_t)run);
    h = mix(h, (uint64_t)off * 2 + (uint64_t)off_inner);
    h = mix(h, (uint64_t)tot);
    h = mix(h, d / 7 < w->nweeks ? (uint64_t)z->wkm[d / 7] : 0);
    h = mix(h, (uint64_t)weekends * 64 + (uint64_t)(wid + 1));
    if (z->g->max_shifts)
        for (int s = 0; s < w->S; s++)
            h = mix(h, (uint64_t)z->cnt[s]);
    return h ? h : 1;
}

static int fz_seen(const fz *z, uint64_t k)
{
    for (uint32_t i = (uint32_t)k & (FZ_MEMO - 1), n = 0; n < 64; n++, i = (i + 1) & (FZ_MEMO - 1)) {
        if (z->memo[i] == k)
            return 1;
        if (z->memo[i] == 0)
            return 0;
    }
    return 0;
}

static void fz_fail(fz *z, uint64_t k)
{
    for (uint32_t i = (uint32_t)k & (FZ_MEMO - 1), n = 0; n < 64; n++, i = (i + 1) & (FZ_MEMO - 1))
        if (z->memo[i] == 0) {
            z->memo[i] = k;
            return;
        }
}

/* Most working days in r days when runs are at most k long. */
static long long max_workdays(long long r, int k)
{
    if (k < 0)
        return r;
    return r - r / (k + 1);
}

static int fz_dfs(fz *z, int d, int last, long long end, int run, int off, int off_inner,
                  long long tot, int weekends, int wid)
{
    rs *w = z->w;
    const sp_roster *p = w->p;
    const sp_roster_agent *g = z->g;
    int D = w->D, S = w->S;
    if (++z->nodes > z->budget)
        return -1;
    if (d > 0 && d % 7 == 0 && d / 7 - 1 < w->nweeks && g->min_week_minutes > 0 &&
        z->wkm[d / 7 - 1] < g->min_week_minutes)
        return 0;
    if (d == D)
        return g->min_minutes < 0 || tot >= g->min_minutes;
    /* Bounds on what the rest of the horizon and this week can add. */
    long long r = max_workdays(D - d, g->max_work_days);
    if (r > z->left[d])
        r = z->left[d];
    if (g->min_minutes > 0 && tot + r * z->maxlen < g->min_minutes)
        return 0;
    int wk = d / 7;
    if (wk < w->nweeks && g->min_week_minutes > 0) {
        long long rw = max_workdays(7 * wk + 7 - d, g->max_work_days);
        long long lw = z->left[d] - z->left[7 * wk + 7];
        if (z->wkm[wk] + (rw < lw ? rw : lw) * z->maxlen < g->min_week_minutes)
            return 0;
    }
    uint64_t key = fz_key(z, d, last, run, off, off_inner, tot, weekends, wid);
    if (fz_seen(z, key))
        return 0;
    int rest = g->min_rest > 0 ? g->min_rest : 0;
    int n = z->ncand[d];
    const int *c = &z->cand[(size_t)d * (S + 1)];
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < n; i++) {
            int s = c[i];
            /* work_first: shifts in value order, then off */
            if (z->work_first && (pass == 0) != (s >= 0))
                continue;
            if (!z->work_first && pass == 1)
                break;
            int rc;
            if (s < 0) {
                /* An inner working stretch ends here. */
                if (run > 0 && d - run > 0 && g->min_work_days > 0 && run < g->min_work_days)
                    continue;
                rc = fz_dfs(z, d + 1, last, end, 0, off + 1, run > 0 ? 1 : off_inner,
                            tot, weekends, wid);
            } else {
                int len = p->len[s];
                long long st = (long long)d * 1440 + p->st[s];
                if (last >= 0 && st - end < rest)
                    continue;
                if (last == d - 1 && last >= 0 && w->cf[(size_t)z->row[last] * S + s])
                    continue;
                if (off > 0 && off_inner && g->min_days_off > 0 && off < g->min_days_off)
                    continue;
                if (g->max_shifts && g->max_shifts[s] >= 0 && z->cnt[s] + 1 > g->max_shifts[s])
                    continue;
                if (g->max_minutes >= 0 && tot + len > g->max_minutes)
                    continue;
                if (wk < w->nweeks && g->max_week_minutes >= 0 &&
                    z->wkm[wk] + len > g->max_week_minutes)
                    continue;
                if (g->max_work_days >= 0 && run + 1 > g->max_work_days)
                    continue;
                int nwe = weekends, nwid = wid;
                if (weekday(w, d) >= 5 && (d + p->wd0) / 7 != wid) {
                    nwid = (d + p->wd0) / 7;
                    nwe++;
                    if (g->max_weekends >= 0 && nwe > g->max_weekends)
                        continue;
                }
                z->row[d] = s;
                z->cnt[s]++;
                if (wk < w->nweeks)
                    z->wkm[wk] += len;
                rc = fz_dfs(z, d + 1, d, st + len, run + 1, 0, 0, tot + len, nwe, nwid);
                z->cnt[s]--;
                if (wk < w->nweeks)
                    z->wkm[wk] -= len;
                if (rc == 0)
                    z->row[d] = -1;
            }
            if (rc != 0)
                return rc;
        }
    fz_fail(z, key);
    return 0;
}

/* Gives agent a a row keeping every rule of its own when the search finds
 * one (returns 1, the row replaced), else keeps its row (returns 0). */
static int make_feasible(rs *w, int a)
{
    const sp_roster *p = w->p;
    int D = w->D, S = w->S, S1 = S + 1;
    const sp_roster_agent *g = &p->ag[a].a;
    int *row = &w->day[(size_t)a * D];
    int *old = malloc((size_t)D * sizeof *old);
    int *ob = malloc((size_t)D * MAXB * sizeof *ob);
    int *nrow = malloc((size_t)D * sizeof *nrow);
    int *cnt = calloc((size_t)(S ? S : 1), sizeof *cnt);
    long long *wkm = calloc((size_t)w->nweeks + 1, sizeof *wkm);
    int *cand = malloc((size_t)D * S1 * sizeof *cand);
    int *ncand = malloc((size_t)D * sizeof *ncand);
    double *val = malloc((size_t)S1 * sizeof *val);
    int *left = calloc((size_t)D + 8, sizeof *left);
    uint64_t *memo = malloc(FZ_MEMO * sizeof *memo);
    int found = 0;
    if (!old || !ob || !nrow || !cnt || !wkm || !cand || !ncand || !val || !left || !memo)
        goto out;
    memcpy(old, row, (size_t)D * sizeof *old);
    memcpy(ob, boff(w, a, 0), (size_t)D * MAXB * sizeof *ob);
    for (int d = 0; d < D; d++)
        if (row[d] >= 0)
            assign(w, a, d, -1, NULL);
    int maxlen = 0;
    for (int d = 0; d < D; d++) {
        int *c = &cand[(size_t)d * S1], n = 0;
        for (int s = -1; s < S; s++) {
            if (s >= 0 && elig(w, a, d, s))
                continue;
            double v = 0.0;
            int offs[MAXB];
            if (s >= 0) {
                v = lab(w, a, d, s) + add_delta(w, s, d, offs) + cover_delta(w, d, s, +1);
                maxlen = p->len[s] > maxlen ? p->len[s] : maxlen;
            }
            for (int k = 0; k < g->request_count; k++) {
                const sp_roster_request *q = &g->requests[k];
                if (q->day != d)
                    continue;
                int hit = s >= 0 && (q->shift < 0 || q->shift == s);
                if (q->work ? !hit : hit)
                    v += q->weight;
            }
            /* insertion by value, the lower index first among equals */
            int i = n++;
            while (i > 0 && val[i - 1] > v) {
                val[i] = val[i - 1];
                c[i] = c[i - 1];
                i--;
            }
            val[i] = v;
            c[i] = s;
        }
        ncand[d] = n;
    }
    for (int d = D - 1; d >= 0; d--)
        left[d] = left[d + 1] + (ncand[d] > 1);
    for (int d = D; d < D + 8; d++)
        left[d] = 0;
    fz z = {w, a, g, nrow, cnt, wkm, cand, ncand, left, maxlen, 0, 0, 0, memo};
    /* Value order, then working first, then shuffled orders (restarts
     * against the heavy tails of a chronological search), each bounded. */
    uint64_t x = 0x2545f4914f6cdd1dULL ^ ((uint64_t)a * 0x9e3779b97f4a7c15ULL);
    for (int attempt = 0; attempt < 10 && !found; attempt++) {
        if (attempt >= 2)
            for (int d = 0; d < D; d++) {
                int *cd = &cand[(size_t)d * S1];
                for (int i = ncand[d] - 1; i > 0; i--) {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    int j = (int)(x % (uint64_t)(i + 1)), t = cd[i];
                    cd[i] = cd[j];
                    cd[j] = t;
                }
            }
        for (int d = 0; d < D; d++)
            nrow[d] = -1;
        if (attempt == 0)
            memset(memo, 0, FZ_MEMO * sizeof *memo); /* failures hold for any order */
        memset(cnt, 0, (size_t)S * sizeof *cnt);
        memset(wkm, 0, ((size_t)w->nweeks + 1) * sizeof *wkm);
        z.nodes = 0;
        z.budget = attempt == 1 ? 100000 : 20000;
        z.work_first = attempt & 1;
        found = fz_dfs(&z, 0, -1, 0, 0, 0, 0, 0, 0, -1) == 1;
    }
    if (found) {
        for (int d = 0; d < D; d++)
            if (nrow[d] >= 0) {
                int offs[MAXB];
                add_delta(w, nrow[d], d, offs);
                assign(w, a, d, nrow[d], offs);
            }
        agent_eval(w, a, row, &w->cur[a]);
        if ((w->cur[a].mask & HARD_MASK) || w->cur[a].pen > 0) {
            /* cannot happen: the search checks every rule */
            for (int d = 0; d < D; d++)
                if (row[d] >= 0)
                    assign(w, a, d, -1, NULL);
            found = 0;
        }
    }
    if (!found) {
        for (int d = 0; d < D; d++)
            if (old[d] >= 0)
                assign(w, a, d, old[d], &ob[(size_t)d * MAXB]);
        agent_eval(w, a, row, &w->cur[a]);
    }
out:
    free(old);
    free(ob);
    free(nrow);
    free(cnt);
    free(wkm);
    free(cand);
    free(ncand);
    free(val);
    free(left);
    free(memo);
    return found;
}

/* Every agent short of a minimum rule through make_feasible; how many
 * changed. */
static int make_all_feasible(rs *w)
{
    int changed = 0;
    for (int a = 0; a < w->A; a++)
        if (w->cur[a].pen > 0 && !w->cancelled)
            changed += make_feasible(w, a);
    return changed;
}

static void local_search(rs *w)
{
    int A = w->A > 0 ? w->A : 0, D = w->D;
    int *order = malloc((size_t)(A > 0 ? A : 1) * sizeof *order);
    int *needy = malloc((size_t)(A > 0 ? A : 1) * sizeof *needy);
    if (order == NULL || needy == NULL) {
        free(order);
        free(needy);
        return;
    }
    for (int a = 0; a < A; a++)
        order[a] = a;
    for (int pass = 0; !w->timed_out && !w->cancelled; pass++) {
        for (int i = A - 1; i > 0; i--) {
            int j = (int)(rnd(w) % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int nneedy = 0;
        for (int a = 0; a < A && nneedy < 32; a++)
            if (w->cur[order[a]].pen > 0)
                needy[nneedy++] = order[a];
        long long improved = 0;
        for (int i = 0; i < A; i++) {
            for (int d = 0; d < D; d++)
                improved += improve_agent_day(w, order[i], d, needy, nneedy);
            if ((i & 15) == 0 && out_of_time(w))
                break;
        }
        improved += improve_breaks(w);
        if (!improved)
            for (int a = 0; a < A && !out_of_time(w); a++)
                if (w->cur[a].pen > 0)
                    improved += repair_agent(w, a, D);
        if (!improved) {
            /* Pairs of days for everyone, on small rosters only: it costs
             * O(days^3 shifts^2) per agent. */
            double work = (double)A * D * D * (w->S + 1) * (w->S + 1) * D;
            for (int i = 0; i < A && work < 2e8 && !out_of_time(w); i++)
                improved += repair_agent(w, order[i], D);
        }
        publish(w);
        if (!improved || out_of_time(w))
            break;
    }
    free(order);
    free(needy);
}

/* ---------------------------------------------------------------------
 * Perturbation rounds: once the local search has converged, a few agents
 * lose their shifts on a few days and the search repairs around them; the
 * result is kept when it is better, the snapshot restored otherwise.
 * ------------------------------------------------------------------- */

typedef struct snap {
    int *day, *boff;
    long long *cov, *cnt;
    aev *cur;
} snap;

static void snap_free(snap *x)
{
    free(x->day);
    free(x->boff);
    free(x->cov);
    free(x->cnt);
    free(x->cur);
}

static int snap_alloc(const rs *w, snap *x)
{
    size_t AD = (size_t)w->A * w->D, DS = (size_t)w->D * w->S;
    x->day = malloc((AD ? AD : 1) * sizeof *x->day);
    x->boff = malloc((AD ? AD : 1) * MAXB * sizeof *x->boff);
    x->cov = malloc((w->T ? w->T : 1) * sizeof *x->cov);
    x->cnt = malloc((DS ? DS : 1) * sizeof *x->cnt);
    x->cur = malloc((size_t)(w->A > 0 ? w->A : 1) * sizeof *x->cur);
    if (!x->day || !x->boff || !x->cov || !x->cnt || !x->cur) {
        snap_free(x);
        return -1;
    }
    return 0;
}

static void snap_copy(rs *w, snap *x, int save)
{
    size_t AD = (size_t)w->A * w->D, DS = (size_t)w->D * w->S;
#define SP__COPY(field, n)                                           \
    do {                                                             \
        if (save)                                                    \
            memcpy(x->field, w->field, (n) * sizeof *x->field);      \
        else                                                         \
            memcpy(w->field, x->field, (n) * sizeof *x->field);      \
    } while (0)
    SP__COPY(day, AD);
    SP__COPY(boff, AD * MAXB);
    SP__COPY(cov, w->T);
    SP__COPY(cnt, DS);
    SP__COPY(cur, (size_t)w->A);
#undef SP__COPY
}

static double value(const rs *w)
{
    double pen;
    double obj = total(w, &pen, NULL);
    return obj + w->W * pen;
}

#define BR_BEAM 2048 /* DP states kept per day                           */
#define BR_BATCH 8   /* agents priced at once per thread, then applied */
#define BR_SETTLE 0.005 /* sweeps stop when one gains less than this share */
static double br_row(const rs *w, rs *t, sp__dp *dp, int a, int *row);
static int br_apply(rs *w, int a, const int *row, int *keep, int *keep_off);

/* Agent a's shifts on days d0..d1-1 taken off, its totals re-evaluated. */
static void clear_days(rs *w, int a, int d0, int d1)
{
    int *row = &w->day[(size_t)a * w->D];
    for (int d = d0; d < d1; d++)
        if (row[d] >= 0)
            assign(w, a, d, -1, NULL);
    agent_eval(w, a, row, &w->cur[a]);
}

/* After a round: the roster kept (and published) when its value beats
 * *best_val, otherwise the best snapshot put back; returns 1 when kept. */
static int keep_if_better(rs *w, snap *best, double *best_val)
{
    double v = value(w);
    if (v < *best_val - 1e-6 * (1.0 + fabs(*best_val))) {
        *best_val = v;
        snap_copy(w, best, 1);
        publish(w);
        return 1;
    }
    snap_copy(w, best, 0);
    return 0;
}

/* Perturbation rounds alternate two kinds.  Even rounds ruin and
 * recreate: 2 + level agents lose their whole rows, then each takes its
 * best row (roster_dp.c) against the rest in turn.  Odd rounds kick days:
 * a few agents lose a run of days, then local moves refill them.  Rounds
 * run until the time limit or the cancel flag, an objective of 0
 * (which nothing can beat), or ILS_IDLE_STOP rounds in a row without
 * improvement (the search has settled: the result is then the same on
 * every run, whatever the clock).  After every ILS_ESCALATE rounds in a
 * row without improvement the perturbation grows (more agents, more days),
 * up to ILS_LEVELS steps, then falls back to the smallest: the search keeps
 * restarting from the best roster with ever larger kicks.  The generator
 * is seeded the same on every solve. */
#define ILS_ESCALATE 60
#define ILS_LEVELS 5
#define ILS_IDLE_STOP (ILS_ESCALATE * ILS_LEVELS * 20)

static void perturb_rounds(rs *w)
{
    int A = w->A, D = w->D;
    if (A <= 0 || D <= 0)
        return;
    snap best;
    int *pick = malloc((size_t)A * sizeof *pick);
    if (pick == NULL || snap_alloc(w, &best) < 0) {
        free(pick);
        return;
    }
    snap_copy(w, &best, 1);
    double best_val = value(w);
    int k = A / 25 > 2 ? A / 25 : 2;
    if (k > A)
        k = A;
    rs tw = *w;
    tw.cov = malloc(w->T * sizeof *tw.cov);
    tw.cnt = malloc((size_t)D * w->S * sizeof *tw.cnt);
    sp__dp *dp = sp__dp_new(w->p, w->cf, w->nweeks, BR_BEAM);
    int *brow = malloc((size_t)D * (2 + MAXB) * sizeof *brow);
    int brk_ok = tw.cov && tw.cnt && dp && brow;
    for (int idle = 0, round = 0; best_val > 0.0 && idle < ILS_IDLE_STOP; round++) {
        if (out_of_time(w))
            break;
        int level = (idle / ILS_ESCALATE) % ILS_LEVELS;
        if (brk_ok && round % 2 == 0) {
            /* Every other round, ruin and recreate: a few agents lose their
             * whole rows, then each takes its best row (roster_dp.c)
             * against the rest in turn. */
            int kb = 2 + level;
            if (kb > A)
                kb = A;
            for (int i = 0; i < kb; i++) {
                pick[i] = (int)(rnd(w) % (uint64_t)A);
                clear_days(w, pick[i], 0, D);
            }
            for (int i = 0; i < kb; i++)
                if (br_row(w, &tw, dp, pick[i], brow) < INFINITY)
                    br_apply(w, pick[i], brow, brow + D, brow + 2 * D);
            for (int i = 0; i < kb; i++) {
                for (int d = 0; d < D; d++)
                    improve_agent_day(w, pick[i], d, NULL, 0);
                if (w->cur[pick[i]].pen > 0)
                    repair_agent(w, pick[i], D);
            }
            idle = keep_if_better(w, &best, &best_val) ? 0 : idle + 1;
            continue;
        }
        int kk = k * (1 + level);
        if (kk > A)
            kk = A;
        int d0 = (int)(rnd(w) % (uint64_t)D), d1 = d0 + 2 + (int)(rnd(w) % 3) + level;
        if (d1 > D)
            d1 = D;
        for (int i = 0; i < kk; i++) {
            pick[i] = (int)(rnd(w) % (uint64_t)A);
            clear_days(w, pick[i], d0, d1);
        }
        int lo = d0 > 0 ? d0 - 1 : 0, hi = d1 < D ? d1 + 1 : D;
        for (int sweep = 0; sweep < 8 && !out_of_time(w); sweep++) {
            long long improved = 0;
            for (int a = 0; a < A; a++)
                for (int d = lo; d < hi; d++)
                    improved += improve_agent_day(w, a, d, pick, kk < 32 ? kk : 32);
            for (int i = 0; i < kk; i++)
                for (int d = 0; d < D; d++)
                    improved += improve_agent_day(w, pick[i], d, NULL, 0);
            for (int i = 0; i < kk; i++)
                if (w->cur[pick[i]].pen > 0)
                    improved += repair_agent(w, pick[i], D);
            if (!improved)
                break;
        }
        idle = keep_if_better(w, &best, &best_val) ? 0 : idle + 1;
    }
    snap_copy(w, &best, 0);
    snap_free(&best);
    free(pick);
    free(tw.cov);
    free(tw.cnt);
    sp__dp_free(dp);
    free(brow);
}

/* ---------------------------------------------------------------------
 * Best responses: one agent's whole row re-chosen against everyone
 * else's (roster_dp.c).  With the agent's shifts taken off, a shift's day
 * cost is its labour plus the coverage change of adding one person on it
 * (breaks where they help most) plus its cover-target change; an agent's
 * shifts never overlap, so these add up over days and the DP's row is the
 * agent's best (up to the DP's beam).  A row is put in only when the
 * roster's value, recomputed, falls and the agent keeps every hard rule,
 * so a sweep never makes the roster worse.
 * ------------------------------------------------------------------- */

/* Agent a's best row against the roster without it, into row (on a copy
 * of the coverage in t: called from several threads at once); returns its
 * DP cost, INFINITY when none. */
static double br_row(const rs *w, rs *t, sp__dp *dp, int a, int *row)
{
    int D = w->D, S = w->S, S1 = S + 1;
    const int *cur = &w->day[(size_t)a * D];
    memcpy(t->cov, w->cov, w->T * sizeof *t->cov);
    memcpy(t->cnt, w->cnt, (size_t)D * S * sizeof *t->cnt);
    for (int d = 0; d < D; d++)
        if (cur[d] >= 0)
            person_apply(t, cur[d], d, &w->boff[((size_t)a * D + d) * MAXB], -1);
    double *dc = sp__dp_costs(dp);
    int offs[MAXB];
    for (int d = 0; d < D; d++) {
        double *c = &dc[(size_t)d * S1];
        c[0] = 0.0;
        for (int s = 0; s < S; s++)
            c[1 + s] = elig(w, a, d, s) ? INFINITY
                                        : lab(w, a, d, s) + add_delta(t, s, d, offs) +
                                              cover_delta(t, d, s, +1);
    }
    int exact;
    return sp__dp_best(dp, a, row, &exact);
}

/* Puts agent a on `row` when that lowers the roster's value and keeps its
 * rules (breaks placed greedily, as everywhere); returns 1 when kept. */
static int br_apply(rs *w, int a, const int *row, int *keep, int *keep_off)
{
    int D = w->D;
    int *cur = &w->day[(size_t)a * D];
    if (memcmp(cur, row, (size_t)D * sizeof *row) == 0)
        return 0;
    double v0 = value(w);
    aev e0 = w->cur[a];
    memcpy(keep, cur, (size_t)D * sizeof *keep);
    memcpy(keep_off, boff(w, a, 0), (size_t)D * MAXB * sizeof *keep_off);
    for (int d = 0; d < D; d++)
        if (cur[d] >= 0)
            assign(w, a, d, -1, NULL);
    int offs[MAXB];
    for (int d = 0; d < D; d++)
        if (row[d] >= 0) {
            add_delta(w, row[d], d, offs);
            assign(w, a, d, row[d], offs);
        }
    agent_eval(w, a, cur, &w->cur[a]);
    if (!(w->cur[a].mask & HARD_MASK) && w->cur[a].pen <= e0.pen + EPS &&
        value(w) < v0 - 1e-9 * (1.0 + fabs(v0)))
        return 1;
    for (int d = 0; d < D; d++)
        if (cur[d] >= 0)
            assign(w, a, d, -1, NULL);
    for (int d = 0; d < D; d++)
        if (keep[d] >= 0)
            assign(w, a, d, keep[d], &keep_off[(size_t)d * MAXB]);
    w->cur[a] = e0;
    return 0;
}

/* Sweeps of best responses over every agent, in a random order, until a
 * sweep changes nothing or the clock runs out.  Batches of agents are
 * priced in parallel against the same roster, then applied one by one,
 * each only when it still improves the roster as it then is (so the
 * result depends on the thread count, not on timing).  Returns the moves
 * kept, -1 when memory ran out. */
static long long best_responses(rs *w, int threads)
{
    int A = w->A, D = w->D, S = w->S;
    if (A <= 0 || D <= 0 || S <= 0)
        return 0;
    int nt = threads > 0 ? threads : omp_get_max_threads();
    if (nt < 1)
        nt = 1;
    int batch = nt * BR_BATCH;
    sp__dp **dp = calloc((size_t)nt, sizeof *dp);
    rs *tw = calloc((size_t)nt, sizeof *tw);
    int *order = malloc((size_t)A * sizeof *order);
    int *rows = malloc((size_t)batch * D * sizeof *rows);
    double *got = malloc((size_t)batch * sizeof *got);
    int *buf = malloc((size_t)D * (1 + MAXB) * sizeof *buf);
    long long kept = -1;
    if (!dp || !tw || !order || !rows || !got || !buf)
        goto done;
    for (int i = 0; i < nt; i++) {
        tw[i] = *w;
        tw[i].cov = malloc(w->T * sizeof *tw[i].cov);
        tw[i].cnt = malloc((size_t)D * S * sizeof *tw[i].cnt);
        dp[i] = sp__dp_new(w->p, w->cf, w->nweeks, BR_BEAM);
        if (!tw[i].cov || !tw[i].cnt || !dp[i])
            goto done;
    }
    for (int a = 0; a < A; a++)
        order[a] = a;
    kept = 0;
    double v_prev = value(w);
    for (int sweep = 0; !out_of_time(w); sweep++) {
        for (int i = A - 1; i > 0; i--) {
            int j = (int)(rnd(w) % (uint64_t)(i + 1)), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        long long moved = 0;
        for (int i0 = 0; i0 < A && !out_of_time(w); i0 += batch) {
            int n = A - i0 < batch ? A - i0 : batch;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nt)
            for (int k = 0; k < n; k++) {
                int th = omp_get_thread_num();
                got[k] = br_row(w, &tw[th], dp[th], order[i0 + k], &rows[(size_t)k * D]);
            }
            for (int k = 0; k < n; k++)
                if (got[k] < INFINITY)
                    moved += br_apply(w, order[i0 + k], &rows[(size_t)k * D], buf, buf + D);
        }
        kept += moved;
        publish(w);
        /* with required heads, stop once a sweep gains less than
         * BR_SETTLE of the value: group moves then gain more per second */
        double v = value(w);
        if (moved == 0 || (w->p->req && !(v < v_prev * (1.0 - BR_SETTLE))))
            break;
        v_prev = v;
    }
done:
    if (tw)
        for (int i = 0; i < nt; i++) {
            free(tw[i].cov);
            free(tw[i].cnt);
        }
    if (dp)
        for (int i = 0; i < nt; i++)
            sp__dp_free(dp[i]);
    free(dp);
    free(tw);
    free(order);
    free(rows);
    free(got);
    free(buf);
    return kept;
}

/* ---------------------------------------------------------------------
 * Group moves: a group of agents' rows over a window of a few days
 * re-chosen together, the rest of the roster held.  The group's LP (each
 * agent one row; per interval the coverage's shortfall and excess priced
 * as in the objective) is solved by column generation: the DP
 * (roster_dp.c) prices each agent's rows against its duals, the days
 * outside the window held, the duals smoothed towards a stability centre
 * (at an integer start they are far from unique and jump).  Then a dive
 * turns the LP's solution into one row per agent: the rows above GL_FIX
 * fixed, else the largest, the LP re-solved, until every agent has its row.  The
 * rows carry their breaks, so the dive's value is the roster's exactly
 * (but for cover targets); the move is put in only when it is lower than
 * the group's current value, and kept only when the roster's value,
 * recomputed, falls.  Unlike a best response, such a move can change who
 * works which day for many agents at once.  Groups with disjoint agents
 * and windows that no shift of the other's reaches run on threads side by
 * side (GLPK in one environment per thread, glpk_guard.c).
 * ------------------------------------------------------------------- */

#define GL_AGENTS 64 /* agents per group at most (half of the team) */
#define GL_DAYS 5    /* days in a window                               */
#define GL_PRICE 15  /* rounds of pricing                              */
#define GL_FIX 0.6   /* dive: rows above this fixed at once (one per agent) */
#define GL_ALPHA 0.5 /* weight of the stability centre in the duals    */
#define GL_IDLE 40   /* groups in a row without gain end the phase     */

typedef struct glns {
    rs w;                  /* the roster, read only, with its own scratch */
    sp__dp *dp;
    int g, d0, d1;
    int *ag;               /* the group's agents */
    int ncol, cap, ivcap;  /* columns: the first g the current rows */
    int maxlen;            /* intervals of the longest shift */
    int *cag, *crow, *coff, *cniv, *xcol;
    long long *civ;        /* cap * ivcap: productive intervals */
    double *ccost;
    long long *base;       /* T: coverage without the group's window */
    int *rowof;            /* T: the interval's LP row, 0 none */
    long long *rt;         /* the intervals with rows */
    int nrt;
    double *pi, *mu;       /* duals priced: T, g */
    double *sval;          /* window days * S: a person's value on a shift */
    int *soff;             /* window days * S * MAXB: its breaks */
    int *ind;
    double *val;
    int *choice;           /* g: the row chosen (a column) */
    double cur_val, new_val; /* the group's value now and after the dive */
    double deadline;         /* sp__now() time the task gives up at, */
    const volatile int *cancel; /* or when this is set */
} glns;

/* Simplex with what is left before z's deadline; 0 when optimal. */
static int gl_simplex(glp_prob *lp, const glns *z, glp_smcp *sm)
{
    double left = z->deadline - sp__now();
    if (left <= 0.0 || (z->cancel && *z->cancel))
        return -1;
    sm->tm_lim = left * 1000.0 < 1.0 ? 1 : left * 1000.0 > 1e9 ? 1000000000 : (int)(left * 1000.0);
    return glp_simplex(lp, sm) == 0 && glp_get_status(lp) == GLP_OPT ? 0 : -1;
}

/* Productive intervals of shift s on day d with breaks offs, into out. */
static int shift_ivs(const rs *w, int s, int d, const int *offs, long long *out)
{
    const sp_roster *p = w->p;
    long long j0 = first_iv(w, s, d);
    int n = p->len[s] / w->I, m = 0;
    for (int j = 0; j < n; j++) {
        int brk = 0;
        for (int k = 0; k < p->nb[s] && !brk; k++) {
            int b0 = offs[k] / w->I;
            brk = j >= b0 && j < b0 + p->bw[s * MAXB + k].length / w->I;
        }
        long long t = wrap(w, j0 + j);
        if (!brk && t >= 0)
            out[m++] = t;
    }
    return m;
}

/* Sum of the duals pi over [j0, j0 + n) intervals from the horizon start
 * (range_marg's twin at the group's prices). */
static double pi_sum(const glns *z, long long j0, int n)
{
    double sum = 0.0;
    for (int j = 0; j < n; j++) {
        long long t = wrap(&z->w, j0 + j);
        if (t >= 0)
            sum += z->pi[t];
    }
    return sum;
}

/* A person's value on every shift of the window at the duals pi, with its
 * breaks where the duals are lowest. */
static void gl_values(glns *z)
{
    const rs *w = &z->w;
    const sp_roster *p = w->p;
    for (int d = z->d0; d < z->d1; d++)
        for (int s = 0; s < w->S; s++) {
            size_t i = (size_t)(d - z->d0) * w->S + s;
            long long j0 = first_iv(w, s, d);
            double v = pi_sum(z, j0, p->len[s] / w->I);
            int *offs = &z->soff[i * MAXB];
            memset(offs, 0, MAXB * sizeof *offs);
            for (int k = 0; k < p->nb[s]; k++) {
                const sp_break_window *b = &p->bw[s * MAXB + k];
                double lo = INFINITY;
                for (int o = b->earliest; o <= b->latest; o += w->I) {
                    double l = pi_sum(z, j0 + o / w->I, b->length / w->I);
                    if (l < lo - 1e-12) {
                        lo = l;
                        offs[k] = o;
                    }
                }
                v -= lo;
            }
            z->sval[i] = v;
        }
}

/* Row `row` as column c of group agent gi: breaks the agent's own outside
 * the window, and inside it too unless priced (then those of z->soff). */
static void gl_store(glns *z, int c, int gi, const int *row, int priced)
{
    rs *w = &z->w;
    int D = w->D, a = z->ag[gi];
    z->cag[c] = gi;
    if (&z->crow[(size_t)c * D] != row)
        memcpy(&z->crow[(size_t)c * D], row, (size_t)D * sizeof *row);
    int *co = &z->coff[(size_t)c * D * MAXB];
    memcpy(co, boff(w, a, 0), (size_t)D * MAXB * sizeof *co);
    long long *iv = &z->civ[(size_t)c * z->ivcap];
    int m = 0;
    for (int d = z->d0; d < z->d1; d++)
        if (row[d] >= 0) {
            if (priced)
                memcpy(&co[(size_t)d * MAXB],
                       &z->soff[((size_t)(d - z->d0) * w->S + row[d]) * MAXB],
                       MAXB * sizeof *co);
            m += shift_ivs(w, row[d], d, &co[(size_t)d * MAXB], iv + m);
        }
    z->cniv[c] = m;
    aev e;
    agent_eval(w, a, row, &e);
    z->ccost[c] = (e.mask & HARD_MASK) ? INFINITY : aval(w, &e);
}

/* Column c's cost less the duals pi of its intervals. */
static double col_price(const glns *z, int c)
{
    double v = z->ccost[c];
    const long long *iv = &z->civ[(size_t)c * z->ivcap];
    for (int k = 0; k < z->cniv[c]; k++)
        v -= z->pi[iv[k]];
    return v;
}

/* The LP row of interval t (the group's coverage there, plus a shortfall
 * column, minus an excess column, is what the rest leaves short). */
static void gl_row(glp_prob *lp, glns *z, long long t)
{
    const sp_roster *p = z->w.p;
    if (z->rowof[t] != 0)
        return;
    int r = glp_add_rows(lp, 1);
    double rhs = p->req[t] - (double)z->base[t];
    glp_set_row_bnds(lp, r, GLP_FX, rhs, rhs);
    int j = glp_add_cols(lp, 2);
    glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
    glp_set_col_bnds(lp, j + 1, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(lp, j, p->under);
    glp_set_obj_coef(lp, j + 1, p->over);
    int ri[2] = {0, r};
    double one[2] = {0, 1.0}, mone[2] = {0, -1.0};
    glp_set_mat_col(lp, j, 1, ri, one);
    glp_set_mat_col(lp, j + 1, 1, ri, mone);
    z->rowof[t] = r;
    z->rt[z->nrt++] = t;
}

/* Column c into the LP (its intervals all have rows). */
static void gl_add(glp_prob *lp, glns *z, int c)
{
    int n = 0;
    z->ind[++n] = z->cag[c] + 1;
    z->val[n] = 1.0;
    const long long *iv = &z->civ[(size_t)c * z->ivcap];
    for (int k = 0; k < z->cniv[c]; k++) {
        z->ind[++n] = z->rowof[iv[k]];
        z->val[n] = 1.0;
    }
    int j = glp_add_cols(lp, 1);
    glp_set_col_bnds(lp, j, GLP_LO, 0.0, 0.0);
    glp_set_obj_coef(lp, j, z->ccost[c]);
    glp_set_mat_col(lp, j, n, z->ind, z->val);
    z->xcol[c] = j;
}

/* One pricing round: each agent's best row at the duals z->pi (against
 * its best column at them, z->mu) added when it is cheaper; returns the
 * columns added. */
static int gl_price(glp_prob *lp, glns *z)
{
    rs *w = &z->w;
    int D = w->D, S = w->S, S1 = S + 1, added = 0;
    double *dc = sp__dp_costs(z->dp);
    gl_values(z);
    for (int gi = 0; gi < z->g && z->ncol < z->cap; gi++) {
        int a = z->ag[gi];
        const int *cur = &w->day[(size_t)a * D];
        for (int d = 0; d < D; d++) {
            double *c = &dc[(size_t)d * S1];
            if (d < z->d0 || d >= z->d1) {
                for (int s = 0; s <= S; s++)
                    c[s] = INFINITY;
                c[1 + cur[d]] = 0.0;
                continue;
            }
            c[0] = 0.0;
            for (int s = 0; s < S; s++)
                c[1 + s] = elig(w, a, d, s)
                               ? INFINITY
                               : lab(w, a, d, s) - z->sval[(size_t)(d - z->d0) * S + s];
        }
        int nc = z->ncol, exact, dup = 0;
        int *row = &z->crow[(size_t)nc * D];
        if (!(sp__dp_best(z->dp, a, row, &exact) < INFINITY))
            continue;
        for (int c = 0; c < nc && !dup; c++)
            dup = z->cag[c] == gi &&
                  memcmp(&z->crow[(size_t)c * D], row, (size_t)D * sizeof *row) == 0;
        if (dup)
            continue;
        gl_store(z, nc, gi, row, 1);
        double rc = col_price(z, nc) - z->mu[gi];
        if (!(rc < -1e-6 * (1.0 + fabs(z->ccost[nc]))))
            continue;
        z->ncol++;
        gl_add(lp, z, nc);
        added++;
    }
    return added;
}

/* The group's LP, column generation and dive (inside sp__glpk_run: no
 * memory of ours allocated here). */
static int gl_task(void *arg)
{
    glns *z = arg;
    rs *w = &z->w;
    glp_prob *lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MIN);
    glp_add_rows(lp, z->g);
    for (int gi = 0; gi < z->g; gi++)
        glp_set_row_bnds(lp, gi + 1, GLP_FX, 1.0, 1.0);
    /* a row for every interval a shift of the window can reach */
    long long t0 = ((long long)z->d0 * 1440) / w->I, t1 = ((long long)z->d1 * 1440) / w->I;
    for (long long j = t0; j < t1 + z->maxlen; j++) {
        long long t = wrap(w, j);
        if (t >= 0)
            gl_row(lp, z, t);
    }
    for (int c = 0; c < z->ncol; c++)
        gl_add(lp, z, c);
    /* the stability centre: each interval's marginal value now */
    for (int i = 0; i < z->nrt; i++) {
        long long t = z->rt[i], x = w->cov[t];
        z->pi[t] = 0.5 * (fcost(w, t, x - 1) - fcost(w, t, x + 1));
    }
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_PRIMAL; /* columns come in: the basis stays primal feasible */
    double alpha = GL_ALPHA;
    for (int round = 0; round <= GL_PRICE; round++) {
        if (gl_simplex(lp, z, &sm) != 0)
            return SP_ESOLVER;
        if (round == 0)
            z->cur_val = glp_get_obj_val(lp);
        if (round == GL_PRICE)
            break;
        for (int i = 0; i < z->nrt; i++) {
            long long t = z->rt[i];
            z->pi[t] = alpha * z->pi[t] + (1.0 - alpha) * glp_get_row_dual(lp, z->rowof[t]);
        }
        for (int gi = 0; gi < z->g; gi++)
            z->mu[gi] = INFINITY;
        for (int c = 0; c < z->ncol; c++) {
            double v = col_price(z, c);
            if (v < z->mu[z->cag[c]])
                z->mu[z->cag[c]] = v;
        }
        if (gl_price(lp, z) == 0) {
            if (alpha == 0.0)
                break;
            alpha = 0.0; /* a last round at the LP's own duals */
        }
    }
    /* The dive; fixing bounds keeps the basis dual feasible. */
    sm.meth = GLP_DUALP;
    for (int gi = 0; gi < z->g; gi++)
        z->choice[gi] = -1;
    for (int step = 0; step < z->g; step++) {
        double bx = -1.0;
        int bc = -1, nfix = 0;
        for (int c = 0; c < z->ncol; c++) {
            if (z->choice[z->cag[c]] >= 0)
                continue;
            double x = glp_get_col_prim(lp, z->xcol[c]);
            if (x > GL_FIX) {
                z->choice[z->cag[c]] = c;
                glp_set_col_bnds(lp, z->xcol[c], GLP_FX, 1.0, 1.0);
                nfix++;
            } else if (x > bx) {
                bx = x;
                bc = c;
            }
        }
        if (nfix == 0) {
            if (bc < 0)
                break;
            z->choice[z->cag[bc]] = bc;
            glp_set_col_bnds(lp, z->xcol[bc], GLP_FX, 1.0, 1.0);
        }
        if (gl_simplex(lp, z, &sm) != 0)
            return SP_ESOLVER;
    }
    for (int gi = 0; gi < z->g; gi++)
        if (z->choice[gi] < 0)
            return SP_ESOLVER;
    z->new_val = glp_get_obj_val(lp);
    return SP_OK;
}

static void gl_free(glns *z)
{
    sp__dp_free(z->dp);
    free(z->w.scratch);
    free(z->ag);
    free(z->cag);
    free(z->crow);
    free(z->coff);
    free(z->cniv);
    free(z->xcol);
    free(z->civ);
    free(z->ccost);
    free(z->base);
    free(z->rowof);
    free(z->rt);
    free(z->pi);
    free(z->mu);
    free(z->sval);
    free(z->soff);
    free(z->ind);
    free(z->val);
    free(z->choice);
}

static int gl_alloc(glns *z, const rs *w, int g, int win, int maxlen)
{
    memset(z, 0, sizeof *z);
    z->w = *w;
    z->cap = g * (GL_PRICE + 1);
    z->maxlen = maxlen;
    z->ivcap = win * maxlen;
    size_t T = w->T ? w->T : 1, cap = (size_t)z->cap, D = (size_t)w->D, S = (size_t)w->S;
    z->w.scratch = malloc(S * sizeof *z->w.scratch);
    z->dp = sp__dp_new(w->p, w->cf, w->nweeks, BR_BEAM);
    z->ag = malloc((size_t)g * sizeof *z->ag);
    z->cag = malloc(cap * sizeof *z->cag);
    z->crow = malloc(cap * D * sizeof *z->crow);
    z->coff = malloc(cap * D * MAXB * sizeof *z->coff);
    z->cniv = malloc(cap * sizeof *z->cniv);
    z->xcol = malloc(cap * sizeof *z->xcol);
    z->civ = malloc(cap * (size_t)z->ivcap * sizeof *z->civ);
    z->ccost = malloc(cap * sizeof *z->ccost);
    z->base = malloc(T * sizeof *z->base);
    z->rowof = calloc(T, sizeof *z->rowof);
    z->rt = malloc(T * sizeof *z->rt);
    z->pi = malloc(T * sizeof *z->pi);
    z->mu = malloc((size_t)g * sizeof *z->mu);
    z->sval = malloc((size_t)win * S * sizeof *z->sval);
    z->soff = malloc((size_t)win * S * MAXB * sizeof *z->soff);
    z->ind = malloc(((size_t)z->ivcap + 2) * sizeof *z->ind);
    z->val = malloc(((size_t)z->ivcap + 2) * sizeof *z->val);
    z->choice = malloc((size_t)g * sizeof *z->choice);
    if (!z->w.scratch || !z->dp || !z->ag || !z->cag || !z->crow || !z->coff || !z->cniv ||
        !z->xcol || !z->civ || !z->ccost || !z->base || !z->rowof || !z->rt || !z->pi ||
        !z->mu || !z->sval || !z->soff || !z->ind || !z->val || !z->choice)
        return -1;
    return 0;
}

/* Group z over days d0..d0+win-1: up to half of it agents off on the day
 * of a short interval there, the rest anyone; none of them in use
 * (marked); the current rows are its first columns. */
static void gl_pick(rs *w, glns *z, int d0, int win, int g, unsigned char *used)
{
    const sp_roster *p = w->p;
    int A = w->A, D = w->D, n = 0;
    z->d0 = d0;
    z->d1 = d0 + win;
    long long t0 = ((long long)z->d0 * 1440) / w->I, t1 = ((long long)z->d1 * 1440) / w->I;
    if (t1 > (long long)w->T)
        t1 = (long long)w->T;
    long long nshort = 0;
    for (long long t = t0; t < t1; t++)
        nshort += p->req[t] > (double)w->cov[t] + 0.5;
    if (nshort > 0) {
        long long k = (long long)(rnd(w) % (uint64_t)nshort), t = t0;
        for (; t < t1; t++)
            if (p->req[t] > (double)w->cov[t] + 0.5 && k-- == 0)
                break;
        int dd = (int)((t * w->I) / 1440), a0 = (int)(rnd(w) % (uint64_t)A);
        for (int i = 0; i < A && n < g / 2; i++) {
            int a = (a0 + i) % A;
            if (!used[a] && w->day[(size_t)a * D + dd] < 0) {
                z->ag[n++] = a;
                used[a] = 1;
            }
        }
    }
    for (int tries = 0; n < g && tries < 8 * A; tries++) {
        int a = (int)(rnd(w) % (uint64_t)A);
        if (!used[a]) {
            z->ag[n++] = a;
            used[a] = 1;
        }
    }
    z->g = n;
    memcpy(z->base, w->cov, w->T * sizeof *z->base);
    for (int gi = 0; gi < n; gi++) {
        gl_store(z, gi, gi, &w->day[(size_t)z->ag[gi] * D], 0);
        const long long *iv = &z->civ[(size_t)gi * z->ivcap];
        for (int k = 0; k < z->cniv[gi]; k++)
            z->base[iv[k]]--;
    }
    z->ncol = n;
}

/* Puts group z's dive in (the rows with their breaks), then polishes its
 * agents' window days; returns 0 when an agent would break a hard rule
 * (never expected: the DP keeps them). */
static int gl_apply(rs *w, glns *z)
{
    int D = w->D, ok = 1;
    for (int gi = 0; gi < z->g; gi++) {
        int c = z->choice[gi], a = z->ag[gi];
        if (c < z->g)
            continue;
        clear_days(w, a, z->d0, z->d1);
        for (int d = z->d0; d < z->d1; d++) {
            int s = z->crow[(size_t)c * D + d];
            if (s >= 0)
                assign(w, a, d, s, &z->coff[((size_t)c * D + d) * MAXB]);
        }
        agent_eval(w, a, &w->day[(size_t)a * D], &w->cur[a]);
        ok &= !(w->cur[a].mask & HARD_MASK);
    }
    if (ok)
        for (int gi = 0; gi < z->g; gi++)
            for (int d = z->d0; d < z->d1; d++)
                improve_agent_day(w, z->ag[gi], d, NULL, 0);
    return ok;
}

/* Batches of group moves (one group per thread) until GL_IDLE groups in
 * a row bring nothing or the clock runs out.  Returns the groups that
 * improved the roster, -1 when memory ran out. */
static long long group_moves(rs *w, int threads)
{
    const sp_roster *p = w->p;
    int A = w->A, D = w->D, S = w->S;
    if (p->req == NULL || A < 2 || D < 1 || S < 1 || w->T == 0)
        return 0;
    /* windows of GL_DAYS days, or of half the horizon when it is shorter
     * than two windows (a window over all of it left the dive little to
     * hold); groups of half the team, at most GL_AGENTS (100 agents x 4
     * weeks, 60 s: 620 k with 50 agents x 5 days against 645-654 k with 25
     * x 7; 2,000 agents: 9.9 M with 64 x 5 against 10.4 M with 64 x 7) */
    int win = D >= 2 * GL_DAYS ? GL_DAYS : (D + 1) / 2;
    int g = A / 2 < GL_AGENTS ? A / 2 : GL_AGENTS, maxlen = 1;
    if (g < 8)
        g = A < 8 ? A : 8;
    for (int s = 0; s < S; s++)
        if (p->len[s] / w->I > maxlen)
            maxlen = p->len[s] / w->I;
    /* days a window's shifts reach: the window and what they spill into */
    int span = win + (maxlen * w->I + 1439) / 1440;
    int nt = threads > 0 ? threads : omp_get_max_threads();
    if (nt > D / span)
        nt = D / span;
    if (nt > A / g)
        nt = A / g;
    if (nt < 1)
        nt = 1;
    glns *z = calloc((size_t)nt, sizeof *z);
    int *rcs = malloc((size_t)nt * sizeof *rcs);
    unsigned char *used = calloc((size_t)A, 1), *busy = calloc((size_t)D, 1);
    snap best;
    int have_best = 0;
    long long kept = -1;
    if (!z || !rcs || !used || !busy)
        goto done;
    for (int k = 0; k < nt; k++)
        if (gl_alloc(&z[k], w, g, win, maxlen) < 0)
            goto done;
    if (snap_alloc(w, &best) < 0)
        goto done;
    have_best = 1;
    kept = 0;
    snap_copy(w, &best, 1);
    double best_val = value(w);
    for (int idle = 0; idle < GL_IDLE && best_val > 0.0 && !out_of_time(w);) {
        /* windows that share no day a shift of the other reaches */
        int n = 0;
        memset(busy, 0, (size_t)D);
        for (int tries = 0; n < nt && tries < 4 * nt; tries++) {
            int d0 = (int)(rnd(w) % (uint64_t)(D - win + 1)), free_days = 1;
            for (int d = d0; d < d0 + span && free_days; d++)
                free_days = !busy[d % D];
            if (!free_days)
                continue;
            for (int d = d0; d < d0 + span; d++)
                busy[d % D] = 1;
            gl_pick(w, &z[n], d0, win, g, used);
            n++;
        }
        for (int k = 0; k < n; k++) {
            for (int gi = 0; gi < z[k].g; gi++)
                used[z[k].ag[gi]] = 0;
            z[k].deadline = w->t0 + w->time_limit;
            z[k].cancel = w->cancel;
        }
#pragma omp parallel for schedule(static, 1) num_threads(nt) if (n > 1)
        for (int k = 0; k < n; k++) {
            sp__glpk_log log;
            z[k].nrt = 0;
            rcs[k] = sp__glpk_run(gl_task, &z[k], &log);
            for (int i = 0; i < z[k].nrt; i++)
                z[k].rowof[z[k].rt[i]] = 0;
        }
        int ok = 1, moved = 0;
        for (int k = 0; k < n; k++)
            if (rcs[k] == SP_OK && z[k].new_val < z[k].cur_val - 1e-6 * (1.0 + fabs(z[k].cur_val))) {
                ok &= gl_apply(w, &z[k]);
                moved++;
            }
        if (!ok) {
            snap_copy(w, &best, 0);
            idle += n;
            continue;
        }
        if (moved && keep_if_better(w, &best, &best_val)) {
            idle = 0;
            kept += moved;
        } else
            idle += n;
    }
    snap_copy(w, &best, 0);
done:
    if (have_best)
        snap_free(&best);
    if (z)
        for (int k = 0; k < nt; k++)
            gl_free(&z[k]);
    free(z);
    free(rcs);
    free(used);
    free(busy);
    return kept;
}

/* ---------------------------------------------------------------------
 * Solve
 * ------------------------------------------------------------------- */

void sp_roster_result_free(sp_roster_result *res)
{
    if (res == NULL)
        return;
    for (size_t i = 0; i < res->unassigned_count; i++)
        free(res->unassigned[i].blocked);
    free(res->unassigned);
    free(res->shift);
    free(res->break_offset);
    free(res->broken);
    free(res->coverage);
    free(res);
}

static void rs_free(rs *w)
{
    free(w->day);
    free(w->boff);
    free(w->cov);
    free(w->cnt);
    free(w->ck);
    free(w->cu);
    free(w->co);
    free(w->cf);
    free(w->acost);
    free(w->dfac);
    free(w->cur);
    free(w->scratch);
}

/* The rule that keeps agent a from taking shift s on day d now. */
static int why_not(rs *w, int a, int d, int s)
{
    int code = elig(w, a, d, s);
    if (code)
        return code;
    int *row = &w->day[(size_t)a * w->D];
    if (row[d] >= 0)
        return SP_RULE_ONE_PER_DAY;
    aev e;
    row[d] = s;
    agent_eval(w, a, row, &e);
    row[d] = -1;
    unsigned m = (e.mask & HARD_MASK) ? (e.mask & HARD_MASK) : (e.mask & ~w->cur[a].mask);
    for (int r = 1; r < SP_RULE_COUNT; r++)
        if (m & (1u << r))
            return r;
    return SP_RULE_NONE;
}

static int check_groups(const sp_roster *p, size_t ng, const sp_shift_group *g, sp_diag *diag)
{
    if (ng > 0 && g == NULL)
        return sp__diag_set(diag, SP_EINVAL, "groups", -1, "groups must not be NULL");
    for (size_t i = 0; i < ng; i++) {
        long long ix = (long long)i;
        if (g[i].shift < 0 || g[i].shift >= p->S)
            return sp__diag_set(diag, SP_EINVAL, "groups.shift", ix, "unknown shift %d",
                                g[i].shift);
        if (g[i].start < 0 || g[i].start >= (long long)p->days * 1440 ||
            g[i].start % 1440 != p->st[g[i].shift])
            return sp__diag_set(diag, SP_EINVAL, "groups.start", ix,
                                "start %lld is not a start of shift %d in the horizon",
                                g[i].start, g[i].shift);
        if (g[i].count < 0 || g[i].count > (1LL << 31))
            return sp__diag_set(diag, SP_EINVAL, "groups.count", ix, "count out of range");
        for (int k = 0; k < p->nb[g[i].shift]; k++) {
            const sp_break_window *b = &p->bw[g[i].shift * MAXB + k];
            int o = g[i].break_offset[k];
            if (o < b->earliest || o > b->latest || o % p->I)
                return sp__diag_set(diag, SP_EINVAL, "groups.break_offset", ix,
                                    "break %d offset %d is outside its window", k, o);
        }
    }
    return SP_OK;
}

int sp_roster_solve(const sp_roster *p, size_t ng, const sp_shift_group *groups,
                    const sp_solve_limits *limits, sp_roster_result **out, sp_diag *diag)
{
    if (out == NULL)
        return sp__diag_set(diag, SP_EINVAL, "out", -1, "out must not be NULL");
    *out = NULL;
    if (p == NULL)
        return sp__diag_set(diag, SP_EINVAL, "roster", -1, "roster must not be NULL");
    sp_solve_limits lim;
    int lrc = sp__solve_limits_read(limits, &lim, diag);
    if (lrc != SP_OK)
        return lrc;
    int rc = check_groups(p, ng, groups, diag);
    if (rc != SP_OK)
        return rc;
    rs w;
    memset(&w, 0, sizeof w);
    w.p = p;
    w.t0 = sp__now();
    w.time_limit = lim.time_limit;
    w.cancel = lim.cancel;
    w.progress = lim.progress;
    w.rng = 0x9e3779b97f4a7c15ULL;
    w.D = p->days;
    w.S = p->S;
    w.A = p->A;
    w.I = p->I;
    w.T = p->T;
    w.per_day = p->per_day;
    w.nweeks = p->days / 7;
    size_t AD = (size_t)w.A * w.D, DS = (size_t)w.D * w.S, AS = (size_t)w.A * w.S;
    size_t S1 = (size_t)(w.S ? w.S : 1);
    w.day = malloc((AD ? AD : 1) * sizeof *w.day);
    w.boff = calloc((AD ? AD : 1) * MAXB, sizeof *w.boff);
    w.cov = calloc(w.T, sizeof *w.cov);
    w.cnt = calloc(DS ? DS : 1, sizeof *w.cnt);
    w.cf = calloc(S1 * S1, 1);
    w.acost = malloc((AS ? AS : 1) * sizeof *w.acost);
    w.cur = calloc((size_t)(w.A ? w.A : 1), sizeof *w.cur);
    w.scratch = calloc(S1, sizeof *w.scratch);
    long long *wk_min = calloc((size_t)(w.A ? w.A : 1) * (size_t)(w.nweeks + 1),
                               sizeof *wk_min);
    int *scnt = calloc(AS ? AS : 1, sizeof *scnt);
    long long *want = calloc(DS ? DS : 1, sizeof *want);
    sp_roster_result *res = calloc(1, sizeof *res);
    if (p->ncover > 0) {
        w.ck = calloc(DS, sizeof *w.ck);
        w.cu = calloc(DS, sizeof *w.cu);
        w.co = calloc(DS, sizeof *w.co);
    }
    if (!w.day || !w.boff || !w.cov || !w.cnt || !w.cf || !w.acost || !w.cur || !w.scratch ||
        !wk_min || !scnt || !want || !res || (p->ncover > 0 && (!w.ck || !w.cu || !w.co))) {
        rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
        goto fail;
    }
    for (size_t i = 0; i < AD; i++)
        w.day[i] = -1;
    for (size_t i = 0; i < p->nsucc; i++)
        w.cf[(size_t)p->succ[2 * i] * S1 + (size_t)p->succ[2 * i + 1]] = 1;
    double big = 0.0;
    for (int a = 0; a < w.A; a++)
        for (int s = 0; s < w.S; s++) {
            double cph = p->ag[a].a.cost_per_hour;
            double c = isnan(cph) ? p->cost[s] : cph * p->len[s] / 60.0;
            w.acost[(size_t)a * w.S + s] = c;
            big = fmax(big, c);
        }
    if (p->day_costs) {
        /* An hourly agent's premium: the day's cost over the shift's cost. */
        w.dfac = malloc(S1 * 7 * sizeof *w.dfac);
        if (w.dfac == NULL) {
            rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
            goto fail;
        }
        for (size_t k = 0; k < (size_t)w.S * 7; k++)
            w.dfac[k] = p->cost[k / 7] > 0.0 ? p->dcost[k] / p->cost[k / 7] : 1.0;
        for (int a = 0; a < w.A; a++)
            for (int s = 0; s < w.S; s++)
                for (int d = 0; d < 7; d++)
                    big = fmax(big, lab(&w, a, d, s));
    }
    int maxlen = 0;
    for (int s = 0; s < w.S; s++)
        maxlen = p->len[s] > maxlen ? p->len[s] : maxlen;
    w.day_hours = maxlen / 60.0;
    big += fmax(p->under, p->over) * maxlen / w.I;
    double maxcover = 0.0, maxreq = 0.0;
    for (size_t i = 0; i < p->ncover; i++) {
        const sp_roster_cover *c = &p->cover[i];
        size_t k = (size_t)c->day * w.S + c->shift;
        w.ck[k] = (double)c->required;
        w.cu[k] = c->under_cost;
        w.co[k] = c->over_cost;
        maxcover = fmax(maxcover, fmax(c->under_cost, c->over_cost));
    }
    for (int a = 0; a < w.A; a++) {
        double sum = 0.0;
        for (int k = 0; k < p->ag[a].a.request_count; k++)
            sum += p->ag[a].req[k].weight;
        maxreq = fmax(maxreq, sum);
    }
    w.W = 2.0 * (big + maxcover + maxreq) + 1.0;
    for (size_t i = 0; i < ng; i++)
        want[(size_t)(groups[i].start / 1440) * w.S + groups[i].shift] += groups[i].count;

    rc = construct(&w, ng, groups, wk_min, scnt);
    if (rc != SP_OK) {
        rc = sp__diag_set(diag, rc, "roster", -1, "out of memory");
        goto fail;
    }
    /* Guard: the construction's running checks should keep every hard
     * rule; an agent breaking one loses its last shifts until none is. */
    for (int a = 0; a < w.A; a++) {
        int *row = &w.day[(size_t)a * w.D];
        agent_eval(&w, a, row, &w.cur[a]);
        for (int d = w.D - 1; d >= 0 && (w.cur[a].mask & HARD_MASK); d--)
            if (row[d] >= 0) {
                assign(&w, a, d, -1, NULL);
                agent_eval(&w, a, row, &w.cur[a]);
            }
    }
    make_all_feasible(&w);
    publish(&w);
    /* Cycles of best responses, local search and perturbation rounds
     * while a cycle still improves and time is left (a cycle's rounds stop
     * once they settle; the next cycle's sweeps start from their best). */
    for (double prev = DBL_MAX; !w.timed_out && !w.cancelled;) {
        if (best_responses(&w, lim.threads) < 0) {
            rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
            goto fail;
        }
        /* group moves before the local search: on large teams they gain
         * far more per second (a pass of the search over 2,000 agents x
         * 28 days takes about 14 s for 0.3%) */
        if (!w.timed_out && !w.cancelled && group_moves(&w, lim.threads) < 0) {
            rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
            goto fail;
        }
        if (!w.timed_out && !w.cancelled)
            local_search(&w);
        if (!w.timed_out && !w.cancelled) {
            perturb_rounds(&w);
            /* The rounds end on their best snapshot; one more pass polishes
             * it (it only ever improves). */
            if (!w.timed_out && !w.cancelled)
                local_search(&w);
        }
        double v = value(&w);
        if (v <= 0.0 || !(v < prev - 1e-9 * (1.0 + fabs(prev))))
            break;
        prev = v;
    }
    /* Fallback: whoever is still short of a minimum rule gets a row of
     * its own (the search above never makes an agent's shortfall grow). */
    if (make_all_feasible(&w)) {
        if (!w.timed_out && !w.cancelled)
            local_search(&w);
        publish(&w);
    }

    double pen;
    res->objective = total(&w, &pen, res);
    res->status = pen > 0 ? SP_SOLUTION_NONE : SP_SOLUTION_FEASIBLE;
    res->stop = w.cancelled ? SP_STOP_CANCELLED : w.timed_out ? SP_STOP_TIME : SP_STOP_GAP;
    res->days = w.D;
    res->agents = w.A;
    res->intervals = w.T;
    res->shift = w.day;
    w.day = NULL;
    res->break_offset = w.boff;
    w.boff = NULL;
    res->coverage = w.cov;
    w.cov = NULL;
    res->broken = calloc((size_t)(w.A ? w.A : 1), sizeof *res->broken);
    if (res->broken == NULL) {
        rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
        goto fail;
    }
    for (int a = 0; a < w.A; a++)
        res->broken[a] = w.cur[a].mask;
    /* What the groups wanted and the roster does not give. */
    w.day = res->shift;
    for (int d = 0; d < w.D; d++)
        for (int s = 0; s < w.S; s++) {
            size_t k = (size_t)d * w.S + s;
            if (want[k] <= w.cnt[k])
                continue;
            size_t cap = res->unassigned_count;
            sp_roster_unassigned *q =
                realloc(res->unassigned, (cap + 1) * sizeof *res->unassigned);
            if (q == NULL) {
                w.day = NULL;
                rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
                goto fail;
            }
            res->unassigned = q;
            q[cap].shift = s;
            q[cap].day = d;
            q[cap].count = want[k] - w.cnt[k];
            q[cap].blocked = malloc((size_t)(w.A ? w.A : 1));
            if (q[cap].blocked == NULL) {
                w.day = NULL;
                rc = sp__diag_set(diag, SP_ENOMEM, "roster", -1, "out of memory");
                goto fail;
            }
            res->unassigned_count++;
            for (int a = 0; a < w.A; a++)
                q[cap].blocked[a] = (unsigned char)why_not(&w, a, d, s);
        }
    w.day = NULL;
    res->seconds = sp__now() - w.t0;
    rs_free(&w);
    free(wk_min);
    free(scnt);
    free(want);
    *out = res;
    return SP_OK;
fail:
    rs_free(&w);
    free(wk_min);
    free(scnt);
    free(want);
    sp_roster_result_free(res);
    return rc;
}
