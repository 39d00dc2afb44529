"""Atheris target: the problem reader (staffplan.problem.parse) on any bytes.

Each input is written to a file and read the way `python -m staffplan
solve FILE` reads it.  The contract: a problem is either accepted or
refused with staffplan.InputError (a ValueError) or TypeError; any other
exception (RecursionError, OverflowError, KeyError, ...) is a finding.
Accepted problems small enough to solve fast are solved (1 s limit) and
checked by the independent evaluator; roster problems (with `agents`) by
the independent roster checker (tests/python/roster_check.py).

    make fuzz-problem   (installs atheris into build-fuzz/ on demand)
"""
import json
import os
import sys
import tempfile

import atheris

with atheris.instrument_imports():
    import staffplan
    from staffplan import problem as reader

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests", "python"))
from evaluate import check  # noqa: E402
import roster_check  # noqa: E402

PATH = os.path.join(tempfile.mkdtemp(prefix="fuzz-problem-"), "p.json")
ALLOWED = (ValueError, TypeError)


def TestOneInput(data: bytes) -> None:
    with open(PATH, "wb") as f:
        f.write(data)
    try:
        p = reader.parse(PATH)
    except ALLOWED:
        return
    if p["intervals"] > 200 or len(p["shifts"]) > 20 or len(p["agents"] or ()) > 20:
        return
    p_json = json.loads(data.decode("utf-8"))
    p_json.setdefault("limits", {})
    if isinstance(p_json["limits"], dict):
        p_json["limits"]["time_limit"] = 1
    try:
        r = staffplan.solve(p_json)
    except ALLOWED:
        return
    if p["agents"] is not None:
        if r["status"] != "no_solution":
            broken = roster_check.check(p_json, r)
            assert not broken, broken
        return
    # evaluate.py looks shifts up by their "name" key and does not know the
    # reader's default names ("S1600-240"), so unnamed shifts are not checked.
    named = all(isinstance(s, dict) and "name" in s for s in p_json["shifts"])
    if r["status"] != "no_solution" and "forecast" not in p_json["demand"] and named:
        check(p_json, r)


def main():
    atheris.Setup(sys.argv, TestOneInput)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
