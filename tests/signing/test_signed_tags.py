"""Signing (an incremental update) keeps the tags, the language, the title, the bookmarks
and the PDF/A-3a and PDF/UA-1 claims."""

from __future__ import annotations

from tests.report.pdf_reading import outline_titles, structure, xmp_parts
from tests.signing.test_sign_and_verify import sign


def test_the_signed_attestation_keeps_its_tags(service, complete_audit, certificate, tmp_path):
    from app.report.pdf import render_attestation

    unsigned = render_attestation(service.attestation(complete_audit)).pdf
    output = tmp_path / "signed.pdf"
    sign(service, complete_audit, certificate, output)
    signed = output.read_bytes()
    before, after = structure(unsigned), structure(signed)
    assert after["marked"] and after["display_title"] and after["lang"] == "en"
    # the signed rendering prints the signatory, so counts may differ; the kinds may not
    assert set(after["tags"]) == set(before["tags"]) and after["headings"] == before["headings"]
    assert set(after["scopes"]) == {"/Column", "/Row"}
    assert {"H1", "H2", "Table", "TH", "TD"} <= set(after["tags"])
    assert outline_titles(signed) == outline_titles(unsigned) and outline_titles(signed)
    claims = xmp_parts(signed)
    assert claims["pdfaid:part"] == "3" and claims["pdfaid:conformance"] == "A"
    assert claims["pdfuaid:part"] == "1"
