#!/usr/bin/env python3
"""Spatial join: orewatch against scikit-learn's BallTree and GeoPandas (issue 4).

    python bench/spatial.py [--repeat 3] [--events 1000000] [--seed 11] [--radius-km 50]

Every (site, event) pair within --radius-km great-circle kilometres, for all merged built-in
sites with a location (bench/out/sites.csv, written by orewatch) against --events seeded
events (bench/out/events.csv, written once):

* 55 % around conflict hot spots: the UCDP GED sample's events (data/ucdp-ged), picked with
  weight 1 + best fatality estimate, offset by a Gaussian of 30 km;
* 45 % around populated places: GeoNames cities1000 (data/geonames), picked with weight
  population^0.75, offset by a Gaussian of 8 km.

Tools, each in its own child process, on the same two cores:

* orewatch          -- orewatch_core::exposure::join_within (R-tree over unit vectors,
                       haversine distances; rayon on all cores);
* balltree          -- sklearn.neighbors.BallTree(metric="haversine").query_radius(...,
                       return_distance=True), the events split in two halves queried in two
                       forked processes (query_radius holds the GIL: two threads take as long
                       as one); `balltree-1` is the plain single-process call;
* geopandas         -- GeoPandas sjoin(predicate="dwithin"), the events split in two halves
                       joined on two threads (the tree query runs in GEOS and releases the
                       GIL), in EPSG:4087 (World Equidistant
                       Cylindrical, metres on the WGS84 semi-major axis) with a per-event
                       search distance widened by a/R / cos(latitude) so that no pair within
                       the radius is missed, then an exact haversine filter of the candidate
                       pairs (the same pairs as the others; pairs across the antimeridian,
                       where the projection is cut, would be missed, but the data have none);
* geopandas-planar  -- the same sjoin with a plain 50 km distance in EPSG:4087 and no
                       refinement: what a projected join gives without care (it misses pairs
                       east-west of each other because the projection stretches longitudes).

Each tool also runs on one core (`orewatch-1` with RAYON_NUM_THREADS=1, `balltree-1`,
`geopandas-1`): on a machine shared with other jobs, one-core figures are the steadier ones.
Load (CSV -> memory) and compute are timed apart; peak memory is each child's VmHWM (for
BallTree on two processes, the parent's plus both workers', an upper bound since forked
workers share pages with the parent).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from _common import (
    OUT, ROOT, binary, build, machine, median, python_child, record, run_child,
    self_peak_rss_mib, table, versions,
)

SITES = OUT / "sites.csv"
EVENTS = OUT / "events.csv"
EVENTS_META = OUT / "events.meta.json"
R_KM = 6371.0088  # the mean Earth radius orewatch uses (IUGG R1)
WGS84_A_KM = 6378.137  # the semi-major axis EPSG:4087 projects on


def generate(n: int, seed: int) -> None:
    import numpy as np
    import pandas as pd

    meta = {"events": n, "seed": seed, "version": 1}
    if EVENTS.exists() and EVENTS_META.exists() and json.loads(EVENTS_META.read_text()) == meta:
        return
    print(f"generating {n:,} events (seed {seed}) ...", file=sys.stderr, flush=True)
    rng = np.random.default_rng(seed)
    ged = pd.read_csv(ROOT / "data/ucdp-ged/ged231_sample1000.csv", usecols=["latitude", "longitude", "best"])
    cities = pd.read_csv(ROOT / "data/geonames/cities1000.csv", usecols=["latitude", "longitude", "population"])
    n_conflict = int(round(0.55 * n))
    n_city = n - n_conflict
    w = 1.0 + ged["best"].clip(lower=0).to_numpy(dtype=float)
    i = rng.choice(len(ged), n_conflict, p=w / w.sum())
    lat_c, lon_c, sd_c = ged.latitude.to_numpy()[i], ged.longitude.to_numpy()[i], 30.0
    w = cities["population"].clip(lower=1).to_numpy(dtype=float) ** 0.75
    j = rng.choice(len(cities), n_city, p=w / w.sum())
    lat_p, lon_p, sd_p = cities.latitude.to_numpy()[j], cities.longitude.to_numpy()[j], 8.0
    lat0 = np.concatenate([lat_c, lat_p])
    lon0 = np.concatenate([lon_c, lon_p])
    sd = np.concatenate([np.full(n_conflict, sd_c), np.full(n_city, sd_p)])
    dy = rng.normal(0.0, 1.0, n) * sd
    dx = rng.normal(0.0, 1.0, n) * sd
    km_per_deg = np.pi * R_KM / 180.0
    lat = np.clip(lat0 + dy / km_per_deg, -89.9, 89.9)
    lon = lon0 + dx / (km_per_deg * np.cos(np.radians(lat)))
    lon = (lon + 180.0) % 360.0 - 180.0
    order = rng.permutation(n)
    pd.DataFrame({"lat": np.round(lat[order], 6), "lon": np.round(lon[order], 6)}).to_csv(EVENTS, index=False)
    EVENTS_META.write_text(json.dumps(meta))


def load_points():
    import pandas as pd

    sites = pd.read_csv(SITES, engine="pyarrow", dtype={"lat": "float64", "lon": "float64"})
    events = pd.read_csv(EVENTS, engine="pyarrow", dtype={"lat": "float64", "lon": "float64"})
    return sites, events


def haversine_km(lat1, lon1, lat2, lon2):
    import numpy as np

    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(lon2 - lon1)
    h = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * R_KM * np.arcsin(np.minimum(np.sqrt(h), 1.0))


_TREE = None
_QUERY = None


def _balltree_part(args):
    """One worker's share of the queries: flat (event, site, distance) arrays and its peak
    memory. Runs in a forked process that inherits the tree and the query points."""
    import numpy as np

    lo, hi, r = args
    ind, dist = _TREE.query_radius(_QUERY[lo:hi], r, return_distance=True)
    counts = np.fromiter((len(a) for a in ind), dtype=np.int64, count=len(ind))
    ev = np.repeat(np.arange(lo, hi), counts)
    si = np.concatenate(ind) if len(ind) else np.empty(0, np.int64)
    d = np.concatenate(dist) if len(dist) else np.empty(0)
    return ev, si, d, self_peak_rss_mib()


def child_balltree(radius_km: float, workers: int) -> dict:
    """BallTree over the sites; the events queried in `workers` forked processes (query_radius
    holds the GIL, so threads would not use the second core)."""
    import multiprocessing as mp
    import numpy as np
    from sklearn.neighbors import BallTree

    global _TREE, _QUERY
    t0 = time.perf_counter()
    sites, events = load_points()
    t1 = time.perf_counter()
    _TREE = BallTree(np.radians(sites[["lat", "lon"]].to_numpy()), metric="haversine")
    _QUERY = np.radians(events[["lat", "lon"]].to_numpy())
    r = radius_km / R_KM
    bounds = np.linspace(0, len(_QUERY), workers + 1).astype(int)
    tasks = [(int(bounds[k]), int(bounds[k + 1]), r) for k in range(workers)]
    if workers == 1:
        parts = [_balltree_part(tasks[0])]
    else:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_balltree_part, tasks)
    ev = np.concatenate([p[0] for p in parts])
    d = np.concatenate([p[2] for p in parts]) * R_KM
    t2 = time.perf_counter()
    worker_peaks = [p[3] for p in parts]
    own = self_peak_rss_mib()
    return {"tool": "balltree", "case": "join", "threads": workers,
            "seconds": {"load": t1 - t0, "compute": t2 - t1},
            "checks": {"sites": len(sites), "events": len(events), "pairs": int(len(ev)),
                       "distance_sum_km": float(d.sum()), "events_with_a_site": int(len(np.unique(ev))),
                       "worker_peak_rss_mib": worker_peaks},
            # With workers, the parent and every worker are resident at once.
            "peak_rss_mib": own + (sum(worker_peaks) if workers > 1 else 0.0)}


def child_geopandas(radius_km: float, refine: bool, workers: int) -> dict:
    import geopandas as gpd
    import numpy as np
    from concurrent.futures import ThreadPoolExecutor

    t0 = time.perf_counter()
    sites, events = load_points()
    t1 = time.perf_counter()
    gs = gpd.GeoDataFrame(geometry=gpd.points_from_xy(sites.lon, sites.lat), crs="EPSG:4326").to_crs("EPSG:4087")
    ge = gpd.GeoDataFrame(geometry=gpd.points_from_xy(events.lon, events.lat), crs="EPSG:4326").to_crs("EPSG:4087")
    if refine:
        # Equidistant cylindrical on the WGS84 semi-major axis a: x = a*lon, y = a*lat, so a
        # distance is stretched by a/R (1.0011 against the mean radius R of the haversine)
        # and an east-west one also by 1/cos(lat). Widening each event's search radius by
        # a/R / cos(|lat| + margin) keeps every true pair among the candidates; the haversine
        # filter then drops the extras.
        margin = np.degrees(radius_km / R_KM) * 1.01
        c = np.cos(np.radians(np.minimum(np.abs(events.lat.to_numpy()) + margin, 89.0)))
        dist = radius_km * 1000.0 * (WGS84_A_KM / R_KM) * 1.0001 / c
    else:
        dist = np.full(len(events), radius_km * 1000.0)

    def join(sl):
        part = ge.iloc[sl]
        j = gpd.sjoin(part, gs, predicate="dwithin", distance=dist[sl], how="inner")
        ei = np.asarray(j.index.to_numpy())
        si = j["index_right"].to_numpy()
        d = haversine_km(events.lat.to_numpy()[ei], events.lon.to_numpy()[ei],
                         sites.lat.to_numpy()[si], sites.lon.to_numpy()[si])
        if refine:
            keep = d <= radius_km
            ei, d = ei[keep], d[keep]
        return ei, d

    bounds = np.linspace(0, len(events), workers + 1).astype(int)
    slices = [slice(bounds[k], bounds[k + 1]) for k in range(workers)]
    if workers == 1:
        out = [join(slices[0])]
    else:
        with ThreadPoolExecutor(workers) as ex:
            out = list(ex.map(join, slices))
    t2 = time.perf_counter()
    ei = np.concatenate([o[0] for o in out])
    d = np.concatenate([o[1] for o in out])
    return {"tool": "geopandas" if refine else "geopandas-planar", "case": "join", "threads": workers,
            "seconds": {"load": t1 - t0, "compute": t2 - t1},
            "checks": {"sites": len(sites), "events": len(events), "pairs": int(len(ei)),
                       "distance_sum_km": float(d.sum()), "events_with_a_site": int(len(np.unique(ei)))},
            "peak_rss_mib": self_peak_rss_mib()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--radius-km", type=float, default=50.0)
    ap.add_argument("--workers", type=int, default=2, help="threads for the Python tools")
    ap.add_argument("--tools", default="orewatch,orewatch-1,balltree,balltree-1,geopandas,geopandas-1,geopandas-planar")
    ap.add_argument("--skip-build", action="store_true")
    args = ap.parse_args()

    if args.child:
        tool, radius, workers = args.child[0], float(args.child[1]), int(args.child[2])
        if tool == "balltree":
            rep = child_balltree(radius, workers)
        else:
            rep = child_geopandas(radius, tool == "geopandas", workers)
        print(json.dumps(rep))
        return

    if not args.skip_build:
        build()
    OUT.mkdir(parents=True, exist_ok=True)
    exe = str(binary("bench_spatial"))
    if not SITES.exists():
        subprocess.run([exe, "export-sites", "--out", str(SITES)], check=True)
    generate(args.events, args.seed)
    info = {"machine": machine(), "versions": versions("sklearn", "geopandas", "shapely", "pyproj", "numpy", "pandas")}
    print(json.dumps(info, indent=1), file=sys.stderr)
    reps: dict[str, list] = {}
    tools = args.tools.split(",")
    for _ in range(args.repeat):
        for tool in tools:
            env = None
            if tool.startswith("orewatch"):
                cmd = [exe, "join", "--sites", str(SITES), "--events", str(EVENTS), "--radius-km", str(args.radius_km)]
                if tool == "orewatch-1":
                    env = {**os.environ, "RAYON_NUM_THREADS": "1"}
            elif tool.endswith("-1"):
                cmd = python_child("spatial.py", tool[:-2], str(args.radius_km), "1")
            else:
                cmd = python_child("spatial.py", tool, str(args.radius_km), str(args.workers))
            rep = run_child(cmd, env=env)
            reps.setdefault(tool, []).append(rep)
            print(f"{tool}: {rep['seconds']} pairs {rep['checks']['pairs']:,} peak {rep['peak_rss_mib']:.0f} MiB",
                  file=sys.stderr, flush=True)
    med = {}
    for tool, rs in reps.items():
        med[tool] = {
            "load_s": median([r["seconds"]["load"] for r in rs]),
            "compute_s": median([r["seconds"]["compute"] for r in rs]),
            "compute_all_s": [r["seconds"]["compute"] for r in rs],
            "peak_rss_mib": median([r["peak_rss_mib"] for r in rs]),
            "threads": rs[-1]["threads"], "checks": rs[-1]["checks"], "runs": len(rs),
        }
    ow = med["orewatch"]
    rows = []
    for tool, m in med.items():
        # The ratio to orewatch on the same number of cores (orewatch-1 for one-core runs).
        same = med.get("orewatch-1", ow) if m["threads"] == 1 else ow
        m["compute_ratio"] = m["compute_s"] / ow["compute_s"]
        m["compute_ratio_same_cores"] = m["compute_s"] / same["compute_s"]
        m["pairs_vs_orewatch"] = m["checks"]["pairs"] - ow["checks"]["pairs"]
        rows.append([tool, m["threads"], m["load_s"], m["compute_s"], m["peak_rss_mib"], m["compute_ratio"],
                     m["compute_ratio_same_cores"], f"{m['checks']['pairs']:,}", f"{m['pairs_vs_orewatch']:+,}"])
    print(table(["tool", "cores", "load s", "join s", "peak RSS MiB", "join ÷ orewatch",
                 "join ÷ orewatch (same cores)", "pairs", "pairs − orewatch"], rows))
    info["load_average_after"] = machine()["load_average"]
    path = record("spatial", {**info, "repeat": args.repeat, "events": args.events, "seed": args.seed,
                              "radius_km": args.radius_km, "summary": med})
    print(f"\nappended to {path}")


if __name__ == "__main__":
    main()
