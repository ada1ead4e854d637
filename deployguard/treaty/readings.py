"""How the checker reads the terms the two drafts leave open (one frozen record).

Examples
--------
>>> from deployguard.treaty.readings import Readings
>>> Readings().nato5_other_parties, Readings().brigade_threshold
('adversary', 5000)
>>> Readings(art7_reading="post-soviet")
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: art7_reading must be one of ['m49', ...], got 'post-soviet'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from deployguard._validate import as_choice
from deployguard.errors import InvalidInputError
from deployguard.geography.groups import ART7_READINGS, EUROPE_READINGS

__all__ = ["Readings"]

_NATO5_CHOICES = ("adversary", "all")
_MISSILE_CLASS_CHOICES = ("inf", "all_ground_launched")
_HEAVY_BOMBER_CHOICES = ("new_start", "include_medium")
_BSF_CHOICES = ("present", "excluded")
_ALLY_CHOICES = ("csto", "belarus")


@dataclass(frozen=True)
class Readings:
    """How the checker reads the terms the drafts leave open (facts.md §1.4).

    Every finding lists these in its assumptions, so a reader sees which reading produced it.

    Parameters
    ----------
    nato5_other_parties : {"adversary", "all"}, default "adversary"
        "The other Parties" of NATO-draft Art. 5. ``adversary``: for a Russian deployment the
        NATO members on the date, for a NATO member's deployment Russia (the draft's evident
        purpose). ``all``: literally every other Party, so a US missile that can reach Canada
        also counts.
    missile_classes : {"inf", "all_ground_launched"}, default "inf"
        Which missiles are "intermediate-range and shorter-range" (US Art. 6) and
        "intermediate- and short-range" (NATO Art. 5). ``inf``: the INF Treaty classes,
        ground-launched with a range in [500, 5,500] km (INF Art. II; the natural reference,
        facts.md §4.1). ``all_ground_launched``: any ground-launched missile up to 5,500 km.
    europe : {"m49_europe", "conventional"}, default "m49_europe"
        Which hosts are "States in Europe" (NATO Art. 4); see
        :func:`deployguard.geography.groups.states_in_europe`. M49 is the published standard;
        ``conventional`` adds Turkey, Cyprus, the South Caucasus and Kosovo.
    art7_reading : {"m49", "post_soviet"}, default "m49"
        The regions of NATO Art. 7 para 1 (:func:`deployguard.geography.groups.art7_regions`). M49
        is the published standard and the literal text does not exclude NATO members;
        ``post_soviet`` follows the analysts who read the article as aimed at the non-NATO
        post-Soviet states (facts.md §2.4).
    nato72_zone_km : float or None, default None
        Width of the NATO Art. 7 para 2 border zone. The draft leaves it "of agreed width";
        with None a large activity near the border is ``depends`` and the distance to the
        border is reported; a number decides it.
    brigade_threshold : int, default 5000
        Personnel above which an activity is "above the brigade level" (NATO Art. 7 para 2).
        A NATO or Russian brigade has roughly 3,000-5,000 personnel (our analysis); taking the
        top of that span flags only what is clearly larger than a brigade.
    heavy_bombers : {"new_start", "include_medium"}, default "new_start"
        Which aircraft are "heavy bombers" (US Art. 5 para 2). ``new_start``: the heavy-bomber
        class only (B-52, B-1, B-2, Tu-95, Tu-160; facts.md §4.2), so the Tu-22M3 is not one.
        ``include_medium`` also counts medium bombers.
    territorial_sea : bool, default True
        Whether "national territory" (US Art. 5 para 1, 6, 7; the targets of US Art. 5 para 2;
        "territory" in NATO Art. 4, 5, 7) includes the 12-nmi territorial sea, as UNCLOS Art. 2
        says sovereignty extends to it. US Art. 5 para 2's "national airspace and national
        territorial waters" always include the sea: the text names it.
    black_sea_fleet : {"present", "excluded"}, default "present"
        Whether Russia's Black Sea Fleet counts in the 27 May 1997 baseline (the basing accords
        were signed the next day; :mod:`deployguard.data.baseline1997`).
    russia_allies : {"csto", "belarus"}, default "csto"
        "The states in a military alliance with" Russia (NATO Art. 7 para 2): the CSTO members
        on the date, or only Belarus (Union State).

    Examples
    --------
    >>> r = Readings(nato72_zone_km=100)
    >>> r.as_dict()["nato72_zone_km"]
    100.0
    """

    nato5_other_parties: Literal["adversary", "all"] = "adversary"
    missile_classes: Literal["inf", "all_ground_launched"] = "inf"
    europe: Literal["m49_europe", "conventional"] = "m49_europe"
    art7_reading: Literal["m49", "post_soviet"] = "m49"
    nato72_zone_km: float | None = None
    brigade_threshold: int = 5000
    heavy_bombers: Literal["new_start", "include_medium"] = "new_start"
    territorial_sea: bool = True
    black_sea_fleet: Literal["present", "excluded"] = "present"
    russia_allies: Literal["csto", "belarus"] = "csto"

    def __post_init__(self) -> None:
        as_choice(self.nato5_other_parties, "nato5_other_parties", _NATO5_CHOICES)
        as_choice(self.missile_classes, "missile_classes", _MISSILE_CLASS_CHOICES)
        as_choice(self.europe, "europe", EUROPE_READINGS)
        as_choice(self.art7_reading, "art7_reading", ART7_READINGS)
        as_choice(self.heavy_bombers, "heavy_bombers", _HEAVY_BOMBER_CHOICES)
        as_choice(self.black_sea_fleet, "black_sea_fleet", _BSF_CHOICES)
        as_choice(self.russia_allies, "russia_allies", _ALLY_CHOICES)
        if not isinstance(self.territorial_sea, bool):
            raise InvalidInputError(
                f"territorial_sea must be True or False, got {self.territorial_sea!r}"
            )
        zone = self.nato72_zone_km
        if zone is not None:
            if isinstance(zone, bool) or not isinstance(zone, int | float) or not zone >= 0:
                raise InvalidInputError(
                    f"nato72_zone_km must be None or a number of km >= 0, got {zone!r}"
                )
            object.__setattr__(self, "nato72_zone_km", float(zone))
        b = self.brigade_threshold
        if isinstance(b, bool) or not isinstance(b, int) or b < 0:
            raise InvalidInputError(f"brigade_threshold must be an integer >= 0, got {b!r}")

    def as_dict(self) -> dict[str, Any]:
        """The readings as a plain dict (for findings, tables and reports)."""
        return dataclasses.asdict(self)
