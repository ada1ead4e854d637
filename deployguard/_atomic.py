"""Write files atomically (a temporary file, then :func:`os.replace`) and folders of outputs
as one set (:func:`output_folder`: staged beside the target, swapped in, a manifest last).

An interrupted run never leaves a truncated output behind, nor a new file beside the previous
run's: readers see either the old set or the whole new one.

Examples
--------
>>> import pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_open(path, "w") as fh:
...     _ = fh.write("all or nothing")
>>> path.read_text()
'all or nothing'
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from deployguard.errors import InvalidInputError

__all__ = [
    "MANIFEST", "atomic_open", "atomic_write_bytes", "atomic_write_text", "folder_problems",
    "output_folder", "ours",
]


@contextlib.contextmanager
def atomic_open(path: str | os.PathLike[str], mode: str = "w", **kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary file beside ``path``; on success it replaces ``path`` in one step.

    On an exception (or Ctrl-C) the temporary file is removed and ``path`` is untouched.
    ``mode`` is ``"w"`` (text, UTF-8 unless ``encoding`` is given) or ``"wb"``.
    """
    if mode not in ("w", "wb"):
        raise InvalidInputError(
            f"atomic_open writes whole files: mode must be 'w' or 'wb', got {mode!r}"
        )
    target = Path(path)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, mode, **kwargs) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        # mkstemp makes the file private (0600); give it the permissions a plain open() would
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_open(path, "w", encoding=encoding) as fh:
        fh.write(text)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` atomically."""
    with atomic_open(path, "wb") as fh:
        fh.write(data)


# ------------------------------------------------------------------------------ whole folders
#: The file, written last into every folder of outputs, that names the files of one run.
MANIFEST = "deployguard-manifest.json"
_CHUNK = 1 << 20


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(_CHUNK):
            h.update(block)
    return h.hexdigest()


def _manifest_files(folder: Path) -> dict[str, str]:
    """The files the folder's manifest names, with their SHA-256 ({} without a manifest)."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        files = doc["files"]
        return {str(k): str(v["sha256"]) for k, v in files.items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def ours(folder: Path) -> set[str]:
    """The files in ``folder`` that deployguard wrote and nobody changed since (its manifest
    names them with their current content).
    """
    return {name for name, sha in _manifest_files(folder).items()
            if (folder / name).is_file() and _digest(folder / name) == sha}


def folder_problems(folder: Path, names: Iterable[str], option: str, force: bool) -> list[str]:
    """Why writing ``names`` into ``folder`` would replace files deployguard did not write
    (nothing with ``force``).
    """
    if force or not folder.is_dir():
        return []
    present = [n for n in names if (folder / n).exists()]
    if not present:
        return []
    mine = ours(folder)
    foreign = [n for n in present if n not in mine]
    if not foreign:
        return []
    ask = "--force" if option.startswith("--") else "force=True"
    return [f"{option} {str(folder)!r} holds {', '.join(foreign)}, which deployguard did not "
            f"write (or which changed since); pass {ask} to replace "
            f"{'it' if len(foreign) == 1 else 'them'}, or choose another folder"]


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2(RENAME_EXCHANGE)``); False where the
    system or the file system cannot.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    return int(fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)) == 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _remove_dead_stages(folder: Path) -> None:
    """Remove staging folders beside ``folder`` left by runs that were killed (SIGKILL, a
    power cut: no clean-up ran), recognised by a process id that no longer runs.
    """
    pattern = re.compile(re.escape(f".{folder.name}.") + r"(\d+)\.[^/]*\.tmp(\.old)?")
    with contextlib.suppress(OSError):
        for path in folder.parent.iterdir():
            m = pattern.fullmatch(path.name)
            if m and path.is_dir() and not _alive(int(m.group(1))):
                shutil.rmtree(path, ignore_errors=True)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _private_mode_off(path: Path, mode: int) -> None:
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(path, mode & ~umask)


@contextlib.contextmanager
def output_folder(target: str | os.PathLike[str], *, force: bool = False,
                  option: str = "out_dir") -> Iterator[Path]:
    """Stage a set of output files; on success the set replaces ``target``'s in one step.

    Yields a private folder to write the files into. When the block ends without an
    exception, a manifest naming every staged file with its SHA-256 is written last, and:

    - if ``target`` is missing, empty, or holds only files of deployguard's previous set,
      the staged folder takes its place in one step (an exchange of the two folders where the
      system has one, else two renames a few microseconds apart);
    - otherwise (other files live there too) the previous manifest is removed first, the new
      files are moved in one by one, the previous set's other files removed, and the new
      manifest moved in last: a folder without a manifest is an interrupted run.

    On an exception (or Ctrl-C) the staged files are removed and ``target`` is untouched.

    Raises
    ------
    InvalidInputError
        If ``target`` is a file, or a staged file would replace one deployguard did not
        write in ``target`` and ``force`` is false.
    """
    folder = Path(target).resolve()
    if folder.exists() and not folder.is_dir():
        raise InvalidInputError(f"{option} {str(target)!r} is a file; expected a folder")
    folder.parent.mkdir(parents=True, exist_ok=True)
    _remove_dead_stages(folder)
    try:
        # the staging folder's name carries the writer's process id: see _remove_dead_stages
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}.{os.getpid()}.", suffix=".tmp",
                                      dir=folder.parent))
    except OSError:  # the parent is read-only: stage inside (the set then moves file by file)
        folder.mkdir(exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".deployguard.", suffix=".tmp", dir=folder))
    try:
        yield stage
        names = sorted(p.name for p in stage.iterdir())
        problems = folder_problems(folder, names, option, force)
        if problems:
            raise InvalidInputError(problems[0])
        files = {n: {"sha256": _digest(stage / n), "bytes": (stage / n).stat().st_size}
                 for n in names}
        (stage / MANIFEST).write_text(json.dumps({"written_by": "deployguard", "files": files},
                                                 indent=1, sort_keys=True) + "\n",
                                      encoding="utf-8")
        for name in [*names, MANIFEST]:  # on disk before the set is swapped in
            _fsync(stage / name)
        _private_mode_off(stage, 0o777)
        _commit(stage, folder, set(names))
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def _commit(stage: Path, folder: Path, names: set[str]) -> None:
    if not folder.exists():
        os.rename(stage, folder)
        return
    previous = ours(folder)
    others = {p.name for p in folder.iterdir()} - previous - {MANIFEST}
    if not others and folder != Path.cwd().resolve():  # deployguard's folder: swap it whole
        if _exchange(stage, folder):
            shutil.rmtree(stage, ignore_errors=True)
            return
        old = stage.with_name(stage.name + ".old")
        os.rename(folder, old)
        os.rename(stage, folder)
        shutil.rmtree(old, ignore_errors=True)
        return
    # other files live here: the new set moves in file by file, its manifest last
    with contextlib.suppress(FileNotFoundError):
        os.unlink(folder / MANIFEST)
    for name in sorted(names):
        os.replace(stage / name, folder / name)
    for name in previous - names:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(folder / name)
    os.replace(stage / MANIFEST, folder / MANIFEST)
    os.rmdir(stage)
