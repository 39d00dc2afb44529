"""Python threads calling staffplan at once get what serial calls get.

Eight threads start together (a barrier) on different inputs; their results
are compared element by element with serial runs of the same inputs, and
errors raised in some threads carry their own field and index while the
other threads succeed.  The speed-up over serial calls (two requirements
calls, eight schedule solves) is printed (run with -s to see it), never
asserted: it shows the GIL is
released during the C work, but timing depends on the machine.
"""
import copy
import random
import threading
import time

import pytest

from evaluate import check
from test_schedule import hand_problem

THREADS = 8
FIELDS = ("agents", "heads", "traffic", "service_level", "asa", "occupancy", "p_wait")


def _run_together(fns):
    """Runs every fn in its own thread, all released at once; returns the
    results (or the exceptions) in order."""
    barrier = threading.Barrier(len(fns))
    out = [None] * len(fns)

    def work(k):
        barrier.wait()
        try:
            out[k] = ("ok", fns[k]())
        except BaseException as e:  # noqa: BLE001 - compared by the caller
            out[k] = ("error", e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(len(fns))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a thread did not finish within 300 s"
    return out


def _inputs(k, n=20_000):
    rng = random.Random(1000 + k)
    volume = [rng.uniform(0, 400) if rng.random() > 0.05 else 0.0 for _ in range(n)]
    aht = [rng.uniform(120, 420) for _ in range(n)] if k % 2 else 240.0
    kw = dict(service_level=0.8 if k % 3 else None, answer_time=20,
              asa=30.0 if k % 3 == 0 else None, shrinkage=0.05 * (k % 5),
              patience=90.0 if k % 4 == 1 else None, threads=1 if k % 2 else None)
    if k % 4 == 1:
        volume = volume[:2000]  # Erlang A costs more per interval
        aht = aht[:2000] if isinstance(aht, list) else aht
    return volume, aht, kw


def _snapshot(r):
    return {name: getattr(r, name).tolist() for name in FIELDS}


def test_eight_threads_of_requirements_equal_serial_runs(sp):
    cases = [_inputs(k) for k in range(THREADS)]
    serial = [_snapshot(sp.requirements(v, a, **kw)) for v, a, kw in cases]
    for round_ in range(2):
        got = _run_together([lambda c=c: _snapshot(sp.requirements(c[0], c[1], **c[2]))
                             for c in cases])
        for k, (kind, value) in enumerate(got):
            assert kind == "ok", f"round {round_} thread {k}: raised {value!r}"
            for name in FIELDS:
                assert value[name] == serial[k][name], \
                    f"round {round_} thread {k} ({cases[k][2]}): {name} differs from serial"


def test_errors_in_some_threads_do_not_leak_into_others(sp):
    """Half the threads pass a bad value at their own index; each gets its
    own InputError and the others their normal results."""
    good = [_inputs(k, n=5000) for k in range(THREADS)]
    fns, expect = [], []
    for k, (v, a, kw) in enumerate(good):
        if k % 2:
            bad = list(v)
            bad[100 * k] = -float(k)
            fns.append(lambda bad=bad, a=a, kw=kw: sp.requirements(bad, a, **kw))
            expect.append(("error", 100 * k))
        else:
            fns.append(lambda v=v, a=a, kw=kw: _snapshot(sp.requirements(v, a, **kw)))
            expect.append(("ok", _snapshot(sp.requirements(v, a, **kw))))
    got = _run_together(fns)
    for k, ((kind, value), (want_kind, want)) in enumerate(zip(got, expect)):
        assert kind == want_kind, f"thread {k}: {kind} {value!r}, expected {want_kind}"
        if kind == "error":
            assert isinstance(value, sp.InputError), f"thread {k}: {value!r}"
            assert (value.field, value.index) == ("volume", want), \
                f"thread {k}: field {value.field} index {value.index}, expected volume[{want}]"
            assert f"volume[{want}]" in str(value), f"thread {k}: {value}"
        else:
            assert value == want, f"thread {k}: results differ from serial"


def _problem(k):
    p = copy.deepcopy(hand_problem())
    rng = random.Random(k)
    p["demand"]["required"] = [max(0, r + rng.randint(-1, 2)) if 6 <= t < 22 else 0
                               for t, r in enumerate(p["demand"]["required"])]
    p["objective"]["over_staffing_cost"] = k % 3
    p["limits"] = {"time_limit": 20, "mip_gap": 0.0, "threads": 1}
    return p


def test_eight_threads_of_solve_equal_serial_runs(sp):
    problems = [_problem(k) for k in range(THREADS)]
    serial = [sp.solve(p) for p in problems]
    for k, (p, r) in enumerate(zip(problems, serial)):
        assert r["status"] == "optimal", f"problem {k}: serial status {r['status']}"
        check(p, r)
    got = _run_together([lambda p=p: sp.solve(p) for p in problems])
    for k, (kind, r) in enumerate(got):
        assert kind == "ok", f"thread {k}: raised {r!r}"
        case = f"problem {k} (required {problems[k]['demand']['required']})"
        assert r["status"] == serial[k]["status"], f"{case}: {r['status']}"
        for key in ("objective", "labor_cost", "under_staffing", "over_staffing"):
            assert r[key] == pytest.approx(serial[k][key], abs=1e-6), \
                f"{case}: {key} {r[key]} in a thread, {serial[k][key]} serially"
        check(problems[k], r)
        if r["assignments"] != serial[k]["assignments"]:
            print(f"{case}: an equally good plan in the thread (different assignments)")


def test_solve_and_requirements_mixed_in_threads(sp):
    problems = [_problem(10 + k) for k in range(4)]
    req_cases = [_inputs(20 + k, n=10_000) for k in range(4)]
    serial_solve = [sp.solve(p)["objective"] for p in problems]
    serial_req = [_snapshot(sp.requirements(v, a, **kw)) for v, a, kw in req_cases]
    fns = [lambda p=p: sp.solve(p)["objective"] for p in problems] + \
          [lambda c=c: _snapshot(sp.requirements(c[0], c[1], **c[2])) for c in req_cases]
    got = _run_together(fns)
    for k, (kind, value) in enumerate(got):
        assert kind == "ok", f"thread {k}: raised {value!r}"
        want = (serial_solve + serial_req)[k]
        if k < 4:
            assert value == pytest.approx(want, abs=1e-6), f"solve {k}: {value} vs {want}"
        else:
            assert value == want, f"requirements {k - 4}: differs from serial"


def test_print_speed_up_of_two_threads(sp):
    """Two threads, each one big single-threaded requirements call, against
    the same two calls in a row.  The inputs are array.array buffers and the
    results stay buffers, so the Python-side work (with the GIL) is a copy:
    what is timed is the C work.  Printed, not asserted."""
    import array
    rng = random.Random(7)
    n = 300_000
    cases = [array.array("d", (rng.uniform(50, 3000) for _ in range(n))) for _ in range(2)]

    def call(v):
        return sp.requirements(v, 300, service_level=0.8, threads=1).agents

    call(cases[0][:1000])  # warm up
    t0 = time.perf_counter()
    serial = [call(v) for v in cases]
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = _run_together([lambda v=v: call(v) for v in cases])
    t_threads = time.perf_counter() - t0
    for k, (kind, value) in enumerate(got):
        assert kind == "ok", f"thread {k}: raised {value!r}"
        assert bytes(memoryview(value)) == bytes(memoryview(serial[k])), \
            f"thread {k}: agents differ from the serial run"
    print(f"\nrequirements, 2 x {n} intervals at threads=1: serial {t_serial:.2f} s, "
          f"2 Python threads {t_threads:.2f} s, speed-up {t_serial / t_threads:.2f}x "
          f"(GIL released if clearly above 1 on a machine with 2+ free cores)")


def test_print_python_progress_during_a_long_call(sp):
    """While one thread is inside a long requirements call, another thread
    keeps running Python: with the GIL held for the call it could only run
    in the few milliseconds around it, so its rate during the call would be
    near 0% of its rate alone.  Printed (a rate is a timing), not asserted;
    the assertion only checks the loop ran and the call finished."""
    import array
    rng = random.Random(11)
    volume = array.array("d", (rng.uniform(50, 3000) for _ in range(400_000)))
    inside = threading.Event()
    done = threading.Event()
    spins = [0, 0]

    def long_call():
        inside.set()
        sp.requirements(volume, 300, service_level=0.8, threads=1)
        done.set()

    def spin(slot, stop):
        while not stop.is_set():
            spins[slot] += 1

    alone = threading.Event()
    t = threading.Thread(target=spin, args=(0, alone))
    t0 = time.perf_counter()
    t.start()
    time.sleep(0.3)
    alone.set()
    t.join()
    rate_alone = spins[0] / (time.perf_counter() - t0)

    worker = threading.Thread(target=long_call)
    worker.start()
    inside.wait()
    t0 = time.perf_counter()
    spin(1, done)
    elapsed = time.perf_counter() - t0
    worker.join()
    assert spins[1] > 0, "no Python ran while requirements ran"
    print(f"\nPython loop during a {elapsed:.2f} s requirements call: {spins[1]} iterations "
          f"({spins[1] / elapsed:,.0f}/s; {rate_alone:,.0f}/s alone, "
          f"{spins[1] / elapsed / rate_alone:.0%})")


def _two_days(k):
    """Two days of the generated week, demand moved by up to +-2 heads per
    interval (seeded by k), one heuristic thread, stopped by a 2% gap long
    before the time limit: the same input gives the same plan."""
    from test_schedule import week_problem
    p = week_problem(time_limit=600.0)
    rng = random.Random(500 + k)
    p["days"] = 2
    p["demand"]["required"] = [max(0, r + rng.randint(-2, 2))
                               for r in p["demand"]["required"][:2 * 96]]
    p["limits"].update(threads=1, mip_gap=0.02)
    return p


def test_eight_threads_of_schedule_solves_equal_serial_runs_speed_up_printed(sp):
    """Eight Python threads each solve a different generated two-day
    problem at once; each result equals the serial solve of the same
    problem (objective, bound, assignments) and passes the evaluator.  The
    wall times are printed: with the GIL released during the solve, eight
    solves on a machine with c free cores take about 1/c of the serial
    time; with the GIL held they could not overlap at all."""
    problems = [_two_days(k) for k in range(THREADS)]
    t0 = time.perf_counter()
    serial = [sp.solve(p) for p in problems]
    t_serial = time.perf_counter() - t0
    t0 = time.perf_counter()
    got = _run_together([lambda p=p: sp.solve(p) for p in problems])
    t_threads = time.perf_counter() - t0
    for k, (kind, r) in enumerate(got):
        assert kind == "ok", f"thread {k}: raised {r!r}"
        want = serial[k]
        assert r["status"] == want["status"] == "optimal", (k, r["status"], want["status"])
        for key in ("objective", "bound", "labor_cost", "under_staffing", "over_staffing"):
            assert r[key] == want[key], f"problem {k}: {key} {r[key]} in a thread, {want[key]} serially"
        assert r["assignments"] == want["assignments"], f"problem {k}: assignments differ"
        check(problems[k], r)
    print(f"\nschedule, {THREADS} two-day solves at threads=1: serial {t_serial:.2f} s, "
          f"{THREADS} Python threads {t_threads:.2f} s, speed-up {t_serial / t_threads:.2f}x "
          f"(GIL released if clearly above 1 on a machine with 2+ free cores)")


def _roster_problems():
    """Eight different small cover rosters (tests/python/roster_problems.py);
    their search ends by convergence, not the clock."""
    from roster_problems import cover_problem
    return [cover_problem(700 + k, agents=6, days=14) for k in range(THREADS)]


def test_eight_threads_of_rosters_equal_serial_runs(sp):
    """Eight Python threads roster different problems at once; each result
    equals the serial roster of the same problem and passes the independent
    roster checker.  Serial runs are repeated first: the same problem gives
    the same roster (stop "converged"), so any difference in a thread is
    shared state between calls."""
    import roster_check
    problems = _roster_problems()
    before = copy.deepcopy(problems)
    serial = [sp.roster(p) for p in problems]
    again = [sp.roster(p) for p in problems]
    keys = ("status", "stop", "objective", "labor_cost", "request_penalty", "cover_penalty",
            "assignments", "roster", "unassigned")
    for k, (a, b) in enumerate(zip(serial, again)):
        assert a["stop"] == "converged", (k, a["stop"])
        for key in keys:
            assert a[key] == b[key], f"problem {k}: {key} differs between serial runs"
    got = _run_together([lambda p=p: sp.roster(p) for p in problems])
    for k, (kind, r) in enumerate(got):
        assert kind == "ok", f"thread {k}: raised {r!r}"
        for key in keys:
            assert r[key] == serial[k][key], f"problem {k}: {key} in a thread differs"
        assert roster_check.check(problems[k], r) == []
    assert problems == before


def test_roster_errors_in_some_threads_leave_the_others_alone(sp):
    problems = _roster_problems()[:4]
    bad = copy.deepcopy(problems[1])
    bad["agents"][2]["max_minutes"] = -1
    serial = sp.roster(problems[0])
    got = _run_together([lambda: sp.roster(problems[0]), lambda: sp.roster(bad)] * 2)
    for k, (kind, r) in enumerate(got):
        if k % 2:
            assert kind == "error" and isinstance(r, sp.InputError), (k, r)
            assert str(r) == "agents[2].max_minutes: must be >= 0, got -1"
        else:
            assert kind == "ok" and r["assignments"] == serial["assignments"]


def test_python_runs_during_a_roster_search(sp):
    """A thread spinning in Python keeps running while another thread is
    inside the roster search (the core call releases the GIL): with the
    GIL held the spinner could only run around the call.  The rate is
    printed; the assertion is that the spinner ran while the search ran,
    which the search signals through its progress callback (called from
    the calling thread between search steps, so the spinner's count is
    read at two points both inside the call)."""
    from roster_problems import cover_problem
    p = cover_problem(9, agents=200, days=28, time_limit=10.0)  # about 0.5-1 s
    seen = []
    stop = threading.Event()
    spins = [0]

    def spin():
        while not stop.is_set():
            spins[0] += 1

    def progress(obj, bound, secs):
        seen.append((secs, spins[0]))

    t = threading.Thread(target=spin)
    t.start()
    try:
        t0 = time.perf_counter()
        r = sp.roster(p, progress=progress)
        elapsed = time.perf_counter() - t0
    finally:
        stop.set()
        t.join()
    assert r["status"] in ("optimal", "feasible")
    assert len(seen) >= 2, f"progress called {len(seen)} times"
    assert seen[-1][1] > seen[0][1], "no Python ran between two progress reports"
    print(f"\nPython loop during a {elapsed:.2f} s roster: {spins[0]} iterations, "
          f"{len(seen)} progress reports")
