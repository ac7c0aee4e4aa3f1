import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.cli import main
from tests.conftest import SAMPLE, run_sql

pytestmark = pytest.mark.both_engines

SCRIPT = Path(sys.executable).with_name("nlets-audit")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def new_id(capsys, db_url):
    code, out, err = run(capsys, "--db", db_url, "new", "--checklist", str(SAMPLE),
                         "--jurisdiction", "wa", "--period-start", "2025-01-01",
                         "--period-end", "2025-12-31")
    assert code == 0, err
    return out.strip()


def test_new_prints_the_id_alone(new_id):
    assert len(new_id) == 32 and new_id.isalnum()


def test_answer_show_and_list(capsys, db_url, new_id):
    assert run(capsys, "--db", db_url, "answer", new_id[:8], "connected", "yes",
               "--note", "WSP ACCESS")[0] == 0
    code, out, _ = run(capsys, "--db", db_url, "answer", new_id, "keys", '["dq","kq"]')
    assert code == 0 and 'saved keys = ["dq", "kq"]' in out
    code, out, _ = run(capsys, "--db", db_url, "answer", new_id, "query_count", "42")
    assert code == 0 and "= 42" in out
    code, out, _ = run(capsys, "--db", db_url, "show", new_id)
    assert "[x] connected" in out and "note: WSP ACCESS" in out and "DQ driver query" in out
    code, out, _ = run(capsys, "--db", db_url, "show", new_id, "--json")
    data = json.loads(out)
    answers = {q["id"]: q["answer"] for q in data["questions"]}
    assert answers["keys"]["value"] == ["dq", "kq"] and answers["query_count"]["value"] == 42
    assert data["progress"]["done"] == 2
    code, out, _ = run(capsys, "--db", db_url, "list", "--json")
    assert json.loads(out)[0]["id"] == new_id


def test_bad_values_exit_2_with_the_allowed_values(capsys, db_url, new_id):
    code, out, err = run(capsys, "--db", db_url, "answer", new_id, "connected", "maybe")
    assert code == 2 and out == ""
    assert err.strip() == "error: question 'connected' takes one of: yes, no, unknown; " \
                          "got 'maybe'"


def test_import_answers_from_yaml(capsys, db_url, new_id, tmp_path):
    answers = tmp_path / "answers.yaml"
    answers.write_text(textwrap.dedent("""\
        connected: "yes"
        agencies:
          - {agency: ice, blocked: "yes", since: 2025-11-19}
        """))
    code, out, err = run(capsys, "--db", db_url, "import-answers", new_id, str(answers))
    assert code == 0, err
    assert "imported 2 change(s)" in out
    broken = tmp_path / "broken.yaml"
    broken.write_text("connected: [yes\n")
    code, _, err = run(capsys, "--db", db_url, "import-answers", new_id, str(broken))
    assert code == 2 and f"{broken}:2: not valid YAML" in err


def test_evidence_and_history(capsys, db_url, new_id, tmp_path):
    file = tmp_path / "orion.pdf"
    file.write_bytes(b"%PDF-1.7 fake")
    code, out, _ = run(capsys, "--db", db_url, "evidence", "add", new_id, "review_date",
                       str(file), "--effective", "2025-06-01")
    assert code == 0 and "orion.pdf" in out
    code, out, _ = run(capsys, "--db", db_url, "history", "verify", new_id)
    assert code == 0 and "intact: 2 events" in out
    code, out, _ = run(capsys, "--db", db_url, "history", "show", new_id)
    assert "evidence_added review_date" in out


def test_history_verify_exits_1_after_tampering(capsys, db_url, new_id):
    run(capsys, "--db", db_url, "answer", new_id, "connected", "yes")
    run_sql(db_url, "UPDATE answer SET value_json='\"no\"'")
    code, _, err = run(capsys, "--db", db_url, "history", "verify", new_id)
    assert code == 1 and "does NOT match" in err and "'connected' differs" in err


def test_validate(capsys, tmp_path):
    code, out, _ = run(capsys, "checklist", "validate", str(SAMPLE))
    assert code == 0 and "valid — sample version 1, 8 questions" in out
    bad = tmp_path / "bad.yaml"
    bad.write_text(SAMPLE.read_text().replace("type: date", "type: when", 1))
    code, out, err = run(capsys, "checklist", "validate", str(bad))
    assert code == 2 and f"{bad}:36: question 'review_date': field 'type'" in err


def test_usage_errors_exit_2(capsys, db_url):
    assert run(capsys, "--db", db_url, "answer")[0] == 2
    assert run(capsys, "no-such-command")[0] == 2
    code, _, err = run(capsys, "--db", db_url, "show", "ffff")
    assert code == 2 and "no audit with id 'ffff'" in err


def test_checklists_lists_the_bundled_ones(capsys):
    code, out, _ = run(capsys, "checklists")
    assert code == 0
    assert "nlets-dmv-data-sharing\t" in out


def test_internal_errors_do_not_show_a_traceback(capsys, monkeypatch):
    from app.audit import service as service_module

    def explode(self):
        raise RuntimeError("boom")

    monkeypatch.setattr(service_module.AuditService, "list_audits", explode)
    code, _, err = run(capsys, "list")
    assert code == 3 and "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err


def test_console_script_reports_a_corrupt_database_without_traceback(tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"\x00garbage" * 64)
    result = subprocess.run([str(SCRIPT), "--db", f"sqlite:///{broken}", "list"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "broken.sqlite3" in result.stderr and "not a database" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_answer_survives_sigkill_right_after_it_returns(db_url, new_id):
    writer = textwrap.dedent(f"""
        import sys, time
        from app.audit import AuditService
        from app.store import open_store
        service = AuditService(open_store({db_url!r}), actor="killer")
        service.set_answer({new_id!r}, "connected", "yes", note="before the kill")
        print("saved", flush=True)
        time.sleep(60)
    """)
    process = subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE,
                               text=True, env=os.environ.copy())
    assert process.stdout.readline().strip() == "saved"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    from app.audit import AuditService
    from app.store import open_store

    service = AuditService(open_store(db_url))
    answer = service.view(new_id).answers["connected"]
    assert (answer.value, answer.note) == ("yes", "before the kill")
    assert service.verify_history(new_id).ok
    service.store.close()


def test_review_and_delete(capsys, db_url, new_id):
    code, out, _ = run(capsys, "--db", db_url, "review", new_id)
    assert code == 0 and out.startswith("NOT ready to sign:")
    assert "unanswered: Basics › “Is the state connected to the network?” (connected)" in out
    code, _, err = run(capsys, "--db", db_url, "delete", new_id)
    assert code == 2 and "--yes" in err
    assert run(capsys, "--db", db_url, "delete", new_id, "--yes")[0] == 0
    code, _, err = run(capsys, "--db", db_url, "show", new_id)
    assert code == 2 and "no audit with id" in err


def test_list_and_show_count_done_and_to_do_which_never_fall_with_follow_ups(
        capsys, db_url, new_id):
    def counts():
        listed = run(capsys, "--db", db_url, "list")[1]
        shown = run(capsys, "--db", db_url, "show", new_id)[1]
        data = json.loads(run(capsys, "--db", db_url, "show", new_id, "--json")[1])
        listing = json.loads(run(capsys, "--db", db_url, "list", "--json")[1])[0]
        assert "%" not in listed and "%" not in shown
        assert "percent" not in data["progress"] and "percent" not in listing["progress"]
        progress = data["progress"]
        assert listing["progress"] == {"done": progress["done"], "to_do": progress["to_do"],
                                       "total": progress["total"]}
        line = f"{progress['done']} done · {progress['to_do']} to do"
        assert line in listed and f"progress {line}" in shown
        return progress["done"], progress["to_do"]

    before = counts()
    assert run(capsys, "--db", db_url, "answer", new_id, "connected", "yes")[0] == 0
    after = counts()
    # "yes" reveals required follow-ups (the keys): one more done, and what is to do grows
    # by what was revealed less the one answered; the percentage fell here
    assert after[0] == before[0] + 1 and after[1] >= before[1], (before, after)
