"""Moving through an audit: sections, questions, jumps and the next thing to do."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.events import DescendantFocus
from textual.widget import Widget
from textual.widgets import OptionList

from app.audit import next_to_do
from app.tui.screens.audit_pane import AuditPane
from app.tui.widgets.question import QuestionCard
from app.tui.widgets.sections import SectionList
from app.tui.widgets.table import TableEditor


class AuditNavigation(AuditPane):
    """The audit pane with the moves between sections and questions.

    Section changes run one at a time (`after_section_changes`); the question that has, or
    last had, the focus is what the question keys act on.
    """

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """A section chosen in the list."""
        event.stop()
        self.open_section(event.option_index)

    def open_section(self, index: int) -> None:
        """Open section `index`; of several asked for in a row, only the last is opened."""
        self._wanted_section = index

        async def open_wanted() -> None:
            if self._wanted_section is not None:
                wanted, self._wanted_section = self._wanted_section, None
                await self.show_section(wanted)

        self.after_section_changes(open_wanted)

    def _target_section(self) -> int:
        return self.section_index if self._wanted_section is None else self._wanted_section

    def action_next_section(self) -> None:
        """Open the next section."""
        if self._target_section() + 1 < len(self.sections):
            self.open_section(self._target_section() + 1)

    def action_previous_section(self) -> None:
        """Open the previous section."""
        if self._target_section() > 0:
            self.open_section(self._target_section() - 1)

    def action_sections(self) -> None:
        """Put the focus in the section list (arrows and Enter open a section)."""
        self.query_one(SectionList).focus()

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        """Remember the question that has the focus."""
        node: Widget | None = event.widget
        while node is not None and not isinstance(node, QuestionCard):
            node = node.parent if isinstance(node.parent, Widget) else None
        if isinstance(node, QuestionCard) and node.question.id != self.current_question:
            self.current_question = node.question.id
            self._remember_position_soon()
        if isinstance(node, QuestionCard):
            # after Textual's own scroll, which shows the field alone
            self.call_after_refresh(self._show_whole_card, node, event.widget)

    def _show_whole_card(self, card: QuestionCard, field: Widget) -> None:
        """Bring the whole card of the focused field into view (prompt to note row); of a
        card taller than the pane its top, if the field stays in view, else the field."""
        if self.focused is not field or not card.is_mounted:
            return
        pane = self.query_one("#questions", VerticalScroll)
        view = pane.scrollable_content_region
        box = card.region.grow(card.styles.margin)
        if box.height <= view.height:
            pane.scroll_to_widget(card, animate=False)
        elif field.region.bottom - (box.y - view.y) <= view.bottom:
            pane.scroll_to_widget(card, animate=False, top=True)
        elif not view.contains_region(field.region):
            pane.scroll_to_widget(field, animate=False, top=True)

    def focused_card(self) -> QuestionCard | None:
        """The card of the question that has (or last had) the focus, in this section."""
        if self.current_question is not None:
            card = self.card(self.current_question)
            if card is not None and card.display:
                return card
        return None

    def _step(self, delta: int) -> None:
        visible = [c for c in self.cards() if c.display]
        current = self.focused_card()
        if current in visible:
            position = visible.index(current) + delta
        else:
            position = 0 if delta > 0 else len(visible) - 1
        if 0 <= position < len(visible):
            self.focus_card(visible[position])
        elif delta > 0 and self.section_index + 1 < len(self.sections):
            index = self.section_index + 1
            self.after_section_changes(lambda: self._open_at(index, first=True))
        elif delta < 0 and self.section_index > 0:
            index = self.section_index - 1
            self.after_section_changes(lambda: self._open_at(index, first=False))

    async def _open_at(self, index: int, *, first: bool) -> None:
        await self.show_section(index, focus=False)
        visible = [c for c in self.cards() if c.display]
        if visible:
            await self.open_card(visible[0] if first else visible[-1])

    def action_next_question(self) -> None:
        """Go to the next question shown (into the next section at the end of this one)."""
        self._step(1)

    def action_previous_question(self) -> None:
        """Go to the previous question shown."""
        self._step(-1)

    def jump_to(self, question_id: str, *, row: int | None = None) -> None:
        """Open the section of `question_id` and go to its question (for a table, with
        the cursor on `row`, when given)."""
        self.after_section_changes(lambda: self._jump(question_id, row=row))

    async def _jump(self, question_id: str, *, quiet: bool = False,
                    row: int | None = None) -> None:
        index = self.section_of(question_id)
        if index is None:
            self.notify(f"The checklist has no question {question_id!r}.", severity="warning")
            return
        if index != self.section_index or not self.cards():
            await self.show_section(index, focus=False)
        card = self.card(question_id)
        if card is None:
            return
        if not card.display and self.todo_only and self.view.evaluation.visible.get(
                question_id, True):
            self._kept.add(question_id)  # asked for by name: shown, though answered
            self.show_view()
        if not card.display:
            if quiet:  # a remembered place that later answers hid: start the section
                self.focus_first_question()
            else:
                self.notify("That question is hidden by earlier answers in this audit.",
                            severity="warning")
            return
        if not await self.open_card(card):
            self.current_question = question_id
        if row is not None and isinstance(editor := card.open_editor, TableEditor):
            editor.show_row(row)
        self.call_after_refresh(self.query_one("#questions", VerticalScroll).scroll_to_widget,
                                card, animate=False, top=True)

    def action_next_todo(self) -> None:
        """Go to the next required unanswered or carried unconfirmed question: on in the
        open section, then from its start (wrapping within it), then around the audit."""
        self.flush_all()
        self.reload()
        question_id = next_to_do(self.view, self.current_question)
        if question_id is None:
            self.notify("Nothing left to do: every required question is answered and every "
                        "carried answer confirmed. ctrl+r opens the review.")
            return
        if question_id == self.current_question:
            self.notify("This is the only question left to do.")
        self.jump_to(question_id)

    def action_todo_only(self) -> None:
        """Show only the questions still to do in each section, or all of them again."""
        self.flush_all()
        self.todo_only = not self.todo_only
        self._kept = set()
        self.reload()
        self.show_view()
        current = self.focused_card()
        if self.todo_only and current is None:
            self.focus_first_question()
        if self.todo_only and not any(card.display for card in self.cards()):
            self.query_one(SectionList).focus()
            self.notify("Nothing left to do in this section. F8 shows every question again.")
