"""Finishing touches on WeasyPrint's tagged PDF: header scopes, artifacts and the PDF/UA claim.

WeasyPrint 70's `pdf/a-3a` variant writes the structure tree (headings, lists, tables with
TH/TD and /Headers, figures with /Alt), /Lang, /MarkInfo and DisplayDocTitle, and claims
PDF/A-3 level A in the XMP. Three things are left for this module, run from the finisher
hook before the file is written:

- every TH gets a /Scope: /Column when its row is in the table head, else /Row (the
  templates put column headers only in `<thead>` and mark body headers `scope="row"`);
- the running header and footer (page margin boxes) are marked content that WeasyPrint
  leaves out of the structure tree; they are re-marked as /Artifact (pagination), as
  PDF/UA asks of page headers and footers, so no content is both tagged and unreachable;
- the XMP claims PDF/UA-1 (`pdfuaid:part` 1) beside PDF/A-3a, with the PDF/A extension
  schema that declares the pdfuaid property (PDF/A allows only declared properties).

It works on WeasyPrint's own `pydyf` objects; importing it imports nothing heavy.
"""

from __future__ import annotations

import io
from typing import Any

UA_PART = 1

_EXTENSION = (
    '<rdf:Description rdf:about="" '
    'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
    'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
    'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
    '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
    '<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>'
    '<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>'
    '<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>'
    '<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">'
    '<pdfaProperty:name>part</pdfaProperty:name>'
    '<pdfaProperty:valueType>Integer</pdfaProperty:valueType>'
    '<pdfaProperty:category>internal</pdfaProperty:category>'
    '<pdfaProperty:description>The part of ISO 14289 this file conforms to'
    '</pdfaProperty:description>'
    '</rdf:li></rdf:Seq></pdfaSchema:property>'
    '</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>'
    '<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" '
    f'pdfuaid:part="{UA_PART}"/>'
)


def finish_tags(pdf: Any) -> None:
    """Add header scopes, mark untagged margin content as artifacts and claim PDF/UA-1."""
    root_ref = pdf.catalog.get("StructTreeRoot")
    if root_ref is None:
        return
    root = _get(pdf, root_ref)
    reachable = _reachable(pdf, root)
    _scope_headers(pdf, reachable)
    _artifact_orphans(pdf, root, reachable)
    _claim_ua(pdf)


def _number(reference: Any) -> int:
    text = reference.decode() if isinstance(reference, bytes) else str(reference)
    return int(text.split()[0])


def _get(pdf: Any, reference: Any) -> Any:
    return pdf.objects[_number(reference)]


def _is_ref(value: Any) -> bool:
    text = value.decode() if isinstance(value, bytes) else value
    return isinstance(text, str) and text.endswith(" R")


def _reachable(pdf: Any, root: Any) -> set[int]:
    seen: set[int] = set()
    stack = [k for k in root.get("K", []) if _is_ref(k)]
    while stack:
        number = _number(stack.pop())
        if number in seen:
            continue
        seen.add(number)
        element = pdf.objects[number]
        if isinstance(element, dict) and element.get("Type") == "/StructElem":
            stack.extend(k for k in element.get("K", []) if _is_ref(k))
    return seen


def _scope_headers(pdf: Any, reachable: set[int]) -> None:
    import pydyf

    for number in reachable:
        element = pdf.objects[number]
        if not isinstance(element, dict) or element.get("S") != "/TH":
            continue
        row = _get(pdf, element["P"])
        group = _get(pdf, row["P"]) if "P" in row else {}
        scope = "/Column" if group.get("S") == "/THead" else "/Row"
        attributes = element.get("A")
        if attributes is None:
            attributes = element["A"] = pydyf.Dictionary({"O": "/Table"})
        attributes["Scope"] = scope


def _artifact_orphans(pdf: Any, root: Any, reachable: set[int]) -> None:
    """Content marked for a structure element that the tree never reaches: an artifact."""
    import pydyf

    orphan_mcids: dict[int, set[int]] = {}  # page object number -> MCIDs
    for number, element in enumerate(pdf.objects):
        if (number in reachable or not isinstance(element, dict)
                or element.get("Type") != "/StructElem" or "Pg" not in element):
            continue
        mcids = {k for k in element.get("K", []) if isinstance(k, int)}
        if mcids:
            orphan_mcids.setdefault(_number(element["Pg"]), set()).update(mcids)
    if not orphan_mcids:
        return
    parent_tree = _get(pdf, root["ParentTree"])
    nums = parent_tree["Nums"]
    for page_index, page_ref in enumerate(pdf.page_references):
        found = orphan_mcids.get(_number(page_ref))
        if not found:
            continue
        mcids = found
        page = _get(pdf, page_ref)
        stream = _get(pdf, page["Contents"]).stream
        for index, item in enumerate(stream):
            if (isinstance(item, dict) and item.get("MCID") in mcids
                    and index + 1 < len(stream) and stream[index + 1] == b"BDC"):
                stream[index - 1] = "/Artifact"
                stream[index] = pydyf.Dictionary({"Type": "/Pagination"})
        mapping = nums[nums.index(page_index) + 1] if page_index in nums[::2] else None
        if mapping is not None:
            for mcid in mcids:
                if mcid < len(mapping):
                    mapping[mcid] = "null"


def _claim_ua(pdf: Any) -> None:
    metadata = _get(pdf, pdf.catalog["Metadata"])
    content = b"".join(part if isinstance(part, bytes) else str(part).encode()
                       for part in metadata.stream)
    if b"pdfuaid:part" in content:
        return
    closing = b"</rdf:RDF>"
    position = content.rfind(closing)
    if position < 0:
        return
    metadata.stream = [_as_pyhanko_writes_it(
        content[:position] + _EXTENSION.encode() + content[position:])]


def _as_pyhanko_writes_it(xmp: bytes) -> bytes:
    """The XMP packet as pyHanko re-serialises it, which it does on every signature and
    validation-data update.

    pyHanko's serialisation reaches a fixed point on its second pass (the first moves the
    extension schema's namespace declarations); writing that form now keeps the XMP of the
    signed revision and of every later update the same, as `verify` requires.
    """
    from pyhanko.pdf_utils.metadata import xmp_xml

    for _ in range(2):
        out = io.BytesIO()
        xmp_xml.serialise_xmp(xmp_xml.parse_xmp(io.BytesIO(xmp)), out)
        xmp = out.getvalue()
    return xmp
