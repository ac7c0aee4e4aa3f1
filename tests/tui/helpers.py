"""Shared steps of the TUI pilot tests."""

from __future__ import annotations

from pathlib import Path
from typing import TypeVar

from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input

from app.tui.app import AuditApp
from app.tui.screens.audit import AuditScreen
from app.tui.screens.home import HomeScreen
from app.tui.widgets.card_actions import ACTIONS, CardActions
from app.tui.widgets.question import DEBOUNCE_SECONDS, QuestionCard

SAMPLE = Path(__file__).resolve().parents[1] / "fixtures" / "sample-checklist.yaml"
SETTLE = DEBOUNCE_SECONDS + 0.3

DialogT = TypeVar("DialogT", bound=Screen[object])


async def open_first_audit(pilot: Pilot) -> AuditScreen:
    """From the home screen, open the audit under the cursor with Enter."""
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, AuditScreen)
    return screen


def card(app: AuditApp, question_id: str) -> QuestionCard:
    """The card of a question in the open section."""
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    found = screen.card(question_id)
    assert found is not None, f"{question_id} is not in the open section"
    return found


async def focus(pilot: Pilot, widget: Widget) -> None:
    """Give `widget` the focus and let the screen settle."""
    widget.focus()
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Type `text` key by key into the focused widget."""
    await pilot.press(*[{" ": "space"}.get(ch, ch) for ch in text])


async def click_action(pilot: Pilot, question: QuestionCard, action: str) -> None:
    """Click the link of `action` ("evidence", "not_applicable", "clear") in a card,
    where it is drawn."""
    links = question.query_one(CardActions)
    label = ACTIONS[action][0]
    drawn = links.render().plain
    assert label in drawn, f"{label!r} is not among {drawn!r}"
    await pilot.click(links, offset=(drawn.index(label), 0))
    await pilot.pause()


SAMPLE_V2 = SAMPLE.with_name("sample-checklist-v2.yaml")


async def settle(pilot: Pilot) -> None:
    """Let pushed screens appear and workers (section changes, jumps) finish."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def text_of(widget: Widget) -> str:
    """The plain text a Static (or any widget) shows."""
    rendered = widget.render()
    return getattr(rendered, "plain", str(rendered))


async def opened(pilot: Pilot, question_id: str) -> QuestionCard:
    """The card of a question in the open section, with its editor open (as Enter on the
    card opens it), once the screen has settled."""
    found = card(pilot.app, question_id)  # type: ignore[arg-type]
    await found.open()
    await pilot.pause()
    return found


def focus_within(app: AuditApp, widget: Widget) -> bool:
    """True when `widget` or one of its descendants has the focus."""
    return app.focused is not None and widget in app.focused.ancestors_with_self


async def switch_back_and_forth(pilot: Pilot, screen: AuditScreen, *,
                                opening: tuple[str, ...] = ()) -> None:
    """Switch six times to the second section and back; each time back, open the
    editors of the questions in `opening`. Ends on the first section."""
    for index in [1, 0] * 6:
        screen.open_section(index)
        await settle(pilot)
        if index == 0:
            for question_id in opening:
                await opened(pilot, question_id)


async def dialog_from_field(pilot: Pilot, question_id: str, key: str,
                            kind: type[DialogT]) -> DialogT:
    """Open the editor of `question_id`, focus its text field, press `key` there, and return
    the dialog of `kind` it opens."""
    await focus(pilot, (await opened(pilot, question_id)).query_one(Input))
    await pilot.press(key)
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, kind)
    return dialog
