/*
 * The best row of one agent (roster_internal.h): dynamic programming over
 * days, each state the agent's rule state after a day (the end of the last
 * shift while rest can still see it, the last shift while successions
 * can, the lengths of the current stretch of work or days off, whether the
 * horizon's first stretch is still open, the week's and the horizon's
 * minutes, the weekends worked, the count of each limited shift).  States
 * that agree on all of it merge, keeping the cheaper; so with every state
 * kept the row found is the cheapest that keeps all of the agent's rules.
 * When a day has more than `beam` states only the `beam` cheapest go on
 * (ties by order of creation, so the result does not depend on threads)
 * and the answer is a good row, not a proven best one.
 */
#define _POSIX_C_SOURCE 200809L

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "roster_internal.h"

#define DP_KEY_INLINE 32       /* key fields kept on the stack */
#define DP_HCAP_MAX (1u << 23) /* hash slots at most            */

/* Key of a state: fixed fields, then one count per limited shift. */
enum { K_END, K_LAST, K_RUN, K_OFF, K_FIRST, K_WM, K_TOT, K_WE, K_FIXED };

struct sp__dp {
    const sp_roster *p;
    const unsigned char *cf;
    int nweeks, beam;
    double *cost;
    int *prev, *dec, *key;
    size_t n, cap;
    uint32_t *stamp;
    int *slot;
    uint32_t gen;
    size_t hcap;
    double *dc;  /* D * (S + 1) */
    int *lim;    /* S */
    int *cend;   /* S: the state's end after shift s (see canon_ends) */
    double *sel; /* costs of one day, for the beam's threshold */
    size_t selcap;
    int err;
};

sp__dp *sp__dp_new(const sp_roster *p, const unsigned char *cf, int nweeks, int beam)
{
    sp__dp *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->p = p;
    b->cf = cf;
    b->nweeks = nweeks;
    b->beam = beam > 0 ? beam : 1;
    /* a day's states before the cut: at most beam * (S + 1); the table at
     * most half full */
    size_t want = 2 * (size_t)b->beam * (size_t)(p->S + 1), h = 1024;
    while (h < want && h < DP_HCAP_MAX)
        h *= 2;
    b->hcap = h;
    b->stamp = calloc(h, sizeof *b->stamp);
    b->slot = malloc(h * sizeof *b->slot);
    b->dc = malloc((size_t)(p->days > 0 ? p->days : 1) * (size_t)(p->S + 1) * sizeof *b->dc);
    b->lim = malloc((size_t)(p->S > 0 ? p->S : 1) * sizeof *b->lim);
    b->cend = malloc((size_t)(p->S > 0 ? p->S : 1) * sizeof *b->cend);
    if (!b->stamp || !b->slot || !b->dc || !b->lim || !b->cend) {
        sp__dp_free(b);
        return NULL;
    }
    return b;
}

void sp__dp_free(sp__dp *b)
{
    if (b == NULL)
        return;
    free(b->cost);
    free(b->prev);
    free(b->dec);
    free(b->key);
    free(b->stamp);
    free(b->slot);
    free(b->dc);
    free(b->lim);
    free(b->cend);
    free(b->sel);
    free(b);
}

double *sp__dp_costs(sp__dp *b) { return b->dc; }

int sp__dp_failed(const sp__dp *b) { return b->err; }

static int pb_reserve(sp__dp *b, size_t need, int ks)
{
    if (need <= b->cap)
        return 0;
    size_t n = b->cap ? b->cap : 4096;
    while (n < need)
        n *= 2;
    double *c = realloc(b->cost, n * sizeof *c);
    if (c)
        b->cost = c;
    int *pv = realloc(b->prev, n * sizeof *pv);
    if (pv)
        b->prev = pv;
    int *dv = realloc(b->dec, n * sizeof *dv);
    if (dv)
        b->dec = dv;
    int *kv = realloc(b->key, n * (size_t)ks * sizeof *kv);
    if (kv)
        b->key = kv;
    if (!c || !pv || !dv || !kv)
        return -1;
    b->cap = n;
    return 0;
}

static inline uint32_t key_hash(const int *k, int ks)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < ks; i++)
        h = sp__mix64(h, (uint64_t)(uint32_t)k[i]);
    return (uint32_t)h;
}

/* Adds (or improves) the state `k` of the current day; returns -1 when
 * memory ran out.  A day never fills more than half the table: past that
 * (only when the table is at its largest) new states are dropped (*full). */
static int put(sp__dp *b, const int *k, int ks, double cost, int prev, int dec, size_t day0,
               int *full)
{
    size_t mask = b->hcap - 1;
    size_t i = key_hash(k, ks) & mask;
    for (;; i = (i + 1) & mask) {
        if (b->stamp[i] != b->gen)
            break;
        int j = b->slot[i];
        if (memcmp(&b->key[(size_t)j * ks], k, (size_t)ks * sizeof *k) == 0) {
            if (cost < b->cost[j] - 1e-12) {
                b->cost[j] = cost;
                b->prev[j] = prev;
                b->dec[j] = dec;
            }
            return 0;
        }
    }
    if (b->n - day0 >= b->hcap / 2) {
        *full = 1;
        return 0;
    }
    if (pb_reserve(b, b->n + 1, ks) < 0)
        return -1;
    size_t j = b->n++;
    memcpy(&b->key[j * ks], k, (size_t)ks * sizeof *k);
    b->cost[j] = cost;
    b->prev[j] = prev;
    b->dec[j] = dec;
    b->stamp[i] = b->gen;
    b->slot[i] = (int)j;
    return 0;
}

/* The k-th smallest of x[0..n) (0-based; x is reordered): quickselect
 * with Hoare's partition. */
static double kth(double *x, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (hi > lo) {
        double piv = x[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < piv)
                i++;
            while (x[j] > piv)
                j--;
            if (i <= j) {
                double t = x[i];
                x[i] = x[j];
                x[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        /* x[lo..j] <= piv <= x[i..hi], and piv between them */
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return x[k];
    }
    return x[k];
}

/* Keeps the day's `beam` cheapest states (from day0), ties in order of
 * creation, packed in their order. */
static void keep_cheapest(sp__dp *b, int ks, size_t day0)
{
    size_t m = b->n - day0, beam = (size_t)b->beam;
    if (m > b->selcap) {
        double *s = realloc(b->sel, m * sizeof *s);
        if (s == NULL) {
            b->n = day0 + beam; /* no room to choose: the first ones */
            return;
        }
        b->sel = s;
        b->selcap = m;
    }
    memcpy(b->sel, &b->cost[day0], m * sizeof *b->sel);
    double thr = kth(b->sel, m, beam - 1);
    size_t below = 0;
    for (size_t j = day0; j < b->n; j++)
        below += b->cost[j] < thr;
    size_t ties = beam - below, out = day0;
    for (size_t j = day0; j < b->n; j++) {
        int keep = b->cost[j] < thr;
        if (!keep && b->cost[j] == thr && ties > 0) {
            keep = 1;
            ties--;
        }
        if (!keep)
            continue;
        if (out != j) {
            b->cost[out] = b->cost[j];
            b->prev[out] = b->prev[j];
            b->dec[out] = b->dec[j];
            memcpy(&b->key[out * ks], &b->key[j * ks], (size_t)ks * sizeof *b->key);
        }
        out++;
    }
    b->n = out;
}

/* The end of the last shift is in the state only for the rest rule: the
 * next day's shift s2 needs st2 >= end + rest - 1440 =: h.  Ends that let
 * the same next-day shifts through are the same state: the end after
 * shift s is replaced by the one whose h is the first start at or after
 * its own (-1: every shift allowed, nothing to remember).  Only when one
 * day off already clears the rest (end + rest <= 2880 + the earliest
 * start) for the end and its replacement alike, so that the two agree on
 * every later day too; otherwise the end is kept. */
static void canon_ends(sp__dp *b, int rest)
{
    const sp_roster *p = b->p;
    int minst = 1440;
    for (int s = 0; s < p->S; s++)
        minst = p->st[s] < minst ? p->st[s] : minst;
    for (int s = 0; s < p->S; s++) {
        int e = p->st[s] + p->len[s];
        b->cend[s] = e;
        if ((long long)e + rest > 2880 + minst)
            continue;
        int h = e + rest - 1440;
        if (h <= minst) {
            b->cend[s] = -1;
            continue;
        }
        int m = INT_MAX;
        for (int s2 = 0; s2 < p->S; s2++)
            if (p->st[s2] >= h && p->st[s2] < m)
                m = p->st[s2];
        /* m + 1440 - rest lets exactly the starts >= m through, and one day
         * off clears it (m < 1440); with no start at or after h, the latest
         * end that one day off clears (>= e > 0) blocks every start */
        b->cend[s] = m == INT_MAX ? 2880 + minst - rest : m + 1440 - rest;
    }
}

double sp__dp_best(sp__dp *b, int a, int *row, int *exact)
{
    const sp_roster *p = b->p;
    const sp_roster_agent *ag = &p->ag[a].a;
    int D = p->days, S = p->S, S1 = S + 1, nweeks = b->nweeks;
    *exact = 1;
    b->err = 0;
    int nlim = 0, maxlen = 0, minst = 1440;
    for (int s = 0; s < S; s++) {
        b->lim[s] = ag->max_shifts && ag->max_shifts[s] >= 0 ? nlim++ : -1;
        minst = p->st[s] < minst ? p->st[s] : minst;
    }
    for (int d = 0; d < D; d++) {
        const double *dc = &b->dc[(size_t)d * S1];
        for (int s = 0; s < S; s++)
            if (dc[1 + s] != INFINITY && p->len[s] > maxlen)
                maxlen = p->len[s];
    }
    for (int k = 0; k < ag->request_count; k++) {
        const sp_roster_request *q = &ag->requests[k];
        double *dc = &b->dc[(size_t)q->day * S1];
        if (q->work)
            dc[0] += q->weight;
        for (int s = 0; s < S; s++) {
            int hit = q->shift < 0 || q->shift == s;
            if (q->work ? !hit : hit)
                dc[1 + s] += q->weight;
        }
    }
    int ks = K_FIXED + nlim;
    int rest = ag->min_rest > 0 ? ag->min_rest : 0;
    canon_ends(b, rest);
    int track_wm = ag->max_week_minutes >= 0 || ag->min_week_minutes > 0;
    int track_tot = ag->max_minutes >= 0 || ag->min_minutes > 0;
    int runcap = 1;
    if (ag->max_work_days > runcap)
        runcap = ag->max_work_days;
    if (ag->min_work_days > runcap)
        runcap = ag->min_work_days;
    int offcap = ag->min_days_off > 1 ? ag->min_days_off : 1;
    int nsucc = p->nsucc > 0;
    /* the state being extended (kk, changed and restored per move) and its
     * copy (o): the arena may move when it grows */
    int k[2 * DP_KEY_INLINE];
    int *kk = k, *o = k + DP_KEY_INLINE;
    int *heap = NULL;
    if (ks > DP_KEY_INLINE) {
        heap = malloc(2 * (size_t)ks * sizeof *heap);
        if (heap == NULL) {
            b->err = 1;
            return INFINITY;
        }
        kk = heap;
        o = heap + ks;
    }
    b->n = 0;
    if (pb_reserve(b, 1, ks) < 0) {
        b->err = 1;
        free(heap);
        return INFINITY;
    }
    /* the state before day 0 */
    memset(b->key, 0, (size_t)ks * sizeof *b->key);
    b->key[K_END] = b->key[K_LAST] = -1;
    b->key[K_FIRST] = 1;
    b->cost[0] = 0.0;
    b->prev[0] = -1;
    b->dec[0] = -1;
    b->n = 1;
    size_t lo = 0, hi = 1;
    int full = 0;
    for (int d = 0; d < D && lo < hi; d++) {
        b->gen++;
        if (b->gen == 0) {
            memset(b->stamp, 0, b->hcap * sizeof *b->stamp);
            b->gen = 1;
        }
        int wk = d / 7, wkin = wk < nweeks, wd = (p->wd0 + d) % 7;
        int left_in_week = 7 * wk + 6 - d; /* days after d in its week */
        const double *dc = &b->dc[(size_t)d * S1];
        size_t day0 = hi;
        for (size_t j = lo; j < hi; j++) {
            memcpy(o, &b->key[j * ks], (size_t)ks * sizeof *o);
            memcpy(kk, o, (size_t)ks * sizeof *kk);
            if (d > 0 && d % 7 == 0 && d / 7 - 1 < nweeks) {
                if (ag->min_week_minutes > 0 && kk[K_WM] < ag->min_week_minutes)
                    continue;
                kk[K_WM] = 0;
            }
            int run = kk[K_RUN], off = kk[K_OFF], first = kk[K_FIRST];
            int end = kk[K_END], last = kk[K_LAST], wm = kk[K_WM], tot = kk[K_TOT];
            double c0 = b->cost[j];
            /* off */
            if (!(run > 0 && !first && ag->min_work_days > 0 && run < ag->min_work_days)) {
                int *n = kk;
                n[K_RUN] = 0;
                n[K_FIRST] = run > 0 ? 0 : first;
                n[K_OFF] = off + 1;
                n[K_LAST] = -1;
                if (end >= 0 && (long long)(off + 2) * 1440 + minst - end >= rest)
                    n[K_END] = -1;
                if (n[K_END] < 0 && n[K_OFF] > offcap)
                    n[K_OFF] = offcap;
                int dead = 0;
                if (track_tot && ag->min_minutes > 0 &&
                    (long long)tot + (long long)maxlen * (D - 1 - d) < ag->min_minutes)
                    dead = 1;
                if (wkin && ag->min_week_minutes > 0 &&
                    (long long)wm + (long long)maxlen * left_in_week < ag->min_week_minutes)
                    dead = 1;
                if (!dead && put(b, n, ks, c0 + dc[0], (int)j, -1, day0, &full) < 0)
                    goto oom;
                memcpy(kk, o, (size_t)ks * sizeof *kk);
                if (d > 0 && d % 7 == 0 && d / 7 - 1 < nweeks)
                    kk[K_WM] = 0;
            }
            /* a shift */
            if (off > 0 && !first && ag->min_days_off > 0 && off < ag->min_days_off)
                continue;
            if (run > 0 && ag->max_work_days >= 0 && run + 1 > ag->max_work_days)
                continue;
            int new_we = 0;
            if (wd >= 5 && ag->max_weekends >= 0 && !(wd == 6 && d > 0 && run > 0)) {
                if (kk[K_WE] + 1 > ag->max_weekends)
                    continue;
                new_we = 1;
            }
            for (int s = 0; s < S; s++) {
                double cs = dc[1 + s];
                if (cs == INFINITY)
                    continue;
                int len = p->len[s];
                if (end >= 0 && (long long)(off + 1) * 1440 + p->st[s] - end < rest)
                    continue;
                if (run > 0 && last >= 0 && b->cf[(size_t)last * S + s])
                    continue;
                if (wkin && ag->max_week_minutes >= 0 && wm + len > ag->max_week_minutes)
                    continue;
                if (ag->max_minutes >= 0 && (long long)tot + len > ag->max_minutes)
                    continue;
                int ls = b->lim[s];
                if (ls >= 0 && kk[K_FIXED + ls] + 1 > ag->max_shifts[s])
                    continue;
                int nwm = track_wm && wkin ? wm + len : 0;
                int ntot = track_tot ? tot + len : 0;
                if (track_tot && ag->min_minutes > 0 &&
                    (long long)ntot + (long long)maxlen * (D - 1 - d) < ag->min_minutes)
                    continue;
                if (wkin && ag->min_week_minutes > 0 &&
                    (long long)nwm + (long long)maxlen * left_in_week < ag->min_week_minutes)
                    continue;
                int *n = kk;
                int save_run = n[K_RUN], save_off = n[K_OFF], save_first = n[K_FIRST];
                int save_end = n[K_END], save_last = n[K_LAST], save_wm = n[K_WM];
                int save_tot = n[K_TOT], save_we = n[K_WE];
                n[K_RUN] = run + 1 > runcap ? runcap : run + 1;
                n[K_OFF] = 0;
                n[K_FIRST] = run > 0 ? first : (off > 0 ? 0 : first);
                n[K_END] = b->cend[s];
                n[K_LAST] = nsucc ? s : -1;
                n[K_WM] = nwm;
                n[K_TOT] = ntot;
                n[K_WE] = kk[K_WE] + new_we;
                if (ls >= 0)
                    n[K_FIXED + ls]++;
                int rc = put(b, n, ks, c0 + cs, (int)j, s, day0, &full);
                if (ls >= 0)
                    n[K_FIXED + ls]--;
                n[K_RUN] = save_run;
                n[K_OFF] = save_off;
                n[K_FIRST] = save_first;
                n[K_END] = save_end;
                n[K_LAST] = save_last;
                n[K_WM] = save_wm;
                n[K_TOT] = save_tot;
                n[K_WE] = save_we;
                if (rc < 0)
                    goto oom;
            }
        }
        if (b->n - day0 > (size_t)b->beam) {
            keep_cheapest(b, ks, day0);
            full = 1;
        }
        lo = day0;
        hi = b->n;
    }
    if (full)
        *exact = 0;
    double best = INFINITY;
    long long bj = -1;
    if (lo < hi)
        for (size_t j = lo; j < hi; j++) {
            const int *fin = &b->key[j * ks];
            if (D % 7 == 0 && D / 7 - 1 < nweeks && ag->min_week_minutes > 0 &&
                fin[K_WM] < ag->min_week_minutes)
                continue;
            if (ag->min_minutes > 0 && fin[K_TOT] < ag->min_minutes)
                continue;
            if (b->cost[j] < best) {
                best = b->cost[j];
                bj = (long long)j;
            }
        }
    if (bj >= 0)
        for (int d = D - 1; d >= 0; d--) {
            row[d] = b->dec[bj];
            bj = b->prev[bj];
        }
    free(heap);
    return best;
oom:
    b->err = 1;
    free(heap);
    return INFINITY;
}
