"""Errors that carry a message meant for the person using the tool."""


class UserFacingError(Exception):
    """An error whose message tells the user what went wrong and what to do.

    The command line prints the message alone and exits with code 2; the TUI shows it
    in a notification. Nothing that raises it has changed any stored data.
    """

    exit_code = 2


class CheckFailed(UserFacingError):
    """A check ran and found a problem (exit code 1 on the command line)."""

    exit_code = 1
