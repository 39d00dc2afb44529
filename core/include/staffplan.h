/*
 * staffplan.h - the one public header of the staffplan C core.
 *
 * Sections follow the data flow: version and errors, queueing formulas,
 * requirements.  Later sections (shifts, schedule, roster, evaluation) are
 * added as the pipeline grows.
 *
 * Thread rule: every function here is reentrant.  Nothing is kept in globals;
 * functions that take a thread count run an OpenMP parallel region inside and
 * must not be called from inside another OpenMP region of the caller's.
 * The library never prints, exits or aborts.
 */
#ifndef STAFFPLAN_H
#define STAFFPLAN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ======================================================================
 * Version
 * ==================================================================== */

#define SP_VERSION_MAJOR 0
#define SP_VERSION_MINOR 1
#define SP_VERSION_PATCH 0
#define SP_VERSION_STRING "0.1.0"

/* Returns SP_VERSION_STRING of the library actually linked. */
const char *sp_version(void);

/* ======================================================================
 * Errors
 *
 * Every function that can fail returns an int status: SP_OK (0) or one of
 * the negative codes below.  The table is the only place codes are defined;
 * sp_strerror() and sp_status_name() are generated from it.
 * ==================================================================== */

#define SP_STATUS_TABLE(X)                                                   \
    X(SP_OK, 0, "success")                                                   \
    X(SP_EINVAL, -1, "invalid argument")                                     \
    X(SP_ENOMEM, -2, "out of memory")                                        \
    X(SP_EUNREACHABLE, -3, "target cannot be reached")                       \
    X(SP_ETOOBIG, -4, "problem too large")                                   \
    X(SP_ECANCELLED, -5, "cancelled")                                        \
    X(SP_ESOLVER, -6, "solver error")

enum sp_status {
#define SP__STATUS_ENUM(name, code, text) name = code,
    SP_STATUS_TABLE(SP__STATUS_ENUM)
#undef SP__STATUS_ENUM
};

/* A static English message for a status code; never NULL. */
const char *sp_strerror(int status);

/* The symbolic name of a status code ("SP_EINVAL"); never NULL. */
const char *sp_status_name(int status);

/*
 * Detail for a failed call: which input and which element.  Callers own the
 * struct (usually on their stack); functions fill it only on failure.
 * `index` is -1 when the problem is not tied to one element.
 */
typedef struct sp_diag {
    int status;
    long long index;
    char field[32];
    char message[192];
} sp_diag;

/* ======================================================================
 * Queueing formulas (one interval)
 *
 * n is the number of productive agents, a the offered traffic in Erlangs
 * (contacts * AHT / interval length), aht and times in seconds.  Erlang B is
 * computed by the recursion B(k) = a B(k-1) / (k + a B(k-1)), never with
 * factorials, so any n and a up to 1e9 Erlangs are safe.  For n <= a the
 * Erlang C queue is unstable: P(wait) = 1, service level 0, ASA and
 * occupancy are reported as +inf and 1.  With a = 0: P(wait) 0, SL 1,
 * ASA 0, occupancy 0.  Inputs out of domain (negative, NaN) give NaN.
 * ==================================================================== */

/* Erlang B blocking probability of an M/M/n/n loss system. */
double sp_erlang_b(long long n, double a);

/* Erlang C probability that a contact waits (M/M/n). */
double sp_erlang_c(long long n, double a);

/* Fraction of contacts answered within `answer_time` seconds (M/M/n). */
double sp_service_level(long long n, double a, double aht, double answer_time);

/* Average speed of answer in seconds over all contacts (M/M/n). */
double sp_asa(long long n, double a, double aht);

/* Agent occupancy a / n, capped at 1. */
double sp_occupancy(long long n, double a);

/*
 * Erlang A (M/M/n+M, Palm's model): contacts abandon after an exponential
 * patience with mean `patience` seconds.  Computed in log space from the
 * Erlang B value and the series A(x, y) of Garnett, Mandelbaum and Reiman,
 * so it is finite for every n, including n <= a.
 *
 *   p_wait         probability that a contact waits at all
 *   p_abandon      probability that a contact abandons
 *   service_level  fraction of all offered contacts answered within
 *                  answer_time seconds (abandoned contacts count as missed)
 *   asa            mean wait in seconds over all offered contacts, answered
 *                  or abandoned (equals p_abandon * patience)
 *   occupancy      carried load over agents, (1 - p_abandon) a / n
 */
typedef struct sp_erlang_a_metrics {
    double p_wait;
    double p_abandon;
    double service_level;
    double asa;
    double occupancy;
} sp_erlang_a_metrics;

/* Returns SP_OK, or SP_EINVAL for arguments out of domain (out untouched). */
int sp_erlang_a(long long n, double a, double aht, double patience,
                double answer_time, sp_erlang_a_metrics *out);

/* ======================================================================
 * Requirements (vectorised over intervals, OpenMP)
 *
 * For every interval: traffic a = volume * aht / interval, then the smallest
 * number of productive agents meeting every target given, then scheduled
 * heads = ceil(agents / (1 - shrinkage)) with float noise removed before the
 * ceiling (21 / 0.7 gives 30, not 31).
 * ==================================================================== */

/* Targets; a target set to NaN (or, for min_agents, 0) is not applied. */
typedef struct sp_targets {
    double interval;       /* interval length in seconds, > 0              */
    double service_level;  /* fraction in [0, 1) answered within ...       */
    double answer_time;    /* ... this many seconds, >= 0                  */
    double asa;            /* max average speed of answer, seconds, > 0    */
    double max_occupancy;  /* max agent occupancy, in (0, 1]               */
    double patience;       /* mean patience in seconds; NaN: Erlang C      */
    double max_abandon;    /* max abandon probability in (0, 1]; needs
                              patience                                      */
    long long min_agents;  /* lower bound on productive agents, >= 0       */
    int reference;         /* 1: Erlang B by the full recursion from k = 0
                              (slow; for verifying the fast start)          */
} sp_targets;

/* Fills `t` with no targets, interval 900 s, the fast recursion. */
void sp_targets_init(sp_targets *t);

/*
 * Output arrays, each of `count` elements, owned by the caller.  Any pointer
 * may be NULL when that figure is not wanted; p_abandon is written only when
 * patience is given (Erlang A) and is 0 otherwise.
 */
typedef struct sp_requirements_out {
    long long *agents;      /* productive agents required                  */
    long long *heads;       /* scheduled heads after shrinkage             */
    double *traffic;        /* offered load in Erlangs                     */
    double *service_level;  /* achieved at `agents`                        */
    double *asa;            /* achieved at `agents`, seconds               */
    double *occupancy;      /* achieved at `agents`                        */
    double *p_wait;         /* achieved at `agents`                        */
    double *p_abandon;      /* achieved at `agents` (Erlang A)             */
} sp_requirements_out;

/*
 * Staffing for `count` intervals.
 *
 *   volume     contacts per interval, count elements, finite, >= 0
 *   aht        handle time in seconds, aht_count elements (1: the same
 *              value for every interval, or count), finite, > 0
 *   shrinkage  fraction of paid time not productive, shrink_count
 *              elements (1 or count), in [0, 1)
 *   threads    OpenMP threads; <= 0 means all available
 *
 * Every input is validated before any work; on failure the status is
 * SP_EINVAL and `diag` (if not NULL) names the field and the first bad
 * index.  Results do not depend on the thread count.  Traffic above
 * SP_MAX_TRAFFIC Erlangs is refused.
 */
#define SP_MAX_TRAFFIC 1e9

int sp_requirements(size_t count, const double *volume, const double *aht,
                    size_t aht_count, const double *shrinkage,
                    size_t shrink_count, const sp_targets *targets,
                    int threads, sp_requirements_out *out, sp_diag *diag);

/*
 * Scheduled heads for `agents` productive agents at `shrinkage`:
 * ceil(agents / (1 - shrinkage)) with float noise (1e-9 relative) removed.
 */
long long sp_heads(long long agents, double shrinkage);

#ifdef __cplusplus
}
#endif

#endif /* STAFFPLAN_H */
