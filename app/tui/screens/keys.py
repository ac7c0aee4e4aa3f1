"""The help screen: every key of every screen, read from the bindings themselves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

EXTRA: dict[str, list[tuple[str, str]]] = {
    "Everywhere": [
        ("ctrl+p", "command palette: actions, sections, questions"),
        ("", "(by words of a prompt, id, citation, answer)"),
        ("ctrl+k / ctrl+u", "in a text field: delete to the end / the start"),
        ("tab / shift+tab", "next / previous field"),
        ("right / end", "in a file path: take the suggested name"),
        ("f1", "this help"),
        ("ctrl+q", "save and quit"),
    ],
    "In a question": [
        ("enter, or type", "on a question shown as text: open its editor (what is typed"),
        ("", "goes into it); tab moves on to the next question without opening"),
        ("arrows, space, enter", "choose in yes/no/unknown, lists and drop-downs"),
        ("enter", "in a text field: save now (typing is saved after a short pause too)"),
    ],
}


def key_name(key: str) -> str:
    """A key as shown to people: "ctrl+down" stays, "delete,d" becomes "delete / d"."""
    return " / ".join(part.strip() for part in key.split(","))


def binding_rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    """(keys, description) for each binding that has a description."""
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding) and binding.description:
            rows.append((binding.key_display or key_name(binding.key), binding.description))
    return rows


def keys_text() -> Content:
    """The keys of every screen, grouped by screen."""
    from app.tui.screens.audit import AuditScreen
    from app.tui.screens.audit_history import AuditHistoryScreen
    from app.tui.screens.diff import DiffScreen
    from app.tui.screens.home import HomeScreen
    from app.tui.screens.review import ReviewScreen
    from app.tui.widgets.table import TableEditor

    groups: list[tuple[str, list[tuple[str, str]]]] = [
        ("Everywhere", EXTRA["Everywhere"]),
        ("Audit list", binding_rows(HomeScreen.BINDINGS)),
        ("Audit", binding_rows(AuditScreen.BINDINGS)),
        ("In a question", EXTRA["In a question"]),
        ("In a table question", binding_rows(TableEditor.BINDINGS)),
        ("Review", binding_rows(ReviewScreen.BINDINGS)),
        ("Changes since the previous audit", binding_rows(DiffScreen.BINDINGS)),
        ("History of the audit", binding_rows(AuditHistoryScreen.BINDINGS)),
    ]
    parts: list[Content | str | tuple[str, str]] = []
    for title, rows in groups:
        if parts:
            parts.append("\n")
        parts += [(title, "bold $accent"), "\n"]
        width = max(len(keys) for keys, _ in rows)
        for keys, description in rows:
            parts += [(f"  {keys:<{width}}  ", "bold"), description, "\n"]
    return Content.assemble(*parts)


class KeysScreen(ModalScreen[None]):
    """Every key, by screen."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close")]

    def compose(self) -> ComposeResult:
        """The list of keys in a scrolling pane."""
        with Vertical(classes="dialog", id="keys-dialog"):
            yield Static("Keys", classes="dialog-title")
            with VerticalScroll(classes="dialog-body", id="keys-body"):
                yield Static(keys_text(), id="keys")
        yield Footer(show_command_palette=False)

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")

    def action_close(self) -> None:
        """Back to where help was opened."""
        self.dismiss(None)
