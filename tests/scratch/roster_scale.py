"""Scale measurement of staffplan.roster on a generated 28-day problem.

python tests/scratch/roster_scale.py AGENTS [TIME_LIMIT] [--schedule]
Prints seconds, objective, bound and gap.  Not a test: timings depend on
the machine.
"""
import math
import random
import sys
import time

import os
import staffplan
HOMOG = os.environ.get("HOMOG") == "1"


def make(n_agents, days=28, seed=1, time_limit=60.0):
    rng = random.Random(seed)
    I = 15
    per_day = 1440 // I
    shifts = []
    for start in range(6 * 60, 15 * 60 + 1, 30):
        for length in (480, 360):
            br = [{"length": 30, "earliest": 180, "latest": 270}] if length == 480 else \
                 [{"length": 15, "earliest": 120, "latest": 210}]
            shifts.append({"name": f"S{start // 60:02d}{start % 60:02d}-{length}",
                           "start": f"{start // 60:02d}:{start % 60:02d}", "length": length,
                           "cost": length / 60 * 25, "breaks": br})
    # a day's head-intervals about 85% of what the agents can give
    supply = n_agents * 5 / 7 * 30 * float(os.environ.get("SUPPLY", "0.85"))
    shape = [max(0.0, math.sin(math.pi * (t / per_day * 24 - 6.5) / 16))
             if 6.5 <= t / per_day * 24 <= 22.5 else 0.0 for t in range(per_day)]
    k = supply / sum(shape)
    req = []
    for d in range(days):
        f = 0.8 if (d % 7) >= 5 else 1.0
        req += [int(round(k * f * x)) for x in shape]
    agents = []
    names = [s["name"] for s in shifts]
    for i in range(n_agents):
        a = {"id": f"A{i:04d}", "cost_per_hour": 25.0 if HOMOG else 20 + rng.random() * 10,
             "max_minutes_per_week": 2400, "min_minutes_per_week": 1440 if i % 3 and i % 5 and i % 7 else 0,
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
    return {"format": "staffplan-problem/1", "interval_minutes": I, "days": days,
            "cyclic": False, "demand": {"required": req}, "shifts": shifts,
            "agents": agents, "objective": {"under_staffing_cost": 100.0},
            "limits": {"time_limit": time_limit, "threads": 2}}


if __name__ == "__main__":
    n = int(sys.argv[1])
    tl = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    p = make(n, time_limit=tl)
    t = time.monotonic()
    r = staffplan.roster(p)
    print(f"agents {n}: {time.monotonic() - t:.1f} s status {r['status']} "
          f"objective {r['objective']:.0f} bound {r['bound']} gap {r['gap']} "
          f"labor {r['labor_cost']:.0f} short {r['under_staffing']} "
          f"over {r['over_staffing']} lp {r['lp_bound']}")
