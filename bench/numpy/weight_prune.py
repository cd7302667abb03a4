#!/usr/bin/env python3
"""Straightforward vectorized numpy baseline for one `weight-prune` cell (THEORY.md §2–§5).

What a researcher would write for the pair-rule construction with private blocks,
each block a dense array of k units. For a chunk of seeds:

1. Target F (§2, target "random"): for each layer A[s] of shape (n_i, n_{i-1}) with
   entries U[-M_i, M_i], M_i = 1/sqrt(n_{i-1}); W = A / max(1, (1 + 1e-9)*||A||_2), the
   spectral norm from np.linalg.norm(A, 2, axis=(1, 2)) (an SVD of every matrix of the stack).
2. Random network G (§3): for every target weight of layer i a dense block of k units,
   U and V of shape (weights, k), i.i.d. U[-1, 1]. Vectorized over all the weights of
   the layer in the chunk (seeds x rows x cols rows of length k).
3. Pair rule (§4, §5) with tau_i = eps / (2 l sqrt(n_{i-1} n_i)):
       hits  = |U*V - w| <= tau_i
       plus  = hits & (V > 0);  minus = hits & (V < 0)
   the first hit of each sign by argmax (index of the first True of a row), found iff that
   entry is True; e_ab = max of the two kept units' |u v - w|. Seed success = every weight
   of every layer found both units among its k.
4. Certified error (§5): prod_i (1 + ||E_i||_F) - 1.
5. Sampled error, successful seeds only (as the harness does): 256 points uniform on the
   sphere (normalized Gaussians), F by dense matmuls, the pruned net from the kept units
   as dense (rows, cols) arrays of in-weights v and out-weights u per sign:
       G_i(h)[a] = sum_b u+[a,b]*relu(v+[a,b]*h_b) + u-[a,b]*relu(v-[a,b]*h_b)
   (a ReLU after every pair but the last), and max over the points of ||G(x) - F(x)||.
   No local ascent (the harness adds 4 x 60 ascent steps after its 256 points).

Only the compute is timed (numpy import and start-up excluded): one warm-up chunk, then
chunks until --seconds have passed (or --seeds seeds are done). Memory per chunk is about
--chunk-elements x 30 bytes (U, V, U*V and boolean arrays of shape (weights, k)).

Single-threaded: the caller sets OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
(the SVDs and matmuls go through LAPACK/BLAS; everything else in numpy is single-threaded).

Prints one JSON object on stdout:
  {"d", "n", "l", "out", "k", "epsilon", "chunk", "seeds", "elapsed_s", "seeds_per_s",
   "ns_per_seed", "weights_per_seed", "success_rate", "mean_certified_error",
   "mean_sampled_error", "max_sampled_error", "numpy"}

Run: python3 bench/numpy/weight_prune.py --d 4 --n 8 --l 2 --k 2182 --epsilon 0.2 --seconds 3
"""
import argparse
import json
import time

import numpy as np


def widths_of(d, n, l, out):
    return [d] + [n] * (l - 1) + [out]


def sample_targets(rng, chunk, widths):
    """Target layers, each of shape (chunk, n_i, n_{i-1}), spectrally normalized."""
    layers = []
    for i in range(len(widths) - 1):
        cols, rows = widths[i], widths[i + 1]
        m = 1.0 / np.sqrt(cols)
        A = rng.uniform(-m, m, size=(chunk, rows, cols))
        norm = np.linalg.norm(A, 2, axis=(1, 2))
        scale = np.maximum(1.0, (1.0 + 1e-9) * norm)
        layers.append(A / scale[:, None, None])
    return layers


def prune_layer(rng, W, k, tau):
    """Pair rule on dense private blocks for every weight of one layer of the chunk.

    Returns (found (chunk,), e (chunk, rows, cols), u+, v+, u-, v- each (chunk, rows, cols))."""
    chunk, rows, cols = W.shape
    w = W.reshape(-1)
    U = rng.uniform(-1.0, 1.0, size=(w.size, k))
    V = rng.uniform(-1.0, 1.0, size=(w.size, k))
    hits = np.abs(U * V - w[:, None]) <= tau
    plus = hits & (V > 0)
    minus = hits & (V < 0)
    ip = np.argmax(plus, axis=1)
    im = np.argmax(minus, axis=1)
    r = np.arange(w.size)
    ok = plus[r, ip] & minus[r, im]
    up, vp, um, vm = U[r, ip], V[r, ip], U[r, im], V[r, im]
    e = np.maximum(np.abs(up * vp - w), np.abs(um * vm - w))
    shape = (chunk, rows, cols)
    found = ok.reshape(chunk, rows * cols).all(axis=1)
    return found, e.reshape(shape), up.reshape(shape), vp.reshape(shape), um.reshape(shape), vm.reshape(shape)


def sampled_error(rng, layers, kept, d, points):
    """max over `points` sphere points of ||G(x) - F(x)|| per seed (arrays already restricted to the seeds)."""
    s = layers[0].shape[0]
    X = rng.standard_normal((s, points, d))
    X /= np.linalg.norm(X, axis=2, keepdims=True)
    last = len(layers) - 1
    f = X
    for i, W in enumerate(layers):
        f = f @ np.swapaxes(W, 1, 2)  # (s, points, rows)
        if i < last:
            f = np.maximum(f, 0.0)
    g = X
    for i, (up, vp, um, vm) in enumerate(kept):
        h = g[:, :, None, :]  # (s, points, 1, cols)
        mp = np.maximum(vp[:, None, :, :] * h, 0.0)  # middle ReLU of the v > 0 units
        mm = np.maximum(vm[:, None, :, :] * h, 0.0)  # and of the v < 0 units
        g = (mp * up[:, None, :, :]).sum(axis=3) + (mm * um[:, None, :, :]).sum(axis=3)
        if i < last:
            g = np.maximum(g, 0.0)
    return np.linalg.norm(g - f, axis=2).max(axis=1)


def run_chunk(rng, chunk, widths, k, eps, points):
    l = len(widths) - 1
    layers = sample_targets(rng, chunk, widths)
    success = np.ones(chunk, dtype=bool)
    certified = np.ones(chunk)
    kept = []
    for i, W in enumerate(layers):
        tau = eps / (2 * l * np.sqrt(widths[i] * widths[i + 1]))
        found, e, up, vp, um, vm = prune_layer(rng, W, k, tau)
        success &= found
        certified *= 1.0 + np.sqrt((e * e).sum(axis=(1, 2)))
        kept.append((up, vp, um, vm))
    certified -= 1.0
    sampled = np.empty(0)
    if success.any():
        sel = np.flatnonzero(success)
        sampled = sampled_error(rng, [W[sel] for W in layers], [tuple(a[sel] for a in kp) for kp in kept],
                                widths[0], points)
    return int(success.sum()), float(certified[success].sum()), float(sampled.sum()), float(sampled.max(initial=0.0))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--d", type=int, default=4)
    parser.add_argument("--n", type=int, default=8)
    parser.add_argument("--l", type=int, default=2)
    parser.add_argument("--out", type=int, default=1)
    parser.add_argument("--k", type=int, required=True, help="units per block")
    parser.add_argument("--epsilon", type=float, default=0.2)
    parser.add_argument("--points", type=int, default=256, help="sphere points of the sampled error")
    parser.add_argument("--seconds", type=float, default=3.0, help="minimum timed compute")
    parser.add_argument("--seeds", type=int, default=0, help="stop after this many seeds (0: use --seconds)")
    parser.add_argument("--chunk-elements", type=int, default=1 << 21,
                        help="seeds in a chunk x weights a seed x k: the size of one (weights, k) array")
    parser.add_argument("--seed", type=int, default=12345, help="PCG64 seed")
    args = parser.parse_args()

    widths = widths_of(args.d, args.n, args.l, args.out)
    weights = sum(widths[i] * widths[i + 1] for i in range(len(widths) - 1))
    chunk = max(1, args.chunk_elements // (weights * args.k))
    rng = np.random.default_rng(args.seed)

    run_chunk(rng, chunk, widths, args.k, args.epsilon, args.points)  # warm-up (page faults, allocator)

    seeds = successes = 0
    certified_sum = sampled_sum = sampled_max = 0.0
    started = time.perf_counter()
    while True:
        n = chunk if args.seeds <= 0 else min(chunk, args.seeds - seeds)
        s, c, e, m = run_chunk(rng, n, widths, args.k, args.epsilon, args.points)
        seeds += n
        successes += s
        certified_sum += c
        sampled_sum += e
        sampled_max = max(sampled_max, m)
        elapsed = time.perf_counter() - started
        if args.seeds > 0:
            if seeds >= args.seeds:
                break
        elif elapsed >= args.seconds:
            break

    print(json.dumps({
        "d": args.d, "n": args.n, "l": args.l, "out": args.out, "k": args.k, "epsilon": args.epsilon,
        "chunk": chunk,
        "seeds": seeds,
        "elapsed_s": elapsed,
        "seeds_per_s": seeds / elapsed,
        "ns_per_seed": elapsed * 1e9 / seeds,
        "weights_per_seed": weights,
        "success_rate": successes / seeds,
        "mean_certified_error": certified_sum / successes if successes else None,
        "mean_sampled_error": sampled_sum / successes if successes else None,
        "max_sampled_error": sampled_max if successes else None,
        "numpy": np.__version__,
    }))


if __name__ == "__main__":
    main()
