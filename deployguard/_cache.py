r"""deployguard's per-user cache folder: the only place it writes to at run time on its own.

Nothing is ever written into the installed package: a file left there (numba's ``*.nbi`` and
``*.nbc`` in ``__pycache__``) survives ``pip uninstall``, and the leftover folder then turns
``deployguard`` into a namespace package that hides a later install. Caches go to

- ``$DEPLOYGUARD_CACHE_DIR`` when that is set (an empty value or ``off`` turns caching off),
- else the platform's user cache folder (:func:`platformdirs.user_cache_dir`), e.g.
  ``~/.cache/deployguard`` on Linux, ``~/Library/Caches/deployguard`` on macOS,
  ``%LOCALAPPDATA%\deployguard\Cache`` on Windows,

inside a sub-folder named by the code version and the Python version, so that two versions
never read each other's files. The cache is optional: when the folder cannot be made or written
(a read-only or missing home), :func:`cache_dir` returns ``None`` and every caller computes in
memory instead, only slower, and says nothing. Every file in it is written whole or not at all
(a temporary file in the same folder, then :func:`os.replace`; numba writes its ``*.nbi`` and
``*.nbc`` that way), so two processes filling the cache at once never see a torn file.

Examples
--------
>>> import os, tempfile
>>> os.environ["DEPLOYGUARD_CACHE_DIR"] = tempfile.mkdtemp()
>>> cache_dir.cache_clear()
>>> path = cache_dir("example")
>>> path is not None and path.is_dir()
True
>>> del os.environ["DEPLOYGUARD_CACHE_DIR"]; cache_dir.cache_clear()
"""

from __future__ import annotations

import functools
import os
import sys
import tempfile
from pathlib import Path

__all__ = ["ENV_VAR", "cache_dir", "cache_root"]

ENV_VAR = "DEPLOYGUARD_CACHE_DIR"
_OFF = ("", "0", "off", "none", "false")


def _version() -> str:
    # the version of the code that writes the cache; the package is imported before any of
    # its modules, so it is read from sys.modules (an import here would reach back up a floor)
    version = getattr(sys.modules.get("deployguard"), "__version__", "unknown")
    return f"{version}-py{sys.version_info.major}{sys.version_info.minor}"


def cache_root() -> Path | None:
    """The cache's top folder (not made here), or ``None`` if caching is turned off."""
    given = os.environ.get(ENV_VAR)
    if given is not None:
        return None if given.strip().lower() in _OFF else Path(given).expanduser()
    try:
        import platformdirs
    except ImportError:  # a dependency, but never worth a crash: compute in memory
        return None
    return Path(platformdirs.user_cache_dir("deployguard", appauthor=False))


@functools.cache
def cache_dir(*parts: str) -> Path | None:
    """The folder ``<root>/<version>/<parts...>``, made and checked writable, or ``None``.

    ``None`` means: no cache (turned off, or the folder cannot be made or written); compute in
    memory. Never raises for a file-system reason. The answer is remembered for the process.
    """
    root = cache_root()
    if root is None:
        return None
    path = root.joinpath(_version(), *parts)
    try:
        path.mkdir(parents=True, exist_ok=True)
        # writable? (a read-only mount can still list and make nothing)
        fd, probe = tempfile.mkstemp(prefix=".probe.", dir=path)
        os.close(fd)
        os.unlink(probe)
    except OSError:
        return None
    return path
