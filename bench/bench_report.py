"""Benchmark: render the attestation PDF of a fully answered audit.

Prints the render time (manifest, HTML, layout, PDF/A-3b with the embedded manifest) in
CPU seconds and the ratio to WeasyPrint rendering the same HTML string alone (plain PDF,
no attachment) in the same run. The two alternate, garbage collected before each run, and
both orders are reported. Uses the flagship checklist when it loads, else the test
fixture. Run: python bench/bench_report.py [--runs N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

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


def alternated(full, alone, runs: int) -> dict[str, list]:
    """`runs` rounds of both renders, the order swapped every round and the garbage
    collected before each run, so that neither pays for the other's garbage or always gets
    the warmer caches. Samples are kept apart by order: "full first" rounds and "alone
    first" rounds, so that both orders are reported."""
    from common import measure

    samples: dict[str, list] = {"full_first": [], "alone_second": [], "alone_first": [],
                                "full_second": []}
    results: list[object] = [None, None]
    for round_index in range(runs * 2):
        if round_index % 2 == 0:
            sample, results[0] = measure(full)
            samples["full_first"].append(sample)
            sample, results[1] = measure(alone)
            samples["alone_second"].append(sample)
        else:
            sample, results[1] = measure(alone)
            samples["alone_first"].append(sample)
            sample, results[0] = measure(full)
            samples["full_second"].append(sample)
    samples["results"] = results
    return samples


def main() -> int:
    """Run the benchmark and print each figure."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="timed runs after a warm-up")
    args = parser.parse_args()

    from app.audit import AuditService
    from app.report.html import templates_dir
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

        measured = alternated(lambda: render_attestation(service.attestation(audit.id)),
                              weasyprint_alone, args.runs)
        rendered, plain = measured["results"]

    from common import figure, median_cpu, median_wall

    pages = rendered.pages
    print(f"checklist: {label} ({len(loaded.checklist.questions())} questions, "
          f"{answered} answered, ready to sign: {service.review(view).ready})")
    print(f"attestation: {pages} pages, {len(rendered.pdf):,} bytes PDF/A-3b, "
          f"{len(rendered.attachment):,} bytes manifest; weasyprint alone "
          f"{len(plain):,} bytes")
    print(f"render time (first in the process, cold, wall): {cold:.3f} s")
    both_full = measured["full_first"] + measured["full_second"]
    both_alone = measured["alone_first"] + measured["alone_second"]
    figure("report_full_first", f"render, full run first (CPU, median of {args.runs})",
           median_cpu(measured["full_first"]), median_cpu(measured["alone_second"]),
           "weasyprint alone, run second", unit="s")
    figure("report_alone_first", f"render, weasyprint alone run first (CPU, median of "
           f"{args.runs})", median_cpu(measured["full_second"]),
           median_cpu(measured["alone_first"]), "weasyprint alone, run first", unit="s")
    figure("report", f"render, both orders (CPU, median of {2 * args.runs})",
           median_cpu(both_full), median_cpu(both_alone), "weasyprint alone, both orders",
           unit="s")
    print(f"render wall, both orders: {median_wall(both_full):.3f} s, weasyprint alone "
          f"{median_wall(both_alone):.3f} s; pages per second (CPU): "
          f"{pages / median_cpu(both_full):.2f}")
    if first.missing_glyphs:
        print(f"warning: characters without a font: {', '.join(first.missing_glyphs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
