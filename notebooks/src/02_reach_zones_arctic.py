# %% [markdown]
# # Reach zones in the Arctic: 5,500 km around Russia, and the Bering Strait
#
# 5,500 km is the INF Treaty's upper bound for intermediate-range missiles. Around Russia that zone covers the North Pole and crosses 180 deg, which breaks naive lon/lat maths and maps; this notebook shows both handled.
#
# **Assumptions.** Borders are Natural Earth 4.1.0 (1:50m) under the chosen *worldview*
# (`de_facto` unless stated: who actually holds Crimea; `un` gives it to Ukraine). Distances are
# geodesics on the WGS84 ellipsoid (GeographicLib via `pyproj.Geod`), measured to the nearest
# point of a territory's boundary, 0 inside; polygon edges are straight in lon/lat (the GeoJSON
# convention). "Reaches" means distance <= range. Ranges are published low / nominal / high
# estimates from the bundled catalogue, with sources.

# %%
import matplotlib.pyplot as plt
import shapely

import deployguard as dg
from deployguard.viz.plotting import plot_map, plot_zone

world = dg.World.load("50m")
russia = world.territory("RUS")
zone = dg.reach_zone(russia, 5500)
zone.is_valid, zone.bounds, zone.contains(shapely.Point(0, 90))

# %% [markdown]
# The zone is one valid EPSG:4326 polygon spanning -180..180, closed along the pole. Which capitals lie inside? (Decisions use `within_range`; the zone is for maps.)

# %%
bases = dg.Bases.load()
for name in ("Washington DC", "Seattle", "Anchorage", "Honolulu", "London", "Paris"):
    b = bases.get(name)
    d = float(dg.distance_km(*b.lonlat, russia))
    print(f"{name:15s} {d:9,.1f} km  within 5,500: {bool(dg.within_range(*b.lonlat, russia, 5500))}")

# %%
ax = plot_zone(zone, label="within 5,500 km of Russia", target={"Russia": russia}, world=world, projection="north_polar")
ax.set_title("5,500 km reach zone (polar stereographic)")
plt.show()

# %% [markdown]
# ## Chukotka and Alaska across the Bering Strait
#
# Cape Dezhnev (Russia) and Alaska are about 80 km apart; the Diomede islands less than 4 km. A site at 179.5 E, 66.5 N is on the Russian side of 180 deg, and its range rings cross it.

# %%
usa = world.territory("USA")
for name in ("Cape Dezhnev", "Anadyr"):
    b = bases.get(name)
    print(f"{name:13s} to US territory: {float(dg.distance_km(*b.lonlat, usa)):8.1f} km")
print(f"(179.5, 66.5) to US territory: {float(dg.distance_km(179.5, 66.5, usa)):8.1f} km")

# %%
rings = {f"{r} km from 179.5E 66.5N": dg.range_ring(179.5, 66.5, r) for r in (500, 1000)}
ax = plot_map(territories={"Russia": russia, "USA": usa}, zones=rings, sites={"Chukotka": (179.5, 66.5), "Cape Dezhnev": bases.get("Cape Dezhnev").lonlat}, projection="north_polar", world=world, extent=(160, -150, 55, 75))
ax.set_title("Bering Strait: rings cross 180 deg without a seam")
plt.show()
