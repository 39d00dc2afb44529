"""Hostile input: each row is what a user passes and the exact error they see.

Every row names the exception class (exactly, not a base class) and a
fragment of the message, so a change of wording or of class is a visible
decision.  The second half checks that inputs passed in (lists, numpy
arrays, array.array, pandas Series, problem dicts) are never modified.

"""
import array
import copy
import json
import os
import subprocess
import sys
import time

import pytest

from test_schedule import hand_problem

np = pytest.importorskip("numpy")

NAN, INF = float("nan"), float("inf")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _raises(sp, call, exc_name, fragment, case):
    """Runs call(); asserts the exact exception class name and fragment."""
    try:
        result = call()
    except BaseException as e:  # noqa: BLE001 - the class is the point
        got = type(e).__name__
        assert got == exc_name, f"{case}: raised {got}({e}), expected {exc_name}"
        assert fragment in str(e), f"{case}: message {str(e)!r} lacks {fragment!r}"
        if isinstance(e, sp.InputError):
            assert isinstance(e, ValueError), case
            assert hasattr(e, "field") and hasattr(e, "index"), f"{case}: no .field/.index"
        return e
    raise AssertionError(f"{case}: returned {result!r}, expected {exc_name}")


# --------------------------------------------------------------------------
# requirements: (id, positional volume, aht, keyword arguments, class, fragment)
# --------------------------------------------------------------------------

REQ = [
    ("volume-nan", [1, NAN], 180, {}, "InputError",
     "volume[1] must be a finite number of contacts >= 0, got nan"),
    ("volume-inf", [INF], 180, {}, "InputError", "volume[0] must be a finite number"),
    ("volume--inf", [3, 4, -INF], 180, {}, "InputError", "volume[2] must be a finite"),
    ("volume-negative", [5, -1], 180, {}, "InputError", "volume[1] must be a finite number "
     "of contacts >= 0, got -1"),
    ("volume-1e308", [1e308], 180, {}, "InputError",
     "volume[0] gives inf Erlangs of traffic, above the 1e+09 supported"),
    ("volume-traffic-2e9", [1e10], 180, {}, "InputError", "above the 1e+09 supported"),
    ("volume-10**400", [1, 10**400], 180, {}, "ValueError",
     "volume[1] is too large: beyond the float range (1.8e308)"),
    ("volume-10**5000", [10**5000], 180, {}, "ValueError",  # past int-to-str limit
     "volume[0] is too large: beyond the float range"),
    ("volume-str", "123", 180, {}, "TypeError",
     "volume must be a number or a sequence of numbers, not str"),
    ("volume-bytes", b"12", 180, {}, "TypeError", "not bytes"),
    ("volume-bytearray", bytearray(b"12"), 180, {}, "TypeError", "not bytearray"),
    ("volume-dict", {0: 1}, 180, {}, "TypeError", "not dict"),
    ("volume-None", None, 180, {}, "TypeError", "not NoneType"),
    ("volume-scalar", 5, 180, {}, "TypeError",
     "volume must be a sequence of contacts per interval, not a single number"),
    ("volume-item-None", [1, None], 180, {}, "TypeError",
     "volume[1] must be a number, not NoneType"),
    ("volume-item-str", ["1"], 180, {}, "TypeError", "volume[0] must be a number, not str"),
    ("volume-item-bool", [1, True], 180, {}, "TypeError", "volume[1] must be a number, not bool"),
    ("volume-item-complex", [1, 2j], 180, {}, "TypeError", "volume[1] must be a number"),
    ("volume-nested", [[1, 2]], 180, {}, "TypeError", "volume[0] must be a number, not list"),
    ("volume-np-2d", np.ones((2, 2)), 180, {}, "TypeError",
     "volume[0] must be a number, not numpy.ndarray"),
    ("volume-np-complex", np.array([1 + 1j, 2]), 180, {}, "TypeError",
     "volume must hold real numbers, not complex values"),
    ("volume-np-complex-strided", np.array([1 + 1j, 2, 3, 4])[::2], 180, {}, "TypeError",
     "volume[0] must be a number, not numpy.complex128"),
    ("volume-np-bool", np.array([True, False]), 180, {}, "TypeError",
     "volume must hold real numbers, not boolean values"),
    ("volume-np-str", np.array(["1", "2"]), 180, {}, "TypeError", "volume[0] must be a number"),
    ("volume-np-0d", np.array(5.0), 180, {}, "TypeError", "not a single number"),
    ("aht-zero", [1, 2], 0, {}, "InputError", "aht[0] must be a finite number of seconds > 0, "
     "got 0"),
    ("aht-negative", [1, 2], [180, -5], {}, "InputError", "aht[1] must be a finite number of "
     "seconds > 0, got -5"),
    ("aht-nan", [1], NAN, {}, "InputError", "aht[0] must be a finite number of seconds > 0"),
    ("aht-inf", [1], INF, {}, "InputError", "got inf"),
    ("aht-10**400", [1], 10**400, {}, "ValueError",
     "aht is too large: beyond the float range (1.8e308)"),
    ("aht-length", [1, 2, 3], [180, 180], {}, "InputError",
     "aht must be one number or one value per interval (3), got 2 values"),
    ("aht-empty", [1], [], {}, "InputError", "one value per interval (1), got 0 values"),
    ("aht-str", [1], "180", {}, "TypeError", "aht must be a number or a sequence"),
    ("shrinkage-one", [1], 180, {"shrinkage": 1.0}, "InputError",
     "shrinkage[0] must be a fraction in [0, 1), got 1"),
    ("shrinkage-negative", [1], 180, {"shrinkage": -0.1}, "InputError", "got -0.1"),
    ("shrinkage-nan", [1], 180, {"shrinkage": [NAN]}, "InputError", "shrinkage[0] must be a "
     "fraction"),
    ("shrinkage-length", [1, 2], 180, {"shrinkage": [0.1, 0.2, 0.3]}, "InputError",
     "shrinkage must be one number or one value per interval (2), got 3 values"),
    ("interval-zero", [1], 180, {"interval": 0}, "InputError",
     "interval must be a positive number of seconds, got 0"),
    ("interval-negative", [1], 180, {"interval": -900}, "InputError", "got -900"),
    ("interval-inf", [1], 180, {"interval": INF}, "InputError", "got inf"),
    ("interval-nan", [1], 180, {"interval": NAN}, "InputError",
     "interval must be a number, got nan"),
    ("interval-10**400", [1], 180, {"interval": 10**400}, "InputError",
     "interval is too large: an int of 1329 bits"),
    ("interval-str", [1], 180, {"interval": "900"}, "TypeError",
     "interval must be a number of seconds, not str"),
    ("interval-None", [1], 180, {"interval": None}, "TypeError", "not NoneType"),
    ("sl-one", [1], 180, {"service_level": 1.0}, "InputError",
     "service_level 1 cannot be reached"),
    ("sl-above", [1], 180, {"service_level": 1.5}, "InputError",
     "service_level must be a fraction in [0, 1), got 1.5"),
    ("sl-negative", [1], 180, {"service_level": -0.1}, "InputError", "got -0.1"),
    ("sl-nan", [1], 180, {"service_level": NAN}, "InputError",
     "service_level must be a number, got nan"),
    ("sl-10**400", [1], 180, {"service_level": 10**400}, "InputError",
     "service_level is too large"),
    ("sl-str", [1], 180, {"service_level": "0.8"}, "TypeError",
     "service_level must be a number or None, not str"),
    ("answer-time-negative", [1], 180, {"answer_time": -1}, "InputError",
     "answer_time must be a finite number of seconds >= 0, got -1"),
    ("answer-time-inf", [1], 180, {"answer_time": INF}, "InputError", "got inf"),
    ("answer-time-None", [1], 180, {"answer_time": None}, "TypeError",
     "answer_time must be a number of seconds, not None"),
    ("asa-zero", [1], 180, {"asa": 0}, "InputError", "an average wait of 0 cannot be reached"),
    ("asa-negative", [1], 180, {"asa": -3}, "InputError", "got -3"),
    ("asa-inf", [1], 180, {"asa": INF}, "InputError", "got inf"),
    ("occupancy-zero", [1], 180, {"max_occupancy": 0}, "InputError",
     "max_occupancy must be a fraction in (0, 1], got 0"),
    ("occupancy-above", [1], 180, {"max_occupancy": 1.01}, "InputError", "got 1.01"),
    ("patience-zero", [1], 180, {"patience": 0}, "InputError",
     "patience must be a finite number of seconds > 0, got 0"),
    ("patience-inf", [1], 180, {"patience": INF}, "InputError", "got inf"),
    ("patience-1e300", [1, 100], 180, {"patience": 1e300}, "InputError",
     "contacts per mean patience, above the 1e+12 Erlang A supports"),
    ("abandon-without-patience", [1], 180, {"max_abandon": 0.1}, "InputError",
     "max_abandon needs patience"),
    ("abandon-zero", [1], 180, {"patience": 60, "max_abandon": 0}, "InputError",
     "no abandons at all cannot be guaranteed"),
    ("abandon-above", [1], 180, {"patience": 60, "max_abandon": 2}, "InputError", "got 2"),
    ("min-agents-negative", [1], 180, {"min_agents": -1}, "InputError",
     "min_agents must be an integer in [0, 1000000000], got -1"),
    ("min-agents-10**400", [1], 180, {"min_agents": 10**400}, "InputError",
     "min_agents must be an integer in [0, 1000000000]"),
    ("min-agents-fraction", [1], 180, {"min_agents": 1.5}, "TypeError",
     "min_agents must be an int, not float"),
    ("min-agents-nan", [1], 180, {"min_agents": NAN}, "TypeError", "not float"),
    ("min-agents-str", [1], 180, {"min_agents": "3"}, "TypeError", "not str"),
    ("threads-zero", [1], 180, {"threads": 0}, "InputError", "threads must be between 1 and 1024"),
    ("threads-huge", [1], 180, {"threads": 10**400}, "InputError",
     "threads must be between 1 and 1024"),
    ("threads-float", [1], 180, {"threads": 2.0}, "TypeError",
     "threads must be an int or None, not float"),
    ("threads-bool", [1], 180, {"threads": True}, "TypeError", "not bool"),
]


def _show(x, width=60):
    """repr() cut to width; ints past the int-to-str limit shown by size."""
    try:
        text = repr(x)
    except ValueError:
        text = f"<{type(x).__name__} beyond the int-to-str limit>"
    return text[:width]


@pytest.mark.parametrize("volume,aht,kw,exc,fragment", [r[1:] for r in REQ],
                         ids=[r[0] for r in REQ])
def test_requirements_hostile_row(sp, volume, aht, kw, exc, fragment):
    case = f"requirements({_show(volume)}, {_show(aht, 40)}, **{_show(kw, 80)})"
    _raises(sp, lambda: sp.requirements(volume, aht, **kw), exc, fragment, case)


def test_empty_volume_is_an_empty_plan_not_an_error(sp):
    for empty in ([], (), np.array([], dtype=float), array.array("d")):
        r = sp.requirements(empty, 180)
        assert len(r) == 0 and list(r.heads) == [] and r.agent_hours == 0, repr(empty)


def test_errors_raised_while_iterating_reach_the_caller_unchanged(sp):
    """The binding rewords "not a sequence" only; an exception raised by the
    caller's own object (KeyboardInterrupt, MemoryError, RuntimeError) is not
    turned into a TypeError."""
    class Exploding:
        def __len__(self):
            return 3

        def __getitem__(self, i):
            raise RuntimeError("sensor feed lost")

    def interrupted():
        yield 1.0
        raise KeyboardInterrupt

    class BadFloat:
        def __float__(self):
            raise ZeroDivisionError("no float today")

    class LenInterrupted:
        def __len__(self):
            raise KeyboardInterrupt

        def __getitem__(self, i):
            return 1.0

    cases = [(Exploding(), RuntimeError, "sensor feed lost"),
             (LenInterrupted(), KeyboardInterrupt, ""),
             (interrupted(), KeyboardInterrupt, ""),
             ([1.0, BadFloat()], ZeroDivisionError, "no float today")]
    for volume, exc, fragment in cases:
        with pytest.raises(exc) as info:
            sp.requirements(volume, 180)
        assert type(info.value) is exc, f"{volume!r}: {info.value!r}"
        assert fragment in str(info.value), f"{volume!r}: {info.value!r}"


# --------------------------------------------------------------------------
# Absurd sizes: refused before anything that size is allocated or iterated.
# --------------------------------------------------------------------------

class ClaimsHuge:
    """A sequence claiming `n` items; only ten exist."""

    def __init__(self, n):
        self.n = n
        self.touched = 0

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        self.touched += 1
        if i >= 10:
            raise IndexError(i)
        return 1.0


@pytest.mark.parametrize("n,fragment", [
    (10**10, "volume has 10000000000 values; at most 2147483647 are accepted"),
    (2**31, "volume has 2147483648 values"),
    (10**20, "volume claims more values than fit in memory"),
], ids=["1e10", "2**31", "1e20"])
def test_absurd_claimed_length_fails_fast_without_iterating(sp, n, fragment):
    fake = ClaimsHuge(n)
    t0 = time.perf_counter()
    e = _raises(sp, lambda: sp.requirements(fake, 180), "ValueError", fragment, f"len={n}")
    print(f"len {n}: {type(e).__name__} after {time.perf_counter() - t0:.4f} s")
    assert fake.touched == 0, f"len={n}: {fake.touched} items were read before refusing"


def test_absurd_length_in_erlang_functions_fails_fast(sp):
    fake = ClaimsHuge(10**12)
    _raises(sp, lambda: sp.erlang_c(fake, 10.0), "ValueError",
            "agents has 1000000000000 values", "erlang_c(len 1e12, 10)")
    assert fake.touched == 0


def test_more_intervals_than_memory_is_memory_error_before_allocating(sp):
    """numpy.zeros lends pages lazily, so a volume bigger than this machine's
    memory can exist; its outputs (88 bytes per interval) cannot."""
    try:
        phys = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        pytest.skip("no physical memory figure on this platform")
    n = int(phys / 88 * 1.05) + 1
    if n > 2**31 - 1:
        pytest.skip(f"{n} intervals are above the count limit on this machine")
    volume = np.zeros(n, dtype=np.int8)  # n bytes, untouched
    t0 = time.perf_counter()
    _raises(sp, lambda: sp.requirements(volume, 180), "MemoryError",
            f"requirements for {n} intervals need", f"np.zeros({n}, int8)")
    print(f"{n} intervals refused after {time.perf_counter() - t0:.4f} s")


def test_a_billion_intervals_of_requirements_is_memory_error_before_allocating(sp):
    """10^9 intervals need 88 GB of arrays; the int8 input (1 GB, lent
    lazily by the kernel) is refused by its length, never read."""
    phys = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if phys >= 88 * 10**9:
        pytest.skip("this machine could hold a billion intervals")
    volume = np.zeros(10**9, dtype=np.int8)
    t0 = time.perf_counter()
    _raises(sp, lambda: sp.requirements(volume, 180), "MemoryError",
            "requirements for 1000000000 intervals need 88.0 GB", "np.zeros(1e9, int8)")
    print(f"1e9 intervals refused after {time.perf_counter() - t0:.4f} s")


# --------------------------------------------------------------------------
# Absurd schedule sizes: refused by their length, before anything is read,
# copied or allocated (the core's limits are staffplan.h's
# SP_SCHEDULE_MAX_INTERVALS, SP_SCHEDULE_MAX_SHIFTS and SP_SCHEDULE_MAX_MODEL).
# --------------------------------------------------------------------------

MAX_INTERVALS, MAX_SHIFTS, MAX_MODEL = 50_000_000 // 4, 1_000_000, 50_000_000


def _timed(sp, call, exc, fragment, case):
    t0 = time.perf_counter()
    e = _raises(sp, call, exc, fragment, case)
    print(f"{case}: {type(e).__name__} after {time.perf_counter() - t0:.4f} s")
    return e


def test_schedule_limits_are_the_documented_ones(sp):
    core = sp._core
    assert (core.SCHEDULE_MAX_INTERVALS, core.SCHEDULE_MAX_SHIFTS, core.SCHEDULE_MAX_MODEL,
            core.SCHEDULE_MAX_BREAKS) == (MAX_INTERVALS, MAX_SHIFTS, MAX_MODEL, 8)


def test_a_billion_intervals_of_schedule_fail_fast(sp):
    p = hand_problem()
    p["interval_minutes"] = 15
    p["days"] = days = 10**9 // 96 + 1
    p["demand"]["required"] = ClaimsHuge(days * 96)
    e = _timed(sp, lambda: sp.solve(p), "InputError",
               f"days: {days} days of 15-minute intervals are {days * 96} intervals; "
               f"at most {MAX_INTERVALS} are supported", "days=10416667")
    assert e.field == "days" and p["demand"]["required"].touched == 0


def test_a_required_list_claiming_a_billion_values_is_not_read(sp):
    p = hand_problem()
    p["demand"]["required"] = fake = ClaimsHuge(10**9)
    _timed(sp, lambda: sp.solve(p), "InputError",
           "demand.required: must hold one value per interval (24), got 1000000000",
           "required of len 1e9")
    assert fake.touched == 0
    p = hand_problem()
    p["demand"] = {"forecast": {"volume": fake, "aht": 300}}
    _timed(sp, lambda: sp.solve(p), "InputError",
           "demand.forecast.volume: must hold one value per interval (24), got 1000000000",
           "forecast volume of len 1e9")
    assert fake.touched == 0


def test_ten_million_shifts_fail_fast(sp):
    p = hand_problem()
    shift = p["shifts"][0]
    p["shifts"] = [shift] * 10**7  # 80 MB of references to one dict
    _timed(sp, lambda: sp.solve(p), "InputError",
           f"shifts: 10000000 shifts are too many; at most {MAX_SHIFTS} are supported",
           "a list of 1e7 shifts")
    p["shifts"] = fake = ClaimsHuge(10**7)
    _timed(sp, lambda: sp.solve(p), "InputError", "shifts: 10000000 shifts are too many",
           "a sequence claiming 1e7 shifts")
    assert fake.touched == 0


def test_shifts_times_days_beyond_the_model_fail_before_validation(sp):
    p = hand_problem()
    p["days"] = 2000
    p["demand"]["required"] = [0] * (2000 * 24)
    p["shifts"] = [p["shifts"][0]] * 20_000  # not even valid (duplicate names)
    _timed(sp, lambda: sp.solve(p), "InputError",
           f"shifts: 20000 shifts on 2000 days make at least {2 * 20_000 * 2000} model "
           f"columns and nonzeros; at most {MAX_MODEL} are supported", "20000 shifts x 2000 days")


def test_ten_million_break_windows_fail_fast(sp):
    p = hand_problem()
    p["shifts"][0]["breaks"] = fake = ClaimsHuge(10**7)
    _timed(sp, lambda: sp.solve(p), "InputError",
           "shifts[0].breaks: at most 8 break windows, got 10000000", "1e7 breaks")
    assert fake.touched == 0


def test_core_refuses_absurd_sizes_before_copying(sp):
    """The binding's own guard, for callers of _core.schedule_solve."""
    args = (24, 60, False, [0.0] * 24, [], 1000.0, 0.0, 1.0, 0.0)
    core = sp._core
    fake = ClaimsHuge(10**9)
    e = _timed(sp, lambda: core.schedule_solve(10**9, *args[1:3], fake, *args[4:]),
               "InputError", f"1000000000 intervals are too many; at most {MAX_INTERVALS}",
               "_core.schedule_solve(1e9 intervals)")
    assert e.field == "intervals" and fake.touched == 0
    shifts = ClaimsHuge(10**7)
    e = _timed(sp, lambda: core.schedule_solve(*args[:4], shifts, *args[5:]), "InputError",
               f"10000000 shifts are too many; at most {MAX_SHIFTS} are supported",
               "_core.schedule_solve(1e7 shifts)")
    assert e.field == "shifts" and shifts.touched == 0


def test_heads_above_a_billion_are_refused_with_the_key_path(sp):
    p = hand_problem()
    p["demand"]["required"][3] = 2 * 10**9
    _timed(sp, lambda: sp.solve(p), "InputError",
           "demand.required[3]: must be <= 1000000000, got 2000000000", "required 2e9")
    # 9e8 contacts of 900 s per hour are 2.25e8 Erlangs; at shrinkage 0.9
    # that is over 2.25e9 heads.
    p = hand_problem()
    p["demand"] = {"forecast": {"volume": [9e8] * 24, "aht": 900, "shrinkage": 0.9}}
    _timed(sp, lambda: sp.solve(p), "InputError",
           "demand.forecast: needs 22500", "forecast of 2.25e9 heads")


def test_a_billion_heads_per_interval_still_solve(sp):
    """Counts are integers in the model, never people one by one: the hand
    instance scaled by k has the optimum 330 k (every shift count scales)."""
    from evaluate import check
    k = 5 * 10**8
    p = hand_problem()
    p["demand"]["required"] = [r * k for r in p["demand"]["required"]]
    t0 = time.perf_counter()
    r = sp.solve(p)
    print(f"hand instance x {k}: solved in {time.perf_counter() - t0:.3f} s")
    assert r["status"] == "optimal" and r["objective"] == pytest.approx(330 * k), r
    check(p, r)


def test_a_million_heads_before_the_lp_still_get_a_covering_plan(sp):
    """With a time limit shorter than the root LP the plan is a greedy
    construction; it used to add people one at a time (10^6 heads per
    interval: hours).  It must still cover every head (evaluator-checked)."""
    from evaluate import check
    from test_schedule import week_problem
    p = week_problem(time_limit=0.001)
    p["demand"]["required"] = [r * 10**6 for r in p["demand"]["required"]]
    t0 = time.perf_counter()
    r = sp.solve(p)
    print(f"week x 10^6 heads, 1 ms limit: {time.perf_counter() - t0:.3f} s")
    assert r["lp_bound"] is None and r["status"] == "feasible", r["status"]
    assert check(p, r)["under_staffing"] == 0


def test_templates_expanding_to_ten_million_shifts_fail_fast(sp):
    from staffplan.templates import expand
    day = {"name": "day", "first_start": "00:00", "last_start": "23:45", "step": 15,
           "lengths": list(range(15, 15 * 10**5 + 1, 15)), "cost_per_hour": 20}
    # 96 starts x 100,000 lengths: 9.6 million shifts.
    _timed(sp, lambda: expand([day]), "InputError",
           "templates[0].lengths: 96 starts x 100000 lengths give 9600000 shifts "
           f"(9600000 with the templates before); at most {MAX_SHIFTS} are supported",
           "template of 9.6e6 shifts")
    many = [dict(day, lengths=[480], name=f"t{i}") for i in range(104_200)]
    # 104,200 templates of 96 shifts each (10 million): the limit is passed
    # at template 10,416, and no shift is built before that is known.
    _timed(sp, lambda: expand(many), "InputError",
           "templates[10416].lengths: 96 starts x 1 lengths give 96 shifts "
           "(1000032 with the templates before)", "104200 templates of 96 shifts")
    _timed(sp, lambda: expand([day] * 10**7), "InputError",
           f"templates: 10000000 templates give more than the {MAX_SHIFTS} shifts",
           "1e7 templates")


def test_template_night_premium_of_a_huge_length_is_computed_not_walked(sp):
    """The night premium was counted minute by minute: a 10^12-minute
    length hung.  Whole days now count the window once each: 480 night
    minutes a day (22:00-06:00), so cost = 20 * L / 60 * (1 + 0.25 * 8 / 24)."""
    from staffplan.templates import expand
    length = 1440 * 10**9
    t = {"name": "long", "first_start": "22:00", "lengths": [length], "cost_per_hour": 20,
         "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25}}
    t0 = time.perf_counter()
    (shift,) = expand([t])
    print(f"night premium of a {length}-minute shift: {time.perf_counter() - t0:.4f} s")
    want = 20 * length / 60 + 0.25 * 20 * (480 * 10**9) / 60
    assert shift["cost"] == pytest.approx(want, rel=1e-12), (shift["cost"], want)
    # Part days too: 22:00 + 9 h covers 8 night hours; 22:00 + 30 h (to
    # 04:00 two days on) covers 8 + 6.
    for minutes, night in ((540, 480), (1800, 480 + 360)):
        (s,) = expand([dict(t, lengths=[minutes])])
        assert s["cost"] == pytest.approx(20 * minutes / 60 + 0.25 * 20 * night / 60), s


# --------------------------------------------------------------------------
# The formulas
# --------------------------------------------------------------------------

FORMULAS = [
    ("erlang_b-negative-agents", "erlang_b", (-1, 1.0), "InputError",
     "agents must be a whole number >= 0, got -1"),
    ("erlang_b-fraction-agents", "erlang_b", (1.5, 1.0), "InputError", "got 1.5"),
    ("erlang_b-huge-agents", "erlang_b", (1e300, 1.0), "InputError", "got 1e+300"),
    ("erlang_b-10**400", "erlang_b", (10**400, 1.0), "ValueError", "agents is too large"),
    ("erlang_c-nan-traffic", "erlang_c", (3, NAN), "InputError",
     "traffic must be a finite number of Erlangs in [0, 1e9], got nan"),
    ("erlang_c-traffic-2e9", "erlang_c", (3, 2e9), "InputError", "got 2e+09"),
    ("erlang_c-lengths", "erlang_c", ([1, 2], [1.0, 2.0, 3.0]), "ValueError",
     "traffic has 3 values but agents has 2"),
    ("erlang_c-item-index", "erlang_c", ([1, 2, -3], 1.0), "InputError",
     "agents[2] must be a whole number >= 0, got -3"),
    ("service_level-aht-zero", "service_level", (3, 1.0, 0.0, 20.0), "InputError",
     "aht must be a finite number > 0, got 0"),
    ("service_level-answer-negative", "service_level", (3, 1.0, 180, -1), "InputError",
     "answer_time must be a finite number >= 0, got -1"),
    ("asa-str", "asa", ("3", 1.0, 180), "TypeError", "agents must be a number or a sequence"),
    ("occupancy-bool", "occupancy", (True, 1.0), "TypeError", "not bool"),
    ("erlang_a-patience-zero", "erlang_a", (3, 1.0, 180, 0.0), "InputError",
     "patience must be a finite number > 0, got 0"),
    ("erlang_a-patience-1e300", "erlang_a", (0, 10.0, 180, 1e300), "InputError",
     "traffic * patience / aht must be at most 1e+12"),
    ("erlang_a-patience-1e300-seq", "erlang_a", ([5, 0], 10.0, 180, [60, 1e300]), "InputError",
     "at index 1"),
]


@pytest.mark.parametrize("name,args,exc,fragment", [r[1:] for r in FORMULAS],
                         ids=[r[0] for r in FORMULAS])
def test_formula_hostile_row(sp, name, args, exc, fragment):
    case = f"{name}{args!r:.100}"
    _raises(sp, lambda: getattr(sp, name)(*args), exc, fragment, case)


# --------------------------------------------------------------------------
# staffplan.solve on problem dicts
# --------------------------------------------------------------------------

def _set(*path_value):
    *path, value = path_value

    def edit(p):
        obj = p
        for key in path[:-1]:
            obj = obj[key]
        obj[path[-1]] = value
    return edit


def _forecast(**fc):
    def edit(p):
        p["demand"] = {"forecast": dict({"volume": [10] * 24, "aht": 300}, **fc)}
    return edit


SOLVE = [
    ("required-nan", _set("demand", "required", 3, NAN), "InputError",
     "demand.required[3]: must be a whole number, got nan"),
    ("required-inf", _set("demand", "required", 3, INF), "InputError",
     "demand.required[3]: must be a whole number, got inf"),
    ("required-negative", _set("demand", "required", 4, -1), "InputError",
     "demand.required[4]: must be >= 0, got -1"),
    ("required-1e308", _set("demand", "required", 3, 1e308), "InputError",
     "demand.required[3]: is too large"),
    ("required-10**400", _set("demand", "required", 3, 10**400), "InputError",
     "demand.required[3]: is too large"),
    ("required-str", _set("demand", "required", 3, "2"), "InputError",
     "demand.required[3]: must be a whole number, got '2'"),
    ("required-empty", _set("demand", "required", []), "InputError",
     "demand.required: must hold one value per interval (24), got 0"),
    ("required-long", _set("demand", "required", [1] * 25), "InputError",
     "demand.required: must hold one value per interval (24), got 25"),
    ("days-zero", _set("days", 0), "InputError", "days: must be >= 1, got 0"),
    ("days-fraction", _set("days", 1.5), "InputError", "days: must be a whole number, got 1.5"),
    ("interval-7", _set("interval_minutes", 7), "InputError",
     "interval_minutes: must divide 1440, got 7"),
    ("cost-nan", _set("shifts", 1, "cost", NAN), "InputError",
     "shifts[1].cost: must be finite, got nan"),
    ("cost-negative", _set("shifts", 1, "cost", -3), "InputError",
     "shifts[1].cost: must be >= 0, got -3"),
    ("cost-1e308", _set("shifts", 0, "cost", 1e308), "InputError",
     "shifts[0].cost: cost must be finite and >= 0, got 1e+308"),
    ("cost-10**400", _set("shifts", 0, "cost", 10**400), "InputError",
     "shifts[0].cost: is too large"),
    ("weekday-costs-list", _set("shifts", 1, "weekday_costs", [100, 200]), "InputError",
     "shifts[1].weekday_costs: must be an object mapping weekdays (mon, tue, wed, thu, fri, "
     "sat, sun) to costs, got list"),
    ("weekday-costs-name", _set("shifts", 0, "weekday_costs", {"saturday": 5}), "InputError",
     "shifts[0].weekday_costs.saturday: unknown weekday (allowed: mon, tue, wed, thu, fri, "
     "sat, sun)"),
    ("weekday-costs-upper-case", _set("shifts", 0, "weekday_costs", {"Sat": 5}), "InputError",
     "shifts[0].weekday_costs.Sat: unknown weekday"),
    ("weekday-costs-negative", _set("shifts", 2, "weekday_costs", {"sat": -1}), "InputError",
     "shifts[2].weekday_costs.sat: must be >= 0, got -1"),
    ("weekday-costs-nan", _set("shifts", 0, "weekday_costs", {"sun": NAN}), "InputError",
     "shifts[0].weekday_costs.sun: must be finite, got nan"),
    ("weekday-costs-inf", _set("shifts", 0, "weekday_costs", {"mon": INF}), "InputError",
     "shifts[0].weekday_costs.mon: must be finite, got inf"),
    ("weekday-costs-1e308", _set("shifts", 0, "weekday_costs", {"fri": 1e308}), "InputError",
     "shifts[0].weekday_costs.fri: must be <= 1e+12, got 1e+308"),
    ("weekday-costs-10**400", _set("shifts", 0, "weekday_costs", {"fri": 10**400}),
     "InputError", "shifts[0].weekday_costs.fri: is too large"),
    ("weekday-costs-str", _set("shifts", 0, "weekday_costs", {"sat": "120"}), "InputError",
     "shifts[0].weekday_costs.sat: must be a number, got '120'"),
    ("weekday-costs-bool", _set("shifts", 0, "weekday_costs", {"sat": True}), "InputError",
     "shifts[0].weekday_costs.sat: must be a number, got True"),
    ("start-weekday-list", _set("start_weekday", ["mon"]), "InputError",
     "start_weekday: must be one of mon, tue, wed, thu, fri, sat, sun, got ['mon']"),
    ("under-cost-1e308", _set("objective", "under_staffing_cost", 1e308), "InputError",
     "under_staffing_cost must be finite and >= 0, got 1e+308"),
    ("length-negative", _set("shifts", 0, "length", -60), "InputError",
     "shifts[0].length: must be >= 1, got -60"),
    ("length-off-grid", _set("shifts", 1, "length", 3000), "InputError",
     "shifts[1].length: length must be a positive multiple of 60 minutes"),
    ("length-10**12", _set("shifts", 0, "length", 10**12), "ValueError",
     "shifts[0]: length is out of range"),
    ("break-latest-negative", _set("shifts", 0, "breaks", 0, "latest", -60), "InputError",
     "shifts[0].breaks[0].latest: must be >= 0, got -60"),
    ("break-earliest-1e308", _set("shifts", 0, "breaks", 0, "earliest", 1e308), "InputError",
     "shifts[0].breaks[0].earliest: is too large"),
    ("name-int", _set("shifts", 0, "name", 5), "InputError",
     "shifts[0].name: must be a string, got 5"),
    ("name-duplicate-unicode", lambda p: (p["shifts"][0].__setitem__("name", "Früh ☀"),
                                          p["shifts"][1].__setitem__("name", "Früh ☀")),
     "InputError", "shifts[1].name: duplicate shift name 'Früh ☀'"),
    ("start-24:00", _set("shifts", 0, "start", "24:00"), "InputError",
     "shifts[0].start: is not a time of day: '24:00'"),
    ("start-arabic-indic-digits", _set("shifts", 0, "start", "\u0660\u0668:\u0660\u0660"),
     "InputError", 'shifts[0].start: must be "HH:MM"'),
    ("start-int", _set("shifts", 0, "start", 480), "InputError",
     "shifts[0].start: must be \"HH:MM\", got 480"),
    ("time-limit-inf", _set("limits", "time_limit", INF), "InputError",
     "limits.time_limit: must be finite, got inf"),
    ("time-limit-zero", _set("limits", "time_limit", 0), "InputError",
     "limits.time_limit: must be > 0, got 0"),
    ("mip-gap-nan", _set("limits", "mip_gap", NAN), "InputError",
     "limits.mip_gap: must be finite, got nan"),
    ("threads-zero", _set("limits", "threads", 0), "InputError",
     "limits.threads: must be >= 1, got 0"),
    ("threads-10**400", _set("limits", "threads", 10**400), "InputError",
     "limits.threads: is too large"),
    ("forecast-nan", _forecast(volume=[NAN] * 24), "InputError",
     "demand.forecast.volume[0]: must be finite, got nan"),
    ("forecast-traffic", _forecast(volume=[1e300] * 24, aht=1e308), "InputError",
     "demand.forecast.volume: volume[0] gives inf Erlangs of traffic"),
    ("forecast-shrinkage-one", _forecast(shrinkage=1.0), "InputError",
     "demand.forecast.shrinkage: shrinkage[0] must be a fraction in [0, 1), got 1"),
    ("forecast-sl-one", _forecast(service_level=1.0), "InputError",
     "demand.forecast.service_level: service_level 1 cannot be reached"),
    ("forecast-aht-length", _forecast(aht=[300] * 3), "InputError",
     "demand.forecast.aht: must be one number or one per interval (24), got 3"),
    ("unknown-key", _set("colour", "red"), "InputError", "colour: unknown key"),
    ("format", _set("format", "staffplan-problem/2"), "InputError",
     "format: must be 'staffplan-problem/1'"),
]


@pytest.mark.parametrize("edit,exc,fragment", [
    pytest.param(*r[1:], id=r[0]) if not hasattr(r, "marks")
    else pytest.param(*r.values[1:], id=r.id, marks=r.marks) for r in SOLVE])
def test_solve_hostile_row(sp, edit, exc, fragment):
    p = copy.deepcopy(hand_problem())
    edit(p)
    _raises(sp, lambda: sp.solve(p), exc, fragment, f"solve(edited hand problem: {fragment})")


@pytest.mark.parametrize("problem,exc,fragment", [
    (None, "InputError", ": must be an object, got NoneType"),
    ([], "InputError", ": must be an object, got list"),
    (5, "InputError", ": must be an object, got int"),
    ({}, "InputError", "days: is required"),
    ("/nonexistent/problem.json", "FileNotFoundError", "No such file or directory"),
], ids=["None", "list", "int", "empty-dict", "missing-file"])
def test_solve_top_level_hostile(sp, problem, exc, fragment):
    _raises(sp, lambda: sp.solve(problem), exc, fragment, f"solve({problem!r})")


def test_non_ascii_shift_names_survive_solve(sp):
    p = hand_problem()
    names = ["Früh ☀", "午後シフト", "Ночь"]
    for s, name in zip(p["shifts"], names):
        s["name"] = name
    r = sp.solve(p)
    assert r["objective"] == pytest.approx(330), r
    used = {a["shift"] for a in r["assignments"]}
    assert used <= set(names) and used, f"assignments name {used}, problem has {names}"


# --------------------------------------------------------------------------
# JSON files: staffplan.solve(path) and the CLI
# --------------------------------------------------------------------------

def _files(tmp_path):
    good = json.dumps(hand_problem())
    return {
        "truncated": (good[:-7], "InputError", "(file): not valid JSON: "),
        "empty": ("", "InputError", "(file): not valid JSON: Expecting value"),
        "bom": ("\ufeff" + good, "InputError", "(file): not valid JSON: Unexpected UTF-8 BOM"),
        "nan-literal": (good.replace('"cost": 80', '"cost": NaN'), "InputError",
                        "shifts[0].cost: must be finite, got nan"),
        "top-array": ("[1, 2]", "InputError", ": must be an object, got list"),
        "nested": ("[" * 100_000 + "]" * 100_000, "InputError", "(file): "),
    }


@pytest.mark.parametrize("label", [
    "truncated", "empty", "bom", "nan-literal", "top-array",
    "nested"])
def test_solve_file_hostile(sp, tmp_path, label):
    text, exc, fragment = _files(tmp_path)[label]
    f = tmp_path / f"{label}.json"
    f.write_text(text, encoding="utf-8")
    _raises(sp, lambda: sp.solve(str(f)), exc, fragment, f"solve({label} file)")


def _cli(path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        x for x in [os.path.join(ROOT, "bindings", "python"), env.get("PYTHONPATH")] if x)
    return subprocess.run([sys.executable, "-m", "staffplan", "solve", str(path)], env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("label", [
    "truncated", "empty", "nan-literal", "nested"])
def test_cli_reports_hostile_files_as_invalid(tmp_path, label):
    text, _, fragment = _files(tmp_path)[label]
    f = tmp_path / f"{label}.json"
    f.write_text(text, encoding="utf-8")
    done = _cli(f)
    case = f"cli {label}: rc={done.returncode} stderr={done.stderr[-300:]!r}"
    assert done.returncode == 2, case
    r = json.loads(done.stdout)
    assert r["status"] == "invalid", case
    assert fragment in r["error"], f"{case}: error {r['error']!r}"
    assert "Traceback" not in done.stderr, case


def test_cli_missing_file_is_invalid_not_a_traceback(tmp_path):
    done = _cli(tmp_path / "nope.json")
    assert done.returncode == 2, done.stderr
    r = json.loads(done.stdout)
    assert r["status"] == "invalid" and "No such file or directory" in r["error"], r


def test_cli_keeps_non_ascii_names(tmp_path):
    p = hand_problem()
    p["shifts"][0]["name"] = "Früh ☀"
    f = tmp_path / "p.json"
    f.write_text(json.dumps(p, ensure_ascii=False), encoding="utf-8")
    done = _cli(f)
    assert done.returncode == 0, done.stderr
    r = json.loads(done.stdout)
    assert "Früh ☀" in {a["shift"] for a in r["assignments"]}, r["assignments"]


# --------------------------------------------------------------------------
# Inputs are never modified
# --------------------------------------------------------------------------

def test_requirements_never_modifies_its_inputs(sp):
    pd = pytest.importorskip("pandas")
    volume_list = [0.0, 12.5, 100.0, 3.0]
    aht_list = [180.0, 200.0, 240.0, 300.0]
    shrink_list = [0.1, 0.2, 0.3, 0.0]
    inputs = [
        (volume_list, aht_list, shrink_list),
        (np.array(volume_list), np.array(aht_list), np.array(shrink_list)),
        (np.array(volume_list, dtype=np.float32), np.array(aht_list)[::-1].copy(), 0.25),
        (np.array(volume_list)[::-1], np.array(aht_list)[::-1], np.array(shrink_list)[::-1]),
        (array.array("d", volume_list), array.array("d", aht_list),
         array.array("d", shrink_list)),
        (pd.Series(volume_list), pd.Series(aht_list), pd.Series(shrink_list)),
        (tuple(volume_list), 180, tuple(shrink_list)),
    ]
    for k, (v, a, s) in enumerate(inputs):
        before = [copy.deepcopy(x) for x in (v, a, s)]
        sp.requirements(v, a, shrinkage=s, service_level=0.8, max_occupancy=0.9,
                        patience=None if k % 2 else 90.0)
        for name, x, b in zip(("volume", "aht", "shrinkage"), (v, a, s), before):
            same = (np.array_equal(np.asarray(x), np.asarray(b))
                    and type(x) is type(b) and len(np.atleast_1d(x)) == len(np.atleast_1d(b)))
            assert same, f"input set {k}: {name} changed from {b!r} to {x!r}"
        # A bad call (late bad value) leaves them untouched as well.
        with pytest.raises(ValueError):
            sp.requirements(v, a, shrinkage=s, interval=-1)
        for name, x, b in zip(("volume", "aht", "shrinkage"), (v, a, s), before):
            assert np.array_equal(np.asarray(x), np.asarray(b)), f"set {k}: {name} changed"


def test_formulas_never_modify_their_inputs(sp):
    agents = np.array([5, 10, 15], dtype=np.int64)
    traffic = [4.0, 8.0, 12.0]
    snap = (agents.copy(), list(traffic))
    for f in (sp.erlang_b, sp.erlang_c, sp.occupancy):
        f(agents, traffic)
    sp.service_level(agents, traffic, 180, 20)
    sp.erlang_a(agents, traffic, 180, 60)
    assert np.array_equal(agents, snap[0]) and traffic == snap[1], (agents, traffic)


def test_solve_never_modifies_the_problem_dict(sp):
    for make in (hand_problem, lambda: dict(hand_problem(), demand={"forecast": {
            "volume": [0] * 8 + [40] * 8 + [15] * 4 + [0] * 4, "aht": 300,
            "shrinkage": 0.25}})):
        p = make()
        before = copy.deepcopy(p)
        sp.solve(p)
        assert p == before, "solve modified its problem dict"
        bad = make()
        bad["shifts"][2]["cost"] = -1
        before = copy.deepcopy(bad)
        with pytest.raises(sp.InputError):
            sp.solve(bad)
        assert bad == before, "a refused solve modified its problem dict"


def test_input_error_attributes_name_the_field(sp):
    e = _raises(sp, lambda: sp.requirements([1, 2, -3], 180), "InputError", "volume[2]",
                "volume[2] = -3")
    assert (e.field, e.index) == ("volume", 2), (e.field, e.index)
    e = _raises(sp, lambda: sp.requirements([1], 180, service_level=10**400), "InputError",
                "service_level", "service_level 10**400")
    assert (e.field, e.index) == ("service_level", None), (e.field, e.index)
    e = _raises(sp, lambda: sp.requirements([0, 100], 180, patience=1e300), "InputError",
                "patience", "patience 1e300")
    assert (e.field, e.index) == ("patience", 1), (e.field, e.index)


def test_a_file_that_is_not_utf8_is_invalid_with_the_reason(sp, tmp_path):
    f = tmp_path / "latin1.json"
    f.write_bytes(json.dumps(hand_problem()).replace('"A"', '"Fr\\u00fch"').encode("utf-8")
                  .replace(b'"Fr\\u00fch"', '"Fr\xfch"'.encode("latin-1")))
    _raises(sp, lambda: sp.solve(str(f)), "InputError", "(file): not UTF-8 text",
            "solve(latin-1 file)")


# --------------------------------------------------------------------------
# staffplan.roster: agents (docs/roster-format.md)
# --------------------------------------------------------------------------

def _agent(i, **kw):
    def edit(p):
        p["agents"][i].update(kw)
    return edit


def _req(**q):
    return _agent(1, requests=[dict({"day": 0, "work": True}, **q)])


def _avail(*windows, day="mon"):
    return _agent(2, availability={day: list(windows)})


ROSTER = [
    ("max-minutes-nan", _agent(0, max_minutes=NAN), "InputError",
     "agents[0].max_minutes: must be a whole number, got nan"),
    ("max-minutes-inf", _agent(0, max_minutes=INF), "InputError",
     "agents[0].max_minutes: must be a whole number, got inf"),
    ("max-minutes-negative", _agent(0, max_minutes=-5), "InputError",
     "agents[0].max_minutes: must be >= 0, got -5"),
    ("max-minutes-fraction", _agent(0, max_minutes=10.5), "InputError",
     "agents[0].max_minutes: must be a whole number, got 10.5"),
    ("max-minutes-str", _agent(0, max_minutes="100"), "InputError",
     "agents[0].max_minutes: must be a whole number, got '100'"),
    ("max-minutes-bool", _agent(0, max_minutes=True), "InputError",
     "agents[0].max_minutes: must be a whole number, got True"),
    ("max-minutes-1e308", _agent(0, max_minutes=1e308), "InputError",
     "agents[0].max_minutes: is too large"),
    ("max-minutes-10**400", _agent(0, max_minutes=10**400), "InputError",
     "agents[0].max_minutes: is too large"),
    ("min-rest-2**31", _agent(0, min_rest_minutes=2**31), "InputError",
     "agents[0].min_rest_minutes: must be <= 2147483647, got 2147483648"),
    ("max-weekends-negative", _agent(0, max_weekends=-1), "InputError",
     "agents[0].max_weekends: must be >= 0, got -1"),
    ("cost-per-hour-nan", _agent(0, cost_per_hour=NAN), "InputError",
     "agents[0].cost_per_hour: must be finite, got nan"),
    ("cost-per-hour-inf", _agent(0, cost_per_hour=INF), "InputError",
     "agents[0].cost_per_hour: must be finite, got inf"),
    ("cost-per-hour-negative", _agent(0, cost_per_hour=-1), "InputError",
     "agents[0].cost_per_hour: must be >= 0, got -1"),
    # Was accepted: 1e308 per hour made the shift cost, the objective and
    # the gap inf / NaN.  Capped like shift costs.
    ("cost-per-hour-1e308", _agent(0, cost_per_hour=1e308), "InputError",
     "agents[0].cost_per_hour: must be <= 1e+12, got 1e+308"),
    ("cost-per-hour-str", _agent(0, cost_per_hour="5"), "InputError",
     "agents[0].cost_per_hour: must be a number, got '5'"),
    ("weight-nan", _req(weight=NAN), "InputError",
     "agents[1].requests[0].weight: must be finite, got nan"),
    ("weight-inf", _req(weight=INF), "InputError",
     "agents[1].requests[0].weight: must be finite, got inf"),
    ("weight-negative", _req(weight=-1), "InputError",
     "agents[1].requests[0].weight: must be >= 0, got -1"),
    ("weight-1e308", _req(weight=1e308), "InputError",  # two of them summed to inf
     "agents[1].requests[0].weight: must be <= 1e+12, got 1e+308"),
    ("id-int", _agent(0, id=5), "InputError", "agents[0].id: must be a non-empty string, got 5"),
    ("id-empty", _agent(0, id=""), "InputError",
     "agents[0].id: must be a non-empty string, got ''"),
    ("id-None", _agent(0, id=None), "InputError",
     "agents[0].id: must be a non-empty string, got None"),
    ("id-duplicate", _agent(1, id="ann"), "InputError", "agents[1].id: duplicate agent id 'ann'"),
    ("id-duplicate-unicode", lambda p: (p["agents"][0].__setitem__("id", "Zoë ☀"),
                                        p["agents"][3].__setitem__("id", "Zoë ☀")),
     "InputError", "agents[3].id: duplicate agent id 'Zoë ☀'"),
    ("id-missing", lambda p: p["agents"][4].pop("id"), "InputError", "agents[4].id: is required"),
    ("unknown-key", _agent(3, max_minuts=5), "InputError",
     "agents[3].max_minuts: unknown key (allowed: availability, cost_per_hour"),
    ("unknown-request-key", _req(wieght=1), "InputError",
     "agents[1].requests[0].wieght: unknown key (allowed: day, shift, weight, work)"),
    ("agent-list", lambda p: p["agents"].__setitem__(2, ["x"]), "InputError",
     "agents[2]: must be an object, got list"),
    ("agents-dict", lambda p: p.__setitem__("agents", {"id": "x"}), "InputError",
     "agents: must be a list, got dict"),
    ("agents-str", lambda p: p.__setitem__("agents", "ann"), "InputError",
     "agents: must be a list, got str"),
    ("agents-int", lambda p: p.__setitem__("agents", 3), "InputError",
     "agents: must be a list, got int"),
    ("agents-empty", lambda p: p.__setitem__("agents", []), "InputError",
     "agents: must hold at least one agent"),
    ("agents-None", lambda p: p.__setitem__("agents", None), "InputError",
     "agents: a roster needs agents"),
    ("skills-str", _agent(0, skills="chat"), "InputError",
     "agents[0].skills: must be a list, got str"),
    ("skills-int", _agent(0, skills=[1]), "InputError",
     "agents[0].skills[0]: must be a string, got 1"),
    ("availability-list", _agent(2, availability=[["09:00", "17:00"]]), "InputError",
     "agents[2].availability: must be an object, got list"),
    ("availability-monday", _agent(2, availability={"monday": []}), "InputError",
     "agents[2].availability.monday: unknown key (allowed: fri, mon, sat, sun, thu, tue, wed)"),
    ("window-reversed", _avail(["17:00", "09:00"]), "InputError",
     "agents[2].availability.mon[0]: must end after it starts"),
    ("window-empty", _avail(["09:00", "09:00"]), "InputError",
     "agents[2].availability.mon[0]: must end after it starts"),
    ("window-triple", _avail(["09:00", "12:00", "13:00"]), "InputError",
     'agents[2].availability.mon[0]: must be a pair ["HH:MM", "HH:MM"]'),
    ("window-49:00", _avail(["09:00", "49:00"]), "InputError",
     "agents[2].availability.mon[0][1]: must be a time up to 48:00, got '49:00'"),
    ("window-09:60", _avail(["09:60", "12:00"], day="sun"), "InputError",
     "agents[2].availability.sun[0][0]: must be a time up to 48:00, got '09:60'"),
    ("window-minutes", _avail([540, 600]), "InputError",
     'agents[2].availability.mon[0][0]: must be "HH:MM", got 540'),
    ("window-negative", _avail(["-1:00", "12:00"]), "InputError",
     'agents[2].availability.mon[0][0]: must be "HH:MM", got \'-1:00\''),
    ("window-arabic-indic-digits", _avail(["\u0660\u0669:00", "12:00"]), "InputError",
     'agents[2].availability.mon[0][0]: must be "HH:MM"'),
    ("window-str", _avail("09:00-17:00"), "InputError",
     "agents[2].availability.mon[0]: must be a list, got str"),
    ("windows-str", _agent(2, availability={"mon": "09:00"}), "InputError",
     "agents[2].availability.mon: must be a list, got str"),
    ("request-day-7", _req(day=7), "InputError",
     "agents[1].requests[0].day: must be <= 6, got 7"),
    ("request-day-negative", _req(day=-1), "InputError",
     "agents[1].requests[0].day: must be >= 0, got -1"),
    ("request-day-fraction", _req(day=1.5), "InputError",
     "agents[1].requests[0].day: must be a whole number, got 1.5"),
    ("request-day-10**400", _req(day=10**400), "InputError",
     "agents[1].requests[0].day: is too large"),
    ("request-no-work", _agent(1, requests=[{"day": 1}]), "InputError",
     "agents[1].requests[0].work: is required"),
    ("request-work-int", _req(work=1), "InputError",
     "agents[1].requests[0].work: must be true or false, got 1"),
    ("request-unknown-shift", _req(shift="Z"), "InputError",
     "agents[1].requests[0].shift: unknown shift 'Z'"),
    ("request-int", _agent(1, requests=[3]), "InputError",
     "agents[1].requests[0]: must be an object, got int"),
    ("unavailable-day-7", _agent(1, unavailable_days=[7]), "InputError",
     "agents[1].unavailable_days[0]: must be <= 6, got 7"),
    ("unavailable-day-negative", _agent(1, unavailable_days=[-1]), "InputError",
     "agents[1].unavailable_days[0]: must be >= 0, got -1"),
    ("fixed-days-off-str", _agent(1, fixed_days_off="1"), "InputError",
     "agents[1].fixed_days_off: must be a list, got str"),
    ("max-shifts-unknown", _agent(2, max_shifts={"Z": 1}), "InputError",
     "agents[2].max_shifts.Z: unknown key (allowed: E, L, M, P)"),
    ("max-shifts-negative", _agent(2, max_shifts={"E": -1}), "InputError",
     "agents[2].max_shifts.E: must be >= 0, got -1"),
    ("max-shifts-list", _agent(2, max_shifts=[1]), "InputError",
     "agents[2].max_shifts: must be an object, got list"),
    ("shift-types-unknown", _agent(1, shift_types=["E", "Z"]), "InputError",
     "agents[1].shift_types[1]: unknown shift 'Z'"),
    ("shift-types-str", _agent(1, shift_types="E"), "InputError",
     "agents[1].shift_types: must be a list, got str"),
    ("cannot-follow-unknown", _set("shifts", 2, "cannot_follow", ["Q"]), "InputError",
     "shifts[2].cannot_follow[0]: unknown shift 'Q'"),
    ("cannot-follow-str", _set("shifts", 2, "cannot_follow", "E"), "InputError",
     "shifts[2].cannot_follow: must be a list, got str"),
    ("min-above-max-minutes", _agent(0, min_minutes=2000, max_minutes=1000), "InputError",
     "agents[0].min_minutes: must be <= max_minutes (1000), got 2000"),
    ("min-above-max-week", _agent(0, min_minutes_per_week=3000), "InputError",
     "agents[0].min_minutes_per_week: must be <= max_minutes_per_week (2400), got 3000"),
    ("min-above-max-stretch", _agent(0, min_consecutive_work_days=5), "InputError",
     "agents[0].min_consecutive_work_days: must be <= max_consecutive_work_days (4), got 5"),
    ("start-weekday", _set("start_weekday", "monday"), "InputError",
     "start_weekday: must be one of mon, tue, wed, thu, fri, sat, sun, got 'monday'"),
    ("shift-longer-than-a-day", _set("shifts", 0, "length", 1500), "InputError",
     "shifts[0].length: a roster shift lasts at most 1440 minutes, got 1500"),
]


@pytest.mark.parametrize("edit,exc,fragment", [pytest.param(*r[1:], id=r[0]) for r in ROSTER])
def test_roster_hostile_row(sp, edit, exc, fragment):
    from test_roster import base
    p = base()
    p["limits"]["time_limit"] = 1
    edit(p)
    before = copy.deepcopy(p)
    _raises(sp, lambda: sp.roster(p), exc, fragment, f"roster(edited problem: {fragment})")
    assert repr(p) == repr(before), "the problem was modified"  # repr: NaN != NaN


def test_roster_hostile_agents_argument_name_the_row(sp):
    """The same errors through agents= (list and DataFrame rows)."""
    pd = pytest.importorskip("pandas")
    from test_roster import base
    p = base()
    agents = copy.deepcopy(p.pop("agents"))
    agents[3]["max_minutes"] = -1
    _raises(sp, lambda: sp.roster(p, agents=agents), "InputError",
            "agents[3].max_minutes: must be >= 0, got -1", "agents= list")
    df = pd.DataFrame([{"id": "x", "max_minutes": 960}, {"id": "y", "max_minutes": NAN},
                       {"id": "x", "max_minutes": 480}])
    _raises(sp, lambda: sp.roster(p, agents=df), "InputError",
            "agents[2].id: duplicate agent id 'x'", "agents= DataFrame")
    df = pd.DataFrame([{"id": "x", "cost_per_hour": INF}])
    _raises(sp, lambda: sp.roster(p, agents=df), "InputError",
            "agents[0].cost_per_hour: must be finite, got inf", "agents= DataFrame inf")


def test_non_ascii_agent_ids_survive_roster(sp):
    import roster_check
    from roster_problems import cover_problem
    p = cover_problem(3, agents=4)
    names = ["Zoë ☀", "山田 花子", "Ольга", "𝔄gent\u200d"]
    for a, name in zip(p["agents"], names):
        a["id"] = name
    r = sp.roster(p)
    assert [x["agent"] for x in r["roster"]] == names
    assert {a["agent"] for a in r["assignments"]} <= set(names)
    assert roster_check.check(p, r) == []
    text = json.dumps(r, ensure_ascii=False)
    assert all(n in text for n in names)


def test_roster_never_modifies_the_problem_or_the_agents(sp):
    """Deep copies compared before and after, for problem dicts, agents=
    lists and a DataFrame (with NaN cells, read as absent keys)."""
    pd = pytest.importorskip("pandas")
    from test_roster import base
    p = base()
    p["limits"]["time_limit"] = 1
    before = copy.deepcopy(p)
    sp.roster(p)
    assert p == before
    agents = p.pop("agents")
    before_a = copy.deepcopy(agents)
    sp.roster(p, agents=agents)
    assert agents == before_a
    df = pd.DataFrame(agents)
    snap = df.copy(deep=True)
    r = sp.roster(p, agents=df)
    pd.testing.assert_frame_equal(df, snap)
    assert df.isna().values.any()
    assert r["status"] in ("optimal", "feasible")


# --------------------------------------------------------------------------
# Absurd roster sizes: refused by their length before anything is read or
# copied (staffplan.h's SP_ROSTER_MAX_AGENTS, SP_ROSTER_MAX_CELLS,
# SP_ROSTER_MAX_REQUESTS; costs capped at SP_ROSTER_MAX_COST).
# --------------------------------------------------------------------------

MAX_AGENTS, MAX_CELLS, MAX_REQUESTS = 100_000, 50_000_000, 100_000


def test_roster_limits_are_the_documented_ones(sp):
    core = sp._core
    assert (core.ROSTER_MAX_AGENTS, core.ROSTER_MAX_CELLS, core.ROSTER_MAX_REQUESTS,
            core.ROSTER_MAX_COST) == (MAX_AGENTS, MAX_CELLS, MAX_REQUESTS, 10**12)


def _roster_base():
    from test_roster import base
    p = base()
    p["limits"]["time_limit"] = 1
    return p


def test_ten_million_agents_fail_fast(sp):
    p = _roster_base()
    one = p["agents"][0]
    p["agents"] = [one] * 10**7  # 80 MB of references to one dict
    e = _timed(sp, lambda: sp.roster(p), "InputError",
               f"agents: has 10000000 agents; at most {MAX_AGENTS} are supported",
               "a list of 1e7 agents")
    assert e.field == "agents"
    agents = p.pop("agents")
    _timed(sp, lambda: sp.roster(p, agents=agents), "InputError",
           "agents: has 10000000 agents", "agents= a list of 1e7 agents")


def test_an_agent_list_claiming_a_billion_entries_is_not_read(sp):
    p = _roster_base()
    p["agents"] = fake = ClaimsHuge(10**9)
    _timed(sp, lambda: sp.roster(p), "InputError",
           f"agents: has 1000000000 agents; at most {MAX_AGENTS} are supported",
           "agents of len 1e9")
    assert fake.touched == 0
    p.pop("agents")
    _timed(sp, lambda: sp.roster(p, agents=fake), "InputError",
           "agents: has 1000000000 agents", "agents= of len 1e9")
    assert fake.touched == 0

    class HugeFrame(ClaimsHuge):
        columns = ["id"]

        def to_dict(self, orient):
            raise AssertionError("a frame claiming 1e9 rows was converted")

    _timed(sp, lambda: sp.roster(p, agents=HugeFrame(10**9)), "InputError",
           "agents: has 1000000000 agents", "DataFrame-like of 1e9 rows")


def test_ten_million_requests_and_days_off_fail_fast(sp):
    p = _roster_base()
    p["agents"][1]["requests"] = [{"day": 0, "work": True}] * 10**7
    _timed(sp, lambda: sp.roster(p), "InputError",
           f"agents[1].requests: has 10000000 entries; at most {MAX_REQUESTS} are supported",
           "1e7 requests")
    for key in ("unavailable_days", "fixed_days_off", "skills", "shift_types"):
        p = _roster_base()
        p["agents"][2][key] = fake = ClaimsHuge(10**9)
        _timed(sp, lambda: sp.roster(p), "InputError",
               f"agents[2].{key}: has 1000000000 entries; at most {MAX_REQUESTS}",
               f"{key} of len 1e9")
        assert fake.touched == 0
    p = _roster_base()
    p["agents"][2]["availability"] = {"tue": [ClaimsHuge(10**9)]}
    _timed(sp, lambda: sp.roster(p), "InputError",
           "agents[2].availability.tue[0]: has 1000000000 entries", "a window of len 1e9")


def test_agents_times_days_times_shifts_beyond_the_core_fail_before_validation(sp):
    p = _roster_base()
    days, S, A = 100, 20, 30_000
    p["days"] = days
    p["demand"]["required"] = [0] * (days * 24)
    p["shifts"] = [{"name": f"S{k}", "start": f"{k:02d}:00", "length": 240, "cost": 1.0}
                   for k in range(S)]
    p["agents"] = [{"id": "x"}] * A  # duplicate ids: not even looked at
    e = _timed(sp, lambda: sp.roster(p), "InputError",
               f"agents: {A} agents x {days} days x {S} shifts = {A * days * S} cells; "
               f"at most {MAX_CELLS} are supported", "30000 agents x 100 days x 20 shifts")
    assert e.field == "agents"


def test_core_roster_solve_refuses_absurd_agent_counts_before_copying(sp):
    """The binding's own guard, for callers of _core.roster_solve."""
    core = sp._core
    fake = ClaimsHuge(10**9)
    e = _timed(sp, lambda: core.roster_solve(7, 60, False, 0, [], [], None, 0.0, 0.0, [], fake,
                                             [], 1.0),
               "InputError", f"1000000000 agents are too many; at most {MAX_AGENTS}",
               "_core.roster_solve(1e9 agents)")
    assert e.field == "agents" and fake.touched == 0
