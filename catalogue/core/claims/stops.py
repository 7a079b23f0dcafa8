"""Whether a regex stays inside one sentence: it can never consume a sentence stop.

``check`` keeps the verdict of a claim's excuse and comparison tests per sentence. That is
sound only when those tests cannot read a neighbouring sentence: a listing's sentences are
split after ``[.!?]`` and whitespace (``tokens._PIECE_END``), so a match that starts in one
sentence and never consumes ``.``, ``!`` or ``?`` cannot reach into the next, and a match
that starts in an earlier sentence cannot reach into this one. A lookbehind could read the
whitespace before a sentence, which differs between listings, and ``^`` tells the start of
a listing from the start of a sentence, so either makes a pattern count as reaching out.
Anything this module does not know also counts as reaching out: the cache is then skipped.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

STOPS = ".!?"
# how each category treats ".", "!" and "?": none is a digit, a space or a word character
_STOP_CATEGORIES = {
    c.CATEGORY_NOT_DIGIT,
    c.CATEGORY_NOT_SPACE,
    c.CATEGORY_NOT_WORD,
    c.CATEGORY_NOT_LINEBREAK,
}
_QUIET_CATEGORIES = {c.CATEGORY_DIGIT, c.CATEGORY_SPACE, c.CATEGORY_WORD, c.CATEGORY_LINEBREAK}
# zero-width tests that read no further than the character next to them
_SAFE_AT = {c.AT_BOUNDARY, c.AT_NON_BOUNDARY, c.AT_END, c.AT_END_STRING}
_START_AT = {c.AT_BEGINNING, c.AT_BEGINNING_STRING}  # the start of the listing


def stays_in_sentence(pattern: str, stops: str = STOPS, behind: bool = False) -> bool:
    """Whether no match of ``pattern`` can consume a sentence stop, and it looks behind
    nowhere (see the module notes). ``stops``: the stops that count (a listing with no
    "?" in it has only "." and "!" to cross). A lookahead may read a stop as the last
    thing it reads: the stop is still the sentence's own. ``behind``: the whitespace before
    the sentence, and whether it starts the listing, are known (``kept`` keys by them), so
    a lookbehind that cannot read a stop, and ``^``, read nothing else."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return False
    return _stays(list(parsed), stops, behind)


def _stays(items: list[tuple[Any, Any]], stops: str, behind: bool = False) -> bool:
    for op, arg in items:
        if op is c.LITERAL:
            if chr(arg) in stops:
                return False
        elif op is c.IN:
            if any(_in_set(arg, ch) for ch in stops):
                return False
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            if not _stays(list(arg[2]), stops, behind):
                return False
        elif op is c.SUBPATTERN:
            if not _stays(list(arg[3]), stops, behind):
                return False
        elif op is c.ATOMIC_GROUP:
            if not _stays(list(arg), stops, behind):
                return False
        elif op is c.BRANCH:
            if not all(_stays(list(branch), stops, behind) for branch in arg[1]):
                return False
        elif op in (c.ASSERT, c.ASSERT_NOT):
            if arg[0] < 0:  # a lookbehind
                if not (behind and _stays(list(arg[1]), stops, behind)):
                    return False
            elif not _ends_on_stop(list(arg[1]), stops, behind):  # a lookahead may read
                return False  # past a stop
        elif op is c.AT:
            if arg not in _SAFE_AT and not (behind and arg in _START_AT):
                return False
        else:  # ANY, NOT_LITERAL, group references and whatever else: may reach out
            return False
    return True


def _ends_on_stop(items: list[tuple[Any, Any]], stops: str, behind: bool = False) -> bool:
    """Whether a lookahead's pattern stays inside a sentence but for one character it may
    read last, a stop or not: it reads no further than the stop."""
    if _stays(items, stops, behind):
        return True
    if not items or not _stays(items[:-1], stops, behind):
        return False
    op, arg = items[-1]
    if op in (c.LITERAL, c.IN):
        return True
    if op is c.SUBPATTERN:
        return _ends_on_stop(list(arg[3]), stops, behind)
    if op is c.BRANCH:
        return all(_ends_on_stop(list(branch), stops, behind) for branch in arg[1])
    return False


def _in_set(items: list[tuple[Any, Any]], ch: str) -> bool:
    """Whether a character class holds ``ch`` (one of the stops)."""
    negate, found = False, False
    code = ord(ch)
    for op, arg in items:
        if op is c.NEGATE:
            negate = True
        elif op is c.LITERAL:
            found = found or arg == code
        elif op is c.RANGE:
            found = found or arg[0] <= code <= arg[1]
        elif op is c.CATEGORY:
            if arg in _STOP_CATEGORIES:
                found = True
            elif arg not in _QUIET_CATEGORIES:
                return True  # unknown: assume it holds the stop
        else:
            return True
    return found != negate


def look_back(pattern: str) -> int | None:
    """How many characters before a match's start ``pattern`` may read (its lookbehinds, a
    word edge's one character), or None when this module cannot tell. A search from ``pos``
    may read that far before ``pos``; it never reads past ``endpos``."""
    try:
        parsed = _parser.parse(pattern)
    except re.error:
        return None
    return _back(list(parsed))


def _back(items: list[tuple[Any, Any]]) -> int | None:
    reach = 0
    for op, arg in items:
        if op in (c.LITERAL, c.NOT_LITERAL, c.IN, c.ANY, c.GROUPREF):
            continue
        if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
            inner = [_back(list(arg[2]))]
        elif op is c.SUBPATTERN:
            inner = [_back(list(arg[3]))]
        elif op is c.ATOMIC_GROUP:
            inner = [_back(list(arg))]
        elif op is c.BRANCH:
            inner = [_back(list(branch)) for branch in arg[1]]
        elif op in (c.ASSERT, c.ASSERT_NOT):
            back = _back(list(arg[1]))
            if back is None:
                return None
            # a lookbehind reads its own width back, then what its own start reads
            inner = [back + arg[1].getwidth()[1] if arg[0] < 0 else back]
        elif op is c.AT:
            inner = [1]
        else:
            return None
        for found in inner:
            if found is None:
                return None
            reach = max(reach, found)
    return reach
