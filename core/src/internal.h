/* Internal declarations shared by the core's source files (sp__ names). */
#ifndef STAFFPLAN_INTERNAL_H
#define STAFFPLAN_INTERNAL_H

#include "staffplan.h"

#if defined(__GNUC__)
#define SP__PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define SP__PRINTF(a, b)
#endif

/* Fills `diag` (if not NULL) and returns `status`. */
int sp__diag_set(sp_diag *diag, int status, const char *field, long long index,
                 const char *fmt, ...) SP__PRINTF(5, 6);

/* Monotonic wall-clock seconds. */
double sp__now(void);

/* *out = *limits (the defaults of sp_solve_limits_init when NULL); an
 * SP_EINVAL naming time_limit when it is not seconds in (0, 1e7]. */
int sp__solve_limits_read(const sp_solve_limits *limits, sp_solve_limits *out, sp_diag *diag);

/* The stop check of the schedule and roster solves: 1 when *cancel is set
 * (*cancelled = 1) or time_limit seconds have passed since t0
 * (*timed_out = 1), else 0. */
int sp__stop_now(double t0, double time_limit, const volatile int *cancel, int *cancelled,
                 int *timed_out);

/*
 * Erlang B at n agents, fast and exact to double precision: for large a the
 * recursion starts well below a, where its error contracts (erlang.c).
 */
double sp__erlang_b_fast(long long n, double a);

/* Erlang B by the full recursion from k = 0 (the reference). */
double sp__erlang_b_full(long long n, double a);

/* One step of the recursion: B(n) from B(n-1). */
static inline double sp__erlang_b_next(double b_prev, long long n, double a)
{
    double ab = a * b_prev;
    return ab / ((double)n + ab);
}

/* Erlang C from Erlang B, for n > a. */
static inline double sp__erlang_c_from_b(double b, long long n, double a)
{
    return (double)n * b / ((double)n - a * (1.0 - b));
}

/*
 * Cost mode's waiting cost tables (waitcost.c).  For interval t with
 * minimum heads m[t] (the stability minimum; 0 without traffic):
 * tab[t][j] = W(m[t] + j) for j < len[t], W decreasing and convex in
 * whole heads, the table ending where W falls below 1e-15 of W(m[t]) (or
 * at 0); below[t] = W at heads below m[t].  inc[t] is the number of
 * increments the IP models exactly: the smallest K with W(m + K) <=
 * SP__WAIT_MODEL_EPS * W(m) (0 when W(m) is 0).
 */
#define SP__WAIT_MODEL_EPS 1e-6

typedef struct sp__wait_table {
    sp_wait_params par;
    size_t intervals;
    double *volume, *aht, *traffic;
    long long *m;
    double *below;
    double **tab;
    int *len;
    int *inc;
} sp__wait_table;

/* Builds the tables (OpenMP over intervals); validates every input first.
 * On failure *out is NULL and diag names the field and index. */
int sp__wait_table_create(size_t intervals, const double *volume, const double *aht,
                          size_t aht_count, const sp_wait_params *par, int threads,
                          sp__wait_table **out, sp_diag *diag);

void sp__wait_table_free(sp__wait_table *wt);

/* W at `heads` whole heads in interval t (the table, or computed when
 * beyond it). */
double sp__wait_at(const sp__wait_table *wt, size_t t, long long heads);

/*
 * GLPK guard (glpk_guard.c), the one place that talks to GLPK's
 * environment.  sp__glpk_run runs `task` inside a fresh per-call GLPK
 * environment: terminal output goes to `log` (never to stdout), an internal
 * GLPK error longjmps back instead of aborting, and the environment (with
 * every GLPK object the task created) is freed before returning.  The task
 * must not allocate memory of ours nor enter an OpenMP construct: an error
 * may leave it at any GLPK call.  Returns the task's status, or SP_ESOLVER
 * after a GLPK error (log->error then holds GLPK's message).
 */
typedef struct sp__glpk_log {
    char text[4096];  /* the most recent terminal output, NUL-terminated */
    size_t len;
    char error[192];  /* GLPK's message when it reported an error        */
} sp__glpk_log;

typedef int (*sp__glpk_task)(void *arg);

int sp__glpk_run(sp__glpk_task task, void *arg, sp__glpk_log *log);

/* 1 when GLPK keeps thread-local environments (parallel solves allowed). */
int sp__glpk_thread_safe(void);

/* Test hook: provokes a GLPK internal error inside sp__glpk_run (a bound
 * on a column that does not exist).  Returns SP_ESOLVER with GLPK's
 * message in `diag`, as any GLPK error of a solve would; the process and
 * later solves are unaffected.  Reached from Python as
 * staffplan._core._glpk_fault() (tests/python/test_hardening.py). */
int sp__glpk_fault(sp_diag *diag);

#endif
