"""Text helpers for the claim checker: matching copy, phrase scanning, negation, wavelengths.

Everything works on a *same-length*, lower-cased copy of the listing (``matching_text``), so
every offset found is also an offset into the original description.
"""

from __future__ import annotations

import importlib
import re
from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

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
    """A same-length copy: lower case, apostrophes straightened, quotation marks blanked.

    Quoted words ('instant results', "fix") then match like plain words, and the negator
    that introduces them still governs them.
    """
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two ("İ")
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    low = low.translate(_SAME_LENGTH)
    return _STRAY_QUOTE.sub(" ", low) if "'" in low else low


# --- rule fragments ----------------------------------------------------------------------

# {w}: one word of a short gap between the words of a phrase. It never crosses punctuation,
# a negator or a contrast word, so "nir does not glow" is not read as "nir ... glow".
GAP_WORD = r"(?:(?!(?:not|no|never|nor|neither|without|but|yet|however|cannot)\b)[\w-]+\s+)"
BUILTIN_TERMS: dict[str, str] = {"w": GAP_WORD}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_FORBIDDEN = re.compile(r"\(\?P[<=]|\\[1-9]|\(\?[aiLmsux]")


def _spaces(fragment: str) -> str:
    """A literal space means "any run of whitespace"; " ?" and " *" mean "optional".

    A plain ``(`` becomes ``(?:``: rule fragments only group, they never capture.
    """
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
        elif c == "(" and fragment[i + 1 : i + 2] != "?":
            out.append("(?:")  # groups only group: captures would upset the scanner's groups
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


def fragment_problem(fragment: str) -> str | None:
    """Why a fragment cannot be used as written, or None: patterns meet lower-cased text."""
    if _FORBIDDEN.search(fragment):
        return "may not use named groups, back-references or inline flags"
    if any(c.isupper() for c in re.sub(r"\\.", "", fragment)):
        return "is matched against lower-cased text; write it in lower case"
    return None


def patterns_problem(fragments: Sequence[str], terms: Mapping[str, Sequence[str]]) -> str | None:
    """What is wrong with a rule's fragments (and the terms they use), or None."""
    if set(terms) & set(BUILTIN_TERMS):
        return f"term names {sorted(BUILTIN_TERMS)} are built in and cannot be redefined"
    for fragment in [*fragments, *(t for ts in terms.values() for t in ts)]:
        problem = fragment_problem(fragment)
        if problem:
            return f"pattern {fragment!r} {problem}"
    for fragment in fragments:
        try:
            compiled = re.compile(expand_fragment(fragment, terms))
        except (re.error, ValueError, RecursionError) as exc:
            return f"pattern {fragment!r} does not compile: {exc}"
        if compiled.fullmatch(""):
            return f"pattern {fragment!r} matches empty text"
    return None


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
        return "(?:" + "|".join(expand_fragment(t, terms, depth + 1) for t in terms[name]) + ")"

    return _PLACEHOLDER.sub(term, _spaces(fragment))


# --- scanning many phrase patterns at once ------------------------------------------------

_parser: Any = importlib.import_module("re._parser")
_c: Any = importlib.import_module("re._constants")


def _first(items: Any) -> tuple[set[str], bool] | None:
    """The characters a parsed regex can start with, and whether it can match nothing.

    None when unknown (a class such as ``\\w`` or ``.`` first): such a pattern is tried at
    every word start.
    """
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            return chars | {chr(av)}, False
        if op is _c.IN:
            for kind, value in av:
                if kind is _c.LITERAL:
                    chars.add(chr(value))
                elif kind is _c.RANGE and value[1] - value[0] < 64:
                    chars.update(chr(v) for v in range(value[0], value[1] + 1))
                else:
                    return None
            return chars, False
        if op in (_c.ASSERT, _c.ASSERT_NOT, _c.AT):
            continue
        if op is _c.BRANCH or op in (_c.SUBPATTERN, _c.ATOMIC_GROUP):
            nullable = False
            for alternative in av[1] if op is _c.BRANCH else [av[-1]]:
                sub = _first(alternative.data if hasattr(alternative, "data") else alternative)
                if sub is None:
                    return None
                chars |= sub[0]
                nullable = nullable or sub[1]
            if not nullable:
                return chars, False
            continue
        if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, _c.POSSESSIVE_REPEAT):
            sub = _first(av[2].data)
            if sub is None:
                return None
            chars |= sub[0]
            if av[0] > 0 and not sub[1]:
                return chars, False
            continue
        return None
    return chars, True


def first_chars(regex: str) -> frozenset[str] | None:
    found = _first(_parser.parse(regex).data)
    return None if found is None or found[1] else frozenset(found[0])


def _split(regex: str) -> tuple[list[str], int]:
    """Top-level alternatives of ``regex`` up to its first unmatched ")", and where that is."""
    parts, depth, start, k, in_class = [], 0, 0, 0, False
    while k < len(regex):
        c = regex[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                break
            depth -= 1
        elif c == "|" and depth == 0:
            parts.append(regex[start:k])
            start = k + 1
        k += 1
    parts.append(regex[start:k])
    return parts, k


def alternatives(regex: str, limit: int = 400) -> list[str]:
    """``(?:a|b)?c`` -> ``["ac", "bc", "c"]``: leading alternations spread out, so that each
    piece starts with a plain letter the scanner can dispatch on. The same language."""
    parts, _ = _split(regex)
    if len(parts) > 1:
        out = [x for p in parts for x in alternatives(p, limit)]
    elif regex.startswith("(?:"):
        inner, close = _split(regex[3:])
        rest = regex[3 + close + 1 :]
        optional = rest[:1] == "?" and rest[1:2] not in ("?", "+")
        rest = rest[1:] if optional else rest
        if rest[:1] in ("*", "+", "{", "?") or (optional and not rest):
            return [regex]
        out = [x for p in inner for x in alternatives(p + rest, limit)]
        out += alternatives(rest, limit) if optional else []
    else:
        return [regex]
    return out if len(out) <= limit else [regex]


_LITERAL_CHAR = frozenset("abcdefghijklmnopqrstuvwxyz0123456789'%-")


def _literal_prefix(piece: str) -> tuple[str, str]:
    """``"cures? (?:...)"`` -> ``("cure", "s? (?:...)")``: the plain letters a piece starts with."""
    k = 0
    while k < len(piece) and piece[k] in _LITERAL_CHAR and piece[k + 1 : k + 2] not in "?*+{":
        k += 1
    return piece[:k], piece[k:]


def _trie(items: list[tuple[str, str]]) -> str:
    """One alternation of (literal prefix, rest) pairs, shared prefixes factored out, so the
    engine rejects a word after a letter or two instead of trying every piece in turn."""
    children: dict[str, list[tuple[str, str]]] = {}
    ends: list[str] = []
    for prefix, rest in items:
        if prefix:
            children.setdefault(prefix[0], []).append((prefix[1:], rest))
        else:
            ends.append(rest)
    alternatives = [re.escape(ch) + _trie(sub) for ch, sub in sorted(children.items())]
    return "(?:" + "|".join(alternatives + ends) + ")"


class PhraseScanner:
    """Every match of every slot (an alternation of fragments), overlapping ones included.

    One combined regex finds the word starts where some fragment matches: it steps from
    separator to separator and tries all fragments as one prefix tree, so a word is
    dropped after a letter or two. A per-first-letter regex with one named group per slot
    then reports, in a single call, every slot matching at that word start.
    """

    def __init__(self, slots: Sequence[Sequence[str]]) -> None:
        self.size = len(slots)
        by_char: dict[str, dict[int, list[str]]] = {}
        anywhere: dict[int, list[str]] = {}
        for k, fragments in enumerate(slots):
            for piece in (p for f in fragments for p in alternatives(f)):
                chars = first_chars(piece)
                for ch in [""] if chars is None else chars:
                    (anywhere if ch == "" else by_char.setdefault(ch, {})).setdefault(k, []).append(
                        piece
                    )
        pieces = [p for kp in [*by_char.values(), anywhere] for ps in kp.values() for p in ps]
        trie = _trie([_literal_prefix(p) for p in dict.fromkeys(pieces)])
        self.scan = re.compile(rf"[^\w-](?={trie}(?!\w))") if pieces else None
        # first letter -> (regex whose group g reports slot members[g - 1], members)
        self.at: dict[str, tuple[re.Pattern[str], list[int]]] = {}
        for ch, kp in [*by_char.items(), ("", {})]:
            members = {k: [*kp.get(k, []), *anywhere.get(k, [])] for k in range(len(slots))}
            members = {k: ps for k, ps in members.items() if ps}
            regex = re.compile(
                "".join(
                    f"(?:(?=(?P<s{k}>(?:{'|'.join(ps)})(?!\\w))))?" for k, ps in members.items()
                )
            )
            self.at[ch] = (regex, list(members))

    def find(self, text: str) -> list[tuple[int, int, int]]:
        """(slot, start, end) of every match in ``text``; one slot's matches never overlap."""
        if self.scan is None:
            return []
        padded = " " + text
        found: list[tuple[int, int, int]] = []
        last_end = [1] * self.size
        search, at, fallback, missing = self.scan.search, self.at, self.at[""], (-1, -1)
        pos = 0
        while (m := search(padded, pos)) is not None:
            pos = m.start() + 1
            regex, members = at.get(padded[pos], fallback)
            match = regex.match(padded, pos)
            assert match is not None  # every group is optional: it always matches
            regs = match.regs
            if regs.count(missing) == len(regs) - 2:  # the usual case: one slot, the last group
                group = match.lastindex or 0
                hits = [(members[group - 1], regs[group])]
            else:
                hits = [(k, span) for k, span in zip(members, regs[1:], strict=True)]
            for k, (start, end) in hits:
                if start > 0 and start >= last_end[k]:
                    found.append((k, start - 1, end - 1))
                    last_end[k] = end
        return found


# --- negation and contrast scope ---------------------------------------------------------

# Scanned with the rule patterns (see claims.py), so finding them costs no extra pass.
NEGATORS = (
    "not(?! only\\b)",
    "no(?![-'])(?! (?:doubt|wonder|question|matter|surprise)\\b)(?!\\. *\\d)",
    "never",
    "neither",
    "nor",
    "none",
    "without",
    "can ?not",
    "(?:do|does|did|is|are|was|were|ca|wo|could|would|should|has|have|had|must|need|ai)n'?t",
    "rather than",
    "instead of",
    "unlike",
    "far from",
    "free (?:of|from)",
)
_PRONOUN = r"(?:it|this|they|you|we)(?:'\w+)?(?![\w-])"
CONTRASTS = (
    "but",
    "however",
    "although",
    "though",
    "whereas",
    "except",
    "instead(?! of\\b)",
    "and yet",
    f"(?:and|so)(?= {_PRONOUN})",
)
# Negators that open a phrase ("Without pills, ..."): at the head of a clause they govern
# only up to the next comma, as does a negator inside a subordinate clause.
_PREPOSITIONAL = frozenset({"without", "unlike", "rather", "instead", "far", "free"})
_SUBORDINATE = re.compile(
    r"\s*(?:while|although|though|even\s+though|even\s+if|whereas|if|when|whenever|because"
    r"|since|unless|once)(?![\w-])[^,]*$"
)
_DASH = "[-\u2010-\u2014]"
# Punctuation that ends a clause. One character class first lets the engine skip ahead.
_PUNCTUATION = re.compile(
    rf"""[.!?;:\n\r,\u2013\u2014-](?:
        (?<=[.!?])[.!?]*(?=[\s)\]]|$)
      | (?<=[;:\n\r\u2014])
      | (?<=\s[-\u2013])[-\u2013\u2014]?(?=\s)
      | (?<=,)\s*(?:(?:yet|while|whereas|so)(?![\w-])|(?=(?:(?:and|or|so|but|then)\s+)?{_PRONOUN}))
    )""",
    re.VERBOSE,
)


def negated_scopes(
    text: str,
    negators: Sequence[tuple[int, int]],
    contrasts: Sequence[tuple[int, int]],
    protected: Sequence[tuple[int, int]],
) -> list[tuple[int, int]]:
    """The stretches the negators govern, as (start, end) offsets into the matching copy.

    A negator governs the rest of its clause, a list joined by commas/"or"/"and" included.
    The scope ends at a sentence end, ";", ":", a line break, a spaced dash, a contrast
    word ("but", "however", ", yet") or a comma opening a new clause (", it ..."); inside
    brackets at ")". A negator heading a clause as a preposition ("Unlike X, ...") or in a
    subordinate clause ("While it doesn't X, ...") stops at the next comma. A negator inside
    a matched phrase ("no need for a doctor") is the claim itself and is skipped.
    """
    live = [
        (ns, ne)
        for ns, ne in negators
        if not any(s <= ns and ne <= e and (s, e) != (ns, ne) for s, e in protected)
    ]
    if not live:
        return []
    bounds = sorted([m.span() for m in _PUNCTUATION.finditer(text)] + list(contrasts))
    starts = [b[0] for b in bounds]
    scopes: list[tuple[int, int]] = []
    for n_start, n_end in live:
        i = bisect_left(starts, n_end)
        end = starts[i] if i < len(starts) else len(text)
        clause_start = 0
        for j in range(bisect_right(starts, n_start) - 1, -1, -1):
            if bounds[j][1] <= n_start:
                clause_start = bounds[j][1]
                break
        prefix = text[clause_start:n_start]
        word = text[n_start:n_end].split()[0]
        if (not prefix.strip() and word in _PREPOSITIONAL) or _SUBORDINATE.match(prefix):
            comma = text.find(",", n_end, end)
            end = comma if comma != -1 else end
        opening = text.rfind("(", 0, n_start)
        if opening != -1 and text.find(")", opening, n_start) == -1:
            closing = text.find(")", n_end, end)
            end = closing if closing != -1 else end
        scopes.append((n_end, end))
    return scopes


# --- wavelength mentions -----------------------------------------------------------------

_NUM = r"\d{3,4}(?:\.\d+)?"
_NUMBER = re.compile(_NUM)


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

    def read(self, text: str) -> list[WavelengthMention]:
        """Runs of numbers are matched possessively, once each (linear time); a run counts up
        to the last unit inside it, and a run without a unit is not a wavelength."""
        found = []
        for m in self.run.finditer(text):
            end = 0
            for u in self.unit.finditer(text, m.start(), m.end()):
                end = u.end()
            if not end:
                continue
            numbers = list(_NUMBER.finditer(text, m.start(), end))
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
            found.append(WavelengthMention(m.start(), end, tuple(items)))
        return found


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
