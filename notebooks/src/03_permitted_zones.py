# %% [markdown]
# # Permitted zones: where could either side deploy an intermediate-range missile at all?
#
# US draft Art. 6 bans land-based intermediate- and shorter-range missiles outside national
# territory, "as well as in the areas of their national territories, from which such weapons
# can attack targets in the national territory of the other Party" (Sputnik via UrduPoint,
# 17 Dec 2021: https://www.urdupoint.com/en/world/russia-us-should-not-deploy-inf-banned-missi-1429300.html);
# NATO draft Art. 5 bans them "in areas allowing them to reach the territory of the other
# Parties" (TASS: https://tass.com/world/1377211/amp). So each side keeps only the part of its
# own territory from which the missile reaches nobody it must not reach. `dg.permitted_zone`
# traces that part exactly (the edge is the geodesic range contour around the protected
# states, traced to a tolerance of 5e-5 of the range, here about 130 m).
#
# Two real missiles: the US Army's Dark Eagle (2,776 km nominal) and Russia's 9M729 (2,500 km,
# the Western estimate; Russia declares 480 km). Then the INF Treaty's ceiling of 5,500 km
# (https://nuke.fas.org/control/inf/text/inf.htm, Art. II para 6), where the question becomes
# which side has *any* permitted ground.
#
# **Assumptions.** Membership on 17 Dec 2021 (the drafts' publication; never in force, applied
# as if in force). The USA must not reach Russia (US-6, and NATO-5 under the `adversary`
# reading); Russia must not reach the USA nor any NATO member. Borders: Natural Earth 4.1.0
# 1:50m, `de_facto` worldview; national territory, both the zone's domain and the protected
# states, includes the 12-nmi territorial sea. Geodesics on WGS84.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd
import pyproj
import shapely

import deployguard as dg

warnings.filterwarnings("ignore", message="IProgress not found")
ON = "2021-12-17"
usa = dg.permitted_zone("USA", "Dark Eagle", on=ON, progress=False)
rus = dg.permitted_zone("RUS", "9M729", on=ON, progress=False)
for z in (usa, rus):
    print(f"{z.party} {z.system} ({z.missile_class}, {z.range_km:,.0f} km): {z.note}")
    print(f"    permitted area {z.area_km2:,.0f} km2; protected: {', '.join(z.protected_states)}")
    print(f"    clauses {z.clauses}, tolerance {z.tolerance_km} km")

# %% [markdown]
# ## Region by region
#
# The share of each region's national territory (land and territorial sea) that lies in the
# permitted zone, by geodesic area on WGS84. Regions are cut from the party's territory with
# simple lon/lat boxes: Alaska is the part north of 51 deg N (the Aleutians cross 180 deg, so
# the box wraps), the lower 48 the part between 24 and 50 deg N; Chukotka east of 160 deg E (and
# across 180 deg), Kaliningrad west of 23 deg E, the European part the rest west of 60 deg E
# (the Urals).

# %%
world = dg.World.load("50m")
geod = pyproj.Geod(ellps="WGS84")


def area_km2(geom):
    return abs(geod.geometry_area_perimeter(geom)[0]) / 1e6 if not geom.is_empty else 0.0


def region(code, *boxes):
    land = world.territory(code, sea=True)
    return shapely.union_all([shapely.clip_by_rect(land, *b) for b in boxes])


regions = {
    ("USA", "Alaska"): region("USA", (-180, 51, -129, 72), (170, 51, 180, 56)),
    ("USA", "lower 48"): region("USA", (-125, 24, -66, 50)),
    ("RUS", "Chukotka"): region("RUS", (160, 60, 180, 72), (-180, 60, -168, 72)),
    ("RUS", "Kaliningrad"): region("RUS", (19, 54, 23, 56)),
    ("RUS", "European part"): region("RUS", (23, 40, 60, 82)),
}
zones = {"USA": usa, "RUS": rus}
shares = pd.DataFrame([{"party": p, "region": r, "area km2": area_km2(g),
                        "permitted km2": area_km2(shapely.intersection(g, zones[p].geometry))}
                       for (p, r), g in regions.items()]).set_index(["party", "region"])
shares["permitted %"] = 100 * shares["permitted km2"] / shares["area km2"]
shares.round(1)

# %% [markdown]
# ## Named sites, and the checker's own verdict
#
# The zone is a map of the checker's verdicts: a site inside it must be compliant under
# US-6 and NATO-5 when `dg.check` judges a deployment there, and a site outside it a violation.
# That is tested for every site below.

# %%
bases = dg.Bases.load()
sites = {"USA": ["Fort Greely", "Joint Base Elmendorf-Richardson", "Anchorage", "Seattle",
                 "Fort Bliss", "Washington DC", "Honolulu"],
         "RUS": ["Kaliningrad", "Moscow Kremlin", "Engels Air Base", "Olenya Air Base",
                 "Anadyr", "Petropavlovsk-Kamchatsky", "Vladivostok"]}
rows = []
for party, names in sites.items():
    zone = zones[party]
    deps = [dg.Deployment(by=party, at=n, date=ON, system=zone.system, label=n) for n in names]
    report = dg.check(deps, progress=False)
    for d in deps:
        lon, lat = d.lonlat
        verdicts = {c: report.finding(c, d.label).status.value for c in zone.clauses}
        rows.append({"party": party, "site": d.label, "in zone": bool(zone.contains(lon, lat)),
                     **verdicts})
named = pd.DataFrame(rows).set_index(["party", "site"])
named

# %%
agree = named["in zone"] == (named[["US-6", "NATO-5"]] == "compliant").all(axis=1)
assert agree.all(), named[~agree]
violating = named[~named["in zone"]]
assert (violating[["US-6", "NATO-5"]] == "violation").any(axis=1).all()
print("zone and check() agree at all", len(named), "sites")

# %% [markdown]
# ## The maps
#
# `dg.plot_permitted_zone` draws the party's territory split into the permitted part and the
# part within range of the protected states, the edge between them, and the protected states
# near it. Passing `zone=` reuses the zone computed above.

# %%
fig, axes = plt.subplots(1, 2, figsize=(15, 7))
dg.plot_permitted_zone(zone=usa, ax=axes[0], world=world)
dg.plot_permitted_zone(zone=rus, ax=axes[1], world=world)
plt.show()

# %% [markdown]
# ## At the INF ceiling, 5,500 km
#
# A missile at the very top of the intermediate class. (A probe: `dg.WeaponSystem` with one
# range, for each side.)

# %%
ceiling = {p: dg.permitted_zone(p, dg.WeaponSystem("5,500 km probe", "GLBM", "land", p,
                                                   5500, 5500, 5500), on=ON, progress=False)
           for p in ("USA", "RUS")}
for p, z in ceiling.items():
    print(f"{p}: permitted area {z.area_km2:,.0f} km2")
fig, ax = plt.subplots(figsize=(8, 8))
dg.plot_permitted_zone(zone=ceiling["USA"], ax=ax, world=world)
plt.show()

# %% [markdown]
# Why Russia has nothing left at 5,500 km: its whole territory is within 5,500 km of NATO
# territory or of Alaska. The farthest point of Russia from the protected states, as traced
# from the zones above, is therefore nearer than 5,500 km; the 9M729's zone shows that it lies
# in central Siberia, between the European and the Alaskan fronts. The reach zone of Russia at
# 5,500 km crosses 180 deg and holds the North Pole, drawn here on a polar stereographic map:

# %%
zone5500 = dg.reach_zone(world.territory("RUS"), 5500)
# in lon/lat the pole is the edge at 90 deg N, so `covers`, not `contains`
print("valid:", zone5500.is_valid, " holds the pole:", zone5500.covers(shapely.Point(0, 90)))
assert zone5500.covers(shapely.Point(0, 90)) and zone5500.bounds[0] == -180
ax = dg.plot_zone(zone5500, label="within 5,500 km of Russia",
                  target={"Russia": world.territory("RUS")}, world=world,
                  projection="north_polar")
ax.set_title("5,500 km from Russia (polar stereographic)")
plt.show()

# %% [markdown]
# ## Conclusions, asserted

# %%
assert shares.loc[("USA", "Alaska"), "permitted %"] < 1.0
assert shares.loc[("USA", "lower 48"), "permitted %"] > 99.0
for r in ("Chukotka", "Kaliningrad", "European part"):
    assert shares.loc[("RUS", r), "permitted %"] == 0.0, r
assert rus.area_km2 > 0 and ceiling["RUS"].area_km2 == 0.0 and ceiling["USA"].area_km2 > 0
assert not named.loc[("USA", "Fort Greely"), "in zone"] and named.loc[("USA", "Fort Bliss"), "in zone"]
print(shares["permitted %"].round(2).to_dict())

# %% [markdown]
# **Conclusion.** With a Dark Eagle (2,776 km) the United States could deploy almost anywhere in
# the lower 48 states and practically nowhere in Alaska, which faces Chukotka across the Bering
# Strait. Russia, with a 9M729 at the Western 2,500 km estimate, could deploy nowhere in its
# European part, in Kaliningrad or in Chukotka: only a belt of Siberia is out of reach of both
# NATO's European members and Alaska. At the INF ceiling of 5,500 km the asymmetry is total:
# the USA keeps a permitted zone, Russia has none.
