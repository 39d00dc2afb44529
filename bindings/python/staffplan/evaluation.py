"""Per-interval evaluation of a schedule: what the assignments staff and what
that achieves.

`evaluate(problem, result)` recomputes everything from the result's
assignments and the problem alone (it never reads the result's own coverage
or cost fields), so it doubles as a check of any staffplan-result/1, ours or
another solver's.  `wait_cost` is the value customers lose while waiting, as
problem-format.md defines it for cost mode.

Units: durations in seconds except where the problem format uses minutes
(interval_minutes, shift and break times); volume is contacts per interval;
costs are in the problem's currency.
"""
from __future__ import annotations

import json
import math
import os
from typing import Any, Dict, List, Optional, Sequence, Union

from . import staffing

__all__ = ["Evaluation", "evaluate", "wait_cost"]

# Productive agents are heads * (1 - shrinkage); this much float noise is
# forgiven before taking the whole part (21 heads * 0.7 is 14.699999...).
_NOISE = 1e-9
# Weekday names of start_weekday and weekday_costs (docs/problem-format.md).
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _whole(x: float) -> int:
    return int(math.floor(x + _NOISE))


def _waiting(k: int, traffic: float, volume: float, aht: float,
             per_waiting_hour: float, per_late_call: float, late_after: float) -> float:
    """w(k): waiting cost of one interval at k whole productive agents, k > traffic."""
    c = staffing.erlang_c(k, traffic)
    asa = staffing.asa(k, traffic, aht)
    late = c * math.exp(-(k - traffic) * late_after / aht)
    return volume * (asa / 3600.0 * per_waiting_hour + late * per_late_call)


def wait_cost(heads: float, volume: float, aht: float, *, interval: float = 900,
              shrinkage: float = 0.0, per_waiting_hour: float = 0.0,
              per_late_call: float = 0.0, late_after: float = 30.0) -> float:
    """Value lost by waiting customers in one interval staffed with `heads`.

    heads: scheduled heads (may be fractional, e.g. an LP value); volume:
    contacts in the interval; aht, interval and late_after in seconds;
    per_waiting_hour: cost of one hour of customer waiting; per_late_call:
    cost of each contact waiting longer than late_after.

    With n = heads * (1 - shrinkage) productive agents and traffic
    A = volume * aht / interval: w(k) = volume * (ASA(k) / 3600 *
    per_waiting_hour + C(k) exp(-(k - A) late_after / aht) * per_late_call)
    for whole k (Erlang C), and the result interpolates w linearly between
    floor(n) and floor(n) + 1.  Below the stability minimum floor(A) + 1 the
    queue never empties; the cost is then taken at that minimum (the
    shortfall is charged separately).  Zero volume costs nothing.
    """
    for name, value in (("heads", heads), ("volume", volume), ("aht", aht),
                        ("interval", interval), ("shrinkage", shrinkage),
                        ("per_waiting_hour", per_waiting_hour),
                        ("per_late_call", per_late_call), ("late_after", late_after)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise TypeError(f"{name} must be a number, not {type(value).__name__}")
        if not math.isfinite(value) or value < 0:
            raise staffing._core.InputError(f"{name} must be a finite number >= 0, got {value!r}")
    if aht <= 0 or interval <= 0:
        raise staffing._core.InputError("aht and interval must be > 0 seconds")
    if shrinkage >= 1:
        raise staffing._core.InputError(f"shrinkage must be a fraction in [0, 1), got {shrinkage!r}")
    if volume == 0:
        return 0.0
    traffic = volume * aht / interval
    minimum = int(math.floor(traffic)) + 1
    n = heads * (1.0 - shrinkage)
    k = _whole(n)
    args = (traffic, volume, aht, per_waiting_hour, per_late_call, late_after)
    if k < minimum:
        return _waiting(minimum, *args)
    frac = min(max(n - k, 0.0), 1.0)
    w0 = _waiting(k, *args)
    if frac == 0.0:
        return w0
    return (1.0 - frac) * w0 + frac * _waiting(k + 1, *args)


def _load(problem: Union[dict, str, os.PathLike]) -> dict:
    if isinstance(problem, dict):
        return problem
    with open(problem, encoding="utf-8") as f:
        return json.load(f)


def _minutes(hhmm: str) -> int:
    h, m = hhmm.split(":")
    return 60 * int(h) + int(m)


def _per_interval(value: Any, n: int) -> List[float]:
    if isinstance(value, (int, float)):
        return [float(value)] * n
    return [float(v) for v in value]


class Evaluation:
    """Per-interval figures of a schedule (lists of one value per interval)
    and their totals.

      required        required heads (service mode), or the stability
                      minimum (cost mode)
      staffed         heads working (not on a break) in the interval
      shortfall       max(0, required - staffed)
      excess          max(0, staffed - required)
    with forecast demand also:
      agents          productive agents, staffed * (1 - shrinkage)
      service_level   fraction answered within answer_time at floor(agents)
      asa             average speed of answer in seconds at floor(agents)
      occupancy       traffic / floor(agents), at most 1
      wait_cost       value lost by waiting (cost mode's W; 0 without
                      objective.wait_cost)
    Totals: labor_cost, under_staffing, over_staffing, wait_cost_total,
    objective (as problem-format.md defines it).
    """

    COLUMNS = ("required", "staffed", "shortfall", "excess", "agents", "service_level",
               "asa", "occupancy", "wait_cost")

    def __init__(self, columns: Dict[str, Optional[list]], totals: Dict[str, float]):
        self.columns = columns
        self.totals = totals
        for name in self.COLUMNS:
            setattr(self, name, columns.get(name))
        for name, value in totals.items():
            setattr(self, name, value)

    def __len__(self) -> int:
        return len(self.staffed)

    def to_pandas(self, index=None):
        """A DataFrame with one column per figure (needs pandas)."""
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise ImportError("Evaluation.to_pandas() needs pandas: pip install pandas") from exc
        return pd.DataFrame({k: v for k, v in self.columns.items() if v is not None},
                            index=index)

    def __repr__(self) -> str:
        return ("Evaluation({} intervals, labor {:.2f}, under {}, over {}, wait {:.2f}, "
                "objective {:.2f})").format(len(self), self.labor_cost, self.under_staffing,
                                            self.over_staffing, self.wait_cost_total,
                                            self.objective)


def _coverage(problem: dict, result: dict, n: int, step: int) -> List[int]:
    horizon = n * step
    cyclic = problem.get("cyclic", True)
    staffed = [0] * n
    for a in result.get("assignments", []):
        count = int(a["count"])
        off = set()
        for b0, b1 in a.get("breaks", []):
            off.update(range(int(b0) // step, int(b1) // step))
        for slot in range(int(a["start"]) // step, int(a["end"]) // step):
            if slot in off:
                continue
            if slot >= n:
                if not cyclic:
                    continue
                slot %= n
            staffed[slot] += count
    return staffed


def evaluate(problem: Union[dict, str, os.PathLike],
             result: Union[dict, str, os.PathLike]) -> Evaluation:
    """Evaluate a staffplan-result/1 against its staffplan-problem/1.

    Both may be dicts or JSON file paths.  Coverage comes from the
    assignments (start, end and breaks in minutes from the horizon start),
    labour cost from each assignment's count times its shift's cost on the
    weekday it starts (weekday_costs, else cost; or, for a roster
    assignment whose agent has cost_per_hour, that rate times the paid
    hours times that weekday's cost over the shift's cost); the result's
    own coverage and cost fields are not read.
    Roster request and cover penalties are not part of it.
    """
    problem = _load(problem)
    result = _load(result)
    step = int(problem["interval_minutes"])
    n = int(problem["days"]) * 1440 // step
    staffed = _coverage(problem, result, n, step)
    # A shift without a name is called S<HHMM>-<length> (docs/problem-format.md).
    shift_of = {s.get("name", f"S{s['start'].replace(':', '')}-{s['length']}"): s
                for s in problem["shifts"]}
    first_weekday = _WEEKDAYS.index(problem.get("start_weekday", "mon"))

    def day_cost(shift: dict, day: int) -> float:
        """The shift's cost when it starts on horizon day `day`."""
        by_weekday = shift.get("weekday_costs") or {}
        return float(by_weekday.get(_WEEKDAYS[(first_weekday + day) % 7], shift["cost"]))

    # Roster assignments name their agent: an agent with cost_per_hour is
    # paid by the hour, scaled by the day's cost over the shift's cost
    # (docs/roster-format.md); the others pay the shift's cost of the day.
    per_hour = {a["id"]: a["cost_per_hour"] for a in problem.get("agents") or []
                if a.get("cost_per_hour") is not None}

    def labor_of(a: dict) -> float:
        shift = shift_of[a["shift"]]
        day = int(a["start"]) // 1440
        cost = day_cost(shift, day)
        if a.get("agent") not in per_hour:
            return cost
        base = float(shift["cost"])
        return per_hour[a["agent"]] * int(shift["length"]) / 60.0 * (
            cost / base if base > 0 else 1.0)

    labor = sum(int(a["count"]) * labor_of(a) for a in result.get("assignments", []))
    objective = problem.get("objective") or {}
    under_cost = float(objective.get("under_staffing_cost", 0.0) or 0.0)
    over_cost = float(objective.get("over_staffing_cost", 0.0) or 0.0)
    wc = objective.get("wait_cost")

    demand = problem["demand"]
    cols: Dict[str, Optional[list]] = {name: None for name in Evaluation.COLUMNS}
    if "required" in demand:
        required = [int(r) for r in demand["required"]]
    elif "cover" in demand:
        # Roster cover targets are per shift and day: no interval terms.
        required = [0] * n
        under_cost = over_cost = 0.0
        cols["wait_cost"] = [0.0] * n
    else:
        fc = demand["forecast"]
        volume = [float(v) for v in fc["volume"]]
        aht = _per_interval(fc["aht"], n)
        shrink = float(fc.get("shrinkage") or 0.0)
        answer_time = float(fc.get("answer_time", 20) if fc.get("answer_time", 20) is not None else 20)
        interval = step * 60.0
        traffic = [v * h / interval for v, h in zip(volume, aht)]
        if wc:
            # Cost mode: only the stability minimum is a requirement.
            required = [0 if a == 0 else staffing._core.heads(int(math.floor(a)) + 1, shrink)
                        for a in traffic]
        else:
            sl = fc.get("service_level", 0.8)
            req = staffing.requirements(
                volume, aht, interval=interval, service_level=sl, answer_time=answer_time,
                asa=fc.get("asa"), max_occupancy=fc.get("max_occupancy"), shrinkage=shrink)
            required = list(req.heads)
        agents = [h * (1.0 - shrink) for h in staffed]
        whole = [_whole(x) for x in agents]
        cols["agents"] = agents
        cols["service_level"] = [staffing.service_level(k, a, h, answer_time)
                                 for k, a, h in zip(whole, traffic, aht)]
        cols["asa"] = [staffing.asa(k, a, h) for k, a, h in zip(whole, traffic, aht)]
        cols["occupancy"] = [staffing.occupancy(k, a) if k > 0 or a > 0 else 0.0
                             for k, a in zip(whole, traffic)]
        if wc:
            cols["wait_cost"] = [
                wait_cost(s, v, h, interval=interval, shrinkage=shrink,
                          per_waiting_hour=float(wc.get("per_waiting_hour", 0.0)),
                          per_late_call=float(wc.get("per_late_call", 0.0)),
                          late_after=float(wc.get("late_after", 30)))
                for s, v, h in zip(staffed, volume, aht)]
        else:
            cols["wait_cost"] = [0.0] * n
    shortfall = [max(0, r - s) for r, s in zip(required, staffed)]
    excess = [max(0, s - r) for r, s in zip(required, staffed)]
    cols.update(required=required, staffed=staffed, shortfall=shortfall, excess=excess)
    wait_total = sum(cols["wait_cost"]) if cols["wait_cost"] else 0.0
    totals = {"labor_cost": labor, "under_staffing": sum(shortfall),
              "over_staffing": sum(excess), "wait_cost_total": wait_total}
    totals["objective"] = (labor + under_cost * totals["under_staffing"]
                           + over_cost * totals["over_staffing"] + wait_total)
    return Evaluation(cols, totals)
