"""What a reader must know to cite a map: scale bars and the footer text.

:func:`add_scale_bar` measures the scale where the bar is drawn (a projection's scale
varies across the map) by projecting back and taking the WGS84 geodesic.  The footer of a
report map (:func:`report_footer`) states the dates, the worldview and borders, the range
estimate, the readings in force and the assumptions that flip a verdict, the projection of
each panel and the data credits.

Examples
--------
>>> nice_length(1234.0)
1000.0
>>> nice_length(0.3)
0.2
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pyproj
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle

from deployguard.errors import InvalidInputError
from deployguard.viz.mapview import MapView

if TYPE_CHECKING:
    from deployguard.data.deployments import Deployment
    from deployguard.treaty.findings import Finding

__all__ = ["add_scale_bar", "nice_length", "report_footer", "wrap_lines"]

_GEOD = pyproj.Geod(ellps="WGS84")
_FLIP_NAMES = {"range_estimate": "the range estimate", "worldview": "the worldview"}


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 times a power of ten not above ``km``."""
    if km <= 0:
        raise InvalidInputError(f"km must be > 0 for a scale bar length, got {km!r}")
    base = 10.0 ** math.floor(math.log10(km))
    return max(m * base for m in (1.0, 2.0, 5.0) if m * base <= km * (1 + 1e-12))


def km_per_unit(view: MapView, x: float, y: float) -> float:
    """Kilometres per plane unit eastward at (x, y), measured on the ellipsoid."""
    d = (view.xlim[1] - view.xlim[0]) * 0.01
    lon, lat = view.inverse_xy([x - d / 2, x + d / 2], [y, y])
    dist = _GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2]
    return float(dist) / 1000.0 / d


def add_scale_bar(ax: Axes, view: MapView, *, fraction: float = 0.22,
                  fontsize: float = 7.0) -> float:
    """Draw a scale bar at the lower left of ``ax``, true at its own position; returns its km.

    The bar is measured eastward at its left end: the length of that many km of the
    ellipsoid there, in the plane.
    """
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    w, h = x1 - x0, y1 - y0
    bx, by = x0 + 0.04 * w, y0 + 0.045 * h
    scale = km_per_unit(view, bx + 0.5 * fraction * w, by)
    km = nice_length(fraction * w * scale)
    length = km / scale
    bar_h = 0.012 * h
    ax.add_patch(Rectangle((bx - 0.02 * w, by - 0.02 * h), length + 0.04 * w,
                           bar_h + 0.065 * h, facecolor="white", alpha=0.75, edgecolor="none",
                           zorder=8, gid="scalebar-box"))
    for k in range(2):  # two halves, black and white, as on printed maps
        ax.add_patch(Rectangle((bx + k * length / 2, by), length / 2, bar_h,
                               facecolor=("#222222", "white")[k], edgecolor="#222222",
                               linewidth=0.6, zorder=9, gid="scalebar"))
    label = f"{km:,.0f} km" if km >= 1 else f"{km:g} km"
    ax.text(bx + length / 2, by + bar_h + 0.012 * h, label, fontsize=fontsize, ha="center",
            va="bottom", zorder=9, gid="scalebar-label")
    return km


#: Text is measured at these dpi and the widest taken: Agg's hinting snaps glyphs to whole
#: pixels, so a line of 6.8 pt text is up to 10 % wider at 60 dpi than at 150 dpi.
_MEASURE_DPI = (60.0, 72.0, 80.0, 100.0, 110.0, 150.0, 300.0)


@functools.lru_cache(maxsize=len(_MEASURE_DPI))
def _renderer(dpi: float) -> Any:
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, dpi)


def text_width_pt(text: str, fontsize: float) -> float:
    """The width of ``text`` in points in matplotlib's default font at ``fontsize``: the widest
    it renders at the usual dpi (60 to 300).
    """
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=fontsize)
    return max(float(_renderer(dpi).get_text_width_height_descent(text, prop, ismath=False)[0])
               * 72.0 / dpi for dpi in _MEASURE_DPI)


def wrap_lines(lines: Sequence[str], width_in: float, fontsize: float, *, indent: str = "    "
               ) -> list[str]:
    """Wrap ``lines`` to a width in inches, measuring the text as matplotlib renders it.

    Continuation lines start with ``indent``; a word longer than the width stands alone.
    """
    limit = width_in * 72.0
    out: list[str] = []
    for line in lines:
        current = ""
        for word in line.split():
            candidate = f"{current} {word}" if current.strip() else f"{current}{word}"
            if current.strip() and text_width_pt(candidate, fontsize) > limit:
                out.append(current)
                current = indent + word
            else:
                current = candidate
        out.append(current)
    return out


def _date_span(deployments: Sequence[Deployment]) -> str:
    days = sorted({d.date for d in deployments})
    if not days:
        return "no deployments"
    span = days[0].isoformat() if len(days) == 1 else f"{days[0]} to {days[-1]}"
    n = len(deployments)
    return f"{n} deployment{'s' if n != 1 else ''} dated {span}, each checked on its own date"


def _readings_line(settings: Mapping[str, Any]) -> str:
    from deployguard.treaty.readings import Readings

    given = settings.get("readings")
    if given is None:
        return "Readings of the open terms: the defaults."
    values = dataclasses.asdict(given) if dataclasses.is_dataclass(given) and not isinstance(
        given, type) else dict(given)
    default = dataclasses.asdict(Readings())
    changed = [f"{k}={values[k]!r} (default {default[k]!r})" for k in sorted(values)
               if k in default and values[k] != default[k]]
    if not changed:
        return "Readings of the open terms: the defaults (deployguard.Readings())."
    return "Readings changed from the defaults, which changes verdicts: " + "; ".join(changed) + "."


def _flips_line(settings: Mapping[str, Any], deployments: Sequence[Deployment],
                findings: Sequence[Finding], numbers: Sequence[int] | None = None) -> str:
    if not settings.get("sensitivity"):
        return ("Sensitivity not run: verdicts were not re-checked under the other range "
                "estimates and worldviews (deployguard check --sensitivity).")
    index = {id(d): n for d, n in zip(deployments, numbers or range(1, len(deployments) + 1),
                                      strict=True)}
    flips: dict[str, dict[int, list[str]]] = {}
    for f in findings:
        n = index.get(id(f.deployment), 0)
        for what in f.flipped_by:
            flips.setdefault(what, {}).setdefault(n, []).append(f.clause_id)
    if not flips:
        return "Sensitivity: no verdict changes under the other range estimates or worldviews."
    parts = []
    for what, by_dep in sorted(flips.items()):
        where = "; ".join(f"{n}: {', '.join(c)}" for n, c in sorted(by_dep.items()))
        parts.append(f"with {_FLIP_NAMES.get(what, what.replace('_', ' '))} - deployment {where}")
    return "Verdicts that change " + " / ".join(parts) + "."


def _borders(findings: Sequence[Finding]) -> str:
    for f in findings:
        text = f.assumptions.get("borders_data")
        if text:
            return str(text)
    return "Natural Earth"


def report_footer(settings: Mapping[str, Any], deployments: Sequence[Deployment],
                  findings: Sequence[Finding], views: Mapping[str, MapView], *, worldview: str,
                  resolution: str, extra: Sequence[str] = (),
                  numbers: Sequence[int] | None = None) -> list[str]:
    """The footer lines of a report map (unwrapped).

    Parameters
    ----------
    settings : mapping
        ``Report.settings`` (range estimate, readings, sensitivity).
    deployments, findings : sequence
        What the map shows (numbers follow the order of ``deployments``).
    views : mapping panel letter -> MapView
    worldview, resolution : str
        Of the borders drawn.
    extra : sequence of str
        More lines (e.g. what the key's symbols mean).
    numbers : sequence of int, optional
        The key numbers of ``deployments`` (default 1, 2, ...), e.g. a deployment's number in
        its report on a map of that one deployment.
    """
    from deployguard import __version__

    s = settings
    estimate = s.get("range_estimate") or "nominal"
    proj = "; ".join(f"{k}: {v.description}" for k, v in views.items())
    return [
        f"{_date_span(deployments)}, with the December 2021 drafts applied as if in force. "
        f"Worldview: {worldview} (who holds disputed areas). Range estimate: {estimate} - "
        "rings are drawn at the km each verdict used; overlaps are the other party's "
        "territory (with its 12-nmi sea unless the readings exclude it) within that range.",
        _readings_line(s) + " " + _flips_line(s, deployments, findings, numbers),
        *extra,
        f"Projection - {proj}. Scale bars are true at their own position. Distances are "
        f"WGS84 geodesics. Borders: {_borders(findings)} ({resolution}). "
        f"Made with deployguard {__version__}.",
    ]
