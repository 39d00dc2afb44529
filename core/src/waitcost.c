/*
 * Cost mode's waiting cost W (docs/problem-format.md, objective.wait_cost)
 * and the per-interval tables the schedule IP and its heuristics read.
 *
 * w(k) at whole k productive agents is Erlang C's ASA and late-call
 * probability priced per contact; W(h) at h heads interpolates w linearly
 * at n = h (1 - shrinkage).  The arithmetic follows
 * staffplan/evaluation.py step for step, so that the solver's objective
 * and the evaluator's recomputation agree to rounding.
 */
#include "internal.h"

#include <math.h>
#include <omp.h>
#include <stdlib.h>
#include <string.h>

/* Productive agents within this of a whole number count as whole (21
 * heads * 0.7 is 14.699999...), as in evaluation.py. */
#define WHOLE_NOISE 1e-9

/* The longest table per interval; beyond it W is computed on demand. */
#define TABLE_MAX 65536

/* Relative size at which a table ends. */
#define TABLE_EPS 1e-15

/* w(k) from Erlang B at k agents (k > a). */
static double w_whole(long long k, double b, double a, double volume, double aht,
                      const sp_wait_params *p)
{
    double c = sp__erlang_c_from_b(b, k, a);
    double asa = c * aht / ((double)k - a);
    double late = c * exp(-((double)k - a) * p->late_after / aht);
    return volume * (asa / 3600.0 * p->per_waiting_hour + late * p->per_late_call);
}

static long long whole(double n) { return (long long)floor(n + WHOLE_NOISE); }

/* W(h) computed from scratch (Erlang B by the fast start). */
static double wait_direct(double heads, double volume, double aht, double a,
                          const sp_wait_params *p)
{
    if (volume == 0.0)
        return 0.0;
    long long kmin = (long long)floor(a) + 1;
    double n = heads * (1.0 - p->shrinkage);
    long long k = whole(n);
    if (k < kmin)
        return w_whole(kmin, sp__erlang_b_fast(kmin, a), a, volume, aht, p);
    double frac = fmin(fmax(n - (double)k, 0.0), 1.0);
    double b0 = sp__erlang_b_fast(k, a);
    double w0 = w_whole(k, b0, a, volume, aht, p);
    if (frac == 0.0)
        return w0;
    double b1 = sp__erlang_b_next(b0, k + 1, a);
    return (1.0 - frac) * w0 + frac * w_whole(k + 1, b1, a, volume, aht, p);
}

static int bad_params(const sp_wait_params *p)
{
    return p == NULL || !(p->interval > 0.0) || !isfinite(p->interval) ||
           !(p->shrinkage >= 0.0) || !(p->shrinkage < 1.0) ||
           !(p->per_waiting_hour >= 0.0) || !isfinite(p->per_waiting_hour) ||
           !(p->per_late_call >= 0.0) || !isfinite(p->per_late_call) ||
           !(p->late_after >= 0.0) || !isfinite(p->late_after);
}

double sp_wait_cost(double heads, double volume, double aht, const sp_wait_params *p)
{
    if (bad_params(p) || !(heads >= 0.0) || !isfinite(heads) || !(volume >= 0.0) ||
        !isfinite(volume) || !(aht > 0.0) || !isfinite(aht))
        return NAN;
    double a = volume * aht / p->interval;
    if (!(a <= SP_MAX_TRAFFIC))
        return NAN;
    return wait_direct(heads, volume, aht, a, p);
}

/* One interval's table.  w(k) for k = kmin, kmin + 1, ... by the O(1)
 * recursion from the fast start at kmin.  Returns SP_OK or SP_ENOMEM. */
static int build_one(sp__wait_table *wt, size_t t)
{
    const sp_wait_params *p = &wt->par;
    double volume = wt->volume[t], aht = wt->aht[t], a = wt->traffic[t];
    if (volume == 0.0) {
        wt->m[t] = 0;
        wt->below[t] = 0.0;
        wt->tab[t] = calloc(1, sizeof(double));
        wt->len[t] = 1;
        wt->inc[t] = 0;
        return wt->tab[t] ? SP_OK : SP_ENOMEM;
    }
    long long kmin = (long long)floor(a) + 1;
    long long m = sp_heads(kmin, p->shrinkage);
    wt->m[t] = m;
    /* w(kmin + i) in ws[i], grown as the heads need. */
    size_t wcap = 64, wn = 1;
    double *ws = malloc(wcap * sizeof *ws);
    size_t cap = 64;
    double *tab = malloc(cap * sizeof *tab);
    if (ws == NULL || tab == NULL) {
        free(ws);
        free(tab);
        return SP_ENOMEM;
    }
    double b = sp__erlang_b_fast(kmin, a);
    ws[0] = w_whole(kmin, b, a, volume, aht, p);
    wt->below[t] = ws[0];
    int len = 0;
    for (;;) {
        double n = (double)(m + len) * (1.0 - p->shrinkage);
        long long k = whole(n);
        double v;
        if (k < kmin) {
            v = ws[0];
        } else {
            while ((long long)wn < k - kmin + 2) {
                if (wn == wcap) {
                    double *g = realloc(ws, 2 * wcap * sizeof *ws);
                    if (g == NULL) {
                        free(ws);
                        free(tab);
                        return SP_ENOMEM;
                    }
                    ws = g;
                    wcap *= 2;
                }
                long long kk = kmin + (long long)wn;
                b = sp__erlang_b_next(b, kk, a);
                ws[wn++] = w_whole(kk, b, a, volume, aht, p);
            }
            double frac = fmin(fmax(n - (double)k, 0.0), 1.0);
            double w0 = ws[k - kmin];
            v = frac == 0.0 ? w0 : (1.0 - frac) * w0 + frac * ws[k - kmin + 1];
        }
        if ((size_t)len == cap) {
            double *g = realloc(tab, 2 * cap * sizeof *tab);
            if (g == NULL) {
                free(ws);
                free(tab);
                return SP_ENOMEM;
            }
            tab = g;
            cap *= 2;
        }
        tab[len++] = v;
        if (v <= TABLE_EPS * tab[0] || len >= TABLE_MAX)
            break;
    }
    free(ws);
    wt->tab[t] = tab;
    wt->len[t] = len;
    int inc = 0;
    if (tab[0] > 0.0)
        while (inc < len - 1 && tab[inc] > SP__WAIT_MODEL_EPS * tab[0])
            inc++;
    wt->inc[t] = inc;
    return SP_OK;
}

void sp__wait_table_free(sp__wait_table *wt)
{
    if (wt == NULL)
        return;
    if (wt->tab != NULL)
        for (size_t t = 0; t < wt->intervals; t++)
            free(wt->tab[t]);
    free(wt->tab);
    free(wt->volume);
    free(wt->aht);
    free(wt->traffic);
    free(wt->m);
    free(wt->below);
    free(wt->len);
    free(wt->inc);
    free(wt);
}

int sp__wait_table_create(size_t intervals, const double *volume, const double *aht,
                          size_t aht_count, const sp_wait_params *par, int threads,
                          sp__wait_table **out, sp_diag *diag)
{
    *out = NULL;
    if (par == NULL || volume == NULL || aht == NULL)
        return sp__diag_set(diag, SP_EINVAL, "wait_cost", -1,
                            "volume, aht and the wait parameters must not be NULL");
    if (!(par->interval > 0.0) || !isfinite(par->interval))
        return sp__diag_set(diag, SP_EINVAL, "interval", -1,
                            "interval must be > 0 seconds, got %g", par->interval);
    if (!(par->shrinkage >= 0.0) || !(par->shrinkage < 1.0))
        return sp__diag_set(diag, SP_EINVAL, "shrinkage", -1,
                            "shrinkage must be a fraction in [0, 1), got %g", par->shrinkage);
    const struct {
        const char *name;
        double v;
    } costs[] = {{"per_waiting_hour", par->per_waiting_hour},
                 {"per_late_call", par->per_late_call},
                 {"late_after", par->late_after}};
    for (int i = 0; i < 3; i++)
        if (!(costs[i].v >= 0.0) || !isfinite(costs[i].v) || costs[i].v > 1e12)
            return sp__diag_set(diag, SP_EINVAL, costs[i].name, -1,
                                "%s must be a finite number in [0, 1e12], got %g",
                                costs[i].name, costs[i].v);
    if (aht_count != 1 && aht_count != intervals)
        return sp__diag_set(diag, SP_EINVAL, "aht", -1,
                            "aht holds 1 or %zu values, got %zu", intervals, aht_count);
    for (size_t t = 0; t < intervals; t++) {
        if (!(volume[t] >= 0.0) || !isfinite(volume[t]))
            return sp__diag_set(diag, SP_EINVAL, "volume", (long long)t,
                                "volume[%zu] must be finite and >= 0, got %g", t, volume[t]);
        double h = aht[aht_count == 1 ? 0 : t];
        if (!(h > 0.0) || !isfinite(h))
            return sp__diag_set(diag, SP_EINVAL, "aht", aht_count == 1 ? -1 : (long long)t,
                                "aht must be finite and > 0 seconds, got %g", h);
        double a = volume[t] * h / par->interval;
        if (!(a <= SP_MAX_TRAFFIC))
            return sp__diag_set(diag, SP_ETOOBIG, "volume", (long long)t,
                                "traffic %g Erlangs in interval %zu is above %g", a, t,
                                SP_MAX_TRAFFIC);
        if (volume[t] > 0.0 && sp_heads((long long)floor(a) + 1, par->shrinkage) > 1000000000LL)
            return sp__diag_set(diag, SP_ETOOBIG, "volume", (long long)t,
                                "interval %zu needs more than 1e9 heads", t);
    }
    sp__wait_table *wt = calloc(1, sizeof *wt);
    if (wt == NULL)
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    size_t n = intervals > 0 ? intervals : 1;
    wt->par = *par;
    wt->intervals = intervals;
    wt->volume = malloc(n * sizeof(double));
    wt->aht = malloc(n * sizeof(double));
    wt->traffic = malloc(n * sizeof(double));
    wt->m = calloc(n, sizeof(long long));
    wt->below = calloc(n, sizeof(double));
    wt->tab = calloc(n, sizeof(double *));
    wt->len = calloc(n, sizeof(int));
    wt->inc = calloc(n, sizeof(int));
    if (!wt->volume || !wt->aht || !wt->traffic || !wt->m || !wt->below || !wt->tab ||
        !wt->len || !wt->inc) {
        sp__wait_table_free(wt);
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    }
    for (size_t t = 0; t < intervals; t++) {
        wt->volume[t] = volume[t];
        wt->aht[t] = aht[aht_count == 1 ? 0 : t];
        wt->traffic[t] = wt->volume[t] * wt->aht[t] / par->interval;
    }
    int nthreads = threads > 0 ? threads : omp_get_max_threads();
    if (nthreads < 1)
        nthreads = 1;
    int failed = 0;
#pragma omp parallel for num_threads(nthreads) schedule(dynamic, 16) reduction(| : failed)
    for (long long t = 0; t < (long long)intervals; t++)
        failed |= build_one(wt, (size_t)t) != SP_OK;
    if (failed) {
        sp__wait_table_free(wt);
        return sp__diag_set(diag, SP_ENOMEM, "", -1, "out of memory");
    }
    *out = wt;
    return SP_OK;
}

double sp__wait_at(const sp__wait_table *wt, size_t t, long long heads)
{
    long long j = heads - wt->m[t];
    if (j < 0)
        return wt->below[t];
    if (j < wt->len[t])
        return wt->tab[t][j];
    return wait_direct((double)heads, wt->volume[t], wt->aht[t], wt->traffic[t], &wt->par);
}
