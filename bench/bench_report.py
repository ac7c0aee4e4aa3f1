"""Benchmark: render the attestation PDF of a fully answered audit.

Prints the render time (manifest, HTML, layout, PDF/A-3b with the embedded manifest), pages
per second, and the ratio to WeasyPrint rendering the same HTML string alone (plain PDF,
no attachment) in the same run. Uses the flagship checklist when it loads, else the test
fixture. Run: python bench/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FLAGSHIP = "nlets-dmv-data-sharing.yaml"
FIXTURE = ROOT / "tests" / "fixtures" / "sample-checklist.yaml"


def load_checklist_for_bench():
    """The flagship checklist if it loads, else the fixture; with a label saying which."""
    from app.checklist import ChecklistError, load_checklist
    from app.checklist.bundled import data_dir

    flagship = data_dir("checklists") / FLAGSHIP
    if flagship.is_file():
        try:
            return load_checklist(flagship), f"flagship {FLAGSHIP}"
        except ChecklistError as exc:
            print(f"note: the flagship checklist does not load ({exc}); using the fixture")
    else:
        print(f"note: {flagship} not found; using the fixture checklist")
    return load_checklist(FIXTURE), f"fixture {FIXTURE.name}"


def timed_pair(first, second, runs: int) -> tuple[float, object, float, object]:
    """Median wall times of `runs` calls of each function, interleaved so that neither
    gets the warmer caches or the quieter moment; with the last result of each."""
    times: tuple[list[float], list[float]] = ([], [])
    results: list[object] = [None, None]
    for _ in range(runs):
        for index, function in enumerate((first, second)):
            start = time.perf_counter()
            results[index] = function()
            times[index].append(time.perf_counter() - start)
    return (statistics.median(times[0]), results[0],
            statistics.median(times[1]), results[1])


def main() -> int:
    """Run the benchmark and print each figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs after a warm-up")
    args = parser.parse_args()

    from app.audit import AuditService
    from app.report.html import templates_dir
    from app.report.manifest import ready_to_sign
    from app.report.pdf import render_attestation
    from app.store import open_store
    from tests.report.demo import fill_demo_answers

    loaded, label = load_checklist_for_bench()
    with tempfile.TemporaryDirectory() as work:
        service = AuditService(open_store(f"sqlite:///{work}/bench.sqlite3"), actor="bench")
        audit = service.create_audit(loaded, jurisdiction="WA", period_start="2025-01-01",
                                     period_end="2025-12-31", auditor="Bench Auditor")
        fill_demo_answers(service, audit.id)
        for index, question in enumerate(loaded.checklist.questions()[:5]):
            evidence = Path(work) / f"evidence-{index}.csv"
            evidence.write_text(f"row,{index}\n", encoding="utf-8")
            service.add_evidence(audit.id, question.id, evidence, "2025-06-01")
        view = service.view(audit.id)
        answered = len(view.answers)

        start = time.perf_counter()
        first = render_attestation(service.attestation(view))
        cold = time.perf_counter() - start

        from weasyprint import HTML

        from app.report.fetcher import TemplateAssetFetcher

        root = templates_dir()
        html = first.html

        def weasyprint_alone() -> bytes:
            return HTML(string=html, base_url=root.as_uri() + "/",
                        url_fetcher=TemplateAssetFetcher(root)).write_pdf()

        full, rendered, alone, plain = timed_pair(
            lambda: render_attestation(service.attestation(audit.id)), weasyprint_alone, args.runs)

    pages = rendered.pages
    print(f"checklist: {label} ({len(loaded.checklist.questions())} questions, "
          f"{answered} answered, ready to sign: {ready_to_sign(view)})")
    print(f"attestation: {pages} pages, {len(rendered.pdf):,} bytes PDF/A-3b, "
          f"{len(rendered.attachment):,} bytes manifest")
    print(f"render time (first, cold): {cold:.3f} s")
    print(f"render time (median of {args.runs}): {full:.3f} s")
    print(f"pages per second: {pages / full:.2f}")
    print(f"weasyprint alone, same HTML (median of {args.runs}): {alone:.3f} s "
          f"({len(plain):,} bytes)")
    print(f"ratio full render / weasyprint alone: {full / alone:.2f}")
    if first.missing_glyphs:
        print(f"warning: characters without a font: {', '.join(first.missing_glyphs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
