"""Alembic, driven from code: the migrations ship inside the package."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def known_revisions() -> set[str]:
    """Every revision id the shipped migrations define."""
    return {script.revision for script in ScriptDirectory.from_config(_config()).walk_revisions()}


def head_revision() -> str:
    """The newest shipped revision."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def upgrade(bind: Engine | Connection, revision: str = "head") -> None:
    """Apply the migrations up to `revision` in one transaction: the connection's own when
    given one (the caller commits), else a new one."""
    config = _config()
    if isinstance(bind, Connection):
        config.attributes["connection"] = bind
        command.upgrade(config, revision)
        return
    with bind.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
