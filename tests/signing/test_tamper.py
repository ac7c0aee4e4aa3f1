"""One answer to "is it valid": every kind of change after signing is exit 1 with its reason,
never 0 and never 3; the signer must be the official the manifest names; the database must
equal the signed manifest."""

from __future__ import annotations

import random
import sqlite3
from io import BytesIO
from pathlib import Path

import pytest

from app.audit.history import GENESIS, event_hash
from app.cli import main
from app.report.signing import Pkcs12Key
from app.store.tables import HistoryEventRow
from tests.signing.conftest import PASSPHRASE, SignedFlagship
from tests.signing.pki import TestPKI

ROOT = Path(__file__).resolve().parents[2]
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
COMPLIANT = ROOT / "tests" / "fixtures" / "flagship-compliant.yaml"


def cli(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def signed(signed_flagship: SignedFlagship, tmp_path: Path):
    """The session's signed flagship audit, its file and database copied into this test's
    folder: the signed file, the unsigned final rendering, and the database URL."""
    folder = tmp_path / "signed"
    folder.mkdir()
    output = folder / "signed.pdf"
    output.write_bytes(signed_flagship.pdf)
    database = folder / "audit.sqlite3"
    database.write_bytes(signed_flagship.database)
    return {"pdf": output, "rendering": signed_flagship.rendering,
            "url": f"sqlite:///{database}", "audit": signed_flagship.audit, "folder": folder}


def verify(capsys, pki, path, *extra):
    return cli(capsys, *extra, "verify", str(path), "--trust", str(pki.root_pem), "--offline")


def test_the_signed_file_is_valid_and_names_its_official(capsys, pki, signed):
    code, out, err = verify(capsys, pki, signed["pdf"], "--db", signed["url"])
    assert code == 0, err
    assert "attesting official named in the manifest: Jordan Example" in out
    assert "signature Attestation: Jordan Example" in out and "database: matches audit" in out


def _update(source: Path, target: Path, change) -> Path:
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(source.read_bytes()), strict=False)
    change(writer)
    out = BytesIO()
    writer.write(out)
    target.write_bytes(out.getvalue())
    return target


def _retitle(writer) -> None:
    from pyhanko.pdf_utils import generic

    info = writer.trailer["/Info"].get_object()
    info[generic.NameObject("/Title")] = generic.TextStringObject("WITHDRAWN — do not rely")
    writer.update_container(info)


def _drop_pdfa(writer) -> None:
    from pyhanko.pdf_utils import generic

    metadata = writer.root["/Metadata"].get_object()
    xmp = metadata.data.replace(b'pdfaid:part="3"', b"").replace(b'pdfaid:conformance="B"',
                                                                 b"")
    stream = generic.StreamObject({generic.NameObject("/Type"): generic.NameObject("/Metadata"),
                                   generic.NameObject("/Subtype"): generic.NameObject("/XML")},
                                  stream_data=xmp)
    writer.root[generic.NameObject("/Metadata")] = writer.add_object(stream)
    writer.update_root()


def _approve(pki: TestPKI, name: str):
    def change_and_sign(source: Path, target: Path) -> Path:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import signers

        other = pki.issue(name)
        signer = signers.SimpleSigner.load_pkcs12(str(other.pkcs12),
                                                  passphrase=PASSPHRASE.encode())
        out = BytesIO()
        with pytest.MonkeyPatch.context() as patch:
            # pyHanko itself refuses to sign after a no-changes certification; a forger
            # need not use pyHanko.
            patch.setattr("pyhanko.sign.validation.read_certification_data", lambda r: None)
            signers.PdfSigner(signers.PdfSignatureMetadata(field_name="Countersignature"),
                              signer).sign_pdf(
                IncrementalPdfFileWriter(BytesIO(source.read_bytes()), strict=False),
                output=out)
        target.write_bytes(out.getvalue())
        return target
    return change_and_sign


def _flip_manifest(source: Path, target: Path) -> Path:
    data = bytearray(source.read_bytes())
    at = data.index(b"/EmbeddedFile")
    at = data.index(b"stream", at) + 40
    data[at] ^= 0x01
    target.write_bytes(bytes(data))
    return target


TAMPERS = {
    "title changed": (lambda pki, s, t: _update(s, t, _retitle),
                      "document information Title was changed after signing"),
    "PDF/A claim removed": (lambda pki, s, t: _update(s, t, _drop_pdfa),
                            "the PDF/A claim was removed"),
    "bytes appended": (lambda pki, s, t: t.write_bytes(s.read_bytes() + b"\nappended\n") and t,
                       "bytes were added after the end of the last revision"),
    "second signature": (lambda pki, s, t: _approve(pki, "Mallory Other")(s, t),
                         "another signature, by Mallory Other, was added"),
    "manifest flipped": (lambda pki, s, t: _flip_manifest(s, t),
                         "the signed bytes were changed"),
}


@pytest.mark.parametrize("kind", list(TAMPERS))
def test_each_tamper_kind_is_exit_1_with_its_reason(capsys, pki, signed, tmp_path, kind):
    make, reason = TAMPERS[kind]
    tampered = make(pki, signed["pdf"], tmp_path / "tampered.pdf")
    code, out, err = verify(capsys, pki, tampered)
    assert code == 1, out + err
    assert "NOT VALID" in err and reason in err, err
    if kind == "second signature":
        assert "signature Countersignature: Mallory Other" in err


def test_another_trusted_person_certifying_the_same_rendering(capsys, pki, signed, tmp_path):
    from app.audit.trust import office_trust
    from app.report.signing import sign_pdf

    mallory = pki.issue("Mallory Other")
    rendering = signed["rendering"]
    forged = sign_pdf(rendering.pdf, Pkcs12Key(mallory.pkcs12, PASSPHRASE.encode()),
                      box=rendering.signature_box, trust=office_trust([pki.root_pem]))
    path = tmp_path / "forged.pdf"
    path.write_bytes(forged.pdf)
    code, _, err = verify(capsys, pki, path)
    assert code == 1
    assert "signed by Mallory Other, but the attestation names Jordan Example" in err


def test_a_trusted_signature_without_a_manifest_is_not_an_attestation(capsys, pki, tmp_path):
    from pypdf import PdfWriter

    from app.audit.trust import office_trust
    from app.report.signing import sign_pdf

    blank = BytesIO()
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.write(blank)
    someone = pki.issue("Jordan Example")
    signed = sign_pdf(blank.getvalue(), Pkcs12Key(someone.pkcs12, PASSPHRASE.encode()),
                      trust=office_trust([pki.root_pem]))
    path = tmp_path / "plain.pdf"
    path.write_bytes(signed.pdf)
    code, _, err = verify(capsys, pki, path)
    assert code == 1 and "carries no nlets-audit manifest" in err


def test_100_random_single_byte_mutations_are_all_exit_1(capsys, pki, signed, tmp_path):
    data = signed["pdf"].read_bytes()
    chance = random.Random(20261201)
    codes: dict[int, list[int]] = {}
    path = tmp_path / "mutated.pdf"
    for _ in range(100):
        position = chance.randrange(len(data))
        mutated = bytearray(data)
        mutated[position] = (mutated[position] + chance.randrange(1, 256)) % 256
        path.write_bytes(bytes(mutated))
        code, _, _ = verify(capsys, pki, path)
        codes.setdefault(code, []).append(position)
    assert set(codes) == {1}, {code: positions[:10] for code, positions in codes.items()}


def rehash_chain(db_path: str, audit_id: str) -> None:
    """What an insider with write access can do: rewrite an event and re-hash the chain."""
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute(
            "SELECT id, audit_id, seq, at, actor, kind, question_id, old_json, new_json, "
            "reason FROM history_event WHERE audit_id=? ORDER BY seq", (audit_id,)).fetchall()
        previous = GENESIS
        for row in rows:
            event = HistoryEventRow(id=row[0], audit_id=row[1], seq=row[2], at=row[3],
                                    actor=row[4], kind=row[5], question_id=row[6],
                                    old_json=row[7], new_json=row[8], reason=row[9],
                                    prev_hash=previous, hash="")
            digest = event_hash(event)
            connection.execute("UPDATE history_event SET prev_hash=?, hash=? WHERE id=?",
                               (previous, digest, row[0]))
            previous = digest
        connection.execute("UPDATE audit SET history_head=? WHERE id=?", (previous, audit_id))


def test_a_database_rewrite_with_a_rehashed_chain_is_named(capsys, pki, signed, tmp_path):
    import shutil

    db = tmp_path / "copy.sqlite3"
    shutil.copy(signed["url"].removeprefix("sqlite:///"), db)
    url = f"sqlite:///{db}"
    question = "ice_blocked"
    with sqlite3.connect(db) as connection:
        found = connection.execute("SELECT question_id, value_json FROM answer WHERE "
                                   "audit_id=? AND value_json IS NOT NULL LIMIT 1",
                                   (signed["audit"],)).fetchone()
        question = found[0]
        connection.execute("UPDATE answer SET value_json=? WHERE audit_id=? AND "
                           "question_id=?", ('"rewritten"', signed["audit"], question))
        for event_id, new_json in connection.execute(
                "SELECT id, new_json FROM history_event WHERE audit_id=? AND question_id=?",
                (signed["audit"], question)).fetchall():
            import json

            snapshot = json.loads(new_json) if new_json else None
            if isinstance(snapshot, dict) and "value" in snapshot:
                snapshot["value"] = "rewritten"
                connection.execute("UPDATE history_event SET new_json=? WHERE id=?",
                                   (json.dumps(snapshot, sort_keys=True,
                                               separators=(",", ":"), ensure_ascii=False),
                                    event_id))
    rehash_chain(str(db), signed["audit"])
    code, out, err = cli(capsys, "--db", url, "history", "verify", signed["audit"])
    assert code == 0, err  # the rewrite is consistent in itself: only the anchor shows it
    code, _, err = verify(capsys, pki, signed["pdf"], "--db", url)
    assert code == 1
    assert f"the answer to {question!r}: its value is \"rewritten\" in the database" in err
    assert "the history was rewritten" in err


def test_a_draft_rewrite_between_two_exports_is_caught(capsys, db_url, service, complete_audit,
                                                       tmp_path):
    code, out, _ = cli(capsys, "--db", db_url, "export", complete_audit, "-o",
                       str(tmp_path / "draft.json"), "--format", "json")
    assert code == 0 and "history head " in out
    head = out.split("history head ")[1].split()[0].rstrip(";,.")
    code, out, err = cli(capsys, "--db", db_url, "history", "verify", complete_audit,
                         "--head", head)
    assert code == 0, err
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as connection:
        connection.execute("UPDATE history_event SET actor='someone else' WHERE seq=2")
    rehash_chain(db_url.removeprefix("sqlite:///"), complete_audit)
    code, _, err = cli(capsys, "--db", db_url, "history", "verify", complete_audit, "--head",
                       head)
    assert code == 1 and f"the head {head[:12]} recorded earlier is not in this history" in err


def _pdf_with_an_object_stream(objects: int) -> bytes:
    import pydyf

    pdf = pydyf.PDF()
    for number in range(objects):
        pdf.add_object(pydyf.Dictionary({"Index": number}))
    output = BytesIO()
    pdf.write(output, compress=True)
    return output.getvalue()


@pytest.mark.parametrize(("objects", "refused"), [(100, False), (1_500, True)])
def test_a_file_whose_object_streams_would_take_minutes_is_refused_at_once(
        capsys, pki, tmp_path, objects, refused):
    path = tmp_path / "streams.pdf"
    path.write_bytes(_pdf_with_an_object_stream(objects))
    code, _, err = verify(capsys, pki, path)
    assert code == 1
    assert ("objects in object streams" in err) is refused, err
    if not refused:
        assert "carries no signature" in err
