"""`nlets-audit sign` refuses a missing or contradictory key before it shows the statement
or asks for a secret, with exit 2 and nothing written."""

import pytest

from app.cli import main

FLAGS = ("; the options are --pkcs12 FILE, or --pkcs11-lib LIB --token LABEL [--key LABEL | "
         "--key-id HEX] [--cert LABEL | --cert-id HEX]")


def sign(capsys, db_url, audit_id, output, *key_options):
    code = main(["--db", db_url, "sign", audit_id, "-o", str(output), *key_options, "--yes"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("options", "message"), [
    ((), f"give a PKCS#12 (.p12 or .pfx) file, or a PKCS#11 library with the token label"
         f"{FLAGS}"),
    (("--pkcs11-lib", "LIB"), "give the PKCS#11 library and the token label "
                              f"(missing: the token label){FLAGS}"),
    (("--token", "piv", "--key", "signer"), "(missing: the library)"),
    (("--pkcs12", "me.p12", "--token", "piv"), "not both"),
])
def test_key_options_are_checked_first(capsys, db_url, audit_id, tmp_path, options, message):
    # The audit is not ready either: the key options are refused before the review.
    output = tmp_path / "a.pdf"
    code, out, err = sign(capsys, db_url, audit_id, output, *options)
    assert code == 2 and out == ""
    assert message in err and "cannot be signed yet" not in err
    assert not output.exists()


def test_a_missing_key_file_is_named_before_the_statement(capsys, db_url, service,
                                                          complete_audit, tmp_path,
                                                          passphrase_file):
    missing = tmp_path / "nowhere.p12"
    output = tmp_path / "a.pdf"
    code, _, err = sign(capsys, db_url, complete_audit, output, "--pkcs12", str(missing),
                        "--passphrase-file", str(passphrase_file))
    assert code == 2
    assert err.strip() == (f"error: there is no file {missing}; give the path of your "
                           "PKCS#12 (.p12 or .pfx) file")
    assert "I, the undersigned" not in err
    assert not output.exists() and service.get_audit(complete_audit).status == "draft"


def test_an_empty_passphrase_file_is_refused(capsys, db_url, service, complete_audit,
                                             certificate, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    output = tmp_path / "a.pdf"
    code, _, err = sign(capsys, db_url, complete_audit, output, "--pkcs12",
                        str(certificate.signer_pkcs12), "--passphrase-file", str(empty))
    assert code == 2 and "error: the passphrase is empty" in err
    assert not output.exists() and service.get_audit(complete_audit).status == "draft"
