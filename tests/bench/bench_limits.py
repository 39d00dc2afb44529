"""Time limits and Ctrl-C: how long a solve runs past its limit, and how fast
it stops after SIGINT.

Time limits: the generated week of bench_schedule.py (15-minute intervals,
shifts every 30 minutes in 3 lengths with break windows, peak about 50
heads) with mip_gap 0, so that no solve ends early by its gap; each limit
(1, 2, 5, 10 s) is run --runs times and the wall time of `staffplan.solve`
(Python call to return) is compared with the limit.  The target is an
overshoot of at most 10% + 0.5 s.

Ctrl-C: the same week with a 60 s limit; a timer thread sends SIGINT to the
process after a delay (0.5, 1.5 and 3 s, so that it lands in the root LP,
the dives and the window search).  Latency is the time from the signal to
the return of `solve`; the result must hold a solution and say "cancelled".
A SIGINT handler of our own turns the signal into KeyboardInterrupt only
while a solve runs, so a signal arriving late can never kill the caller.

    python tests/bench/bench_limits.py [--runs 3] [--limits 1,2,5,10] [--json FILE]
    python tests/bench/bench_limits.py --smoke     # one run at 1 s, one Ctrl-C
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import sys
import threading
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

from bench_schedule import problem  # noqa: E402
from evaluate import check  # noqa: E402

# The documented target: a solve returns within 10% + 0.5 s of its limit.
OVERSHOOT_SHARE, OVERSHOOT_ABS = 0.10, 0.5


def week(time_limit, threads, days=7):
    p = problem(days, 50, time_limit, threads)
    p["limits"]["mip_gap"] = 0.0
    return p


def time_limit_row(limit, runs, threads, days):
    walls, reported, stops = [], [], []
    for _ in range(runs):
        p = week(limit, threads, days)
        t0 = time.perf_counter()
        r = staffplan.solve(p)
        walls.append(time.perf_counter() - t0)
        check(p, r)  # an invalid result is a failure, never a number in the table
        reported.append(r["seconds"])
        stops.append(r["stop"])
    allowed = limit * (1 + OVERSHOOT_SHARE) + OVERSHOOT_ABS
    return {"limit": limit, "runs": runs, "walls": [round(w, 3) for w in walls],
            "reported_seconds": [round(s, 3) for s in reported], "stops": stops,
            "max_wall": round(max(walls), 3), "median_wall": round(statistics.median(walls), 3),
            "max_overshoot": round(max(walls) - limit, 3), "allowed": round(allowed, 3),
            "within_target": max(walls) <= allowed}


class _Interrupter:
    """SIGINT after `delay` seconds from a timer thread; the handler raises
    KeyboardInterrupt only while `solving` is set."""

    def __init__(self):
        self.solving = False
        self.sent_at = None
        self.late = False

    def handler(self, signum, frame):
        if self.solving:
            raise KeyboardInterrupt
        self.late = True

    def fire(self):
        self.sent_at = time.perf_counter()
        os.kill(os.getpid(), signal.SIGINT)


def ctrl_c_row(delay, threads, days):
    p = week(60.0, threads, days)
    it = _Interrupter()
    previous = signal.signal(signal.SIGINT, it.handler)
    timer = threading.Timer(delay, it.fire)
    try:
        it.solving = True
        t0 = time.perf_counter()
        timer.start()
        r = staffplan.solve(p)
        returned = time.perf_counter()
        it.solving = False
    finally:
        it.solving = False
        timer.cancel()
        timer.join()
        signal.signal(signal.SIGINT, previous)
    check(p, r)
    latency = None if it.sent_at is None or it.sent_at > returned else returned - it.sent_at
    return {"delay": delay, "latency": None if latency is None else round(latency, 3),
            "wall": round(returned - t0, 3), "stop": r["stop"], "status": r["status"],
            "objective": r["objective"], "lp_bound": r["lp_bound"],
            "ok": latency is not None and latency < 1.0 and r["stop"] == "cancelled"
            and r["status"] in ("feasible", "optimal")}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="one run at 1 s and one Ctrl-C")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--limits", default="1,2,5,10", help="seconds, comma-separated")
    ap.add_argument("--delays", default="0.5,1.5,3", help="Ctrl-C delays, seconds")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--days", type=int, default=7)
    ap.add_argument("--json", help="write the report here")
    args = ap.parse_args(argv)
    limits = [1.0] if args.smoke else [float(x) for x in args.limits.split(",")]
    delays = [0.5] if args.smoke else [float(x) for x in args.delays.split(",")]
    runs = 1 if args.smoke else args.runs

    rows = []
    print(f"time limits: generated {args.days}-day week, mip_gap 0, {args.threads} threads, "
          f"{runs} runs each (wall = Python call to return)")
    print(f"{'limit s':>8} {'median s':>9} {'max s':>7} {'overshoot s':>12} {'allowed s':>10} "
          f"{'stops':>12}")
    for limit in limits:
        row = time_limit_row(limit, runs, args.threads, args.days)
        rows.append(row)
        print(f"{limit:>8g} {row['median_wall']:>9.2f} {row['max_wall']:>7.2f} "
              f"{row['max_overshoot']:>+12.2f} {row['allowed']:>10.2f} "
              f"{','.join(sorted(set(row['stops']))):>12}"
              + ("" if row["within_target"] else "  ABOVE TARGET"), flush=True)
    cancels = []
    print("\nCtrl-C: SIGINT from a timer thread into a 60 s solve")
    print(f"{'after s':>8} {'latency s':>10} {'stop':>10} {'status':>9} {'objective':>11}")
    for delay in delays:
        row = ctrl_c_row(delay, args.threads, args.days)
        cancels.append(row)
        lat = "-" if row["latency"] is None else f"{row['latency']:.3f}"
        print(f"{delay:>8g} {lat:>10} {row['stop']:>10} {row['status']:>9} "
              f"{row['objective']:>11.1f}" + ("" if row["ok"] else "  NOT OK"), flush=True)
    report = {"benchmark": "limits", "smoke": args.smoke, "threads": args.threads,
              "days": args.days, "target": {"share": OVERSHOOT_SHARE, "seconds": OVERSHOOT_ABS},
              "time_limits": rows, "ctrl_c": cancels,
              "ok": all(c["ok"] for c in cancels)}
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
