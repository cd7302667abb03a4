#!/usr/bin/env python3
"""Straightforward vectorized numpy baseline for one `weight-lemma` cell (THEORY.md §4).

What a researcher would write for the pair rule with a dense block of k units:
for a chunk of seeds, draw U and V of shape (chunk, k) uniform on [-1, 1], then

    hits    = |U*V - w| <= eps
    plus    = hits & (V > 0)
    minus   = hits & (V < 0)
    success = plus.any(1) & minus.any(1)

and the critical width K = max(first plus index, first minus index) + 1 via argmax
(argmax of a boolean row is the index of its first True). With w = "uniform" one
w ~ U[-1, 1] is drawn per seed and broadcast along the row.

Only the compute is timed (numpy import and start-up excluded): one warm-up chunk,
then chunks until --seconds have passed (or --seeds seeds are done). Memory stays
bounded by --chunk-elements (U, V, U*V and a few boolean (chunk, k) arrays: about
30 bytes an element, so the default 2^21 elements is about 60 MB).

Single-threaded: numpy's Generator and elementwise ufuncs do not use threads; the
caller also sets OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1.

Prints one JSON object on stdout:
  {"k", "w", "epsilon", "chunk", "seeds", "elapsed_s", "seeds_per_s", "ns_per_seed",
   "success_rate", "mean_critical_width_found", "numpy"}

Run: python3 bench/numpy/weight_lemma.py --k 1000 --epsilon 0.1 --w uniform --seconds 3
"""
import argparse
import json
import time

import numpy as np


def run_chunk(rng, chunk, k, w, eps):
    """One chunk of seeds: returns (successes, sum of K over seeds where K is defined, count)."""
    if w == "uniform":
        wv = rng.uniform(-1.0, 1.0, size=(chunk, 1))
    else:
        wv = float(w)
    U = rng.uniform(-1.0, 1.0, size=(chunk, k))
    V = rng.uniform(-1.0, 1.0, size=(chunk, k))
    hits = np.abs(U * V - wv) <= eps
    plus = hits & (V > 0)
    minus = hits & (V < 0)
    has_plus = plus.any(axis=1)
    has_minus = minus.any(axis=1)
    success = has_plus & has_minus
    # critical width: first hit of each sign (argmax of a bool row = first True), 1-based
    first_plus = np.argmax(plus, axis=1)
    first_minus = np.argmax(minus, axis=1)
    critical = np.maximum(first_plus, first_minus) + 1
    return int(success.sum()), int(critical[success].sum())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--k", type=int, required=True, help="units in the block")
    parser.add_argument("--epsilon", type=float, default=0.1)
    parser.add_argument("--w", default="uniform", help='a number in [-1, 1] or "uniform"')
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timed compute")
    parser.add_argument("--seeds", type=int, default=0, help="stop after this many seeds (0: use --seconds)")
    parser.add_argument("--chunk-elements", type=int, default=1 << 21,
                        help="chunk * k, the size of one (chunk, k) array")
    parser.add_argument("--seed", type=int, default=12345, help="PCG64 seed")
    args = parser.parse_args()

    k = args.k
    w = args.w if args.w == "uniform" else float(args.w)
    chunk = max(1, args.chunk_elements // k)
    rng = np.random.default_rng(args.seed)

    run_chunk(rng, chunk, k, w, args.epsilon)  # warm-up (page faults, allocator)

    seeds = successes = critical_sum = 0
    started = time.perf_counter()
    while True:
        n = chunk if args.seeds <= 0 else min(chunk, args.seeds - seeds)
        s, c = run_chunk(rng, n, k, w, args.epsilon)
        seeds += n
        successes += s
        critical_sum += c
        elapsed = time.perf_counter() - started
        if args.seeds > 0:
            if seeds >= args.seeds:
                break
        elif elapsed >= args.seconds:
            break

    print(json.dumps({
        "k": k,
        "w": w,
        "epsilon": args.epsilon,
        "chunk": chunk,
        "seeds": seeds,
        "elapsed_s": elapsed,
        "seeds_per_s": seeds / elapsed,
        "ns_per_seed": elapsed * 1e9 / seeds,
        "success_rate": successes / seeds,
        "mean_critical_width_found": critical_sum / successes if successes else None,
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
