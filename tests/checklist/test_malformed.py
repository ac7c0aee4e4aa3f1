"""Each malformed checklist gives its own error naming file, line and fix."""

from pathlib import Path

import pytest

from app.checklist import ChecklistError, load_checklist

HEAD = """\
id: broken
version: 1
title: Broken
notice: Counsel reviews this checklist before it is relied on.
sections:
  - id: s
    title: S
    questions:
"""  # the first question starts on line 9

CASES = {
    "yaml-syntax": (HEAD + "      - id: a\n        prompt: [unclosed\n        type: date\n",
                    11, "YAML syntax error", "check indentation"),
    "duplicate-key": (HEAD + "      - id: a\n        prompt: A\n        prompt: B\n"
                      "        type: date\n", 11, "duplicate key 'prompt' (first on line 10)",
                      "keep one"),
    "unknown-type": (HEAD + "      - id: a\n        prompt: A\n        type: boolean\n",
                     11, "question 'a': field 'type': Input should be", "one of the values"),
    "missing-prompt": (HEAD + "      - id: a\n        type: date\n", 9,
                       "question 'a': missing field 'prompt'", "add `prompt:`"),
    "misspelt-field": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                       "        requird: false\n", 12, "unknown field 'requird'",
                       "correct its spelling"),
    "duplicate-question": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                           "      - id: a\n        prompt: B\n        type: date\n",
                           12, "duplicate question id 'a'", "an id of its own"),
    "forward-condition": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                          "        visible_if: {question: b, answered: true}\n"
                          "      - id: b\n        prompt: B\n        type: date\n",
                          12, "looks forward to 'b'", "questions that come before"),
    "unknown-question": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                         "        visible_if:\n          question: nope\n"
                         "          answered: true\n", 13, "unknown question 'nope'",
                         "id of a question"),
    "unknown-option": (HEAD + "      - id: a\n        prompt: A\n        type: yes_no_unknown\n"
                       "      - id: b\n        prompt: B\n        type: date\n"
                       "        visible_if: {question: a, equals: maybe}\n",
                       15, "'maybe' is not one of its options (yes, no, unknown)",
                       "a value question 'a' can take"),
    "choice-without-options": (HEAD + "      - id: a\n        prompt: A\n"
                               "        type: single_choice\n", 11,
                               "question 'a' is a choice with no options", "add `options:`"),
    "table-without-columns": (HEAD + "      - id: a\n        prompt: A\n        type: table\n",
                              11, "table question 'a' has no columns", "add `columns:`"),
    "operator-mismatch": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                          "      - id: b\n        prompt: B\n        type: date\n"
                          "        visible_if: {question: a, contains: x}\n",
                          15, "`contains` applies to multiple choice", "use equals or in"),
    "two-operators": (HEAD + "      - id: a\n        prompt: A\n        type: yes_no_unknown\n"
                      "      - id: b\n        prompt: B\n        type: date\n"
                      "        visible_if: {question: a, equals: 'yes', in: ['no']}\n",
                      15, "needs exactly one operator", "exactly one operator"),
    "finding-unknown-column": (HEAD + "      - id: t\n        prompt: T\n        type: table\n"
                               "        columns: [{id: c, label: C, type: date}]\n"
                               "findings:\n  - id: f\n    severity: high\n    title: T\n"
                               "    detail: D\n    recommendation: R\n    citations: [X]\n"
                               "    when: {question: t, any_row: {column: z, answered: true}}\n",
                               20, "has no column 'z'", "use one of: c"),
    "bad-severity": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                     "findings:\n  - id: f\n    severity: severe\n    title: T\n"
                     "    detail: D\n    recommendation: R\n    citations: [X]\n"
                     "    when: {question: a, answered: false}\n", 14,
                     "finding 'f': field 'severity'", "one of the values"),
    "bad-default-row": (HEAD + "      - id: t\n        prompt: T\n        type: table\n"
                        "        columns: [{id: c, label: C, type: number}]\n"
                        "        default_rows:\n          - {c: lots}\n", 14,
                        "default row 1 is not valid", "match the columns"),
    "from-audit-wrong-type": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                              "        from_audit: period_end\n", 12,
                              "takes the audit's period_end, which needs type date",
                              "make it date"),
    "yaml-alias": (HEAD + "      - id: a\n        prompt: &p A\n        type: date\n"
                   "      - id: b\n        prompt: *p\n        type: date\n", 10,
                   "anchors and aliases", "write the value out in full"),
    "multiple-choice-equals": (HEAD + "      - id: a\n        prompt: A\n"
                               "        type: multiple_choice\n        options: [x, y]\n"
                               "      - id: b\n        prompt: B\n        type: date\n"
                               "        visible_if: {question: a, equals: x}\n", 16,
                               "its answer is a list", "use contains"),
    "log-analysis-not-a-table": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                                 "log_analysis:\n  table: a\n  columns: {agency: x, "
                                 "oris: y, blocked_since: z}\n", 13,
                                 "log_analysis.table 'a' is not a table question",
                                 "the table question listing the agencies"),
    "log-analysis-wrong-column": (HEAD + "      - id: t\n        prompt: T\n"
                                  "        type: table\n        columns:\n"
                                  "          - {id: who, label: Who, type: short_text}\n"
                                  "          - {id: oris, label: ORIs, type: short_text}\n"
                                  "          - {id: since, label: Since, type: number}\n"
                                  "log_analysis:\n  table: t\n  columns:\n    agency: who\n"
                                  "    oris: oris\n    blocked_since: since\n"
                                  "    verified: nope\n", 21,
                                  "log_analysis column blocked_since ('since') is number",
                                  "use a date column"),
    "log-analysis-unknown-column": (HEAD + "      - id: t\n        prompt: T\n"
                                    "        type: table\n        columns:\n"
                                    "          - {id: who, label: Who, type: short_text}\n"
                                    "log_analysis:\n  table: t\n  columns:\n"
                                    "    agency: who\n    oris: nope\n"
                                    "    blocked_since: who\n", 18,
                                    "names 'nope', which table 't' does not have",
                                    "name one of its columns (who)"),
    "log-analysis-period-not-date": (HEAD + "      - id: t\n        prompt: T\n"
                                     "        type: table\n        columns:\n"
                                     "          - {id: who, label: Who, type: short_text}\n"
                                     "          - {id: d, label: D, type: date}\n"
                                     "      - id: n\n        prompt: N\n        type: number\n"
                                     "log_analysis:\n  table: t\n  columns: {agency: who, "
                                     "oris: who, blocked_since: d}\n  period_start: n\n", 21,
                                     "log_analysis.period_start 'n' is not a date question",
                                     "name a date question"),
    "attestation-official-not-text": (HEAD + "      - id: a\n        prompt: A\n"
                                      "        type: date\nattestation:\n  official: a\n",
                                      13, "attestation.official 'a' is not a short_text",
                                      "name a short_text question"),
    "not-a-mapping": ("- just\n- a list\n", 1, "not a checklist", "start the file with id"),
    # Cases that once ended in an internal error (exit 3): each is one clear message.
    "deep-flow-nesting": (HEAD + "      - id: a\n        prompt: " + "[" * 10_000 + "]" * 10_000
                          + "\n        type: date\n", 10, "nests more than 64 levels",
                          "flatten"),
    "deep-block-nesting": (HEAD + "      - id: a\n        prompt: A\n        type: date\n"
                           "        help:\n" + "".join(" " * (10 + i) + "- \n"
                                                      for i in range(0, 70)),
                           72, "nests more than 64 levels", "flatten"),
    "tagged-int-abc": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                       "        min: !!int abc\n", 12, "'abc' is tagged as a whole number",
                       "remove the tag"),
    "tagged-float-abc": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                         "        max: !!float abc\n", 12, "'abc' is tagged as a number",
                         "remove the tag"),
    "5000-digit-integer": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                           "        max: " + "9" * 5000 + "\n", 12, "has 5000 characters",
                           "smaller number"),
    "nan-bound": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                  "        min: .nan\n", 12, "is not a finite number", "ordinary number"),
    "inf-bound": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                  "        max: -.inf\n", 12, "is not a finite number", "ordinary number"),
    "huge-float-bound": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                         "        max: 1e400\n", 12, "`max` is inf, which no answer",
                         "give a finite `max`"),
    "bound-beyond-exact": (HEAD + "      - id: a\n        prompt: A\n        type: number\n"
                           "        max: 1e20\n", 12, "which no answer can be compared",
                           "give a finite `max`"),
    "min-rows-10-12": (HEAD + "      - id: a\n        prompt: A\n        type: table\n"
                       "        columns: [{id: c, label: C, type: date}]\n"
                       "        min_rows: 1000000000000\n", 13, "`min_rows` is "
                       "1,000,000,000,000", "at most 10,000"),
    "max-length-too-long": (HEAD + "      - id: a\n        prompt: A\n        type: short_text\n"
                            "        max_length: 100000000\n", 12, "above the 500 characters",
                            "at most 500"),
    "python-tag": (HEAD + "      - id: a\n        prompt: !!python/object:os.system x\n"
                   "        type: date\n", 10, "tag 'tag:yaml.org,2002:python/object:os.system'",
                   "remove the tag"),
    "octal-looking-version": (HEAD.replace("version: 1", "version: [017]")
                              + "      - id: a\n        prompt: A\n        type: date\n",
                              2, "field 'version'", "write it as text"),
    "two-documents": (HEAD + "      - id: a\n        prompt: A\n        type: date\n---\nid: b\n",
                      12, "more than one YAML document", "keep one document"),
    "control-character": (HEAD + "      - id: a\n        prompt: \"A\\x1b]0;t\\x07\"\n"
                          "        type: date\n", 10, "control character", "remove"),
    "no-notice": (HEAD.replace("notice: Counsel reviews this checklist before it is relied "
                               "on.\n", "") + "      - id: a\n        prompt: A\n"
                  "        type: date\n", 1, "missing field 'notice'", "add `notice:`"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_checklist_names_file_line_and_fix(name, tmp_path):
    text, line, message, fix = CASES[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    issues = caught.value.issues
    rendered = [str(issue) for issue in issues]
    assert any(issue.line == line and message in issue.message and fix in issue.fix
               for issue in issues), rendered
    assert all(r.startswith(f"{path}:") for r in rendered)


def test_all_problems_are_reported_at_once(tmp_path):
    text = (HEAD + "      - id: a\n        prompt: A\n        type: single_choice\n"
            "      - id: a\n        prompt: B\n        type: table\n")
    path = tmp_path / "many.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert [i.line for i in caught.value.issues] == [11, 12, 14]


def test_unreadable_and_non_utf8_files(tmp_path):
    with pytest.raises(ChecklistError, match="cannot read the file"):
        load_checklist(tmp_path / "absent.yaml")
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"id: x\ntitle: caf\xe9\n")
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert caught.value.issues[0].line == 2
    assert "not UTF-8" in caught.value.issues[0].message


def test_sha256_is_of_the_exact_bytes(tmp_path):
    import hashlib

    from tests.conftest import SAMPLE

    data = Path(SAMPLE).read_bytes()
    assert load_checklist(SAMPLE).sha256 == hashlib.sha256(data).hexdigest()
    copy = tmp_path / "copy.yaml"
    copy.write_bytes(data + b"\n# a comment changes the hash\n")
    assert load_checklist(copy).sha256 != load_checklist(SAMPLE).sha256


def test_a_5_mb_checklist_keeps_line_numbers_in_errors(tmp_path):
    body = "".join(f"      - id: q{i}\n        prompt: Question {i}?\n        procedural: true\n"
                   f"        help: {'A help text that explains the question. ' * 20}\n"
                   f"        type: yes_no_unknown\n" for i in range(5000))
    text = HEAD + body + "      - id: last\n        prompt: Last\n        type: boolean\n"
    path = tmp_path / "big.yaml"
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size > 4_000_000
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    assert [issue.line for issue in caught.value.issues] == [text.count("\n")]


@pytest.mark.parametrize("special", ["fifo", "directory", "device", "oversized"])
def test_a_checklist_that_is_not_a_regular_file_is_refused_at_once(tmp_path, special):
    import os

    path = tmp_path / "checklist.yaml"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "directory":
        path.mkdir()
    elif special == "device":
        path = Path("/dev/zero")
    else:
        with path.open("wb") as stream:
            stream.truncate(17 * 1024 * 1024)  # sparse: 17 MiB of zeros, no disk used
    with pytest.raises(ChecklistError) as caught:
        load_checklist(path)
    message = str(caught.value)
    assert {"fifo": "is a pipe (FIFO)", "directory": "is a directory", "device": "is a device",
            "oversized": "may be at most 16 MiB"}[special] in message
