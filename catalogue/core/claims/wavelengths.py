"""Wavelength mentions in a listing: numbers tied to a unit, single values, lists and ranges.

Works on the matching copy (``text.matching_text``), like the rest of the checker.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from catalogue.core.claims.pieces import remember
from catalogue.core.claims.text import expand_fragment

_DASH = "[-\u2010-\u2014]"
_NUM = r"\d{3,4}(?:\.\d+)?"
_NUMBER = re.compile(_NUM)
_AND = re.compile(r"(?:\s*(?:nm|nanomet(?:er|re)s?))?\s+and\s+")  # "between 630 and 700 nm"

# Numbers without a unit read as wavelengths (see ``bare_run``): after a label naming them
# ("wavelengths_nm": [660, 850], "Wavelengths: 630, 850", "wavelength is 810" as said
# aloud), or joined by slashes ("the 660/850 mask"), each of the light range and not a
# model, page or size.
_LABEL = re.compile(
    r"wavelengths?(?:[ _-]?(?:nm|nanomet(?:er|re)s?)|\s*\((?:nm|nanomet(?:er|re)s?)\))?"
    r"(?:\s*[:=]|\s+(?:is|are|was|were|of|at))\s*[\[({]?\s*"
)  # "Wavelengths: 630, 850", "wavelength is 810", "a wavelength of 810"
_LABEL_REACH = 32
_SLASHED = re.compile(r"\d{3,4}(?:\s*/\s*\d{3,4})+")
_BARE_FROM, _BARE_TO = 400, 1100  # violet to the longest near-infrared sold (1064 nm)
_NOT_LIGHT_BEFORE = re.compile(
    r"(?<![a-z])(?:model|sku|part|item|ref|no|nos|order|page|pages|pp|room|version|ver|series|size|"
    r"sizes|rooms|code|pin|rated|rating|scored?|flight|route|bus|tel|phone|fax|issue|vol|volume|"
    r"chapter|ch|art|article|case|batch|lot|#)[\s.:#-]*$"
)
_NOT_LIGHT_AFTER = re.compile(
    r"\s*-?\s*(?:mm|cm|m|km|kw|w|watts?|mah|ma|v|volts?|lm|lumens?|hz|khz|kg|g|lbs?|oz|"
    r"ml|l|rpm|x|k|%|°|sq|ft|inch(?:es)?|px|dpi|kcal|cal|mg|mcg|iu|psi|nits?|lux|mw|usd|eur|"
    r"gbp|dollars?|euros?|pounds?|ms|sec|secs|min|mins|minutes?|hours?|hrs?|days?|pages?)"
    r"(?![a-z])|\s*[\"'/]"
)


# "nm" for nautical miles, in a boat's range ("a range of about 400 nm (nautical miles)",
# "600 nm at 8 knots"): said so, or a speed in knots (a number before it: "knots" alone
# may be a sore muscle's) or a cruising or fuel range near it in its sentence.
# "nanometres" written out is never a distance.
_NAUTICAL = re.compile(
    r"(?<![a-z])(?:nautical ?miles?|sea ?miles?"
    r"|(?:cruising|fuel|motoring|sailing|steaming) range)(?![a-z])"
    r"|(?<![\w.])\d+(?:\.\d+)? ?(?:knots?|kts|kn)(?![a-z])"
)
_NAUTICAL_REACH = 48
_SENTENCE_STOP = re.compile(r"[.!?;\n](?!\d)")


def nautical(text: str, start: int, end: int, unit: str) -> bool:
    """Whether the number at text[start:end] with its abbreviated ``unit`` "nm" is a
    distance at sea: a word of sailing near it (see ``_NAUTICAL``) within its sentence."""
    if unit.strip(" -\u2010\u2011\u2012\u2013\u2014") != "nm":
        return False
    a, b = max(0, start - _NAUTICAL_REACH), min(len(text), end + _NAUTICAL_REACH)
    stops = [m.end() for m in _SENTENCE_STOP.finditer(text, a, start)]
    a = stops[-1] if stops else a
    after = _SENTENCE_STOP.search(text, end, b)
    b = after.start() if after else b
    return _NAUTICAL.search(text, a, b) is not None


def labelled(text: str, start: int) -> bool:
    """Whether a label naming wavelengths ends just before ``start``."""
    a = max(0, start - _LABEL_REACH)
    at = text.rfind("wavelength", a, start)
    return at >= 0 and _LABEL.fullmatch(text, at, start) is not None


def bare_run(text: str, start: int, end: int) -> bool:
    """Whether numbers without a unit in text[start:end] are read as wavelengths: after a
    label naming them, or two or more joined by slashes, each of 400-1100 nm, with no
    model, page or size word before and no other unit after them. ``findings`` reads a
    slashed run only on a record that emits one of its numbers, as a bare number names
    near-infrared light (see ``nir_numbers``)."""
    if labelled(text, start):
        return True
    if _SLASHED.fullmatch(text, start, end) is None:
        return False
    if not all(_BARE_FROM <= int(n) <= _BARE_TO for n in _NUMBER.findall(text, start, end)):
        return False
    if _NOT_LIGHT_BEFORE.search(text, max(0, start - 12), start) is not None:
        return False
    return _NOT_LIGHT_AFTER.match(text, end) is None


@dataclass(frozen=True, slots=True)
class WavelengthMention:
    """ "630, 660 and 850 nm" -> items ((630, 630), (660, 660), (850, 850)); ranges (lo, hi)."""

    start: int
    end: int
    items: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class WavelengthReader:
    run: re.Pattern[str]  # numbers joined by list and range separators
    unit: re.Pattern[str]
    range_gap: re.Pattern[str]
    # sentence -> its mentions, see ``read_pieces``
    kept: dict[str, list[WavelengthMention]] = field(default_factory=dict, compare=False)

    def read_pieces(
        self, text: str, pieces: Sequence[tuple[str, int, int]]
    ) -> list[WavelengthMention]:
        """``read`` sentence by sentence, each sentence once while it is kept: a run of
        numbers never reaches across a sentence end."""
        if len(pieces) <= 1:
            return self.read(text)
        found: list[WavelengthMention] = []
        kept = self.kept
        for n, (key, _, a) in enumerate(pieces):
            mentions = kept.get(key)
            if mentions is None:
                b = pieces[n + 1][2] if n + 1 < len(pieces) else len(text)
                mentions = self.read(text[a:b])
                remember(kept, key, mentions)
            if mentions:  # most sentences name no wavelength
                found += (
                    [WavelengthMention(m.start + a, m.end + a, m.items) for m in mentions]
                    if a
                    else mentions
                )
        return found

    def read(self, text: str) -> list[WavelengthMention]:
        """Runs of numbers are matched possessively, once each (linear time); a run counts up
        to the last unit inside it, and a run without a unit is not a wavelength."""
        found = []
        for m in self.run.finditer(text):
            end, unit = 0, ""
            for u in self.unit.finditer(text, m.start(), m.end()):
                end, unit = u.end(), u.group()
            if not end:
                if not bare_run(text, m.start(), m.end()):
                    continue
                end = m.end()
            elif nautical(text, m.start(), end, unit):
                continue
            numbers = list(_NUMBER.finditer(text, m.start(), end))
            items: list[tuple[float, float]] = []
            k = 0
            while k < len(numbers):
                lo = float(numbers[k].group())
                nxt = numbers[k + 1] if k + 1 < len(numbers) else None
                between = k == 0 and text[max(0, m.start() - 8) : m.start()].endswith("between ")
                if nxt is not None and (
                    self.range_gap.fullmatch(text, numbers[k].end(), nxt.start())
                    or (between and _AND.fullmatch(text, numbers[k].end(), nxt.start()))
                ):
                    hi = float(nxt.group())
                    items.append((min(lo, hi), max(lo, hi)))
                    k += 2
                else:
                    items.append((lo, lo))
                    k += 1
            found.append(WavelengthMention(m.start(), end, tuple(items)))
        return found


def unlabelled_bare(reader: WavelengthReader, text: str, m: WavelengthMention) -> bool:
    """Whether a mention is numbers without a unit and without a label (a slashed run)."""
    return reader.unit.search(text, m.start, m.end) is None and not labelled(text, m.start)


@lru_cache(maxsize=16)
def wavelength_reader(units: tuple[str, ...]) -> WavelengthReader:
    """Numbers tied to a unit ("850nm", "850-nanometer", "630/660/850 nm", "800 to 900 nm").

    Bare numbers (prices, "10 minutes", "6 inches") are never read as wavelengths.
    """
    unit = "(?:" + "|".join(expand_fragment(u, {}) for u in units) + ")(?![a-z])"
    tail = rf"(?:\s*{_DASH}?\s*{unit})"
    upto = rf"(?:\s*(?:{_DASH}|to|through)\s*{_NUM}{tail}?)?"
    item = rf"{_NUM}{tail}?{upto}"
    sep = r"(?:\s*(?:,\s*(?:and|or|&)?|/|\+|&|and|or|plus)\s*)"
    # "[0-9]" first lets the engine skip straight to digits; the look-behind then checks
    # the character before the number (not part of a model code, price or decimal).
    first = rf"[0-9](?<![\w.,/$\u20ac\u00a3-][0-9])\d{{2,3}}(?:\.\d+)?{tail}?{upto}"
    run = re.compile(rf"{first}(?:{sep}{item})*+")
    gap = re.compile(rf"{tail}?\s*(?:{_DASH}|to|through)\s*")
    return WavelengthReader(run, re.compile(tail), gap)
