"""Rosters: named agents on the shifts (docs/roster-format.md).

`roster(problem, schedule=None, agents=None, progress=None)` returns a
staffplan-result/1 dict whose assignments name the agent working them.
Without `schedule` shifts are chosen and assigned at once (the schedule IP
first, with each shift at its cheapest eligible agent's cost, then the
roster search); with `schedule` (a result of staffplan.solve) its
assignments are given to agents.  A problem whose demand is `cover` (people
per shift and day) is rostered on those targets directly.

Agents are validated here (every error names its key path, for example
`agents[3].min_rest_minutes`) and turned into plain arrays: per agent one
eligibility code per day and shift (skills, shift types, days off,
availability windows), the limits, the requests.  The C core (roster.c)
does the search and never sees JSON.
"""
from __future__ import annotations

import json
import math
import os
import threading
import time
from typing import Any, Dict, List, Optional, Union

from . import _core
from ._core import InputError
from .problem import (RESULT_FORMAT, WEEKDAYS, _core_shifts, _fail, _integer, _keys, _number,
                      _sequence, parse, schedule_parsed)

__all__ = ["roster", "parse_agents", "RULES"]

RULES = _core.roster_rule_names()
_AGENT = {"id", "cost_per_hour", "skills", "shift_types", "unavailable_days", "availability",
          "fixed_days_off", "min_minutes_per_week", "max_minutes_per_week", "min_minutes",
          "max_minutes", "max_shifts", "min_consecutive_work_days",
          "max_consecutive_work_days", "min_consecutive_days_off", "max_weekends",
          "min_rest_minutes", "requests"}
_REQUEST = {"day", "shift", "work", "weight"}
_CODE = {name: i for i, name in enumerate(RULES)}
_MAXB = 8


def _clock(obj: Any, path: str) -> int:
    """ "HH:MM" with HH up to 48 (window ends past midnight)."""
    if not isinstance(obj, str) or len(obj.split(":")) != 2:
        raise _fail(path, f'must be "HH:MM", got {obj!r}')
    hh, mm = obj.split(":")
    if not (hh.isascii() and mm.isascii() and hh.isdigit() and mm.isdigit() and len(mm) == 2):
        raise _fail(path, f'must be "HH:MM", got {obj!r}')
    v = 60 * int(hh) + int(mm)
    if int(mm) > 59 or v > 48 * 60:
        raise _fail(path, f"must be a time up to 48:00, got {obj!r}")
    return v


def _opt_list(v: Any, path: str) -> list:
    return [] if v is None else _sequence(v, path, _core.ROSTER_MAX_REQUESTS)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def _records(agents: Any) -> list:
    """A list of agent dicts from a list or a pandas DataFrame (NaN cells are
    absent keys)."""
    if hasattr(agents, "__len__") and not isinstance(agents, (str, bytes, dict)) \
            and len(agents) > _core.ROSTER_MAX_AGENTS:
        raise _fail("agents", f"has {len(agents)} agents; at most "
                              f"{_core.ROSTER_MAX_AGENTS} are supported")
    if hasattr(agents, "to_dict") and hasattr(agents, "columns"):
        rows = agents.to_dict(orient="records")
        return [{k: v for k, v in r.items() if not _is_missing(v)} for r in rows]
    return _sequence(agents, "agents")


def parse_agents(agents: Any, p: Dict[str, Any]) -> List[Dict[str, Any]]:
    """Validates the agents of a problem normalised by `parse`; returns one
    dict per agent with the shift indices, limits (-1: none), requests and
    the eligibility codes (bytes, days * shifts)."""
    days, shifts = p["days"], p["shifts"]
    S = len(shifts)
    index = {s["name"]: i for i, s in enumerate(shifts)}
    for i, sh in enumerate(shifts):
        if sh["length"] > 1440:
            raise _fail(f"shifts[{i}].length", "a roster shift lasts at most 1440 minutes, "
                                               f"got {sh['length']}")
    records = _records(agents)
    if len(records) * days * S > _core.ROSTER_MAX_CELLS:
        raise _fail("agents", f"{len(records)} agents x {days} days x {S} shifts = "
                              f"{len(records) * days * S} cells; at most "
                              f"{_core.ROSTER_MAX_CELLS} are supported")
    out, ids = [], set()
    for i, a in enumerate(records):
        path = f"agents[{i}]"
        _keys(a, path, _AGENT, {"id"})
        aid = a["id"]
        if not isinstance(aid, str) or not aid:
            raise _fail(f"{path}.id", f"must be a non-empty string, got {aid!r}")
        if aid in ids:
            raise _fail(f"{path}.id", f"duplicate agent id {aid!r}")
        ids.add(aid)
        cph = a.get("cost_per_hour")
        cph = None if cph is None else _number(cph, f"{path}.cost_per_hour", lo=0,
                                               hi=_core.ROSTER_MAX_COST)
        skills = _opt_list(a.get("skills"), f"{path}.skills")
        for k, sk in enumerate(skills):
            if not isinstance(sk, str):
                raise _fail(f"{path}.skills[{k}]", f"must be a string, got {sk!r}")
        types = a.get("shift_types")
        allowed = None
        if types is not None:
            allowed = set()
            for k, t in enumerate(_opt_list(types, f"{path}.shift_types")):
                if t not in index:
                    raise _fail(f"{path}.shift_types[{k}]", f"unknown shift {t!r}")
                allowed.add(index[t])
        day_code = [0] * days
        for key, code in (("unavailable_days", _CODE["unavailable_days"]),
                          ("fixed_days_off", _CODE["fixed_days_off"])):
            for k, d in enumerate(_opt_list(a.get(key), f"{path}.{key}")):
                d = _integer(d, f"{path}.{key}[{k}]", hi=days - 1)
                day_code[d] = day_code[d] or code
        shift_code = []
        for s, sh in enumerate(shifts):
            if sh["skill"] is not None and sh["skill"] not in skills:
                shift_code.append(_CODE["skills"])
            elif allowed is not None and s not in allowed:
                shift_code.append(_CODE["shift_types"])
            else:
                shift_code.append(0)
        avail = a.get("availability")
        rows = []
        if avail is None:
            rows = [bytes(shift_code)] * 7
        else:
            _keys(avail, f"{path}.availability", set(WEEKDAYS))
            for wd, name in enumerate(WEEKDAYS):
                wins = []
                for k, win in enumerate(_opt_list(avail.get(name),
                                                  f"{path}.availability.{name}")):
                    wp = f"{path}.availability.{name}[{k}]"
                    win = _sequence(win, wp, _core.ROSTER_MAX_REQUESTS)
                    if len(win) != 2:
                        raise _fail(wp, "must be a pair [\"HH:MM\", \"HH:MM\"]")
                    lo, hi = _clock(win[0], f"{wp}[0]"), _clock(win[1], f"{wp}[1]")
                    if hi <= lo:
                        raise _fail(wp, "must end after it starts")
                    wins.append((lo, hi))
                rows.append(bytes(
                    c or (0 if any(lo <= sh["start"] and sh["start"] + sh["length"] <= hi
                                   for lo, hi in wins) else _CODE["availability"])
                    for c, sh in zip(shift_code, shifts)))
        wd0 = p["start_weekday"]
        eligible = b"".join(bytes([c]) * S if c else rows[(wd0 + d) % 7]
                            for d, c in enumerate(day_code))

        def lim(key, hi=2**31 - 1):
            v = a.get(key)
            return -1 if v is None else _integer(v, f"{path}.{key}", hi=hi)

        limits = {k: lim(k) for k in ("min_minutes_per_week", "max_minutes_per_week",
                                      "min_minutes", "max_minutes",
                                      "min_consecutive_work_days",
                                      "max_consecutive_work_days",
                                      "min_consecutive_days_off", "max_weekends",
                                      "min_rest_minutes")}
        for lo_k, hi_k in (("min_minutes_per_week", "max_minutes_per_week"),
                           ("min_minutes", "max_minutes"),
                           ("min_consecutive_work_days", "max_consecutive_work_days")):
            if limits[lo_k] >= 0 and limits[hi_k] >= 0 and limits[lo_k] > limits[hi_k]:
                raise _fail(f"{path}.{lo_k}", f"must be <= {hi_k} ({limits[hi_k]}), "
                                              f"got {limits[lo_k]}")
        max_shifts = None
        if a.get("max_shifts") is not None:
            ms = _keys(a["max_shifts"], f"{path}.max_shifts", set(index))
            max_shifts = [-1] * S
            for name, v in ms.items():
                max_shifts[index[name]] = _integer(v, f"{path}.max_shifts.{name}",
                                                   hi=2**31 - 1)
        requests = []
        for k, q in enumerate(_opt_list(a.get("requests"), f"{path}.requests")):
            qp = f"{path}.requests[{k}]"
            _keys(q, qp, _REQUEST, {"day", "work"})
            d = _integer(q["day"], f"{qp}.day", hi=days - 1)
            sname = q.get("shift")
            if sname is not None and sname not in index:
                raise _fail(f"{qp}.shift", f"unknown shift {sname!r}")
            if not isinstance(q["work"], bool):
                raise _fail(f"{qp}.work", f"must be true or false, got {q['work']!r}")
            requests.append((d, -1 if sname is None else index[sname], int(q["work"]),
                             _number(q.get("weight", 1.0), f"{qp}.weight", lo=0,
                                     hi=_core.ROSTER_MAX_COST)))
        out.append({"id": aid, "cost_per_hour": cph, "eligible": eligible,
                    "max_shifts": max_shifts, "requests": requests, **limits})
    if not out:
        raise _fail("agents", "must hold at least one agent")
    return out


def _agent_cost(a: Dict[str, Any], sh: Dict[str, Any], day: int) -> float:
    """Agent a's cost of parsed shift sh started on horizon day `day`: the
    shift's cost that day, or cost_per_hour x paid hours x the day's cost
    over the shift's cost (1 when that is 0; docs/roster-format.md)."""
    cph = a["cost_per_hour"]
    dc = sh["day_costs"]
    if cph is None:
        return sh["cost"] if dc is None else dc[day % 7]
    pay = cph * sh["length"] / 60.0
    return pay if dc is None or sh["cost"] <= 0 else pay * dc[day % 7] / sh["cost"]


def _premium(sh: Dict[str, Any], day: int) -> float:
    """An hourly agent's pay factor for shift sh on horizon day `day`."""
    dc = sh["day_costs"]
    return 1.0 if dc is None or sh["cost"] <= 0 else dc[day % 7] / sh["cost"]


def _core_agents(agents: List[Dict[str, Any]]) -> list:
    return [(a["cost_per_hour"], a["eligible"], a["min_minutes"], a["max_minutes"],
             a["min_minutes_per_week"], a["max_minutes_per_week"], a["max_shifts"],
             a["min_consecutive_work_days"], a["max_consecutive_work_days"],
             a["min_consecutive_days_off"], a["max_weekends"], a["min_rest_minutes"],
             a["requests"]) for a in agents]


def _schedule_groups(schedule: Any, p: Dict[str, Any]) -> list:
    """(shift, start, count, break offsets) from a schedule result's
    assignments, validated against the problem's shifts."""
    index = {s["name"]: i for i, s in enumerate(p["shifts"])}
    if not isinstance(schedule, dict):
        raise _fail("schedule", f"must be a result dict, got {type(schedule).__name__}")
    if schedule.get("status") in ("no_solution", "invalid"):
        raise _fail("schedule.status", f"the schedule has no solution ({schedule['status']})")
    groups = []
    horizon = p["days"] * 1440
    for i, g in enumerate(_sequence(schedule.get("assignments"), "schedule.assignments")):
        path = f"schedule.assignments[{i}]"
        if not isinstance(g, dict):
            raise _fail(path, "must be an object")
        name = g.get("shift")
        if name not in index:
            raise _fail(f"{path}.shift", f"unknown shift {name!r}")
        sh = p["shifts"][index[name]]
        start = _integer(g.get("start"), f"{path}.start", hi=horizon - 1)
        if start % 1440 != sh["start"]:
            raise _fail(f"{path}.start", f"{start} is not a start of shift {name!r}")
        count = _integer(g.get("count", 1), f"{path}.count", hi=2**31)
        brk = _sequence(g.get("breaks") or [], f"{path}.breaks")
        if len(brk) != len(sh["breaks"]):
            raise _fail(f"{path}.breaks", f"shift {name!r} has {len(sh['breaks'])} breaks")
        offs = []
        for k, (b, (blen, lo, hi)) in enumerate(zip(brk, sh["breaks"])):
            b = _sequence(b, f"{path}.breaks[{k}]")
            o = _integer(b[0] if b else None, f"{path}.breaks[{k}][0]", lo=-2**53) - start
            if not lo <= o <= hi or o % p["interval_minutes"]:
                raise _fail(f"{path}.breaks[{k}]", f"offset {o} is outside the window "
                                                    f"[{lo}, {hi}]")
            offs.append(o)
        groups.append((index[name], start, count, offs))
    return groups


def _capacity(a: Dict[str, Any], p: Dict[str, Any]) -> float:
    """An upper bound on the minutes agent `a` can work over the horizon."""
    days = p["days"]
    longest = max(s["length"] for s in p["shifts"])
    cap = days * longest
    if a["max_minutes"] >= 0:
        cap = min(cap, a["max_minutes"])
    if a["max_minutes_per_week"] >= 0:
        weeks = days // 7
        cap = min(cap, weeks * min(a["max_minutes_per_week"], 7 * longest)
                  + (days - 7 * weeks) * longest)
    return cap


def _at_cost(sh: Dict[str, Any], costs: List[float]) -> Dict[str, Any]:
    """Shift sh with its cost on each horizon day mod 7 set to costs[k]."""
    if len(set(costs)) == 1:
        return dict(sh, cost=costs[0], day_costs=None)
    return dict(sh, cost=min(costs), day_costs=tuple(costs))


def _paid_rate_bound(p, sub, paid, progress, team=False) -> Optional[float]:
    """A lower bound on every roster when all agents are paid by the hour.

    For any rate r: labour = sum_a rate_a m_a / 60 >= r M / 60 - sum_a cap_a
    max(0, r - rate_a) / 60 (M the paid minutes, m_a <= cap_a), so the
    schedule bound with every shift at r per hour, minus that sum, bounds
    every roster.  With premiums by day, m_a and M count each minute times
    its day's premium factor, so cap_a is scaled by the largest factor.
    r = the cheapest rate is the schedule bound already found; this tries
    the rate at which the cheapest agents' capacities add up to `paid`
    minutes (a first schedule's).  sub: (shift at its cheapest cost, index
    in p's shifts) pairs.  team: the team LP's bound at rate r (every
    roster's shifts keep its rows, so the same argument holds; 10% of the
    time limit), else the schedule solve's (5%)."""
    agents = p["agents"]
    if any(a["cost_per_hour"] is None for a in agents):
        return None
    rates = sorted((a["cost_per_hour"], _capacity(a, p)) for a in agents)
    if rates[0][0] == rates[-1][0]:
        return None
    acc, r = 0.0, rates[-1][0]
    for rate, cap in rates:
        acc += cap
        if acc >= paid:
            r = rate
            break
    shifts = p["shifts"]
    fmax = max(_premium(sh, k) for sh in shifts for k in range(7))
    at_r = [_at_cost(sh, [r * sh["length"] / 60.0 * _premium(orig, k) for k in range(7)])
            for sh, orig in ((sh, shifts[i]) for sh, i in sub)]
    if team:
        found = _team_lp(p, at_r, [i for _, i in sub], 0.1 * p["time_limit"])
        if found is None:
            return None
        base = found[0]
    else:
        res = schedule_parsed(dict(p, shifts=at_r, time_limit=max(0.05, 0.05 * p["time_limit"])),
                              progress)
        if res["bound"] is None:
            return None
        base = res["bound"]
    return base - sum(cap * fmax * max(0.0, r - rate) / 60.0 for rate, cap in rates)


_TEAM_ROW_ENTRIES = 2_000_000


def _team_rows(p: Dict[str, Any], keep: List[int]) -> list:
    """Constraints every roster of the team keeps, on x(s, d), the people
    starting shift keep[s] on day d (rows for _core.schedule_lp_bound).

    Shift families G: all shifts, and for each distinct set E of agents
    who may work some shift, the shifts only agents of E may work.  With
    A_G the agents who may work a shift of G:
    - day d: sum_{s in G} x(s, d) <= agents of A_G who may work a shift of
      G on d (one shift a day each);
    - week w (wholly inside): sum len_s x(s, d) over G and w <= sum over
      A_G of the most minutes each can work there (its weekly maximum, its
      horizon maximum, its longest eligible shift each day), and the
      number of shifts <= sum of the days each can work (its available
      days, at most 7 - floor(7 / (c + 1)) with at most c days in a row);
    - horizon: the same for minutes;
    - Saturdays (and Sundays): sum of x over G and those days <= sum over
      A_G of min(max_weekends, Saturdays it may work);
    - minimums: for each distinct set H of shifts an agent may work, the
      minutes on shifts of H, per week and over the horizon, >= the sum of
      the minimums of the agents who may work only shifts of H.
    All shifts of an agent are counted by x and its rules hold, so every
    roster's shifts satisfy every row: the LP with them is a lower bound
    on every roster."""
    shifts = p["shifts"]
    S, D = len(shifts), p["days"]
    K = len(keep)
    length = [shifts[s]["length"] for s in keep]
    # Agents with the same eligibility and limits give the same terms:
    # one class each, counted `mult` times.
    rules = ("max_minutes", "max_minutes_per_week", "max_consecutive_work_days",
             "max_weekends", "min_minutes", "min_minutes_per_week")
    classes: Dict[tuple, int] = {}
    for a in p["agents"]:
        sig = (a["eligible"],) + tuple(a[r] for r in rules)
        classes[sig] = classes.get(sig, 0) + 1
    agents = [dict(zip(rules, sig[1:])) for sig in classes]
    mult = list(classes.values())
    # elig[a][d]: kept shift indices class a may start on day d
    elig = []
    for sig in classes:
        e = sig[0]
        elig.append([[k for k, s in enumerate(keep) if e[d * S + s] == 0] for d in range(D)])
    who = [0] * K                       # bit mask of the classes per kept shift
    for i, rows in enumerate(elig):
        bit = 1 << i
        for day in rows:
            for k in day:
                who[k] |= bit
    weeks = D // 7
    sat = (5 - p["start_weekday"]) % 7
    sun = (6 - p["start_weekday"]) % 7
    out = []
    all_shifts = list(range(K))
    size = [0]

    def add(lo, hi, cells):
        # Rows past _TEAM_ROW_ENTRIES are left out (fewer rows: a weaker
        # bound, still a bound), so many shift families cannot blow up the LP.
        if cells and size[0] + len(cells) <= _TEAM_ROW_ENTRIES:
            size[0] += len(cells)
            out.append((float(lo), float(hi), [c[0] for c in cells], [c[1] for c in cells],
                        [float(c[2]) for c in cells]))

    inf = float("inf")
    families = {frozenset(all_shifts)}
    for E in set(who):
        families.add(frozenset(k for k in range(K) if who[k] & ~E == 0))
    # Minimums: agents who may work only shifts of H work their minimum on H.
    sets: Dict[frozenset, List[int]] = {}
    for i, rows in enumerate(elig):
        sets.setdefault(frozenset(k for day in rows for k in day), []).append(i)
    for H in sorted({H for H in sets}, key=sorted):
        inside = [i for F, ids in sets.items() if F <= H for i in ids]
        Hs = sorted(H)
        if not Hs:
            continue
        for w in range(weeks):
            need = sum(mult[i] * max(0, agents[i]["min_minutes_per_week"]) for i in inside)
            if need > 0:
                add(need, inf, [(k, d, length[k]) for d in range(7 * w, 7 * w + 7)
                                for k in Hs])
        need = 0
        for i in inside:
            a = agents[i]
            need += mult[i] * max(a["min_minutes"], weeks * max(0, a["min_minutes_per_week"]))
        if need > 0:
            add(need, inf, [(k, d, length[k]) for d in range(D) for k in Hs])
    # the widest families first: they bind for everyone
    for G in sorted(families, key=lambda G: (-len(G), sorted(G))):
        if not G:
            continue
        members = [i for i in range(len(agents)) if any(who[k] >> i & 1 for k in G)]
        g_days = {i: [[k for k in elig[i][d] if k in G] for d in range(D)] for i in members}
        Gs = sorted(G)
        for d in range(D):
            cap = sum(mult[i] for i in members if g_days[i][d])
            add(-inf, cap, [(k, d, 1) for k in Gs])
        for w in range(weeks + (1 if D % 7 else 0)):
            span = range(7 * w, min(D, 7 * w + 7))
            whole = len(span) == 7
            mins = days_cap = 0.0
            for i in members:
                a = agents[i]
                most = sum(max((length[k] for k in g_days[i][d]), default=0) for d in span)
                if whole and a["max_minutes_per_week"] >= 0:
                    most = min(most, a["max_minutes_per_week"])
                if a["max_minutes"] >= 0:
                    most = min(most, a["max_minutes"])
                mins += mult[i] * most
                n = sum(1 for d in span if g_days[i][d])
                c = a["max_consecutive_work_days"]
                if whole and c >= 0:
                    n = min(n, 7 - 7 // (c + 1))
                shortest = min((length[k] for d in span for k in g_days[i][d]), default=0)
                if whole and a["max_minutes_per_week"] >= 0 and shortest > 0:
                    n = min(n, a["max_minutes_per_week"] // shortest)
                days_cap += mult[i] * n
            add(-inf, mins, [(k, d, length[k]) for d in span for k in Gs])
            add(-inf, days_cap, [(k, d, 1) for d in span for k in Gs])
        cap_h = 0.0
        for i in members:
            a = agents[i]
            most = sum(max((length[k] for k in g_days[i][d]), default=0) for d in range(D))
            if a["max_minutes"] >= 0:
                most = min(most, a["max_minutes"])
            if a["max_minutes_per_week"] >= 0:
                most = min(most, weeks * a["max_minutes_per_week"] + sum(
                    max((length[k] for k in g_days[i][d]), default=0)
                    for d in range(7 * weeks, D)))
            cap_h += mult[i] * most
        add(-inf, cap_h, [(k, d, length[k]) for d in range(D) for k in Gs])
        for wd in (sat, sun):
            ds = list(range(wd, D, 7))
            cap = 0
            for i in members:
                n = sum(1 for d in ds if g_days[i][d])
                if agents[i]["max_weekends"] >= 0:
                    n = min(n, agents[i]["max_weekends"])
                cap += mult[i] * n
            add(-inf, cap, [(k, d, 1) for d in ds for k in Gs])
    return out


def _load(problem: Union[dict, str, os.PathLike]) -> dict:
    if isinstance(problem, (str, os.PathLike)):
        with open(problem, encoding="utf-8") as f:
            try:
                return json.load(f)
            except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
                raise _fail("(file)", f"not a valid JSON file: {e}") from None
    return problem


def roster(problem: Union[dict, str, os.PathLike], schedule: Optional[dict] = None,
           agents: Any = None, progress=None) -> Dict[str, Any]:
    """Rosters named agents; returns a staffplan-result/1 dict.

    problem: a staffplan-problem/1 dict or JSON path with `agents` (or give
    `agents`: a list of agent dicts or a pandas DataFrame, one row per
    agent, overriding problem["agents"]).  schedule: None (shifts chosen
    and assigned at once) or a result of staffplan.solve, whose assignments
    are given to agents.  progress: None or progress(objective, bound,
    seconds), called from the calling thread (objective NaN while a min
    rule is still unmet; during the internal schedule solve of the direct
    path the figures are the schedule's).  Ctrl-C stops the search and returns the best
    roster so far (`stop` "cancelled").

    Every hard rule of docs/roster-format.md holds in the roster returned;
    when no roster keeping them was found, `status` is "no_solution",
    `assignments` and `roster` are empty and `error` names the agents and
    rules.  Times are minutes from the horizon start; costs as in the
    problem (cost_per_hour * paid minutes / 60, or the shift's cost).
    Raises staffplan.InputError (naming the key path) for a bad problem.
    """
    t0 = time.monotonic()
    raw = _load(problem)
    if agents is not None:
        if not isinstance(raw, dict):
            raise _fail("", f"problem must be an object, got {type(raw).__name__}")
        raw = dict(raw)
        raw["agents"] = _records(agents)
    p = parse(raw)
    if p["agents"] is None:
        raise _fail("agents", "a roster needs agents (problem['agents'] or agents=...)")
    return roster_parsed(p, schedule, progress, t0)


def roster_parsed(p: Dict[str, Any], schedule: Optional[dict], progress=None,
                  t0: Optional[float] = None) -> Dict[str, Any]:
    """`roster` for a problem normalised by `parse` (with agents); t0: when
    the call began (time.monotonic()), for the time limit."""
    if t0 is None:
        t0 = time.monotonic()
    agents, shifts = p["agents"], p["shifts"]
    S, D = len(shifts), p["days"]
    bound = lp_bound = None
    # The schedule problem under the roster: each shift at its cheapest
    # eligible agent's cost (per weekday), shifts nobody may work left out.
    sub, keep = [], []
    for s, sh in enumerate(shifts):
        able = [a for a in agents if any(a["eligible"][d * S + s] == 0 for d in range(D))]
        if able:
            sub.append(_at_cost(sh, [min(_agent_cost(a, sh, k) for a in able)
                                     for k in range(7)]))
            keep.append(s)
    if p["cover"] is not None:
        if schedule is not None:
            raise _fail("schedule", "a cover problem is rostered on its cover targets; "
                                    "leave schedule out")
        groups = [(s, d * 1440 + shifts[s]["start"], k, [b[1] for b in shifts[s]["breaks"]])
                  for d, s, k, _u, _o in p["cover"] if k > 0]
    elif schedule is not None:
        groups = _schedule_groups(schedule, p)
    else:
        # The team's LP (the schedule model of `sub` with rows every roster
        # keeps): its bound, and its solution rounded into the shifts the
        # search starts from.  When it is not solved in its time, the
        # schedule IP of `sub` instead.
        team_lp = None
        if sub:
            team_lp = _team_lp(p, sub, keep, 0.4 * p["time_limit"])
        if team_lp is not None:
            lp_bound, x, rows = team_lp
            bound = lp_bound
            groups = _round_groups(x, sub, keep, D, p["interval_minutes"])
            paid = sum(x[k * D + d] * sh["length"] for k, sh in enumerate(sub) for d in range(D))
            better = _paid_rate_bound(p, list(zip(sub, keep)), paid, progress, team=True)
            if better is not None and better > bound:
                bound = better
            # When no team row binds at the LP's optimum, the team does not
            # restrict the schedule: the schedule IP's shifts (whole people,
            # breaks placed) are a better start than the rounded LP, if
            # they keep every row (loose contracts, 2,000 agents: 0.7%
            # against 2.0%).  When rows bind (too few people for the peaks,
            # the weekends, a skill), the IP's time goes to the search.
            if _rows_kept(rows, x, D, slack=True):
                res = schedule_parsed(
                    dict(p, shifts=sub, time_limit=max(0.05, 0.3 * p["time_limit"])), progress)
                xi = [0.0] * (len(sub) * D)
                index = {sh["name"]: k for k, sh in enumerate(sub)}
                for g in res["assignments"]:
                    xi[index[g["shift"]] * D + g["day"]] += g["count"]
                if res["assignments"] and _rows_kept(rows, xi, D):
                    groups = _ip_groups(res, sub, keep)
                if res["bound"] is not None and res["bound"] > bound:
                    bound = res["bound"]
        elif sub:
            q = dict(p, shifts=sub, time_limit=max(0.05, 0.3 * p["time_limit"]))
            res = schedule_parsed(q, progress)
            groups = _ip_groups(res, sub, keep)
            bound, lp_bound = res["bound"], res["lp_bound"]
            if bound is not None:
                length = {s["name"]: s["length"] for s in sub}
                paid = sum(g["count"] * length[g["shift"]] for g in res["assignments"])
                better = _paid_rate_bound(p, list(zip(sub, keep)), paid, progress)
                if better is not None and better > bound:
                    bound = better
        else:
            groups = []
            bound = float(p["under_staffing_cost"] * sum(p["required"]))
    # Building the result takes about 0.5 ms per agent after the core's
    # clock stops: kept out of its time limit.
    left = max(0.05, p["time_limit"] - (time.monotonic() - t0) - 0.1 - 5e-4 * len(agents))
    team = None
    if p["cover"] is None and sub and schedule is not None:
        # The team's bound runs beside the roster search (which is serial)
        # and within the same time.
        team = _TeamBound(p, sub, keep, left)
        team.start()
    succ = [(shifts.index(next(x for x in shifts if x["name"] == f)), s)
            for s, sh in enumerate(shifts) for f in sh["cannot_follow"]]
    raw = _core.roster_solve(
        D, p["interval_minutes"], p["cyclic"], p["start_weekday"],
        [(s["start"], True, s["length"], s["cost"], s["breaks"], s["day_costs"])
         for s in shifts], succ,
        p["required"], p["under_staffing_cost"], p["over_staffing_cost"],
        p["cover"] or [], _core_agents(agents), groups, left, progress, p["threads"])
    if team is not None and raw["stop"] != "cancelled":
        team.join()
        if team.error is not None:
            raise team.error
        if team.value is not None and (bound is None or team.value > bound):
            bound = team.value
    return _result(p, raw, bound, lp_bound, time.monotonic() - t0)


def _team_lp(p: Dict[str, Any], sub: List[Dict[str, Any]], keep: List[int], seconds: float):
    """(bound, x, rows) of the team's LP: the schedule problem of roster
    problem `p` with shifts `sub` (p's shifts keep[k] at their cheapest
    agent's cost) and the rows of _team_rows; x[k * days + d] the people on
    sub[k] on day d.  None when not solved within `seconds`."""
    t = time.monotonic()
    rows = _team_rows(p, keep)
    q = dict(p, shifts=sub)
    left = seconds - (time.monotonic() - t)
    if left <= 0.05:
        return None
    bound, x = _core.schedule_lp_bound(
        q["intervals"], q["interval_minutes"], q["cyclic"], q["required"], _core_shifts(q),
        q["under_staffing_cost"], q["over_staffing_cost"], left, rows)
    if not math.isfinite(bound):
        return None
    return bound, x, rows


def _rows_kept(rows: list, x: List[float], D: int, slack: bool = False) -> bool:
    """Whether people per shift start x[k * D + d] keep every team row
    (slack: with room, no row at its bound)."""
    for lo, hi, ks, ds, cs in rows:
        lhs = sum(c * x[k * D + d] for k, d, c in zip(ks, ds, cs))
        tol = -1e-6 * max(1.0, abs(hi) if hi < math.inf else abs(lo)) if slack else 1e-6
        if lhs > hi + tol or lhs < lo - tol:
            return False
    return True


def _ip_groups(res: Dict[str, Any], sub: List[Dict[str, Any]], keep: List[int]) -> list:
    """Groups (shift, start, count, break offsets) from a schedule result on
    shifts `sub` (sub[k] is the problem's shift keep[k])."""
    index = {sh["name"]: k for k, sh in enumerate(sub)}
    return [(keep[index[g["shift"]]], g["start"], g["count"],
             [b[0] - g["start"] for b in g["breaks"]]) for g in res["assignments"]]


def _round_groups(x: List[float], sub: List[Dict[str, Any]], keep: List[int], D: int,
                  step: int) -> list:
    """Groups (shift, start, count, break offsets) from the team LP's
    people per shift start, rounded to the nearest whole person; breaks in
    the middle of their windows (the search moves them)."""
    groups = []
    for k, sh in enumerate(sub):
        offs = [b[1] + (b[2] - b[1]) // (2 * step) * step for b in sh["breaks"]]
        for d in range(D):
            n = int(math.floor(x[k * D + d] + 0.5))
            if n > 0:
                groups.append((keep[k], d * 1440 + sh["start"], n, offs))
    return groups


class _TeamBound(threading.Thread):
    """_team_lp's bound on a thread of its own (beside the roster search);
    `value` the bound or None (not solved within `seconds`), `error` an
    exception to raise in the caller.  A daemon: after Ctrl-C the roster
    returns without waiting for it."""

    def __init__(self, p, sub, keep, seconds):
        super().__init__(daemon=True)
        self.args, self.value, self.error = (p, sub, keep, seconds), None, None

    def run(self):
        try:
            found = _team_lp(*self.args)
            self.value = None if found is None else found[0]
        except MemoryError:
            self.value = None
        except BaseException as e:  # raised again by the caller
            self.error = e


def _result(p, raw, bound, lp_bound, seconds) -> Dict[str, Any]:
    agents, shifts = p["agents"], p["shifts"]
    D, T = p["days"], p["intervals"]
    ids = [a["id"] for a in agents]
    unassigned = []
    for s, d, count, blocked in raw["unassigned"]:
        by: Dict[str, List[str]] = {}
        for a, code in enumerate(blocked):
            if code:
                by.setdefault(RULES[code], []).append(ids[a])
        unassigned.append({"shift": shifts[s]["name"], "day": d, "count": count,
                           "blocked_by": by})
    base = {"format": RESULT_FORMAT, "stop": raw["stop"], "seconds": seconds,
            "wait_cost": 0.0, "unassigned": unassigned}
    if raw["status"] == "no_solution":
        broken = []
        for a, mask in enumerate(raw["broken"]):
            rules = [RULES[r] for r in range(len(RULES)) if mask >> r & 1]
            if rules:
                broken.append(f"{ids[a]}: {', '.join(rules)}")
        return dict(base, status="no_solution", objective=None, bound=bound, gap=None,
                    lp_bound=lp_bound, labor_cost=None, request_penalty=None,
                    cover_penalty=None, under_staffing=None, over_staffing=None,
                    coverage=[0] * T, assignments=[], roster=[], unstaffed=[],
                    error="no roster keeps every rule (found within the time limit); "
                          "rules still broken: " + "; ".join(broken))
    shift_of, offs = raw["shift"], raw["break_offset"]
    assignments, roster_out = [], []
    for a, ag in enumerate(agents):
        mine, paid, cost = [], 0, 0.0
        row = shift_of[a * D:(a + 1) * D]
        for d, s in enumerate(row):
            if s < 0:
                continue
            sh = shifts[s]
            start = d * 1440 + sh["start"]
            o = offs[(a * D + d) * _MAXB:(a * D + d) * _MAXB + len(sh["breaks"])]
            breaks = [[start + x, start + x + b[0]] for x, b in zip(o, sh["breaks"])]
            paid += sh["length"]
            cost += _agent_cost(ag, sh, d)
            entry = {"day": d, "shift": sh["name"], "start": start,
                     "end": start + sh["length"], "breaks": breaks}
            mine.append(entry)
            assignments.append(dict(entry, agent=ag["id"], tour=a, count=1))
        pen = 0.0
        for d, s, work, weight in ag["requests"]:
            hit = row[d] >= 0 if s < 0 else row[d] == s
            if hit != bool(work):
                pen += weight
        roster_out.append({"agent": ag["id"], "paid_minutes": paid, "cost": cost,
                           "request_penalty": pen, "shifts": mine})
    cov = raw["coverage"]
    unstaffed = []
    if p["required"] is not None:
        unstaffed = [{"interval": t, "shortfall": r - c}
                     for t, (r, c) in enumerate(zip(p["required"], cov)) if c < r]
    objective = raw["objective"]
    gap = None
    if bound is not None:
        bound = min(bound, objective)
        gap = (objective - bound) / max(1.0, abs(objective))
    status = "optimal" if gap is not None and gap <= p["mip_gap"] else "feasible"
    return dict(base, status=status, objective=objective, bound=bound, gap=gap,
                lp_bound=lp_bound, labor_cost=raw["labor_cost"],
                request_penalty=raw["request_penalty"], cover_penalty=raw["cover_penalty"],
                under_staffing=raw["under_staffing"], over_staffing=raw["over_staffing"],
                coverage=cov, assignments=assignments, roster=roster_out,
                unstaffed=unstaffed)
