"""The core never imports textual, and heavy libraries load only where they are used."""

import subprocess
import sys
import textwrap

CHECK = textwrap.dedent("""
    import sys
    import app.audit, app.checklist, app.store, app.cli, app.cli.show
    import app.checklist.bundled, app.checklist.display
    from app.cli import main
    code = main(["--db", sys.argv[1], "list"])
    assert code == 0, code
    heavy = sorted(m for m in ("textual", "weasyprint", "pyhanko", "duckdb", "alembic")
                   if m in sys.modules)
    print("HEAVY:" + ",".join(heavy))
""")


def test_core_and_cli_do_not_import_textual_or_heavy_libraries(db_url, store):
    # `store` has created and migrated the database, so opening it needs no Alembic.
    result = subprocess.run([sys.executable, "-c", CHECK, db_url], capture_output=True,
                            text=True, check=True)
    assert result.stdout.splitlines()[-1] == "HEAVY:"


def test_only_app_tui_imports_textual():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "app"
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tui" not in path.relative_to(package).parts
        and any(line.lstrip().startswith(("import textual", "from textual"))
                for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert offenders == []


HOME_SCREEN = textwrap.dedent("""
    import sys
    from pathlib import Path
    import app.cli  # what the console script imports before it opens the interface
    import app.tui.app
    from app.audit import AuditService, open_store
    from app.tui.app import AuditApp
    from app.tui.screens.home import HomeScreen

    class ReadyOnce(AuditApp):
        CSS_PATH = str(Path(app.tui.app.__file__).with_name("app.tcss"))

        def on_ready(self):
            assert isinstance(self.screen, HomeScreen), self.screen
            self.listed = self.screen.query_one("DataTable").row_count
            self.exit()

    store = open_store(sys.argv[1])
    app = ReadyOnce(AuditService(store))
    app.run(headless=True)
    store.close()
    loaded = sorted(m for m in ("weasyprint", "pyhanko", "duckdb", "openpyxl", "click",
                                "jinja2", "app.tui.screens.audit", "app.tui.dialogs",
                                "app.tui.widgets.factory", "app.audit.review",
                                "app.audit.diff", "app.checklist.overlay",
                                "app.checklist.model", "app.checklist.loader", "yaml",
                                "rich._emoji_codes", "app.records.attestation",
                                "app.store.tables")
                    if m in sys.modules)
    print(f"LISTED:{app.listed} LOADED:" + ",".join(loaded))
""")


def test_opening_the_home_screen_loads_no_report_signing_or_log_library(db_url, service,
                                                                        audit_id):
    service.set_answer(audit_id, "connected", "yes")
    service.list_audits()  # keeps the list's counts: the next start reads no checklist
    result = subprocess.run([sys.executable, "-c", HOME_SCREEN, db_url], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[-1] == "LISTED:1 LOADED:"


def test_verify_without_a_database_does_not_load_sqlalchemy(tmp_path, monkeypatch):
    # `verify` with no database asks whether the default database exists and reads the
    # trust folder; neither needs the engine (SQLAlchemy and SQLModel: about 0.3 s).
    monkeypatch.setenv("NLETS_AUDIT_HOME", str(tmp_path / "empty home"))
    probe = textwrap.dedent("""
        import sys
        from app.audit.trust import office_trust
        from app.cli import main
        code = main(["verify", sys.argv[1]])
        office_trust([])
        print(f"EXIT:{code} LOADED:" + ",".join(
            m for m in ("sqlalchemy", "sqlmodel") if m in sys.modules))
    """)
    result = subprocess.run([sys.executable, "-c", probe, str(tmp_path / "missing.pdf")],
                            capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "EXIT:2 LOADED:"
