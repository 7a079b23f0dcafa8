"""Near-infrared named by a number alone: "the 850s throw a red beam", "the beam of the 850".

A wavelength written with its unit ("850 nm") or as a plural noun ("the 850s", "the 830's")
names near-infrared light whatever the device record holds, as "infrared" does. A bare
number ("the 850 is the bright one") names it only when the record emits near-infrared
light at that number, within a tolerance: elsewhere it may as well be a count ("all 900
LEDs"), a price or a model. ``evaluate`` asks this of the visible-near-infrared claims and
of the words a pronoun or an answer stands for.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Physics, not the guide's bands: light from about 780 nm up is near-infrared.
NIR_FROM_NM = 780
_NUMBER = r"(?:7[89]\d|[89]\d\d|1[0-3]\d\d)"  # 780-1399
_BEFORE = r"(?<![\w.,-])"  # not inside a longer number ("1,850", "8.50")
# a name of near-infrared light that needs no record: a word, or a number with its unit or
# written as a plural noun
_NAMED = re.compile(
    rf"{_BEFORE}(?:near[- ]?infrared|infrared|nir|ir|{_NUMBER}(?:[\s-]*nm|[- ]?nanomet(?:er|re)s?"
    r"|'?s))(?!\w)"
)
# a number of the near-infrared range, with the currency or tag sign before it if any
_NUMBERS = re.compile(rf"{_BEFORE}([$£€#]?)({_NUMBER})(?![\w-]|[.,]\d)")


def bare_only(words: str, wavelengths: Sequence[float], tolerance: float) -> bool:
    """Whether ``words`` (lower case, from the character before them on) name
    near-infrared light only by numbers that do not name it here: bare numbers the record
    does not emit ("all 900 leds glow" for a 660/850 nm device), prices and tags ("$850").
    False when they hold no number of the near-infrared range, or a name of the light
    (see ``_NAMED``)."""
    found = _NUMBERS.findall(words)
    if not found or _NAMED.search(words) is not None:
        return False
    emitted = [w for w in wavelengths if w >= NIR_FROM_NM]
    return not any(not sign and abs(w - int(n)) <= tolerance for sign, n in found for w in emitted)


def named_in(
    found: re.Pattern[str],
    text: str,
    begin: int,
    end: int,
    wavelengths: Sequence[float],
    tolerance: float,
) -> bool:
    """Whether ``found`` matches in text[begin:end] words that name near-infrared light for
    this record (see ``bare_only``)."""
    return any(
        not bare_only(text[max(0, m.start() - 1) : m.end()], wavelengths, tolerance)
        for m in found.finditer(text, begin, end)
    )
