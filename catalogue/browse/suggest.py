""" "Did you mean Solvane?": a better spelling of a search that finds nothing or little.

The words a shopper can misspell and we can put right are the published brands and the words
of published device names, read once per catalogue version (``Vocabulary``): at 100,000
devices that is one pass over the names, then a few thousand distinct words, not rows.

A word of ``q`` is corrected when it is not the start of a known word (the search matches
prefixes, so "solv" is not a typo) and a known word is at most one edit away (two from seven
letters on), counting a swap of neighbours as one edit. A ``brand`` is corrected the same
way against whole brand names, case aside. The suggestion is kept only when the corrected
search finds more devices than the shopper's, so following it always gives results.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from sqlalchemy import func, literal
from sqlalchemy.orm import Session
from sqlmodel import select

from catalogue.browse.conditions import dialect_of, published
from catalogue.browse.filter import DeviceFilter
from catalogue.data.models import Device

MIN_LETTERS = 4  # shorter words have too many neighbours to guess which was meant
FEW = 3  # a search finding fewer devices than this is offered a better spelling
_WORD = re.compile(r"[^\W\d_]+")  # a run of letters: digits and model numbers are not corrected


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """What a search can be corrected to, lowercased, with how it is written."""

    brands: dict[str, str]  # "solvane" -> "Solvane"
    words: dict[str, str]  # "horizon" -> "Horizon", from names and brands
    uses: dict[str, int]  # how many published devices carry the word (breaks ties)
    brand_words: frozenset[str]  # written as the brand writes them, whatever the shopper typed
    sorted_words: tuple[str, ...]  # for "is this the start of a known word?"
    # The candidates for a typed word: (length, position 0 or 1, letter) -> words. A typo
    # seldom spoils both of a word's first two letters, so only words of a near length that
    # share one of them (either way round) are measured: tens of words, not the vocabulary.
    by_start: dict[tuple[int, int, str], tuple[str, ...]]

    @classmethod
    def of(cls, brands: Iterable[tuple[str, int]], names: str) -> Vocabulary:
        """From (brand, devices) pairs and every published name, one a line."""
        brand_of: dict[str, str] = {}
        uses: Counter[str] = Counter()
        written: dict[str, str] = {}
        brand_words: set[str] = set()
        for brand, count in brands:
            brand_of.setdefault(brand.lower(), brand)
            for word in _WORD.findall(brand):
                key = word.lower()
                if len(key) >= MIN_LETTERS:
                    written[key] = word
                    brand_words.add(key)
                    uses[key] += count
        # One regex pass over all names at once: far quicker than a pass per name.
        for word in _WORD.findall(names):
            key = word.lower()
            if len(key) >= MIN_LETTERS:
                written.setdefault(key, word)
                uses[key] += 1
        by_start: dict[tuple[int, int, str], list[str]] = {}
        for key in sorted(written):
            for position in (0, 1):
                by_start.setdefault((len(key), position, key[position]), []).append(key)
        return cls(
            brands=brand_of,
            words=written,
            uses=dict(uses),
            brand_words=frozenset(brand_words),
            sorted_words=tuple(sorted(written)),
            by_start={slot: tuple(keys) for slot, keys in by_start.items()},
        )

    def starts_a_word(self, prefix: str) -> bool:
        i = bisect_left(self.sorted_words, prefix)
        return i < len(self.sorted_words) and self.sorted_words[i].startswith(prefix)

    def closest_word(self, typed: str) -> str | None:
        """The known word nearest to ``typed`` (lowercase) within its allowed edits, or None;
        of equals, the one on most devices, then the first alphabetically."""
        if len(typed) < 2:
            return None
        limit = allowed_edits(typed)
        first, second = typed[0], typed[1]
        candidates: set[str] = set()
        for n in range(len(typed) - limit, len(typed) + limit + 1):
            # Same first or second letter; or shifted by one: a letter missing, one too
            # many or the first two swapped at the start ("olvane", "asolvane", "oslvane").
            for slot in ((n, 0, first), (n, 1, second), (n, 0, second), (n, 1, first)):
                candidates.update(self.by_start.get(slot, ()))
        return _nearest(typed, sorted(candidates), limit, lambda w: -self.uses.get(w, 0))

    def closest_brand(self, typed: str) -> str | None:
        """The brand as written that ``typed`` names: itself in another case, or the nearest."""
        key = typed.lower()
        if key in self.brands:
            return self.brands[key]
        found = _nearest(key, self.brands, allowed_edits(key), lambda b: 0)
        return self.brands[found] if found else None


def allowed_edits(word: str) -> int:
    return 2 if len(word) >= 7 else 1


def _nearest(
    typed: str, candidates: Iterable[str], limit: int, rank: Callable[[str], int]
) -> str | None:
    best: tuple[int, int, str] | None = None
    letters = set(typed)
    for word in candidates:
        # Cheap tests first: an edit changes the length by at most one and the set of
        # letters used by at most two (one gone, one new).
        if abs(len(word) - len(typed)) > limit or len(letters ^ set(word)) > 2 * limit:
            continue
        distance = edits(typed, word, limit)
        if distance <= limit and (best is None or (distance, rank(word), word) < best):
            best = (distance, rank(word), word)
    return best[2] if best else None


def edits(a: str, b: str, limit: int) -> int:
    """Edits from ``a`` to ``b`` (insert, delete, replace, swap two neighbours), or
    ``limit + 1`` as soon as it is clear there are more than ``limit``."""
    if a == b:
        return 0
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    before: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        before, previous = previous, current
    return min(previous[len(b)], limit + 1)


# --- The suggestion for a filter -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Suggestion:
    """The shopper's filter with its spelling put right, and how many devices it finds."""

    q: str
    brand: list[str]
    text: str  # what "Did you mean …?" names: the corrected words, then corrected brands
    total: int
    query: str  # the corrected filter's query string, on page 1


def corrected_words(q: str, vocabulary: Vocabulary) -> str:
    """``q`` with each unknown word replaced by its nearest known word, when there is one."""
    out = []
    for word in q.split():
        key = word.lower()
        if len(key) < MIN_LETTERS or not _WORD.fullmatch(word) or vocabulary.starts_a_word(key):
            out.append(word)
            continue
        found = vocabulary.closest_word(key)
        if found is None:
            out.append(word)
        elif found in vocabulary.brand_words or not word.islower():
            out.append(vocabulary.words[found])  # "solvna" -> "Solvane", "Horizn" -> "Horizon"
        else:
            out.append(found)  # "pannel" -> "panel"
    return " ".join(out)


def corrected(flt: DeviceFilter, vocabulary: Vocabulary) -> DeviceFilter | None:
    """The filter with its words and brands spelt as the catalogue spells them, or None when
    there is nothing to put right."""
    q = corrected_words(flt.q, vocabulary) if flt.q else flt.q
    known = set(vocabulary.brands.values())
    brands = {b if b in known else vocabulary.closest_brand(b) or b for b in flt.brand}
    fixed = replace(flt, q=q, brand=tuple(sorted(brands)), page=1)
    return None if fixed == replace(flt, page=1) else fixed


def did_you_mean(
    flt: DeviceFilter,
    total: int,
    *,
    vocabulary: Callable[[], Vocabulary],
    count: Callable[[DeviceFilter], int],
) -> Suggestion | None:
    """A better spelling of a search that finds fewer than ``FEW`` devices, when the better
    spelling finds more; ``vocabulary`` and ``count`` are only asked when it may."""
    if total >= FEW or not (flt.words or flt.brand):
        return None
    fixed = corrected(flt, vocabulary())
    if fixed is None:
        return None
    found = count(fixed)
    if found <= total:
        return None
    named = ([fixed.q] if fixed.q != flt.q else []) + [b for b in fixed.brand if b not in flt.brand]
    return Suggestion(
        q=fixed.q,
        brand=list(fixed.brand),
        text=", ".join(named),
        total=found,
        query=urlencode(fixed.query_pairs()),
    )


def load_vocabulary(session: Session) -> Vocabulary:
    """The published brands (with their device counts) and names: one query each. The names
    come joined by the database as one text: 100,000 rows one by one cost several times more."""
    brands = session.execute(
        select(Device.brand, func.count()).where(published()).group_by(Device.brand)
    ).all()
    if dialect_of(session) == "postgresql":
        joined = func.string_agg(Device.name, literal("\n"))
    else:
        joined = func.group_concat(Device.name, literal("\n"))
    names = session.scalar(select(joined).where(published()))
    return Vocabulary.of(((brand, n) for brand, n in brands), names or "")
