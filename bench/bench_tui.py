"""The interface's speed: time from process start to the first screen ready for input
(against the floor of importing textual and sqlmodel, measured in the same run), and the
time to switch sections in a generated 300-question checklist."""

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

STARTS = 7
SECTIONS = 30
PER_SECTION = 10

CHILD = """
import sys
from pathlib import Path
import app.cli  # the console script's own imports
import app.tui.app
from app.audit import AuditService
from app.store import open_store
from app.tui.app import AuditApp

class ReadyOnce(AuditApp):
    CSS_PATH = str(Path(app.tui.app.__file__).with_name("app.tcss"))

    def on_ready(self):
        print("READY", flush=True)
        self.exit()

store = open_store(sys.argv[1])
ReadyOnce(AuditService(store)).run(headless=True)
store.close()
"""


def _wall(command: list[str], env: dict[str, str], marker: str | None) -> float:
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=ROOT)
    if marker is None:
        process.communicate()
    else:
        assert process.stdout is not None
        for line in process.stdout:
            if line.strip() == marker:
                break
        else:
            raise RuntimeError(f"no {marker!r}: {process.stderr.read() if process.stderr else ''}")
    elapsed = time.perf_counter() - start
    process.communicate()
    if process.returncode:
        raise RuntimeError(f"{command[:3]} failed with {process.returncode}")
    return elapsed


def _seed(url: str) -> None:
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store

    store = open_store(url)
    service = AuditService(store, actor="bench")
    flagship = load_checklist(ROOT / "checklists" / "nlets-dmv-data-sharing.yaml")
    sample = load_checklist(ROOT / "tests" / "fixtures" / "sample-checklist.yaml")
    for index, state in enumerate(("WA", "OR", "CA", "NY", "IL", "NM")):
        checklist = flagship if index % 2 == 0 else sample
        audit = service.create_audit(checklist, jurisdiction=state,
                                     period_start="2025-01-01", period_end="2025-12-31")
        if checklist is sample:
            service.import_answers(audit.id, {"connected": "yes", "reason_required": "never"})
    store.close()


def bench_start(folder: Path) -> tuple[float, float]:
    url = f"sqlite:///{folder / 'start.sqlite3'}"
    _seed(url)
    env = {**os.environ, "NLETS_AUDIT_HOME": str(folder / "home"),
           "PYTHONPATH": str(ROOT)}
    env.pop("NLETS_AUDIT_DB", None)
    floor, ready = [], []
    for _ in range(STARTS):
        floor.append(_wall([sys.executable, "-c", "import textual.app, sqlmodel"], env, None))
        ready.append(_wall([sys.executable, "-c", CHILD, url], env, "READY"))
    return statistics.median(floor), statistics.median(ready)


def big_checklist(path: Path) -> Path:
    """A checklist of SECTIONS x PER_SECTION questions of every type but tables."""
    kinds = ["yes_no_unknown", "short_text", "single_choice", "multiple_choice", "date",
             "number", "long_text", "yes_no_unknown", "single_choice", "short_text"]
    lines = ["id: bench", "version: 1", "title: Generated benchmark checklist",
             "notice: Generated for a benchmark.", "sections:"]
    for s in range(SECTIONS):
        lines += [f"  - id: s{s}", f"    title: Section {s + 1} of the generated checklist",
                  "    questions:"]
        for q in range(PER_SECTION):
            kind = kinds[q % len(kinds)]
            lines += [f"      - id: q{s}_{q}", f"        prompt: Generated question {q + 1} "
                      f"of section {s + 1}, asked in plain words?",
                      "        help: Help text that explains what the question means.",
                      "        citations: ['A citation, section 1']", f"        type: {kind}"]
            if kind in ("single_choice", "multiple_choice"):
                lines.append("        options: [alpha, beta, gamma, delta]")
            if q == 3:
                lines.append(f"        visible_if: {{question: q{s}_0, equals: 'yes'}}")
    path.write_text("\n".join(lines) + "\n")
    return path


async def _switch_sections(folder: Path) -> list[float]:
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from app.tui.app import AuditApp
    from app.tui.screens.audit import AuditScreen

    store = open_store(f"sqlite:///{folder / 'big.sqlite3'}")
    service = AuditService(store, actor="bench")
    checklist = load_checklist(big_checklist(folder / "big.yaml"))
    audit = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.import_answers(audit.id, {f"q{s}_0": "yes" for s in range(SECTIONS)})
    app = AuditApp(service)
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        screen = app.screen
        assert isinstance(screen, AuditScreen)
        for index in [*range(1, SECTIONS), *range(SECTIONS - 2, -1, -1)]:
            start = time.perf_counter()
            screen.open_section(index)
            await app.workers.wait_for_complete()
            await pilot.pause()
            samples.append(time.perf_counter() - start)
            assert screen.section_index == index
    store.close()
    return samples


async def _switch_floor(switches: int) -> list[float]:
    """The floor of a section switch: a bare Textual app replacing PER_SECTION cards of
    a prompt and one text field each (the least a question can show)."""
    from textual.app import App, ComposeResult
    from textual.containers import Vertical, VerticalScroll
    from textual.widgets import Input, Static

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield VerticalScroll()

    app = Bare()
    samples = []
    async with app.run_test(size=(120, 40)) as pilot:
        container = app.query_one(VerticalScroll)
        for switch in range(switches):
            start = time.perf_counter()
            await container.remove_children()
            await container.mount_all(
                [Vertical(Static(f"Generated question {q + 1} of section {switch + 1}?"),
                          Input(placeholder="Type the answer"), classes="card")
                 for q in range(PER_SECTION)])
            await pilot.pause()
            samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        os.environ["NLETS_AUDIT_HOME"] = str(folder / "home")
        floor, ready = bench_start(folder)
        print(f"start to first screen ready: {ready * 1000:.0f} ms (median of {STARTS})")
        print(f"floor, python -c 'import textual.app, sqlmodel': {floor * 1000:.0f} ms")
        print(f"ratio to the floor: {ready / floor:.2f}x")
        samples = asyncio.run(_switch_sections(folder))
        questions = SECTIONS * PER_SECTION
        print(f"section switch, {questions}-question checklist ({PER_SECTION} per section): "
              f"median {statistics.median(samples) * 1000:.0f} ms, "
              f"max {max(samples) * 1000:.0f} ms over {len(samples)} switches")
        floor_samples = asyncio.run(_switch_floor(len(samples)))
        print(f"floor, a bare app replacing {PER_SECTION} prompts with a field each: "
              f"median {statistics.median(floor_samples) * 1000:.0f} ms")
        print(f"ratio to the floor: "
              f"{statistics.median(samples) / statistics.median(floor_samples):.2f}x")


if __name__ == "__main__":
    main()
