# %% [markdown]
# # Checking the real cases against the December 2021 drafts
#
# `dg.check` applies every article of the US and NATO drafts that geography can decide to the built-in real cases (`geodata/scenarios/real_cases.json`) and returns a report: a table, GeoJSON evidence and a map.
#
# **Assumptions.** Borders are Natural Earth 4.1.0 (1:50m) under the chosen *worldview*
# (`de_facto` unless stated: who actually holds Crimea; `un` gives it to Ukraine). Distances are
# geodesics on the WGS84 ellipsoid (GeographicLib via `pyproj.Geod`), measured to the nearest
# point of a territory's boundary, 0 inside; polygon edges are straight in lon/lat (the GeoJSON
# convention). "Reaches" means distance <= range. Ranges are published low / nominal / high
# estimates from the bundled catalogue, with sources.
#
# The drafts never entered into force; they are applied as if in force on each deployment's date.

# %%
import matplotlib.pyplot as plt
import pandas as pd

import deployguard as dg
from deployguard.treaty.checker import check
from deployguard.viz.plotting import plot_report

pd.set_option("display.max_colwidth", 80)
deployments = dg.builtin_scenario("real_cases")
report = check(deployments, drafts=("us", "nato"), worldview="de_facto", range_estimate="nominal")
print(report)

# %% [markdown]
# ## The table
#
# One row per (deployment, clause); `distance_km` and `margin_km` are the evidence behind reach decisions.

# %%
table = report.to_frame()
table[["deployment", "clause", "status", "distance_km", "margin_km", "states_reached"]]

# %%
table.pivot_table(index="deployment", columns="status", values="clause", aggfunc="count", fill_value=0)

# %% [markdown]
# ## The map
#
# One panel per theatre. Numbered badges are the deployments, coloured by their worst status; each missile or platform has its geodesic range ring, and the other party's territory within that range is shaded in the ring's colour (one polygon per deployment). The key lists every deployment under its worst status; the footer gives the dates, worldview, range estimate, readings, projections and data credits.

# %%
fig = plot_report(report)
plt.show()
