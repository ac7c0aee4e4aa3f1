"""`nlets-audit verify` on a public transparency report: is it sealed, intact, and which
attestation does it derive from."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from app.errors import CheckFailed

if TYPE_CHECKING:
    from app.audit import AuditService


def verify_public(file: Path, trust: list[Path], service: AuditService | None,
                  attestation: Path | None, *, at: str | None = None,
                  online: bool = True) -> None:
    """Print the check of a public report; `CheckFailed` (exit 1) when it is not valid."""
    from app.audit import verify_public_report

    result = verify_public_report(file, trust, service, attestation, at=at, online=online)
    seal = result.signature
    yes_no = {True: "yes", False: "NO"}
    lines = [f"{file}: {'VALID' if result.valid else 'NOT VALID'} public transparency report"]
    if result.audit_id:
        lines.append(f"  derives from the attestation of audit {result.audit_id}")
    lines.append("  attestation manifest SHA-256: "
                 f"{result.attestation_manifest_sha256 or 'not named'}")
    lines.append("  signed attestation SHA-256: "
                 f"{result.signed_attestation_sha256 or 'none (not attested)'}")
    if seal is not None:
        lines += [
            f"  sealed by: {seal.signer} (certificate SHA-256 {seal.certificate_sha256})",
            f"  certificate chains to a trusted root: {yes_no[seal.trusted]}",
            f"  intact (signed bytes unchanged): {yes_no[seal.intact]}",
            "  added after sealing: "
            + (f"YES — {seal.modification.lower()}" if seal.modified_after_signing
               else "nothing"),
        ]
    else:
        lines.append("  sealed: NO")
    if attestation is not None:
        lines += [f"  attestation given: {n}" for n in result.notes
                  if n.startswith("matches the attestation")]
    lines += [f"  database: {n}" for n in result.notes
              if not n.startswith("matches the attestation")]
    lines += [f"  problem: {p}" for p in result.problems]
    if not result.valid:
        raise CheckFailed("\n".join(lines))
    click.echo("\n".join(lines))
