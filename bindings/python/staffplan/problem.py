"""staffplan-problem/1 in, staffplan-result/1 out (see problem-format.md).

`solve(problem)` takes a dict or the path of a JSON file, validates it
(unknown keys are errors that name the key path, so a typo never silently
changes the plan), builds the shift model in the C core and returns the
result dict.  All times are minutes; costs are per person per shift and per
head-interval of shortfall or excess.  Service mode covers the required
heads; cost mode (`objective.wait_cost`, forecast demand) prices waiting
instead and keeps only the stability minimum as a requirement.

With `tours` every person works one shift type on exactly `work_days` days
of every week (the days off consecutive when `consecutive_days_off`);
assignments with the same `tour` are the same people.
"""
from __future__ import annotations

import json
import math
import os
import time
from typing import Any, Dict, List, Optional, Union

from . import _core
from ._core import InputError

__all__ = ["FORMAT", "RESULT_FORMAT", "parse", "solve", "write_lp", "shift_cost"]

FORMAT = "staffplan-problem/1"
RESULT_FORMAT = "staffplan-result/1"

_TOP = {"format", "interval_minutes", "days", "cyclic", "demand", "shifts", "tours",
        "objective", "limits", "agents", "start_weekday"}
_DEMAND = {"required", "forecast", "cover"}
_COVER = {"day", "shift", "required", "under_cost", "over_cost"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_FORECAST = {"volume", "aht", "service_level", "answer_time", "asa", "max_occupancy",
             "shrinkage"}
_SHIFT = {"name", "start", "length", "cost", "weekday_costs", "breaks", "skill",
          "cannot_follow"}
# The most a shift's cost may be (the core's limit).
_MAX_COST = 1e12
_BREAK = {"length", "earliest", "latest"}
_OBJECTIVE = {"under_staffing_cost", "over_staffing_cost", "wait_cost"}
_WAIT = {"per_waiting_hour", "per_late_call", "late_after"}
_TOURS = {"work_days", "consecutive_days_off"}
_LIMITS = {"time_limit", "mip_gap", "threads"}
# Heads per interval the schedule core accepts (sp_schedule_create).
_MAX_HEADS = 10**9


def _fail(path: str, why: str) -> InputError:
    err = InputError(f"{path}: {why}")
    err.field = path
    err.index = None
    return err


def _keys(obj: Any, path: str, allowed: set, required: set = frozenset()) -> dict:
    if not isinstance(obj, dict):
        raise _fail(path, f"must be an object, got {type(obj).__name__}")
    for key in obj:
        if key not in allowed:
            raise _fail(f"{path}.{key}" if path else str(key),
                        f"unknown key (allowed: {', '.join(sorted(allowed))})")
    for key in sorted(required):
        if key not in obj:
            raise _fail(f"{path}.{key}" if path else key, "is required")
    return obj


def _number(obj: Any, path: str, lo: Optional[float] = None, lo_open: bool = False,
            hi: Optional[float] = None) -> float:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)):
        raise _fail(path, f"must be a number, got {obj!r}")
    try:
        x = float(obj)
    except OverflowError:
        raise _fail(path, "is too large") from None
    if not math.isfinite(x):
        raise _fail(path, f"must be finite, got {obj!r}")
    if lo is not None and (x <= lo if lo_open else x < lo):
        raise _fail(path, f"must be {'>' if lo_open else '>='} {lo:g}, got {obj!r}")
    if hi is not None and x > hi:
        raise _fail(path, f"must be <= {hi:g}, got {obj!r}")
    return x


def _integer(obj: Any, path: str, lo: int = 0, hi: int = 2**53) -> int:
    if isinstance(obj, bool) or not isinstance(obj, (int, float)) or \
            (isinstance(obj, float) and not obj.is_integer()):
        raise _fail(path, f"must be a whole number, got {obj!r}")
    v = int(obj)
    if v < lo:
        raise _fail(path, f"must be >= {lo}, got {obj!r}")
    if v > hi:
        raise _fail(path, "is too large" if v > 2**53 else f"must be <= {hi}, got {obj!r}")
    return v


def _hhmm(obj: Any, path: str) -> int:
    if not isinstance(obj, str) or len(obj.split(":")) != 2:
        raise _fail(path, f'must be "HH:MM", got {obj!r}')
    hh, mm = obj.split(":")
    if not (hh.isascii() and mm.isascii() and hh.isdigit() and mm.isdigit() and len(mm) == 2):
        raise _fail(path, f'must be "HH:MM", got {obj!r}')
    h, m = int(hh), int(mm)
    if h > 23 or m > 59:
        raise _fail(path, f"is not a time of day: {obj!r}")
    return 60 * h + m


def _weekday_costs(obj: Any, path: str, start_weekday: int) -> Optional[tuple]:
    """shifts[i].weekday_costs (weekday name -> cost) as 7 costs by horizon
    day mod 7 (day 0 being `start_weekday`, 0 Monday), the others None;
    None when no weekday is given."""
    if not isinstance(obj, dict):
        raise _fail(path, f"must be an object mapping weekdays ({', '.join(WEEKDAYS)}) "
                          f"to costs, got {type(obj).__name__}")
    by_weekday = {}
    for key, value in obj.items():
        if key not in WEEKDAYS:
            raise _fail(f"{path}.{key}", f"unknown weekday (allowed: {', '.join(WEEKDAYS)})")
        by_weekday[WEEKDAYS.index(key)] = _number(value, f"{path}.{key}", lo=0, hi=_MAX_COST)
    if not by_weekday:
        return None
    return tuple(by_weekday.get((start_weekday + k) % 7) for k in range(7))


def shift_cost(p: Dict[str, Any], shift: Dict[str, Any], day: int) -> float:
    """The cost of one person working `shift` (an entry of parse()'s
    shifts) started on horizon day `day` of the parsed problem `p`: its
    weekday's entry of weekday_costs, else its cost."""
    dc = shift["day_costs"]
    return shift["cost"] if dc is None else dc[day % 7]


def _sequence(obj: Any, path: str, most: Optional[int] = None, why: str = "") -> list:
    """obj as a list; more than `most` entries fail (with `why`) before the
    copy, so an absurd length costs nothing."""
    if isinstance(obj, (str, bytes, dict)) or not hasattr(obj, "__len__"):
        raise _fail(path, f"must be a list, got {type(obj).__name__}")
    if most is not None and len(obj) > most:
        raise _fail(path, why.format(n=len(obj)) if why else
                    f"has {len(obj)} entries; at most {most} are supported")
    return list(obj)


def _forecast_inputs(fc: dict, intervals: int) -> tuple:
    """Validated (volume, aht, shrinkage) of a forecast: aht a number or a
    list, one per interval."""
    _keys(fc, "demand.forecast", _FORECAST, {"volume", "aht"})
    volume = _sequence(fc["volume"], "demand.forecast.volume", intervals,
                       f"must hold one value per interval ({intervals}), got {{n}}")
    if len(volume) != intervals:
        raise _fail("demand.forecast.volume",
                    f"must hold one value per interval ({intervals}), got {len(volume)}")
    volume = [_number(v, f"demand.forecast.volume[{i}]", lo=0) for i, v in enumerate(volume)]
    aht = fc["aht"]
    if isinstance(aht, (list, tuple)):
        if len(aht) != intervals:
            raise _fail("demand.forecast.aht",
                        f"must be one number or one per interval ({intervals}), got {len(aht)}")
        aht = [_number(v, f"demand.forecast.aht[{i}]", lo=0, lo_open=True)
               for i, v in enumerate(aht)]
    else:
        aht = _number(aht, "demand.forecast.aht", lo=0, lo_open=True)
    shrink = fc.get("shrinkage", 0.0)
    shrink = 0.0 if shrink is None else _number(shrink, "demand.forecast.shrinkage", lo=0)
    if shrink >= 1:
        raise _fail("demand.forecast.shrinkage", f"must be a fraction in [0, 1), got {shrink!r}")
    for key in ("service_level", "answer_time", "asa", "max_occupancy"):
        if fc.get(key) is not None:
            _number(fc[key], f"demand.forecast.{key}", lo=0)
    return volume, aht, shrink


def _wait_cost(wc: Any) -> tuple:
    """Validated (per_waiting_hour, per_late_call, late_after) of
    objective.wait_cost."""
    _keys(wc, "objective.wait_cost", _WAIT)
    out = []
    for key, default in (("per_waiting_hour", 0.0), ("per_late_call", 0.0),
                         ("late_after", 30.0)):
        v = wc.get(key, default)
        out.append(default if v is None else
                   _number(v, f"objective.wait_cost.{key}", lo=0, hi=1e12))
    return tuple(out)


def _required_from_forecast(fc: dict, intervals: int, minutes: int) -> List[int]:
    from .staffing import requirements

    _keys(fc, "demand.forecast", _FORECAST, {"volume", "aht"})
    volume = _sequence(fc["volume"], "demand.forecast.volume", intervals,
                       f"must hold one value per interval ({intervals}), got {{n}}")
    if len(volume) != intervals:
        raise _fail("demand.forecast.volume",
                    f"must hold one value per interval ({intervals}), got {len(volume)}")
    for i, v in enumerate(volume):
        _number(v, f"demand.forecast.volume[{i}]", lo=0)
    aht = fc["aht"]
    if isinstance(aht, (list, tuple)):
        if len(aht) != intervals:
            raise _fail("demand.forecast.aht",
                        f"must be one number or one per interval ({intervals}), got {len(aht)}")
        for i, v in enumerate(aht):
            _number(v, f"demand.forecast.aht[{i}]", lo=0, lo_open=True)
    else:
        _number(aht, "demand.forecast.aht", lo=0, lo_open=True)

    def opt(key, default, **kw):
        v = fc.get(key, default)
        return None if v is None else _number(v, f"demand.forecast.{key}", **kw)

    try:
        req = requirements(
            volume, aht, interval=minutes * 60,
            service_level=opt("service_level", 0.8, lo=0, hi=1),
            answer_time=opt("answer_time", 20, lo=0),
            asa=opt("asa", None, lo=0, lo_open=True),
            max_occupancy=opt("max_occupancy", None, lo=0, lo_open=True, hi=1),
            shrinkage=opt("shrinkage", 0.0, lo=0) or 0.0)
    except InputError as e:
        raise _fail(f"demand.forecast.{getattr(e, 'field', '') or 'volume'}", str(e)) from None
    heads = [int(h) for h in req.heads]
    top = max(heads, default=0)
    if top > _MAX_HEADS:
        i = heads.index(top)
        raise _fail("demand.forecast", f"needs {top} heads in interval {i}, above the "
                    f"{_MAX_HEADS} a schedule supports")
    return heads


def parse(problem: Union[dict, str, os.PathLike]) -> Dict[str, Any]:
    """Validates a staffplan-problem/1 (dict or JSON file path).

    Returns a normalised dict: interval_minutes, days, intervals, cyclic,
    required (heads per interval), shifts (name, start minute of day,
    length, cost, day_costs (None, or the cost on each horizon day mod 7:
    see shift_cost), breaks as (length, earliest, latest)), the objective
    costs and the limits.  Raises staffplan.InputError naming the key path.
    """
    if isinstance(problem, (str, os.PathLike)):
        with open(problem, encoding="utf-8") as f:
            try:
                problem = json.load(f)
            except json.JSONDecodeError as e:
                raise _fail("(file)", f"not valid JSON: {e}") from None
            except UnicodeDecodeError as e:
                raise _fail("(file)", f"not UTF-8 text: {e}") from None
            except RecursionError:
                raise _fail("(file)", "JSON nested too deeply") from None
    p = _keys(problem, "", _TOP, {"format", "interval_minutes", "days", "demand", "shifts"})
    if p["format"] != FORMAT:
        raise _fail("format", f"must be {FORMAT!r}, got {p['format']!r}")
    minutes = _integer(p["interval_minutes"], "interval_minutes", lo=1)
    if 1440 % minutes:
        raise _fail("interval_minutes", f"must divide 1440, got {minutes}")
    days = _integer(p["days"], "days", lo=1)
    intervals = days * 1440 // minutes
    if intervals > _core.SCHEDULE_MAX_INTERVALS:
        raise _fail("days", f"{days} days of {minutes}-minute intervals are {intervals} "
                    f"intervals; at most {_core.SCHEDULE_MAX_INTERVALS} are supported")
    cyclic = p.get("cyclic", True)
    if not isinstance(cyclic, bool):
        raise _fail("cyclic", f"must be true or false, got {cyclic!r}")
    tours = None
    if p.get("tours") is not None:
        t = _keys(p["tours"], "tours", _TOURS, {"work_days"})
        work_days = _integer(t["work_days"], "tours.work_days", lo=-2**53)
        if not 1 <= work_days <= 7:
            raise _fail("tours.work_days",
                        f"no 7-day week has exactly {work_days} working days (1 to 7)")
        consecutive = t.get("consecutive_days_off", False)
        if not isinstance(consecutive, bool):
            raise _fail("tours.consecutive_days_off", f"must be true or false, got {consecutive!r}")
        if days % 7:
            raise _fail("days", f"tours need whole weeks: days must be a multiple of 7, got {days}")
        tours = (work_days, consecutive)

    start_weekday = p.get("start_weekday", "mon")
    if not isinstance(start_weekday, str) or start_weekday not in WEEKDAYS:
        raise _fail("start_weekday", f"must be one of {', '.join(WEEKDAYS)}, got {start_weekday!r}")
    has_agents = p.get("agents") is not None

    demand = _keys(p["demand"], "demand", _DEMAND)
    if len(demand) != 1:
        raise _fail("demand", "must hold exactly one of 'required', 'forecast' and 'cover'")
    obj = _keys(p.get("objective", {}) or {}, "objective", _OBJECTIVE)
    wait = None
    cover = None
    if obj.get("wait_cost") is not None:
        # Cost mode: the stability minimum (computed by the core) replaces
        # the service-level requirement.
        if "forecast" not in demand:
            raise _fail("objective.wait_cost",
                        "cost mode needs forecast demand (demand.forecast), not required heads")
        volume, aht, shrink = _forecast_inputs(demand["forecast"], intervals)
        wait = (volume, aht, shrink) + _wait_cost(obj["wait_cost"])
        required = [0] * intervals
    elif "cover" in demand:
        if not has_agents:
            raise _fail("demand.cover", "cover targets are for roster problems: give 'agents'")
        required = None
    elif "required" in demand:
        req = _sequence(demand["required"], "demand.required", intervals,
                        f"must hold one value per interval ({intervals}), got {{n}}")
        if len(req) != intervals:
            raise _fail("demand.required",
                        f"must hold one value per interval ({intervals}), got {len(req)}")
        required = [_integer(v, f"demand.required[{i}]", hi=_MAX_HEADS)
                    for i, v in enumerate(req)]
    else:
        required = _required_from_forecast(demand["forecast"], intervals, minutes)

    under = _number(obj.get("under_staffing_cost", 1000.0), "objective.under_staffing_cost",
                    lo=0)
    over = _number(obj.get("over_staffing_cost", 0.0), "objective.over_staffing_cost", lo=0)

    lim = _keys(p.get("limits", {}) or {}, "limits", _LIMITS)
    time_limit = _number(lim.get("time_limit", 60), "limits.time_limit", lo=0, lo_open=True,
                         hi=1e7)
    mip_gap = _number(lim.get("mip_gap", 1e-4), "limits.mip_gap", lo=0)
    threads = lim.get("threads")
    threads = 0 if threads is None else _integer(threads, "limits.threads", lo=1, hi=1024)

    shifts = []
    names = set()
    shift_list = _sequence(p["shifts"], "shifts", _core.SCHEDULE_MAX_SHIFTS,
                           f"{{n}} shifts are too many; at most "
                           f"{_core.SCHEDULE_MAX_SHIFTS} are supported")
    # Every shift starts on every day, each start a column and at least one
    # coverage entry: a lower bound on the model the core would refuse.
    if 2 * len(shift_list) * days > _core.SCHEDULE_MAX_MODEL:
        raise _fail("shifts", f"{len(shift_list)} shifts on {days} days make at least "
                    f"{2 * len(shift_list) * days} model columns and nonzeros; at most "
                    f"{_core.SCHEDULE_MAX_MODEL} are supported")
    for i, s in enumerate(shift_list):
        path = f"shifts[{i}]"
        _keys(s, path, _SHIFT, {"start", "length", "cost"})
        start = _hhmm(s["start"], f"{path}.start")
        length = _integer(s["length"], f"{path}.length", lo=1)
        cost = _number(s["cost"], f"{path}.cost", lo=0)
        day_costs = None
        if s.get("weekday_costs") is not None:
            day_costs = _weekday_costs(s["weekday_costs"], f"{path}.weekday_costs",
                                       WEEKDAYS.index(start_weekday))
            if day_costs is not None:
                day_costs = tuple(cost if c is None else c for c in day_costs)
        name = s.get("name", f"S{start // 60:02d}{start % 60:02d}-{length}")
        if not isinstance(name, str):
            raise _fail(f"{path}.name", f"must be a string, got {name!r}")
        if name in names:
            raise _fail(f"{path}.name", f"duplicate shift name {name!r}")
        names.add(name)
        breaks = []
        most = _core.SCHEDULE_MAX_BREAKS
        for k, b in enumerate(_sequence(s.get("breaks", []), f"{path}.breaks", most,
                                        f"at most {most} break windows, got {{n}}")):
            bp = f"{path}.breaks[{k}]"
            _keys(b, bp, _BREAK, _BREAK)
            breaks.append((_integer(b["length"], f"{bp}.length", lo=1),
                           _integer(b["earliest"], f"{bp}.earliest"),
                           _integer(b["latest"], f"{bp}.latest")))
        skill = s.get("skill")
        if skill is not None and not isinstance(skill, str):
            raise _fail(f"{path}.skill", f"must be a string or null, got {skill!r}")
        follow = s.get("cannot_follow")
        follow = [] if follow is None else _sequence(follow, f"{path}.cannot_follow")
        for k, f in enumerate(follow):
            if not isinstance(f, str):
                raise _fail(f"{path}.cannot_follow[{k}]", f"must be a shift name, got {f!r}")
        shifts.append({"name": name, "start": start, "length": length, "cost": cost,
                       "day_costs": day_costs, "breaks": breaks, "skill": skill,
                       "cannot_follow": follow})
    index = {s["name"]: i for i, s in enumerate(shifts)}
    for i, s in enumerate(shifts):
        for k, f in enumerate(s["cannot_follow"]):
            if f not in index:
                raise _fail(f"shifts[{i}].cannot_follow[{k}]", f"unknown shift {f!r}")
    if "cover" in demand:
        cover = _parse_cover(demand["cover"], days, index)
    out = {"interval_minutes": minutes, "days": days, "intervals": intervals,
           "cyclic": cyclic, "required": required, "shifts": shifts,
           "wait": wait, "tours": tours,
           "under_staffing_cost": under, "over_staffing_cost": over,
           "time_limit": time_limit, "mip_gap": mip_gap, "threads": threads,
           "start_weekday": WEEKDAYS.index(start_weekday), "cover": cover, "agents": None}
    if has_agents:
        if tours is not None:
            raise _fail("tours", "rosters take daily shifts: tours with agents are not "
                        "supported (use null)")
        if wait is not None:
            raise _fail("objective.wait_cost", "rosters are solved in service mode: cost mode "
                        "with agents is not supported (use null)")
        from .roster import parse_agents
        out["agents"] = parse_agents(p["agents"], out)
    return out


def _parse_cover(cover: Any, days: int, index: Dict[str, int]) -> List[tuple]:
    out, seen = [], set()
    for i, c in enumerate(_sequence(cover, "demand.cover")):
        path = f"demand.cover[{i}]"
        _keys(c, path, _COVER, {"day", "shift", "required"})
        day = _integer(c["day"], f"{path}.day", hi=days - 1)
        shift = c["shift"]
        if shift not in index:
            raise _fail(f"{path}.shift", f"unknown shift {shift!r}")
        if (day, shift) in seen:
            raise _fail(f"{path}.shift", f"shift {shift!r} on day {day} is listed twice")
        seen.add((day, shift))
        out.append((day, index[shift], _integer(c["required"], f"{path}.required", hi=2**31),
                    _number(c.get("under_cost", 1.0), f"{path}.under_cost", lo=0),
                    _number(c.get("over_cost", 0.0), f"{path}.over_cost", lo=0)))
    return out


def _core_shifts(p: Dict[str, Any]) -> list:
    """The shifts as the core takes them: (start, daily, length, cost,
    breaks, costs by horizon day mod 7 or None)."""
    return [(s["start"], True, s["length"], s["cost"], s["breaks"], s["day_costs"])
            for s in p["shifts"]]


def _no_roster(p: Dict[str, Any], what: str) -> None:
    if p["agents"] is not None:
        raise _fail("agents", f"{what} is for schedule problems; rosters use staffplan.roster")


def write_lp(problem: Union[dict, str, os.PathLike], path: Union[str, os.PathLike]) -> None:
    """Writes the model `solve` would solve to `path` in CPLEX LP format
    (integer columns in its General section), for any other MIP solver.

    Columns: x<shift>_<day> people on shift number <shift> (its index in
    `shifts`) started on <day>, b<shift>_<day>_<break>_<offset> people of
    it whose break starts <offset> minutes after the shift start, u<t> and
    e<t> head-intervals of shortfall and excess; in cost mode y<t>_<k>
    (waiting cost increments of interval t) and wconst (fixed at 1: the
    objective's constant, the waiting cost at every stability minimum);
    rows c<t> (coverage of interval t) and l<shift>_<day>_<break> (every
    person takes the break).  The objective equals solve's (in cost mode
    at most the true objective: see docs/problem-format.md).  Raises staffplan.InputError for
    a bad problem, OSError when the file cannot be written.
    """
    p = parse(problem)
    _no_roster(p, "write_lp")
    _core.schedule_write_lp(
        p["intervals"], p["interval_minutes"], p["cyclic"], p["required"], _core_shifts(p),
        p["under_staffing_cost"], p["over_staffing_cost"], os.fspath(path), wait=p["wait"],
        tours=p["tours"])


def solve(problem: Union[dict, str, os.PathLike], progress=None) -> Dict[str, Any]:
    """Solves a staffplan-problem/1 (dict or JSON path); returns a
    staffplan-result/1 dict.

    progress: None, or a callable progress(objective, bound, seconds) called
    from the calling thread as the solve finds better solutions or raises
    its bound (objective NaN before the first solution, bound -inf before
    the root LP).  If it raises, the solve stops and the exception
    propagates.  Ctrl-C (KeyboardInterrupt) stops the solve within a
    fraction of a second and returns the best solution so far, with
    `stop` "cancelled".

    A problem with `agents` is a roster problem: solve returns
    staffplan.roster(problem) (docs/roster-format.md).

    Besides the format's keys the result has `lp_bound` (the LP relaxation;
    None when the time limit came before the LP was solved: the result then
    holds a quick covering construction, bound 0 and gap 1) and `stop`
    ("gap", "time_limit" or "cancelled").  `limits.threads` threads run the
    heuristics (default: all); the same problem and thread count give the
    same result unless the time limit cuts the search short.  The GIL is
    released during the solve.  Raises staffplan.InputError for a bad
    problem.
    """
    t0 = time.monotonic()
    p = parse(problem)
    if p["agents"] is not None:
        from .roster import roster_parsed
        return roster_parsed(p, None, progress, t0)
    return schedule_parsed(p, progress)


def schedule_parsed(p: Dict[str, Any], progress=None) -> Dict[str, Any]:
    """The schedule solve of a problem `parse` returned (see `solve`)."""
    raw = _core.schedule_solve(
        p["intervals"], p["interval_minutes"], p["cyclic"], p["required"],
        _core_shifts(p), p["under_staffing_cost"], p["over_staffing_cost"], p["time_limit"],
        p["mip_gap"], p["threads"], progress, wait=p["wait"], tours=p["tours"])
    assignments = []
    for g, (shift, start, count, offsets, tour) in enumerate(raw["groups"]):
        sh = p["shifts"][shift]
        assignments.append({
            "tour": tour if tour >= 0 else g, "shift": sh["name"], "count": count, "day": start // 1440,
            "start": start, "end": start + sh["length"],
            "breaks": [[start + o, start + o + b[0]] for o, b in zip(offsets, sh["breaks"])],
        })

    def num(x):
        return None if x is None or (isinstance(x, float) and not math.isfinite(x)) else x

    return {
        "format": RESULT_FORMAT,
        "status": raw["status"],
        "objective": num(raw["objective"]),
        "bound": num(raw["bound"]),
        "gap": num(raw["gap"]),
        "lp_bound": num(raw["lp_bound"]),
        "labor_cost": raw["labor_cost"],
        "under_staffing": raw["under_staffing"],
        "over_staffing": raw["over_staffing"],
        "wait_cost": raw["wait_cost"],
        "seconds": raw["seconds"],
        "stop": raw["stop"],
        "coverage": raw["coverage"],
        "assignments": assignments,
    }
