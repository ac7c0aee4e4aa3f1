"""A footer that rebuilds its keys only when the keys it would show change."""

from __future__ import annotations

from collections.abc import Hashable

from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer, without the rebuild that shows the same keys again.

    `Footer` unmounts and mounts a widget per key whenever the screen's bindings may have
    changed: on every focus change. On the audit screen that is several times per section
    switch and per Tab, almost always for the same keys.
    """

    _shown: Hashable | None = None

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
