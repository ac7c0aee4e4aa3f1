"""`nlets-audit sign`, `verify`, `extend` and `test-certificate`."""

from __future__ import annotations

import getpass
import sys
import textwrap
from pathlib import Path

import click

from app.cli.context import Context, pass_context
from app.cli.output import echo
from app.errors import CheckFailed, UserFacingError

KEY_OPTIONS = ("--pkcs12 FILE, or --pkcs11-lib LIB --token LABEL [--key LABEL | --key-id HEX] "
               "[--cert LABEL | --cert-id HEX]")
"""How the key is named on the command line, added when the key options name no key."""


@click.command("sign")
@click.argument("audit")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="Where to write the signed attestation PDF (must not exist).")
@click.option("--pkcs12", type=click.Path(path_type=Path),
              help="A PKCS#12 (.p12/.pfx) file with your key and certificate.")
@click.option("--pkcs11-lib", type=click.Path(dir_okay=False, path_type=Path),
              help="The PKCS#11 library of your smart card or token.")
@click.option("--token", help="The token label (with --pkcs11-lib).")
@click.option("--key", "key_label",
              help="The private key's label (with --pkcs11-lib; default: a PIV card's "
                   "signing key, 'SIGN key').")
@click.option("--key-id", metavar="HEX", help="The private key's ID, e.g. 02 (with "
                                              "--pkcs11-lib).")
@click.option("--cert", "cert_label",
              help="The certificate's label (with --pkcs11-lib; default: the key's own "
                   "certificate, by its ID).")
@click.option("--cert-id", metavar="HEX", help="The certificate's ID (with --pkcs11-lib).")
@click.option("--passphrase-file", type=click.Path(path_type=Path),
              help="Read the passphrase or PIN from this file instead of prompting.")
@click.option("--title", "signer_title",
              help="Your title: must agree with the capacity the audit records (printed "
                   "under your name), or is printed when the checklist records none.")
@click.option("--tsa", metavar="URL",
              help="An RFC 3161 timestamp server: signature and document timestamps "
                   "(PAdES B-LTA), so the file stays verifiable after the certificate expires.")
@click.option("--trust", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              help="The office's trust root certificate (PEM or DER), or a CRL; may be "
                   "repeated. Added to the trust store (see README).")
@click.option("--yes", is_flag=True,
              help="Confirm without a prompt that you have read the statement.")
@pass_context
def sign_command(ctx: Context, audit: str, output: Path, pkcs12: Path | None,
                 pkcs11_lib: Path | None, token: str | None, key_label: str | None,
                 key_id: str | None, cert_label: str | None, cert_id: str | None,
                 passphrase_file: Path | None, signer_title: str | None, tsa: str | None,
                 trust: tuple[Path, ...], yes: bool) -> None:
    """Sign the attestation of a complete audit (PAdES) and lock the audit."""
    from app.audit import (
        ATTESTATION_WEIGHT,
        KeyChoiceError,
        KeySource,
        key_source,
        load_signing_key,
    )

    try:
        source = key_source(pkcs12=pkcs12, pkcs11_lib=pkcs11_lib, token=token,
                            key_label=key_label, cert_label=cert_label, key_id=key_id,
                            cert_id=cert_id)
    except KeyChoiceError as exc:
        raise UserFacingError(f"{exc}; the options are {KEY_OPTIONS}") from None
    service = ctx.service()
    review = service.review(audit)
    if not review.ready:
        raise UserFacingError(review.refusal(service.resolve(audit)))
    if sys.stdin.isatty() and not (yes and passphrase_file is not None):
        _prepare_while_asking()
    statement = service.attestation_statement(audit).paragraphs()
    echo("\n".join(textwrap.fill(part, 88) for part in statement), err=True)
    echo("\n" + textwrap.fill(ATTESTATION_WEIGHT, 88) + "\n", err=True)
    if not yes:
        if not sys.stdin.isatty():
            raise UserFacingError("confirm with --yes that you have read the statement "
                                  "(there is no terminal to ask)")
        if not click.confirm("Sign this attestation?", err=True, default=False):
            raise UserFacingError("not signed")
    if source is KeySource.PKCS12:
        key = load_signing_key(pkcs12=pkcs12, passphrase=_secret(passphrase_file, "passphrase"))
    else:
        key = load_signing_key(pkcs11_lib=pkcs11_lib, token=token, key_label=key_label,
                               cert_label=cert_label, key_id=key_id, cert_id=cert_id,
                               pin=_secret(passphrase_file, "PIN"))
    signed = service.sign(audit, key, output, signer_title=signer_title, timestamp_url=tsa,
                          trust=trust)
    echo(f"signed by {signed.signer}; wrote {signed.path} ({signed.pages} pages, "
         f"SHA-256 {signed.pdf_sha256}); the audit is now read-only")


TRUST_OPTION = click.option(
    "--trust", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
    help="A trusted root certificate (PEM or DER) or a CRL; may be repeated. Added to the "
         "trust store (see README).")


@click.command("verify")
@click.argument("file", type=click.Path(path_type=Path))
@TRUST_OPTION
@click.option("--at", "at", metavar="TIME",
              help="Validate as of this ISO date or time instead of now.")
@click.option("--offline", is_flag=True,
              help="Use only the validation data in the file and the trust store; never "
                   "ask a CRL or OCSP service.")
@click.option("--attestation", type=click.Path(dir_okay=False, path_type=Path),
              help="For a public report: the signed attestation it should derive from.")
@pass_context
def verify_command(ctx: Context, file: Path, trust: tuple[Path, ...], at: str | None,
                   offline: bool, attestation: Path | None) -> None:
    """Say whether a signed attestation (or a sealed public report) is VALID, who signed it
    and when (exit 1 if not)."""
    from app.audit import is_public_report, verify_attestation

    service = ctx.service() if ctx.database_given() else None
    if is_public_report(file):
        from app.cli.public_report import verify_public

        verify_public(file, list(trust), service, attestation, at=at, online=not offline)
        return
    result = verify_attestation(file, list(trust), service, at=at, online=not offline)
    check = result.signature
    yes_no = {True: "yes", False: "NO"}
    printed = {True: " (matches the hash printed on the pages)",
               False: " (NOT the hash printed on the pages)", None: ""}
    lines = [
        f"{file}: {'VALID' if result.valid else 'NOT VALID'}",
        f"  intact (signed bytes unchanged): {yes_no[check.intact]}",
        f"  signature verifies: {yes_no[check.cryptographically_valid]}",
        f"  signed by: {check.signer}",
        f"  attesting official named in the manifest: {result.official or 'none'}",
        f"  certificate SHA-256: {check.certificate_sha256}",
        f"  certificate valid, chains to a trusted root, not revoked: "
        f"{yes_no[check.trusted]} (as of {check.validated_at})",
        f"  revocation checked with: {check.revocation or 'nothing (not checked)'}",
        f"  signing time: {check.signing_time or 'not stated'}"
        + (" (proven by a timestamp)" if check.timestamped else " (signer's clock, unproven)"),
        "  added after signing: " + ("; ".join(check.additions) or "nothing"),
        f"  manifest SHA-256: {check.manifest_sha256 or 'no manifest found'}"
        + printed[result.printed_hash_matches],
        "  signatures in the file:",
    ]
    lines += [f"    - {e.kind} {e.field}: {e.signer}"
              + (f", {e.time}" if e.time else "")
              + (f" — {e.problem}" if e.problem else " — valid")
              + (f" (revocation checked with {e.revocation})" if e.revocation else "")
              for e in check.signatures]
    lines += [f"  problem: {p}" for p in check.problems + result.problems]
    lines += [f"  note: {n}" for n in result.notes]
    lines += [f"  database: {n}" for n in result.database_notes]
    lines += [f"  database problem: {p}" for p in result.database_problems]
    if not result.valid:
        raise CheckFailed("\n".join(lines))
    echo("\n".join(lines))


@click.command("extend")
@click.argument("file", type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="Where to write the extended file (must not exist).")
@click.option("--tsa", metavar="URL", required=True, help="An RFC 3161 timestamp server.")
@TRUST_OPTION
@click.option("--at", "at", metavar="TIME",
              help="Check the file and its validation data as of this ISO time instead of "
                   "now (for tests and rehearsals; an archive extends now).")
def extend_command(file: Path, output: Path, tsa: str, trust: tuple[Path, ...],
                   at: str | None) -> None:
    """Add fresh validation data and a new document timestamp to a VALID signed file, as
    archives do before certificates or algorithms expire."""
    from app.audit import extend_attestation

    result = extend_attestation(file, output, tsa, list(trust), at=at)
    echo(f"extended {file} into {output}: {result}")


@click.command("test-certificate")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="The folder to write the test CA and signing certificate into.")
@click.option("--name", required=True, help="The name to put in the test certificate.")
@click.option("--key-type", type=click.Choice(["ec", "rsa"]), default="ec",
              help="EC P-256 (default) or RSA-3072.")
@click.option("--passphrase-file", type=click.Path(path_type=Path),
              help="Read the new PKCS#12 passphrase from this file instead of prompting.")
def test_certificate_command(out: Path, name: str, key_type: str,
                             passphrase_file: Path | None) -> None:
    """Make a local TEST CA and signing certificate. NOT FOR REAL ATTESTATIONS."""
    from app.audit import TEST_LABEL, make_test_certificate

    secret = _secret(passphrase_file, "new passphrase", confirm=True)
    try:
        made = make_test_certificate(out, name, secret.encode(), key_type=key_type)
    except OSError as exc:
        raise UserFacingError(f"cannot write the test certificate into {out}: "
                              f"{exc.strerror or exc}") from None
    echo(f"*** {TEST_LABEL} ***\n"
         "Anyone can make a certificate like this one: a signature made with it proves\n"
         "nothing about who signed. Use it only to try the tool.\n"
         f"  signing key and certificate: {made.signer_pkcs12}\n"
         f"  test CA certificate: {made.ca_certificate}\n"
         f"  test CA revocation list: {made.ca_crl}\n"
         "Give both to sign and verify: --trust CA --trust CRL")


def _prepare_while_asking() -> None:
    """Load the renderer and the signing library in the background while the signer reads
    the statement and types the secret, as the interface's sign dialog does, so that the
    signature does not wait for them afterwards."""
    import threading

    from app.audit import prepare_signing

    threading.Thread(target=prepare_signing, name="prepare-signing", daemon=True).start()


def _secret(path: Path | None, what: str, confirm: bool = False) -> str:
    """A passphrase or PIN from a file or a hidden prompt; never from an argument."""
    if path is not None:
        from app.inputs import InputKind, read_input_text

        text = read_input_text(path, InputKind.PASSPHRASE)
        secret = text.splitlines()[0] if text else ""
    elif sys.stdin.isatty():
        secret = getpass.getpass(f"{what.capitalize()}: ")
        if confirm and getpass.getpass(f"Repeat the {what}: ") != secret:
            raise UserFacingError(f"the two {what}s differ")
    else:
        raise UserFacingError(f"give the {what} with --passphrase-file FILE (there is no "
                              "terminal to ask)")
    if not secret:
        raise UserFacingError(f"the {what} is empty")
    return secret

