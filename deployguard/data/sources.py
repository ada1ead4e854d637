"""Where each figure of the catalogue comes from: source records and the reviewed domains.

A :class:`RangeSource` is one published figure: the number in km, which estimates it sets
(``low``/``nominal``/``high``, or ``min`` for a minimum range, or none for a figure recorded but
not used), the URL, the outlet that published it, the exact words or number taken (``says``),
the unit conversion we made (``conversion``), the publication date and a quality H/M/L.
A :class:`NewStartStatus` records a bomber type's standing under New START with the counts of
the State Department's data exchange.

Every URL the bundled data cite has a domain in ``geodata/source_domains.csv`` (who they are
and a quality A/B/C); :func:`url_domains` finds the hosts in a text and
:func:`reviewed_domains` reads that table.

Examples
--------
>>> s = RangeSource.from_record({"km": 1287, "estimates": ["low"], "quality": "M",
...     "source": "https://www.cnbc.com/2018/04/12/x.html", "outlet": "CNBC",
...     "says": "intermediate range of 800 to 1,553 miles", "conversion": "800 mi x 1.609344",
...     "date": "2018-04"})
>>> s.km, s.estimates, s.domain
(1287.0, ('low',), 'cnbc.com')
>>> url_domains("see https://www.nato.int/docu/pr/1997/p97-027e.htm; http://tass.com/x")
['nato.int', 'tass.com']
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from deployguard._validate import as_choice
from deployguard.errors import InvalidInputError

__all__ = [
    "DOMAIN_QUALITIES",
    "NewStartStatus",
    "RangeSource",
    "SOURCE_QUALITIES",
    "as_range_sources",
    "domain_of",
    "reviewed_domains",
    "url_domains",
]

#: Quality of one source record: H primary/official or a newspaper of record seen directly;
#: M a reputable outlet, or its text seen through a mirror; L a weak site (see the system's
#: ``weak_source_note``).
SOURCE_QUALITIES = ("H", "M", "L")
#: Quality of a reviewed domain: A authoritative or primary, B reputable or a mirror of a
#: reputable outlet's text, C low quality (kept only where nothing better was found).
DOMAIN_QUALITIES = ("A", "B", "C")
_ESTIMATE_TAGS = ("low", "nominal", "high", "min")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
# the host part of an http(s) URL: stops at a path, a port or the punctuation that ends a URL
# in running text (";" and "," separate URLs in our source fields; ")" closes a parenthesis)
_URL_HOST = re.compile(r"https?://([^/\s\"'<>()\[\]|;,:?#]+)", re.IGNORECASE)


def domain_of(url: str) -> str:
    """The reviewed-list form of the host of ``url``: lower case, without ``www.``.

    Examples
    --------
    >>> domain_of("https://WWW.Reuters.com/world/"), domain_of("http://big5.cctv.com/gate")
    ('reuters.com', 'big5.cctv.com')
    """
    host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def url_domains(text: str) -> list[str]:
    """The domains (as :func:`domain_of` gives them) of every http(s) URL in ``text``, in order.

    Examples
    --------
    >>> url_domains("see; https://a.example.org/p?q=1, and (http://www.b.example/x)")
    ['a.example.org', 'b.example']
    """
    out = []
    for host in _URL_HOST.findall(text):
        host = host.lower().rstrip(".")
        out.append(host[4:] if host.startswith("www.") else host)
    return out


@functools.cache
def reviewed_domains() -> dict[str, tuple[str, str]]:
    """``{domain: (who they are, quality A/B/C)}`` from ``geodata/source_domains.csv`` (cached).

    Examples
    --------
    >>> reviewed_domains()["missilethreat.csis.org"][1]
    'A'
    """
    from deployguard.data.files import read_csv

    table = read_csv("source_domains.csv")
    return {
        str(d): (str(w), str(q))
        for d, w, q in zip(table["domain"], table["who"], table["quality"], strict=True)
    }


def _check_fields(record: Any, allowed: set[str], what: str) -> None:
    if not isinstance(record, Mapping):
        raise InvalidInputError(f"{what} must be an object, got {record!r}")
    unknown = set(record) - allowed
    if unknown:
        raise InvalidInputError(f"{what} has unknown field(s) {sorted(unknown)}")


def _text(value: Any, field: str, owner: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInputError(f"{field} of a source of {owner} must be text, got {value!r}")
    return value.strip()


@dataclass(frozen=True)
class RangeSource:
    """One published figure and where it comes from.

    Attributes
    ----------
    km : float or None
        The figure in km after any conversion; ``None`` for a phrase with no number ("well
        over 500 km"), recorded for the reader only.
    estimates : tuple of str
        Which estimates it sets: some of ``"low"``, ``"nominal"``, ``"high"``, or ``("min",)``
        for a minimum range; empty for a figure recorded but not used (see ``why_not_used``).
    source : str
        Public URL of the text seen.
    outlet : str
        Who published it (and the original outlet where a mirror was seen).
    says : str
        The exact words or number taken, in the source's language.
    conversion : str
        The unit conversion we made ("1,725 mi x 1.609344 = 2,776 km"), or "".
    date : str
        Publication date, ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.
    quality : {"H", "M", "L"}
        See :data:`SOURCE_QUALITIES`.
    why_not_used : str
        For a figure that sets no estimate: why (a test distance, a bound, a combat radius).
    date_note : str
        How an undated page was dated, or "".
    """

    km: float | None
    estimates: tuple[str, ...]
    source: str
    outlet: str
    says: str
    conversion: str = ""
    date: str = ""
    quality: str = "L"
    why_not_used: str = ""
    date_note: str = ""

    @property
    def domain(self) -> str:
        """The source's domain, as the reviewed list spells it (see :func:`domain_of`)."""
        return domain_of(self.source)

    @classmethod
    def from_record(cls, record: Mapping[str, Any], owner: str = "a system") -> RangeSource:
        """Build from a JSON object of ``systems.json``, naming ``owner`` in any error."""
        _check_fields(record, set(cls.__dataclass_fields__), f"a source of {owner}")
        km = record.get("km")
        if km is not None:
            if isinstance(km, bool) or not isinstance(km, int | float) or not math.isfinite(km):
                raise InvalidInputError(f"km of a source of {owner} must be a number, got {km!r}")
            if km < 0:
                raise InvalidInputError(f"km of a source of {owner} must be >= 0, got {km!r}")
            km = float(km)
        estimates = record.get("estimates") or ()
        if isinstance(estimates, str) or not all(isinstance(e, str) for e in estimates):
            raise InvalidInputError(
                f"estimates of a source of {owner} must be a list of names, got {estimates!r}"
            )
        for e in estimates:
            as_choice(e, f"estimates of a source of {owner}", _ESTIMATE_TAGS)
        if estimates and km is None:
            raise InvalidInputError(f"a source of {owner} sets {list(estimates)} but has no km")
        source = _text(record.get("source"), "source", owner)
        if not source.lower().startswith(("http://", "https://")):
            raise InvalidInputError(
                f"source of a source of {owner} must be an http(s) URL, got {source!r}"
            )
        date = _text(record.get("date"), "date", owner)
        if date and not _DATE.match(date):
            raise InvalidInputError(
                f"date of a source of {owner} must be YYYY, YYYY-MM or YYYY-MM-DD, got {date!r}"
            )
        quality = as_choice(
            record.get("quality", "L"), f"quality of a source of {owner}", SOURCE_QUALITIES
        )
        return cls(
            km=km,
            estimates=tuple(estimates),
            source=source,
            outlet=_text(record.get("outlet"), "outlet", owner),
            says=_text(record.get("says"), "says", owner),
            conversion=_text(record.get("conversion"), "conversion", owner),
            date=date,
            quality=quality,
            why_not_used=_text(record.get("why_not_used"), "why_not_used", owner),
            date_note=_text(record.get("date_note"), "date_note", owner),
        )


@dataclass(frozen=True)
class NewStartStatus:
    """A bomber type under New START (signed 8 Apr 2010), as the data exchange reports it.

    Attributes
    ----------
    accountable : bool
        Whether the type counts as a heavy bomber under the treaty.
    as_of : str
        The date the counts are declared current (``YYYY-MM-DD``), or "" without counts.
    deployed, non_deployed, test, non_nuclear : int or None
        Counts of the type: deployed heavy bombers, non-deployed (which include the test
        aircraft), test heavy bombers, and heavy bombers equipped for non-nuclear armaments;
        ``None`` where the exchange does not publish them by type (Russia's).
    source : str
        Public URL of the fact sheet or report.
    note : str
        What the counts mean for the type, in words.
    """

    accountable: bool
    as_of: str = ""
    deployed: int | None = None
    non_deployed: int | None = None
    test: int | None = None
    non_nuclear: int | None = None
    source: str = ""
    note: str = ""

    @classmethod
    def from_record(cls, record: Mapping[str, Any], owner: str = "a system") -> NewStartStatus:
        """Build from the ``new_start`` object of ``systems.json``, naming ``owner`` in errors."""
        _check_fields(record, set(cls.__dataclass_fields__), f"new_start of {owner}")
        accountable = record.get("accountable")
        if not isinstance(accountable, bool):
            raise InvalidInputError(
                f"new_start.accountable of {owner} must be true or false, got {accountable!r}"
            )
        counts: dict[str, int | None] = {}
        for key in ("deployed", "non_deployed", "test", "non_nuclear"):
            value = record.get(key)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or value < 0):
                raise InvalidInputError(
                    f"new_start.{key} of {owner} must be a count >= 0 or null, got {value!r}"
                )
            counts[key] = value
        as_of = _text(record.get("as_of"), "as_of", owner)
        if as_of and not _DATE.match(as_of):
            raise InvalidInputError(f"new_start.as_of of {owner} must be a date, got {as_of!r}")
        source = _text(record.get("source"), "source", owner)
        if not source.lower().startswith(("http://", "https://")):
            raise InvalidInputError(
                f"new_start.source of {owner} must be an http(s) URL, got {source!r}"
            )
        return cls(accountable=accountable, as_of=as_of, source=source,
                   note=_text(record.get("note"), "note", owner), **counts)


def as_range_sources(value: Any, field_name: str, system: str) -> tuple[RangeSource, ...]:
    """``value`` (records or JSON objects, or empty) as a tuple of :class:`RangeSource`.

    Examples
    --------
    >>> as_range_sources(None, "range_sources", "X")
    ()
    """
    if value is None or value == "":
        return ()
    if isinstance(value, str | Mapping):
        raise InvalidInputError(
            f"{field_name} of system {system!r} must be a list of source records, got {value!r}"
        )
    return tuple(
        v if isinstance(v, RangeSource)
        else RangeSource.from_record(v, f"system {system!r} ({field_name})")
        for v in value
    )
