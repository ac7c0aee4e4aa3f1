"""ORIs (Originating Agency Identifiers) and ORI patterns, as an auditor lists them.

Grammar (docs/checklist-format.md, "ORI lists"), compared ignoring case:

- an **ORI** is 7 to 10 letters or digits: two letters (the state or the Nlets federal
  line code), then letters or digits with at least one digit, e.g. ``WA0340000``,
  ``FL0520300``, ``DCFBIWA00``. NCIC ORIs have 9 characters; 7 to 10 are accepted so that
  a switch's own identifiers can be listed too.
- an **ORI pattern** is the same with ``*`` standing for any run of characters and ``?``
  for exactly one, the first two characters written out and at most 10 characters
  besides ``*``, e.g. ``DHSICE*``, ``WA034001?``, ``DHS??0100``.
- a **list** separates entries by commas, semicolons or white space.

Words ("listed in evidence", "see attachment", "ICE") are neither: refusing them keeps a
note from being matched as the ORIs LISTED, IN and EVIDENCE.
"""

from __future__ import annotations

import re

_ORI = re.compile(r"[A-Z]{2}[A-Z0-9]{5,8}")
_PATTERN = re.compile(r"[A-Z]{2}[A-Z0-9*?]+")
_SEPARATORS = re.compile(r"[,;\s]+")
MAX_ENTRIES = 200
"""The most ORIs and patterns one cell may list."""

ORI_HELP = ("an ORI is 7 to 10 letters or digits, two letters first and at least one digit "
            "(e.g. WA0340000); a pattern uses * for any run of characters and ? for one, "
            "after the first two letters (e.g. DHSICE* or WA034001?); separate several "
            "with commas")
"""What an ORI and an ORI pattern look like, for messages."""


class NotAnOri(ValueError):
    """An entry of an ORI list that is neither an ORI nor an ORI pattern."""

    def __init__(self, entry: str, problem: str) -> None:
        super().__init__(f"{entry[:40]!r} {problem}")
        self.entry = entry
        self.problem = problem


def check_ori_entry(entry: str) -> str:
    """`entry` upper-cased if it is an ORI or an ORI pattern, else NotAnOri."""
    folded = entry.strip().upper()
    if not folded.isascii() or not _PATTERN.fullmatch(folded):
        if folded[:2].isalpha() or not folded:
            raise NotAnOri(entry, "is not an ORI or ORI pattern")
        raise NotAnOri(entry, "is not an ORI or ORI pattern: it must start with two "
                       "letters")
    if "*" not in folded and "?" not in folded:
        if not _ORI.fullmatch(folded) or not any(c.isdigit() for c in folded):
            raise NotAnOri(entry, "is not an ORI (nor a pattern with * or ?)")
        return folded
    if len(folded.replace("*", "")) > 10:
        raise NotAnOri(entry, "is longer than an ORI")
    return folded


def parse_ori_list(text: str) -> tuple[str, ...]:
    """The entries of an ORI list, upper-cased, each once, in order; NotAnOri for the
    first entry that is neither an ORI nor a pattern. Empty text gives ()."""
    entries: list[str] = []
    for token in _SEPARATORS.split(text.strip()):
        if not token:
            continue
        folded = check_ori_entry(token)
        if folded not in entries:
            entries.append(folded)
    if len(entries) > MAX_ENTRIES:
        raise NotAnOri(text[:40], f"lists {len(entries)} entries; at most {MAX_ENTRIES}")
    return tuple(entries)
