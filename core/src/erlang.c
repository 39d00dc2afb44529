/*
 * Queueing formulas for one interval: Erlang B, Erlang C and Erlang A.
 *
 * Everything is computed by recursions and series in doubles or in log
 * space; no factorial or power of n appears, so nothing overflows at any
 * size the library accepts (up to SP_MAX_TRAFFIC Erlangs).
 */
#define _DEFAULT_SOURCE /* lgamma_r: lgamma writes the global signgam */
#include "internal.h"

#include <float.h>
#include <math.h>

double sp__erlang_b_full(long long n, double a)
{
    double b = 1.0;
    for (long long k = 1; k <= n; k++) {
        b = sp__erlang_b_next(b, k, a);
        if (b < DBL_MIN)
            return 0.0; /* Below the normal range B only loses digits and,
                         * rounding up at the smallest denormal, can stop
                         * decreasing; it stays below DBL_MIN for every
                         * larger k, so it is 0 to double precision. */
    }
    return b;
}

/*
 * The recursion written for R(k) = 1 / B(k) is R(k) = 1 + (k / a) R(k-1):
 * an error in R(s) is multiplied by prod (k / a) on the way to n.  Below a
 * every factor shrinks it, and log(a / k) >= (a - k) / a, so from s to
 * m = min(n, a) the error falls by at least
 * exp(-((a - s)^2 - (a - m)^2) / (2a)).  Starting at a - s =
 * sqrt((a - m)^2 + 144 a) makes that e^-72, far below double precision,
 * whatever rough value B(s) ~ (a - s) / a starts it; above a the relative
 * error stays put.  That costs O(sqrt(a)) steps instead of O(n).
 * tests/c/test_erlang.c checks it against the full recursion.
 */
double sp__erlang_b_fast(long long n, double a)
{
    if (a < 64.0 || n < 64)
        return sp__erlang_b_full(n, a);
    double below = a - (double)n; /* a - m, with m = min(n, a) */
    if (below < 0.0)
        below = 0.0;
    double start = a - sqrt(below * below + 144.0 * a) - 16.0;
    if (start < 1.0)
        return sp__erlang_b_full(n, a);
    long long s = (long long)start;
    double b = 1.0 - (double)s / a; /* Rough B(s); its error contracts away. */
    for (long long k = s + 1; k <= n; k++) {
        b = sp__erlang_b_next(b, k, a);
        if (b < DBL_MIN)
            return 0.0; /* See sp__erlang_b_full. */
    }
    return b;
}

static int bad_count(long long n) { return n < 0; }

/* Above SP_MAX_TRAFFIC the start of the recursion costs O(sqrt(a)) steps
 * (a billion at 1e18 Erlangs, forever at 1e300): out of domain, like NaN. */
static int bad_traffic(double a) { return !(a >= 0.0) || !(a <= SP_MAX_TRAFFIC); }

double sp_erlang_b(long long n, double a)
{
    if (bad_count(n) || bad_traffic(a))
        return NAN;
    if (a == 0.0)
        return n == 0 ? 1.0 : 0.0;
    return sp__erlang_b_fast(n, a);
}

double sp_erlang_c(long long n, double a)
{
    if (bad_count(n) || bad_traffic(a))
        return NAN;
    if (a == 0.0)
        return 0.0;
    if ((double)n <= a)
        return 1.0;
    return sp__erlang_c_from_b(sp__erlang_b_fast(n, a), n, a);
}

double sp_service_level(long long n, double a, double aht, double answer_time)
{
    if (bad_count(n) || bad_traffic(a) || !(aht > 0.0) || !isfinite(aht) ||
        !(answer_time >= 0.0))
        return NAN;
    if (a == 0.0)
        return 1.0;
    if ((double)n <= a)
        return 0.0;
    double c = sp_erlang_c(n, a);
    double sl = 1.0 - c * exp(-((double)n - a) * answer_time / aht);
    return sl < 0.0 ? 0.0 : sl;
}

double sp_asa(long long n, double a, double aht)
{
    if (bad_count(n) || bad_traffic(a) || !(aht > 0.0) || !isfinite(aht))
        return NAN;
    if (a == 0.0)
        return 0.0;
    if ((double)n <= a)
        return INFINITY;
    return sp_erlang_c(n, a) * aht / ((double)n - a);
}

double sp_occupancy(long long n, double a)
{
    if (bad_count(n) || bad_traffic(a))
        return NAN;
    if (a == 0.0)
        return 0.0;
    if ((double)n <= a)
        return 1.0;
    return a / (double)n;
}

/*
 * The series of Erlang A: T(j) = z^j / prod_{i=1..j} (x + i), j >= 0.
 * Returns log sum_{j>=0} T(j) in *log_s0, log sum_{j>=1} T(j) in *log_s1
 * and sum j T(j) / sum T(j) in *mean_j.  The terms rise while j < z - x and
 * then fall faster than geometrically, so the sum starts at the largest term
 * (computed in log space: it reaches e^1600 at 10,000 Erlangs) and walks
 * both ways until the terms no longer change the sum.
 */
static void erlang_a_series(double x, double z, double *log_s0,
                            double *log_s1, double *mean_j)
{
    if (z <= 0.0) {
        *log_s0 = 0.0;
        *log_s1 = -INFINITY;
        *mean_j = 0.0;
        return;
    }
    double peak_real = floor(z - x);
    long long peak = peak_real > 0.0 ? (long long)peak_real : 0;
    double log_peak = 0.0;
    if (peak > 0) {
        if (peak <= 4096) {
            for (long long i = 1; i <= peak; i++)
                log_peak += log(z / (x + (double)i));
        } else {
            int sign;
            log_peak = (double)peak * log(z) - lgamma_r(x + (double)peak + 1.0, &sign) +
                       lgamma_r(x + 1.0, &sign);
        }
    }
    const double tiny = 1e-18;
    double sum = 1.0, sum1 = peak >= 1 ? 1.0 : 0.0, sumj = (double)peak;
    double t = 1.0;
    for (long long j = peak + 1;; j++) {
        t *= z / (x + (double)j);
        sum += t;
        sum1 += t;
        sumj += (double)j * t;
        if (t < tiny * sum)
            break;
    }
    t = 1.0;
    for (long long j = peak - 1; j >= 0; j--) {
        t *= (x + (double)(j + 1)) / z;
        sum += t;
        if (j >= 1)
            sum1 += t;
        sumj += (double)j * t;
        if (t < tiny * sum)
            break;
    }
    *log_s0 = log_peak + log(sum);
    *log_s1 = sum1 > 0.0 ? log_peak + log(sum1) : -INFINITY;
    *mean_j = sumj / sum;
}

int sp_erlang_a(long long n, double a, double aht, double patience,
                double answer_time, sp_erlang_a_metrics *out)
{
    if (out == NULL || bad_count(n) || bad_traffic(a) || !(aht > 0.0) ||
        !isfinite(aht) || !(patience > 0.0) || !isfinite(patience) ||
        !(answer_time >= 0.0) || !(a * patience / aht <= SP_MAX_ERLANG_A_LOAD))
        return SP_EINVAL;
    if (a == 0.0) {
        out->p_wait = 0.0;
        out->p_abandon = 0.0;
        out->service_level = 1.0;
        out->asa = 0.0;
        out->occupancy = 0.0;
        return SP_OK;
    }
    /* In units of the patience rate theta: x = n mu / theta, y = lambda /
     * theta.  P(wait) = S E / (1 - E + S E) with S = A(x, y) and E the
     * Erlang B value; pi_n = P(wait) / S is the probability of state n. */
    double x = (double)n * patience / aht;
    /* x overflows for a patience some 1e308 handle times long; every
     * figure has reached its x -> infinity limit long before 1e300, and a
     * finite x keeps inf - inf (NaN) out of the log-space sums below. */
    if (x > 1e300)
        x = 1e300;
    double y = a * patience / aht;
    /* Likewise y underflows to 0 for a patience of 1e-322 s, and 0 / 0
     * would follow; the figures have converged as y -> 0 long before. */
    if (y < 1e-300)
        y = 1e-300;
    double e = sp__erlang_b_fast(n, a);
    double log_s0, log_s1, mean_j;
    erlang_a_series(x, y, &log_s0, &log_s1, &mean_j);
    double p_wait, log_pi;
    if (e == 0.0) {
        p_wait = 0.0;
        log_pi = -INFINITY;
    } else {
        double log_se = log_s0 + log(e);
        double log_den = log_se > 0.0
                             ? log_se + log1p((1.0 - e) * exp(-log_se))
                             : log((1.0 - e) + exp(log_se));
        p_wait = fmin(1.0, exp(log_se - log_den));
        log_pi = log(e) - log_den;
    }
    /* Abandonment flow theta E[queue] = lambda P(abandon) gives
     * P(abandon) = pi_n sum j T(j) / y; every waiting contact abandons at
     * rate theta, so the mean wait is P(abandon) / theta. */
    double p_ab = fmin(1.0, p_wait * mean_j / y);
    /* Answered after waiting longer than t: pi_n times
     * exp(y (1 - e^{-theta t}) - theta t x) (x / y) S1(x, y e^{-theta t}),
     * from summing the tagged contact's hypoexponential waits over the
     * number ahead of it. */
    double sl;
    if (n == 0) {
        sl = 0.0;
    } else {
        double tt = answer_time / patience;
        double log_ratio = log(x) - log(y);
        double served_wait = exp(log_pi + log_ratio + log_s1);
        double late = 0.0;
        if (served_wait > 0.0) {
            double zt = y * exp(-tt);
            double l0, l1, mj;
            erlang_a_series(x, zt, &l0, &l1, &mj);
            late = exp(log_pi + y * -expm1(-tt) - tt * x + log_ratio + l1);
        }
        sl = 1.0 - p_wait + served_wait - late;
    }
    if (sl < 0.0)
        sl = 0.0;
    if (sl > 1.0)
        sl = 1.0;
    out->p_wait = p_wait;
    out->p_abandon = p_ab;
    out->service_level = sl;
    out->asa = p_ab * patience;
    /* With n far below a, 1 - p_ab keeps only the digits p_ab's rounding
     * left (relative 1e-7 at 1e9 Erlangs), which can put the carried load
     * a hair above n: occupancy is capped at 1 like Erlang C's. */
    out->occupancy = n == 0 ? 1.0 : fmin(1.0, (1.0 - p_ab) * a / (double)n);
    return SP_OK;
}
