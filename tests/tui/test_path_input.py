"""Path completion in the file fields (evidence, table import): names from the filesystem,
case-sensitive, `~` expanded, directories with a trailing `/`, a bounded scan, no
suggestion from a directory that cannot be read, and no file name with a control character
ever offered or shown raw."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from textual.widgets import Input

from app.audit import AuditInfo, AuditService
from app.tui.app import AuditApp
from app.tui.dialogs.evidence import EvidenceDialog
from app.tui.widgets import path_input
from app.tui.widgets.path_input import PathInput, PathSuggester, complete_path

from .helpers import dialog_from_field, open_first_audit, settle, text_of


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two query-log extracts, a note, a folder, a hidden file."""
    (tmp_path / "query-log-2024.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "query-log-2025.csv").write_text("a\n", encoding="utf-8")
    (tmp_path / "Notes.txt").write_text("n\n", encoding="utf-8")
    (tmp_path / "minutes").mkdir()
    (tmp_path / "minutes" / "june.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden").write_text("h\n", encoding="utf-8")
    return tmp_path


def test_a_partial_name_completes_from_the_folder(folder: Path) -> None:
    base = f"{folder}/"
    assert complete_path(base + "query-log-2024") == base + "query-log-2024.csv"
    # two names agree as far as "query-log-202": completed that far, then to the first
    assert complete_path(base + "q") == base + "query-log-202"
    assert complete_path(base + "query-log-202") == base + "query-log-2024.csv"
    assert complete_path(base + "N") == base + "Notes.txt"
    assert complete_path(base + "n") is None  # case-sensitive, as the filesystem is
    assert complete_path(base + "zz") is None


def test_a_directory_completes_with_a_slash_and_then_inside(folder: Path) -> None:
    base = f"{folder}/"
    assert complete_path(base + "mi") == base + "minutes/"
    assert complete_path(base + "minutes") == base + "minutes/"
    assert complete_path(base + "minutes/j") == base + "minutes/june.pdf"


def test_a_field_for_table_files_offers_only_those_and_folders(folder: Path) -> None:
    base = f"{folder}/"
    (folder / "query-log-2025.XLSX").touch()
    (folder / "Notes.csv.bak").touch()
    assert complete_path(base + "N", suffixes=(".csv", ".xlsx")) is None
    assert complete_path(base + "mi", suffixes=(".csv",)) == base + "minutes/"
    assert complete_path(base + "query-log-2025.", suffixes=(".xlsx",)) == (
        base + "query-log-2025.XLSX")


def test_hidden_names_only_once_a_dot_is_typed(folder: Path) -> None:
    base = f"{folder}/"
    assert complete_path(base + ".h") == base + ".hidden"
    assert all(not (complete_path(base + c) or "").endswith(".hidden") for c in "qNm")


def test_the_home_folder_is_expanded(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(folder))
    assert complete_path("~") == "~/"
    assert complete_path("~/minutes/ju") == "~/minutes/june.pdf"


def test_a_folder_that_cannot_be_read_gives_no_suggestion(folder: Path) -> None:
    assert complete_path(f"{folder}/Notes.txt/x") is None  # not a directory
    assert complete_path(f"{folder}/absent/x") is None
    assert complete_path("~no-such-user-here/x") is None


def test_a_name_with_a_control_character_is_never_offered(folder: Path) -> None:
    (folder / "evil\x1b]0;owned\x07.csv").write_text("x\n", encoding="utf-8")
    assert complete_path(f"{folder}/evi") is None
    (folder / "evidence.csv").write_text("x\n", encoding="utf-8")
    assert complete_path(f"{folder}/evi") == f"{folder}/evidence.csv"


def test_a_huge_folder_is_read_only_up_to_the_limit(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    for number in range(300):
        (tmp_path / f"extract-{number:03d}.csv").touch()
    read = []
    real_scandir = os.scandir

    class Counting:
        """os.scandir, counting the entries taken from it."""

        def __init__(self, directory: str) -> None:
            self._entries = real_scandir(directory)

        def __enter__(self) -> Counting:
            return self

        def __exit__(self, *exc: object) -> None:
            self._entries.close()

        def __iter__(self):
            for entry in self._entries:
                read.append(entry.name)
                yield entry

    monkeypatch.setattr(path_input.os, "scandir", Counting)
    completed = complete_path(f"{tmp_path}/extract-", limit=100)
    assert len(read) <= 101
    assert completed is not None and completed.startswith(f"{tmp_path}/extract-")
    read.clear()
    complete_path(f"{tmp_path}/extract-")  # the default limit reads them all here
    assert len(read) == 300 and path_input.SCAN_LIMIT >= 1000


async def test_the_suggester_reads_in_a_thread(folder: Path) -> None:
    suggester = PathSuggester()
    assert await suggester.get_suggestion(f"{folder}/mi") == f"{folder}/minutes/"
    assert suggester.cache is None  # the folder may change while the dialog is open


async def test_the_evidence_dialog_completes_and_attaches(
        service: AuditService, audit: AuditInfo, folder: Path) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_audit(pilot)
        dialog = await dialog_from_field(pilot, "review_date", "f3", EvidenceDialog)
        field = dialog.query_one("#evidence-path", PathInput)
        assert app.focused is field
        field.value = f"{folder}/"
        field.cursor_position = len(field.value)
        await pilot.press("m", "i")
        await settle(pilot)
        await pilot.press("end")  # End takes the suggestion too
        await settle(pilot)
        assert field.value == f"{folder}/minutes/"
        await pilot.press("j")
        await settle(pilot)
        await pilot.press("right")
        assert field.value == f"{folder}/minutes/june.pdf"
        await pilot.press("tab")  # Tab moves on, as in every dialog
        assert app.focused is dialog.query_one("#evidence-date", Input)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not dialog
        stored = service.view(audit.id).evidence_for("review_date")
        assert [(e.name, e.sha256) for e in stored] == [
            ("june.pdf", hashlib.sha256(b"%PDF-1.4").hexdigest())]


async def test_a_file_name_in_a_refusal_is_shown_escaped(
        service: AuditService, audit: AuditInfo, tmp_path: Path) -> None:
    app = AuditApp(service)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_first_audit(pilot)
        dialog = await dialog_from_field(pilot, "review_date", "f3", EvidenceDialog)
        dialog.query_one("#evidence-path", Input).value = str(tmp_path / "x\x1b[2Jy.pdf")
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = text_of(dialog.query_one("#evidence-error"))
        assert "x\\u001b[2Jy.pdf" in error and "\x1b" not in error
