"""Every file the program reads is a regular file under its kind's size limit: FIFOs,
devices, sockets and directories are refused at once, oversized files from their size."""

import os
import socket
import threading
from pathlib import Path

import pytest

from app.inputs import SIZE_LIMITS, InputKind, InputRefused, read_input, read_input_text
from app.safe_text import BIDI_CONTROLS, control_problem, terminal_safe, terminal_safe_line


def refusal(path: Path, kind: InputKind = InputKind.ANSWERS) -> str:
    with pytest.raises(InputRefused) as caught:
        read_input(path, kind)
    message = str(caught.value)
    assert "Fix:" in message and "\n" not in message
    return message


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    fifo = tmp_path / "answers.yaml"
    os.mkfifo(fifo)
    # Were the FIFO opened for reading without O_NONBLOCK, this would block forever;
    # a watchdog writer unblocks the test (and fails it) should that happen.
    opened = threading.Event()

    def unblock() -> None:
        if not opened.wait(5):
            with open(fifo, "wb") as writer:
                writer.write(b"x")

    watchdog = threading.Thread(target=unblock, daemon=True)
    watchdog.start()
    try:
        message = refusal(fifo)
    finally:
        opened.set()
        watchdog.join()
    assert "answers file" in message and "is a pipe (FIFO), not a file" in message


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
@pytest.mark.parametrize("kind", list(InputKind))
def test_a_device_is_refused(device, kind):
    assert "is a device, not a file" in refusal(Path(device), kind)


def test_a_directory_is_refused(tmp_path):
    assert "is a directory, not a file" in refusal(tmp_path)


def test_a_socket_is_refused(tmp_path):
    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        message = refusal(path)
    assert "is a socket" in message or "cannot be opened" in message


@pytest.mark.parametrize("kind", list(InputKind))
def test_a_file_over_the_limit_is_refused_from_its_size(tmp_path, kind):
    path = tmp_path / "big"
    with path.open("wb") as stream:
        stream.truncate(SIZE_LIMITS[kind] + 1)  # sparse: nothing is written to disk
    assert "may be at most" in refusal(path, kind)


def test_a_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "passphrase"
    path.write_bytes(b"x" * SIZE_LIMITS[InputKind.PASSPHRASE])
    assert len(read_input(path, InputKind.PASSPHRASE)) == SIZE_LIMITS[InputKind.PASSPHRASE]


def test_a_missing_file_and_a_symlink_loop(tmp_path):
    assert "does not exist" in refusal(tmp_path / "absent")
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    assert "too many symbolic links" in refusal(loop)


def test_text_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(InputRefused, match=r"a.yaml:2 is not UTF-8"):
        read_input_text(path, InputKind.ANSWERS)


@pytest.mark.parametrize(("text", "shown"), [
    ("title\x1b]0;owned\x07", "title\\u001b]0;owned\\u0007"),
    ("clip\x1b]52;c;ZXZpbA==\x1b\\", "clip\\u001b]52;c;ZXZpbA==\\u001b\\"),
    ("c1\x9b31m", "c1\\u009b31m"),
    ("bidi \u202eevil\u202c", "bidi \\u202eevil\\u202c"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("del\x7f nul\x00 cr\r", "del\\u007f nul\\u0000 cr\\u000d"),
])
def test_terminal_safe_escapes_what_could_drive_a_terminal(text, shown):
    assert terminal_safe(text) == shown


def test_terminal_safe_line_escapes_line_breaks_too():
    assert terminal_safe_line("a\nb\tc\x1b") == "a\\nb\\tc\\u001b"


def test_terminal_safe_json_stays_json():
    import json

    data = {"note": "a\x9bb\u202ec\x1b", "name": "Zoë"}
    text = terminal_safe(json.dumps(data, ensure_ascii=False))
    assert json.loads(text) == data
    assert "\x9b" not in text and "\u202e" not in text


def test_control_problem_names_the_character_and_place():
    assert "U+001B (ESC) at position 3" in control_problem("ab\x1b")
    assert control_problem("fine\ttext\nhere") is None
    assert "U+202E" in control_problem("a\u202eb")
    assert control_problem("a\u202eb", bidi=True) is None
    assert "U+000A" in control_problem("a\nb", newlines=False)


def _first_refused(text: str, newlines: bool, bidi: bool) -> int | None:
    """Where the first character `control_problem` must refuse stands, found one
    character at a time from the rule as written."""
    for index, char in enumerate(text):
        code = ord(char)
        control = code < 0x20 and char not in "\t\n" or 0x7F <= code <= 0x9F
        if control or (char == "\n" and not newlines) or (
                char in BIDI_CONTROLS and not bidi):
            return index
    return None


@pytest.mark.parametrize("newlines", [False, True])
@pytest.mark.parametrize("bidi", [False, True])
def test_control_problem_refuses_exactly_the_controls_at_their_first_place(newlines, bidi):
    characters = [chr(code) for code in (*range(0x250), *range(0x2000, 0x2070), 0xFEFF,
                                         0x1F600)]
    for char in characters:
        for text in (f"ab{char}c\x1b", f"{char}", f"plain {char}{char}"):
            where = _first_refused(text, newlines, bidi)
            problem = control_problem(text, newlines=newlines, bidi=bidi)
            if where is None:
                assert problem is None, (text, problem)
            else:
                assert problem is not None and f"U+{ord(text[where]):04X}" in problem, text
                assert f"at position {where + 1};" in problem, (text, problem)
