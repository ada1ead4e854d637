"""What the scenario readers return: records as read, before any field is checked.

Examples
--------
>>> RawScenario(records=[RawRecord({"by": "USA"}, "line 2")], kind="csv").records[0].where
'line 2'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from deployguard.errors import Problem

__all__ = ["RawRecord", "RawScenario", "short"]


@dataclass(frozen=True)
class RawRecord:
    """One deployment record as read: its fields and where it is in the file."""

    fields: Any  # a mapping when well formed; anything else is reported by the builder
    where: str | None = None


@dataclass
class RawScenario:
    """What a reader found: the records, the top-level settings and the problems."""

    records: list[RawRecord] = field(default_factory=list)
    top: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    kind: str = ""


def short(value: Any, width: int = 60) -> str:
    """``repr(value)``, cut to ``width`` characters for a message."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "\u2026"


