"""Storage: SQLModel tables, the engine and sessions, Alembic migrations. No business rules."""

from app.store.database import Store, default_database_url, open_store
from app.store.errors import StoreConflict, StoreError
from app.store.locks import lock_audit, retry_conflicts

__all__ = ["Store", "StoreConflict", "StoreError", "default_database_url", "lock_audit",
           "open_store", "retry_conflicts"]
