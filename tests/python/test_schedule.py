"""The schedule optimizer from staffplan-problem/1 to staffplan-result/1,
checked by the independent evaluator (evaluate.py)."""
import copy
import json
import math
import os
import re
import shutil
import subprocess
import sys

import pytest

from evaluate import check


def hand_problem():
    """One day of hours: the optimum 330 is argued in tests/c/test_schedule.c."""
    req = [0] * 8 + [2] * 8 + [1] * 4 + [0] * 4
    return {
        "format": "staffplan-problem/1", "interval_minutes": 60, "days": 1,
        "cyclic": False, "demand": {"required": req},
        "shifts": [
            {"name": "A", "start": "08:00", "length": 480, "cost": 80,
             "breaks": [{"length": 60, "earliest": 180, "latest": 240}]},
            {"name": "B", "start": "12:00", "length": 480, "cost": 90},
            {"name": "C", "start": "16:00", "length": 240, "cost": 30},
        ],
        "tours": None,
        "objective": {"under_staffing_cost": 1000, "over_staffing_cost": 0,
                      "wait_cost": None},
        "limits": {"time_limit": 10, "mip_gap": 0.0001, "threads": 1},
    }


def week_problem(time_limit=3.0):
    """A generated week of 15-minute intervals, peak about 50 heads; shifts
    start every 30 minutes in 3 lengths with one or two break windows."""
    req = []
    for t in range(7 * 96):
        day, h = divmod(t, 96)
        h /= 4.0
        load = 2 if (h < 7 or h >= 22) else (
            10 + 30 * math.exp(-((h - 11) / 2.5) ** 2) + 22 * math.exp(-((h - 16) / 2.5) ** 2))
        req.append(int(load * (0.6 if day >= 5 else 1.0)))
    shifts = []
    for st in range(48):
        for length in (240, 360, 480):
            breaks = [{"length": 15, "earliest": 90, "latest": 150}]
            if length > 240:
                breaks.append({"length": 30, "earliest": length // 2,
                               "latest": length // 2 + 60})
            shifts.append({"name": f"S{st * 30 // 60:02d}{st * 30 % 60:02d}-{length}",
                           "start": f"{st * 30 // 60:02d}:{st * 30 % 60:02d}",
                           "length": length, "cost": length / 60 * 25, "breaks": breaks})
    return {"format": "staffplan-problem/1", "interval_minutes": 15, "days": 7,
            "cyclic": True, "demand": {"required": req}, "shifts": shifts,
            "objective": {"under_staffing_cost": 1000},
            "limits": {"time_limit": time_limit, "mip_gap": 0.0}}


def test_hand_instance_is_solved_to_the_known_optimum(sp):
    p = hand_problem()
    r = sp.solve(p)
    assert r["format"] == "staffplan-result/1"
    assert r["status"] == "optimal"
    assert r["objective"] == pytest.approx(330)
    assert r["bound"] == pytest.approx(330)
    check(p, r)
    a_breaks = sorted((a["breaks"][0][0] - a["start"], a["count"])
                      for a in r["assignments"] if a["shift"] == "A")
    assert a_breaks == [(180, 1), (240, 2)]


def test_uncoverable_interval_is_shortfall_not_infeasible(sp):
    p = hand_problem()
    p["demand"]["required"][2] = 3
    r = sp.solve(p)
    assert r["status"] == "optimal"
    assert r["coverage"][2] == 0
    assert r["under_staffing"] == 3
    check(p, r)


def test_over_staffing_cost_enters_the_objective(sp):
    p = hand_problem()
    p["objective"]["over_staffing_cost"] = 5
    r = sp.solve(p)
    assert r["objective"] == pytest.approx(375)
    check(p, r)


def test_forecast_demand_goes_through_requirements(sp):
    p = hand_problem()
    volume = [0] * 8 + [40] * 8 + [15] * 4 + [0] * 4
    p["demand"] = {"forecast": {"volume": volume, "aht": 300, "service_level": 0.8,
                                "answer_time": 20, "shrinkage": 0.25}}
    heads = list(sp.requirements(volume, 300, interval=3600, service_level=0.8,
                                 answer_time=20, shrinkage=0.25).heads)
    r = sp.solve(p)
    ev = check(p, r)
    assert ev["under_staffing"] == sum(max(0, h - c) for h, c in zip(heads, r["coverage"]))


def test_generated_week_within_time_limit_is_verifiable(sp):
    p = week_problem(time_limit=3.0)
    r = sp.solve(p)
    assert r["status"] in ("optimal", "feasible")
    assert r["seconds"] < 3.0 + 2.0
    assert 0 < r["lp_bound"] <= r["bound"] <= r["objective"]
    check(p, r)


@pytest.mark.parametrize("path,edit", [
    ("colour", lambda p: p.__setitem__("colour", 1)),
    ("shifts[2].breaks", lambda p: p["shifts"][2].__setitem__("breaks", 3)),
    ("shifts[0].breaks[0].latset",
     lambda p: p["shifts"][0]["breaks"][0].__setitem__("latset", 3)),
    ("objective.under_cost", lambda p: p["objective"].__setitem__("under_cost", 3)),
    ("limits.time", lambda p: p["limits"].__setitem__("time", 3)),
    ("demand.required", lambda p: p["demand"]["required"].pop()),
    ("demand.required[4]", lambda p: p["demand"]["required"].__setitem__(4, -1)),
    ("shifts[1].cost", lambda p: p["shifts"][1].__setitem__("cost", float("nan"))),
    ("shifts[1].cost", lambda p: p["shifts"][1].__setitem__("cost", -3)),
    ("shifts[0].start", lambda p: p["shifts"][0].__setitem__("start", "08:30")),
    ("shifts[0].breaks[0].latest",
     lambda p: p["shifts"][0]["breaks"][0].__setitem__("latest", 450)),
    ("shifts[0].breaks[1].earliest", lambda p: p["shifts"][0]["breaks"].append(
        {"length": 60, "earliest": 240, "latest": 300})),
    ("interval_minutes", lambda p: p.__setitem__("interval_minutes", 7)),
    ("format", lambda p: p.__setitem__("format", "staffplan-problem/2")),
    ("days", lambda p: p.__setitem__("tours", {"work_days": 5})),
    ("tours.work_days", lambda p: p.__setitem__("tours", {"work_days": 9})),
    ("tours.days_off", lambda p: p.__setitem__("tours", {"work_days": 5, "days_off": 2})),
    ("objective.wait_cost",
     lambda p: p["objective"].__setitem__("wait_cost", {"per_waiting_hour": 40})),
])
def test_bad_problems_name_the_key(sp, path, edit):
    p = copy.deepcopy(hand_problem())
    edit(p)
    with pytest.raises(sp.InputError) as e:
        sp.solve(p)
    assert isinstance(e.value, ValueError)
    assert str(e.value).startswith(path + ":"), str(e.value)
    assert e.value.field == path


def test_cli_solves_a_file_and_reports_invalid(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        x for x in [os.path.join(root, "bindings", "python"), env.get("PYTHONPATH")] if x)
    src = tmp_path / "p.json"
    out = tmp_path / "r.json"
    p = hand_problem()
    src.write_text(json.dumps(p))
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(src), "--out",
                           str(out)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    r = json.loads(out.read_text())
    assert r["objective"] == pytest.approx(330)
    check(p, r)
    p["shifts"][0]["lenght"] = 1
    src.write_text(json.dumps(p))
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(src)],
                          env=env, capture_output=True, text=True)
    assert done.returncode == 2
    r = json.loads(done.stdout)
    assert r["status"] == "invalid" and r["error"].startswith("shifts[0].lenght:")



def test_cli_reports_a_solver_error_as_status_error(tmp_path, monkeypatch, capsys):
    """A valid problem whose solve fails inside GLPK: status "error" with
    GLPK's message and exit status 3, not "invalid" (the problem is fine)."""
    from staffplan import __main__ as cli
    from staffplan import _core, problem as problem_mod

    def failing_solve(path, progress=None):
        _core._glpk_fault()  # a real GLPK internal error, contained by the guard

    src = tmp_path / "p.json"
    src.write_text(json.dumps(hand_problem()))
    monkeypatch.setattr(problem_mod, "solve", failing_solve)
    assert cli.main(["solve", str(src)]) == 3
    r = json.loads(capsys.readouterr().out)
    assert r["status"] == "error"
    assert r["error"].startswith("SolverError: GLPK internal error: glp_set_col_bnds")

def _glpsol(args, tmp_path):
    """Runs glpsol; returns (status, objective) from its solution report."""
    out = tmp_path / "glpsol.txt"
    done = subprocess.run(["glpsol", *args, "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    text = out.read_text()
    status = re.search(r"^Status:\s+(.+)$", text, re.M).group(1).strip()
    objective = float(re.search(r"^Objective:\s+\S+\s*=\s*(\S+)", text, re.M).group(1))
    return status, objective, done.stdout


needs_glpsol = pytest.mark.skipif(shutil.which("glpsol") is None,
                                  reason="glpsol (Debian glpk-utils) is not installed")


@needs_glpsol
def test_write_lp_is_read_back_by_glpsol_with_our_lp_bound(sp, tmp_path):
    p = week_problem(time_limit=5.0)
    p["days"] = 2
    p["demand"]["required"] = p["demand"]["required"][:2 * 96]
    lp = tmp_path / "week.lp"
    assert sp.write_lp(p, lp) is None
    text = lp.read_text()
    assert "Generals" in text  # the integer columns are marked
    status, objective, log = _glpsol(["--lp", str(lp), "--nomip"], tmp_path)
    assert status == "OPTIMAL"
    r = sp.solve(p)
    check(p, r)
    assert objective == pytest.approx(r["lp_bound"], rel=1e-7)
    # Every shift-start and break column is integer: 2 days x 144 shifts, and
    # per day 48 x (5 + 10 + 10) break offsets.
    cols = re.search(r"(\d+) rows, (\d+) columns", log)
    ints = re.search(r"(\d+) integer variables", log)
    assert cols is not None and ints is not None, log
    assert int(ints.group(1)) == 2 * 144 + 2 * 48 * 25
    assert int(cols.group(2)) == int(ints.group(1)) + 2 * 2 * 96


@needs_glpsol
def test_glpsol_solves_the_written_hand_instance_to_our_optimum(sp, tmp_path):
    p = hand_problem()
    lp = tmp_path / "hand.lp"
    sp.write_lp(p, str(lp))
    status, objective, _ = _glpsol(["--lp", str(lp)], tmp_path)
    assert status == "INTEGER OPTIMAL"
    assert objective == pytest.approx(330)


def test_write_lp_reports_bad_problems_and_paths(sp, tmp_path):
    p = hand_problem()
    p["shifts"][0]["cost"] = -1
    with pytest.raises(sp.InputError) as e:
        sp.write_lp(p, tmp_path / "x.lp")
    assert e.value.field == "shifts[0].cost"
    with pytest.raises(OSError):
        sp.write_lp(hand_problem(), tmp_path / "no-such-dir" / "x.lp")


def test_cli_write_lp(tmp_path):
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        x for x in [os.path.join(root, "bindings", "python"), env.get("PYTHONPATH")] if x)
    src = tmp_path / "p.json"
    src.write_text(json.dumps(hand_problem()))
    lp = tmp_path / "p.lp"
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(src), "--write-lp",
                           str(lp)], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Generals" in lp.read_text()
    done = subprocess.run([sys.executable, "-m", "staffplan", "solve", str(src), "--write-lp",
                           str(tmp_path / "missing" / "p.lp")], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 2
    assert json.loads(done.stdout)["status"] == "invalid"


def test_time_limit_shorter_than_the_lp_still_gives_a_checked_solution(sp):
    p = week_problem(time_limit=0.001)
    r = sp.solve(p)
    assert r["status"] == "feasible"
    assert r["lp_bound"] is None  # the LP was not solved: nothing to report
    assert r["bound"] == 0 and r["gap"] == pytest.approx(1.0)
    ev = check(p, r)
    assert ev["under_staffing"] == 0


@pytest.mark.parametrize("threads", [1, 2])
def test_threads_give_repeatable_verifiable_results(sp, threads):
    """Two days of the generated week, stopped by the gap (2%) long before the
    time limit: the heuristics must get there, and the same input and thread
    count must give the same assignments."""
    p = week_problem(time_limit=600.0)
    p["days"] = 2
    p["demand"]["required"] = p["demand"]["required"][:2 * 96]
    p["limits"].update(threads=threads, mip_gap=0.02)
    runs = [sp.solve(p) for _ in range(2)]
    for r in runs:
        assert r["status"] == "optimal" and r["gap"] <= 0.02
        check(p, r)
    assert runs[0]["assignments"] == runs[1]["assignments"]
    assert runs[0]["objective"] == runs[1]["objective"]


def test_progress_reports_improving_solutions_and_bounds():
    import staffplan
    problem = week_problem(time_limit=4.0)
    seen = []
    result = staffplan.solve(problem, progress=lambda o, b, s: seen.append((o, b, s)))
    check(problem, result)
    assert seen, "no progress reported"
    objectives = [o for o, _, _ in seen if not math.isnan(o)]
    bounds = [b for _, b, _ in seen]
    assert objectives == sorted(objectives, reverse=True), seen
    assert bounds == sorted(bounds), seen
    assert all(b <= o + 1e-6 for o, b, _ in seen if not math.isnan(o)), seen
    assert result["objective"] <= min(objectives) + 1e-6
    assert max(bounds) <= result["bound"] + 1e-6
    assert [s for _, _, s in seen] == sorted(s for _, _, s in seen)


def test_an_exception_in_the_progress_callback_stops_the_solve_and_propagates():
    import staffplan

    class Stop(Exception):
        pass

    def progress(objective, bound, seconds):
        raise Stop(f"stop at {objective}")

    problem = week_problem(time_limit=60.0)
    problem["limits"]["mip_gap"] = 0.0
    with pytest.raises(Stop):
        staffplan.solve(problem, progress=progress)
    with pytest.raises(TypeError, match="progress"):
        staffplan.solve(problem, progress=42)


def test_ctrl_c_returns_the_best_solution_so_far():
    import signal
    import time

    import staffplan
    problem = week_problem(time_limit=60.0)
    problem["limits"]["mip_gap"] = 0.0
    fired = []

    def interrupt_once(objective, bound, seconds):
        # Ctrl-C while the solve runs (the callback runs inside it), so the
        # KeyboardInterrupt can never reach pytest itself.
        if not fired:
            fired.append(seconds)
            signal.raise_signal(signal.SIGINT)

    t0 = time.perf_counter()
    result = staffplan.solve(problem, progress=interrupt_once)
    elapsed = time.perf_counter() - t0
    assert fired
    assert result["stop"] == "cancelled", result["stop"]
    assert result["status"] in ("feasible", "optimal")
    check(problem, result)
    # Far below the 60 s limit: the interrupt, not the clock, ended it.
    assert elapsed < 30, elapsed
