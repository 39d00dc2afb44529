"""Queueing formulas and per-interval staffing requirements.

Thin Python layer over staffplan._core: argument handling, docstrings and the
Requirements result object.  All durations are in seconds, volume is
contacts per interval, traffic is in Erlangs (volume * aht / interval).
"""
from __future__ import annotations

import math
import numbers
from typing import Any, Iterator, Optional

from . import _core

__all__ = [
    "ErlangA",
    "Requirements",
    "asa",
    "combine_shrinkage",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "requirements",
    "service_level",
]


def _plain(x: Any) -> Any:
    """pandas objects to numpy (a buffer the core reads without iterating)."""
    to_numpy = getattr(x, "to_numpy", None)
    if to_numpy is not None and not isinstance(x, (str, bytes)):
        try:
            return to_numpy()
        except (TypeError, ValueError):
            return x
    return x


def erlang_b(agents, traffic):
    """Erlang B blocking probability of an M/M/n/n loss system.

    agents: whole number(s) >= 0; traffic: Erlangs >= 0.  Scalars give a
    float; sequences (broadcast against scalars) give a staffplan.Array.
    """
    return _core.erlang_b(_plain(agents), _plain(traffic))


def erlang_c(agents, traffic):
    """Erlang C probability that a contact waits (M/M/n).

    agents: whole number(s) >= 0; traffic: Erlangs >= 0.  For agents <=
    traffic the queue is unstable and the result is 1; zero traffic gives 0.
    Scalars give a float; sequences (broadcast) give a staffplan.Array.
    """
    return _core.erlang_c(_plain(agents), _plain(traffic))


def service_level(agents, traffic, aht, answer_time):
    """Fraction of contacts answered within answer_time seconds (Erlang C).

    SL = 1 - C * exp(-(agents - traffic) * answer_time / aht); 0 when agents
    <= traffic, 1 for zero traffic.  aht and answer_time in seconds.
    Scalars give a float; sequences (broadcast) give a staffplan.Array.
    """
    return _core.service_level(_plain(agents), _plain(traffic), _plain(aht),
                               _plain(answer_time))


def asa(agents, traffic, aht):
    """Average speed of answer in seconds over all contacts (Erlang C).

    ASA = C * aht / (agents - traffic); +inf when agents <= traffic, 0 for
    zero traffic.  Scalars give a float; sequences give a staffplan.Array.
    """
    return _core.asa(_plain(agents), _plain(traffic), _plain(aht))


def occupancy(agents, traffic):
    """Agent occupancy traffic / agents, capped at 1 (0 for zero traffic)."""
    return _core.occupancy(_plain(agents), _plain(traffic))


class ErlangA:
    """Erlang A (M/M/n+M) figures: floats, or staffplan.Arrays when any
    input was a sequence.

    p_wait: probability a contact waits; p_abandon: probability it abandons;
    service_level: fraction of offered contacts answered within the answer
    time (abandons count as missed); asa: mean wait in seconds over all
    offered contacts (= p_abandon * patience); occupancy: carried load over
    agents.
    """

    __slots__ = ("p_wait", "p_abandon", "service_level", "asa", "occupancy")

    def __init__(self, p_wait, p_abandon, service_level, asa, occupancy):
        self.p_wait = p_wait
        self.p_abandon = p_abandon
        self.service_level = service_level
        self.asa = asa
        self.occupancy = occupancy

    def __repr__(self) -> str:
        return ("ErlangA(p_wait={!r}, p_abandon={!r}, service_level={!r}, "
                "asa={!r}, occupancy={!r})").format(
                    self.p_wait, self.p_abandon, self.service_level, self.asa,
                    self.occupancy)


def erlang_a(agents, traffic, aht, patience, answer_time=20.0) -> ErlangA:
    """Erlang A (M/M/n+M): contacts abandon after an exponential patience.

    agents: whole number(s) >= 0 (may be below traffic); traffic: Erlangs;
    aht, patience (mean, > 0) and answer_time in seconds.  Exact closed
    forms in log space (Garnett, Mandelbaum and Reiman), finite at any size.
    """
    return ErlangA(*_core.erlang_a(_plain(agents), _plain(traffic), _plain(aht),
                                   _plain(patience), _plain(answer_time)))


def combine_shrinkage(*components: float) -> float:
    """Total shrinkage of independent components: 1 - prod(1 - s_i).

    combine_shrinkage(0.1, 0.15) == 0.235 (breaks 10%, absence 15%).
    """
    keep = 1.0
    for i, s in enumerate(components):
        if isinstance(s, bool) or not isinstance(s, (int, float)):
            raise TypeError(f"shrinkage component {i} must be a number, not "
                            f"{type(s).__name__}")
        if not (0.0 <= s < 1.0):
            raise _input_error(
                "shrinkage", f"shrinkage component {i} must be a fraction in [0, 1), got {s!r}")
        keep *= 1.0 - s
    return 1.0 - keep


_ARRAYS = ("agents", "heads", "traffic", "service_level", "asa", "occupancy",
           "p_wait", "p_abandon")


class Requirements:
    """Per-interval staffing requirements (the result of requirements()).

    Attributes, each a read-only staffplan.Array of one value per interval
    (len(), indexing, iteration, numpy.asarray without a copy):
      agents         productive agents required (int64)
      heads          scheduled heads after shrinkage (int64)
      traffic        offered load in Erlangs
      service_level  fraction answered within answer_time at `agents`
      asa            average speed of answer in seconds at `agents`
      occupancy      agent occupancy at `agents`
      p_wait         probability a contact waits at `agents`
      p_abandon      probability a contact abandons (Erlang A only, else None)
    and `interval` (seconds) and `targets` (a dict of the targets used).
    """

    __slots__ = _ARRAYS + ("interval", "targets")

    def __init__(self, arrays, interval: float, targets: dict):
        for name, value in zip(_ARRAYS, arrays):
            object.__setattr__(self, name, value)
        object.__setattr__(self, "interval", interval)
        object.__setattr__(self, "targets", dict(targets))

    def __setattr__(self, name, value):
        raise AttributeError("Requirements is read-only")

    def __len__(self) -> int:
        return len(self.agents)

    def __iter__(self) -> Iterator[dict]:
        """One dict per interval with every figure."""
        names = [n for n in _ARRAYS if getattr(self, n) is not None]
        columns = [getattr(self, n) for n in names]
        for i in range(len(self)):
            yield {n: c[i] for n, c in zip(names, columns)}

    @property
    def agent_hours(self) -> float:
        """Productive agent-hours over the horizon."""
        return sum(self.agents) * self.interval / 3600.0

    @property
    def head_hours(self) -> float:
        """Scheduled head-hours over the horizon (after shrinkage)."""
        return sum(self.heads) * self.interval / 3600.0

    def to_pandas(self, index=None):
        """A pandas DataFrame with one column per figure (needs pandas).

        index: optional index of len(self) values (e.g. the forecast's
        timestamps); the default is the interval number.
        """
        try:
            import pandas as pd
        except ImportError as exc:  # pragma: no cover - depends on the machine
            raise ImportError("Requirements.to_pandas() needs pandas: "
                              "pip install pandas") from exc
        data = {}
        for name in _ARRAYS:
            column = getattr(self, name)
            if column is not None:
                data[name] = _column(column)
        return pd.DataFrame(data, index=index)

    def __repr__(self) -> str:
        n = len(self)
        if n == 0:
            return "Requirements(0 intervals)"
        return ("Requirements({} intervals of {:g} s, peak {} agents / {} heads, "
                "{:.1f} agent-hours)").format(n, self.interval, max(self.agents),
                                              max(self.heads), self.agent_hours)


def _column(array):
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - depends on the machine
        return array.tolist()
    return np.asarray(array)


def _opt_float(value, name):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        _bad_type(value, name)
    try:
        value = float(value)
    except OverflowError:
        # An int beyond float range (10**400): out of range, not a crash.
        raise _input_error(name, f"{name} is too large: {_short(value)}") from None
    if math.isnan(value):
        raise _input_error(name, f"{name} must be a number, got nan")
    return value


def _input_error(field: str, message: str) -> Exception:
    """A staffplan.InputError with .field and .index like the core's."""
    err = _core.InputError(message)
    err.field = field
    err.index = None
    return err


def _short(value) -> str:
    text = repr(value) if not isinstance(value, int) else f"an int of {value.bit_length()} bits"
    return text if len(text) <= 60 else text[:57] + "..."


def _bad_type(value, name):
    raise TypeError(f"{name} must be a number or None, not {type(value).__name__}")


def requirements(volume, aht, *, interval: float = 900,
                 service_level: Optional[float] = 0.8,
                 answer_time: float = 20,
                 asa: Optional[float] = None,
                 max_occupancy: Optional[float] = None,
                 shrinkage=0.0,
                 min_agents: int = 0,
                 patience: Optional[float] = None,
                 max_abandon: Optional[float] = None,
                 threads: Optional[int] = None) -> Requirements:
    """Agents and scheduled heads needed in every interval.

    volume         contacts offered per interval (sequence, numpy array or
                   pandas Series), each >= 0
    aht            average handle time in seconds: one number or one per
                   interval
    interval       interval length in seconds (default 900 = 15 minutes)
    service_level  fraction of contacts to answer within answer_time, in
                   [0, 1); None drops the target
    answer_time    seconds, for service_level
    asa            maximum average speed of answer in seconds, or None
    max_occupancy  maximum agent occupancy in (0, 1], or None
    shrinkage      fraction of paid time not spent handling contacts, in
                   [0, 1): one number or one per interval (see
                   combine_shrinkage for several components)
    min_agents     minimum productive agents in every interval
    patience       mean customer patience in seconds: Erlang A (M/M/n+M) is
                   then used for every figure; None: Erlang C
    max_abandon    maximum fraction of contacts abandoning, in (0, 1]
                   (needs patience)
    threads        OpenMP threads (default: all cores); results do not
                   depend on it

    agents is the smallest count meeting every target given (for Erlang C at
    least floor(traffic) + 1 so the queue is stable; 0, or min_agents, for
    zero volume); heads = ceil(agents / (1 - shrinkage)).

    Raises staffplan.InputError (a ValueError) naming the argument and the
    first bad index for negative, NaN or infinite values, wrong lengths,
    targets out of range or unreachable (service_level 1, asa 0); TypeError
    for wrong types.  The inputs are never modified.
    """
    values = {"service_level": service_level, "answer_time": answer_time,
              "asa": asa, "max_occupancy": max_occupancy, "patience": patience,
              "max_abandon": max_abandon}
    for name, value in values.items():
        values[name] = _opt_float(value, name)
    if values["answer_time"] is None:
        raise TypeError("answer_time must be a number of seconds, not None")
    if isinstance(interval, bool) or not isinstance(interval, numbers.Real):
        raise TypeError(f"interval must be a number of seconds, not "
                        f"{type(interval).__name__}")
    interval = _opt_float(interval, "interval")
    if isinstance(min_agents, numbers.Real) and not isinstance(
            min_agents, (bool, numbers.Integral)) and float(min_agents).is_integer():
        min_agents = int(min_agents)
    arrays = _core.requirements(
        _plain(volume), _plain(aht), float(interval), values["service_level"],
        values["answer_time"], values["asa"], values["max_occupancy"],
        _plain(shrinkage), min_agents, values["patience"], values["max_abandon"],
        threads)
    targets = dict(values, shrinkage=shrinkage if isinstance(shrinkage, (int, float))
                   else "per interval", min_agents=min_agents)
    return Requirements(arrays, float(interval), targets)
