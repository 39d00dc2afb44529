"""Erlang B / C / A scalar and broadcast functions against the mpmath reference.

Every expected number comes from reference.py (mpmath at 50 digits for
Erlang B/C, a brute-force Markov chain for Erlang A) or from the worked
example printed in design.md section 2; nothing is captured from staffplan.
"""

import math
import random
import re

import pytest

pytest.importorskip("mpmath")
import reference as ref  # noqa: E402

TRAFFIC = [0.0, 0.01, 1.0, 10.0, 100.0, 1000.0, 10000.0]
REL = 1e-9
ABS = 1e-12


def agent_grid(a):
    """Agent counts below, at and above A, up to A + 6 sqrt(A) + 5."""
    top = math.ceil(a + 6.0 * math.sqrt(a) + 5.0)
    low = max(0, math.floor(a) - 10)
    grid = set(range(low, top + 1))
    grid |= {0, 1, 2, math.floor(a) // 2, math.floor(a)}
    return sorted(grid)


def close(actual, expected, rel=REL, abs_tol=ABS):
    expected = float(expected)
    if math.isinf(expected):
        return actual == expected
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_tol)


def assert_all_close(name, cases, actual, expected, rel=REL, abs_tol=ABS):
    """cases/actual/expected are parallel lists; report every mismatch."""
    assert len(actual) == len(expected), (
        f"{name}: result has {len(actual)} elements, expected {len(expected)}")
    bad = [(c, a, float(e)) for c, a, e in zip(cases, actual, expected)
           if not close(a, e, rel, abs_tol)]
    assert not bad, (
        f"{name}: {len(bad)} of {len(cases)} cases differ from the reference "
        f"(rel {rel}, abs {abs_tol}); first ones (case, staffplan, reference): "
        + "; ".join(f"{c}: {a!r} vs {e!r}" for c, a, e in bad[:8]))


def as_list(result):
    return [float(x) for x in list(result)]


# ----------------------------------------------------------------------
# The reference itself
# ----------------------------------------------------------------------


def test_reference_worked_example():
    """design.md: A = 100*180/1800 = 10 Erlangs, 80% in 20 s -> 14 agents."""
    a = 100 * 180 / 1800
    assert a == 10.0
    m14 = ref.metrics(14, a, 180, 20)
    m13 = ref.metrics(13, a, 180, 20)
    assert round(float(m14["service_level"]) * 100, 2) == 88.84, m14
    assert round(float(m14["p_wait"]) * 100, 2) == 17.41, m14
    assert round(float(m14["asa"]), 2) == 7.84, m14
    assert round(float(m14["occupancy"]) * 100, 1) == 71.4, m14
    assert round(float(m13["service_level"]) * 100, 2) == 79.56, m13
    assert ref.ref_agents(a, 180, 0.8, 20) == 14


def test_reference_erlang_b_small_values():
    """B(1, A) = A/(1+A), B(2, A) = A^2/2 / (1 + A + A^2/2)."""
    for a in (0.01, 1.0, 10.0, 123.5):
        b1 = ref.erlang_b(1, a)
        b2 = ref.erlang_b(2, a)
        assert abs(b1 - a / (1 + ref.mpf(a))) < ref.mpf("1e-45"), a
        e2 = ref.mpf(a) ** 2 / 2 / (1 + ref.mpf(a) + ref.mpf(a) ** 2 / 2)
        assert abs(b2 - e2) < ref.mpf("1e-45"), a


@pytest.mark.parametrize("n,a,t", [(14, 10.0, 20.0), (12, 10.0, 0.0),
                                   (55, 50.0, 60.0), (2, 1.0, 20.0)],
                         ids=lambda v: repr(v))
def test_reference_erlang_a_tends_to_erlang_c(n, a, t):
    """With (almost) infinite patience the chain is an M/M/n queue."""
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    m = ref.erlang_a(n, a, 180.0, 1e15, t)
    case = f"n={n} A={a} t={t}: {m}"
    assert math.isclose(m["p_wait"], float(ref.erlang_c(n, a)), abs_tol=1e-9), case
    assert math.isclose(m["service_level"], float(ref.service_level(n, a, 180, t)),
                        abs_tol=1e-9), case
    assert math.isclose(m["asa"], float(ref.asa(n, a, 180)), rel_tol=1e-9), case


@pytest.mark.parametrize("n,a", [(5, 10.0), (10, 10.0), (0, 3.0), (3, 0.5)],
                         ids=lambda v: repr(v))
def test_reference_erlang_a_tends_to_erlang_b(n, a):
    """With no patience every waiting contact leaves: P(wait) = P(abandon) = B."""
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    m = ref.erlang_a(n, a, 180.0, 1e-12, 20.0)
    b = float(ref.erlang_b(n, a))
    case = f"n={n} A={a}: {m}, B={b}"
    assert math.isclose(m["p_wait"], b, abs_tol=1e-9), case
    assert math.isclose(m["p_abandon"], b, abs_tol=1e-9), case
    assert math.isclose(m["service_level"], 1 - b, abs_tol=1e-9), case


@pytest.mark.parametrize("n,a,patience", [(10, 10.0, 120.0), (8, 10.0, 60.0),
                                          (0, 2.0, 60.0), (30, 25.0, 300.0)],
                         ids=lambda v: repr(v))
def test_reference_erlang_a_service_level_limits(n, a, patience):
    """SL(0) = 1 - P(wait); SL(t) -> 1 - P(abandon) for large t; SL increases."""
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    m0 = ref.erlang_a(n, a, 180.0, patience, 0.0)
    m_big = ref.erlang_a(n, a, 180.0, patience, 1e5)
    case = f"n={n} A={a} patience={patience}: {m0}, {m_big}"
    assert math.isclose(m0["service_level"], 1 - m0["p_wait"], abs_tol=1e-12), case
    assert math.isclose(m_big["service_level"], 1 - m_big["p_abandon"], abs_tol=1e-9), case
    previous = m0["service_level"]
    for t in (5.0, 20.0, 60.0, 300.0):
        sl = ref.erlang_a(n, a, 180.0, patience, t)["service_level"]
        assert sl >= previous - 1e-12, f"{case}, t={t}: {sl} < {previous}"
        previous = sl
    assert math.isclose(m0["asa"], m0["p_abandon"] * patience, rel_tol=1e-12), case


# ----------------------------------------------------------------------
# Erlang B / C over the grid
# ----------------------------------------------------------------------


@pytest.mark.parametrize("a", TRAFFIC, ids=lambda a: f"A={a:g}")
def test_erlang_b_grid(sp, a):
    if not hasattr(sp, "erlang_b"):
        pytest.skip("staffplan.erlang_b is not exposed")
    ns = agent_grid(a)
    got = as_list(sp.erlang_b(ns, [a] * len(ns)))
    want = [ref.erlang_b(n, a) for n in ns]
    assert_all_close(f"erlang_b A={a}", [f"n={n}" for n in ns], got, want)


@pytest.mark.parametrize("a", TRAFFIC, ids=lambda a: f"A={a:g}")
def test_erlang_c_grid(sp, a):
    ns = agent_grid(a)
    got = as_list(sp.erlang_c(ns, [a] * len(ns)))
    want = [ref.erlang_c(n, a) for n in ns]
    assert_all_close(f"erlang_c A={a}", [f"n={n}" for n in ns], got, want)


@pytest.mark.parametrize("t", [0.0, 20.0, 60.0], ids=lambda t: f"t={t:g}")
@pytest.mark.parametrize("a", TRAFFIC, ids=lambda a: f"A={a:g}")
def test_service_level_grid(sp, a, t):
    aht = 180.0
    ns = agent_grid(a)
    k = len(ns)
    got = as_list(sp.service_level(ns, [a] * k, [aht] * k, [t] * k))
    want = [ref.service_level(n, a, aht, t) for n in ns]
    assert_all_close(f"service_level A={a} aht={aht} t={t}",
                     [f"n={n}" for n in ns], got, want)


@pytest.mark.parametrize("aht", [180.0, 300.0], ids=lambda h: f"aht={h:g}")
@pytest.mark.parametrize("a", TRAFFIC, ids=lambda a: f"A={a:g}")
def test_asa_grid(sp, a, aht):
    ns = agent_grid(a)
    k = len(ns)
    got = as_list(sp.asa(ns, [a] * k, [aht] * k))
    want = [ref.asa(n, a, aht) for n in ns]
    assert_all_close(f"asa A={a} aht={aht}", [f"n={n}" for n in ns], got, want)


@pytest.mark.parametrize("a", TRAFFIC, ids=lambda a: f"A={a:g}")
def test_occupancy_grid(sp, a):
    ns = [n for n in agent_grid(a) if n > a]
    got = as_list(sp.occupancy(ns, [a] * len(ns)))
    want = [ref.occupancy(n, a) for n in ns]
    assert_all_close(f"occupancy A={a}", [f"n={n}" for n in ns], got, want)


@pytest.mark.parametrize("a", [0.01, 1.0, 10.0, 100.0, 1000.0, 10000.0, 2.5, 37.25],
                         ids=lambda a: f"A={a:g}")
def test_scalar_calls_give_floats_matching_reference(sp, a):
    aht, t = 180.0, 20.0
    for n in sorted({1, math.floor(a) + 1, math.ceil(a + math.sqrt(a)) + 1,
                     math.ceil(a + 3 * math.sqrt(a)) + 2}):
        case = f"n={n} A={a} aht={aht} t={t}"
        results = {
            "erlang_c": (sp.erlang_c(n, a), ref.erlang_c(n, a)),
            "service_level": (sp.service_level(n, a, aht, t),
                              ref.service_level(n, a, aht, t)),
            "asa": (sp.asa(n, a, aht), ref.asa(n, a, aht)),
            "occupancy": (sp.occupancy(n, a), ref.occupancy(n, a)),
        }
        for name, (got, want) in results.items():
            assert type(got) is float, f"{name}({case}) returned {type(got).__name__}"
            assert close(got, want), f"{name}({case}) = {got!r}, reference {float(want)!r}"


# ----------------------------------------------------------------------
# Worked example and special regimes
# ----------------------------------------------------------------------


def test_worked_example(sp):
    """design.md: 100 calls / 30 min, AHT 180 s, 80% in 20 s."""
    a = 100 * 180 / 1800
    sl14 = sp.service_level(14, a, 180, 20)
    sl13 = sp.service_level(13, a, 180, 20)
    pw14 = sp.erlang_c(14, a)
    asa14 = sp.asa(14, a, 180)
    occ14 = sp.occupancy(14, a)
    assert round(sl14 * 100, 2) == 88.84, f"SL(14) = {sl14!r}, expected 88.84%"
    assert round(pw14 * 100, 2) == 17.41, f"P(wait)(14) = {pw14!r}, expected 17.41%"
    assert round(asa14, 2) == 7.84, f"ASA(14) = {asa14!r}, expected 7.84 s"
    assert round(occ14 * 100, 1) == 71.4, f"occupancy(14) = {occ14!r}, expected 71.4%"
    assert round(sl13 * 100, 2) == 79.56, f"SL(13) = {sl13!r}, expected 79.56%"


@pytest.mark.parametrize("n,a", [(0, 1.0), (1, 1.0), (5, 10.0), (10, 10.0), (9, 9.5),
                                 (100, 100.0), (0, 0.01), (10000, 10000.0),
                                 (9000, 10000.0)],
                         ids=lambda v: repr(v))
def test_unstable_queue_semantics(sp, n, a):
    """n <= A: P(wait) 1, service level 0, ASA +inf (design.md section 2)."""
    case = f"n={n} A={a}"
    c = sp.erlang_c(n, a)
    sl = sp.service_level(n, a, 180.0, 20.0)
    w = sp.asa(n, a, 180.0)
    assert c == 1.0, f"erlang_c({case}) = {c!r}, expected 1"
    assert sl == 0.0, f"service_level({case}) = {sl!r}, expected 0"
    assert w == math.inf, f"asa({case}) = {w!r}, expected inf"


@pytest.mark.parametrize("n,a", [(1, 1.0), (5, 10.0), (9, 9.5), (0, 3.0)],
                         ids=lambda v: repr(v))
def test_occupancy_capped_at_one_when_unstable(sp, n, a):
    """staffplan.h: for n <= A occupancy is reported as 1."""
    occ = sp.occupancy(n, a)
    assert occ == 1.0, f"occupancy(n={n}, A={a}) = {occ!r}, expected 1"


@pytest.mark.parametrize("n", [1, 2, 5, 100], ids=lambda n: f"n={n}")
def test_zero_traffic(sp, n):
    """A = 0: P(wait) 0, SL 1, ASA 0, occupancy 0."""
    case = f"n={n} A=0"
    assert sp.erlang_c(n, 0.0) == 0.0, f"erlang_c({case}) = {sp.erlang_c(n, 0.0)!r}"
    assert sp.service_level(n, 0.0, 180.0, 20.0) == 1.0, (
        f"service_level({case}) = {sp.service_level(n, 0.0, 180.0, 20.0)!r}")
    assert sp.service_level(n, 0.0, 180.0, 0.0) == 1.0, (
        f"service_level({case}, t=0) = {sp.service_level(n, 0.0, 180.0, 0.0)!r}")
    assert sp.asa(n, 0.0, 180.0) == 0.0, f"asa({case}) = {sp.asa(n, 0.0, 180.0)!r}"
    assert sp.occupancy(n, 0.0) == 0.0, f"occupancy({case}) = {sp.occupancy(n, 0.0)!r}"


def test_zero_traffic_zero_agents(sp):
    """staffplan.h: 'With a = 0: P(wait) 0, SL 1, ASA 0, occupancy 0' (also n = 0)."""
    got = (sp.erlang_c(0, 0.0), sp.service_level(0, 0.0, 180.0, 20.0),
           sp.asa(0, 0.0, 180.0), sp.occupancy(0, 0.0))
    assert got == (0.0, 1.0, 0.0, 0.0), f"n=0 A=0: (C, SL, ASA, occ) = {got!r}"


def test_huge_traffic_has_no_overflow(sp):
    """1e5 Erlangs: finite, in range, agrees with the reference."""
    a = 1e5
    for n in (100_001, 100_316, 101_000):
        c = sp.erlang_c(n, a)
        assert close(c, ref.erlang_c(n, a)), f"erlang_c(n={n}, A={a}) = {c!r}"


@pytest.mark.parametrize("a", [math.nextafter(10.0, 0.0), math.nextafter(100.0, 0.0),
                               math.nextafter(10000.0, 0.0), math.nextafter(1.0, 2.0),
                               1e-300, 5e-324, 1e-20, 0.5, 100000.5],
                         ids=lambda a: f"A={a!r}")
def test_edge_traffic(sp, a):
    """Traffic one ulp from an integer, subnormal, tiny and huge."""
    aht, t = 180.0, 20.0
    bad = []
    for n in sorted({0, 1, 2, math.floor(a), math.floor(a) + 1, math.floor(a) + 2,
                     math.ceil(a + math.sqrt(a)) + 3}):
        for name, got, want in (
                ("erlang_c", sp.erlang_c(n, a), ref.erlang_c(n, a)),
                ("service_level", sp.service_level(n, a, aht, t),
                 ref.service_level(n, a, aht, t)),
                ("asa", sp.asa(n, a, aht), ref.asa(n, a, aht)),
                ("occupancy", sp.occupancy(n, a), ref.occupancy(n, a))):
            if not close(got, want):
                bad.append(f"{name}(n={n}, A={a!r}) = {got!r}, reference {float(want)!r}")
    assert not bad, "; ".join(bad)


def test_random_traffic_and_agents(sp):
    """300 random (A, n, aht, t), A log-uniform in 0.01..10,000 Erlangs."""
    rng = random.Random(1)
    bad = []
    for _ in range(300):
        a = 10.0 ** rng.uniform(-2.0, 4.0)
        n = max(0, int(a + rng.uniform(-1.0, 6.0) * math.sqrt(a) + rng.randint(0, 3)))
        aht = rng.choice([30.0, 180.0, 600.0])
        t = rng.choice([0.0, 10.0, 20.0, 60.0])
        for name, got, want in (
                ("erlang_c", sp.erlang_c(n, a), ref.erlang_c(n, a)),
                ("service_level", sp.service_level(n, a, aht, t),
                 ref.service_level(n, a, aht, t)),
                ("asa", sp.asa(n, a, aht), ref.asa(n, a, aht))):
            if not close(got, want):
                bad.append(f"{name}(n={n}, A={a!r}, aht={aht}, t={t}) = {got!r}, "
                           f"reference {float(want)!r}")
    assert not bad, f"{len(bad)} mismatches: " + "; ".join(bad[:8])


# ----------------------------------------------------------------------
# Broadcasting
# ----------------------------------------------------------------------


def test_broadcast_sequence_with_scalar(sp):
    ns = [11, 12, 13, 14, 15]
    got = sp.erlang_c(ns, 10.0)
    assert len(got) == len(ns), f"erlang_c({ns}, 10.0) has length {len(got)}"
    assert_all_close("erlang_c(list, scalar)", [f"n={n}" for n in ns], as_list(got),
                     [ref.erlang_c(n, 10.0) for n in ns])
    traffic = [5.0, 9.0, 13.99, 0.0]
    got = sp.erlang_c(14, traffic)
    assert len(got) == len(traffic)
    assert_all_close("erlang_c(scalar, list)", [f"A={a}" for a in traffic], as_list(got),
                     [ref.erlang_c(14, a) for a in traffic])
    ts = [0.0, 20.0, 60.0]
    got = sp.service_level(14, 10.0, 180.0, ts)
    assert_all_close("service_level(.., list t)", [f"t={t}" for t in ts], as_list(got),
                     [ref.service_level(14, 10.0, 180.0, t) for t in ts])
    hs = [60.0, 180.0, 600.0]
    got = sp.asa([14, 15, 16], 10.0, hs)
    assert_all_close("asa(list n, scalar A, list aht)",
                     [f"n={n} aht={h}" for n, h in zip([14, 15, 16], hs)], as_list(got),
                     [ref.asa(n, 10.0, h) for n, h in zip([14, 15, 16], hs)])


def test_broadcast_tuple_and_numpy(sp):
    np = pytest.importorskip("numpy")
    ns = (12, 14, 20)
    a = np.array([10.0, 10.0, 15.5])
    got = sp.erlang_c(ns, a)
    assert len(got) == 3
    assert_all_close("erlang_c(tuple, ndarray)", [f"n={n} A={x}" for n, x in zip(ns, a)],
                     as_list(got), [ref.erlang_c(n, float(x)) for n, x in zip(ns, a)])
    got = sp.service_level(np.array(ns), a, 180.0, 20.0)
    assert_all_close("service_level(ndarray, ndarray)",
                     [f"n={n} A={x}" for n, x in zip(ns, a)], as_list(got),
                     [ref.service_level(n, float(x), 180.0, 20.0) for n, x in zip(ns, a)])


def test_numpy_scalars(sp):
    np = pytest.importorskip("numpy")
    got = sp.erlang_c(np.int64(14), np.float64(10.0))
    assert type(got) is float and close(got, ref.erlang_c(14, 10.0)), (
        f"erlang_c(np.int64(14), np.float64(10.0)) = {got!r}")
    got = sp.service_level(np.int32(14), np.float32(10.0), np.float64(180.0), 20)
    assert close(got, ref.service_level(14, 10.0, 180.0, 20.0)), (
        f"service_level(np.int32(14), np.float32(10), 180, 20) = {got!r}")


def test_broadcast_does_not_modify_inputs(sp):
    ns = [12, 14, 20]
    traffic = [10.0, 10.0, 15.5]
    sp.erlang_c(ns, traffic)
    sp.service_level(ns, traffic, 180.0, 20.0)
    assert ns == [12, 14, 20] and traffic == [10.0, 10.0, 15.5]


@pytest.mark.parametrize("call", [
    lambda sp: sp.erlang_c([1, 2, 3], [1.0, 2.0]),
    lambda sp: sp.service_level([14, 15], [10.0, 10.0], [180.0, 180.0, 180.0], 20.0),
    lambda sp: sp.asa([14, 15], [10.0, 10.0, 10.0], 180.0),
    lambda sp: sp.occupancy([14, 15, 16, 17], [10.0, 10.0]),
], ids=["erlang_c", "service_level", "asa", "occupancy"])
def test_mismatched_lengths_raise_value_error(sp, call):
    with pytest.raises(ValueError):
        call(sp)


# ----------------------------------------------------------------------
# Bad input
# ----------------------------------------------------------------------


def _has_index(message, index):
    return re.search(rf"(?<![0-9.]){index}(?![0-9.])", message) is not None


BAD_TRAFFIC = [-1.0, float("nan"), float("inf"), -float("inf")]


@pytest.mark.parametrize("bad", BAD_TRAFFIC, ids=repr)
@pytest.mark.parametrize("func", ["erlang_c", "service_level", "asa", "occupancy"])
def test_bad_traffic_in_sequence(sp, func, bad):
    traffic = [1.0, 2.0, 3.0, bad, 5.0]
    ns = [10, 10, 10, 10, 10]
    extra = {"erlang_c": (), "occupancy": (), "asa": (180.0,),
             "service_level": (180.0, 20.0)}[func]
    with pytest.raises(ValueError) as info:
        getattr(sp, func)(ns, traffic, *extra)
    msg = str(info.value)
    assert "traffic" in msg and _has_index(msg, 3), (
        f"{func} with traffic[3]={bad!r}: message {msg!r} should name 'traffic' and index 3")


@pytest.mark.parametrize("bad", BAD_TRAFFIC, ids=repr)
def test_bad_scalar_traffic(sp, bad):
    with pytest.raises(ValueError) as info:
        sp.erlang_c(10, bad)
    assert "traffic" in str(info.value), f"erlang_c(10, {bad!r}): {info.value!r}"


@pytest.mark.parametrize("kwargs_name,call", [
    ("agents", lambda sp: sp.erlang_c([5, 5, 5, -1], [1.0, 1.0, 1.0, 1.0])),
    ("aht", lambda sp: sp.asa([5] * 4, [1.0] * 4, [180.0, 180.0, 180.0, -180.0])),
    ("aht", lambda sp: sp.asa([5] * 4, [1.0] * 4, [180.0, 180.0, 180.0, 0.0])),
    ("aht", lambda sp: sp.service_level([5] * 4, [1.0] * 4,
                                        [180.0, 180.0, 180.0, float("nan")], 20.0)),
    ("answer_time", lambda sp: sp.service_level([5] * 4, [1.0] * 4, 180.0,
                                                [20.0, 20.0, 20.0, -1.0])),
    ("answer_time", lambda sp: sp.service_level([5] * 4, [1.0] * 4, 180.0,
                                                [20.0, 20.0, 20.0, float("nan")])),
], ids=["agents-negative", "aht-negative", "aht-zero", "aht-nan",
        "answer_time-negative", "answer_time-nan"])
def test_bad_other_arguments_name_field_and_index(sp, kwargs_name, call):
    with pytest.raises(ValueError) as info:
        call(sp)
    msg = str(info.value)
    assert kwargs_name in msg and _has_index(msg, 3), (
        f"bad {kwargs_name} at index 3: message {msg!r}")


@pytest.mark.parametrize("call", [
    lambda sp: sp.erlang_c(10, "5"),
    lambda sp: sp.erlang_c("10", 5.0),
    lambda sp: sp.service_level(10, 5.0, "180", 20.0),
    lambda sp: sp.erlang_c(10, {"traffic": 5.0}),
    lambda sp: sp.erlang_c([10, 11], [5.0, "x"]),
], ids=["str-traffic", "str-agents", "str-aht", "dict-traffic", "str-element"])
def test_wrong_types_raise_type_error(sp, call):
    with pytest.raises(TypeError):
        call(sp)


# ----------------------------------------------------------------------
# Erlang A against the brute-force chain
# ----------------------------------------------------------------------

ERLANG_A_CASES = [
    # n, A, aht, patience, answer_time
    (14, 10.0, 180.0, 60.0, 20.0),
    (10, 10.0, 180.0, 120.0, 20.0),
    (8, 10.0, 180.0, 300.0, 20.0),
    (0, 5.0, 180.0, 60.0, 20.0),
    (12, 10.0, 300.0, 600.0, 0.0),
    (15, 10.0, 180.0, 30.0, 60.0),
    (40, 40.0, 180.0, 180.0, 20.0),
    (55, 50.0, 240.0, 100.0, 30.0),
    (45, 50.0, 180.0, 1000.0, 20.0),
    (30, 40.0, 180.0, 60.0, 20.0),
    (1, 0.01, 180.0, 60.0, 20.0),
    (1, 2.0, 180.0, 90.0, 600.0),
    (3, 1.0, 180.0, 1e6, 20.0),
    (5, 1.0, 60.0, 5.0, 10.0),
    (20, 25.0, 180.0, 3600.0, 20.0),
    (60, 50.0, 180.0, 20.0, 5.0),
    (1000, 1000.0, 180.0, 60.0, 20.0),
    (980, 1000.0, 300.0, 120.0, 30.0),
    (9000, 10000.0, 180.0, 60.0, 20.0),
]


@pytest.mark.parametrize("n,a,aht,patience,t", ERLANG_A_CASES,
                         ids=[f"n={c[0]}-A={c[1]:g}-aht={c[2]:g}-p={c[3]:g}-t={c[4]:g}"
                              for c in ERLANG_A_CASES])
def test_erlang_a_against_chain(sp, n, a, aht, patience, t):
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    got = sp.erlang_a(n, a, aht, patience, t)
    want = ref.erlang_a(n, a, aht, patience, t)
    case = f"erlang_a(n={n}, A={a}, aht={aht}, patience={patience}, t={t})"
    for field in ("p_wait", "p_abandon", "service_level", "asa", "occupancy"):
        value = getattr(got, field)
        if want[field] is None:  # occupancy with no agents is not defined
            continue
        assert type(value) is float, f"{case}.{field} is {type(value).__name__}"
        assert math.isclose(value, want[field], rel_tol=1e-7, abs_tol=1e-7), (
            f"{case}.{field} = {value!r}, brute force {want[field]!r}")


def test_erlang_a_random_cases(sp):
    """40 random (n, A, aht, patience, t) with A up to 50, n from far below to above A."""
    pytest.importorskip("numpy")
    pytest.importorskip("scipy")
    rng = random.Random(3)
    bad = []
    for _ in range(40):
        a = 10.0 ** rng.uniform(-2.0, math.log10(50.0))
        n = max(0, int(a + rng.uniform(-3.0, 4.0) * math.sqrt(a) + rng.randint(-1, 3)))
        aht = rng.choice([30.0, 180.0, 600.0])
        patience = 10.0 ** rng.uniform(0.5, 3.5)
        t = rng.choice([0.0, 10.0, 20.0, 60.0, 300.0])
        got = sp.erlang_a(n, a, aht, patience, t)
        want = ref.erlang_a(n, a, aht, patience, t)
        for field in ("p_wait", "p_abandon", "service_level", "asa", "occupancy"):
            if want[field] is None:
                continue
            value = getattr(got, field)
            if not math.isclose(value, want[field], rel_tol=1e-7, abs_tol=1e-7):
                bad.append(f"erlang_a(n={n}, A={a!r}, aht={aht}, patience={patience!r}, "
                           f"t={t}).{field} = {value!r}, brute force {want[field]!r}")
    assert not bad, f"{len(bad)} mismatches: " + "; ".join(bad[:8])


def test_erlang_a_zero_traffic(sp):
    got = sp.erlang_a(5, 0.0, 180.0, 60.0, 20.0)
    values = tuple(getattr(got, f) for f in
                   ("p_wait", "p_abandon", "service_level", "asa", "occupancy"))
    assert values == (0.0, 0.0, 1.0, 0.0, 0.0), f"erlang_a(5, A=0): {values!r}"


@pytest.mark.parametrize("patience", [0.0, -1.0, float("nan")], ids=repr)
def test_erlang_a_bad_patience(sp, patience):
    with pytest.raises(ValueError) as info:
        sp.erlang_a(10, 5.0, 180.0, patience, 20.0)
    assert "patience" in str(info.value), f"patience={patience!r}: {info.value!r}"


def test_an_element_whose_float_resizes_the_list_cannot_crash_the_reader(sp):
    # __float__ may run any code; the reader converts a snapshot of the list.
    items = []

    class Shrinker:
        def __float__(self):
            items.clear()
            items.extend([object()] * 3)
            return 1.0

    items[:] = [Shrinker(), 2.0, 3.0, 4.0] * 100
    got = list(sp.erlang_b(items, 10.0))
    assert len(got) == 400
    assert got[1] == pytest.approx(float(ref.erlang_b(2, 10.0)), rel=1e-12)


def test_erlang_a_above_its_load_limit_is_refused_not_garbage(sp):
    with pytest.raises(ValueError, match="patience"):
        sp.erlang_a(10, 1e9, 1.0, 1e6, 20.0)
    with pytest.raises(ValueError, match="patience.*index 1"):
        sp.erlang_a([10, 10], [1.0, 1e9], 1.0, 1e6)


def test_erlang_a_with_no_agents_is_saturated(sp):
    m = sp.erlang_a(0, 5.0, 180.0, 60.0, 20.0)
    assert m.occupancy == 1.0 and m.p_abandon == pytest.approx(1.0) and m.service_level == 0.0


def test_erlang_a_traffic_underflowing_with_patience_stays_consistent(sp):
    # traffic * patience / aht underflows to 0: the figures must still be
    # finite and consistent (P(wait) ~ traffic, nobody left to abandon).
    m = sp.erlang_a(1, 1e-200, 1.0, 1e-200, 0.0)
    assert 0.0 <= m.p_abandon <= m.p_wait <= 2e-200
    assert m.service_level == pytest.approx(1.0)
