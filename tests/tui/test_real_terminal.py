"""The installed `nlets-audit` in a real terminal (tmux): create an audit with keys, answer,
kill the process with SIGKILL once the screen says "saved", restart, find the answers."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from .helpers import SAMPLE

TMUX = shutil.which("tmux")
SAVED = re.compile(r"\bsaved \d\d:\d\d")
"""A card's saved state with its time (not "unsaved… (saved after a pause…)")."""
SCRIPT = Path(sys.executable).with_name("nlets-audit")

pytestmark = [
    pytest.mark.skipif(TMUX is None, reason="tmux is not installed"),
    pytest.mark.skipif(not SCRIPT.exists(), reason=f"{SCRIPT} is not installed"),
]


class Terminal:
    """One tmux session running the program, on a tmux server of its own (so that no other
    server's environment, such as an NLETS_AUDIT_DB, reaches it)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.session = f"nlets-audit-test-{uuid.uuid4().hex[:8]}"

    def tmux(self, *args: str) -> str:
        return subprocess.run([TMUX, "-L", self.session, *args], check=True,
                              capture_output=True, text=True).stdout

    def start(self, after: str | None = None) -> None:
        """Run the program in the terminal; with `after`, a shell runs it and then that
        command (in the same terminal, to see the mode the program left it in)."""
        env = (f"NLETS_AUDIT_HOME={shlex.quote(str(self.home))} NLETS_AUDIT_USER=tmux-auditor "
               "TERM=xterm-256color")
        program = (f"env -u NLETS_AUDIT_DB -u COLUMNS -u LINES {env} "
                   f"{shlex.quote(str(SCRIPT))}")
        command = f"exec {program}" if after is None else f"{program}; {after}; sleep 60"
        self.tmux("new-session", "-d", "-s", self.session, "-x", "120", "-y", "40", command)

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p", "-t", self.session)

    def wait_for(self, predicate: Callable[[str], bool], what: str,
                 timeout: float = 60.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            text = self.screen()
            if predicate(text):
                return text
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; the screen shows:\n{text}")
            time.sleep(0.2)

    def wait_text(self, needle: str, timeout: float = 60.0) -> str:
        return self.wait_for(lambda text: needle in text, repr(needle), timeout)

    def keys(self, *keys: str) -> None:
        for key in keys:
            self.tmux("send-keys", "-t", self.session, key)
            time.sleep(0.15)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.session, "-l", text)
        time.sleep(0.2)

    def pid(self) -> int:
        return int(self.tmux("list-panes", "-t", self.session, "-F",
                             "#{pane_pid}").split()[0])

    def program_pid(self) -> int:
        """The program's process: the pane's own, or its child when a shell runs it."""
        shell = self.pid()
        children = subprocess.run(["pgrep", "-P", str(shell)], capture_output=True,
                                  text=True).stdout.split()
        return int(children[0]) if children else shell

    def stop(self) -> None:
        subprocess.run([TMUX, "-L", self.session, "kill-server"], capture_output=True)


def cli(home: Path, *args: str) -> str:
    env = {**os.environ, "NLETS_AUDIT_HOME": str(home), "NLETS_AUDIT_USER": "tmux-auditor"}
    env.pop("NLETS_AUDIT_DB", None)
    return subprocess.run([str(SCRIPT), *args], check=True, capture_output=True, text=True,
                          env=env).stdout


def test_answers_survive_sigkill(tmp_path: Path) -> None:
    home = tmp_path / "home"
    terminal = Terminal(home)
    terminal.start()
    try:
        terminal.wait_text("No audits yet")
        terminal.keys("n")
        terminal.wait_text("New audit")
        time.sleep(1.5)  # the dialog settles (a key typed during it lands where it began)
        # the checklist by path, the state typed into the drop-down, the period
        # each step waits until the screen shows the one before: Textual moves the focus
        # one turn of its loop after a key (a Select's list opens later still), so keys
        # typed ahead of a loaded machine reach the field that had the focus before
        terminal.keys("Tab")
        terminal.type(str(SAMPLE))
        terminal.wait_text(str(SAMPLE))
        terminal.keys("Tab", "Enter")
        terminal.wait_text("AL — Alabama")
        terminal.type("WA")
        terminal.keys("Enter")
        terminal.wait_for(lambda text: "WA — Washington" in text and "AL — Alabama" not in text,
                          "the jurisdiction to be chosen")
        terminal.keys("Tab")
        terminal.type("2024-01-01")
        terminal.wait_text("2024-01-01")
        terminal.keys("Tab")
        terminal.type("2024-12-31")
        terminal.wait_text("2024-12-31")
        terminal.keys("C-s")
        terminal.wait_text("Is the state connected to the network?")
        time.sleep(1.5)  # the opening settles (a key typed during it lands where it began)
        # Enter opens the first question, Enter again picks Yes (a choice: saved at once)
        terminal.keys("Enter")
        terminal.wait_text("Unknown")
        time.sleep(0.5)
        terminal.keys("Enter")
        terminal.wait_for(lambda text: SAVED.search(text) is not None, "the choice to be saved")
        # the question it reveals: typed text, saved after a pause
        terminal.wait_text("Who operates the message switch?")
        time.sleep(1.5)
        terminal.keys("C-Down")
        terminal.type("Acme Switch")
        terminal.wait_for(lambda text: SAVED.search(text.partition("Acme Switch")[2]),
                          "the text to be saved")
        pid = terminal.pid()
        os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 20
        while not _gone(pid):
            assert time.monotonic() < deadline, "the process did not die"
            time.sleep(0.1)
    finally:
        terminal.stop()

    audits = json.loads(cli(home, "list", "--json"))
    assert len(audits) == 1 and audits[0]["jurisdiction"] == "WA"
    shown = json.loads(cli(home, "show", audits[0]["id"], "--json"))
    answers = {q["id"]: q["answer"]["value"] for q in shown["questions"] if q["answer"]}
    assert answers == {"connected": "yes", "switch_vendor": "Acme Switch"}

    # and the restarted program shows them
    again = Terminal(home)
    again.start()
    try:
        again.wait_text("WA")
        again.keys("Enter")
        again.wait_text("Acme Switch")
    finally:
        again.stop()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP], ids=["TERM", "HUP"])
def test_typing_survives_sigterm_and_sighup(tmp_path: Path, signum: int) -> None:
    """Text typed 0.1 s before a SIGTERM (a shutdown) or SIGHUP (an ssh drop), not yet saved
    by the pause after typing, is saved; and the terminal is left in its normal mode."""
    home = tmp_path / "home"
    audit = cli(home, "new", "--checklist", str(SAMPLE), "--jurisdiction", "WA",
                "--period-start", "2024-01-01", "--period-end", "2024-12-31").strip()
    cli(home, "answer", audit, "connected", "yes")
    modes = tmp_path / "stty.txt"
    terminal = Terminal(home)
    terminal.start(after=f"stty -a > {shlex.quote(str(modes))}")
    try:
        terminal.wait_text("WA")
        terminal.keys("Enter")
        terminal.wait_text("Who operates the message switch?")
        time.sleep(1.5)  # the opening settles (a key typed during it lands where it began)
        terminal.keys("C-Down")
        terminal.type("Acme Switch")
        terminal.wait_text("Acme Switch")
        time.sleep(0.1)
        os.kill(terminal.program_pid(), signum)
        deadline = time.monotonic() + 30
        while not modes.exists() or not modes.read_text().strip():
            assert time.monotonic() < deadline, "the program did not leave"
            time.sleep(0.1)
    finally:
        terminal.stop()

    shown = json.loads(cli(home, "show", audit, "--json"))
    answers = {q["id"]: q["answer"]["value"] for q in shown["questions"] if q["answer"]}
    assert answers == {"connected": "yes", "switch_vendor": "Acme Switch"}
    words = modes.read_text().split()
    assert "icanon" in words and "echo" in words, modes.read_text()
