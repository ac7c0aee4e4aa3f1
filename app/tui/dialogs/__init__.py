"""Modal dialogs, each a typed `ModalScreen[T]` that returns its result with `dismiss()`."""

from textual.widgets import Static


def show_message(line: Static, text: str) -> None:
    """Show `text` in a message line, hiding the line while there is nothing to say."""
    line.update(text)
    line.display = bool(text)
