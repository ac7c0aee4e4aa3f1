"""Text that cannot drive a terminal: control characters refused on input, escaped on output.

A stored answer, note, title or name could hold ESC (starting a sequence that sets the
window title or writes the clipboard), other C0 or C1 controls, or bidirectional overrides
that make text read differently from what it is. Input refuses them (`control_problem`);
output shows whatever is already stored with such characters written as visible escapes
(`terminal_safe`), so that nothing stored reaches a terminal raw.
"""

from __future__ import annotations

import re

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI)."""

# C0 but tab and newline, DEL, C1, and the bidi controls above.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_REFUSED = {
    (newlines, bidi): re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + ("" if newlines else "\n")
                                 + ("" if bidi else "\u202a-\u202e\u2066-\u2069") + "]")
    for newlines in (False, True) for bidi in (False, True)}
"""What `control_problem` refuses, by (newlines allowed, bidi controls allowed)."""
_NAMES = {"\x1b": "ESC", "\r": "carriage return", "\x00": "NUL", "\x07": "BEL",
          "\x9b": "CSI", "\x9d": "OSC", "\x7f": "DEL"}


def _named(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    if name is None and char in BIDI_CONTROLS:
        name = "a bidirectional override"
    return f"{code} ({name})" if name else code


def control_problem(text: str, *, newlines: bool = True, bidi: bool = False) -> str | None:
    """What is wrong with `text` as input, or None when it is clean.

    Refused: C0 controls other than tab and (when `newlines`) newline, DEL, C1 controls,
    and, unless `bidi`, the bidirectional embedding, override and isolate characters.
    """
    found = _REFUSED[newlines, bidi].search(text)
    if found is None:
        return None
    return (f"holds the control character {_named(found.group())} at position "
            f"{found.start() + 1}; remove it (control characters are not accepted)")


def terminal_safe(text: str) -> str:
    """`text` with every control character but tab and newline, and every bidi control,
    written as a visible escape (\\u001b, \\u202e): safe to print to a terminal, and
    still valid JSON when `text` is JSON."""
    return _UNSAFE.sub(_escape, text)


def _escape(found: re.Match[str]) -> str:
    # \uXXXX rather than \xXX: the same escape is valid inside a JSON string.
    return f"\\u{ord(found.group()):04x}"


def terminal_safe_line(text: str) -> str:
    """`terminal_safe`, with newlines and tabs escaped too: for one-line output."""
    return terminal_safe(text).replace("\n", "\\n").replace("\t", "\\t")
