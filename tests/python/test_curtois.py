"""The Curtois & Qu benchmark: reader, scorer and IP, held to Instance1's
published optimum (607)."""
import os
import shutil
import subprocess

import pytest

from staffplan import curtois

BENCH = os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "benchmarks",
                     "curtois-qu")
BENCH = os.environ.get("STAFFPLAN_CURTOIS_DIR", os.path.normpath(BENCH))
needs_bench = pytest.mark.skipif(not os.path.isdir(BENCH),
                                 reason="shared/benchmarks/curtois-qu not beside the repo")
needs_glpsol = pytest.mark.skipif(shutil.which("glpsol") is None, reason="glpsol not installed")


def instance(n):
    return curtois.read(os.path.join(BENCH, f"Instance{n}.txt"))


def solve_with_glpsol(inst, tmp_path, seconds):
    lp, sol = tmp_path / "model.lp", tmp_path / "model.sol"
    constant = curtois.write_lp(inst, lp)
    subprocess.run(["glpsol", "--lp", str(lp), "--tmlim", str(seconds), "-o", str(sol)],
                   check=True, capture_output=True)
    text = sol.read_text()
    objective = float(text.split("obj =")[1].split()[0])
    return curtois.read_glpsol_solution(inst, sol), objective + constant, text


@needs_bench
def test_reader_gets_instance1():
    inst = instance(1)
    assert inst.horizon == 14 and list(inst.shifts) == ["D"] and inst.shifts["D"] == (480, [])
    assert [e.id for e in inst.staff] == list("ABCDEFGH")
    a = inst.staff[0]
    assert (a.max_shifts, a.max_minutes, a.min_minutes, a.max_consecutive, a.min_consecutive,
            a.min_consecutive_off, a.max_weekends, a.days_off) == ({"D": 14}, 4320, 3360, 5, 2,
                                                                     2, 1, [0])
    assert len(inst.on_requests) == 21 and len(inst.off_requests) == 5
    assert inst.cover[(1, "D")] == (7, 100, 1)
    assert inst.weekends == [(5, 6), (12, 13)]


@needs_bench
@needs_glpsol
def test_glpsol_on_our_model_reaches_the_published_optimum_607(tmp_path):
    inst = instance(1)
    roster, objective, text = solve_with_glpsol(inst, tmp_path, 60)
    assert "INTEGER OPTIMAL" in text
    assert objective == 607
    assert curtois.score(inst, roster) == (607, [])


@needs_bench
@needs_glpsol
def test_scorer_agrees_with_the_model_on_several_shift_types(tmp_path):
    inst = instance(2)      # 2 shift types with "cannot follow" rules
    roster, objective, _ = solve_with_glpsol(inst, tmp_path, 5)
    penalty, errors = curtois.score(inst, roster)
    assert errors == []
    assert penalty == objective


def feasible_instance1_roster():
    rows = {"A": ".DDDD..DD..DDD", "B": "DDDDD...DD..DD", "C": "DDD..DDD..DD..",
            "D": "DD...DDDDD....", "E": ".DDDD..DD..DDD", "F": "DDDDD..DD..DD.",
            "G": "..DDD..DDD..DD", "H": "DD......DDDDD."}
    return {e: [None if c == "." else "D" for c in row] for e, row in rows.items()}


@needs_bench
def test_a_hand_checked_optimal_roster_scores_607():
    # A roster glpsol returned for Instance1, written out so the scorer is
    # checked without glpsol: it must score the published optimum, 607.
    assert curtois.score(instance(1), feasible_instance1_roster()) == (607, [])


@needs_bench
@pytest.mark.parametrize("change,message", [
    (lambda r: r["A"].__setitem__(0, "D"), "fixed day off"),
    (lambda r: r["B"].__setitem__(5, "D"), "consecutive shifts from day 0 > 5"),
    (lambda r: r["C"].__setitem__(12, "D"), "weekends > 1"),
    (lambda r: r["D"].__setitem__(3, "D"), "days off from day 2 < 2"),
    (lambda r: r["G"].__setitem__(8, None), "consecutive shifts from day 7 < 2"),
    (lambda r: r["G"].__setitem__(8, None), "days off from day 8 < 2"),
    (lambda r: r["H"].__setitem__(0, "X"), "unknown shift"),
    (lambda r: [r["H"].__setitem__(d, None) for d in (0, 1, 8)], "minutes outside"),
])
def test_scorer_reports_each_broken_hard_rule(change, message):
    roster = feasible_instance1_roster()
    change(roster)
    _, errors = curtois.score(instance(1), roster)
    assert any(message in e for e in errors), errors


@needs_bench
def test_short_stretches_touching_the_horizon_ends_are_allowed():
    inst = instance(1)
    roster = feasible_instance1_roster()
    # G works day 13 alone (a 1-day stretch ending on the last day): allowed.
    assert roster["G"][12:] == ["D", "D"]
    roster["G"][12] = None
    errors = curtois.score(inst, roster)[1]
    assert not any("consecutive shifts from day 13" in e for e in errors), errors
    assert not any("days off" in e for e in errors), errors
