"""The PDFs' stylesheet keeps to layouts WeasyPrint lays out in one pass."""

from __future__ import annotations

import re

from app.report.html import templates_dir

SLOW_LAYOUT = re.compile(r"display\s*:\s*(inline-)?(flex|grid|table|table-cell|table-row)(?![\w-])")


def test_no_flex_grid_or_css_table_in_the_pdf_stylesheet():
    css = (templates_dir() / "report.css").read_text(encoding="utf-8")
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    assert SLOW_LAYOUT.findall(css) == []


def test_the_check_sees_a_flex_box():
    assert SLOW_LAYOUT.search(".q-head { display: flex; }")
    assert not SLOW_LAYOUT.search("thead { display: table-header-group; }")
