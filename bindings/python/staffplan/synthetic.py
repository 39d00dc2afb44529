"""Synthetic but realistic contact-center forecasts, for examples, tests and benchmarks.

Everything here is pure Python (standard library only) and deterministic for a
given ``seed``.

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

__all__ = ["Forecast", "forecast", "forecast_sites", "WEEKDAY_FACTORS"]

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
