"""Run every benchmark in this folder, each in its own process, print its figures (each
beside its floor and the ratio), and close with a note comparing the hot spots with the
figures recorded before they were fixed (bench/results/before.json).

Run: python bench/run.py [--only NAME ...] [--record-before]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from common import scaled

HERE = Path(__file__).parent
BEFORE = HERE / "results" / "before.json"

# key, what the goal is, and a test of a figure (product, floor) against it
GOALS: list[tuple[str, str, object]] = [
    ("start_6_cpu", "start-up ≤ 1.15× the floor", lambda p, f: p <= 1.15 * f),
    ("start_6_instructions", "start-up ≤ 1.15× the floor, in instructions (callgrind)",
     lambda p, f: p <= 1.15 * f),
    ("start_1000_cpu", "start-up at 1,000 audits (no goal of its own: the floor lists no "
     "audit; the list's goal is the home-list line)", None),
    ("home_list_1000", "home list at 1,000 audits ≤ 1 s", lambda p, f: p <= 1.0),
    ("home_back_1000", "back to the list of 1,000 audits ≤ 1 s", lambda p, f: p <= 1.0),
    ("save", "save ≤ 2 ms median (CPU) and ≤ 1.5× bare", lambda p, f: p <= 0.002
     and p <= 1.5 * f),
    ("save_instructions", "save ≤ 1.5× bare, in instructions (callgrind)",
     lambda p, f: p <= 1.5 * f),
    ("save_read_rows", "save against reading first what a save reads, then the rows "
     "(reference, no goal of its own)", None),
    ("save_read_rows_instructions", "the same, in instructions (reference, no goal of its "
     "own)", None),
    ("save_reload", "save + reading the whole view back, the screen's old reload (no goal)",
     None),
    ("save_refresh", "save + the screen's refresh now, view_with (no goal)", None),
    ("sign_first_ec", "first signature EC ≤ 0.3 s", lambda p, f: p <= 0.3),
    ("sign_first_prepared_ec", "first signature EC after the sign dialog's preparation "
     "≤ 0.3 s", lambda p, f: p <= 0.3),
    ("sign_warm_ec", "warm signature EC ≤ 0.3 s", lambda p, f: p <= 0.3),
    ("sign_first_rsa", "first signature RSA ≤ 0.8 s", lambda p, f: p <= 0.8),
    ("sign_first_prepared_rsa", "first signature RSA after the sign dialog's preparation "
     "≤ 0.8 s", lambda p, f: p <= 0.8),
    ("sign_warm_rsa", "warm signature RSA ≤ 0.8 s", lambda p, f: p <= 0.8),
    ("switch", "section switch, 300-question checklist ≤ 2× the bare floor (CPU)",
     lambda p, f: p <= 2 * f),
    ("switch_flagship", "section switch, the shipped checklist ≤ 100 ms and ≤ 2× the bare "
     "floor (CPU)", lambda p, f: p <= 0.1 and p <= 2 * f),
    ("open_card", "opening a question's editor (no goal; CPU ratio to a bare field)", None),
    ("verify_first", "verify, first in a fresh process (no goal; CPU ratio to pyHanko alone)",
     None),
    ("switch_editors", "no long-text editor outlives its card", None),
    ("switch_memory", "no memory growth over 100 section switches (≤ 1 MB, the bare app's "
     "beside it)", lambda p, f: p <= 1_000_000),
    ("switch_memory_next", "and none over the 100 after those (≤ 1 MB)",
     lambda p, f: p <= 1_000_000),
    ("switch_line_caches", "no removed widget's rendered lines kept (Textual keeps up to "
     "1,024 line caches)", lambda p, f: p <= 0),
    ("history_verify_memory", "history verify at 100k events in bounded memory (≤ 2× the "
     "streaming floor)", lambda p, f: p <= 2 * f),
    ("history_show_memory", "history show at 100k events in bounded memory (≤ 2× the "
     "streaming floor)", lambda p, f: p <= 2 * f),
    ("history_verify", "history verify at 100k events (CPU)", None),
    ("history_long_view", "view() at 100k events (CPU, ratio to a short history)", None),
    ("history_page", "the history view's first page at 100k events ≤ 50 ms (CPU)",
     lambda p, f: p <= 0.05),
    ("history_page_filtered", "a filtered history page at 100k events (CPU, no goal: the "
     "filter scans the history)", None),
]


def _value(figure: dict) -> str:
    value = figure["product"]
    text = scaled(value, figure["unit"])
    if figure.get("floor"):
        text += f" ({value / figure['floor']:.2f}x)"
    return text


def main() -> int:
    """Run the bench_*.py scripts; returns non-zero if any failed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", nargs="*", default=None,
                        help="run only these benchmarks (e.g. sign save)")
    parser.add_argument("--record-before", action="store_true",
                        help=f"store this run's figures as the before figures ({BEFORE})")
    args = parser.parse_args()
    failed = 0
    figures: dict[str, dict] = {}
    for script in sorted(HERE.glob("bench_*.py")):
        name = script.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        print(f"== {script.stem}", flush=True)
        process = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE,
                                   text=True)
        assert process.stdout is not None
        for line in process.stdout:
            if line.startswith("@figure "):
                figure = json.loads(line[len("@figure "):])
                figures[figure["key"]] = figure
            else:
                print(line, end="", flush=True)
        failed |= process.wait() != 0
    if args.record_before:
        BEFORE.parent.mkdir(exist_ok=True)
        recorded = json.loads(BEFORE.read_text()) if BEFORE.is_file() else {}
        BEFORE.write_text(json.dumps({**recorded, **figures}, indent=1) + "\n")
        print(f"recorded {len(figures)} figures in {BEFORE}")
    before = json.loads(BEFORE.read_text()) if BEFORE.is_file() else {}
    print("\n== closing note: the hot spots, before (recorded before the fixes, same bench) "
          "and now (this run); CPU seconds, ratio to the floor in brackets")
    for key, goal, test in GOALS:
        now = figures.get(key)
        if now is None:
            continue
        was = before.get(key)
        verdict = ""
        if callable(test):
            verdict = " — goal met" if test(now["product"], now["floor"]) else " — goal NOT met"
        print(f"- {goal}: before {_value(was) if was else 'not recorded'}, "
              f"now {_value(now)}{verdict}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
