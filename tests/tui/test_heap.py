"""The heap alive when the first screen is ready is kept out of the collector's way while
the interface runs, and given back when it exits."""

from __future__ import annotations

import gc

from app.audit import AuditInfo, AuditService
from app.tui import heap
from app.tui.app import AuditApp

from .helpers import open_first_audit, settle


async def test_the_heap_is_frozen_while_the_interface_runs(service: AuditService,
                                                         audit: AuditInfo) -> None:
    before = gc.get_threshold()
    assert gc.get_freeze_count() == 0
    app = AuditApp(service)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert gc.get_freeze_count() > 10_000
        assert gc.get_threshold() == (heap.YOUNG_OBJECTS, heap.OLDER_RATIO, heap.OLDER_RATIO)
        await open_first_audit(pilot)
        await settle(pilot)
    assert gc.get_freeze_count() == 0
    assert gc.get_threshold() == before


def test_release_without_settle_changes_nothing() -> None:
    before = gc.get_threshold()
    heap.release()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_settle_twice_keeps_the_first_thresholds_to_restore() -> None:
    before = gc.get_threshold()
    try:
        heap.settle()
        heap.settle()
        assert gc.get_threshold()[0] == heap.YOUNG_OBJECTS
    finally:
        heap.release()
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0
