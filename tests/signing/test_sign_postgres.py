"""An office on PostgreSQL: the auditor answers, the attesting official signs, each under
their own database login and no more than their role grants."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from app.audit import AuditService, grants_sql, open_store
from app.cli import main
from tests.conftest import pg_schema_url
from tests.signing.conftest import COMPLETE_SAMPLE_ANSWERS


def test_the_auditor_answers_and_only_the_official_signs(pg_admin: Engine, pg_schema, pg_login,
                                                         sample, certificate, passphrase_file,
                                                         tmp_path, capsys):
    owner = AuditService(open_store(pg_schema_url(pg_admin, pg_schema)))
    audit_id = owner.create_audit(sample, jurisdiction="WA", period_start="2025-01-01",
                                  period_end="2025-12-31").id
    owner.store.close()
    with pg_admin.connect() as connection:
        connection.exec_driver_sql(grants_sql(pg_schema))
    auditor, official = pg_login("nlets_auditor"), pg_login("nlets_official")

    service = AuditService(open_store(auditor))
    service.import_answers(audit_id, COMPLETE_SAMPLE_ANSWERS)
    service.store.close()
    sign = ["sign", audit_id, "--pkcs12", str(certificate.signer_pkcs12), "--passphrase-file",
            str(passphrase_file), "--title", "CIO", "--yes"]
    assert main(["--db", auditor, *sign, "-o", str(tmp_path / "by-auditor.pdf")]) == 2
    assert "permission denied for table audit" in capsys.readouterr().err
    assert not (tmp_path / "by-auditor.pdf").exists()

    assert main(["--db", official, *sign, "-o", str(tmp_path / "signed.pdf")]) == 0
    capsys.readouterr()
    service = AuditService(open_store(official))
    try:
        assert service.get_audit(audit_id).status == "signed"
        signed = service.history(audit_id)[-1]
        assert (signed.kind, signed.actor) == ("audit_signed", make_url(official).username)
        assert {e.actor for e in service.history(audit_id) if e.kind == "answer_imported"} == {
            make_url(auditor).username}
        assert service.verify_history(audit_id).ok
    finally:
        service.store.close()
