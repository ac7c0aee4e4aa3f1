"""The transparency web page in a real headless browser (Debian's Chromium, driven by
Playwright): axe-core finds no WCAG 2.1 A or AA violation, the page makes no request beyond
itself, reflows at 320 CSS pixels, and shows what the PDF and the open data hold."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
from pathlib import Path

import pytest
from report_fixtures import flagship_audit_with_log

from app.audit import AuditService
from app.cli import main
from app.store import open_store

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = Path(__file__).with_name("assets") / "axe-core" / "axe.min.js"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (apt-get install chromium; .ci/run does)")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("web")
    url = f"sqlite:///{folder}/t.sqlite3"
    service = AuditService(open_store(url), actor="tester")
    audit_id = flagship_audit_with_log(service, folder)
    out = folder / "site"
    assert main(["--db", url, "export", audit_id, "--format", "transparency-web",
                 "-o", str(out)]) == 0
    return {"folder": out, "service": service, "audit": audit_id}


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright, \
            tempfile.TemporaryDirectory() as profile:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=FLAGS)
        try:
            yield context
        finally:
            context.close()


def open_page(browser, path: Path, width: int = 1280):
    """The page at `path`, every request it makes recorded and all but itself refused."""
    page = browser.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    requests: list[str] = []
    own = path.resolve().as_uri()

    def route(r):
        if r.request.url == own:
            r.continue_()
        else:
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda request: requests.append(request.url))
    page.goto(own)
    page.wait_for_load_state("load")
    return page, requests


@pytest.mark.parametrize("width", [1280, 320])
def test_axe_finds_no_wcag21_aa_violation(bundle, browser, tmp_path, width):
    page, _ = open_page(browser, bundle["folder"] / "transparency.html", width)
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG21_AA)
    violations = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]])
                  for v in results["violations"]]
    assert violations == []
    assert len(results["passes"]) > 10  # the rules really ran
    shot = tmp_path / f"transparency-{width}.png"
    page.screenshot(path=str(shot), full_page=False)
    assert shot.stat().st_size > 10_000
    page.close()


def test_axe_sees_a_violation_when_there_is_one(bundle, browser):
    """The check can fail: an image without alternative text is reported."""
    page, _ = open_page(browser, bundle["folder"] / "transparency.html")
    page.evaluate("document.querySelector('h1').insertAdjacentHTML('afterend', "
                  "'<svg role=\"img\" width=\"10\" height=\"10\"></svg>')")
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    results = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        WCAG21_AA)
    assert "svg-img-alt" in {v["id"] for v in results["violations"]}
    page.close()


def test_the_page_makes_no_request(bundle, browser):
    path = bundle["folder"] / "transparency.html"
    page, requests = open_page(browser, path)
    page.wait_for_timeout(200)
    assert requests == [path.resolve().as_uri()]
    # nothing in the markup that a browser would load: no element that fetches, no URL in
    # an attribute (URLs printed as text, such as a citation's, are only text)
    from html.parser import HTMLParser

    fetching: list[tuple[str, list]] = []

    class Scan(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag in ("script", "link", "img", "iframe", "object", "embed", "video",
                       "audio", "source", "image", "use"):
                fetching.append((tag, attrs))
            for name, value in attrs:
                if name in ("src", "href", "action", "data", "poster", "srcset") and \
                        value not in ("#main",):
                    fetching.append((tag, attrs))

    html = path.read_text(encoding="utf-8")
    Scan().feed(html)
    assert fetching == []
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    assert "url(" not in style and "@import" not in style
    page.close()


def test_the_page_reflows_at_320_pixels(bundle, browser):
    page, _ = open_page(browser, bundle["folder"] / "transparency.html", width=320)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320
    page.close()


def test_the_page_shows_what_the_public_data_holds(bundle, browser):
    folder = bundle["folder"]
    data = json.loads((folder / "transparency.json").read_text(encoding="utf-8"))
    page, _ = open_page(browser, folder / "transparency.html")
    text = page.inner_text("main")
    for finding in data["findings"]:
        assert finding["title"] in text
    charts = page.evaluate("[...document.querySelectorAll('svg[role=img]')]"
                           ".map(s => s.querySelector('title').textContent)")
    assert len(charts) == 2 and all("queries by month" in c for c in charts)
    assert page.title().count("Colorado") == 1
    assert page.evaluate("document.documentElement.lang") == "en"
    page.close()


def test_open_data_matches_the_pdf(bundle):
    from pdf_reading import attachments

    from app.report.pdf import render_transparency

    folder, service = bundle["folder"], bundle["service"]
    rendered = render_transparency(service.attestation(bundle["audit"]))
    assert attachments(rendered.pdf)["transparency.json"] == [
        (folder / "transparency.json").read_bytes()]
    data = json.loads((folder / "transparency.json").read_text(encoding="utf-8"))
    findings = list(csv.DictReader(io.StringIO((folder / "findings.csv").read_text("utf-8"))))
    assert [f["rule_id"] for f in findings] == [f["rule_id"] for f in data["findings"]]
    months = json.loads((folder / "queries-by-month.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO(
        (folder / "queries-by-month.csv").read_text(encoding="utf-8"))))
    assert [int(r["queries"]) for r in rows] == [m["queries"] for m in months]
    assert sum(m["queries"] for m in months) == 5  # the five queries from known ORIs
