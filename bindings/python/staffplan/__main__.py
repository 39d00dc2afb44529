"""Command line: python -m staffplan solve PROBLEM.json [--out FILE] [--write-lp FILE].

Writes a staffplan-result/1 JSON document to stdout or FILE.  With
--write-lp the model is written in CPLEX LP format (for glpsol, CBC or any
MIP solver) instead of being solved.  A bad problem
gives a result with status "invalid" and an `error` naming the key, and
exit status 2.
"""
from __future__ import annotations

import argparse
import json
import sys

from . import problem


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m staffplan",
                                 description="staffplan: contact-center workforce planning")
    sub = ap.add_subparsers(dest="command", required=True)
    sp = sub.add_parser("solve", help="solve a staffplan-problem/1 JSON file")
    sp.add_argument("problem", help="the problem file (staffplan-problem/1)")
    sp.add_argument("--out", help="write the result here instead of stdout")
    sp.add_argument("--write-lp", metavar="FILE",
                    help="write the model in CPLEX LP format to FILE instead of solving")
    args = ap.parse_args(argv)

    status = 0
    try:
        if args.write_lp:
            problem.write_lp(args.problem, args.write_lp)
            return 0
        result = problem.solve(args.problem)
    except (ValueError, OSError) as e:
        result = {"format": problem.RESULT_FORMAT, "status": "invalid", "error": str(e)}
        status = 2
    text = json.dumps(result, indent=1) + "\n"
    if args.out:
        with open(args.out, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return status


if __name__ == "__main__":
    sys.exit(main())
