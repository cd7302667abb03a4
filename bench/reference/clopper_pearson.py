#!/usr/bin/env python3
"""Independent Clopper-Pearson reference for test/stats/clopper-pearson.test.ts.

Pure Python 3.8+ (standard library only): the interval ends are found by bisection on the
exact binomial tails, each tail summed term by term in log space (exact integer
binomial coefficients and log-sum-exp), so nothing is shared with the TypeScript
code (which uses jStat's inverse incomplete beta).

  low  = the p with P(X >= x | n, p) = alpha/2   (0 when x = 0)
  high = the p with P(X <= x | n, p) = alpha/2   (1 when x = n)

Run: python3 bench/reference/clopper_pearson.py
"""
import math


_log_comb = {}


def log_comb(n, j):
    """log of the exact binomial coefficient (math.comb is an exact integer; math.log
    of a big integer is accurate to rounding). lgamma would lose ~1e-10 absolute at
    n = 1e5 through cancellation of two ~1e6-sized values."""
    key = (n, j)
    if key not in _log_comb:
        _log_comb[key] = math.log(math.comb(n, j))
    return _log_comb[key]


def log_pmf(j, n, p):
    return log_comb(n, j) + j * math.log(p) + (n - j) * math.log1p(-p)


def log_sum_exp(values):
    m = max(values)
    return m + math.log(sum(math.exp(v - m) for v in values))


def log1mexp(a):
    """log(1 - exp(a)) for a < 0 (-inf when rounding put a at 0 or above)."""
    if a >= 0:
        return -math.inf
    return math.log(-math.expm1(a)) if a > -math.log(2) else math.log1p(-math.exp(a))


def log_upper_tail(x, n, p):
    """log P(X >= x), summing the shorter side (the complement costs at most ~1e-13
    relative here: every tail we solve for is alpha/2 >= 5e-4)."""
    if x <= 0:
        return 0.0
    if n - x <= x:
        return log_sum_exp([log_pmf(j, n, p) for j in range(x, n + 1)])
    return log1mexp(log_sum_exp([log_pmf(j, n, p) for j in range(0, x)]))


def log_lower_tail(x, n, p):
    """log P(X <= x)"""
    if x >= n:
        return 0.0
    if x <= n - x:
        return log_sum_exp([log_pmf(j, n, p) for j in range(0, x + 1)])
    return log1mexp(log_sum_exp([log_pmf(j, n, p) for j in range(x + 1, n + 1)]))


def bisect(f, lo, hi, iters=200):
    """Root of an increasing f on [lo, hi] (f(lo) < 0 < f(hi))."""
    for _ in range(iters):
        mid = 0.5 * (lo + hi)
        if mid == lo or mid == hi:
            break
        if f(mid) < 0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def clopper_pearson(x, n, confidence):
    alpha = 1 - confidence
    target = math.log(alpha / 2)
    if x == 0:
        low = 0.0
    else:
        # P(X >= x | p) increases with p
        low = bisect(lambda p: log_upper_tail(x, n, p) - target, 0.0 + 1e-300, 1.0 - 1e-16)
    if x == n:
        high = 1.0
    else:
        # P(X <= x | p) decreases with p
        high = bisect(lambda p: target - log_lower_tail(x, n, p), 0.0 + 1e-300, 1.0 - 1e-16)
    return low, high


CASES = [
    (682, 925, 0.95), (7, 20, 0.95),
    (9990, 10000, 0.95), (9990, 10000, 0.99),
    (5, 100000, 0.95), (5, 100000, 0.99),
    (50, 100, 0.95), (50, 100, 0.99),
    (1, 10, 0.95), (36, 36, 0.95), (0, 36, 0.95),
    (999, 1000, 0.999), (1, 1000000, 0.95),
]

if __name__ == '__main__':
    for x, n, c in CASES:
        low, high = clopper_pearson(x, n, c)
        print(f'[{x}, {n}, {c}, {low!r}, {high!r}],')
