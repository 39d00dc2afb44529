"""Roster engine benchmark: generated contact centres and the Curtois-Qu instances.

    python tests/bench/bench_roster.py [--sizes 100 250 500 1000 2000] [--weeks 4]
                                       [--seconds 60] [--threads 2]
                                       [--curtois 1 2 3 4 5 6 7] [--json FILE]
                                       [--loose]
    python tests/bench/bench_roster.py --smoke      # 40 agents for a week, Instance1; 5 s

--loose replaces the realistic generator by loose_problem (one skill-free
pool, uniform pay, looser contracts): how the engine scales when the
contracts leave room.

Generated (staffplan.synthetic.roster_problem, seed 0): for each size, the
schedule problem with each shift at its cheapest eligible agent's cost is
solved by staffplan.solve (the same time limit); its LP bound is a lower
bound on every roster's objective (a roster is such a schedule with more
rules; request penalties are >= 0).  Then two paths:
  direct         staffplan.roster(problem)
  from-schedule  staffplan.roster(problem, schedule=that schedule)
Reported per path: status, seconds (the from-schedule path's include the
schedule solve), objective, labour cost, shortfall (head-intervals), the
schedule LP bound and the gap to it ((objective - LP bound) / objective),
the engine's bound (the team LP: the schedule LP with rows every roster of
the team keeps, docs/roster-format.md) and the gap to it, and the verdict
of the independent checker (tests/python/roster_check.py): every hard rule
and every figure.

Curtois-Qu (shared/benchmarks/curtois-qu): each instance goes through
staffplan.curtois.to_problem and staffplan.roster; the roster is read back
with from_result and scored by staffplan.curtois.score (hard rules and
penalty), checked by the independent checker on the mapped problem, and
set against the best published value.

Exit status 1 when a roster reported as feasible breaks a rule or a figure
(the checker or the Curtois scorer disagrees); a path without a roster is
reported, not an error.  Timings are wall-clock on a shared machine.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))
sys.path.insert(0, HERE)
try:
    import staffplan  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
import staffplan  # noqa: E402
from staffplan import curtois, synthetic  # noqa: E402
from staffplan.problem import WEEKDAYS  # noqa: E402

from bench_curtois import BEST_KNOWN  # noqa: E402
from roster_check import check  # noqa: E402

BENCH = os.environ.get("STAFFPLAN_CURTOIS_DIR",
                       os.path.normpath(os.path.join(ROOT, "..", "shared", "benchmarks",
                                                     "curtois-qu")))


def _minutes(hhmm):
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def schedule_problem(problem):
    """The schedule problem under a roster problem: agents dropped, each shift
    at its cheapest eligible agent's cost (skill and shift_types; days off
    and windows ignored, which only lowers the bound), shifts nobody may
    work left out."""
    shifts = []
    for s in problem["shifts"]:
        costs = []
        for a in problem["agents"]:
            if s.get("skill") is not None and s["skill"] not in (a.get("skills") or []):
                continue
            if a.get("shift_types") is not None and s["name"] not in a["shift_types"]:
                continue
            costs.append(a)
        if costs:
            # Per weekday the cheapest agent's cost: the shift's cost of that
            # weekday, or the agent's pay scaled by it (docs/roster-format.md).
            by_weekday = s.get("weekday_costs") or {}

            def pay(a, day):
                cost = by_weekday.get(day, s["cost"])
                if a.get("cost_per_hour") is None:
                    return cost
                return a["cost_per_hour"] * s["length"] / 60.0 * (
                    cost / s["cost"] if s["cost"] > 0 else 1.0)

            week = {day: min(pay(a, day) for a in costs) for day in WEEKDAYS}
            shifts.append({k: v for k, v in s.items()
                           if k not in ("skill", "cannot_follow", "weekday_costs")}
                          | {"cost": min(week.values()), "weekday_costs": week})
    keep = ("format", "interval_minutes", "days", "cyclic", "start_weekday", "demand",
            "objective", "limits")
    return {k: problem[k] for k in keep if k in problem} | {"shifts": shifts}


def _summary(problem, result, seconds, lp_bound, schedule=None):
    row = {"status": result.get("status"), "seconds": round(seconds, 2),
           "schedule_lp_bound": lp_bound}
    if result.get("status") not in ("optimal", "feasible"):
        row["error"] = (result.get("error") or "")[:300]
        return row
    violations = check(problem, result, schedule)
    obj = result["objective"]
    row.update(objective=obj, labor_cost=result["labor_cost"],
               shortfall=result["under_staffing"], request_penalty=result["request_penalty"],
               bound=result.get("bound"), schedule_lp_bound=lp_bound,
               gap=None if lp_bound is None else (obj - lp_bound) / max(1.0, abs(obj)),
               team_gap=(None if result.get("bound") is None else
                         (obj - result["bound"]) / max(1.0, abs(obj))),
               people=sum(1 for r in result["roster"] if r["shifts"]),
               unassigned=sum(u["count"] for u in result.get("unassigned", [])),
               violations=len(violations), first_violations=violations[:5])
    return row


def loose_problem(n_agents, weeks=4, seed=1, time_limit=60.0, threads=2, supply=0.7,
                  uniform_pay=True):
    """A roster problem with looser contracts than synthetic.roster_problem:
    one skill-free pool, 8- and 6-hour shifts starting 06:00-15:00 every 30
    minutes (one break), a sine-shaped day at 80% on weekends whose
    head-intervals are `supply` times what the agents can give at 5 days a
    week, weekly maximum 2400 minutes, a 1440-minute weekly minimum for
    about 2/3 of them, 11 h rest, at most 6 days in a row, 3 weekends in
    4; every 5th agent Monday-Friday 06:00-18:00 only, every 7th 3 days
    unavailable, every 6th a day-off request, every 10th half the shift
    types; pay 25 per hour (uniform_pay) or 20-30 by agent."""
    import math
    import random
    rng = random.Random(seed)
    days, per_day = 7 * weeks, 96
    shifts = []
    for start in range(6 * 60, 15 * 60 + 1, 30):
        for length in (480, 360):
            br = ([{"length": 30, "earliest": 180, "latest": 270}] if length == 480 else
                  [{"length": 15, "earliest": 120, "latest": 210}])
            shifts.append({"name": f"S{start // 60:02d}{start % 60:02d}-{length}",
                           "start": f"{start // 60:02d}:{start % 60:02d}", "length": length,
                           "cost": length / 60 * 25, "breaks": br})
    give = n_agents * 5 / 7 * 30 * supply
    shape = [max(0.0, math.sin(math.pi * (t / per_day * 24 - 6.5) / 16))
             if 6.5 <= t / per_day * 24 <= 22.5 else 0.0 for t in range(per_day)]
    k = give / sum(shape)
    req = []
    for d in range(days):
        f = 0.8 if (d % 7) >= 5 else 1.0
        req += [int(round(k * f * x)) for x in shape]
    names = [s["name"] for s in shifts]
    agents = []
    for i in range(n_agents):
        a = {"id": f"A{i:04d}", "cost_per_hour": 25.0 if uniform_pay else 20 + rng.random() * 10,
             "max_minutes_per_week": 2400,
             "min_minutes_per_week": 1440 if i % 3 and i % 5 and i % 7 else 0,
             "max_consecutive_work_days": 6, "min_rest_minutes": 660, "max_weekends": 3,
             "min_consecutive_days_off": 2 if i % 4 == 0 else 1}
        if i % 5 == 0:
            a["availability"] = {w: [["06:00", "18:00"]] for w in
                                 ("mon", "tue", "wed", "thu", "fri")}
        if i % 7 == 0:
            a["unavailable_days"] = sorted(rng.sample(range(days), 3))
        if i % 6 == 0:
            a["requests"] = [{"day": rng.randrange(days), "shift": None, "work": False,
                              "weight": 50.0}]
        if i % 10 == 0:
            a["shift_types"] = names[: len(names) // 2]
        agents.append(a)
    return {"format": "staffplan-problem/1", "interval_minutes": 15, "days": days,
            "cyclic": False, "demand": {"required": req}, "shifts": shifts,
            "agents": agents, "objective": {"under_staffing_cost": 100.0},
            "limits": {"time_limit": time_limit, "threads": threads}}


def run_synthetic(agents, weeks, seconds, threads, loose=False):
    if loose:
        problem = loose_problem(agents, weeks=weeks, time_limit=seconds, threads=threads)
    else:
        problem = synthetic.roster_problem(agents=agents, weeks=weeks, seed=0,
                                           time_limit=seconds, threads=threads)
    sched_problem = schedule_problem(problem)
    t0 = time.perf_counter()
    schedule = staffplan.solve(sched_problem)
    t_sched = time.perf_counter() - t0
    lp_bound = schedule.get("lp_bound")
    row = {"agents": agents, "weeks": weeks, "shifts": len(problem["shifts"]),
           "peak_heads": max(problem["demand"]["required"]),
           "schedule": {"status": schedule["status"], "seconds": round(t_sched, 2),
                        "objective": schedule.get("objective"), "bound": schedule.get("bound"),
                        "lp_bound": lp_bound,
                        "people": sum(g["count"] for g in schedule["assignments"])}}
    t0 = time.perf_counter()
    direct = staffplan.roster(problem)
    row["direct"] = _summary(problem, direct, time.perf_counter() - t0, lp_bound)
    if schedule["status"] in ("optimal", "feasible"):
        t0 = time.perf_counter()
        via = staffplan.roster(problem, schedule=schedule)
        row["from_schedule"] = _summary(problem, via, t_sched + time.perf_counter() - t0,
                                        lp_bound, schedule)
    else:
        row["from_schedule"] = {"status": "skipped", "error": "no schedule"}
    return row


def run_curtois(n, seconds, threads):
    inst = curtois.read(os.path.join(BENCH, f"Instance{n}.txt"))
    problem = curtois.to_problem(inst, limits={"time_limit": seconds, "threads": threads})
    t0 = time.perf_counter()
    result = staffplan.roster(problem)
    elapsed = time.perf_counter() - t0
    row = {"instance": n, "staff": len(inst.staff), "days": inst.horizon,
           "shift_types": len(inst.shifts), "best_known": BEST_KNOWN.get(n),
           "status": result.get("status"), "seconds": round(elapsed, 2)}
    if result.get("status") not in ("optimal", "feasible"):
        row.update(penalty=None, errors=[], error=(result.get("error") or "")[:300])
        return row
    penalty, errors = curtois.score(inst, curtois.from_result(inst, result))
    violations = check(problem, result)
    row.update(penalty=penalty, objective=result["objective"], bound=result.get("bound"),
               errors=errors[:5], violations=len(violations),
               first_violations=violations[:5])
    return row


def _f(x, fmt="{:.0f}"):
    return "-" if x is None else fmt.format(x)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="*", default=[100, 250, 500, 1000, 2000])
    p.add_argument("--weeks", type=int, default=4)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--curtois", type=int, nargs="*", default=[1, 2, 3, 4, 5, 6, 7])
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--loose", action="store_true",
                   help="looser contracts (loose_problem) instead of the realistic mix")
    p.add_argument("--json")
    args = p.parse_args(argv)
    if args.smoke:
        args.sizes, args.weeks, args.seconds, args.curtois = [40], 1, 5, [1]
    report = {"smoke": args.smoke, "seconds": args.seconds, "threads": args.threads,
              "weeks": args.weeks, "synthetic": [], "curtois": []}

    print(f"roster benchmark{' (loose contracts)' if args.loose else ''}: "
          f"{args.weeks} weeks, {args.seconds:g} s limit, "
          f"{args.threads} threads (wall-clock, shared machine)")
    print(f"{'agents':>6} {'path':>13} {'status':>11} {'sec':>6} {'objective':>11} "
          f"{'labour':>10} {'short':>6} {'LP bound':>11} {'gap':>7} {'team bound':>11} "
          f"{'gap':>7} {'checker':>8}")
    for n in args.sizes:
        row = run_synthetic(n, args.weeks, args.seconds, args.threads, args.loose)
        report["synthetic"].append(row)
        s = row["schedule"]
        print(f"{n:>6} {'schedule':>13} {s['status']:>11} {s['seconds']:>6.1f} "
              f"{_f(s['objective']):>11} {'':>10} {'':>6} {_f(s['lp_bound']):>11}   "
              f"({s['people']} person-shifts, peak {row['peak_heads']} heads)")
        for path in ("direct", "from_schedule"):
            r = row[path]
            verdict = ("-" if "violations" not in r else
                       "ok" if r["violations"] == 0 else f"{r['violations']} bad")
            print(f"{n:>6} {path.replace('_', '-'):>13} {r['status']:>11} "
                  f"{_f(r.get('seconds'), '{:.1f}'):>6} {_f(r.get('objective')):>11} "
                  f"{_f(r.get('labor_cost')):>10} {_f(r.get('shortfall')):>6} "
                  f"{_f(r.get('schedule_lp_bound')):>11} "
                  f"{_f(r.get('gap'), '{:.2%}'):>7} {_f(r.get('bound')):>11} "
                  f"{_f(r.get('team_gap'), '{:.2%}'):>7} {verdict:>8}")
            for v in r.get("first_violations", [])[:3]:
                print(f"{'':>22}{v[:100]}")
            if r.get("error"):
                print(f"{'':>22}{r['error'][:100]}")

    if args.curtois and os.path.isdir(BENCH):
        print()
        print(f"Curtois-Qu through to_problem + staffplan.roster, {args.seconds:g} s each")
        print(f"{'instance':>8} {'staff':>5} {'days':>4} {'best':>6} {'status':>11} "
              f"{'penalty':>8} {'vs best':>8} {'sec':>6} {'valid':>6}")
        for n in args.curtois:
            row = run_curtois(n, args.seconds, args.threads)
            report["curtois"].append(row)
            best, pen = row["best_known"], row.get("penalty")
            valid = ("-" if pen is None else
                     "yes" if not row["errors"] and not row["violations"] else "NO")
            rel = None if pen is None or not best else (pen - best) / best
            print(f"{n:>8} {row['staff']:>5} {row['days']:>4} {_f(best):>6} "
                  f"{row['status']:>11} {_f(pen):>8} {_f(rel, '{:+.1%}'):>8} "
                  f"{row['seconds']:>6.1f} {valid:>6}")
            for v in (row.get("errors") or [])[:2] + (row.get("first_violations") or [])[:2]:
                print(f"{'':>10}{v[:100]}")
            if row.get("error"):
                print(f"{'':>10}{row['error'][:100]}")
    elif args.curtois:
        print(f"(Curtois-Qu skipped: {BENCH} not found)")

    bad = [r for row in report["synthetic"] for r in (row["direct"], row["from_schedule"])
           if r.get("violations")]
    bad += [r for r in report["curtois"] if r.get("errors") or r.get("violations")]
    report["ok"] = not bad
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
