"""Modal dialogs, each a typed `ModalScreen[T]` that returns its result with `dismiss()`."""
