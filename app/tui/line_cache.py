"""The rendered lines of removed widgets let go.

Textual 8.2.8 caches `StylesCache.get_inner_outer` with `functools.lru_cache(1024)` on a
method (textual/_styles_cache.py, line 257), so the cache's keys hold the `StylesCache` of
the 1,024 widgets that last drew a background, and with it every line each of them last
rendered (strips, each with its own small caches), long after the widget is gone. A
section switch replaces a few hundred widgets, so these dead lines fill the cache within a
few switches: some 10 MB, bounded but never given back.
"""

from __future__ import annotations

from textual._styles_cache import StylesCache


def drop_removed() -> None:
    """Forget Textual's cached background pairs, and with them the line caches of the
    widgets already removed (those still shown only compute their pair again)."""
    StylesCache.get_inner_outer.cache_clear()
