"""Query-log evidence: count a Nlets query log by agency, month and message key with DuckDB.

Headless: nothing here touches the store or a user interface. DuckDB is imported only
inside the functions that run queries, so importing this package stays cheap.
"""

from app.logs.analysis import DEFAULT_ANSWERED, AgencyCount, LogAnalysis, analyse_log
from app.logs.federal import UnmatchedOri, federal_reason
from app.logs.mapping import AgencyRule, ColumnMapping, parse_ori_patterns

__all__ = [
    "DEFAULT_ANSWERED",
    "AgencyCount",
    "AgencyRule",
    "ColumnMapping",
    "LogAnalysis",
    "analyse_log",
    "UnmatchedOri",
    "federal_reason",
    "parse_ori_patterns",
]
