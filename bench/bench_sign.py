"""Time to sign the flagship's real attestation (render excluded) with an RSA-3072 and an
EC P-256 key: the first signature in a fresh process (what every CLI `sign` and the first
TUI signature pay) and the warm one, against pyHanko signing the same file directly
(the same key file, signature metadata and visible box, pyHanko's own stamp) measured the
same way in the same run.

The product is what `sign_audit` does besides rendering: open the key to name the signer
(`describe_key`) and sign (`sign_pdf`). Both sides run in a fresh interpreter that has
already imported what the CLI holds when it comes to sign: the service, with the records
and checklist modules it read the audit with, and the renderer (the render is excluded).
The clock covers every import, key load, font and signature after that.

The attestation is PDF/A, so the stamp's font must be embedded; pyHanko's own stamp font is
not. The floor is pyHanko drawing its stamp with the same bundled font file, which is the
same work; pyHanko with its own (unembedded) font is printed beside it for reference.
Run: python bench/bench_sign.py
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import FLAGSHIP, child_env, figure, run_child  # noqa: E402

PROCESSES = 3
WARM = 5
PASSPHRASE = "bench"

_CHILD_HEAD = """
import json, sys, time
from pathlib import Path
import app.audit.service, app.records  # the CLI read the audit with these
import app.checklist.loader, app.checklist.evaluate
import app.report.pdf  # and rendered it (excluded)
pdf = Path(sys.argv[1]).read_bytes()
key_path, passphrase = Path(sys.argv[2]), sys.argv[3].encode()
page, box = json.loads(sys.argv[4])
font = sys.argv[5] if len(sys.argv) > 5 else None

def timed(step):
    cpu, wall = time.process_time(), time.perf_counter()
    step()
    return time.process_time() - cpu, time.perf_counter() - wall
"""

PRODUCT = _CHILD_HEAD + f"""
def step():
    from app.report.pdf import SignatureBox
    from app.report.signing import Pkcs12Key, describe_key, sign_pdf
    key = Pkcs12Key(key_path, passphrase)
    describe_key(key)
    signed = sign_pdf(pdf, key, box=SignatureBox(page, tuple(box)))
    assert len(signed.pdf) > len(pdf)

first = timed(step)
warm = [timed(step) for _ in range({WARM})]
print("RESULT " + json.dumps({{"first": first, "warm": warm}}))
"""

PREPARED = PRODUCT.replace("first = timed(step)",
                           "app.audit.prepare_signing()\nfirst = timed(step)")
"""The product in a process that ran `prepare_signing` first, as the interface's sign dialog
does while the signer fills it in."""

FLOOR = _CHILD_HEAD + f"""
def step():
    from io import BytesIO
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.fields import MDPPerm, SigSeedSubFilter
    style = None
    if font is not None:
        from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
        from pyhanko.pdf_utils.text import TextBoxStyle
        from pyhanko.stamp import TextStampStyle
        style = TextStampStyle(
            stamp_text="Digitally signed by %(signer)s\\nTime: %(ts)s", border_width=1,
            text_box_style=TextBoxStyle(font=GlyphAccumulatorFactory(font, font_size=9)))
    signer = signers.SimpleSigner.load_pkcs12(str(key_path), passphrase=passphrase)
    meta = signers.PdfSignatureMetadata(
        field_name="Attestation", md_algorithm="sha256", subfilter=SigSeedSubFilter.PADES,
        certify=True, docmdp_permissions=MDPPerm.NO_CHANGES, reason="Attestation")
    output = BytesIO()
    signers.PdfSigner(meta, signer, stamp_style=style, new_field_spec=fields.SigFieldSpec(
        "Attestation", on_page=page, box=tuple(box))).sign_pdf(
        IncrementalPdfFileWriter(BytesIO(pdf), strict=False), output=output)
    assert len(output.getvalue()) > len(pdf)

first = timed(step)
warm = [timed(step) for _ in range({WARM})]
print("RESULT " + json.dumps({{"first": first, "warm": warm}}))
"""


def flagship_attestation(folder: Path):
    """The flagship audit filled with the demo answers, rendered as it is signed."""
    from app.audit import AuditService
    from app.checklist import load_checklist
    from app.report.pdf import render_attestation
    from app.store import open_store
    from tests.report.demo import fill_demo_answers

    service = AuditService(open_store(f"sqlite:///{folder / 'bench.sqlite3'}"), actor="bench")
    audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="WA",
                                 period_start="2025-01-01", period_end="2025-12-31",
                                 auditor="Bench Auditor")
    fill_demo_answers(service, audit.id)
    rendered = render_attestation(service.attestation(audit.id))
    service.store.close()
    return rendered


def main() -> None:
    from app.report.signing import STAMP_FONT
    from app.report.testca import make_test_certificate

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rendered = flagship_attestation(folder)
        pdf_path = folder / "attestation.pdf"
        pdf_path.write_bytes(rendered.pdf)
        box = json.dumps([rendered.signature_box.page, list(rendered.signature_box.box)])
        env = child_env(folder / "home")
        print(f"attestation: flagship, {rendered.pages} pages, {len(rendered.pdf) // 1024} KiB; "
              f"{PROCESSES} fresh processes each, {WARM} warm signatures in each")
        for key_type, label in (("ec", "EC P-256"), ("rsa", "RSA-3072")):
            made = make_test_certificate(folder / key_type, "Bench Signer",
                                         PASSPHRASE.encode(), key_type=key_type)
            args = [str(pdf_path), str(made.signer_pkcs12), PASSPHRASE, box]
            font = str(ROOT / "templates" / "fonts" / STAMP_FONT)
            product, floor, plain, prepared = [], [], [], []
            for _ in range(PROCESSES):  # alternated, so neither side gets the quieter moment
                product.append(run_child(PRODUCT, args, env))
                floor.append(run_child(FLOOR, [*args, font], env))
                plain.append(run_child(FLOOR, args, env))
                prepared.append(run_child(PREPARED, args, env))
            figure(f"sign_first_prepared_{key_type}",
                   f"sign, first after prepare_signing (the sign dialog; `sign` at its prompts), "
                   f"{label} (CPU)",
                   statistics.median(r["first"][0] for r in prepared),
                   statistics.median(r["first"][0] for r in floor),
                   "pyHanko alone, same stamp font, first in a fresh process", unit="s")
            for when, key in (("first", "first"), ("warm", "warm")):
                pick = ((lambda r: [r["first"][0]]) if when == "first"
                        else (lambda r: [w[0] for w in r["warm"]]))
                figure(f"sign_{key}_{key_type}_plain", f"sign, {when}, {label} (CPU), against "
                       "pyHanko's unembedded stamp font",
                       statistics.median(v for r in product for v in pick(r)),
                       statistics.median(v for r in plain for v in pick(r)),
                       "pyHanko alone with its own stamp font, not PDF/A", unit="s")
            for index, what in ((0, "CPU"), (1, "wall")):
                first = statistics.median(r["first"][index] for r in product)
                first_floor = statistics.median(r["first"][index] for r in floor)
                warm = statistics.median(w[index] for r in product for w in r["warm"])
                warm_floor = statistics.median(w[index] for r in floor for w in r["warm"])
                suffix = "" if what == "CPU" else "_wall"
                figure(f"sign_first_{key_type}{suffix}",
                       f"sign, first in a fresh process, {label} ({what})", first,
                       first_floor, "pyHanko alone, same stamp font, first in a fresh "
                       "process", unit="s")
                figure(f"sign_warm_{key_type}{suffix}", f"sign, warm, {label} ({what})", warm,
                       warm_floor, "pyHanko alone, same stamp font, warm", unit="s")


if __name__ == "__main__":
    main()
