"""Checklist load errors that name the file, the line and the fix."""

from dataclasses import dataclass

from app.errors import UserFacingError


@dataclass(frozen=True)
class ChecklistIssue:
    """One problem in a checklist file."""

    file: str
    line: int | None
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}. Fix: {self.fix}"


class ChecklistError(UserFacingError):
    """A checklist file could not be loaded; `issues` lists every problem found."""

    def __init__(self, issues: list[ChecklistIssue]):
        self.issues = issues
        super().__init__("\n".join(str(issue) for issue in issues))
