#!/usr/bin/env python3
"""Benchmark of staffplan.requirements (Erlang C staffing per interval).

Usage::

    python tests/bench/bench_requirements.py [--smoke] [--json FILE] [--runs N]

Workloads
---------
(a) "sites": a realistic 4-week, 15-minute forecast for 100 sites of very
    different sizes (staffplan.synthetic.forecast_sites(100, 28, 900),
    concatenated: 268,800 intervals), target 80% answered in 20 s, shrinkage 30%.
(b) "loguniform": 1,000,000 intervals whose offered traffic is log-uniform in
    0.01 .. 10,000 Erlangs (volume = A * 900 / 300 contacts, AHT 300 s), same
    targets.

For each workload staffplan is timed with threads=1 and threads=2 (best of
``--runs``, default 3; the time includes converting the inputs), and the two
results are compared byte for byte.  A plain pure-Python staffing search (the
Erlang B recursion from k = 0 in floats, then stepping n up from floor(A) + 1
until the service level reaches the target) runs on a random sample of 2,000
intervals of each workload; its agent counts are checked against staffplan's,
and its time per interval (best of ``--runs``) gives the speed ratio.  The
same search recomputing Erlang B from k = 0 for every candidate n (what most
Python staffing packages do) is also timed, once, on a smaller sample.

``--smoke`` runs a tiny version for CI (1,000 intervals per workload, 1 run,
pure-Python sample of 200 intervals).  ``--json FILE`` writes every figure.
"""

from __future__ import annotations

import argparse
import array
import json
import math
import os
import platform
import random
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))

try:
    import staffplan
except ImportError:  # not installed: use the in-place build of the repository
    sys.path.insert(0, os.path.join(ROOT, "bindings", "python"))
    import staffplan
from staffplan import synthetic

INTERVAL = 900.0          # seconds
SL_TARGET = 0.8           # fraction answered ...
ANSWER_TIME = 20.0        # ... within this many seconds
SHRINKAGE = 0.3
AHT_B = 300.0             # seconds, workload (b)
PYWORKFORCE_REF_NS = 160_000.0   # pyworkforce 0.5.4, quoted, workload (a), ns/interval
ARRAYS = ("agents", "heads", "traffic", "service_level", "asa", "occupancy", "p_wait",
          "p_abandon")


# ---------------------------------------------------------------------------
# Plain pure-Python reference (no numpy)
# ---------------------------------------------------------------------------

def py_service_level(n, a, b, aht, t):
    """SL at n agents given Erlang B value b = B(n, a); n > a."""
    c = n * b / (n - a * (1.0 - b))
    return 1.0 - c * math.exp(-(n - a) * t / aht)


def py_agents(a, aht, target=SL_TARGET, t=ANSWER_TIME):
    """Smallest n with SL(n) >= target: Erlang B recursion from k = 0 in floats up
    to floor(a) + 1, then one recursion step per candidate n."""
    if a <= 0.0:
        return 0
    n = int(math.floor(a)) + 1
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    while py_service_level(n, a, b, aht, t) < target:
        n += 1
        ab = a * b
        b = ab / (n + ab)
    return n


def py_erlang_b_full(n, a):
    b = 1.0
    for k in range(1, n + 1):
        ab = a * b
        b = ab / (k + ab)
    return b


def py_agents_naive(a, aht, target=SL_TARGET, t=ANSWER_TIME):
    """The same search, recomputing Erlang B from k = 0 for every candidate n
    (what most Python staffing packages do)."""
    if a <= 0.0:
        return 0
    n = int(math.floor(a)) + 1
    while py_service_level(n, a, py_erlang_b_full(n, a), aht, t) < target:
        n += 1
    return n


def py_heads(agents, shrinkage=SHRINKAGE):
    """ceil(agents / (1 - shrinkage)) with float noise (1e-9 relative) removed."""
    x = agents / (1.0 - shrinkage)
    return int(math.ceil(x * (1.0 - 1e-9)))


# ---------------------------------------------------------------------------
# Workloads
# ---------------------------------------------------------------------------

def workload_sites(sites, days, smoke_count=None):
    fcs = synthetic.forecast_sites(sites, days, int(INTERVAL), seed=2026)
    volume = array.array("d")
    aht = array.array("d")
    for f in fcs:
        volume.extend(f.volume)
        aht.extend(f.aht)
    if smoke_count is not None:
        volume, aht = volume[:smoke_count], aht[:smoke_count]
    return volume, aht


def workload_loguniform(count, seed=7):
    rng = random.Random(seed)
    lo, hi = math.log(0.01), math.log(10_000.0)
    volume = array.array("d", (math.exp(rng.uniform(lo, hi)) * INTERVAL / AHT_B
                               for _ in range(count)))
    return volume, AHT_B


def call(volume, aht, threads):
    return staffplan.requirements(volume, aht, interval=INTERVAL,
                                  service_level=SL_TARGET, answer_time=ANSWER_TIME,
                                  shrinkage=SHRINKAGE, threads=threads)


def time_staffplan(volume, aht, threads, runs):
    best, result = float("inf"), None
    for _ in range(runs):
        t0 = time.perf_counter()
        r = call(volume, aht, threads)
        dt = time.perf_counter() - t0
        if dt < best:
            best = dt
        result = r
    return best, result


def same_results(r1, r2):
    """Names of the arrays that differ between two Requirements (empty: identical)."""
    diff = []
    for name in ARRAYS:
        x, y = getattr(r1, name), getattr(r2, name)
        if x is None or y is None:
            if (x is None) != (y is None):
                diff.append(name)
            continue
        if bytes(x) != bytes(y):
            diff.append(name)
    return diff


def run_pure_python(volume, aht, result, sample, runs, naive):
    """Time the pure-Python search on `sample` indices; compare with `result`."""
    scalar = not hasattr(aht, "__len__")
    items = []
    for i in sample:
        h = aht if scalar else aht[i]
        items.append((i, volume[i] * h / INTERVAL, h))
    fn = py_agents_naive if naive else py_agents
    best = float("inf")
    counts = None
    for _ in range(runs):
        t0 = time.perf_counter()
        counts = [fn(a, h) for _, a, h in items]
        best = min(best, time.perf_counter() - t0)
    mismatches = []
    heads_mismatches = 0
    traffic_mismatches = 0
    agents, heads, traffic = result.agents, result.heads, result.traffic
    for (i, a, h), n in zip(items, counts):
        if traffic[i] != a:
            traffic_mismatches += 1
        if agents[i] != n:
            sl_py = (py_service_level(n, a, py_erlang_b_full(n, a), h, ANSWER_TIME)
                     if n > a else 0.0)
            mismatches.append({"index": i, "traffic": a, "aht": h,
                               "python_agents": n, "staffplan_agents": int(agents[i]),
                               "python_sl": sl_py,
                               "staffplan_sl": float(result.service_level[i])})
        elif heads[i] != py_heads(n):
            heads_mismatches += 1
    return {
        "method": "naive (B from k=0 for every n)" if naive else "incremental",
        "sample": len(items),
        "seconds": best,
        "ns_per_interval": best / max(1, len(items)) * 1e9,
        "agent_mismatches": len(mismatches),
        "heads_mismatches": heads_mismatches,
        "traffic_mismatches": traffic_mismatches,
        "mismatch_examples": mismatches[:10],
    }


def bench_workload(name, description, volume, aht, runs, sample_size, naive_size,
                   thread_counts=(1, 2)):
    n = len(volume)
    out = {"name": name, "description": description, "intervals": n, "runs": runs,
           "staffplan": {}}
    results = {}
    for k in thread_counts:
        secs, r = time_staffplan(volume, aht, k, runs)
        results[k] = r
        out["staffplan"]["threads=%d" % k] = {
            "threads": k, "seconds": secs, "ns_per_interval": secs / n * 1e9}
    base = results[thread_counts[0]]
    diffs = {}
    for k in thread_counts[1:]:
        d = same_results(base, results[k])
        if d:
            diffs["threads=%d" % k] = d
    out["identical_across_threads"] = not diffs
    out["differing_arrays"] = diffs

    # The same search with Erlang B run by the full recursion from k = 0
    # (the core's verification switch): the fast start must change nothing.
    t0 = time.perf_counter()
    full = staffplan._core.requirements(
        volume, aht, INTERVAL, SL_TARGET, ANSWER_TIME, None, None, SHRINKAGE, 0,
        None, None, thread_counts[-1], True)
    out["full_recursion_seconds"] = time.perf_counter() - t0
    out["identical_to_full_recursion"] = (bytes(full[0]) == bytes(base.agents)
                                          and bytes(full[1]) == bytes(base.heads))

    ag = base.agents
    tr = base.traffic
    out["peak_traffic"] = max(tr) if n else 0.0
    out["peak_agents"] = max(ag) if n else 0
    out["total_agents"] = sum(ag)

    rng = random.Random(12345)
    sample = sorted(rng.sample(range(n), min(sample_size, n)))
    py = run_pure_python(volume, aht, base, sample, runs, naive=False)
    sp_ns = out["staffplan"]["threads=%d" % thread_counts[0]]["ns_per_interval"]
    py["ratio_vs_staffplan_1_thread"] = py["ns_per_interval"] / sp_ns if sp_ns else None
    out["pure_python"] = py
    if naive_size:
        nsample = sample[:: max(1, len(sample) // naive_size)][:naive_size]
        nv = run_pure_python(volume, aht, base, nsample, 1, naive=True)
        nv["ratio_vs_staffplan_1_thread"] = (nv["ns_per_interval"] / sp_ns
                                             if sp_ns else None)
        out["pure_python_naive"] = nv
    return out


# ---------------------------------------------------------------------------
# Report
# ---------------------------------------------------------------------------

def fmt_ns(ns):
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    if ns >= 1e3:
        return "%.2f us" % (ns / 1e3)
    return "%.0f ns" % ns


def print_report(report):
    print("staffplan %s  requirements benchmark  (%s, %s, %d CPUs)%s" % (
        report["staffplan_version"], report["python"], report["machine"],
        report["cpu_count"], "  [SMOKE]" if report["smoke"] else ""))
    print("targets: %.0f%% in %.0f s, shrinkage %.0f%%, interval %.0f s; OpenMP env: %s" % (
        SL_TARGET * 100, ANSWER_TIME, SHRINKAGE * 100, INTERVAL,
        " ".join("%s=%s" % kv for kv in sorted(report["omp_env"].items())) or "(none)"))
    print()
    head = "%-12s %-22s %10s %12s %14s" % ("workload", "implementation", "intervals",
                                          "seconds", "per interval")
    print(head)
    print("-" * len(head))
    for w in report["workloads"]:
        for key, t in w["staffplan"].items():
            print("%-12s %-22s %10d %12.4f %14s" % (
                w["name"], "staffplan " + key, w["intervals"], t["seconds"],
                fmt_ns(t["ns_per_interval"])))
        for key, label in (("pure_python", "pure Python"),
                           ("pure_python_naive", "pure Python (naive)")):
            if key in w:
                p = w[key]
                ratio = p["ratio_vs_staffplan_1_thread"] or 0.0
                print("%-12s %-22s %10d %12.4f %14s   %s x staffplan threads=1" % (
                    w["name"], label, p["sample"], p["seconds"],
                    fmt_ns(p["ns_per_interval"]),
                    ("%.0f" if ratio >= 10 else "%.2f") % ratio))
        if w["name"] == "sites":
            print("%-12s %-22s %10s %12s %14s   (quoted, not measured)" % (
                w["name"], "pyworkforce 0.5.4", "", "", fmt_ns(PYWORKFORCE_REF_NS)))
    print()
    for w in report["workloads"]:
        p = w["pure_python"]
        print("%s: %s; peak traffic %.1f Erl, peak agents %d; threads identical: %s; "
              "identical to the full Erlang B recursion: %s (%.3f s); "
              "pure-Python agent mismatches %d/%d (heads %d, traffic %d)" % (
                  w["name"], w["description"], w["peak_traffic"], w["peak_agents"],
                  "yes" if w["identical_across_threads"] else
                  "NO (%s)" % w["differing_arrays"],
                  "yes" if w["identical_to_full_recursion"] else "NO",
                  w["full_recursion_seconds"],
                  p["agent_mismatches"], p["sample"], p["heads_mismatches"],
                  p["traffic_mismatches"]))
        for m in p["mismatch_examples"]:
            print("   mismatch at %(index)d: A=%(traffic)r aht=%(aht)r python %(python_agents)d"
                  " staffplan %(staffplan_agents)d (SL py %(python_sl).12f,"
                  " staffplan %(staffplan_sl).12f)" % m)
        if "pure_python_naive" in w and w["pure_python_naive"]["agent_mismatches"]:
            print("   naive pure-Python mismatches: %d"
                  % w["pure_python_naive"]["agent_mismatches"])
    sites = [w for w in report["workloads"] if w["name"] == "sites"]
    if sites:
        ns1 = sites[0]["staffplan"]["threads=1"]["ns_per_interval"]
        print("reference: pyworkforce 0.5.4 is quoted at ~160 us/interval on workload (a);"
              " staffplan threads=1: %s (x%.0f)" % (fmt_ns(ns1), PYWORKFORCE_REF_NS / ns1))
    print("all checks passed" if report["ok"] else "CHECKS FAILED")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true",
                    help="tiny run for CI: 1,000 intervals per workload, 1 run")
    ap.add_argument("--json", metavar="FILE", help="write all figures as JSON to FILE")
    ap.add_argument("--runs", type=int, default=None,
                    help="timed runs per configuration, best kept (default 3; smoke 1)")
    ap.add_argument("--sample", type=int, default=None,
                    help="pure-Python sample size (default 2,000; smoke 200)")
    ap.add_argument("--naive-sample", type=int, default=None,
                    help="sample for the naive pure-Python variant (default 200; "
                         "smoke 20; 0 to skip)")
    args = ap.parse_args(argv)

    runs = args.runs or (1 if args.smoke else 3)
    sample = args.sample if args.sample is not None else (200 if args.smoke else 2000)
    naive = (args.naive_sample if args.naive_sample is not None
             else (20 if args.smoke else 200))

    if args.smoke:
        va, ha = workload_sites(2, 7, smoke_count=1000)
        vb, hb = workload_loguniform(1000)
        da = "realistic sites, first 1,000 intervals"
        db = "1,000 intervals, A log-uniform 0.01..10,000 Erl"
    else:
        va, ha = workload_sites(100, 28)
        vb, hb = workload_loguniform(1_000_000)
        da = "100 sites x 4 weeks x 15 min"
        db = "1,000,000 intervals, A log-uniform 0.01..10,000 Erl"

    workloads = [
        bench_workload("sites", da, va, ha, runs, sample, naive),
        bench_workload("loguniform", db, vb, hb, runs, sample, naive),
    ]
    ok = all(w["identical_across_threads"] and w["identical_to_full_recursion"]
             and w["pure_python"]["agent_mismatches"] == 0
             for w in workloads)
    report = {
        "staffplan_version": getattr(staffplan, "__version__", "?"),
        "python": platform.python_version(),
        "machine": platform.machine(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count() or 0,
        "omp_env": {k: v for k, v in os.environ.items()
                    if k.startswith(("OMP_", "GOMP_"))},
        "smoke": bool(args.smoke),
        "targets": {"service_level": SL_TARGET, "answer_time": ANSWER_TIME,
                    "shrinkage": SHRINKAGE, "interval": INTERVAL},
        "reference": {"pyworkforce_0.5.4_quoted_ns_per_interval_workload_a":
                      PYWORKFORCE_REF_NS},
        "workloads": workloads,
        "ok": ok,
    }
    print_report(report)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=2)
            fh.write("\n")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
