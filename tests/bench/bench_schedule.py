"""Schedule optimizer benchmark: staffplan against glpsol and CBC on the same model.

Generated service-mode instances (15-minute intervals, shifts starting every 30
minutes in 3 lengths with break windows): a week at peak about 50 heads, the same
at 10x volume, two days with two break windows per shift, and a 4-week horizon;
and the week in cost mode: a generated forecast (staffplan.synthetic, Monday
peak 120 contacts per 15 minutes, AHT about 300 s, 30% shrinkage) priced at 40
per waiting hour and 1 per call waiting over 30 s, with the same shifts.
For each: staffplan's objective, LP bound, proven bound, gap and seconds; then the
same model written by `staffplan.write_lp` (CPLEX LP format) is solved by
`glpsol --lp FILE --tmlim T` (Debian glpk-utils) and by `cbc FILE sec T solve`
(Debian coinor-cbc) with the same time limit, and their objectives are parsed.
Every staffplan result is checked by the independent evaluator
(tests/python/evaluate.py) before it is reported.

And the tour week of design.md: 5 days on, 2 consecutive days off, shifts
every 30 minutes in 3 lengths with one break window, peak 48 heads.

    python tests/bench/bench_schedule.py [--time 30] [--threads 2] [--json FILE]
    python tests/bench/bench_schedule.py --smoke       # tiny instances, seconds
"""
from __future__ import annotations

import argparse
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "python"))
try:
    import staffplan  # noqa: F401
except ImportError:
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
import staffplan  # noqa: E402

from evaluate import check, required_heads  # noqa: E402


def _hhmm(minute):
    return f"{minute // 60:02d}:{minute % 60:02d}"


def demand(days, minutes, peak, weekend=0.6):
    """Heads per interval: a morning and an afternoon peak (about `peak` heads
    at the top), a low night, weekends at `weekend` of the weekdays."""
    per_day = 1440 // minutes
    scale = peak / 42.0
    req = []
    for t in range(days * per_day):
        day, q = divmod(t, per_day)
        h = q * minutes / 60.0
        load = 2 if (h < 7 or h >= 22) else (
            10 + 30 * math.exp(-((h - 11) / 2.5) ** 2) + 22 * math.exp(-((h - 16) / 2.5) ** 2))
        req.append(int(load * scale * (weekend if day % 7 >= 5 else 1.0)))
    return req


def shifts(step=30, lengths=(240, 360, 480), two_breaks_always=False, grid=15):
    """Shifts starting every `step` minutes in the given lengths (minutes), cost 25
    per paid hour; a 15-minute break 90-150 minutes in, and a 30-minute break
    around the middle for shifts over 4 hours (or always, two_breaks_always).
    Break lengths and offsets are on the `grid` (the interval length)."""
    out = []
    for start in range(0, 1440, step):
        for length in lengths:
            breaks = [{"length": max(15, grid), "earliest": 90, "latest": 150}]
            if length > 240 or two_breaks_always:
                mid = max(length // 2, 150 + grid)
                mid -= mid % grid
                breaks.append({"length": 30, "earliest": mid,
                               "latest": min(mid + 60, length - 30)})
            out.append({"name": f"S{_hhmm(start).replace(':', '')}-{length}",
                        "start": _hhmm(start), "length": length,
                        "cost": length / 60 * 25, "breaks": breaks})
    return out


def problem(days, peak, time_limit, threads, minutes=15, **shift_kw):
    return {"format": "staffplan-problem/1", "interval_minutes": minutes, "days": days,
            "cyclic": True, "demand": {"required": demand(days, minutes, peak)},
            "shifts": shifts(grid=minutes, **shift_kw), "tours": None,
            "objective": {"under_staffing_cost": 1000, "over_staffing_cost": 0,
                          "wait_cost": None},
            "limits": {"time_limit": time_limit, "mip_gap": 1e-4, "threads": threads}}


def tour_problem(days, peak, time_limit, threads, minutes=15, **shift_kw):
    """Tours: every person works one shift 5 days a week, the 2 days off
    consecutive; one break window per shift."""
    p = problem(days, peak, time_limit, threads, minutes=minutes, **shift_kw)
    for s in p["shifts"]:
        s["breaks"] = s["breaks"][:1]
    p["tours"] = {"work_days": 5, "consecutive_days_off": True}
    return p


def cost_problem(days, peak_volume, time_limit, threads, minutes=15, **shift_kw):
    """Cost mode on a generated forecast: labour + 40 per waiting hour + 1 per
    call waiting over 30 s; only the stability minimum is a requirement."""
    from staffplan import synthetic

    fc = synthetic.forecast(days=days, interval=minutes * 60, peak_volume=peak_volume,
                            aht=300.0, seed=42)
    return {"format": "staffplan-problem/1", "interval_minutes": minutes, "days": days,
            "cyclic": True,
            "demand": {"forecast": {"volume": list(fc.volume), "aht": list(fc.aht),
                                    "shrinkage": 0.3}},
            "shifts": shifts(grid=minutes, **shift_kw), "tours": None,
            "objective": {"under_staffing_cost": 1000, "over_staffing_cost": 0,
                          "wait_cost": {"per_waiting_hour": 40.0, "per_late_call": 1.0,
                                        "late_after": 30}},
            "limits": {"time_limit": time_limit, "mip_gap": 1e-4, "threads": threads}}


def instances(smoke, time_limit, threads):
    """(name, problem, time limit) for every instance of the run."""
    if smoke:
        t = 1.0
        return [
            ("day-peak12", problem(1, 12, t, threads, minutes=30, step=60), t),
            ("2days-2breaks-peak8", problem(2, 8, t, threads, minutes=30, step=60,
                                            lengths=(360, 480), two_breaks_always=True), t),
            ("day-cost-mode", cost_problem(1, 40.0, t, threads, minutes=30, step=60), t),
            ("week-tours-peak6", tour_problem(7, 6, t, threads, minutes=30, step=120,
                                              lengths=(480,)), t),
        ]
    return [
        ("week-peak50", problem(7, 50, time_limit, threads), time_limit),
        ("week-peak500", problem(7, 500, time_limit, threads), time_limit),
        ("2days-2breaks-peak50", problem(2, 50, time_limit, threads, two_breaks_always=True),
         time_limit),
        ("4weeks-peak50", problem(28, 50, 4 * time_limit, threads), 4 * time_limit),
        ("week-cost-mode", cost_problem(7, 120.0, time_limit, threads), time_limit),
        ("week-tours", tour_problem(7, 48, time_limit, threads), time_limit),
    ]


SKIPPED = []


def run_glpsol(lp_path, time_limit):
    exe = shutil.which("glpsol")
    if exe is None:
        return {"available": False}
    sol = lp_path + ".glpsol.txt"
    t0 = time.monotonic()
    subprocess.run([exe, "--lp", lp_path, "--tmlim", str(max(1, int(round(time_limit)))),
                    "-o", sol], capture_output=True, text=True,
                   timeout=time_limit * 3 + 60)
    seconds = time.monotonic() - t0
    objective, status = None, None
    if os.path.exists(sol):
        with open(sol, encoding="utf-8") as f:
            text = f.read(4000)
        m = re.search(r"^Status:\s+(.+)$", text, re.M)
        status = m.group(1).strip() if m else None
        m = re.search(r"^Objective:\s+\S+\s*=\s*(\S+)", text, re.M)
        if m and status not in ("INTEGER EMPTY", "INTEGER UNDEFINED", "UNDEFINED"):
            objective = float(m.group(1))
    return {"available": True, "objective": objective, "status": status,
            "seconds": round(seconds, 2)}


def run_cbc(lp_path, time_limit):
    exe = shutil.which("cbc")
    if exe is None:
        return {"available": False}
    t0 = time.monotonic()
    done = subprocess.run([exe, lp_path, "sec", str(time_limit), "solve"],
                          capture_output=True, text=True, timeout=time_limit * 3 + 60)
    seconds = time.monotonic() - t0
    out = done.stdout
    objective = bound = None
    m = re.search(r"^Objective value:\s+(\S+)", out, re.M)
    if m and "No feasible solution found" not in out:
        objective = float(m.group(1))
    m = re.search(r"^Lower bound:\s+(\S+)", out, re.M)
    if m:
        bound = float(m.group(1))
    m = re.search(r"^Result - (.+)$", out, re.M)
    return {"available": True, "objective": objective, "bound": bound,
            "status": m.group(1).strip() if m else None, "seconds": round(seconds, 2)}


def run_instance(name, p, time_limit, tmp, others=True):
    t0 = time.monotonic()
    r = staffplan.solve(p)
    wall = time.monotonic() - t0
    ev = check(p, r)  # an invalid result is a failure, never a number in the table
    required = required_heads(p)
    row = {"name": name, "days": p["days"], "intervals": len(required),
           "shifts": len(p["shifts"]), "peak": max(required),
           "mode": "cost" if (p.get("objective") or {}).get("wait_cost") else "service",
           "tours": p.get("tours"),
           "time_limit": time_limit, "threads": p["limits"]["threads"],
           "staffplan": {"status": r["status"], "objective": r["objective"],
                         "labor_cost": r["labor_cost"], "wait_cost": ev["wait_cost"],
                         "lp_bound": r["lp_bound"], "bound": r["bound"], "gap": r["gap"],
                         "seconds": round(r["seconds"], 2), "wall": round(wall, 2)}}
    if others:
        lp = os.path.join(tmp, name + ".lp")
        staffplan.write_lp(p, lp)
        row["lp_bytes"] = os.path.getsize(lp)
        row["glpsol"] = run_glpsol(lp, time_limit)
        row["cbc"] = run_cbc(lp, time_limit)
    return row


def _fmt(x, spec="{:.1f}"):
    return "-" if x is None else spec.format(x)


def table(rows):
    head = (f"{'instance':<22} {'T s':>5} {'staffplan':>11} {'LP bound':>11} {'bound':>11} "
            f"{'gap %':>7} {'secs':>6} {'glpsol':>11} {'cbc':>11}")
    lines = [head, "-" * len(head)]
    for r in rows:
        s = r["staffplan"]
        g = r.get("glpsol", {}).get("objective")
        c = r.get("cbc", {}).get("objective")
        lines.append(
            f"{r['name']:<22} {r['time_limit']:>5g} {_fmt(s['objective']):>11} "
            f"{_fmt(s['lp_bound']):>11} {_fmt(s['bound']):>11} "
            f"{_fmt(None if s['gap'] is None else 100 * s['gap'], '{:.3f}'):>7} "
            f"{s['seconds']:>6.1f} {_fmt(g):>11} {_fmt(c):>11}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny instances, a few seconds")
    ap.add_argument("--time", type=float, default=30.0,
                    help="seconds per week instance (the 4-week one gets 4x)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--only", help="run only the instances whose name contains this")
    ap.add_argument("--no-others", action="store_true", help="skip glpsol and CBC")
    ap.add_argument("--json", help="write the report here")
    args = ap.parse_args(argv)

    rows = []
    with tempfile.TemporaryDirectory(prefix="staffplan-bench-") as tmp:
        for name, p, tl in instances(args.smoke, args.time, args.threads):
            if args.only and args.only not in name:
                continue
            rows.append(run_instance(name, p, tl, tmp, others=not args.no_others))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
    print("\nschedule benchmark (objective: labour + 1000 per head-interval short, + the "
          "waiting cost in cost mode; glpsol/cbc: same model via write_lp, same time limit)")
    print(table(rows))
    for s in SKIPPED:
        print(f"skipped {s['name']}: {s['reason']}")
    report = {"benchmark": "schedule", "smoke": args.smoke, "threads": args.threads,
              "instances": rows, "skipped": SKIPPED, "ok": True}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
