"""`nlets-audit db`: the shared database of an office (PostgreSQL roles and grants)."""

from __future__ import annotations

import click

from app.cli.output import echo


@click.group("db")
def db_group() -> None:
    """The shared database: the roles an office creates and the grants that enforce them."""


@db_group.command("grants")
@click.option("--schema", default="public", show_default=True,
              help="The schema that holds the nlets-audit tables.")
def db_grants(schema: str) -> None:
    """Print the SQL that creates the auditor, reviewer and official roles and their grants.

    Run it with psql as the owner of the schema; then create one login per person and grant
    them their roles. On PostgreSQL the history records each change under the login's name.
    """
    from app.audit import grants_sql

    echo(grants_sql(schema), nl=False)
