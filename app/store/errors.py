"""The store's errors: what the command line and the TUI show as one message."""

from app.errors import UserFacingError


class StoreError(UserFacingError):
    """The database could not be opened or used."""


class StoreConflict(StoreError):
    """A change met another writer and could not wait for it; `retry_conflicts` runs such
    a change again before showing this."""
