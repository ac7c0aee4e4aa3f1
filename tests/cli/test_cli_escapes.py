"""Text stored with terminal escape sequences (written behind the tool's back, or by an
older version) prints escaped by `show`, `list`, `history show`, `review`, `evidence
list` and `show --json`: no ESC, C1 or bidi control reaches the terminal raw."""

import json
import sqlite3

import pytest

from app.cli import main
from tests.conftest import SAMPLE

TITLE_OSC = "\x1b]0;owned\x07"          # sets the terminal window's title
CLIPBOARD = "\x1b]52;c;ZXZpbA==\x07"     # writes the clipboard
C1_CSI = "\x9b2J"                        # clears the screen, 8-bit form
BIDI = "\u202e"                          # right-to-left override
RAW = ("\x1b", "\x9b", "\x07", BIDI)


@pytest.fixture
def stored(capsys, db_url, tmp_path):
    assert main(["--db", db_url, "new", "--checklist", str(SAMPLE), "--jurisdiction", "WA",
                 "--period-start", "2025-01-01", "--period-end", "2025-12-31"]) == 0
    audit = capsys.readouterr().out.strip()
    assert main(["--db", db_url, "answer", audit, "connected", "yes"]) == 0
    assert main(["--db", db_url, "answer", audit, "switch_vendor", "Vendor",
                 "--note", "a note", "--reason", "first"]) == 0
    evidence = tmp_path / "memo.txt"
    evidence.write_text("memo")
    assert main(["--db", db_url, "evidence", "add", audit, "switch_vendor", str(evidence)]) == 0
    capsys.readouterr()
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as con:
        con.execute("UPDATE audit SET title = ?, auditor = ?",
                    (f"Audit {TITLE_OSC}", f"Eve {BIDI}evE"))
        con.execute("UPDATE answer SET value_json = ?, note = ? WHERE question_id = ?",
                    (json.dumps(f"Vendor {CLIPBOARD}"), f"note {C1_CSI}", "switch_vendor"))
        con.execute("UPDATE history_event SET reason = ?, actor = ?",
                    (f"why {TITLE_OSC}", f"mallory {C1_CSI}"))
        con.execute("UPDATE evidence SET name = ?", (f"memo{TITLE_OSC}.txt",))
    return audit


@pytest.mark.parametrize("command", [
    ["list"], ["list", "--json"], ["show", "{audit}"], ["show", "{audit}", "--json"],
    ["history", "show", "{audit}"], ["history", "show", "{audit}", "--question",
                                     "switch_vendor"],
    ["review", "{audit}"], ["evidence", "list", "{audit}"],
])
def test_stored_escape_sequences_print_escaped(capsys, db_url, stored, command):
    args = [part.format(audit=stored) for part in command]
    main(["--db", db_url, *args])
    out, err = capsys.readouterr()
    for raw in RAW:
        assert raw not in out and raw not in err, (raw, out[:500])
    if command[0] != "review":  # the review quotes no stored text here
        assert "\\u001b" in out + err
    if "--json" in command:
        json.loads(out)  # the escapes keep JSON valid


def test_an_error_quoting_typed_text_prints_it_escaped(capsys, db_url, stored):
    assert main(["--db", db_url, "answer", stored, f"no_such{TITLE_OSC}", "x"]) == 2
    _, err = capsys.readouterr()
    assert "\x1b" not in err and "\x07" not in err
