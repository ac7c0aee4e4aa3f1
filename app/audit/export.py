"""Export an audit: the attestation PDF, the manifest JSON, the public report (PDF, or a web
page with its open data), working copies (XLSX, CSV) and OSCAL assessment results.

Used by `nlets-audit export` and by the TUI (in a worker: rendering a PDF takes seconds).
The file is written to a temporary name beside the target and renamed into place, so a
failed export leaves no partial file and never clobbers an earlier good one.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.atomic import write_atomically
from app.errors import UserFacingError

if TYPE_CHECKING:
    from app.audit.service import AuditService

FORMATS = ("pdf", "json", "transparency", "transparency-web", "xlsx", "csv", "oscal-ar")
FOLDER_FORMATS = ("transparency-web", "csv")
"""Formats written as several files into a folder (created when missing)."""
DESCRIPTIONS = {
    "pdf": "attestation PDF/A-3a", "json": "manifest JSON",
    "transparency": "transparency report PDF/A-3a",
    "transparency-web": "transparency web page and open data",
    "xlsx": "working copy XLSX", "csv": "working copy CSV files",
    "oscal-ar": "OSCAL assessment results JSON",
}


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    format: str
    size: int
    sha256: str
    manifest_sha256: str
    pages: int | None
    draft: bool
    missing_glyphs: tuple[str, ...] = ()
    history_head: str | None = None
    files: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line for a person: what was written where."""
        what = DESCRIPTIONS[self.format]
        details = [f"{self.size:,} bytes"]
        if self.files:
            details.insert(0, f"{len(self.files)} files: {', '.join(self.files)}")
        if self.pages is not None:
            details.insert(0, f"{self.pages} page{'s' if self.pages != 1 else ''}")
        if self.draft and self.format in ("pdf", "transparency", "transparency-web"):
            details.append("DRAFT: the audit is not complete")
        head = (f"; history head {self.history_head} (record it: `nlets-audit history verify "
                f"AUDIT --head {self.history_head}` later shows any rewrite before it)"
                if self.history_head else "")
        return (f"wrote {what} to {self.path} ({', '.join(details)}); "
                f"manifest SHA-256 {self.manifest_sha256}{head}")

    def font_warning(self) -> str | None:
        """A warning when some characters had no font and print as empty boxes."""
        if not self.missing_glyphs:
            return None
        shown = ", ".join(self.missing_glyphs[:10])
        extra = len(self.missing_glyphs) - 10
        more = f" and {extra} more" if extra > 0 else ""
        return (f"no installed font can draw {shown}{more}: those characters print as empty "
                "boxes (the manifest keeps them exactly). Install fonts that cover them, e.g. "
                "Debian's fonts-dejavu-core and fonts-wqy-microhei, and export again")


def export_audit(service: AuditService, ref: str, path: str | Path, fmt: str = "pdf", *,
                 progress: Callable[[str], None] | None = None) -> ExportResult:
    """Write the audit named by `ref` to `path` in one of FORMATS.

    pdf: the attestation; json: its manifest; transparency: the public report PDF;
    transparency-web: a folder with the public report as a web page and its open data;
    xlsx: a workbook of every answer; csv: a folder of CSV files (answers in long form, one
    file per table question); oscal-ar: OSCAL assessment results.

    `progress` is called with a short description of each step (for a TUI worker's status
    line).
    """
    from app.report.manifest import encode_manifest

    fmt = (fmt or "pdf").strip().lower()
    if fmt not in FORMATS:
        raise UserFacingError(f"unknown export format {fmt!r}; use one of: "
                              f"{', '.join(FORMATS)}")
    target = Path(path)
    if fmt in FOLDER_FORMATS:
        return _export_folder(service, ref, target, fmt, progress)
    if target.is_dir():
        raise UserFacingError(f"{target} is a folder; give a file name to write")
    if not target.parent.is_dir():
        raise UserFacingError(f"the folder {target.parent} does not exist; create it first")
    attestation = service.attestation(ref)
    view = attestation.view
    if fmt == "pdf" and view.audit.read_only:
        # A signed audit's attestation is the signed file itself, never a new rendering.
        content = service.signed_pdf(view.audit.id)
        write_atomically(target, content)
        return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                            encode_manifest(attestation).sha256, None, False,
                            history_head=view.manifest_history[0])
    sealed = (sealed_public_report(service, view.audit.id)
              if fmt == "transparency" and view.audit.read_only else None)
    if sealed is not None:
        # The public report of a signed audit is the one sealed at signing, never a new one.
        write_atomically(target, sealed)
        return ExportResult(target, fmt, len(sealed), hashlib.sha256(sealed).hexdigest(),
                            encode_manifest(attestation).sha256, None, False,
                            history_head=view.manifest_history[0])
    missing: tuple[str, ...] = ()
    pages: int | None = None
    if fmt == "json":
        if progress is not None:
            progress("building the manifest")
        manifest = encode_manifest(attestation)
        content, manifest_sha = manifest.content, manifest.sha256
    elif fmt == "xlsx":
        from app.report.xlsx import workbook_bytes

        content = workbook_bytes(attestation, service.history(view.audit.id))
        manifest_sha = encode_manifest(attestation).sha256
    elif fmt == "oscal-ar":
        from app.report.oscal import assessment_results_bytes

        manifest_sha = encode_manifest(attestation).sha256
        content = assessment_results_bytes(attestation, manifest_sha)
    else:
        from app.report.pdf import render_attestation, render_transparency

        rendered = (render_attestation(attestation, progress=progress) if fmt == "pdf"
                    else render_transparency(attestation, progress=progress))
        content, manifest_sha, pages = rendered.pdf, rendered.manifest_sha256, rendered.pages
        missing = tuple(rendered.missing_glyphs)
    if progress is not None:
        progress(f"writing {target}")
    write_atomically(target, content)
    return ExportResult(target, fmt, len(content), hashlib.sha256(content).hexdigest(),
                        manifest_sha, pages, not attestation.ready, missing,
                        history_head=view.manifest_history[0])


def _export_folder(service: AuditService, ref: str, target: Path, fmt: str,
                   progress: Callable[[str], None] | None) -> ExportResult:
    """Write a several-file format into the folder `target` (made when missing)."""
    from app.report.manifest import encode_manifest

    if target.exists() and not target.is_dir():
        raise UserFacingError(f"{target} is a file; the {fmt} export writes several files, "
                              "so give a folder (it is created when missing)")
    if not target.parent.is_dir():
        raise UserFacingError(f"the folder {target.parent} does not exist; create it first")
    attestation = service.attestation(ref)
    if progress is not None:
        progress("building the files")
    if fmt == "transparency-web":
        from app.report.web import PAGE_FILENAME, transparency_bundle

        files, main = transparency_bundle(attestation), PAGE_FILENAME
    else:
        from app.report.table_files import csv_files

        files = csv_files(attestation)
        main = next(iter(files))
    target.mkdir(exist_ok=True)
    for name, content in files.items():
        if progress is not None:
            progress(f"writing {target / name}")
        write_atomically(target / name, content)
    return ExportResult(target, fmt, sum(len(c) for c in files.values()),
                        hashlib.sha256(files[main]).hexdigest(),
                        encode_manifest(attestation).sha256, None, not attestation.ready,
                        history_head=attestation.view.manifest_history[0], files=tuple(files))


def sealed_public_report(service: AuditService, ref: str) -> bytes | None:
    """The public report sealed when the audit was signed; None when none was recorded (an
    audit signed before reports were sealed, or a draft)."""
    from app.records import EventKind
    from app.store.tables import EvidenceBlobRow

    signing = next((e for e in service.history(ref) if e.kind == EventKind.AUDIT_SIGNED), None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    sha256 = recorded.get("public_report_sha256")
    if not sha256:
        return None
    with service.store.session() as session:
        blob = session.get(EvidenceBlobRow, sha256)
        if blob is None:
            raise UserFacingError("the sealed public report is missing from the database; "
                                  "restore the database from a backup")
        return bytes(blob.content)
