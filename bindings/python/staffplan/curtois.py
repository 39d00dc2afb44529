"""The Curtois & Qu staff-rostering benchmark: reader, exact scorer and IP.

The public instances (Instance1..24, schedulingbenchmarks.org) are the
reference the roster engine is held to.  This module reads the published
text format, scores a roster exactly as the instance set defines it (hard
rules checked, soft penalties summed), and writes the benchmark's integer
program in CPLEX LP format so any MIP solver (glpsol, CBC) can produce
reference rosters.

Rules (hard unless noted): at most one shift per employee per day; a shift
may not be followed next day by one in its "cannot follow" list; per
employee: max shifts of each type, min/max total minutes, max consecutive
working days, min consecutive working days, min consecutive days off, max
working weekends (Saturday or Sunday worked; day 0 is a Monday), listed days
off.  Soft: shift-on requests (weight paid if not granted), shift-off
requests (weight paid if granted), cover per day and shift type (weight per
missing or extra person).

Sequences touching the horizon's ends: a stretch of working days or days
off that starts on day 0 or ends on the last day is not held to the minimum
length (the days beyond the horizon are unknown); windows for the maximum
of consecutive working days lie inside the horizon.  This is the convention
under which Instance1's published optimum is 607.

A roster is a dict: employee id -> list of `horizon` entries, each a shift
id or None (day off).

`to_problem` writes an instance as a staffplan roster problem
(docs/roster-format.md) without loss, `to_result` writes a roster as the
staffplan-result/1 of that problem, and `from_result` reads a staffplan
roster result back as a roster for `score`.
"""
from __future__ import annotations

import dataclasses
import math
import os
from typing import Dict, List, Optional, Tuple, Union

__all__ = ["Employee", "Instance", "read", "score", "write_lp", "read_glpsol_solution",
           "to_problem", "to_result", "from_result"]


@dataclasses.dataclass
class Employee:
    id: str
    max_shifts: Dict[str, int]        # shift id -> max count over the horizon
    max_minutes: int
    min_minutes: int
    max_consecutive: int              # working days
    min_consecutive: int              # working days
    min_consecutive_off: int          # days off
    max_weekends: int
    days_off: List[int] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Instance:
    horizon: int                                      # days, day 0 is a Monday
    shifts: Dict[str, Tuple[int, List[str]]]          # id -> (minutes, cannot follow)
    staff: List[Employee]
    on_requests: List[Tuple[str, int, str, int]]      # employee, day, shift, weight
    off_requests: List[Tuple[str, int, str, int]]
    cover: Dict[Tuple[int, str], Tuple[int, int, int]]  # (day, shift) -> (req, under w, over w)
    name: str = ""

    @property
    def weekends(self) -> List[Tuple[int, ...]]:
        """Days of each weekend (Saturday, Sunday) inside the horizon."""
        out = []
        for sat in range(5, self.horizon, 7):
            out.append(tuple(d for d in (sat, sat + 1) if d < self.horizon))
        return out


def _sections(text: str) -> Dict[str, List[List[str]]]:
    sections: Dict[str, List[List[str]]] = {}
    current = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("SECTION_"):
            current = line
            sections[current] = []
            continue
        if current is None:
            raise ValueError(f"data before the first section: {line!r}")
        sections[current].append([f.strip() for f in line.split(",")])
    return sections


def read(path: Union[str, os.PathLike]) -> Instance:
    """Read one instance file of the published text format."""
    with open(path, encoding="utf-8") as f:
        sec = _sections(f.read())
    horizon = int(sec["SECTION_HORIZON"][0][0])
    shifts = {}
    for row in sec["SECTION_SHIFTS"]:
        follow = [s for s in (row[2].split("|") if len(row) > 2 else []) if s]
        shifts[row[0]] = (int(row[1]), follow)
    staff = []
    for row in sec["SECTION_STAFF"]:
        max_shifts = {}
        for item in row[1].split("|"):
            if item:
                sid, count = item.split("=")
                max_shifts[sid] = int(count)
        staff.append(Employee(row[0], max_shifts, int(row[2]), int(row[3]), int(row[4]),
                              int(row[5]), int(row[6]), int(row[7])))
    by_id = {e.id: e for e in staff}
    for row in sec.get("SECTION_DAYS_OFF", []):
        by_id[row[0]].days_off.extend(int(d) for d in row[1:] if d != "")
    on = [(r[0], int(r[1]), r[2], int(r[3])) for r in sec.get("SECTION_SHIFT_ON_REQUESTS", [])]
    off = [(r[0], int(r[1]), r[2], int(r[3])) for r in sec.get("SECTION_SHIFT_OFF_REQUESTS", [])]
    cover = {(int(r[0]), r[1]): (int(r[2]), int(r[3]), int(r[4]))
             for r in sec.get("SECTION_COVER", [])}
    return Instance(horizon, shifts, staff, on, off, cover,
                    name=os.path.splitext(os.path.basename(os.fspath(path)))[0])


def _stretches(worked: List[bool], value: bool) -> List[Tuple[int, int]]:
    """Maximal runs [start, end) of days where worked[d] == value."""
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


def score(inst: Instance, roster: Dict[str, List[Optional[str]]]) -> Tuple[int, List[str]]:
    """The roster's penalty and the list of hard rules it breaks (empty when
    feasible).  The penalty counts every soft term; it is only meaningful
    for a feasible roster."""
    errors: List[str] = []
    h = inst.horizon
    for e in inst.staff:
        days = roster.get(e.id)
        if days is None or len(days) != h:
            errors.append(f"{e.id}: roster must have {h} days")
            continue
        unknown = [f"{e.id} day {d}: unknown shift {s!r}" for d, s in enumerate(days)
                   if s is not None and s not in inst.shifts]
        if unknown:
            errors.extend(unknown)
            continue
        worked = [s is not None for s in days]
        for d in range(h - 1):
            if days[d] is not None and days[d + 1] in inst.shifts[days[d]][1]:
                errors.append(f"{e.id} day {d}: {days[d + 1]} cannot follow {days[d]}")
        for sid in inst.shifts:
            count = sum(1 for s in days if s == sid)
            if count > e.max_shifts.get(sid, 0):
                errors.append(f"{e.id}: {count} shifts {sid} > max {e.max_shifts.get(sid, 0)}")
        minutes = sum(inst.shifts[s][0] for s in days if s is not None)
        if not e.min_minutes <= minutes <= e.max_minutes:
            errors.append(f"{e.id}: {minutes} minutes outside [{e.min_minutes}, {e.max_minutes}]")
        for a, b in _stretches(worked, True):
            if b - a > e.max_consecutive:
                errors.append(f"{e.id}: {b - a} consecutive shifts from day {a} > {e.max_consecutive}")
            if b - a < e.min_consecutive and a > 0 and b < h:
                errors.append(f"{e.id}: {b - a} consecutive shifts from day {a} < {e.min_consecutive}")
        for a, b in _stretches(worked, False):
            if b - a < e.min_consecutive_off and a > 0 and b < h:
                errors.append(f"{e.id}: {b - a} days off from day {a} < {e.min_consecutive_off}")
        weekends = sum(1 for w in inst.weekends if any(worked[d] for d in w))
        if weekends > e.max_weekends:
            errors.append(f"{e.id}: {weekends} weekends > {e.max_weekends}")
        for d in e.days_off:
            if worked[d]:
                errors.append(f"{e.id} day {d}: works on a fixed day off")
    penalty = 0
    for emp, d, sid, w in inst.on_requests:
        if roster.get(emp, [None] * h)[d] != sid:
            penalty += w
    for emp, d, sid, w in inst.off_requests:
        if roster.get(emp, [None] * h)[d] == sid:
            penalty += w
    for (d, sid), (req, under_w, over_w) in inst.cover.items():
        have = sum(1 for e in inst.staff if roster.get(e.id, [None] * h)[d] == sid)
        penalty += under_w * max(0, req - have) + over_w * max(0, have - req)
    return penalty, errors


def write_lp(inst: Instance, path: Union[str, os.PathLike]) -> int:
    """Write the benchmark's integer program in CPLEX LP format.

    Column x_<e>_<d>_<t> (indices into staff, days and sorted shift ids) is 1
    when employee e works shift t on day d.  Returns the objective's
    constant (the weights of all shift-on requests, paid back by the
    variables that grant them): the roster's penalty is the LP objective
    plus this constant.
    """
    h = inst.horizon
    sids = sorted(inst.shifts)
    tix = {s: i for i, s in enumerate(sids)}
    eix = {e.id: i for i, e in enumerate(inst.staff)}

    def x(e, d, t):
        return f"x_{e}_{d}_{t}"

    def work(e, d):
        return [x(e, d, t) for t in range(len(sids))]

    obj: Dict[str, int] = {}
    constant = 0
    for emp, d, sid, w in inst.on_requests:
        constant += w
        name = x(eix[emp], d, tix[sid])
        obj[name] = obj.get(name, 0) - w
    for emp, d, sid, w in inst.off_requests:
        name = x(eix[emp], d, tix[sid])
        obj[name] = obj.get(name, 0) + w
    rows: List[str] = []

    def wrapped(terms):
        # Some LP readers (CBC's) misread very long lines: 8 terms a line.
        parts = [f"{'+' if c >= 0 else '-'} {abs(c)} {v}" for v, c in terms]
        return "\n   ".join(" ".join(parts[i:i + 8]) for i in range(0, len(parts), 8))

    def row(name, terms, sense, rhs):
        rows.append(f" {name}: {wrapped(terms)} {sense} {rhs}")

    for (d, sid), (req, under_w, over_w) in sorted(inst.cover.items()):
        t = tix[sid]
        y, z = f"u_{d}_{t}", f"o_{d}_{t}"
        obj[y] = under_w
        obj[z] = over_w
        row(f"cover_{d}_{t}", [(x(e, d, t), 1) for e in range(len(inst.staff))]
            + [(y, 1), (z, -1)], "=", req)
    fixed_off = set()
    for e, emp in enumerate(inst.staff):
        for d in range(h):
            row(f"one_{e}_{d}", [(v, 1) for v in work(e, d)], "<=", 1)
        for d in emp.days_off:
            fixed_off.update(work(e, d))
        for t, sid in enumerate(sids):
            for u_sid in inst.shifts[sid][1]:
                for d in range(h - 1):
                    row(f"seq_{e}_{d}_{t}_{tix[u_sid]}",
                        [(x(e, d, t), 1), (x(e, d + 1, tix[u_sid]), 1)], "<=", 1)
            row(f"maxt_{e}_{t}", [(x(e, d, t), 1) for d in range(h)], "<=",
                emp.max_shifts.get(sid, 0))
        minutes = [(x(e, d, t), inst.shifts[sid][0]) for d in range(h)
                   for t, sid in enumerate(sids)]
        row(f"maxmin_{e}", minutes, "<=", emp.max_minutes)
        row(f"minmin_{e}", minutes, ">=", emp.min_minutes)
        c = emp.max_consecutive
        for d in range(h - c):
            row(f"maxc_{e}_{d}", [(v, 1) for j in range(d, d + c + 1) for v in work(e, j)],
                "<=", c)
        # No stretch off-on^s-off (s < min) nor on-off^s-on (s < min off)
        # strictly inside the horizon.
        for s in range(1, emp.min_consecutive):
            for d in range(h - s - 1):
                terms = [(v, 1) for v in work(e, d)] + [(v, 1) for v in work(e, d + s + 1)]
                terms += [(v, -1) for j in range(d + 1, d + s + 1) for v in work(e, j)]
                row(f"minc_{e}_{s}_{d}", terms, ">=", 1 - s)
        for s in range(1, emp.min_consecutive_off):
            for d in range(h - s - 1):
                terms = [(v, -1) for v in work(e, d)] + [(v, -1) for v in work(e, d + s + 1)]
                terms += [(v, 1) for j in range(d + 1, d + s + 1) for v in work(e, j)]
                row(f"mino_{e}_{s}_{d}", terms, ">=", -1)
        ks = []
        for w, days in enumerate(inst.weekends):
            k = f"k_{e}_{w}"
            ks.append((k, 1))
            for d in days:
                row(f"wk_{e}_{w}_{d}", [(k, 1)] + [(v, -1) for v in work(e, d)], ">=", 0)
        if ks:
            row(f"maxw_{e}", ks, "<=", emp.max_weekends)
    binaries = [x(e, d, t) for e in range(len(inst.staff)) for d in range(h)
                for t in range(len(sids))]
    binaries += [f"k_{e}_{w}" for e in range(len(inst.staff)) for w in range(len(inst.weekends))]
    with open(path, "w", encoding="ascii") as f:
        f.write(f"\\ Curtois-Qu {inst.name}: penalty = objective + {constant}\n")
        f.write("Minimize\n obj: ")
        f.write(wrapped([(v, c) for v, c in obj.items() if c != 0]) or "0 x_0_0_0")
        f.write("\nSubject To\n")
        f.write("\n".join(rows))
        f.write("\nBounds\n")
        for v in sorted(fixed_off):
            f.write(f" {v} = 0\n")
        f.write("Binaries\n")
        for i in range(0, len(binaries), 8):
            f.write(" " + " ".join(binaries[i:i + 8]) + "\n")
        f.write("End\n")
    return constant


def read_glpsol_solution(inst: Instance, path: Union[str, os.PathLike]) -> Dict[str, List[Optional[str]]]:
    """A roster from the printable solution (glpsol -o FILE) of write_lp's model."""
    sids = sorted(inst.shifts)
    roster: Dict[str, List[Optional[str]]] = {e.id: [None] * inst.horizon for e in inst.staff}
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    pending = None
    for line in lines:
        fields = line.split()
        if pending is not None:
            # glpsol moved the values of a long column name to the next line.
            fields = [pending] + [f for f in fields if f != "*"]
            pending = None
        elif len(fields) >= 2 and fields[0].isdigit() and fields[1].startswith("x_"):
            if len(fields) == 2:
                pending = fields[1]
                continue
            fields = [fields[1]] + [f for f in fields[2:] if f != "*"]
        else:
            continue
        name, activity = fields[0], fields[1]
        if float(activity) > 0.5:
            _, e, d, t = name.split("_")
            roster[inst.staff[int(e)].id][int(d)] = sids[int(t)]
    return roster


def _interval(inst: Instance) -> int:
    """The longest interval (a divisor of 60 minutes) every shift length is a
    multiple of: 60 for every published instance."""
    return math.gcd(60, *(minutes for minutes, _ in inst.shifts.values()))


def to_problem(inst: Instance, limits: Optional[dict] = None) -> dict:
    """The instance as a staffplan roster problem (staffplan-problem/1 with
    `agents`, docs/roster-format.md), without loss.

    - Day 0 is a Monday (`start_weekday` "mon"), the horizon is not cyclic.
    - The instance files give shift lengths but no start times: every shift
      starts at 00:00, so two shifts on consecutive days never overlap and
      the only succession rules are the instance's.  `interval_minutes` is
      60 (the longest divisor of 60 that every length is a multiple of).
    - Curtois lists with each shift the shifts that cannot follow it next
      day; staffplan lists with each shift those it cannot follow, so the
      lists are turned around.
    - Cover becomes `demand.cover` with its under and over weights; shift
      types an employee may not work get `max_shifts` 0 and are left out of
      its `shift_types`; listed days off are `fixed_days_off`; shift-on and
      shift-off requests are requests with their weights.
    - Labour costs 0 and interval shortfall and excess cost 0, so the
      objective is the Curtois penalty.
    `limits`: the problem's `limits` object (time_limit, threads, mip_gap).
    """
    step = _interval(inst)
    sids = list(inst.shifts)
    shifts = []
    for sid in sids:
        before = [p for p in sids if sid in inst.shifts[p][1]]
        shift = {"name": sid, "start": "00:00", "length": inst.shifts[sid][0], "cost": 0.0,
                 "breaks": []}
        if before:
            shift["cannot_follow"] = before
        shifts.append(shift)
    requests: Dict[str, List[dict]] = {e.id: [] for e in inst.staff}
    for emp, d, sid, w in inst.on_requests:
        requests[emp].append({"day": d, "shift": sid, "work": True, "weight": float(w)})
    for emp, d, sid, w in inst.off_requests:
        requests[emp].append({"day": d, "shift": sid, "work": False, "weight": float(w)})
    agents = []
    for e in inst.staff:
        agent = {
            "id": e.id,
            "shift_types": [sid for sid in sids if e.max_shifts.get(sid, 0) > 0],
            "max_shifts": {sid: e.max_shifts.get(sid, 0) for sid in sids},
            "min_minutes": e.min_minutes, "max_minutes": e.max_minutes,
            "min_consecutive_work_days": e.min_consecutive,
            "max_consecutive_work_days": e.max_consecutive,
            "min_consecutive_days_off": e.min_consecutive_off,
            "max_weekends": e.max_weekends,
        }
        if e.days_off:
            agent["fixed_days_off"] = sorted(set(e.days_off))
        if requests[e.id]:
            agent["requests"] = requests[e.id]
        agents.append(agent)
    problem = {
        "format": "staffplan-problem/1",
        "interval_minutes": step, "days": inst.horizon, "cyclic": False,
        "start_weekday": "mon",
        "demand": {"cover": [
            {"day": d, "shift": sid, "required": req, "under_cost": float(under),
             "over_cost": float(over)}
            for (d, sid), (req, under, over) in sorted(inst.cover.items())]},
        "shifts": shifts,
        "objective": {"under_staffing_cost": 0.0, "over_staffing_cost": 0.0},
        "agents": agents,
    }
    if limits is not None:
        problem["limits"] = dict(limits)
    return problem


def from_result(inst: Instance, result: dict) -> Dict[str, List[Optional[str]]]:
    """The roster (employee id -> shift id or None per day) of a staffplan
    roster result of `to_problem(inst)`, for `score`.  Raises ValueError
    when the result names an unknown employee, shift or day, or gives an
    employee two shifts on one day."""
    if result.get("status") not in ("optimal", "feasible"):
        raise ValueError(f"result: status {result.get('status')!r} has no roster"
                         + (f" ({result['error']})" if result.get("error") else ""))
    roster: Dict[str, List[Optional[str]]] = {e.id: [None] * inst.horizon for e in inst.staff}
    for i, entry in enumerate(result.get("roster", [])):
        emp = entry.get("agent")
        if emp not in roster:
            raise ValueError(f"result.roster[{i}].agent: unknown employee {emp!r}")
        for k, shift in enumerate(entry.get("shifts", [])):
            path = f"result.roster[{i}].shifts[{k}]"
            d, sid = shift.get("day"), shift.get("shift")
            if sid not in inst.shifts:
                raise ValueError(f"{path}.shift: unknown shift {sid!r}")
            if not isinstance(d, int) or not 0 <= d < inst.horizon:
                raise ValueError(f"{path}.day: {d!r} outside the horizon")
            if roster[emp][d] is not None:
                raise ValueError(f"{path}: {emp} already works {roster[emp][d]} on day {d}")
            roster[emp][d] = sid
    return roster


def to_result(inst: Instance, roster: Dict[str, List[Optional[str]]]) -> dict:
    """A roster of the instance as the staffplan-result/1 of `to_problem(inst)`:
    the roster, its assignments (`tour`: the employee's index) and coverage,
    the request and cover penalties (their sum, the Curtois penalty, is the
    objective), and `unassigned`: the people each cover target wants beyond
    those rostered (`blocked_by` left empty: the rules are not evaluated
    here).  Hard rules are not checked (`score` does); raises ValueError for
    an unknown employee or shift or a list of the wrong length."""
    step = _interval(inst)
    h = inst.horizon
    coverage = [0] * (h * 1440 // step)
    entries, assignments = [], []
    staff = {e.id for e in inst.staff}
    for emp in roster:
        if emp not in staff:
            raise ValueError(f"roster: unknown employee {emp!r}")
    for tour, e in enumerate(inst.staff):
        days = roster.get(e.id, [None] * h)
        if len(days) != h:
            raise ValueError(f"roster[{e.id!r}]: {len(days)} days, the horizon is {h}")
        shifts = []
        for d, sid in enumerate(days):
            if sid is None:
                continue
            if sid not in inst.shifts:
                raise ValueError(f"roster[{e.id!r}][{d}]: unknown shift {sid!r}")
            start, end = d * 1440, d * 1440 + inst.shifts[sid][0]
            shifts.append({"day": d, "shift": sid, "start": start, "end": end, "breaks": []})
            assignments.append({"agent": e.id, "tour": tour, "shift": sid, "count": 1,
                                "day": d, "start": start, "end": end, "breaks": []})
            for t in range(start // step, min(end, h * 1440) // step):
                coverage[t] += 1
        on = sum(w for emp, d, sid, w in inst.on_requests if emp == e.id and days[d] != sid)
        off = sum(w for emp, d, sid, w in inst.off_requests if emp == e.id and days[d] == sid)
        entries.append({"agent": e.id, "paid_minutes": sum(s["end"] - s["start"] for s in shifts),
                        "cost": 0.0, "request_penalty": float(on + off), "shifts": shifts})
    request_penalty = sum(r["request_penalty"] for r in entries)
    cover_penalty = 0.0
    unassigned = []
    for (d, sid), (req, under, over) in sorted(inst.cover.items()):
        have = sum(1 for e in inst.staff if roster.get(e.id, [None] * h)[d] == sid)
        cover_penalty += under * max(0, req - have) + over * max(0, have - req)
        if have < req:
            unassigned.append({"shift": sid, "day": d, "count": req - have, "blocked_by": {}})
    objective = request_penalty + cover_penalty
    return {"format": "staffplan-result/1", "status": "feasible", "objective": objective,
            "bound": 0.0, "gap": objective / max(1.0, abs(objective)), "labor_cost": 0.0,
            "under_staffing": 0, "over_staffing": 0, "wait_cost": 0.0,
            "request_penalty": request_penalty, "cover_penalty": cover_penalty,
            "coverage": coverage, "assignments": assignments, "roster": entries,
            "unstaffed": [], "unassigned": unassigned}
