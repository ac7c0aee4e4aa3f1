"""A field for a file's path that suggests the rest of the name from the filesystem.

The suggestion is Textual's own, shown dimmed after the cursor; at the end of the field
Right (Textual's key) or End / ctrl+e (as in fish) takes it. Tab keeps moving to the next
field, as in every dialog. Completion is case-sensitive
(as the filesystem is), expands `~`, ends a directory's name with `/`, and offers hidden
names only once a `.` is typed. It reads at most `SCAN_LIMIT` entries of a directory, in a
thread, so a folder of a hundred thousand files never stalls the screen; a directory that
cannot be read gives no suggestion. A name holding a control character is never offered:
it could not be shown as it is, and its escaped form would name another file. A field for
one kind of file (a table's .csv or .xlsx) offers only directories and names so ending.
"""

from __future__ import annotations

import asyncio
import os

from textual.suggester import Suggester
from textual.widgets import Input

from app.safe_text import terminal_safe_line

SCAN_LIMIT = 5_000
"""The most entries of one directory read for one suggestion."""


def complete_path(value: str, *, limit: int = SCAN_LIMIT,
                  suffixes: tuple[str, ...] = ()) -> str | None:
    """`value` with the rest of its last name completed from the filesystem, or None.

    With `suffixes` (".csv", …, matched whatever their case), only directories and files
    whose names end so are offered.

    One matching name is completed in full (a directory with a trailing `/`); several are
    completed as far as they agree, and where they agree no further than typed, to the
    first of them in order (a directory named exactly as typed first).
    """
    head, slash, fragment = value.rpartition("/")
    if not slash:
        if value == "~":
            return "~/" if os.path.isdir(os.path.expanduser("~")) else None
        if value.startswith("~"):
            return None  # "~name": user names are not completed
        directory = "."
    else:
        directory = os.path.expanduser(head + "/")
    found = _matching(directory, fragment, limit, suffixes)
    if not found:
        return None
    names = sorted(found)
    if len(names) == 1:
        name = names[0]
        return value + name[len(fragment):] + ("/" if found[name] else "")
    common = os.path.commonprefix(names)
    if len(common) > len(fragment):
        return value + common[len(fragment):]
    if found.get(fragment):
        return value + "/"
    name = next(n for n in names if len(n) > len(fragment))
    return value + name[len(fragment):] + ("/" if found[name] else "")


def _matching(directory: str, fragment: str, limit: int,
              suffixes: tuple[str, ...]) -> dict[str, bool]:
    """The names in `directory` that start with `fragment` (and are directories or end in
    one of `suffixes`, when given), each with whether it is a directory, from at most
    `limit` entries; none when the directory cannot be read."""
    hidden = fragment.startswith(".")
    found: dict[str, bool] = {}
    try:
        with os.scandir(directory) as entries:
            for count, entry in enumerate(entries):
                if count >= limit:
                    break
                name = entry.name
                if (not name.startswith(fragment) or (name.startswith(".") and not hidden)
                        or terminal_safe_line(name) != name):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if is_dir or not suffixes or name.lower().endswith(suffixes):
                    found[name] = is_dir
    except OSError:
        return {}
    return found


class PathSuggester(Suggester):
    """Suggests the rest of a path's last name (see `complete_path`), read in a thread.

    Nothing is cached: the folder may change while the dialog is open.
    """

    def __init__(self, *, limit: int = SCAN_LIMIT, suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.limit = limit
        """The most entries of one directory read for one suggestion."""
        self.suffixes = tuple(suffix.lower() for suffix in suffixes)
        """The endings of the files offered (all files when empty)."""

    async def get_suggestion(self, value: str) -> str | None:
        """The completed path, or None when nothing on disk completes `value`."""
        return await asyncio.to_thread(complete_path, value, limit=self.limit,
                                       suffixes=self.suffixes)


COMPLETION_HELP = "→ or End at the end of the field takes the suggested name."
"""The line a dialog shows under its path field."""


class PathInput(Input):
    """A one-line field for a file's path, its name completed as it is typed; End (or
    ctrl+e) at the end of the field takes the suggestion, as Right does."""

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None,
                 classes: str | None = None, limit: int = SCAN_LIMIT,
                 suffixes: tuple[str, ...] = ()) -> None:
        super().__init__(value, placeholder=placeholder, id=id, classes=classes,
                         compact=True, suggester=PathSuggester(limit=limit,
                                                               suffixes=suffixes))

    def action_end(self, select: bool = False) -> None:
        """Go to the end of the field; already there, take the suggested name."""
        if not select and self.cursor_at_end and self._suggestion:
            self.value = self._suggestion
        super().action_end(select)
