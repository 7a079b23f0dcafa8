"""Misspelt triggers: how a listing word written with a slip is read as the trigger it
stands for, for ``frames.FrameIndex``.

A long stem is matched with one letter missing, added, changed or two swapped (``slip``);
a trigger whose stem is too short for that is matched by its written forms, two letters
swapped (``swapped``) or, for a long form, one missing (``missing_letters``); a letter
held down ("deeep") is read as two, then as one (``stutter``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from catalogue.core.claims.lexicon import (
    MIN_SLIP_LENGTH,
    NOT_SLIPS,
    SUFFIX_MARK,
    deletions,
    inflections,
    stem,
)

_STUTTER = re.compile(r"([a-z])\1\1+")  # a letter three times or more running
_MISSING_FROM = 7  # written forms this long are read with a letter missing ("buring")
# a short word's "-ing" or "-ed" form built without the doubled consonant English writes
_UNDOUBLED = re.compile(r"^[^aeiou]*[aeiou][b-df-hj-np-tvz](?:ing|ed)$")


def slip_table(entries: Iterable[str]) -> dict[str, str]:
    """One-letter slips: every deletion of a long stem (an index key) points back to it."""
    slips: dict[str, str] = {}
    for key in entries:
        if len(key) >= MIN_SLIP_LENGTH and not key.startswith(SUFFIX_MARK):
            for d in deletions(key):
                slips.setdefault(d, key)
    return slips


def trigger_forms(
    families: Iterable[Sequence[str]], entries: Mapping[str, object]
) -> dict[str, str]:
    """Two letters swapped in a trigger whose stem is too short for a slip ("cuers"): the
    trigger's written forms of five letters or more, by the key they stem to."""
    forms: dict[str, str] = {}
    for words in families:
        for word in words:
            if word.isalpha() and len(stem(word)) < MIN_SLIP_LENGTH:
                for form in inflections(word):
                    key = stem(form)
                    if len(form) >= MIN_SLIP_LENGTH and key in entries:
                        forms.setdefault(form, key)
    return forms


def missing_letters(forms: Mapping[str, str], entries: Mapping[str, object]) -> dict[str, str]:
    """One letter missing from a trigger's written form of seven letters or more whose
    stem is too short for ``slip`` ("buring": "burning"), the first letter kept. A slip
    that is a word of its own ("hating" from "heating") is in NOT_SLIPS, one of two
    triggers is read as neither, and a form that English spells with its last consonant
    doubled ("bluring" for "blurring") gives none."""
    missing: dict[str, set[str]] = {}
    for form, key in forms.items():
        if len(form) >= _MISSING_FROM and _UNDOUBLED.search(form) is None:
            for k in range(1, len(form)):
                slipped = form[:k] + form[k + 1 :]
                if slipped not in NOT_SLIPS and stem(slipped) not in entries:
                    missing.setdefault(slipped, set()).add(key)
    return {slipped: min(keys) for slipped, keys in missing.items() if len(keys) == 1}


def stutter(form: str, entries: Mapping[str, object]) -> tuple[str, str] | None:
    """(stem, key) of the entry a word spells with a letter held down ("deeep", "sooo",
    "hottt"): no English word has a letter three times running, so the run is read as
    two letters, then as one. None when the word has no such run, when neither reading
    starts an entry, or when the word is one letter over and over ("zzz", "iii", "aaa")."""
    if _STUTTER.search(form) is None or len(set(form)) == 1:
        return None
    for run in (r"\1\1", r"\1"):
        s = stem(_STUTTER.sub(run, form))
        if s in entries:
            return s, s
    return None


def swapped(word: str, forms: Mapping[str, str]) -> str:
    """The key of a one-word trigger that ``word`` spells with two neighbouring letters
    swapped, the first and the last letter kept ("cuers": "cures"), or "": the slip for
    word forms of five letters or more whose stem is too short for ``slip`` ("cure" stems
    to "cur"). Only the trigger's own forms (``trigger_forms``) count ("cure", "cures",
    "cured"), so an ordinary word does not turn into a stray one ("pulse" is not "plus")."""
    for k in range(1, len(word) - 2):
        a, b = word[k], word[k + 1]
        if a != b:
            key = forms.get(word[:k] + b + a + word[k + 2 :])
            if key is not None:
                return key
    return ""


def slip(s: str, entries: Mapping[str, object], slips: Mapping[str, str]) -> str:
    """The trigger stem ``s`` is one slip away from, sharing its first letter, or ""
    (``slips``: see ``slip_table``)."""
    key = slips.get(s, "")  # a letter missing from s
    if key and key[0] == s[0]:
        return key
    for d in deletions(s):
        if d in entries and d[0] == s[0] and len(d) >= MIN_SLIP_LENGTH:
            return d  # a letter added to s
        key = slips.get(d, "")  # a letter changed, or two swapped: long words only,
        if key and key[0] == s[0] and len(key) == len(s) > MIN_SLIP_LENGTH:
            return key  # as five-letter words have too many real neighbours ("scalp")
    return ""
