"""Numeric kernels on the WGS84 ellipsoid: the bottom floor of deployguard.

They know nothing of states or treaties: densified boundaries
(:mod:`~deployguard.geodesy.boundary`), exact point-to-geometry distance
(:mod:`~deployguard.geodesy.index`, :mod:`~deployguard.geodesy.farfield`),
level-set zones (:mod:`~deployguard.geodesy.levelset`).  Every reported distance
comes from GeographicLib (:data:`~deployguard.geodesy.ellipsoid.GEOD`).
"""
