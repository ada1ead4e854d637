"""Weapon systems catalogue: names, classes, ranges (low / nominal / high) and platforms.

The records live in ``geodata/systems.json`` (installed as ``deployguard.geodata``). Ranges are
kilometres measured over the Earth's surface, as the INF Treaty measures them; ``None`` means no
published figure was found, never zero. Every estimate names its sources
(:attr:`WeaponSystem.range_sources`, :class:`~deployguard.data.sources.RangeSource`: the URL,
the outlet, the exact words, any unit conversion, the date and a quality H/M/L); low / nominal /
high span the published figures and :attr:`WeaponSystem.nominal_basis` says why the nominal is
the nominal. Where the estimates fall in different INF classes the record says so
(:attr:`WeaponSystem.straddles_inf_boundary`, :attr:`WeaponSystem.inf_straddle_note`).

The :class:`~deployguard.data.catalogue.Catalogue` (loading, lookup with suggestions) lives in
:mod:`deployguard.data.catalogue`.

A *platform* (bomber, warship, launcher) names the weapons it carries in ``platform_weapons``;
its own ``range_km`` is the aircraft range or ship endurance. The clauses measure a platform's
strike reach as its position plus the carried weapon's range, so the aircraft range is recorded
for information only.

Examples
--------
>>> from deployguard.data.catalogue import Catalogue
>>> cat = Catalogue.load()
>>> cat.get("iskander m").name, cat.get("9M723").range_for("nominal")
('Iskander-M', 500.0)
>>> cat.get("Tomahawk (Typhon)").inf_class
'intermediate'
>>> [w.name for w in cat.get("tu-95ms").weapons]
['Kh-101', 'Kh-55']
>>> cat.get("Iskander-M").straddles_inf_boundary
True
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from deployguard._names import normalize_name
from deployguard._validate import as_alpha3, as_choice
from deployguard.data.inf import (
    INF_BANDS,
    INF_INTERMEDIATE_MAX_KM,
    INF_SHORTER_MAX_KM,
    INF_SHORTER_MIN_KM,
    inf_band_of,
    inf_class_of,
    straddle_note,
)
from deployguard.data.sources import NewStartStatus, RangeSource, as_range_sources
from deployguard.errors import InvalidInputError

__all__ = [
    "ALL_CLASSES",
    "BASINGS",
    "ESTIMATES",
    "INF_BANDS",
    "INF_INTERMEDIATE_MAX_KM",
    "INF_SHORTER_MAX_KM",
    "INF_SHORTER_MIN_KM",
    "INTERCEPTOR_CLASSES",
    "MISSILE_CLASSES",
    "PLATFORM_CLASSES",
    "NewStartStatus",
    "RangeSource",
    "WeaponSystem",
    "inf_band_of",
    "inf_class_of",
    "normalize_name",
]

Estimate = Literal["low", "nominal", "high"]
ESTIMATES: tuple[str, ...] = ("low", "nominal", "high")
MISSILE_CLASSES = frozenset(
    {"GLBM", "GLCM", "SLCM", "SLBM", "ALCM", "ALBM", "ICBM", "SAM", "hypersonic_glide",
     "interceptor"}
)
#: Air and missile defence interceptors (SM-3, Patriot, GBI, S-400, S-500): missiles, but not
#: INF missiles. INF Treaty Art. VII para 3: a missile of a type "developed and tested solely to
#: intercept and counter objects not located on the surface of the earth" is not subject to the
#: Treaty's limits (https://nuke.fas.org/control/inf/text/inf.htm). ``SAM`` stays a strike
#: class: SM-6 has a land-attack mode.
INTERCEPTOR_CLASSES = frozenset({"interceptor"})
PLATFORM_CLASSES = frozenset(
    {"heavy_bomber", "medium_bomber", "fighter", "surface_warship", "submarine", "launcher"}
)
ALL_CLASSES = MISSILE_CLASSES | PLATFORM_CLASSES
BASINGS = frozenset({"land", "sea", "air"})
CONFIDENCES = frozenset({"H", "M", "L"})


def _as_optional_km(value: Any, field_name: str, system: str) -> float | None:
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError) as exc:
        raise InvalidInputError(
            f"{field_name} of system {system!r} must be a number of km or empty, got {value!r}"
        ) from exc
    if not math.isfinite(out) or out < 0:
        raise InvalidInputError(
            f"{field_name} of system {system!r} must be a finite number of km >= 0, got {value!r}"
        )
    return out


def _as_optional_bool(value: Any, field_name: str, system: str) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"", "none", "unknown", "null"}:
        return None
    if text in {"true", "yes", "1"}:
        return True
    if text in {"false", "no", "0"}:
        return False
    raise InvalidInputError(
        f"{field_name} of system {system!r} must be true, false or empty, got {value!r}"
    )


def _as_str_tuple(value: Any) -> tuple[str, ...]:
    # CSV files carry lists as "a|b|c"; JSON files as lists.
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split("|") if p.strip())
    return tuple(str(v).strip() for v in value if str(v).strip())


@dataclass(frozen=True)
class WeaponSystem:
    """One weapon system or platform, validated on construction.

    Parameters
    ----------
    name : str
        Canonical name, e.g. ``"Iskander-M"``.
    system_class : str
        One of :data:`ALL_CLASSES` (``"GLBM"``, ``"GLCM"``, ``"heavy_bomber"``, ...).
    basing : {"land", "sea", "air"}
    operator : str
        ISO 3166-1 alpha-3 of the operating state (``"RUS"``, ``"USA"``).
    range_low_km, range_nominal_km, range_high_km : float or None
        Published range spread in km; ``None`` = not found. Must satisfy low <= nominal <= high.
    min_range_km : float or None
        Minimum range where published; ``None`` = unknown (almost always).
    nuclear_capable : bool or None
    platform_weapons : tuple of str
        For platforms: names of carried weapons (resolved by :attr:`weapons`).
    aliases : tuple of str
    source : tuple of str
        Every URL the record relies on (ranges, nuclear role, notes); the references list.
    confidence : {"H", "M", "L"}
    range_basis, notes : str
    range_sources : tuple of RangeSource
        The published figures behind the estimates: each names the estimates it sets, the
        words taken and any conversion. Bundled records back every estimate this way.
    min_range_sources, other_figures : tuple of RangeSource
        The figures behind ``min_range_km``; figures recorded but not used (test distances,
        bounds, combat radii, conversion artefacts), each with ``why_not_used``.
    nominal_basis : str
        Which figure is the nominal and why.
    nuclear_basis : str
        What ``nuclear_capable`` rests on (for bombers: their New START standing).
    nuclear_sources : tuple of str
        URLs for ``nuclear_basis``.
    weak_source_note : str
        Where an estimate rests on a weak source only: which, and why it is kept.
    new_start : NewStartStatus or None
        For bombers: accountable or not under New START, with the data-exchange counts.

    Examples
    --------
    >>> s = WeaponSystem("Test GLCM", "GLCM", "land", "USA", 900, 1000, 1100)
    >>> s.inf_class, s.inf_class_for("high"), s.is_ground_launched
    ('shorter-range', 'intermediate', True)
    >>> WeaponSystem("Bad", "GLCM", "land", "USA", -5, 1, 2)
    Traceback (most recent call last):
    ...
    deployguard.errors.InvalidInputError: range_low_km of system 'Bad' must be ... got -5
    """

    name: str
    system_class: str
    basing: str
    operator: str
    range_low_km: float | None = None
    range_nominal_km: float | None = None
    range_high_km: float | None = None
    min_range_km: float | None = None
    nuclear_capable: bool | None = None
    platform_weapons: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    source: tuple[str, ...] = ()
    confidence: str = "L"
    range_basis: str = ""
    notes: str = ""
    range_sources: tuple[RangeSource, ...] = ()
    min_range_sources: tuple[RangeSource, ...] = ()
    other_figures: tuple[RangeSource, ...] = ()
    nominal_basis: str = ""
    nuclear_basis: str = ""
    nuclear_sources: tuple[str, ...] = ()
    weak_source_note: str = ""
    new_start: NewStartStatus | None = None
    #: The carried weapons as records, resolved by the catalogue (or the deployment resolver)
    #: from ``platform_weapons``; empty until then.
    carried: tuple[WeaponSystem, ...] = field(default=(), repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        set_ = functools.partial(object.__setattr__, self)
        if not isinstance(self.name, str) or not normalize_name(self.name):
            raise InvalidInputError(f"name must be a non-empty string, got {self.name!r}")
        as_choice(self.system_class, f"system_class of system {self.name!r}", sorted(ALL_CLASSES))
        as_choice(self.basing, f"basing of system {self.name!r}", sorted(BASINGS))
        set_("operator", as_alpha3(self.operator, f"operator of system {self.name!r}"))
        for fname in ("range_low_km", "range_nominal_km", "range_high_km", "min_range_km"):
            set_(fname, _as_optional_km(getattr(self, fname), fname, self.name))
        known = [
            (f, getattr(self, f))
            for f in ("range_low_km", "range_nominal_km", "range_high_km")
            if getattr(self, f) is not None
        ]
        for (fa, a), (fb, b) in zip(known, known[1:], strict=False):
            if a > b:
                raise InvalidInputError(
                    f"{fa} ({a:g}) of system {self.name!r} exceeds {fb} ({b:g}); "
                    "ranges must satisfy low <= nominal <= high"
                )
        if self.min_range_km is not None and known and self.min_range_km > known[-1][1]:
            raise InvalidInputError(
                f"min_range_km ({self.min_range_km:g}) of system {self.name!r} exceeds its "
                f"maximum range ({known[-1][1]:g})"
            )
        nuclear = _as_optional_bool(self.nuclear_capable, "nuclear_capable", self.name)
        set_("nuclear_capable", nuclear)
        set_("platform_weapons", _as_str_tuple(self.platform_weapons))
        set_("aliases", _as_str_tuple(self.aliases))
        set_("source", _as_str_tuple(self.source))
        as_choice(self.confidence, f"confidence of system {self.name!r}", ("H", "M", "L"))
        set_("nuclear_sources", _as_str_tuple(self.nuclear_sources))
        for fname in ("range_sources", "min_range_sources", "other_figures"):
            set_(fname, as_range_sources(getattr(self, fname), fname, self.name))
        if self.new_start is not None and not isinstance(self.new_start, NewStartStatus):
            set_("new_start", NewStartStatus.from_record(self.new_start, f"system {self.name!r}"))
        self._check_backing()
        if self.platform_weapons and self.system_class in MISSILE_CLASSES:
            raise InvalidInputError(
                f"platform_weapons of system {self.name!r} must be empty for a missile "
                f"(class {self.system_class}), got {self.platform_weapons!r}"
            )

    def _check_backing(self) -> None:
        # A record that lists its figures must back each estimate with a figure of that value,
        # so that no number stands without the words it came from.
        if not self.range_sources and not self.min_range_sources:
            return
        for e in ESTIMATES:
            km = self.range_for(e)
            backing = [s for s in self.range_sources if e in s.estimates]
            if km is None and backing:
                raise InvalidInputError(
                    f"range_sources of system {self.name!r} set the {e} estimate, which is empty"
                )
            if km is not None and not any(s.km == km for s in backing):
                raise InvalidInputError(
                    f"range_{e}_km ({km:g}) of system {self.name!r} is not the km of any of its "
                    f"range_sources marked {e!r}: name the source of every estimate"
                )
        if self.min_range_km is not None and not any(
            s.km == self.min_range_km for s in self.min_range_sources
        ):
            raise InvalidInputError(
                f"min_range_km ({self.min_range_km:g}) of system {self.name!r} has no "
                "min_range_sources entry with that km"
            )

    # -- ranges ---------------------------------------------------------------------------
    def range_for(self, estimate: str = "nominal") -> float | None:
        """Range in km for ``estimate`` in {"low", "nominal", "high"}.

        Returns ``None`` (not an error) when the sources give no figure, so that callers can
        report "unknown" rather than guess; an invalid ``estimate`` raises
        :class:`~deployguard.errors.InvalidInputError`.

        Examples
        --------
        >>> from deployguard.data.catalogue import Catalogue
        >>> Catalogue.load().get("Iskander-M").range_for("high")
        700.0
        >>> Catalogue.load().get("Kinzhal").range_for("nominal") is None
        True
        """
        if estimate not in ESTIMATES:
            raise InvalidInputError(
                f"estimate must be one of {list(ESTIMATES)}, got {estimate!r}"
            )
        return getattr(self, f"range_{estimate}_km")

    @property
    def range_km(self) -> dict[str, float | None]:
        """The three estimates as a mapping ``{"low": .., "nominal": .., "high": ..}``."""
        return {e: self.range_for(e) for e in ESTIMATES}

    @property
    def range_known(self) -> bool:
        """True when at least the nominal range is published."""
        return self.range_nominal_km is not None

    # -- classification -------------------------------------------------------------------
    @property
    def is_missile(self) -> bool:
        """True for a missile (a weapon-delivery vehicle), False for a platform."""
        return self.system_class in MISSILE_CLASSES

    @property
    def is_platform(self) -> bool:
        """True for bombers, warships, submarines and launchers (they carry weapons)."""
        return self.system_class in PLATFORM_CLASSES

    @property
    def is_ground_launched(self) -> bool:
        """True for a missile launched from land (the INF GLBM/GLCM category)."""
        return self.is_missile and self.basing == "land"

    @property
    def is_interceptor(self) -> bool:
        """True for an air or missile defence interceptor (not an INF missile).

        The INF Treaty (Art. VII para 3) leaves out missiles "developed and tested solely to
        intercept and counter objects not located on the surface of the earth", so the drafts'
        "intermediate- and shorter-range missiles" read with it do not include them.

        Examples
        --------
        >>> from deployguard.data.catalogue import Catalogue
        >>> cat = Catalogue.load()
        >>> cat.get("SM-3 Block IIA").is_interceptor, cat.get("SM-6 (Typhon)").is_interceptor
        (True, False)
        """
        return self.system_class in INTERCEPTOR_CLASSES

    @property
    def is_bomber(self) -> bool:
        """True for heavy and medium bombers."""
        return self.system_class in {"heavy_bomber", "medium_bomber"}

    def inf_class_for(self, estimate: str = "nominal") -> str | None:
        """INF Art. II class at ``estimate``: "shorter-range", "intermediate" or None.

        Only ground-launched missiles have an INF class; sea- and air-launched missiles,
        interceptors (:attr:`is_interceptor`) and platforms give ``None``, as does an unknown
        range.
        """
        rng = self.range_for(estimate)
        return inf_class_of(rng) if self.is_ground_launched and not self.is_interceptor else None

    @property
    def inf_class(self) -> str | None:
        """INF class at the nominal range (see :meth:`inf_class_for`)."""
        return self.inf_class_for("nominal")

    @property
    def inf_classes_by_estimate(self) -> dict[str, str | None]:
        """The INF band (:func:`inf_band_of`) of each estimate, for missiles; ``{}`` otherwise.

        Bands are given by number for every missile; legally the INF classes apply only to
        ground-launched ones (:attr:`is_ground_launched`). An unknown estimate gives ``None``.

        Examples
        --------
        >>> from deployguard.data.catalogue import Catalogue
        >>> Catalogue.load().get("Iskander-M").inf_classes_by_estimate
        {'low': 'below-inf', 'nominal': 'shorter-range', 'high': 'shorter-range'}
        """
        if not self.is_missile:
            return {}
        return {e: inf_band_of(self.range_for(e)) for e in ESTIMATES}

    @property
    def straddles_inf_boundary(self) -> bool:
        """True when the published estimates fall in more than one INF band.

        Then whether the missile is an INF-class missile depends on which figure one believes
        (Iskander-M: 400 km low, below the floor; 500 km nominal, shorter-range).
        """
        bands = {b for b in self.inf_classes_by_estimate.values() if b is not None}
        return len(bands) > 1

    @property
    def inf_straddle_note(self) -> str:
        """One sentence a report can quote when :attr:`straddles_inf_boundary`, else "".

        Examples
        --------
        >>> from deployguard.data.catalogue import Catalogue
        >>> note = Catalogue.load().get("Iskander-M").inf_straddle_note
        >>> note.startswith("At the low estimate (400 km) Iskander-M is below the INF 500 km")
        True
        """
        if not self.straddles_inf_boundary:
            return ""
        return straddle_note(self.name, self.range_km, self.basing, self.is_ground_launched)

    @property
    def references(self) -> tuple[str, ...]:
        """Every URL the record cites, once each, in order: for a report's references list.

        Examples
        --------
        >>> from deployguard.data.catalogue import Catalogue
        >>> refs = Catalogue.load().get("Kh-101").references
        >>> "https://gazeta.ru/army/news/10270436.shtml" in refs, len(refs) == len(set(refs))
        (True, True)
        """
        urls = [*self.source, *(s.source for s in self.range_sources),
                *(s.source for s in self.min_range_sources), *self.nuclear_sources,
                *(s.source for s in self.other_figures)]
        if self.new_start is not None and self.new_start.source:
            urls.append(self.new_start.source)
        return tuple(dict.fromkeys(urls))

    @property
    def weapons(self) -> tuple[WeaponSystem, ...]:
        """The carried weapons as records (:attr:`carried`).

        A system taken from a :class:`~deployguard.data.catalogue.Catalogue` (or given to a
        :class:`~deployguard.data.deployments.Deployment`) has them resolved from
        ``platform_weapons``; a bare record made by hand has none until it is added to one.
        """
        return self.carried

    @property
    def names(self) -> tuple[str, ...]:
        """The canonical name followed by the aliases."""
        return (self.name, *self.aliases)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> WeaponSystem:
        """Build from a JSON object or CSV row (see ``geodata/systems.json`` for fields).

        Ranges may be given as ``range_km: {"low":..,"nominal":..,"high":..}`` or as the
        flat columns ``range_low_km``, ``range_nominal_km``, ``range_high_km``.
        """
        rec = dict(record)
        name = rec.get("name")
        rng = rec.pop("range_km", None)
        if isinstance(rng, Mapping):
            unknown = set(rng) - set(ESTIMATES)
            if unknown:
                raise InvalidInputError(
                    f"range_km of system {name!r} has unknown keys {sorted(unknown)}; "
                    f"use {list(ESTIMATES)}"
                )
            for e in ESTIMATES:
                rec[f"range_{e}_km"] = rng.get(e)
        elif rng not in (None, ""):
            # a single number means low = nominal = high
            for e in ESTIMATES:
                rec[f"range_{e}_km"] = rng
        allowed = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        extra = set(rec) - allowed
        if extra:
            raise InvalidInputError(
                f"unknown field(s) {sorted(extra)} for system {name!r}; allowed: {sorted(allowed)}"
            )
        missing = {"name", "system_class", "basing", "operator"} - {
            k for k, v in rec.items() if v not in (None, "")
        }
        if missing:
            raise InvalidInputError(f"system {name!r} lacks required field(s) {sorted(missing)}")
        if "confidence" in rec and rec["confidence"] in (None, ""):
            del rec["confidence"]
        return cls(**rec)

