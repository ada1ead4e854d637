"""How the checker reads the terms the two drafts leave open (one frozen record).

Examples
--------
>>> from deployguard.treaty.readings import Readings
>>> Readings().nato5_other_parties, Readings().brigade_threshold
('adversary', 5000)
>>> Readings(art7_reading="post-soviet")
Traceback (most recent call last):
...
deployguard.errors.InvalidInputError: art7_reading must be one of [...], got 'post-soviet'
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Literal

from deployguard._validate import as_choice
from deployguard.errors import InvalidInputError
from deployguard.geography.groups import ART7_READINGS, EUROPE_READINGS

__all__ = ["AEGIS_ASHORE", "READING_CHOICES", "Readings"]

#: The catalogue's name of the launcher that ``Readings.aegis_ashore`` is about.
AEGIS_ASHORE = "Aegis Ashore"

_NATO5_CHOICES = ("adversary", "all")
_MISSILE_CLASS_CHOICES = ("inf", "all_ground_launched")
_HEAVY_BOMBER_CHOICES = ("new_start", "include_medium")
_BSF_CHOICES = ("present", "excluded")
_ALLY_CHOICES = ("csto", "belarus")
_LAUNCH_CHOICES = ("location", "catalogue")
_AT_SEA_CHOICES = ("not_deploying", "deploying")
_UNSPLIT_CHOICES = ("total", "upper_bound")
_AEGIS_CHOICES = ("interceptors_only", "mk41_can_fire_tomahawk")

#: The readings that take one of a few named values, with their choices (default first);
#: ``check(..., sensitivity=("readings",))`` varies each of them.
READING_CHOICES: dict[str, tuple[Any, ...]] = {
    "nato5_other_parties": _NATO5_CHOICES,
    "missile_classes": _MISSILE_CLASS_CHOICES,
    "europe": tuple(EUROPE_READINGS),
    "art7_reading": tuple(ART7_READINGS),
    "heavy_bombers": _HEAVY_BOMBER_CHOICES,
    "territorial_sea": (True, False),
    "black_sea_fleet": _BSF_CHOICES,
    "russia_allies": _ALLY_CHOICES,
    "launch_mode": _LAUNCH_CHOICES,
    "nuclear_at_sea": _AT_SEA_CHOICES,
    "nato4_unsplit_baseline": _UNSPLIT_CHOICES,
    "aegis_ashore": _AEGIS_CHOICES,
}


@dataclass(frozen=True)
class Readings:
    """How the checker reads the terms the drafts leave open.

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
        ground-launched with a range in [500, 5,500] km (INF Treaty Art. II, the natural
        reference). ``all_ground_launched``: any ground-launched missile up to 5,500 km.
    europe : {"m49_europe", "conventional"}, default "m49_europe"
        Which hosts are "States in Europe" (NATO Art. 4); see
        :func:`deployguard.geography.groups.states_in_europe`. M49 is the published standard
        (with Kosovo, a European territory M49 omits only because it is not a UN member);
        ``conventional`` adds Turkey, Cyprus and the South Caucasus.
    art7_reading : {"nato_1997_line", "m49", "post_soviet"}, default "nato_1997_line"
        The "States in the Eastern Europe" of NATO Art. 7 para 1
        (:func:`deployguard.geography.groups.art7_regions`). ``nato_1997_line``: the states east
        of NATO's line of 27 May 1997, the former Warsaw Pact and the former USSR in Europe,
        Baltic states included. ``m49``: UN M49 Eastern Europe (151). ``post_soviet``: Ukraine,
        Belarus, Moldova and Russia (OSW, 20 Dec 2021). The default is ``nato_1997_line``
        because it is the reading the drafter gave (Russia's MFA, 21 Jan 2022: its proposals
        mean returning "to the 1997 configuration on the territory of countries that were not
        members of NATO at the time", naming Bulgaria and Romania), it matches the draft's own
        line (Art. 4's 27 May 1997) and Russian analysts who read Art. 7 as "mainly aimed at
        Poland and the Baltic states" (RUSSTRAT, 20 Dec 2021), and it treats like places alike:
        under ``m49`` US troops at Zagan (Poland), Mihail Kogalniceanu (Romania) or Taszar
        (Hungary) violate the article while the same troops at Tapa (Estonia) or Pabrade
        (Lithuania) comply, because M49, a statistical grouping, puts the Baltic states in
        Northern Europe; ``post_soviet`` clears Poland and Romania but still not Estonia.
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
        class only (B-52, B-1, B-2, Tu-95, Tu-160; New START
        practice), so the Tu-22M3 is not one.
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
    launch_mode : {"location", "catalogue"}, default "location"
        How a missile is launched (US Art. 5 para 2, Art. 6; NATO Art. 5). ``location``: from
        where it stands, so a missile on land is ground-launched and one at sea is launched from
        a ship or submarine, whatever the catalogue says. A sea-launched type in a land launcher
        (the Mk 41 launchers of the Aegis Ashore sites, which Russia says could fire Tomahawk)
        is then a ground-launched missile: the INF Treaty defines a GLCM by how it is launched,
        not by its design. A sea-launched type given bare within 5 km of the sea (Kalibr 3M14
        at Baltiysk) may as well be aboard a ship in port, so US Art. 6 and NATO Art. 5 are
        ``depends`` there, naming the ships that carry it. ``catalogue``: keep the basing the
        catalogue records.
    nuclear_at_sea : {"not_deploying", "deploying"}, default "not_deploying"
        Whether a nuclear-armed platform at sea or in the airspace over the high seas is
        "deploying nuclear weapons outside their national territories" (US Art. 7 para 1).
        ``not_deploying``: the paragraph is about weapons stationed abroad (its second half
        returns weapons "already deployed outside their national territories" to them); the
        high seas are no State's territory, and ships and bombers there are the subject of
        Art. 5 para 2. Reading it literally would also ban Russia's own missile submarines on
        patrol, which the draft does not say. ``deploying``: the literal reading, anywhere
        outside national territory counts.
    nato4_unsplit_baseline : {"total", "upper_bound"}, default "total"
        How a deployment of one category (ground, air, naval) compares with a 1997 baseline
        that gives only an all-services total (the DMDC counts). ``total``: with the total, as
        Art. 4 speaks of "forces" without categories. ``upper_bound``: the total only bounds
        the category from above, so a deployment at or below it is ``depends``.
    aegis_ashore : {"interceptors_only", "mk41_can_fire_tomahawk"}, default "interceptors_only"
        What the Aegis Ashore sites (Deveselu, Romania; Redzikowo, Poland: the catalogue's
        "Aegis Ashore" launcher) hold for US Art. 6 and NATO Art. 5. ``interceptors_only``: the
        SM-3 interceptors the United States says they hold; interceptors are not INF missiles
        (INF Treaty Art. VII para 3: missiles "developed and tested solely to intercept and
        counter objects not located on the surface of the earth";
        https://nuke.fas.org/control/inf/text/inf.htm), so both clauses are not applicable.
        ``mk41_can_fire_tomahawk``: Russia's stated objection, that the sites' Mk 41 vertical
        launchers can fire Tomahawk cruise missiles (Russian MFA, Oct 2018,
        https://www.rt.com/newsline/440839-us-romania-poland-inf/), so whether an
        intermediate-range missile stands there is ``depends``. The default is what the sites
        are declared and built to hold; the other reading names the dispute.

    Examples
    --------
    >>> r = Readings(nato72_zone_km=100)
    >>> r.as_dict()["nato72_zone_km"]
    100.0
    """

    nato5_other_parties: Literal["adversary", "all"] = "adversary"
    missile_classes: Literal["inf", "all_ground_launched"] = "inf"
    europe: Literal["m49_europe", "conventional"] = "m49_europe"
    art7_reading: Literal["nato_1997_line", "m49", "post_soviet"] = "nato_1997_line"
    nato72_zone_km: float | None = None
    brigade_threshold: int = 5000
    heavy_bombers: Literal["new_start", "include_medium"] = "new_start"
    territorial_sea: bool = True
    black_sea_fleet: Literal["present", "excluded"] = "present"
    russia_allies: Literal["csto", "belarus"] = "csto"
    launch_mode: Literal["location", "catalogue"] = "location"
    nuclear_at_sea: Literal["not_deploying", "deploying"] = "not_deploying"
    nato4_unsplit_baseline: Literal["total", "upper_bound"] = "total"
    aegis_ashore: Literal["interceptors_only", "mk41_can_fire_tomahawk"] = "interceptors_only"

    def __post_init__(self) -> None:
        as_choice(self.nato5_other_parties, "nato5_other_parties", _NATO5_CHOICES)
        as_choice(self.missile_classes, "missile_classes", _MISSILE_CLASS_CHOICES)
        as_choice(self.europe, "europe", EUROPE_READINGS)
        as_choice(self.art7_reading, "art7_reading", ART7_READINGS)
        as_choice(self.heavy_bombers, "heavy_bombers", _HEAVY_BOMBER_CHOICES)
        as_choice(self.black_sea_fleet, "black_sea_fleet", _BSF_CHOICES)
        as_choice(self.russia_allies, "russia_allies", _ALLY_CHOICES)
        as_choice(self.launch_mode, "launch_mode", _LAUNCH_CHOICES)
        as_choice(self.nuclear_at_sea, "nuclear_at_sea", _AT_SEA_CHOICES)
        as_choice(self.nato4_unsplit_baseline, "nato4_unsplit_baseline", _UNSPLIT_CHOICES)
        as_choice(self.aegis_ashore, "aegis_ashore", _AEGIS_CHOICES)
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
