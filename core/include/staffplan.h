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
 * ASA 0, occupancy 0.  Inputs out of domain (negative, NaN, traffic
 * above SP_MAX_TRAFFIC) give NaN.
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
 *   occupancy      carried load over agents, (1 - p_abandon) a / n (1 when
 *                  n = 0 and a > 0: saturated, as in Erlang C)
 */
typedef struct sp_erlang_a_metrics {
    double p_wait;
    double p_abandon;
    double service_level;
    double asa;
    double occupancy;
} sp_erlang_a_metrics;

/*
 * The series behind Erlang A takes O(sqrt(y)) steps for y = a * patience /
 * aht, the contacts arriving during one mean patience; above this bound
 * (far beyond any contact center) sp_erlang_a refuses rather than run for
 * hours.
 */
#define SP_MAX_ERLANG_A_LOAD 1e12

/* Returns SP_OK, or SP_EINVAL for arguments out of domain, including
 * a * patience / aht above SP_MAX_ERLANG_A_LOAD (out untouched). */
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
 * SP_MAX_TRAFFIC Erlangs is refused (SP_ETOOBIG), and so are targets or
 * shrinkage that would need more than 2^53 agents or heads.
 */
#define SP_MAX_TRAFFIC 1e9

int sp_requirements(size_t count, const double *volume, const double *aht,
                    size_t aht_count, const double *shrinkage,
                    size_t shrink_count, const sp_targets *targets,
                    int threads, sp_requirements_out *out, sp_diag *diag);

/*
 * Scheduled heads for `agents` productive agents at `shrinkage`:
 * ceil(agents / (1 - shrinkage)) with float noise (a few ulps) removed;
 * saturates at LLONG_MAX (sp_requirements refuses counts above 2^53).
 */
long long sp_heads(long long agents, double shrinkage);

/* ======================================================================
 * Schedule (service and cost mode, daily shifts or tours; GLPK)
 *
 * How many people work each shift start, and where their breaks fall, so
 * that labour cost + under_cost * shortfall + over_cost * excess is
 * smallest.  Coverage of interval t = people on a shift covering t minus
 * those of them on a break during t.  Shortfall is a variable: an interval
 * no shift covers is reported as shortfall, never as "infeasible".
 *
 * The model is compact: an integer count per shift start and, per shift
 * start and break window, an integer count per break offset (implicit
 * break placement), linked by "the offsets of each break sum to the
 * count".  Break combinations are never enumerated.  The solve: the LP
 * relaxation (the bound); our own heuristics on `limits.threads` OpenMP
 * threads, each in its own GLPK environment (LP-guided diving with warm
 * re-solves, rounding, local search, then fix-and-resolve: small MIPs
 * over windows of shift starts with everything else fixed, in epochs that
 * share the best solution); then GLPK's branch-and-cut from that
 * incumbent for the time left (our rounding heuristic fed to it through
 * glp_ios_heur_sol).  Time limit and gap honoured; the best incumbent is
 * returned with its bound and gap.  The same input and thread count give
 * the same result unless the time limit cuts the heuristic phase short.
 * With whole required heads and whole costs, bounds are rounded up to the
 * costs' greatest common divisor (every objective is a multiple of it).
 *
 * Times are minutes.  Interval t covers minutes [t*I, (t+1)*I) from the
 * horizon start.  Every minute figure (shift start, length, break length,
 * earliest, latest) lies on the interval grid.
 *
 * Thread rule: a sp_schedule is read-only during sp_schedule_solve, so
 * several threads may solve the same handle at once.  GLPK is driven in a
 * per-call environment with an error hook: GLPK can neither print nor
 * abort the process.  When the GLPK build keeps no thread-local
 * environment, solves are serialised internally.
 * ==================================================================== */

/* The most break windows one shift may have. */
#define SP_SCHEDULE_MAX_BREAKS 8

/*
 * Size limits, refused with SP_ETOOBIG before anything of that size is
 * allocated: the model's columns plus nonzeros (GLPK indexes them with
 * int; far below INT_MAX), hence at most a quarter of that in intervals,
 * and at most SP_SCHEDULE_MAX_SHIFTS shifts (a catalogue of every start
 * minute of the day in a hundred variants is 144,000).
 */
#define SP_SCHEDULE_MAX_MODEL 50000000LL
#define SP_SCHEDULE_MAX_INTERVALS (SP_SCHEDULE_MAX_MODEL / 4)
#define SP_SCHEDULE_MAX_SHIFTS 1000000

/* A break of `length` minutes starting between `earliest` and `latest`
 * minutes after the shift start (both inclusive, on the grid). */
typedef struct sp_break_window {
    int length;
    int earliest;
    int latest;
} sp_break_window;

/*
 * A shift.  daily != 0: it can start on every day of the horizon at
 * `start` minutes after midnight (0 <= start < 1440); daily == 0: it
 * starts once, `start` minutes after the horizon start.  `length` is paid
 * minutes including breaks; `cost` the cost of one person working it once.
 * Break windows must be sorted and must not overlap: for consecutive
 * windows, latest + length of the first <= earliest of the next, and the
 * last break must end within the shift.  The caller keeps ownership of
 * `breaks`; it is copied.
 */
typedef struct sp_shift {
    long long start;
    int daily;
    int length;
    double cost;
    int break_count;
    const sp_break_window *breaks;
} sp_shift;

/* An opaque schedule problem; create with sp_schedule_create. */
typedef struct sp_schedule sp_schedule;

/*
 * A schedule problem over `intervals` intervals of `interval_minutes`
 * minutes (a divisor of 1440).  `required` holds the heads required per
 * interval (intervals elements, finite, >= 0; copied).  cyclic != 0: work
 * past the horizon end wraps to its start; otherwise it covers nothing.
 * Under- and over-staffing cost 0 per head-interval until
 * sp_schedule_set_costs.  On success *out owns a new handle (free with
 * sp_schedule_free); on failure *out is NULL and diag says why.
 */
int sp_schedule_create(size_t intervals, int interval_minutes, int cyclic,
                       const double *required, sp_schedule **out,
                       sp_diag *diag);

/* Frees a schedule problem; NULL is accepted. */
void sp_schedule_free(sp_schedule *s);

/*
 * Adds a shift (validated, copied).  Shifts are numbered 0, 1, ... in the
 * order added.  Returns SP_OK, SP_EINVAL (diag names the field:
 * "start", "length", "cost", "breaks[k].latest", ...) or SP_ENOMEM.
 */
int sp_schedule_add_shift(sp_schedule *s, const sp_shift *shift,
                          sp_diag *diag);

/*
 * Costs by day (weekend premiums): the cost of one person working shift
 * number `shift` when it starts on horizon day d is day_costs[d % 7]
 * instead of its `cost` (7 values, finite, >= 0, at most 1e12; copied).
 * Days count from the horizon start, so the caller maps weekdays to them.
 * A shift that starts once (daily == 0) starts on day start / 1440.  Every
 * use of the shift's cost follows: the objective of the IP (a tour's cost
 * is the sum of its worked days'), the heuristics, write_lp and the
 * result's labor_cost.  Returns SP_OK or SP_EINVAL (diag->field
 * "day_costs[k]" with the shift's index, or "shift" for a bad number).
 */
int sp_schedule_set_shift_day_costs(sp_schedule *s, int shift, const double *day_costs,
                                    sp_diag *diag);

/* Cost per head-interval of shortfall and of excess (finite, >= 0). */
int sp_schedule_set_costs(sp_schedule *s, double under_staffing_cost,
                          double over_staffing_cost, sp_diag *diag);

/*
 * Cost mode: minimise labour + the value of waiting instead of covering a
 * service-level requirement (docs/problem-format.md, objective.wait_cost).
 * Per interval with traffic a = volume * aht / interval > 0 the stability
 * minimum floor(a) + 1 productive agents, in heads m = sp_heads(floor(a) +
 * 1, shrinkage), replaces the required heads (heads below it are
 * shortfall), and the waiting cost at h heads is W(h): with n = h * (1 -
 * shrinkage) productive agents, w(k) = volume * (ASA(k) / 3600 *
 * per_waiting_hour + C(k) exp(-(k - a) late_after / aht) * per_late_call)
 * for whole k (Erlang C), W(h) the linear interpolation of w between
 * floor(n) and floor(n) + 1 (n within 1e-9 of a whole number counts as
 * whole), and w(floor(a) + 1) below the minimum.  Zero volume costs 0.
 */
typedef struct sp_wait_params {
    double interval;         /* interval length, seconds, > 0           */
    double shrinkage;        /* fraction of paid time not productive    */
    double per_waiting_hour; /* cost of one hour of customer waiting    */
    double per_late_call;    /* cost of each contact waiting longer ... */
    double late_after;       /* ... than this many seconds              */
} sp_wait_params;

/* W(heads) of one interval as above; NaN for arguments out of domain. */
double sp_wait_cost(double heads, double volume, double aht, const sp_wait_params *w);

/*
 * Switches `s` to cost mode: volume (contacts per interval) and aht
 * (seconds; aht_count 1 or one per interval) for every interval.  The
 * required heads become the stability minimum and the objective gains
 * sum_t W_t(coverage_t) (tables computed here, OpenMP over intervals;
 * threads <= 0: all).  SP_EINVAL names the field and index of a bad
 * input, SP_ETOOBIG for traffic above SP_MAX_TRAFFIC, SP_ENOMEM.
 */
int sp_schedule_set_wait_cost(sp_schedule *s, const double *volume, const double *aht,
                              size_t aht_count, const sp_wait_params *w, int threads,
                              sp_diag *diag);

/*
 * Tours: every person works one shift on exactly `work_days` days of every
 * 7-day week of the horizon (weeks counted from its start), the days off
 * consecutive (cyclically within the week) when consecutive_days_off != 0;
 * the days off may differ from week to week and breaks from day to day.
 * The horizon must be whole weeks of whole days and every shift daily.
 * Returns SP_EINVAL with diag->field "work_days" when no week can satisfy
 * the rule, "days" when the horizon is not whole weeks.  Without this call
 * every day's shifts are chosen independently.
 */
int sp_schedule_set_tours(sp_schedule *s, int work_days, int consecutive_days_off,
                          sp_diag *diag);

/*
 * Limits of a solve.  `cancel`, when not NULL, is polled during the solve;
 * a nonzero value stops it as soon as possible with the best solution so
 * far (result->stop == SP_STOP_CANCELLED).
 */
/*
 * Progress of a running solve, for progress bars.  The solver writes it
 * (atomically, from the thread that called sp_schedule_solve) after the
 * root LP, after every improvement of its heuristics and as GLPK's tree
 * raises the bound; any thread may read it with sp_progress_read.
 */
typedef struct sp_progress {
    double objective;  /* best objective so far; NaN before a solution  */
    double bound;      /* best proven bound; -inf before the root LP    */
    double seconds;    /* wall-clock seconds at the last update         */
    long long updates; /* incremented after each update                 */
} sp_progress;

/* A consistent-enough copy of `p` (each field read atomically; `updates`
 * first, so a changed count means newer figures). */
void sp_progress_read(const sp_progress *p, sp_progress *copy);

typedef struct sp_solve_limits {
    double time_limit;          /* wall-clock seconds, > 0               */
    double mip_gap;             /* stop at this relative gap, >= 0       */
    int threads;                /* heuristic threads; <= 0: all (OpenMP) */
    const volatile int *cancel; /* may be NULL                           */
    sp_progress *progress;      /* may be NULL; owned by the caller      */
} sp_solve_limits;

/* 60 s, gap 1e-4, all threads, no cancel flag, no progress. */
void sp_solve_limits_init(sp_solve_limits *limits);

/* What a solve achieved (not an error code: a solve with a solution has
 * returned SP_OK whatever its quality). */
enum sp_solution_status {
    SP_SOLUTION_OPTIMAL = 0,  /* gap within mip_gap                     */
    SP_SOLUTION_FEASIBLE = 1, /* stopped by time or cancel, a solution  */
    SP_SOLUTION_NONE = 2      /* stopped with none                      */
};

/* Why the solve stopped. */
enum sp_stop_reason {
    SP_STOP_GAP = 0,       /* gap within mip_gap, or the branch-and-cut
                              search finished                          */
    SP_STOP_TIME = 1,      /* time limit                               */
    SP_STOP_CANCELLED = 2  /* the cancel flag                          */
};

/* `count` identical people working `shift` from `start` (absolute minutes
 * from the horizon start), break b starting break_offset[b] minutes after
 * `start` (b < the shift's break_count).  With tours, `tour` numbers the
 * group of people working the same days (0, 1, ...): groups with the same
 * tour are some or all of the same people; -1 without tours. */
typedef struct sp_shift_group {
    int shift;
    long long start;
    long long count;
    int break_offset[SP_SCHEDULE_MAX_BREAKS];
    long long tour;
} sp_shift_group;

/*
 * The result of a solve, owned by the caller (sp_schedule_result_free).
 * Costs follow the objective: objective = labor_cost + under_staffing_cost
 * * under_staffing + over_staffing_cost * over_staffing + wait_cost.  bound is a
 * proven lower bound on the objective; gap = (objective - bound) /
 * max(1, |objective|).  lp_bound is the LP relaxation's value, NAN when
 * the time limit (or the cancel flag) came before the LP was solved: the
 * result then holds a quick construction that covers every head it can,
 * bound 0 and gap 1 (status SP_SOLUTION_FEASIBLE).
 */
typedef struct sp_schedule_result {
    int status;              /* enum sp_solution_status               */
    int stop;                /* enum sp_stop_reason                   */
    double objective;
    double labor_cost;
    double under_staffing;   /* head-intervals of shortfall           */
    double over_staffing;    /* head-intervals of excess              */
    double wait_cost;        /* sum of W over intervals (cost mode)   */
    double bound;
    double lp_bound;
    double gap;
    double seconds;          /* wall clock of the whole solve         */
    size_t group_count;
    sp_shift_group *groups;  /* group_count elements                  */
    size_t intervals;
    long long *coverage;     /* heads at work per interval            */
    long long columns, rows; /* the model's size                      */
} sp_schedule_result;

/*
 * Solves `s` within `limits` (NULL: sp_solve_limits_init's defaults).  On
 * SP_OK *out is a new result (status says whether it holds a solution).
 * SP_EINVAL for bad limits, SP_ETOOBIG for a model GLPK cannot index,
 * SP_ENOMEM, or SP_ESOLVER when GLPK reported an internal error (its
 * message in diag->message); *out is NULL on failure.
 */
int sp_schedule_solve(const sp_schedule *s, const sp_solve_limits *limits,
                      sp_schedule_result **out, sp_diag *diag);

/* Frees a result; NULL is accepted. */
void sp_schedule_result_free(sp_schedule_result *r);

/*
 * Writes the model sp_schedule_solve would solve to `path` in CPLEX LP
 * format (glp_write_lp), integer columns in its General section, so that
 * any MIP solver can take it.  Columns: x<shift>_<day> people on a shift
 * start, b<shift>_<day>_<break>_<offset minutes> break counts, u<t> and
 * e<t> shortfall and excess, in cost mode y<t>_<k> waiting cost
 * increments and wconst (fixed at 1, the objective's constant); rows c<t>
 * coverage, l<shift>_<day>_<break> break links.  Returns SP_OK, SP_EINVAL (diag->field "path" when the
 * file cannot be written), SP_ETOOBIG, SP_ENOMEM or SP_ESOLVER.
 */
int sp_schedule_write_lp(const sp_schedule *s, const char *path, sp_diag *diag);

/*
 * A linear side constraint on a schedule: lo <= sum_k coef[k] * x(shift[k],
 * day[k]) <= hi, with x(s, d) the people starting shift s (its index in
 * the order added) on day d; lo may be -INFINITY and hi INFINITY.  A
 * shift/day pair the model has no start for counts 0.
 */
typedef struct sp_lp_row {
    size_t n;
    const int *shift;
    const int *day;
    const double *coef;
    double lo, hi;
} sp_lp_row;

/*
 * The LP relaxation of the model sp_schedule_solve solves, with `rows`
 * added, solved by the dual simplex within `limits` (time_limit and
 * cancel; threads and mip_gap unused).  *bound = its optimum rounded up to
 * the costs' step: a lower bound on every schedule that keeps the rows.
 * A roster uses it with rows that every roster of its team keeps (people
 * available per day, paid minutes per week, weekends), which a schedule
 * alone does not know, and rounds `x` into the shifts it hands out.  `x`
 * (NULL, or shifts x days values, shift-major) receives the LP's people
 * per shift start, 0 where the LP was not solved.  *bound is NAN when the LP was not solved (time
 * limit, cancel, or rows no schedule keeps).  SP_EINVAL names "rows" and
 * the row index for an entry outside the shifts or days, a non-finite
 * coefficient or lo > hi; otherwise as sp_schedule_solve.
 */
int sp_schedule_lp_bound(const sp_schedule *s, const sp_lp_row *rows, size_t nrows,
                         const sp_solve_limits *limits, double *bound, double *x,
                         sp_diag *diag);

/* ======================================================================
 * Roster (named agents; no GLPK)
 *
 * Who works which shift on which day.  An agent works at most one shift
 * per day (the day it starts); every hard rule of docs/roster-format.md is
 * kept: eligibility (skill, shift types, days off, availability windows:
 * precomputed by the caller into one code per day and shift), min rest
 * between shifts (absolute times, across days), forbidden successions,
 * max shifts per type, min/max paid minutes per week and over the horizon,
 * min/max consecutive working days, min consecutive days off (stretches
 * touching the horizon's first or last day are not held to the minimums),
 * max weekends.  Requests are soft.  Rules are never cyclic.
 *
 * Objective = labour (cost_per_hour * length / 60, or the shift's cost;
 * costs by day: sp_roster_set_shift_day_costs)
 * + under_cost * shortfall + over_cost * excess head-intervals (coverage
 * net of breaks, each break at its best offset for the coverage around
 * it) + request penalties + cover penalties (per shift and day targets).
 *
 * The solve starts from groups of people to give out (a schedule's
 * sp_shift_group list, or cover targets as groups): a greedy construction
 * day by day with O(1) rule checks against each agent's running state, then
 * a local search (add, drop, change an agent's shift on a day, hand a
 * shift to another agent or swap two agents' shifts on a day, move
 * breaks) in which the max rules are hard and the min rules (minutes,
 * stretch lengths) are a heavy penalty that must reach zero; then
 * perturbation rounds (a few agents lose a few days, the search repairs,
 * the better roster is kept) until 60 rounds in a row bring nothing.  The
 * same input gives the same roster unless the time limit cuts the search.
 *
 * The search runs on the calling thread (limits.threads is not used):
 * splitting the scan of the agents for each person over OpenMP threads was
 * measured slower on a shared 2-core machine (each parallel region costs
 * more than the scan it splits).
 *
 * Thread rule: a sp_roster is read-only during sp_roster_solve.
 * ==================================================================== */

/* The rules, also the codes of the eligibility array and of the reasons
 * reported by sp_roster_result.  Names (sp_roster_rule_name) are the
 * problem file's agent keys. */
#define SP_ROSTER_RULE_TABLE(X)                           \
    X(SP_RULE_NONE, 0, "none")                            \
    X(SP_RULE_SKILL, 1, "skills")                         \
    X(SP_RULE_SHIFT_TYPES, 2, "shift_types")              \
    X(SP_RULE_UNAVAILABLE, 3, "unavailable_days")         \
    X(SP_RULE_FIXED_OFF, 4, "fixed_days_off")             \
    X(SP_RULE_AVAILABILITY, 5, "availability")            \
    X(SP_RULE_ONE_PER_DAY, 6, "one_shift_per_day")        \
    X(SP_RULE_REST, 7, "min_rest_minutes")                \
    X(SP_RULE_CANNOT_FOLLOW, 8, "cannot_follow")          \
    X(SP_RULE_MAX_SHIFTS, 9, "max_shifts")                \
    X(SP_RULE_MAX_WEEK, 10, "max_minutes_per_week")       \
    X(SP_RULE_MAX_MINUTES, 11, "max_minutes")             \
    X(SP_RULE_MAX_WORK, 12, "max_consecutive_work_days")  \
    X(SP_RULE_MAX_WEEKENDS, 13, "max_weekends")           \
    X(SP_RULE_MIN_OFF, 14, "min_consecutive_days_off")    \
    X(SP_RULE_MIN_WORK, 15, "min_consecutive_work_days")  \
    X(SP_RULE_MIN_WEEK, 16, "min_minutes_per_week")       \
    X(SP_RULE_MIN_MINUTES, 17, "min_minutes")

enum sp_roster_rule {
#define SP__RULE_ENUM(name, code, text) name = code,
    SP_ROSTER_RULE_TABLE(SP__RULE_ENUM)
#undef SP__RULE_ENUM
    SP_RULE_COUNT
};

/* Size limits of a roster, checked before anything is copied: at most
 * SP_ROSTER_MAX_AGENTS agents, agents * days * shifts (the eligibility
 * codes, one byte each) at most SP_ROSTER_MAX_CELLS, at most
 * SP_ROSTER_MAX_REQUESTS requests per agent (SP_ETOOBIG), and costs per
 * hour and request weights at most SP_ROSTER_MAX_COST (SP_EINVAL). */
#define SP_ROSTER_MAX_AGENTS 100000
#define SP_ROSTER_MAX_CELLS 50000000LL
#define SP_ROSTER_MAX_REQUESTS 100000
#define SP_ROSTER_MAX_COST 1e12

/* The agent key of a rule ("min_rest_minutes"); "unknown" out of range. */
const char *sp_roster_rule_name(int rule);

/* A soft request: shift -1 means any shift.  work != 0: `weight` is paid
 * unless the agent works that shift (any shift) on `day`; work == 0: it is
 * paid if the agent does. */
typedef struct sp_roster_request {
    int day;
    int shift;
    int work;
    double weight;
} sp_roster_request;

/*
 * An agent.  Limits that are negative are not applied (max_weekends 0 is a
 * limit: no weekend).  `eligible` holds days * shifts codes (row per day):
 * SP_RULE_NONE where the agent may work the shift that day, otherwise the
 * rule that forbids it (skills .. availability); NULL: all allowed.
 * `max_shifts` holds one limit per shift (negative: none) or is NULL.
 * Everything is copied by sp_roster_add_agent.
 */
typedef struct sp_roster_agent {
    double cost_per_hour;          /* NaN: each shift's own cost       */
    const unsigned char *eligible;
    long long min_minutes, max_minutes;           /* over the horizon  */
    long long min_week_minutes, max_week_minutes; /* whole weeks only  */
    const int *max_shifts;
    int min_work_days, max_work_days; /* consecutive working days      */
    int min_days_off;                 /* consecutive days off          */
    int max_weekends;
    int min_rest;                     /* minutes; < 0: none (0 still
                                         forbids overlapping shifts)   */
    int request_count;
    const sp_roster_request *requests;
} sp_roster_agent;

/* A cover target: `required` people on `shift` on `day`; each missing one
 * costs under_cost, each extra over_cost. */
typedef struct sp_roster_cover {
    int day;
    int shift;
    long long required;
    double under_cost;
    double over_cost;
} sp_roster_cover;

typedef struct sp_roster sp_roster;

/*
 * A roster problem over `days` days of 1440 / interval_minutes intervals;
 * first_weekday is the weekday of day 0 (0 Monday .. 6 Sunday).  On
 * success *out owns a new handle (sp_roster_free).
 */
int sp_roster_create(int days, int interval_minutes, int cyclic, int first_weekday,
                     sp_roster **out, sp_diag *diag);

void sp_roster_free(sp_roster *r);

/* Adds a daily shift (validated as by sp_schedule_add_shift, copied;
 * length at most 1440).  Shifts are numbered in the order added. */
int sp_roster_add_shift(sp_roster *r, const sp_shift *shift, sp_diag *diag);

/* Costs by day of shift `shift` (as sp_schedule_set_shift_day_costs: on
 * horizon day d it costs day_costs[d % 7]).  An agent without
 * cost_per_hour pays that cost; an agent with cost_per_hour pays its rate
 * x paid hours x day_costs[d % 7] / cost (x 1 when the shift's cost is 0),
 * so premiums stay proportional to each agent's pay. */
int sp_roster_set_shift_day_costs(sp_roster *r, int shift, const double *day_costs,
                                  sp_diag *diag);

/* Forbids working shift `shift` on the day after working `previous`. */
int sp_roster_forbid_succession(sp_roster *r, int previous, int shift, sp_diag *diag);

/* Heads required per interval (days * 1440 / interval_minutes values,
 * copied) and the costs per head-interval of shortfall and excess.
 * Without this call no interval term enters the objective. */
int sp_roster_set_required(sp_roster *r, const double *required, double under_cost,
                           double over_cost, sp_diag *diag);

/* Adds cover targets (copied; a shift and day may appear once). */
int sp_roster_set_cover(sp_roster *r, size_t count, const sp_roster_cover *cover,
                        sp_diag *diag);

/* Adds an agent (validated against the shifts added so far, which must
 * all be added first; copied).  Agents are numbered in the order added. */
int sp_roster_add_agent(sp_roster *r, const sp_roster_agent *agent, sp_diag *diag);

/* What could not be given out: `count` people of `shift` on `day` wanted
 * by the groups and not in the roster; blocked[a] the rule that keeps
 * agent a from taking one (SP_RULE_NONE: nothing but the objective). */
typedef struct sp_roster_unassigned {
    int shift;
    int day;
    long long count;
    unsigned char *blocked; /* agents elements */
} sp_roster_unassigned;

/*
 * The result (sp_roster_result_free).  status SP_SOLUTION_NONE when a
 * rule could not be met for some agent: broken[a] is then a bit mask
 * (1 << rule) of the rules agent a still breaks, and the roster must not
 * be used.  shift[a * days + d] is the shift agent a starts on day d
 * (-1: off), break_offset[(a * days + d) * SP_SCHEDULE_MAX_BREAKS + k] its
 * break offsets (minutes after the shift start).
 */
typedef struct sp_roster_result {
    int status;            /* enum sp_solution_status */
    int stop;              /* enum sp_stop_reason; SP_STOP_GAP: the
                              search converged (no move improves) */
    double objective;
    double labor_cost;
    double request_penalty;
    double cover_penalty;
    double under_staffing; /* head-intervals          */
    double over_staffing;
    double seconds;
    int days, agents;
    int *shift;
    int *break_offset;
    unsigned int *broken;
    size_t intervals;
    long long *coverage;
    size_t unassigned_count;
    sp_roster_unassigned *unassigned;
} sp_roster_result;

/*
 * Rosters `r` starting from `group_count` groups of people to give out
 * (their shift's daily start must match start % 1440; break offsets
 * inside the windows) within `limits` (time_limit, cancel, progress;
 * NULL: defaults).  Returns SP_OK with *out set, SP_EINVAL (diag names
 * "groups[i]..." or the limit), SP_ENOMEM.
 */
int sp_roster_solve(const sp_roster *r, size_t group_count, const sp_shift_group *groups,
                    const sp_solve_limits *limits, sp_roster_result **out, sp_diag *diag);

void sp_roster_result_free(sp_roster_result *res);

#ifdef __cplusplus
}
#endif

#endif /* STAFFPLAN_H */
