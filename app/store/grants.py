"""The PostgreSQL roles an office creates, and the grants that enforce them.

The tool prints this SQL (`nlets-audit db grants`); the database administrator runs it as
the owner of the schema. People log in as their own PostgreSQL users, each a member of one
or more of these roles, so the history records the database's session user for each change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from app.store.errors import StoreError


class Role(Enum):
    """The roles of an audit team, as PostgreSQL group roles (NOLOGIN)."""

    AUDITOR = "nlets_auditor"
    REVIEWER = "nlets_reviewer"
    OFFICIAL = "nlets_official"


@dataclass(frozen=True)
class RoleGrant:
    """What one role may do, in words and as grants."""

    role: Role
    may: str
    grants: tuple[str, ...]


# Every role reads everything (and may lock an audit's row for reading).
_READ = "GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}"
_SEQUENCES = "GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}"
# The audit list's derived counts (not a record: any role that changes audits keeps them;
# a reviewer's list counts them afresh each time).
_COUNTS = "GRANT INSERT, UPDATE, DELETE ON {schema}.audit_counts TO {role}"
ROLES = (
    RoleGrant(Role.AUDITOR,
              "create audits, answer, attach evidence, confirm carried answers, delete drafts; "
              "not sign",
              (_READ, _SEQUENCES,
               "GRANT INSERT, DELETE ON {schema}.audit, {schema}.checklist_source TO {role}",
               "GRANT UPDATE (history_head, history_length, updated_at) ON {schema}.audit "
               "TO {role}",
               "GRANT INSERT, UPDATE, DELETE ON {schema}.answer TO {role}",
               "GRANT INSERT, DELETE ON {schema}.evidence, {schema}.evidence_blob, "
               "{schema}.history_event TO {role}", _COUNTS)),
    RoleGrant(Role.REVIEWER, "read audits, answers, evidence and history; change nothing",
              (_READ,)),
    RoleGrant(Role.OFFICIAL, "sign an audit that is ready (and read everything); not answer",
              (_READ, _SEQUENCES,
               "GRANT UPDATE (status, signed_by, signed_at, signed_pdf_sha256, "
               "signer_certificate_sha256, history_head, history_length, updated_at) "
               "ON {schema}.audit TO {role}",
               "GRANT INSERT ON {schema}.evidence_blob, {schema}.history_event TO {role}",
               _COUNTS)),
)
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def grants_sql(schema: str = "public") -> str:
    """The SQL that creates the roles (where missing) and grants them their rights on the
    tables of `schema`; safe to run again, after an upgrade adds tables."""
    if not _IDENTIFIER.fullmatch(schema):
        raise StoreError(f"{schema!r} is not a plain schema name (lower-case letters, digits "
                         "and _, at most 63)")
    lines = [
        "-- nlets-audit: roles and grants. Run as the owner of the schema, after the first",
        "-- `nlets-audit --db URL list` as that owner has created the tables.",
        "BEGIN;",
    ]
    for entry in ROLES:
        role = entry.role.value
        lines += [
            "",
            f"-- {role}: may {entry.may}",
            f"DO $$ BEGIN CREATE ROLE {role} NOLOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$;",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {role};",
            f"GRANT USAGE ON SCHEMA {schema} TO {role};",
            *(grant.format(schema=schema, role=role) + ";" for grant in entry.grants),
        ]
    lines += [
        "",
        "COMMIT;",
        "",
        "-- Then one login per person, in the roles they hold, for example:",
        "--   CREATE ROLE jdoe LOGIN PASSWORD '…';  GRANT nlets_auditor TO jdoe;",
        "--   CREATE ROLE ag_smith LOGIN PASSWORD '…';  GRANT nlets_official TO ag_smith;",
    ]
    return "\n".join(lines) + "\n"
