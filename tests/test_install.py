"""The README's two commands, as the README spells them, cannot break the install (issue 18).

In a fresh clone, one after the other in one folder: the first command (a regular install and
the built-in check), the second (an editable install with the test extra, then tests: a quick
subset that compiles and runs the numba kernel instead of the whole suite, to keep this under
about three minutes), the first again; then the console script from another folder, and Python
started in the clone's root (a notebook opened in the repository) on a regular install.

Before issue 18 the first command's run left numba's cache (``*.nbi``, ``*.nbc``) inside the
installed package; pip's uninstall kept it and the leftover folder hid the next install
(``deployguard --version`` exited 3), and Python in the clone's root could not find
``deployguard.geodata``. Nothing may be written into the code's folders at run time: the
caches go to ``DEPLOYGUARD_CACHE_DIR`` (here a temporary folder).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SUBSET = ("-p no:cacheprovider -n 0 -q "
          "tests/test_geodesy_compiled.py::test_compiled_path_is_available_here "
          "'tests/test_geodesy_compiled.py::test_compiled__points_lines_holes_identical_to_numpy"
          "[line]'")

FROM_ROOT = """
import pathlib, deployguard as dg
assert pathlib.Path(dg.__file__).resolve().parent == pathlib.Path.cwd() / "deployguard"
d = dg.Deployment(by="RUS", at="Kaliningrad", date="2018-02-05", system="Iskander-M")
r = dg.check([d])
from deployguard.data.files import read_countries
assert len(read_countries("10m")) > 200
print("OK", len(r.to_frame()))
"""


def readme_commands() -> list[str]:
    """The two shell lines at the top of the README (an indented block)."""
    lines = (REPO / "README.md").read_text(encoding="utf-8").splitlines()
    commands = [line.strip() for line in lines if line.startswith("    python3 -m venv")]
    assert len(commands) == 2, commands
    return commands


def sh(command: str, cwd: Path, env: dict[str, str], expect: int = 0) -> str:
    result = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == expect, (
        f"{command}\nexit {result.returncode}\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result.stdout


def leftovers(*folders: Path) -> list[Path]:
    return [p for f in folders for pattern in ("*.nbi", "*.nbc") for p in f.rglob(pattern)]


@pytest.mark.slow
def test_readme_commands_in_a_fresh_clone_cannot_break_the_install(tmp_path):
    if not (REPO / ".git").exists():
        pytest.skip("not a git checkout: nothing to clone")
    first, second = readme_commands()
    assert second.endswith("python -m pytest -n 2"), second
    second = second.removesuffix("-n 2") + SUBSET
    clone = tmp_path / "clone"
    head = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
    subprocess.run(["git", "-C", str(clone), "checkout", "--quiet", head], check=True)
    cache = tmp_path / "cache"
    env = {k: v for k, v in os.environ.items()
           if k not in ("VIRTUAL_ENV", "PYTHONPATH", "DEPLOYGUARD_NO_JIT")}
    env |= {"DEPLOYGUARD_CACHE_DIR": str(cache), "MPLBACKEND": "Agg"}
    venv = clone / ".venv"

    sh(first, clone, env, expect=1)  # exit 1: the built-in scenario has violations
    assert (clone / "out" / "report.md").is_file()
    sh(second, clone, env)
    assert any(cache.rglob("_bnb_kernel.solve-*.nbi")), "the subset compiles the kernel"
    out = sh(first, clone, env, expect=1)
    assert "violation" in out
    assert not leftovers(clone, venv), "nothing written beside the code at run time"

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    version = sh(f"{venv}/bin/deployguard --version", elsewhere, env)
    assert re.search(r"\d+\.\d+\.\d+", version), version
    assert "OK" in sh(f"{venv}/bin/python -c 'import deployguard.geodata, deployguard as dg; "
                      "print(\"OK\", dg.__file__)'", elsewhere, env)

    # a regular install, Python started in the clone's root: the source tree's code and data
    assert sh(f"{venv}/bin/python -c '{FROM_ROOT}'", clone, env).startswith("OK")
    # a read-only (here: impossible) cache folder costs time, never a traceback
    env_ro = env | {"DEPLOYGUARD_CACHE_DIR": str(clone / "README.md" / "cache")}
    assert "Traceback" not in sh(f"{venv}/bin/deployguard reach Iskander-M --at Kaliningrad",
                                 elsewhere, env_ro)


def test_cache_folder__given_off_or_unusable(tmp_path, monkeypatch):
    from deployguard import __version__
    from deployguard._cache import ENV_VAR, cache_dir

    try:
        monkeypatch.setenv(ENV_VAR, str(tmp_path / "c"))
        cache_dir.cache_clear()
        path = cache_dir("numba")
        assert path is not None and path.is_dir()
        assert path.relative_to(tmp_path / "c").parts[0].startswith(__version__)
        for off in ("", "off"):
            monkeypatch.setenv(ENV_VAR, off)
            cache_dir.cache_clear()
            assert cache_dir("numba") is None
        blocker = tmp_path / "a_file"
        blocker.write_text("")
        monkeypatch.setenv(ENV_VAR, str(blocker / "cache"))  # cannot be made: no cache, no error
        cache_dir.cache_clear()
        assert cache_dir("numba") is None
    finally:
        monkeypatch.undo()
        cache_dir.cache_clear()


def test_source_tree_data_hook_does_nothing_when_installed():
    import importlib.resources
    import sys

    from deployguard._bundled import PACKAGE, ensure_geodata

    module = sys.modules.get(PACKAGE)
    ensure_geodata()  # idempotent: the installed (or registered) package stays
    assert sys.modules.get(PACKAGE) is module
    assert importlib.resources.files(PACKAGE).joinpath("clauses.json").is_file()
