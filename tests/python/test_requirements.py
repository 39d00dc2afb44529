"""staffplan.requirements against the independent reference.

Agents are checked against reference.ref_agents (plain upward search in
mpmath), heads against exact rational arithmetic, Erlang A staffing against
the brute-force chain.  Nothing is compared with numbers captured from
staffplan.
"""

import array
import copy
import math
import random
import re

import pytest

pytest.importorskip("mpmath")
import reference as ref  # noqa: E402

INTERVAL = 900.0
AHT = 180.0
TRAFFIC = [0.0, 0.01, 1.0, 10.0, 100.0, 1000.0, 10000.0]
FLOAT_FIELDS = ("traffic", "service_level", "asa", "occupancy", "p_wait")
REL = 1e-9
ABS = 1e-12


def volume_for(a, aht=AHT, interval=INTERVAL):
    return a * interval / aht


def traffic_of(volume, aht=AHT, interval=INTERVAL):
    """The traffic the reference works with: volume * aht / interval in doubles."""
    return volume * aht / interval


def close(actual, expected, rel=REL, abs_tol=ABS):
    expected = float(expected)
    if math.isinf(expected):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_tol)


def check_erlang_c_result(res, volumes, ahts, *, interval=INTERVAL, service_level=0.8,
                          answer_time=20.0, asa=None, max_occupancy=None, min_agents=0,
                          label=""):
    """Compare every interval of an Erlang C Requirements with the reference.

    Returns a list of problems (strings); the caller asserts it is empty so the
    report lists every failing interval, not only the first.
    """
    problems = []
    n_int = len(volumes)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        if len(getattr(res, field)) != n_int:
            problems.append(f"{label}: len({field}) = {len(getattr(res, field))}, "
                            f"expected {n_int}")
    if problems:
        return problems
    targets = dict(service_level_target=service_level, answer_time=answer_time,
                   asa_target=asa, max_occupancy=max_occupancy, min_agents=min_agents)
    for i, volume in enumerate(volumes):
        aht = ahts[i]
        a = traffic_of(volume, aht, interval)
        case = (f"{label} interval {i}: volume={volume!r} aht={aht!r} A={a!r} "
                f"SL={service_level} t={answer_time} asa={asa} max_occ={max_occupancy} "
                f"min_agents={min_agents}")
        n = res.agents[i]
        want_n = ref.ref_agents(a, aht, service_level, answer_time, asa, max_occupancy,
                                min_agents)
        if not isinstance(n, int):
            problems.append(f"{case}: agents[{i}] is {type(n).__name__}, not int")
            continue
        if n != want_n:
            problems.append(f"{case}: agents {n}, reference {want_n}")
        if not close(res.traffic[i], a, rel=1e-14, abs_tol=0.0):
            problems.append(f"{case}: traffic {res.traffic[i]!r}, expected {a!r}")
        if n < 0:
            continue
        # The targets hold at n, and n - 1 misses one (or is below a floor).
        failed = ref.failed_targets(n, a, aht, **targets)
        if failed:
            problems.append(f"{case}: returned n={n} misses {failed}")
        if n > 0 and n > min_agents and not (a > 0 and n - 1 <= a):
            if not ref.failed_targets(n - 1, a, aht, **targets):
                problems.append(f"{case}: n-1={n - 1} already meets every target")
        # Achieved figures equal the reference at the returned n.
        m = ref.metrics(n, a, aht, answer_time)
        for field in ("service_level", "asa", "occupancy", "p_wait"):
            got = getattr(res, field)[i]
            if not close(got, m[field]):
                problems.append(f"{case}: {field} {got!r} at n={n}, reference "
                                f"{float(m[field])!r}")
        if res.heads[i] != n:
            problems.append(f"{case}: heads {res.heads[i]} with no shrinkage, agents {n}")
    return problems


def assert_no_problems(problems):
    assert not problems, f"{len(problems)} problem(s):\n  " + "\n  ".join(problems[:20])


def _has_index(message, index):
    return re.search(rf"(?<![0-9.]){index}(?![0-9.])", message) is not None


# ----------------------------------------------------------------------
# Staffing against the reference search
# ----------------------------------------------------------------------


@pytest.mark.parametrize("answer_time", [0.0, 20.0, 60.0], ids=lambda t: f"t={t:g}")
@pytest.mark.parametrize("target", [0.5, 0.8, 0.9, 0.95, 0.99, 0.999],
                         ids=lambda s: f"SL={s:g}")
def test_service_level_targets(sp, target, answer_time):
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT, interval=INTERVAL, service_level=target,
                          answer_time=answer_time)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=target,
        answer_time=answer_time, label="requirements"))


@pytest.mark.parametrize("asa", [1.0, 5.0, 20.0, 120.0], ids=lambda s: f"asa={s:g}")
def test_asa_targets(sp, asa):
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT, service_level=None, asa=asa)
    assert res.p_abandon is None, "p_abandon should be None without patience"
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=None, asa=asa,
        label="requirements"))


@pytest.mark.parametrize("occ", [0.5, 0.8, 0.85, 0.9, 0.95, 1.0], ids=lambda s: f"occ={s:g}")
def test_max_occupancy_targets(sp, occ):
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT, service_level=None, max_occupancy=occ)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=None, max_occupancy=occ,
        label="requirements"))


def test_max_occupancy_exact_ratio(sp):
    """A = 85, max occupancy 0.85: 85/100 == 0.85 in doubles, so 100 agents suffice."""
    res = sp.requirements([volume_for(85.0)], AHT, service_level=None, max_occupancy=0.85)
    assert traffic_of(volume_for(85.0)) == 85.0
    assert res.agents[0] == 100, f"A=85 max_occupancy=0.85: agents {res.agents[0]}, expected 100"


@pytest.mark.parametrize("sl,t,asa,occ", [
    (0.8, 20.0, 15.0, 0.85),
    (0.9, 30.0, 5.0, 0.9),
    (0.5, 0.0, 60.0, 0.7),
    (0.95, 60.0, None, 0.8),
], ids=lambda v: repr(v))
def test_combined_targets(sp, sl, t, asa, occ):
    volumes = [volume_for(a) for a in TRAFFIC + [2.5, 37.7, 333.3]]
    res = sp.requirements(volumes, AHT, service_level=sl, answer_time=t, asa=asa,
                          max_occupancy=occ)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=sl, answer_time=t, asa=asa,
        max_occupancy=occ, label="requirements"))


@pytest.mark.parametrize("min_agents", [1, 5, 50, 20000], ids=lambda m: f"min={m}")
def test_min_agents(sp, min_agents):
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT, service_level=0.8, answer_time=20,
                          min_agents=min_agents)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=0.8, answer_time=20.0,
        min_agents=min_agents, label="requirements"))


def test_huge_traffic(sp):
    """100,000 Erlangs: no overflow, same staffing as the reference."""
    volumes = [volume_for(1e5), volume_for(123456.7)]
    res = sp.requirements(volumes, AHT, service_level=0.9, answer_time=20.0)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT, AHT], service_level=0.9, answer_time=20.0,
        label="requirements(huge)"))


def test_worked_example(sp):
    """design.md: 100 calls / 30 min, AHT 180 s, 80% in 20 s -> 14 agents."""
    res = sp.requirements([100.0], 180.0, interval=1800.0, service_level=0.8,
                          answer_time=20.0)
    got = (res.agents[0], round(res.service_level[0] * 100, 2),
           round(res.p_wait[0] * 100, 2), round(res.asa[0], 2),
           round(res.occupancy[0] * 100, 1), res.traffic[0])
    assert got == (14, 88.84, 17.41, 7.84, 71.4, 10.0), (
        f"(agents, SL%, P(wait)%, ASA, occ%, traffic) = {got}")


def test_defaults(sp):
    """Defaults: interval 900 s, 80% in 20 s, no shrinkage."""
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [AHT] * len(volumes), service_level=0.8, answer_time=20.0,
        label="requirements(defaults)"))


def test_aht_per_interval(sp):
    ahts = [60.0, 120.0, 180.0, 300.0, 600.0, 900.0, 1200.0]
    volumes = [volume_for(a, h) for a, h in zip(TRAFFIC, ahts)]
    for sl, t in ((0.8, 20.0), (0.9, 30.0)):
        res = sp.requirements(volumes, ahts, service_level=sl, answer_time=t)
        assert_no_problems(check_erlang_c_result(
            res, volumes, ahts, service_level=sl, answer_time=t,
            label=f"requirements(aht list) SL={sl} t={t}"))


def test_interval_length(sp):
    volumes = [a * 1800.0 / 300.0 for a in TRAFFIC]
    res = sp.requirements(volumes, 300.0, interval=1800.0, service_level=0.9,
                          answer_time=15.0)
    assert_no_problems(check_erlang_c_result(
        res, volumes, [300.0] * len(volumes), interval=1800.0, service_level=0.9,
        answer_time=15.0, label="requirements(interval=1800)"))


# ----------------------------------------------------------------------
# No target, zero volume, shrinkage
# ----------------------------------------------------------------------


def test_no_target_gives_stability_minimum(sp):
    traffics = TRAFFIC + [0.5, 2.5, 99.999, 12345.6]
    volumes = [volume_for(a) for a in traffics]
    res = sp.requirements(volumes, AHT, service_level=None)
    for i, v in enumerate(volumes):
        a = traffic_of(v)
        want = math.floor(a) + 1 if a > 0 else 0
        assert res.agents[i] == want, (
            f"service_level=None, interval {i}, A={a!r}: agents {res.agents[i]}, "
            f"expected {want}")
    res = sp.requirements(volumes, AHT, service_level=None, min_agents=7)
    for i, v in enumerate(volumes):
        a = traffic_of(v)
        want = max(7, math.floor(a) + 1 if a > 0 else 0)
        assert res.agents[i] == want, (
            f"service_level=None min_agents=7, interval {i}, A={a!r}: "
            f"agents {res.agents[i]}, expected {want}")


@pytest.mark.parametrize("kwargs", [
    {},
    {"service_level": 0.99, "answer_time": 0.0},
    {"service_level": None},
    {"asa": 10.0, "max_occupancy": 0.8},
    {"shrinkage": 0.3},
], ids=lambda k: repr(k))
def test_zero_volume(sp, kwargs):
    res = sp.requirements([0.0, 0.0, 0.0], AHT, **kwargs)
    for i in range(3):
        got = (res.agents[i], res.heads[i], res.traffic[i], res.service_level[i],
               res.asa[i], res.occupancy[i], res.p_wait[i])
        assert got == (0, 0, 0.0, 1.0, 0.0, 0.0, 0.0), (
            f"zero volume {kwargs}, interval {i}: (agents, heads, traffic, SL, ASA, "
            f"occ, P(wait)) = {got}")


def test_zero_volume_with_min_agents(sp):
    res = sp.requirements([0.0, 0.0], AHT, min_agents=3, shrinkage=0.3)
    for i in range(2):
        got = (res.agents[i], res.heads[i], res.service_level[i], res.asa[i],
               res.occupancy[i], res.p_wait[i])
        assert got == (3, 5, 1.0, 0.0, 0.0, 0.0), (
            f"zero volume min_agents=3 shrinkage=0.3, interval {i}: "
            f"(agents, heads, SL, ASA, occ, P(wait)) = {got}")


SHRINKAGES = [0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.75,
              0.8, 0.9, 0.95, 0.99, 0.125, 0.333]


@pytest.mark.parametrize("s", SHRINKAGES, ids=lambda s: f"s={s:g}")
def test_heads_after_shrinkage(sp, s):
    """With no target agents = floor(A) + 1, so A = k - 0.5 gives k agents."""
    ks = list(range(1, 301)) + [999, 1000, 1001, 4321, 10000]
    volumes = [volume_for(k - 0.5) for k in ks]
    res = sp.requirements(volumes, AHT, service_level=None, shrinkage=s)
    bad = []
    for i, k in enumerate(ks):
        want = ref.ref_heads(k, s)
        if res.agents[i] != k or res.heads[i] != want:
            bad.append(f"agents {res.agents[i]} (expected {k}), heads {res.heads[i]} "
                       f"(expected ceil({k}/(1-{s})) = {want})")
    assert not bad, f"shrinkage {s}: " + "; ".join(bad[:10])


def test_heads_float_noise(sp):
    """21 / 0.7 is 30.000000000000004 in doubles: heads must be 30, not 31."""
    res = sp.requirements([volume_for(20.5)], AHT, service_level=None, shrinkage=0.3)
    assert (res.agents[0], res.heads[0]) == (21, 30), (
        f"A=20.5 shrinkage 0.3: (agents, heads) = ({res.agents[0]}, {res.heads[0]}), "
        "expected (21, 30)")


def test_heads_with_targets(sp):
    volumes = [volume_for(a) for a in TRAFFIC]
    res = sp.requirements(volumes, AHT, service_level=0.9, answer_time=30.0, shrinkage=0.35)
    for i, v in enumerate(volumes):
        a = traffic_of(v)
        n = ref.ref_agents(a, AHT, 0.9, 30.0)
        want = (n, ref.ref_heads(n, 0.35))
        got = (res.agents[i], res.heads[i])
        assert got == want, f"A={a!r} SL 90/30 shrinkage 0.35: (agents, heads) {got}, expected {want}"


# ----------------------------------------------------------------------
# Erlang A staffing (patience given)
# ----------------------------------------------------------------------

ERLANG_A_REQ = [
    # A, aht, patience, service_level, answer_time, max_abandon
    (1.0, 180.0, 60.0, 0.8, 20.0, None),
    (10.0, 180.0, 120.0, 0.8, 20.0, None),
    (10.0, 180.0, 120.0, 0.8, 20.0, 0.02),
    (30.0, 240.0, 300.0, 0.9, 30.0, 0.01),
    (25.0, 180.0, 90.0, None, 20.0, 0.05),
    (0.5, 180.0, 60.0, 0.95, 60.0, None),
    (45.0, 300.0, 600.0, 0.8, 20.0, 0.03),
    (8.0, 180.0, 30.0, 0.5, 0.0, 0.1),
    (500.0, 180.0, 120.0, 0.8, 20.0, 0.01),
    (2000.0, 300.0, 60.0, 0.9, 10.0, None),
]


@pytest.mark.parametrize("a,aht,patience,sl,t,max_abandon", ERLANG_A_REQ,
                         ids=[f"A={c[0]:g}-aht={c[1]:g}-p={c[2]:g}-SL={c[3]}-t={c[4]:g}"
                              f"-ab={c[5]}" for c in ERLANG_A_REQ])
def test_erlang_a_staffing(sp, a, aht, patience, sl, t, max_abandon):
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    volume = volume_for(a, aht)
    a = traffic_of(volume, aht)
    res = sp.requirements([volume], aht, service_level=sl, answer_time=t,
                          patience=patience, max_abandon=max_abandon)
    n = res.agents[0]
    case = (f"Erlang A: A={a!r} aht={aht} patience={patience} SL={sl} t={t} "
            f"max_abandon={max_abandon}: agents {n}")
    assert res.p_abandon is not None, f"{case}: p_abandon is None with patience given"
    margin = ref.erlang_a_margin(n, a, aht, patience, sl, t, max_abandon)
    if margin > 1e-7:
        assert not ref.erlang_a_failed(n, a, aht, patience, sl, t, max_abandon), (
            f"{case}: n misses {ref.erlang_a_failed(n, a, aht, patience, sl, t, max_abandon)}"
            f", brute force {ref.erlang_a(n, a, aht, patience, t)}")
    if n > 0:
        margin = ref.erlang_a_margin(n - 1, a, aht, patience, sl, t, max_abandon)
        if margin > 1e-7:
            assert ref.erlang_a_failed(n - 1, a, aht, patience, sl, t, max_abandon), (
                f"{case}: n-1 already meets the targets, brute force "
                f"{ref.erlang_a(n - 1, a, aht, patience, t)}")
    want = ref.erlang_a(n, a, aht, patience, t)
    for field in ("service_level", "p_abandon", "p_wait", "asa", "occupancy"):
        got = getattr(res, field)[0]
        assert math.isclose(got, want[field], rel_tol=1e-7, abs_tol=1e-7), (
            f"{case}: {field} {got!r}, brute force {want[field]!r}")


def test_erlang_a_zero_volume(sp):
    res = sp.requirements([0.0, volume_for(5.0)], AHT, patience=60.0, max_abandon=0.05)
    got = (res.agents[0], res.service_level[0], res.asa[0], res.occupancy[0],
           res.p_wait[0], res.p_abandon[0])
    assert got == (0, 1.0, 0.0, 0.0, 0.0, 0.0), (
        f"Erlang A zero volume: (agents, SL, ASA, occ, P(wait), P(abandon)) = {got}")
    assert len(res.p_abandon) == 2
    view = memoryview(res.p_abandon)
    assert view.format == "d" and view.readonly, (
        f"p_abandon buffer: format {view.format!r}, readonly {view.readonly}")


# ----------------------------------------------------------------------
# Threads
# ----------------------------------------------------------------------


def _random_volumes(count, seed=20240601):
    rng = random.Random(seed)
    return [volume_for(10.0 ** rng.uniform(-2.0, 4.0)) for _ in range(count)]


def test_threads_give_identical_results(sp):
    volumes = _random_volumes(5000)
    kwargs = dict(service_level=0.85, answer_time=30.0, asa=25.0, shrinkage=0.25)
    one = sp.requirements(volumes, AHT, threads=1, **kwargs)
    two = sp.requirements(volumes, AHT, threads=2, **kwargs)
    default = sp.requirements(volumes, AHT, **kwargs)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        a, b, c = list(getattr(one, field)), list(getattr(two, field)), \
            list(getattr(default, field))
        diff = [i for i in range(len(a)) if a[i] != b[i] or a[i] != c[i]]
        assert not diff, (
            f"{field} differs between threads=1/2/None at {len(diff)} intervals, first "
            f"{diff[0]}: volume {volumes[diff[0]]!r}: {a[diff[0]]!r} / {b[diff[0]]!r} / "
            f"{c[diff[0]]!r}")
    # A sample against the reference, and the same figures when the sample is
    # run on its own (results do not depend on the batch).
    rng = random.Random(7)
    sample = sorted(rng.sample(range(len(volumes)), 100))
    for i in sample:
        a = traffic_of(volumes[i])
        want = ref.ref_agents(a, AHT, 0.85, 30.0, asa=25.0)
        assert one.agents[i] == want, (
            f"random interval {i}: A={a!r}: agents {one.agents[i]}, reference {want}")
        assert one.heads[i] == ref.ref_heads(want, 0.25), (
            f"random interval {i}: A={a!r}: heads {one.heads[i]}, "
            f"reference {ref.ref_heads(want, 0.25)}")
    sub_volumes = [volumes[i] for i in sample]
    sub = sp.requirements(sub_volumes, AHT, service_level=0.85, answer_time=30.0, asa=25.0)
    assert_no_problems(check_erlang_c_result(
        sub, sub_volumes, [AHT] * len(sample), service_level=0.85, answer_time=30.0,
        asa=25.0, label="random sample"))
    for field in ("agents",) + FLOAT_FIELDS:
        whole = [getattr(one, field)[i] for i in sample]
        assert list(getattr(sub, field)) == whole, f"{field}: sample alone differs from batch"


# ----------------------------------------------------------------------
# The result object and its arrays
# ----------------------------------------------------------------------


def _result(sp):
    volumes = [volume_for(a) for a in (0.0, 1.0, 10.0, 100.0)]
    return sp.requirements(volumes, AHT, shrinkage=0.3), volumes


def test_result_arrays_behave_like_sequences(sp):
    res, volumes = _result(sp)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        arr = getattr(res, field)
        assert len(arr) == len(volumes), f"len({field}) = {len(arr)}"
        items = list(arr)
        assert items == [arr[i] for i in range(len(arr))], f"{field}: iteration vs indexing"
        assert arr[-1] == items[-1], f"{field}[-1] = {arr[-1]!r}, last item {items[-1]!r}"
        with pytest.raises(IndexError):
            arr[len(volumes)]
        kind = int if field in ("agents", "heads") else float
        assert all(type(x) is kind for x in items), (
            f"{field} items are {[type(x).__name__ for x in items]}, expected {kind.__name__}")


def test_result_len(sp):
    res, volumes = _result(sp)
    assert len(res) == len(volumes), f"len(Requirements) = {len(res)}"


def test_result_buffer_protocol(sp):
    res, _ = _result(sp)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        arr = getattr(res, field)
        view = memoryview(arr)
        want_format = "q" if field in ("agents", "heads") else "d"
        assert view.format == want_format, f"{field}: buffer format {view.format!r}"
        assert view.itemsize == 8 and view.ndim == 1, (
            f"{field}: itemsize {view.itemsize}, ndim {view.ndim}")
        assert view.readonly, f"{field}: buffer is writable"
        assert view.tolist() == list(arr), f"{field}: buffer {view.tolist()} vs {list(arr)}"
        with pytest.raises(TypeError):
            view[0] = 0 if want_format == "q" else 0.0


def test_result_numpy_view_shares_memory(sp):
    np = pytest.importorskip("numpy")
    res, _ = _result(sp)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        arr = getattr(res, field)
        x = np.asarray(arr)
        y = np.asarray(arr)
        want_dtype = np.int64 if field in ("agents", "heads") else np.float64
        assert x.dtype == want_dtype, f"{field}: dtype {x.dtype}"
        assert x.tolist() == list(arr), f"{field}: numpy {x.tolist()} vs {list(arr)}"
        assert not x.flags.writeable, f"{field}: numpy view is writable"
        assert not x.flags.owndata and np.shares_memory(x, y), (
            f"{field}: numpy.asarray copied the data instead of viewing the buffer")


def test_p_abandon_none_without_patience(sp):
    res, _ = _result(sp)
    assert res.p_abandon is None, f"p_abandon = {res.p_abandon!r}"


def test_to_pandas(sp):
    pd = pytest.importorskip("pandas")
    res, volumes = _result(sp)
    df = res.to_pandas()
    assert isinstance(df, pd.DataFrame)
    assert len(df) == len(volumes)
    for field in ("agents", "heads") + FLOAT_FIELDS:
        assert field in df.columns, f"to_pandas(): no column {field!r} in {list(df.columns)}"
        assert list(df[field]) == list(getattr(res, field)), f"to_pandas()[{field!r}]"


def test_empty_volume(sp):
    res = sp.requirements([], AHT)
    assert len(res) == 0, f"len(requirements([])) = {len(res)}"
    for field in ("agents", "heads") + FLOAT_FIELDS:
        assert len(getattr(res, field)) == 0, f"len({field}) = {len(getattr(res, field))}"
        assert list(getattr(res, field)) == []


# ----------------------------------------------------------------------
# Input kinds, no mutation
# ----------------------------------------------------------------------


def test_inputs_not_modified_lists(sp):
    volumes = [volume_for(a) for a in TRAFFIC]
    ahts = [AHT] * len(volumes)
    before = (copy.deepcopy(volumes), copy.deepcopy(ahts))
    sp.requirements(volumes, ahts, shrinkage=0.3)
    assert (volumes, ahts) == before, "requirements modified its list inputs"


def test_inputs_not_modified_numpy(sp):
    np = pytest.importorskip("numpy")
    volumes = np.array([volume_for(a) for a in TRAFFIC])
    ahts = np.full(len(volumes), AHT)
    v0, a0 = volumes.copy(), ahts.copy()
    res = sp.requirements(volumes, ahts, shrinkage=0.3)
    assert np.array_equal(volumes, v0) and np.array_equal(ahts, a0), (
        "requirements modified its numpy inputs")
    want = [ref.ref_agents(traffic_of(v), AHT, 0.8, 20.0) for v in v0]
    assert list(res.agents) == want, f"numpy input: agents {list(res.agents)}, reference {want}"


def test_readonly_numpy_input(sp):
    np = pytest.importorskip("numpy")
    volumes = np.array([volume_for(a) for a in TRAFFIC])
    volumes.setflags(write=False)
    res = sp.requirements(volumes, AHT)
    want = [ref.ref_agents(traffic_of(v), AHT, 0.8, 20.0) for v in volumes]
    assert list(res.agents) == want, f"read-only numpy: agents {list(res.agents)} vs {want}"


def test_numpy_scalar_arguments(sp):
    """Scalars taken from numpy arrays (np.int64, np.float64) are numbers too."""
    np = pytest.importorskip("numpy")
    volumes = [volume_for(a) for a in (1.0, 10.0, 100.0)]
    want = [max(3, ref.ref_agents(traffic_of(v), AHT, 0.8, 20.0)) for v in volumes]
    for label, kwargs in (("aht=np.float64(180)", dict(aht=np.float64(AHT))),
                          ("aht=np.int64(180)", dict(aht=np.int64(180))),
                          ("min_agents=np.int64(3)", dict(aht=AHT, min_agents=np.int64(3)))):
        kwargs.setdefault("min_agents", 3)
        res = sp.requirements(volumes, **kwargs)
        assert list(res.agents) == want, f"{label}: agents {list(res.agents)} vs {want}"


def test_other_sequence_kinds(sp):
    volumes = [volume_for(a) for a in (0.0, 1.0, 10.0, 100.0)]
    want = [ref.ref_agents(traffic_of(v), AHT, 0.8, 20.0) for v in volumes]
    for kind, value in (("tuple", tuple(volumes)), ("array.array", array.array("d", volumes)),
                        ("int list", [0, 5, 50, 500])):
        res = sp.requirements(value, AHT)
        assert list(res.agents) == want, f"{kind} volume: agents {list(res.agents)} vs {want}"


# ----------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")


@pytest.mark.parametrize("field,bad,kwargs", [
    ("volume", -1.0, {}),
    ("volume", NAN, {}),
    ("volume", INF, {}),
    ("aht", -180.0, {}),
    ("aht", 0.0, {}),
    ("aht", NAN, {}),
    ("aht", INF, {}),
], ids=lambda v: repr(v))
def test_bad_element_names_field_and_index(sp, field, bad, kwargs):
    volumes = [10.0, 20.0, 30.0, 40.0, 50.0]
    ahts = [AHT] * 5
    (volumes if field == "volume" else ahts)[3] = bad
    with pytest.raises(ValueError) as info:
        sp.requirements(volumes, ahts, **kwargs)
    msg = str(info.value)
    assert field in msg and _has_index(msg, 3), (
        f"{field}[3] = {bad!r}: message {msg!r} should contain {field!r} and 3")


def test_first_bad_index_is_reported(sp):
    volumes = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, -1.0, 9.0, -2.0]
    with pytest.raises(ValueError) as info:
        sp.requirements(volumes, AHT)
    msg = str(info.value)
    assert "volume" in msg and _has_index(msg, 7), (
        f"first bad volume at index 7: message {msg!r}")


@pytest.mark.parametrize("bad", [NAN, -5.0, 0.0], ids=repr)
def test_bad_scalar_aht(sp, bad):
    with pytest.raises(ValueError) as info:
        sp.requirements([10.0, 20.0], bad)
    assert "aht" in str(info.value), f"aht={bad!r}: {info.value!r}"


@pytest.mark.parametrize("ahts", [[AHT] * 3, [AHT] * 6, []], ids=lambda a: f"len={len(a)}")
def test_aht_wrong_length(sp, ahts):
    with pytest.raises(ValueError) as info:
        sp.requirements([10.0] * 5, ahts)
    assert "aht" in str(info.value), f"aht of length {len(ahts)}: {info.value!r}"


@pytest.mark.parametrize("field,value", [
    ("service_level", 1.0),
    ("service_level", 1.5),
    ("service_level", -0.1),
    ("service_level", NAN),
    ("answer_time", -1.0),
    ("answer_time", NAN),
    ("asa", 0.0),
    ("asa", -3.0),
    ("max_occupancy", 0.0),
    ("max_occupancy", 1.5),
    ("max_occupancy", -0.5),
    ("shrinkage", 1.0),
    ("shrinkage", -0.1),
    ("shrinkage", NAN),
    ("min_agents", -1),
    ("interval", 0.0),
    ("interval", -900.0),
    ("patience", 0.0),
    ("patience", -10.0),
], ids=lambda v: repr(v))
def test_bad_target_raises_value_error_naming_it(sp, field, value):
    with pytest.raises(ValueError) as info:
        sp.requirements([10.0, 20.0, 30.0], AHT, **{field: value})
    assert field in str(info.value), f"{field}={value!r}: message {str(info.value)!r}"


def test_max_abandon_without_patience(sp):
    with pytest.raises(ValueError) as info:
        sp.requirements([10.0, 20.0], AHT, max_abandon=0.05)
    msg = str(info.value)
    assert "max_abandon" in msg or "patience" in msg, f"max_abandon without patience: {msg!r}"


@pytest.mark.parametrize("volume", ["100", {"a": 1.0}, [1.0, "x", 3.0], None, 5.0 + 1j],
                         ids=["str", "dict", "str-element", "None", "complex"])
def test_wrong_volume_type(sp, volume):
    with pytest.raises(TypeError):
        sp.requirements(volume, AHT)


@pytest.mark.parametrize("aht", ["180", {"a": 180.0}, [180.0, "x"]],
                         ids=["str", "dict", "str-element"])
def test_wrong_aht_type(sp, aht):
    with pytest.raises(TypeError):
        sp.requirements([10.0, 20.0], aht)


def test_bad_input_leaves_inputs_alone(sp):
    volumes = [10.0, 20.0, -1.0]
    with pytest.raises(ValueError):
        sp.requirements(volumes, AHT)
    assert volumes == [10.0, 20.0, -1.0]


@pytest.mark.parametrize("kwargs,field", [
    (dict(service_level=None, max_occupancy=1e-300), "max_occupancy"),
    (dict(min_agents=10**9, shrinkage=0.9999999999999999), "shrinkage"),
])
def test_targets_that_would_overflow_the_agent_count_are_refused(sp, kwargs, field):
    volume = [0.0] if "min_agents" in kwargs else [100.0]
    with pytest.raises(ValueError) as info:
        sp.requirements(volume, 180.0, **kwargs)
    assert info.value.field == field, str(info.value)


def test_heads_never_fall_short_of_the_agents_they_carry(sp):
    # The float-noise allowance is a few ulps, never a tenth of a head.
    for agents, s in [(10**8, 5e-10), (21, 0.3), (4, 0.2), (7, 0.3), (999_999, 1e-7)]:
        heads = sp._core.heads(agents, s)
        assert heads == ref.ref_heads(agents, s), (agents, s, heads)


def test_erlang_a_occupancy_target_needs_agents(sp):
    # With no agent the system is saturated (occupancy 1), so a cap of 85%
    # needs staff, as with Erlang C.
    r = sp.requirements([100.0], 180.0, service_level=None, max_occupancy=0.85, patience=60)
    n = r.agents[0]
    assert n > 0 and r.occupancy[0] <= 0.85
    assert sp.erlang_a(n - 1, 20.0, 180.0, 60.0).occupancy > 0.85


def test_real_number_types_are_accepted_for_interval_and_threads(sp):
    np = pytest.importorskip("numpy")
    from fractions import Fraction
    want = list(sp.requirements([100.0], 180.0).agents)
    assert list(sp.requirements([100.0], 180.0, interval=np.float32(900)).agents) == want
    assert list(sp.requirements([100.0], 180.0, interval=Fraction(900),
                                threads=np.int64(2)).agents) == want
