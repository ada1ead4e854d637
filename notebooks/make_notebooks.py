"""Generate the example notebooks (run: python notebooks/make_notebooks.py).

The notebooks are committed without outputs; this script is their reviewable source.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

HERE = Path(__file__).parent

ASSUMPTIONS = """\
**Assumptions.** Borders are Natural Earth 4.1.0 (1:50m) under the chosen *worldview*
(`de_facto` unless stated: who actually holds Crimea; `un` gives it to Ukraine). Distances are
geodesics on the WGS84 ellipsoid (GeographicLib via `pyproj.Geod`), measured to the nearest
point of a territory's boundary, 0 inside; polygon edges are straight in lon/lat (the GeoJSON
convention). "Reaches" means distance <= range. Ranges are published low / nominal / high
estimates from the bundled catalogue, with sources."""


def nb(cells):
    notebook = new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                       "language": "python"}
    return notebook


def iskander():
    return nb([
        new_markdown_cell("# Iskander-M in Kaliningrad: who is within range?\n\n"
                          "Russia confirmed Iskander-M in Kaliningrad on 5 Feb 2018. How far is "
                          "the city from Poland, Lithuania and Germany, and which states does the "
                          "missile reach under each range estimate?\n\n" + ASSUMPTIONS),
        new_code_cell("import matplotlib.pyplot as plt\nimport pandas as pd\n\n"
                      "import deployguard as dg\nfrom deployguard.viz.plotting import "
                      "plot_range_overlap\n\nworld = dg.World.load(\"50m\", worldview=\"de_facto\")\n"
                      "site = dg.Bases.load().get(\"Kaliningrad\")\nlon, lat = site.lonlat\n"
                      "iskander = dg.Catalogue.load().get(\"Iskander-M\")\n"
                      "site.lonlat, iskander.range_km"),
        new_markdown_cell("## Distance to each territory\n\nThe nearest point of each state's "
                          "land (its territorial sea is not included here), not its capital."),
        new_code_cell("targets = [\"POL\", \"LTU\", \"DEU\"]\n"
                      "pd.DataFrame({\"distance_km\": {c: float(dg.distance_km(lon, lat, "
                      "world.territory(c))) for c in targets}}).round(2)"),
        new_markdown_cell("## Which states are reached, per estimate\n\nWe test every European "
                          "state and the NATO members on 2018-02-05. The decision uses exact "
                          "distances (`within_range`), not a buffered ring."),
        new_code_cell("candidates = sorted(dg.nato.members(on=\"2018-02-05\") | {\"BLR\", \"UKR\", "
                      "\"SWE\", \"FIN\"})\nrows = {}\nfor est in (\"low\", \"nominal\", \"high\"):\n"
                      "    r = iskander.range_for(est)\n"
                      "    rows[f\"{est} ({r:,.0f} km)\"] = [c for c in candidates\n"
                      "        if bool(dg.within_range(lon, lat, world.territory(c), r))]\n"
                      "pd.Series(rows, name=\"states reached\").to_frame()"),
        new_markdown_cell("## Range-overlap map (nominal 500 km)\n\nLambert azimuthal "
                          "equal-area centred on the site; red = reached (hatched: the part "
                          "inside the ring), blue = not reached."),
        new_code_cell("ax = plot_range_overlap((lon, lat), iskander.range_for(\"nominal\"), "
                      "[\"POL\", \"LTU\", \"DEU\", \"LVA\", \"BLR\", \"SWE\", \"DNK\"], world, "
                      "label=\"Kaliningrad\")\nax.set_title(\"Iskander-M, 500 km nominal, from "
                      "Kaliningrad\")\nplt.show()"),
    ])


def arctic():
    return nb([
        new_markdown_cell("# Reach zones in the Arctic: 5,500 km around Russia, and the Bering "
                          "Strait\n\n5,500 km is the INF Treaty's upper bound for "
                          "intermediate-range missiles. Around Russia that zone covers the North "
                          "Pole and crosses 180 deg, which breaks naive lon/lat maths and maps; "
                          "this notebook shows both handled.\n\n" + ASSUMPTIONS),
        new_code_cell("import matplotlib.pyplot as plt\nimport shapely\n\nimport deployguard "
                      "as dg\nfrom deployguard.viz.plotting import plot_map, plot_zone\n\n"
                      "world = dg.World.load(\"50m\")\nrussia = world.territory(\"RUS\")\n"
                      "zone = dg.reach_zone(russia, 5500)\nzone.is_valid, zone.bounds, "
                      "zone.contains(shapely.Point(0, 90))"),
        new_markdown_cell("The zone is one valid EPSG:4326 polygon spanning -180..180, closed "
                          "along the pole. Which capitals lie inside? (Decisions use "
                          "`within_range`; the zone is for maps.)"),
        new_code_cell("bases = dg.Bases.load()\nfor name in (\"Washington DC\", \"Seattle\", "
                      "\"Anchorage\", \"Honolulu\", \"London\", \"Paris\"):\n"
                      "    b = bases.get(name)\n    d = float(dg.distance_km(*b.lonlat, russia))\n"
                      "    print(f\"{name:15s} {d:9,.1f} km  within 5,500: "
                      "{bool(dg.within_range(*b.lonlat, russia, 5500))}\")"),
        new_code_cell("ax = plot_zone(zone, label=\"within 5,500 km of Russia\", target={"
                      "\"Russia\": russia}, world=world, projection=\"north_polar\")\n"
                      "ax.set_title(\"5,500 km reach zone (polar stereographic)\")\nplt.show()"),
        new_markdown_cell("## Chukotka and Alaska across the Bering Strait\n\nCape Dezhnev "
                          "(Russia) and Alaska are about 80 km apart; the Diomede islands less "
                          "than 4 km. A site at 179.5 E, 66.5 N is on the Russian side of 180 "
                          "deg, and its range rings cross it."),
        new_code_cell("usa = world.territory(\"USA\")\nfor name in (\"Cape Dezhnev\", "
                      "\"Anadyr\"):\n    b = bases.get(name)\n    print(f\"{name:13s} to US "
                      "territory: {float(dg.distance_km(*b.lonlat, usa)):8.1f} km\")\n"
                      "print(f\"(179.5, 66.5) to US territory: "
                      "{float(dg.distance_km(179.5, 66.5, usa)):8.1f} km\")"),
        new_code_cell("rings = {f\"{r} km from 179.5E 66.5N\": dg.range_ring(179.5, 66.5, r) "
                      "for r in (500, 1000)}\nax = plot_map(territories={\"Russia\": russia, "
                      "\"USA\": usa}, zones=rings, sites={\"Chukotka\": (179.5, 66.5), "
                      "\"Cape Dezhnev\": bases.get(\"Cape Dezhnev\").lonlat}, "
                      "projection=\"north_polar\", world=world, extent=(160, -150, 55, 75))\n"
                      "ax.set_title(\"Bering Strait: rings cross 180 deg without a seam\")\n"
                      "plt.show()"),
    ])


def treaty():
    return nb([
        new_markdown_cell("# Checking the real cases against the December 2021 drafts\n\n"
                          "`dg.check` applies every article of the US and NATO drafts that "
                          "geography can decide to the built-in real cases (issue 4) and returns "
                          "a report: a table, GeoJSON evidence and a map.\n\n" + ASSUMPTIONS +
                          "\n\nThe drafts never entered into force; they are applied as if in "
                          "force on each deployment's date."),
        new_code_cell("import matplotlib.pyplot as plt\nimport pandas as pd\n\n"
                      "import deployguard as dg\nfrom deployguard.treaty.checker import check\n"
                      "from deployguard.viz.plotting import plot_report\n\n"
                      "pd.set_option(\"display.max_colwidth\", 80)\n"
                      "deployments = dg.builtin_scenario(\"real_cases\")\n"
                      "report = check(deployments, drafts=(\"us\", \"nato\"), "
                      "worldview=\"de_facto\", range_estimate=\"nominal\")\nprint(report)"),
        new_markdown_cell("## The table\n\nOne row per (deployment, clause); `distance_km` and "
                          "`margin_km` are the evidence behind reach decisions."),
        new_code_cell("table = report.to_frame()\ntable[[\"deployment\", \"clause\", "
                      "\"status\", \"distance_km\", \"margin_km\", \"states_reached\"]]"),
        new_code_cell("table.pivot_table(index=\"deployment\", columns=\"status\", "
                      "values=\"clause\", aggfunc=\"count\", fill_value=0)"),
        new_markdown_cell("## The map\n\nOne panel per theatre; markers are coloured by each "
                          "deployment's worst status, shading is the part of a party's territory "
                          "within range."),
        new_code_cell("fig = plot_report(report)\nplt.show()"),
    ])


def main() -> None:
    for name, build in (("01_iskander_kaliningrad", iskander), ("02_reach_zones_arctic", arctic),
                        ("03_treaty_check", treaty)):
        nbformat.write(build(), HERE / f"{name}.ipynb")
        print(f"wrote {name}.ipynb")


if __name__ == "__main__":
    main()
