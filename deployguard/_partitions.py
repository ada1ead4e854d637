"""Run one function over partitions of a table, in memory or on a Dask ``distributed`` cluster.

The generic machinery behind the sweeps (design.md section 6): partition the many light rows
(candidate sites), send the few heavy shared objects (territories and their distance indexes)
to every worker once, run the same pure function on each partition, and return the results in
partition order.  It knows nothing of states or treaties.

In memory the partitions run one after another in this process (the kernels are already
multi-threaded).  With ``client`` (a :class:`distributed.Client`), ``shared`` is scattered once
with ``broadcast=True`` and each partition is one task; the results come back in the same
order, so the caller's table is identical to the in-memory one.

Examples
--------
>>> import numpy as np
>>> parts = split_rows(10, 4)
>>> [(p.start, p.stop) for p in parts]
[(0, 4), (4, 8), (8, 10)]
>>> run_partitions(lambda rows, k: int(rows.sum()) * k, [np.arange(3), np.arange(3, 6)], 10)
[30, 120]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from deployguard._progress import progress_bar
from deployguard.errors import InvalidInputError

__all__ = ["run_partitions", "split_rows"]

P = TypeVar("P")
R = TypeVar("R")
S = TypeVar("S")


def split_rows(n_rows: int, partition_size: int) -> list[slice]:
    """Consecutive slices of at most ``partition_size`` rows covering ``range(n_rows)``."""
    if isinstance(partition_size, bool) or not isinstance(partition_size, int) or (
        partition_size < 1
    ):
        raise InvalidInputError(
            f"partition_size must be a whole number of rows >= 1, got {partition_size!r}"
        )
    return [slice(i, min(i + partition_size, n_rows)) for i in range(0, n_rows, partition_size)]


def _is_client(client: Any) -> bool:
    return all(hasattr(client, name) for name in ("scatter", "submit", "gather"))


def run_partitions(
    func: Callable[[P, S], R],
    partitions: Sequence[P],
    shared: S,
    client: Any = None,
    progress: bool | None = None,
    desc: str = "partitions",
) -> list[R]:
    """``[func(p, shared) for p in partitions]``, in memory or on a Dask cluster.

    Parameters
    ----------
    func : callable
        A pure function of one partition and the shared object; on a cluster it must be
        importable by the workers (a module-level function).
    partitions : sequence
        The light pieces of work (e.g. data frames of sites).
    shared : object
        Heavy read-only data every partition needs; scattered to each worker once.
    client : distributed.Client, optional
        Run on this cluster; ``None`` runs in this process.
    progress : bool, optional
        Show a progress bar (default: only on a terminal or in a notebook).

    Returns
    -------
    list
        One result per partition, in partition order.
    """
    bar = progress_bar(len(partitions), desc, progress, unit="partition")
    try:
        if client is None:
            out = []
            for part in partitions:
                out.append(func(part, shared))
                bar.update(1)
            return out
        if not _is_client(client):
            raise InvalidInputError(
                f"client must be a distributed.Client (pip install 'deployguard[dask]'), got "
                f"{type(client).__name__}"
            )
        from distributed import as_completed

        shared_future = client.scatter(shared, broadcast=True, hash=False)
        futures = [
            client.submit(func, part, shared_future, pure=False, key=f"{desc}-{i}-{id(part)}")
            for i, part in enumerate(partitions)
        ]
        for _ in as_completed(futures):
            bar.update(1)
        results: list[R] = client.gather(futures)
        return results
    finally:
        bar.close()
