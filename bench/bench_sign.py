"""Time to sign a rendered attestation (render excluded) with an RSA-3072 and an EC P-256
key, against signing the same bytes with the bare key (hash + sign) in the same run."""

import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import hashes  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec, padding  # noqa: E402
from cryptography.hazmat.primitives.serialization import pkcs12  # noqa: E402

from app.audit import AuditService  # noqa: E402
from app.checklist import load_checklist  # noqa: E402
from app.report.pdf import render_attestation  # noqa: E402
from app.report.signing import Pkcs12Key, sign_pdf  # noqa: E402
from app.report.testca import make_test_certificate  # noqa: E402
from app.store import open_store  # noqa: E402

ROUNDS = 7
PASSPHRASE = b"bench"
ANSWERS = {
    "connected": "yes", "switch_vendor": "WSP ACCESS", "keys": ["dq", "kq"],
    "reason_required": "always", "review_date": "2025-06-30",
    "agencies": [{"agency": "ice", "blocked": "yes", "since": "2025-11-19"},
                 {"agency": "cbp", "blocked": "yes", "since": "2025-11-20"}],
}


def rendered_pdf(folder: Path):
    service = AuditService(open_store(f"sqlite:///{folder / 'bench.sqlite3'}"), actor="bench")
    checklist = load_checklist(ROOT / "tests" / "fixtures" / "sample-checklist.yaml")
    audit_id = service.create_audit(checklist, jurisdiction="WA", period_start="2025-01-01",
                                    period_end="2025-12-31").id
    service.import_answers(audit_id, ANSWERS)
    return render_attestation(service.attestation(audit_id))


def median(samples):
    return statistics.median(samples) * 1000


def main() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rendered = rendered_pdf(folder)
        for key_type, label in (("rsa", "RSA-3072"), ("ec", "EC P-256")):
            made = make_test_certificate(folder / key_type, "Bench Signer", PASSPHRASE,
                                         key_type=key_type)
            key = Pkcs12Key(made.signer_pkcs12, PASSPHRASE)
            sign_pdf(rendered.pdf, key, box=rendered.signature_box)  # warm: font, imports
            signing = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                sign_pdf(rendered.pdf, key, box=rendered.signature_box)
                signing.append(time.perf_counter() - start)
            private_key, _, _ = pkcs12.load_key_and_certificates(
                made.signer_pkcs12.read_bytes(), PASSPHRASE)
            bare = []
            for _ in range(ROUNDS):
                start = time.perf_counter()
                if key_type == "rsa":
                    private_key.sign(rendered.pdf, padding.PKCS1v15(), hashes.SHA256())
                else:
                    private_key.sign(rendered.pdf, ec.ECDSA(hashes.SHA256()))
                bare.append(time.perf_counter() - start)
            print(f"sign attestation ({label}, {rendered.pages} pages, "
                  f"{len(rendered.pdf) // 1024} KiB): median {median(signing):.0f} ms "
                  f"over {ROUNDS}")
            print(f"bare {label} hash+sign of the same bytes: median {median(bare):.2f} ms")
            print(f"ratio sign / bare ({label}): {median(signing) / median(bare):.0f}x")


if __name__ == "__main__":
    main()
