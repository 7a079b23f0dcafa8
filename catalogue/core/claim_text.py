"""Text helpers for the claim checker: matching copy, rule fragments, negation scope, wavelengths.

Everything here works on a *same-length* copy of the listing (``matching_text``), so every
offset found is also an offset into the original description and spans can be highlighted.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

FLAGS = re.IGNORECASE

# --- the matching copy -------------------------------------------------------------------

_SAME_LENGTH = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        '"': " ",
        "\u201c": " ",
        "\u201d": " ",
        "\u201e": " ",
        "\u00ab": " ",
        "\u00bb": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\u00a0": " ",
    }
)
# A straight quote that is not an apostrophe inside a word ("don't") marks a quotation.
_STRAY_QUOTE = re.compile(r"(?<!\w)'|'(?!\w)")


def matching_text(text: str) -> str:
    """A same-length copy: apostrophes straightened, quotation marks blanked to spaces.

    Quoted words ('instant results', "fix") then match like plain words, and the negator
    that introduces them still governs them.
    """
    out = text.translate(_SAME_LENGTH)
    if "'" in out:
        out = _STRAY_QUOTE.sub(" ", out)
    return out


# --- rule fragments ----------------------------------------------------------------------

# {w}: one word of a short gap between the words of a phrase. It never crosses punctuation,
# a negator or a contrast word, so "NIR does not glow" is not read as "NIR ... glow".
GAP_WORD = r"(?:(?!(?:not|no|never|nor|neither|without|but|yet|however|cannot)\b)[\w-]+\s+)"
BUILTIN_TERMS: dict[str, str] = {"w": GAP_WORD}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _spaces(fragment: str) -> str:
    """A literal space means "any run of whitespace"; " ?" and " *" mean "optional"."""
    out: list[str] = []
    i, in_class, n = 0, False, len(fragment)
    while i < n:
        c = fragment[i]
        if c == "\\":
            out.append(fragment[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = c != "]"
            out.append(r"\s" if c == " " else c)
        elif c == "[":
            in_class = True
            out.append(c)
        elif c == " ":
            if fragment[i + 1 : i + 2] in ("?", "*"):
                out.append(r"\s*")
                i += 2
                continue
            out.append(r"\s+")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def expand_fragment(fragment: str, terms: Mapping[str, Sequence[str]], depth: int = 0) -> str:
    """Replace ``{name}`` by the rule's term list (an alternation) and spaces by ``\\s+``."""

    def term(match: re.Match[str]) -> str:
        name = match.group(1)
        if name in BUILTIN_TERMS:
            return BUILTIN_TERMS[name]
        if name not in terms:
            raise ValueError(f"unknown term {{{name}}} in pattern {fragment!r}")
        if depth > 3:
            raise ValueError(f"terms nested too deeply in {fragment!r}")
        parts = (expand_fragment(t, terms, depth + 1) for t in terms[name])
        return "(?:" + "|".join(parts) + ")"

    return _PLACEHOLDER.sub(term, _spaces(fragment))


def word_regex(fragments: Sequence[str], terms: Mapping[str, Sequence[str]]) -> str:
    """One alternation of whole-word fragments (no match inside "UV-cured" or "infrared")."""
    body = "|".join(expand_fragment(f, terms) for f in fragments)
    return rf"(?<![\w-])(?:{body})(?!\w)"


# --- negation and contrast scope ---------------------------------------------------------

_NEGATOR = re.compile(
    r"""(?<![\w-])(?:
        not(?!\s+only\b)
      | no(?!\s+(?:doubt|wonder|question|matter|surprise)\b)(?!\.\s*\d)
      | never | neither | nor | none | without | cannot | can\s+not
      | [a-z]+n't
      | (?:do|does|did|is|are|was|were|ca|wo|could|would|should|has|have|had|must)nt
      | rather\s+than | instead\s+of | unlike | far\s+from | free\s+(?:of|from)
    )(?![\w-])""",
    FLAGS | re.VERBOSE,
)
# Negators that open a phrase ("Without pills, ..."): at the head of a clause they govern
# only up to the next comma.
_PREPOSITIONAL = re.compile(r"without|unlike|rather|instead|far|free", FLAGS)
_SUBORDINATE = re.compile(
    r"\s*(?:while|although|though|even\s+though|even\s+if|whereas|if|when|whenever|because"
    r"|since|unless|once)(?![\w-])[^,]*$",
    FLAGS,
)
_PRONOUN = r"(?:it|this|they|you|we)(?:'\w+)?(?![\w-])"
_BOUNDARY = re.compile(
    rf"""
        [.!?]+(?=[\s)\]]|$)
      | [;:\n\r]
      | \s[-\u2013\u2014]{{1,2}}\s | \u2014
      | (?<![\w-])(?:but|however|although|though|whereas|except)(?![\w-])
      | (?<![\w-])instead(?!\s+of)(?![\w-])
      | ,\s*(?:yet|while|whereas|so)(?![\w-])
      | (?<![\w-])and\s+yet(?![\w-])
      | ,\s*(?=(?:(?:and|or|so|but|then)\s+)?{_PRONOUN})
      | (?<=\s)(?:and|so)\s+(?={_PRONOUN})
    """,
    FLAGS | re.VERBOSE,
)


def negated_scopes(text: str, protected: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches of text a negator governs, as (start, end) offsets.

    A negator governs the rest of its clause, a list joined by commas/"or"/"and" included.
    The scope ends at a sentence end, ";", ":", a line break, a spaced dash, a contrast
    word ("but", "however", ", yet") or a comma that opens a new clause (", it ...").
    Inside brackets it ends at ")". A negator heading a clause as a preposition
    ("Unlike X, ...") or inside a subordinate clause ("While it doesn't X, ...") stops at
    the next comma. Negators that are part of a matched phrase ("no need for a doctor")
    are the claim itself, not a negation, and are skipped (``protected`` spans).
    """
    negators = [
        m
        for m in _NEGATOR.finditer(text)
        if not any(s <= m.start() and m.end() <= e for s, e in protected)
    ]
    if not negators:
        return []
    bounds = [m.span() for m in _BOUNDARY.finditer(text)]
    starts = [b[0] for b in bounds]
    scopes: list[tuple[int, int]] = []
    for m in negators:
        i = bisect_left(starts, m.end())
        end = starts[i] if i < len(starts) else len(text)
        clause_start = 0
        for j in range(bisect_right(starts, m.start()) - 1, -1, -1):
            if bounds[j][1] <= m.start():
                clause_start = bounds[j][1]
                break
        prefix = text[clause_start : m.start()]
        if (not prefix.strip() and _PREPOSITIONAL.match(m.group())) or _SUBORDINATE.match(prefix):
            comma = text.find(",", m.end(), end)
            end = comma if comma != -1 else end
        opening = text.rfind("(", 0, m.start())
        if opening != -1 and text.find(")", opening, m.start()) == -1:
            closing = text.find(")", m.end(), end)
            end = closing if closing != -1 else end
        scopes.append((m.end(), end))
    return scopes


def is_negated(start: int, scopes: Sequence[tuple[int, int]]) -> bool:
    return any(a <= start < b for a, b in scopes)


# --- wavelength mentions -----------------------------------------------------------------

_NUM = r"\d{3,4}(?:\.\d+)?"
_DASH = "[-\u2010-\u2014]"
_NUMBER = re.compile(_NUM)


@dataclass(frozen=True, slots=True)
class WavelengthMention:
    """ "630, 660 and 850 nm" -> items ((630, 630), (660, 660), (850, 850)); ranges (lo, hi)."""

    start: int
    end: int
    items: tuple[tuple[float, float], ...]


@dataclass(frozen=True, slots=True)
class WavelengthReader:
    mention: re.Pattern[str]
    range_gap: re.Pattern[str]

    def read(self, text: str) -> list[WavelengthMention]:
        found = []
        for m in self.mention.finditer(text):
            numbers = list(_NUMBER.finditer(text, m.start(), m.end()))
            items: list[tuple[float, float]] = []
            k = 0
            while k < len(numbers):
                lo = float(numbers[k].group())
                nxt = numbers[k + 1] if k + 1 < len(numbers) else None
                if nxt is not None and self.range_gap.fullmatch(
                    text, numbers[k].end(), nxt.start()
                ):
                    hi = float(nxt.group())
                    items.append((min(lo, hi), max(lo, hi)))
                    k += 2
                else:
                    items.append((lo, lo))
                    k += 1
            found.append(WavelengthMention(m.start(), m.end(), tuple(items)))
        return found


@lru_cache(maxsize=16)
def wavelength_reader(units: tuple[str, ...]) -> WavelengthReader:
    """Numbers tied to a unit ("850nm", "850-nanometer", "630/660/850 nm", "800 to 900 nm").

    Bare numbers (prices, "10 minutes", "6 inches") are never read as wavelengths.
    """
    unit = "(?:" + "|".join(expand_fragment(u, {}) for u in units) + ")(?![a-z])"
    tail = rf"(?:\s*{_DASH}?\s*{unit})"
    item = rf"{_NUM}{tail}?(?:\s*(?:{_DASH}|to|through)\s*{_NUM}{tail}?)?"
    sep = r"(?:\s*(?:,\s*(?:and|or|&)?|/|\+|&|and|or|plus)\s*)"
    mention = re.compile(rf"(?<![\w.,/$\u20ac\u00a3-]){item}(?:{sep}{item})*?{tail}", FLAGS)
    gap = re.compile(rf"{tail}?\s*(?:{_DASH}|to|through)\s*", FLAGS)
    return WavelengthReader(mention, gap)
