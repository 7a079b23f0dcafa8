"""A claim word used as a proper name: a person's, a shop's, a book's, another maker's.

"our founder, Miracle Okafor", "the 'Miracle Morning' routine (named after the book)",
"our retail partner, Miracle Street Pharmacy", "(from Miracle Labs)": the capitalised
word is part of a name, and a name is no promise. A rule opts in with ``params.names``
(the words that end a name of a place or a firm: "Street", "Labs", "Pharmacy") and
``params.name_cues`` (the words that introduce a person or a title near the name:
"founder", "named after"). ``evaluate._in_name`` reads the plain case (a lower-case word,
then the name); this module reads a name after punctuation, a name a cue introduces, and
every other capitalised use of a word that the listing has shown to be a name, and a
character's name in a script (a line's speaker label). Without any rule's words it reads
a person's name by its shape: a title or role right before it and a surname after
("Sister Miracle Okafor", "instructor Miracle Okafor"), or an initial after it ("Miracle
J."); a name with an epithet after a cue ("named Miracle the Fox"); and the word alone in
quotation marks in lower case ("the 'miracle' in the old copy") in a listing that names
it elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Span = tuple[int, int]

# a capitalised word of a name, and what may stand between it and the next one
_CAP = re.compile(r"[A-Z][\w'&-]*")
_GAP = re.compile(r"['\"\u2018\u2019\u201c\u201d]? ")
# the word before a name, lower case, then punctuation and an opening quote or bracket at
# most: "partner, Miracle Street", "(from Miracle Labs", "the 'Miracle Morning'"
_BEFORE = re.compile(r"(?<![^\s(\"'\u2018\u201c])[a-z][a-z-]*[,;:]? +[(\"'\u2018\u201c]?$")
_CUE_REACH = 60  # characters either side of a name in which a cue may stand
_SENTENCE_END = re.compile(r"[.!?\n]")


def named(
    description: str,
    span: Span,
    heads: Sequence[str],
    cues: Sequence[str],
    products: Sequence[str] = (),
) -> bool:
    """Whether the claim word at ``span`` is a proper name (see the module's text): it
    is one now, or the listing names it as one elsewhere and it is capitalised here, not
    as a sentence's first word ('"Miracle" eye gel (from Miracle Labs)')."""
    word = description[span[0] : span[1]]
    if " " in word or not word[:1].isalpha():
        return False
    if not word[:1].isupper():  # "the 'miracle' in the old copy" of a listing naming Miracle J.
        return _quoted_alone(description, span) and _elsewhere(
            description, span[0], word.capitalize(), heads, cues, products
        )
    if _speaker(description, word):
        return True
    if _titled(description, span) or _appositive(description, span[0], products):
        return True
    if _is_name(description, span[0], heads, cues, products):
        return True
    if not _inside(description, span[0]):
        return False
    return _elsewhere(description, span[0], word, heads, cues, products)


def _elsewhere(
    description: str,
    at: int,
    word: str,
    heads: Sequence[str],
    cues: Sequence[str],
    products: Sequence[str],
) -> bool:
    """Whether the capitalised ``word`` is a name somewhere else in the listing."""
    return any(
        m.start() != at and _is_name(description, m.start(), heads, cues, products)
        for m in re.finditer(r"\b" + re.escape(word) + r"\b", description)
    )


def _quoted_alone(description: str, span: Span) -> bool:
    """Whether the word at ``span`` stands alone in quotation marks: "the 'miracle' in"."""
    a, b = span
    return (
        a > 0
        and b < len(description)
        and description[a - 1] in _OPEN_QUOTES
        and description[b] in _CLOSE_QUOTES
    )


_OPEN_QUOTES = frozenset("\"'\u2018\u201c")
_CLOSE_QUOTES = frozenset("\"'\u2019\u201d")


def _speaker(description: str, word: str) -> bool:
    """Whether ``word`` is a character's name in a script: it labels a line of its own
    ("MIRACLE: 850 after every game") and another name labels another ("ANNOUNCER: ..."),
    so every capitalised use of it is the character's ("Miracle wraps her shoulder")."""
    if ":" not in description:
        return False
    labels = {m.group(1) for m in _LABEL.finditer(description)}
    return word.upper() in labels and len(labels) > 1


# a speaker's label opening a line of a script: "DANA:", "DANA (V.O.):", "ROOMMATE:"
_LABEL = re.compile(r"(?m)^[ \t]*([A-Z][A-Z'-]+(?: [A-Z][A-Z'-]+)?)(?: \([^)\n]{1,20}\))?:")


def _inside(description: str, at: int) -> bool:
    """Whether the word at ``at`` stands inside its sentence, not first in it."""
    before = description[:at].rstrip(" \t\"'\u2018\u201c(")
    return bool(before) and before[-1] not in ".!?\n:" and not before.endswith("\u2022")


def _is_name(
    description: str, at: int, heads: Sequence[str], cues: Sequence[str], products: Sequence[str]
) -> bool:
    """Whether the capitalised word at ``at`` opens or stands in a name: a lower-case word
    (and punctuation) comes before it, and either a later capitalised word of the name is one
    of ``heads``, or the name has a second capitalised word, none of ``products`` ("Miracle
    Wrap" names the product by its promise), and one of ``cues`` stands near it in its
    sentence."""
    if _person(description, at, products) or _firm(description, at):
        return True
    if _BEFORE.search(description, max(0, at - 30), at) is None:
        return False
    later: list[str] = []
    pos = at
    while (m := _CAP.match(description, pos)) is not None and len(later) < 4:
        if pos > at:
            later.append(m.group().lower())
        gap = _GAP.match(description, m.end())
        if gap is None:
            break
        pos = gap.end()
    if any(w in heads for w in later):
        return True
    head = _CAP.match(description, at)
    if not later and head is not None and (m := _EPITHET.match(description, head.end())):
        later = [m.group(1).lower()]  # "named Miracle the Fox"
    if not later or not cues or any(w in products for w in later):
        return False
    lo, hi = max(0, at - _CUE_REACH), min(len(description), at + _CUE_REACH)
    ends = [m.end() for m in _SENTENCE_END.finditer(description, lo, at)]
    lo = ends[-1] if ends else lo
    stop = _SENTENCE_END.search(description, at, hi)
    around = description[lo : stop.start() if stop else hi].lower()
    return any(re.search(r"(?<![\w-])" + re.escape(c) + r"(?![\w-])", around) for c in cues)


# titles and roles that stand before a person's name: "Sister Miracle Okafor", "instructor
# Miracle Okafor", "Officer Miracle Johnson", "Dr. Miracle Eze"
_TITLES = frozenset(
    "sister brother father mother aunt auntie uncle grandma grandpa nana officer sergeant sgt"
    " detective constable inspector chief lieutenant lt captain capt major general corporal"
    " private dr doctor prof professor coach instructor teacher tutor trainer nurse midwife"
    " therapist physio mr mrs ms miss mx sir dame lady lord rev reverend pastor father bishop"
    " imam rabbi deacon elder saint st judge councillor cllr mayor senator chef dj mc".split()
)
_TITLE_BEFORE = re.compile(r"(?<![\w-])([A-Za-z]+)\.? +$")
# a person's name, then a surname or an initial: "Miracle Okafor", "Miracle J."
_SURNAME = re.compile(r" +([A-Z][a-z'-]+|[A-Z]\.)(?![\w])")
_INITIAL = re.compile(r" [A-Z]\.(?!\w)")
# a name's epithet after "the": "Miracle the Fox"
_EPITHET = re.compile(r" the ([A-Z][a-z]+)\b")


def _person(description: str, at: int, products: Sequence[str]) -> bool:
    """Whether the capitalised word at ``at`` is a person's name: a title or role stands
    right before it and a surname or an initial after ("Sister Miracle Okafor", "instructor
    Miracle Okafor"), or an initial alone follows it ("(Miracle J.)", "— Miracle J.")."""
    end = _CAP.match(description, at)
    if end is None:
        return False
    stop = end.end()
    if _INITIAL.match(description, stop) is not None:
        return True
    if end.group().endswith(("s", "ed", "ing")):  # a verb: "Doctor Cures Back Pain"
        return False
    title = _TITLE_BEFORE.search(description, max(0, at - 16), at)
    if title is None or title.group(1).lower() not in _TITLES:
        return False
    m = _SURNAME.match(description, stop)
    # not a headline's run of capitals: "Coach Miracle Recovery Kit"
    return (
        m is not None
        and m.group(1).lower() not in products
        and _CAP.match(description, m.end() + 1) is None
    )


# the endings of a registered firm's name: "Miracle Physio Ltd", "Miracle Care GmbH"
_FIRMS = frozenset("ltd limited inc llc llp plc gmbh pty corp bv srl sarl".split())


def _firm(description: str, at: int) -> bool:
    """Whether the capitalised word at ``at`` opens a firm's name that ends in a legal
    form, whatever stands before it ("Consignee: Miracle Physio Ltd, Lagos")."""
    pos = at
    for _ in range(4):
        m = _CAP.match(description, pos)
        if m is None:
            return False
        if pos > at and m.group().rstrip(".").lower() in _FIRMS:
            return True
        if description[m.end() : m.end() + 1] != " ":
            return False
        pos = m.end() + 1
    return False


# a person's name, then a role in apposition: ", our head of product", ", the shop's
# pharmacist"; and a role, then the name between commas: "our pace team leader, Miracle
# Okafor, swears"
_NAME2 = re.compile(r"[A-Z][a-z'-]+ ([A-Z][a-z'-]+)(?![\w'-])")
_ROLE_AFTER = re.compile(
    r", (?:our|my|your|their|his|her|the|its) (?:[a-z][\w'-]* ){0,4}[a-z][\w'-]*"
    r"(?=[,;.\n]|$| [-\u2013\u2014])"
)
_ROLE_BEFORE = re.compile(
    r"(?<![\w'-])(?:our|my|your|their|his|her|the|its) (?:[a-z][\w'-]* ){0,4}[a-z][\w'-]*, $",
    re.IGNORECASE,
)


def _appositive(description: str, at: int, products: Sequence[str]) -> bool:
    """Whether the capitalised word at ``at`` opens a person's two-word name that a role
    stands beside in apposition ("Miracle Okafor, our skincare pharmacist, picked ...",
    "Our pace team leader, Miracle Okafor, swears ..."); a product's name ("Miracle Wrap,
    our best seller") is not a person's."""
    m = _NAME2.match(description, at)
    if m is None or m.group(1).lower() in products or m.group(1).endswith(("ed", "ing")):
        return False
    if _ROLE_AFTER.match(description, m.end()) is not None:
        return True
    return (
        description[m.end() : m.end() + 1] == ","
        and _ROLE_BEFORE.search(description, max(0, at - 60), at) is not None
    )


# a title in quotation marks after the word that says what it names: "Book: 'The Miracle
# of Light'", "the novel “A Small Miracle”", "a film titled 'Miracle on Ice'"
_TITLE_LABEL = re.compile(
    r"(?:(?<![\w-])(?:the|a|an|this|that|my|our|his|her|their|new|latest|whose) (?:[a-z-]+ )?"
    r"(?:book|novel|memoir|film|movie|documentary|song|album|single|poem|play|podcast|episode"
    r"|chapter|series|show|magazine|article|essay|paperback|hardback|audiobook)"
    r"|(?<![\w-])(?:Book|Novel|Memoir|Film|Movie|Song|Album|Poem|Podcast|Episode|Title|Chapter)"
    r" ?:|(?<![\w-])(?:titled|entitled))"
    r" ?['\"\u2018\u201c]$"
)


def _titled(description: str, span: Span) -> bool:
    """Whether the word at ``span`` stands in a title in quotation marks that a word
    before the quote says is a book's, a film's or a song's ("Book: 'The Miracle of
    Light' (hardback)"): title-case words from the quote to it, and the quote closes."""
    a, b = span
    pos = a
    while pos > 0 and description[pos - 1] not in _OPEN_QUOTES:
        back = _TITLE_BEFORE_WORD.search(description, max(0, pos - 20), pos)
        if back is None:
            return False
        pos = back.start()
    if pos == 0 or _TITLE_LABEL.search(description, max(0, pos - 40), pos) is None:
        return False
    close = re.search(r"['\"\u2019\u201d]", description[b : b + 60])
    return close is not None and "\n" not in description[b : b + close.start()]


_TITLE_BEFORE_WORD = re.compile(r"(?<![\w-])(?:[A-Z][\w'-]*|of|the|a|an|and|in|on|to|for) $")


__all__ = ["named"]
