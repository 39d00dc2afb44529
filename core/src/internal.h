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
