"""Hardening: the fuzz corpus replayed under sanitizers, the bugs fuzzing and
hostile input found (one regression test each), and reference leaks.

The libFuzzer targets live in fuzz/ (`make fuzz` runs them with clang);
here the same targets are compiled with the system C compiler, ASan and
UBSan, and fed every file of fuzz/corpus/<target>/ (replay.c), so each
input that ever broke a contract keeps being checked without clang.
"""
import math
import os
import shutil
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORE = ["core/src/errors.c", "core/src/erlang.c", "core/src/staffing.c"]


def _compiler():
    cc = os.environ.get("CC") or shutil.which("gcc") or shutil.which("cc")
    if cc is None:
        pytest.skip("no C compiler")
    return cc


@pytest.fixture(scope="module")
def replay_binaries(tmp_path_factory):
    cc = _compiler()
    out = tmp_path_factory.mktemp("fuzz-replay")
    built = {}
    for target in ("erlang", "requirements"):
        exe = out / f"replay_{target}"
        cmd = [cc, "-g", "-O1", "-fsanitize=address,undefined",
               "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer",
               "-Wall", "-Wextra", "-Werror", "-Wno-unknown-pragmas",
               "-Icore/include", "-Icore/src", f"fuzz/fuzz_{target}.c", "fuzz/replay.c",
               *CORE, "-lm", "-o", str(exe)]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0 and "asan" in done.stderr.lower():
            pytest.skip(f"{cc} cannot link ASan here: {done.stderr[-300:]}")
        assert done.returncode == 0, f"{' '.join(cmd)}\n{done.stderr}"
        built[target] = exe
    return built


@pytest.mark.parametrize("target", ["erlang", "requirements"])
def test_fuzz_corpus_replays_clean_under_asan_and_ubsan(replay_binaries, target):
    corpus = os.path.join(ROOT, "fuzz", "corpus", target)
    files = [f for f in os.listdir(corpus) if not f.startswith(".")]
    assert any(f.startswith("regress-") for f in files), f"{corpus}: no regression inputs"
    env = dict(os.environ, ASAN_OPTIONS="detect_leaks=1:abort_on_error=1",
               UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1")
    env.pop("LD_PRELOAD", None)
    done = subprocess.run([str(replay_binaries[target]), corpus], capture_output=True,
                          text=True, env=env, timeout=300)
    assert done.returncode == 0, (f"{target}: replay failed (rc {done.returncode})\n"
                                  f"{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    assert f"replayed {len(files)} inputs" in done.stdout, done.stdout


# --------------------------------------------------------------------------
# Regressions: each bug found by fuzzing or the hostile-input table
# --------------------------------------------------------------------------

def test_tiny_max_occupancy_is_refused_not_negative_agents(sp):
    """max_occupancy=1e-300 asked for 2e301 agents; the double-to-int cast
    was undefined behaviour and returned -9223372036854775807 agents."""
    with pytest.raises(sp.InputError) as e:
        sp.requirements([100], 180, max_occupancy=1e-300)
    assert (e.value.field, e.value.index) == ("max_occupancy", 0), repr(e.value)
    assert "above the 2^53 supported" in str(e.value), str(e.value)
    r = sp.requirements([100], 180, max_occupancy=1e-3)  # large but representable
    assert r.agents[0] == 20000, list(r.agents)


def test_shrinkage_next_to_one_is_refused_not_wrapped(sp):
    """heads = agents / (1 - s) beyond 2^53 used to be cast to int64
    (undefined); it is refused with the interval named."""
    s = 0.9999999999999999
    with pytest.raises(sp.InputError) as e:
        sp.requirements([0, 50000], 180, shrinkage=s, min_agents=1)
    assert e.value.field == "shrinkage" and "more than 2^53 heads" in str(e.value), \
        repr(e.value)
    assert "volume[1]" in str(e.value), str(e.value)
    assert sp.requirements([10], 180, shrinkage=0.999).heads[0] >= 1000


def test_negative_answer_time_is_refused_without_a_service_level_target(sp):
    """The achieved service level is reported at answer_time even when no
    service level target is set; a negative answer_time gave values below 0."""
    with pytest.raises(sp.InputError) as e:
        sp.requirements([10, 20], 180, service_level=None, asa=30, answer_time=-5)
    assert e.value.field == "answer_time" and "got -5" in str(e.value), repr(e.value)


@pytest.mark.parametrize("n,a,aht,patience,t", [
    (5, 2.2250738585072014e-308, 2.2250738585072014e-308, 20.0, 0.0),  # x overflows
    (1, 1e-300, 1e-300, 20.0, 5.0),
    (10**9, 1e-10, 0.23, 1.5e-322, 0.0),  # y underflows to 0
    (3, 2.0, 180.0, 5e-324, 20.0),
])
def test_erlang_a_extreme_ratios_give_figures_not_nan(sp, n, a, aht, patience, t):
    m = sp.erlang_a(n, a, aht, patience, t)
    case = f"erlang_a({n}, {a!r}, {aht!r}, {patience!r}, {t!r}) = {m!r}"
    for name in ("p_wait", "p_abandon", "service_level", "occupancy"):
        v = getattr(m, name)
        assert 0.0 <= v <= 1.0, f"{case}: {name} {v!r}"
    assert m.asa >= 0.0 and math.isfinite(m.asa), case


@pytest.mark.parametrize("n,a", [(10, 1e9), (10, 1e8), (100, 1e6), (1, 100.0)])
def test_erlang_a_occupancy_never_above_one(sp, n, a):
    """With n far below a, 1 - p_abandon lost digits and occupancy came out
    as 1.0000004 at 1e9 Erlangs."""
    m = sp.erlang_a(n, a, 20.0, 20.0, 0.0)
    assert 0.0 <= m.occupancy <= 1.0, f"erlang_a({n}, {a}, 20, 20): {m!r}"
    assert m.occupancy == pytest.approx(1.0, rel=1e-6), m


def test_erlang_a_huge_patience_is_refused_fast(sp):
    """patience=1e300 made the Erlang A series walk ~1e149 terms (a hang)."""
    with pytest.raises(sp.InputError) as e:
        sp.erlang_a(0, 10.0, 180.0, 1e300)
    assert e.value.field == "patience", repr(e.value)
    with pytest.raises(sp.InputError) as e:
        sp.requirements([5, 10], 180, patience=1e300, service_level=0.8)
    assert (e.value.field, e.value.index) == ("patience", 0), repr(e.value)
    # The largest accepted load still returns (O(sqrt(1e12)) terms).
    m = sp.erlang_a(0, 1e6, 1.0, 1e6)
    assert m.p_abandon == pytest.approx(1.0), m


# --------------------------------------------------------------------------
# Reference leaks in the binding (the C side is covered by make asan/valgrind)
# --------------------------------------------------------------------------

def test_requirements_leaks_no_references(sp):
    volume = [float(i % 50) for i in range(300)]
    aht = [180.0 + i for i in range(300)]
    items = [volume[7], aht[3]]
    before = [sys.getrefcount(x) for x in (volume, aht, *items)]
    for k in range(200):
        r = sp.requirements(volume, aht, shrinkage=0.2, patience=90 if k % 2 else None)
        refs = sys.getrefcount(r.agents)  # outside assert: pytest's rewrite holds refs
        assert refs == 2, f"Requirements' arrays hold {refs - 2} leaked references"
        for bad in ({"interval": -1}, {"shrinkage": [0.1]}, {"threads": 0}):
            with pytest.raises(ValueError):
                sp.requirements(volume, aht, **bad)
        with pytest.raises(TypeError):
            sp.requirements(volume + ["x"], aht[:1])
    del r
    after = [sys.getrefcount(x) for x in (volume, aht, *items)]
    assert after == before, f"refcounts of the inputs went {before} -> {after}"


def test_formulas_leak_no_references(sp):
    agents = list(range(5, 40))
    before = sys.getrefcount(agents)
    for _ in range(200):
        arr = sp.erlang_c(agents, 4.0)
        refs = sys.getrefcount(arr)
        assert refs == 2, f"erlang_c's array holds {refs - 2} leaked references"
        m = sp.erlang_a(agents, 4.0, 180.0, 60.0)
        refs = sys.getrefcount(m.p_wait)
        assert refs == 2, f"erlang_a's arrays hold {refs - 2} leaked references"
        with pytest.raises(ValueError):
            sp.erlang_a(agents, 4.0, 180.0, 1e300)
        with pytest.raises(ValueError):
            sp.erlang_b(agents, -1.0)
    after = sys.getrefcount(agents)
    assert after == before, f"refcount of the agents list went {before} -> {after}"


def test_array_buffers_are_read_only_and_released(sp):
    r = sp.requirements([10.0, 20.0], 180)
    m = memoryview(r.heads)
    assert m.readonly and m.format == "q" and m.tolist() == list(r.heads)
    with pytest.raises(TypeError):
        m[0] = 5
    np = pytest.importorskip("numpy")
    a = np.asarray(r.traffic)
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1.0
    before = sys.getrefcount(r.traffic)
    views = [memoryview(r.traffic) for _ in range(100)]
    for v in views:
        v.release()
    del views, v
    after = sys.getrefcount(r.traffic)
    assert after == before, f"memoryviews left {after - before} references behind"


def test_problem_corpus_is_read_or_refused_with_input_error():
    # The Atheris corpus of the problem reader, regressions included: every
    # file is either a valid problem or an InputError naming its key.
    from staffplan import problem

    corpus = os.path.join(ROOT, "fuzz", "corpus", "problem")
    files = sorted(f for f in os.listdir(corpus) if not f.startswith("."))
    assert any(f.startswith("regress-") for f in files)
    for name in files:
        try:
            problem.parse(os.path.join(corpus, name))
        except ValueError as exc:
            assert type(exc).__name__ == "InputError", (name, repr(exc))


# --------------------------------------------------------------------------
# GLPK containment: an internal GLPK error is a staffplan.SolverError
# --------------------------------------------------------------------------

# GLPK's own report for glp_set_col_bnds on column 2 of a one-column problem
# (api/prob1.c); the hook provokes exactly that misuse.
GLPK_FAULT_TEXT = "glp_set_col_bnds: j = 2; column number out of range"


def _fault_message(sp):
    with pytest.raises(sp.SolverError) as e:
        sp._core._glpk_fault()
    return e.value


def test_glpk_internal_error_is_solver_error_with_glpks_text(sp):
    """Without the guard's error hook GLPK calls abort() and the test run
    dies; with it the error reaches Python, GLPK's message included."""
    for _ in range(3):
        err = _fault_message(sp)
        assert type(err) is sp.SolverError, repr(err)
        assert isinstance(err, sp.Error) and not isinstance(err, ValueError), type(err).__mro__
        assert GLPK_FAULT_TEXT in str(err), str(err)
        assert "Error detected in file" in str(err), str(err)
    assert sp.SolverError.__module__ == "staffplan" and sp.SolverError.__name__ == "SolverError"


def test_solves_after_a_glpk_error_still_work(sp):
    from evaluate import check
    from test_schedule import hand_problem

    _fault_message(sp)
    p = hand_problem()
    r = sp.solve(p)
    # 330 is argued by hand in tests/c/test_schedule.c; check() recomputes
    # coverage and costs from the assignments alone.
    assert r["status"] == "optimal" and r["objective"] == pytest.approx(330), r
    check(p, r)


def test_glpk_errors_and_solves_in_four_threads_at_once(sp):
    """Four threads each provoke a GLPK error, solve a problem of their own
    and provoke another error, all at once; each error is its own
    SolverError and each solve equals its serial run (same objective,
    evaluator-checked)."""
    import threading

    from evaluate import check
    from test_concurrency import _problem

    problems = [_problem(30 + k) for k in range(4)]
    serial = [sp.solve(p) for p in problems]
    barrier = threading.Barrier(4)
    out = [None] * 4

    def work(k):
        barrier.wait()
        try:
            first = _fault_message(sp)
            r = sp.solve(problems[k])
            second = _fault_message(sp)
            out[k] = (str(first), r, str(second))
        except BaseException as e:  # noqa: BLE001 - reported below
            out[k] = e

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
        assert not t.is_alive(), "a thread did not finish within 300 s"
    for k, got in enumerate(out):
        assert isinstance(got, tuple), f"thread {k}: {got!r}"
        first, r, second = got
        assert GLPK_FAULT_TEXT in first and GLPK_FAULT_TEXT in second, (k, first, second)
        assert r["status"] == serial[k]["status"] == "optimal", (k, r["status"])
        assert r["objective"] == pytest.approx(serial[k]["objective"], abs=1e-6), \
            f"thread {k}: objective {r['objective']}, serially {serial[k]['objective']}"
        check(problems[k], r)
