"""Shared data for the shop's HTTP tests: the comparison of three known devices."""

from __future__ import annotations

# Three published devices of the known catalogue, one of each light type but "other".
THREE = "nir-knee-wrap,combo-panel,red-face-mask"
