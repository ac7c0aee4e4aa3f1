"""Hostile answers: markup, CSS url(), attachment links, very long words, RTL, CJK, controls.

Every hostile string goes in through the audit service, as a user would type it. The reports
must render, show the text as text, fetch nothing (a counting server on 127.0.0.1 sees no
request), embed nothing but their own JSON, and keep the layout inside the page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest
from pdf_reading import all_text, attachments, pages_text, reader, squash, xmp_pdfa
from report_fixtures import FIXTURES, new_audit
from report_http import CountingServer

from app.audit import AuditService, ChangeKind, ChangeRecord
from app.checklist import load_checklist
from app.report.html import templates_dir, visible_text
from app.report.pdf import render_attestation, render_transparency
from app.store import open_store

PASSWD = Path("/etc/passwd")
LONG_WORD = "Q" * 6000
LONG_CELL = "W" * 480
RTL = ["مرحبا", "بالعالم", "שלום", "עולם"]
CJK = "中华人民共和国日本語한국어"
CONTROLS = "bell\x07 esc\x1b[31m nul\x00 del\x7f c1\x85 rlo\u202eabc\u202c lri\u2066x\u2069"


def hostile(url: str) -> dict[str, str]:
    """Hostile strings, some pointing at the counting server."""
    return {
        "html": "<b>bold</b><script>alert(1)</script><img src=x onerror=alert(1)>",
        "link": "<link rel=attachment href=file:///etc/passwd>",
        "css_http": f"<style>@import url({url}/import.css);</style>"
                    f"<p style=\"background:url({url}/bg.png)\">styled</p>",
        "css_raw": f"\");}} body {{ background: url(\"{url}/raw.png\") }} p {{ x: url(",
        "css_file": "<div style=\"background-image:url(file:///etc/passwd)\">f</div>",
        "attr": "\" onmouseover=\"x\" data-x=\"",
        "rtl": " ".join(RTL),
    }


def stored_raw(service, audit_id: str, question_id: str, **fields: str) -> None:
    """Write text the input rules now refuse (control characters) straight into the stored
    answer, as an older version or another tool could have: the reports must still print
    it safely."""
    from sqlmodel import select

    from app.store.tables import AnswerRow

    with service.store.session() as session:
        row = session.exec(select(AnswerRow).where(AnswerRow.audit_id == audit_id,
                                                   AnswerRow.question_id == question_id)).one()
        for name, value in fields.items():
            setattr(row, name, value)
        session.add(row)


def fill_hostile(service, checklist, tmp_path: Path, url: str) -> str:
    h = hostile(url)
    audit_id = new_audit(service, checklist, title=f"{h['html']} {h['rtl']}",
                         auditor=h["link"])
    from app.store.tables import AuditRow

    with service.store.session() as session:
        row = session.get(AuditRow, audit_id)
        row.title = f"{row.title} \x07"
        session.add(row)
    service.set_answer(audit_id, "connected", "yes", note=LONG_WORD)
    stored_raw(service, audit_id, "connected", note=f"{CONTROLS}\n{LONG_WORD}")
    service.set_answer(audit_id, "switch_vendor", f"{h['link']} {h['css_raw']}"[:500],
                       note=h["css_http"])
    service.set_answer(audit_id, "keys", ["dq"], note=h["css_file"])
    service.set_answer(audit_id, "reason_required", "never", note=h["attr"])
    service.set_not_applicable(audit_id, "review_date", f"{h['link']} {h['rtl']}")
    service.set_answer(audit_id, "query_count", 7, note=h["rtl"])
    description = "\n".join([h["html"], h["css_http"], h["css_raw"], h["css_file"],
                             LONG_WORD, h["rtl"]])
    service.set_answer(audit_id, "description", description)
    stored_raw(service, audit_id, "description",
               value_json=json.dumps(f"{description}\n{CONTROLS}", ensure_ascii=False))
    service.set_answer(audit_id, "agencies", [
        {"agency": "ice", "blocked": "yes", "method": h["css_http"][:400]},
        {"agency": "cbp", "blocked": "no", "method": LONG_CELL},
        {"agency": "other", "blocked": "unknown", "method": h["rtl"]},
    ], note=h["link"])
    evidence = tmp_path / "<img src=x> عربي.csv"
    evidence.write_text("a,b\n", encoding="utf-8")
    service.add_evidence(audit_id, "agencies", evidence, "2025-02-01")
    return audit_id


@pytest.fixture(scope="module")
def hostile_render(tmp_path_factory: pytest.TempPathFactory):
    """The hostile audit rendered once for the module's read-only checks: the counting
    server (closed once both reports were rendered), the view and the two reports."""
    folder = tmp_path_factory.mktemp("hostile-render")
    store = open_store(f"sqlite:///{folder}/t.sqlite3")
    try:
        service = AuditService(store, actor="tester")
        with CountingServer() as server:
            audit_id = fill_hostile(service, load_checklist(FIXTURES / "sample-checklist.yaml"),
                                    folder, server.url)
            view = service.view(audit_id)
            changes = (ChangeRecord(ChangeKind.ANSWER_CHANGED, "switch_vendor",
                                    "<b>changed</b>", hostile(server.url)["link"], CONTROLS),)
            attestation = render_attestation(replace(service.attestation(view),
                                                     changes=changes))
            transparency = render_transparency(service.attestation(view))
    finally:
        store.close()
    return server, view, attestation, transparency


def test_nothing_is_fetched_and_nothing_else_is_embedded(hostile_render):
    server, view, attestation, transparency = hostile_render
    assert server.requests == 0, server.paths
    assert list(attachments(attestation.pdf)) == ["manifest.json"]
    assert list(attachments(transparency.pdf)) == ["transparency.json"]
    secret_lines = [line for line in PASSWD.read_text().splitlines() if line][:3] if (
        PASSWD.exists()) else ["root:x:0:0"]
    for rendered in (attestation, transparency):
        text = "".join(pages_text(rendered.pdf))
        for line in secret_lines:
            assert line not in text
            assert line.encode() not in rendered.pdf
            assert line.encode() not in rendered.attachment


def test_hostile_text_is_shown_as_text(hostile_render):
    server, view, attestation, _ = hostile_render
    text = all_text(attestation.pdf)
    h = hostile(server.url)
    for key in ("html", "link", "attr"):
        assert squash(h[key]) in text, key
    assert squash(h["css_file"]) in text
    assert squash(f"{server.url}/import.css") in text
    for word in RTL:
        assert word in text
    for marker in ("U+0007", "U+001B", "U+0000", "U+007F", "U+0085", "U+202E", "U+202C",
                   "U+2066", "U+2069"):
        assert marker in text, marker
    assert "\u202e" not in text and "\x07" not in text
    assert "<imgsrc=x>عربي" in text  # the evidence file name, as text


def test_the_manifest_keeps_the_exact_hostile_values(hostile_render):
    _, view, attestation, _ = hostile_render
    manifest = json.loads(attachments(attestation.pdf)["manifest.json"][0])
    answers = {a["question_id"]: a for a in manifest["answers"]}
    assert answers["connected"]["note"] == f"{CONTROLS}\n{LONG_WORD}"
    assert CONTROLS in answers["description"]["value"]
    assert manifest["audit"]["auditor"] == "<link rel=attachment href=file:///etc/passwd>"
    assert xmp_pdfa(attestation.pdf) == {"part": "3", "conformance": "A"}
    title = reader(attestation.pdf).metadata.title
    assert "U+0007" in title and "\x07" not in title


def test_very_long_words_wrap_inside_the_page(hostile_render):
    _, _, attestation, transparency = hostile_render
    pages = pages_text(attestation.pdf)
    assert sum(page.count("Q") for page in pages) >= 2 * len(LONG_WORD)  # note + answer
    longest = max(len(run) for page in pages for run in re.findall(r"Q+", page))
    assert longest < 200, "a long word was not wrapped"
    longest_cell = max((len(run) for page in pages for run in re.findall(r"W+", page)),
                       default=0)
    assert 0 < longest_cell < 120
    width = float(reader(attestation.pdf).pages[0].mediabox.width)
    for page in reader(attestation.pdf).pages:
        assert float(page.mediabox.width) == width  # no page grew to fit
    assert transparency.pages >= 2


def test_every_word_box_lies_on_the_page(hostile_render, tmp_path):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    _, _, attestation, _ = hostile_render
    path = tmp_path / "hostile.pdf"
    path.write_bytes(attestation.pdf)
    html = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True,
                          text=True, check=True).stdout
    outside, count = [], 0
    for page in html.split("<page ")[1:]:  # each page has its own width (some are landscape)
        page_width = float(re.match(r'width="([\d.]+)"', page).group(1))
        right_margin = page_width - 20 / 25.4 * 72 + 2  # 20 mm margin, 2 pt tolerance
        boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)"', page)
        count += len(boxes)
        outside += [(x_min, x_max) for x_min, x_max in boxes
                    if float(x_min) < 0 or float(x_max) > right_margin]
    assert count > 100
    assert not outside, outside[:5]


def test_no_character_lacks_a_font(hostile_render):
    _, _, attestation, transparency = hostile_render
    assert attestation.missing_glyphs == []
    assert transparency.missing_glyphs == []


def test_cjk_text_is_rendered_with_a_real_font(service, sample_checklist, tmp_path):
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list is not installed (Debian package fontconfig)")
    for char in ("中", "日", "한"):
        covering = subprocess.run(["fc-list", f":charset={ord(char):x}", "family"],
                                  capture_output=True, text=True).stdout.strip()
        if not covering:
            pytest.skip(f"no installed font covers {char} (U+{ord(char):04X}); "
                        "install Debian's fonts-wqy-microhei")
    audit_id = new_audit(service, sample_checklist, title=f"审计 {CJK}")
    service.set_answer(audit_id, "connected", "yes", note=CJK)
    service.set_answer(audit_id, "description", f"{CJK} {LONG_WORD[:300]} {CJK}")
    evidence = tmp_path / "証拠 한국어.csv"
    evidence.write_text("x", encoding="utf-8")
    service.add_evidence(audit_id, "connected", evidence)
    rendered = render_attestation(service.attestation(audit_id))
    assert rendered.missing_glyphs == []
    text = all_text(rendered.pdf)
    assert text.count(CJK) >= 3
    assert "証拠한국어.csv" in text


def test_a_character_without_any_font_is_reported(service, sample_checklist):
    audit_id = new_audit(service, sample_checklist)
    service.set_answer(audit_id, "connected", "yes", note="Linear B \U00010000 and \U0001D11E")
    rendered = render_attestation(service.attestation(audit_id))
    if not rendered.missing_glyphs:
        pytest.skip("a font on this machine covers U+10000 and U+1D11E")
    assert "U+10000" in rendered.missing_glyphs


def test_transparency_report_of_a_hostile_audit_leaks_no_notes(hostile_render):
    server, _, _, transparency = hostile_render
    text = all_text(transparency.pdf)
    for marker in ("U+001B", "U+202E", "U+2066"):  # only in notes and the narrative
        assert marker not in text
    assert squash(hostile(server.url)["css_file"]) not in text
    assert "<imgsrc=x>" not in text


def test_visible_text_escapes_and_marks():
    assert str(visible_text("<b>&\"'")) == "&lt;b&gt;&amp;&#34;&#39;"
    marked = str(visible_text("a\x07b\u202ec\nd\te"))
    assert marked == ('a<span class="ctl">U+0007</span>b<span class="ctl">U+202E</span>'
                      'c\nd\te')
    assert str(visible_text("שלום مرحبا 中文 e\u0301")) == "שלום مرحبا 中文 e\u0301"
    assert str(visible_text("\ufdd0\U000e0001\ue000")).count("U+") == 3
    assert str(visible_text(None)) == ""


def test_templates_never_put_a_value_inside_a_tag():
    """No `{{ }}` inside `<...>`: user text never reaches an attribute."""
    offenders = []
    for template in sorted(templates_dir().glob("*.html")):
        source = template.read_text(encoding="utf-8")
        source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
        for tag in re.findall(r"<[^<>]*>", source):
            if "{{" in tag or "{%" in tag:
                offenders.append(f"{template.name}: {tag}")
    assert not offenders, offenders


def test_template_stylesheet_points_nowhere():
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    assert "url(" not in css and "@import" not in css
