"""The hostile-input corpus: checklists, answers, query logs, databases and PDFs that the
command line must refuse with exit 2 (or 1 for a check that ran and failed), one message,
no traceback, bounded CPU time and memory, and nothing changed.

Each case is a function of the prepared context returning the command-line arguments
(`--db` is added by the runner unless the case gives its own) and the expected exit code.
"""

from __future__ import annotations

import gzip
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Context:
    """Where a case runs: its own folder, and the audits prepared in the database."""

    folder: Path
    audit: str
    """A draft audit of the flagship checklist with agencies and ORIs."""
    sample_audit: str
    """A draft audit of the sample checklist (every question type)."""

    def file(self, name: str, content: bytes | str) -> str:
        """Write `content` to `name` in the case's folder; return its path."""
        path = self.folder / name
        path.write_bytes(content.encode() if isinstance(content, str) else content)
        return str(path)

    def fifo(self, name: str = "pipe") -> str:
        """A named pipe nobody writes to: opening it for reading would wait forever."""
        path = self.folder / name
        os.mkfifo(path)
        return str(path)

    def sparse(self, name: str, size: int) -> str:
        """A file of `size` zero bytes that takes no disk space."""
        path = self.folder / name
        with path.open("wb") as stream:
            stream.truncate(size)
        return str(path)

    def folder_named(self, name: str) -> str:
        """A directory where a file is expected."""
        path = self.folder / name
        path.mkdir()
        return str(path)


Build = Callable[[Context], list[str]]
CASES: dict[str, tuple[str, int, Build]] = {}
"""name -> (kind, expected exit code, build)."""

MIB = 1024 * 1024


def case(name: str, kind: str, build: Build, code: int = 2) -> None:
    """Add a case to the corpus."""
    assert name not in CASES, name
    CASES[name] = (kind, code, build)


# ---- checklists: `checklist validate FILE` and `new --checklist FILE` -------------------

HEAD = ("id: hostile\nversion: '1'\ntitle: Hostile\nnotice: Counsel reviews it.\n"
        "sections:\n  - id: s\n    title: S\n    questions:\n")
QUESTION = "      - id: a\n        prompt: A?\n        procedural: true\n        type: number\n"

CHECKLISTS: dict[str, bytes | str] = {
    "empty": "",
    "only-comment": "# nothing\n",
    "top-level-list": "- a\n- b\n",
    "top-level-scalar": "hello\n",
    "yaml-syntax": HEAD + "      - id: a\n        prompt: [unclosed\n",
    "tab-indent": HEAD + "\t- id: a\n",
    "latin1": b"id: caf\xe9\n",
    "binary": bytes(range(256)) * 64,
    "nul-bytes": b"id: x\x00\x00\n",
    "utf16": "id: x\n".encode("utf-16"),
    "deep-flow-10000": (HEAD + "      - id: a\n        prompt: " + "[" * 10_000 + "]" * 10_000
                        + "\n"),
    "deep-flow-mapping": "a: " + "{b: " * 5000 + "c" + "}" * 5000 + "\n",
    "deep-block": "".join(" " * i + f"k{i}:\n" for i in range(200)) + " " * 200 + "v: 1\n",
    "tagged-int-abc": HEAD + QUESTION + "        min: !!int abc\n",
    "tagged-float-abc": HEAD + QUESTION + "        max: !!float abc\n",
    "5000-digit-int": HEAD + QUESTION + "        max: " + "9" * 5000 + "\n",
    "5000-digit-float": HEAD + QUESTION + "        max: 1." + "9" * 5000 + "\n",
    "nan-bound": HEAD + QUESTION + "        min: .nan\n",
    "inf-bound": HEAD + QUESTION + "        max: .inf\n",
    "1e400-bound": HEAD + QUESTION + "        max: 1e400\n",
    "bound-beyond-2-53": HEAD + QUESTION + "        max: 100000000000000000000\n",
    "min-above-max": HEAD + QUESTION + "        min: 5\n        max: 1\n",
    "min-rows-10-12": HEAD + "      - id: t\n        prompt: T\n        procedural: true\n"
                      "        type: table\n        columns: [{id: c, label: C, type: date}]\n"
                      "        min_rows: 1000000000000\n",
    "max-length-huge": HEAD + "      - id: a\n        prompt: A\n        procedural: true\n"
                       "        type: short_text\n        max_length: 999999999\n",
    "billion-laughs": "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: [*c, *c]\n",
    "anchor": HEAD + "      - &q\n        id: a\n        prompt: A\n        type: date\n",
    "python-tag": "id: !!python/object/apply:os.system ['true']\n",
    "custom-tag": "id: !secret x\n",
    "binary-tag": "id: !!binary aGVsbG8=\n",
    "duplicate-key": HEAD + "      - id: a\n        id: b\n",
    "complex-key": "? [a, b]\n: c\n",
    "two-documents": "id: a\n---\nid: b\n",
    "control-escape": (HEAD + '      - id: a\n        prompt: "A\\e]0;owned\\a"\n'
                       "        type: date\n"),
    "c1-escape": HEAD + '      - id: a\n        prompt: "A\\x9b31m"\n        type: date\n',
    "unknown-type": HEAD + "      - id: a\n        prompt: A\n        type: boolean\n",
    "ori-list-question": HEAD + "      - id: a\n        prompt: A\n        procedural: true\n"
                         "        type: ori_list\n",
    "bad-default-ori": HEAD + "      - id: t\n        prompt: T\n        procedural: true\n"
                       "        type: table\n        columns: [{id: o, label: O, type: ori_list}]\n"
                       "        default_rows: [{o: listed in evidence}]\n",
    "huge-line": "id: " + "x" * (2 * MIB) + "\n",
}
for _name, _content in CHECKLISTS.items():
    case(f"checklist-{_name}", "checklist",
         lambda ctx, n=_name, c=_content: ["checklist", "validate", ctx.file(f"{n}.yaml", c)])

case("checklist-fifo", "checklist", lambda ctx: ["checklist", "validate", ctx.fifo()])
case("checklist-dev-zero", "checklist", lambda ctx: ["checklist", "validate", "/dev/zero"])
case("checklist-directory", "checklist",
     lambda ctx: ["checklist", "validate", ctx.folder_named("dir.yaml")])
case("checklist-oversized", "checklist",
     lambda ctx: ["checklist", "validate", ctx.sparse("big.yaml", 17 * MIB)])
case("checklist-missing", "checklist",
     lambda ctx: ["checklist", "validate", str(ctx.folder / "absent.yaml")])
case("new-from-fifo-checklist", "checklist",
     lambda ctx: ["new", "--checklist", ctx.fifo(), "--jurisdiction", "WA",
                  "--period-start", "2025-01-01", "--period-end", "2025-12-31"])
case("new-from-dev-zero-checklist", "checklist",
     lambda ctx: ["new", "--checklist", "/dev/zero", "--jurisdiction", "WA",
                  "--period-start", "2025-01-01", "--period-end", "2025-12-31"])
case("new-from-deep-checklist", "checklist",
     lambda ctx: ["new", "--checklist", ctx.file("d.yaml", CHECKLISTS["deep-flow-10000"]),
                  "--jurisdiction", "WA", "--period-start", "2025-01-01",
                  "--period-end", "2025-12-31"])


# ---- answers: `answer` and `import-answers` -------------------------------------------

ANSWERS = {  # question of the sample checklist -> a value the one accepted form refuses
    "comma-decimal": ("query_count", "1,5"),
    "underscore": ("query_count", "1_0"),
    "exponent": ("query_count", "1e6"),
    "plus-sign": ("query_count", "+5"),
    "json-float-for-count": ("query_count", "3.0"),
    "5000-digits": ("query_count", "9" * 5000),
    "nan": ("query_count", "NaN"),
    "infinity": ("query_count", "Infinity"),
    "date-compact": ("review_date", "20250101"),
    "date-week": ("review_date", "2025-W01-1"),
    "date-ordinal": ("review_date", "2025-001"),
    "date-year-0": ("review_date", "0000-01-01"),
    "date-year-99999": ("review_date", "99999-01-01"),
    "date-with-time": ("review_date", "2025-01-01T10:00"),
    "text-escape": ("switch_vendor", '"Vendor\\u001b]0;owned\\u0007"'),
    "text-osc52": ("switch_vendor", '"V\\u001b]52;c;ZXZpbA==\\u0007"'),
    "text-c1": ("switch_vendor", '"V\\u009b31m"'),
    "text-bidi": ("switch_vendor", '"Vendor \\u202eedoc"'),
    "long-text-escape": ("description", '"line\\n\\u001b[2J"'),
    "unknown-question": ("no_such_question", "yes"),
    "bad-choice": ("connected", "maybe"),
    "table-not-list": ("agencies", '{"agency": "ice"}'),
    "table-too-many-rows": ("agencies", "[" + ",".join(['{"agency": "ice", "blocked": "yes"}']
                                                        * 10_001) + "]"),
}
for _name, (_question, _value) in ANSWERS.items():
    case(f"answer-{_name}", "answers",
         lambda ctx, q=_question, v=_value: ["answer", ctx.sample_audit, q, v])

case("answer-free-text-ori", "answers",
     lambda ctx: ["answer", ctx.audit, "agency_access",
                  '[{"agency": "cbp", "oris": "listed in evidence", "blocked": "no"}]'])
case("answer-note-escape", "answers",
     lambda ctx: ["answer", ctx.sample_audit, "connected", "yes", "--note",
                  "WSP\x1b]0;owned\x07"])
case("answer-reason-escape", "answers",
     lambda ctx: ["answer", ctx.sample_audit, "connected", "no", "--reason", "x\x9b2J"])
case("answer-unknown-audit", "answers",
     lambda ctx: ["answer", "ffffffffffff", "connected", "yes"])

IMPORTS: dict[str, bytes | str] = {
    "not-a-mapping": "- a\n- b\n",
    "yaml-syntax": "connected: [yes\n",
    "deep": "connected: " + "[" * 10_000 + "]" * 10_000 + "\n",
    "billion-laughs": "a: &a [x, x]\nb: &b [*a, *a]\nconnected: [*b, *b]\n",
    "tagged-int": "query_count: !!int abc\n",
    "5000-digits": "query_count: " + "9" * 5000 + "\n",
    "bad-number": "query_count: 1_000\n",
    "bad-date": "review_date: 20250101\n",
    "control-character": 'switch_vendor: "A\\e]0;owned\\a"\n',
    "unknown-question": "nope: yes\n",
    "latin1": b"switch_vendor: caf\xe9\n",
    "json-garbage": "{\"connected\": \n",
    "empty": "",
}
for _name, _content in IMPORTS.items():
    case(f"import-answers-{_name}", "answers",
         lambda ctx, n=_name, c=_content: ["import-answers", ctx.sample_audit,
                                           ctx.file(f"{n}.yaml", c)])
case("import-answers-fifo", "answers",
     lambda ctx: ["import-answers", ctx.sample_audit, ctx.fifo()])
case("import-answers-dev-zero", "answers",
     lambda ctx: ["import-answers", ctx.sample_audit, "/dev/zero"])
case("import-answers-directory", "answers",
     lambda ctx: ["import-answers", ctx.sample_audit, ctx.folder_named("a.yaml")])
case("import-answers-oversized", "answers",
     lambda ctx: ["import-answers", ctx.sample_audit, ctx.sparse("a.yaml", 17 * MIB)])
case("evidence-fifo", "answers",
     lambda ctx: ["evidence", "add", ctx.sample_audit, "connected", ctx.fifo()])
case("evidence-dev-zero", "answers",
     lambda ctx: ["evidence", "add", ctx.sample_audit, "connected", "/dev/zero"])
case("evidence-directory", "answers",
     lambda ctx: ["evidence", "add", ctx.sample_audit, "connected", ctx.folder_named("e")])
case("evidence-oversized", "answers",
     lambda ctx: ["evidence", "add", ctx.sample_audit, "connected",
                  ctx.sparse("e.pdf", 257 * MIB)])


# ---- query logs: `logs import AUDIT FILE` ------------------------------------------------

LOG_HEADER = "time,ori,message_key,destination,result\n"
GOOD_ROW = "2025-12-01,WAICE0100,DQ,WA,answered\n"
LOGS: dict[str, bytes | str] = {
    "empty.csv": "",
    "header-only.csv": LOG_HEADER,
    "unbalanced-quote.csv": LOG_HEADER + GOOD_ROW + '2025-12-02,"WAICE0100,DQ,WA,answered\n',
    "duplicate-column.csv": "time,ori,ori,message_key,result\n2025-12-01,A,B,DQ,answered\n",
    "empty-column-name.csv": "time,,ori,message_key,result\n2025-12-01,x,WA1,DQ,answered\n",
    "200000-columns.csv": ",".join(["time", "ori", "message_key", "result"]
                                   + [f"c{i}" for i in range(199_996)]) + "\n",
    "50000-columns-missing-ori.csv": ",".join(["time", "message_key", "result"]
                                              + [f"c{i}" for i in range(49_997)]) + "\n",
    "missing-column.csv": "time,agency,message_key,result\n2025-12-01,x,DQ,answered\n",
    "ragged-row.csv": LOG_HEADER + GOOD_ROW + "2025-12-02,WAICE0100\n",
    "year-0000.csv": LOG_HEADER + "0000-06-01,WAICE0100,DQ,WA,answered\n",
    "year-99999.csv": LOG_HEADER + "99999-01-01,WAICE0100,DQ,WA,answered\n",
    "bad-time.csv": LOG_HEADER + "yesterday,WAICE0100,DQ,WA,answered\n",
    "no-time.csv": LOG_HEADER + ",WAICE0100,DQ,WA,answered\n",
    "latin1.csv": LOG_HEADER.encode() + b"2025-12-01,WA\xe9,DQ,WA,answered\n",
    "binary.csv": bytes(range(256)) * 100,
    "not-parquet.parquet": LOG_HEADER + GOOD_ROW,
    "truncated.csv.gz": gzip.compress((LOG_HEADER + GOOD_ROW * 5000).encode())[:200],
    "unknown-format.log": LOG_HEADER + GOOD_ROW,
    "huge-header-line.csv": "time," + "x" * (17 * MIB) + "\n",
}
for _name, _content in LOGS.items():
    case(f"log-{_name}", "logs",
         lambda ctx, n=_name, c=_content: ["logs", "import", ctx.audit, ctx.file(n, c)])
case("log-fifo", "logs", lambda ctx: ["logs", "import", ctx.audit, ctx.fifo("log.csv")])
case("log-dev-zero", "logs", lambda ctx: ["logs", "import", ctx.audit, "/dev/zero",
                                          "--format", "csv"])
case("log-directory", "logs",
     lambda ctx: ["logs", "import", ctx.audit, ctx.folder_named("logs.csv")])
case("log-bad-mapping", "logs",
     lambda ctx: ["logs", "import", ctx.audit, ctx.file("m.csv", LOG_HEADER + GOOD_ROW),
                  "--map", "nonsense"])
case("log-empty-answered", "logs",
     lambda ctx: ["logs", "import", ctx.audit, ctx.file("a.csv", LOG_HEADER + GOOD_ROW),
                  "--answered", " "])


# ---- databases: `--db URL` -----------------------------------------------------------

def _db(build: Callable[[Context], str]) -> Build:
    return lambda ctx: ["--db", build(ctx), "list"]


case("db-text-file", "databases",
     _db(lambda ctx: "sqlite:///" + ctx.file("db.sqlite3", "this is not a database\n" * 100)))
case("db-random-bytes", "databases",
     _db(lambda ctx: "sqlite:///" + ctx.file("db.sqlite3", os.urandom(8192))))
case("db-truncated-header", "databases",
     _db(lambda ctx: "sqlite:///" + ctx.file("db.sqlite3", b"SQLite format 3\x00" + b"\xff" * 90)))
case("db-directory", "databases",
     _db(lambda ctx: "sqlite:///" + ctx.folder_named("db.sqlite3")))
case("db-fifo", "databases", _db(lambda ctx: "sqlite:///" + ctx.fifo("db.sqlite3")))
case("db-dev-zero", "databases", _db(lambda ctx: "sqlite:////dev/zero"))
def _corrupted_database(ctx: Context) -> str:
    import sqlite3

    path = ctx.folder / "db.sqlite3"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE t (x)")
        con.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(2000)])
    data = bytearray(path.read_bytes())
    data[100:4096] = os.urandom(3996)  # the schema page, behind a valid header
    path.write_bytes(bytes(data))
    return f"sqlite:///{path}"


case("db-corrupted-pages", "databases", _db(_corrupted_database))
case("db-unknown-scheme", "databases", _db(lambda ctx: "mysql://localhost/audit"))
case("db-garbage-url", "databases", _db(lambda ctx: "::::not a url"))
case("db-postgres-unreachable", "databases",
     _db(lambda ctx: "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"))


# ---- PDFs to verify: `verify FILE` ---------------------------------------------------

def _blank_pdf() -> bytes:
    """A well-formed PDF with one empty page tree and no signature."""
    import io

    from pyhanko.pdf_utils.writer import PdfFileWriter

    out = io.BytesIO()
    PdfFileWriter().write(out)
    return out.getvalue()


MINIMAL_PDF = (b"%PDF-1.7\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")
# A file that starts like a PDF but is damaged is a check that failed (exit 1).
PDFS: dict[str, tuple[bytes | str, int]] = {
    "empty.pdf": ("", 2),
    "text.pdf": ("not a pdf at all\n", 2),
    "random.pdf": (os.urandom(4096), 2),
    "header-only.pdf": (b"%PDF-1.7\n", 1),
    "truncated.pdf": (MINIMAL_PDF[:60], 1),
    "no-xref.pdf": (MINIMAL_PDF, 1),
    "unsigned.pdf": (_blank_pdf(), 1),
    "deep-nesting.pdf": (b"%PDF-1.7\n1 0 obj" + b"[" * 100_000 + b"]" * 100_000
                         + b"endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n", 1),
}
for _name, (_content, _code) in PDFS.items():
    case(f"verify-{_name}", "pdfs",
         lambda ctx, n=_name, c=_content: ["verify", ctx.file(n, c)], code=_code)
case("verify-fifo", "pdfs", lambda ctx: ["verify", ctx.fifo("a.pdf")])
case("verify-dev-zero", "pdfs", lambda ctx: ["verify", "/dev/zero"])
case("verify-directory", "pdfs", lambda ctx: ["verify", ctx.folder_named("a.pdf")])
case("verify-oversized", "pdfs", lambda ctx: ["verify", ctx.sparse("a.pdf", 257 * MIB)])
case("sign-passphrase-fifo", "pdfs",
     lambda ctx: ["sign", ctx.sample_audit, "-o", str(ctx.folder / "out.pdf"), "--pkcs12",
                  ctx.file("key.p12", b"\x30\x82"), "--passphrase-file", ctx.fifo()])
case("sign-passphrase-dev-zero", "pdfs",
     lambda ctx: ["sign", ctx.sample_audit, "-o", str(ctx.folder / "out.pdf"), "--pkcs12",
                  ctx.file("key.p12", b"\x30\x82"), "--passphrase-file", "/dev/zero"])
case("sign-pkcs12-fifo", "pdfs",
     lambda ctx: ["sign", ctx.sample_audit, "-o", str(ctx.folder / "out.pdf"), "--pkcs12",
                  ctx.fifo("key.p12"), "--passphrase-file", ctx.file("pass", "secret\n")])
