"""A claim word retold as someone else's name for the product, that the listing's own
voice denies elsewhere: "this is not a miracle, it's consistency" ... "my friend called it
a miracle lol". Another's word the listing endorses still fires ("My physio called it a
miracle lamp", "our community calls it a small miracle"): only the seller's own denial of
the same word ("not a miracle", "no miracle", "isn't a miracle") unsays it. The speaker
who retells it is not the writer ("I call it a miracle" is the writer's own word).
"""

from __future__ import annotations

import re

Span = tuple[int, int]

# someone calling the product by the word: "my friend called it a", "people call this a
# small", "she calls the wrap her"; not the writer ("I call it", "we called it")
_RETOLD = re.compile(
    r"(?<![\w'-])(?!(?:i|we)\b)[a-z][\w'-]*(?: [a-z][\w'-]*){0,2}"
    r" (?:literally |actually |basically |even |just |all )?"
    r"(?:call|calls|called|calling|dubbed|dubs|named|names) (?:it|this|that|the [\w-]+|them|these)"
    r" (?:a |an |the |her |his |their |my |our )?(?:(?:little|small|real|total|tiny|proper) )?$",
    re.IGNORECASE,
)
_DENIED = (
    r"(?<![\w-])(?:not|no|isn't|ain't|never|nothing like)(?: (?:a|an|some|any|the))?(?: [a-z-]+)? "
)


def unsaid(description: str, span: Span, words: tuple[str, ...] = ()) -> bool:
    """Whether the one-word claim at ``span`` is another's name for the product that the
    listing denies in a sentence of its own elsewhere, or a quoted claim holding one of
    ``words`` that it denies (see ``quoted_unsaid``)."""
    if words and quoted_unsaid(description, span, words):
        return True
    a, b = span
    word = description[a:b]
    if not word.isalpha() or _RETOLD.search(description, max(0, a - 60), a) is None:
        return False
    denied = re.compile(_DENIED + re.escape(word.lower()) + r"\b")
    lowered = description.lower()
    return any(not m.start() <= a < m.end() for m in denied.finditer(lowered))


# quotation marks in a line: straight or curly double quotes, single ones that are no
# apostrophe ("'Your rep said it's clinically proven'"), each opening or closing
_MARKS = re.compile(r"\"|[\u201c\u00ab\u2018]|[\u201d\u00bb]|(?<!\w)'|['\u2019](?!\w)")
_OPENING = frozenset("\u201c\u00ab\u2018")
_NEGATED = r"(?:not|never|isn't|aren't|wasn't|weren't|isnt|arent|ain't)"
# what may follow the listing's own denial of the word: its clause ends, or the regulator
_DENIAL_END = r"(?=[ \t]*(?:[.,;:!?()\u2013\u2014\n-]|$)| by\b)"


def _inside_quotes(description: str, a: int, b: int) -> bool:
    """Whether words a..b stand inside quotation marks that open and close in their line."""
    start = description.rfind("\n", 0, a) + 1
    end = description.find("\n", b)
    end = len(description) if end < 0 else end
    marks = [m.group() for m in _MARKS.finditer(description, start, a)]
    if not marks or _MARKS.search(description, b, end) is None:
        return False
    if marks.count('"') % 2:
        return True
    last = marks[-1]
    return last in _OPENING or (last == "'" and marks.count("'") % 2 == 1)


def quoted_unsaid(description: str, span: Span, words: tuple[str, ...]) -> bool:
    """Whether the claim at ``span`` stands inside quotation marks and holds one of
    ``words`` (a rule's ``params.denied_words``: "approved", "proven") that the listing
    denies in words of its own elsewhere: 'It states: "FDA approved for pain."' ... "at
    most cleared - not approved", 'Re: "is the sleeve clinically proven?"' ... "The sleeve
    is not clinically proven.", "... clinically proven - because it isn't". The quotation
    is then held up to be knocked down; a denial that goes on ("not approved for children")
    limits the claim and unsays nothing."""
    a, b = span
    text = description[a:b].lower()
    held = [w for w in words if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])", text)]
    if not held:
        return False
    if not _inside_quotes(description, a, b):
        return False
    lowered = description.lower()
    for w in held:
        word = re.escape(w)
        denial = re.compile(
            rf"(?<![\w-]){_NEGATED}(?: [\w-]+){{0,2}} {word}{_DENIAL_END}"
            rf"|(?<![\w-]){word}(?: [\w-]+){{0,2}}[ ,\u2013\u2014-]+(?:because |as |since )?"
            rf"(?:it|they|that|this) {_NEGATED}{_DENIAL_END}"
        )
        if any(not m.start() <= a < m.end() for m in denial.finditer(lowered)):
            return True
    return False


__all__ = ["unsaid"]
