"""The public transparency report is tied to the attestation it derives from: it carries the
attestation's manifest SHA-256 and the signed attestation's SHA-256, and is sealed with the
attesting official's signature at signing; `verify` says which attestation it derives from
and whether it is intact."""

from __future__ import annotations

import hashlib
import json
import shutil
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from app.audit import AuditService, verify_public_report
from app.checklist import load_checklist
from app.cli import main
from app.report.signing import Pkcs12Key
from app.store import open_store
from tests.conftest import SAMPLE
from tests.signing.conftest import COMPLETE_SAMPLE_ANSWERS, PASSPHRASE


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def signed_once(pki, certificate, tmp_path_factory):
    """A complete sample audit signed once for the module (a signature and a sealed report
    take seconds): its SQLite database, its signed attestation and its public report as
    exported. Tests work on copies (`signed`)."""
    folder = tmp_path_factory.mktemp("public-report")
    home = folder / "home"
    (home / "trust").mkdir(parents=True)
    shutil.copy(pki.root_pem, home / "trust" / "office-root.pem")
    database = folder / "audit.sqlite3"
    attestation, public = folder / "attestation.pdf", folder / "public.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NLETS_AUDIT_HOME", str(home))
        store = open_store(f"sqlite:///{database}")
        try:
            service = AuditService(store, actor="test-auditor")
            audit = service.create_audit(load_checklist(SAMPLE), jurisdiction="WA",
                                         period_start="2025-01-01",
                                         period_end="2025-12-31").id
            service.import_answers(audit, COMPLETE_SAMPLE_ANSWERS)
            assert service.review(audit).ready
            service.sign(audit, Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode()),
                         attestation)
            service.export(audit, public, "transparency")
        finally:
            store.close()
    assert not database.with_name(database.name + "-wal").exists(), "the database was left open"
    return database, audit, attestation, public


@pytest.fixture
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The test's SQLite database; for a test of the signed audit, a copy of the module's."""
    path = tmp_path / "audit.sqlite3"
    if "signed" in request.fixturenames:
        shutil.copy(request.getfixturevalue("signed_once")[0], path)
    return f"sqlite:///{path}"


@pytest.fixture
def signed(signed_once, db_url, tmp_path):
    """A signed audit (in the test's copy of the database), its signed attestation and its
    public report as exported (copied into the test's folder)."""
    _, audit, attestation, public = signed_once
    copies = tmp_path / "signed"
    copies.mkdir()
    shutil.copy(attestation, copies / attestation.name)
    shutil.copy(public, copies / public.name)
    return audit, copies / attestation.name, copies / public.name


def public_data(path: Path) -> dict:
    reader = PdfReader(BytesIO(path.read_bytes()))
    return json.loads(reader.attachments["transparency.json"][0])


def embedded_manifest_sha256(path: Path) -> str:
    reader = PdfReader(BytesIO(path.read_bytes()))
    return hashlib.sha256(reader.attachments["manifest.json"][0]).hexdigest()


def test_the_public_report_carries_the_signed_attestation_s_digests(service, signed):
    audit, attestation, public = signed
    data = public_data(public)
    assert data["attestation_manifest_sha256"] == embedded_manifest_sha256(attestation)
    assert data["attested"]["signed_pdf_sha256"] == hashlib.sha256(
        attestation.read_bytes()).hexdigest()
    text = "".join("".join((p.extract_text() or "") for p in PdfReader(public).pages).split())
    assert data["attested"]["signed_pdf_sha256"] in text


def test_the_public_report_is_sealed_by_the_attesting_official(service, signed, certificate):
    from pyhanko.pdf_utils.reader import PdfFileReader

    audit, attestation, public = signed
    signatures = PdfFileReader(BytesIO(public.read_bytes()), strict=False).embedded_signatures
    assert len(signatures) == 1
    check = verify_public_report(public, [certificate.ca_certificate])
    assert check.valid, check.problems
    assert check.audit_id == audit
    assert check.attestation_manifest_sha256 == embedded_manifest_sha256(attestation)
    assert check.signature.certificate_sha256 == service.get_audit(
        audit).signer_certificate_sha256


def test_the_same_sealed_report_is_exported_every_time(service, signed, tmp_path):
    audit, _, public = signed
    again = tmp_path / "again.pdf"
    service.export(audit, again, "transparency")
    assert again.read_bytes() == public.read_bytes()


def test_verify_says_which_attestation_it_derives_from(capsys, db_url, signed, certificate):
    audit, attestation, public = signed
    code, out, err = cli(capsys, "verify", str(public), "--trust",
                         str(certificate.ca_certificate), "--attestation", str(attestation))
    assert code == 0, err
    assert f"{public}: VALID public transparency report" in out
    assert f"derives from the attestation of audit {audit}" in out
    assert embedded_manifest_sha256(attestation) in out
    assert "matches the attestation given" in out
    code, out, err = cli(capsys, "--db", db_url, "verify", str(public), "--trust",
                         str(certificate.ca_certificate))
    assert code == 0, err
    assert "database: the report recorded when audit" in out


def test_an_unsealed_look_alike_is_not_valid(capsys, service, signed, certificate, tmp_path):
    from app.report.pdf import render_transparency

    audit, _, _ = signed
    look_alike = tmp_path / "look-alike.pdf"
    look_alike.write_bytes(render_transparency(service.attestation(audit)).pdf)
    code, out, err = cli(capsys, "verify", str(look_alike), "--trust",
                         str(certificate.ca_certificate))
    assert code == 1
    assert "NOT VALID" in err and "not sealed" in err


def test_a_changed_public_report_is_not_valid(capsys, signed, certificate, tmp_path):
    _, _, public = signed
    data = bytearray(public.read_bytes())
    position = data.find(b"stream\n") + 300
    data[position] ^= 0x01
    flipped = tmp_path / "flipped.pdf"
    flipped.write_bytes(bytes(data))
    code, _, err = cli(capsys, "verify", str(flipped), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "NOT VALID" in err
    appended = tmp_path / "appended.pdf"
    appended.write_bytes(public.read_bytes() + b"\n% added later\n")
    code, _, err = cli(capsys, "verify", str(appended), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "NOT VALID" in err


def test_another_attestation_is_named_as_not_the_source(capsys, signed, certificate,
                                                       tmp_path):
    _, _, public = signed
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.7\nnot the attestation\n")
    code, _, err = cli(capsys, "verify", str(public), "--trust",
                       str(certificate.ca_certificate), "--attestation", str(other))
    assert code == 1
    assert "does not derive from the attestation given" in err


def test_a_draft_public_report_says_it_is_not_attested(service, complete_audit, certificate,
                                                       tmp_path, capsys):
    draft = tmp_path / "draft-public.pdf"
    service.export(complete_audit, draft, "transparency")
    assert public_data(draft)["attested"] is None
    code, _, err = cli(capsys, "verify", str(draft), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "not sealed" in err and "not attested" in err


def test_random_single_byte_changes_are_never_valid_and_never_a_crash(capsys, signed,
                                                                      certificate, tmp_path):
    import random

    _, _, public = signed
    original = public.read_bytes()
    chooser = random.Random(20261201)
    for index in range(20):
        data = bytearray(original)
        position = chooser.randrange(len(data))
        data[position] = (data[position] + chooser.randrange(1, 256)) % 256
        mutated = tmp_path / f"mutated-{index}.pdf"
        mutated.write_bytes(bytes(data))
        code, _, err = cli(capsys, "verify", str(mutated), "--trust",
                           str(certificate.ca_certificate))
        assert code == 1, (position, err)
        assert "Traceback" not in err and "internal error" not in err, (position, err)
