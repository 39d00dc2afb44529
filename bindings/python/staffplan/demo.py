"""End-to-end demo: ``python -m staffplan.demo [--out DIR]``.

Generates a realistic week of 15-minute intervals, computes the staffing
requirements (80% of contacts answered within 20 s, 30% shrinkage), prints a
summary and writes ``staffplan-demo.png`` (volume against required heads over
the week) into ``--out`` (default: the current directory).

The demo is a list of stages run in order, each a function taking and filling a
shared ``context`` dict.  This release covers forecast -> requirements; the
schedule and roster stages will be appended to :data:`STAGES` when they exist.
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

    fig = Figure(figsize=(12, 4.5), dpi=100)
    FigureCanvasAgg(fig)                        # Agg, whatever pyplot's backend is
    ax = fig.add_subplot(1, 1, 1)
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
    fig.tight_layout()
    os.makedirs(ctx["args"].out, exist_ok=True)
    path = os.path.join(ctx["args"].out, "staffplan-demo.png")
    fig.savefig(path)
    ctx["plot"] = path
    print("plot          written to %s" % path)


#: The pipeline, in order.  Later releases append ("schedule", ...), ("roster", ...).
STAGES = [
    ("forecast", stage_forecast),
    ("requirements", stage_requirements),
    ("plot", stage_plot),
]


def _parser():
    p = argparse.ArgumentParser(
        prog="python -m staffplan.demo",
        description="staffplan demo: a generated week -> staffing requirements.")
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
    p.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    return p


def run(argv=None):
    """Run every stage; returns the context dict (forecast, requirements, plot...)."""
    args = _parser().parse_args(argv)
    import staffplan

    print("staffplan %s demo: forecast -> requirements. The schedule and roster "
          "stages are not in this release yet." % getattr(staffplan, "__version__", "?"))
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
