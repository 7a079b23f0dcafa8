"""What the shop says about light types, areas and fits, in our own words."""

from __future__ import annotations

from catalogue.data.models import FORM_FACTORS

FORM_FACTOR_LABELS: dict[str, str] = {f: f.capitalize() for f in FORM_FACTORS}
FIT_LABELS: dict[str, str] = {"fits": "Fits", "partial": "Partial", "misses": "Misses"}
AREA_GROUP_LABELS: dict[str, str] = {
    "surface": "Skin and cosmetic care",
    "muscle": "Muscle recovery",
    "joint": "Joint comfort and mobility",
    "circulation": "Circulation",
    "whole-body": "Whole body",
}
DEPTH_NEEDS: dict[str, str] = {
    "surface": "Surface light: red (630–660 nm) is the band for skin.",
    "deep": "Deep light: only near-infrared (800–900 nm) gets past the skin to this tissue.",
    "both": "Both: red for the skin and near-infrared for the muscle and joints beneath.",
}
LIGHT_TYPE_NOTES: dict[str, str] = {
    "red": "Red light only. It is absorbed in the top layers of the skin, so it suits skin "
    "and cosmetic routines; it does not reach muscle or joints.",
    "nir": "Near-infrared only. It travels past the skin into muscle, joints and connective "
    "tissue. It is invisible: expect no glow, just mild warmth after a few minutes.",
    "combined": "Red and near-infrared together: red works on the skin while near-infrared "
    "reaches the muscle and joints beneath, so one device covers both depths.",
    "other": "None of its light falls in the red or near-infrared bands, so neither the skin "
    "effect of red nor the deep reach of near-infrared applies.",
}
