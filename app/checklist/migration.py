"""Map the questions of an earlier checklist version onto a later one."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.checklist.model import Checklist


@dataclass(frozen=True)
class QuestionMapping:
    """Where each old question's answer goes, and which old questions are dropped (why)."""

    targets: dict[str, list[str]] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)


def map_questions(old: Checklist, new: Checklist) -> QuestionMapping:
    """Map every question of `old` to its question(s) in `new`.

    A migration map in `new` for `old`'s version decides first, then `renamed_from` on the
    new questions, then a question with the same id; anything else is dropped.
    """
    current = {q.id for q in new.questions()}
    renamed_from = {old_id: q.id for q in new.questions() for old_id in q.renamed_from}
    migration = next((m for m in new.migrations if m.from_version == old.version), None)
    mapping = QuestionMapping()
    for question in old.questions():
        qid = question.id
        if migration and qid in migration.removed:
            reason = migration.removed[qid] or f"removed in version {new.version}"
            mapping.dropped[qid] = reason
        elif migration and qid in migration.split:
            mapping.targets[qid] = list(migration.split[qid])
        elif migration and qid in migration.renamed:
            mapping.targets[qid] = [migration.renamed[qid]]
        elif qid in renamed_from:
            mapping.targets[qid] = [renamed_from[qid]]
        elif qid in current:
            mapping.targets[qid] = [qid]
        else:
            mapping.dropped[qid] = f"no longer asked in version {new.version}"
    return mapping
