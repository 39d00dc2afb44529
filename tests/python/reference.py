"""Independent high-precision reference for the staffplan queueing formulas.

Nothing here comes from staffplan: Erlang B/C are evaluated in mpmath at 50
significant digits straight from design.md section 2, and Erlang A (M/M/n+M)
is obtained by brute force from the birth-death chain, with the service level
from the tagged customer's absorbing Markov chain (scipy.linalg.expm).

Conventions (design.md section 2 and core/include/staffplan.h):
  * n <= A (A > 0): P(wait) 1, service level 0, ASA +inf, occupancy 1.
  * A == 0: P(wait) 0, service level 1, ASA 0, occupancy 0, for every n.

All Erlang B/C functions return mpf values (or mpf('+inf')); callers convert
with float() when they compare with staffplan.
"""

import functools
import math
from fractions import Fraction

import mpmath
from mpmath import mp, mpf

mp.dps = 50

#: Tolerance used when deciding whether a target is met (design: 1e-12).
TARGET_TOL = mpf("1e-12")

INF = mpf("inf")


# ----------------------------------------------------------------------
# Erlang B / C (M/M/n)
# ----------------------------------------------------------------------


class _BTable:
    """Erlang B values B(0..k) for one traffic, extended on demand.

    B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1)), in mpf.
    """

    def __init__(self, traffic):
        self.traffic = mpf(traffic)
        self.values = [mpf(1)]

    def __getitem__(self, n):
        values = self.values
        a = self.traffic
        while len(values) <= n:
            k = len(values)
            prev = values[-1]
            values.append(a * prev / (k + a * prev))
        return values[n]


@functools.lru_cache(maxsize=None)
def _b_table(traffic_key):
    return _BTable(traffic_key)


def _mpf(x):
    # mpf(float) is exact; strings/ints likewise.
    return x if isinstance(x, mpmath.mpf) else mpf(x)


def _check_n(n):
    if int(n) != n or n < 0:
        raise ValueError(f"reference: agents must be a whole number >= 0, got {n!r}")
    return int(n)


def erlang_b(n, traffic):
    """Erlang B blocking probability B(n, A) by the recursion, in mpf."""
    n = _check_n(n)
    a = _mpf(traffic)
    if a < 0:
        raise ValueError("reference: traffic < 0")
    return _b_table(a)[n]


def erlang_c(n, traffic):
    """Probability of waiting C(n, A) = n B / (n - A (1 - B)); 1 when n <= A."""
    n = _check_n(n)
    a = _mpf(traffic)
    if a == 0:
        return mpf(0)
    if n <= a:
        return mpf(1)
    b = erlang_b(n, a)
    return n * b / (n - a * (1 - b))


def service_level(n, traffic, aht, answer_time):
    """SL(t) = 1 - C exp(-(n - A) t / h); 0 when n <= A, 1 when A == 0."""
    n = _check_n(n)
    a = _mpf(traffic)
    if a == 0:
        return mpf(1)
    if n <= a:
        return mpf(0)
    c = erlang_c(n, a)
    return 1 - c * mpmath.exp(-(n - a) * _mpf(answer_time) / _mpf(aht))


def asa(n, traffic, aht):
    """Average speed of answer C h / (n - A) in seconds; inf when n <= A."""
    n = _check_n(n)
    a = _mpf(traffic)
    if a == 0:
        return mpf(0)
    if n <= a:
        return INF
    return erlang_c(n, a) * _mpf(aht) / (n - a)


def occupancy(n, traffic):
    """A / n; 0 when A == 0, capped at 1 when n <= A (staffplan.h)."""
    n = _check_n(n)
    a = _mpf(traffic)
    if a == 0:
        return mpf(0)
    if n <= a:
        return mpf(1)
    return a / n


def metrics(n, traffic, aht, answer_time):
    """All Erlang C figures at n agents, as a dict of mpf."""
    return {
        "p_wait": erlang_c(n, traffic),
        "service_level": service_level(n, traffic, aht, answer_time),
        "asa": asa(n, traffic, aht),
        "occupancy": occupancy(n, traffic),
    }


def failed_targets(n, traffic, aht, service_level_target=None, answer_time=20,
                   asa_target=None, max_occupancy=None, min_agents=0):
    """List of the targets n agents miss (empty list: all met).

    Comparisons use TARGET_TOL: SL >= target - 1e-12, ASA <= target + 1e-12
    (relative for large targets), occupancy <= max + 1e-12.  With A > 0 the
    queue must be stable (n > A).
    """
    n = _check_n(n)
    a = _mpf(traffic)
    failed = []
    if n < min_agents:
        failed.append("min_agents")
    if a > 0 and n <= a:
        failed.append("stability")
        return failed
    if service_level_target is not None:
        if service_level(n, a, aht, answer_time) < _mpf(service_level_target) - TARGET_TOL:
            failed.append("service_level")
    if asa_target is not None:
        target = _mpf(asa_target)
        if asa(n, a, aht) > target + TARGET_TOL * max(mpf(1), target):
            failed.append("asa")
    if max_occupancy is not None:
        if occupancy(n, a) > _mpf(max_occupancy) + TARGET_TOL:
            failed.append("max_occupancy")
    return failed


def ref_agents(traffic, aht, service_level, answer_time, asa=None,
               max_occupancy=None, min_agents=0):
    """Smallest n meeting every target given (Erlang C), by plain search.

    n > A is required when A > 0 (n >= 0 when A == 0); the search steps n
    upward from max(floor(A) + 1, min_agents).
    """
    a = _mpf(traffic)
    if a == 0:
        n = max(0, int(min_agents))
    else:
        n = max(int(mpmath.floor(a)) + 1, int(min_agents))
    limit = n + 10_000_000
    while failed_targets(n, a, aht, service_level, answer_time, asa,
                         max_occupancy, min_agents):
        n += 1
        if n > limit:
            raise RuntimeError("reference: staffing search did not terminate")
    return n


# ----------------------------------------------------------------------
# Shrinkage
# ----------------------------------------------------------------------


def ref_heads(agents, shrinkage):
    """ceil(agents / (1 - s)) in exact rational arithmetic.

    The shrinkage is taken as the decimal the user wrote (repr of the float),
    so 21 agents at 0.3 give exactly 30 heads and 4 agents at 0.2 give 5.
    """
    s = Fraction(repr(float(shrinkage)))
    q = Fraction(int(agents)) / (1 - s)
    return math.ceil(q)


# ----------------------------------------------------------------------
# Erlang A (M/M/n+M) by brute force
# ----------------------------------------------------------------------


def erlang_a_stationary(n, traffic, aht, patience, rel_cut=mpf("1e-40")):
    """Stationary distribution of the M/M/n+M birth-death chain, in mpf.

    Births lambda = A / aht; deaths in state k: min(k, n)/aht + max(k-n, 0)/patience.
    The chain is truncated once k > n, deaths exceed births (so terms decrease
    from there on) and the term is below rel_cut times the largest term.
    Returns the list pi[0..N] (normalised).
    """
    n = _check_n(n)
    a = _mpf(traffic)
    mu = 1 / _mpf(aht)
    theta = 1 / _mpf(patience)
    lam = a * mu
    terms = [mpf(1)]
    peak = mpf(1)
    k = 0
    while True:
        k += 1
        death = min(k, n) * mu + max(k - n, 0) * theta
        term = terms[-1] * lam / death
        terms.append(term)
        if term > peak:
            peak = term
        if k > n and death > lam and term < peak * rel_cut:
            break
        if k > 2_000_000:
            raise RuntimeError("reference: Erlang A chain too large")
    total = mpmath.fsum(terms)
    return [t / total for t in terms]


@functools.lru_cache(maxsize=None)
def erlang_a(n, traffic, aht, patience, answer_time):
    """Erlang A figures by brute force; returns a dict of floats.

    p_wait        P(K >= n) (PASTA)
    p_abandon     theta E[queue] / lambda
    asa           E[queue] / lambda (mean wait over all offered contacts)
    occupancy     (1 - p_abandon) A / n  (None for n == 0)
    service_level P(answered within answer_time), from the tagged customer's
                  absorbing CTMC (scipy.linalg.expm)
    With A == 0 the convention of staffplan.h applies (0, 0, 1, 0, 0).
    """
    import numpy as np
    from scipy.linalg import expm

    n = _check_n(n)
    a = _mpf(traffic)
    if a == 0:
        return {"p_wait": 0.0, "p_abandon": 0.0, "service_level": 1.0,
                "asa": 0.0, "occupancy": 0.0}
    mu = 1 / _mpf(aht)
    theta = 1 / _mpf(patience)
    lam = a * mu
    pi = erlang_a_stationary(n, a, aht, patience)
    size = len(pi)
    p_wait = mpmath.fsum(pi[n:])
    queue = mpmath.fsum((k - n) * pi[k] for k in range(n + 1, size))
    p_abandon = theta * queue / lam
    mean_wait = queue / lam
    occ = (1 - p_abandon) * a / n if n > 0 else None

    # Tagged customer: arrives in state n + j (j waiting ahead).  Transient
    # states "i ahead" (i = 0..J), then SERVED = J+1 and ABANDONED = J+2.
    # Only j whose arrival probability matters in double precision are kept.
    p_no_wait = mpmath.fsum(pi[:n])
    t = float(answer_time)
    jmax = 0
    for j in range(size - n):
        if pi[n + j] > mpf("1e-22"):
            jmax = j
    served_within = [0.0] * (jmax + 1)
    if t > 0:
        m = jmax + 3
        served, abandoned = jmax + 1, jmax + 2
        q = np.zeros((m, m))
        nmu = float(n * mu)
        th = float(theta)
        for i in range(jmax + 1):
            forward = nmu + i * th
            target = served if i == 0 else i - 1
            q[i, target] += forward
            q[i, abandoned] += th
            q[i, i] = -(forward + th)
        p = expm(q * t)
        served_within = [float(p[j, served]) for j in range(jmax + 1)]
    sl = float(p_no_wait) + math.fsum(
        float(pi[n + j]) * served_within[j] for j in range(jmax + 1))
    return {
        "p_wait": float(p_wait),
        "p_abandon": float(p_abandon),
        "service_level": sl,
        "asa": float(mean_wait),
        "occupancy": None if occ is None else float(occ),
    }


def erlang_a_failed(n, traffic, aht, patience, service_level_target, answer_time,
                    max_abandon, tol=1e-9):
    """Targets missed at n agents under Erlang A (brute force), with a tolerance."""
    m = erlang_a(n, float(traffic), float(aht), float(patience), float(answer_time))
    failed = []
    if service_level_target is not None and m["service_level"] < service_level_target - tol:
        failed.append("service_level")
    if max_abandon is not None and m["p_abandon"] > max_abandon + tol:
        failed.append("max_abandon")
    return failed


def erlang_a_margin(n, traffic, aht, patience, service_level_target, answer_time,
                    max_abandon):
    """Smallest distance of the Erlang A figures at n from the targets given.

    Used to skip a comparison when the brute force is too close to call.
    """
    m = erlang_a(n, float(traffic), float(aht), float(patience), float(answer_time))
    margins = [math.inf]
    if service_level_target is not None:
        margins.append(abs(m["service_level"] - service_level_target))
    if max_abandon is not None:
        margins.append(abs(m["p_abandon"] - max_abandon))
    return min(margins)
