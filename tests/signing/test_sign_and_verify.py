import datetime as dt
import hashlib
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest

from app.audit import verify_attestation
from app.cli import main
from app.errors import UserFacingError
from app.report.signing import Pkcs12Key
from tests.signing.conftest import PASSPHRASE


def sign(service, audit_id, certificate, path):
    return service.sign(audit_id, Pkcs12Key(certificate.signer_pkcs12,
                                                   PASSPHRASE.encode()), path,
                      signer_title="Chief Information Officer")


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_sign_then_verify(capsys, db_url, service, complete_audit, certificate, passphrase_file,
                          tmp_path):
    output = tmp_path / "attestation.pdf"
    code, out, err = cli(capsys, "--db", db_url, "sign", complete_audit[:8], "-o", str(output),
                         "--pkcs12", str(certificate.signer_pkcs12), "--passphrase-file",
                         str(passphrase_file), "--title", "CIO", "--yes")
    assert code == 0, err
    assert "I, the undersigned" in err and "legal weight" in err
    assert "signed by Jane Roe" in out
    audit = service.get_audit(complete_audit)
    assert audit.status == "signed" and audit.signed_by.startswith("Jane Roe")
    assert audit.signed_pdf_sha256 == hashlib.sha256(output.read_bytes()).hexdigest()
    assert audit.signer_certificate_sha256
    code, out, err = cli(capsys, "--db", db_url, "verify", str(output), "--trust",
                         str(certificate.ca_certificate))
    assert code == 0, err
    assert f"{output}: VALID" in out
    assert "matches the hash printed on the page" in out
    assert "database: matches audit" in out
    assert service.verify_history(complete_audit).ok


def test_signed_audit_is_read_only_everywhere(service, complete_audit, certificate, tmp_path,
                                              capsys, db_url):
    sign(service, complete_audit, certificate, tmp_path / "a.pdf")
    with pytest.raises(UserFacingError, match="signed and read-only"):
        service.set_answer(complete_audit, "connected", "no")
    code, _, err = cli(capsys, "--db", db_url, "answer", complete_audit, "connected", "no")
    assert code == 2 and "signed and read-only" in err
    with pytest.raises(UserFacingError, match="already signed"):
        sign(service, complete_audit, certificate, tmp_path / "b.pdf")


def test_untrusted_chain_is_reported(service, complete_audit, certificate, tmp_path,
                                     private_home):
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)
    (private_home / "trust" / "office-root.pem").unlink()  # an office that trusts no root
    result = verify_attestation(output, [])
    assert not result.valid
    assert result.signature.intact and result.signature.cryptographically_valid
    assert not result.signature.trusted
    assert any("trusted root" in p for p in result.signature.problems)


def test_flipped_byte_is_not_valid(capsys, service, complete_audit, certificate, tmp_path):
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)
    data = bytearray(output.read_bytes())
    position = data.find(b"stream\n") + 200
    data[position] ^= 0x01
    tampered = tmp_path / "tampered.pdf"
    tampered.write_bytes(bytes(data))
    code, _, err = cli(capsys, "verify", str(tampered), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "NOT VALID" in err and "intact (signed bytes unchanged): NO" in err


def _append_update(source, target, change):
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(source.read_bytes()), strict=False)
    change(writer)
    out = BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())


def test_update_that_draws_text_is_not_valid(capsys, service, complete_audit, certificate,
                                             tmp_path):
    from pyhanko.pdf_utils import generic

    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)

    def draw(writer):
        font = generic.DictionaryObject({
            generic.NameObject("/Type"): generic.NameObject("/Font"),
            generic.NameObject("/Subtype"): generic.NameObject("/Type1"),
            generic.NameObject("/BaseFont"): generic.NameObject("/Helvetica")})
        resources = generic.DictionaryObject({generic.NameObject("/Font"):
                                              generic.DictionaryObject({
                                                  generic.NameObject("/FX"): font})})
        stream = generic.StreamObject(
            stream_data=b"BT /FX 24 Tf 100 700 Td (ICE NOT BLOCKED) Tj ET")
        writer.add_stream_to_page(0, writer.add_object(stream), resources=resources)

    appended = tmp_path / "appended.pdf"
    _append_update(output, appended, draw)
    code, _, err = cli(capsys, "verify", str(appended), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "content was changed after signing" in err


def test_swapped_manifest_is_not_valid(capsys, service, complete_audit, certificate, tmp_path):
    from pyhanko.pdf_utils import generic

    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)

    def swap(writer):
        names = writer.root["/Names"]["/EmbeddedFiles"]["/Names"]
        spec = names[1].get_object()
        stream = generic.StreamObject({generic.NameObject("/Type"):
                                       generic.NameObject("/EmbeddedFile")},
                                      stream_data=b'{"audit": {"id": "forged"}}')
        ef = generic.DictionaryObject({generic.NameObject("/F"): writer.add_object(stream)})
        spec[generic.NameObject("/EF")] = ef
        writer.update_container(spec)

    swapped = tmp_path / "swapped.pdf"
    _append_update(output, swapped, swap)
    code, _, err = cli(capsys, "verify", str(swapped), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "NOT VALID" in err


def test_wrong_passphrase_exits_2_and_writes_nothing(capsys, db_url, service, complete_audit,
                                                      certificate, tmp_path):
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    output = tmp_path / "attestation.pdf"
    code, out, err = cli(capsys, "--db", db_url, "sign", complete_audit, "-o", str(output),
                         "--pkcs12", str(certificate.signer_pkcs12), "--passphrase-file",
                         str(wrong), "--yes")
    assert code == 2
    assert "the passphrase does not open" in err and "not it" not in err + out
    assert not output.exists() and list(tmp_path.glob(".attestation.pdf.*")) == []
    assert service.get_audit(complete_audit).status == "draft"


def test_signing_is_refused_while_gaps_remain(capsys, db_url, service, audit_id, certificate,
                                              passphrase_file, tmp_path):
    service.set_answer(audit_id, "connected", "no")
    output = tmp_path / "a.pdf"
    code, _, err = cli(capsys, "--db", db_url, "sign", audit_id, "-o", str(output), "--pkcs12",
                       str(certificate.signer_pkcs12), "--passphrase-file",
                       str(passphrase_file), "--yes")
    assert code == 2 and "cannot be signed yet" in err
    assert "unanswered: Basics › “Is a reason code required?” (reason_required)" in err
    assert not output.exists()


def test_verify_unreadable_files_exit_2(capsys, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_bytes(b"not a pdf")
    assert cli(capsys, "verify", str(junk))[0] == 2
    assert cli(capsys, "verify", str(tmp_path / "missing.pdf"))[0] == 2


def test_verify_an_unsigned_pdf_exits_1(capsys, db_url, complete_audit, tmp_path):
    draft = tmp_path / "draft.pdf"
    assert cli(capsys, "--db", db_url, "export", complete_audit, "-o", str(draft))[0] == 0
    code, _, err = cli(capsys, "verify", str(draft))
    assert code == 1 and "carries no signature" in err


@pytest.mark.parametrize("tool", ["pdfsig", "qpdf"])
def test_independent_tools_agree(service, complete_audit, certificate, tmp_path, tool):
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (Debian: poppler-utils / qpdf)")
    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)
    if tool == "pdfsig":
        result = subprocess.run(["pdfsig", str(output)], capture_output=True, text=True,
                                check=False)
        assert "Signature Validation: Signature is Valid." in result.stdout, result.stdout
    else:
        result = subprocess.run(["qpdf", "--check", str(output)], capture_output=True,
                                text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
        assert "No syntax or stream encoding errors found" in result.stdout


def test_test_certificate_command(capsys, tmp_path, passphrase_file):
    code, out, _ = cli(capsys, "test-certificate", "--out", str(tmp_path / "ca"), "--name",
                       "Sam Poe", "--passphrase-file", str(passphrase_file))
    assert code == 0 and "NOT FOR REAL ATTESTATIONS" in out
    assert (tmp_path / "ca" / "test-signer.p12").stat().st_mode & 0o777 == 0o600


def test_signed_attestation_stays_pdfa(service, complete_audit, certificate, tmp_path):
    from tests.report.pdf_reading import fonts, info, reader, xmp_pdfa

    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)
    data = output.read_bytes()
    assert xmp_pdfa(data) == {"part": "3", "conformance": "A"}
    embedded = fonts(data)
    assert embedded and all(embedded.values()), embedded  # the stamp font too
    xmp = reader(data).xmp_metadata
    assert info(data).get("/Producer") == xmp.pdf_producer


def test_unlocking_a_signed_audit_behind_the_tools_back_is_detected(
        capsys, db_url, service, complete_audit, certificate, tmp_path):
    import sqlite3

    output = tmp_path / "a.pdf"
    sign(service, complete_audit, certificate, output)
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE audit SET status='draft'")
    service.set_answer(complete_audit, "reason_required", "never")
    assert any("changes were recorded after the audit was signed" in p
               for p in service.verify_history(complete_audit).problems)
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE audit SET status='signed'")
    code, _, err = cli(capsys, "--db", db_url, "verify", str(output), "--trust",
                       str(certificate.ca_certificate))
    assert code == 1 and "database problem: history" in err


def test_signing_is_refused_when_the_database_was_tampered_with(
        service, complete_audit, certificate, db_url, tmp_path):
    import sqlite3

    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE answer SET value_json='\"never\"' "
                           "WHERE question_id='reason_required'")
    output = tmp_path / "a.pdf"
    with pytest.raises(UserFacingError, match="does not match its history"):
        sign(service, complete_audit, certificate, output)
    assert not output.exists()


def test_sign_audit_refuses_unconfirmed_carried_answers(service, sample, complete_audit,
                                                        certificate, tmp_path):
    sign(service, complete_audit, certificate, tmp_path / "last-year.pdf")
    this_year = service.create_audit(sample, jurisdiction="WA", period_start="2026-01-01",
                                     period_end="2026-12-31", based_on=complete_audit).id
    output = tmp_path / "this-year.pdf"
    with pytest.raises(UserFacingError, match="carried forward, not confirmed: Basics › "
                                              "“Is the state connected to the network"):
        sign(service, this_year, certificate, output)
    assert not output.exists()
    view = service.view(this_year)
    service.confirm(this_year, list(view.evaluation.unconfirmed))
    sign(service, this_year, certificate, output)
    assert service.get_audit(this_year).status == "signed"


def test_exports_of_a_signed_audit_are_what_was_signed(capsys, db_url, service, complete_audit,
                                                       certificate, tmp_path):
    output = tmp_path / "signed.pdf"
    sign(service, complete_audit, certificate, output)
    copy, manifest = tmp_path / "copy.pdf", tmp_path / "manifest.json"
    assert cli(capsys, "--db", db_url, "export", complete_audit, "-o", str(copy))[0] == 0
    assert copy.read_bytes() == output.read_bytes()
    assert cli(capsys, "--db", db_url, "export", complete_audit, "-o", str(manifest),
               "--format", "json")[0] == 0
    check = verify_attestation(output, [certificate.ca_certificate], service)
    assert manifest.read_bytes() == check.signature.manifest


def test_export_never_replaces_links_or_devices_and_keeps_permissions(
        capsys, db_url, complete_audit, tmp_path):
    import os

    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "elsewhere.json")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    for target in (link, fifo):
        code, _, err = cli(capsys, "--db", db_url, "export", complete_audit, "-o", str(target),
                           "--format", "json")
        assert code == 2 and "not a regular file" in err
    assert link.is_symlink() and not (tmp_path / "elsewhere.json").exists()
    private = tmp_path / "private.json"
    old = os.umask(0o077)
    try:
        assert cli(capsys, "--db", db_url, "export", complete_audit, "-o", str(private),
                   "--format", "json")[0] == 0
    finally:
        os.umask(old)
    assert private.stat().st_mode & 0o777 == 0o600


def test_the_key_must_be_the_named_officials(service, certificate, tmp_path):
    """The flagship names the attesting official; a key of someone else is refused."""
    import yaml
    from pypdf import PdfReader

    from app.audit import same_person
    from app.checklist import load_checklist

    root = Path(__file__).resolve().parents[2]
    flagship = load_checklist(root / "checklists" / "nlets-dmv-data-sharing.yaml")
    audit = service.create_audit(flagship, jurisdiction="CO", period_start="2025-01-01",
                                 period_end="2025-12-31").id
    compliant = root / "tests" / "fixtures" / "flagship-compliant.yaml"
    answers = yaml.safe_load(compliant.read_text(encoding="utf-8"))
    answers["attestation_date"] = dt.date.today().isoformat()
    service.import_answers(audit, answers)
    assert service.review(audit).ready
    output = tmp_path / "signed.pdf"
    with pytest.raises(UserFacingError, match="names 'Jordan Example' as the attesting "
                                              "official"):
        service.sign(audit, Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode()), output)
    assert not output.exists() and service.get_audit(audit).status == "draft"

    service.import_answers(audit, {
        "attesting_official_name": "Roe, Jane",
        "attestation_statement": "qualified",
        "attestation_exceptions": "The contractor's\nportal logs,\nnot yet received."})
    statement = " ".join(service.attestation_statement(audit).paragraphs())
    assert "Except for the matters I set out in this statement" in statement
    assert ("The matters I except from this attestation, and why: The contractor's portal "
            "logs, not yet received.") in statement
    service.sign(audit, Pkcs12Key(certificate.signer_pkcs12, PASSPHRASE.encode()), output)
    text = " ".join(" ".join((page.extract_text() or "")
                             for page in PdfReader(output).pages).split())
    assert "The matters I except from this attestation, and why: The contractor" in text
    assert same_person("José Ñúñez-O'Brien", "Nunez-O Brien, Jose (TEST ONLY)")
    assert not same_person("Jordan Example", "Jane Roe")
