"""Time to verify the flagship's real signed attestation offline, first in a fresh process
(what every CLI `verify` pays) and warm, against pyHanko's validator alone on the same file
(the same trust root, the same diff policy, offline) measured the same way in the same run.

The product is `verify_attestation`: pyHanko's validation and the checks around it (the
validation data in the file, metadata after signing, the manifest, the hash printed on the
pages, the official named). Both sides run in a fresh interpreter that has already imported
`app.audit`; the clock covers every import after that. Run: python bench/bench_verify.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_sign import flagship_attestation  # noqa: E402
from common import child_env, figure, run_child  # noqa: E402

PROCESSES = 3
WARM = 3
PASSPHRASE = "bench"

_CHILD_HEAD = """
import json, sys, time
from pathlib import Path
import app.audit  # held by the CLI before it verifies
pdf_path, root, crl = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])

def timed(step):
    cpu, wall = time.process_time(), time.perf_counter()
    step()
    return time.process_time() - cpu, time.perf_counter() - wall
"""

PRODUCT = _CHILD_HEAD + f"""
def step():
    from app.audit import verify_attestation
    result = verify_attestation(pdf_path, [root, crl], online=False)
    assert result.signature.valid, result.problems  # the demo names another official

first = timed(step)
warm = [timed(step) for _ in range({WARM})]
print("RESULT " + json.dumps({{"first": first, "warm": warm}}))
"""

FLOOR = _CHILD_HEAD + f"""
def step():
    from io import BytesIO
    from asn1crypto import crl as crls, pem, x509
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext
    from app.report.verification import STRICT_DIFF_POLICY
    def der(path):
        data = path.read_bytes()
        return pem.unarmor(data)[2] if pem.detect(data) else data
    context = ValidationContext(trust_roots=[x509.Certificate.load(der(root))],
                                crls=[crls.CertificateList.load(der(crl))],
                                allow_fetching=False)
    reader = PdfFileReader(BytesIO(pdf_path.read_bytes()), strict=False)
    status = validate_pdf_signature(reader.embedded_signatures[0],
                                    signer_validation_context=context,
                                    diff_policy=STRICT_DIFF_POLICY())
    assert status.intact and status.valid

first = timed(step)
warm = [timed(step) for _ in range({WARM})]
print("RESULT " + json.dumps({{"first": first, "warm": warm}}))
"""


def main() -> None:
    from app.report.signing import Pkcs12Key, sign_pdf
    from app.report.testca import make_test_certificate
    from app.report.verification import load_trust

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rendered = flagship_attestation(folder)
        made = make_test_certificate(folder / "ec", "Bench Signer", PASSPHRASE.encode(),
                                     key_type="ec")
        signed = sign_pdf(rendered.pdf, Pkcs12Key(made.signer_pkcs12, PASSPHRASE.encode()),
                          box=rendered.signature_box,
                          trust=load_trust([made.ca_certificate, made.ca_crl]))
        pdf_path = folder / "signed.pdf"
        pdf_path.write_bytes(signed.pdf)
        env = child_env(folder / "home")
        print(f"signed attestation: flagship, {rendered.pages} pages, "
              f"{len(signed.pdf) // 1024} KiB; {PROCESSES} fresh processes each, {WARM} warm "
              "verifications in each")
        args = [str(pdf_path), str(made.ca_certificate), str(made.ca_crl)]
        product, floor = [], []
        for _ in range(PROCESSES):  # alternated, so neither side gets the quieter moment
            product.append(run_child(PRODUCT, args, env))
            floor.append(run_child(FLOOR, args, env))
        for index, what in ((0, "CPU"), (1, "wall")):
            first = statistics.median(r["first"][index] for r in product)
            first_floor = statistics.median(r["first"][index] for r in floor)
            warm = statistics.median(w[index] for r in product for w in r["warm"])
            warm_floor = statistics.median(w[index] for r in floor for w in r["warm"])
            suffix = "" if what == "CPU" else "_wall"
            figure(f"verify_first{suffix}", f"verify, first in a fresh process ({what})",
                   first, first_floor, "pyHanko's validator alone, first in a fresh process",
                   unit="s")
            figure(f"verify_warm{suffix}", f"verify, warm ({what})", warm, warm_floor,
                   "pyHanko's validator alone, warm", unit="s")


if __name__ == "__main__":
    main()
