"""The sentinel a change passes when its writer says nothing about what it last saw, in a
module of its own so that the command line can name it without loading the store."""

from __future__ import annotations

from typing import Any


class _Unchecked:
    """The writer says nothing about what it saw: the change is not checked."""

    def __repr__(self) -> str:
        return "UNCHECKED"


UNCHECKED: Any = _Unchecked()
