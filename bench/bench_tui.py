"""The interface's speed, each figure beside a bare Textual floor measured the same way:

- start-up: a fresh process to the first screen ready for input (the product's home list,
  the floor's empty bare app importing textual and sqlmodel), both timed to their READY
  line, in wall seconds and in the child's own CPU seconds at that line; with 6 audits and
  with 1,000 audits seeded; after one untimed start of each, so that both run from
  compiled bytecode, as an installed program does. That first start also keeps the list's
  counts (`audit_counts`), as any earlier start does; the start at 1,000 audits is timed
  again with them forgotten before each start (every audit changed since, or the first
  start after an upgrade), when the list counts every audit again;
- the same start-ups counted in instructions (valgrind's callgrind, to the READY line, where
  the child stops at once): on a shared machine the CPU seconds of one start move by a
  fifth with the neighbours' load, which no count of instructions does; skipped, saying
  so, where valgrind is not installed;
- the home list at 1,000 audits: back from an audit to the list (CPU of the return);
- a section switch in a generated 300-question checklist: the CPU time of the switch (the
  work, not the idle pauses), against a bare app replacing as many cards the same way;
- the same switch in the shipped checklist, against the same floor;
- opening a question's editor (a section shows its questions as text; the one worked on
  opens its editor), against a bare app adding a field to a card and focusing it;
- memory over section switches, each opening a question's editor: the growth of the
  Python heap (traced by tracemalloc, after a full collection) over 100 switches after 100
  to warm up, and over the 100 after those, against the bare app's over as many switches;
  the long-text editors and the line caches of removed widgets still alive.
  Tracing starts with the warm-up, not at its end. Textual's caches (rendered lines,
  styles, colours) are bounded and full after a few switches; from then on each new entry
  evicts an old one. Traced only from the warm-up's end, every evicted entry was untraced
  and every new one traced, so the turnover of full caches read as growth: 19.2 MB over
  100 switches (the bare app 10.7 MB) that did not go on over the next hundreds. Traced
  from the warm-up's start, the caches hold only traced entries by its end (measured over
  two hundreds: the product 8 KB then 22 KB, before it let go of removed widgets' lines
  254 KB then 46 KB; the bare app 282 KB then 226 KB), and a growth that stays over two
  hundreds in a row is one that does not level off.
"""

from __future__ import annotations

import asyncio
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import (  # noqa: E402
    FIXTURE,
    FLAGSHIP,
    child_env,
    fact,
    figure,
)

STARTS = 9
SECTIONS = 30
PER_SECTION = 10
TIMED_SWITCHES = 40
WARM_SWITCHES = 100
MEMORY_SWITCHES = 100
MANY = 1000

CHILD = """
import sys, time
from pathlib import Path
import app.cli  # the console script's own imports
import app.tui.app
from app.audit import AuditService
from app.store import open_store
from app.tui.app import AuditApp

class ReadyOnce(AuditApp):
    CSS_PATH = str(Path(app.tui.app.__file__).with_name("app.tcss"))

    def on_ready(self):
        print(f"READY {time.process_time()}", flush=True)
        self.exit()

store = open_store(sys.argv[1])
ReadyOnce(AuditService(store)).run(headless=True)
store.close()
"""

FLOOR = """
import sys, time
import sqlmodel
from textual.app import App
from textual.widgets import DataTable, Footer, Header

class ReadyOnce(App):
    def compose(self):
        yield Header()
        yield DataTable()
        yield Footer()

    def on_ready(self):
        print(f"READY {time.process_time()}", flush=True)
        self.exit()

ReadyOnce().run(headless=True)
"""


def _to_ready(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds from spawning `command` to its READY line, and the CPU seconds the
    child reports having used at that line."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=env, cwd=ROOT)
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("READY "):
            elapsed = time.perf_counter() - start
            cpu = float(line.split()[1])
            break
    else:
        raise RuntimeError(f"no READY: {process.stderr.read() if process.stderr else ''}")
    _, errors = process.communicate()
    if process.returncode:
        raise RuntimeError(f"{command[:3]} failed with {process.returncode}: {errors[-2000:]}")
    return elapsed, cpu


def _stopping_at_ready(code: str) -> str:
    """`code` leaving the process at once after its READY line (no shutdown counted)."""
    assert code.count("self.exit()") == 1
    return code.replace("self.exit()", "__import__('os')._exit(0)")


def instructions_to_ready(folder: Path, count: int) -> tuple[int, int] | None:
    """Instructions from spawning to the READY line with `count` audits seeded (start-up
    seeds them and keeps the list's counts first): the product's and the floor's, counted
    by valgrind's callgrind, with a fixed hash seed, after one start of each uncounted;
    None without valgrind."""
    valgrind = shutil.which("valgrind")
    if valgrind is None:
        return None
    url = f"sqlite:///{folder / f'start-{count}.sqlite3'}"
    env = {**child_env(folder / "home"), "PYTHONHASHSEED": "0"}
    counted = []
    for code, args in ((CHILD, [url, str(count)]), (FLOOR, [])):
        subprocess.run([sys.executable, "-c", code, *args], capture_output=True, env=env,
                       cwd=ROOT, check=True)  # untimed: compiles what is not yet compiled
        result = subprocess.run(
            [valgrind, "--tool=callgrind", f"--callgrind-out-file={folder / 'callgrind.out'}",
             sys.executable, "-c", _stopping_at_ready(code), *args],
            capture_output=True, text=True, env=env, cwd=ROOT, check=False)
        found = re.search(r"Collected : (\d+)", result.stderr)
        if "READY" not in result.stdout or found is None:
            raise RuntimeError(f"callgrind failed: {result.stderr[-2000:]}")
        counted.append(int(found.group(1)))
    return counted[0], counted[1]


def seed(url: str, count: int) -> None:
    """`count` audits, alternately on the flagship and the test checklist, a few answered."""
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store

    store = open_store(url)
    service = AuditService(store, actor="bench")
    flagship, sample = load_checklist(FLAGSHIP), load_checklist(FIXTURE)
    states = ("WA", "OR", "CA", "NY", "IL", "NM")
    for index in range(count):
        checklist = flagship if index % 2 == 0 else sample
        audit = service.create_audit(checklist, jurisdiction=states[index % len(states)],
                                     period_start="2025-01-01", period_end="2025-12-31")
        if checklist is sample:
            service.import_answers(audit.id, {"connected": "yes", "reason_required": "never"})
        else:
            service.import_answers(audit.id, {"nlets_connected": "yes",
                                              "switch_vendor": f"Vendor {index}"})
    store.close()


def _forget_counts(path: Path) -> None:
    import sqlite3

    with sqlite3.connect(path) as connection:
        connection.execute("DELETE FROM audit_counts")


def bench_start(folder: Path, count: int, *, forget: bool = False) -> tuple[
        list[float], list[float], list[float], list[float]]:
    """Start-up to READY with `count` audits seeded: product and floor, wall and CPU; with
    `forget`, the list's kept counts are deleted before each start of the product."""
    path = folder / f"start-{count}.sqlite3"
    url = f"sqlite:///{path}"
    if not path.exists():
        seed(url, count)
    env = child_env(folder / "home")
    product_wall, product_cpu, floor_wall, floor_cpu = [], [], [], []
    for command in ([sys.executable, "-c", FLOOR], [sys.executable, "-c", CHILD, url]):
        _to_ready(command, env)  # untimed: compiles what is not yet compiled (child_env)
    for _ in range(STARTS):
        wall, cpu = _to_ready([sys.executable, "-c", FLOOR], env)
        floor_wall.append(wall)
        floor_cpu.append(cpu)
        if forget:
            _forget_counts(path)
        wall, cpu = _to_ready([sys.executable, "-c", CHILD, url], env)
        product_wall.append(wall)
        product_cpu.append(cpu)
    return product_wall, product_cpu, floor_wall, floor_cpu


async def _home_return(folder: Path) -> tuple[list[float], list[float]]:
    """CPU of coming back from an audit to the home list of MANY audits, and of the floor:
    a bare app popping a screen back to a table of MANY rows of the same cells."""
    from textual.app import App, ComposeResult
    from textual.screen import Screen
    from textual.widgets import DataTable, Static

    from app.audit import AuditService
    from app.store import open_store
    from app.tui.app import AuditApp
    from app.tui.screens.audit import AuditScreen
    from app.tui.screens.home import HomeScreen
    from app.tui.screens.home_table import home_layout

    store = open_store(f"sqlite:///{folder / f'start-{MANY}.sqlite3'}")
    service = AuditService(store, actor="bench")
    summaries = service.list_audits()
    product = []
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, AuditScreen)
            gc.collect()
            cpu = time.process_time()
            await pilot.press("escape")
            await app.workers.wait_for_complete()
            await pilot.pause()
            product.append(time.process_time() - cpu)
            assert isinstance(app.screen, HomeScreen)
    store.close()

    class Other(Screen):
        def compose(self) -> ComposeResult:
            yield Static("An audit")

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield DataTable(cursor_type="row")

        def fill(self) -> None:
            table = self.query_one(DataTable)
            layout = home_layout(summaries, 120, scrollbar=True)
            table.clear(columns=True)
            table.add_columns(*"ABCDEFGH"[:len(layout.cells(summaries[0]))])
            for summary in summaries:
                table.add_row(*layout.cells(summary), key=summary.audit.id)

    floor = []
    bare = Bare()
    async with bare.run_test(size=(120, 40)) as pilot:
        bare.fill()
        await pilot.pause()
        for _ in range(3):
            await bare.push_screen(Other())
            await pilot.pause()
            gc.collect()
            cpu = time.process_time()
            bare.pop_screen()
            bare.fill()
            await pilot.pause()
            floor.append(time.process_time() - cpu)
    return product, floor


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


def _switch_order(count: int, sections: int = SECTIONS) -> list[int]:
    """`count` section indexes walking forward and back through the sections."""
    walk = [*range(1, sections), *range(sections - 2, -1, -1)]
    return [walk[i % len(walk)] for i in range(count)]


def _heap() -> int:
    """The bytes of Python objects alive (traced), after a full collection."""
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def _live(kind: type) -> int:
    """How many objects of `kind` (its subclasses included) are alive."""
    gc.collect()
    return sum(1 for o in gc.get_objects() if isinstance(o, kind))


async def _open_audit(pilot: Any) -> Any:
    """From the home list, open the audit under the cursor; the audit screen."""
    from app.tui.screens.audit import AuditScreen

    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    assert isinstance(pilot.app.screen, AuditScreen)
    return pilot.app.screen


async def _switch_to(pilot: Any, screen: Any, index: int) -> float:
    """Open section `index`; the CPU seconds until the screen has settled."""
    cpu = time.process_time()
    screen.open_section(index)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.section_index == index
    return time.process_time() - cpu


async def _switch_flagship(folder: Path) -> list[float]:
    """CPU per section switch in the shipped checklist (every section, forth and back)."""
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from app.tui.app import AuditApp

    store = open_store(f"sqlite:///{folder / 'flagship.sqlite3'}")
    service = AuditService(store, actor="bench")
    checklist = load_checklist(FLAGSHIP)
    service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                         period_end="2025-12-31")
    count = len(checklist.checklist.sections)
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_audit(pilot)
        samples = [await _switch_to(pilot, screen, index)
                   for index in _switch_order(TIMED_SWITCHES, count)]
    store.close()
    return samples


async def _switch_sections(folder: Path) -> dict[str, float | list[float]]:
    """CPU per section switch, and the heap and editors alive over MEMORY_SWITCHES."""
    from textual._styles_cache import StylesCache
    from textual.widget import Widget
    from textual.widgets import TextArea

    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.store import open_store
    from app.tui.app import AuditApp

    store = open_store(f"sqlite:///{folder / 'big.sqlite3'}")
    service = AuditService(store, actor="bench")
    checklist = load_checklist(big_checklist(folder / "big.yaml"))
    audit = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                 period_end="2025-12-31")
    service.import_answers(audit.id, {f"q{s}_0": "yes" for s in range(SECTIONS)})
    app = AuditApp(service)
    samples, result = [], {}
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_audit(pilot)
        opened = []
        for index in _switch_order(TIMED_SWITCHES):
            samples.append(await _switch_to(pilot, screen, index))
            cpu = time.process_time()
            await screen.open_card(screen.cards()[0])  # as Enter on the focused card does
            await pilot.pause()
            opened.append(time.process_time() - cpu)
            assert screen.cards()[0].is_open
        result["opened"] = opened
        # traced from the first warm-up switch on (tracing slows every allocation down, so
        # not during the timed switches): Textual's bounded caches (rendered lines, styles,
        # colours) turn over during the warm-up, so by its end all they hold is traced.
        # Traced only from its end, each entry they evicted (untraced) for a new (traced)
        # one would count as growth that is not there.
        tracemalloc.start()
        heaps = []
        for number, index in enumerate(_switch_order(WARM_SWITCHES + 2 * MEMORY_SWITCHES)):
            if number == WARM_SWITCHES:
                result["editors_before"] = _live(TextArea)
            if number >= WARM_SWITCHES and (number - WARM_SWITCHES) % MEMORY_SWITCHES == 0:
                heaps.append(_heap())
            screen.open_section(index)
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert screen.section_index == index
            await screen.open_card(screen.cards()[0])  # an editor and a note area each time
            await pilot.pause()
        heaps.append(_heap())
        tracemalloc.stop()
        result["heaps"] = heaps
        result["editors_after"] = _live(TextArea)
        result["line_caches_orphaned"] = _live(StylesCache) - _live(Widget)
        result["editors_shown"] = len(screen.query(TextArea))
    store.close()
    result["samples"] = samples
    return result


async def _switch_floor() -> dict[str, float | list[float]]:
    """A bare Textual app replacing PER_SECTION cards of a prompt and one text field each
    (the least a question can show), timed and weighed the same way."""
    from textual.app import App, ComposeResult
    from textual.containers import Vertical, VerticalScroll
    from textual.widgets import Input, Static

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield VerticalScroll()

    app = Bare()
    samples, result, opened = [], {}, []
    async with app.run_test(size=(120, 40)) as pilot:
        container = app.query_one(VerticalScroll)
        heaps = []
        for switch in range(TIMED_SWITCHES + WARM_SWITCHES + 2 * MEMORY_SWITCHES):
            measured = switch - TIMED_SWITCHES - WARM_SWITCHES
            if switch == TIMED_SWITCHES:
                tracemalloc.start()  # before the warm-up, as for the product
            if measured >= 0 and measured % MEMORY_SWITCHES == 0:
                heaps.append(_heap())
            cpu = time.process_time()
            for field in container.query(Input):
                # as the audit screen does: Textual's own subscription would keep it alive
                app.screen.text_selection_started_signal.unsubscribe(field)
            await container.remove_children()
            await container.mount_all(
                [Vertical(Static(f"Generated question {q + 1} of section {switch + 1}?"),
                          Input(placeholder="Type the answer"), classes="card")
                 for q in range(PER_SECTION)])
            await pilot.pause()
            if switch < TIMED_SWITCHES:
                samples.append(time.process_time() - cpu)
                cpu = time.process_time()
                card = container.children[0]
                await card.mount(Input(placeholder="Note"))
                card.query(Input).last().focus()
                await pilot.pause()
                opened.append(time.process_time() - cpu)
        result["opened"] = opened
        heaps.append(_heap())
        tracemalloc.stop()
        result["heaps"] = heaps
    result["samples"] = samples
    return result


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        os.environ["NLETS_AUDIT_HOME"] = str(folder / "home")
        starts = {}
        for count in (6, MANY):
            starts[count] = bench_start(folder, count)
            product_wall, product_cpu, floor_wall, floor_cpu = starts[count]
            median = statistics.median
            figure(f"start_{count}", f"start to first screen ready, {count} audits (wall, "
                   f"median of {STARTS})", median(product_wall), median(floor_wall),
                   "bare textual app + sqlmodel, to its ready line", unit="s")
            figure(f"start_{count}_cpu", f"start to first screen ready, {count} audits (CPU "
                   "at ready)", median(product_cpu), median(floor_cpu),
                   "bare textual app + sqlmodel, CPU at ready", unit="s")
        for count in (6, MANY):
            counted = instructions_to_ready(folder, count)
            if counted is None:
                print(f"start_{count}_instructions: skipped, valgrind is not installed",
                      flush=True)
                continue
            figure(f"start_{count}_instructions", f"start to first screen ready, {count} "
                   "audits (instructions, callgrind)", *counted,
                   "bare textual app + sqlmodel, instructions to its ready line",
                   unit="instructions")
        product_wall, product_cpu, floor_wall, floor_cpu = bench_start(folder, MANY,
                                                                       forget=True)
        figure(f"start_{MANY}_uncounted_cpu", f"start to first screen ready, {MANY} audits, "
               "none counted yet (CPU at ready)", statistics.median(product_cpu),
               statistics.median(floor_cpu), "bare textual app + sqlmodel, CPU at ready",
               unit="s")
        fact("home_list_1000", f"of which the home list of {MANY} audits (CPU at ready, "
             f"{MANY} audits minus 6)",
             statistics.median(starts[MANY][1]) - statistics.median(starts[6][1]), "s")
        product, floor = asyncio.run(_home_return(folder))
        figure("home_back_1000", f"back from an audit to the list of {MANY} audits (CPU, "
               "median of 3)", statistics.median(product), statistics.median(floor),
               f"bare app: pop a screen, refill a table of {MANY} rows", unit="s")

        switched = asyncio.run(_switch_sections(folder))
        bare = asyncio.run(_switch_floor())
        questions = SECTIONS * PER_SECTION
        samples, floor_samples = switched["samples"], bare["samples"]
        figure("switch", f"section switch, {questions}-question checklist (CPU, median of "
               f"{len(samples)}; max {max(samples) * 1000:.0f} ms)",
               statistics.median(samples), statistics.median(floor_samples),
               f"bare app replacing {PER_SECTION} prompts with a field each", unit="ms")
        flagship = asyncio.run(_switch_flagship(folder))
        figure("switch_flagship", "section switch, the shipped checklist (CPU, median of "
               f"{len(flagship)}; max {max(flagship) * 1000:.0f} ms)",
               statistics.median(flagship), statistics.median(floor_samples),
               f"bare app replacing {PER_SECTION} prompts with a field each", unit="ms")
        figure("open_card", "open a question's editor (yes/no/unknown, with its note; CPU, "
               f"median of {len(switched['opened'])})", statistics.median(switched["opened"]),
               statistics.median(bare["opened"]), "bare app adding a field to a card and "
               "focusing it", unit="ms")
        heaps, floor_heaps = switched["heaps"], bare["heaps"]
        figure("switch_memory", f"Python heap growth over {MEMORY_SWITCHES} section "
               f"switches (after {WARM_SWITCHES} to warm up, traced from the first)",
               heaps[1] - heaps[0], floor_heaps[1] - floor_heaps[0], "bare app, same "
               "switches", unit="KB")
        figure("switch_memory_next", f"Python heap growth over the {MEMORY_SWITCHES} "
               "switches after those (levels off if nothing leaks)", heaps[2] - heaps[1],
               floor_heaps[2] - floor_heaps[1], "bare app, same switches", unit="KB")
        fact("switch_editors", "text areas (long text, notes) alive after "
             f"{MEMORY_SWITCHES} switches (on screen: {switched['editors_shown']}; before: "
             f"{switched['editors_before']})", switched["editors_after"], "editors")
        fact("switch_line_caches", "line caches of removed widgets alive after "
             f"{WARM_SWITCHES + 2 * MEMORY_SWITCHES} switches (Textual keeps up to 1,024)",
             switched["line_caches_orphaned"], "caches")


if __name__ == "__main__":
    main()
