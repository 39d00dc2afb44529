"""End-to-end demo: ``python -m staffplan.demo [--out DIR]``.

Generates a realistic week of 15-minute intervals, computes the staffing
requirements (80% of contacts answered within 20 s, 30% shrinkage), prints a
summary and writes ``staffplan-demo.png`` (volume against required heads over
the week) into ``--out`` (default: the current directory).

Then it builds a shift catalogue from templates (day, late, night and
part-time shifts with breaks, a night premium), solves the schedule integer
program for the required heads (service mode, GLPK) and reports its cost,
bound and gap, with coverage against requirement in the plot.

Last, a team of named agents (contract hours, rest, days off, some on day
shifts only) is rostered onto the schedule: who works what, and what the
rules left unstaffed.

The demo is a list of stages run in order, each a function taking and filling a
shared ``context`` dict.
"""

from __future__ import annotations

import argparse
import os
import sys
import time

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


# ---------------------------------------------------------------------------
# Stages: each takes the context dict, adds its results, and may print.
# ---------------------------------------------------------------------------

def stage_forecast(ctx):
    """A generated week: contacts per interval and AHT in seconds."""
    from staffplan import synthetic

    args = ctx["args"]
    fc = synthetic.forecast(days=args.days, interval=args.interval,
                            peak_volume=args.peak_volume, aht=args.aht,
                            seed=args.seed)
    ctx["forecast"] = fc
    print("forecast      %d days x %d-minute intervals = %d intervals, "
          "%.0f contacts, mean AHT %.0f s"
          % (fc.days, fc.interval // 60, len(fc), sum(fc.volume),
             sum(v * h for v, h in zip(fc.volume, fc.aht)) / max(1.0, sum(fc.volume))))


def stage_requirements(ctx):
    """Erlang C staffing per interval, then shrinkage -> scheduled heads."""
    import staffplan

    args = ctx["args"]
    fc = ctx["forecast"]
    t0 = time.perf_counter()
    req = staffplan.requirements(fc.volume, fc.aht, interval=fc.interval,
                                 service_level=args.service_level,
                                 answer_time=args.answer_time,
                                 shrinkage=args.shrinkage, threads=args.threads)
    ctx["requirements_ms"] = (time.perf_counter() - t0) * 1e3
    ctx["requirements"] = req

    n = len(fc)
    hours = fc.interval / 3600.0
    traffic = list(req.traffic)
    agents = list(req.agents)
    heads = list(req.heads)
    sl = list(req.service_level)
    total_volume = sum(fc.volume)
    weighted_sl = (sum(v * s for v, s in zip(fc.volume, sl)) / total_volume
                   if total_volume > 0 else 1.0)
    print("requirements  target %.0f%% in %.0f s, shrinkage %.0f%%: computed in %.2f ms"
          % (args.service_level * 100, args.answer_time, args.shrinkage * 100,
             ctx["requirements_ms"]))
    print()
    print("  intervals                     %10d" % n)
    print("  traffic, peak / mean          %10.1f / %.1f Erlangs"
          % (max(traffic), sum(traffic) / n))
    print("  productive agents, peak       %10d" % max(agents))
    print("  scheduled heads, peak         %10d" % max(heads))
    span = "per week" if fc.days == 7 else "(%d days)" % fc.days
    print("  %-30s%10.1f" % ("agent-hours " + span, sum(agents) * hours))
    print("  %-30s%10.1f" % ("head-hours " + span, sum(heads) * hours))
    print("  achieved SL, contact-weighted %10.1f %%" % (weighted_sl * 100))
    print("  achieved SL, interval mean    %10.1f %%" % (sum(sl) / n * 100))
    print()


#: The demo's shift catalogue: a 24/7 center at 22 per paid hour.
DEMO_TEMPLATES = [
    {"name": "day", "first_start": "06:00", "last_start": "12:00", "step": 30,
     "lengths": [480], "cost_per_hour": 22.0,
     "breaks": [{"length": 15, "earliest": 90, "latest": 150},
                {"length": 30, "earliest": 210, "latest": 300},
                {"length": 15, "earliest": 360, "latest": 420}]},
    {"name": "late", "first_start": "13:00", "last_start": "18:00", "step": 60,
     "lengths": [480], "cost_per_hour": 22.0,
     "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25},
     "breaks": [{"length": 15, "earliest": 90, "latest": 150},
                {"length": 30, "earliest": 210, "latest": 300},
                {"length": 15, "earliest": 360, "latest": 420}]},
    {"name": "night", "first_start": "20:00", "last_start": "23:00", "step": 60,
     "lengths": [480], "cost_per_hour": 22.0,
     "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25},
     "breaks": [{"length": 30, "earliest": 180, "latest": 300}]},
    {"name": "part", "first_start": "08:00", "last_start": "17:00", "step": 60,
     "lengths": [240], "cost_per_hour": 22.0,
     "breaks": [{"length": 15, "earliest": 90, "latest": 150}]},
]


def stage_schedule(ctx):
    """The schedule IP in service mode: cover the required heads at least cost."""
    import staffplan
    from staffplan import evaluation, templates

    args = ctx["args"]
    fc = ctx["forecast"]
    req = ctx["requirements"]
    minutes = fc.interval // 60
    shifts = templates.expand(DEMO_TEMPLATES, interval_minutes=minutes)
    problem = {
        "format": "staffplan-problem/1", "interval_minutes": minutes, "days": fc.days,
        "cyclic": True, "demand": {"required": list(req.heads)}, "shifts": shifts,
        "tours": None,
        "objective": {"under_staffing_cost": 500.0, "over_staffing_cost": 0.0,
                      "wait_cost": None},
        "limits": {"time_limit": args.time_limit, "mip_gap": 0.005,
                   "threads": args.threads or 2},
    }
    t0 = time.perf_counter()
    result = staffplan.solve(problem)
    seconds = time.perf_counter() - t0
    ev = evaluation.evaluate(problem, result)
    ctx["problem"], ctx["schedule"], ctx["evaluation"] = problem, result, ev
    hours = fc.interval / 3600.0
    people = sum(a["count"] for a in result["assignments"])
    print("schedule      %d shift types x %d days, service mode, time limit %g s: %s in %.1f s"
          % (len(shifts), fc.days, args.time_limit, result["status"], seconds))
    print()
    rows = [
        ("shifts worked (person-days)", "%d" % people),
        ("labour cost", "%.0f" % result["labor_cost"]),
        ("objective / LP bound", "%.0f / %.0f" % (result["objective"], result["bound"])),
        ("gap to the bound", "%.2f %%" % (100 * result["gap"])),
        ("short head-hours", "%.1f" % (ev.under_staffing * hours)),
        ("excess head-hours", "%.1f" % (ev.over_staffing * hours)),
        ("paid head-hours (on shift)", "%.1f" % (sum(ev.staffed) * hours)),
    ]
    for label, value in rows:
        print("  %-30s %12s" % (label, value))
    print()


def stage_roster(ctx):
    """The schedule's shifts given to a generated team of named agents."""
    import math
    import random

    import staffplan

    args = ctx["args"]
    problem, sched = ctx["problem"], ctx["schedule"]
    rng = random.Random(args.seed)
    days = problem["days"]
    people = sum(a["count"] for a in sched["assignments"])
    # Five shifts a week each, and a tenth more people for the rules.
    n = max(2, math.ceil(people / max(1, days) * 7 / 5 * 1.1))
    day_only = {s["name"] for s in problem["shifts"]
                if 6 * 60 <= int(s["start"][:2]) * 60 and int(s["start"][:2]) < 12}
    agents = []
    for i in range(n):
        a = {"id": "agent%03d" % (i + 1), "max_minutes_per_week": 2400,
             "max_consecutive_work_days": 5, "min_rest_minutes": 660,
             "min_consecutive_days_off": 2 if i % 3 == 0 else 1}
        if i % 4 == 0 and day_only:
            a["shift_types"] = sorted(day_only)
        if rng.random() < 0.3:
            a["requests"] = [{"day": rng.randrange(days), "shift": None, "work": False,
                              "weight": 20.0}]
        agents.append(a)
    t0 = time.perf_counter()
    roster = staffplan.roster(problem, schedule=sched, agents=agents)
    seconds = time.perf_counter() - t0
    ctx["agents"], ctx["roster"] = agents, roster
    print("roster        %d agents, the schedule's %d person-days: %s in %.1f s"
          % (n, people, roster["status"], seconds))
    print()
    if roster["status"] == "no_solution":
        print("  " + roster["error"])
        print()
        return
    hours = problem["interval_minutes"] / 60.0
    worked = sum(1 for r in roster["roster"] if r["shifts"])
    left = sum(u["count"] for u in roster["unassigned"])
    rows = [
        ("agents working", "%d of %d" % (worked, n)),
        ("shifts rostered", "%d" % len(roster["assignments"])),
        ("schedule shifts left out", "%d" % left),
        ("short head-hours", "%.1f" % (roster["under_staffing"] * hours)),
        ("labour cost", "%.0f" % roster["labor_cost"]),
        ("request penalty", "%.0f" % roster["request_penalty"]),
    ]
    for label, value in rows:
        print("  %-30s %12s" % (label, value))
    print()


def stage_plot(ctx):
    """staffplan-demo.png: volume (left axis) and required heads (right axis)."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        print("plot          skipped: matplotlib is not installed "
              "(pip install matplotlib)")
        return
    del matplotlib
    fc = ctx["forecast"]
    req = ctx["requirements"]
    per_day = fc.intervals_per_day
    x = [i / per_day for i in range(len(fc))]   # days since the start

    ev = ctx.get("evaluation")
    fig = Figure(figsize=(12, 8 if ev is not None else 4.5), dpi=100)
    FigureCanvasAgg(fig)                        # Agg, whatever pyplot's backend is
    ax = fig.add_subplot(2 if ev is not None else 1, 1, 1)
    ax.fill_between(x, list(fc.volume), step="post", color="tab:blue", alpha=0.35,
                    label="volume (contacts / %d min)" % (fc.interval // 60))
    ax.set_ylabel("contacts per interval", color="tab:blue")
    ax.set_xlim(0, fc.days)
    ax2 = ax.twinx()
    ax2.step(x, list(req.heads), where="post", color="tab:red", lw=1.2,
             label="required heads")
    ax2.step(x, list(req.agents), where="post", color="tab:orange", lw=0.8,
             alpha=0.8, label="productive agents")
    ax2.set_ylabel("agents / heads", color="tab:red")
    ax2.set_ylim(bottom=0)
    ax.set_ylim(bottom=0)
    for d in range(1, fc.days):
        ax.axvline(d, color="grey", lw=0.8, ls="--")
    ax.set_xticks([d + 0.5 for d in range(fc.days)])
    ax.set_xticklabels([DAY_NAMES[(fc.start_weekday + d) % 7] for d in range(fc.days)])
    ax.tick_params(axis="x", length=0)
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax2.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="upper right",
               fontsize="small")
    ax.set_title("staffplan demo: forecast and required heads (%.0f%% in %.0f s, "
                 "%.0f%% shrinkage)" % (ctx["args"].service_level * 100,
                                        ctx["args"].answer_time,
                                        ctx["args"].shrinkage * 100))
    if ev is not None:
        bx = fig.add_subplot(2, 1, 2, sharex=ax)
        bx.step(x, ev.required, where="post", color="tab:red", lw=1.0, label="required heads")
        bx.step(x, ev.staffed, where="post", color="tab:green", lw=1.0,
                label="scheduled heads on shift (not on break)")
        bx.fill_between(x, ev.required, ev.staffed, step="post", color="tab:red", alpha=0.25,
                        where=[s < r for s, r in zip(ev.staffed, ev.required)],
                        label="short")
        for d in range(1, fc.days):
            bx.axvline(d, color="grey", lw=0.8, ls="--")
        bx.set_ylabel("heads")
        bx.set_ylim(bottom=0)
        bx.legend(loc="upper right", fontsize="small")
        result = ctx["schedule"]
        bx.set_title("schedule: coverage against requirement (objective %.0f, gap %.2f%%)"
                     % (result["objective"], 100 * result["gap"]))
        bx.set_xticks([d + 0.5 for d in range(fc.days)])
        bx.set_xticklabels([DAY_NAMES[(fc.start_weekday + d) % 7] for d in range(fc.days)])
        bx.tick_params(axis="x", length=0)
    fig.tight_layout()
    os.makedirs(ctx["args"].out, exist_ok=True)
    path = os.path.join(ctx["args"].out, "staffplan-demo.png")
    fig.savefig(path)
    ctx["plot"] = path
    print("plot          written to %s" % path)


#: The pipeline, in order.  A later release appends ("roster", ...).
STAGES = [
    ("forecast", stage_forecast),
    ("requirements", stage_requirements),
    ("schedule", stage_schedule),
    ("roster", stage_roster),
    ("plot", stage_plot),
]


def _parser():
    p = argparse.ArgumentParser(
        prog="python -m staffplan.demo",
        description="staffplan demo: a generated week -> requirements -> schedule "
                    "-> roster.")
    p.add_argument("--out", default=".", help="directory for staffplan-demo.png "
                   "(default: current directory)")
    p.add_argument("--days", type=int, default=7, help="days to generate (default 7)")
    p.add_argument("--interval", type=int, default=900,
                   help="interval length in seconds (default 900)")
    p.add_argument("--peak-volume", type=float, default=120.0,
                   help="contacts per interval at the Monday peak (default 120)")
    p.add_argument("--aht", type=float, default=300.0,
                   help="typical average handle time, seconds (default 300)")
    p.add_argument("--service-level", type=float, default=0.8,
                   help="fraction answered within --answer-time (default 0.8)")
    p.add_argument("--answer-time", type=float, default=20.0,
                   help="service-level threshold, seconds (default 20)")
    p.add_argument("--shrinkage", type=float, default=0.3,
                   help="fraction of paid time not productive (default 0.3)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads for the requirements (default: all)")
    p.add_argument("--time-limit", type=float, default=20.0,
                   help="seconds for the schedule solve (default 20)")
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return p


def run(argv=None):
    """Run every stage; returns the context dict (forecast, requirements, plot...)."""
    args = _parser().parse_args(argv)
    import staffplan

    print("staffplan %s demo: forecast -> requirements -> schedule -> roster."
          % getattr(staffplan, "__version__", "?"))
    print()
    ctx = {"args": args}
    t0 = time.perf_counter()
    for name, stage in STAGES:
        stage(ctx)
    print("done in %.0f ms (stages: %s)"
          % ((time.perf_counter() - t0) * 1e3, " -> ".join(n for n, _ in STAGES)))
    return ctx


def main(argv=None):
    """Entry point of ``python -m staffplan.demo``; returns 0 on success."""
    run(argv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
