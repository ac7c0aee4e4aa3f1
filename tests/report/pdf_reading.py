"""Read rendered PDFs back with pypdf: text, attachments, XMP, fonts."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from pypdf import PdfReader
from pypdf.generic import IndirectObject

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
HEX64 = re.compile(r"\b[0-9a-f]{64}\b")


def reader(pdf: bytes) -> PdfReader:
    """A pypdf reader over PDF bytes."""
    return PdfReader(io.BytesIO(pdf))


def pages_text(pdf: bytes) -> list[str]:
    """The extracted text of every page."""
    return [page.extract_text() or "" for page in reader(pdf).pages]


def squash(text: str) -> str:
    """Text without any whitespace: line wrapping cannot break a comparison."""
    return re.sub(r"\s+", "", text)


def all_text(pdf: bytes) -> str:
    """The text of the whole document, whitespace removed."""
    return squash("".join(pages_text(pdf)))


def attachments(pdf: bytes) -> dict[str, list[bytes]]:
    """Embedded files by name."""
    return {name: list(contents) for name, contents in reader(pdf).attachments.items()}


def filespecs(pdf: bytes) -> list[dict[str, Any]]:
    """The file specification dictionaries listed in the catalog's /AF array."""
    catalog = reader(pdf).trailer["/Root"]
    return [spec.get_object() for spec in catalog.get("/AF", [])]


def xmp_pdfa(pdf: bytes) -> dict[str, str]:
    """The pdfaid part and conformance claimed in the XMP metadata."""
    catalog = reader(pdf).trailer["/Root"]
    data = catalog["/Metadata"].get_object().get_data()
    root = ET.fromstring(data.decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    found = {}
    for element in root.iter():
        for key, value in element.attrib.items():
            if key.startswith("{" + PDFAID + "}"):
                found[key.split("}", 1)[1]] = value
        if element.tag.startswith("{" + PDFAID + "}"):
            found[element.tag.split("}", 1)[1]] = element.text or ""
    return found


def fonts(pdf: bytes) -> dict[str, bool]:
    """Every font used on any page (and in form XObjects): name -> embedded."""
    found: dict[str, bool] = {}
    seen: set[int] = set()

    def visit(resources: Any) -> None:
        resources = _resolve(resources)
        if not resources:
            return
        for font in (_resolve(resources.get("/Font")) or {}).values():
            font = _resolve(font)
            descriptor = None
            if font.get("/Subtype") == "/Type0":
                descendant = _resolve(font["/DescendantFonts"][0])
                descriptor = _resolve(descendant.get("/FontDescriptor"))
            else:
                descriptor = _resolve(font.get("/FontDescriptor"))
            embedded = bool(descriptor) and any(
                key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            if font.get("/Subtype") == "/Type3":
                embedded = True  # glyphs drawn by content streams in the file
            found[str(font.get("/BaseFont", "?"))] = embedded
        for xobject in (_resolve(resources.get("/XObject")) or {}).values():
            ref = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
            if ref in seen:
                continue
            seen.add(ref)
            xobject = _resolve(xobject)
            if xobject.get("/Subtype") == "/Form":
                visit(xobject.get("/Resources"))

    for page in reader(pdf).pages:
        visit(page.get("/Resources"))
    return found


def info(pdf: bytes) -> dict[str, Any]:
    """The document information dictionary."""
    trailer_info = reader(pdf).trailer.get("/Info")
    return dict(_resolve(trailer_info) or {})


def printed_hashes(text: str) -> set[str]:
    """Every 64-hex-digit string in some text."""
    return set(HEX64.findall(text))


def _resolve(value: Any) -> Any:
    return value.get_object() if isinstance(value, IndirectObject) else value
