"""Storage: SQLModel tables, the engine and sessions, Alembic migrations. No business rules.

Each name is imported on first use, so that what needs only the data directory does not
load SQLAlchemy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.lazy_names import lazy_dir, lazy_getattr

if TYPE_CHECKING:
    from app.store.database import Store, open_store
    from app.store.errors import StoreConflict, StoreError
    from app.store.location import DATABASE_FILE, data_home, default_database_url
    from app.store.locks import lock_audit, retry_conflicts

_WHERE = {
    "Store": "app.store.database",
    "open_store": "app.store.database",
    "StoreConflict": "app.store.errors",
    "StoreError": "app.store.errors",
    "DATABASE_FILE": "app.store.location",
    "data_home": "app.store.location",
    "default_database_url": "app.store.location",
    "lock_audit": "app.store.locks",
    "retry_conflicts": "app.store.locks",
}

__all__ = ["DATABASE_FILE", "Store", "StoreConflict", "StoreError", "data_home",
           "default_database_url", "lock_audit", "open_store", "retry_conflicts"]

__getattr__ = lazy_getattr(__name__, _WHERE)
__dir__ = lazy_dir(__name__)
