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


PDFUAID = "http://www.aiim.org/pdfua/ns/id/"


def xmp_parts(pdf: bytes) -> dict[str, str]:
    """Every pdfaid and pdfuaid property claimed in the XMP, as {"pdfaid:part": "3", ...}."""
    catalog = reader(pdf).trailer["/Root"]
    data = catalog["/Metadata"].get_object().get_data()
    root = ET.fromstring(data.decode("utf-8").split("?>", 1)[1].rsplit("<?xpacket", 1)[0])
    prefixes = {PDFAID: "pdfaid", PDFUAID: "pdfuaid"}
    found = {}
    for element in root.iter():
        items = list(element.attrib.items())
        if element.text and element.text.strip():
            items.append((element.tag, element.text.strip()))
        for key, value in items:
            for namespace, prefix in prefixes.items():
                if key.startswith("{" + namespace + "}"):
                    found[f"{prefix}:{key.split('}', 1)[1]}"] = value
    return found


def structure(pdf: bytes) -> dict[str, Any]:
    """The structure tree read back: tag counts, heading order, TH scopes, figure /Alt,
    table cells' parents, and the marked-content ids the tree reaches per page."""
    from collections import Counter

    catalog = reader(pdf).trailer["/Root"]
    tags: Counter[str] = Counter()
    headings: list[str] = []
    scopes: Counter[str] = Counter()
    alts: list[str] = []
    cells_outside_rows = 0
    seen: set[int] = set()
    stack = [(catalog["/StructTreeRoot"], None)]
    while stack:
        item, parent_tag = stack.pop()
        if isinstance(item, IndirectObject):
            if item.idnum in seen:
                continue
            seen.add(item.idnum)
        element = _resolve(item)
        if not isinstance(element, dict):
            continue
        tag = str(element.get("/S", ""))
        if tag:
            tags[tag[1:]] += 1
            if tag in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6"):
                headings.append(tag[1:])
            if tag == "/TH":
                scopes[str(_resolve(element.get("/A", {})).get("/Scope"))] += 1
            if tag in ("/TH", "/TD") and parent_tag != "/TR":
                cells_outside_rows += 1
            if tag == "/Figure":
                alts.append(str(element.get("/Alt", "")))
        kids = element.get("/K", [])
        kids = kids if isinstance(kids, list) else [kids]
        # depth first, in document order
        stack.extend((kid, tag or parent_tag) for kid in reversed(kids)
                     if isinstance(kid, (IndirectObject, dict)))
    return {"tags": dict(tags), "headings": headings, "scopes": dict(scopes), "alts": alts,
            "cells_outside_rows": cells_outside_rows,
            "lang": str(catalog.get("/Lang", "")),
            "marked": bool(_resolve(catalog.get("/MarkInfo", {})).get("/Marked")),
            "display_title": bool(_resolve(catalog.get("/ViewerPreferences", {}))
                                  .get("/DisplayDocTitle"))}


def outline_titles(pdf: bytes) -> list[str]:
    """Every bookmark's title, nested ones included, in order."""
    titles: list[str] = []

    def visit(items: Any) -> None:
        for item in items:
            if isinstance(item, list):
                visit(item)
            else:
                titles.append(str(item.title))

    visit(reader(pdf).outline)
    return titles
