"""Alliances, groups and regions over time (NATO, CSTO, the former USSR, NATO-draft regions).

All data live in ``geodata/`` (``nato_members.csv``, ``groups.csv``, ``regions.csv``) with a
public source and a confidence per row (``deployguard.data_versions()`` gives each file's
date). Dates accept :class:`datetime.date` or
ISO strings; membership on a date counts a state from its accession day inclusive to its
leaving day exclusive.

Examples
--------
>>> len(nato.members(on="1997-05-27")), len(nato.members(on="2021-12-17"))
(16, 30)
>>> sorted(art7_regions("post_soviet")["Eastern Europe"])
['BLR', 'MDA', 'RUS', 'UKR']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from deployguard._validate import as_alpha3, as_choice, as_date
from deployguard.data.files import read_csv
from deployguard.errors import UnknownStateError

__all__ = [
    "ART7_READINGS",
    "EUROPE_READINGS",
    "FORMER_USSR",
    "Group",
    "art7_regions",
    "csto",
    "nato",
    "states_in_europe",
]

ART7_READINGS: tuple[str, ...] = ("nato_1997_line", "m49", "post_soviet")
EUROPE_READINGS: tuple[str, ...] = ("m49_europe", "conventional")


@dataclass(frozen=True)
class _Spell:
    code: str
    joined: _dt.date | None  # None: from the group's start
    left: _dt.date | None  # None: still a member
    source: str
    confidence: str


def _as_code(state: Any) -> str:
    return as_alpha3(state, "state")


class Group:
    """A named set of states whose membership changes over time.

    Parameters
    ----------
    name : str
        Display name ("NATO").
    spells : list
        Membership spells (a state that left and rejoined has two).

    Examples
    --------
    >>> nato.is_member("POL", on="1999-03-11"), nato.is_member("POL", on="1999-03-12")
    (False, True)
    """

    def __init__(
        self, name: str, spells: Iterable[_Spell] | Callable[[], Iterable[_Spell]]
    ) -> None:
        self.name = name
        # a loader defers reading the data file until the group is first asked something
        self._loader = spells if callable(spells) else None
        self._loaded: tuple[_Spell, ...] | None = None if callable(spells) else tuple(spells)

    @property
    def _spells(self) -> tuple[_Spell, ...]:
        if self._loaded is None:
            assert self._loader is not None
            self._loaded = tuple(self._loader())
        return self._loaded

    def __repr__(self) -> str:
        return f"Group({self.name!r}, {len(self.codes)} states ever)"

    @property
    def codes(self) -> frozenset[str]:
        """Every state that was ever a member."""
        return frozenset(s.code for s in self._spells)

    def members(self, on: Any = None) -> frozenset[str]:
        """Alpha-3 codes of the members on date ``on`` (today if None).

        Examples
        --------
        >>> len(nato.members(on="2024-03-07"))
        32
        """
        day = _dt.date.today() if on is None else as_date(on, "on")
        return frozenset(
            s.code
            for s in self._spells
            if (s.joined is None or s.joined <= day) and (s.left is None or day < s.left)
        )

    def is_member(self, state: Any, on: Any = None) -> bool:
        """Whether ``state`` (alpha-3) was a member on ``on`` (today if None).

        Examples
        --------
        >>> csto.is_member("GEO", on="1998-01-01"), csto.is_member("GEO", on="2021-12-17")
        (True, False)
        """
        return _as_code(state) in self.members(on)

    def accession_date(self, state: Any) -> _dt.date | None:
        """First accession date of ``state`` (None if it was a member from the start).

        Raises
        ------
        UnknownStateError
            If ``state`` was never a member.

        Examples
        --------
        >>> nato.accession_date("SWE")
        datetime.date(2024, 3, 7)
        """
        code = _as_code(state)
        spells = [s for s in self._spells if s.code == code]
        if not spells:
            raise UnknownStateError(
                f"{code!r} was never a member of {self.name}; members ever: {sorted(self.codes)}"
            )
        dates = [s.joined for s in spells]
        return None if None in dates else min(d for d in dates if d is not None)

    def source(self, state: Any) -> list[tuple[str, str]]:
        """(source, confidence) of each membership spell of ``state``.

        Examples
        --------
        >>> nato.source("TUR")[0][1]
        'H'
        """
        code = _as_code(state)
        return [(s.source, s.confidence) for s in self._spells if s.code == code]


def _date_or_none(text: str) -> _dt.date | None:
    return as_date(text) if text else None


def _nato_spells() -> list[_Spell]:
    table = read_csv("nato_members.csv")
    return [
        _Spell(str(r.iso_a3), _date_or_none(str(r.accession_date)), None, str(r.source),
               str(r.confidence))
        for r in table.itertuples()
    ]


def _group_spells(name: str) -> Callable[[], list[_Spell]]:
    def load() -> list[_Spell]:
        table = read_csv("groups.csv")
        rows = table[table["group"] == name]
        return [
            _Spell(str(r.iso_a3), _date_or_none(str(r.joined)), _date_or_none(str(r.left)),
                   str(r.source), str(r.confidence))
            for r in rows.itertuples()
        ]

    return load


#: NATO over time (``geodata/nato_members.csv``); read on first use.
nato: Group = Group("NATO", _nato_spells)
#: The CSTO over time, with the states that left (``geodata/groups.csv``); read on first use.
csto: Group = Group("CSTO", _group_spells("csto"))
_former_ussr: Group = Group("former_ussr", _group_spells("former_ussr"))
#: The 15 successor states of the USSR (``geodata/groups.csv``), read on first use.
FORMER_USSR: frozenset[str]


def __getattr__(name: str) -> frozenset[str]:
    # FORMER_USSR is a plain frozenset, read from groups.csv the first time it is asked for
    if name == "FORMER_USSR":
        return _former_ussr.codes
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _regions(reading: str, valid: tuple[str, ...]) -> dict[str, frozenset[str]]:
    as_choice(reading, "reading", valid)
    table = read_csv("regions.csv")
    rows = table[table["reading"] == reading]
    return {
        str(region): frozenset(group["iso_a3"])
        for region, group in rows.groupby("region", sort=False)
    }


def art7_regions(reading: str = "nato_1997_line") -> dict[str, frozenset[str]]:
    """The regions of NATO-draft Art. 7 para 1 under a named reading.

    Parameters
    ----------
    reading : {"nato_1997_line", "m49", "post_soviet"}
        ``nato_1997_line`` (default): Eastern Europe = the states east of NATO's line of 27 May
        1997, the former Warsaw Pact (Bulgaria, Czechia, Hungary, Poland, Romania, Slovakia)
        and the former USSR in Europe, the Baltic states included (Russia's MFA, 21 Jan 2022:
        "return to the 1997 configuration on the territory of countries that were not members
        of NATO at the time"; RUSSTRAT, 20 Dec 2021: Arts. 4 and 7 are "mainly aimed at Poland
        and the Baltic states"). ``m49``: UN M49 Eastern Europe (151), which puts the Baltic
        states in Northern Europe. ``post_soviet``: Eastern Europe = Ukraine, Belarus, Moldova
        and Russia (the reading of OSW, 20 Dec 2021: "Ukraine and other post-Soviet states",
        https://osw.waw.pl/pl/publikacje/analizy/2021-12-20/rosyjski-szantaz-wobec-zachodu).
        Every reading has the conventional South Caucasus (M49 has none) and M49 Central Asia
        (143). Sources per row in ``geodata/regions.csv``.

    Returns
    -------
    dict
        "Eastern Europe", "South Caucasus", "Central Asia" -> frozenset of alpha-3 codes.

    Examples
    --------
    >>> "POL" in art7_regions("m49")["Eastern Europe"]
    True
    >>> sorted({"EST", "POL", "CZE"} & art7_regions()["Eastern Europe"])
    ['CZE', 'EST', 'POL']
    """
    return _regions(reading, ART7_READINGS)


def states_in_europe(reading: str = "m49_europe") -> frozenset[str]:
    """The "States in Europe" of NATO-draft Art. 4 under a named reading.

    Parameters
    ----------
    reading : {"m49_europe", "conventional"}
        ``m49_europe``: the 44 sovereign states of UN M49 Europe (150), Russia included, and
        Kosovo: M49 lists UN members, and a European territory that is not one is still in
        Europe under every reading (CIA World Factbook: "Southeast Europe").
        ``conventional``: those plus Turkey, Cyprus, Georgia, Armenia and Azerbaijan (our
        analysis; Kazakhstan is not added).

    Examples
    --------
    >>> "TUR" in states_in_europe("m49_europe"), "TUR" in states_in_europe("conventional")
    (False, True)
    """
    return _regions(reading, EUROPE_READINGS)["Europe"]
