"""An independent checker of roster results (docs/roster-format.md).

Written from docs/roster-format.md and docs/problem-format.md alone: it
does not use staffplan's problem reader or roster code.  ``check(problem,
result)`` returns the list of violations (empty when the result is a valid
roster whose figures are right).  Each violation is a string
``"<rule>: <detail>"``; ``rules(violations)`` gives the rule tags.

Hard rules checked per agent: one shift per day, a known shift on a day of
the horizon with the right start, end and breaks (inside their windows, on
the interval grid), skill, shift_types, unavailable_days, fixed_days_off,
availability windows (weekday from start_weekday), min_rest_minutes (and
no overlapping shifts), cannot_follow, max_shifts, minutes per whole week
and over the horizon, stretches of working days and days off (the
Curtois-Qu convention: a stretch touching day 0 or the last day is not held
to the minimum; rosters are never cyclic for these rules) and max_weekends.

Figures recomputed from the roster alone and compared with the result:
coverage, labor_cost, under_staffing, over_staffing, request_penalty,
cover_penalty, objective, unstaffed, gap, and per agent paid_minutes, cost
and request_penalty; the roster lists every agent; the assignments must be
the roster's shifts, one `tour` per agent; `optimal` only within mip_gap.
Given the schedule of the from-schedule path (or with `demand.cover`, whose
targets are the groups given out), `unassigned` must hold, per shift and
day, the people wanted beyond those rostered (the roster may hold more: an
agent's minimum hours can need extra shifts).

    python tests/python/roster_check.py PROBLEM.json RESULT.json [SCHEDULE.json]
"""
import json
import math
import os
import sys
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from evaluate import _minutes, required_heads  # noqa: E402

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
HARD_RULES = (
    "structure", "shift", "breaks", "one_per_day", "skill", "shift_types",
    "unavailable_days", "fixed_days_off", "availability", "overlap", "min_rest_minutes",
    "cannot_follow", "max_shifts", "min_minutes_per_week", "max_minutes_per_week",
    "min_minutes", "max_minutes", "min_consecutive_work_days", "max_consecutive_work_days",
    "min_consecutive_days_off", "max_weekends",
)
FIGURES = (
    "assignments", "coverage", "labor_cost", "under_staffing", "over_staffing",
    "request_penalty", "cover_penalty", "objective", "unstaffed", "gap", "agent_paid_minutes",
    "agent_cost", "agent_request_penalty", "unassigned",
)


def rules(violations):
    """The rule tag of each violation, in order."""
    return [v.split(":", 1)[0] for v in violations]


def _close(a, b, rel=1e-9):
    return isinstance(a, (int, float)) and not isinstance(a, bool) and \
        math.isclose(a, b, rel_tol=rel, abs_tol=1e-6)


def _shift_name(s):
    return s.get("name", "S" + s["start"].replace(":", "") + "-" + str(s["length"]))


def _stretches(worked, value):
    """Maximal runs [start, end) of days with worked[d] == value."""
    runs, d, n = [], 0, len(worked)
    while d < n:
        if worked[d] != value:
            d += 1
            continue
        start = d
        while d < n and worked[d] == value:
            d += 1
        runs.append((start, d))
    return runs


def _load(obj):
    if isinstance(obj, (str, os.PathLike)):
        with open(obj, encoding="utf-8") as f:
            return json.load(f)
    return obj


def _check_shift(entry, where, shifts, step, days, out):
    """Checks one worked shift (a roster entry); returns its shift dict or None."""
    name = entry.get("shift")
    s = shifts.get(name)
    if s is None:
        out.append(f"shift: {where}: unknown shift {name!r}")
        return None
    day = entry.get("day")
    if not isinstance(day, int) or isinstance(day, bool) or not 0 <= day < days:
        out.append(f"shift: {where}: day {day!r} outside the horizon [0, {days})")
        return None
    start = day * 1440 + _minutes(s["start"])
    if entry.get("start") != start or entry.get("end") != start + s["length"]:
        out.append(f"shift: {where}: {name} on day {day} runs [{entry.get('start')}, "
                   f"{entry.get('end')}), expected [{start}, {start + s['length']})")
    windows = s.get("breaks", [])
    got = entry.get("breaks", [])
    if len(got) != len(windows):
        out.append(f"breaks: {where}: {len(got)} breaks, shift {name} has {len(windows)}")
        return s
    for k, ((b0, b1), w) in enumerate(zip(got, windows)):
        off = b0 - start
        if not w["earliest"] <= off <= w["latest"]:
            out.append(f"breaks: {where}: break {k} starts {off} min into {name}, "
                       f"window [{w['earliest']}, {w['latest']}]")
        elif b1 - b0 != w["length"]:
            out.append(f"breaks: {where}: break {k} lasts {b1 - b0} min, not {w['length']}")
        elif off % step:
            out.append(f"breaks: {where}: break {k} at offset {off} is off the "
                       f"{step}-minute grid")
    return s


def _agent_rules(a, work, shifts, days, start_weekday, out):
    """Hard rules of agent `a`; work: day -> (entry, shift dict)."""
    aid = a["id"]
    skills = set(a.get("skills") or [])
    types = a.get("shift_types")
    off_days = set(a.get("unavailable_days") or [])
    fixed = set(a.get("fixed_days_off") or [])
    avail = a.get("availability")
    for d in sorted(work):
        e, s = work[d]
        name = _shift_name(s)
        weekday = WEEKDAYS[(start_weekday + d) % 7]
        if s.get("skill") is not None and s["skill"] not in skills:
            out.append(f"skill: {aid} day {d}: {name} needs skill {s['skill']!r}")
        if types is not None and name not in types:
            out.append(f"shift_types: {aid} day {d}: {name} not in its shift_types")
        if d in off_days:
            out.append(f"unavailable_days: {aid} works on unavailable day {d}")
        if d in fixed:
            out.append(f"fixed_days_off: {aid} works on fixed day off {d}")
        if avail is not None:
            s0 = _minutes(s["start"])
            s1 = s0 + s["length"]
            if not any(_minutes(w0) <= s0 and s1 <= _minutes(w1)
                       for w0, w1 in avail.get(weekday) or []):
                out.append(f"availability: {aid} day {d} ({weekday}): {name} "
                           f"[{s['start']}, +{s['length']} min) inside no window")
    # Rest and succession between consecutive shifts.
    rest = a.get("min_rest_minutes")
    ordered = sorted(work.items())
    for (d0, (e0, s0)), (d1, (e1, s1)) in zip(ordered, ordered[1:]):
        # From the shift definitions: a misreported start or end is a "shift" violation.
        gap = (d1 * 1440 + _minutes(s1["start"])) - (d0 * 1440 + _minutes(s0["start"])
                                                     + s0["length"])
        if gap < 0:
            out.append(f"overlap: {aid}: shifts of days {d0} and {d1} overlap")
        elif rest is not None and gap < rest:
            out.append(f"min_rest_minutes: {aid}: {gap} min between days {d0} and {d1} "
                       f"< {rest}")
        if d1 == d0 + 1 and _shift_name(s0) in (s1.get("cannot_follow") or []):
            out.append(f"cannot_follow: {aid} day {d1}: {_shift_name(s1)} cannot follow "
                       f"{_shift_name(s0)}")
    counts = Counter(_shift_name(s) for _, s in work.values())
    for name, most in (a.get("max_shifts") or {}).items():
        if counts.get(name, 0) > most:
            out.append(f"max_shifts: {aid}: {counts[name]} x {name} > {most}")
    minutes = [0] * days
    for d, (_, s) in work.items():
        minutes[d] = s["length"]
    for w in range(days // 7):
        week = sum(minutes[7 * w:7 * w + 7])
        lo, hi = a.get("min_minutes_per_week"), a.get("max_minutes_per_week")
        if lo is not None and week < lo:
            out.append(f"min_minutes_per_week: {aid} week {w}: {week} min < {lo}")
        if hi is not None and week > hi:
            out.append(f"max_minutes_per_week: {aid} week {w}: {week} min > {hi}")
    total = sum(minutes)
    if a.get("min_minutes") is not None and total < a["min_minutes"]:
        out.append(f"min_minutes: {aid}: {total} min < {a['min_minutes']}")
    if a.get("max_minutes") is not None and total > a["max_minutes"]:
        out.append(f"max_minutes: {aid}: {total} min > {a['max_minutes']}")
    worked = [d in work for d in range(days)]
    lo_w, hi_w = a.get("min_consecutive_work_days"), a.get("max_consecutive_work_days")
    lo_off = a.get("min_consecutive_days_off")
    for b, e in _stretches(worked, True):
        if hi_w is not None and e - b > hi_w:
            out.append(f"max_consecutive_work_days: {aid}: {e - b} days from day {b} > {hi_w}")
        if lo_w is not None and e - b < lo_w and b > 0 and e < days:
            out.append(f"min_consecutive_work_days: {aid}: {e - b} days from day {b} < {lo_w}")
    for b, e in _stretches(worked, False):
        if lo_off is not None and e - b < lo_off and b > 0 and e < days:
            out.append(f"min_consecutive_days_off: {aid}: {e - b} days off from day {b} "
                       f"< {lo_off}")
    if a.get("max_weekends") is not None:
        # Saturday and Sunday of one calendar week share (start_weekday + d) // 7.
        weekends = {(start_weekday + d) // 7 for d in work if (start_weekday + d) % 7 >= 5}
        if len(weekends) > a["max_weekends"]:
            out.append(f"max_weekends: {aid}: {len(weekends)} weekends > {a['max_weekends']}")


def _labor(a, s, day, start_weekday):
    """Agent a's cost of shift s started on horizon day `day`: the shift's
    cost of that weekday (weekday_costs, else cost), or, with
    cost_per_hour, the rate x paid hours x that cost over the shift's cost
    (x 1 when the cost is 0)."""
    cost = (s.get("weekday_costs") or {}).get(WEEKDAYS[(start_weekday + day) % 7], s["cost"])
    if a.get("cost_per_hour") is None:
        return cost
    return a["cost_per_hour"] * s["length"] / 60.0 * (cost / s["cost"] if s["cost"] > 0 else 1.0)


def _request_penalty(a, work, shifts):
    total = 0.0
    for r in a.get("requests") or []:
        entry = work.get(r["day"])
        name = _shift_name(entry[1]) if entry else None
        hit = entry is not None and (r.get("shift") is None or r["shift"] == name)
        if r["work"] != hit:
            total += r.get("weight", 1.0)
    return total


def check(problem, result, schedule=None):
    """Violations of `result` (a staffplan-result/1 roster) against `problem`
    (dicts or JSON paths); empty when every hard rule holds and every
    figure equals its recomputation.  `schedule`: the staffplan-result/1 a
    from-schedule roster was built from; then (and with `demand.cover`)
    `unassigned` must hold, per shift and day, the people wanted beyond
    those rostered."""
    problem, result = _load(problem), _load(result)
    out = []
    if result.get("status") not in ("optimal", "feasible"):
        return [f"structure: status {result.get('status')!r} carries no roster "
                f"({result.get('error', 'no error given')})"]
    step = problem["interval_minutes"]
    days = problem["days"]
    horizon = days * 1440
    cyclic = problem.get("cyclic", True)
    start_weekday = WEEKDAYS.index(problem.get("start_weekday", "mon"))
    shifts = {_shift_name(s): s for s in problem["shifts"]}
    agents = {a["id"]: a for a in problem.get("agents") or []}
    for key in ("roster", "assignments", "coverage", "labor_cost", "objective",
                "request_penalty", "cover_penalty"):
        if key not in result:
            out.append(f"structure: result has no {key!r}")
    if out:
        return out

    # The roster: per agent, day -> (entry, shift).
    work = {aid: {} for aid in agents}
    seen = set()
    entries = []
    for i, r in enumerate(result["roster"]):
        aid = r.get("agent")
        if aid not in agents:
            out.append(f"structure: roster[{i}] names unknown agent {aid!r}")
            continue
        if aid in seen:
            out.append(f"structure: agent {aid} appears twice in the roster")
            continue
        seen.add(aid)
        for k, e in enumerate(r.get("shifts", [])):
            where = f"{aid} shift {k}"
            s = _check_shift(e, where, shifts, step, days, out)
            if s is None:
                continue
            if e["day"] in work[aid]:
                out.append(f"one_per_day: {aid} works two shifts on day {e['day']}")
                continue
            work[aid][e["day"]] = (e, s)
            entries.append((aid, e, s))
    for aid in agents:
        if aid not in seen:
            out.append(f"structure: agent {aid} is not in the roster (every agent is listed)")
    for aid, a in agents.items():
        _agent_rules(a, work[aid], shifts, days, start_weekday, out)

    # The assignments are the roster's shifts, one person each.
    def key(aid, e):
        return (aid, e.get("shift"), e.get("day"), e.get("start"), e.get("end"),
                tuple(tuple(b) for b in e.get("breaks", [])))
    from_roster = Counter(key(aid, e) for aid, e, _ in entries)
    from_assign = Counter()
    tours = {}
    for i, g in enumerate(result["assignments"]):
        if g.get("count") != 1:
            out.append(f"assignments: assignment {i} has count {g.get('count')!r}, not 1")
        from_assign[key(g.get("agent"), g)] += 1
        tours.setdefault(g.get("tour"), set()).add(g.get("agent"))
    if any(len(names) > 1 for names in tours.values()) or \
            len(tours) != len({g.get("agent") for g in result["assignments"]}):
        out.append("assignments: `tour` is not one per agent")
    if from_assign != from_roster:
        extra = from_assign - from_roster
        missing = from_roster - from_assign
        out.append(f"assignments: differ from the roster (not in roster: "
                   f"{sorted(extra)[:3]}, missing: {sorted(missing)[:3]})")

    # Coverage, minute by minute over the interval grid; breaks do not cover.
    n = horizon // step
    coverage = [0] * n
    for aid, e, s in entries:
        for m in range(e["start"], e["end"], step):
            if any(b0 <= m < b1 for b0, b1 in e.get("breaks", [])):
                continue
            if m >= horizon:
                if not cyclic:
                    continue
                m -= horizon
            coverage[m // step] += 1
    if list(result["coverage"]) != coverage:
        bad = [t for t in range(n) if t >= len(result["coverage"])
               or result["coverage"][t] != coverage[t]]
        out.append(f"coverage: differs from the roster at {len(bad)} intervals "
                   f"(first {bad[:5]})")

    demand = problem["demand"]
    required = required_heads(problem) if ("required" in demand or "forecast" in demand) \
        else None
    obj = problem.get("objective") or {}
    under_cost = obj.get("under_staffing_cost", 1000.0)
    over_cost = obj.get("over_staffing_cost", 0.0)
    if required is None:
        under = over = 0
        unstaffed = []
    else:
        under = sum(max(0, r - c) for r, c in zip(required, coverage))
        over = sum(max(0, c - r) for r, c in zip(required, coverage))
        unstaffed = [(t, r - c) for t, (r, c) in enumerate(zip(required, coverage)) if c < r]

    # Costs and penalties, per agent and in total.
    labor = 0.0
    requests = 0.0
    per_agent = {}
    for aid, a in agents.items():
        paid = sum(s["length"] for _, s in work[aid].values())
        cost = sum(_labor(a, s, d, start_weekday) for d, (_, s) in work[aid].items())
        pen = _request_penalty(a, work[aid], shifts)
        per_agent[aid] = (paid, cost, pen)
        labor += cost
        requests += pen
    for r in result["roster"]:
        aid = r.get("agent")
        if aid not in per_agent:
            continue
        paid, cost, pen = per_agent[aid]
        if r.get("paid_minutes") != paid:
            out.append(f"agent_paid_minutes: {aid}: result {r.get('paid_minutes')}, "
                       f"recomputed {paid}")
        if not _close(r.get("cost"), cost):
            out.append(f"agent_cost: {aid}: result {r.get('cost')}, recomputed {cost}")
        if not _close(r.get("request_penalty"), pen):
            out.append(f"agent_request_penalty: {aid}: result {r.get('request_penalty')}, "
                       f"recomputed {pen}")
    cover = 0.0
    people = Counter((e["day"], _shift_name(s)) for _, e, s in entries)
    for c in demand.get("cover") or []:
        have = people.get((c["day"], c["shift"]), 0)
        cover += c.get("under_cost", 1.0) * max(0, c["required"] - have) \
            + c.get("over_cost", 0.0) * max(0, have - c["required"])
    objective = labor + under_cost * under + over_cost * over + requests + cover
    for name, value in (("labor_cost", labor), ("under_staffing", under),
                        ("over_staffing", over), ("request_penalty", requests),
                        ("cover_penalty", cover), ("objective", objective)):
        if not _close(result.get(name), value):
            out.append(f"{name}: result {result.get(name)!r}, recomputed {value!r}")
    got_unstaffed = sorted((u.get("interval"), u.get("shortfall"))
                           for u in result.get("unstaffed", []))
    if got_unstaffed != unstaffed:
        out.append(f"unstaffed: result lists {len(got_unstaffed)} intervals, recomputed "
                   f"{len(unstaffed)} (first {unstaffed[:3]})")
    bound, gap = result.get("bound"), result.get("gap")
    if isinstance(bound, (int, float)) and _close(result["objective"], objective):
        if bound > objective + 1e-6 * max(1.0, abs(objective)):
            out.append(f"gap: bound {bound} above the objective {objective}")
        elif not _close(gap, (objective - bound) / max(1.0, abs(objective))):
            out.append(f"gap: {gap!r}, expected (objective - bound) / max(1, |objective|)")
    mip_gap = (problem.get("limits") or {}).get("mip_gap", 1e-4)
    if result["status"] == "optimal" and not (
            isinstance(gap, (int, float)) and gap <= mip_gap + 1e-12):
        out.append(f"gap: status optimal with gap {gap!r} (mip_gap {mip_gap})")

    wanted = None
    if schedule is not None:
        wanted = Counter()
        for g in _load(schedule)["assignments"]:
            wanted[(g["shift"], g["day"])] += g["count"]
    elif "cover" in demand:
        wanted = Counter({(c["shift"], c["day"]): c["required"] for c in demand["cover"]})
    if wanted is not None:
        left = Counter()
        for u in result.get("unassigned", []):
            left[(u["shift"], u["day"])] += u["count"]
        got = Counter({(sh, d): c for (d, sh), c in people.items()})
        # The schedule's people nobody took; shifts beyond the schedule (an agent's
        # minimum hours may need them) leave nothing unassigned.
        for k in sorted(set(wanted) | set(got) | set(left)):
            if left.get(k, 0) != max(0, wanted.get(k, 0) - got.get(k, 0)):
                out.append(f"unassigned: {k[0]} day {k[1]}: {left.get(k, 0)} unassigned, "
                           f"but {wanted.get(k, 0)} scheduled and {got.get(k, 0)} rostered")
    return out


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) not in (2, 3):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    violations = check(*argv)
    for v in violations:
        print(v)
    print(f"{len(violations)} violations")
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
