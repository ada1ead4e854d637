"""Progress bars for long runs: shown on a terminal or in a notebook, silent otherwise.

:func:`progress_bar` returns a :mod:`tqdm` bar (``tqdm.auto`` in a Jupyter kernel, so the bar is
a widget there) when progress should be shown, and a do-nothing stand-in when it should not: when
the caller passes ``progress=False``, or when ``progress=None`` (the default everywhere) and
standard error is neither a terminal nor a notebook.  Logs and CI output therefore stay clean.

Examples
--------
>>> with progress_bar(3, "demo", enabled=False) as bar:
...     bar.update(3)
>>> type(progress_bar(1, "demo", enabled=False)).__name__
'_Silent'
"""

from __future__ import annotations

import importlib.util
import sys
from types import TracebackType
from typing import Any

from deployguard.errors import InvalidInputError

__all__ = ["progress_bar", "show_progress"]


class _Silent:
    """Stands in for a tqdm bar when nothing should be printed."""

    def update(self, n: int = 1) -> None:
        return None

    def set_postfix_str(self, text: str) -> None:
        return None

    def close(self) -> None:
        return None

    def __enter__(self) -> _Silent:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


def _in_notebook() -> bool:
    shell = sys.modules.get("IPython")
    if shell is None:
        return False
    try:
        ip = shell.get_ipython()
    except Exception:  # an IPython without a running shell
        return False
    return type(ip).__name__ == "ZMQInteractiveShell"


def show_progress(enabled: bool | None) -> bool:
    """Whether to draw a bar: ``enabled`` if given, else a terminal or a notebook is attached.

    Examples
    --------
    >>> show_progress(False), show_progress(True)
    (False, True)
    """
    if enabled is not None and not isinstance(enabled, bool):
        raise InvalidInputError(f"progress must be True, False or None, got {enabled!r}")
    if enabled is not None:
        return enabled
    if _in_notebook():
        return True
    stream = sys.stderr
    return bool(stream is not None and hasattr(stream, "isatty") and stream.isatty())


def progress_bar(
    total: int | None, desc: str, enabled: bool | None = None, unit: str = "it"
) -> Any:
    """A tqdm bar of ``total`` steps, or a silent stand-in (see the module notes)."""
    if not show_progress(enabled):
        return _Silent()
    bar: Any
    if _in_notebook() and importlib.util.find_spec("ipywidgets") is not None:
        from tqdm.auto import tqdm as bar  # the notebook widget needs ipywidgets
    else:
        from tqdm import tqdm as bar
    return bar(total=total, desc=desc, unit=unit, leave=False, dynamic_ncols=True)
