"""A footer that rebuilds its keys only when the keys it would show change, and that drops
the last keys, never F1, when they do not fit."""

from __future__ import annotations

from collections.abc import Hashable

from textual import events
from textual.screen import Screen
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeyFooter(Footer):
    """Textual's Footer, without the rebuild that shows the same keys again.

    `Footer` unmounts and mounts a widget per key whenever the screen's bindings may have
    changed: on every focus change. On the audit screen that is several times per section
    switch and per Tab, almost always for the same keys.
    """

    _shown: Hashable | None = None
    KEPT = frozenset({"f1"})
    """Keys shown whatever the width: F1 lists every key."""

    def bindings_changed(self, screen: Screen) -> None:
        """Rebuild the keys if they differ from the ones shown."""
        shown = self._keys_for(screen)
        if shown == self._shown and self.children:
            return
        if screen.app.app_focus:  # the Footer rebuilds only then: remember only then
            self._shown = shown
        super().bindings_changed(screen)

    def _keys_for(self, screen: Screen) -> Hashable:
        return (tuple((binding.key, binding.description, binding.action, binding.group,
                       enabled, tooltip)
                      for _node, binding, enabled, tooltip in screen.active_bindings.values()
                      if binding.show or binding.key == self.app.COMMAND_PALETTE_BINDING),
                self.show_command_palette, self.compact)

    async def recompose(self) -> None:
        """Rebuild the keys, then keep those that fit."""
        await super().recompose()
        self.fit_keys()

    def on_resize(self, event: events.Resize) -> None:
        """Keep the keys that fit the new width."""
        self.fit_keys(event.size.width)

    def fit_keys(self, width: int | None = None) -> None:
        """Hide keys from the end of the list (the least used, as screens order them) until
        the rest fit on one line; the palette key and F1 stay."""
        keys = list(self.query(FooterKey))
        room = (self.size.width if width is None else width) - sum(
            _width(key) for key in keys if key.has_class("-command-palette"))
        listed = [key for key in keys if not key.has_class("-command-palette")]
        needed = sum(_width(key) for key in listed)
        for key in listed:
            key.display = True
        for key in reversed(listed):
            if needed <= room:
                break
            if key.key not in self.KEPT:
                key.display = False
                needed -= _width(key)


def _width(key: FooterKey) -> int:
    """The cells a footer key takes: its key, its description, padding and a space."""
    return len(key.key_display) + len(key.description) + 3
