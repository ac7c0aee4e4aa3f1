"""A list of headings and items, where an item may jump to a question of the audit."""

from __future__ import annotations

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


class JumpList(OptionList):
    """Headings (not selectable) and items; Enter on an item with a question jumps to it.

    Build it with `begin()`, `heading()`, `note()` and `item()`, then `finish()`.
    Selecting an item posts `JumpList.Jump` with its question id; items without one say
    so with a notification.
    """

    class Jump(Message):
        """The user chose an item that names a question."""

        def __init__(self, question_id: str, row: int | None = None) -> None:
            super().__init__()
            self.question_id = question_id
            """The question to go to."""
            self.row = row
            """For a table question, the row to put the cursor on (None: none in particular)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pending: list[Option | None] = []
        self._targets: dict[str, str | None] = {}
        self._rows: dict[str, int] = {}

    def begin(self) -> None:
        """Start building the list afresh."""
        self._pending = []
        self._targets = {}
        self._rows = {}

    def heading(self, text: str, count: int | None = None, *, style: str = "bold") -> None:
        """A heading line (with a count, when given); it cannot be selected."""
        label = text if count is None else f"{text} ({count})"
        if self._pending:
            self._pending.append(None)
        self._pending.append(Option(Content.styled(label, style), disabled=True))

    def note(self, text: str) -> None:
        """A dim line under a heading (such as "none"); it cannot be selected."""
        self._pending.append(Option(Content.styled(f"  {text}", "dim"), disabled=True))

    def item(self, prompt: Content | str, question_id: str | None, *,
             row: int | None = None) -> None:
        """An item; `question_id` is where Enter goes (None: nowhere to go), and `row` the
        row of its table to put the cursor on."""
        key = f"item-{len(self._targets)}"
        self._targets[key] = question_id
        if row is not None:
            self._rows[key] = row
        text = prompt if isinstance(prompt, Content) else Content(prompt)
        self._pending.append(Option(Content.assemble("  ", text), id=key))

    def finish(self) -> None:
        """Show what was built and put the cursor on the first item."""
        self.clear_options()
        self.add_options(self._pending)
        self._pending = []
        first = next((i for i in range(self.option_count)
                      if not self.get_option_at_index(i).disabled), None)
        self.highlighted = first

    @property
    def item_count(self) -> int:
        """How many selectable items the list has."""
        return len(self._targets)

    def target(self, index: int) -> str | None:
        """The question id of the option at `index`, if it has one."""
        option = self.get_option_at_index(index)
        return self._targets.get(option.id or "")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter on an item: jump to its question, or say there is nowhere to go."""
        event.stop()
        target = self._targets.get(event.option.id or "")
        if target is None:
            self.notify("This entry has no question in this audit to go to.",
                        severity="information")
            return
        self.post_message(self.Jump(target, self._rows.get(event.option.id or "")))
