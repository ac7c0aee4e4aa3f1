"""Is this signed attestation valid? One answer, decided here.

VALID only when the document is unchanged since signing (apart from validation data and
document timestamps, which are named), carries this tool's manifest whose SHA-256 is the one
printed on its pages, the signature and its chain are valid with revocation checked (at the
time a timestamp proves, else now), and the signer is the official the manifest names.
Given the database, every stored answer, note, reason, evidence hash and finding must equal
the signed manifest, and the stored history must recompute to the signed head: the signed
manifest is the anchor that someone with write access to the database cannot forge.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.audit.attest import same_person
from app.errors import CheckFailed, UserFacingError
from app.inputs import InputKind, read_input
from app.records import AuditStatus, EventKind
from app.report.manifest import PUBLIC_FORMAT

if TYPE_CHECKING:
    from app.audit.service import AuditService
    from app.report.verification import SignatureCheck

MANIFEST_FORMAT = "nlets-audit/manifest"
ANSWER_FIELDS = ("state", "value", "note", "na_reason", "updated_by", "updated_at")
FINDING_FIELDS = ("severity", "title", "detail", "recommendation", "citations", "questions",
                  "concerns")


@dataclass(frozen=True)
class AttestationCheck:
    """Verifying a signed attestation, and comparing it with the database when given."""

    signature: SignatureCheck
    printed_hash_matches: bool | None
    audit_id: str | None
    official: str | None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    database_problems: list[str] = field(default_factory=list)
    database_notes: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        """True only when the signature, the manifest, the signer and the database agree."""
        return self.signature.valid and not self.problems and not self.database_problems

    @property
    def reasons(self) -> list[str]:
        """Every reason the attestation is not valid, in words."""
        return [*self.signature.problems, *self.problems,
                *(f"database: {p}" for p in self.database_problems)]


def parse_moment(text: str | None) -> dt.datetime | None:
    """An ISO date or date-time for `--at` (UTC when no zone is given)."""
    if text is None:
        return None
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise UserFacingError(f"--at {text!r} is not a date or time; use ISO form, e.g. "
                              "2031-06-30 or 2031-06-30T12:00:00Z") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def verify_attestation(path: Path, trust: list[Path], service: AuditService | None = None,
                       *, at: str | None = None, online: bool = True) -> AttestationCheck:
    """Check a signed attestation file; with `service`, compare it with the stored audit."""
    from app.audit.trust import office_trust
    from app.report.verification import verify_signed_pdf

    moment = parse_moment(at)
    data = read_input(path, InputKind.PDF)
    check = verify_signed_pdf(data, office_trust(trust), at=moment, online=online)
    problems: list[str] = []
    notes: list[str] = []
    manifest = _manifest(check, problems)
    audit_id = _text(manifest, "audit", "id")
    # Reading every page's text is slow; a file already NOT VALID needs no more reasons.
    printed = _hash_printed(data, check.manifest_sha256) if check.valid else None
    if manifest is not None and check.valid and printed is not True:
        problems.append("the manifest's SHA-256 is not the one printed on the pages")
    official = _official(manifest, check, problems, notes)
    db_problems: list[str] = []
    db_notes: list[str] = []
    if service is not None and manifest is not None and audit_id:
        db_problems, db_notes = _compare_with_database(service, audit_id, data, check,
                                                       manifest)
    return AttestationCheck(check, printed, audit_id, official, problems, notes, db_problems,
                            db_notes)


def _manifest(check: SignatureCheck, problems: list[str]) -> dict[str, Any] | None:
    if check.manifest is None:
        problems.append("the signed revision carries no nlets-audit manifest: this is not an "
                        "attestation made by this tool")
        return None
    try:
        data = json.loads(check.manifest)
    except (ValueError, UnicodeDecodeError):
        problems.append("the embedded manifest is damaged (not JSON)")
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        problems.append("the embedded file is not an nlets-audit manifest")
        return None
    return data


def _official(manifest: dict[str, Any] | None, check: SignatureCheck, problems: list[str],
              notes: list[str]) -> str | None:
    """The official the manifest names; a problem when the signer is someone else."""
    if manifest is None:
        return None
    if "attesting_official" not in manifest:
        problems.append("the manifest does not say who the attesting official is, so the "
                        "signer cannot be checked against it")
        return None
    named = manifest["attesting_official"]
    if named is None:
        notes.append("the checklist names no attesting-official question; the signer was "
                      "not compared with a name in the audit")
        return None
    name = named.get("name") if isinstance(named, dict) else None
    if not isinstance(name, str) or not name.strip():
        problems.append("the manifest names no attesting official (the answer is empty)")
        return None
    if not same_person(name, check.signer):
        problems.append(f"signed by {check.signer}, but the attestation names {name} as the "
                        "attesting official")
    return name


def _text(data: dict[str, Any] | None, *keys: str) -> str | None:
    value: Any = data
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _hash_printed(data: bytes, digest: str | None) -> bool | None:
    from pypdf import PdfReader

    if digest is None:
        return None
    try:
        # The cover page prints it: reading on from there only when it is missing.
        for page in PdfReader(BytesIO(data)).pages:
            if digest in "".join((page.extract_text() or "").split()):
                return True
    except Exception:  # noqa: BLE001 - unreadable text: the hash cannot be found
        return False
    return False


def _compare_with_database(service: AuditService, audit_id: str, data: bytes,
                           check: SignatureCheck, signed: dict[str, Any],
                           ) -> tuple[list[str], list[str]]:
    from app.report.manifest import encode_manifest

    try:
        audit = service.get_audit(audit_id)
    except UserFacingError:
        return [], [f"audit {audit_id[:12]} is not in this database; the manifest was not "
                    "compared with stored data"]
    if audit.status != AuditStatus.SIGNED:
        return [f"the database holds audit {audit_id[:12]} as a {audit.status}, not as "
                "signed with this document"], []
    problems = []
    try:
        stored = service.signed_pdf(audit_id)
    except UserFacingError as exc:
        stored = b""
        problems.append(str(exc))
    if stored and hashlib.sha256(stored).hexdigest() != audit.signed_pdf_sha256:
        problems.append("the signed PDF stored in the database does not match its SHA-256")
    elif stored and not data.startswith(stored):
        problems.append("this file is not the signed PDF the database recorded "
                        f"(SHA-256 {audit.signed_pdf_sha256}), nor that file with later "
                        "updates appended")
    signing = next((e for e in service.history(audit_id) if e.kind == EventKind.AUDIT_SIGNED),
                   None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    if recorded.get("manifest_sha256") != check.manifest_sha256:
        problems.append("the embedded manifest is not the one recorded when the audit was "
                        "signed")
    try:
        rebuilt = encode_manifest(service.attestation(audit_id)).data
    except UserFacingError as exc:
        rebuilt = {}
        problems.append(f"the stored audit cannot be read: {exc}")
    problems += manifest_differences(signed, rebuilt)
    recorded_history = signed.get("history")
    history: dict[str, Any] = recorded_history if isinstance(recorded_history, dict) else {}
    head, length = history.get("head"), history.get("length")
    if not isinstance(head, str) or not isinstance(length, int):
        problems.append("the signed manifest records no history head and length")
        head, length = None, None
    report = service.verify_history(audit_id, head=head, length=length)
    problems += [f"history: {p}" for p in report.problems]
    notes = [] if problems else [
        f"matches audit {audit_id[:12]} in the database: every answer, note, reason, evidence "
        f"hash and finding equals the signed manifest; the history recomputes to the signed "
        f"head {str(head)[:12]} at event {length} and {report.events} events are intact"]
    return problems, notes


def manifest_differences(signed: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    """Each way the manifest rebuilt from the database differs from the signed one."""
    problems = []
    for section in ("audit", "checklist", "history", "attesting_official", "evaluation"):
        one, other = signed.get(section), stored.get(section)
        if isinstance(one, dict) and isinstance(other, dict):
            problems += [f"the {section} {key} is {_short(other.get(key))} in the database "
                         f"but {_short(one.get(key))} in the signed attestation"
                         for key in sorted(set(one) | set(other))
                         if one.get(key) != other.get(key)]
        elif one != other:
            problems.append(f"the {section} differs from the signed attestation")
    problems += _keyed_differences("answer to", "question_id", ANSWER_FIELDS,
                                   signed.get("answers"), stored.get("answers"))
    problems += _keyed_differences("finding", "rule_id", FINDING_FIELDS,
                                   signed.get("findings"), stored.get("findings"))
    problems += _evidence_differences(signed.get("evidence"), stored.get("evidence"))
    return problems


def _keyed_differences(what: str, key: str, fields: tuple[str, ...], signed: Any,
                       stored: Any) -> list[str]:
    one = {str(item.get(key)): item for item in signed or [] if isinstance(item, dict)}
    other = {str(item.get(key)): item for item in stored or [] if isinstance(item, dict)}
    problems = []
    for name in sorted(set(one) | set(other)):
        if name not in other:
            problems.append(f"the {what} {name!r} is in the signed attestation but not in "
                            "the database")
        elif name not in one:
            problems.append(f"the {what} {name!r} is in the database but not in the signed "
                            "attestation")
        else:
            problems += [f"the {what} {name!r}: its {f.replace('_', ' ')} is "
                         f"{_short(other[name].get(f))} in the database but "
                         f"{_short(one[name].get(f))} in the signed attestation"
                         for f in fields if one[name].get(f) != other[name].get(f)]
    return problems


def _evidence_differences(signed: Any, stored: Any) -> list[str]:
    def items(values: Any) -> Counter[str]:
        return Counter(f"{v.get('question_id')}: {v.get('name')} (SHA-256 "
                       f"{str(v.get('sha256'))[:12]})" for v in values or []
                       if isinstance(v, dict))

    one, other = items(signed), items(stored)
    return ([f"evidence {e} is in the signed attestation but not in the database"
             for e in sorted(one - other)]
            + [f"evidence {e} is in the database but not in the signed attestation"
               for e in sorted(other - one)])


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 80 else text[:77] + "..."


def require_valid(check: AttestationCheck) -> None:
    """Raise CheckFailed with every reason unless the attestation is valid."""
    if not check.valid:
        raise CheckFailed("\n".join(check.reasons))


def extend_attestation(path: Path, output: Path, timestamp_url: str,
                       trust: list[Path], *, at: str | None = None) -> str:
    """Add fresh validation data and a new document timestamp to a VALID signed file and
    write it to `output` (a new file); refused, with the reasons, when the file is not
    VALID now. Returns what was added."""
    from app.atomic import write_atomically
    from app.audit.trust import office_trust
    from app.report.signing import extend_signed_pdf
    from app.report.verification import verify_signed_pdf

    if output.exists() or output.is_symlink():
        raise UserFacingError(f"{output} already exists; choose a new file name")
    moment = parse_moment(at)
    before = verify_attestation(path, trust, at=at)
    if not before.valid:
        raise CheckFailed("only a VALID attestation can be extended; this one is not:\n"
                          + "\n".join(f"  - {r}" for r in before.reasons))
    anchors = office_trust(trust)
    extended = extend_signed_pdf(read_input(path, InputKind.PDF), timestamp_url, anchors, at=moment)
    after = verify_signed_pdf(extended, anchors, at=moment)
    if not after.valid:
        raise CheckFailed("the extended file would not verify, so it was not written:\n"
                          + "\n".join(f"  - {r}" for r in after.problems))
    write_atomically(output, extended)
    stamp = after.signatures[-1]
    return (f"validation data and a document timestamp of {stamp.time} by {stamp.signer} "
            f"added; {len(after.signatures)} signatures and timestamps in the file")


PUBLIC_DATA_NAME = "transparency.json"


@dataclass(frozen=True)
class PublicReportCheck:
    """Verifying a public transparency report: its seal, and the attestation it names."""

    signature: SignatureCheck | None
    """The seal's check; None when the file carries no signature."""
    audit_id: str | None
    attestation_manifest_sha256: str | None
    signed_attestation_sha256: str | None
    """The signed attestation the report names; None when it names none (not attested)."""
    problems: list[str]
    notes: list[str]

    @property
    def valid(self) -> bool:
        """True when the report is sealed, intact, trusted and names its attestation, and
        agrees with the attestation file and the database where they were given."""
        return self.signature is not None and self.signature.valid and not self.problems


def is_public_report(path: Path) -> bool:
    """True when the file embeds public report data (transparency.json) and no manifest."""
    from pypdf import PdfReader

    try:
        names = set(PdfReader(BytesIO(read_input(path, InputKind.PDF))).attachments)
    except Exception:  # noqa: BLE001 - any unreadable file is simply not one
        return False
    return PUBLIC_DATA_NAME in names and "manifest.json" not in names


def verify_public_report(path: Path, trust: list[Path], service: AuditService | None = None,
                         attestation: Path | None = None, *, at: str | None = None,
                         online: bool = True) -> PublicReportCheck:
    """Check a public transparency report: sealed by a trusted signature over the whole
    file, naming the signed attestation it derives from; with `attestation`, that it is that
    file; with `service`, that it is the report recorded when the audit was signed."""
    data = read_input(path, InputKind.PDF)
    problems: list[str] = []
    notes: list[str] = []
    signature, public = _public_seal(data, trust, problems, parse_moment(at), online)
    facts: dict[str, Any] = {}
    if public is None:
        problems.append(f"it carries no public report data ({PUBLIC_DATA_NAME})")
    else:
        try:
            loaded = json.loads(public)
        except ValueError:
            loaded = None
        if isinstance(loaded, dict) and loaded.get("format") == PUBLIC_FORMAT:
            facts = loaded
        else:
            problems.append(f"its {PUBLIC_DATA_NAME} is not an nlets-audit public report")
    found = facts.get("audit")
    audit: dict[str, Any] = found if isinstance(found, dict) else {}
    audit_id = audit.get("id") if isinstance(audit.get("id"), str) else None
    manifest_sha256 = facts.get("attestation_manifest_sha256")
    attested = facts.get("attested") if isinstance(facts.get("attested"), dict) else None
    signed_sha256 = attested.get("signed_pdf_sha256") if attested else None
    if facts and not signed_sha256:
        problems.append("the report says the audit was not attested: it names no signed "
                        "attestation")
    if attestation is not None and signed_sha256:
        problems += _compare_with_attestation(attestation, trust, signed_sha256,
                                              manifest_sha256, signature, at, online)
        if not problems:
            notes.append(f"matches the attestation given ({attestation})")
    if service is not None and audit_id and signed_sha256:
        found, said = _public_in_database(service, audit_id, data, manifest_sha256, signature)
        problems += found
        notes += said
    return PublicReportCheck(signature, audit_id,
                             manifest_sha256 if isinstance(manifest_sha256, str) else None,
                             signed_sha256 if isinstance(signed_sha256, str) else None,
                             problems, notes)


def _public_seal(data: bytes, trust: list[Path], problems: list[str],
                 moment: dt.datetime | None, online: bool,
                 ) -> tuple[SignatureCheck | None, bytes | None]:
    """The seal's check and the public data as sealed (as found, when not sealed)."""
    from app.audit.trust import office_trust
    from app.report.verification import verify_signed_pdf

    try:
        from pyhanko.pdf_utils.reader import PdfFileReader

        signatures = PdfFileReader(BytesIO(data), strict=False).embedded_signatures
    except Exception as exc:  # noqa: BLE001 - a damaged file is not valid, whatever broke
        problems.append(f"the file is damaged or not a PDF ({type(exc).__name__})")
        return None, None
    if not signatures:
        problems.append("the report is not sealed: it carries no signature, so anyone could "
                        "have made it")
        return None, _attachment(data)
    try:
        check = verify_signed_pdf(data, office_trust(trust), at=moment, online=online)
        first = min(signatures, key=lambda s: s.signed_revision)
        public = _sealed_attachment(first)
    except (CheckFailed, UserFacingError) as exc:
        problems.append(f"the seal cannot be checked: {exc}")
        return None, None
    except Exception as exc:  # noqa: BLE001 - a damaged file is not valid, whatever broke
        problems.append(f"the seal cannot be checked: the file is damaged ({exc})")
        return None, None
    problems += check.problems or ([] if check.valid else ["the seal does not verify"])
    return check, public


def _sealed_attachment(signature: Any) -> bytes | None:
    """The public data attachment as it stood in the sealed revision."""
    try:
        root = signature.reader.get_historical_resolver(signature.signed_revision).root
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for i in range(0, len(names) - 1, 2):
        if str(names[i]) == PUBLIC_DATA_NAME:
            return bytes(names[i + 1].get_object()["/EF"]["/F"].get_object().data)
    return None


def _attachment(data: bytes) -> bytes | None:
    from pypdf import PdfReader

    try:
        found = PdfReader(BytesIO(data)).attachments.get(PUBLIC_DATA_NAME)
    except Exception:  # noqa: BLE001 - unreadable: no data
        return None
    return bytes(found[0]) if found else None


def _compare_with_attestation(attestation: Path, trust: list[Path], signed_sha256: str,
                              manifest_sha256: Any, seal: SignatureCheck | None,
                              at: str | None, online: bool) -> list[str]:
    """Problems when the attestation file given is not the valid attestation the report
    derives from."""
    content = read_input(attestation, InputKind.PDF)
    if hashlib.sha256(content).hexdigest() != signed_sha256:
        return [f"the report does not derive from the attestation given ({attestation}): it "
                f"names the signed attestation with SHA-256 {signed_sha256}"]
    try:
        check = verify_attestation(attestation, trust, at=at, online=online)
    except (CheckFailed, UserFacingError) as exc:
        return [f"the attestation given is not valid: {exc}"]
    problems = [f"the attestation given is not valid: {r}" for r in check.reasons]
    if check.signature.manifest_sha256 != manifest_sha256:
        problems.append("the attestation given embeds another manifest than the one the "
                        "report names")
    if seal is not None and check.signature.certificate_sha256 != seal.certificate_sha256:
        problems.append(f"the report is sealed by {seal.signer}, but the attestation was "
                        f"signed by {check.signature.signer}")
    return problems


def _public_in_database(service: AuditService, audit_id: str, data: bytes,
                        manifest_sha256: Any, seal: SignatureCheck | None,
                        ) -> tuple[list[str], list[str]]:
    try:
        audit = service.get_audit(audit_id)
    except UserFacingError:
        return [], [f"audit {audit_id[:12]} is not in this database; the report was not "
                    "compared with stored data"]
    signing = next((e for e in service.history(audit_id) if e.kind == EventKind.AUDIT_SIGNED),
                   None)
    recorded = signing.new if signing is not None and isinstance(signing.new, dict) else {}
    problems = []
    if audit.status != AuditStatus.SIGNED:
        problems.append(f"the database holds audit {audit_id[:12]} as a {audit.status}")
    if recorded.get("public_report_sha256") != hashlib.sha256(data).hexdigest():
        problems.append("this file is not the public report recorded when the audit was "
                        "signed")
    if recorded.get("manifest_sha256") != manifest_sha256:
        problems.append("the report names another attestation manifest than the one "
                        "recorded when the audit was signed")
    if seal is not None and audit.signer_certificate_sha256 != seal.certificate_sha256:
        problems.append("the report is sealed with another certificate than the one that "
                        "signed the audit")
    notes = [] if problems else [f"the report recorded when audit {audit_id[:12]} was signed"]
    return problems, notes
