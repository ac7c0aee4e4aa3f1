"""ORIs in a log that no agency of the audit claims, and which of them look federal.

A federal agency's traffic must not hide among "other agencies": the analysis lists the
unmatched ORIs by count and flags those that look federal. The flags read the letters of
the ORI only (sources in docs/query-logs.md, "Unmatched ORIs"); an ORION look-up ("Query
by Federal", TQ) is what tells whose an ORI is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FEDERAL_LINE_CODES = {
    "FB": "the Nlets line code of FBI/NCIC",
    "TC": "the Nlets line code of TECS (Treasury Enforcement Communications System)",
    "DN": "the Nlets line code of the Naval Investigative Service",
    "AX": "the Nlets code of ICE's Law Enforcement Support Center (IAQ destination)",
}
"""Two-letter Nlets line codes of federal members (Nlets, ORI Rules; IAQ formats)."""

DHS_COMPONENTS = {
    "DHS": "Department of Homeland Security",
    "ICE": "Immigration and Customs Enforcement",
    "ERO": "ICE Enforcement and Removal Operations",
    "HSI": "Homeland Security Investigations",
    "CBP": "Customs and Border Protection",
    "CIS": "Citizenship and Immigration Services",
    "INS": "the former Immigration and Naturalization Service",
}
"""Abbreviations of DHS components doing or supporting immigration enforcement."""

LISTED_OTHERS = 50
"""How many unmatched ORIs that do not look federal are listed, most queries first."""
LISTED_FEDERAL = 500
"""How many federal-looking unmatched ORIs are listed at most."""


def federal_reason(ori: str | None) -> str | None:
    """Why `ori` looks federal (its line code, or a DHS component's letters at its start
    or after the two-letter code), or None."""
    if not ori:
        return None
    code = FEDERAL_LINE_CODES.get(ori[:2])
    if code is not None:
        return f"starts with {ori[:2]}, {code}"
    for place, letters in (("starts with", ori[:3]), ("has after its state code", ori[2:5])):
        component = DHS_COMPONENTS.get(letters)
        if component is not None:
            return f"{place} {letters} ({component})"
    return None


@dataclass(frozen=True)
class UnmatchedOri:
    """An ORI of the log that no agency's list matches, with its queries."""

    ori: str | None
    queries: int
    answered: int
    after_block: dict[str, int]
    """Queries dated after each block date of the audit (ISO date -> count)."""
    answered_after_block: dict[str, int]
    federal: str | None
    """Why it looks federal, or None."""

    def to_json(self) -> dict[str, Any]:
        """Plain JSON types, keys in a fixed order."""
        return {"ori": self.ori, "queries": self.queries, "answered": self.answered,
                "after_block": dict(sorted(self.after_block.items())),
                "answered_after_block": dict(sorted(self.answered_after_block.items())),
                "federal": self.federal}


def listed(found: list[UnmatchedOri]) -> tuple[UnmatchedOri, ...]:
    """The federal-looking ORIs (up to LISTED_FEDERAL), then the others with most
    queries (up to LISTED_OTHERS), each group by queries, most first."""
    ordered = sorted(found, key=lambda item: (-item.queries, item.ori or ""))
    federal = [item for item in ordered if item.federal][:LISTED_FEDERAL]
    others = [item for item in ordered if not item.federal][:LISTED_OTHERS]
    return (*federal, *others)
