"""Numeric kernels on the WGS84 ellipsoid: the bottom floor of deployguard.

They know nothing of states or treaties: densified boundaries
(:mod:`~deployguard.geodesy.boundary`), exact nearest distance
(:mod:`~deployguard.geodesy.index`, :mod:`~deployguard.geodesy.farfield`), exact farthest
distance (:mod:`~deployguard.geodesy.farthest`), minimum-range questions
(:mod:`~deployguard.geodesy.donut`), discs around many sites
(:mod:`~deployguard.geodesy.rings`) and level-set zones
(:mod:`~deployguard.geodesy.levelset`, :mod:`~deployguard.geodesy.tracing`), and shapely
geometries prepared so that threads can share them (:mod:`~deployguard.geodesy.prepared`).  Every
reported distance comes from GeographicLib (:data:`~deployguard.geodesy.ellipsoid.GEOD`).
"""
