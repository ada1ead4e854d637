"""A non-editable install from a clean clone finds its bundled data."""

import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

CHECK = """
import deployguard, deployguard.geodata, pathlib
from deployguard.geography.world import World
from deployguard.geography.groups import nato
from deployguard.data.files import read_countries
pkg = pathlib.Path(deployguard.__file__).resolve()
assert "site-packages" in str(pkg), pkg
assert "site-packages" in str(pathlib.Path(deployguard.geodata.__file__).resolve())
for res in ("50m", "10m"):
    assert len(read_countries(res)) > 200
w = World.load("50m", "un")
assert w.state_at(34.1, 45.0).item() == "UKR"
assert len(nato.members(on="2024-03-07")) == 32
print("OK", pkg)
"""


def run(cmd, cwd):
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"{cmd}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.mark.slow
def test_non_editable_install_from_clean_clone_finds_data(tmp_path):
    clone = tmp_path / "clone"
    run(["git", "clone", "--quiet", str(REPO), str(clone)], cwd=tmp_path)
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)], cwd=tmp_path)
    python = venv / "bin" / "python"
    # The build backend (setuptools, wheel) comes from PyPI or pip's cache in an isolated build
    # environment, as for a user. Reuse the test environment's runtime dependencies without
    # touching it:
    # a plain path in a .pth file adds the directory but runs none of its .pth hooks, so the
    # editable deployguard of the test environment stays invisible.
    purelib = sysconfig.get_paths()["purelib"]
    new_site = run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        cwd=tmp_path,
    ).strip()
    Path(new_site, "deps_from_test_env.pth").write_text(purelib + "\n")
    run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--ignore-installed",
         str(clone)],
        cwd=tmp_path,
    )  # fmt: skip
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = run([str(python), "-c", CHECK], cwd=elsewhere)
    assert out.startswith("OK") and str(venv) in out
