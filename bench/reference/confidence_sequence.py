"""Independent reference for src/stats/confidence-sequence.ts (standard library only).

Beta-binomial mixture confidence sequence (Robbins 1970; Howard et al. 2021, §3):
  ln M_t(p) = ln B(1 + S, 1 + t - S) - ln B(1, 1) - S ln p - (t - S) ln(1 - p)
  C_t = {p : M_t(p) < 1/alpha}
computed with math.lgamma and bisection in exact rationals-free double arithmetic.
Run: python3 bench/reference/confidence_sequence.py
"""
import math

def log_beta(a, b):
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)

def log_m(s, t, p):
    f = t - s
    ll = (s * math.log(p) if s else 0.0) + (f * math.log1p(-p) if f else 0.0)
    return log_beta(1 + s, 1 + f) - log_beta(1, 1) - ll

def bound(s, t, conf, side):
    thr = math.log(1 / (1 - conf))
    center = s / t
    end = 0.0 if side < 0 else 1.0
    if (side < 0 and s == 0) or (side > 0 and s == t):
        return end
    if log_m(s, t, end if 0 < end < 1 else (1e-300 if end == 0 else 1 - 1e-16)) < thr:
        return end
    inner, outer = center, end
    for _ in range(300):
        mid = 0.5 * (inner + outer)
        if log_m(s, t, mid) < thr:
            inner = mid
        else:
            outer = mid
    return inner

for s, t, conf in [(64, 64, 0.95), (950, 1000, 0.95), (9900, 10000, 0.95), (5, 10, 0.95), (0, 10, 0.95), (300, 400, 0.99), (123456, 130000, 0.95)]:
    print(f"[{s}, {t}, {conf}, {bound(s, t, conf, -1)!r}, {bound(s, t, conf, +1)!r}],")
