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


def unsaid(description: str, span: Span) -> bool:
    """Whether the one-word claim at ``span`` is another's name for the product that the
    listing denies in a sentence of its own elsewhere."""
    a, b = span
    word = description[a:b]
    if not word.isalpha() or _RETOLD.search(description, max(0, a - 60), a) is None:
        return False
    denied = re.compile(_DENIED + re.escape(word.lower()) + r"\b")
    lowered = description.lower()
    return any(not m.start() <= a < m.end() for m in denied.finditer(lowered))


__all__ = ["unsaid"]
