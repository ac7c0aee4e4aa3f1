"""The garbage collector kept off the keys.

An open interface holds a large heap that lives until it exits: the modules, the styles,
the checklist. Python's collector walks all of it again at every full collection, which a
section switch (a few thousand widgets' worth of objects made and dropped) set off about
once in four switches, at some 180 ms each. Once the first screen is ready, what is alive
is moved out of the collector's reach (`gc.freeze`), and young objects are collected in
larger batches. Objects frozen here that later become cyclic garbage are freed when the
interface exits (`release`).
"""

from __future__ import annotations

import gc

YOUNG_OBJECTS = 5_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""
OLDER_RATIO = 20
"""Collections of one generation per collection of the next (Python's default: 10)."""

_defaults: tuple[int, int, int] | None = None


def settle() -> None:
    """Collect once, freeze what is left alive, and collect the young in larger batches."""
    global _defaults
    gc.collect()
    gc.freeze()
    if _defaults is None:
        _defaults = gc.get_threshold()
        gc.set_threshold(YOUNG_OBJECTS, OLDER_RATIO, OLDER_RATIO)


def release() -> None:
    """Give the frozen objects back to the collector and restore its thresholds."""
    global _defaults
    gc.unfreeze()
    if _defaults is not None:
        gc.set_threshold(*_defaults)
        _defaults = None
