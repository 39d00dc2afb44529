"""Synthetic but realistic contact-center forecasts, for examples, tests and benchmarks.

Everything here is deterministic for a given ``seed``; the forecasts are pure
Python (standard library only), :func:`roster_problem` also uses
:func:`staffplan.requirements` and :mod:`staffplan.templates`.

Units, as everywhere in staffplan:

* ``interval`` is the length of one forecast interval in **seconds** (900 = 15 min);
* ``volume`` is **contacts arriving per interval** (not per hour);
* ``aht`` is the average handle time of a contact in **seconds**;
* offered traffic in Erlangs is ``volume * aht / interval``.

The shape of a generated week:

* an intraday curve with the main peak around 10:00-11:00, a lunch dip, a smaller
  afternoon peak around 14:00-15:00 and an evening shoulder, falling to a small
  (non-zero) overnight level: a 24/7 center with little traffic at night;
* a weekly pattern: Monday highest, slowly decreasing to Friday, Saturday about 55%
  and Sunday about 40% of Monday, with slightly later, flatter weekend mornings;
* AHT varying mildly over the day: shortest in the morning, longest in the
  evening and at night (about -5% .. +8% around the ``aht`` given);
* Poisson noise on the contact counts and a few percent of day-to-day noise.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import List

__all__ = ["Forecast", "forecast", "forecast_sites", "roster_problem", "ROSTER_TEMPLATES",
           "WEEKDAY_FACTORS"]

#: Volume of each weekday relative to Monday (index 0 = Monday ... 6 = Sunday).
WEEKDAY_FACTORS = (1.00, 0.94, 0.91, 0.89, 0.86, 0.55, 0.40)

#: First timestamp used by :meth:`Forecast.to_pandas` (a Monday).
EPOCH = "2026-01-05"

_DAY = 86400


@dataclass
class Forecast:
    """A forecast: contacts and handle time for consecutive intervals.

    Attributes
    ----------
    volume : list of float
        Contacts arriving in each interval (contacts per interval, >= 0).
    aht : list of float
        Average handle time of the contacts of each interval, in seconds (> 0).
    interval : int
        Interval length in seconds (900 = 15 minutes).
    days : int
        Number of days covered; ``len(volume) == days * 86400 // interval``.
    start_weekday : int
        Weekday of the first day, 0 = Monday ... 6 = Sunday.
    """

    volume: List[float] = field(default_factory=list)
    aht: List[float] = field(default_factory=list)
    interval: int = 900
    days: int = 7
    start_weekday: int = 0

    def __len__(self) -> int:
        return len(self.volume)

    @property
    def intervals_per_day(self) -> int:
        """Number of intervals in one day (96 for 15-minute intervals)."""
        return _DAY // self.interval

    @property
    def traffic(self) -> List[float]:
        """Offered traffic of each interval in Erlangs: ``volume * aht / interval``."""
        t = self.interval
        return [v * h / t for v, h in zip(self.volume, self.aht)]

    def to_pandas(self):
        """Return a :class:`pandas.DataFrame` of the forecast.

        The index holds the start timestamp of each interval, beginning on Monday
        2026-01-05 00:00 (shifted by ``start_weekday`` days so that weekdays match).
        Columns: ``volume`` (contacts per interval), ``aht`` (seconds) and
        ``traffic`` (Erlangs).

        Raises
        ------
        ImportError
            If pandas is not installed.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the environment
            raise ImportError(
                "Forecast.to_pandas() needs pandas, which is not installed; "
                "install it with 'pip install pandas' or use the plain lists "
                "Forecast.volume and Forecast.aht"
            ) from exc
        start = pd.Timestamp(EPOCH) + pd.Timedelta(days=self.start_weekday)
        index = pd.date_range(start, periods=len(self.volume),
                              freq=pd.Timedelta(seconds=self.interval), name="start")
        return pd.DataFrame(
            {"volume": self.volume, "aht": self.aht, "traffic": self.traffic},
            index=index,
        )


def _gauss(x: float, mu: float, sigma: float) -> float:
    return math.exp(-0.5 * ((x - mu) / sigma) ** 2)


def _intraday(hour: float, weekend: bool) -> float:
    """Relative arrival rate at ``hour`` (0..24, local time), before normalisation."""
    shift = 0.5 if weekend else 0.0         # weekend mornings start later
    night = 0.022                           # overnight floor (24/7 center)
    curve = (
        1.00 * _gauss(hour, 10.45 + shift, 1.25)    # morning peak
        + 0.12 * _gauss(hour, 12.5, 0.9)            # lunch (a dip, not a gap)
        + 0.72 * _gauss(hour, 14.6 + shift / 2, 1.15)  # afternoon peak
        + 0.26 * _gauss(hour, 17.3, 1.4)            # after-work shoulder
        + 0.11 * _gauss(hour, 20.3, 1.7)            # evening
    )
    if weekend:
        curve *= 0.85 + 0.15 * _gauss(hour, 13.0, 3.0)   # flatter weekend day
    return night + curve


def _shape(hours: List[float], weekend: bool) -> List[float]:
    """The intraday curve at ``hours``, scaled so that the weekday curve peaks at 1
    and every curve has the same daily total as the weekday curve (weekday
    factors then set the daily totals)."""
    fine = [(m + 0.5) / 60.0 for m in range(24 * 60)]
    weekday_fine = [_intraday(h, False) for h in fine]
    peak = max(weekday_fine)
    own_area = sum(_intraday(h, weekend) for h in fine)
    scale = sum(weekday_fine) / own_area / peak
    return [_intraday(h, weekend) * scale for h in hours]


def _aht_factor(hour: float) -> float:
    """Relative AHT at ``hour``: about 0.95 in the morning, 1.08 in the late evening."""
    return 1.0 + 0.065 * math.cos(2.0 * math.pi * (hour - 21.5) / 24.0) + 0.015


def _poisson(rng: random.Random, lam: float) -> int:
    """A Poisson(lam) sample (exact below 30, normal approximation above)."""
    if lam <= 0.0:
        return 0
    if lam < 30.0:
        # Knuth's multiplication method.
        limit = math.exp(-lam)
        k, p = 0, rng.random()
        while p > limit:
            k += 1
            p *= rng.random()
        return k
    return max(0, int(round(rng.gauss(lam, math.sqrt(lam)))))


def forecast(days: int = 7, interval: int = 900, peak_volume: float = 120.0,
             aht: float = 300.0, seed: int = 0, start_weekday: int = 0) -> Forecast:
    """Generate a realistic forecast for a 24/7 contact center.

    Parameters
    ----------
    days : int
        Number of days (7 = one week).
    interval : int
        Interval length in seconds; must divide one day (86400 s). 900 = 15 minutes.
    peak_volume : float
        Expected contacts **per interval** at the Monday morning peak (before noise).
    aht : float
        Typical average handle time in seconds; the generated AHT varies mildly
        around it over the day (shorter mornings, longer evenings and nights).
    seed : int
        Seed of the ``random.Random`` generator; equal seeds give equal forecasts.
    start_weekday : int
        Weekday of the first day, 0 = Monday ... 6 = Sunday.

    Returns
    -------
    Forecast
        ``days * 86400 // interval`` intervals of ``volume`` (contacts, whole
        numbers stored as floats) and ``aht`` (seconds).
    """
    days = int(days)
    interval = int(interval)
    if days < 0:
        raise ValueError("days must be >= 0, got %r" % (days,))
    if interval <= 0 or _DAY % interval:
        raise ValueError("interval must be a positive divisor of 86400 seconds, got %r"
                         % (interval,))
    if not (peak_volume >= 0 and math.isfinite(peak_volume)):
        raise ValueError("peak_volume must be finite and >= 0, got %r" % (peak_volume,))
    if not (aht > 0 and math.isfinite(aht)):
        raise ValueError("aht must be finite and > 0 seconds, got %r" % (aht,))
    if not 0 <= int(start_weekday) <= 6:
        raise ValueError("start_weekday must be 0 (Monday) .. 6 (Sunday), got %r"
                         % (start_weekday,))
    start_weekday = int(start_weekday)

    rng = random.Random(seed)
    per_day = _DAY // interval
    hours = [(i + 0.5) * interval / 3600.0 for i in range(per_day)]
    shape_weekday = _shape(hours, False)
    shape_weekend = _shape(hours, True)
    aht_shape = [_aht_factor(h) for h in hours]

    volume: List[float] = []
    handle: List[float] = []
    for d in range(days):
        weekday = (start_weekday + d) % 7
        shape = shape_weekend if weekday >= 5 else shape_weekday
        day_level = WEEKDAY_FACTORS[weekday] * max(0.5, rng.gauss(1.0, 0.03))
        day_aht = aht * max(0.8, rng.gauss(1.0, 0.015))
        for i in range(per_day):
            lam = peak_volume * day_level * shape[i]
            n = _poisson(rng, lam)
            volume.append(float(n))
            # Mean of n handle times: noisier when few contacts arrive, never wild.
            sd = min(0.08, 0.5 / math.sqrt(n + 4.0))
            noise = min(1.25, max(0.8, rng.gauss(1.0, sd)))
            handle.append(round(day_aht * aht_shape[i] * noise, 1))
    return Forecast(volume=volume, aht=handle, interval=interval, days=days,
                    start_weekday=start_weekday)


def forecast_sites(sites: int, days: int = 7, interval: int = 900, seed: int = 0,
                   aht: float = 300.0) -> List[Forecast]:
    """Generate forecasts for ``sites`` centers of very different sizes.

    Site sizes are log-uniform: the Monday peak of each site is between 5 and
    2,000 contacts per interval.  Each site's typical AHT is log-uniform between
    0.7x and 1.4x ``aht`` seconds.  All sites start on a Monday.

    Parameters
    ----------
    sites : int
        Number of forecasts to generate.
    days, interval : int
        As in :func:`forecast` (days; seconds).
    seed : int
        Master seed; each site gets its own seed derived from it.
    aht : float
        Centre of the per-site typical AHT, seconds.

    Returns
    -------
    list of Forecast
    """
    if sites < 0:
        raise ValueError("sites must be >= 0, got %r" % (sites,))
    rng = random.Random(seed)
    out = []
    for _ in range(int(sites)):
        peak = math.exp(rng.uniform(math.log(5.0), math.log(2000.0)))
        site_aht = aht * math.exp(rng.uniform(math.log(0.7), math.log(1.4)))
        site_seed = rng.getrandbits(63)
        out.append(forecast(days=days, interval=interval, peak_volume=peak,
                            aht=site_aht, seed=site_seed, start_weekday=0))
    return out


#: Shift templates of :func:`roster_problem` (staffplan.templates format):
#: full-time 8-hour day shifts and a night shift, part-time 4-6 hour shifts, and
#: 8-hour shifts of the French line (skill "french", added by roster_problem).
_FT_BREAKS = [{"length": 15, "earliest": 90, "latest": 150},
              {"length": 30, "earliest": 210, "latest": 300},
              {"length": 15, "earliest": 360, "latest": 420}]
ROSTER_TEMPLATES = [
    {"name": "ft", "first_start": "06:00", "last_start": "16:00", "step": 60,
     "lengths": [480], "cost_per_hour": 22.0, "breaks": _FT_BREAKS,
     "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25}},
    {"name": "night", "first_start": "22:00", "last_start": "00:00", "step": 120,
     "lengths": [480], "cost_per_hour": 22.0,
     "breaks": [{"length": 30, "earliest": 180, "latest": 300}],
     "night_premium": {"from": "22:00", "to": "06:00", "rate": 0.25}},
    {"name": "pt", "first_start": "07:00", "last_start": "18:00", "step": 60,
     "lengths": [240, 300, 360], "cost_per_hour": 21.0,
     "breaks": [{"length": 15, "earliest": 90, "latest": 150},
                {"length": 15, "earliest": 210, "latest": 270, "min_length": 300}]},
    {"name": "fr", "first_start": "08:00", "last_start": "12:00", "step": 120,
     "lengths": [480], "cost_per_hour": 24.0, "breaks": _FT_BREAKS},
]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def roster_problem(agents: int = 2000, weeks: int = 4, seed: int = 0, load: float = 0.85,
                   time_limit: float = 60.0, threads: int = 2,
                   under_staffing_cost: float = 500.0) -> dict:
    """A realistic roster problem (staffplan-problem/1 with ``agents``, see
    docs/roster-format.md) for a contact centre of ``agents`` named people.

    - 15-minute intervals over ``weeks`` weeks starting on a Monday, not
      cyclic; required heads from a generated forecast (:func:`forecast`,
      AHT about 300 s) by Erlang C, 80% of contacts answered within 20 s,
      30% shrinkage; the volume is scaled so that the required head-hours
      are ``load`` times what the agents can cover at their contract maxima
      (less breaks): about ``agents`` people are needed.
    - Shifts from :data:`ROSTER_TEMPLATES`: 8-hour full-time shifts starting
      06:00-16:00 and at 22:00 or 00:00 (skill "night"; the 00:00 one covers
      the first night of the horizon), 4-6 hour part-time shifts
      starting 07:00-18:00, and 8-hour shifts of the French line (skill
      "french"); three breaks in an 8-hour shift, one or two in part-time
      ones; 22 per paid hour (21 part-time, 24 French), a 25% night premium.
    - 65% full-time: 8-hour shifts, 1920-2400 paid minutes a week (4-5
      shifts), at most 5 days in a row, days off in stretches of at least 2,
      working stretches of at least 2 days; 8% of them work nights, 15% also
      speak French; 20% have their own ``cost_per_hour`` (26, seniority).
    - 35% part-time: 4-6 hour shifts, 1200-1800 minutes (20-30 h) a week, at
      most 5 days in a row; 15% have the skill "french" too (unused: the
      French shifts are 8 hours, so only full-timers work them).
    - Everyone: 11 hours of rest between shifts, at most ceil(weeks / 2)
      weekends worked (a weekend rotation).
    - 10% with availability limits, in turn: fixed hours (part-time
      Monday-Friday 08:00-15:00; full-time starting 06:00-08:00 every day),
      one weekday never worked (Monday or Friday for full-time), a week of leave (its weekly minimum then
      dropped, the horizon minimum reduced); 5% one fixed day off; 25% one or
      two requests (a day off, or a given shift on a day).

    Deterministic for a seed.  Returns the problem dict; ``limits`` holds
    ``time_limit`` (seconds) and ``threads``.
    """
    from .staffing import requirements
    from .templates import expand

    agents, weeks = int(agents), int(weeks)
    if agents < 1:
        raise ValueError(f"agents must be >= 1, got {agents!r}")
    if weeks < 1:
        raise ValueError(f"weeks must be >= 1, got {weeks!r}")
    if not 0 < load <= 2:
        raise ValueError(f"load must be in (0, 2], got {load!r}")
    rng = random.Random(seed)
    days = 7 * weeks
    shifts = expand(ROSTER_TEMPLATES, interval_minutes=15)
    for s in shifts:
        if s["name"].startswith("night"):
            s["skill"] = "night"
        elif s["name"].startswith("fr"):
            s["skill"] = "french"
    names = {kind: [s["name"] for s in shifts if s["name"].startswith(kind + "-")]
             for kind in ("ft", "night", "pt", "fr")}

    n_ft = round(0.65 * agents)
    kinds = ["ft"] * n_ft + ["pt"] * (agents - n_ft)
    rng.shuffle(kinds)
    weekends = (weeks + 1) // 2
    people = []
    capacity = 0.0      # coverable minutes a week at the contract maxima, less breaks
    limited = 0
    for i, kind in enumerate(kinds):
        a = {"id": f"A{i + 1:04d}", "skills": []}
        if kind == "ft":
            night = rng.random() < 0.08
            french = not night and rng.random() < 0.15
            a["skills"] = ["night"] if night else (["french"] if french else [])
            a["shift_types"] = names["ft"] + (names["night"] if night else []) + (
                names["fr"] if french else [])
            a.update(min_minutes_per_week=1920, max_minutes_per_week=2400,
                     min_consecutive_work_days=2, max_consecutive_work_days=5,
                     min_consecutive_days_off=2)
            if rng.random() < 0.2:
                a["cost_per_hour"] = 26.0
            capacity += 2400 * 420 / 480
        else:
            if rng.random() < 0.15:
                a["skills"] = ["french"]
            a["shift_types"] = list(names["pt"])
            a.update(min_minutes_per_week=1200, max_minutes_per_week=1800,
                     max_consecutive_work_days=5)
            capacity += 1800 * 0.93
        a.update(max_weekends=weekends, min_rest_minutes=660)
        u = rng.random()
        if u < 0.10 and "night" not in a["skills"]:
            which = limited % 3
            limited += 1
            if which == 0 and kind == "pt":
                a["availability"] = {d: [["08:00", "15:00"]] for d in _WEEKDAYS[:5]}
            elif which == 0:
                a["availability"] = {d: [["06:00", "16:00"]] for d in _WEEKDAYS}
            elif which == 1:
                # Full-time: Monday or Friday, so a week with its weekend off still
                # holds 4 days in a row; part-time: any weekday.
                weekday = rng.choice((0, 4)) if kind == "ft" else rng.randrange(5)
                a["unavailable_days"] = list(range(weekday, days, 7))
            else:
                week = rng.randrange(weeks)
                a["unavailable_days"] = list(range(7 * week, 7 * week + 7))
                weekly = a.pop("min_minutes_per_week")
                a["min_minutes"] = weekly * (weeks - 1)
        elif u < 0.15:
            a["fixed_days_off"] = [rng.randrange(days)]
        if rng.random() < 0.25:
            requests = []
            for day in rng.sample(range(days), rng.choice((1, 2))):
                if rng.random() < 0.7:
                    requests.append({"day": day, "shift": None, "work": False,
                                     "weight": float(rng.randint(1, 5))})
                else:
                    requests.append({"day": day, "shift": rng.choice(a["shift_types"]),
                                     "work": True, "weight": float(rng.randint(1, 3))})
            a["requests"] = requests
        people.append(a)

    # Scale the forecast so the head-minutes asked for are `load` x capacity.
    target = load * capacity * weeks
    fc_seed = rng.getrandbits(32)
    peak = 100.0
    heads: List[int] = []
    for _ in range(3):
        fc = forecast(days=days, interval=900, peak_volume=peak, aht=300.0, seed=fc_seed)
        heads = [int(h) for h in requirements(fc.volume, fc.aht, interval=900,
                                              service_level=0.8, answer_time=20,
                                              shrinkage=0.3).heads]
        have = 15.0 * sum(heads)
        if have <= 0:
            break
        peak *= target / have
    return {
        "format": "staffplan-problem/1", "interval_minutes": 15, "days": days,
        "cyclic": False, "start_weekday": "mon",
        "demand": {"required": heads},
        "shifts": shifts,
        "objective": {"under_staffing_cost": float(under_staffing_cost),
                      "over_staffing_cost": 0.0},
        "limits": {"time_limit": float(time_limit), "threads": int(threads)},
        "agents": people,
    }
