"""The signature stamp's font ships already at 1000 units per em: no process rescales it."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from app.checklist.bundled import data_dir
from app.report import signing

SYSTEM_DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_bundled_stamp_font_is_dejavu_sans_at_1000_units_per_em():
    font = TTFont(str(data_dir("templates") / "fonts" / signing.STAMP_FONT))
    assert font["head"].unitsPerEm == 1000
    assert font["name"].getDebugName(1) == "DejaVu Sans"
    assert "FFTM" not in font and "GPOS" not in font and "kern" in font
    assert font.getBestCmap()[ord("é")]  # more than ASCII: signers' names are not
    assert (Path(data_dir("templates")) / "fonts" / "LICENSE-DejaVu.txt").is_file()


@pytest.mark.skipif(not SYSTEM_DEJAVU.is_file(),
                    reason=f"{SYSTEM_DEJAVU} (fonts-dejavu-core) is not installed")
def test_bundled_stamp_font_is_the_recipe_applied_to_dejavu_sans(tmp_path):
    remade = tmp_path / "remade.ttf"
    signing.rescale_font(SYSTEM_DEJAVU, remade)
    shipped = TTFont(str(data_dir("templates") / "fonts" / signing.STAMP_FONT))
    again = TTFont(str(remade))
    assert shipped.getGlyphOrder() == again.getGlyphOrder()
    assert shipped["hmtx"].metrics == again["hmtx"].metrics
    assert shipped.getBestCmap() == again.getBestCmap()


def test_the_default_stamp_font_is_not_rescaled_in_the_process(monkeypatch):
    import fontTools.ttLib.scaleUpem as scale_upem_module

    def refuse(*_args, **_kwargs):
        raise AssertionError("the stamp font was rescaled at signing time")

    monkeypatch.setattr(scale_upem_module, "scale_upem", refuse)
    signing._stamp_font.cache_clear()
    try:
        factory = signing._stamp_font(None)
        assert Path(factory.font_file).name == signing.STAMP_FONT
    finally:
        signing._stamp_font.cache_clear()


def test_another_font_file_is_still_rescaled_for_the_stamp(tmp_path):
    if not SYSTEM_DEJAVU.is_file():
        pytest.skip(f"{SYSTEM_DEJAVU} (fonts-dejavu-core) is not installed")
    signing._stamp_font.cache_clear()
    try:
        factory = signing._stamp_font(SYSTEM_DEJAVU)
        assert TTFont(factory.font_file)["head"].unitsPerEm == 1000
    finally:
        signing._stamp_font.cache_clear()
