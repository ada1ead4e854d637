"""INF Treaty range classes (Art. II) and the sentence that explains a straddling estimate.

INF Art. II: a *shorter-range* missile has a range capability of at least 500 km and at most
1,000 km; an *intermediate-range* missile more than 1,000 km and at most 5,500 km (so 500 km is
inside the ban, 499 km outside, and 1,000 km is shorter-range). The classes bind ground-launched
ballistic and cruise missiles only. Treaty text: https://nuke.fas.org/control/inf/text/inf.htm

Examples
--------
>>> inf_class_of(500), inf_band_of(499)
('shorter-range', 'below-inf')
>>> print(straddle_note("X-1", {"low": 450, "nominal": 600, "high": None}, "land", True))
At the low estimate (450 km) X-1 is below the INF 500 km floor; at the nominal estimate \
(600 km) it is a shorter-range missile (INF 500-1,000 km).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = [
    "INF_BANDS",
    "INF_INTERMEDIATE_MAX_KM",
    "INF_SHORTER_MAX_KM",
    "INF_SHORTER_MIN_KM",
    "inf_band_of",
    "inf_class_of",
    "straddle_note",
]

INF_SHORTER_MIN_KM = 500.0
INF_SHORTER_MAX_KM = 1000.0
INF_INTERMEDIATE_MAX_KM = 5500.0

#: The four bands a range falls in against INF Art. II: below the 500 km floor, shorter-range
#: [500, 1000], intermediate (1000, 5500], above the 5,500 km ceiling.
INF_BANDS: tuple[str, ...] = ("below-inf", "shorter-range", "intermediate", "above-inf")
_BAND_WORDS = {
    "below-inf": "below the INF 500 km floor",
    "shorter-range": "a shorter-range missile (INF 500-1,000 km)",
    "intermediate": "an intermediate-range missile (INF 1,000-5,500 km)",
    "above-inf": "above the INF 5,500 km ceiling",
}


def inf_class_of(range_km: float | None) -> str | None:
    """Classify a ground-launched missile range per INF Treaty Art. II.

    Returns ``"shorter-range"`` for [500, 1000] km, ``"intermediate"`` for (1000, 5500] km,
    else ``None`` (also for an unknown range).

    Examples
    --------
    >>> [inf_class_of(r) for r in (499, 500, 1000, 1001, 5500, 5501)]
    [None, 'shorter-range', 'shorter-range', 'intermediate', 'intermediate', None]
    """
    if range_km is None:
        return None
    if INF_SHORTER_MIN_KM <= range_km <= INF_SHORTER_MAX_KM:
        return "shorter-range"
    if INF_SHORTER_MAX_KM < range_km <= INF_INTERMEDIATE_MAX_KM:
        return "intermediate"
    return None


def inf_band_of(range_km: float | None) -> str | None:
    """The INF band of a range by number alone: one of :data:`INF_BANDS`, or None if unknown.

    Unlike :func:`inf_class_of` it tells "below" from "above" the treaty's classes, which is
    what a straddle is about.

    Examples
    --------
    >>> [inf_band_of(r) for r in (400, 500, 1000, 5500, 5512, None)]
    ['below-inf', 'shorter-range', 'shorter-range', 'intermediate', 'above-inf', None]
    """
    if range_km is None:
        return None
    if range_km < INF_SHORTER_MIN_KM:
        return "below-inf"
    return inf_class_of(range_km) or "above-inf"


def _join_words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def straddle_note(
    name: str, ranges: Mapping[str, float | None], basing: str, ground_launched: bool
) -> str:
    """One sentence saying which estimates of ``name`` fall in which INF band.

    ``ranges`` maps estimate names to km (``None`` = unknown, left out). Returns "" when the
    known estimates all fall in one band. For a missile that is not ground-launched the
    sentence adds that the classes apply by analogy only.

    Examples
    --------
    >>> straddle_note("X-2", {"low": 1200, "nominal": 1500}, "sea", False)
    ''
    """
    groups: dict[str, list[str]] = {}  # band -> the estimates in it, in the given order
    for estimate, km in ranges.items():
        band = inf_band_of(km)
        if band is not None:
            groups.setdefault(band, []).append(estimate)
    if len(groups) < 2:
        return ""
    phrases = []
    for band, names in groups.items():
        if len(names) == 1:
            which = f"{names[0]} estimate ({ranges[names[0]]:,.0f} km)"
        else:
            which = _join_words([f"{e} ({ranges[e]:,.0f} km)" for e in names]) + " estimates"
        phrases.append((which, _BAND_WORDS[band]))
    (which, band_words), *rest = phrases
    text = f"At the {which} {name} is {band_words}"
    text += "".join(f"; at the {w} it is {b}" for w, b in rest) + "."
    if not ground_launched:
        text += (f" The INF classes bind ground-launched missiles only; {name} is "
                 f"{basing}-based, so they apply by analogy.")
    return text
