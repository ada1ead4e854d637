# %% [markdown]
# # Where could it stand? A sweep over Europe and western Russia
#
# For every cell of a 60 km grid over Europe and western Russia, which is the longest
# range class of a ground-launched missile that could stand there without breaking US draft
# Art. 6 or NATO draft Art. 5, if the state the cell lies in deployed it?
#
# **Assumptions.** Borders are Natural Earth 4.1.0 (1:50m) under the `de_facto` worldview;
# national territory includes the 12-nmi territorial sea. Membership is taken on 17 Dec 2021,
# the day the drafts were published (they never entered into force: they are applied as if in
# force). The deployer is the state each cell lies in (`by="host"`); Russia's missiles must not
# reach the USA (US-6) or any NATO member (NATO-5, the `adversary` reading of "the other
# Parties"); a member's must not reach Russia. Distances are geodesics on WGS84 to the nearest
# point of a territory; "reaches" means distance <= range. A missile at sea is not
# ground-launched (launch mode follows location), so the clauses do not concern it there.

# %%
import matplotlib.pyplot as plt
import numpy as np
import shapely
from matplotlib.collections import LineCollection

import deployguard as dg

ON = "2021-12-17"
sites = dg.grid((-11.0, 35.0, 60.0, 71.0), 60)
len(sites)

# %% [markdown]
# Probe missiles at the edges of the INF classes (shorter-range: 500-1,000 km; intermediate:
# 1,000-5,500 km), plus 3,000 km inside the intermediate class. A cell's answer is the longest
# probe that is compliant under both clauses.

# %%
probes = {r: dg.WeaponSystem(f"probe {r:,} km", "GLBM", "land", "RUS", r, r, r)
          for r in (500, 1000, 3000, 5500)}
table = dg.sweep(sites, list(probes.values()), by="host", on=ON, progress=False)
table[["site_id", "lon", "lat", "by", "system", "distance_km", "nearest_state", "US-6",
       "NATO-5"]].head()

# %%
bad = (table["US-6"] == "violation") | (table["NATO-5"] == "violation")
applies = (table["US-6"] != "not_applicable") | (table["NATO-5"] != "not_applicable")
table["allowed_km"] = np.where(applies & ~bad, table["range_km"], 0.0)
per_site = table.groupby("site_id").agg(lon=("lon", "first"), lat=("lat", "first"),
                                        by=("by", "first"), longest=("allowed_km", "max"))
per_site["applies"] = applies.groupby(table["site_id"]).any()
labels = {0.0: "none (even 500 km reaches)", 500.0: "shorter-range up to 500 km",
          1000.0: "shorter-range up to 1,000 km", 3000.0: "intermediate up to 3,000 km",
          5500.0: "intermediate up to 5,500 km"}
per_site["answer"] = per_site["longest"].map(labels).where(per_site["applies"],
                                                            "not bound, or at sea")
per_site["answer"].value_counts()

# %% [markdown]
# The map (plain lon/lat, scaled by the cosine of 55 deg N). Cells in states bound by neither
# clause (Ukraine, Belarus, Serbia, ...) and cells at sea are grey.

# %%
colors = {"none (even 500 km reaches)": "#c0392b", "shorter-range up to 500 km": "#e67e22",
          "shorter-range up to 1,000 km": "#f1c40f", "intermediate up to 3,000 km": "#2ecc71",
          "intermediate up to 5,500 km": "#1a5276", "not bound, or at sea": "#d5d8dc"}
world = dg.World.load("50m")
fig, ax = plt.subplots(figsize=(11, 7))
for answer, color in colors.items():
    pick = per_site[per_site["answer"] == answer]
    ax.scatter(pick["lon"], pick["lat"], s=7, marker="s", color=color, label=answer)
borders = shapely.clip_by_rect(shapely.union_all(world.states.geometry.boundary), -12, 34, 61, 72)
ax.add_collection(LineCollection([np.asarray(g.coords) for g in shapely.get_parts(borders)
                                  if g.geom_type == "LineString"], colors="k", linewidths=0.3))
ax.set_xlim(-12, 61)
ax.set_ylim(34, 72)
ax.set_aspect(1 / np.cos(np.radians(55)))
ax.legend(loc="lower right", fontsize=8, markerscale=3)
ax.set_title(f"Longest INF class a state could deploy in its own territory ({ON})")
plt.show()

# %% [markdown]
# Reading the map: on 17 Dec 2021 no cell in this window could host an intermediate-range
# missile (1,000-5,500 km) without reaching the other side: Russia's west reaches a NATO member
# at 1,000 km, its east of about 45 deg E not; Poland and the Baltic states cannot host even a
# 500 km missile without reaching Russia (Kaliningrad, Belarus does not shield it), while
# Iberia, France and Italy could host a 1,000 km one. Finland and Sweden were not NATO members
# that day (grey); move `ON` to 2024 and they join. The same sweep runs on a Dask cluster with
# `client=` and writes GeoParquet with `table.to_parquet(path)`.
