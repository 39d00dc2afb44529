"""Shift templates: the convenient way to write a shift catalogue.

A template names a start window and step, the paid lengths, break rules and
the pay; `expand` turns templates into the `shifts` list of
staffplan-problem/1 (one shift per start time and length).

    templates = [{
        "name": "day", "first_start": "06:00", "last_start": "12:00", "step": 30,
        "lengths": [480, 540],
        "breaks": [{"length": 15, "earliest": 90, "latest": 150},
                   {"length": 30, "earliest": 210, "latest": 300, "min_length": 360}],
        "cost_per_hour": 22.0,
        "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25},
        "weekend_premium": {"rate": 0.5, "days": ["sat", "sun"]},
    }]
    problem["shifts"] = staffplan.templates.expand(templates, interval_minutes=15)

Units: times "HH:MM" of day; step, lengths and break offsets in minutes; a
break's earliest/latest are minutes after the shift start at which the
break may start; cost_per_hour per paid hour; a night premium's rate is the
extra fraction of cost_per_hour paid for each minute inside its window; a
weekend premium's rate is the extra fraction of the whole shift's cost
(night premium included) when the shift starts on one of its days (default
Saturday and Sunday): cost x (1 + rate), written as the shift's
weekday_costs.
"""
from __future__ import annotations

from typing import Any, Dict, List

from . import _core
from .problem import _fail, _hhmm, _integer, _keys, _number

__all__ = ["expand"]

_KEYS = {"name", "first_start", "last_start", "step", "lengths", "breaks",
         "cost_per_hour", "night_premium", "weekend_premium"}
_REQUIRED = {"name", "first_start", "lengths", "cost_per_hour"}
_BREAK_KEYS = {"length", "earliest", "latest", "min_length"}
_NIGHT_KEYS = {"from", "to", "rate"}
_WEEKEND_KEYS = {"rate", "days"}
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _minutes(value: Any, path: str, lo: int = 0) -> int:
    if isinstance(value, float):
        raise _fail(path, f"must be a whole number of minutes, got {value!r}")
    return _integer(value, path, lo=lo)


def _night_minutes(start: int, length: int, night_from: int, night_to: int) -> int:
    """Minutes of [start, start + length) (minutes from a midnight, may pass
    the next ones) inside the daily window [night_from, night_to), which
    wraps past midnight when night_to <= night_from.  Whole days count the
    window once each, so any length costs at most a day of minutes."""
    def inside(m: int) -> bool:
        return (night_from <= m < night_to) if night_from < night_to else (
            m >= night_from or m < night_to)

    days, rest = divmod(length, 1440)
    per_day = sum(inside(m) for m in range(1440)) if days else 0
    return days * per_day + sum(inside((start + k) % 1440) for k in range(rest))


def _window(t: Any, path: str, step_grid: int):
    """A template's keys checked; its first and last start, step and
    lengths list (the lengths themselves not yet checked)."""
    _keys(t, path, _KEYS, _REQUIRED)
    first = _hhmm(t["first_start"], f"{path}.first_start")
    last = _hhmm(t.get("last_start", t["first_start"]), f"{path}.last_start")
    step = _minutes(t.get("step", step_grid), f"{path}.step", lo=1)
    for key, value in (("first_start", first), ("last_start", last), ("step", step)):
        if value % step_grid:
            raise _fail(f"{path}.{key}", f"must lie on the {step_grid}-minute interval grid")
    lengths = t["lengths"]
    if not isinstance(lengths, list) or not lengths:
        raise _fail(f"{path}.lengths", "must be a non-empty list of minutes")
    return first, last, step, lengths


def expand(templates: List[Dict[str, Any]], interval_minutes: int = 15) -> List[Dict[str, Any]]:
    """Expand shift templates into staffplan-problem/1 shifts.

    Every start from first_start to last_start (inclusive; the window may
    wrap past midnight) in steps of `step` minutes, times every length,
    gives one shift named "<name>-HHMM-<length>".  Break rules with
    min_length apply only to shifts at least that long.  A weekend_premium
    {"rate": r, "days": [...]} (days default ["sat", "sun"]) gives each shift
    weekday_costs of cost x (1 + r) on those days, cost including the night
    premium.  Start times, steps, lengths and break offsets must lie on the
    interval grid.  Raises
    staffplan.InputError naming the key path (templates[0].lengths[1]: ...).
    """
    if not isinstance(templates, list):
        raise _fail("templates", f"must be a list, got {type(templates).__name__}")
    most = _core.SCHEDULE_MAX_SHIFTS
    if len(templates) > most:  # each gives at least one shift
        raise _fail("templates", f"{len(templates)} templates give more than the {most} "
                    "shifts a problem supports")
    step_grid = _minutes(interval_minutes, "interval_minutes", lo=1)
    # How many shifts the templates give, from their start windows and
    # length counts alone: too many are refused before any is built.
    total = 0
    for i, t in enumerate(templates):
        path = f"templates[{i}]"
        first, last, step, lengths = _window(t, path, step_grid)
        count = ((last - first) % 1440 // step + 1) * len(lengths)
        total += count
        if total > most:
            raise _fail(f"{path}.lengths",
                        f"{count // len(lengths)} starts x {len(lengths)} lengths give "
                        f"{count} shifts ({total} with the templates before); "
                        f"at most {most} are supported")
    shifts: List[Dict[str, Any]] = []
    names = set()
    for i, t in enumerate(templates):
        path = f"templates[{i}]"
        first, last, step, lengths = _window(t, path, step_grid)
        name = t["name"]
        if not isinstance(name, str) or not name:
            raise _fail(f"{path}.name", "must be a non-empty string")
        for k, length in enumerate(lengths):
            _minutes(length, f"{path}.lengths[{k}]", lo=1)
            if length % step_grid:
                raise _fail(f"{path}.lengths[{k}]", f"must be a multiple of {step_grid} minutes")
        rules = t.get("breaks", [])
        if not isinstance(rules, list):
            raise _fail(f"{path}.breaks", "must be a list")
        for k, b in enumerate(rules):
            bp = f"{path}.breaks[{k}]"
            _keys(b, bp, _BREAK_KEYS, ("length", "earliest", "latest"))
            for key in ("length", "earliest", "latest", "min_length"):
                if key in b:
                    _minutes(b[key], f"{bp}.{key}", lo=1 if key == "length" else 0)
                    if key != "min_length" and b[key] % step_grid:
                        raise _fail(f"{bp}.{key}", f"must be a multiple of {step_grid} minutes")
            if b["latest"] < b["earliest"]:
                raise _fail(f"{bp}.latest", "must not be before earliest")
        cost_per_hour = _number(t["cost_per_hour"], f"{path}.cost_per_hour", lo=0)
        night = t.get("night_premium")
        if night is not None:
            _keys(night, f"{path}.night_premium", _NIGHT_KEYS, _NIGHT_KEYS)
            night_from = _hhmm(night["from"], f"{path}.night_premium.from")
            night_to = _hhmm(night["to"], f"{path}.night_premium.to")
            night_rate = _number(night["rate"], f"{path}.night_premium.rate", lo=0)
        weekend = t.get("weekend_premium")
        weekend_days: List[str] = []
        if weekend is not None:
            wp = f"{path}.weekend_premium"
            _keys(weekend, wp, _WEEKEND_KEYS, {"rate"})
            weekend_rate = _number(weekend["rate"], f"{wp}.rate", lo=0)
            days = weekend.get("days", ["sat", "sun"])
            if not isinstance(days, list):
                raise _fail(f"{wp}.days", f"must be a list of weekdays, got {days!r}")
            for k, day in enumerate(days):
                if not isinstance(day, str) or day not in _WEEKDAYS:
                    raise _fail(f"{wp}.days[{k}]",
                                f"must be one of {', '.join(_WEEKDAYS)}, got {day!r}")
                if day in weekend_days:
                    raise _fail(f"{wp}.days[{k}]", f"{day!r} is listed twice")
                weekend_days.append(day)
        span = (last - first) % 1440
        starts = [(first + s) % 1440 for s in range(0, span + 1, step)]
        for start in starts:
            for length in lengths:
                breaks = [{"length": b["length"], "earliest": b["earliest"], "latest": b["latest"]}
                          for b in rules if length >= b.get("min_length", 0)]
                for b in breaks:
                    if b["latest"] + b["length"] > length:
                        raise _fail(f"{path}.breaks", f"a break ending at {b['latest'] + b['length']}"
                                    f" minutes does not fit a {length}-minute shift;"
                                    " give it a min_length")
                cost = cost_per_hour * length / 60.0
                if night is not None:
                    cost += night_rate * cost_per_hour * _night_minutes(
                        start, length, night_from, night_to) / 60.0
                shift_name = f"{name}-{start // 60:02d}{start % 60:02d}-{length}"
                if shift_name in names:
                    raise _fail(f"{path}.name", f"gives the shift name {shift_name!r} twice")
                names.add(shift_name)
                shift = {"name": shift_name, "start": f"{start // 60:02d}:{start % 60:02d}",
                         "length": length, "cost": round(cost, 6), "breaks": breaks}
                if weekend_days:
                    shift["weekday_costs"] = {day: round(cost * (1.0 + weekend_rate), 6)
                                              for day in weekend_days}
                shifts.append(shift)
    return shifts
