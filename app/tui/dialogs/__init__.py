"""Modal dialogs, each a typed `ModalScreen[T]` that returns its result with `dismiss()`."""

from textual.widgets import Static


def show_message(line: Static, text: str) -> None:
    """Show `text` in a message line, hiding the line while there is nothing to say."""
    line.update(text)
    line.display = bool(text)


def unquoted(path: str) -> str:
    """A path without the quotes a file manager or shell adds when it is pasted."""
    if len(path) >= 2 and path[0] == path[-1] and path[0] in "'\"":
        return path[1:-1]
    return path
