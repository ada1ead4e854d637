"""Test set-up: maps render off-screen (no display on CI), before any test imports pyplot."""

import os

os.environ.setdefault("MPLBACKEND", "Agg")
