"""The reports are tagged PDF/A-3a and PDF/UA-1: structure tree, language, title, headings
in order, table headers with scopes, figures with alternative text, bookmarks, and the XMP
claims; identifiers come back whole from pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pdf_reading import outline_titles, reader, structure, xmp_parts
from report_fixtures import ORIS, flagship_audit_with_log

from app.audit import AuditService
from app.report.pdf import render_attestation, render_transparency
from app.store import open_store

CLAIMS = {"pdfaid:part": "3", "pdfaid:conformance": "A", "pdfuaid:part": "1"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("tagged")
    service = AuditService(open_store(f"sqlite:///{folder}/t.sqlite3"), actor="tester")
    audit_id = flagship_audit_with_log(service, folder)
    attestation = service.attestation(audit_id)
    return {"attestation": render_attestation(attestation),
            "transparency": render_transparency(attestation),
            "view": attestation.view, "folder": folder}


def check_tagged(pdf: bytes, *, charts: int) -> dict:
    """What every one of our PDFs must hold; returns the structure for further checks."""
    tree = structure(pdf)
    assert tree["marked"] and tree["display_title"]
    assert tree["lang"] == "en"
    tags = tree["tags"]
    for tag in ("Document", "H1", "H2", "H3", "P", "Table", "THead", "TR", "TH", "TD", "L",
                "LI"):
        assert tags.get(tag), (tag, tags)
    assert tree["headings"][0] == "H1" and tree["headings"].count("H1") == 1
    levels = [int(h[1]) for h in tree["headings"]]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    assert tree["cells_outside_rows"] == 0
    assert set(tree["scopes"]) <= {"/Column", "/Row"} and tree["scopes"].get("/Column")
    assert tree["scopes"].get("/Row")
    assert len(tree["alts"]) == charts and all("queries by month" in a for a in tree["alts"])
    assert xmp_parts(pdf).items() >= CLAIMS.items()
    return tree


def test_the_attestation_is_tagged(rendered):
    pdf = rendered["attestation"].pdf
    check_tagged(pdf, charts=2)
    titles = outline_titles(pdf)
    for section in rendered["view"].checklist.checklist.sections:
        assert any(section.title in title for title in titles), section.title
    for heading in ("Executive summary", "Findings and recommendations", "Query-log evidence",
                    "Attestation"):
        assert heading in titles


def test_the_figures_say_what_the_bars_show(rendered):
    alts = structure(rendered["attestation"].pdf)["alts"]
    ice = next(a for a in alts if a.startswith("ICE Enforcement"))
    assert "2025-03: 1" in ice and "2025-05: 2" in ice and "2025-11: 1" in ice


def test_the_transparency_report_is_tagged(rendered):
    pdf = rendered["transparency"].pdf
    check_tagged(pdf, charts=2)
    titles = outline_titles(pdf)
    assert "Findings" in titles and "What the audit recorded" in titles


def test_the_displayed_title_states_each_fact_once(rendered):
    for kind in ("attestation", "transparency"):
        title = str(reader(rendered[kind].pdf).metadata.title)
        assert title.count("Colorado") == 1, title
        assert title.count("2025-01-01") == 1, title


def test_the_draft_is_tagged(service, sample_checklist):
    from report_fixtures import new_audit

    audit_id = new_audit(service, sample_checklist)
    service.set_answer(audit_id, "connected", "yes")
    rendered = render_attestation(service.attestation(audit_id))
    assert rendered.draft
    tree = structure(rendered.pdf)
    assert tree["marked"] and tree["lang"] == "en" and tree["tags"].get("H1")
    assert xmp_parts(rendered.pdf).items() >= CLAIMS.items()


def test_running_headers_are_artifacts_not_orphan_tags(rendered):
    """Every marked-content id in the page streams belongs to an element the tree reaches:
    the running header and footer are artifacts."""
    from pypdf.generic import IndirectObject

    pdf = reader(rendered["attestation"].pdf)
    root = pdf.trailer["/Root"]["/StructTreeRoot"]
    reached: dict[int, set[int]] = {}
    stack, seen = [root], set()
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
        element = item.get_object()
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            if isinstance(kid, int) and "/Pg" in element:
                reached.setdefault(element.raw_get("/Pg").idnum, set()).add(kid)
            elif isinstance(kid, IndirectObject):
                stack.append(kid)
    for page in pdf.pages[:3]:
        content = page.get_contents().get_data().decode("latin-1")
        used = {int(n) for n in re.findall(r"/MCID (\d+)", content)}
        assert used and used <= reached[page.indirect_reference.idnum]
        assert "/Artifact" in content


@pytest.mark.skipif(shutil.which("pdftotext") is None,
                    reason="pdftotext (Debian poppler-utils) is not installed")
def test_identifiers_come_back_whole(rendered):
    """ORIs in the agency table's narrow column and every hash come back whole and
    unhyphenated from pdftotext."""
    for kind, identifiers in (
            # ORIs are stored in capitals, as the checklist's ORI lists normalise them
            ("attestation", [o.strip().upper() for v in ORIS.values() for o in v.split(",")]
             + [rendered["attestation"].manifest_sha256,
                rendered["view"].audit.checklist_sha256, rendered["view"].audit.id]),
            ("transparency", [rendered["view"].audit.checklist_sha256,
                              rendered["attestation"].manifest_sha256])):
        path = Path(rendered["folder"]) / f"{kind}.pdf"
        path.write_bytes(rendered[kind].pdf)
        text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                              capture_output=True, text=True).stdout
        assert "\u2010" not in text and "\u00ad" not in text
        words = set(re.findall(r"[A-Za-z0-9*]+", text))
        for identifier in identifiers:
            assert identifier in words, (kind, identifier)
