/*
 * Requirements: the smallest number of productive agents meeting every
 * target in each interval, then scheduled heads after shrinkage.
 * Vectorised over intervals with OpenMP; each interval is independent, so
 * results never depend on the thread count.
 */
#include "internal.h"

#include <float.h>
#include <limits.h>
#include <math.h>

#ifdef _OPENMP
#include <omp.h>
#endif

/* Relative slack when comparing an achieved figure with its target, so
 * that a target met exactly is not missed by rounding. */
#define TARGET_SLACK 1e-12

/* Largest min_agents accepted: far beyond any real interval. */
#define MAX_MIN_AGENTS 1000000000LL

/* Largest agent or head count produced: 2^53, below which every count is
 * exact in a double (the formulas work in doubles). */
#define MAX_COUNT 9007199254740992.0

void sp_targets_init(sp_targets *t)
{
    t->interval = 900.0;
    t->service_level = NAN;
    t->answer_time = 0.0;
    t->asa = NAN;
    t->max_occupancy = NAN;
    t->patience = NAN;
    t->max_abandon = NAN;
    t->min_agents = 0;
    t->reference = 0;
}

long long sp_heads(long long agents, double shrinkage)
{
    if (agents <= 0 || shrinkage <= 0.0)
        return agents;
    double q = (double)agents / (1.0 - shrinkage);
    if (!(q < 9.2e18))
        return LLONG_MAX; /* saturate: the cast would be undefined */
    double r = nearbyint(q);
    /* One division and one subtraction leave a few ulps of noise (21 / 0.7
     * is 30.000000000000004); anything more is a real fraction of a head. */
    if (fabs(q - r) <= 8.0 * DBL_EPSILON * q)
        return (long long)r;
    return (long long)ceil(q);
}

typedef struct figures {
    double service_level, asa, occupancy, p_wait, p_abandon;
} figures;

static int meets(const sp_targets *t, const figures *f)
{
    if (!isnan(t->service_level) &&
        f->service_level < t->service_level * (1.0 - TARGET_SLACK))
        return 0;
    if (!isnan(t->asa) && f->asa > t->asa * (1.0 + TARGET_SLACK))
        return 0;
    if (!isnan(t->max_occupancy) &&
        f->occupancy > t->max_occupancy * (1.0 + TARGET_SLACK))
        return 0;
    if (!isnan(t->max_abandon) &&
        f->p_abandon > t->max_abandon * (1.0 + TARGET_SLACK))
        return 0;
    return 1;
}

/* Erlang C figures at n > a from B(n). */
static void erlang_c_figures(long long n, double a, double aht, double b,
                             double answer_time, figures *f)
{
    double c = sp__erlang_c_from_b(b, n, a);
    double gap = (double)n - a;
    f->p_wait = c;
    f->service_level = 1.0 - c * exp(-gap * answer_time / aht);
    f->asa = c * aht / gap;
    f->occupancy = a / (double)n;
    f->p_abandon = 0.0;
}

static int staff_erlang_c(double a, double aht, const sp_targets *t,
                          long long *agents, figures *f)
{
    long long n = (long long)floor(a) + 1;
    if (n < t->min_agents)
        n = t->min_agents;
    if (!isnan(t->max_occupancy)) {
        /* a / n <= max_occupancy: start just below the bound, the loop
         * settles the rounding. */
        double lo = floor(a / t->max_occupancy) - 1.0;
        if (lo > (double)n)
            n = (long long)lo;
    }
    double b = t->reference ? sp__erlang_b_full(n, a) : sp__erlang_b_fast(n, a);
    /* The answer lies O(sqrt(a)) above the start; the bound only guards
     * against a target no finite staff meets, which validation excludes. */
    long long limit = n + (long long)(200.0 * sqrt(a)) + 100000;
    for (; n <= limit; n++) {
        erlang_c_figures(n, a, aht, b, t->answer_time, f);
        if (meets(t, f)) {
            *agents = n;
            return SP_OK;
        }
        b = sp__erlang_b_next(b, n + 1, a);
    }
    return SP_EUNREACHABLE;
}

static void erlang_a_figures(long long n, double a, double aht,
                             const sp_targets *t, figures *f)
{
    sp_erlang_a_metrics m;
    sp_erlang_a(n, a, aht, t->patience, t->answer_time, &m);
    f->p_wait = m.p_wait;
    f->p_abandon = m.p_abandon;
    f->service_level = m.service_level;
    f->asa = m.asa;
    f->occupancy = m.occupancy;
}

/*
 * Erlang A: every figure is monotone in n, and n may lie below a, so search
 * by doubling from a lower bound and then bisecting.  Answered contacts
 * never exceed n / a of those offered, which bounds n from below for the
 * service-level and abandon targets.
 */
static int staff_erlang_a(double a, double aht, const sp_targets *t,
                          long long *agents, figures *f)
{
    double lo_real = 0.0;
    if (!isnan(t->service_level))
        lo_real = fmax(lo_real, floor(t->service_level * a) - 1.0);
    if (!isnan(t->max_abandon))
        lo_real = fmax(lo_real, floor((1.0 - t->max_abandon) * a) - 1.0);
    long long lo = (long long)lo_real;
    if (lo < t->min_agents)
        lo = t->min_agents;
    erlang_a_figures(lo, a, aht, t, f);
    if (meets(t, f)) {
        *agents = lo;
        return SP_OK;
    }
    /* lo fails; find hi that meets. */
    long long step = (long long)sqrt(a) + 1;
    long long hi = lo + step;
    for (;;) {
        erlang_a_figures(hi, a, aht, t, f);
        if (meets(t, f))
            break;
        lo = hi;
        if (step > (1LL << 40))
            return SP_EUNREACHABLE;
        step *= 2;
        hi = lo + step;
    }
    while (hi - lo > 1) {
        long long mid = lo + (hi - lo) / 2;
        erlang_a_figures(mid, a, aht, t, f);
        if (meets(t, f))
            hi = mid;
        else
            lo = mid;
    }
    erlang_a_figures(hi, a, aht, t, f);
    *agents = hi;
    return SP_OK;
}

static int staff_one(double a, double aht, const sp_targets *t,
                     long long *agents, figures *f)
{
    if (a == 0.0) {
        *agents = t->min_agents;
        f->service_level = 1.0;
        f->asa = 0.0;
        f->occupancy = 0.0;
        f->p_wait = 0.0;
        f->p_abandon = 0.0;
        return SP_OK;
    }
    if (!isnan(t->patience))
        return staff_erlang_a(a, aht, t, agents, f);
    return staff_erlang_c(a, aht, t, agents, f);
}

static int check_targets(const sp_targets *t, sp_diag *diag)
{
    if (!(t->interval > 0.0) || !isfinite(t->interval))
        return sp__diag_set(diag, SP_EINVAL, "interval", -1,
                            "interval must be a positive number of seconds, "
                            "got %g", t->interval);
    if (!isnan(t->service_level)) {
        if (!(t->service_level >= 0.0) || t->service_level > 1.0)
            return sp__diag_set(diag, SP_EINVAL, "service_level", -1,
                                "service_level must be a fraction in [0, 1), "
                                "got %g", t->service_level);
        if (t->service_level == 1.0)
            return sp__diag_set(diag, SP_EUNREACHABLE, "service_level", -1,
                                "service_level 1 cannot be reached: some "
                                "contacts always wait when traffic is "
                                "positive; use a value below 1");
    }
    /* Checked with or without a service level target: the achieved service
     * level is reported at answer_time either way (a negative one gave
     * service levels below 0). */
    if (!(t->answer_time >= 0.0) || !isfinite(t->answer_time))
        return sp__diag_set(diag, SP_EINVAL, "answer_time", -1,
                            "answer_time must be a finite number of "
                            "seconds >= 0, got %g", t->answer_time);
    if (!isnan(t->asa) && (!(t->asa > 0.0) || !isfinite(t->asa)))
        return sp__diag_set(diag, t->asa == 0.0 ? SP_EUNREACHABLE : SP_EINVAL,
                            "asa", -1,
                            "asa must be a finite number of seconds > 0 "
                            "(an average wait of 0 cannot be reached), got %g",
                            t->asa);
    if (!isnan(t->max_occupancy) &&
        (!(t->max_occupancy > 0.0) || t->max_occupancy > 1.0))
        return sp__diag_set(diag, SP_EINVAL, "max_occupancy", -1,
                            "max_occupancy must be a fraction in (0, 1], "
                            "got %g", t->max_occupancy);
    if (!isnan(t->patience) && (!(t->patience > 0.0) || !isfinite(t->patience)))
        return sp__diag_set(diag, SP_EINVAL, "patience", -1,
                            "patience must be a finite number of seconds > 0, "
                            "got %g", t->patience);
    if (!isnan(t->max_abandon)) {
        if (isnan(t->patience))
            return sp__diag_set(diag, SP_EINVAL, "max_abandon", -1,
                                "max_abandon needs patience (the Erlang A "
                                "model); give patience in seconds");
        if (!(t->max_abandon > 0.0) || t->max_abandon > 1.0)
            return sp__diag_set(diag, t->max_abandon == 0.0 ? SP_EUNREACHABLE
                                                            : SP_EINVAL,
                                "max_abandon", -1,
                                "max_abandon must be a fraction in (0, 1] "
                                "(no abandons at all cannot be guaranteed), "
                                "got %g", t->max_abandon);
    }
    if (t->min_agents < 0 || t->min_agents > MAX_MIN_AGENTS)
        return sp__diag_set(diag, SP_EINVAL, "min_agents", -1,
                            "min_agents must be an integer in [0, %lld], "
                            "got %lld", MAX_MIN_AGENTS, t->min_agents);
    return SP_OK;
}

static int check_array(const char *field, const double *v, size_t count,
                       double lo, int lo_open, double hi, int hi_open,
                       const char *range, sp_diag *diag)
{
    for (size_t i = 0; i < count; i++) {
        double x = v[i];
        int ok = isfinite(x) && (lo_open ? x > lo : x >= lo) &&
                 (hi_open ? x < hi : x <= hi);
        if (!ok)
            return sp__diag_set(diag, SP_EINVAL, field, (long long)i,
                                "%s[%zu] must be %s, got %g", field, i, range,
                                x);
    }
    return SP_OK;
}

int sp_requirements(size_t count, const double *volume, const double *aht,
                    size_t aht_count, const double *shrinkage,
                    size_t shrink_count, const sp_targets *targets,
                    int threads, sp_requirements_out *out, sp_diag *diag)
{
    if (targets == NULL || out == NULL || (count > 0 && volume == NULL))
        return sp__diag_set(diag, SP_EINVAL, "", -1, "NULL argument");
    int rc = check_targets(targets, diag);
    if (rc != SP_OK)
        return rc;
    if (aht == NULL || !(aht_count == 1 || aht_count == count))
        return sp__diag_set(diag, SP_EINVAL, "aht", -1,
                            "aht must have 1 or %zu values (one per "
                            "interval), got %zu",
                            count, aht == NULL ? (size_t)0 : aht_count);
    if (shrinkage != NULL && !(shrink_count == 1 || shrink_count == count))
        return sp__diag_set(diag, SP_EINVAL, "shrinkage", -1,
                            "shrinkage must have 1 or %zu values (one per "
                            "interval), got %zu", count, shrink_count);
    rc = check_array("volume", volume, count, 0.0, 0, INFINITY, 1,
                     "a finite number of contacts >= 0", diag);
    if (rc == SP_OK)
        rc = check_array("aht", aht, aht_count, 0.0, 1, INFINITY, 1,
                         "a finite number of seconds > 0", diag);
    if (rc == SP_OK && shrinkage != NULL)
        rc = check_array("shrinkage", shrinkage, shrink_count, 0.0, 0, 1.0, 1,
                         "a fraction in [0, 1)", diag);
    if (rc != SP_OK)
        return rc;
    for (size_t i = 0; i < count; i++) {
        double a = volume[i] * aht[aht_count == 1 ? 0 : i] / targets->interval;
        if (!(a <= SP_MAX_TRAFFIC))
            return sp__diag_set(diag, SP_ETOOBIG, "volume", (long long)i,
                                "volume[%zu] gives %g Erlangs of traffic, "
                                "above the %g supported",
                                i, a, SP_MAX_TRAFFIC);
        if (!isnan(targets->max_occupancy) &&
            !(a / targets->max_occupancy <= MAX_COUNT))
            return sp__diag_set(diag, SP_ETOOBIG, "max_occupancy", (long long)i,
                                "max_occupancy %g at volume[%zu] (%g Erlangs) "
                                "needs %g agents, above the 2^53 supported",
                                targets->max_occupancy, i, a,
                                a / targets->max_occupancy);
        if (!isnan(targets->patience) &&
            !(a * targets->patience / aht[aht_count == 1 ? 0 : i] <=
              SP_MAX_ERLANG_A_LOAD))
            return sp__diag_set(diag, SP_ETOOBIG, "patience", (long long)i,
                                "patience %g s at volume[%zu] (%g Erlangs, "
                                "aht %g s) gives %g contacts per mean "
                                "patience, above the %g Erlang A supports",
                                targets->patience, i, a,
                                aht[aht_count == 1 ? 0 : i],
                                a * targets->patience /
                                    aht[aht_count == 1 ? 0 : i],
                                SP_MAX_ERLANG_A_LOAD);
    }

    int nthreads = threads;
#ifdef _OPENMP
    if (nthreads <= 0)
        nthreads = omp_get_max_threads();
#else
    nthreads = 1;
#endif
    /* A parallel region costs microseconds to start; small inputs do not
     * repay it.  Each thread gets at least 256 intervals. */
    if ((size_t)nthreads > count / 256 + 1)
        nthreads = (int)(count / 256 + 1);
    long long failed = LLONG_MAX, too_big = LLONG_MAX;
    long long n_count = (long long)count;
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 256) \
    reduction(min : failed, too_big)
    for (long long i = 0; i < n_count; i++) {
        double h = aht[aht_count == 1 ? 0 : i];
        double a = volume[i] * h / targets->interval;
        double s = shrinkage == NULL ? 0.0 : shrinkage[shrink_count == 1 ? 0 : i];
        long long n = 0;
        figures f;
        if (staff_one(a, h, targets, &n, &f) != SP_OK) {
            /* Validation excludes this; report the lowest failing index. */
            failed = i < failed ? i : failed;
            n = -1;
            f.service_level = f.asa = f.occupancy = f.p_wait = f.p_abandon =
                NAN;
        }
        if (out->agents)
            out->agents[i] = n;
        /* Shrinkage a hair below 1 can turn agents into more heads than a
         * count can hold: refused after the loop, never wrapped around. */
        if (n >= 0 && !((double)n / (1.0 - s) <= MAX_COUNT))
            too_big = i < too_big ? i : too_big;
        if (out->heads)
            out->heads[i] = n < 0 ? -1 : sp_heads(n, s);
        if (out->traffic)
            out->traffic[i] = a;
        if (out->service_level)
            out->service_level[i] = f.service_level;
        if (out->asa)
            out->asa[i] = f.asa;
        if (out->occupancy)
            out->occupancy[i] = f.occupancy;
        if (out->p_wait)
            out->p_wait[i] = f.p_wait;
        if (out->p_abandon)
            out->p_abandon[i] = f.p_abandon;
    }
    if (failed != LLONG_MAX)
        return sp__diag_set(diag, SP_EUNREACHABLE, "volume", failed,
                            "no staffing meets the targets at volume[%lld]",
                            failed);
    if (too_big != LLONG_MAX) {
        double s = shrinkage[shrink_count == 1 ? 0 : too_big];
        return sp__diag_set(diag, SP_ETOOBIG, "shrinkage",
                            shrink_count == 1 ? -1 : too_big,
                            "shrinkage %.17g at volume[%lld] turns %lld agents "
                            "into more than 2^53 heads",
                            s, too_big, out->agents ? out->agents[too_big] : -1LL);
    }
    return SP_OK;
}
