"""Shared helpers of the comparison drivers in bench/.

Each driver (concentration.py, spatial.py, montecarlo.py) builds orewatch's benchmark
binaries in release mode, runs orewatch and the other tools as child processes on the same
input files, and reads one JSON report per child from its stdout. Peak memory is the
child's maximum resident set size from wait4(2), so every tool is measured the same way.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = BENCH / "out"


def target_dir() -> Path:
    """CARGO_TARGET_DIR when set, else the workspace's default target/."""
    t = os.environ.get("CARGO_TARGET_DIR")
    return Path(t) if t else ROOT / "target"


def build() -> None:
    """Builds orewatch-bench's binaries in release mode (cargo decides whether to rebuild)."""
    cmd = ["cargo", "build", "--release", "-p", "orewatch-bench", "--bins"]
    print("$", " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, cwd=ROOT, check=True)


def binary(name: str) -> Path:
    """The path of a release binary of orewatch-bench."""
    return target_dir() / "release" / name


def run_child(cmd: list[str], env: dict | None = None) -> dict:
    """Runs `cmd`, returns its JSON report with `child_wall_s` added. stderr passes through.

    Peak memory is the child's own `VmHWM` (its `peak_rss_mib`): on Linux, wait4's
    ru_maxrss also counts the driver's memory copied into the child before exec, so it is
    only kept for reference (`wait4_maxrss_mib`)."""
    start = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, cwd=ROOT, env=env)
    assert p.stdout is not None
    out = p.stdout.read()
    _, status, usage = os.wait4(p.pid, 0)
    p.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    if p.returncode != 0:
        raise RuntimeError(f"{cmd[0]} exited with {p.returncode}")
    lines = [l for l in out.decode().splitlines() if l.startswith("{")]
    if not lines:
        raise RuntimeError(f"no JSON report from {' '.join(cmd)}")
    report = json.loads(lines[-1])
    report["wait4_maxrss_mib"] = usage.ru_maxrss / 1024.0
    report["child_wall_s"] = wall
    return report


def self_peak_rss_mib() -> float:
    """This process's peak resident set size in MiB: `VmHWM` of /proc/self/status (not
    getrusage's ru_maxrss, which on Linux includes the parent's memory at fork)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def python_child(script: str, *args: str) -> list[str]:
    """The command that runs a driver script in child mode with this interpreter."""
    return [sys.executable, str(BENCH / script), "--child", *args]


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def machine() -> dict:
    """nproc, CPU model, memory, load average, OS and Python."""
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "load_average": load_average(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "rustc": _cmd_version(["rustc", "--version"]),
    }


def _cmd_version(cmd: list[str]) -> str:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def versions(*modules: str) -> dict:
    out = {}
    for m in modules:
        try:
            mod = __import__(m)
            out[m] = getattr(mod, "__version__", "?")
        except ImportError:
            out[m] = "not installed"
    return out


def record(bench: str, payload: dict) -> Path:
    """Appends one run's summary to bench/out/history.jsonl and returns the path."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "history.jsonl"
    payload = {"bench": bench, "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), **payload}
    with path.open("a") as f:
        f.write(json.dumps(payload) + "\n")
    return path


def table(headers: list[str], rows: list[list]) -> str:
    """A Markdown table."""
    def fmt(v):
        if isinstance(v, float):
            if v != v:
                return "—"
            if abs(v) >= 100:
                return f"{v:,.0f}"
            if abs(v) >= 1:
                return f"{v:.2f}"
            return f"{v:.4f}"
        return str(v)

    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    for r in rows:
        lines.append("| " + " | ".join(fmt(v) for v in r) + " |")
    return "\n".join(lines)
