"""staffplan: contact-center workforce planning.

Forecast -> requirements (Erlang C / Erlang A) -> schedule -> roster.
All durations are in seconds; volume is contacts per interval; traffic is
in Erlangs (volume * aht / interval).
"""
from ._core import Array, Error, InputError, core_version
from .problem import solve, write_lp
from .roster import roster
from .staffing import (
    ErlangA,
    Requirements,
    asa,
    combine_shrinkage,
    erlang_a,
    erlang_b,
    erlang_c,
    occupancy,
    requirements,
    service_level,
)

__version__ = "0.1.0"

__all__ = [
    "Array",
    "Error",
    "ErlangA",
    "InputError",
    "Requirements",
    "asa",
    "combine_shrinkage",
    "core_version",
    "erlang_a",
    "erlang_b",
    "erlang_c",
    "occupancy",
    "requirements",
    "roster",
    "service_level",
    "solve",
    "write_lp",
]
