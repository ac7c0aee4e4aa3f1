"""Storage: SQLModel tables, the engine and sessions, Alembic migrations. No business rules."""

from app.store.database import Store, StoreError, default_database_url, open_store

__all__ = ["Store", "StoreError", "default_database_url", "open_store"]
