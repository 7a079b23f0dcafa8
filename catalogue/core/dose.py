"""The energy a session delivers, so shoppers can compare devices on one number."""

from __future__ import annotations


def dose_j_cm2(irradiance_mw_cm2: float | None, session_minutes: float | None) -> float | None:
    """Energy density in J/cm²: mW/cm² x seconds / 1000, e.g. 50 mW/cm² for 10 min -> 30.0.

    None when either figure is unknown: a dose is never guessed.
    """
    if irradiance_mw_cm2 is None or session_minutes is None:
        return None
    return round(irradiance_mw_cm2 * session_minutes * 60 / 1000, 1)
