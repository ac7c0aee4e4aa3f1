"""A non-editable install finds the bundled checklists and templates."""

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_checklists_and_templates(tmp_path):
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "-w", str(wheels), str(ROOT)],
                   check=True, capture_output=True)
    [wheel] = wheels.glob("nlets_audit-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        modules = [name for name in archive.namelist() if name.endswith(".py")]
    assert modules and all(name.startswith("app/") for name in modules)
    assert not [name for name in modules if "demo" in name]  # test support stays in tests/
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--disable-pip-version-check", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    probe = (
        "import app, app.checklist.bundled as b;"
        "print(app.__file__);"
        "print(len(b.bundled_checklist_files()));"
        "print(b.data_dir('templates').is_dir())"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, check=True,
                            capture_output=True, text=True,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    location, count, templates = result.stdout.split()
    assert location.startswith(str(target))
    assert int(count) == len(list((ROOT / "checklists").glob("*.yaml"))) > 0
    assert templates == "True"
