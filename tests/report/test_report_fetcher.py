"""The URL fetcher serves bundled template assets and refuses everything else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pdf_reading import attachments
from report_http import CountingServer

from app.report.html import templates_dir
from app.report.pdf import ReportError, html_to_pdf


@pytest.fixture
def fetcher():
    from app.report.fetcher import TemplateAssetFetcher

    return TemplateAssetFetcher(templates_dir())


def test_serves_the_stylesheet_with_its_content_type(fetcher):
    url = (templates_dir() / "report.css").resolve().as_uri()
    response = fetcher.fetch(url)
    assert response.content_type == "text/css"
    assert b"@page" in response.read()
    assert fetcher.served == ["report.css"]


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "file://localhost/etc/passwd",
    "file://evil.example/etc/passwd",
    "http://127.0.0.1:9/x.png",
    "https://example.org/x.css",
    "ftp://example.org/x.css",
    "data:text/css,body{color:red}",
    "data:image/png;base64,iVBORw0KGgo=",
    "javascript:alert(1)",
    "report.css",
])
def test_refuses_other_schemes_and_files(fetcher, url):
    from app.report.fetcher import RefusedURL

    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_refuses_traversal_templates_and_hidden_files(fetcher):
    from app.report.fetcher import RefusedURL

    root = templates_dir().resolve()
    for url in [root.as_uri() + "/../pyproject.toml",
                root.as_uri() + "/%2e%2e/%2e%2e/etc/passwd",
                root.as_uri() + "/attestation.html",
                root.as_uri() + "/README.md",
                root.as_uri() + "/missing.css",
                root.as_uri() + "/report.css%00.png"]:
        with pytest.raises(RefusedURL):
            fetcher.fetch(url)


def test_refuses_a_symlink_that_leaves_the_folder(tmp_path):
    from app.report.fetcher import RefusedURL, TemplateAssetFetcher

    root = tmp_path / "templates"
    root.mkdir()
    (root / "ok.css").write_text("p{}", encoding="utf-8")
    secret = tmp_path / "secret.css"
    secret.write_text("secret{}", encoding="utf-8")
    os.symlink(secret, root / "link.css")
    (root / ".hidden.css").write_text("p{}", encoding="utf-8")
    fetcher = TemplateAssetFetcher(root)
    assert fetcher.fetch((root / "ok.css").as_uri()).read() == b"p{}"
    for name in ("link.css", ".hidden.css"):
        with pytest.raises(RefusedURL):
            fetcher.fetch((root / name).as_uri())


def test_default_weasyprint_fetcher_does_fetch_so_the_server_can_tell(tmp_path, monkeypatch):
    """A control: the counting server sees WeasyPrint's own fetcher, so 0 means 0."""
    from weasyprint import HTML

    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy",
                 "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)

    with CountingServer() as server:
        HTML(string=f'<img src="{server.url}/x.png"><p>x</p>').write_pdf()
    assert server.requests >= 1


def test_raw_hostile_html_is_stopped_before_anything_is_fetched_or_embedded(tmp_path):
    """Even markup that escaped the templates (it cannot) fetches and embeds nothing."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT", encoding="utf-8")
    with CountingServer() as server:
        for markup in [
            f'<a rel="attachment" href="{secret.as_uri()}">attached</a>',
            f'<a rel="attachment" href="{server.url}/a.bin">attached</a>',
            f'<img src="{server.url}/img.png">',
            f'<p style="background: url({server.url}/bg.png)">x</p>',
            f'<style>@import url("{server.url}/x.css");</style>',
            f'<link rel="stylesheet" href="{server.url}/s.css">',
            f'<style>p {{ background: url("{secret.as_uri()}") }}</style><p>x</p>',
            f'<object data="{server.url}/o.svg"></object>',
            f'<embed src="{secret.as_uri()}">',
            '<img src="data:image/svg+xml,<svg xmlns=\'http://www.w3.org/2000/svg\'/>">',
        ]:
            html = f"<html><head><link rel=stylesheet href=report.css></head><body>{markup}"
            with pytest.raises(ReportError, match="bundled template files"):
                html_to_pdf(html, attachment=b"{}", attachment_name="manifest.json",
                            description="d", title="t")
        # Markup that renders without a fetch: <link rel=attachment> is dropped (the one
        # attachment is the report's own), the others WeasyPrint does not follow.
        for markup in [f'<link rel="attachment" href="{secret.as_uri()}">',
                       '<link rel="attachment" href="file:///etc/passwd">',
                       f'<link rel="attachment" href="{server.url}/l.bin">',
                       f'<svg><image href="{server.url}/i.png"/></svg>',
                       f'<svg><image xlink:href="{secret.as_uri()}"/></svg>',
                       f'<a href="{server.url}/link">link</a>']:
            html = f"<html><head><link rel=stylesheet href=report.css></head><body>{markup}"
            pdf, _, _, _ = html_to_pdf(html, attachment=b"{}", attachment_name="manifest.json",
                                    description="d", title="t")
            assert list(attachments(pdf)) == ["manifest.json"]
            assert b"TOP-SECRET" not in pdf
    assert server.requests == 0


def test_templates_render_with_only_the_bundled_stylesheet(tmp_path):
    html = ("<html lang=en><head><link rel=stylesheet href=report.css></head>"
            "<body><p>Plain</p>")
    pdf, pages, box, warnings = html_to_pdf(html, attachment=b"{}",
                                            attachment_name="manifest.json",
                                            description="d", title="t")
    assert pages == 1 and box is None and warnings == ()
    assert list(attachments(pdf)) == ["manifest.json"]


def test_templates_folder_is_found_and_holds_the_reports():
    folder = templates_dir()
    assert isinstance(folder, Path)
    names = {p.name for p in folder.iterdir()}
    assert {"attestation.html", "transparency.html", "base.html", "_macros.html",
            "report.css", "README.md"} <= names
    # one stylesheet for the PDFs, one inlined into the transparency web page
    assert {n for n in names if n.endswith(".css")} == {"report.css", "web.css"}
