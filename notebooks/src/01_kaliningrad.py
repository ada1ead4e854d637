# %% [markdown]
# # Iskander-M in Kaliningrad: who is within range?
#
# Russia confirmed Iskander-M in Kaliningrad on 5 Feb 2018. How far is the city from Poland, Lithuania and Germany, and which states does the missile reach under each range estimate?
#
# **Assumptions.** Borders are Natural Earth 4.1.0 (1:50m) under the chosen *worldview*
# (`de_facto` unless stated: who actually holds Crimea; `un` gives it to Ukraine). Distances are
# geodesics on the WGS84 ellipsoid (GeographicLib via `pyproj.Geod`), measured to the nearest
# point of a territory's boundary, 0 inside; polygon edges are straight in lon/lat (the GeoJSON
# convention). "Reaches" means distance <= range. Ranges are published low / nominal / high
# estimates from the bundled catalogue, with sources.

# %%
import matplotlib.pyplot as plt
import pandas as pd

import deployguard as dg
from deployguard.viz.plotting import plot_range_overlap

world = dg.World.load("50m", worldview="de_facto")
site = dg.Bases.load().get("Kaliningrad")
lon, lat = site.lonlat
iskander = dg.Catalogue.load().get("Iskander-M")
site.lonlat, iskander.range_km

# %% [markdown]
# ## Distance to each territory
#
# The nearest point of each state's land (its territorial sea is not included here), not its capital.

# %%
targets = ["POL", "LTU", "DEU"]
pd.DataFrame({"distance_km": {c: float(dg.distance_km(lon, lat, world.territory(c))) for c in targets}}).round(2)

# %% [markdown]
# ## Which states are reached, per estimate
#
# We test every European state and the NATO members on 2018-02-05. The decision uses exact distances (`within_range`), not a buffered ring.

# %%
candidates = sorted(dg.nato.members(on="2018-02-05") | {"BLR", "UKR", "SWE", "FIN"})
rows = {}
for est in ("low", "nominal", "high"):
    r = iskander.range_for(est)
    rows[f"{est} ({r:,.0f} km)"] = [c for c in candidates
        if bool(dg.within_range(lon, lat, world.territory(c), r))]
pd.Series(rows, name="states reached").to_frame()

# %% [markdown]
# ## Range-overlap map (low, nominal and high estimates)
#
# Azimuthal equidistant centred on the site, so every ring is a true circle. The band runs from the low to the high estimate, the solid ring is the nominal range (the inner circle is the minimum range). Reached states are coloured by the shortest range that reaches them; the rest of the states asked about form one grey group; reached capitals and large cities are labelled (GeoNames, CC BY 4.0).

# %%
ax = plot_range_overlap((lon, lat), iskander, ["POL", "LTU", "DEU", "LVA", "BLR", "SWE", "DNK"], world, label="Kaliningrad")
plt.show()
