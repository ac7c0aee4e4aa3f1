"""The attestation and the transparency report as tagged PDF/A-3a and PDF/UA-1, by WeasyPrint.

WeasyPrint's `pdf/a-3a` variant writes the structure tree (headings, lists, tables, figures
with alternative text), the document language, DisplayDocTitle and the outline from the
headings; `app.report.tagging` adds header scopes, turns the running header and footer into
artifacts and adds the PDF/UA-1 claim to the XMP. WeasyPrint offers PDF/A-3a and PDF/UA-1
only as separate variants, and PDF/A-3 (PDF 1.7, tagged at level a) meets what PDF/UA-1
asks of the file's form, so one file claims both. No PDF/UA validator (veraPDF) is
available here: the claim rests on the structure checks in tests/report.

The attestation embeds the manifest (`manifest.json`, relationship Data) and prints its
SHA-256; the transparency report embeds its public data (`transparency.json`). Drafts (any
audit not ready to sign) carry a DRAFT watermark on every page. WeasyPrint reads nothing but
the bundled template assets (see `app.report.fetcher`).

Every object is written at its own offset, with a classic cross-reference table, never in
an object stream (streams themselves stay compressed). pyHanko resolves an object inside an
object stream by re-reading the stream's whole index, so a tagged report whose thousands of
structure elements share one object stream took minutes to sign-check and verify.

The Info dictionary gets no Producer entry: pyHanko's later incremental signature writes
its own Producer into both the XMP and the Info dictionary, and PDF/A needs the two to agree.

Rendering takes a fraction of a second a page: run it in a worker, never on a UI thread.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from app.errors import UserFacingError
from app.records import Attestation
from app.report.context import attestation_context, transparency_context
from app.report.html import attestation_html, needs_marker, templates_dir, transparency_html
from app.report.manifest import (
    MANIFEST_FILENAME,
    PUBLIC_FILENAME,
    encode_manifest,
    encode_public_data,
)

PDF_VARIANT = "pdf/a-3a"
CONFORMANCE = "PDF/A-3a and PDF/UA-1"
SIGNATURE_BOX_ID = "signature-box"
CREATOR = "nlets-audit"
PX_TO_PT = 0.75  # CSS pixels (1/96 in) to PDF points (1/72 in)
_NOTDEF = re.compile(r"\.notdef glyph rendered .*\((U\+[0-9A-F]{4,6})\)")

Progress = Callable[[str], None]


class ReportError(UserFacingError):
    """The report could not be rendered; nothing was written."""


@dataclass(frozen=True)
class SignatureBox:
    """Where the reserved signature area is drawn, for placing a visible signature.

    `page` counts from 0; `box` is (x1, y1, x2, y2) in whole PDF points with the origin at
    the bottom-left of the page, as pyHanko's SigFieldSpec(on_page=page, box=box) takes it.
    """

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: the PDF, the JSON it embeds, and facts about the render."""

    kind: str
    pdf: bytes
    attachment_name: str
    attachment: bytes
    attachment_sha256: str
    manifest_sha256: str
    pages: int
    draft: bool
    signature_box: SignatureBox | None
    html: str
    warnings: tuple[str, ...] = ()

    @property
    def missing_glyphs(self) -> list[str]:
        """Characters no installed font could draw (printed as empty boxes)."""
        return sorted({m.group(1) for w in self.warnings
                       if (m := _NOTDEF.search(w)) is not None})


def render_attestation(attestation: Attestation, *,
                       progress: Progress | None = None) -> RenderedReport:
    """The attestation PDF, with its manifest embedded and its hash printed.

    It prints what `attestation` holds: the statement, the changes since the previous audit
    (the section is left out when there are none to compare), the recorded log analyses and
    the signatory.
    """
    view = attestation.view
    _step(progress, "building the manifest")
    manifest = encode_manifest(attestation)
    context = attestation_context(attestation, manifest.sha256)
    _step(progress, "writing the HTML")
    html = attestation_html(context)
    pdf, pages, box, warnings = html_to_pdf(
        html, attachment=manifest.content, attachment_name=MANIFEST_FILENAME,
        description=f"Manifest of audit {view.audit.id}: the data this attestation speaks "
                    f"for (SHA-256 {manifest.sha256})",
        title=context.document_title,
        progress=progress)
    return RenderedReport("attestation", pdf, MANIFEST_FILENAME, manifest.content,
                          manifest.sha256, manifest.sha256, pages, context.draft, box, html,
                          warnings)


def render_transparency(attestation: Attestation, *, progress: Progress | None = None,
                        signed_attestation_sha256: str | None = None) -> RenderedReport:
    """The public transparency report: no notes, evidence or free text.

    Given the SHA-256 of the signed attestation (at signing), it names that file, the
    capacity and the date of the attestation, ready to be sealed with the same key.
    """
    view = attestation.view
    _step(progress, "building the public data")
    manifest = encode_manifest(attestation)
    public = encode_public_data(attestation, manifest.sha256, signed_attestation_sha256)
    context = transparency_context(attestation, public.sha256, manifest.sha256,
                                   public.data["attested"])
    _step(progress, "writing the HTML")
    html = transparency_html(context)
    pdf, pages, _, warnings = html_to_pdf(
        html, attachment=public.content, attachment_name=PUBLIC_FILENAME,
        description=f"Public data of audit {view.audit.id} (SHA-256 {public.sha256})",
        title=context.document_title,
        progress=progress)
    return RenderedReport("transparency", pdf, PUBLIC_FILENAME, public.content, public.sha256,
                          manifest.sha256, pages, not attestation.ready, None, html,
                          warnings)


def html_to_pdf(html: str, *, attachment: bytes, attachment_name: str, description: str,
                title: str, progress: Progress | None = None,
                ) -> tuple[bytes, int, SignatureBox | None, tuple[str, ...]]:
    """Render report HTML to tagged PDF/A-3a (and PDF/UA-1) with one JSON attachment.

    The attachment's relationship is Data.

    Returns the PDF bytes, the page count, where the signature box is (if anywhere) and
    WeasyPrint's warnings (such as characters no installed font can draw).
    """
    from weasyprint import HTML, Attachment

    from app.report.fetcher import RefusedURL, TemplateAssetFetcher

    root = templates_dir()
    fetcher = TemplateAssetFetcher(root)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = now.isoformat().replace("+00:00", "Z")
    log = _CapturedLog()
    try:
        with log:
            _step(progress, "laying out the pages")
            document = HTML(string=html, base_url=root.as_uri() + "/",
                            url_fetcher=fetcher).render()
            metadata = document.metadata
            metadata.title = plain_text(title)
            metadata.generator = CREATOR
            metadata.created = metadata.modified = stamp
            metadata.authors, metadata.keywords, metadata.description = [], [], None
            metadata.attachments = []  # the one attachment is ours, never a <link> in HTML
            box = _signature_box(document)
            _step(progress, "writing the PDF/A file")
            pdf = document.write_pdf(
                pdf_variant=PDF_VARIANT,
                attachments=[Attachment(string=attachment, name=attachment_name,
                                        description=description, relationship="Data",
                                        created=now, modified=now)],
                finisher=_finish)
    except RefusedURL as exc:
        raise ReportError(f"the report tried to load something other than its bundled "
                          f"template files and was stopped ({exc}); nothing was written"
                          ) from None
    return pdf, len(document.pages), box, tuple(log.messages)


def plain_text(text: str) -> str:
    """Text for PDF metadata: control and invisible characters written as U+XXXX."""
    return "".join(f"U+{ord(c):04X}" if needs_marker(c) or c in "\n\t" else c
                   for c in str(text))


def _finish(document: Any, pdf: Any) -> None:
    """Last touches before the file is written.

    Drop Producer from the Info dictionary (see the module docstring), list each
    associated file once in the catalog's /AF (WeasyPrint 70 lists it twice), finish the
    tags (`app.report.tagging`) and write no object stream (see the module docstring).
    """
    from app.report.tagging import finish_tags

    write = pdf.write

    def write_without_object_streams(output: Any, version: bytes, identifier: Any,
                                     compress: bool) -> None:
        write(output, version, identifier, False)

    pdf.write = write_without_object_streams

    pdf.info.pop("Producer", None)
    finish_tags(pdf)
    associated = pdf.catalog.get("AF")
    if associated:
        unique = list(dict.fromkeys(associated))
        associated.clear()
        associated.extend(unique)


def _signature_box(document: Any) -> SignatureBox | None:
    for index, page in enumerate(document.pages):
        anchor = page.anchors.get(SIGNATURE_BOX_ID)
        if anchor is not None:
            x1, y1, x2, y2 = anchor
            height = page.height * PX_TO_PT
            # Whole points, rounded inwards so the stamp stays inside the drawn box.
            return SignatureBox(index, (math.ceil(x1 * PX_TO_PT),
                                        math.ceil(height - y2 * PX_TO_PT),
                                        math.floor(x2 * PX_TO_PT),
                                        math.floor(height - y1 * PX_TO_PT)))
    return None


def _step(progress: Progress | None, what: str) -> None:
    if progress is not None:
        progress(what)


class _CapturedLog(logging.Handler):
    """Collect WeasyPrint's warnings instead of letting them reach the terminal."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.messages.append(record.getMessage())
        except Exception:  # noqa: BLE001 - a bad log record must not stop a render
            self.messages.append(str(record.msg))

    def __enter__(self) -> _CapturedLog:
        self.logger = logging.getLogger("weasyprint")
        self.saved = (self.logger.propagate, list(self.logger.handlers))
        self.logger.handlers[:] = [self]
        self.logger.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        self.logger.propagate, self.logger.handlers[:] = self.saved[0], self.saved[1]
