"""The Curtois & Qu benchmark: reader, scorer and IP, held to Instance1's
published optimum (607); and its mapping to a staffplan roster problem,
proved lossless without the roster engine: the independent roster checker
(roster_check.py) on the mapped problem and roster gives the same verdict,
rule by rule, as curtois.score, and the mapped objective is the Curtois
penalty."""
import collections
import os
import random
import re
import shutil
import subprocess

import pytest

from roster_check import HARD_RULES, check
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


@pytest.fixture(scope="module")
def glpsol_runs(tmp_path_factory):
    """glpsol on Instance1 (to the optimum, about 2 s) and Instance2 (5 s)."""
    if not os.path.isdir(BENCH) or shutil.which("glpsol") is None:
        pytest.skip("needs shared/benchmarks/curtois-qu and glpsol")
    return {n: solve_with_glpsol(instance(n), tmp_path_factory.mktemp(f"i{n}"), seconds)
            for n, seconds in ((1, 60), (2, 5))}


def test_glpsol_on_our_model_reaches_the_published_optimum_607(glpsol_runs):
    inst = instance(1)
    roster, objective, text = glpsol_runs[1]
    assert "INTEGER OPTIMAL" in text
    assert objective == 607
    assert curtois.score(inst, roster) == (607, [])


def test_scorer_agrees_with_the_model_on_several_shift_types(glpsol_runs):
    inst = instance(2)      # 2 shift types with "cannot follow" rules
    roster, objective, _ = glpsol_runs[2]
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


# The mapping to a staffplan roster problem (docs/roster-format.md).

def unmap(problem):
    """An Instance rebuilt from a mapped problem, reading the roster format's
    keys as that document defines them; equal to the instance read from the
    file when the mapping loses nothing."""
    assert problem["start_weekday"] == "mon" and problem["cyclic"] is False
    shifts = {s["name"]: (s["length"], []) for s in problem["shifts"]}
    for s in problem["shifts"]:
        assert s["cost"] == 0 and s["breaks"] == [] and s["start"] == "00:00"
        assert s["length"] % problem["interval_minutes"] == 0
        for before in s.get("cannot_follow", []):
            shifts[before][1].append(s["name"])      # s cannot follow `before`
    staff, on, off = [], [], []
    for a in problem["agents"]:
        assert set(a["shift_types"]) == {k for k, v in a["max_shifts"].items() if v > 0}
        staff.append(curtois.Employee(
            a["id"], {k: v for k, v in a["max_shifts"].items() if v > 0}, a["max_minutes"],
            a["min_minutes"], a["max_consecutive_work_days"], a["min_consecutive_work_days"],
            a["min_consecutive_days_off"], a["max_weekends"], a.get("fixed_days_off", [])))
        for r in a.get("requests", []):
            (on if r["work"] else off).append((a["id"], r["day"], r["shift"], r["weight"]))
    cover = {(c["day"], c["shift"]): (c["required"], c["under_cost"], c["over_cost"])
             for c in problem["demand"]["cover"]}
    assert problem["objective"] == {"under_staffing_cost": 0.0, "over_staffing_cost": 0.0}
    return curtois.Instance(problem["days"], shifts, staff, on, off, cover)


def normalised(inst):
    """Order-free view of an instance (read() keeps the file's order)."""
    return (inst.horizon, {k: (m, sorted(f)) for k, (m, f) in inst.shifts.items()},
            sorted((e.id, sorted((k, v) for k, v in e.max_shifts.items() if v > 0),
                    e.max_minutes, e.min_minutes, e.max_consecutive, e.min_consecutive,
                    e.min_consecutive_off, e.max_weekends, sorted(set(e.days_off)))
                   for e in inst.staff),
            sorted(inst.on_requests), sorted(inst.off_requests), inst.cover)


@needs_bench
@pytest.mark.parametrize("n", range(1, 25))
def test_to_problem_loses_nothing(n):
    inst = instance(n)
    problem = curtois.to_problem(inst)
    assert problem["interval_minutes"] == 60
    assert normalised(unmap(problem)) == normalised(inst)


@needs_bench
def test_cannot_follow_is_turned_around():
    # Instance3 lists "D,480,E" (E cannot follow D) and "L,480,E|D".
    # So E may not come the day after D or L, and D not the day after L.
    shifts = {s["name"]: s for s in curtois.to_problem(instance(3))["shifts"]}
    assert "cannot_follow" not in shifts["L"]
    assert shifts["D"]["cannot_follow"] == ["L"]
    assert sorted(shifts["E"]["cannot_follow"]) == ["D", "L"]


def curtois_categories(errors):
    out = collections.Counter()
    for e in errors:
        emp = re.match(r"(\S+?)(:| day)", e).group(1)
        for key, cat in (("consecutive shifts", None), ("cannot follow", "cannot_follow"),
                         ("shifts", "max_shifts"), ("minutes outside", "minutes"),
                         ("weekends", "max_weekends"), ("fixed day off", "fixed_days_off"),
                         ("days off", "days_off")):
            if key in e:
                if cat is None:
                    cat = "max_consecutive" if " > " in e else "min_consecutive"
                out[(emp, cat)] += 1
                break
        else:
            raise AssertionError(f"unexpected scorer message {e!r}")
    return out


CHECKER_CATEGORY = {
    "cannot_follow": "cannot_follow", "max_shifts": "max_shifts", "min_minutes": "minutes",
    "max_minutes": "minutes", "max_weekends": "max_weekends",
    "fixed_days_off": "fixed_days_off", "min_consecutive_days_off": "days_off",
    "max_consecutive_work_days": "max_consecutive",
    "min_consecutive_work_days": "min_consecutive"}


def checker_categories(violations):
    out = collections.Counter()
    shift_types = set()
    for v in violations:
        rule, rest = v.split(": ", 1)
        emp = re.match(r"(\S+?)(:| )", rest).group(1)
        if rule == "shift_types":
            shift_types.add(emp)      # a type with max_shifts 0: max_shifts says it too
            continue
        assert rule in CHECKER_CATEGORY, v
        out[(emp, CHECKER_CATEGORY[rule])] += 1
    assert all(out[(emp, "max_shifts")] for emp in shift_types), violations
    return out


def assert_same_verdict(inst, roster):
    penalty, errors = curtois.score(inst, roster)
    problem = curtois.to_problem(inst)
    result = curtois.to_result(inst, roster)
    assert result["objective"] == penalty
    violations = check(problem, result)
    figures = [v for v in violations if v.split(":")[0] not in HARD_RULES]
    # The checker's objective, recomputed from the mapped problem, is the penalty.
    assert figures == [], figures
    assert checker_categories(violations) == curtois_categories(errors), (errors, violations)
    assert curtois.from_result(inst, result) == roster
    return errors


def perturbed(inst, roster, rng, changes):
    r = {e: list(days) for e, days in roster.items()}
    sids = list(inst.shifts)
    for _ in range(changes):
        kind = rng.random()
        e1, e2 = rng.sample(sorted(r), 2)
        d = rng.randrange(inst.horizon)
        if kind < 0.4:              # swap two employees' days (keeps the cover)
            r[e1][d], r[e2][d] = r[e2][d], r[e1][d]
        elif kind < 0.7:
            r[e1][d] = None
        else:
            r[e1][d] = rng.choice(sids)
    return r


@needs_bench
def test_mapped_verdicts_agree_on_the_optimal_roster_and_perturbations():
    inst = instance(1)
    base = feasible_instance1_roster()
    assert assert_same_verdict(inst, base) == []
    rng = random.Random(1)
    verdicts = collections.Counter()
    for k in range(300):
        errors = assert_same_verdict(inst, perturbed(inst, base, rng, 1 + k % 3))
        verdicts[bool(errors)] += 1
    assert verdicts[True] > 50 and verdicts[False] > 50, verdicts    # both kinds seen


@needs_bench
@pytest.mark.parametrize("n", range(1, 8))
def test_mapped_verdicts_agree_on_random_rosters(n):
    inst = instance(n)
    rng = random.Random(n)
    sids = list(inst.shifts)
    for k in range(20):
        p_off = 0.2 + 0.03 * k
        roster = {e.id: [None if rng.random() < p_off else rng.choice(sids)
                         for _ in range(inst.horizon)] for e in inst.staff}
        assert_same_verdict(inst, roster)


def test_mapped_verdicts_agree_on_glpsol_rosters(glpsol_runs):
    for n, (roster, objective, _) in glpsol_runs.items():
        inst = instance(n)
        assert assert_same_verdict(inst, roster) == []
        assert curtois.to_result(inst, roster)["objective"] == objective
        rng = random.Random(n)
        for k in range(60):
            assert_same_verdict(inst, perturbed(inst, roster, rng, 1 + k % 4))


@needs_bench
def test_from_result_refuses_what_a_curtois_roster_cannot_hold():
    inst = instance(1)
    result = curtois.to_result(inst, feasible_instance1_roster())
    bad = dict(result, roster=[dict(result["roster"][0], agent="Z")])
    with pytest.raises(ValueError, match=r"roster\[0\]\.agent: unknown employee 'Z'"):
        curtois.from_result(inst, bad)
    doubled = dict(result["roster"][1])
    doubled["shifts"] = doubled["shifts"] + doubled["shifts"][:1]
    with pytest.raises(ValueError, match="already works D"):
        curtois.from_result(inst, dict(result, roster=[doubled]))
    with pytest.raises(ValueError, match="status 'no_solution'"):
        curtois.from_result(inst, {"status": "no_solution", "error": "x"})


@needs_bench
def test_scorer_lists_the_broken_rules_of_every_employee():
    # Errors of one employee must not hide the next one's.
    roster = feasible_instance1_roster()
    roster["A"][0] = "D"
    roster["C"][12] = "D"
    _, errors = curtois.score(instance(1), roster)
    assert any(e.startswith("A day 0: works on a fixed day off") for e in errors), errors
    assert any(e.startswith("C: 2 weekends > 1") for e in errors), errors


@needs_bench
def test_staffplan_reads_every_mapped_instance():
    from staffplan import problem as problem_module
    for n in range(1, 25):
        inst = instance(n)
        p = problem_module.parse(curtois.to_problem(inst))
        assert p["days"] == inst.horizon and len(p["shifts"]) == len(inst.shifts)
        assert p["agents"] is not None and len(p["agents"]) == len(inst.staff)
