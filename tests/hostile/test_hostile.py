"""Run the hostile-input corpus (cases.py) through the real command line, one forked
process per case (server.py): exit 2 (or 1 for a failed check), one message on stderr,
no traceback, bounded CPU time and memory, and the database and files as they were."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.audit import AuditService
from app.checklist import load_checklist
from app.store import open_store
from tests.conftest import SAMPLE
from tests.hostile.cases import CASES, Context

ROOT = Path(__file__).resolve().parents[2]
SERVER = Path(__file__).with_name("server.py")
FLAGSHIP = ROOT / "checklists" / "nlets-dmv-data-sharing.yaml"
CPU_SECONDS = 20
"""The CPU time one refusal may take: far above any (most take well under a second)."""
MAX_RSS_MIB = 600
"""The memory one refusal may take (DuckDB and WeasyPrint included)."""
ADDRESS_SPACE = 4 * 1024 ** 3
"""A ceiling on the process's address space, so a runaway read fails fast."""
HANG_GUARD = 300
"""Only a hang (such as a FIFO waiting for a writer) reaches this; never a speed claim."""


@pytest.fixture(scope="module")
def server() -> Iterator[subprocess.Popen[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen([sys.executable, str(SERVER)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    yield process
    assert process.stdin is not None
    process.stdin.close()
    process.wait()


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    folder = tmp_path_factory.mktemp("hostile-db")
    path = folder / "audit.sqlite3"
    store = open_store(f"sqlite:///{path}")
    try:
        service = AuditService(store, actor="test-auditor")
        audit = service.create_audit(load_checklist(FLAGSHIP), jurisdiction="WA",
                                     period_start="2025-01-01", period_end="2025-12-31").id
        service.import_answers(audit, {"block_directive": "yes", "agency_access": [
            {"agency": "ice_ero", "oris": "WAICE0100, DCICE*", "blocked": "yes",
             "blocked_since": "2025-11-19"}]})
        sample = service.create_audit(load_checklist(SAMPLE), jurisdiction="WA",
                                      period_start="2025-01-01", period_end="2025-12-31").id
    finally:
        store.close()
    return path, audit, sample


def _dump(path: Path) -> str:
    if not path.is_file():
        return ""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:
        return hashlib.sha256("\n".join(con.iterdump()).encode()).hexdigest()


def _files(folder: Path) -> dict[str, str]:
    found = {}
    for item in sorted(folder.rglob("*")):
        if item.is_file() and not item.is_symlink():
            with item.open("rb") as stream:
                found[str(item)] = hashlib.sha256(stream.read(1 << 20)).hexdigest()
        elif not item.is_dir():
            found[str(item)] = "special"
    return found


@pytest.mark.parametrize("name", sorted(CASES))
def test_hostile_input_is_refused_cleanly(name, prepared, server, tmp_path):
    kind, expected, build = CASES[name]
    source, audit, sample = prepared
    db = tmp_path / "audit.sqlite3"
    shutil.copyfile(source, db)
    cases = tmp_path / "case"
    cases.mkdir()
    args = build(Context(cases, audit, sample))
    if "--db" not in args:
        args = ["--db", f"sqlite:///{db}", *args]
    before_db, before_files = _dump(db), _files(cases)
    env = {key: value for key, value in os.environ.items() if key != "NLETS_AUDIT_DEBUG"}
    env.update({"PYTHONPATH": str(ROOT), "NLETS_AUDIT_HOME": str(tmp_path / "home")})
    out, err_path = tmp_path / "stdout", tmp_path / "stderr"
    request = {"args": args, "cwd": str(tmp_path), "env": env, "out": str(out),
               "err": str(err_path), "limit": ADDRESS_SPACE, "guard": HANG_GUARD}
    server.stdin.write(json.dumps(request) + "\n")
    server.stdin.flush()
    usage = json.loads(server.stdout.readline())
    err = err_path.read_text(errors="replace")
    assert not usage["hung"], f"{kind}: still running after {HANG_GUARD} s"
    assert usage["code"] == expected, (kind, usage, err[-2000:],
                                       out.read_text(errors="replace")[-500:])
    assert "Traceback" not in err and "internal error" not in err, err[-2000:]
    message = [line for line in err.splitlines() if line.strip()]
    assert message and message[0].startswith("error:"), err[-2000:]
    assert len(err) < 4000, f"{len(err)} characters on stderr"
    assert usage["cpu_seconds"] < CPU_SECONDS, usage
    assert usage["max_rss_kib"] < MAX_RSS_MIB * 1024, usage
    assert _dump(db) == before_db, "the database changed"
    assert _files(cases) == before_files, "files in the case's folder changed"
