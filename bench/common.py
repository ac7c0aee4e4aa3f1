"""What every benchmark shares: CPU and wall timing, medians, and one way to print a
figure beside its floor with the ratio.

The machine these run on is shared, so every figure is given in CPU seconds of the process
doing the work (wall time beside it where a user waits on it), as the median of several
samples, and always next to a floor measured the same way in the same run. Each figure is
also emitted as a `@figure` line that bench/run.py gathers for its closing note.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "sample-checklist.yaml"


@dataclass(frozen=True)
class Sample:
    """One measured run: CPU seconds of this process (all threads) and wall seconds."""

    cpu: float
    wall: float


def measure(function: Callable[[], Any], *, collect: bool = True) -> tuple[Sample, Any]:
    """Run `function` once after a full garbage collection; its CPU and wall time."""
    if collect:
        gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = function()
    return Sample(time.process_time() - cpu, time.perf_counter() - wall), result


def median_cpu(samples: list[Sample]) -> float:
    """The median CPU seconds of `samples`."""
    return statistics.median(s.cpu for s in samples)


def median_wall(samples: list[Sample]) -> float:
    """The median wall seconds of `samples`."""
    return statistics.median(s.wall for s in samples)


def spread(values: list[float]) -> str:
    """min–max of `values`, in the unit of the figure (for reading how noisy it was)."""
    return f"{min(values):.4g}–{max(values):.4g}"


def scaled(value: float, unit: str) -> str:
    """`value` written in its figure's unit (seconds shown as ms for "ms", and so on)."""
    if unit == "s":
        return f"{value:.3f} s"
    if unit == "ms":
        return f"{value * 1000:.2f} ms"
    if unit == "MB":
        return f"{value / 1e6:.1f} MB"
    if unit == "KB":
        return f"{value / 1e3:.1f} KB"
    if unit == "instructions":
        return f"{value / 1e6:,.0f} M instructions"
    if unit == "K instructions":
        return f"{value / 1e3:,.1f} K instructions"
    return f"{value:g} {unit}"


def figure(key: str, label: str, product: float, floor: float, floor_label: str, *,
           unit: str = "ms", note: str = "") -> None:
    """Print one figure beside its floor and the ratio, and emit it for the closing note."""
    ratio = product / floor if floor else float("inf")
    print(f"{label}: {scaled(product, unit)}  | floor ({floor_label}): "
          f"{scaled(floor, unit)}  | ratio {ratio:.2f}x{f'  [{note}]' if note else ''}",
          flush=True)
    print("@figure " + json.dumps({"key": key, "label": label, "product": product,
                                   "floor": floor, "unit": unit}), flush=True)


def fact(key: str, label: str, value: float, unit: str, *, note: str = "") -> None:
    """Print a figure that has no floor of its own (a count, a growth), and emit it."""
    print(f"{label}: {scaled(value, unit)}{f'  [{note}]' if note else ''}", flush=True)
    print("@figure " + json.dumps({"key": key, "label": label, "product": value,
                                   "floor": None, "unit": unit}), flush=True)


def child_env(home: Path) -> dict[str, str]:
    """The environment of a measured child process: this source tree, a private home, and
    a bytecode cache beside the home. The libraries a floor imports were compiled when they
    were installed; the project's own modules get the same once, as on a user's machine,
    instead of being compiled again at every start where PYTHONDONTWRITEBYTECODE is set."""
    env = {**os.environ, "NLETS_AUDIT_HOME": str(home), "PYTHONPATH": str(ROOT),
           "PYTHONPYCACHEPREFIX": str(home.parent / "bytecode")}
    env.pop("NLETS_AUDIT_DB", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def run_child(code: str, args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run `code` in a fresh interpreter; it prints one JSON line starting with `RESULT `.
    Returns that JSON plus the child's peak RSS in bytes (`maxrss`) and its wall time."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                             text=True, env=env, cwd=ROOT, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode:
        raise RuntimeError(f"child failed ({process.returncode}): {process.stderr[-2000:]}")
    for line in process.stdout.splitlines():
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
            break
    else:
        raise RuntimeError(f"child printed no RESULT line: {process.stdout[-500:]}")
    result.setdefault("wall", wall)
    result["cpu_total"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


_HIGH_WATER = """
import atexit, sys
def _high_water():
    with open("/proc/self/status") as status:
        line = next(l for l in status if l.startswith("VmHWM:"))
    sys.stderr.write(f"\\nHWM {int(line.split()[1]) * 1024}\\n")
atexit.register(_high_water)
"""


def peak_rss(code: str, args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Run `code` in a fresh interpreter to exit; its wall seconds, CPU seconds and peak
    resident memory in bytes. The peak is the child's own high-water mark (VmHWM, read as
    it exits): the ru_maxrss of a child also counts the parent's memory at the fork."""
    command = [sys.executable, "-c", _HIGH_WATER + code, *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=env, cwd=ROOT)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode() if process.stderr else ""
    if process.stderr:
        process.stderr.close()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise RuntimeError(f"child failed ({process.returncode}): {stderr[-2000:]}")
    marks = [line for line in stderr.splitlines() if line.startswith("HWM ")]
    if not marks:
        raise RuntimeError(f"child reported no memory high-water mark: {stderr[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime, float(marks[-1].split()[1])
