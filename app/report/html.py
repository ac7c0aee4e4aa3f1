"""HTML of the reports from the Jinja2 templates in the bundled `templates/` folder.

Autoescaping is on for every template, whatever its name, and every `{{ }}` value passes
through `visible_text`, which escapes it and turns control characters, bidirectional
overrides and other invisible or unassigned code points into a visible `U+XXXX` marker: an
answer can neither inject markup nor reorder or hide the text around it. Templates never
put a value into an attribute (a test scans them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from app.checklist.bundled import data_dir
from app.report.context import ReportContext

ATTESTATION_TEMPLATE = "attestation.html"
TRANSPARENCY_TEMPLATE = "transparency.html"
STYLESHEET = "report.css"

# Shown as a marker: control characters (Cc), surrogates, private-use and unassigned code
# points, and invisible format characters (Cf) such as bidirectional embeddings, overrides
# and isolates (which can reorder the text around them, so that "no" reads as "on"), tag
# characters (which can hide text) and the byte-order mark. Kept: the format characters
# that scripts need and that cannot reorder or hide text.
_MARKED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})
_KEPT = frozenset("\n\t\u00ad\u061c\u200b\u200c\u200d\u200e\u200f\u2060")


def templates_dir() -> Path:
    """The bundled templates folder (source tree or installed wheel)."""
    return data_dir("templates")


def needs_marker(char: str) -> bool:
    """True for a character that is shown as a visible `U+XXXX` marker instead of itself."""
    if char in _KEPT:
        return False
    return unicodedata.category(char) in _MARKED_CATEGORIES


def visible_text(value: Any) -> Markup:
    """`value` as escaped HTML text with invisible and control characters made visible."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    if not any(needs_marker(c) for c in text):
        return escape(text)
    parts = []
    for char in text:
        if needs_marker(char):
            parts.append(Markup('<span class="ctl">U+{:04X}</span>').format(ord(char)))
        else:
            parts.append(escape(char))
    return Markup("").join(parts)


# Identifiers: ORIs and ORI patterns (letters with digits, or ending in *), hashes, ids with
# underscores. They are printed in a span that never breaks or hyphenates. Longer tokens
# (over IDENTIFIER_LIMIT characters) are not identifiers and may break, so that no answer
# can push text off the page.
IDENTIFIER_LIMIT = 64
_IDENTIFIER = re.compile(
    rf"(?<![\w*])(?=[\w*]{{4,{IDENTIFIER_LIMIT}}}(?![\w*]))(?:"
    r"(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[A-Za-z])[A-Za-z0-9]{4,}\*?"  # ORIs, keys, hex
    r"|[A-Za-z0-9]{2,}\*"  # ORI patterns such as dcice*
    r"|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+"  # ids such as agency_access
    r")(?![\w*])")


def mark_identifiers(value: Any) -> Markup:
    """`visible_text(value)` with each identifier in a `<span class="ident">`."""
    if value is None:
        return Markup("")
    if isinstance(value, Markup):
        return value
    text = str(value)
    parts, last = [], 0
    for match in _IDENTIFIER.finditer(text):
        parts.append(visible_text(text[last:match.start()]))
        parts.append(Markup('<span class="ident">{}</span>').format(
            visible_text(match.group(0))))
        last = match.end()
    parts.append(visible_text(text[last:]))
    return Markup("").join(parts)


def join_text(items: Any, separator: str = "") -> Markup:
    """Jinja's `join`, but each item passes through `visible_text` like any printed value."""
    return visible_text(separator).join(visible_text(item) for item in items)


@lru_cache(maxsize=4)
def environment(folder: str | None = None) -> Environment:
    """The Jinja2 environment on the templates folder, autoescaping every template."""
    env = Environment(
        loader=FileSystemLoader(folder or str(templates_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=visible_text,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["join"] = join_text
    env.filters["ids"] = mark_identifiers
    return env


def render_template(name: str, context: ReportContext, **extra: Any) -> str:
    """Render one report template with a report context."""
    values = {f.name: getattr(context, f.name) for f in fields(context)}
    return environment().get_template(name).render(**values, **extra)


def attestation_html(context: ReportContext) -> str:
    """The HTML of the attestation."""
    return render_template(ATTESTATION_TEMPLATE, context)


def transparency_html(context: ReportContext) -> str:
    """The HTML of the public transparency report."""
    return render_template(TRANSPARENCY_TEMPLATE, context)


PAGE_TEMPLATE = "transparency_page.html"
WEB_STYLESHEET = "web.css"


def transparency_page_html(context: ReportContext) -> str:
    """The public report as one self-contained web page (stylesheet inlined, no script)."""
    css = (templates_dir() / WEB_STYLESHEET).read_text(encoding="utf-8")
    return render_template(PAGE_TEMPLATE, context, web_css=Markup(css))
