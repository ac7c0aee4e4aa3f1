"""An interactive `nlets-audit sign`, in a real terminal: it loads the renderer and pyHanko
while the signer reads the statement and types the passphrase (as the sign dialog does), and
the signature it then makes is whole."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.signing.conftest import PASSPHRASE, ROOT

pytestmark = pytest.mark.skipif(not Path("/proc/self/maps").exists(),
                                reason="needs /proc to see what the process has loaded")

PATIENCE = 120.0
"""How long to wait for the program's next prompt before calling it stuck (seconds)."""


class Terminal:
    """A child process on a pseudo-terminal, read as a person would see it."""

    def __init__(self, args: list[str]) -> None:
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen(args, stdin=slave, stdout=slave, stderr=slave,
                                        cwd=ROOT, start_new_session=True)
        os.close(slave)
        self.seen = ""

    def wait_for(self, text: str) -> None:
        """Read until `text` has been shown; fail if the program ends or stalls first."""
        deadline = time.monotonic() + PATIENCE
        while text not in self.seen:
            assert time.monotonic() < deadline, f"never showed {text!r}: {self.seen!r}"
            ready, _, _ = select.select([self.master], [], [], 1.0)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:  # the program ended and closed the terminal
                    chunk = b""
                assert chunk or text in self.seen, f"ended without {text!r}: {self.seen!r}"
                self.seen += chunk.decode(errors="replace")

    def type(self, line: str) -> None:
        """Type a line and press Enter."""
        os.write(self.master, line.encode() + b"\r")

    def finish(self) -> int:
        """Read what is left and wait for the exit code."""
        while True:
            ready, _, _ = select.select([self.master], [], [], PATIENCE)
            try:
                chunk = os.read(self.master, 65536) if ready else b""
            except OSError:
                chunk = b""
            if not chunk:
                break
            self.seen += chunk.decode(errors="replace")
        os.close(self.master)
        return self.process.wait(timeout=PATIENCE)

    def has_loaded(self, library: str) -> bool:
        """Whether the process has mapped a shared library whose name starts so."""
        maps = Path(f"/proc/{self.process.pid}/maps").read_text()
        return any(Path(line.split()[-1]).name.startswith(library)
                   for line in maps.splitlines() if "/" in line)


def test_an_interactive_sign_prepares_while_the_passphrase_is_typed(db_url, complete_audit,
                                                                    certificate, tmp_path,
                                                                    service):
    output = tmp_path / "attestation.pdf"
    terminal = Terminal([sys.executable, "-m", "app.cli", "--db", db_url, "sign",
                         complete_audit, "-o", str(output), "--pkcs12",
                         str(certificate.signer_pkcs12), "--trust",
                         str(certificate.ca_certificate)])
    terminal.wait_for("Sign this attestation?")
    terminal.type("y")
    terminal.wait_for("Passphrase:")
    # The signer is still typing: the renderer (WeasyPrint, which maps Pango) is loading.
    deadline = time.monotonic() + PATIENCE
    while not terminal.has_loaded("libpango-1.0"):
        assert time.monotonic() < deadline, "the renderer was not loaded while waiting"
        time.sleep(0.1)
    assert not output.exists()
    terminal.type(PASSPHRASE)
    code = terminal.finish()
    assert code == 0, terminal.seen
    assert "signed by Jane Roe" in terminal.seen
    assert PASSPHRASE not in terminal.seen
    assert service.get_audit(complete_audit).signed_pdf_sha256
    assert output.read_bytes().startswith(b"%PDF")
