"""The light forms of the tables the audit list reads name every column of the tables the
ORM declares, so that the list (and the counts it keeps) can leave none out."""

from __future__ import annotations

from app.store import schema
from app.store.tables import AuditCountsRow, AuditRow, table_of


def test_the_light_audit_table_has_every_column_of_the_declared_one() -> None:
    assert tuple(table_of(AuditRow).columns.keys()) == schema.AUDIT_COLUMNS
    assert tuple(schema.AUDIT.columns.keys()) == schema.AUDIT_COLUMNS


def test_the_light_counts_table_has_every_column_of_the_declared_one() -> None:
    assert tuple(table_of(AuditCountsRow).columns.keys()) == schema.COUNTS_COLUMNS
    assert tuple(schema.COUNTS.columns.keys()) == schema.COUNTS_COLUMNS


def test_row_classes_are_those_of_the_tables_module() -> None:
    assert schema.AuditRow is AuditRow
    assert schema.table_of is table_of
