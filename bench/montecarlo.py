#!/usr/bin/env python3
"""Monte Carlo of supply shortfalls: orewatch against a vectorised NumPy model (issue 6).

    python bench/montecarlo.py [--paths 1000000] [--repeat 3] [--sizes 100000,300000,1000000]

The model (bench/out/mc_model.json) is written by orewatch from the built-in data: the United
States over every mineral of the 2022 U.S. critical-minerals list that MCS2024 has 2023 world
production for, all producing countries, U.S. consumption from the MCS2024 salient tables (or
a documented 5 % stand-in), and the annual disruption probability of every producing country
from orewatch's logistic model (WGI 2022 PV.EST, EU t). Both tools read that JSON, so they run
the same chains, demands, probabilities and parameters.

The NumPy implementation below is the model of orewatch_core::scenario::simulate, vectorised
over paths in chunks: per path a common N(0,1) factor per country and a Gaussian copula with
correlation rho; a disrupted country x mineral draws Beta severity, log-normal duration and a
start month from the truncated geometric of its monthly hazard, and cuts the country at every
stage it supplies; month by month, lost supply is made up by the other suppliers' spare
capacity ramping up from the stage's first cut, the stage's shortfall reaches the stage below
as a loss of feed, and the importer bears its pool share after its stocks. The shortfall of
a path is the horizon total over horizon consumption. Accumulators have a fixed size
(moments, the same log-bucket sketch as orewatch for P50/P95/P99 and CVaR95, per-band tail
attribution), so memory does not grow with the number of paths. NumPy's random streams are
not orewatch's xoshiro256++ streams: the two agree statistically, not bit for bit; the driver
prints the means side by side with their standard errors.

Each run: orewatch (rayon, 2 threads) and NumPy (--workers forked processes, 2 by default,
each running half the paths); throughput is paths per second of the compute phase; peak
memory is VmHWM (for NumPy with workers: the parent's plus the workers', an upper bound).
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import time

from _common import (
    OUT, binary, build, machine, median, python_child, record, run_child, self_peak_rss_mib,
    table, versions,
)

MODEL = OUT / "mc_model.json"

SKETCH_ALPHA = 0.005
SKETCH_MIN = 1e-6
BAND = 8


def layout():
    gamma = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA)
    ln_gamma = math.log(gamma)
    buckets = math.ceil(math.log(1 / SKETCH_MIN) / ln_gamma) + 1
    return 1.0 / ln_gamma, buckets


def normal_quantile(p: float) -> float:
    if p <= 0.0:
        return -math.inf
    if p >= 1.0:
        return math.inf
    return statistics.NormalDist().inv_cdf(p)


class Model:
    """The JSON model resolved as orewatch resolves it (monthly quantities, spare capacity,
    pairs of country x mineral with their copula thresholds and hazards)."""

    def __init__(self, m: dict):
        import numpy as np

        p = m["params"]
        mp = p["model"]
        self.H = int(mp["horizon_months"])
        self.ramp = float(mp["ramp_up_per_month"])
        spare_frac = float(mp["default_spare_fraction"])
        self.rho = float(p["correlation"])
        self.threshold = float(p["threshold"])
        sev = p["severity"]
        self.sev = ("fixed", sev["fixed"]["fraction"]) if "fixed" in sev else ("beta", sev["beta"]["alpha"], sev["beta"]["beta"])
        dur = p["duration"]
        if "fixed" in dur:
            self.dur = ("fixed", dur["fixed"]["months"])
        elif "geometric" in dur:
            self.dur = ("geometric", math.log1p(-1.0 / dur["geometric"]["mean_months"]))
        else:
            self.dur = ("lognormal", math.log(dur["log_normal"]["median_months"]), dur["log_normal"]["sigma"])
        demands = {d["mineral"]: d for d in m["demands"]}
        risks: dict[str, dict[str, float]] = {}
        for r in m["risks"]:
            risks.setdefault(r["mineral"], {})[r["country"]] = r["annual_probability"]
        countries = sorted({c for rs in risks.values() for c in rs})
        cindex = {c: i for i, c in enumerate(countries)}
        self.n_countries = len(countries)
        order = {"mining": 0, "refining": 1}
        self.chains = []
        for ch in m["chains"]:
            mineral = ch["mineral"]
            if mineral not in demands:
                continue
            stages = []
            for st in sorted(ch["stages"], key=lambda s: order[s["stage"]]):
                names = [s["country"] for s in st["suppliers"]]
                prod = np.array([s["production_t"] for s in st["suppliers"]] + [st.get("unlisted_t", 0.0)]) / 12.0
                spare = np.array([
                    max(s["capacity_t"] - s["production_t"], 0.0) if s.get("capacity_t") is not None
                    else spare_frac * s["production_t"] for s in st["suppliers"]
                ] + [spare_frac * st.get("unlisted_t", 0.0)]) / 12.0
                stages.append({"names": names, "prod": prod, "spare": spare, "total": float(prod.sum())})
            d = demands[mineral]
            c = float(d["consumption_t"])
            monthly = c / 12.0
            pairs = sorted(risks.get(mineral, {}).items())
            P = len(pairs)
            q_by_stage = np.zeros((len(stages), P))
            k_by_stage = np.zeros((len(stages), P))
            on_stage = np.zeros((len(stages), P), dtype=bool)
            share = np.zeros(P)
            for j, (country, _) in enumerate(pairs):
                for s, st in enumerate(stages):
                    if country in st["names"]:
                        slot = st["names"].index(country)
                        q_by_stage[s, j] = st["prod"][slot]
                        k_by_stage[s, j] = st["spare"][slot]
                        on_stage[s, j] = True
                        share[j] += st["prod"][slot] / st["total"]
            prob = np.array([pr for _, pr in pairs])
            self.chains.append({
                "mineral": mineral,
                "stages": stages,
                "spare_total": np.array([st["spare"].sum() for st in stages]),
                "totals": np.array([st["total"] for st in stages]),
                "q": q_by_stage, "k": k_by_stage, "on": on_stage, "share": share,
                "cidx": np.array([cindex[c] for c, _ in pairs], dtype=np.int64),
                "thr": np.array([normal_quantile(-math.expm1(math.log1p(-x) * self.H / 12.0)) for x in prob]),
                "hazard": np.array([-math.expm1(math.log1p(-x) / 12.0) for x in prob]),
                "monthly": monthly, "pooled": monthly,
                "stocks": float(p["model"]["stocks_days"]) / 365.0 * c,
                "hc": monthly * self.H,
                "countries": [c for c, _ in pairs],
            })


def start_months(h, H, u):
    """Vectorised truncated-geometric start month (orewatch's start_month)."""
    import numpy as np

    last = H - 1
    out = np.zeros_like(u)
    ln_keep = np.log1p(-np.minimum(h, 1.0))
    full = h >= 1.0
    flat = (~full) & (ln_keep == 0.0)
    rest = ~(full | flat)
    out[flat] = np.minimum(np.floor(u[flat] * H), last)
    lk = ln_keep[rest]
    p_h = -np.expm1(H * lk)
    out[rest] = np.clip(np.floor(np.log1p(-u[rest] * p_h) / lk), 0, last)
    return out


class Acc:
    """Fixed-size accumulator of one mineral (moments, log-bucket sketch, tail bands)."""

    def __init__(self, buckets: int, countries: int):
        import numpy as np

        self.n = 0
        self.zeros = 0
        self.above = 0
        self.sum = 0.0
        self.sumsq = 0.0
        self.counts = np.zeros(buckets, dtype=np.int64)
        self.sums = np.zeros(buckets)
        self.bands = -(-buckets // BAND)
        self.attr = np.zeros(self.bands * countries)
        self.P = countries

    def merge(self, o: "Acc") -> None:
        self.n += o.n
        self.zeros += o.zeros
        self.above += o.above
        self.sum += o.sum
        self.sumsq += o.sumsq
        self.counts += o.counts
        self.sums += o.sums
        self.attr += o.attr

    def mean(self):
        n = self.n
        mean = self.sum / n
        var = max((self.sumsq - n * mean * mean) / (n - 1), 0.0) if n > 1 else 0.0
        return mean, math.sqrt(var / n)

    def value_at_rank(self, rank: int) -> float:
        if rank <= self.zeros:
            return 0.0
        import numpy as np

        cum = np.cumsum(self.counts) + self.zeros
        b = int(np.searchsorted(cum, rank))
        b = min(b, len(self.counts) - 1)
        return float(self.sums[b] / self.counts[b]) if self.counts[b] else 0.0

    def quantile(self, q: float) -> float:
        return self.value_at_rank(min(max(math.ceil(self.n * q), 1), self.n))

    def cvar(self, level: float) -> float:
        tail = (1 - level) * self.n
        left, s = tail, 0.0
        for b in range(len(self.counts) - 1, -1, -1):
            if left <= 0:
                break
            c = float(self.counts[b])
            t = min(c, left)
            if t > 0:
                s += self.sums[b] * t / c
            left -= t
        return s / tail


def simulate(model: Model, lo: int, hi: int, seed: int, chunk: int) -> list[Acc]:
    """Paths lo..hi in chunks of `chunk` paths; returns one accumulator per chain."""
    import numpy as np

    inv_ln_gamma, buckets = layout()
    rng = np.random.default_rng([seed, lo])
    H = model.H
    sr, s1r = math.sqrt(model.rho), math.sqrt(1.0 - model.rho)
    accs = [Acc(buckets, len(c["countries"])) for c in model.chains]
    months = np.arange(H, dtype=float)
    for a in range(lo, hi, chunk):
        B = min(chunk, hi - a)
        X = rng.standard_normal((B, model.n_countries)) if sr > 0 else np.zeros((B, model.n_countries))
        for ch, acc in zip(model.chains, accs):
            P = len(ch["countries"])
            Z = sr * X[:, ch["cidx"]] + s1r * rng.standard_normal((B, P))
            bi, pj = np.nonzero(Z < ch["thr"])
            nd = len(bi)
            if nd == 0:
                acc.n += B
                acc.zeros += B
                continue
            if model.sev[0] == "fixed":
                sev = np.full(nd, model.sev[1])
            else:
                sev = rng.beta(model.sev[1], model.sev[2], nd)
            if model.dur[0] == "fixed":
                dur = np.full(nd, model.dur[1])
            elif model.dur[0] == "geometric":
                dur = 1.0 + np.floor(np.log1p(-rng.random(nd)) / model.dur[1])
            else:
                dur = np.exp(model.dur[1] + model.dur[2] * rng.standard_normal(nd))
            start = start_months(ch["hazard"][pj], H, rng.random(nd))
            end = start + dur
            # Fraction of each month cut, per disruption: severity x overlap.
            o = np.clip(np.minimum(end[:, None], months + 1.0) - np.maximum(start[:, None], months), 0.0, 1.0)
            cut = sev[:, None] * o  # (nd, H)
            flat = (bi[:, None] * H + months.astype(np.int64)).ravel()
            effective = (sev > 0) & (dur > 0) & (start < H)
            phi_up = None
            gap = None
            S = len(ch["stages"])
            for s in range(S):
                on = ch["on"][s, pj]
                w_lost = (cut * (ch["q"][s, pj] * on)[:, None]).ravel()
                w_spare = (cut * (ch["k"][s, pj] * on)[:, None]).ravel()
                lost = np.bincount(flat, weights=w_lost, minlength=B * H).reshape(B, H)
                spare_cut = np.bincount(flat, weights=w_spare, minlength=B * H).reshape(B, H)
                onset = np.full(B, np.inf)
                sel = effective & on
                np.minimum.at(onset, bi[sel], start[sel])
                ramp = np.clip(model.ramp * (months[None, :] + 1.0 - onset[:, None]), 0.0, 1.0)
                ramp[~np.isfinite(onset)] = 0.0
                avail = (ch["spare_total"][s] - spare_cut) * ramp
                own = lost - np.minimum(lost, avail)
                total = ch["totals"][s]
                if phi_up is None:
                    phi_up = np.zeros((B, H))
                if s == S - 1:
                    own_gap = np.where(lost > 0, ch["pooled"] * own / total, 0.0)
                    gap = own_gap + phi_up * (ch["monthly"] - own_gap)
                phi_up = 1.0 - (1.0 - own / total) * (1.0 - phi_up)
            # Stocks are drawn first, month by month.
            stocks = np.full(B, ch["stocks"])
            short = np.zeros(B)
            for m in range(H):
                g = gap[:, m]
                draw = np.minimum(g, stocks)
                stocks -= draw
                short += g - draw
            x = np.clip(short / ch["hc"], 0.0, 1.0) if ch["hc"] > 0 else np.zeros(B)
            # Accumulate.
            acc.n += B
            pos = x > 0
            acc.zeros += int(B - pos.sum())
            acc.above += int((x > model.threshold).sum())
            acc.sum += float(x.sum())
            acc.sumsq += float((x * x).sum())
            xp = x[pos]
            b = np.where(xp <= SKETCH_MIN, 0,
                         np.clip(np.ceil(np.log(np.maximum(xp, SKETCH_MIN) / SKETCH_MIN) * inv_ln_gamma), 1, buckets - 1)).astype(np.int64)
            acc.counts += np.bincount(b, minlength=buckets)
            acc.sums += np.bincount(b, weights=xp, minlength=buckets)
            # Tail attribution: a path's shortfall shared by severity x months x share.
            wmonths = np.maximum(np.minimum(end, H) - start, 0.0)
            w = sev * wmonths * ch["share"][pj]
            wsum = np.bincount(bi, weights=w, minlength=B)
            band_of_path = np.full(B, -1, dtype=np.int64)
            band_of_path[pos] = b // BAND
            keep = (band_of_path[bi] >= 0) & (wsum[bi] > 0)
            contrib = x[bi[keep]] * w[keep] / wsum[bi[keep]]
            acc.attr += np.bincount(band_of_path[bi[keep]] * acc.P + pj[keep], weights=contrib,
                                    minlength=acc.attr.size)
    return accs


_MODEL = None


def _worker(args):
    lo, hi, seed, chunk = args
    accs = simulate(_MODEL, lo, hi, seed, chunk)
    return accs, self_peak_rss_mib()


def child_numpy(paths: int, seed: int, workers: int, chunk: int) -> dict:
    import multiprocessing as mp
    import numpy as np

    global _MODEL
    t0 = time.perf_counter()
    _MODEL = Model(json.loads(MODEL.read_text()))
    t1 = time.perf_counter()
    bounds = np.linspace(0, paths, workers + 1).astype(np.int64)
    tasks = [(int(bounds[k]), int(bounds[k + 1]), seed, chunk) for k in range(workers)]
    if workers == 1:
        parts = [_worker(tasks[0])]
    else:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_worker, tasks)
    accs = parts[0][0]
    for other, _ in parts[1:]:
        for a, b in zip(accs, other):
            a.merge(b)
    minerals = {}
    for ch, acc in zip(_MODEL.chains, accs):
        mean, se = acc.mean()
        minerals[ch["mineral"]] = {
            "mean": mean, "mean_se": se, "p95": acc.quantile(0.95), "cvar95": acc.cvar(0.95),
            "prob_above": acc.above / acc.n, "prob_any": 1.0 - acc.zeros / acc.n,
        }
    t2 = time.perf_counter()
    worker_peaks = [p[1] for p in parts] if workers > 1 else []
    return {"tool": "numpy", "case": "simulate", "threads": workers,
            "seconds": {"load": t1 - t0, "compute": t2 - t1},
            "peak_rss_mib": self_peak_rss_mib() + sum(worker_peaks),
            "checks": {"paths": paths, "paths_per_second": paths / (t2 - t1), "minerals": minerals,
                       "worker_peak_rss_mib": worker_peaks, "chunk": chunk}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--paths", type=int, default=1_000_000)
    ap.add_argument("--sizes", default="100000,300000,1000000",
                    help="path counts of the memory-growth runs (once each per tool)")
    ap.add_argument("--repeat", type=int, default=3, help="runs at --paths per tool")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--chunk", type=int, default=8192)
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()

    if args.child:
        _, paths, seed, workers, chunk = args.child
        print(json.dumps(child_numpy(int(paths), int(seed), int(workers), int(chunk))))
        return

    if not args.skip_build:
        build()
    OUT.mkdir(parents=True, exist_ok=True)
    exe = str(binary("bench_montecarlo"))
    subprocess.run([exe, "export-model", "--out", str(MODEL)], check=True)
    info = {"machine": machine(), "versions": versions("numpy")}
    print(json.dumps(info, indent=1), file=sys.stderr)

    def run(tool: str, paths: int) -> dict:
        if tool == "orewatch":
            cmd = [exe, "run", "--model", str(MODEL), "--paths", str(paths), "--seed", str(args.seed)]
        else:
            cmd = python_child("montecarlo.py", "numpy", str(paths), str(args.seed), str(args.workers), str(args.chunk))
        rep = run_child(cmd)
        print(f"{tool} {paths:,} paths: {rep['seconds']} peak {rep['peak_rss_mib']:.0f} MiB",
              file=sys.stderr, flush=True)
        return rep

    reps: dict[str, list] = {"orewatch": [], "numpy": []}
    for _ in range(args.repeat):
        for tool in reps:
            reps[tool].append(run(tool, args.paths))
    growth: dict[str, dict] = {"orewatch": {}, "numpy": {}}
    for n in [int(x) for x in args.sizes.split(",") if x]:
        for tool in growth:
            r = reps[tool][0] if n == args.paths and reps[tool] else run(tool, n)
            growth[tool][n] = {"peak_rss_mib": r["peak_rss_mib"], "compute_s": r["seconds"]["compute"]}

    med = {}
    for tool, rs in reps.items():
        comp = median([r["seconds"]["compute"] for r in rs])
        med[tool] = {"compute_s": comp, "compute_all_s": [r["seconds"]["compute"] for r in rs],
                     "paths_per_second": args.paths / comp,
                     "peak_rss_mib": median([r["peak_rss_mib"] for r in rs]),
                     "threads": rs[-1]["threads"], "minerals": rs[-1]["checks"]["minerals"]}
    ow = med["orewatch"]
    rows = [[t, m["threads"], m["compute_s"], f"{m['paths_per_second']:,.0f}", m["peak_rss_mib"],
             ow["paths_per_second"] / m["paths_per_second"]] for t, m in med.items()]
    print(table(["tool", "workers", "compute s", "paths/s", "peak RSS MiB", "orewatch ÷ tool (throughput)"], rows))
    sizes = sorted({n for g in growth.values() for n in g})
    print("\nPeak RSS (MiB) as paths grow")
    print(table(["tool"] + [f"{n:,}" for n in sizes],
                [[t] + [growth[t][n]["peak_rss_mib"] for n in sizes] for t in growth]))
    # Means side by side.
    a, b = ow["minerals"], med["numpy"]["minerals"]
    rows, zs = [], []
    for m in sorted(a, key=lambda k: -a[k]["mean"]):
        if m not in b:
            continue
        se = math.hypot(a[m]["mean_se"], b[m]["mean_se"])
        z = (a[m]["mean"] - b[m]["mean"]) / se if se > 0 else 0.0
        zs.append(abs(z))
        rows.append([m, f'{a[m]["mean"]:.6f}', f'{a[m]["mean_se"]:.1e}', f'{b[m]["mean"]:.6f}',
                     f'{b[m]["mean_se"]:.1e}', f"{z:+.2f}", f'{a[m]["p95"]:.5f}', f'{b[m]["p95"]:.5f}',
                     f'{a[m]["cvar95"]:.5f}', f'{b[m]["cvar95"]:.5f}'])
    print("\nMean shortfall (fraction of horizon consumption), orewatch vs NumPy")
    print(table(["mineral", "orewatch mean", "± se", "NumPy mean", "± se", "z", "P95 ow", "P95 np",
                 "CVaR95 ow", "CVaR95 np"], rows))
    if zs:
        print(f"\nmax |z| over {len(zs)} minerals: {max(zs):.2f}; |z| > 3 for {sum(z > 3 for z in zs)}")
    info["load_average_after"] = machine()["load_average"]
    path = record("montecarlo", {**info, "paths": args.paths, "repeat": args.repeat, "seed": args.seed,
                                 "workers": args.workers, "summary": med,
                                 "growth": {t: {str(k): v for k, v in g.items()} for t, g in growth.items()},
                                 "max_abs_z": max(zs) if zs else None})
    print(f"\nappended to {path}")


if __name__ == "__main__":
    main()
