#!/usr/bin/env python3
"""Concentration and EU supply risk: orewatch against DuckDB SQL and pandas (issue 3).

    python bench/concentration.py [--repeat 3] [--rows 10000000] [--seed 7]

Two cases, each tool in its own child process, run --repeat times (medians reported):

* builtin   -- every release x mineral x stage x series x year of the MCS world tables
               (shares, HHI, top-1, top-3, N-1), HHI_WGI,t of every material x stage x scope
               of the EU CRM 2023 supply tables (WGI 2021, t), and SR of the 26 EU 2017
               component rows. orewatch exports these inputs once as tidy CSV
               (bench/out/builtin/); every tool reads those files and computes the same
               results (the child repeats load and compute 20 times and reports medians).
               orewatch's timing from the raw published files is reported beside it.
* synthetic -- a seeded table of --rows rows (scenarios x commodities x years x countries)
               written once as CSV (bench/out/synthetic_production.csv) with a small
               commodity table (EOL_RIR, SI_SR); per scenario x commodity x year: shares,
               HHI, top-1, top-3, N-1, HHI_WGI,t and SR (global supply only).

Every tool reads the same CSV files; load (CSV -> memory) and compute are timed apart.
Results are written after the timed part and compared with orewatch's (max abs difference).
Each run is appended to bench/out/history.jsonl; the summary table is printed.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

from _common import (
    OUT, binary, build, machine, median, python_child, record, run_child, self_peak_rss_mib,
    table, versions,
)

SYN = OUT / "synthetic_production.csv"
SYN_PARAMS = OUT / "synthetic_commodities.csv"
SYN_META = OUT / "synthetic_production.meta.json"
BUILTIN = OUT / "builtin"
KEYS = ["scenario", "commodity", "year"]
METRICS = ["hhi", "top1", "top3", "n_minus_1", "hhi_wgi_t", "sr"]
WGI_YEAR = 2021


# ------------------------------------------------------------------------------------------
# The synthetic table
# ------------------------------------------------------------------------------------------

def shape_for(rows: int) -> tuple[int, int, int, int]:
    """scenarios, commodities, years, countries with about `rows` rows: 50 commodities,
    25 years, 100 countries (27 of them EU members), and as many scenarios as needed."""
    c, y, n = 50, 25, 100
    s = max(1, round(rows / (c * y * n)))
    return s, c, y, n


def generate(rows: int, seed: int) -> None:
    """Writes the synthetic table and the commodity table (once per rows x seed)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    S, C, Y, N = shape_for(rows)
    meta = {"rows": S * C * Y * N, "shape": [S, C, Y, N], "seed": seed, "version": 2}
    if SYN.exists() and SYN_PARAMS.exists() and SYN_META.exists():
        if json.loads(SYN_META.read_text()) == meta:
            return
    print(f"generating {meta['rows']:,} rows (seed {seed}) ...", file=sys.stderr, flush=True)
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    # Country x commodity base output: log-normal, half the pairs produce nothing, the first
    # five countries produce everything (so that no supply is empty).
    base = rng.lognormal(8.0, 2.5, (C, N))
    producing = rng.random((C, N)) < 0.5
    producing[:, :5] = True
    base *= producing
    growth = rng.normal(0.02, 0.05, (C, N))
    years = np.arange(Y)
    noise = rng.lognormal(0.0, 0.3, (S, C, Y, N))
    prod = base[None, :, None, :] * np.exp(growth[None, :, None, :] * years[None, None, :, None]) * noise
    prod = np.round(prod, 3)
    # Governance 0-10 per country and year; t per country and commodity.
    wgi_c = np.clip(rng.normal(4.5, 1.8, N), 0.5, 9.5)
    wgi = np.clip(wgi_c[None, :] + rng.normal(0.0, 0.3, (Y, N)), 0.0, 10.0).round(4)
    t = np.where(np.arange(N) < 27, 0.8, 1.0)[None, :].repeat(C, axis=0)
    restricted = (rng.random((C, N)) < 0.05) & (np.arange(N)[None, :] >= 27)
    t[restricted] = rng.choice([1.1, 1.2, 1.3, 1.5], restricted.sum())
    s_idx, c_idx, y_idx, n_idx = np.indices((S, C, Y, N), dtype=np.int32)
    table_ = pa.table({
        "scenario": s_idx.ravel(),
        "commodity": c_idx.ravel(),
        "year": (y_idx + 2000).ravel(),
        "country": n_idx.ravel(),
        "production": prod.ravel(),
        "wgi": np.broadcast_to(wgi[None, None, :, :], (S, C, Y, N)).ravel(),
        "t": np.broadcast_to(t[None, :, None, :], (S, C, Y, N)).ravel(),
    })
    pacsv.write_csv(table_, SYN, pacsv.WriteOptions(quoting_style="none"))
    params = pa.table({
        "commodity": np.arange(C, dtype=np.int32),
        "eol_rir": np.round(rng.uniform(0.0, 0.5, C), 3),
        "si_sr": np.round(rng.uniform(0.7, 1.0, C), 3),
    })
    pacsv.write_csv(params, SYN_PARAMS, pacsv.WriteOptions(quoting_style="none"))
    SYN_META.write_text(json.dumps(meta))


# ------------------------------------------------------------------------------------------
# DuckDB
# ------------------------------------------------------------------------------------------

SYN_COLUMNS = ("{'scenario': 'INTEGER', 'commodity': 'INTEGER', 'year': 'INTEGER', "
               "'country': 'INTEGER', 'production': 'DOUBLE', 'wgi': 'DOUBLE', 't': 'DOUBLE'}")

# Shares per row (a window sum), then one aggregation; top-3 with DuckDB's max(x, n).
SQL_SHARES = """
CREATE OR REPLACE TABLE result AS
WITH s AS (
    SELECT scenario, commodity, year, wgi, t,
           production / SUM(production) OVER (PARTITION BY scenario, commodity, year) AS share
    FROM prod
), c AS (
    SELECT scenario, commodity, year,
           10000 * SUM(share * share) AS hhi,
           MAX(share) AS top1,
           list_sum(max(share, 3)) AS top3,
           1 - MAX(share) AS n_minus_1,
           SUM(share * share * wgi * t) AS hhi_wgi_t
    FROM s GROUP BY scenario, commodity, year
)
SELECT c.*, c.hhi_wgi_t * (1 - p.eol_rir) * p.si_sr AS sr
FROM c JOIN params p USING (commodity)
"""

# The same results in one pass, without per-row shares: sum(q^2)/sum(q)^2 etc.
SQL_ALGEBRAIC = """
CREATE OR REPLACE TABLE result AS
WITH a AS (
    SELECT scenario, commodity, year,
           SUM(production) AS total,
           SUM(production * production) AS q2,
           MAX(production) AS qmax,
           list_sum(max(production, 3)) AS q3,
           SUM(production * production * wgi * t) AS q2wt
    FROM prod GROUP BY scenario, commodity, year
)
SELECT scenario, commodity, year,
       10000 * q2 / (total * total) AS hhi,
       qmax / total AS top1,
       q3 / total AS top3,
       1 - qmax / total AS n_minus_1,
       q2wt / (total * total) AS hhi_wgi_t,
       q2wt / (total * total) * (1 - p.eol_rir) * p.si_sr AS sr
FROM a JOIN params p USING (commodity)
WHERE total > 0
"""


def duckdb_synthetic(variant: str, results: str) -> dict:
    import duckdb

    con = duckdb.connect()
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    t0 = time.perf_counter()
    con.execute(f"CREATE TABLE prod AS SELECT * FROM read_csv('{SYN}', header = true, columns = {SYN_COLUMNS})")
    con.execute(f"CREATE TABLE params AS SELECT * FROM read_csv('{SYN_PARAMS}', header = true, "
                "columns = {'commodity': 'INTEGER', 'eol_rir': 'DOUBLE', 'si_sr': 'DOUBLE'})")
    t1 = time.perf_counter()
    con.execute(SQL_SHARES if variant == "shares" else SQL_ALGEBRAIC)
    t2 = time.perf_counter()
    n = con.execute("SELECT count(*), sum(hhi), sum(sr) FROM result").fetchone()
    con.execute(f"COPY (SELECT * FROM result ORDER BY scenario, commodity, year) TO '{results}' (HEADER)")
    return {
        "tool": f"duckdb-{variant}", "case": "synthetic", "threads": threads,
        "seconds": {"load": t1 - t0, "compute": t2 - t1},
        "checks": {"groups": n[0], "hhi_sum": n[1], "sr_sum": n[2]},
        "peak_rss_mib": self_peak_rss_mib(),
    }


SQL_BUILTIN_CONC = """
WITH c AS (SELECT "group", COALESCE(value, 0) AS q FROM prod WHERE kind = 'country'),
g AS (SELECT DISTINCT "group" FROM prod),
a AS (SELECT "group", SUM(q) AS s, MIN(q) AS mn FROM c GROUP BY "group"),
w AS (SELECT "group", value AS world FROM prod WHERE kind = 'world'),
o AS (SELECT "group", value AS other FROM prod WHERE kind = 'other'),
b AS (
    SELECT g."group", COALESCE(a.s, 0) AS s, COALESCE(a.mn, 0) AS mn, o.other,
           CASE WHEN w.world > 0 THEN w.world
                WHEN o.other > 0 THEN COALESCE(a.s, 0) + o.other
                ELSE COALESCE(a.s, 0) END AS total
    FROM g LEFT JOIN a USING ("group") LEFT JOIN w USING ("group") LEFT JOIN o USING ("group")
),
r AS (
    SELECT b."group", b.total,
           COALESCE(SUM((c.q / b.total) * (c.q / b.total)), 0) AS hhi_f,
           COALESCE(MAX(c.q) / b.total, 0) AS top1,
           COALESCE(list_sum(max(c.q, 3)) / b.total, 0) AS top3
    FROM b LEFT JOIN c USING ("group")
    WHERE b.total > 0 AND b.s > 0 AND b.s <= b.total * 1.06 AND b.mn >= 0
      AND (b.other IS NULL OR b.other >= 0)
    GROUP BY b."group", b.total
)
SELECT "group" AS id, 10000 * hhi_f AS hhi, top1, top3, 1 - top1 AS n_minus_1 FROM r
"""

SQL_BUILTIN_EU = f"""
WITH d AS (
    SELECT country, dimension, first(estimate) AS e FROM wgi WHERE year = {WGI_YEAR}
    GROUP BY country, dimension
),
ws AS (SELECT country, LEAST(GREATEST(5 - 2 * AVG(e), 0), 10) AS wgi FROM d GROUP BY country),
s AS (
    SELECT e."group", e.country, e.share, e.bound, ws.wgi,
           COALESCE(e.t, CASE WHEN e.eu27 = 1 THEN 0.8 ELSE 1.0 END) AS t
    FROM eu e LEFT JOIN ws USING (country)
)
SELECT "group" AS id, SUM(CASE WHEN country IS NOT NULL THEN share * share * wgi * t END) AS v
FROM s GROUP BY "group"
HAVING bool_and(share BETWEEN 0 AND 1) AND bool_and(country IS NULL OR wgi IS NOT NULL)
   AND count(country) > 0 AND SUM(CASE WHEN bound = 1 THEN 0 ELSE share END) <= 1.02
"""

SQL_BUILTIN_SR = """
SELECT "row" AS id,
       CASE supply_used WHEN 'GS only' THEN hhi_gs WHEN 'EUS only' THEN hhi_eu
            ELSE hhi_gs * GREATEST(ir, 0) / 2 + hhi_eu * (1 - GREATEST(ir, 0) / 2) END
       * (1 - eol_rir) * si_sr AS v
FROM eu2017
WHERE eol_rir BETWEEN 0 AND 1 AND si_sr BETWEEN 0 AND 1
  AND CASE supply_used WHEN 'GS only' THEN hhi_gs >= 0 WHEN 'EUS only' THEN hhi_eu >= 0
           ELSE hhi_gs >= 0 AND hhi_eu >= 0 AND ir <= 1 END
"""


def duckdb_builtin(results: str, repeat: int) -> dict:
    import duckdb

    con = duckdb.connect()
    loads, computes = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE prod AS SELECT * FROM read_csv('{BUILTIN / 'builtin_production.csv'}', header = true, "
                    "columns = {'group': 'INTEGER', 'release': 'VARCHAR', 'mineral': 'VARCHAR', 'stage': 'VARCHAR', "
                    "'series': 'VARCHAR', 'year': 'INTEGER', 'kind': 'VARCHAR', 'country': 'VARCHAR', 'value': 'DOUBLE'})")
        con.execute(f"CREATE OR REPLACE TABLE eu AS SELECT * FROM read_csv('{BUILTIN / 'builtin_eu_shares.csv'}', header = true, "
                    "columns = {'group': 'INTEGER', 'scope': 'VARCHAR', 'material': 'VARCHAR', 'stage': 'VARCHAR', "
                    "'country': 'VARCHAR', 'share': 'DOUBLE', 't': 'DOUBLE', 'eu27': 'INTEGER', 'bound': 'INTEGER'})")
        con.execute(f"CREATE OR REPLACE TABLE wgi AS SELECT * FROM read_csv('{BUILTIN / 'builtin_wgi.csv'}', header = true, "
                    "columns = {'country': 'VARCHAR', 'year': 'INTEGER', 'dimension': 'VARCHAR', 'estimate': 'DOUBLE'})")
        con.execute(f"CREATE OR REPLACE TABLE eu2017 AS SELECT * FROM read_csv('{BUILTIN / 'builtin_eu2017.csv'}', header = true, "
                    "columns = {'row': 'INTEGER', 'material': 'VARCHAR', 'stage': 'VARCHAR', 'hhi_gs': 'DOUBLE', "
                    "'hhi_eu': 'DOUBLE', 'ir': 'DOUBLE', 'eol_rir': 'DOUBLE', 'si_sr': 'DOUBLE', 'supply_used': 'VARCHAR'})")
        t1 = time.perf_counter()
        con.execute(f"CREATE OR REPLACE TABLE rc AS {SQL_BUILTIN_CONC}")
        con.execute(f"CREATE OR REPLACE TABLE re AS {SQL_BUILTIN_EU}")
        con.execute(f"CREATE OR REPLACE TABLE rs AS {SQL_BUILTIN_SR}")
        t2 = time.perf_counter()
        loads.append(t1 - t0)
        computes.append(t2 - t1)
    con.execute(f"""COPY (
        SELECT 'hhi' AS metric, id, hhi AS value FROM rc UNION ALL
        SELECT 'top1', id, top1 FROM rc UNION ALL SELECT 'top3', id, top3 FROM rc UNION ALL
        SELECT 'n_minus_1', id, n_minus_1 FROM rc UNION ALL
        SELECT 'hhi_wgi_t', id, v FROM re UNION ALL SELECT 'sr', id, v FROM rs
    ) TO '{results}' (HEADER)""")
    n = con.execute("SELECT (SELECT count(*) FROM rc), (SELECT count(*) FROM re), (SELECT count(*) FROM rs), (SELECT sum(hhi) FROM rc)").fetchone()
    return {
        "tool": "duckdb", "case": "builtin",
        "threads": con.execute("SELECT current_setting('threads')").fetchone()[0],
        "seconds": {"load": median(loads), "compute": median(computes)},
        "checks": {"groups": n[0], "eu_groups": n[1], "sr_rows": n[2], "hhi_sum": n[3]},
        "peak_rss_mib": self_peak_rss_mib(),
    }


# ------------------------------------------------------------------------------------------
# pandas
# ------------------------------------------------------------------------------------------

def pandas_synthetic(results: str) -> dict:
    import numpy as np
    import pandas as pd

    t0 = time.perf_counter()
    df = pd.read_csv(SYN, engine="pyarrow", dtype={
        "scenario": "int32", "commodity": "int32", "year": "int32", "country": "int32",
        "production": "float64", "wgi": "float64", "t": "float64"})
    params = pd.read_csv(SYN_PARAMS, engine="pyarrow").set_index("commodity")
    t1 = time.perf_counter()
    res = pandas_compute(df, params)
    t2 = time.perf_counter()
    res.to_csv(results, index=False)
    return {
        "tool": "pandas", "case": "synthetic", "threads": 1,
        "seconds": {"load": t1 - t0, "compute": t2 - t1},
        "checks": {"rows": len(df), "groups": len(res), "hhi_sum": float(res.hhi.sum()),
                   "sr_sum": float(res.sr.sum())},
        "peak_rss_mib": self_peak_rss_mib(),
    }


def pandas_compute(df, params):
    """Shares per row (groupby-transform), then one groupby-agg; top-3 by sorting the shares
    and taking the first three rows of each group."""
    import numpy as np
    import pandas as pd

    total = df.groupby(KEYS, sort=False)["production"].transform("sum").to_numpy()
    share = df["production"].to_numpy() / total
    tmp = df[KEYS].copy()
    tmp["share"] = share
    tmp["sq"] = share * share
    tmp["w"] = tmp["sq"].to_numpy() * df["wgi"].to_numpy() * df["t"].to_numpy()
    res = tmp.groupby(KEYS, sort=True).agg(hhi=("sq", "sum"), top1=("share", "max"), hhi_wgi_t=("w", "sum"))
    res["hhi"] *= 10_000.0
    top = tmp.sort_values("share", ascending=False, kind="stable").groupby(KEYS, sort=False).head(3)
    res["top3"] = top.groupby(KEYS, sort=True)["share"].sum()
    res["n_minus_1"] = 1.0 - res["top1"]
    res = res.reset_index()
    p = params.loc[res["commodity"].to_numpy()]
    res["sr"] = res["hhi_wgi_t"].to_numpy() * (1.0 - p["eol_rir"].to_numpy()) * p["si_sr"].to_numpy()
    return res[KEYS + METRICS]


def pandas_builtin(results: str, repeat: int) -> dict:
    import numpy as np
    import pandas as pd

    loads, computes = [], []
    out = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        prod = pd.read_csv(BUILTIN / "builtin_production.csv", keep_default_na=False,
                           na_values={"value": [""]}, dtype={"country": str, "series": str})
        eu = pd.read_csv(BUILTIN / "builtin_eu_shares.csv", keep_default_na=False,
                         na_values={"country": [""], "t": [""]}, dtype={"country": str})
        wgi = pd.read_csv(BUILTIN / "builtin_wgi.csv", keep_default_na=False, dtype={"country": str})
        e17 = pd.read_csv(BUILTIN / "builtin_eu2017.csv")
        t1 = time.perf_counter()
        out = pandas_builtin_compute(prod, eu, wgi, e17)
        t2 = time.perf_counter()
        loads.append(t1 - t0)
        computes.append(t2 - t1)
    out.to_csv(results, index=False)
    conc = out[out.metric == "hhi"]
    return {
        "tool": "pandas", "case": "builtin", "threads": 1,
        "seconds": {"load": median(loads), "compute": median(computes)},
        "checks": {"groups": int(len(conc)), "eu_groups": int((out.metric == "hhi_wgi_t").sum()),
                   "sr_rows": int((out.metric == "sr").sum()), "hhi_sum": float(conc.value.sum())},
        "peak_rss_mib": self_peak_rss_mib(),
    }


def pandas_builtin_compute(prod, eu, wgi, e17):
    import numpy as np
    import pandas as pd

    frames = []
    # Concentration.
    c = prod[prod.kind == "country"].assign(q=lambda d: d.value.fillna(0.0))
    groups = pd.Index(prod.group.unique(), name="group")
    a = c.groupby("group").agg(s=("q", "sum"), mn=("q", "min"), qmax=("q", "max")).reindex(groups)
    a["top3q"] = c.sort_values("q", ascending=False, kind="stable").groupby("group").head(3).groupby("group").q.sum()
    world = prod[prod.kind == "world"].set_index("group").value.reindex(groups)
    other = prod[prod.kind == "other"].set_index("group").value.reindex(groups)
    s = a.s.fillna(0.0)
    total = np.where(world > 0, world, np.where(other > 0, s + other, s))
    a["total"] = total
    ok = (a.total > 0) & (s > 0) & (s <= a.total * 1.06) & (a.mn.fillna(0.0) >= 0) & ~(other < 0)
    c = c.join(a.total, on="group")
    c["sq"] = (c.q / c.total) ** 2
    a["hhi"] = 10_000.0 * c.groupby("group").sq.sum().reindex(groups).fillna(0.0)
    a["top1"] = (a.qmax / a.total).fillna(0.0)
    a["top3"] = (a.top3q / a.total).fillna(0.0)
    a["n_minus_1"] = 1.0 - a.top1
    a = a[ok]
    for m in ["hhi", "top1", "top3", "n_minus_1"]:
        frames.append(pd.DataFrame({"metric": m, "id": a.index, "value": a[m].to_numpy()}))
    # HHI_WGI,t.
    w = wgi[wgi.year == WGI_YEAR].drop_duplicates(["country", "dimension"])
    scaled = (5.0 - 2.0 * w.groupby("country").estimate.mean()).clip(0.0, 10.0).rename("wgi")
    e = eu.join(scaled, on="country")
    e["tt"] = e.t.fillna(pd.Series(np.where(e.eu27 == 1, 0.8, 1.0), index=e.index))
    is_c = e.country.notna()
    e["v"] = np.where(is_c, e.share ** 2 * e.wgi * e.tt, 0.0)
    e["bad"] = ~e.share.between(0.0, 1.0) | (is_c & e.wgi.isna())
    # `<0.1%` rows (bound = 1) count at their lower bound, 0, in the share-sum check.
    e["share_lb"] = np.where(e.bound == 1, 0.0, e.share)
    g = e.groupby("group").agg(v=("v", "sum"), bad=("bad", "any"), n=("country", "count"), s=("share_lb", "sum"))
    g = g[~g.bad & (g.n > 0) & (g.s <= 1.02)]
    frames.append(pd.DataFrame({"metric": "hhi_wgi_t", "id": g.index, "value": g.v.to_numpy()}))
    # SR.
    ir = e17.ir.clip(lower=0.0)
    term = np.select([e17.supply_used == "GS only", e17.supply_used == "EUS only"],
                     [e17.hhi_gs, e17.hhi_eu], e17.hhi_gs * ir / 2 + e17.hhi_eu * (1 - ir / 2))
    sr = term * (1 - e17.eol_rir) * e17.si_sr
    need = np.select([e17.supply_used == "GS only", e17.supply_used == "EUS only"],
                     [e17.hhi_gs >= 0, e17.hhi_eu >= 0], (e17.hhi_gs >= 0) & (e17.hhi_eu >= 0) & (e17.ir <= 1))
    ok = e17.eol_rir.between(0, 1) & e17.si_sr.between(0, 1) & need.astype(bool)
    frames.append(pd.DataFrame({"metric": "sr", "id": e17.row[ok], "value": sr[ok]}))
    return pd.concat(frames, ignore_index=True)


# ------------------------------------------------------------------------------------------
# Driver
# ------------------------------------------------------------------------------------------

def compare(want_path, got_path, keys) -> float:
    """Largest absolute difference between two result files (NaN when the keys differ)."""
    import pandas as pd

    a = pd.read_csv(want_path)
    b = pd.read_csv(got_path)
    if len(a) != len(b):
        return float("nan")
    m = a.merge(b, on=keys, suffixes=("_a", "_b"), how="outer", indicator=True)
    if (m["_merge"] != "both").any():
        return float("nan")
    cols = [c[:-2] for c in m.columns if c.endswith("_a")]
    return float(max((m[c + "_a"] - m[c + "_b"]).abs().max() for c in cols))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--skip-build", action="store_true")
    ap.add_argument("--cases", default="builtin,synthetic")
    args = ap.parse_args()

    if args.child:
        tool, case, results, *rest = args.child
        if case == "synthetic":
            rep = duckdb_synthetic(tool.split("-", 1)[1], results) if tool.startswith("duckdb") else pandas_synthetic(results)
        else:
            repeat = int(rest[0])
            rep = duckdb_builtin(results, repeat) if tool == "duckdb" else pandas_builtin(results, repeat)
        print(json.dumps(rep))
        return

    if not args.skip_build:
        build()
    OUT.mkdir(parents=True, exist_ok=True)
    conc = str(binary("bench_concentration"))
    info = {"machine": machine(), "versions": versions("duckdb", "pandas", "pyarrow", "numpy")}
    print(json.dumps(info, indent=1), file=sys.stderr)
    summary = {}
    cases = args.cases.split(",")

    if "builtin" in cases:
        subprocess.run([conc, "export", "--out", str(BUILTIN)], check=True)
        reps = {}
        for _ in range(args.repeat):
            for tool in ["orewatch", "duckdb", "pandas"]:
                res = str(BUILTIN / f"results_{tool}.csv")
                if tool == "orewatch":
                    cmd = [conc, "builtin", "--dir", str(BUILTIN), "--repeat", "20", "--results", res]
                else:
                    cmd = python_child("concentration.py", tool, "builtin", res, "20")
                reps.setdefault(tool, []).append(run_child(cmd))
        summary["builtin"] = summarise(reps, lambda t: compare(
            BUILTIN / "results_orewatch.csv", BUILTIN / f"results_{t}.csv", ["metric", "id"]))

    if "synthetic" in cases:
        generate(args.rows, args.seed)
        reps = {}
        tools = ["orewatch", "duckdb-shares", "duckdb-algebraic", "pandas"]
        for _ in range(args.repeat):
            for tool in tools:
                res = str(OUT / f"synthetic_results_{tool}.csv")
                if tool == "orewatch":
                    cmd = [conc, "synthetic", "--csv", str(SYN), "--params", str(SYN_PARAMS), "--results", res]
                else:
                    cmd = python_child("concentration.py", tool, "synthetic", res)
                reps.setdefault(tool, []).append(run_child(cmd))
        summary["synthetic"] = summarise(reps, lambda t: compare(
            OUT / "synthetic_results_orewatch.csv", OUT / f"synthetic_results_{t}.csv", KEYS))

    info["load_average_after"] = machine()["load_average"]
    path = record("concentration", {**info, "repeat": args.repeat, "rows": args.rows, "seed": args.seed,
                                    "summary": summary})
    print(f"\nappended to {path}")


def summarise(reps: dict, diff) -> dict:
    """Medians per tool, ratios to orewatch, and the printed table."""
    med = {}
    for tool, rs in reps.items():
        load = median([r["seconds"].get("load", 0.0) for r in rs])
        comp = median([r["seconds"]["compute"] for r in rs])
        med[tool] = {
            "load_s": load, "compute_s": comp, "total_s": median([r["seconds"].get("load", 0.0) + r["seconds"]["compute"] for r in rs]),
            "peak_rss_mib": median([r["peak_rss_mib"] for r in rs]),
            "runs": len(rs), "checks": rs[-1]["checks"],
            "compute_all_s": [r["seconds"]["compute"] for r in rs],
        }
        if "raw_parse" in rs[-1]["seconds"]:
            med[tool]["raw_parse_s"] = median([r["seconds"]["raw_parse"] for r in rs])
            med[tool]["raw_compute_s"] = median([r["seconds"]["raw_compute"] for r in rs])
    ow = med["orewatch"]
    rows = []
    for tool, m in med.items():
        m["compute_ratio"] = m["compute_s"] / ow["compute_s"]
        m["total_ratio"] = m["total_s"] / ow["total_s"]
        m["max_abs_diff_vs_orewatch"] = 0.0 if tool == "orewatch" else diff(tool)
        rows.append([tool, m["load_s"], m["compute_s"], m["total_s"], m["peak_rss_mib"],
                     m["compute_ratio"], m["total_ratio"], f'{m["max_abs_diff_vs_orewatch"]:.1e}'])
    print(table(["tool", "load s", "compute s", "load+compute s", "peak RSS MiB",
                 "compute ÷ orewatch", "total ÷ orewatch", "max |Δ| vs orewatch"], rows))
    if "raw_parse_s" in ow:
        print(f"orewatch from the raw published files: parse {ow['raw_parse_s']:.4f} s, compute {ow['raw_compute_s']:.5f} s")
    return med


if __name__ == "__main__":
    main()
