"""Baseline on the Curtois & Qu rostering benchmark: general MIP solvers on
staffplan's model of it.

    python tests/bench/bench_curtois.py [--instances 1 2 3] [--seconds 60]
                                        [--smoke] [--json FILE]

For each instance the benchmark's integer program (staffplan.curtois.write_lp)
goes to glpsol and, when installed, to CBC with the same time limit; each
roster returned is scored by staffplan.curtois.score (hard rules checked,
penalty recomputed) and compared with the best published value.  This is the
bar the roster engine has to clear.  --smoke: Instance1 only, 10 s.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bindings", "python"))

from staffplan import curtois  # noqa: E402

BENCH = os.environ.get("STAFFPLAN_CURTOIS_DIR",
                       os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared",
                                                     "benchmarks", "curtois-qu")))
# Best published objective values (shared/benchmarks/curtois-qu/README.md).
BEST_KNOWN = {1: 607, 2: 828, 3: 1001, 4: 1716, 5: 1143, 6: 1950, 7: 1056, 8: 1308,
              9: 439, 10: 4631, 11: 3443, 12: 4040, 13: 1905, 14: 1279, 15: 3928,
              16: 3225, 17: 5750, 18: 4650, 19: 3218}


def cbc_roster(inst, path):
    """A roster from CBC's solution file (solu FILE) of write_lp's model."""
    sids = sorted(inst.shifts)
    roster = {e.id: [None] * inst.horizon for e in inst.staff}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 3 and fields[1].startswith("x_") and float(fields[2]) > 0.5:
                _, e, d, t = fields[1].split("_")
                roster[inst.staff[int(e)].id][int(d)] = sids[int(t)]
    return roster


def run_solver(name, inst, lp, seconds, tmp):
    sol = os.path.join(tmp, f"{name}.sol")
    if name == "glpsol":
        cmd = ["glpsol", "--lp", lp, "--tmlim", str(int(seconds)), "-o", sol]
    else:
        cmd = ["cbc", lp, "sec", str(int(seconds)), "threads", "1", "solve", "solu", sol]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0 or not os.path.exists(sol):
        return {"solver": name, "seconds": elapsed, "penalty": None, "errors": ["no solution"]}
    try:
        roster = (curtois.read_glpsol_solution(inst, sol) if name == "glpsol"
                  else cbc_roster(inst, sol))
    except (ValueError, IndexError) as exc:
        return {"solver": name, "seconds": elapsed, "penalty": None, "errors": [str(exc)]}
    text = open(sol, encoding="utf-8").read()
    if name == "glpsol" and "UNDEFINED" in text:
        return {"solver": name, "seconds": elapsed, "penalty": None, "errors": ["no solution"]}
    first = text.splitlines()[0] if text else ""
    if name == "cbc" and ("Infeasible" in first or "No feasible" in first
                          or "no integer solution" in first):
        return {"solver": name, "seconds": elapsed, "penalty": None, "errors": ["no solution"]}
    penalty, errors = curtois.score(inst, roster)
    return {"solver": name, "seconds": elapsed, "penalty": penalty, "errors": errors[:5],
            "optimal": ("INTEGER OPTIMAL" in text) or text.startswith("Optimal")}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--instances", type=int, nargs="*", default=[1, 2, 3, 4, 5, 6, 7, 8])
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--json")
    args = p.parse_args(argv)
    if args.smoke:
        args.instances, args.seconds = [1], 10
    solvers = [s for s in ("glpsol", "cbc") if shutil.which(s)]
    rows = []
    print("Curtois-Qu baseline: general MIP solvers on staffplan's model, "
          f"{args.seconds:g} s each, 1 thread")
    print(f"{'instance':>8} {'staff':>5} {'days':>4} {'shifts':>6} {'best':>6}   "
          + "   ".join(f"{s:>22}" for s in solvers))
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.instances:
            inst = curtois.read(os.path.join(BENCH, f"Instance{n}.txt"))
            lp = os.path.join(tmp, f"i{n}.lp")
            curtois.write_lp(inst, lp)
            results = [run_solver(s, inst, lp, args.seconds, tmp) for s in solvers]
            best = BEST_KNOWN.get(n)
            cells = []
            for r in results:
                if r["penalty"] is None or r["errors"]:
                    cells.append(f"{'none' if r['penalty'] is None else 'INVALID':>14} {r['seconds']:5.1f} s")
                else:
                    tag = "*" if r.get("optimal") else " "
                    cells.append(f"{r['penalty']:>13}{tag} {r['seconds']:5.1f} s")
            print(f"{n:>8} {len(inst.staff):>5} {inst.horizon:>4} {len(inst.shifts):>6} "
                  f"{best if best else '-':>6}   " + "   ".join(f"{c:>22}" for c in cells))
            rows.append({"instance": n, "staff": len(inst.staff), "days": inst.horizon,
                         "shift_types": len(inst.shifts), "best_known": best,
                         "results": results})
    print("(* = solver proved optimality; every roster was re-scored by staffplan.curtois.score)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"seconds": args.seconds, "instances": rows}, f, indent=2)
    bad = [r for row in rows for r in row["results"] if r["errors"] and r["penalty"] is not None]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
