"""Command line: python -m staffplan solve PROBLEM.json [--out FILE] [--write-lp FILE]
              python -m staffplan roster PROBLEM.json --schedule RESULT.json [--out FILE]

`solve` solves a schedule problem, or rosters directly when the problem has
`agents`; `roster` gives a schedule result's assignments to the agents.

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
    rp = sub.add_parser("roster", help="give a schedule's assignments to named agents")
    rp.add_argument("problem", help="the problem file, with agents (staffplan-problem/1)")
    rp.add_argument("--schedule", required=True,
                    help="a schedule result (staffplan-result/1) of the same problem")
    rp.add_argument("--out", help="write the result here instead of stdout")
    args = ap.parse_args(argv)

    status = 0
    try:
        if args.command == "roster":
            from .roster import roster
            try:
                with open(args.schedule, encoding="utf-8") as f:
                    schedule = json.load(f)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
                raise ValueError(f"--schedule: not a valid JSON file: {e}") from None
            result = roster(args.problem, schedule=schedule)
        elif args.write_lp:
            problem.write_lp(args.problem, args.write_lp)
            return 0
        else:
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
