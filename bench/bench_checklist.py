"""Validating a 5 MB checklist: load_checklist (parse with lines, schema, semantics)
against the floor of reading libyaml's event stream alone from the same text, both in
CPU seconds (median of 3) in the same run. The target is under 2 s."""

import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.checklist.loader import load_checklist  # noqa: E402

TARGET_BYTES = 5_000_000
ROUNDS = 3


def checklist_text(target: int) -> str:
    """A valid checklist of about `target` bytes: sections of 50 questions with help."""
    parts = ["id: big\nversion: '1'\ntitle: Big\nnotice: Counsel reviews it.\nsections:\n"]
    size, section = 0, 0
    while size < target:
        chunk = [f"  - id: s{section}\n    title: Section {section}\n    questions:\n"]
        for number in range(50):
            chunk.append(
                f"      - id: q{section}_{number}\n"
                f"        prompt: Question {section}.{number} about the state's records?\n"
                "        help: >-\n          A help text that explains the law and the "
                "practice in some detail, citing the statute and the agency's policy.\n"
                "        procedural: true\n        type: yes_no_unknown\n")
        text = "".join(chunk)
        parts.append(text)
        size += len(text)
        section += 1
    return "".join(parts)


def cpu_median(run) -> float:
    samples = []
    for _ in range(ROUNDS):
        start = time.process_time()
        run()
        samples.append(time.process_time() - start)
    return statistics.median(samples)


def events_only(text: str) -> None:
    for _event in yaml.parse(text, Loader=yaml.CSafeLoader):
        pass


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.yaml"
        text = checklist_text(TARGET_BYTES)
        path.write_text(text, encoding="utf-8")
        questions = len(load_checklist(path).checklist.questions())
        ours = cpu_median(lambda: load_checklist(path))
        floor = cpu_median(lambda: events_only(text))
        size = path.stat().st_size / 1e6
        print(f"checklist validate ({size:.1f} MB, {questions:,} questions): median "
              f"{ours:.2f} CPU s over {ROUNDS} (target < 2 s)")
        print(f"libyaml events alone: median {floor:.2f} CPU s; ratio {ours / floor:.2f}x")


if __name__ == "__main__":
    main()
