"""The rules every text and date given to the services follows."""

from __future__ import annotations

import datetime as dt
import re

from app.errors import UserFacingError
from app.safe_text import control_problem

NOTE_LIMIT = 20_000
REASON_LIMIT = 2_000
LINE_LIMIT = 300
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def checked_date(text: str | None, what: str) -> str:
    """`text` as a date written YYYY-MM-DD (no other form: 20250101 is refused)."""
    cleaned = str(text or "").strip()
    try:
        if not _ISO_DATE.fullmatch(cleaned):
            raise ValueError(cleaned)
        return dt.date.fromisoformat(cleaned).isoformat()
    except ValueError:
        raise UserFacingError(f"the {what} {text!r} is not a date; write it as YYYY-MM-DD"
                              ) from None


def clean_line(text: str | None, what: str) -> str:
    """`text` on one line, runs of white space made one space, at most LINE_LIMIT long,
    without control characters or bidirectional overrides (it names or identifies)."""
    cleaned = " ".join((text or "").split())
    return limited(cleaned, LINE_LIMIT, what, bidi=False)


def limited(text: str, limit: int, what: str, *, bidi: bool = True) -> str:
    """`text` when it is valid Unicode of at most `limit` characters with no control
    characters but tab and newline (nor, unless `bidi`, bidirectional overrides); else a
    clear error."""
    from app.checklist.values import require_unicode

    require_unicode(text, (f"the {what}",))
    problem = control_problem(text, newlines=True, bidi=bidi)
    if problem is not None:
        raise UserFacingError(f"the {what} {problem}")
    if len(text) > limit:
        raise UserFacingError(f"the {what} is {len(text)} characters long; the limit is {limit}")
    return text

