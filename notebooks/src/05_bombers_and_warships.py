# %% [markdown]
# # Bombers and warships under US draft Art. 5 para 2, and Crimea's waters
#
# "The Parties shall refrain from flying heavy bombers equipped for nuclear or non-nuclear
# armaments or deploying surface warships of any type ... in the areas outside national
# airspace and national territorial waters respectively, from where they can attack targets in
# the territory of the other Party" (US draft Art. 5 para 2, Sputnik via UrduPoint, 17 Dec 2021:
# https://www.urdupoint.com/en/world/russia-us-should-not-fly-heavy-bombers-outsi-1429304.html).
# Two tests, then: is the platform outside its own national airspace or territorial sea, and
# can its weapon reach the other Party's territory from there? We take a Tu-95MS with Kh-101, a
# B-52H with AGM-86B or JASSM-ER, and an Arleigh Burke destroyer with Tomahawk or SM-6, in
# places chosen by us (none is a reported flight or patrol), on 1 Jan 2022.
#
# **Assumptions.** "Heavy bomber" as in New START practice (`Readings(heavy_bombers=
# "new_start")`: the Tu-95MS and B-52H are, the Tu-22M3 is not). National airspace and waters:
# land, internal waters and the 12-nmi territorial sea (UNCLOS Art. 2-3). "Can attack" means
# the carried missile's range reaches the other Party's territory (with its territorial sea),
# by geodesic distance on WGS84; the platform's own radius is not added (the conservative
# reading of "from where"). Borders: Natural Earth 4.1.0, and the worldview decides who holds
# Crimea: `de_facto` (Russia, as in Dec 2021), `un` (Ukraine, UNGA resolution 68/262) or
# `russia`.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import deployguard as dg

warnings.filterwarnings("ignore", message="IProgress not found")
pd.set_option("display.max_colwidth", 120)
D = "2022-01-01"
catalogue = dg.Catalogue.load()
pd.DataFrame([{"system": s.name, "class": s.system_class, "New START heavy bomber": s.new_start,
               "weapons": ", ".join(s.platform_weapons)}
              for s in map(catalogue.get, ["Tu-95MS", "B-52H", "Arleigh Burke DDG"])]
             ).set_index("system")

# %%
pd.DataFrame([{"missile": s.name, "class": s.system_class, "low km": s.range_low_km,
               "nominal km": s.range_nominal_km, "high km": s.range_high_km,
               "first source": s.source[0]}
              for s in map(catalogue.get, ["Kh-101", "AGM-86B", "JASSM-ER", "Tomahawk (ship)",
                                           "SM-6 (ship)"])]).set_index("missile")

# %% [markdown]
# ## The cases
#
# Each platform outside its own airspace or waters where its weapon reaches, one where it does
# not (or only at one estimate), and one inside its own airspace or waters.

# %%
cases = [
    ("RUS", (-178.0, 58.5), "Tu-95MS", "Kh-101", "Tu-95MS/Kh-101, Bering Sea"),
    ("RUS", (5.0, 66.0), "Tu-95MS", "Kh-101", "Tu-95MS/Kh-101, Norwegian Sea"),
    ("RUS", "Anadyr", "Tu-95MS", "Kh-101", "Tu-95MS/Kh-101, over Anadyr"),
    ("RUS", (33.6, 44.9), "Tu-95MS", "Kh-101", "Tu-95MS/Kh-101, over Crimea"),
    ("USA", (10.0, 70.0), "B-52H", "AGM-86B", "B-52H/AGM-86B, Norwegian Sea"),
    ("USA", (19.0, 56.0), "B-52H", "JASSM-ER", "B-52H/JASSM-ER, Baltic Sea"),
    ("USA", (-150.0, 64.0), "B-52H", "AGM-86B", "B-52H/AGM-86B, over Alaska"),
    ("USA", (34.5, 43.2), "Arleigh Burke DDG", "Tomahawk (ship)", "DDG/Tomahawk, central Black Sea"),
    ("USA", (30.9, 44.0), "Arleigh Burke DDG", "SM-6 (ship)", "DDG/SM-6, off Constanta"),
    ("USA", (33.2, 44.35), "Arleigh Burke DDG", "SM-6 (ship)", "DDG/SM-6, off Sevastopol"),
    ("USA", (-75.916, 36.85), "Arleigh Burke DDG", "Tomahawk (ship)", "DDG/Tomahawk, US waters"),
]
deployments = [dg.Deployment(by=by, at=at, date=D, system=s, weapon=w, label=label)
               for by, at, s, w, label in cases]
report = dg.check(deployments, drafts="us", sensitivity=True, progress=False)
us52 = pd.DataFrame([{"case": f.label, "US-5.2": f.status.value, "flipped_by": f.flipped_by,
                      "nearest": f.evidence.get("nearest_state"),
                      "distance_km": f.evidence.get("distance_km"),
                      "range_km": f.evidence.get("range_km"), "reason": f.reason}
                     for f in report if f.clause_id == "US-5.2"]).set_index("case")
us52.drop(columns="reason")

# %%
for case, row in us52.iterrows():
    print(f"{case}: {row['US-5.2']}\n    {row['reason']}\n")

# %% [markdown]
# ## Worldview: Crimea's waters
#
# The destroyer off Constanța carries SM-6 (the catalogue's ship-launched figures, 370-500
# km). Under the `de_facto` worldview Crimea and its territorial sea are Russian, 177 km away;
# under `un` they are Ukrainian, and the nearest Russian territory is the Taman peninsula,
# just beyond the nominal 460 km. So the verdict turns on who holds Crimea, and at the high
# estimate on the range too. Each variant's status, from the sensitivity grid:

# %%
constanta = report.finding("US-5.2", "DDG/SM-6, off Constanta")
grid = pd.Series(constanta.evidence["sensitivity"], name="US-5.2").to_frame()
grid.index = pd.MultiIndex.from_tuples([tuple(k.split("/")) for k in grid.index],
                                       names=["estimate", "worldview"])
grid["US-5.2"].unstack("worldview")

# %% [markdown]
# Each part of the reason text above quotes its own variant's numbers: at the high estimate
# under `un`, 500 km against the Taman peninsula 463.5 km away.

# %%
assert "(500.0 km) reaches RUS territory 463.5 km away" in constanta.reason

# %% [markdown]
# The distances behind it, measured independently on each worldview's borders:

# %%
rows = []
for wv in ("de_facto", "un", "russia"):
    w = dg.World.load("50m", worldview=wv)
    rows.append({"worldview": wv, "to RUS km (with 12-nmi sea)":
                 float(dg.distance_km(30.9, 44.0, w.territory("RUS", sea=True))),
                 "Sevastopol is in": str(w.state_at(33.5254, 44.6167).ravel()[0])})
by_worldview = pd.DataFrame(rows).set_index("worldview").round(1)
by_worldview

# %% [markdown]
# For Russia's bomber over Crimea the worldview decides the first test instead: over Russian
# national airspace (`de_facto`, `russia`) it is exempt; under `un` it is over Ukraine, outside
# Russia's airspace, but the Kh-101 cannot reach US territory from the Black Sea, so the
# verdict is the same and only the reason changes:

# %%
crimea = [d for d in deployments if d.label == "Tu-95MS/Kh-101, over Crimea"]
for wv in ("de_facto", "un"):
    f = dg.check(crimea, drafts="us", worldview=wv, progress=False).finding("US-5.2")
    print(f"{wv}: {f.status.value} - {f.reason}")

# %% [markdown]
# ## Where the destroyer may sail
#
# `dg.permitted_waters` gives the whole answer for a platform: the world's seas minus the US
# territorial sea (where Art. 5.2 does not apply, drawn apart) minus every point from which
# its longest-ranged missile (Tomahawk, 1,600 km nominal) reaches Russia. The two worldviews
# differ where Crimea was the only Russian territory within 1,600 km.

# %%
import shapely

waters = {wv: dg.permitted_waters("USA", "Arleigh Burke DDG", on=D, worldview=wv,
                                  progress=False) for wv in ("de_facto", "un")}
for wv, z in waters.items():
    print(f"{wv}: weapon {z.weapon} ({z.range_km:,.0f} km), permitted {z.area_km2:,.0f} km2")
gained = shapely.difference(waters["un"].geometry, waters["de_facto"].geometry)
print(f"permitted only under un: {waters['un'].area_km2 - waters['de_facto'].area_km2:,.0f} km2,",
      "lon/lat bounds", [round(b, 1) for b in gained.bounds])
ax = dg.plot_permitted_zone(zone=waters["de_facto"], extent=(-40, 20, 60, 75))
plt.show()

# %% [markdown]
# And the evidence map of the Constanța case (`Finding.plot()`): the SM-6 ring and band,
# the Russian territory within it (Crimea's coast and waters under `de_facto`), and the
# geodesic to the nearest point.

# %%
fig = constanta.plot(report)
plt.show()

# %% [markdown]
# ## Conclusions, asserted

# %%
st = us52["US-5.2"]
assert st["Tu-95MS/Kh-101, Bering Sea"] == "violation"
assert st["B-52H/AGM-86B, Norwegian Sea"] == st["B-52H/JASSM-ER, Baltic Sea"] == "violation"
assert st["DDG/Tomahawk, central Black Sea"] == st["DDG/SM-6, off Sevastopol"] == "violation"
for inside in ("Tu-95MS/Kh-101, over Anadyr", "B-52H/AGM-86B, over Alaska",
               "DDG/Tomahawk, US waters"):
    assert st[inside] == "compliant" and "inside" in us52.loc[inside, "reason"], inside
assert st["Tu-95MS/Kh-101, Norwegian Sea"] == "depends"
assert us52.loc["Tu-95MS/Kh-101, Norwegian Sea", "flipped_by"] == ("range_estimate",)
assert "worldview" in constanta.flipped_by
assert constanta.evidence["sensitivity"]["nominal/de_facto"] == "violation"
assert constanta.evidence["sensitivity"]["nominal/un"] == "compliant"
assert by_worldview.loc["de_facto", "to RUS km (with 12-nmi sea)"] < 460 < \
    by_worldview.loc["un", "to RUS km (with 12-nmi sea)"]
assert waters["un"].area_km2 - waters["de_facto"].area_km2 > 300_000
assert 10 < gained.centroid.x < 30 and 30 < gained.centroid.y < 41  # central Mediterranean
print("all stated verdicts hold")

# %% [markdown]
# **Conclusion.** Art. 5 para 2 would ban the flights and patrols analysts worry about: a
# Tu-95MS with Kh-101 over the Bering Sea (Alaska 334 km away), a B-52H with cruise missiles
# over the Norwegian or the Baltic Sea, a US destroyer with Tomahawk anywhere in the Black Sea.
# It allows them inside national airspace and waters, whatever they reach. A Tu-95MS over the
# Norwegian Sea is a knife-edge: Alaska is 4,605 km away, beyond the Kh-101's 4,500 km but not
# its 5,500 km high estimate. The worldview matters where a platform's reach ends near Crimea:
# an SM-6 destroyer off Constanța breaks the article if Crimea is Russian and not if it is
# Ukrainian (Taman is then 463 km away, beyond 460 km). For the destroyer with Tomahawk, the UN
# worldview frees about 350,000 km2 of the central Mediterranean, where only Crimea was within
# 1,600 km.
